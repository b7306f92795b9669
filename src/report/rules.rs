//! `doorbell rules` and `doorbell explain`: the catalogue as a table, one rule explained.

use std::fmt::Write as _;

use super::words::severity_name;
use crate::lang::Lang;
use crate::rulebook::{Catalogue, Rule};

/// Every rule: id, severity, title.
pub fn table(catalogue: &Catalogue, lang: Lang) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(vec![
            lang.pick("Rule", "Правило"),
            lang.pick("Severity", "Важность"),
            lang.pick("Title", "Название"),
        ]);
    for rule in &catalogue.rules {
        table.add_row(vec![
            rule.id.as_str(),
            severity_name(rule.severity, lang),
            &rule.title.with_form(lang, None),
        ]);
    }
    format!("{table}\n")
}

/// One rule: its title, why it matters, how to fix it, its thresholds.
pub fn explanation(rule: &Rule, lang: Lang) -> String {
    let mut text = format!(
        "{} ({}, {})\n\n{}\n  {}\n\n{}\n  {}\n",
        rule.title.with_form(lang, None),
        rule.id,
        severity_name(rule.severity, lang),
        lang.pick("Why it matters:", "Почему это важно:"),
        rule.why.get(lang),
        lang.pick("How to fix:", "Как исправить:"),
        rule.fix.get(lang),
    );
    if !rule.thresholds.is_empty() {
        let _ = writeln!(text, "\n{}", lang.pick("Thresholds:", "Пороги:"));
        for (name, value) in &rule.thresholds {
            let _ = writeln!(text, "  {name} = {value}");
        }
    }
    text
}
