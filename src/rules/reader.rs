//! What the readers noticed, as diagnostics: one code per [`NoteKind`]
//! (AVC codes, and EMA045 for a data cell outside the header).

use super::RuleMeta;
use crate::model::Diagnostic;
use crate::read::{Note, NoteKind};

super::declare_rule! {
    /// ## What it does
    /// Says which EMA template version (and Movies/TV dictionary) each sheet
    /// was checked against and why: `--template-version`, cell A3 (1.8/1.9
    /// templates), the header's fields matched against the dictionaries of
    /// `schemas/dictionaries/` (e.g. `GroupIdentity` is new in 1.7.3,
    /// `StoreLanguage` is 1.6 only), or the instructions sheet's version
    /// cell. For XML, the namespace URI.
    ///
    /// ## Why it matters
    /// Enumerations and required fields differ between versions; CPH inputs
    /// differ between 1.6 and 1.7.3. If the guess is wrong, pass
    /// `--template-version`.
    ///
    /// ## Example
    /// ```text
    /// checked as EMA Avails 1.7.3 Movies sheet: header has `GroupIdentity` (new in 1.7.3)
    /// ```
    /// Fixed, when the sheet is really a 1.8 template:
    /// ```text
    /// availcheck check avails.xlsx --template-version 1.8
    /// ```
    ///
    /// ## Source
    /// ema-avails-format.md §1.1 and §5 item 3.
    pub struct VersionUsed = ("AVC001", "template-version", Info, Reader,
        "Template version used for a sheet");
}

super::declare_rule! {
    /// ## What it does
    /// Reports empty rows between data rows. availcheck reads to the real end
    /// of the sheet (MovieLabs stops after 5 empty rows, silently dropping
    /// the rest).
    ///
    /// ## Why it matters
    /// Rows after a gap may be forgotten by other tools; check that none are
    /// stray.
    ///
    /// ## Example
    /// ```text
    /// row 4: avail   rows 5–11: empty   row 12: avail
    /// ```
    /// Fixed:
    /// ```text
    /// row 4: avail   row 5: avail
    /// ```
    ///
    /// ## Source
    /// MovieLabs `StreamingXmlBuilder.processRow` (ema-avails-format.md §1.2).
    pub struct EmptyRowsSkipped = ("AVC002", "empty-rows-skipped", Info, Reader,
        "Empty rows inside the data were skipped");
}

super::declare_rule! {
    /// ## What it does
    /// Names sheets that were not checked: empty sheets and sheets without an
    /// EMA header row. Sheets named like *Dictionary*, *FAQ* or
    /// *Instructions* are documentation and skipped without a note.
    ///
    /// ## Why it matters
    /// A data sheet whose header is not found is not checked at all.
    ///
    /// ## Example
    /// ```text
    /// sheet `Avails`: row 2 holds `Title | Country | Window`
    /// ```
    /// Fixed: the EMA field names in row 2:
    /// ```text
    /// sheet `Avails`: row 2 holds `TitleInternalAlias | Territory | Start`
    /// ```
    ///
    /// ## Source
    /// ema-avails-format.md §1.1 (sheets) and §1.2 (header rows).
    pub struct SheetSkipped = ("AVC003", "sheet-skipped", Info, Reader,
        "Sheet not checked");
}

super::declare_rule! {
    /// ## What it does
    /// Row 3 of an EMA sheet is reserved for `//` comments (1.8/1.9 put the
    /// version in A3). A data row there is not checked as an avail.
    ///
    /// ## Why it matters
    /// MovieLabs reports "Third row should not contain an Avail"; the row may
    /// be lost.
    ///
    /// ## Example
    /// ```text
    /// row 3: acme | US | Movie | Full Extract | ...
    /// ```
    /// Fixed:
    /// ```text
    /// row 3: //comments    row 4: acme | US | Movie | Full Extract | ...
    /// ```
    ///
    /// ## How to fix
    /// Insert a comment row so data starts at row 4.
    ///
    /// ## Source
    /// MovieLabs `AvailsSheet.ingest` (ema-avails-format.md §1.2).
    pub struct Row3Data = ("AVC004", "row3-data", Warning, Reader,
        "Row 3 holds data");
}

super::declare_rule! {
    /// ## What it does
    /// Warns when field names are not in row 2 (e.g. a single header row in
    /// row 1). availcheck still finds the header and checks the data.
    ///
    /// ## Why it matters
    /// Amazon's ingest expects the template layout: categories in row 1,
    /// field names in row 2, comments in row 3, data from row 4.
    ///
    /// ## Example
    /// ```text
    /// row 1: DisplayName | Territory | ...   row 2: data
    /// ```
    /// Fixed:
    /// ```text
    /// row 1: Avail | AvailTrans | ...   row 2: DisplayName | Territory | ...   row 3: //   row 4: data
    /// ```
    ///
    /// ## Source
    /// ema-avails-format.md §1.2 (header-row layout).
    pub struct HeaderLayout = ("AVC005", "header-layout", Warning, Reader,
        "Header rows are not laid out as in the EMA template");
}

super::declare_rule! {
    /// ## What it does
    /// A CSV that is not UTF-8 (UTF-16, or Windows-1252 from an old Excel
    /// export) is decoded and checked, with this warning.
    ///
    /// ## Why it matters
    /// Other systems may read the accented titles as different characters.
    ///
    /// ## Example
    /// ```text
    /// avails.csv saved as "CSV (Comma delimited)" (Windows-1252)
    /// ```
    /// Fixed:
    /// ```text
    /// avails.csv saved as "CSV UTF-8 (Comma delimited)"
    /// ```
    ///
    /// ## How to fix
    /// Save as "CSV UTF-8".
    ///
    /// ## Source
    /// RFC 4180 leaves the encoding open; Amazon's and MovieLabs' tools read
    /// UTF-8.
    pub struct Encoding = ("AVC006", "encoding", Warning, Reader,
        "Text file is not UTF-8");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a header field that appears twice; only the first column is
    /// checked.
    ///
    /// ## Why it matters
    /// Tools disagree on which column wins.
    ///
    /// ## Example
    /// ```text
    /// row 2: Territory | LicenseType | Territory
    /// ```
    /// Fixed:
    /// ```text
    /// row 2: Territory | LicenseType
    /// ```
    ///
    /// ## How to fix
    /// Delete the duplicate column.
    ///
    /// ## Source
    /// ema-avails-format.md §1.2 (header matching is by name).
    pub struct DuplicateColumn = ("AVC007", "duplicate-column", Warning, Reader,
        "The same field appears in two columns");
}

super::declare_rule! {
    /// ## What it does
    /// Reports what the rows need of Avails XML beyond its XSD (whose
    /// breaches are the `XSD` codes): a value the XSD lets be empty but an
    /// avail cannot do without (`ALID`, `AvailType`, `EntryType`, the
    /// Licensor's `md:DisplayName`, `WorkType`, `LicenseType`,
    /// `StartCondition`, `EndCondition`, `FormatProfile`), and a `Licensor`
    /// without `md:DisplayName` (its MEC XSD, `mdmec-v2.x.xsd`, is not among
    /// the reference files, so the XSD check does not look inside it).
    /// Unlike the MovieLabs validator, a structural error does not stop the
    /// other checks.
    ///
    /// ## Why it matters
    /// Amazon validates Avails XML and rejects what lacks these.
    ///
    /// ## Example
    /// ```xml
    /// <Transaction><LicenseType></LicenseType>...</Transaction>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Transaction><LicenseType>EST</LicenseType>...</Transaction>
    /// ```
    ///
    /// ## Source
    /// MovieLabs avails XSDs 2.1–2.7 (required elements) and
    /// ema-avails-format.md §2 (what each carries).
    pub struct XmlStructure = ("AVC008", "xml-structure", Error, Reader,
        "Avails XML structure problem");
}

super::declare_rule! {
    /// ## What it does
    /// Says how many cells of a sheet hold a constant boolean formula —
    /// `=TRUE()`, `=FALSE()`, `=TRUE`, LibreOffice's `of:=TRUE()` — which
    /// were read as the booleans TRUE and FALSE. Any other formula is EMA011.
    ///
    /// ## Why it matters
    /// LibreOffice saves Excel booleans this way (the official 1.9 templates
    /// hold them): they are values in all but form, so they are not errors,
    /// but other tools may read the formula instead.
    ///
    /// ## Example
    /// ```text
    /// HDR = =TRUE()
    /// ```
    /// Read as:
    /// ```text
    /// HDR = TRUE
    /// ```
    ///
    /// ## Source
    /// MovieLabs' Movies_v1.9.xlsx sample (ema-avails-format.md §1.10);
    /// OpenFormula `TRUE()` (LibreOffice's `of:` namespace).
    pub struct BooleanFormulas = ("AVC009", "boolean-formulas", Info, Reader,
        "Constant boolean formulas were read as booleans");
}

super::declare_rule! {
    /// ## What it does
    /// Names a file found in a folder (or given twice) that is not checked as
    /// avails, and why: a file the run reads as a reference (`--licensed`,
    /// `--previous`) or writes (`-o`), a licensed-windows CSV
    /// (`title_id,territory,start,end` — pass it with `--licensed`), a
    /// report availcheck wrote, or a file that is clearly not avails: an XML
    /// document whose root element is not an Avails one (`pom.xml`), a CSV
    /// none of whose first ten lines holds an EMA field name (a budget). A
    /// file named on the command line is screened so only with
    /// `--skip-unrecognized` (which the pre-commit hooks use); without it,
    /// such a file is an unreadable input (exit 2). Hidden files and folders
    /// (`.git`, macOS `._…`) and Office lock files (`~$…`) are left out
    /// without a word.
    ///
    /// ## Why it matters
    /// A folder of deliveries, or the files of a commit, usually hold more
    /// than avails; checking the licensed windows, last run's report or a
    /// build file as avails would fail the run.
    ///
    /// ## Example
    /// ```text
    /// availcheck check avails/          (avails/licensed-windows.csv is skipped)
    /// availcheck check --skip-unrecognized pom.xml avails.xlsx   (pom.xml is skipped)
    /// ```
    /// Read as reference windows instead:
    /// ```text
    /// availcheck check avails/ --licensed avails/licensed-windows.csv
    /// ```
    ///
    /// ## Source
    /// availcheck's own rules for folders and `--skip-unrecognized`
    /// (`src/inputs.rs`).
    pub struct FileSkipped = ("AVC010", "file-skipped", Info, Reader,
        "File not checked as avails");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a header cell past column XFD, the last of the 16,384
    /// columns an Excel sheet has (LibreOffice has as many). The cell's
    /// column is not read or checked.
    ///
    /// ## Why it matters
    /// No spreadsheet application shows such a column, so its data is lost
    /// to whoever opens the file; a file holding one was written by a
    /// faulty export, and other parts of it may be wrong too.
    ///
    /// ## Example
    /// ```text
    /// header cell LLLLL2 = Territory   (column 5,765,398)
    /// ```
    /// Fixed:
    /// ```text
    /// header cell B2 = Territory
    /// ```
    ///
    /// ## How to fix
    /// Export the sheet again from the application that made it, or move
    /// the column into A to XFD.
    ///
    /// ## Source
    /// Excel specifications and limits (1,048,576 rows by 16,384 columns);
    /// ECMA-376 Part 1 §18.3.1.4 (`c@r`, a cell reference on that grid).
    pub struct BeyondLastColumn = ("AVC020", "beyond-last-column", Error, Reader,
        "Header cell past the last column of a sheet");
}

super::declare_rule! {
    /// ## What it does
    /// Warns about a data cell right of the header's last column: it belongs
    /// to no field, so nothing checks it. One finding per column, at its
    /// first such cell, saying how many the column holds; neighbouring
    /// columns with the same first value in the same row (a value filled
    /// across a row) are one finding naming the range (`M4:XFD4`).
    ///
    /// ## Why is this bad?
    /// MovieLabs' converter drops the cell ("Ignoring cell BZ in row 7: out
    /// of bounds"), and so does Amazon's ingest: a value typed there (often
    /// a note, or a row shifted one column right) never reaches the avail.
    ///
    /// ## Example
    /// ```text
    /// row 2: ... | WindowDuration (BY)      row 7: ... | P180D | foo (BZ)
    /// ```
    /// Fixed:
    /// ```text
    /// row 2: ... | WindowDuration (BY)      row 7: ... | P180D
    /// ```
    ///
    /// ## How to fix
    /// Give the column a field name in row 2, move the value to its field's
    /// column, or clear it.
    ///
    /// ## Source
    /// MovieLabs `StreamingXmlBuilder` / `AvailsSheet` ("out of bounds"),
    /// seen on mddf's test workbook `Movies_v1.7.3.xlsx` (cell BZ7);
    /// ema-avails-format.md §1.2 (columns are matched by their row-2 name).
    pub struct CellOutsideHeader = ("EMA045", "cell-outside-header", Warning, Ema,
        "Data cell right of the header's last column");
}

/// The AVC010 info that `file` is not checked, and `why`.
pub fn skipped_file(file: &str, why: &str) -> Diagnostic {
    FileSkipped::META.diag(
        crate::model::Location::file(file),
        format!("{file} {why}; it is not checked as avails"),
    )
}

/// Reader findings' metadata, in code order.
pub static METAS: [&RuleMeta; 12] = [
    &VersionUsed::META,
    &EmptyRowsSkipped::META,
    &SheetSkipped::META,
    &Row3Data::META,
    &HeaderLayout::META,
    &Encoding::META,
    &DuplicateColumn::META,
    &XmlStructure::META,
    &BooleanFormulas::META,
    &FileSkipped::META,
    &BeyondLastColumn::META,
    &CellOutsideHeader::META,
];

/// The code of a kind of note.
fn meta_of(kind: &NoteKind) -> &'static RuleMeta {
    match kind {
        NoteKind::VersionUsed => &VersionUsed::META,
        NoteKind::EmptyRowsSkipped => &EmptyRowsSkipped::META,
        NoteKind::SheetSkipped => &SheetSkipped::META,
        NoteKind::Row3NotComment => &Row3Data::META,
        NoteKind::HeaderLayout => &HeaderLayout::META,
        NoteKind::Encoding => &Encoding::META,
        NoteKind::DuplicateColumn => &DuplicateColumn::META,
        NoteKind::XmlStructure => &XmlStructure::META,
        NoteKind::BooleanFormulas => &BooleanFormulas::META,
        NoteKind::BeyondLastColumn => &BeyondLastColumn::META,
        NoteKind::Xsd(kind) => super::xsd::meta_of(*kind),
        NoteKind::CellOutsideHeader => &CellOutsideHeader::META,
    }
}

/// Turns a reader note into a diagnostic. `order` places it among the file's diagnostics.
pub fn diagnostic(note: &Note, order: (usize, usize, u32, usize)) -> Diagnostic {
    let d = meta_of(&note.kind)
        .diag(note.location.clone(), note.message.clone())
        .with_order(order);
    match &note.help {
        Some(h) => d.with_help(h.clone()),
        None => d,
    }
}
