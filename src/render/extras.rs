//! Output files besides pages: the 404 page, alias redirects, chart files, sitemap.xml,
//! robots.txt, and copies of static files and colocated assets.

use tera::{Context, Value};

use super::{Drawings, Shared};
use crate::content::Page;
use crate::error::{Error, Kind, Location};
use crate::links::OutputPath;
use crate::output::{FileContent, Origin, OutFile};
use crate::site::Site;
use crate::templates::RenderContext;

/// Everything besides pages: 404, aliases, chart files, sitemap, robots.txt, static files and
/// colocated assets.
pub fn extra_files(
    site: &Site,
    shared: &Shared,
    drawings: &Drawings,
) -> Result<Vec<OutFile>, Error> {
    let mut files = Vec::new();
    let default = site.config.default_lang();
    // Charts come from content/data/charts.yaml (or .yml, .json): the folder names them all.
    let charts_yaml = site.display("content/data");
    if site.templates.has("404.html") {
        let mut ctx = Context::new();
        ctx.insert_value("site", shared.site_by_lang[&default].clone());
        ctx.insert_value("data", site.data.clone());
        ctx.insert("lang", default.as_str());
        ctx.insert_value("translations", Value::from(Vec::<Value>::new()));
        ctx.insert_value("untranslated", Value::from(Vec::<Value>::new()));
        let rc = RenderContext {
            dest: &OutputPath::new("404.html"),
            lang: default,
            source: None,
        };
        let html = site.templates.render("404.html", &ctx, &rc)?;
        files.push(OutFile {
            path: OutputPath::new("404.html"),
            body: FileContent::Text(html),
            from: Origin::file(Location::file(site.display("templates/404.html"))),
        });
    }
    for p in &site.pages {
        for (i, alias) in p.meta.aliases.iter().enumerate() {
            let clean = alias.trim_matches('/');
            let Some(dir) = crate::links::normalize("", clean).filter(|d| !d.is_empty()) else {
                return Err(Error::input(
                    Kind::FrontMatter,
                    Location::file(&p.file),
                    format!("alias `{alias}` is not a path inside the site"),
                ));
            };
            let out = OutputPath::new(if dir.ends_with(".html") {
                dir
            } else {
                format!("{dir}/index.html")
            });
            let target = site.links.relative(&out, &p.output);
            files.push(OutFile {
                path: out,
                body: FileContent::Text(redirect_page(
                    &target,
                    site.links.permalink(&p.output).as_deref(),
                )),
                from: Origin::named(
                    format!("alias `{}`", alias.chars().take(60).collect::<String>()),
                    p.front_matter_at(&format!("aliases[{i}]")),
                ),
            });
        }
    }
    for chart in site.charts.iter() {
        let id = chart.id();
        for (path, text) in drawings.chart(id).into_iter().flat_map(|d| d.files()) {
            files.push(OutFile {
                path: OutputPath::new(path),
                body: FileContent::Text(text.to_string()),
                from: Origin::named(format!("chart `{id}`"), Location::file(&charts_yaml)),
            });
        }
    }
    if site.charts.iter().next().is_some() {
        files.push(OutFile {
            path: OutputPath::new(crate::site::CHARTS_CSS),
            body: FileContent::Text(crate::charts::chart_css().to_string()),
            from: Origin::named("the charts' style sheet", Location::file(&charts_yaml)),
        });
    }
    files.push(OutFile {
        path: OutputPath::new(crate::highlight::CSS_PATH),
        body: FileContent::Text(crate::highlight::css().to_string()),
        from: Origin::named(
            "the code highlighting style sheet",
            Location::file(site.display("site.yaml")),
        ),
    });
    if site.config.feed {
        files.extend(super::feed::files(site, shared)?);
    }
    if let Some(base) = &site.config.base_url {
        files.push(OutFile {
            path: OutputPath::new("sitemap.xml"),
            body: FileContent::Text(sitemap(site)),
            from: Origin::named("the sitemap", Location::file(site.display("site.yaml"))),
        });
        if robots_note(base).is_none() {
            files.push(OutFile {
                path: OutputPath::new("robots.txt"),
                body: FileContent::Text(format!(
                    "User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
                )),
                from: Origin::named("robots.txt", Location::file(site.display("site.yaml"))),
            });
        }
    }
    for s in &site.statics {
        files.push(OutFile {
            path: OutputPath::new(s.as_str()),
            body: FileContent::Copy(site.root.join("static").join(s)),
            from: Origin::file(Location::file(site.display(&format!("static/{s}")))),
        });
    }
    for a in &site.assets {
        files.push(OutFile {
            path: OutputPath::new(site.links.asset_output(a)),
            body: FileContent::Copy(site.root.join("content").join(a)),
            from: Origin::file(Location::file(site.display(&format!("content/{a}")))),
        });
    }
    Ok(files)
}

/// Crawlers read `robots.txt` only at a host's root (`https://example.org/robots.txt`): a site
/// whose `base_url` has a path gets none, and this says why (`None` when one is written).
pub fn robots_note(base_url: &str) -> Option<String> {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    if path == "/" {
        return None;
    }
    let host = &base_url[..base_url.len() - path.len()];
    Some(format!(
        "no robots.txt written: base_url {base_url} is not at a host root, and crawlers read robots.txt only at {host}/robots.txt (sitemap.xml is written; name it in that file)"
    ))
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
            if let Some(out_path) = site.links.page_output(l.code, &p.rel)
                && let Some(href) = site.links.permalink(out_path)
            {
                out.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    crate::escape::html(l.code.as_str()),
                    crate::escape::html(&href)
                ));
            }
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::robots_note;

    #[test]
    fn robots_txt_only_at_a_host_root() {
        assert_eq!(robots_note("https://example.org/"), None);
        assert_eq!(robots_note("http://localhost:8000/"), None);
        let note = robots_note("https://example.org/explainer/").unwrap();
        assert!(
            note.contains("only at https://example.org/robots.txt"),
            "{note}"
        );
    }
}
