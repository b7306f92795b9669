//! Is a URL alive? Used for form actions: a form that posts to a dead endpoint loses every
//! enquiry. Asked with HEAD (falling back to GET when HEAD is refused), never with the form's
//! own method: nothing is submitted.

use std::time::Duration;

use serde::Serialize;
use url::Url;

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
}

impl UrlCheck {
    pub fn from_status(status: u16) -> Self {
        Self {
            status: Some(status),
            error: None,
            alive: status < 500 && status != 404 && status != 410,
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
        }
    }
}

/// Asks `url` whether it is there.
pub async fn check(client: &reqwest::Client, url: &Url, timeout: Duration) -> UrlCheck {
    let head = client.head(url.clone()).timeout(timeout).send().await;
    let refused_head = match &head {
        Ok(r) => matches!(r.status().as_u16(), 405 | 501),
        Err(_) => false,
    };
    let response = if refused_head {
        client.get(url.clone()).timeout(timeout).send().await
    } else {
        head
    };
    match response {
        Ok(r) => UrlCheck::from_status(r.status().as_u16()),
        Err(e) => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(inner) = source {
                message = format!("{message}: {inner}");
                source = inner.source();
            }
            UrlCheck::unreachable(message)
        }
    }
}
