//! Small helpers on text that several stages share (extraction, probe answers, mail bodies).

/// The largest index not above `at` that falls on a character boundary.
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Text safe to print on a terminal: a site's control characters (ESC sequences that clear
/// the screen, set the title or write the clipboard, BEL, carriage returns that overwrite a
/// line, bidirectional overrides) are dropped. Line breaks, tabs and colour (SGR, `ESC [ … m`,
/// what our tables paint severities with) stay.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            let sgr_len = rest[1..].strip_prefix('[').and_then(|params| {
                let end = params.find(|p: char| !(p.is_ascii_digit() || p == ';'))?;
                (params[end..].starts_with('m')).then_some(end + 3)
            });
            if let Some(len) = sgr_len {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        } else if !unsafe_char(c) {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod terminal_tests {
    use super::terminal_safe;

    #[test]
    fn a_sites_control_characters_never_reach_the_terminal() {
        let hostile = "info@example.com\u{1b}]52;c;ZXZpbA==\u{7}\r+7 \u{1b}[2J495\u{202e}moc";
        assert_eq!(
            terminal_safe(hostile),
            "info@example.com]52;c;ZXZpbA==+7 [2J495moc"
        );
        // Our own colours and layout stay.
        assert_eq!(
            terminal_safe("\u{1b}[31merror\u{1b}[0m\tx\n"),
            "\u{1b}[31merror\u{1b}[0m\tx\n"
        );
    }
}
