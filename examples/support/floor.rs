//! The crawl with less than doorbell does to a page: what the crawler and the parser cost on
//! this machine before any extractor runs, to set the full audit's figures against.
//!
//! Each floor finds the page's links the cheapest way its step allows, so the crawl still
//! reaches every page: `fetch` by a byte search for `href="` (no parse), `tokenize` from
//! html5ever's tokenizer's tags (no tree), `parse` from the page's tree (scraper's, built by
//! `doorbell::extract::parse::document` as for the extractors' walk, then only its links read).

use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};
use url::Url;

#[derive(Clone, Copy)]
pub enum Floor {
    Fetch,
    Tokenize,
    Parse,
}

impl Floor {
    pub fn from_arg(arg: &str) -> Floor {
        match arg {
            "fetch" => Floor::Fetch,
            "tokenize" => Floor::Tokenize,
            "parse" => Floor::Parse,
            _ => panic!("--floor is fetch, tokenize or parse"),
        }
    }

    /// The page's links, resolved, web pages only, as the crawler follows them.
    pub fn links(self, html: &str, page: &Url) -> Vec<doorbell::types::link::FoundLink> {
        let hrefs = match self {
            Floor::Fetch => hrefs_by_bytes(html),
            Floor::Tokenize => hrefs_by_tokens(html),
            Floor::Parse => hrefs_in_tree(html),
        };
        hrefs
            .iter()
            .filter_map(|href| page.join(href).ok())
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .map(|url| doorbell::types::link::FoundLink {
                url,
                text: String::new(),
            })
            .collect()
    }
}

fn hrefs_by_bytes(html: &str) -> Vec<String> {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(bytes, b"href=\"")
        .filter_map(|at| {
            let value = &html[at + 6..];
            memchr::memchr(b'"', value.as_bytes()).map(|end| value[..end].to_string())
        })
        .collect()
}

/// Collects the `href` of every `<a>`; tells the tokenizer where raw text starts, as the tree
/// builder would, so a script's `<` is not read as a tag.
struct AnchorHrefs(RefCell<Vec<String>>);

impl TokenSink for AnchorHrefs {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(Tag {
            kind: TagKind::StartTag,
            name,
            attrs,
            ..
        }) = token
        else {
            return TokenSinkResult::Continue;
        };
        match &*name {
            "a" => self.0.borrow_mut().extend(
                attrs
                    .iter()
                    .filter(|attr| &*attr.name.local == "href")
                    .map(|attr| attr.value.to_string()),
            ),
            "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
            "style" => return TokenSinkResult::RawData(RawKind::Rawtext),
            "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn hrefs_by_tokens(html: &str) -> Vec<String> {
    super::tokens::tokenize(AnchorHrefs(RefCell::default()), html, |sink| sink.0.take())
}

fn hrefs_in_tree(html: &str) -> Vec<String> {
    let document = doorbell::extract::parse::document(html);
    document
        .tree
        .nodes()
        .filter_map(|node| {
            let element = node.value().as_element()?;
            (element.name() == "a")
                .then(|| element.attr("href"))
                .flatten()
                .map(str::to_string)
        })
        .collect()
}
