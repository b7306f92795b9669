//! The mailbox: messages the probes provoke, read and judged. `message` parses and
//! classifies one message and matches it to its probe; `imap` and `maildir` are the two
//! places messages are read from; `watch` puts one of them behind one interface.

pub mod imap;
pub mod maildir;
pub mod message;
pub mod record;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::probe::settings::MailboxSpec;

/// A message as it landed.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub folder: String,
    /// The folder is where unread mail goes: Junk, Spam, Trash.
    pub junk: bool,
    /// When it landed (IMAP INTERNALDATE, a Maildir file's time), seconds since the epoch.
    pub arrived_at: i64,
    pub raw: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    #[error("cannot reach the mailbox: {0}")]
    Connect(String),
    #[error("the mailbox refused the login: {0}")]
    Login(String),
    #[error("the mailbox connection dropped: {0}")]
    Dropped(String),
    #[error("{0}")]
    Maildir(String),
}

impl MailboxError {
    /// Worth trying again: the network, not the credentials or the path.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Connect(_) | Self::Dropped(_))
    }
}

/// A Maildir watched by looking at it: local files are cheap to list.
pub struct Maildir {
    root: PathBuf,
    seen: HashSet<PathBuf>,
    since: i64,
}

impl Maildir {
    fn open(root: PathBuf, since: i64) -> Result<Self, MailboxError> {
        maildir::list(&root).map_err(MailboxError::Maildir)?;
        Ok(Self {
            root,
            seen: HashSet::new(),
            since,
        })
    }

    fn fetch_new(&mut self) -> Result<Vec<Arrival>, MailboxError> {
        let mut found = Vec::new();
        for stored in maildir::list(&self.root).map_err(MailboxError::Maildir)? {
            // A message moved from new/ to cur/ by a mail client is the same message.
            let key = stored
                .path
                .file_name()
                .map(|n| {
                    let n = n.to_string_lossy();
                    PathBuf::from(&stored.folder).join(n.split(':').next().unwrap_or_default())
                })
                .unwrap_or_else(|| stored.path.clone());
            if stored.arrived_at + 86_400 < self.since || self.seen.contains(&key) {
                continue;
            }
            let Ok(raw) = std::fs::read(&stored.path) else {
                // Moved between listing and reading: the next look finds it in cur/.
                continue;
            };
            self.seen.insert(key);
            found.push(Arrival {
                junk: maildir::is_junk_or_trash(&stored.folder),
                folder: stored.folder,
                arrived_at: stored.arrived_at,
                raw,
            });
        }
        Ok(found)
    }
}

/// A mailbox being watched.
pub enum Watcher {
    Imap(Box<imap::Imap>),
    Maildir(Maildir),
}

/// A local folder is looked at this often.
const MAILDIR_POLL: Duration = Duration::from_millis(250);

impl Watcher {
    /// Opens the mailbox and checks the login; messages older than a day before `since`
    /// are not read.
    ///
    /// # Errors
    /// The server cannot be reached, the login is refused, the path is not a Maildir.
    pub async fn open(spec: &MailboxSpec, since: i64) -> Result<Self, MailboxError> {
        match spec {
            MailboxSpec::Imap {
                host,
                port,
                tls,
                user,
                password,
            } => Ok(Self::Imap(Box::new(
                imap::Imap::connect(
                    imap::Account {
                        host: host.clone(),
                        port: *port,
                        tls: *tls,
                        user: user.clone(),
                        password: password.clone(),
                    },
                    since,
                )
                .await?,
            ))),
            MailboxSpec::Maildir(root) => Ok(Self::Maildir(Maildir::open(root.clone(), since)?)),
        }
    }

    /// Messages not handed out before.
    ///
    /// # Errors
    /// See [`MailboxError`]; after a transient one the next call connects again.
    pub async fn fetch_new(&mut self) -> Result<Vec<Arrival>, MailboxError> {
        match self {
            Self::Imap(imap) => imap.fetch_new().await,
            Self::Maildir(dir) => dir.fetch_new(),
        }
    }

    /// Waits up to `max` for news (IDLE where the server has it; else `poll`).
    ///
    /// # Errors
    /// The connection dropped while waiting.
    pub async fn wait(&mut self, max: Duration, poll: Duration) -> Result<(), MailboxError> {
        match self {
            Self::Imap(imap) => imap.wait(max, poll).await,
            Self::Maildir(_) => {
                tokio::time::sleep(max.min(MAILDIR_POLL)).await;
                Ok(())
            }
        }
    }

    /// How many times the connection was made again.
    pub fn reconnects(&self) -> u32 {
        match self {
            Self::Imap(imap) => imap.reconnects,
            Self::Maildir(_) => 0,
        }
    }

    pub async fn close(self) {
        if let Self::Imap(imap) = self {
            imap.close().await;
        }
    }
}
