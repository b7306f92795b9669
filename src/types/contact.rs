//! The words of a contact point: where on a page it stands, how it is written, what kind of
//! door it is. Extraction writes them, the inventory keeps them, rules, probes and reports
//! read them, and the rulebook's signatures name widget kinds with them.

use serde::{Deserialize, Serialize};

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

/// How a contact point was seen: in the HTML the server sent, in the page a browser built
/// from it (`--render`), or in both. A point seen only when rendered is built by a script; one
/// seen only in the served HTML was removed or replaced by one (call tracking).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Seen {
    #[default]
    Static,
    Rendered,
    Both,
}

impl Seen {
    /// Seen this way and that way.
    #[must_use]
    pub fn and(self, other: Seen) -> Seen {
        if self == other { self } else { Seen::Both }
    }

    /// What a point's page sightings add up to.
    pub fn of_all(mut each: impl Iterator<Item = Seen>) -> Seen {
        let first = each.next().unwrap_or_default();
        each.fold(first, Seen::and)
    }
}

/// Whose contact a point is: the company's, or another party's the page names (a chamber
/// or regulator in an imprint, a partner bank, the web studio).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    #[default]
    Own,
    ThirdParty,
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
    Facebook,
    /// MAX, the Russian messenger (`max.ru`).
    Max,
    Icq,
    Signal,
}

impl MessengerKind {
    const ALL: [Self; 13] = [
        Self::Whatsapp,
        Self::Viber,
        Self::Telegram,
        Self::Vk,
        Self::Messenger,
        Self::Instagram,
        Self::Ok,
        Self::Skype,
        Self::Sms,
        Self::Facebook,
        Self::Max,
        Self::Icq,
        Self::Signal,
    ];

    /// The name the JSON report uses (`whatsapp`, `vk`, …), as serde writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Whatsapp => "whatsapp",
            Self::Viber => "viber",
            Self::Telegram => "telegram",
            Self::Vk => "vk",
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
            Self::Ok => "ok",
            Self::Skype => "skype",
            Self::Sms => "sms",
            Self::Facebook => "facebook",
            Self::Max => "max",
            Self::Icq => "icq",
            Self::Signal => "signal",
        }
    }

    /// The kind a name stands for, as [`MessengerKind::name`] writes it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

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
            Self::Facebook => "Facebook",
            Self::Max => "MAX",
            Self::Icq => "ICQ",
            Self::Signal => "Signal",
        }
    }
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
    /// An appointment, a table, a visit: the form asks for a date or says «Записаться».
    Booking,
    /// Questions first, contacts last (Marquiz-style lead capture).
    Quiz,
    Other,
}

impl FormPurpose {
    const ALL: [Self; 12] = [
        Self::Contact,
        Self::Callback,
        Self::Order,
        Self::Subscribe,
        Self::Search,
        Self::Login,
        Self::Signup,
        Self::Payment,
        Self::Comment,
        Self::Booking,
        Self::Quiz,
        Self::Other,
    ];

    /// The name the JSON report and the journal use: `contact`, `callback`, …
    pub fn name(self) -> &'static str {
        match self {
            Self::Contact => "contact",
            Self::Callback => "callback",
            Self::Order => "order",
            Self::Subscribe => "subscribe",
            Self::Search => "search",
            Self::Login => "login",
            Self::Signup => "signup",
            Self::Payment => "payment",
            Self::Comment => "comment",
            Self::Booking => "booking",
            Self::Quiz => "quiz",
            Self::Other => "other",
        }
    }

    /// The purpose a name stands for, as [`FormPurpose::name`] writes it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// A form a customer uses to reach the company: it takes their contacts for a person to
    /// answer.
    pub fn reaches_company(self) -> bool {
        matches!(
            self,
            Self::Contact | Self::Callback | Self::Order | Self::Booking | Self::Quiz
        )
    }
}

/// A service that receives a form's data instead of the site's own server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FormBackendRef {
    /// The signature's id: `tilda`, `formspree`, `telegram-bot`, …
    pub id: String,
    pub name: String,
    /// Its script sends the form: only a browser can probe it.
    #[serde(skip)]
    pub by_script: bool,
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
    /// Its `autocomplete` token, lower-cased, when it names what the field takes
    /// (`cc-number`, `tel`, `email`); empty otherwise.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub autocomplete: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceSource {
    Schema,
    AddressElement,
    /// A microformat's `h-adr` / `adr`.
    Microformat,
    Text,
}

/// What a widget is for, as the report groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WidgetKind {
    Chat,
    Callback,
    MultiMessenger,
    Map,
    FormBuilder,
    SocialWidget,
}

impl WidgetKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Chat => "chat",
            Self::Callback => "callback",
            Self::MultiMessenger => "multi-messenger",
            Self::Map => "map",
            Self::FormBuilder => "form-builder",
            Self::SocialWidget => "social-widget",
        }
    }
}

/// The kind of evidence a signature matched on; reported so a user can verify the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    ScriptSrc,
    Inline,
    IframeSrc,
    LinkHref,
    Dom,
    /// Visible wording, e.g. a «Заказать звонок» button.
    Text,
}

/// What chose the country a number written without one is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionSource {
    /// `--region` or `[crawl] region`.
    Setting,
    /// The site's country domain (`.ru`, `.de`, `.рф`).
    Domain,
    /// The country of the page's own international numbers (`tel:+7…` links).
    OwnNumbers,
    /// The `addressCountry` of the page's schema.org postal address.
    Schema,
    /// The towns, states or country the page's text names, among those that speak its
    /// language (`Melbourne` on an `en` page).
    PlaceNames,
    /// The page's language (`<html lang>`, `xml:lang`).
    Language,
}

/// A kind of door a customer may knock on: a row of the channel matrix, and what a finding
/// is about when it concerns one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "name")]
pub enum DoorKind {
    Phone,
    Email,
    Messenger(MessengerKind),
    /// No messenger at all: the row that says so.
    AnyMessenger,
    Form(FormPurpose),
    Widget(WidgetKind),
    Address,
    Hours,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_purpose_is_named_as_serde_names_it_and_read_back() {
        for purpose in FormPurpose::ALL {
            let json = serde_json::to_value(purpose).unwrap();
            assert_eq!(json.as_str(), Some(purpose.name()));
            assert_eq!(FormPurpose::from_name(purpose.name()), Some(purpose));
        }
        assert_eq!(FormPurpose::from_name("made-up"), None);
        for kind in MessengerKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json.as_str(), Some(kind.name()));
            assert_eq!(MessengerKind::from_name(kind.name()), Some(kind));
        }
    }
}
