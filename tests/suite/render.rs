//! `--render`: the fixture site in `tests/fixtures/render` builds some of its doors with
//! scripts (a phone written by a script, an address assembled from parts, a number swapped by
//! a call-tracking script from the vendor's host — `mod.calltouch.ru`, mapped to loopback with
//! `--resolve` — and one it blanks) and one page tries to reach the auditor's own network. A static audit misses
//! what the scripts build; a rendered one, in a real headless Chromium, finds it and says how
//! each point was seen. Everything on loopback.

use crate::common;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use assert_cmd::Command;
use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use doorbell::audit::{self, Audit, AuditSettings};
use doorbell::inventory::Inventory;
use doorbell::render::RenderSettings;
use doorbell::rulebook::Severity;
use doorbell::types::contact::Seen;
use doorbell::types::render::{RenderMode, RenderReason, ShotView};
use serde_json::Value;

/// A listener on another loopback address than the site's, counting the connections a
/// rendered page manages to open to it: there must be none.
struct Trap {
    addr: SocketAddr,
    hits: Arc<AtomicUsize>,
}

impl Trap {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.2:0").expect("bind 127.0.0.2");
        let addr = listener.local_addr().expect("trap address");
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                counted.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut stream) = stream {
                    use std::io::Read;
                    stream
                        .set_read_timeout(Some(Duration::from_millis(500)))
                        .ok();
                    let mut buf = [0u8; 200];
                    let n = stream.read(&mut buf).unwrap_or(0);
                    eprintln!("TRAP: {:?}", String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        Self { addr, hits }
    }
}

struct Site {
    addr: SocketAddr,
    trap: Trap,
}

/// The fixture folder served on a free loopback port, with the trap's address written in.
fn site() -> &'static Site {
    static SITE: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let trap = Trap::start();
        let trap_addr = trap.addr;
        let served = common::on_own_runtime(move || async move {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            let addr = listener.local_addr().expect("address");
            let app = Router::new()
                .fallback(move |uri: Uri| async move { serve_file(&root, &uri, trap_addr, addr) });
            tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
            common::FixtureSite { addr }
        });
        Site {
            addr: served.addr,
            trap,
        }
    })
}

/// A fixture file with the trap's and the site's own address written in.
fn serve_file(root: &std::path::Path, uri: &Uri, trap: SocketAddr, site: SocketAddr) -> Response {
    let mut path = uri.path().trim_start_matches('/').to_string();
    if path.is_empty() {
        path.push_str("index.html");
    }
    if path.contains("..") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    match std::fs::read_to_string(root.join(&path)) {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                if path.ends_with(".js") {
                    "text/javascript"
                } else {
                    "text/html; charset=utf-8"
                },
            )],
            text.replace("TRAP_HOST", &trap.to_string())
                .replace("TRAP_PORT", &trap.port().to_string())
                .replace("SITE_PORT", &site.port().to_string()),
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn settings(mode: RenderMode) -> AuditSettings {
    let site = site();
    let start = url::Url::parse(&format!("http://{}/", site.addr)).expect("url");
    let mut settings = AuditSettings::new(start);
    settings.crawl.rate = 0.0;
    settings.crawl.http.timeout = Duration::from_secs(5);
    settings.region = rlibphonenumber::Region::from_code("RU").ok();
    settings.check_mail_dns = false;
    settings.check_actions = false;
    // The call-tracking vendor's host is this machine.
    settings
        .crawl
        .http
        .resolve
        .push(("mod.calltouch.ru".into(), "127.0.0.1".parse().unwrap()));
    // So is the chat vendor's.
    settings
        .crawl
        .http
        .resolve
        .push(("code.jivo.ru".into(), "127.0.0.1".parse().unwrap()));
    settings.render = RenderSettings {
        mode,
        ..RenderSettings::default()
    };
    settings
}

async fn audit(mode: RenderMode) -> Audit {
    audit::run(settings(mode)).await.expect("audit runs")
}

fn phone_seen(inventory: &Inventory, e164: &str) -> Option<Seen> {
    inventory
        .phones
        .iter()
        .find(|p| p.e164.as_deref() == Some(e164))
        .map(|p| p.seen)
}

#[tokio::test]
async fn the_browser_finds_what_scripts_build_and_says_how_each_point_was_seen() {
    let served = audit(RenderMode::Never).await;
    assert!(
        served.crawl.render.is_none(),
        "nothing rendered when not asked"
    );
    assert_eq!(phone_seen(&served.inventory, "+74950000022"), None);
    assert!(
        served.inventory.emails.is_empty(),
        "the cloaked address is not in the HTML"
    );
    assert_eq!(
        phone_seen(&served.inventory, "+74950000011"),
        Some(Seen::Static)
    );

    let rendered = audit(RenderMode::Always).await;
    let summary = rendered.crawl.render.as_ref().expect("a render summary");
    assert!(summary.error.is_none(), "{:?}", summary.error);
    assert_eq!(
        summary.pages.len(),
        8,
        "{:?} {:?}",
        summary.pages,
        summary.failed
    );
    assert!(summary.browser.as_deref().unwrap_or_default().contains('/'));
    let inv = &rendered.inventory;
    // In the served HTML and in the browser alike.
    assert_eq!(phone_seen(inv, "+74950000011"), Some(Seen::Both));
    // Written by a script: only the browser sees it.
    assert_eq!(phone_seen(inv, "+74950000022"), Some(Seen::Rendered));
    // Call tracking: the served number is gone from the page visitors see, another stands
    // in its place.
    assert_eq!(phone_seen(inv, "+74950000033"), Some(Seen::Static));
    assert_eq!(phone_seen(inv, "+74950000044"), Some(Seen::Rendered));
    let email = inv
        .emails
        .iter()
        .find(|e| e.address == "sales@example.com")
        .expect("the assembled address");
    assert_eq!(email.seen, Seen::Rendered);
    assert!(email.clickable);
    assert!(email.pages.iter().all(|p| p.seen == Seen::Rendered));
    // A page sighting says how it was seen on that page.
    let footer_phone = inv
        .phones
        .iter()
        .find(|p| p.e164.as_deref() == Some("+74950000011"))
        .unwrap();
    assert!(footer_phone.pages.iter().all(|p| p.seen == Seen::Both));
}

#[tokio::test]
async fn a_number_call_tracking_replaces_is_reported_with_both_numbers_and_the_script() {
    let rendered = audit(RenderMode::Always).await;
    let findings: Vec<_> = common::judge(&rendered)
        .into_iter()
        .filter(|f| f.rule == "phone.replaced-by-script")
        .collect();
    let swapped = findings
        .iter()
        .find(|f| f.evidence.contains("000-00-33"))
        .expect("the swapped number is reported");
    assert_eq!(swapped.severity, Severity::Notice);
    assert!(
        swapped.evidence.contains("+7 495 000-00-44") && swapped.evidence.contains("Calltouch"),
        "{}",
        swapped.evidence
    );
    assert!(
        swapped.urls.iter().all(|u| u.ends_with('/')),
        "{:?}",
        swapped.urls
    );
    let blanked = findings
        .iter()
        .find(|f| f.evidence.contains("000-00-55"))
        .expect("the blanked number is reported");
    assert_eq!(
        blanked.severity,
        Severity::Error,
        "nothing shown in its place"
    );
    assert!(blanked.urls.iter().all(|u| u.ends_with("/dostavka.html")));
    assert_eq!(findings.len(), 2, "{findings:#?}");
    // The inventory keeps the number visitors see beside the served one.
    assert!(rendered.inventory.phone_replacements.iter().any(|r| {
        r.served_e164.as_deref() == Some("+74950000033")
            && r.shown_e164.as_deref() == Some("+74950000044")
            && r.scripts == ["Calltouch"]
    }));

    // The served HTML alone shows no replacement.
    let served = audit(RenderMode::Never).await;
    assert!(served.inventory.phone_replacements.is_empty());
}

#[tokio::test]
async fn a_chat_whose_loader_fails_is_reported_and_one_that_draws_its_button_is_not() {
    let rendered = audit(RenderMode::Auto).await;
    let summary = rendered.crawl.render.as_ref().expect("a render summary");
    for page in ["/chat.html", "/chat-dead.html"] {
        assert!(
            summary
                .pages
                .iter()
                .any(|(url, reason)| url.ends_with(page) && *reason == RenderReason::Widget),
            "{page} not rendered for its widget: {:?}",
            summary.pages
        );
    }
    let findings: Vec<_> = common::judge(&rendered)
        .into_iter()
        .filter(|f| f.rule == "widget.not-loading")
        .collect();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let dead = &findings[0];
    assert_eq!(dead.severity, Severity::Error);
    assert_eq!(dead.urls.len(), 1);
    assert!(dead.urls[0].ends_with("/chat-dead.html"), "{:?}", dead.urls);
    assert!(
        dead.evidence.contains("removed.js") && dead.evidence.contains("404"),
        "{}",
        dead.evidence
    );

    // Without the browser nothing can tell.
    let served = audit(RenderMode::Never).await;
    assert!(served.inventory.widget_failures.is_empty());
}

#[tokio::test]
async fn on_a_phone_a_contact_page_with_no_door_in_reach_and_tiny_links_is_reported() {
    let rendered = audit(RenderMode::Auto).await;
    let screens = &rendered.inventory.phone_screens;
    let page = |suffix: &str| screens.iter().find(|s| s.page.ends_with(suffix));
    let mobile = page("/kontakty-mobile.html").expect("the contact page on a phone");
    assert_eq!(
        (mobile.doors, mobile.doors_in_first_screen),
        (2, 0),
        "{mobile:?}"
    );
    let small: Vec<(&str, u32)> = mobile
        .small_targets
        .iter()
        .map(|t| (t.href.as_str(), t.height))
        .collect();
    assert_eq!(
        small,
        [("tel:+74950000066", 12), ("https://wa.me/74950000066", 12)],
        "{mobile:?}"
    );
    // The start page has its phone in the header: within reach, and alone enough to tap.
    let home = page("/")
        .filter(|s| !s.page.ends_with(".html"))
        .expect("the start page on a phone");
    assert!(
        home.doors_in_first_screen > 0 && home.small_targets.is_empty(),
        "{home:?}"
    );

    let findings = common::judge(&rendered);
    let of = |rule: &str| -> Vec<&doorbell::checks::Finding> {
        findings.iter().filter(|f| f.rule == rule).collect()
    };
    let first_screen = of("mobile.no-contact-first-screen");
    assert_eq!(first_screen.len(), 1, "{first_screen:#?}");
    assert!(first_screen[0].urls[0].ends_with("/kontakty-mobile.html"));
    let tiny = of("mobile.tap-target-small");
    assert_eq!(tiny.len(), 2, "{tiny:#?}");
    assert!(tiny.iter().all(|f| f.urls == [mobile.page.clone()]));
    assert!(
        tiny.iter()
            .any(|f| f.evidence.starts_with("12") || f.evidence.contains("×12 px"))
    );

    // The report pictures the start page's first screens and the tiny links, inside the page.
    let shots = &rendered.crawl.render.as_ref().unwrap().screenshots;
    let view_of = |view: ShotView, page: &str| {
        shots
            .iter()
            .find(|s| s.view == view && s.page == page)
            .unwrap_or_else(|| panic!("no {view:?} screenshot of {page}: {shots:?}"))
    };
    for shot in [
        view_of(ShotView::Desktop, &rendered.start_url),
        view_of(ShotView::Phone, &rendered.start_url),
        view_of(ShotView::Door, &mobile.page),
    ] {
        let png = base64::engine::general_purpose::STANDARD
            .decode(&shot.png_base64)
            .expect("base64");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        // Kept as artifacts of the run, to look at.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("render");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("{:?}.png", shot.view).to_lowercase()),
            &png,
        )
        .unwrap();
        assert!(shot.png_base64.len() <= doorbell::render::shots::MAX_SHOT_BYTES);
    }
    let score = doorbell::checks::score::score(&rendered.inventory, &findings);
    let report = doorbell::report::html::render(&doorbell::report::Report::new(
        rendered.site_read(),
        &findings,
        &score,
        doorbell::lang::Lang::En,
    ));
    assert!(report.contains(r#"<section id="browser">"#));
    assert_eq!(
        report.matches("data:image/png;base64,").count(),
        shots.len(),
        "every screenshot in the one file"
    );
}

#[tokio::test]
async fn auto_renders_the_contact_page_and_the_pages_scripts_build() {
    let audit = audit(RenderMode::Auto).await;
    let summary = audit.crawl.render.as_ref().expect("a render summary");
    let reason_of = |suffix: &str| {
        summary
            .pages
            .iter()
            .find(|(url, _)| url.ends_with(suffix))
            .map(|(_, reason)| *reason)
    };
    assert_eq!(reason_of("/kontakty.html"), Some(RenderReason::ContactPage));
    assert_eq!(reason_of("/"), Some(RenderReason::CallTracking));
    assert_eq!(
        reason_of("/plain.html"),
        None,
        "a page with no script is not rendered"
    );
    assert!(
        audit
            .inventory
            .emails
            .iter()
            .any(|e| e.address == "sales@example.com")
    );
}

/// A site drawn by its script: the served start page is an empty shell, its menu — and the
/// only link to the contact page — exists in the browser alone. `auto` renders the start page,
/// follows the contact link only the rendered page has, and finds the number there.
#[tokio::test]
async fn a_contact_page_only_the_rendered_menu_links_to_is_followed_and_read() {
    let spa_settings = |mode| {
        let mut settings = settings(mode);
        settings.crawl.start = settings.crawl.start.join("/spa.html").unwrap();
        settings
    };
    let served = audit::run(spa_settings(RenderMode::Never)).await.unwrap();
    assert_eq!(served.crawl.pages.len(), 1, "the shell links nowhere");
    assert_eq!(phone_seen(&served.inventory, "+74950000077"), None);
    let rendered = audit::run(spa_settings(RenderMode::Auto)).await.unwrap();
    let summary = rendered.crawl.render.as_ref().expect("a render summary");
    let followed: Vec<_> = summary
        .pages
        .iter()
        .filter(|(_, reason)| *reason == RenderReason::RenderedLink)
        .map(|(url, _)| url.as_str())
        .collect();
    assert_eq!(followed.len(), 1, "{:?}", summary.pages);
    assert!(followed[0].ends_with("/spa-kontakty.html"));
    assert_eq!(
        phone_seen(&rendered.inventory, "+74950000077"),
        Some(Seen::Rendered)
    );
    let contact_page = rendered
        .inventory
        .pages
        .iter()
        .find(|p| p.url.ends_with("/spa-kontakty.html"))
        .expect("the followed page is listed");
    assert!(contact_page.contact_page);
}

#[tokio::test]
async fn a_rendered_page_cannot_reach_the_auditors_own_network() {
    let site = site();
    let audit = audit(RenderMode::Always).await;
    let summary = audit.crawl.render.as_ref().expect("a render summary");
    assert_eq!(
        site.trap.hits.load(Ordering::SeqCst),
        0,
        "a request reached the trap"
    );
    let blocked: Vec<&str> = summary.blocked.iter().map(|b| b.url.as_str()).collect();
    for path in ["/steal", "/xhr", "/frame.html", "/from-localhost.js"] {
        assert!(
            blocked.iter().any(|url| url.contains(path)),
            "{path} not among the refused: {blocked:?}"
        );
    }
    assert!(
        summary
            .blocked
            .iter()
            .all(|b| b.page.ends_with("/hostile.html") && b.reason.contains("private"))
    );
    // The image was not even asked for: images are never fetched while rendering.
    assert!(!blocked.iter().any(|url| url.contains("pixel.png")));
}

#[test]
fn without_a_browser_the_audit_says_so_and_goes_on_with_the_served_html() {
    let site = site();
    let output = Command::cargo_bin("doorbell")
        .expect("binary")
        .args([
            "audit",
            &format!("http://{}/", site.addr),
            "--render",
            "always",
            "--chromium",
            "/nonexistent/chromium",
            "--region",
            "RU",
            "--rate",
            "0",
            "--no-mail-dns",
            "--format",
            "json",
            "--fail-on",
            "never",
            "-q",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let error = report["crawl"]["render"]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("/nonexistent/chromium"), "{error}");
    let phones = report["inventory"]["phones"].as_array().expect("phones");
    assert!(
        phones
            .iter()
            .any(|p| p["e164"] == "+74950000011" && p["seen"] == "static")
    );
}
