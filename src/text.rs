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
