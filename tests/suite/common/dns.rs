//! A real DNS server on loopback: dnsmasq (Debian `dnsmasq-base`, which `tests/run.sh`
//! installs), answering for the test domains only and asking nobody upstream.

use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Dnsmasq {
    child: Child,
    pub addr: SocketAddr,
}

impl Dnsmasq {
    /// Zones: `example.com` and `mail.example.net` have MX records; `web.example.net` only an
    /// A record; anything else under `example.net` does not exist.
    pub fn start() -> Self {
        // The port is free for UDP when chosen, but dnsmasq also listens on TCP, where another
        // test's server may hold the same number: then dnsmasq exits, and another port is tried.
        for _ in 0..5 {
            if let Some(dnsmasq) = Self::try_start() {
                return dnsmasq;
            }
        }
        panic!("dnsmasq did not start on any of 5 loopback ports");
    }

    fn try_start() -> Option<Self> {
        let port = UdpSocket::bind("127.0.0.1:0")
            .and_then(|s| s.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new("dnsmasq")
            .args([
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--bind-interfaces",
                "--listen-address=127.0.0.1",
                "--pid-file=",
                &format!("--port={port}"),
                "--local=/example.net/",
                "--local=/example.com/",
                "--mx-host=example.com,mx.example.com,10",
                "--mx-host=mail.example.net,mx1.example.net,10",
                "--address=/mx.example.com/127.0.0.10",
                "--address=/web.example.net/127.0.0.11",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dnsmasq runs (tests/run.sh installs Debian's dnsmasq-base)");
        let mut dnsmasq = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        // Ready when it answers: a fixed pause was too short on a loaded machine.
        let started = std::time::Instant::now();
        while !answers(dnsmasq.addr) {
            if dnsmasq.child.try_wait().ok().flatten().is_some() {
                return None;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "dnsmasq did not answer on {}",
                dnsmasq.addr
            );
        }
        Some(dnsmasq)
    }
}

/// Whether a DNS server at `addr` answers an A query for example.com within 100 ms.
fn answers(addr: SocketAddr) -> bool {
    let Ok(socket) = UdpSocket::bind("127.0.0.1:0") else {
        return false;
    };
    let _ = socket.set_read_timeout(Some(Duration::from_millis(100)));
    let mut query = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in ["example", "com"] {
        query.push(label.len() as u8);
        query.extend_from_slice(label.as_bytes());
    }
    query.extend_from_slice(&[0, 0, 1, 0, 1]);
    let mut reply = [0u8; 512];
    socket.send_to(&query, addr).is_ok() && socket.recv(&mut reply).is_ok()
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
