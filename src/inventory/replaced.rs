//! Numbers a script replaced: the served HTML shows one number, the page a visitor's browser
//! builds shows another in the same part of the page, or none. Call tracking does this on
//! purpose (each visitor sees a number the service counts calls on); when its script fails or
//! runs out of numbers, visitors see an empty space or a broken number.

use std::sync::Arc;

use serde::Serialize;

use crate::extract::PhoneSighting;
use crate::types::contact::{PageRegion, Source};

/// Replacements kept from one page, at most.
const MAX_PER_PAGE: usize = 20;

/// One number of the served HTML and what visitors see in its place.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneReplacement {
    pub url: Arc<str>,
    pub region: PageRegion,
    /// As the served HTML writes it.
    pub served: String,
    pub served_e164: Option<String>,
    /// As the rendered page shows it instead; absent when nothing took its place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown_e164: Option<String>,
    /// The number shown instead can exist (false when none is shown).
    pub shown_valid: bool,
    /// The call-tracking services whose script is on the page (`Calltouch`).
    pub scripts: Vec<String>,
}

/// How a sighting is told apart from another number.
fn key(phone: &PhoneSighting) -> &str {
    phone.e164.as_deref().unwrap_or(&phone.shown)
}

fn visible(phones: &[PhoneSighting]) -> impl Iterator<Item = &PhoneSighting> {
    phones.iter().filter(|p| p.source != Source::Schema)
}

/// The numbers `these` show and `those` show nowhere, once per part of the page.
fn only_in<'a>(these: &'a [PhoneSighting], those: &[PhoneSighting]) -> Vec<&'a PhoneSighting> {
    let mut only: Vec<&PhoneSighting> = Vec::new();
    for phone in visible(these) {
        let elsewhere = visible(those).any(|other| key(other) == key(phone));
        let listed = only
            .iter()
            .any(|o| key(o) == key(phone) && o.region == phone.region);
        if !elsewhere && !listed {
            only.push(phone);
        }
    }
    only
}

/// The served numbers the rendered page no longer shows anywhere, each paired with a number
/// only the rendered page shows in the same part of the page, in page order.
pub fn replacements(
    url: &Arc<str>,
    served: &[PhoneSighting],
    rendered: &[PhoneSighting],
    scripts: &[String],
) -> Vec<PhoneReplacement> {
    let gone = only_in(served, rendered);
    let mut new = only_in(rendered, served);
    gone.into_iter()
        .take(MAX_PER_PAGE)
        .map(|old| {
            let instead = new
                .iter()
                .position(|n| n.region == old.region)
                .map(|at| new.remove(at));
            PhoneReplacement {
                url: url.clone(),
                region: old.region,
                served: old.shown.clone(),
                served_e164: old.e164.clone(),
                shown: instead.map(|n| n.shown.clone()),
                shown_e164: instead.and_then(|n| n.e164.clone()),
                shown_valid: instead.is_some_and(|n| n.valid),
                scripts: scripts.to_vec(),
            }
        })
        .collect()
}
