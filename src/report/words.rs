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
        FetchError::Protocol(detail) => format!(
            "{}: {detail}",
            lang.pick(
                "the answer is not valid HTTP",
                "ответ сервера — не корректный HTTP"
            )
        ),
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
pub fn pages_suffix(pages: usize, lang: Lang) -> String {
    match pages {
        0 => String::new(),
        n => format!(" ({})", count(n, Counted::Page, lang)),
    }
}

/// What the extractors' problem codes mean, in Russian (English reads the codes as they are).
const PROBLEM_CODES_RU: [(&str, &str); 22] = [
    ("national-prefix", "номер с 8 вместо кода страны"),
    ("no-address", "нет адреса"),
    ("no-number", "нет номера"),
    ("no-scheme", "нет https://"),
    ("no-target", "не указано, с кем чат"),
    ("not-a-link", "не ссылка"),
    ("not-a-messenger-link", "ссылка не открывает мессенджер"),
    ("number-invalid", "номер не существует"),
    ("plus-missing", "нет %2B перед номером"),
    ("plus-not-encoded", "плюс не закодирован"),
    ("plus-sign", "плюс в номере"),
    ("proxy-domain", "зеркало Telegram"),
    ("repeated-scheme", "mailto: дважды"),
    ("separators", "разделители в номере"),
    ("space-before-query", "пробел перед ?"),
    ("text-not-encoded", "текст не закодирован"),
    ("too-many-recipients", "слишком много адресатов"),
    ("unencoded-space", "незакодированный пробел"),
    ("unknown-action", "неизвестное действие"),
    ("username-bad-characters", "недопустимые символы в имени"),
    ("username-too-long", "имя длиннее 32 символов"),
    ("username-too-short", "имя короче 5 символов"),
];

/// Evidence as the report shows it: the problem codes in its closing brackets
/// (`… (plus-sign, separators)`) in the report's language.
pub fn evidence(text: &str, lang: Lang) -> String {
    let (Lang::Ru, Some(open)) = (lang, text.rfind(" (")) else {
        return text.to_string();
    };
    let Some(codes) = text[open + 2..].strip_suffix(')') else {
        return text.to_string();
    };
    let words: Option<Vec<&str>> = codes
        .split(", ")
        .map(|code| {
            PROBLEM_CODES_RU
                .iter()
                .find(|(known, _)| *known == code)
                .map(|(_, ru)| *ru)
        })
        .collect();
    match words {
        Some(words) => format!("{} ({})", &text[..open], words.join(", ")),
        None => text.to_string(),
    }
}

/// A probe's channel as the report's language names it (`form`, `email` in the journal).
pub fn probe_channel_name(channel: &str, lang: Lang) -> &str {
    match channel {
        "form" => lang.pick("form", "форма"),
        "email" => "e-mail",
        other => other,
    }
}

/// "Mail servers not checked … for: example.com" when DNS could not say whether some e-mail
/// domains take mail; `None` when every domain was checked.
pub fn mail_unchecked_line(inv: &crate::inventory::Inventory, lang: Lang) -> Option<String> {
    let unknown: Vec<&str> = inv
        .mail_domains
        .iter()
        .filter(|d| d.status == crate::types::facts::MailStatus::Unknown)
        .map(|d| d.domain.as_str())
        .collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "{}: {}",
            lang.pick(
                "Mail servers not checked (DNS did not answer or was not asked) for",
                "Почтовые серверы не проверены (DNS не ответил или не спрашивали) для"
            ),
            unknown
                .iter()
                .map(|d| super::iri::readable_host(d))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// What the crawl left out to stay within its bounds, in one sentence; `None` when it met
/// none.
pub fn limits_line(crawl: &crate::types::crawl::CrawlSummary, lang: Lang) -> Option<String> {
    let limits = &crawl.limits;
    if !limits.any() {
        return None;
    }
    let n = |count: usize| grouped(count, lang);
    let mut parts = Vec::new();
    if limits.links_dropped > 0 {
        parts.push(format!(
            "{}: {}{} ({} {})",
            lang.pick("links not queued", "ссылок не в очереди"),
            if limits.links_dropped_at_least {
                lang.pick("at least ", "не меньше ")
            } else {
                ""
            },
            n(limits.links_dropped),
            lang.pick("the queue holds", "в очереди помещается"),
            n(limits.queue_capacity),
        ));
    }
    if limits.pages_with_links_cut > 0 {
        parts.push(format!(
            "{} {}: {}",
            lang.pick("pages with more links than", "страниц, где ссылок больше"),
            n(crate::types::crawl::MAX_LINKS_PER_PAGE),
            n(limits.pages_with_links_cut)
        ));
    }
    if limits.pages_nested_too_deep > 0 {
        parts.push(format!(
            "{} {} {}: {}",
            lang.pick("pages nested deeper than", "страниц с вложенностью глубже"),
            crate::extract::nesting::MAX_NESTING,
            lang.pick(
                "elements (the deeper tags ignored)",
                "элементов (глубже не читали)"
            ),
            n(limits.pages_nested_too_deep)
        ));
    }
    if limits.pages_with_elements_cut > 0 {
        parts.push(format!(
            "{} {} {}: {}",
            lang.pick("pages of more than", "страниц длиннее"),
            n(crate::extract::nesting::MAX_ELEMENTS),
            lang.pick(
                "elements (read up to there)",
                "элементов (прочитаны до этого места)"
            ),
            n(limits.pages_with_elements_cut)
        ));
    }
    if limits.points_dropped > 0 {
        parts.push(format!(
            "{}: {}",
            lang.pick("contact points not kept", "контактов не сохранено"),
            n(limits.points_dropped)
        ));
    }
    if limits.sitemaps_not_read > 0 {
        parts.push(format!(
            "{}: {}",
            lang.pick("sitemaps not read", "карт сайта не прочитано"),
            n(limits.sitemaps_not_read)
        ));
    }
    if limits.deadline_reached {
        parts.push(
            lang.pick(
                "the time limit (--max-time) was reached",
                "истёк лимит времени (--max-time)",
            )
            .to_string(),
        );
    }
    Some(format!(
        "{} {}.",
        lang.pick(
            "The audit stopped short to stay within its bounds:",
            "Аудит прочитал не всё, чтобы уложиться в пределы:"
        ),
        parts.join("; ")
    ))
}

/// A count with its thousands grouped as the language writes them: 12,345 / 12 345.
pub fn grouped(count: usize, lang: Lang) -> String {
    let digits = count.to_string();
    let separator = lang.pick(",", "\u{a0}");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// A widget's name in the report's language: the products keep their names (Jivo, Yandex
/// Maps); what we name by its kind (a site's own callback button) is worded.
pub fn widget_name(widget: &crate::inventory::Widget, lang: Lang) -> &str {
    match widget.id.as_str() {
        "callback-button" => lang.pick("Callback button", "Кнопка «Перезвоните мне»"),
        _ => &widget.name,
    }
}

/// What a report counts.
#[derive(Debug, Clone, Copy)]
pub enum Counted {
    Error,
    Warning,
    Notice,
    Page,
}

/// `n` and the noun in the form the number takes: "1 notice", "2 notices"; «1 замечание»,
/// «2 замечания», «5 замечаний», «21 замечание», «11 замечаний».
pub fn count(n: usize, what: Counted, lang: Lang) -> String {
    let (one, other, ru) = match what {
        Counted::Error => ("error", "errors", ["ошибка", "ошибки", "ошибок"]),
        Counted::Warning => (
            "warning",
            "warnings",
            ["предупреждение", "предупреждения", "предупреждений"],
        ),
        Counted::Notice => ("notice", "notices", ["замечание", "замечания", "замечаний"]),
        Counted::Page => ("page", "pages", ["страница", "страницы", "страниц"]),
    };
    let noun = match lang {
        Lang::En if n == 1 => one,
        Lang::En => other,
        Lang::Ru => ru[russian_plural(n)],
    };
    format!("{n} {noun}")
}

/// Which of the three Russian forms a number takes: 1 (21, 101) → 0, 2–4 (22–24) → 1, else 2.
fn russian_plural(n: usize) -> usize {
    match (n % 10, n % 100) {
        (1, h) if h != 11 => 0,
        (2..=4, h) if !(12..=14).contains(&h) => 1,
        _ => 2,
    }
}

/// A duration in seconds with one decimal, as each language writes it: "0.1 s", «0,1 с».
pub fn seconds(ms: u64, lang: Lang) -> String {
    let text = format!("{:.1}", ms as f64 / 1000.0);
    match lang {
        Lang::En => format!("{text} s"),
        Lang::Ru => format!("{} с", text.replace('.', ",")),
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
pub fn door_state_name(state: DoorState, partial: bool, lang: Lang) -> &'static str {
    match state {
        // Only a whole site read says a door is not there; a partial read says what it saw.
        DoorState::Absent if partial => lang.pick(
            "not found in the pages read",
            "не найден на прочитанных страницах",
        ),
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
                "no <form> element: the page's script sends it, and only a browser can (add --render auto)",
                "нет элемента <form>: её отправляет скрипт страницы, отправить её может только браузер (добавьте --render auto)",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_form_their_number_asks_for() {
        let ru = |n| count(n, Counted::Notice, Lang::Ru);
        assert_eq!(ru(1), "1 замечание");
        assert_eq!(ru(2), "2 замечания");
        assert_eq!(ru(5), "5 замечаний");
        assert_eq!(ru(11), "11 замечаний");
        assert_eq!(ru(12), "12 замечаний");
        assert_eq!(ru(21), "21 замечание");
        assert_eq!(ru(104), "104 замечания");
        assert_eq!(ru(0), "0 замечаний");
        assert_eq!(count(1, Counted::Notice, Lang::En), "1 notice");
        assert_eq!(count(0, Counted::Error, Lang::En), "0 errors");
        assert_eq!(seconds(120, Lang::Ru), "0,1 с");
        assert_eq!(seconds(1250, Lang::En), "1.2 s");
    }

    #[test]
    fn problem_codes_read_in_russian() {
        assert_eq!(
            evidence("https://wa.me/+7 900 (plus-sign, separators)", Lang::Ru),
            "https://wa.me/+7 900 (плюс в номере, разделители в номере)"
        );
        assert_eq!(
            evidence("t.me/ex (username-too-short)", Lang::En),
            "t.me/ex (username-too-short)"
        );
        // Brackets that hold no codes are the site's text.
        assert_eq!(evidence("Call (free)", Lang::Ru), "Call (free)");
    }
}
