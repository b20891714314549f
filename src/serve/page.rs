//! What `serve` adds to HTML pages: the live-reload script and, while the site is broken, an
//! overlay listing the errors. `build` output never contains either.

use crate::error::Error;
use crate::escape::html;

/// Where the browser listens for rebuilds (server-sent events).
pub const EVENTS: &str = "/__explainer/events";

/// One error as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// `file:line:col`, or empty when the error is not about a file position.
    pub at: String,
    /// What is wrong, with its help.
    pub message: String,
}

/// The errors of a failed rebuild, one entry each.
pub fn shown(e: &Error) -> Vec<Shown> {
    match e.diagnostics() {
        [] => vec![Shown {
            at: String::new(),
            message: e.to_string(),
        }],
        list => list
            .iter()
            .map(|d| Shown {
                at: d.at.to_string(),
                message: match &d.help {
                    Some(h) => format!("{} {}: {}\nhelp: {h}", d.kind, d.severity, d.message),
                    None => format!("{} {}: {}", d.kind, d.severity, d.message),
                },
            })
            .collect(),
    }
}

/// The live-reload script: reloads when the site was rebuilt (successfully or not) since this
/// page was served. Inline, no requests but the event stream.
pub fn script(generation: u64) -> String {
    format!(
        "<script>(()=>{{const g={generation},s=new EventSource(\"{EVENTS}\"),r=e=>{{if(JSON.parse(e.data).generation!==g){{s.close();location.reload()}}}};for(const n of[\"hello\",\"reload\",\"broken\"])s.addEventListener(n,r)}})()</script>"
    )
}

/// The error overlay, every message escaped.
pub fn overlay(errors: &[Shown]) -> String {
    let n = errors.len();
    let mut out = String::from(
        "<div id=\"explainer-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(24,24,27,.95);color:#fafafa;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;text-align:left\">",
    );
    out.push_str(&format!(
        "<p style=\"margin:0 0 1rem;font-size:1.2em;color:#fca5a5\"><strong>{n} error{} in the site</strong></p><p style=\"margin:0 0 1rem\">{} Fix the file and save: this page reloads.</p><ol style=\"margin:0;padding-left:1.5rem\">",
        crate::text::plural(n),
        if errors.iter().all(|e| e.message.starts_with("link error:")) {
            "The site is served as it is now; `explainer build` refuses these links."
        } else {
            "The last good version is served underneath."
        }
    ));
    for e in errors {
        out.push_str("<li style=\"margin:0 0 1rem\">");
        if !e.at.is_empty() {
            out.push_str(&format!(
                "<div class=\"at\" style=\"color:#93c5fd\">{}</div>",
                html(&e.at)
            ));
        }
        out.push_str(&format!(
            "<pre style=\"margin:0;white-space:pre-wrap\">{}</pre></li>",
            html(&e.message)
        ));
    }
    out.push_str("</ol><button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"font:inherit;margin-top:1rem\">Dismiss</button></div>");
    out
}

/// `page` with `extra` inserted before its last `</body>` (or at the end if it has none).
pub fn inject(page: &[u8], extra: &str) -> Vec<u8> {
    let at = rfind_ci(page, b"</body").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + extra.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page shown while the site has never built: just the errors, and the script.
pub fn broken_page(errors: &[Shown], generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Site has errors</title></head><body>{}{}</body></html>\n",
        overlay(errors),
        script(generation)
    )
}

/// A 404 page for sites without a `404.html` template.
pub fn plain_404(path: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>Nothing is built at <code>{}</code>.</p></body></html>\n",
        html(path)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Kind, Location};

    #[test]
    fn injects_before_the_last_body_close() {
        let out = inject(b"<p>a</p></BODY></html>", "<x>");
        assert_eq!(out, b"<p>a</p><x></BODY></html>");
        assert_eq!(inject(b"<p>a</p>", "<x>"), b"<p>a</p><x>");
    }

    #[test]
    fn overlay_escapes_messages() {
        let e = Error::input(
            Kind::Shortcode,
            Location::at("content/a.md", 3, 7),
            "unknown shortcode `<script>`",
        );
        let o = overlay(&shown(&e));
        assert!(o.contains("content/a.md:3:7"));
        assert!(o.contains("unknown shortcode `&lt;script&gt;`"));
        assert!(!o.contains("<script>"));
    }
}
