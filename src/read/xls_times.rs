//! Which cells of an .xls have a date-time number format. calamine gives an
//! .xls date as a serial flagged date-or-duration, without its format
//! (tafia/calamine#400), so a date-time at midnight (`2027-04-01 00:00`)
//! cannot be told from the date `2027-04-01`, which as an End means the
//! whole day. This reads the BIFF8 records that say it: the number formats
//! (FORMAT), the cell formats (XF) naming them, the sheets (BOUNDSHEET8),
//! and each number cell's XF (NUMBER, RK, MULRK, FORMULA).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::workbook::TimedCells;
use super::xlsx::{FormatClass, builtin_format, classify_format_code};

/// Per sheet name, the number cells whose format shows a date and a time.
pub type DateTimeCells = HashMap<String, TimedCells>;

/// Largest workbook stream read for this (a larger one is checked without).
const MAX_STREAM: u64 = 256 << 20;

/// The date-time cells of an .xls file; empty when it has none or its
/// records cannot be read (calamine, which read the file first, reports
/// real damage).
pub fn date_time_cells(bytes: &[u8]) -> DateTimeCells {
    // cfb is not this project's to vouch for on every input: a panic in it
    // costs this refinement, never the check.
    super::guard::guarded(|| read(bytes)).unwrap_or_default()
}

fn read(bytes: &[u8]) -> DateTimeCells {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return DateTimeCells::new();
    };
    let mut stream = Vec::new();
    let opened = file.open_stream("/Workbook");
    let Ok(s) = opened else {
        return DateTimeCells::new();
    };
    if s.take(MAX_STREAM).read_to_end(&mut stream).is_err() {
        return DateTimeCells::new();
    }
    let mut formats: HashMap<u16, FormatClass> = HashMap::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (kind, data) in records(&stream, 0) {
        match kind {
            // FORMAT: ifmt, then the format code as an XLUnicodeString.
            0x041E if data.len() >= 5 => {
                let id = u16::from_le_bytes([data[0], data[1]]);
                if let Some(code) = unicode_string(&data[2..], 2) {
                    formats.insert(id, classify_format_code(&code));
                }
            }
            // XF: ifnt, ifmt, …
            0x00E0 if data.len() >= 4 => xf_formats.push(u16::from_le_bytes([data[2], data[3]])),
            // BOUNDSHEET8: the sheet's BOF offset, state, type, name.
            0x0085 if data.len() >= 8 => {
                let at = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                if data[5] == 0
                    && let Some(name) = unicode_string(&data[6..], 1)
                {
                    sheets.push((at, name));
                }
            }
            // EOF of the workbook globals.
            0x000A => break,
            _ => {}
        }
    }
    let date_time = |xf: u16| {
        let Some(&ifmt) = xf_formats.get(usize::from(xf)) else {
            return false;
        };
        let class = formats
            .get(&ifmt)
            .copied()
            .unwrap_or_else(|| builtin_format(u32::from(ifmt)));
        class == FormatClass::DateTime
    };
    let mut out = DateTimeCells::new();
    for (at, name) in sheets {
        let mut cells = TimedCells::default();
        for (kind, data) in records(&stream, at).skip(1) {
            match kind {
                // NUMBER, RK, FORMULA: row, column, XF, value.
                0x0203 | 0x027E | 0x0006 if data.len() >= 6 => {
                    let (row, col, xf) = (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4));
                    if date_time(xf) {
                        cells.insert(u32::from(row), u32::from(col), 1, 1);
                    }
                }
                // MULRK: row, first column, (XF, RK) × n, last column.
                0x00BD if data.len() >= 10 => {
                    let (row, first) = (u16_at(data, 0), u16_at(data, 2));
                    for (i, entry) in data[4..data.len() - 2].chunks_exact(6).enumerate() {
                        if date_time(u16_at(entry, 0)) {
                            let col = u32::from(first) + i as u32;
                            cells.insert(u32::from(row), col, 1, 1);
                        }
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        if !cells.is_empty() {
            out.insert(name, cells);
        }
    }
    out
}

/// Each worksheet's name and the number of cells calamine makes room for:
/// the rectangle its cell records span, or the one its DIMENSIONS record
/// declares, whichever is larger. `stream` is the Workbook stream.
pub(super) fn sheet_areas(stream: &[u8]) -> Vec<(String, u64)> {
    let sheets: Vec<(usize, String)> = records(stream, 0)
        .take_while(|(kind, _)| *kind != 0x000A)
        .filter(|(kind, data)| *kind == 0x0085 && data.len() >= 8 && data[5] == 0)
        .filter_map(|(_, data)| {
            let at = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
            Some((at, unicode_string(&data[6..], 1)?))
        })
        .collect();
    sheets
        .into_iter()
        .map(|(at, name)| {
            // (first row, last row, first column, last column).
            let mut area: Option<(u64, u64, u64, u64)> = None;
            let mut declared = 0u64;
            let mut add = |row: u16, first: u16, last: u16| {
                let (r, c0, c1) = (u64::from(row), u64::from(first), u64::from(last.max(first)));
                let a = area.get_or_insert((r, r, c0, c1));
                *a = (a.0.min(r), a.1.max(r), a.2.min(c0), a.3.max(c1));
            };
            for (kind, data) in records(stream, at).skip(1) {
                match kind {
                    // Cells with a value: NUMBER, RK, FORMULA, LABELSST,
                    // LABEL, BOOLERR, RSTRING, BLANK.
                    0x0203 | 0x027E | 0x0006 | 0x00FD | 0x0204 | 0x0205 | 0x00D6 | 0x0201
                        if data.len() >= 4 =>
                    {
                        add(u16_at(data, 0), u16_at(data, 2), u16_at(data, 2));
                    }
                    // MULRK, MULBLANK: row, first column, …, last column.
                    0x00BD | 0x00BE if data.len() >= 6 => {
                        add(
                            u16_at(data, 0),
                            u16_at(data, 2),
                            u16_at(data, data.len() - 2),
                        );
                    }
                    // DIMENSIONS: calamine reserves room for the rectangle
                    // it declares.
                    0x0200 => declared = declared.max(declared_cells(data)),
                    0x000A => break,
                    _ => {}
                }
            }
            let cells = area.map_or(0, |(r0, r1, c0, c1)| (r1 - r0 + 1) * (c1 - c0 + 1));
            (name, cells.max(declared))
        })
        .collect()
}

/// The cells a DIMENSIONS record declares, computed as calamine 0.38's
/// `parse_dimensions` and sheet reader do (xls.rs:663, 1114): rows and
/// columns from first to last, wrapping where it wraps.
fn declared_cells(data: &[u8]) -> u64 {
    let u32_at =
        |at: usize| u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)),
            u32::from(u16_at(data, 2)),
            u32::from(u16_at(data, 4)),
            u32::from(u16_at(data, 6)),
        ),
        14 | 16 => (
            u32_at(0),
            u32_at(4),
            u32::from(u16_at(data, 8)),
            u32::from(u16_at(data, 10)),
        ),
        _ => return 0,
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    let (end_row, end_col) = if last_row >= 1 && last_col >= 1 {
        (last_row - 1, last_col - 1)
    } else {
        (first_row, first_col)
    };
    let rows = u64::from(end_row.wrapping_sub(first_row).wrapping_add(1));
    let cols = u64::from(end_col.wrapping_sub(first_col).wrapping_add(1));
    rows.saturating_mul(cols)
}

fn u16_at(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

/// The BIFF records of `stream` from byte `at`: (type, data).
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let head = stream.get(at..at.checked_add(4)?)?;
        let (kind, len) = (u16_at(head, 0), usize::from(u16_at(head, 2)));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, data))
    })
}

/// A BIFF8 string: its length in `len_bytes` bytes (1 or 2), a flags byte
/// (bit 0: UTF-16LE, else one byte per character), the characters.
fn unicode_string(data: &[u8], len_bytes: usize) -> Option<String> {
    let len = match len_bytes {
        1 => usize::from(*data.first()?),
        _ => usize::from(u16::from_le_bytes([*data.first()?, *data.get(1)?])),
    };
    let flags = *data.get(len_bytes)?;
    let chars = &data[len_bytes + 1..];
    if flags & 1 == 1 {
        let units: Vec<u16> = chars
            .get(..len * 2)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(chars.get(..len)?.iter().map(|&b| char::from(b)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    #[test]
    fn records_stop_at_a_cut_and_strings_read_both_widths() {
        let mut s = record(0x0203, &[1, 0, 2, 0, 3, 0]);
        s.extend_from_slice(&[0xE0, 0x00, 50, 0]);
        let all: Vec<(u16, Vec<u8>)> = records(&s, 0).map(|(k, d)| (k, d.to_vec())).collect();
        assert_eq!(all, [(0x0203, vec![1, 0, 2, 0, 3, 0])]);
        assert_eq!(
            unicode_string(&[2, 0, 0, b'h', b'h'], 2).as_deref(),
            Some("hh")
        );
        assert_eq!(unicode_string(&[1, 1, b'x', 0], 1).as_deref(), Some("x"));
        assert_eq!(unicode_string(&[9, 0, b'x'], 1), None);
    }

    #[test]
    fn not_a_compound_file_gives_nothing() {
        assert!(date_time_cells(b"not an xls").is_empty());
    }
}
