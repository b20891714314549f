//! The parsed site: configuration, pages, data, figures, charts (checked, not yet drawn),
//! templates (loaded once) and the address book of every output path: what rendering needs,
//! and nothing rendered. `render` turns it into output; `serve` keeps one in memory between
//! rebuilds.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use crate::charts::{ChartFile, ChartSet, file_path};
use crate::config::{Config, Lang};
use crate::content::{self, Page, display_path};
use crate::error::{Error, Kind, Location};
use crate::facts::{Facts, FileText};
use crate::links::{AddressBook, OutputPath};
use crate::load::{Extent, SiteFiles, TextFile};
use crate::templates::Templates;

/// Data files with a meaning to the generator; all data files are also `data.<stem>`.
pub const FIGURES: &str = "figures";
pub const SOURCES: &str = "sources";
pub const CHARTS: &str = "charts";

#[derive(Debug, Clone, Default)]
/// How to load a site.
pub struct LoadOptions {
    /// Include pages with `draft: true`.
    pub drafts: bool,
    /// Replace `base_url` from site.yaml (`--base-url`).
    pub base_url: Option<String>,
}

/// A site loaded and parsed, ready to render: see the module docs.
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    /// `site.yaml`.
    pub config: Config,
    /// Every page to build (drafts only with `--drafts`), in file order.
    pub pages: Vec<Page>,
    /// Files beside the pages in `content/`, relative to it.
    pub assets: Vec<String>,
    /// Files in `static/`, relative to it.
    pub statics: Vec<String>,
    /// `data.<stem>` for templates, built once and shared by every render.
    pub data: Value,
    /// The data files read, relative to `content/data/`.
    pub data_files: Vec<String>,
    /// Figures and sources.
    pub facts: Arc<Facts>,
    /// Charts, checked (drawn when rendering).
    pub charts: Arc<ChartSet>,
    /// The address book: every page, asset, static and generated file, by its output path.
    pub links: Arc<AddressBook>,
    /// The templates, with built-in defaults.
    pub templates: Templates,
    /// Errors of pages that could not be read (bad front matter). The rest of the site still
    /// renders, to report its errors too, but a site with broken pages never writes output.
    pub broken: Vec<Error>,
}

impl Site {
    /// Read and parse the site at `root`, reporting every problem found.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Site, Error> {
        let files = SiteFiles::read(root)?;
        Site::from_files(files, opts)
    }

    /// Parse `files`, already read, reporting every problem found.
    pub fn from_files(mut files: SiteFiles, opts: &LoadOptions) -> Result<Site, Error> {
        let root = files.root.clone();
        let config_file = files.config.as_ref().expect("read() requires site.yaml");
        let mut config = Config::parse(&config_file.text, &config_file.file)?;
        if let Some(url) = &opts.base_url {
            config.base_url = Some(if url.ends_with('/') {
                url.clone()
            } else {
                format!("{url}/")
            });
        }
        if config.feed && config.base_url.is_none() {
            return Err(Error::input(
                Kind::Config,
                crate::yaml::Spans::index(&config_file.text, 1).locate(&config_file.file, "feed"),
                "`feed: true` needs `base_url`: a feed's links must be absolute",
            )
            .with_help("set `base_url: https://…/` in site.yaml or build with `--base-url`"));
        }
        let langs = config.codes();
        let texts = std::mem::take(&mut files.pages);
        let data_texts = &files.data;
        // Each page takes its file's text over: a copy would double the memory of the sources.
        // The data files (figures, charts, the rest) are read on one thread while the pages'
        // front matter is parsed on the others: they do not depend on each other.
        let (parsed, loaded) = rayon::join(
            // A page that fails to parse keeps its paths, for a placeholder in the links.
            || -> Vec<Result<Page, (Error, PathBuf, String)>> {
                texts
                    .into_par_iter()
                    .with_max_len(crate::FILES_PER_TASK)
                    .map(|f| {
                        let TextFile {
                            rel,
                            file,
                            text,
                            extent,
                        } = f;
                        let parsed = content::parse_page(file.clone(), &rel, text, &config);
                        match extent {
                            Extent::Head => parsed.map(Page::read_as_head),
                            Extent::Whole => parsed,
                        }
                        .map_err(|e| (e, file, rel))
                    })
                    .collect()
            },
            || {
                // The data as templates see it, beside the figures and charts the generator
                // reads (the figures file is read both ways).
                let (loaded, facts_and_charts) = rayon::join(
                    || crate::data::load(data_texts),
                    || facts_and_charts(data_texts, &langs),
                );
                let mut errors = Vec::new();
                let (data, data_files) = match loaded {
                    Ok(d) => d,
                    Err(e) => {
                        errors.push(e);
                        (Value::from(tera::Map::new()), Vec::new())
                    }
                };
                facts_and_charts.map(|(facts, c, more)| {
                    errors.extend(more);
                    (data, data_files, facts, c, errors)
                })
            },
        );
        let (data, data_files, facts, chart_set, errors) = loaded?;
        let mut broken = Vec::new();
        let mut placeholders = Vec::new();
        // Filtered where they lie (an in-place collect), not copied into a new vector: 10,000
        // pages are 4.6 MB, moved on one core into memory touched for the first time.
        let pages: Vec<Page> = parsed
            .into_iter()
            .filter_map(|p| match p {
                Ok(p) if p.meta.draft && !opts.drafts => None,
                Ok(p) => Some(p),
                Err((e, file, rel)) => {
                    broken.push(e);
                    placeholders.push(content::placeholder(file, &rel, &config));
                    None
                }
            })
            .collect();

        // Stop here if the inputs are broken: later stages would only report knock-on errors.
        Error::collect(errors)?;

        let links = Arc::new(
            AddressBook::new(
                &config,
                pages.iter().chain(&placeholders),
                &files.assets,
                &files.statics,
            )
            .with_generated(generated_files(&chart_set, &langs))
            .with_generated(publishing_files(&config)),
        );
        let facts = Arc::new(facts);
        let templates = Templates::load(
            &root,
            &files.templates,
            links.clone(),
            facts.clone(),
            config.default_lang(),
        )?;
        check_templates_exist(&pages, &templates)?;
        Ok(Site {
            root,
            config,
            pages,
            assets: files.assets,
            statics: files.statics,
            data,
            data_files,
            facts,
            charts: Arc::new(chart_set),
            links,
            templates,
            broken,
        })
    }

    /// [`Page::pin_file`] for every page, before a build renders them twice. An unreadable or
    /// non-UTF-8 page is reported as reading the site reports it, every one of them.
    pub fn pin_texts(&mut self) -> Result<(), Error> {
        let read: Vec<Result<(), Error>> = self.pages.par_iter_mut().map(Page::pin_file).collect();
        Error::all_ok(read, Vec::new()).map(|_| ())
    }

    /// Whether a build renders each page's markdown only once, beside its template: when no
    /// page shows what another page's markdown makes (its summary, word count, or what it uses)
    /// and every page has a front-matter title. Otherwise a build renders every page's markdown
    /// first, for the listings, and again beside each template.
    pub fn renders_markdown_once(&self) -> bool {
        crate::render::one_pass_enough(self)
    }

    /// Which of a page's word count, summary and table of contents anything shows: what the
    /// templates may show ([`crate::templates::Templates::shown`]), and summaries in a feed.
    pub fn shown(&self) -> crate::markdown::Shown {
        let t = self.templates.shown();
        crate::markdown::Shown {
            summary: t.summary || self.config.feed,
            ..t
        }
    }

    /// Languages in site order, default first.
    pub fn langs(&self) -> Vec<Lang> {
        self.config.langs().collect()
    }

    /// How to name the file at `rel` (relative to the site) in messages.
    pub fn display(&self, rel: &str) -> PathBuf {
        display_path(&self.root, rel)
    }
}

/// Output files the build writes for charts: `charts/<id>.<lang>.svg`, `charts/<id>.csv` and,
/// when there are charts, the stylesheet they need, `charts/charts.css`.
pub fn generated_files(set: &ChartSet, langs: &[String]) -> Vec<OutputPath> {
    let mut out = Vec::new();
    for c in set.iter() {
        out.extend(
            langs
                .iter()
                .map(|l| OutputPath::new(file_path(c.id(), ChartFile::Svg(l)))),
        );
        out.push(OutputPath::new(file_path(c.id(), ChartFile::Csv)));
    }
    if !out.is_empty() {
        out.push(OutputPath::new(CHARTS_CSS));
    }
    out
}

/// Output files the build writes for every site: the highlighting stylesheet and, with
/// `feed: true`, each language's Atom feed.
fn publishing_files(config: &Config) -> Vec<OutputPath> {
    let mut out = vec![OutputPath::new(crate::highlight::CSS_PATH)];
    if config.feed {
        out.extend(
            config
                .languages
                .iter()
                .map(|l| OutputPath::new(crate::render::feed_path(&l.prefix))),
        );
    }
    out
}

/// Where the charts' stylesheet is written.
pub const CHARTS_CSS: &str = "charts/charts.css";

/// Every page's template must exist: say which page asked for which missing template.
fn check_templates_exist(pages: &[Page], templates: &Templates) -> Result<(), Error> {
    let mut errors = Vec::new();
    for p in pages {
        let name = p.template();
        if !templates.has(&name) {
            let at = if p.meta.template.is_some() {
                let fm_end = p.body.start;
                let line = p.text[..fm_end]
                    .lines()
                    .position(|l| l.starts_with("template:"))
                    .map_or(1, |i| i + 1);
                Location::at(&p.file, line, 1)
            } else {
                Location::file(&p.file)
            };
            let mut known: Vec<&str> = templates
                .names()
                .filter(|n| !n.starts_with("shortcodes/"))
                .collect();
            known.sort();
            errors.push(
                Error::input(
                    Kind::Template,
                    at,
                    format!("template `{name}` does not exist"),
                )
                .with_help(format!(
                    "create templates/{name}; templates found: {}",
                    known.join(", ")
                )),
            );
        }
    }
    Error::collect(errors)
}

/// The figures, sources and charts of `data` (the data files), checked, and the problems found
/// in them (an `Err` only for a failure that is not the site's).
fn facts_and_charts(
    data: &[TextFile],
    langs: &[String],
) -> Result<(Facts, ChartSet, Vec<Error>), Error> {
    let mut errors = Vec::new();
    // figures, sources and charts are read by the generator, which reads YAML (JSON is YAML
    // too).
    for f in data {
        let stem = crate::data::stem(&f.rel);
        if [FIGURES, SOURCES, CHARTS].contains(&stem)
            && (f.rel.ends_with(".toml") || f.rel.ends_with(".csv"))
        {
            errors.push(
                Error::input(
                    Kind::Data,
                    Location::file(&f.file),
                    format!("`{stem}` must be a YAML (or JSON) file"),
                )
                .with_help(format!(
                    "write content/data/{stem}.yaml; other data can be TOML or CSV"
                )),
            );
        }
    }
    let find = |stem: &str| data.iter().find(|f| crate::data::stem(&f.rel) == stem);
    fn as_file(f: &TextFile) -> FileText<'_> {
        FileText {
            path: &f.file,
            text: &f.text,
        }
    }
    let facts = match Facts::load(
        find(FIGURES).map(as_file),
        find(SOURCES).map(as_file),
        langs,
    ) {
        Ok(f) => f,
        Err(e) => {
            errors.push(e);
            Facts::default()
        }
    };
    let chart_set = match find(CHARTS) {
        Some(f) => match ChartSet::load(as_file(f), langs, &facts) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        None => None,
    };
    let chart_set = match chart_set {
        Some(c) => Ok(c),
        None => ChartSet::load(
            FileText {
                path: Path::new(""),
                text: "[]",
            },
            langs,
            &facts,
        ),
    };
    chart_set.map(|c| (facts, c, errors))
}
