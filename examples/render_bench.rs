//! `--render` benchmark: a generated site of PAGES pages, each with a phone its script writes,
//! served on loopback in this process and audited with `--render always` through headless
//! Chromium, CONCURRENCY tabs at once. Prints rendered pages/s, doorbell's own peak RSS and
//! the browser's peak memory (the proportional set size of every process under this one,
//! sampled every 50 ms, so pages shared between Chromium's processes count once).
//!
//!     cargo run --release --example render_bench -- [PAGES] [CONCURRENCY]

#[path = "support/rss.rs"]
mod rss;

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use doorbell::audit::{self, AuditSettings};
use doorbell::render::RenderSettings;
use doorbell::types::render::RenderMode;

fn page(pages: usize, n: usize) -> String {
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Страница {n}</title></head><body>\
         <header><a href=\"tel:+74950000011\">+7 495 000-00-11</a></header><nav>"
    );
    for i in 0..pages.min(30) {
        let _ = write!(
            html,
            "<a href=\"/p/{}\">Раздел {i}</a> ",
            (n + i + 1) % pages
        );
    }
    html.push_str("</nav><main>");
    for paragraph in 0..20 {
        let _ = write!(
            html,
            "<p>Раздел {n}, абзац {paragraph}: окна, двери, замер, доставка и монтаж, гарантия пять лет.</p>"
        );
    }
    let _ = write!(
        html,
        "<p id=\"sales\"></p></main><script>document.getElementById('sales').innerHTML = \
         '<a href=\"tel:+7495000{n:04}\">+7 495 000-{n:04}</a>';</script></body></html>"
    );
    html
}

async fn serve(pages: usize) -> std::net::SocketAddr {
    let app = Router::new()
        .route(
            "/",
            get(|State(pages): State<usize>| async move { html(page(pages, 0)) }),
        )
        .route(
            "/p/{n}",
            get(
                |State(pages): State<usize>, Path(n): Path<usize>| async move {
                    html(page(pages, n % pages))
                },
            ),
        )
        .with_state(pages);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn html(body: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body)
}

/// The proportional set size of every descendant of this process, in KB.
fn descendants_pss_kb() -> u64 {
    let me = std::process::id();
    let mut parent_of = std::collections::HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command's closing parenthesis: state, ppid, …
        let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        parent_of.insert(pid, ppid);
    }
    let under_me = |mut pid: u32| {
        while let Some(&parent) = parent_of.get(&pid) {
            if parent == me {
                return true;
            }
            pid = parent;
        }
        false
    };
    parent_of
        .keys()
        .filter(|pid| under_me(**pid))
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
        .filter_map(|text| {
            text.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .sum()
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let pages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let addr = serve(pages).await;

    let peak_browser_kb = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak_browser_kb.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(descendants_pss_kb(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };

    let mut settings = AuditSettings::new(url::Url::parse(&format!("http://{addr}/")).unwrap());
    settings.crawl.rate = 0.0;
    settings.crawl.max_pages = pages;
    settings.check_mail_dns = false;
    settings.check_actions = false;
    settings.render = RenderSettings {
        mode: RenderMode::Always,
        concurrency,
        max_pages: pages,
        ..RenderSettings::default()
    };
    let started = Instant::now();
    let audit = audit::run(settings).await.expect("audit runs");
    let wall = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();

    let render = audit.crawl.render.expect("a render summary");
    if let Some(error) = &render.error {
        eprintln!("not rendered: {error}");
        std::process::exit(1);
    }
    let rendered = render.pages.len();
    let render_s = render.duration_ms as f64 / 1000.0;
    let scripted = audit
        .inventory
        .phones
        .iter()
        .filter(|p| p.seen == doorbell::types::contact::Seen::Rendered)
        .count();
    println!(
        "{} | {pages} pages, {concurrency} tabs: {rendered} rendered ({} failed) in {render_s:.1} s \
         = {:.1} rendered pages/s; whole audit {wall:.1} s; phones only scripts show: {scripted}; \
         doorbell peak RSS {:.0} MB; browser peak PSS {:.0} MB",
        render.browser.unwrap_or_default(),
        render.failed.len(),
        rendered as f64 / render_s.max(0.001),
        rss::peak_rss_mb(),
        peak_browser_kb.load(Ordering::Relaxed) as f64 / 1024.0,
    );
}
