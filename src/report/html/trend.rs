//! Each probed door's answer times over the journal's last runs, as a small SVG chart:
//! confirmation and human reply per run on a logarithmic axis, failures marked on top.

use std::fmt::Write as _;

use super::escape::esc;
use crate::journal::history::DoorHistory;
use crate::lang::Lang;
use crate::report::probes::duration;

const WIDTH: f64 = 640.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 628.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 88.0;

const TICKS: [i64; 6] = [10, 60, 900, 3600, 6 * 3600, 24 * 3600];

fn y_of(seconds: i64, span: f64) -> f64 {
    let t = seconds.max(1) as f64;
    BOTTOM - (BOTTOM - TOP) * t.ln() / span.ln()
}

fn x_of(i: usize, n: usize) -> f64 {
    if n <= 1 {
        (LEFT + RIGHT) / 2.0
    } else {
        LEFT + (RIGHT - LEFT) * i as f64 / (n - 1) as f64
    }
}

/// The chart of one door.
pub fn render(out: &mut String, door: &DoorHistory, lang: Lang) {
    let n = door.points.len();
    let latest = door
        .points
        .iter()
        .flat_map(|p| [p.confirmation_after_s, p.human_reply_after_s])
        .flatten()
        .max()
        .unwrap_or(60)
        .max(60);
    let span = latest as f64 * 1.5;
    let _ = write!(
        out,
        r#"<svg class="trend" viewBox="0 0 {WIDTH} 108" role="img" aria-label="{}">"#,
        esc(&format!(
            "{}: {}",
            lang.pick(
                "Answer times over the last runs",
                "Время ответа по запускам"
            ),
            door.target
        ))
    );
    for seconds in TICKS {
        if seconds as f64 > span {
            break;
        }
        let y = y_of(seconds, span);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{RIGHT}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6.0,
            y + 3.0,
            esc(&duration(Some(seconds), lang))
        );
    }
    for (class, value) in [
        (
            "confirmation",
            (|p: &crate::journal::history::Point| p.confirmation_after_s) as fn(&_) -> _,
        ),
        ("human", |p: &crate::journal::history::Point| {
            p.human_reply_after_s
        }),
    ] {
        let points: Vec<String> = door
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                value(p).map(|s| format!("{:.1},{:.1}", x_of(i, n), y_of(s, span)))
            })
            .collect();
        if points.len() > 1 {
            let _ = write!(
                out,
                r#"<polyline class="line {class}" points="{}"/>"#,
                points.join(" ")
            );
        }
        for (i, p) in door.points.iter().enumerate() {
            if let Some(s) = value(p) {
                let _ = write!(
                    out,
                    r#"<circle class="mark {class}" cx="{:.1}" cy="{:.1}" r="4"><title>{}: {}</title></circle>"#,
                    x_of(i, n),
                    y_of(s, span),
                    esc(&crate::clock::iso_date(p.started_at)),
                    esc(&duration(Some(s), lang))
                );
            }
        }
    }
    for (i, p) in door.points.iter().enumerate() {
        if matches!(p.status.as_str(), "failed" | "no-reply") {
            let (x, y) = (x_of(i, n), TOP - 8.0);
            let _ = write!(
                out,
                r#"<path class="miss" d="M{:.1} {:.1}l8 8m0 -8l-8 8"><title>{}: {}</title></path>"#,
                x - 4.0,
                y - 4.0,
                esc(&crate::clock::iso_date(p.started_at)),
                esc(&p.status)
            );
        }
    }
    if let (Some(first), Some(last)) = (door.points.first(), door.points.last()) {
        let _ = write!(
            out,
            r#"<text class="tick" x="{LEFT}" y="104">{}</text>"#,
            esc(&crate::clock::iso_date(first.started_at))
        );
        if n > 1 {
            let _ = write!(
                out,
                r#"<text class="tick" x="{RIGHT}" y="104" text-anchor="end">{}</text>"#,
                esc(&crate::clock::iso_date(last.started_at))
            );
        }
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_spread_across_and_longer_answers_draw_higher() {
        assert!((x_of(0, 1) - (LEFT + RIGHT) / 2.0).abs() < 1e-9);
        assert!((x_of(0, 3) - LEFT).abs() < 1e-9 && (x_of(2, 3) - RIGHT).abs() < 1e-9);
        assert!(y_of(3600, 7200.0) < y_of(5, 7200.0));
        assert!(y_of(7200, 7200.0) >= TOP - 1e-9);
    }
}
