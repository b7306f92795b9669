//! E-mail probes: one plain message through the configured SMTP server (TLS, STARTTLS and
//! AUTH as the URL says), its subject carrying the token and its Message-ID recorded so a
//! reply is matched by In-Reply-To/References as well as by token.

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::fill::test_message;
use super::settings::{Persona, SmtpSpec};

/// The subject of an e-mail probe: a plain question a customer could ask, with the token.
pub fn subject(token: &str) -> String {
    format!("Вопрос с сайта / Question from your website [{token}]")
}

/// The Message-ID of a probe, in the persona's domain.
pub fn message_id(persona: &Persona, token: &str) -> String {
    let domain = persona
        .email
        .rsplit_once('@')
        .map_or("doorbell.invalid", |(_, d)| d);
    format!("<{token}.doorbell@{domain}>")
}

/// A transport for `spec`.
///
/// # Errors
/// The URL is not one lettre can use.
pub fn transport(spec: &SmtpSpec) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&spec.url)
        .map_err(|e| format!("smtp: {e}"))?
        .timeout(Some(std::time::Duration::from_secs(30)));
    if let Some(ca) = &spec.ca_file {
        builder = builder.tls(tls_trusting(&spec.url, ca)?);
    }
    if let (Some(user), Some(password)) = (&spec.user, &spec.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// Whether our own SMTP server takes us: it answers, TLS starts where asked, the login is
/// accepted. Asked before anything is sent: a refusal there is ours, not the company's.
///
/// # Errors
/// What failed, in the server's or the library's words (never the password).
pub async fn check_relay(spec: &SmtpSpec) -> Result<(), String> {
    let transport = transport(spec)?;
    match transport.test_connection().await {
        Ok(true) => Ok(()),
        Ok(false) => Err("smtp: the server did not answer".to_string()),
        Err(e) => Err(format!("smtp: {e}")),
    }
}

/// The TLS mode the URL asks for, trusting the certificates in `ca` besides the public
/// roots. A CA file with a plain `smtp://` URL means STARTTLS, required: nobody names a CA
/// for a connection they want unencrypted.
fn tls_trusting(url: &str, ca: &std::path::Path) -> Result<Tls, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("smtp: {e}"))?;
    let host = parsed
        .host_str()
        .ok_or("smtp: no host")?
        .trim_matches(['[', ']'])
        .to_string();
    let pem = std::fs::read(ca).map_err(|e| format!("{}: {e}", ca.display()))?;
    let certificate = Certificate::from_pem(&pem).map_err(|e| format!("{}: {e}", ca.display()))?;
    let parameters = TlsParameters::builder(host)
        .add_root_certificate(certificate)
        .build_rustls()
        .map_err(|e| format!("smtp TLS: {e}"))?;
    let asked = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    Ok(match (parsed.scheme(), asked.as_deref()) {
        ("smtps", _) => Tls::Wrapper(parameters),
        (_, Some("opportunistic")) => Tls::Opportunistic(parameters),
        _ => Tls::Required(parameters),
    })
}

/// Sends the probe carrying `token` to `to`; returns the Message-ID it left with.
///
/// # Errors
/// The address cannot be used, or the server refused the message; the error says which.
pub async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    persona: &Persona,
    to: &str,
    token: &str,
) -> Result<String, String> {
    let from: Mailbox = format!("{} <{}>", persona.name, persona.email_for(token))
        .parse()
        .map_err(|e| format!("persona address: {e}"))?;
    let to: Mailbox = to.parse().map_err(|e| format!("{to}: {e}"))?;
    let id = message_id(persona, token);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject(token))
        .message_id(Some(id.clone()))
        .header(ContentType::TEXT_PLAIN)
        .body(test_message(token))
        .map_err(|e| format!("message: {e}"))?;
    transport
        .send(message)
        .await
        .map_err(|e| format!("smtp: {e}"))?;
    Ok(id)
}
