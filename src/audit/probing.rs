//! A probing run from start to end: open the journal, check the mailbox login (a probe
//! that cannot be verified is not sent), send what is planned and not yet sent, watch the
//! mailboxes, and hand back every probe's facts. `doorbell verify` is the last two steps
//! alone, on the latest run of a site.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::clock::now;
use crate::inventory::Inventory;
use crate::journal::{Channel, Journal, JournalError, Probe};
use crate::mailbox::watch::{Progress, Watch, WatchError, WatchSummary};
use crate::mailbox::{MailboxError, Watcher};
use crate::probe::Sender;
use crate::probe::facts::facts_of_run;
use crate::probe::plan::{self, ProbePlan};
use crate::probe::settings::ProbeSettings;
use crate::rulebook::Phrases;
use crate::types::http::HttpSettings;
use crate::types::probe::ProbeFacts;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{which}: {source}")]
    Mailbox {
        which: &'static str,
        #[source]
        source: MailboxError,
    },
    #[error("no probes were sent for {0} yet: run `doorbell probe` first")]
    NothingToVerify(String),
    /// Our own SMTP server refused us: nothing was sent, and no door is to blame.
    #[error("our SMTP server refused us, so nothing was sent ({0}); check [probe] smtp")]
    Smtp(String),
}

impl From<WatchError> for RunError {
    fn from(e: WatchError) -> Self {
        match e {
            WatchError::Journal(j) => Self::Journal(j),
            WatchError::Mailbox(m) => Self::Mailbox {
                which: "mailbox",
                source: m,
            },
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct RunOutcome {
    pub run: i64,
    pub plan: ProbePlan,
    pub facts: Vec<ProbeFacts>,
    pub watch: WatchSummary,
}

async fn open_mailboxes(
    settings: &ProbeSettings,
    since: i64,
) -> Result<(Watcher, Option<Watcher>), RunError> {
    let persona = Watcher::open(&settings.mailbox, since)
        .await
        .map_err(|source| RunError::Mailbox {
            which: "mailbox",
            source,
        })?;
    let notification = match &settings.notification_mailbox {
        Some(spec) => {
            Some(
                Watcher::open(spec, since)
                    .await
                    .map_err(|source| RunError::Mailbox {
                        which: "notification mailbox",
                        source,
                    })?,
            )
        }
        None => None,
    };
    Ok((persona, notification))
}

/// Everything a run needs.
pub struct Run<'a> {
    pub site: &'a str,
    pub journal: &'a Path,
    pub settings: &'a ProbeSettings,
    pub http: &'a HttpSettings,
    pub phrases: &'a Phrases,
}

impl Run<'_> {
    /// Watches the mailboxes for the run's replies until every probe is settled or `wait`
    /// has passed.
    async fn watch(
        &self,
        journal: &Journal,
        run: i64,
        persona: &mut Watcher,
        notification: Option<&mut Watcher>,
        wait: Duration,
    ) -> Result<WatchSummary, WatchError> {
        let progress = || {
            let facts = facts_of_run(journal, run, self.settings, now())?;
            Ok(Progress {
                settled: facts.iter().all(ProbeFacts::settled),
                // A second past it: deadlines are judged in whole seconds.
                next_deadline: facts
                    .iter()
                    .filter_map(ProbeFacts::next_deadline_in_s)
                    .min()
                    .map(|s| Duration::from_secs(u64::try_from(s).unwrap_or(0) + 1)),
            })
        };
        Watch {
            journal,
            run,
            persona_email: &self.settings.persona.email,
            poll: self.settings.poll,
            phrases: self.phrases,
        }
        .watch(persona, notification, Instant::now() + wait, progress)
        .await
    }

    /// Sends the probes of `inventory` (resuming an unfinished run of the site), then
    /// watches the mailboxes for up to `wait`.
    ///
    /// # Errors
    /// The journal cannot be opened or written, or a mailbox cannot be opened — then
    /// nothing is sent.
    pub async fn probe(
        &self,
        inventory: &Inventory,
        wait: Duration,
        logged_in: impl FnOnce(),
        mut report: impl FnMut(&Probe),
    ) -> Result<RunOutcome, RunError> {
        let journal = Journal::open(self.journal)?;
        let started = now();
        let (mut persona, mut notification) = open_mailboxes(self.settings, started).await?;
        logged_in();
        let plan = plan::plan(inventory, self.settings);
        if plan.targets.iter().any(|t| t.channel == Channel::Email)
            && let Some(smtp) = &self.settings.smtp
        {
            crate::probe::email::check_relay(smtp)
                .await
                .map_err(RunError::Smtp)?;
        }
        let run = match journal.unfinished_run(self.site)? {
            Some(run) => {
                journal.resume(run)?;
                run
            }
            None => journal.begin_run(self.site)?,
        };
        Sender {
            journal: &journal,
            run,
            settings: self.settings,
            http: self.http,
            phrases: self.phrases,
        }
        .send_all(&plan, &mut report)
        .await?;
        let watch = self
            .watch(&journal, run, &mut persona, notification.as_mut(), wait)
            .await?;
        journal.finish_run(run)?;
        persona.close().await;
        if let Some(n) = notification {
            n.close().await;
        }
        Ok(RunOutcome {
            run,
            plan,
            facts: facts_of_run(&journal, run, self.settings, now())?,
            watch,
        })
    }

    /// Reads the mailboxes for the latest run of the site and judges it now.
    ///
    /// # Errors
    /// No run sent anything yet, the journal or a mailbox failed.
    pub async fn verify(&self, wait: Duration) -> Result<RunOutcome, RunError> {
        let journal = Journal::open(self.journal)?;
        let run = journal
            .latest_probed_run(self.site)?
            .ok_or_else(|| RunError::NothingToVerify(self.site.to_string()))?;
        let first_sent = journal
            .probes(run)?
            .iter()
            .filter_map(|p| p.sent_at)
            .min()
            .unwrap_or_else(now);
        let (mut persona, mut notification) = open_mailboxes(self.settings, first_sent).await?;
        let watch = self
            .watch(&journal, run, &mut persona, notification.as_mut(), wait)
            .await?;
        persona.close().await;
        if let Some(n) = notification {
            n.close().await;
        }
        Ok(RunOutcome {
            run,
            plan: ProbePlan::default(),
            facts: facts_of_run(&journal, run, self.settings, now())?,
            watch,
        })
    }
}

/// Appends each probe's verdict — its status and the rules that fired on it — to the journal.
///
/// # Errors
/// The journal cannot be written.
pub fn record_verdicts(
    journal: &Path,
    verdicts: &[(i64, &str, Vec<String>)],
) -> Result<(), JournalError> {
    let journal = Journal::open(journal)?;
    for (probe, status, rules) in verdicts {
        journal.record_verdict(*probe, status, rules)?;
    }
    Ok(())
}
