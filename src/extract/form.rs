//! Forms: where they send, what they ask, what they are for, and whether a captcha guards
//! them.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::dom::{Digest, WantedMarkers, is_hidden, region_of_ancestors};
use super::form_purpose::purpose;
use super::form_text::{describe, text_of};
use super::types::FormInfo;
use crate::rulebook::FormBackend;
use crate::rulebook::Rulebook;
use crate::types::contact::{Evidence, FormBackendRef, FormField};

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

static FORM: LazyLock<Selector> = LazyLock::new(|| selector("form"));
static FIELD: LazyLock<Selector> = LazyLock::new(|| selector("input, select, textarea"));
static LABEL: LazyLock<Selector> = LazyLock::new(|| selector("label[for]"));
static CAPTCHA_IMAGE: LazyLock<Selector> = LazyLock::new(|| selector("img"));
static ANY: LazyLock<Selector> = LazyLock::new(|| selector("*"));

const HONEYPOT_NAMES: [&str; 9] = [
    "honeypot",
    "hp_",
    "_gotcha",
    "bot-field",
    "botcheck",
    "bot_check",
    "antispam",
    "hpot",
    "leave_empty",
];

/// An inline style that puts the element far outside the page (`left: -5000px`), the way
/// builders hide a trap for bots (Tilda's `form-spec-comments`).
fn placed_off_screen(style: &str) -> bool {
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    ["left:-", "top:-", "text-indent:-"].iter().any(|side| {
        style.match_indices(side).any(|(at, _)| {
            let digits: String = style[at + side.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u32>().is_ok_and(|px| px >= 1000)
        })
    })
}

/// Hidden from people by its own markup or an ancestor's within the form.
fn hidden_in_form(field: ElementRef<'_>, form: ElementRef<'_>) -> bool {
    std::iter::once(field)
        .chain(
            field
                .ancestors()
                .filter_map(ElementRef::wrap)
                .take_while(|a| a.id() != form.id()),
        )
        .any(|e| {
            let v = e.value();
            is_hidden(v)
                || v.attr("aria-hidden") == Some("true")
                || v.attr("style").is_some_and(placed_off_screen)
                || v.classes().any(|c| {
                    let c = c.to_ascii_lowercase();
                    c == "hidden"
                        || c == "d-none"
                        || c == "visually-hidden"
                        || c.contains("honeypot")
                })
        })
}

pub(super) fn field_of(
    el: ElementRef<'_>,
    form: ElementRef<'_>,
    labels: &HashMap<String, String>,
) -> Option<FormField> {
    let v = el.value();
    let kind = match v.name() {
        "input" => v.attr("type").unwrap_or("text").to_ascii_lowercase(),
        other => other.to_string(),
    };
    if matches!(kind.as_str(), "submit" | "button" | "reset" | "image") {
        return None;
    }
    let name = v.attr("name").unwrap_or_default().to_string();
    let wrapping_label = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "label")
        .map(text_of);
    let label = v
        .id()
        .and_then(|id| labels.get(id).cloned())
        .or(wrapping_label)
        .or_else(|| v.attr("placeholder").map(str::to_string))
        .or_else(|| v.attr("aria-label").map(str::to_string))
        .or_else(|| v.attr("title").map(str::to_string))
        .unwrap_or_default();
    let visible = kind != "hidden" && !hidden_in_form(el, form);
    let lower_name = name.to_ascii_lowercase();
    let named_like_trap = HONEYPOT_NAMES.iter().any(|h| lower_name.contains(h));
    let off_screen = v.attr("tabindex") == Some("-1") && v.attr("autocomplete") == Some("off");
    let honeypot = kind != "hidden" && (named_like_trap || !visible || off_screen);
    Some(FormField {
        name,
        label: label.trim().to_string(),
        required: v.attr("required").is_some() || v.attr("aria-required") == Some("true"),
        visible: visible && !honeypot,
        honeypot,
        kind,
        autocomplete: v
            .attr("autocomplete")
            .map(|a| a.trim().to_ascii_lowercase())
            .filter(|a| !matches!(a.as_str(), "on" | "off"))
            .unwrap_or_default(),
    })
}

/// Captchas inside the form, then page-wide ones (reCAPTCHA v3 guards every form on the page).
fn captchas(
    form: ElementRef<'_>,
    page_captchas: &[String],
    book: &Rulebook,
    wanted: &WantedMarkers,
) -> Vec<String> {
    let signatures = &book.signatures;
    let mut found = HashSet::new();
    let mut markers = HashSet::new();
    for el in form.select(&ANY) {
        wanted.collect(el.value(), &mut markers);
    }
    signatures.captcha_matcher.scan_dom(
        |m| markers.contains(m),
        |owner, _| {
            found.insert(signatures.captchas[owner].id.clone());
        },
    );
    let image_captcha = form.select(&CAPTCHA_IMAGE).any(|img| {
        let v = img.value();
        format!(
            "{} {}",
            v.attr("src").unwrap_or_default(),
            v.attr("alt").unwrap_or_default()
        )
        .to_lowercase()
        .contains("captcha")
    }) || form.select(&FIELD).any(|f| {
        f.value()
            .attr("name")
            .is_some_and(|n| n.to_lowercase().contains("captcha"))
    });
    if image_captcha && found.is_empty() {
        found.insert("image".to_string());
    }
    let page_wide = page_captchas.iter().filter(|c| *c == "recaptcha-v3");
    found.extend(page_wide.cloned());
    if found.is_empty() {
        // A captcha script on the page with no marker in any form still guards the forms:
        // widgets like hCaptcha render into a container the script finds by itself.
        found.extend(page_captchas.iter().cloned());
    }
    let mut found: Vec<String> = found.into_iter().collect();
    found.sort();
    found
}

/// Captchas loaded by scripts on the page.
fn page_captchas(digest: &Digest, book: &Rulebook) -> Vec<String> {
    let signatures = &book.signatures;
    let mut found = HashSet::new();
    for src in &digest.script_srcs {
        signatures
            .captcha_matcher
            .scan(Evidence::ScriptSrc, src, |owner, _| {
                found.insert(signatures.captchas[owner].id.clone());
            });
    }
    signatures
        .captcha_matcher
        .scan(Evidence::Inline, &digest.inline_scripts, |owner, _| {
            found.insert(signatures.captchas[owner].id.clone());
        });
    found.into_iter().collect()
}

/// The first of `signatures` whose evidence the form carries.
fn signature_of<'b>(
    form: ElementRef<'_>,
    action: &Url,
    signatures: &'b [FormBackend],
) -> Option<&'b FormBackend> {
    let v = form.value();
    let action = action.as_str().to_ascii_lowercase();
    let classes: Vec<String> = v.classes().map(str::to_ascii_lowercase).collect();
    signatures.iter().find(|b| {
        b.action.iter().any(|a| action.contains(a.as_str()))
            || b.attr.iter().any(|a| v.attr(a).is_some())
            || b.class.iter().any(|c| classes.contains(c))
    })
}

/// The service a form sends to instead of the site's own server, if a signature names one.
fn backend_of(form: ElementRef<'_>, action: &Url, book: &Rulebook) -> Option<FormBackendRef> {
    signature_of(form, action, &book.signatures.form_backends).map(|b| FormBackendRef {
        id: b.id.clone(),
        name: b.name.clone(),
        by_script: b.by_script,
    })
}

/// Every form on the page.
pub fn extract(
    html: &Html,
    page: &Url,
    digest: &Digest,
    book: &Rulebook,
    wanted: &WantedMarkers,
) -> Vec<FormInfo> {
    let page_captchas = page_captchas(digest, book);
    let mut forms = Vec::new();
    for form in html.select(&FORM) {
        let v = form.value();
        let action_attr = v.attr("action").unwrap_or_default().trim();
        let action = if action_attr.is_empty() {
            page.clone()
        } else {
            page.join(action_attr).unwrap_or_else(|_| page.clone())
        };
        let mut action = action;
        action.set_fragment(None);
        let labels: HashMap<String, String> = form
            .select(&LABEL)
            .filter_map(|l| l.value().attr("for").map(|f| (f.to_string(), text_of(l))))
            .collect();
        let fields: Vec<FormField> = form
            .select(&FIELD)
            .filter_map(|f| field_of(f, form, &labels))
            .collect();
        let (text, submit, title) = describe(form, action_attr);
        forms.push(FormInfo {
            action: action.to_string(),
            method: v
                .attr("method")
                .unwrap_or("get")
                .trim()
                .to_ascii_uppercase(),
            enctype: v
                .attr("enctype")
                .unwrap_or("application/x-www-form-urlencoded")
                .trim()
                .to_ascii_lowercase(),
            purpose: purpose(&fields, &text, &book.phrases.form_words),
            title,
            form_element: true,
            backend: backend_of(form, &action, book),
            script: signature_of(form, &action, &book.signatures.form_scripts)
                .map(|s| s.name.clone()),
            captcha: captchas(form, &page_captchas, book, wanted),
            region: region_of_ancestors(form),
            fields,
            submit,
        });
    }
    forms
}

/// A control of a form as served, with what a browser would send for it untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveControl {
    pub field: FormField,
    /// The `value` attribute (a CSRF token, a checkbox's value), or a textarea's text.
    pub value: String,
    /// A select's options that mean something (not the «choose…» placeholder).
    pub options: Vec<String>,
    pub checked: bool,
    pub disabled: bool,
}

/// A form as served right now, for filling in: its controls with their values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveForm {
    pub action: String,
    pub method: String,
    pub enctype: String,
    /// Sent as JSON by the page's script: `enctype="application/json"` or
    /// `data-format="json"`/`data-type="json"` on the form.
    pub json: bool,
    pub controls: Vec<LiveControl>,
}

fn meaningful_options(select: ElementRef<'_>) -> Vec<String> {
    static OPTION: LazyLock<Selector> = LazyLock::new(|| selector("option"));
    select
        .select(&OPTION)
        .filter(|o| o.value().attr("disabled").is_none())
        .map(|o| {
            o.value()
                .attr("value")
                .map_or_else(|| text_of(o), str::to_string)
        })
        .filter(|v| !v.trim().is_empty() && v != "0" && v != "-")
        .collect()
}

/// One control as served right now, in `form` (a `<form>` or a script form's box).
pub(super) fn live_control(
    el: ElementRef<'_>,
    form: ElementRef<'_>,
    labels: &HashMap<String, String>,
) -> Option<LiveControl> {
    let field = field_of(el, form, labels)?;
    let attrs = el.value();
    let value = if attrs.name() == "textarea" {
        el.text().collect()
    } else {
        attrs.attr("value").unwrap_or_default().to_string()
    };
    Some(LiveControl {
        options: if attrs.name() == "select" {
            meaningful_options(el)
        } else {
            Vec::new()
        },
        checked: attrs.attr("checked").is_some(),
        disabled: attrs.attr("disabled").is_some(),
        value,
        field,
    })
}

/// Every form on a page, as a browser would submit it.
pub fn live_forms(html: &str, page: &Url) -> Vec<LiveForm> {
    let doc = Html::parse_document(html);
    doc.select(&FORM)
        .map(|form| {
            let v = form.value();
            let action_attr = v.attr("action").unwrap_or_default().trim();
            let mut action = if action_attr.is_empty() {
                page.clone()
            } else {
                page.join(action_attr).unwrap_or_else(|_| page.clone())
            };
            action.set_fragment(None);
            let labels: HashMap<String, String> = form
                .select(&LABEL)
                .filter_map(|l| l.value().attr("for").map(|f| (f.to_string(), text_of(l))))
                .collect();
            let enctype = v
                .attr("enctype")
                .unwrap_or("application/x-www-form-urlencoded")
                .trim()
                .to_ascii_lowercase();
            let says_json =
                |name: &str| v.attr(name).is_some_and(|x| x.eq_ignore_ascii_case("json"));
            LiveForm {
                action: action.to_string(),
                method: v
                    .attr("method")
                    .unwrap_or("get")
                    .trim()
                    .to_ascii_uppercase(),
                json: enctype.contains("json")
                    || says_json("data-format")
                    || says_json("data-type"),
                enctype,
                controls: form
                    .select(&FIELD)
                    .filter_map(|el| live_control(el, form, &labels))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::BUILTIN;
    use crate::types::contact::FormPurpose;

    fn forms(html: &str) -> Vec<FormInfo> {
        let doc = Html::parse_document(html);
        let wanted = super::super::wanted_markers(&BUILTIN);
        let digest = super::super::dom::digest(&doc, &wanted);
        extract(
            &doc,
            &Url::parse("https://example.com/contacts/").unwrap(),
            &digest,
            &BUILTIN,
            &wanted,
        )
    }

    #[test]
    fn callback_form_with_honeypot_and_consent() {
        let f = &forms(
            r#"<form action="/send.php" method="post">
                <h3>Заказать звонок</h3>
                <input type="hidden" name="csrf" value="abc">
                <label for="n">Ваше имя</label><input id="n" name="name" required>
                <input type="tel" name="phone" placeholder="Телефон" required>
                <div style="display:none"><input name="website"></div>
                <label><input type="checkbox" name="agree" required> Согласен на обработку данных</label>
                <button>Перезвоните мне</button></form>"#,
        )[0];
        assert_eq!(f.purpose, FormPurpose::Callback);
        assert_eq!(f.action, "https://example.com/send.php");
        assert_eq!(f.method, "POST");
        assert_eq!(f.submit.as_deref(), Some("Перезвоните мне"));
        let by_name: HashMap<&str, &FormField> =
            f.fields.iter().map(|x| (x.name.as_str(), x)).collect();
        assert_eq!(by_name["name"].label, "Ваше имя");
        assert_eq!(by_name["phone"].label, "Телефон");
        assert!(by_name["website"].honeypot);
        assert!(!by_name["csrf"].visible && !by_name["csrf"].honeypot);
        assert!(by_name["agree"].required);
        assert!(f.captcha.is_empty());
    }

    #[test]
    fn purposes_in_russian_and_english() {
        let cases = [
            (
                r#"<form><input type="search" name="q"><button>Найти</button></form>"#,
                FormPurpose::Search,
            ),
            (
                r#"<form><input name="login"><input type="password" name="p"><button>Войти</button></form>"#,
                FormPurpose::Login,
            ),
            (
                r#"<form><input type="email" name="email"><button>Subscribe</button></form>"#,
                FormPurpose::Subscribe,
            ),
            (
                r#"<form><input name="name"><input type="email" name="email"><textarea name="message"></textarea><button>Send</button></form>"#,
                FormPurpose::Contact,
            ),
            (
                r#"<form><input name="name"><input type="tel" name="phone"><input name="address"><button>Оформить заказ</button></form>"#,
                FormPurpose::Order,
            ),
            (
                r#"<form><input name="cc-number" autocomplete="cc-number"><input name="cvc"><button>Оплатить</button></form>"#,
                FormPurpose::Payment,
            ),
            (
                r#"<form><input name="email"><input type="password" name="p1"><input type="password" name="p2"><button>Register</button></form>"#,
                FormPurpose::Signup,
            ),
            (
                r#"<form><textarea name="comment"></textarea><button>Отправить комментарий</button></form>"#,
                FormPurpose::Comment,
            ),
        ];
        for (html, expected) in cases {
            assert_eq!(forms(html)[0].purpose, expected, "{html}");
        }
    }

    #[test]
    fn captchas_are_named() {
        let f = forms(
            r#"<script src="https://www.google.com/recaptcha/api.js"></script>
               <form><input name="email"><div class="g-recaptcha" data-sitekey="x"></div></form>
               <form><input name="q"><div class="h-captcha"></div></form>
               <form><input name="phone"><img src="/captcha.php"><input name="captcha_code"></form>
               <form><input name="phone"><div class="smart-captcha"></div></form>
               <form><input name="phone"><div class="cf-turnstile"></div></form>"#,
        );
        let ids: Vec<Vec<String>> = f.into_iter().map(|f| f.captcha).collect();
        assert_eq!(
            ids,
            [
                vec!["recaptcha-v2"],
                vec!["hcaptcha"],
                vec!["image"],
                vec!["yandex-smartcaptcha"],
                vec!["turnstile"]
            ]
            .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>())
        );
        let v3 = forms(
            r#"<script src="https://www.google.com/recaptcha/api.js?render=KEY"></script><form><input name="phone"></form>"#,
        );
        assert_eq!(v3[0].captcha, ["recaptcha-v3"]);
    }
}
