//! What doorbell learnt about the world beyond the pages (does a form's action answer, does an
//! e-mail domain take mail): the facts stage asks, the inventory keeps it, rules and reports
//! read it.

use serde::Serialize;

/// What asking a URL showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlCheck {
    /// The HTTP status, when the server answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why there was no answer (DNS, connection, TLS, timeout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Whether something there would take a submission: it answered, and not with
    /// "not found", "gone" or a server error. 401, 403, 405 and 422 are alive: POST-only
    /// endpoints say so to a HEAD or GET.
    pub alive: bool,
    /// The answer proves nothing either way: a 404 from a route with no file name (POST-only
    /// routes in Express, Rails or Django answer GET and HEAD so), or no answer because the
    /// name could not be looked up here (no network, the resolver down). Only a probe tells.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
}

/// File endings whose 404 means the script itself is gone.
const SCRIPT_ENDINGS: [&str; 9] = [
    ".php", ".html", ".htm", ".asp", ".aspx", ".cgi", ".pl", ".jsp", ".py",
];

impl UrlCheck {
    pub fn from_status(status: u16) -> Self {
        Self {
            status: Some(status),
            error: None,
            alive: status < 500 && status != 404 && status != 410,
            unverified: false,
        }
    }

    /// A form action's answer to HEAD or GET: a 404 is conclusive only for a file (`send.php`)
    /// — a route may exist for POST alone.
    pub fn of_action(status: u16, url: &url::Url) -> Self {
        let path = url.path().to_ascii_lowercase();
        let a_file = SCRIPT_ENDINGS.iter().any(|e| path.ends_with(e));
        Self {
            unverified: status == 404 && !a_file,
            ..Self::from_status(status)
        }
    }
}

impl UrlCheck {
    /// No answer at all.
    pub fn unreachable(error: impl Into<String>) -> Self {
        Self {
            status: None,
            error: Some(error.into()),
            alive: false,
            unverified: false,
        }
    }

    /// Not asked at all: the name could not be looked up from here.
    pub fn not_checked(error: impl Into<String>) -> Self {
        Self {
            unverified: true,
            ..Self::unreachable(error)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailStatus {
    AcceptsMail,
    NoMail,
    /// DNS did not answer (or was not asked): nothing is known.
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct MailDomain {
    pub domain: String,
    pub status: MailStatus,
    /// MX hosts, best first.
    pub mx: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The domain of an address, lower-cased and as punycode (`почта@пример.рф` → `xn--e1afmkfd.xn--p1ai`).
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.rsplit_once('@')?;
    let url = url::Url::parse(&format!("http://{domain}/")).ok()?;
    url.host_str().map(str::to_string)
}
