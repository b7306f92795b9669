//! The queue of URLs to visit: contact-looking links first, then shallow before deep, then
//! in the order found. Every URL enters once, and the queue is bounded: a site that offers
//! more links than it can hold (a spider trap, a page of 170,000 links) loses its least
//! promising ones, and the crawl says how many it dropped.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, RandomState};

use url::Url;

use crate::types::crawl::Via;

/// Distinct dropped links counted exactly up to this many; past it, "at least".
const DROPPED_COUNTED: usize = 100_000;

#[derive(Debug)]
pub struct Entry {
    pub url: Url,
    pub depth: u32,
    pub via: Via,
    contact: ContactLikeness,
    seq: u64,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// The greatest goes first: contact links, then the shallowest, then the oldest.
    fn cmp(&self, other: &Self) -> Ordering {
        self.contact
            .cmp(&other.contact)
            .then_with(|| other.depth.cmp(&self.depth))
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

#[derive(Debug)]
pub struct Frontier {
    queue: BTreeSet<Entry>,
    /// Queued or visited: a URL enters once. Dropped URLs are not kept here, so the set
    /// stays within the queue's bound plus the pages visited. Kept as 64-bit hashes, not
    /// strings (a tenth of the memory on a 50,000-page crawl): two URLs of one crawl share a
    /// hash with a chance under one in a million even at millions of URLs.
    seen: HashSet<u64>,
    capacity: usize,
    seq: u64,
    /// Hashes of the distinct URLs dropped for want of room, up to [`DROPPED_COUNTED`].
    dropped: HashSet<u64>,
    dropped_uncounted: bool,
    hasher: RandomState,
}

impl Default for Frontier {
    fn default() -> Self {
        Self::with_capacity(usize::MAX)
    }
}

impl Frontier {
    /// A queue that holds at most `capacity` URLs waiting to be visited.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            queue: BTreeSet::new(),
            seen: HashSet::new(),
            capacity: capacity.max(1),
            seq: 0,
            dropped: HashSet::new(),
            dropped_uncounted: false,
            hasher: RandomState::new(),
        }
    }

    /// Queues `url` unless it was queued or visited before. Returns whether it was new. When
    /// the queue is full, the least promising of it and the queued URLs is dropped.
    pub fn push(&mut self, url: Url, depth: u32, via: Via, contact: ContactLikeness) -> bool {
        let hash = self.hasher.hash_one(url.as_str());
        if self.seen.contains(&hash) {
            return false;
        }
        self.seq += 1;
        let entry = Entry {
            url,
            depth,
            via,
            contact,
            seq: self.seq,
        };
        if self.queue.len() >= self.capacity {
            let least = self.queue.first().expect("a full queue has a first entry");
            if entry <= *least {
                self.count_dropped(entry.url.as_str());
                return false;
            }
            let evicted = self.queue.pop_first().expect("checked above");
            self.seen
                .remove(&self.hasher.hash_one(evicted.url.as_str()));
            self.count_dropped(evicted.url.as_str());
        }
        if !self.dropped.is_empty() {
            self.dropped.remove(&hash);
        }
        self.seen.insert(hash);
        self.queue.insert(entry);
        true
    }

    fn count_dropped(&mut self, url: &str) {
        if self.dropped.len() < DROPPED_COUNTED {
            self.dropped.insert(self.hasher.hash_one(url));
        } else {
            self.dropped_uncounted = true;
        }
    }

    /// Whether `url` is queued or was visited: most links of a page are, and need no judging.
    pub fn knows(&self, url: &Url) -> bool {
        self.seen.contains(&self.hasher.hash_one(url.as_str()))
    }

    /// Marks a URL reached by a redirect as visited; false when it was known already.
    pub fn claim(&mut self, url: &Url) -> bool {
        self.seen.insert(self.hasher.hash_one(url.as_str()))
    }

    pub fn pop(&mut self) -> Option<Entry> {
        self.queue.pop_last()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Distinct links dropped because the queue was full, and whether there were more than
    /// that (past the count kept exactly).
    pub fn dropped(&self) -> (usize, bool) {
        (self.dropped.len(), self.dropped_uncounted)
    }
}

/// How strongly a link promises contacts; the frontier pops stronger first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContactLikeness {
    No,
    /// «О компании», «Реквизиты»: pages that often carry contacts.
    Maybe,
    /// «Контакты», «Обратная связь»: the contact page itself.
    Yes,
}

/// Words that mark contact links, strong and weak.
#[derive(Debug, Clone, Default)]
pub struct ContactWords {
    strong: AnyWord,
    weak: AnyWord,
}

/// Whether a text contains any of some words: one automaton for all of them. Every new link
/// of every page is judged on the crawl loop's one thread; a substring search per word and
/// link was 1.5% of a crawl.
#[derive(Debug, Clone, Default)]
struct AnyWord(Option<aho_corasick::AhoCorasick>);

impl AnyWord {
    fn new(words: &[String]) -> Self {
        // An empty set matches nothing; the automaton of words this size always builds.
        Self(
            (!words.is_empty())
                .then(|| aho_corasick::AhoCorasick::new(words).ok())
                .flatten(),
        )
    }

    fn in_either(&self, one: &str, other: &str) -> bool {
        self.0
            .as_ref()
            .is_some_and(|words| words.is_match(one) || words.is_match(other))
    }
}

impl ContactWords {
    pub fn new(strong: &[String], weak: &[String]) -> Self {
        Self {
            strong: AnyWord::new(strong),
            weak: AnyWord::new(weak),
        }
    }

    /// Whether a link's text has one of the strong words («Контакты»).
    pub fn says_contact(&self, text: &str) -> bool {
        self.strong.in_either(text, "")
    }

    /// How much a link looks like it leads to contacts, by its path or its text.
    pub fn judge(&self, url: &Url, text: &str) -> ContactLikeness {
        let path = percent_encoding::percent_decode_str(url.path())
            .decode_utf8_lossy()
            .to_lowercase();
        if self.strong.in_either(&path, text) {
            ContactLikeness::Yes
        } else if self.weak.in_either(&path, text) {
            ContactLikeness::Maybe
        } else {
            ContactLikeness::No
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_links_jump_the_queue_and_urls_enter_once() {
        let mut f = Frontier::default();
        let u = |p: &str| Url::parse(&format!("https://example.com{p}")).unwrap();
        assert!(f.push(u("/catalog"), 1, Via::Link, ContactLikeness::No));
        assert!(f.push(u("/news"), 1, Via::Link, ContactLikeness::No));
        assert!(f.push(u("/about"), 1, Via::Link, ContactLikeness::Maybe));
        assert!(f.push(u("/kontakty"), 2, Via::Link, ContactLikeness::Yes));
        assert!(!f.push(u("/news"), 1, Via::Link, ContactLikeness::No));
        let order: Vec<String> = std::iter::from_fn(|| f.pop())
            .map(|e| e.url.path().to_string())
            .collect();
        assert_eq!(order, ["/kontakty", "/about", "/catalog", "/news"]);
    }

    #[test]
    fn a_full_queue_drops_the_least_promising_and_counts_them() {
        let mut f = Frontier::with_capacity(2);
        let u = |p: &str| Url::parse(&format!("https://example.com{p}")).unwrap();
        assert!(f.push(u("/a"), 1, Via::Link, ContactLikeness::No));
        assert!(f.push(u("/b"), 1, Via::Link, ContactLikeness::No));
        // No room, and no better than what waits: dropped.
        assert!(!f.push(u("/c"), 2, Via::Link, ContactLikeness::No));
        assert!(!f.push(u("/c"), 2, Via::Link, ContactLikeness::No));
        // A contact page takes the place of the last found.
        assert!(f.push(u("/kontakty"), 3, Via::Link, ContactLikeness::Yes));
        assert_eq!(f.len(), 2);
        assert_eq!(f.dropped(), (2, false));
        let order: Vec<String> = std::iter::from_fn(|| f.pop())
            .map(|e| e.url.path().to_string())
            .collect();
        assert_eq!(order, ["/kontakty", "/a"]);
        // Room again: a dropped link offered later is queued and no longer counted.
        assert!(f.push(u("/b"), 1, Via::Link, ContactLikeness::No));
        assert_eq!(f.dropped(), (1, false));
    }

    #[test]
    fn cyrillic_contact_paths_are_recognised() {
        let words = ContactWords::new(&["контакт".to_string()], &["о компании".to_string()]);
        let url = Url::parse("https://example.com/контакты").unwrap();
        assert_eq!(words.judge(&url, ""), ContactLikeness::Yes);
        let url = Url::parse("https://example.com/company").unwrap();
        assert_eq!(words.judge(&url, "о компании"), ContactLikeness::Maybe);
    }
}
