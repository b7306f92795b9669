//! What the costly place patterns found in a block of text, remembered per thread: a site's
//! header and footer repeat on every page, and reading the same address block on each of
//! 50,000 pages bought nothing. The patterns are pure functions of the text, so a block seen
//! before gets the same places (in the region it stands in now).

use std::cell::RefCell;
use std::collections::HashMap;
use std::thread::LocalKey;

use super::types::PlaceSighting;
use crate::types::contact::PageRegion;

/// Blocks longer than this are read each time: templates repeat short blocks, and a bound
/// keeps a hostile page's megabyte blocks out of memory.
const TEXT_MAX: usize = 1024;

/// Blocks remembered per thread before the memory starts over: a few hundred kilobytes.
const ENTRIES_MAX: usize = 512;

pub type Memo = RefCell<HashMap<Box<str>, Vec<PlaceSighting>>>;

/// The places `find` reads in `text`, from memory when this thread has read the text before.
pub fn places(
    memo: &'static LocalKey<Memo>,
    text: &str,
    region: PageRegion,
    find: impl FnOnce() -> Vec<PlaceSighting>,
) -> Vec<PlaceSighting> {
    if text.len() > TEXT_MAX {
        return find();
    }
    let in_region = |found: &[PlaceSighting]| {
        found
            .iter()
            .map(|place| PlaceSighting {
                region,
                ..place.clone()
            })
            .collect()
    };
    if let Some(found) = memo.with_borrow(|known| known.get(text).map(|found| in_region(found))) {
        return found;
    }
    let found = find();
    memo.with_borrow_mut(|known| {
        if known.len() >= ENTRIES_MAX {
            known.clear();
        }
        known.insert(text.into(), found.clone());
    });
    found
}
