//! What a probe tab sends once its form is being filled, as it goes and comes back: each
//! request, its status, whether it finished, and — for the first few that could carry the
//! submission — the answer, within a cap.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent, EventResponseReceived,
    GetResponseBodyParams, ResourceType,
};
use futures_util::StreamExt;

/// The most of an answer read back from the browser: confirmations are short.
pub(super) const ANSWER_BYTES: i64 = 512 * 1024;
const ANSWER_CAP: f64 = ANSWER_BYTES as f64;
/// Requests noted while a form is sent, at most.
const MAX_NOTED: usize = 200;
/// Answers read back, at most: the submission is among the first.
const MAX_BODIES: usize = 4;
/// One request the page sent after the first field was touched.
#[derive(Debug, Clone, Default)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    /// `XHR`, `Fetch`, `Document`, …
    pub kind: String,
    pub status: Option<u16>,
    pub mime: Option<String>,
    /// The answer, when it was small enough to read.
    pub body: Option<String>,
    /// Why it failed, when it did.
    pub failed: Option<String>,
    /// Its answer came in whole.
    pub finished: bool,
}

impl SentRequest {
    fn done(&self) -> bool {
        self.finished || self.failed.is_some()
    }

    /// What could be the submission: anything but a plain fetch of a script or style.
    pub fn could_submit(&self) -> bool {
        self.method != "GET" || matches!(self.kind.as_str(), "XHR" | "Fetch" | "Document")
    }
}

/// The requests a tab sends once armed, as they go and come back.
#[derive(Default)]
pub(super) struct Traffic {
    requests: Vec<SentRequest>,
    ids: HashMap<String, usize>,
    lengths: HashMap<usize, f64>,
}

impl Traffic {
    /// A request that sends something is not answered yet. A GET left open (a chat's long
    /// poll) is not what the click started.
    pub(super) fn still_sending(&self) -> bool {
        self.requests.iter().any(|r| r.method != "GET" && !r.done())
    }
}

pub(super) async fn note_traffic(
    page: &Page,
    armed: Arc<AtomicBool>,
) -> (tokio::task::JoinHandle<()>, Arc<Mutex<Traffic>>) {
    let traffic = Arc::new(Mutex::new(Traffic::default()));
    let (Ok(mut sent), Ok(mut answered), Ok(mut finished), Ok(mut failed)) = (
        page.event_listener::<EventRequestWillBeSent>().await,
        page.event_listener::<EventResponseReceived>().await,
        page.event_listener::<EventLoadingFinished>().await,
        page.event_listener::<EventLoadingFailed>().await,
    ) else {
        return (tokio::spawn(async {}), traffic);
    };
    let noted = traffic.clone();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(event) = sent.next() => {
                    if !armed.load(Ordering::SeqCst) {
                        continue;
                    }
                    let mut t = noted.lock().expect("not poisoned");
                    if t.requests.len() >= MAX_NOTED || !event.request.url.starts_with("http") {
                        continue;
                    }
                    let kind = event
                        .r#type
                        .as_ref()
                        .map(|k| format!("{k:?}"))
                        .unwrap_or_default();
                    // A redirect sends the same id again: the leg before it is over.
                    if let Some(redirect) = &event.redirect_response
                        && let Some(&before) = t.ids.get(event.request_id.inner())
                    {
                        t.requests[before].status = u16::try_from(redirect.status).ok();
                        t.requests[before].finished = true;
                    }
                    let index = t.requests.len();
                    t.requests.push(SentRequest {
                        method: event.request.method.clone(),
                        url: event.request.url.clone(),
                        kind: if matches!(event.r#type, Some(ResourceType::Xhr)) { "XHR".into() } else { kind },
                        ..SentRequest::default()
                    });
                    t.ids.insert(event.request_id.inner().clone(), index);
                }
                Some(event) = answered.next() => {
                    let mut t = noted.lock().expect("not poisoned");
                    if let Some(&i) = t.ids.get(event.request_id.inner()) {
                        t.requests[i].status = u16::try_from(event.response.status).ok();
                        t.requests[i].mime = Some(event.response.mime_type.clone());
                    }
                }
                Some(event) = finished.next() => {
                    let mut t = noted.lock().expect("not poisoned");
                    if let Some(&i) = t.ids.get(event.request_id.inner()) {
                        t.requests[i].finished = true;
                        t.lengths.insert(i, event.encoded_data_length);
                    }
                }
                Some(event) = failed.next() => {
                    let mut t = noted.lock().expect("not poisoned");
                    if let Some(&i) = t.ids.get(event.request_id.inner()) {
                        t.requests[i].failed = Some(event.error_text.clone());
                    }
                }
                else => break,
            }
        }
    });
    (task, traffic)
}

/// Reads back the answers to the first requests that could be the submission.
pub(super) async fn read_answers(page: &Page, traffic: &Mutex<Traffic>) -> Vec<SentRequest> {
    let (mut requests, wanted): (Vec<SentRequest>, Vec<(usize, String)>) = {
        let t = traffic.lock().expect("not poisoned");
        let wanted = t
            .ids
            .iter()
            .filter(|(_, i)| {
                let r = &t.requests[**i];
                r.finished && r.could_submit() && t.lengths.get(i).is_some_and(|l| *l <= ANSWER_CAP)
            })
            .map(|(id, i)| (*i, id.clone()))
            .collect();
        (t.requests.clone(), wanted)
    };
    let mut wanted = wanted;
    wanted.sort_unstable();
    for (i, id) in wanted.into_iter().take(MAX_BODIES) {
        let Ok(answer) = page.execute(GetResponseBodyParams::new(id)).await else {
            continue;
        };
        // A binary answer (an image, a file) says nothing a person reads.
        if !answer.base64_encoded {
            requests[i].body = Some(answer.body.clone());
        }
    }
    requests
}
