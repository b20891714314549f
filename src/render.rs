//! Rendering: markdown (with shortcodes) for every page in parallel, then the listings every
//! template sees (built once per language and shared by reference), then every page's template
//! in parallel. Produces the list of output files; `output` writes them.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::content::{Page, order};
use crate::error::{Error, Kind, Location, did_you_mean};
use crate::markdown::{self, Doc, Host};
use crate::output::{Body, OutFile};
use crate::shortcodes::{Arg, Call, Source};
use crate::site::Site;
use crate::templates::{DEST, figure_value, source_value};

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

/// A link written in a page's markdown: as written, as it is in the output, and where.
#[derive(Debug, Clone)]
pub struct Link {
    pub written: String,
    pub url: String,
    pub at: Location,
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

macro_rules! obj {
    ($($k:expr => $v:expr),* $(,)?) => {{
        let mut m = tera::Map::new();
        $( m.insert($k.into(), Value::from($v)); )*
        Value::from(m)
    }};
}

/// Render the whole site to output files (with each page's rendered markdown, for checks).
pub fn render_site(site: &Site) -> Result<(Vec<PageDoc>, Vec<OutFile>), Error> {
    let docs = render_all_markdown(site)?;
    let shared = Shared::new(site, &docs);
    let mut files: Vec<OutFile> = site
        .pages
        .par_iter()
        .zip(docs.par_iter())
        .map(|(p, d)| render_page(site, &shared, p, d))
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<Vec<_>, Error>>()
        .or_else(|e| Error::collect(vec![e]).map(|_| Vec::new()))?;
    files.extend(extra_files(site, &shared)?);
    Ok((docs, files))
}

/// Phase one: every page's markdown, all errors of all pages collected.
pub fn render_all_markdown(site: &Site) -> Result<Vec<PageDoc>, Error> {
    let results: Vec<Result<PageDoc, Error>> = site
        .pages
        .par_iter()
        .map(|p| render_markdown(site, p))
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut errors: Vec<Error> = site.broken.to_vec();
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    Ok(docs)
}

pub fn render_markdown(site: &Site, page: &Page) -> Result<PageDoc, Error> {
    let mut host = PageHost {
        site,
        page,
        citations: Vec::new(),
        nth: HashMap::new(),
        figures: Vec::new(),
        charts: Vec::new(),
        links: Vec::new(),
    };
    let mut ids = HashSet::new();
    let src = Source {
        path: &page.file,
        text: &page.text,
    };
    let doc = markdown::render(src, page.body.clone(), &mut host, &mut ids)?;
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

struct PageHost<'a> {
    site: &'a Site,
    page: &'a Page,
    citations: Vec<Citation>,
    nth: HashMap<String, usize>,
    figures: Vec<String>,
    charts: Vec<String>,
    links: Vec<Link>,
}

impl PageHost<'_> {
    /// Cite `id` from the element with id `backref`; returns the citation's index.
    fn cite(&mut self, id: &str, backref: String) -> usize {
        match self.citations.iter().position(|c| c.id == id) {
            Some(i) => {
                self.citations[i].backrefs.push(backref);
                i
            }
            None => {
                self.citations.push(Citation {
                    id: id.to_string(),
                    number: self.citations.len() + 1,
                    anchor: format!("ref-{id}"),
                    backrefs: vec![backref],
                });
                self.citations.len() - 1
            }
        }
    }

    fn id_arg<'c>(&self, src: Source, call: &'c Call) -> Result<&'c str, Error> {
        match call.arg("id") {
            Some(Arg::Str(s)) => Ok(s),
            Some(_) => Err(Error::input(
                Kind::Shortcode,
                src.loc(call.arg_offset("id")),
                format!("`{}`: `id` must be a string", call.name),
            )),
            None => Err(Error::input(
                Kind::Shortcode,
                src.loc(call.span.start),
                format!("`{}` needs an `id`", call.name),
            )
            .with_help(format!("write `{{{{ {}(id=\"…\") }}}}`", call.name))),
        }
    }
}

impl Host for PageHost<'_> {
    fn resolve_link(&mut self, dest: &str, at: &Location) -> Result<Option<String>, String> {
        let resolved = self.site.links.markdown_link(self.page, dest)?;
        self.links.push(Link {
            written: dest.to_string(),
            url: resolved.clone().unwrap_or_else(|| dest.to_string()),
            at: at.clone(),
        });
        Ok(resolved)
    }

    fn shortcode(
        &mut self,
        src: Source,
        call: &Call,
        body: Option<String>,
    ) -> Result<String, Error> {
        let site = self.site;
        let lang = self.page.lang.as_str();
        let nth = {
            let n = self.nth.entry(call.name.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let mut ctx = Context::new();
        for (k, v) in &call.args {
            ctx.insert(k.clone(), v);
        }
        ctx.insert("nth", &nth);
        ctx.insert("lang", lang);
        ctx.insert(DEST, &self.page.output);
        ctx.insert_value("data", site.data.clone());
        ctx.insert_value(
            "page",
            obj! { "path" => self.page.rel.as_str(), "lang" => lang },
        );
        if let Some(b) = body {
            ctx.insert_value("body", Value::safe_string(&b));
        }
        let here = |key: &str| src.loc(call.arg_offset(key));
        match call.name.as_str() {
            "fig" => {
                let id = self.id_arg(src, call)?;
                let fig = site.facts.figure(id).ok_or_else(|| {
                    Error::input(
                        Kind::Shortcode,
                        here("id"),
                        format!("unknown figure `{id}`"),
                    )
                    .with_help(site.facts.unknown_figure_hint(id))
                })?;
                self.figures.push(id.to_string());
                ctx.insert_value("figure", figure_value(fig, &site.facts, lang));
            }
            "cite" => {
                let id = self.id_arg(src, call)?;
                let source = site.facts.source(id).ok_or_else(|| {
                    Error::input(
                        Kind::Shortcode,
                        here("id"),
                        format!("unknown source `{id}`"),
                    )
                    .with_help(site.facts.unknown_source_hint(id))
                })?;
                let backref = format!("cite-{id}-{nth}");
                let i = self.cite(id, backref.clone());
                let c = &self.citations[i];
                ctx.insert_value(
                    "citation",
                    obj! { "id" => id, "number" => c.number, "anchor" => c.anchor.as_str(), "backref" => backref.as_str(), "source" => source_value(source, lang) },
                );
            }
            "chart" => {
                let id = self.id_arg(src, call)?;
                let chart = site.charts.get(id).ok_or_else(|| {
                    let hint = did_you_mean(id, site.charts.iter().map(|c| c.id()))
                        .unwrap_or_else(|| "charts are defined in content/data/charts.yaml".into());
                    Error::input(Kind::Shortcode, here("id"), format!("unknown chart `{id}`"))
                        .with_help(hint)
                })?;
                if self.charts.iter().any(|c| c == id) {
                    return Err(Error::input(
                        Kind::Shortcode,
                        here("id"),
                        format!("chart `{id}` is already on this page"),
                    )
                    .with_help("a chart's element ids must be unique on a page: show it once"));
                }
                self.charts.push(id.to_string());
                self.figures.extend(chart.figure_ids());
                let anchor = format!("chart-{id}");
                let mut sources = Vec::new();
                for sid in chart.source_ids() {
                    let i = self.cite(&sid, anchor.clone());
                    let c = &self.citations[i];
                    let s = site
                        .facts
                        .source(&sid)
                        .map(|s| source_value(s, lang))
                        .unwrap_or_else(Value::none);
                    let title = s
                        .get_from_path("title")
                        .cloned()
                        .unwrap_or_else(Value::none);
                    let date = s.get_from_path("date").cloned().unwrap_or_else(Value::none);
                    sources.push(obj! { "id" => sid.as_str(), "number" => c.number, "anchor" => c.anchor.as_str(), "title" => title, "date" => date });
                }
                let drawing = &site.drawings[&(id.to_string(), lang.to_string())];
                let csv = site
                    .links
                    .relative(&self.page.output, &format!("charts/{id}.csv"));
                let svg = site
                    .links
                    .relative(&self.page.output, &format!("charts/{id}.{lang}.svg"));
                ctx.insert_value(
                    "chart",
                    obj! {
                        "id" => id, "kind" => chart.kind(), "anchor" => anchor.as_str(),
                        "title" => drawing.title.as_str(), "subtitle" => drawing.subtitle.as_deref(),
                        "desc" => drawing.desc.as_str(), "notes" => drawing.notes.as_deref(),
                        "svg" => Value::safe_string(&drawing.svg_inline),
                        "table" => Value::safe_string(&drawing.table_html),
                        "csv_url" => csv.as_str(), "svg_url" => svg.as_str(),
                        "sources" => sources, "labels" => chart_labels(lang),
                    },
                );
            }
            name => {
                if !site.templates.has(&format!("shortcodes/{name}.html")) {
                    let known: Vec<String> = site
                        .templates
                        .names()
                        .filter_map(|n| {
                            n.strip_prefix("shortcodes/")?
                                .strip_suffix(".html")
                                .map(str::to_string)
                        })
                        .collect();
                    let hint =
                        did_you_mean(name, known.iter().map(String::as_str)).unwrap_or_else(|| {
                            format!(
                                "create templates/shortcodes/{name}.html; known shortcodes: {}",
                                known.join(", ")
                            )
                        });
                    return Err(Error::input(
                        Kind::Shortcode,
                        src.loc(call.span.start),
                        format!("unknown shortcode `{name}`"),
                    )
                    .with_help(hint));
                }
            }
        }
        let template = format!("shortcodes/{}.html", call.name);
        let html = site
            .templates
            .render(&template, &ctx, Some(&self.page.file))
            .map_err(|e| {
                let at = src.loc(call.span.start);
                e.with_help(format!("in shortcode `{}` called at {at}", call.name))
            })?;
        Ok(if call.body.is_none() {
            html.trim().to_string()
        } else {
            html
        })
    }
}

/// Built-in wording under charts, in the languages the generator knows (English otherwise).
fn chart_labels(lang: &str) -> Value {
    if lang == "zh" || lang.starts_with("zh-") {
        obj! { "source" => "来源：", "csv" => "数据（CSV）", "svg" => "图（SVG）", "table" => "查看数据表" }
    } else {
        obj! { "source" => "Source:", "csv" => "Data (CSV)", "svg" => "Chart (SVG)", "table" => "Show the numbers" }
    }
}

/// What every template of one language shares: the `site` value (with all listings), built once.
pub struct Shared {
    site_by_lang: HashMap<String, Value>,
    /// (lang, rel) → index into pages.
    index: HashMap<(String, String), usize>,
    entries: Vec<Value>,
}

impl Shared {
    pub fn new(site: &Site, docs: &[PageDoc]) -> Shared {
        let entries: Vec<Value> = site
            .pages
            .iter()
            .zip(docs)
            .map(|(p, d)| entry_value(site, p, d))
            .collect();
        let index: HashMap<(String, String), usize> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.lang.clone(), p.rel.clone()), i))
            .collect();
        let mut site_by_lang = HashMap::new();
        for lang in &site.config.languages {
            let mut idx: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].lang == lang.code)
                .collect();
            idx.sort_by(|&a, &b| order(&site.pages[a], &site.pages[b]));
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
            let uses = usage(site, docs, &idx);
            let languages: Vec<Value> = site
                .config
                .languages
                .iter()
                .map(|l| obj! { "code" => l.code.as_str(), "name" => l.name.as_str(), "prefix" => l.prefix.as_str() })
                .collect();
            let value = obj! {
                "title" => site.config.title.of(&lang.code),
                "description" => site.config.description.of(&lang.code),
                "lang" => lang.code.as_str(),
                "default_language" => site.config.default_language().code.as_str(),
                "languages" => languages,
                "base_url" => site.config.base_url.as_deref(),
                "pretty_urls" => site.config.pretty_urls,
                "extra" => Value::from_serializable(&site.config.extra),
                "pages" => pages,
                "sections" => sections,
                "uses" => uses,
            };
            site_by_lang.insert(lang.code.clone(), value);
        }
        Shared {
            site_by_lang,
            index,
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
        "extra" => Value::from_serializable(&m.extra),
    }
}

fn toc_value(toc: &[markdown::TocEntry]) -> Value {
    Value::from(
        toc.iter()
            .map(|t| obj! { "level" => t.level, "id" => t.id.as_str(), "title" => t.title.as_str(), "children" => toc_value(&t.children) })
            .collect::<Vec<_>>(),
    )
}

fn render_page(site: &Site, shared: &Shared, p: &Page, d: &PageDoc) -> Result<OutFile, Error> {
    let lang = p.lang.as_str();
    let mut page = shared.entries[shared.index[&(p.lang.clone(), p.rel.clone())]]
        .as_map()
        .cloned()
        .expect("entries are maps");
    page.insert("content".into(), Value::safe_string(&d.doc.html));
    page.insert("toc".into(), toc_value(&d.doc.toc));
    let citations: Vec<Value> = d
        .citations
        .iter()
        .map(|c| {
            let s = site.facts.source(&c.id).map(|s| source_value(s, lang)).unwrap_or_else(Value::none);
            obj! { "id" => c.id.as_str(), "number" => c.number, "anchor" => c.anchor.as_str(), "backrefs" => c.backrefs.clone(), "source" => s }
        })
        .collect();
    page.insert("citations".into(), Value::from(citations));
    page.insert("figures".into(), Value::from(d.figures.clone()));
    page.insert("charts".into(), Value::from(d.charts.clone()));
    if p.is_section {
        let mut children: Vec<usize> = (0..site.pages.len())
            .filter(|&i| {
                let c = &site.pages[i];
                c.lang == p.lang && c.parent_section().as_deref() == Some(p.rel.as_str())
            })
            .collect();
        children.sort_by(|&a, &b| order(&site.pages[a], &site.pages[b]));
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

    let translations: Vec<Value> = site
        .config
        .languages
        .iter()
        .filter_map(|l| {
            let i = *shared.index.get(&(l.code.clone(), p.rel.clone()))?;
            let e = &shared.entries[i];
            Some(obj! {
                "lang" => l.code.as_str(), "name" => l.name.as_str(), "path" => p.rel.as_str(),
                "title" => e.get_from_path("title").cloned().unwrap_or_else(Value::none),
                "permalink" => site.links.permalink(&site.pages[i].output),
                "current" => l.code == p.lang,
            })
        })
        .collect();

    let mut ctx = Context::new();
    ctx.insert_value("page", page.clone());
    if p.is_section {
        ctx.insert_value("section", page);
    }
    ctx.insert_value("site", shared.site_by_lang[lang].clone());
    ctx.insert_value("data", site.data.clone());
    ctx.insert("lang", lang);
    ctx.insert_value("translations", Value::from(translations));
    ctx.insert(DEST, &p.output);
    let html = site.templates.render(&p.template(), &ctx, Some(&p.file))?;
    Ok(OutFile {
        path: p.output.clone(),
        body: Body::Text(html),
        from: p.file.display().to_string(),
    })
}

/// Everything besides pages: 404, aliases, chart files, sitemap, robots.txt, static files and
/// colocated assets.
fn extra_files(site: &Site, shared: &Shared) -> Result<Vec<OutFile>, Error> {
    let mut files = Vec::new();
    let default = &site.config.default_language().code;
    if site.templates.has("404.html") {
        let mut ctx = Context::new();
        ctx.insert_value("site", shared.site_by_lang[default].clone());
        ctx.insert_value("data", site.data.clone());
        ctx.insert("lang", default);
        ctx.insert_value("translations", Value::from(Vec::<Value>::new()));
        ctx.insert(DEST, "404.html");
        let html = site.templates.render("404.html", &ctx, None)?;
        files.push(OutFile {
            path: "404.html".into(),
            body: Body::Text(html),
            from: site.display("templates/404.html").display().to_string(),
        });
    }
    for p in &site.pages {
        for alias in &p.meta.aliases {
            let clean = alias.trim_matches('/');
            let Some(dir) = crate::links::normalize("", clean).filter(|d| !d.is_empty()) else {
                return Err(Error::input(
                    Kind::FrontMatter,
                    Location::file(&p.file),
                    format!("alias `{alias}` is not a path inside the site"),
                ));
            };
            let out = if dir.ends_with(".html") {
                dir
            } else {
                format!("{dir}/index.html")
            };
            let target = site.links.relative(&out, &p.output);
            files.push(OutFile {
                path: out,
                body: Body::Text(redirect_page(
                    &target,
                    site.links.permalink(&p.output).as_deref(),
                )),
                from: format!("alias in {}", p.file.display()),
            });
        }
    }
    for chart in site.charts.iter() {
        let id = chart.id();
        for lang in site.langs() {
            let d = &site.drawings[&(id.to_string(), lang.clone())];
            files.push(OutFile {
                path: format!("charts/{id}.{lang}.svg"),
                body: Body::Text(d.svg_file.clone()),
                from: format!("chart `{id}`"),
            });
        }
        let d = &site.drawings[&(id.to_string(), default.clone())];
        files.push(OutFile {
            path: format!("charts/{id}.csv"),
            body: Body::Text(d.csv.clone()),
            from: format!("chart `{id}`"),
        });
    }
    if let Some(base) = &site.config.base_url {
        files.push(OutFile {
            path: "sitemap.xml".into(),
            body: Body::Text(sitemap(site)),
            from: "sitemap".into(),
        });
        files.push(OutFile {
            path: "robots.txt".into(),
            body: Body::Text(format!(
                "User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
            )),
            from: "robots.txt".into(),
        });
    }
    for s in &site.statics {
        files.push(OutFile {
            path: s.clone(),
            body: Body::Copy(site.root.join("static").join(s)),
            from: site.display(&format!("static/{s}")).display().to_string(),
        });
    }
    for a in &site.assets {
        files.push(OutFile {
            path: site.links.asset_output(a),
            body: Body::Copy(site.root.join("content").join(a)),
            from: site.display(&format!("content/{a}")).display().to_string(),
        });
    }
    Ok(files)
}

fn redirect_page(target: &str, permalink: Option<&str>) -> String {
    let t = crate::escape::html(target);
    let canonical = permalink
        .map(|p| {
            format!(
                "<link rel=\"canonical\" href=\"{}\">",
                crate::escape::html(p)
            )
        })
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redirecting…</title>{canonical}<meta http-equiv=\"refresh\" content=\"0; url={t}\"></head><body><p>This page has moved: <a href=\"{t}\">{t}</a></p></body></html>\n"
    )
}

/// sitemap.xml with every page and its language alternates.
fn sitemap(site: &Site) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut pages: Vec<&Page> = site.pages.iter().collect();
    pages.sort_by(|a, b| a.output.cmp(&b.output));
    for p in pages {
        let Some(loc) = site.links.permalink(&p.output) else {
            continue;
        };
        out.push_str(&format!("  <url><loc>{}</loc>", crate::escape::html(&loc)));
        if let Some(d) = p.meta.updated.as_ref().or(p.meta.date.as_ref()) {
            out.push_str(&format!(
                "<lastmod>{}</lastmod>",
                crate::escape::html(&d[..10])
            ));
        }
        for l in &site.config.languages {
            if let Some(out_path) = site.links.page_output(&l.code, &p.rel)
                && let Some(href) = site.links.permalink(out_path)
            {
                out.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    crate::escape::html(&l.code),
                    crate::escape::html(&href)
                ));
            }
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
