//! Forms as real sites build them (`tests/fixtures/forms`): what each is for, read from the
//! title over it, its button and its fields, in Russian, English and German.

use crate::common;

use doorbell::audit::Audit;
use doorbell::inventory::Form;
use doorbell::types::contact::FormPurpose;

async fn forms_site() -> Audit {
    common::static_site("forms").audit("/").await
}

/// The forms on the page whose URL ends with `page` that ask for a field named `field`.
fn forms_with<'a>(audit: &'a Audit, page: &str, field: &str) -> Vec<&'a Form> {
    audit
        .inventory
        .forms
        .iter()
        .filter(|f| f.pages.iter().any(|p| p.url.ends_with(page)))
        .filter(|f| f.fields.iter().any(|x| x.name == field))
        .collect()
}

fn purposes(forms: &[&Form]) -> Vec<FormPurpose> {
    let mut purposes: Vec<FormPurpose> = forms.iter().map(|f| f.purpose).collect();
    purposes.sort_by_key(|p| p.name());
    purposes
}

fn only<'a>(audit: &'a Audit, page: &str, field: &str) -> &'a Form {
    let found = forms_with(audit, page, field);
    assert_eq!(
        found.len(),
        1,
        "one form with {field} on {page}: {:?}",
        purposes(&found)
    );
    found[0]
}

#[tokio::test]
async fn a_form_is_named_by_the_title_over_it_before_its_fields() {
    let audit = forms_site().await;
    // Three pop-ups post to one address with the same kind of fields; each title decides.
    let with_review_box = purposes(&forms_with(&audit, "/", "review"));
    assert_eq!(
        with_review_box,
        [FormPurpose::Comment, FormPurpose::Contact],
        "«Оставьте свой отзыв» is for reviews even with a phone field, «Задайте свой вопрос» for questions"
    );
    assert_eq!(
        only(&audit, "/", "comment").purpose,
        FormPurpose::Callback,
        "«…и мы перезвоним вам» makes a form with a comment box a callback form"
    );
    assert_eq!(
        only(&audit, "/", "wishes").purpose,
        FormPurpose::Order,
        "«Рассчитайте стоимость» over a form with a message box asks for an order"
    );
    assert_eq!(
        only(&audit, "/", "form-spec-comments").purpose,
        FormPurpose::Callback,
        "the button «Перезвоните мне»"
    );
    assert_eq!(
        only(&audit, "/", "form-spec-comments")
            .fields
            .iter()
            .find(|f| f.name == "form-spec-comments")
            .map(|f| (f.honeypot, f.visible)),
        Some((true, false)),
        "a field placed 5000px off screen is a trap for bots"
    );
    let lead = forms_with(&audit, "/", "name")
        .into_iter()
        .find(|f| f.action.ends_with("/lead") && f.fields.len() == 2)
        .expect("the hero form");
    assert_eq!(lead.purpose, FormPurpose::Callback, "a name and a number");
    assert_eq!(
        lead.submit.as_deref(),
        Some("оставить заявку"),
        "a style sheet inside the button is not its text"
    );
}

#[tokio::test]
async fn booking_quiz_login_and_search_forms_are_told_apart() {
    let audit = forms_site().await;
    assert_eq!(
        only(&audit, "/", "cleaning_date").purpose,
        FormPurpose::Booking,
        "a form asking for the date of the visit books it"
    );
    let booked = forms_with(&audit, "/", "phone")
        .into_iter()
        .find(|f| f.action.ends_with("/book"))
        .expect("the form after the reviews");
    assert_eq!(
        booked.purpose,
        FormPurpose::Booking,
        "«Записаться на приём»; the reviews section before it is another section's heading"
    );
    assert_eq!(only(&audit, "/", "flat").purpose, FormPurpose::Quiz);
    assert_eq!(
        forms_with(&audit, "/", "email")
            .into_iter()
            .find(|f| f.action.ends_with("/auth"))
            .map(|f| f.purpose),
        Some(FormPurpose::Login),
        "«Войти в профиль», «Получить код»"
    );
    assert_eq!(
        only(&audit, "/", "S").purpose,
        FormPurpose::Search,
        "a lone box whose hint says «Введите текст» searches"
    );
    assert!(
        FormPurpose::Booking.reaches_company() && FormPurpose::Quiz.reaches_company(),
        "bookings and quizzes take a customer's contacts: they are doors"
    );
}

#[tokio::test]
async fn forms_in_english_and_german_are_read_in_their_words() {
    let audit = forms_site().await;
    let on = |page: &str, field: &str| only(&audit, page, field).purpose;
    assert_eq!(on("/en.html", "your-phone"), FormPurpose::Callback);
    assert_eq!(on("/en.html", "service"), FormPurpose::Order);
    assert_eq!(on("/en.html", "day"), FormPurpose::Booking);
    assert_eq!(
        on("/en.html", "form_fields[field_1]"),
        FormPurpose::Contact,
        "a «Query» line is a message even when it is not a textarea"
    );
    assert_eq!(on("/en.html", "cv"), FormPurpose::Other);
    assert_eq!(on("/en.html", "url"), FormPurpose::Comment);
    let german: Vec<FormPurpose> = audit
        .inventory
        .forms
        .iter()
        .filter(|f| f.pages.iter().any(|p| p.url.ends_with("/de.html")))
        .map(|f| f.purpose)
        .collect();
    assert_eq!(german.len(), 4, "{german:?}");
    let de = |field: &str, action_ends: &str| {
        audit
            .inventory
            .forms
            .iter()
            .find(|f| f.action.ends_with(action_ends) && f.fields.iter().any(|x| x.name == field))
            .map(|f| f.purpose)
    };
    assert_eq!(de("telefon", "/de/rueckruf"), Some(FormPurpose::Callback));
    assert_eq!(de("nachricht", "/de/angebot"), Some(FormPurpose::Order));
    assert_eq!(
        de("telefon", "/de.html"),
        Some(FormPurpose::Booking),
        "«KONTAKT / Termin anfragen» over the form's wrapper"
    );
    assert_eq!(
        de("consent", "/de/kontakt"),
        Some(FormPurpose::Contact),
        "«Datenschutzerklärung» in the consent line is no date field"
    );
}

fn probe_settings() -> doorbell::probe::settings::ProbeSettings {
    let deadlines = doorbell::types::probe::Deadlines {
        confirmation_s: 5,
        reply_s: 10,
    };
    doorbell::probe::settings::ProbeSettings {
        allow_hosts: vec!["127.0.0.1".into()],
        mailbox: doorbell::mailbox::MailboxSpec::Maildir(std::env::temp_dir()),
        notification_mailbox: None,
        smtp: None,
        persona: doorbell::probe::settings::Persona {
            name: "Тест Тестов".into(),
            phone: "+7 900 000-00-00".into(),
            email: "tester@example.org".into(),
            plus_addressing: true,
        },
        forms: true,
        emails: false,
        max_messages: 50,
        delay: std::time::Duration::ZERO,
        poll: std::time::Duration::from_millis(250),
        form_deadlines: deadlines,
        email_deadlines: deadlines,
        browser: None,
    }
}

/// The landing pages, audited without asking any form's address whether it answers: some
/// send to services on the internet, and nothing may leave the machine.
async fn landing() -> Audit {
    let mut settings = common::static_site("forms").settings("/landing.html");
    settings.check_actions = false;
    doorbell::audit::run(settings).await.expect("audit runs")
}

#[tokio::test]
async fn controls_and_a_button_with_no_form_element_are_a_door_a_browser_must_send() {
    let audit = landing().await;
    let zero = only(&audit, "/landing.html", "lead-phone");
    assert!(!zero.form_element, "no <form> around it");
    assert_eq!(
        zero.purpose,
        FormPurpose::Order,
        "«Узнайте стоимость кухни»"
    );
    assert_eq!(zero.title.as_deref(), Some("Узнайте стоимость кухни"));
    assert!(
        zero.fields.iter().any(|f| f.name == "lead-name"),
        "a control with only an id is named by it"
    );
    let search = only(&audit, "/landing.html", "");
    assert_eq!(
        (search.purpose, search.form_element),
        (FormPurpose::Search, false),
        "a search box with no button"
    );
    assert!(
        forms_with(&audit, "/landing.html", "qty").is_empty(),
        "a quantity and «Купить» ask for no way to reach anyone"
    );
    let plan = doorbell::probe::plan::plan(&audit.inventory, &probe_settings());
    assert!(
        plan.skipped
            .iter()
            .any(|s| s.target == zero.action
                && s.reason == doorbell::probe::plan::Reason::NeedsBrowser),
        "planned as not sendable without a browser: {:?}",
        plan.skipped
    ); // With a browser the run may use, it is planned, to be sent there.
    let mut with_browser = probe_settings();
    with_browser.browser = Some(doorbell::render::RenderSettings::default());
    let plan = doorbell::probe::plan::plan(&audit.inventory, &with_browser);
    let planned = plan
        .targets
        .iter()
        .find(|t| t.target == zero.action)
        .unwrap_or_else(|| panic!("not planned with a browser: {:?}", plan.skipped));
    assert!(planned.browser);
    let key = planned.form.as_ref().unwrap();
    assert!(!key.form_element && key.field_names.contains(&"lead-name".to_string()));
}

#[tokio::test]
async fn a_form_repeated_on_a_page_or_on_every_page_is_one_door() {
    let audit = landing().await;
    let with_phone: Vec<&Form> = audit
        .inventory
        .forms
        .iter()
        .filter(|f| f.action.ends_with("/send/call"))
        .collect();
    assert_eq!(
        with_phone.len(),
        1,
        "a desktop and a mobile copy are one door"
    );
    assert_eq!(with_phone[0].copies, 2);
    let ask: Vec<&Form> = audit
        .inventory
        .forms
        .iter()
        .filter(|f| f.action.ends_with("/send/ask"))
        .collect();
    assert_eq!(
        (ask.len(), ask[0].copies),
        (1, 3),
        "one pop-up pasted three times"
    );
    let footer: Vec<&Form> = audit
        .inventory
        .forms
        .iter()
        .filter(|f| f.action.ends_with("/send/footer"))
        .collect();
    assert_eq!(footer.len(), 1, "the footer form on both pages");
    assert_eq!(footer[0].pages.len(), 2);
    assert_eq!(footer[0].copies, 1);
}

#[tokio::test]
async fn a_form_that_sends_to_a_service_names_the_service() {
    let audit = landing().await;
    let backend = |action_part: &str| {
        audit
            .inventory
            .forms
            .iter()
            .find(|f| f.action.contains(action_part))
            .and_then(|f| f.backend.as_ref())
            .map(|b| b.id.as_str())
    };
    assert_eq!(backend("/bitrix/services/"), Some("bitrix24"));
    // Bitrix24's script sends its forms: over HTTP without a browser, in it with one.
    let bitrix = |settings: &doorbell::probe::settings::ProbeSettings| {
        doorbell::probe::plan::plan(&audit.inventory, settings)
            .targets
            .into_iter()
            .find(|t| t.target.contains("/bitrix/services/"))
            .map(|t| t.browser)
    };
    // Contact Form 7 sends to the site itself, by its script: named, and sent in a browser
    // when there is one.
    let cf7 = |settings: &doorbell::probe::settings::ProbeSettings| {
        doorbell::probe::plan::plan(&audit.inventory, settings)
            .targets
            .into_iter()
            .find(|t| t.target.contains("/kontakty/"))
            .map(|t| t.browser)
    };
    let script = audit
        .inventory
        .forms
        .iter()
        .find(|f| f.action.contains("/kontakty/"))
        .and_then(|f| f.script.as_deref());
    assert_eq!(script, Some("Contact Form 7"));
    let mut with_browser = probe_settings();
    assert_eq!(bitrix(&with_browser), Some(false));
    assert_eq!(cf7(&with_browser), Some(false));
    with_browser.browser = Some(doorbell::render::RenderSettings::default());
    assert_eq!(bitrix(&with_browser), Some(true));
    assert_eq!(cf7(&with_browser), Some(true));
    assert_eq!(backend("formspree.io"), Some("formspree"));
    assert_eq!(backend("api.telegram.org"), Some("telegram-bot"));
    assert_eq!(backend("mailto:"), Some("email-client"));
    assert_eq!(backend("/send/ask"), None, "the site's own server");
    let netlify = audit
        .inventory
        .forms
        .iter()
        .find(|f| f.backend.as_ref().is_some_and(|b| b.id == "netlify"));
    assert!(netlify.is_some(), "data-netlify on the form");
}

#[tokio::test]
async fn a_form_that_takes_a_card_is_a_payment_form_and_never_probed() {
    let mut settings = common::static_site("forms").settings("/card.html");
    settings.crawl.max_pages = 1;
    let audit = doorbell::audit::run(settings).await.expect("audit runs");
    let form = only(&audit, "/card.html", "num");
    assert_eq!(
        form.purpose,
        FormPurpose::Payment,
        "«Заказать обратный звонок» over a card field"
    );
    let plan = doorbell::probe::plan::plan(&audit.inventory, &probe_settings());
    assert!(plan.targets.is_empty(), "{:?}", plan.targets);
    assert!(
        plan.skipped.iter().any(|s| s.target == form.action),
        "{:?}",
        plan.skipped
    );
}
