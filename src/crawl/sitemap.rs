//! sitemap.xml and sitemap indexes, plain or gzipped. Pages listed only in a sitemap (no link
//! reaches them) are often exactly the forgotten landing pages with stale contacts.

use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;

/// What one sitemap file lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub pages: Vec<String>,
    /// Further sitemaps (from a sitemap index).
    pub sitemaps: Vec<String>,
}

/// Sitemaps larger than this once unzipped are cut: the protocol caps a file at 50 MB, and
/// we need the URLs, not all of them.
const MAX_UNZIPPED: u64 = 50 * 1024 * 1024;

/// Reads a sitemap or sitemap index; gzip is recognised by its magic bytes, since servers
/// label `.xml.gz` every which way.
pub fn parse(body: &[u8]) -> Listing {
    let unzipped;
    let xml: &[u8] = if body.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let _ = flate2::read::GzDecoder::new(body)
            .take(MAX_UNZIPPED)
            .read_to_end(&mut out);
        unzipped = out;
        &unzipped
    } else {
        body
    };
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(true);
    let mut listing = Listing::default();
    let mut in_sitemap_entry = false;
    let mut loc: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"sitemap" => in_sitemap_entry = true,
                b"loc" => loc = Some(String::new()),
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"sitemap" => in_sitemap_entry = false,
                b"loc" => {
                    let text = loc.take().unwrap_or_default().trim().to_string();
                    if in_sitemap_entry {
                        listing.sitemaps.push(text);
                    } else {
                        listing.pages.push(text);
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if let Some(loc) = &mut loc {
                    loc.push_str(&t.decode().unwrap_or_default());
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(loc) = &mut loc {
                    loc.push_str(&String::from_utf8_lossy(&t));
                }
            }
            // quick-xml hands `&amp;` and friends over as references of their own.
            Ok(Event::GeneralRef(r)) => {
                if let Some(loc) = &mut loc {
                    let name = r.decode().unwrap_or_default();
                    let resolved = match name.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => r.resolve_char_ref().ok().flatten(),
                    };
                    if let Some(c) = resolved {
                        loc.push(c);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    listing
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn urlset_index_and_gzip() {
        let urlset = br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>https://example.com/a?x=1&amp;y=2</loc></url><url><loc> https://example.com/b </loc></url></urlset>"#;
        assert_eq!(
            parse(urlset).pages,
            ["https://example.com/a?x=1&y=2", "https://example.com/b"]
        );
        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://example.com/s1.xml.gz</loc></sitemap></sitemapindex>"#;
        assert_eq!(parse(index).sitemaps, ["https://example.com/s1.xml.gz"]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(urlset).unwrap();
        assert_eq!(parse(&gz.finish().unwrap()).pages.len(), 2);
    }

    #[test]
    fn garbage_yields_nothing_not_a_panic() {
        assert_eq!(parse(b"\x00\x01not xml <<<"), Listing::default());
    }
}
