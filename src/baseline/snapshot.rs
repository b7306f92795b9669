//! The doors of a run as lock lines: what identifies each one and the facts about it that a
//! customer would notice changing. Page counts are left out on purpose: a blog that grows by
//! a post a day would otherwise change every line every night.

use serde_json::{Value, json};

use super::{Baseline, Facts, PROBE_DOOR, one_line};
use crate::inventory::Inventory;
use crate::types::probe::ProbeRow;

fn name_of(value: impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => name,
        _ => String::new(),
    }
}

fn facts(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Facts {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn sorted(items: impl IntoIterator<Item = String>) -> Value {
    let mut items: Vec<String> = items.into_iter().map(|s| one_line(&s)).collect();
    items.sort();
    items.dedup();
    json!(items)
}

/// The site's doors, from the inventory.
pub fn inventory_doors(inv: &Inventory) -> Baseline {
    let mut out = Baseline::default();
    let mut add = |kind: &str, id: &str, facts: Facts| {
        out.doors.insert((kind.to_string(), one_line(id)), facts);
    };
    for phone in &inv.phones {
        let id = phone
            .e164
            .clone()
            .or_else(|| phone.shown.first().cloned())
            .unwrap_or_default();
        add(
            "phone",
            &id,
            facts([
                ("shown", sorted(phone.shown.iter().cloned())),
                ("valid", json!(phone.valid)),
                ("clickable", json!(phone.clickable)),
                ("tel_mismatch", json!(phone.tel_mismatch)),
            ]),
        );
    }
    for email in &inv.emails {
        add(
            "email",
            &email.address,
            facts([
                ("clickable", json!(email.clickable)),
                (
                    "mailto_problems",
                    sorted(email.mailto_problems.iter().cloned()),
                ),
            ]),
        );
    }
    for messenger in &inv.messengers {
        let target = messenger
            .target
            .clone()
            .or_else(|| messenger.href.clone())
            .unwrap_or_default();
        add(
            &name_of(messenger.kind),
            &target,
            facts([
                ("href", json!(messenger.href)),
                ("valid", json!(messenger.valid)),
                ("clickable", json!(messenger.clickable)),
            ]),
        );
    }
    for form in inv.forms.iter().filter(|f| f.reaches_company()) {
        add(
            "form",
            &format!(
                "{} {} {}",
                name_of(form.purpose),
                form.method.to_uppercase(),
                form.action
            ),
            facts([
                (
                    "fields",
                    sorted(
                        form.fields
                            .iter()
                            .filter(|f| f.shown())
                            .map(|f| f.name.clone()),
                    ),
                ),
                ("captcha", sorted(form.captcha.iter().cloned())),
                (
                    "alive",
                    form.action_check
                        .as_ref()
                        .map_or(Value::Null, |c| json!(c.alive)),
                ),
            ]),
        );
    }
    for widget in &inv.widgets {
        add(
            "widget",
            &widget.id,
            facts([("kind", json!(name_of(widget.kind)))]),
        );
    }
    for place in &inv.addresses {
        add("address", &place.text, Facts::new());
    }
    for place in &inv.hours {
        add("hours", &place.text, Facts::new());
    }
    out
}

/// How a judged probe ended, for the lock; `None` while it is still open.
fn settled_status(status: &str) -> Option<&str> {
    matches!(
        status,
        "answered" | "confirmed" | "sent" | "no-reply" | "failed"
    )
    .then_some(status)
}

/// The probes of a run that reached a verdict.
pub fn probe_doors(rows: &[ProbeRow]) -> Baseline {
    let mut out = Baseline::default();
    for row in rows {
        let Some(status) = settled_status(row.status) else {
            continue;
        };
        out.doors.insert(
            (
                PROBE_DOOR.to_string(),
                one_line(&format!("{} {}", row.facts.channel, row.facts.target)),
            ),
            facts([("status", json!(status))]),
        );
    }
    out
}
