//! From a message that landed to a line in the journal: parsed, matched to its probe,
//! classified, and its promise of a time and its other channels noted.

use std::sync::LazyLock;

use regex::Regex;

use super::Arrival;
use super::message::{self, Author};
use crate::journal::{Journal, JournalError, Probe, Reply};
use crate::rulebook::Phrases;
use crate::rulebook::promise;

/// Which mailbox a message was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailbox {
    /// Ours: where confirmations and replies to the persona land.
    Persona,
    /// The company's own inbox: where its site's form notifications should land.
    Notification,
}

impl Mailbox {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Persona => "persona",
            Self::Notification => "notification",
        }
    }
}

/// A phone number in a message: ten digits or more, spaced or dashed as people write them.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\d[\d\s().-]{8,}\d").expect("valid phone pattern"));

/// Whether a message names another way to reach the company: a phone number or a
/// messenger.
pub fn names_alternatives(text: &str, phrases: &Phrases) -> bool {
    let lower = text.to_lowercase();
    let words = &phrases.messenger_words;
    let messenger = [&words.whatsapp, &words.telegram, &words.viber, &words.skype]
        .iter()
        .any(|list| list.iter().any(|w| lower.contains(w.as_str())))
        || ["t.me/", "wa.me/", "vk.me/", "max.ru/"]
            .iter()
            .any(|w| lower.contains(w));
    let phone = PHONE.find_iter(text).any(|m| {
        m.as_str().chars().filter(char::is_ascii_digit).count() >= 10 && !m.as_str().contains("db-")
    });
    messenger || phone
}

/// Records `arrival` against its probe; returns the probe's id when it matched one and was
/// new to the journal.
///
/// # Errors
/// The journal could not be written.
pub fn record(
    journal: &Journal,
    probes: &[Probe],
    arrival: &Arrival,
    mailbox: Mailbox,
    phrases: &Phrases,
    persona_email: &str,
) -> Result<Option<i64>, JournalError> {
    let Some(mail) = message::parse(&arrival.raw, phrases) else {
        return Ok(None);
    };
    let own_id = |p: &Probe| {
        p.message_id
            .as_deref()
            .map(|id| id.trim_matches(['<', '>']))
            .is_some_and(|id| mail.message_id.as_deref() == Some(id))
    };
    // Our own probe, delivered to a mailbox we watch, is not an answer to itself.
    if probes.iter().any(own_id) {
        return Ok(None);
    }
    let persona_local = persona_email
        .split_once('@')
        .map(|(l, d)| (l.to_lowercase(), d.to_lowercase()));
    let from_persona = persona_local.as_ref().is_some_and(|(local, domain)| {
        mail.from.ends_with(&format!("@{domain}"))
            && (mail.from.starts_with(&format!("{local}@"))
                || mail.from.starts_with(&format!("{local}+")))
    });
    if mailbox == Mailbox::Persona && from_persona {
        return Ok(None);
    }
    let by_typed = || {
        (mailbox == Mailbox::Notification)
            .then(|| message::form_probe_by_typed(&mail, probes, arrival.arrived_at))
            .flatten()
    };
    let Some(probe) = message::probe_for(&mail, probes).or_else(by_typed) else {
        return Ok(None);
    };
    let words = format!("{}\n{}", mail.subject, mail.text);
    let reply = Reply {
        message_id: mail.message_id.clone().unwrap_or_else(|| {
            format!("{}/{}/{}", arrival.folder, arrival.arrived_at, mail.subject)
        }),
        received_at: arrival.arrived_at,
        folder: arrival.folder.clone(),
        kind: match mail.author {
            Author::Automatic(_) => "automatic".into(),
            Author::Human => "human".into(),
        },
        from: mail.from.clone(),
        subject: mail.subject.clone(),
        mailbox: mailbox.as_str().into(),
        eta: promise::find(&words),
        alternatives: names_alternatives(&mail.text, phrases),
        junk: arrival.junk,
    };
    let added = journal.record_reply(probe.id, &reply)?;
    Ok(added.then_some(probe.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::BUILTIN;

    #[test]
    fn other_channels_are_noticed() {
        let p = &BUILTIN.phrases;
        assert!(names_alternatives("Звоните: +7 (495) 000-00-00", p));
        assert!(names_alternatives("Пишите нам в Telegram", p));
        assert!(names_alternatives("or https://wa.me/74950000000", p));
        assert!(!names_alternatives(
            "Мы ответим в течение 2 часов. Заявка №12345.",
            p
        ));
        assert!(!names_alternatives(
            "Test code: db-abcdefghijkm, 22.11.2026",
            p
        ));
    }
}
