//! Which hosts belong to the audited site: the start host, its `www.` twin, over http or
//! https, plus hosts the user allows. The crawler never fetches outside it.

use std::collections::HashSet;

use url::Url;

#[derive(Debug, Clone)]
pub struct Scope {
    hosts: HashSet<String>,
}

fn twin(host: &str) -> String {
    host.strip_prefix("www.")
        .map_or_else(|| format!("www.{host}"), str::to_string)
}

impl Scope {
    /// The scope of a site that starts at `start`, widened by `extra_hosts` (each with its
    /// `www.` twin too).
    pub fn new(start: &Url, extra_hosts: &[String]) -> Self {
        let mut hosts = HashSet::new();
        let mut add = |host: &str| {
            let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
            // Users type Cyrillic hosts; URLs carry punycode.
            let host = Url::parse(&format!("http://{host}/"))
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or(host);
            hosts.insert(twin(&host));
            hosts.insert(host);
        };
        if let Some(host) = start.host_str() {
            add(host);
        }
        for host in extra_hosts {
            add(host);
        }
        Self { hosts }
    }

    pub fn contains(&self, url: &Url) -> bool {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|h| self.hosts.contains(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn www_twin_and_both_schemes_are_in_other_hosts_are_not() {
        let scope = Scope::new(
            &Url::parse("https://shop.example.com/").unwrap(),
            &["пример.рф".into()],
        );
        for inside in [
            "http://shop.example.com/a",
            "https://www.shop.example.com/b",
            "https://xn--e1afmkfd.xn--p1ai/",
            "https://www.xn--e1afmkfd.xn--p1ai/",
        ] {
            assert!(scope.contains(&Url::parse(inside).unwrap()), "{inside}");
        }
        for outside in [
            "https://example.com/",
            "https://evil.shop.example.com.attacker.test/",
            "ftp://shop.example.com/",
        ] {
            assert!(!scope.contains(&Url::parse(outside).unwrap()), "{outside}");
        }
    }
}
