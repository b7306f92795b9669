//! The browser's only way out: every connection Chromium opens goes through this proxy on
//! loopback (`--proxy-server`, with loopback not bypassed), which connects only to addresses
//! the crawler may reach. Judging requests over the DevTools protocol is not enough on its
//! own: Chromium opens sockets before it asks (a preconnect for an `<iframe>`), and resolves
//! names itself, so a name could answer one address to the check and another to the browser.
//! Here the name is resolved once and the checked address is the one connected to.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::crawl::guard::{AddressGuard, is_private};

/// The most a request head may take: a browser's is a few KB.
const MAX_HEAD: usize = 64 * 1024;
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where connections may go: hosts a page's request was let through to, at addresses the
/// crawler's guard allows, the user's `--resolve` names mapped.
struct Rules {
    guard: AddressGuard,
    resolve: Vec<(String, IpAddr)>,
    asked_for: Arc<Mutex<HashSet<String>>>,
}

/// The proxy, serving until dropped.
pub struct Gate {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Gate {
    /// Opens the proxy on a free loopback port.
    ///
    /// # Errors
    /// No port could be bound.
    pub async fn open(
        guard: AddressGuard,
        resolve: Vec<(String, IpAddr)>,
        asked_for: Arc<Mutex<HashSet<String>>>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let rules = Arc::new(Rules {
            guard,
            resolve,
            asked_for,
        });
        let task = tokio::spawn(async move {
            // Dropped with the task: every relay ends with the gate.
            let mut relays = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((client, _)) = accepted else { continue };
                        let rules = rules.clone();
                        relays.spawn(async move {
                            let _ = relay(client, &rules).await;
                        });
                    }
                    Some(_) = relays.join_next(), if !relays.is_empty() => {}
                }
            }
        });
        Ok(Self { addr, task })
    }
}

/// One client connection: a `CONNECT host:port` tunnel, or one plain-HTTP request in absolute
/// form sent on with `Connection: close` (so a kept-alive connection cannot carry a second
/// request to another host past the check).
async fn relay(mut client: TcpStream, rules: &Rules) -> std::io::Result<()> {
    let (head, rest) = tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut client))
        .await
        .map_err(|_| std::io::Error::other("no request head in time"))??;
    let Some(request) = Request::parse(&head) else {
        return refuse(&mut client, "400 Bad Request").await;
    };
    let mut upstream = match connect(&request.host, request.port, rules).await {
        Ok(stream) => stream,
        Err(why) => {
            tracing::debug!(host = %request.host, %why, "the browser's connection refused");
            return refuse(&mut client, "403 Forbidden").await;
        }
    };
    if request.tunnel {
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
    } else {
        upstream
            .write_all(request.forwarded_head.as_bytes())
            .await?;
    }
    upstream.write_all(&rest).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

async fn refuse(client: &mut TcpStream, status: &str) -> std::io::Result<()> {
    let answer = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    client.write_all(answer.as_bytes()).await
}

/// The request head up to its blank line, and the bytes read past it.
async fn read_head(client: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::other("closed before its request"));
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = memchr::memmem::find(&buffer, b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            return Ok((String::from_utf8_lossy(&buffer).into_owned(), rest));
        }
        if buffer.len() > MAX_HEAD {
            return Err(std::io::Error::other("request head too long"));
        }
    }
}

struct Request {
    host: String,
    port: u16,
    tunnel: bool,
    /// For plain HTTP: the head as the server gets it (origin form, `Connection: close`).
    forwarded_head: String,
}

impl Request {
    fn parse(head: &str) -> Option<Self> {
        let (first, headers) = head.split_once("\r\n")?;
        let mut parts = first.split(' ');
        let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
        if method.eq_ignore_ascii_case("CONNECT") {
            let (host, port) = target.rsplit_once(':')?;
            return Some(Self {
                host: host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_string(),
                port: port.parse().ok()?,
                tunnel: true,
                forwarded_head: String::new(),
            });
        }
        let url = url::Url::parse(target).ok()?;
        if url.scheme() != "http" {
            return None;
        }
        let host = url
            .host_str()?
            .trim_start_matches('[')
            .trim_end_matches(']');
        let mut path = url.path().to_string();
        if let Some(query) = url.query() {
            path.push('?');
            path.push_str(query);
        }
        let mut forwarded = format!("{method} {path} {version}\r\n");
        for line in headers.lines().filter(|l| !l.is_empty()) {
            let name = line.split(':').next().unwrap_or_default().trim();
            if name.eq_ignore_ascii_case("connection")
                || name.eq_ignore_ascii_case("proxy-connection")
            {
                continue;
            }
            forwarded.push_str(line);
            forwarded.push_str("\r\n");
        }
        forwarded.push_str("Connection: close\r\n\r\n");
        Some(Self {
            host: host.to_string(),
            port: url.port_or_known_default()?,
            tunnel: false,
            forwarded_head: forwarded,
        })
    }
}

/// A connection to `host:port` at an address the crawler may reach.
async fn connect(host: &str, port: u16, rules: &Rules) -> Result<TcpStream, String> {
    let asked = rules
        .asked_for
        .lock()
        .expect("not poisoned")
        .contains(&super::network::host_key(host));
    if !asked {
        return Err(format!("{host}: no page asked for it"));
    }
    let trusted = rules.guard.trusts(host);
    let addresses: Vec<IpAddr> = if let Ok(ip) = host.parse::<IpAddr>() {
        vec![ip]
    } else if let Some((_, ip)) = rules
        .resolve
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(host))
    {
        vec![*ip]
    } else {
        tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| format!("{host}: {e}"))?
            .map(|a| a.ip())
            .collect()
    };
    let allowed: Vec<IpAddr> = addresses
        .iter()
        .copied()
        .filter(|ip| trusted || !is_private(*ip))
        .collect();
    if allowed.is_empty() {
        return Err(match addresses.first() {
            Some(ip) => format!("{host} is {ip}, a private or local address"),
            None => format!("{host}: no address"),
        });
    }
    let mut last = String::new();
    for ip in allowed {
        match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((ip, port))).await {
            Ok(Ok(stream)) => return Ok(stream),
            Ok(Err(e)) => last = e.to_string(),
            Err(_) => last = "timed out".into(),
        }
    }
    Err(format!("{host}: {last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_request_goes_on_in_origin_form_and_closes() {
        let request = Request::parse(
            "GET http://shop.example:8080/a?b=1 HTTP/1.1\r\nHost: shop.example:8080\r\nProxy-Connection: keep-alive\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (request.host.as_str(), request.port),
            ("shop.example", 8080)
        );
        assert_eq!(
            request.forwarded_head,
            "GET /a?b=1 HTTP/1.1\r\nHost: shop.example:8080\r\nConnection: close\r\n\r\n"
        );
        let tunnel = Request::parse("CONNECT [::1]:443 HTTP/1.1\r\n\r\n").unwrap();
        assert!(tunnel.tunnel);
        assert_eq!((tunnel.host.as_str(), tunnel.port), ("::1", 443));
    }

    #[tokio::test]
    async fn private_addresses_are_refused_unless_trusted() {
        let hosts = ["127.0.0.2", "10.1.2.3", "169.254.169.254", "localhost"];
        let rules = Rules {
            guard: AddressGuard::trusting(["127.0.0.1"]),
            resolve: Vec::new(),
            asked_for: Arc::new(Mutex::new(hosts.iter().map(ToString::to_string).collect())),
        };
        for host in hosts {
            let error = connect(host, 9, &rules).await.unwrap_err();
            assert!(error.contains("private or local"), "{host}: {error}");
        }
    }
}

#[cfg(test)]
mod unasked {
    use super::*;

    #[tokio::test]
    async fn a_host_no_page_asked_for_is_refused_even_when_public() {
        let rules = Rules {
            guard: AddressGuard::default(),
            resolve: vec![("update.example".into(), "192.0.2.1".parse().unwrap())],
            asked_for: Arc::default(),
        };
        let error = connect("update.example", 443, &rules).await.unwrap_err();
        assert!(error.contains("no page asked for it"), "{error}");
    }
}
