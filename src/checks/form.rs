//! Form rules (PRACTICE.md items 15–17).

use super::{Hit, Site, urls_of};
use crate::inventory::Form;
use crate::rulebook::Rule;
use crate::types::contact::{DoorKind, FormPurpose};

/// Forms a customer uses to reach the company.
fn is_contact_form(form: &Form) -> bool {
    form.purpose.reaches_company()
}

/// Fields a person fills in: visible, not a trap, not a consent tick.
fn asked_fields(form: &Form) -> usize {
    form.fields
        .iter()
        .filter(|f| f.shown() && !matches!(f.kind.as_str(), "checkbox" | "radio" | "hidden"))
        .count()
}

pub fn too_many_fields(site: &Site<'_>, rule: &Rule) -> Vec<Hit> {
    site.inventory
        .forms
        .iter()
        .filter_map(|form| {
            let max = match form.purpose {
                FormPurpose::Callback => rule.threshold("max_callback_fields"),
                FormPurpose::Contact => rule.threshold("max_contact_fields"),
                _ => return None,
            };
            let asked = asked_fields(form);
            (asked as f64 > max).then(|| {
                let names: Vec<&str> = form
                    .fields
                    .iter()
                    .filter(|f| f.shown())
                    .map(|f| f.title())
                    .collect();
                Hit::new(
                    form.subject(),
                    format!("{asked} > {max}: {}", names.join(", ")),
                    urls_of(form.pages.iter().map(|p| &p.url)),
                )
                .at(DoorKind::Form(form.purpose))
            })
        })
        .collect()
}

pub fn captcha(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .forms
        .iter()
        .filter(|f| is_contact_form(f) && !f.captcha.is_empty())
        .map(|f| {
            Hit::new(
                f.subject(),
                f.captcha.join(", "),
                urls_of(f.pages.iter().map(|p| &p.url)),
            )
            .at(DoorKind::Form(f.purpose))
        })
        .collect()
}

/// Plain HTTP to another machine. Loopback is exempt: nothing travels over a network there,
/// and it is where sites are developed and tested.
pub fn insecure_action(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .forms
        .iter()
        .filter(|f| is_contact_form(f) && f.form_element)
        .filter(|f| {
            url::Url::parse(&f.action).is_ok_and(|u| {
                u.scheme() == "http"
                    && !matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
            })
        })
        .map(|f| {
            Hit::new(
                f.subject(),
                f.action.clone(),
                urls_of(f.pages.iter().map(|p| &p.url)),
            )
            .at(DoorKind::Form(f.purpose))
        })
        .collect()
}

/// Forms whose action check failed, conclusively (`unverified: false`) or not: one hit each,
/// with the answer as evidence.
fn failed_actions(site: &Site<'_>, unverified: bool, asked: &str) -> Vec<Hit> {
    site.inventory
        .forms
        .iter()
        .filter_map(|f| {
            let check = f
                .action_check
                .as_ref()
                .filter(|c| !c.alive && c.unverified == unverified)?;
            let evidence = match (check.status, &check.error) {
                (Some(status), _) => format!("{} → HTTP {status}{asked}", f.action),
                (None, Some(error)) => format!("{} → {error}", f.action),
                (None, None) => f.action.clone(),
            };
            Some(
                Hit::new(
                    f.subject(),
                    evidence,
                    urls_of(f.pages.iter().map(|p| &p.url)),
                )
                .at(DoorKind::Form(f.purpose)),
            )
        })
        .collect()
}

/// The action did not answer, or answered "gone", a server error, or 404 for a file.
pub fn action_broken(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    failed_actions(site, false, "")
}

/// The action answered a plain request in a way that proves nothing: a 404 from a route that
/// may take POST alone, or no lookup possible from here. Said, not counted as broken.
pub fn action_unverified(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    failed_actions(site, true, " (GET/HEAD)")
}
