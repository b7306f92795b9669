//! URL normalisation, so each page is fetched once however it is linked.
//!
//! The `url` crate already lower-cases the host, converts IDN hosts to punycode and drops
//! default ports; here we drop fragments and tracking parameters and make percent-escapes
//! canonical (`%7e` → `~`, `%d0%ba` → `%D0%BA`).

use std::borrow::Cow;

use url::Url;

/// Query parameters that only tell analytics where a visitor came from.
fn is_tracking(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_")
        || matches!(
            key.as_str(),
            "gclid" | "yclid" | "fbclid" | "dclid" | "msclkid" | "_openstat" | "ysclid" | "from"
        )
}

/// Decodes escapes of unreserved characters and upper-cases the rest (RFC 3986 §6.2.2.2).
/// A part without escapes is already canonical and is not copied.
fn canonical_escapes(part: &str) -> Cow<'_, str> {
    if !part.contains('%') {
        return Cow::Borrowed(part);
    }
    let bytes = part.as_bytes();
    let mut out = String::with_capacity(part.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (
                (bytes[i + 1] as char).to_digit(16),
                (bytes[i + 2] as char).to_digit(16),
            )
        {
            let byte = u8::try_from(hi * 16 + lo).expect("two hex digits fit a byte");
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                out.push(byte as char);
            } else {
                out.push('%');
                out.push_str(&format!("{byte:02X}"));
            }
            i += 3;
            continue;
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    Cow::Owned(out)
}

/// The canonical form of a page URL, or `None` for what is not a web page.
///
/// Every part is rewritten only when it differs from its canonical form: each `Url` setter
/// re-serialises the address, and the crawl loop normalises every link of every page on its
/// one thread, most of them already canonical.
pub fn normalize(mut url: Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    if url.fragment().is_some() {
        url.set_fragment(None);
    }
    if !url.username().is_empty() {
        let _ = url.set_username("");
    }
    if url.password().is_some() {
        let _ = url.set_password(None);
    }
    if url.query().is_some() {
        drop_tracking_parameters(&mut url);
    }
    if let Cow::Owned(path) = canonical_escapes(url.path())
        && path != url.path()
    {
        url.set_path(&path);
    }
    if let Some(Cow::Owned(query)) = url.query().map(canonical_escapes)
        && Some(query.as_str()) != url.query()
    {
        url.set_query(Some(&query));
    }
    Some(url)
}

/// Removes the campaign tags (`utm_*`, `gclid`, ...) that make one page look like many; the query
/// goes altogether when nothing else is left in it.
fn drop_tracking_parameters(url: &mut Url) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else if kept.len() != url.query_pairs().count() {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// Why a typed address cannot start an audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// Another scheme than http(s): `ftp://`, `file://`, `mailto:`, `javascript:`.
    NotWeb(String),
    Unreadable(url::ParseError),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotWeb(scheme) => write!(
                f,
                "doorbell audits web sites: give an http(s) URL, not a {scheme}: address"
            ),
            Self::Unreadable(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// The scheme a typed address starts with, if any: `mailto` in `mailto:a@b`, but none in
/// `localhost:8080` (a host and its port).
fn typed_scheme(input: &str) -> Option<&str> {
    let (scheme, rest) = input.split_once(':')?;
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let is_port = rest.starts_with(|c: char| c.is_ascii_digit());
    (is_scheme && (!is_port || rest.starts_with("//"))).then_some(scheme)
}

/// Parses and normalises a URL typed by a user: `example.com` and `example.com:8443` mean
/// `https://…/`.
///
/// # Errors
/// Another scheme than http(s), or an address the URL parser cannot read.
pub fn parse_start(input: &str) -> Result<Url, StartError> {
    let input = input.trim();
    let with_scheme = match typed_scheme(input) {
        Some(scheme)
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            input.to_string()
        }
        Some(scheme) => return Err(StartError::NotWeb(scheme.to_ascii_lowercase())),
        None => format!("https://{input}"),
    };
    let url = Url::parse(&with_scheme).map_err(StartError::Unreadable)?;
    normalize(url).ok_or(StartError::Unreadable(url::ParseError::EmptyHost))
}

/// Whether the user left the scheme out (then https was assumed).
pub fn scheme_assumed(input: &str) -> bool {
    typed_scheme(input.trim()).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(Url::parse(s).unwrap()).unwrap().to_string()
    }

    #[test]
    fn the_same_page_written_many_ways_is_one_url() {
        let canonical = "https://example.com/contacts?id=5";
        for variant in [
            "https://EXAMPLE.com:443/contacts?id=5#map",
            "https://example.com/contacts?utm_source=x&id=5&gclid=abc",
            "https://example.com/contacts?id=5&yclid=1&fbclid=2",
            "https://example.com/%63ontacts?id=5",
        ] {
            assert_eq!(norm(variant), canonical, "{variant}");
        }
        assert_eq!(
            norm("https://example.com/a%2fb"),
            "https://example.com/a%2Fb"
        );
    }

    /// The old normalisation, every part rewritten whether or not it changes: the one that
    /// skips the unchanged parts must give the same URL for every kind of link.
    fn rewrite_every_part(url: &Url) -> Url {
        let mut url = url.clone();
        url.set_fragment(None);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        drop_tracking_parameters(&mut url);
        let path = canonical_escapes(url.path()).into_owned();
        url.set_path(&path);
        if let Some(query) = url.query().map(|q| canonical_escapes(q).into_owned()) {
            url.set_query(Some(&query));
        }
        url
    }

    #[test]
    fn rewriting_only_what_changes_gives_the_same_url() {
        for link in [
            "https://example.com/",
            "https://example.com/catalog/s01/p000123.html",
            "https://example.com/a/b/?",
            "https://example.com/a?#",
            "https://example.com/a#top",
            "https://user:secret@example.com/a",
            "https://user@example.com/a",
            "https://:secret@example.com/a",
            "https://example.com/a?utm_source=x",
            "https://example.com/a?utm_source=x&id=5",
            "https://example.com/a?id=5&page=2",
            "https://example.com/a?q=%d0%ba%7e&x=a+b",
            "https://example.com/%63ontacts/%7euser/%d0%ba",
            "https://example.com/a/%2e%2e/b",
            "https://example.com/a%zz/b%",
            "https://example.com/a b/c\"d",
            "http://пример.рф/контакты?город=москва#карта",
            "http://127.0.0.1:8089/catalog/s00/p000440.html",
        ] {
            let url = Url::parse(link).unwrap();
            assert_eq!(
                normalize(url.clone()).unwrap(),
                rewrite_every_part(&url),
                "{link}"
            );
        }
    }

    #[test]
    fn idn_and_cyrillic_paths_become_ascii() {
        assert_eq!(
            norm("http://пример.рф/контакты"),
            "http://xn--e1afmkfd.xn--p1ai/%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B"
        );
        assert_eq!(
            parse_start("пример.рф").unwrap().as_str(),
            "https://xn--e1afmkfd.xn--p1ai/"
        );
    }

    #[test]
    fn only_web_addresses_start_an_audit() {
        assert_eq!(
            parse_start("127.0.0.1:8080").unwrap().as_str(),
            "https://127.0.0.1:8080/"
        );
        assert_eq!(
            parse_start("localhost:8080/shop").unwrap().as_str(),
            "https://localhost:8080/shop"
        );
        assert!(scheme_assumed("localhost:8080") && !scheme_assumed("http://localhost"));
        for (input, scheme) in [
            ("ftp://example.com/", "ftp"),
            ("file:///etc/passwd", "file"),
            ("mailto:info@example.com", "mailto"),
            ("javascript:alert(1)", "javascript"),
        ] {
            let error = parse_start(input).unwrap_err();
            assert_eq!(error, StartError::NotWeb(scheme.into()), "{input}");
            assert!(error.to_string().contains("give an http(s) URL"));
        }
    }
}
