//! robots.txt: fetched once per origin, obeyed for our user agent, its `Sitemap:` lines
//! handed to the sitemap reader. A missing or unreadable robots.txt allows everything, as
//! the standard (RFC 9309) says for 4xx; a 5xx would mean "disallow all", but a marketer
//! auditing their own site wants the audit, so we note it and crawl.

use texting_robots::Robot;
use url::Url;

/// What robots.txt says for one origin.
#[derive(Debug)]
pub struct Robots {
    robot: Option<Robot>,
}

impl Robots {
    /// No robots.txt (or none we could read): everything is allowed.
    pub fn allow_all() -> Self {
        Self { robot: None }
    }

    pub fn parse(agent: &str, text: &[u8]) -> Self {
        Self {
            robot: Robot::new(agent, text).ok(),
        }
    }

    /// Whether the site has a robots.txt we read.
    pub fn found(&self) -> bool {
        self.robot.is_some()
    }

    pub fn allowed(&self, url: &Url) -> bool {
        self.robot.as_ref().is_none_or(|r| r.allowed(url.as_str()))
    }

    pub fn sitemaps(&self) -> Vec<String> {
        self.robot
            .as_ref()
            .map(|r| r.sitemaps.clone())
            .unwrap_or_default()
    }
}

/// The robots.txt of the origin `url` belongs to.
pub fn robots_url(url: &Url) -> Option<Url> {
    url.join("/robots.txt").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disallowed_paths_and_sitemaps() {
        let robots = Robots::parse(
            "doorbell",
            b"User-agent: *\nDisallow: /private/\nSitemap: https://example.com/sitemap-index.xml\n",
        );
        assert!(!robots.allowed(&Url::parse("https://example.com/private/x").unwrap()));
        assert!(robots.allowed(&Url::parse("https://example.com/contacts").unwrap()));
        assert_eq!(robots.sitemaps(), ["https://example.com/sitemap-index.xml"]);
    }
}
