//! Write a synthetic site of N pages for benchmarks:
//!
//!     cargo run --release --example gen_site -- DIR [PAGES]
//!
//! Ten sections of pages with headings, lists, a table, links to neighbours and to other
//! sections; every 20th page shows a figure and cites its source. `figures.yaml` and
//! `sources.yaml` back them, `nav.yaml` is a data file the base template reads, and the
//! templates list sections in a nav and pages in their section.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const SECTIONS: usize = 10;
const FIGURE_EVERY: usize = 20;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: gen_site DIR [PAGES]"));
    let pages: usize = args
        .next()
        .map(|n| n.parse().expect("PAGES is a number"))
        .unwrap_or(10_000);
    if dir.exists() && fs::read_dir(&dir).unwrap().next().is_some() {
        panic!("{} is not empty", dir.display());
    }
    generate(&dir, pages);
    println!("wrote {pages} pages to {}", dir.display());
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn generate(dir: &Path, pages: usize) {
    let per = pages.div_ceil(SECTIONS);
    write(
        dir,
        "site.yaml",
        "title: Generated site\ndescription: A synthetic site for benchmarks\nlanguages:\n  - {code: en, name: English}\n",
    );
    let mut home = String::from("---\ntitle: Home\n---\n# Generated site\n\nSections:\n\n");
    for s in 0..SECTIONS {
        writeln!(home, "- [Section {s}](s{s}/_index.md)").unwrap();
    }
    write(dir, "content/_index.md", &home);

    let mut figures = String::new();
    let mut n = 0;
    for s in 0..SECTIONS {
        write(
            dir,
            &format!("content/s{s}/_index.md"),
            &format!("---\ntitle: Section {s}\nweight: {s}\n---\nThe pages of section {s}.\n"),
        );
        for i in 0..per {
            if n == pages {
                break;
            }
            write(
                dir,
                &format!("content/s{s}/p{i}.md"),
                &page(s, i, per, n, &mut figures),
            );
            n += 1;
        }
    }
    write(dir, "content/data/figures.yaml", &figures);
    write(
        dir,
        "content/data/sources.yaml",
        "- id: survey\n  title: The survey\n  date: \"2025\"\n",
    );
    let nav: String = (0..SECTIONS)
        .map(|s| format!("  - {{title: Section {s}, path: s{s}/_index.md}}\n"))
        .collect();
    write(
        dir,
        "content/data/nav.yaml",
        &format!("sections:\n{nav}footer: Generated for benchmarks\n"),
    );
    templates(dir);
}

fn page(s: usize, i: usize, per: usize, n: usize, figures: &mut String) -> String {
    let mut t = format!("---\ntitle: Page {s}-{i}\nweight: {i}\n---\n");
    writeln!(
        t,
        "Page {i} of section {s}, with **bold**, *emphasis* and `code`.\n"
    )
    .unwrap();
    writeln!(t, "## Overview\n").unwrap();
    for k in 0..3 {
        writeln!(
            t,
            "- Point {k} about page {i}, with a little more text to render."
        )
        .unwrap();
    }
    writeln!(t, "\n## Links\n").unwrap();
    if i > 0 {
        writeln!(t, "Previous: [page {}](p{}.md#overview).", i - 1, i - 1).unwrap();
    }
    if i + 1 < per {
        writeln!(t, "Next: [page {}](p{}.md).", i + 1, i + 1).unwrap();
    }
    let other = (s + 1) % SECTIONS;
    writeln!(t, "Elsewhere: [section {other}](../s{other}/_index.md).\n").unwrap();
    if n.is_multiple_of(FIGURE_EVERY) {
        let id = format!("f{n}");
        writeln!(
            figures,
            "- id: {id}\n  value: {}\n  label: Figure {n}\n  quote: \"{n}\"\n  source: survey\n",
            1000 + n
        )
        .unwrap();
        writeln!(
            t,
            "## Numbers\n\nThe figure is {{{{ fig(id=\"{id}\") }}}} {{{{ cite(id=\"survey\") }}}}.\n"
        )
        .unwrap();
    }
    writeln!(t, "## Details\n\n| a | b |\n|---|---|\n| {s} | {i} |\n").unwrap();
    writeln!(
        t,
        "A closing paragraph of ordinary prose, long enough to look like a real page, about\nthe topic of page {i}, so that rendering has some text to chew on."
    )
    .unwrap();
    t
}

fn templates(dir: &Path) {
    write(
        dir,
        "templates/base.html",
        r#"<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{% block title %}{{ site.title }}{% endblock %}</title></head>
<body>
<nav>{% for s in data.nav.sections %}<a href="{{ url(path=s.path) }}">{{ s.title }}</a> {% endfor %}</nav>
<main>{% block main %}{% endblock %}</main>
<footer>{{ data.nav.footer }}</footer>
</body></html>
"#,
    );
    write(
        dir,
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.content | safe }}{% endblock %}\n",
    );
    write(
        dir,
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}\n<ul>{% for p in section.pages %}<li><a href=\"{{ url(path=p.path) }}\">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}\n",
    );
    write(
        dir,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<h1>{{ page.title }}</h1>\n{{ page.content | safe }}\n<ol>{% for c in page.citations %}<li id=\"{{ c.anchor }}\">{{ c.source.title }}</li>{% endfor %}</ol>{% endblock %}\n",
    );
    write(
        dir,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Not found</h1>{% endblock %}\n",
    );
}
