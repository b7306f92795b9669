//! `--baseline` and `--update-baseline`, for every command that reports: today's doors and
//! judged probes against the lock file, or written into it.

use std::path::PathBuf;

use super::{Job, nothing_read};
use crate::audit::Audit;
use crate::baseline::{Baseline, BaselineError, compare, inventory_doors, probe_doors};
use crate::checks::{self, Finding};
use crate::types::probe::ProbeRow;

/// A lock file to write once the report is out.
pub(crate) struct Accepted {
    path: PathBuf,
    site: String,
    baseline: Baseline,
    changes: usize,
    quiet: bool,
}

impl Accepted {
    pub(crate) fn write(&self) -> Result<(), BaselineError> {
        self.baseline.write(&self.path, &self.site)?;
        if !self.quiet {
            eprintln!(
                "doorbell: {} written ({} change{} accepted)",
                self.path.display(),
                self.changes,
                if self.changes == 1 { "" } else { "s" }
            );
        }
        Ok(())
    }
}

/// What the baseline did in a run.
#[derive(Default)]
pub(crate) struct Applied {
    /// The run was compared with the lock: its rules ran.
    pub(crate) compared: bool,
    /// The lock to write once the report is out (`--update-baseline`).
    pub(crate) accepted: Option<Accepted>,
}

/// Adds the baseline's findings, or prepares the lock to write when updating (the changes
/// are then accepted, not reported).
pub(crate) fn apply(
    job: &Job,
    audit: &Audit,
    probes: &[ProbeRow],
    probes_only: bool,
    findings: &mut Vec<Finding>,
) -> Result<Applied, String> {
    let Some(path) = &job.baseline else {
        return Ok(Applied::default());
    };
    if !probes_only && nothing_read(audit) {
        // An unreachable site is not a site without doors: neither compared nor accepted.
        return Ok(Applied::default());
    }
    let before = Baseline::read(path).map_err(|e| e.to_string())?;
    let site = (!probes_only).then(|| inventory_doors(&audit.inventory));
    let judged = probe_doors(probes);
    if job.update_baseline {
        let before = before.unwrap_or_default();
        let changes = compare(&before, site.as_ref(), &judged).len();
        return Ok(Applied {
            compared: false,
            accepted: Some(Accepted {
                path: path.clone(),
                site: audit.start_url.clone(),
                baseline: before.updated(site, &judged),
                changes,
                quiet: job.quiet,
            }),
        });
    }
    let before = before.ok_or_else(|| {
        format!(
            "there is no baseline at {}: accept today's contacts with --update-baseline first",
            path.display()
        )
    })?;
    let changes = compare(&before, site.as_ref(), &judged);
    findings.extend(checks::run_baseline(&changes, &job.catalogue, &job.choices));
    checks::sort(findings);
    Ok(Applied {
        compared: true,
        accepted: None,
    })
}
