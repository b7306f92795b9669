//! The mailbox: messages the probes provoke, read and judged. `message` parses and
//! classifies one message and matches it to its probe; `imap` and `maildir` are the two
//! places messages are read from; `watch` puts one of them behind one interface.

pub mod imap;
pub mod maildir;
pub mod message;
pub mod record;
pub mod watch;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

/// A mailbox doorbell reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxSpec {
    Imap {
        host: String,
        port: u16,
        tls: bool,
        user: String,
        password: String,
        /// Extra PEM roots to trust.
        ca_file: Option<PathBuf>,
    },
    Maildir(PathBuf),
}

impl MailboxSpec {
    /// Where it is, for messages: never the password.
    pub fn describe(&self) -> String {
        match self {
            Self::Imap {
                host,
                port,
                tls,
                user,
                ..
            } => format!(
                "{}://{user}@{host}:{port}",
                if *tls { "imaps" } else { "imap" }
            ),
            Self::Maildir(path) => format!("maildir:{}", path.display()),
        }
    }
}

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
                ca_file,
            } => Ok(Self::Imap(Box::new(
                imap::Imap::connect(
                    imap::Account {
                        host: host.clone(),
                        port: *port,
                        tls: *tls,
                        user: user.clone(),
                        password: password.clone(),
                        ca_file: ca_file.clone(),
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

#[cfg(test)]
mod tests {
    use super::maildir::{create as create_maildir, deliver as deliver_to_maildir};
    use super::*;

    fn raw(subject: &str) -> Vec<u8> {
        format!("From: a@example.com\r\nSubject: {subject}\r\n\r\nbody\r\n").into_bytes()
    }

    #[tokio::test]
    async fn a_maildir_is_watched_across_folders_and_moves() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Maildir");
        create_maildir(&root).unwrap();
        create_maildir(&root.join(".Junk")).unwrap();
        let spec = MailboxSpec::Maildir(root.clone());
        let mut watcher = Watcher::open(&spec, crate::clock::now()).await.unwrap();
        let first = deliver_to_maildir(&root, &raw("one")).unwrap();
        deliver_to_maildir(&root.join(".Junk"), &raw("spam")).unwrap();
        let mut found = watcher.fetch_new().await.unwrap();
        found.sort_by(|a, b| a.folder.cmp(&b.folder));
        let seen: Vec<(&str, bool)> = found.iter().map(|a| (a.folder.as_str(), a.junk)).collect();
        assert_eq!(seen, [("INBOX", false), ("Junk", true)]);
        // A mail client reads the message: it moves to cur/ with flags; not new again.
        let name = first.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::rename(&first, root.join("cur").join(format!("{name}:2,S"))).unwrap();
        assert!(watcher.fetch_new().await.unwrap().is_empty());
        deliver_to_maildir(&root, &raw("two")).unwrap();
        assert_eq!(watcher.fetch_new().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_path_that_is_not_a_maildir_is_an_error_not_silence() {
        let dir = tempfile::tempdir().unwrap();
        let spec = MailboxSpec::Maildir(dir.path().join("typo"));
        let err = Watcher::open(&spec, 0).await.err().expect("refused");
        assert!(err.to_string().contains("not a Maildir"), "{err}");
        assert!(!err.is_transient());
    }
}
