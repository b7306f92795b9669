//! One probe as the journal knows it, and how it is doing: the probe stage writes these
//! facts, the live rules judge them, baselines and reports show them.

use serde::{Deserialize, Serialize};

use super::contact::{DoorKind, FormPurpose};

/// How long a company has, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deadlines {
    /// To confirm that the message arrived (an automatic reply, a confirmation mail).
    pub confirmation_s: i64,
    /// For a person to answer.
    pub reply_s: i64,
}

/// PRACTICE.md: confirm within 15 minutes…
pub const DEFAULT_CONFIRMATION_S: i64 = 15 * 60;
/// …and answer within two hours.
pub const DEFAULT_REPLY_S: i64 = 2 * 60 * 60;

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            confirmation_s: DEFAULT_CONFIRMATION_S,
            reply_s: DEFAULT_REPLY_S,
        }
    }
}

/// What the journal keeps of sending a probe (JSON in `probes.outcome`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
// A journal written before a field was added still reads.
#[serde(default)]
pub struct Outcome {
    /// A form's answer.
    pub answer: Option<FormAnswer>,
    /// The form took our e-mail address, so a confirmation mail can come.
    pub gave_email: bool,
    pub gave_phone: bool,
    /// What we typed that a notification subject could show (name, phone, e-mail).
    pub typed: Vec<String>,
}

/// The answer to a submission, as the journal keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormAnswer {
    pub status: u16,
    /// Where the answer came from after redirects.
    pub final_url: String,
    /// The confirming words, when there were any («Спасибо! Заявка принята»).
    pub confirmation: Option<String>,
    /// The promise of a time, when there was one («в течение 15 минут»).
    pub eta: Option<String>,
    /// What went wrong, when the answer said so.
    pub error: Option<String>,
    /// The answer asked to solve a captcha.
    pub captcha: bool,
    /// Sent in a browser (`--render`): the button was clicked and the page's script sent it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub browser: bool,
    /// Requests the page tried to send to hosts outside `allow_hosts` while it was filled
    /// and sent: failed before they left.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<String>,
}

impl FormAnswer {
    /// The submission did not get through.
    pub fn failed(&self) -> bool {
        self.status >= 400 || self.error.is_some() || self.captcha
    }
}

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

impl ProbeFacts {
    pub fn is_form(&self) -> bool {
        self.channel == "form"
    }

    pub fn sent(&self) -> bool {
        self.state == "sent"
    }

    pub fn submitted(&self) -> bool {
        self.sent() && self.answer.as_ref().is_none_or(|a| !a.failed())
    }

    /// The door the probe knocked on: the e-mail, or the form of its purpose.
    pub fn door(&self) -> DoorKind {
        if !self.is_form() {
            return DoorKind::Email;
        }
        DoorKind::Form(
            self.purpose
                .as_deref()
                .and_then(FormPurpose::from_name)
                .unwrap_or(FormPurpose::Contact),
        )
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

    /// Seconds until the next deadline this probe still waits on; `None` when nothing is
    /// awaited. The watch wakes then, so a probe is judged at its deadline, not when the
    /// mailbox next has news.
    pub fn next_deadline_in_s(&self) -> Option<i64> {
        if !self.sent() {
            return None;
        }
        let d = &self.deadlines;
        let awaited = [
            (self.expects_confirmation() && self.replies.is_empty()).then_some(d.confirmation_s),
            (self.expects_human_reply() && self.first_human().is_none()).then_some(d.reply_s),
            match &self.notifications {
                Some(list)
                    if self.is_form() && self.submitted() && !list.iter().any(|n| !n.junk) =>
                {
                    Some(d.confirmation_s)
                }
                _ => None,
            },
        ];
        awaited
            .into_iter()
            .flatten()
            .filter(|deadline| *deadline > self.waited_s)
            .map(|deadline| deadline - self.waited_s)
            .min()
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
