//! Live checks: what the probes showed, judged against the deadlines (PRACTICE.md 22–25).
//! Pure functions of [`ProbeFacts`] — the journal's record of one probe — so the catalogue's
//! examples can state facts and the same code judges them.

use super::Hit;
use crate::rulebook::Rule;
use crate::types::probe::{ProbeFacts, ReplyFacts};

/// The probe as a finding names it: the form's action and its page, or the address.
fn subject_line(p: &ProbeFacts) -> String {
    match (&p.page, p.is_form()) {
        (Some(page), true) => format!("{} ({page})", p.target),
        _ => p.target.clone(),
    }
}

/// One hit on the probe, with what shows the problem.
fn hit(p: &ProbeFacts, evidence: impl Into<String>) -> Vec<Hit> {
    vec![Hit::new(subject_line(p), evidence, p.page.iter().cloned()).at(p.door())]
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
        return hit(p, p.failure.clone().unwrap_or_else(|| "not sent".into()));
    }
    match &p.answer {
        Some(a) if a.captcha => hit(p, format!("HTTP {}: a captcha challenge", a.status)),
        Some(a) if a.failed() => hit(
            p,
            match (&a.error, a.status) {
                // Sent in a browser, and no request left the page.
                (Some(error), 0) => error.clone(),
                (Some(error), status) => format!("HTTP {status}: {error}"),
                (None, status) => format!("HTTP {status}"),
            },
        ),
        _ => Vec::new(),
    }
}

fn no_confirmation(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match &p.answer {
        Some(a) if p.is_form() && p.sent() && !a.failed() && a.confirmation.is_none() => hit(
            p,
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
            .map(|c| hit(p, format!("«{c}»")))
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
    hit(
        p,
        match p.replies.first() {
            Some(r) => format!(
                "first message after {}, deadline {}",
                minutes(r.after_s),
                minutes(deadline)
            ),
            None => format!(
                "nothing in {}, deadline {}",
                minutes(p.waited_s),
                minutes(deadline)
            ),
        },
    )
}

fn autoreply_no_eta(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match p.first_automatic() {
        Some(r) if r.eta.is_none() => hit(p, format!("«{}»", r.subject)),
        _ => Vec::new(),
    }
}

fn autoreply_no_alternatives(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match p.first_automatic() {
        Some(r) if !r.alternatives => hit(p, format!("«{}»", r.subject)),
        _ => Vec::new(),
    }
}

fn late(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match p.first_human() {
        Some(r) if r.after_s > p.deadlines.reply_s => hit(
            p,
            format!(
                "answered after {}, deadline {}",
                minutes(r.after_s),
                minutes(p.deadlines.reply_s)
            ),
        ),
        _ => Vec::new(),
    }
}

fn none(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    if p.expects_human_reply() && p.first_human().is_none() && p.waited_s >= p.deadlines.reply_s {
        hit(
            p,
            format!(
                "no answer in {}, deadline {}",
                minutes(p.waited_s),
                minutes(p.deadlines.reply_s)
            ),
        )
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
        Some([]) if p.waited_s >= p.deadlines.confirmation_s => hit(
            p,
            format!(
                "nothing in the inbox in {}, deadline {}",
                minutes(p.waited_s),
                minutes(p.deadlines.confirmation_s)
            ),
        ),
        _ => Vec::new(),
    }
}

fn notification_in_junk(p: &ProbeFacts, _: &Rule) -> Vec<Hit> {
    match notifications(p) {
        Some(list) if !list.is_empty() && list.iter().all(|n| n.junk) => {
            hit(p, format!("in «{}»: «{}»", list[0].folder, list[0].subject))
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
        hit(p, format!("«{}»", first.subject))
    }
}
