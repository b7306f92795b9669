//! Strings for the texts of a page's blocks, handed back when the page is done and given to
//! the next page's blocks on the same thread. A page has a few hundred blocks, each text its
//! own string: allocating each and freeing it a moment later was ~1.3% of the instructions
//! a page takes. The pages of a site share a header and a footer, so a string handed back
//! from one page's first blocks mostly fits the next page's.

use std::cell::RefCell;

use super::digest::TextBlock;

/// Strings kept per thread: more blocks than most pages have.
const KEPT_MAX: usize = 512;

/// Strings longer than this are freed, not kept: a hostile page's huge texts stay out of
/// memory, and a long paragraph rarely fits the next page's anyway.
const KEPT_BYTES_MAX: usize = 1024;

thread_local! {
    /// The spare strings, empty; the next block's text takes the last.
    static SPARE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// `text` in a string of its own: a spare one when the next spare is long enough.
pub fn copy_of(text: &str) -> String {
    let spare = SPARE.with_borrow_mut(Vec::pop);
    let mut copy = match spare {
        Some(spare) if spare.capacity() >= text.len() => spare,
        _ => return text.to_owned(),
    };
    copy.push_str(text);
    copy
}

/// Takes the blocks' texts back, last block first, so that the next page's first block is
/// given the string this page's first block had.
pub fn give_back(blocks: &mut [TextBlock]) {
    SPARE.with_borrow_mut(|spare| {
        for block in blocks.iter_mut().rev() {
            if spare.len() >= KEPT_MAX {
                return;
            }
            if block.text.capacity() <= KEPT_BYTES_MAX && block.text.capacity() > 0 {
                let mut text = std::mem::take(&mut block.text);
                text.clear();
                spare.push(text);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> TextBlock {
        TextBlock {
            text: copy_of(text),
            ..TextBlock::default()
        }
    }

    #[test]
    fn a_page_s_strings_serve_the_next_page_in_the_same_order() {
        SPARE.with_borrow_mut(Vec::clear);
        let mut page = vec![block("Call us"), block("A paragraph of some length")];
        let first = page[0].text.as_ptr();
        give_back(&mut page);
        let again = copy_of("Call me");
        assert_eq!(again, "Call me");
        assert_eq!(
            again.as_ptr(),
            first,
            "the first block's string comes back first"
        );
    }

    #[test]
    fn a_text_longer_than_the_spare_gets_a_string_of_its_own_and_huge_ones_are_not_kept() {
        SPARE.with_borrow_mut(Vec::clear);
        let mut page = vec![block("short"), block(&"x".repeat(KEPT_BYTES_MAX + 1))];
        give_back(&mut page);
        assert_eq!(SPARE.with_borrow(Vec::len), 1, "the huge text is freed");
        let long = copy_of("a text longer than five bytes");
        assert_eq!(long, "a text longer than five bytes");
        assert_eq!(SPARE.with_borrow(Vec::len), 0);
    }

    #[test]
    fn the_spare_strings_are_bounded() {
        SPARE.with_borrow_mut(Vec::clear);
        let mut page: Vec<TextBlock> = (0..KEPT_MAX + 100).map(|_| block("text")).collect();
        give_back(&mut page);
        assert_eq!(SPARE.with_borrow(Vec::len), KEPT_MAX);
    }
}
