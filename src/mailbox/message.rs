//! One message: who sent it, whether a robot or a person did, and which probe it answers.

use mail_parser::{HeaderValue, MessageParser};
use serde::Serialize;

use crate::journal::Probe;
use crate::rulebook::Phrases;

/// Who wrote a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "why", rename_all = "lowercase")]
pub enum Author {
    /// A robot, and what gave it away (`Auto-Submitted: auto-replied`, a phrase…).
    Automatic(String),
    Human,
}

/// What we read of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mail {
    pub message_id: Option<String>,
    /// Message-IDs it answers (In-Reply-To and References), without angle brackets.
    pub answers: Vec<String>,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    /// Seconds since the Unix epoch, from the Date header.
    pub date: Option<i64>,
    /// The plain text (or text taken from HTML), capped.
    pub text: String,
    pub author: Author,
}

/// How much of a body we keep: enough for tokens, phrases and promises.
const TEXT_CAP: usize = 64 * 1024;

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.trim_matches(['<', '>']).to_string()],
        HeaderValue::TextList(list) => list
            .iter()
            .map(|id| id.trim_matches(['<', '>']).to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses a raw message (RFC 5322, MIME, RFC 2047 words and all); `None` when it is not
/// one.
pub fn parse(raw: &[u8], phrases: &Phrases) -> Option<Mail> {
    let message = MessageParser::default().parse(raw)?;
    let mut text = message
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    if text.len() > TEXT_CAP {
        let cut = crate::text::floor_char_boundary(&text, TEXT_CAP);
        text.truncate(cut);
    }
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    let subject = message.subject().unwrap_or_default().to_string();
    let mut answers = ids(message.in_reply_to());
    answers.extend(ids(message.references()));
    let author = judge_author(
        header("Auto-Submitted").as_deref(),
        header("X-Autoreply").is_some() || header("X-Autorespond").is_some(),
        header("Precedence").as_deref(),
        &format!("{subject}\n{text}").to_lowercase(),
        phrases,
    );
    Some(Mail {
        message_id: message
            .message_id()
            .map(|id| id.trim_matches(['<', '>']).to_string()),
        answers,
        from: message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_lowercase(),
        to: message
            .to()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.address())
                    .map(str::to_lowercase)
                    .collect()
            })
            .unwrap_or_default(),
        subject,
        date: message.date().map(mail_parser::DateTime::to_timestamp),
        text,
        author,
    })
}

/// RFC 3834's `Auto-Submitted` first, then the de-facto headers, then the words.
fn judge_author(
    auto_submitted: Option<&str>,
    x_autoreply: bool,
    precedence: Option<&str>,
    words: &str,
    phrases: &Phrases,
) -> Author {
    if let Some(value) = auto_submitted
        && value != "no"
    {
        return Author::Automatic(format!("Auto-Submitted: {value}"));
    }
    if x_autoreply {
        return Author::Automatic("X-Autoreply".into());
    }
    if let Some(value) = precedence
        && matches!(value, "auto_reply" | "bulk" | "junk" | "list")
    {
        return Author::Automatic(format!("Precedence: {value}"));
    }
    match phrases
        .auto_reply_phrases
        .iter()
        .find(|p| words.contains(p.as_str()))
    {
        Some(phrase) => Author::Automatic(format!("«{phrase}»")),
        None => Author::Human,
    }
}

/// The probe a message answers: by our Message-ID in In-Reply-To/References, else by the
/// token in the subject, the body, or a plus-address (`box+TOKEN@`).
pub fn probe_for<'p>(mail: &Mail, probes: &'p [Probe]) -> Option<&'p Probe> {
    let by_thread = probes.iter().find(|p| {
        p.message_id
            .as_deref()
            .map(|id| id.trim_matches(['<', '>']))
            .is_some_and(|id| mail.answers.iter().any(|a| a == id))
    });
    by_thread.or_else(|| {
        let haystack =
            format!("{}\n{}\n{}", mail.subject, mail.text, mail.to.join(" ")).to_lowercase();
        probes.iter().find(|p| haystack.contains(&p.token))
    })
}

/// The last ten digits of a phone number: `+7 900…` and `8 (900)…` are the same number.
fn national_digits(text: &str) -> Option<String> {
    let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 10).then(|| digits[digits.len() - 10..].iter().collect())
}

/// The form probe a notification without our token is about: a form that takes only a name
/// and a phone (most callback forms) sends the company nothing else of ours. Among the sent
/// form probes whose typed name or phone the message shows, the last one sent before it
/// arrived — the same answer however often the message is read again.
pub fn form_probe_by_typed<'p>(
    mail: &Mail,
    probes: &'p [Probe],
    arrived_at: i64,
) -> Option<&'p Probe> {
    let text = format!("{}\n{}", mail.subject, mail.text);
    let lower = text.to_lowercase();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let shows = |probe: &Probe| {
        let typed = probe.sent_outcome().typed;
        let name = typed.first().filter(|n| n.chars().count() >= 3);
        let phone = typed.get(1).and_then(|p| national_digits(p));
        name.is_some_and(|n| lower.contains(&n.to_lowercase()))
            || phone.is_some_and(|p| digits.contains(&p))
    };
    probes
        .iter()
        .filter(|p| p.channel == crate::journal::Channel::Form)
        .filter(|p| p.sent_at.is_some_and(|at| at <= arrived_at))
        .filter(|p| shows(p))
        .max_by_key(|p| (p.sent_at, p.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Channel, ProbeState};
    use crate::rulebook::BUILTIN;

    const AUTO: &[u8] = b"From: =?UTF-8?B?0JzQsNCz0LDQt9C40L0=?= <info@example.com>\r\n\
To: tester+db-abcdefghijkm@example.org\r\n\
Subject: =?UTF-8?B?0JLQsNGI0LAg0LfQsNGP0LLQutCwINC/0YDQuNC90Y/RgtCw?=\r\n\
Message-ID: <auto-1@example.com>\r\n\
In-Reply-To: <probe-1@doorbell.example>\r\n\
Auto-Submitted: auto-replied\r\n\
Date: Sun, 22 Nov 2026 20:00:00 +0000\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
\xd0\x97\xd0\xb4\xd1\x80\xd0\xb0\xd0\xb2\xd1\x81\xd1\x82\xd0\xb2\xd1\x83\xd0\xb9\xd1\x82\xd0\xb5!\r\n";

    const HUMAN: &[u8] = b"From: Manager <sales@example.com>\r\n\
To: tester@example.org\r\n\
Subject: Re: test db-zyxwvutsrqpn\r\n\
Message-ID: <human-1@example.com>\r\n\
Date: Sun, 22 Nov 2026 21:30:00 +0300\r\n\
\r\n\
Good evening, we can repair it tomorrow.\r\n";

    fn probe(id: i64, token: &str, message_id: Option<&str>) -> Probe {
        Probe {
            id,
            run: 1,
            channel: Channel::Email,
            target: "info@example.com".into(),
            token: token.into(),
            state: ProbeState::Sent,
            sent_at: Some(0),
            message_id: message_id.map(str::to_string),
            detail: None,
            page: None,
            purpose: None,
            outcome: None,
        }
    }

    #[test]
    fn a_notification_without_a_token_goes_to_the_last_form_sent_before_it_that_it_names() {
        let form = |id: i64, sent_at: i64| Probe {
            channel: Channel::Form,
            target: format!("https://shop.example.com/send/{id}"),
            sent_at: Some(sent_at),
            outcome: Some(
                r#"{"typed":["Тест Тестов","+7 900 000-00-00","tester+db-x@example.org"]}"#.into(),
            ),
            ..probe(id, &format!("db-{id}"), None)
        };
        let probes = [form(1, 100), form(2, 160), probe(3, "db-3", None)];
        let by_phone = parse(
            "From: robot@shop.example.com\r\nSubject: Обратный звонок\r\n\r\nТелефон: 8 (900) 000-00-00\r\n"
                .as_bytes(),
            &BUILTIN.phrases,
        )
        .unwrap();
        let picked = |mail: &Mail, at| form_probe_by_typed(mail, &probes, at).map(|p| p.id);
        assert_eq!(
            picked(&by_phone, 120),
            Some(1),
            "the second was not sent yet"
        );
        assert_eq!(picked(&by_phone, 170), Some(2));
        assert_eq!(picked(&by_phone, 50), None, "before any was sent");
        let by_name = parse(
            "From: robot@shop.example.com\r\nSubject: Lead: тест тестов\r\n\r\n-\r\n".as_bytes(),
            &BUILTIN.phrases,
        )
        .unwrap();
        assert_eq!(picked(&by_name, 120), Some(1));
        let other = parse(
            "From: robot@shop.example.com\r\nSubject: Lead: Ivan, +7 911 111-11-11\r\n\r\n-\r\n"
                .as_bytes(),
            &BUILTIN.phrases,
        )
        .unwrap();
        assert_eq!(picked(&other, 170), None, "someone else's enquiry");
    }

    #[test]
    fn an_auto_reply_in_russian_is_read_and_classified() {
        let mail = parse(AUTO, &BUILTIN.phrases).unwrap();
        assert_eq!(mail.subject, "Ваша заявка принята");
        assert_eq!(mail.from, "info@example.com");
        assert_eq!(
            mail.author,
            Author::Automatic("Auto-Submitted: auto-replied".into())
        );
        assert_eq!(mail.date, Some(1_795_377_600));
        assert!(mail.text.contains("Здравствуйте"));
    }

    #[test]
    fn a_person_is_a_person_and_phrases_alone_reveal_a_robot() {
        let mail = parse(HUMAN, &BUILTIN.phrases).unwrap();
        assert_eq!(mail.author, Author::Human);
        let robot = b"From: a@example.com\r\nSubject: Hello\r\n\r\nThis is an automatic reply, do not reply to this message.\r\n";
        assert!(matches!(
            parse(robot, &BUILTIN.phrases).unwrap().author,
            Author::Automatic(_)
        ));
        let list = b"From: a@example.com\r\nPrecedence: bulk\r\nSubject: News\r\n\r\nHi\r\n";
        assert_eq!(
            parse(list, &BUILTIN.phrases).unwrap().author,
            Author::Automatic("Precedence: bulk".into())
        );
    }

    #[test]
    fn replies_find_their_probe_by_thread_token_or_plus_address() {
        let probes = [
            probe(1, "db-abcdefghijkm", Some("<probe-1@doorbell.example>")),
            probe(2, "db-zyxwvutsrqpn", None),
            probe(3, "db-222222222222", None),
        ];
        let auto = parse(AUTO, &BUILTIN.phrases).unwrap();
        assert_eq!(probe_for(&auto, &probes).map(|p| p.id), Some(1));
        let human = parse(HUMAN, &BUILTIN.phrases).unwrap();
        assert_eq!(probe_for(&human, &probes).map(|p| p.id), Some(2));
        let stranger = parse(
            b"From: x@example.com\r\nSubject: Spam\r\n\r\nBuy now\r\n",
            &BUILTIN.phrases,
        )
        .unwrap();
        assert!(probe_for(&stranger, &probes).is_none());
    }
}
