//! Every rule's own examples from `rules/catalogue.toml`: it fires where the catalogue says it
//! fires and stays silent where it says it must.

use doorbell::audit::examples;
use doorbell::rulebook::Catalogue;

#[test]
fn every_rule_fires_and_stays_silent_on_its_examples() {
    let catalogue = Catalogue::builtin();
    let mut failures = Vec::new();
    let mut ran = 0;
    for rule in &catalogue.rules {
        for (i, example) in rule.examples.iter().enumerate() {
            ran += 1;
            let hits = examples::hits(rule, example);
            if example.fires == hits.is_empty() {
                failures.push(format!(
                    "{} example {} should {}: {hits:?}",
                    rule.id,
                    i + 1,
                    if example.fires { "fire" } else { "stay silent" }
                ));
            }
        }
    }
    assert!(ran >= 2 * catalogue.rules.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
