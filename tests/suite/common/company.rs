//! The fixture company: a site on loopback whose forms behave like real ones (confirm and
//! mail, confirm and never mail, mail into Junk, answer 500, answer 200 and do nothing, need
//! a CSRF token and the session cookie, have a honeypot, take JSON, take multipart), its mail
//! server (a real SMTP server on loopback), and the Dovecot its mail is delivered into —
//! `tester` is doorbell's persona mailbox, `company` the company's own inbox.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::dovecot::{Dovecot, lmtp_deliver};
use super::smtp::{Envelope, SmtpServer, SmtpTls};

pub const PERSONA_PASSWORD: &str = "tester-secret";
pub const COMPANY_PASSWORD: &str = "company-secret";

#[derive(Clone)]
struct Site {
    mta_port: u16,
    /// Form path → accepted submissions.
    submissions: Arc<Mutex<BTreeMap<String, usize>>>,
    /// Session id → CSRF token.
    sessions: Arc<Mutex<BTreeMap<String, String>>>,
    /// The bad night: the contact form's handler answers 500 and the contacts page shows
    /// another phone number than the rest of the site.
    outage: Arc<std::sync::atomic::AtomicBool>,
    /// Where the script form's page copies each lead: a host probes may not reach.
    tracker_origin: String,
}

pub struct Company {
    pub url: String,
    pub submissions: Arc<Mutex<BTreeMap<String, usize>>>,
    pub outage: Arc<std::sync::atomic::AtomicBool>,
    /// Connections the tracker host of `/zayavka.html` received: none while probing.
    pub tracker_hits: Arc<std::sync::atomic::AtomicUsize>,
    /// The tracker's name, to map to loopback with `--resolve`, and its port.
    pub tracker_host: &'static str,
    pub mta: SmtpServer,
    pub dovecot: Dovecot,
    _server: std::thread::JoinHandle<()>,
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/company")
            .join(name),
    )
    .unwrap()
}

fn form_fields(body: &[u8]) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn page(text: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"></head><body>\
         <header><a href=\"/\">Мастерская «Пример»</a></header><main>{text}</main></body></html>"
    )
}

impl Site {
    fn count(&self, form: &str) {
        *self
            .submissions
            .lock()
            .unwrap()
            .entry(form.to_string())
            .or_default() += 1;
    }

    /// Sends a mail through the company's mail server, now or after `delay`.
    fn mail(&self, to: &str, subject: &str, body: &str, automatic: bool, delay: Duration) {
        let port = self.mta_port;
        let message = lettre::Message::builder()
            .from(
                "Мастерская «Пример» <robot@company.example>"
                    .parse()
                    .unwrap(),
            )
            .to(to.parse().unwrap())
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .unwrap();
        let mut raw = Vec::new();
        if automatic {
            raw.extend_from_slice(b"Auto-Submitted: auto-generated\r\n");
        }
        raw.extend_from_slice(&message.formatted());
        let envelope = message.envelope().clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
                .port(port)
                .build();
            transport.send_raw(&envelope, &raw).await.unwrap();
        });
    }
}

impl Site {
    fn in_outage(&self) -> bool {
        self.outage.load(std::sync::atomic::Ordering::SeqCst)
    }
}

async fn contacts_page(State(site): State<Site>) -> Response {
    let mut text = fixture("contacts.html");
    if site.in_outage() {
        text = text.replace(
            "tel:+74950000000\">+7 495 000-00-00",
            "tel:+74950000009\">+7 495 000-00-09",
        );
    }
    html(StatusCode::OK, text)
}

async fn contact(State(site): State<Site>, body: Bytes) -> Response {
    if site.in_outage() {
        return html(
            StatusCode::INTERNAL_SERVER_ERROR,
            page("<h1>Internal Server Error</h1>"),
        );
    }
    let f = form_fields(&body);
    if !f.contains_key("agree") || f.get("email").is_none_or(String::is_empty) {
        return html(
            StatusCode::BAD_REQUEST,
            page("<p class=\"error\">Ошибка: заполните все поля</p>"),
        );
    }
    site.count("contact");
    let email = &f["email"];
    site.mail(
        email,
        "Ваше обращение зарегистрировано",
        "Здравствуйте! Это автоматическое сообщение: мы получили ваше письмо. \
         Менеджер ответит в течение 2 часов. Срочно — звоните +7 495 000-00-00.",
        true,
        Duration::from_secs(1),
    );
    site.mail(
        "inbox@company.example",
        &format!("Сообщение с сайта: {}", f["name"]),
        &format!("Имя: {}\nE-mail: {email}\n\n{}", f["name"], f["message"]),
        true,
        Duration::ZERO,
    );
    html(
        StatusCode::OK,
        page("<h1>Спасибо! Сообщение отправлено.</h1><p>Ответим в течение 2 часов.</p>"),
    )
}

async fn callback(State(site): State<Site>, body: Bytes) -> Response {
    let f = form_fields(&body);
    if f.get("phone").is_none_or(String::is_empty) {
        return html(
            StatusCode::BAD_REQUEST,
            page("<p>Ошибка: укажите телефон</p>"),
        );
    }
    site.count("callback");
    html(StatusCode::OK, page("<p>Спасибо! Мы перезвоним.</p>"))
}

async fn question_into_junk(State(site): State<Site>, body: Bytes) -> Response {
    let f = form_fields(&body);
    site.count("junk");
    site.mail(
        "junk@company.example",
        "Новое сообщение с сайта",
        &format!("{f:?}"),
        true,
        Duration::ZERO,
    );
    html(
        StatusCode::OK,
        page("<p>Спасибо, вопрос отправлен! Ответим в течение дня.</p>"),
    )
}

async fn broken(State(site): State<Site>) -> Response {
    site.count("broken");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        page("<h1>Internal Server Error</h1>"),
    )
}

/// Takes the submission, says nothing, and is slow to say it: a run killed meanwhile does not
/// know whether the message left.
async fn silent(State(site): State<Site>) -> Response {
    site.count("silent");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    html(StatusCode::OK, "<html><body></body></html>".into())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

async fn request_page(State(site): State<Site>) -> Response {
    let sid = doorbell::journal::new_token();
    let token = doorbell::journal::new_token();
    site.sessions
        .lock()
        .unwrap()
        .insert(sid.clone(), token.clone());
    let mut response = html(
        StatusCode::OK,
        fixture("request.html").replace("{{csrf}}", &token),
    );
    response.headers_mut().insert(
        header::SET_COOKIE,
        format!("sid={sid}; Path=/; HttpOnly").parse().unwrap(),
    );
    response
}

async fn request_send(State(site): State<Site>, headers: HeaderMap, body: Bytes) -> Response {
    let f = form_fields(&body);
    let expected =
        cookie(&headers, "sid").and_then(|sid| site.sessions.lock().unwrap().get(&sid).cloned());
    if expected.is_none() || expected.as_ref() != f.get("csrf_token") {
        return html(
            StatusCode::FORBIDDEN,
            page("<p>Ошибка: сессия устарела, обновите страницу</p>"),
        );
    }
    if f.get("website").is_some_and(|w| !w.is_empty()) {
        return html(StatusCode::BAD_REQUEST, page("<p>Ошибка: spam</p>"));
    }
    if f.get("device").is_none_or(String::is_empty) {
        return html(
            StatusCode::BAD_REQUEST,
            page("<p>Ошибка: выберите устройство</p>"),
        );
    }
    site.count("request");
    site.mail(
        "inbox@company.example",
        &format!("Заявка на ремонт: {}, {}", f["client"], f["contact_phone"]),
        &format!("{f:?}"),
        true,
        Duration::ZERO,
    );
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/thanks")]).into_response()
}

async fn zayavka_page(State(site): State<Site>) -> Response {
    html(
        StatusCode::OK,
        fixture("zayavka.html").replace("TRACKER_ORIGIN", &site.tracker_origin),
    )
}

/// The script form's back end: JSON in, JSON out; the name must arrive as typed, Cyrillic whole.
async fn div_lead(State(site): State<Site>, body: Bytes) -> Response {
    let json_answer = |status: StatusCode, text: &'static str| {
        (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
    };
    let Ok(lead) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return json_answer(
            StatusCode::BAD_REQUEST,
            r#"{"ok":false,"message":"Ошибка: ожидался JSON"}"#,
        );
    };
    let text = |k: &str| lead[k].as_str().unwrap_or_default().to_string();
    // The persona's number as the page's mask writes it.
    if text("name") != "Тест Тестов"
        || text("phone") != "+7 (900) 000-00-00"
        || lead["agree"] != true
    {
        return json_answer(
            StatusCode::OK,
            r#"{"ok":false,"message":"Ошибка: данные не распознаны"}"#,
        );
    }
    site.count("div");
    if !text("email").is_empty() {
        site.mail(
            &text("email"),
            "Заявка принята",
            "Здравствуйте! Мы получили вашу заявку и перезвоним в течение 15 минут. \
             Срочно — звоните +7 495 000-00-00.",
            true,
            Duration::from_secs(1),
        );
    }
    site.mail(
        "inbox@company.example",
        &format!("Заявка с сайта: {}, {}", text("name"), text("phone")),
        &lead.to_string(),
        true,
        Duration::ZERO,
    );
    json_answer(StatusCode::OK, r#"{"ok":true}"#)
}

/// The CRM form's back end: only what its script sends (the session token it adds) is taken.
async fn b24_lead(State(site): State<Site>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let (status, answer) = if text.contains("b24-session-token") && text.contains("Тест Тестов")
    {
        site.count("b24");
        site.mail(
            "inbox@company.example",
            "Новый лид из CRM-формы: Тест Тестов",
            &text,
            true,
            Duration::ZERO,
        );
        (StatusCode::OK, r#"{"status":"success"}"#)
    } else {
        (
            StatusCode::FORBIDDEN,
            r#"{"status":"error","errors":["Ошибка: сессия истекла"]}"#,
        )
    };
    (status, [(header::CONTENT_TYPE, "application/json")], answer).into_response()
}

async fn thanks() -> Response {
    html(
        StatusCode::OK,
        page("<h1>Спасибо! Заявка принята.</h1><p>Перезвоним в течение 15 минут.</p>"),
    )
}

async fn api_lead(State(site): State<Site>, headers: HeaderMap, body: Bytes) -> Response {
    let json: Result<serde_json::Value, _> = serde_json::from_slice(&body);
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let Ok(json) = json
        .map_err(|_| ())
        .and_then(|j| if is_json { Ok(j) } else { Err(()) })
    else {
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"success":false,"message":"Ошибка: ожидался JSON"}"#,
        )
            .into_response();
    };
    site.count("ajax");
    site.mail(
        "inbox@company.example",
        &format!(
            "Вопрос с сайта от {}",
            json["name"].as_str().unwrap_or_default()
        ),
        &json.to_string(),
        true,
        Duration::ZERO,
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"success":true,"message":"Спасибо! Мы ответим в течение часа."}"#,
    )
        .into_response()
}

async fn multipart(State(site): State<Site>, headers: HeaderMap, body: Bytes) -> Response {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data; boundary="));
    let text = String::from_utf8_lossy(&body);
    if !multipart || !text.contains("name=\"email\"") {
        return html(
            StatusCode::BAD_REQUEST,
            page("<p>Ошибка: неверный формат</p>"),
        );
    }
    site.count("multipart");
    site.mail(
        "inbox@company.example",
        "Сообщение с сайта: Тест Тестов",
        &text,
        true,
        Duration::ZERO,
    );
    html(
        StatusCode::OK,
        page("<p>Спасибо! Сообщение отправлено.</p>"),
    )
}

fn static_page(name: &'static str) -> impl Fn() -> std::future::Ready<Response> + Clone {
    move || std::future::ready(html(StatusCode::OK, fixture(name)))
}

/// Replies the company's mail system sends to e-mail probes, by the address probed.
fn reply_to(envelope: &Envelope, lmtp_port: u16) {
    let parsed = mail_parser::MessageParser::default()
        .parse(&envelope.data)
        .expect("a probe is a message");
    let probe_id = parsed.message_id().unwrap_or_default().to_string();
    let subject = parsed.subject().unwrap_or_default().to_string();
    let back_to = envelope.from.clone();
    let deliver = move |from: &str, auto: bool, text: &str, id: &str| {
        let raw = format!(
            "From: {from}\r\nTo: {back_to}\r\nSubject: Re: {subject}\r\nMessage-ID: <{id}@company.example>\r\n\
             In-Reply-To: <{probe_id}>\r\nReferences: <{probe_id}>\r\n{}Date: Sun, 22 Nov 2026 20:00:00 +0000\r\n\
             MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n",
            if auto {
                "Auto-Submitted: auto-replied\r\n"
            } else {
                ""
            }
        );
        lmtp_deliver(lmtp_port, from, &back_to, raw.as_bytes()).unwrap();
    };
    for rcpt in &envelope.to {
        match rcpt.as_str() {
            "auto@company.example" => deliver(
                "auto@company.example",
                true,
                "Спасибо за письмо! Мы ответим в течение одного рабочего дня.",
                &format!("auto-{}", doorbell::journal::new_token()),
            ),
            "person@company.example" => {
                let deliver = deliver.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_secs(2));
                    deliver(
                        "person@company.example",
                        false,
                        "Добрый день! Да, такой ремонт делаем, приносите.",
                        &format!("human-{}", doorbell::journal::new_token()),
                    );
                });
            }
            _ => {}
        }
    }
}

/// Files a message into the company's \Junk folder, as its spam filter does.
fn into_junk(imap_port: u16, raw: Vec<u8>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(super::dovecot::file_into_junk(
        imap_port,
        "company",
        COMPANY_PASSWORD,
        &raw,
    ));
}

/// The tracker of `/zayavka.html`: a name probes may not reach.
const TRACKER_HOST: &str = "stats.partner.example";

/// A listener on loopback that counts the connections it gets and closes them.
fn count_connections() -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    (port, hits)
}

impl Company {
    pub fn start() -> Self {
        Self::start_with(None, SmtpTls::Off)
    }

    /// The company, its mail server demanding AUTH PLAIN with `login`, and speaking TLS as
    /// `tls` says (with a certificate from the test CA in `dovecot.ca`).
    pub fn start_with(login: Option<(&str, &str)>, tls: SmtpTls) -> Self {
        let users = [("tester", PERSONA_PASSWORD), ("company", COMPANY_PASSWORD)];
        let dovecot = if tls != SmtpTls::Off {
            Dovecot::start_tls(&users)
        } else {
            Dovecot::start(&users)
        };
        let (lmtp_port, imap_port) = (dovecot.lmtp_port, dovecot.imap_port);
        let mta = SmtpServer::start_with(
            Arc::new(move |envelope: Envelope| {
                for rcpt in &envelope.to {
                    if rcpt.ends_with("@example.org") {
                        lmtp_deliver(lmtp_port, &envelope.from, rcpt, &envelope.data).unwrap();
                    } else if rcpt == "inbox@company.example" {
                        lmtp_deliver(
                            lmtp_port,
                            &envelope.from,
                            "company@company.example",
                            &envelope.data,
                        )
                        .unwrap();
                    } else if rcpt == "junk@company.example" {
                        into_junk(imap_port, envelope.data.clone());
                    }
                }
                reply_to(&envelope, lmtp_port);
            }),
            login,
            tls,
            Some(dovecot.dir.path()),
        );
        let (tracker_port, tracker_hits) = count_connections();
        let site = Site {
            mta_port: mta.port,
            submissions: Arc::default(),
            sessions: Arc::default(),
            outage: Arc::default(),
            tracker_origin: format!("http://{TRACKER_HOST}:{tracker_port}"),
        };
        let submissions = site.submissions.clone();
        let outage = site.outage.clone();
        let app = Router::new()
            .route("/", get(static_page("index.html")))
            .route("/contacts.html", get(contacts_page))
            .route("/more.html", get(static_page("more.html")))
            .route("/request.html", get(request_page))
            .route("/send/contact", post(contact))
            .route("/send/callback", post(callback))
            .route("/send/junk", post(question_into_junk))
            .route("/send/broken", post(broken))
            .route("/send/silent", post(silent))
            .route("/send/request", post(request_send))
            .route("/thanks", get(thanks))
            .route("/zayavka.html", get(zayavka_page))
            .route("/api/div-lead", post(div_lead))
            .route("/bitrix/services/main/ajax.php", post(b24_lead))
            .route("/api/lead", post(api_lead))
            .route("/send/multipart", post(multipart))
            .with_state(site);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let server = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        Self {
            url: format!("http://127.0.0.1:{port}/"),
            submissions,
            outage,
            tracker_hits,
            tracker_host: TRACKER_HOST,
            mta,
            dovecot,
            _server: server,
        }
    }

    /// A doorbell.toml probing this company: short deadlines, no pause between messages.
    pub fn config(&self, extra: &str) -> String {
        format!(
            r#"site = "{url}"
[crawl]
rate = 0
timeout = 5
region = "RU"
no_mail_dns = true
[probe]
allow_hosts = ["127.0.0.1", "company.example"]
mailbox = "imap://tester@127.0.0.1:{imap}"
notification_mailbox = "imap://company@127.0.0.1:{imap}"
smtp = "smtp://127.0.0.1:{smtp}"
max_messages = 20
delay = "0s"
poll = "1s"
persona = {{ name = "Тест Тестов", phone = "+7 900 000-00-00", email = "tester@example.org", plus_addressing = true }}
deadlines = {{ form = {{ confirmation = "4s", reply = "6s" }}, email = {{ confirmation = "4s", reply = "6s" }} }}
{extra}
"#,
            url = self.url,
            imap = self.dovecot.imap_port,
            smtp = self.mta.port,
        )
    }

    pub fn submissions(&self) -> BTreeMap<String, usize> {
        self.submissions.lock().unwrap().clone()
    }
}
