//! Several reports from one run: the format of each file from its extension, and what the
//! machine-read ones promise (JSON parses, JUnit is well-formed XML with one failure per
//! finding at or above --fail-on).

use assert_cmd::Command;
use serde_json::Value;

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
