//! Social profiles that are not doors a customer writes through — a YouTube channel, a Dzen
//! blog, a LinkedIn company page, an X (Twitter), TikTok, Pinterest or Rutube account: listed
//! in the inventory, judged by no rule. Share buttons, single videos and a network's bare home
//! page are no profile.

use url::Url;

use super::types::SocialSighting;
use crate::types::contact::PageRegion;

/// Hosts (without `www.`) and the network each belongs to.
const NETWORKS: [(&str, &str); 14] = [
    ("youtube.com", "youtube"),
    ("m.youtube.com", "youtube"),
    ("dzen.ru", "dzen"),
    ("zen.yandex.ru", "dzen"),
    ("linkedin.com", "linkedin"),
    ("twitter.com", "x"),
    ("x.com", "x"),
    ("tiktok.com", "tiktok"),
    ("pinterest.com", "pinterest"),
    ("ru.pinterest.com", "pinterest"),
    ("rutube.ru", "rutube"),
    ("threads.net", "threads"),
    ("threads.com", "threads"),
    ("vimeo.com", "vimeo"),
];

/// Paths that share, embed or show one item rather than the profile.
const NOT_A_PROFILE: [&str; 10] = [
    "intent",
    "share",
    "sharer",
    "sharearticle",
    "embed",
    "watch",
    "pin",
    "video",
    "shorts",
    "search",
];

/// The profile a link opens, if it opens one.
pub fn profile(href: &str, region: PageRegion) -> Option<SocialSighting> {
    let lower = href.trim().to_ascii_lowercase();
    // Most links are the site's own pages: a cheap look before a URL parse.
    if !lower.starts_with("http") || !NETWORKS.iter().any(|(host, _)| lower.contains(host)) {
        return None;
    }
    let url = Url::parse(href.trim()).ok()?;
    let host = url
        .host_str()?
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let network = NETWORKS
        .iter()
        .find(|(known, _)| *known == host)
        .map(|(_, network)| *network)?;
    let first = url
        .path_segments()
        .and_then(|mut s| s.find(|s| !s.is_empty()))?
        .to_ascii_lowercase();
    if NOT_A_PROFILE.contains(&first.as_str()) {
        return None;
    }
    Some(SocialSighting {
        network,
        href: href.trim().to_string(),
        region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(href: &str) -> Option<&'static str> {
        profile(href, PageRegion::Footer).map(|p| p.network)
    }

    #[test]
    fn profiles_are_told_from_shares_videos_and_home_pages() {
        assert_eq!(
            network("https://www.youtube.com/@example_shop"),
            Some("youtube")
        );
        assert_eq!(network("https://dzen.ru/example_shop"), Some("dzen"));
        assert_eq!(
            network("https://www.linkedin.com/company/example/"),
            Some("linkedin")
        );
        assert_eq!(network("https://x.com/example_shop"), Some("x"));
        assert_eq!(network("https://twitter.com/intent/tweet?url=x"), None);
        assert_eq!(network("https://www.youtube.com/watch?v=abc"), None);
        assert_eq!(network("https://www.youtube.com/"), None);
        assert_eq!(network("https://box.com/example"), None);
        assert_eq!(network("/about/"), None);
    }
}
