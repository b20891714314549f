//! Build-time charts: `content/data/charts.yaml` → one SVG per chart per language, plus a data
//! table, a CSV and a one-sentence description that reads the data.
//!
//! Pipeline: `spec` (serde shapes) → `check` (every problem reported at its line:column) →
//! a `Chart` holding one of the kinds (`bar`, `grouped`, `part`, `timeline`, `line`, `column`,
//! `stacked`, behind the `Plot` trait) → `Chart::render`, where the kind lays out a
//! `layout::Scene`, `svg` draws it with plotters and rewrites the output for the page, and
//! `table` writes the table and CSV.

mod bar;
mod check;
mod column;
mod css;
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

use crate::error::{Error, Kind};
use crate::facts::{Facts, Figure, FileText};
use crate::numfmt::{self, Notation, NumFormat, Style};
use crate::text::Text;
use crate::yaml::{self, Spans};

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
        let spans = Spans::index(file.text, 1);
        let charts = check::check(raw, file.path, &spans, langs, facts)?;
        Ok(ChartSet { charts })
    }

    pub fn get(&self, id: &str) -> Option<&Chart> {
        self.charts.iter().find(|c| c.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Chart> {
        self.charts.iter()
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
    body: Body,
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
        match &self.body {
            Body::Bars(b) if b.horizontal => "hbar",
            Body::Bars(_) => "bar",
            Body::Grouped(_) => "grouped",
            Body::Part(_) => "part",
            Body::Timeline(_) => "timeline",
            Body::Line(_) => "line",
            Body::Column(_) => "column",
            Body::Stacked(_) => "stacked",
        }
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
        let cx = self.cx(lang);
        let plot = self.body.plot();
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
        let csv = plot.table(&self.cx(&self.default_lang)).csv();
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

    fn cx<'a>(&'a self, lang: &'a str) -> Cx<'a> {
        let text = |t: &Option<Text>| t.as_ref().map(|t| layout::clean(t.of(lang)));
        Cx {
            lang,
            notation: &self.notation,
            value_label: text(&self.value_label),
            category_label: text(&self.category_label),
        }
    }
}

/// What a kind needs to draw in one language.
pub(crate) struct Cx<'a> {
    pub lang: &'a str,
    /// How the chart's own numbers are written (its `format`, or its first figure's).
    pub notation: &'a Notation,
    pub value_label: Option<String>,
    pub category_label: Option<String>,
}

impl Cx<'_> {
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
            None => raw_number(self.value),
        }
    }
}

pub(crate) use crate::numfmt::raw as raw_number;

#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub name: Text,
    pub values: Vec<Num>,
}

/// What every kind provides.
pub(crate) trait Plot {
    /// The drawing, laid out for `cx.lang`.
    fn scene(&self, cx: &Cx) -> layout::Scene;
    /// One sentence reading the data.
    fn desc(&self, cx: &Cx) -> String;
    /// The plotted numbers as a table.
    fn table(&self, cx: &Cx) -> table::Table;
}

#[derive(Debug, Clone)]
enum Body {
    Bars(bar::Bars),
    Grouped(grouped::Grouped),
    Part(Box<part::Part>),
    Timeline(timeline::Timeline),
    Line(line::Line),
    Column(column::Column),
    Stacked(stacked::Stacked),
}

impl Body {
    fn plot(&self) -> &dyn Plot {
        match self {
            Body::Bars(b) => b,
            Body::Grouped(g) => g,
            Body::Part(p) => p.as_ref(),
            Body::Timeline(t) => t,
            Body::Line(l) => l,
            Body::Column(c) => c,
            Body::Stacked(s) => s,
        }
    }
}
