//! Publishing features on a fixture site: highlighted code, math as MathML, Atom feeds parsed by
//! a real feed parser.

use crate::common::TempSite;

fn built() -> TempSite {
    let site = TempSite::copy("publishing");
    site.build().unwrap();
    site
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_stay_plain() {
    let site = built();
    let html = site.output("posts/first/index.html");
    assert!(
        html.contains("<pre class=\"hl\" tabindex=\"0\"><code class=\"language-python\">"),
        "{html}"
    );
    assert!(html.contains("<span class=\"hl-comment"), "{html}");
    assert!(!html.contains(" style="), "inline style in {html}");
    // An unknown language and no language: plain, escaped, never an error.
    assert!(
        html.contains(
            "<pre><code class=\"language-unknownlang\">&lt;kept&gt; &amp; plain\n</code></pre>"
        ),
        "{html}"
    );
    assert!(html.contains("<pre><code>no language at all\n</code></pre>"));
    // The page links the stylesheet the build wrote; a page without code does not.
    assert!(html.contains("href=\"../../highlight.css\""), "{html}");
    let css = site.output("highlight.css");
    assert!(css.contains(":root{--code-fg:") && css.contains("prefers-color-scheme:dark"));
    assert!(!site.output("index.html").contains("highlight.css"));
}

#[test]
fn math_becomes_mathml_and_prices_stay_prices() {
    let site = built();
    let html = site.output("posts/first/index.html");
    assert!(
        html.contains("<math display=\"inline\"><mi>n</mi></math>"),
        "{html}"
    );
    assert!(html.contains("<math display=\"block\">"), "{html}");
    assert!(html.contains("<msubsup><mo movablelimits=\"false\">∑</mo>") || html.contains("∑"));
    assert!(!html.contains("\\frac"), "{html}");
    // Two dollar signs in prose around a space are not math (pulldown-cmark's rule).
    let home = site.output("index.html");
    assert!(home.contains("$5 and $10"), "{home}");
}

#[test]
fn math_is_off_by_default() {
    let site = TempSite::copy("publishing");
    let yaml = site
        .read("site.yaml")
        .replace("markdown: {math: true}\n", "");
    site.write("site.yaml", yaml);
    site.build().unwrap();
    let html = site.output("posts/first/index.html");
    assert!(!html.contains("<math"), "{html}");
    assert!(html.contains("$n$"), "{html}");
}

#[test]
fn latex_errors_are_positioned() {
    let site = TempSite::copy("publishing");
    site.write(
        "content/posts/second.md",
        "---\ntitle: S\ndate: 2026-02-08\n---\nFine $x$ here.\n\nBroken: $x^1^2$ and $\\nosuch y$.\n",
    );
    let errors = site.errors();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].starts_with("content/posts/second.md:7:9: math error: LaTeX: "),
        "{errors:#?}"
    );
    assert!(
        errors[1].starts_with("content/posts/second.md:7:21: math error: LaTeX: ")
            && errors[1].contains("nosuch"),
        "{errors:#?}"
    );
    // The previous output was never written (the build failed as a whole).
    assert!(!site.out().exists());
}

#[test]
fn feeds_parse_newest_first_with_absolute_links() {
    let site = built();
    let xml = site.output("atom.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("the feed parses");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.title.unwrap().content, "Notes & <numbers>");
    let links: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.links[0].href.as_str())
        .collect();
    assert_eq!(
        links,
        [
            "https://example.org/notes/posts/second/index.html",
            "https://example.org/notes/posts/first/index.html",
        ],
        "newest first, pages without a date left out"
    );
    let first = &feed.entries[1];
    assert_eq!(first.title.as_ref().unwrap().content, "First <note>");
    let summary = &first.summary.as_ref().unwrap().content;
    assert!(summary.contains("<math"), "{summary}");
    assert!(
        summary.contains("href=\"../second/index.html\""),
        "{summary}"
    );
    assert!(xml.contains("xml:base=\"https://example.org/notes/posts/first/index.html\""));
    let second = &feed.entries[0];
    assert_eq!(
        second.published.unwrap().to_rfc3339(),
        "2026-02-08T01:30:00+00:00"
    );
    assert_eq!(
        second.updated.unwrap().to_rfc3339(),
        "2026-02-10T00:00:00+00:00"
    );
    assert!(feed.links.iter().any(
        |l| l.href == "https://example.org/notes/atom.xml" && l.rel.as_deref() == Some("self")
    ));

    // The Chinese feed has the Chinese pages, linked from their own head.
    let zh = feed_rs::parser::parse(site.output("zh/atom.xml").as_bytes()).unwrap();
    assert_eq!(zh.entries.len(), 1);
    assert_eq!(
        zh.entries[0].links[0].href,
        "https://example.org/notes/zh/posts/first/index.html"
    );
    assert!(
        site.output("zh/posts/first/index.html")
            .contains("type=\"application/atom+xml\" title=\"笔记\" href=\"../../atom.xml\"")
    );
    assert!(
        site.output("posts/first/index.html")
            .contains("href=\"../../atom.xml\"")
    );
}

#[test]
fn a_feed_without_base_url_is_refused_at_its_line() {
    let site = TempSite::copy("publishing");
    let yaml = site
        .read("site.yaml")
        .replace("base_url: https://example.org/notes/\n", "");
    site.write("site.yaml", yaml);
    let errors = site.errors();
    assert_eq!(
        errors,
        [
            "site.yaml:8:7: config error: `feed: true` needs `base_url`: a feed's links must be absolute\n  help: set `base_url: https://…/` in site.yaml or build with `--base-url`"
        ]
    );
}

/// The documentation in docs/ is an explainer site: it builds, and `check` finds nothing wrong
/// (no broken link or anchor, no orphan page, no unused data).
#[test]
fn the_docs_site_builds_and_checks_clean() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let checked = explainer::check::check_site(&docs, &explainer::LoadOptions::default()).unwrap();
    let problems: Vec<String> = checked
        .report
        .errors()
        .chain(checked.report.warnings())
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let out = tempfile::tempdir().unwrap();
    crate::common::build(&docs, &out.path().join("public")).unwrap();
    let page = std::fs::read_to_string(out.path().join("public/code-and-math/index.html")).unwrap();
    assert!(page.contains("<pre class=\"hl\" tabindex=\"0\"><code class=\"language-python\">"));
    assert!(page.contains("<math display=\"block\">"));
    assert!(page.contains("href=\"../highlight.css\""));
}
