//! The channel matrix: each kind of door a customer may knock on — offered or not, on how many
//! pages, and whether it works — with the findings and probes that concern it. Computed once
//! for the report model, so every format shows the same verdicts.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use crate::checks::Finding;
use crate::inventory::Inventory;
use crate::lang::Lang;
use crate::rulebook::Severity;
use crate::types::contact::FormPurpose;
use crate::types::contact::MessengerKind;
use crate::types::contact::WidgetKind;
use crate::types::facts::MailStatus;
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
    /// Contact points that do not work: an invalid number, a dead form, a broken link, a
    /// mail domain that takes no mail, a probe that failed.
    pub broken: usize,
    /// Findings about this kind of door, by severity.
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
    /// Probes sent through it this run.
    pub probes: usize,
    pub state: DoorState,
    /// What identifies its contact points in findings and probes (not in the contract).
    #[serde(skip)]
    keys: Vec<String>,
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
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::Absent => lang.pick("not offered", "нет"),
            Self::Working => lang.pick("works", "работает"),
            Self::Attention => lang.pick("works, with findings", "работает, есть замечания"),
            Self::Broken => lang.pick("broken", "не работает"),
        }
    }

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "name")]
pub enum DoorKind {
    Phone,
    Email,
    Messenger(MessengerKind),
    /// No messenger at all: the row that says so.
    AnyMessenger,
    Form(FormPurpose),
    Widget(WidgetKind),
    Address,
    Hours,
}

impl DoorKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::Phone => lang.pick("Phone", "Телефон"),
            Self::Email => lang.pick("E-mail", "E-mail"),
            Self::Messenger(kind) => kind.label(),
            Self::AnyMessenger => lang.pick("Messengers", "Мессенджеры"),
            Self::Form(purpose) => super::words::purpose_name(purpose, lang),
            Self::Widget(kind) => super::words::widget_kind_name(kind, lang),
            Self::Address => lang.pick("Address", "Адрес"),
            Self::Hours => lang.pick("Opening hours", "Часы работы"),
        }
    }
}

fn distinct_pages(pages: impl Iterator<Item = Arc<str>>) -> usize {
    pages.collect::<BTreeSet<_>>().len()
}

fn door(kind: DoorKind, count: usize, pages: usize, broken: usize, keys: Vec<String>) -> Door {
    Door {
        kind,
        offered: count > 0,
        count,
        pages,
        broken,
        errors: 0,
        warnings: 0,
        notices: 0,
        probes: 0,
        state: DoorState::Absent,
        keys,
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
            inv.phones
                .iter()
                .filter(|p| !p.valid || p.tel_mismatch)
                .count(),
            inv.phones
                .iter()
                .flat_map(|p| p.shown.iter().cloned().chain(p.e164.clone()))
                .collect(),
        ),
        door(
            DoorKind::Email,
            inv.emails.len() + inv.email_images.len(),
            distinct_pages(
                inv.emails
                    .iter()
                    .flat_map(|e| e.pages.iter().map(|o| o.url.clone()))
                    .chain(
                        inv.email_images
                            .iter()
                            .flat_map(|e| e.pages.iter().map(|o| o.url.clone())),
                    ),
            ),
            inv.emails
                .iter()
                .filter(|e| {
                    !e.mailto_problems.is_empty()
                        || inv.mail_domains.iter().any(|d| {
                            d.status == MailStatus::NoMail
                                && e.address
                                    .to_lowercase()
                                    .ends_with(&format!("@{}", d.domain))
                        })
                })
                .count(),
            inv.emails.iter().map(|e| e.address.clone()).collect(),
        ),
    ];

    let mut kinds: Vec<MessengerKind> = inv.messengers.iter().map(|m| m.kind).collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        doors.push(door(DoorKind::AnyMessenger, 0, 0, 0, Vec::new()));
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
            of_kind.iter().filter(|m| !m.valid).count(),
            of_kind
                .iter()
                .flat_map(|m| m.href.clone().into_iter().chain(m.target.clone()))
                .collect(),
        ));
    }

    for purpose in [
        FormPurpose::Contact,
        FormPurpose::Callback,
        FormPurpose::Order,
    ] {
        let forms: Vec<_> = inv.forms.iter().filter(|f| f.purpose == purpose).collect();
        if forms.is_empty() && purpose != FormPurpose::Contact {
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
            forms
                .iter()
                .filter(|f| f.action_check.as_ref().is_some_and(|c| !c.alive))
                .count(),
            forms.iter().map(|f| f.action.clone()).collect(),
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
            0,
            widgets.iter().map(|w| w.name.clone()).collect(),
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
            0,
            places.iter().map(|p| p.text.clone()).collect(),
        ));
    }

    for finding in findings {
        if let Some(i) = door_of_finding(&doors, finding) {
            let d = &mut doors[i];
            match finding.severity {
                Severity::Error => d.errors += 1,
                Severity::Warning => d.warnings += 1,
                Severity::Notice => d.notices += 1,
            }
        }
    }
    for probe in probes {
        let f = &probe.facts;
        let found = if f.channel == "email" {
            doors.iter().position(|d| d.kind == DoorKind::Email)
        } else {
            form_door(&doors, &f.target)
        };
        if let Some(i) = found {
            doors[i].probes += 1;
            if f.state == "failed" {
                doors[i].broken += 1;
            }
        }
    }
    for d in &mut doors {
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

fn position(doors: &[Door], wanted: impl Fn(DoorKind) -> bool) -> Option<usize> {
    doors.iter().position(|d| wanted(d.kind))
}

/// The form door whose forms post to `target` (a probe's target may carry a fragment), else the
/// contact form's.
fn form_door(doors: &[Door], target: &str) -> Option<usize> {
    doors
        .iter()
        .position(|d| {
            matches!(d.kind, DoorKind::Form(_))
                && d.keys
                    .iter()
                    .any(|action| target.starts_with(action.as_str()))
        })
        .or_else(|| position(doors, |k| k == DoorKind::Form(FormPurpose::Contact)))
}

fn door_of_finding(doors: &[Door], finding: &Finding) -> Option<usize> {
    let subject = finding.subject.site().unwrap_or_default();
    match finding.category.as_str() {
        "phone" => position(doors, |k| k == DoorKind::Phone),
        "email" => position(doors, |k| k == DoorKind::Email),
        "messenger" => {
            let prefix = finding.rule.split('.').next().unwrap_or_default();
            doors
                .iter()
                .position(|d| {
                    matches!(d.kind, DoorKind::Messenger(_))
                        && (d.kind.label(Lang::En).eq_ignore_ascii_case(prefix)
                            || d.kind.label(Lang::En) == subject
                            || d.keys.iter().any(|k| k == subject))
                })
                .or_else(|| {
                    position(doors, |k| {
                        matches!(k, DoorKind::Messenger(_) | DoorKind::AnyMessenger)
                    })
                })
        }
        "form" => form_door(doors, subject),
        "reply" if subject.contains('@') && !subject.contains("://") => {
            position(doors, |k| k == DoorKind::Email)
        }
        "reply" => form_door(doors, subject),
        "place" if finding.rule.contains("map") => {
            position(doors, |k| k == DoorKind::Widget(WidgetKind::Map))
        }
        "place" if finding.rule.contains("hours") => position(doors, |k| k == DoorKind::Hours),
        "place" => position(doors, |k| k == DoorKind::Address),
        _ => None,
    }
}
