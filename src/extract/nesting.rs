//! A cap on how deep markup nests, applied to the HTML before it is parsed. The HTML parser
//! looks through its whole stack of open elements for most start tags, so 200,000 nested
//! `<div>`s (a 2 MB page) cost minutes of CPU. Browsers cap the tree's depth (Blink at 512);
//! here the start tags past the cap, and their end tags, are left out: their content stays,
//! one level up, as Blink puts it.
//!
//! The scan is a tokenizer's rough cut (comments, raw text, quoted attributes, void elements
//! and elements whose end tag may be left out), enough to count depth as the parser will build
//! it; a page within the cap is returned as it is.

use std::borrow::Cow;
use std::collections::HashMap;

/// Elements open at once, at most, as Blink allows.
pub const MAX_NESTING: usize = 512;

/// Elements one page may have, at most: a parsed element costs a few hundred bytes, and a
/// page of 170,000 links would hold ~150 MB while it is read. A real page, even a long
/// catalogue, has a few thousand.
pub const MAX_ELEMENTS: usize = 50_000;

/// The HTML to parse, and what was left out of it.
pub struct Capped<'a> {
    pub html: Cow<'a, str>,
    pub tags_left_out: usize,
    /// The page had more than [`MAX_ELEMENTS`] elements: it is read up to the last one, and
    /// this many bytes after it are not.
    pub bytes_past_elements: usize,
}

/// How the parser treats an element, as far as depth goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Opens a level until its end tag.
    Nests,
    /// No end tag (`<br>`, `<img>`).
    Void,
    /// Closed by the parser when the next one opens (`<li>` after `<li>`), or the page's frame:
    /// not counted, so a list of unclosed items is not read as depth.
    ClosesItself,
    /// Its content is text up to its end tag (`<script>`, `<style>`).
    RawText,
    /// Everything after it is text.
    Plaintext,
}

/// The kind of the element named `name`, in any case. Compiled to a jump on the lower-cased
/// bytes: this runs for every tag of every page.
fn kind_of(name: &str) -> Kind {
    let bytes = name.as_bytes();
    let mut lower = [0u8; 10];
    let Some(buffer) = lower.get_mut(..bytes.len()) else {
        return Kind::Nests;
    };
    for (to, from) in buffer.iter_mut().zip(bytes) {
        *to = from.to_ascii_lowercase();
    }
    match &*buffer {
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"keygen"
        | b"link" | b"meta" | b"param" | b"source" | b"track" | b"wbr" | b"frame" => Kind::Void,
        b"p" | b"li" | b"dt" | b"dd" | b"option" | b"optgroup" | b"tr" | b"td" | b"th" | b"rb"
        | b"rp" | b"rt" | b"rtc" | b"thead" | b"tbody" | b"tfoot" | b"colgroup" | b"caption"
        | b"html" => Kind::ClosesItself,
        b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"iframe" | b"noembed"
        | b"noframes" | b"noscript" => Kind::RawText,
        b"plaintext" => Kind::Plaintext,
        _ => Kind::Nests,
    }
}

/// `html` with the start tags past [`MAX_NESTING`] open elements left out, with their end
/// tags, and cut before its element number [`MAX_ELEMENTS`] + 1.
pub fn cap(html: &str) -> Capped<'_> {
    // A page of no more start tags than the cap can nest no deeper, nor hold more elements:
    // counting what could start a tag is a tenth of the scan, and two pages in three of the
    // real-page corpus (and every page of the benchmark's site) have fewer than 512.
    let bytes = html.as_bytes();
    let may_start_tags = memchr::memchr_iter(b'<', bytes)
        .filter(|&lt| bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic))
        .take(MAX_NESTING + 1)
        .count();
    if may_start_tags <= MAX_NESTING {
        return Capped {
            html: Cow::Borrowed(html),
            tags_left_out: 0,
            bytes_past_elements: 0,
        };
    }
    scan(html)
}

/// [`cap`], tag by tag.
fn scan(html: &str) -> Capped<'_> {
    let bytes = html.as_bytes();
    let mut open: Vec<&str> = Vec::with_capacity(64);
    // Inside `<svg>` or `<math>`, `<path/>` closes itself; elsewhere `/>` does not.
    let mut foreign_depth = 0usize;
    let mut left_out: HashMap<String, usize> = HashMap::new();
    let mut tags_left_out = 0;
    let mut elements = 0usize;
    let mut end = html.len();
    let mut out: Option<String> = None;
    let mut copied_up_to = 0;
    let mut leave_out = |out: &mut Option<String>, from: usize, to: usize| {
        let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
        out.push_str(&html[copied_up_to..from]);
        copied_up_to = to;
    };
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at.min(bytes.len())..]) {
        let lt = at + found;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            at = html[lt + 4..]
                .find("-->")
                .map_or(html.len(), |end| lt + 4 + end + 3);
            continue;
        }
        if matches!(rest.first(), Some(b'!' | b'?')) {
            at = html[lt..].find('>').map_or(html.len(), |end| lt + end + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        if !bytes
            .get(name_start)
            .is_some_and(|b| b.is_ascii_alphabetic())
        {
            at = lt + 1;
            continue;
        }
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_')))
            .map_or(bytes.len(), |n| name_start + n);
        let name = &html[name_start..name_end];
        let tag_end = tag_end(bytes, name_end);
        at = tag_end;
        if closing {
            // Nothing left out, no end tag to leave out: no lower-cased copy of every name.
            if tags_left_out > 0
                && let Some(count) = left_out.get_mut(&name.to_ascii_lowercase())
                && *count > 0
            {
                *count -= 1;
                leave_out(&mut out, lt, tag_end);
                continue;
            }
            if let Some(depth) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                for closed in open.drain(depth..) {
                    if is_foreign_root(closed) {
                        foreign_depth = foreign_depth.saturating_sub(1);
                    }
                }
            }
            continue;
        }
        let kind = kind_of(name);
        let opens = kind == Kind::Nests
            && !(foreign_depth > 0 && tag_end >= 2 && bytes[tag_end - 2] == b'/');
        if opens && open.len() >= MAX_NESTING {
            *left_out.entry(name.to_ascii_lowercase()).or_default() += 1;
            tags_left_out += 1;
            leave_out(&mut out, lt, tag_end);
            continue;
        }
        // Only the elements the parser will build count.
        elements += 1;
        if elements > MAX_ELEMENTS {
            end = lt;
            break;
        }
        match kind {
            Kind::RawText => {
                at = raw_text_end(html, tag_end, name);
                continue;
            }
            Kind::Plaintext => break,
            _ if !opens => continue,
            _ => {}
        }
        if is_foreign_root(name) {
            foreign_depth += 1;
        }
        open.push(name);
    }
    let bytes_past_elements = html.len() - end;
    let html = match out {
        Some(mut out) => {
            out.push_str(&html[copied_up_to.min(end)..end]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(&html[..end]),
    };
    Capped {
        html,
        tags_left_out,
        bytes_past_elements,
    }
}

fn is_foreign_root(name: &str) -> bool {
    name.eq_ignore_ascii_case("svg") || name.eq_ignore_ascii_case("math")
}

/// Just past the `>` that ends a tag whose name ends at `from`, minding quoted values. A
/// value's closing quote is found with `memchr`: values (links, classes) are most of a tag.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    let mut after_equals = false;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'>' => return at + 1,
            b'"' | b'\'' if after_equals => {
                let Some(length) = memchr::memchr(b, &bytes[at + 1..]) else {
                    return bytes.len();
                };
                at += length + 2;
                after_equals = false;
                continue;
            }
            b'=' => after_equals = true,
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' if after_equals => {}
            _ => after_equals = false,
        }
        at += 1;
    }
    bytes.len()
}

/// Where the text of a `<script>` (or another raw-text element) ends: past its end tag.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(found) = html[at..].find("</") {
        let start = at + found + 2;
        let end = start + name.len();
        if bytes
            .get(start..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(end)
                .is_none_or(|b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            return tag_end(bytes, end);
        }
        at = start;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_ends_at_the_first_angle_bracket_outside_its_values() {
        fn end(tag: &str) -> &str {
            let name_end = tag.find([' ', '>']).unwrap_or(tag.len());
            &tag[..tag_end(tag.as_bytes(), name_end)]
        }
        assert_eq!(
            end(r#"<a href="x>y" title='a>b'>rest"#),
            r#"<a href="x>y" title='a>b'>"#
        );
        assert_eq!(end("<a x = \"q>r\"\n>rest"), "<a x = \"q>r\"\n>");
        // A quote that follows no `=` is part of a name, not a value.
        assert_eq!(end(r#"<a b"c>d">"#), r#"<a b"c>"#);
        assert_eq!(end(r#"<a x="1"="y>z">"#), r#"<a x="1"="y>z">"#);
        assert_eq!(end(r#"<a x="never closed>"#), r#"<a x="never closed>"#);
        assert_eq!(end("<a x=\t'q>r' y='>"), "<a x=\t'q>r' y='>");
        assert_eq!(end("<a x='' y=\"\">rest"), "<a x='' y=\"\">");
    }

    #[test]
    fn ordinary_pages_pass_untouched() {
        let html = r#"<!DOCTYPE html><html><head><script>if (a < b) document.write("<div>")</script>
            </head><body><ul><li>one<li>two</ul><p>a<p>b<img src="x.png"><br/>
            <svg><path d="M0"/><path/></svg><div title="a > b">x</div><!-- <div> --></body></html>"#;
        // The tag-by-tag scan too, which pages of more tags than the cap go through.
        for capped in [cap(html), scan(html)] {
            assert!(matches!(capped.html, Cow::Borrowed(_)));
            assert_eq!(capped.tags_left_out, 0);
        }
    }

    #[test]
    fn tags_past_the_cap_are_left_out_with_their_end_tags_and_the_text_stays() {
        let depth = MAX_NESTING + 100;
        let html = format!(
            "<body>{}Tel +7 495 000-00-00{}<p>after</p></body>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let capped = cap(&html);
        // `<body>` is one of the open elements.
        assert_eq!(capped.tags_left_out, depth + 1 - MAX_NESTING);
        let kept = &capped.html;
        assert_eq!(kept.matches("<div>").count(), MAX_NESTING - 1);
        assert_eq!(kept.matches("</div>").count(), MAX_NESTING - 1);
        assert!(kept.contains("<div>Tel +7 495 000-00-00</div>"));
        assert!(kept.ends_with("<p>after</p></body>"));
    }

    #[test]
    fn a_page_of_more_elements_than_the_cap_is_read_up_to_the_cap() {
        let html = format!(
            "<body>{}</body>",
            "<a href=\"/x\">x</a>".repeat(MAX_ELEMENTS + 10)
        );
        let capped = cap(&html);
        // `<body>` is the first element.
        assert_eq!(capped.html.matches("<a ").count(), MAX_ELEMENTS - 1);
        assert_eq!(capped.bytes_past_elements, html.len() - capped.html.len());
        assert!(capped.bytes_past_elements > 0);
    }

    #[test]
    fn pages_around_the_cap_are_capped_as_the_full_scan_caps_them() {
        for depth in MAX_NESTING - 3..=MAX_NESTING + 3 {
            for page in [
                format!("{}x{}", "<div>".repeat(depth), "</div>".repeat(depth)),
                format!("<body>{}x", "<section>".repeat(depth - 1)),
                format!("{}<plaintext><div><div>", "<p>".repeat(depth - 1)),
            ] {
                let (quick, full) = (cap(&page), scan(&page));
                assert_eq!(quick.html, full.html, "{depth}");
                assert_eq!(quick.tags_left_out, full.tags_left_out, "{depth}");
                assert_eq!(
                    quick.bytes_past_elements, full.bytes_past_elements,
                    "{depth}"
                );
            }
        }
        assert_eq!(cap(&"<div>".repeat(MAX_NESTING + 1)).tags_left_out, 1);
    }

    #[test]
    fn self_closing_divs_still_nest_as_the_parser_nests_them() {
        // `<div/>` opens a div in HTML: 1,000 of them are 1,000 levels.
        let html = "<div/>".repeat(1_000);
        assert_eq!(cap(&html).tags_left_out, 1_000 - MAX_NESTING);
    }
}
