//! The standard's categories of elements, as far as the walk over tokens needs them to know
//! where an element or a text lands: void elements, raw text, what closes a `<p>`, scopes,
//! formatting and "special" elements, SVG's integration points.

use html5ever::LocalName;
use html5ever::local_name;
use html5ever::tokenizer::Tag;
use html5ever::tokenizer::states::RawKind;

pub(super) fn is_heading(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
    )
}

pub(super) fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("frame")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("keygen")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
    )
}

/// Elements whose content the tokenizer reads as text up to their end tag.
pub(super) fn raw_kind(name: &LocalName) -> Option<RawKind> {
    match *name {
        local_name!("script") => Some(RawKind::ScriptData),
        local_name!("title") | local_name!("textarea") => Some(RawKind::Rcdata),
        // `<noscript>` too: html5ever builds its trees with scripting on.
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes")
        | local_name!("noscript") => Some(RawKind::Rawtext),
        _ => None,
    }
}

pub(super) fn belongs_in_head(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("title")
            | local_name!("noscript")
            | local_name!("noframes")
            | local_name!("style")
            | local_name!("script")
            | local_name!("template")
    )
}

/// Start tags that close an open `<p>` first.
pub(super) fn closes_p(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("center")
                | local_name!("details")
                | local_name!("dialog")
                | local_name!("dir")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("fieldset")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("main")
                | local_name!("menu")
                | local_name!("nav")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("search")
                | local_name!("section")
                | local_name!("summary")
                | local_name!("ul")
                | local_name!("pre")
                | local_name!("listing")
                | local_name!("form")
                | local_name!("plaintext")
                | local_name!("table")
                | local_name!("hr")
                | local_name!("xmp")
                | local_name!("li")
                | local_name!("dd")
                | local_name!("dt")
        )
}

/// Elements that keep what formatting was in force outside them out of their content.
pub(super) fn opens_formatting_scope(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("applet")
            | local_name!("marquee")
            | local_name!("object")
            | local_name!("template")
    )
}

/// Start tags before which the formatting in force opens again: inline content, not the
/// blocks, tables and head elements.
pub(super) fn reconstructs_formatting(name: &LocalName) -> bool {
    !(closes_p(name)
        || is_table_part(name)
        || matches!(
            *name,
            local_name!("html")
                | local_name!("head")
                | local_name!("body")
                | local_name!("base")
                | local_name!("basefont")
                | local_name!("bgsound")
                | local_name!("link")
                | local_name!("meta")
                | local_name!("noframes")
                | local_name!("script")
                | local_name!("style")
                | local_name!("template")
                | local_name!("title")
                | local_name!("frameset")
                | local_name!("frame")
                | local_name!("textarea")
                | local_name!("iframe")
                | local_name!("noembed")
                | local_name!("noscript")
                | local_name!("param")
                | local_name!("source")
                | local_name!("track")
                | local_name!("col")
                | local_name!("colgroup")
                | local_name!("rb")
                | local_name!("rp")
                | local_name!("rt")
                | local_name!("rtc")
        ))
}

pub(super) fn is_formatting(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("b")
            | local_name!("big")
            | local_name!("code")
            | local_name!("em")
            | local_name!("font")
            | local_name!("i")
            | local_name!("nobr")
            | local_name!("s")
            | local_name!("small")
            | local_name!("strike")
            | local_name!("strong")
            | local_name!("tt")
            | local_name!("u")
    )
}

/// The standard's "special" elements: an end tag of any other element cannot close past one.
pub(super) fn is_special(name: &LocalName) -> bool {
    is_scope_boundary(name)
        || is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("area")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("base")
                | local_name!("basefont")
                | local_name!("bgsound")
                | local_name!("blockquote")
                | local_name!("body")
                | local_name!("br")
                | local_name!("button")
                | local_name!("center")
                | local_name!("col")
                | local_name!("colgroup")
                | local_name!("dd")
                | local_name!("details")
                | local_name!("dir")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("dt")
                | local_name!("embed")
                | local_name!("fieldset")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("form")
                | local_name!("frame")
                | local_name!("frameset")
                | local_name!("head")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("hr")
                | local_name!("iframe")
                | local_name!("img")
                | local_name!("input")
                | local_name!("keygen")
                | local_name!("li")
                | local_name!("link")
                | local_name!("listing")
                | local_name!("main")
                | local_name!("menu")
                | local_name!("meta")
                | local_name!("nav")
                | local_name!("noembed")
                | local_name!("noframes")
                | local_name!("noscript")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("param")
                | local_name!("plaintext")
                | local_name!("pre")
                | local_name!("script")
                | local_name!("search")
                | local_name!("section")
                | local_name!("select")
                | local_name!("source")
                | local_name!("style")
                | local_name!("summary")
                | local_name!("tbody")
                | local_name!("textarea")
                | local_name!("tfoot")
                | local_name!("thead")
                | local_name!("title")
                | local_name!("tr")
                | local_name!("track")
                | local_name!("ul")
                | local_name!("wbr")
                | local_name!("xmp")
        )
}

/// The elements that bound the standard's default scope.
pub(super) fn is_scope_boundary(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("applet")
            | local_name!("caption")
            | local_name!("html")
            | local_name!("table")
            | local_name!("td")
            | local_name!("th")
            | local_name!("marquee")
            | local_name!("object")
            | local_name!("template")
    )
}

pub(super) fn is_button_scope_boundary(name: &LocalName) -> bool {
    is_scope_boundary(name) || *name == local_name!("button")
}

pub(super) fn is_table_scope_boundary(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("html") | local_name!("table") | local_name!("template")
    )
}

/// SVG elements whose content is HTML again.
pub(super) fn is_html_integration_point(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("foreignObject")
            | local_name!("foreignobject")
            | local_name!("desc")
            | local_name!("title")
    )
}

/// HTML start tags that end SVG or MathML content where they stand.
pub(super) fn breaks_out_of_foreign_content(tag: &Tag) -> bool {
    match tag.name {
        local_name!("font") => tag.attrs.iter().any(|attr| {
            matches!(
                attr.name.local,
                local_name!("color") | local_name!("face") | local_name!("size")
            )
        }),
        _ if is_heading(&tag.name) => true,
        local_name!("b")
        | local_name!("big")
        | local_name!("blockquote")
        | local_name!("body")
        | local_name!("br")
        | local_name!("center")
        | local_name!("code")
        | local_name!("dd")
        | local_name!("div")
        | local_name!("dl")
        | local_name!("dt")
        | local_name!("em")
        | local_name!("embed")
        | local_name!("head")
        | local_name!("hr")
        | local_name!("i")
        | local_name!("img")
        | local_name!("li")
        | local_name!("listing")
        | local_name!("menu")
        | local_name!("meta")
        | local_name!("nobr")
        | local_name!("ol")
        | local_name!("p")
        | local_name!("pre")
        | local_name!("ruby")
        | local_name!("s")
        | local_name!("small")
        | local_name!("span")
        | local_name!("strong")
        | local_name!("strike")
        | local_name!("sub")
        | local_name!("sup")
        | local_name!("table")
        | local_name!("tt")
        | local_name!("u")
        | local_name!("ul")
        | local_name!("var") => true,
        _ => false,
    }
}

/// A table and the parts whose end tags close the cells and rows open inside them.
pub(super) fn is_table_part(name: &LocalName) -> bool {
    holds_rows(name)
        || matches!(
            *name,
            local_name!("caption") | local_name!("td") | local_name!("th")
        )
}

/// A table or a part of one that holds rows, not text: whitespace between them is theirs.
pub(super) fn holds_rows(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("table")
            | local_name!("tbody")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("tr")
    )
}
