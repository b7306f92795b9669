//! Running a rule's examples from the catalogue: each example's pages go through extraction
//! and the inventory as a crawl would hand them over, then the rule alone judges them.

use url::Url;

use super::contact_links::contact_links;
use super::{add_to_inventory, contact_words};
use crate::baseline::{Baseline, compare, inventory_doors, probe_doors};
use crate::checks::{Hit, Site, run_rule};
use crate::extract::Extractor;
use crate::inventory::InventoryBuilder;
use crate::rulebook::catalogue::Example;
use crate::rulebook::{BUILTIN, Rule};
use crate::types::facts::{MailDomain, UrlCheck};
use crate::types::probe::ProbeRow;

/// The host example pages pretend to live on.
pub const EXAMPLE_ORIGIN: &str = "https://shop.example.com";

/// The hits of `rule` on the site an example describes.
pub fn hits(rule: &Rule, example: &Example) -> Vec<Hit> {
    if let Some(lock) = &example.baseline {
        return baseline_hits(rule, example, lock);
    }
    if let Some(probe) = &example.probe {
        return crate::checks::run_live_rule(probe, rule);
    }
    let inventory = inventory_of(example);
    let home = format!("{EXAMPLE_ORIGIN}/");
    run_rule(
        &Site {
            inventory: &inventory,
            home: &home,
        },
        rule,
    )
}

/// A baseline rule's example: its pages (when it has some) and its probe against its lock.
fn baseline_hits(rule: &Rule, example: &Example, lock: &str) -> Vec<Hit> {
    let before = Baseline::parse(lock, "example").expect("example locks parse");
    let site = (!example.pages().is_empty()).then(|| inventory_doors(&inventory_of(example)));
    let rows: Vec<ProbeRow> = example.probe.iter().cloned().map(ProbeRow::from).collect();
    let changes = compare(&before, site.as_ref(), &probe_doors(&rows));
    crate::checks::baseline::check_for(&rule.id)
        .map_or_else(Vec::new, |check| check(&changes, rule))
}

/// The inventory a crawl of the example's pages would build.
fn inventory_of(example: &Example) -> crate::inventory::Inventory {
    let extractor = Extractor::new(
        &BUILTIN,
        rlibphonenumber::Region::from_code("RU")
            .ok()
            .map(|r| (r, crate::types::contact::RegionSource::Setting)),
    );
    let words = contact_words();
    let mut builder = InventoryBuilder::default();
    for page in example.pages() {
        let url = Url::parse(EXAMPLE_ORIGIN)
            .and_then(|o| o.join(&page.path))
            .expect("example paths are relative URLs");
        let html = format!(
            "<!DOCTYPE html><html lang=\"ru\"><body>{}</body></html>",
            page.html
        );
        let mut extract = extractor.page(&html, &url);
        let links = std::mem::take(&mut extract.links);
        let found = contact_links(&links, &url, &html, &words);
        let served_phones = extract.phones.clone();
        let served_widgets = extract.widgets.clone();
        add_to_inventory(&mut builder, url.as_str(), extract, found, &words);
        if let Some(rendered) = &page.rendered {
            let html = format!("<!DOCTYPE html><html lang=\"ru\"><body>{rendered}</body></html>");
            let rendered = extractor.page(&html, &url);
            let trouble = crate::render::watch::Trouble {
                failed_requests: example.failed_requests.clone(),
                script_errors: example.script_errors.clone(),
            };
            builder.add_widget_failures(crate::render::liveness::not_loading(
                url.as_str(),
                &served_widgets,
                &rendered.widgets,
                &trouble,
                &BUILTIN,
            ));
            builder.add_rendered(url.as_str(), &served_phones, rendered);
        }
    }
    if let Some(screen) = &example.phone_screen {
        builder.add_phone_screen(crate::types::render::PhoneScreen {
            page: format!("{EXAMPLE_ORIGIN}/"),
            ..screen.clone()
        });
    }
    let mut inventory = builder.finish();
    let origin = Url::parse(EXAMPLE_ORIGIN).expect("valid origin");
    let absolute = |path: &String| origin.join(path).map(|u| u.to_string()).unwrap_or_default();
    inventory.mail_domains = example
        .mail_domains
        .iter()
        .map(|(domain, status)| MailDomain {
            domain: domain.clone(),
            status: *status,
            mx: Vec::new(),
            error: None,
        })
        .collect();
    for form in inventory.forms.iter_mut().filter(|f| f.reaches_company()) {
        if let Some(status) = example
            .http
            .iter()
            .find(|(p, _)| absolute(p) == form.action)
            .map(|(_, s)| *s)
        {
            form.action_check = url::Url::parse(&form.action)
                .ok()
                .map(|url| UrlCheck::of_action(status, &url));
        } else if example
            .http_unreachable
            .iter()
            .any(|p| absolute(p) == form.action)
        {
            form.action_check = Some(UrlCheck::unreachable("connection refused"));
        }
    }
    inventory
}
