//! What the readers noticed, as diagnostics: one code per [`NoteKind`].

use super::{Family, RuleMeta};
use crate::model::{Diagnostic, Severity};
use crate::read::{Note, NoteKind};

/// Reader findings' metadata, in code order.
pub static METAS: [RuleMeta; 8] = [
    RuleMeta {
        code: "AVC001",
        name: "template-version",
        title: "Template version used for a sheet",
        severity: Severity::Info,
        family: Family::Reader,
        docs: r#"## What it does
Says which EMA template version (and Movies/TV dictionary) each sheet was
checked against and why: `--template-version`, cell A3 (1.8/1.9 templates),
header signatures (e.g. `GroupIdentity` means 1.7.3, `StoreLanguage` 1.6),
or the instructions sheet's version cell. For XML, the namespace URI.

## Why it matters
Enumerations and required fields differ between versions; CPH inputs differ
between 1.6 and 1.7.3. If the guess is wrong, pass `--template-version`.

## Source
ema-avails-format.md §1.1 and §5 item 3.
"#,
    },
    RuleMeta {
        code: "AVC002",
        name: "empty-rows-skipped",
        title: "Empty rows inside the data were skipped",
        severity: Severity::Info,
        family: Family::Reader,
        docs: r#"## What it does
Reports empty rows between data rows. availcheck reads to the real end of
the sheet (MovieLabs stops after 5 empty rows, silently dropping the rest).

## Why it matters
Rows after a gap may be forgotten by other tools; check that none are stray.
"#,
    },
    RuleMeta {
        code: "AVC003",
        name: "sheet-skipped",
        title: "Sheet not checked",
        severity: Severity::Info,
        family: Family::Reader,
        docs: r#"## What it does
Names sheets that were not checked: empty sheets and sheets without an EMA
header row. Sheets named like *Dictionary*, *FAQ* or *Instructions* are
documentation and skipped without a note.
"#,
    },
    RuleMeta {
        code: "AVC004",
        name: "row3-data",
        title: "Row 3 holds data",
        severity: Severity::Warning,
        family: Family::Reader,
        docs: r#"## What it does
Row 3 of an EMA sheet is reserved for `//` comments (1.8/1.9 put the version
in A3). A data row there is not checked as an avail.

## Why it matters
MovieLabs reports "Third row should not contain an Avail"; the row may be lost.

## How to fix
Insert a comment row so data starts at row 4.
"#,
    },
    RuleMeta {
        code: "AVC005",
        name: "header-layout",
        title: "Header rows are not laid out as in the EMA template",
        severity: Severity::Warning,
        family: Family::Reader,
        docs: r#"## What it does
Warns when field names are not in row 2 (e.g. a single header row in row 1).
availcheck still finds the header and checks the data.

## Why it matters
Amazon's ingest expects the template layout: categories in row 1, field names
in row 2, comments in row 3, data from row 4.
"#,
    },
    RuleMeta {
        code: "AVC006",
        name: "encoding",
        title: "Text file is not UTF-8",
        severity: Severity::Warning,
        family: Family::Reader,
        docs: r#"## What it does
A CSV that is not UTF-8 (UTF-16, or Windows-1252 from an old Excel export)
is decoded and checked, with this warning.

## How to fix
Save as "CSV UTF-8".
"#,
    },
    RuleMeta {
        code: "AVC007",
        name: "duplicate-column",
        title: "The same field appears in two columns",
        severity: Severity::Warning,
        family: Family::Reader,
        docs: r#"## What it does
Reports a header field that appears twice; only the first column is checked.

## Why it matters
Tools disagree on which column wins.

## How to fix
Delete the duplicate column.
"#,
    },
    RuleMeta {
        code: "AVC008",
        name: "xml-structure",
        title: "Avails XML structure problem",
        severity: Severity::Error,
        family: Family::Reader,
        docs: r#"## What it does
Checks what the Avails XSD would check for the elements availcheck uses:
required elements missing or empty, element order where it matters, and
xs:dateTime / xs:duration / xs:decimal / xs:boolean syntax. Unlike the
MovieLabs validator, a structural error does not stop the other checks.

## Source
MovieLabs avails XSDs 2.1–2.7 (ema-avails-format.md §2).
"#,
    },
];

fn meta_of(kind: &NoteKind) -> &'static RuleMeta {
    let i = match kind {
        NoteKind::VersionUsed => 0,
        NoteKind::EmptyRowsSkipped => 1,
        NoteKind::SheetSkipped => 2,
        NoteKind::Row3NotComment => 3,
        NoteKind::HeaderLayout => 4,
        NoteKind::Encoding => 5,
        NoteKind::DuplicateColumn => 6,
        NoteKind::XmlStructure => 7,
    };
    &METAS[i]
}

/// Turns a reader note into a diagnostic. `order` places it among the file's diagnostics.
pub fn diagnostic(note: &Note, order: (usize, usize, u32, usize)) -> Diagnostic {
    let mut d = meta_of(&note.kind)
        .diag(note.location.clone(), note.message.clone())
        .with_order(order);
    d.help = note.help.clone();
    d
}
