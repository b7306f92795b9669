//! Signatures of third-party widgets, map embeds, form builders and captchas.
//!
//! The raw TOML shape is compiled into Aho-Corasick automata, one per kind of evidence, so a
//! page is scanned once per kind however many products we know.

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::types::contact::{Evidence, WidgetKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    widget: Vec<RawWidget>,
    #[serde(default)]
    captcha: Vec<RawCaptcha>,
    #[serde(default)]
    form_backend: Vec<FormBackend>,
    #[serde(default)]
    form_script: Vec<FormBackend>,
    #[serde(default)]
    call_tracking: Vec<CallTracking>,
}

/// A call-tracking service: its script swaps the number a visitor sees for one it counts
/// calls on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallTracking {
    pub id: String,
    pub name: String,
    /// Substrings of its script's `src` or of the inline snippet that loads it, lower-cased.
    pub script: Vec<String>,
}

/// A service that receives a form's data instead of the site's own server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormBackend {
    pub id: String,
    pub name: String,
    /// Substrings of the form's resolved action, lower-cased.
    #[serde(default)]
    pub action: Vec<String>,
    /// Attributes on the `<form>`.
    #[serde(default)]
    pub attr: Vec<String>,
    /// Classes of the `<form>`.
    #[serde(default)]
    pub class: Vec<String>,
    /// The service's script sends the form (adding what its back end checks): a plain
    /// request does not get through, so probes send it in a browser (`--render`).
    #[serde(default)]
    pub by_script: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWidget {
    id: String,
    name: String,
    kind: WidgetKind,
    #[serde(default)]
    script_src: Vec<String>,
    #[serde(default)]
    inline: Vec<String>,
    #[serde(default)]
    iframe_src: Vec<String>,
    #[serde(default)]
    link_href: Vec<String>,
    #[serde(default)]
    dom: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCaptcha {
    id: String,
    #[serde(default)]
    script_src: Vec<String>,
    #[serde(default)]
    inline: Vec<String>,
    #[serde(default)]
    iframe_src: Vec<String>,
    #[serde(default)]
    link_href: Vec<String>,
    #[serde(default)]
    dom: Vec<String>,
}

/// The evidence lists of one signature, borrowed from its raw entry.
struct RawEvidence<'a> {
    script_src: &'a [String],
    inline: &'a [String],
    iframe_src: &'a [String],
    link_href: &'a [String],
    dom: &'a [String],
}

macro_rules! evidence_of {
    ($raw:expr) => {
        RawEvidence {
            script_src: &$raw.script_src,
            inline: &$raw.inline,
            iframe_src: &$raw.iframe_src,
            link_href: &$raw.link_href,
            dom: &$raw.dom,
        }
    };
}

pub const EVIDENCE_KINDS: [Evidence; 5] = [
    Evidence::ScriptSrc,
    Evidence::Inline,
    Evidence::IframeSrc,
    Evidence::LinkHref,
    Evidence::Dom,
];

/// A known product.
#[derive(Debug)]
pub struct WidgetSignature {
    pub id: String,
    pub name: String,
    pub kind: WidgetKind,
}

/// A known captcha.
#[derive(Debug)]
pub struct CaptchaSignature {
    pub id: String,
}

/// One automaton per evidence kind; each pattern maps back to the signature that owns it.
#[derive(Debug)]
pub struct Matcher {
    automata: Vec<(Evidence, AhoCorasick, Vec<usize>)>,
    /// DOM markers (`id:x`, `class:x`, `attr:x`) are exact names, looked up not scanned.
    dom: Vec<(String, usize)>,
}

/// The automaton for one kind of evidence. Inline scripts are one long text a page, already
/// lower-cased, where the automaton's prefilter skips ahead fast. Sources and links are short
/// (a page has dozens of links, ~30 bytes each): there the prefilter's set-up cost more than the
/// walk it saved, and so did lower-casing each link into a new string first (1.6% of the
/// instructions of an extraction, for the links alone).
fn automaton_for(kind: Evidence, patterns: &[String]) -> Result<AhoCorasick, String> {
    let short_texts = kind != Evidence::Inline;
    AhoCorasick::builder()
        .ascii_case_insensitive(short_texts)
        .prefilter(!short_texts)
        .build(patterns)
        .map_err(|e| e.to_string())
}

impl Matcher {
    fn build(evidence: &[RawEvidence<'_>]) -> Result<Self, String> {
        let mut automata = Vec::new();
        for kind in EVIDENCE_KINDS {
            if kind == Evidence::Dom {
                continue;
            }
            let mut patterns = Vec::new();
            let mut owners = Vec::new();
            for (owner, ev) in evidence.iter().enumerate() {
                let list: &[String] = match kind {
                    Evidence::ScriptSrc => ev.script_src,
                    Evidence::Inline => ev.inline,
                    Evidence::IframeSrc => ev.iframe_src,
                    Evidence::LinkHref => ev.link_href,
                    Evidence::Dom | Evidence::Text => unreachable!(),
                };
                for p in list {
                    patterns.push(p.to_lowercase());
                    owners.push(owner);
                }
            }
            if patterns.is_empty() {
                continue;
            }
            let ac = automaton_for(kind, &patterns)?;
            automata.push((kind, ac, owners));
        }
        let mut dom = Vec::new();
        for (owner, ev) in evidence.iter().enumerate() {
            for marker in ev.dom {
                let (prefix, name) = marker
                    .split_once(':')
                    .ok_or_else(|| format!("dom marker {marker:?} must be id:, class: or attr:"))?;
                if !matches!(prefix, "id" | "class" | "attr") {
                    return Err(format!(
                        "dom marker {marker:?} must be id:, class: or attr:"
                    ));
                }
                dom.push((format!("{prefix}:{}", name.to_lowercase()), owner));
            }
        }
        Ok(Self { automata, dom })
    }

    /// Calls `hit(owner, evidence)` for every signature whose pattern occurs in `text`.
    /// Inline scripts must be lower-cased; a source or link is matched whatever its ASCII case.
    pub fn scan(&self, kind: Evidence, text: &str, mut hit: impl FnMut(usize, Evidence)) {
        for (k, ac, owners) in &self.automata {
            // Most texts match nothing: a search that stops at the first match says so far
            // faster than the overlapping walk, which reads every text to its end.
            if *k == kind && ac.is_match(text) {
                for m in ac.find_overlapping_iter(text) {
                    hit(owners[m.pattern().as_usize()], kind);
                }
            }
        }
    }

    /// The DOM markers of the signature `owner`, as `kind:name`.
    pub fn markers_of(&self, owner: usize) -> impl Iterator<Item = &str> {
        self.dom
            .iter()
            .filter(move |(_, o)| *o == owner)
            .map(|(marker, _)| marker.as_str())
    }

    /// The DOM markers this matcher looks for, as `kind:name`.
    pub fn dom_markers(&self) -> impl Iterator<Item = &str> {
        self.dom.iter().map(|(marker, _)| marker.as_str())
    }

    /// Calls `hit` for every signature with a DOM marker that `has_marker` confirms.
    pub fn scan_dom(
        &self,
        has_marker: impl Fn(&str) -> bool,
        mut hit: impl FnMut(usize, Evidence),
    ) {
        for (marker, owner) in &self.dom {
            if has_marker(marker) {
                hit(*owner, Evidence::Dom);
            }
        }
    }
}

/// The compiled signatures.
#[derive(Debug)]
pub struct Signatures {
    pub widgets: Vec<WidgetSignature>,
    pub widget_matcher: Matcher,
    pub captchas: Vec<CaptchaSignature>,
    pub captcha_matcher: Matcher,
    pub form_backends: Vec<FormBackend>,
    /// Forms a plugin's script sends to the site's own server (Contact Form 7, Elementor):
    /// the same evidence as a back end, and `by_script` is implied.
    pub form_scripts: Vec<FormBackend>,
    pub call_tracking: Vec<CallTracking>,
}

impl Signatures {
    pub(super) fn from_toml(text: &str) -> Result<Self, String> {
        let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        for id in raw
            .widget
            .iter()
            .map(|w| &w.id)
            .chain(raw.captcha.iter().map(|c| &c.id))
            .chain(raw.form_backend.iter().map(|b| &b.id))
            .chain(raw.form_script.iter().map(|b| &b.id))
            .chain(raw.call_tracking.iter().map(|c| &c.id))
        {
            if !seen.insert(id) {
                return Err(format!("signature id {id:?} appears twice"));
            }
        }
        let widget_matcher = Matcher::build(
            &raw.widget
                .iter()
                .map(|w| evidence_of!(w))
                .collect::<Vec<_>>(),
        )?;
        let captcha_matcher = Matcher::build(
            &raw.captcha
                .iter()
                .map(|c| evidence_of!(c))
                .collect::<Vec<_>>(),
        )?;
        Ok(Self {
            widgets: raw
                .widget
                .into_iter()
                .map(|w| WidgetSignature {
                    id: w.id,
                    name: w.name,
                    kind: w.kind,
                })
                .collect(),
            widget_matcher,
            captchas: raw
                .captcha
                .into_iter()
                .map(|c| CaptchaSignature { id: c.id })
                .collect(),
            captcha_matcher,
            form_backends: raw.form_backend,
            form_scripts: raw.form_script,
            call_tracking: raw
                .call_tracking
                .into_iter()
                .map(|c| CallTracking {
                    script: c.script.iter().map(|p| p.to_lowercase()).collect(),
                    ..c
                })
                .collect(),
        })
    }

    /// The call-tracking services whose script is on a page, by name: `srcs` are its
    /// `<script src>` values and `inline` its inline scripts, all lower-cased.
    pub fn call_tracking_on(&self, srcs: &[String], inline: &str) -> Vec<String> {
        self.call_tracking
            .iter()
            .filter(|service| {
                service.script.iter().any(|pattern| {
                    inline.contains(pattern.as_str()) || srcs.iter().any(|s| s.contains(pattern))
                })
            })
            .map(|service| service.name.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::rulebook::BUILTIN;
    use crate::types::contact::Evidence;

    fn widgets_in(kind: Evidence, text: &str) -> Vec<&'static str> {
        let signatures = &BUILTIN.signatures;
        let mut found = Vec::new();
        signatures.widget_matcher.scan(kind, text, |owner, _| {
            found.push(signatures.widgets[owner].id.as_str());
        });
        found
    }

    #[test]
    fn a_link_is_matched_in_any_ascii_case_and_only_where_a_pattern_is() {
        for href in [
            "https://yandex.ru/maps/-/CDabc",
            "HTTPS://YANDEX.RU/MAPS/-/CDabc",
            "https://Yandex.Ru/Maps/213/moscow/",
        ] {
            assert_eq!(
                widgets_in(Evidence::LinkHref, href),
                ["yandex-map"],
                "{href}"
            );
        }
        for href in ["/catalog/maps.html", "https://example.ru/yandex/", ""] {
            assert!(widgets_in(Evidence::LinkHref, href).is_empty(), "{href}");
        }
    }

    #[test]
    fn an_inline_script_is_matched_as_it_was_lower_cased() {
        assert!(
            widgets_in(Evidence::Inline, "var s = 'code.jivosite.com/widget/x';").contains(&"jivo")
        );
        assert!(widgets_in(Evidence::Inline, "function f() { return 1; }").is_empty());
    }
}
