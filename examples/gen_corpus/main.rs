//! A benchmark corpus: a complete site folder of N generated pages, deterministic from a seed.
//!
//!     cargo run --release --example gen_corpus -- --pages N --out DIR [--seed S] [--sections K] [--hugo]
//!
//! Pages are spread over K sections (default 16; 10–20 is the range the benchmark uses), each of
//! 600–900 words: headings, a bulleted and a numbered list, a table, a footnote, three links to
//! other pages written to their markdown files (one with an `#anchor`), a Chinese paragraph, a
//! `fig` shortcode with its citation on every tenth page and a chart on every fiftieth. The
//! templates are minimal: a base with a nav of sections, a page, a section list and a home page.
//!
//! With `--hugo` the same corpus is written as a Hugo site (the same markdown and front matter,
//! Hugo's shortcode syntax, equivalent templates, and the chart drawn as its data table, since
//! Hugo draws no charts), so the two generators are timed on the same work.
//!
//! The same arguments always write the same bytes.

use std::fs;
use std::path::PathBuf;

use clap::Parser;

mod corpus;

use corpus::{Corpus, Flavour};

#[derive(Parser)]
#[command(about = "Write a generated site of N pages for benchmarks")]
struct Args {
    /// Number of pages (section and home pages not counted).
    #[arg(long)]
    pages: usize,
    /// The folder to write; it must be missing or empty.
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator: the same seed writes the same site.
    #[arg(long, default_value_t = 14)]
    seed: u64,
    /// Number of sections the pages are spread over.
    #[arg(long, default_value_t = 16)]
    sections: usize,
    /// Write the corpus as a Hugo site instead.
    #[arg(long)]
    hugo: bool,
}

fn main() {
    let args = Args::parse();
    if args.sections == 0 {
        eprintln!("error: --sections must be at least 1");
        std::process::exit(2);
    }
    if args.out.exists()
        && fs::read_dir(&args.out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("error: {} exists and is not empty", args.out.display());
        std::process::exit(2);
    }
    let corpus = Corpus::new(args.pages, args.sections, args.seed);
    let flavour = if args.hugo {
        Flavour::Hugo
    } else {
        Flavour::Explainer
    };
    if let Err(e) = corpus.write(&args.out, flavour) {
        eprintln!("error: writing {}: {e}", args.out.display());
        std::process::exit(1);
    }
    println!(
        "wrote {} pages in {} sections to {}",
        args.pages,
        args.sections,
        args.out.display()
    );
}
