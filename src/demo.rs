//! `doorbell demo`: the bundled example company site, embedded in the binary and served on
//! loopback, so the first command a user runs works with no network and no setup.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
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

/// Serves the example site on 127.0.0.1 on a free port; returns its address. The server
/// lives until the runtime stops.
///
/// # Errors
/// When no loopback port can be bound.
pub async fn serve() -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    // The example company's own form handlers: they take a POST and, like real ones, refuse
    // GET and HEAD.
    let handler = axum::routing::post(|| async {
        axum::response::Html("<p>Спасибо! Заявка принята, перезвоним в течение 15 минут.</p>")
    })
    .get(|| async { StatusCode::METHOD_NOT_ALLOWED });
    let app = Router::new()
        .route("/callback", handler.clone())
        .route("/feedback", handler)
        .fallback(serve_file);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(addr)
}
