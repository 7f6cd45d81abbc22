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
    /// Line and column at the start of each [`BLOCK`] of the text, made
    /// when a line and column is first asked for.
    blocks: OnceLock<Vec<(u32, u32)>>,
}

/// Bytes per entry of [`SourceText`]'s line and column index: a position
/// is counted from the start of its block, over at most this many bytes.
const BLOCK: usize = 1024;

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
            blocks: OnceLock::new(),
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn newlines(&self) -> &[usize] {
        self.newlines
            .get_or_init(|| memchr::memchr_iter(b'\n', self.text.as_bytes()).collect())
    }

    /// The 1-based line and column (in characters) of byte `offset` (the
    /// end of the text when past it). Any order of offsets costs the same:
    /// each is counted from the start of its block.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let bytes = self.text.as_bytes();
        let offset = offset.min(bytes.len());
        let blocks = self.blocks.get_or_init(|| block_starts(bytes));
        let start = offset / BLOCK * BLOCK;
        let (line, col) = blocks[offset / BLOCK];
        advance((line, col), &bytes[start..offset])
    }

    /// The 1-based line of byte `offset`, counted on from `mark`: an
    /// earlier offset and its line (a reader asking in document order
    /// counts each newline once).
    pub fn line_from(&self, mark: (usize, u32), offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        match self.text.as_bytes().get(mark.0..offset) {
            Some(between) => mark.1.saturating_add(newlines(between)),
            None => self.line_col(offset).0,
        }
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
}

/// The line and column at the start of each [`BLOCK`] of `bytes`, and at
/// its end when that is a block boundary.
fn block_starts(bytes: &[u8]) -> Vec<(u32, u32)> {
    let mut starts = Vec::with_capacity(bytes.len() / BLOCK + 1);
    let mut at = (1, 1);
    for block in bytes.chunks(BLOCK) {
        starts.push(at);
        at = advance(at, block);
    }
    if bytes.len().is_multiple_of(BLOCK) {
        starts.push(at);
    }
    starts
}

/// The line and column after `bytes`, starting at `(line, col)`.
fn advance((line, col): (u32, u32), bytes: &[u8]) -> (u32, u32) {
    match memchr::memrchr(b'\n', bytes) {
        None => (line, col.saturating_add(chars(bytes))),
        Some(last) => (
            line.saturating_add(newlines(&bytes[..last]) + 1),
            chars(&bytes[last + 1..]) + 1,
        ),
    }
}

/// Number of `\n` in `bytes`.
fn newlines(bytes: &[u8]) -> u32 {
    u32::try_from(bytecount::count(bytes, b'\n')).unwrap_or(u32::MAX)
}

/// Characters = bytes that are not UTF-8 continuation bytes.
fn chars(bytes: &[u8]) -> u32 {
    u32::try_from(bytecount::num_chars(bytes)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_matches_a_plain_count() {
        // Long lines and non-ASCII characters across block boundaries.
        let text = "ab\nc\u{e9}d\u{1F600}\n\n  <x>\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}</x>\r\n"
            .repeat(70)
            + &"long line \u{e9} ".repeat(300)
            + "\n";
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
        let source = SourceText::new(text.clone());
        // Every offset, in a scrambled order; past the end is the end.
        let n = text.len() + 3;
        for k in 0..n {
            let offset = k * 7919 % n;
            assert_eq!(
                source.line_col(offset),
                plain(offset.min(text.len())),
                "offset {offset}"
            );
        }
        // A text that ends on a block boundary has an entry for its end.
        let exact = SourceText::new("a\n".repeat(BLOCK / 2));
        assert_eq!(exact.line_col(BLOCK), (BLOCK as u32 / 2 + 1, 1));
    }

    /// Counting on from a mark gives the line `line_col` gives, in document
    /// order, from a mark past the offset, and past the end.
    #[test]
    fn line_from_a_mark_matches_line_col() {
        let text = "a\r\nb\n\n\u{e9}\n".repeat(400);
        let source = SourceText::new(text.clone());
        let mut mark = (0, 1);
        for offset in (0..text.len() + 5).step_by(3) {
            let line = source.line_from(mark, offset);
            assert_eq!(line, source.line_col(offset).0, "offset {offset}");
            mark = (offset.min(text.len()), line);
        }
        assert_eq!(source.line_from((50, 18), 10), source.line_col(10).0);
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
