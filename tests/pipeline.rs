//! Row rules run on chunks while a file is still being read; the findings
//! must be exactly those of checking the finished rows afterwards.

use std::path::PathBuf;
use std::time::Duration;

use availcheck::read::{ReadOptions, read_path};
use availcheck::rules::Settings;
use availcheck::{CheckOptions, Loaded, check, check_loaded};

#[test]
fn streamed_checks_equal_checks_after_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let mut text = String::from(
        "Avail,AvailTrans,AvailAsset,Disposition,AvailMetadata,AvailMetadata,AvailTrans,AvailTrans,AvailTrans,AvailTrans,AvailAsset,Avail\n\
         DisplayName,Territory,WorkType,EntryType,TitleInternalAlias,GroupIdentity,LicenseType,FormatProfile,Start,End,ContentID,ALID\n//\n",
    );
    // Three chunks and a bit, with a problem every 97 rows.
    for i in 0..(3 * availcheck::read::SINK_CHUNK_ROWS + 123) {
        let territory = if i % 97 == 0 { "UK" } else { "US" };
        text.push_str(&format!(
            "acme,{territory},Movie,Full Extract,T{i},CPH,SVOD,HD,2030-01-01,Open,md:cid:org:acme:{i},md:alid:org:acme:{i}\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let settings = Settings {
        territories: Some(["US".to_string()].into_iter().collect()),
        ..Settings::default()
    };
    let streamed = check(&CheckOptions {
        paths: vec![PathBuf::from(&path)],
        settings: settings.clone(),
        ..Default::default()
    });
    let display = path.display().to_string();
    let after = check_loaded(
        &[Loaded {
            path: display.clone(),
            result: read_path(&path, &display, 0, &ReadOptions::default()),
            elapsed: Duration::ZERO,
            role: availcheck::Role::Checked,
        }],
        &settings,
    );
    let key = |r: &availcheck::Report| -> Vec<(String, Option<String>, String)> {
        r.diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.location.cell.clone(),
                    d.message.clone(),
                )
            })
            .collect()
    };
    let rows = 3 * availcheck::read::SINK_CHUNK_ROWS + 123;
    assert_eq!(streamed.files[0].rows, rows);
    let uk_rows = rows.div_ceil(97);
    assert!(key(&streamed).iter().filter(|k| k.0 == "EMA005").count() >= uk_rows);
    assert_eq!(key(&streamed), key(&after));
}

/// The windows are collected only for a report that draws them (they cost
/// memory on every row), and then hold every row with a window.
#[test]
fn windows_are_collected_only_when_asked() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/cph-1.7.3-movies.xlsx");
    let run = |windows| {
        check(&CheckOptions {
            paths: vec![path.clone()],
            windows,
            ..Default::default()
        })
    };
    let (without, with) = (run(false), run(true));
    assert!(without.windows.rows.is_empty());
    assert!(!with.windows.rows.is_empty());
    assert!(availcheck::report::Format::Html.draws_windows());
    assert!(!availcheck::report::Format::Json.draws_windows());
    assert_eq!(without.diagnostics.len(), with.diagnostics.len());
}
