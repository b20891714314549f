//! The one pipeline `build`, `check` and `serve` share: a loaded [`Site`] taken to everything
//! rendered from it (charts drawn, markdown, the shared listings, every output file) and checked
//! (links, anchors, ids, what nothing uses). The three commands differ only in what they do with
//! the result: `build` writes the files, `check` prints the report, `serve` keeps them in memory.

use rayon::prelude::*;

use crate::check::{Checker, FileFindings, FileView, Report};
use crate::error::Error;
use crate::output::{Origin, OutFile, check_conflicts};
use crate::render::{self, Drawings, Keep, PageDoc, Shared};
use crate::site::Site;

/// A site rendered in memory and checked.
pub struct Rendered {
    /// Each chart drawn once per language.
    pub drawings: Drawings,
    /// Every page's rendered markdown, in the order of `site.pages`.
    pub docs: Vec<PageDoc>,
    /// The listings every template of a language sees.
    pub shared: Shared,
    /// Every output file, pages first.
    pub files: Vec<OutFile>,
    /// What the check of the rendered files found (errors and warnings), and the external
    /// links. Its errors stop a build unless broken links are allowed.
    pub report: Report,
    /// What the check found in each file on its own, sorted by output path: `serve` keeps it
    /// to check again only the files it renders again.
    pub(crate) findings: Vec<FileFindings>,
}

/// Render and check `site`. Errors that leave nothing to check (bad front matter, unknown
/// shortcodes, template errors, two sources writing one file) come back as `Err`, every one of
/// them; what the check finds in a rendered site is in [`Rendered::report`].
pub fn render(site: &Site) -> Result<Rendered, Error> {
    let streamed = render_each(site, Passes::Two(Keep::Everything), &|_| {}, |_| Ok(()), Ok)?;
    Ok(Rendered {
        drawings: streamed.drawings,
        docs: streamed.docs,
        shared: streamed.shared,
        files: streamed.kept,
        report: streamed.report,
        findings: streamed.findings,
    })
}

/// What [`render_each`] keeps.
pub struct Streamed<T> {
    pub drawings: Drawings,
    pub docs: Vec<PageDoc>,
    pub shared: Shared,
    pub kept: Vec<T>,
    pub report: Report,
    /// Each file's findings, sorted by output path (`serve` keeps them; a build frees them
    /// with the rest, off its main thread).
    pub(crate) findings: Vec<FileFindings>,
}

/// [`render`] without keeping the output files: each is handed to `emit` as soon as it is
/// rendered and checked (from rayon's threads, in any order), and only what `emit` returns is
/// kept, in `kept`, pages first in the order of `site.pages`. `prepare` gets every output path
/// before the first file is emitted. A build writes each file into its staging folder here, so
/// it never holds the whole rendered site. With [`Keep::Summaries`], `docs` hold no page's
/// HTML, table of contents or summary. `passes` says how often each page's markdown is
/// rendered; [`Passes::One`] only where [`render::one_pass_enough`]. `stage` is told when each
/// stage starts (for `build --timings` and the progress line).
pub fn render_each<T: Send>(
    site: &Site,
    passes: Passes,
    stage: &(dyn Fn(&str) + Sync),
    prepare: impl Fn(&mut dyn Iterator<Item = &str>) -> Result<(), Error> + Sync,
    emit: impl Fn(OutFile) -> Result<T, Error> + Sync,
) -> Result<Streamed<T>, Error> {
    run_passes(site, passes, stage, &prepare, &emit)
}

/// One output file done: what the check found in it, what `emit` returned, and, for a page
/// rendered in one pass, what the checks and the caller need of its markdown.
type Done<T> = ((FileFindings, T), Option<PageDoc>);

/// How many times each page's markdown is rendered.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Passes {
    /// Once, beside its template: nothing on one page comes from another page's markdown
    /// ([`render::one_pass_enough`]).
    One,
    /// Once for all pages, for the listings and checks (keeping what [`Keep`] says), then, if
    /// that kept only summaries, again beside each template.
    Two(Keep),
}

fn run_passes<T: Send>(
    site: &Site,
    passes: Passes,
    stage: &(dyn Fn(&str) + Sync),
    prepare: &(impl Fn(&mut dyn Iterator<Item = &str>) -> Result<(), Error> + Sync),
    emit: &(impl Fn(OutFile) -> Result<T, Error> + Sync),
) -> Result<Streamed<T>, Error> {
    stage("drawing charts");
    // The pages' folders are made while the listings are built: 10,000 pages are 10,000
    // folders, a system call each, and the kernel makes the folders of one folder one at a
    // time, so making them left a core idle for 10 to 20 ms. Every page's output path is known
    // already; one with a segment that is no name (`..`, empty) is left for the conflict check
    // below to report, and no folder is made for it, so nothing is made outside the staging
    // folder. The extras' folders are made once their paths are known.
    let (listed, page_dirs) = rayon::join(
        || -> Result<_, Error> {
            let drawings = render::draw_charts(&site.charts, &site.langs());
            stage("rendering markdown");
            let docs = match passes {
                Passes::One => render::titles_only(site),
                Passes::Two(keep) => render::render_all_markdown(site, &drawings, keep)?,
            };
            stage("building listings");
            let shared = Shared::new(site, &docs);
            Ok((drawings, docs, shared))
        },
        || {
            let named = |p: &&str| {
                p.split('/')
                    .all(|s| crate::output::bad_segment(s).is_none())
            };
            prepare(&mut site.pages.iter().map(|p| p.output.as_str()).filter(named))
        },
    );
    let (drawings, docs, shared) = listed?;
    let mut docs = docs;
    match passes {
        // Titles only, and the listings hold them now: each page brings its own markdown to
        // the check. Let go of before rendering (3.4 MB at 10,000 pages, held to the end).
        Passes::One => docs = Vec::new(),
        // The listings hold each summary now.
        Passes::Two(Keep::Summaries) => docs.iter_mut().for_each(PageDoc::keep_what_checks_need),
        Passes::Two(Keep::Everything) => {}
    }
    stage("planning outputs");
    // Every output path is known before any page is rendered: the pages' and the extras'.
    let (extras, extras_error) = match render::extra_files(site, &shared, &drawings) {
        Ok(files) => (files, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let page_from: Vec<Origin> = site
        .pages
        .iter()
        .map(|p| Origin::file(p.output_chosen_at()))
        .collect();
    let outputs = || {
        site.pages
            .iter()
            .zip(&page_from)
            .map(|(p, from)| (p.output.as_str(), from))
            .chain(extras.iter().map(|f| (f.path.as_str(), &f.from)))
    };
    if extras_error.is_none() {
        check_conflicts(outputs())?;
    }
    // A folder that could not be made is the cause of whatever fails after it (I/O errors win
    // over the others, as in `Error::collect`). With the extras broken, the pages are still
    // rendered for their own errors, into their folders: before those were made beside the
    // listings, every page failed to be written, and that was all a build said of a broken
    // 404 template.
    page_dirs?;
    if extras_error.is_none() {
        prepare(&mut extras.iter().map(|f| f.path.as_str()))?;
    }
    let writers: rustc_hash::FxHashMap<&str, &str> = outputs()
        .map(|(path, from)| (path, from.at.path.to_str().unwrap_or(path)))
        .collect();
    let checker = Checker::new(site, &docs, &writers);
    stage("rendering pages");
    let one = |f: OutFile,
               source: Option<&str>,
               doc: Option<&PageDoc>|
     -> Result<(FileFindings, T), Error> {
        let found = checker.file(FileView {
            source,
            doc,
            ..FileView::of(&f)
        });
        Ok((found, emit(f)?))
    };
    // Every page, then the extras (few and small: the 404 page, redirects, chart files, the
    // sitemap, copies), each result put straight into its slot in vectors made for them.
    // Collecting whole results first held 470 bytes a page more at the build's peak, and took
    // them apart on one core. Failures are set aside by index.
    let n = site.pages.len();
    let render_one = |i: usize| -> Result<Done<T>, Error> {
        let Some(page) = site.pages.get(i) else {
            return Ok((one(extras[i - n].clone(), None, None)?, None));
        };
        if passes == Passes::Two(Keep::Everything) {
            let out = render::render_page(site, &shared, page, &docs[i])?;
            return Ok((one(out, None, None)?, None));
        }
        let text = page.source()?;
        let mut doc = render::render_markdown_of(site, &drawings, page, &text)?;
        let out = render::render_page(site, &shared, page, &doc)?;
        let done = one(out, Some(&text), Some(&doc))?;
        let kept = (passes == Passes::One).then(|| {
            doc.keep_what_checks_need();
            doc
        });
        Ok((done, kept))
    };
    let failed = std::sync::Mutex::new(Vec::new());
    let files = n + extras.len();
    let mut found: Vec<Option<FileFindings>> = (0..files).map(|_| None).collect();
    let mut kept: Vec<Option<T>> = (0..files).map(|_| None).collect();
    let mut rendered_docs: Vec<Option<PageDoc>> = (0..files).map(|_| None).collect();
    found
        .par_iter_mut()
        .zip(kept.par_iter_mut())
        .zip(rendered_docs.par_iter_mut())
        .enumerate()
        .with_max_len(crate::PAGES_PER_TASK)
        .for_each(|(i, ((found, kept), doc))| match render_one(i) {
            Ok(((findings, t), d)) => (*found, *kept, *doc) = (Some(findings), Some(t), d),
            Err(e) => failed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((i, e)),
        });
    let mut failed = failed.into_inner().unwrap_or_else(|p| p.into_inner());
    failed.sort_by_key(|(i, _)| *i);
    let errors: Vec<Error> = failed
        .into_iter()
        .map(|(_, e)| e)
        .chain(extras_error)
        .collect();
    Error::collect(errors)?;
    // Nothing failed, so every slot is filled: taken out of their `Option`s where they lie
    // (`map_while` collects in place; `flatten` would copy them into new vectors).
    let mut found: Vec<FileFindings> = found.into_iter().map_while(|f| f).collect();
    let kept: Vec<T> = kept.into_iter().map_while(|k| k).collect();
    let rendered_docs: Vec<PageDoc> = match passes {
        Passes::One => rendered_docs.into_iter().map_while(|d| d).collect(),
        Passes::Two(_) => Vec::new(),
    };
    stage("checking links");
    // Each path once (`check_conflicts`): the unstable sort gives the one order, without the
    // stable sort's buffer.
    found.sort_unstable_by(|a, b| a.path().cmp(b.path()));
    // In one pass, the pages' markdown is what was rendered beside each page (the listings
    // had titles only); in two, the checker has it from the first pass.
    let one_pass = passes == Passes::One;
    let report = checker.finish(
        one_pass.then_some(rendered_docs.as_slice()),
        &found,
        &site.templates.texts,
    );
    let docs = if one_pass { rendered_docs } else { docs };
    Ok(Streamed {
        drawings,
        docs,
        shared,
        kept,
        report,
        findings: found,
    })
}
