//! What extraction finds on one page: plain serde data, the input of the inventory.

use serde::Serialize;

use crate::types::contact::{
    Evidence, FormBackendRef, FormField, FormPurpose, MessengerKind, PageRegion, PhoneFormat,
    PhoneKind, PlaceSource, RegionSource, Source, WidgetKind,
};
use crate::types::link::FoundLink;

#[derive(Debug, Clone, Serialize)]
pub struct PhoneSighting {
    /// The text as shown on the page (or the `tel:` target when the link has no text).
    pub shown: String,
    /// E.164 form, when the digits could be read as a number at all.
    pub e164: Option<String>,
    pub valid: bool,
    pub kind: PhoneKind,
    pub format: PhoneFormat,
    pub source: Source,
    pub clickable: bool,
    /// The `href` of the `tel:` link, if any.
    pub tel_href: Option<String>,
    /// Whether the `tel:` link dials the number its text shows; `None` when the text shows no
    /// number (an icon, «Позвонить»).
    pub tel_matches_text: Option<bool>,
    /// «бесплатно», «toll-free» stands next to it.
    pub labelled_free: bool,
    pub region: PageRegion,
    /// The words that make it another party's contact (a regulator, a partner, the web
    /// studio); `None` for the company's own.
    pub third_party: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mailto {
    pub href: String,
    pub subject: Option<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub body: Option<String>,
    /// What is wrong with the link, e.g. `space-before-query`; empty when well formed.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EmailSighting {
    /// Lower-cased address.
    pub address: String,
    pub source: Source,
    pub clickable: bool,
    pub mailto: Option<Mailto>,
    /// The link shows this address but sends to another: that one.
    pub sends_to: Option<String>,
    pub region: PageRegion,
    /// The words that make it another party's contact (a regulator, a partner, the web
    /// studio); `None` for the company's own.
    pub third_party: Option<String>,
}

/// An image that probably shows an e-mail address as a picture.
#[derive(Debug, Clone, Serialize)]
pub struct EmailImage {
    pub src: String,
    pub alt: String,
    pub region: PageRegion,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessengerSighting {
    pub kind: MessengerKind,
    /// The link as written; `None` for a messenger named in text but not linked.
    pub href: Option<String>,
    /// The phone digits, username or group the link opens.
    pub target: Option<String>,
    pub valid: bool,
    /// Why it is not valid, e.g. `plus-sign`, `separators`, `username-too-short`.
    pub problems: Vec<String>,
    pub clickable: bool,
    pub region: PageRegion,
    /// The words that make it another party's contact (a regulator, a partner, the web
    /// studio); `None` for the company's own.
    pub third_party: Option<String>,
}

/// A social profile: listed, not a door (`youtube`, `dzen`, `linkedin`, `x`, …).
#[derive(Debug, Clone, Serialize)]
pub struct SocialSighting {
    pub network: &'static str,
    pub href: String,
    pub region: PageRegion,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormInfo {
    /// The action resolved against the page.
    pub action: String,
    pub method: String,
    pub enctype: String,
    pub fields: Vec<FormField>,
    pub submit: Option<String>,
    pub purpose: FormPurpose,
    /// The first heading over the form, as the page writes it («Задайте свой вопрос»).
    pub title: Option<String>,
    /// False for controls and a button with no `<form>` around them, sent by a script.
    pub form_element: bool,
    /// The service the form sends to (Tilda, Formspree, …), when not the site's own server.
    pub backend: Option<FormBackendRef>,
    /// The plugin whose script sends it to the site's server (Contact Form 7, Elementor).
    pub script: Option<String>,
    /// Captcha ids (`recaptcha-v2`, `hcaptcha`, `image`, …).
    pub captcha: Vec<String>,
    pub region: PageRegion,
}

#[derive(Debug, Clone, Serialize)]
pub struct WidgetSighting {
    pub id: String,
    pub name: String,
    pub kind: WidgetKind,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlaceSighting {
    pub text: String,
    pub source: PlaceSource,
    pub region: PageRegion,
}

/// Everything found on one page.
#[derive(Debug, Default)]
pub struct PageExtract {
    pub title: Option<String>,
    pub lang: Option<String>,
    /// The country national numbers on the page were read in, and what chose it.
    pub region: Option<(String, RegionSource)>,
    pub links: Vec<FoundLink>,
    pub phones: Vec<PhoneSighting>,
    pub emails: Vec<EmailSighting>,
    pub email_images: Vec<EmailImage>,
    pub messengers: Vec<MessengerSighting>,
    pub social_profiles: Vec<SocialSighting>,
    pub forms: Vec<FormInfo>,
    pub widgets: Vec<WidgetSighting>,
    pub addresses: Vec<PlaceSighting>,
    pub hours: Vec<PlaceSighting>,
    /// Start tags past [`super::nesting::MAX_NESTING`] open elements, left out before parsing.
    pub tags_left_out: usize,
    /// Bytes past [`super::nesting::MAX_ELEMENTS`] elements, not read.
    pub bytes_past_elements: usize,
    /// Why a browser would see more of the page than its served HTML shows (`--render auto`).
    pub render_hint: Option<crate::types::render::RenderReason>,
    /// The call-tracking services whose script is on the page (`Calltouch`): what swaps the
    /// number a visitor sees.
    pub call_tracking: Vec<String>,
}

/// Sightings of one kind kept from one page, at most: enough for a branch directory, bounded
/// on a page generated to list 60,000 numbers.
pub const MAX_SIGHTINGS_PER_PAGE: usize = 500;

impl PageExtract {
    /// Keeps the first [`MAX_SIGHTINGS_PER_PAGE`] sightings of each kind; returns how many
    /// were left out.
    pub fn keep_within_bounds(&mut self) -> usize {
        fn keep<T>(items: &mut Vec<T>) -> usize {
            let over = items.len().saturating_sub(MAX_SIGHTINGS_PER_PAGE);
            items.truncate(MAX_SIGHTINGS_PER_PAGE);
            over
        }
        keep(&mut self.phones)
            + keep(&mut self.emails)
            + keep(&mut self.email_images)
            + keep(&mut self.messengers)
            + keep(&mut self.social_profiles)
            + keep(&mut self.forms)
            + keep(&mut self.widgets)
            + keep(&mut self.addresses)
            + keep(&mut self.hours)
    }
}
