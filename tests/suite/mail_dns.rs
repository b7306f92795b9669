//! Whether e-mail domains accept mail, asked of a real DNS server on loopback.

use crate::common;

use std::time::Duration;

use common::dns::Dnsmasq;
use doorbell::facts::mail_domain::MailDns;
use doorbell::types::facts::MailStatus;

#[tokio::test]
async fn mx_a_and_missing_domains_are_told_apart() {
    let dns = Dnsmasq::start();
    let resolver = MailDns::new(Some(dns.addr), Duration::from_secs(5)).unwrap();
    let mx = resolver.check("mail.example.net").await;
    assert_eq!(mx.status, MailStatus::AcceptsMail, "{mx:?}");
    assert_eq!(mx.mx, ["mx1.example.net."]);
    // No MX, but an address: mail goes there (the implicit MX).
    assert_eq!(
        resolver.check("web.example.net").await.status,
        MailStatus::AcceptsMail
    );
    let none = resolver.check("nomail.example.net").await;
    assert_eq!(none.status, MailStatus::NoMail, "{none:?}");
}

#[tokio::test]
async fn a_dns_server_that_never_answers_means_unknown_not_no_mail() {
    // A socket that takes queries and never replies.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let resolver = MailDns::new(
        Some(silent.local_addr().unwrap()),
        Duration::from_millis(300),
    )
    .unwrap();
    let result = resolver.check("nomail.example.net").await;
    assert_eq!(result.status, MailStatus::Unknown, "{result:?}");
    assert!(result.error.is_some());
}

#[tokio::test]
async fn the_audit_reports_a_domain_without_mail_and_only_that_one() {
    let dns = Dnsmasq::start();
    let mut settings = common::site().settings("/");
    settings.check_mail_dns = true;
    settings.crawl.http.dns_server = Some(dns.addr);
    let audit = doorbell::audit::run(settings).await.unwrap();
    let status = |d: &str| {
        audit
            .inventory
            .mail_domains
            .iter()
            .find(|m| m.domain == d)
            .unwrap_or_else(|| panic!("{d} not looked up"))
            .status
    };
    assert_eq!(status("example.com"), MailStatus::AcceptsMail);
    assert_eq!(status("nomail.example.net"), MailStatus::NoMail);
    let site = doorbell::checks::Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let findings = doorbell::checks::run(
        &site,
        &doorbell::rulebook::Catalogue::builtin(),
        &doorbell::checks::RuleChoices::default(),
    );
    let no_mx: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "email.domain-no-mx")
        .map(|f| f.evidence.as_str())
        .collect();
    assert_eq!(no_mx, ["nomail.example.net: no MX, no A/AAAA"]);
}

#[tokio::test]
async fn a_host_dns_does_not_know_is_a_dns_failure_recorded_per_url() {
    let dns = Dnsmasq::start();
    let mut settings = common::site().settings("/dns.html");
    // The link's host belongs to the site, and names are looked up at the loopback dnsmasq
    // only, which says it does not exist.
    settings.crawl.extra_hosts = vec!["nowhere.example.net".into()];
    settings.crawl.http.dns_server = Some(dns.addr);
    let audit = doorbell::audit::run(settings).await.unwrap();
    let page = common::page(&audit, "nowhere.example.net/");
    assert!(
        matches!(page.error, Some(doorbell::types::crawl::FetchError::Dns(_))),
        "{page:?}"
    );
    assert_eq!(
        common::page(&audit, "/dns.html").outcome,
        doorbell::types::crawl::Outcome::Ok
    );
}
