//! Portfolio benchmark: N generated company sites (each on its own loopback port, PAGES pages
//! with contacts in the header and footer, a contact page with a form) served by a child
//! process, audited in this process by `doorbell audit --sites` exactly as the command line
//! runs it; prints sites/minute, pages/s and peak RSS.
//!
//!     cargo run --release --example portfolio_bench -- [SITES] [PAGES] [PARALLEL]
//!
//! The servers run in a child process so the peak memory printed is doorbell's alone.

#[path = "support/rss.rs"]
mod rss;

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use clap::Parser as _;

fn page(site: usize, pages: usize, n: usize) -> String {
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Компания {site} — страница {n}</title></head><body>\
         <header><a href=\"tel:+7495{site:07}\">+7 495 {site:07}</a> <a href=\"/kontakty\">Контакты</a></header><nav>"
    );
    for i in 0..pages {
        let _ = write!(html, "<a href=\"/p/{i}\">Раздел {i}</a> ");
    }
    html.push_str("</nav><main>");
    for paragraph in 0..12 {
        let _ = write!(
            html,
            "<p>Компания {site} делает ремонт и доставку, раздел {n}, абзац {paragraph}: гарантия, сервис, мастер, запчасти, быстро и недорого.</p>"
        );
    }
    html.push_str(
        "</main><footer><a href=\"mailto:info@example.com\">info@example.com</a> \
         <a href=\"https://wa.me/79000000000\">WhatsApp</a> Пн–Пт 9:00–18:00</footer></body></html>",
    );
    html
}

fn contacts(site: usize) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Контакты</title></head><body>\
         <h1>Контакты</h1><p>Телефон: <a href=\"tel:+7495{site:07}\">+7 495 {site:07}</a></p>\
         <address>г. Москва, ул. Примерная, д. {site}</address>\
         <form action=\"/send\" method=\"post\"><label>Имя <input name=\"name\"></label>\
         <label>Телефон <input type=\"tel\" name=\"phone\"></label><button>Перезвоните мне</button></form></body></html>"
    )
}

fn serve(sites: usize, pages: usize) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        for site in 0..sites {
            let app = Router::new()
                .route(
                    "/",
                    get(|State((s, p)): State<(usize, usize)>| async move {
                        (
                            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                            page(s, p, 0),
                        )
                    }),
                )
                .route(
                    "/p/{n}",
                    get(
                        |State((s, p)): State<(usize, usize)>, Path(n): Path<usize>| async move {
                            (
                                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                                page(s, p, n),
                            )
                                .into_response()
                        },
                    ),
                )
                .route(
                    "/kontakty",
                    get(|State((s, _)): State<(usize, usize)>| async move {
                        (
                            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                            contacts(s),
                        )
                    }),
                )
                .with_state((site, pages));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            println!("http://{}/", listener.local_addr().expect("addr"));
            tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        }
        println!();
        std::future::pending::<()>().await;
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--serve") {
        serve(
            args[2].parse().expect("sites"),
            args[3].parse().expect("pages"),
        );
        return;
    }
    let number = |i: usize, default: usize| {
        args.get(i)
            .map_or(default, |a| a.parse().expect("a number"))
    };
    let (sites, pages, parallel) = (number(1, 200), number(2, 10), number(3, 8));
    let mut server = Command::new(std::env::current_exe().expect("own path"))
        .args(["--serve", &sites.to_string(), &pages.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the servers");
    let mut list = String::new();
    for line in BufReader::new(server.stdout.take().expect("stdout")).lines() {
        let line = line.expect("an address");
        if line.is_empty() {
            break;
        }
        list.push_str(&line);
        list.push('\n');
    }
    let dir = tempfile::tempdir().expect("scratch dir");
    let sites_file = dir.path().join("sites.txt");
    std::fs::write(&sites_file, list).expect("write the list");
    let reports = dir.path().join("reports");
    let cli = doorbell::cli::Cli::parse_from([
        "doorbell".to_string(),
        "audit".into(),
        "--sites".into(),
        sites_file.display().to_string(),
        "--parallel".into(),
        parallel.to_string(),
        "--rate".into(),
        "0".into(),
        "--no-mail-dns".into(),
        "-q".into(),
        "--fail-on".into(),
        "never".into(),
        "--reports".into(),
        reports.display().to_string(),
        "-o".into(),
        dir.path().join("out.json").display().to_string(),
    ]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let exit = runtime.block_on(doorbell::app::run(cli));
    let elapsed = started.elapsed();
    let _ = server.kill();
    let _ = server.wait();
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("summary.json")).expect("summary"),
    )
    .expect("summary parses");
    let rows = summary["sites"].as_array().expect("sites");
    let ok = rows.iter().filter(|r| r["status"] == "ok").count();
    let pages_read: u64 = rows.iter().filter_map(|r| r["pages_ok"].as_u64()).sum();
    println!(
        "{ok}/{} sites read ({pages_read} pages) in {:.1} s: {:.0} sites/min, {:.0} pages/s, peak RSS {:.1} MB, parallel {parallel}, exit {exit:?}",
        rows.len(),
        elapsed.as_secs_f64(),
        rows.len() as f64 * 60.0 / elapsed.as_secs_f64(),
        pages_read as f64 / elapsed.as_secs_f64(),
        rss::peak_rss_mb(),
    );
}
