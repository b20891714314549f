//! A fixture site with one chart of every kind: drawn at build time into accessible inline SVG,
//! with files, tables and CSV; bad chart data and bad chart calls fail at their positions.

use crate::common::TempSite;

fn built() -> TempSite {
    let site = TempSite::copy("charts");
    site.build().unwrap();
    site
}

#[test]
fn every_kind_is_inlined_accessibly_in_both_languages() {
    let site = built();
    for (page, lang) in [("index.html", "en"), ("zh/index.html", "zh")] {
        let html = site.output(page);
        for id in [
            "chatgpt-tiers",
            "assistant-users",
            "ai-prices",
            "china-us-adoption",
            "chatgpt-paying",
            "cost-per-case",
            "engine-spread",
        ] {
            let figure = html
                .split(&format!("id=\"chart-{id}\""))
                .nth(1)
                .unwrap_or_else(|| panic!("{page}: no chart {id}"));
            let figure = &figure[..figure.find("</figure>").unwrap()];
            assert!(figure.contains(&format!(
                "role=\"img\" aria-labelledby=\"chart-{id}-{lang}-title chart-{id}-{lang}-desc\""
            )), "{page} {id}");
            assert!(
                figure.contains(&format!("<title id=\"chart-{id}-{lang}-title\">")),
                "{page} {id}"
            );
            assert!(
                figure.contains(&format!("<desc id=\"chart-{id}-{lang}-desc\">")),
                "{page} {id}"
            );
            assert!(figure.contains("viewBox=\"0 0 "), "{page} {id}");
            let svg_tag = &figure[figure.find("<svg").unwrap()..];
            let svg_tag = &svg_tag[..svg_tag.find('>').unwrap()];
            assert!(
                !svg_tag.contains("width=") && !svg_tag.contains("height="),
                "{page} {id}: fixed size in {svg_tag}"
            );
            assert!(
                figure.contains("<details class=\"chart-data\">") && figure.contains("<table"),
                "{page} {id}"
            );
            let csv = if lang == "en" {
                format!("href=\"charts/{id}.csv\"")
            } else {
                format!("href=\"../charts/{id}.csv\"")
            };
            assert!(figure.contains(&csv), "{page} {id}: {figure}");
            assert!(
                !figure.contains("fill=\"#") && !figure.contains("stroke=\"#"),
                "{page} {id}: fixed colours"
            );
            assert!(site.out().join(format!("charts/{id}.{lang}.svg")).is_file());
            assert!(site.out().join(format!("charts/{id}.csv")).is_file());
        }
    }
    assert!(site.output("charts/charts.css").contains("--chart-1"));
    // Numbers are formatted per language.
    assert!(site.output("index.html").contains("$200"));
    assert!(site.output("zh/index.html").contains("200美元"));
}

#[test]
fn labels_are_escaped_in_svg_table_and_csv() {
    let site = built();
    let html = site.output("index.html");
    assert!(!html.contains("<script>"), "raw script tag in the page");
    assert!(html.contains("Labels &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    let csv = site.output("charts/tricky-labels.csv");
    assert!(csv.contains("\n'=SUM(A1),3"), "{csv}");
    assert!(csv.starts_with("Category,'+danger"), "{csv}");
    assert!(csv.contains("\"Tom & Jerry's \"\"show\"\"\",1"), "{csv}");
}

#[test]
fn unknown_chart_in_a_shortcode_is_located_in_the_markdown() {
    let site = TempSite::copy("charts");
    site.write(
        "content/_index.md",
        "---\ntitle: C\n---\nText.\n\n{{ chart(id=\"chatgpt-tier\") }}\n",
    );
    let errors = site.errors();
    assert_eq!(
        errors,
        [
            "content/_index.md:6:13: shortcode error: unknown chart `chatgpt-tier`\n  help: did you mean `chatgpt-tiers`?"
        ]
    );
}

#[test]
fn a_chart_shown_twice_on_a_page_is_an_error() {
    let site = TempSite::copy("charts");
    site.write(
        "content/_index.md",
        "{{ chart(id=\"chatgpt-tiers\") }}\n\n{{ chart(id=\"chatgpt-tiers\") }}\n",
    );
    let errors = site.errors();
    assert!(
        errors[0].starts_with(
            "content/_index.md:3:13: shortcode error: chart `chatgpt-tiers` is already on this page"
        ),
        "{errors:#?}"
    );
}

#[test]
fn bad_chart_data_fails_the_build_at_its_yaml_position() {
    let site = TempSite::copy("charts");
    site.replace(
        "content/data/charts.yaml",
        "values: [chatgpt-go, chatgpt-plus, 200]",
        "values: [chatgpt-go, 200]",
    );
    let error = site.one_error();
    assert!(
        error.starts_with("content/data/charts.yaml:9:15: chart error:"),
        "{error}"
    );
    assert!(
        error.contains("2 values") && error.contains("3 categories"),
        "{error}"
    );
}
