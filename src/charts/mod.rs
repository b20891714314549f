//! Build-time charts: `content/data/charts.yaml` → one SVG per chart per language, plus a data
//! table, a CSV and a one-sentence description that reads the data.
//!
//! Pipeline: `spec` (serde shapes) → `check` (every problem reported at its line:column) →
//! a `Chart` holding one of the kinds (`bar`, `grouped`, `part`, `timeline`, `line`, `column`,
//! `stacked`, behind the `Plot` trait) → `Chart::render`, where the kind lays out a
//! `layout::Scene`, plotters draws it through `svg`'s backend of our own, `words` writes the
//! description (with `derived` for the numbers it works out), and `table` writes the table and
//! CSV. `ChartSet::draw` draws every chart in every language into `Drawings`, by chart;
//! `file_path` names their files.

mod bar;
mod check;
mod column;
mod css;
mod derived;
mod grouped;
mod layout;
mod line;
mod part;
mod scale;
mod spec;
mod stacked;
mod svg;
mod table;
mod timeline;
mod words;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::Lang;
use crate::error::{Error, Kind};
use crate::facts::{Facts, Figure, FileText};
use crate::numfmt::{self, Notation, NumFormat, Style};
use crate::text::Text;
use crate::yaml::{self, LazySpans};

pub use css::chart_css;

/// Every chart of the site, validated, in file order.
#[derive(Debug, Clone)]
pub struct ChartSet {
    charts: Vec<Chart>,
}

impl ChartSet {
    /// Parse and validate `charts.yaml` against the site's languages (the first is the default)
    /// and its figures and sources. Reports every problem, each at its line and column.
    pub fn load(file: FileText, langs: &[String], facts: &Facts) -> Result<ChartSet, Error> {
        let raw: Vec<spec::RawChart> = yaml::parse(file.text, file.path, 1, Kind::Chart)?;
        let spans = LazySpans::new(file.text, 1);
        let charts = check::check(raw, file.path, &spans, langs, facts)?;
        Ok(ChartSet { charts })
    }

    pub fn get(&self, id: &str) -> Option<&Chart> {
        self.charts.iter().find(|c| c.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Chart> {
        self.charts.iter()
    }

    /// Every chart drawn in every one of `langs` (the default first), in parallel.
    pub fn draw(&self, langs: &[Lang]) -> Drawings {
        let jobs: Vec<(&Chart, Lang)> = self
            .charts
            .iter()
            .flat_map(|c| langs.iter().map(move |&l| (c, l)))
            .collect();
        let mut drawn: Vec<(&Chart, Lang, Rendered)> = jobs
            .into_par_iter()
            .with_max_len(1)
            .map(|(c, l)| (c, l, c.render(l.as_str())))
            .collect::<Vec<_>>();
        let mut charts: HashMap<String, Drawn> = HashMap::with_capacity(self.charts.len());
        for (c, lang, r) in drawn.drain(..) {
            charts
                .entry(c.id.clone())
                .or_insert_with(|| Drawn {
                    id: c.id.clone(),
                    langs: Vec::with_capacity(langs.len()),
                })
                .langs
                .push((lang, r));
        }
        Drawings { charts }
    }
}

/// A chart's output file, relative to the output root.
#[derive(Debug, Clone, Copy)]
pub enum ChartFile<'a> {
    /// `charts/<id>.<lang>.svg`, one per language.
    Svg(&'a str),
    /// `charts/<id>.csv`, once (in the default language).
    Csv,
}

/// The path of a chart's file: the one place these names are spelled.
pub fn file_path(id: &str, file: ChartFile) -> String {
    match file {
        ChartFile::Svg(lang) => format!("charts/{id}.{lang}.svg"),
        ChartFile::Csv => format!("charts/{id}.csv"),
    }
}

/// Every chart of a site drawn in every language, by chart.
#[derive(Debug, Clone, Default)]
pub struct Drawings {
    charts: HashMap<String, Drawn>,
}

impl Drawings {
    /// Chart `id` drawn in `lang`.
    pub fn get(&self, id: &str, lang: Lang) -> Option<&Rendered> {
        self.charts.get(id)?.get(lang)
    }

    /// Chart `id` in every language.
    pub fn chart(&self, id: &str) -> Option<&Drawn> {
        self.charts.get(id)
    }
}

/// One chart drawn in each language of the site, the default language first.
#[derive(Debug, Clone)]
pub struct Drawn {
    id: String,
    langs: Vec<(Lang, Rendered)>,
}

impl Drawn {
    pub fn get(&self, lang: Lang) -> Option<&Rendered> {
        self.langs.iter().find(|(l, _)| *l == lang).map(|(_, r)| r)
    }

    /// The files the chart is written to, with their contents: an SVG per language, then the
    /// CSV (every drawing holds it in the default language).
    pub fn files(&self) -> impl Iterator<Item = (String, &str)> {
        let svgs = self.langs.iter().map(|(lang, r)| {
            (
                file_path(&self.id, ChartFile::Svg(lang.as_str())),
                r.svg_file.as_str(),
            )
        });
        let csv = self
            .langs
            .first()
            .map(|(_, r)| (file_path(&self.id, ChartFile::Csv), r.csv.as_str()));
        svgs.chain(csv)
    }
}

/// One validated chart.
#[derive(Debug, Clone)]
pub struct Chart {
    id: String,
    title: Text,
    subtitle: Option<Text>,
    notes: Option<Text>,
    notation: Notation,
    value_label: Option<Text>,
    category_label: Option<Text>,
    kind: ChartKind,
    sources: Vec<String>,
    figures: Vec<String>,
    /// The site's default language: the CSV is written in it.
    default_lang: String,
}

/// A chart drawn for one language. Strings named `svg_*`, `table_html` and `csv` are ready to
/// write out (escaped); `title`, `subtitle`, `desc` and `notes` are plain text for the template
/// to escape.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub title: String,
    pub subtitle: Option<String>,
    /// One sentence that reads the data, generated per language.
    pub desc: String,
    /// For inlining into HTML: viewBox only, `role="img"`, `aria-labelledby` its own
    /// `<title>`/`<desc>` (ids `chart-<id>-<lang>-title` / `-desc`).
    pub svg_inline: String,
    /// Standalone `charts/<id>.<lang>.svg`: the same drawing with xmlns, a size and a `<style>`.
    pub svg_file: String,
    /// An accessible table of the plotted numbers.
    pub table_html: String,
    /// RFC 4180 CSV of the data, in the default language with raw numbers.
    pub csv: String,
    pub notes: Option<String>,
}

impl Chart {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The kind as written in charts.yaml (`bar`, `hbar`, …), for CSS classes.
    pub fn kind(&self) -> &'static str {
        self.kind.name()
    }

    /// The chart's sources: those it names, then those of the figures it plots, in first-use
    /// order, each once.
    pub fn source_ids(&self) -> Vec<String> {
        self.sources.clone()
    }

    /// The figures it plots, in first-use order, each once.
    pub fn figure_ids(&self) -> Vec<String> {
        self.figures.clone()
    }

    /// Draw the chart in `lang`. Pure: the same chart and language give the same bytes.
    pub fn render(&self, lang: &str) -> Rendered {
        let cx = self.context(lang);
        let plot = self.kind.plot();
        let title = self.title.of(lang).to_string();
        let desc = plot.desc(&cx);
        let (svg_inline, svg_file) = svg::render(
            &plot.scene(&cx),
            &svg::Labels {
                id: &format!("chart-{}-{lang}", self.id),
                title: &title,
                desc: &desc,
            },
        );
        let table = plot.table(&cx);
        let table_html = table.html(&title);
        let csv = plot.table(&self.context(&self.default_lang)).csv();
        Rendered {
            subtitle: self.subtitle.as_ref().map(|t| t.of(lang).to_string()),
            notes: self.notes.as_ref().map(|t| t.of(lang).to_string()),
            title,
            desc,
            svg_inline,
            svg_file,
            table_html,
            csv,
        }
    }

    fn context<'a>(&'a self, lang: &'a str) -> DrawContext<'a> {
        let text = |t: &Option<Text>| t.as_ref().map(|t| layout::clean(t.of(lang)));
        DrawContext {
            lang,
            notation: &self.notation,
            value_label: text(&self.value_label),
            category_label: text(&self.category_label),
        }
    }
}

/// What a kind needs to draw in one language.
pub(crate) struct DrawContext<'a> {
    pub lang: &'a str,
    /// How the chart's own numbers are written (its `format`, or its first figure's).
    pub notation: &'a Notation,
    pub value_label: Option<String>,
    pub category_label: Option<String>,
}

impl DrawContext<'_> {
    /// A value's label, long style: a figure as prose shows it (ranges included).
    pub fn label(&self, n: &Num) -> String {
        match &n.figure {
            Some(f) => f.display(self.lang),
            None => self.notation.format(n.value, self.lang, Style::Long),
        }
    }

    /// A value written in the chart's notation that is not a plotted figure (a remainder).
    pub fn amount(&self, v: f64, notation: &Notation) -> String {
        notation.format(v, self.lang, Style::Long)
    }

    /// Axis tick labels for `scale`: short style, without the unit (the axis title names it).
    pub fn ticks(&self, scale: &scale::Scale) -> Vec<String> {
        scale.tick_labels(&self.notation.without_unit(), self.lang)
    }

    /// Any other number, long style.
    pub fn number(&self, v: f64, fmt: NumFormat) -> String {
        numfmt::format(v, fmt, self.lang, Style::Long)
    }

    /// Author text in this language, whitespace collapsed.
    pub fn text(&self, t: &Text) -> String {
        layout::clean(t.of(self.lang))
    }
}

/// One plotted number and, when it came from figures.yaml, its figure.
#[derive(Debug, Clone)]
pub(crate) struct Num {
    pub value: f64,
    pub figure: Option<Figure>,
}

impl Num {
    /// Where the bar of this value starts: the bottom of a range (drawn floating, from low to
    /// high, never as if it were its top), else the scale's base.
    pub fn bar_start(&self, scale: &scale::Scale) -> f64 {
        match self.figure.as_ref().map(|f| f.value) {
            Some(crate::facts::FigureValue::Range([lo, _])) => scale.px(lo),
            _ => scale.base(),
        }
    }

    /// The raw value for CSV: `800000000`, `20-100` for a range.
    pub fn raw(&self) -> String {
        match &self.figure {
            Some(f) => f.machine(),
            None => numfmt::raw(self.value),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub name: Text,
    pub values: Vec<Num>,
}

/// What every kind provides.
pub(crate) trait Plot {
    /// The drawing, laid out for `cx.lang`.
    fn scene(&self, cx: &DrawContext) -> layout::Scene;
    /// One sentence reading the data.
    fn desc(&self, cx: &DrawContext) -> String;
    /// The plotted numbers as a table.
    fn table(&self, cx: &DrawContext) -> table::Table;
}

/// A chart's kind with the data it plots: one variant per kind's module.
#[derive(Debug, Clone)]
enum ChartKind {
    Bars(bar::Bars),
    Grouped(grouped::Grouped),
    Part(Box<part::Part>),
    Timeline(timeline::Timeline),
    Line(line::Line),
    Column(column::Column),
    Stacked(stacked::Stacked),
}

impl ChartKind {
    /// The kind as written in charts.yaml (`bar`, `hbar`, …).
    fn name(&self) -> &'static str {
        match self {
            ChartKind::Bars(b) if b.horizontal => "hbar",
            ChartKind::Bars(_) => "bar",
            ChartKind::Grouped(_) => "grouped",
            ChartKind::Part(_) => "part",
            ChartKind::Timeline(_) => "timeline",
            ChartKind::Line(_) => "line",
            ChartKind::Column(_) => "column",
            ChartKind::Stacked(_) => "stacked",
        }
    }

    fn plot(&self) -> &dyn Plot {
        match self {
            ChartKind::Bars(b) => b,
            ChartKind::Grouped(g) => g,
            ChartKind::Part(p) => p.as_ref(),
            ChartKind::Timeline(t) => t,
            ChartKind::Line(l) => l,
            ChartKind::Column(c) => c,
            ChartKind::Stacked(s) => s,
        }
    }
}
