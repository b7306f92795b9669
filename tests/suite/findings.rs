//! The rules over whole sites: silent on a site that follows the practice, loud on one that
//! does not.

use crate::common;

use common::{clean_site, full_audit};
use doorbell::checks::{self, RuleChoices, Site, score};
use doorbell::lang::Lang;
use doorbell::report::ReportedFinding;
use doorbell::rulebook::Catalogue;

#[tokio::test]
async fn a_site_that_follows_the_practice_gets_no_findings_and_full_score() {
    let audit = clean_site().audit("/").await;
    assert_eq!(audit.crawl.pages_ok, 4, "{:#?}", audit.crawl.pages);
    let site = Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let findings = checks::run(&site, &Catalogue::builtin(), &RuleChoices::default());
    assert!(findings.is_empty(), "{findings:#?}");
    let score = score::score(&audit.inventory, &findings);
    assert_eq!(score.value, Some(100));
    assert_eq!(score.channels, ["phone", "written", "instant"]);
}

#[tokio::test]
async fn the_hostile_fixture_site_breaks_rules_in_both_languages() {
    let audit = full_audit().await;
    let site = Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let catalogue = Catalogue::builtin();
    let found = checks::run(&site, &catalogue, &RuleChoices::default());
    let in_lang = |lang| -> Vec<ReportedFinding> {
        found
            .iter()
            .map(|f| ReportedFinding::new(f, lang))
            .collect()
    };
    let en = in_lang(Lang::En);
    let rules: std::collections::BTreeSet<&str> = en.iter().map(|f| f.rule.as_str()).collect();
    for expected in [
        "phone.tel-mismatch",
        "phone.not-clickable",
        "phone.no-country-code",
        "email.mailto-malformed",
        "email.image-only",
        "email.too-long",
        "whatsapp.link-malformed",
        "viber.link-malformed",
        "telegram.link-malformed",
        "messenger.not-clickable",
        "form.captcha",
        "page.too-many-popups",
        "contacts.not-on-every-page",
        "form.action-broken",
    ] {
        assert!(
            rules.contains(expected),
            "{expected} did not fire: {rules:?}"
        );
    }
    let mismatch = en.iter().find(|f| f.rule == "phone.tel-mismatch").unwrap();
    assert!(
        mismatch
            .message
            .starts_with("Phone link dials another number"),
        "{}",
        mismatch.message
    );
    assert!(
        mismatch
            .url
            .as_deref()
            .is_some_and(|u| u.ends_with("/uslugi.html"))
    );
    let ru = in_lang(Lang::Ru);
    let mismatch = ru.iter().find(|f| f.rule == "phone.tel-mismatch").unwrap();
    assert!(
        mismatch
            .message
            .starts_with("Ссылка на телефон набирает не тот номер")
    );
    assert!(mismatch.fix.contains("tel:"));
    // Worst first.
    assert!(en.windows(2).all(|w| w[0].severity >= w[1].severity));
    let score = score::score(&audit.inventory, &found);
    assert!(score.value < Some(70), "{score:?}");
}

#[tokio::test]
async fn disabled_rules_are_silent_and_severities_can_change() {
    let audit = full_audit().await;
    let site = Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let mut choices = RuleChoices::default();
    choices.disabled.insert("phone.not-clickable".into());
    choices
        .severities
        .insert("email.too-long".into(), doorbell::rulebook::Severity::Error);
    let findings = checks::run(&site, &Catalogue::builtin(), &choices);
    assert!(!findings.iter().any(|f| f.rule == "phone.not-clickable"));
    let long = findings
        .iter()
        .find(|f| f.rule == "email.too-long")
        .unwrap();
    assert_eq!(long.severity, doorbell::rulebook::Severity::Error);
}

#[tokio::test]
async fn form_actions_are_asked_whether_they_answer_without_submitting() {
    let audit = full_audit().await;
    let form = |suffix: &str| {
        audit
            .inventory
            .forms
            .iter()
            .find(|f| f.action.ends_with(suffix))
            .unwrap_or_else(|| panic!("no form {suffix}"))
    };
    let gone = form("/api/callback").action_check.clone().expect("checked");
    assert_eq!((gone.status, gone.alive), (Some(404), false));
    // Search and login forms are not the company's door: not asked.
    assert!(form("/search").action_check.is_none());
    let clean = clean_site().audit("/").await;
    for f in &clean.inventory.forms {
        let check = f.action_check.clone().expect("checked");
        assert_eq!(
            (check.status, check.alive),
            (Some(405), true),
            "{}",
            f.action
        );
    }
}

#[tokio::test]
async fn a_copied_landing_menu_and_a_mistyped_number_are_flagged_on_their_pages() {
    let audit = common::static_site("onepage").audit("/").await;
    let findings = common::judge(&audit);
    let on = |rule: &str| -> Vec<(String, Vec<String>)> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| {
                let pages = f
                    .urls
                    .iter()
                    .map(|u| u.rsplit('/').next().unwrap_or_default().to_string());
                (
                    f.subject.site().unwrap_or_default().to_string(),
                    pages.collect(),
                )
            })
            .collect()
    };
    // The landing has its #contacts section; the services page copied the menu without it;
    // the delivery page points at the landing's section, which works.
    assert_eq!(
        on("contacts.anchor-dead"),
        [("#contacts".to_string(), vec!["uslugi.html".to_string()])]
    );
    let pages = &audit.inventory.pages;
    assert!(pages.iter().all(|p| p.links_to_contacts), "{pages:#?}");
    assert_eq!(
        on("phone.inconsistent"),
        [(
            "+7 (495) 000-12-43".to_string(),
            vec!["dostavka.html".to_string()]
        )]
    );
}

#[tokio::test]
async fn a_fix_shows_the_sites_own_contact_corrected_never_an_example_value() {
    let audit = full_audit().await;
    let site = Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let found = checks::run(&site, &Catalogue::builtin(), &RuleChoices::default());
    let corrected = |rule: &str, subject: &str| -> Option<String> {
        found
            .iter()
            .find(|f| f.rule == rule && f.subject.site().is_some_and(|s| s.contains(subject)))
            .unwrap_or_else(|| panic!("no {rule} on {subject}: {found:#?}"))
            .corrected
            .clone()
    };
    assert_eq!(
        corrected("email.mailto-malformed", "hr@example.com").as_deref(),
        Some(
            r#"<a href="mailto:hr@example.com?subject=%D0%A0%D0%B5%D0%B7%D1%8E%D0%BC%D0%B5">hr@example.com</a>"#
        )
    );
    assert_eq!(
        corrected("whatsapp.link-malformed", "wa.me/+79000000002").as_deref(),
        Some(r#"<a href="https://wa.me/79000000002">WhatsApp</a>"#)
    );
    assert_eq!(
        corrected("viber.link-malformed", "number=79000000006").as_deref(),
        Some(r#"<a href="viber://chat?number=%2B79000000006">Viber</a>"#)
    );
    // A username too short has no corrected form: only its owner knows the right one.
    assert_eq!(corrected("telegram.link-malformed", "t.me/ex"), None);
    let unlinked = found
        .iter()
        .find(|f| f.rule == "phone.not-clickable" && f.corrected.is_some())
        .expect("an unlinked valid number");
    let shown = unlinked.subject.site().unwrap();
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    let corrected = unlinked.corrected.as_deref().unwrap();
    assert!(
        corrected.starts_with(r#"<a href="tel:+"#)
            && corrected.contains(&digits[digits.len() - 7..]),
        "{shown} → {corrected}"
    );
    for lang in [Lang::En, Lang::Ru] {
        for f in &found {
            let fix = ReportedFinding::new(f, lang).fix;
            for example in ["74950000000", "79000000000", "info@example.com"] {
                assert!(!fix.contains(example), "{}: {fix}", f.rule);
            }
        }
    }
}

#[tokio::test]
async fn a_captcha_finding_names_the_form_it_stands_on() {
    let audit = full_audit().await;
    let site = Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let found = checks::run(&site, &Catalogue::builtin(), &RuleChoices::default());
    let titles: Vec<(String, String)> = found
        .iter()
        .filter(|f| f.rule == "form.captcha")
        .map(|f| {
            (
                ReportedFinding::new(f, Lang::En).title,
                ReportedFinding::new(f, Lang::Ru).title,
            )
        })
        .collect();
    assert!(!titles.is_empty());
    for (en, ru) in &titles {
        assert!(
            en.starts_with("Captcha on the ") && en.ends_with(" form") && !en.contains('{'),
            "{en}"
        );
        assert!(ru.starts_with("Капча: форма ") && !ru.contains('{'), "{ru}");
    }
    assert!(
        titles
            .iter()
            .any(|(en, _)| en == "Captcha on the contact form"),
        "{titles:?}"
    );
}
