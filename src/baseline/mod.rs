//! The baseline: the contact surface as last accepted, committed next to the site's code as
//! `doorbell.lock`, so that a nightly run notices the day a door disappears or changes.
//!
//! The file is one line per door — kind, identity, facts as JSON — sorted, with no counts or
//! timestamps that move from run to run: a changed phone is a one-line diff.

mod compare;
mod snapshot;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

pub use compare::{Change, compare};
pub use snapshot::{inventory_doors, probe_doors};

/// What one line of the lock says of one door.
pub type Facts = BTreeMap<String, Value>;

/// The lock file `--update-baseline` writes when no `--baseline` is named.
pub const DEFAULT_LOCK: &str = "doorbell.lock";

/// The kinds of line that describe probes rather than the site's pages.
pub const PROBE_DOOR: &str = "probe";

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {file}: {detail}")]
    Read { file: String, detail: String },
    #[error("{file}:{line}: {detail}")]
    Syntax {
        file: String,
        line: usize,
        detail: String,
    },
    #[error("cannot write the baseline {file}: {detail}")]
    Write { file: String, detail: String },
}

/// The doors of a site, keyed by (kind, identity).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    pub doors: BTreeMap<(String, String), Facts>,
}

/// Identities are one line: runs of whitespace become one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Baseline {
    /// Reads a lock file; `None` when there is none yet.
    ///
    /// # Errors
    /// The file exists but cannot be read or a line is malformed.
    pub fn read(path: &Path) -> Result<Option<Self>, BaselineError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(BaselineError::Read {
                file: path.display().to_string(),
                detail: e.to_string(),
            }),
        }
    }

    /// Parses the text of a lock file: `#` comments, blank lines, and `kind<TAB>identity<TAB>{json}`.
    ///
    /// # Errors
    /// A line that is not of that shape, named by its number.
    pub fn parse(text: &str, file: &str) -> Result<Self, BaselineError> {
        let mut doors = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let syntax = |detail: String| BaselineError::Syntax {
                file: file.to_string(),
                line: i + 1,
                detail,
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, '\t');
            let (Some(kind), Some(id), Some(facts)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(syntax(
                    "expected: kind, identity and facts separated by tabs".into(),
                ));
            };
            let facts: Facts = serde_json::from_str(facts)
                .map_err(|e| syntax(format!("the facts are not a JSON object: {e}")))?;
            if doors
                .insert((kind.to_string(), id.to_string()), facts)
                .is_some()
            {
                return Err(syntax(format!("{kind} {id} appears twice")));
            }
        }
        Ok(Self { doors })
    }

    /// The lock file's text: a header, then one sorted line per door.
    pub fn render(&self, site: &str) -> String {
        let mut out = format!(
            "# doorbell baseline of {}\n# One line per door: kind, identity, facts. Rewritten by --update-baseline;\n# review its diff like code.\n",
            one_line(site)
        );
        for ((kind, id), facts) in &self.doors {
            let facts = serde_json::to_string(facts).unwrap_or_else(|_| "{}".into());
            let _ = writeln!(out, "{kind}\t{id}\t{facts}");
        }
        out
    }

    /// Writes the lock file whole (through a temporary file, so a crash leaves the old one).
    ///
    /// # Errors
    /// The folder is not writable.
    pub fn write(&self, path: &Path, site: &str) -> Result<(), BaselineError> {
        let error = |e: std::io::Error| BaselineError::Write {
            file: path.display().to_string(),
            detail: e.to_string(),
        };
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".tmp");
        std::fs::write(&temporary, self.render(site)).map_err(error)?;
        std::fs::rename(&temporary, path).map_err(error)
    }

    /// This baseline with what a run knows replaced: the site's doors when it crawled, the
    /// probes it judged. A probe still waiting keeps its old line.
    #[must_use]
    pub fn updated(&self, site_doors: Option<Baseline>, probes: &Baseline) -> Self {
        let mut doors = self.doors.clone();
        if let Some(site) = site_doors {
            doors.retain(|(kind, _), _| kind == PROBE_DOOR);
            doors.extend(site.doors);
        }
        doors.extend(probes.doors.clone());
        Self { doors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_reads_back_what_it_wrote_and_names_bad_lines() {
        let mut facts = Facts::new();
        facts.insert("clickable".into(), Value::Bool(true));
        facts.insert("shown".into(), serde_json::json!(["+7 (495) 000-00-00"]));
        let mut baseline = Baseline::default();
        baseline
            .doors
            .insert(("phone".into(), "+74950000000".into()), facts);
        let text = baseline.render("https://shop.example.com/");
        assert!(text.contains(
            "phone\t+74950000000\t{\"clickable\":true,\"shown\":[\"+7 (495) 000-00-00\"]}\n"
        ));
        assert_eq!(Baseline::parse(&text, "doorbell.lock").unwrap(), baseline);

        let err = Baseline::parse("# ok\nphone +7495\n", "doorbell.lock").unwrap_err();
        assert_eq!(
            err.to_string(),
            "doorbell.lock:2: expected: kind, identity and facts separated by tabs"
        );
        let err = Baseline::parse("phone\t+7\t[1]\n", "doorbell.lock").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("doorbell.lock:1: the facts are not a JSON object")
        );
    }
}
