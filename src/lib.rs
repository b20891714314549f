//! explainer: a static site generator for data-driven explainer sites.
//!
//! A site is a folder: `site.yaml`, pages in `content/` (markdown with front matter and
//! shortcodes), data in `content/data/` (figures, sources, charts), Tera templates in
//! `templates/`, files in `static/`. [`build`] turns it into a folder of static HTML, with the
//! charts drawn as SVG at build time.
//!
//! # Stages
//!
//! Loading reads the folder and parses it into a [`Site`] (configuration, pages, data, figures,
//! charts, templates, the address book of every output path). [`render`] is the one pipeline
//! that `build`, `check` and `serve` share: it draws the charts, renders every page's markdown
//! and template, and checks the result, giving a [`Rendered`]: output files plus a report of
//! [`Diagnostic`]s. [`build`] then writes the files into a staging folder that replaces the
//! output only when everything succeeded; [`check::check_site`] prints the report;
//! [`session::Session`] keeps it in memory for [`serve`].
//!
//! Every problem in the input is a [`Diagnostic`] at a file, line and column, in the file's
//! own coordinates; a failed call returns an [`Error`] carrying all of them.
//!
//! # Example
//!
//! ```no_run
//! use explainer::{BuildOptions, LoadOptions, build};
//!
//! let report = build(&BuildOptions {
//!     root: "my-site".into(),
//!     output: None, // my-site/public
//!     load: LoadOptions::default(),
//!     allow_broken_links: false,
//! });
//! match report {
//!     Ok(r) => println!("{}", r.summary()),
//!     Err(e) => {
//!         for problem in e.flatten() {
//!             eprintln!("error: {problem}");
//!         }
//!     }
//! }
//! ```
//!
//! Loading and rendering without writing anything:
//!
//! ```no_run
//! use explainer::{LoadOptions, Site, render};
//!
//! let site = Site::load("my-site".as_ref(), &LoadOptions::default())?;
//! let rendered = render(&site)?;
//! for d in &rendered.report.diagnostics {
//!     println!("{}: {d}", d.severity);
//! }
//! # Ok::<(), explainer::Error>(())
//! ```
#![warn(missing_docs)]

mod build;
mod charts;
pub mod check;
mod config;
mod content;
mod data;
mod dates;
mod error;
mod escape;
mod facts;
#[doc(hidden)]
pub mod fuzzing;
mod highlight;
mod links;
mod load;
mod markdown;
mod math;
mod numfmt;
mod output;
mod pipeline;
mod render;
pub mod scaffold;
pub mod serve;
pub mod session;
mod shortcodes;
mod site;
mod template_help;
mod templates;
#[cfg(test)]
mod testing;
mod text;
mod yaml;

/// At most this many pages in one task of rayon's: its adaptive splitting otherwise leaves
/// pieces of an eighth of the site to one thread at the end, with the other core idle (45 ms of
/// a 10,000-page build's 650, in a profile of which thread ran when).
const PAGES_PER_TASK: usize = 16;

/// The same for files that take microseconds each (reading a page's head, parsing its front
/// matter, writing a file).
const FILES_PER_TASK: usize = 128;

pub use build::{BuildOptions, BuildReport, build, build_with_progress, human_bytes, is_output};
pub use config::Lang;
pub use error::{Diagnostic, Diagnostics, Error, Kind, Location, Result, Severity};
pub use facts::{Facts, FileText};
pub use links::{ContentPath, OutputPath};
pub use load::SiteFiles;
pub use markdown::options as markdown_options;
pub use output::{FileContent, OutFile};
pub use pipeline::{Rendered, render};
pub use site::{LoadOptions, Site};
pub use text::count;
