//! Headless Chromium driven over the DevTools protocol through a pipe
//! (`--remote-debugging-pipe`: JSON messages separated by NUL on file descriptors 3 and 4).
//! No port, no WebSocket, no driver crate: the protocol needs a few commands here, and
//! chromiumoxide would add minutes to every cold build in CI.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";

pub struct Browser {
    child: Child,
    commands: std::io::PipeWriter,
    messages: Receiver<Value>,
    next_id: u64,
    /// Every event seen so far, in order.
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

/// One tab, attached in flat mode: commands carry its session id.
pub struct Tab {
    pub session: String,
}

impl Browser {
    /// Starts Chromium with the flags that keep it off the network (FACTS.md): no background
    /// requests, no component updates, no sync, no QUIC; a fresh profile of its own.
    pub fn launch() -> Self {
        let profile = tempfile::tempdir().expect("profile dir");
        let (from_us, commands) = std::io::pipe().expect("pipe");
        let (replies, to_us) = std::io::pipe().expect("pipe");
        let child_in: OwnedFd = from_us.into();
        let child_out: OwnedFd = to_us.into();
        let (fd_in, fd_out) = (child_in.as_raw_fd(), child_out.as_raw_fd());
        let mut command = Command::new(CHROMIUM);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--mute-audio",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: between fork and exec only async-signal-safe calls (fcntl, dup2). The pipe
        // ends are first moved above 10 so that placing them on 3 and 4 cannot close one
        // with the other, and dup2 onto another number clears close-on-exec.
        unsafe {
            command.pre_exec(move || {
                let high_in = libc::fcntl(fd_in, libc::F_DUPFD_CLOEXEC, 10);
                let high_out = libc::fcntl(fd_out, libc::F_DUPFD_CLOEXEC, 10);
                if high_in < 0
                    || high_out < 0
                    || libc::dup2(high_in, 3) < 0
                    || libc::dup2(high_out, 4) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("chromium starts");
        drop((child_in, child_out));
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(replies);
            let mut buffer = Vec::new();
            loop {
                buffer.clear();
                match reader.read_until(0, &mut buffer) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        if buffer.last() == Some(&0) {
                            buffer.pop();
                        }
                        if let Ok(message) = serde_json::from_slice::<Value>(&buffer)
                            && tx.send(message).is_err()
                        {
                            return;
                        }
                    }
                }
            }
        });
        Self {
            child,
            commands,
            messages,
            next_id: 1,
            events: Vec::new(),
            _profile: profile,
        }
    }

    /// Sends a command and waits for its answer, keeping the events that arrive meanwhile.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("json");
        bytes.push(0);
        self.commands
            .write_all(&bytes)
            .expect("chromium reads commands");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let message = self.next_message(deadline).unwrap_or_else(|| {
                panic!("chromium did not answer {method} in 30 s");
            });
            if message["id"] == json!(id) {
                if let Some(error) = message.get("error") {
                    panic!("{method}: {error}");
                }
                return message["result"].clone();
            }
            self.events.push(message);
        }
    }

    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages.recv_timeout(left).ok()
    }

    /// Waits for an event of `method` on the tab, keeping every event.
    pub fn wait_for(&mut self, tab: &Tab, method: &str, timeout: Duration) {
        let seen = |e: &Value| e["method"] == method && e["sessionId"] == json!(tab.session);
        if self.events.iter().any(seen) {
            return;
        }
        let deadline = Instant::now() + timeout;
        while let Some(message) = self.next_message(deadline) {
            let found = seen(&message);
            self.events.push(message);
            if found {
                return;
            }
        }
        panic!("no {method} within {timeout:?}");
    }

    /// Collects the events that arrive within `quiet`.
    pub fn settle(&mut self, quiet: Duration) {
        let deadline = Instant::now() + quiet;
        while let Some(message) = self.next_message(deadline) {
            self.events.push(message);
        }
    }

    /// A new tab watching the console, the log, the network and the script parser.
    pub fn open_tab(&mut self) -> Tab {
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        let tab = Tab {
            session: attached["sessionId"].as_str().expect("session").to_string(),
        };
        for domain in ["Page", "Runtime", "Log", "Network", "Debugger"] {
            self.call(Some(&tab.session), &format!("{domain}.enable"), json!({}));
        }
        tab
    }

    /// Loads `url` in the tab and waits for its load event.
    pub fn navigate(&mut self, tab: &Tab, url: &str) {
        self.call(Some(&tab.session), "Page.navigate", json!({ "url": url }));
        self.wait_for(tab, "Page.loadEventFired", Duration::from_secs(30));
        self.settle(Duration::from_millis(300));
    }

    /// The value of a JavaScript expression, evaluated by DevTools (not by the page).
    pub fn eval(&mut self, tab: &Tab, expression: &str) -> Value {
        let result = self.call(
            Some(&tab.session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression}: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// The tab's events of one method.
    pub fn events_of<'a>(
        &'a self,
        tab: &'a Tab,
        method: &'a str,
    ) -> impl Iterator<Item = &'a Value> {
        self.events
            .iter()
            .filter(move |e| e["method"] == method && e["sessionId"] == json!(tab.session))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
