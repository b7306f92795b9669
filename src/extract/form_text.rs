//! The words around a form that say what it is for: the title over it, its buttons, its
//! marks and its own text.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};

use super::form_purpose::FormText;

static CONTROL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("input, select, textarea").expect("valid selector"));
static SUBMIT: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(
        "button:not([type]), button[type=submit], input[type=submit], input[type=image]",
    )
    .expect("valid selector")
});
static BUTTON: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("button, input[type=submit], input[type=button], input[type=image]")
        .expect("valid selector")
});

/// The text a person reads in an element: no style sheet or script a builder put inside a
/// button (Tilda does), whitespace collapsed.
pub(super) fn text_of(el: ElementRef<'_>) -> String {
    let mut words = String::new();
    for node in el.descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let in_code = node
            .parent()
            .and_then(|p| p.value().as_element().map(|e| e.name()))
            .is_some_and(|name| matches!(name, "style" | "script" | "noscript" | "template"));
        if in_code {
            continue;
        }
        for word in text.split_whitespace() {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(word);
        }
    }
    words
}

const TITLE_CHARS: usize = 240;

/// A heading, a legend, or an element its author calls a title or a description
/// (`popup__title`, `t702__descr`).
fn is_title(el: ElementRef<'_>) -> bool {
    let v = el.value();
    matches!(
        v.name(),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "legend" | "caption"
    ) || {
        let classes: Vec<String> = v.classes().map(str::to_ascii_lowercase).collect();
        let titled = classes
            .iter()
            .any(|c| c.contains("title") || c.contains("heading") || c.contains("descr"));
        // A field's caption (Tilda's `t-input-title`) names the field, not the form.
        let of_field = classes
            .iter()
            .any(|c| c.contains("input") || c.contains("field") || c.contains("label"));
        titled && !of_field
    }
}

fn push_title(titles: &mut String, el: ElementRef<'_>) {
    let text = text_of(el);
    if text.is_empty() || text.chars().count() > TITLE_CHARS {
        return;
    }
    if !titles.is_empty() {
        titles.push_str(" | ");
    }
    titles.push_str(&text);
}

/// The titles inside `root`, not counting a title inside another (`div.title > h3`); true
/// when there was one.
fn outermost_titles(root: ElementRef<'_>, titles: &mut String) -> bool {
    let mut found = false;
    for child in root.children().filter_map(ElementRef::wrap) {
        if is_title(child) {
            push_title(titles, child);
            found = true;
        } else {
            found |= outermost_titles(child, titles);
        }
    }
    found
}

/// The words over a form that name it: headings inside it, then the nearest title before it
/// — the heading of its pop-up or its section — looking back past small blocks only, so a
/// previous section's heading («Отзывы») is never taken for the form's.
fn form_title(form: ElementRef<'_>) -> String {
    const LEVELS: usize = 4;
    const SIBLINGS: usize = 3;
    let mut titles = String::new();
    outermost_titles(form, &mut titles);
    let mut node = form;
    'levels: for _ in 0..LEVELS {
        let mut found = false;
        for sibling in node
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .take(SIBLINGS)
        {
            if is_title(sibling) {
                push_title(&mut titles, sibling);
                found = true;
                // A heading and the lines over it (`p.kicker`, `h2`) name the form together.
                continue;
            }
            if text_of(sibling).chars().count() > TITLE_CHARS
                || sibling.select(&CONTROL).next().is_some()
            {
                break 'levels;
            }
            if outermost_titles(sibling, &mut titles) {
                found = true;
                break;
            }
        }
        if found {
            break;
        }
        match node.parent().and_then(ElementRef::wrap) {
            Some(parent) if !matches!(parent.value().name(), "body" | "html") => node = parent,
            _ => break,
        }
    }
    if let Some(label) = form.value().attr("aria-label") {
        if !titles.is_empty() {
            titles.push_str(" | ");
        }
        titles.push_str(label.trim());
    }
    titles
}

/// What a button says: its text, else its `value`.
fn button_text(button: ElementRef<'_>) -> String {
    let text = text_of(button);
    if text.is_empty() {
        button.value().attr("value").unwrap_or_default().to_string()
    } else {
        text
    }
}

/// The words around a form or a group of controls, the text of its submit button, and its
/// first title as the page writes it (read once, for both).
pub(super) fn describe(
    container: ElementRef<'_>,
    action_attr: &str,
) -> (FormText, Option<String>, Option<String>) {
    let v = container.value();
    let submit = container
        .select(&SUBMIT)
        .next()
        .map(button_text)
        .filter(|s| !s.is_empty());
    let buttons: Vec<String> = container.select(&BUTTON).map(button_text).collect();
    let title = form_title(container);
    let first_title = title
        .split(" | ")
        .next()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(120).collect());
    let text = FormText {
        title: title.to_lowercase(),
        buttons: buttons.join(" | ").to_lowercase(),
        marks: format!(
            "{} {} {} {}",
            v.id().unwrap_or_default(),
            v.classes().collect::<Vec<_>>().join(" "),
            v.attr("name").unwrap_or_default(),
            action_attr
        )
        .to_lowercase(),
        body: text_of(container).to_lowercase(),
    };
    (text, submit, first_title)
}
