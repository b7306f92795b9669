//! The rules on what changed since the baseline (`--baseline doorbell.lock`).

use super::Hit;
use crate::baseline::{Change, Facts};
use crate::rulebook::Rule;

pub type BaselineCheck = fn(&[Change], &Rule) -> Vec<Hit>;

pub fn check_for(id: &str) -> Option<BaselineCheck> {
    Some(match id {
        "inventory.changed" => changed,
        "probe.regressed" => regressed,
        _ => return None,
    })
}

fn facts_text(facts: &Facts) -> String {
    serde_json::to_string(facts).unwrap_or_default()
}

/// What differs between two lines, field by field: `clickable: true → false`.
fn difference(before: &Facts, after: &Facts) -> String {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| {
            let side = |f: &Facts| {
                f.get(k)
                    .map_or_else(|| "—".to_string(), ToString::to_string)
            };
            format!("{k}: {} → {}", side(before), side(after))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A door of the site added (`+`), removed (`−`) or altered (`~`), with before and after.
fn changed(changes: &[Change], _rule: &Rule) -> Vec<Hit> {
    changes
        .iter()
        .filter(|c| !c.is_probe())
        .map(|c| {
            let (mark, evidence) = match (&c.before, &c.after) {
                (None, Some(after)) => ("+", facts_text(after)),
                (Some(before), None) => ("−", facts_text(before)),
                (Some(before), Some(after)) => ("~", difference(before, after)),
                (None, None) => ("?", String::new()),
            };
            Hit::new(format!("{mark} {} {}", c.kind, c.id), evidence, [])
        })
        .collect()
}

/// How good a probe's ending is: a human answered, something confirmed, nothing was
/// expected, nothing came, it did not send.
fn rank(facts: &Facts) -> u8 {
    match facts.get("status").and_then(|s| s.as_str()) {
        Some("answered") => 3,
        Some("confirmed") => 2,
        Some("sent") => 1,
        _ => 0,
    }
}

/// A probe that worked at the baseline and fails or goes unanswered today.
fn regressed(changes: &[Change], _rule: &Rule) -> Vec<Hit> {
    changes
        .iter()
        .filter(|c| c.is_probe())
        .filter_map(|c| {
            let (before, after) = (c.before.as_ref()?, c.after.as_ref()?);
            (rank(before) > 0 && rank(after) == 0).then(|| {
                let status = |f: &Facts| {
                    f.get("status")
                        .and_then(|s| s.as_str())
                        .unwrap_or("?")
                        .to_string()
                };
                Hit::new(
                    c.id.clone(),
                    format!("{} → {}", status(before), status(after)),
                    [],
                )
            })
        })
        .collect()
}
