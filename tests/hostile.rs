//! Hostile sites on loopback: pages built to exhaust the runner (link floods, contact floods,
//! markup nested 200,000 deep). Each case runs the real binary with its default bounds and
//! checks what a CI job relies on: the run ends, the report says what was left out, and the
//! process's peak memory (its own `wait4` figure) stays under 200 MB.
//!
//! A binary of its own, not a module of `tests/suite`: Linux starts a child's peak RSS at its
//! parent's when it execs, and the suite's process, running every other test, is bigger than
//! the bound these tests hold the audit to.

#[path = "suite/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::Value;

/// Peak resident memory a hostile case may reach, with the default bounds.
const MAX_RSS_MB: u64 = 200;

fn html(body: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body)
}

/// `/links/N`: 60,000 links to pages never seen before, each of which does the same.
async fn link_flood(Path(page): Path<String>) -> impl IntoResponse {
    let mut body = String::from("<!DOCTYPE html><html><body><h1>Catalogue</h1>");
    for k in 0..60_000 {
        let _ = write!(body, r#"<a href="/links/{page}-{k}">item {k}</a>"#);
    }
    body.push_str("</body></html>");
    html(body)
}

/// `/points/N`: 6,000 distinct phones and 6,000 distinct e-mails, and a link to the next page
/// (12 in all).
async fn contact_flood(Path(page): Path<u32>) -> impl IntoResponse {
    let mut body = String::from("<!DOCTYPE html><html lang=\"ru\"><body>");
    for k in 0..6_000u32 {
        let number = page * 10_000 + k;
        let _ = write!(
            body,
            r#"<p><a href="tel:+7900{number:07}">+7 900 {number:07}</a> <a href="mailto:desk{number}@example.com">desk{number}@example.com</a></p>"#
        );
    }
    if page < 12 {
        let _ = write!(body, r#"<a href="/points/{}">next</a>"#, page + 1);
    }
    body.push_str("</body></html>");
    html(body)
}

/// `/deep`: a phone inside 200,000 nested `<div>`s (2.2 MB).
async fn deep() -> impl IntoResponse {
    html(format!(
        "<!DOCTYPE html><html><body>{}<a href=\"tel:+74950000000\">+7 495 000-00-00</a>{}</body></html>",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    ))
}

/// `/robots.txt` lists 50 sitemaps; each answers a byte a second, for ever.
async fn robots_with_dripping_sitemaps(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut body = String::from("User-agent: *\nAllow: /\n");
    for n in 0..50 {
        let _ = writeln!(body, "Sitemap: http://{host}/drip/{n}.xml");
    }
    ([(header::CONTENT_TYPE, "text/plain")], body)
}

async fn dripping_sitemap() -> axum::response::Response {
    let drip = futures_util::stream::unfold(0u32, |n| async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        Some((
            Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(" ")),
            n + 1,
        ))
    });
    let start = futures_util::stream::once(async {
        Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(
            "<?xml version=\"1.0\"?><urlset>",
        ))
    });
    axum::response::Response::builder()
        .header(header::CONTENT_TYPE, "application/xml")
        .body(axum::body::Body::from_stream(
            futures_util::StreamExt::chain(start, drip),
        ))
        .unwrap()
}

/// `/slow/N`: answers after a second, with five links to pages that do the same.
async fn slow_tree(Path(page): Path<String>) -> impl IntoResponse {
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut body = String::from("<!DOCTYPE html><html><body>");
    for k in 0..5 {
        let _ = write!(body, r#"<a href="/slow/{page}-{k}">more</a>"#);
    }
    body.push_str("</body></html>");
    html(body)
}

fn hostile_site() -> &'static common::FixtureSite {
    static SITE: std::sync::OnceLock<common::FixtureSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        common::serve_router(|| {
            Router::new()
                .route("/links/{page}", get(link_flood))
                .route("/points/{page}", get(contact_flood))
                .route("/deep", get(deep))
                .route("/slow/{page}", get(slow_tree))
        })
    })
}

/// One audit by the real binary: its JSON report, exit code, peak RSS and wall time.
struct Run {
    report: Value,
    code: i32,
    peak_rss_mb: u64,
    elapsed: Duration,
}

#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its peak memory"
)]
fn audit(url: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let started = Instant::now();
    let child = Command::new(assert_cmd::cargo::cargo_bin("doorbell"))
        .args([
            "audit",
            url,
            "--no-mail-dns",
            "--rate",
            "0",
            "--fail-on",
            "never",
        ])
        .args(["--format", "json", "-o", out.to_str().unwrap()])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, which `Child` never waited for; pointers are to locals.
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let elapsed = started.elapsed();
    assert!(libc::WIFEXITED(status), "doorbell was killed: {status}");
    let report = serde_json::from_slice(&std::fs::read(&out).expect("a report was written"))
        .expect("the report is JSON");
    Run {
        report,
        code: libc::WEXITSTATUS(status),
        // Linux reports ru_maxrss in kilobytes.
        peak_rss_mb: u64::try_from(usage.ru_maxrss).unwrap() / 1024,
        elapsed,
    }
}

#[test]
fn a_flood_of_links_is_dropped_past_the_queue_and_the_report_says_so() {
    let site = hostile_site();
    let run = audit(site.url("/links/0").as_str(), &["--max-pages", "10"]);
    eprintln!("link flood: {} MB, {:?}", run.peak_rss_mb, run.elapsed);
    assert_eq!(run.code, 0);
    let crawl = &run.report["crawl"];
    assert_eq!(crawl["pages_ok"], 10);
    let limits = &crawl["limits"];
    // 10 pages × 60,000 new links, read up to 50,000 elements a page, 10,000 links a page
    // followed, into a queue of 10,000.
    assert_eq!(limits["queue_capacity"], 10_000);
    assert!(crawl["pages_left"].as_u64().unwrap() <= 10_000);
    assert!(
        limits["links_dropped"].as_u64().unwrap() >= 85_000,
        "{limits}"
    );
    assert_eq!(limits["pages_with_links_cut"], 10, "{limits}");
    assert_eq!(limits["pages_with_elements_cut"], 10, "{limits}");
    let cuts = crawl["pages"][0]["cut"].as_array().unwrap();
    let cut = |kind: &str| cuts.iter().find(|c| c["kind"] == kind).unwrap();
    // <html>, <body>, <h1> and 49,997 links.
    assert_eq!(cut("links")["dropped"], 49_997 - 10_000);
    assert!(cut("elements")["bytes_left_out"].as_u64().unwrap() > 100_000);
    assert!(
        run.peak_rss_mb < MAX_RSS_MB,
        "peak RSS {} MB",
        run.peak_rss_mb
    );
}

#[test]
fn a_flood_of_contacts_keeps_a_bounded_inventory_and_counts_the_rest() {
    let site = hostile_site();
    let run = audit(site.url("/points/1").as_str(), &[]);
    eprintln!("contact flood: {} MB, {:?}", run.peak_rss_mb, run.elapsed);
    assert_eq!(run.code, 0);
    assert_eq!(run.report["crawl"]["pages_ok"], 12);
    let inventory = &run.report["inventory"];
    let phones = inventory["phones"].as_array().unwrap().len();
    let emails = inventory["emails"].as_array().unwrap().len();
    // 500 of each kind kept per page, 2,000 of each kind for the site.
    assert_eq!(phones, 2_000);
    assert_eq!(emails, 2_000);
    let dropped = run.report["crawl"]["limits"]["points_dropped"]
        .as_u64()
        .unwrap();
    // 12 pages × 12,000 sightings, of which 12 × 1,000 passed the page's bound and 4,000 were
    // kept.
    assert_eq!(dropped, 12 * 11_000 + (12 * 1_000 - 4_000));
    assert!(
        run.peak_rss_mb < MAX_RSS_MB,
        "peak RSS {} MB",
        run.peak_rss_mb
    );
}

#[test]
fn markup_nested_two_hundred_thousand_deep_is_cut_and_its_phone_still_found() {
    let site = hostile_site();
    let run = audit(site.url("/deep").as_str(), &["--timeout", "5"]);
    eprintln!("deep markup: {} MB, {:?}", run.peak_rss_mb, run.elapsed);
    assert_eq!(run.code, 0);
    // It took 165 s of CPU in the parser's scope checks before the cap.
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    let page = &run.report["crawl"]["pages"][0];
    assert_eq!(page["cut"][0]["kind"], "nesting", "{page}");
    assert_eq!(run.report["crawl"]["limits"]["pages_nested_too_deep"], 1);
    let phones = run.report["inventory"]["phones"].as_array().unwrap();
    assert_eq!(phones.len(), 1);
    assert_eq!(phones[0]["e164"], "+74950000000");
    assert!(
        run.peak_rss_mb < MAX_RSS_MB,
        "peak RSS {} MB",
        run.peak_rss_mb
    );
}

fn dripping_sitemaps_site() -> &'static common::FixtureSite {
    static SITE: std::sync::OnceLock<common::FixtureSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        common::serve_router(|| {
            Router::new()
                .route("/robots.txt", get(robots_with_dripping_sitemaps))
                .route("/drip/{name}", get(dripping_sitemap))
                .route("/sitemap.xml", get(dripping_sitemap))
                .route(
                    "/",
                    get(|| async {
                        html(r#"<html lang="ru"><body><a href="/kontakty">Контакты</a></body></html>"#.to_string())
                    }),
                )
                .route(
                    "/kontakty",
                    get(|| async {
                        html(r#"<html lang="ru"><body><h1>Контакты</h1><a href="tel:+74950000000">+7 495 000-00-00</a></body></html>"#.to_string())
                    }),
                )
        })
    })
}

#[test]
fn fifty_dripping_sitemaps_hold_the_crawl_seconds_not_minutes() {
    let site = dripping_sitemaps_site();
    let run = audit(site.url("/").as_str(), &["--timeout", "3"]);
    eprintln!(
        "dripping sitemaps: {} MB, {:?}",
        run.peak_rss_mb, run.elapsed
    );
    assert_eq!(run.code, 0);
    // One after another they took 150 s at --timeout 3.
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    let crawl = &run.report["crawl"];
    // The contact page linked from the home page is still read.
    assert_eq!(crawl["pages_ok"], 2, "{crawl}");
    assert!(
        crawl["limits"]["sitemaps_not_read"].as_u64().unwrap() > 0,
        "{}",
        crawl["limits"]
    );
    assert_eq!(
        run.report["inventory"]["phones"].as_array().unwrap().len(),
        1
    );
    assert!(
        run.peak_rss_mb < MAX_RSS_MB,
        "peak RSS {} MB",
        run.peak_rss_mb
    );
}

#[test]
fn the_run_ends_at_max_time_and_says_the_time_ran_out() {
    let site = hostile_site();
    let run = audit(site.url("/slow/0").as_str(), &["--max-time", "4s"]);
    eprintln!("max-time 4s: {} MB, {:?}", run.peak_rss_mb, run.elapsed);
    assert_eq!(run.code, 0);
    assert!(run.elapsed < Duration::from_secs(15), "{:?}", run.elapsed);
    let crawl = &run.report["crawl"];
    assert_eq!(crawl["limits"]["deadline_reached"], true, "{crawl}");
    let read = crawl["pages_ok"].as_u64().unwrap();
    assert!((1..60).contains(&read), "{read} pages read");
    assert!(crawl["pages_left"].as_u64().unwrap() > 0);
}

/// Requests that reached a trap: a server a hostile page points at, on loopback names and
/// addresses that are not the audited host.
static TRAP_HITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static TRAP_PORTS: std::sync::OnceLock<(u16, u16)> = std::sync::OnceLock::new();

/// Two traps: one at 127.0.0.1 reached as `localhost`, one at the literal 127.0.0.2.
fn traps() -> (u16, u16) {
    *TRAP_PORTS.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let trap = Router::new().fallback(|| async {
                    TRAP_HITS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    "you should not be here"
                });
                let by_name = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let by_address = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
                tx.send((
                    by_name.local_addr().unwrap().port(),
                    by_address.local_addr().unwrap().port(),
                ))
                .unwrap();
                let second = trap.clone();
                tokio::spawn(async move { axum::serve(by_address, second).await });
                axum::serve(by_name, trap).await.unwrap();
            });
        });
        rx.recv().unwrap()
    })
}

/// A contact page whose forms post to the traps, directly and through a redirect.
async fn page_pointing_inside() -> impl IntoResponse {
    let (by_name, by_address) = traps();
    let form = |action: String| {
        format!(
            r#"<form method="post" action="{action}"><h3>Напишите нам</h3><input name="name"><input name="phone" type="tel"><textarea name="message"></textarea><button>Отправить</button></form>"#
        )
    };
    html(format!(
        "<html lang=\"ru\"><body><h1>Контакты</h1>{}{}{}</body></html>",
        form(format!("http://localhost:{by_name}/lead")),
        form(format!("http://127.0.0.2:{by_address}/lead")),
        form("/go".to_string()),
    ))
}

async fn redirect_inside() -> impl IntoResponse {
    let (by_name, _) = traps();
    axum::response::Redirect::temporary(&format!("http://localhost:{by_name}/redirected"))
}

#[tokio::test]
async fn a_page_cannot_send_our_requests_to_private_addresses_by_name_literal_or_redirect() {
    static SITE: std::sync::OnceLock<common::FixtureSite> = std::sync::OnceLock::new();
    let site = SITE.get_or_init(|| {
        common::serve_router(|| {
            Router::new()
                .route("/", get(page_pointing_inside))
                .route("/go", axum::routing::any(redirect_inside))
        })
    });
    traps();
    let mut settings = doorbell::audit::AuditSettings::new(site.url("/"));
    settings.crawl.rate = 0.0;
    settings.check_mail_dns = false;
    settings.crawl.http.timeout = Duration::from_secs(3);
    let audit = doorbell::audit::run(settings).await.unwrap();
    let checks: Vec<(String, String)> = audit
        .inventory
        .forms
        .iter()
        .map(|f| {
            let check = f
                .action_check
                .as_ref()
                .expect("every contact form was asked");
            (f.action.clone(), check.error.clone().unwrap_or_default())
        })
        .collect();
    assert_eq!(checks.len(), 3, "{checks:?}");
    for (action, error) in &checks {
        assert!(
            error.contains("a private or local address: not requested"),
            "{action}: {error}"
        );
    }
    assert_eq!(TRAP_HITS.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A contact form whose post answers 307 to a host probes may not reach.
async fn form_posting_elsewhere() -> impl IntoResponse {
    html(
        r#"<html lang="ru"><body><form method="post" action="/send"><h3>Напишите нам</h3><input name="name"><input name="email" type="email"><textarea name="message"></textarea><button>Отправить</button></form></body></html>"#
            .to_string(),
    )
}

async fn temporary_redirect_elsewhere() -> axum::response::Response {
    let (by_name, _) = traps();
    axum::response::Response::builder()
        .status(307)
        .header(
            header::LOCATION,
            format!("http://localhost:{by_name}/collect"),
        )
        .body(axum::body::Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_probe_never_reposts_its_submission_to_a_host_off_the_allowed_ones() {
    static SITE: std::sync::OnceLock<common::FixtureSite> = std::sync::OnceLock::new();
    let site = SITE.get_or_init(|| {
        common::serve_router(|| {
            Router::new()
                .route("/", get(form_posting_elsewhere))
                .route("/send", axum::routing::post(temporary_redirect_elsewhere))
        })
    });
    traps();
    let before = TRAP_HITS.load(std::sync::atomic::Ordering::SeqCst);
    // `localhost` is trusted here (as if given with --allow-host to the crawl), so only the
    // probes' own allowed hosts stand between the submission and the trap.
    let http = doorbell::types::http::HttpSettings {
        trusted_hosts: vec!["127.0.0.1".into(), "localhost".into()],
        timeout: Duration::from_secs(3),
        ..Default::default()
    };
    let allowed = vec!["127.0.0.1".to_string()];
    let client = doorbell::crawl::probe_client(&http, move |host| {
        doorbell::probe::settings::host_allowed(&allowed, host)
    })
    .unwrap();
    let persona = doorbell::probe::settings::Persona {
        name: "Тест Тестов".into(),
        phone: "+7 900 000-00-00".into(),
        email: "probe@example.com".into(),
        plus_addressing: false,
    };
    let page = site.url("/");
    let result = doorbell::probe::submit::submit(
        &client,
        page.as_str(),
        site.url("/send").as_str(),
        &persona,
        "tok123",
        &doorbell::rulebook::BUILTIN.phrases,
        Duration::from_secs(3),
    )
    .await;
    let Err(error) = result else {
        panic!("the redirect was followed");
    };
    let error = error.to_string();
    assert!(
        error.starts_with("redirected off the site to http://localhost:"),
        "{error}"
    );
    assert_eq!(TRAP_HITS.load(std::sync::atomic::Ordering::SeqCst), before);
}
