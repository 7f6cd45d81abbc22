//! Which date cells of an .ods show a time. LibreOffice writes a date-time
//! at midnight as `office:date-value="2027-04-01"`, without its time; only
//! the cell's data style (`number:date-style` with `number:hours`) shows
//! `00:00`. calamine gives the value alone (tafia/calamine#400 asks for
//! format-aware dates), so this reads the styles and the cells' places
//! from content.xml (and the common styles from styles.xml), so the
//! reader can keep the time such a cell shows. Its walk over the cells
//! ([`walk_cells`], repeats counted) also serves the precheck that sizes a
//! sheet before calamine expands it.

use std::collections::{HashMap, HashSet};

use super::workbook::TimedCells;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

/// Per sheet name, the date cells whose style shows a time but whose value
/// has none.
pub type MidnightTimes = HashMap<String, TimedCells>;

/// The midnight date-times of an .ods package; empty when it has none or
/// cannot be read (calamine then reports the damage).
pub fn midnight_times(bytes: &[u8]) -> MidnightTimes {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return MidnightTimes::new();
    };
    let mut part = |name: &str| -> Vec<u8> {
        let mut data = Vec::new();
        if let Ok(mut f) = zip.by_name(name) {
            let _ = f.read_to_end(&mut data);
        }
        data
    };
    let styles = part("styles.xml");
    let content = part("content.xml");
    let mut timed = TimedStyles::default();
    timed.scan(&styles);
    timed.scan(&content);
    cells(&content, &timed.cell_styles())
}

/// Data styles that show a time, and the cell styles that use a data style.
#[derive(Default)]
struct TimedStyles {
    data_styles: HashSet<String>,
    cell_styles: Vec<(String, String)>,
}

impl TimedStyles {
    fn scan(&mut self, xml: &[u8]) {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut buf = Vec::new();
        // The date style being read, if any.
        let mut date_style: Option<String> = None;
        loop {
            let event = match reader.read_event_into(&mut buf) {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => e,
            };
            match &event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().into_inner() {
                    "date-style" => {
                        let name = attr(e, "style:name");
                        if matches!(event, Event::Start(_)) {
                            date_style = name;
                        }
                    }
                    "hours" => {
                        if let Some(s) = &date_style {
                            self.data_styles.insert(s.clone());
                        }
                    }
                    "style" => {
                        if let (Some(name), Some(data)) =
                            (attr(e, "style:name"), attr(e, "style:data-style-name"))
                        {
                            self.cell_styles.push((name, data));
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().into_inner() == "date-style" => date_style = None,
                _ => {}
            }
            buf.clear();
        }
    }

    /// The cell styles whose data style shows a time.
    fn cell_styles(&self) -> HashSet<String> {
        self.cell_styles
            .iter()
            .filter(|(_, data)| self.data_styles.contains(data))
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// The value of attribute `key` (names, numbers and dates here: nothing
/// to unescape).
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.to_string())
}

fn repeat(e: &BytesStart<'_>, key: &str) -> u32 {
    attr(e, key)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1u32)
        .max(1)
}

/// One `table:table-cell` (or covered cell) of content.xml where it sits:
/// the cells it stands for are `rows` × `columns` from (`row`, `column`),
/// 0-based, repeats counted.
pub(super) struct OdsCell<'a, 'e> {
    /// The sheet's name.
    pub table: &'a str,
    /// First row.
    pub row: u32,
    /// First column.
    pub column: u32,
    /// How many rows (its row's repeat count).
    pub rows: u32,
    /// How many columns (its repeat count).
    pub columns: u32,
    /// The element: its attributes.
    pub element: &'a BytesStart<'e>,
    /// True for `<table:table-cell …/>` (no text inside).
    pub empty: bool,
}

impl OdsCell<'_, '_> {
    /// The value of attribute `key`.
    pub fn attr(&self, key: &str) -> Option<String> {
        attr(self.element, key)
    }
}

/// Calls `each` for every cell of content.xml in document order, until it
/// returns false. Unreadable XML ends the walk (the precheck and calamine
/// report it).
pub(super) fn walk_cells(content: &[u8], each: &mut dyn FnMut(&OdsCell<'_, '_>) -> bool) {
    let mut reader = quick_xml::Reader::from_reader(content);
    reader.config_mut().check_comments = false;
    let mut buf = Vec::new();
    let (mut table, mut row, mut column) = (String::new(), 0u32, 0u32);
    let mut rows = 1u32;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => return,
            Ok(e) => e,
        };
        let empty = matches!(event, Event::Empty(_));
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().into_inner() {
                "table" => {
                    table = attr(e, "table:name").unwrap_or_default();
                    row = 0;
                }
                "table-row" => {
                    column = 0;
                    rows = repeat(e, "table:number-rows-repeated");
                    if empty {
                        row = row.saturating_add(rows);
                    }
                }
                "table-cell" | "covered-table-cell" => {
                    let columns = repeat(e, "table:number-columns-repeated");
                    let cell = OdsCell {
                        table: &table,
                        row,
                        column,
                        rows,
                        columns,
                        element: e,
                        empty,
                    };
                    if !each(&cell) {
                        return;
                    }
                    column = column.saturating_add(columns);
                }
                _ => {}
            },
            Event::End(e) if e.local_name().into_inner() == "table-row" => {
                row = row.saturating_add(rows);
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The places of date cells with a timed style and a value without a time.
fn cells(content: &[u8], timed: &HashSet<String>) -> MidnightTimes {
    let mut out = MidnightTimes::new();
    if timed.is_empty() {
        return out;
    }
    walk_cells(content, &mut |cell| {
        let midnight = cell.attr("office:value-type").as_deref() == Some("date")
            && cell
                .attr("office:date-value")
                .is_some_and(|v| !v.contains('T'))
            && cell
                .attr("table:style-name")
                .is_some_and(|s| timed.contains(&s));
        if midnight {
            out.entry(cell.table.to_string()).or_default().insert(
                cell.row,
                cell.column,
                cell.rows,
                cell.columns,
            );
        }
        true
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timed_style_at_midnight_is_found_where_it_is() {
        let content = br#"<office:document-content>
<office:automatic-styles>
  <number:date-style style:name="N1"><number:year/><number:text>-</number:text><number:day/></number:date-style>
  <number:date-style style:name="N2"><number:year/><number:text> </number:text><number:hours/></number:date-style>
  <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
  <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Movies">
  <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
  <table:table-row>
    <table:table-cell table:number-columns-repeated="2"/>
    <table:table-cell table:style-name="ce2" office:value-type="date" office:date-value="2030-06-01"/>
    <table:table-cell table:style-name="ce2" office:value-type="date" office:date-value="2030-06-01T12:00:00"/>
    <table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="2030-06-01"/>
  </table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut timed = TimedStyles::default();
        timed.scan(content);
        let found = cells(content, &timed.cell_styles());
        assert_eq!(found.len(), 1);
        let movies = &found["Movies"];
        assert!(movies.contains(2, 2));
        assert!(!movies.contains(2, 3) && !movies.contains(2, 4) && !movies.contains(1, 2));
    }

    #[test]
    fn repeated_cells_are_a_block_not_a_million_entries() {
        let content = br#"<office:document-content><office:automatic-styles>
  <number:date-style style:name="N2"><number:year/><number:hours/></number:date-style>
  <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>
</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="S">
  <table:table-row table:number-rows-repeated="1048576">
    <table:table-cell table:number-columns-repeated="16384" table:style-name="ce2" office:value-type="date" office:date-value="2030-06-01"/>
  </table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut timed = TimedStyles::default();
        timed.scan(content);
        let found = cells(content, &timed.cell_styles());
        let s = &found["S"];
        assert!(s.contains(0, 0) && s.contains(1_048_575, 16_383));
        assert!(!s.contains(1_048_576, 0));
    }
}
