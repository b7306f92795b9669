//! Bytes to text. The HTML standard's order: a byte-order mark wins, then the HTTP charset,
//! then `<meta charset>` / `http-equiv` in the first kilobytes, then detection from the bytes
//! (chardetng, the detector Firefox uses) — so windows-1251 and koi8-r pages with no
//! declaration at all still come out as Russian.

use std::sync::LazyLock;

use encoding_rs::Encoding;
use regex::bytes::Regex;

use crate::types::crawl::EncodingSource;

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)"#).expect("valid regex")
});

/// How far into the page we look for `<meta charset>`; the standard says 1024 bytes, real
/// pages put a long `<head>` before it.
const PRESCAN: usize = 8 * 1024;

fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// Decodes a page; returns the text, the encoding's name and how it was chosen. A UTF-8
/// page (most of the web) becomes its text without a copy.
pub fn decode(
    body: Vec<u8>,
    content_type: Option<&str>,
    tld: Option<&[u8]>,
) -> (String, &'static str, EncodingSource) {
    let (encoding, source, skip) = if let Some((encoding, bom_len)) = Encoding::for_bom(&body) {
        (encoding, EncodingSource::Bom, bom_len)
    } else if let Some(encoding) = content_type
        .and_then(charset_param)
        .and_then(|c| Encoding::for_label(c.as_bytes()))
    {
        (encoding, EncodingSource::Http, 0)
    } else if let Some(encoding) = META_CHARSET
        .captures(&body[..body.len().min(PRESCAN)])
        .and_then(|c| Encoding::for_label(&c[1]))
    {
        (encoding, EncodingSource::Meta, 0)
    } else {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(&body[..body.len().min(64 * 1024)], body.len() <= 64 * 1024);
        (detector.guess(tld, true), EncodingSource::Detected, 0)
    };
    // A page declared as UTF-16 in a meta tag is ASCII-compatible by then; the standard
    // says to read it as UTF-8.
    let encoding = if source == EncodingSource::Meta
        && (encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE)
    {
        encoding_rs::UTF_8
    } else {
        encoding
    };
    let valid_utf8 =
        encoding == encoding_rs::UTF_8 && skip == 0 && simdutf8::basic::from_utf8(&body).is_ok();
    let text = if valid_utf8 {
        // SAFETY: validated as UTF-8 just above. The standard library's check goes a byte at
        // a time through Cyrillic text and was 4% of a crawl's CPU; simdutf8's is SIMD.
        unsafe { String::from_utf8_unchecked(body) }
    } else {
        let (text, _) = encoding.decode_without_bom_handling(&body[skip..]);
        text.into_owned()
    };
    (text, encoding.name(), source)
}

/// Whether a response is a page we should read: by its Content-Type, or, when that is
/// missing or generic, by the first bytes.
pub fn is_html(content_type: Option<&str>, head: &[u8]) -> bool {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    match mime.as_deref() {
        Some("text/html" | "application/xhtml+xml") => true,
        None | Some("" | "application/octet-stream" | "text/plain" | "binary/octet-stream") => {
            sniff_html(head)
        }
        _ => false,
    }
}

fn sniff_html(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..head.len().min(start + 512)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<!--",
        b"<title",
        b"<div",
        b"<p",
    ]
    .iter()
    .any(|tag| lower.starts_with(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUSSIAN: &str =
        "<p>Свяжитесь с нами: телефон и электронная почта, отдел продаж, обратная связь.</p>";

    #[test]
    fn windows_1251_without_any_declaration_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
        let (text, name, source) = decode(bytes.to_vec(), Some("text/html"), None);
        assert_eq!(text, RUSSIAN);
        assert_eq!(name, "windows-1251");
        assert_eq!(source, EncodingSource::Detected);
    }

    #[test]
    fn utf8_pages_are_taken_as_they_are_and_broken_bytes_are_replaced() {
        let page = format!("<meta charset=\"utf-8\">{RUSSIAN}");
        let (text, name, _) = decode(page.clone().into_bytes(), None, None);
        assert_eq!((text.as_str(), name), (page.as_str(), "UTF-8"));
        let mut broken = page.clone().into_bytes();
        broken.extend_from_slice(b"\xD0 \xFF end");
        let (text, _, _) = decode(broken, Some("text/html; charset=utf-8"), None);
        assert_eq!(text, format!("{page}\u{FFFD} \u{FFFD} end"));
    }

    #[test]
    fn koi8_r_from_meta_and_from_http() {
        let page = format!("<meta charset=\"koi8-r\">{RUSSIAN}");
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(&page);
        assert_eq!(decode(bytes.to_vec(), None, None).0, page);
        let (text, _, source) = decode(bytes.to_vec(), Some("text/html; charset=KOI8-R"), None);
        assert_eq!((text, source), (page, EncodingSource::Http));
    }

    #[test]
    fn bom_wins_over_a_wrong_header() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(RUSSIAN.as_bytes());
        let (text, _, source) = decode(
            bytes.to_vec(),
            Some("text/html; charset=windows-1251"),
            None,
        );
        assert_eq!((text.as_str(), source), (RUSSIAN, EncodingSource::Bom));
    }

    #[test]
    fn html_is_told_from_other_content() {
        assert!(is_html(Some("text/html; charset=utf-8"), b""));
        assert!(is_html(None, b"  <!DOCTYPE html><html>"));
        assert!(!is_html(Some("application/pdf"), b"<html>"));
        assert!(!is_html(None, b"%PDF-1.4"));
    }
}
