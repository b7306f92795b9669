//! Whose contact a point is: the company's own, or another party's that the page names — the
//! chamber or regulator an imprint must list, a partner bank, the web studio's credit, the
//! hosting provider a French « mentions légales » page must give.
//!
//! A person reads that from the words just before the point («Финансовый партнёр: Банк …
//! 8 017 …», "Website by Studio, +44 …") or from the heading of its section
//! ("Aufsichtsbehörden:" over the chamber's and the court's addresses). Rules judge only the
//! company's own points, and probes never write to another party.

use super::dom::{Anchor, TextBlock};
use crate::text::floor_char_boundary;

/// How far before a point the words about whose it is are read, in bytes: one address line
/// or two (a chamber's name, street and town, then its phone).
const WINDOW: usize = 200;

/// A heading is a block of its own: an `<h1>`–`<h6>`, or a short line ending in a colon.
const LABEL_MAX: usize = 80;

/// Reads the party of points on one page.
pub struct Parties<'p> {
    blocks: &'p [TextBlock],
    /// For each block, the heading block its section starts with, if any.
    heading_of: Vec<Option<usize>>,
    third_party_words: &'p [String],
    own_words: &'p [String],
}

fn is_heading(block: &TextBlock) -> bool {
    let text = block.text.trim();
    block.heading || (text.len() <= LABEL_MAX && text.ends_with(':'))
}

/// The last of `words` in `lower`, as (where it ends, the word); of words ending at the same
/// place, the longest ("website by", not "site by").
fn last_of<'w>(lower: &str, words: &'w [String]) -> Option<(usize, &'w str)> {
    words
        .iter()
        .filter_map(|w| lower.rfind(w.as_str()).map(|i| (i + w.len(), w.as_str())))
        .max_by_key(|(end, word)| (*end, word.len()))
}

impl<'p> Parties<'p> {
    pub fn new(
        blocks: &'p [TextBlock],
        third_party_words: &'p [String],
        own_words: &'p [String],
    ) -> Self {
        // A section lasts until the next heading or until the page region changes: a footer
        // does not belong to the last heading of the main text.
        let mut heading_of = Vec::with_capacity(blocks.len());
        let mut current: Option<usize> = None;
        for (index, block) in blocks.iter().enumerate() {
            if current.is_some_and(|h| blocks[h].region != block.region) {
                current = None;
            }
            heading_of.push(current);
            if is_heading(block) {
                current = Some(index);
            }
        }
        Self {
            blocks,
            heading_of,
            third_party_words,
            own_words,
        }
    }

    /// The words that make the point at `offset` of block `block` another party's, or `None`
    /// when it is the company's own.
    pub fn third_party_at(&self, block: usize, offset: usize) -> Option<String> {
        let text = &self.blocks.get(block)?.text;
        let end = floor_char_boundary(text, offset.min(text.len()));
        let start = floor_char_boundary(text, end.saturating_sub(WINDOW));
        let before = text[start..end].to_lowercase();
        let other = last_of(&before, self.third_party_words);
        let own = last_of(&before, self.own_words);
        match (other, own) {
            (Some((o, word)), Some((m, _))) if o > m => return Some(word.to_string()),
            (Some((_, word)), None) => return Some(word.to_string()),
            (_, Some(_)) => return None,
            (None, None) => {}
        }
        let heading = self.heading_of.get(block).copied().flatten()?;
        let heading = self.blocks[heading].text.to_lowercase();
        last_of(&heading, self.third_party_words).map(|(_, word)| word.to_string())
    }

    /// The party of a point a link shows: read at the link's place in its block. A link
    /// with no text of its own (an icon) may stand in a block that has no text at all and so
    /// is not kept; then only its section's heading speaks for it — never the text of the
    /// block that comes next.
    pub fn third_party_of_anchor(&self, anchor: &Anchor, index: usize) -> Option<String> {
        let block = self.blocks.get(anchor.block)?;
        let offset = block
            .anchor_spans
            .iter()
            .find(|(_, i)| *i == index)
            .map_or(0, |(span, _)| span.start);
        self.third_party_at(anchor.block, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::contact::PageRegion;

    fn block(text: &str, heading: bool, region: PageRegion) -> TextBlock {
        TextBlock {
            text: text.to_string(),
            region,
            heading,
            ..TextBlock::default()
        }
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn words_before_the_point_or_the_section_heading_name_the_party() {
        let third = words(&["aufsichtsbehörde", "financial partner", "website by"]);
        let own = words(&["contact us"]);
        let blocks = vec![
            block("Phone: 030 000000", false, PageRegion::Main),
            block("Aufsichtsbehörden:", true, PageRegion::Main),
            block(
                "Chamber, Street 1, Phone: 089 000000",
                false,
                PageRegion::Main,
            ),
            block(
                "Financial partner: Bank, 8 000. Contact us: 030 000001",
                false,
                PageRegion::Footer,
            ),
        ];
        let parties = Parties::new(&blocks, &third, &own);
        assert_eq!(parties.third_party_at(0, 7), None);
        assert_eq!(
            parties.third_party_at(2, 30).as_deref(),
            Some("aufsichtsbehörde")
        );
        let bank = blocks[3].text.find("8 000").unwrap();
        assert_eq!(
            parties.third_party_at(3, bank).as_deref(),
            Some("financial partner")
        );
        // The company's own words after the partner's take the point back, and the footer
        // is outside the main text's last section.
        let ours = blocks[3].text.find("030").unwrap();
        assert_eq!(parties.third_party_at(3, ours), None);
    }
}
