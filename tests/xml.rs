//! Avails XML reader, end to end: runs the real binary with
//! `check --format json --as-of 2026-11-22T00:00:00Z` and reads its JSON.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

const AS_OF: &str = "2026-11-22T00:00:00Z";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/xml")
        .join(name)
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn diags(&self) -> &Vec<Value> {
        self.json["diagnostics"]
            .as_array()
            .expect("diagnostics array")
    }

    /// Sorted distinct codes.
    fn codes(&self) -> BTreeSet<String> {
        self.diags()
            .iter()
            .map(|d| d["code"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    fn with_code(&self, code: &str) -> Vec<&Value> {
        self.diags().iter().filter(|d| d["code"] == code).collect()
    }

    fn count(&self, severity: &str) -> usize {
        self.diags()
            .iter()
            .filter(|d| d["severity"] == severity)
            .count()
    }

    fn file_error(&self) -> String {
        self.json["files"][0]["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn dump(&self) -> String {
        let mut s = format!("exit {}\nstderr: {}\n", self.code, self.stderr);
        for d in self.diags() {
            s.push_str(&format!(
                "{} {} {}:{} [{}] {:?}: {}\n",
                d["code"].as_str().unwrap_or_default(),
                d["severity"].as_str().unwrap_or_default(),
                d["location"]["line"],
                d["location"]["col"],
                d["location"]["field"].as_str().unwrap_or_default(),
                d["location"]["value"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default()
            ));
        }
        s
    }
}

fn check(paths: &[&Path], extra: &[&str]) -> Run {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_availcheck"))
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .args(extra)
        .args(paths)
        .output()
        .expect("run availcheck");
    let elapsed = start.elapsed();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed,
    }
}

fn check_bytes(bytes: &[u8], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("avails.xml");
    std::fs::write(&path, bytes).expect("write xml");
    check(&[&path], extra)
}

const CPH: [&str; 4] = ["--profile", "cph-svod", "--territories", "US"];

// ---------------------------------------------------------------- builders

/// One Transaction.
#[derive(Clone)]
struct Tx {
    license: &'static str,
    territories: Vec<&'static str>,
    start: &'static str,
    end: &'static str,
    languages: Vec<&'static str>,
    format: &'static str,
    contract: Option<&'static str>,
    term: (&'static str, &'static str),
}

impl Default for Tx {
    fn default() -> Self {
        Tx {
            license: "SVOD",
            territories: vec!["US"],
            start: "2027-01-01T00:00:00Z",
            end: "2027-12-31T23:59:59Z",
            languages: vec!["en"],
            format: "HD",
            contract: None,
            term: ("NA", "NA"),
        }
    }
}

/// One Avail (one Asset, any number of Transactions).
#[derive(Clone)]
struct Av {
    alid: &'static str,
    display: &'static str,
    work_type: &'static str,
    group: Option<&'static str>,
    txs: Vec<Tx>,
}

impl Default for Av {
    fn default() -> Self {
        Av {
            alid: "md:alid:eidr-s:ACME-0001",
            display: "acme",
            work_type: "Movie",
            group: Some("CPH"),
            txs: vec![Tx::default()],
        }
    }
}

fn when(tag: &str, v: &str) -> String {
    if v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        format!("      <avails:{tag}>{v}</avails:{tag}>\n")
    } else {
        format!("      <avails:{tag}Condition>{v}</avails:{tag}Condition>\n")
    }
}

fn tx_xml(i: usize, t: &Tx) -> String {
    let mut s = format!("    <avails:Transaction TransactionID=\"t{i}\">\n");
    s += &format!(
        "      <avails:LicenseType>{}</avails:LicenseType>\n",
        t.license
    );
    for c in &t.territories {
        s += &format!("      <avails:Territory><md:country>{c}</md:country></avails:Territory>\n");
    }
    s += &when("Start", t.start);
    s += &when("End", t.end);
    for l in &t.languages {
        s += &format!("      <avails:AssetLanguage>{l}</avails:AssetLanguage>\n");
    }
    s += &format!(
        "      <avails:FormatProfile>{}</avails:FormatProfile>\n",
        t.format
    );
    if let Some(c) = t.contract {
        s += &format!("      <avails:ContractID>{c}</avails:ContractID>\n");
    }
    let (name, value) = t.term;
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        s += &format!(
            "      <avails:Term termName=\"{name}\"><avails:Money currency=\"USD\">{value}</avails:Money></avails:Term>\n"
        );
    } else {
        s += &format!(
            "      <avails:Term termName=\"{name}\"><avails:Text>{value}</avails:Text></avails:Term>\n"
        );
    }
    s += "    </avails:Transaction>\n";
    s
}

fn avail_xml(a: &Av) -> String {
    let avail_type = match a.work_type {
        "Episode" => "episode",
        "Season" => "season",
        _ => "single",
    };
    let mut s = String::from("  <avails:Avail>\n");
    s += &format!("    <avails:ALID>{}</avails:ALID>\n", a.alid);
    s += "    <avails:Disposition><avails:EntryType>Full Extract</avails:EntryType></avails:Disposition>\n";
    s += &format!(
        "    <avails:Licensor><md:DisplayName>{}</md:DisplayName></avails:Licensor>\n",
        a.display
    );
    s += &format!("    <avails:AvailType>{avail_type}</avails:AvailType>\n");
    s += "    <avails:ShortDescription>availcheck test</avails:ShortDescription>\n";
    s += &format!(
        "    <avails:Asset contentID=\"{}\">\n",
        a.alid.replace("alid", "cid")
    );
    s += &format!("      <avails:WorkType>{}</avails:WorkType>\n", a.work_type);
    s += "      <avails:Metadata>\n";
    s += &format!(
        "        <avails:TitleInternalAlias>Title {}</avails:TitleInternalAlias>\n",
        a.alid
    );
    if let Some(g) = a.group {
        s += &format!(
            "        <avails:GroupingEntity><md:Type>channel</md:Type><md:GroupIdentity>{g}</md:GroupIdentity><md:DisplayName>{g}</md:DisplayName></avails:GroupingEntity>\n"
        );
    }
    s += "      </avails:Metadata>\n    </avails:Asset>\n";
    for (i, t) in a.txs.iter().enumerate() {
        s += &tx_xml(i + 1, t);
    }
    s += "  </avails:Avail>\n";
    s
}

/// A v2.3 document, with the 1-based line range of each Avail.
fn doc(avails: &[Av]) -> (String, Vec<(u64, u64)>) {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<avails:AvailList xmlns:avails=\"http://www.movielabs.com/schema/avails/v2.3/avails\" xmlns:md=\"http://www.movielabs.com/schema/md/v2.6/md\">\n",
    );
    let mut ranges = Vec::new();
    for a in avails {
        let first = s.lines().count() as u64 + 1;
        s += &avail_xml(a);
        ranges.push((first, s.lines().count() as u64));
    }
    s += "</avails:AvailList>\n";
    (s, ranges)
}

fn doc1(a: Av) -> String {
    doc(&[a]).0
}

/// Every diagnostic that points into the file has a line and column.
fn assert_positions(run: &Run) {
    for d in run.diags() {
        let loc = &d["location"];
        if loc["field"].is_string() || loc["value"].is_string() {
            assert!(
                loc["line"].as_u64().is_some_and(|l| l > 0)
                    && loc["col"].as_u64().is_some_and(|c| c > 0),
                "no line/col: {d}"
            );
            assert!(loc["row"].is_null(), "XML locations have no row: {d}");
        }
    }
}

/// The diagnostics of `code` as (line, value).
fn hits(run: &Run, code: &str) -> Vec<(u64, String)> {
    run.with_code(code)
        .into_iter()
        .map(|d| {
            (
                d["location"]["line"].as_u64().unwrap_or(0),
                d["location"]["value"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------- samples

#[test]
fn sample_no_errors_v2_3() {
    let path = fixture("mddf/mddf_Avails_noErrors_v2.3.xml");
    // EMA profile: MovieLabs calls the file valid. The two SRP-only EST
    // Transactions of the first Avail are priced: in XML a Term holding
    // Money is a price (EMA019), there is no PriceType column.
    let run = check(&[&path], &["--profile", "ema"]);
    assert_eq!(run.code, 0, "{}", run.dump());
    let file = &run.json["files"][0];
    assert_eq!(file["kind"], "xml");
    assert_eq!(file["template_version"], "2.3");
    assert_eq!(file["rows"], 24);
    assert!(file["error"].is_null());
    // The sample's collection titles are wrapped inside their elements
    // (lines 273 and 275: a line break and five tabs in the middle of the
    // title), which xs:string keeps: EMA016 warns (MovieLabs calls the file
    // valid; the title Amazon shows would hold those characters), once per
    // title although the collection has two Transactions.
    assert_eq!(
        run.codes(),
        BTreeSet::from(["AVC001".to_string(), "EMA016".to_string()]),
        "{}",
        run.dump()
    );
    let lines: Vec<u64> = hits(&run, "EMA016").into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, [273, 275], "{}", run.dump());
    assert_positions(&run);

    // CPH profile adds: licensors are not partner aliases (CPH007 per
    // licensor), and no row carries the CPH marker (CPH011 warning).
    let run = check(&[&path], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.codes(),
        ["AVC001", "CPH007", "CPH011", "EMA016"]
            .map(String::from)
            .into(),
        "{}",
        run.dump()
    );
    let aliases: BTreeSet<String> = hits(&run, "CPH007").into_iter().map(|(_, v)| v).collect();
    assert_eq!(
        aliases,
        ["20th Century Fox", "BVVOD", "Disney"]
            .map(String::from)
            .into()
    );
    assert_positions(&run);
}

#[test]
fn sample_with_errors_v2_2_2() {
    let path = fixture("mddf/mddf_Avails_withErrors.xml");
    let run = check(&[&path], &["--profile", "ema"]);
    assert_eq!(run.code, 1, "{}", run.dump());
    let file = &run.json["files"][0];
    assert_eq!(file["template_version"], "2.2.2");
    assert_eq!(file["rows"], 4);
    // Found: territory JJ (line 52), languages XYZ (60), `fr-xx` (89: a
    // private-use region) and ENg (91); the ratings: MPAA has no rating `6`
    // (42), FPB's reasons are codes and `Sex` is none (147), and MPAA is not
    // used in DE (135, a warning). Not found by availcheck (outside its
    // rules): LicenseRightsDescription `Librry` (free text in EMA 1.7.2).
    assert_eq!(
        run.codes(),
        ["AVC001", "EMA005", "EMA006", "EMA041", "EMA042", "EMA043"]
            .map(String::from)
            .into(),
        "{}",
        run.dump()
    );
    for (code, line, value) in [
        ("EMA041", 42, "6"),
        ("EMA042", 147, "Sex"),
        ("EMA043", 135, "DE"),
    ] {
        let found: BTreeSet<(u64, String)> = hits(&run, code).into_iter().collect();
        assert_eq!(found, [(line, value.to_string())].into(), "{code}");
    }
    assert_eq!(hits(&run, "EMA005"), vec![(52, "JJ".to_string())]);
    let langs: BTreeSet<(u64, String)> = hits(&run, "EMA006").into_iter().collect();
    assert_eq!(
        langs,
        [
            (60, "XYZ".to_string()),
            (89, "fr-xx".to_string()),
            (91, "ENg".to_string())
        ]
        .into()
    );
    let territory = run.with_code("EMA005")[0];
    assert_eq!(territory["location"]["col"], 21);
    assert_eq!(territory["location"]["field"], "Territory");
    assert_positions(&run);
}

// ---------------------------------------------------------------- clean CPH

#[test]
fn clean_cph_avail_has_no_findings() {
    for run in [
        check_bytes(doc1(Av::default()).as_bytes(), &CPH),
        check(&[&fixture("cph_clean_v2.3.xml")], &CPH),
    ] {
        assert_eq!(run.code, 0, "{}", run.dump());
        assert_eq!(run.count("error"), 0, "{}", run.dump());
        assert_eq!(run.count("warning"), 0, "{}", run.dump());
        assert_eq!(run.json["files"][0]["rows"], 1);
        assert_eq!(run.json["files"][0]["template_version"], "2.3");
        let version = run.with_code("AVC001");
        assert_eq!(version.len(), 1);
        assert!(
            version[0]["message"]
                .as_str()
                .unwrap()
                .contains("avails/v2.3/avails"),
            "{}",
            run.dump()
        );
    }
}

#[test]
fn default_namespace_and_bare_avail_root() {
    let (xml, _) = doc(&[Av::default()]);
    // Default namespace instead of the `avails:` prefix.
    let plain = xml
        .replace("xmlns:avails=", "xmlns=")
        .replace("<avails:", "<")
        .replace("</avails:", "</");
    let run = check_bytes(plain.as_bytes(), &CPH);
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(run.json["files"][0]["rows"], 1);
    // A bare Avail as the root element.
    let body = avail_xml(&Av::default()).replacen(
        "<avails:Avail>",
        "<avails:Avail xmlns:avails=\"http://www.movielabs.com/schema/avails/v2.3/avails\" xmlns:md=\"http://www.movielabs.com/schema/md/v2.6/md\">",
        1,
    );
    let run = check_bytes(body.as_bytes(), &CPH);
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(run.json["files"][0]["rows"], 1);
}

// ---------------------------------------------------------------- rules through XML

#[test]
fn bad_territory() {
    let mut a = Av::default();
    a.txs[0].territories = vec!["US", "JJ"];
    let run = check_bytes(doc1(a).as_bytes(), &CPH);
    assert_eq!(run.code, 1);
    let h = hits(&run, "EMA005");
    assert_eq!(h.len(), 1, "{}", run.dump());
    assert_eq!(h[0].1, "JJ");
    // One Cell per Territory element: US is fine; JJ is no territory at
    // all, EMA005's finding alone (CPH003 judges real territories only).
    assert!(hits(&run, "CPH003").is_empty(), "{}", run.dump());
    assert_positions(&run);
}

#[test]
fn bad_language() {
    let mut a = Av::default();
    a.txs[0].languages = vec!["en", "XYZ"];
    let run = check_bytes(doc1(a).as_bytes(), &CPH);
    assert_eq!(run.code, 1);
    assert_eq!(
        hits(&run, "EMA006")
            .into_iter()
            .map(|(_, v)| v)
            .collect::<Vec<_>>(),
        vec!["XYZ"],
        "{}",
        run.dump()
    );
}

#[test]
fn allowed_language_asset_attribute() {
    let (xml, _) = doc(&[Av::default()]);
    let xml = xml.replace(
        "<avails:AssetLanguage>en</avails:AssetLanguage>",
        "<avails:AllowedLanguage asset=\"subdub\">fr</avails:AllowedLanguage>\n      <avails:AssetLanguage asset=\"audiodescription\">en</avails:AssetLanguage>",
    );
    let run = check_bytes(xml.as_bytes(), &CPH);
    // `en:audiodescription` is not a language asset; `fr:subdub` is fine.
    let h = hits(&run, "EMA006");
    assert_eq!(h.len(), 1, "{}", run.dump());
    assert_eq!(h[0].1, "en:audiodescription");
}

#[test]
fn format_profile_4k_on_2_3() {
    let mut a = Av::default();
    a.txs[0].format = "4K";
    let run = check_bytes(doc1(a).as_bytes(), &CPH);
    assert_eq!(run.code, 1);
    let d = run.with_code("EMA004");
    assert_eq!(d.len(), 1, "{}", run.dump());
    assert_eq!(d[0]["location"]["field"], "FormatProfile");
    assert_eq!(d[0]["location"]["value"], "4K");
    assert!(
        d[0]["message"].as_str().unwrap().contains("2.3"),
        "{}",
        run.dump()
    );
}

#[test]
fn past_start_on_cph_row() {
    let mut a = Av::default();
    a.txs[0].start = "2026-06-01T00:00:00Z";
    let run = check_bytes(doc1(a).as_bytes(), &CPH);
    assert_eq!(run.code, 1);
    let h = hits(&run, "CPH004");
    assert_eq!(h.len(), 1, "{}", run.dump());
    assert_eq!(h[0].1, "2026-06-01T00:00:00Z");
    // A StartCondition is a condition word, not a forward-looking date.
    let mut a = Av::default();
    a.txs[0].start = "Immediate";
    let run = check_bytes(doc1(a).as_bytes(), &CPH);
    assert_eq!(hits(&run, "CPH004")[0].1, "Immediate", "{}", run.dump());
}

#[test]
fn licensed_svod_overlapping_cph_is_cph005() {
    // One Avail, two Transactions: a licensed SVOD window (no marker) that is
    // open-ended, and a CPH window marked by ContractID.
    let a = Av {
        group: None,
        txs: vec![
            Tx {
                start: "2026-01-01T00:00:00Z",
                end: "Open",
                ..Tx::default()
            },
            Tx {
                contract: Some("CPH"),
                ..Tx::default()
            },
        ],
        ..Av::default()
    };
    let run = check_bytes(doc1(a).as_bytes(), &CPH);
    assert_eq!(run.code, 1);
    let d = run.with_code("CPH005");
    assert_eq!(d.len(), 1, "{}", run.dump());
    assert_eq!(d[0]["severity"], "error");
    assert!(d[0]["message"].as_str().unwrap().contains("open-ended"));
    // The related location points at the licensed End (an EndCondition).
    let related = d[0]["related"].to_string();
    assert!(related.contains("\"line\""), "{related}");
}

#[test]
fn missing_required_element_is_xsd004_and_empty_is_avc008() {
    let (xml, _) = doc(&[Av::default()]);
    let xml = xml.replace(
        "      <avails:FormatProfile>HD</avails:FormatProfile>\n",
        "",
    );
    let run = check_bytes(xml.as_bytes(), &CPH);
    assert_eq!(run.code, 1);
    let d = run.with_code("XSD004");
    assert_eq!(d.len(), 1, "{}", run.dump());
    assert_eq!(d[0]["severity"], "error");
    assert!(d[0]["message"].as_str().unwrap().contains("FormatProfile"));
    assert_eq!(d[0]["location"]["field"], "FormatProfile");
    assert!(d[0]["location"]["line"].as_u64().is_some());
    assert!(run.with_code("AVC008").is_empty(), "{}", run.dump());
    // Other checks still ran.
    assert_eq!(run.json["files"][0]["rows"], 1);

    // An empty required element the XSD accepts empty (xs:string): AVC008.
    let (xml, _) = doc(&[Av::default()]);
    let xml = xml.replace(
        "<avails:LicenseType>SVOD</avails:LicenseType>",
        "<avails:LicenseType/>",
    );
    let run = check_bytes(xml.as_bytes(), &CPH);
    let d = run.with_code("AVC008");
    assert_eq!(d.len(), 1, "{}", run.dump());
    assert!(d[0]["message"].as_str().unwrap().contains("empty"));
    assert_eq!(d[0]["location"]["field"], "LicenseType");
}

#[test]
fn structure_fixture() {
    let run = check(
        &[&fixture("structure_errors_v2.3.xml")],
        &["--profile", "ema"],
    );
    assert_eq!(run.code, 1);
    let found: Vec<(String, u64, u64, String)> = run
        .diags()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("XSD"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["location"]["line"].as_u64().unwrap(),
                d["location"]["col"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = [
        ("XSD007", 19, 27, "`90 minutes` is not an xs:duration"),
        ("XSD004", 22, 5, "has no <FormatProfile>"),
        (
            "XSD002",
            28,
            7,
            "the avails 2.3 schema puts <Start> before <End>",
        ),
        ("XSD007", 28, 21, "`2027-01-01` is not an xs:dateTime"),
        ("XSD007", 30, 38, "`$4.99` is not an xs:decimal"),
        ("XSD007", 33, 27, "`maybe` is not an xs:boolean"),
    ];
    assert_eq!(found.len(), expect.len(), "{}", run.dump());
    for ((code, line, col, message), (c, l, k, m)) in found.iter().zip(expect) {
        assert_eq!((code.as_str(), *line, *col), (c, l, k), "{}", run.dump());
        assert!(message.contains(m), "{message:?} lacks {m:?}");
    }
    assert!(run.with_code("AVC008").is_empty(), "{}", run.dump());
    assert_positions(&run);
}

// ---------------------------------------------------------------- hostile input

fn assert_refused(run: &Run, needle: &str) {
    assert_eq!(run.code, 2, "{}", run.dump());
    let err = run.file_error();
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(err.contains("line "), "{err:?} names no line");
    assert!(run.stderr.contains(needle), "stderr: {}", run.stderr);
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
}

#[test]
fn billion_laughs_is_refused() {
    let run = check(&[&fixture("billion_laughs.xml")], &[]);
    assert_refused(&run, "DOCTYPE declares entities");
}

#[test]
fn external_entity_is_refused() {
    let run = check(&[&fixture("xxe.xml")], &[]);
    assert_refused(&run, "external entity");
    assert!(!run.file_error().contains("root:"), "file was read?");
}

#[test]
fn undefined_entity_reference_is_refused() {
    let xml = doc1(Av::default()).replace("<avails:ALID>md:alid", "<avails:ALID>&lol9;md:alid");
    let run = check_bytes(xml.as_bytes(), &[]);
    assert_refused(&run, "undefined entity reference `&lol9;`");
    // The five predefined entities and character references are fine.
    let xml = doc1(Av::default()).replace(
        "<avails:ShortDescription>availcheck test",
        "<avails:ShortDescription>&lt;&amp;&#65;&#x42;",
    );
    assert_eq!(check_bytes(xml.as_bytes(), &CPH).code, 0);
}

#[test]
fn deep_nesting_is_refused() {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<AvailList xmlns=\"http://www.movielabs.com/schema/avails/v2.3/avails\">\n",
    );
    xml += &"<a>".repeat(10_000);
    xml += &"</a>".repeat(10_000);
    xml += "</AvailList>\n";
    let run = check_bytes(xml.as_bytes(), &[]);
    assert_refused(&run, "nesting deeper than 256");
}

#[test]
fn truncated_file_is_refused() {
    let full = doc1(Av::default());
    // Cut in the middle of a tag.
    let cut = full.find("<avails:FormatProfile>").unwrap() + 10;
    let run = check_bytes(&full.as_bytes()[..cut], &[]);
    assert_refused(&run, "truncated");
    // Cut cleanly between elements.
    let cut = full.find("<avails:Term").unwrap();
    let run = check_bytes(&full.as_bytes()[..cut], &[]);
    assert_refused(&run, "truncated");
    assert!(
        run.file_error().contains("<avails:Transaction>"),
        "{}",
        run.file_error()
    );
}

#[test]
fn invalid_utf8_is_refused() {
    let mut bytes = doc1(Av::default()).into_bytes();
    let at = String::from_utf8_lossy(&bytes).find("Title ").unwrap();
    bytes[at] = 0xFF;
    let run = check_bytes(&bytes, &[]);
    assert_refused(&run, "not valid UTF-8");
    let line = String::from_utf8_lossy(&bytes[..at]).matches('\n').count() + 1;
    assert!(
        run.file_error().contains(&format!("line {line}")),
        "{}",
        run.file_error()
    );
}

#[test]
fn not_avails_or_unknown_version_is_refused() {
    let run = check_bytes(
        b"<?xml version=\"1.0\"?>\n<foo xmlns=\"urn:x\"><bar/></foo>\n",
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(run.file_error().contains("<foo>"), "{}", run.file_error());
    assert!(run.file_error().contains("not Avails XML"));

    let v9 = doc1(Av::default()).replace("avails/v2.3/avails", "avails/v2.9/avails");
    let run = check_bytes(v9.as_bytes(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.file_error().contains("v2.9/avails"),
        "{}",
        run.file_error()
    );
    // --template-version overrides the namespace.
    let run = check_bytes(
        v9.as_bytes(),
        &[
            "--template-version",
            "2.3",
            "--profile",
            "cph-svod",
            "--territories",
            "US",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(run.json["files"][0]["template_version"], "2.3");
}

// ---------------------------------------------------------------- XML ≡ xlsx

/// One avail row for the equivalence test.
struct Row {
    alid: &'static str,
    territory: &'static str,
    license: &'static str,
    format: &'static str,
    start: &'static str,
    end: &'static str,
    group: &'static str,
    price: (&'static str, &'static str),
    language: &'static str,
}

const ROWS: [Row; 3] = [
    // CPH window whose Start is in the past (CPH004).
    Row {
        alid: "md:alid:eidr-s:ACME-0001",
        territory: "US",
        license: "SVOD",
        format: "HD",
        start: "2026-06-01",
        end: "2027-12-31",
        group: "CPH",
        price: ("NA", "NA"),
        language: "en",
    },
    // Licensed SVOD window of the same title overlapping it (CPH005).
    Row {
        alid: "md:alid:eidr-s:ACME-0001",
        territory: "US",
        license: "SVOD",
        format: "HD",
        start: "2025-01-01",
        end: "2026-12-31",
        group: "",
        price: ("NA", "NA"),
        language: "en",
    },
    // EST row: bad territory (EMA005), 4K (EMA004), bad language (EMA006).
    Row {
        alid: "md:alid:eidr-s:ACME-0002",
        territory: "JJ",
        license: "EST",
        format: "4K",
        start: "2027-01-01",
        end: "2027-12-31",
        group: "",
        price: ("Tier", "3"),
        language: "english",
    },
];

const HEADERS: [(&str, &str); 19] = [
    ("Avail", "DisplayName"),
    ("AvailTrans", "Territory"),
    ("AvailAsset", "WorkType"),
    ("Disposition", "EntryType"),
    ("AvailMetadata", "TitleInternalAlias"),
    ("AvailMetadata", "GroupIdentity"),
    ("AvailTrans", "LicenseType"),
    ("AvailTrans", "LicenseRightsDescription"),
    ("AvailTrans", "FormatProfile"),
    ("AvailTrans", "Start"),
    ("AvailTrans", "End"),
    ("AvailTrans", "PriceType"),
    ("AvailTrans", "PriceValue"),
    ("AvailAsset", "ContentID"),
    ("Avail", "ALID"),
    ("AvailTrans", "AssetLanguage"),
    ("AvailTrans", "SuppressionLiftDate"),
    ("AvailMetadata", "CaptionIncluded"),
    ("AvailMetadata", "CaptionExemption"),
];

fn row_value(r: &Row, field: &str) -> String {
    match field {
        "DisplayName" => "acme".into(),
        "Territory" => r.territory.into(),
        "WorkType" => "Movie".into(),
        "EntryType" => "Full Extract".into(),
        "TitleInternalAlias" => format!("Title {}", r.alid),
        "GroupIdentity" => r.group.into(),
        "LicenseType" => r.license.into(),
        "FormatProfile" => r.format.into(),
        "Start" => r.start.into(),
        "End" => r.end.into(),
        "PriceType" => r.price.0.into(),
        "PriceValue" => r.price.1.into(),
        "ContentID" => r.alid.replace("alid", "cid"),
        "ALID" => r.alid.into(),
        "AssetLanguage" => r.language.into(),
        _ => String::new(),
    }
}

fn write_workbook(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Movies").unwrap();
    for (c, (category, field)) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *category).unwrap();
        ws.write_string(1, c as u16, *field).unwrap();
    }
    for (i, r) in ROWS.iter().enumerate() {
        for (c, (_, field)) in HEADERS.iter().enumerate() {
            let v = row_value(r, field);
            if !v.is_empty() {
                ws.write_string(3 + i as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

/// The same rows as MovieLabs converts them: one Avail per ALID, one
/// Transaction per row (two Avails may not share an ALID, EMA026), with
/// the 1-based line range of each row's Transaction. GroupIdentity is Asset
/// metadata, shared by an Avail's Transactions, so the CPH marker goes in
/// the CPH Transaction's ContractID (an XML 2.3 marker field).
fn equivalent_xml() -> (String, Vec<(u64, u64)>) {
    let mut avails: Vec<Av> = Vec::new();
    for r in &ROWS {
        let tx = Tx {
            license: r.license,
            territories: vec![r.territory],
            start: Box::leak(format!("{}T00:00:00", r.start).into_boxed_str()),
            end: Box::leak(format!("{}T23:59:59", r.end).into_boxed_str()),
            languages: vec![r.language],
            format: r.format,
            contract: (!r.group.is_empty()).then_some(r.group),
            term: r.price,
        };
        match avails.iter_mut().find(|a| a.alid == r.alid) {
            Some(a) => a.txs.push(tx),
            None => avails.push(Av {
                alid: r.alid,
                group: None,
                txs: vec![tx],
                ..Av::default()
            }),
        }
    }
    let (text, _) = doc(&avails);
    // Transactions come in row order: the rows of an ALID are together.
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if line.trim_start().starts_with("<avails:Transaction ") {
            start = n;
        } else if line.trim() == "</avails:Transaction>" {
            ranges.push((start, n));
        }
    }
    assert_eq!(ranges.len(), ROWS.len());
    (text, ranges)
}

type Finding = (String, String, String);

/// (code, severity, territory of the row the finding is on), reader codes excluded.
fn findings(run: &Run, territory_of: impl Fn(&Value) -> String) -> BTreeSet<Finding> {
    run.diags()
        .iter()
        .filter(|d| !d["code"].as_str().unwrap().starts_with("AVC"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                territory_of(&d["location"]),
            )
        })
        .collect()
}

#[test]
fn xml_and_workbook_give_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("avails.xlsx");
    write_workbook(&xlsx);
    let (xml_text, ranges) = equivalent_xml();
    let xml = dir.path().join("avails.xml");
    std::fs::write(&xml, &xml_text).unwrap();

    let args = ["--profile", "cph-svod", "--territories", "US"];
    let from_xlsx = check(&[&xlsx], &args);
    let from_xml = check(&[&xml], &args);
    assert_eq!(
        from_xlsx.json["files"][0]["template_version"],
        "1.7.3",
        "{}",
        from_xlsx.dump()
    );
    assert_eq!(from_xml.json["files"][0]["template_version"], "2.3");
    assert_eq!(from_xlsx.json["files"][0]["rows"], 3);
    assert_eq!(from_xml.json["files"][0]["rows"], 3);

    let by_row = findings(&from_xlsx, |loc| {
        loc["row"]
            .as_u64()
            .and_then(|r| ROWS.get((r as usize).wrapping_sub(4)))
            .map_or(String::new(), |r| r.territory.to_string())
    });
    let by_line = findings(&from_xml, |loc| {
        loc["line"]
            .as_u64()
            .and_then(|l| ranges.iter().position(|(a, b)| (*a..=*b).contains(&l)))
            .map_or(String::new(), |i| ROWS[i].territory.to_string())
    });
    assert_eq!(
        by_row,
        by_line,
        "xlsx:\n{}\nxml:\n{}",
        from_xlsx.dump(),
        from_xml.dump()
    );
    // And the expected findings are there.
    let codes: BTreeSet<&str> = by_xml_codes(&by_line);
    for code in ["CPH004", "CPH005", "EMA004", "EMA005", "EMA006"] {
        assert!(codes.contains(code), "{code} missing: {}", from_xml.dump());
    }
}

fn by_xml_codes(f: &BTreeSet<Finding>) -> BTreeSet<&str> {
    f.iter().map(|(c, _, _)| c.as_str()).collect()
}

#[test]
fn avails_2_1_uses_the_1_6_dictionary() {
    let xml = doc1(Av::default()).replace("avails/v2.3/avails", "avails/v2.1/avails");
    let run = check_bytes(xml.as_bytes(), &["--profile", "ema"]);
    assert_eq!(run.json["files"][0]["template_version"], "2.1");
    // 2.1 requires Transaction/Description; the ALID stands in for the 1.6
    // AltID, so EMA003 does not ask for one.
    let missing = run.with_code("XSD004");
    assert!(
        missing
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("<Description>")),
        "{}",
        run.dump()
    );
    assert!(run.with_code("EMA003").is_empty(), "{}", run.dump());
    // A 2.3 document relabelled 2.1 breaks the 2.1 XSD elsewhere too: its md
    // namespace is 2.6 (2.1 imports md 2.4), its Metadata lacks the
    // TitleDisplayUnlimited 2.1 requires, and GroupingEntity and
    // AssetLanguage are not 2.1 elements.
    let codes: Vec<&str> = run
        .diags()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .filter(|c| c.starts_with("XSD"))
        .collect();
    assert_eq!(
        codes,
        ["XSD011", "XSD004", "XSD001", "XSD004", "XSD001"],
        "{}",
        run.dump()
    );
}

#[test]
fn doctype_without_entities_is_accepted() {
    let xml = doc1(Av::default()).replacen(
        "<avails:AvailList",
        "<!DOCTYPE avails:AvailList>\n<avails:AvailList",
        1,
    );
    let run = check_bytes(xml.as_bytes(), &CPH);
    assert_eq!(run.code, 0, "{}", run.dump());
}

#[test]
fn cph_episode_through_xml() {
    // A TV episode: EpisodeMetadata > SeasonMetadata > SeriesMetadata.
    let xml = doc1(Av::default())
        .replace("<avails:AvailType>single", "<avails:AvailType>episode")
        .replace("<avails:WorkType>Movie", "<avails:WorkType>Episode")
        .replace("<avails:Metadata>", "<avails:EpisodeMetadata>")
        .replace(
            "      </avails:Metadata>",
            "        <avails:EpisodeNumber><md:Number>3</md:Number></avails:EpisodeNumber>\n        <avails:SeasonMetadata>\n          <avails:SeasonContentID>md:cid:acme:s1</avails:SeasonContentID>\n          <avails:SeasonNumber><md:Number>1</md:Number></avails:SeasonNumber>\n          <avails:SeriesMetadata>\n            <avails:SeriesContentID>md:cid:acme:series</avails:SeriesContentID>\n            <avails:SeriesTitleInternalAlias>Acme Show</avails:SeriesTitleInternalAlias>\n          </avails:SeriesMetadata>\n        </avails:SeasonMetadata>\n      </avails:EpisodeMetadata>",
        );
    let run = check_bytes(xml.as_bytes(), &CPH);
    assert_eq!(run.code, 0, "{}\n{xml}", run.dump());
    assert_eq!(run.json["files"][0]["rows"], 1);
    // Without its number, the episode breaks MovieLabs' `Episode-WT`
    // structure rule (EMA025), at its Asset. (What the XML must hold is
    // the schema's and the structure rules' business, not the spreadsheet
    // dictionary's: EMA003 does not check XML.)
    let no_number = xml.replace(
        "<avails:EpisodeNumber><md:Number>3</md:Number></avails:EpisodeNumber>",
        "<avails:EpisodeNumber/>",
    );
    let run = check_bytes(no_number.as_bytes(), &CPH);
    let asset_line = no_number
        .lines()
        .position(|l| l.contains("<avails:Asset "))
        .unwrap() as u64
        + 1;
    assert_eq!(
        hits(&run, "EMA025"),
        vec![(asset_line, String::new())],
        "{}",
        run.dump()
    );
    assert!(run.with_code("EMA003").is_empty(), "{}", run.dump());
}

#[test]
fn a_document_on_one_long_line_is_reported_without_its_source_line() {
    // A finding past column 65,535 once made the human report panic (miette
    // cannot pad that far); such a line is not shown, its position is.
    let text = std::fs::read_to_string(fixture("structure_errors_v2.3.xml")).unwrap();
    let (head, body) = text.split_at(text.find("?>").map_or(0, |i| i + 2));
    let one_line = format!(
        "{head}{}{}",
        " ".repeat(70_000),
        body.replace(['\r', '\n'], " ")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-line.xml");
    std::fs::write(&path, one_line).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_availcheck"))
        .args(["check", "--format", "human", "--as-of", AS_OF])
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("one-line.xml:1:"), "{stdout}");
    assert!(
        stdout.lines().all(|l| l.len() < 10_000),
        "no source line is printed"
    );
}

#[path = "../examples/generate.rs"]
mod generate;

#[test]
fn human_report_of_a_large_xml_file_with_many_findings_is_not_quadratic() {
    // 10,000 rows with about 2,600 findings: each finding's source lines once
    // cost a scan of the whole file, 32 s in a release build; now well under
    // a second. The bound only catches that kind of slowness.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avails.xml");
    generate::write(generate::Kind::Xml, 10_000, 42, path.to_str().unwrap()).unwrap();
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_availcheck"))
        .args([
            "check",
            "--territories",
            "US,GB",
            "--partner",
            "acme",
            "--as-of",
            AS_OF,
            "--no-group",
        ])
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.matches("CPH003").count() > 1_000,
        "findings are shown"
    );
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}
