//! A real SMTP server on loopback: the `mailin` crate's SMTP state machine (RFC 5321
//! commands, replies, DATA dot-unstuffing, AUTH PLAIN) behind a thread per connection. Each
//! message it accepts is handed to a router, which plays the company's mail system.

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};

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
        let mut builder = SessionBuilder::new("mx.company.example");
        if collector.login.is_some() {
            builder
                .enable_auth(mailin::AuthMechanism::Plain)
                .insecure_enable_plaintext_auth();
        }
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let builder = builder.clone();
                let collector = collector.clone();
                std::thread::spawn(move || {
                    let peer = stream.peer_addr().map(|a| a.ip()).unwrap();
                    let mut session = builder.build(peer, collector);
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = BufReader::new(stream);
                    if session.greeting().write_to(&mut writer).is_err() {
                        return;
                    }
                    let mut line = Vec::new();
                    loop {
                        line.clear();
                        match reader.read_until(b'\n', &mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        let reply = session.process(&line);
                        match reply.action {
                            Action::NoReply => {}
                            Action::Close => {
                                let _ = reply.write_to(&mut writer);
                                return;
                            }
                            _ => {
                                if reply.write_to(&mut writer).is_err() {
                                    return;
                                }
                                let _ = writer.flush();
                            }
                        }
                    }
                });
            }
        });
        Self { port, log }
    }
}
