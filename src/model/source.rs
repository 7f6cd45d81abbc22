//! The text of an input file as its reader decoded it, with a line index:
//! readers hand it out so that a report can show the lines under a finding
//! without reading the file again (renderers depend on the model, never on
//! a reader).

use std::sync::OnceLock;

/// An input's decoded text. The byte spans of
/// [`Location::span`](super::Location::span) are offsets into it.
pub struct SourceText {
    text: String,
    /// Offsets of the `\n`s, found when first asked for (only reports that
    /// show source lines need them).
    newlines: OnceLock<Vec<usize>>,
}

impl std::fmt::Debug for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceText({} bytes)", self.text.len())
    }
}

impl SourceText {
    /// The source of `text`.
    pub fn new(text: String) -> Self {
        SourceText {
            text,
            newlines: OnceLock::new(),
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn newlines(&self) -> &[usize] {
        self.newlines.get_or_init(|| {
            self.text
                .bytes()
                .enumerate()
                .filter_map(|(i, b)| (b == b'\n').then_some(i))
                .collect()
        })
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.newlines().partition_point(|&n| n < offset)
    }

    /// Where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        match line {
            0 => 0,
            k => self.newlines()[k - 1] + 1,
        }
    }

    /// Just past the end of 0-based line `line`: after its `\n`, or the end
    /// of the text for the last line.
    pub fn line_end(&self, line: usize) -> usize {
        self.newlines().get(line).map_or(self.text.len(), |n| n + 1)
    }

    /// A cursor giving the line and column of offsets met while streaming
    /// through the text.
    pub fn cursor(&self) -> LineCursor<'_> {
        LineCursor::new(&self.text)
    }
}

/// Byte offset → 1-based line and column (in characters), for offsets that
/// mostly grow, as while streaming: each answer is counted on from the last
/// one, over the bytes in between only (a minified one-line file would
/// otherwise cost O(n²)).
pub struct LineCursor<'a> {
    bytes: &'a [u8],
    /// Whether the text is all ASCII (most avails are): then a column is a
    /// byte count and only newlines need finding.
    ascii: bool,
    /// The last answer.
    at: std::cell::Cell<Cursor>,
}

/// A position of the [`LineCursor`].
#[derive(Clone, Copy)]
struct Cursor {
    offset: usize,
    line: u32,
    col: u32,
    /// Offset where `line` starts.
    line_start: usize,
}

impl Cursor {
    /// [`Cursor::advance`] over ASCII bytes: only newlines matter.
    fn advance_ascii(&mut self, ahead: &[u8]) {
        let (words, rest) = ahead.as_chunks::<8>();
        let mut at = self.offset;
        for w in words {
            let nl = newline_bits(u64::from_le_bytes(*w));
            if nl != 0 {
                self.line += count_high(nl);
                // After the word's last newline.
                self.line_start = at + (63 - nl.leading_zeros()) as usize / 8 + 1;
            }
            at += 8;
        }
        for b in rest {
            at += 1;
            if *b == b'\n' {
                self.line += 1;
                self.line_start = at;
            }
        }
        self.offset = at;
        self.col = (at - self.line_start) as u32 + 1;
    }

    /// Moves forward over `ahead`, the bytes from `self.offset` on.
    fn advance(&mut self, ahead: &[u8]) {
        let (words, rest) = ahead.as_chunks::<8>();
        let mut at = self.offset;
        for w in words {
            let w = u64::from_le_bytes(*w);
            let nl = newline_bits(w);
            if nl == 0 {
                // ASCII words are eight characters.
                self.col += if w & HIGH == 0 {
                    8
                } else {
                    count_high(char_bits(w))
                };
            } else {
                // Byte index (0..8) of the word's last newline.
                let last = (63 - nl.leading_zeros()) / 8;
                let after = HIGH.checked_shl(8 * (last + 1)).unwrap_or(0);
                self.line += count_high(nl);
                self.line_start = at + last as usize + 1;
                self.col = count_high(char_bits(w) & after) + 1;
            }
            at += 8;
        }
        for b in rest {
            at += 1;
            if *b == b'\n' {
                self.line += 1;
                self.line_start = at;
                self.col = 1;
            } else if (*b & 0xC0) != 0x80 {
                self.col += 1;
            }
        }
        self.offset = at;
    }
}

/// Each byte's high bit set: counting is done eight bytes at a time, a
/// byte's high bit marking a match.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// High bits of the bytes of `w` that are `\n`.
fn newline_bits(w: u64) -> u64 {
    let x = w ^ (u64::from(b'\n') * 0x0101_0101_0101_0101);
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

/// High bits of the bytes of `w` that start a character (are not UTF-8
/// continuation bytes, 10xxxxxx).
fn char_bits(w: u64) -> u64 {
    !(w & !(w << 1)) & HIGH
}

/// Number of high bits set in `bits` (only high bits may be set).
fn count_high(bits: u64) -> u32 {
    ((bits >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// `bytes` as little-endian words, the last one padded with `pad`.
fn words(bytes: &[u8], pad: u8) -> impl Iterator<Item = u64> + '_ {
    let (words, rest) = bytes.as_chunks::<8>();
    let mut last = [pad; 8];
    last[..rest.len()].copy_from_slice(rest);
    words
        .iter()
        .map(|w| u64::from_le_bytes(*w))
        .chain((!rest.is_empty()).then(|| u64::from_le_bytes(last)))
}

/// Characters = bytes that are not UTF-8 continuation bytes.
fn chars(bytes: &[u8]) -> u32 {
    // Padding with continuation bytes counts nothing.
    words(bytes, 0x80).map(|w| count_high(char_bits(w))).sum()
}

fn newlines(bytes: &[u8]) -> u32 {
    words(bytes, 0).map(|w| count_high(newline_bits(w))).sum()
}

impl<'a> LineCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        LineCursor {
            bytes: text.as_bytes(),
            ascii: text.is_ascii(),
            at: std::cell::Cell::new(Cursor {
                offset: 0,
                line: 1,
                col: 1,
                line_start: 0,
            }),
        }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let bytes = self.bytes;
        let offset = offset.min(bytes.len());
        let mut c = self.at.get();
        if offset >= c.offset && self.ascii {
            c.advance_ascii(&bytes[c.offset..offset]);
        } else if offset >= c.offset {
            c.advance(&bytes[c.offset..offset]);
        } else if offset >= c.line_start {
            // Same line, further back: count from the nearer end.
            c.col = if c.offset - offset < offset - c.line_start {
                c.col.saturating_sub(chars(&bytes[offset..c.offset])).max(1)
            } else {
                chars(&bytes[c.line_start..offset]) + 1
            };
            c.offset = offset;
        } else {
            // An earlier line.
            c.line = c
                .line
                .saturating_sub(newlines(&bytes[offset..c.line_start]));
            c.line_start = bytes[..offset]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            c.col = chars(&bytes[c.line_start..offset]) + 1;
            c.offset = offset;
        }
        self.at.set(c);
        (c.line, c.col)
    }

    /// The bytes of the text.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_matches_a_plain_count() {
        let text = "ab\nc\u{e9}d\u{1F600}\n\n  <x>\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}</x>\r\n"
            .repeat(7)
            + &"long line \u{e9} ".repeat(9);
        cursor_counts(&text);
        // ASCII text takes a shorter way.
        let ascii = text.replace(['\u{e9}', '\u{1F600}'], "e");
        assert!(LineCursor::new(&ascii).ascii);
        cursor_counts(&ascii);
    }

    fn cursor_counts(text: &str) {
        let plain = |offset: usize| {
            let before = &text.as_bytes()[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let col = before[start..]
                .iter()
                .filter(|b| (**b & 0xC0) != 0x80)
                .count();
            (line, col as u32 + 1)
        };
        assert_eq!(chars("a\u{e9}\u{1F600}".as_bytes()), 3);
        let lines = LineCursor::new(text);
        let (mut seed, mut offset) = (0x9e37_79b9_u32, 0);
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            // Mostly short steps forward, as while streaming; some jumps.
            offset = match seed % 4 {
                0 => seed as usize >> 4,
                _ => offset + (seed as usize >> 4) % 40,
            } % (text.len() + 5);
            let plain_answer = plain(offset.min(text.len()));
            assert_eq!(lines.line_col(offset), plain_answer, "offset {offset}");
        }
    }

    #[test]
    fn lines_by_offset() {
        let s = SourceText::new("ab\ncd\n\nef".into());
        assert_eq!(s.line_of(0), 0);
        assert_eq!(s.line_of(2), 0);
        assert_eq!(s.line_of(3), 1);
        assert_eq!(s.line_of(7), 3);
        assert_eq!((s.line_start(1), s.line_end(1)), (3, 6));
        assert_eq!((s.line_start(3), s.line_end(3)), (7, 9));
    }
}
