//! What a cell's text means as a value: which characters are invisible
//! (and are trimmed off a value, and shown escaped in messages), and which
//! texts are spreadsheet error values rather than values.

use std::borrow::Cow;

/// Excel's error values, as a cell shows them (also as a formula's result,
/// and as a CSV export writes them).
pub const ERROR_VALUES: [&str; 8] = [
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#GETTING_DATA",
];

/// True when `text` (trimmed) is one of [`ERROR_VALUES`].
pub fn is_error_value(text: &str) -> bool {
    let t = trim_value(text);
    t.starts_with('#') && ERROR_VALUES.contains(&t)
}

/// True for a character a reader cannot see in a cell: whitespace other
/// than the ordinary space (tabs, line breaks, no-break and other Unicode
/// spaces), zero-width characters and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    (c.is_whitespace() && c != ' ')
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
}

/// The value a cell's text stands for: without leading and trailing spaces
/// and invisible characters. A text made only of them is no value (`""`).
pub fn trim_value(text: &str) -> &str {
    let blank = |c: char| c == ' ' || is_invisible(c);
    // Most values start and end with a visible ASCII character.
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        _ => text.trim_matches(blank),
    }
}

/// `text` with every invisible character written as a Rust-style escape
/// (`US\u{a0}`), so a message never shows it invisibly.
pub fn escape_invisible(text: &str) -> Cow<'_, str> {
    // Printable ASCII (most messages) has nothing to escape.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) || !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The invisible characters of `text` and where each is: `(char, at the
/// start / end / inside)`, first occurrence of each, in order.
pub fn invisible_chars(text: &str) -> Vec<(char, Place)> {
    // Most values: printable ASCII, no space at either end.
    let b = text.as_bytes();
    if b.iter().all(|&c| (b' '..=b'~').contains(&c))
        && b.first().is_none_or(|&c| c != b' ')
        && b.last().is_none_or(|&c| c != b' ')
    {
        return Vec::new();
    }
    let visible = trim_value(text);
    let start = visible.as_ptr().addr() - text.as_ptr().addr();
    let end = start + visible.len();
    let mut out: Vec<(char, Place)> = Vec::new();
    for (i, c) in text.char_indices() {
        let place = if visible.is_empty() {
            Place::Whole
        } else if i < start {
            Place::Start
        } else if i >= end {
            Place::End
        } else {
            Place::Inside
        };
        let counts = is_invisible(c) || (c == ' ' && place != Place::Inside);
        if counts && !out.iter().any(|(d, p)| *d == c && *p == place) {
            out.push((c, place));
        }
    }
    out
}

/// Where in a value a character is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Before the first visible character.
    Start,
    /// After the last visible character.
    End,
    /// Between visible characters.
    Inside,
    /// The text has no visible character.
    Whole,
}

impl Place {
    /// `at the start`, `at the end`, `inside`, or `only`.
    pub fn describe(self) -> &'static str {
        match self {
            Place::Start => "at the start",
            Place::End => "at the end",
            Place::Inside => "inside",
            Place::Whole => "as the whole value",
        }
    }
}

/// A character's name for messages: `U+00A0 (no-break space)`.
pub fn char_name(c: char) -> String {
    let name = match c {
        ' ' => "space",
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{00A0}' => "no-break space",
        '\u{00AD}' => "soft hyphen",
        '\u{2007}' => "figure space",
        '\u{202F}' => "narrow no-break space",
        '\u{3000}' => "ideographic space",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "byte-order mark",
        c if c.is_whitespace() => "Unicode space",
        _ => "invisible character",
    };
    format!("U+{:04X} ({name})", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_lose_invisible_edges() {
        assert_eq!(trim_value(" US\u{a0}"), "US");
        assert_eq!(trim_value("\u{200b}"), "");
        assert_eq!(trim_value("\u{feff}Full Extract\t"), "Full Extract");
        assert_eq!(trim_value("Full\u{a0}Extract"), "Full\u{a0}Extract");
        assert_eq!(trim_value("plain"), "plain");
    }

    #[test]
    fn invisible_characters_are_named_and_escaped() {
        assert_eq!(escape_invisible("US\u{a0}"), "US\\u{a0}");
        assert_eq!(
            escape_invisible("Full\u{200b}Extract"),
            "Full\\u{200b}Extract"
        );
        assert_eq!(escape_invisible("plain"), "plain");
        assert_eq!(invisible_chars("US\u{a0}"), vec![('\u{a0}', Place::End)]);
        assert_eq!(
            invisible_chars(" Full\u{200b}Extract "),
            vec![
                (' ', Place::Start),
                ('\u{200b}', Place::Inside),
                (' ', Place::End)
            ]
        );
        assert_eq!(invisible_chars("Full Extract"), vec![]);
        assert_eq!(
            invisible_chars("\u{200b}"),
            vec![('\u{200b}', Place::Whole)]
        );
        assert_eq!(char_name('\u{a0}'), "U+00A0 (no-break space)");
    }

    #[test]
    fn error_values() {
        assert!(is_error_value("#N/A"));
        assert!(is_error_value(" #REF! "));
        assert!(!is_error_value("#1 hit"));
        assert!(!is_error_value("N/A"));
    }
}
