//! Rendering: every chart drawn once per language, markdown (with shortcodes) for every page in
//! parallel, then the listings every template sees (built once per language and shared by
//! reference), then every page's template in parallel. Produces the list of output files;
//! `output` writes them. The stages are run in order by [`crate::pipeline`].

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tera::{Context, Value};

mod extras;
mod feed;
mod host;

pub use extras::{extra_files, robots_note};
pub use feed::path as feed_path;

use crate::charts::ChartSet;
use crate::config::Lang;
use crate::content::{Page, order_key};
use crate::error::Error;
use crate::links::ContentPath;
use crate::markdown::{self, Doc};
use crate::output::{FileContent, Origin, OutFile};
use crate::shortcodes::SourceText;
use crate::site::Site;
use crate::templates::{RenderContext, source_value};
use host::PageHost;

pub use crate::charts::Drawings;

/// Draw every chart of `set` in every language, in parallel.
pub fn draw_charts(set: &ChartSet, langs: &[Lang]) -> Drawings {
    set.draw(langs)
}

/// A numbered reference on a page: `[n]` in the text, an entry in the list at the foot.
#[derive(Debug, Clone)]
pub struct Citation {
    pub id: String,
    pub number: usize,
    /// Id of the list entry.
    pub anchor: String,
    /// Ids of the places citing it, for links back.
    pub backrefs: Vec<String>,
}

/// A link written in a page's markdown: its URL in the output, and the byte offset in the
/// page's file where it is written (turned into line:column only when a check reports it).
#[derive(Debug, Clone)]
pub struct Link {
    pub url: String,
    pub offset: usize,
    /// Leads nowhere, and was reported while rendering (as a warning: broken links allowed).
    pub broken: bool,
}

/// A page's markdown, rendered, with what it used.
#[derive(Debug, Clone)]
pub struct PageDoc {
    pub doc: Doc,
    pub title: String,
    pub citations: Vec<Citation>,
    pub figures: Vec<String>,
    pub charts: Vec<String>,
    /// Shortcodes called (by name, once each), for incremental rebuilds after template edits.
    pub shortcodes: Vec<String>,
    pub links: Vec<Link>,
}

impl PageDoc {
    /// Keep what the checks and the build's caller need of a rendered page (title, counts,
    /// links, warnings, what it uses), not its HTML, table of contents or summary.
    pub fn keep_what_checks_need(&mut self) {
        self.doc.html = String::new();
        self.doc.toc = Vec::new();
        self.doc.summary = String::new();
    }
}

/// A Tera map from `key => value` pairs.
macro_rules! obj {
    ($($k:expr => $v:expr),* $(,)?) => {{
        // Sized at once: grown from empty, a listing entry's map was moved three times.
        let mut m = tera::Map::with_capacity([$(stringify!($k)),*].len());
        $( m.insert($k.into(), Value::from($v)); )*
        Value::from(m)
    }};
}
pub(crate) use obj;

/// How much of each page's rendered markdown phase one keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// All of it: `serve` re-renders single pages from it.
    Everything,
    /// What other pages and the checks need (title, summary, counts, links, what it uses), not
    /// its HTML or table of contents: a build renders a page's markdown again when it renders
    /// the page's template, so memory does not grow with the size of the output.
    Summaries,
}

/// What of a page its listing entry shows that comes from its markdown (the title too, unless
/// its front matter has one).
const FROM_MARKDOWN: [&str; 4] = ["summary", "word_count", "reading_time", "uses"];

/// Whether a build can render each page's markdown once, beside its template: when nothing one
/// page shows comes from another page's markdown. That holds when every page has its title in
/// its front matter, no feed is written (a feed shows summaries), no page is broken, and no
/// template shows [`FROM_MARKDOWN`] of other pages ([`crate::templates::Templates::show_of_other_pages`]).
pub fn one_pass_enough(site: &Site) -> bool {
    site.broken.is_empty()
        && !site.config.feed
        && site.pages.iter().all(|p| p.meta.title.is_some())
        && !FROM_MARKDOWN
            .iter()
            .any(|field| site.templates.show_of_other_pages(field))
}

/// What the listings need of each page when its markdown is rendered only beside its template
/// ([`one_pass_enough`]): its title, from its front matter.
pub fn titles_only(site: &Site) -> Vec<PageDoc> {
    site.pages
        .par_iter()
        .with_max_len(crate::FILES_PER_TASK)
        .map(|p| PageDoc {
            doc: Doc::default(),
            title: p.meta.title.clone().unwrap_or_default(),
            citations: Vec::new(),
            figures: Vec::new(),
            charts: Vec::new(),
            shortcodes: Vec::new(),
            links: Vec::new(),
        })
        .collect()
}

/// Phase one: every page's markdown, all errors of all pages collected (with the errors of
/// pages that could not be read).
pub fn render_all_markdown(
    site: &Site,
    drawings: &Drawings,
    keep: Keep,
) -> Result<Vec<PageDoc>, Error> {
    let results: Vec<Result<PageDoc, Error>> = site
        .pages
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|p| markdown_of(site, drawings, p, &p.source()?, keep))
        .collect();
    Error::all_ok(results, site.broken.to_vec())
}

/// Phase three: the pages at indices `which` through their templates, all errors collected.
pub fn render_pages(
    site: &Site,
    shared: &Shared,
    docs: &[PageDoc],
    which: &[usize],
) -> Result<Vec<OutFile>, Error> {
    let results: Vec<Result<OutFile, Error>> = which
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|&i| render_page(site, shared, &site.pages[i], &docs[i]))
        .collect();
    Error::all_ok(results, Vec::new())
}

/// One page's markdown, with its shortcodes (charts come from `drawings`).
pub fn render_markdown(site: &Site, drawings: &Drawings, page: &Page) -> Result<PageDoc, Error> {
    render_markdown_of(site, drawings, page, &page.source()?)
}

/// [`render_markdown`] of `text`, the page's text already at hand.
pub fn render_markdown_of(
    site: &Site,
    drawings: &Drawings,
    page: &Page,
    text: &str,
) -> Result<PageDoc, Error> {
    markdown_of(site, drawings, page, text, Keep::Everything)
}

fn markdown_of(
    site: &Site,
    drawings: &Drawings,
    page: &Page,
    text: &str,
    keep: Keep,
) -> Result<PageDoc, Error> {
    let mut host = PageHost {
        site,
        drawings,
        page,
        citations: Vec::new(),
        nth: HashMap::new(),
        figures: Vec::new(),
        charts: Vec::new(),
        links: Vec::new(),
    };
    let mut ids = markdown::Ids::default();
    let src = SourceText {
        path: &page.file,
        text,
    };
    let body = page.body_in(text);
    let doc = match keep {
        Keep::Everything => markdown::render(src, body, &mut host, &mut ids)?,
        Keep::Summaries => markdown::render_without_html(src, body, &mut host, &mut ids)?,
    };
    let title = page
        .meta
        .title
        .clone()
        .or_else(|| doc.first_h1.clone())
        .unwrap_or_else(|| page.file_stem().to_string());
    let mut shortcodes: Vec<String> = host.nth.into_keys().collect();
    shortcodes.sort();
    Ok(PageDoc {
        doc,
        title,
        citations: host.citations,
        figures: host.figures,
        charts: host.charts,
        shortcodes,
        links: host.links,
    })
}

/// What every template of one language shares: the `site` value (with all listings), built once.
pub struct Shared {
    site_by_lang: HashMap<Lang, Value>,
    /// Language → path in its tree → index into pages.
    index: HashMap<Lang, FxHashMap<ContentPath, usize>>,
    /// Language → section page (its content path) → the pages and sections it lists, in
    /// listing order (its own pages, and the default language's pages it has no translation
    /// of): found once here, not by scanning every page for every section page.
    children: HashMap<Lang, HashMap<String, Vec<usize>>>,
    entries: Vec<Value>,
}

impl Shared {
    fn find(&self, lang: Lang, rel: &ContentPath) -> Option<usize> {
        self.index.get(&lang)?.get(rel).copied()
    }

    pub fn new(site: &Site, docs: &[PageDoc]) -> Shared {
        let entries: Vec<Value> = site
            .pages
            .par_iter()
            .zip(docs)
            .with_max_len(crate::FILES_PER_TASK)
            .map(|(p, d)| entry_value(site, p, d))
            .collect();
        let mut index: HashMap<Lang, FxHashMap<ContentPath, usize>> = HashMap::new();
        for (i, p) in site.pages.iter().enumerate() {
            index.entry(p.lang).or_default().insert(p.rel.clone(), i);
        }
        let default = site.config.default_lang();
        let mut site_by_lang = HashMap::new();
        let mut children = HashMap::new();
        for lang in &site.config.languages {
            let own: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].lang == lang.code)
                .collect();
            let uses = usage(site, docs, &own);
            // A partial translation lists the default language's pages it lacks, as they are
            // (their entries keep their `lang`, for templates to mark with `hreflang`).
            let mut idx = own;
            if lang.code != default {
                let here = index.get(&lang.code);
                idx.extend((0..site.pages.len()).filter(|&i| {
                    let p = &site.pages[i];
                    p.lang == default && !here.is_some_and(|m| m.contains_key(&p.rel))
                }));
            }
            idx.sort_by_cached_key(|&i| order_key(&site.pages[i]));
            let pages: Vec<Value> = idx
                .iter()
                .filter(|&&i| !site.pages[i].is_section)
                .map(|&i| entries[i].clone())
                .collect();
            let sections: Vec<Value> = idx
                .iter()
                .filter(|&&i| site.pages[i].is_section)
                .map(|&i| entries[i].clone())
                .collect();
            let languages: Vec<Value> = site
                .config
                .languages
                .iter()
                .map(|l| obj! { "code" => l.code.as_str(), "name" => l.name.as_str(), "prefix" => l.prefix.as_str() })
                .collect();
            let value = obj! {
                "title" => site.config.title.of(lang.code.as_str()),
                "description" => site.config.description.of(lang.code.as_str()),
                "lang" => lang.code.as_str(),
                "default_language" => default.as_str(),
                "languages" => languages,
                "base_url" => site.config.base_url.as_deref(),
                "pretty_urls" => site.config.pretty_urls,
                "feed" => site.config.feed.then(|| feed::path(&lang.prefix)),
                "extra" => crate::yaml::to_template(&site.config.extra),
                "pages" => pages,
                "sections" => sections,
                "uses" => uses,
            };
            site_by_lang.insert(lang.code, value);
            let mut by_section: HashMap<String, Vec<usize>> = HashMap::new();
            for &i in &idx {
                if let Some(parent) = site.pages[i].parent_section() {
                    by_section.entry(parent).or_default().push(i);
                }
            }
            children.insert(lang.code, by_section);
        }
        Shared {
            site_by_lang,
            index,
            children,
            entries,
        }
    }
}

/// For each figure, source and chart: the pages of these indices that use it.
fn usage(site: &Site, docs: &[PageDoc], idx: &[usize]) -> Value {
    let mut figures: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut sources: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut charts: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for &i in idx {
        let (p, d) = (&site.pages[i], &docs[i]);
        let add = |map: &mut BTreeMap<String, Vec<Value>>, id: &str, anchor: Option<String>| {
            let list = map.entry(id.to_string()).or_default();
            if !list
                .iter()
                .any(|v| v.get_from_path("path").and_then(Value::as_str) == Some(p.rel.as_str()))
            {
                list.push(obj! { "path" => p.rel.as_str(), "lang" => p.lang.as_str(), "title" => d.title.as_str(), "anchor" => anchor });
            }
        };
        for f in &d.figures {
            add(&mut figures, f, None);
        }
        for c in &d.citations {
            add(&mut sources, &c.id, Some(c.anchor.clone()));
        }
        for c in &d.charts {
            add(&mut charts, c, Some(format!("chart-{c}")));
        }
    }
    obj! { "figures" => figures, "sources" => sources, "charts" => charts }
}

/// A page as listings show it (no content; the summary is there).
fn entry_value(site: &Site, p: &Page, d: &PageDoc) -> Value {
    let m = &p.meta;
    obj! {
        "title" => d.title.as_str(),
        "description" => m.description.as_deref(),
        "date" => m.date.as_deref(),
        "updated" => m.updated.as_deref(),
        "weight" => m.weight,
        "draft" => m.draft,
        "slug" => m.slug.as_deref(),
        "path" => p.rel.as_str(),
        "lang" => p.lang.as_str(),
        "output" => p.output.as_str(),
        "permalink" => site.links.permalink(&p.output),
        "is_section" => p.is_section,
        "section" => p.parent_section(),
        "summary" => Value::safe_string(&d.doc.summary),
        "word_count" => d.doc.words,
        "reading_time" => d.doc.reading_minutes(),
        "extra" => crate::yaml::to_template(&m.extra),
    }
}

/// `[{level, id, title, children}]`. Through serde: Tera builds each map once that way, where
/// a map built here is hashed again, key by key, when it becomes a `Value`.
fn toc_value(toc: &[markdown::TocEntry]) -> Value {
    // Numbers, strings and lists of them: serialising cannot fail.
    Value::try_from_serializable(toc).unwrap_or_else(|_| Value::from(Vec::<Value>::new()))
}

pub fn render_page(site: &Site, shared: &Shared, p: &Page, d: &PageDoc) -> Result<OutFile, Error> {
    let lang = p.lang;
    let mut page = shared.entries[shared.find(lang, &p.rel).expect("every page is indexed")]
        .as_map()
        .cloned()
        .expect("entries are maps");
    page.insert("content".into(), Value::safe_string(&d.doc.html));
    // The page's own, from its markdown at hand (a one-pass build's listings lack them).
    page.insert("summary".into(), Value::safe_string(&d.doc.summary));
    page.insert("word_count".into(), Value::from(d.doc.words));
    page.insert("reading_time".into(), Value::from(d.doc.reading_minutes()));
    page.insert("toc".into(), toc_value(&d.doc.toc));
    page.insert("highlight".into(), Value::from(d.doc.highlighted));
    let citations: Vec<Value> = d
        .citations
        .iter()
        .map(|c| {
            let s = site.facts.source(&c.id).map(|s| source_value(s, lang.as_str())).unwrap_or_else(Value::none);
            obj! { "id" => c.id.as_str(), "number" => c.number, "anchor" => c.anchor.as_str(), "backrefs" => c.backrefs.clone(), "source" => s }
        })
        .collect();
    page.insert("citations".into(), Value::from(citations));
    page.insert("figures".into(), Value::from(d.figures.clone()));
    page.insert("charts".into(), Value::from(d.charts.clone()));
    if p.is_section {
        // Already in listing order, untranslated pages included.
        let children: &[usize] = shared.children[&lang]
            .get(p.rel.as_str())
            .map_or(&[], Vec::as_slice);
        let pages: Vec<Value> = children
            .iter()
            .filter(|&&i| !site.pages[i].is_section)
            .map(|&i| shared.entries[i].clone())
            .collect();
        let subs: Vec<Value> = children
            .iter()
            .filter(|&&i| site.pages[i].is_section)
            .map(|&i| shared.entries[i].clone())
            .collect();
        page.insert("pages".into(), Value::from(pages));
        page.insert("subsections".into(), Value::from(subs));
    }
    let page = Value::from(page);

    // Serialised, as the table of contents is: each map is built once.
    #[derive(serde::Serialize)]
    struct Translation<'a> {
        lang: &'a str,
        name: &'a str,
        path: &'a str,
        title: Option<&'a str>,
        permalink: Option<String>,
        current: bool,
    }
    let translations: Vec<Translation> = site
        .config
        .languages
        .iter()
        .filter_map(|l| {
            let i = shared.find(l.code, &p.rel)?;
            let title = shared.entries[i]
                .as_map()
                .and_then(|m| m.get(&tera::value::Key::Str("title")))
                .and_then(Value::as_str);
            Some(Translation {
                lang: l.code.as_str(),
                name: l.name.as_str(),
                path: p.rel.as_str(),
                title,
                permalink: site.links.permalink(&site.pages[i].output),
                current: l.code == p.lang,
            })
        })
        .collect();
    // Strings and booleans: serialising cannot fail.
    let translations =
        Value::try_from_serializable(&translations).unwrap_or_else(|_| Value::none());
    // Languages this page is not translated into, for a switcher to say so.
    let untranslated: Vec<Value> = site
        .config
        .languages
        .iter()
        .filter(|l| shared.find(l.code, &p.rel).is_none())
        .map(|l| obj! { "lang" => l.code.as_str(), "name" => l.name.as_str() })
        .collect();

    let mut ctx = Context::new();
    ctx.insert_value("page", page.clone());
    if p.is_section {
        ctx.insert_value("section", page);
    }
    ctx.insert_value("site", shared.site_by_lang[&lang].clone());
    ctx.insert_value("data", site.data.clone());
    ctx.insert("lang", lang.as_str());
    ctx.insert_value("translations", translations);
    ctx.insert_value("untranslated", Value::from(untranslated));
    let rc = RenderContext {
        dest: &p.output,
        lang,
        source: Some(&p.file),
    };
    // The page's HTML and room for the template's part (more grows the buffer as needed).
    let capacity = d.doc.html.len() + d.doc.html.len() / 4 + 4096;
    let html = site
        .templates
        .render_sized(&p.template(), &ctx, &rc, capacity)?;
    Ok(OutFile {
        path: p.output.clone(),
        body: FileContent::Text(html),
        from: Origin::file(p.output_chosen_at()),
    })
}
