//! Benchmark of a whole build against bare pulldown-cmark on the same markdown:
//!
//!     cargo run --release --example bench_build -- SITE_DIR [RUNS]
//!
//! Baselines, measured in the same run: pulldown-cmark rendering every page body to HTML
//! (serially, and in parallel with rayon as the build does), after the files are read. Then
//! explainer: parse + render in memory, and a full `build` to disk (read, render, check links,
//! write, swap). Medians over RUNS (default 11); the machine is shared and noisy.

use std::path::PathBuf;
use std::time::Instant;

use explainer::{LoadOptions, Site};
use pulldown_cmark::{Parser, html};
use rayon::prelude::*;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: bench_build SITE_DIR [RUNS]"));
    let runs: usize = args
        .next()
        .map_or(11, |r| r.parse().expect("RUNS is a number"));
    let files = explainer::SiteFiles::read(&root).expect("a site");
    let bodies: Vec<&str> = files
        .pages
        .iter()
        .map(|f| {
            match f
                .text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("\n---\n"))
            {
                Some((_, body)) => body,
                None => f.text.as_str(),
            }
        })
        .collect();
    let opts = explainer::markdown_options(&Default::default());
    let md = |b: &&str| {
        let mut out = String::with_capacity(b.len() * 3 / 2);
        html::push_html(&mut out, Parser::new_ext(b, opts));
        out.len()
    };
    let serial = time(runs, || bodies.iter().map(md).sum::<usize>());
    let parallel = time(runs, || bodies.par_iter().map(md).sum::<usize>());
    let in_memory = time(runs, || {
        let site = Site::load(&root, &LoadOptions::default()).expect("loads");
        explainer::render(&site).expect("renders").files.len()
    });
    // I/O floor: the same output files written bare (folders, then files in parallel) into a
    // fresh folder that replaces the previous one, as a build does.
    let site = Site::load(&root, &LoadOptions::default()).expect("loads");
    let files = explainer::render(&site).expect("renders").files;
    let io_dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let io = time(runs, || {
        n += 1;
        let dest = io_dir.path().join(format!("out{n}"));
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| dest.join(&f.path).parent().map(PathBuf::from))
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            std::fs::create_dir_all(d).unwrap();
        }
        files.par_iter().for_each(|f| match &f.body {
            explainer::Body::Text(t) => std::fs::write(dest.join(&f.path), t).unwrap(),
            explainer::Body::Copy(p) => {
                std::fs::copy(p, dest.join(&f.path)).unwrap();
            }
        });
        let old = io_dir.path().join(format!("out{}", n - 1));
        if old.exists() {
            std::fs::remove_dir_all(old).unwrap();
        }
    });
    let out = tempfile::tempdir().unwrap();
    let build = time(runs, || {
        explainer::build(&explainer::BuildOptions {
            root: root.clone(),
            output: Some(out.path().join("public")),
            ..Default::default()
        })
        .expect("builds")
    });
    println!(
        "{} pages, {} markdown bytes, medians of {runs} runs",
        bodies.len(),
        bodies.iter().map(|b| b.len()).sum::<usize>()
    );
    println!("| step | median | × pulldown-cmark (parallel) | × pulldown-cmark (serial) |");
    println!("|---|---:|---:|---:|");
    for (name, ms) in [
        ("pulldown-cmark alone, serial", serial),
        ("pulldown-cmark alone, parallel", parallel),
        ("explainer: load + render + check in memory", in_memory),
    ] {
        println!(
            "| {name} | {ms:.1} ms | {:.2} | {:.2} |",
            ms / parallel,
            ms / serial
        );
    }
    println!();
    println!("| to disk | median | × (pulldown-cmark parallel + bare writes) |");
    println!("|---|---:|---:|");
    println!("| bare writes of the same files (I/O floor) | {io:.1} ms | |");
    println!(
        "| explainer build (read, render, check links, write, swap) | {build:.1} ms | {:.2} |",
        build / (parallel + io)
    );
}
