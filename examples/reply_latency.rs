//! How long from a reply landing in the mailbox to doorbell recording it, with IMAP IDLE and
//! with polling. A real Dovecot on loopback (as in the tests) receives each reply over LMTP;
//! the clock starts when LMTP accepts the message and stops when the journal has it.
//!
//! Three cases: a reply delivered to INBOX with IDLE, a reply the server files in Junk (IDLE
//! hears only INBOX, so the other folders are looked at every few seconds), and polling.
//!
//! `cargo run --release --example reply_latency -- [replies] [poll_seconds]`

#[path = "../tests/suite/common/dovecot.rs"]
#[allow(dead_code)]
mod dovecot;

use std::time::{Duration, Instant};

use doorbell::journal::{Channel, Journal};
use doorbell::mailbox::MailboxSpec;
use doorbell::mailbox::record::{Mailbox, record};
use doorbell::mailbox::{Arrival, Watcher};
use doorbell::rulebook::BUILTIN;

fn reply(token: &str, n: usize) -> Vec<u8> {
    format!(
        "From: Manager <sales@company.example>\r\nTo: tester+{token}@example.org\r\n\
Subject: Re: question [{token}]\r\nMessage-ID: <r{n}-{token}@company.example>\r\n\
Date: Sun, 22 Nov 2026 20:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Hello, yes we can.\r\n"
    )
    .into_bytes()
}

async fn measure(
    dovecot: &dovecot::Dovecot,
    idle: bool,
    into_junk: bool,
    replies: usize,
    poll: Duration,
) -> Vec<Duration> {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("j.db")).unwrap();
    let run = journal.begin_run("bench").unwrap();
    let spec = MailboxSpec::Imap {
        host: "127.0.0.1".into(),
        port: dovecot.imap_port,
        tls: false,
        user: "tester".into(),
        password: "secret".into(),
        ca_file: None,
    };
    let mut watcher = Watcher::open(&spec, doorbell::clock::now()).await.unwrap();
    if let (Watcher::Imap(imap), false) = (&mut watcher, idle) {
        imap.poll_only();
    }
    let _: Vec<Arrival> = watcher.fetch_new().await.unwrap();
    let mut latencies = Vec::new();
    for n in 0..replies {
        let probe = journal
            .plan(run, Channel::Email, &format!("info{n}@company.example"))
            .unwrap();
        journal.claim_for_sending(probe.id).unwrap();
        journal
            .mark_sent(probe.id, doorbell::clock::now(), None, None)
            .unwrap();
        let probes = journal.probes(run).unwrap();
        let (port, imap_port) = (dovecot.lmtp_port, dovecot.imap_port);
        let raw = reply(&probe.token, n);
        // Land the reply at a moment the watcher does not know, as a real one would.
        let pause = Duration::from_millis(300 + (n as u64 * 137) % 700);
        let landed = tokio::spawn(async move {
            tokio::time::sleep(pause).await;
            if into_junk {
                dovecot::file_into_junk(imap_port, "tester", "secret", &raw).await;
            } else {
                tokio::task::spawn_blocking(move || {
                    dovecot::lmtp_deliver(
                        port,
                        "sales@company.example",
                        "tester@example.org",
                        &raw,
                    )
                    .unwrap();
                })
                .await
                .unwrap();
            }
            Instant::now()
        });
        let recorded = loop {
            let arrivals = watcher.fetch_new().await.unwrap();
            let mut done = None;
            for arrival in &arrivals {
                if record(
                    &journal,
                    &probes,
                    arrival,
                    Mailbox::Persona,
                    &BUILTIN.phrases,
                    "tester@example.org",
                )
                .unwrap()
                .is_some()
                {
                    done = Some(Instant::now());
                }
            }
            if let Some(at) = done {
                break at;
            }
            watcher.wait(Duration::from_secs(30), poll).await.unwrap();
        };
        let landed = landed.await.unwrap();
        latencies.push(recorded.saturating_duration_since(landed));
    }
    watcher.close().await;
    latencies
}

fn summary(name: &str, mut values: Vec<Duration>) {
    values.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = values.iter().map(|d| ms(*d)).sum::<f64>() / values.len() as f64;
    println!(
        "{name}: {} replies, median {:.0} ms, mean {:.0} ms, max {:.0} ms",
        values.len(),
        ms(values[values.len() / 2]),
        mean,
        ms(*values.last().unwrap())
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let replies: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let poll = Duration::from_secs(args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5));
    let dovecot = dovecot::Dovecot::start(&[("tester", "secret")]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let idle = runtime.block_on(measure(&dovecot, true, false, replies, poll));
    summary("IMAP IDLE", idle);
    let junk = runtime.block_on(measure(&dovecot, true, true, replies, poll));
    summary("IMAP IDLE, reply filed in Junk", junk);
    let polled = runtime.block_on(measure(&dovecot, false, false, replies, poll));
    summary(&format!("IMAP polling every {} s", poll.as_secs()), polled);
}
