//! The CommonMark 0.31.2 and GFM spec examples through a real site build: every example is a page
//! of one site (a template that prints only `page.content`, `markdown: {smart_punctuation:
//! false}`, built with `--allow-broken-links`). Each page's HTML, and bare pulldown-cmark's on the
//! same text with the same options, are compared with the spec's expected HTML after the spec's
//! own normaliser (`tests/spec/normalize.py`, run with python3).
//!
//! explainer must pass every example bare pulldown-cmark passes, and the pass counts are pinned so
//! that any regression (or an unnoticed improvement) fails.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use explainer::BuildOptions;
use explainer::LoadOptions;
use pulldown_cmark::{Options, Parser};

struct Example {
    /// "commonmark 123" or "gfm 199 (table)".
    name: String,
    markdown: String,
    html: String,
}

/// Examples of a spec file: `example` blocks, markdown and HTML separated by a `.` line, with
/// `→` standing for a tab. `only` keeps the examples whose marker is one of these extensions.
fn examples(spec: &str, suite: &str, only: Option<&[&str]>) -> Vec<Example> {
    const FENCE: &str = "````````````````````````````````";
    let mut out = Vec::new();
    let mut lines = spec.lines();
    let mut number = 0;
    while let Some(line) = lines.next() {
        let Some(kind) = line
            .strip_prefix(FENCE)
            .and_then(|l| l.strip_prefix(" example"))
        else {
            continue;
        };
        number += 1;
        let kind = kind.trim();
        let (mut markdown, mut html) = (String::new(), String::new());
        let mut in_html = false;
        for l in lines.by_ref() {
            if l == FENCE {
                break;
            }
            if l == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&l.replace('→', "\t"));
            target.push('\n');
        }
        if only.is_none_or(|kinds| kinds.contains(&kind)) {
            let name = if kind.is_empty() {
                format!("{suite} {number}")
            } else {
                format!("{suite} {number} ({kind})")
            };
            out.push(Example {
                name,
                markdown,
                html,
            });
        }
    }
    out
}

/// explainer's markdown options with smart punctuation off (as the test site's `site.yaml`).
fn bare_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn bare(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, bare_options()));
    html
}

/// What explainer adds on purpose, taken off before comparing: the box a wide table scrolls in,
/// and heading ids (every heading gets one, for links and the table of contents).
fn unwrap_additions(html: &str) -> String {
    let html = html
        .replace(
            "<div class=\"table-wrap\" tabindex=\"0\"><table>",
            "<table>",
        )
        .replace("</table>\n</div>\n", "</table>\n");
    regex::Regex::new(r#"<h([1-6]) id="[^"]*">"#)
        .unwrap()
        .replace_all(&html, "<h$1>")
        .into_owned()
}

fn normalize(htmls: &[String]) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec");
    let mut child = Command::new("python3")
        .arg(dir.join("compare.py"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the spec's normaliser (tests/spec/normalize.py)");
    let input = serde_json::to_vec(htmls).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "normalize.py failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Build every example as a page of one site; returns each page's HTML.
fn build_site(examples: &[Example]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Spec\nmarkdown:\n  smart_punctuation: false\n  highlight: false\n",
    );
    for t in ["page.html", "section.html", "index.html"] {
        write(&format!("templates/{t}"), "{{ page.content }}");
    }
    for (i, e) in examples.iter().enumerate() {
        // A page that starts with `---` starts with front matter: an example that starts so
        // (a thematic break, a setext underline) is written after an empty front matter block,
        // as an author would write it (README, "Markdown").
        let text = if e.markdown.starts_with("---") {
            format!("---\n---\n{}", e.markdown)
        } else {
            e.markdown.clone()
        };
        write(&format!("content/ex{i:04}.md"), &text);
    }
    let out = dir.path().join("public");
    let report = explainer::build(&BuildOptions {
        root: root.clone(),
        output: Some(out.clone()),
        load: LoadOptions::default(),
        allow_broken_links: true,
    })
    .unwrap_or_else(|e| panic!("an example failed the build:\n{e}"));
    assert_eq!(report.pages, examples.len());
    (0..examples.len())
        .map(|i| fs::read_to_string(out.join(format!("ex{i:04}/index.html"))).unwrap())
        .collect()
}

struct Counts {
    total: usize,
    bare: usize,
    explainer: usize,
    /// Examples bare pulldown-cmark passes and explainer does not.
    lost: BTreeSet<String>,
}

fn run(examples: &[Example]) -> Counts {
    let built = build_site(examples);
    let mut htmls = Vec::with_capacity(examples.len() * 3);
    for (e, b) in examples.iter().zip(&built) {
        htmls.push(e.html.clone());
        htmls.push(bare(&e.markdown));
        htmls.push(unwrap_additions(b));
    }
    let norm = normalize(&htmls);
    let mut counts = Counts {
        total: examples.len(),
        bare: 0,
        explainer: 0,
        lost: BTreeSet::new(),
    };
    for (e, n) in examples.iter().zip(norm.chunks(3)) {
        let (expected, bare_ok, ours_ok) = (&n[0], n[1] == n[0], n[2] == n[0]);
        counts.bare += bare_ok as usize;
        if !bare_ok {
            eprintln!("{}: bare pulldown-cmark differs from the spec", e.name);
        }
        counts.explainer += ours_ok as usize;
        if bare_ok && !ours_ok {
            eprintln!(
                "{}: explainer differs from the spec where bare pulldown-cmark does not\n--- markdown\n{}--- expected\n{expected}\n--- explainer\n{}\n",
                e.name, e.markdown, n[2]
            );
            counts.lost.insert(e.name.clone());
        }
    }
    eprintln!(
        "{} examples: bare pulldown-cmark passes {}, explainer {}",
        counts.total, counts.bare, counts.explainer
    );
    counts
}

fn spec(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/spec")
            .join(name),
    )
    .unwrap()
}

/// explainer passes every example bare pulldown-cmark passes: what it adds on purpose (heading
/// ids, the table box) is taken off by `unwrap_additions`, and an example that starts with `---`
/// is written after an empty front matter block. Nothing else is excepted.
fn assert_none_lost(counts: &Counts) {
    assert!(
        counts.lost.is_empty(),
        "explainer fails examples bare pulldown-cmark passes: {:?}",
        counts.lost
    );
}

#[test]
fn commonmark_spec_through_a_site_build() {
    let examples = examples(&spec("commonmark-0.31.2.txt"), "commonmark", None);
    assert_eq!(examples.len(), 652);
    let counts = run(&examples);
    assert_none_lost(&counts);
    // pulldown-cmark 0.13 with these options; the 21 it fails are its own (and the effect of
    // footnotes and `{#id}` heading attributes, which CommonMark does not have).
    assert_eq!((counts.bare, counts.explainer), (631, 631));
}

#[test]
fn gfm_extensions_through_a_site_build() {
    let examples = examples(
        &spec("gfm-spec.txt"),
        "gfm",
        Some(&[
            "table",
            "strikethrough",
            "autolink",
            "disabled",
            "tagfilter",
        ]),
    );
    assert_eq!(examples.len(), 24);
    let counts = run(&examples);
    assert_none_lost(&counts);
    // pulldown-cmark fails 2 table examples, has no extended autolinks (`www.x.org` without
    // `<>`) and no tag filter.
    assert_eq!((counts.bare, counts.explainer), (10, 10));
}
