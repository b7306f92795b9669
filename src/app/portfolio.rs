//! `doorbell audit --sites FILE [--shard I/N]`: many sites, a report set each, one summary.

use std::path::{Path, PathBuf};
use std::time::Instant;

use futures_util::StreamExt as _;

use super::{Exit, Failure, Job, Outcome, nothing_read};
use crate::checks::{self, Site, score};
use crate::cli::{AuditArgs, PortfolioArgs};
use crate::config;
use crate::lang::Lang;
use crate::portfolio::{self, SiteRow, Summary, file_stem};
use crate::report::portfolio as render;
use crate::report::{self, Format, Report};
use crate::rulebook::FailOn;

pub(crate) async fn portfolio_command(args: AuditArgs, options: PortfolioArgs) -> Outcome {
    let file = config::find(args.config.as_deref())?;
    let list = options.sites.clone().unwrap_or_default();
    let text = std::fs::read_to_string(&list)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", list.display())))?;
    let sites =
        portfolio::parse_sites(&text, &list.display().to_string()).map_err(Failure::usage)?;
    let sites: Vec<String> = sites
        .into_iter()
        .filter(|s| options.shard.is_none_or(|shard| shard.includes(s)))
        .collect();
    let crawl = args.crawl.clone().over(&file.crawl);
    let render = args.render.clone().over(&file.render).settings()?;
    let template = Job::from_parts(
        AuditArgs {
            url: Some(sites.first().cloned().unwrap_or_else(|| "127.0.0.1".into())),
            ..args
        },
        &file,
    )?;
    std::fs::create_dir_all(&options.reports)
        .map_err(|e| Failure::run(format!("cannot create {}: {e}", options.reports.display())))?;
    let total = sites.len();
    let mut jobs = Vec::with_capacity(total);
    let mut stems = std::collections::BTreeSet::new();
    for site in &sites {
        let mut settings = crawl.settings(site)?;
        settings.render = render.clone();
        // Two sites on one host with paths that clean up alike still get a file each.
        let mut stem = file_stem(site);
        let mut n = 2;
        while !stems.insert(stem.clone()) {
            stem = format!("{}-{n}", file_stem(site));
            n += 1;
        }
        jobs.push((template.for_site(settings), stem));
    }
    // Politeness per server: two sites of one host (and port) are never crawled at once, so
    // a list with many paths of one server does not multiply its rate.
    let mut hosts: std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>> =
        std::collections::HashMap::new();
    let jobs: Vec<_> = jobs
        .into_iter()
        .map(|(job, stem)| {
            let server = format!(
                "{}:{}",
                job.settings.crawl.start.host_str().unwrap_or_default(),
                job.settings
                    .crawl
                    .start
                    .port_or_known_default()
                    .unwrap_or(0)
            );
            let lock = hosts.entry(server).or_default().clone();
            (job, stem, lock)
        })
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let rows: Vec<SiteRow> = futures_util::stream::iter(jobs)
        .map(|(job, stem, server)| {
            let (dir, done) = (&options.reports, &done);
            async move {
                let row = {
                    let _turn = server.lock().await;
                    audit_one(job, dir, stem).await
                };
                let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                if !template.quiet {
                    eprintln!("doorbell: [{n}/{total}] {}", progress_line(&row));
                }
                row
            }
        })
        .buffer_unordered(options.parallel.max(1))
        .collect()
        .await;
    let shards = options.shard.iter().map(ToString::to_string).collect();
    let summary = Summary::new(rows, shards);
    let summary_path = options.reports.join("summary.json");
    std::fs::write(&summary_path, render::json(&summary))
        .map_err(|e| Failure::run(format!("cannot write {}: {e}", summary_path.display())))?;
    emit_summary(
        &summary,
        template.format,
        template.lang,
        template.print,
        &template.output,
    )
}

fn progress_line(row: &SiteRow) -> String {
    match &row.error {
        Some(e) => format!("{} — {e}", row.url),
        None => format!(
            "{} — {}/100, {} errors, {} warnings",
            row.url,
            row.score.unwrap_or_default(),
            row.errors,
            row.warnings
        ),
    }
}

/// Audits one site of the list and writes its reports; never fails the portfolio.
async fn audit_one(job: Job, dir: &Path, stem: String) -> SiteRow {
    let started = Instant::now();
    let url = job.settings.crawl.start.to_string();
    let failed = |error: String| SiteRow {
        url: url.clone(),
        status: "failed".into(),
        error: Some(error),
        score: None,
        errors: 0,
        warnings: 0,
        notices: 0,
        pages_ok: 0,
        broken_doors: 0,
        // A site nobody can reach is the worst contact surface of all.
        fails: job.fail_on != FailOn::Never,
        report: String::new(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    };
    let audit = match crate::audit::run(job.settings.clone()).await {
        Ok(audit) => audit,
        Err(e) => return failed(e.to_string()),
    };
    if nothing_read(&audit) {
        let why = audit
            .crawl
            .pages
            .first()
            .and_then(|p| p.error.as_ref())
            .map(|e| report::words::describe_error(e, job.lang))
            .unwrap_or_else(|| "nothing could be read".into());
        return failed(why);
    }
    let site = Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let findings = checks::run(&site, &job.catalogue, &job.choices);
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, job.lang);
    let files = [
        ("json", report::json::render(&report)),
        ("html", report::html::render(&report)),
        (
            "xml",
            report::junit::render(&report, &job.catalogue, &job.choices, job.fail_on),
        ),
    ];
    for (extension, text) in files {
        let path = dir.join(format!("{stem}.{extension}"));
        if let Err(e) = std::fs::write(&path, text) {
            return failed(format!("cannot write {}: {e}", path.display()));
        }
    }
    SiteRow {
        url,
        status: "ok".into(),
        error: None,
        score: score.value,
        errors: score.errors,
        warnings: score.warnings,
        notices: score.notices,
        pages_ok: audit.crawl.pages_ok,
        broken_doors: report
            .doors
            .iter()
            .filter(|d| d.state == report::doors::DoorState::Broken)
            .count(),
        fails: findings.iter().any(|f| job.fail_on.fails(f.severity)),
        report: stem,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

fn render_summary(summary: &Summary, format: Format, lang: Lang) -> String {
    match format {
        Format::Table => render::table(summary, lang),
        Format::Json => render::json(summary),
        Format::Markdown => render::markdown(summary, lang),
        Format::Html => render::html(summary, lang),
        Format::Junit => render::junit(summary, lang),
    }
}

pub(crate) fn emit_summary(
    summary: &Summary,
    format: Format,
    lang: Lang,
    print: bool,
    outputs: &[PathBuf],
) -> Outcome {
    if print {
        super::print_or_ignore_pipe(&render_summary(summary, format, lang))?;
    }
    for path in outputs {
        let format = Format::from_path(path).unwrap_or(format);
        std::fs::write(path, render_summary(summary, format, lang))
            .map_err(|e| Failure::run(format!("cannot write {}: {e}", path.display())))?;
    }
    if !summary.sites.is_empty() && summary.unreadable() == summary.sites.len() {
        return Err(Failure::run("none of the sites could be read"));
    }
    if summary.failing() > 0 {
        return Ok(Exit::Findings);
    }
    Ok(Exit::Ok)
}
