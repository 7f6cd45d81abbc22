//! Hostile inputs: every unreadable file ends with exit 2 and a one-paragraph
//! error naming the file, within bounded time and memory; other files in the
//! same call are still checked; inputs are never modified. Every case is
//! generated in code (no large binary files in the repository).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rust_xlsxwriter::Workbook;
use serde_json::Value;

/// Seconds any single hostile case may take.
const MAX_SECS: f64 = 20.0;
/// Peak memory (MB) any single hostile case may use.
const MAX_RSS_MB: f64 = 1024.0;

struct Outcome {
    code: i32,
    json: Value,
    stderr: String,
    secs: f64,
    rss_mb: f64,
}

/// Runs `availcheck check --json ARGS` and measures it.
fn run(args: &[&Path]) -> Outcome {
    let start = Instant::now();
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let err_file = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_availcheck"))
        .args([
            "check",
            "--json",
            "--profile",
            "ema",
            "--as-of",
            "2026-11-22T00:00:00Z",
        ])
        .args(args)
        .stdin(Stdio::null())
        .stdout(out_file.reopen().unwrap())
        .stderr(err_file.reopen().unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain old data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    std::mem::forget(child);
    let secs = start.elapsed().as_secs_f64();
    let stdout = std::fs::read_to_string(out_file.path()).unwrap();
    let stderr = std::fs::read_to_string(err_file.path()).unwrap();
    assert!(
        libc::WIFEXITED(status),
        "killed by a signal; stderr: {stderr}"
    );
    let code = libc::WEXITSTATUS(status);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {stdout}"));
    let o = Outcome {
        code,
        json,
        stderr,
        secs,
        rss_mb: usage.ru_maxrss as f64 / 1024.0,
    };
    assert!(o.secs < MAX_SECS, "took {:.1} s", o.secs);
    assert!(o.rss_mb < MAX_RSS_MB, "used {:.0} MB", o.rss_mb);
    o
}

/// The `error` of the file entry for `path`.
fn file_error(o: &Outcome, path: &Path) -> String {
    let shown = path.display().to_string();
    o.json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == shown.as_str())
        .unwrap_or_else(|| panic!("no file entry for {shown}: {}", o.json))["error"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Asserts `path` is refused with exit 2 and an error naming it and containing `needle`.
fn refused(path: &Path, needle: &str) -> Outcome {
    let o = run(&[path]);
    assert_eq!(o.code, 2, "{}", o.json);
    let err = file_error(&o, path);
    assert!(
        err.starts_with(&path.display().to_string()),
        "error does not name the file: {err}"
    );
    assert!(
        err.to_lowercase().contains(&needle.to_lowercase()),
        "`{needle}` not in: {err}"
    );
    assert!(
        o.stderr.contains(&path.display().to_string()),
        "stderr does not name the file: {}",
        o.stderr
    );
    o
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A minimal valid EMA 1.7.3 Movies workbook.
fn clean_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Movies").unwrap();
    let header = [
        ("Avail", "DisplayName"),
        ("AvailTrans", "Territory"),
        ("AvailAsset", "WorkType"),
        ("Disposition", "EntryType"),
        ("AvailMetadata", "TitleInternalAlias"),
        ("AvailMetadata", "GroupIdentity"),
        ("AvailTrans", "LicenseType"),
        ("AvailTrans", "FormatProfile"),
        ("AvailTrans", "Start"),
        ("AvailTrans", "End"),
        ("AvailAsset", "ContentID"),
        ("Avail", "ALID"),
    ];
    let row = [
        "acme",
        "US",
        "Movie",
        "Full Extract",
        "Title",
        "CPH",
        "SVOD",
        "HD",
        "2030-01-01",
        "Open",
        "md:cid:org:acme:1",
        "md:alid:org:acme:1",
    ];
    for (c, (cat, field)) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *cat).unwrap();
        ws.write_string(1, c as u16, *field).unwrap();
        ws.write_string(3, c as u16, row[c]).unwrap();
    }
    wb.save(path).unwrap();
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn empty_file() {
    let d = tempfile::tempdir().unwrap();
    refused(&write(d.path(), "empty.xlsx", b""), "empty");
}

#[test]
fn random_bytes() {
    let d = tempfile::tempdir().unwrap();
    let mut x: u64 = 0x1234_5678;
    let bytes: Vec<u8> = (0..65_536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    refused(&write(d.path(), "random.xlsx", &bytes), "not a spreadsheet");
}

#[test]
fn pdf_and_png_renamed() {
    let d = tempfile::tempdir().unwrap();
    refused(
        &write(
            d.path(),
            "avails.xlsx",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n",
        ),
        "PDF",
    );
    refused(
        &write(d.path(), "avails2.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "PNG",
    );
}

#[test]
fn truncated_zip_and_zip_without_workbook() {
    let d = tempfile::tempdir().unwrap();
    let good = d.path().join("good.xlsx");
    clean_workbook(&good);
    let bytes = std::fs::read(&good).unwrap();
    refused(
        &write(d.path(), "truncated.xlsx", &bytes[..bytes.len() / 2]),
        "truncated",
    );
    let other = zip_with(&[("readme.txt", b"hello")]);
    refused(&write(d.path(), "nowb.xlsx", &other), "no xl/workbook.xml");
}

#[test]
fn encrypted_workbook() {
    let d = tempfile::tempdir().unwrap();
    // A CFB container holding an EncryptedPackage stream, as Excel writes
    // password-protected .xlsx files.
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(
        "EncryptionInfo\0EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    bytes.resize(4096, 0);
    refused(&write(d.path(), "secret.xlsx", &bytes), "password");
}

#[test]
fn zip_bomb_is_bounded() {
    let d = tempfile::tempdir().unwrap();
    // 256 MiB of one repeated byte deflates about 1000:1.
    let big = vec![b'a'; 256 << 20];
    let bomb = zip_with(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", &big),
    ]);
    drop(big);
    assert!(
        bomb.len() < 2 << 20,
        "the bomb itself stays small ({} bytes)",
        bomb.len()
    );
    refused(&write(d.path(), "bomb.xlsx", &bomb), "zip bomb");
}

#[test]
fn huge_dimensions_and_cells() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("wide.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Movies").unwrap();
    for (c, f) in [
        "DisplayName",
        "Territory",
        "WorkType",
        "EntryType",
        "LicenseType",
        "ALID",
        "GroupIdentity",
        // Enough of a template's fields to be an avails sheet.
        "TitleInternalAlias",
        "FormatProfile",
        "Start",
        "End",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *f).unwrap();
    }
    ws.write_string(3, 0, "acme").unwrap();
    ws.write_string(3, 16_383, "far right").unwrap(); // XFD4
    ws.write_string(4, 1, "x".repeat(32_767)).unwrap(); // Excel's longest cell
    ws.write_string(1_048_575, 0, "last row").unwrap();
    wb.save(&p).unwrap();
    let o = run(&[&p]);
    assert!(
        o.code == 0 || o.code == 1,
        "checked, not refused: {}",
        o.json
    );
    assert_eq!(o.json["files"][0]["rows"], 3, "rows 4, 5 and 1,048,576");
    let cells: Vec<&str> = o.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["location"]["cell"].as_str())
        .collect();
    assert!(
        cells.iter().any(|c| c.ends_with("1048576")),
        "the last row is checked: {cells:?}"
    );
}

#[test]
fn megabyte_cell_in_csv() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "DisplayName,Territory,WorkType,EntryType,ALID,GroupIdentity,TitleInternalAlias,LicenseType,FormatProfile\n//c\nacme,\"",
    );
    text.push_str(&"x".repeat(1 << 20));
    text.push_str("\",Movie,Full Extract,a1,CPH\n");
    let p = write(d.path(), "big.csv", text.as_bytes());
    let o = run(&[&p]);
    assert_eq!(o.code, 1, "checked: {}", o.json["summary"]);
    let d0 = o.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "EMA005")
        .expect("the 1 MB territory is invalid");
    assert_eq!(d0["location"]["cell"], "B3");
}

#[test]
fn csv_encodings_and_ragged_rows() {
    let d = tempfile::tempdir().unwrap();
    let text = "Avail,AvailTrans,AvailAsset,Disposition,AvailMetadata,AvailTrans,Avail\nDisplayName,Territory,WorkType,EntryType,TitleInternalAlias,LicenseType,ALID\n//comment\nacme,US,Movie,Full Extract,Caf\u{e9} \u{20ac},EST,a1\nacme,US,Movie\n";
    let cp1252: Vec<u8> = text
        .chars()
        .map(|c| match c {
            '\u{e9}' => 0xE9,
            '\u{20ac}' => 0x80,
            c => c as u8,
        })
        .collect();
    let p = write(d.path(), "cp1252.csv", &cp1252);
    let o = run(&[&p]);
    assert_ne!(o.code, 2, "{}", o.json);
    let codes: Vec<&str> = o.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"AVC006"),
        "Windows-1252 is decoded with a warning: {codes:?}"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let p16 = write(d.path(), "utf16.csv", &utf16);
    let o = run(&[&p16]);
    assert_ne!(o.code, 2, "{}", o.json);
    assert_eq!(o.json["files"][0]["rows"], 2, "ragged row 5 is still a row");
}

#[test]
fn paths_that_are_not_files() {
    let d = tempfile::tempdir().unwrap();
    refused(&d.path().join("missing.xlsx"), "no such file");
    // A folder is searched for avails files; one without any is an error,
    // not a silent pass.
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    refused(&empty, "folder with no avails files");
}

#[test]
fn unreadable_file() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: permission bits do not stop root");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("locked.xlsx");
    clean_workbook(&p);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    refused(&p, "cannot be read");
}

#[test]
fn other_files_still_checked_and_exit_2_wins() {
    let d = tempfile::tempdir().unwrap();
    let good = d.path().join("good.xlsx");
    clean_workbook(&good);
    let bad = write(d.path(), "bad.xlsx", b"%PDF-1.4");
    let o = run(&[&good, &bad]);
    assert_eq!(o.code, 2);
    let files = o.json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["rows"], 1, "the good file was checked");
    assert!(files[0]["error"].is_null());
    assert!(files[1]["error"].as_str().unwrap().contains("PDF"));
    assert_eq!(o.json["summary"]["unreadable"], 1);
}

#[test]
fn inputs_are_never_modified() {
    let d = tempfile::tempdir().unwrap();
    let good = d.path().join("good.xlsx");
    clean_workbook(&good);
    let csv = write(
        d.path(),
        "a.csv",
        b"DisplayName,Territory,WorkType,EntryType\nacme,UK,Movie,Full Extract\n",
    );
    let licensed = write(
        d.path(),
        "licensed.csv",
        b"title_id,territory,start,end\nmd:alid:org:acme:1,US,2020-01-01,2029-12-31\n",
    );
    let before: Vec<(Vec<u8>, std::time::SystemTime)> = [&good, &csv, &licensed]
        .iter()
        .map(|p| {
            (
                std::fs::read(p).unwrap(),
                std::fs::metadata(p).unwrap().modified().unwrap(),
            )
        })
        .collect();
    std::thread::sleep(Duration::from_millis(20));
    let out = Command::new(env!("CARGO_BIN_EXE_availcheck"))
        .args([
            "check",
            "--json",
            "--as-of",
            "2026-11-22T00:00:00Z",
            "--licensed",
        ])
        .arg(&licensed)
        .arg(&good)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.code().is_some());
    for (p, (bytes, mtime)) in [&good, &csv, &licensed].iter().zip(before) {
        assert_eq!(std::fs::read(p).unwrap(), bytes, "{} changed", p.display());
        assert_eq!(
            std::fs::metadata(p).unwrap().modified().unwrap(),
            mtime,
            "{} touched",
            p.display()
        );
    }
    let names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "no lock or temp files left beside the inputs: {names:?}"
    );
}
