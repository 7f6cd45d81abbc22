//! CSV exports of one EMA sheet (UTF-8 with or without BOM; UTF-16 and
//! Windows-1252 are decoded with a warning).

use super::sheet::{RawRow, SheetInput, SheetOutcome, build};
use super::text::decode_lenient;
use super::{Note, NoteKind, ReadError, ReadOptions, ReadOutput};
use crate::model::avail::Interner;
use crate::model::{Cell, CellKind, Location, SourceKind};
use std::cell::RefCell;

/// Reads a CSV file as one sheet.
pub fn read(
    bytes: &[u8],
    file: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let mut notes = Vec::new();
    let (text, encoding) = decode_lenient(bytes);
    if let Some(enc) = encoding {
        notes.push(Note {
            kind: NoteKind::Encoding,
            location: Location::file(file),
            message: format!("the file is not UTF-8; it was decoded as {enc}"),
            help: Some("save the CSV as UTF-8 (Excel: File › Save As › CSV UTF-8) so every system reads the same characters".into()),
        });
    }
    let mut records = Records::new(&text, sniff_delimiter(&text));
    let mut rows = Vec::new();
    let mut interner = Interner::default();
    let mut places = RecordPlaces::default();
    while let Some(record) = records.next() {
        let record = record.map_err(|line| {
            ReadError::UnknownFormat(format!("is not valid CSV at line {line}: not UTF-8"))
        })?;
        let (row, line) = places.next(&text, Some(record.start));
        let cells: Vec<Cell> = record
            .fields()
            .enumerate()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(col, v)| {
                Cell::new(col, interner.intern(v), CellKind::Text)
                    .with_formula(v.starts_with('=').then(|| v.to_string()))
            })
            .collect();
        if !cells.is_empty() {
            rows.push(RawRow {
                row,
                line,
                cells,
                hidden: false,
            });
        }
    }
    let input = SheetInput {
        file,
        file_index,
        sheet: None,
        sheet_index: 0,
        source: SourceKind::Csv,
        rows: Box::new(rows.into_iter()),
        faq_version: None,
        hidden: false,
        merged: Vec::new(),
        forced: false,
    };
    let mut sheets = Vec::new();
    match build(input, opts, &mut notes) {
        SheetOutcome::Data(s) => sheets.push(s),
        SheetOutcome::Skipped(n) => {
            return Err(ReadError::UnknownFormat(format!(
                "is a text file but not an EMA avails CSV: {}",
                n.message.replace("sheet not checked", "nothing to check")
            )));
        }
        SheetOutcome::UnknownVersion(e) => return Err(ReadError::UnknownVersion(e)),
    }
    Ok(ReadOutput {
        source: SourceKind::Csv,
        sheets,
        notes,
        text: None,
        avails: Vec::new(),
    })
}

/// Where the records of a CSV text are: each record's row as a spreadsheet
/// shows the file (one row per record, blank lines included, whatever line
/// breaks its quoted cells hold) and the file line the record starts on.
/// Line breaks are counted as the csv crate reads them: `\r\n`, `\n` or a
/// lone `\r`.
#[derive(Default)]
pub(super) struct RecordPlaces {
    /// The last record's row.
    row: u64,
    /// Bytes of the text looked at so far (up to the last record's start).
    scanned: usize,
    /// Line breaks in the text before `scanned`.
    breaks: u64,
}

impl RecordPlaces {
    /// (row, line) in `text` of the record after the last one, which
    /// starts at byte `start` (where reading it began, before the blank
    /// lines it skipped, as the csv crate places records).
    pub(super) fn next(&mut self, text: &str, start: Option<usize>) -> (u32, u32) {
        let bytes = text.as_bytes();
        let at = start
            .unwrap_or(self.scanned)
            .clamp(self.scanned, bytes.len());
        // The last record's own line breaks and its end.
        self.breaks += line_breaks(bytes, self.scanned, at);
        let mut start = at;
        // The `\n` of a `\r\n` whose `\r` ended the last record.
        if at > 0 && bytes[at - 1] == b'\r' && bytes.get(at) == Some(&b'\n') {
            start += 1;
            self.breaks += 1;
        }
        let mut blank = 0;
        while let Some(&b) = bytes.get(start) {
            match b {
                b'\r' if bytes.get(start + 1) == Some(&b'\n') => start += 2,
                b'\r' | b'\n' => start += 1,
                _ => break,
            }
            blank += 1;
        }
        self.breaks += blank;
        self.scanned = start;
        // Blank lines are rows too.
        self.row += 1 + blank;
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        (small(self.row), small(self.breaks + 1))
    }
}

/// The delimiters [`sniff_delimiter`] chooses from.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

thread_local! {
    /// Parsers built on this thread, one per delimiter of [`DELIMITERS`],
    /// while no [`Records`] holds them.
    static PARSERS: RefCell<[Option<csv_core::Reader>; 3]> = const { RefCell::new([None, None, None]) };
}

/// The records of a CSV text as the csv crate reads them (no header row,
/// any number of fields per record), each with the byte it starts at. Its
/// parser (`csv_core`) is built once per thread and delimiter and reset for
/// each text: building its state machine costs more than reading a small
/// file. (Reset, not cloned: csv-core 0.1.13's `Clone` of a parser copies
/// only part of its state machine, and the copy misreads.)
struct Records<'t> {
    text: &'t [u8],
    /// Bytes read so far.
    at: usize,
    /// Position of the delimiter in [`DELIMITERS`].
    delimiter: usize,
    core: csv_core::Reader,
    /// The current record's fields, one after another (quotes removed).
    fields: Vec<u8>,
    /// Where each field of `fields` ends.
    ends: Vec<usize>,
}

/// One record of [`Records`].
struct Record<'r> {
    /// The byte of the text where reading it began.
    start: usize,
    fields: &'r str,
    ends: &'r [usize],
}

impl Record<'_> {
    fn fields(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends).map(|(a, &b)| &self.fields[a..b])
    }
}

impl<'t> Records<'t> {
    fn new(text: &'t str, delimiter: u8) -> Self {
        let i = DELIMITERS
            .iter()
            .position(|&d| d == delimiter)
            .expect("a delimiter of DELIMITERS");
        let mut core = PARSERS
            .with(|p| p.borrow_mut()[i].take())
            .unwrap_or_else(|| csv_core::ReaderBuilder::new().delimiter(delimiter).build());
        core.reset();
        Records {
            text: text.as_bytes(),
            at: 0,
            delimiter: i,
            core,
            fields: vec![0; 1024],
            ends: vec![0; 64],
        }
    }

    /// The next record, or the line of one whose fields are not UTF-8
    /// (never, as fields are cut from a `str` at ASCII bytes).
    fn next(&mut self) -> Option<Result<Record<'_>, u64>> {
        use csv_core::ReadRecordResult as R;
        let start = self.at;
        let (mut out, mut end) = (0, 0);
        loop {
            let (res, nin, nout, nend) = self.core.read_record(
                &self.text[self.at..],
                &mut self.fields[out..],
                &mut self.ends[end..],
            );
            self.at += nin;
            out += nout;
            end += nend;
            match res {
                // The next call has no input left: the parser ends the record.
                R::InputEmpty => {}
                R::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record => {
                    return Some(match std::str::from_utf8(&self.fields[..out]) {
                        Ok(fields) => Ok(Record {
                            start,
                            fields,
                            ends: &self.ends[..end],
                        }),
                        Err(_) => Err(self.core.line()),
                    });
                }
                R::End => return None,
            }
        }
    }
}

impl Drop for Records<'_> {
    fn drop(&mut self) {
        let core = std::mem::take(&mut self.core);
        PARSERS.with(|p| p.borrow_mut()[self.delimiter] = Some(core));
    }
}

/// Line breaks in `bytes[from..to]` (`\r\n` is one).
fn line_breaks(bytes: &[u8], from: usize, to: usize) -> u64 {
    (from..to)
        .filter(|&i| match bytes[i] {
            b'\n' => true,
            b'\r' => bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count() as u64
}

/// The delimiter of the first lines: `;` or a tab when either is more
/// common there than `,`.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().take(3).collect::<String>();
    let count = |c: char| first.matches(c).count();
    if count(';') > count(',') && count(';') > count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    /// (row, line) of every record of `text`.
    fn places(text: &str) -> Vec<(u32, u32)> {
        let mut records = Records::new(text, b',');
        let mut p = RecordPlaces::default();
        let mut out = Vec::new();
        while let Some(r) = records.next() {
            out.push(p.next(text, Some(r.unwrap().start)));
        }
        out
    }

    /// (start byte, fields) of every record, read by [`Records`].
    fn ours(text: &str, delimiter: u8) -> Vec<(usize, Vec<String>)> {
        let mut records = Records::new(text, delimiter);
        let mut out = Vec::new();
        while let Some(r) = records.next() {
            let r = r.unwrap();
            out.push((r.start, r.fields().map(str::to_string).collect()));
        }
        out
    }

    /// The same, read by the csv crate as the reader read CSV before.
    fn csv_crate(text: &str, delimiter: u8) -> Vec<(usize, Vec<String>)> {
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| {
                let r = r.unwrap();
                let start = r.position().map_or(0, |p| p.byte() as usize);
                (start, r.iter().map(str::to_string).collect())
            })
            .collect()
    }

    #[test]
    fn a_reused_parser_reads_like_a_new_one() {
        // The second text is read by the parser the first left, mid-quote.
        assert_eq!(ours("\"open,a", b','), csv_crate("\"open,a", b','));
        assert_eq!(ours("a,b\nc", b','), csv_crate("a,b\nc", b','));
        assert_eq!(ours("", b','), []);
    }

    #[test]
    fn records_are_the_csv_crates() {
        for text in [
            "",
            "a,b\nc",
            "\u{FEFF}a,\"b\"\"c\",\r\n\r\n\"x\ny\"z,é\r",
            "\"unterminated,a\nb",
            &"long field ".repeat(300),
            &"a,".repeat(200),
        ] {
            for d in DELIMITERS {
                assert_eq!(ours(text, d), csv_crate(text, d), "{text:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn records_are_the_csv_crates_for_any_text(
            text in "[a,;\t\"\r\n é\u{FEFF}]{0,80}",
            d in prop::sample::select(DELIMITERS.to_vec()),
        ) {
            prop_assert_eq!(ours(&text, d), csv_crate(&text, d));
        }
    }

    #[test]
    fn rows_are_records_and_lines_count_every_break() {
        assert_eq!(places("a\nb\nc\n"), [(1, 1), (2, 2), (3, 3)]);
        assert_eq!(places("a\r\nb\r\n\r\nc\r\n"), [(1, 1), (2, 2), (4, 4)]);
        // A lone CR ends a line too (old Mac files).
        assert_eq!(places("a\rb\rc"), [(1, 1), (2, 2), (3, 3)]);
        // A quoted cell with line breaks is one row over several lines.
        assert_eq!(places("a\n\"x\r\ny\ny\"\nb\n"), [(1, 1), (2, 2), (3, 5)]);
        // Leading blank lines.
        assert_eq!(places("\n\na\n"), [(3, 3)]);
        for text in [
            "a\rb\r\n\rc",
            "\"\r\"\r\n\r\"\n\"",
            "\n\r\n\r",
            "a\r\n\r\nb",
        ] {
            for (row, line) in places(text) {
                assert!(line >= row, "{text:?}: row {row}, line {line}");
            }
        }
    }
}
