//! EMA016: a value holds invisible characters or stray spaces.

use super::Rule;
use crate::model::value::{Place, char_name, invisible_chars};
use crate::model::{Avail, Cell, Diagnostic, FieldDef, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Warns when a value holds characters a reader of the sheet cannot see:
    /// no-break and other Unicode spaces, zero-width characters, byte-order
    /// marks, tabs and line breaks — anywhere — and ordinary spaces before or
    /// after the value. The message names each character and where it is;
    /// messages always show such characters escaped (`US\u{a0}`). availcheck
    /// checks the value without them at the edges, so a value made only of
    /// them is empty.
    ///
    /// ## Why is this bad?
    /// Whether Amazon's ingest trims them is not documented (assumption: it
    /// may not): `US` followed by a no-break space is then no territory, and
    /// a title made of a zero-width space looks filled but is empty.
    ///
    /// ## Example
    /// ```text
    /// Territory = US\u{a0}     EntryType = Full\u{200b}Extract
    /// ```
    /// Fixed:
    /// ```text
    /// Territory = US           EntryType = Full Extract
    /// ```
    ///
    /// ## How to fix
    /// Retype the value, or clean the column (Excel: `=CLEAN(TRIM(...))`,
    /// then Paste Special › Values).
    ///
    /// ## Source
    /// Unicode White_Space and format characters (U+00A0, U+200B–U+200D,
    /// U+2060, U+FEFF). Assumption: Amazon's trimming of values is
    /// unconfirmed, so this is a warning.
    pub struct InvisibleCharacter = ("EMA016", "invisible-character", Warning, Ema,
        "Value holds invisible characters or stray spaces");
}

impl Rule for InvisibleCharacter {
    fn value_kinds(&self) -> &'static [FieldKind] {
        &FieldKind::ALL
    }

    fn check_value(
        &self,
        row: &Avail,
        f: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let found = invisible_chars(&cell.text);
        if found.is_empty() {
            return;
        }
        let what: Vec<String> = found
            .iter()
            .map(|(c, place)| format!("{} {}", char_name(*c), place.describe()))
            .collect();
        let inside = found.iter().any(|(_, p)| *p == Place::Inside);
        let help = if inside {
            "retype the value without them (copying from web pages or documents brings them in)"
        } else {
            "delete them: availcheck reads the value without them, but Amazon's ingest may not"
        };
        out.push(
            Self::META
                .at_cell(
                    row,
                    cell,
                    format!(
                        "{} `{}` holds {}",
                        row.sheet.label(f.field),
                        cell.text,
                        what.join(", ")
                    ),
                )
                .with_help(help),
        );
    }
}
