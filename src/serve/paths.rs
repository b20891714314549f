//! Request paths to output paths, refusing anything that could name a file outside the site,
//! and content types by extension.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// Why a request path is refused (answered with 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NotAbsolute,
    Backslash,
    EmptySegment,
    DotSegment,
    EncodedSlash,
    Nul,
    NotUtf8,
}

/// A request path, decoded and checked: `/a/b%20c/` is `a/b c/` (trailing slash kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// Output-relative, `/`-separated, no leading slash; ends in `/` for a folder.
    pub key: String,
}

impl Wanted {
    /// The output path to look up: a folder's `index.html`, else the path itself.
    pub fn file(&self) -> String {
        if self.key.is_empty() || self.key.ends_with('/') {
            format!("{}index.html", self.key)
        } else {
            self.key.clone()
        }
    }

    /// The folder's index, for `/a` when `a/index.html` exists (redirected to `/a/`).
    pub fn index_of_folder(&self) -> Option<String> {
        (!self.key.is_empty() && !self.key.ends_with('/'))
            .then(|| format!("{}/index.html", self.key))
    }
}

/// Decode and check the path of a request (`uri.path()`, still percent-encoded).
pub fn parse(raw: &str) -> Result<Wanted, Refused> {
    let rest = raw.strip_prefix('/').ok_or(Refused::NotAbsolute)?;
    if raw.contains('\\') {
        return Err(Refused::Backslash);
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    let mut key = String::with_capacity(rest.len());
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            // `//` (a path that would read as absolute) is refused; a trailing `/` is a folder.
            if i == last {
                break;
            }
            return Err(Refused::EmptySegment);
        }
        let bytes: Vec<u8> = percent_decode_str(seg).collect();
        let decoded = String::from_utf8(bytes).map_err(|_| Refused::NotUtf8)?;
        if decoded.contains('\0') {
            return Err(Refused::Nul);
        }
        if decoded.contains('/') {
            return Err(Refused::EncodedSlash);
        }
        if decoded.contains('\\') {
            return Err(Refused::Backslash);
        }
        if decoded == "." || decoded == ".." {
            return Err(Refused::DotSegment);
        }
        key.push_str(&decoded);
        if i < last {
            key.push('/');
        }
    }
    Ok(Wanted { key })
}

/// Whether a file served from disk really lies inside one of `allowed` (canonical folders),
/// after following symlinks. Returns the canonical path to read.
pub fn inside(file: &Path, allowed: &[PathBuf]) -> Option<PathBuf> {
    let real = file.canonicalize().ok()?;
    allowed
        .iter()
        .any(|dir| real.starts_with(dir))
        .then_some(real)
}

/// The Content-Type for an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

pub fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> String {
        parse(raw).unwrap().key
    }

    #[test]
    fn decodes_and_keeps_folders() {
        assert_eq!(key("/"), "");
        assert_eq!(key("/a/b%20c.html"), "a/b c.html");
        assert_eq!(key("/zh/docs/"), "zh/docs/");
        assert_eq!(key("/%E6%8C%87%E5%8D%97/"), "指南/");
        assert_eq!(parse("/a").unwrap().file(), "a");
        assert_eq!(parse("/a/").unwrap().file(), "a/index.html");
        assert_eq!(parse("/").unwrap().file(), "index.html");
        assert_eq!(
            parse("/a").unwrap().index_of_folder().as_deref(),
            Some("a/index.html")
        );
    }

    #[test]
    fn refuses_what_could_leave_the_site() {
        for (raw, why) in [
            ("/../etc/passwd", Refused::DotSegment),
            ("/a/../../x", Refused::DotSegment),
            ("/%2e%2e/x", Refused::DotSegment),
            ("/%2E%2E/x", Refused::DotSegment),
            ("/a/./b", Refused::DotSegment),
            ("/a%2f..%2fb", Refused::EncodedSlash),
            ("/a%2Fb", Refused::EncodedSlash),
            ("/a\\..\\b", Refused::Backslash),
            ("/a%5c..%5cb", Refused::Backslash),
            ("//etc/passwd", Refused::EmptySegment),
            ("/a//b", Refused::EmptySegment),
            ("/a%00.html", Refused::Nul),
            ("/%ff", Refused::NotUtf8),
            ("etc/passwd", Refused::NotAbsolute),
        ] {
            assert_eq!(parse(raw), Err(why), "{raw}");
        }
    }

    #[test]
    fn types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("charts/a.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
