//! Tests of the chart module against the fixtures in `fixtures/`.

mod errors;
mod render;

use std::path::Path;

use super::ChartSet;
use crate::Error;
use crate::facts::{Facts, FileText};

const FIGURES: &str = include_str!("fixtures/figures.yaml");
const SOURCES: &str = include_str!("fixtures/sources.yaml");
const CHARTS: &str = include_str!("fixtures/charts.yaml");

fn langs() -> Vec<String> {
    vec!["en".into(), "zh".into()]
}

fn facts() -> Facts {
    Facts::load(
        Some(FileText {
            path: Path::new("content/data/figures.yaml"),
            text: FIGURES,
        }),
        Some(FileText {
            path: Path::new("content/data/sources.yaml"),
            text: SOURCES,
        }),
        &langs(),
    )
    .expect("fixture facts load")
}

/// Load `text` as `content/data/charts.yaml`.
fn load(text: &str) -> Result<ChartSet, Error> {
    ChartSet::load(
        FileText {
            path: Path::new("content/data/charts.yaml"),
            text,
        },
        &langs(),
        &facts(),
    )
}

fn fixture() -> ChartSet {
    load(CHARTS).unwrap_or_else(|e| panic!("fixture charts load: {e}"))
}
