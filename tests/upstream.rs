//! fixtures/upstream/ holds byte-for-byte copies of files in ../shared (see
//! its README.md). Where ../shared is beside the project, every copy must
//! still equal its source, and every sample there must have been copied; in
//! a clone without it there is nothing to compare, and the test says so.

use std::path::{Path, PathBuf};

/// (folder in fixtures/upstream, folder in ../shared, whole folder copied)
const COPIES: [(&str, &str, bool); 4] = [
    ("samples/ema", "samples/ema", true),
    ("samples/mddf-suite/xlsx", "samples/mddf-suite/xlsx", true),
    ("samples/mddf-suite/xml", "samples/mddf-suite/xml", true),
    ("movielabs", "reference/movielabs", false),
];

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn copies_equal_their_sources_in_shared() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared");
    if !shared.is_dir() {
        eprintln!(
            "note: {} is absent; the copies are not compared",
            shared.display()
        );
        return;
    }
    for (copy, source, whole) in COPIES {
        let (copy, source) = (
            root.join("fixtures/upstream").join(copy),
            shared.join(source),
        );
        let copied = files(&copy);
        if whole {
            for name in files(&source) {
                assert!(
                    copied.contains(&name),
                    "{} is not copied",
                    source.join(&name).display()
                );
            }
        }
        for name in copied {
            let (c, s) = (copy.join(&name), source.join(&name));
            if !s.exists() && name.starts_with("LICENSE-") {
                continue; // written here: a licence the source states in its README
            }
            let (a, b) = (std::fs::read(&c), std::fs::read(&s));
            assert!(
                matches!((&a, &b), (Ok(a), Ok(b)) if a == b),
                "{} differs from {}",
                c.display(),
                s.display()
            );
        }
    }
    // The READMEs that say what upstream expects of each sample.
    for readme in ["samples/ema/README.md", "samples/mddf-suite/README.md"] {
        assert_eq!(
            std::fs::read(root.join("fixtures/upstream").join(readme)).ok(),
            std::fs::read(shared.join(readme)).ok(),
            "{readme}"
        );
    }
}
