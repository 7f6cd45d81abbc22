//! The rules of how the parts of an avail fit together (EMA019–EMA032:
//! MovieLabs' structure rules, vocabularies and Volumes), end to end on
//! small Avails XML documents and workbooks, and the way XML findings are
//! worded (elements, not spreadsheet columns; one fix per value).

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// One Transaction: LicenseType and the rest of its content.
fn tx(license: &str, rest: &str) -> String {
    format!(
        "<avails:Transaction>\n<avails:LicenseType>{license}</avails:LicenseType>\n<avails:Territory><md:country>US</md:country></avails:Territory>\n<avails:Start>2030-01-01T00:00:00Z</avails:Start>\n<avails:End>2031-12-31T23:59:59Z</avails:End>\n{rest}<avails:FormatProfile>HD</avails:FormatProfile>\n</avails:Transaction>\n"
    )
}

/// The Terms, after FormatProfile, of a Transaction: `tx` puts `rest`
/// before FormatProfile, so Terms go in with this.
fn tx_terms(license: &str, languages: &str, terms: &str) -> String {
    tx(license, languages).replace(
        "<avails:FormatProfile>HD</avails:FormatProfile>\n",
        &format!("<avails:FormatProfile>HD</avails:FormatProfile>\n{terms}"),
    )
}

const SRP: &str = "<avails:Term termName=\"SRP\"><avails:Money currency=\"USD\">9.99</avails:Money></avails:Term>\n";

/// A Movie Asset with its Metadata (and `more` after it).
fn movie(more: &str) -> String {
    format!(
        "<avails:Asset contentID=\"md:cid:x:1\">\n<avails:WorkType>Movie</avails:WorkType>\n<avails:Metadata><avails:TitleInternalAlias>T</avails:TitleInternalAlias></avails:Metadata>\n{more}</avails:Asset>\n"
    )
}

/// An Avail.
fn avail(alid: &str, avail_type: &str, assets: &str, txs: &str) -> String {
    format!(
        "<avails:Avail>\n<avails:ALID>{alid}</avails:ALID>\n<avails:Disposition><avails:EntryType>Full Extract</avails:EntryType></avails:Disposition>\n<avails:Licensor><md:DisplayName>acme</md:DisplayName></avails:Licensor>\n<avails:AvailType>{avail_type}</avails:AvailType>\n<avails:ShortDescription>t</avails:ShortDescription>\n{assets}{txs}</avails:Avail>\n"
    )
}

/// A document of avails `version` (`2.3`, `2.5`, …) with the md namespace
/// its XSD imports.
fn doc(version: &str, avails: &[String]) -> String {
    let md = match version {
        "2.2.2" => "2.5",
        "2.3" => "2.6",
        "2.4" => "2.7",
        _ => "2.8",
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<avails:AvailList xmlns:avails=\"http://www.movielabs.com/schema/avails/v{version}/avails\" xmlns:md=\"http://www.movielabs.com/schema/md/v{md}/md\">\n{}</avails:AvailList>\n",
        avails.concat()
    )
}

/// The 1-based line of the `n`-th (from 0) line of `text` holding `needle`.
fn line_of(text: &str, needle: &str, n: usize) -> u64 {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n)
        .unwrap_or_else(|| panic!("no {needle} #{n} in\n{text}"))
        .0 as u64
        + 1
}

/// Checks `text` as an XML file with `--profile ema`.
fn check_xml(text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avails.xml");
    std::fs::write(&path, text).unwrap();
    check(&path, "ema", &[]).1
}

/// (code, line, message) of the findings of `code`.
fn hits(report: &Value, code: &str) -> Vec<(u64, String)> {
    with_code(report, code)
        .into_iter()
        .map(|d| {
            (
                d["location"]["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn lines(report: &Value, code: &str) -> Vec<u64> {
    hits(report, code).into_iter().map(|(l, _)| l).collect()
}

fn dump(report: &Value) -> String {
    diagnostics(report)
        .iter()
        .map(|d| {
            format!(
                "{} {}: {}\n",
                d["code"], d["location"]["line"], d["message"]
            )
        })
        .collect()
}

// ------------------------------------------------------------- EMA019

#[test]
fn a_transaction_without_a_pricing_term_warns() {
    let unpriced = tx_terms(
        "EST",
        "",
        "<avails:Term termName=\"SuppressionLiftDate\"><avails:Event>2030-01-01</avails:Event></avails:Term>\n",
    );
    let fee = tx_terms(
        "EST",
        "",
        "<avails:Term termName=\"LicenseFee\"><avails:Text>20</avails:Text></avails:Term>\n",
    );
    let tier = tx_terms(
        "VOD",
        "",
        "<avails:Term termName=\"Tier\"><avails:Text>3</avails:Text></avails:Term>\n",
    );
    let svod = tx("SVOD", "");
    let text = doc(
        "2.3",
        &[avail(
            "md:alid:x:1",
            "single",
            &movie(""),
            &[unpriced, fee, tier, svod].concat(),
        )],
    );
    let report = check_xml(&text);
    let found = hits(&report, "EMA019");
    assert_eq!(
        found.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [line_of(&text, "<avails:LicenseType>EST", 0)],
        "{}",
        dump(&report)
    );
    assert_eq!(with_code(&report, "EMA019")[0]["severity"], "warning");
    assert!(
        found[0]
            .1
            .starts_with("<LicenseType> `EST` has no pricing Term"),
        "{found:?}"
    );
    // No PriceType: XML has no such column (EMA003 is a spreadsheet rule).
    assert!(with_code(&report, "EMA003").is_empty(), "{}", dump(&report));
    // Avails 2.2.2 has no pricing requirement (its Term is required anyway).
    let old = check_xml(
        &text
            .replace("v2.3/avails", "v2.2.2/avails")
            .replace("v2.6/md", "v2.5/md"),
    );
    assert!(with_code(&old, "EMA019").is_empty(), "{}", dump(&old));
}

// ------------------------------------------------------- EMA020, EMA021

#[test]
fn avail_types_come_from_the_vocabulary_of_the_version() {
    let text = doc(
        "2.3",
        &[
            avail(
                "md:alid:x:1",
                "Single",
                &movie(""),
                &tx_terms("EST", "", SRP),
            ),
            avail(
                "md:alid:x:2",
                "volume",
                &movie(""),
                &tx_terms("EST", "", SRP),
            ),
        ],
    );
    let report = check_xml(&text);
    let found = hits(&report, "EMA020");
    assert_eq!(
        found.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [
            line_of(&text, "<avails:AvailType>Single", 0),
            line_of(&text, "<avails:AvailType>volume", 0)
        ],
        "{}",
        dump(&report)
    );
    assert_eq!(
        found[0].1,
        "<AvailType> `Single` is not an AvailType of Avails 2.3"
    );
    let help = with_code(&report, "EMA020")[0]["help"].as_str().unwrap();
    assert!(help.starts_with("did you mean `single`?"), "{help}");
    // `volume` is an AvailType from 2.4.
    let v24 = check_xml(&text.replace("v2.3/avails", "v2.4/avails"));
    assert_eq!(lines(&v24, "EMA020").len(), 1, "{}", dump(&v24));
}

#[test]
fn an_avails_assets_must_fit_its_avail_type() {
    let two_movies = format!("{}{}", movie(""), movie("").replace("x:1", "x:2"));
    let text = doc(
        "2.4",
        &[
            avail(
                "md:alid:x:1",
                "single",
                &two_movies,
                &tx_terms("EST", "", SRP),
            ),
            // A supplement needs a Supplemental Asset and a RefALID.
            avail(
                "md:alid:x:2",
                "supplement",
                &movie("").replace("x:1", "x:3"),
                &tx_terms("EST", "", SRP),
            ),
        ],
    );
    let report = check_xml(&text);
    let found = hits(&report, "EMA021");
    let single = line_of(&text, "<avails:Avail>", 0);
    let supplement = line_of(&text, "<avails:Avail>", 1);
    assert_eq!(
        found.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [single, supplement, supplement],
        "{}",
        dump(&report)
    );
    assert_eq!(
        found[0].1,
        "<Avail> with <AvailType> `single` has 2 <WorkType> `Movie` or `Short` in <Asset>; it needs exactly one"
    );
    assert!(
        found[1].1.contains("no <RefALID> in <Transaction>"),
        "{found:?}"
    );
    assert!(
        found[2].1.contains("no <WorkType> `Supplemental`"),
        "{found:?}"
    );
}

// ------------------------------------------------------- EMA023, EMA024

#[test]
fn bundled_assets_belong_to_collections_and_run_in_sequence() {
    let bundled = |seq: &str, n: u32| {
        format!(
            "<avails:BundledAsset sequence=\"{seq}\"><avails:BundledALID>md:alid:x:b{n}</avails:BundledALID></avails:BundledAsset>\n"
        )
    };
    let collection = movie(
        &[
            bundled("0", 1),
            bundled("1", 2),
            bundled("3", 3),
            bundled("3", 4),
        ]
        .concat(),
    )
    .replace("<avails:WorkType>Movie", "<avails:WorkType>Collection");
    let text = doc(
        "2.4",
        &[
            avail(
                "md:alid:x:1",
                "bundle",
                &collection,
                &tx_terms("EST", "", SRP),
            ),
            avail(
                "md:alid:x:2",
                "single",
                &movie(&bundled("0", 5)).replace("x:1", "x:2"),
                &tx_terms("EST", "", SRP),
            ),
        ],
    );
    let report = check_xml(&text);
    assert_eq!(
        lines(&report, "EMA023"),
        [line_of(&text, "md:alid:x:b5", 0)],
        "{}",
        dump(&report)
    );
    let seq = hits(&report, "EMA024");
    assert_eq!(
        seq.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [
            line_of(&text, "md:alid:x:b3", 0),
            line_of(&text, "md:alid:x:b4", 0)
        ],
        "{}",
        dump(&report)
    );
    assert!(seq[0].1.contains("follows `1`"), "{seq:?}");
    assert!(seq[1].1.contains("repeats"), "{seq:?}");
}

#[test]
fn bundled_alids_on_a_movie_row() {
    let dir = tempfile::tempdir().unwrap();
    let movie = movies_1_7_3().set("BundledALIDs", "md:alid:x:1;md:alid:x:2");
    let collection = movies_1_7_3()
        .set("WorkType", "Collection")
        .set("ALID", "md:alid:org:acme:coll")
        .set("ContentID", "md:cid:org:acme:coll")
        .set("BundledALIDs", "md:alid:x:1;md:alid:x:2");
    let path = workbook(dir.path(), "b.xlsx", "Movies", &[movie, collection]);
    let (_, report, _) = check(&path, "ema", &[]);
    let found = with_code(&report, "EMA023");
    assert_eq!(found.len(), 1, "one finding per cell: {}", dump(&report));
    let letter = column_letter(movies_1_7_3().fields().len());
    assert_eq!(found[0]["location"]["cell"], format!("{letter}4"));
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("on an Asset whose WorkType is `Movie`"),
        "{}",
        found[0]
    );
}

// ------------------------------------------------------------- EMA025

#[test]
fn a_series_asset_needs_series_metadata() {
    let series = movie("").replace("<avails:WorkType>Movie", "<avails:WorkType>Series");
    let text = doc(
        "2.3",
        &[avail(
            "md:alid:x:1",
            "series",
            &series,
            &tx_terms("EST", "", SRP),
        )],
    );
    let report = check_xml(&text);
    let found = hits(&report, "EMA025");
    assert_eq!(
        found,
        [(
            line_of(&text, "<avails:Asset ", 0),
            "<Asset> with <WorkType> `Series` has no <SeriesMetadata>; it needs at least one"
                .to_string()
        )],
        "{}",
        dump(&report)
    );
}

// ------------------------------------------------------------- EMA027

#[test]
fn a_tvod_transaction_holds_one_asset_language() {
    let two = "<avails:AssetLanguage>en</avails:AssetLanguage>\n<avails:AssetLanguage>fr</avails:AssetLanguage>\n";
    let text = doc(
        "2.3",
        &[avail(
            "md:alid:x:1",
            "single",
            &movie(""),
            &[tx_terms("EST", two, SRP), tx("SVOD", two)].concat(),
        )],
    );
    let report = check_xml(&text);
    let found = hits(&report, "EMA027");
    assert_eq!(
        found,
        [(
            line_of(&text, "<avails:AssetLanguage>fr", 0),
            "<LicenseType> `EST` allows at most one AssetLanguage, this has 2: `en`, `fr`"
                .to_string()
        )],
        "{}",
        dump(&report)
    );
    // The 2.2.2 structure rules do not limit them.
    let old = check_xml(
        &text
            .replace("v2.3/avails", "v2.2.2/avails")
            .replace("v2.6/md", "v2.5/md"),
    );
    assert!(with_code(&old, "EMA027").is_empty(), "{}", dump(&old));

    // A 1.7.3 row's comma list is checked the same way, at its cell.
    let dir = tempfile::tempdir().unwrap();
    let est = movies_1_7_3().with(&[
        ("LicenseType", "EST"),
        ("PriceType", "Tier"),
        ("PriceValue", "3"),
        ("AssetLanguage", "en, fr"),
    ]);
    let svod = movies_1_7_3().set("AssetLanguage", "en, fr");
    let path = workbook(dir.path(), "l.xlsx", "Movies", &[est, svod]);
    let (_, report, _) = check(&path, "ema", &[]);
    let found = with_code(&report, "EMA027");
    assert_eq!(found.len(), 1, "{}", dump(&report));
    assert_eq!(found[0]["location"]["cell"], "B4");
    assert_eq!(
        found[0]["message"],
        "LicenseType `EST` allows at most one AssetLanguage, this has 2: `en`, `fr`"
    );
}

// ------------------------------------------------------- EMA028, EMA029

#[test]
fn pre_orders_and_their_dates() {
    let fulfil = "<avails:Term termName=\"PreOrderFulfillDate\"><avails:Event>2030-02-01</avails:Event></avails:Term>\n";
    let lift = "<avails:Term termName=\"SuppressionLiftDate\"><avails:Event>2030-02-01</avails:Event></avails:Term>\n";
    let text = doc(
        "2.3",
        &[avail(
            "md:alid:x:1",
            "single",
            &movie(""),
            &[
                tx_terms("EST", "", &format!("{SRP}{fulfil}")),
                tx_terms("POEST", "", &format!("{SRP}{fulfil}{lift}")),
                tx_terms("POEST", "", SRP),
            ]
            .concat(),
        )],
    );
    let report = check_xml(&text);
    let found = hits(&report, "EMA028");
    assert_eq!(
        found,
        [(
            line_of(&text, "PreOrderFulfillDate", 0),
            "<Term termName=\"PreOrderFulfillDate\"> is on a transaction whose <LicenseType> is `EST`; it is allowed only with LicenseType `POEST`".to_string()
        )],
        "{}",
        dump(&report)
    );
    assert_eq!(
        lines(&report, "EMA029"),
        [line_of(&text, "<avails:LicenseType>POEST", 1)],
        "{}",
        dump(&report)
    );

    // A spreadsheet row says the same with SpecialPreOrderFulfillDate.
    let dir = tempfile::tempdir().unwrap();
    let row = movies_1_7_3().with(&[
        ("LicenseType", "EST"),
        ("PriceType", "Tier"),
        ("PriceValue", "3"),
        ("SpecialPreOrderFulfillDate", "2030-02-01"),
    ]);
    let path = workbook(dir.path(), "p.xlsx", "Movies", &[row]);
    let (_, report, _) = check(&path, "ema", &[]);
    let found = with_code(&report, "EMA028");
    assert_eq!(found.len(), 1, "{}", dump(&report));
    assert_eq!(
        found[0]["message"],
        "SpecialPreOrderFulfillDate `2030-02-01` is on a transaction whose LicenseType is `EST`; it is allowed only with LicenseType `POEST`"
    );
}

// ------------------------------------------------------------- EMA030

#[test]
fn tbd_conditions_belong_to_offer_status() {
    let tbd = tx_terms("EST", "", SRP).replace(
        "<avails:Start>2030-01-01T00:00:00Z</avails:Start>",
        "<avails:StartCondition>TBD</avails:StartCondition>",
    );
    let text = doc("2.5", &[avail("md:alid:x:1", "single", &movie(""), &tbd)]);
    let report = check_xml(&text);
    assert_eq!(
        lines(&report, "EMA030"),
        [line_of(&text, "<avails:StartCondition>TBD", 0)],
        "{}",
        dump(&report)
    );
    // From 2.5 only.
    let v24 = check_xml(
        &text
            .replace("v2.5/avails", "v2.4/avails")
            .replace("v2.8/md", "v2.7/md"),
    );
    assert!(with_code(&v24, "EMA030").is_empty(), "{}", dump(&v24));
}

// ------------------------------------------------------------- EMA031

#[test]
fn an_episode_in_two_volumes_of_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.xlsx");
    let fields = [
        "DisplayName",
        "Territory",
        "WorkType",
        "EntryType",
        "SeriesTitleInternalAlias",
        "SeasonNumber",
        "EpisodeNumber",
        "EpisodeTitleInternalAlias",
        "ALID",
        "LicenseType",
        "FormatProfile",
        "Start",
        "End",
        "SeasonContentID",
        "EpisodeContentID",
        "VolumeNumber",
    ];
    let row = |territory: &'static str, volume: &'static str| {
        vec![
            "acme",
            territory,
            "Episode",
            "Full Extract",
            "S",
            "1",
            "3",
            "E3",
            "md:alid:x:e3",
            "SVOD",
            "HD",
            FUTURE_START,
            FUTURE_END,
            "md:cid:x:s1",
            "md:cid:x:e3",
            volume,
        ]
    };
    write_workbook(
        &path,
        "1.8",
        "TV",
        &fields,
        vec![row("US", "1"), row("GB", "2"), row("DE", "1")],
    );
    let (_, report, _) = check(&path, "ema", &[]);
    let found = with_code(&report, "EMA031");
    assert_eq!(found.len(), 1, "{}", dump(&report));
    assert_eq!(found[0]["location"]["cell"], "P5");
    assert_eq!(
        found[0]["message"],
        "VolumeNumber `2` puts this episode in a second Volume: row 4 puts it in VolumeNumber `1`"
    );
}

// ------------------------------------------------- wording of XML findings

#[test]
fn a_bad_run_length_gets_one_fix_in_xml_terms() {
    let text = doc("2.3", &[avail("md:alid:x:1", "single", &movie(""), &tx_terms("EST", "", SRP))])
        .replace(
            "<avails:TitleInternalAlias>T</avails:TitleInternalAlias>",
            "<avails:TitleInternalAlias>T</avails:TitleInternalAlias><avails:RunLength>1h30</avails:RunLength>",
        );
    let report = check_xml(&text);
    let about: Vec<&Value> = diagnostics(&report)
        .iter()
        .filter(|d| d["location"]["value"] == "1h30")
        .collect();
    assert_eq!(about.len(), 1, "{}", dump(&report));
    // The XSD check (xs:duration) reports it; no spreadsheet rule repeats it.
    assert_eq!(about[0]["code"], "XSD007");
    assert!(
        about[0]["help"]
            .as_str()
            .unwrap()
            .contains("ISO 8601 duration"),
        "{}",
        about[0]
    );
    assert!(!dump(&report).contains("TotalRunTime"), "{}", dump(&report));
}

#[test]
fn xml_enumerations_name_the_element_and_the_version() {
    let text = doc(
        "2.3",
        &[
            avail(
                "md:alid:x:1",
                "single",
                &movie("").replace("<avails:WorkType>Movie", "<avails:WorkType>Film"),
                &tx_terms("EST", "", SRP),
            ),
            // Supplemental is a Common Metadata WorkType.
            avail(
                "md:alid:x:2",
                "supplement",
                &movie("").replace("<avails:WorkType>Movie", "<avails:WorkType>Supplemental"),
                &tx_terms("EST", "<avails:RefALID>md:alid:x:1</avails:RefALID>\n", SRP)
                    .replace("<avails:RefALID>md:alid:x:1</avails:RefALID>\n<avails:FormatProfile>HD</avails:FormatProfile>", "<avails:FormatProfile>HD</avails:FormatProfile>\n<avails:RefALID>md:alid:x:1</avails:RefALID>"),
            ),
        ],
    );
    let report = check_xml(&text);
    let found = hits(&report, "EMA004");
    assert_eq!(found.len(), 1, "{}", dump(&report));
    assert_eq!(
        found[0].1,
        "`Film` is not a valid <WorkType> in Avails XML 2.3"
    );
    assert!(with_code(&report, "EMA022").is_empty(), "{}", dump(&report));
    // A `single` Avail whose only Asset is a `Film` has no Movie.
    assert_eq!(lines(&report, "EMA021"), [3], "{}", dump(&report));
}

#[test]
fn the_rules_know_their_requirements() {
    // Every new rule is listed with its fixed severity.
    let r = run_raw(&["rules"], &[]);
    for (code, severity) in [
        ("EMA019", "warning"),
        ("EMA020", "error"),
        ("EMA021", "error"),
        ("EMA025", "error"),
        ("EMA031", "error"),
        ("EMA032", "error"),
    ] {
        let line = r
            .stdout
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code} not listed:\n{}", r.stdout));
        assert!(line.contains(severity), "{line}");
    }
    let explain = run_raw(&["explain", "EMA021"], &[]);
    assert!(
        explain.stdout.contains("structure_avail_v2.x.json"),
        "{}",
        explain.stdout
    );
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas/movielabs/structure_avail_v2.4.json")
            .exists()
    );
}
