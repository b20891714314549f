//! Building fixture sites and asserting on what lands on disk.

use crate::common::{TempSite, build, fixture, snapshot};

fn basic() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&fixture("basic"), &out).unwrap();
    (dir, out)
}

fn read(out: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn pages_land_at_pretty_paths() {
    let (_d, out) = basic();
    let files: Vec<String> = snapshot(&out).into_keys().collect();
    for want in [
        "index.html",
        "404.html",
        "docs/index.html",
        "docs/guide/index.html",
        "docs/untitled/index.html",
        "docs/img/diagram.svg",
        "css/site.css",
        "zh/index.html",
        "zh/docs/guide/index.html",
    ] {
        assert!(
            files.iter().any(|f| f == want),
            "missing {want} in {files:?}"
        );
    }
}

#[test]
fn links_are_relative_from_nested_pages() {
    let (_d, out) = basic();
    let guide = read(&out, "docs/guide/index.html");
    assert!(guide.contains(r#"<link rel="stylesheet" href="../../css/site.css">"#));
    assert!(
        guide.contains(r#"<a href="../../index.html">home</a>"#),
        "markdown link to _index.md"
    );
    assert!(
        guide.contains(r#"<img src="../img/diagram.svg" alt="diagram" />"#),
        "colocated asset"
    );
    assert!(
        guide.contains(r#"<a href="../index.html">Docs</a>"#),
        "url() of a section"
    );
    let home = read(&out, "index.html");
    assert!(home.contains(r#"<a href="docs/guide/index.html#step-two">the guide</a>"#));
    // Nothing root-absolute anywhere: the site works under any prefix and from file://.
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("href=\"/") && !text.contains("src=\"/"),
            "root-absolute URL in {path}"
        );
    }
}

#[test]
fn titles_and_data_are_escaped() {
    let (_d, out) = basic();
    let guide = read(&out, "docs/guide/index.html");
    assert!(guide.contains(
        "<title>The &lt;Guide&gt; &amp; &quot;More&quot; · Basic &amp; &lt;Site&gt;</title>"
    ));
    assert!(read(&out, "index.html").contains("<footer>Ada, &lt;Bob&gt;</footer>"));
    assert!(
        read(&out, "index.html")
            .contains("<span class=\"note\">&lt;b&gt;not bold&lt;/b&gt; &amp; fine</span>")
    );
}

#[test]
fn title_falls_back_to_first_heading_then_file_name() {
    let (_d, out) = basic();
    assert!(read(&out, "docs/untitled/index.html").contains("<h1>Heading Title</h1>"));
    let site = TempSite::copy("basic");
    site.write("content/docs/bare.md", "no heading here\n");
    site.build().unwrap();
    assert!(
        site.output("docs/bare/index.html")
            .contains("<h1>bare</h1>")
    );
}

#[test]
fn translations_link_to_each_other() {
    let (_d, out) = basic();
    let guide = read(&out, "docs/guide/index.html");
    assert!(
        guide.contains(
            r#"<link rel="alternate" hreflang="zh" href="../../zh/docs/guide/index.html">"#
        )
    );
    assert!(guide.contains(
        r#"<a class="switch" href="../../zh/docs/guide/index.html" hreflang="zh">中文</a>"#
    ));
    let zh = read(&out, "zh/docs/guide/index.html");
    assert!(zh.starts_with("<!DOCTYPE html>\n<html lang=\"zh\">"));
    assert!(zh.contains(
        r#"<a class="switch" href="../../../docs/guide/index.html" hreflang="en">English</a>"#
    ));
    assert!(
        zh.contains(r#"<h2 id="第一步-精英化收费制">"#),
        "CJK heading id"
    );
    // The untitled page has no Chinese version: no switcher there.
    assert!(!read(&out, "docs/untitled/index.html").contains("class=\"switch\""));
}

#[test]
fn shortcodes_expand_but_stay_literal_in_code() {
    let (_d, out) = basic();
    let home = read(&out, "index.html");
    assert!(
        home.contains(
            r#"<data class="fig" value="30000000" data-figure="users">30 million</data>"#
        )
    );
    assert!(
        read(&out, "zh/index.html")
            .contains(r#"<data class="fig" value="30000000" data-figure="users">3000万</data>"#)
    );
    assert!(home.contains(r#"<code>{{ note(text="x") }}</code>"#));
    // Citations are numbered once per source, each use linking back.
    assert!(
        home.contains(r##"<a href="#ref-report" id="cite-report-2" role="doc-noteref">[1]</a>"##)
    );
    assert!(home.contains(r##"<li id="ref-report">The Report <a href="#cite-report-1">↩</a> <a href="#cite-report-2">↩</a></li>"##));
    let guide = read(&out, "docs/guide/index.html");
    assert!(
        guide
            .contains("<span class=\"note\">block<p>Body with <strong>markdown</strong> and <data")
    );
}

#[test]
fn same_input_gives_identical_bytes() {
    let (_a, out_a) = basic();
    let (_b, out_b) = basic();
    assert_eq!(snapshot(&out_a), snapshot(&out_b));
}

#[test]
fn robots_txt_at_a_host_root() {
    let site = TempSite::copy("basic");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}base_url: https://example.org\n"),
    );
    let report = site.build().unwrap();
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    assert_eq!(
        site.output("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n"
    );
}

#[test]
fn pretty_urls_and_base_url() {
    let site = TempSite::copy("basic");
    site.append(
        "site.yaml",
        "pretty_urls: true\nbase_url: https://example.org/sub\n",
    );
    let report = site.build().unwrap();
    let guide = site.output("docs/guide/index.html");
    assert!(guide.contains(r#"<a href="../../">home</a>"#), "{guide}");
    assert!(guide.contains(r#"href="../../css/site.css""#));
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/docs/guide/</loc>"));
    assert!(sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="zh" href="https://example.org/sub/zh/docs/guide/"/>"#));
    // Crawlers read robots.txt only at a host root: none under /sub/, and the build says why.
    assert!(!site.out().join("robots.txt").exists());
    assert_eq!(
        report.notes,
        [
            "no robots.txt written: base_url https://example.org/sub/ is not at a host root, and crawlers read robots.txt only at https://example.org/robots.txt (sitemap.xml is written; name it in that file)"
        ]
    );
    // The 404 page is served at any depth: with a base_url its links are absolute.
    assert!(
        site.output("404.html")
            .contains(r#"href="https://example.org/sub/css/site.css""#)
    );
}

#[test]
fn drafts_and_aliases() {
    let site = TempSite::copy("basic");
    site.write("content/wip.md", "---\ntitle: WIP\ndraft: true\n---\n");
    site.write(
        "content/moved.md",
        "---\ntitle: Moved\naliases: [old/place/]\n---\n",
    );
    site.build().unwrap();
    assert!(!site.out().join("wip/index.html").exists());
    let alias = site.output("old/place/index.html");
    assert!(
        alias.contains(r#"content="0; url=../../moved/index.html""#),
        "{alias}"
    );
    explainer::build(&explainer::BuildOptions {
        root: site.root(),
        output: Some(site.out()),
        load: explainer::LoadOptions {
            drafts: true,
            base_url: None,
        },
        allow_broken_links: false,
    })
    .unwrap();
    assert!(site.out().join("wip/index.html").exists());
}

/// Every HTML page of the basic fixture, whole: the `contains` checks above say what matters;
/// the snapshots show everything else a change moves (review with `cargo insta review`).
#[test]
fn rendered_pages_snapshot() {
    let (_d, out) = basic();
    for rel in [
        "index.html",
        "docs/index.html",
        "docs/guide/index.html",
        "docs/untitled/index.html",
        "zh/index.html",
        "zh/docs/guide/index.html",
        "404.html",
    ] {
        insta::assert_snapshot!(rel.replace('/', "__"), read(&out, rel));
    }
}

/// The markdown of one page (tables, heading ids, a block shortcode, a figure, an image),
/// as the page template receives it in `page.content`.
#[test]
fn markdown_html_snapshot() {
    let site = TempSite::copy("basic");
    site.write("templates/page.html", "{{ page.content | safe }}");
    site.build().unwrap();
    insta::assert_snapshot!(site.output("docs/guide/index.html"));
}
