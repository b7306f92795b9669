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
            .stderr(Stdio::piped())
            .spawn()
            .expect("dnsmasq runs (tests/run.sh installs Debian's dnsmasq-base)");
        // dnsmasq answers within milliseconds of starting.
        std::thread::sleep(Duration::from_millis(300));
        Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        }
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
