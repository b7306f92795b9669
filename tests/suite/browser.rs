//! The HTML report opened in a real headless Chromium: what a client sees when the consultant
//! forwards it. The demo's report must render its score, channel matrix, findings and probe
//! charts, quietly (no console error), alone (no network request), without script, on a
//! desktop, on a phone and in print. The hostile site's report must run nothing of what the
//! site tried to smuggle in. Screenshots and the PDF stay in `target/tmp/browser/`.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use base64::Engine as _;
use common::browser::{Browser, Tab};
use doorbell::checks::score;
use doorbell::lang::Lang;
use doorbell::report::{Report, html};
use serde_json::{Value, json};

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

fn set_viewport(browser: &mut Browser, tab: &Tab, width: u32, mobile: bool) {
    browser.call(
        Some(&tab.session),
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile }),
    );
}

/// A full-page PNG of the tab, kept as an artifact of the test run.
fn screenshot(browser: &mut Browser, tab: &Tab, name: &str) -> PathBuf {
    let shot = browser.call(
        Some(&tab.session),
        "Page.captureScreenshot",
        json!({ "format": "png", "captureBeyondViewport": true }),
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    let path = artifacts().join(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
    path
}

/// What the page did on its own while loading: console calls, exceptions, error log
/// entries, scripts parsed, requests other than the report itself.
fn misbehaviour(browser: &Browser, tab: &Tab, report_url: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for method in ["Runtime.consoleAPICalled", "Runtime.exceptionThrown"] {
        for event in browser.events_of(tab, method) {
            seen.push(format!("{method}: {}", event["params"]));
        }
    }
    for event in browser.events_of(tab, "Log.entryAdded") {
        let entry = &event["params"]["entry"];
        if entry["level"] == "error" || entry["level"] == "warning" {
            seen.push(format!("log {}: {}", entry["level"], entry["text"]));
        }
    }
    for event in browser.events_of(tab, "Debugger.scriptParsed") {
        seen.push(format!("script parsed: {}", event["params"]["url"]));
    }
    for event in browser.events_of(tab, "Network.requestWillBeSent") {
        let url = event["params"]["request"]["url"]
            .as_str()
            .unwrap_or_default();
        if url != report_url {
            seen.push(format!("request: {url}"));
        }
    }
    seen
}

/// Opens the report, checks it loaded alone and quietly, and returns the tab.
fn open_quietly(browser: &mut Browser, path: &Path) -> Tab {
    let tab = browser.open_tab();
    set_viewport(browser, &tab, 1100, false);
    let url = file_url(path);
    browser.navigate(&tab, &url);
    // Checked before any evaluation of ours: those would be scripts too.
    let bad = misbehaviour(browser, &tab, &url);
    assert!(bad.is_empty(), "the report misbehaved:\n{}", bad.join("\n"));
    let requests = browser.events_of(&tab, "Network.requestWillBeSent").count();
    assert_eq!(requests, 1, "only the report itself was loaded");
    tab
}

#[test]
fn the_demo_report_renders_in_a_real_browser_quietly_and_alone() {
    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("doorbell-report.html");
    let json_path = dir.path().join("report.json");
    let run = Command::cargo_bin("doorbell")
        .unwrap()
        .current_dir(dir.path())
        .args(["demo", "--lang", "en", "--format", "json", "-o"])
        .arg(&json_path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("doorbell: wrote {} (html)", html_path.display())),
        "the demo says where its report is:\n{stderr}"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();

    let mut browser = Browser::launch();
    let tab = open_quietly(&mut browser, &html_path);

    let shown_score = browser.eval(&tab, "document.querySelector('#score b').textContent");
    assert_eq!(shown_score, json!(report["score"]["value"].to_string()));
    let score_box = browser.eval(
        &tab,
        "document.querySelector('#score').getBoundingClientRect().height",
    );
    assert!(score_box.as_f64().unwrap() > 20.0, "the score is visible");

    let states = browser.eval(
        &tab,
        "[...document.querySelectorAll('#channels tbody tr')].map(r => [r.cells[0].textContent, r.dataset.state])",
    );
    let doors = report["doors"].as_array().unwrap();
    assert_eq!(states.as_array().unwrap().len(), doors.len());
    for (row, door) in states.as_array().unwrap().iter().zip(doors) {
        assert_eq!(row[1], door["state"], "{row} vs {door}");
    }
    let phone_row = &states[0];
    assert_eq!(phone_row[0], "Phone");
    assert_eq!(
        phone_row[1], "broken",
        "the demo's phones include a wrong tel: link"
    );

    // One card per problem, holding each of its rules' findings.
    let cards = browser.eval(
        &tab,
        "[...document.querySelectorAll('#findings article.finding')].filter(a => a.offsetHeight > 0).map(a => [...a.querySelectorAll('.facet')].map(f => f.dataset.rule))",
    );
    let cards: Vec<Vec<String>> = serde_json::from_value(cards).unwrap();
    let mut shown: Vec<&str> = cards.iter().flatten().map(String::as_str).collect();
    let mut expected: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    shown.sort_unstable();
    expected.sort_unstable();
    assert_eq!(shown, expected);
    let problems: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["problem"].as_str().unwrap())
        .collect();
    assert_eq!(cards.len(), problems.len(), "{cards:?}");

    let charts = browser.eval(
        &tab,
        "[...document.querySelectorAll('#probes svg.timeline')].map(s => [Math.round(s.getBoundingClientRect().width), s.querySelectorAll('circle.mark').length, s.querySelectorAll('line[class^=deadline]').length])",
    );
    let charts = charts.as_array().unwrap();
    assert_eq!(charts.len(), report["probes"].as_array().unwrap().len());
    assert!(charts.len() >= 3, "the demo probes three forms");
    for (chart, probe) in charts.iter().zip(report["probes"].as_array().unwrap()) {
        assert!(
            chart[0].as_i64().unwrap() > 500,
            "drawn across the page: {chart}"
        );
        assert!(
            chart[1].as_i64().unwrap() >= 1,
            "at least the sending: {chart}"
        );
        // Only the deadlines that apply: a contact form awaits a confirmation and a reply; a
        // callback form that took no e-mail awaits nothing by mail.
        match (probe["purpose"].as_str(), probe["status"].as_str()) {
            (Some("contact"), _) => assert_eq!(chart[2], 2, "both deadlines: {chart}"),
            (Some("callback"), Some("sent")) => {
                assert_eq!(chart[2], 0, "no mail awaited: {chart}");
            }
            _ => {}
        }
    }
    // The answered probe shows its confirmation and its human reply on the chart.
    let answered = browser.eval(
        &tab,
        "document.querySelector('article.probe[data-status=answered] svg').querySelectorAll('circle.confirmation, circle.human').length",
    );
    assert_eq!(answered, 2);
    let pages = browser.eval(
        &tab,
        "document.querySelectorAll('#inventory article.page').length",
    );
    assert!(
        pages.as_i64().unwrap() >= 5,
        "contacts page by page: {pages}"
    );
    // The demo's journal holds one run: no chart of one point, a sentence instead.
    let history = browser.eval(
        &tab,
        "[document.querySelectorAll('#history article').length, document.querySelectorAll('#history svg').length, document.querySelectorAll('#history .one-run').length]",
    );
    let history: Vec<i64> = serde_json::from_value(history).unwrap();
    assert!(history[0] >= 1, "{history:?}");
    assert_eq!(history[1], 0, "{history:?}");
    assert_eq!(history[2], history[0], "{history:?}");
    // The problems to fix first lead, before the channels, and the kinds of channel the site
    // lacks come after them.
    let order = browser.eval(
        &tab,
        "[...document.querySelectorAll('main > section')].map(s => s.id)",
    );
    assert_eq!(order[0], "first", "{order}");
    let first_rules = browser.eval(&tab, "document.querySelectorAll('#first li').length");
    assert!(first_rules.as_i64().unwrap() >= 1);
    screenshot(&mut browser, &tab, "demo-report.png");

    // On a phone: nothing wider than the screen.
    set_viewport(&mut browser, &tab, 390, true);
    browser.settle(Duration::from_millis(200));
    let overflow = browser.eval(
        &tab,
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "sideways scrolling on a phone: {overflow}px"
    );
    // Nor inside the channel table: each door's findings, broken and probe counts show
    // without scrolling it sideways.
    let table_overflow = browser.eval(
        &tab,
        "(() => { const box = document.querySelector('#channels .scroll'); return box.scrollWidth - box.clientWidth; })()",
    );
    assert!(
        table_overflow.as_i64().unwrap() <= 0,
        "the channel table scrolls sideways on a phone: {table_overflow}px"
    );
    let cells_shown = browser.eval(
        &tab,
        "[...document.querySelectorAll('#channels tbody tr')[0].querySelectorAll('td[data-label]')].filter(td => td.offsetWidth > 0 && td.getBoundingClientRect().right <= document.documentElement.clientWidth).length",
    );
    assert!(
        cells_shown.as_i64().unwrap() >= 4,
        "count, pages, broken and probes of the first door on screen: {cells_shown}"
    );
    // The page-by-page listing is folded: a phone does not scroll through every footer.
    assert_eq!(
        browser.eval(&tab, "document.querySelector('#inventory details').open"),
        false
    );
    screenshot(&mut browser, &tab, "demo-report-phone.png");

    // In print: no navigation, and a PDF comes out.
    browser.call(
        Some(&tab.session),
        "Emulation.setEmulatedMedia",
        json!({ "media": "print" }),
    );
    let nav = browser.eval(
        &tab,
        "getComputedStyle(document.querySelector('nav')).display",
    );
    assert_eq!(nav, "none");
    let pdf = browser.call(
        Some(&tab.session),
        "Page.printToPDF",
        json!({ "printBackground": true }),
    );
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(pdf["data"].as_str().unwrap())
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(artifacts().join("demo-report.pdf"), pdf).unwrap();
}

#[tokio::test]
async fn the_hostile_sites_report_runs_and_loads_nothing_in_a_real_browser() {
    let site = common::static_site("hostile");
    let audit = site.audit("/").await;
    assert!(audit.crawl.pages_ok >= 2, "{:?}", audit.crawl.pages);
    let findings = common::judge(&audit);
    let score = score::score(&audit.inventory, &findings);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.html");
    let page = html::render(&Report::new(audit.site_read(), &findings, &score, Lang::Ru));
    std::fs::write(&path, &page).unwrap();

    let mut browser = Browser::launch();
    let tab = open_quietly(&mut browser, &path);
    assert_eq!(
        browser.eval(&tab, "typeof window.__doorbell_pwned"),
        "undefined"
    );
    assert_eq!(
        browser.eval(
            &tab,
            "document.querySelectorAll('script, iframe, object, embed, img, base, form, input, meta[http-equiv=refresh]').length"
        ),
        0
    );
    assert_eq!(
        browser.eval(
            &tab,
            "[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"
        ),
        0,
        "no event handler attribute"
    );
    let hrefs = browser.eval(
        &tab,
        "[...document.querySelectorAll('[href]')].map(e => e.getAttribute('href')).filter(h => !/^(https?:\\/\\/|#)/.test(h))",
    );
    assert_eq!(
        hrefs,
        json!([]),
        "links go to web pages or within the report"
    );
    // What the site tried to run is there, as text a reader can see.
    let text = browser.eval(&tab, "document.body.innerText");
    let text = text.as_str().unwrap();
    assert!(
        text.contains("<script>window.__doorbell_pwned"),
        "the hostile text is shown, not dropped"
    );
    assert!(
        text.contains("javascript:window.__doorbell_pwned"),
        "{text}"
    );
    screenshot(&mut browser, &tab, "hostile-report.png");
}

/// The watch above is only worth something if it sees misbehaviour: a page that logs, runs a
/// script and fetches a picture must be caught on every count.
#[test]
fn the_browser_watch_catches_a_page_that_runs_and_fetches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.html");
    std::fs::write(
        &path,
        "<!DOCTYPE html><title>bad</title><script>console.error('ran')</script><img src=\"http://127.0.0.1:9/beacon.gif\">",
    )
    .unwrap();
    let mut browser = Browser::launch();
    let tab = browser.open_tab();
    let url = file_url(&path);
    browser.navigate(&tab, &url);
    let seen = misbehaviour(&browser, &tab, &url).join("\n");
    for expected in [
        "Runtime.consoleAPICalled",
        "script parsed",
        "request: http://127.0.0.1:9/beacon.gif",
    ] {
        assert!(seen.contains(expected), "{expected} not seen in:\n{seen}");
    }
}
