//! What the audit of the fixture site finds: every extractor, through the real crawl, merged
//! into one inventory.

use crate::common;

use common::full_audit;
use doorbell::inventory::{Inventory, Phone};
use doorbell::types::contact::{
    FormPurpose, MessengerKind, PageRegion, PhoneFormat, PhoneKind, RegionSource, Source,
    WidgetKind,
};

fn phone<'a>(inv: &'a Inventory, e164: &str) -> &'a Phone {
    inv.phones
        .iter()
        .find(|p| p.e164.as_deref() == Some(e164))
        .unwrap_or_else(|| {
            panic!(
                "no {e164} among {:?}",
                inv.phones.iter().map(|p| &p.e164).collect::<Vec<_>>()
            )
        })
}

#[tokio::test]
async fn the_footer_phone_stands_on_every_page_in_header_and_footer() {
    let audit = full_audit().await;
    let inv = &audit.inventory;
    let main = phone(inv, "+74950000000");
    assert!(main.valid && main.clickable && main.has_country_code);
    assert_eq!(main.kind, PhoneKind::FixedLine);
    let read_pages = audit.inventory.pages.len();
    for region in [PageRegion::Header, PageRegion::Footer] {
        let on = main.pages.iter().filter(|o| o.region == region).count();
        // Every fixture page but the encoding, calendar and huge pages has the footer.
        assert!(on >= read_pages - 12, "{region:?}: {on} of {read_pages}");
    }
}

#[tokio::test]
async fn phones_are_judged_as_a_customer_sees_them() {
    let inv = &full_audit().await.inventory;
    let free = phone(inv, "+78000000000");
    assert_eq!(free.kind, PhoneKind::TollFree);
    assert!(free.labelled_free && free.clickable);
    assert_eq!(free.pages[0].format, PhoneFormat::National);

    let bare = phone(inv, "+74950000003");
    assert!(!bare.clickable, "a number in text with no tel: link");

    let mismatched = phone(inv, "+74950000005");
    assert!(mismatched.tel_mismatch);
    assert_eq!(
        mismatched.pages[0].tel_href.as_deref(),
        Some("tel:+74950000004")
    );

    let icon_only = phone(inv, "+79000000006");
    assert!(icon_only.clickable);
    assert_eq!(icon_only.pages[0].tel_matches_text, None);

    let local = inv
        .phones
        .iter()
        .find(|p| p.shown.iter().any(|s| s == "555-00-07"))
        .expect("local number");
    assert!(!local.valid);
    assert_eq!(local.pages[0].format, PhoneFormat::Local);

    let schema_only = phone(inv, "+74950000002");
    assert!(schema_only.pages.iter().any(|o| o.source == Source::Schema));
}

#[tokio::test]
async fn requisites_prices_and_dates_yield_no_phones() {
    let audit = full_audit().await;
    for page in ["/rekvizity.html", "/ceny.html"] {
        let strays: Vec<_> = audit
            .inventory
            .phones
            .iter()
            .filter(|p| {
                p.pages
                    .iter()
                    .any(|o| o.url.ends_with(page) && o.region == PageRegion::Main)
            })
            .map(|p| p.shown.clone())
            .collect();
        assert!(strays.is_empty(), "{page}: {strays:?}");
    }
}

#[tokio::test]
async fn emails_in_links_text_and_disguises() {
    let inv = &full_audit().await.inventory;
    let find = |a: &str| {
        inv.emails
            .iter()
            .find(|e| e.address == a)
            .unwrap_or_else(|| {
                panic!(
                    "no {a} in {:?}",
                    inv.emails.iter().map(|e| &e.address).collect::<Vec<_>>()
                )
            })
    };
    assert_eq!(find("hello@example.com").subject.as_deref(), Some("Вопрос"));
    assert!(find("hello@example.com").mailto_problems.is_empty());
    assert!(
        find("hr@example.com")
            .mailto_problems
            .contains(&"space-before-query".to_string())
    );
    assert!(find("buh@example.com").obfuscated_only);
    assert!(find("zakupki@example.com").obfuscated_only);
    assert!(
        !find("press@example.com").clickable,
        "an entity-encoded address in plain text"
    );
    assert!(
        find("customer.relations.department.moscow.office@example.com")
            .address
            .len()
            > 40
    );
    assert_eq!(inv.email_images.len(), 1);
    assert!(inv.email_images[0].src.ends_with("/img/mail-claims.png"));
}

#[tokio::test]
async fn messengers_and_their_verdicts() {
    let inv = &full_audit().await.inventory;
    let by_href = |h: &str| {
        inv.messengers
            .iter()
            .find(|m| m.href.as_deref() == Some(h))
            .unwrap_or_else(|| panic!("no {h}"))
    };
    assert!(by_href("https://wa.me/79000000001").valid);
    assert_eq!(
        by_href("https://wa.me/+79000000002").problems,
        ["plus-sign"]
    );
    assert_eq!(
        by_href("https://api.whatsapp.com/send?phone=79000000003&text=Здравствуйте, хочу заказать")
            .problems,
        ["text-not-encoded"]
    );
    assert!(by_href("viber://chat?number=%2B79000000005").valid);
    assert_eq!(
        by_href("viber://chat?number=79000000006").problems,
        ["plus-missing"]
    );
    assert_eq!(by_href("https://t.me/ex").problems, ["username-too-short"]);
    let kinds: std::collections::BTreeSet<MessengerKind> =
        inv.messengers.iter().map(|m| m.kind).collect();
    assert_eq!(kinds.len(), 9, "{kinds:?}");
    // Named beside a number on a page that links no Viber: the customer must copy the number.
    let unlinked = inv
        .messengers
        .iter()
        .find(|m| !m.clickable)
        .expect("a messenger named in text");
    assert_eq!(
        (unlinked.kind, unlinked.target.as_deref()),
        (MessengerKind::Viber, Some("79000000008"))
    );
    assert_eq!(unlinked.problems, ["not-a-link"]);
    assert!(
        !inv.messengers
            .iter()
            .any(|m| m.href.as_deref().is_some_and(|h| h.contains("share.php")))
    );
}

#[tokio::test]
async fn forms_fields_purposes_and_captchas() {
    let inv = &full_audit().await.inventory;
    let form = |suffix: &str| {
        inv.forms
            .iter()
            .find(|f| f.action.ends_with(suffix))
            .unwrap_or_else(|| panic!("no form to {suffix}"))
    };
    let callback = form("/api/callback");
    assert_eq!(callback.purpose, FormPurpose::Callback);
    assert!(
        callback
            .fields
            .iter()
            .any(|f| f.name == "hp_email" && f.honeypot)
    );
    let feedback = form("/api/feedback");
    assert_eq!(feedback.purpose, FormPurpose::Contact);
    assert_eq!(feedback.enctype, "multipart/form-data");
    assert_eq!(feedback.captcha, ["recaptcha-v2"]);
    assert!(
        feedback
            .fields
            .iter()
            .any(|f| f.name == "_token" && !f.visible && !f.honeypot)
    );
    assert!(
        feedback
            .fields
            .iter()
            .any(|f| f.name == "message" && f.label == "Вопрос" && f.required)
    );
    assert_eq!(form("/search").purpose, FormPurpose::Search);
    assert_eq!(form("/login").purpose, FormPurpose::Login);
    assert_eq!(form("/subscribe").purpose, FormPurpose::Subscribe);
    let insecure = form("http://127.0.0.1/insecure");
    assert_eq!(insecure.captcha, ["image"]);
    assert_eq!(insecure.method, "POST");
}

#[tokio::test]
async fn every_widget_product_on_the_widget_page_is_named() {
    let inv = &full_audit().await.inventory;
    let ids: std::collections::BTreeSet<&str> = inv.widgets.iter().map(|w| w.id.as_str()).collect();
    for expected in [
        "jivo",
        "bitrix24-widget",
        "bitrix24-form",
        "talk-me",
        "envybox",
        "callbackhunter",
        "carrotquest",
        "calltouch",
        "comagic",
        "leeloo",
        "tawk",
        "intercom",
        "crisp",
        "drift",
        "livechat",
        "tidio",
        "zendesk",
        "hubspot",
        "freshchat",
        "vk-widget",
        "facebook-chat",
        "wazzup",
        "retailcrm",
        "yandex-messenger",
        "tilda-form",
        "amocrm-form",
        "yandex-map",
        "google-map",
        "2gis-map",
        "osm-map",
        "callback-button",
    ] {
        assert!(ids.contains(expected), "{expected} missing from {ids:?}");
    }
    let maps = inv
        .widgets
        .iter()
        .filter(|w| w.kind == WidgetKind::Map)
        .count();
    assert_eq!(maps, 4);
    // The chat loaded on one page only is reported on that page only.
    let jivo = inv.widgets.iter().find(|w| w.id == "jivo").unwrap();
    assert_eq!(jivo.pages.len(), 1);
}

#[tokio::test]
async fn addresses_and_hours_from_text_and_schema() {
    let inv = &full_audit().await.inventory;
    let texts: Vec<&str> = inv.addresses.iter().map(|a| a.text.as_str()).collect();
    assert!(
        texts.contains(&"123456, г. Москва, ул. Примерная, д. 10, стр. 2, офис 5"),
        "{texts:?}"
    );
    let hours: Vec<&str> = inv.hours.iter().map(|h| h.text.as_str()).collect();
    for expected in [
        "Пн–Пт 9:00–18:00",
        "ежедневно с 10 до 20",
        "Saturday 10:00–16:00",
        "Mo-Fr 09:00-18:00",
    ] {
        assert!(hours.contains(&expected), "{expected} not in {hours:?}");
    }
}

#[tokio::test]
async fn the_contact_page_is_recognised() {
    let inv = &full_audit().await.inventory;
    let contact_pages: Vec<&str> = inv
        .pages
        .iter()
        .filter(|p| p.contact_page)
        .map(|p| &*p.url)
        .collect();
    assert!(
        contact_pages.iter().any(|u| u.ends_with("/kontakty.html")),
        "{contact_pages:?}"
    );
    assert!(!contact_pages.iter().any(|u| u.ends_with("/ceny.html")));
}

#[tokio::test]
async fn malformed_markup_is_read_like_a_browser_reads_it() {
    let audit = full_audit().await;
    let on_page = |url: &str| url.ends_with("/broken-markup.html");
    let inv = &audit.inventory;
    let phone = phone(inv, "+74950000061");
    assert!(
        phone
            .pages
            .iter()
            .any(|o| on_page(&o.url) && o.region == PageRegion::Footer)
    );
    assert!(
        inv.emails
            .iter()
            .any(|e| e.address == "old@example.com" && e.clickable)
    );
    assert!(
        inv.messengers
            .iter()
            .any(|m| m.target.as_deref() == Some("79000000061") && m.valid)
    );
    assert!(inv.hours.iter().any(|h| h.text == "Пн-Пт 10:00-19:00"));
    let title = inv
        .pages
        .iter()
        .find(|p| on_page(&p.url))
        .and_then(|p| p.title.clone());
    assert_eq!(title.as_deref(), Some("Старая страница"));
}

/// `--rules DIR` lays a folder's signatures.toml and phrases.toml over ours: a widget with one
/// of our ids replaces ours, a new id is added, and a broken file is named.
#[tokio::test]
async fn a_rules_folder_adds_and_replaces_widget_signatures() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("signatures.toml"),
        r#"
[[widget]]
id = "calltouch"
name = "Calltouch (our account)"
kind = "callback"
script_src = ["mod.calltouch.ru"]

[[widget]]
id = "acme-chat"
name = "Acme chat"
kind = "chat"
inline = ["tawk_api"]
"#,
    )
    .unwrap();
    let rulebook = doorbell::rulebook::Rulebook::with_overrides(dir.path()).unwrap();
    let mut settings = common::site().settings("/widgets.html");
    settings.crawl.max_pages = 1;
    settings.rulebook = Box::leak(Box::new(rulebook));
    let audit = doorbell::audit::run(settings).await.unwrap();
    let name_of = |id: &str| {
        audit
            .inventory
            .widgets
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.name.clone())
    };
    assert_eq!(name_of("acme-chat").as_deref(), Some("Acme chat"));
    assert_eq!(
        name_of("calltouch").as_deref(),
        Some("Calltouch (our account)")
    );
    // Ours are all still there.
    assert!(name_of("jivo").is_some() && name_of("tawk").is_some());

    std::fs::write(dir.path().join("phrases.toml"), "contact_link_words = 3\n").unwrap();
    let err = doorbell::rulebook::Rulebook::with_overrides(dir.path()).unwrap_err();
    assert!(err.to_string().contains("phrases.toml"), "{err}");
}

#[tokio::test]
async fn messengers_and_profiles_as_real_sites_write_them() {
    let audit = common::static_site("social").audit("/").await;
    let messengers = &audit.inventory.messengers;
    let of =
        |kind: MessengerKind| -> Vec<_> { messengers.iter().filter(|m| m.kind == kind).collect() };
    let problems =
        |kind| -> Vec<Vec<String>> { of(kind).iter().map(|m| m.problems.clone()).collect() };

    // New kinds, each a door of its own.
    for kind in [
        MessengerKind::Max,
        MessengerKind::Icq,
        MessengerKind::Signal,
    ] {
        assert_eq!(
            problems(kind),
            [Vec::<String>::new()],
            "{kind:?}: {messengers:#?}"
        );
    }
    // A profile page and the network's bare home page: the second leads nowhere.
    let mut facebook = problems(MessengerKind::Facebook);
    facebook.sort();
    assert_eq!(
        facebook,
        [vec![], vec!["no-target".to_string()]],
        "{messengers:#?}"
    );
    // Without a scheme the link opens a page of the site itself.
    assert!(
        problems(MessengerKind::Instagram)
            .iter()
            .any(|p| p.contains(&"no-scheme".to_string()))
    );
    assert!(
        problems(MessengerKind::Ok)
            .iter()
            .any(|p| p.contains(&"no-scheme".to_string())),
        "{messengers:#?}"
    );
    // A mirror works only while the mirror does.
    assert!(
        problems(MessengerKind::Telegram)
            .iter()
            .any(|p| p.contains(&"proxy-domain".to_string()))
    );
    // Icons and names that show a messenger but open none (by an image's file name, a class,
    // a text, an SVG's <desc>, a background picture's file name).
    for kind in [
        MessengerKind::Vk,
        MessengerKind::Ok,
        MessengerKind::Whatsapp,
        MessengerKind::Telegram,
        MessengerKind::Instagram,
    ] {
        let seen = of(kind);
        assert!(
            seen.iter()
                .any(|m| !m.valid && m.problems == ["not-a-messenger-link"]),
            "{kind:?}: {seen:#?}"
        );
    }
    // The tick named "ok" is no network: only the Odnoklassniki icon is.
    assert_eq!(
        of(MessengerKind::Ok)
            .iter()
            .filter(|m| m.problems == ["not-a-messenger-link"])
            .count(),
        1,
        "{messengers:#?}"
    );
    // The community the VK widget shows is a door.
    assert!(
        of(MessengerKind::Vk)
            .iter()
            .any(|m| m.valid && m.target.as_deref() == Some("club20003922")),
        "{messengers:#?}"
    );
    // An icon without a link at all is shown, and cannot be clicked.
    assert!(
        of(MessengerKind::Skype)
            .iter()
            .any(|m| !m.clickable && m.href.is_none())
    );
    // A page of the site that names a messenger is that page, not the messenger.
    assert!(of(MessengerKind::Viber).is_empty(), "{messengers:#?}");
    // A share button and another site's article are not doors.
    assert!(!messengers.iter().any(|m| {
        m.href
            .as_deref()
            .is_some_and(|h| h.contains("sharer") || h.contains("blog.example.org"))
    }));
    // Social profiles are listed apart, by network; shares and single videos are not.
    let profiles: Vec<(&str, &str)> = audit
        .inventory
        .social_profiles
        .iter()
        .map(|p| (p.network, p.href.as_str()))
        .collect();
    assert_eq!(
        profiles,
        [
            ("dzen", "https://dzen.ru/example_shop"),
            ("linkedin", "https://www.linkedin.com/company/example-shop/"),
            ("youtube", "https://www.youtube.com/@example_shop"),
        ]
    );
    // The WhatsApp "link" that goes to the home page is a broken WhatsApp door.
    let findings = common::judge(&audit);
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "whatsapp.link-malformed"
                && f.evidence.contains("not-a-messenger-link")),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn an_imprints_identifiers_dates_and_years_are_not_phones() {
    // No region given: the page's language says German.
    let mut settings = common::static_site("imprint").settings("/");
    settings.region = None;
    let audit = doorbell::audit::run(settings).await.unwrap();
    let mut numbers: Vec<&str> = audit
        .inventory
        .phones
        .iter()
        .filter_map(|p| p.e164.as_deref())
        .collect();
    numbers.sort_unstable();
    // The phone, its shorthand second line read with the first one's area code, the fax, the
    // switchboard written with its «-0» — and nothing of the VAT id, register, tax or bank
    // numbers, the date or the years.
    assert_eq!(
        numbers,
        ["+4930901820", "+4930901821", "+4930901829", "+496987001743"],
        "{:#?}",
        audit.inventory.phones
    );
    let findings = common::judge(&audit);
    assert!(
        !findings
            .iter()
            .any(|f| f.rule == "phone.invalid" || f.rule == "phone.tel-mismatch"),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn addresses_hidden_or_broken_as_real_sites_do_it() {
    let audit = common::static_site("emails").audit("/").await;
    let emails = &audit.inventory.emails;
    let mut addresses: Vec<&str> = emails.iter().map(|e| e.address.as_str()).collect();
    addresses.sort_unstable();
    // Decoded from Cloudflare (with and without the #hash) and from Joomla's cloak, the
    // repeated scheme dropped, the address the dead link shows read across <wbr>; no empty
    // link, no placeholder.
    assert_eq!(
        addresses,
        [
            "buh@shop.example.com",
            "director@shop.example.com",
            "icon@shop.example.com",
            "office@shop.example.com",
            "old.director@shop.example.com",
            "sales@shop.example.com",
            "service@shop.example.com",
            "team@shop.example.com",
        ],
        "{emails:#?}"
    );
    // The button whose link names no address is a broken link, not a blank address.
    assert!(emails.iter().all(|e| !e.address.is_empty()));
    let broken = &audit.inventory.broken_mailto_links;
    assert_eq!(broken.len(), 1, "{broken:#?}");
    let of = |address: &str| emails.iter().find(|e| e.address == address).unwrap();
    assert!(
        of("buh@shop.example.com")
            .mailto_problems
            .contains(&"repeated-scheme".to_string())
    );
    let service = of("service@shop.example.com");
    assert!(!service.clickable, "{service:#?}");
    assert!(
        service
            .mailto_problems
            .iter()
            .any(|p| p.starts_with("invalid-address")),
        "{service:#?}"
    );
    // The link that sends elsewhere: both addresses listed, the mismatch reported on the shown.
    assert_eq!(
        of("director@shop.example.com").mailto_sends_to.as_deref(),
        Some("old.director@shop.example.com")
    );
    let findings = common::judge(&audit);
    assert!(
        findings.iter().any(|f| f.rule == "email.mailto-mismatch"
            && f.subject.site() == Some("director@shop.example.com")),
        "{findings:#?}"
    );
    // Both broken links are reported.
    let malformed: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "email.mailto-malformed")
        .filter_map(|f| f.subject.site())
        .collect();
    assert!(
        malformed.contains(&"buh@shop.example.com")
            && malformed.contains(&"service@shop.example.com")
            && malformed.iter().any(|m| m.starts_with("mailto:?subject=")),
        "{malformed:?}"
    );
}

#[tokio::test]
async fn a_pages_own_numbers_and_xml_lang_choose_the_country() {
    let mut settings = common::static_site("region").settings("/");
    settings.region = None;
    let audit = doorbell::audit::run(settings).await.unwrap();
    // Served from 127.0.0.1: no domain says the country, so each page chooses its own.
    assert_eq!(audit.region, None);
    let inv = &audit.inventory;
    let e164: Vec<&str> = inv
        .phones
        .iter()
        .filter_map(|p| p.e164.as_deref())
        .collect();
    assert!(e164.contains(&"+41441234569"), "{e164:?}");
    assert!(e164.contains(&"+493012345678"), "{e164:?}");
    let page = |suffix: &str| inv.pages.iter().find(|p| p.url.ends_with(suffix)).unwrap();
    let home = page("/");
    assert_eq!(home.region.as_deref(), Some("CH"));
    assert_eq!(home.region_source, Some(RegionSource::OwnNumbers));
    let imprint = page("/impressum.html");
    assert_eq!(imprint.region.as_deref(), Some("DE"));
    assert_eq!(imprint.region_source, Some(RegionSource::Language));
    assert_eq!(imprint.lang.as_deref(), Some("de"));
    // The phone field's `+91` placeholder outweighs a theme's `en-US`; the numbers stand after
    // phone icons, and `… / 28` is a second line, not digits of the first.
    let india = page("/india.html");
    assert_eq!(india.region.as_deref(), Some("IN"));
    assert_eq!(india.region_source, Some(RegionSource::OwnNumbers));
    for number in ["+917712000000", "+917712000028", "+913340000000"] {
        assert!(e164.contains(&number), "{number}: {e164:?}");
    }
    assert!(
        !e164
            .iter()
            .any(|n| n.starts_with("+1") || n.contains("2000000028")),
        "{e164:?}"
    );
    // Numbers written with +38 in the text say Ukraine for the national one beside them.
    let ua = page("/ua.html");
    assert_eq!(ua.region.as_deref(), Some("UA"));
    assert!(e164.contains(&"+380441234567"), "{e164:?}");
    // `lang="en"` and nothing international: the town the page names says Australia.
    let melbourne = page("/melbourne.html");
    assert_eq!(melbourne.region.as_deref(), Some("AU"));
    assert_eq!(melbourne.region_source, Some(RegionSource::PlaceNames));
    assert!(e164.contains(&"+61491570156"), "{e164:?}");
    // A label and a number in two elements that meet with no space are not one glued word.
    let kz = page("/kz.html");
    assert_eq!(kz.region.as_deref(), Some("KZ"));
    assert!(e164.contains(&"+77000000000"), "{e164:?}");
    // The schema.org address's country, where nothing on the page says more.
    let joinery = page("/schema.html");
    assert_eq!(joinery.region.as_deref(), Some("GB"));
    assert_eq!(joinery.region_source, Some(RegionSource::Schema));
    assert!(e164.contains(&"+442079460000"), "{e164:?}");
}

#[tokio::test]
async fn other_parties_contacts_are_set_apart_and_judged_by_no_rule() {
    let mut settings = common::static_site("parties").settings("/");
    settings.region = None;
    let audit = doorbell::audit::run(settings).await.unwrap();
    let inv = &audit.inventory;
    let own: Vec<&str> = inv
        .phones
        .iter()
        .filter_map(|p| p.e164.as_deref())
        .collect();
    // The company's phone (linked and in the imprint) and its own line after "Kontakt:"; not
    // the empty link in the header, which no visitor sees.
    assert_eq!(own, ["+4930901820", "+4930901821"], "{:#?}", inv.phones);
    let emails: Vec<&str> = inv.emails.iter().map(|e| e.address.as_str()).collect();
    assert_eq!(emails, ["info@notariat.example"]);
    let mut others: Vec<(&str, &str)> = inv
        .third_party
        .phones
        .iter()
        .map(|p| {
            (
                p.e164.as_deref().unwrap(),
                p.party_reason.as_deref().unwrap(),
            )
        })
        .chain(
            inv.third_party
                .emails
                .iter()
                .map(|e| (e.address.as_str(), e.party_reason.as_deref().unwrap())),
        )
        .collect();
    others.sort_unstable();
    assert_eq!(
        others,
        [
            ("+4930901830", "notarkammer"),
            ("+4930901831", "notarkammer"),
            ("+4930901840", "landgericht"),
            ("+4930901850", "finanzierungspartner"),
            ("kammer@chamber.example", "notarkammer"),
            ("poststelle@court.example", "landgericht"),
            ("studio@studio.example", "website by"),
        ]
    );
    assert!(
        inv.third_party
            .phones
            .iter()
            .all(|p| p.party == doorbell::types::contact::Party::ThirdParty)
    );
    // The icon link in a block with no text of its own is the company's, whatever the
    // credit after it says.
    assert!(
        inv.messengers
            .iter()
            .any(|m| m.href.as_deref() == Some("https://t.me/notariat_example")),
        "{:#?}",
        inv.messengers
    );
    // No rule speaks of another party's contact (the chamber's number is written without a
    // country code and is not a link, as the company's own imprint number is).
    let findings = common::judge(&audit);
    for f in &findings {
        let said = format!("{} {:?} {}", f.rule, f.subject, f.evidence);
        for other in [
            "901830",
            "901831",
            "901840",
            "901850",
            "chamber.example",
            "court.example",
            "studio.example",
        ] {
            assert!(!said.contains(other), "{f:#?}");
        }
    }
}

#[tokio::test]
async fn messenger_icons_shown_as_plain_pictures_beside_the_phone() {
    let audit = common::static_site("icons").audit("/").await;
    let messengers = &audit.inventory.messengers;
    let mut kinds: Vec<(MessengerKind, bool)> =
        messengers.iter().map(|m| (m.kind, m.clickable)).collect();
    kinds.sort_by_key(|(k, _)| k.name());
    assert_eq!(
        kinds,
        [
            (MessengerKind::Skype, false),
            (MessengerKind::Telegram, false),
            (MessengerKind::Viber, false),
            (MessengerKind::Whatsapp, true),
        ],
        "{messengers:#?}"
    );
    let skype = messengers
        .iter()
        .find(|m| m.kind == MessengerKind::Skype)
        .unwrap();
    assert_eq!(skype.target.as_deref(), Some("example.shop"));
    // Nothing hidden from the visitor: the messengers above are all, and the address in a
    // hidden input is no e-mail of the page.
    assert!(
        audit.inventory.emails.is_empty(),
        "{:#?}",
        audit.inventory.emails
    );
    let findings = common::judge(&audit);
    let unlinked: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "messenger.not-clickable")
        .filter_map(|f| f.subject.site())
        .collect();
    assert_eq!(unlinked.len(), 3, "{findings:#?}");
}

#[tokio::test]
async fn street_addresses_as_written_in_several_countries() {
    let audit = common::static_site("addresses").audit("/").await;
    let found: Vec<&str> = audit
        .inventory
        .addresses
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    for expected in [
        "Musterstraße 12\n10115 Berlin",
        "Frankfurter Str. 10, 97082 Würzburg",
        "Ul. Przykładowa 161, 33-340 Stary Sącz",
        "6 avenue de l’Exemple, 92400 Courbevoie",
        "Via Esempio 253, 20831 Seregno",
        "ул. Якорная 11",
        "Дербеневская ул., д. 1",
        "Příkladová 1234/5, 110 00 Praha 1",
        "Calle de Ejemplo 12, 28001 Madrid",
        "вул. Прикладна, 10",
        "вул. Прыкладная, 5",
        "Абай даңғылы, 150",
        "Nordweg 7 20095 Hamburg",
    ] {
        assert!(
            found.iter().any(|f| f.contains(expected)),
            "{expected:?} in {found:#?}"
        );
    }
    assert!(
        !found.iter().any(|f| ["Version", "Preise", "901820", "[at]"]
            .iter()
            .any(|w| f.contains(w))),
        "{found:#?}"
    );
    let marked = audit
        .inventory
        .addresses
        .iter()
        .find(|a| a.text.contains("Nordweg 7"))
        .expect("the h-card's address");
    assert!(
        marked
            .sources
            .contains(&doorbell::types::contact::PlaceSource::Microformat),
        "{marked:?}"
    );
    let findings = common::judge(&audit);
    assert!(
        !findings.iter().any(|f| f.rule == "place.address-missing"),
        "{findings:#?}"
    );
}
