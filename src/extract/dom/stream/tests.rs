use super::*;
use crate::extract::dom::{Digest, digest};

/// Everything a digest holds, as text: two walks that read the same give the same.
pub(crate) fn described(d: &Digest) -> String {
    let mut markers: Vec<_> = d.markers.iter().collect();
    markers.sort();
    let blocks: Vec<_> = d
        .blocks
        .iter()
        .map(|b| {
            format!(
                "{:?} {:?} spans {:?} heading {} icons {:?} seams {:?}",
                b.text, b.region, b.anchor_spans, b.heading, b.phone_icons, b.seams
            )
        })
        .collect();
    format!(
        "lang {:?}\nbase {:?}\ntitle {:?}\nblocks {blocks:#?}\nanchors {:#?}\nbuttons {:?}\n\
         scripts {:?}\ninline {:?}\niframes {:?}\nimages {:#?}\njson_ld {:?}\nmicrodata {:?}\n\
         addresses {:?}\nplaceholders {:?}\nmarkers {markers:?}\ncontrols {}",
        d.lang,
        d.base_href,
        d.title,
        d.anchors,
        d.buttons,
        d.script_srcs,
        d.inline_scripts,
        d.iframes,
        d.images,
        d.json_ld,
        d.microdata,
        d.address_elements,
        d.international_placeholders,
        d.controls,
    )
}

fn both_walks(html: &str) -> (String, String) {
    let wanted = crate::extract::wanted_markers(&crate::rulebook::BUILTIN);
    let tree = crate::extract::parse::document(html);
    (
        described(&digest(&tree, &wanted)),
        described(&digest_of_tokens(html, &wanted)),
    )
}

fn html_files(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            html_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "html" || e == "htm") {
            found.push(path);
        }
    }
}

fn blocks_of_tokens(html: &str) -> Vec<String> {
    let wanted = crate::extract::wanted_markers(&crate::rulebook::BUILTIN);
    digest_of_tokens(html, &wanted)
        .blocks
        .iter()
        .map(|b| b.text.trim().to_string())
        .collect()
}

/// Markup a browser mends reads as the browser builds it: a paragraph ended by the block
/// after it, a link left open running into the next cell, a `</span>` that cannot close
/// the `<div>` it stands in, a page with no `<body>` tag.
#[test]
fn mended_markup_reads_as_the_parser_builds_it() {
    for html in [
        "<p>Звоните<div>+7 900 000-00-00</div>",
        "<ul><li>Пн–Пт<li>Сб</ul><dl><dt>Тел<dd>+1 555 0100</dl>",
        "<div><span>Офис</div>ул. Примерная, 1</span><p>Склад",
        "<table><tr><td><a href='tel:+15550100'>+1 555 0100<td>Факс</table>После",
        "<head><title>T</title><div>Тело без body</div>",
        "<p>Один</p></p><p>Два</br>три",
        "<b>жирный<p>абзац</b>дальше</p>",
        "<a href=mailto:a@example.com>почта<div>блок</div>хвост",
        "<svg><desc>Telegram</desc><path d='M0'/></svg><p>после иконки",
        "<pre>\nпервая строка</pre><listing>\nвторая</listing>",
        "<table>лишний текст<tr><td>ячейка</td></tr></table>",
        "<form><form><input name=phone></form>",
    ] {
        let (tree, tokens) = both_walks(html);
        assert_eq!(tree, tokens, "{html}");
    }
    assert_eq!(
        blocks_of_tokens("<p>Звоните<div>+7 900 000-00-00</div>"),
        ["Звоните", "+7 900 000-00-00"]
    );
}

/// Scripts and styles are text to their end tag, inside SVG too a `<style>` is not.
#[test]
fn a_script_or_style_is_not_page_text() {
    let blocks = blocks_of_tokens(
        "<p>a<script>var s = '<p>+1 555 0100</p>';</script>b<style>p{}</style></p>",
    );
    assert_eq!(blocks, ["ab"]);
}

/// A control in a case the quick look does not search (`<Input>`) still gets its form
/// read: the walk counts it, and the page is parsed into a tree after all.
#[test]
fn a_control_the_quick_look_misses_still_gets_its_form_read() {
    let html = "<Form action=/send><label>Телефон <Input type=tel name=phone></label>\
                <Button>Перезвоните мне</Button></Form>";
    assert!(!may_hold_controls(html));
    let extractor = crate::extract::Extractor::new(&crate::rulebook::BUILTIN, None);
    let url = url::Url::parse("https://example.com/").expect("url");
    let page = extractor.page(html, &url);
    assert_eq!(page.forms.len(), 1, "{:?}", page.forms);
}

#[test]
fn the_quick_look_finds_controls_in_either_case_and_not_other_tags() {
    assert!(may_hold_controls("<div><input type=tel></div>"));
    assert!(may_hold_controls("<FORM ACTION=/x></FORM>"));
    assert!(!may_hold_controls(
        "<p>input, form, select</p><span>form</span>"
    ));
}

/// A page of thousands of unclosed, unlike `<b>`s and `<div>`s keeps the walk's stacks
/// bounded: each text would otherwise reopen every `<b>` still in force.
#[test]
fn unclosed_elements_past_the_bounds_are_let_go() {
    let mut html = String::new();
    for n in 0..5_000 {
        html.push_str(&format!("<div><b id=b{n}>слово "));
    }
    html.push_str("<p>+7 900 000-00-00");
    let wanted = crate::extract::wanted_markers(&crate::rulebook::BUILTIN);
    let state = tokenized(&html, &wanted);
    assert!(state.formatting.len() <= super::formatting::FORMATTING_MAX);
    assert!(state.open.len() <= MAX_NESTING);
    let digest = state.finish();
    let text: String = digest.blocks.iter().map(|b| b.text.as_str()).collect();
    assert!(text.contains("+7 900 000-00-00"), "{text:.200}");
}

/// Pages under `dir` whose walk over tokens reads other than the walk over the tree.
fn differing_pages(dir: &std::path::Path) -> (usize, Vec<String>) {
    let mut pages = Vec::new();
    html_files(dir, &mut pages);
    let mut compared = 0;
    let mut differing = Vec::new();
    for page in pages {
        let bytes = std::fs::read(&page).expect("page");
        let html = String::from_utf8_lossy(&bytes);
        let (tree, tokens) = both_walks(&html);
        if tree != tokens {
            if let Some(out) = std::env::var_os("DOORBELL_WALK_DUMP") {
                let out = std::path::Path::new(&out);
                let _ = std::fs::write(out.join("tree.txt"), &tree);
                let _ = std::fs::write(out.join("tokens.txt"), &tokens);
            }
            let diff: Vec<_> = tree
                .lines()
                .zip(tokens.lines())
                .filter(|(a, b)| a != b)
                .take(3)
                .map(|(a, b)| format!("\n  tree:   {a}\n  tokens: {b}"))
                .collect();
            differing.push(format!("{}{}", page.display(), diff.concat()));
        }
        compared += 1;
    }
    (compared, differing)
}

/// Every fixture page reads the same walked as it is tokenized as walked over its tree: the
/// pages with forms too, which the crawl reads from their tree, for the rules they exercise.
/// `DOORBELL_WALK_PAGES=<folder>` compares the pages of another folder too (the real-page
/// corpus, the benchmark's site); `DOORBELL_WALK_DUMP=<folder>` writes the last differing
/// page's two readings there.
#[test]
fn a_page_reads_the_same_from_its_tokens_as_from_its_tree() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (compared, mut differing) = differing_pages(&fixtures);
    assert!(compared >= 60, "{compared} pages compared");
    if let Some(dir) = std::env::var_os("DOORBELL_WALK_PAGES") {
        let (more, differ) = differing_pages(std::path::Path::new(&dir));
        eprintln!("{more} more pages compared, {} differ", differ.len());
        differing.extend(differ);
    }
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}
