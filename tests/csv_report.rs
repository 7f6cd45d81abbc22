//! `--format csv`: parsed back by the csv crate: a BOM, the header, one row
//! per finding with its place, accents intact, and values that a
//! spreadsheet would run as formulas neutralised.

mod common;

use common::{AS_OF, movies_1_7_3, run_raw, workbook};

#[test]
fn csv_rows_parse_back_with_formulas_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let recs = [
        movies_1_7_3().set("DisplayName", "Acmé Filmé"),
        movies_1_7_3()
            .set("FormatProfile", "=HYPERLINK(\"http://x\",\"y\")")
            .set("ALID", "md:alid:org:acme:movie-0002"),
        movies_1_7_3()
            .set("Territory", "@SUM(A1)")
            .set("ALID", "md:alid:org:acme:movie-0003"),
    ];
    let input = workbook(dir.path(), "avails.xlsx", "Movies", &recs);
    let args = [
        "check",
        input.to_str().unwrap(),
        "--partner",
        "acme",
        "--territories",
        "US",
        "--as-of",
        AS_OF,
        "--format",
        "csv",
    ];
    let run = run_raw(&args, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let body = run
        .stdout
        .strip_prefix('\u{feff}')
        .expect("UTF-8 BOM first");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "file", "sheet", "row", "column", "cell", "field", "value", "severity", "code",
            "title", "message", "help"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let json = common::run(&[
        input.to_str().unwrap(),
        "--partner",
        "acme",
        "--territories",
        "US",
    ])
    .1;
    assert_eq!(rows.len(), common::diagnostics(&json).len());
    let find = |code: &str, cell: &str| {
        rows.iter()
            .find(|r| &r[8] == code && &r[4] == cell)
            .unwrap_or_else(|| panic!("no {code} at {cell}: {rows:?}"))
    };
    let alias = find("CPH007", "A4");
    assert_eq!((&alias[1], &alias[2], &alias[3]), ("Movies", "4", "A"));
    assert_eq!(&alias[6], "Acmé Filmé");
    assert!(alias[10].contains("Acmé Filmé"), "{alias:?}");
    assert_eq!(
        &alias[9],
        "DisplayName is not the Prime Video partner alias"
    );
    let fields = recs[0].fields();
    let format_col =
        common::column_letter(fields.iter().position(|f| f == "FormatProfile").unwrap());
    let injected = find("EMA004", &format!("{format_col}5"));
    assert_eq!(&injected[6], "'=HYPERLINK(\"http://x\",\"y\")");
    let territory = rows
        .iter()
        .find(|r| &r[5] == "Territory")
        .expect("a Territory finding");
    assert_eq!(&territory[6], "'@SUM(A1)");
    // No field of any row starts a formula.
    for r in &rows {
        for f in r.iter() {
            assert!(!f.starts_with(['=', '+', '-', '@']), "{f} in {r:?}");
        }
    }
}
