//! Which doors to knock on: contact, callback and order forms and the e-mail addresses on
//! allowed hosts, one probe each, within the per-run limit. Everything else is listed with
//! the reason it is left alone.

use serde::Serialize;
use url::Url;

use super::settings::ProbeSettings;
use crate::inventory::Inventory;
use crate::journal::Channel;
use crate::types::contact::FormPurpose;

/// A probe to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub channel: Channel,
    /// A form's action URL, or an e-mail address.
    pub target: String,
    /// The page a form is sent from.
    pub page: Option<String>,
    /// What a form is for.
    pub purpose: Option<String>,
    /// Sent in a browser (`--render`): the page's script sends this form.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub browser: bool,
    /// How the browser finds the form on its page.
    #[serde(skip)]
    pub form: Option<FormKey>,
}

/// What tells a form from the others on its page: its field names and its button's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormKey {
    /// The form's action as the page has it (a target may carry `#form-2`).
    pub action: String,
    pub form_element: bool,
    pub field_names: Vec<String>,
    pub submit: Option<String>,
}

/// Why a door is left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", content = "detail", rename_all = "kebab-case")]
pub enum Reason {
    FormsOff,
    /// The form's purpose (`login`, `search`, …).
    NotProbed(String),
    /// Controls with no `<form>`, sent by the page's script, and no browser asked for
    /// (`--render`).
    NeedsBrowser,
    OtherHost,
    /// The captchas guarding it.
    Captcha(String),
    NoAllowedPage,
    NoSmtp,
    EmailsOff,
    DomainNotAllowed,
    /// The limit per run.
    OverLimit(usize),
}

/// A door left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub channel: Channel,
    pub target: String,
    #[serde(flatten)]
    pub reason: Reason,
}

/// The plan: what will be sent and what will not.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProbePlan {
    pub targets: Vec<Target>,
    pub skipped: Vec<Skipped>,
}

fn purpose_name(purpose: FormPurpose) -> String {
    purpose.name().to_string()
}

/// Whether an e-mail domain belongs to an allowed host: the same name, or one is a parent
/// of the other (`info@example.com` for `shop.example.com`).
fn domain_allowed(domain: &str, settings: &ProbeSettings) -> bool {
    let domain = domain.to_lowercase();
    settings.allows(&domain)
        || settings
            .allow_hosts
            .iter()
            .any(|h| h.ends_with(&format!(".{domain}")) || domain.ends_with(&format!(".{h}")))
}

/// Plans the probes of a site.
pub fn plan(inventory: &Inventory, settings: &ProbeSettings) -> ProbePlan {
    let mut plan = ProbePlan::default();
    let mut skip = |channel, target: &str, reason: Reason| {
        plan.skipped.push(Skipped {
            channel,
            target: target.to_string(),
            reason,
        });
    };
    let mut targets: Vec<Target> = Vec::new();
    let browser = settings.browser.is_some();
    for form in &inventory.forms {
        let action = form.action.as_str();
        let by_script = !form.form_element
            || form.backend.as_ref().is_some_and(|b| b.by_script)
            || form.script.is_some();
        let why_not = if !settings.forms {
            Some(Reason::FormsOff)
        } else if !form.purpose.reaches_company() {
            Some(Reason::NotProbed(purpose_name(form.purpose)))
        } else if !form.form_element && !browser {
            Some(Reason::NeedsBrowser)
        } else if !Url::parse(action)
            .ok()
            .and_then(|u| u.host_str().map(|h| settings.allows(h)))
            .unwrap_or(false)
        {
            Some(Reason::OtherHost)
        } else if !form.captcha.is_empty() {
            Some(Reason::Captcha(form.captcha.join(", ")))
        } else {
            None
        };
        let page = form.pages.iter().map(|p| p.url.to_string()).find(|p| {
            Url::parse(p)
                .ok()
                .and_then(|u| u.host_str().map(|h| settings.allows(h)))
                .unwrap_or(false)
        });
        match (why_not, page) {
            (Some(why), _) => skip(Channel::Form, action, why),
            (None, None) => skip(Channel::Form, action, Reason::NoAllowedPage),
            (None, Some(page)) => {
                // Script forms are named by their page: two on one page need two names.
                let mut target = action.to_string();
                let mut n = 1;
                while targets.iter().any(|t| t.target == target) {
                    n += 1;
                    target = format!("{action}#form-{n}");
                }
                targets.push(Target {
                    channel: Channel::Form,
                    target,
                    page: Some(page),
                    purpose: Some(purpose_name(form.purpose)),
                    browser: browser && by_script,
                    form: Some(FormKey {
                        action: action.to_string(),
                        form_element: form.form_element,
                        field_names: form.fields.iter().map(|f| f.name.clone()).collect(),
                        submit: form.submit.clone(),
                    }),
                });
            }
        }
    }
    for email in &inventory.emails {
        let domain = email.address.rsplit_once('@').map_or("", |(_, d)| d);
        if !settings.emails {
            skip(
                Channel::Email,
                &email.address,
                if settings.smtp.is_none() {
                    Reason::NoSmtp
                } else {
                    Reason::EmailsOff
                },
            );
        } else if !domain_allowed(domain, settings) {
            skip(Channel::Email, &email.address, Reason::DomainNotAllowed);
        } else {
            targets.push(Target {
                channel: Channel::Email,
                target: email.address.clone(),
                page: None,
                purpose: None,
                browser: false,
                form: None,
            });
        }
    }
    for target in targets {
        if plan.targets.len() < settings.max_messages {
            plan.targets.push(target);
        } else {
            plan.skipped.push(Skipped {
                reason: Reason::OverLimit(settings.max_messages),
                channel: target.channel,
                target: target.target,
            });
        }
    }
    plan
}
