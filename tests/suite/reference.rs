//! The data reference of the documentation (`docs/content/figures.md`, `sources.md`,
//! `charts.md`) documents every key the data files accept and every value of their closed lists,
//! and draws every chart kind. The lists are read from the build's own errors (serde's list of a
//! struct's fields, which the did-you-mean help repeats; the help for an unknown chart kind or
//! scale), never typed here: a key added to the code without its row in the reference fails
//! this test, and so does a row for a key the code does not accept.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

fn page(name: &str) -> String {
    std::fs::read_to_string(docs().join("content").join(name)).unwrap()
}

/// The keys a reference page documents: the first column of the table under `## Keys`.
fn documented(text: &str) -> BTreeSet<String> {
    let start = text.find("\n## Keys\n").expect("a `## Keys` section");
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    Regex::new(r"(?m)^\| `([^`]+)` \|")
        .unwrap()
        .captures_iter(&rest[..end])
        .map(|c| c[1].to_string())
        .collect()
}

/// The names serde lists after "expected" in an error: `expected one of `a`, `b``, `expected `a`
/// or `b``.
fn expected_names(error: &str) -> BTreeSet<String> {
    let (_, list) = error
        .split_once("expected ")
        .unwrap_or_else(|| panic!("no list of expected names in: {error}"));
    let list = list.lines().next().unwrap_or("");
    Regex::new(r"`([^`]+)`")
        .unwrap()
        .captures_iter(list)
        .map(|c| c[1].to_string())
        .collect()
}

/// The one error of building a site of one page whose data files are `sources`, `figures` and
/// `charts`.
fn error_of(sources: &str, figures: &str, charts: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content/data")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Keys\n").unwrap();
    std::fs::write(root.join("content/_index.md"), "A page.\n").unwrap();
    for (name, text) in [
        ("sources.yaml", sources),
        ("figures.yaml", figures),
        ("charts.yaml", charts),
    ] {
        std::fs::write(root.join("content/data").join(name), text).unwrap();
    }
    let err =
        crate::common::build(&root, &dir.path().join("public")).expect_err("the build should fail");
    let errors: Vec<String> = err.flatten().iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

const SOURCE: &str = "- {id: s, title: T}\n";
const FIGURE: &str = "- {id: f, value: 1, label: L, quote: q, source: s}\n";

/// What the code accepts, each list read from an error it gives.
struct Accepted {
    source: BTreeSet<String>,
    figure: BTreeSet<String>,
    chart: BTreeSet<String>,
    series: BTreeSet<String>,
    event: BTreeSet<String>,
    formats: BTreeSet<String>,
    qualifiers: BTreeSet<String>,
    kinds: BTreeSet<String>,
    scales: BTreeSet<String>,
}

fn accepted() -> Accepted {
    let unknown_key = |sources: &str, figures: &str, charts: &str| {
        let e = error_of(sources, figures, charts);
        assert!(e.contains("unknown field `zzz`"), "{e}");
        expected_names(&e)
    };
    let source = unknown_key("- {id: s, title: T, zzz: 1}\n", "[]\n", "[]\n");
    let figure = unknown_key(
        SOURCE,
        "- {id: f, value: 1, label: L, quote: q, source: s, zzz: 1}\n",
        "[]\n",
    );
    let chart = unknown_key(SOURCE, FIGURE, "- {id: c, kind: bar, title: T, zzz: 1}\n");
    let series = unknown_key(
        SOURCE,
        FIGURE,
        "- {id: c, kind: bar, title: T, categories: [a], series: [{name: n, values: [f], zzz: 1}]}\n",
    );
    let event = unknown_key(
        SOURCE,
        FIGURE,
        "- {id: c, kind: timeline, title: T, sources: [s], events: [{at: 2000, label: l, zzz: 1}]}\n",
    );
    let variant = |field: &str| {
        let e = error_of(
            SOURCE,
            &format!("- {{id: f, value: 1, label: L, quote: q, source: s, {field}: zzz}}\n"),
            "[]\n",
        );
        assert!(e.contains("unknown value `zzz`"), "{e}");
        let (_, known) = e
            .split_once("known values: ")
            .unwrap_or_else(|| panic!("{e}"));
        known
            .lines()
            .next()
            .unwrap_or("")
            .split(", ")
            .map(str::to_string)
            .collect::<BTreeSet<String>>()
    };
    let formats = variant("format");
    let qualifiers = variant("qualifier");
    let e = error_of(SOURCE, FIGURE, "- {id: c, kind: zzz, title: T}\n");
    let (_, kinds) = e.split_once("kinds: ").unwrap_or_else(|| panic!("{e}"));
    let kinds: BTreeSet<String> = Regex::new(r"(?:^|, )([a-z]+) \(")
        .unwrap()
        .captures_iter(kinds)
        .map(|c| c[1].to_string())
        .collect();
    let e = error_of(
        SOURCE,
        FIGURE,
        "- {id: c, kind: bar, title: T, scale: zzz, categories: [a], series: [{name: n, values: [f]}]}\n",
    );
    assert!(e.contains("unknown scale `zzz`"), "{e}");
    let (_, help) = e.split_once("help: ").unwrap_or_else(|| panic!("{e}"));
    let scales = Regex::new(r"`([a-z]+)`")
        .unwrap()
        .captures_iter(help)
        .map(|c| c[1].to_string())
        .collect();
    Accepted {
        source,
        figure,
        chart,
        series,
        event,
        formats,
        qualifiers,
        kinds,
        scales,
    }
}

#[test]
fn the_reference_documents_every_key_the_code_accepts_and_no_other() {
    let a = accepted();
    // Sanity: the errors were read, not empty lists that would make the comparison vacuous.
    for (what, list, at_least) in [
        ("source keys", &a.source, 8),
        ("figure keys", &a.figure, 12),
        ("chart keys", &a.chart, 20),
        ("series keys", &a.series, 2),
        ("event keys", &a.event, 5),
        ("formats", &a.formats, 6),
        ("qualifiers", &a.qualifiers, 6),
        ("chart kinds", &a.kinds, 8),
        ("scales", &a.scales, 2),
    ] {
        assert!(
            list.len() >= at_least,
            "only {} {what}: {list:?}",
            list.len()
        );
    }
    assert_eq!(documented(&page("sources.md")), a.source, "sources.md");
    assert_eq!(documented(&page("figures.md")), a.figure, "figures.md");
    let chart_keys: BTreeSet<String> = a
        .chart
        .iter()
        .cloned()
        .chain(a.series.iter().map(|k| format!("series[].{k}")))
        .chain(a.event.iter().map(|k| format!("events[].{k}")))
        .collect();
    assert_eq!(documented(&page("charts.md")), chart_keys, "charts.md");

    // The closed lists: every value named in its key's row.
    let row = |text: &str, key: &str| -> String {
        let pattern = format!(r"(?m)^\| `{}` \|.*$", regex::escape(key));
        Regex::new(&pattern)
            .unwrap()
            .find(text)
            .unwrap_or_else(|| panic!("no row for `{key}`"))
            .as_str()
            .to_string()
    };
    let figures = page("figures.md");
    let charts = page("charts.md");
    for (text, key, values) in [
        (&figures, "format", &a.formats),
        (&figures, "qualifier", &a.qualifiers),
        (&charts, "kind", &a.kinds),
        (&charts, "scale", &a.scales),
    ] {
        let row = row(text, key);
        for v in values {
            assert!(
                row.contains(&format!("`{v}`")),
                "the row of `{key}` does not name `{v}`: {row}"
            );
        }
    }
}

/// Every chart kind has its section on the charts page, with a chart of that kind drawn in it by
/// the documentation's own build.
#[test]
fn the_charts_page_draws_every_kind() {
    let kinds = accepted().kinds;
    let out = tempfile::tempdir().unwrap();
    crate::common::build(&docs(), &out.path().join("public")).unwrap();
    let html = std::fs::read_to_string(out.path().join("public/charts/index.html")).unwrap();
    let text = page("charts.md");
    for kind in &kinds {
        let heading = format!("\n### {kind}\n");
        let start = text
            .find(&heading)
            .unwrap_or_else(|| panic!("charts.md has no section `### {kind}`"));
        let section = &text[start + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        assert!(
            section.contains("{{ chart(id="),
            "the section `{kind}` draws no chart"
        );
        assert!(
            html.contains(&format!("<figure class=\"chart chart-{kind}\"")),
            "no {kind} chart is drawn on the charts page"
        );
    }
}
