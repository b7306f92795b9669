//! Sending a form in the browser, as a person would: the page loads, the form is found by its
//! fields and button, each field gets its value typed in (`Input.insertText`, so Cyrillic
//! arrives whole and the page's own scripts see input events), the button is clicked, and
//! everything the page then does is watched — the requests it sends, their answers, the
//! words that appear. Only probes come here; an audit never clicks.
//!
//! From the moment the first field is touched, a request to a host outside the probe's
//! allow-list is failed before it leaves and noted: a form's script that also posts to an
//! analytics or CRM host does not leak the test submission there.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::cdp::browser_protocol::network;

use url::Url;

use super::network::ProbeGuard;
pub use super::traffic::SentRequest;
use super::traffic::{ANSWER_BYTES, Traffic, note_traffic, read_answers};
use crate::extract::form::LiveForm;

/// The most of the page's visible text read, before and after.
const TEXT_CAP: usize = 200_000;
/// After the click, scripts get this long before silence counts as the end.
const FIRST_WAIT: Duration = Duration::from_secs(1);

/// The form to send: how to find it on its page.
#[derive(Debug, Clone)]
pub struct FormToSend<'a> {
    pub page: &'a Url,
    /// A `<form>`'s action; a script form's page.
    pub action: &'a str,
    pub form_element: bool,
    pub field_names: &'a [String],
    /// Its button's words.
    pub submit: Option<&'a str>,
    /// Hosts the submission may reach.
    pub allow_hosts: &'a [String],
}

/// Why a form could not be sent in the browser.
#[derive(Debug)]
pub enum SendTrouble {
    /// The page did not load.
    Page(String),
    /// The form is not on the page (or has no button).
    Gone,
    /// The filling was refused, with why.
    Unfillable(String),
    /// The browser failed us.
    Browser(String),
}

/// What the browser saw while the form was sent.
#[derive(Debug, Clone, Default)]
pub struct FormSent {
    /// The values typed, as (field, value).
    pub typed: Vec<(String, String)>,
    /// The button's words.
    pub button: String,
    /// Requests sent after the first field was touched, in order.
    pub requests: Vec<SentRequest>,
    /// Requests to hosts outside the allow-list, failed before they left.
    pub blocked: Vec<String>,
    /// The page's visible text before the first field was touched, and when it settled.
    pub text_before: String,
    pub text_after: String,
    /// Where the tab stood at the end.
    pub url_after: String,
    /// When the button was clicked (seconds since the epoch): when the submission left.
    pub clicked_at: i64,
}

/// Finds the form, marks it, its button, and hands back its markup and the button's words.
const LOCATE: &str = r#"(spec) => {
  const BUTTONS = 'button, input[type=submit], input[type=button], [role=button], a[class*=btn], a[class*=button], div[class*=btn], div[class*=button], span[class*=btn], span[class*=button]';
  const shown = el => !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
  const sel = n => `[name="${CSS.escape(n)}"], #${CSS.escape(n)}`;
  const names = spec.names.filter(n => n);
  const has = (root, n) => root.querySelector(sel(n));
  let candidates = [];
  if (spec.formElement) {
    candidates = [...document.forms].filter(f => names.every(n => has(f, n)));
    const same = candidates.filter(f => {
      try { const u = new URL(f.getAttribute('action') || location.href, location.href); u.hash = ''; return u.href === spec.action; }
      catch (e) { return false; }
    });
    if (same.length) candidates = same;
  } else if (names.length) {
    for (const start of document.querySelectorAll(sel(names[0]))) {
      if (start.closest('form')) continue;
      for (let box = start.parentElement; box && box !== document.body; box = box.parentElement) {
        if (names.every(n => has(box, n)) && box.querySelector(BUTTONS)) { candidates.push(box); break; }
      }
    }
  }
  const box = candidates.find(shown) || candidates[0];
  if (!box) return JSON.stringify({ found: false });
  const words = b => (b.innerText || b.value || '').trim();
  const buttons = [...box.querySelectorAll(BUTTONS)].filter(b => !b.disabled);
  const wanted = (spec.submit || '').trim().toLowerCase();
  const button = buttons.find(b => shown(b) && wanted && words(b).toLowerCase() === wanted)
    || buttons.find(b => shown(b) && (b.type || '').toLowerCase() === 'submit')
    || buttons.find(shown) || buttons[0];
  if (!button) return JSON.stringify({ found: false });
  box.setAttribute('data-doorbell-form', '1');
  button.setAttribute('data-doorbell-submit', '1');
  return JSON.stringify({ found: true, html: box.outerHTML, button: words(button) });
}"#;

/// A form in a closed pop-up: finds what opens it — a link to the pop-up's hook (Tilda's
/// `#popup:…`) or its id, a modal's `data-target`/`data-bs-target`, a lightbox's `data-src`
/// — and marks it to be clicked.
const FIND_OPENER: &str = r#"() => {
  const shown = el => !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
  const box = document.querySelector('[data-doorbell-form]');
  if (!box || shown(box)) return 'shown';
  const hooks = [];
  for (let a = box; a && a !== document.body; a = a.parentElement) {
    const hook = a.getAttribute('data-tooltip-hook');
    if (hook) hooks.push(hook);
    if (a.id) hooks.push('#' + a.id);
  }
  for (const hook of hooks) {
    for (const attr of ['href', 'data-target', 'data-bs-target', 'data-src']) {
      const opener = [...document.querySelectorAll('[' + attr + ']')]
        .find(e => e.getAttribute(attr) === hook && shown(e) && !box.contains(e));
      if (opener) { opener.setAttribute('data-doorbell-opener', '1'); return 'opener'; }
    }
  }
  return 'none';
}"#;

/// A form still hidden after its opener (or with none): shown by force, so that a person's
/// typing and click can reach it.
const FORCE_SHOWN: &str = r#"() => {
  const shown = el => !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
  const box = document.querySelector('[data-doorbell-form]');
  if (!box || shown(box)) return 'shown';
  for (let a = box; a && a !== document.documentElement; a = a.parentElement) {
    const style = getComputedStyle(a);
    if (style.display === 'none') a.style.setProperty('display', 'block', 'important');
    if (style.visibility === 'hidden') a.style.setProperty('visibility', 'visible', 'important');
    if (style.opacity === '0') a.style.setProperty('opacity', '1', 'important');
  }
  return shown(box) ? 'forced' : 'hidden';
}"#;

/// Sets one field: ticks a box, picks an option, or focuses a text field and selects what it
/// holds so that the typing replaces it. Answers `type` when the text is to be typed.
const SET_FIELD: &str = r#"(name, value) => {
  const box = document.querySelector('[data-doorbell-form]');
  if (!box) return 'missing';
  const all = [...box.querySelectorAll(`[name="${CSS.escape(name)}"], #${CSS.escape(name)}`)];
  if (!all.length) return 'missing';
  const el = all.find(e => (e.type === 'radio' || e.type === 'checkbox')
      ? (e.value === value || (value === 'on' && !e.getAttribute('value'))) : true) || all[0];
  const type = (el.type || '').toLowerCase();
  const fire = t => el.dispatchEvent(new Event(t, { bubbles: true }));
  if (type === 'hidden' || el.disabled) return 'kept';
  if (type === 'checkbox' || type === 'radio') { if (!el.checked) el.click(); return 'ticked'; }
  if (el.tagName.toLowerCase() === 'select') { el.value = value; fire('input'); fire('change'); return 'chosen'; }
  if (el.value === value) return 'kept';
  document.querySelectorAll('[data-doorbell-typing]').forEach(e => e.removeAttribute('data-doorbell-typing'));
  el.setAttribute('data-doorbell-typing', '1');
  el.scrollIntoView({ block: 'center' });
  el.focus();
  if (el.select) el.select();
  return 'type';
}"#;

/// The value of the field being typed into, as its scripts left it.
const TYPED_VALUE: &str = "(() => { const el = document.querySelector('[data-doorbell-typing]'); return el ? String(el.value) : ''; })()";

/// Empties the field being typed into, as its scripts see it, to type again — after whatever
/// its mask puts back (`+7 (`): the caret goes to the end, not over the mask's prefix.
const EMPTY_TYPED: &str = "(() => { const el = document.querySelector('[data-doorbell-typing]'); \
    if (!el) return ''; el.focus(); el.value = ''; el.dispatchEvent(new Event('input', { bubbles: true })); \
    try { el.setSelectionRange(el.value.length, el.value.length); } catch (e) {} return ''; })()";

const VISIBLE_TEXT: &str =
    "(() => (document.body ? document.body.innerText : '').slice(0, 200000))()";

fn call(function: &str, args: &[serde_json::Value]) -> String {
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    format!("({function})({})", args.join(", "))
}

async fn eval_string(page: &Page, expression: String) -> Result<String, String> {
    page.evaluate(expression)
        .await
        .map_err(|e| e.to_string())?
        .into_value::<String>()
        .map_err(|e| e.to_string())
}

async fn visible_text(page: &Page) -> String {
    let mut text = eval_string(page, VISIBLE_TEXT.to_string())
        .await
        .unwrap_or_default();
    text.truncate(crate::text::floor_char_boundary(
        &text,
        text.len().min(TEXT_CAP),
    ));
    text
}

impl super::Renderer {
    /// Sends `form` in a new tab: loads its page, fills it with what `fill` makes of the
    /// form as it stands, clicks its button, and watches until the page settles or the
    /// page budget runs out.
    ///
    /// # Errors
    /// The page did not load, the form or its button is not there, `fill` refused, or the
    /// browser failed.
    pub async fn send_form(
        &self,
        form: &FormToSend<'_>,
        fill: impl FnOnce(&LiveForm) -> Result<Vec<(String, String)>, String>,
    ) -> Result<FormSent, SendTrouble> {
        let guard = Arc::new(ProbeGuard::new(form.allow_hosts));
        let (page, interception, _) = self
            .open_tab_guarded(Some(guard.clone()))
            .await
            .map_err(SendTrouble::Browser)?;
        // Chromium keeps no answer body past the cap, so none larger — a small gzip that
        // unpacks to gigabytes — can be handed over to us.
        let _ = page
            .execute(
                network::EnableParams::builder()
                    .max_resource_buffer_size(ANSWER_BYTES)
                    .max_total_buffer_size(ANSWER_BYTES * 8)
                    .build(),
            )
            .await;
        let armed = Arc::new(AtomicBool::new(false));
        let (listener, traffic) = note_traffic(&page, armed.clone()).await;
        // Loading, settling, typing and the answer each have their bounds; this bounds a
        // page that stalls every one of them.
        let result = tokio::time::timeout(
            self.page_budget * 4,
            self.fill_and_click(&page, form, fill, &guard, &armed, &traffic),
        )
        .await
        .unwrap_or_else(|_| {
            Err(SendTrouble::Browser(format!(
                "the page did not finish in {} s",
                (self.page_budget * 4).as_secs()
            )))
        });
        listener.abort();
        interception.abort();
        let _ = page.close().await;
        result
    }

    async fn fill_and_click(
        &self,
        page: &Page,
        form: &FormToSend<'_>,
        fill: impl FnOnce(&LiveForm) -> Result<Vec<(String, String)>, String>,
        guard: &ProbeGuard,
        armed: &AtomicBool,
        traffic: &Mutex<Traffic>,
    ) -> Result<FormSent, SendTrouble> {
        if !self
            .visit(page, form.page)
            .await
            .map_err(SendTrouble::Page)?
        {
            return Err(SendTrouble::Page(
                "it did not finish loading in the page budget".into(),
            ));
        }
        let spec = serde_json::json!({
            "names": form.field_names,
            "submit": form.submit,
            "formElement": form.form_element,
            "action": form.action,
        });
        let located = eval_string(page, call(LOCATE, &[spec]))
            .await
            .map_err(SendTrouble::Browser)?;
        let located: serde_json::Value =
            serde_json::from_str(&located).map_err(|e| SendTrouble::Browser(e.to_string()))?;
        if located["found"] != true {
            return Err(SendTrouble::Gone);
        }
        let markup = located["html"].as_str().unwrap_or_default();
        let live = live_form(markup, form).ok_or(SendTrouble::Gone)?;
        let typed = fill(&live).map_err(SendTrouble::Unfillable)?;
        self.open_popup(page).await;
        let text_before = visible_text(page).await;
        // From here on the page may send what we type: only to the allowed hosts.
        guard.arm();
        armed.store(true, Ordering::SeqCst);
        self.keep_proxy_to(guard);
        for (name, value) in &typed {
            let how = eval_string(
                page,
                call(SET_FIELD, &[name.as_str().into(), value.as_str().into()]),
            )
            .await
            .map_err(SendTrouble::Browser)?;
            if how == "type" {
                type_into(page, value).await?;
            }
        }
        let clicked_at = crate::clock::now();
        self.click_button(page).await?;
        self.watch_answer(page, traffic).await;
        let requests = read_answers(page, traffic).await;
        let text_after = visible_text(page).await;
        let url_after = page.url().await.ok().flatten().unwrap_or_default();
        let blocked = std::mem::take(&mut *guard.blocked.lock().expect("not poisoned"));
        Ok(FormSent {
            typed,
            button: located["button"].as_str().unwrap_or_default().to_string(),
            requests,
            blocked,
            text_before,
            text_after,
            url_after,
            clicked_at,
        })
    }

    /// Opens the pop-up the form is in, as a visitor would (its opener clicked), else shows
    /// it by force.
    async fn open_popup(&self, page: &Page) {
        let how = eval_string(page, call(FIND_OPENER, &[]))
            .await
            .unwrap_or_default();
        if how == "opener" {
            let _ = click(page, "[data-doorbell-opener]").await;
            super::settle(page).await;
        }
        if how != "shown" {
            let _ = eval_string(page, call(FORCE_SHOWN, &[])).await;
        }
    }

    async fn click_button(&self, page: &Page) -> Result<(), SendTrouble> {
        click(page, "[data-doorbell-submit]")
            .await
            .map_err(|e| SendTrouble::Browser(format!("the button could not be clicked: {e}")))
    }

    /// Waits until what the click started is over: every request that sends something
    /// answered and the DOM quiet, at most the page budget.
    async fn watch_answer(&self, page: &Page, traffic: &Mutex<Traffic>) {
        let started = tokio::time::Instant::now();
        let mut last = None;
        let mut quiet_since = started;
        while started.elapsed() < self.page_budget {
            tokio::time::sleep(super::POLL).await;
            let count = super::mutations(page).await;
            let now = tokio::time::Instant::now();
            if count != last || count.is_none() {
                last = count;
                quiet_since = now;
            }
            let pending = traffic.lock().expect("not poisoned").still_sending();
            if !pending && started.elapsed() >= FIRST_WAIT && now - quiet_since >= super::QUIET {
                return;
            }
        }
    }
}

/// Clicks the element `selector` marks as a person does, with the mouse at its middle; one
/// that cannot take a mouse click (covered, zero-sized) gets the DOM's click.
async fn click(page: &Page, selector: &str) -> Result<(), String> {
    if let Ok(element) = page.find_element(selector).await
        && element.click().await.is_ok()
    {
        return Ok(());
    }
    let script = format!(
        "document.querySelector({}).click()",
        serde_json::Value::from(selector)
    );
    page.evaluate(script)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// What to type again when a phone mask mangled a number: its last ten digits, the part a
/// mask with the country code already in it (`+7 (___) ___-__-__`) takes. `None` when the
/// field holds the number, however the mask spaced it.
fn retype_for_mask(typed: &str, shown: &str) -> Option<String> {
    let typed = digits(typed);
    if typed.len() < 10 {
        return None;
    }
    let national = &typed[typed.len() - 10..];
    (!digits(shown).ends_with(national)).then(|| national.to_string())
}

/// Types `value` into the focused field; a number a mask mangled is typed again as the
/// national digits.
async fn type_into(page: &Page, value: &str) -> Result<(), SendTrouble> {
    let insert = |text: String| async move {
        page.execute(InsertTextParams::new(text))
            .await
            .map(drop)
            .map_err(|e| SendTrouble::Browser(e.to_string()))
    };
    insert(value.to_string()).await?;
    let shown = eval_string(page, TYPED_VALUE.to_string())
        .await
        .unwrap_or_default();
    if let Some(national) = retype_for_mask(value, &shown) {
        let _ = eval_string(page, EMPTY_TYPED.to_string()).await;
        insert(national).await?;
    }
    let _ = page
        .evaluate("document.activeElement && document.activeElement.blur()")
        .await;
    Ok(())
}

/// The form as it stands in the page, read with the same code as a served one.
fn live_form(markup: &str, form: &FormToSend<'_>) -> Option<LiveForm> {
    let candidates = if form.form_element {
        crate::extract::form::live_forms(markup, form.page)
    } else {
        crate::extract::formless::live(markup, form.page)
    };
    let covered = |f: &LiveForm| {
        form.field_names
            .iter()
            .filter(|n| f.controls.iter().any(|c| &c.field.name == *n))
            .count()
    };
    let mut best = candidates.into_iter().max_by_key(covered)?;
    if !form.form_element {
        form.action.clone_into(&mut best.action);
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::retype_for_mask;

    #[test]
    fn a_number_a_mask_mangled_is_typed_again_as_its_national_digits() {
        let typed = "+7 900 000-00-00";
        assert_eq!(retype_for_mask(typed, "+7 (900) 000-00-00"), None);
        assert_eq!(retype_for_mask(typed, "79000000000"), None);
        assert_eq!(
            retype_for_mask(typed, "+7 (790) 000-00-00"),
            Some("9000000000".into())
        );
        assert_eq!(retype_for_mask(typed, ""), Some("9000000000".into()));
        assert_eq!(retype_for_mask("Тест Тестов", "Тест"), None, "not a number");
    }
}
