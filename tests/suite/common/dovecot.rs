//! A real IMAP server on loopback: Dovecot (Debian `dovecot-imapd` and `dovecot-lmtpd`,
//! which `tests/run.sh` installs), started in a temporary folder as an unprivileged user,
//! with a passwd-file of test users and an LMTP listener through which mail is delivered
//! the way a real MTA delivers it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Dovecot {
    child: Child,
    pub imap_port: u16,
    pub lmtp_port: u16,
    /// IMAP over TLS, when started with [`Dovecot::start_tls`].
    pub imaps_port: Option<u16>,
    /// The CA that signed the server's certificate (PEM), with TLS.
    pub ca: Option<PathBuf>,
    pub dir: tempfile::TempDir,
}

/// A test CA and a certificate for 127.0.0.1 it signed, made with the openssl command.
pub fn make_certificates(root: &Path) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(root)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(root.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=doorbell test CA",
    ]);
    run(&ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    run(&csr);
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ]);
}

thread_local! {
    static MECHANISMS: std::cell::RefCell<&'static str> = const { std::cell::RefCell::new("plain login") };
}

/// The user mail is stored as: Dovecot will not serve mail as root.
const MAIL_USER: &str = "doorbell-test";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() == 0 }
}

/// The unprivileged account Dovecot stores mail as, created when running as root.
fn mail_user() -> (String, u32, u32) {
    static CREATED: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = CREATED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if is_root() {
        let exists = Command::new("id")
            .arg(MAIL_USER)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !exists {
            let status = Command::new("useradd")
                .args([
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    MAIL_USER,
                ])
                .status()
                .expect("useradd runs");
            assert!(status.success(), "cannot create the user {MAIL_USER}");
        }
        let id = |flag: &str| -> u32 {
            let out = Command::new("id").args([flag, MAIL_USER]).output().unwrap();
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        };
        (MAIL_USER.to_string(), id("-u"), id("-g"))
    } else {
        // SAFETY: as above.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        let out = Command::new("id").arg("-un").output().unwrap();
        (
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            uid,
            gid,
        )
    }
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    unsafe { libc::chown(c.as_ptr(), uid, gid) };
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap().flatten() {
            chown_tree(&entry.path(), uid, gid);
        }
    }
}

fn dovecot_binary() -> PathBuf {
    ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect(
            "dovecot is installed (tests/run.sh installs Debian's dovecot-imapd and dovecot-lmtpd)",
        )
}

impl Dovecot {
    /// Starts Dovecot with these users (name, password). Each has INBOX, Junk (under a
    /// Russian name, known only by its SPECIAL-USE flag), Trash and Sent.
    pub fn start(users: &[(&str, &str)]) -> Self {
        Self::start_with(users, false)
    }

    /// A server that offers only the SASL LOGIN mechanism: no AUTHENTICATE PLAIN.
    pub fn start_without_sasl_plain(users: &[(&str, &str)]) -> Self {
        MECHANISMS.with(|m| *m.borrow_mut() = "login");
        let started = Self::start_with(users, false);
        MECHANISMS.with(|m| *m.borrow_mut() = "plain login");
        started
    }

    /// Also listens for IMAP over TLS, with a certificate from a test CA.
    pub fn start_tls(users: &[(&str, &str)]) -> Self {
        Self::start_with(users, true)
    }

    /// Starts Dovecot, again on fresh ports when it could not: a port found free may be
    /// taken by another test before Dovecot binds it.
    fn start_with(users: &[(&str, &str)], tls: bool) -> Self {
        let mut logs = Vec::new();
        for _ in 0..3 {
            match Self::try_start(users, tls) {
                Ok(dovecot) => return dovecot,
                Err(log) => logs.push(log),
            }
        }
        panic!("dovecot did not start:\n{}", logs.join("\n---\n"));
    }

    fn try_start(users: &[(&str, &str)], tls: bool) -> Result<Self, String> {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (user, uid, gid) = mail_user();
        for sub in ["base", "state", "mail"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let passwd: String = users
            .iter()
            .map(|(name, password)| format!("{name}:{{PLAIN}}{password}\n"))
            .collect();
        std::fs::write(root.join("users"), passwd).unwrap();
        let (imap_port, lmtp_port) = (free_port(), free_port());
        let imaps_port = tls.then(free_port);
        if tls {
            make_certificates(root);
        }
        let r = root.display();
        let mechanisms = MECHANISMS.with(|m| *m.borrow());
        let (ssl, imaps) = match imaps_port {
            Some(port) => (
                format!("ssl = yes\nssl_cert = <{r}/server.pem\nssl_key = <{r}/server.key"),
                format!(
                    "  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {port}\n    ssl = yes\n  }}"
                ),
            ),
            None => ("ssl = no".to_string(), String::new()),
        };
        let config = format!(
            "base_dir = {r}/base
state_dir = {r}/state
log_path = {r}/dovecot.log
listen = 127.0.0.1
protocols = imap lmtp
{ssl}
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:{r}/mail/%u
recipient_delimiter = +
default_internal_user = {user}
default_internal_group = {user}
default_login_user = {user}
passdb {{
  driver = passwd-file
  args = {r}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={r}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox \"Нежелательная почта\" {{
    special_use = \\Junk
    auto = create
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = create
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
{imaps}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
protocol lmtp {{
  auth_username_format = %Ln
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"
        );
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        chown_tree(root, uid, gid);
        let child = Command::new(dovecot_binary())
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dovecot starts");
        let dovecot = Self {
            child,
            imap_port,
            lmtp_port,
            imaps_port,
            ca: tls.then(|| dir.path().join("ca.pem")),
            dir,
        };
        let mut dovecot = dovecot;
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", imap_port)).is_err()
            || TcpStream::connect(("127.0.0.1", lmtp_port)).is_err()
        {
            let exited = dovecot.child.try_wait().ok().flatten().is_some();
            if exited || started.elapsed() > Duration::from_secs(20) {
                return Err(
                    std::fs::read_to_string(dovecot.dir.path().join("dovecot.log"))
                        .unwrap_or_default(),
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(dovecot)
    }

    /// Delivers a message over LMTP (RFC 2033) to `rcpt`, as an MTA hands mail to Dovecot.
    pub fn deliver(&self, from: &str, rcpt: &str, message: &[u8]) {
        lmtp_deliver(self.lmtp_port, from, rcpt, message).unwrap();
    }
}

/// One LMTP transaction; an error names the line the server refused.
pub fn lmtp_deliver(port: u16, from: &str, rcpt: &str, message: &[u8]) -> Result<(), String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut writer = stream;
    fn expect(code: &str, reader: &mut BufReader<TcpStream>) -> Result<(), String> {
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            if !line.starts_with(code) {
                return Err(format!("LMTP: expected {code}, got {line:?}"));
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    }
    expect("220", &mut reader)?;
    let mut send = |line: &str| writer.write_all(line.as_bytes()).map_err(|e| e.to_string());
    send("LHLO doorbell.test\r\n")?;
    expect("250", &mut reader)?;
    send(&format!("MAIL FROM:<{from}>\r\n"))?;
    expect("250", &mut reader)?;
    send(&format!("RCPT TO:<{rcpt}>\r\n"))?;
    expect("250", &mut reader)?;
    send("DATA\r\n")?;
    expect("354", &mut reader)?;
    let mut body = Vec::with_capacity(message.len() + 8);
    for line in message.split_inclusive(|b| *b == b'\n') {
        if line.first() == Some(&b'.') {
            body.push(b'.');
        }
        body.extend_from_slice(line);
    }
    if !body.ends_with(b"\r\n") {
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b".\r\n");
    writer.write_all(&body).map_err(|e| e.to_string())?;
    expect("250", &mut reader)?;
    let _ = writer.write_all(b"QUIT\r\n");
    Ok(())
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its children; SIGKILL would leave them running.
        // SAFETY: the pid is our child's.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Files `raw` straight into the user's `\\Junk` folder over IMAP APPEND, as a server's spam
/// filter does.
pub async fn file_into_junk(port: u16, user: &str, password: &str, raw: &[u8]) {
    use futures_util::TryStreamExt;
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap();
    let mut session = client.login(user, password).await.map_err(|e| e.0).unwrap();
    let names: Vec<_> = session
        .list(None, Some("*"))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let junk = names
        .iter()
        .find(|n| {
            n.attributes()
                .contains(&async_imap::types::NameAttribute::Junk)
        })
        .expect("Dovecot lists a \\Junk folder")
        .name()
        .to_string();
    session.append(&junk, None, None, raw).await.unwrap();
    session.logout().await.unwrap();
}
