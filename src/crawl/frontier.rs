//! The queue of URLs to visit: contact-looking links first, then shallow before deep, then
//! in the order found. Every URL enters once.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use url::Url;

use crate::types::crawl::Via;

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
    /// The heap pops the greatest: contact links, then the shallowest, then the oldest.
    fn cmp(&self, other: &Self) -> Ordering {
        self.contact
            .cmp(&other.contact)
            .then_with(|| other.depth.cmp(&self.depth))
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

#[derive(Debug, Default)]
pub struct Frontier {
    heap: BinaryHeap<Entry>,
    seen: HashSet<String>,
    seq: u64,
}

impl Frontier {
    /// Queues `url` unless it was queued or visited before. Returns whether it was new.
    pub fn push(&mut self, url: Url, depth: u32, via: Via, contact: ContactLikeness) -> bool {
        if !self.seen.insert(url.as_str().to_string()) {
            return false;
        }
        self.seq += 1;
        self.heap.push(Entry {
            url,
            depth,
            via,
            contact,
            seq: self.seq,
        });
        true
    }

    /// Marks a URL reached by a redirect as visited; false when it was known already.
    pub fn claim(&mut self, url: &Url) -> bool {
        self.seen.insert(url.as_str().to_string())
    }

    pub fn pop(&mut self) -> Option<Entry> {
        self.heap.pop()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    pub fn len(&self) -> usize {
        self.heap.len()
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
    pub strong: Vec<String>,
    pub weak: Vec<String>,
}

impl ContactWords {
    /// How much a link looks like it leads to contacts, by its path or its text.
    pub fn judge(&self, url: &Url, text: &str) -> ContactLikeness {
        let path = percent_encoding::percent_decode_str(url.path())
            .decode_utf8_lossy()
            .to_lowercase();
        let hit = |words: &[String]| {
            words
                .iter()
                .any(|w| path.contains(w.as_str()) || text.contains(w.as_str()))
        };
        if hit(&self.strong) {
            ContactLikeness::Yes
        } else if hit(&self.weak) {
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
    fn cyrillic_contact_paths_are_recognised() {
        let words = ContactWords {
            strong: vec!["контакт".to_string()],
            weak: vec!["о компании".to_string()],
        };
        let url = Url::parse("https://example.com/контакты").unwrap();
        assert_eq!(words.judge(&url, ""), ContactLikeness::Yes);
        let url = Url::parse("https://example.com/company").unwrap();
        assert_eq!(words.judge(&url, "о компании"), ContactLikeness::Maybe);
    }
}
