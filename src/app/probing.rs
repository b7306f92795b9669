//! `run`, `probe`, `verify`: the commands that send probes and judge what came back.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Exit, Failure, Job, Outcome, audit_site, emit, site_of, write_report};
use crate::audit::Audit;
use crate::checks;
use crate::cli::{RunArgs, VerifyArgs};
use crate::config;
use crate::lang::Lang;
use crate::probe::{self, settings::parse_duration};
use crate::report::{self, Format};
use crate::types::probe::ProbeRow;

/// The journal's default place, next to the config a team commits.
pub(crate) fn journal_path(given: Option<std::path::PathBuf>) -> std::path::PathBuf {
    given.unwrap_or_else(|| std::path::PathBuf::from(crate::journal::DEFAULT_PATH))
}

pub(crate) fn wait_of(text: Option<&str>, default: Duration) -> Result<Duration, Failure> {
    text.map_or(Ok(default), |t| {
        parse_duration(t).map_err(|e| Failure::usage(format!("--wait: {e}")))
    })
}

pub(crate) async fn probe_command(args: RunArgs, watch: bool) -> Outcome {
    let file = config::find(args.audit.config.as_deref())?;
    let probing = args.probing;
    let wait_flag = args.wait;
    let mut job = Job::from_parts(args.audit, &file)?;
    if !probing.plan && !probing.probe && !file.probe.enabled {
        return Err(Failure::usage(
            "nothing is sent without --probe (or enabled = true under [probe]); --plan shows what would be sent",
        ));
    }
    let host = site_host(&job);
    let mut settings = if probing.plan {
        file.probe.resolve_for_plan(&host)?
    } else {
        file.probe.resolve(&host)?
    };
    // A browser the audit may use sends the forms only a browser can send.
    if job.settings.render.mode != crate::types::render::RenderMode::Never {
        settings.browser = Some(job.settings.render.clone());
    }
    let longest = [settings.form_deadlines, settings.email_deadlines]
        .iter()
        .map(|d| d.reply_s.max(d.confirmation_s))
        .max()
        .unwrap_or(0);
    let default_wait = if watch {
        Duration::from_secs(u64::try_from(longest).unwrap_or(0))
    } else {
        Duration::ZERO
    };
    let wait = wait_of(wait_flag.as_deref(), default_wait)?;
    let (audit, findings) = audit_site(&mut job).await?;
    let probe_plan = probe::plan::plan(&audit.inventory, &settings);
    if probing.plan {
        let text = match job
            .output
            .first()
            .and_then(|p| Format::from_path(p))
            .unwrap_or(job.format)
        {
            Format::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&probe_plan).expect("a plan serialises")
            ),
            _ => report::plan::render(&probe_plan, &settings, job.lang, probing.probe),
        };
        write_report(&text, job.output.first().map(PathBuf::as_path))
            .map_err(|e| Failure::run(format!("cannot write the plan: {e}")))?;
        return Ok(Exit::Ok);
    }
    let http = &trusting_allowed_hosts(&job.settings.crawl.http, &settings);
    let journal = journal_path(probing.journal);
    let quiet = job.quiet;
    let run = crate::audit::probing::Run {
        site: &audit.start_url,
        journal: &journal,
        settings: &settings,
        http,
        phrases: &job.settings.rulebook.phrases,
    };
    // Said once the mailbox let us in: a refused login watches nothing and sends nothing.
    let watching = || {
        if !quiet {
            for skipped in &probe_plan.skipped {
                eprintln!(
                    "doorbell: left alone: {} {} — {}",
                    serde_json::to_value(skipped.channel)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    skipped.target,
                    report::words::skip_reason(&skipped.reason, Lang::En)
                );
            }
        }
        if !quiet && watch && !wait.is_zero() {
            eprintln!(
                "doorbell: watching {} for up to {} after sending",
                settings.mailbox.describe(),
                report::probes::duration(i64::try_from(wait.as_secs()).ok(), Lang::En)
            );
        }
    };
    let outcome = run
        .probe(&audit.inventory, wait, watching, |p| {
            if !quiet {
                eprintln!(
                    "doorbell: {} {} — {}",
                    serde_json::to_value(p.channel)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    p.target,
                    p.detail.as_deref().unwrap_or(match p.state {
                        crate::journal::ProbeState::Sent => "sent",
                        _ => "not sent",
                    })
                );
            }
        })
        .await
        .map_err(Failure::run)?;
    report_with_probes(&mut job, &audit, findings, outcome.facts, journal)
}

/// The host of the job's site: probes may go there (and to the allowed hosts) only.
fn site_host(job: &Job) -> String {
    job.settings
        .crawl
        .start
        .host_str()
        .unwrap_or_default()
        .to_string()
}

/// The site's findings and its probes' judged, in one report; the journal gives the history.
pub(crate) fn report_with_probes(
    job: &mut Job,
    audit: &crate::audit::Audit,
    mut findings: Vec<checks::Finding>,
    facts: Vec<crate::types::probe::ProbeFacts>,
    journal: std::path::PathBuf,
) -> Outcome {
    let (live, rows) = judge_probes(job, facts, &journal);
    findings.extend(live);
    checks::sort(&mut findings);
    job.journal = Some(journal);
    emit(job, audit, findings, &rows, false)
}

/// The live findings of a run, with each probe's verdict appended to the journal.
pub(crate) fn judge_probes(
    job: &Job,
    facts: Vec<crate::types::probe::ProbeFacts>,
    journal: &Path,
) -> (Vec<checks::Finding>, Vec<ProbeRow>) {
    let mut findings = Vec::new();
    let mut verdicts = Vec::new();
    for fact in &facts {
        let mine = checks::run_live(std::slice::from_ref(fact), &job.catalogue, &job.choices);
        if let Some(id) = fact.id {
            verdicts.push((
                id,
                fact.status(),
                mine.iter().map(|f| f.rule.clone()).collect(),
            ));
        }
        findings.extend(mine);
    }
    if let Err(e) = crate::audit::probing::record_verdicts(journal, &verdicts) {
        eprintln!("doorbell: the verdicts could not be written to the journal: {e}");
    }
    let rows = facts.into_iter().map(ProbeRow::from).collect();
    (findings, rows)
}

pub(crate) async fn verify_command(args: VerifyArgs) -> Outcome {
    let file = config::find(args.config.as_deref())?;
    let url = site_of(args.url, &file)?;
    let settings = crate::cli::CrawlArgs::default()
        .over(&file.crawl)
        .settings(&url)?;
    let mut job = Job::build(settings, args.judge, args.output, &file)?;
    let settings = file.probe.resolve(&site_host(&job))?;
    let wait = wait_of(args.wait.as_deref(), Duration::ZERO)?;
    let site = job.settings.crawl.start.to_string();
    let http = &trusting_allowed_hosts(&job.settings.crawl.http, &settings);
    let journal = journal_path(args.journal);
    let run = crate::audit::probing::Run {
        site: &site,
        journal: &journal,
        settings: &settings,
        http,
        phrases: &job.settings.rulebook.phrases,
    };
    let outcome = run.verify(wait).await.map_err(Failure::run)?;
    let (mut findings, rows) = judge_probes(&job, outcome.facts, &journal);
    checks::sort(&mut findings);
    job.journal = Some(journal);
    let audit = Audit {
        start_url: site.clone(),
        region: None,
        region_source: None,
        crawl: crate::types::crawl::CrawlSummary {
            start_url: site,
            ..Default::default()
        },
        inventory: crate::inventory::Inventory::default(),
    };
    emit(&job, &audit, findings, &rows, true)
}

/// The HTTP settings of a probe run: the hosts the user allowed probes to reach are the user's
/// own names, private or not.
fn trusting_allowed_hosts(
    http: &crate::types::http::HttpSettings,
    settings: &crate::probe::settings::ProbeSettings,
) -> crate::types::http::HttpSettings {
    let mut http = http.clone();
    http.trusted_hosts
        .extend(settings.allow_hosts.iter().cloned());
    http
}
