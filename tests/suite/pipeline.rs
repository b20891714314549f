//! `build`, `check` and `serve` run one pipeline: for the same site they report the same
//! problems, whichever stage finds them.

use crate::common::TempSite;
use explainer::Diagnostic;
use explainer::LoadOptions;
use explainer::check::check_site;
use explainer::session::Session;

/// What one command reported, one line per error, the temp path made relative.
type Reported = Vec<String>;

fn lines<'a>(site: &TempSite, list: impl IntoIterator<Item = &'a Diagnostic>) -> Reported {
    let prefix = format!("{}/", site.root().display());
    list.into_iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string().replace(&prefix, ""))
        .collect()
}

fn of_error(site: &TempSite, e: &explainer::Error) -> Reported {
    assert!(!e.diagnostics().is_empty(), "{e}");
    lines(site, e.diagnostics())
}

fn of_report(site: &TempSite, r: &explainer::check::Report) -> Reported {
    lines(site, &r.diagnostics)
}

/// The errors `build`, `check` and `serve` (a session opened on the site) report.
fn reported(site: &TempSite) -> [Reported; 3] {
    let build = of_error(site, &site.build().expect_err("build fails"));
    let check = match check_site(&site.root(), &LoadOptions::default()) {
        Ok(c) => of_report(site, &c.report),
        Err(e) => of_error(site, &e),
    };
    let serve = match Session::open(&site.root(), LoadOptions::default()) {
        Ok(s) => of_report(site, s.report()),
        Err(e) => of_error(site, &e),
    };
    [build, check, serve]
}

fn assert_same(site: &TempSite, expected: &[&str]) {
    let [build, check, serve] = reported(site);
    assert_eq!(build, expected, "build");
    assert_eq!(check, expected, "check");
    assert_eq!(serve, expected, "serve");
}

#[test]
fn errors_of_parsing_and_markdown_are_the_same_everywhere() {
    let site = TempSite::copy("basic");
    // Front matter, a shortcode and a markdown link, in three files.
    site.write(
        "content/docs/untitled.md",
        "---\nwieght: 1\n---\n# Heading Title\n\nBody.\n",
    );
    site.append("content/docs/guide.md", "\n{{ nope() }}\n");
    site.append("content/zh/docs/guide.md", "\n[x](missing.md)\n");
    let [build, ..] = reported(&site);
    assert_eq!(build.len(), 3, "{build:#?}");
    // Causes first: front matter, then markdown (its shortcodes, then its links).
    assert!(
        build[0].starts_with("content/docs/untitled.md:2:1: front matter error: unknown field"),
        "{build:#?}"
    );
    assert!(
        build[1].starts_with("content/docs/guide.md:22:1: shortcode error: unknown shortcode"),
        "{build:#?}"
    );
    // At the URL as written.
    assert!(
        build[2].starts_with("content/zh/docs/guide.md:8:5: link error: "),
        "{build:#?}"
    );
    let expected: Vec<&str> = build.iter().map(String::as_str).collect();
    assert_same(&site, &expected);
}

#[test]
fn a_template_error_on_several_pages_is_reported_once_everywhere() {
    let site = TempSite::copy("basic");
    // page.html renders three pages (guide in two languages, untitled); section.html two.
    site.replace(
        "templates/page.html",
        "{{ page.title }}</h1>",
        "{{ page.nope.deeper }}</h1>",
    );
    site.replace(
        "templates/section.html",
        "{{ section.title }}",
        "{{ section.nope.deeper }}",
    );
    let [build, ..] = reported(&site);
    assert_eq!(build.len(), 2, "{build:#?}");
    assert!(build[0].starts_with("templates/page.html:"), "{build:#?}");
    assert!(
        build[1].starts_with("templates/section.html:"),
        "{build:#?}"
    );
    let expected: Vec<&str> = build.iter().map(String::as_str).collect();
    assert_same(&site, &expected);
}

#[test]
fn errors_found_by_the_check_are_the_same_everywhere() {
    let site = TempSite::copy("basic");
    // A broken anchor from a template (on every page of page.html), a broken anchor written
    // in markdown, and an id used twice.
    site.replace(
        "templates/page.html",
        "<h1>",
        "<a href=\"#nowhere\">top</a><h1>",
    );
    site.replace(
        "content/docs/guide.md",
        "[home](../_index.md)",
        "[home](../_index.md#nope)",
    );
    site.append(
        "content/zh/docs/guide.md",
        "\n<p id=\"twice\">a</p>\n\n<p id=\"twice\">b</p>\n",
    );
    let [build, ..] = reported(&site);
    assert!(build.len() >= 3, "{build:#?}");
    for want in [
        // Once, at the template's line, not once per page.
        "templates/page.html:3:26:",
        "broken anchor `#nowhere`",
        "other pages, from a template)",
        "broken anchor `#nope`",
        "appears 2 times",
    ] {
        assert!(build.iter().any(|e| e.contains(want)), "{want}: {build:#?}");
    }
    let expected: Vec<&str> = build.iter().map(String::as_str).collect();
    assert_same(&site, &expected);
}
