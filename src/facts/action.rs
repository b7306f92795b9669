//! Is a URL alive? Used for form actions: a form that posts to a dead endpoint loses every
//! enquiry. Asked with HEAD (falling back to GET when HEAD is refused), never with the form's
//! own method: nothing is submitted.

use std::time::Duration;

use url::Url;

use crate::types::facts::UrlCheck;

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
