//! `explainer build`: load → parse → render → write, with the output swapped in only on success.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error, Kind, Location, Severity};
use crate::load::SiteFiles;
use crate::output::{self, OutputDir, Staging, WriteStats};
use crate::pipeline::{self, Passes};
use crate::render::Keep;
use crate::site::{LoadOptions, Site};
use crate::text::count;

/// What to build, and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Drafts, base URL.
    pub load: LoadOptions,
    /// Report broken internal links and anchors as warnings instead of failing the build.
    pub allow_broken_links: bool,
}

impl BuildOptions {
    /// Where the site is written: `output`, or `<root>/public`.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The output folder.
    pub output: PathBuf,
    /// Pages rendered.
    pub pages: usize,
    /// Data files read.
    pub data_files: usize,
    /// Static files copied.
    pub static_files: usize,
    /// Charts drawn (each in every language).
    pub charts: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// How long the build took.
    pub elapsed: Duration,
    /// Broken links let through by `allow_broken_links`, and what went wrong around the output
    /// folder without stopping the build, as warnings.
    pub warnings: Vec<Diagnostic>,
    /// Things worth knowing that need no fix (why no robots.txt was written).
    pub notes: Vec<String>,
}

impl BuildReport {
    /// The one summary line the CLI prints.
    pub fn summary(&self) -> String {
        format!(
            "built {}, {}, {}, {} → {} ({}, {}) in {}",
            count(self.pages, "page"),
            count(self.data_files, "data file"),
            count(self.charts, "chart"),
            count(self.static_files, "static file"),
            self.output.display(),
            count(self.files, "file"),
            human_bytes(self.bytes),
            human_duration(self.elapsed),
        )
    }
}

/// Build the site: load, render and check it through the one pipeline ([`crate::render`]), then write it into a staging
/// folder that replaces the output only if everything succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    build_with_progress(opts, &|_| {})
}

/// `build`, telling `stage` what it is doing ("loading", "rendering", "writing"). `stage` may be
/// called from any of the build's threads (the listings are built while the output folders are
/// made), one stage after another.
pub fn build_with_progress(
    opts: &BuildOptions,
    stage: &(dyn Fn(&str) + Sync),
) -> Result<BuildReport, Error> {
    build_holding(opts, stage, crate::load::HELD_TEXT)
}

/// [`build_with_progress`], holding at most `hold` bytes of pages' text from their reading to
/// their rendering (the others are read again then).
fn build_holding(
    opts: &BuildOptions,
    stage: &(dyn Fn(&str) + Sync),
    hold: usize,
) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let out = opts.output_dir();
    let target = OutputDir::prepare(&opts.root, &out)?;
    stage("reading");
    // Of each page only its front matter, unless it fits in what may be held: the build reads
    // the other pages' markdown when it renders them, so it never holds every page's text of a
    // large site, and memory freed by one page is reused by the next.
    let files = SiteFiles::read_front_matter_holding(&opts.root, hold)?;
    stage("parsing");
    let mut site = Site::from_files(files, &opts.load)?;
    // `--allow-broken-links` or `links: {allow_broken: true}`: link errors found while
    // rendering and by the check below are warnings.
    site.config.links.allow_broken |= opts.allow_broken_links;
    // Two passes read each page not held twice: both must see the same file, which is known by
    // its digest, taken from a whole reading.
    let pin = |site: &mut Site| {
        stage("reading whole pages");
        site.pin_texts()
    };
    let one_pass = site.renders_markdown_once();
    if !one_pass {
        pin(&mut site)?;
    }
    // Each page is written into the staging folder as soon as it is rendered and checked, so
    // memory does not grow with the size of the output; the staging folder is swapped in only if
    // everything (the link check included) succeeded, and removed otherwise.
    let staging = Staging::begin(&target)?;
    let render = |site: &Site, passes| {
        pipeline::render_each(
            site,
            passes,
            stage,
            |paths| staging.make_dirs(paths),
            |f| staging.write(&f),
        )
    };
    let two_passes = Passes::Two(Keep::Summaries);
    let streamed = match one_pass {
        false => render(&site, two_passes)?,
        true => match render(&site, Passes::One) {
            Ok(s) => s,
            // Report the errors exactly as `check` and `serve` do: every page read whole first
            // (a body that cannot be read is reported alone, as reading reports it), then the
            // markdown of every page before the template errors it would cause.
            Err(_) => {
                pin(&mut site)?;
                render(&site, two_passes)?
            }
        },
    };
    let report = &streamed.report;
    let mut warnings: Vec<Diagnostic> = streamed
        .docs
        .iter()
        .flat_map(|d| d.doc.warnings.iter().cloned())
        .collect();
    if site.config.links.allow_broken {
        warnings.extend(report.errors().map(|d| Diagnostic {
            severity: Severity::Warning,
            ..d.clone()
        }));
    } else {
        report.to_error()?;
    }
    stage("replacing the output");
    let mut stats = WriteStats::default();
    for bytes in &streamed.kept {
        stats.add(*bytes);
    }
    let written = staging.finish(stats)?;
    warnings.extend(
        written
            .warnings
            .into_iter()
            .map(|w| Diagnostic::warning(Kind::Output, Location::file(&out), w)),
    );
    let stats = written.stats;
    let report = BuildReport {
        output: out,
        pages: site.pages.len(),
        data_files: site.data_files.len(),
        static_files: site.statics.len(),
        charts: site.charts.iter().count(),
        files: stats.files,
        bytes: stats.bytes,
        elapsed: started.elapsed(),
        warnings,
        notes: site
            .config
            .base_url
            .as_deref()
            .and_then(crate::render::robots_note)
            .into_iter()
            .collect(),
    };
    stage("freeing memory");
    // Millions of small allocations: freeing them took 90 to 160 ms of a 10,000-page build,
    // after the site was written. A thread frees them while the caller goes on (the command
    // line exits, which ends it; a library caller gets the memory back moments later).
    // If no thread can be started, the closure, and the memory with it, is dropped right here.
    let garbage = (site, streamed);
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(garbage));
    Ok(report)
}

/// `512 B`, `1.5 KB`, `2.3 MB`.
pub fn human_bytes(b: u64) -> String {
    match b {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

pub fn human_duration(d: Duration) -> String {
    if d.as_secs() >= 1 {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// Whether `path` is an output folder a build wrote (it carries the marker).
pub fn is_output(path: &Path) -> bool {
    path.join(output::MARKER).exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Extent;

    /// Pages held from their first reading and pages read again when rendered make the same
    /// site, whichever pages the budget holds: none, some, or all.
    #[test]
    fn held_and_reread_pages_build_the_same_site() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut one_pass = 0;
        for site in [".", "docs", "tests/sites/book", "tests/sites/numbers"] {
            let root = repo.join(site);
            let whole: usize = SiteFiles::read(&root)
                .unwrap()
                .pages
                .iter()
                .map(|p| p.text.len())
                .sum();
            let extents = |hold| -> Vec<Extent> {
                SiteFiles::read_front_matter_holding(&root, hold)
                    .unwrap()
                    .pages
                    .iter()
                    .map(|p| p.extent)
                    .collect()
            };
            assert!(extents(0).iter().all(|e| *e == Extent::Head), "{site}");
            assert!(extents(whole).iter().all(|e| *e == Extent::Whole), "{site}");
            let some = extents(whole / 2);
            assert!(some.contains(&Extent::Head) && some.contains(&Extent::Whole));
            let files = SiteFiles::read(&root).unwrap();
            if Site::from_files(files, &LoadOptions::default())
                .unwrap()
                .renders_markdown_once()
            {
                one_pass += 1;
            }
            let dir = tempfile::tempdir().unwrap();
            let built: Vec<_> = [0, whole / 2, whole]
                .into_iter()
                .map(|hold| {
                    let out = dir.path().join(format!("out-{hold}"));
                    let opts = BuildOptions {
                        root: root.clone(),
                        output: Some(out.clone()),
                        ..Default::default()
                    };
                    build_holding(&opts, &|_| {}, hold).unwrap();
                    crate::testing::snapshot(&out)
                })
                .collect();
            assert!(built[0].len() > 3, "{site}");
            assert!(built[0] == built[1] && built[1] == built[2], "{site}");
        }
        // Both ways of rendering a page's markdown are covered.
        assert!(one_pass > 0 && one_pass < 4, "{one_pass}");
    }
}
