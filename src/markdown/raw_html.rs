//! Raw HTML in markdown: the `href` and `src` attributes of its elements, resolved like markdown
//! links, through lol_html (a real HTML tokenizer) rather than patterns over the text.

use std::cell::RefCell;

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// The attributes that hold a URL to resolve.
const URL_ATTRIBUTES: [&str; 2] = ["href", "src"];

/// Whether `html` may hold an attribute to resolve (most raw HTML does not: skip the tokenizer).
pub fn has_urls(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    URL_ATTRIBUTES.iter().any(|a| lower.contains(a))
}

/// `html` with each `href`/`src` replaced by `resolve(value, offset)`, where `offset` is where the
/// value is written in `html`; `None` leaves an attribute as it is. HTML the tokenizer cannot
/// read is returned unchanged.
pub fn rewrite_urls(html: &str, resolve: &mut dyn FnMut(&str, usize) -> Option<String>) -> String {
    let resolve = RefCell::new(resolve);
    let handle = |el: &mut Element, name: &str| {
        let Some(value) = el.get_attribute(name) else {
            return;
        };
        let tag = el.source_location().bytes();
        let at = html
            .get(tag.clone())
            .and_then(|t| value_offset(t, name))
            .map_or(tag.start, |i| tag.start + i);
        if let Some(url) = (resolve.borrow_mut())(&value, at) {
            // Only names known to be valid are set, so this cannot fail.
            let _ = el.set_attribute(name, &url);
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[href]", |el| {
            handle(el, "href");
            Ok(())
        }))
        .append_element_content_handler(element!("[src]", |el| {
            handle(el, "src");
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// Where the value of attribute `name` starts in start tag `tag` (after `=`, spaces and a quote).
fn value_offset(tag: &str, name: &str) -> Option<usize> {
    let lower = tag.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(i) = lower.get(from..)?.find(name) {
        let start = from + i;
        from = start + name.len();
        let before_ok = start > 0 && bytes[start - 1].is_ascii_whitespace();
        let mut j = from;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if !before_ok || bytes.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if matches!(bytes.get(j), Some(b'"' | b'\'')) {
            j += 1;
        }
        return Some(j);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str) -> (String, Vec<(String, usize)>) {
        let mut seen = Vec::new();
        let out = rewrite_urls(html, &mut |v, at| {
            seen.push((v.to_string(), at));
            v.ends_with(".md")
                .then(|| format!("../{}.html", v.trim_end_matches(".md")))
        });
        (out, seen)
    }

    #[test]
    fn rewrites_href_and_src_with_their_offsets() {
        let html =
            "<p>\n<a class=x HREF = 'b.md'>b</a> <img alt=\"src=no\" src=\"img/a.svg\">\n</p>";
        let (out, seen) = run(html);
        assert_eq!(
            out,
            "<p>\n<a class=x HREF=\"../b.html\">b</a> <img alt=\"src=no\" src=\"img/a.svg\">\n</p>"
        );
        assert_eq!(seen[0], ("b.md".into(), html.find("b.md").unwrap()));
        assert_eq!(seen[1], ("img/a.svg".into(), html.find("img/a").unwrap()));
    }

    #[test]
    fn fragments_and_odd_html_pass_through() {
        for html in [
            "</a>",
            "<!-- more -->",
            "<a href",
            "<div>",
            "<a href=\"x&amp;y\">",
        ] {
            let (out, _) = run(html);
            assert_eq!(out, html);
        }
        assert!(!has_urls("<div class=\"x\">"));
        assert!(has_urls("<IMG SRC=x>"));
    }
}
