//! The words every format shares: the names of kinds of doors, severities and fetch errors in
//! English and Russian. A format that needs one of these takes it from here, so the table,
//! the Markdown, the HTML page and the portfolio summary never name a thing two ways.

use crate::checks::Subject;
use crate::lang::Lang;
use crate::probe::plan::Reason;
use crate::report::doors::DoorState;
use crate::rulebook::Severity;
use crate::types::contact::{DoorKind, FormPurpose, WidgetKind};
use crate::types::crawl::FetchError;

/// One form as a person tells it apart: its title or its address, then what sets it apart —
/// copies on one page, the service it sends to, no `<form>` element.
pub fn form_summary(form: &crate::inventory::Form, lang: Lang) -> String {
    let mut text = match &form.title {
        Some(title) => format!("«{title}» → {}", form.action),
        None => form.action.clone(),
    };
    let mut notes = Vec::new();
    if form.copies > 1 {
        notes.push(format!(
            "{} {}",
            form.copies,
            lang.pick("copies on one page", "копии на одной странице")
        ));
    }
    if let Some(backend) = &form.backend {
        notes.push(format!("{} {}", lang.pick("via", "через"), backend.name));
    }
    if !form.form_element {
        notes.push(
            lang.pick(
                "no <form>: sent by a script, a browser is needed to test it",
                "без <form>: отправляет скрипт, проверить может только браузер",
            )
            .to_string(),
        );
    }
    if !notes.is_empty() {
        text.push_str(&format!(" ({})", notes.join("; ")));
    }
    text
}

pub fn purpose_name(p: FormPurpose, lang: Lang) -> &'static str {
    match p {
        FormPurpose::Contact => lang.pick("contact form", "форма обратной связи"),
        FormPurpose::Callback => lang.pick("callback form", "форма обратного звонка"),
        FormPurpose::Order => lang.pick("order form", "форма заказа"),
        FormPurpose::Subscribe => lang.pick("subscription form", "форма подписки"),
        FormPurpose::Search => lang.pick("search form", "поиск"),
        FormPurpose::Login => lang.pick("login form", "вход"),
        FormPurpose::Signup => lang.pick("sign-up form", "регистрация"),
        FormPurpose::Payment => lang.pick("payment form", "оплата"),
        FormPurpose::Comment => lang.pick("comment form", "комментарии"),
        FormPurpose::Booking => lang.pick("booking form", "форма записи"),
        FormPurpose::Quiz => lang.pick("quiz form", "форма-опрос (квиз)"),
        FormPurpose::Other => lang.pick("other form", "другая форма"),
    }
}

pub fn widget_kind_name(k: WidgetKind, lang: Lang) -> &'static str {
    match k {
        WidgetKind::Chat => lang.pick("live chat", "онлайн-чат"),
        WidgetKind::Callback => lang.pick("callback widget", "виджет обратного звонка"),
        WidgetKind::MultiMessenger => lang.pick("messenger button", "кнопка мессенджеров"),
        WidgetKind::Map => lang.pick("map", "карта"),
        WidgetKind::FormBuilder => lang.pick("form builder", "конструктор форм"),
        WidgetKind::SocialWidget => lang.pick("social widget", "виджет соцсети"),
    }
}

/// Why a URL failed, in the report's language (the detail is the library's own words).
/// Why a site has no score: what stopped the start page, and what to do when it is ours.
pub fn not_scored_line(crawl: &crate::types::crawl::CrawlSummary, lang: Lang) -> String {
    let first = crawl.pages.first();
    if first.and_then(|p| p.skipped_because) == Some("robots.txt") {
        return lang
            .pick(
                "robots.txt forbids reading the site (Disallow: /); run with --ignore-robots to audit your own site anyway",
                "robots.txt запрещает читать сайт (Disallow: /); для своего сайта запустите с --ignore-robots",
            )
            .to_string();
    }
    let why = first.and_then(|p| p.error.as_ref()).map_or_else(
        || {
            first.and_then(|p| p.status).map_or_else(
                || {
                    lang.pick("no page could be read", "не прочитана ни одна страница")
                        .to_string()
                },
                |status| format!("HTTP {status}"),
            )
        },
        |e| describe_error(e, lang),
    );
    format!(
        "{} {}: {why}",
        lang.pick(
            "the site could not be read at",
            "сайт не удалось прочитать по адресу"
        ),
        crawl.start_url
    )
}

pub fn describe_error(error: &FetchError, lang: Lang) -> String {
    match error {
        FetchError::Dns(detail) => format!(
            "{}: {detail}",
            lang.pick("DNS lookup failed", "адрес не найден в DNS")
        ),
        FetchError::Connect(detail) => format!(
            "{}: {detail}",
            lang.pick("connection failed", "нет соединения")
        ),
        FetchError::Tls(detail) => format!("{}: {detail}", lang.pick("TLS failed", "ошибка TLS")),
        FetchError::Timeout(s) => format!(
            "{} {s} {}",
            lang.pick("no answer in", "нет ответа за"),
            lang.pick("s", "с")
        ),
        FetchError::Status(code) => format!("{} {code}", lang.pick("HTTP status", "HTTP-статус")),
        FetchError::RedirectLoop(to) => format!(
            "{} {to}",
            lang.pick("redirect loop back to", "петля переадресаций на")
        ),
        FetchError::TooManyRedirects => lang
            .pick("more than 10 redirects", "больше 10 переадресаций")
            .to_string(),
        FetchError::RedirectOutOfScope(to) => format!(
            "{} {to}",
            lang.pick(
                "redirect off the site to",
                "переадресация за пределы сайта на"
            )
        ),
        FetchError::BadRedirect => lang
            .pick(
                "redirect without a usable Location",
                "переадресация без адреса",
            )
            .to_string(),
        FetchError::NotHtml(kind) => format!(
            "{} ({kind})",
            lang.pick("not an HTML page", "не HTML-страница")
        ),
        FetchError::Body(detail) => format!(
            "{}: {detail}",
            lang.pick("reading the response failed", "ошибка чтения ответа")
        ),
    }
}

/// A severity in the report's language.
pub fn severity_name(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => lang.pick("error", "ошибка"),
        Severity::Warning => lang.pick("warning", "предупреждение"),
        Severity::Notice => lang.pick("notice", "замечание"),
    }
}

/// A kind of channel, as the score names it: `phone`, `written`, `instant`.
pub fn channel_group_name(group: &str, lang: Lang) -> &'static str {
    match group {
        "phone" => lang.pick("phone", "телефон"),
        "written" => lang.pick("e-mail/form", "e-mail/форма"),
        "instant" => lang.pick("messenger/chat", "мессенджер/чат"),
        _ => lang.pick("other", "другое"),
    }
}

/// What a finding is about, in `lang`: the site's own words as they are, ours translated.
pub fn subject(subject: &Subject, lang: Lang) -> String {
    match subject {
        Subject::Site(text) => text.clone(),
        Subject::MissingChannels(groups) => groups
            .iter()
            .map(|g| channel_group_name(g, lang))
            .collect::<Vec<_>>()
            .join(", "),
        Subject::NotFoundIn(pages) => match (pages, lang) {
            (1, Lang::En) => "not found in the 1 page read".to_string(),
            (n, Lang::En) => format!("not found in the {n} pages read"),
            (n, Lang::Ru) => format!("не найдено на прочитанных страницах: {n}"),
        },
    }
}

/// ` (1 page)`, ` (3 pages)`: how many pages a finding stands on; nothing for none.
pub fn pages_suffix(count: usize, lang: Lang) -> String {
    match count {
        0 => String::new(),
        1 => format!(" ({})", lang.pick("1 page", "1 страница")),
        n => format!(" ({n} {})", lang.pick("pages", "стр.")),
    }
}

/// The heading of a finding's contact point corrected.
pub fn corrected_label(lang: Lang) -> &'static str {
    lang.pick("Corrected", "Исправленный вариант")
}

/// A row of the channel matrix.
pub fn door_name(kind: DoorKind, lang: Lang) -> &'static str {
    match kind {
        DoorKind::Phone => lang.pick("Phone", "Телефон"),
        DoorKind::Email => lang.pick("E-mail", "E-mail"),
        DoorKind::Messenger(kind) => kind.label(),
        DoorKind::AnyMessenger => lang.pick("Messengers", "Мессенджеры"),
        DoorKind::Form(purpose) => purpose_name(purpose, lang),
        DoorKind::Widget(kind) => widget_kind_name(kind, lang),
        DoorKind::Address => lang.pick("Address", "Адрес"),
        DoorKind::Hours => lang.pick("Opening hours", "Часы работы"),
    }
}

/// How a door is doing.
pub fn door_state_name(state: DoorState, lang: Lang) -> &'static str {
    match state {
        DoorState::Absent => lang.pick("not offered", "нет"),
        DoorState::Working => lang.pick("works", "работает"),
        DoorState::Attention => lang.pick("works, with findings", "работает, есть замечания"),
        DoorState::Broken => lang.pick("broken", "не работает"),
    }
}

/// Why a door is left alone by the probes, in words.
pub fn skip_reason(reason: &Reason, lang: Lang) -> String {
    match reason {
        Reason::FormsOff => lang
            .pick(
                "form probes are switched off (forms = false)",
                "проверка форм выключена (forms = false)",
            )
            .into(),
        Reason::NotProbed(purpose) => format!(
            "{} ({purpose})",
            lang.pick(
                "only contact, callback, order, booking and quiz forms are probed",
                "проверяются только формы обратной связи, звонка, заказа, записи и квизы"
            )
        ),
        Reason::NeedsBrowser => lang
            .pick(
                "no <form> element: the page's script sends it, and only a browser can",
                "нет элемента <form>: её отправляет скрипт страницы, отправить её может только браузер",
            )
            .into(),
        Reason::OtherHost => lang
            .pick(
                "it sends to a host not on the allow-list",
                "отправляет на сайт не из списка разрешённых",
            )
            .into(),
        Reason::Captcha(ids) => format!(
            "{} ({ids})",
            lang.pick(
                "guarded by a captcha; doorbell does not solve captchas",
                "защищена капчей; doorbell капчи не решает"
            )
        ),
        Reason::NoAllowedPage => lang
            .pick(
                "it stands on no page of an allowed host",
                "стоит только на страницах других сайтов",
            )
            .into(),
        Reason::NoSmtp => lang
            .pick(
                "no SMTP server is set ([probe] smtp)",
                "не задан SMTP-сервер ([probe] smtp)",
            )
            .into(),
        Reason::EmailsOff => lang
            .pick(
                "e-mail probes are switched off (emails = false)",
                "проверка почты выключена (emails = false)",
            )
            .into(),
        Reason::DomainNotAllowed => lang
            .pick(
                "its domain is not on the allow-list",
                "домен адреса не в списке разрешённых",
            )
            .into(),
        Reason::OverLimit(n) => format!(
            "{} {n} (max_messages)",
            lang.pick(
                "over the limit of messages per run:",
                "сверх лимита сообщений за запуск:"
            )
        ),
    }
}
