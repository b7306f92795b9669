//! Messengers on a page: WhatsApp, Viber, Telegram, VK, Messenger, Instagram, OK, Skype, SMS,
//! Facebook, MAX, ICQ, Signal — their links (judged in [`link`]), messengers named next to a
//! number in text without a link, and links that show a messenger (its name, its icon) but
//! open none.

mod link;

use link::without_scheme;
pub use link::{Verdict, classify, leads_nowhere_else};

use std::sync::LazyLock;

use super::cues::{Cue, Cues};
use crate::text::AnyOf;

use regex::Regex;

use crate::extract::dom::{Anchor, Image, TextBlock};
use crate::extract::types::{MessengerSighting, PhoneSighting};
use crate::rulebook::phrases::contains_any;
use crate::rulebook::{MessengerWords, Phrases};
use crate::types::contact::MessengerKind;
/// A messenger link as a sighting: one that opens a messenger (well or badly), or one that
/// only shows one — its text or icon names it, but it leads to the site itself or nowhere.
pub fn from_anchor(anchor: &Anchor, words: &MessengerWords) -> Option<MessengerSighting> {
    let sighting = |kind, verdict: Verdict| MessengerSighting {
        kind,
        href: (!anchor.href.is_empty()).then(|| anchor.href.clone()),
        valid: verdict.problems.is_empty(),
        target: verdict.target,
        problems: verdict.problems,
        clickable: !anchor.href.is_empty(),
        region: anchor.region,
        third_party: None,
    };
    if let Some((kind, verdict)) = classify(&anchor.href).or_else(|| without_scheme(&anchor.href)) {
        return Some(sighting(kind, verdict));
    }
    if !leads_nowhere_else(&anchor.href) {
        // A share button or another site's page that mentions a network is not a door.
        return None;
    }
    let kind = named_in_text(&anchor.text, words).or_else(|| named_by_icon(&anchor.hint, words))?;
    Some(sighting(
        kind,
        Verdict::problem(None, "not-a-messenger-link"),
    ))
}

const NAMED_KINDS: [MessengerKind; 8] = [
    MessengerKind::Whatsapp,
    MessengerKind::Viber,
    MessengerKind::Telegram,
    MessengerKind::Skype,
    MessengerKind::Vk,
    MessengerKind::Ok,
    MessengerKind::Facebook,
    MessengerKind::Instagram,
];

fn words_for(kind: MessengerKind, words: &MessengerWords) -> &[String] {
    match kind {
        MessengerKind::Whatsapp => &words.whatsapp,
        MessengerKind::Viber => &words.viber,
        MessengerKind::Telegram => &words.telegram,
        MessengerKind::Skype => &words.skype,
        MessengerKind::Vk => &words.vk,
        MessengerKind::Ok => &words.ok,
        MessengerKind::Facebook => &words.facebook,
        MessengerKind::Instagram => &words.instagram,
        _ => &[],
    }
}

/// A short link text that names one messenger: «WhatsApp», «Написать в Telegram».
fn named_in_text(text: &str, words: &MessengerWords) -> Option<MessengerKind> {
    if text.split_whitespace().count() > 6 {
        return None;
    }
    let lower = text.to_lowercase();
    let mut named = NAMED_KINDS
        .into_iter()
        .filter(|kind| contains_any(&lower, words_for(*kind, words)));
    let kind = named.next()?;
    named.next().is_none().then_some(kind)
}

/// An icon that names one messenger by a whole word of its classes or file name, or of the
/// file name of its picture (`ok.svg`).
fn named_by_icon(hint: &str, words: &MessengerWords) -> Option<MessengerKind> {
    if !words.may_name_an_icon(hint) {
        return None;
    }
    let tokens: Vec<&str> = hint
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let file_tokens: Vec<&str> = picture_stems(hint)
        .flat_map(|stem| stem.split(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect();
    let named_by = |table: &'_ std::collections::BTreeMap<String, Vec<String>>, tokens: &[&str]| {
        table
            .iter()
            .filter(|(_, names)| names.iter().any(|n| tokens.contains(&n.as_str())))
            .map(|(kind, _)| kind.clone())
            .collect::<Vec<String>>()
    };
    let mut kinds = named_by(&words.icons, &tokens);
    for kind in named_by(&words.icon_files, &file_tokens) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    match kinds.as_slice() {
        [one] => MessengerKind::from_name(one),
        _ => None,
    }
}

/// The file names, without folder and extension, of the pictures a hint mentions
/// (`url(../icons/ok.svg)` gives `ok`).
fn picture_stems(hint: &str) -> impl Iterator<Item = &str> {
    const PICTURES: [&str; 6] = [".svg", ".png", ".webp", ".jpg", ".jpeg", ".gif"];
    hint.split_whitespace().filter_map(|piece| {
        let end = PICTURES.iter().filter_map(|ext| piece.find(ext)).min()?;
        let path = &piece[..end];
        Some(
            path.rsplit(['/', '\\', '(', '\'', '"'])
                .next()
                .unwrap_or(path),
        )
    })
}

/// A messenger's icon shown as a plain picture, in no link (`<img src="…/telegram.svg">` beside
/// the phone): "this number is on Telegram", and the visitor has nothing to tap. Only the
/// messengers a phone number opens count (as with a messenger named beside a number; an
/// unlinked Instagram icon leads nowhere at all), and only icons — an SVG, a picture 64 px or
/// smaller, or one whose file is named an icon — so a product photo is not read as a door.
pub fn from_icon_images(images: &[Image], words: &MessengerWords) -> Vec<MessengerSighting> {
    let mut found: Vec<MessengerSighting> = Vec::new();
    for image in images.iter().filter(|i| !i.in_anchor) {
        let src = image.src.to_ascii_lowercase();
        let icon_like = image.small || src.contains(".svg") || src.contains("icon");
        if !icon_like {
            continue;
        }
        let hint = format!("{src} {}", image.alt.to_lowercase());
        let Some(kind) = named_by_icon(&hint, words) else {
            continue;
        };
        let by_phone = matches!(
            kind,
            MessengerKind::Whatsapp | MessengerKind::Viber | MessengerKind::Telegram
        );
        if !by_phone || found.iter().any(|f| f.kind == kind) {
            continue;
        }
        found.push(MessengerSighting {
            kind,
            href: None,
            target: None,
            valid: false,
            problems: vec!["not-a-link".to_string()],
            clickable: false,
            region: image.region,
            third_party: None,
        });
    }
    found
}

/// VK's community widgets (`VK.Widgets.Group("vk_groups", {…}, 24176731)`, and
/// `CommunityMessages`, a chat with the community) draw a door to the community that no link
/// in the HTML shows. Read from the page's inline scripts, lower-cased.
pub fn from_vk_widgets(inline_scripts: &str) -> Vec<MessengerSighting> {
    const CALLS: [&str; 2] = ["vk.widgets.group(", "vk.widgets.communitymessages("];
    let mut found: Vec<MessengerSighting> = Vec::new();
    for call in CALLS {
        for (at, _) in inline_scripts.match_indices(call).take(8) {
            let Some(id) = numeric_argument(&inline_scripts[at + call.len()..]) else {
                continue;
            };
            let target = format!("club{id}");
            if found
                .iter()
                .any(|f| f.target.as_deref() == Some(target.as_str()))
            {
                continue;
            }
            found.push(MessengerSighting {
                kind: MessengerKind::Vk,
                href: None,
                target: Some(target),
                valid: true,
                problems: Vec::new(),
                clickable: true,
                region: crate::types::contact::PageRegion::Body,
                third_party: None,
            });
        }
    }
    found
}

/// The first argument of a call that is a plain number (`"24176731"` or `24176731`), read
/// up to the call's closing parenthesis or a bounded length.
fn numeric_argument(args: &str) -> Option<&str> {
    let args = &args[..crate::text::floor_char_boundary(args, args.len().min(400))];
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in args.char_indices() {
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            ')' if depth > 0 => depth -= 1,
            ',' | ')' if depth == 0 => {
                let arg = args[start..i].trim().trim_matches(['"', '\'']);
                if !arg.is_empty() && arg.len() <= 12 && arg.bytes().all(|b| b.is_ascii_digit()) {
                    return Some(arg);
                }
                if c == ')' {
                    return None;
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// «WhatsApp: +7 912 …» with no link: the customer has to copy the number into the app.
pub fn mentions(
    block: &TextBlock,
    phones_in_block: &[PhoneSighting],
    phrases: &Phrases,
) -> Vec<MessengerSighting> {
    let skype = skype_name(&block.text, block.cues).map(|name| MessengerSighting {
        kind: MessengerKind::Skype,
        href: None,
        target: Some(name),
        valid: false,
        problems: vec!["not-a-link".to_string()],
        clickable: false,
        region: block.region,
        third_party: None,
    });
    if phones_in_block.is_empty() {
        return skype.into_iter().collect();
    }
    let lower = block.text.to_lowercase();
    let words = &phrases.messenger_words;
    let kinds = [
        (MessengerKind::Whatsapp, &words.whatsapp),
        (MessengerKind::Viber, &words.viber),
        (MessengerKind::Telegram, &words.telegram),
        (MessengerKind::Skype, &words.skype),
    ];
    let named_skype = skype.is_some();
    kinds
        .into_iter()
        .filter(|(kind, _)| !(named_skype && *kind == MessengerKind::Skype))
        .filter(|(_, names)| names.iter().any(|n| lower.contains(n.as_str())))
        .map(|(kind, _)| MessengerSighting {
            kind,
            href: None,
            target: phones_in_block[0]
                .e164
                .as_ref()
                .map(|e| e.trim_start_matches('+').to_string()),
            valid: false,
            problems: vec!["not-a-link".to_string()],
            clickable: false,
            region: block.region,
            third_party: None,
        })
        .chain(skype)
        .collect()
}

/// «Skype: example.shop» — a Skype name written out, with no link to it.
fn skype_name(text: &str, cues: Cues) -> Option<String> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:skype|скайп)\s*:\s*((?:live:)?[a-z][a-z0-9._\-]{5,31})")
            .expect("valid pattern")
    });
    static LATIN_CUES: LazyLock<AnyOf> = LazyLock::new(|| AnyOf::new(&["kype", "KYPE"]));
    // Every block of every page passes here: scans before the pattern, the Latin ones only
    // where a "k" is (most Cyrillic blocks have none).
    let latin = || memchr::memchr2(b'k', b'K', text.as_bytes()).is_some() && LATIN_CUES.is_in(text);
    if !(cues.has(Cue::SkypeCyrillic, text) || latin()) {
        return None;
    }
    NAME.captures(text).map(|c| c[1].to_ascii_lowercase())
}
