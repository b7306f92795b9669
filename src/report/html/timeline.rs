//! A probe's timeline as inline SVG: sent → confirmation → human reply → company inbox, against
//! the two deadlines. Time runs on a logarithmic axis, so a five-second auto-reply and a
//! two-hour deadline are both readable on one line.

use std::fmt::Write as _;

use super::escape::esc;
use crate::lang::Lang;
use crate::report::probes::duration;
use crate::types::probe::ProbeRow;

const WIDTH: f64 = 640.0;
const LEFT: f64 = 12.0;
const RIGHT: f64 = 628.0;
const AXIS_Y: f64 = 34.0;

/// Ticks the axis may carry, in seconds.
const TICKS: [(i64, &str, &str); 10] = [
    (10, "10 s", "10 с"),
    (60, "1 min", "1 мин"),
    (300, "5 min", "5 мин"),
    (900, "15 min", "15 мин"),
    (3600, "1 h", "1 ч"),
    (2 * 3600, "2 h", "2 ч"),
    (6 * 3600, "6 h", "6 ч"),
    (24 * 3600, "1 d", "1 д"),
    (3 * 24 * 3600, "3 d", "3 д"),
    (7 * 24 * 3600, "7 d", "7 д"),
];

struct Axis {
    span: f64,
}

impl Axis {
    fn x(&self, seconds: i64) -> f64 {
        let t = seconds.max(0) as f64;
        LEFT + (RIGHT - LEFT) * (1.0 + t).ln() / (1.0 + self.span).ln()
    }
}

/// One event on the line.
struct Mark<'a> {
    at: i64,
    class: &'a str,
    label: String,
}

/// The SVG for one probe.
pub fn render(out: &mut String, row: &ProbeRow, lang: Lang) {
    let f = &row.facts;
    // Deadlines drawn only for what is awaited: a callback's reply comes by phone.
    let reply_deadline = (!f.submitted() || f.expects_human_reply()).then_some(f.deadlines.reply_s);
    let confirmation_deadline =
        (!f.submitted() || f.expects_confirmation()).then_some(f.deadlines.confirmation_s);
    let latest = [
        reply_deadline.or(confirmation_deadline),
        Some(f.waited_s),
        row.human_reply_after_s,
        row.notification_after_s,
        row.first_reply_after_s,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(60)
    .max(60);
    let axis = Axis {
        span: latest as f64 * 1.15,
    };
    let _ = write!(
        out,
        r#"<svg class="timeline" viewBox="0 0 {WIDTH} 60" role="img" aria-label="{}" preserveAspectRatio="xMinYMid meet">"#,
        esc(&format!(
            "{}: {}",
            lang.pick("Timeline of the probe", "Хронология проверки"),
            f.target
        ))
    );
    let _ = write!(
        out,
        r#"<line class="axis" x1="{LEFT}" y1="{AXIS_Y}" x2="{RIGHT}" y2="{AXIS_Y}"/>"#
    );
    for (seconds, en, ru) in TICKS {
        if (seconds as f64) > axis.span {
            break;
        }
        let x = axis.x(seconds);
        let _ = write!(
            out,
            r#"<line class="tick" x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}"/><text class="tick" x="{x:.1}" y="56" text-anchor="middle">{}</text>"#,
            AXIS_Y - 3.0,
            AXIS_Y + 3.0,
            lang.pick(en, ru)
        );
    }
    if f.state != "failed" {
        let _ = write!(
            out,
            r#"<rect class="watched" x="{LEFT}" y="{}" width="{:.1}" height="6"><title>{} {}</title></rect>"#,
            AXIS_Y - 3.0,
            axis.x(f.waited_s) - LEFT,
            lang.pick("watched the mailboxes for", "следили за почтой"),
            esc(&duration(Some(f.waited_s), lang))
        );
    }
    for (seconds, class, name) in [
        (
            confirmation_deadline,
            "deadline-confirmation",
            lang.pick("confirmation deadline", "срок подтверждения"),
        ),
        (
            reply_deadline,
            "deadline-reply",
            lang.pick("reply deadline", "срок ответа"),
        ),
    ] {
        let Some(seconds) = seconds else {
            continue;
        };
        let x = axis.x(seconds);
        let _ = write!(
            out,
            r#"<line class="{class}" x1="{x:.1}" y1="6" x2="{x:.1}" y2="{}"><title>{name}: {}</title></line>"#,
            AXIS_Y + 6.0,
            esc(&duration(Some(seconds), lang))
        );
    }

    let mut marks = vec![Mark {
        at: 0,
        class: if f.state == "failed" {
            "sent failed"
        } else {
            "sent"
        },
        label: if f.state == "failed" {
            lang.pick("not sent", "не отправлено").to_string()
        } else {
            lang.pick("sent", "отправлено").to_string()
        },
    }];
    if let Some(at) = row.confirmation_after_s {
        marks.push(Mark {
            at,
            class: if at > f.deadlines.confirmation_s {
                "confirmation late"
            } else {
                "confirmation"
            },
            label: lang.pick("confirmation", "подтверждение").to_string(),
        });
    }
    if let Some(at) = row.human_reply_after_s {
        marks.push(Mark {
            at,
            class: if at > f.deadlines.reply_s {
                "human late"
            } else {
                "human"
            },
            label: lang.pick("human reply", "ответ человека").to_string(),
        });
    }
    if let Some(at) = row.notification_after_s {
        marks.push(Mark {
            at,
            class: "notification",
            label: lang.pick("company inbox", "почта компании").to_string(),
        });
    }
    for (i, mark) in marks.iter().enumerate() {
        // Marks at the same moment are lifted apart rather than drawn over each other.
        let y = AXIS_Y - 12.0 * marks[..i].iter().filter(|m| m.at == mark.at).count() as f64;
        let _ = write!(
            out,
            r#"<circle class="mark {}" cx="{:.1}" cy="{y:.1}" r="5"><title>{}: {}</title></circle>"#,
            mark.class,
            axis.x(mark.at),
            esc(&mark.label),
            esc(&duration(Some(mark.at), lang))
        );
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_is_logarithmic_and_inside_the_chart() {
        let axis = Axis { span: 7200.0 };
        assert!((axis.x(0) - LEFT).abs() < 1e-9);
        assert!((axis.x(7200) - RIGHT).abs() < 1.0);
        // Five seconds is far enough from zero to see; fifteen minutes is past the middle.
        assert!(axis.x(5) - LEFT > 50.0);
        assert!(axis.x(900) > (LEFT + RIGHT) / 2.0);
    }
}
