//! Is a URL alive? Used for form actions: a form that posts to a dead endpoint loses every
//! enquiry. Asked with HEAD (falling back to GET when HEAD is refused), never with the form's
//! own method: nothing is submitted.

use std::time::Duration;

use url::Url;

use crate::types::facts::UrlCheck;

/// The resolver could not be asked (no network here, a resolver down): unlike "no such name",
/// this says nothing about the form's address.
fn lookup_failed_here(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    lower.contains("dns error")
        && (lower.contains("temporary failure in name resolution")
            || lower.contains("try again")
            || lower.contains("timed out"))
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
        Ok(r) => UrlCheck::of_action(r.status().as_u16(), url),
        Err(e) => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(inner) = source {
                message = format!("{message}: {inner}");
                source = inner.source();
            }
            // Our guard's refusal says nothing of the form either.
            if lookup_failed_here(&message) || message.contains(crate::crawl::guard::REFUSED) {
                UrlCheck::not_checked(message)
            } else {
                UrlCheck::unreachable(message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_404_proves_a_file_gone_but_not_a_route_and_a_resolver_down_proves_nothing() {
        let url = |path: &str| Url::parse(&format!("https://shop.example.com{path}")).unwrap();
        let route = UrlCheck::of_action(404, &url("/api/lead"));
        assert!(!route.alive && route.unverified);
        let script = UrlCheck::of_action(404, &url("/old/send.php"));
        assert!(!script.alive && !script.unverified);
        assert!(!UrlCheck::of_action(502, &url("/api/lead")).unverified);
        assert!(UrlCheck::of_action(405, &url("/api/lead")).alive);
        assert!(lookup_failed_here(
            "error sending request: client error (Connect): dns error: failed to lookup address information: Temporary failure in name resolution"
        ));
        assert!(!lookup_failed_here(
            "error sending request: client error (Connect): dns error: failed to lookup address information: Name or service not known"
        ));
        assert!(!lookup_failed_here(
            "tcp connect error: Connection refused (os error 111)"
        ));
    }
}
