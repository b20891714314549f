//! Checking a rendered site: every internal link and `#anchor` resolves, ids are unique on a
//! page, images exist; and, as warnings, pages nothing links to and data nothing uses. Links
//! written in markdown are reported at their markdown line and column.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

mod command;
pub use command::{Checked, Outcome, check_external, check_site};

use crate::error::{Diagnostic, Error, Kind, Location, sort_diagnostics};
use crate::links::{decode, is_external, normalize};
use crate::output::{FileContent, OutFile};
use crate::render::PageDoc;
use crate::site::{CHARTS, FIGURES, SOURCES, Site};

/// What checking a rendered site found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Errors (broken links, anchors, images, duplicate ids) and warnings (what nothing uses),
    /// in report order.
    pub diagnostics: Vec<Diagnostic>,
    /// External links (http, https), with where each is written, sorted and deduplicated.
    pub external: Vec<(String, Location)>,
}

impl Report {
    /// The diagnostics that fail a build.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The diagnostics that do not.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::error::Severity::Warning)
    }

    /// The errors as one library error, for `build` to fail with.
    pub fn to_error(&self) -> Result<(), Error> {
        Error::from_diagnostics(self.diagnostics.iter().cloned())
    }
}

/// An HTML output file taken apart: its ids and the URLs it points at. Values borrow from the
/// page unless a character reference had to be decoded.
struct Scanned<'h> {
    /// Every id, sorted, repeats kept (a repeat is an error).
    ids: Vec<Cow<'h, str>>,
    urls: Vec<(&'static str, Cow<'h, str>)>,
}

impl Scanned<'_> {
    fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|x| x.as_ref().cmp(id)).is_ok()
    }

    /// Each id that appears more than once, with how often, in sorted order.
    fn repeated_ids(&self) -> impl Iterator<Item = (&str, usize)> {
        self.ids
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() > 1)
            .map(|run| (run[0].as_ref(), run.len()))
    }
}

fn scan(html: &str) -> Scanned<'_> {
    let found = attributes(html, &["id", "href", "src"]);
    // Sized once: most are URLs (a nav, the links of a page), grown from empty they were
    // moved four times.
    let mut ids = Vec::with_capacity(16);
    let mut urls = Vec::with_capacity(found.len());
    for (attr, value) in found {
        match attr {
            "id" => ids.push(value),
            a => urls.push((a, value)),
        }
    }
    ids.sort_unstable();
    Scanned { ids, urls }
}

/// Values of the named attributes anywhere in `html` (outside comments, scripts and styles),
/// entity-decoded, in document order. Names match as HTML matches them, ignoring ASCII case.
///
/// One pass over the text, reading each tag's attributes as the HTML tokenizer does (a quoted
/// value may hold `>`); searching every tag for each name was a quarter of a large build.
fn attributes<'h>(html: &'h str, names: &[&'static str]) -> Vec<(&'static str, Cow<'h, str>)> {
    // About one wanted attribute in 256 bytes of HTML (a link or an id): room for them at once.
    let mut out = Vec::with_capacity(html.len() / 256 + 8);
    let bytes = html.as_bytes();
    let mut i = 0;
    // memchr: tags are a few bytes apart, and `str::find` sets up a searcher for each.
    while let Some(k) = bytes.get(i..).and_then(|rest| memchr::memchr(b'<', rest)) {
        i += k;
        let rest = &html[i..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(bytes.len(), |j| i + 4 + j + 3);
            continue;
        }
        // Only start tags have attributes: `<a`, not `</a`, `<!doctype` or a lone `<`.
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let name_end = i
            + 1
            + rest.as_bytes()[1..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
                .unwrap_or(rest.len() - 1);
        let tag = &html[i + 1..name_end];
        let raw_text = if tag.eq_ignore_ascii_case("script") {
            Some("</script")
        } else if tag.eq_ignore_ascii_case("style") {
            Some("</style")
        } else {
            None
        };
        i = read_attributes(html, name_end, names, &mut out);
        if let Some(close) = raw_text {
            i = find_ignoring_case(html, i, close).unwrap_or(bytes.len());
        }
    }
    out
}

/// Read the attributes of the tag whose name ends at `at`, keeping those named in `names`;
/// returns where the tag ends.
fn read_attributes<'h>(
    html: &'h str,
    mut at: usize,
    names: &[&'static str],
    out: &mut Vec<(&'static str, Cow<'h, str>)>,
) -> usize {
    let bytes = html.as_bytes();
    let skip_space = |mut j: usize| {
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        j
    };
    loop {
        while bytes
            .get(at)
            .is_some_and(|&b| b.is_ascii_whitespace() || b == b'/')
        {
            at += 1;
        }
        match bytes.get(at) {
            None => return at,
            Some(b'>') => return at + 1,
            _ => {}
        }
        let name_start = at;
        // An attribute name may start with `=` (the tokenizer takes it as a letter there).
        at += 1;
        while bytes
            .get(at)
            .is_some_and(|&b| !(b.is_ascii_whitespace() || b == b'/' || b == b'>' || b == b'='))
        {
            at += 1;
        }
        let name = &html[name_start..at];
        at = skip_space(at);
        if bytes.get(at) != Some(&b'=') {
            continue;
        }
        at = skip_space(at + 1);
        let value = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &bytes[at + 1..]).map_or(bytes.len(), |j| at + 1 + j);
                let value = &html[at + 1..end];
                at = (end + 1).min(bytes.len());
                value
            }
            _ => {
                let start = at;
                while bytes
                    .get(at)
                    .is_some_and(|&b| !(b.is_ascii_whitespace() || b == b'>'))
                {
                    at += 1;
                }
                &html[start..at]
            }
        };
        if let Some(wanted) = names.iter().find(|n| n.eq_ignore_ascii_case(name)) {
            out.push((*wanted, decode_entities(value)));
        }
    }
}

/// Where `needle` (ASCII) first occurs in `html` from `from` on, ignoring ASCII case.
fn find_ignoring_case(html: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let n = needle.as_bytes();
    (from..bytes.len().saturating_sub(n.len() - 1))
        .find(|&j| bytes[j..j + n.len()].eq_ignore_ascii_case(n))
}

/// An attribute value as the browser reads it: every character reference decoded, by the
/// HTML spec's rules for attributes (a page whose URL has an apostrophe may be written `&#39;`,
/// `&#x27;` or `&apos;`).
fn decode_entities(s: &str) -> Cow<'_, str> {
    if s.contains('&') {
        htmlize::unescape_attribute(s)
    } else {
        Cow::Borrowed(s)
    }
}

/// Where `url`, found in output file `from`, points: (output path, fragment).
fn target_of(from: &str, url: &str) -> Option<(String, String)> {
    // By bytes: `split_once` and its kin set up a searcher per call, for every URL of every page.
    let find = |s: &str, b: u8| s.bytes().position(|x| x == b);
    let (path, frag) = match find(url, b'#') {
        Some(i) => (&url[..i], decode(&url[i + 1..])),
        None => (url, String::new()),
    };
    let path = find(path, b'?').map_or(path, |i| &path[..i]);
    if path.is_empty() {
        return Some((from.to_string(), frag));
    }
    let dir = from
        .bytes()
        .rposition(|b| b == b'/')
        .map_or("", |i| &from[..i]);
    let mut target = normalize(dir, &crate::links::decoded(path))?;
    if path.ends_with('/') || target.is_empty() {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some((target, frag))
}

/// An output file as the check sees it: where it is, its text if it is HTML, and what it was
/// made from (named in problems no markdown line explains).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileView<'a> {
    /// Output path, `/`-separated.
    pub path: &'a str,
    /// Its text, for HTML files.
    pub html: Option<&'a str>,
    /// What it was made from.
    pub from: &'a str,
    /// The page's markdown, when the page no longer holds it (a build reads it again to
    /// render it): where links written in it are located.
    pub source: Option<&'a str>,
    /// The page's rendered markdown (its links), when the checker was not given it.
    pub doc: Option<&'a PageDoc>,
}

/// Check the rendered `files` of `site` (`docs` are its pages' rendered markdown).
pub fn check(
    site: &Site,
    docs: &[PageDoc],
    files: &[OutFile],
    template_texts: &[(String, String)],
) -> Report {
    let views: Vec<FileView> = files.iter().map(FileView::of).collect();
    check_views(site, docs, &views, template_texts)
}

/// [`check`] over files held elsewhere (`serve` keeps them as bytes).
pub(crate) fn check_views(
    site: &Site,
    docs: &[PageDoc],
    files: &[FileView],
    template_texts: &[(String, String)],
) -> Report {
    let outputs: FxHashMap<&str, &str> = files.iter().map(|f| (f.path, f.from)).collect();
    let checker = Checker::new(site, docs, &outputs);
    let found: Vec<FileFindings> = files
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|f| checker.file(*f))
        .collect();
    checker.finish(None, &found, template_texts)
}

impl<'a> FileView<'a> {
    /// How the check sees a rendered output file.
    pub(crate) fn of(f: &'a OutFile) -> FileView<'a> {
        FileView {
            path: f.path.as_str(),
            html: match &f.body {
                FileContent::Text(t) => Some(t.as_str()),
                FileContent::Copy(_) => None,
            },
            from: f.from.at.path.to_str().unwrap_or(f.path.as_str()),
            source: None,
            doc: None,
        }
    }
}

/// The link check done file by file, as files are rendered, so a build never holds the whole
/// rendered site: [`Checker::file`] checks one output file against every path the build writes
/// (known before rendering) and keeps only what cross-file checks need (its ids, the anchors it
/// points at in other files, the pages it links to); [`Checker::finish`] does those.
pub(crate) struct Checker<'a> {
    site: &'a Site,
    docs: &'a [PageDoc],
    /// Every output path, and what writes it.
    outputs: &'a dyn Outputs,
    page_by_output: FxHashMap<&'a str, usize>,
    /// Tells this checker's remembered URLs ([`RESOLVED`]) from another's.
    id: u64,
}

/// Where a relative URL leads: the output path, the fragment, whether the site writes it, and
/// which page it is.
struct Resolved {
    target: String,
    frag: String,
    exists: bool,
    page: Option<usize>,
}

/// How many URLs each thread remembers for a checker: a page's nav is a few dozen, and links
/// between pages rarely repeat.
const REMEMBERED: usize = 4096;

/// Relative URLs resolved by one checker on one thread, by [`memo_key`]: every page of a site
/// carries the same nav, and resolving its URLs again on each page was a tenth of the check.
#[derive(Default)]
struct Memo {
    checker: u64,
    by_base: FxHashMap<String, FxHashMap<String, Rc<Resolved>>>,
    len: usize,
}

impl Memo {
    fn mine(&mut self, checker: u64) {
        if self.checker != checker {
            *self = Memo {
                checker,
                ..Memo::default()
            };
        }
    }

    fn get(&mut self, checker: u64, base: &str, rest: &str) -> Option<Rc<Resolved>> {
        self.mine(checker);
        self.by_base.get(base)?.get(rest).cloned()
    }

    fn put(&mut self, checker: u64, base: &str, rest: &str, r: &Rc<Resolved>) {
        self.mine(checker);
        if self.len >= REMEMBERED {
            return;
        }
        self.len += 1;
        self.by_base
            .entry(base.to_string())
            .or_default()
            .insert(rest.to_string(), r.clone());
    }
}

thread_local! {
    static RESOLVED: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Checkers made so far: each one's [`Checker::id`].
static CHECKERS: AtomicU64 = AtomicU64::new(1);

/// For a relative `url` in output file `out`: the folder it starts from once its leading `../`s
/// are climbed, and the rest of it. Any two such URLs with the same two lead to the same place
/// ([`target_of`] uses the folder of `out` and nothing else of it). `None` where that may not
/// hold or a problem is to be reported: a URL with a scheme or a `%` (decoded before it is
/// resolved), an absolute path, one that climbs out of the site, or no path at all (`#top` is
/// the file itself, not its folder).
fn memo_key<'u>(out: &'u str, url: &'u str) -> Option<(&'u str, &'u str)> {
    let bytes = url.as_bytes();
    if bytes.first() == Some(&b'/') || memchr::memchr2(b':', b'%', bytes).is_some() {
        return None;
    }
    let folder = |p: &'u str| &p[..memchr::memrchr(b'/', p.as_bytes()).unwrap_or(0)];
    let mut base = folder(out);
    let mut rest = url;
    let mut climbed = false;
    while let Some(r) = rest.strip_prefix("../") {
        if base.is_empty() {
            return None;
        }
        base = folder(base);
        rest = r;
        climbed = true;
    }
    if !climbed && matches!(bytes.first(), None | Some(b'#' | b'?')) {
        return None;
    }
    Some((base, rest))
}

/// Every output path a site writes, and what writes each (named in problems no markdown line
/// explains): a map made for the check, or what `serve` keeps of the files it serves (making a
/// map of all of them for every edit cost more than checking the edited page).
pub(crate) trait Outputs: Sync {
    /// What writes `path`, if the site writes it.
    fn writer(&self, path: &str) -> Option<&str>;
}

impl Outputs for FxHashMap<&str, &str> {
    fn writer(&self, path: &str) -> Option<&str> {
        self.get(path).copied()
    }
}

/// What [`Checker::file`] keeps of one file.
pub(crate) struct FileFindings {
    path: String,
    diagnostics: Vec<Diagnostic>,
    /// External links: (URL, where, whether the page's markdown wrote it).
    external: Vec<(String, Location, bool)>,
    /// The file's ids, when it is HTML.
    ids: Option<IdSet>,
    /// `#fragment` links into other files.
    anchors: Vec<AnchorLink>,
    /// Problems with URLs a template wrote, grouped across pages in [`Checker::finish`].
    templated: Vec<TemplateProblem>,
    /// Pages (indices into `site.pages`) this file links to.
    linked: Vec<u32>,
}

/// A link to an element of another file, checked once every file's ids are known.
pub(crate) struct AnchorLink {
    target: String,
    frag: String,
    url: String,
    at: Place,
    /// Whether a template wrote it (else the page's markdown did).
    templated: bool,
}

/// Where an anchor link was written. Its line and column are worked out only if the anchor
/// turns out broken: most are not, and indexing the lines of each page's markdown to locate
/// its anchor links was 5,900 instructions a page, 7 % of checking it.
pub(crate) enum Place {
    File(Location),
    /// Byte `offset` of the markdown of page `page` (an index into `site.pages`).
    Markdown {
        page: usize,
        offset: usize,
    },
}

impl Place {
    fn locate(&self, site: &Site) -> Location {
        match self {
            Place::File(at) => at.clone(),
            Place::Markdown { page, offset } => {
                // Findings are held by page index, and kept (by `serve`) only while the pages
                // stay where they were; a page not there is no reason to panic.
                let Some(p) = site.pages.get(*page) else {
                    return Location::file(&site.root);
                };
                // The page read again if the build let go of its text: an error path.
                match p.source() {
                    Ok(text) => {
                        let (line, col) = crate::error::line_col(&text, *offset);
                        Location::at(&p.file, line, col)
                    }
                    Err(_) => Location::file(&p.file),
                }
            }
        }
    }
}

fn anchor_message(frag: &str, url: &str, target: &str) -> String {
    format!("broken anchor `#{frag}` in `{url}`: `{target}` has no element with that id")
}

impl FileFindings {
    /// The output file checked.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// A broken link or anchor: reported now, or, when a template wrote it (`by_template` is its
    /// URL and what is wrong), grouped across pages in [`Checker::finish`].
    fn problem(&mut self, by_template: Option<(&str, String)>, message: String, at: Location) {
        match by_template {
            Some((url, key)) => self.templated.push(TemplateProblem {
                url: url.to_string(),
                key,
                message,
                hint: String::new(),
                at,
            }),
            None => self
                .diagnostics
                .push(Diagnostic::error(Kind::Link, at, message)),
        }
    }
}

impl<'a> Checker<'a> {
    /// A checker for a site writing `outputs`.
    pub fn new(site: &'a Site, docs: &'a [PageDoc], outputs: &'a dyn Outputs) -> Checker<'a> {
        Checker {
            site,
            docs,
            outputs,
            page_by_output: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.output.as_str(), i))
                .collect(),
            id: CHECKERS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Check one output file on its own.
    pub(crate) fn file(&self, f: FileView) -> FileFindings {
        let site = self.site;
        let out = f.path;
        let mut found = FileFindings {
            path: f.path.to_string(),
            diagnostics: Vec::new(),
            external: Vec::new(),
            ids: None,
            anchors: Vec::new(),
            templated: Vec::new(),
            linked: Vec::new(),
        };
        let html = match f.html {
            Some(t) if out.ends_with(".html") => t,
            _ => return found,
        };
        let page = scan(html);
        // At most one a URL: sized once, where it grew from empty (four moves for a nav).
        found.linked = Vec::with_capacity(page.urls.len());
        let page_index = self.page_by_output.get(out).copied();
        let doc = f.doc.or_else(|| self.docs.get(page_index?));
        // Where to report a problem with a URL in this file: the markdown line if the URL was
        // written in the page's markdown, else the page file (the URL came from a template).
        // Sorted for binary search (a page has a few links: cheaper than hashing each). Where a
        // URL is written twice, its last place counts, as it did in the map this replaced.
        let mut md_links: Vec<(&str, usize)> = doc
            .map(|d| {
                d.links
                    .iter()
                    .rev()
                    .map(|l| (l.url.as_str(), l.offset))
                    .collect()
            })
            .unwrap_or_default();
        md_links.sort_by(|a, b| a.0.cmp(b.0));
        md_links.dedup_by(|a, b| a.0 == b.0);
        let md_link = |url: &str| {
            md_links
                .binary_search_by(|(u, _)| (*u).cmp(url))
                .ok()
                .map(|k| md_links[k].1)
        };
        // Links already reported while rendering (let through as warnings): not twice.
        let mut reported: Vec<&str> = doc
            .map(|d| {
                d.links
                    .iter()
                    .filter(|l| l.broken)
                    .map(|l| l.url.as_str())
                    .collect()
            })
            .unwrap_or_default();
        reported.sort_unstable();
        let file_loc = || match page_index {
            Some(i) => Location::file(&site.pages[i].file),
            None => Location::file(self.outputs.writer(out).unwrap_or(out)),
        };
        for (id, n) in page.repeated_ids() {
            found.diagnostics.push(Diagnostic::error(
                Kind::Id,
                file_loc(),
                format!("id `{id}` appears {n} times in {out}; ids must be unique on a page"),
            ));
        }
        // Lines of the page's markdown, indexed on first use: locating each link by counting
        // from the start of the file made checking quadratic in the number of links.
        let mut lines: Option<crate::error::LineIndex> = None;
        for (attr, url) in &page.urls {
            let url: &str = url;
            if url.is_empty() || reported.binary_search(&url).is_ok() {
                continue;
            }
            // Where the URL was written: a line of the page's markdown, else (a template wrote
            // it) the page. Worked out only for a URL with a problem: most have none.
            let md_offset = page_index.and(md_link(url));
            let templated = md_offset.is_none();
            let mut at = || match (md_offset, page_index) {
                (Some(offset), Some(i)) => {
                    let p = &site.pages[i];
                    let (line, col) = lines
                        .get_or_insert_with(|| {
                            crate::error::LineIndex::new(f.source.unwrap_or(&p.text))
                        })
                        .line_col(offset);
                    Location::at(&p.file, line, col)
                }
                _ => file_loc(),
            };
            let origin = || match templated {
                true => format!(" (in {out}, from a template)"),
                false => String::new(),
            };
            // A relative URL met before (the nav of every page) leads where it led then.
            let key = memo_key(out, url);
            let known = key.and_then(|(base, rest)| {
                RESOLVED.with(|m| m.borrow_mut().get(self.id, base, rest))
            });
            let resolved = match known {
                Some(r) => r,
                None => {
                    if let Some(scheme) = crate::facts::scheme(url).map(|s| s.to_ascii_lowercase())
                        && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
                    {
                        let shown: String = url.chars().take(40).collect();
                        found.diagnostics.push(
                            Diagnostic::warning(
                                Kind::Link,
                                at(),
                                format!("`{scheme}:` URL `{shown}…` runs or embeds code when clicked{}", origin()),
                            )
                            .with_help("link to a page or file instead; a script URL in content is usually an injection"),
                        );
                        continue;
                    }
                    // The site's own absolute URLs do not exist before the first deploy: check them
                    // as the internal links they are.
                    let own = site
                        .config
                        .base_url
                        .as_deref()
                        .and_then(|b| url.strip_prefix(b));
                    if own.is_none() && is_external(url) {
                        if url.starts_with("http://")
                            || url.starts_with("https://")
                            || url.starts_with("//")
                        {
                            let from_markdown = md_link(url).is_some();
                            found.external.push((url.to_string(), at(), from_markdown));
                        }
                        continue;
                    }
                    let resolved = match own {
                        Some(rest) => target_of("index.html", rest),
                        None => target_of(out, url),
                    };
                    let Some((target, frag)) = resolved else {
                        found.diagnostics.push(Diagnostic::error(
                            Kind::Link,
                            at(),
                            format!("link `{url}` leads above the site's root{}", origin()),
                        ));
                        continue;
                    };
                    let r = Rc::new(Resolved {
                        exists: self.outputs.writer(&target).is_some(),
                        page: self.page_by_output.get(target.as_str()).copied(),
                        target,
                        frag,
                    });
                    if let Some((base, rest)) = key {
                        RESOLVED.with(|m| m.borrow_mut().put(self.id, base, rest, &r));
                    }
                    r
                }
            };
            let Resolved {
                target,
                frag,
                exists,
                page: target_page,
            } = &*resolved;
            let (target, frag) = (target.as_str(), frag.as_str());
            if !exists {
                let what = if *attr == "src" {
                    "missing image or file"
                } else {
                    "broken link"
                };
                let message = format!("{what} `{url}`: nothing is built at `{target}`");
                let key = format!("{target}#{frag}");
                found.problem(templated.then_some((url, key)), message, at());
                continue;
            }
            if target != out
                && let Some(i) = *target_page
            {
                found.linked.push(i as u32);
            }
            if frag.is_empty() {
                continue;
            }
            if target == out {
                if !page.has_id(frag) {
                    // `#x` from a template is the same missing anchor on every page it makes.
                    let key = match url.starts_with('#') {
                        true => format!("#{frag}"),
                        false => format!("{target}#{frag}"),
                    };
                    let message = anchor_message(frag, url, target);
                    found.problem(templated.then_some((url, key)), message, at());
                }
            } else {
                found.anchors.push(AnchorLink {
                    at: match (md_offset, page_index) {
                        (Some(offset), Some(page)) => Place::Markdown { page, offset },
                        _ => Place::File(file_loc()),
                    },
                    target: target.to_string(),
                    frag: frag.to_string(),
                    url: url.to_string(),
                    templated,
                });
            }
        }
        let mut ids = page.ids;
        ids.dedup();
        found.ids = Some(IdSet::from_sorted(&ids));
        // Kept until every file is checked: a page's one anchor link held room for four.
        found.anchors.shrink_to_fit();
        found
    }

    /// The checks across files, once every file was checked on its own.
    /// `docs`: every page's rendered markdown (what it uses), when the checker was not given it.
    /// `found` is only read: `serve` keeps it to check again only the files it renders again.
    pub fn finish(
        self,
        docs: Option<&[PageDoc]>,
        found: &[FileFindings],
        template_texts: &[(String, String)],
    ) -> Report {
        let site = self.site;
        let mut report = Report::default();
        let mut found: Vec<&FileFindings> = found.iter().collect();
        if !found.is_sorted_by(|a, b| a.path <= b.path) {
            found.sort_by(|a, b| a.path.cmp(&b.path));
        }
        // A file's ids, found in `found` by its path (a map of every file's ids, made again
        // for each edit in `serve`, cost more than the rest of this).
        let ids = |path: &str| {
            let i = found.binary_search_by(|f| f.path.as_str().cmp(path)).ok()?;
            found[i].ids.as_ref()
        };
        let mut linked_to = vec![false; site.pages.len()];
        let mut external: BTreeMap<String, Location> = BTreeMap::new();
        let mut diagnostics = Vec::new();
        let mut templated: Vec<(&str, TemplateProblem)> = Vec::new();
        // Each file's broken anchors, found on both cores: walking every file's findings and
        // the ids of the files they link into is a cache miss after another (6 ms for 10,000
        // pages on one core). Kept in file order.
        enum Broken {
            /// Grouped with the same problem on other pages, as template problems are.
            ByTemplate(TemplateProblem),
            InMarkdown(Diagnostic),
        }
        let broken: Vec<Vec<Broken>> = found
            .par_iter()
            .with_max_len(crate::FILES_PER_TASK)
            .map(|f| {
                let mut out = Vec::new();
                for AnchorLink {
                    target,
                    frag,
                    url,
                    at,
                    templated: by_template,
                } in &f.anchors
                {
                    let Some(t) = ids(target).filter(|t| !t.contains(frag)) else {
                        continue;
                    };
                    let message = anchor_message(frag, url, target);
                    let hint = crate::error::did_you_mean(frag, t.iter())
                        .map(|h| format!("; {}", h.replacen('`', "`#", 1)))
                        .unwrap_or_default();
                    out.push(match by_template {
                        true => Broken::ByTemplate(TemplateProblem {
                            url: url.clone(),
                            key: format!("{target}#{frag}"),
                            message,
                            hint,
                            at: at.locate(site),
                        }),
                        false => Broken::InMarkdown(Diagnostic::error(
                            Kind::Link,
                            at.locate(site),
                            format!("{message}{hint}"),
                        )),
                    });
                }
                out
            })
            .collect();
        for (f, broken) in found.iter().zip(broken) {
            for b in broken {
                match b {
                    Broken::ByTemplate(problem) => templated.push((&f.path, problem)),
                    Broken::InMarkdown(diagnostic) => diagnostics.push(diagnostic),
                }
            }
            templated.extend(f.templated.iter().map(|t| (f.path.as_str(), t.clone())));
            for &i in &f.linked {
                linked_to[i as usize] = true;
            }
        }
        // Where an absolute URL a template put on a page was written (a data file, a template),
        // found once per URL, here rather than file by file: it reads files.
        let mut writers = Writers::new(site, template_texts);
        report_templated(templated, &mut writers, &mut diagnostics);
        for f in &found {
            report.diagnostics.extend(f.diagnostics.iter().cloned());
            for (url, at, from_markdown) in &f.external {
                match external.get(url) {
                    // Where the author wrote it beats the page a template put it on.
                    Some(old) if old.line().is_some() => {}
                    old => {
                        let at = match from_markdown {
                            true => at.clone(),
                            false => writers.find(url).unwrap_or_else(|| at.clone()),
                        };
                        if old.is_none() || at.line().is_some() {
                            external.insert(url.clone(), at);
                        }
                    }
                }
            }
        }
        report.diagnostics.extend(diagnostics);
        for (p, linked) in site.pages.iter().zip(linked_to) {
            let is_home = p.rel == "_index.md";
            if !is_home && !linked {
                report.diagnostics.push(Diagnostic::warning(
                    Kind::Unused,
                    Location::file(&p.file),
                    "no page links to this page",
                ));
            }
        }
        untranslated(site, &mut report);
        unused_data(site, docs.unwrap_or(self.docs), template_texts, &mut report);
        sort_diagnostics(&mut report.diagnostics);
        report.external = external.into_iter().collect();
        report
    }
}

/// A file's ids, kept until every file is checked (for anchors into it from other files): one
/// buffer of the sorted ids and where each ends. A `HashSet<String>` cost about 1.7 KB a page, a
/// sixth of a large build's memory.
struct IdSet {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl IdSet {
    #[cfg(test)]
    fn new(mut ids: Vec<String>) -> IdSet {
        ids.sort_unstable();
        IdSet::from_sorted(&ids)
    }

    /// The set of `ids`, which are sorted.
    fn from_sorted<S: AsRef<str>>(ids: &[S]) -> IdSet {
        let mut text = String::with_capacity(ids.iter().map(|s| s.as_ref().len()).sum());
        let mut ends = Vec::with_capacity(ids.len());
        for id in ids {
            text.push_str(id.as_ref());
            // A page over 4 GiB of ids is not a page a build can hold anyway.
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        IdSet {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..self.ends[i] as usize).unwrap_or("")
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    fn contains(&self, id: &str) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

/// A problem with a URL that a template wrote rather than the page's markdown.
#[derive(Clone)]
struct TemplateProblem {
    url: String,
    /// What is wrong, the same on every page showing it (`target#fragment`, or `#fragment`
    /// for an anchor on the page itself).
    key: String,
    /// What is wrong, without where it was seen.
    message: String,
    /// A did-you-mean, after where it was seen.
    hint: String,
    /// The page file, where it is reported when no template line is found to have written it.
    at: Location,
}

/// Problems with URLs that templates wrote, found on every page a template makes: reported
/// once at the template line that wrote the URL (as written, or its `#fragment` as in
/// `url(path='a.md#part')`) with how many pages show it; at each page file when no line is
/// found. `problems` are (output file, problem), in output-path order.
fn report_templated(
    problems: Vec<(&str, TemplateProblem)>,
    writers: &mut Writers,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // (template line, key) → (first page, its problem, how many pages show it).
    let mut grouped: Vec<(Location, String, &str, TemplateProblem, usize)> = Vec::new();
    let mut index: HashMap<(Location, String), usize> = HashMap::new();
    for (out, p) in problems {
        let frag = p.key.split_once('#').map(|(_, f)| f).unwrap_or("");
        let place = writers.find(&p.url).or_else(|| {
            (!frag.is_empty())
                .then(|| writers.find(&format!("#{frag}")))
                .flatten()
        });
        let Some(place) = place else {
            diagnostics.push(Diagnostic::error(
                Kind::Link,
                p.at,
                format!("{} (in {out}, from a template){}", p.message, p.hint),
            ));
            continue;
        };
        match index.entry((place.clone(), p.key.clone())) {
            std::collections::hash_map::Entry::Occupied(e) => grouped[*e.get()].4 += 1,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(grouped.len());
                grouped.push((place, p.key.clone(), out, p, 1));
            }
        }
    }
    for (place, _, out, p, pages) in grouped {
        let more = match pages {
            1 => String::new(),
            2 => " and 1 other page".to_string(),
            n => format!(" and {} other pages", n - 1),
        };
        diagnostics.push(Diagnostic::error(
            Kind::Link,
            place,
            format!("{} (in {out}{more}, from a template){}", p.message, p.hint),
        ));
    }
}

/// Where an absolute URL that a template put on a page was written: the first data file,
/// site template or `site.yaml` holding it literally (a source's `url` in sources.yaml, a link
/// in a template), at its line and column.
struct Writers<'a> {
    site: &'a Site,
    template_texts: &'a [(String, String)],
    /// (path errors name, text), read on first use.
    texts: Option<Vec<(PathBuf, String)>>,
    found: HashMap<String, Option<Location>>,
}

impl<'a> Writers<'a> {
    fn new(site: &'a Site, template_texts: &'a [(String, String)]) -> Self {
        Writers {
            site,
            template_texts,
            texts: None,
            found: HashMap::new(),
        }
    }

    fn find(&mut self, url: &str) -> Option<Location> {
        if let Some(at) = self.found.get(url) {
            return at.clone();
        }
        let site = self.site;
        let texts = self.texts.get_or_insert_with(|| {
            let mut texts = Vec::new();
            let data = site.data_files.iter().map(|n| format!("content/data/{n}"));
            for rel in data.chain(["site.yaml".to_string()]) {
                if let Ok(t) = crate::load::read_text(&site.root, &rel) {
                    texts.push((t.file, t.text));
                }
            }
            for (name, text) in self.template_texts {
                let rel = format!("templates/{name}");
                if site.root.join(&rel).is_file() {
                    texts.push((site.display(&rel), text.clone()));
                }
            }
            texts
        });
        let at = texts.iter().find_map(|(path, text)| {
            let (i, _) = text.match_indices(url).find(|(i, _)| {
                // A longer URL that starts with this one is another URL.
                let next = text[i + url.len()..].chars().next();
                next.is_none_or(|c| c.is_whitespace() || "\"'<>)]},".contains(c))
            })?;
            Some(Location::of_offset(path, text, i, 1))
        });
        self.found.insert(url.to_string(), at.clone());
        at
    }
}

/// Pages of the default language that another language has no version of (they are listed
/// there as they are, in the default language).
fn untranslated(site: &Site, report: &mut Report) {
    // One language: nothing to translate (and no set of every page to make, for every edit).
    if site.config.languages.len() < 2 {
        return;
    }
    let default = &site.config.default_language().code;
    let have: HashSet<(&str, &str)> = site
        .pages
        .iter()
        .map(|p| (p.lang.as_str(), p.rel.as_str()))
        .collect();
    for p in site.pages.iter().filter(|p| p.lang == *default) {
        let missing: Vec<String> = site.config.languages[1..]
            .iter()
            .filter(|l| !have.contains(&(l.code.as_str(), p.rel.as_str())))
            .map(|l| format!("`{}` (content/{}/{})", l.code, l.code, p.rel))
            .collect();
        if !missing.is_empty() {
            report.diagnostics.push(Diagnostic::info(
                Kind::Translation,
                Location::file(&p.file),
                format!(
                    "not translated into {}; other languages list and link this page as it is",
                    missing.join(", ")
                ),
            ));
        }
    }
}

fn unused_data(
    site: &Site,
    docs: &[PageDoc],
    template_texts: &[(String, String)],
    report: &mut Report,
) {
    let data_file = |stem: &str| site.display(&format!("content/data/{stem}.yaml"));
    let used_charts: HashSet<&str> = docs
        .iter()
        .flat_map(|d| d.charts.iter().map(String::as_str))
        .collect();
    for c in site.charts.iter() {
        if !used_charts.contains(c.id()) {
            report.diagnostics.push(Diagnostic::warning(
                Kind::Unused,
                Location::file(data_file(CHARTS)),
                format!("chart `{}` is not shown on any page", c.id()),
            ));
        }
    }
    let mut used_figures: HashSet<String> = docs
        .iter()
        .flat_map(|d| d.figures.iter().cloned())
        .collect();
    for c in site.charts.iter() {
        used_figures.extend(c.figure_ids());
    }
    let templates_use = |stem: &str| {
        template_texts.iter().any(|(_, t)| {
            t.contains(&format!("data.{stem}"))
                || t.contains(&format!("data[\"{stem}\"]"))
                || t.contains(&format!("data['{stem}']"))
        })
    };
    if !templates_use(FIGURES) {
        for f in &site.facts.figures {
            if !used_figures.contains(&f.id) {
                report.diagnostics.push(Diagnostic::warning(
                    Kind::Unused,
                    Location::file(data_file(FIGURES)),
                    format!("figure `{}` is not used on any page or chart", f.id),
                ));
            }
        }
    }
    for name in &site.data_files {
        let stem = crate::data::stem(name);
        if [FIGURES, SOURCES, CHARTS].contains(&stem) {
            continue;
        }
        if !templates_use(stem.split('/').next().unwrap_or(stem)) {
            report.diagnostics.push(Diagnostic::warning(
                Kind::Unused,
                Location::file(site.display(&format!("content/data/{name}"))),
                format!("no template uses `data.{stem}`"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// URLs with one memo key lead to one place, from whichever file they are in: every pair
    /// of files and URLs drawn from awkward pieces.
    #[test]
    fn urls_with_one_memo_key_lead_to_one_place() {
        let outs = [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "a/b/c.html",
            "a/c/index.html",
            "x/b/index.html",
            "a.html",
        ];
        let pieces = [
            "../",
            "./",
            "a/",
            "b/",
            "c.html",
            "index.html",
            "",
            "#f",
            "?q",
            "..",
            ".",
        ];
        let mut urls = crate::testing::joins(&pieces, 3, "");
        urls.sort();
        urls.dedup();
        // Key → the first file and URL that had it, and where that URL led.
        type First = (String, String, Option<(String, String)>);
        let mut seen: HashMap<(String, String), First> = HashMap::new();
        let mut keyed = 0;
        for out in outs {
            for url in &urls {
                let Some((base, rest)) = memo_key(out, url) else {
                    continue;
                };
                keyed += 1;
                let here = target_of(out, url);
                let key = (base.to_string(), rest.to_string());
                match seen.get(&key) {
                    Some((o, u, there)) => assert_eq!(
                        &here, there,
                        "{url:?} in {out} and {u:?} in {o} share {key:?}"
                    ),
                    None => {
                        seen.insert(key, (out.to_string(), url.clone(), here));
                    }
                }
            }
        }
        // Enough URLs met a key another URL had, for the comparison to mean something.
        assert!(
            keyed - seen.len() > 1000,
            "{keyed} keyed, {} keys",
            seen.len()
        );
    }

    #[test]
    fn id_sets_find_every_id_and_nothing_else() {
        let ids: Vec<String> = ["b", "", "a-1", "zh-中文", "a", "ab"]
            .map(String::from)
            .to_vec();
        let set = IdSet::new(ids.clone());
        for id in &ids {
            assert!(set.contains(id), "{id}");
        }
        for absent in ["c", "a-", "abc", "zh", "中文"] {
            assert!(!set.contains(absent), "{absent}");
        }
        let listed: Vec<&str> = set.iter().collect();
        assert_eq!(listed, ["", "a", "a-1", "ab", "b", "zh-中文"]);
        assert!(!IdSet::new(Vec::new()).contains(""));
    }

    #[test]
    fn attributes_are_read_as_the_html_tokenizer_reads_them() {
        let found = |html: &str| -> Vec<(&str, String)> {
            attributes(html, &["id", "href", "src"])
                .into_iter()
                .map(|(a, v)| (a, v.into_owned()))
                .collect()
        };
        // A `>` inside a quoted value does not end the tag; a name inside a value is no name.
        assert_eq!(
            found("<a title=\"a > b id=x\" HREF=\"p.html\"\tid = 'y'>"),
            [("href", "p.html".to_string()), ("id", "y".to_string())]
        );
        // Unquoted values, self-closing tags, attributes without values.
        assert_eq!(
            found("<img src=a.png/><input disabled id=k><br/>"),
            [("src", "a.png/".to_string()), ("id", "k".to_string())]
        );
        // End tags, doctypes, comments, scripts and styles hold no attributes.
        assert_eq!(
            found(
                "<!DOCTYPE html></a href=x><!-- <a id=c> --><SCRIPT>x = '<a id=s>'</script ><style>a[id=t]{}</style><b id=z>"
            ),
            [("id", "z".to_string())]
        );
        // Text that only looks like a tag, and a tag cut off at the end of the file.
        assert_eq!(found("1 < 2 <3 <a id=\"open"), [("id", "open".to_string())]);
        assert_eq!(found("<a id"), []);
        assert_eq!(found("<"), []);
        assert_eq!(found("<a href=&amp;"), [("href", "&".to_string())]);
    }

    #[test]
    fn scans_ids_and_urls() {
        let s = scan(
            "<a href=\"x.html#a\" id=\"top\">t</a><!-- <a href=\"no\"> --><img alt=\"a\" src='i.png'><p data-id=\"no\" id=top>",
        );
        assert_eq!(s.repeated_ids().collect::<Vec<_>>(), [("top", 2)]);
        assert!(s.has_id("top") && !s.has_id("no"));
        let urls: Vec<(&str, &str)> = s.urls.iter().map(|(a, u)| (*a, u.as_ref())).collect();
        assert_eq!(urls, [("href", "x.html#a"), ("src", "i.png")]);
    }

    /// A page URL with an apostrophe failed the build: `&#x27;` was not decoded.
    #[test]
    fn every_character_reference_is_decoded() {
        let s = scan(
            "<a href=\"don&#x27;t-panic/\"></a><a href=\"what&#39;s-new/\"></a><a href=\"a&apos;b&amp;c&#X27;&quot;\"></a><a href=\"&notanentity; &amp\"></a>",
        );
        let urls: Vec<_> = s.urls.iter().map(|(_, u)| u.as_ref()).collect();
        assert_eq!(
            urls,
            ["don't-panic/", "what's-new/", "a'b&c'\"", "&notanentity; &"]
        );
    }

    #[test]
    fn targets_resolve_relative_to_the_file() {
        assert_eq!(
            target_of("a/b/index.html", "../c/index.html#x"),
            Some(("a/c/index.html".into(), "x".into()))
        );
        assert_eq!(
            target_of("a/index.html", "#x"),
            Some(("a/index.html".into(), "x".into()))
        );
        assert_eq!(
            target_of("a/index.html", "../"),
            Some(("index.html".into(), String::new()))
        );
        assert_eq!(target_of("index.html", "../x"), None);
        assert_eq!(
            target_of("index.html", "my%20file.pdf"),
            Some(("my file.pdf".into(), String::new()))
        );
    }

    #[test]
    fn external_urls() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.x/y"));
        assert!(!is_external("a/b.html"));
        assert!(!is_external("#x"));
        // A scheme starts with a letter (RFC 3986): `1x:` is a relative path.
        assert!(!is_external("1x:y"));
    }
}
