//! Figures and the sources they come from: `content/data/figures.yaml` and
//! `content/data/sources.yaml`. Every number a page or chart prints can come from here, so it is
//! typed once, carries its source, and is formatted per language at the point of use.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Kind, did_you_mean};
use crate::numfmt::{self, NumFormat, Style};
use crate::text::Text;
use crate::yaml::{self, Spans};

/// A source as the article names it: a report, an outlet, a book, a survey, a statement.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// What kind of source: report, news, book, survey, statement, company, article …
    #[serde(default)]
    pub kind: Option<String>,
    /// Its name, as the article gives it.
    pub title: Text,
    #[serde(default)]
    pub author: Option<Text>,
    #[serde(default)]
    pub publisher: Option<Text>,
    /// The date as the article gives it ("2024-08", "January 5"), free-form.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

/// A figure's value: one number or a range such as 20–100.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Value {
    One(f64),
    Range([f64; 2]),
}

impl Value {
    /// The number a chart plots: the value, or the top of a range.
    pub fn number(&self) -> f64 {
        match self {
            Value::One(v) => *v,
            Value::Range([_, hi]) => *hi,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub value: Value,
    #[serde(default)]
    pub format: NumFormat,
    /// What the number measures, in every language of the site.
    pub label: Text,
    /// The sentence of the original article the figure comes from, verbatim.
    pub quote: String,
    /// The id of the source the article attributes the figure to.
    pub source: String,
    /// When the figure holds, as the article says ("2026-01").
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

impl Figure {
    /// The value as prose prints it in `lang`: `$1,200`, `8亿`, `$20–100`.
    pub fn display(&self, lang: &str) -> String {
        match self.value {
            Value::One(v) => numfmt::format(v, self.format, lang, Style::Long),
            Value::Range([lo, hi]) => numfmt::format_range(lo, hi, self.format, lang),
        }
    }

    /// The machine-readable value for `<data value>`: `800000000`, `20-100`.
    pub fn machine(&self) -> String {
        let n = |v: f64| {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", v as i64)
            } else {
                format!("{v}")
            }
        };
        match self.value {
            Value::One(v) => n(v),
            Value::Range([lo, hi]) => format!("{}-{}", n(lo), n(hi)),
        }
    }
}

/// All figures and sources, in file order, validated against each other.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every figure of `figures.yaml`, in file order.
    pub figures: Vec<Figure>,
    /// Every source of `sources.yaml`, in file order.
    pub sources: Vec<Source>,
    figure_index: HashMap<String, usize>,
    source_index: HashMap<String, usize>,
}

/// One data file's text and the path its errors name.
pub struct FileText<'a> {
    /// The file, as errors name it.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
}

impl Facts {
    /// The figure with this id.
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figure_index.get(id).map(|&i| &self.figures[i])
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_index.get(id).map(|&i| &self.sources[i])
    }

    /// An error for an unknown figure id, with the closest known one as a hint.
    pub fn unknown_figure_hint(&self, id: &str) -> String {
        did_you_mean(id, self.figures.iter().map(|f| f.id.as_str()))
            .unwrap_or_else(|| "figures are defined in content/data/figures.yaml".into())
    }

    /// What to say about an unknown source id: a close match, or where sources are listed.
    pub fn unknown_source_hint(&self, id: &str) -> String {
        did_you_mean(id, self.sources.iter().map(|s| s.id.as_str()))
            .unwrap_or_else(|| "sources are defined in content/data/sources.yaml".into())
    }

    /// Parse and cross-check both files (either may be absent). Reports every problem found.
    pub fn load(
        figures: Option<FileText>,
        sources: Option<FileText>,
        langs: &[String],
    ) -> Result<Facts, Error> {
        let mut facts = Facts::default();
        let mut errors = Vec::new();
        if let Some(f) = &sources {
            let list: Vec<Source> = yaml::parse(f.text, f.path, 1, Kind::Data)?;
            let spans = Spans::index(f.text, 1);
            for (i, s) in list.into_iter().enumerate() {
                let at = |field: &str| spans.locate(f.path, &format!("[{i}].{field}"));
                if facts.source_index.contains_key(&s.id) {
                    errors.push(Error::input(
                        Kind::Data,
                        at("id"),
                        format!("duplicate source id `{}`", s.id),
                    ));
                }
                check_text(&s.title, langs, || at("title"), "title", &mut errors);
                facts.source_index.insert(s.id.clone(), facts.sources.len());
                facts.sources.push(s);
            }
        }
        if let Some(f) = &figures {
            let list: Vec<Figure> = yaml::parse(f.text, f.path, 1, Kind::Data)?;
            let spans = Spans::index(f.text, 1);
            for (i, fig) in list.into_iter().enumerate() {
                let at = |field: &str| spans.locate(f.path, &format!("[{i}].{field}"));
                if facts.figure_index.contains_key(&fig.id) {
                    errors.push(Error::input(
                        Kind::Data,
                        at("id"),
                        format!("duplicate figure id `{}`", fig.id),
                    ));
                }
                if !valid_id(&fig.id) {
                    errors.push(
                        Error::input(
                            Kind::Data,
                            at("id"),
                            format!("`{}` is not a usable id", fig.id),
                        )
                        .with_help("use lowercase letters, digits and hyphens"),
                    );
                }
                let bad_number = match fig.value {
                    Value::One(v) => !v.is_finite(),
                    Value::Range([lo, hi]) => !lo.is_finite() || !hi.is_finite() || lo > hi,
                };
                if bad_number {
                    errors.push(Error::input(
                        Kind::Data,
                        at("value"),
                        "value must be a finite number or a range [low, high] with low ≤ high",
                    ));
                }
                if facts.source(&fig.source).is_none() {
                    errors.push(
                        Error::input(
                            Kind::Data,
                            at("source"),
                            format!("unknown source `{}`", fig.source),
                        )
                        .with_help(facts.unknown_source_hint(&fig.source)),
                    );
                }
                if fig.quote.trim().is_empty() {
                    errors.push(Error::input(
                        Kind::Data,
                        at("quote"),
                        "quote is empty: give the sentence of the article the figure comes from",
                    ));
                }
                check_text(&fig.label, langs, || at("label"), "label", &mut errors);
                facts
                    .figure_index
                    .insert(fig.id.clone(), facts.figures.len());
                facts.figures.push(fig);
            }
        }
        Error::collect(errors)?;
        Ok(facts)
    }
}

pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A per-language text must cover every language of the site, and only those.
pub fn check_text(
    text: &Text,
    langs: &[String],
    at: impl Fn() -> crate::error::Location,
    field: &str,
    errors: &mut Vec<Error>,
) {
    if let Some(missing) = text.missing(langs).first() {
        errors.push(
            Error::input(
                Kind::Data,
                at(),
                format!("`{field}` has no text for language `{missing}`"),
            )
            .with_help(format!("add `{missing}: …` to `{field}`")),
        );
    }
    if let Some(unknown) = text.unknown(langs).first() {
        errors.push(Error::input(
            Kind::Data,
            at(),
            format!("`{field}` has text for `{unknown}`, which is not a language of this site"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        vec!["en".into(), "zh".into()]
    }

    const SOURCES: &str = "- id: nyt\n  title: {en: The New York Times, zh: 《纽约时报》}\n";

    #[test]
    fn loads_and_formats() {
        let figs = "- id: tempus-per-case\n  value: 1200\n  format: usd\n  label: {en: per case, zh: 每例}\n  quote: 每个病例收取1200美元\n  source: nyt\n- id: claude-price\n  value: [20, 100]\n  format: usd\n  label: {en: a month, zh: 每月}\n  quote: 每月订阅收费20-100美元不等\n  source: nyt\n";
        let facts = Facts::load(
            Some(FileText {
                path: Path::new("figures.yaml"),
                text: figs,
            }),
            Some(FileText {
                path: Path::new("sources.yaml"),
                text: SOURCES,
            }),
            &langs(),
        )
        .unwrap();
        let f = facts.figure("tempus-per-case").unwrap();
        assert_eq!(f.display("en"), "$1,200");
        assert_eq!(f.display("zh"), "1200美元");
        assert_eq!(
            facts.figure("claude-price").unwrap().display("en"),
            "$20–100"
        );
        assert_eq!(facts.figure("claude-price").unwrap().machine(), "20-100");
    }

    #[test]
    fn reports_every_problem_with_position() {
        let figs = "- id: a\n  value: 1\n  label: {en: x}\n  quote: q\n  source: nty\n- id: a\n  value: 2\n  label: {en: x, zh: y}\n  quote: q\n  source: nyt\n";
        let err = Facts::load(
            Some(FileText {
                path: Path::new("figures.yaml"),
                text: figs,
            }),
            Some(FileText {
                path: Path::new("sources.yaml"),
                text: SOURCES,
            }),
            &langs(),
        )
        .unwrap_err();
        let all: Vec<String> = err.flatten().iter().map(|e| e.to_string()).collect();
        assert!(
            all.iter()
                .any(|m| m.starts_with("figures.yaml:3:10:")
                    && m.contains("no text for language `zh`")),
            "{all:?}"
        );
        assert!(
            all.iter()
                .any(|m| m.starts_with("figures.yaml:5:11:") && m.contains("did you mean `nyt`")),
            "{all:?}"
        );
        assert!(
            all.iter().any(
                |m| m.starts_with("figures.yaml:6:7:") && m.contains("duplicate figure id `a`")
            ),
            "{all:?}"
        );
    }
}
