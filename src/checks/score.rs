//! The reachability score: 0–100 per site.
//!
//! Start at 100. Take 15 for each of the three kinds of channel the site lacks (a phone, a
//! written channel — e-mail or a contact form —, an instant one — a messenger or a chat), then
//! 10 per error, 4 per warning and 1 per notice among the findings, and stop at 0. A site that
//! follows the practice scores 100; one with no contacts at all scores at most 55.

use serde::Serialize;

use super::Finding;
use crate::inventory::Inventory;
use crate::rulebook::Severity;
use crate::types::contact::{Source, WidgetKind};

#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub value: u32,
    /// Kinds of channel present: phone, written, instant.
    pub channels: Vec<&'static str>,
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
}

pub const MISSING_CHANNEL_COST: u32 = 15;
pub const ERROR_COST: u32 = 10;
pub const WARNING_COST: u32 = 4;
pub const NOTICE_COST: u32 = 1;

/// The kinds of channel a site offers.
pub fn channels(inv: &Inventory) -> Vec<&'static str> {
    let phone = inv
        .phones
        .iter()
        .any(|p| p.pages.iter().any(|o| o.source != Source::Schema));
    let written = !inv.emails.is_empty() || inv.forms.iter().any(|f| f.purpose.reaches_company());
    let instant = inv.messengers.iter().any(|m| m.clickable && m.valid)
        || inv.widgets.iter().any(|w| {
            matches!(
                w.kind,
                WidgetKind::Chat | WidgetKind::MultiMessenger | WidgetKind::SocialWidget
            )
        });
    [(phone, "phone"), (written, "written"), (instant, "instant")]
        .into_iter()
        .filter(|(present, _)| *present)
        .map(|(_, name)| name)
        .collect()
}

pub fn score(inv: &Inventory, findings: &[Finding]) -> Score {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, notices) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Notice),
    );
    let channels = channels(inv);
    let missing = 3 - u32::try_from(channels.len()).unwrap_or(3);
    let cost = missing * MISSING_CHANNEL_COST
        + u32::try_from(errors)
            .unwrap_or(u32::MAX / 4)
            .saturating_mul(ERROR_COST)
        + u32::try_from(warnings)
            .unwrap_or(u32::MAX / 4)
            .saturating_mul(WARNING_COST)
        + u32::try_from(notices)
            .unwrap_or(u32::MAX / 4)
            .saturating_mul(NOTICE_COST);
    Score {
        value: 100u32.saturating_sub(cost),
        channels,
        errors,
        warnings,
        notices,
    }
}
