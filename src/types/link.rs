//! A link found on a page: extraction reads it out of the HTML, the crawl follows it.

use url::Url;

/// A link found on a page, as the processor hands it back.
#[derive(Debug, Clone)]
pub struct FoundLink {
    pub url: Url,
    /// Visible text, lower-cased.
    pub text: String,
}

/// A page's way to its contacts, as its links show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactLinks {
    /// A link leads to what looks like the contact page (or the contact section).
    pub links_to_contacts: bool,
    /// A contact link that jumps within this page (`#contacts`) to a target the page lacks:
    /// a one-page template's menu copied onto inner pages, where the click does nothing.
    pub dead_anchor: Option<String>,
}
