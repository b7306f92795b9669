//! What went wrong while a page loaded, as its visitor's browser saw it: requests that failed
//! (an HTTP error, a name that does not resolve, a refused connection) and exceptions its
//! scripts threw. A chat widget whose loader 404s or throws never shows its button; this is
//! the evidence.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventRequestWillBeSent, EventResponseReceived,
};
use chromiumoxide::cdp::js_protocol::runtime::EventExceptionThrown;
use futures_util::StreamExt;

/// Failures of each kind kept from one page, at most.
const MAX_KEPT: usize = 100;

/// A page's failed requests and script errors, each as (URL, what happened).
#[derive(Debug, Default, Clone)]
pub struct Trouble {
    pub failed_requests: Vec<(String, String)>,
    pub script_errors: Vec<(String, String)>,
}

fn keep(list: &mut Vec<(String, String)>, url: String, what: String) {
    if list.len() < MAX_KEPT {
        list.push((url, what));
    }
}

/// Starts noting `page`'s trouble; the task is to be aborted when the page is read.
pub async fn watch(page: &Page) -> (tokio::task::JoinHandle<()>, Arc<Mutex<Trouble>>) {
    let trouble = Arc::new(Mutex::new(Trouble::default()));
    let (Ok(mut sent), Ok(mut answered), Ok(mut failed), Ok(mut thrown)) = (
        page.event_listener::<EventRequestWillBeSent>().await,
        page.event_listener::<EventResponseReceived>().await,
        page.event_listener::<EventLoadingFailed>().await,
        page.event_listener::<EventExceptionThrown>().await,
    ) else {
        return (tokio::spawn(async {}), trouble);
    };
    let noted = trouble.clone();
    let task = tokio::spawn(async move {
        let mut urls: HashMap<String, String> = HashMap::new();
        loop {
            tokio::select! {
                Some(event) = sent.next() => {
                    if urls.len() < 10_000 {
                        urls.insert(event.request_id.inner().clone(), event.request.url.clone());
                    }
                }
                Some(event) = answered.next() => {
                    if event.response.status >= 400 {
                        let mut trouble = noted.lock().expect("not poisoned");
                        keep(
                            &mut trouble.failed_requests,
                            event.response.url.clone(),
                            format!("HTTP {}", event.response.status),
                        );
                    }
                }
                Some(event) = failed.next() => {
                    // Our own refusals and skipped images are not the page's trouble.
                    if event.error_text.contains("ERR_BLOCKED_BY_CLIENT") || event.canceled == Some(true) {
                        continue;
                    }
                    let url = urls.get(event.request_id.inner()).cloned().unwrap_or_default();
                    let mut trouble = noted.lock().expect("not poisoned");
                    keep(&mut trouble.failed_requests, url, event.error_text.clone());
                }
                Some(event) = thrown.next() => {
                    let details = &event.exception_details;
                    let message = details
                        .exception
                        .as_ref()
                        .and_then(|e| e.description.clone())
                        .unwrap_or_else(|| details.text.clone());
                    let first_line = message.lines().next().unwrap_or_default().to_string();
                    let mut trouble = noted.lock().expect("not poisoned");
                    keep(
                        &mut trouble.script_errors,
                        details.url.clone().unwrap_or_default(),
                        first_line,
                    );
                }
                else => break,
            }
        }
    });
    (task, trouble)
}

/// A widget the browser waits for: its button's CSS selectors, and which request URLs are
/// its loader's (when one of them fails, there is no button to wait for).
pub struct WidgetWait<'a> {
    pub selectors: Vec<String>,
    pub is_loader: Box<dyn Fn(&str) -> bool + Send + Sync + 'a>,
}

/// Waits, at most `budget`, until each widget has drawn its button or its loader failed.
pub async fn widgets_drawn(
    page: &Page,
    widgets: &[WidgetWait<'_>],
    trouble: &Mutex<Trouble>,
    budget: Duration,
) {
    let started = tokio::time::Instant::now();
    let mut pending: Vec<&WidgetWait<'_>> = widgets.iter().collect();
    while !pending.is_empty() && started.elapsed() < budget {
        let selectors: Vec<String> = pending.iter().map(|w| w.selectors.join(", ")).collect();
        let script = format!(
            "{}.map(s => document.querySelector(s) !== null)",
            serde_json::to_string(&selectors).unwrap_or_else(|_| "[]".into())
        );
        let drawn: Vec<bool> = page
            .evaluate(script.as_str())
            .await
            .ok()
            .and_then(|r| r.into_value().ok())
            .unwrap_or_default();
        let trouble = trouble.lock().expect("not poisoned").clone();
        let mut index = 0;
        pending.retain(|widget| {
            let done = drawn.get(index).copied().unwrap_or(false)
                || trouble
                    .failed_requests
                    .iter()
                    .any(|(url, _)| (widget.is_loader)(url))
                || trouble
                    .script_errors
                    .iter()
                    .any(|(url, _)| (widget.is_loader)(url));
            index += 1;
            !done
        });
        if !pending.is_empty() {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// The CSS selector of a signature's DOM marker (`id:x` → `#x`, `class:x` → `.x`,
/// `attr:x` → `[x]`), the name escaped as CSS needs.
pub fn selector_of(marker: &str) -> Option<String> {
    let (kind, name) = marker.split_once(':')?;
    let escaped: String = name
        .chars()
        .flat_map(|c| {
            let plain = c.is_ascii_alphanumeric() || c == '-' || c == '_';
            (!plain)
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect();
    match kind {
        "id" => Some(format!("#{escaped}")),
        "class" => Some(format!(".{escaped}")),
        "attr" => Some(format!("[{escaped}]")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_selectors() {
        assert_eq!(
            selector_of("id:jivo-iframe-container").as_deref(),
            Some("#jivo-iframe-container")
        );
        assert_eq!(selector_of("class:b24.x").as_deref(), Some(".b24\\.x"));
        assert_eq!(
            selector_of("attr:data-b24-form").as_deref(),
            Some("[data-b24-form]")
        );
        assert_eq!(selector_of("tag:x"), None);
    }
}
