//! Where everything is in the output, and relative URLs between any two output files, so the site
//! works at `/`, under any subpath and from `file://`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use crate::config::{Config, Lang};
use crate::content::{Page, join};

mod path;
pub use path::{ContentPath, OutputPath};

/// The address book of a build: every page, colocated asset and static file by its source path.
#[derive(Debug, Clone)]
pub struct AddressBook {
    pretty: bool,
    base_url: Option<String>,
    default_lang: Lang,
    /// Language → path in that language's tree → output path (nested, so a lookup by `&str`
    /// allocates nothing).
    pages: FxHashMap<Lang, FxHashMap<ContentPath, OutputPath>>,
    /// Path under `content/` → output path.
    assets: HashMap<String, OutputPath>,
    /// Files in `static/`, relative to it (and to the output folder, where they are copied).
    statics: HashSet<String>,
    /// Files the build writes itself (chart SVGs and CSVs, `charts/charts.css`).
    generated: HashSet<OutputPath>,
    /// Language → its folder under `content/` ("" for the default language).
    lang_dirs: HashMap<Lang, String>,
    /// Language → URL prefix.
    prefixes: HashMap<Lang, String>,
}

impl AddressBook {
    pub fn new<'a>(
        config: &Config,
        pages: impl IntoIterator<Item = &'a Page>,
        assets: &[String],
        statics: &[String],
    ) -> AddressBook {
        let default_lang = config.default_lang();
        let mut lang_dirs = HashMap::new();
        let mut prefixes = HashMap::new();
        for l in &config.languages {
            let dir = if l.code == default_lang {
                String::new()
            } else {
                l.code.to_string()
            };
            lang_dirs.insert(l.code, dir);
            prefixes.insert(l.code, l.prefix.clone());
        }
        let mut links = AddressBook {
            pretty: config.pretty_urls,
            base_url: config.base_url.clone(),
            default_lang,
            pages: FxHashMap::default(),
            assets: HashMap::new(),
            statics: statics.iter().cloned().collect(),
            generated: HashSet::new(),
            lang_dirs,
            prefixes,
        };
        for p in pages {
            links
                .pages
                .entry(p.lang)
                .or_default()
                .insert(p.rel.clone(), p.output.clone());
        }
        for a in assets {
            let out = links.asset_output(a);
            links.assets.insert(a.clone(), out);
        }
        links
    }

    /// Register files the build generates, so `url()` can point at them.
    pub fn with_generated(mut self, paths: impl IntoIterator<Item = OutputPath>) -> AddressBook {
        self.generated.extend(paths);
        self
    }

    /// Where a file under `content/` lands: its language's URL prefix replaces its language folder.
    pub fn asset_output(&self, content_rel: &str) -> OutputPath {
        if let Some((first, rest)) = content_rel.split_once('/')
            && let Some(lang) = self.lang(first)
            && lang != self.default_lang
            && let Some(prefix) = self.prefixes.get(&lang)
        {
            return OutputPath::new(join(prefix, rest));
        }
        OutputPath::new(content_rel)
    }

    /// The site's language with this code.
    pub fn lang(&self, code: &str) -> Option<Lang> {
        self.lang_dirs.keys().copied().find(|l| *l == code)
    }

    /// The site's language codes, sorted, for messages.
    pub fn codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.lang_dirs.keys().map(Lang::as_str).collect();
        codes.sort();
        codes
    }

    /// The output path of page `rel` of `lang`'s content tree.
    pub fn page_output(&self, lang: Lang, rel: &ContentPath) -> Option<&OutputPath> {
        self.page_at(lang, rel.as_str())
    }

    /// `page_output` for a content path being worked out from a link.
    fn page_at(&self, lang: Lang, rel: &str) -> Option<&OutputPath> {
        self.pages.get(&lang)?.get(rel)
    }

    pub fn has_static(&self, rel: &str) -> bool {
        self.statics.contains(rel)
    }

    /// The absolute URL of an output file, when the site has a `base_url`.
    pub fn permalink(&self, output: &OutputPath) -> Option<String> {
        let base = self.base_url.as_ref()?;
        Some(format!("{base}{}", self.shorten(&encode(output.as_str()))))
    }

    /// `index.html` dropped for hosts that serve directory indexes (`pretty_urls: true`).
    fn shorten(&self, url: &str) -> String {
        if !self.pretty {
            return url.to_string();
        }
        match url.strip_suffix("index.html") {
            Some("") => "./".to_string(),
            Some(dir) if dir.ends_with('/') => dir.to_string(),
            _ => url.to_string(),
        }
    }

    /// The URL of output file `to` as linked from output file `from`.
    pub fn relative(&self, from: &OutputPath, to: &OutputPath) -> String {
        let (from, to) = (from.as_str(), to.as_str());
        // Called for every link of every page: one pass over each path, one allocation.
        // Longest common folder prefix, ending at a '/' (a '/' both share is in both folders:
        // none comes after a file's folder).
        let (f, t) = (from.as_bytes(), to.as_bytes());
        let mut common = 0;
        for (i, (a, b)) in f.iter().zip(t).enumerate() {
            if a != b {
                break;
            }
            if *a == b'/' {
                common = i + 1;
            }
        }
        // One `../` for each folder of `from` below the common one.
        let ups = f[common..].iter().filter(|&&b| b == b'/').count();
        let rest = &to[common..];
        let mut url = String::with_capacity(ups * 3 + rest.len() + 2);
        for _ in 0..ups {
            url.push_str("../");
        }
        if rest.bytes().any(needs_encoding) {
            url.push_str(&encode(rest));
        } else {
            url.push_str(rest);
        }
        if self.pretty && (url == "index.html" || url.ends_with("/index.html")) {
            url.truncate(url.len() - "index.html".len());
        }
        if url.is_empty() {
            url.push_str("./");
        }
        url
    }

    /// The 404 page is served at any depth, so its links must not be relative: absolute with a
    /// `base_url`, else relative to the site root (right when the site is served at `/`).
    pub fn for_404(&self, to: &OutputPath) -> String {
        match &self.base_url {
            Some(base) => format!("{base}{}", self.shorten(&encode(to.as_str()))),
            None => self.relative(&OutputPath::new(NOT_FOUND), to),
        }
    }

    /// Resolve `path` for the template function `url()`: a page (`about.md`, `_index.md`,
    /// `blog/_index.md`) in `lang`, else a static file, else a file under `content/`.
    pub fn resolve(&self, from: &OutputPath, path: &str, lang: Lang) -> Result<String, String> {
        let (path, frag) = split_fragment(path);
        let clean = trim_root(path);
        let target = if clean.is_empty() || clean.ends_with(".md") {
            let rel = if clean.is_empty() { "_index.md" } else { clean };
            // An untranslated page is the default language's (partial translations).
            self.page_at(lang, rel)
                .or_else(|| self.page_at(self.default_lang, rel))
                .map(Cow::Borrowed)
                .ok_or_else(|| match lang == self.default_lang {
                    true => format!("no page `{rel}` in language `{lang}`"),
                    false => format!(
                        "no page `{rel}` in language `{lang}`, nor in `{}`",
                        self.default_lang
                    ),
                })?
        } else if self.statics.contains(clean) || self.generated.contains(clean) {
            Cow::Owned(OutputPath::new(clean))
        } else if let Some(out) = self.lang_asset(lang, clean) {
            Cow::Owned(out)
        } else {
            return Err(format!("no page, static file or content file `{clean}`"));
        };
        let mut url = if from == NOT_FOUND {
            self.for_404(&target)
        } else {
            self.relative(from, &target)
        };
        url.push_str(frag);
        Ok(url)
    }

    /// `@en/guide/mix.md#part`: a page (or file) of another language, from that language's
    /// content root; `None` for links without a language prefix (`@/` is this language's root).
    fn other_language(&self, decoded: &str, dest: &str) -> Result<Option<OutputPath>, LinkError> {
        let Some((code, rest)) = decoded
            .strip_prefix('@')
            .and_then(|d| d.split_once('/'))
            .filter(|(code, _)| !code.is_empty())
        else {
            return Ok(None);
        };
        let Some(lang) = self.lang(code) else {
            return Err(LinkError::new(format!(
                "link to nowhere: `{dest}` names the language `{code}`, and the site's languages are {}",
                self.codes().join(", ")
            )));
        };
        let rel = normalize("", rest).ok_or_else(|| {
            LinkError::new(format!("link `{dest}` leads above the content folder"))
        })?;
        let target = if rel.ends_with(".md") {
            self.page_at(lang, &rel).cloned()
        } else {
            self.lang_asset(lang, &rel)
        };
        target.map(Some).ok_or_else(|| {
            LinkError::new(format!(
                "link to nowhere: no `{code}` page or file `{rel}` for `{dest}`"
            ))
        })
    }

    /// A path that climbs out of a language's folder (`../img/a.svg` in `content/zh/x.md`):
    /// a file elsewhere in `content/`, shared by the languages.
    fn shared_file(
        &self,
        page: &Page,
        base: &str,
        within: &str,
        dest: &str,
    ) -> Result<OutputPath, LinkError> {
        let above = || LinkError::new(format!("link `{dest}` leads above the content folder"));
        let dir = self.lang_dirs.get(&page.lang).map_or("", String::as_str);
        if dir.is_empty() {
            return Err(above());
        }
        let real = normalize(&join(dir, base), within).ok_or_else(above)?;
        if real.ends_with(".md") {
            let (code, rel) = real
                .split_once('/')
                .and_then(|(d, r)| {
                    let lang = self.lang_dirs.iter().find(|(_, v)| *v == d)?.0;
                    Some((lang.as_str(), r))
                })
                .unwrap_or((self.default_lang.as_str(), real.as_str()));
            return Err(LinkError {
                message: format!(
                    "link `{dest}` leaves the `{}` pages for `content/{real}`",
                    page.lang
                ),
                help: Some(format!(
                    "to link a page of another language, write `@{code}/{rel}`"
                )),
            });
        }
        self.assets.get(&real).cloned().ok_or_else(|| {
            LinkError::new(format!(
                "link to nowhere: no file `content/{real}` for `{dest}`"
            ))
        })
    }

    fn lang_asset(&self, lang: Lang, rel: &str) -> Option<OutputPath> {
        let dir = self.lang_dirs.get(&lang).map_or("", String::as_str);
        self.assets
            .get(&join(dir, rel))
            .or_else(|| self.assets.get(rel))
            .cloned()
    }

    /// Rewrite a link written in markdown (or in raw HTML in markdown) on `page`. External links
    /// (any scheme, `//host/…`) and same-page anchors are left alone (`Ok(None)`); links to
    /// content files become relative URLs. The one place link targets are looked up:
    ///
    /// - `x.md`, `../a/b.md#part`, `/about.md` (from the content root): the page.
    /// - `x.html`, `x.html#part` (mdBook and GitHub style): the page `x.md` when it exists;
    ///   `index.html` is the folder's `_index.md`, `index.md` or `README.md`.
    /// - anything else: a file beside the markdown (`img/a.svg`), then a static file
    ///   (`/style.css`), by the same relative or root-relative path.
    pub fn markdown_link(&self, page: &Page, dest: &str) -> Result<Option<String>, LinkError> {
        if dest.is_empty() || dest.starts_with('#') || is_external(dest) {
            return Ok(None);
        }
        let (path, frag) = split_fragment(dest);
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p, format!("?{q}")),
            None => (path, String::new()),
        };
        let decoded = decode(path);
        // The relative URL, then its query and fragment: one string, not formatted into another.
        let url = |target: &OutputPath| {
            let mut url = self.relative(&page.output, target);
            url.push_str(&query);
            url.push_str(frag);
            url
        };
        if let Some(target) = self.other_language(&decoded, dest)? {
            return Ok(Some(url(&target)));
        }
        let from_root = decoded.starts_with("@/") || decoded.starts_with('/');
        let base = if from_root { "" } else { page.section_dir() };
        let within = trim_root(&decoded);
        let rel = match normalize(base, within) {
            Some(rel) => rel,
            None => {
                return self
                    .shared_file(page, base, within, dest)
                    .map(|t| Some(url(&t)));
            }
        };
        let target = match self.target(page.lang, &rel) {
            Some(t) => t,
            None => return Err(self.nowhere(page, dest, &rel, base)),
        };
        Ok(Some(url(&target)))
    }

    /// The output file of content path `rel` (see `markdown_link`), in `lang`.
    fn target(&self, lang: Lang, rel: &str) -> Option<OutputPath> {
        if rel.ends_with(".md") {
            return self.page_at(lang, rel).cloned();
        }
        if let Some(stem) = rel.strip_suffix(".html") {
            let dir = stem
                .strip_suffix("index")
                .filter(|d| d.is_empty() || d.ends_with('/'));
            let found = match dir {
                Some(dir) => ["_index.md", "index.md", "README.md"]
                    .iter()
                    .find_map(|f| self.page_at(lang, &format!("{dir}{f}"))),
                None => self.page_at(lang, &format!("{stem}.md")),
            };
            if let Some(out) = found {
                return Some(out.clone());
            }
        }
        if let Some(out) = self.lang_asset(lang, rel) {
            return Some(out);
        }
        self.statics.contains(rel).then(|| OutputPath::new(rel))
    }

    /// The error for a link to nothing, with the closest target as the author would write it.
    fn nowhere(&self, page: &Page, dest: &str, rel: &str, base: &str) -> LinkError {
        if rel.ends_with(".md")
            && page.lang != self.default_lang
            && self.page_at(self.default_lang, rel).is_some()
        {
            return LinkError {
                message: format!(
                    "link to nowhere: `{dest}` has no `{}` version (`content/{}/{rel}` does not exist)",
                    page.lang, page.lang
                ),
                help: Some(format!(
                    "to link the `{}` page, write `@{}/{rel}`",
                    self.default_lang, self.default_lang
                )),
            };
        }
        // Pages compare by name without extension (`ch03.html`, `ch03`, `ch3.md` → `ch03.md`),
        // files by their whole path.
        let stem = |p: &str| -> String {
            let p = p.trim_end_matches('/');
            let p = [".md", ".html", ".htm"]
                .iter()
                .find_map(|e| p.strip_suffix(e))
                .unwrap_or(p);
            p.strip_suffix("/_index").unwrap_or(p).to_string()
        };
        let page_rels: Vec<&str> = self
            .pages
            .get(&page.lang)
            .into_iter()
            .flat_map(|m| m.keys().map(ContentPath::as_str))
            .collect();
        let lang_dir = self.lang_dirs.get(&page.lang).map_or("", String::as_str);
        let files: Vec<&str> = self
            .assets
            .keys()
            .map(|a| {
                a.strip_prefix(lang_dir)
                    .and_then(|a| a.strip_prefix('/'))
                    .unwrap_or(a)
            })
            .chain(self.statics.iter().map(String::as_str))
            .collect();
        let wanted = stem(rel);
        let stems: Vec<String> = page_rels.iter().map(|p| stem(p)).collect();
        let closest = |given: &str, names: &[&str]| -> Option<usize> {
            names.iter().position(|n| *n == given).or_else(|| {
                let hint = crate::error::did_you_mean(given, names.iter().copied())?;
                names
                    .iter()
                    .position(|n| hint == format!("did you mean `{n}`?"))
            })
        };
        let stem_refs: Vec<&str> = stems.iter().map(String::as_str).collect();
        let found = closest(&wanted, &stem_refs)
            .map(|i| page_rels[i])
            .or_else(|| closest(rel, &files).map(|i| files[i]));
        let help = found.map(|c| {
            let written = if dest.starts_with('/') {
                format!("/{c}")
            } else {
                relative_path(base, c)
            };
            format!("did you mean `{written}`?")
        });
        let what = if rel.ends_with(".md") || rel.ends_with(".html") {
            "page"
        } else {
            "file"
        };
        LinkError {
            message: format!("link to nowhere: no {what} `{rel}` for `{dest}`"),
            help,
        }
    }
}

/// Where the 404 page is written: it is served at any depth, so its links are not relative.
const NOT_FOUND: &str = "404.html";

/// A link that leads nowhere: what is wrong, and a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkError {
    pub message: String,
    pub help: Option<String>,
}

impl LinkError {
    pub fn new(message: String) -> LinkError {
        LinkError {
            message,
            help: None,
        }
    }
}

/// The path of content file `to` as written in a page in folder `from_dir`.
fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// `path` without its leading `@/`s and `/`s (the content root, however often it is named).
/// By hand: `trim_start_matches("@/")` sets up a substring searcher for each of the thousands of
/// `url()` calls of a large build.
fn trim_root(mut path: &str) -> &str {
    while let Some(rest) = path.strip_prefix("@/") {
        path = rest;
    }
    path.trim_start_matches('/')
}

fn split_fragment(s: &str) -> (&str, &str) {
    match memchr::memchr(b'#', s.as_bytes()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// Whether a URL leaves the site: protocol-relative (`//host/…`) or with a scheme (`https:`,
/// `mailto:`). Markdown links and the link check decide with this one function.
pub(crate) fn is_external(s: &str) -> bool {
    s.starts_with("//") || has_scheme(s)
}

fn has_scheme(s: &str) -> bool {
    match memchr::memchr(b':', s.as_bytes()) {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Join `rel` onto folder `base` and resolve `.` and `..`; `None` if it climbs out.
///
/// Called for every link of every page: built in one string, without a vector of segments.
pub fn normalize(base: &str, rel: &str) -> Option<String> {
    let mut out = String::with_capacity(base.len() + rel.len() + 1);
    let push = |out: &mut String, seg: &str| {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(seg);
    };
    // The folder's own segments are taken as they are; only `rel` is resolved. An output
    // folder has no empty segment: copied whole.
    let base = base.trim_matches('/');
    if !base.as_bytes().windows(2).any(|w| w == b"//") {
        out.push_str(base);
    } else {
        for seg in segments(base).filter(|s| !s.is_empty()) {
            push(&mut out, seg);
        }
    }
    for seg in segments(rel) {
        match seg {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return None;
                }
                out.truncate(out.bytes().rposition(|b| b == b'/').unwrap_or(0));
            }
            s => push(&mut out, s),
        }
    }
    Some(out)
}

/// `s.split('/')`, by bytes: the searcher `split` sets up cost more than these short paths.
fn segments(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b'/') {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Percent-encode what may not appear raw in an `href`; non-ASCII stays (valid in HTML).
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if NEEDS_ENCODING.contains(&c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// [`NEEDS_ENCODING`] by byte (all of them are ASCII): testing each character against the
/// list was most of the time of `url()`, called for every link of every page.
fn needs_encoding(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'"' | b'<' | b'>' | b'`' | b'%' | b'?' | b'#' | b'\\' | b'^' | b'{' | b'}' | b'|'
    )
}

/// Characters that may not stand raw in a URL path in an `href`.
const NEEDS_ENCODING: &[char] = &[
    ' ', '"', '<', '>', '`', '%', '?', '#', '\\', '^', '{', '}', '|',
];

/// Undo percent-encoding (`%20` → space); invalid UTF-8 leaves the text as it was.
pub fn decode(s: &str) -> String {
    decoded(s).into_owned()
}

/// [`decode`], borrowing `s` when it has nothing to decode (most URLs).
pub fn decoded(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    if !bytes.contains(&b'%') {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Two hex digits, read as bytes: `%` may be followed by any character (`%中`).
        if bytes[i] == b'%'
            && let Some(&[hi, lo]) = bytes.get(i + 1..i + 3)
            && let (Some(hi), Some(lo)) = (hex(hi), hex(lo))
        {
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| s.to_string()))
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn the_byte_test_for_encoding_is_the_character_list() {
        assert!(NEEDS_ENCODING.iter().all(char::is_ascii));
        for b in 0..=255u8 {
            assert_eq!(
                needs_encoding(b),
                NEEDS_ENCODING.contains(&char::from(b)),
                "{b}"
            );
        }
    }

    /// The one-string `normalize` against the plain rule it replaced, on every path of up to
    /// four segments drawn from the awkward ones.
    #[test]
    fn normalize_agrees_with_the_segment_rule() {
        fn by_segments(base: &str, rel: &str) -> Option<String> {
            let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
            for seg in rel.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        parts.pop()?;
                    }
                    s => parts.push(s),
                }
            }
            Some(parts.join("/"))
        }
        let pieces = ["", ".", "..", "a", "bc", "中文", "..."];
        let mut paths = crate::testing::joins(&pieces, 4, "/");
        paths.extend(
            paths
                .clone()
                .iter()
                .map(|p| p.trim_start_matches('/').to_string()),
        );
        paths.sort();
        paths.dedup();
        let bases: Vec<&String> = paths.iter().step_by(7).collect();
        for base in bases {
            for rel in &paths {
                assert_eq!(
                    normalize(base, rel),
                    by_segments(base, rel),
                    "{base:?} + {rel:?}"
                );
            }
        }
    }

    fn out(path: &str) -> OutputPath {
        OutputPath::new(path)
    }

    /// `relative` against the rule by folders: `../` for each folder of `from` below the
    /// deepest folder both paths share, then the rest of `to`; every pair of awkward paths.
    #[test]
    fn relative_urls_follow_the_folder_rule() {
        fn by_folders(from: &str, to: &str) -> String {
            let mut from_dir: Vec<&str> = from.split('/').collect();
            from_dir.pop();
            let to_parts: Vec<&str> = to.split('/').collect();
            let to_dir = &to_parts[..to_parts.len() - 1];
            let common = from_dir
                .iter()
                .zip(to_dir)
                .take_while(|(a, b)| a == b)
                .count();
            let mut url = "../".repeat(from_dir.len() - common);
            url.push_str(&to_parts[common..].join("/"));
            url
        }
        let (book, _) = setup(false);
        let names = ["a", "b", "ab", "index.html", "a.html", "x y.html"];
        let mut paths: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        for _ in 0..2 {
            let deeper: Vec<String> = paths
                .iter()
                .flat_map(|p| ["a", "b", "ab"].map(|d| format!("{d}/{p}")))
                .collect();
            paths.extend(deeper);
        }
        for from in &paths {
            for to in &paths {
                let want = by_folders(from, to);
                let want = if want.bytes().any(needs_encoding) {
                    encode(&want)
                } else {
                    want
                };
                let want = if want.is_empty() {
                    "./".to_string()
                } else {
                    want
                };
                assert_eq!(book.relative(&out(from), &out(to)), want, "{from} → {to}");
            }
        }
    }

    fn setup(pretty: bool) -> (AddressBook, Vec<Page>) {
        let cfg = format!(
            "title: T\npretty_urls: {pretty}\nlanguages:\n  - {{code: en}}\n  - {{code: zh}}\n"
        );
        let config = Config::parse(&cfg, Path::new("site.yaml")).unwrap();
        let pages: Vec<Page> = [
            "_index.md",
            "a/b.md",
            "a/_index.md",
            "c.md",
            "zh/c.md",
            "zh/_index.md",
        ]
        .iter()
        .map(|r| crate::content::parse_page(PathBuf::from(r), r, String::new(), &config).unwrap())
        .collect();
        let links = AddressBook::new(
            &config,
            &pages,
            &["a/img/x.svg".into(), "zh/pic.png".into()],
            &["style.css".into()],
        );
        (links, pages)
    }

    #[test]
    fn relative_urls_name_the_file_by_default() {
        let (l, _) = setup(false);
        assert_eq!(
            l.relative(&out("a/b/index.html"), &out("c/index.html")),
            "../../c/index.html"
        );
        assert_eq!(
            l.relative(&out("a/b/index.html"), &out("a/index.html")),
            "../index.html"
        );
        assert_eq!(
            l.relative(&out("index.html"), &out("style.css")),
            "style.css"
        );
        assert_eq!(
            l.relative(&out("a/b/index.html"), &out("a/b/index.html")),
            "index.html"
        );
        assert_eq!(
            l.relative(&out("a/index.html"), &out("a/my file.pdf")),
            "my%20file.pdf"
        );
    }

    #[test]
    fn pretty_urls_end_in_slash() {
        let (l, _) = setup(true);
        assert_eq!(
            l.relative(&out("index.html"), &out("a/myindex.html")),
            "a/myindex.html"
        );
        assert_eq!(
            l.relative(&out("a/b/index.html"), &out("c/index.html")),
            "../../c/"
        );
        assert_eq!(
            l.relative(&out("a/b/index.html"), &out("a/b/index.html")),
            "./"
        );
        assert_eq!(l.relative(&out("a/index.html"), &out("index.html")), "../");
    }

    #[test]
    fn markdown_links_resolve_from_the_page() {
        let (l, pages) = setup(false);
        let b = &pages[1];
        assert_eq!(
            l.markdown_link(b, "../c.md#x").unwrap().unwrap(),
            "../../c/index.html#x"
        );
        assert_eq!(
            l.markdown_link(b, "_index.md").unwrap().unwrap(),
            "../index.html"
        );
        assert_eq!(
            l.markdown_link(b, "img/x.svg").unwrap().unwrap(),
            "../img/x.svg"
        );
        assert_eq!(
            l.markdown_link(b, "/style.css").unwrap().unwrap(),
            "../../style.css"
        );
        assert_eq!(l.markdown_link(b, "https://x.org/a.md").unwrap(), None);
        assert_eq!(l.markdown_link(b, "#top").unwrap(), None);
        assert!(
            l.markdown_link(b, "nope.md")
                .unwrap_err()
                .message
                .contains("link to nowhere")
        );
        assert!(
            l.markdown_link(b, "../../../x.md")
                .unwrap_err()
                .message
                .contains("above the content folder")
        );
        let hint = l.markdown_link(&pages[0], "c").unwrap_err();
        assert_eq!(
            hint.help.as_deref(),
            Some("did you mean `c.md`?"),
            "{hint:?}"
        );
        // A Chinese page links within the Chinese tree; a missing translation is named.
        let zh_c = &pages[4];
        assert_eq!(
            l.markdown_link(zh_c, "_index.md").unwrap().unwrap(),
            "../index.html"
        );
        assert!(
            l.markdown_link(zh_c, "a/b.md")
                .unwrap_err()
                .message
                .contains("no `zh` version")
        );
        assert_eq!(
            l.markdown_link(zh_c, "pic.png").unwrap().unwrap(),
            "../pic.png"
        );
        // Across languages: `@en/…` from the English root, checked like any link.
        assert_eq!(
            l.markdown_link(zh_c, "@en/a/b.md#x").unwrap().unwrap(),
            "../../a/b/index.html#x"
        );
        assert!(
            l.markdown_link(zh_c, "a/b.md")
                .unwrap_err()
                .help
                .unwrap_or_default()
                .contains("to link the `en` page, write `@en/a/b.md`")
        );
        assert!(
            l.markdown_link(zh_c, "@en/nope.md")
                .unwrap_err()
                .message
                .contains("no `en` page or file `nope.md`")
        );
        assert!(
            l.markdown_link(zh_c, "@fr/c.md")
                .unwrap_err()
                .message
                .contains("the site's languages are en, zh")
        );
        // Files shared by the languages: `../a/img/x.svg` from content/zh/c.md.
        assert_eq!(
            l.markdown_link(zh_c, "../a/img/x.svg").unwrap().unwrap(),
            "../../a/img/x.svg"
        );
        assert!(
            l.markdown_link(zh_c, "../c.md")
                .unwrap_err()
                .help
                .unwrap_or_default()
                .contains("write `@en/c.md`")
        );
        assert!(
            l.markdown_link(zh_c, "../../x.svg")
                .unwrap_err()
                .message
                .contains("above the content folder")
        );
    }

    #[test]
    fn each_kind_of_link() {
        let (l, pages) = setup(false);
        let b = &pages[1]; // a/b.md, written to a/b/index.html
        let ok = |dest: &str| l.markdown_link(b, dest).unwrap();
        // mdBook/GitHub style: `.html` finds the markdown page.
        assert_eq!(ok("../c.html").unwrap(), "../../c/index.html");
        assert_eq!(ok("../c.html#part").unwrap(), "../../c/index.html#part");
        assert_eq!(ok("index.html").unwrap(), "../index.html");
        assert_eq!(ok("/index.html").unwrap(), "../../index.html");
        assert_eq!(ok("b.md?x=1#y").unwrap(), "index.html?x=1#y");
        // Colocated and static files, relative and from the root.
        assert_eq!(ok("./img/x.svg").unwrap(), "../img/x.svg");
        assert_eq!(ok("/a/img/x.svg").unwrap(), "../img/x.svg");
        assert_eq!(ok("../style.css").unwrap(), "../../style.css");
        // Left alone: schemes, protocol-relative, anchors, empty.
        for dest in [
            "mailto:a@b.org",
            "tel:+100",
            "https://x.org",
            "//cdn.x.org/a.js",
            "#top",
            "",
            "data:image/png;base64,xx",
        ] {
            assert_eq!(ok(dest), None, "{dest}");
        }
        // Errors name the target as written and suggest one close to it.
        let e = l.markdown_link(b, "../cc.md").unwrap_err();
        assert_eq!(e.message, "link to nowhere: no page `cc.md` for `../cc.md`");
        assert_eq!(e.help.as_deref(), Some("did you mean `../c.md`?"));
        let e = l.markdown_link(b, "../c.htm").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `../c.md`?"), "{e:?}");
        let e = l.markdown_link(b, "img/y.svg").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `img/x.svg`?"));
        let e = l.markdown_link(b, "/styles.css").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `/style.css`?"));
        assert_eq!(relative_path("a/b", "a/c.md"), "../c.md");
        assert_eq!(relative_path("", "a/c.md"), "a/c.md");
        assert_eq!(relative_path("a", "a/img/x.svg"), "img/x.svg");
    }

    #[test]
    fn decode_never_splits_a_character() {
        assert_eq!(decode("%中中.md"), "%中中.md");
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("a%20b%20"), "a b ");
        assert_eq!(decode("%E4%B8%AD"), "中");
        assert_eq!(decode("%FF"), "%FF");
        let (l, pages) = setup(false);
        assert!(l.markdown_link(&pages[1], "%中中.md").is_err());
    }

    #[test]
    fn url_function_targets() {
        let (l, _) = setup(false);
        let (en, zh) = (Lang::for_test("en"), Lang::for_test("zh"));
        assert_eq!(
            l.resolve(&out("zh/c/index.html"), "_index.md", zh).unwrap(),
            "../index.html"
        );
        assert_eq!(
            l.resolve(&out("zh/c/index.html"), "c.md", en).unwrap(),
            "../../c/index.html"
        );
        assert_eq!(
            l.resolve(&out("zh/c/index.html"), "style.css", zh).unwrap(),
            "../../style.css"
        );
        assert_eq!(
            l.resolve(&out("a/b/index.html"), "a/img/x.svg", en)
                .unwrap(),
            "../img/x.svg"
        );
        assert!(l.resolve(&out("index.html"), "missing.md", en).is_err());
        assert_eq!(
            l.resolve(&out("404.html"), "style.css", en).unwrap(),
            "style.css"
        );
    }
}
