//! explainer: a static site generator for data-driven explainer sites.

pub mod charts;
pub mod config;
pub mod error;
pub mod facts;
pub mod numfmt;
pub mod text;
pub mod yaml;

pub use error::{Error, Kind, Location, Result};
