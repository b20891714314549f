//! The benchmark corpus (`examples/gen_corpus`) builds, its output is what the markdown says, and
//! a build writes the same bytes on one thread as on two.

#[path = "../../examples/gen_corpus/corpus.rs"]
mod generator;

use std::path::Path;

use crate::common::snapshot;
use assert_cmd::Command;
use generator::{CHART_EVERY, Corpus, FIGURE_EVERY, Flavour};

const PAGES: usize = 240;
const SECTIONS: usize = 12;

fn build(root: &Path, out: &Path, threads: &str) {
    Command::cargo_bin("explainer")
        .unwrap()
        .env("RAYON_NUM_THREADS", threads)
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .assert()
        .success()
        .stderr("");
}

#[test]
fn generator_is_deterministic_from_its_seed() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, seed: u64| {
        let d = dir.path().join(name);
        Corpus::new(40, 10, seed)
            .write(&d, Flavour::Explainer)
            .unwrap();
        snapshot(&d)
    };
    let a = write("a", 7);
    assert_eq!(a, write("b", 7));
    assert_ne!(a, write("c", 8));
    // 40 pages, 10 sections with their pages, the home page, data and templates.
    let pages = a.keys().filter(|k| k.contains("/page-")).count();
    assert_eq!(pages, 40);
    for (name, text) in &a {
        if !name.contains("/page-") {
            continue;
        }
        let text = String::from_utf8(text.clone()).unwrap();
        let words = text.split_whitespace().count();
        assert!((560..=1000).contains(&words), "{name}: {words} words");
        for must in [
            "## Background",
            "| Year |",
            "[^note]:",
            "## 中文摘要",
            "- ",
            "1. ",
        ] {
            assert!(text.contains(must), "{name} lacks {must}");
        }
        assert_eq!(text.matches(".md").count(), 3, "{name}: three links");
    }
}

#[test]
fn hugo_corpus_is_the_same_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours");
    let hugo = dir.path().join("hugo");
    Corpus::new(60, 10, 3)
        .write(&ours, Flavour::Explainer)
        .unwrap();
    Corpus::new(60, 10, 3).write(&hugo, Flavour::Hugo).unwrap();
    let (a, b) = (snapshot(&ours), snapshot(&hugo));
    let hugo_call = regex::Regex::new(r#"\{\{< (\w+) id="([^"]+)" >\}\}"#).unwrap();
    let mut compared = 0;
    for (name, text) in a.iter().filter(|(k, _)| k.starts_with("content/topic-")) {
        let theirs = String::from_utf8(b[name].clone()).unwrap();
        let theirs = hugo_call.replace_all(&theirs, "{{ $1(id=\"$2\") }}");
        assert_eq!(String::from_utf8_lossy(text), theirs, "{name}");
        compared += 1;
    }
    assert_eq!(compared, 70);
    assert!(b.contains_key("data/figures.yaml") && b.contains_key("hugo.toml"));
}

#[test]
fn corpus_builds_right_and_the_same_on_one_thread_and_two() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    Corpus::new(PAGES, SECTIONS, 14)
        .write(&site, Flavour::Explainer)
        .unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    build(&site, &one, "1");
    build(&site, &two, "2");
    let a = snapshot(&one);
    let b = snapshot(&two);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between 1 and 2 threads");
    }

    // Every page, section and the home page, plus the 404 page.
    let html = a.keys().filter(|k| k.ends_with("index.html")).count();
    assert_eq!(html, PAGES + SECTIONS + 1);
    assert!(a.contains_key("404.html"));
    let charts = PAGES.div_ceil(CHART_EVERY);
    assert_eq!(
        a.keys().filter(|k| k.ends_with(".en.svg")).count(),
        charts,
        "one SVG per chart"
    );

    let read = |rel: &str| String::from_utf8(a[rel].clone()).unwrap();
    // Page 0 is in topic 0; it has a figure, a citation and a chart.
    let p0 = read("topic-00/page-00000/index.html");
    assert!(p0.contains("<h1>Topic 0, note 0</h1>"), "{p0}");
    assert!(p0.contains("<table>") || p0.contains("<table"), "a table");
    assert!(p0.contains("中文摘要"), "the Chinese paragraph");
    assert!(p0.contains("footnote"), "the footnote");
    assert!(p0.contains("class=\"fig\""), "the figure");
    assert!(p0.contains("<svg"), "the chart, inline");
    assert!(p0.contains("id=\"ref-survey\""), "the citation list");
    // Links written to markdown files point at the pages' output files, relatively.
    assert!(
        p0.contains("href=\"../page-00001/index.html\""),
        "the next note in the section: {p0}"
    );
    assert!(!p0.contains(".md\""), "no link left to a markdown file");
    // The nav lists every section.
    for s in 0..SECTIONS {
        assert!(
            p0.contains(&format!(">Topic {s}</a>")),
            "nav lacks topic {s}"
        );
    }
    // A section lists its pages, in weight order.
    let s3 = read("topic-03/index.html");
    let listed: Vec<&str> = s3.matches("<li><a href=").collect();
    assert_eq!(listed.len(), PAGES / SECTIONS);
    let first = s3.find("note 0<").unwrap();
    let second = s3.find("note 1<").unwrap();
    assert!(first < second, "weight order");
    // Figures print formatted, and only on every tenth page.
    let with_fig = a
        .iter()
        .filter(|(k, v)| {
            k.contains("/page-") && String::from_utf8_lossy(v).contains("class=\"fig\"")
        })
        .count();
    assert_eq!(with_fig, PAGES.div_ceil(FIGURE_EVERY));
}

/// A build renders each page's markdown beside its template and never holds every page's HTML
/// (once when nothing needs it earlier, as in the corpus; else twice, first for the listings, as
/// for the flagship); `render`, which `serve` uses, renders it once and keeps it. Both must give
/// the same bytes, for the corpus, the flagship and the starter site.
#[test]
fn a_build_writes_what_the_in_memory_render_holds() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    Corpus::new(PAGES, SECTIONS, 14)
        .write(&corpus, Flavour::Explainer)
        .unwrap();
    let starter = dir.path().join("starter");
    explainer::scaffold::new_site(&starter).unwrap();
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    for (name, root) in [
        ("corpus", corpus),
        ("flagship", flagship),
        ("starter", starter),
    ] {
        let out = dir.path().join(format!("{name}-out"));
        crate::common::build(&root, &out).unwrap();
        let written = snapshot(&out);
        let site = explainer::Site::load(&root, &explainer::LoadOptions::default()).unwrap();
        let rendered = explainer::render(&site).unwrap();
        let mut pages = 0;
        for f in &rendered.files {
            if let explainer::FileContent::Text(text) = &f.body {
                let on_disk = written
                    .get(f.path.as_str())
                    .unwrap_or_else(|| panic!("{name}: {} was not written", f.path.as_str()));
                assert!(
                    on_disk == text.as_bytes(),
                    "{name}: {} differs between build and render",
                    f.path.as_str()
                );
                pages += usize::from(f.path.as_str().ends_with(".html"));
            }
        }
        assert!(pages >= site.pages.len(), "{name}: every page compared");
    }
}

/// The corpus renders each page's markdown once; when that fails, the build reports what the
/// two-pass `check` and `serve` report, causes first.
#[test]
fn a_one_pass_build_reports_errors_as_check_and_serve_do() {
    let dir = tempfile::tempdir().unwrap();
    let (root, pages) = one_pass_corpus(dir.path());
    let page = |n: usize| pages[n].clone();
    let append = |path: std::path::PathBuf, text: &str| {
        let mut t = std::fs::read_to_string(&path).unwrap();
        t.push_str(text);
        std::fs::write(&path, t).unwrap();
    };
    append(page(3), "\n{{ nope() }}\n");
    append(page(7), "\n[x](missing.md)\n");
    // A template error on every page too: the markdown errors come first, and alone.
    let tpl = root.join("templates/page.html");
    let t = std::fs::read_to_string(&tpl).unwrap();
    std::fs::write(
        &tpl,
        t.replace("{{ page.title }}</h1>", "{{ page.nope.deeper }}</h1>"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let (build, check) = build_and_check_errors(&root, &out);
    assert_eq!(build.len(), 2, "{build:#?}");
    assert!(build[0].contains("unknown shortcode `nope`"), "{build:#?}");
    assert!(build[1].contains("link error"), "{build:#?}");
    assert_eq!(build, check);
    assert!(!out.exists(), "nothing written");
}

/// A one-pass build reads each page's body only when it renders it: a body that is not UTF-8
/// (or cannot be read) is still reported as `check` reports it, alone, at its line and column,
/// and not among the errors it causes.
#[test]
fn a_body_a_one_pass_build_cannot_read_is_reported_as_reading_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let (root, pages) = one_pass_corpus(dir.path());
    // Past the first 4 KiB, where reading the front matter never looks; and a broken link
    // elsewhere, which must not be reported beside it.
    let mut bytes = std::fs::read(&pages[5]).unwrap();
    bytes.extend(b"\n".repeat(4096));
    bytes.extend(b"bad \xe9 byte\n");
    std::fs::write(&pages[5], &bytes).unwrap();
    let mut t = std::fs::read_to_string(&pages[9]).unwrap();
    t.push_str("\n[x](missing.md)\n");
    std::fs::write(&pages[9], t).unwrap();
    let out = dir.path().join("out");
    let (build, check) = build_and_check_errors(&root, &out);
    assert_eq!(build.len(), 1, "{build:#?}");
    assert!(
        build[0].contains("not valid UTF-8 (byte 0xE9)"),
        "{build:#?}"
    );
    assert_eq!(build, check);
    assert!(!out.exists(), "nothing written");
}

/// The errors a build of `root` into `out` fails with, and those `check` reports, each as its
/// line of output with the site's path left out.
fn build_and_check_errors(
    root: &std::path::Path,
    out: &std::path::Path,
) -> (Vec<String>, Vec<String>) {
    let prefix = format!("{}/", root.display());
    let lines = |list: &[explainer::Diagnostic]| -> Vec<String> {
        list.iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string().replace(&prefix, ""))
            .collect()
    };
    let build = lines(crate::common::build(root, out).unwrap_err().diagnostics());
    let load = explainer::LoadOptions::default();
    let check = match explainer::check::check_site(root, &load) {
        Ok(c) => lines(&c.report.diagnostics),
        Err(e) => lines(e.diagnostics()),
    };
    (build, check)
}

/// A small corpus in `dir`, which a build renders in one pass, and its pages (not the section
/// pages) in file order.
fn one_pass_corpus(dir: &Path) -> (std::path::PathBuf, Vec<std::path::PathBuf>) {
    let root = dir.join("site");
    Corpus::new(40, 4, 14)
        .write(&root, Flavour::Explainer)
        .unwrap();
    let load = explainer::LoadOptions::default();
    assert!(
        explainer::Site::load(&root, &load)
            .unwrap()
            .renders_markdown_once()
    );
    let pages = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .collect();
    (root, pages)
}
