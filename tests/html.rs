//! `--format html`: the page parses without errors (scraper, on html5ever),
//! loads nothing from outside, cannot be broken by values, and works in a
//! real browser: headless Chromium runs its script and the DOM it leaves
//! (`--dump-dom`) shows the findings, the filters and the timeline.
//!
//! Chromium must be installed (`.ci/run` installs it with apt-get); the
//! browser test fails, not skips, without it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{AS_OF, Book, SheetSpec, movies_1_7_3, run_raw, tv_1_7_3, workbook};
use scraper::{Html, Selector};

fn problems_fixture() -> PathBuf {
    common::fixtures_dir().join("cph-1.7.3-problems.xlsx")
}

/// Writes the HTML report of `input` to `dir/report.html`.
fn html_report(input: &Path, dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("report.html");
    let mut args: Vec<String> = vec![
        "check".into(),
        input.display().to_string(),
        "--territories".into(),
        "US,GB".into(),
        "--partner".into(),
        "acme".into(),
        "--as-of".into(),
        AS_OF.into(),
        "--format".into(),
        "html".into(),
        "-o".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let r = run_raw(&args, &[]);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    out
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn page_parses_without_errors_and_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = html_report(&problems_fixture(), dir.path(), &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = Html::parse_document(&text);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    for css in [
        "script[src]",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "[href]",
    ] {
        assert!(select(&doc, css).is_empty(), "the page has {css}");
    }
    assert!(!text.contains("url("), "a style loads a resource");
    // Headline and settings are in the page itself.
    let files = select(&doc, "#files article");
    assert_eq!(files.len(), 1);
    let card = files[0].text().collect::<String>();
    assert!(
        card.contains("INVALID") && card.contains("cph-1.7.3-problems.xlsx"),
        "{card}"
    );
    assert!(card.contains("1.7.3"), "{card}");
    let settings = select(&doc, "#settings")
        .remove(0)
        .text()
        .collect::<String>();
    for want in ["cph-svod", "GB, US", "acme", "2026-11-22T00:00:00Z"] {
        assert!(settings.contains(want), "settings lack {want}: {settings}");
    }
}

#[test]
fn values_cannot_break_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "</script><script>alert(\"x\")</script><!-- 'q' \u{2028}";
    let recs = [
        movies_1_7_3()
            .set("DisplayName", evil)
            .set("ALID", "md:alid:<b>bold</b>\"&amp;"),
        movies_1_7_3().set("FormatProfile", "<img src=x onerror=alert(1)>"),
    ];
    let input = workbook(dir.path(), "evil.xlsx", "Movies", &recs);
    let text = std::fs::read_to_string(html_report(&input, dir.path(), &[])).unwrap();
    let doc = Html::parse_document(&text);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    // Exactly the page's own two scripts (data, code), and no element made
    // of a value.
    assert_eq!(select(&doc, "script").len(), 2);
    assert!(select(&doc, "img, b").is_empty());
    // The values survive, as data.
    let data = select(&doc, "script#availcheck-data")[0].inner_html();
    assert!(!data.contains('<') && !data.contains('\u{2028}'));
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let values: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["value"].as_str())
        .collect();
    assert!(values.contains(&evil), "{values:?}");
    assert!(
        values.contains(&"<img src=x onerror=alert(1)>"),
        "{values:?}"
    );
    // In the browser, the value shows as text.
    let dom = dump_dom(&format!("{}?q=alert", url(&dir.path().join("report.html"))));
    let page = Html::parse_document(&dom);
    assert_eq!(select(&page, "script").len(), 2, "a value made a script");
    assert!(select(&page, "#findings-body img").is_empty());
    let shown: String = select(&page, "#findings-body").remove(0).text().collect();
    assert!(shown.contains("<img src=x onerror=alert(1)>"), "{shown}");
}

/// The browser binary: `AVAILCHECK_CHROMIUM`, else `chromium` or
/// `chromium-browser` on PATH.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("AVAILCHECK_CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(dir) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .find(|d| d.join(name).is_file())
        {
            return dir.join(name);
        }
    }
    panic!(
        "Chromium is not installed, and the HTML report must be tested in a real browser: \
         run `bash .ci/run` (it installs the Debian package `chromium` when missing), or \
         `apt-get install chromium`, or set AVAILCHECK_CHROMIUM to a Chromium binary"
    );
}

fn url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// The DOM after the page's scripts ran, from headless Chromium.
fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut { out }, &mut s).unwrap();
        s
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = reader.join().unwrap();
    assert!(
        dom.contains("data-ready=\"true\""),
        "the page's script did not finish: {}",
        &dom[..dom.len().min(2000)]
    );
    dom
}

/// `data-code` of each finding row shown.
fn rows(dom: &Html) -> Vec<String> {
    select(dom, "#findings-body > tr")
        .iter()
        .map(|tr| tr.value().attr("data-code").unwrap().to_string())
        .collect()
}

#[test]
fn browser_shows_findings_filters_and_the_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let page = url(&html_report(&problems_fixture(), dir.path(), &[]));

    let all = Html::parse_document(&dump_dom(&page));
    let codes = rows(&all);
    assert_eq!(
        codes,
        [
            "AVC001", "CPH005", "CPH003", "CPH004", "EMA004", "CPH001", "CPH007"
        ]
    );
    let count = &select(&all, "#count")[0];
    assert_eq!(count.value().attr("data-shown"), Some("7"));
    // The finding shows its cell, fix and row with the bad cell marked.
    let cph005 = select(&all, "#findings-body > tr[data-code=CPH005]").remove(0);
    let text: String = cph005.text().collect();
    assert!(text.contains("Movies!M4"), "{text}");
    assert!(
        text.contains("Fix: set the licensed End to 2029-12-31T23:59:00Z"),
        "{text}"
    );
    let bad: Vec<String> = cph005
        .select(&Selector::parse(".excerpt td.bad").unwrap())
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(bad, ["M Start", "2030-01-01T00:00:00Z"]);

    let by_code = Html::parse_document(&dump_dom(&format!("{page}?code=CPH005")));
    assert_eq!(rows(&by_code), ["CPH005"]);
    let by_severity = Html::parse_document(&dump_dom(&format!("{page}?severity=info")));
    assert_eq!(rows(&by_severity), ["AVC001"]);
    let by_search = Html::parse_document(&dump_dom(&format!("{page}?q=partner%20alias")));
    assert_eq!(rows(&by_search), ["CPH007"]);

    // The window finding's pair is listed; its timeline has an overlap.
    let involved: Vec<String> = select(&all, "#tl-involved summary")
        .iter()
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(
        involved,
        ["md:alid:org:acme:movie-0001 — US: 1 overlap, 0 gap, 0 handover"]
    );
    let drawn = Html::parse_document(&dump_dom(&format!(
        "{page}?timeline=md:alid:org:acme:movie-0001"
    )));
    let figures = select(&drawn, "#tl-results figure.timeline[data-territory=US]");
    assert_eq!(figures.len(), 1);
    let fig = figures[0];
    assert_eq!(fig.value().attr("data-overlaps"), Some("1"));
    let sel = |css: &str| fig.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(sel("rect.overlap"), 1);
    assert_eq!(sel("rect.bar.licensed"), 1);
    assert_eq!(sel("rect.bar.cph"), 1);
    // The licensed window is open-ended: drawn open, with an arrow.
    assert_eq!(sel("rect.bar.licensed[data-open-end=true]"), 1);
    let tip: String = fig
        .select(&Selector::parse("rect.bar.cph title").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(tip.contains("cell: Movies!M4 – Movies!N4"), "{tip}");
    assert!(tip.contains("Start: 2030-01-01T00:00:00Z"), "{tip}");
}

/// Text of the first element matching `css` under `root`.
fn text_of(root: scraper::ElementRef<'_>, css: &str) -> String {
    root.select(&Selector::parse(css).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {css}"))
        .text()
        .collect()
}

#[test]
fn a_dropped_window_is_drawn_from_the_previous_delivery() {
    // Previous delivery: the Licensed SVOD window, open since 2025. This
    // Full Extract sends only the CPH window of the same scope (CPH018).
    let dir = tempfile::tempdir().unwrap();
    let licensed = movies_1_7_3().with(&[
        ("GroupIdentity", ""),
        ("Start", "2025-01-01T00:00:00Z"),
        ("End", "Open"),
    ]);
    let prev = workbook(dir.path(), "2026-10.xlsx", "Movies", &[licensed]);
    let cur = workbook(dir.path(), "2026-11.xlsx", "Movies", &[movies_1_7_3()]);
    let path = html_report(
        &cur,
        dir.path(),
        &["--previous", &prev.display().to_string()],
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = Html::parse_document(&text);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    // The CPH018 finding has the timeline of its title and territory.
    let data: serde_json::Value =
        serde_json::from_str(&select(&doc, "script#availcheck-data")[0].inner_html()).unwrap();
    let findings = data["findings"].as_array().unwrap();
    let dropped: Vec<&serde_json::Value> =
        findings.iter().filter(|f| f["code"] == "CPH018").collect();
    assert_eq!(dropped.len(), 1, "{findings:#?}");
    assert_eq!(dropped[0]["timelines"], serde_json::json!([0]), "{data:#}");

    let page = url(&path);
    let all = Html::parse_document(&dump_dom(&page));
    // AVC001 is the info naming the template version.
    assert_eq!(rows(&all), ["AVC001", "CPH018"]);
    let button = "#findings-body > tr[data-code=CPH018] button.timeline-button";
    assert_eq!(select(&all, button).len(), 1);
    let involved: Vec<String> = select(&all, "#tl-involved summary")
        .iter()
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(
        involved,
        [
            "md:alid:org:acme:movie-0001 — US: 0 overlap, 0 gap, 0 handover, 1 previous-delivery window"
        ]
    );
    let legend: String = select(&all, "#timelines .legend")[0].text().collect();
    assert!(legend.contains("previous delivery"), "{legend}");

    // Drawn by the title search: the previous window as a previous bar, no
    // overlap with the CPH window (an open licensed window from 2025 would
    // overlap it, were it current).
    let drawn = Html::parse_document(&dump_dom(&format!(
        "{page}?timeline=md:alid:org:acme:movie-0001"
    )));
    let figures = select(&drawn, "#tl-results figure.timeline[data-territory=US]");
    assert_eq!(figures.len(), 1);
    let fig = figures[0];
    assert_eq!(fig.value().attr("data-overlaps"), Some("0"));
    assert_eq!(fig.value().attr("data-previous"), Some("1"));
    let sel = |css: &str| fig.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(sel("rect.overlap, rect.gap, line.handover"), 0);
    assert_eq!(sel("rect.bar.licensed.previous[data-open-end=true]"), 1);
    assert_eq!(sel("rect.bar.cph:not(.previous)"), 1);
    assert_eq!(sel("rect.bar"), 2);
    let tip = text_of(fig, "rect.bar.previous title");
    for want in [
        "previous delivery: Licensed SVOD",
        "2026-10.xlsx",
        "cell: Movies!M4 – Movies!N4",
        "Start: 2025-01-01T00:00:00Z",
        "End: Open",
    ] {
        assert!(tip.contains(want), "{want} not in {tip}");
    }
    let notes = text_of(fig, "li.previous");
    assert!(notes.contains("takes no part in overlaps"), "{notes}");
}

#[test]
fn a_dropped_window_on_the_second_sheet_draws_its_own_title() {
    // Row 4 of both sheets has a window; the TV sheet's episode drops its
    // previous Licensed SVOD window. CPH018's sort key has no sheet index,
    // so its timeline is found by its sheet's name.
    let dir = tempfile::tempdir().unwrap();
    let episode = tv_1_7_3();
    let licensed = episode.clone().with(&[
        ("GroupIdentity", ""),
        ("Start", "2025-01-01T00:00:00Z"),
        ("End", "Open"),
    ]);
    let prev = dir.path().join("2026-10.xlsx");
    let cur = dir.path().join("2026-11.xlsx");
    let movies = SheetSpec::from_recs("Movies", &[movies_1_7_3()]);
    Book::one(movies.clone())
        .sheet(SheetSpec::from_recs("TV", &[licensed]))
        .write(&prev);
    Book::one(movies)
        .sheet(SheetSpec::from_recs("TV", &[episode]))
        .write(&cur);
    let path = html_report(
        &cur,
        dir.path(),
        &["--previous", &prev.display().to_string()],
    );
    let doc = Html::parse_document(&std::fs::read_to_string(&path).unwrap());
    let data: serde_json::Value =
        serde_json::from_str(&select(&doc, "script#availcheck-data")[0].inner_html()).unwrap();
    let t = &data["timelines"];
    let title_of = |g: &serde_json::Value| {
        let group = &t["groups"][g.as_u64().unwrap() as usize];
        t["strings"][group[0].as_u64().unwrap() as usize].clone()
    };
    let dropped: Vec<&serde_json::Value> = data["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "CPH018")
        .collect();
    assert_eq!(dropped.len(), 1, "{data:#}");
    assert_eq!(dropped[0]["sheet"], "TV");
    let groups = dropped[0]["timelines"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{data:#}");
    assert_eq!(title_of(&groups[0]), "md:alid:org:acme:series-01-s1e1");
    assert_eq!(t["involved"], serde_json::json!(groups));
}
