//! Writes realistic EMA 1.7.3 avails of N rows for benchmarks and demos:
//! Movies or TV workbooks (rust_xlsxwriter) or Avails XML v2.3 (plain text).
//!
//! Each title has a Licensed SVOD row and a CPH row in each of four
//! territories (US, GB, DE, FR); the licensed End is one minute before the
//! CPH Start (in XML the CPH marker is each CPH Transaction's ContractID,
//! since an Avail-level GroupingEntity would mark the licensed ones too).
//! About 1% of rows carry an injected problem (past Start,
//! territory outside the agreement, bad FormatProfile, overlapping licensed
//! window). Output is deterministic for a given N and seed. Workbook text
//! is in a shared-strings table, as Excel writes it.
//!
//! ```sh
//! cargo run --release --example generate -- movies 60000 42 target/perf/movies-60k.xlsx
//! cargo run --release --example generate -- xml 60000 42 target/perf/avails-60k.xml
//! ```
//! Check them with `--territories US,GB,DE,FR --partner acme --as-of 2026-11-22T00:00:00Z`.

#![allow(dead_code)]

use std::io::Write;

use rust_xlsxwriter::{Workbook, XlsxError};

/// What to write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// EMA 1.7.3 Movies sheet.
    Movies,
    /// EMA 1.7.3 TV sheet (episodes).
    Tv,
    /// Avails XML v2.3.
    Xml,
}

const TERRITORIES: [&str; 4] = ["US", "GB", "DE", "FR"];

/// One generated row.
struct Row {
    alid: String,
    title: String,
    territory: &'static str,
    cph: bool,
    start: String,
    end: String,
    format: &'static str,
    episode: u32,
}

/// Deterministic pseudo-random numbers (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn rows(n: usize, seed: u64) -> impl Iterator<Item = Row> {
    let mut rng = Rng(seed);
    (0..n).map(move |i| {
        let title_no = i / 8;
        let territory = TERRITORIES[(i / 2) % 4];
        let cph = i % 2 == 1;
        let day = title_no % 365;
        let (y, m, d) = (
            2030 + (title_no / 365) % 5,
            1 + (day / 28) % 12,
            1 + day % 28,
        );
        let cph_start = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
        // Licensed End one minute before the CPH Start: the previous day 23:59:00.
        let licensed_end = prev_day(y, m, d);
        let mut row = Row {
            alid: format!(
                "md:alid:eidr-s:{:04X}-{:04X}-BENCH-{title_no}",
                title_no % 65536,
                seed % 65536
            ),
            title: format!("Title {title_no}"),
            territory,
            cph,
            start: if cph {
                cph_start.clone()
            } else {
                "2024-01-01T00:00:00Z".into()
            },
            end: if cph { "Open".into() } else { licensed_end },
            format: "HD",
            episode: (title_no % 20) as u32 + 1,
        };
        if rng.next().is_multiple_of(100) {
            match rng.next() % 4 {
                0 if cph => row.start = "2020-01-01T00:00:00Z".into(),
                1 if cph => row.territory = "IN",
                2 => row.format = "4K",
                _ if !cph => row.end = format!("{y:04}-{m:02}-{d:02}T12:00:00Z"),
                _ => row.format = "4K",
            }
        }
        row
    })
}

fn prev_day(y: usize, m: usize, d: usize) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
        .expect("generated dates are valid");
    let prev = date.pred_opt().expect("not the first day of the calendar");
    format!("{}T23:59:00Z", prev.format("%Y-%m-%d"))
}

const MOVIES: [(&str, &str); 20] = [
    ("Avail", "DisplayName"),
    ("AvailTrans", "AssetLanguage"),
    ("AvailTrans", "Territory"),
    ("AvailAsset", "WorkType"),
    ("Disposition", "EntryType"),
    ("AvailMetadata", "TitleInternalAlias"),
    ("AvailMetadata", "TitleDisplayUnlimited"),
    ("AvailMetadata", "GroupIdentity"),
    ("AvailMetadata", "Director"),
    ("AvailTrans", "LicenseType"),
    ("AvailTrans", "LicenseRightsDescription"),
    ("AvailTrans", "FormatProfile"),
    ("AvailTrans", "Start"),
    ("AvailTrans", "End"),
    ("AvailTrans", "PriceType"),
    ("AvailTrans", "PriceValue"),
    ("AvailAsset", "ContentID"),
    ("Avail", "ALID"),
    ("AvailMetadata", "ReleaseYear"),
    ("AvailMetadata", "TotalRunTime"),
];

const TV: [(&str, &str); 21] = [
    ("Avail", "DisplayName"),
    ("AvailTrans", "AssetLanguage"),
    ("AvailTrans", "Territory"),
    ("AvailAsset", "WorkType"),
    ("Disposition", "EntryType"),
    ("AvailMetadata", "SeriesTitleInternalAlias"),
    ("AvailMetadata", "SeasonNumber"),
    ("AvailMetadata", "EpisodeNumber"),
    ("AvailMetadata", "EpisodeTitleInternalAlias"),
    ("AvailMetadata", "GroupIdentity"),
    ("AvailTrans", "LicenseType"),
    ("AvailTrans", "LicenseRightsDescription"),
    ("AvailTrans", "FormatProfile"),
    ("AvailTrans", "Start"),
    ("AvailTrans", "End"),
    ("AvailAsset", "SeriesContentID"),
    ("AvailAsset", "SeasonContentID"),
    ("AvailAsset", "EpisodeContentID"),
    ("Avail", "ALID"),
    ("AvailMetadata", "Director"),
    ("AvailMetadata", "ReleaseYear"),
];

fn language(territory: &str) -> &'static str {
    match territory {
        "GB" | "US" => "en:audio",
        "DE" => "de:audio, en:audio",
        "FR" => "fr:audio, en:subtitle",
        _ => "en:audio",
    }
}

fn values(kind: Kind, r: &Row) -> Vec<String> {
    let marker = if r.cph { "CPH" } else { "" };
    let lang = language(r.territory).to_string();
    match kind {
        Kind::Tv => vec![
            "acme".into(),
            lang,
            r.territory.into(),
            "Episode".into(),
            "Full Extract".into(),
            r.title.clone(),
            "1".into(),
            r.episode.to_string(),
            format!("{} E{}", r.title, r.episode),
            marker.into(),
            "SVOD".into(),
            String::new(),
            r.format.into(),
            r.start.clone(),
            r.end.clone(),
            format!("md:cid:org:acme:series:{}", r.title.len()),
            format!("md:cid:org:acme:season:{}", r.title),
            format!("md:cid:org:acme:ep:{}", r.alid),
            r.alid.clone(),
            "Jane Doe".into(),
            "2019".into(),
        ],
        _ => vec![
            "acme".into(),
            lang,
            r.territory.into(),
            "Movie".into(),
            "Full Extract".into(),
            r.title.clone(),
            format!("{} (Director's Cut)", r.title),
            marker.into(),
            "Jane Doe".into(),
            "SVOD".into(),
            String::new(),
            r.format.into(),
            r.start.clone(),
            r.end.clone(),
            String::new(),
            String::new(),
            format!("md:cid:org:acme:{}", r.alid),
            r.alid.clone(),
            "2019".into(),
            "01:52:30".into(),
        ],
    }
}

/// Writes `n` rows of `kind` to `path`.
pub fn write(kind: Kind, n: usize, seed: u64, path: &str) -> Result<(), String> {
    match kind {
        Kind::Xml => write_xml(n, seed, path).map_err(|e| e.to_string()),
        _ => write_xlsx(kind, n, seed, path).map_err(|e| e.to_string()),
    }
}

fn write_xlsx(kind: Kind, n: usize, seed: u64, path: &str) -> Result<(), XlsxError> {
    let header: &[(&str, &str)] = if kind == Kind::Tv { &TV } else { &MOVIES };
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet_with_low_memory();
    sheet.set_name(if kind == Kind::Tv { "TV" } else { "Movies" })?;
    // Text goes to a shared-strings table, as Excel saves it; low-memory
    // mode streams the rows, so they are written strictly in order.
    for (c, (cat, _)) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *cat)?;
    }
    for (c, (_, field)) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *field)?;
    }
    sheet.write_string(2, 0, "//generated by availcheck examples/generate.rs")?;
    for (i, r) in rows(n, seed).enumerate() {
        for (c, v) in values(kind, &r).iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(3 + i as u32, c as u16, v)?;
            }
        }
    }
    wb.save(path)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

fn write_xml(n: usize, seed: u64, path: &str) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        f,
        r#"<avails:AvailList xmlns:avails="http://www.movielabs.com/schema/avails/v2.3/avails" xmlns:md="http://www.movielabs.com/schema/md/v2.6/md" xmlns:mdmec="http://www.movielabs.com/schema/mdmec/v2.6">"#
    )?;
    let all: Vec<Row> = rows(n, seed).collect();
    for title in all.chunks(8) {
        let r0 = &title[0];
        write!(
            f,
            r#" <avails:Avail>
  <avails:ALID>{}</avails:ALID>
  <avails:Disposition><avails:EntryType>Full Extract</avails:EntryType></avails:Disposition>
  <avails:Licensor><md:DisplayName>acme</md:DisplayName></avails:Licensor>
  <avails:AvailType>single</avails:AvailType>
  <avails:ShortDescription>{}</avails:ShortDescription>
  <avails:Asset contentID="md:cid:org:acme:{}">
   <avails:WorkType>Movie</avails:WorkType>
   <avails:Metadata>
    <avails:TitleInternalAlias>{}</avails:TitleInternalAlias>
   </avails:Metadata>
  </avails:Asset>
"#,
            esc(&r0.alid),
            esc(&r0.title),
            esc(&r0.alid),
            esc(&r0.title)
        )?;
        for r in title {
            let (start, end) = (&r.start, &r.end);
            let end_el = if end == "Open" {
                "<avails:EndCondition>Open</avails:EndCondition>".to_string()
            } else {
                format!("<avails:End>{}</avails:End>", end.trim_end_matches('Z'))
            };
            let contract = if r.cph {
                "<avails:ContractID>CPH</avails:ContractID>"
            } else {
                ""
            };
            let lang = language(r.territory)
                .split(',')
                .next()
                .unwrap_or("en")
                .split(':')
                .next()
                .unwrap_or("en")
                .trim()
                .to_string();
            write!(
                f,
                r#"  <avails:Transaction>
   <avails:LicenseType>SVOD</avails:LicenseType>
   <avails:Territory><md:country>{}</md:country></avails:Territory>
   <avails:Start>{}</avails:Start>
   {end_el}
   <avails:AssetLanguage asset="audio">{lang}</avails:AssetLanguage>
   <avails:FormatProfile>{}</avails:FormatProfile>
   {contract}
   <avails:Term termName="Tier"><avails:Text>1</avails:Text></avails:Term>
  </avails:Transaction>
"#,
                r.territory,
                start.trim_end_matches('Z'),
                r.format
            )?;
        }
        writeln!(f, " </avails:Avail>")?;
    }
    writeln!(f, "</avails:AvailList>")?;
    f.flush()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: generate movies|tv|xml ROWS SEED OUT";
    let [kind, n, seed, out] = args.as_slice() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let kind = match kind.as_str() {
        "movies" => Kind::Movies,
        "tv" => Kind::Tv,
        "xml" => Kind::Xml,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let (Ok(n), Ok(seed)) = (n.parse(), seed.parse()) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    if let Err(e) = write(kind, n, seed, out) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
