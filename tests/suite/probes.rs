//! Probing end to end: the real doorbell binary against the fixture company on loopback —
//! its site, its SMTP server, and a real Dovecot holding both the persona's mailbox and the
//! company's inbox.

use crate::common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::company::{COMPANY_PASSWORD, Company, PERSONA_PASSWORD};
use common::smtp::SmtpTls;
use serde_json::Value;

struct Setup {
    company: Company,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(extra: &str) -> Self {
        Self::with(Company::start(), extra)
    }

    fn with(company: Company, extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("doorbell.toml"), company.config(extra)).unwrap();
        Self { company, dir }
    }

    fn doorbell(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("doorbell").unwrap();
        cmd.current_dir(self.dir.path())
            .env("DOORBELL_MAILBOX_PASSWORD", PERSONA_PASSWORD)
            .env("DOORBELL_NOTIFICATION_PASSWORD", COMPANY_PASSWORD)
            .env_remove("DOORBELL_SMTP_PASSWORD")
            .env("NO_COLOR", "1")
            .args(args)
            .timeout(Duration::from_secs(120));
        cmd
    }
}

fn by_target(report: &Value) -> BTreeMap<String, Value> {
    report["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let target = p["target"].as_str().unwrap();
            let short = target
                .rsplit_once('/')
                .map_or(target, |(_, last)| last)
                .to_string();
            (short, p.clone())
        })
        .collect()
}

fn rules_for(report: &Value, needle: &str) -> Vec<String> {
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["category"] != "phone" && f["message"].as_str().unwrap().contains(needle))
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .filter(|r| r.starts_with("form.") || r.starts_with("reply."))
        .filter(|r| {
            !matches!(
                r.as_str(),
                "form.too-many-fields"
                    | "form.captcha"
                    | "form.insecure-action"
                    | "form.action-broken"
            )
        })
        .collect();
    rules.sort();
    rules
}

#[test]
fn run_knocks_on_every_door_and_times_the_answers() {
    let setup = Setup::new("");
    let output = setup
        .doorbell(&[
            "run",
            "--probe",
            "--format",
            "json",
            "--journal",
            "j.db",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let probes = by_target(&report);
    // Every contact, callback and order form on our host and every address, once each.
    assert_eq!(
        setup.company.submissions(),
        [
            ("ajax", 1),
            ("broken", 1),
            ("callback", 1),
            ("contact", 1),
            ("junk", 1),
            ("multipart", 1),
            ("request", 1),
            ("silent", 1)
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect::<BTreeMap<_, _>>(),
        "{stderr}"
    );
    assert_eq!(probes.len(), 11, "{:?}", probes.keys());
    let status = |t: &str| probes[t]["status"].as_str().unwrap().to_string();
    assert_eq!(status("broken"), "failed");
    // CSRF token, session cookie and honeypot handled: accepted; it took our address but
    // never mails a confirmation.
    assert_eq!(status("request"), "no-reply", "{}", probes["request"]);
    assert_eq!(probes["request"]["answer"]["confirmation"], "Спасибо!");
    assert_eq!(status("person@company.example"), "answered");
    assert_eq!(status("silent@company.example"), "no-reply");
    assert_eq!(status("auto@company.example"), "confirmed");
    assert_eq!(status("contact"), "confirmed");
    // The auto-reply came at once; the person answered after ~2 s.
    assert!(
        probes["auto@company.example"]["confirmation_after_s"]
            .as_i64()
            .unwrap()
            <= 3
    );
    let human = probes["person@company.example"]["human_reply_after_s"]
        .as_i64()
        .unwrap();
    assert!((1..=5).contains(&human), "{human}");
    // The form answers were read: words, times, JSON, a redirect to a thank-you page.
    assert_eq!(probes["lead"]["answer"]["eta"], "в течение часа");
    assert_eq!(probes["request"]["answer"]["eta"], "в течение 15 минут");
    assert!(
        probes["request"]["answer"]["final_url"]
            .as_str()
            .unwrap()
            .ends_with("/thanks")
    );
    assert_eq!(probes["contact"]["notifications"][0]["folder"], "INBOX");
    assert_eq!(probes["junk"]["notifications"][0]["junk"], true);

    assert_eq!(rules_for(&report, "/send/broken"), ["form.submit-failed"]);
    assert_eq!(
        rules_for(&report, "/send/silent"),
        ["form.no-confirmation", "form.notification-missing"]
    );
    assert_eq!(
        rules_for(&report, "/send/callback"),
        ["form.confirmation-no-eta", "form.notification-missing"]
    );
    assert_eq!(
        rules_for(&report, "/send/junk"),
        [
            "form.notification-in-junk",
            "form.notification-subject-generic",
            "reply.autoreply-missing",
            "reply.none"
        ]
    );
    assert_eq!(rules_for(&report, "/send/contact"), ["reply.none"]);
    assert_eq!(
        rules_for(&report, "/send/request"),
        ["reply.autoreply-missing", "reply.none"]
    );
    assert_eq!(
        rules_for(&report, "/send/multipart"),
        [
            "form.confirmation-no-eta",
            "reply.autoreply-missing",
            "reply.none"
        ]
    );
    assert_eq!(
        rules_for(&report, "auto@company.example"),
        ["reply.autoreply-no-alternatives", "reply.none"]
    );
    assert_eq!(
        rules_for(&report, "person@company.example"),
        Vec::<String>::new()
    );
    assert_eq!(
        rules_for(&report, "silent@company.example"),
        ["reply.autoreply-missing", "reply.none"]
    );
    // What was left alone is said, with why.
    assert!(
        stderr.contains("left alone: form https://crm.partner.example/lead — it sends to a host not on the allow-list"),
        "{stderr}"
    );
    // The partner's CRM form is on another host: left alone, never contacted.
    assert!(
        !report
            .to_string()
            .contains("crm.partner.example/lead\",\"status")
    );
}

#[test]
fn the_watch_ends_at_the_last_deadline_not_when_wait_runs_out() {
    let company = Company::start();
    let dir = tempfile::tempdir().unwrap();
    // One mailbox, IDLEd on: nothing but a deadline wakes the watch.
    let config: String = company
        .config("")
        .lines()
        .filter(|l| !l.starts_with("notification_mailbox"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("doorbell.toml"), config).unwrap();
    let setup = Setup { company, dir };
    let started = Instant::now();
    let output = setup
        .doorbell(&[
            "run",
            "--probe",
            "--wait",
            "100s",
            "--format",
            "json",
            "--journal",
            "j.db",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // The last deadline is 6 s after the last send; an IDLE slice was 60 s.
    assert!(elapsed < Duration::from_secs(40), "took {elapsed:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let evidence: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "reply.none")
        .map(|f| f["evidence"].as_str().unwrap())
        .collect();
    assert!(!evidence.is_empty());
    for e in evidence {
        assert!(e.ends_with("deadline 6 s"), "{e}");
    }
}

#[test]
fn plan_shows_what_would_be_sent_and_sends_nothing() {
    let setup = Setup::new("");
    let output = setup
        .doorbell(&["run", "--plan", "--lang", "en"])
        .env("COLUMNS", "250")
        .env_remove("DOORBELL_MAILBOX_PASSWORD")
        .env_remove("DOORBELL_NOTIFICATION_PASSWORD")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for sent in [
        "/send/contact",
        "/send/request",
        "/api/lead",
        "auto@company.example",
    ] {
        assert!(stdout.contains(sent), "{sent} missing from\n{stdout}");
    }
    for left in ["crm.partner.example", "/search", "/subscribe", "/login"] {
        assert!(
            stdout.contains(left),
            "{left} not listed as left alone\n{stdout}"
        );
    }
    assert!(stdout.contains("Nothing was sent. Run with --probe to send."));
    // A callback is answered by phone: no reply deadline is shown for it.
    let callback_row = stdout
        .lines()
        .find(|l| l.contains("/send/callback"))
        .expect("the callback form is planned");
    assert!(
        callback_row.contains("the call itself is not heard"),
        "{callback_row}"
    );
    assert!(!callback_row.contains("reply"), "{callback_row}");
    let contact_row = stdout
        .lines()
        .find(|l| l.contains("/send/contact"))
        .unwrap();
    assert!(contact_row.contains("reply 6 s"), "{contact_row}");
    // Asked to probe and to plan: the plan wins, and the hint says how to send.
    let output = setup
        .doorbell(&["run", "--probe", "--plan", "--lang", "en"])
        .env("COLUMNS", "250")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Run without --plan to send."), "{stdout}");
    assert!(!stdout.contains("Run with --probe"), "{stdout}");
    // The per-run limit: what is over it is listed, not sent.
    let config = setup.dir.path().join("doorbell.toml");
    let limited = std::fs::read_to_string(&config)
        .unwrap()
        .replace("max_messages = 20", "max_messages = 2");
    std::fs::write(&config, limited).unwrap();
    let output = setup
        .doorbell(&["run", "--plan", "--lang", "ru", "--format", "json"])
        .output()
        .unwrap();
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["targets"].as_array().unwrap().len(), 2);
    let over = plan["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"] == "over-limit")
        .count();
    assert_eq!(over, 9, "{plan}");
    assert!(setup.company.submissions().is_empty());
    assert!(setup.company.mta.log.lock().unwrap().is_empty());
}

#[test]
fn a_wrong_mailbox_password_stops_the_run_before_anything_is_sent() {
    let setup = Setup::new("");
    let output = setup
        .doorbell(&["run", "--probe", "--journal", "j.db"])
        .env("DOORBELL_MAILBOX_PASSWORD", "not-the-password")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("refused the login"), "{stderr}");
    assert!(!stderr.contains("not-the-password"));
    // A sentence, not the IMAP library's debug output, and no "watching" before a login.
    assert!(
        !stderr.contains("code: None") && !stderr.contains("info: Some"),
        "{stderr}"
    );
    assert!(!stderr.to_lowercase().contains("watching"), "{stderr}");
    assert!(setup.company.submissions().is_empty());
    assert!(setup.company.mta.log.lock().unwrap().is_empty());
}

#[test]
fn probe_tonight_verify_later() {
    let setup = Setup::new("");
    let sent = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--format",
            "json",
            "--journal",
            "j.db",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(
        sent.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let first: Value = serde_json::from_slice(&sent.stdout).unwrap();
    // Right after sending nothing is late yet: no reply rule has fired.
    assert!(rules_for(&first, "silent@company.example").is_empty());
    let verified = setup
        .doorbell(&[
            "verify",
            "--format",
            "json",
            "--journal",
            "j.db",
            "--wait",
            "10s",
            "--fail-on",
            "error",
        ])
        .output()
        .unwrap();
    assert_eq!(
        verified.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let report: Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(
        by_target(&report)["person@company.example"]["status"],
        "answered"
    );
    assert_eq!(
        rules_for(&report, "silent@company.example"),
        ["reply.autoreply-missing", "reply.none"]
    );
    // Each judging appended a verdict per probe: one after sending, one after verifying.
    let journal = doorbell::journal::Journal::open(&setup.dir.path().join("j.db")).unwrap();
    let run = journal
        .latest_probed_run(&setup.company.url)
        .unwrap()
        .expect("the run is in the journal");
    for probe in journal.probes(run).unwrap() {
        let verdicts = journal.verdicts(probe.id).unwrap();
        assert_eq!(verdicts.len(), 2, "{}", probe.target);
    }
    let silent = journal
        .probes(run)
        .unwrap()
        .into_iter()
        .find(|p| p.target == "silent@company.example")
        .unwrap();
    assert_eq!(
        journal.verdicts(silent.id).unwrap()[1].rules,
        ["reply.none", "reply.autoreply-missing"]
    );
    // Verifying sends nothing more.
    assert_eq!(setup.company.submissions().values().sum::<usize>(), 8);
    assert_eq!(
        setup
            .company
            .mta
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.to.iter().any(|t| t.ends_with("@company.example")
                && !t.starts_with("inbox")
                && !t.starts_with("junk")))
            .count(),
        3
    );
}

#[test]
fn a_run_killed_mid_send_sends_nothing_twice() {
    let setup = Setup::new("");
    let config = setup.dir.path().join("doorbell.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("delay = \"0s\"", "delay = \"1s\"");
    std::fs::write(&config, text).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("doorbell");
    let mut child = std::process::Command::new(&binary)
        .current_dir(setup.dir.path())
        .env("DOORBELL_MAILBOX_PASSWORD", PERSONA_PASSWORD)
        .env("DOORBELL_NOTIFICATION_PASSWORD", COMPANY_PASSWORD)
        .args(["probe", "--probe", "--journal", "j.db", "-q"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Killed while the silent form's answer is on its way (it takes 2 s): the journal cannot
    // know whether that submission was taken.
    while !setup.company.submissions().contains_key("silent") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no submissions"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let before = setup.company.submissions();
    let rerun = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--format",
            "json",
            "--journal",
            "j.db",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(
        rerun.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let after = setup.company.submissions();
    assert!(
        after.values().all(|n| *n == 1),
        "a form was sent twice: {after:?}"
    );
    assert_eq!(after.len(), 8, "every form sent once in all: {after:?}");
    assert_eq!(
        before.get("silent"),
        Some(&1),
        "killed while the silent form was sent"
    );
    let report: Value = serde_json::from_slice(&rerun.stdout).unwrap();
    let probes = report["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 11);
    assert!(probes.iter().all(|p| p["state"] != "planned"));
    // The one cut short is in doubt, said so, and not sent again.
    let silent = probes
        .iter()
        .find(|p| p["target"].as_str().unwrap().ends_with("/send/silent"))
        .unwrap();
    assert_eq!(silent["state"], "in-doubt", "{silent}");
    assert_eq!(silent["status"], "in-doubt", "{silent}");
    let emails = setup
        .company
        .mta
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|e| {
            e.to.iter().any(|t| {
                [
                    "auto@company.example",
                    "person@company.example",
                    "silent@company.example",
                ]
                .contains(&t.as_str())
            })
        })
        .count();
    assert_eq!(emails, 3, "each address mailed once");
}

#[test]
fn email_probes_log_in_to_the_smtp_server_and_a_refused_login_is_reported() {
    let company = Company::start_with(Some(("tester", "smtp-secret")), SmtpTls::Off);
    let setup = Setup::with(company, "forms = false");
    let config = setup.dir.path().join("doorbell.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "smtp = \"smtp://127.0.0.1:",
        "smtp = \"smtp://tester@127.0.0.1:",
    );
    std::fs::write(&config, text).unwrap();
    let refused = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--format",
            "json",
            "--journal",
            "bad.db",
            "--fail-on",
            "never",
        ])
        .env("DOORBELL_SMTP_PASSWORD", "wrong")
        .output()
        .unwrap();
    // Our own server refused us: our failure (exit 3, the reason), no door blamed, no report.
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("our SMTP server refused us, so nothing was sent"),
        "{stderr}"
    );
    assert!(stderr.contains("535"), "{stderr}");
    assert!(refused.stdout.is_empty(), "no report blames the company");
    assert!(setup.company.mta.log.lock().unwrap().is_empty());
    assert!(!stderr.contains("wrong"));
    // A server without STARTTLS when TLS is required: the same, before anything is sent.
    let text = std::fs::read_to_string(&config).unwrap();
    let plain_port = text
        .lines()
        .find(|l| l.starts_with("smtp = "))
        .unwrap()
        .to_string();
    let required = format!("{}?tls=required\"", plain_port.trim_end_matches('"'));
    std::fs::write(&config, text.replace(&plain_port, &required)).unwrap();
    let no_tls = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--journal",
            "tls.db",
            "--fail-on",
            "never",
        ])
        .env("DOORBELL_SMTP_PASSWORD", "smtp-secret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&no_tls.stderr);
    assert_eq!(no_tls.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("our SMTP server refused us"), "{stderr}");
    assert!(setup.company.mta.log.lock().unwrap().is_empty());
    std::fs::write(&config, text).unwrap();

    let sent = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--format",
            "json",
            "--journal",
            "good.db",
            "--fail-on",
            "never",
            "-o",
            "report.json",
            "-o",
            "report.md",
            "-o",
            "report.html",
            "-o",
            "junit.xml",
        ])
        .env("DOORBELL_SMTP_PASSWORD", "smtp-secret")
        .output()
        .unwrap();
    assert_eq!(
        sent.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    // No secret in any format, nor on the terminal.
    for file in ["report.json", "report.md", "report.html", "junit.xml"] {
        let text = std::fs::read_to_string(setup.dir.path().join(file)).unwrap();
        assert!(
            text.contains("company.example"),
            "{file} reports the probes"
        );
        for secret in ["smtp-secret", PERSONA_PASSWORD, COMPANY_PASSWORD] {
            assert!(!text.contains(secret), "{file} shows a password");
        }
    }
    for stream in [&sent.stdout, &sent.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains("smtp-secret"));
    }
    let mut to: Vec<String> = setup
        .company
        .mta
        .log
        .lock()
        .unwrap()
        .iter()
        .flat_map(|e| e.to.clone())
        .filter(|t| !t.ends_with("@example.org"))
        .collect();
    to.sort();
    assert_eq!(
        to,
        [
            "auto@company.example",
            "person@company.example",
            "silent@company.example"
        ]
    );
    assert!(
        setup.company.submissions().is_empty(),
        "forms = false sends no form"
    );
}

#[test]
fn email_probes_go_over_starttls_trusting_the_named_ca() {
    let company = Company::start_with(None, SmtpTls::StartTls);
    let ca = company.dovecot.ca.clone().unwrap();
    let setup = Setup::with(company, "forms = false");
    let config = setup.dir.path().join("doorbell.toml");
    let port = setup.company.mta.port;
    let text = std::fs::read_to_string(&config).unwrap().replace(
        &format!("smtp = \"smtp://127.0.0.1:{port}\""),
        &format!("smtp = \"smtp://127.0.0.1:{port}?tls=required\""),
    );
    std::fs::write(&config, &text).unwrap();
    let untrusted = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--format",
            "json",
            "--journal",
            "a.db",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    // Our relay's certificate is not trusted: our failure, said before anything is sent.
    let stderr = String::from_utf8_lossy(&untrusted.stderr);
    assert_eq!(untrusted.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("our SMTP server refused us")
            && stderr.to_lowercase().contains("certificate"),
        "{stderr}"
    );
    assert!(setup.company.mta.log.lock().unwrap().is_empty());
    std::fs::write(
        &config,
        text.replace(
            "[probe]\n",
            &format!("[probe]\nsmtp_ca_file = {:?}\n", ca.display().to_string()),
        ),
    )
    .unwrap();
    let trusted = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--format",
            "json",
            "--journal",
            "b.db",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(
        trusted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    let report: Value = serde_json::from_slice(&trusted.stdout).unwrap();
    assert!(
        report["probes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["state"] == "sent"),
        "{report}"
    );
    assert_eq!(setup.company.mta.log.lock().unwrap().len(), 3);
}

#[test]
fn email_probes_go_over_implicit_tls_with_smtps() {
    let company = Company::start_with(None, SmtpTls::Implicit);
    let ca = company.dovecot.ca.clone().unwrap();
    let setup = Setup::with(company, "forms = false");
    let config = setup.dir.path().join("doorbell.toml");
    let port = setup.company.mta.port;
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace(
            &format!("smtp = \"smtp://127.0.0.1:{port}\""),
            &format!("smtp = \"smtps://127.0.0.1:{port}\""),
        )
        .replace(
            "[probe]\n",
            &format!("[probe]\nsmtp_ca_file = {:?}\n", ca.display().to_string()),
        );
    std::fs::write(&config, text).unwrap();
    let sent = setup
        .doorbell(&[
            "probe",
            "--probe",
            "--format",
            "json",
            "--journal",
            "j.db",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(
        sent.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let report: Value = serde_json::from_slice(&sent.stdout).unwrap();
    assert!(
        report["probes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["state"] == "sent"),
        "{report}"
    );
    assert_eq!(setup.company.mta.log.lock().unwrap().len(), 3);
}

/// The findings of one rule in a JSON report: their subjects.
fn subjects_of(report: &Value, rule: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["subject"].as_str().unwrap().to_string())
        .collect()
}

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Three nights of the nightly two-phase job against one company: the contact surface is
/// accepted into doorbell.lock, a quiet night changes nothing, and on the bad night the
/// contact form breaks and the contacts page shows another number — both are reported, the
/// broken form as an error, and the history shows the form's answers night by night.
#[test]
fn the_nightly_flow_notices_the_night_a_form_breaks_and_a_number_changes() {
    let setup = Setup::new("emails = false");
    let contact = format!("form {}send/contact", setup.company.url);
    let accepted = setup
        .doorbell(&[
            "run",
            "--probe",
            "--update-baseline",
            "-q",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(
        accepted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    let lock = std::fs::read_to_string(setup.dir.path().join("doorbell.lock")).unwrap();
    assert!(lock.contains("phone\t+74950000000\t"), "{lock}");
    assert!(
        lock.contains(&format!("probe\t{contact}\t{{\"status\":\"confirmed\"}}")),
        "{lock}"
    );
    assert!(
        !lock.contains("tester-secret") && !lock.contains("Z\n"),
        "no secret, no timestamp"
    );

    let nightly = |phase: &[&str]| {
        let mut args = phase.to_vec();
        args.extend([
            "--baseline",
            "doorbell.lock",
            "--format",
            "json",
            "--fail-on",
            "error",
        ]);
        setup.doorbell(&args).output().unwrap()
    };
    // A quiet night: nothing changed, nothing regressed.
    for phase in [&["probe", "--probe"][..], &["verify", "--wait", "8s"][..]] {
        let report = json_of(&nightly(phase));
        assert!(
            subjects_of(&report, "inventory.changed").is_empty(),
            "{phase:?}"
        );
        assert!(
            subjects_of(&report, "probe.regressed").is_empty(),
            "{phase:?}"
        );
    }

    // The bad night.
    setup
        .company
        .outage
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let sent = nightly(&["probe", "--probe"]);
    assert_eq!(sent.status.code(), Some(1), "the broken form fails the job");
    let report = json_of(&sent);
    assert_eq!(
        subjects_of(&report, "inventory.changed"),
        ["+ phone +74950000009"]
    );
    assert_eq!(subjects_of(&report, "probe.regressed"), [contact.as_str()]);
    let regressed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "probe.regressed")
        .unwrap();
    assert_eq!(regressed["severity"], "error");
    assert_eq!(regressed["evidence"], "confirmed → failed");
    let verified = setup
        .doorbell(&[
            "verify",
            "--baseline",
            "doorbell.lock",
            "--fail-on",
            "error",
            "-o",
            "morning.json",
            "-o",
            "morning.html",
            "-o",
            "morning.xml",
        ])
        .output()
        .unwrap();
    assert_eq!(verified.status.code(), Some(1));
    let morning: Value = serde_json::from_str(
        &std::fs::read_to_string(setup.dir.path().join("morning.json")).unwrap(),
    )
    .unwrap();
    // Verify judges probes only: the site's doors were compared by the night's phase.
    assert!(subjects_of(&morning, "inventory.changed").is_empty());
    assert_eq!(subjects_of(&morning, "probe.regressed"), [contact.as_str()]);
    let door = morning["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| format!("form {}", d["target"].as_str().unwrap()) == contact)
        .unwrap()
        .clone();
    let statuses: Vec<&str> = door["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["confirmed", "confirmed", "failed"]);
    assert!(door["points"][0]["confirmation_after_s"].as_i64().unwrap() <= 4);
    let page = std::fs::read_to_string(setup.dir.path().join("morning.html")).unwrap();
    assert!(page.contains("id=\"history\"") && page.contains("○○✗"));
    assert!(
        page.contains("<svg class=\"trend") && !page.contains("class=\"one-run\""),
        "three runs draw a trend"
    );
    let junit = std::fs::read_to_string(setup.dir.path().join("morning.xml")).unwrap();
    let case = junit
        .split("<testcase ")
        .find(|c| c.contains("name=\"probe.regressed:"))
        .expect("the baseline rules ran");
    assert!(case.contains("<failure "), "{case}");

    let history = setup
        .doorbell(&["history", "--lang", "en"])
        .output()
        .unwrap();
    assert_eq!(history.status.code(), Some(0));
    let table = String::from_utf8_lossy(&history.stdout);
    assert!(
        table.contains("send/contact") && table.contains("○○✗"),
        "{table}"
    );
    let as_json = json_of(
        &setup
            .doorbell(&["history", "--format", "json", "--runs", "2"])
            .output()
            .unwrap(),
    );
    let points = as_json["doors"][0]["points"].as_array().unwrap().len();
    assert_eq!(points, 2, "--runs keeps the latest runs");

    // The outage over, accepting today's surface leaves the lock exactly as it was: no
    // timestamps or counts churn, and the probes' lines stay as last judged by a probe run.
    let before = lock;
    setup
        .company
        .outage
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let updated = setup
        .doorbell(&["audit", "--update-baseline", "-q", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(updated.status.code(), Some(0));
    let after = std::fs::read_to_string(setup.dir.path().join("doorbell.lock")).unwrap();
    assert_eq!(
        before, after,
        "the outage is over: the surface is as accepted"
    );
}

/// A form with no `<form>`, sent by its script with `fetch()`: only a browser can send it.
/// With `--render` the probe opens the page in Chromium, types the persona in (the Cyrillic
/// name must arrive whole), ticks the consent, clicks the button, and judges the JSON answer
/// and the thank-you the page then shows. The script's copy of the lead to a tracker outside
/// `allow_hosts` is failed before it leaves — the tracker sees no connection — and the
/// report says so. Without `--render` the plan leaves the form alone and says how to send it.
#[test]
fn a_script_form_is_sent_in_a_browser_and_nothing_leaves_the_allowed_hosts() {
    let setup = Setup::new("");
    // Two seconds between messages, as a real run keeps (5 s by default): a notification
    // without our token goes to the form sent last before it, and back to back on a busy
    // runner the next form could be sent within the same second.
    let config = setup.dir.path().join("doorbell.toml");
    let spaced = std::fs::read_to_string(&config)
        .unwrap()
        .replace("delay = \"0s\"", "delay = \"2s\"");
    std::fs::write(&config, spaced).unwrap();
    let page = format!("{}zayavka.html", setup.company.url);
    let resolve = format!("{}=127.0.0.1", setup.company.tracker_host);
    let one_page = ["--max-pages", "1", "--resolve", resolve.as_str()];
    let plan_without_browser = setup
        .doorbell(
            &[
                &["run", page.as_str(), "--plan", "--lang", "en"],
                &one_page[..],
            ]
            .concat(),
        )
        .env("COLUMNS", "250")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&plan_without_browser.stdout);
    assert!(
        stdout.contains("only a browser can (add --render auto)"),
        "{stdout}"
    );
    let plan_with_browser = setup
        .doorbell(
            &[
                &["run", page.as_str(), "--plan", "--render", "always"],
                &one_page[..],
            ]
            .concat(),
        )
        .args(["--lang", "en"])
        .env("COLUMNS", "250")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&plan_with_browser.stdout);
    let row = stdout
        .lines()
        .find(|l| l.contains("zayavka.html") && l.contains("in a browser"))
        .unwrap_or_else(|| panic!("the script form is not planned in a browser:\n{stdout}"));
    assert!(row.contains("form ("), "{row}");
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("/bitrix/services/main/ajax.php") && l.contains("in a browser")),
        "the CRM's form is not planned in a browser:\n{stdout}"
    );
    assert!(setup.company.submissions().is_empty());

    let output = setup
        .doorbell(
            &[
                &["run", page.as_str(), "--render", "always", "--probe"][..],
                &one_page[..],
                &[
                    "--format",
                    "json",
                    "--journal",
                    "j.db",
                    "--fail-on",
                    "never",
                ][..],
            ]
            .concat(),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        setup.company.submissions(),
        [("b24".to_string(), 1), ("div".to_string(), 1)]
            .into_iter()
            .collect(),
        "a lead did not arrive as typed\n{stderr}"
    );
    assert_eq!(
        setup
            .company
            .tracker_hits
            .load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the tracker outside allow_hosts was reached"
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let probe = report["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["target"].as_str().unwrap().ends_with("zayavka.html"))
        .unwrap_or_else(|| panic!("no probe of the script form: {}", report["probes"]));
    let answer = &probe["answer"];
    assert_eq!(answer["browser"], true, "{probe}");
    assert_eq!(answer["status"], 200, "{probe}");
    assert!(
        answer["final_url"]
            .as_str()
            .unwrap()
            .ends_with("/api/div-lead"),
        "{probe}"
    );
    assert!(
        answer["confirmation"]
            .as_str()
            .unwrap_or_default()
            .contains("Спасибо"),
        "{probe}"
    );
    assert_eq!(answer["eta"], "в течение 15 минут", "{probe}");
    let blocked = answer["blocked"].as_array().unwrap();
    assert!(
        blocked
            .iter()
            .all(|u| u.as_str().unwrap().contains("stats.partner.example"))
            && blocked.len() == 1,
        "{probe}"
    );
    // The CRM's form: its own script sent it, with the token a plain POST lacks.
    let crm = report["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["target"].as_str().unwrap().contains("/bitrix/"))
        .unwrap_or_else(|| panic!("no probe of the CRM's form: {}", report["probes"]));
    assert_eq!(crm["answer"]["browser"], true, "{crm}");
    assert_eq!(crm["answer"]["status"], 200, "{crm}");
    assert!(
        crm["answer"]["confirmation"]
            .as_str()
            .unwrap_or_default()
            .contains("Спасибо"),
        "{crm}"
    );
    // Its notification carries no token (the form takes a name and a phone only): it is
    // matched by the name typed, to the last form probe sent before it arrived.
    assert!(crm["notification_after_s"].is_number(), "{crm}");
    // The confirmation mail to the persona's plus-address came, and the company's inbox got
    // the lead.
    assert_eq!(probe["status"], "confirmed", "{probe}");
    assert!(probe["notification_after_s"].is_number(), "{probe}");
    assert!(rules_for(&report, "zayavka.html").is_empty(), "{report}");
}
