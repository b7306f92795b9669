//! Reading one messenger link: which messenger it opens, whom, and what is wrong with it
//! (PRACTICE.md items 11–14).
//!
//! Decided: `t.me/+79…` is Telegram's link to a chat by phone number and is valid; a
//! `t-do.ru/<name>`-style mirror is Telegram, but flagged `proxy-domain` (it works only while
//! the mirror does); a network's bare home page (`https://facebook.com`) is that network with
//! `no-target`; a link written without its scheme (`instagram.com/shop`) is that network with
//! `no-scheme`, since a browser opens it as a page of the site itself.

use url::Url;

use crate::extract::phone::read_number;
use crate::types::contact::MessengerKind;

/// The verdict on one link: what it opens and what is wrong with it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub target: Option<String>,
    pub problems: Vec<String>,
}

impl Verdict {
    fn ok(target: impl Into<String>) -> Self {
        Self {
            target: Some(target.into()),
            problems: Vec::new(),
        }
    }
    pub(super) fn problem(target: Option<String>, problem: &str) -> Self {
        Self {
            target,
            problems: vec![problem.to_string()],
        }
    }
}

/// Recognises a messenger link and judges it. `None` when the link is no messenger (a share
/// button, a social page that is not a chat, any other link).
pub fn classify(href: &str) -> Option<(MessengerKind, Verdict)> {
    let trimmed = href.trim();
    // Every link this reads has a scheme; most links of a page are its own relative ones.
    if !trimmed.contains(':') {
        return None;
    }
    let lower = trimmed.to_ascii_lowercase();
    if let Some(rest) = strip_scheme(&lower, trimmed, "whatsapp:") {
        return Some((MessengerKind::Whatsapp, whatsapp_query(rest)));
    }
    if let Some(rest) = strip_scheme(&lower, trimmed, "viber:") {
        return Some((MessengerKind::Viber, viber(rest)));
    }
    if let Some(rest) = strip_scheme(&lower, trimmed, "tg:") {
        return Some((MessengerKind::Telegram, telegram_tg(rest)));
    }
    if let Some(rest) = strip_scheme(&lower, trimmed, "skype:") {
        let name = rest.split('?').next().unwrap_or_default();
        let verdict = if name.is_empty() {
            Verdict::problem(None, "no-target")
        } else {
            Verdict::ok(name)
        };
        return Some((MessengerKind::Skype, verdict));
    }
    if let Some(rest) = strip_scheme(&lower, trimmed, "sms:") {
        return Some((MessengerKind::Sms, sms(rest)));
    }
    let url = Url::parse(trimmed).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.trim_start_matches("www.").to_string();
    let raw_path = raw_path(trimmed);
    let raw_query = trimmed
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q));
    let first = url
        .path_segments()
        .and_then(|mut s| s.next())
        .unwrap_or_default()
        .to_string();
    match host.as_str() {
        "wa.me" => Some((
            MessengerKind::Whatsapp,
            whatsapp_wa_me(&raw_path, raw_query),
        )),
        "api.whatsapp.com" | "web.whatsapp.com" => Some((
            MessengerKind::Whatsapp,
            whatsapp_query(raw_query.unwrap_or_default()),
        )),
        "chat.whatsapp.com" => Some((MessengerKind::Whatsapp, non_empty(&first, "group"))),
        "t.me" | "telegram.me" | "telegram.dog" => {
            Some((MessengerKind::Telegram, telegram_path(&url)))
        }
        "invite.viber.com" => Some((MessengerKind::Viber, Verdict::ok("invite"))),
        "t-do.ru" | "tlgg.ru" | "tgtg.ru" => {
            let mut verdict = telegram_path(&url);
            verdict.problems.push("proxy-domain".to_string());
            Some((MessengerKind::Telegram, verdict))
        }
        "vk.me" => Some((MessengerKind::Vk, non_empty(&first, "chat"))),
        "vk.com" | "m.vk.com" | "vk.ru" => vk(&url, &first).map(|v| (MessengerKind::Vk, v)),
        "facebook.com" | "m.facebook.com" | "fb.com" | "fb.me" | "web.facebook.com" => {
            account_page(
                &first,
                &[
                    "sharer",
                    "sharer.php",
                    "share.php",
                    "dialog",
                    "plugins",
                    "tr",
                    "login",
                ],
            )
            .map(|v| (MessengerKind::Facebook, v))
        }
        "max.ru" => Some((
            MessengerKind::Max,
            non_empty(url.path().trim_matches('/'), "chat"),
        )),
        "icq.im" | "icq.com" => Some((MessengerKind::Icq, non_empty(&first, "account"))),
        "signal.me" | "signal.group" => Some((
            MessengerKind::Signal,
            non_empty(
                url.fragment()
                    .unwrap_or_else(|| url.path().trim_matches('/')),
                "account",
            ),
        )),
        "m.me" => Some((MessengerKind::Messenger, non_empty(&first, "page"))),
        "ig.me" => Some((
            MessengerKind::Instagram,
            non_empty(
                url.path().trim_start_matches("/m/").trim_matches('/'),
                "account",
            ),
        )),
        "instagram.com" => account_page(&first, &["p", "reel", "explore", "accounts", "stories"])
            .map(|v| (MessengerKind::Instagram, v)),
        "ok.ru" | "m.ok.ru" => {
            // Groups live at `ok.ru/group/<id>`: the id is the target, not the word "group".
            let target = url.path().trim_matches('/').to_string();
            account_page(&first, &["dk", "share", "app", "game"])
                .map(|_| (MessengerKind::Ok, Verdict::ok(target)))
        }
        _ => None,
    }
}

fn strip_scheme<'a>(lower: &str, original: &'a str, scheme: &str) -> Option<&'a str> {
    lower
        .starts_with(scheme)
        .then(|| original[scheme.len()..].trim_start_matches("//"))
}

/// The path exactly as written, before the URL parser percent-encodes it: `wa.me/+7 912`
/// must be judged as the customer's phone will see it.
fn raw_path(href: &str) -> String {
    let after_scheme = href.split_once("://").map_or(href, |(_, rest)| rest);
    let path_start = after_scheme.find('/').map_or(after_scheme.len(), |i| i);
    let path_and_query = &after_scheme[path_start..];
    path_and_query
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

fn non_empty(target: &str, _what: &str) -> Verdict {
    if target.is_empty() {
        Verdict::problem(None, "no-target")
    } else {
        Verdict::ok(target)
    }
}

/// A profile page of a network: its first path segment, unless it is one of the network's
/// own pages. The network's bare home page is the network shown, leading nowhere.
fn account_page(first: &str, not_accounts: &[&str]) -> Option<Verdict> {
    if first.is_empty() {
        return Some(Verdict::problem(None, "no-target"));
    }
    if not_accounts.contains(&first) || first.ends_with(".php") {
        return None;
    }
    Some(Verdict::ok(first))
}

fn vk(url: &Url, first: &str) -> Option<Verdict> {
    if first == "im" || first == "write" {
        let target = url
            .query_pairs()
            .find(|(k, _)| k == "sel")
            .map(|(_, v)| v.into_owned())
            .or_else(|| first.strip_prefix("write").map(str::to_string));
        return Some(match target {
            Some(t) if !t.is_empty() => Verdict::ok(t),
            _ => Verdict::ok(first),
        });
    }
    account_page(
        first,
        &["share.php", "away.php", "video", "wall", "feed", "search"],
    )
}

/// Checks the digits of a WhatsApp number as PRACTICE.md item 12 asks.
fn whatsapp_number(raw: &str) -> Verdict {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    let digits: String = decoded.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Verdict::problem(None, "no-number");
    }
    let mut problems = Vec::new();
    if decoded.contains('+') || raw.contains("%2B") || raw.contains("%2b") {
        problems.push("plus-sign".to_string());
    }
    if decoded.chars().any(|c| !c.is_ascii_digit() && c != '+') {
        problems.push("separators".to_string());
    }
    if digits.starts_with('8') && digits.len() == 11 {
        problems.push("national-prefix".to_string());
    } else if !read_number(&format!("+{digits}"), None).is_some_and(|n| n.valid) {
        problems.push("number-invalid".to_string());
    }
    Verdict {
        target: Some(digits),
        problems,
    }
}

fn whatsapp_wa_me(raw_path: &str, raw_query: Option<&str>) -> Verdict {
    let number = raw_path.trim_start_matches('/').trim_end_matches('/');
    if number.starts_with("message/") || number.starts_with("c/") {
        return Verdict::ok(number);
    }
    let mut verdict = whatsapp_number(number);
    text_param_problems(raw_query, &mut verdict);
    verdict
}

/// `?text=` must be URL-encoded: a raw space cuts the link short on many phones.
fn text_param_problems(query: Option<&str>, verdict: &mut Verdict) {
    if let Some(query) = query
        && let Some(text) = query.split('&').find_map(|pair| pair.strip_prefix("text="))
        && text.contains(' ')
    {
        verdict.problems.push("text-not-encoded".to_string());
    }
}

fn whatsapp_query(query: &str) -> Verdict {
    let query = query.trim_start_matches("send").trim_start_matches('?');
    let phone = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("phone="));
    let mut verdict = match phone {
        Some(phone) => whatsapp_number(phone),
        None => Verdict::problem(None, "no-number"),
    };
    text_param_problems(Some(query), &mut verdict);
    verdict
}

/// PRACTICE.md item 13: `viber://chat?number=%2B<digits>`.
fn viber(rest: &str) -> Verdict {
    let (action, query) = rest.split_once('?').unwrap_or((rest, ""));
    let action = action.trim_end_matches('/').to_ascii_lowercase();
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
    };
    match action.as_str() {
        "chat" | "add" | "contact" => {
            let Some(number) = param("number") else {
                return Verdict::problem(None, "no-number");
            };
            let decoded = percent_encoding::percent_decode_str(number).decode_utf8_lossy();
            let digits: String = decoded.chars().filter(char::is_ascii_digit).collect();
            let mut problems = Vec::new();
            let lower = number.to_ascii_lowercase();
            if lower.starts_with('+') {
                problems.push("plus-not-encoded".to_string());
            } else if !lower.starts_with("%2b") {
                problems.push("plus-missing".to_string());
            }
            let tail = lower.trim_start_matches("%2b").trim_start_matches('+');
            if tail.chars().any(|c| !c.is_ascii_digit()) {
                problems.push("separators".to_string());
            }
            if digits.is_empty() {
                problems.push("no-number".to_string());
            }
            Verdict {
                target: (!digits.is_empty()).then_some(digits),
                problems,
            }
        }
        "pa" => match param("chatURI").or_else(|| param("chaturi")) {
            Some(uri) if !uri.is_empty() => Verdict::ok(uri),
            _ => Verdict::problem(None, "no-target"),
        },
        _ => Verdict::problem(None, "unknown-action"),
    }
}

/// PRACTICE.md item 14: usernames are 5–32 characters of letters, digits and underscore.
fn telegram_username(name: &str) -> Verdict {
    let mut problems = Vec::new();
    let len = name.chars().count();
    if len < 5 {
        problems.push("username-too-short".to_string());
    }
    if len > 32 {
        problems.push("username-too-long".to_string());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        problems.push("username-bad-characters".to_string());
    }
    if name.is_empty() {
        return Verdict::problem(None, "no-target");
    }
    Verdict {
        target: Some(name.to_string()),
        problems,
    }
}

fn telegram_path(url: &Url) -> Verdict {
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| {
            s.filter(|s| !s.is_empty())
                .map(|s| {
                    percent_encoding::percent_decode_str(s)
                        .decode_utf8_lossy()
                        .into_owned()
                })
                .collect()
        })
        .unwrap_or_default();
    match segments.first().map(String::as_str) {
        None => Verdict::problem(None, "no-target"),
        Some("joinchat" | "addlist") => {
            non_empty(segments.get(1).map_or("", String::as_str), "invite")
        }
        Some(first) if first.starts_with('+') => {
            // `t.me/+79…` opens a chat by phone; `t.me/+AbC…` is an invite link.
            Verdict::ok(first)
        }
        Some("s") => telegram_username(segments.get(1).map_or("", String::as_str)),
        Some(name) => telegram_username(name),
    }
}

fn telegram_tg(rest: &str) -> Verdict {
    let (action, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !action.eq_ignore_ascii_case("resolve") {
        return Verdict::ok(action);
    }
    match query
        .split('&')
        .find_map(|pair| pair.strip_prefix("domain="))
    {
        Some(name) => telegram_username(name),
        None => Verdict::problem(None, "no-target"),
    }
}

fn sms(rest: &str) -> Verdict {
    let number = rest.split(['?', ';']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(number).decode_utf8_lossy();
    match read_number(&decoded, None) {
        Some(read) if read.valid => Verdict::ok(read.e164),
        Some(read) => Verdict::problem(Some(read.e164), "number-invalid"),
        None => Verdict::problem(None, "no-number"),
    }
}

/// The hosts [`classify`] knows, for the cheap test before a scheme-less link is parsed.
const MESSENGER_HOSTS: [&str; 30] = [
    "wa.me",
    "api.whatsapp.com",
    "web.whatsapp.com",
    "chat.whatsapp.com",
    "t.me",
    "telegram.me",
    "telegram.dog",
    "t-do.ru",
    "tlgg.ru",
    "tgtg.ru",
    "invite.viber.com",
    "vk.me",
    "vk.com",
    "m.vk.com",
    "vk.ru",
    "m.me",
    "ig.me",
    "instagram.com",
    "ok.ru",
    "m.ok.ru",
    "facebook.com",
    "m.facebook.com",
    "fb.com",
    "fb.me",
    "web.facebook.com",
    "max.ru",
    "icq.im",
    "icq.com",
    "signal.me",
    "signal.group",
];

/// `instagram.com/shop` with no scheme: the browser opens it as a page of the site itself —
/// and a page builder may have saved it so, as `https://shop.example/instagram.com/shop`.
pub(super) fn without_scheme(href: &str) -> Option<(MessengerKind, Verdict)> {
    // A page's own relative links have no colon: one byte search rules them out, where a
    // search for "://" set up its substring searcher for each of them.
    if href.contains(':') {
        let (_, after_scheme) = href.split_once("://")?;
        let (_, path) = after_scheme.split_once('/')?;
        return without_scheme(path);
    }
    if href.starts_with(['/', '#', '.', '?']) {
        return None;
    }
    let host = href.split('/').next()?.trim_start_matches("www.");
    // Most links of a page are its own pages: only a known network's host is worth a URL parse.
    if !MESSENGER_HOSTS
        .iter()
        .any(|known| host.eq_ignore_ascii_case(known))
    {
        return None;
    }
    let (kind, mut verdict) = classify(&format!("https://{href}"))?;
    verdict.problems.push("no-scheme".to_string());
    Some((kind, verdict))
}

/// A link that goes nowhere or back home: empty, a bare fragment, a script, the site's root or
/// index page. Only such a link can be a messenger's icon or button left unfinished; a link
/// to a real page of the site (`/pay/skype`) is that page, whatever its text.
pub fn leads_nowhere_else(href: &str) -> bool {
    // Every link of every page passes here, twice: no lower-cased copy of it.
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.ends_with('#') {
        return true;
    }
    if href
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
    {
        return true;
    }
    if href.contains(':') {
        return false;
    }
    // By bytes: the separators are ASCII, and searching with a set of chars decoded the link
    // a character at a time.
    let href = href.as_bytes();
    let path = &href[..memchr::memchr2(b'?', b'#', href).unwrap_or(href.len())];
    let last = path
        .rsplit(|&b| b == b'/' || b == b'\\')
        .find(|s| !s.is_empty() && *s != b"." && *s != b"..")
        .unwrap_or_default();
    last.is_empty()
        || [
            "index.htm",
            "index.html",
            "index.php",
            "default.htm",
            "default.aspx",
        ]
        .iter()
        .any(|home| last.eq_ignore_ascii_case(home.as_bytes()))
}

#[cfg(test)]
mod tests;
