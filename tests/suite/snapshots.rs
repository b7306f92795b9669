//! The Markdown, JUnit and JSON reports pinned against files in `tests/snapshots/`: a change
//! to what users and CI parsers read shows up as a diff to review. One fixture page audited
//! (timings zeroed, the loopback port replaced) plus the live rules' firing examples as
//! probes. `UPDATE_SNAPSHOTS=1 cargo test --test suite snapshots::` rewrites the files.

use crate::common;

use std::path::PathBuf;

use doorbell::checks::{self, RuleChoices, Site, score};
use doorbell::lang::Lang;
use doorbell::report::{Report, json, junit, markdown};
use doorbell::rulebook::Catalogue;
use doorbell::rulebook::FailOn;
use doorbell::types::probe::ProbeRow;

fn check(name: &str, text: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_SNAPSHOTS=1", path.display()));
    if pinned != text {
        let first = pinned
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(pinned.lines().count().min(text.lines().count()));
        panic!(
            "{name} differs from its snapshot at line {}:\n  pinned: {:?}\n  now:    {:?}\n(UPDATE_SNAPSHOTS=1 rewrites it after review)",
            first + 1,
            pinned.lines().nth(first),
            text.lines().nth(first)
        );
    }
}

#[tokio::test]
async fn markdown_junit_and_json_are_pinned() {
    let site = common::site();
    let mut settings = site.settings("/kontakty.html");
    settings.crawl.max_pages = 1;
    let mut audit = doorbell::audit::run(settings).await.unwrap();
    audit.crawl.duration_ms = 0;
    for page in &mut audit.crawl.pages {
        page.elapsed_ms = 0;
    }
    let catalogue = Catalogue::builtin();
    let choices = RuleChoices::default();
    let mut findings = checks::run(
        &Site {
            inventory: &audit.inventory,
            home: &audit.start_url,
        },
        &catalogue,
        &choices,
    );
    // The live rules' firing examples stand for probes of this run.
    let facts: Vec<_> = catalogue
        .rules
        .iter()
        .filter(|r| checks::live::check_for(&r.id).is_some())
        .filter_map(|r| r.examples.iter().find(|e| e.fires)?.probe.clone())
        .enumerate()
        .map(|(i, mut f)| {
            f.target = format!("{}#probe-{i}", f.target);
            f
        })
        .collect();
    findings.extend(checks::run_live(&facts, &catalogue, &choices));
    checks::sort(&mut findings);
    let rows: Vec<ProbeRow> = facts.into_iter().map(ProbeRow::from).collect();
    let score = score::score(&audit.inventory, &findings);
    let mut report = Report::new(audit.site_read(), &findings, &score, Lang::En).with_probes(&rows);
    report.generated_at = "2026-01-01T00:00:00Z".into();
    let origin = format!("http://{}", site.addr);
    let fixed = |text: String| {
        // Markdown writes `http:\u{2060}//` so that the link stays dead.
        let dead = origin.replace("://", ":\u{2060}//");
        text.replace(&origin, "http://127.0.0.1:PORT")
            .replace(&dead, "http:\u{2060}//127.0.0.1:PORT")
            .replace(env!("CARGO_PKG_VERSION"), "VERSION")
    };
    check("report.md", &fixed(markdown::render(&report)));
    check(
        "junit.xml",
        &fixed(junit::render(
            &report,
            &catalogue,
            &choices,
            FailOn::Warning,
        )),
    );
    check("report.json", &fixed(json::render(&report)));
}
