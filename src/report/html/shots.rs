//! What the browser showed (`--render`): the start page's first screens on a desktop and a
//! phone, and close-ups of doors too small to tap, as PNGs inside the page (`data:` images,
//! which the report's Content-Security-Policy allows and nothing else).

use std::fmt::Write as _;

use super::escape::esc;
use crate::lang::Lang;
use crate::report::Report;
use crate::types::render::{Screenshot, ShotView};

/// Base64 as the browser writes it: nothing else may go into an attribute unescaped.
fn is_base64(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

fn caption(shot: &Screenshot, lang: Lang) -> String {
    let page = crate::report::iri::readable(&shot.page);
    match shot.view {
        ShotView::Desktop => format!(
            "{page} — {}",
            lang.pick("first screen on a desktop", "первый экран на компьютере")
        ),
        ShotView::Phone => format!(
            "{page} — {}",
            lang.pick(
                "first screen on a phone (390×844)",
                "первый экран на телефоне (390×844)"
            )
        ),
        ShotView::Door => format!(
            "{page} — {}: {}",
            lang.pick("too small to tap", "трудно нажать пальцем"),
            shot.door.as_deref().unwrap_or_default()
        ),
    }
}

pub fn render(out: &mut String, report: &Report<'_>, lang: Lang) {
    let Some(render) = &report.crawl.render else {
        return;
    };
    let shots: Vec<&Screenshot> = render
        .screenshots
        .iter()
        .filter(|s| is_base64(&s.png_base64))
        .collect();
    if shots.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<section id="browser"><h2>{}</h2><div class="shots">"#,
        lang.pick("Seen in a browser", "В браузере")
    );
    for shot in shots {
        let caption = caption(shot, lang);
        let _ = write!(
            out,
            r#"<figure class="{}"><img src="data:image/png;base64,{}" alt="{}"><figcaption>{}</figcaption></figure>"#,
            match shot.view {
                ShotView::Desktop => "desktop",
                ShotView::Phone => "phone",
                ShotView::Door => "door",
            },
            shot.png_base64,
            esc(&caption),
            esc(&caption)
        );
    }
    out.push_str("</div></section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_base64_goes_into_the_page() {
        assert!(is_base64("iVBORw0KGgo+/="));
        assert!(!is_base64("iVBOR\"><script>"));
    }
}
