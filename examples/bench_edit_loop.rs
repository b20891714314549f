//! The author's edit loop, measured: save a file, then poll the running `serve` until the new
//! content is served. Run by `scripts/bench-edit-loop`, or directly:
//!
//!     cargo run --release --example bench_edit_loop -- SITE_DIR [RUNS]
//!
//! Works on a copy of SITE_DIR. Three edits, RUNS times each: (a) one page's body, (b) a value
//! in figures.yaml, (c) templates/page.html. For each: the median time `Session::rebuild` took
//! (as the server reports it) and the median time from saving to the new page being served
//! (which includes the watcher's 30 ms debounce). Baseline, measured in the same run: a full
//! in-memory render of the same site (`Session::open`). A one-page edit must never rebuild
//! the whole site: that is asserted.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use explainer::serve::{Notice, ServeOptions, Server};
use explainer::session::{Scope, Served, Session};

struct Edit {
    name: &'static str,
    file: PathBuf,
    /// The file's text with marker `i` in it.
    text: Box<dyn Fn(usize) -> String>,
    /// Output path that shows the marker, and the marker as it appears there.
    page: String,
    shows: Box<dyn Fn(usize) -> String>,
}

struct Row {
    name: &'static str,
    rebuild: Vec<f64>,
    served: Vec<f64>,
    pages: Vec<f64>,
    scopes: Vec<Scope>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let src = PathBuf::from(args.next().expect("usage: bench_edit_loop SITE_DIR [RUNS]"));
    let runs: usize = args.next().map_or(15, |r| r.parse().expect("RUNS"));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy(&src, &root);

    // Baseline: the whole site rendered in memory, as `serve` does at start.
    let mut full = Vec::new();
    let mut pages = 0;
    for _ in 0..runs.min(15) {
        let t = Instant::now();
        let s = Session::open(&root, Default::default()).expect("the site renders");
        full.push(ms(t.elapsed()));
        pages = s.site().pages.len();
    }
    let edits = edits(&root);
    let (tx, rx) = mpsc::channel::<Notice>();
    let tx = std::sync::Mutex::new(tx);
    let server = Server::start(
        ServeOptions {
            root: root.clone(),
            port: 0,
            ..ServeOptions::default()
        },
        Arc::new(move |n: &Notice| {
            let _ = tx.lock().unwrap().send(n.clone());
        }),
    )
    .expect("serve starts");
    let base = format!("http://{}/", server.addr());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let _opened = rx.recv().unwrap();

    let mut rows = Vec::new();
    for e in &edits {
        let mut row = Row {
            name: e.name,
            rebuild: vec![],
            served: vec![],
            pages: vec![],
            scopes: vec![],
        };
        let url = format!("{base}{}", e.page.trim_end_matches("index.html"));
        for i in 1..=runs {
            let text = (e.text)(i);
            let want = (e.shows)(i);
            let t = Instant::now();
            std::fs::write(&e.file, text).unwrap();
            loop {
                let body = agent
                    .get(&url)
                    .call()
                    .ok()
                    .and_then(|mut r| r.body_mut().read_to_string().ok())
                    .unwrap_or_default();
                if body.contains(&want) {
                    break;
                }
                assert!(
                    t.elapsed() < Duration::from_secs(60),
                    "{}: never served",
                    e.name
                );
                std::thread::sleep(Duration::from_millis(1));
            }
            row.served.push(ms(t.elapsed()));
            match rx.recv_timeout(Duration::from_secs(30)).expect("a notice") {
                Notice::Rebuilt { rebuild, .. } => {
                    row.rebuild.push(ms(rebuild.elapsed));
                    row.pages.push(rebuild.pages_rendered as f64);
                    row.scopes.push(rebuild.scope);
                }
                other => panic!("{}: {other}", e.name),
            }
            // Let the watcher settle, and catch a second rebuild for one save if there is one.
            std::thread::sleep(Duration::from_millis(250));
            if let Ok(n) = rx.try_recv() {
                panic!("{}: more than one rebuild for one save: {n}", e.name);
            }
        }
        if e.name.starts_with("(a)") {
            assert!(
                row.scopes.iter().all(|s| *s != Scope::Full),
                "a one-page edit rebuilt the whole site: {:?}",
                row.scopes
            );
        }
        rows.push(row);
    }
    server.stop();

    let full_ms = median(&mut full);
    println!(
        "\n{} — {pages} pages; medians of {runs} runs; full in-memory render {full_ms:.1} ms\n",
        src.display()
    );
    println!(
        "| edit | rebuild (ms) | save → served (ms) | rebuild / full | pages rendered | scope |"
    );
    println!("|---|---:|---:|---:|---:|---|");
    for mut r in rows {
        let rb = median(&mut r.rebuild);
        let sv = median(&mut r.served);
        let pr = median(&mut r.pages);
        let scope = if r.scopes.contains(&Scope::Full) {
            "full"
        } else {
            "partial"
        };
        println!(
            "| {} | {rb:.1} | {sv:.1} | {:.3} | {pr:.0} | {scope} |",
            r.name,
            rb / full_ms
        );
    }
}

/// The three edits, found in the site: a page using `page.html`, the first integer figure and
/// a page showing it, and `templates/page.html`.
fn edits(root: &Path) -> Vec<Edit> {
    let s = Session::open(root, Default::default()).expect("the site renders");
    let page = s
        .site()
        .pages
        .iter()
        .find(|p| !p.is_section && p.template() == "page.html")
        .expect("a page rendered with page.html");
    let page_file = root.join("content").join(page.rel.as_str());
    let page_out = page.output.to_string();
    // A marker paragraph, added once, whose one word changes: the word count stays the same.
    let body = format!(
        "{}\n\nEdit loop marker m0.\n",
        std::fs::read_to_string(&page_file).unwrap()
    );
    std::fs::write(&page_file, &body).unwrap();

    let figures_file = root.join("content/data/figures.yaml");
    let figures = std::fs::read_to_string(&figures_file).expect("content/data/figures.yaml");
    let mut html_pages: Vec<&str> = s.paths().filter(|p| p.ends_with(".html")).collect();
    html_pages.sort();
    // The first figure with an integer value that a page shows.
    let (line, old, fig_page) = figures
        .lines()
        .filter_map(|l| {
            let v = l.trim_start().strip_prefix("value: ")?;
            v.parse::<u64>().ok().map(|n| (l.to_string(), n))
        })
        .find_map(|(l, n)| {
            let shows = format!("value=\"{n}\"");
            let page = html_pages
                .iter()
                .find(|p| matches!(s.get(p), Some(Served::Bytes(b)) if contains(b, &shows)))?;
            Some((l, n, page.to_string()))
        })
        .expect("a page showing a figure with an integer value");

    let template_file = root.join("templates/page.html");
    let template = std::fs::read_to_string(&template_file).unwrap();
    assert!(template.contains("</h1>"), "page.html has an <h1>");

    let prefix = line[..line.find("value: ").unwrap()].to_string();
    vec![
        Edit {
            name: "(a) one page's body",
            file: page_file,
            text: Box::new(move |i| body.replace("marker m0.", &format!("marker m{i}."))),
            page: page_out.clone(),
            shows: Box::new(|i| format!("marker m{i}.")),
        },
        Edit {
            name: "(b) a figure in figures.yaml",
            file: figures_file,
            text: Box::new(move |i| {
                figures.replacen(&line, &format!("{prefix}value: {}", old + i as u64), 1)
            }),
            page: fig_page,
            shows: Box::new(move |i| format!("value=\"{}\"", old + i as u64)),
        },
        Edit {
            name: "(c) templates/page.html",
            file: template_file,
            text: Box::new(move |i| template.replacen("</h1>", &format!("</h1><!--t{i}-->"), 1)),
            page: page_out,
            shows: Box::new(|i| format!("<!--t{i}-->")),
        },
    ]
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Copy the site's own files (not `public/`, nor a repository's other folders).
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(from.join("site.yaml"), to.join("site.yaml")).expect("SITE_DIR/site.yaml");
    for dir in ["content", "templates", "static"] {
        let base = from.join(dir);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base) {
            let entry = entry.unwrap();
            let dest = to.join(dir).join(entry.path().strip_prefix(&base).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else if entry.file_type().is_file() {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }
}
