//! Places (addresses, opening hours): one place however it is spelt, and one address written
//! in parts is the longer writing.

use std::sync::Arc;

use super::Place;
use super::merge::{Keyed, push_page_ref};
use crate::extract::PlaceSighting;
use crate::types::contact::Seen;

/// Two spellings of one place are one place: case, punctuation and the «г.» before a city
/// name do not matter.
fn place_key(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .filter(|word| !matches!(word.as_str(), "г" | "город" | "city"))
        .collect()
}

pub(super) fn add_place(
    map: &mut Keyed<String, Place>,
    url: &Arc<str>,
    sighting: PlaceSighting,
    seen: Seen,
) {
    let key = place_key(&sighting.text);
    if key.is_empty() {
        return;
    }
    let Some(place) = map.entry(key, || Place {
        text: sighting.text.clone(),
        sources: Vec::new(),
        seen,
        pages: Vec::new(),
    }) else {
        return;
    };
    if !place.sources.contains(&sighting.source) {
        place.sources.push(sighting.source);
    }
    push_page_ref(&mut place.pages, url, sighting.region, seen);
}

/// The words of a place, lower-cased, with a space on each side: «Luzernerstrasse 39» and
/// «Luzernerstrasse 39\n6247 Schötz» compare as one is part of the other, «ул. Мира 1» and
/// «ул. Мира 10» do not.
fn place_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!(" {} ", words.join(" "))
}

/// One address written twice — the street alone in one block, with the town in another —
/// is one place: the longer writing keeps the pages of both.
pub(super) fn drop_parts_of_longer(places: &mut Vec<Place>) {
    let keys: Vec<String> = places.iter().map(|p| place_words(&p.text)).collect();
    let mut keep = vec![true; places.len()];
    for (i, key) in keys.iter().enumerate() {
        if let Some(longer) = (0..keys.len()).find(|&j| {
            j != i && keep[j] && keys[j].len() > key.len() && keys[j].contains(key.as_str())
        }) {
            keep[i] = false;
            let pages = places[i].pages.clone();
            for page in pages {
                let known = places[longer]
                    .pages
                    .iter()
                    .any(|p| p.url == page.url && p.region == page.region);
                if !known {
                    places[longer].pages.push(page);
                }
            }
        }
    }
    let mut index = 0;
    places.retain(|_| {
        index += 1;
        keep[index - 1]
    });
}
