//! The journal: every probe written down before it is sent and after, every reply appended.
//! SQLite (bundled), so a run killed at any point and started again sends nothing twice and
//! loses nothing, and past runs stay for comparison.
//!
//! A probe moves `planned` → `sending` → `sent` | `failed`. It is marked `sending` in its own
//! transaction before the message leaves; a run that finds a probe still `sending` cannot
//! know whether it left, so it marks it `in-doubt` and never sends it again — the mailbox
//! tells later whether it arrived.

pub mod history;

/// Where the journal is kept unless `--journal` names another place: next to the config a
/// team commits.
pub const DEFAULT_PATH: &str = ".doorbell/journal.db";

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// The schema this code writes; a journal from a newer doorbell is refused, not damaged.
const SCHEMA_VERSION: i64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "journal {path}: written by a newer doorbell (schema {found}, this one knows {SCHEMA_VERSION})"
    )]
    TooNew { path: String, found: i64 },
    #[error("journal {path}: cannot create its folder: {source}")]
    Folder {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Where a probe knocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Form,
    Email,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::Email => "email",
        }
    }
    fn parse(s: &str) -> Self {
        if s == "email" {
            Self::Email
        } else {
            Self::Form
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeState {
    Planned,
    Sending,
    Sent,
    Failed,
    /// Was being sent when a run stopped: perhaps it left, perhaps not. Never re-sent.
    InDoubt,
}

impl ProbeState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::InDoubt => "in-doubt",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            "in-doubt" => Self::InDoubt,
            _ => Self::Planned,
        }
    }
}

/// A probe as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    pub id: i64,
    pub run: i64,
    pub channel: Channel,
    pub target: String,
    /// The token the message carries, to match replies by.
    pub token: String,
    pub state: ProbeState,
    /// Seconds since the Unix epoch.
    pub sent_at: Option<i64>,
    pub message_id: Option<String>,
    pub detail: Option<String>,
    /// The page a form was found on.
    pub page: Option<String>,
    /// What a form is for (`contact`, `callback`, `order`).
    pub purpose: Option<String>,
    /// What sending showed, as JSON ([`Outcome`]; read with [`Probe::sent_outcome`]).
    pub outcome: Option<String>,
}

impl Probe {
    /// What sending showed; nothing known when the probe was never sent or its record can't
    /// be read.
    pub fn sent_outcome(&self) -> Outcome {
        self.outcome
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok())
            .unwrap_or_default()
    }
}

/// What a probe came to when it was judged: its status and the rules that fired. Each
/// `run` and `verify` appends one, so a probe's story over the nights stays readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub probe: i64,
    pub judged_at: i64,
    pub status: String,
    pub rules: Vec<String>,
}

/// A message the mailbox saw for a probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reply {
    pub message_id: String,
    pub received_at: i64,
    pub folder: String,
    /// `automatic` or `human`.
    pub kind: String,
    pub from: String,
    pub subject: String,
    /// `persona` (our test mailbox) or `notification` (the company's own inbox).
    pub mailbox: String,
    /// The promise of a time the message makes («в течение 2 часов»), if any.
    pub eta: Option<String>,
    /// Whether it names another way to reach the company (a phone, a messenger).
    pub alternatives: bool,
    /// It landed where unread mail goes (Junk, Spam, Trash).
    pub junk: bool,
}

/// The tables as this version writes them (new journals).
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY,
        site TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
    );
    CREATE TABLE IF NOT EXISTS probes (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        token TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        planned_at INTEGER NOT NULL,
        sent_at INTEGER,
        message_id TEXT,
        detail TEXT,
        page TEXT,
        purpose TEXT,
        outcome TEXT,
        UNIQUE (run_id, channel, target)
    );
    CREATE TABLE IF NOT EXISTS replies (
        id INTEGER PRIMARY KEY,
        probe_id INTEGER NOT NULL REFERENCES probes(id),
        message_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        folder TEXT NOT NULL,
        kind TEXT NOT NULL,
        sender TEXT NOT NULL,
        subject TEXT NOT NULL,
        mailbox TEXT NOT NULL DEFAULT 'persona',
        eta TEXT,
        alternatives INTEGER NOT NULL DEFAULT 0,
        junk INTEGER NOT NULL DEFAULT 0,
        UNIQUE (probe_id, message_id)
    );
    CREATE TABLE IF NOT EXISTS verdicts (
        id INTEGER PRIMARY KEY,
        probe_id INTEGER NOT NULL REFERENCES probes(id),
        judged_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        rules TEXT NOT NULL
    );";

/// What a version-1 journal lacks. `CREATE TABLE IF NOT EXISTS` leaves its tables as they
/// were, so the columns are added here.
const FROM_V1: &str = "ALTER TABLE probes ADD COLUMN page TEXT;
    ALTER TABLE probes ADD COLUMN purpose TEXT;
    ALTER TABLE probes ADD COLUMN outcome TEXT;
    ALTER TABLE replies ADD COLUMN mailbox TEXT NOT NULL DEFAULT 'persona';
    ALTER TABLE replies ADD COLUMN eta TEXT;
    ALTER TABLE replies ADD COLUMN alternatives INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE replies ADD COLUMN junk INTEGER NOT NULL DEFAULT 0;";

const PROBE_COLUMNS: &str = "id, run_id, channel, target, token, state, sent_at, message_id, detail, page, purpose, outcome";

pub struct Journal {
    conn: Connection,
    path: String,
}

use crate::clock::now;
use crate::types::probe::Outcome;

/// A token no one guesses and no two probes share: 64 random bits from the standard
/// library's hasher keys, mixed with the time and a counter, in lower-case base 32.
pub fn new_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    let mut value = hasher.finish();
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut token = String::from("db-");
    for _ in 0..12 {
        token.push(ALPHABET[(value & 31) as usize] as char);
        value >>= 5;
    }
    token
}

impl Journal {
    /// Opens (or creates) the journal at `path`, creating its folder.
    ///
    /// # Errors
    /// The file cannot be opened or was written by a newer doorbell.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let name = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| JournalError::Folder {
                path: name.clone(),
                source,
            })?;
        }
        let sqlite = |source| JournalError::Sqlite {
            path: name.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(sqlite)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(sqlite)?;
        if version > SCHEMA_VERSION {
            return Err(JournalError::TooNew {
                path: name,
                found: version,
            });
        }
        conn.execute_batch(SCHEMA).map_err(sqlite)?;
        if version == 1 {
            conn.execute_batch(FROM_V1).map_err(sqlite)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sqlite)?;
        Ok(Self { conn, path: name })
    }

    fn err(&self, source: rusqlite::Error) -> JournalError {
        JournalError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Starts a run for a site.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn begin_run(&self, site: &str) -> Result<i64, JournalError> {
        self.conn
            .execute(
                "INSERT INTO runs (site, started_at) VALUES (?1, ?2)",
                params![site, now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The latest run for a site that has not finished: the one to resume.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn unfinished_run(&self, site: &str) -> Result<Option<i64>, JournalError> {
        self.conn
            .query_row(
                "SELECT id FROM runs WHERE site = ?1 AND finished_at IS NULL ORDER BY id DESC LIMIT 1",
                params![site],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Marks a run finished.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn finish_run(&self, run: i64) -> Result<(), JournalError> {
        self.conn
            .execute(
                "UPDATE runs SET finished_at = ?2 WHERE id = ?1",
                params![run, now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Plans a probe; planning the same channel and target twice in a run returns the first.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn plan(&self, run: i64, channel: Channel, target: &str) -> Result<Probe, JournalError> {
        self.plan_on(run, channel, target, None, None)
    }

    /// Plans a probe of a form, with the page it stands on and what it is for.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn plan_on(
        &self,
        run: i64,
        channel: Channel,
        target: &str,
        page: Option<&str>,
        purpose: Option<&str>,
    ) -> Result<Probe, JournalError> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO probes (run_id, channel, target, token, state, planned_at, page, purpose)
                 VALUES (?1, ?2, ?3, ?4, 'planned', ?5, ?6, ?7)",
                params![run, channel.as_str(), target, new_token(), now(), page, purpose],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .query_row(
                &format!(
                    "SELECT {PROBE_COLUMNS} FROM probes WHERE run_id = ?1 AND channel = ?2 AND target = ?3"
                ),
                params![run, channel.as_str(), target],
                row_to_probe,
            )
            .map_err(|e| self.err(e))
    }

    /// Keeps what sending a probe showed (the form's answer), as JSON.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn record_outcome(&self, probe: i64, outcome_json: &str) -> Result<(), JournalError> {
        self.conn
            .execute(
                "UPDATE probes SET outcome = ?2 WHERE id = ?1",
                params![probe, outcome_json],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Marks a probe as leaving now. Call before the message is handed to the network; only
    /// a `planned` probe can be claimed, so two runs never both send it.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn claim_for_sending(&self, probe: i64) -> Result<bool, JournalError> {
        let changed = self
            .conn
            .execute(
                "UPDATE probes SET state = 'sending' WHERE id = ?1 AND state = 'planned'",
                params![probe],
            )
            .map_err(|e| self.err(e))?;
        Ok(changed == 1)
    }

    /// Records that a probe left, with the Message-ID replies will refer to.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn mark_sent(
        &self,
        probe: i64,
        sent_at: i64,
        message_id: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), JournalError> {
        self.set_state(probe, ProbeState::Sent, Some(sent_at), message_id, detail)
    }

    /// Records that sending failed; a failed probe is reported, not retried.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn mark_failed(&self, probe: i64, detail: &str) -> Result<(), JournalError> {
        self.set_state(probe, ProbeState::Failed, None, None, Some(detail))
    }

    fn set_state(
        &self,
        probe: i64,
        state: ProbeState,
        sent_at: Option<i64>,
        message_id: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), JournalError> {
        self.conn
            .execute(
                "UPDATE probes SET state = ?2, sent_at = COALESCE(?3, sent_at),
                 message_id = COALESCE(?4, message_id), detail = COALESCE(?5, detail) WHERE id = ?1",
                params![probe, state.as_str(), sent_at, message_id, detail],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Prepares a run to continue after a stop: probes caught `sending` become `in-doubt`.
    /// Returns the probes still to send.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn resume(&self, run: i64) -> Result<Vec<Probe>, JournalError> {
        self.conn
            .execute(
                "UPDATE probes SET state = 'in-doubt', detail = 'the run stopped while sending'
                 WHERE run_id = ?1 AND state = 'sending'",
                params![run],
            )
            .map_err(|e| self.err(e))?;
        Ok(self
            .probes(run)?
            .into_iter()
            .filter(|p| p.state == ProbeState::Planned)
            .collect())
    }

    /// Every probe of a run, in the order planned.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn probes(&self, run: i64) -> Result<Vec<Probe>, JournalError> {
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT {PROBE_COLUMNS} FROM probes WHERE run_id = ?1 ORDER BY id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![run], row_to_probe)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Appends a reply; the same message seen twice (a reconnect, a second folder scan) is
    /// recorded once.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn record_reply(&self, probe: i64, reply: &Reply) -> Result<bool, JournalError> {
        let added = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO replies
                 (probe_id, message_id, received_at, folder, kind, sender, subject, mailbox, eta, alternatives, junk)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    probe,
                    reply.message_id,
                    reply.received_at,
                    reply.folder,
                    reply.kind,
                    reply.from,
                    reply.subject,
                    reply.mailbox,
                    reply.eta,
                    reply.alternatives,
                    reply.junk
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(added == 1)
    }

    /// The replies a probe received, earliest first.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn replies(&self, probe: i64) -> Result<Vec<Reply>, JournalError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT message_id, received_at, folder, kind, sender, subject, mailbox, eta, alternatives, junk
                 FROM replies WHERE probe_id = ?1 ORDER BY received_at, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![probe], |row| {
                Ok(Reply {
                    message_id: row.get(0)?,
                    received_at: row.get(1)?,
                    folder: row.get(2)?,
                    kind: row.get(3)?,
                    from: row.get(4)?,
                    subject: row.get(5)?,
                    mailbox: row.get(6)?,
                    eta: row.get(7)?,
                    alternatives: row.get(8)?,
                    junk: row.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Appends a verdict on a probe.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn record_verdict(
        &self,
        probe: i64,
        status: &str,
        rules: &[String],
    ) -> Result<(), JournalError> {
        self.conn
            .execute(
                "INSERT INTO verdicts (probe_id, judged_at, status, rules) VALUES (?1, ?2, ?3, ?4)",
                params![probe, now(), status, rules.join(" ")],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The verdicts on a probe, oldest first.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn verdicts(&self, probe: i64) -> Result<Vec<Verdict>, JournalError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT probe_id, judged_at, status, rules FROM verdicts WHERE probe_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![probe], |row| {
                Ok(Verdict {
                    probe: row.get(0)?,
                    judged_at: row.get(1)?,
                    status: row.get(2)?,
                    rules: row
                        .get::<_, String>(3)?
                        .split_whitespace()
                        .map(str::to_string)
                        .collect(),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The latest run of a site that sent anything: the one `doorbell verify` judges.
    ///
    /// # Errors
    /// SQLite failed.
    pub fn latest_probed_run(&self, site: &str) -> Result<Option<i64>, JournalError> {
        self.conn
            .query_row(
                "SELECT r.id FROM runs r WHERE r.site = ?1 AND EXISTS
                 (SELECT 1 FROM probes p WHERE p.run_id = r.id AND p.sent_at IS NOT NULL)
                 ORDER BY r.id DESC LIMIT 1",
                params![site],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Runs of a site, newest first: (id, started_at, finished_at).
    ///
    /// # Errors
    /// SQLite failed.
    pub fn runs(&self, site: &str) -> Result<Vec<(i64, i64, Option<i64>)>, JournalError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, started_at, finished_at FROM runs WHERE site = ?1 ORDER BY id DESC",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![site], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }
}

fn row_to_probe(row: &rusqlite::Row<'_>) -> rusqlite::Result<Probe> {
    Ok(Probe {
        id: row.get(0)?,
        run: row.get(1)?,
        channel: Channel::parse(&row.get::<_, String>(2)?),
        target: row.get(3)?,
        token: row.get(4)?,
        state: ProbeState::parse(&row.get::<_, String>(5)?),
        sent_at: row.get(6)?,
        message_id: row.get(7)?,
        detail: row.get(8)?,
        page: row.get(9)?,
        purpose: row.get(10)?,
        outcome: row.get(11)?,
    })
}

#[cfg(test)]
mod tests;
