//! A link found on a page: extraction reads it out of the HTML, the crawl follows it.

use url::Url;

/// A link found on a page, as the processor hands it back.
#[derive(Debug, Clone)]
pub struct FoundLink {
    pub url: Url,
    /// Visible text, lower-cased.
    pub text: String,
}
