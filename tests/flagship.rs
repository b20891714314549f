//! The flagship site in this repository: it builds, every number on it comes from
//! content/data/figures.yaml (none typed by hand in prose), and both languages carry the same
//! figures, charts and citations on every page.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use explainer::{Facts, FileText};
use regex::Regex;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

fn build() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    common::build(&repo(), &out).unwrap_or_else(|e| panic!("the flagship does not build:\n{e}"));
    Built { _dir: dir, out }
}

fn facts() -> Facts {
    let read =
        |name: &str| std::fs::read_to_string(repo().join("content/data").join(name)).unwrap();
    let (figures, sources) = (read("figures.yaml"), read("sources.yaml"));
    Facts::load(
        Some(FileText {
            path: Path::new("figures.yaml"),
            text: &figures,
        }),
        Some(FileText {
            path: Path::new("sources.yaml"),
            text: &sources,
        }),
        &["en".to_string(), "zh".to_string()],
    )
    .unwrap()
}

/// Every English page and its Chinese counterpart.
fn page_pairs(out: &Path) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (rel, _) in common::snapshot(out) {
        if rel.ends_with("index.html") && !rel.starts_with("zh/") && !rel.starts_with("charts/") {
            pairs.push((rel.clone(), format!("zh/{rel}")));
        }
    }
    pairs
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// (figure id, value attribute, text) of every `<data class="fig">` on a page, in order.
fn figures_on(html: &str) -> Vec<(String, String, String)> {
    let re =
        Regex::new(r#"<data class="fig" value="([^"]*)" data-figure="([^"]*)">([^<]*)</data>"#)
            .unwrap();
    re.captures_iter(html)
        .map(|c| (c[2].to_string(), c[1].to_string(), c[3].to_string()))
        .collect()
}

fn ids_on(html: &str, pattern: &str) -> Vec<String> {
    Regex::new(pattern)
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn every_printed_figure_matches_the_data() {
    let built = build();
    let facts = facts();
    let mut seen = 0;
    for (en, zh) in page_pairs(&built.out) {
        for (rel, lang) in [(en.as_str(), "en"), (zh.as_str(), "zh")] {
            for (id, value, text) in figures_on(&read(&built.out, rel)) {
                let fig = facts
                    .figure(&id)
                    .unwrap_or_else(|| panic!("{rel}: unknown figure {id}"));
                assert_eq!(value, fig.machine(), "{rel}: value of {id}");
                assert_eq!(text, fig.display(lang), "{rel}: text of {id}");
                seen += 1;
            }
        }
    }
    assert!(seen > 80, "only {seen} figures printed");
}

#[test]
fn both_languages_carry_the_same_figures_charts_and_citations() {
    let built = build();
    for (en, zh) in page_pairs(&built.out) {
        let (a, b) = (read(&built.out, &en), read(&built.out, &zh));
        let figs = |h: &str| figures_on(h).into_iter().map(|f| f.0).collect::<Vec<_>>();
        assert_eq!(figs(&a), figs(&b), "figures differ between {en} and {zh}");
        let charts = r#"<figure class="chart [^"]*" id="chart-([^"]+)""#;
        assert_eq!(
            ids_on(&a, charts),
            ids_on(&b, charts),
            "charts differ between {en} and {zh}"
        );
        let refs = r#"<li id="ref-([^"]+)""#;
        assert_eq!(
            ids_on(&a, refs),
            ids_on(&b, refs),
            "citations differ between {en} and {zh}"
        );
    }
}

/// The page's visible text with everything that is allowed to hold numbers taken out: figures
/// (`<data>`), charts and their tables, citation markers, the head, and the reading time.
fn prose_text(html: &str) -> String {
    let mut text = html.to_string();
    for pattern in [
        r"(?s)<head>.*?</head>",
        r"(?s)<svg.*?</svg>",
        r"(?s)<table.*?</table>",
        r"(?s)<data [^>]*>.*?</data>",
        r#"(?s)<sup class="cite">.*?</sup>"#,
        r#"(?s)<a [^>]*role="doc-noteref"[^>]*>.*?</a>"#,
        r#"(?s)<p class="meta">.*?</p>"#,
        r"(?s)<[^>]*>",
    ] {
        text = Regex::new(pattern)
            .unwrap()
            .replace_all(&text, " ")
            .into_owned();
    }
    text.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#160;", " ")
        .replace("&nbsp;", " ")
}

/// Digits that may stand in prose: dates (years, ISO dates, days of a month), not figures.
/// Each pattern keeps what it matched around the date in groups `pre` and `post`.
fn allowed_dates() -> Vec<Regex> {
    let month =
        "January|February|March|April|May|June|July|August|September|October|November|December";
    [
        r"(?P<pre>)\d{4}-\d{2}(?:-\d{2})?(?P<post>)".to_string(),
        format!(r"(?P<pre>)\b\d{{1,2}} (?:{month})\b(?P<post>)"),
        format!(r"(?P<pre>)\b(?:{month}) \d{{1,2}}\b(?P<post>)"),
        r"(?P<pre>)\d{1,2}月\d{1,2}日(?P<post>)".to_string(),
        r"(?P<pre>)\d{4}年(?:\d{1,2}月)?(?P<post>)".to_string(),
        r"(?P<pre>)\d{1,2}月(?P<post>)".to_string(),
        // A year between non-digits (CJK characters count as word characters, so no `\b`).
        r"(?P<pre>^|\D)(?:1[7-9]\d\d|20\d\d)(?P<post>\D|$)".to_string(),
    ]
    .iter()
    .map(|p| Regex::new(p).unwrap())
    .collect()
}

#[test]
fn no_number_is_typed_by_hand() {
    let built = build();
    let dates = allowed_dates();
    let digits = Regex::new(r"\d[\d.,]*").unwrap();
    let mut problems = BTreeMap::new();
    for (en, zh) in page_pairs(&built.out) {
        for rel in [en, zh] {
            let mut text = prose_text(&read(&built.out, &rel));
            for d in &dates {
                // Twice: adjacent years ("1760–1840") share the character between them.
                text = d.replace_all(&text, "${pre} ${post}").into_owned();
                text = d.replace_all(&text, "${pre} ${post}").into_owned();
            }
            let found: Vec<String> = digits
                .find_iter(&text)
                .map(|m| {
                    let start = text[..m.start()]
                        .char_indices()
                        .rev()
                        .nth(20)
                        .map_or(0, |(i, _)| i);
                    let end = text[m.end()..]
                        .char_indices()
                        .nth(20)
                        .map_or(text.len(), |(i, _)| m.end() + i);
                    text[start..end]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            if !found.is_empty() {
                problems.insert(rel, found);
            }
        }
    }
    assert!(
        problems.is_empty(),
        "numbers typed by hand (use {{{{ fig(id=…) }}}}):\n{problems:#?}"
    );
}

#[test]
fn the_drift_check_can_fail() {
    // A hand-typed figure in prose is caught; a date is not.
    let dates = allowed_dates();
    let mut text = prose_text("<p>On 5 January 2026 it had <b>30 million</b> users.</p>");
    for d in &dates {
        text = d.replace_all(&text, "${pre} ${post}").into_owned();
    }
    assert!(Regex::new(r"\d").unwrap().is_match(&text), "{text}");
    assert!(!text.contains("2026") && !text.contains(" 5 "), "{text}");
}

#[test]
fn scraping_noise_never_appears() {
    let built = build();
    for (rel, bytes) in common::snapshot(&built.out) {
        let text = String::from_utf8_lossy(&bytes);
        for noise in ["杏耀", "8888910", "COPYRIGHT", "版权所有", "作者："] {
            assert!(
                !text.contains(noise),
                "{rel} contains scraping noise `{noise}`"
            );
        }
    }
}
