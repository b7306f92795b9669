//! The binary end to end: the commands a user types, their output and exit codes.

use crate::common;

use assert_cmd::Command;
use serde_json::{Value, json};

/// Where the commands run unless a test says otherwise: the demo writes its HTML report into
/// the current folder, which must not be the source tree.
fn scratch() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("scratch dir"))
        .path()
}

fn doorbell() -> Command {
    let mut cmd = Command::cargo_bin("doorbell").expect("binary builds");
    cmd.current_dir(scratch())
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    cmd
}

#[test]
fn demo_prints_the_contact_surface_table() {
    let out = doorbell().args(["demo", "--lang", "en"]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for expected in [
        "Phones",
        "E-mails",
        "WhatsApp",
        "callback form",
        "live chat",
        "Jivo",
        "Yandex Maps",
        "Opening hours",
    ] {
        assert!(stdout.contains(expected), "{expected} missing:\n{stdout}");
    }
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    // Not a terminal: no progress bar, only the lines saying where the demo is served, where
    // its replies land and where its HTML report is.
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
}

#[test]
fn demo_writes_its_html_report_where_asked_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let out = doorbell()
        .current_dir(dir.path())
        .args(["demo", "--lang", "ru", "--format", "json"])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let default = dir.path().join("doorbell-report.html");
    assert!(
        stderr.contains(&format!("doorbell: wrote {} (html)", default.display())),
        "{stderr}"
    );
    let page = std::fs::read_to_string(&default).unwrap();
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"ru\">"));
    assert!(page.contains("Каналы связи") && page.contains("id=\"score\""));
    // stdout keeps the asked-for format.
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(page.contains(&format!("<b>{}</b>", report["score"]["value"])));

    let elsewhere = dir.path().join("reports/site.html");
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    doorbell()
        .current_dir(dir.path())
        .args(["demo", "-q", "--html"])
        .arg("reports/site.html")
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(elsewhere)
            .unwrap()
            .contains("</html>")
    );
}

#[test]
fn demo_closes_the_loop_with_probes_and_replies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    doorbell()
        .args(["demo", "--format", "json", "--output"])
        .arg(&path)
        .assert()
        .success();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let probes = report["probes"].as_array().unwrap();
    let status = |suffix: &str| {
        probes
            .iter()
            .find(|p| p["target"].as_str().unwrap().ends_with(suffix))
            .map(|p| p["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("/feedback").as_deref(), Some("answered"));
    assert_eq!(status("/callback").as_deref(), Some("sent"));
    assert_eq!(status("/old/send.php").as_deref(), Some("failed"));
    // The order form posts to another host: never probed.
    assert_eq!(status("/order.php"), None);
    let feedback = probes
        .iter()
        .find(|p| p["target"].as_str().unwrap().ends_with("/feedback"))
        .unwrap();
    assert!(feedback["confirmation_after_s"].as_i64().unwrap() <= 5);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "form.submit-failed")
    );
}

#[test]
fn demo_speaks_russian_when_asked_or_when_the_locale_is_russian() {
    let out = doorbell().args(["demo", "--lang", "ru"]).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("Телефоны"));
    let out = doorbell()
        .env("LANG", "ru_RU.UTF-8")
        .arg("demo")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("Часы работы"));
}

#[test]
fn demo_json_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    doorbell()
        .args(["demo", "--format", "json", "--output"])
        .arg(&path)
        .assert()
        .success();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(report["schema"], 1);
    let inv = &report["inventory"];
    let phone = &inv["phones"][0];
    assert!(phone["e164"].as_str().unwrap().starts_with("+7"));
    assert!(phone["clickable"].is_boolean());
    assert!(phone["pages"][0]["url"].is_string() && phone["pages"][0]["region"].is_string());
    assert!(
        inv["emails"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["address"] == "info@example.com")
    );
    let wa = inv["messengers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "whatsapp")
        .unwrap();
    assert!(wa["target"].is_string() && wa["valid"].is_boolean() && wa["pages"].is_array());
    let form = inv["forms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["purpose"] == "callback")
        .unwrap();
    assert!(form["action"].as_str().unwrap().ends_with("/callback"));
    assert!(form["fields"][0]["name"].is_string() && form["captcha"].is_array());
    let widget = inv["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "jivo")
        .unwrap();
    assert_eq!(widget["kind"], "chat");
    assert!(report["crawl"]["pages"].as_array().unwrap().len() >= 8);

    // The channel matrix: each kind of door and what became of it.
    let doors = report["doors"].as_array().unwrap();
    let door = |kind: Value| {
        doors
            .iter()
            .find(|d| d["kind"] == kind)
            .unwrap_or_else(|| panic!("no door {kind} in {doors:?}"))
    };
    // A tel: link dials another number than it shows.
    assert_eq!(door(json!({"type": "phone"}))["state"], "broken");
    // The Viber link lacks its encoded plus; its finding is counted on Viber's row.
    let viber = door(json!({"type": "messenger", "name": "viber"}));
    assert_eq!(viber["state"], "broken");
    assert!(viber["errors"].as_u64().unwrap() >= 1, "{viber}");
    // The callback form at /old/send.php is dead and its probe failed.
    let callback = door(json!({"type": "form", "name": "callback"}));
    assert_eq!(callback["state"], "broken");
    assert_eq!(callback["probes"], 2);
    let chat = door(json!({"type": "widget", "name": "chat"}));
    assert_eq!(
        (chat["state"].as_str(), chat["count"].as_u64()),
        (Some("working"), Some(1))
    );
    assert!(
        doors
            .iter()
            .all(|d| d["pages"].is_u64() && d["offered"].is_boolean())
    );
    let finding = &report["findings"][0];
    assert!(finding["subject"].is_string() && !finding["why"].as_str().unwrap().is_empty());
    assert!(report["generated_at"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn a_bad_address_is_a_usage_error() {
    let out = doorbell().args(["audit", "http://"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("not a web address"));
    // Loopback addresses: should a check fail to stop the run, nothing leaves the machine.
    doorbell()
        .args(["audit", "127.0.0.1:1", "--region", "XX"])
        .assert()
        .code(2);
    doorbell()
        .args(["audit", "127.0.0.1:1", "--max-body", "lots"])
        .assert()
        .code(2);
    doorbell()
        .args(["audit", "127.0.0.1:1", "--max-pages", "0"])
        .assert()
        .code(2);
    doorbell().args(["audit"]).assert().code(2);
    // Other schemes than the web's are named as such, never read as a host called "mailto".
    for other in [
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "mailto:info@example.com",
        "javascript:alert(1)",
    ] {
        let out = doorbell().args(["audit", other]).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("doorbell audits web sites: give an http(s) URL"),
            "{other}: {stderr}"
        );
    }
}

#[test]
fn a_host_and_port_without_scheme_that_speaks_plain_http_gets_told_so() {
    let site = common::static_site("onepage");
    let host_port = site
        .url("/")
        .host_str()
        .map(|h| format!("{h}:{}", site.url("/").port().unwrap()))
        .unwrap();
    let out = doorbell()
        .args(["audit", &host_port, "--no-mail-dns"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "this server speaks plain HTTP: use http://{host_port}/"
        )),
        "{stderr}"
    );
}

#[test]
fn a_site_that_cannot_be_reached_fails_the_run_with_exit_3() {
    let out = doorbell()
        .args([
            "audit",
            "http://127.0.0.1:1/",
            "--timeout",
            "2",
            "--format",
            "json",
        ])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(stderr.contains("could not be read"), "{stderr}");
    // The report is still written, with the failure in it and no score.
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["crawl"]["pages"][0]["error"]["kind"], "connect");
    assert!(report["score"]["value"].is_null(), "{}", report["score"]);
    assert!(
        report["score"]["not_scored"]
            .as_str()
            .is_some_and(|why| why.contains("connection")),
        "{}",
        report["score"]
    );
    for format in ["table", "markdown"] {
        let out = doorbell()
            .args([
                "audit",
                "http://127.0.0.1:1/",
                "--timeout",
                "2",
                "--format",
                format,
            ])
            .assert()
            .code(3);
        let text = String::from_utf8_lossy(&out.get_output().stdout);
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with("## "));
        assert!(
            first.is_some_and(|l| l.contains("Not scored")),
            "{format}: the reason first\n{text}"
        );
        assert!(
            !text.contains("/100") && !text.contains("No findings"),
            "{format}: no score, no all-clear\n{text}"
        );
    }
}

#[test]
fn a_site_closed_by_robots_txt_is_not_scored_and_the_report_names_the_way_out() {
    let site = common::static_site("closed");
    let out = doorbell()
        .args([
            "audit",
            site.url("/").as_str(),
            "--format",
            "json",
            "--lang",
            "ru",
        ])
        .assert()
        .code(3);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(report["score"]["value"].is_null());
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains("robots.txt") && stderr.contains("--ignore-robots"),
        "{stderr}"
    );
    doorbell()
        .args([
            "audit",
            site.url("/").as_str(),
            "--ignore-robots",
            "-q",
            "--fail-on",
            "never",
        ])
        .assert()
        .success();
}

#[test]
fn help_and_version_speak_to_a_marketer() {
    let out = doorbell().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(help.contains("audit") && help.contains("demo"), "{help}");
    let out = doorbell().args(["audit", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout);
    for flag in [
        "--max-pages",
        "--concurrency",
        "--rate",
        "--ignore-robots",
        "--region",
        "--format",
        "--output",
        "--lang",
    ] {
        assert!(help.contains(flag), "{flag} missing");
    }
    // Every report format is named, and --rules says which files it reads.
    for said in [
        "html",
        "markdown",
        "junit",
        "catalogue.toml",
        "phrases.toml",
        "signatures.toml",
    ] {
        assert!(help.contains(said), "{said} missing:\n{help}");
    }
    let out = doorbell().arg("--version").assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn findings_fail_the_run_only_at_the_chosen_severity() {
    let out = doorbell()
        .args(["demo", "--format", "json", "--fail-on", "error"])
        .assert()
        .code(1);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["severity"] == "error"));
    let first = &findings[0];
    for field in ["rule", "severity", "message", "url", "evidence", "fix"] {
        assert!(!first[field].is_null(), "{field} missing in {first}");
    }
    let score = report["score"]["value"].as_u64().unwrap();
    assert!(score < 100);
    doorbell()
        .args(["demo", "--format", "json", "--fail-on", "never"])
        .assert()
        .code(0);
    // The demo site is bad on purpose: by default the demo does not fail.
    doorbell()
        .args(["demo", "--format", "json"])
        .assert()
        .code(0);
}

#[test]
fn rules_are_listed_and_explained_in_both_languages() {
    let out = doorbell()
        .args(["rules", "--lang", "en"])
        .assert()
        .success();
    let list = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        list.contains("phone.no-country-code")
            && list.contains("Phone number without a country code")
    );
    let out = doorbell()
        .args(["explain", "whatsapp.link-malformed", "--lang", "ru"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        text.contains("Почему это важно") && text.contains("wa.me"),
        "{text}"
    );
    doorbell()
        .args(["explain", "no.such-rule"])
        .assert()
        .code(2);
}

#[test]
fn every_command_speaks_the_language_of_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("doorbell.toml"),
        "[report]\nlang = \"ru\"\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = doorbell()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    assert!(run(&["rules"]).contains("Правило"));
    assert!(run(&["explain", "phone.invalid"]).contains("Почему это важно"));
    doorbell::journal::Journal::open(&dir.path().join("j.db")).unwrap();
    assert!(
        run(&["history", "https://shop.example.com", "--journal", "j.db"])
            .contains("Этот сайт ещё не проверяли")
    );
    assert!(run(&["demo", "--quiet"]).contains("Телефоны"));
    // The report the demo wrote, joined by `merge`, is summed up in Russian too.
    let report = dir.path().join("site.json");
    doorbell()
        .current_dir(dir.path())
        .args(["demo", "--quiet", "--output"])
        .arg(&report)
        .assert()
        .success();
    let out = doorbell()
        .current_dir(dir.path())
        .args(["merge", "site.json"])
        .assert()
        .code(1); // the example site fails on purpose
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("сайт"));
    // A flag still wins over the file.
    assert!(run(&["rules", "--lang", "en"]).contains("Rule"));
}

#[test]
fn a_rules_folder_overrides_the_catalogue_and_bad_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("catalogue.toml"),
        r#"[[rule]]
id = "email.too-long"
severity = "error"
category = "email"
title = { en = "Address longer than our print allows", ru = "Адрес длиннее, чем влезает на визитку" }
why = { en = "x", ru = "x" }
fix = { en = "x", ru = "x" }
thresholds = { max_length = 10 }
"#,
    )
    .unwrap();
    let out = doorbell()
        .args(["rules", "--lang", "en", "--rules"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .contains("Address longer than our print allows")
    );
    std::fs::write(
        dir.path().join("catalogue.toml"),
        "[[rule]]\nid = \"email.too-long\"\nseverity = \"loud\"\n",
    )
    .unwrap();
    let out = doorbell()
        .args(["rules", "--rules"])
        .arg(dir.path())
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        err.contains("catalogue.toml") && err.contains("loud"),
        "{err}"
    );
    // The same folder's signatures.toml is read by audit: a broken one stops it, named.
    std::fs::remove_file(dir.path().join("catalogue.toml")).unwrap();
    std::fs::write(
        dir.path().join("signatures.toml"),
        "[[widget]]
id = 1
",
    )
    .unwrap();
    let out = doorbell()
        .args(["audit", "127.0.0.1:1", "--rules"])
        .arg(dir.path())
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(err.contains("signatures.toml"), "{err}");
}

#[test]
fn init_writes_a_starter_config_that_audit_reads() {
    let dir = tempfile::tempdir().unwrap();
    doorbell()
        .current_dir(dir.path())
        .arg("init")
        .assert()
        .success();
    let written = std::fs::read_to_string(dir.path().join("doorbell.toml")).unwrap();
    assert!(written.contains("[rules]") && written.contains("fail_on"));
    // A second init would overwrite someone's settings: refused without --force.
    doorbell()
        .current_dir(dir.path())
        .arg("init")
        .assert()
        .code(2);
    doorbell()
        .current_dir(dir.path())
        .args(["init", "--force"])
        .assert()
        .success();

    // The file in the current folder is read: its site and format are used.
    std::fs::write(
        dir.path().join("doorbell.toml"),
        "site = \"http://127.0.0.1:1/\"\n[crawl]\ntimeout = 2\n[report]\nformat = \"json\"\n",
    )
    .unwrap();
    let out = doorbell()
        .current_dir(dir.path())
        .arg("audit")
        .assert()
        .code(3);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["start_url"], "http://127.0.0.1:1/");
    // A flag wins over the file.
    let out = doorbell()
        .current_dir(dir.path())
        .args(["audit", "--format", "table"])
        .assert()
        .code(3);
    assert!(serde_json::from_slice::<Value>(&out.get_output().stdout).is_err());
}

#[test]
fn a_config_with_an_unknown_key_is_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "[crawl]\nmax_pagez = 3\n").unwrap();
    let out = doorbell()
        .args(["audit", "127.0.0.1:1", "--config"])
        .arg(&path)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        err.contains("max_pagez") && err.contains("mine.toml"),
        "{err}"
    );
    std::fs::write(&path, "[rules]\ndisabled = [\"phone.nope\"]\n").unwrap();
    let out = doorbell()
        .args(["audit", "127.0.0.1:1", "--config"])
        .arg(&path)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("phone.nope"));
}

#[test]
fn the_example_config_shipped_in_examples_loads() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/doorbell.toml");
    doorbell()
        .args([
            "audit",
            "http://127.0.0.1:1/",
            "--timeout",
            "1",
            "--config",
            example,
        ])
        .assert()
        .code(3);
}

#[test]
fn probing_is_opt_in_and_needs_a_mailbox() {
    let dir = tempfile::tempdir().unwrap();
    let out = doorbell()
        .current_dir(dir.path())
        .args(["run", "https://shop.example.com"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--probe") && stderr.contains("--plan"),
        "{stderr}"
    );
    let out = doorbell()
        .current_dir(dir.path())
        .args(["run", "https://shop.example.com", "--probe"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("[probe] mailbox is missing"), "{stderr}");
}

#[test]
fn verify_without_a_probed_run_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(
        dir.path().join("doorbell.toml"),
        format!(
            "site = \"https://shop.example.com\"\n[probe]\nmailbox = \"maildir:{}\"\npersona = {{ email = \"tester@example.org\", phone = \"+7 900 000-00-00\" }}\n",
            maildir.display()
        ),
    )
    .unwrap();
    let out = doorbell()
        .current_dir(dir.path())
        .args(["verify"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("no probes were sent"), "{stderr}");
}

/// The CI examples in `examples/ci/` call doorbell with flags that exist: every `doorbell …`
/// command in them parses, with the CI's variables filled in.
#[test]
fn the_ci_examples_use_real_flags() {
    use clap::Parser as _;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci");
    let mut commands = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\\\n", " ")
            .replace("${{ matrix.shard }}", "1")
            .replace("$CI_NODE_INDEX", "1")
            .replace("$CI_NODE_TOTAL", "4")
            .replace("$((JOB_COMPLETION_INDEX + 1))", "1")
            .replace('"', "");
        for line in text.lines() {
            let Some(start) = line.find("doorbell ") else {
                continue;
            };
            let command = &line[start..];
            let words: Vec<&str> = command
                .split(" || ")
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            if !matches!(
                words.get(1),
                Some(&("audit" | "merge" | "verify" | "probe"))
            ) {
                continue;
            }
            commands += 1;
            if let Err(e) = doorbell::cli::Cli::try_parse_from(&words) {
                panic!("{}: {command}\n{e}", path.display());
            }
        }
    }
    assert!(commands >= 7, "found {commands} commands");
}

/// The README shows `doorbell --help` as it is.
#[test]
fn the_readme_help_block_is_the_real_help() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let block = readme
        .split("<!-- doorbell --help -->\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has the --help block");
    let out = doorbell().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert_eq!(block, help, "update the README's --help block");
}

#[test]
fn completions_and_the_manual_page_come_from_the_cli() {
    let bash = doorbell().args(["completions", "bash"]).output().unwrap();
    let script = String::from_utf8_lossy(&bash.stdout);
    assert!(
        script.contains("_doorbell()") && script.contains("--shard"),
        "{script}"
    );
    let fish = doorbell().args(["completions", "fish"]).output().unwrap();
    assert!(String::from_utf8_lossy(&fish.stdout).contains("complete -c doorbell"));
    let man = doorbell().arg("man").output().unwrap();
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.contains(".TH doorbell 1") && page.contains("merge"),
        "{page}"
    );
}

#[test]
fn verbose_logs_go_to_stderr_and_keep_stdout_clean() {
    let out = doorbell()
        .args(["-vv", "demo", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fetched") && stderr.contains("crawled"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour codes into a file or pipe"
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is the JSON alone");
    assert_eq!(report["schema"], 1);
    let quiet = doorbell()
        .args(["demo", "--format", "json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("fetched"));
}

#[test]
fn the_findings_table_fits_80_columns_with_a_page_column_and_whole_rule_ids() {
    let site = common::static_site("onepage");
    let run = |format: &str| {
        doorbell()
            .env("COLUMNS", "80")
            .args([
                "audit",
                site.url("/").as_str(),
                "--no-mail-dns",
                "--lang",
                "ru",
                "--format",
                format,
            ])
            .output()
            .unwrap()
    };
    let table = String::from_utf8(run("table").stdout).unwrap();
    // Tables fit; prose lines wrap in the terminal on their own.
    let drawn = |line: &&str| line.starts_with(['┌', '│', '╞', '├', '└']);
    assert!(table.lines().any(|l| drawn(&l)));
    for line in table.lines().filter(drawn) {
        assert!(
            line.chars().count() <= 80,
            "wider than COLUMNS=80 ({}): {line}",
            line.chars().count()
        );
    }
    assert!(table.contains("Страница"), "a page column:\n{table}");
    let report: Value = serde_json::from_slice(&run("json").stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"contacts.anchor-dead"), "{rules:?}");
    for rule in rules {
        assert!(table.contains(rule), "{rule} whole in:\n{table}");
    }
    // The page a finding stands on, by its path.
    assert!(table.contains("/uslugi.html"), "{table}");
}

#[test]
fn writing_to_files_says_what_was_written_the_verdict_and_why_the_exit_code() {
    let site = common::static_site("onepage");
    let dir = tempfile::tempdir().unwrap();
    let out = doorbell()
        .current_dir(dir.path())
        .args([
            "audit",
            site.url("/").as_str(),
            "--no-mail-dns",
            "-o",
            "r.html",
            "-o",
            "r.json",
            "--fail-on",
            "warning",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the reports went to files");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for written in ["r.html", "r.json"] {
        let path = dir.path().join(written);
        assert!(path.exists());
        assert!(
            stderr.contains(&format!("doorbell: wrote {}", path.display())),
            "{stderr}"
        );
    }
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    let score = &report["score"];
    let summary = format!("doorbell: score {}/100: ", score["value"]);
    assert!(stderr.contains(&summary), "{summary} in {stderr}");
    assert!(
        stderr.contains("exit code 1:") && stderr.contains("--fail-on warning"),
        "{stderr}"
    );
}

/// The README stays a front door (the reference lives in docs/), and no link in it or in
/// docs/ leads to a file that is not in the repository.
#[test]
fn the_readme_is_short_and_every_local_link_leads_somewhere() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.len() < 25_000, "README.md is {} bytes", readme.len());
    assert!(root.join("LICENSE").exists(), "Cargo.toml names a licence");
    let mut documents = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    for document in documents {
        let text = std::fs::read_to_string(&document).unwrap();
        for target in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
        {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            let resolved = document.parent().unwrap().join(file);
            assert!(
                resolved.exists(),
                "{} links to {target}, which is not there",
                document.display()
            );
        }
    }
}

#[test]
fn a_sites_terminal_escapes_never_reach_the_terminal() {
    let site = common::static_site("hostile");
    for format in ["table", "markdown"] {
        let out = doorbell()
            .args([
                "audit",
                site.url("/escapes.html").as_str(),
                "--max-pages",
                "1",
                "--no-mail-dns",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            format != "table" || stdout.contains("esc@example.com"),
            "{stdout}"
        );
        for control in ['\u{1b}', '\u{7}', '\r'] {
            assert!(
                !stdout.contains(control)
                    && !String::from_utf8_lossy(&out.stderr).contains(control),
                "{format}: {control:?} reached the terminal:\n{stdout}"
            );
        }
    }
}

#[test]
fn a_report_into_a_missing_folder_is_refused_before_the_crawl() {
    // A refused port: were the crawl to start, the run would end with 3, not 2.
    let out = doorbell()
        .args([
            "audit",
            "http://127.0.0.1:1/",
            "-o",
            "no/such/folder/report.html",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no/such/folder") && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert!(!stderr.contains("could not be read"), "no crawl: {stderr}");
}

#[test]
fn limits_out_of_range_are_usage_errors_naming_the_limit_not_panics() {
    for (flag, value, named) in [
        ("--rate", "1e-20", "rate must be"),
        (
            "--timeout",
            "18446744073709551615",
            "timeout must be at most",
        ),
        ("--max-body", "99999999MB", "max-body must be at most"),
        ("--max-pages", "99999999999", "max-pages must be at most"),
        ("--concurrency", "100000", "concurrency must be at most"),
        ("--max-time", "30d", "max-time: \"30d\" is too long"),
        ("--max-time", "0", "must be above zero"),
    ] {
        let out = doorbell()
            .args(["audit", "http://127.0.0.1:1/", flag, value])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {stderr}");
        assert!(
            stderr.contains(named) && !stderr.contains("panicked"),
            "{stderr}"
        );
    }
    // The same limits hold for doorbell.toml.
    for (line, named) in [
        ("rate = 1e-20", "rate must be"),
        ("max_time = \"8d\"", "max-time: \"8d\" is too long"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("doorbell.toml"),
            format!("[crawl]\n{line}\n"),
        )
        .unwrap();
        let out = doorbell()
            .current_dir(dir.path())
            .args(["audit", "http://127.0.0.1:1/"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(named), "{stderr}");
    }
}

#[test]
fn a_mailto_naming_thousands_of_recipients_makes_a_small_report() {
    let site = common::static_site("hostile");
    let out = doorbell()
        .args([
            "audit",
            site.url("/recipients.html").as_str(),
            "--max-pages",
            "1",
            "--no-mail-dns",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    // 2,500 recipients each carrying the 38 KB link made a report of about 100 MB.
    assert!(
        out.stdout.len() < 200_000,
        "the report is {} bytes",
        out.stdout.len()
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let emails = report["inventory"]["emails"].as_array().unwrap();
    assert!(!emails.is_empty() && emails.len() <= 20, "{}", emails.len());
    let evidence: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "email.mailto-malformed")
        .map(|f| f["evidence"].as_str().unwrap())
        .collect();
    assert!(
        evidence.iter().any(|e| e.contains("too-many-recipients")),
        "{evidence:?}"
    );
}
