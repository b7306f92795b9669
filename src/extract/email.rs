//! E-mail addresses: `mailto:` links (parsed, malformed ones kept and flagged), addresses in
//! text, the usual disguises, and images that probably show an address as a picture.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::dom::{Anchor, Digest, TextBlock};
use super::types::{EmailImage, EmailSighting, Mailto};
use crate::rulebook::Phrases;
use crate::rulebook::phrases::contains_any;
use crate::types::contact::Source;

static PLAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,24}")
        .expect("valid regex")
});

/// `name [at] site [dot] ru`, `name(собака)site.ru`, `name at site dot ru`.
static DISGUISED: LazyLock<Regex> = LazyLock::new(|| {
    let at = r"(?:\s*[\[\(\{<]\s*(?:at|собака|собачка)\s*[\]\)\}>]\s*|\s+(?:at|собака)\s+)";
    let dot = r"(?:\s*[\[\(\{<]\s*(?:dot|точка)\s*[\]\)\}>]\s*|\s+(?:dot|точка)\s+|\.)";
    Regex::new(&format!(
        r"(?i)([a-z0-9._%+-]+){at}([a-z0-9-]+(?:{dot}[a-z0-9-]+)*{dot}[a-z]{{2,24}})\b"
    ))
    .expect("valid regex")
});

static DOT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\[\(\{<]\s*(?:dot|точка)\s*[\]\)\}>]\s*|\s+(?:dot|точка)\s+")
        .expect("valid regex")
});

/// Whether a string is an address we can take seriously.
pub fn is_address(text: &str) -> bool {
    PLAIN
        .find(text)
        .is_some_and(|m| m.start() == 0 && m.end() == text.len())
}

fn trim_address(raw: &str) -> String {
    raw.trim_matches(|c: char| c == '.' || c == '-')
        .to_lowercase()
}

/// Recipients read from one link (to, cc and bcc each): a real link names a few; a hostile
/// one names thousands, and each would become a sighting carrying the whole link.
pub const MAX_RECIPIENTS: usize = 20;
/// Invalid recipients named one by one among a link's problems.
const MAX_NAMED_PROBLEMS: usize = 3;
/// The link as kept in the inventory and shown as evidence, in bytes.
const MAX_HREF: usize = 2048;

/// Addresses from a comma list, at most `room` of them; whether any were left out.
fn recipients(list: &str, into: &mut Vec<String>, room: usize) -> bool {
    let mut parts = list
        .split([',', ';'])
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty());
    into.extend(parts.by_ref().take(room.saturating_sub(into.len())));
    parts.next().is_some()
}

/// Reads a `mailto:` link: recipients, subject, cc, body, and what is wrong with it.
pub fn parse_mailto(href: &str) -> (Vec<String>, Mailto) {
    let mut problems = Vec::new();
    let mut rest = &href[7..];
    // `mailto:mailto:x@y`: a CMS field that already had the scheme.
    while rest.len() >= 7 && rest[..7].eq_ignore_ascii_case("mailto:") {
        rest = &rest[7..];
        if !problems.iter().any(|p| p == "repeated-scheme") {
            problems.push("repeated-scheme".to_string());
        }
    }
    let (to_part, query) = match rest.split_once('?') {
        Some((to, query)) => (to, Some(query)),
        None => (rest, None),
    };
    if to_part.ends_with(char::is_whitespace) && query.is_some() {
        problems.push("space-before-query".to_string());
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut addresses: Vec<String> = Vec::new();
    let mut too_many = recipients(&decode(to_part), &mut addresses, MAX_RECIPIENTS);
    let kept_href = if href.len() > MAX_HREF {
        let cut = crate::text::floor_char_boundary(href, MAX_HREF);
        format!("{}…", &href[..cut])
    } else {
        href.to_string()
    };
    let mut mailto = Mailto {
        href: kept_href,
        subject: None,
        cc: Vec::new(),
        bcc: Vec::new(),
        body: None,
        problems: Vec::new(),
    };
    if let Some(query) = query {
        if query.contains(' ') {
            problems.push("unencoded-space".to_string());
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // `+` is not a space in mailto: (RFC 6068), so plain percent-decoding.
            let value = decode(value);
            match key.trim().to_ascii_lowercase().as_str() {
                "subject" => mailto.subject = Some(value),
                "body" => mailto.body = Some(value),
                "cc" => too_many |= recipients(&value, &mut mailto.cc, MAX_RECIPIENTS),
                "bcc" => too_many |= recipients(&value, &mut mailto.bcc, MAX_RECIPIENTS),
                "to" => too_many |= recipients(&value, &mut addresses, MAX_RECIPIENTS),
                other => {
                    if problems
                        .iter()
                        .filter(|p| p.starts_with("unknown-field:"))
                        .count()
                        < MAX_NAMED_PROBLEMS
                    {
                        let shown: String = other.chars().take(40).collect();
                        problems.push(format!("unknown-field:{shown}"));
                    }
                }
            }
        }
    }
    if addresses.is_empty() {
        problems.push("no-address".to_string());
    }
    if too_many {
        problems.push("too-many-recipients".to_string());
    }
    let invalid: Vec<&String> = addresses.iter().filter(|a| !is_address(a)).collect();
    for address in invalid.iter().take(MAX_NAMED_PROBLEMS) {
        let shown: String = address.chars().take(80).collect();
        problems.push(format!("invalid-address:{shown}"));
    }
    if invalid.len() > MAX_NAMED_PROBLEMS {
        problems.push(format!(
            "invalid-address:+{} more",
            invalid.len() - MAX_NAMED_PROBLEMS
        ));
    }
    mailto.problems = problems;
    (addresses, mailto)
}

fn in_mailto(block: &TextBlock, anchors: &[Anchor], start: usize, end: usize) -> bool {
    block.anchor_spans.iter().any(|(span, index)| {
        span.start <= start
            && end <= span.end
            && anchors[*index]
                .href
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    })
}

/// Addresses written in a block of text, plain or disguised. Those inside `mailto:` links
/// are left to the link.
pub fn from_block(
    block: &TextBlock,
    anchors: &[Anchor],
    third_party_at: &dyn Fn(usize) -> Option<String>,
) -> Vec<EmailSighting> {
    let text = &block.text;
    let mut found = Vec::new();
    let has_at = memchr::memchr(b'@', text.as_bytes()).is_some();
    if has_at {
        for m in PLAIN.find_iter(text) {
            if in_mailto(block, anchors, m.start(), m.end()) {
                continue;
            }
            let address = trim_address(m.as_str());
            if is_placeholder(&address) {
                continue;
            }
            found.push(EmailSighting {
                address,
                source: Source::Text,
                clickable: false,
                mailto: None,
                sends_to: None,
                region: block.region,
                third_party: third_party_at(m.start()),
            });
        }
    }
    if super::disguise::may_be_disguised(text, block.cues) {
        for caps in DISGUISED.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            if has_at && whole.as_str().contains('@') {
                continue;
            }
            // «look at example.com» is English, not an address: a bare-word `at` counts only
            // when the dots are spelled out too.
            let bracketed = whole.as_str().contains(['[', '(', '{', '<']);
            if !bracketed && !DOT_WORD.is_match(&caps[2]) {
                continue;
            }
            let domain = DOT_WORD.replace_all(&caps[2], ".");
            let address = format!("{}@{}", &caps[1], domain.replace(' ', ""));
            if is_address(&address) {
                found.push(EmailSighting {
                    address: trim_address(&address),
                    source: Source::Obfuscated,
                    clickable: false,
                    mailto: None,
                    sends_to: None,
                    region: block.region,
                    third_party: third_party_at(whole.start()),
                });
            }
        }
    }
    found
}

/// A `mailto:` link, one sighting per recipient (a broken link with no readable address
/// still yields one sighting so the problem is reported).
pub fn from_mailto(anchor: &Anchor) -> Vec<EmailSighting> {
    if anchor.text.trim().is_empty() && anchor.hint.trim().is_empty() {
        // Nothing to see and nothing to click: a link left empty by a template is no door.
        return Vec::new();
    }
    let (addresses, mailto) = parse_mailto(&anchor.href);
    if !addresses.iter().any(|a| is_address(a)) {
        // `<a href="mailto:#">info@shop.example</a>`: the address the visitor sees, which the
        // link does not send to.
        let shown: Vec<EmailSighting> = PLAIN
            .find_iter(&anchor.text)
            .map(|m| EmailSighting {
                address: trim_address(m.as_str()),
                source: Source::Text,
                clickable: false,
                mailto: Some(mailto.clone()),
                sends_to: None,
                region: anchor.region,
                third_party: None,
            })
            .collect();
        if !shown.is_empty() {
            return shown;
        }
    }
    let mut found: Vec<EmailSighting> = Vec::new();
    if let Some(sends_to) = addresses.iter().find(|a| is_address(a)) {
        // `<a href="mailto:old@…">info@…</a>`: the visitor writes to the address they read,
        // and their mail goes to another.
        found.extend(
            PLAIN
                .find_iter(&anchor.text)
                .map(|m| trim_address(m.as_str()))
                .filter(|shown| !addresses.contains(shown))
                .map(|shown| EmailSighting {
                    address: shown,
                    source: Source::Link,
                    clickable: true,
                    mailto: Some(mailto.clone()),
                    sends_to: Some(sends_to.clone()),
                    region: anchor.region,
                    third_party: None,
                }),
        );
    }
    if addresses.is_empty() {
        return vec![EmailSighting {
            address: String::new(),
            source: Source::Link,
            clickable: false,
            mailto: Some(mailto),
            sends_to: None,
            region: anchor.region,
            third_party: None,
        }];
    }
    found.extend(addresses.into_iter().map(|address| EmailSighting {
        clickable: is_address(&address),
        address,
        source: Source::Link,
        mailto: Some(mailto.clone()),
        sends_to: None,
        region: anchor.region,
        third_party: None,
    }));
    found
}

/// Joomla's e-mail cloak: the address is put together by a script from pieces in HTML
/// entities (`var addy72000 = 'r.m&#97;…' + '&#64;'; addy72000 = addy72000 + 'y&#97;…';`) and
/// written into the page as a `mailto:` link. Read here from the page's inline scripts
/// (lower-cased) as the script would assemble it.
pub fn from_joomla_cloak(inline_scripts: &str) -> Vec<EmailSighting> {
    static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
        // Quoted pieces may hold `;` (`&#64;`): a statement ends at a `;` outside quotes.
        Regex::new(r#"(?:var\s+)?\b(addy[0-9a-f]*)\s*=\s*((?:'[^'\n]*'|"[^"\n]*"|[^;'"\n])+);"#)
            .expect("valid pattern")
    });
    if !inline_scripts.contains("addy") {
        return Vec::new();
    }
    let mut values: Vec<(&str, String)> = Vec::new();
    for caps in ASSIGNMENT.captures_iter(inline_scripts).take(64) {
        let name = caps.get(1).map_or("", |m| m.as_str());
        let mut value = String::new();
        for part in caps[2].split('+').map(str::trim) {
            if let Some(literal) = part
                .strip_prefix('\'')
                .and_then(|p| p.strip_suffix('\''))
                .or_else(|| part.strip_prefix('"').and_then(|p| p.strip_suffix('"')))
            {
                value.push_str(literal);
            } else if part == name {
                let earlier = values.iter().rev().find(|(n, _)| *n == name);
                value.push_str(earlier.map_or("", |(_, v)| v.as_str()));
            }
        }
        values.push((name, value));
    }
    let mut found: Vec<EmailSighting> = Vec::new();
    for (index, (name, value)) in values.iter().enumerate() {
        // Each variable's last value is the address the script writes.
        if values[index + 1..].iter().any(|(later, _)| later == name) {
            continue;
        }
        let address = decode_numeric_entities(value);
        if is_address(&address) && !found.iter().any(|f| f.address == address) {
            found.push(EmailSighting {
                address,
                source: Source::Obfuscated,
                clickable: true,
                mailto: None,
                sends_to: None,
                region: crate::types::contact::PageRegion::Body,
                third_party: None,
            });
        }
    }
    found
}

/// `&#64;` and `&#x40;` as the characters they stand for; anything else as written.
fn decode_numeric_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let decoded = after.split_once(';').and_then(|(code, tail)| {
            let value = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            Some((char::from_u32(value)?, tail))
        });
        match decoded {
            Some((c, tail)) => {
                out.push(c);
                rest = tail;
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Cloudflare's e-mail obfuscation: `/cdn-cgi/l/email-protection#<hex>` or `data-cfemail`,
/// the first byte a key XORed into the rest. Decoded here as the page's script decodes it.
pub fn from_cloudflare(anchor: &Anchor) -> Option<EmailSighting> {
    let (_, fragment) = anchor.href.split_once("/cdn-cgi/l/email-protection")?;
    let encoded = Some(fragment.trim_start_matches('#').to_string())
        .filter(|hex| !hex.is_empty())
        .or_else(|| cf_hex_in_hint(&anchor.hint))?;
    let address = decode_cloudflare(&encoded)?;
    if !is_address(&address) {
        return None;
    }
    Some(EmailSighting {
        address,
        source: Source::Link,
        clickable: true,
        mailto: None,
        sends_to: None,
        region: anchor.region,
        third_party: None,
    })
}

/// The hint keeps attribute values, not names: a long even run of hex digits in a link to
/// Cloudflare's e-mail protection is the encoded address.
fn cf_hex_in_hint(hint: &str) -> Option<String> {
    hint.split_whitespace()
        .find(|w| w.len() >= 12 && w.len() % 2 == 0 && w.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
}

fn decode_cloudflare(hex: &str) -> Option<String> {
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    let (key, rest) = bytes.split_first()?;
    let decoded: Vec<u8> = rest.iter().map(|b| b ^ key).collect();
    let text = String::from_utf8(decoded).ok()?;
    Some(trim_address(&text))
}

/// Addresses a template leaves for the owner to replace: `info@mysite.ru`,
/// `youremail@youremail.ru`.
fn is_placeholder(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let first_label = domain.split('.').next().unwrap_or_default();
    matches!(
        first_label,
        "mysite"
            | "yoursite"
            | "yourdomain"
            | "youremail"
            | "yourcompany"
            | "yourmail"
            | "site"
            | "domain"
    ) || matches!(local, "youremail" | "your-email" | "yourname")
}

/// Images that probably show an address: their alt, title or file name says mail, and the
/// text block they stand in offers no address to copy.
pub fn images(digest: &Digest, page: &Url, phrases: &Phrases) -> Vec<EmailImage> {
    let mut found = Vec::new();
    for image in &digest.images {
        if image.in_anchor {
            continue;
        }
        let file = image
            .src
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let described = format!(
            "{} {} {}",
            image.alt.to_lowercase(),
            image.title.to_lowercase(),
            file
        );
        if !contains_any(&described, &phrases.email_image_words) {
            continue;
        }
        let nearby_has_address = digest
            .blocks
            .get(image.block)
            .is_some_and(|b| b.text.contains('@') || b.text.contains("mailto:"));
        if nearby_has_address {
            continue;
        }
        let src = page
            .join(&image.src)
            .map_or_else(|_| image.src.clone(), |u| u.to_string());
        found.push(EmailImage {
            src,
            alt: image.alt.clone(),
            region: image.region,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::contact::PageRegion;

    fn block(text: &str) -> TextBlock {
        TextBlock {
            text: text.into(),
            region: PageRegion::Main,
            ..TextBlock::default()
        }
    }

    fn addresses(text: &str) -> Vec<(String, Source)> {
        from_block(&block(text), &[], &|_| None)
            .into_iter()
            .map(|e| (e.address, e.source))
            .collect()
    }

    #[test]
    fn plain_and_disguised_addresses() {
        assert_eq!(
            addresses("Пишите: Info@Example.ru. Или sales [at] example [dot] ru"),
            [
                ("info@example.ru".to_string(), Source::Text),
                ("sales@example.ru".to_string(), Source::Obfuscated)
            ]
        );
        assert_eq!(
            addresses("office (собака) example.ru")[0].0,
            "office@example.ru"
        );
        assert_eq!(addresses("почта@пример.рф")[0].0, "почта@пример.рф");
    }

    #[test]
    fn words_that_merely_contain_at_are_not_addresses() {
        assert!(addresses("Look at the catalogue at our site. Data at 5 dot 3.").is_empty());
        assert!(addresses("Look at example.com for more").is_empty());
    }

    #[test]
    fn mailto_with_space_before_subject_is_flagged() {
        let (to, mailto) = parse_mailto("mailto:info@example.ru ?subject=Заявка с сайта");
        assert_eq!(to, ["info@example.ru"]);
        assert!(mailto.problems.contains(&"space-before-query".to_string()));
        assert!(mailto.problems.contains(&"unencoded-space".to_string()));
    }

    #[test]
    fn a_link_naming_thousands_of_recipients_keeps_a_few_and_says_so() {
        let many: Vec<String> = (0..5000).map(|i| format!("r{i}@example.com")).collect();
        let bad: Vec<String> = (0..5000).map(|i| format!("bad{i}")).collect();
        let href = format!(
            "mailto:{}?cc={}&to={}",
            many.join(","),
            many.join(","),
            bad.join(",")
        );
        let (to, mailto) = parse_mailto(&href);
        assert_eq!(to.len(), MAX_RECIPIENTS);
        assert_eq!(mailto.cc.len(), MAX_RECIPIENTS);
        assert!(mailto.href.len() <= MAX_HREF + '…'.len_utf8());
        assert!(mailto.problems.contains(&"too-many-recipients".to_string()));
        assert!(
            mailto.problems.len() <= 2 * MAX_NAMED_PROBLEMS + 2,
            "{:?}",
            mailto.problems
        );
    }

    #[test]
    fn well_formed_mailto_parses_all_fields() {
        let (to, mailto) = parse_mailto(
            "mailto:info@example.ru,sales@example.ru?subject=%D0%97%D0%B0%D1%8F%D0%B2%D0%BA%D0%B0&cc=boss@example.ru&body=Hi%20there",
        );
        assert_eq!(to, ["info@example.ru", "sales@example.ru"]);
        assert_eq!(mailto.subject.as_deref(), Some("Заявка"));
        assert_eq!(mailto.cc, ["boss@example.ru"]);
        assert_eq!(mailto.body.as_deref(), Some("Hi there"));
        assert!(mailto.problems.is_empty(), "{:?}", mailto.problems);
    }
}
