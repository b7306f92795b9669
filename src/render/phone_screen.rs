//! The page on a phone: 390×844 CSS px, a mobile user agent, touch. Read in the browser with
//! one script: every phone and messenger link, form and known chat button that is visible,
//! where it stands (in the first screen, pinned to it), and its size as a tap target — WCAG
//! 2.2's 2.5.8 asks for 24×24 CSS px, except for a link inside a sentence and a target with
//! no other target within a 24 px circle round it.

use serde::Deserialize;

use super::shots::Region;
use crate::types::render::{MAX_SMALL_TARGETS, PhoneScreen, SmallTarget};

pub const WIDTH: u32 = 390;
pub const HEIGHT: u32 = 844;
/// WCAG 2.2, 2.5.8 Target Size (Minimum), in CSS px.
pub const MIN_TARGET: u32 = 24;

/// A phone's browser, as sites see it.
pub const USER_AGENT: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";

/// What [`script`] reports of each door.
#[derive(Debug, Deserialize)]
struct Door {
    kind: String,
    href: String,
    text: String,
    width: u32,
    height: u32,
    /// Where it stands on the page, from its top-left corner, in CSS px.
    x: f64,
    y: f64,
    first_screen: bool,
    pinned: bool,
    /// Exempt from the size rule: inside a sentence, or alone within its 24 px circle.
    exempt: bool,
}

/// The script that reads the doors; `widgets` are CSS selectors of chat buttons.
pub fn script(widgets: &[String]) -> String {
    let widgets = serde_json::to_string(widgets).unwrap_or_else(|_| "[]".into());
    format!(
        r#"(() => {{
  const H = {HEIGHT}, W = {WIDTH}, MIN = {MIN_TARGET};
  const shown = el => {{
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }};
  const pinned = el => {{
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {{
      const p = getComputedStyle(e).position;
      if (p === 'fixed' || p === 'sticky') return true;
    }}
    return false;
  }};
  const inSentence = el => {{
    const parent = el.parentElement;
    if (!parent || !getComputedStyle(el).display.startsWith('inline')) return false;
    return (parent.textContent || '').trim().length > (el.textContent || '').trim().length + 20;
  }};
  const targets = Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [onclick]'
  )).filter(shown).map(el => ({{ el, r: el.getBoundingClientRect() }}));
  const small = r => r.width < MIN || r.height < MIN;
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const distance = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const spaced = (el, r) => {{
    const c = centre(r);
    return targets.every(o => {{
      if (o.el === el || o.el.contains(el) || el.contains(o.el)) return true;
      if (distance(c, o.r) < MIN / 2) return false;
      if (small(o.r)) {{ const d = centre(o.r); return Math.hypot(c[0] - d[0], c[1] - d[1]) >= MIN; }}
      return true;
    }});
  }};
  const doors = [];
  const add = (kind, el) => {{
    if (!shown(el) || doors.length >= 500) return;
    const r = el.getBoundingClientRect();
    doors.push({{
      kind, href: el.getAttribute('href') || '', text: (el.textContent || '').trim().slice(0, 80),
      width: Math.round(r.width), height: Math.round(r.height),
      x: r.left + window.scrollX, y: r.top + window.scrollY,
      first_screen: r.top < H && r.bottom > 0 && r.left < W && r.right > 0,
      pinned: pinned(el), exempt: inSentence(el) || spaced(el, r),
    }});
  }};
  const messenger = /(wa\.me\/|api\.whatsapp\.com|^whatsapp:|^https?:\/\/t\.me\/|telegram\.me\/|^tg:|^viber:|vk\.me\/|m\.me\/|ig\.me\/|max\.ru\/)/;
  document.querySelectorAll('a[href]').forEach(a => {{
    const h = a.getAttribute('href').trim().toLowerCase();
    if (h.startsWith('tel:')) add('phone', a);
    else if (messenger.test(h)) add('messenger', a);
  }});
  document.querySelectorAll('form').forEach(f => add('form', f));
  {widgets}.forEach(s => document.querySelectorAll(s).forEach(el => add('widget', el)));
  return JSON.stringify(doors);
}})()"#
    )
}

/// What the script's answer says of the page, and where its small targets stand.
///
/// # Errors
/// The answer is not what the script writes.
pub fn read(page: &str, answer: &str) -> Result<(PhoneScreen, Vec<(String, Region)>), String> {
    let doors: Vec<Door> =
        serde_json::from_str(answer).map_err(|e| format!("the phone-screen reading: {e}"))?;
    let in_reach = doors.iter().filter(|d| d.first_screen || d.pinned).count();
    let small: Vec<&Door> = doors
        .iter()
        .filter(|d| matches!(d.kind.as_str(), "phone" | "messenger"))
        .filter(|d| (d.width < MIN_TARGET || d.height < MIN_TARGET) && !d.exempt)
        .take(MAX_SMALL_TARGETS)
        .collect();
    let small_targets = small
        .iter()
        .map(|d| SmallTarget {
            href: d.href.clone(),
            text: d.text.clone(),
            width: d.width,
            height: d.height,
        })
        .collect();
    let regions = small
        .iter()
        .map(|d| {
            let region = Region {
                x: d.x,
                y: d.y,
                width: f64::from(d.width),
                height: f64::from(d.height),
            };
            (d.href.clone(), region)
        })
        .collect();
    let screen = PhoneScreen {
        page: page.to_string(),
        doors: doors.len(),
        doors_in_first_screen: in_reach,
        small_targets,
    };
    Ok((screen, regions))
}
