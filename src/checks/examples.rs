//! Running a rule's examples from the catalogue: each example's pages go through extraction
//! and the inventory as a crawl would hand them over, then the rule alone judges them.

use url::Url;

use super::{Hit, Site, run_rule};
use crate::audit::{add_to_inventory, contact_words, links_to_contacts};
use crate::extract::Extractor;
use crate::inventory::InventoryBuilder;
use crate::rulebook::catalogue::Example;
use crate::rulebook::{BUILTIN, Rule};

/// The host example pages pretend to live on.
pub const EXAMPLE_ORIGIN: &str = "https://shop.example.com";

/// The hits of `rule` on the site an example describes.
pub fn hits(rule: &Rule, example: &Example) -> Vec<Hit> {
    let extractor = Extractor::new(&BUILTIN, rlibphonenumber::Region::from_code("RU").ok());
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
        let to_contacts = links_to_contacts(&links, &words);
        add_to_inventory(&mut builder, url.as_str(), extract, to_contacts, &words);
    }
    let inventory = builder.finish();
    let home = format!("{EXAMPLE_ORIGIN}/");
    run_rule(
        &Site {
            inventory: &inventory,
            home: &home,
        },
        rule,
    )
}
