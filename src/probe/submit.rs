//! Sending one form: visit its page as a browser would (cookies kept), read the form as
//! served now (fresh CSRF token), fill it, submit it the way the form says (urlencoded,
//! multipart or JSON), and judge the answer.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{CONTENT_TYPE, ORIGIN, REFERER};
use url::Url;

use super::answer;

use super::fill::{self, Filled};
use super::settings::Persona;
use crate::crawl::decode::decode;
use crate::extract::form::{LiveForm, live_forms};
use crate::rulebook::Phrases;
use crate::types::probe::FormAnswer;

/// The most of an answer we read: confirmations are short, and a huge answer must not
/// exhaust memory.
const ANSWER_CAP: usize = 512 * 1024;

/// What submitting a form came to.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub answer: FormAnswer,
    pub filled: Filled,
    /// When the submission left, when later than the start of sending (a browser loads and
    /// fills the page first): notifications are matched to the probe sent last before them.
    pub sent_at: Option<i64>,
}

/// Why a form could not be submitted at all.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the page {page} could not be loaded: {why}")]
    Page { page: String, why: String },
    #[error("the form sending to {action} is no longer on {page}")]
    FormGone { action: String, page: String },
    #[error("required fields doorbell cannot fill: {0}")]
    Unfillable(String),
    #[error("sending failed: {0}")]
    Send(String),
    /// The form answered 307 or 308 to a host probes may not reach: following would post the
    /// test submission there.
    #[error("redirected off the site to {0}: the test submission was not sent there")]
    RedirectedOff(String),
    /// In the browser, the page tried to send the form to hosts probes may not reach.
    #[error(
        "the page sends the form to {0}, not in [probe] allow_hosts: blocked before it left (allow the host to test it)"
    )]
    Blocked(String),
}

async fn read_capped(response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = ANSWER_CAP - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= ANSWER_CAP {
            break;
        }
    }
    Ok(body)
}

fn content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Finds the form on the page that sends where the inventory said.
fn the_form(forms: Vec<LiveForm>, action: &str) -> Option<LiveForm> {
    forms.into_iter().find(|f| f.action == action)
}

/// Submits the form sending to `action` on `page` for the probe carrying `token`.
///
/// # Errors
/// The page or the form is gone, a required field cannot be filled, or the request failed
/// before an answer came.
pub async fn submit(
    client: &reqwest::Client,
    page: &str,
    action: &str,
    persona: &Persona,
    token: &str,
    phrases: &Phrases,
    timeout: Duration,
) -> Result<Submitted, SubmitError> {
    let page_err = |why: String| SubmitError::Page {
        page: page.to_string(),
        why,
    };
    let response = client
        .get(page)
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| page_err(e.to_string()))?;
    if !response.status().is_success() {
        return Err(page_err(format!("HTTP {}", response.status().as_u16())));
    }
    let page_url = response.url().clone();
    let ct = content_type(&response);
    let body = read_capped(response)
        .await
        .map_err(|e| page_err(e.to_string()))?;
    let (html, _, _) = decode(body, ct.as_deref(), None);
    let before = answer::page_text(&html).to_lowercase();
    let form =
        the_form(live_forms(&html, &page_url), action).ok_or_else(|| SubmitError::FormGone {
            action: action.to_string(),
            page: page.to_string(),
        })?;
    let filled = fill::fill(&form, persona, token);
    if !filled.unfilled_required.is_empty() {
        return Err(SubmitError::Unfillable(filled.unfilled_required.join(", ")));
    }
    let action_url =
        Url::parse(&form.action).map_err(|e| SubmitError::Send(format!("{}: {e}", form.action)))?;
    let origin = page_url.origin().ascii_serialization();
    let request = if form.method == "GET" {
        let mut url = action_url.clone();
        url.query_pairs_mut().extend_pairs(filled.pairs.iter());
        client.get(url)
    } else if form.json {
        let object: serde_json::Map<String, serde_json::Value> = filled
            .pairs
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        client
            .post(action_url.clone())
            .header("X-Requested-With", "XMLHttpRequest")
            .json(&object)
    } else if form.enctype.starts_with("multipart/") {
        let parts = filled
            .pairs
            .iter()
            .fold(reqwest::multipart::Form::new(), |f, (k, v)| {
                f.text(k.clone(), v.clone())
            });
        client.post(action_url.clone()).multipart(parts)
    } else {
        client.post(action_url.clone()).form(&filled.pairs)
    };
    let response = request
        .header(REFERER, page_url.as_str())
        .header(ORIGIN, origin)
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| SubmitError::Send(e.to_string()))?;
    let status = response.status().as_u16();
    // The client stops only at redirects off the allowed hosts.
    let off_site = response
        .status()
        .is_redirection()
        .then(|| {
            let location = response.headers().get(reqwest::header::LOCATION)?;
            response.url().join(location.to_str().ok()?).ok()
        })
        .flatten();
    if let Some(to) = &off_site
        && matches!(status, 307 | 308)
    {
        return Err(SubmitError::RedirectedOff(to.to_string()));
    }
    // 301, 302 or 303 after the post: the server took it and sends the visitor elsewhere
    // (a thank-you page on another host), which is not read.
    let final_url = off_site.map_or_else(|| response.url().to_string(), |to| to.to_string());
    let ct = content_type(&response);
    let body = read_capped(response)
        .await
        .map_err(|e| SubmitError::Send(e.to_string()))?;
    let (text, _, _) = decode(body, ct.as_deref(), None);
    Ok(Submitted {
        answer: answer::judge(status, &final_url, ct.as_deref(), &text, &before, phrases),
        filled,
        sent_at: None,
    })
}
