//! Checking a rendered site: every internal link and `#anchor` resolves, ids are unique on a
//! page, images exist; and, as warnings, pages nothing links to and data nothing uses. Links
//! written in markdown are reported at their markdown line and column.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

mod command;
pub use command::{Checked, Outcome, check_external, check_site};

use crate::error::{Diagnostic, Error, Kind, Location, sort_diagnostics};
use crate::links::{decode, is_external, normalize};
use crate::output::{Body, OutFile};
use crate::render::PageDoc;
use crate::site::{CHARTS, FIGURES, SOURCES, Site, data_stem};

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
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// The errors as one library error, for `build` to fail with.
    pub fn to_error(&self) -> Result<(), Error> {
        Error::from_diagnostics(self.diagnostics.iter().cloned())
    }
}

/// An HTML output file taken apart: its ids and the URLs it points at.
struct Scanned {
    ids: HashMap<String, usize>,
    urls: Vec<(&'static str, String)>,
}

fn scan(html: &str) -> Scanned {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut urls = Vec::new();
    for (attr, value) in attributes(html, &["id", "href", "src"]) {
        match attr {
            "id" => *ids.entry(value).or_insert(0) += 1,
            a => urls.push((a, value)),
        }
    }
    Scanned { ids, urls }
}

/// Values of the named attributes anywhere in `html` (outside comments), entity-decoded.
fn attributes(html: &str, names: &[&'static str]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"<!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |j| i + j + 3);
            continue;
        }
        if bytes[i] == b'<' {
            // Inside a tag: look at its attributes until '>'.
            let end = html[i..].find('>').map_or(bytes.len(), |j| i + j);
            let tag = &html[i..end];
            let raw_text = tag.starts_with("<script") || tag.starts_with("<style");
            for name in names {
                let mut from = 0;
                while let Some(k) = tag[from..].find(name) {
                    let at = from + k;
                    from = at + name.len();
                    let before = tag[..at].chars().last();
                    if !before.is_some_and(char::is_whitespace) {
                        continue;
                    }
                    let rest = tag[at + name.len()..].trim_start();
                    let Some(rest) = rest.strip_prefix('=') else {
                        continue;
                    };
                    let rest = rest.trim_start();
                    let value = match rest.chars().next() {
                        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                        _ => rest
                            .split(|c: char| c.is_whitespace() || c == '>')
                            .next()
                            .unwrap_or(""),
                    };
                    out.push((*name, decode_entities(value)));
                }
            }
            i = end;
            if raw_text {
                let close = if tag.starts_with("<script") {
                    "</script"
                } else {
                    "</style"
                };
                i = html[i..].find(close).map_or(bytes.len(), |j| i + j);
            }
            continue;
        }
        i += 1;
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Where `url`, found in output file `from`, points: (output path, fragment).
fn target_of(from: &str, url: &str) -> Option<(String, String)> {
    let (path, frag) = match url.split_once('#') {
        Some((p, f)) => (p, decode(f)),
        None => (url, String::new()),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Some((from.to_string(), frag));
    }
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let mut target = normalize(dir, &decode(path))?;
    if path.ends_with('/') || target.is_empty() {
        target = crate::content::join(&target, "index.html");
    }
    Some((target, frag))
}

/// Check the rendered `files` of `site` (`docs` are its pages' rendered markdown).
pub fn check(
    site: &Site,
    docs: &[PageDoc],
    files: &[OutFile],
    template_texts: &[(String, String)],
) -> Report {
    let checker = Checker::new(
        site,
        docs,
        files.iter().map(|f| (f.path.as_str(), f.from.as_str())),
    );
    let found: Vec<FileFindings> = files.par_iter().map(|f| checker.file(f)).collect();
    checker.finish(found, template_texts)
}

/// The link check done file by file, as files are rendered, so a build never holds the whole
/// rendered site: [`Checker::file`] checks one output file against every path the build writes
/// (known before rendering) and keeps only what cross-file checks need (its ids, the anchors it
/// points at in other files, the pages it links to); [`Checker::finish`] does those.
pub struct Checker<'a> {
    site: &'a Site,
    docs: &'a [PageDoc],
    /// Every output path, and what writes it.
    from_of: HashMap<&'a str, &'a str>,
    page_by_output: HashMap<&'a str, usize>,
}

/// What [`Checker::file`] keeps of one file.
pub struct FileFindings {
    path: String,
    diagnostics: Vec<Diagnostic>,
    external: Vec<(String, Location)>,
    /// The file's ids, when it is HTML.
    ids: Option<HashSet<String>>,
    /// `#fragment` links into other files: (target, fragment, message if it is missing, where).
    anchors: Vec<(String, String, String, Location)>,
    /// Pages (indices into `site.pages`) this file links to.
    linked: Vec<u32>,
}

impl<'a> Checker<'a> {
    /// A checker for a site writing `outputs` (path, what writes it).
    pub fn new(
        site: &'a Site,
        docs: &'a [PageDoc],
        outputs: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Checker<'a> {
        Checker {
            site,
            docs,
            from_of: outputs.collect(),
            page_by_output: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.output.as_str(), i))
                .collect(),
        }
    }

    /// Check one output file on its own.
    pub fn file(&self, f: &OutFile) -> FileFindings {
        let site = self.site;
        let out = f.path.as_str();
        let mut found = FileFindings {
            path: f.path.clone(),
            diagnostics: Vec::new(),
            external: Vec::new(),
            ids: None,
            anchors: Vec::new(),
            linked: Vec::new(),
        };
        let html = match &f.body {
            Body::Text(t) if out.ends_with(".html") => t,
            _ => return found,
        };
        let page = scan(html);
        let page_index = self.page_by_output.get(out).copied();
        // Where to report a problem with a URL in this file: the markdown line if the URL was
        // written in the page's markdown, else the page file (the URL came from a template).
        let md_links: HashMap<&str, usize> = page_index
            .map(|i| {
                self.docs[i]
                    .links
                    .iter()
                    .map(|l| (l.url.as_str(), l.offset))
                    .collect()
            })
            .unwrap_or_default();
        // Links already reported while rendering (let through as warnings): not twice.
        let reported: HashSet<&str> = page_index
            .map(|i| {
                self.docs[i]
                    .links
                    .iter()
                    .filter(|l| l.broken)
                    .map(|l| l.url.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let file_loc = || match page_index {
            Some(i) => Location::file(&site.pages[i].file),
            None => Location::file(self.from_of.get(out).copied().unwrap_or(out)),
        };
        for (id, n) in &page.ids {
            if *n > 1 {
                found.diagnostics.push(Diagnostic::error(
                    Kind::Id,
                    file_loc(),
                    format!("id `{id}` appears {n} times in {out}; ids must be unique on a page"),
                ));
            }
        }
        for (attr, url) in &page.urls {
            if url.is_empty() {
                continue;
            }
            let (at, origin) = match (md_links.get(url.as_str()), page_index) {
                (Some(&offset), Some(i)) => {
                    let p = &site.pages[i];
                    (
                        Location::of_offset(&p.file, &p.text, offset, 1),
                        String::new(),
                    )
                }
                _ => (file_loc(), format!(" (in {out}, from a template)")),
            };
            if reported.contains(url.as_str()) {
                continue;
            }
            if is_external(url) {
                if url.starts_with("http://")
                    || url.starts_with("https://")
                    || url.starts_with("//")
                {
                    found.external.push((url.clone(), at));
                }
                continue;
            }
            let Some((target, frag)) = target_of(out, url) else {
                found.diagnostics.push(Diagnostic::error(
                    Kind::Link,
                    at,
                    format!("link `{url}` leads above the site's root{origin}"),
                ));
                continue;
            };
            if !self.from_of.contains_key(target.as_str()) {
                let what = if *attr == "src" {
                    "missing image or file"
                } else {
                    "broken link"
                };
                found.diagnostics.push(Diagnostic::error(
                    Kind::Link,
                    at,
                    format!("{what} `{url}`: nothing is built at `{target}`{origin}"),
                ));
                continue;
            }
            if target != out
                && let Some(&i) = self.page_by_output.get(target.as_str())
            {
                found.linked.push(i as u32);
            }
            if frag.is_empty() {
                continue;
            }
            let message = format!(
                "broken anchor `#{frag}` in `{url}`: `{target}` has no element with that id{origin}"
            );
            if target == out {
                if !page.ids.contains_key(&frag) {
                    found
                        .diagnostics
                        .push(Diagnostic::error(Kind::Link, at, message));
                }
            } else {
                found.anchors.push((target, frag, message, at));
            }
        }
        found.ids = Some(page.ids.into_keys().collect());
        found
    }

    /// The checks across files, once every file was checked on its own.
    pub fn finish(
        self,
        mut found: Vec<FileFindings>,
        template_texts: &[(String, String)],
    ) -> Report {
        let site = self.site;
        let mut report = Report::default();
        found.sort_by(|a, b| a.path.cmp(&b.path));
        let ids: HashMap<&str, &HashSet<String>> = found
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.ids.as_ref()?)))
            .collect();
        let mut linked_to = vec![false; site.pages.len()];
        let mut external: BTreeMap<String, Location> = BTreeMap::new();
        let mut diagnostics = Vec::new();
        for f in &found {
            for (target, frag, message, at) in &f.anchors {
                if let Some(t) = ids.get(target.as_str())
                    && !t.contains(frag)
                {
                    let hint = crate::error::did_you_mean(frag, t.iter().map(String::as_str))
                        .map(|h| format!("; {}", h.replacen('`', "`#", 1)))
                        .unwrap_or_default();
                    diagnostics.push(Diagnostic::error(
                        Kind::Link,
                        at.clone(),
                        format!("{message}{hint}"),
                    ));
                }
            }
            for &i in &f.linked {
                linked_to[i as usize] = true;
            }
        }
        drop(ids);
        for f in found {
            report.diagnostics.extend(f.diagnostics);
            for (url, at) in f.external {
                external.entry(url).or_insert(at);
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
        unused_data(site, self.docs, template_texts, &mut report);
        sort_diagnostics(&mut report.diagnostics);
        report.external = external.into_iter().collect();
        report
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
        let stem = data_stem(name);
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

    #[test]
    fn scans_ids_and_urls() {
        let s = scan(
            "<a href=\"x.html#a\" id=\"top\">t</a><!-- <a href=\"no\"> --><img alt=\"a\" src='i.png'><p data-id=\"no\" id=top>",
        );
        assert_eq!(s.ids.get("top"), Some(&2));
        assert_eq!(
            s.urls,
            vec![
                ("href", "x.html#a".to_string()),
                ("src", "i.png".to_string())
            ]
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
