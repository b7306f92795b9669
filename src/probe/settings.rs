//! The `[probe]` table of `doorbell.toml`: where replies are read, who the test persona is,
//! what may be sent, and how long a company has to answer. Secrets are never here: they come
//! from the environment or from a file the table names.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::error::UsageError;
use crate::mailbox::MailboxSpec;
use crate::types::probe::Deadlines;

/// At most this many messages per run (`max_messages`).
pub const DEFAULT_MAX_MESSAGES: usize = 10;
/// The pause between two messages (`delay`).
pub const DEFAULT_DELAY: Duration = Duration::from_secs(5);
/// How often a mailbox that cannot IDLE is looked at (`poll`).
pub const DEFAULT_POLL: Duration = Duration::from_secs(30);

/// The table as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeConfig {
    /// Send probes at all (the same as `--probe`).
    #[serde(default)]
    pub enabled: bool,
    /// Hosts whose forms and addresses may be probed. Default: the audited site's host.
    #[serde(default)]
    pub allow_hosts: Vec<String>,
    /// Where replies arrive: `imaps://user@host`, `imap://user@127.0.0.1:1143` or
    /// `maildir:/path`.
    pub mailbox: Option<String>,
    /// A file holding the mailbox password (else `DOORBELL_MAILBOX_PASSWORD`).
    pub mailbox_password_file: Option<PathBuf>,
    /// PEM certificates to trust for `imaps://` besides the public roots (a company's own CA,
    /// a self-signed server).
    pub mailbox_ca_file: Option<PathBuf>,
    /// The company's own inbox, to see whether form enquiries reach it.
    pub notification_mailbox: Option<String>,
    /// A file holding its password (else `DOORBELL_NOTIFICATION_PASSWORD`).
    pub notification_password_file: Option<PathBuf>,
    /// How e-mail probes leave: `smtp://user@host:587?tls=required`, `smtps://host`.
    pub smtp: Option<String>,
    /// A file holding the SMTP password (else `DOORBELL_SMTP_PASSWORD`).
    pub smtp_password_file: Option<PathBuf>,
    /// PEM certificates to trust for the SMTP server's TLS besides the public roots; with
    /// it, a plain `smtp://` URL means STARTTLS required.
    pub smtp_ca_file: Option<PathBuf>,
    /// Probe the forms [default: true].
    pub forms: Option<bool>,
    /// Probe the e-mail addresses [default: true when `smtp` is set].
    pub emails: Option<bool>,
    /// At most this many messages per run [default: 10].
    pub max_messages: Option<usize>,
    /// Pause between two messages, e.g. "5s" [default: 5s].
    pub delay: Option<String>,
    /// How often to look at a mailbox that cannot IDLE, e.g. "30s" [default: 30s].
    pub poll: Option<String>,
    #[serde(default)]
    pub persona: PersonaConfig,
    #[serde(default)]
    pub deadlines: DeadlinesConfig,
}

/// Who the test messages come from. Use a mailbox you read and a number that is yours.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaConfig {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The mailbox accepts `box+TOKEN@domain`: each probe then gets its own address, and
    /// a reply is matched even when it quotes nothing.
    #[serde(default)]
    pub plus_addressing: bool,
}

/// Deadlines per channel, e.g. `form = { confirmation = "15m", reply = "2h" }`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlinesConfig {
    #[serde(default)]
    pub form: DeadlinePair,
    #[serde(default)]
    pub email: DeadlinePair,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlinePair {
    pub confirmation: Option<String>,
    pub reply: Option<String>,
}

/// The persona with the defaults filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persona {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub plus_addressing: bool,
}

impl Persona {
    /// The address a probe with `token` gives: `box+TOKEN@domain` where the mailbox
    /// supports it.
    pub fn email_for(&self, token: &str) -> String {
        match (self.plus_addressing, self.email.split_once('@')) {
            (true, Some((local, domain))) => format!("{local}+{token}@{domain}"),
            _ => self.email.clone(),
        }
    }
}

/// An SMTP server to send through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSpec {
    /// The URL as lettre reads it, without the password.
    pub url: String,
    pub user: Option<String>,
    pub password: Option<String>,
    /// Extra PEM roots to trust.
    pub ca_file: Option<PathBuf>,
}

/// Everything probing needs, checked.
#[derive(Debug, Clone)]
pub struct ProbeSettings {
    pub allow_hosts: Vec<String>,
    pub mailbox: MailboxSpec,
    pub notification_mailbox: Option<MailboxSpec>,
    pub smtp: Option<SmtpSpec>,
    pub persona: Persona,
    pub forms: bool,
    pub emails: bool,
    pub max_messages: usize,
    pub delay: Duration,
    pub poll: Duration,
    pub form_deadlines: Deadlines,
    pub email_deadlines: Deadlines,
    /// The browser, when the run may use one (`--render auto|always`): forms only a script
    /// can send are then probed in it. Not from `[probe]`: set from the render settings.
    pub browser: Option<crate::render::RenderSettings>,
}

/// The longest wait or deadline: seven days.
pub const MAX_DURATION_S: u64 = 7 * 86_400;

/// `90`, `30s`, `15m`, `2h`, `1d`.
///
/// # Errors
/// Anything else, with an example.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a duration; write 30s, 15m or 2h"))?;
    let unit_seconds = match unit.trim() {
        "" | "s" | "sec" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}; use s, m, h or d"
            ));
        }
    };
    // A week bounds every wait and deadline: a longer one overflows clocks, not a mailbox.
    match value.checked_mul(unit_seconds) {
        Some(seconds) if seconds <= MAX_DURATION_S => Ok(Duration::from_secs(seconds)),
        _ => Err(format!("{text:?} is too long; at most 7d")),
    }
}

fn seconds(text: Option<&String>, default: i64, what: &str) -> Result<i64, UsageError> {
    text.map_or(Ok(default), |t| {
        parse_duration(t)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .map_err(|e| UsageError(format!("[probe.deadlines] {what}: {e}")))
    })
}

impl DeadlinePair {
    fn resolve(&self, what: &str) -> Result<Deadlines, UsageError> {
        let default = Deadlines::default();
        Ok(Deadlines {
            confirmation_s: seconds(
                self.confirmation.as_ref(),
                default.confirmation_s,
                &format!("{what}.confirmation"),
            )?,
            reply_s: seconds(
                self.reply.as_ref(),
                default.reply_s,
                &format!("{what}.reply"),
            )?,
        })
    }
}

/// A secret from its file, else from the environment variable.
fn secret(file: Option<&Path>, env: &str) -> Result<Option<String>, UsageError> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
        return Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()));
    }
    Ok(std::env::var(env).ok().filter(|v| !v.is_empty()))
}

/// Reads a mailbox URL; the password comes from `file` or `env`.
///
/// # Errors
/// A URL we cannot read, an IMAP mailbox without a user or a password.
pub fn mailbox_spec(text: &str, file: Option<&Path>, env: &str) -> Result<MailboxSpec, UsageError> {
    mailbox_spec_with(text, file, env, true)
}

fn mailbox_spec_with(
    text: &str,
    file: Option<&Path>,
    env: &str,
    need_password: bool,
) -> Result<MailboxSpec, UsageError> {
    if let Some(path) = text.strip_prefix("maildir:") {
        let path = path.strip_prefix("//").unwrap_or(path);
        if path.is_empty() {
            return Err(UsageError(
                "maildir: needs a path, e.g. maildir:/var/mail/test".into(),
            ));
        }
        return Ok(MailboxSpec::Maildir(PathBuf::from(path)));
    }
    let shown = without_userinfo(text);
    let url = Url::parse(text).map_err(|e| {
        UsageError(format!(
            "mailbox {shown:?}: {e}; write imaps://user@host or maildir:/path"
        ))
    })?;
    let tls = match url.scheme() {
        "imaps" => true,
        "imap" => false,
        other => {
            return Err(UsageError(format!(
                "mailbox {shown:?}: unknown scheme {other:?}; use imaps://, imap:// or maildir:"
            )));
        }
    };
    if url.password().is_some() {
        return Err(UsageError(format!(
            "mailbox {}: a password in the URL ends up in logs and shell history; put it in {env} or a password file",
            url.host_str().unwrap_or_default()
        )));
    }
    let user = percent_encoding::percent_decode_str(url.username())
        .decode_utf8_lossy()
        .into_owned();
    if user.is_empty() {
        return Err(UsageError(format!(
            "mailbox {shown:?}: name the user, e.g. imaps://tester@{}",
            url.host_str().unwrap_or("mail.example.com")
        )));
    }
    let host = url
        .host_str()
        .ok_or_else(|| UsageError(format!("mailbox {shown:?}: no host")))?
        .trim_matches(['[', ']'])
        .to_string();
    let password = match secret(file, env)? {
        Some(p) => p,
        None if !need_password => String::new(),
        None => {
            return Err(UsageError(format!(
                "mailbox {}: no password; set {env} or a password file",
                url.host_str().unwrap_or_default()
            )));
        }
    };
    Ok(MailboxSpec::Imap {
        ca_file: None,
        port: url.port().unwrap_or(if tls { 993 } else { 143 }),
        host,
        tls,
        user,
        password,
    })
}

fn with_ca(spec: MailboxSpec, ca: Option<&PathBuf>) -> MailboxSpec {
    match spec {
        MailboxSpec::Imap {
            host,
            port,
            tls,
            user,
            password,
            ca_file,
        } => MailboxSpec::Imap {
            host,
            port,
            tls,
            user,
            password,
            ca_file: ca.cloned().or(ca_file),
        },
        other => other,
    }
}

/// A mail URL as an error message may show it: its user and password (`imapx://u:pw@h`)
/// replaced by `…@`, whether or not the rest of it parses.
pub fn without_userinfo(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://…@{}", &rest[at + 1..]),
        None => text.to_string(),
    }
}

fn smtp_spec(text: &str, file: Option<&Path>, secrets: bool) -> Result<SmtpSpec, UsageError> {
    let shown = without_userinfo(text);
    let mut url = Url::parse(text).map_err(|e| UsageError(format!("smtp {shown:?}: {e}")))?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err(UsageError(format!(
            "smtp {shown:?}: use smtp://host:587?tls=required or smtps://host"
        )));
    }
    if url.password().is_some() {
        return Err(UsageError(
            "smtp: a password in the URL ends up in logs; put it in DOORBELL_SMTP_PASSWORD or a password file".into(),
        ));
    }
    let user = Some(
        percent_encoding::percent_decode_str(url.username())
            .decode_utf8_lossy()
            .into_owned(),
    )
    .filter(|u| !u.is_empty());
    let password = secret(file, "DOORBELL_SMTP_PASSWORD")?;
    if secrets && user.is_some() && password.is_none() {
        return Err(UsageError(
            "smtp: a user but no password; set DOORBELL_SMTP_PASSWORD or smtp_password_file".into(),
        ));
    }
    let _ = url.set_username("");
    Ok(SmtpSpec {
        url: url.to_string(),
        user,
        password,
        ca_file: None,
    })
}

impl ProbeConfig {
    /// The settings, checked, for probing `site_host`.
    ///
    /// # Errors
    /// A missing mailbox or persona, a bad URL or duration, a missing password.
    pub fn resolve(&self, site_host: &str) -> Result<ProbeSettings, UsageError> {
        self.resolve_with(site_host, true)
    }

    /// The settings for `--plan`, which logs in nowhere: passwords may be missing.
    ///
    /// # Errors
    /// As [`ProbeConfig::resolve`], passwords aside.
    pub fn resolve_for_plan(&self, site_host: &str) -> Result<ProbeSettings, UsageError> {
        self.resolve_with(site_host, false)
    }

    fn resolve_with(&self, site_host: &str, secrets: bool) -> Result<ProbeSettings, UsageError> {
        let mailbox_text = self.mailbox.as_deref().ok_or_else(|| {
            UsageError(
                "[probe] mailbox is missing: probes are only sent when their replies can be read (imaps://user@host or maildir:/path)".into(),
            )
        })?;
        let mailbox = mailbox_spec_with(
            mailbox_text,
            self.mailbox_password_file.as_deref(),
            "DOORBELL_MAILBOX_PASSWORD",
            secrets,
        )?;
        let mailbox = with_ca(mailbox, self.mailbox_ca_file.as_ref());
        let notification_mailbox = self
            .notification_mailbox
            .as_deref()
            .map(|text| {
                mailbox_spec_with(
                    text,
                    self.notification_password_file.as_deref(),
                    "DOORBELL_NOTIFICATION_PASSWORD",
                    secrets,
                )
                .map(|spec| with_ca(spec, self.mailbox_ca_file.as_ref()))
            })
            .transpose()?;
        let smtp = self
            .smtp
            .as_deref()
            .map(|text| {
                smtp_spec(text, self.smtp_password_file.as_deref(), secrets).map(|spec| SmtpSpec {
                    ca_file: self.smtp_ca_file.clone(),
                    ..spec
                })
            })
            .transpose()?;
        let persona = &self.persona;
        let email = persona.email.clone().ok_or_else(|| {
            UsageError("[probe.persona] email is missing: the address replies go to".into())
        })?;
        if !email.contains('@') {
            return Err(UsageError(format!(
                "[probe.persona] email {email:?} is not an address"
            )));
        }
        let duration = |text: Option<&String>, default: Duration, what: &str| {
            text.map_or(Ok(default), |t| {
                parse_duration(t).map_err(|e| UsageError(format!("[probe] {what}: {e}")))
            })
        };
        let mut allow_hosts: Vec<String> = self
            .allow_hosts
            .iter()
            .map(|h| h.trim().trim_end_matches('.').to_lowercase())
            .collect();
        if allow_hosts.is_empty() {
            allow_hosts.push(site_host.to_lowercase());
        }
        Ok(ProbeSettings {
            allow_hosts,
            mailbox,
            notification_mailbox,
            persona: Persona {
                name: persona
                    .name
                    .clone()
                    .unwrap_or_else(|| "Doorbell Test".into()),
                phone: persona
                    .phone
                    .clone()
                    .ok_or_else(|| {
                        UsageError(
                            "[probe.persona] phone is missing: callback forms need a number (use one you answer)".into(),
                        )
                    })?,
                email,
                plus_addressing: persona.plus_addressing,
            },
            forms: self.forms.unwrap_or(true),
            emails: self.emails.unwrap_or(smtp.is_some()),
            smtp,
            max_messages: self.max_messages.unwrap_or(DEFAULT_MAX_MESSAGES),
            delay: duration(self.delay.as_ref(), DEFAULT_DELAY, "delay")?,
            poll: duration(self.poll.as_ref(), DEFAULT_POLL, "poll")?,
            form_deadlines: self.deadlines.form.resolve("form")?,
            email_deadlines: self.deadlines.email.resolve("email")?,
            browser: None,
        })
    }
}

impl ProbeSettings {
    /// Whether a host may receive probes: one of the allowed hosts or their `www.` twin.
    pub fn allows(&self, host: &str) -> bool {
        host_allowed(&self.allow_hosts, host)
    }
}

/// Whether `host` is one of `allow_hosts` or their `www.` twin.
pub fn host_allowed(allow_hosts: &[String], host: &str) -> bool {
    let host = host.trim_end_matches('.').to_lowercase();
    let bare = host.strip_prefix("www.").unwrap_or(&host);
    allow_hosts.iter().any(|allowed| {
        let allowed = allowed.strip_prefix("www.").unwrap_or(allowed);
        allowed == bare
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3w").is_err());
        // Waits and deadlines stop at a week; a number that overflows is no panic.
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(parse_duration("8d").unwrap_err().contains("too long"));
        assert!(parse_duration("99999999999999999d").is_err());
    }

    #[test]
    fn no_error_shows_a_password_given_in_a_url() {
        for bad in [
            "imapx://tester:hunter2@mail.example.com",
            "imaps://tester:hunter2@mail.example.com:99999",
            "imaps://tester:hunter2@[bad host",
            "imap://tester:hunter2@",
        ] {
            let error = mailbox_spec(bad, None, "NO_SUCH_VAR_X")
                .unwrap_err()
                .to_string();
            assert!(!error.contains("hunter2"), "{bad}: {error}");
        }
        for bad in [
            "smtpx://tester:hunter2@mail.example.com",
            "smtps://tester:hunter2@mail.example.com:99999",
        ] {
            let error = smtp_spec(bad, None, true).unwrap_err().to_string();
            assert!(!error.contains("hunter2"), "{bad}: {error}");
        }
        assert_eq!(without_userinfo("imapx://u:pw@h/x?y"), "imapx://…@h/x?y");
    }

    #[test]
    fn mailboxes_are_read_and_passwords_kept_out_of_urls() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "s3cret\n").unwrap();
        let spec =
            mailbox_spec("imap://tester@127.0.0.1:1143", Some(&file), "NO_SUCH_VAR_X").unwrap();
        assert_eq!(
            spec,
            MailboxSpec::Imap {
                host: "127.0.0.1".into(),
                port: 1143,
                tls: false,
                user: "tester".into(),
                password: "s3cret".into(),
                ca_file: None,
            }
        );
        assert!(!spec.describe().contains("s3cret"));
        let err = mailbox_spec("imaps://tester:pw@mail.example.com", None, "X").unwrap_err();
        assert!(err.0.contains("password in the URL") && !err.0.contains("pw@"));
        assert!(
            mailbox_spec("imaps://tester@mail.example.com", None, "NO_SUCH_VAR_X")
                .unwrap_err()
                .0
                .contains("NO_SUCH_VAR_X")
        );
        assert_eq!(
            mailbox_spec("maildir:/var/mail/t", None, "X").unwrap(),
            MailboxSpec::Maildir("/var/mail/t".into())
        );
        assert!(mailbox_spec("pop3://a@b", None, "X").is_err());
    }

    #[test]
    fn the_site_host_is_allowed_by_default_and_plus_addresses_carry_the_token() {
        let config: ProbeConfig = toml::from_str(
            r#"mailbox = "maildir:/tmp/m"
persona = { email = "tester@example.org", phone = "+7 900 000-00-00", plus_addressing = true }
deadlines = { form = { reply = "1h" } }"#,
        )
        .unwrap();
        let settings = config.resolve("Shop.Example.com").unwrap();
        assert!(settings.allows("www.shop.example.com") && settings.allows("shop.example.com"));
        assert!(!settings.allows("crm.example.net"));
        assert!(!settings.emails, "no SMTP, no e-mail probes");
        assert_eq!(settings.form_deadlines.reply_s, 3600);
        assert_eq!(settings.form_deadlines.confirmation_s, 900);
        assert_eq!(
            settings.persona.email_for("db-abc"),
            "tester+db-abc@example.org"
        );
        let missing: ProbeConfig = toml::from_str("mailbox = \"maildir:/tmp/m\"").unwrap();
        assert!(missing.resolve("x").unwrap_err().0.contains("email"));
        assert!(
            ProbeConfig::default()
                .resolve("x")
                .unwrap_err()
                .0
                .contains("mailbox")
        );
    }
}
