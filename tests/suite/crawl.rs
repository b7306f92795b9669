//! The real crawler against the fixture site on a real HTTP server on 127.0.0.1.

use crate::common;

use std::time::{Duration, Instant};

use common::{full_audit, page, site};
use doorbell::types::crawl::{FetchError, Outcome, Via};

#[tokio::test]
async fn a_hostile_site_is_crawled_to_the_end_with_every_failure_recorded() {
    let started = Instant::now();
    let audit = full_audit().await;
    // The slow page must cost its timeout (2 s), not hang the crawl.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );

    let loop_page = page(audit, "/loop/a");
    assert_eq!(loop_page.outcome, Outcome::Failed);
    assert!(
        matches!(loop_page.error, Some(FetchError::RedirectLoop(_))),
        "{loop_page:?}"
    );

    let slow = page(audit, "/slow.html");
    assert_eq!(slow.error, Some(FetchError::Timeout(2)));

    let broken = page(audit, "/broken.html");
    assert_eq!(
        (broken.outcome, broken.status),
        (Outcome::Failed, Some(500))
    );
    assert_eq!(
        page(audit, "/missing.html").error,
        Some(FetchError::Status(404))
    );

    let huge = page(audit, "/huge.html");
    assert_eq!(huge.outcome, Outcome::Truncated);
    assert_eq!(huge.bytes, 5 * 1024 * 1024);
    // The cut page is still read: its header phone is in the inventory.
    assert!(
        audit
            .inventory
            .phones
            .iter()
            .any(|p| p.e164.as_deref() == Some("+74950000099"))
    );

    // Linked PDFs are not even requested; a PDF at an address without extension is
    // requested, sniffed and skipped.
    assert!(!audit.crawl.pages.iter().any(|p| p.url.ends_with(".pdf")));
    let pdf = page(audit, "/prajs");
    assert_eq!(pdf.outcome, Outcome::Skipped);
    assert!(matches!(pdf.error, Some(FetchError::NotHtml(_))));

    let away = page(audit, "/away");
    assert!(
        matches!(away.error, Some(FetchError::RedirectOutOfScope(_))),
        "{away:?}"
    );

    let tls = page(audit, "/tls.html");
    assert!(matches!(tls.error, Some(FetchError::Tls(_))), "{tls:?}");
    let refused = page(audit, "/refused.html");
    assert!(
        matches!(refused.error, Some(FetchError::Connect(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn never_leaves_the_site() {
    let audit = full_audit().await;
    for p in &audit.crawl.pages {
        assert!(!p.url.contains("example.org"), "fetched {}", p.url);
    }
}

#[tokio::test]
async fn robots_txt_is_obeyed_unless_told_otherwise() {
    let site = site();
    let audit = full_audit().await;
    let secret = page(audit, "/private/secret.html");
    assert_eq!(secret.outcome, Outcome::Skipped);
    assert_eq!(secret.skipped_because, Some("robots.txt"));
    assert_eq!(audit.crawl.robots_txt, "obeyed");
    assert!(
        !audit
            .inventory
            .emails
            .iter()
            .any(|e| e.address == "secret@example.com")
    );

    let mut settings = site.settings("/");
    settings.crawl.obey_robots = false;
    let audit = doorbell::audit::run(settings).await.unwrap();
    assert_eq!(page(&audit, "/private/secret.html").outcome, Outcome::Ok);
    assert_eq!(audit.crawl.robots_txt, "ignored");
    // A site without a robots.txt.
    let bare = common::static_site("onepage").audit("/").await;
    assert_eq!(bare.crawl.robots_txt, "missing");
}

#[tokio::test]
async fn a_page_linked_from_nowhere_is_found_through_a_gzipped_sitemap_index() {
    let audit = full_audit().await;
    let hidden = page(audit, "/hidden.html");
    assert_eq!((hidden.outcome, hidden.via), (Outcome::Ok, Via::Sitemap));
    assert!(
        audit
            .inventory
            .emails
            .iter()
            .any(|e| e.address == "sitemap-only@example.com")
    );
    assert!(!audit.crawl.pages.iter().any(|p| p.url.contains("not-ours")));
}

#[tokio::test]
async fn the_endless_calendar_is_stopped_by_the_depth_limit() {
    let audit = full_audit().await;
    let months = audit
        .crawl
        .pages
        .iter()
        .filter(|p| p.url.contains("/calendar/"))
        .count();
    // Depth 1 is the first month, the limit is depth 6.
    assert_eq!(months, 6);
    assert!(audit.crawl.pages.iter().all(|p| p.depth <= 6));
}

#[tokio::test]
async fn the_page_budget_is_spent_on_the_contact_page_first() {
    let site = site();
    let mut settings = site.settings("/");
    settings.crawl.max_pages = 3;
    settings.crawl.concurrency = 1;
    let audit = doorbell::audit::run(settings).await.unwrap();
    let read: Vec<&str> = audit
        .crawl
        .pages
        .iter()
        .filter(|p| p.outcome == Outcome::Ok)
        .map(|p| p.url.as_str())
        .collect();
    assert_eq!(read.len(), 3, "{read:?} {:#?}", audit.crawl.pages);
    assert!(
        read.iter().any(|u| u.ends_with("/kontakty.html")),
        "{read:?}"
    );
    assert!(audit.crawl.pages_left > 10);
}

#[tokio::test]
async fn each_url_is_fetched_once() {
    let audit = full_audit().await;
    let mut urls: Vec<&str> = audit.crawl.pages.iter().map(|p| p.url.as_str()).collect();
    let before = urls.len();
    urls.sort_unstable();
    urls.dedup();
    assert_eq!(urls.len(), before, "a URL was visited twice");
    // /moved redirects to the contact page, which was read already: skipped, not refetched.
    let moved = page(audit, "/moved");
    assert_eq!(moved.outcome, Outcome::Skipped, "{moved:?}");
}

#[tokio::test]
async fn russian_pages_in_legacy_encodings_come_out_as_text() {
    let audit = full_audit().await;
    for (path, encoding, phone) in [
        ("/cp1251.cp1251.html", "windows-1251", "+74950000051"),
        ("/koi8.html", "KOI8-R", "+74950000052"),
        ("/nodecl-1251.html", "windows-1251", "+74950000053"),
    ] {
        let p = page(audit, path);
        assert_eq!(p.encoding, Some(encoding), "{path}");
        assert!(
            audit
                .inventory
                .phones
                .iter()
                .any(|x| x.e164.as_deref() == Some(phone)),
            "{phone}"
        );
    }
    let titles: Vec<&str> = audit
        .inventory
        .pages
        .iter()
        .filter_map(|p| p.title.as_deref())
        .collect();
    assert!(titles.contains(&"Страница в 1251"), "{titles:?}");
    assert!(titles.contains(&"Страница в KOI8-R"), "{titles:?}");
    assert!(titles.contains(&"Без объявления кодировки"), "{titles:?}");
    assert!(
        audit
            .inventory
            .hours
            .iter()
            .any(|h| h.text == "ежедневно с 10 до 20")
    );
}

#[tokio::test]
async fn a_cyrillic_path_is_crawled() {
    let audit = full_audit().await;
    let offices = page(audit, "/%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B/");
    assert_eq!(offices.outcome, Outcome::Ok);
    assert!(
        audit
            .inventory
            .emails
            .iter()
            .any(|e| e.address == "cyrillic@example.com")
    );
}

#[tokio::test]
async fn an_idn_host_is_crawled_through_a_resolver_override() {
    let site = site();
    let start = url::Url::parse(&format!("http://пример.рф:{}/", site.addr.port())).unwrap();
    let mut settings = site.settings("/");
    settings.crawl.start = doorbell::crawl::normalize::normalize(start).unwrap();
    settings.crawl.http.resolve = vec![("пример.рф".into(), "127.0.0.1".parse().unwrap())];
    let audit = doorbell::audit::run(settings).await.unwrap();
    assert!(
        audit.start_url.starts_with("http://xn--e1afmkfd.xn--p1ai:"),
        "{}",
        audit.start_url
    );
    assert!(audit.crawl.pages_ok > 10, "{:#?}", audit.crawl.pages);
    // Its sitemap names the punycode host, which is in scope.
    assert_eq!(page(&audit, "/hidden.html").outcome, Outcome::Ok);
}

#[tokio::test]
async fn an_unreachable_site_is_a_recorded_failure_not_a_crash() {
    let mut settings =
        doorbell::audit::AuditSettings::new(url::Url::parse("http://127.0.0.1:1/").unwrap());
    settings.crawl.http.timeout = Duration::from_secs(2);
    let audit = doorbell::audit::run(settings).await.unwrap();
    assert_eq!(audit.crawl.pages_ok, 0);
    assert_eq!(audit.crawl.pages_failed, 1);
}

/// A robots.txt or sitemap that redirects to another host (here `localhost`, which is not the
/// audited `127.0.0.1`) must not be followed: a hostile site would otherwise point the runner
/// at its private network and read the answers in the report.
#[tokio::test]
async fn robots_txt_and_sitemap_redirects_never_leave_the_site() {
    use axum::Router;
    use axum::response::{Html, Redirect};
    use axum::routing::get;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let trap = Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            "User-agent: *\nSitemap: http://169.254.169.254/latest/meta-data/\n"
        }
    });
    let trap_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trap_port = trap_listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(trap_listener, trap).await.unwrap() });

    let elsewhere = format!("http://localhost:{trap_port}/robots.txt");
    let elsewhere_map = format!("http://localhost:{trap_port}/sitemap.xml");
    let site = Router::new()
        .route("/", get(|| async { Html("<p>Call +7 495 000-00-00</p>") }))
        .route(
            "/robots.txt",
            get(move || async move { Redirect::temporary(&elsewhere) }),
        )
        .route(
            "/sitemap.xml",
            get(move || async move { Redirect::temporary(&elsewhere_map) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, site).await.unwrap() });

    let mut settings =
        doorbell::audit::AuditSettings::new(url::Url::parse(&format!("http://{addr}/")).unwrap());
    settings.check_mail_dns = false;
    settings.crawl.rate = 0.0;
    let audit = doorbell::audit::run(settings).await.unwrap();
    assert_eq!(audit.crawl.pages_ok, 1, "{:?}", audit.crawl.pages);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "a redirect took us off the site"
    );
}

#[tokio::test]
async fn a_page_whose_processing_panics_is_recorded_as_failed_and_the_crawl_goes_on() {
    use doorbell::crawl::{CrawlSettings, Processed, crawl};
    use doorbell::types::link::FoundLink;

    let site = common::static_site("onepage");
    let mut settings = CrawlSettings::new(site.url("/"));
    settings.rate = 0.0;
    settings.http.timeout = Duration::from_secs(2);
    let mut sunk = Vec::new();
    let summary = crawl(
        settings,
        |url: &url::Url, _html: String| -> Processed<()> {
            assert!(url.path() != "/", "a bug in extraction");
            Processed {
                links: Vec::<FoundLink>::new(),
                output: (),
                cut: Vec::new(),
            }
        },
        |record, _| sunk.push(record.url.clone()),
    )
    .await
    .expect("the crawl starts");
    let home = summary
        .pages
        .iter()
        .find(|p| p.url == site.url("/").as_str())
        .expect("the page is recorded, not lost");
    assert_eq!(home.outcome, Outcome::Failed);
    let error = home.error.as_ref().expect("a reason").to_string();
    assert!(error.contains("doorbell failed on this page"), "{error}");
    assert_eq!(summary.pages_failed, 1);
    assert_eq!(sunk.len(), 1);
}

/// A server that answers every request with the same raw bytes, whatever HTTP says.
fn raw_server(answer: fn(&str) -> Vec<u8>) -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // The answers do not say `Connection: close`, so the client may send its next
            // request (a redirect's) on the same connection: closing after one answer made
            // that request fail now and then.
            std::thread::spawn(move || {
                loop {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&request);
                    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
                    if stream.write_all(&answer(&path)).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn raw_audit_settings(addr: std::net::SocketAddr) -> doorbell::audit::AuditSettings {
    let url = url::Url::parse(&format!("http://{addr}/")).unwrap();
    let mut settings = doorbell::audit::AuditSettings::new(url);
    settings.crawl.rate = 0.0;
    settings.crawl.http.timeout = Duration::from_secs(2);
    settings.check_mail_dns = false;
    settings
}

#[tokio::test]
async fn answers_that_are_not_http_are_protocol_errors_not_connection_failures() {
    for answer in [
        (|_: &str| b"HTTP/1.1 2OO OK\r\nContent-Type: text/html\r\n\r\n<html></html>".to_vec())
            as fn(&str) -> Vec<u8>,
        |_: &str| {
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nContent-Length: 13\r\n\r\n<html></html>"
                .to_vec()
        },
    ] {
        let audit = doorbell::audit::run(raw_audit_settings(raw_server(answer)))
            .await
            .unwrap();
        let record = &audit.crawl.pages[0];
        assert_eq!(record.outcome, Outcome::Failed);
        assert!(
            matches!(record.error, Some(FetchError::Protocol(_))),
            "{:?}",
            record.error
        );
    }
}

#[tokio::test]
async fn a_location_in_raw_utf8_is_followed_as_browsers_follow_it() {
    let addr = raw_server(|path| {
        if path == "/" {
            let mut answer = b"HTTP/1.1 302 Found\r\nLocation: /".to_vec();
            answer.extend_from_slice("контакты".as_bytes());
            answer.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
            answer
        } else {
            let body = format!(
                "<html><body><p>path {path}</p><a href=\"tel:+74950000000\">+7 495 000-00-00</a></body></html>"
            );
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        }
    });
    let audit = doorbell::audit::run(raw_audit_settings(addr))
        .await
        .unwrap();
    let record = &audit.crawl.pages[0];
    assert_eq!(record.outcome, Outcome::Ok, "{record:?}");
    assert!(
        record
            .url
            .ends_with("/%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B"),
        "{}",
        record.url
    );
    assert_eq!(audit.inventory.phones.len(), 1);
}

/// Relative links resolve against the page's `<base href>`, as a browser resolves them: the
/// contact page under `/shop/` is found and read, and no request goes to `/contacts.html`.
#[tokio::test]
async fn relative_links_follow_the_pages_base_href() {
    let addr = raw_server(|path| {
        let ok = |body: &str| {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        };
        match path {
            "/" => ok(
                "<html><head><base href=\"/shop/\"><base href=\"/other/\"></head>\
                 <body><a href=\"contacts.html\">Контакты</a></body></html>",
            ),
            "/shop/contacts.html" => ok(
                "<html><body><p>Телефон: <a href=\"tel:+74950000042\">+7 495 000-00-42</a></p></body></html>",
            ),
            _ => {
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
            }
        }
    });
    let audit = doorbell::audit::run(raw_audit_settings(addr))
        .await
        .unwrap();
    let urls: Vec<&str> = audit.crawl.pages.iter().map(|p| p.url.as_str()).collect();
    assert!(
        urls.contains(&format!("http://{addr}/shop/contacts.html").as_str()),
        "{urls:?}"
    );
    assert!(
        !urls
            .iter()
            .any(|u| u.ends_with("/contacts.html") && !u.contains("/shop/"))
    );
    assert!(
        audit
            .inventory
            .phones
            .iter()
            .any(|p| p.e164.as_deref() == Some("+74950000042"))
    );
}
