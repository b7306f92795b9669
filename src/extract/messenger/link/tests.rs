//! Tests of [`super`]: how each messenger's link is judged.

use super::*;

fn verdict(href: &str) -> (MessengerKind, Verdict) {
    classify(href).unwrap_or_else(|| panic!("{href} not recognised"))
}

#[test]
fn every_host_the_prefilter_lets_through_is_classified() {
    for host in MESSENGER_HOSTS {
        assert!(
            classify(&format!("https://{host}/example_shop")).is_some(),
            "{host}"
        );
    }
    assert!(without_scheme("page-12.html").is_none());
}

/// Only a link that goes nowhere or back to the home page can be a messenger's button
/// left unfinished; a link to another page of the site is that page.
#[test]
fn links_that_lead_nowhere_else() {
    for nowhere in [
        "",
        "  ",
        "#",
        "#whatsapp",
        "/page#",
        "javascript:void(0)",
        "JavaScript:openChat()",
        "/",
        "./",
        "../..",
        "/index.html",
        "/ru/INDEX.PHP?lang=ru",
        "Default.aspx#top",
        "\\",
        "?utm_source=x",
    ] {
        assert!(leads_nowhere_else(nowhere), "{nowhere:?}");
    }
    for somewhere in [
        "/pay/skype",
        "contacts.html",
        "/index.html/more",
        "/catalog/?page=index.html",
        "https://example.com/",
        "mailto:info@example.com",
        "/пути/главная",
    ] {
        assert!(!leads_nowhere_else(somewhere), "{somewhere:?}");
    }
}

/// A messenger's address written without `https://` opens a page of the site itself; one
/// inside another site's address is read from its path; the site's own links are none.
#[test]
fn links_without_a_scheme() {
    let (kind, verdict) = without_scheme("wa.me/79123456789").expect("read");
    assert_eq!(kind, MessengerKind::Whatsapp);
    assert_eq!(verdict.problems, ["no-scheme"]);
    let (kind, _) = without_scheme("www.t.me/example_shop").expect("read");
    assert_eq!(kind, MessengerKind::Telegram);
    let (kind, _) =
        without_scheme("https://example.com/wa.me/79123456789").expect("read from the path");
    assert_eq!(kind, MessengerKind::Whatsapp);
    for own in [
        "/wa.me/79123456789",
        "./contacts.html",
        "?page=2",
        "#top",
        "mailto:info@example.com",
        "tel:+79123456789",
        "https://example.com/contacts",
        "example.com/contacts",
    ] {
        assert!(without_scheme(own).is_none(), "{own}");
    }
}

#[test]
fn whatsapp_links() {
    assert_eq!(
        verdict("https://wa.me/79123456789").1,
        Verdict::ok("79123456789")
    );
    assert_eq!(
        verdict("https://wa.me/+79123456789").1.problems,
        ["plus-sign"]
    );
    assert_eq!(
        verdict("https://wa.me/7 912 345-67-89").1.problems,
        ["separators"]
    );
    assert_eq!(
        verdict("https://wa.me/89123456789").1.problems,
        ["national-prefix"]
    );
    assert_eq!(
        verdict("https://api.whatsapp.com/send?phone=79123456789&text=Hello there")
            .1
            .problems,
        ["text-not-encoded"]
    );
    assert!(
        verdict("https://api.whatsapp.com/send?phone=79123456789&text=Hello%20there")
            .1
            .problems
            .is_empty()
    );
    assert!(
        verdict("whatsapp://send?phone=79123456789")
            .1
            .problems
            .is_empty()
    );
    assert_eq!(
        verdict("https://chat.whatsapp.com/AbCdEf123").0,
        MessengerKind::Whatsapp
    );
}

#[test]
fn viber_links() {
    let ok = verdict("viber://chat?number=%2B79123456789").1;
    assert_eq!(ok, Verdict::ok("79123456789"));
    assert_eq!(
        verdict("viber://chat?number=79123456789").1.problems,
        ["plus-missing"]
    );
    assert_eq!(
        verdict("viber://chat?number=+79123456789").1.problems,
        ["plus-not-encoded"]
    );
    assert!(
        verdict("viber://pa?chatURI=examplebot")
            .1
            .problems
            .is_empty()
    );
}

#[test]
fn telegram_links() {
    assert!(verdict("https://t.me/example_shop").1.problems.is_empty());
    assert_eq!(
        verdict("https://t.me/shop").1.problems,
        ["username-too-short"]
    );
    assert_eq!(
        verdict("https://t.me/пример_магазин").1.problems,
        ["username-bad-characters"]
    );
    assert!(
        verdict("tg://resolve?domain=example_shop")
            .1
            .problems
            .is_empty()
    );
    assert!(
        verdict("https://t.me/joinchat/AAAAAE")
            .1
            .problems
            .is_empty()
    );
}

#[test]
fn social_pages_and_share_buttons() {
    assert_eq!(verdict("https://vk.com/example_shop").0, MessengerKind::Vk);
    assert_eq!(verdict("https://vk.me/example_shop").0, MessengerKind::Vk);
    assert!(classify("https://vk.com/share.php?url=x").is_none());
    assert_eq!(
        verdict("https://m.me/exampleshop").0,
        MessengerKind::Messenger
    );
    assert_eq!(
        verdict("https://www.instagram.com/example.shop/").0,
        MessengerKind::Instagram
    );
    assert!(classify("https://www.instagram.com/p/Abc123/").is_none());
    assert_eq!(
        verdict("https://ok.ru/group/123").1,
        Verdict::ok("group/123")
    );
    assert_eq!(
        verdict("skype:example.shop?chat").1,
        Verdict::ok("example.shop")
    );
    assert_eq!(verdict("sms:+79123456789").1, Verdict::ok("+79123456789"));
    assert!(classify("https://example.com/contacts").is_none());
}
