//! `doorbell demo`: the bundled example company site, embedded in the binary and served on
//! loopback, so the first command a user runs works with no network and no setup. Its
//! feedback form answers like a real one and its "mail server" writes the confirmation and a
//! person's reply into a Maildir, which the demo's probes then watch.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode, Uri, header};
use include_dir::{Dir, include_dir};

static SITE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/examples/site");

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// robots.txt and sitemap.xml name absolute URLs, and the demo's port is chosen at start:
/// the files say `{{origin}}` and the server fills in the address it was reached at.
fn with_origin(path: &str, contents: &'static [u8], headers: &HeaderMap) -> Body {
    let is_text = path.ends_with(".xml") || path.ends_with(".txt");
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (is_text, host, std::str::from_utf8(contents)) {
        (true, Some(host), Ok(text)) => {
            Body::from(text.replace("{{origin}}", &format!("http://{host}")))
        }
        _ => Body::from(contents),
    }
}

async fn serve_file(uri: Uri, headers: HeaderMap) -> Response<Body> {
    let decoded = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    let mut path = decoded.trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    match SITE.get_file(&path) {
        Some(file) => Response::builder()
            .header(header::CONTENT_TYPE, content_type(&path))
            .body(with_origin(&path, file.contents(), &headers))
            .expect("valid response"),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(Body::from("<h1>404</h1>"))
            .expect("valid response"),
    }
}

fn reply_mail(to: &str, subject: &str, text: &str, automatic: bool) -> Vec<u8> {
    format!(
        "From: =?UTF-8?B?{}?= <info@example.com>\r\nTo: {to}\r\nSubject: =?UTF-8?B?{}?=\r\n\
         Message-ID: <{}@example.com>\r\nDate: {}\r\n{}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n",
        base64("Пример-Сервис"),
        base64(subject),
        crate::journal::new_token(),
        "Sun, 22 Nov 2026 20:00:00 +0000",
        if automatic {
            "Auto-Submitted: auto-replied\r\n"
        } else {
            ""
        },
    )
    .into_bytes()
}

/// RFC 2047 words need base64; the demo writes a handful of short headers.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The example company's feedback form: accepts, then its mail system confirms at once and
/// a person answers a few seconds later — into the demo's Maildir.
async fn feedback(
    State(mailbox): State<Option<Arc<PathBuf>>>,
    body: Bytes,
) -> axum::response::Html<&'static str> {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let email = fields
        .iter()
        .find(|(k, _)| k == "email")
        .map(|(_, v)| v.clone());
    if let (Some(root), Some(to)) = (mailbox, email) {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let _ = crate::mailbox::maildir::deliver(
                &root,
                &reply_mail(
                    &to,
                    "Ваше обращение зарегистрировано",
                    "Спасибо! Мы получили ваше сообщение и ответим в течение 2 часов.",
                    true,
                ),
            );
            tokio::time::sleep(Duration::from_secs(2)).await;
            let _ = crate::mailbox::maildir::deliver(
                &root,
                &reply_mail(
                    &to,
                    "Re: ваш вопрос",
                    "Здравствуйте! Меня зовут Анна, я мастер. Да, такую кофемашину чиним, приносите.",
                    false,
                ),
            );
        });
    }
    axum::response::Html("<p>Спасибо! Сообщение отправлено. Ответим в течение 2 часов.</p>")
}

/// Serves the example site on 127.0.0.1 on a free port; returns its address. The server
/// lives until the runtime stops.
///
/// # Errors
/// When no loopback port can be bound.
pub async fn serve(mailbox: Option<PathBuf>) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    // The example company's own form handlers: they take a POST and, like real ones, refuse
    // GET and HEAD. The callback form only answers; a callback is a phone call.
    let handler = axum::routing::post(|| async {
        axum::response::Html("<p>Спасибо! Заявка принята, перезвоним в течение 15 минут.</p>")
    })
    .get(|| async { StatusCode::METHOD_NOT_ALLOWED });
    let app = Router::new()
        .route("/callback", handler)
        .route(
            "/feedback",
            axum::routing::post(feedback).get(|| async { StatusCode::METHOD_NOT_ALLOWED }),
        )
        .fallback(serve_file)
        .with_state(mailbox.map(Arc::new));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(addr)
}
