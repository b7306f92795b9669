//! What extraction finds on one page: plain serde data, the input of the inventory.

use serde::Serialize;

use crate::rulebook::{Evidence, WidgetKind};

/// The part of the page a contact point stands in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageRegion {
    Header,
    Nav,
    Main,
    Aside,
    Footer,
    /// Not inside any of the above.
    #[default]
    Body,
}

/// Where a phone or e-mail was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A `tel:` / `mailto:` link.
    Link,
    /// Visible text.
    Text,
    /// Visible text with the address disguised (`name [at] site [dot] ru`).
    Obfuscated,
    /// schema.org markup (JSON-LD or microdata): machine-readable, not necessarily visible.
    Schema,
}

/// libphonenumber's number type, in the report's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneKind {
    Mobile,
    FixedLine,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Unknown,
}

/// How the number is written on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneFormat {
    /// With the country code: `+7 495 …`.
    International,
    /// With the trunk prefix or area code but no country code: `8 (495) …`, `(495) …`.
    National,
    /// Too short to dial from another town: `555-35-35`.
    Local,
}

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
    pub region: PageRegion,
}

/// An image that probably shows an e-mail address as a picture.
#[derive(Debug, Clone, Serialize)]
pub struct EmailImage {
    pub src: String,
    pub alt: String,
    pub region: PageRegion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessengerKind {
    Whatsapp,
    Viber,
    Telegram,
    Vk,
    Messenger,
    Instagram,
    Ok,
    Skype,
    Sms,
}

impl MessengerKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Whatsapp => "WhatsApp",
            Self::Viber => "Viber",
            Self::Telegram => "Telegram",
            Self::Vk => "VK",
            Self::Messenger => "Messenger",
            Self::Instagram => "Instagram",
            Self::Ok => "OK",
            Self::Skype => "Skype",
            Self::Sms => "SMS",
        }
    }
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormPurpose {
    Contact,
    Callback,
    Order,
    Subscribe,
    Search,
    Login,
    Signup,
    Payment,
    Comment,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FormField {
    pub name: String,
    /// `text`, `tel`, `email`, `textarea`, `select`, `checkbox`, `hidden`, …
    #[serde(rename = "type")]
    pub kind: String,
    pub label: String,
    pub required: bool,
    pub visible: bool,
    /// Hidden from people but open to bots: must stay empty when we submit.
    pub honeypot: bool,
}

impl FormField {
    /// A field a person sees and may fill: visible and not a trap for bots.
    pub fn shown(&self) -> bool {
        self.visible && !self.honeypot
    }

    /// What a person calls the field: its label, else its name.
    pub fn title(&self) -> &str {
        if self.label.is_empty() {
            &self.name
        } else {
            &self.label
        }
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceSource {
    Schema,
    AddressElement,
    Text,
}

/// Everything found on one page.
#[derive(Debug, Default)]
pub struct PageExtract {
    pub title: Option<String>,
    pub lang: Option<String>,
    pub links: Vec<crate::crawl::FoundLink>,
    pub phones: Vec<PhoneSighting>,
    pub emails: Vec<EmailSighting>,
    pub email_images: Vec<EmailImage>,
    pub messengers: Vec<MessengerSighting>,
    pub forms: Vec<FormInfo>,
    pub widgets: Vec<WidgetSighting>,
    pub addresses: Vec<PlaceSighting>,
    pub hours: Vec<PlaceSighting>,
}
