//! `--format json`: the documented contract (`"schema": 1`), see README.md.

use super::Report;

/// Renders the report as pretty-printed JSON.
pub fn render(report: &Report<'_>) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("the report serialises");
    text.push('\n');
    text
}
