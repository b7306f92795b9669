//! Portfolios end to end: a list of real loopback sites audited in one run, split into shards,
//! and the shards' summaries merged — the real binary, as a CI matrix would run it.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The fixture sites, one unreachable address, comments and a duplicate.
fn sites_file(dir: &Path) -> (std::path::PathBuf, Vec<String>) {
    let sites = vec![
        format!("http://{}/kontakty.html", common::site().addr),
        format!("http://{}/", common::clean_site().addr),
        format!("http://{}/", common::static_site("hostile").addr),
        "http://127.0.0.1:1/".to_string(),
    ];
    let text = format!(
        "# the portfolio\n{}\n\n{}  # the clean one\n{}\n{}\n{}\n",
        sites[0], sites[1], sites[2], sites[3], sites[1]
    );
    let path = dir.join("sites.txt");
    std::fs::write(&path, text).unwrap();
    (path, sites)
}

fn doorbell(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("doorbell").unwrap();
    cmd.current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .args([
            "audit",
            "--rate",
            "0",
            "--timeout",
            "2",
            "--max-pages",
            "8",
            "--no-mail-dns",
        ]);
    cmd
}

fn summary(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn urls(summary: &Value) -> BTreeSet<String> {
    summary["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_list_of_sites_gives_a_report_each_and_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (list, sites) = sites_file(dir.path());
    let out = doorbell(dir.path())
        .arg("--sites")
        .arg(&list)
        .args([
            "--parallel",
            "3",
            "-o",
            "summary.md",
            "-o",
            "summary.html",
            "-o",
            "junit.xml",
        ])
        .output()
        .unwrap();
    // The fixture site has errors on purpose, and one address answers nothing.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("doorbell: [").count(),
        4,
        "a line per site: {stderr}"
    );

    let reports = dir.path().join("doorbell-reports");
    let summary = summary(&reports.join("summary.json"));
    assert_eq!(summary["kind"], "summary");
    assert_eq!(
        urls(&summary),
        sites.iter().cloned().collect(),
        "the duplicate counts once"
    );
    for row in summary["sites"].as_array().unwrap() {
        let url = row["url"].as_str().unwrap();
        if url.contains(":1/") {
            assert_eq!(row["status"], "failed");
            assert!(
                row["error"].as_str().unwrap().contains("connection"),
                "{row}"
            );
            assert_eq!(row["fails"], true);
            continue;
        }
        assert_eq!(row["status"], "ok", "{row}");
        let stem = row["report"].as_str().unwrap();
        let report: Value = serde_json::from_str(
            &std::fs::read_to_string(reports.join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(report["start_url"], url);
        assert_eq!(row["score"], report["score"]["value"]);
        assert!(reports.join(format!("{stem}.html")).exists());
        assert!(reports.join(format!("{stem}.xml")).exists());
    }
    let clean = summary["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["url"] == sites[1].as_str())
        .unwrap();
    assert_eq!(
        (clean["errors"].as_u64(), clean["fails"].as_bool()),
        (Some(0), Some(false))
    );

    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(md.contains("4 sites, 3 failing, 1 unreadable"), "{md}");
    let page = std::fs::read_to_string(dir.path().join("summary.html")).unwrap();
    assert!(page.contains(&format!(
        "href=\"{}.html\"",
        clean["report"].as_str().unwrap()
    )));
    let junit = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 4);
    assert_eq!(junit.matches("<failure ").count(), 3);
}

#[test]
fn shards_split_the_list_and_merge_back_into_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (list, sites) = sites_file(dir.path());
    let mut parts = Vec::new();
    for shard in ["1/2", "2/2"] {
        let reports = dir.path().join(format!("shard-{}", &shard[..1]));
        doorbell(dir.path())
            .arg("--sites")
            .arg(&list)
            .args(["--shard", shard, "-q", "--format", "json", "--reports"])
            .arg(&reports)
            .output()
            .unwrap();
        let part = summary(&reports.join("summary.json"));
        assert_eq!(part["shards"][0], shard);
        parts.push(urls(&part));
    }
    assert!(parts[0].is_disjoint(&parts[1]), "no site in two shards");
    let all: BTreeSet<String> = parts.iter().flatten().cloned().collect();
    assert_eq!(
        all,
        sites.iter().cloned().collect(),
        "every site in a shard"
    );

    let merged = Command::cargo_bin("doorbell")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "merge",
            "shard-1",
            "shard-2/summary.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        merged.status.code(),
        Some(1),
        "the merged portfolio fails as its sites do"
    );
    let merged: Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_eq!(urls(&merged), all);
    assert_eq!(merged["shards"], serde_json::json!(["1/2", "2/2"]));

    // A site's own JSON report merges too, as one row.
    let clean_report = std::fs::read_dir(dir.path().join("shard-1"))
        .unwrap()
        .chain(std::fs::read_dir(dir.path().join("shard-2")).unwrap())
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "json")
                && std::fs::read_to_string(p)
                    .unwrap()
                    .contains(&format!("\"start_url\": \"{}\"", sites[1]))
        })
        .expect("the clean site's report");
    let one = Command::cargo_bin("doorbell")
        .unwrap()
        .args(["merge", "--format", "json"])
        .arg(&clean_report)
        .output()
        .unwrap();
    assert_eq!(one.status.code(), Some(0));
    let one: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(one["sites"][0]["url"], sites[1].as_str());
    assert_eq!(one["sites"][0]["errors"], 0);
}

#[test]
fn a_bad_list_or_shard_is_a_usage_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sites.txt"), "shop.example.com\nhttp://\n").unwrap();
    let out = doorbell(dir.path())
        .args(["--sites", "sites.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sites.txt:2:"));
    let out = doorbell(dir.path())
        .args(["--sites", "sites.txt", "--shard", "3/2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--shard"));
    let out = Command::cargo_bin("doorbell")
        .unwrap()
        .current_dir(dir.path())
        .args(["merge", "sites.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not JSON"));
}

/// A server that answers every page after 100 ms and remembers the most pages it was asked
/// for at once.
fn counting_server() -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = most.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
                let (in_flight, most) = (in_flight.clone(), seen.clone());
                async move {
                    let path = uri.path().to_string();
                    if path == "/robots.txt" || path.contains("sitemap") {
                        return (axum::http::StatusCode::NOT_FOUND, axum::response::Html(String::new()));
                    }
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let section = path.trim_matches('/').split('/').next().unwrap_or("x").to_string();
                    let links: String = (1..=3)
                        .map(|i| format!("<a href=\"/{section}/p{i}\">{i}</a> "))
                        .collect();
                    (
                        axum::http::StatusCode::OK,
                        axum::response::Html(format!(
                            "<!DOCTYPE html><html><body>{links}<a href=\"tel:+74950000000\">+7 495 000-00-00</a></body></html>"
                        )),
                    )
                }
            });
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (addr, most)
}

#[test]
fn two_sites_of_one_server_are_never_crawled_at_once() {
    let (addr, most) = counting_server();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sites.txt"),
        format!("http://{addr}/a/\nhttp://{addr}/b/\n"),
    )
    .unwrap();
    let out = doorbell(dir.path())
        .args([
            "--sites",
            "sites.txt",
            "--parallel",
            "2",
            "--concurrency",
            "1",
            "-q",
        ])
        .args(["--fail-on", "never", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    for row in summary["sites"].as_array().unwrap() {
        assert!(row["pages_ok"].as_u64().unwrap() >= 3, "{row}");
    }
    assert_eq!(
        most.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the server never had two pages asked of it at once"
    );
}
