//! The shortcode and link host of one page's markdown: built-in `fig`, `cite` and `chart`
//! shortcodes with their numbering, site shortcodes as templates, links rewritten and recorded.

use std::collections::HashMap;

use tera::{Context, Value};

use super::{Citation, Link, obj};
use crate::charts::{ChartFile, file_path};
use crate::content::Page;
use crate::error::{Error, Kind, Unknown, did_you_mean};
use crate::links::OutputPath;
use crate::markdown::Host;
use crate::shortcodes::{Arg, Call, SourceText};
use crate::site::Site;
use crate::templates::{RenderContext, figure_value, source_value};

pub(super) struct PageHost<'a> {
    pub site: &'a Site,
    pub drawings: &'a super::Drawings,
    pub page: &'a Page,
    pub citations: Vec<Citation>,
    pub nth: HashMap<String, usize>,
    pub figures: Vec<String>,
    pub charts: Vec<String>,
    pub links: Vec<Link>,
}

impl PageHost<'_> {
    /// Cite `id` from the element with id `backref`; returns the citation's index.
    fn number_citation(&mut self, id: &str, backref: String) -> usize {
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

    fn id_arg<'c>(&self, src: SourceText, call: &'c Call) -> Result<&'c str, Error> {
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

    /// The shortcode's `id` and what it names (a figure, source or chart), or the error at the
    /// argument: missing, not a string, or naming nothing (with the closest id as a hint).
    fn named<'c, T>(
        &self,
        src: SourceText,
        call: &'c Call,
        find: impl FnOnce(&str) -> Result<T, Unknown>,
    ) -> Result<(&'c str, T), Error> {
        let id = self.id_arg(src, call)?;
        let found = find(id).map_err(|u| u.at(Kind::Shortcode, src.loc(call.arg_offset("id"))))?;
        Ok((id, found))
    }
}

impl Host for PageHost<'_> {
    fn resolve_link(
        &mut self,
        dest: &str,
        offset: usize,
    ) -> Result<Option<String>, crate::links::LinkError> {
        let resolved = self.site.links.markdown_link(self.page, dest);
        self.links.push(Link {
            url: match &resolved {
                Ok(Some(url)) => url.clone(),
                _ => dest.to_string(),
            },
            offset,
            broken: resolved.is_err(),
        });
        resolved
    }

    fn options(&self) -> crate::config::MarkdownOptions {
        self.site.config.markdown.clone()
    }

    fn allow_broken_links(&self) -> bool {
        self.site.config.links.allow_broken
    }

    fn shown(&self) -> crate::markdown::Shown {
        self.site.shown()
    }

    fn shortcode(
        &mut self,
        src: SourceText,
        call: &Call,
        body: Option<String>,
    ) -> Result<String, Error> {
        let lang = self.page.lang;
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
        ctx.insert("lang", lang.as_str());
        ctx.insert_value("data", self.site.data.clone());
        ctx.insert_value(
            "page",
            obj! { "path" => self.page.rel.as_str(), "lang" => lang.as_str() },
        );
        if let Some(b) = body {
            ctx.insert_value("body", Value::safe_string(&b));
        }
        match call.name.as_str() {
            "fig" => self.fig(src, call, &mut ctx)?,
            "cite" => self.cite(src, call, nth, &mut ctx)?,
            "chart" => self.chart(src, call, &mut ctx)?,
            name => self.site_shortcode(src, call, name)?,
        }
        let site = self.site;
        let template = format!("shortcodes/{}.html", call.name);
        let html = site
            .templates
            .render(
                &template,
                &ctx,
                &RenderContext {
                    dest: &self.page.output,
                    lang,
                    source: Some(&self.page.file),
                },
            )
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

/// The built-in shortcodes, one function each: each checks its arguments, records what the
/// page uses, and puts what its template shows into `ctx`.
impl PageHost<'_> {
    /// `{{ fig(id="…") }}`: a figure, formatted for the page's language.
    fn fig(&mut self, src: SourceText, call: &Call, ctx: &mut Context) -> Result<(), Error> {
        let site = self.site;
        let lang = self.page.lang.as_str();
        let (id, fig) = self.named(src, call, |id| site.facts.find_figure(id))?;
        self.figures.push(id.to_string());
        ctx.insert_value("figure", figure_value(fig, &site.facts, lang));
        Ok(())
    }

    /// `{{ cite(id="…") }}`: a numbered citation of a source, linking to the page's references.
    fn cite(
        &mut self,
        src: SourceText,
        call: &Call,
        nth: usize,
        ctx: &mut Context,
    ) -> Result<(), Error> {
        let site = self.site;
        let lang = self.page.lang.as_str();
        let (id, source) = self.named(src, call, |id| site.facts.find_source(id))?;
        let backref = format!("cite-{id}-{nth}");
        let i = self.number_citation(id, backref.clone());
        let c = &self.citations[i];
        ctx.insert_value(
            "citation",
            obj! { "id" => id, "number" => c.number, "anchor" => c.anchor.as_str(), "backref" => backref.as_str(), "source" => source_value(source, lang) },
        );
        Ok(())
    }

    /// `{{ chart(id="…") }}`: a chart, with its sources, data table and files.
    fn chart(&mut self, src: SourceText, call: &Call, ctx: &mut Context) -> Result<(), Error> {
        let site = self.site;
        let lang = self.page.lang.as_str();
        let here = |key: &str| src.loc(call.arg_offset(key));
        let (id, chart) = self.named(src, call, |id| {
            site.charts.get(id).ok_or_else(|| {
                Unknown::new(
                    "chart",
                    id,
                    site.charts.iter().map(|c| c.id()),
                    "content/data/charts.yaml",
                )
            })
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
            let i = self.number_citation(&sid, anchor.clone());
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
        let drawing = self.drawings.get(id, self.page.lang).ok_or_else(|| {
            Error::input(
                Kind::Shortcode,
                here("id"),
                format!("chart `{id}` was not drawn in `{lang}`"),
            )
        })?;
        let csv = site.links.relative(
            &self.page.output,
            &OutputPath::new(file_path(id, ChartFile::Csv)),
        );
        let svg = site.links.relative(
            &self.page.output,
            &OutputPath::new(file_path(id, ChartFile::Svg(lang))),
        );
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
        Ok(())
    }

    /// Any other shortcode is a template of the site's: it must exist.
    fn site_shortcode(&self, src: SourceText, call: &Call, name: &str) -> Result<(), Error> {
        let site = self.site;
        if !site.templates.has(&format!("shortcodes/{name}.html")) {
            let mut known: Vec<String> = site
                .templates
                .names()
                .filter_map(|n| {
                    n.strip_prefix("shortcodes/")?
                        .strip_suffix(".html")
                        .map(str::to_string)
                })
                .collect();
            // In name order: the templates' own order changed from run to run.
            known.sort();
            let hint = did_you_mean(name, known.iter().map(String::as_str)).unwrap_or_else(|| {
                format!(
                    "create templates/shortcodes/{name}.html; known shortcodes: {}; \
                     to print the braces as they are, write `\\{{{{`",
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
        Ok(())
    }
}

/// Built-in wording under charts, in the languages the generator knows (English otherwise).
fn chart_labels(lang: &str) -> Value {
    if crate::numfmt::is_chinese(lang) {
        obj! { "source" => "来源：", "sep" => "；", "stop" => "。", "csv" => "数据（CSV）", "svg" => "图（SVG）", "table" => "查看数据表" }
    } else {
        obj! { "source" => "Source: ", "sep" => "; ", "stop" => ". ", "csv" => "Data (CSV)", "svg" => "Chart (SVG)", "table" => "Show the numbers" }
    }
}
