//! A fixture site in English, Chinese and German with figures using every key of figures.yaml
//! (decimals, qualifier, unit, currency, ranges, note): each is printed as the language writes
//! it, wherever the figure appears, and `<data value>` keeps the bare number.

use crate::common::TempSite;

fn built() -> TempSite {
    let site = TempSite::copy("numbers");
    site.build().unwrap();
    site
}

/// The text of `<data value="…">…</data>` elements of a page, in order, as (value, shown).
fn data(html: &str) -> Vec<(String, String)> {
    html.split("<data ")
        .skip(1)
        .filter_map(|d| {
            let value = d.split("value=\"").nth(1)?.split('"').next()?;
            let shown = d.split_once('>')?.1.split("</data>").next()?;
            Some((value.to_string(), shown.to_string()))
        })
        .collect()
}

#[test]
fn figures_in_three_languages() {
    let site = built();
    let expect = [
        (
            "index.html",
            [
                "$0.40/kWh",
                "more than 30 million",
                "about 40%",
                "up to €20–100",
                "1,234.5\u{a0}kWh",
                "no more than 5",
                "at least 2,000",
                "less than £8,000",
            ],
        ),
        (
            "zh/index.html",
            [
                "0.40美元/千瓦时",
                "超过3000万",
                "40%左右",
                "多达20～100欧元",
                "1234.5千瓦时",
                "不超过5",
                "至少2000",
                "不到8000英镑",
            ],
        ),
        (
            "de/index.html",
            [
                "0,40\u{a0}$/kWh",
                "mehr als 30 Millionen",
                "etwa 40\u{a0}%",
                "bis zu 20–100\u{a0}€",
                "1.234,5\u{a0}kWh",
                "höchstens 5",
                "mindestens 2.000",
                "weniger als 8.000\u{a0}£",
            ],
        ),
    ];
    let values = [
        "0.4", "30000000", "40", "20-100", "1234.5", "5", "2000", "8000",
    ];
    for (page, shown) in expect {
        let html = site.output(page);
        let found = data(&html);
        // Prose first (the fig shortcode), then the template's table (the figure function).
        assert_eq!(found.len(), 16, "{page}: {found:?}");
        for (i, (value, text)) in found.iter().enumerate() {
            assert_eq!(value, values[i % 8], "{page}");
            assert_eq!(text, shown[i % 8], "{page}");
        }
    }
}

#[test]
fn notes_reach_templates() {
    let site = built();
    assert!(
        site.output("index.html")
            .contains("<td>Rounded down by the survey</td>")
    );
    assert!(
        site.output("de/index.html")
            .contains("<td>Von der Umfrage abgerundet</td>")
    );
}

#[test]
fn chart_labels_tables_and_descriptions_keep_qualifiers() {
    let site = built();
    let en = site.output("index.html");
    let chart = &en[en.find("id=\"chart-figures-hbar\"").unwrap()..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    assert!(chart.contains(">more than 30 million</text>"), "{chart}");
    let desc = chart.split("<desc").nth(1).unwrap();
    assert!(desc.contains("more than 30 million"), "{desc}");
    assert!(
        chart.contains("<td class=\"num\">at least 2,000</td>"),
        "{chart}"
    );
    let zh = site.output("zh/index.html");
    assert!(zh.contains(">超过3000万</text>"));
    let csv = site.output("charts/figures-hbar.csv");
    assert!(csv.contains(",30000000\r\n"), "{csv}");
}

#[test]
fn new_keys_are_errors_at_their_position() {
    // A new figure at the end of the file (its first key on line 57), with one bad key.
    let cases = [
        (
            "  qualifier: mor_than\n",
            "figures.yaml:62:14:",
            "qualifier: unknown value `mor_than`",
        ),
        ("  qualifier: mor_than\n", "", "did you mean `more_than`?"),
        (
            "  decimals: -1\n",
            "figures.yaml:62:13:",
            "decimals: expected a whole number from 0 to 255, found -1",
        ),
        (
            "  format: currency\n",
            "figures.yaml:62:11:",
            "`format: currency` needs `currency`",
        ),
        (
            "  format: currency\n  currency: euro\n",
            "figures.yaml:63:13:",
            "`euro` is not an ISO 4217 currency code",
        ),
        (
            "  unit: {en: kWh, zh: 千瓦时}\n",
            "figures.yaml:62:9:",
            "`unit` has no text for language `de`",
        ),
        (
            "  unit: [kWh]\n",
            "figures.yaml:62:9:",
            "unit: expected text or a map of languages",
        ),
        (
            "  note: {en: a, zh: b, de: c, fr: d}\n",
            "figures.yaml:62:9:",
            "`note` has text for `fr`, which is not a language of this site",
        ),
        (
            "  value: [1, 2, 3]\n",
            "figures.yaml:61:10:",
            "a range is two numbers [low, high]",
        ),
    ];
    for (extra, at, says) in cases {
        let site = TempSite::copy("numbers");
        let mut figs = site.read("content/data/figures.yaml");
        assert_eq!(figs.lines().count(), 56);
        figs.push_str("- id: extra\n  label: x\n  quote: q\n  source: survey\n");
        if !extra.contains("value:") {
            figs.push_str("  value: 1\n");
        }
        figs.push_str(extra);
        site.write("content/data/figures.yaml", figs);
        let errors = site.errors();
        assert!(
            errors.iter().any(|e| e.contains(at) && e.contains(says)),
            "{extra}: {errors:?}"
        );
        assert!(
            !errors.iter().any(|e| e.contains("unknown figure")),
            "knock-on errors: {errors:?}"
        );
    }
}

#[test]
fn date_filter_in_three_languages() {
    let site = built();
    let date = |page: &str| {
        let html = site.output(page);
        let p = html.split("<p class=\"date\">").nth(1).unwrap().to_string();
        p[..p.find("</p>").unwrap()].to_string()
    };
    assert_eq!(
        date("index.html"),
        "<time datetime=\"2024-06-30\">June 30, 2024</time> · <span class=\"short\">6/30/24</span> · <span class=\"year\">2024</span> · <span class=\"pattern\">2024/06/30</span>"
    );
    assert!(date("zh/index.html").contains(">2024年6月30日</time>"));
    assert!(date("zh/index.html").contains("<span class=\"year\">2024年</span>"));
    assert!(date("de/index.html").contains(">30. Juni 2024</time>"));
}

#[test]
fn impossible_dates_are_errors_at_their_position() {
    let site = TempSite::copy("numbers");
    site.replace("content/de/_index.md", "2024-06-30", "2024-02-31");
    let errors = site.errors();
    assert_eq!(
        errors,
        vec![
            "content/de/_index.md:3:1: front matter error: `date: 2024-02-31` is not a date: February 2024 has 29 days\n  help: write dates as YYYY-MM-DD, optionally followed by a time (RFC 3339)"
        ]
    );
}

#[test]
fn timelines_take_months_and_days_and_parts_use_eight_colours() {
    let site = built();
    let en = site.output("index.html");
    assert!(en.contains(">Price cap (Sep 2021–Mar"), "month precision");
    assert!(en.contains("<td class=\"num\">Sep 2021</td><td class=\"num\">Mar 2022</td>"));
    let zh = site.output("zh/index.html");
    assert!(zh.contains("价格上限（2021年9月-2022年"), "zh months");
    assert!(zh.contains("<td class=\"num\">2021年9月</td>"));
    let csv = site.output("charts/tariff-timeline.csv");
    assert!(csv.contains(",2021-09,2022-03\r\n"), "{csv}");
    let mix = &en[en.find("id=\"chart-heating-mix\"").unwrap()..];
    let mix = &mix[..mix.find("</svg>").unwrap()];
    for i in 0..8 {
        assert!(mix.contains(&format!("class=\"f{i}\"")), "colour {i}");
    }
}

#[test]
fn a_fractional_year_or_bad_date_in_a_timeline_is_an_error_at_its_position() {
    let site = TempSite::copy("numbers");
    let charts = site.read("content/data/charts.yaml");
    site.write(
        "content/data/charts.yaml",
        charts
            .replace("at: 2023-01-15", "at: 2023-02-30")
            .replace("start: 2019,", "start: 2019.5,"),
    );
    let errors = site.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/data/charts.yaml:35:21:")
                && e.contains("`2023-02-30` is not a date: February 2023 has 28 days")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/data/charts.yaml:36:24:")
                && e.contains("`2019.5` is not a year")),
        "{errors:?}"
    );
}

#[test]
fn line_column_and_stacked_charts_are_accessible_in_three_languages() {
    let site = built();
    for (page, lang) in [
        ("index.html", "en"),
        ("zh/index.html", "zh"),
        ("de/index.html", "de"),
    ] {
        let html = site.output(page);
        for id in ["price-line", "monthly-line", "use-column", "bill-stacked"] {
            let fig = &html[html.find(&format!("id=\"chart-{id}\"")).unwrap()..];
            let fig = &fig[..fig.find("</figure>").unwrap()];
            assert!(
                fig.contains(&format!("role=\"img\" aria-labelledby=\"chart-{id}-{lang}-title chart-{id}-{lang}-desc\"")),
                "{page} {id}"
            );
            assert!(fig.contains("<table class=\"chart-table\">"), "{page} {id}");
        }
    }
    let en = site.output("index.html");
    // The line: a gap in 2022 is an empty cell, the end is labelled with the figure.
    assert!(en.contains(
        "<th scope=\"row\">2022</th><td class=\"num\"></td><td class=\"num\">$0.24</td>"
    ));
    assert!(en.contains(">$0.40/kWh</text>"));
    assert!(en.contains("Households: from $0.25 in 2019 to $0.40/kWh in 2024"));
    // Quarters at month precision.
    assert!(en.contains("<th scope=\"row\">Jan 2023</th>"));
    assert_eq!(
        site.output("charts/monthly-line.csv").lines().nth(1),
        Some("2023-01,41000")
    );
    // The stacked bars: totals, and a legend with one colour per part.
    assert!(en.contains(">€42</text>") && en.contains(">€105</text>"));
    assert!(site.output("de/index.html").contains(">105\u{a0}€</text>"));
}

/// The `<desc>` of chart `id` in the standalone file for `lang`, with no-break spaces as spaces.
fn desc(site: &TempSite, id: &str, lang: &str) -> String {
    let svg = site.output(&format!("charts/{id}.{lang}.svg"));
    let d = svg.split("<desc").nth(1).unwrap();
    let d = &d[d.find('>').unwrap() + 1..d.find("</desc>").unwrap()];
    d.replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn chart_descriptions_are_written_in_german_on_the_german_site() {
    let site = built();
    let de = |id: &str| desc(&site, id, "de");
    assert_eq!(
        de("figures-hbar"),
        "Haushalte: Am höchsten liegt Wärmepumpe mit mehr als 30 Millionen, am niedrigsten \
         Warten auf Anschluss mit mindestens 2.000."
    );
    assert_eq!(
        de("tariff-timeline"),
        "4 Ereignisse von 2019 bis 06/2024; am längsten dauert Pilotphase, 2019–2021."
    );
    let stacked = de("bill-stacked");
    assert!(
        stacked.starts_with("Wohnung: insgesamt 42 €, davon Energie 22 €, Netz 12 €"),
        "{stacked}"
    );
    assert!(
        stacked.ends_with(" (Summen: eigene Berechnung)."),
        "{stacked}"
    );
    assert!(de("use-column").contains("von 3 Kennzahlen vor 2024 (eigene Zählung)"));
    assert!(de("price-line").starts_with("Haushalte: von 0,25 $ (2019) auf 0,40 $/kWh (2024)"));
    // No English left in any German description.
    for id in [
        "bill-ranges",
        "bill-stacked",
        "figures-hbar",
        "heating-mix",
        "monthly-line",
        "price-line",
        "tariff-timeline",
        "use-column",
    ] {
        let d = de(id);
        for english in [" is ", " in total", " events", " from ", " the ", " our "] {
            assert!(!d.contains(english), "{id}: `{english}` in {d}");
        }
    }
}

#[test]
fn a_ratio_is_not_said_when_the_qualifiers_of_its_inputs_pull_apart() {
    // "more than 30 million" ÷ "at least 2,000": the ratio could be anything above 0, so the
    // description gives the two values and no "times".
    let site = built();
    for lang in ["en", "de", "zh"] {
        let d = desc(&site, "figures-hbar", lang);
        for ratio in ["times", "Fache", "倍"] {
            assert!(!d.contains(ratio), "{lang}: {d}");
        }
    }
    assert_eq!(
        desc(&site, "figures-hbar", "en"),
        "Households: Heat pump is highest with more than 30 million; Waiting for a connection is \
         lowest with at least 2,000."
    );
}
