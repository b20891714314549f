//! Atom feeds (RFC 4287), one per language, with `feed: true` in site.yaml: the language's pages
//! that have a `date`, newest first, each with its summary and absolute links. A feed needs
//! absolute URLs, so `base_url` is required (site.rs refuses `feed: true` without one).

use std::cmp::Reverse;

use tera::Value;

use super::Shared;
use crate::error::{Error, Kind, Location};
use crate::escape::html as esc;
use crate::links::{ContentPath, OutputPath};
use crate::output::{FileContent, Origin, OutFile};
use crate::site::Site;

/// The feed of the language whose URL folder is `prefix`: `atom.xml`, `zh/atom.xml`.
pub fn path(prefix: &str) -> String {
    if prefix.is_empty() {
        "atom.xml".to_string()
    } else {
        format!("{prefix}/atom.xml")
    }
}

/// Every language's feed.
pub fn files(site: &Site, shared: &Shared) -> Result<Vec<OutFile>, Error> {
    let Some(base) = site.config.base_url.as_deref() else {
        return Err(Error::input(
            Kind::Config,
            Location::file(site.display("site.yaml")),
            "`feed: true` needs `base_url`: a feed's links must be absolute",
        ));
    };
    let mut files = Vec::new();
    for lang in &site.config.languages {
        let mut pages: Vec<usize> = (0..site.pages.len())
            .filter(|&i| {
                let p = &site.pages[i];
                p.lang == lang.code && !p.is_section && p.meta.date.is_some()
            })
            .collect();
        // Newest first; same date: the later-updated first, then by path for a stable order.
        pages.sort_by_key(|&i| {
            let m = &site.pages[i].meta;
            (
                Reverse(m.date.clone()),
                Reverse(m.updated.clone()),
                site.pages[i].rel.clone(),
            )
        });
        let out = path(&lang.prefix);
        let feed_url = format!("{base}{out}");
        let home = site
            .links
            .page_output(lang.code, &ContentPath::new("_index.md"))
            .and_then(|o| site.links.permalink(o))
            .unwrap_or_else(|| format!("{base}{}", lang_folder(&lang.prefix)));
        let updated = pages
            .iter()
            .filter_map(|&i| {
                let m = &site.pages[i].meta;
                m.updated.as_deref().or(m.date.as_deref()).map(timestamp)
            })
            .max()
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        let title = site.config.title.of(lang.code.as_str());
        let mut xml = String::with_capacity(1024 + pages.len() * 512);
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        xml.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            esc(lang.code.as_str())
        ));
        xml.push_str(&format!("  <title>{}</title>\n", esc(title)));
        let subtitle = site.config.description.of(lang.code.as_str());
        if !subtitle.is_empty() {
            xml.push_str(&format!("  <subtitle>{}</subtitle>\n", esc(subtitle)));
        }
        xml.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            esc(&feed_url)
        ));
        xml.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&home)
        ));
        xml.push_str(&format!("  <id>{}</id>\n", esc(&feed_url)));
        xml.push_str(&format!("  <updated>{updated}</updated>\n"));
        xml.push_str(&format!("  <author><name>{}</name></author>\n", esc(title)));
        xml.push_str("  <generator>explainer</generator>\n");
        for &i in &pages {
            let p = &site.pages[i];
            let entry = &shared.entries[i];
            let Some(link) = site.links.permalink(&p.output) else {
                continue;
            };
            let published = p.meta.date.as_deref().map(timestamp).unwrap_or_default();
            let updated = p
                .meta
                .updated
                .as_deref()
                .map_or(published.clone(), timestamp);
            xml.push_str("  <entry>\n");
            xml.push_str(&format!(
                "    <title>{}</title>\n",
                esc(field(entry, "title"))
            ));
            xml.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                esc(&link)
            ));
            xml.push_str(&format!("    <id>{}</id>\n", esc(&link)));
            xml.push_str(&format!("    <published>{published}</published>\n"));
            xml.push_str(&format!("    <updated>{updated}</updated>\n"));
            let summary = field(entry, "summary");
            let summary = if summary.trim().is_empty() {
                esc(field(entry, "description"))
            } else {
                esc(summary)
            };
            if !summary.is_empty() {
                // Links in the summary are relative to the page: `xml:base` resolves them.
                xml.push_str(&format!(
                    "    <summary type=\"html\" xml:base=\"{}\">{summary}</summary>\n",
                    esc(&link)
                ));
            }
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        files.push(OutFile {
            path: OutputPath::new(out),
            body: FileContent::Text(xml),
            from: Origin::named(
                format!("the {} feed", lang.code),
                Location::file(site.display("site.yaml")),
            ),
        });
    }
    Ok(files)
}

fn field<'a>(entry: &'a Value, key: &'static str) -> &'a str {
    entry
        .get_from_path(key)
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn lang_folder(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    }
}

/// A front-matter date as an RFC 3339 timestamp: `2026-02-08` is midnight UTC; a time without
/// an offset is taken as UTC.
fn timestamp(date: &str) -> String {
    let Some((day, time)) = date.split_at_checked(10) else {
        return esc(date);
    };
    if time.is_empty() {
        return format!("{day}T00:00:00Z");
    }
    let time = time.get(1..).unwrap_or("");
    let has_zone = time.ends_with(['Z', 'z']) || time.contains(['+', '-']);
    esc(&format!("{day}T{time}{}", if has_zone { "" } else { "Z" }))
}

#[cfg(test)]
mod tests {
    use super::timestamp;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(timestamp("2026-02-08"), "2026-02-08T00:00:00Z");
        assert_eq!(timestamp("2026-02-08 10:30:00"), "2026-02-08T10:30:00Z");
        assert_eq!(
            timestamp("2026-02-08T10:30:00+08:00"),
            "2026-02-08T10:30:00+08:00"
        );
    }
}
