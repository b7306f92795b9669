//! Today's doors against the baseline's.

use super::{Baseline, Facts, PROBE_DOOR};

/// A door added (`before` is none), removed (`after` is none) or altered.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: String,
    pub id: String,
    pub before: Option<Facts>,
    pub after: Option<Facts>,
}

impl Change {
    pub fn is_probe(&self) -> bool {
        self.kind == PROBE_DOOR
    }
}

/// What changed. The site's doors are compared only when the run crawled the site (`site`);
/// probes only where this run judged one that the baseline knows — a probe not sent today is
/// not a door removed.
pub fn compare(baseline: &Baseline, site: Option<&Baseline>, probes: &Baseline) -> Vec<Change> {
    let mut changes = Vec::new();
    if let Some(site) = site {
        let before = baseline.doors.iter().filter(|((k, _), _)| k != PROBE_DOOR);
        for (key, facts) in before {
            match site.doors.get(key) {
                None => changes.push(change(key, Some(facts), None)),
                Some(now) if now != facts => changes.push(change(key, Some(facts), Some(now))),
                Some(_) => {}
            }
        }
        for (key, facts) in &site.doors {
            if !baseline.doors.contains_key(key) {
                changes.push(change(key, None, Some(facts)));
            }
        }
    }
    for (key, now) in &probes.doors {
        if let Some(before) = baseline.doors.get(key)
            && before != now
        {
            changes.push(change(key, Some(before), Some(now)));
        }
    }
    changes.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    changes
}

fn change(key: &(String, String), before: Option<&Facts>, after: Option<&Facts>) -> Change {
    Change {
        kind: key.0.clone(),
        id: key.1.clone(),
        before: before.cloned(),
        after: after.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lock(lines: &str) -> Baseline {
        Baseline::parse(lines, "test.lock").unwrap()
    }

    #[test]
    fn added_removed_and_altered_doors_and_only_probes_run_today() {
        let before = lock(
            "phone\t+74950000000\t{\"clickable\":true}\nphone\t+74950000001\t{}\nprobe\tform https://a/send\t{\"status\":\"confirmed\"}\nprobe\temail info@a\t{\"status\":\"answered\"}\n",
        );
        let site = lock("phone\t+74950000000\t{\"clickable\":false}\nemail\tinfo@a\t{}\n");
        let probes = lock("probe\tform https://a/send\t{\"status\":\"failed\"}\n");
        let changes = compare(&before, Some(&site), &probes);
        let summary: Vec<(&str, &str, bool, bool)> = changes
            .iter()
            .map(|c| {
                (
                    c.kind.as_str(),
                    c.id.as_str(),
                    c.before.is_some(),
                    c.after.is_some(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("email", "info@a", false, true),
                ("phone", "+74950000000", true, true),
                ("phone", "+74950000001", true, false),
                ("probe", "form https://a/send", true, true),
            ]
        );
        assert_eq!(
            changes[1].after.as_ref().unwrap()["clickable"],
            json!(false)
        );
        // Verify judges probes only: the site's doors are not compared.
        assert_eq!(compare(&before, None, &probes).len(), 1);
        assert!(compare(&before, Some(&before.clone()), &Baseline::default()).is_empty());
    }
}
