//! Addresses in English-speaking countries, found by their postcode — the one part written the
//! same way whatever the street is called: a British postcode (`NW1 6XE`), an Irish Eircode
//! (`E21 C564`), a US state and ZIP (`TX 75201`), an Australian state and postcode
//! (`VIC 3000`), an Indian PIN after the town (`Raipur – 492007`). The lines before it, up to
//! three, are the rest of the address.

use std::sync::LazyLock;

use regex::Regex;

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    let uk = r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}";
    let ie = r"[AC-FHKNPRTV-Y]\d{2} ?[AC-FHKNPRTV-Y\d]{4}";
    let us = r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC) \d{5}(?:-\d{4})?";
    let au = r"(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT) \d{4}";
    let india = r"[A-Z][a-z]+ ?(?:–|-|—) ?\d{6}";
    Regex::new(&format!(
        r"(?-u:\b)(?:(?P<uk>{uk})|(?P<ie>{ie})|(?P<us>{us})|(?P<au>{au})|(?P<in>{india}))(?-u:\b)"
    ))
    .expect("valid regex")
});

/// How far back from a postcode the rest of its address may start.
const LOOK_BACK: usize = 160;
/// Lines or comma parts before the postcode's own: a street, a district, a town, a county.
const PARTS: usize = 4;

/// The part of `text` before `end` that an address may take: up to [`PARTS`] lines or comma
/// parts after any label, within [`LOOK_BACK`] bytes.
fn lines_before(text: &str, end: usize) -> &str {
    let mut start = end.saturating_sub(LOOK_BACK);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut window = &text[start..end];
    // A label or a sentence before the address ends at a colon or a semicolon.
    if let Some(stop) = window.rfind([':', ';']) {
        window = &window[stop + 1..];
    }
    let cut = window
        .char_indices()
        .rev()
        .filter(|(_, c)| matches!(c, '\n' | ','))
        .map(|(at, _)| at)
        .nth(PARTS)
        .map_or(0, |at| at + 1);
    window[cut..].trim_start_matches([' ', ',', '\n', '\t'])
}

/// Addresses ending with a postcode in `text`, each written on one line.
pub fn addresses(text: &str) -> Vec<String> {
    // Every postcode above has two capitals or a capital and a digit side by side (`NW1`,
    // `E21`, `TX 7…` after a capital pair), or six digits in a row (a PIN): one byte pass
    // skips the blocks that have neither, most of them.
    let bytes = text.as_bytes();
    let capitals = bytes
        .windows(2)
        .any(|w| w[0].is_ascii_uppercase() && (w[1].is_ascii_uppercase() || w[1].is_ascii_digit()));
    let pin = bytes
        .split(|b| !b.is_ascii_digit())
        .any(|run| run.len() == 6);
    if !capitals && !pin {
        return Vec::new();
    }
    let mut found = Vec::new();
    for caps in POSTCODE.captures_iter(text) {
        let whole = caps.get(0).expect("a match");
        let before = lines_before(text, whole.start());
        // An Eircode is short enough to be a part number: only with Ireland named.
        if caps.name("ie").is_some()
            && !["Ireland", "Co.", "County", "Dublin", "Éire"]
                .iter()
                .any(|w| before.contains(w))
        {
            continue;
        }
        // A postcode alone is a code; with a street or a town before it, an address.
        if !before.chars().any(char::is_alphabetic) {
            continue;
        }
        let written = format!("{before}{}", whole.as_str());
        let line: Vec<&str> = written
            .split('\n')
            .map(|l| l.trim().trim_end_matches(','))
            .filter(|l| !l.is_empty())
            .collect();
        found.push(line.join(", "));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_end_with_the_postcodes_of_five_countries() {
        let ireland =
            addresses("Unit 2 Example Business Park\nCahir, Co. Tipperary\nIreland, E21 C564");
        assert_eq!(
            ireland,
            ["Unit 2 Example Business Park, Cahir, Co. Tipperary, Ireland, E21 C564"]
        );
        assert_eq!(
            addresses("Head office: 221 Example Street, London NW1 6XE"),
            ["221 Example Street, London NW1 6XE"]
        );
        assert_eq!(
            addresses("Visit us: 100 Main St, Dallas, TX 75201"),
            ["100 Main St, Dallas, TX 75201"]
        );
        assert_eq!(
            addresses("Level 2, 10 Example Rd, Melbourne VIC 3000"),
            ["Level 2, 10 Example Rd, Melbourne VIC 3000"]
        );
        assert_eq!(
            addresses("10, Sector -1, Example Nagar,\nRaipur – 492007 (C.G.)"),
            ["10, Sector -1, Example Nagar, Raipur – 492007"]
        );
        assert!(
            addresses("Part no. A12 B345, E21 C564 in stock").is_empty(),
            "no Ireland named"
        );
        assert!(addresses("NW1 6XE").is_empty(), "a postcode alone");
        assert!(addresses("order 4920071 shipped").is_empty());
    }
}
