//! The flagship site in this repository: it builds, every number on it comes from
//! content/data/figures.yaml (none typed by hand in prose), and both languages carry the same
//! figures, charts and citations on every page.

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
    crate::common::build(&repo(), &out)
        .unwrap_or_else(|e| panic!("the flagship does not build:\n{e}"));
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
    for (rel, _) in crate::common::snapshot(out) {
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
    for (rel, bytes) in crate::common::snapshot(&built.out) {
        let text = String::from_utf8_lossy(&bytes);
        for noise in ["杏耀", "8888910", "COPYRIGHT", "版权所有", "作者："] {
            assert!(
                !text.contains(noise),
                "{rel} contains scraping noise `{noise}`"
            );
        }
    }
}

/// Visible text of an HTML fragment: tags removed, entities that the site writes decoded.
fn visible(html: &str) -> String {
    let text = Regex::new(r"(?s)<[^>]*>").unwrap().replace_all(html, " ");
    text.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#160;", " ")
}

/// The labels the templates give each kind of aside, per language, from content/data/ui.yaml.
fn aside_labels() -> BTreeMap<(String, String), String> {
    let text = std::fs::read_to_string(repo().join("content/data/ui.yaml")).unwrap();
    let ui: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let mut labels = BTreeMap::new();
    for lang in ["en", "zh"] {
        let asides = ui[lang]["aside"]
            .as_mapping()
            .expect("ui.yaml: aside labels");
        for (kind, label) in asides {
            labels.insert(
                (lang.to_string(), kind.as_str().unwrap().to_string()),
                label.as_str().unwrap().to_string(),
            );
        }
    }
    labels
}

/// Words by which the site speaks in its own voice.
fn site_voice(lang: &str) -> Regex {
    Regex::new(if lang == "zh" {
        "本站|我们"
    } else {
        r"\b(?:we|We|our|Our|us)\b"
    })
    .unwrap()
}

/// The site's remarks and the article's are told apart: an aside says whose voice it carries, the
/// label for the site's own remarks names the site, and an aside in the site's voice is never
/// labelled as the article's (the old "The article's caveat" over "we have not checked").
#[test]
fn asides_say_whose_voice_they_carry() {
    let built = build();
    let labels = aside_labels();
    let aside = Regex::new(
        r#"(?s)<aside class="aside aside-([a-z]+)" aria-label="([^"]*)">\s*<p class="aside-label">([^<]*)</p>(.*?)</aside>"#,
    )
    .unwrap();
    let mut ours = BTreeMap::new();
    for (en, zh) in page_pairs(&built.out) {
        for (rel, lang) in [(en.as_str(), "en"), (zh.as_str(), "zh")] {
            let html = read(&built.out, rel);
            for c in aside.captures_iter(&html) {
                let (kind, aria, shown, body) = (&c[1], &c[2], &c[3], visible(&c[4]));
                assert!(
                    ["ours", "article", "quote"].contains(&kind),
                    "{rel}: aside kind `{kind}` does not say whose voice it carries"
                );
                let label = &labels[&(lang.to_string(), kind.to_string())];
                assert_eq!(aria, label, "{rel}: aria-label of {kind}");
                assert_eq!(shown, label, "{rel}: label of {kind}");
                let speaks = site_voice(lang).is_match(&body);
                match kind {
                    "ours" => {
                        assert!(
                            site_voice(lang).is_match(label),
                            "{rel}: the label `{label}` must name the site as the speaker"
                        );
                        *ours.entry(lang).or_insert(0) += 1;
                    }
                    "article" => assert!(
                        !speaks,
                        "{rel}: the site speaks under the article's label `{label}`: {body}"
                    ),
                    // A quotation's attribution line is the site's; the quotation is not.
                    _ => {}
                }
            }
        }
    }
    for kind in ["ours", "article", "quote"] {
        for other in ["ours", "article", "quote"] {
            for lang in ["en", "zh"] {
                let l = |k: &str| &labels[&(lang.to_string(), k.to_string())];
                assert!(
                    kind == other || l(kind) != l(other),
                    "{lang}: {kind} and {other} share a label"
                );
            }
        }
    }
    assert!(
        ours.get("en") >= Some(&3) && ours.get("en") == ours.get("zh"),
        "the site's own remarks should be marked in both languages alike: {ours:?}"
    );
}

/// Every number in a chart's data table is one of the figures, or stands in a row or column the
/// site marks as derived (the remainder of a part chart, its shares and total).
#[test]
fn chart_tables_print_only_figures_or_derived_numbers() {
    let built = build();
    let facts = facts();
    let table = Regex::new(r"(?s)<table class=\x22chart-table\x22>(.*?)</table>").unwrap();
    let row = Regex::new(r"(?s)<tr>(.*?)</tr>").unwrap();
    let cell = Regex::new(r"(?s)<t([hd])[^>]*>(.*?)</t[hd]>").unwrap();
    let digit = Regex::new(r"\d").unwrap();
    let derived = |lang: &str| {
        Regex::new(if lang == "zh" {
            "推算"
        } else {
            r"\bderived\b"
        })
        .unwrap()
    };
    // Columns and rows the chart engine computes from the figures, named as such.
    let computed = ["Share", "Total", "占比", "总计"];
    let mut checked = 0;
    for (en, zh) in page_pairs(&built.out) {
        for (rel, lang) in [(en.as_str(), "en"), (zh.as_str(), "zh")] {
            let figures: Vec<String> = facts.figures.iter().map(|f| f.display(lang)).collect();
            let html = read(&built.out, rel);
            for t in table.captures_iter(&html) {
                let mut header: Vec<String> = Vec::new();
                for r in row.captures_iter(&t[1]) {
                    let cells: Vec<(bool, String)> = cell
                        .captures_iter(&r[1])
                        .map(|c| (&c[1] == "h", visible(&c[2]).trim().to_string()))
                        .collect();
                    if cells.iter().all(|c| c.0) && header.is_empty() {
                        header = cells.into_iter().map(|c| c.1).collect();
                        continue;
                    }
                    let name = cells.first().map(|c| c.1.clone()).unwrap_or_default();
                    for (i, (_, text)) in cells.iter().enumerate().skip(1) {
                        if !digit.is_match(text) {
                            continue;
                        }
                        let column = header.get(i).map_or("", String::as_str);
                        let ok = figures.contains(text)
                            || derived(lang).is_match(&name)
                            || computed.contains(&column)
                            || computed.contains(&name.as_str());
                        assert!(
                            ok,
                            "{rel}: `{text}` in row `{name}` is neither a figure nor marked derived"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 30, "only {checked} table numbers checked");
}

/// The sources page gives every figure's note, and cites every source but the article itself
/// "as cited in the article".
#[test]
fn sources_page_gives_notes_and_says_as_cited() {
    let built = build();
    let facts = facts();
    let meta = Regex::new(
        r#"(?s)<li id="source-([^"]+)">\s*<h2>.*?</h2>\s*<p class="source-meta">(.*?)</p>"#,
    )
    .unwrap();
    for (rel, lang, as_cited) in [
        ("sources/index.html", "en", "as cited in the article"),
        ("zh/sources/index.html", "zh", "据文章引用"),
    ] {
        let html = read(&built.out, rel);
        for f in &facts.figures {
            if let Some(note) = &f.note {
                let note = note.of(lang).replace('&', "&amp;").replace('"', "&quot;");
                assert!(
                    html.contains(&note),
                    "{rel}: the note of {} is missing",
                    f.id
                );
            }
        }
        let mut n = 0;
        for c in meta.captures_iter(&html) {
            let (id, line) = (&c[1], &c[2]);
            let kind = facts
                .source(id)
                .and_then(|s| s.kind.clone())
                .unwrap_or_default();
            assert_eq!(
                kind != "article",
                line.contains(as_cited),
                "{rel}: source {id}: {line}"
            );
            n += 1;
        }
        assert_eq!(n, facts.sources.len(), "{rel}: sources listed");
    }
}

/// Search engines take only absolute `hreflang` alternates: the pages write them when `base_url`
/// gives every page a permalink, and not at all otherwise.
#[test]
fn hreflang_alternates_only_when_absolute() {
    let built = build();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert_cmd::Command::cargo_bin("explainer")
        .unwrap()
        .args(["build", "--quiet", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&out)
        .args(["--base-url", "https://example.org/explainer/"])
        .assert()
        .success();
    let alternate =
        Regex::new(r#"<link rel="alternate" hreflang="([^"]+)" href="([^"]*)">"#).unwrap();
    for (en, zh) in page_pairs(&built.out) {
        for rel in [en, zh] {
            assert!(
                !alternate.is_match(&read(&built.out, &rel)),
                "{rel}: a relative hreflang alternate without base_url"
            );
            let html = read(&out, &rel);
            let found: Vec<_> = alternate.captures_iter(&html).collect();
            assert_eq!(found.len(), 2, "{rel}: alternates with base_url");
            for c in found {
                assert!(
                    c[2].starts_with("https://example.org/explainer/"),
                    "{rel}: {}",
                    &c[2]
                );
            }
        }
    }
}

/// Where `needle` occurs in `hay` as a number of its own (not inside a longer number).
fn occurrences(hay: &str, needle: &str) -> Vec<usize> {
    let numeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',');
    hay.match_indices(needle)
        .map(|(i, _)| i)
        .filter(|&i| {
            !numeric(hay[..i].chars().next_back())
                && !numeric(hay[i + needle.len()..].chars().next())
        })
        .collect()
}

/// The article's qualifiers ("more than", 超过, "about", 左右, 不过 …) stay with their figures in both
/// languages wherever they appear: in prose, key figures and the sources page (`<data>`), and in
/// every chart's labels, description and table. Prose never adds one by hand as well.
#[test]
fn qualified_figures_keep_their_qualifier_everywhere() {
    let built = build();
    let facts = facts();
    let qualified: Vec<_> = facts
        .figures
        .iter()
        .filter(|f| f.qualifier.is_some())
        .collect();
    assert!(
        qualified.len() >= 10,
        "only {} qualified figures",
        qualified.len()
    );
    let charts: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo().join("content/data/charts.yaml")).unwrap(),
    )
    .unwrap();
    let chart_block =
        Regex::new(r#"(?s)<figure class="chart [^"]*" id="chart-([^"]+)">(.*?)</figure>"#).unwrap();
    let data =
        Regex::new(r#"<data class="fig" value="[^"]*" data-figure="([^"]*)">([^<]*)</data>"#)
            .unwrap();
    let ticks = Regex::new(r#"<text[^>]*class="fmu"[^>]*>[^<]*</text>"#).unwrap();
    // The article's own qualifying words, which must not stand beside a figure that prints its own.
    let by_hand = |lang: &str| -> (Vec<&str>, Vec<&str>) {
        if lang == "zh" {
            (
                vec![
                    "超过",
                    "不过",
                    "不超过",
                    "高达",
                    "多达",
                    "突破",
                    "约",
                    "至少",
                ],
                vec!["以上", "左右", "多"],
            )
        } else {
            (
                vec![
                    "more than",
                    "about",
                    "no more than",
                    "as many as",
                    "at least",
                    "up to",
                ],
                vec!["or more"],
            )
        }
    };
    let mut seen = 0;
    for (en, zh) in page_pairs(&built.out) {
        for (rel, lang) in [(en.as_str(), "en"), (zh.as_str(), "zh")] {
            let html = read(&built.out, rel);
            let (before, after) = by_hand(lang);
            // Prose, key figures, the sources page: the figure's own text, qualifier included.
            for c in data.captures_iter(&html) {
                let f = facts.figure(&c[1]).unwrap();
                if f.qualifier.is_none() {
                    continue;
                }
                assert_eq!(&c[2], f.display(lang), "{rel}: {}", f.id);
                let m = c.get(0).unwrap();
                let pre = visible(&html[..m.start()]);
                let post = visible(&html[m.end()..]);
                let (pre, post) = (pre.trim_end(), post.trim_start());
                for w in &before {
                    assert!(
                        !pre.ends_with(w),
                        "{rel}: `{w}` typed before {}, which prints its own qualifier",
                        f.id
                    );
                }
                for w in &after {
                    assert!(
                        !post.starts_with(w),
                        "{rel}: `{w}` typed after {}, which prints its own qualifier",
                        f.id
                    );
                }
                seen += 1;
            }
            // Charts: every appearance of a qualified figure's number carries the qualifier.
            for c in chart_block.captures_iter(&html) {
                let chart = charts
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .find(|ch| ch["id"].as_str() == Some(&c[1]))
                    .unwrap_or_else(|| panic!("{rel}: chart {} not in charts.yaml", &c[1]));
                let ids: Vec<&str> = chart["series"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .flat_map(|s| s["values"].as_sequence().into_iter().flatten())
                    .filter_map(|v| v.as_str())
                    .collect();
                // Axis ticks (muted text) are scale marks, not the figure.
                let block = ticks.replace_all(&c[2], "").replace("&#160;", " ");
                for f in ids.iter().filter_map(|id| facts.figure(id)) {
                    if f.qualifier.is_none() {
                        continue;
                    }
                    let full = f.display(lang);
                    let mut plain = f.clone();
                    plain.qualifier = None;
                    let bare = plain.display(lang);
                    let fulls: Vec<usize> = block.match_indices(&full).map(|(i, _)| i).collect();
                    let offset = full
                        .find(&bare)
                        .expect("the qualified text contains the number");
                    assert!(
                        !fulls.is_empty(),
                        "{rel}: chart {} never prints `{full}`",
                        &c[1]
                    );
                    for i in occurrences(&block, &bare) {
                        assert!(
                            fulls.iter().any(|&j| j + offset == i),
                            "{rel}: chart {} prints `{bare}` without its qualifier (`{full}`): …{}…",
                            &c[1],
                            &block[block.floor_char_boundary(i.saturating_sub(60))..i]
                        );
                        seen += 1;
                    }
                }
            }
        }
    }
    assert!(seen > 60, "only {seen} qualified figures checked");
}

/// The `<desc>` sentence of every chart file, as (file, sentence).
fn chart_descs(out: &Path) -> Vec<(String, String)> {
    let re = Regex::new(r"<desc id=[^>]*>([^<]*)</desc>").unwrap();
    crate::common::snapshot(out)
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("charts/") && rel.ends_with(".svg"))
        .map(|(rel, bytes)| {
            let svg = String::from_utf8(bytes).unwrap();
            let d = re
                .captures(&svg)
                .unwrap_or_else(|| panic!("{rel}: no <desc>"))[1]
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            (rel, d)
        })
        .collect()
}

/// Numbers the site works out itself in a chart's description (how many times one bar is
/// another) are marked as its arithmetic, and a ratio of a qualified figure keeps the qualifier:
/// "more than 30 million" ÷ 740,000 is "more than 40 times", never a bare "41 times".
#[test]
fn chart_descriptions_mark_derived_ratios_and_keep_qualifiers() {
    let built = build();
    let facts = facts();
    let charts: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo().join("content/data/charts.yaml")).unwrap(),
    )
    .unwrap();
    let en_ratio =
        Regex::new(r"(?:(about|more than|at least|no more than|less than|up to) )?[\d.,]+ times")
            .unwrap();
    let zh_ratio = Regex::new(r"(约为|超过|至少是|至多是|不到)?[^，；。]*的[\d.]+倍").unwrap();
    let descs = chart_descs(&built.out);
    assert!(descs.len() >= 12, "{descs:?}");
    let mut ratios = 0;
    for (rel, d) in &descs {
        let zh = rel.ends_with(".zh.svg");
        let (ratio, ours) = if zh {
            (zh_ratio.captures(d), "（本站推算）")
        } else {
            (en_ratio.captures(d), "(our arithmetic)")
        };
        let Some(ratio) = ratio else { continue };
        ratios += 1;
        assert!(d.contains(ours), "{rel}: a ratio not marked as ours: {d}");
        // The figures the chart plots whose text (qualifier included) the sentence quotes.
        let id = rel.trim_start_matches("charts/").split('.').next().unwrap();
        let chart = charts
            .as_sequence()
            .unwrap()
            .iter()
            .find(|c| c["id"].as_str() == Some(id))
            .unwrap();
        let lang = if zh { "zh" } else { "en" };
        let quoted_qualified = chart["series"]
            .as_sequence()
            .into_iter()
            .flatten()
            .flat_map(|s| s["values"].as_sequence().into_iter().flatten())
            .filter_map(|v| facts.figure(v.as_str()?))
            .filter(|f| f.qualifier.is_some() && d.contains(&f.display(lang)))
            .count();
        if quoted_qualified > 0 {
            assert!(
                ratio.get(1).is_some(),
                "{rel}: a ratio of a qualified figure without a qualifier: {d}"
            );
        }
    }
    assert!(ratios >= 6, "only {ratios} ratios in the flagship's charts");
    let find = |file: &str| &descs.iter().find(|(r, _)| r == file).unwrap().1;
    assert!(find("charts/health-ai-reach.en.svg").contains("more than 40 times"));
    assert!(
        find("charts/health-ai-reach.zh.svg")
            .contains("超过OpenEvidence：订阅用户（74万）的40倍（本站推算）")
    );
    assert!(find("charts/chatgpt-users.en.svg").contains("at least 20 times"));
    assert!(find("charts/chatgpt-users.zh.svg").contains("至少是付费用户（不超过4000万）的20倍"));
    assert!(find("charts/screening-cost.en.svg").contains(", 48 times Panda"));
}

/// A range reads as each language writes one: Chinese with the full-width wave dash of
/// GB/T 15834 (`20～100美元`), English with an en dash (`$20–100`), never the ASCII hyphen of
/// the scraped article. Checked in the visible text of every page and in every chart SVG; ISO
/// dates (`2026-02-08`, which the reference lists print) are the one place a hyphen joins digits.
/// Claude's price range is drawn in the price chart, in its table and in the prose alike.
#[test]
fn ranges_read_as_each_language_writes_them() {
    let built = build();
    let hyphen_range = Regex::new(r"\d\s*-\s*\d").unwrap();
    let iso_date = Regex::new(r"\b\d{4}-\d{2}(?:-\d{2})?\b").unwrap();
    let head = Regex::new(r"(?s)<head>.*?</head>").unwrap();
    let mut checked = 0;
    for (rel, bytes) in crate::common::snapshot(&built.out) {
        if !(rel.ends_with(".html") || rel.ends_with(".svg")) {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let body = head.replace(&html, " ");
        let text = visible(&body);
        let text = iso_date.replace_all(&text, " ");
        if let Some(m) = hyphen_range.find(&text) {
            panic!("{rel}: a range with an ASCII hyphen: `{}`", m.as_str());
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} files checked");

    let facts = facts();
    let claude = facts.figure("claude-monthly-price").unwrap();
    assert_eq!(claude.display("zh"), "20～100美元");
    assert_eq!(claude.display("en"), "$20–100");
    let chart =
        Regex::new(r#"(?s)<figure class="chart [^"]*" id="chart-monthly-prices">(.*?)</figure>"#)
            .unwrap();
    for (rel, lang) in [("index.html", "en"), ("zh/index.html", "zh")] {
        let html = read(&built.out, rel);
        let block = chart
            .captures(&html)
            .unwrap_or_else(|| panic!("{rel}: no price chart"))[1]
            .to_string();
        let shown = claude.display(lang);
        let (svg, table) = block.split_once("<table").expect("a chart table");
        assert!(
            svg.contains(&format!(">{shown}</text>")),
            "{rel}: the chart does not draw `{shown}`"
        );
        assert!(
            table.contains(&shown),
            "{rel}: the chart table lacks `{shown}`"
        );
    }
    for (rel, lang) in [
        ("elite-vs-mass/index.html", "en"),
        ("zh/elite-vs-mass/index.html", "zh"),
    ] {
        let prose = figures_on(&read(&built.out, rel));
        assert!(
            prose
                .iter()
                .any(|(id, _, text)| id == "claude-monthly-price" && *text == claude.display(lang)),
            "{rel}: the prose does not print Claude's range"
        );
    }
}
