//! A page parsed into scraper's tree, with room made for its nodes before the parse.

use html5ever::tendril::TendrilSink;
use scraper::{Html, HtmlTreeSink, Node};

/// Bytes of HTML a node of its tree takes, about: 44–62 on the benchmark's pages (median 55),
/// 16–147 on the real-page corpus (median 50). A guess on the small side costs a regrowth or
/// two; the tree grown from nothing, as scraper does, was copied eight or nine times a page.
const BYTES_PER_NODE: usize = 40;

/// The room made at most, in nodes (~128 bytes each): past it the tree grows as it needs.
const NODES_RESERVED_MAX: usize = 1 << 15;

/// `Html::parse_document`, but the tree's node list is made at the page's likely size first.
pub fn document(html: &str) -> Html {
    let mut document = Html::new_document();
    let nodes = (html.len() / BYTES_PER_NODE).clamp(16, NODES_RESERVED_MAX);
    document.tree = ego_tree::Tree::with_capacity(Node::Document, nodes);
    html5ever::driver::parse_document(HtmlTreeSink::new(document), Default::default()).one(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_parses_to_the_tree_scraper_makes() {
        let page = "<!doctype html><title>T</title><p>Call <a href='tel:+15550100'>us</a><table><td>x</table><b><i>y</b>z</i>";
        let ours = document(page);
        let theirs = Html::parse_document(page);
        assert_eq!(ours.root_element().html(), theirs.root_element().html());
        assert_eq!(ours.tree.nodes().count(), theirs.tree.nodes().count());
    }
}
