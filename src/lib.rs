//! explainer: a static site generator for data-driven explainer sites.
//!
//! The pipeline runs one way, one module per stage: `load` reads the folder, `config`,
//! `content`, `facts`, `charts` and `templates` parse it into a `site::Site`, `render` turns
//! that into output files (with `markdown` and `shortcodes`), and `output` writes them.

pub mod build;
pub mod charts;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod escape;
pub mod facts;
pub mod links;
pub mod load;
pub mod markdown;
pub mod numfmt;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod shortcodes;
pub mod site;
pub mod templates;
pub mod text;
pub mod yaml;

pub use build::{BuildOptions, BuildReport, build, build_with_progress};
pub use error::{Diagnostic, Error, Kind, Location, Result, Severity};
