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

/// The most of a robots.txt read when asked again after the crawl.
const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// Reads the robots.txt of `url`'s origin, for pages found after the crawl (links only a
/// rendered page has); none readable allows everything, as during the crawl.
pub async fn fetch(
    client: &reqwest::Client,
    url: &Url,
    agent: &str,
    timeout: std::time::Duration,
) -> Robots {
    let Some(robots_url) = robots_url(url) else {
        return Robots::allow_all();
    };
    let Ok(mut response) = client.get(robots_url).timeout(timeout).send().await else {
        return Robots::allow_all();
    };
    if !response.status().is_success() {
        return Robots::allow_all();
    }
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_ROBOTS_BYTES {
            break;
        }
    }
    Robots::parse(agent, &body)
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
