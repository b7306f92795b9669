//! A real SMTP server on loopback: the `mailin` crate's SMTP state machine (RFC 5321
//! commands, replies, DATA dot-unstuffing, AUTH PLAIN) behind a thread per connection. Each
//! message it accepts is handed to a router, which plays the company's mail system.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpListener};
use std::path::Path;
use std::sync::{Arc, Mutex};

use doorbell_tls::{ServerConfig, ServerConnection, StreamOwned};
use tokio_rustls::rustls as doorbell_tls;

use mailin::{Action, Handler, Response, SessionBuilder, response};

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

pub type Router = Arc<dyn Fn(Envelope) + Send + Sync>;

#[derive(Clone)]
struct Collector {
    route: Router,
    log: Arc<Mutex<Vec<Envelope>>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
    /// (user, password) the server accepts, when AUTH is required.
    login: Option<(String, String)>,
    authenticated: bool,
}

impl Handler for Collector {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        if self.login.is_some() && !self.authenticated {
            return response::AUTHENTICATION_REQUIRED;
        }
        self.from = from.to_string();
        self.to.clear();
        self.data.clear();
        response::OK
    }
    fn rcpt(&mut self, to: &str) -> Response {
        self.to.push(to.to_lowercase());
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        let envelope = Envelope {
            from: std::mem::take(&mut self.from),
            to: std::mem::take(&mut self.to),
            data: std::mem::take(&mut self.data),
        };
        self.log.lock().unwrap().push(envelope.clone());
        (self.route)(envelope);
        response::OK
    }
    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        match &self.login {
            Some((u, p)) if u == user && p == password => {
                self.authenticated = true;
                response::AUTH_OK
            }
            _ => response::INVALID_CREDENTIALS,
        }
    }
}

pub struct SmtpServer {
    pub port: u16,
    pub log: Arc<Mutex<Vec<Envelope>>>,
}

impl SmtpServer {
    /// Starts the server; `login` makes it demand AUTH PLAIN (offered without TLS, as
    /// loopback tests allow).
    pub fn start(route: Router, login: Option<(&str, &str)>) -> Self {
        Self::start_with(route, login, SmtpTls::Off, None)
    }

    /// With TLS — STARTTLS or from the first byte — using the certificate and key in
    /// `tls_dir` (`server.pem`, `server.key`, as the Dovecot harness makes them).
    pub fn start_with(
        route: Router,
        login: Option<(&str, &str)>,
        mode: SmtpTls,
        tls_dir: Option<&Path>,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let collector = Collector {
            route,
            log: log.clone(),
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
            login: login.map(|(u, p)| (u.to_string(), p.to_string())),
            authenticated: false,
        };
        let tls = tls_dir.filter(|_| mode != SmtpTls::Off).map(server_config);
        let mut builder = SessionBuilder::new("mx.company.example");
        if mode == SmtpTls::StartTls {
            builder.enable_start_tls();
        }
        if collector.login.is_some() {
            builder
                .enable_auth(mailin::AuthMechanism::Plain)
                .insecure_enable_plaintext_auth();
        }
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let builder = builder.clone();
                let collector = collector.clone();
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let peer = stream.peer_addr().map(|a| a.ip()).unwrap();
                    let mut session = builder.build(peer, collector);
                    if let (SmtpTls::Implicit, Some(config)) = (mode, tls.clone()) {
                        let mut secure = BufReader::new(StreamOwned::new(
                            ServerConnection::new(config).unwrap(),
                            stream,
                        ));
                        session.tls_active();
                        if session.greeting().write_to(secure.get_mut()).is_ok() {
                            converse(&mut session, &mut secure);
                        }
                        return;
                    }
                    let mut plain = BufReader::new(stream);
                    if session.greeting().write_to(plain.get_mut()).is_err() {
                        return;
                    }
                    if converse(&mut session, &mut plain) != Ended::UpgradeTls {
                        return;
                    }
                    let Some(config) = tls else { return };
                    let tcp = plain.into_inner();
                    let mut secure = BufReader::new(StreamOwned::new(
                        ServerConnection::new(config).unwrap(),
                        tcp,
                    ));
                    session.tls_active();
                    converse(&mut session, &mut secure);
                });
            }
        });
        Self { port, log }
    }
}

/// How the server offers TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    Off,
    /// Plain first, then STARTTLS (port 587 style).
    StartTls,
    /// TLS from the first byte (`smtps://`, port 465 style).
    Implicit,
}

#[derive(Debug, PartialEq, Eq)]
enum Ended {
    Closed,
    UpgradeTls,
}

/// Reads commands and writes replies until the client leaves or asks for TLS.
fn converse<S: Read + Write, H: Handler>(
    session: &mut mailin::Session<H>,
    stream: &mut BufReader<S>,
) -> Ended {
    let mut line = Vec::new();
    loop {
        line.clear();
        match stream.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ended::Closed,
            Ok(_) => {}
        }
        let reply = session.process(&line);
        if reply.action == Action::NoReply {
            continue;
        }
        let writer = stream.get_mut();
        if reply.write_to(writer).is_err() || writer.flush().is_err() {
            return Ended::Closed;
        }
        match reply.action {
            Action::Close => return Ended::Closed,
            Action::UpgradeTls => return Ended::UpgradeTls,
            _ => {}
        }
    }
}

fn server_config(dir: &Path) -> Arc<ServerConfig> {
    use doorbell_tls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
    let certs = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    Arc::new(
        ServerConfig::builder_with_provider(Arc::new(
            doorbell_tls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    )
}
