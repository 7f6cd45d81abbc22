//! The README's install commands and CI examples, run as written here, each
//! in a scratch folder:
//!
//! * the install command (`cargo install --locked --path .`), into a scratch
//!   root, then the installed binary on the bundled fixture;
//! * the GitHub composite action (`action.yml`): its `run:` steps in order,
//!   with the runner's variables and files (`GITHUB_OUTPUT`, `GITHUB_PATH`),
//!   a real `cargo install` on the first run and the cached build on the
//!   second; its `uses:` steps (cache, SARIF upload) are checked by name and
//!   by what they would take;
//! * the GitLab job's scripts, with its cache holding the tool (the job's
//!   install line builds from the repository's Git URL, which needs the
//!   network, so it is the cached branch of that line that runs);
//! * the shell step with jq, for exit codes 0, 1 and 2;
//! * the pre-commit hooks through `pre-commit try-repo` when pre-commit is
//!   installed (`.ci/run` installs it), else the hooks' command lines.
//!
//! Builds here are offline, into `target/ci-examples`, with the release
//! profile unoptimised (set through cargo's `CARGO_PROFILE_RELEASE_*`
//! variables; the commands themselves are run unchanged): a first run
//! builds the dependencies once, later runs only availcheck.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder holding the binary under test.
fn bin_dir() -> PathBuf {
    Path::new(bin()).parent().unwrap().to_path_buf()
}

/// `PATH` with `first` in front.
fn path_with(first: &[PathBuf]) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(first.iter().cloned().chain(std::env::split_paths(&rest))).unwrap()
}

/// Offline cargo builds into their own target folder, release profile
/// unoptimised.
fn cargo_env(cmd: &mut Command) -> &mut Command {
    let target = Path::new(bin()).parent().unwrap().parent().unwrap();
    cmd.env("CARGO_TARGET_DIR", target.join("ci-examples"))
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
}

#[track_caller]
fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The README's fenced code blocks: (language, body).
fn readme_blocks() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if let Some(lang) = line.strip_prefix("```") {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            out.push((lang.to_string(), body.join("\n") + "\n"));
        }
    }
    out
}

/// The one README block of `lang` holding `needle`.
#[track_caller]
fn readme_block(lang: &str, needle: &str) -> String {
    let found: Vec<String> = readme_blocks()
        .into_iter()
        .filter(|(l, body)| l == lang && body.contains(needle))
        .map(|(_, body)| body)
        .collect();
    assert_eq!(found.len(), 1, "README blocks of {lang} with `{needle}`");
    found.into_iter().next().unwrap()
}

/// A scratch folder with `avails/` holding `files` (name, fixture or text).
fn workspace(files: &[(&str, Source)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, source) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        match source {
            Source::Fixture(f) => {
                std::fs::copy(fixtures_dir().join(f), &path).unwrap();
            }
            Source::Text(t) => std::fs::write(&path, t).unwrap(),
        }
    }
    dir
}

enum Source {
    Fixture(&'static str),
    Text(&'static str),
}

const PROBLEMS: Source = Source::Fixture("cph-1.7.3-problems.xlsx");
const CLEAN: Source = Source::Fixture("cph-1.7.3-movies.xlsx");
const POM: Source = Source::Text(
    "<?xml version=\"1.0\"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n",
);
const BUDGET: Source = Source::Text("Date,Amount,Category\n2024-01-01,100,Food\n");

// ------------------------------------------------------------ README set-up and install

#[test]
fn readme_set_up_is_two_commands_and_install_puts_availcheck_on_the_path() {
    let set_up = readme_block("sh", "cargo test");
    let commands: Vec<&str> = set_up.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -- check fixtures/cph-1.7.3-movies.xlsx --territories US,GB --partner acme",
            "cargo test"
        ]
    );
    let install = readme_block("sh", "cargo install --locked --path .");
    let lines: Vec<&str> = install.lines().collect();
    assert_eq!(lines.len(), 2, "{install}");
    // The --git form names this repository and package; it needs the network.
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let url = manifest
        .lines()
        .find_map(|l| l.strip_prefix("repository = "))
        .unwrap()
        .trim_matches('"');
    assert_eq!(
        lines[1],
        format!("cargo install --locked --git {url} availcheck")
    );
    // The path form, as written, into a scratch root.
    let root = tempfile::tempdir().unwrap();
    let out = cargo_env(Command::new("sh").arg("-c").arg(lines[0]))
        .current_dir(repo())
        .env("CARGO_INSTALL_ROOT", root.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let installed = root.path().join("bin/availcheck");
    let out = Command::new("availcheck")
        .args([
            "check",
            "fixtures/cph-1.7.3-movies.xlsx",
            "--territories",
            "US,GB",
            "--partner",
            "acme",
        ])
        .current_dir(repo())
        .env("PATH", path_with(&[root.path().join("bin")]))
        .output()
        .unwrap();
    assert!(installed.exists());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("VALID"));
}

// ------------------------------------------------------------ GitHub Actions

fn yaml(text: &str) -> Yaml {
    YamlLoader::load_from_str(text).unwrap().remove(0)
}

fn string(y: &Yaml) -> String {
    match y {
        Yaml::String(s) => s.clone(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Real(r) => r.clone(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// A composite action run the way the runner runs it, as far as this
/// machine can: expressions filled in from `context`, `run:` steps in bash
/// with the runner's files and variables, `uses:` steps only recorded.
struct Runner {
    context: HashMap<String, String>,
    workspace: PathBuf,
    tool_cache: PathBuf,
    path: Vec<PathBuf>,
    /// `uses:` of the steps passed over, with their `with:` filled in.
    used: Vec<(String, HashMap<String, String>)>,
}

impl Runner {
    fn expand(&self, text: &str) -> String {
        let re = regex::Regex::new(r"\$\{\{\s*(.*?)\s*\}\}").unwrap();
        re.replace_all(text, |c: &regex::Captures<'_>| {
            self.context
                .get(&c[1])
                .unwrap_or_else(|| panic!("no value for `{}`", &c[1]))
                .clone()
        })
        .into_owned()
    }

    /// A step's `if:` (terms joined by `&&`: `always()`, `success()`,
    /// `inputs.NAME == 'VALUE'`); without one, `success()`.
    fn condition(&self, step: &Yaml, failed: bool) -> bool {
        let condition = step["if"].as_str().unwrap_or("success()");
        condition.split("&&").all(|term| match term.trim() {
            "always()" => true,
            "success()" => !failed,
            comparison => {
                let (name, value) = comparison
                    .split_once("==")
                    .unwrap_or_else(|| panic!("cannot evaluate `{comparison}`"));
                let value = value.trim().trim_matches('\'');
                self.context.get(name.trim()).map(String::as_str) == Some(value)
            }
        })
    }

    /// Runs the steps as the runner does: after a failing step only those
    /// whose `if:` allows it. Gives the exit code of the failing `run:`
    /// step (0 when all pass).
    fn run(&mut self, steps: &[Yaml]) -> (i32, String) {
        let mut log = String::new();
        let mut failed = None;
        for step in steps {
            if !self.condition(step, failed.is_some()) {
                continue;
            }
            if let Some(uses) = step["uses"].as_str() {
                let with = step["with"]
                    .as_hash()
                    .map(|h| {
                        h.iter()
                            .map(|(k, v)| (string(k), self.expand(&string(v))))
                            .collect()
                    })
                    .unwrap_or_default();
                self.used.push((uses.to_string(), with));
                continue;
            }
            let script = step["run"].as_str().expect("a run or uses step");
            assert!(
                !script.contains("${{"),
                "a run: script reads inputs from its env, not from expressions:\n{script}"
            );
            assert_eq!(step["shell"].as_str(), Some("bash"));
            let dir = tempfile::tempdir().unwrap();
            let output = dir.path().join("output");
            let github_path = dir.path().join("path");
            std::fs::write(&output, "").unwrap();
            std::fs::write(&github_path, "").unwrap();
            let file = dir.path().join("step.sh");
            std::fs::write(&file, script).unwrap();
            let mut cmd = Command::new("bash");
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&file)
                .current_dir(&self.workspace)
                .env("GITHUB_ACTION_PATH", repo())
                .env("GITHUB_OUTPUT", &output)
                .env("GITHUB_PATH", &github_path)
                .env("RUNNER_TOOL_CACHE", &self.tool_cache)
                .env("PATH", path_with(&self.path));
            if let Some(env) = step["env"].as_hash() {
                for (k, v) in env {
                    cmd.env(string(k), self.expand(&string(v)));
                }
            }
            let out = cargo_env(&mut cmd).output().unwrap();
            log.push_str(&text(&out));
            if let Some(id) = step["id"].as_str() {
                for line in std::fs::read_to_string(&output).unwrap().lines() {
                    let (k, v) = line.split_once('=').unwrap();
                    self.context
                        .insert(format!("steps.{id}.outputs.{k}"), v.to_string());
                }
            }
            for p in std::fs::read_to_string(&github_path).unwrap().lines() {
                self.path.insert(0, PathBuf::from(p));
            }
            if !out.status.success() {
                failed.get_or_insert(out.status.code().unwrap_or(-1));
            }
        }
        (failed.unwrap_or(0), log)
    }
}

#[test]
fn github_action_installs_caches_checks_and_writes_sarif() {
    let action = yaml(&std::fs::read_to_string(repo().join("action.yml")).unwrap());
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = action["inputs"].as_hash().unwrap();
    let names: Vec<String> = inputs.keys().map(string).collect();
    for name in [
        "paths",
        "territories",
        "partner",
        "format",
        "args",
        "upload-sarif",
    ] {
        assert!(names.contains(&name.to_string()), "input {name}: {names:?}");
    }
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let work = workspace(&[("avails/acme.xlsx", PROBLEMS), ("avails/pom.xml", POM)]);
    let tool_cache = tempfile::tempdir().unwrap();
    let mut context: HashMap<String, String> = HashMap::new();
    for (k, v) in inputs {
        let default = v["default"].as_str().map(String::from).unwrap_or_default();
        context.insert(format!("inputs.{}", string(k)), default);
    }
    for (k, v) in [
        ("paths", "avails/"),
        ("territories", "US,GB"),
        ("partner", "acme"),
        ("upload-sarif", "true"),
        ("args", "--fail-on error --as-of 2026-11-22T00:00:00Z"),
    ] {
        context.insert(format!("inputs.{k}"), v.to_string());
    }
    context.insert(
        "runner.tool_cache".into(),
        tool_cache.path().display().to_string(),
    );
    context.insert("runner.os".into(), "Linux".into());
    context.insert("runner.arch".into(), "X64".into());
    let mut runner = Runner {
        context,
        workspace: work.path().to_path_buf(),
        tool_cache: tool_cache.path().to_path_buf(),
        path: Vec::new(),
        used: Vec::new(),
    };
    let (code, log) = runner.run(steps);
    // The check step fails on the problems fixture: exit 1, with annotations.
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("::error file=avails/acme.xlsx"), "{log}");
    assert!(
        log.contains("Installed package `availcheck"),
        "built with cargo install: {log}"
    );
    let cached = runner.used[0].1["path"].clone();
    assert!(
        Path::new(&cached).join("bin/availcheck").exists(),
        "the cache step's path holds the build: {cached}"
    );
    assert_eq!(runner.used[0].0, "actions/cache@v4");
    assert!(runner.used[0].1["key"].contains(&runner.context["steps.source.outputs.key"]));
    // The SARIF report the upload step takes.
    let (upload, with) = runner.used.last().unwrap();
    assert_eq!(upload, "github/codeql-action/upload-sarif@v3");
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(work.path().join(&with["sarif_file"])).unwrap())
            .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "CPH005"), "{sarif:#}");
    // The pom.xml in the folder is skipped, not an unreadable input.
    assert!(log.contains("pom.xml"), "{log}");
    // A second job finds the build in the cache and does not build again.
    runner.path.clear();
    let (code, log) = runner.run(steps);
    assert_eq!(code, 1);
    assert!(
        !log.contains("Compiling") && !log.contains("Installed"),
        "{log}"
    );
}

// ------------------------------------------------------------ GitLab CI

#[test]
fn gitlab_job_runs_with_its_image_and_cached_tool() {
    let doc = yaml(&readme_block("yaml", "image:"));
    let job = &doc["avails"];
    assert!(
        job["image"]
            .as_str()
            .is_some_and(|i| i.starts_with("rust:")),
        "the job names a Rust image: {job:?}"
    );
    let cache: Vec<String> = job["cache"]["paths"]
        .as_vec()
        .unwrap()
        .iter()
        .map(string)
        .collect();
    assert_eq!(cache, [".availcheck/"]);
    let before: Vec<String> = job["before_script"]
        .as_vec()
        .unwrap()
        .iter()
        .map(string)
        .collect();
    assert!(
        before[0].contains("cargo install --locked --root .availcheck --git"),
        "{before:?}"
    );
    let script: Vec<String> = job["script"].as_vec().unwrap().iter().map(string).collect();
    let report = string(&job["artifacts"]["reports"]["junit"]);
    for (source, want) in [(PROBLEMS, 1), (CLEAN, 0)] {
        let work = workspace(&[("avails/acme.xlsx", source)]);
        // The job's cache, restored.
        let cached = work.path().join(".availcheck/bin");
        std::fs::create_dir_all(&cached).unwrap();
        std::fs::copy(bin(), cached.join("availcheck")).unwrap();
        // GitLab runs the lines in one shell and stops at the first failure.
        let lines: Vec<String> = before.iter().chain(&script).cloned().collect();
        let out = Command::new("bash")
            .args(["-e", "-c", &lines.join("\n")])
            .current_dir(work.path())
            .env("PATH", path_with(&[]))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(want), "{}", text(&out));
        let junit = std::fs::read_to_string(work.path().join(&report)).unwrap();
        assert!(
            junit.contains("<testsuite") && junit.contains("acme.xlsx"),
            "{junit}"
        );
        assert_eq!(junit.contains("<failure"), want == 1, "{junit}");
    }
}

// ------------------------------------------------------------ shell and jq

#[test]
fn shell_step_reports_by_exit_code() {
    let step = readme_block("sh", "case $? in");
    for (files, want, says) in [
        (vec![("avails/acme.xlsx", CLEAN)], 0, "avails OK"),
        (
            vec![("avails/acme.xlsx", PROBLEMS)],
            1,
            "avails/acme.xlsx:Movies!M4 CPH005 CPH window for",
        ),
        (
            vec![("avails/broken.xlsx", Source::Text("not a workbook"))],
            2,
            "avails/broken.xlsx: ",
        ),
    ] {
        let work = workspace(&files);
        std::fs::write(
            work.path().join("availcheck.toml"),
            "territories = [\"US\", \"GB\"]\npartner = \"acme\"\n",
        )
        .unwrap();
        let out = Command::new("bash")
            .args(["-c", &step])
            .current_dir(work.path())
            .env("PATH", path_with(&[bin_dir()]))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(want), "{}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(says),
            "{}",
            text(&out)
        );
    }
}

// ------------------------------------------------------------ pre-commit

/// The hooks as declared.
fn hooks() -> Vec<Yaml> {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap()
        .remove(0)
        .into_vec()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

/// A repository with avails-like files (one broken avails, one pom.xml
/// and one CSV that are not avails) and other files the hook must not see.
fn hook_repo(avails: Source) -> tempfile::TempDir {
    let work = workspace(&[
        ("avails/acme_avails_2027.xlsx", avails),
        ("avails/pom.xml", POM),
        ("acme_avails_budget.csv", BUDGET),
        (
            "budget.xlsx",
            Source::Text("not a workbook, and not an avails name"),
        ),
        ("pom.xml", POM),
    ]);
    git(work.path(), &["init", "-q"]);
    git(work.path(), &["add", "-A"]);
    work
}

#[test]
fn pre_commit_hooks_check_staged_avails_in_one_call_and_skip_the_rest() {
    let declared = hooks();
    let ids: Vec<&str> = declared.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["availcheck", "availcheck-system"]);
    for h in &declared {
        assert_eq!(
            h["entry"].as_str(),
            Some("availcheck check --skip-unrecognized")
        );
        assert_eq!(
            h["require_serial"].as_bool(),
            Some(true),
            "one call for all files"
        );
    }
    // The default pattern picks avails-like names only.
    let files = regex::Regex::new(declared[0]["files"].as_str().unwrap()).unwrap();
    for (path, picked) in [
        ("avails/acme_avails_2027.xlsx", true),
        ("avails/pom.xml", true),
        ("Deliveries/EMA_Avails_Movies.XLSX", true),
        ("acme_avails_budget.csv", true),
        ("budget.xlsx", false),
        ("pom.xml", false),
        ("src/data/report.csv", false),
    ] {
        assert_eq!(files.is_match(path), picked, "{path}");
    }
    let pre_commit = Command::new("pre-commit").arg("--version").output();
    let installed = pre_commit.is_ok_and(|o| o.status.success());
    for (avails, want) in [(PROBLEMS, 1), (CLEAN, 0)] {
        let work = hook_repo(avails);
        let out = if installed {
            let home = tempfile::tempdir().unwrap();
            let mut args = vec!["try-repo".to_string(), repo().display().to_string()];
            args.extend(["availcheck-system", "--all-files", "--verbose"].map(String::from));
            Command::new("pre-commit")
                .args(&args)
                .current_dir(work.path())
                .env("PRE_COMMIT_HOME", home.path())
                .env("PATH", path_with(&[bin_dir()]))
                .output()
                .unwrap()
        } else {
            // The hook's command line: entry, then the picked files.
            let picked: Vec<String> = [
                "avails/acme_avails_2027.xlsx",
                "avails/pom.xml",
                "acme_avails_budget.csv",
            ]
            .map(String::from)
            .to_vec();
            Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "{} {}",
                    declared[1]["entry"].as_str().unwrap(),
                    picked.join(" ")
                ))
                .current_dir(work.path())
                .env("PATH", path_with(&[bin_dir()]))
                .output()
                .unwrap()
        };
        let log = text(&out);
        assert_eq!(out.status.code(), Some(want), "{log}");
        // One call: one summary, the two non-avails skipped, the others unseen.
        assert_eq!(log.matches("Checked 1 file").count(), 1, "{log}");
        assert!(log.contains("root element is <project>"), "{log}");
        assert!(
            log.contains("acme_avails_budget.csv is a text file with no EMA field names"),
            "{log}"
        );
        assert!(!log.contains("budget.xlsx"), "{log}");
    }
    // The hook that builds availcheck with cargo, once, when pre-commit is there.
    if installed {
        let work = hook_repo(CLEAN);
        let home = tempfile::tempdir().unwrap();
        let out = cargo_env(Command::new("pre-commit").args([
            "try-repo",
            &repo().display().to_string(),
            "availcheck",
            "--all-files",
            "--verbose",
        ]))
        .current_dir(work.path())
        .env("PRE_COMMIT_HOME", home.path())
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
}
