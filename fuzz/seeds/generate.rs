//! Writes the seed corpora under `fuzz/seeds/<target>/`:
//!
//! ```sh
//! cd fuzz && cargo run --example generate_seeds
//! ```
//!
//! It owns every file there except `manual-*` ones (converted by hand with
//! LibreOffice; see fuzz/README.md), and rewrites them all each run; the
//! output is the same on every run. Inputs: the repository's fixtures, the
//! field dictionaries (`schemas/dictionaries/`), and the public samples
//! (`fixtures/upstream/samples`), of which the smallest variants are kept.

#[path = "../fuzz_targets/parts.rs"]
mod parts;

use std::collections::BTreeSet;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet};
use serde_json::Value;

const TARGETS: [&str; 6] = [
    "spreadsheet",
    "xlsx_parts",
    "ods_parts",
    "xml",
    "csv",
    "datetime",
];

fn main() {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = fuzz
        .parent()
        .expect("fuzz/ is in the project")
        .to_path_buf();
    let seeds = fuzz.join("seeds");
    let samples = root.join("fixtures/upstream/samples");

    for t in TARGETS {
        let dir = seeds.join(t);
        fs::create_dir_all(&dir).expect("seed folder");
        for e in fs::read_dir(&dir).expect("seed folder is read").flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with("manual-") {
                fs::remove_file(e.path()).expect("old seed is removed");
            }
        }
    }
    let out = Out { seeds };

    // Workbooks: the fixtures, one small workbook per template version
    // (and TV sheets for three), an xlsb, and the smallest real samples.
    for f in ["cph-1.7.3-movies.xlsx", "cph-1.7.3-problems.xlsx"] {
        out.copy(
            &root.join("fixtures").join(f),
            "spreadsheet",
            &format!("fixture-{f}"),
        );
    }
    let mut xlsx_seeds = Vec::new();
    for (version, kind) in [
        ("1.6", "movies"),
        ("1.6", "tv"),
        ("1.7", "movies"),
        ("1.7.2", "movies"),
        ("1.7.3", "movies"),
        ("1.7.3", "tv"),
        ("1.8", "movies"),
        ("1.9", "movies"),
        ("1.9", "tv"),
    ] {
        let dict = Dict::load(&root, version, kind);
        let bytes = ema_workbook(&dict);
        let name = format!("ema-{version}-{kind}.xlsx");
        out.write("spreadsheet", &name, &bytes);
        xlsx_seeds.push((name, bytes));
    }
    let odd = odd_workbook();
    out.write("spreadsheet", "odd-cells.xlsx", &odd);
    xlsx_seeds.push(("odd-cells.xlsx".into(), odd));
    out.write(
        "spreadsheet",
        "ema-1.7.3-movies.xlsb",
        &xlsb(&Dict::load(&root, "1.7.3", "movies")),
    );
    for f in [
        "mddf-suite/xlsx/TPT-test_v1.9_v2.5_v1.9.xlsx",
        "mddf-suite/xlsx/Movies_v1.7.xlsx",
        "mddf-suite/xlsx/TV_v1.7.3.xlsx",
    ] {
        let name = Path::new(f).file_name().unwrap().to_string_lossy();
        out.copy(&samples.join(f), "spreadsheet", &format!("sample-{name}"));
    }

    // The same workbooks as parts (see fuzz_targets/parts.rs), read as the
    // originals are.
    for (name, bytes) in &xlsx_seeds {
        let p = xlsx_to_parts(bytes, 0);
        let (original, rebuilt) = (summary(bytes), summary(&parts::xlsx(&p)));
        assert_eq!(original, rebuilt, "{name} is read otherwise from its parts");
        out.write("xlsx_parts", &format!("{name}.parts"), &p);
    }
    for (name, p) in hand_xlsx_parts() {
        println!("xlsx_parts/{name}: {}", summary(&parts::xlsx(&p)));
        out.write("xlsx_parts", name, &p);
    }

    // ods content from the hand-converted ods seeds, and hand-written bodies.
    for e in sorted_dir(&out.seeds.join("spreadsheet")) {
        let name = e.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".ods") {
            let bytes = fs::read(&e).expect("ods seed is read");
            let p = ods_to_parts(&bytes);
            let (original, rebuilt) = (summary(&bytes), summary(&parts::ods(&p)));
            assert_eq!(original, rebuilt, "{name} is read otherwise from its parts");
            out.write("ods_parts", &format!("{name}.parts"), &p);
        }
    }
    let p = hand_ods_parts();
    println!(
        "ods_parts/dates-and-types.parts: {}",
        summary(&parts::ods(&p))
    );
    out.write("ods_parts", "dates-and-types.parts", &p);

    // XML: the small fixtures, the smallest Avail of each sample, encodings.
    for f in [
        "cph_clean_v2.3.xml",
        "structure_errors_v2.3.xml",
        "billion_laughs.xml",
        "xxe.xml",
    ] {
        out.copy(
            &root.join("fixtures/xml").join(f),
            "xml",
            &format!("fixture-{f}"),
        );
    }
    let clean =
        fs::read_to_string(root.join("fixtures/xml/cph_clean_v2.3.xml")).expect("fixture is read");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(clean.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    out.write("xml", "cph_clean_v2.3.utf16le.xml", &utf16);
    out.write(
        "xml",
        "cph_clean_v2.3.one-line.xml",
        one_line(&clean).as_bytes(),
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(clean.replace('\n', "\r\n").as_bytes());
    out.write("xml", "cph_clean_v2.3.bom-crlf.xml", &bom);
    let mut xml_dir = sorted_dir(&samples.join("mddf-suite/xml"));
    xml_dir.extend(sorted_dir(&samples.join("ema")));
    let mut seen = BTreeSet::new();
    for f in xml_dir {
        if f.extension().is_none_or(|e| e != "xml") {
            continue;
        }
        let text = fs::read_to_string(&f).expect("sample is read");
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        if let Some(trimmed) = trim_xml(&text)
            && seen.insert(trimmed.clone())
        {
            out.write(
                "xml",
                &format!("sample-{stem}.smallest.xml"),
                trimmed.as_bytes(),
            );
        }
    }
    // A small XML and CSV for the sniffing target too.
    out.write("spreadsheet", "cph_clean_v2.3.xml", clean.as_bytes());

    // CSV: versions, quoting, encodings, delimiters.
    for (name, bytes) in csv_seeds(&root) {
        out.write("csv", &name, &bytes);
        if name == "ema-1.7.3-movies.csv" {
            out.write("spreadsheet", &name, &bytes);
        }
    }

    // Date and number forms.
    for (i, s) in DATETIMES.iter().enumerate() {
        out.write("datetime", &format!("{i:02}"), s.as_bytes());
    }

    let mut total = 0;
    for t in TARGETS {
        let files = sorted_dir(&out.seeds.join(t));
        let bytes: u64 = files
            .iter()
            .map(|f| fs::metadata(f).map_or(0, |m| m.len()))
            .sum();
        total += bytes;
        println!("{t:12} {:3} files {:7} bytes", files.len(), bytes);
    }
    println!("{:12} {total:17} bytes", "total");
}

/// What availcheck reads from a file: kind, version and rows per sheet, or the error.
fn summary(bytes: &[u8]) -> String {
    let opts = availcheck::read::ReadOptions::default();
    match availcheck::read::read_bytes(bytes.to_vec(), "seed", 0, &opts) {
        Ok(out) => out
            .sheets
            .iter()
            .map(|s| {
                format!(
                    "{} {} {:?}: {} rows",
                    out.source.as_str(),
                    s.info.version,
                    s.info.sheet,
                    s.rows.len()
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(e) => format!("unreadable: {e}"),
    }
}

struct Out {
    seeds: PathBuf,
}

impl Out {
    fn write(&self, target: &str, name: &str, bytes: &[u8]) {
        fs::write(self.seeds.join(target).join(name), bytes).expect("seed is written");
    }

    /// Copies a file into the seeds of `target`.
    fn copy(&self, from: &Path, target: &str, name: &str) {
        let bytes = fs::read(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        self.write(target, name, &bytes);
    }
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// One EMA dictionary: field names and categories in template order.
struct Dict {
    version: &'static str,
    tv: bool,
    fields: Vec<(String, String)>,
}

impl Dict {
    fn load(root: &Path, version: &'static str, kind: &str) -> Dict {
        let path = root.join(format!("schemas/dictionaries/ema-{version}-{kind}.json"));
        let doc: Value = serde_json::from_str(&fs::read_to_string(&path).expect("dictionary"))
            .expect("dictionary is JSON");
        let fields = doc["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().to_string(),
                    f["category"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        Dict {
            version,
            tv: kind == "tv",
            fields,
        }
    }

    fn names(&self) -> Vec<&str> {
        self.fields.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// A value for `field` in one of three rows: 0 a clean CPH row, 1 a row
/// with problems, 2 a licensed SVOD row (no CPH marker). `None`: empty.
/// Values prefixed `@date:` or `@datetime:` are written as real date cells.
fn value(d: &Dict, field: &str, row: usize) -> Option<String> {
    let v1_6 = d.version == "1.6";
    let cph = row != 2;
    let s = |s: &str| Some(s.to_string());
    match (field, row) {
        ("DisplayName", 1) => s("Acme Pictures"),
        ("DisplayName", _) => s("acme"),
        ("StoreLanguage", _) => s("en"),
        ("AssetLanguage", 1) => s("english"),
        ("AssetLanguage", _) => s("en:audio,fr:subtitle"),
        ("Territory", 1) => s("USA"),
        ("Territory", 2) => s("GB"),
        ("Territory", _) => s("US"),
        ("WorkType", 1) => s("Film"),
        ("WorkType", _) if d.tv => s("Episode"),
        ("WorkType", _) => s("Movie"),
        ("EntryType", _) => s("Full Extract"),
        ("TitleInternalAlias" | "TitleDisplayUnlimited", _) => s("The Example Movie"),
        ("SeriesTitleInternalAlias" | "SeriesTitleDisplayUnlimited", _) => s("Example Series"),
        ("SeasonNumber", _) => s("1"),
        ("EpisodeNumber", 1) => s("one"),
        ("EpisodeNumber", _) => s(&(row + 1).to_string()),
        ("EpisodeTitleInternalAlias", _) => s("Pilot"),
        ("LicenseType", _) => s("SVOD"),
        ("LicenseRightsDescription", _) if v1_6 && cph => s("CPH"),
        ("GroupIdentity", _) if !v1_6 && cph => s("CPH"),
        ("FormatProfile", 1) => s("HD,SD"),
        ("FormatProfile", _) => s("HD"),
        ("Start", 0) => s("2030-01-01T00:00:00Z"),
        ("Start", 1) => s("2031-06-01"),
        ("Start", _) => s("@datetime:2026-12-01T10:00:00"),
        ("End", 0) => s("2031-12-31T23:59:59Z"),
        ("End", 1) => s("@date:2030-01-01"),
        ("End", _) => s("Open"),
        ("PriceType", 1) => s("Tier"),
        ("PriceValue", 1) => s("$4.99"),
        ("PriceCurrency", 1) => s("usd"),
        ("SuppressionLiftDate", 2) => s("@date:2026-11-01"),
        ("CaptionIncluded", 1) => s("maybe"),
        ("CaptionIncluded", _) if d.tv => s("Yes"),
        ("CaptionExemption", 1) => s("7"),
        ("ReleaseYear", _) => s("2024"),
        ("WindowDuration", _) => s("P30D"),
        ("RentalDuration", _) => s("48"),
        ("TotalRunTime", _) => s("01:30:00"),
        ("AltID", _) => s(&format!("acme-movie-000{row}")),
        ("SeriesAltID", _) => s("acme-series-01"),
        ("SeasonAltID", _) => s("acme-series-01-s1"),
        ("EpisodeAltID", _) => s(&format!("acme-series-01-s1e{}", row + 1)),
        ("ALID", _) if d.tv => s(&format!("md:alid:org:acme:series-01-s1e{}", row + 1)),
        ("ALID", 1) => s("md:alid:org:acme:movie-0000"),
        ("ALID", _) => s(&format!("md:alid:org:acme:movie-000{row}")),
        ("ContentID", _) => s(&format!("md:cid:org:acme:movie-000{row}")),
        ("SeriesContentID", _) => s("md:cid:org:acme:series-01"),
        ("SeasonContentID", _) => s("md:cid:org:acme:series-01-s1"),
        ("EpisodeContentID", _) => s(&format!("md:cid:org:acme:series-01-s1e{}", row + 1)),
        _ => None,
    }
}

fn fixed_properties() -> DocProperties {
    let t = ExcelDateTime::parse_from_str("2026-01-01T00:00:00").expect("date");
    DocProperties::new().set_creation_datetime(&t)
}

/// Row 1 categories, row 2 field names, row 3 a `//` note (the version in A3
/// for 1.8 and 1.9), rows 4–6 data.
fn ema_workbook(d: &Dict) -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.set_properties(&fixed_properties());
    let ws = wb.add_worksheet();
    ws.set_name(if d.tv { "TV" } else { "Movies" }).unwrap();
    for (c, (name, category)) in d.fields.iter().enumerate() {
        let c = c as u16;
        ws.write_string(0, c, category).unwrap();
        ws.write_string(1, c, name).unwrap();
    }
    if matches!(d.version, "1.8" | "1.9") {
        ws.write_string(2, 0, d.version).unwrap();
        ws.write_string(2, 1, "//REQ").unwrap();
    } else {
        ws.write_string(2, 0, "//Required").unwrap();
    }
    for row in 0..3 {
        for (c, (name, _)) in d.fields.iter().enumerate() {
            if let Some(v) = value(d, name, row) {
                write(ws, 3 + row as u32, c as u16, &v);
            }
        }
    }
    wb.save_to_buffer().expect("workbook is written")
}

fn write(ws: &mut Worksheet, r: u32, c: u16, v: &str) {
    if let Some(d) = v.strip_prefix("@date:") {
        let date = ExcelDateTime::parse_from_str(d).expect("date");
        ws.write_datetime_with_format(r, c, &date, &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
    } else if let Some(d) = v.strip_prefix("@datetime:") {
        let date = ExcelDateTime::parse_from_str(d).expect("date-time");
        ws.write_datetime_with_format(
            r,
            c,
            &date,
            &Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        )
        .unwrap();
    } else {
        ws.write_string(r, c, v).unwrap();
    }
}

/// A 1.7.3 sheet whose cells are of every kind a workbook holds: numbers,
/// booleans, formulas with cached results, time and duration formats, a
/// gap of empty rows, a `//` comment row, and an instructions sheet.
fn odd_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.set_properties(&fixed_properties());
    let faq = wb.add_worksheet();
    faq.set_name("Instructions").unwrap();
    faq.write_string(0, 0, "Template Version").unwrap();
    faq.write_string(0, 1, "1.7.3").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Avails").unwrap();
    let header = [
        "DisplayName",
        "Territory",
        "WorkType",
        "EntryType",
        "TitleInternalAlias",
        "LicenseType",
        "GroupIdentity",
        "FormatProfile",
        "Start",
        "End",
        "PriceValue",
        "ALID",
        "ContentID",
        "TotalRunTime",
        "WindowDuration",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, "Avail").unwrap();
        ws.write_string(1, c as u16, *h).unwrap();
    }
    ws.write_string(2, 0, "//comment").unwrap();
    let row = |ws: &mut Worksheet, r: u32| {
        for (c, v) in [
            "acme",
            "US",
            "Movie",
            "Full Extract",
            "Odd Cells",
            "SVOD",
            "CPH",
            "HD",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(r, c as u16, *v).unwrap();
        }
    };
    row(ws, 3);
    ws.write_number_with_format(3, 8, 47484.0, &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    ws.write_number_with_format(
        3,
        9,
        48000.5,
        &Format::new().set_num_format("d/m/yyyy h:mm"),
    )
    .unwrap();
    ws.write_number_with_format(3, 10, 4.99, &Format::new().set_num_format("0.00"))
        .unwrap();
    ws.write_formula(
        3,
        11,
        Formula::new(r#"="md:alid:org:acme:"&E4"#).set_result("md:alid:org:acme:Odd Cells"),
    )
    .unwrap();
    ws.write_boolean(3, 12, true).unwrap();
    ws.write_number_with_format(3, 13, 0.0625, &Format::new().set_num_format("[h]:mm:ss"))
        .unwrap();
    ws.write_number_with_format(3, 14, 30.0, &Format::new().set_num_format("@"))
        .unwrap();
    // Empty rows 5–6, then a comment row and a last data row.
    ws.write_string(6, 0, "// a note").unwrap();
    row(ws, 7);
    ws.write_string(7, 8, "Immediate").unwrap();
    ws.write_string(7, 9, "2027-01-01T00:00:00+05:30").unwrap();
    ws.write_formula(7, 10, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.write_number(7, 11, 1e20).unwrap();
    wb.save_to_buffer().expect("workbook is written")
}

/// The entries of an in-memory zip, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut v = Vec::new();
            f.read_to_end(&mut v).expect("entry is read");
            (f.name().expect("entry name").to_string(), v)
        })
        .collect()
}

fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    entries
        .iter()
        .find(|(n, _)| n == name)
        .map_or(&[][..], |(_, v)| v)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What is between the start tag `<tag …>` and `</tag>` (empty for `<tag/>` or none).
fn inner<'a>(doc: &'a [u8], tag: &str) -> &'a [u8] {
    let open = format!("<{tag}");
    let Some(s) = find(doc, open.as_bytes()) else {
        return &[];
    };
    let Some(gt) = find(&doc[s..], b">").map(|i| s + i) else {
        return &[];
    };
    if doc[gt - 1] == b'/' {
        return &[];
    }
    let close = format!("</{tag}>");
    match find(&doc[gt..], close.as_bytes()) {
        Some(e) => &doc[gt + 1..gt + e],
        None => &[],
    }
}

/// The value of `attr="…"` in the first `<tag …>`.
fn attr(doc: &[u8], tag: &str, attr: &str) -> Vec<u8> {
    let Some(s) = find(doc, format!("<{tag} ").as_bytes()) else {
        return Vec::new();
    };
    let end = find(&doc[s..], b">").map_or(doc.len(), |i| s + i);
    let Some(a) = find(&doc[s..end], format!(" {attr}=\"").as_bytes()) else {
        return Vec::new();
    };
    let v = s + a + attr.len() + 3;
    let e = find(&doc[v..], b"\"").map_or(end, |i| v + i);
    doc[v..e].to_vec()
}

fn unescape(s: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(s)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
        .into_bytes()
}

/// An xlsx split into the parts `xlsx_parts` takes.
fn xlsx_to_parts(bytes: &[u8], flags: u8) -> Vec<u8> {
    let e = unzip(bytes);
    let workbook = entry(&e, "xl/workbook.xml");
    let mut names = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&workbook[at..], b"<sheet ") {
        let s = at + i;
        names.extend(unescape(&attr(&workbook[s..], "sheet", "name")));
        names.push(b'\n');
        at = s + 1;
    }
    let sheet1 = entry(&e, "xl/worksheets/sheet1.xml");
    let sheet2 = entry(&e, "xl/worksheets/sheet2.xml");
    let styles = entry(&e, "xl/styles.xml");
    let out = parts::join(&[
        &[flags],
        inner(sheet1, "sheetData"),
        inner(entry(&e, "xl/sharedStrings.xml"), "sst"),
        inner(styles, "numFmts"),
        inner(styles, "cellXfs"),
        names.strip_suffix(b"\n").unwrap_or(&names),
        &attr(sheet1, "dimension", "ref"),
        inner(sheet2, "sheetData"),
    ]);
    // The parts must make a workbook availcheck reads as the original does.
    let rebuilt = parts::xlsx(&out);
    assert!(unzip(&rebuilt).len() >= 5);
    out
}

/// Cells the xlsx writer does not make: inline strings, `t="d"` ISO dates,
/// `t="e"` errors, cells without `r`, a shared string index past the table.
fn hand_xlsx_parts() -> Vec<(&'static str, Vec<u8>)> {
    let header = r#"<row r="2"><c r="A2" t="inlineStr"><is><t>DisplayName</t></is></c><c r="B2" t="inlineStr"><is><t>Territory</t></is></c><c r="C2" t="inlineStr"><is><t>WorkType</t></is></c><c r="D2" t="inlineStr"><is><t>LicenseType</t></is></c><c r="E2" t="s"><v>0</v></c><c r="F2" t="s"><v>1</v></c><c r="G2" t="s"><v>2</v></c><c r="H2" t="s"><v>3</v></c></row>"#;
    let items = ["GroupIdentity", "Start", "End", "ALID", " US "];
    let sst = r#"<si><t>GroupIdentity</t></si><si><t>Start</t></si><si><t>End</t></si><si><r><t>AL</t></r><r><t>ID</t></r></si><si><t xml:space="preserve"> US </t></si>"#;
    let num_fmts = r#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="166" formatCode="[h]:mm:ss"/>"#;
    let cell_xfs = r#"<xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="166" applyNumberFormat="1"/><xf numFmtId="14"/><xf numFmtId="49"/>"#;
    let data = r#"<row r="4"><c r="A4" t="str"><v>acme</v></c><c r="B4" t="s"><v>4</v></c><c r="C4" t="inlineStr"><is><t>Movie</t></is></c><c r="D4" t="inlineStr"><is><t>SVOD</t></is></c><c r="E4" t="inlineStr"><is><t>CPH</t></is></c><c r="F4" s="1"><v>47484</v></c><c r="G4" s="2"><v>48000.75</v></c><c r="H4" t="inlineStr"><is><t>md:alid:org:acme:x</t></is></c></row><row r="5"><c t="inlineStr"><is><t>acme</t></is></c><c t="s"><v>4</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c><f>1+1</f><v>2</v></c><c t="d"><v>2030-01-01T00:00:00</v></c><c s="3"><v>1.5</v></c><c s="4"><v>-1</v></c></row><row r="9"><c r="A9" s="5" t="s"><v>4</v></c><c r="F9" t="n"><v>1e308</v></c><c r="G9" s="1"><v>2958466</v></c></row>"#;
    let sheet = format!("{header}{data}");
    // The same cells without a shared-strings table: its items inline.
    let mut inline = sheet.clone();
    for (i, item) in items.iter().enumerate() {
        inline = inline.replace(
            &format!(r#"t="s"><v>{i}</v>"#),
            &format!(r#"t="inlineStr"><is><t xml:space="preserve">{item}</t></is>"#),
        );
    }
    let cell_kinds = |flags: u8| {
        parts::join(&[
            &[flags],
            sheet.as_bytes(),
            sst.as_bytes(),
            num_fmts.as_bytes(),
            cell_xfs.as_bytes(),
            b"Movies\nFAQ\nTV",
            b"A1:H9",
            header.as_bytes(),
        ])
    };
    let past_table = sheet.replace(r#"s="5" t="s"><v>4</v>"#, r#"s="5" t="s"><v>99</v>"#);
    vec![
        ("hand-cell-kinds.parts", cell_kinds(0)),
        ("hand-cell-kinds.deflated-1904.parts", cell_kinds(1 | 8)),
        (
            "hand-no-styles-no-sst.parts",
            parts::join(&[&[2 | 4], inline.as_bytes(), b"", b"", b"", b"Sheet1"]),
        ),
        (
            "hand-sst-index-past-table.parts",
            parts::join(&[&[0], past_table.as_bytes(), sst.as_bytes()]),
        ),
    ]
}

/// An ods split into the parts `ods_parts` takes.
fn ods_to_parts(bytes: &[u8]) -> Vec<u8> {
    let e = unzip(bytes);
    let content = entry(&e, "content.xml");
    parts::join(&[
        &[0],
        inner(content, "office:automatic-styles"),
        inner(content, "office:spreadsheet"),
    ])
}

fn hand_ods_parts() -> Vec<u8> {
    let styles = r#"<number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style><style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>"#;
    let cell = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let header: String = [
        "DisplayName",
        "Territory",
        "WorkType",
        "EntryType",
        "TitleInternalAlias",
        "LicenseType",
        "GroupIdentity",
        "FormatProfile",
        "Start",
        "End",
        "ALID",
        "RentalDuration",
    ]
    .iter()
    .map(|h| cell(h))
    .collect();
    let data: String = [
        "acme",
        "US",
        "Movie",
        "Full Extract",
        "Dates",
        "SVOD",
        "CPH",
        "HD",
    ]
    .iter()
    .map(|v| cell(v))
    .collect();
    let body = format!(
        r#"<table:table table:name="Movies"><table:table-column table:number-columns-repeated="12"/><table:table-row>{cats}</table:table-row><table:table-row>{header}</table:table-row><table:table-row>{note}</table:table-row><table:table-row>{data}<table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="2030-01-01"><text:p>2030-01-01</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2031-12-31T23:59:59"><text:p>2031-12-31 23:59:59</text:p></table:table-cell><table:table-cell table:formula="of:=&quot;md:alid:&quot;&amp;[.E4]" office:value-type="string" office:string-value="md:alid:Dates"><text:p>md:alid:Dates</text:p></table:table-cell><table:table-cell office:value-type="time" office:time-value="PT48H00M00S"><text:p>48:00:00</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="12"/></table:table-row><table:table-row>{data}<table:table-cell office:value-type="float" office:value="47484"><text:p>47484</text:p></table:table-cell><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell><table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell><table:table-cell office:value-type="currency" office:currency="USD" office:value="4.99"><text:p>$4.99</text:p></table:table-cell></table:table-row></table:table><table:table table:name="Instructions"><table:table-row>{faq}</table:table-row></table:table>"#,
        cats = cell("Avail").repeat(12),
        note = cell("//comment"),
        faq = cell("Template Version") + &cell("1.7.3"),
    );
    parts::join(&[&[0], styles.as_bytes(), body.as_bytes()])
}

/// A document on one line: line breaks between tags dropped.
fn one_line(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    for line in xml.lines() {
        out.push_str(line.trim());
    }
    out
}

/// The smallest variant of an Avails XML sample: its prolog and root start
/// tag (comments dropped), its smallest `Avail`, and the root's end tag.
fn trim_xml(text: &str) -> Option<String> {
    let root = text.find("AvailList")?;
    let prefix = text[..root].rfind('<').map_or("", |lt| &text[lt + 1..root]);
    let open = format!("<{prefix}Avail>");
    let close = format!("</{prefix}Avail>");
    let first = text.find(&open)?;
    let mut head = String::new();
    let mut rest = &text[..first];
    while let Some(s) = rest.find("<!--") {
        head.push_str(&rest[..s]);
        rest = rest[s..].find("-->").map_or("", |e| &rest[s + e + 3..]);
    }
    head.push_str(rest);
    let head: String = head
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let mut avails = Vec::new();
    let mut at = first;
    while let Some(s) = text[at..].find(&open) {
        let s = at + s;
        let Some(e) = text[s..].find(&close) else {
            break;
        };
        let e = s + e + close.len();
        avails.push(&text[s..e]);
        at = e;
    }
    let small = avails.iter().min_by_key(|a| a.len())?;
    Some(format!("{head}\n  {small}\n</{prefix}AvailList>\n"))
}

fn csv_line(values: &[&str], delimiter: char) -> String {
    let quote = |v: &str| {
        if v.contains([delimiter, '"', '\n', '\r']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_string()
        }
    };
    let mut s = values
        .iter()
        .map(|v| quote(v))
        .collect::<Vec<_>>()
        .join(&delimiter.to_string());
    s.push_str("\r\n");
    s
}

/// CSV exports: a template's first rows and data rows, in the encodings,
/// delimiters and quoting spreadsheets write.
fn csv_seeds(root: &Path) -> Vec<(String, Vec<u8>)> {
    // The fields the rows use, in template order (a full header is long);
    // `tweak` changes a value before it is quoted.
    let sheet =
        |d: &Dict, delimiter: char, single_header: bool, tweak: &dyn Fn(String) -> String| {
            let names: Vec<&str> = d
                .names()
                .into_iter()
                .filter(|f| (0..3).any(|r| value(d, f, r).is_some()))
                .collect();
            let cats: Vec<&str> = names
                .iter()
                .map(|n| d.fields.iter().find(|(f, _)| f == n).unwrap().1.as_str())
                .collect();
            let mut s = String::new();
            if !single_header {
                s += &csv_line(&cats, delimiter);
            }
            s += &csv_line(&names, delimiter);
            if !single_header {
                let note = if matches!(d.version, "1.8" | "1.9") {
                    d.version
                } else {
                    "//Required"
                };
                s += &csv_line(&[note], delimiter);
            }
            for r in 0..3 {
                let vals: Vec<String> = names
                    .iter()
                    .map(|f| tweak(value(d, f, r).map(|v| plain(&v)).unwrap_or_default()))
                    .collect();
                let vals: Vec<&str> = vals.iter().map(String::as_str).collect();
                s += &csv_line(&vals, delimiter);
            }
            s
        };
    let same = |v: String| v;
    let m173 = Dict::load(root, "1.7.3", "movies");
    let base = sheet(&m173, ',', false, &same);
    let utf16 = |bom: [u8; 2], unit: fn(u16) -> [u8; 2]| -> Vec<u8> {
        bom.into_iter()
            .chain(base.encode_utf16().flat_map(unit))
            .collect()
    };
    // Values with the delimiter, quotes and line breaks inside quotes.
    let quoted = |v: String| match v.as_str() {
        "The Example Movie" => "The \"Example\", Movie\r\npart 2".to_string(),
        "Acme Pictures" => "Acme\nPictures".to_string(),
        _ => v,
    };
    // Accents and typographic quotes, in Windows-1252.
    let accented = |v: String| match v.as_str() {
        "The Example Movie" => "Café — “Noël” €, l'été".to_string(),
        _ => v,
    };
    let cp1252: Vec<u8> = sheet(&m173, ',', false, &accented)
        .chars()
        .map(|c| match c {
            '—' => 0x97,
            '“' => 0x93,
            '”' => 0x94,
            '€' => 0x80,
            c if (c as u32) < 256 => c as u8,
            _ => b'?',
        })
        .collect();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(base.as_bytes());
    // Blank lines between the rows, and bare `\n` line ends.
    let gaps = base
        .replacen("\r\n", "\r\n\r\n", 4)
        .replace("\r\n//", "\n\n//");
    vec![
        ("ema-1.7.3-movies.csv".into(), base.clone().into_bytes()),
        (
            "ema-1.6-tv.csv".into(),
            sheet(&Dict::load(root, "1.6", "tv"), ',', false, &same).into_bytes(),
        ),
        (
            "ema-1.9-movies.semicolon.csv".into(),
            sheet(&Dict::load(root, "1.9", "movies"), ';', false, &same).into_bytes(),
        ),
        (
            "ema-1.7.3-movies.tab.csv".into(),
            sheet(&m173, '\t', false, &same).into_bytes(),
        ),
        (
            "ema-1.7.3-movies.single-header.csv".into(),
            sheet(&m173, ',', true, &same).into_bytes(),
        ),
        ("ema-1.7.3-movies.bom.csv".into(), bom),
        (
            "ema-1.7.3-movies.utf16le.csv".into(),
            utf16([0xFF, 0xFE], u16::to_le_bytes),
        ),
        (
            "ema-1.7.3-movies.utf16be.csv".into(),
            utf16([0xFE, 0xFF], u16::to_be_bytes),
        ),
        (
            "ema-1.7.3-movies.quoted.csv".into(),
            sheet(&m173, ',', false, &quoted).into_bytes(),
        ),
        ("ema-1.7.3-movies.windows-1252.csv".into(), cp1252),
        ("ema-1.7.3-movies.blank-lines.csv".into(), gaps.into_bytes()),
    ]
}

/// A value as text: the `@date:`/`@datetime:` marks of [`value`] dropped.
fn plain(v: &str) -> String {
    v.strip_prefix("@date:")
        .or_else(|| v.strip_prefix("@datetime:"))
        .unwrap_or(v)
        .to_string()
}

/// Start/End forms, durations, offsets and lead times.
const DATETIMES: [&str; 34] = [
    "2027-01-01",
    "2027-01-01T00:00:00",
    "2027-01-01T00:00:00Z",
    "2027-01-01T23:59:59Z",
    "2027-01-01T00:00:00+05:30",
    "2027-01-01T00:00:00-08:00",
    "2027-01-01T00:00:00.000Z",
    "2027-01-01 00:00:00",
    "2027-01-01T00:00",
    "2026-12-31T24:00:00",
    "2027-02-29",
    "2024-02-29",
    "1900-01-01",
    "9999-12-31T23:59:59Z",
    "Open",
    "Immediate",
    "OPEN",
    " open ",
    "45000",
    "45000.5",
    "2958465",
    "P30D",
    "PT48H",
    "P1Y2M3DT4H5M6S",
    "P",
    "PT",
    "+05:30",
    "-08:00",
    "Z",
    "14d",
    "2w",
    "48h",
    "1/1/2027",
    "01/31/2027 10:00 PM",
];

/// A minimal xlsb (BIFF12 records) of one 1.7.3 Movies sheet: header rows,
/// two data rows with shared strings, inline strings and numbers with a date
/// format. LibreOffice cannot write xlsb, so it is written here.
fn xlsb(d: &Dict) -> Vec<u8> {
    fn rec(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
        if typ < 0x80 {
            out.push(typ as u8);
        } else {
            out.push((typ & 0x7F) as u8 | 0x80);
            out.push((typ >> 7) as u8);
        }
        let mut n = body.len();
        loop {
            let mut b = (n & 0x7F) as u8;
            n >>= 7;
            if n > 0 {
                b |= 0x80;
            }
            out.push(b);
            if n == 0 {
                break;
            }
        }
        out.extend_from_slice(body);
    }
    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut v = (units.len() as u32).to_le_bytes().to_vec();
        v.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        v
    }
    fn cell_head(col: u32, style: u32) -> Vec<u8> {
        let mut v = col.to_le_bytes().to_vec();
        v.extend_from_slice(&style.to_le_bytes()[..3]);
        v.push(0);
        v
    }
    let le = |n: u32| n.to_le_bytes();

    // Shared strings: the field names.
    let names = d.names();
    let mut sst = Vec::new();
    let count = names.len() as u32;
    rec(&mut sst, 0x009F, &[le(count), le(count)].concat());
    for n in &names {
        let mut b = vec![0u8];
        b.extend(wide(n));
        rec(&mut sst, 0x0013, &b);
    }
    rec(&mut sst, 0x00A0, &[]);

    // Styles: XF 0 general, XF 1 custom yyyy-mm-dd, XF 2 built-in date 14.
    let mut styles = Vec::new();
    rec(&mut styles, 0x0267, &le(1));
    rec(
        &mut styles,
        0x002C,
        &[&164u16.to_le_bytes()[..], &wide("yyyy-mm-dd")].concat(),
    );
    rec(&mut styles, 0x0268, &[]);
    rec(&mut styles, 0x0269, &le(3));
    for fmt in [0u16, 164, 14] {
        let mut xf = vec![0u8; 16];
        xf[2..4].copy_from_slice(&fmt.to_le_bytes());
        rec(&mut styles, 0x002F, &xf);
    }
    rec(&mut styles, 0x026A, &[]);

    // The sheet.
    let mut sheet = Vec::new();
    rec(&mut sheet, 0x0081, &[]);
    rec(
        &mut sheet,
        0x0094,
        &[le(0), le(5), le(0), le(count - 1)].concat(),
    );
    rec(&mut sheet, 0x0091, &[]);
    let row = |sheet: &mut Vec<u8>, r: u32| {
        let mut h = r.to_le_bytes().to_vec();
        h.extend_from_slice(&[0; 13]);
        rec(sheet, 0x0000, &h);
    };
    row(&mut sheet, 0);
    for (c, (_, cat)) in d.fields.iter().enumerate() {
        rec(
            &mut sheet,
            0x0006,
            &[cell_head(c as u32, 0), wide(cat)].concat(),
        );
    }
    row(&mut sheet, 1);
    for c in 0..count {
        rec(
            &mut sheet,
            0x0007,
            &[cell_head(c, 0), le(c).to_vec()].concat(),
        );
    }
    row(&mut sheet, 2);
    rec(
        &mut sheet,
        0x0006,
        &[cell_head(0, 0), wide("//Required")].concat(),
    );
    for r in 0..2 {
        row(&mut sheet, 3 + r as u32);
        for (c, n) in names.iter().enumerate() {
            let c = c as u32;
            match (*n, r) {
                ("Start", 0) => rec(
                    &mut sheet,
                    0x0005,
                    &[cell_head(c, 1), 47484f64.to_le_bytes().to_vec()].concat(),
                ),
                ("End", 0) => rec(
                    &mut sheet,
                    0x0005,
                    &[cell_head(c, 2), 48213.5f64.to_le_bytes().to_vec()].concat(),
                ),
                ("SeasonNumber" | "ReleaseYear", _) => {
                    // An RK number: an integer n is stored as n << 2 | 2.
                    let n: u32 = if *n == "SeasonNumber" { 1 } else { 2024 };
                    rec(
                        &mut sheet,
                        0x0002,
                        &[cell_head(c, 0), ((n << 2) | 2).to_le_bytes().to_vec()].concat(),
                    )
                }
                _ => {
                    if let Some(v) = value(d, n, r) {
                        rec(
                            &mut sheet,
                            0x0006,
                            &[cell_head(c, 0), wide(&plain(&v))].concat(),
                        );
                    }
                }
            }
        }
    }
    rec(&mut sheet, 0x0092, &[]);
    rec(&mut sheet, 0x0082, &[]);

    // The workbook: one sheet, then the record calamine stops at.
    let mut book = Vec::new();
    rec(&mut book, 0x0083, &[]);
    rec(&mut book, 0x0099, &[0; 12]);
    rec(&mut book, 0x008F, &[]);
    rec(
        &mut book,
        0x009C,
        &[le(0).to_vec(), le(1).to_vec(), wide("rId1"), wide("Movies")].concat(),
    );
    rec(&mut book, 0x0090, &[]);
    rec(&mut book, 0x009D, &[0; 26]);
    rec(&mut book, 0x0084, &[]);

    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.bin"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.bin"/></Relationships>"#;
    let package_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/><Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/></Types>"#;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in [
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", package_rels.as_bytes()),
        ("xl/workbook.bin", &book),
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.bin", &sheet),
        ("xl/sharedStrings.bin", &sst),
        ("xl/styles.bin", &styles),
    ] {
        w.start_file(name, opts).expect("entry");
        w.write_all(body).expect("entry is written");
    }
    w.finish().expect("zip").into_inner()
}
