//! Content files: front matter, where each page belongs (language, section, output path), and the
//! order pages are listed in. Markdown rendering happens later, in `render`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Config, Lang};
use crate::error::{Error, Kind, Location};
use crate::links::{ContentPath, OutputPath};
use crate::yaml;

mod plain;

/// The keys a page's front matter may have. Unknown keys are an error (with a suggestion), so a
/// typo never silently does nothing.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub template: Option<String>,
    pub lang: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub extra: serde_yaml::Value,
}

/// A markdown file split into front matter and body.
#[derive(Debug, Clone)]
pub struct Page {
    /// The path errors name (site root joined with `content/…`).
    pub file: PathBuf,
    /// The whole file, or its beginning up to the body (a build reads the body when it renders
    /// the page): see [`Held`]. [`Page::source`] gives the whole file either way.
    pub text: String,
    /// How much of the file `text` holds.
    held: Held,
    /// The markdown body within the whole file: it starts at `body.start` and runs to the end
    /// ([`Page::body_in`] the page's [`Page::source`]).
    pub body: Range<usize>,
    pub meta: FrontMatter,
    /// Its language: the tree it is in (`content/<code>/…`, else the default language).
    pub lang: Lang,
    /// Path within its language's content tree, `/`-separated: `a/b.md`, `_index.md`.
    pub rel: ContentPath,
    /// `_index.md`: the page of a section (a folder).
    pub is_section: bool,
    /// Output file, `/`-separated, relative to the output root: `zh/a/b/index.html`.
    pub output: OutputPath,
}

/// How much of its file a [`Page`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// All of it.
    Whole,
    /// Its beginning, up to the body, as first read ([`crate::load::SiteFiles::read_front_matter`]):
    /// the body is read when the page is rendered, once.
    Head,
    /// Its front matter, after the whole file, of this length and digest, was read
    /// ([`Page::pin_file`]): what is read again for each rendering must be the same.
    FrontMatter { len: usize, digest: u64 },
}

impl Page {
    /// The file's text: the one held, or the file read again, which must be what was read at
    /// first (an edit saved during a build is an error, not a page made of two versions). Its
    /// body is [`Page::body_in`] it.
    pub fn source(&self) -> Result<std::borrow::Cow<'_, str>, Error> {
        if self.held == Held::Whole {
            return Ok(std::borrow::Cow::Borrowed(&self.text));
        }
        let text = crate::load::read_page_again(&self.file)?;
        let same = match self.held {
            Held::Whole => true,
            // The front matter the site was planned from, closed where it was.
            Held::Head => {
                text.starts_with(self.text.as_str())
                    && split_front_matter(&text).map_or(0, |(_, _, b)| b.start) == self.body.start
            }
            Held::FrontMatter { len, digest: d } => text.len() == len && digest(&text) == d,
        };
        if !same {
            return Err(Error::input(
                Kind::Markdown,
                Location::file(&self.file),
                "the file changed while the site was being built",
            )
            .with_help("build again once the edit is saved"));
        }
        Ok(std::borrow::Cow::Owned(text))
    }

    /// Where the markdown body is in `source`, the page's [`Page::source`].
    pub fn body_in(&self, source: &str) -> Range<usize> {
        self.body.start..source.len()
    }

    /// For a page rendered more than once: one holding only its beginning ([`Held::Head`]) has
    /// its whole file read now, checked against that beginning, and is known from then on by its
    /// length and digest ([`Held::FrontMatter`]), so that every rendering reads the same file;
    /// a page held whole stays so.
    pub fn pin_file(&mut self) -> Result<(), Error> {
        if self.held == Held::Head {
            let whole = self.source()?;
            let held = Held::FrontMatter {
                len: whole.len(),
                digest: digest(&whole),
            };
            self.held = held;
            self.text.truncate(self.body.start);
            self.text.shrink_to_fit();
        }
        Ok(())
    }

    /// Mark a page parsed from the beginning of its file only.
    pub(crate) fn read_as_head(mut self) -> Page {
        self.held = Held::Head;
        self
    }

    /// The folder of the section this page belongs to ("" for the root). For a section page, the
    /// section it is the page of.
    pub fn section_dir(&self) -> &str {
        let rel = self.rel.as_str();
        rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The section page listing this one: its parent folder's `_index.md` (for a section page,
    /// the folder above).
    pub fn parent_section(&self) -> Option<String> {
        let dir = self.section_dir();
        if self.is_section {
            if dir.is_empty() {
                return None;
            }
            let up = dir.rfind('/').map_or("", |i| &dir[..i]);
            Some(join(up, "_index.md"))
        } else {
            Some(join(dir, "_index.md"))
        }
    }

    pub fn file_stem(&self) -> &str {
        let rel = self.rel.as_str();
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// Where the front matter sets `path` (`slug`, `aliases[1]`): its line and column, else the
    /// whole file.
    pub fn front_matter_at(&self, path: &str) -> Location {
        match split_front_matter(&self.text) {
            Some((yaml_text, first_line, _)) => {
                yaml::Spans::index(yaml_text, first_line).locate(&self.file, path)
            }
            None => Location::file(&self.file),
        }
    }

    /// What chose this page's output path: its `slug` (at its line) when it has one, else the
    /// file's own name.
    pub fn output_chosen_at(&self) -> Location {
        match &self.meta.slug {
            Some(_) if !self.is_section => self.front_matter_at("slug"),
            _ => Location::file(&self.file),
        }
    }

    pub fn template(&self) -> String {
        match &self.meta.template {
            Some(t) => t.clone(),
            None if self.is_section && self.rel == "_index.md" => "index.html".into(),
            None if self.is_section => "section.html".into(),
            None => "page.html".into(),
        }
    }
}

/// Join `/`-separated path parts, either of which may be empty.
pub fn join(dir: &str, name: &str) -> String {
    match (dir.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (false, true) => dir.to_string(),
        // Not `format!`: called for every page in the listings, where its machinery was most
        // of the cost.
        (false, false) => [dir, "/", name].concat(),
    }
}

/// Split `---` front matter from the body. Returns the YAML, the line it starts on, and the
/// body's byte range.
fn split_front_matter(text: &str) -> Option<(&str, usize, Range<usize>)> {
    let (first_end, opens) = first_line(text)?;
    if !opens {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&text[yaml_start..pos], 2, pos + line.len()..text.len()));
        }
        pos += line.len();
    }
    None
}

/// Where `text`'s first line ends (before its newline, after any byte-order mark), and whether
/// it opens front matter (`---`); `None` until the first line is whole.
fn first_line(text: &str) -> Option<(usize, bool)> {
    let after_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - after_bom.len();
    let first_end = after_bom.find('\n')?;
    Some((bom + first_end, after_bom[..first_end].trim_end() == "---"))
}

/// Whether `text`, the beginning of a file, opens front matter; `None` until its first line is
/// whole (the file may have no newline at all).
pub(crate) fn opens_front_matter(text: &str) -> Option<bool> {
    first_line(text).map(|(_, opens)| opens)
}

/// Where the body of `text` starts, when `text` begins with front matter whose closing line
/// (newline included) it holds whole: `text` may be the first part of a file.
pub(crate) fn front_matter_end(text: &str) -> Option<usize> {
    let (_, _, body) = split_front_matter(text)?;
    text[..body.start].ends_with('\n').then_some(body.start)
}

/// Parse one content file. `rel_in_content` is its path under `content/`.
pub fn parse_page(
    file: PathBuf,
    rel_in_content: &str,
    text: String,
    config: &Config,
) -> Result<Page, Error> {
    let (lang, rel) = language_of(rel_in_content, config);
    let (meta, body) = match split_front_matter(&text) {
        Some((yaml_text, first_line, body)) => {
            let meta: FrontMatter = if yaml_text.trim().is_empty() {
                FrontMatter::default()
            } else if let Some(plain) = plain::read(yaml_text) {
                plain
            } else {
                yaml::parse(yaml_text, &file, first_line, Kind::FrontMatter)?
            };
            (meta, body)
        }
        None => {
            if text.starts_with("---") {
                return Err(Error::input(
                    Kind::FrontMatter,
                    Location::at(&file, 1, 1),
                    "front matter is not closed",
                )
                .with_help("end the front matter with a line containing only `---`"));
            }
            (FrontMatter::default(), 0..text.len())
        }
    };
    let fm_line = |key: &str| -> Location {
        let fm = split_front_matter(&text).map(|(y, l, _)| (y, l));
        match fm {
            Some((y, l)) => yaml::Spans::index(y, l).locate_key(&file, key),
            None => Location::file(&file),
        }
    };
    if let Some(l) = &meta.lang
        && lang != l.as_str()
    {
        let help = match config.lang(l) {
            Some(code) if code == config.default_lang() => {
                format!("move the file out of `content/{lang}/`")
            }
            Some(code) => format!("move the file to `content/{code}/{rel}`"),
            None => format!("the site's languages are {}", config.codes().join(", ")),
        };
        return Err(Error::input(
            Kind::FrontMatter,
            fm_line("lang"),
            format!("`lang: {l}` does not match the file's place, which makes it `{lang}`"),
        )
        .with_help(help));
    }
    for (key, value) in [("date", &meta.date), ("updated", &meta.updated)] {
        if let Some(v) = value {
            let why = match v.parse::<crate::dates::Date>() {
                Ok(d) if d.precision == crate::dates::Precision::Day => continue,
                Ok(_) => "a page's date needs its day".to_string(),
                Err(why) => why,
            };
            return Err(Error::input(
                Kind::FrontMatter,
                fm_line(key),
                format!("`{key}: {v}` is not a date: {why}"),
            )
            .with_help("write dates as YYYY-MM-DD, optionally followed by a time (RFC 3339)"));
        }
    }
    if let Some(slug) = &meta.slug
        && (slug.is_empty()
            || slug.contains(['/', '\\', '?', '#'])
            || crate::output::bad_segment(slug).is_some())
    {
        let why =
            crate::output::bad_segment(slug).unwrap_or_else(|| "it is not one URL segment".into());
        let shown = shown(slug);
        return Err(Error::input(
            Kind::FrontMatter,
            fm_line("slug"),
            format!("`slug: {shown}` cannot be a URL segment: {why}"),
        )
        .with_help("use letters, digits and hyphens, without `/`"));
    }
    for (i, alias) in meta.aliases.iter().enumerate() {
        let clean = alias.trim_matches('/');
        let why = match crate::links::normalize("", clean) {
            Some(dir) if !dir.is_empty() && !clean.contains(['?', '#']) => {
                dir.split('/').find_map(crate::output::bad_segment)
            }
            _ => Some("it is not a path inside the site".into()),
        };
        if let Some(why) = why {
            let at = match split_front_matter(&text) {
                Some((y, l, _)) => yaml::Spans::index(y, l).locate(&file, &format!("aliases[{i}]")),
                None => Location::file(&file),
            };
            let shown = shown(alias);
            return Err(Error::input(
                Kind::FrontMatter,
                at,
                format!("alias `{shown}` cannot be written: {why}"),
            )
            .with_help("an alias is an old path of the page, such as `old/place/`"));
        }
    }
    Ok(place(file, lang, rel, text, body, meta, config))
}

/// Where a page whose front matter could not be read would go, so links to it do not turn into
/// knock-on errors while its own error is reported.
pub fn placeholder(file: PathBuf, rel_in_content: &str, config: &Config) -> Page {
    let (lang, rel) = language_of(rel_in_content, config);
    place(
        file,
        lang,
        rel,
        String::new(),
        0..0,
        FrontMatter::default(),
        config,
    )
}

/// The language tree of a file: `content/<code>/…` for a non-default language, else the default.
fn language_of(rel_in_content: &str, config: &Config) -> (Lang, String) {
    let tree = rel_in_content
        .split_once('/')
        .and_then(|(first, rest)| Some((config.lang(first)?, rest)))
        .filter(|(lang, _)| *lang != config.default_lang());
    match tree {
        Some((lang, rest)) => (lang, rest.to_string()),
        None => (config.default_lang(), rel_in_content.to_string()),
    }
}

fn place(
    file: PathBuf,
    lang: Lang,
    rel: String,
    text: String,
    body: Range<usize>,
    meta: FrontMatter,
    config: &Config,
) -> Page {
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    let is_section = name == "_index.md";
    let prefix = config.prefix(lang);
    let dir = match rel.rfind('/') {
        Some(i) => &rel[..i],
        None => "",
    };
    let folder = if is_section {
        dir.to_string()
    } else {
        let stem = name.strip_suffix(".md").unwrap_or(name);
        join(dir, meta.slug.as_deref().unwrap_or(stem))
    };
    let output = OutputPath::new(join(&join(prefix, &folder), "index.html"));
    Page {
        file,
        text,
        held: Held::Whole,
        body,
        meta,
        lang,
        rel: ContentPath::new(rel),
        is_section,
        output,
    }
}

/// A digest of a page's text, to recognise it when read again (with its length). FxHash, not
/// SipHash: nobody chooses these texts to collide, and SipHash was 2.5 % of a large build.
fn digest(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(text.as_bytes());
    h.finish()
}

/// Listing order: weight (pages without one last), then date (newest first), then path. A key
/// to sort by once a page (`sort_by_cached_key`): parsing two dates in each comparison was most
/// of the listings' time at 10,000 pages, on one core.
pub fn order_key(p: &Page) -> (i64, std::cmp::Reverse<Option<crate::dates::Date>>, &str) {
    // As instants (a time with an offset sorts by when it happened); validated at load.
    let date = p.meta.date.as_deref().and_then(|d| d.parse().ok());
    (
        p.meta.weight.unwrap_or(i64::MAX),
        std::cmp::Reverse(date),
        p.rel.as_str(),
    )
}

/// A path relative to the site root, as errors show it: `content/a.md` when building the
/// current folder, `site/content/a.md` for `--root site`.
pub fn display_path(root: &Path, rel: &str) -> PathBuf {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        PathBuf::from(rel)
    } else {
        root.join(rel)
    }
}

/// A front-matter value as quoted in an error: its first 60 characters, NUL made visible.
fn shown(value: &str) -> String {
    value
        .chars()
        .take(60)
        .collect::<String>()
        .replace('\0', "\\0")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title: T\nlanguages:\n  - {code: en}\n  - {code: zh}\n",
            Path::new("site.yaml"),
        )
        .unwrap()
    }

    fn page(rel: &str, text: &str) -> Result<Page, Error> {
        parse_page(
            PathBuf::from(format!("content/{rel}")),
            rel,
            text.to_string(),
            &config(),
        )
    }

    /// A page parsed from its front matter alone reads its body when rendered: the body may
    /// have been saved since (the page is then that version, whole), the front matter may not
    /// (the site was planned from it).
    #[test]
    fn a_page_read_from_its_head_gets_its_body_once_and_keeps_its_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let head = "---\ntitle: A\n---\n";
        std::fs::write(&file, format!("{head}First body.\n")).unwrap();
        let mut p = parse_page(file.clone(), "a.md", head.to_string(), &config())
            .unwrap()
            .read_as_head();
        assert_eq!(p.held, Held::Head);
        let src = p.source().unwrap();
        assert_eq!(&src[p.body_in(&src)], "First body.\n");
        std::fs::write(&file, format!("{head}Second body.\n")).unwrap();
        let src = p.source().unwrap();
        assert_eq!(&src[p.body_in(&src)], "Second body.\n");
        for changed in [
            "---\ntitle: B\n---\nSecond body.\n",
            "---\ntitle: A\nslug: b\n---\nbody\n",
            "---\ntitle: A\n---",
            "no front matter\n",
        ] {
            std::fs::write(&file, changed).unwrap();
            let e = p.source().unwrap_err().to_string();
            assert!(
                e.contains("the file changed while the site was being built"),
                "{changed:?}: {e}"
            );
        }
        std::fs::write(&file, format!("{head}Third body.\n")).unwrap();
        p.pin_file().unwrap();
        assert_eq!(p.text, head);
        let src = p.source().unwrap();
        assert_eq!(&src[p.body_in(&src)], "Third body.\n");
        // Pinned: the body may no longer change either.
        std::fs::write(&file, format!("{head}Fourth body.\n")).unwrap();
        assert!(p.source().is_err());
    }

    #[test]
    fn a_pinned_text_is_read_again_and_must_not_have_changed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let head = "---\ntitle: A\nslug: x\n---\n";
        let text = format!("{head}Body \u{0} text.\n");
        std::fs::write(&file, &text).unwrap();
        // Loading replaces NUL; so does reading again.
        let read = text.replace('\0', "\u{FFFD}");
        let mut p = parse_page(file.clone(), "a.md", head.to_string(), &config())
            .unwrap()
            .read_as_head();
        let slug_at = p.output_chosen_at();
        p.pin_file().unwrap();
        assert!(matches!(p.held, Held::FrontMatter { .. }));
        assert_eq!(p.text, head, "the front matter stays");
        assert_eq!(p.output_chosen_at(), slug_at, "and still locates its keys");
        let src = p.source().unwrap();
        assert_eq!(src, read);
        assert_eq!(&src[p.body_in(&src)], "Body \u{FFFD} text.\n");
        std::fs::write(&file, text.replace("Body", "Bodies")).unwrap();
        let e = p.source().unwrap_err().to_string();
        assert!(e.contains("changed while the site was being built"), "{e}");
        std::fs::remove_file(&file).unwrap();
        assert!(p.source().is_err());
        // A page held whole stays so, and is never read again.
        let mut whole = parse_page(file.clone(), "a.md", read.clone(), &config()).unwrap();
        whole.pin_file().unwrap();
        assert_eq!(whole.held, Held::Whole);
        assert_eq!(whole.source().unwrap(), read);
    }

    #[test]
    fn places_pages_by_language_and_slug() {
        let p = page("a/b.md", "hello").unwrap();
        assert_eq!(
            (p.lang.as_str(), p.output.as_str()),
            ("en", "a/b/index.html")
        );
        let p = page("zh/a/_index.md", "").unwrap();
        assert_eq!(
            (p.lang.as_str(), p.rel.as_str(), p.output.as_str()),
            ("zh", "a/_index.md", "zh/a/index.html")
        );
        assert!(p.is_section);
        let p = page("_index.md", "").unwrap();
        assert_eq!(p.output, "index.html");
        assert_eq!(p.template(), "index.html");
        let p = page("a/b.md", "---\nslug: other\n---\nbody").unwrap();
        assert_eq!(p.output, "a/other/index.html");
        assert_eq!(&p.text[p.body.clone()], "body");
    }

    #[test]
    fn front_matter_errors_are_in_file_coordinates() {
        let e = page("a.md", "---\ntitle: A\nwieght: 2\n---\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "content/a.md:3:1: front matter error: unknown field `wieght`, expected one of `title`, `description`, `date`, `updated`, `weight`, `draft`, `slug`, `template`, `lang`, `aliases`, `extra`\n  help: did you mean `weight`? (known keys: title, description, date, updated, weight, draft, slug, template, lang, aliases, extra)"
        );
        let e = page("a.md", "---\ntitle: A\ndate: 2026-13-01\n---\n").unwrap_err();
        assert!(
            e.to_string().starts_with(
                "content/a.md:3:1: front matter error: `date: 2026-13-01` is not a date"
            ),
            "{e}"
        );
        let e = page("a.md", "---\ntitle: A\n- b\n---\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("content/a.md:3:1: front matter error: did not find expected key"),
            "{e}"
        );
        let e = page("zh/a.md", "---\nlang: en\n---\n").unwrap_err();
        assert!(e.to_string().starts_with("content/zh/a.md:2:1:"), "{e}");
        let e = page("a.md", "---\ntitle: x\n").unwrap_err();
        assert!(e.to_string().contains("front matter is not closed"));
    }

    #[test]
    fn section_relations() {
        let p = page("a/b.md", "").unwrap();
        assert_eq!(p.parent_section().as_deref(), Some("a/_index.md"));
        let s = page("a/_index.md", "").unwrap();
        assert_eq!(s.parent_section().as_deref(), Some("_index.md"));
        assert_eq!(page("_index.md", "").unwrap().parent_section(), None);
    }
}
