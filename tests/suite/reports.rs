//! Several reports from one run: the format of each file from its extension, and what the
//! machine-read ones promise (JSON parses, JUnit is well-formed XML with one failure per
//! finding at or above --fail-on).

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use doorbell::checks::{RuleChoices, score};
use doorbell::lang::Lang;
use doorbell::report::doors::DoorState;
use doorbell::report::{Report, html, json, junit, markdown};
use doorbell::rulebook::FailOn;
use doorbell::rulebook::{Catalogue, Severity};
use doorbell::types::contact::{DoorKind, FormPurpose};
use serde_json::Value;

/// Validates a JUnit file with xmllint against the schema CI importers accept
/// (`tests/fixtures/junit.xsd`).
fn junit_schema_accepts(path: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit.xsd");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(path)
        .output()
        .expect("xmllint runs (Debian libxml2-utils; tests/run.sh installs it)");
    assert!(
        out.status.success(),
        "{} does not validate:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The schema is strict enough to matter: it refuses what importers refuse.
#[test]
fn the_junit_schema_refuses_what_importers_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.xml");
    std::fs::write(
        &bad,
        r#"<testsuites><testsuite name="s" tests="one"><testcase name="c"/><script/></testsuite></testsuites>"#,
    )
    .unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit.xsd"))
        .arg(&bad)
        .output()
        .expect("xmllint runs");
    assert!(!out.status.success());
    let why = String::from_utf8_lossy(&out.stderr);
    for complaint in ["'tests'", "'classname' is required", "script"] {
        assert!(why.contains(complaint), "{complaint}: {why}");
    }
}

fn xml_is_well_formed(text: &str) -> Result<usize, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut elements = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(elements),
            Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => {
                elements += 1;
            }
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

#[test]
fn one_run_writes_json_markdown_and_junit_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let (json, md, xml) = (
        dir.path().join("report.json"),
        dir.path().join("report.md"),
        dir.path().join("junit.xml"),
    );
    Command::cargo_bin("doorbell")
        .unwrap()
        .args(["demo", "-q", "--lang", "en", "--fail-on", "error", "-o"])
        .arg(&json)
        .arg("-o")
        .arg(&md)
        .arg("-o")
        .arg(&xml)
        .assert()
        .code(1);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let errors = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .count();
    assert!(errors > 0);

    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        markdown.contains("| Severity | Rule | Finding | Page |"),
        "{markdown}"
    );
    assert!(markdown.contains("`phone.tel-mismatch`"));
    assert!(markdown.contains("### Probes"));

    let junit = std::fs::read_to_string(&xml).unwrap();
    xml_is_well_formed(&junit).unwrap();
    junit_schema_accepts(&xml);
    let rule_failures = junit
        .split("<testcase ")
        .skip(1)
        .filter(|case| !case.starts_with("classname=\"doorbell.probe."))
        .map(|case| case.matches("<failure ").count())
        .sum::<usize>();
    assert_eq!(rule_failures, errors, "one failure per error finding");
    assert!(junit.contains("classname=\"doorbell.probe.form\""));
    // The suite counts the cases with a failure: rules with error findings, failing probes.
    let failing_cases = junit
        .split("<testcase ")
        .skip(1)
        .filter(|case| case.contains("<failure "))
        .count();
    assert!(junit.contains(&format!("failures=\"{failing_cases}\"")));
}

/// Our own tags in an HTML page: everything between `<` and `>` (site text is escaped, so a
/// `<` can only open one of ours).
fn tags(page: &str) -> Vec<&str> {
    page.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn the_hostile_sites_texts_stay_text_in_every_format() {
    let site = common::static_site("hostile");
    let audit = site.audit("/").await;
    let catalogue = Catalogue::builtin();
    let choices = RuleChoices::default();
    let findings = common::judge(&audit);
    assert!(
        findings.iter().any(|f| f.severity == Severity::Error),
        "the hostile site has broken links"
    );
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, Lang::En);
    let payload = "<script>window.__doorbell_pwned";

    // JSON carries the data as it is, for machines; it parses.
    let text = json::render(&report);
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert!(
        parsed.to_string().contains(payload),
        "the site's text reaches the report"
    );

    let md = markdown::render(&report);
    assert!(!md.contains("<script") && !md.contains("<img") && !md.contains("<svg"));
    assert!(!md.contains("](javascript:") && !md.contains("](http"));
    assert!(
        md.contains("&lt;script&gt;window.\\_\\_doorbell\\_pwned"),
        "{md}"
    );

    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("junit.xml");
    std::fs::write(
        &xml,
        junit::render(&report, &catalogue, &choices, FailOn::Warning),
    )
    .unwrap();
    junit_schema_accepts(&xml);
    xml_is_well_formed(&std::fs::read_to_string(&xml).unwrap()).unwrap();

    for lang in [Lang::En, Lang::Ru] {
        let page = html::render(&Report::new(audit.site_read(), &findings, &score, lang));
        assert!(page.contains("&lt;script&gt;window.__doorbell_pwned"));
        for tag in tags(&page) {
            let lower = tag.to_ascii_lowercase();
            assert!(
                !lower.starts_with("script")
                    && !lower.starts_with("img")
                    && !lower.starts_with("iframe"),
                "<{tag}>"
            );
            assert!(!lower.contains("javascript:"), "<{tag}>");
            assert!(
                !lower
                    .split_whitespace()
                    .skip(1)
                    .any(|attr| attr.starts_with("on")),
                "<{tag}>"
            );
        }
    }
}

#[tokio::test]
async fn each_form_door_carries_its_own_verdicts() {
    let audit = common::static_site("doors").audit("/").await;
    let findings = common::judge(&audit);
    assert!(
        findings.iter().any(|f| f.rule == "form.action-broken"),
        "{findings:#?}"
    );
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, Lang::En);
    let row = |purpose| {
        report
            .doors
            .iter()
            .find(|d| d.kind == DoorKind::Form(purpose))
            .unwrap_or_else(|| panic!("no {purpose:?} row: {:#?}", report.doors))
    };
    let contact = row(FormPurpose::Contact);
    assert_eq!(
        (contact.count, contact.broken, contact.errors),
        (1, 0, 0),
        "{contact:#?}"
    );
    assert_ne!(contact.state, DoorState::Broken);
    let order = row(FormPurpose::Order);
    assert_eq!((order.count, order.broken), (1, 1), "{order:#?}");
    assert!(order.errors >= 1);
    assert_eq!(order.state, DoorState::Broken);
    // Every format shows the same verdicts: the JSON rows are the model's.
    let json: Value = serde_json::from_str(&json::render(&report)).unwrap();
    let states: Vec<&str> = json["doors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"]["type"] == "form")
        .map(|d| d["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, [contact.state.id(), order.state.id()]);
}

#[tokio::test]
async fn other_parties_contacts_are_listed_apart_in_every_format() {
    let audit = common::static_site("parties").audit("/").await;
    let findings = common::judge(&audit);
    let score = score::score(&audit.inventory, &findings);
    for lang in [Lang::En, Lang::Ru] {
        let report = Report::new(audit.site_read(), &findings, &score, lang);
        let heading = doorbell::report::others::heading(lang);
        let table = doorbell::report::table::render(&report, false);
        let md = markdown::render(&report);
        let page = html::render(&report);
        let html_heading = heading.replace('\'', "&#39;");
        for (format, text, heading) in [
            ("table", &table, heading),
            ("markdown", &md, heading),
            ("html", &page, html_heading.as_str()),
        ] {
            let section = text
                .split_once(heading)
                .unwrap_or_else(|| panic!("{format} has no {heading:?}:\n{text}"))
                .1
                // Markdown keeps mentions and links dead with an invisible joiner.
                .replace('\u{2060}', "");
            for other in [
                "kammer@chamber.example",
                "studio@studio.example",
                "notarkammer",
            ] {
                assert!(section.contains(other), "{format}: {other}\n{section}");
            }
        }
        // The company's own address is a door in the channel table, not among the others.
        let own_first = table.find("info@notariat.example").unwrap();
        assert!(own_first < table.find(heading).unwrap(), "{table}");
    }
    let parsed: Value = serde_json::from_str(&json::render(&Report::new(
        audit.site_read(),
        &findings,
        &score,
        Lang::En,
    )))
    .unwrap();
    let inv = &parsed["inventory"];
    assert_eq!(inv["phones"][0]["party"], "own");
    let chamber = &inv["third_party"]["emails"][0];
    assert_eq!(chamber["party"], "third-party");
    assert_eq!(chamber["party_reason"], "notarkammer");
}

#[tokio::test]
async fn findings_on_one_number_are_one_problem_in_the_table_and_the_markdown() {
    let audit = common::static_site("places").audit("/tel.html").await;
    let findings = common::judge(&audit);
    let on_number: Vec<&str> = findings
        .iter()
        .filter(|f| f.subject.site() == Some("8 (999) 000-00-01"))
        .map(|f| f.rule.as_str())
        .collect();
    assert!(
        on_number.contains(&"phone.tel-mismatch") && on_number.contains(&"phone.not-clickable"),
        "{on_number:?}"
    );
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, Lang::En);
    let table = doorbell::report::table::render(&report, false);
    let findings_table = table
        .split_once("Severity")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    // A row starts where its severity cell has a word; the lines under it belong to it.
    let rows_with_number = findings_table
        .lines()
        .filter(|l| l.contains("8 (999) 000-00-01"))
        .filter(|l| {
            l.split('┆')
                .next()
                .is_some_and(|cell| cell.chars().any(char::is_alphabetic))
        })
        .count();
    assert_eq!(rows_with_number, 1, "one row for the number:\n{table}");
    let markdown = doorbell::report::markdown::render(&report);
    let row = markdown
        .lines()
        .find(|l| l.starts_with("| ") && l.contains(r"8 \(999\) 000-00-01"))
        .expect("the number's row");
    assert!(
        row.contains("`phone.tel-mismatch`") && row.contains("`phone.not-clickable`"),
        "{row}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&doorbell::report::json::render(&report)).unwrap();
    let problems: std::collections::BTreeSet<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"] == "8 (999) 000-00-01")
        .map(|f| f["problem"].as_str().unwrap())
        .collect();
    assert_eq!(
        problems.len(),
        1,
        "one problem key for the number: {problems:?}"
    );
    let html = doorbell::report::html::render(&report);
    let cards: Vec<&str> = html
        .split("<article class=\"finding")
        .skip(1)
        .map(|card| card.split("</article>").next().unwrap_or_default())
        .filter(|card| card.contains("8 (999) 000-00-01"))
        .collect();
    assert_eq!(cards.len(), 1, "one card for the number: {cards:#?}");
    for rule in ["phone.tel-mismatch", "phone.not-clickable"] {
        assert!(
            cards[0].contains(&format!(r#"<div class="facet" data-rule="{rule}">"#)),
            "{rule} inside the number's card: {}",
            cards[0]
        );
    }
}

#[tokio::test]
async fn cyrillic_addresses_read_as_written_in_reports_and_stay_encoded_in_json() {
    let audit = common::full_audit().await;
    let encoded = "/%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B/";
    assert!(
        audit
            .inventory
            .pages
            .iter()
            .any(|p| p.url.contains(encoded)),
        "the fixture's Cyrillic page was read"
    );
    let findings = common::judge(audit);
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, Lang::Ru);
    let page = html::render(&report);
    let shown: String = page
        .split('>')
        .filter_map(|piece| piece.split('<').next())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains("/контакты/"),
        "the HTML shows the path as written"
    );
    assert!(
        !shown.contains("%D0%BA"),
        "no percent-encoded Cyrillic in the HTML's text"
    );
    let table = doorbell::report::table::render(&report, false);
    assert!(!table.contains("%D0%BA"), "{table}");
    let json: Value = serde_json::from_str(&json::render(&report)).unwrap();
    let urls = json["inventory"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["url"].as_str())
        .collect::<Vec<_>>();
    assert!(urls.iter().any(|u| u.contains(encoded)), "{urls:?}");
}

#[tokio::test]
async fn a_russian_report_says_everything_in_russian_with_the_right_plurals() {
    let audit = common::full_audit().await;
    let findings = common::judge(audit);
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, Lang::Ru);
    let table = doorbell::report::table::render(&report, false);
    let markdown = markdown::render(&report);
    for text in [&table, &markdown] {
        for code in [
            "plus-missing",
            "plus-sign",
            "space-before-query",
            "username-too-short",
            "(1 page)",
            " errors",
            " notices",
        ] {
            assert!(!text.contains(code), "{code} in:\n{text}");
        }
        for wrong in [
            "1 замечаний",
            "1 ошибок",
            "1 предупреждений",
            "2 ошибок",
            "1 страниц)",
        ] {
            assert!(!text.contains(wrong), "{wrong} in:\n{text}");
        }
    }
    assert!(
        table.contains(" с\n") && !table.contains(" s\n"),
        "seconds in Russian:\n{table}"
    );
    let channels = table.split("Оценка доступности").next().unwrap();
    assert!(
        !channels.contains("Callback button") && channels.contains("Кнопка «Перезвоните мне»"),
        "{channels}"
    );
    let json: Value = serde_json::from_str(&json::render(&report)).unwrap();
    let plus = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "viber.link-malformed")
        .expect("the fixture's Viber link without a plus");
    assert!(
        plus["evidence"]
            .as_str()
            .unwrap()
            .contains("нет %2B перед номером"),
        "{plus}"
    );
}

#[tokio::test]
async fn page_by_page_marks_only_what_a_finding_names_in_its_words() {
    let audit = common::full_audit().await;
    let findings = common::judge(audit);
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, Lang::En);
    let titles: std::collections::BTreeSet<&str> =
        report.findings.iter().map(|f| f.title.as_str()).collect();
    let page = html::render(&report);
    let inventory = page
        .split(r#"<section id="inventory">"#)
        .nth(1)
        .expect("the page-by-page section");
    let marks: Vec<&str> = inventory
        .split("<em>")
        .skip(1)
        .filter_map(|rest| rest.split("</em>").next())
        .collect();
    assert!(!marks.is_empty(), "the fixture has marked contact points");
    for mark in &marks {
        for part in mark.split("; ") {
            let part = part
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            assert!(
                titles.contains(part.as_str()),
                "{part:?} is no finding's title"
            );
        }
    }
    // A number without a country code is marked so, as its finding says — not "invalid".
    assert!(
        marks
            .iter()
            .any(|m| m.contains("Phone number without a country code")),
        "{marks:?}"
    );
}

#[tokio::test]
async fn fix_first_puts_doors_that_do_not_work_before_what_could_be_better() {
    let audit = common::full_audit().await;
    let findings = common::judge(audit);
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(audit.site_read(), &findings, &score, Lang::En);
    let first = doorbell::report::first_fixes(&report.findings);
    assert!(!first.is_empty() && first.len() <= doorbell::report::FIRST_FIXES);
    let breaks: Vec<bool> = first.iter().map(|g| g.iter().any(|f| f.breaks)).collect();
    assert!(breaks[0], "a broken door leads: {first:#?}");
    assert!(
        breaks.windows(2).all(|w| w[0] >= w[1]),
        "no preference before a broken door: {breaks:?}"
    );
    let markdown = markdown::render(&report);
    let fix_first = markdown.find("**Fix these first**").expect("the list");
    let table = markdown.find("| Severity |").expect("the findings");
    assert!(fix_first < table);
}

#[tokio::test]
async fn a_door_is_not_offered_only_when_the_whole_site_was_read() {
    let site = common::static_site("onepage");
    let state_of_chat = |page: &str| -> String {
        let cell = page
            .split("<tr class=\"absent\"")
            .nth(1)
            .expect("an absent door: the fixture has no chat");
        cell.split("<span class=\"state absent\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_default()
            .to_string()
    };
    let whole = site.audit("/").await;
    assert_eq!(whole.crawl.pages_left, 0);
    let render = |audit: &doorbell::audit::Audit| {
        let findings = common::judge(audit);
        let score = score::score(&audit.inventory, &findings);
        html::render(&Report::new(audit.site_read(), &findings, &score, Lang::En))
    };
    assert_eq!(state_of_chat(&render(&whole)), "not offered");
    let mut settings = site.settings("/");
    settings.crawl.max_pages = 1;
    let partial = doorbell::audit::run(settings).await.unwrap();
    assert!(partial.crawl.pages_left > 0, "{:?}", partial.crawl);
    assert_eq!(
        state_of_chat(&render(&partial)),
        "not found in the pages read"
    );
}
