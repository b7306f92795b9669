//! Phones as libphonenumber's matcher judges them, on cases of our own written in the spirit of
//! its PhoneNumberMatcherTest (VALID leniency): each string stands after the word for phone on
//! a page of its own, read with a region given (`--region`). Of the strings a person reads as a
//! phone, at least 95% must be found; of those that are not phones, at least 95% must add none
//! (a shown but impossible number may be listed as invalid, never as valid).

use doorbell::extract::Extractor;
use doorbell::rulebook::BUILTIN;
use doorbell::types::contact::RegionSource;
use rlibphonenumber::Region;

fn phones_on(case: &str, region: &str, word: &str) -> Vec<(String, bool)> {
    let region = Region::from_code(region).expect("known region");
    let extractor = Extractor::new(&BUILTIN, Some((region, RegionSource::Setting)));
    let html = format!("<html><body><p>{word} {case}</p></body></html>");
    let url = url::Url::parse("http://127.0.0.1/").unwrap();
    extractor
        .page(&html, &url)
        .phones
        .into_iter()
        .map(|p| (p.e164.unwrap_or_default(), p.valid))
        .collect()
}

/// Strings a person reads as a phone, the region they are read in, and the number.
const PHONES: &[(&str, &str, &str)] = &[
    ("650-253-0000", "US", "+16502530000"),
    ("(650) 253-0000", "US", "+16502530000"),
    ("650 253 0000", "US", "+16502530000"),
    ("650.253.0000", "US", "+16502530000"),
    ("1-650-253-0000", "US", "+16502530000"),
    ("+1 650-253-0000", "US", "+16502530000"),
    ("+1 (650) 253-0000", "US", "+16502530000"),
    ("+16502530000", "US", "+16502530000"),
    ("011 44 20 7946 0000", "US", "+442079460000"),
    ("+44 20 7946 0000", "US", "+442079460000"),
    ("020 7946 0000", "GB", "+442079460000"),
    ("+49 30 901820", "DE", "+4930901820"),
    ("030 901820", "DE", "+4930901820"),
    ("(030) 90 18 20", "DE", "+4930901820"),
    ("+7 495 123-45-67", "RU", "+74951234567"),
    ("8 (495) 123-45-67", "RU", "+74951234567"),
    ("8-800-555-35-35", "RU", "+78005553535"),
    ("+7 (912) 345 67 89", "RU", "+79123456789"),
    ("+375 29 611-04-48", "BY", "+375296110448"),
    ("+33 1 23 45 67 89", "FR", "+33123456789"),
    ("01 23 45 67 89", "FR", "+33123456789"),
    ("+39 06 1234 5678", "IT", "+390612345678"),
    ("+48 22 123 45 67", "PL", "+48221234567"),
    ("+420 212 345 678", "CZ", "+420212345678"),
    ("+34 912 345 678", "ES", "+34912345678"),
    ("650-253-0000 ext. 1234", "US", "+16502530000"),
    ("650-253-0000 x1234", "US", "+16502530000"),
    ("＋１（６５０）２５３－００００", "US", "+16502530000"),
    ("６５０２５３００００", "US", "+16502530000"),
    ("+61 491 570 156", "AU", "+61491570156"),
    ("0491 570 156", "AU", "+61491570156"),
    ("+353 52 744 3258", "IE", "+353527443258"),
    ("[650] 253-0000", "US", "+16502530000"),
    ("650/253-0000", "US", "+16502530000"),
    ("+1.650.253.0000", "US", "+16502530000"),
    ("(+7) 495 123 45 67", "RU", "+74951234567"),
    ("+7(495)1234567", "RU", "+74951234567"),
    ("8 495 1234567", "RU", "+74951234567"),
    ("+41 44 123 45 67", "CH", "+41441234567"),
    ("044 123 45 67", "CH", "+41441234567"),
];

/// Strings that are not phones, though made of digits, and the region they are read in.
const NOT_PHONES: &[(&str, &str)] = &[
    ("abc650-253-0000def", "US"),
    ("650-253-0000abc", "US"),
    ("+16502530000É", "US"),
    ("$650-253-0000", "US"),
    ("650-253-0000%", "US"),
    ("650-253-0000 x 1234 x 5678", "US"),
    ("21.6.1984", "DE"),
    ("06/21/2024", "US"),
    ("30.06.2004", "RU"),
    ("2019-2021", "DE"),
    ("12:45", "US"),
    ("3.14159265", "US"),
    ("50.0222135, 36.2256453", "UA"),
    ("ISBN 978-3-16-148410-0", "DE"),
    ("US$ 650 253 0000", "US"),
    ("1,234,567,890", "US"),
    ("id1234567890", "US"),
    ("4111 1111 1111 1111", "US"),
    ("192.168.100.200", "US"),
    ("v2.3.4567", "US"),
    ("DE269120291", "DE"),
    ("CHE-123.456.789", "CH"),
    ("HRB 12345", "DE"),
    ("ИНН 7701234567", "RU"),
    ("ОГРН 1027700132195", "RU"),
    ("IBAN DE89 3704 0044 0532 0130 00", "DE"),
    ("10179 Berlin", "DE"),
    ("1 500 000 руб.", "RU"),
    ("Art.-Nr. 4711-0815", "DE"),
    ("№ 12345678", "RU"),
    ("2024-06-21", "US"),
    ("21/06", "FR"),
    ("12.06.2024 – 14.06.2024", "DE"),
    ("1000 km", "DE"),
    ("1999–2024", "RU"),
    ("GLN 4012345000009", "DE"),
    ("BIC COBADEFFXXX 100 400 00", "DE"),
    ("€ 1.234.567,89", "DE"),
    ("40.7128° N, 74.0060° W", "US"),
    ("app id 1234567890", "US"),
];

/// The word for phone in the region's language.
fn word_for(region: &str) -> &'static str {
    match region {
        "RU" | "BY" => "Телефон:",
        "DE" | "CH" => "Telefon:",
        "FR" => "Tél. :",
        "IT" => "Telefono:",
        "PL" => "Tel.",
        "CZ" => "Telefon:",
        "ES" => "Teléfono:",
        _ => "Phone:",
    }
}

#[test]
fn at_least_95_percent_of_phones_are_found() {
    let mut missed = Vec::new();
    for (case, region, e164) in PHONES {
        let found = phones_on(case, region, word_for(region));
        if !found.iter().any(|(n, valid)| n == e164 && *valid) {
            missed.push(format!("{case:?} in {region}: {found:?}"));
        }
    }
    let found = PHONES.len() - missed.len();
    eprintln!("found {found}/{}; missed: {missed:#?}", PHONES.len());
    assert!(
        found * 100 >= PHONES.len() * 95,
        "{found}/{} found; missed:\n{}",
        PHONES.len(),
        missed.join("\n")
    );
}

#[test]
fn at_least_95_percent_of_non_phones_add_no_valid_phone() {
    let mut added = Vec::new();
    for (case, region) in NOT_PHONES {
        let found = phones_on(case, region, word_for(region));
        if found.iter().any(|(_, valid)| *valid) {
            added.push(format!("{case:?} in {region}: {found:?}"));
        }
    }
    let clean = NOT_PHONES.len() - added.len();
    eprintln!(
        "no phone from {clean}/{}; added: {added:#?}",
        NOT_PHONES.len()
    );
    assert!(
        clean * 100 >= NOT_PHONES.len() * 95,
        "{clean}/{} add nothing; added:\n{}",
        NOT_PHONES.len(),
        added.join("\n")
    );
}
