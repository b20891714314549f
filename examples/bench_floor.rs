//! The floor a build is measured against: the same markdown files read, rendered by bare
//! pulldown-cmark (with the options explainer uses) and written to `OUT/<path>/index.html`, with
//! nothing else: no templates, shortcodes, listings, link check or staging folder.
//!
//!     cargo run --release --example bench_floor -- SITE_DIR OUT_DIR [THREADS]
//!
//! THREADS (default: all cores) is the size of the rayon pool; 1 is the single-threaded floor.
//! `scripts/bench-build` times this process from start to end, like `explainer build`.

use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Parser, html};
use rayon::prelude::*;
use walkdir::WalkDir;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench_floor SITE_DIR OUT_DIR [THREADS]";
    let site = PathBuf::from(args.next().expect(usage));
    let out = PathBuf::from(args.next().expect(usage));
    let threads: usize = args
        .next()
        .map_or(0, |t| t.parse().expect("THREADS is a number"));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("one pool");
    let content = site.join("content");
    let files: Vec<PathBuf> = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("readable content folder"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let bytes: usize = files.par_iter().map(|f| render(&content, f, &out)).sum();
    println!("{} pages, {bytes} bytes of HTML", files.len());
}

fn render(content: &Path, file: &Path, out: &Path) -> usize {
    let text = fs::read_to_string(file).expect("UTF-8 markdown");
    let body = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map_or(text.as_str(), |(_, body)| body);
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(
        &mut html_out,
        Parser::new_ext(body, explainer::markdown_options(&Default::default())),
    );
    let rel = file.strip_prefix(content).expect("under content/");
    let stem = rel.with_extension("");
    let dir = if stem.file_name().is_some_and(|n| n == "_index") {
        out.join(stem.parent().unwrap_or(Path::new("")))
    } else {
        out.join(stem)
    };
    fs::create_dir_all(&dir).expect("output folder");
    fs::write(dir.join("index.html"), &html_out).expect("written");
    html_out.len()
}
