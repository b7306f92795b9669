//! The corrected form of a contact point, built from the site's own number, address or link:
//! what a finding's reader pastes in place of the broken one. Never an example value — a
//! client who pastes `tel:+74950000000` calls nobody.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::extract::phone::international;
use crate::types::contact::MessengerKind;

/// What a mailto subject keeps unencoded: RFC 3986's unreserved characters.
const SUBJECT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `<a href="tel:+74957654321">+7 495 765-43-21</a>` for a valid number.
pub fn tel_link(e164: &str) -> Option<String> {
    let shown = international(e164)?;
    Some(format!(r#"<a href="tel:{e164}">{shown}</a>"#))
}

/// `<a href="mailto:…?subject=…">…</a>` with the subject the site meant, encoded.
pub fn mailto_link(address: &str, written: &str) -> Option<String> {
    if !address.contains('@') {
        return None;
    }
    let query = written.split_once('?').map_or("", |(_, q)| q);
    let subject = query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("subject")
            .then(|| percent_encoding::percent_decode_str(value).decode_utf8_lossy())
    });
    let href = match subject.as_deref().map(str::trim) {
        Some(subject) if !subject.is_empty() => format!(
            "mailto:{address}?subject={}",
            utf8_percent_encode(subject, SUBJECT)
        ),
        _ => format!("mailto:{address}"),
    };
    Some(format!(r#"<a href="{href}">{address}</a>"#))
}

/// The link that opens a chat with `target` in `kind`: digits for WhatsApp and Viber, a
/// username for Telegram.
pub fn messenger_link(kind: MessengerKind, target: &str) -> Option<String> {
    let digits: String = target.chars().filter(char::is_ascii_digit).collect();
    // `8 900 …` is how Russia and Kazakhstan write a mobile at home; abroad it is `7 900 …`.
    let national =
        (digits.len() == 11 && digits.starts_with('8')).then(|| format!("7{}", &digits[1..]));
    let number = || {
        [Some(digits.clone()), national.clone()]
            .into_iter()
            .flatten()
            .find(|d| {
                crate::extract::phone::read_number(&format!("+{d}"), None).is_some_and(|n| n.valid)
            })
    };
    match kind {
        MessengerKind::Whatsapp => Some(format!("https://wa.me/{}", number()?)),
        MessengerKind::Viber => Some(format!("viber://chat?number=%2B{}", number()?)),
        MessengerKind::Telegram => {
            let name = target.trim_start_matches('@');
            if name.starts_with('+') {
                return Some(format!("https://t.me/+{}", number()?));
            }
            let valid = (5..=32).contains(&name.chars().count())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            valid.then(|| format!("https://t.me/{name}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_own_number_and_address_corrected() {
        assert_eq!(
            tel_link("+74957654321").as_deref(),
            Some(r#"<a href="tel:+74957654321">+7 495 765-43-21</a>"#)
        );
        assert_eq!(
            mailto_link(
                "delivery@example.com",
                "mailto:delivery@example.com ?subject=Вопрос по доставке"
            )
            .as_deref(),
            Some(
                r#"<a href="mailto:delivery@example.com?subject=%D0%92%D0%BE%D0%BF%D1%80%D0%BE%D1%81%20%D0%BF%D0%BE%20%D0%B4%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B5">delivery@example.com</a>"#
            )
        );
        assert_eq!(
            messenger_link(MessengerKind::Whatsapp, "79001234567").as_deref(),
            Some("https://wa.me/79001234567")
        );
        assert_eq!(
            messenger_link(MessengerKind::Viber, "+7 900 123-45-67").as_deref(),
            Some("viber://chat?number=%2B79001234567")
        );
        assert_eq!(
            messenger_link(MessengerKind::Telegram, "@example_shop").as_deref(),
            Some("https://t.me/example_shop")
        );
        assert_eq!(messenger_link(MessengerKind::Telegram, "ab"), None);
        assert_eq!(
            messenger_link(MessengerKind::Whatsapp, "89001234567").as_deref(),
            Some("https://wa.me/79001234567")
        );
        assert_eq!(messenger_link(MessengerKind::Whatsapp, "12"), None);
    }
}
