//! Validation: raw charts → charts, with every problem reported at its line and column.

use std::collections::HashMap;
use std::path::Path;

use super::spec::{KindName, RawChart, RawEvent, RawSeries, RawValue};
use super::timeline::When;
use super::{Chart, ChartKind, Num, Series, bar, column, grouped, line, part, stacked, timeline};
use crate::error::{Error, Kind, Location, did_you_mean};
use crate::facts::{Facts, check_notation, check_text, valid_id};
use crate::numfmt::{self, Notation, NumFormat, Style};
use crate::text::Text;
use crate::yaml::LazySpans;

/// The largest magnitude a chart plots: beyond it axes lose all meaning (and spans overflow).
const MAX_VALUE: f64 = 1e18;
/// The furthest year a timeline places.
const MAX_YEAR: f64 = 100_000.0;

pub fn check(
    raw: Vec<RawChart>,
    file: &Path,
    spans: &LazySpans,
    langs: &[String],
    facts: &Facts,
) -> Result<Vec<Chart>, Error> {
    let mut errors = Vec::new();
    let mut charts = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let default_lang = langs.first().cloned().unwrap_or_else(|| "en".into());
    for (i, rc) in raw.into_iter().enumerate() {
        let mut ck = ChartChecker {
            i,
            file,
            spans,
            facts,
            errors: Vec::new(),
            figures: Vec::new(),
            figure_sources: Vec::new(),
            first_literal: None,
        };
        if !valid_id(&rc.id) {
            ck.err("id", format!("`{}` is not a usable chart id", rc.id))
                .help("use lowercase letters, digits and hyphens");
        }
        if let Some(&first) = seen.get(&rc.id) {
            let line = spans
                .find(&format!("[{first}].id"))
                .map_or(String::new(), |(l, _)| {
                    format!(" (first defined on line {l})")
                });
            ck.err("id", format!("duplicate chart id `{}`{line}", rc.id));
        } else {
            seen.insert(rc.id.clone(), i);
        }
        ck.texts(&rc, langs);
        for (j, s) in rc.sources.iter().enumerate() {
            if facts.source(s).is_none() && facts.is_complete() {
                ck.err(&format!("sources[{j}]"), format!("unknown source `{s}`"))
                    .help(facts.unknown_source_hint(s));
            }
        }
        let kind = ck.kind(&rc);
        if rc.sources.is_empty() {
            if let Some(path) = ck.first_literal.clone() {
                ck.err(&path, "this number has no source: the chart names no `sources`")
                    .help("add `sources: [source-id]`, or use a figure id from figures.yaml (a figure carries its source)");
            } else if kind
                .as_ref()
                .is_some_and(|b| matches!(b, ChartKind::Timeline(_)))
            {
                ck.err("events", "a timeline needs `sources`")
                    .help("add `sources: [source-id]` with the ids of sources.yaml");
            }
        }
        // The chart's own notation, else that of the first figure it plots.
        let notation = match rc.format {
            Some(format) => Notation {
                format,
                currency: rc.currency.clone(),
                decimals: rc.decimals,
                unit: rc.unit.clone(),
            },
            None => ck
                .figures
                .first()
                .and_then(|first| facts.figure(first))
                .map(|f| f.notation())
                .unwrap_or_default(),
        };
        if rc.format.is_some() {
            let at = |field: &str| ck.at(field);
            let mut found = Vec::new();
            check_notation(&notation, &at, Kind::Chart, &mut found);
            ck.errors.append(&mut found);
        } else if rc.currency.is_some() || rc.decimals.is_some() || rc.unit.is_some() {
            let field = if rc.currency.is_some() {
                "currency"
            } else if rc.decimals.is_some() {
                "decimals"
            } else {
                "unit"
            };
            ck.err_key(field, format!("`{field}` needs the chart's `format`"))
                .help("add `format: …` (number, usd, cny, currency, percent, year) beside it");
        }
        if let Some(unit) = &rc.unit {
            ck.text(unit, langs, "unit");
        }
        let mut sources: Vec<String> = Vec::new();
        for s in rc.sources.iter().chain(ck.figure_sources.iter()) {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
        match kind {
            Some(kind) if ck.errors.is_empty() => charts.push(Chart {
                id: rc.id,
                title: rc.title,
                subtitle: rc.subtitle,
                notes: rc.notes,
                notation,
                value_label: rc.value_label,
                category_label: rc.category_label,
                kind,
                sources,
                figures: ck.figures,
                default_lang: default_lang.clone(),
            }),
            _ => errors.append(&mut ck.errors),
        }
    }
    Error::collect(errors)?;
    Ok(charts)
}

/// Checking one chart: where its nodes are, and what it has found so far.
struct ChartChecker<'a> {
    i: usize,
    file: &'a Path,
    spans: &'a LazySpans<'a>,
    facts: &'a Facts,
    errors: Vec<Error>,
    figures: Vec<String>,
    figure_sources: Vec<String>,
    /// Path of the first plain number, which needs the chart's own `sources`.
    first_literal: Option<String>,
}

/// Lets `ck.err(…).help(…)` attach help to the error just pushed.
struct PushedError<'e>(&'e mut Error);

impl PushedError<'_> {
    fn help(self, text: impl Into<String>) {
        self.0.add_help(text);
    }
}

impl ChartChecker<'_> {
    /// Location of `field` (a path below this chart, "" for the chart itself).
    fn at(&self, field: &str) -> Location {
        self.spans.locate(self.file, &self.path(field))
    }

    fn path(&self, field: &str) -> String {
        match field {
            "" => format!("[{}]", self.i),
            f => format!("[{}].{f}", self.i),
        }
    }

    fn err(&mut self, field: &str, msg: impl Into<String>) -> PushedError<'_> {
        let at = self.at(field);
        self.errors.push(Error::input(Kind::Chart, at, msg));
        PushedError(self.errors.last_mut().unwrap())
    }

    /// An error at a key itself (for fields that do not belong).
    fn err_key(&mut self, field: &str, msg: impl Into<String>) -> PushedError<'_> {
        let at = self.spans.locate_key(self.file, &self.path(field));
        self.errors.push(Error::input(Kind::Chart, at, msg));
        PushedError(self.errors.last_mut().unwrap())
    }

    fn text(&mut self, t: &Text, langs: &[String], field: &str) {
        let at = self.at(field);
        let name = field.rsplit('.').next().unwrap_or(field);
        check_text(t, langs, || at.clone(), name, &mut self.errors);
    }

    fn texts(&mut self, rc: &RawChart, langs: &[String]) {
        self.text(&rc.title, langs, "title");
        let optional = [
            (&rc.subtitle, "subtitle"),
            (&rc.value_label, "value_label"),
            (&rc.category_label, "category_label"),
            (&rc.rest_label, "rest_label"),
            (&rc.notes, "notes"),
        ];
        for (t, field) in optional {
            if let Some(t) = t {
                self.text(t, langs, field);
            }
        }
        for (j, t) in rc.categories.iter().flatten().enumerate() {
            self.text(t, langs, &format!("categories[{j}]"));
        }
        for (j, t) in rc.lanes.iter().flatten().enumerate() {
            self.text(t, langs, &format!("lanes[{j}]"));
        }
        for (k, s) in rc.series.iter().flatten().enumerate() {
            self.text(&s.name, langs, &format!("series[{k}].name"));
        }
        for (j, e) in rc.events.iter().flatten().enumerate() {
            self.text(&e.label, langs, &format!("events[{j}].label"));
        }
    }

    /// A value: a finite number, or a known figure (recorded with its source).
    fn value(&mut self, raw: &RawValue, field: &str, log: bool) -> Option<Num> {
        let num = match raw {
            RawValue::Number(v) if v.is_finite() => {
                if self.first_literal.is_none() {
                    self.first_literal = Some(field.to_string());
                }
                Num {
                    value: *v,
                    figure: None,
                }
            }
            RawValue::Number(_) => {
                self.err(field, "value must be a finite number");
                return None;
            }
            RawValue::Missing => {
                self.err(field, "a value is missing")
                    .help("only a line chart leaves gaps (`null`); give a number or a figure id");
                return None;
            }
            RawValue::Figure(id) => match self.facts.figure(id) {
                Some(f) => {
                    if !self.figures.contains(id) {
                        self.figures.push(id.clone());
                    }
                    if !self.figure_sources.contains(&f.source) {
                        self.figure_sources.push(f.source.clone());
                    }
                    Num {
                        value: f.value.number(),
                        figure: Some(f.clone()),
                    }
                }
                // figures.yaml is broken: its error is the cause, this would be a knock-on.
                None if !self.facts.is_complete() => return None,
                None => {
                    let hint = self.facts.unknown_figure_hint(id);
                    self.err(
                        field,
                        format!("unknown figure `{id}`: a value is a number or a figure id"),
                    )
                    .help(hint);
                    return None;
                }
            },
        };
        if num.value.abs() > MAX_VALUE {
            self.err(
                field,
                format!(
                    "{:e} is too large to chart: values must lie within ±10^18",
                    num.value
                ),
            )
            .help("chart the number in a larger unit (millions, billions)");
            return None;
        }
        if log && num.value <= 0.0 {
            let shown = numfmt::format(num.value, NumFormat::Number, "en", Style::Long);
            self.err(
                field,
                format!("a log scale cannot show {shown}: every value must be above zero"),
            )
            .help("use `scale: linear`, or leave the value out");
            return None;
        }
        Some(num)
    }

    /// The chart's kind with its validated data.
    fn kind(&mut self, rc: &RawChart) -> Option<ChartKind> {
        let Some(kind) = KindName::parse(&rc.kind) else {
            let mut help = KindName::list();
            if let Some(dym) = did_you_mean(&rc.kind, KindName::ALL.iter().map(|(n, ..)| *n)) {
                help = format!("{dym} ({help})");
            }
            self.err("kind", format!("unknown chart kind `{}`", rc.kind))
                .help(help);
            return None;
        };
        let log = match rc.scale.as_deref() {
            None | Some("linear") => false,
            Some("log") => true,
            Some(other) => {
                self.err("scale", format!("unknown scale `{other}`"))
                    .help("scale is `linear` (the default) or `log`");
                false
            }
        };
        let name = kind.name();
        if log
            && matches!(
                kind,
                KindName::Part | KindName::Timeline | KindName::Line | KindName::Stacked
            )
        {
            self.err("scale", format!("a {name} chart has no log scale"))
                .help("`scale: log` applies to bar, hbar, column and grouped charts");
        }
        let misplaced = [
            (
                !kind.has_categories() && rc.categories.is_some(),
                "categories",
            ),
            (kind == KindName::Timeline && rc.series.is_some(), "series"),
            (kind != KindName::Line && rc.x.is_some(), "x"),
            (kind != KindName::Part && rc.total.is_some(), "total"),
            (
                kind != KindName::Part && rc.rest_label.is_some(),
                "rest_label",
            ),
            (kind != KindName::Timeline && rc.lanes.is_some(), "lanes"),
            (kind != KindName::Timeline && rc.events.is_some(), "events"),
        ];
        for (bad, field) in misplaced {
            if bad {
                self.err_key(field, format!("a {name} chart has no `{field}`"));
            }
        }
        match kind {
            KindName::Timeline => self.timeline(rc),
            KindName::Line => self.line(rc),
            _ => {
                let categories = rc.categories.clone().unwrap_or_default();
                if categories.is_empty() {
                    self.err("categories", format!("a {name} chart needs `categories`"))
                        .help("list the categories: `categories: [A, B, C]`");
                }
                let series =
                    self.series(rc.series.as_deref().unwrap_or(&[]), kind, log, &categories);
                match kind {
                    KindName::Bar | KindName::Hbar => Some(ChartKind::Bars(bar::Bars {
                        horizontal: kind == KindName::Hbar,
                        log,
                        categories,
                        series: series.into_iter().next()?,
                    })),
                    KindName::Grouped => Some(ChartKind::Grouped(grouped::Grouped {
                        log,
                        categories,
                        series,
                    })),
                    KindName::Column if series.len() == 1 => Some(ChartKind::Bars(bar::Bars {
                        horizontal: false,
                        log,
                        categories,
                        series: series.into_iter().next()?,
                    })),
                    KindName::Column => Some(ChartKind::Column(column::Column {
                        log,
                        categories,
                        series,
                    })),
                    KindName::Stacked => self.stacked(categories, series),
                    _ => self.part(rc, categories, series.into_iter().next()?),
                }
            }
        }
    }

    fn series(
        &mut self,
        raw: &[RawSeries],
        kind: KindName,
        log: bool,
        categories: &[Text],
    ) -> Vec<Series> {
        let name = kind.name();
        let n = raw.len();
        if kind == KindName::Grouped && n < 2 {
            self.err_key(
                "series",
                format!("a grouped chart needs two or more series; it has {n}"),
            )
            .help("use `kind: bar` or `kind: hbar` for a single series");
        } else if matches!(kind, KindName::Column | KindName::Stacked) {
            if n == 0 {
                self.err_key("series", format!("a {name} chart needs `series`"))
                    .help("add `series: [{name: …, values: […]}]`");
            }
        } else if kind != KindName::Grouped && n != 1 {
            let help = if n > 1 {
                "use `kind: grouped` to compare several series"
            } else {
                "add `series: [{name: …, values: […]}]`"
            };
            self.err_key(
                "series",
                format!("a {name} chart has exactly one series; it has {n}"),
            )
            .help(help);
        }
        let mut out = Vec::new();
        for (k, s) in raw.iter().enumerate() {
            let field = format!("series[{k}].values");
            if s.values.is_empty() {
                self.err(&field, "the series has no values")
                    .help("give one value per category");
            } else if !categories.is_empty() && s.values.len() != categories.len() {
                self.err(
                    &field,
                    format!(
                        "the series has {} values but there are {} categories",
                        s.values.len(),
                        categories.len()
                    ),
                )
                .help("give one value per category, in the order of `categories`");
            }
            let values: Vec<Option<Num>> = s
                .values
                .iter()
                .enumerate()
                .map(|(j, v)| self.value(v, &format!("{field}[{j}]"), log))
                .collect();
            if let Some(values) = values.into_iter().collect::<Option<Vec<_>>>() {
                out.push(Series {
                    name: s.name.clone(),
                    values,
                });
            }
        }
        out
    }

    fn part(&mut self, rc: &RawChart, categories: Vec<Text>, series: Series) -> Option<ChartKind> {
        let max = super::css::SERIES_COLOURS;
        if series.values.len() > max {
            self.err(
                "series[0].values",
                format!(
                    "a part chart tells {max} parts apart by colour; this one has {}",
                    series.values.len()
                ),
            )
            .help(format!(
                "keep the {} largest parts and group the rest as \"Other\": leave them out and add `rest_label: {{en: Other, …}}`",
                max - 1
            ));
        }
        for (j, v) in series.values.iter().enumerate() {
            if v.value < 0.0 {
                self.err(
                    &format!("series[0].values[{j}]"),
                    "a part cannot be negative",
                );
            }
        }
        let Some(raw_total) = &rc.total else {
            self.err(
                "",
                "a part chart needs `total`: the whole the parts belong to",
            );
            return None;
        };
        let total = self.value(raw_total, "total", false)?;
        let en = |v: f64| numfmt::format(v, NumFormat::Number, "en", Style::Long);
        if total.value <= 0.0 {
            self.err("total", "the total must be above zero");
            return None;
        }
        let sum: f64 = series.values.iter().map(|v| v.value).sum();
        let tolerance = total.value * 1e-9;
        if sum > total.value + tolerance {
            self.err(
                "total",
                format!(
                    "the parts add up to {}, more than the total {}",
                    en(sum),
                    en(total.value)
                ),
            );
        } else if sum < total.value - tolerance && rc.rest_label.is_none() {
            self.err(
                "total",
                format!(
                    "the parts leave {} of the total: name it with `rest_label`",
                    en(total.value - sum)
                ),
            );
        }
        Some(ChartKind::Part(Box::new(part::Part {
            categories,
            series,
            total,
            rest: rc.rest_label.clone(),
        })))
    }

    fn stacked(&mut self, categories: Vec<Text>, series: Vec<Series>) -> Option<ChartKind> {
        let max = super::css::SERIES_COLOURS;
        if series.len() > max {
            self.err_key(
                "series",
                format!(
                    "a stacked chart tells {max} parts apart by colour; this one has {}",
                    series.len()
                ),
            )
            .help("group the smallest parts into one series named \"Other\"");
        }
        for (k, s) in series.iter().enumerate() {
            for (j, v) in s.values.iter().enumerate() {
                if v.value < 0.0 {
                    self.err(
                        &format!("series[{k}].values[{j}]"),
                        "a part of a stacked bar cannot be negative",
                    )
                    .help("use `kind: column` or `kind: grouped` to compare values that can be negative");
                }
            }
        }
        if series.is_empty() {
            return None;
        }
        Some(ChartKind::Stacked(stacked::Stacked { categories, series }))
    }

    /// A line chart: `x` (years, dates or numbers, ascending) and series with one value per x,
    /// `null` for a gap.
    fn line(&mut self, rc: &RawChart) -> Option<ChartKind> {
        let raw_x = rc.x.as_deref().unwrap_or(&[]);
        if raw_x.is_empty() {
            self.err(
                "x",
                "a line chart needs `x`: the years or dates the values belong to",
            )
            .help("`x: [2019, 2020, 2021]` or `x: [2021-01, 2021-04, 2021-07]`");
            return None;
        }
        let xs: Vec<Option<When>> = raw_x
            .iter()
            .enumerate()
            .map(|(i, v)| self.when(v, &format!("x[{i}]")))
            .collect();
        let xs: Vec<When> = xs.into_iter().collect::<Option<_>>()?;
        for (i, pair) in xs.windows(2).enumerate() {
            if pair[1].x <= pair[0].x {
                self.err(
                    &format!("x[{}]", i + 1),
                    format!(
                        "`{}` does not come after `{}`: x values go in order, each once",
                        pair[1].machine(),
                        pair[0].machine()
                    ),
                );
            }
        }
        let raw = rc.series.as_deref().unwrap_or(&[]);
        if raw.is_empty() {
            self.err_key("series", "a line chart needs `series`")
                .help("add `series: [{name: …, values: […]}]`, one value per x");
        }
        let mut series = Vec::new();
        for (k, s) in raw.iter().enumerate() {
            let field = format!("series[{k}].values");
            if s.values.len() != xs.len() {
                self.err(
                    &field,
                    format!(
                        "the series has {} values but `x` has {}",
                        s.values.len(),
                        xs.len()
                    ),
                )
                .help("give one value per x, `null` where there is none");
                continue;
            }
            let mut values = Vec::new();
            let mut ok = true;
            for (j, v) in s.values.iter().enumerate() {
                if *v == RawValue::Missing {
                    values.push(None);
                    continue;
                }
                match self.value(v, &format!("{field}[{j}]"), false) {
                    Some(n) => values.push(Some(n)),
                    None => ok = false,
                }
            }
            if values.iter().all(Option::is_none) {
                self.err(&field, "the series has no values, only gaps");
                ok = false;
            }
            if ok {
                series.push(line::LineSeries {
                    name: s.name.clone(),
                    values,
                });
            }
        }
        Some(ChartKind::Line(line::Line { x: xs, series }))
    }

    fn timeline(&mut self, rc: &RawChart) -> Option<ChartKind> {
        let lanes = rc.lanes.clone().unwrap_or_default();
        let raw = rc.events.as_deref().unwrap_or(&[]);
        if raw.is_empty() {
            self.err("events", "a timeline needs `events`")
                .help("`events: [{at: 2023, label: …}, {start: 1760, end: 1840, label: …}]`");
        }
        let mut events = Vec::new();
        for (j, e) in raw.iter().enumerate() {
            if let Some(ev) = self.event(e, j, lanes.len()) {
                events.push(ev);
            }
        }
        Some(ChartKind::Timeline(timeline::Timeline { lanes, events }))
    }

    fn event(&mut self, e: &RawEvent, j: usize, lanes: usize) -> Option<timeline::Event> {
        let field = |f: &str| format!("events[{j}].{f}");
        let max_lane = lanes.max(1) - 1;
        let mut ok = true;
        if e.lane > max_lane {
            let msg = match lanes {
                0 => format!(
                    "lane {} does not exist: the timeline has no `lanes`",
                    e.lane
                ),
                1 => format!("lane {} does not exist: the only lane is 0", e.lane),
                n => format!("lane {} does not exist: lanes are 0 to {}", e.lane, n - 1),
            };
            self.err(&field("lane"), msg)
                .help("lanes are numbered from 0 in the order of `lanes`");
            ok = false;
        }
        let mut when = |raw: &Option<RawValue>, name: &str| -> Option<Option<When>> {
            let raw = raw.as_ref()?;
            let w = self.when(raw, &field(name));
            if w.is_none() {
                ok = false;
            }
            Some(w)
        };
        let (at, start, end) = (
            when(&e.at, "at"),
            when(&e.start, "start"),
            when(&e.end, "end"),
        );
        if !ok {
            return None;
        }
        let (at, start, end) = (at.flatten(), start.flatten(), end.flatten());
        let span = match (at, start, end) {
            (Some(at), None, None) => (at, None),
            (None, Some(start), Some(end)) => {
                if end.x < start.x {
                    self.err(
                        &field("end"),
                        format!(
                            "the event ends ({}) before it starts ({})",
                            end.machine(),
                            start.machine()
                        ),
                    );
                    ok = false;
                }
                (start, Some(end))
            }
            (Some(_), _, _) => {
                self.err(
                    &format!("events[{j}]"),
                    "give either `at` or `start` and `end`, not both",
                );
                return None;
            }
            (None, Some(_), None) => {
                self.err(&field("start"), "the event has `start` but no `end`")
                    .help("a point event uses `at` alone");
                return None;
            }
            (None, None, Some(_)) => {
                self.err(&field("end"), "the event has `end` but no `start`");
                return None;
            }
            (None, None, None) => {
                self.err(
                    &format!("events[{j}]"),
                    "the event has neither `at` nor `start` and `end`",
                )
                .help("a point: `at: 2023`; a span: `start: 1760, end: 1840`");
                return None;
            }
        };
        ok.then(|| timeline::Event {
            lane: e.lane,
            start: span.0,
            end: span.1,
            label: e.label.clone(),
        })
    }

    /// A point in time: a year as a number (`1760`, `-500`), or `YYYY-MM` / `YYYY-MM-DD`.
    fn when(&mut self, raw: &RawValue, field: &str) -> Option<When> {
        match raw {
            RawValue::Number(y) if !y.is_finite() => {
                self.err(field, "a year must be a finite number");
                None
            }
            RawValue::Number(y) if y.abs() > MAX_YEAR => {
                self.err(field, format!("a year must lie within ±{MAX_YEAR}"));
                None
            }
            RawValue::Number(y) if y.fract() != 0.0 => {
                self.err(
                    field,
                    format!("`{y}` is not a year: a year is a whole number"),
                )
                .help("for a month or a day write the date: `2021-09`, `2021-09-15`");
                None
            }
            RawValue::Number(y) => {
                let date = (1.0..=9999.0)
                    .contains(y)
                    .then(|| format!("{:04}", *y as i64).parse().ok())
                    .flatten();
                Some(When { x: *y, date })
            }
            RawValue::Missing => {
                self.err(field, "the date is missing")
                    .help("write a year (1760), a month (2021-09) or a day (2021-09-15)");
                None
            }
            RawValue::Figure(text) => match text.parse::<crate::dates::Date>() {
                Ok(date) => Some(When {
                    x: date.year_fraction(),
                    date: Some(date),
                }),
                Err(why) => {
                    self.err(field, format!("`{text}` is not a date: {why}"))
                        .help("write a year (1760), a month (2021-09) or a day (2021-09-15)");
                    None
                }
            },
        }
    }
}
