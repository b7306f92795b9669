//! `--format json`: the documented contract (`"schema": 1`), see docs/json.md.
//!
//! Written straight to its file or to stdout as it is serialised: the report of a
//! 50,000-page site is ~140 MB of JSON, which as one string was the run's peak memory.
//! Text from the site that could drive a terminal (C1 controls, DEL, bidi overrides) is
//! written as `\uXXXX` escapes: the same string to a JSON reader, inert on a screen.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::Report;

/// Writes the report as pretty-printed JSON to `writer`, with a final newline.
///
/// # Errors
/// Writing failed.
pub fn write(report: &Report<'_>, writer: impl Write) -> io::Result<()> {
    let mut writer = io::BufWriter::with_capacity(64 * 1024, writer);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut writer, InertFormatter(PrettyFormatter::new()));
    report
        .serialize(&mut serializer)
        .map_err(io::Error::other)?;
    writer.write_all(b"\n")?;
    writer.flush()
}

/// Renders the report as pretty-printed JSON.
pub fn render(report: &Report<'_>) -> String {
    let mut bytes = Vec::with_capacity(64 * 1024);
    write(report, &mut bytes).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("serde_json writes UTF-8")
}

/// serde_json escapes what JSON requires (`"`, `\`, controls below U+0020); a terminal also
/// obeys DEL, the C1 controls and bidi overrides.
fn drives_a_terminal(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The pretty formatter, escaping [`drives_a_terminal`] characters inside strings.
struct InertFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for InertFormatter<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(drives_a_terminal) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().expect("found above");
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_that_drive_a_terminal_are_escaped_and_read_back_the_same() {
        let text = "a\u{9b}31mb\u{202e}c\u{7f}d\u{1b}[2Je";
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(
            &mut out,
            InertFormatter(PrettyFormatter::new()),
        );
        text.serialize(&mut serializer).unwrap();
        let written = String::from_utf8(out).unwrap();
        assert_eq!(written, r#""a\u009b31mb\u202ec\u007fd\u001b[2Je""#);
        let back: String = serde_json::from_str(&written).unwrap();
        assert_eq!(back, text);
    }
}
