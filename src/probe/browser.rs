//! Sending a form only a browser can send (no `<form>`, or a service's script that adds what
//! its back end checks): the same persona, token and filling as an HTTP probe, typed into
//! the page, the button clicked, and the answer judged from what the page sent, what came
//! back, and what the visitor then reads.

use url::Url;

use super::answer;
use super::fill::{self, Filled};
use super::plan::Target;
use super::settings::Persona;
use super::submit::{SubmitError, Submitted};
use crate::render::Renderer;
use crate::render::form::{FormSent, FormToSend, SendTrouble};
use crate::rulebook::Phrases;
use crate::types::probe::FormAnswer;

/// What a browser probe needs besides the renderer.
pub struct BrowserProbe<'a> {
    pub target: &'a Target,
    pub page: &'a str,
    pub persona: &'a Persona,
    pub token: &'a str,
    pub allow_hosts: &'a [String],
    pub phrases: &'a Phrases,
}

impl BrowserProbe<'_> {
    /// Sends the form in `renderer` and judges the answer.
    ///
    /// # Errors
    /// The page or the form is gone, a required field cannot be filled, the browser failed,
    /// or every request the page tried went to hosts outside the allow-list.
    pub async fn send(&self, renderer: &Renderer) -> Result<Submitted, SubmitError> {
        let page_url = Url::parse(self.page).map_err(|e| SubmitError::Page {
            page: self.page.to_string(),
            why: e.to_string(),
        })?;
        let key = self
            .target
            .form
            .as_ref()
            .ok_or_else(|| SubmitError::FormGone {
                action: self.target.target.clone(),
                page: self.page.to_string(),
            })?;
        let form = FormToSend {
            page: &page_url,
            action: &key.action,
            form_element: key.form_element,
            field_names: &key.field_names,
            submit: key.submit.as_deref(),
            allow_hosts: self.allow_hosts,
        };
        let mut filled = Filled::default();
        let sent = renderer
            .send_form(&form, |live| {
                filled = fill::fill(live, self.persona, self.token);
                if filled.unfilled_required.is_empty() {
                    Ok(filled.pairs.clone())
                } else {
                    Err(filled.unfilled_required.join(", "))
                }
            })
            .await
            .map_err(|trouble| match trouble {
                SendTrouble::Page(why) => SubmitError::Page {
                    page: self.page.to_string(),
                    why,
                },
                SendTrouble::Gone => SubmitError::FormGone {
                    action: self.target.target.clone(),
                    page: self.page.to_string(),
                },
                SendTrouble::Unfillable(fields) => SubmitError::Unfillable(fields),
                SendTrouble::Browser(why) => SubmitError::Send(format!("the browser: {why}")),
            })?;
        Ok(Submitted {
            answer: judge(&sent, self.page, self.phrases)?,
            filled,
            sent_at: Some(sent.clicked_at),
        })
    }
}

/// The request that carried the submission: the first that sent something, else the first
/// the page fetched by script or navigated to.
fn submission(sent: &FormSent) -> Option<&crate::render::form::SentRequest> {
    sent.requests
        .iter()
        .filter(|r| r.could_submit() && r.failed.is_none() && r.status.is_some())
        .min_by_key(|r| r.method == "GET")
}

/// What the sending came to.
///
/// # Errors
/// Nothing reached an allowed host and something was blocked: the form sends elsewhere.
fn judge(sent: &FormSent, page: &str, phrases: &Phrases) -> Result<FormAnswer, SubmitError> {
    let before = sent.text_before.to_lowercase();
    let final_url = if sent.url_after.is_empty() || sent.url_after == page {
        None
    } else {
        Some(sent.url_after.clone())
    };
    let Some(request) = submission(sent) else {
        if !sent.blocked.is_empty() {
            return Err(SubmitError::Blocked(blocked_hosts(&sent.blocked)));
        }
        let shown = answer::judge_visible(0, page, &sent.text_after, &before, phrases);
        let nothing = format!("nothing left the page when «{}» was clicked", sent.button);
        return Ok(FormAnswer {
            final_url: final_url.unwrap_or_else(|| page.to_string()),
            error: Some(match shown.error {
                Some(error) => format!("{nothing}; it says «{error}»"),
                None => nothing,
            }),
            browser: true,
            ..shown
        });
    };
    let status = request.status.unwrap_or_default();
    let final_url = final_url.unwrap_or_else(|| request.url.clone());
    let mut answer = answer::judge(
        status,
        &final_url,
        request.mime.as_deref(),
        request.body.as_deref().unwrap_or_default(),
        &before,
        phrases,
    );
    let shown = answer::judge_visible(status, &final_url, &sent.text_after, &before, phrases);
    if answer.confirmation.is_none() {
        answer.confirmation = shown.confirmation.clone();
        answer.eta = shown.eta;
    }
    if answer.error.is_none() && shown.confirmation.is_none() {
        answer.error = shown.error;
    }
    answer.captcha |= shown.captcha;
    answer.browser = true;
    answer.blocked.clone_from(&sent.blocked);
    Ok(answer)
}

/// The hosts of blocked requests, once each, for a message.
fn blocked_hosts(urls: &[String]) -> String {
    let mut hosts: Vec<String> = urls
        .iter()
        .filter_map(|u| Url::parse(u).ok()?.host_str().map(str::to_string))
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::form::SentRequest;
    use crate::rulebook::BUILTIN;

    const PAGE: &str = "https://shop.example.com/zayavka";

    fn request(method: &str, url: &str, status: u16, body: &str) -> SentRequest {
        SentRequest {
            method: method.into(),
            url: url.into(),
            kind: "Fetch".into(),
            status: Some(status),
            mime: Some("application/json".into()),
            body: Some(body.into()),
            failed: None,
            ..SentRequest::default()
        }
    }

    fn sent(requests: Vec<SentRequest>, blocked: &[&str], after: &str) -> FormSent {
        FormSent {
            button: "Отправить".into(),
            requests,
            blocked: blocked.iter().map(ToString::to_string).collect(),
            text_before: "Оставьте заявку\nОтправить".into(),
            text_after: after.into(),
            url_after: PAGE.into(),
            ..FormSent::default()
        }
    }

    #[test]
    fn a_post_answered_and_a_thank_you_shown_confirms() {
        let s = sent(
            vec![
                request("GET", "https://shop.example.com/app.js", 200, ""),
                request(
                    "POST",
                    "https://shop.example.com/api/lead",
                    200,
                    r#"{"ok":true}"#,
                ),
            ],
            &["https://stats.example.net/collect"],
            "Оставьте заявку\nСпасибо! Перезвоним в течение 15 минут.",
        );
        let a = judge(&s, PAGE, &BUILTIN.phrases).unwrap();
        assert_eq!(a.status, 200);
        assert_eq!(a.final_url, "https://shop.example.com/api/lead");
        assert!(a.confirmation.as_deref().unwrap().contains("Спасибо"));
        assert_eq!(a.eta.as_deref(), Some("в течение 15 минут"));
        assert!(a.browser && !a.failed());
        assert_eq!(a.blocked, ["https://stats.example.net/collect"]);
    }

    #[test]
    fn a_json_failure_wins_over_a_thank_you_the_script_shows_anyway() {
        let s = sent(
            vec![request(
                "POST",
                "https://shop.example.com/api/lead",
                200,
                r#"{"success":false,"message":"Ошибка: неверный телефон"}"#,
            )],
            &[],
            "Спасибо за заявку!",
        );
        let a = judge(&s, PAGE, &BUILTIN.phrases).unwrap();
        assert!(a.failed(), "{a:?}");
    }

    #[test]
    fn a_click_that_sends_nothing_is_a_failure_and_a_blocked_only_submission_is_not_sent() {
        let silent = sent(Vec::new(), &[], "Оставьте заявку\nОтправить");
        let a = judge(&silent, PAGE, &BUILTIN.phrases).unwrap();
        assert!(a.failed() && a.status == 0);
        assert!(a.error.unwrap().contains("«Отправить»"));
        let elsewhere = sent(
            Vec::new(),
            &[
                "https://forms.example.net/send?x=1",
                "https://forms.example.net/send?x=2",
            ],
            "",
        );
        match judge(&elsewhere, PAGE, &BUILTIN.phrases) {
            Err(SubmitError::Blocked(hosts)) => assert_eq!(hosts, "forms.example.net"),
            other => panic!("{other:?}"),
        }
    }
}
