//! Each door's probes over the runs the journal keeps: how it ended and how long the answers
//! took, run after run. `doorbell history` prints it; the HTML report draws it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Journal, JournalError, ProbeState};

/// How many of the latest runs `doorbell history` and the reports' trend charts show.
pub const DEFAULT_RUNS: usize = 14;

/// One run's probe of one door.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub run: i64,
    /// When the run started, seconds since the epoch.
    pub started_at: i64,
    /// The latest verdict on the probe (`answered`, `confirmed`, `failed`, …); `unjudged`
    /// before any `run` or `verify` looked at it.
    pub status: String,
    pub confirmation_after_s: Option<i64>,
    pub human_reply_after_s: Option<i64>,
}

/// The history of one door: a form (by its action) or an e-mail address.
#[derive(Debug, Clone, Serialize)]
pub struct DoorHistory {
    pub channel: String,
    pub target: String,
    /// Oldest first.
    pub points: Vec<Point>,
}

/// The probes of `site` in its last `runs` runs, per door.
///
/// # Errors
/// The journal cannot be read.
pub fn load(journal: &Journal, site: &str, runs: usize) -> Result<Vec<DoorHistory>, JournalError> {
    let mut doors: BTreeMap<(String, String), Vec<Point>> = BTreeMap::new();
    let mut recent = journal.runs(site)?;
    recent.truncate(runs);
    recent.reverse();
    for (run, started_at, _) in recent {
        for probe in journal.probes(run)? {
            if probe.state == ProbeState::Planned {
                continue;
            }
            let replies = journal.replies(probe.id)?;
            let after = |kind: &str| {
                let sent = probe.sent_at?;
                replies
                    .iter()
                    .filter(|r| r.kind == kind && r.mailbox != "notification")
                    .map(|r| (r.received_at - sent).max(0))
                    .min()
            };
            let status = journal
                .verdicts(probe.id)?
                .pop()
                .map_or_else(|| "unjudged".to_string(), |v| v.status);
            let channel = serde_json::to_value(probe.channel)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            doors
                .entry((channel, probe.target.clone()))
                .or_default()
                .push(Point {
                    run,
                    started_at,
                    status,
                    confirmation_after_s: after("automatic"),
                    human_reply_after_s: after("human"),
                });
        }
    }
    Ok(doors
        .into_iter()
        .map(|((channel, target), points)| DoorHistory {
            channel,
            target,
            points,
        })
        .collect())
}

/// One character per status, for a line of runs: answered ✓, confirmed ○, sent ·, no reply
/// or failed ✗, waiting …, anything else ?.
pub fn mark(status: &str) -> char {
    match status {
        "answered" => '✓',
        "confirmed" => '○',
        "sent" => '·',
        "failed" | "no-reply" => '✗',
        "waiting" | "unjudged" | "planned" => '…',
        _ => '?',
    }
}

/// The median of the known values.
pub fn median(values: impl Iterator<Item = Option<i64>>) -> Option<i64> {
    let mut known: Vec<i64> = values.flatten().collect();
    known.sort_unstable();
    known.get(known.len() / 2).copied()
}
