//! `doorbell demo`: the example site audited, its forms probed, its replies read from a
//! Maildir — all on this machine.

mod site;

use std::path::Path;
use std::time::Duration;

use super::{Failure, Job, Outcome, audit_site, probing::report_with_probes};
use crate::audit::AuditSettings;
use crate::cli::{DemoArgs, JudgeArgs};
use crate::probe;

/// The demo: the example site audited, its forms probed, its replies read from a Maildir —
/// all on this machine, in seconds.
pub(crate) async fn demo(args: DemoArgs) -> Outcome {
    let scratch = std::env::temp_dir().join(format!(
        "doorbell-demo-{}-{}",
        std::process::id(),
        crate::journal::new_token()
    ));
    let maildir = scratch.join("Maildir");
    crate::mailbox::maildir::create(&maildir).map_err(|e| {
        Failure::run(format!(
            "cannot create the demo mailbox in {}: {e}",
            scratch.display()
        ))
    })?;
    let outcome = demo_in(args, &scratch, &maildir).await;
    let _ = std::fs::remove_dir_all(&scratch);
    outcome
}

async fn demo_in(args: DemoArgs, scratch: &Path, maildir: &Path) -> Outcome {
    let file = crate::config::find(None)?;
    let addr = site::serve(Some(maildir.to_path_buf()))
        .await
        .map_err(|e| Failure::run(format!("cannot serve the example site on 127.0.0.1: {e}")))?;
    let start = url::Url::parse(&format!("http://{addr}/")).expect("a loopback URL parses");
    eprintln!("doorbell: serving the example site at {start}");
    let mut settings = AuditSettings::new(start);
    settings.crawl.rate = 0.0;
    settings.region = rlibphonenumber::Region::from_code("RU").ok();
    // The demo promises no network: its order form names a host that is not ours, and
    // its addresses are at example.com.
    settings.check_foreign_actions = false;
    settings.check_mail_dns = false;
    // The example site is judged by our rules alone; of the config file only the report's
    // language applies (its baseline, rules and site are the team's own site's).
    let report_only = crate::config::ConfigFile {
        report: crate::config::ReportConfig {
            lang: file.report.lang,
            ..Default::default()
        },
        ..Default::default()
    };
    let judge = JudgeArgs {
        fail_on: Some(args.fail_on),
        rules: None,
        baseline: None,
        update_baseline: false,
    };
    let mut job = Job::build(settings, judge, args.output, &report_only)?;
    job.output.push(args.html.clone());
    let (audit, findings) = audit_site(&mut job).await?;
    let deadlines = crate::types::probe::Deadlines {
        confirmation_s: 5,
        reply_s: 10,
    };
    let probe_settings = probe::settings::ProbeSettings {
        allow_hosts: vec!["127.0.0.1".into()],
        mailbox: crate::mailbox::MailboxSpec::Maildir(maildir.to_path_buf()),
        notification_mailbox: None,
        smtp: None,
        persona: probe::settings::Persona {
            name: "Демо Тестов".into(),
            phone: "+7 900 000-00-00".into(),
            email: "tester@example.org".into(),
            plus_addressing: true,
        },
        forms: true,
        emails: false,
        max_messages: 10,
        delay: Duration::ZERO,
        poll: Duration::from_millis(250),
        form_deadlines: deadlines,
        email_deadlines: deadlines,
        browser: None,
    };
    if !job.quiet {
        eprintln!(
            "doorbell: probing the example site's forms; its replies land in {}",
            maildir.display()
        );
    }
    let http = &job.settings.crawl.http;
    let journal = scratch.join("journal.db");
    let run = crate::audit::probing::Run {
        site: &audit.start_url,
        journal: &journal,
        settings: &probe_settings,
        http,
        phrases: &job.settings.rulebook.phrases,
    };
    let outcome = run
        .probe(&audit.inventory, Duration::from_secs(15), || {}, |_| {})
        .await
        .map_err(Failure::run)?;
    // The report's own "wrote" line says where the HTML page is.
    report_with_probes(&mut job, &audit, findings, outcome.facts, journal)
}
