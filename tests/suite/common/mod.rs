//! The fixture company site, served over real HTTP on 127.0.0.1 for the crawler to walk.
//!
//! Files come from `tests/fixtures/site/`; a few routes behave badly on purpose (a redirect
//! loop, a 20 MB page, a response that never ends, an endless calendar, a server error).

#![allow(dead_code)]

pub mod browser;
pub mod company;
pub mod dns;
pub mod dovecot;
pub mod proxy;
pub mod smtp;

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::http::{HeaderMap, Response, StatusCode, Uri, header};
use axum::response::Redirect;
use axum::routing::get;

use doorbell::audit::{self, Audit, AuditSettings};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

fn clean_fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean")
}

/// Content types by file name; `.cp1251.html` files say their charset only in the header.
fn content_type(path: &str) -> &'static str {
    if path.ends_with(".cp1251.html") {
        "text/html; charset=windows-1251"
    } else if path.ends_with(".html") {
        "text/html"
    } else if path.ends_with(".xml") {
        "application/xml"
    } else if path.ends_with(".txt") {
        "text/plain"
    } else if path.ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/octet-stream"
    }
}

fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

fn fill(text: &str, headers: &HeaderMap) -> String {
    let origin = origin(headers);
    let https = origin.replacen("http://", "https://", 1);
    text.replace("{{origin}}", &origin)
        .replace("{{https_origin}}", &https)
}

async fn file(uri: Uri, headers: HeaderMap) -> Response<Body> {
    file_from(&fixtures(), &uri, &headers)
}

fn file_from(root: &std::path::Path, uri: &Uri, headers: &HeaderMap) -> Response<Body> {
    let decoded = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    let mut path = decoded.trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    if path.contains("..") {
        return status(StatusCode::BAD_REQUEST);
    }
    let Ok(bytes) = std::fs::read(root.join(&path)) else {
        return status(StatusCode::NOT_FOUND);
    };
    let body = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("{{") => Body::from(fill(text, headers)),
        _ => Body::from(bytes),
    };
    Response::builder()
        .header(header::CONTENT_TYPE, content_type(&path))
        .body(body)
        .expect("valid response")
}

fn status(code: StatusCode) -> Response<Body> {
    Response::builder()
        .status(code)
        .header(header::CONTENT_TYPE, "text/html")
        .body(Body::from(format!("<h1>{code}</h1>")))
        .expect("valid response")
}

/// 20 MB of HTML whose header carries a phone: the crawler must cut it at its cap and still
/// read the header.
async fn huge() -> Response<Body> {
    let head =
        "<html><body><header><a href=\"tel:+74950000099\">+7 495 000-00-99</a></header><main>";
    let filler = "<p>Каталог запчастей для кофемашин, страница за страницей.</p>\n".repeat(1000);
    let chunks = std::iter::once(Ok::<_, Infallible>(Bytes::from(head))).chain(
        (0..(20 * 1024 * 1024 / filler.len())).map(move |_| Ok(Bytes::from(filler.clone()))),
    );
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .expect("valid response")
}

/// Sends the start of a page, then nothing, forever.
async fn slow() -> Response<Body> {
    let first = futures_util::stream::once(async {
        Ok::<_, Infallible>(Bytes::from("<html><body><p>Loading"))
    });
    let never = futures_util::stream::pending::<Result<Bytes, Infallible>>();
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html")
        .body(Body::from_stream(futures_util::StreamExt::chain(
            first, never,
        )))
        .expect("valid response")
}

/// An endless calendar: every month links the next, as event plugins do.
async fn calendar(Path((year, month)): Path<(u32, u32)>) -> Response<Body> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let html = format!(
        "<html><body><h1>События {month:02}.{year}</h1><a href=\"/calendar/{ny}/{nm}\">Следующий месяц</a></body></html>"
    );
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(html))
        .expect("valid response")
}

async fn sitemap_gz(headers: HeaderMap) -> Response<Body> {
    let xml = std::fs::read_to_string(fixtures().join("sitemap-pages.xml.in")).expect("fixture");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(fill(&xml, &headers).as_bytes()).expect("gzip");
    Response::builder()
        .header(header::CONTENT_TYPE, "application/x-gzip")
        .body(Body::from(gz.finish().expect("gzip")))
        .expect("valid response")
}

pub struct FixtureSite {
    pub addr: SocketAddr,
}

static SITE: std::sync::OnceLock<FixtureSite> = std::sync::OnceLock::new();
static CLEAN: std::sync::OnceLock<FixtureSite> = std::sync::OnceLock::new();
static FULL_AUDIT: tokio::sync::OnceCell<Audit> = tokio::sync::OnceCell::const_new();

/// The fixture site, started once per test binary on a runtime of its own, so it outlives
/// each test's runtime.
pub fn site() -> &'static FixtureSite {
    SITE.get_or_init(|| on_own_runtime(FixtureSite::start))
}

/// A small site that follows every practice: the rules must find nothing there.
pub fn clean_site() -> &'static FixtureSite {
    CLEAN.get_or_init(|| {
        on_own_runtime(|| async {
            // Its forms post to live handlers that, like real ones, refuse GET and HEAD.
            let handler = axum::routing::post(|| async {
                "<p>Спасибо! Заявка принята, перезвоним в течение 15 минут.</p>"
            })
            .get(|| async { StatusCode::METHOD_NOT_ALLOWED });
            let app = Router::new()
                .route("/callback", handler.clone())
                .route("/feedback", handler)
                .fallback(|uri: Uri, headers: HeaderMap| async move {
                    file_from(&clean_fixtures(), &uri, &headers)
                });
            serve(app).await
        })
    })
}

/// The files of `tests/fixtures/<folder>`, served as they are, started once per test binary.
/// The folders and the real-site patterns they reproduce:
/// - `hostile`: every text, link and attribute tries to run a script or load something;
/// - `doors`: a contact form that posts to a page that answers, an order form to one gone;
/// - `social`: messengers and profiles as real sites write them (new kinds, a network's bare
///   home page, no scheme, a mirror domain, icons and names that open nothing);
/// - `imprint`: a German imprint, phones among VAT, register, tax and bank numbers and dates;
/// - `emails`: addresses hidden and broken (Cloudflare, a repeated scheme, `<wbr>`, an empty
///   link, a placeholder);
/// - `region`: pages whose country comes from their own numbers or `xml:lang`;
/// - `parties`: an imprint and a footer naming a chamber, a partner bank and the web studio;
/// - `icons`: messenger icons as plain pictures beside the phone, linked nowhere, and
///   (`linked.html`) messengers named beside a linked number;
/// - `addresses`: street addresses as written in several countries and orders.
/// - `closed`: a site whose robots.txt forbids everything;
/// - `places`: addresses with no street word or by a postcode, hours over two blocks;
/// - `forms`: forms named by the title over them, their button and their fields (RU, EN, DE).
pub fn static_site(folder: &'static str) -> &'static FixtureSite {
    static STARTED: std::sync::Mutex<Vec<(&'static str, &'static FixtureSite)>> =
        std::sync::Mutex::new(Vec::new());
    let mut started = STARTED.lock().expect("fixture list");
    if let Some((_, site)) = started.iter().find(|(name, _)| *name == folder) {
        return site;
    }
    let site: &'static FixtureSite = Box::leak(Box::new(serve_folder(folder)));
    started.push((folder, site));
    site
}

fn serve_folder(folder: &'static str) -> FixtureSite {
    on_own_runtime(move || async move {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(folder);
        let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap| async move {
            file_from(&root, &uri, &headers)
        });
        serve(app).await
    })
}

/// Serves `app` on a free loopback port, on a runtime of its own, for as long as the tests run.
pub fn serve_router(make: fn() -> Router) -> FixtureSite {
    on_own_runtime(move || async move { serve(make()).await })
}

/// Serves `app` on a free loopback port for as long as the calling runtime lives.
async fn serve(app: Router) -> FixtureSite {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("fixture server");
    });
    FixtureSite { addr }
}

/// Runs `start` on a runtime of its own, on a thread of its own, for as long as the tests run.
pub fn on_own_runtime<F, Fut>(start: F) -> FixtureSite
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = FixtureSite>,
{
    {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("fixture runtime");
            runtime.block_on(async {
                tx.send(start().await).expect("send address");
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("fixture site starts")
    }
}

/// Our rules, as shipped, over an audited site.
pub fn judge(audit: &Audit) -> Vec<doorbell::checks::Finding> {
    let site = doorbell::checks::Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    doorbell::checks::run(
        &site,
        &doorbell::rulebook::Catalogue::builtin(),
        &doorbell::checks::RuleChoices::default(),
    )
}

/// One audit of the whole fixture site with the test settings, shared by the tests that only
/// read it: the site is slow on purpose, once is enough.
pub async fn full_audit() -> &'static Audit {
    FULL_AUDIT.get_or_init(|| site().audit("/")).await
}

impl FixtureSite {
    async fn start() -> Self {
        let app = Router::new()
            .route("/loop/a", get(|| async { Redirect::temporary("/loop/b") }))
            .route("/loop/b", get(|| async { Redirect::temporary("/loop/a") }))
            .route(
                "/moved",
                get(|| async { Redirect::permanent("/kontakty.html") }),
            )
            .route(
                "/away",
                get(|| async { Redirect::temporary("http://example.org/") }),
            )
            .route("/huge.html", get(huge))
            .route("/slow.html", get(slow))
            .route(
                "/broken.html",
                get(|| async { status(StatusCode::INTERNAL_SERVER_ERROR) }),
            )
            .route("/calendar/{year}/{month}", get(calendar))
            .route("/sitemap-pages.xml.gz", get(sitemap_gz))
            .fallback(file);
        serve(app).await
    }

    pub fn url(&self, path: &str) -> url::Url {
        url::Url::parse(&format!("http://{}{path}", self.addr)).expect("valid url")
    }

    /// Settings for a quick, unthrottled crawl of this site.
    pub fn settings(&self, path: &str) -> AuditSettings {
        let mut settings = AuditSettings::new(self.url(path));
        settings.crawl.rate = 0.0;
        settings.crawl.http.timeout = Duration::from_secs(2);
        settings.crawl.max_pages = 60;
        settings.crawl.max_depth = 6;
        settings.region = rlibphonenumber::Region::from_code("RU").ok();
        // No lookups through the system's resolver: nothing leaves the machine.
        settings.check_mail_dns = false;
        settings
    }

    pub async fn audit(&self, path: &str) -> Audit {
        audit::run(self.settings(path)).await.expect("audit runs")
    }
}

/// The record of the URL whose path ends with `suffix`.
pub fn page<'a>(audit: &'a Audit, suffix: &str) -> &'a doorbell::types::crawl::PageRecord {
    audit
        .crawl
        .pages
        .iter()
        .find(|p| {
            p.url.ends_with(suffix)
                || p.redirected_from
                    .as_deref()
                    .is_some_and(|r| r.ends_with(suffix))
        })
        .unwrap_or_else(|| {
            panic!(
                "no page {suffix} in {:#?}",
                audit.crawl.pages.iter().map(|p| &p.url).collect::<Vec<_>>()
            )
        })
}
