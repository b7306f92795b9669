//! Watching the mailboxes until every probe of a run is settled — its confirmation and its
//! human reply arrived, or their deadlines passed — or the time allowed runs out. Every
//! matching message goes to the journal as it is seen, so a run stopped here loses nothing.

use std::time::{Duration, Instant};

use super::record::{Mailbox, record};
use super::{Arrival, MailboxError, Watcher};
use crate::journal::{Journal, JournalError, Probe, ProbeState};
use crate::rulebook::Phrases;

/// How often in a row a dropped connection is tried again before the watch gives up.
const MAX_RETRIES: u32 = 6;

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Mailbox(#[from] MailboxError),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// Where the run stands after a look at the mailboxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Nothing more is awaited.
    pub settled: bool,
    /// The next deadline of a probe still waiting, from now.
    pub next_deadline: Option<Duration>,
}

/// What a watch saw.
#[derive(Debug, Clone, Default)]
pub struct WatchSummary {
    /// Messages matched to a probe and recorded.
    pub recorded: usize,
    pub reconnects: u32,
    /// Every probe is settled (nothing more to wait for).
    pub settled: bool,
}

/// Fetches what is new, trying again after a dropped connection.
async fn fetch(watcher: &mut Watcher) -> Result<Vec<Arrival>, MailboxError> {
    let mut failures = 0;
    loop {
        match watcher.fetch_new().await {
            Ok(found) => return Ok(found),
            Err(e) if e.is_transient() && failures < MAX_RETRIES => {
                failures += 1;
                tracing::warn!("{e}; trying again ({failures}/{MAX_RETRIES})");
                tokio::time::sleep(Duration::from_millis(250 << failures.min(5))).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Watches the run's mailboxes.
pub struct Watch<'a> {
    pub journal: &'a Journal,
    pub run: i64,
    /// The persona's address: a message from it is our own, not an answer.
    pub persona_email: &'a str,
    /// How often to look at a mailbox that cannot IDLE.
    pub poll: Duration,
    pub phrases: &'a Phrases,
}

impl Watch<'_> {
    fn record_all(
        &self,
        probes: &[Probe],
        arrivals: &[Arrival],
        mailbox: Mailbox,
    ) -> Result<usize, JournalError> {
        let mut recorded = 0;
        for arrival in arrivals {
            let matched = record(
                self.journal,
                probes,
                arrival,
                mailbox,
                self.phrases,
                self.persona_email,
            )?;
            if let Some(id) = matched {
                recorded += 1;
                tracing::info!("reply recorded for probe {id} ({})", arrival.folder);
            }
        }
        Ok(recorded)
    }

    /// Reads both mailboxes until `settled` says nothing more is awaited, or `until`.
    ///
    /// # Errors
    /// A mailbox failed for good (a refused login, too many dropped connections in a row)
    /// or the journal could not be written; what was recorded before stays recorded.
    pub async fn watch(
        &self,
        persona: &mut Watcher,
        mut notification: Option<&mut Watcher>,
        until: Instant,
        progress: impl Fn() -> Result<Progress, JournalError>,
    ) -> Result<WatchSummary, WatchError> {
        let mut summary = WatchSummary::default();
        loop {
            let probes: Vec<Probe> = self
                .journal
                .probes(self.run)?
                .into_iter()
                .filter(|p| matches!(p.state, ProbeState::Sent | ProbeState::InDoubt))
                .collect();
            let arrivals = fetch(persona).await?;
            summary.recorded += self.record_all(&probes, &arrivals, Mailbox::Persona)?;
            if let Some(inbox) = notification.as_deref_mut() {
                let arrivals = fetch(inbox).await?;
                summary.recorded += self.record_all(&probes, &arrivals, Mailbox::Notification)?;
            }
            let progress = progress()?;
            summary.settled = progress.settled;
            let left = until.saturating_duration_since(Instant::now());
            if summary.settled || left.is_zero() {
                break;
            }
            // Wake at the next deadline: the probe is judged then, whatever arrives.
            let mut slice = progress.next_deadline.map_or(left, |d| left.min(d));
            // The company's inbox is not IDLEd on: look at it at least every few seconds.
            if notification.is_some() {
                slice = slice.min(Duration::from_secs(5));
            }
            if let Err(e) = persona.wait(slice, self.poll).await {
                if !e.is_transient() {
                    return Err(e.into());
                }
                tracing::warn!("{e}; reconnecting");
            }
        }
        summary.reconnects =
            persona.reconnects() + notification.as_ref().map_or(0, |n| n.reconnects());
        Ok(summary)
    }
}
