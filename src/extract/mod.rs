//! Extraction: one page of HTML and its URL in, contact points out. Pure functions, no I/O,
//! one module per kind of contact point; the crawler and the tests call [`page`].

pub mod country;
mod cues;
mod digest;
mod disguise;
pub mod dom;
pub mod email;
pub mod form;
pub mod form_purpose;
mod form_text;
pub mod formless;
pub mod hours;
pub mod links;
pub mod markers;
mod memo;
pub mod messenger;
pub mod nesting;
pub mod parse;
pub mod party;
pub mod phone;
pub mod place;
pub mod postcode;
pub mod region;
pub mod scripted;
pub mod social;
mod spare_texts;
pub mod types;
pub mod widget;

use rlibphonenumber::Region;
use url::Url;

pub use types::*;

use crate::rulebook::Rulebook;
use crate::text::floor_char_boundary;
use crate::types::contact::{MessengerKind, PlaceSource, RegionSource, Source};
use dom::WantedMarkers;

/// What extraction needs besides the page: the rulebook and the default phone region.
pub struct Extractor<'a> {
    pub book: &'a Rulebook,
    /// The region numbers without a country code are read in (`--region`, else the TLD),
    /// and which of the two chose it; `None` leaves it to each page's own numbers, else its
    /// language.
    pub region: Option<(Region, RegionSource)>,
    wanted: WantedMarkers,
}

/// The widget and captcha DOM markers the walk should look for.
pub fn wanted_markers(book: &Rulebook) -> WantedMarkers {
    WantedMarkers::from_markers(
        book.signatures
            .widget_matcher
            .dom_markers()
            .chain(book.signatures.captcha_matcher.dom_markers()),
    )
}

/// International numbers read for the page's country, at most: enough to vote, bounded on a
/// page of thousands.
const OWN_NUMBERS_CAP: usize = 32;

/// The country of the page's own international numbers, when one country has most of them:
/// a page with +7 numbers writes its national ones in the same country, whatever its
/// language or domain says (a Swiss site in German is not +49). Read from its `tel:+…` links,
/// numbers written with `+` in its text, and the `+91 …` placeholders of its phone inputs.
fn region_of_own_numbers(digest: &dom::Digest) -> Option<Region> {
    let links = digest.anchors.iter().filter_map(|anchor| {
        let target = anchor
            .href
            .get(..4)
            .filter(|scheme| scheme.eq_ignore_ascii_case("tel:"))
            .and_then(|_| anchor.href.get(4..))?;
        Some(percent_encoding::percent_decode_str(target).decode_utf8_lossy())
    });
    let in_text = digest
        .blocks
        .iter()
        .filter(|b| memchr::memchr(b'+', b.text.as_bytes()).is_some())
        .flat_map(|b| plus_numbers(&b.text))
        .map(std::borrow::Cow::Borrowed);
    // A placeholder is a pattern (`+91 90000000`), rarely a valid number: its country code
    // is what it says.
    let placeholders = digest
        .international_placeholders
        .iter()
        .map(|p| (std::borrow::Cow::Borrowed(p.as_str()), false));
    let numbers = links
        .chain(in_text)
        .map(|n| (n, true))
        .chain(placeholders)
        .take(OWN_NUMBERS_CAP);
    let mut counts: Vec<(Region, usize)> = Vec::new();
    for (number, must_be_valid) in numbers {
        let number = number.trim_start();
        if number.starts_with('+')
            && let Some(region) = phone::country_of_international(number, must_be_valid)
        {
            count(&mut counts, region);
        }
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    counts
        .into_iter()
        .find(|(_, n)| 2 * n > total)
        .map(|(region, _)| region)
}

fn count(counts: &mut Vec<(Region, usize)>, region: Region) {
    match counts.iter_mut().find(|(r, _)| *r == region) {
        Some((_, n)) => *n += 1,
        None => counts.push((region, 1)),
    }
}

/// What follows each `+` that starts a number in `text`: digits and the separators people
/// write in numbers, up to the length of the longest one.
fn plus_numbers(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('+').filter_map(move |(at, _)| {
        let rest = &text[at..];
        if !rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let end = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| {
                !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '\u{a0}'))
            })
            .map_or(rest.len(), |(i, _)| i);
        Some(&rest[..floor_char_boundary(rest, end.min(24))])
    })
}

/// A language tag (`en-GB`, `ru`, `de_CH`) as its lower-cased language and the country it
/// states, if any.
pub fn parse_lang(lang: &str) -> (String, Option<Region>) {
    let lang = lang.trim().to_ascii_lowercase();
    match lang.split_once(['-', '_']) {
        Some((language, country)) => (
            language.to_string(),
            Region::from_code(&country.to_ascii_uppercase()).ok(),
        ),
        None => (lang, None),
    }
}

/// The phone region a page's language suggests (`ru` → RU, `en-GB` → GB).
pub fn region_from_lang(lang: &str) -> Option<Region> {
    let (language, country) = parse_lang(lang);
    if let Some(region) = country {
        return Some(region);
    }
    let code = match language.as_str() {
        "ru" => "RU",
        "uk" => "UA",
        "be" => "BY",
        "kk" => "KZ",
        "uz" => "UZ",
        "hy" => "AM",
        "ka" => "GE",
        "az" => "AZ",
        "de" => "DE",
        "fr" => "FR",
        "es" => "ES",
        "it" => "IT",
        "pl" => "PL",
        "en" => "US",
        _ => return None,
    };
    Region::from_code(code).ok()
}

impl<'a> Extractor<'a> {
    pub fn new(book: &'a Rulebook, region: Option<(Region, RegionSource)>) -> Self {
        Self {
            book,
            region,
            wanted: wanted_markers(book),
        }
    }

    /// Everything on one page.
    /// What one walk over `html` reads, and the page's tree when it has forms to read from it:
    /// a page without a form control is walked as it is tokenized, with no tree built. A
    /// control the quick look missed is counted by the walk: the page is then parsed after all.
    fn digest(&self, html: &str) -> (dom::Digest, Option<scraper::Html>) {
        if !dom::may_hold_controls(html) {
            let digest = dom::digest_of_tokens(html, &self.wanted);
            if digest.controls == 0 {
                return (digest, None);
            }
        }
        let doc = parse::document(html);
        (dom::digest(&doc, &self.wanted), Some(doc))
    }

    pub fn page(&self, html: &str, url: &Url) -> PageExtract {
        let capped = nesting::cap(html);
        let (mut digest, doc) = self.digest(&capped.html);
        cues::Cues::mark(&mut digest.blocks);
        let phrases = &self.book.phrases;
        let schema = place::schema(&digest);
        let chosen = self
            .region
            .or_else(|| region_of_own_numbers(&digest).map(|r| (r, RegionSource::OwnNumbers)))
            .or_else(|| {
                // "UK" is how people write the code ISO spells GB.
                let code = schema.countries.first()?.replace("UK", "GB");
                let region = Region::from_code(&code).ok()?;
                Some((region, RegionSource::Schema))
            })
            .or_else(|| {
                let lang = digest.lang.as_deref()?;
                country::named_in(&digest.blocks, lang).map(|r| (r, RegionSource::PlaceNames))
            })
            .or_else(|| {
                digest
                    .lang
                    .as_deref()
                    .and_then(region_from_lang)
                    .map(|r| (r, RegionSource::Language))
            });
        let region = chosen.map(|(r, _)| r);
        let base = digest
            .base_href
            .as_deref()
            .and_then(|href| url.join(href).ok())
            .unwrap_or_else(|| url.clone());

        let mut out = PageExtract {
            title: digest.title.clone(),
            lang: digest.lang.clone(),
            region: chosen.map(|(r, source)| (r.as_region_str().to_string(), source)),
            links: links::extract(&digest.anchors, &base),
            tags_left_out: capped.tags_left_out,
            bytes_past_elements: capped.bytes_past_elements,
            ..PageExtract::default()
        };
        let parties = party::Parties::new(&digest.blocks, phrases);
        // The first `tel:` link of each block: a messenger named beside a linked number
        // («+7 999 000-00-00 (WhatsApp/Telegram)») is a door with nothing to tap too.
        let mut tel_link_of_block: Vec<Option<usize>> = vec![None; digest.blocks.len()];
        for (at, anchor) in digest.anchors.iter().enumerate() {
            if anchor
                .href
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("tel:"))
                && let Some(slot) = tel_link_of_block.get_mut(anchor.block)
                && slot.is_none()
            {
                *slot = Some(at);
            }
        }
        let mut hours_found = Vec::with_capacity(digest.blocks.len());
        for (index, block) in digest.blocks.iter().enumerate() {
            let third_party_at = |offset| parties.third_party_at(index, offset);
            let phones =
                phone::from_block(block, &digest.anchors, region, phrases, &third_party_at);
            let linked;
            let beside = match tel_link_of_block[index] {
                Some(at) if phones.is_empty() => {
                    linked =
                        phone::from_tel_link(&digest.anchors[at], &block.text, region, phrases);
                    &linked
                }
                _ => &phones,
            };
            out.messengers
                .extend(messenger::mentions(block, beside, phrases));
            out.phones.extend(phones);
            out.emails
                .extend(email::from_block(block, &digest.anchors, &third_party_at));
            let hours = hours::hours_in_block(block);
            hours_found.push(!hours.is_empty());
            out.hours.extend(hours);
            out.addresses.extend(place::addresses_in_block(block));
        }
        // Days in one block and times in the next, where neither reads as hours alone.
        for (index, pair) in digest.blocks.windows(2).enumerate() {
            if !hours_found[index] && !hours_found[index + 1] {
                out.hours.extend(hours::hours_across(&pair[0], &pair[1]));
            }
        }
        for (index, anchor) in digest.anchors.iter().enumerate() {
            let scheme = anchor
                .href
                .split_once(':')
                .map(|(s, _)| s.to_ascii_lowercase());
            let (phones_before, emails_before, messengers_before) =
                (out.phones.len(), out.emails.len(), out.messengers.len());
            match scheme.as_deref() {
                Some("tel") => {
                    let block_text = digest
                        .blocks
                        .get(anchor.block)
                        .map_or("", |b| b.text.as_str());
                    out.phones
                        .extend(phone::from_tel_link(anchor, block_text, region, phrases));
                }
                Some("mailto") => out.emails.extend(email::from_mailto(anchor)),
                _ if anchor.href.contains("/cdn-cgi/l/email-protection") => {
                    out.emails.extend(email::from_cloudflare(anchor));
                }
                _ => match messenger::from_anchor(anchor, &phrases.messenger_words) {
                    Some(found) => out.messengers.push(found),
                    None => out
                        .social_profiles
                        .extend(social::profile(&anchor.href, anchor.region)),
                },
            }
            let found_here = out.phones.len() > phones_before
                || out.emails.len() > emails_before
                || out.messengers.len() > messengers_before;
            if let Some(reason) = found_here
                .then(|| parties.third_party_of_anchor(anchor, index))
                .flatten()
            {
                for p in &mut out.phones[phones_before..] {
                    p.third_party = Some(reason.clone());
                }
                for e in &mut out.emails[emails_before..] {
                    e.third_party = Some(reason.clone());
                }
                for m in &mut out.messengers[messengers_before..] {
                    m.third_party = Some(reason.clone());
                }
            }
        }
        out.messengers
            .extend(messenger::from_vk_widgets(&digest.inline_scripts));
        // An icon in no link says "we are in this messenger" only beside a phone.
        if !out.phones.is_empty() {
            out.messengers.extend(messenger::from_icon_images(
                &digest.images,
                &phrases.messenger_words,
            ));
        }
        out.emails
            .extend(email::from_joomla_cloak(&digest.inline_scripts));
        // A messenger named in text is only "not clickable" when the page links it nowhere.
        let linked: Vec<MessengerKind> = out
            .messengers
            .iter()
            .filter(|m| m.clickable)
            .map(|m| m.kind)
            .collect();
        out.messengers
            .retain(|m| m.clickable || !linked.contains(&m.kind));

        out.email_images = email::images(&digest, url, phrases);
        // Most pages have no control at all: two walks of the tree saved.
        if digest.controls > 0
            && let Some(doc) = &doc
        {
            out.forms = form::extract(doc, url, &digest, self.book, &self.wanted);
            out.forms.extend(formless::extract(doc, url, self.book));
        }
        out.widgets = widget::extract(&digest, self.book);
        out.call_tracking = self
            .book
            .signatures
            .call_tracking_on(&digest.script_srcs, &digest.inline_scripts);
        out.render_hint = scripted::render_hint(&digest, &out);

        for (number, region_on_page) in schema.telephones {
            if let Some(read) = phone::read_number(&number, region) {
                out.phones.push(PhoneSighting {
                    format: phone::format_of(&number, &read),
                    shown: number,
                    e164: Some(read.e164),
                    valid: read.valid,
                    kind: read.kind,
                    source: Source::Schema,
                    clickable: false,
                    tel_href: None,
                    tel_matches_text: None,
                    labelled_free: false,
                    region: region_on_page,
                    third_party: None,
                });
            }
        }
        for (address, region_on_page) in schema.emails {
            if email::is_address(&address) {
                out.emails.push(EmailSighting {
                    address: address.to_lowercase(),
                    source: Source::Schema,
                    clickable: false,
                    mailto: None,
                    sends_to: None,
                    region: region_on_page,
                    third_party: None,
                });
            }
        }
        out.addresses.extend(schema.addresses);
        out.hours.extend(schema.hours);
        for element in &digest.address_elements {
            let text = &element.text;
            if element.microformat && element.microformat_parts {
                if !text.is_empty() && text.len() < 300 {
                    out.addresses.push(PlaceSighting {
                        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                        source: PlaceSource::Microformat,
                        region: element.region,
                    });
                }
                continue;
            }
            // `<address>` is often a whole contact block; keep the lines that read as an
            // address, or the element itself when none does.
            let found = place::addresses_in(text, element.region);
            if found.is_empty() && text.len() < 300 && place::reads_as_place(text) {
                out.addresses.push(PlaceSighting {
                    text: text.clone(),
                    source: PlaceSource::AddressElement,
                    region: element.region,
                });
            }
        }
        out
    }
}
