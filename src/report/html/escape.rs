//! Everything in a report comes from somebody's web site: text is escaped for HTML, and only
//! `http(s)` addresses ever become links.

use std::fmt::Write as _;

/// Text made inert in HTML content and in quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(' '),
            // Control characters have no business in a report and some break parsers.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escaped text, cut to `max` characters.
pub fn esc_cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return esc(text);
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    esc(&cut) + "…"
}

/// The address as a link target, when it is an absolute `http` or `https` URL. Anything else
/// (`javascript:`, `data:`, `tel:`, relative paths, garbage) is shown as text, never linked.
pub fn safe_href(address: &str) -> Option<String> {
    let url = url::Url::parse(address.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| esc(url.as_str()))
}

/// A link to a page of the site when the address is safe to link, else the address as text.
pub fn link(out: &mut String, address: &str, max_chars: usize) {
    match safe_href(address) {
        Some(href) => {
            let _ = write!(
                out,
                r#"<a href="{href}" rel="noopener noreferrer nofollow">{}</a>"#,
                esc_cut(&crate::report::iri::readable(address), max_chars)
            );
        }
        None => out.push_str(&esc_cut(&crate::report::iri::readable(address), max_chars)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_become_text() {
        let hostile = r#"<script>alert("x")</script>' onmouseover='y"#;
        let safe = esc(hostile);
        assert!(!safe.contains('<') && !safe.contains('"') && !safe.contains('\''));
        assert_eq!(esc("a & b"), "a &amp; b");
        assert_eq!(esc_cut("абвгд", 3), "аб…");
    }

    #[test]
    fn only_web_addresses_are_linked() {
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href(" JavaScript:alert(1)").is_none());
        assert!(safe_href("data:text/html,<script>x</script>").is_none());
        assert!(safe_href("/relative").is_none());
        assert!(safe_href("tel:+74950000000").is_none());
        assert_eq!(
            safe_href(r#"https://shop.example.com/a"b"#).as_deref(),
            Some("https://shop.example.com/a%22b")
        );
        let mut out = String::new();
        link(&mut out, "javascript:alert(1)", 80);
        assert_eq!(out, "javascript:alert(1)");
    }
}
