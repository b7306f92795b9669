//! What a page's links say about the way to its contacts: whether one leads to a contact
//! page, and whether a "Contacts" menu item that jumps within the page lands anywhere.

use url::Url;

use crate::crawl::frontier::{ContactLikeness, ContactWords};
use crate::types::link::{ContactLinks, FoundLink};

/// Judges a page's links; `html` is the page as read, searched only when a link jumps.
pub fn contact_links(
    links: &[FoundLink],
    page: &Url,
    html: &str,
    words: &ContactWords,
) -> ContactLinks {
    let links_to_contacts = links
        .iter()
        .any(|l| words.judge(&l.url, &l.text) == ContactLikeness::Yes);
    let dead_anchor = links
        .iter()
        .filter_map(|link| Some((link, in_page_fragment(&link.url, page)?)))
        // Judged by what the link says: the page's own path says nothing about where a jump
        // goes, and a fragment like `#callbackwidget` is as often a pop-up a script builds.
        .filter(|(link, _)| words.says_contact(&link.text))
        .find(|(_, fragment)| !has_target(html, fragment))
        .map(|(_, fragment)| format!("#{fragment}"));
    ContactLinks {
        links_to_contacts,
        dead_anchor,
    }
}

/// The fragment, decoded, of a link that jumps within `page`; none for `#`, `#!` and
/// `#/route` (script routers, not targets).
fn in_page_fragment(link: &Url, page: &Url) -> Option<String> {
    let fragment = link.fragment()?;
    if fragment.is_empty() || fragment.starts_with(['!', '/']) {
        return None;
    }
    let same_page = link.scheme() == page.scheme()
        && link.host_str() == page.host_str()
        && link.port_or_known_default() == page.port_or_known_default()
        && link.path() == page.path()
        && link.query() == page.query();
    same_page.then(|| {
        percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned()
    })
}

/// Whether some element could be the jump's target. Any attribute whose whole value is the
/// fragment counts (`id`, `<a name>`, and the `data-anchor` of scroll scripts): a dead jump
/// reported where a script would have scrolled is a false alarm, one missed is only a miss.
fn has_target(html: &str, fragment: &str) -> bool {
    let quoted = |q: char| format!("={q}{fragment}{q}");
    if html.contains(&quoted('"')) || html.contains(&quoted('\'')) {
        return true;
    }
    let bare = format!("={fragment}");
    html.match_indices(&bare).any(|(at, _)| {
        html[at + bare.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> ContactWords {
        ContactWords::new(&["контакт".into(), "contact".into()], &[])
    }

    fn link(url: &str, text: &str) -> FoundLink {
        FoundLink {
            url: Url::parse(url).unwrap(),
            text: text.into(),
        }
    }

    #[test]
    fn a_contact_jump_without_its_target_is_dead() {
        let page = Url::parse("https://example.com/about").unwrap();
        let links = [link("https://example.com/about#contacts", "контакты")];
        let found = contact_links(&links, &page, "<nav></nav>", &words());
        assert_eq!(found.dead_anchor.as_deref(), Some("#contacts"));
        assert!(found.links_to_contacts);
        for target in [
            r#"<section id="contacts">"#,
            "<a name='contacts'></a>",
            "<div data-anchor=contacts>",
        ] {
            let found = contact_links(&links, &page, target, &words());
            assert_eq!(found.dead_anchor, None, "{target}");
        }
    }

    #[test]
    fn jumps_elsewhere_and_other_jumps_are_not_judged() {
        let page = Url::parse("https://example.com/about").unwrap();
        let links = [
            link("https://example.com/#contacts", "контакты"),
            link("https://example.com/about#top", "наверх"),
            link("https://example.com/about#/contacts", "контакты"),
            link("https://example.com/about?x=1#contacts", "контакты"),
            link(
                "https://example.com/about#callbackwidget",
                "заказать звонок",
            ),
        ];
        let found = contact_links(&links, &page, "", &words());
        assert_eq!(found.dead_anchor, None);
        // A bare prefix of another id is not the target.
        let links = [link("https://example.com/about#contact", "contact us")];
        let found = contact_links(&links, &page, "<div id=contacts>", &words());
        assert_eq!(found.dead_anchor.as_deref(), Some("#contact"));
    }
}
