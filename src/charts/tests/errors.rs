//! Every kind of bad chart data is an error at its line and column of charts.yaml.

use super::*;

fn errors(yaml: &str) -> Vec<String> {
    match load(yaml) {
        Ok(_) => panic!("expected errors from:\n{yaml}"),
        Err(e) => e.flatten().iter().map(|e| e.to_string()).collect(),
    }
}

/// One error starts with `prefix` (file:line:col: kind error: …) and contains `needle`.
#[track_caller]
fn expect(errs: &[String], prefix: &str, needle: &str) {
    assert!(
        errs.iter()
            .any(|e| e.starts_with(prefix) && e.contains(needle)),
        "no error starting `{prefix}` containing `{needle}` in {errs:#?}"
    );
}

const F: &str = "content/data/charts.yaml";

/// A valid bar chart with `extra` lines appended and `values` as its values.
fn bar(values: &str, extra: &str) -> String {
    format!(
        "- id: tiers\n  kind: bar\n  title: {{en: Tiers, zh: 档位}}\n  categories: [Go, Plus, Pro]\n  series:\n    - name: {{en: Price, zh: 价格}}\n      values: {values}\n  sources: [techtimes]\n{extra}"
    )
}

#[test]
fn the_fixture_is_valid() {
    assert_eq!(fixture().iter().count(), 10);
}

#[test]
fn series_length_must_match_categories() {
    let errs = errors(&bar("[1, 2]", ""));
    expect(
        &errs,
        &format!("{F}:7:15: chart error: the series has 2 values but there are 3 categories"),
        "help: give one value per category",
    );
}

#[test]
fn unknown_figure_gets_did_you_mean() {
    let errs = errors(&bar("[chatgpt-go, chatgpt-plsu, 200]", ""));
    expect(
        &errs,
        &format!("{F}:7:28: chart error: unknown figure `chatgpt-plsu`"),
        "did you mean `chatgpt-plus`?",
    );
}

#[test]
fn log_scale_needs_positive_values() {
    let errs = errors(&bar("[0, -2, 3]", "  scale: log\n"));
    expect(
        &errs,
        &format!("{F}:7:16: chart error: a log scale cannot show 0"),
        "above zero",
    );
    expect(
        &errs,
        &format!("{F}:7:19: chart error: a log scale cannot show −2"),
        "above zero",
    );
}

#[test]
fn empty_series_and_empty_categories() {
    let errs = errors(&bar("[]", ""));
    expect(
        &errs,
        &format!("{F}:7:15: chart error: the series has no values"),
        "",
    );
    let yaml = "- id: a\n  kind: hbar\n  title: A\n  categories: []\n  series:\n    - {name: S, values: [1]}\n  sources: [nyt]\n";
    expect(
        &errors(yaml),
        &format!("{F}:4:15: chart error: a hbar chart needs `categories`"),
        "",
    );
}

#[test]
fn unknown_kind_lists_the_kinds() {
    let yaml = bar("[1, 2, 3]", "").replace("kind: bar", "kind: hbra");
    let errs = errors(&yaml);
    expect(
        &errs,
        &format!("{F}:2:9: chart error: unknown chart kind `hbra`"),
        "did you mean `hbar`? (kinds: bar (vertical bars), hbar",
    );
    expect(&errs, F, "timeline (spans and points on a year axis)");
}

#[test]
fn duplicate_ids() {
    let one = bar("[1, 2, 3]", "");
    let errs = errors(&format!("{one}{one}"));
    expect(
        &errs,
        &format!("{F}:9:7: chart error: duplicate chart id `tiers` (first defined on line 1)"),
        "",
    );
}

#[test]
fn every_language_needs_its_text() {
    let yaml = bar("[1, 2, 3]", "").replace("{en: Price, zh: 价格}", "{en: Price}");
    expect(
        &errors(&yaml),
        &format!("{F}:6:13: data error: `name` has no text for language `zh`"),
        "add `zh: …`",
    );
    let yaml = bar("[1, 2, 3]", "  notes: {en: a, zh: b, fr: c}\n");
    expect(
        &errors(&yaml),
        &format!("{F}:9:10: data error: `notes` has text for `fr`"),
        "not a language of this site",
    );
}

#[test]
fn unknown_source() {
    let yaml = bar("[1, 2, 3]", "").replace("[techtimes]", "[techtimes, nty]");
    expect(
        &errors(&yaml),
        &format!("{F}:8:24: chart error: unknown source `nty`"),
        "did you mean `nyt`?",
    );
}

#[test]
fn plain_numbers_need_sources() {
    let yaml = bar("[chatgpt-go, chatgpt-plus, 200]", "").replace("  sources: [techtimes]\n", "");
    expect(
        &errors(&yaml),
        &format!("{F}:7:42: chart error: this number has no source"),
        "add `sources:",
    );
    // Figures carry their sources: no `sources` needed.
    let yaml =
        bar("[chatgpt-go, chatgpt-plus, chatgpt-plus]", "").replace("  sources: [techtimes]\n", "");
    assert!(load(&yaml).is_ok());
}

#[test]
fn wrong_number_of_series() {
    let yaml = bar("[1, 2, 3]", "").replace(
        "  sources:",
        "    - name: {en: More, zh: 更多}\n      values: [1, 2, 3]\n  sources:",
    );
    expect(
        &errors(&yaml),
        &format!("{F}:5:3: chart error: a bar chart has exactly one series; it has 2"),
        "use `kind: grouped`",
    );
    let yaml = bar("[1, 2, 3]", "").replace("kind: bar", "kind: grouped");
    expect(
        &errors(&yaml),
        &format!("{F}:5:3: chart error: a grouped chart needs two or more series; it has 1"),
        "use `kind: bar`",
    );
}

#[test]
fn misplaced_fields_and_bad_scale() {
    let yaml = bar("[1, 2, 3]", "  events: []\n  scale: logarithmic\n");
    let errs = errors(&yaml);
    expect(
        &errs,
        &format!("{F}:9:3: chart error: a bar chart has no `events`"),
        "",
    );
    expect(
        &errs,
        &format!("{F}:10:10: chart error: unknown scale `logarithmic`"),
        "`linear` (the default) or `log`",
    );
}

#[test]
fn structural_errors_come_from_serde_with_position() {
    let yaml = bar("[1, 2, 3]", "  colour: red\n");
    expect(
        &errors(&yaml),
        &format!("{F}:9:3: chart error: "),
        "unknown field `colour`, expected one of `id`",
    );
}

const TIMELINE: &str = "- id: spread
  kind: timeline
  title: {en: Spread, zh: 扩散}
  lanes: [{en: Invented, zh: 发明}, {en: Spread, zh: 扩散}]
  events:
    - {lane: 0, start: 1760, end: 1840, label: Steam}
    - {lane: 1, label: Nothing}
    - {lane: 0, start: 1900, end: 1850, label: Backwards}
    - {lane: 2, at: 2023, label: Nowhere}
    - {lane: 0, start: 1900, label: Open}
  sources: [history]
";

#[test]
fn timeline_events_need_years_in_order_and_real_lanes() {
    let errs = errors(TIMELINE);
    expect(
        &errs,
        &format!("{F}:7:7: chart error: the event has neither `at` nor `start` and `end`"),
        "a point: `at: 2023`",
    );
    expect(
        &errs,
        &format!("{F}:8:35: chart error: the event ends (1850) before it starts (1900)"),
        "",
    );
    expect(
        &errs,
        &format!("{F}:9:14: chart error: lane 2 does not exist: lanes are 0 to 1"),
        "numbered from 0",
    );
    expect(
        &errs,
        &format!("{F}:10:24: chart error: the event has `start` but no `end`"),
        "`at` alone",
    );
    assert_eq!(errs.len(), 4, "{errs:#?}");
}

const PART: &str = "- id: paying
  kind: part
  title: {en: Paying, zh: 付费}
  categories: [{en: Paying, zh: 付费}, {en: Trial, zh: 试用}]
  series:
    - name: {en: Users, zh: 用户}
      values: [chatgpt-paying, 900000000]
  total: chatgpt-weekly-users
  rest_label: {en: Not paying, zh: 未付费}
  sources: [nyt]
";

#[test]
fn parts_cannot_exceed_the_total() {
    expect(
        &errors(PART),
        &format!(
            "{F}:8:10: chart error: the parts add up to 940 million, more than the total 800 million"
        ),
        "",
    );
    let short = PART
        .replace("900000000", "100")
        .replace("  rest_label: {en: Not paying, zh: 未付费}\n", "");
    expect(
        &errors(&short),
        &format!("{F}:8:10: chart error: the parts leave"),
        "name it with `rest_label`",
    );
}

#[test]
fn reports_every_problem_not_only_the_first() {
    let yaml = format!(
        "{}{}{}",
        bar("[1, 2]", ""),
        PART.replace("id: paying", "id: Paying"),
        TIMELINE
    );
    let errs = errors(&yaml);
    // Series length (chart 1), bad id and parts over total (chart 2), four timeline events.
    assert_eq!(errs.len(), 7, "{errs:#?}");
    let mut sorted = errs.clone();
    sorted.sort_by_key(|e| {
        let pos: Vec<usize> = e
            .split(':')
            .skip(1)
            .take(2)
            .map(|n| n.parse().unwrap())
            .collect();
        (pos[0], pos[1])
    });
    assert_eq!(errs, sorted, "errors read top to bottom");
}

/// Values near `f64::MAX` overflowed the tick count (a panic); they are positioned errors now.
#[test]
fn absurd_values_and_years_are_errors() {
    let errs = errors(&bar("[1.5e308, 1, 2]", ""));
    expect(
        &errs,
        &format!("{F}:7:16: chart error: 1.5e308 is too large"),
        "too large to chart",
    );
    let errs = errors(&bar("[-1e308, 1e308, 2]", ""));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let timeline = TIMELINE
        .lines()
        .take(5)
        .chain([
            "    - {lane: 0, start: -1e308, end: 1e308, label: Forever}",
            "  sources: [history]",
        ])
        .collect::<Vec<_>>()
        .join("\n");
    let errs = errors(&timeline);
    expect(
        &errs,
        &format!("{F}:6:24: chart error: a year must lie within ±100000"),
        "",
    );
}

#[test]
fn a_part_chart_never_repeats_a_colour() {
    let nine = "- id: mix
  kind: part
  title: Mix
  categories: [A, B, C, D, E, F, G, H, I]
  series:
    - name: Share
      values: [1, 1, 1, 1, 1, 1, 1, 1, 1]
  total: 9
  sources: [nyt]
";
    expect(
        &errors(nine),
        &format!(
            "{F}:7:15: chart error: a part chart tells 8 parts apart by colour; this one has 9"
        ),
        "group the rest as \"Other\"",
    );
    let eight = nine
        .replace(", I]", "]")
        .replace("1, 1, 1, 1, 1, 1, 1, 1, 1", "1, 1, 1, 1, 1, 1, 1, 1")
        .replace("total: 9", "total: 8");
    let set = load(&eight).unwrap();
    let svg = set.get("mix").unwrap().render("en").svg_inline;
    for i in 0..8 {
        assert!(svg.contains(&format!("class=\"f{i}\"")), "colour {i}");
    }
}
