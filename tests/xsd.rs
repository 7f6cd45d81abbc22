//! Avails XML against its XSD (`XSD` codes): each kind of finding on a
//! small document with its exact code, line and column; every version's
//! schema with its md version; every sample the MovieLabs suite calls valid
//! without a finding; and the generated tables fresh from the XSDs.

use std::path::{Path, PathBuf};

use availcheck::read::{NoteKind, ReadOptions, read_bytes};
use availcheck::rules::xsd::meta_of;

#[path = "../examples/xsd_tables.rs"]
mod xsd_tables;

/// The XSD findings of reading `doc`: (code, line, column), in document order.
fn xsd(doc: &str) -> Vec<(&'static str, u32, u32)> {
    let out = read_bytes(doc.as_bytes().to_vec(), "t.xml", 0, &ReadOptions::default())
        .expect("the document reads");
    let mut found: Vec<(&'static str, u32, u32)> = out
        .notes
        .iter()
        .filter_map(|n| match n.kind {
            NoteKind::Xsd(kind) => Some((
                meta_of(kind).code,
                n.location.line.unwrap_or(0),
                n.location.col.unwrap_or(0),
            )),
            _ => None,
        })
        .collect();
    found.sort_by_key(|f| (f.1, f.2, f.0));
    found
}

/// The messages of the XSD findings of `doc`.
fn messages(doc: &str) -> Vec<String> {
    let out = read_bytes(doc.as_bytes().to_vec(), "t.xml", 0, &ReadOptions::default()).unwrap();
    out.notes
        .iter()
        .filter(|n| matches!(n.kind, NoteKind::Xsd(_)))
        .map(|n| n.message.clone())
        .collect()
}

/// Line and column (1-based) where `needle` starts in `doc`, plus `skip`
/// bytes (to point inside it).
fn at(doc: &str, needle: &str, skip: usize) -> (u32, u32) {
    let i = doc
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in doc"))
        + skip;
    let line = doc[..i].matches('\n').count() as u32 + 1;
    let col = doc[..i].rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    (line, col)
}

/// An avails 2.3 document its XSD accepts.
const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<avails:AvailList xmlns:avails="http://www.movielabs.com/schema/avails/v2.3/avails" xmlns:md="http://www.movielabs.com/schema/md/v2.6/md">
  <avails:Avail>
    <avails:ALID>md:alid:org:acme:1</avails:ALID>
    <avails:Disposition><avails:EntryType>Full Extract</avails:EntryType></avails:Disposition>
    <avails:Licensor><md:DisplayName>acme</md:DisplayName></avails:Licensor>
    <avails:AvailType>single</avails:AvailType>
    <avails:ShortDescription>test</avails:ShortDescription>
    <avails:Asset contentID="md:cid:org:acme:1">
      <avails:WorkType>Movie</avails:WorkType>
      <avails:Metadata>
        <avails:TitleDisplayUnlimited>Title</avails:TitleDisplayUnlimited>
        <avails:TitleInternalAlias>Title</avails:TitleInternalAlias>
        <avails:RunLength>PT1H30M</avails:RunLength>
      </avails:Metadata>
    </avails:Asset>
    <avails:Transaction TransactionID="t1">
      <avails:LicenseType>EST</avails:LicenseType>
      <avails:Territory><md:country>US</md:country></avails:Territory>
      <avails:Start>2027-01-01T00:00:00</avails:Start>
      <avails:End>2027-12-31T23:59:59</avails:End>
      <avails:AllowedLanguage asset="subdub">es</avails:AllowedLanguage>
      <avails:AssetLanguage>en</avails:AssetLanguage>
      <avails:FormatProfile>HD</avails:FormatProfile>
      <avails:Term termName="SRP"><avails:Money currency="USD">4.99</avails:Money></avails:Term>
    </avails:Transaction>
  </avails:Avail>
</avails:AvailList>
"#;

/// `DOC` with `from` replaced by `to` (which must occur once).
fn with(from: &str, to: &str) -> String {
    assert_eq!(DOC.matches(from).count(), 1, "{from}");
    DOC.replace(from, to)
}

#[test]
fn the_base_document_is_valid() {
    assert_eq!(xsd(DOC), []);
}

#[test]
fn unknown_element_and_the_one_it_leaves_missing() {
    // XSD001 at the misspelt element; its parent then lacks LicenseType
    // (XSD004, at the parent's start tag).
    let doc = with(
        "<avails:LicenseType>EST</avails:LicenseType>",
        "<avails:Licensetype>EST</avails:Licensetype>",
    );
    let (l1, c1) = at(&doc, "<avails:Transaction ", 0);
    let (l2, c2) = at(&doc, "<avails:Licensetype>", 0);
    assert_eq!(xsd(&doc), [("XSD004", l1, c1), ("XSD001", l2, c2)]);
    assert!(
        messages(&doc)
            .iter()
            .any(|m| m.contains("has no <LicenseType>"))
    );
    // An element nowhere in the schema, with its own content: one finding.
    let doc = with(
        "      <avails:FormatProfile>",
        "      <avails:Bogus><avails:Start>x</avails:Start></avails:Bogus>\n      <avails:FormatProfile>",
    );
    let (l, c) = at(&doc, "<avails:Bogus>", 0);
    assert_eq!(xsd(&doc), [("XSD001", l, c)]);
}

#[test]
fn element_in_the_wrong_namespace() {
    // md:country written without its prefix, in the avails namespace.
    let doc = with(
        "<md:country>US</md:country>",
        "<avails:country>US</avails:country>",
    );
    let (l, c) = at(&doc, "<avails:country>", 0);
    assert_eq!(xsd(&doc), [("XSD001", l, c)]);
    assert!(messages(&doc)[0].contains("where the avails 2.3 schema has <md:country>"));
}

#[test]
fn order_and_repetition() {
    let doc = with(
        "      <avails:Territory><md:country>US</md:country></avails:Territory>\n      <avails:Start>2027-01-01T00:00:00</avails:Start>\n",
        "      <avails:Start>2027-01-01T00:00:00</avails:Start>\n      <avails:Territory><md:country>US</md:country></avails:Territory>\n",
    );
    let (l, c) = at(&doc, "<avails:Territory>", 0);
    assert_eq!(xsd(&doc), [("XSD002", l, c)]);
    // Start and StartCondition are a choice: the second is not allowed.
    let doc = with(
        "<avails:Start>2027-01-01T00:00:00</avails:Start>",
        "<avails:Start>2027-01-01T00:00:00</avails:Start><avails:StartCondition>Open</avails:StartCondition>",
    );
    let (l, c) = at(&doc, "<avails:StartCondition>", 0);
    assert_eq!(xsd(&doc), [("XSD002", l, c)]);
    assert!(messages(&doc)[0].contains("expects <End> or <EndCondition>"));
    let doc = with(
        "<avails:FormatProfile>HD</avails:FormatProfile>",
        "<avails:FormatProfile>HD</avails:FormatProfile><avails:FormatProfile>SD</avails:FormatProfile>",
    );
    let (l, c) = at(&doc, "<avails:FormatProfile>SD", 0);
    assert_eq!(xsd(&doc), [("XSD003", l, c)]);
}

#[test]
fn missing_required_child() {
    // An Asset without unit metadata (as in the MovieLabs structure tests).
    let start = DOC.find("      <avails:Metadata>").unwrap();
    let end = DOC.find("    </avails:Asset>").unwrap();
    let doc = format!("{}{}", &DOC[..start], &DOC[end..]);
    let (l, c) = at(&doc, "<avails:Asset ", 0);
    assert_eq!(xsd(&doc), [("XSD004", l, c)]);
    assert!(messages(&doc)[0].contains(
        "has no <Metadata> or <EpisodeMetadata> or <SeasonMetadata> or <SeriesMetadata>"
    ));
    // Term is required up to 2.3 and optional from 2.4.
    let no_term = with(
        "      <avails:Term termName=\"SRP\"><avails:Money currency=\"USD\">4.99</avails:Money></avails:Term>\n",
        "",
    );
    let (l, c) = at(&no_term, "<avails:Transaction ", 0);
    assert_eq!(xsd(&no_term), [("XSD004", l, c)]);
    let v24 = no_term
        .replace("avails/v2.3/avails", "avails/v2.4/avails")
        .replace("md/v2.6/md", "md/v2.7/md");
    assert_eq!(xsd(&v24), []);
}

#[test]
fn attributes() {
    let doc = with("<avails:Asset contentID=", "<avails:Asset contentid=");
    let (l, c) = at(&doc, "<avails:Asset ", 0);
    let (la, ca) = at(&doc, "md:cid:org:acme:1", 0);
    assert_eq!(xsd(&doc), [("XSD006", l, c), ("XSD005", la, ca)]);
    assert!(
        messages(&doc).iter().any(|m| m.contains("`contentid`")),
        "{:?}",
        messages(&doc)
    );
    let doc = with("<avails:Term termName=\"SRP\">", "<avails:Term>");
    let (l, c) = at(&doc, "<avails:Term>", 0);
    assert_eq!(xsd(&doc), [("XSD006", l, c)]);
    // Namespace declarations and xsi: attributes are allowed anywhere.
    let doc = with(
        "<avails:Avail>",
        "<avails:Avail xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"x y\">",
    );
    assert_eq!(xsd(&doc), []);
    // An attribute value of the wrong type.
    let doc = with(
        "<avails:Start>2027-01-01T00:00:00</avails:Start>",
        "<avails:StartCondition lag=\"2 days\">Theatrical</avails:StartCondition>",
    );
    let (l, c) = at(&doc, "2 days", 0);
    assert_eq!(xsd(&doc), [("XSD007", l, c)]);
}

#[test]
fn language_values_from_spreadsheets_are_not_xs_language() {
    // As MovieLabs' converter copies 1.7.3 cells into XML (issue 15).
    let doc = with(
        "<avails:AllowedLanguage asset=\"subdub\">es</avails:AllowedLanguage>\n      <avails:AssetLanguage>en</avails:AssetLanguage>",
        "<avails:AllowedLanguage>es:subdub</avails:AllowedLanguage>\n      <avails:AssetLanguage>EN, FR, ES</avails:AssetLanguage>",
    );
    let (l1, c1) = at(&doc, "es:subdub", 0);
    let (l2, c2) = at(&doc, "EN, FR, ES", 0);
    assert_eq!(xsd(&doc), [("XSD007", l1, c1), ("XSD007", l2, c2)]);
    assert!(messages(&doc)[0].contains("`es:subdub` is not an xs:language"));
}

#[test]
fn value_syntax_enumeration_pattern() {
    let doc = with("2027-01-01T00:00:00", "2027-01-01");
    let (l, c) = at(&doc, "2027-01-01<", 0);
    assert_eq!(xsd(&doc), [("XSD007", l, c)]);
    // Empty: at the start tag.
    let doc = with(
        "<avails:Start>2027-01-01T00:00:00</avails:Start>",
        "<avails:Start/>",
    );
    let (l, c) = at(&doc, "<avails:Start/>", 0);
    assert_eq!(xsd(&doc), [("XSD007", l, c)]);
    assert!(messages(&doc)[0].contains("is empty; the avails 2.3 schema requires an xs:dateTime"));
    let doc = with("PT1H30M", "90 minutes");
    let (l, c) = at(&doc, "90 minutes", 0);
    assert_eq!(xsd(&doc), [("XSD007", l, c)]);
    let doc = with("4.99", "$4.99");
    let (l, c) = at(&doc, "$4.99", 0);
    assert_eq!(xsd(&doc), [("XSD007", l, c)]);
    // md:country is two capitals, all of the value.
    for bad in ["us", "USA", " US"] {
        let doc = with(
            "<md:country>US</md:country>",
            &format!("<md:country>{bad}</md:country>"),
        );
        let (l, c) = at(
            &doc,
            &format!(">{bad}<"),
            1 + bad.len() - bad.trim_start().len(),
        );
        assert_eq!(xsd(&doc), [("XSD009", l, c)], "{bad}");
    }
    // An enumeration (md 2.6 People/Gender) and a fixed value.
    let doc = with(
        "        <avails:RunLength>PT1H30M</avails:RunLength>\n",
        "        <avails:RunLength>PT1H30M</avails:RunLength>\n        <avails:People><md:Job><md:JobFunction>Director</md:JobFunction></md:Job><md:Name><md:DisplayName>A</md:DisplayName></md:Name><md:Gender>Male</md:Gender></avails:People>\n        <avails:Ratings><md:Rating><md:Region><md:country>US</md:country></md:Region><md:System>MPAA</md:System><md:Value>PG</md:Value></md:Rating></avails:Ratings>\n",
    );
    let (l, c) = at(&doc, "Male<", 0);
    assert_eq!(xsd(&doc), [("XSD008", l, c)]);
    let doc_ok = doc.replace("<md:Gender>Male<", "<md:Gender>male<");
    assert_eq!(xsd(&doc_ok), []);
    let not_rated = doc_ok.replace(
        "<md:Rating><md:Region><md:country>US</md:country></md:Region><md:System>MPAA</md:System><md:Value>PG</md:Value></md:Rating>",
        "<md:NotRated>false</md:NotRated>",
    );
    let (l, c) = at(&not_rated, "false<", 0);
    assert_eq!(xsd(&not_rated), [("XSD008", l, c)]);
    assert_eq!(xsd(&not_rated.replace(">false<", ">1<")), []);
}

#[test]
fn text_in_element_only_content() {
    let doc = with(
        "<avails:Territory><md:country>US</md:country></avails:Territory>",
        "<avails:Territory>US</avails:Territory>",
    );
    let (l, c) = at(&doc, "<avails:Territory>", 0);
    let (lt, ct) = at(&doc, ">US<", 1);
    assert_eq!(xsd(&doc), [("XSD004", l, c), ("XSD010", lt, ct)]);
    // After a child, and before one.
    let doc = with("</avails:LicenseType>", "</avails:LicenseType> stray");
    let (l, c) = at(&doc, "stray", 0);
    assert_eq!(xsd(&doc), [("XSD010", l, c)]);
    let doc = with(
        "<avails:Transaction TransactionID=\"t1\">",
        "<avails:Transaction TransactionID=\"t1\">lead",
    );
    let (l, c) = at(&doc, "lead", 0);
    assert_eq!(xsd(&doc), [("XSD010", l, c)]);
}

#[test]
fn md_namespace_of_another_version() {
    let doc = DOC.replace("md/v2.6/md", "md/v2.5/md");
    let (l, c) = at(&doc, "<md:DisplayName>", 0);
    assert_eq!(xsd(&doc), [("XSD011", l, c)]);
    assert!(
        messages(&doc)[0]
            .contains("avails 2.3 imports md `http://www.movielabs.com/schema/md/v2.6/md`")
    );
}

#[test]
fn extension_without_a_schema() {
    // AvailAsset-type ends with xs:any namespace="##other" (strict).
    let doc = with(
        "    </avails:Asset>",
        "      <acme:Internal xmlns:acme=\"urn:acme\">7</acme:Internal>\n    </avails:Asset>",
    );
    let (l, c) = at(&doc, "<acme:Internal", 0);
    assert_eq!(xsd(&doc), [("XSD012", l, c)]);
    // An md element there is checked: md declares no global elements.
    let doc = with(
        "    </avails:Asset>",
        "      <md:Foo/>\n    </avails:Asset>",
    );
    let (l, c) = at(&doc, "<md:Foo/>", 0);
    assert_eq!(xsd(&doc), [("XSD001", l, c)]);
}

/// A document every avails version accepts, in `version` with `md`.
fn minimal(version: &str, md: &str) -> String {
    format!(
        r#"<AvailList xmlns="http://www.movielabs.com/schema/avails/v{version}/avails" xmlns:md="http://www.movielabs.com/schema/md/v{md}/md">
<Avail><ALID>md:alid:org:acme:1</ALID><Disposition><EntryType>Full Extract</EntryType></Disposition>
<Licensor><md:DisplayName>acme</md:DisplayName></Licensor><AvailType>single</AvailType><ShortDescription>x</ShortDescription>
<Asset contentID="md:cid:org:acme:1"><WorkType>Movie</WorkType><Metadata><TitleDisplayUnlimited>T</TitleDisplayUnlimited><TitleInternalAlias>T</TitleInternalAlias></Metadata></Asset>
<Transaction><LicenseType>EST</LicenseType><Description>x</Description><Territory><md:country>US</md:country></Territory>
<Start>2027-01-01T00:00:00</Start><End>2027-12-31T00:00:00</End><FormatProfile>HD</FormatProfile>
<Term termName="Tier"><Text>1</Text></Term></Transaction></Avail></AvailList>
"#
    )
}

#[test]
fn every_version_with_its_md_version() {
    let versions = [
        ("2.1", "2.4"),
        ("2.2", "2.4"),
        ("2.2.1", "2.5"),
        ("2.2.2", "2.5"),
        ("2.3", "2.6"),
        ("2.4", "2.7"),
        ("2.5", "2.8"),
        ("2.5.2", "2.9"),
        ("2.6", "2.10"),
        ("2.6.1", "2.11"),
        ("2.7", "2.12"),
    ];
    for (i, (v, md)) in versions.iter().enumerate() {
        assert_eq!(xsd(&minimal(v, md)), [], "avails {v}, md {md}");
        // Another version's md namespace is a finding, once.
        let other = versions[(i + 2) % versions.len()].1;
        if other != *md {
            let doc = minimal(v, other);
            let found = xsd(&doc);
            assert_eq!(found, [("XSD011", 3, 11)], "avails {v} with md {other}");
        }
    }
    // What differs between versions: 2.1 has StoreLanguage, later versions
    // AllowedLanguage.
    let store = |v: &str, md: &str| {
        minimal(v, md).replace(
            "<FormatProfile>",
            "<StoreLanguage>en</StoreLanguage><FormatProfile>",
        )
    };
    assert_eq!(xsd(&store("2.1", "2.4")), []);
    let doc = store("2.2", "2.4");
    let (l, c) = at(&doc, "<StoreLanguage>", 0);
    assert_eq!(xsd(&doc), [("XSD001", l, c)]);
}

// ------------------------------------------------------------------ samples

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/upstream")
        .join(path)
}

fn sample_findings(path: &str) -> Vec<(&'static str, u32, u32)> {
    let bytes = std::fs::read(shared(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    xsd(&String::from_utf8(bytes).expect("UTF-8 sample"))
}

#[test]
fn samples_the_suite_calls_valid_pass_their_xsd() {
    // samples/mddf-suite/README.md: these are valid, or their errors are of
    // code lists, ratings, vocabularies or Volumes (upstream validates the
    // XSD first and stops when it fails, and it went on to report those).
    for path in [
        "samples/mddf-suite/xml/Avails_noErrors_v2.2.1.xml",
        "samples/mddf-suite/xml/Avails_noErrors_v2.2.2.xml",
        "samples/mddf-suite/xml/Avails_noErrors_v2.3.xml",
        "samples/mddf-suite/xml/Avails_noErrors_v2.4.xml",
        "samples/mddf-suite/xml/Avails_Volume_no-err_v2.4.xml",
        "samples/mddf-suite/xml/Avails_Volume_error_v2.4.xml",
        "samples/mddf-suite/xml/Avails_Volume_error_v2.5.xml",
        "samples/mddf-suite/xml/Avails_Volume_error_v2.6.xml",
        "samples/mddf-suite/xml/Avails_withErrors.xml",
        "samples/mddf-suite/xml/CM_Currency-errors.xml",
        "samples/mddf-suite/xml/TPT-test_v1.9_v2.5.xml",
        // No expectation upstream; XSD-valid. Its mdmec namespace (2.5) is
        // not avails 2.3's (2.6), but no element uses it.
        "samples/mddf-suite/xml/TV_v1.7.2-20180713_v2.3.xml",
        "samples/ema/mddf_Avails_noErrors_v2.3.xml",
        "samples/ema/mddf_Avails_withErrors.xml",
    ] {
        assert_eq!(sample_findings(path), [], "{path}");
    }
}

#[test]
fn structure_test_samples_fail_their_xsd_where_upstream_says() {
    // README: "Fails the XSD at line 75 (Asset without Metadata)". Upstream
    // (Xerces) notices at the end tag, line 75; availcheck names the Asset
    // that lacks it, at its start tag, line 73.
    for path in [
        "samples/mddf-suite/xml/Avails_Structure_Tests_v2.3.xml",
        "samples/mddf-suite/xml/Avails_Structure_Tests_v2.3_errors.xml",
    ] {
        assert_eq!(sample_findings(path), [("XSD004", 73, 3)], "{path}");
    }
}

// ------------------------------------------------------------------ tables

#[test]
fn generated_tables_are_fresh() {
    let xsds = shared("movielabs");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/xsd");
    let stale = xsd_tables::stale(&xsds, &out).expect("the XSDs compile");
    assert!(
        stale.is_empty(),
        "{stale:?} differ from the XSDs: run `cargo run --example xsd_tables -- fixtures/upstream/movielabs schemas/xsd`"
    );
}
