//! Which files a run checks: the paths given, folders searched recursively,
//! and what a folder holds besides avails — reference files passed with
//! `--licensed` or `--previous`, reports availcheck wrote, files that are
//! clearly not avails (`pom.xml`, a budget CSV), lock and hidden files —
//! left out, each with the reason.

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
/// licensed-windows CSVs, availcheck's own reports and files that are
/// clearly not avails ([`not_avails`]) are left out; so are the last among
/// the given files with `skip_unrecognized` (`--skip-unrecognized`), else
/// such a file is checked and reported unreadable. The same file named
/// twice is checked once. A folder with nothing to check (no file, or only
/// files that are not avails) is listed itself, so it is reported as
/// unreadable.
pub fn discover(
    paths: &[PathBuf],
    references: &[PathBuf],
    outputs: &[PathBuf],
    skip_unrecognized: bool,
) -> Inputs {
    let mut inputs = Inputs::default();
    let written = |p: &Path| outputs.iter().any(|o| same(o, p));
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut inputs.skipped, 0, &written);
            found.sort();
            // References are named as such by `add`; files that are
            // clearly not avails go now.
            let mut kept = Vec::new();
            for f in found {
                match not_avails(&f).filter(|_| !references.iter().any(|r| same(r, &f))) {
                    Some(reason) => inputs.skipped.push(Skipped { path: f, reason }),
                    None => kept.push(f),
                }
            }
            if kept.is_empty() {
                // Reported as unreadable: a folder with nothing to check is a mistake.
                inputs.add(p.clone(), references, false);
            }
            for f in kept {
                inputs.add(f, references, false);
            }
        } else if !written(p) {
            inputs.add(p.clone(), references, skip_unrecognized);
        }
    }
    inputs
}

impl Inputs {
    /// Adds `path` to check, unless it is a reference file, already there,
    /// or (with `screen`) clearly not avails.
    fn add(&mut self, path: PathBuf, references: &[PathBuf], screen: bool) {
        if let Some(r) = references.iter().find(|r| same(r, &path)) {
            let reason = format!(
                "is read as a reference file (`{}`), not checked as avails",
                r.display()
            );
            self.skipped.push(Skipped { path, reason });
        } else if let Some(reason) = screen.then(|| not_avails(&path)).flatten() {
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

/// Bytes of a file looked at to tell whether it is clearly not avails.
const HEAD_BYTES: u64 = 16 * 1024;
/// Lines of a CSV searched for field names (as the reader searches rows).
const HEAD_LINES: usize = 10;
/// Root elements of Avails XML (local names, any prefix).
const AVAILS_ROOTS: [&str; 3] = ["AvailList", "AvailListSigned", "Avail"];

/// Why a file is clearly not avails, from its name and first bytes: a
/// `.xml` file that is an XML document whose root element is not an Avails
/// one, or a `.csv` text file none of whose first lines holds an EMA field
/// name or a licensed-windows column (`title_id`). Anything else — a
/// workbook, a `.xlsx` holding text, a file that cannot be read, an XML
/// prolog longer than the bytes looked at — is left to the readers.
pub fn not_avails(path: &Path) -> Option<String> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(HEAD_BYTES)
        .read_to_end(&mut head)
        .ok()?;
    match crate::read::sniff(&head).ok()? {
        crate::read::Format::Xml if extension == "xml" => xml_root(&head)
            .filter(|root| {
                let local = root.rsplit(':').next().unwrap_or(root);
                !AVAILS_ROOTS.contains(&local)
            })
            .map(|root| {
                format!("is an XML document whose root element is <{root}>, not an Avails element (AvailList, Avail)")
            }),
        crate::read::Format::Csv if extension == "csv" => {
            let (text, _) = crate::read::text::decode_lenient(&head);
            let named = text.lines().take(HEAD_LINES).any(|line| {
                line.split([',', ';', '\t']).any(|cell| {
                    let cell = cell.trim().trim_matches('"').trim();
                    crate::model::Field::from_header(cell).is_some()
                        || cell.eq_ignore_ascii_case("title_id")
                })
            });
            (!named).then(|| {
                format!(
                    "is a text file with no EMA field names (such as DisplayName, Territory, LicenseType) in its first {HEAD_LINES} lines"
                )
            })
        }
        _ => None,
    }
}

/// The name of the first element of an XML document, past its declaration,
/// comments, processing instructions and DOCTYPE; `None` when `head` ends
/// before it.
fn xml_root(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        let skip = if rest.starts_with("<?") {
            rest.find("?>")? + 2
        } else if rest.starts_with("<!--") {
            rest.find("-->")? + 3
        } else if rest.starts_with("<!") {
            // DOCTYPE, possibly with an internal subset.
            match rest.find('[') {
                Some(open) if open < rest.find('>')? => rest[open..].find("]>")? + open + 2,
                _ => rest.find('>')? + 1,
            }
        } else if let Some(tag) = rest.strip_prefix('<') {
            let end = tag.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
            return (end > 0).then(|| tag[..end].to_string());
        } else {
            return None;
        };
        rest = &rest[skip..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_roots_are_found_past_the_prolog() {
        let root = |s: &str| xml_root(s.as_bytes());
        assert_eq!(
            root("<a:AvailList xmlns:a='x'>").as_deref(),
            Some("a:AvailList")
        );
        assert_eq!(
            root("\u{feff}<?xml version='1.0'?>\n<!-- c -->\n<!DOCTYPE p [<!ENTITY e 'x'>]>\n<project>")
                .as_deref(),
            Some("project")
        );
        assert_eq!(root("<?xml version='1.0'?><!-- never closed"), None);
        assert_eq!(root("plain text"), None);
    }

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
        let pom = write(
            "pom.xml",
            "<?xml version=\"1.0\"?>\n<!-- build -->\n<project><modelVersion/></project>",
        );
        let budget = write("budget.csv", "Date,Amount,Category\n2024-01-01,100,Food\n");
        let inputs = discover(
            &[d.to_path_buf(), a.clone()],
            std::slice::from_ref(&licensed),
            std::slice::from_ref(&out),
            false,
        );
        assert_eq!(inputs.checked, vec![a.clone(), b]);
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
        assert!(skipped.contains(&("pom.xml".into(), "XML")), "{skipped:?}");
        assert!(
            skipped.contains(&("budget.csv".into(), "text")),
            "{skipped:?}"
        );
        // The run's own output is left out silently.
        assert_eq!(skipped.len(), 4, "{skipped:?}");
        // Named on the command line they are checked (and found unreadable),
        // unless --skip-unrecognized screens them as a folder's files are.
        let named = [pom.clone(), budget.clone(), a.clone()];
        assert_eq!(discover(&named, &[], &[], false).checked, named);
        let screened = discover(&named, &[], &[], true);
        assert_eq!(screened.checked, std::slice::from_ref(&a));
        assert_eq!(screened.skipped.len(), 2);
        // Given explicitly, a reserved file is still not checked.
        let inputs = discover(
            std::slice::from_ref(&licensed),
            std::slice::from_ref(&licensed),
            &[],
            false,
        );
        assert!(inputs.checked.is_empty());
        assert_eq!(inputs.skipped.len(), 1);
    }
}
