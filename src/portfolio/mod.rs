//! Portfolios: a list of sites audited in one run (`--sites FILE`), a deterministic share of it
//! (`--shard I/N`) so that a CI matrix or a Kubernetes Indexed Job can split the work, and a
//! summary — one row per site — that shards' summaries merge into.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::crawl::normalize::parse_start;

/// The version of the summary's JSON, like the report's.
pub const SUMMARY_SCHEMA: u32 = 1;

/// Sites audited at the same time (`--parallel`).
pub const DEFAULT_PARALLEL: usize = 4;
/// Where each site's reports and the summary go (`--reports`).
pub const DEFAULT_REPORTS_DIR: &str = "doorbell-reports";

/// A bad line in a sites file, or a bad `--shard`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PortfolioError(pub String);

/// The sites of a list file: one address per line; `#` starts a comment, blank lines are
/// skipped, the same site twice counts once. Addresses are normalised as for `audit`.
///
/// # Errors
/// A line that is not a web address, named by its number.
pub fn parse_sites(text: &str, file: &str) -> Result<Vec<String>, PortfolioError> {
    let mut seen = BTreeSet::new();
    let mut sites = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line
            .split_once('#')
            .map_or(line, |(before, _)| before)
            .trim();
        if line.is_empty() {
            continue;
        }
        let url = parse_start(line).map_err(|e| {
            PortfolioError(format!(
                "{file}:{}: {line:?} is not a web address: {e}",
                i + 1
            ))
        })?;
        if seen.insert(url.to_string()) {
            sites.push(url.to_string());
        }
    }
    if sites.is_empty() {
        return Err(PortfolioError(format!("{file}: no sites in it")));
    }
    Ok(sites)
}

/// One share of a list: shard `index` of `total`, counted from 1 (GitLab's `CI_NODE_INDEX`;
/// a Kubernetes Indexed Job passes `$((JOB_COMPLETION_INDEX + 1))`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub total: u32,
}

impl std::str::FromStr for Shard {
    type Err = PortfolioError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            PortfolioError(format!(
                "--shard {text:?}: expected I/N with 1 ≤ I ≤ N, e.g. 2/4"
            ))
        };
        let (index, total) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = index.trim().parse().map_err(|_| bad())?;
        let total: u32 = total.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > total {
            return Err(bad());
        }
        Ok(Self { index, total })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.total)
    }
}

/// FNV-1a: stable across runs, machines and versions, unlike the standard hasher.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Shard {
    /// Whether the site falls in this shard. By a hash of the address, not its line number:
    /// adding a site to the list moves no other site to another shard.
    pub fn includes(&self, site: &str) -> bool {
        fnv1a(site) % u64::from(self.total) == u64::from(self.index - 1)
    }
}

/// What became of one site.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SiteRow {
    pub url: String,
    /// `ok`, or `failed` when not even the start page could be read.
    pub status: String,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub score: Option<u32>,
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
    pub pages_ok: usize,
    /// Kinds of door offered but broken.
    pub broken_doors: usize,
    /// Findings at or above --fail-on.
    pub fails: bool,
    /// The site's own reports, relative to the summary: `<name>.json`, `.html`, `.xml`.
    #[serde(default)]
    pub report: String,
    pub duration_ms: u64,
}

/// The portfolio at a glance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub schema: u32,
    /// Always `summary`: tells it apart from a site's report.
    pub kind: String,
    pub generated_at: String,
    /// The shards it covers, e.g. `["1/4", "2/4"]`; empty for a whole list.
    #[serde(default)]
    pub shards: Vec<String>,
    pub sites: Vec<SiteRow>,
}

impl Summary {
    pub fn new(mut sites: Vec<SiteRow>, shards: Vec<String>) -> Self {
        sites.sort_by(|a, b| a.url.cmp(&b.url));
        Self {
            schema: SUMMARY_SCHEMA,
            kind: "summary".into(),
            generated_at: crate::clock::iso_datetime(crate::clock::now()),
            shards,
            sites,
        }
    }

    /// Several summaries as one: sites by address (a site in two shards counts once, the
    /// later summary's row winning), shards listed.
    pub fn merge(parts: Vec<Summary>) -> Self {
        let mut by_url = std::collections::BTreeMap::new();
        let mut shards = BTreeSet::new();
        for part in parts {
            shards.extend(part.shards);
            for row in part.sites {
                by_url.insert(row.url.clone(), row);
            }
        }
        Self::new(by_url.into_values().collect(), shards.into_iter().collect())
    }

    pub fn failing(&self) -> usize {
        self.sites.iter().filter(|s| s.fails).count()
    }

    pub fn unreadable(&self) -> usize {
        self.sites.iter().filter(|s| s.status != "ok").count()
    }
}

/// A file name for a site's reports: its host (and port and path), in letters, digits, dots
/// and dashes only.
pub fn file_stem(site: &str) -> String {
    let url = url::Url::parse(site).ok();
    let mut stem = url
        .as_ref()
        .and_then(url::Url::host_str)
        .unwrap_or("site")
        .to_string();
    if let Some(port) = url.as_ref().and_then(url::Url::port) {
        stem.push_str(&format!("-{port}"));
    }
    let path = url.as_ref().map_or("", url::Url::path).trim_matches('/');
    if !path.is_empty() {
        stem.push('-');
        stem.push_str(path);
    }
    let mut clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    clean.truncate(120);
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_file_has_comments_blanks_and_duplicates() {
        let sites = parse_sites(
            "# our clients\nshop.example.com\n\nhttps://shop.example.com/  # again\nhttp://127.0.0.1:8080/a\n",
            "sites.txt",
        )
        .unwrap();
        assert_eq!(
            sites,
            ["https://shop.example.com/", "http://127.0.0.1:8080/a"]
        );
        let err = parse_sites("ok.example.com\nhttp://\n", "sites.txt").unwrap_err();
        assert!(
            err.to_string().starts_with("sites.txt:2: \"http://\""),
            "{err}"
        );
        assert!(parse_sites("# nothing\n", "sites.txt").is_err());
    }

    #[test]
    fn shards_split_a_list_whole_and_stably() {
        assert!("0/4".parse::<Shard>().is_err() && "5/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        let sites: Vec<String> = (0..200)
            .map(|i| format!("https://s{i}.example.com/"))
            .collect();
        let shards: Vec<Shard> = (1..=4).map(|i| format!("{i}/4").parse().unwrap()).collect();
        for site in &sites {
            assert_eq!(shards.iter().filter(|s| s.includes(site)).count(), 1);
        }
        // Roughly even: no shard gets less than a sixth or more than a third.
        for shard in &shards {
            let n = sites.iter().filter(|s| shard.includes(s)).count();
            assert!((33..=67).contains(&n), "{shard}: {n}");
        }
        // Pinned: the same site lands in the same shard on every machine and version.
        assert!(
            "4/4"
                .parse::<Shard>()
                .unwrap()
                .includes("https://s0.example.com/")
        );
    }

    #[test]
    fn file_stems_are_safe_names() {
        assert_eq!(file_stem("https://shop.example.com/"), "shop.example.com");
        assert_eq!(file_stem("http://127.0.0.1:8080/a/b"), "127.0.0.1-8080-a-b");
        assert_eq!(
            file_stem("https://xn--e1afmkfd.xn--p1ai/"),
            "xn--e1afmkfd.xn--p1ai"
        );
    }
}
