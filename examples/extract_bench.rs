//! Extraction alone, without the network: every extractor over the HTML files of a folder
//! (the shared benchmark's generated site, say), to see what a change to an extractor costs.
//!
//! cargo run --release --example extract_bench -- /tmp/crawlbench/sites/10000 [ROUNDS] [WHAT]
//!
//! WHAT is `all` (the default: what a crawl does to a page), `parse` (html5ever's parse into
//! scraper's tree, nothing after it) or `tokenize` (html5ever's tokenizer alone, its tokens
//! dropped): what any extraction built on the standard's parser pays before it reads a word.

#[path = "support/tokens.rs"]
mod tokens;

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

/// Counts a page's tokens, building nothing from them.
fn tokens_of(page: &str) -> usize {
    use html5ever::tokenizer::{Token, TokenSink, TokenSinkResult};
    struct Counter(std::cell::Cell<usize>);
    impl TokenSink for Counter {
        type Handle = ();
        fn process_token(&self, _token: Token, _line: u64) -> TokenSinkResult<()> {
            self.0.set(self.0.get() + 1);
            TokenSinkResult::Continue
        }
    }
    tokens::tokenize(Counter(std::cell::Cell::new(0)), page, |sink| sink.0.get())
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
    let what = args.get(3).map_or("all", String::as_str);
    let url = url::Url::parse("http://127.0.0.1/").expect("url");
    let extractor = Extractor::new(&BUILTIN, None);
    for round in 1..=rounds {
        let start = Instant::now();
        let mut points = 0;
        for page in &pages {
            points += match what {
                "all" => {
                    let found = extractor.page(page, &url);
                    found.phones.len() + found.emails.len() + found.addresses.len()
                }
                "parse" => scraper::Html::parse_document(page).tree.nodes().count(),
                "tokenize" => tokens_of(page),
                _ => panic!("WHAT is all, parse or tokenize"),
            };
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
