//! Forms without a `<form>`: inputs and a button in a `div`, sent by the page's script (Tilda
//! zero blocks, Bitrix pop-ups, hand-made landing pages). They are doors a customer uses like
//! any other, but only a browser can send them.

use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::dom::region_of_ancestors;
use super::form::{LiveForm, field_of, live_control};
use super::form_purpose::{asks_for_contact, purpose};
use super::form_text::{describe, text_of};
use super::types::FormInfo;
use crate::rulebook::Rulebook;
use crate::types::contact::{FormField, FormPurpose};

static CONTROL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("input, textarea, select").expect("valid selector"));
static LABEL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("label[for]").expect("valid selector"));
/// What a script-sent form uses for its button: a real one, or anything styled as one.
static BUTTON_LIKE: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(
        "button, input[type=submit], input[type=button], [role=button], a[class*=btn], \
         a[class*=button], div[class*=btn], div[class*=button], span[class*=btn], \
         span[class*=button]",
    )
    .expect("valid selector")
});

/// How far up from a control its button may be: a label's wrapper, a row, the form's box.
const LEVELS: usize = 6;
/// More controls than this under one box is a page layout, not a form.
const MAX_FIELDS: usize = 24;
/// Boxes read per page: boxes are compared pairwise, and a hostile page may hold thousands
/// of inputs; no real page has this many forms.
const MAX_BOXES: usize = 64;

/// Controls a person types into, which start a group.
fn is_typed(control: ElementRef<'_>) -> bool {
    let v = control.value();
    match v.name() {
        "textarea" => true,
        "input" => !matches!(
            v.attr("type")
                .unwrap_or("text")
                .to_ascii_lowercase()
                .as_str(),
            "hidden"
                | "submit"
                | "button"
                | "image"
                | "reset"
                | "checkbox"
                | "radio"
                | "file"
                | "range"
                | "color"
        ),
        _ => false,
    }
}

/// Inside a `<form>`, or in markup a browser does not show as such.
fn enclosed(control: ElementRef<'_>) -> bool {
    control.ancestors().filter_map(ElementRef::wrap).any(|a| {
        matches!(
            a.value().name(),
            "form" | "template" | "noscript" | "textarea"
        )
    })
}

/// The nearest box over a control that also holds a button.
fn container_of(control: ElementRef<'_>) -> Option<ElementRef<'_>> {
    control
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(LEVELS)
        .take_while(|a| !matches!(a.value().name(), "body" | "html"))
        .find(|a| a.select(&BUTTON_LIKE).next().is_some())
}

/// A box whose name, hint or label says it searches.
fn looks_like_search(control: ElementRef<'_>) -> bool {
    let v = control.value();
    let said = ["type", "name", "id", "placeholder", "aria-label"]
        .iter()
        .filter_map(|a| v.attr(a))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    [
        "search",
        "поиск",
        "найти",
        "suche",
        "recherche",
        "cerca",
        "buscar",
    ]
    .iter()
    .any(|w| said.contains(w))
}

/// The boxes of controls and a button with no `<form>` around them.
fn boxes(html: &Html) -> Vec<ElementRef<'_>> {
    let mut boxes: Vec<ElementRef<'_>> = Vec::new();
    for control in html.select(&CONTROL) {
        if !is_typed(control) || enclosed(control) {
            continue;
        }
        // A search box often has no button: typing searches. It is a form of its own, not
        // part of whatever box further up holds a button.
        let found = if looks_like_search(control) {
            control
                .parent()
                .and_then(ElementRef::wrap)
                .filter(|p| !matches!(p.value().name(), "body" | "html"))
                .or(Some(control))
        } else {
            container_of(control)
        };
        if let Some(found) = found
            && !boxes.iter().any(|b| b.id() == found.id())
        {
            boxes.push(found);
            if boxes.len() == MAX_BOXES {
                break;
            }
        }
    }
    boxes
}

/// The controls that belong to `container`: not in a `<form>`, not in a box inside it (a
/// cart pop-up inside a catalogue is a form of its own).
fn own_controls<'a>(
    container: ElementRef<'a>,
    boxes: &[ElementRef<'a>],
) -> impl Iterator<Item = ElementRef<'a>> {
    let inner: Vec<_> = boxes
        .iter()
        .filter(|b| b.id() != container.id() && b.ancestors().any(|a| a.id() == container.id()))
        .map(|b| b.id())
        .collect();
    // A lone search box with no wrapper of its own is its own form.
    let itself = std::iter::once(container).filter(|c| CONTROL.matches(c));
    itself
        .chain(container.select(&CONTROL))
        .filter(|c| !enclosed(*c))
        .filter(move |c| !c.ancestors().any(|a| inner.contains(&a.id())))
}

fn labels_of(container: ElementRef<'_>) -> HashMap<String, String> {
    container
        .select(&LABEL)
        .filter_map(|l| l.value().attr("for").map(|f| (f.to_string(), text_of(l))))
        .collect()
}

/// Scripts find such controls by id: the id is the only name they have.
fn named_by_id(mut field: FormField, control: ElementRef<'_>) -> FormField {
    if field.name.is_empty() {
        field.name = control.value().id().unwrap_or_default().to_string();
    }
    field
}

/// Every script form on a page as it stands now, for a browser probe to fill.
pub fn live(html: &str, page: &Url) -> Vec<LiveForm> {
    let doc = Html::parse_document(html);
    let boxes = boxes(&doc);
    let mut action = page.clone();
    action.set_fragment(None);
    boxes
        .iter()
        .map(|&container| {
            let labels = labels_of(container);
            LiveForm {
                action: action.to_string(),
                method: "POST".into(),
                enctype: String::new(),
                json: false,
                controls: own_controls(container, &boxes)
                    .filter_map(|c| {
                        live_control(c, container, &labels).map(|mut live| {
                            live.field = named_by_id(live.field, c);
                            live
                        })
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Every group of controls and a button with no `<form>` around it that asks for a way to
/// reach the customer, or searches.
pub fn extract(html: &Html, page: &Url, book: &Rulebook) -> Vec<FormInfo> {
    let boxes = boxes(html);
    let mut action = page.clone();
    action.set_fragment(None);
    let words = &book.phrases.form_words;
    let mut forms = Vec::new();
    for &container in &boxes {
        let labels = labels_of(container);
        let fields: Vec<FormField> = own_controls(container, &boxes)
            .filter_map(|c| field_of(c, container, &labels).map(|field| named_by_id(field, c)))
            .collect();
        if fields.iter().all(|f| !f.shown()) {
            continue;
        }
        if fields.len() > MAX_FIELDS {
            continue;
        }
        let (text, submit, title) = describe(container, "");
        let purpose = purpose(&fields, &text, words);
        let door = purpose.reaches_company() && asks_for_contact(&fields, words);
        if !(door || purpose == FormPurpose::Search || purpose == FormPurpose::Subscribe) {
            continue;
        }
        forms.push(FormInfo {
            action: action.to_string(),
            method: String::new(),
            enctype: String::new(),
            purpose,
            title,
            form_element: false,
            backend: None,
            script: None,
            captcha: Vec::new(),
            region: region_of_ancestors(container),
            fields,
            submit,
        });
    }
    forms
}
