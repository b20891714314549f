//! Rendering: snapshots of every kind in both languages, legibility on a phone, labels inside the
//! drawing and apart, escaping, determinism, size, and what the tables, CSV and descriptions say.

use super::super::layout::{Anchor, Item, WIDTH, text_width};
use super::super::{Chart, chart_css};
use super::*;

const STRESS: &str = include_str!("fixtures/stress.yaml");

fn stress() -> ChartSet {
    load(STRESS).unwrap_or_else(|e| panic!("stress charts load: {e}"))
}

fn all_charts() -> Vec<Chart> {
    fixture().iter().chain(stress().iter()).cloned().collect()
}

/// Every `name="…"` attribute value in `svg`.
fn attrs<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    svg.match_indices(&key)
        .map(|(i, _)| {
            let rest = &svg[i + key.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

fn viewbox_width(svg: &str) -> f64 {
    let vb = attrs(svg, "viewBox")[0];
    vb.split(' ').nth(2).unwrap().parse().unwrap()
}

fn kind(c: &Chart) -> &'static str {
    c.kind()
}

#[test]
fn snapshots_of_every_kind_in_both_languages() {
    let set = fixture();
    let kinds: Vec<&str> = set.iter().map(kind).collect();
    for k in ["bar", "hbar", "grouped", "part", "timeline"] {
        assert!(kinds.contains(&k), "no fixture of kind {k}");
    }
    for chart in set.iter() {
        for lang in ["en", "zh"] {
            let r = chart.render(lang);
            insta::assert_snapshot!(format!("{}.{lang}", chart.id()), r.svg_inline);
        }
    }
}

#[test]
fn text_stays_legible_on_a_phone() {
    // A 390 px phone leaves a 358 px column; no label may render below 11 CSS px there.
    for chart in all_charts() {
        for lang in ["en", "zh"] {
            let svg = chart.render(lang).svg_inline;
            let width = viewbox_width(&svg);
            let min = attrs(&svg, "font-size")
                .iter()
                .map(|s| s.parse::<f64>().unwrap())
                .fold(f64::INFINITY, f64::min);
            let on_phone = min * 358.0 / width;
            assert!(
                on_phone >= 11.0,
                "{} ({lang}): smallest text {min} in a {width}-wide viewBox is {on_phone:.1} px on a phone",
                chart.id()
            );
        }
    }
}

/// Estimated box of a text item: (x0, y0, x1, y1).
fn text_box(item: &Item) -> Option<(f64, f64, f64, f64)> {
    let Item::Text {
        x,
        y,
        text,
        size,
        anchor,
        bold,
        ..
    } = item
    else {
        return None;
    };
    let w = text_width(text, *size, *bold);
    let x0 = match anchor {
        Anchor::Start => *x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    Some((x0, *y, x0 + w, y + size))
}

#[test]
fn labels_stay_inside_the_drawing_and_apart() {
    for chart in all_charts() {
        for lang in ["en", "zh"] {
            let scene = chart.kind.plot().scene(&chart.context(lang));
            let boxes: Vec<_> = scene.items.iter().filter_map(text_box).collect();
            let name = format!("{} ({lang})", chart.id());
            for b in &boxes {
                assert!(
                    b.0 >= -0.5 && b.2 <= WIDTH + 0.5 && b.1 >= 0.0 && b.3 <= scene.height,
                    "{name}: text box {b:?} leaves the {WIDTH}×{} drawing",
                    scene.height
                );
            }
            for (i, a) in boxes.iter().enumerate() {
                for b in &boxes[i + 1..] {
                    let overlap =
                        a.0 < b.2 - 1.0 && b.0 < a.2 - 1.0 && a.1 < b.3 - 1.0 && b.1 < a.3 - 1.0;
                    assert!(!overlap, "{name}: text boxes {a:?} and {b:?} overlap");
                }
            }
        }
    }
}

#[test]
fn words_are_never_cut() {
    // Seven columns are too narrow for these labels: the bars turn horizontal instead.
    let set = stress();
    let r = set.get("many-bars").unwrap().render("en");
    assert!(
        r.svg_inline
            .contains(">Supercalifragilisticexpialidocious</text>")
    );
    assert!(
        r.svg_inline
            .contains(">Claude Code Max subscription</text>")
    );
    assert!(r.svg_inline.contains(">$445 million</text>"));
    // A 0.1% part is still drawn wide enough to see.
    let slices = set.get("slices").unwrap();
    let scene = slices.kind.plot().scene(&slices.context("en"));
    let widths: Vec<f64> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rect { w, h, .. } if *h > 20.0 => Some(*w),
            _ => None,
        })
        .collect();
    assert_eq!(widths.len(), 5);
    assert!(widths.iter().all(|&w| w >= 4.0), "{widths:?}");
}

#[test]
fn svg_is_accessible_and_responsive() {
    let mut ids = Vec::new();
    for chart in all_charts() {
        for lang in ["en", "zh"] {
            let r = chart.render(lang);
            let svg = &r.svg_inline;
            let head = &svg[..svg.find('>').unwrap()];
            assert!(
                svg.starts_with("<svg class=\"xc\" viewBox=\"0 0 480 "),
                "{head}"
            );
            assert!(
                !svg.contains("<?xml") && !head.contains("width=") && !head.contains("height=")
            );
            assert!(head.contains("role=\"img\""));
            let labelled = attrs(head, "aria-labelledby")[0];
            let (t, d) = labelled.split_once(' ').unwrap();
            assert!(svg.contains(&format!("<title id=\"{t}\">")));
            assert!(svg.contains(&format!("<desc id=\"{d}\">")));
            assert_eq!(t, format!("chart-{}-{lang}-title", chart.id()));
            ids.push(t.to_string());
            // The standalone file: same drawing, own namespace, size and style.
            let file = &r.svg_file;
            assert!(file.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(file.contains("<style>") && file.contains("prefers-color-scheme:dark"));
            let drawing = &svg[svg.find("</desc>\n").unwrap() + 8..];
            assert!(file.contains(drawing.trim_end_matches("</svg>")));
        }
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        n,
        "element ids repeat across charts or languages"
    );
}

#[test]
fn colours_come_from_css_classes_only() {
    let css = chart_css();
    for chart in all_charts() {
        let svg = chart.render("en").svg_inline;
        assert!(
            !svg.contains("\"#"),
            "{}: a literal colour is left",
            chart.id()
        );
        assert!(!svg.contains("fill=\"#") && !svg.contains("opacity"));
        for classes in attrs(&svg, "class") {
            for c in classes.split(' ') {
                assert!(
                    c == "xc" || css.contains(&format!(".xc .{c}{{")),
                    "class {c} has no rule in chart_css()"
                );
            }
        }
    }
    for prop in [
        "--chart-fg",
        "--chart-grid",
        "--chart-muted",
        "--chart-1",
        "--chart-4",
    ] {
        assert!(css.contains(prop), "{prop}");
    }
    assert!(css.contains("@media (prefers-color-scheme:dark)"));
}

#[test]
fn output_is_deterministic_and_free_of_float_noise() {
    for chart in all_charts() {
        for lang in ["en", "zh"] {
            let a = chart.render(lang);
            assert_eq!(a, chart.render(lang), "{}", chart.id());
            for name in [
                "x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy", "r",
            ] {
                for v in attrs(&a.svg_inline, name) {
                    let decimals = v.split_once('.').map_or(0, |(_, d)| d.len());
                    assert!(v.parse::<f64>().is_ok() && decimals <= 2, "{name}=\"{v}\"");
                }
            }
        }
    }
}

#[test]
fn charts_are_small() {
    let mut page = 0;
    for chart in fixture().iter() {
        let svg = chart.render("en").svg_inline;
        assert!(svg.len() < 12_000, "{}: {} bytes", chart.id(), svg.len());
        page += svg.len();
    }
    for chart in stress().iter() {
        let svg = chart.render("zh").svg_inline;
        assert!(svg.len() < 12_000, "{}: {} bytes", chart.id(), svg.len());
    }
    assert!(page < 40_000, "all fixture charts together: {page} bytes");
}

#[test]
fn text_is_escaped_once_everywhere() {
    let set = stress();
    let chart = set.get("escapes").unwrap();
    let r = chart.render("en");
    for out in [&r.svg_inline, &r.svg_file, &r.table_html] {
        assert!(!out.contains("<script") && !out.contains("<lab>") && !out.contains("<b>"));
        assert!(
            !out.contains("&amp;amp;") && !out.contains("&amp;lt;"),
            "double escaping"
        );
    }
    assert!(r.svg_inline.contains(
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;</title>"
    ));
    assert!(r.svg_inline.contains(">R&amp;D &lt;lab&gt;</text>"));
    assert!(
        r.svg_inline
            .contains(">a &quot;quoted&quot; &#39;name&#39;</text>")
    );
    assert!(
        r.table_html
            .contains("<th scope=\"row\">R&amp;D &lt;lab&gt;</th>")
    );
    assert!(r.table_html.contains("<caption>&lt;script&gt;"));
    // Plain text for the template to escape.
    assert_eq!(r.notes.as_deref(), Some("</svg><script>"));
    assert_eq!(
        r.csv,
        "Category,\"'=HYPERLINK(\"\"evil\"\")\"\r\n\
         '=SUM(A1:A2),1\r\n\
         R&D <lab>,2\r\n\
         '+cmd,3\r\n\
         '@at,4\r\n\
         '-minus,5\r\n\
         \"a \"\"quoted\"\" 'name'\",6\r\n"
    );
    assert_eq!(
        chart.render("zh").csv,
        r.csv,
        "CSV does not depend on the language"
    );
}

#[test]
fn tables_csv_and_descriptions_read_the_data() {
    let set = fixture();
    let tiers = set.get("chatgpt-tiers").unwrap();
    let en = tiers.render("en");
    assert_eq!(en.title, "ChatGPT's three paid tiers");
    assert_eq!(en.subtitle.as_deref(), Some("US dollars a month"));
    assert_eq!(
        en.desc,
        "Price a month: Pro is highest with $200, 25 times Go with $8 (our arithmetic)."
    );
    let zh = tiers.render("zh");
    assert_eq!(
        zh.desc,
        "月费：Pro最高，为200美元，是Go（8美元）的25倍（本站推算）。"
    );
    assert_eq!(
        en.csv,
        "Category,Price a month\r\nGo,8\r\nPlus,20\r\nPro,200\r\n"
    );
    assert_eq!(
        zh.table_html,
        "<table class=\"chart-table\">\n<caption>ChatGPT的三档付费</caption>\n\
         <thead><tr><th scope=\"col\">类别</th><th scope=\"col\">月费</th></tr></thead>\n<tbody>\n\
         <tr><th scope=\"row\">Go</th><td class=\"num\">8美元</td></tr>\n\
         <tr><th scope=\"row\">Plus</th><td class=\"num\">20美元</td></tr>\n\
         <tr><th scope=\"row\">Pro</th><td class=\"num\">200美元</td></tr>\n</tbody>\n</table>\n"
    );

    let paying = set.get("chatgpt-paying").unwrap().render("en");
    assert_eq!(
        paying.desc,
        "Of 800 million in total: Paying 40 million (5%), Not paying 760 million (95%) (shares and the remainder: our arithmetic)."
    );
    assert!(
        paying
            .svg_inline
            .contains(">Paying: 40 million (5%)</text>")
    );
    assert_eq!(
        paying.csv,
        "Category,Value,Share\r\nPaying,40000000,5\r\nNot paying,760000000,95\r\nWeekly users,800000000,100\r\n"
    );

    // A range figure plots its top and shows the range.
    let prices = set.get("ai-prices").unwrap().render("en");
    assert!(prices.svg_inline.contains(">$20–100</text>"));
    assert!(prices.csv.contains("Claude,20-100\r\n"));

    let log = set.get("cost-per-case").unwrap().render("en");
    assert!(log.svg_inline.contains(">log scale</text>"));
    for tick in [
        ">$10</text>",
        ">$100</text>",
        ">$1,000</text>",
        ">$10K</text>",
    ] {
        assert!(log.svg_inline.contains(tick), "{tick}");
    }
    assert!(
        set.get("cost-per-case")
            .unwrap()
            .render("zh")
            .svg_inline
            .contains(">对数刻度</text>")
    );

    let grouped = set.get("china-us-adoption").unwrap().render("en");
    assert_eq!(
        grouped.desc,
        "China is higher than US on 3 of 3 measures (our count); the widest gap is Use AI at work: 80% against 40%."
    );
    let timeline = set.get("engine-spread").unwrap().render("en");
    assert_eq!(
        timeline.desc,
        "5 events from 1760 to 2023; the longest span is Steam engine: Britain, 1760–1840."
    );
    assert!(timeline.table_html.contains("<th scope=\"row\">Chatbots</th><td>Spread by</td><td class=\"num\">2023</td><td class=\"num\"></td>"));
}

#[test]
fn sources_and_figures_in_first_use_order() {
    let set = fixture();
    let ids: Vec<&str> = set.iter().map(|c| c.id()).collect();
    assert_eq!(ids[0], "chatgpt-tiers", "file order");
    let tiers = set.get("chatgpt-tiers").unwrap();
    assert_eq!(tiers.figure_ids(), vec!["chatgpt-go", "chatgpt-plus"]);
    assert_eq!(tiers.source_ids(), vec!["techtimes"]);
    let prices = set.get("ai-prices").unwrap();
    // Named sources first, then those of the figures, each once.
    assert_eq!(prices.source_ids(), vec!["nyt", "techtimes"]);
    assert_eq!(prices.figure_ids(), vec!["chatgpt-plus", "claude-price"]);
    let paying = set.get("chatgpt-paying").unwrap();
    assert_eq!(
        paying.figure_ids(),
        vec!["chatgpt-paying", "chatgpt-weekly-users"]
    );
    assert_eq!(paying.source_ids(), vec!["nyt"]);
    assert!(set.get("nope").is_none());
}

/// Writes every chart (both forms, both languages) and `chart.css` into `$CHARTS_DUMP_DIR`, for
/// looking at them in a browser: `CHARTS_DUMP_DIR=… cargo test dump_for_preview -- --ignored`.
#[test]
#[ignore]
fn dump_for_preview() {
    let dir = std::env::var("CHARTS_DUMP_DIR").expect("set CHARTS_DUMP_DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("chart.css"), chart_css()).unwrap();
    for c in all_charts() {
        for l in ["en", "zh"] {
            let r = c.render(l);
            let name = format!("{}.{l}", c.id());
            std::fs::write(dir.join(format!("{name}.svg")), &r.svg_file).unwrap();
            std::fs::write(dir.join(format!("{name}.inline.svg")), &r.svg_inline).unwrap();
            std::fs::write(dir.join(format!("{name}.table.html")), &r.table_html).unwrap();
        }
    }
}

/// Median time to draw every fixture chart in both languages:
/// `cargo test --release charts_render_timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn charts_render_timing() {
    let charts = all_charts();
    let mut times = Vec::new();
    for _ in 0..101 {
        let start = std::time::Instant::now();
        for c in &charts {
            for l in ["en", "zh"] {
                std::hint::black_box(c.render(l));
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    let n = charts.len() * 2;
    let median = times[times.len() / 2];
    println!(
        "{n} renders ({} charts × 2 languages): median {median:?} per pass, {:?} per chart",
        charts.len(),
        median / n as u32
    );
}

#[test]
fn shares_of_a_hundred_percent_are_not_repeated() {
    let set = load(
        "- id: where\n  kind: part\n  title: Where users live\n  format: percent\n  categories: [Small towns]\n  series:\n    - name: Share\n      values: [55]\n  total: 100\n  rest_label: Elsewhere\n  sources: [nyt]\n",
    )
    .unwrap();
    let svg = set.get("where").unwrap().render("en").svg_inline;
    assert!(svg.contains("Small towns: 55%<"), "{svg}");
    assert!(svg.contains("Elsewhere: 45%<"), "{svg}");
    assert!(!svg.contains("(55%)") && !svg.contains("Total"), "{svg}");
}
