//! The channel matrix: each kind of door a customer may knock on — offered or not, on how many
//! pages, and whether it works — with the findings and probes that concern it. What is offered
//! is read from the inventory; whether it works is read from the rules' verdicts (each finding
//! names its door and its contact point, and the catalogue says which rules mean "this does
//! not work"), so the matrix never judges a door again, and every format shows the same
//! verdicts.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use crate::checks::Finding;
use crate::inventory::Inventory;
use crate::rulebook::Severity;
use crate::types::contact::{DoorKind, FormPurpose, MessengerKind, WidgetKind};
use crate::types::probe::ProbeRow;

/// One kind of door.
#[derive(Debug, Clone, Serialize)]
pub struct Door {
    pub kind: DoorKind,
    pub offered: bool,
    /// Distinct contact points of this kind (numbers, addresses, links, forms, widgets).
    pub count: usize,
    /// Pages that show one.
    pub pages: usize,
    /// Contact points that do not work: those a rule that means "broken" (`breaks` in the
    /// catalogue) found — an invalid number, a dead form, a broken link, a mail domain that
    /// takes no mail, a probe that could not be sent.
    pub broken: usize,
    /// Findings about this kind of door, by severity.
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
    /// Probes sent through it this run.
    pub probes: usize,
    pub state: DoorState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DoorState {
    /// Not offered.
    Absent,
    /// Offered, nothing found wrong.
    Working,
    /// Offered and works, with warnings or notices to look at.
    Attention,
    /// Something behind it does not work, or a rule found an error.
    Broken,
}

impl DoorState {
    /// A stable name for styles and machines.
    pub fn id(self) -> &'static str {
        match self {
            Self::Absent => "absent",
            Self::Working => "working",
            Self::Attention => "attention",
            Self::Broken => "broken",
        }
    }
}

fn distinct_pages(pages: impl Iterator<Item = Arc<str>>) -> usize {
    pages.collect::<BTreeSet<_>>().len()
}

fn door(kind: DoorKind, count: usize, pages: usize) -> Door {
    Door {
        kind,
        offered: count > 0,
        count,
        pages,
        broken: 0,
        errors: 0,
        warnings: 0,
        notices: 0,
        probes: 0,
        state: DoorState::Absent,
    }
}

/// The matrix: the doors every site should consider (phone, e-mail, contact form, messengers,
/// chat, map, address, hours) always, the others when the site has them.
pub fn matrix(inv: &Inventory, findings: &[Finding], probes: &[ProbeRow]) -> Vec<Door> {
    let mut doors = vec![
        door(
            DoorKind::Phone,
            inv.phones.len(),
            distinct_pages(
                inv.phones
                    .iter()
                    .flat_map(|p| p.pages.iter().map(|o| o.url.clone())),
            ),
        ),
        door(
            DoorKind::Email,
            inv.emails.len() + inv.email_images.len() + inv.broken_mailto_links.len(),
            distinct_pages(
                inv.emails
                    .iter()
                    .chain(&inv.broken_mailto_links)
                    .flat_map(|e| e.pages.iter().map(|o| o.url.clone()))
                    .chain(
                        inv.email_images
                            .iter()
                            .flat_map(|e| e.pages.iter().map(|o| o.url.clone())),
                    ),
            ),
        ),
    ];

    let mut kinds: Vec<MessengerKind> = inv.messengers.iter().map(|m| m.kind).collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        doors.push(door(DoorKind::AnyMessenger, 0, 0));
    }
    for kind in kinds {
        let of_kind: Vec<_> = inv.messengers.iter().filter(|m| m.kind == kind).collect();
        doors.push(door(
            DoorKind::Messenger(kind),
            of_kind.len(),
            distinct_pages(
                of_kind
                    .iter()
                    .flat_map(|m| m.pages.iter().map(|o| o.url.clone())),
            ),
        ));
    }

    for purpose in [
        FormPurpose::Contact,
        FormPurpose::Callback,
        FormPurpose::Order,
        FormPurpose::Booking,
        FormPurpose::Quiz,
    ] {
        let forms: Vec<_> = inv.forms.iter().filter(|f| f.purpose == purpose).collect();
        let probed = probes
            .iter()
            .any(|p| p.facts.door() == DoorKind::Form(purpose));
        if forms.is_empty() && !probed && purpose != FormPurpose::Contact {
            continue;
        }
        doors.push(door(
            DoorKind::Form(purpose),
            forms.len(),
            distinct_pages(
                forms
                    .iter()
                    .flat_map(|f| f.pages.iter().map(|p| p.url.clone())),
            ),
        ));
    }

    for kind in [
        WidgetKind::Chat,
        WidgetKind::Callback,
        WidgetKind::MultiMessenger,
        WidgetKind::SocialWidget,
        WidgetKind::FormBuilder,
        WidgetKind::Map,
    ] {
        let widgets: Vec<_> = inv.widgets.iter().filter(|w| w.kind == kind).collect();
        if widgets.is_empty() && !matches!(kind, WidgetKind::Chat | WidgetKind::Map) {
            continue;
        }
        doors.push(door(
            DoorKind::Widget(kind),
            widgets.len(),
            distinct_pages(widgets.iter().flat_map(|w| w.pages.iter().cloned())),
        ));
    }
    for (kind, places) in [
        (DoorKind::Address, &inv.addresses),
        (DoorKind::Hours, &inv.hours),
    ] {
        doors.push(door(
            kind,
            places.len(),
            distinct_pages(
                places
                    .iter()
                    .flat_map(|p| p.pages.iter().map(|o| o.url.clone())),
            ),
        ));
    }

    let mut broken: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); doors.len()];
    for finding in findings {
        let Some(i) = finding.door.and_then(|kind| row_of(&doors, kind)) else {
            continue;
        };
        let d = &mut doors[i];
        match finding.severity {
            Severity::Error => d.errors += 1,
            Severity::Warning => d.warnings += 1,
            Severity::Notice => d.notices += 1,
        }
        if finding.breaks {
            broken[i].insert(finding.subject.site().unwrap_or_default());
        }
    }
    for probe in probes {
        if let Some(i) = row_of(&doors, probe.facts.door()) {
            doors[i].probes += 1;
        }
    }
    for (d, points) in doors.iter_mut().zip(&broken) {
        d.broken = points.len();
        d.state = if !d.offered && d.probes == 0 {
            DoorState::Absent
        } else if d.broken > 0 || d.errors > 0 {
            DoorState::Broken
        } else if d.warnings + d.notices > 0 {
            DoorState::Attention
        } else {
            DoorState::Working
        };
    }
    doors
}

/// The row of a kind of door; a finding on "messengers" in general goes to the row that
/// says there are none.
fn row_of(doors: &[Door], kind: DoorKind) -> Option<usize> {
    doors.iter().position(|d| d.kind == kind)
}
