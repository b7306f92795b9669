//! Addresses and opening hours as real sites write them (`tests/fixtures/places`): with no
//! street word, by a postcode, over two blocks — and what only looks like them.

use crate::common;

use doorbell::audit::Audit;

fn texts<'a>(audit: &'a Audit, page: &str, hours: bool) -> Vec<&'a str> {
    let list = if hours {
        &audit.inventory.hours
    } else {
        &audit.inventory.addresses
    };
    list.iter()
        .filter(|p| p.pages.iter().any(|o| o.url.ends_with(page)))
        .map(|p| p.text.as_str())
        .collect()
}

#[tokio::test]
async fn russian_addresses_without_a_street_word_or_with_an_unusual_one() {
    let audit = common::static_site("places").audit("/").await;
    let found = texts(&audit, "/", false);
    for expected in [
        "Пример-город, Шейнкмана 9, офис 38",
        "улица имени С. Есенина, 6",
        "ул. Дружбы, строение 1",
        "бц \"эДЕМ\", тУРАН 19/1",
    ] {
        assert!(
            found.iter().any(|f| f.contains(expected)),
            "{expected:?} in {found:#?}"
        );
    }
    assert!(
        !found.iter().any(|f| f.contains("000-00-00")),
        "a phone in <address> is not a postal address: {found:#?}"
    );
}

#[tokio::test]
async fn hours_in_a_sentence_and_not_in_marketing() {
    let audit = common::static_site("places").audit("/").await;
    let found = texts(&audit, "/", true);
    assert_eq!(
        found,
        ["с понедельника по пятницу с 9 до 18"],
        "«под круглосуточной охраной» is a guard, not opening hours"
    );
}

#[tokio::test]
async fn english_addresses_by_their_postcode_and_hours_over_two_blocks() {
    let audit = common::static_site("places").audit("/en.html").await;
    let found = texts(&audit, "/en.html", false);
    for expected in [
        "Unit 2 Example Business Park, Cahir, Co. Tipperary, Ireland, E21 C564",
        "Example Nagar, Raipur – 492007",
        "10 Example Rd, Melbourne VIC 3000",
    ] {
        assert!(
            found.iter().any(|f| f.contains(expected)),
            "{expected:?} in {found:#?}"
        );
    }
    assert!(
        !found.iter().any(|f| f.contains("Part no.")),
        "an Eircode-like part number with no Ireland: {found:#?}"
    );
    let hours = texts(&audit, "/en.html", true);
    assert!(
        hours
            .iter()
            .any(|h| h.contains("Montag bis Freitag 07:00 - 18:00")),
        "{hours:?}"
    );
    assert!(
        hours
            .iter()
            .any(|h| h.contains("24 HOUR EMERGENCY SERVICE")),
        "{hours:?}"
    );
    let findings = common::judge(&audit);
    assert!(
        !findings
            .iter()
            .any(|f| f.rule == "place.address-missing" || f.rule == "hours.missing"),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn an_absence_is_said_with_how_many_pages_were_read() {
    let audit = common::static_site("places").audit("/").await;
    let findings = common::judge(&audit);
    let missing = findings
        .iter()
        .find(|f| f.rule == "contacts.page-missing")
        .expect("no contact page is read or linked");
    assert_eq!(
        missing.subject,
        doorbell::checks::Subject::NotFoundIn(1),
        "not «there is none» but «not found in the 1 page read»"
    );
    let reported = doorbell::report::ReportedFinding::new(missing, doorbell::lang::Lang::En);
    assert!(
        reported.message.contains("not found in the 1 page read"),
        "{}",
        reported.message
    );
    let ru = doorbell::report::ReportedFinding::new(missing, doorbell::lang::Lang::Ru);
    assert!(ru.message.contains("не найдено"), "{}", ru.message);
}

#[tokio::test]
async fn a_link_to_the_contact_page_proves_one_even_when_it_is_not_read() {
    let mut settings = common::static_site("places").settings("/en.html");
    settings.crawl.max_pages = 1;
    let audit = doorbell::audit::run(settings).await.expect("audit runs");
    let findings = common::judge(&audit);
    assert!(
        !findings.iter().any(|f| f.rule == "contacts.page-missing"),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn one_address_written_twice_is_one_place_and_one_map_finding() {
    let audit = common::static_site("places").audit("/en.html").await;
    let found = texts(&audit, "/en.html", false);
    let written: Vec<&&str> = found
        .iter()
        .filter(|a| a.contains("Beispielstrasse 39"))
        .collect();
    assert_eq!(
        written,
        [&"Beispielstrasse 39\n6247 Musterdorf"],
        "{found:#?}"
    );
    let maps = common::judge(&audit)
        .into_iter()
        .filter(|f| f.rule == "place.map-missing" && f.evidence.contains("Beispielstrasse"))
        .count();
    assert_eq!(maps, 1);
}
