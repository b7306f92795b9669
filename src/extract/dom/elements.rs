//! What an element is to a reader: a block of its own, text nobody reads, hidden, or an icon
//! that says "phone".

use html5ever::local_name;
use scraper::node::Element;

use super::attr;

/// An element whose class or picture names a phone: an icon (`fa-phone-alt`, `icon-phone.svg`)
/// or a container (`<li class="phone">`). Whole parts of a class only: `iphone-cases` is not.
pub(super) fn is_phone_icon(el: &Element) -> bool {
    let names_phone = |value: &str| {
        // Every element of every page passes here: a plain byte search first.
        let lower = value.as_bytes();
        let may = |word: &[u8]| {
            lower
                .windows(word.len())
                .any(|w| w.eq_ignore_ascii_case(word))
        };
        if !(may(b"phone") || may(b"mobile") || may(b"call")) {
            return false;
        }
        value
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|part| {
                ["phone", "phones", "telephone", "mobile", "call"]
                    .iter()
                    .any(|word| part.eq_ignore_ascii_case(word))
            })
    };
    match el.name() {
        "img" => attr(el, &local_name!("src")).is_some_and(names_phone),
        _ => attr(el, &local_name!("class")).is_some_and(names_phone),
    }
}

pub(super) fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "td"
            | "th"
            | "tr"
            | "ul"
    )
}

/// Elements whose text a visitor never reads as page text.
pub(super) fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "select"
            | "textarea"
            | "option"
            | "button"
            | "iframe"
    )
}

/// Hidden by markup: the `hidden` attribute or an inline `display:none`.
pub fn is_hidden(el: &Element) -> bool {
    if attr(el, &local_name!("hidden")).is_some() {
        return true;
    }
    attr(el, &local_name!("style")).is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}
