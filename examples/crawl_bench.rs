//! Crawl benchmark: a generated company site of N pages (20–60 KB each, ~20 links each,
//! contacts in every header and footer) served over real HTTP on 127.0.0.1 by a child
//! process, crawled in this process with full extraction, then judged by every rule and
//! serialised as the JSON report; prints pages/s, peak RSS and CPU milliseconds a page — the
//! figures of the shared benchmark and the README.
//!
//!     cargo run --release --example crawl_bench -- [PAGES] [CONCURRENCY]
//!     cargo run --release --example crawl_bench -- 10000 16 --site http://127.0.0.1:8089/
//!
//! `--site` crawls a site already served on loopback instead (the shared benchmark's nginx,
//! `../shared/bench/serve.sh start 10000`). The generated site's server runs in a child
//! process, so the memory and CPU printed are the crawler's alone.
//!
//! `--floor fetch|tokenize|parse` crawls the same pages with doorbell's crawler but reads only
//! their links — from the bytes, from html5ever's tokens, or from the parsed tree — and runs no
//! extractor, rule or report: what the fetch and the parser cost on this machine, the floor
//! under the full audit's CPU a page (`support/floor.rs`).

#[path = "support/floor.rs"]
mod floor;
#[path = "support/rss.rs"]
mod rss;
#[path = "support/tokens.rs"]
mod tokens;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const WORDS: &[&str] = &[
    "ремонт",
    "кофемашин",
    "доставка",
    "гарантия",
    "сервис",
    "мастер",
    "запчасти",
    "чистка",
    "coffee",
    "machine",
    "repair",
    "service",
    "warranty",
    "delivery",
    "parts",
    "descaling",
    "быстро",
    "недорого",
    "качественно",
    "Москва",
    "офис",
    "склад",
    "каталог",
    "новости",
];

/// A small deterministic generator, so every run serves the same site.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

fn page(i: u64, pages: u64) -> String {
    let mut html = String::with_capacity(64 * 1024);
    html.push_str(&format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Страница {i}</title>\
         <script src=\"//code.jivosite.com/widget/BENCH\" async></script></head><body>\
         <header><a href=\"/\">Пример</a> <a href=\"tel:+74950000000\">+7 (495) 000-00-00</a>\
         <nav><a href=\"/p/0\">Главная</a> <a href=\"/kontakty\">Контакты</a></nav></header><main>"
    ));
    let target = 20_000 + (mix(i) % 40_000) as usize;
    let mut n = i;
    let mut links = 0;
    while html.len() < target {
        n = mix(n + 1);
        html.push_str("<p>");
        for w in 0..(40 + n % 60) {
            html.push_str(WORDS[((n >> (w % 48)) as usize + w as usize) % WORDS.len()]);
            html.push(' ');
        }
        html.push_str("</p>\n");
        if links < 20 {
            let to = mix(n) % pages;
            html.push_str(&format!(
                "<ul><li><a href=\"/p/{to}\">Раздел {to}</a></li></ul>\n"
            ));
            links += 1;
        }
    }
    html.push_str(
        "</main><footer><p>Телефон: <a href=\"tel:+74950000000\">+7 (495) 000-00-00</a>, \
         <a href=\"mailto:info@example.com\">info@example.com</a>, \
         <a href=\"https://wa.me/79000000000\">WhatsApp</a></p>\
         <address>123456, г. Москва, ул. Примерная, д. 1, офис 2</address>\
         <p>Пн–Пт 9:00–18:00</p></footer></body></html>",
    );
    html
}

fn serve(pages: u64) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    runtime.block_on(async move {
        let app = Router::new()
            .route(
                "/p/{n}",
                get(move |Path(n): Path<u64>| async move {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        page(n % pages, pages),
                    )
                        .into_response()
                }),
            )
            .route(
                "/kontakty",
                get(move || async move {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        page(1, pages),
                    )
                }),
            )
            .route(
                "/",
                get(move || async move {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        page(0, pages),
                    )
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!("{}", listener.local_addr().expect("addr"));
        axum::serve(listener, app).await.expect("serve");
    });
}

fn main() {
    doorbell::allocator::tune();
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--serve") {
        serve(args[2].parse().expect("pages"));
        return;
    }
    let pages: u64 = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .map_or(10_000, |a| a.parse().expect("PAGES is a number"));
    let concurrency: usize = args
        .get(2)
        .filter(|a| !a.starts_with("--"))
        .map_or(16, |a| a.parse().expect("CONCURRENCY is a number"));
    let site = args
        .iter()
        .position(|a| a == "--site")
        .map(|at| args.get(at + 1).expect("--site URL").clone());
    let floor = args
        .iter()
        .position(|a| a == "--floor")
        .map(|at| floor::Floor::from_arg(args.get(at + 1).expect("--floor WHAT")));
    let mut server = None;
    let start = match site {
        Some(site) => url::Url::parse(&site).expect("--site is a URL"),
        None => {
            let mut child = Command::new(std::env::current_exe().expect("own path"))
                .args(["--serve", &pages.to_string()])
                .stdout(Stdio::piped())
                .spawn()
                .expect("start the server");
            let mut addr = String::new();
            BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut addr)
                .expect("server address");
            server = Some(child);
            url::Url::parse(&format!("http://{}/", addr.trim())).expect("url")
        }
    };

    let mut settings = doorbell::audit::AuditSettings::new(start);
    settings.crawl.max_pages = usize::try_from(pages).expect("fits");
    settings.crawl.max_depth = 1000;
    settings.crawl.concurrency = concurrency;
    settings.crawl.rate = 0.0;
    settings.crawl.http.timeout = Duration::from_secs(30);
    // Everything stays on loopback: no lookups of example.com.
    settings.check_mail_dns = false;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    if let Some(floor) = floor {
        let summary = runtime
            .block_on(doorbell::crawl::crawl(
                settings.crawl_settings(),
                move |url: &url::Url, html: String| doorbell::crawl::Processed {
                    links: floor.links(&html, url),
                    output: (),
                    cut: Vec::new(),
                },
                |_, _| {},
            ))
            .expect("crawl runs");
        stop(server);
        print_figures(
            started.elapsed(),
            summary.pages_ok,
            summary.pages_failed,
            "",
        );
        return;
    }
    let audit = runtime
        .block_on(doorbell::audit::run(settings))
        .expect("audit runs");
    let site = doorbell::checks::Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let findings = doorbell::checks::run(
        &site,
        &doorbell::rulebook::Catalogue::builtin(),
        &doorbell::checks::RuleChoices::default(),
    );
    let score = doorbell::checks::score::score(&audit.inventory, &findings);
    let report = doorbell::report::Report::new(
        audit.site_read(),
        &findings,
        &score,
        doorbell::lang::Lang::En,
    );
    serde_json::to_writer(std::io::sink(), &report).expect("report serialises");
    let elapsed = started.elapsed();
    stop(server);
    let found = format!(
        ", phones {}, emails {}",
        audit.inventory.phones.len(),
        audit.inventory.emails.len()
    );
    print_figures(
        elapsed,
        audit.crawl.pages_ok,
        audit.crawl.pages_failed,
        &found,
    );
}

fn stop(server: Option<std::process::Child>) {
    if let Some(mut server) = server {
        let _ = server.kill();
        let _ = server.wait();
    }
}

fn print_figures(elapsed: Duration, ok: usize, failed: usize, found: &str) {
    println!(
        "pages read: {ok} (failed {failed}), {:.1} s, {:.0} pages/s, peak RSS {:.1} MB, CPU {:.2} ms a page, {} minor page faults{found}",
        elapsed.as_secs_f64(),
        ok as f64 / elapsed.as_secs_f64(),
        rss::peak_rss_mb(),
        rss::cpu_seconds() * 1000.0 / ok.max(1) as f64,
        rss::minor_faults(),
    );
}
