//! What a form is for: from what its fields ask first where they leave no doubt (a card
//! number, a password, a lone search box), then from the words a person reads — the title
//! over the form, its button, the marks its author gave it, its own text — and last from the
//! fields again.

use crate::rulebook::phrases::{FormWords, contains_any, starts_word_any, whole_word_any};
use crate::types::contact::{FormField, FormPurpose};

/// The words around a form, lower-cased.
#[derive(Debug, Default)]
pub struct FormText {
    /// The headings in the form, then the nearest ones over it, then its `aria-label`,
    /// separated by ` | `: the first that names a purpose decides.
    pub title: String,
    /// The texts of its buttons, the submit first.
    pub buttons: String,
    /// Its id, classes and action.
    pub marks: String,
    /// Its own text: labels, hints, consent lines.
    pub body: String,
}

/// What the fields a person fills in ask for.
struct Shape {
    shown: usize,
    phone: bool,
    email: bool,
    message: bool,
    date: bool,
    service: bool,
    password: usize,
    card: bool,
    search_box: bool,
    /// A field's type, name or label says it searches.
    search_said: bool,
    choice_groups: usize,
}

fn says_search(field: &FormField, said: &str) -> bool {
    field.kind == "search"
        || ["search", "поиск", "suche", "recherche"]
            .iter()
            .any(|w| said.contains(w))
}

impl Shape {
    fn of(fields: &[FormField], words: &FormWords) -> Self {
        let shown: Vec<&FormField> = fields
            .iter()
            .filter(|f| f.shown() && f.kind != "hidden")
            .collect();
        let said = |f: &FormField| format!("{} {}", f.name, f.label).to_lowercase();
        let any = |test: &dyn Fn(&FormField, &str) -> bool| shown.iter().any(|f| test(f, &said(f)));
        let fw = &words.fields;
        let mut choice_names: Vec<&str> = shown
            .iter()
            .filter(|f| matches!(f.kind.as_str(), "radio" | "checkbox"))
            .map(|f| f.name.as_str())
            .collect();
        choice_names.sort_unstable();
        choice_names.dedup();
        Shape {
            shown: shown
                .iter()
                .filter(|f| !matches!(f.kind.as_str(), "checkbox" | "radio"))
                .count(),
            phone: any(&|f, s| {
                f.kind == "tel"
                    || ["phone", "tel", "телефон", "номер", "fon"]
                        .iter()
                        .any(|w| s.contains(w))
            }),
            email: any(&|f, s| {
                f.kind == "email"
                    || ["email", "e-mail", "e_mail", "почт", "mail"]
                        .iter()
                        .any(|w| s.contains(w))
            }),
            message: any(&|f, s| {
                f.kind == "textarea" || (f.kind == "text" && contains_any(s, &fw.message))
            }),
            date: any(&|f, s| {
                let dated = matches!(f.kind.as_str(), "date" | "datetime-local")
                    || (!matches!(f.kind.as_str(), "checkbox" | "radio")
                        && whole_word_any(s, &fw.date));
                dated && !contains_any(s, &fw.birth)
            }),
            service: any(&|f, s| {
                matches!(f.kind.as_str(), "text" | "select") && contains_any(s, &fw.service)
            }),
            password: shown.iter().filter(|f| f.kind == "password").count(),
            // A card field makes a payment form whatever its heading says: it is never sent.
            card: any(&|f, s| f.autocomplete.starts_with("cc-") || contains_any(s, &fw.payment)),
            search_box: any(&|f, s| {
                matches!(
                    f.name.to_ascii_lowercase().as_str(),
                    "q" | "s" | "query" | "search" | "text" | "find"
                ) || says_search(f, s)
            }),
            search_said: any(&says_search),
            choice_groups: choice_names.len(),
        }
    }
}

/// Whether the fields ask for a way to reach the person: a phone, an e-mail or a message.
pub fn asks_for_contact(fields: &[FormField], words: &FormWords) -> bool {
    let shape = Shape::of(fields, words);
    shape.phone || shape.email || shape.message
}

/// What a form is for.
pub fn purpose(fields: &[FormField], text: &FormText, words: &FormWords) -> FormPurpose {
    let shape = Shape::of(fields, words);
    let everywhere = [&text.title, &text.buttons, &text.body];
    let anywhere = |list: &[&str]| everywhere.iter().any(|t| starts_word_any(t, list));
    if shape.card {
        return FormPurpose::Payment;
    }
    if shape.password > 0 {
        let signup = shape.password > 1
            || anywhere(&[
                "регистрац",
                "зарегистр",
                "sign up",
                "signup",
                "register",
                "create account",
                "создать",
            ]);
        return if signup {
            FormPurpose::Signup
        } else {
            FormPurpose::Login
        };
    }
    let marks: Vec<&str> = text
        .marks
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let marked = |list: &[String]| {
        marks.iter().any(|t| {
            list.iter()
                .any(|w| *t == w || (w.chars().count() >= 5 && t.starts_with(w.as_str())))
        })
    };
    if shape.search_box
        && shape.shown <= 2
        && !shape.message
        && (anywhere(&["поиск", "найти", "search", "find", "suche"])
            || marked(&words.marks.search)
            || shape.search_said)
    {
        return FormPurpose::Search;
    }
    let steps = contains_any(&text.buttons, &words.fields.next_step);
    if marked(&words.marks.quiz) || (shape.choice_groups >= 2 && steps) {
        return FormPurpose::Quiz;
    }
    if shape.date && (shape.phone || shape.email) {
        return FormPurpose::Booking;
    }
    let by_title = || {
        text.title
            .split(" | ")
            .find_map(|segment| by_words(segment, &shape, words, true))
    };
    if let Some(purpose) = by_title()
        .or_else(|| by_words(&text.buttons, &shape, words, true))
        .or_else(|| by_marks(&marked, words))
        .or_else(|| by_words(&text.body, &shape, words, false))
    {
        return purpose;
    }
    by_fields(&shape)
}

/// The purpose one text names, if it names one. `heading` is true for the title and the
/// buttons, which name the form; a form's own text also carries consent lines and hints, so
/// it may not name a login or another purpose.
fn by_words(text: &str, shape: &Shape, words: &FormWords, heading: bool) -> Option<FormPurpose> {
    if text.is_empty() {
        return None;
    }
    let says = |list: &[String]| starts_word_any(text, list);
    if heading && says(&words.login) && !shape.message {
        return Some(FormPurpose::Login);
    }
    // «Оставить отзыв и задать вопрос» asks for an answer: a contact form.
    if heading && says(&words.comment) && !says(&words.contact) {
        return Some(FormPurpose::Comment);
    }
    if says(&words.booking) {
        return Some(FormPurpose::Booking);
    }
    if says(&words.callback) {
        return Some(FormPurpose::Callback);
    }
    if heading && says(&words.other) {
        return Some(FormPurpose::Other);
    }
    if says(&words.order) {
        return Some(FormPurpose::Order);
    }
    if says(&words.subscribe) && !shape.message && !shape.phone {
        return Some(FormPurpose::Subscribe);
    }
    if says(&words.callback_soft) && shape.phone && !shape.message {
        return Some(FormPurpose::Callback);
    }
    if says(&words.contact) {
        if shape.message || shape.email {
            return Some(FormPurpose::Contact);
        }
        if shape.phone {
            return Some(FormPurpose::Callback);
        }
    }
    None
}

fn by_marks(marked: &dyn Fn(&[String]) -> bool, words: &FormWords) -> Option<FormPurpose> {
    let marks = &words.marks;
    [
        (&marks.login, FormPurpose::Login),
        (&marks.comment, FormPurpose::Comment),
        (&marks.booking, FormPurpose::Booking),
        (&marks.callback, FormPurpose::Callback),
        (&marks.subscribe, FormPurpose::Subscribe),
    ]
    .into_iter()
    .find(|(list, _)| marked(list))
    .map(|(_, purpose)| purpose)
}

/// When no word names the purpose: what the fields ask for.
fn by_fields(shape: &Shape) -> FormPurpose {
    let reachable = shape.phone || shape.email;
    if shape.message && reachable {
        FormPurpose::Contact
    } else if shape.service && reachable {
        FormPurpose::Order
    } else if shape.phone && !shape.email && shape.shown <= 3 {
        FormPurpose::Callback
    } else if shape.email && shape.shown == 1 {
        FormPurpose::Subscribe
    } else if shape.message && shape.shown > 1 {
        FormPurpose::Contact
    } else {
        FormPurpose::Other
    }
}
