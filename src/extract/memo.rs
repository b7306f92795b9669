//! What costly, pure readings of text found, remembered per thread: a site's header and footer
//! repeat on every page, and reading the same address block or `tel:` number on each of 50,000
//! pages bought nothing. Bounded: a memory full of a hostile page's texts starts over.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::thread::LocalKey;

use super::types::PlaceSighting;
use crate::types::contact::PageRegion;

/// Blocks longer than this are read each time: templates repeat short blocks, and a bound
/// keeps a hostile page's megabyte blocks out of memory.
pub const TEXT_MAX: usize = 1024;

/// Blocks remembered per thread before the memory starts over: a few hundred kilobytes.
pub const ENTRIES_MAX: usize = 512;

/// One thread's memory of one reading.
pub type Memo<K, V> = RefCell<HashMap<K, V>>;

/// What `find` gives for `key`, from `memo` when this thread has asked before. At most
/// `capacity` entries are kept; `find` must be a pure function of the key.
pub fn recall<K, Q, V>(
    memo: &'static LocalKey<Memo<K, V>>,
    key: &Q,
    capacity: usize,
    find: impl FnOnce() -> V,
) -> V
where
    K: Borrow<Q> + Eq + Hash,
    Q: ToOwned<Owned = K> + Eq + Hash + ?Sized,
    V: Clone,
{
    recall_if(memo, key, capacity, find, |_| true)
}

/// [`recall`], keeping only what `worth_keeping` says a template would repeat: a hostile
/// page's one-off readings are not worth their memory.
pub fn recall_if<K, Q, V>(
    memo: &'static LocalKey<Memo<K, V>>,
    key: &Q,
    capacity: usize,
    find: impl FnOnce() -> V,
    worth_keeping: impl FnOnce(&V) -> bool,
) -> V
where
    K: Borrow<Q> + Eq + Hash,
    Q: ToOwned<Owned = K> + Eq + Hash + ?Sized,
    V: Clone,
{
    if let Some(known) = memo.with_borrow(|known| known.get(key).cloned()) {
        return known;
    }
    let found = find();
    if worth_keeping(&found) {
        memo.with_borrow_mut(|known| {
            if known.len() >= capacity {
                known.clear();
            }
            known.insert(key.to_owned(), found.clone());
        });
    }
    found
}

/// The places `find` reads in `text`, from memory when this thread has read the text before,
/// in the region the text stands in now.
pub fn places(
    memo: &'static LocalKey<Memo<String, Vec<PlaceSighting>>>,
    text: &str,
    region: PageRegion,
    find: impl FnOnce() -> Vec<PlaceSighting>,
) -> Vec<PlaceSighting> {
    if text.len() > TEXT_MAX {
        return find();
    }
    recall(memo, text, ENTRIES_MAX, find)
        .into_iter()
        .map(|place| PlaceSighting { region, ..place })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use super::*;

    thread_local! {
        static READINGS: Memo<String, Vec<u32>> = RefCell::default();
    }

    /// A reading is made once and remembered; one not worth keeping is made each time it is
    /// asked for; a full memory starts over rather than growing.
    #[test]
    fn readings_are_kept_only_when_worth_it_and_only_so_many() {
        let made = Cell::new(0);
        let read = |text: &str, size: usize| {
            recall_if(
                &READINGS,
                text,
                4,
                || {
                    made.set(made.get() + 1);
                    vec![0; size]
                },
                |found| found.len() <= 2,
            )
        };
        read("footer", 1);
        read("footer", 1);
        assert_eq!(made.get(), 1);
        read("a hostile block", 50);
        read("a hostile block", 50);
        assert_eq!(made.get(), 3);
        for text in ["a", "b", "c", "d", "e"] {
            read(text, 1);
        }
        assert!(READINGS.with_borrow(HashMap::len) <= 4);
        assert!(READINGS.with_borrow(|known| !known.contains_key("a hostile block")));
    }
}
