//! What a form's answer says: the HTTP status, where it redirected, and the page or JSON —
//! did it confirm, did it say when, did it show an error or a captcha challenge.

use crate::rulebook::Phrases;
use crate::rulebook::promise;
use crate::types::probe::FormAnswer;

/// The text worth reading in an answer: a page's visible text, or a JSON body's strings.
fn readable(body: &str, json: Option<&serde_json::Value>) -> String {
    fn strings(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    match json {
        Some(value) => {
            let mut out = String::new();
            strings(value, &mut out);
            out
        }
        None => page_text(body),
    }
}

/// The visible text of a page, scripts and styles left out, one line per text node so
/// that a heading and the paragraph after it do not run together.
pub fn page_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let mut lines = Vec::new();
    for node in doc.root_element().descendants() {
        if let Some(text) = node.value().as_text() {
            let hidden_parent = node
                .parent()
                .and_then(|p| p.value().as_element().map(|e| e.name().to_string()))
                .is_some_and(|n| {
                    matches!(n.as_str(), "script" | "style" | "noscript" | "template")
                });
            let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !hidden_parent && !line.is_empty() {
                lines.push(line);
            }
        }
    }
    lines.join("\n")
}

/// The sentence around a phrase found at `at` in `text`, for evidence.
fn excerpt(text: &str, at: usize) -> String {
    let start = text[..at].rfind(['.', '!', '\n', '?']).map_or(0, |i| i + 1);
    let end = text[at..]
        .find(['.', '!', '\n', '?'])
        .map_or(text.len(), |i| at + i + 1);
    let sentence: String = text[start..end].trim().chars().take(200).collect();
    sentence
}

fn first_phrase(text: &str, lower: &str, phrases: &[String], before: &str) -> Option<String> {
    phrases
        .iter()
        .filter(|p| !before.contains(p.as_str()))
        .filter_map(|p| lower.find(p.as_str()))
        .min()
        .map(|at| {
            // `lower` and `text` differ in byte offsets only where lower-casing changes a
            // character's length, which Cyrillic and Latin letters do not.
            let at = crate::text::floor_char_boundary(text, at);
            excerpt(text, at)
        })
}

/// Judges an answer. `before` is the lower-cased text of the page the form stood on: words
/// that were there already (a «Спасибо» in the footer) prove nothing.
pub fn judge(
    status: u16,
    final_url: &str,
    content_type: Option<&str>,
    body: &str,
    before: &str,
    phrases: &Phrases,
) -> FormAnswer {
    let json = content_type
        .filter(|c| c.contains("json"))
        .and_then(|_| serde_json::from_str::<serde_json::Value>(body).ok())
        .or_else(|| {
            let t = body.trim_start();
            (t.starts_with('{') || t.starts_with('['))
                .then(|| serde_json::from_str(t).ok())
                .flatten()
        });
    let text = readable(body, json.as_ref());
    judge_text(status, final_url, &text, json.as_ref(), before, phrases)
}

/// Judges what a page shows a visitor after sending (its visible text, as a browser reads
/// it), against what it showed before.
pub fn judge_visible(
    status: u16,
    final_url: &str,
    visible: &str,
    before: &str,
    phrases: &Phrases,
) -> FormAnswer {
    judge_text(status, final_url, visible, None, before, phrases)
}

fn judge_text(
    status: u16,
    final_url: &str,
    text: &str,
    json: Option<&serde_json::Value>,
    before: &str,
    phrases: &Phrases,
) -> FormAnswer {
    let lower = text.to_lowercase();
    let before = if json.is_some() { "" } else { before };
    let json_says_failed = json.is_some_and(|v| {
        v.get("success").and_then(serde_json::Value::as_bool) == Some(false)
            || v.get("ok").and_then(serde_json::Value::as_bool) == Some(false)
            || v.get("status").and_then(serde_json::Value::as_str) == Some("error")
            || v.get("error").is_some_and(|e| !e.is_null() && e != false)
            || v.get("errors")
                .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty()) || e.is_object())
    });
    let captcha = phrases
        .captcha_challenge_phrases
        .iter()
        .any(|p| lower.contains(p.as_str()) && !before.contains(p.as_str()));
    let mut error = first_phrase(text, &lower, &phrases.error_phrases, before);
    if error.is_none() && json_says_failed {
        error = Some(text.lines().next().unwrap_or("error").trim().to_string());
    }
    let confirmation = if status < 400 {
        first_phrase(text, &lower, &phrases.confirmation_phrases, before)
    } else {
        None
    };
    // A confirmation that also shows an error is a form that re-rendered with a message;
    // the error is what the visitor reads.
    let error = error.filter(|_| confirmation.is_none() || json_says_failed || status >= 400);
    FormAnswer {
        status,
        final_url: final_url.to_string(),
        eta: confirmation.as_ref().and_then(|_| promise::find(text)),
        confirmation,
        error,
        captcha,
        ..FormAnswer::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::BUILTIN;

    fn j(status: u16, ct: &str, body: &str, before: &str) -> FormAnswer {
        judge(
            status,
            "https://x/",
            Some(ct),
            body,
            before,
            &BUILTIN.phrases,
        )
    }

    #[test]
    fn a_thank_you_page_with_a_time_confirms_with_eta() {
        let a = j(
            200,
            "text/html",
            "<html><body><script>var x='ошибка'</script><h1>Спасибо! Заявка принята.</h1><p>Перезвоним в течение 15 минут.</p></body></html>",
            "",
        );
        assert_eq!(a.confirmation.as_deref(), Some("Спасибо!"));
        assert_eq!(a.eta.as_deref(), Some("в течение 15 минут"));
        assert!(!a.failed());
    }

    #[test]
    fn words_already_on_the_form_page_prove_nothing() {
        let page = "<footer>Спасибо, что выбрали нас</footer><form></form>";
        let a = j(200, "text/html", page, &page_text(page).to_lowercase());
        assert_eq!(a.confirmation, None);
        assert!(!a.failed());
    }

    #[test]
    fn json_answers_and_errors() {
        let ok = j(
            200,
            "application/json",
            r#"{"success":true,"message":"Message sent. We will reply within 2 hours."}"#,
            "спасибо",
        );
        assert!(ok.confirmation.is_some() && ok.eta.as_deref() == Some("within 2 hours"));
        let bad = j(
            200,
            "application/json",
            r#"{"success":false,"message":"Invalid CSRF token"}"#,
            "",
        );
        assert!(bad.failed() && bad.confirmation.is_none(), "{bad:?}");
        let server = j(500, "text/html", "<h1>Internal Server Error</h1>", "");
        assert!(server.failed() && server.error.as_deref().unwrap().contains("Error"));
        let captcha = j(
            200,
            "text/html",
            "<p>Подтвердите, что вы не робот: введите капчу</p>",
            "",
        );
        assert!(captcha.captcha && captcha.failed());
        let silent = j(200, "text/html", "<html><body></body></html>", "");
        assert!(!silent.failed() && silent.confirmation.is_none());
    }
}
