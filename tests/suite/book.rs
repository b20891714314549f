//! An mdBook-style book (`tests/sites/book/`): chapters linked as `.html`, a folder's
//! `README.md`, raw HTML `<img>` and `<a>`, `{{#include}}` inside code blocks, footnotes and an
//! email autolink. It builds and checks clean, as a stranger would run it, with the CLI.

use std::fs;

use assert_cmd::Command;

fn explainer() -> Command {
    Command::cargo_bin("explainer").unwrap()
}

/// Build `tests/sites/<name>` and check it with the CLI, as a stranger would: both clean.
/// Returns the temp folder holding the output (`public/`).
fn builds_and_checks_clean(name: &str, pages: usize) -> tempfile::TempDir {
    let book = crate::common::fixture(name);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let build = explainer()
        .args(["build", "--root"])
        .arg(&book)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&build.stdout);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stdout}{stderr}");
    assert!(
        !stderr.contains("warning") && !stdout.contains("warning"),
        "{stdout}{stderr}"
    );
    assert!(
        stdout.starts_with(&format!("built {pages} pages")),
        "{stdout}"
    );

    let check = explainer()
        .args(["check", "--root"])
        .arg(&book)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        report.ends_with(&format!("checked {pages} pages: 0 errors, 0 warnings\n")),
        "{report}"
    );
    dir
}

#[test]
fn an_mdbook_style_book_builds_and_checks_clean() {
    let dir = builds_and_checks_clean("book", 4);
    let out = dir.path().join("public");
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    let ch01 = read("ch01/index.html");
    // `.html` chapter links (with anchors) find the markdown chapters, in markdown and raw HTML.
    assert!(ch01.contains("<a href=\"../ch02/index.html#second-part\">its second part</a>"));
    assert!(ch01.contains("<a href=\"../ch02/index.html#why-it-works\">why it works</a>"));
    // Raw `<img>` beside the markdown is found from the chapter's folder.
    assert!(ch01.contains("<img src=\"../img/diagram.svg\""));
    assert!(out.join("img/diagram.svg").exists());
    // `{{#include}}` stays literal, in code and in prose; `\{{` prints the braces.
    // (The block is highlighted: compare its text without the highlighter's spans.)
    let text = regex::Regex::new("<[^>]+>").unwrap().replace_all(&ch01, "");
    assert!(text.contains("{{#include ../listings/ch01/src/main.rs}}\n"));
    assert!(ch01.contains("{{#title Getting started}}"));
    assert!(ch01.contains("written with a backslash: {{ range(10) }}."));
    // Email autolinks, footnotes with a way back, a reference link to a folder's README.
    assert!(ch01.contains("<a href=\"mailto:author@example.com\">author@example.com</a>"));
    assert!(ch01.contains("<a href=\"#fnref-mail\" class=\"footnote-backref\">"));
    assert!(ch01.contains("<a href=\"../appendix/README/index.html\">appendix</a>"));
    // `index.html` is the book's home; `/img/…` is from the content root.
    assert!(read("ch02/index.html").contains("<a href=\"../index.html\">the book</a>"));
    assert!(read("index.html").contains("<a href=\"appendix/README/index.html\">Appendix</a>"));
    assert!(read("appendix/README/index.html").contains("<a href=\"../../img/diagram.svg\">"));
}

/// mdBook's own guide, unchanged (tests/sites/mdbook-guide/README.md). Before this link policy
/// it failed with 3 link errors that stopped rendering (`format/theme/index.html`, …).
#[test]
fn mdbooks_own_guide_builds_and_checks_clean() {
    let dir = builds_and_checks_clean("mdbook-guide", 35);
    let page = dir.path().join("public/format/mdbook/index.html");
    let mdbook = fs::read_to_string(page).unwrap();
    // mdBook's escaped `\{{#include}}` in code prints the braces, as mdBook does.
    assert!(mdbook.contains("{{#include file.rs:2:10}}"));
    assert!(!mdbook.contains("\\{{"));
}

#[test]
fn a_chapter_link_to_nowhere_suggests_the_chapter() {
    let site = crate::common::TempSite::copy("book");
    let ch02 = site.read("content/ch02.md");
    site.write(
        "content/ch02.md",
        ch02.replace("(./ch01.html#getting-started)", "(./ch1.html)")
            .replace("ch01.html#why-it-matters", "ch01.html#why-it-mattered"),
    );
    let errors = site.errors();
    assert_eq!(
        errors,
        [
            "content/ch02.md:3:21: link error: link to nowhere: no page `ch1.html` for `./ch1.html`\n  help: did you mean `ch01.md`?",
        ],
    );
    let site = crate::common::TempSite::copy("book");
    site.write(
        "content/ch02.md",
        ch02.replace("ch01.html#why-it-matters", "ch01.html#why-it-mattered"),
    );
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/ch02.md:13:")
            && errors[0].ends_with("has no element with that id; did you mean `#why-it-matters`?"),
        "{errors:?}"
    );
}

/// `--allow-broken-links` lets a chapter link to nowhere through as one warning (found while
/// rendering, not reported again by the check), at the URL, and the book is written.
#[test]
fn allowed_broken_links_are_one_warning_each() {
    let site = crate::common::TempSite::copy("book");
    let ch02 = site.read("content/ch02.md");
    site.write(
        "content/ch02.md",
        ch02.replace("(./ch01.html#getting-started)", "(./ch1.html)"),
    );
    let report = explainer::build(&explainer::BuildOptions {
        root: site.root(),
        output: Some(site.out()),
        load: Default::default(),
        allow_broken_links: true,
    })
    .unwrap();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("content/ch02.md:3:21: link warning: link to nowhere"),
        "{warnings:#?}"
    );
    assert!(
        site.output("ch02/index.html")
            .contains("href=\"./ch1.html\"")
    );
}
