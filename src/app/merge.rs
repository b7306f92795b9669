//! `doorbell merge`: shards' summaries and sites' own JSON reports joined into one summary.

use std::path::Path;

use super::portfolio::emit_summary;
use super::{Failure, Outcome};
use crate::cli::MergeArgs;
use crate::portfolio::{SiteRow, Summary};
use crate::report::Format;
use crate::rulebook::FailOn;

/// A site's JSON report as a summary row.
fn row_of_report(report: &serde_json::Value, fail_on: FailOn, file: &Path) -> SiteRow {
    let count = |severity: &str| {
        report["findings"].as_array().map_or(0, |f| {
            f.iter().filter(|f| f["severity"] == severity).count()
        })
    };
    let fails = report["findings"].as_array().is_some_and(|f| {
        f.iter().any(|f| {
            serde_json::from_value::<crate::rulebook::Severity>(f["severity"].clone())
                .is_ok_and(|s| fail_on.fails(s))
        })
    });
    SiteRow {
        url: report["start_url"].as_str().unwrap_or_default().to_string(),
        status: "ok".into(),
        error: None,
        score: report["score"]["value"]
            .as_u64()
            .and_then(|v| u32::try_from(v).ok()),
        errors: count("error"),
        warnings: count("warning"),
        notices: count("notice"),
        pages_ok: report["crawl"]["pages_ok"]
            .as_u64()
            .and_then(|v| usize::try_from(v).ok())
            .unwrap_or(0),
        broken_doors: report["doors"]
            .as_array()
            .map_or(0, |d| d.iter().filter(|d| d["state"] == "broken").count()),
        fails,
        report: file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        duration_ms: report["crawl"]["duration_ms"].as_u64().unwrap_or(0),
    }
}

fn read_part(path: &Path, fail_on: FailOn) -> Result<Summary, String> {
    let file = if path.is_dir() {
        path.join("summary.json")
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", file.display()))?;
    if value["kind"] == "summary" {
        serde_json::from_value(value)
            .map_err(|e| format!("{}: not a doorbell summary: {e}", file.display()))
    } else if value["start_url"].is_string() && value["schema"].is_u64() {
        Ok(Summary::new(
            vec![row_of_report(&value, fail_on, &file)],
            Vec::new(),
        ))
    } else {
        Err(format!(
            "{}: neither a doorbell summary nor a site's JSON report",
            file.display()
        ))
    }
}

pub(crate) fn merge_command(args: MergeArgs) -> Outcome {
    let file = crate::config::find(None)?;
    let fail_on = args
        .fail_on
        .or(file.report.fail_on)
        .unwrap_or(FailOn::Error);
    let mut parts = Vec::new();
    for input in &args.inputs {
        parts.push(read_part(input, fail_on).map_err(Failure::usage)?);
    }
    let summary = Summary::merge(parts);
    emit_summary(
        &summary,
        args.output
            .format
            .or(file.report.format)
            .unwrap_or(Format::Table),
        file.lang(args.output.lang),
        args.output.output.is_empty(),
        &args.output.output,
    )
}
