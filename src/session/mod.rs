//! A site kept in memory between rebuilds, for `serve`: each change redoes only what it touches.
//!
//! - a page whose body changed: its markdown and its page; the pages of its language too if
//!   what listings show of it (title, summary, word count, what it cites) changed;
//! - a page added, removed, or with changed front matter: the whole site re-parsed from memory;
//! - a data file: the pages whose templates or shortcodes read it (figures, sources, charts:
//!   the pages that use them);
//! - a template: the pages whose template chain (extends/include) or shortcodes use it;
//! - a static file: nothing to render (served from disk), unless one was added or removed;
//! - `site.yaml`: everything.
//!
//! The link check of a partial rebuild checks the files it rendered again and keeps what it
//! found in the others; the checks across files (anchors into other files, pages nothing links
//! to) run over the whole site, as `check` runs them.
//!
//! A failed rebuild changes nothing: the last good output keeps being served, and the failed
//! files are retried with the next change.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{Checker, FileFindings, FileView, Outputs, Report};
use crate::content::{self, Page};
use crate::error::Error;
use crate::load::{SiteFiles, TextFile, read_text};
use crate::output::{FileContent, OutFile};
use crate::pipeline;
use crate::render::{self, Drawings, PageDoc, Shared, render_pages};
use crate::site::{CHARTS, FIGURES, LoadOptions, SOURCES, Site};

mod deps;
use deps::{ListingUse, TemplateDeps};

/// What is served for one output path.
#[derive(Debug, Clone)]
pub enum Served {
    /// Rendered in memory.
    Bytes(Arc<[u8]>),
    /// A static file or colocated asset, served straight from the site folder.
    File(PathBuf),
}

/// One output file as kept between rebuilds.
#[derive(Debug)]
struct Output {
    served: Served,
    /// What writes it (a page's file, a template): where the check reports a problem in it that
    /// no markdown line explains, as a build reports it.
    from: Box<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How much of the site a rebuild redid.
pub enum Scope {
    /// Nothing needed rendering (a static file changed in place, or nothing relevant).
    Nothing,
    /// Some pages were rendered again.
    Partial,
    /// The whole site was parsed and rendered again.
    Full,
}

#[derive(Debug, Clone)]
/// What one rebuild did.
pub struct Rebuild {
    /// How much was redone.
    pub scope: Scope,
    /// Pages whose HTML was rendered again.
    pub pages_rendered: usize,
    /// Output paths whose content changed (or appeared, or vanished).
    pub changed: Vec<String>,
    /// How long it took.
    pub elapsed: Duration,
}

/// A site loaded and rendered in memory, for `serve`: see the module docs.
pub struct Session {
    opts: LoadOptions,
    files: SiteFiles,
    site: Site,
    drawings: Drawings,
    docs: Vec<PageDoc>,
    shared: Shared,
    /// What the check of the site as served found.
    report: Report,
    /// What the check found in each served file on its own, sorted by output path: a partial
    /// rebuild checks again only the files it renders again, then the checks across files.
    findings: Vec<FileFindings>,
    outputs: HashMap<String, Output>,
    /// Files whose last rebuild failed: retried with every later change until they succeed.
    pending: BTreeSet<PathBuf>,
}

/// Files read again for one rebuild, kept apart from [`Session::files`] until the rebuild
/// succeeds: a failed rebuild changes nothing, and no rebuild copies every file of the site to
/// make sure of it. Each entry is a path and its new text (`None`: it is gone) or whether it
/// exists.
#[derive(Debug, Default, Clone)]
struct Reread {
    pages: Vec<(String, Option<TextFile>)>,
    data: Vec<(String, Option<TextFile>)>,
    templates: Vec<(String, Option<TextFile>)>,
    statics: Vec<(String, bool)>,
    assets: Vec<(String, bool)>,
}

impl Reread {
    /// Put the files read again into `files`.
    fn apply(self, files: &mut SiteFiles) {
        for (list, changed) in [
            (&mut files.pages, self.pages),
            (&mut files.data, self.data),
            (&mut files.templates, self.templates),
        ] {
            for (rel, file) in changed {
                put(list, &rel, file);
            }
        }
        for (list, changed) in [
            (&mut files.statics, self.statics),
            (&mut files.assets, self.assets),
        ] {
            for (rel, exists) in changed {
                put_path(list, &rel, exists);
            }
        }
    }
}

/// A change, by the kind of file it touched.
#[derive(Debug, Default)]
struct Changes {
    config: bool,
    pages: BTreeSet<String>,
    data: BTreeSet<String>,
    templates: BTreeSet<String>,
    statics: BTreeSet<String>,
    assets: BTreeSet<String>,
}

impl Session {
    /// Load and render the whole site into memory.
    pub fn open(root: &Path, opts: LoadOptions) -> Result<Session, Error> {
        let files = SiteFiles::read(root)?;
        let site = Site::from_files(files.clone(), &opts)?;
        let rendered = pipeline::render(&site)?;
        let outputs = served_all(&rendered.files);
        Ok(Session {
            opts,
            files,
            site,
            drawings: rendered.drawings,
            docs: rendered.docs,
            shared: rendered.shared,
            report: rendered.report,
            findings: rendered.findings,
            outputs,
            pending: BTreeSet::new(),
        })
    }

    /// What the check of the site as now served found (the same report `check` prints).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Check the served files again (links, anchors, ids), as `check` and `build` would: each
    /// file in `redone` (rendered again) on its own, then the checks across files (an anchor
    /// another file points at may be gone). The other files' findings still hold: their text,
    /// their page's markdown and the set of output paths are as when they were checked.
    fn recheck(&mut self, redone: &[String]) {
        let outputs = &self.outputs;
        let checker = Checker::new(&self.site, &self.docs, outputs);
        let check = |(path, o): (&String, &Output)| checker.file(view(path, o));
        let mut all_again = self.findings.len() != outputs.len();
        if !all_again {
            let fresh: Vec<FileFindings> = redone
                .par_iter()
                .filter_map(|p| outputs.get_key_value(p.as_str()))
                .map(check)
                .collect();
            for f in fresh {
                match self
                    .findings
                    .binary_search_by(|old| old.path().cmp(f.path()))
                {
                    Ok(i) => self.findings[i] = f,
                    // A file that was not served before: check them all.
                    Err(_) => {
                        all_again = true;
                        break;
                    }
                }
            }
        }
        if all_again {
            self.findings = outputs.par_iter().map(check).collect();
            self.findings.sort_by(|a, b| a.path().cmp(b.path()));
        }
        self.report = checker.finish(None, &self.findings, &self.site.templates.texts);
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.files.root
    }

    /// The site as last loaded.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// What is served at `path` (output-relative, `/`-separated, e.g. `zh/index.html`).
    pub fn get(&self, path: &str) -> Option<&Served> {
        self.outputs.get(path).map(|o| &o.served)
    }

    /// Every output path served.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.outputs.keys().map(String::as_str)
    }

    /// Rebuild after `changed` files (absolute, or relative to the current folder). On error,
    /// nothing changes and the files are retried next time.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuild, Error> {
        let started = Instant::now();
        let mut all: BTreeSet<PathBuf> = self.pending.clone();
        all.extend(changed.iter().cloned());
        let result = self.apply(&all);
        match result {
            Ok((scope, pages_rendered, changed)) => {
                self.pending.clear();
                Ok(Rebuild {
                    scope,
                    pages_rendered,
                    changed,
                    elapsed: started.elapsed(),
                })
            }
            Err(e) => {
                self.pending = all;
                Err(e)
            }
        }
    }

    fn classify(&self, paths: &BTreeSet<PathBuf>) -> Changes {
        let root = absolute(&self.files.root);
        let mut c = Changes::default();
        for p in paths {
            let abs = absolute(p);
            let Ok(rel) = abs.strip_prefix(&root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.split('/').any(crate::load::is_ignored) {
                continue;
            }
            if rel == "site.yaml" {
                c.config = true;
            } else if let Some(r) = rel.strip_prefix("content/data/") {
                if crate::data::is_data_file(r) {
                    c.data.insert(r.to_string());
                }
            } else if let Some(r) = rel.strip_prefix("content/") {
                if r.ends_with(".md") {
                    c.pages.insert(r.to_string());
                } else {
                    c.assets.insert(r.to_string());
                }
            } else if let Some(r) = rel.strip_prefix("templates/") {
                c.templates.insert(r.to_string());
            } else if let Some(r) = rel.strip_prefix("static/") {
                c.statics.insert(r.to_string());
            }
        }
        c
    }

    /// Do the work; commit to `self` only if everything succeeded.
    fn apply(&mut self, paths: &BTreeSet<PathBuf>) -> Result<(Scope, usize, Vec<String>), Error> {
        let changes = self.classify(paths);
        if changes.config {
            return self.full_reload();
        }
        let root = self.files.root.clone();
        let mut reread = Reread::default();
        let mut structural = false;

        // Read the changed files again, beside the in-memory copy of the folder.
        for (list, prefix, rels, out) in [
            (
                &self.files.pages,
                "content/",
                &changes.pages,
                &mut reread.pages,
            ),
            (
                &self.files.data,
                "content/data/",
                &changes.data,
                &mut reread.data,
            ),
            (
                &self.files.templates,
                "templates/",
                &changes.templates,
                &mut reread.templates,
            ),
        ] {
            for rel in rels {
                let (file, appeared_or_vanished) = read_again(list, &root, prefix, rel)?;
                structural |= appeared_or_vanished;
                out.push((rel.clone(), file));
            }
        }
        for (list, folder, rels, out) in [
            (
                &self.files.statics,
                "static",
                &changes.statics,
                &mut reread.statics,
            ),
            (
                &self.files.assets,
                "content",
                &changes.assets,
                &mut reread.assets,
            ),
        ] {
            for rel in rels {
                let exists = root.join(folder).join(rel).is_file();
                structural |= exists != list.contains(rel);
                out.push((rel.clone(), exists));
            }
        }

        // Pages: anything but a body edit changes the address book or the listings' shape.
        let mut body_only: Vec<(usize, Page)> = Vec::new();
        if !structural {
            // A page neither known nor there (saved and deleted at once) is nothing to render.
            for f in reread.pages.iter().filter_map(|(_, f)| f.as_ref()) {
                let page =
                    content::parse_page(f.file.clone(), &f.rel, f.text.clone(), &self.site.config)?;
                match self.site.pages.iter().position(|p| p.file == page.file) {
                    Some(i) if same_place(&self.site.pages[i], &page) => body_only.push((i, page)),
                    _ => structural = true,
                }
            }
        }
        if structural || !changes.data.is_empty() || !changes.templates.is_empty() {
            return self.reparse(reread, &changes, body_only.is_empty() && !structural);
        }
        if body_only.is_empty() {
            reread.apply(&mut self.files);
            return Ok((Scope::Nothing, 0, Vec::new()));
        }
        self.edit_bodies(reread, body_only)
    }

    /// Body edits only: re-render those pages' markdown; their language's pages too if what
    /// listings show of them changed.
    fn edit_bodies(
        &mut self,
        reread: Reread,
        edits: Vec<(usize, Page)>,
    ) -> Result<(Scope, usize, Vec<String>), Error> {
        let new_docs: Vec<Result<PageDoc, Error>> = edits
            .par_iter()
            .map(|(_, p)| render::render_markdown(&self.site, &self.drawings, p))
            .collect();
        let new_docs = Error::all_ok(new_docs, Vec::new())?;
        let listing = ListingUse::of(&self.site);
        let mut listing_changed = false;
        let mut langs = BTreeSet::new();
        // The new pages and docs go in place; the old ones are kept to be put back if rendering
        // fails (copying every page and doc instead cost more than rendering the one page).
        let mut undo: Vec<(usize, Page, PageDoc)> = Vec::with_capacity(edits.len());
        for ((i, page), d) in edits.into_iter().zip(new_docs) {
            listing_changed |= listing.differs(&self.docs[i], &d);
            if self.docs[i].title != d.title {
                // Translations show the title in every language's pages.
                langs.extend(self.site.config.langs());
            } else {
                langs.insert(page.lang);
                // Other languages list the default language's pages they lack.
                if page.lang == self.site.config.default_lang() {
                    let pages = &self.site.pages;
                    langs.extend(
                        self.site
                            .config
                            .langs()
                            .filter(|l| !pages.iter().any(|q| q.lang == *l && q.rel == page.rel)),
                    );
                }
            }
            let old_page = std::mem::replace(&mut self.site.pages[i], page);
            let old_doc = std::mem::replace(&mut self.docs[i], d);
            undo.push((i, old_page, old_doc));
        }
        let result = (|| {
            let shared = if listing_changed {
                Some(Shared::new(&self.site, &self.docs))
            } else {
                None
            };
            let targets: Vec<usize> = if listing_changed {
                (0..self.site.pages.len())
                    .filter(|&i| langs.contains(&self.site.pages[i].lang))
                    .collect()
            } else {
                undo.iter().map(|(i, _, _)| *i).collect()
            };
            let sh = shared.as_ref().unwrap_or(&self.shared);
            let rendered = render_pages(&self.site, sh, &self.docs, &targets)?;
            Ok::<_, Error>((shared, targets.len(), rendered))
        })();
        match result {
            Ok((shared, n, rendered)) => {
                if let Some(s) = shared {
                    self.shared = s;
                }
                reread.apply(&mut self.files);
                let changed = self.store_and_check(rendered);
                Ok((Scope::Partial, n, changed))
            }
            Err(e) => {
                for (i, page, doc) in undo.into_iter().rev() {
                    self.site.pages[i] = page;
                    self.docs[i] = doc;
                }
                Err(e)
            }
        }
    }

    /// Re-parse the site from the in-memory files (no disk reads beyond the changed files), then
    /// render what the change touches: everything when the structure changed, else the pages
    /// that depend on the changed data files or templates.
    fn reparse(
        &mut self,
        reread: Reread,
        changes: &Changes,
        maybe_partial: bool,
    ) -> Result<(Scope, usize, Vec<String>), Error> {
        let mut files = self.files.clone();
        reread.clone().apply(&mut files);
        let site = Site::from_files(files, &self.opts)?;
        // Pages where they were (no page came, went or moved): the docs and the check's
        // findings, held by page index, still fit.
        let same_pages = site.pages.len() == self.site.pages.len()
            && site
                .pages
                .iter()
                .zip(&self.site.pages)
                .all(|(a, b)| a.output == b.output);
        // Templates that now show a field the pages' markdown was rendered without (a word
        // count, a summary, a table of contents) need every page's markdown again.
        let same_fields = site.shown() == self.site.shown();
        if !maybe_partial || !same_pages || !same_fields {
            let rendered = pipeline::render(&site)?;
            reread.apply(&mut self.files);
            return Ok(self.commit_full(site, rendered));
        }
        let drawings = render::draw_charts(&site.charts, &site.langs());
        let deps = TemplateDeps::new(&site.templates.texts);
        let touched_templates: HashSet<&str> =
            changes.templates.iter().map(String::as_str).collect();
        let data_stems: Vec<String> = changes
            .data
            .iter()
            .map(|d| crate::data::stem(d).to_string())
            .collect();
        let facts_changed = data_stems
            .iter()
            .any(|s| [FIGURES, SOURCES, CHARTS].contains(&s.as_str()));
        // Markdown must be redone where a shortcode's template changed or where facts are used.
        let mut redo_md = Vec::new();
        let mut redo_page = Vec::new();
        for (i, p) in site.pages.iter().enumerate() {
            let d = &self.docs[i];
            let shortcode_hit = d.shortcodes.iter().any(|name| {
                let t = format!("shortcodes/{name}.html");
                deps.uses_any(&t, &touched_templates)
                    || data_stems.iter().any(|s| deps.reads_data(&t, s))
            });
            let facts_hit = facts_changed
                && (!d.figures.is_empty() || !d.charts.is_empty() || !d.citations.is_empty());
            let page_template = p.template();
            let template_hit = deps.uses_any(&page_template, &touched_templates)
                || data_stems
                    .iter()
                    .any(|s| deps.reads_data(&page_template, s))
                || (facts_changed && deps.reads_facts(&page_template));
            if shortcode_hit || facts_hit {
                redo_md.push(i);
            } else if template_hit {
                redo_page.push(i);
            }
        }
        let new_docs: Vec<Result<PageDoc, Error>> = redo_md
            .par_iter()
            .map(|&i| render::render_markdown(&site, &drawings, &site.pages[i]))
            .collect();
        let new_docs = Error::all_ok(new_docs, Vec::new())?;
        let mut listing_changed = false;
        let listing = ListingUse::of(&site);
        // In place, the old docs kept to be put back if rendering fails.
        let mut undo: Vec<(usize, PageDoc)> = Vec::with_capacity(redo_md.len());
        for (&i, d) in redo_md.iter().zip(new_docs) {
            listing_changed |= listing.differs(&self.docs[i], &d);
            undo.push((i, std::mem::replace(&mut self.docs[i], d)));
        }
        let result = (|| {
            let shared = Shared::new(&site, &self.docs);
            let targets: Vec<usize> = if listing_changed {
                (0..site.pages.len()).collect()
            } else {
                let mut t: Vec<usize> = redo_md.iter().chain(&redo_page).copied().collect();
                t.sort_unstable();
                t
            };
            let mut rendered = render_pages(&site, &shared, &self.docs, &targets)?;
            // Extra files (404, charts, sitemap) are cheap: always redo them after data or
            // template edits.
            rendered.extend(
                render::extra_files(&site, &shared, &drawings)?
                    .into_iter()
                    .filter(|f| matches!(f.body, FileContent::Text(_))),
            );
            Ok::<_, Error>((shared, targets.len(), rendered))
        })();
        let (shared, n, rendered) = match result {
            Ok(done) => done,
            Err(e) => {
                for (i, doc) in undo.into_iter().rev() {
                    self.docs[i] = doc;
                }
                return Err(e);
            }
        };
        self.site = site;
        self.drawings = drawings;
        self.shared = shared;
        reread.apply(&mut self.files);
        let changed = self.store_and_check(rendered);
        Ok((Scope::Partial, n, changed))
    }

    fn full_reload(&mut self) -> Result<(Scope, usize, Vec<String>), Error> {
        let files = SiteFiles::read(&self.files.root)?;
        let site = Site::from_files(files.clone(), &self.opts)?;
        let rendered = pipeline::render(&site)?;
        self.files = files;
        Ok(self.commit_full(site, rendered))
    }

    fn commit_full(
        &mut self,
        site: Site,
        rendered: pipeline::Rendered,
    ) -> (Scope, usize, Vec<String>) {
        let outputs = served_all(&rendered.files);
        let mut changed: Vec<String> = outputs
            .iter()
            .filter(|(k, v)| !same(self.outputs.get(*k), &v.served))
            .map(|(k, _)| k.clone())
            .chain(
                self.outputs
                    .keys()
                    .filter(|k| !outputs.contains_key(*k))
                    .cloned(),
            )
            .collect();
        changed.sort();
        let n = site.pages.len();
        self.site = site;
        self.drawings = rendered.drawings;
        self.docs = rendered.docs;
        self.shared = rendered.shared;
        self.report = rendered.report;
        self.findings = rendered.findings;
        self.outputs = outputs;
        (Scope::Full, n, changed)
    }

    /// Put the files a partial rebuild rendered in place and check the site again; returns the
    /// paths whose bytes changed.
    fn store_and_check(&mut self, files: Vec<OutFile>) -> Vec<String> {
        let mut changed = Vec::new();
        let mut redone = Vec::with_capacity(files.len());
        for f in files {
            let out = output(&f);
            if !same(self.outputs.get(f.path.as_str()), &out.served) {
                changed.push(f.path.to_string());
            }
            redone.push(f.path.to_string());
            self.outputs.insert(f.path.into(), out);
        }
        // Every file rendered again, not only those whose bytes changed: the same bytes may
        // come from markdown whose links moved to other lines.
        self.recheck(&redone);
        changed.sort();
        changed
    }

    /// The check of every served file from scratch, for tests to hold the incremental one to.
    #[cfg(test)]
    fn check_from_scratch(&self) -> Report {
        let views: Vec<FileView> = self.outputs.iter().map(|(p, o)| view(p, o)).collect();
        crate::check::check_views(&self.site, &self.docs, &views, &self.site.templates.texts)
    }
}

impl Outputs for HashMap<String, Output> {
    fn writer(&self, path: &str) -> Option<&str> {
        self.get(path).map(|o| &*o.from)
    }
}

/// How the check sees a served file.
fn view<'a>(path: &'a str, o: &'a Output) -> FileView<'a> {
    FileView {
        path,
        html: match &o.served {
            Served::Bytes(b) if path.ends_with(".html") => std::str::from_utf8(b).ok(),
            _ => None,
        },
        from: &o.from,
        source: None,
        doc: None,
    }
}

fn served_all(files: &[OutFile]) -> HashMap<String, Output> {
    files
        .iter()
        .map(|f| (f.path.to_string(), output(f)))
        .collect()
}

fn output(f: &OutFile) -> Output {
    Output {
        served: match &f.body {
            FileContent::Text(t) => Served::Bytes(Arc::from(t.as_bytes())),
            FileContent::Copy(p) => Served::File(p.clone()),
        },
        from: FileView::of(f).from.into(),
    }
}

fn same(old: Option<&Output>, new: &Served) -> bool {
    match (old.map(|o| &o.served), new) {
        (Some(Served::Bytes(a)), Served::Bytes(b)) => a == b,
        (Some(Served::File(a)), Served::File(b)) => a == b,
        _ => false,
    }
}

/// Same file, same place in the site, same front matter: only the body differs.
fn same_place(old: &Page, new: &Page) -> bool {
    old.output == new.output
        && old.lang == new.lang
        && old.rel == new.rel
        && front_matter_eq(old, new)
}

fn front_matter_eq(a: &Page, b: &Page) -> bool {
    a.text[..a.body.start] == b.text[..b.body.start]
}

/// Read `prefix/rel` again: its text (`None` if it is gone), and whether it appeared or
/// vanished since `list` was read.
fn read_again(
    list: &[TextFile],
    root: &Path,
    prefix: &str,
    rel: &str,
) -> Result<(Option<TextFile>, bool), Error> {
    let known = list.iter().any(|f| f.rel == rel);
    if !root.join(prefix).join(rel).is_file() {
        return Ok((None, known));
    }
    let mut file = read_text(root, &format!("{prefix}{rel}"))?;
    file.rel = rel.to_string();
    Ok((Some(file), !known))
}

/// Put a file read again into `list` (or take it out, when it is gone).
fn put(list: &mut Vec<TextFile>, rel: &str, file: Option<TextFile>) {
    match (list.iter().position(|f| f.rel == rel), file) {
        (Some(i), Some(file)) => list[i] = file,
        (Some(i), None) => {
            list.remove(i);
        }
        (None, Some(file)) => {
            list.push(file);
            list.sort_by(|a, b| a.rel.cmp(&b.rel));
        }
        (None, None) => {}
    }
}

/// Keep a list of paths in step with the disk.
fn put_path(list: &mut Vec<String>, rel: &str, exists: bool) {
    match (exists, list.iter().position(|f| f == rel)) {
        (true, None) => {
            list.push(rel.to_string());
            list.sort();
        }
        (false, Some(i)) => {
            list.remove(i);
        }
        _ => {}
    }
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Canonicalise what exists (a deleted file's folder still does), so symlinked roots match.
    match (
        abs.parent().and_then(|d| d.canonicalize().ok()),
        abs.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => abs,
    }
}

#[cfg(test)]
mod tests;
