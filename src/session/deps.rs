//! What a change can affect: which templates extend or include which, which data they read,
//! and which fields of other pages they show.

use std::collections::{HashMap, HashSet};

use crate::render::PageDoc;
use crate::site::Site;

/// Which parts of other pages the templates read, found by name in their text: a word-count
/// change cannot affect other pages if no template mentions `word_count`.
pub(super) struct ListingUse {
    summary: bool,
    words: bool,
    uses: bool,
}

impl ListingUse {
    pub(super) fn of(site: &Site) -> ListingUse {
        let shown = |field: &str| site.templates.show_of_other_pages(field);
        ListingUse {
            summary: shown("summary"),
            words: shown("word_count") || shown("reading_time"),
            uses: shown("uses"),
        }
    }

    /// Whether what other pages can show of a page differs between two renders of it.
    pub(super) fn differs(&self, a: &PageDoc, b: &PageDoc) -> bool {
        a.title != b.title
            || (self.summary && a.doc.summary != b.doc.summary)
            || (self.words
                && (a.doc.words != b.doc.words
                    || a.doc.reading_minutes() != b.doc.reading_minutes()))
            || (self.uses
                && (a.figures != b.figures
                    || a.charts != b.charts
                    || a.citations
                        .iter()
                        .map(|c| &c.id)
                        .ne(b.citations.iter().map(|c| &c.id))))
    }
}

/// Which templates each template depends on (`extends`, `include`), and what data it reads.
pub(super) struct TemplateDeps<'a> {
    texts: HashMap<&'a str, &'a str>,
    direct: HashMap<&'a str, Vec<String>>,
}

impl<'a> TemplateDeps<'a> {
    pub(super) fn new(texts: &'a [(String, String)]) -> Self {
        let mut direct = HashMap::new();
        for (name, text) in texts {
            direct.insert(name.as_str(), referenced_templates(text));
        }
        TemplateDeps {
            texts: texts
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect(),
            direct,
        }
    }

    /// `name` and every template it extends or includes, transitively.
    fn closure(&self, name: &str) -> Vec<&'a str> {
        let mut seen: Vec<&'a str> = Vec::new();
        let mut stack = vec![name.to_string()];
        while let Some(n) = stack.pop() {
            let Some((&key, _)) = self.texts.get_key_value(n.as_str()) else {
                continue;
            };
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            if let Some(refs) = self.direct.get(key) {
                stack.extend(refs.iter().cloned());
            }
        }
        seen
    }

    pub(super) fn uses_any(&self, name: &str, changed: &HashSet<&str>) -> bool {
        !changed.is_empty() && self.closure(name).iter().any(|t| changed.contains(t))
    }

    /// Whether `name` (or what it pulls in) reads `data.<stem>`; any dynamic `data[…]` counts.
    pub(super) fn reads_data(&self, name: &str, stem: &str) -> bool {
        self.closure(name).iter().any(|t| {
            let text = self.texts[t];
            text.contains(&format!("data.{stem}")) || text.contains("data[")
        })
    }

    /// Whether `name` reads figures or sources through the `figure()` and `source()`
    /// functions. (A page's own citations come from its markdown, which is redone when it uses
    /// facts; `site.uses` changes only with listings, which are handled separately.)
    pub(super) fn reads_facts(&self, name: &str) -> bool {
        self.closure(name).iter().any(|t| {
            let text = self.texts[t];
            text.contains("figure(") || text.contains("source(")
        })
    }
}

/// Names in `{% extends "…" %}` and `{% include "…" %}` tags.
fn referenced_templates(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag
            .split("%}")
            .next()
            .unwrap_or("")
            .trim_start_matches('-')
            .trim();
        let rest = tag
            .strip_prefix("extends")
            .or_else(|| tag.strip_prefix("include"));
        if let Some(rest) = rest {
            for (i, part) in rest.split(['"', '\'']).enumerate() {
                if i % 2 == 1 {
                    out.push(part.to_string());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_extends_and_includes() {
        let t = "{% extends \"base.html\" %}{%- include 'partials/toc.html' -%}{% include [\"a.html\", \"b.html\"] %}";
        assert_eq!(
            referenced_templates(t),
            ["base.html", "partials/toc.html", "a.html", "b.html"]
        );
    }

    #[test]
    fn closure_follows_chains() {
        let texts = vec![
            (
                "page.html".to_string(),
                "{% extends \"base.html\" %}".to_string(),
            ),
            (
                "base.html".to_string(),
                "{% include \"nav.html\" %}{{ data.ui.x }}".to_string(),
            ),
            ("nav.html".to_string(), String::new()),
            ("other.html".to_string(), String::new()),
        ];
        let deps = TemplateDeps::new(&texts);
        let mut c = deps.closure("page.html");
        c.sort();
        assert_eq!(c, ["base.html", "nav.html", "page.html"]);
        assert!(deps.uses_any("page.html", &HashSet::from(["nav.html"])));
        assert!(!deps.uses_any("other.html", &HashSet::from(["nav.html"])));
        assert!(deps.reads_data("page.html", "ui"));
        assert!(!deps.reads_data("page.html", "team"));
    }
}
