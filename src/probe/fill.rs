//! Filling a form like a careful person: every visible field from the persona by its type,
//! name and label, hidden fields kept as served (CSRF tokens), honeypots left empty, required
//! consent boxes ticked, selects given their first real option.

use crate::extract::form::{LiveControl, LiveForm};

use super::settings::Persona;

/// The message every probe carries: plainly a test, with the token that matches replies.
pub fn test_message(token: &str) -> String {
    format!(
        "Это тестовое сообщение doorbell: мы проверяем, доходят ли обращения с сайта и когда на них \
         отвечают. Пожалуйста, ответьте на него так, как ответили бы клиенту; заказывать ничего не нужно. \
         Код проверки: {token}.\n\n\
         This is a test message from doorbell, checking that enquiries from this site arrive and when \
         they are answered. Please reply as you would to a customer; nothing needs to be ordered. \
         Test code: {token}."
    )
}

/// A field's role, from its type first and its name and label second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Email,
    Phone,
    Message,
    Name,
    Subject,
    Company,
    Other,
}

fn role(control: &LiveControl) -> Role {
    let field = &control.field;
    let words = format!("{} {}", field.name, field.label).to_lowercase();
    let says = |list: &[&str]| list.iter().any(|w| words.contains(w));
    match field.kind.as_str() {
        "email" => return Role::Email,
        "tel" => return Role::Phone,
        "textarea" => return Role::Message,
        _ => {}
    }
    if says(&["mail", "почт"]) {
        Role::Email
    } else if says(&["phone", "tel", "телефон", "номер", "mobile", "моб"]) {
        Role::Phone
    } else if says(&[
        "message",
        "comment",
        "question",
        "text",
        "сообщени",
        "вопрос",
        "коммент",
    ]) {
        Role::Message
    } else if says(&["subject", "topic", "тема"]) {
        Role::Subject
    } else if says(&[
        "company",
        "organization",
        "organisation",
        "компани",
        "организац",
    ]) {
        Role::Company
    } else if says(&["name", "fio", "имя", "фио", "обращаться", "contact person"]) {
        Role::Name
    } else {
        Role::Other
    }
}

/// A box that says the sender agrees to terms or to the processing of personal data.
fn is_consent(control: &LiveControl) -> bool {
    let words = format!("{} {}", control.field.name, control.field.label).to_lowercase();
    [
        "соглас",
        "agree",
        "consent",
        "персональн",
        "политик",
        "privacy",
        "terms",
        "оферт",
        "accept",
        "принима",
        "152-фз",
        "gdpr",
    ]
    .iter()
    .any(|w| words.contains(w))
}

fn is_newsletter(control: &LiveControl) -> bool {
    let words = format!("{} {}", control.field.name, control.field.label).to_lowercase();
    [
        "рассылк",
        "подпис",
        "newsletter",
        "subscribe",
        "news",
        "новост",
        "акци",
    ]
    .iter()
    .any(|w| words.contains(w))
}

/// The values a probe submits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filled {
    /// In the order of the form, as a browser sends them.
    pub pairs: Vec<(String, String)>,
    /// Whether the form took our e-mail address: only then can a confirmation mail come.
    pub gave_email: bool,
    pub gave_phone: bool,
    /// Required fields we could not fill (a file, a field we do not understand).
    pub unfilled_required: Vec<String>,
}

/// Fills `form` for the probe carrying `token`.
pub fn fill(form: &LiveForm, persona: &Persona, token: &str) -> Filled {
    let mut filled = Filled::default();
    let mut radios_done: Vec<String> = Vec::new();
    for control in &form.controls {
        let field = &control.field;
        if field.name.is_empty() || control.disabled {
            continue;
        }
        let value: Option<String> = if field.honeypot {
            Some(String::new())
        } else {
            match field.kind.as_str() {
                "hidden" => Some(control.value.clone()),
                "checkbox" => {
                    let wanted = field.required || is_consent(control) || control.checked;
                    // A newsletter box the form does not insist on stays empty.
                    let tick = wanted && (field.required || !is_newsletter(control));
                    tick.then(|| {
                        if control.value.is_empty() {
                            "on".to_string()
                        } else {
                            control.value.clone()
                        }
                    })
                }
                "radio" => {
                    let first_of_group = !radios_done.contains(&field.name);
                    let pick = control.checked || first_of_group;
                    if pick {
                        radios_done.push(field.name.clone());
                        // A later checked radio replaces the first one we took.
                        filled.pairs.retain(|(n, _)| n != &field.name);
                    }
                    pick.then(|| control.value.clone())
                }
                "select" => control
                    .options
                    .first()
                    .cloned()
                    .or_else(|| (!field.required).then(String::new)),
                "file" | "password" => None,
                "number" | "range" => Some(if control.value.is_empty() {
                    "1".into()
                } else {
                    control.value.clone()
                }),
                "date" => field.required.then(today),
                "url" => field.required.then(|| "https://example.com/".to_string()),
                _ => match role(control) {
                    Role::Email => {
                        filled.gave_email = true;
                        Some(persona.email_for(token))
                    }
                    Role::Phone => {
                        filled.gave_phone = true;
                        Some(persona.phone.clone())
                    }
                    Role::Message => Some(test_message(token)),
                    Role::Name => Some(persona.name.clone()),
                    Role::Subject => Some(format!("Тест doorbell / doorbell test {token}")),
                    Role::Company => Some("doorbell test".into()),
                    Role::Other if field.required => Some(format!("test {token}")),
                    Role::Other => Some(control.value.clone()),
                },
            }
        };
        match value {
            Some(v) => filled.pairs.push((field.name.clone(), v)),
            None if field.required && !field.honeypot => {
                filled.unfilled_required.push(if field.label.is_empty() {
                    field.name.clone()
                } else {
                    field.label.clone()
                });
            }
            None => {}
        }
    }
    filled
}

/// Today as `YYYY-MM-DD` (UTC), for a required date field.
fn today() -> String {
    crate::clock::iso_date(crate::clock::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::form::live_forms;

    fn persona() -> Persona {
        Persona {
            name: "Тест Тестов".into(),
            phone: "+7 900 000-00-00".into(),
            email: "tester@example.org".into(),
            plus_addressing: true,
        }
    }

    fn filled(html: &str) -> Filled {
        let url = url::Url::parse("https://shop.example.com/contacts/").unwrap();
        fill(&live_forms(html, &url)[0], &persona(), "db-abc")
    }

    #[test]
    fn a_russian_callback_form_is_filled_like_a_careful_person() {
        let f = filled(
            r#"<form method="post" action="/send">
            <input type="hidden" name="csrf" value="tok123">
            <label for="n">Ваше имя</label><input id="n" name="f1" required>
            <input name="f2" placeholder="Телефон" required>
            <div style="display:none"><input name="website"></div>
            <select name="topic"><option value="">Выберите…</option><option value="repair">Ремонт</option></select>
            <label><input type="checkbox" name="agree" required> Согласен на обработку персональных данных</label>
            <label><input type="checkbox" name="news"> Подписаться на рассылку</label>
            <textarea name="msg"></textarea>
            <button>Перезвоните мне</button></form>"#,
        );
        let get = |n: &str| {
            f.pairs
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("csrf"), Some("tok123"));
        assert_eq!(get("f1"), Some("Тест Тестов"));
        assert_eq!(get("f2"), Some("+7 900 000-00-00"));
        assert_eq!(get("website"), Some(""), "the honeypot stays empty");
        assert_eq!(get("topic"), Some("repair"));
        assert_eq!(get("agree"), Some("on"));
        assert_eq!(get("news"), None, "no newsletter for the tester");
        assert!(get("msg").unwrap().contains("db-abc") && get("msg").unwrap().contains("тест"));
        assert!(f.gave_phone && !f.gave_email);
        assert!(f.unfilled_required.is_empty());
    }

    #[test]
    fn email_gets_the_plus_address_and_an_unknown_file_is_reported() {
        let f = filled(
            r#"<form method="post"><input type="email" name="contact_email" required>
            <input type="file" name="cv" required><label><input type="radio" name="r" value="a">A</label>
            <label><input type="radio" name="r" value="b" checked>B</label></form>"#,
        );
        assert_eq!(
            f.pairs,
            [
                (
                    "contact_email".to_string(),
                    "tester+db-abc@example.org".to_string()
                ),
                ("r".to_string(), "b".to_string())
            ]
        );
        assert!(f.gave_email);
        assert_eq!(f.unfilled_required, ["cv"]);
        assert_eq!(today().len(), 10);
    }
}
