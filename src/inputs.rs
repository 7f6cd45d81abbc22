//! Which files a run checks: the paths given, folders searched recursively,
//! and what a folder holds besides avails — reference files passed with
//! `--licensed` or `--previous`, reports availcheck wrote, lock and hidden
//! files — left out, each with the reason.

use std::io::Read;
use std::path::{Path, PathBuf};

/// File extensions picked up when a folder is given.
pub const AVAILS_EXTENSIONS: [&str; 6] = ["xlsx", "xls", "xlsb", "ods", "csv", "xml"];

/// The files of a run.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files to check, in order (folders sorted), each once.
    pub checked: Vec<PathBuf>,
    /// Files left out, and why.
    pub skipped: Vec<Skipped>,
}

/// A file that is not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why, as a sentence fragment: `is a --licensed file`.
    pub reason: String,
}

/// The files to check among `paths`: given files as they are, folders
/// searched recursively for avails extensions (sorted, so runs are
/// reproducible). `references` are files the run reads otherwise
/// (`--licensed`, `--previous`): never also checked, and named as skipped.
/// `outputs` are the files the run writes (`-o`): left out silently, so a
/// report written into a checked folder does not change the next run. In
/// folders, hidden files and folders, Office lock files (`~$…`),
/// licensed-windows CSVs and availcheck's own reports are left out. The
/// same file named twice is checked once. A folder without any file is
/// listed itself, so it is reported as unreadable.
pub fn discover(paths: &[PathBuf], references: &[PathBuf], outputs: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    let written = |p: &Path| outputs.iter().any(|o| same(o, p));
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut inputs.skipped, 0, &written);
            found.sort();
            if found.is_empty() {
                // Reported as unreadable: a folder with nothing to check is a mistake.
                inputs.add(p.clone(), references);
            }
            for f in found {
                inputs.add(f, references);
            }
        } else if !written(p) {
            inputs.add(p.clone(), references);
        }
    }
    inputs
}

impl Inputs {
    fn add(&mut self, path: PathBuf, references: &[PathBuf]) {
        if let Some(r) = references.iter().find(|r| same(r, &path)) {
            let reason = format!(
                "is read as a reference file (`{}`), not checked as avails",
                r.display()
            );
            self.skipped.push(Skipped { path, reason });
        } else if !self.checked.iter().any(|c| same(c, &path)) {
            self.checked.push(path);
        }
    }
}

/// True when `a` and `b` name one file (or, when either is missing, one path).
pub fn same(a: &Path, b: &Path) -> bool {
    match same_file::is_same_file(a, b) {
        Ok(same) => same,
        Err(_) => a == b,
    }
}

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
    depth: usize,
    written: &dyn Fn(&Path) -> bool,
) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Ok(kind) = e.file_type() else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        // Hidden files and folders (`.git`, `.old`, macOS `._x.xlsx`) and
        // Office lock files (`~$x.xlsx`) are never avails.
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if kind.is_dir() {
            walk(&path, out, skipped, depth + 1, written);
            continue;
        }
        let avails_like = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| AVAILS_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()));
        if !kind.is_file() || !avails_like || written(&path) {
            continue;
        }
        match recognise(&path) {
            Some(reason) => skipped.push(Skipped {
                path,
                reason: reason.to_string(),
            }),
            None => out.push(path),
        }
    }
}

/// Why a file found in a folder is not avails, from its first bytes: a
/// licensed-windows CSV, or a report availcheck wrote.
fn recognise(path: &Path) -> Option<&'static str> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default().to_ascii_lowercase();
    if first.split(',').any(|c| c.trim() == "title_id") {
        return Some(
            "is a licensed-windows CSV (title_id,territory,start,end); pass it with --licensed",
        );
    }
    if first == crate::report::csv::COLUMNS.join(",") {
        return Some("is a report availcheck wrote (CSV)");
    }
    if text.contains("<testsuites") && text.contains("availcheck") {
        return Some("is a report availcheck wrote (JUnit XML)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_hold_more_than_avails() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let write = |name: &str, text: &str| {
            let p = d.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            p
        };
        let a = write("a.csv", "DisplayName,Territory\n");
        let licensed = write("licensed-windows.csv", "title_id,territory,start,end\n");
        write(
            "junit.xml",
            "<?xml version=\"1.0\"?><testsuites name=\"availcheck\">",
        );
        write("._a.csv", "resource fork");
        write("~$a.xlsx", "lock");
        write(".old/b.csv", "x");
        write("notes.txt", "x");
        let b = write("sub/b.xml", "<AvailList/>");
        let out = write("report.csv", "x");
        let inputs = discover(
            &[d.to_path_buf(), a.clone()],
            std::slice::from_ref(&licensed),
            std::slice::from_ref(&out),
        );
        assert_eq!(inputs.checked, vec![a, b]);
        let skipped: Vec<(String, &str)> = inputs
            .skipped
            .iter()
            .map(|s| {
                let name = s.path.file_name().unwrap().to_string_lossy().into_owned();
                (name, s.reason.split(' ').take(3).last().unwrap_or_default())
            })
            .collect();
        assert!(
            skipped.contains(&("licensed-windows.csv".into(), "licensed-windows")),
            "{skipped:?}"
        );
        assert!(
            skipped.contains(&("junit.xml".into(), "report")),
            "{skipped:?}"
        );
        // The run's own output is left out silently.
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        // Given explicitly, a reserved file is still not checked.
        let inputs = discover(
            std::slice::from_ref(&licensed),
            std::slice::from_ref(&licensed),
            &[],
        );
        assert!(inputs.checked.is_empty());
        assert_eq!(inputs.skipped.len(), 1);
    }
}
