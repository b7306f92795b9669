//! The inventory: the contact points of all pages merged into the site's contact surface,
//! each point once, with every page (and page region) it stands on — so rules can ask "is the
//! phone on every page?" and "do two pages show different numbers?".
//!
//! Memory grows with the number of distinct points and their sightings, never with page
//! bodies: a page's HTML is dropped as soon as it is extracted. Strings that repeat on every
//! page (its URL, the footer's phone as shown, its `tel:` link) are shared, not copied per
//! sighting: a 50,000-page site has 50,000 footers.

mod merge;
mod places;
mod replaced;
mod seen;

use std::sync::Arc;

use serde::Serialize;

use crate::types::contact::{
    Evidence, FormField, FormPurpose, MessengerKind, PageRegion, Party, PhoneFormat, PhoneKind,
    PlaceSource, RegionSource, Seen, Source, WidgetKind,
};

pub use merge::InventoryBuilder;
pub use replaced::PhoneReplacement;

/// Where a point stands.
#[derive(Debug, Clone, Serialize)]
pub struct PageRef {
    pub url: Arc<str>,
    pub region: PageRegion,
    pub seen: Seen,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhoneOnPage {
    pub url: Arc<str>,
    pub region: PageRegion,
    pub shown: Arc<str>,
    pub format: PhoneFormat,
    pub source: Source,
    pub clickable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tel_href: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tel_matches_text: Option<bool>,
    pub labelled_free: bool,
    pub seen: Seen,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phone {
    /// E.164 (`+74951234567`); for digits libphonenumber could not place, the best reading.
    pub e164: Option<String>,
    pub valid: bool,
    #[serde(rename = "type")]
    pub kind: PhoneKind,
    /// Every distinct way the number is written on the site.
    pub shown: Vec<String>,
    /// Clickable (a working `tel:` link) everywhere it is shown.
    pub clickable: bool,
    /// Some `tel:` link shows one number and dials another.
    pub tel_mismatch: bool,
    /// Written somewhere with its country code.
    pub has_country_code: bool,
    pub labelled_free: bool,
    /// `own`, or `third-party` when every sighting stands under another party's name.
    pub party: Party,
    /// The words that named the other party (`aufsichtsbehörde`, `website by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_reason: Option<String>,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<PhoneOnPage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EmailOnPage {
    pub url: Arc<str>,
    pub region: PageRegion,
    pub source: Source,
    pub clickable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailto: Option<Arc<str>>,
    pub seen: Seen,
}

#[derive(Debug, Clone, Serialize)]
pub struct Email {
    /// Lower-cased; empty for a `mailto:` link with no readable address.
    pub address: String,
    pub clickable: bool,
    /// Only ever written in a disguised form.
    pub obfuscated_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Problems of its `mailto:` links (`space-before-query`, …).
    pub mailto_problems: Vec<String>,
    /// Shown in a `mailto:` link that sends to this other address instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailto_sends_to: Option<String>,
    /// `own`, or `third-party` when every sighting stands under another party's name.
    pub party: Party,
    /// The words that named the other party (`aufsichtsbehörde`, `website by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_reason: Option<String>,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<EmailOnPage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EmailImage {
    pub src: String,
    pub alt: String,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<PageRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessengerOnPage {
    pub url: Arc<str>,
    pub region: PageRegion,
    pub clickable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<Arc<str>>,
    pub seen: Seen,
}

#[derive(Debug, Clone, Serialize)]
pub struct Messenger {
    pub kind: MessengerKind,
    pub target: Option<String>,
    /// One of the links, as written.
    pub href: Option<String>,
    pub valid: bool,
    pub problems: Vec<String>,
    pub clickable: bool,
    /// `own`, or `third-party` when every sighting stands under another party's name.
    pub party: Party,
    /// The words that named the other party (`aufsichtsbehörde`, `website by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_reason: Option<String>,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<MessengerOnPage>,
}

/// A social profile the site links to (a YouTube channel, a LinkedIn page): listed, not a
/// door, judged by no rule.
#[derive(Debug, Clone, Serialize)]
pub struct SocialProfile {
    /// `youtube`, `dzen`, `linkedin`, `x`, `tiktok`, `pinterest`, `rutube`, `threads`, `vimeo`.
    pub network: &'static str,
    pub href: String,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<PageRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub action: String,
    pub method: String,
    pub enctype: String,
    pub purpose: FormPurpose,
    /// The first heading over it, as the page writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// False for controls and a button with no `<form>` around them: sent by a script, so
    /// only a browser can submit them.
    pub form_element: bool,
    /// The service it sends to, when not the site's own server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<crate::types::contact::FormBackendRef>,
    /// The plugin whose script sends it to the site's own server (Contact Form 7,
    /// Elementor): probes send it in a browser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// The most copies of it on one page (a desktop and a mobile copy make 2).
    pub copies: u32,
    pub fields: Vec<FormField>,
    pub submit: Option<String>,
    pub captcha: Vec<String>,
    /// Whether the action answers (asked for contact, callback and order forms only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_check: Option<crate::types::facts::UrlCheck>,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<PageRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Widget {
    pub id: String,
    pub name: String,
    pub kind: WidgetKind,
    pub evidence: Vec<Evidence>,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<Arc<str>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub text: String,
    pub sources: Vec<PlaceSource>,
    /// `static`, `rendered` or `both`: what its page sightings add up to (`--render`).
    pub seen: Seen,
    pub pages: Vec<PageRef>,
}

/// A page that was read, with what it is.
#[derive(Debug, Clone, Serialize)]
pub struct PageInfo {
    /// Shared with the inventory's page references: one copy of each URL, however many points
    /// a page has (a 50,000-page site keeps 50,000 of these).
    pub url: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Shared, as every page of a site says the same (`ru`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Arc<str>>,
    /// The country numbers written without one were read in on this page (`RU`, `DE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Arc<str>>,
    /// What chose it: `setting`, `domain`, `own-numbers` or `language`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_source: Option<RegionSource>,
    /// The page looks like a contact page (by its path or title).
    pub contact_page: bool,
    /// The page links to a page that looks like the contact page.
    pub links_to_contacts: bool,
    /// Its contact menu item jumps within the page (`#contacts`) to nothing there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_contact_anchor: Option<String>,
}

/// The site's contact surface.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub email_images: Vec<EmailImage>,
    pub messengers: Vec<Messenger>,
    pub social_profiles: Vec<SocialProfile>,
    pub forms: Vec<Form>,
    pub widgets: Vec<Widget>,
    pub addresses: Vec<Place>,
    pub hours: Vec<Place>,
    /// `mailto:` links that name no readable address (`mailto:`, `mailto:?subject=…`): broken
    /// doors a rule reports, not addresses.
    pub broken_mailto_links: Vec<Email>,
    /// Other parties' contacts the pages name (a regulator, a partner, the web studio):
    /// listed apart, judged by no rule, never probed.
    pub third_party: ThirdParty,
    /// Whether each e-mail domain accepts mail (filled after the crawl).
    pub mail_domains: Vec<crate::types::facts::MailDomain>,
    /// Numbers of the served HTML that a script replaced, or removed, in the page visitors
    /// see (`--render` only).
    pub phone_replacements: Vec<PhoneReplacement>,
    /// Chat and callback widgets whose loader is on a page but which did not show up there in
    /// the browser (`--render` only).
    pub widget_failures: Vec<crate::types::render::WidgetFailure>,
    /// The start page and the contact pages on a phone's screen (`--render` only).
    pub phone_screens: Vec<crate::types::render::PhoneScreen>,
    pub pages: Vec<PageInfo>,
}

/// Contact points that belong to another party than the company.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ThirdParty {
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub messengers: Vec<Messenger>,
}

impl ThirdParty {
    pub fn is_empty(&self) -> bool {
        self.phones.is_empty() && self.emails.is_empty() && self.messengers.is_empty()
    }
}

impl Form {
    /// A form a customer uses to reach the company.
    pub fn reaches_company(&self) -> bool {
        self.purpose.reaches_company()
    }

    /// How findings name the form: its method and action, or the page a script form is on.
    pub fn subject(&self) -> String {
        if self.form_element {
            format!("{} {}", self.method, self.action)
        } else {
            format!("script form on {}", self.action)
        }
    }
}

impl Inventory {
    /// Forms by purpose, for the summary.
    pub fn forms_for(&self, purpose: FormPurpose) -> impl Iterator<Item = &Form> {
        self.forms.iter().filter(move |f| f.purpose == purpose)
    }
}
