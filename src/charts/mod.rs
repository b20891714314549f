//! STUB (replaced by the charts branch): the API the core calls.
use crate::error::{Error, Kind, Location};
use crate::facts::{Facts, FileText};

pub struct ChartSet {
    charts: Vec<Chart>,
}
pub struct Chart {
    id: String,
}
pub struct Rendered {
    pub title: String,
    pub subtitle: Option<String>,
    pub desc: String,
    pub svg_inline: String,
    pub svg_file: String,
    pub table_html: String,
    pub csv: String,
    pub notes: Option<String>,
}
impl ChartSet {
    pub fn load(file: FileText, _langs: &[String], _facts: &Facts) -> Result<ChartSet, Error> {
        if file.text.trim() == "[]" {
            return Ok(ChartSet { charts: vec![] });
        }
        Err(Error::input(
            Kind::Chart,
            Location::file(file.path),
            "charts are not supported yet",
        ))
    }
    pub fn get(&self, id: &str) -> Option<&Chart> {
        self.charts.iter().find(|c| c.id == id)
    }
    pub fn iter(&self) -> impl Iterator<Item = &Chart> {
        self.charts.iter()
    }
}
impl Chart {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn kind(&self) -> &str {
        "bar"
    }
    pub fn source_ids(&self) -> Vec<String> {
        vec![]
    }
    pub fn figure_ids(&self) -> Vec<String> {
        vec![]
    }
    pub fn render(&self, _lang: &str) -> Rendered {
        unimplemented!()
    }
}
pub fn chart_css() -> &'static str {
    ""
}
