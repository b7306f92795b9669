//! Live checks: what the probes showed, judged against the deadlines (PRACTICE.md 22–25).
//! Pure functions of [`ProbeFacts`] — the journal's record of one probe — so the catalogue's
//! examples can state facts and the same code judges them.

use serde::{Deserialize, Serialize};

use super::Hit;
use crate::journal::{Channel, Probe, ProbeState, Reply};
use crate::probe::Outcome;
use crate::probe::answer::FormAnswer;
use crate::probe::settings::Deadlines;
use crate::rulebook::Rule;

/// A message that came back, as the checks see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReplyFacts {
    /// Seconds from sending to arrival.
    pub after_s: i64,
    /// `automatic` or `human`.
    pub kind: String,
    pub folder: String,
    pub junk: bool,
    pub subject: String,
    pub eta: Option<String>,
    pub alternatives: bool,
}

/// One probe as the journal knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProbeFacts {
    /// The probe's id in the journal (none in catalogue examples).
    #[serde(skip)]
    pub id: Option<i64>,
    /// `form` or `email`.
    pub channel: String,
    pub target: String,
    pub page: Option<String>,
    pub purpose: Option<String>,
    /// `sent`, `failed`, `in-doubt`, `planned`.
    pub state: String,
    /// Seconds since the epoch.
    pub sent_at: Option<i64>,
    /// Why sending failed.
    pub failure: Option<String>,
    pub answer: Option<FormAnswer>,
    /// The form took our e-mail address.
    pub gave_email: bool,
    /// What we typed (name, phone, e-mail), for the notification subject check.
    pub typed: Vec<String>,
    /// Messages to our mailbox, earliest first.
    pub replies: Vec<ReplyFacts>,
    /// Messages in the company's inbox; absent when no notification mailbox is watched.
    pub notifications: Option<Vec<ReplyFacts>>,
    /// Seconds from sending to the moment of judging.
    pub waited_s: i64,
    pub deadlines: Deadlines,
}

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

impl ProbeFacts {
    /// The facts of `probe` at `now`.
    pub fn from_journal(
        probe: &Probe,
        replies: &[Reply],
        now: i64,
        notification_watched: bool,
        deadlines: Deadlines,
    ) -> Self {
        let outcome: Outcome = probe
            .outcome
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok())
            .unwrap_or_default();
        let sent_at = probe.sent_at.unwrap_or(now);
        let of = |mailbox: &str| -> Vec<ReplyFacts> {
            replies
                .iter()
                .filter(|r| r.mailbox == mailbox)
                .map(|r| reply_facts(r, sent_at))
                .collect()
        };
        Self {
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

    fn is_form(&self) -> bool {
        self.channel == "form"
    }

    fn sent(&self) -> bool {
        self.state == "sent"
    }

    fn submitted(&self) -> bool {
        self.sent() && self.answer.as_ref().is_none_or(|a| !a.failed())
    }

    /// A confirmation can come by mail: an e-mail probe, or a form that took our address.
    pub fn expects_confirmation(&self) -> bool {
        self.submitted() && (!self.is_form() || self.gave_email)
    }

    /// A person's answer can come by mail. A callback form is answered by a phone call,
    /// which doorbell cannot hear.
    pub fn expects_human_reply(&self) -> bool {
        self.expects_confirmation() && self.purpose.as_deref() != Some("callback")
    }

    pub fn first_automatic(&self) -> Option<&ReplyFacts> {
        self.replies.iter().find(|r| r.kind == "automatic")
    }

    pub fn first_human(&self) -> Option<&ReplyFacts> {
        self.replies.iter().find(|r| r.kind == "human")
    }

    /// Nothing more to wait for: every expected message came or its deadline passed.
    pub fn settled(&self) -> bool {
        if !self.sent() {
            return true;
        }
        let d = &self.deadlines;
        let confirmation = !self.expects_confirmation()
            || !self.replies.is_empty()
            || self.waited_s >= d.confirmation_s;
        let human = !self.expects_human_reply()
            || self.first_human().is_some()
            || self.waited_s >= d.reply_s;
        let notification = match &self.notifications {
            Some(list) if self.is_form() && self.submitted() => {
                list.iter().any(|n| !n.junk) || self.waited_s >= d.confirmation_s
            }
            _ => true,
        };
        confirmation && human && notification
    }

    /// How the probe is doing, in one word: `failed`, `waiting`, `answered`, `confirmed`,
    /// `no-reply`, `sent`, `in-doubt`.
    pub fn status(&self) -> &'static str {
        if self.state == "failed" || self.answer.as_ref().is_some_and(FormAnswer::failed) {
            return "failed";
        }
        if self.state == "in-doubt" {
            return "in-doubt";
        }
        if !self.sent() {
            return "planned";
        }
        if self.first_human().is_some() {
            "answered"
        } else if !self.replies.is_empty() {
            "confirmed"
        } else if !self.settled() {
            "waiting"
        } else if self.expects_confirmation() {
            "no-reply"
        } else {
            "sent"
        }
    }

    fn subject_line(&self) -> String {
        match (&self.page, self.is_form()) {
            (Some(page), true) => format!("{} ({page})", self.target),
            _ => self.target.clone(),
        }
    }

    fn hit(&self, evidence: impl Into<String>) -> Vec<Hit> {
        vec![Hit::new(
            self.subject_line(),
            evidence,
            self.page.iter().cloned(),
        )]
    }
}

fn minutes(seconds: i64) -> String {
    if seconds < 120 {
        format!("{seconds} s")
    } else if seconds < 2 * 3600 {
        format!("{} min", seconds / 60)
    } else {
        format!("{:.1} h", seconds as f64 / 3600.0)
    }
}

type LiveCheck = fn(&ProbeFacts, &Rule) -> Vec<Hit>;

/// The live check that implements a rule id.
pub fn check_for(id: &str) -> Option<LiveCheck> {
    Some(match id {
        "form.submit-failed" => submit_failed,
        "form.no-confirmation" => no_confirmation,
        "form.confirmation-no-eta" => confirmation_no_eta,
        "reply.autoreply-missing" => autoreply_missing,
        "reply.autoreply-no-eta" => autoreply_no_eta,
        "reply.autoreply-no-alternatives" => autoreply_no_alternatives,
        "reply.late" => late,
        "reply.none" => none,
        "form.notification-missing" => notification_missing,
        "form.notification-in-junk" => notification_in_junk,
        "form.notification-subject-generic" => notification_subject_generic,
        _ => return None,
    })
}

fn submit_failed(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    if !p.is_form() {
        return Vec::new();
    }
    if p.state == "failed" {
        return p.hit(p.failure.clone().unwrap_or_else(|| "not sent".into()));
    }
    match &p.answer {
        Some(a) if a.captcha => p.hit(format!("HTTP {}: a captcha challenge", a.status)),
        Some(a) if a.failed() => p.hit(match &a.error {
            Some(error) => format!("HTTP {}: {error}", a.status),
            None => format!("HTTP {}", a.status),
        }),
        _ => Vec::new(),
    }
}

fn no_confirmation(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match &p.answer {
        Some(a) if p.is_form() && p.sent() && !a.failed() && a.confirmation.is_none() => p.hit(
            format!("HTTP {}, {}: no words of acceptance", a.status, a.final_url),
        ),
        _ => Vec::new(),
    }
}

fn confirmation_no_eta(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match &p.answer {
        Some(a) if p.is_form() && !a.failed() && a.eta.is_none() => a
            .confirmation
            .as_ref()
            .map(|c| p.hit(format!("«{c}»")))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn autoreply_missing(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    let deadline = p.deadlines.confirmation_s;
    if !p.expects_confirmation() || p.waited_s < deadline {
        return Vec::new();
    }
    if p.replies.iter().any(|r| r.after_s <= deadline) {
        return Vec::new();
    }
    p.hit(match p.replies.first() {
        Some(r) => format!(
            "first message after {}, deadline {}",
            minutes(r.after_s),
            minutes(deadline)
        ),
        None => format!("nothing in {}", minutes(p.waited_s)),
    })
}

fn autoreply_no_eta(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match p.first_automatic() {
        Some(r) if r.eta.is_none() => p.hit(format!("«{}»", r.subject)),
        _ => Vec::new(),
    }
}

fn autoreply_no_alternatives(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match p.first_automatic() {
        Some(r) if !r.alternatives => p.hit(format!("«{}»", r.subject)),
        _ => Vec::new(),
    }
}

fn late(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match p.first_human() {
        Some(r) if r.after_s > p.deadlines.reply_s => p.hit(format!(
            "answered after {}, deadline {}",
            minutes(r.after_s),
            minutes(p.deadlines.reply_s)
        )),
        _ => Vec::new(),
    }
}

fn none(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    if p.expects_human_reply() && p.first_human().is_none() && p.waited_s >= p.deadlines.reply_s {
        p.hit(format!("no answer in {}", minutes(p.waited_s)))
    } else {
        Vec::new()
    }
}

fn notifications(p: &ProbeFacts) -> Option<&[ReplyFacts]> {
    p.notifications
        .as_deref()
        .filter(|_| p.is_form() && p.submitted())
}

fn notification_missing(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match notifications(p) {
        Some([]) if p.waited_s >= p.deadlines.confirmation_s => {
            p.hit(format!("nothing in the inbox in {}", minutes(p.waited_s)))
        }
        _ => Vec::new(),
    }
}

fn notification_in_junk(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match notifications(p) {
        Some(list) if !list.is_empty() && list.iter().all(|n| n.junk) => {
            p.hit(format!("in «{}»: «{}»", list[0].folder, list[0].subject))
        }
        _ => Vec::new(),
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn notification_subject_generic(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    let Some(first) = notifications(p).and_then(<[ReplyFacts]>::first) else {
        return Vec::new();
    };
    let subject = first.subject.to_lowercase();
    let shows_something = p.typed.iter().any(|typed| {
        let typed_digits = digits(typed);
        let lower = typed.to_lowercase();
        (!lower.is_empty() && subject.contains(&lower))
            || lower
                .split(['@', '+'])
                .next()
                .is_some_and(|local| local.len() > 2 && subject.contains(local))
            || (typed_digits.len() >= 7 && digits(&subject).contains(&typed_digits[1..]))
    });
    if shows_something {
        Vec::new()
    } else {
        p.hit(format!("«{}»", first.subject))
    }
}

/// A probe in a report: its facts and what they came to.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeRow {
    #[serde(flatten)]
    pub facts: ProbeFacts,
    pub status: &'static str,
    /// Seconds to the first message back, whoever wrote it.
    pub first_reply_after_s: Option<i64>,
    pub confirmation_after_s: Option<i64>,
    pub human_reply_after_s: Option<i64>,
    pub notification_after_s: Option<i64>,
}

impl From<ProbeFacts> for ProbeRow {
    fn from(facts: ProbeFacts) -> Self {
        Self {
            status: facts.status(),
            first_reply_after_s: facts.replies.first().map(|r| r.after_s),
            confirmation_after_s: facts.first_automatic().map(|r| r.after_s),
            human_reply_after_s: facts.first_human().map(|r| r.after_s),
            notification_after_s: facts
                .notifications
                .as_ref()
                .and_then(|n| n.first())
                .map(|r| r.after_s),
            facts,
        }
    }
}
