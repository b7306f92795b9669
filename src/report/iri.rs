//! Addresses as people read them: `https://пример.рф/контакты/` rather than
//! `https://xn--e1afmkfd.xn--p1ai/%D0%BA%D0%BE%D0%BD…/`. Only for showing — the JSON keeps the
//! encoded form — and never lossy: an escape that stands for ASCII (`%2F`, `%20`, `%3F`) stays
//! as written, since decoding it would show another address.

use std::borrow::Cow;

/// `address` with its host in Unicode and its escaped non-ASCII characters decoded; unchanged
/// when it is no URL or its escapes are not UTF-8.
pub fn readable(address: &str) -> Cow<'_, str> {
    if !address.contains('%') && !address.contains("xn--") {
        return Cow::Borrowed(address);
    }
    let Some((scheme, rest)) = address.split_once("://") else {
        return Cow::Owned(decode_non_ascii(address).unwrap_or_else(|| address.to_string()));
    };
    let (authority, tail) = rest
        .find(['/', '?', '#'])
        .map_or((rest, ""), |at| rest.split_at(at));
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let (userinfo, host_port) = authority.split_at(host_start);
    let (host, port) = match host_port.rfind(':') {
        Some(at) if !host_port.ends_with(']') => host_port.split_at(at),
        _ => (host_port, ""),
    };
    let host = readable_host(host);
    let tail = decode_non_ascii(tail).unwrap_or_else(|| tail.to_string());
    Cow::Owned(format!("{scheme}://{userinfo}{host}{port}{tail}"))
}

/// A host name in Unicode (`пример.рф` for `xn--e1afmkfd.xn--p1ai`).
pub fn readable_host(host: &str) -> String {
    if !host.contains("xn--") {
        return host.to_string();
    }
    match idna::domain_to_unicode(host) {
        (unicode, Ok(())) => unicode,
        _ => host.to_string(),
    }
}

/// Decodes the escapes of bytes above ASCII; `None` when they do not make UTF-8.
fn decode_non_ascii(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(value) = bytes
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            && value >= 0x80
        {
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    // A decoded control or invisible character would hide what the address is.
    (!decoded.chars().any(|c| c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')))
        .then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_paths_and_hosts_read_as_written() {
        assert_eq!(
            readable(
                "https://xn--e1afmkfd.xn--p1ai/%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B/"
            ),
            "https://пример.рф/контакты/"
        );
        assert_eq!(
            readable("http://127.0.0.1:8080/%D0%BF%D1%80%D0%B0%D0%B9%D1%81?q=%D0%B0%20b"),
            "http://127.0.0.1:8080/прайс?q=а%20b"
        );
        // Escapes of ASCII stay: decoding them would show another address.
        assert_eq!(
            readable("https://example.com/a%2Fb%3F"),
            "https://example.com/a%2Fb%3F"
        );
        // Not UTF-8 (windows-1251 bytes): left as written.
        assert_eq!(
            readable("https://example.com/%CF%F0"),
            "https://example.com/%CF%F0"
        );
        // A right-to-left override would disguise the address.
        assert_eq!(
            readable("https://example.com/%E2%80%AEtxt"),
            "https://example.com/%E2%80%AEtxt"
        );
        assert_eq!(
            readable("https://example.com/plain"),
            "https://example.com/plain"
        );
    }
}
