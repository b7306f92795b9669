//! `doorbell demo`: the example site audited, its forms probed, its replies read from a
//! Maildir — all on this machine.

mod site;

use std::path::Path;
use std::time::Duration;

use super::{Exit, Job, audit_site, probing::report_with_probes};
use crate::audit::AuditSettings;
use crate::checks::RuleChoices;
use crate::cli::DemoArgs;
use crate::probe;
use crate::report::Format;
use crate::rulebook::Catalogue;

/// The demo: the example site audited, its forms probed, its replies read from a Maildir —
/// all on this machine, in seconds.
pub(crate) async fn demo(args: DemoArgs) -> Exit {
    let scratch = std::env::temp_dir().join(format!(
        "doorbell-demo-{}-{}",
        std::process::id(),
        crate::journal::new_token()
    ));
    let maildir = scratch.join("Maildir");
    if let Err(e) = crate::mailbox::maildir::create(&maildir) {
        eprintln!(
            "doorbell: cannot create the demo mailbox in {}: {e}",
            scratch.display()
        );
        return Exit::RunFailed;
    }
    let exit = demo_in(args, &scratch, &maildir).await;
    let _ = std::fs::remove_dir_all(&scratch);
    exit
}

async fn demo_in(args: DemoArgs, scratch: &Path, maildir: &Path) -> Exit {
    let file = match crate::config::find(None) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let addr = match site::serve(Some(maildir.to_path_buf())).await {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("doorbell: cannot serve the example site on 127.0.0.1: {e}");
            return Exit::RunFailed;
        }
    };
    let start = url::Url::parse(&format!("http://{addr}/")).expect("a loopback URL parses");
    eprintln!("doorbell: serving the example site at {start}");
    let mut settings = AuditSettings::new(start);
    settings.crawl.rate = 0.0;
    settings.region = rlibphonenumber::Region::from_code("RU").ok();
    // The demo promises no network: its order form names a host that is not ours, and
    // its addresses are at example.com.
    settings.check_foreign_actions = false;
    settings.check_mail_dns = false;
    let mut job = Job {
        settings,
        catalogue: Catalogue::builtin(),
        choices: RuleChoices::default(),
        fail_on: args.fail_on,
        format: args.output.format.unwrap_or(Format::Table),
        lang: file.lang(args.output.lang),
        print: args.output.output.is_empty(),
        baseline: None,
        update_baseline: false,
        journal: None,
        output: args.output.output,
        quiet: args.output.quiet,
    };
    job.output.push(args.html.clone());
    let (audit, findings) = match audit_site(&mut job).await {
        Ok(done) => done,
        Err(exit) => return exit,
    };
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
    let outcome = match run
        .probe(&audit.inventory, Duration::from_secs(15), |_| {})
        .await
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::RunFailed;
        }
    };
    let exit = report_with_probes(&mut job, &audit, findings, outcome.facts, journal);
    if exit != Exit::RunFailed && !job.quiet {
        let shown = std::path::absolute(&args.html).unwrap_or(args.html);
        eprintln!("doorbell: the HTML report is in {}", shown.display());
    }
    exit
}
