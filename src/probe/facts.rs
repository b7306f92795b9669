//! A probe's facts read back from the journal: what was sent, what the form answered, what
//! came back and when. The live rules judge these; the watch asks them whether to go on.

use super::settings::ProbeSettings;
use crate::journal::{Channel, Journal, JournalError, Probe, ProbeState, Reply};
use crate::types::probe::{Deadlines, ProbeFacts, ReplyFacts};

fn reply_facts(reply: &Reply, sent_at: i64) -> ReplyFacts {
    ReplyFacts {
        after_s: (reply.received_at - sent_at).max(0),
        kind: reply.kind.clone(),
        junk: reply.junk,
        folder: reply.folder.clone(),
        subject: reply.subject.clone(),
        eta: reply.eta.clone(),
        alternatives: reply.alternatives,
    }
}

/// The facts of `probe` at `now`.
pub fn from_journal(
    probe: &Probe,
    replies: &[Reply],
    now: i64,
    notification_watched: bool,
    deadlines: Deadlines,
) -> ProbeFacts {
    let outcome = probe.sent_outcome();
    let sent_at = probe.sent_at.unwrap_or(now);
    let of = |mailbox: &str| -> Vec<ReplyFacts> {
        replies
            .iter()
            .filter(|r| r.mailbox == mailbox)
            .map(|r| reply_facts(r, sent_at))
            .collect()
    };
    ProbeFacts {
        id: Some(probe.id),
        channel: match probe.channel {
            Channel::Form => "form".into(),
            Channel::Email => "email".into(),
        },
        target: probe.target.clone(),
        page: probe.page.clone(),
        purpose: probe.purpose.clone(),
        state: serde_json::to_value(probe.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        sent_at: probe.sent_at,
        failure: (probe.state == ProbeState::Failed)
            .then(|| probe.detail.clone())
            .flatten(),
        answer: outcome.answer,
        gave_email: outcome.gave_email,
        typed: outcome.typed,
        replies: of("persona"),
        notifications: notification_watched.then(|| of("notification")),
        waited_s: (now - sent_at).max(0),
        deadlines,
    }
}

/// The facts of every probe of a run, now.
///
/// # Errors
/// The journal cannot be read.
pub fn facts_of_run(
    journal: &Journal,
    run: i64,
    settings: &ProbeSettings,
    at: i64,
) -> Result<Vec<ProbeFacts>, JournalError> {
    journal
        .probes(run)?
        .iter()
        .filter(|p| p.state != ProbeState::Planned)
        .map(|p| {
            let deadlines = match p.channel {
                Channel::Form => settings.form_deadlines,
                Channel::Email => settings.email_deadlines,
            };
            Ok(from_journal(
                p,
                &journal.replies(p.id)?,
                at,
                settings.notification_mailbox.is_some(),
                deadlines,
            ))
        })
        .collect()
}
