//! Extraction alone, without the network: every extractor over the HTML files of a folder
//! (the shared benchmark's generated site, say), to see what a change to an extractor costs.
//!
//! cargo run --release --example extract_bench -- /tmp/crawlbench/sites/10000 [ROUNDS]

use std::path::{Path, PathBuf};
use std::time::Instant;

use doorbell::extract::Extractor;
use doorbell::rulebook::BUILTIN;

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).expect("usage: extract_bench DIR [ROUNDS]"));
    let rounds: usize = args
        .get(2)
        .map_or(3, |r| r.parse().expect("ROUNDS is a number"));
    let mut files = Vec::new();
    html_files(&dir, &mut files);
    files.sort();
    let pages: Vec<String> = files
        .iter()
        .map(|f| {
            // Checked as the crawl checks a body (`crawl::decode`): std's lossy decoding walks
            // Cyrillic a character at a time and was 8% of a page's instructions here.
            let bytes = std::fs::read(f).expect("readable file");
            simdutf8::basic::from_utf8(&bytes).map_or_else(
                |_| String::from_utf8_lossy(&bytes).into_owned(),
                str::to_owned,
            )
        })
        .collect();
    let url = url::Url::parse("http://127.0.0.1/").expect("url");
    let extractor = Extractor::new(&BUILTIN, None);
    for round in 1..=rounds {
        let start = Instant::now();
        let mut points = 0;
        for page in &pages {
            let found = extractor.page(page, &url);
            points += found.phones.len() + found.emails.len() + found.addresses.len();
        }
        let elapsed = start.elapsed();
        println!(
            "round {round}: {} pages in {:.2} s, {:.3} ms a page, {points} points",
            pages.len(),
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1000.0 / pages.len() as f64
        );
    }
}
