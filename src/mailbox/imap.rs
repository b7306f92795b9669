//! An IMAP mailbox watched for replies: every folder scanned (Junk, Spam and Trash known by
//! their SPECIAL-USE flags and common names), IDLE on the inbox where the server offers it,
//! polling otherwise, and a reconnect after a dropped connection that keeps what was seen.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use async_imap::types::NameAttribute;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::maildir::is_junk_or_trash;
use super::{Arrival, MailboxError};

/// SASL PLAIN: the authorisation identity left empty, then user and password.
struct Plain {
    user: String,
    password: String,
}

impl async_imap::Authenticator for Plain {
    type Response = Vec<u8>;

    fn process(&mut self, _challenge: &[u8]) -> Self::Response {
        format!("\0{}\0{}", self.user, self.password).into_bytes()
    }
}

/// A connection, plain or TLS, behind one type.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Io for T {}

type Session = async_imap::Session<Box<dyn Io>>;

/// How long one network step may take before the connection counts as dropped.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
/// IDLE is renewed this often (RFC 2177 asks for less than 29 minutes; NAT boxes drop
/// quiet connections much sooner).
const IDLE_SLICE: Duration = Duration::from_secs(60);
/// IDLE watches INBOX only: with other folders to read (Junk, Spam), it is cut this short,
/// so a reply the server filed as spam is seen within seconds, not at the end of a slice.
const OTHER_FOLDERS_LOOK: Duration = Duration::from_secs(3);

#[derive(Debug, Clone)]
struct Folder {
    name: String,
    junk: bool,
}

/// Where and how to log in.
#[derive(Debug, Clone)]
pub struct Account {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    pub user: String,
    pub password: String,
    /// Extra PEM roots to trust besides the public ones.
    pub ca_file: Option<std::path::PathBuf>,
}

/// A watched IMAP mailbox.
pub struct Imap {
    account: Account,
    session: Option<Session>,
    folders: Vec<Folder>,
    idle: bool,
    /// (folder, UIDVALIDITY, UID) of every message handed out.
    seen: HashSet<(String, u32, u32)>,
    /// Only messages from this day on are read (seconds since the epoch).
    since: i64,
    /// How many times the connection was made again after a drop.
    pub reconnects: u32,
}

async fn step<T, E: std::fmt::Display>(
    what: &str,
    fut: impl Future<Output = Result<T, E>>,
) -> Result<T, MailboxError> {
    match tokio::time::timeout(STEP_TIMEOUT, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(MailboxError::Dropped(format!("{what}: {e}"))),
        Err(_) => Err(MailboxError::Dropped(format!("{what}: no answer in 30 s"))),
    }
}

async fn open_stream(account: &Account) -> Result<Box<dyn Io>, MailboxError> {
    let address = format!("{}:{}", account.host, account.port);
    let tcp = match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(&address)).await {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(e)) => return Err(MailboxError::Connect(format!("{address}: {e}"))),
        Err(_) => {
            return Err(MailboxError::Connect(format!(
                "{address}: no answer in 30 s"
            )));
        }
    };
    if !account.tls {
        return Ok(Box::new(tcp));
    }
    let mut roots = tokio_rustls::rustls::RootCertStore::from_iter(
        webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
    );
    if let Some(file) = &account.ca_file {
        use tokio_rustls::rustls::pki_types::{CertificateDer, pem::PemObject};
        let certs = CertificateDer::pem_file_iter(file)
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|e| MailboxError::Connect(format!("{}: {e}", file.display())))?;
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(MailboxError::Connect(format!(
                "{}: no certificate in it",
                file.display()
            )));
        }
    }
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| MailboxError::Connect(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(account.host.clone())
        .map_err(|e| MailboxError::Connect(format!("{}: {e}", account.host)))?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| MailboxError::Connect(format!("{address}: TLS: {e}")))?;
    Ok(Box::new(tls))
}

impl Imap {
    /// Connects and logs in: a wrong password or an unreachable server is an error here,
    /// before any probe is sent.
    ///
    /// # Errors
    /// The server cannot be reached, refuses the login, or lists no folders.
    pub async fn connect(account: Account, since: i64) -> Result<Self, MailboxError> {
        let mut imap = Self {
            account,
            session: None,
            folders: Vec::new(),
            idle: false,
            seen: HashSet::new(),
            since,
            reconnects: 0,
        };
        imap.login().await?;
        Ok(imap)
    }

    async fn login(&mut self) -> Result<(), MailboxError> {
        let stream = open_stream(&self.account).await?;
        let mut client = async_imap::Client::new(stream);
        let greeting = step("greeting", client.read_response()).await?;
        if greeting.is_none() {
            return Err(MailboxError::Connect(format!(
                "{}:{} closed the connection before greeting",
                self.account.host, self.account.port
            )));
        }
        let mut session = self.authenticate(client).await?;
        let capabilities = step("CAPABILITY", session.capabilities()).await?;
        self.idle = capabilities.has_str("IDLE");
        let names: Vec<async_imap::types::Name> = step("LIST", async {
            session.list(None, Some("*")).await?.try_collect().await
        })
        .await?;
        self.folders = names
            .iter()
            .filter(|n| !n.attributes().contains(&NameAttribute::NoSelect))
            .map(|n| Folder {
                name: n.name().to_string(),
                junk: n
                    .attributes()
                    .iter()
                    .any(|a| matches!(a, NameAttribute::Junk | NameAttribute::Trash))
                    || is_junk_or_trash(&folder_display_name(n.name())),
            })
            .filter(|f| !is_sent_or_drafts(&f.name, names.iter().find(|n| n.name() == f.name)))
            .collect();
        self.session = Some(session);
        Ok(())
    }

    /// AUTHENTICATE PLAIN (RFC 4616) first; LOGIN when the server does not offer PLAIN. A
    /// refused password is not tried twice: servers slow down every later attempt.
    async fn authenticate(
        &self,
        client: async_imap::Client<Box<dyn Io>>,
    ) -> Result<Session, MailboxError> {
        let account = &self.account;
        let refused = |e: &async_imap::error::Error| {
            MailboxError::Login(format!(
                "{}@{} — the server said: {}; check the user name and the password",
                account.user,
                account.host,
                server_words(e)
            ))
        };
        let plain = Plain {
            user: account.user.clone(),
            password: account.password.clone(),
        };
        let client =
            match tokio::time::timeout(STEP_TIMEOUT, client.authenticate("PLAIN", plain)).await {
                Ok(Ok(session)) => return Ok(session),
                Ok(Err((e, client))) => {
                    if e.to_string().contains("AUTHENTICATIONFAILED") {
                        return Err(refused(&e));
                    }
                    tracing::debug!("AUTHENTICATE PLAIN refused ({e}); trying LOGIN");
                    client
                }
                Err(_) => return Err(MailboxError::Connect("login: no answer in 30 s".into())),
            };
        match tokio::time::timeout(STEP_TIMEOUT, client.login(&account.user, &account.password))
            .await
        {
            Ok(Ok(session)) => Ok(session),
            Ok(Err((e, _))) => Err(refused(&e)),
            Err(_) => Err(MailboxError::Connect("login: no answer in 30 s".into())),
        }
    }

    /// Whether the server offers IDLE (and we use it).
    pub fn has_idle(&self) -> bool {
        self.idle
    }

    /// Polls even where the server offers IDLE (for comparing the two).
    pub fn poll_only(&mut self) {
        self.idle = false;
    }

    async fn session(&mut self) -> Result<&mut Session, MailboxError> {
        if self.session.is_none() {
            self.login().await?;
            self.reconnects += 1;
        }
        Ok(self.session.as_mut().expect("logged in above"))
    }

    /// Messages not handed out before, from every folder.
    ///
    /// # Errors
    /// The connection dropped (the next call connects again) or the server refused.
    pub async fn fetch_new(&mut self) -> Result<Vec<Arrival>, MailboxError> {
        let result = self.scan().await;
        if result.is_err() {
            self.session = None;
        }
        result
    }

    async fn scan(&mut self) -> Result<Vec<Arrival>, MailboxError> {
        let since = crate::clock::imap_date(self.since - 86_400);
        let folders = self.folders.clone();
        let mut found = Vec::new();
        for folder in folders {
            let session = self.session().await?;
            let mailbox = step("EXAMINE", session.examine(&folder.name)).await?;
            let validity = mailbox.uid_validity.unwrap_or(0);
            let uids = step("SEARCH", session.uid_search(format!("SINCE {since}"))).await?;
            let mut new: Vec<u32> = uids
                .into_iter()
                .filter(|uid| !self.seen.contains(&(folder.name.clone(), validity, *uid)))
                .collect();
            if new.is_empty() {
                continue;
            }
            new.sort_unstable();
            let set = new
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let session = self.session().await?;
            let fetched: Vec<async_imap::types::Fetch> = step("FETCH", async {
                session
                    .uid_fetch(&set, "(UID INTERNALDATE BODY.PEEK[])")
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
            for message in fetched {
                let (Some(uid), Some(raw)) = (message.uid, message.body()) else {
                    continue;
                };
                self.seen.insert((folder.name.clone(), validity, uid));
                found.push(Arrival {
                    folder: folder_display_name(&folder.name),
                    junk: folder.junk,
                    arrived_at: message
                        .internal_date()
                        .map_or_else(crate::clock::now, |d| d.timestamp()),
                    raw: raw.to_vec(),
                });
            }
        }
        Ok(found)
    }

    /// Waits up to `max` for something to arrive: IDLE on the inbox where offered (wakes
    /// within a second of delivery), else a sleep of `poll`.
    ///
    /// # Errors
    /// The connection dropped while waiting (the next call connects again).
    pub async fn wait(&mut self, max: Duration, poll: Duration) -> Result<(), MailboxError> {
        if !self.idle {
            tokio::time::sleep(max.min(poll)).await;
            return Ok(());
        }
        let slice = if self.folders.len() > 1 {
            OTHER_FOLDERS_LOOK
        } else {
            IDLE_SLICE
        };
        let result = self.idle_once(max.min(slice)).await;
        if result.is_err() {
            self.session = None;
        }
        result
    }

    async fn idle_once(&mut self, max: Duration) -> Result<(), MailboxError> {
        let session = self.session().await?;
        step("EXAMINE", session.examine("INBOX")).await?;
        let session = self.session.take().expect("connected above");
        let mut handle = session.idle();
        step("IDLE", handle.init()).await?;
        let (wait, _stop) = handle.wait_with_timeout(max);
        let woke = wait.await;
        woke.map_err(|e| MailboxError::Dropped(format!("IDLE: {e}")))?;
        let session = step("DONE", handle.done()).await?;
        // Unsolicited EXISTS and FETCH lines pile up in a bounded channel nobody reads.
        while session.unsolicited_responses.try_recv().is_ok() {}
        self.session = Some(session);
        Ok(())
    }

    /// Logs out politely; a failure here changes nothing.
    pub async fn close(mut self) {
        if let Some(mut session) = self.session.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
        }
    }
}

/// What the server said, without the library's wrapping: async-imap shows a NO answer as
/// `code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")`.
fn server_words(error: &async_imap::error::Error) -> String {
    let shown = error.to_string();
    let Some(start) = shown.find("info: Some(\"") else {
        return shown;
    };
    let info = &shown[start + "info: Some(\"".len()..];
    let info = info.strip_suffix("\")").unwrap_or(info);
    // A response code in brackets is for machines.
    let words = match info.strip_prefix('[').and_then(|rest| rest.split_once(']')) {
        Some((_, text)) => text.trim(),
        None => info.trim(),
    };
    if words.is_empty() {
        shown
    } else {
        format!("«{words}»")
    }
}

/// Our own sent copies are not replies.
fn is_sent_or_drafts(name: &str, listed: Option<&async_imap::types::Name>) -> bool {
    let flagged = listed.is_some_and(|n| {
        n.attributes()
            .iter()
            .any(|a| matches!(a, NameAttribute::Sent | NameAttribute::Drafts))
    });
    let lower = name.to_lowercase();
    flagged
        || ["sent", "drafts", "отправленные", "черновики"]
            .iter()
            .any(|w| {
                lower == *w
                    || lower.ends_with(&format!(".{w}"))
                    || lower.ends_with(&format!("/{w}"))
            })
}

/// A folder name as people read it: IMAP's modified UTF-7 (RFC 3501 5.1.3) decoded,
/// `&BB0EPgQy-` → `Нов`. A name that is not valid modified UTF-7 is shown as sent.
pub fn folder_display_name(name: &str) -> String {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b',' => 63,
            _ => return None,
        }))
    }
    let mut out = String::new();
    let mut rest = name;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('-') else {
            return name.to_string();
        };
        let encoded = &after[..end];
        if encoded.is_empty() {
            out.push('&');
        } else {
            let mut bits = 0u32;
            let mut count = 0;
            let mut units = Vec::new();
            for c in encoded.bytes() {
                let Some(v) = sextet(c) else {
                    return name.to_string();
                };
                bits = (bits << 6) | v;
                count += 6;
                if count >= 16 {
                    count -= 16;
                    units.push(u16::try_from((bits >> count) & 0xFFFF).unwrap_or(0));
                }
            }
            match String::from_utf16(&units) {
                Ok(s) => out.push_str(&s),
                Err(_) => return name.to_string(),
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::folder_display_name;

    #[test]
    fn modified_utf7_names_are_decoded() {
        assert_eq!(
            folder_display_name("&BB0ENQQ2BDUEOwQwBEIENQQ7BEwEPQQwBE8- &BD8EPgRHBEIEMA-"),
            "Нежелательная почта"
        );
        assert_eq!(folder_display_name("INBOX"), "INBOX");
        assert_eq!(folder_display_name("Tom &- Jerry"), "Tom & Jerry");
        assert_eq!(folder_display_name("broken&zz"), "broken&zz");
    }
}
