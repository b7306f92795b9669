//! What `--render` did, said in one line by every format.

use super::words::grouped;
use crate::lang::Lang;

/// What `--render` did, in one line: pages rendered, refused requests, and how many doors
/// only a script shows; or why nothing was rendered.
pub fn render_line(
    crawl: &crate::types::crawl::CrawlSummary,
    inventory: &crate::inventory::Inventory,
    lang: Lang,
) -> Option<String> {
    use crate::types::contact::Seen;
    let render = crawl.render.as_ref()?;
    if let Some(error) = &render.error {
        return Some(format!(
            "{}: {error}",
            lang.pick(
                "Not rendered, the served HTML only",
                "Без браузера, только HTML с сервера"
            )
        ));
    }
    let scripted = inventory
        .phones
        .iter()
        .map(|p| p.seen)
        .chain(inventory.emails.iter().map(|e| e.seen))
        .chain(inventory.messengers.iter().map(|m| m.seen))
        .chain(inventory.forms.iter().map(|f| f.seen))
        .filter(|seen| *seen == Seen::Rendered)
        .count();
    let served_only = inventory.phone_replacements.len();
    let mut line = format!(
        "{} {}: {} {}, {} {}, {} {}",
        lang.pick("Rendered in", "Показано в"),
        render.browser.as_deref().unwrap_or("Chromium"),
        grouped(render.pages.len(), lang),
        lang.pick("pages", "стр."),
        grouped(render.failed.len(), lang),
        lang.pick("failed", "с ошибкой"),
        grouped(render.requests_blocked, lang),
        lang.pick("requests refused", "запросов не пущено"),
    );
    if scripted > 0 {
        let _ = std::fmt::Write::write_fmt(
            &mut line,
            format_args!(
                "; {} {}",
                grouped(scripted, lang),
                lang.pick(
                    "doors only a script shows",
                    "контактов видно только после скриптов"
                )
            ),
        );
    }
    if served_only > 0 {
        let _ = std::fmt::Write::write_fmt(
            &mut line,
            format_args!(
                "; {} {}",
                grouped(served_only, lang),
                lang.pick(
                    "numbers of the HTML a script replaced or removed",
                    "номеров из HTML скрипт подменил или убрал"
                )
            ),
        );
    }
    Some(line)
}
