//! EMA rules (EMA001–EMA012) and reader findings (AVC001–AVC007), end to end:
//! every workbook is built in code, checked by the binary, and the JSON
//! report's (code, severity, sheet, row, field) are asserted.

mod common;

use common::*;

fn base_cases() -> Vec<(&'static str, &'static str, Rec)> {
    vec![
        ("1.6", "Movies", movies_1_6()),
        ("1.6", "TV", tv_1_6()),
        ("1.7.3", "Movies", movies_1_7_3()),
        ("1.7.3", "TV", tv_1_7_3()),
    ]
}

#[test]
fn clean_workbooks_have_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    for (version, sheet, rec) in base_cases() {
        let path = workbook(dir.path(), &format!("{version}-{sheet}.xlsx"), sheet, &[rec]);
        let (code, report, _) = check(&path, "ema", &[]);
        println!("{report:#}");
        assert_eq!(code, 0, "{version} {sheet}: {report:#}");
        assert_clean(&report);
        let (code, report, _) = check(&path, "cph-svod", &["--territories", "US", "--partner", "acme"]);
        println!("{report:#}");
        assert_eq!(code, 0, "{version} {sheet} cph: {report:#}");
        assert_clean(&report);
    }
}
