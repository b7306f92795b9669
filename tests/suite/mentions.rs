//! Messengers named in text rather than linked (`tests/fixtures/icons/linked.html`).

use crate::common;

use doorbell::types::contact::MessengerKind;

#[tokio::test]
async fn messengers_named_beside_a_linked_number_are_doors_with_nothing_to_tap() {
    let audit = common::static_site("icons").audit("/linked.html").await;
    let mut named: Vec<(MessengerKind, Option<&str>, bool)> = audit
        .inventory
        .messengers
        .iter()
        .map(|m| (m.kind, m.target.as_deref(), m.clickable))
        .collect();
    named.sort_by_key(|(k, _, _)| k.name());
    assert_eq!(
        named,
        [
            (MessengerKind::Telegram, Some("79990000055"), false),
            (MessengerKind::Whatsapp, Some("79990000055"), false),
        ]
    );
    let findings = common::judge(&audit);
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.rule == "messenger.not-clickable")
            .count(),
        2,
        "{findings:#?}"
    );
}
