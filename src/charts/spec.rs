//! `content/data/charts.yaml` as written: the serde shapes, before any checking. `check.rs` turns
//! them into validated charts. Fields that only some kinds use are all optional here, so a chart
//! with a misplaced field gets a clear error instead of serde's "unknown field".

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::numfmt::NumFormat;
use crate::text::Text;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChart {
    pub id: String,
    /// Checked by hand (not a serde enum) so an unknown kind is one error among all the others.
    pub kind: String,
    pub title: Text,
    #[serde(default)]
    pub subtitle: Option<Text>,
    #[serde(default)]
    pub format: Option<NumFormat>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub decimals: Option<u8>,
    #[serde(default)]
    pub unit: Option<Text>,
    #[serde(default)]
    pub value_label: Option<Text>,
    #[serde(default)]
    pub category_label: Option<Text>,
    #[serde(default)]
    pub scale: Option<String>,
    #[serde(default)]
    pub categories: Option<Vec<Text>>,
    /// A line chart's x values: years, dates (`2021-09`) or numbers.
    #[serde(default)]
    pub x: Option<Vec<RawValue>>,
    #[serde(default)]
    pub series: Option<Vec<RawSeries>>,
    #[serde(default)]
    pub total: Option<RawValue>,
    #[serde(default)]
    pub rest_label: Option<Text>,
    #[serde(default)]
    pub lanes: Option<Vec<Text>>,
    #[serde(default)]
    pub events: Option<Vec<RawEvent>>,
    #[serde(default)]
    pub notes: Option<Text>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeries {
    pub name: Text,
    #[serde(default)]
    pub values: Vec<RawValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    #[serde(default)]
    pub lane: usize,
    #[serde(default)]
    pub at: Option<RawValue>,
    #[serde(default)]
    pub start: Option<RawValue>,
    #[serde(default)]
    pub end: Option<RawValue>,
    pub label: Text,
}

/// A value as written: a number, the id of a figure in figures.yaml, or `null` (a gap in a
/// line).
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Number(f64),
    Figure(String),
    Missing,
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a figure id")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Figure(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Missing)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Missing)
            }
        }
        d.deserialize_any(V)
    }
}

/// The kinds of chart, as `kind:` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindName {
    Bar,
    Hbar,
    Grouped,
    Part,
    Timeline,
    Line,
    Column,
    Stacked,
}

impl KindName {
    pub const ALL: [(&'static str, KindName, &'static str); 8] = [
        ("bar", KindName::Bar, "vertical bars"),
        ("hbar", KindName::Hbar, "horizontal bars, for long labels"),
        (
            "grouped",
            KindName::Grouped,
            "two or more series side by side",
        ),
        ("part", KindName::Part, "parts of a whole"),
        (
            "timeline",
            KindName::Timeline,
            "spans and points on a year axis",
        ),
        (
            "line",
            KindName::Line,
            "series over time, labelled at their ends",
        ),
        (
            "column",
            KindName::Column,
            "vertical bars, grouped for several series",
        ),
        ("stacked", KindName::Stacked, "bars of parts per category"),
    ];

    pub fn parse(s: &str) -> Option<KindName> {
        Self::ALL.iter().find(|(n, ..)| *n == s).map(|(_, k, _)| *k)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, k, _)| *k == self).unwrap().0
    }

    /// "kinds: bar (vertical bars), hbar (…), …" for error help.
    pub fn list() -> String {
        let kinds: Vec<String> = Self::ALL
            .iter()
            .map(|(n, _, what)| format!("{n} ({what})"))
            .collect();
        format!("kinds: {}", kinds.join(", "))
    }

    pub fn has_categories(self) -> bool {
        !matches!(self, KindName::Timeline | KindName::Line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbers_or_ids() {
        let v: Vec<RawValue> = serde_yaml::from_str("[1, 2.5, -3, chatgpt-go, 1e6]").unwrap();
        assert_eq!(
            v,
            vec![
                RawValue::Number(1.0),
                RawValue::Number(2.5),
                RawValue::Number(-3.0),
                RawValue::Figure("chatgpt-go".into()),
                RawValue::Number(1e6),
            ]
        );
    }
}
