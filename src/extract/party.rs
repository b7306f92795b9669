//! Whose contact a point is: the company's own, or another party's that the page names — the
//! chamber or regulator an imprint must list, a partner bank, the web studio's credit, the
//! hosting provider a French « mentions légales » page must give.
//!
//! A person reads that from the words just before the point («Финансовый партнёр: Банк …
//! 8 017 …», "Website by Studio, +44 …") or from the heading of its section
//! ("Aufsichtsbehörden:" over the chamber's and the court's addresses). Rules judge only the
//! company's own points, and probes never write to another party.

use super::dom::{Anchor, TextBlock};
use crate::rulebook::Phrases;
use crate::rulebook::phrases::WordList;
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
    phrases: &'p Phrases,
}

fn is_heading(block: &TextBlock) -> bool {
    let text = block.text.trim();
    block.heading || (text.len() <= LABEL_MAX && text.ends_with(':'))
}

impl<'p> Parties<'p> {
    pub fn new(blocks: &'p [TextBlock], phrases: &'p Phrases) -> Self {
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
            phrases,
        }
    }

    /// The words that make the point at `offset` of block `block` another party's, or `None`
    /// when it is the company's own.
    pub fn third_party_at(&self, block: usize, offset: usize) -> Option<String> {
        let text = &self.blocks.get(block)?.text;
        let end = floor_char_boundary(text, offset.min(text.len()));
        let start = floor_char_boundary(text, end.saturating_sub(WINDOW));
        let before = text[start..end].to_lowercase();
        let other = self.phrases.last_of(WordList::ThirdParty, &before);
        let own = self.phrases.last_of(WordList::OwnParty, &before);
        match (other, own) {
            (Some((o, word)), Some((m, _))) if o > m => return Some(word.to_string()),
            (Some((_, word)), None) => return Some(word.to_string()),
            (_, Some(_)) => return None,
            (None, None) => {}
        }
        let heading = self.heading_of.get(block).copied().flatten()?;
        let heading = self.blocks[heading].text.to_lowercase();
        self.phrases
            .last_of(WordList::ThirdParty, &heading)
            .map(|(_, word)| word.to_string())
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
    use crate::rulebook::BUILTIN;
    use crate::types::contact::PageRegion;

    fn block(text: &str, heading: bool, region: PageRegion) -> TextBlock {
        TextBlock {
            text: text.to_string(),
            region,
            heading,
            ..TextBlock::default()
        }
    }

    #[test]
    fn words_before_the_point_or_the_section_heading_name_the_party() {
        let blocks = vec![
            block("Phone: 030 000000", false, PageRegion::Main),
            block("Aufsichtsbehörden:", true, PageRegion::Main),
            block(
                "Chamber, Street 1, Phone: 089 000000",
                false,
                PageRegion::Main,
            ),
            block(
                "Finanzierungspartner: Bank, 8 000. Contact us: 030 000001. Website by Studio",
                false,
                PageRegion::Footer,
            ),
        ];
        let parties = Parties::new(&blocks, &BUILTIN.phrases);
        assert_eq!(parties.third_party_at(0, 7), None);
        assert_eq!(
            parties.third_party_at(2, 30).as_deref(),
            Some("aufsichtsbehörde")
        );
        let text = &blocks[3].text;
        assert_eq!(
            parties
                .third_party_at(3, text.find("8 000").unwrap())
                .as_deref(),
            Some("finanzierungspartner")
        );
        // The company's own words after the partner's take the point back, and the footer
        // is outside the main text's last section.
        assert_eq!(parties.third_party_at(3, text.find("030").unwrap()), None);
        // Of two words ending together, the longer names the party.
        assert_eq!(
            parties.third_party_at(3, text.len()).as_deref(),
            Some("website by")
        );
    }
}
