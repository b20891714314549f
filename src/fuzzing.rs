//! Entry points for fuzzing: each takes arbitrary bytes and runs one part of the pipeline on a
//! site held in memory (the `explainer new` starter site, with one file replaced). Errors are
//! expected; a panic, a hang or a crash is a bug. The `cargo fuzz` targets under `fuzz/` and the
//! test that replays their saved corpus (`tests/fuzz_corpus.rs`) call these same functions.

use std::path::{Path, PathBuf};

use crate::content::display_path;
use crate::load::{SiteFiles, TextFile};
use crate::site::{LoadOptions, Site};

/// The starter site as read from disk, without touching the disk; `replace` swaps in one file's
/// text (by its path in the site).
fn starter(replace: &[(&str, String)]) -> SiteFiles {
    let root = PathBuf::from("fuzz-site");
    let mut files = SiteFiles {
        root: root.clone(),
        ..SiteFiles::default()
    };
    let text_of = |rel: &str, original: &str| -> String {
        replace
            .iter()
            .find(|(r, _)| *r == rel)
            .map_or_else(|| original.to_string(), |(_, t)| t.clone())
    };
    let text_file = |rel: &str, under: &str, text: String| TextFile {
        rel: rel.strip_prefix(under).unwrap_or(rel).to_string(),
        file: display_path(&root, rel),
        text,
        extent: crate::load::Extent::Whole,
    };
    for (rel, original) in crate::scaffold::FILES {
        let text = text_of(rel, original);
        if *rel == "site.yaml" {
            files.config = Some(text_file(rel, "", text));
        } else if rel.starts_with("content/data/") {
            files.data.push(text_file(rel, "content/data/", text));
        } else if rel.starts_with("content/") {
            files.pages.push(text_file(rel, "content/", text));
        } else if rel.starts_with("templates/") {
            files.templates.push(text_file(rel, "templates/", text));
        } else if let Some(s) = rel.strip_prefix("static/") {
            files.statics.push(s.to_string());
        }
    }
    files
}

/// Load, render, detect output conflicts and check links, as `build` does before writing.
fn pipeline(files: SiteFiles) {
    let Ok(site) = Site::from_files(files, &LoadOptions::default()) else {
        return;
    };
    let _ = crate::pipeline::render(&site);
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// A page (front matter, markdown, shortcodes) rendered in the starter site.
pub fn page(data: &[u8]) {
    pipeline(starter(&[("content/cycling.md", text(data))]));
}

/// The data files with meaning: the first byte picks `figures.yaml`, `sources.yaml` or
/// `charts.yaml`, the rest is its text.
pub fn data(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let file = match which % 3 {
        0 => "content/data/figures.yaml",
        1 => "content/data/sources.yaml",
        _ => "content/data/charts.yaml",
    };
    pipeline(starter(&[(file, text(rest))]));
}

/// `site.yaml`: parsed, then the starter site built with it.
pub fn config(data: &[u8]) {
    let text = text(data);
    if crate::config::Config::parse(&text, Path::new("site.yaml")).is_ok() {
        pipeline(starter(&[("site.yaml", text)]));
    }
}

/// Link parsing, decoding and resolution: the input is a link destination, written in markdown
/// on a page, resolved by the template function `url()`, decoded and normalised.
pub fn link(data: &[u8]) {
    let dest = text(data);
    let _ = crate::links::decode(&dest);
    let _ = crate::links::encode(&dest);
    let _ = crate::links::normalize("a/b", &dest);
    let page = format!(
        "# Links\n\n[text]({dest}) and ![image]({dest}) and <{dest}> and [ref][r]\n\n[r]: {dest}\n\n<a href=\"{dest}\">raw</a>\n"
    );
    pipeline(starter(&[("content/cycling.md", page)]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_site_renders_in_memory() {
        let site = Site::from_files(starter(&[]), &LoadOptions::default()).unwrap();
        let rendered = crate::pipeline::render(&site).unwrap();
        assert!(
            rendered
                .files
                .iter()
                .any(|f| f.path == "cycling/index.html")
        );
        // The entry points accept anything.
        for input in [&b""[..], b"\xff\xfe", b"---\n", b"[x](%e4%b8.md)"] {
            page(input);
            data(input);
            config(input);
            link(input);
        }
    }
}
