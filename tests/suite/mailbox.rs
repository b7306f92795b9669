//! The mailbox against a real Dovecot on loopback: every folder read, Junk known by its
//! SPECIAL-USE flag under a Russian name, IDLE woken by a delivery, a dropped connection
//! survived without losing or repeating a message, a wrong password refused clearly.

use crate::common;

use std::time::{Duration, Instant};

use common::dovecot::Dovecot;
use common::proxy::Proxy;
use doorbell::mailbox::MailboxSpec;
use doorbell::mailbox::{MailboxError, Watcher};

fn spec(port: u16, password: &str) -> MailboxSpec {
    MailboxSpec::Imap {
        host: "127.0.0.1".into(),
        port,
        tls: false,
        user: "tester".into(),
        password: password.into(),
        ca_file: None,
    }
}

fn message(subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: Shop <info@company.example>\r\nTo: tester@example.org\r\nSubject: {subject}\r\n\
Message-ID: <{id}@company.example>\r\nDate: Sun, 22 Nov 2026 20:00:00 +0000\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nЗдравствуйте! {subject}\r\n"
    )
    .into_bytes()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn every_folder_is_read_and_junk_is_known_by_its_flag() {
    let dovecot = Dovecot::start(&[("tester", "secret")]);
    dovecot.deliver(
        "info@company.example",
        "tester@example.org",
        &message("в папке входящие", "m1"),
    );
    runtime().block_on(async {
        common::dovecot::file_into_junk(
            dovecot.imap_port,
            "tester",
            "secret",
            &message("в спаме", "m2"),
        )
        .await;
        let mut watcher = Watcher::open(&spec(dovecot.imap_port, "secret"), doorbell::clock::now())
            .await
            .unwrap();
        let mut found = watcher.fetch_new().await.unwrap();
        found.sort_by(|a, b| a.folder.cmp(&b.folder));
        let seen: Vec<(String, bool)> = found.iter().map(|a| (a.folder.clone(), a.junk)).collect();
        assert_eq!(
            seen,
            [
                ("INBOX".to_string(), false),
                ("Нежелательная почта".to_string(), true)
            ]
        );
        assert!(String::from_utf8_lossy(&found[1].raw).contains("Subject: в спаме"));
        // What was handed out once is not handed out again.
        assert!(watcher.fetch_new().await.unwrap().is_empty());
        watcher.close().await;
    });
}

#[test]
fn a_wrong_password_is_refused_clearly() {
    let dovecot = Dovecot::start(&[("tester", "secret")]);
    runtime().block_on(async {
        let started = Instant::now();
        let err = Watcher::open(&spec(dovecot.imap_port, "wrong"), 0)
            .await
            .err()
            .expect("refused");
        assert!(matches!(err, MailboxError::Login(_)), "{err}");
        assert!(err.to_string().contains("refused the login"), "{err}");
        assert!(
            !err.to_string().contains("wrong"),
            "the password is not shown: {err}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        let closed = Watcher::open(&spec(1, "secret"), 0)
            .await
            .err()
            .expect("no server");
        assert!(matches!(closed, MailboxError::Connect(_)), "{closed}");
    });
}

#[test]
fn idle_wakes_when_mail_is_delivered() {
    let dovecot = Dovecot::start(&[("tester", "secret")]);
    let lmtp = dovecot.lmtp_port;
    runtime().block_on(async {
        let mut watcher = Watcher::open(&spec(dovecot.imap_port, "secret"), doorbell::clock::now())
            .await
            .unwrap();
        assert!(watcher.fetch_new().await.unwrap().is_empty());
        let delivered = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(700));
            common::dovecot::lmtp_deliver(
                lmtp,
                "info@company.example",
                "tester@example.org",
                &message("idle", "m3"),
            )
            .unwrap();
            Instant::now()
        });
        let started = Instant::now();
        // A 60 s wait that a delivery must cut short.
        watcher
            .wait(Duration::from_secs(60), Duration::from_secs(60))
            .await
            .unwrap();
        let woke = Instant::now();
        let delivered_at = delivered.join().unwrap();
        assert!(woke >= delivered_at, "woke before the delivery");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "IDLE did not wake"
        );
        let found = watcher.fetch_new().await.unwrap();
        assert_eq!(found.len(), 1);
        watcher.close().await;
    });
}

#[test]
fn a_dropped_connection_is_made_again_and_nothing_is_lost_or_repeated() {
    let dovecot = Dovecot::start(&[("tester", "secret")]);
    let proxy = Proxy::start(dovecot.imap_port);
    dovecot.deliver(
        "info@company.example",
        "tester@example.org",
        &message("первое", "a1"),
    );
    runtime().block_on(async {
        let mut watcher = Watcher::open(&spec(proxy.port, "secret"), doorbell::clock::now())
            .await
            .unwrap();
        assert_eq!(watcher.fetch_new().await.unwrap().len(), 1);
        proxy.cut();
        dovecot.deliver(
            "info@company.example",
            "tester@example.org",
            &message("второе", "a2"),
        );
        // The first look after the cut finds the connection gone…
        let first = watcher.fetch_new().await;
        assert!(
            matches!(first, Err(ref e) if e.is_transient()),
            "{:?}",
            first.as_ref().map(Vec::len)
        );
        // …the next connects again and hands out only what is new.
        let found = watcher.fetch_new().await.unwrap();
        assert_eq!(found.len(), 1);
        assert!(String::from_utf8_lossy(&found[0].raw).contains("второе"));
        assert_eq!(watcher.reconnects(), 1);
        watcher.close().await;
    });
}

#[test]
fn imaps_trusts_the_company_ca_when_given_and_refuses_the_server_without_it() {
    let dovecot = Dovecot::start_tls(&[("tester", "secret")]);
    dovecot.deliver(
        "info@company.example",
        "tester@example.org",
        &message("по TLS", "t1"),
    );
    let port = dovecot.imaps_port.unwrap();
    let tls = |ca_file: Option<std::path::PathBuf>| MailboxSpec::Imap {
        host: "127.0.0.1".into(),
        port,
        tls: true,
        user: "tester".into(),
        password: "secret".into(),
        ca_file,
    };
    runtime().block_on(async {
        let err = Watcher::open(&tls(None), 0).await.err().expect("untrusted");
        assert!(matches!(err, MailboxError::Connect(_)), "{err}");
        assert!(
            err.to_string().to_lowercase().contains("certificate"),
            "{err}"
        );
        let mut watcher = Watcher::open(&tls(dovecot.ca.clone()), doorbell::clock::now())
            .await
            .unwrap();
        let found = watcher.fetch_new().await.unwrap();
        assert_eq!(found.len(), 1);
        assert!(String::from_utf8_lossy(&found[0].raw).contains("по TLS"));
        watcher.close().await;
    });
}

#[test]
fn a_server_that_takes_neither_plain_nor_login_is_a_clear_login_error() {
    // Dovecot with only the SASL LOGIN mechanism refuses AUTHENTICATE PLAIN, and its LOGIN
    // command (PLAIN inside) too: doorbell tries PLAIN, then LOGIN, then says why.
    let dovecot = Dovecot::start_without_sasl_plain(&[("tester", "secret")]);
    runtime().block_on(async {
        let err = Watcher::open(&spec(dovecot.imap_port, "secret"), 0)
            .await
            .err()
            .expect("refused");
        assert!(matches!(err, MailboxError::Login(_)), "{err}");
        assert!(
            err.to_string()
                .contains("Unsupported authentication mechanism"),
            "{err}"
        );
    });
}

#[test]
fn without_idle_the_mailbox_is_polled() {
    let dovecot = Dovecot::start(&[("tester", "secret")]);
    let lmtp = dovecot.lmtp_port;
    runtime().block_on(async {
        let mut watcher = Watcher::open(&spec(dovecot.imap_port, "secret"), doorbell::clock::now())
            .await
            .unwrap();
        let Watcher::Imap(imap) = &mut watcher else {
            unreachable!("an IMAP spec opens an IMAP watcher")
        };
        imap.poll_only();
        let started = Instant::now();
        std::thread::spawn(move || {
            common::dovecot::lmtp_deliver(
                lmtp,
                "info@company.example",
                "tester@example.org",
                &message("poll", "p1"),
            )
            .unwrap();
        });
        // Polling sleeps the whole interval: nothing wakes it early.
        watcher
            .wait(Duration::from_secs(60), Duration::from_secs(1))
            .await
            .unwrap();
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(950) && waited < Duration::from_secs(10),
            "{waited:?}"
        );
        assert_eq!(watcher.fetch_new().await.unwrap().len(), 1);
        watcher.close().await;
    });
}

#[test]
fn a_reply_filed_in_junk_is_seen_within_seconds_while_waiting() {
    let dovecot = Dovecot::start(&[("tester", "secret")]);
    let port = dovecot.imap_port;
    runtime().block_on(async {
        let mut watcher = Watcher::open(&spec(port, "secret"), doorbell::clock::now())
            .await
            .unwrap();
        assert!(watcher.fetch_new().await.unwrap().is_empty());
        let filed = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(500)).await;
            common::dovecot::file_into_junk(port, "tester", "secret", &message("спам?", "j9"))
                .await;
            Instant::now()
        });
        let started = Instant::now();
        // As the watch does: look, then wait for news (IDLE on INBOX) — up to a minute.
        let seen = loop {
            let found = watcher.fetch_new().await.unwrap();
            if let Some(arrival) = found.first() {
                assert!(arrival.junk);
                break Instant::now();
            }
            assert!(started.elapsed() < Duration::from_secs(60), "never seen");
            watcher
                .wait(Duration::from_secs(60), Duration::from_secs(60))
                .await
                .unwrap();
        };
        let filed = filed.await.unwrap();
        // An IDLE on INBOX hears nothing of Junk: it used to be seen only when the minute
        // ran out.
        assert!(
            seen.duration_since(filed) < Duration::from_secs(10),
            "seen {:?} after it was filed",
            seen.duration_since(filed)
        );
        watcher.close().await;
    });
}

#[test]
fn a_connection_dropped_during_a_wait_is_made_again_and_the_reply_still_found() {
    let dovecot = Dovecot::start(&[("tester", "secret")]);
    let proxy = std::sync::Arc::new(Proxy::start(dovecot.imap_port));
    let lmtp = dovecot.lmtp_port;
    runtime().block_on(async {
        let mut watcher = Watcher::open(&spec(proxy.port, "secret"), doorbell::clock::now())
            .await
            .unwrap();
        assert!(watcher.fetch_new().await.unwrap().is_empty());
        let cutter = proxy.clone();
        let meanwhile = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(700));
            cutter.cut();
            common::dovecot::lmtp_deliver(
                lmtp,
                "info@company.example",
                "tester@example.org",
                &message("во время обрыва", "c1"),
            )
            .unwrap();
        });
        let started = Instant::now();
        // The connection drops under the IDLE: the wait ends with a transient error, at once.
        let waited = watcher
            .wait(Duration::from_secs(60), Duration::from_secs(60))
            .await;
        assert!(
            matches!(waited, Err(ref e) if e.is_transient()),
            "{waited:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(20));
        meanwhile.join().unwrap();
        // The next look connects again and finds what landed while we were cut off.
        let found = watcher.fetch_new().await.unwrap();
        assert_eq!(found.len(), 1);
        assert!(String::from_utf8_lossy(&found[0].raw).contains("во время обрыва"));
        assert_eq!(watcher.reconnects(), 1);
        watcher.close().await;
    });
}
