//! The build benchmark: cold `explainer build` (release) on generated corpora of several sizes,
//! against the floor (the same markdown read, rendered by bare pulldown-cmark and written; one
//! thread and all cores) and against Hugo on the same corpus, paired run by run.
//!
//!     cargo run --release --example bench_build -- --results DIR [--pages 1000,10000,100000]
//!         [--runs 5] [--tmpfs /dev/shm] [--disk DIR] [--no-hugo]
//!
//! `scripts/bench-build` builds the programs, installs Hugo when missing and runs this. Each
//! tool runs as its own process (wall time to the microsecond; its user + system CPU and peak
//! RSS as the kernel accounts them) into an output folder that does not exist yet. In every run the tools run back to back on
//! the same corpus, so the ratios (ours ÷ Hugo, ours ÷ floor) are taken run by run and their
//! median reported: on a shared, noisy machine a ratio measured in one run holds better than
//! two medians measured apart. tmpfs (`/dev/shm`) and disk are reported separately.
//!
//! Writes `DIR/results.md` (the tables), `DIR/results.csv` (every run) and, drawn by explainer's
//! own chart code (a small site built with `explainer build`), `DIR/time.svg` and
//! `DIR/memory.svg` (wall time and peak RSS against pages) beside them.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// Where the tables and charts are written.
    #[arg(long)]
    results: PathBuf,
    /// Corpus sizes, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    pages: Vec<usize>,
    /// Runs per size (medians are reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// A tmpfs folder for the in-memory measurements.
    #[arg(long, default_value = "/dev/shm")]
    tmpfs: PathBuf,
    /// A folder on disk for the disk measurements; none: tmpfs only.
    #[arg(long)]
    disk: Option<PathBuf>,
    /// Leave Hugo out.
    #[arg(long)]
    no_hugo: bool,
    /// Folder holding `explainer`, `examples/gen_corpus` and `examples/bench_floor`.
    #[arg(long, default_value = "target/release")]
    bin: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tool {
    Explainer,
    /// The same corpus with `markdown: {highlight: false}`: what code highlighting costs a site
    /// without code (issue 13 asks for a few percent at most).
    ExplainerPlain,
    FloorSerial,
    FloorParallel,
    Hugo,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Explainer => "explainer build",
            Tool::ExplainerPlain => "explainer, highlight off",
            Tool::FloorSerial => "floor, 1 thread",
            Tool::FloorParallel => "floor, parallel",
            Tool::Hugo => "Hugo",
        }
    }
}

/// One process measured: seconds of wall and CPU, peak RSS in KiB.
#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: f64,
    cpu: f64,
    rss_kib: f64,
}

struct Row {
    place: String,
    pages: usize,
    tool: Tool,
    samples: Vec<Sample>,
}

fn main() {
    let args = Args::parse();
    fs::create_dir_all(&args.results).expect("results folder");
    let mut tools = vec![
        Tool::Explainer,
        Tool::ExplainerPlain,
        Tool::FloorSerial,
        Tool::FloorParallel,
    ];
    if !args.no_hugo {
        tools.push(Tool::Hugo);
        let v = Command::new("hugo").arg("version").output();
        match v {
            Ok(o) if o.status.success() => {
                println!("{}", String::from_utf8_lossy(&o.stdout).trim())
            }
            _ => panic!("hugo is not installed (scripts/bench-build installs it)"),
        }
    }
    let mut places = vec![("tmpfs", args.tmpfs.clone())];
    if let Some(d) = &args.disk {
        places.push(("disk", d.clone()));
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut csv = String::from("place,pages,run,tool,wall_s,cpu_s,peak_rss_kib\n");
    for (place, base) in &places {
        let work = base.join(format!("explainer-bench-{}", std::process::id()));
        for &pages in &args.pages {
            let _ = fs::remove_dir_all(&work);
            fs::create_dir_all(&work).expect("work folder");
            let corpus = work.join("corpus");
            let hugo_corpus = work.join("hugo-corpus");
            let plain_corpus = work.join("plain-corpus");
            generate(&args.bin, pages, &corpus, false);
            generate(&args.bin, pages, &plain_corpus, false);
            let mut site_yaml =
                fs::read_to_string(plain_corpus.join("site.yaml")).expect("site.yaml");
            site_yaml.push_str("markdown: {highlight: false}\n");
            fs::write(plain_corpus.join("site.yaml"), site_yaml).expect("site.yaml");
            if tools.contains(&Tool::Hugo) {
                generate(&args.bin, pages, &hugo_corpus, true);
            }
            let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); tools.len()];
            for run in 0..args.runs {
                for (k, &tool) in tools.iter().enumerate() {
                    let out = work.join("out");
                    let _ = fs::remove_dir_all(&out);
                    let input = match tool {
                        Tool::Hugo => &hugo_corpus,
                        Tool::ExplainerPlain => &plain_corpus,
                        _ => &corpus,
                    };
                    let s = measure(&args.bin, tool, input, &out);
                    eprintln!(
                        "{place} {pages} run {} {:<16} {:>8.3} s wall {:>8.3} s CPU {:>8.1} MiB",
                        run + 1,
                        tool.name(),
                        s.wall,
                        s.cpu,
                        s.rss_kib / 1024.0
                    );
                    writeln!(
                        csv,
                        "{place},{pages},{},{},{:.4},{:.4},{}",
                        run + 1,
                        tool.name(),
                        s.wall,
                        s.cpu,
                        s.rss_kib
                    )
                    .unwrap();
                    samples[k].push(s);
                }
            }
            for (k, &tool) in tools.iter().enumerate() {
                rows.push(Row {
                    place: place.to_string(),
                    pages,
                    tool,
                    samples: std::mem::take(&mut samples[k]),
                });
            }
            let _ = fs::remove_dir_all(&work);
        }
    }
    let table = tables(&rows, &places, &args.pages, &tools, args.runs);
    print!("{table}");
    fs::write(args.results.join("results.md"), &table).expect("results.md");
    fs::write(args.results.join("results.csv"), csv).expect("results.csv");
    draw(&args, &rows, &tools);
    println!(
        "\nwrote {} (results.md, results.csv, time.svg, memory.svg)",
        args.results.display()
    );
}

fn generate(bin: &Path, pages: usize, out: &Path, hugo: bool) {
    let mut cmd = Command::new(bin.join("examples/gen_corpus"));
    cmd.arg("--pages")
        .arg(pages.to_string())
        .arg("--out")
        .arg(out);
    if hugo {
        cmd.arg("--hugo");
    }
    let o = cmd.output().expect("gen_corpus runs");
    assert!(
        o.status.success(),
        "gen_corpus failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Run `tool` on the site folder `corpus`; its output goes to `out`, which does not exist yet.
/// Wall time from just before the process starts to when it is reaped (as GNU time counts it);
/// CPU time and peak RSS from the kernel's account of that one process (`wait4`). GNU time
/// printed wall time truncated to 10 ms: 4 % of the floor's 0.25 s at 10,000 pages, always
/// downwards, so the ratios to the floor came out high by about 1.5 % and moved by 4 % run to
/// run for nothing.
/// Read every file of `corpus`, so that each tool starts its timed run with its input equally
/// warm (as `hyperfine --prepare` would). On this machine a file nobody has read for a few
/// seconds costs far more to read again: 10,000 pages' first kilobyte took 30 ms to read back
/// to back, 200 ms after 3 s idle and 600 ms after 20 s (the host lets idle guest memory go
/// cold). Without this, the order of the tools decided who paid that: the parallel floor runs
/// right after the one-thread floor on the same files, while explainer ran right after Hugo's
/// 6 s on another copy of the corpus.
fn warm(corpus: &Path) {
    for entry in walkdir::WalkDir::new(corpus).into_iter().flatten() {
        if entry.file_type().is_file() {
            let _ = fs::read(entry.path());
        }
    }
}

fn measure(bin: &Path, tool: Tool, corpus: &Path, out: &Path) -> Sample {
    let mut cmd = match tool {
        Tool::Explainer | Tool::ExplainerPlain => {
            let mut c = Command::new(bin.join("explainer"));
            c.args(["build", "--quiet", "--root"])
                .arg(corpus)
                .arg("--output")
                .arg(out);
            c
        }
        Tool::FloorSerial | Tool::FloorParallel => {
            let mut c = Command::new(bin.join("examples/bench_floor"));
            c.arg(corpus).arg(out);
            if tool == Tool::FloorSerial {
                c.arg("1");
            }
            c
        }
        Tool::Hugo => {
            let mut c = Command::new("hugo");
            c.args(["--quiet", "--source"])
                .arg(corpus)
                .arg("--destination")
                .arg(out);
            c
        }
    };
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    warm(corpus);
    let started = Instant::now();
    #[expect(clippy::zombie_processes, reason = "reaped with wait4 below")]
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{} runs: {e}", tool.name()));
    // Read stderr to its end first (a full pipe would block the child), then reap the child
    // with `wait4` for its own resource usage; `Child::wait` would not give it.
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    let pid = i32::try_from(child.id()).expect("a pid fits in pid_t");
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of that plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = loop {
        // SAFETY: `pid` is our own unreaped child, and the pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        // A signal may interrupt the wait before the child ends: wait again.
        if r != -1 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break r;
        }
    };
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(
        reaped,
        pid,
        "wait4 failed: {}",
        std::io::Error::last_os_error()
    );
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{} failed ({status:#x}): {stderr}",
        tool.name()
    );
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Sample {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        // Linux reports it in KiB.
        rss_kib: usage.ru_maxrss as f64,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn find<'a>(rows: &'a [Row], place: &str, pages: usize, tool: Tool) -> Option<&'a Row> {
    rows.iter()
        .find(|r| r.place == place && r.pages == pages && r.tool == tool)
}

/// Ours ÷ theirs in each run, the two measured one after the other.
fn ratios(ours: &Row, theirs: &Row, f: impl Fn(&Sample) -> f64) -> Vec<f64> {
    ours.samples
        .iter()
        .zip(&theirs.samples)
        .map(|(a, b)| f(a) / f(b))
        .collect()
}

/// Median over runs of ours ÷ theirs, each ratio taken within one run.
fn paired(ours: &Row, theirs: &Row, f: impl Fn(&Sample) -> f64) -> f64 {
    median(ratios(ours, theirs, f))
}

/// [`paired`] with the lowest and highest of the runs' ratios: on a shared machine the ratio
/// moves by about a tenth from run to run, and a target near the median needs the spread shown.
fn paired_spread(ours: &Row, theirs: &Row, f: impl Fn(&Sample) -> f64) -> String {
    let r = ratios(ours, theirs, f);
    let lo = r.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match r.len() {
        0 | 1 => format!("{:.2}", median(r)),
        _ => format!("{:.2} ({lo:.2}–{hi:.2})", median(r)),
    }
}

fn tables(
    rows: &[Row],
    places: &[(&str, PathBuf)],
    sizes: &[usize],
    tools: &[Tool],
    runs: usize,
) -> String {
    let mut t = String::new();
    let has_hugo = tools.contains(&Tool::Hugo);
    for (place, dir) in places {
        writeln!(
            t,
            "\n### Output on {place} ({}), medians of {runs} runs\n",
            dir.display()
        )
        .unwrap();
        t.push_str("| pages | tool | wall | CPU | CPU ÷ wall | peak RSS | pages/s |\n");
        t.push_str("|---:|---|---:|---:|---:|---:|---:|\n");
        for &pages in sizes {
            for &tool in tools {
                let Some(r) = find(rows, place, pages, tool) else {
                    continue;
                };
                let wall = median(r.samples.iter().map(|s| s.wall).collect());
                let cpu = median(r.samples.iter().map(|s| s.cpu).collect());
                let rss = median(r.samples.iter().map(|s| s.rss_kib).collect()) / 1024.0;
                writeln!(
                    t,
                    "| {pages} | {} | {wall:.3} s | {cpu:.3} s | {:.2} | {rss:.1} MiB | {:.0} |",
                    tool.name(),
                    cpu / wall,
                    pages as f64 / wall
                )
                .unwrap();
            }
        }
        writeln!(
            t,
            "\nRatios, explainer ÷ other, paired run by run (median of the {runs} runs' ratios; against the floor, lowest–highest in brackets):\n"
        )
        .unwrap();
        t.push_str("| pages | wall ÷ floor (parallel) | wall ÷ floor (1 thread) |");
        if has_hugo {
            t.push_str(" wall ÷ Hugo | CPU ÷ Hugo | RSS ÷ Hugo |");
        }
        t.push_str(" highlight on ÷ off: wall | CPU | RSS per page |\n|---:|---:|---:|");
        if has_hugo {
            t.push_str("---:|---:|---:|");
        }
        t.push_str("---:|---:|---:|\n");
        for &pages in sizes {
            let Some(ours) = find(rows, place, pages, Tool::Explainer) else {
                continue;
            };
            let fp = find(rows, place, pages, Tool::FloorParallel).expect("floor measured");
            let fs1 = find(rows, place, pages, Tool::FloorSerial).expect("floor measured");
            write!(
                t,
                "| {pages} | {} | {} |",
                paired_spread(ours, fp, |s| s.wall),
                paired_spread(ours, fs1, |s| s.wall)
            )
            .unwrap();
            if let Some(h) = find(rows, place, pages, Tool::Hugo) {
                write!(
                    t,
                    " {:.3} | {:.3} | {:.3} |",
                    paired(ours, h, |s| s.wall),
                    paired(ours, h, |s| s.cpu),
                    paired(ours, h, |s| s.rss_kib)
                )
                .unwrap();
            }
            let plain = find(rows, place, pages, Tool::ExplainerPlain).expect("measured");
            write!(
                t,
                " {:.3} | {:.3} |",
                paired(ours, plain, |s| s.wall),
                paired(ours, plain, |s| s.cpu)
            )
            .unwrap();
            let rss = median(ours.samples.iter().map(|s| s.rss_kib).collect());
            writeln!(t, " {:.1} KiB |", rss / pages as f64).unwrap();
        }
        // Growth between consecutive sizes: wall and RSS ratios for explainer.
        if sizes.len() > 1 {
            t.push_str("\nGrowth of explainer between sizes (×pages → ×wall, ×peak RSS):\n\n");
            for w in sizes.windows(2) {
                let (Some(a), Some(b)) = (
                    find(rows, place, w[0], Tool::Explainer),
                    find(rows, place, w[1], Tool::Explainer),
                ) else {
                    continue;
                };
                let m = |r: &Row, f: fn(&Sample) -> f64| median(r.samples.iter().map(f).collect());
                writeln!(
                    t,
                    "- {} → {} pages (×{:.0}): wall ×{:.2}, peak RSS ×{:.2}",
                    w[0],
                    w[1],
                    w[1] as f64 / w[0] as f64,
                    m(b, |s| s.wall) / m(a, |s| s.wall),
                    m(b, |s| s.rss_kib) / m(a, |s| s.rss_kib)
                )
                .unwrap();
            }
        }
    }
    t
}

/// Draw wall time and peak RSS against pages with explainer's own chart code: a small site with
/// a `charts.yaml`, built by the release binary; its standalone SVG files are copied out.
fn draw(args: &Args, rows: &[Row], tools: &[Tool]) {
    let site = args.results.join("chart-site");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("content/data")).expect("chart site");
    fs::create_dir_all(site.join("templates")).expect("chart site");
    fs::write(
        site.join("site.yaml"),
        "title: Build benchmark\nlanguages:\n  - {code: en, name: English}\n",
    )
    .unwrap();
    fs::write(
        site.join("content/data/sources.yaml"),
        "- id: bench\n  title: scripts/bench-build\n",
    )
    .unwrap();
    let place = "tmpfs";
    let sizes: Vec<usize> = args
        .pages
        .iter()
        .copied()
        .filter(|&p| find(rows, place, p, Tool::Explainer).is_some())
        .collect();
    let cats: Vec<String> = sizes.iter().map(|p| format!("\"{p} pages\"")).collect();
    let mut charts = String::new();
    for (id, title, unit, f) in [
        (
            "time",
            "Wall time of a cold build (seconds, log scale, output on tmpfs)",
            "Seconds",
            (|s: &Sample| s.wall) as fn(&Sample) -> f64,
        ),
        (
            "memory",
            "Peak memory of a cold build (MiB, log scale, output on tmpfs)",
            "MiB",
            |s: &Sample| s.rss_kib / 1024.0,
        ),
    ] {
        writeln!(
            charts,
            "- id: {id}\n  kind: grouped\n  scale: log\n  title: \"{title}\"\n  value_label: {unit}\n  categories: [{}]\n  series:",
            cats.join(", ")
        )
        .unwrap();
        // Highlighting on or off is one bar at this scale: the table has their ratio.
        for &tool in tools.iter().filter(|&&t| t != Tool::ExplainerPlain) {
            let values: Vec<String> = sizes
                .iter()
                .map(|&p| {
                    let r = find(rows, place, p, tool).expect("measured");
                    // The chart shows three significant digits; log scales need values above 0.
                    let v = median(r.samples.iter().map(f).collect()).max(0.001);
                    format!("{v:.3}")
                })
                .collect();
            writeln!(
                charts,
                "    - name: \"{}\"\n      values: [{}]",
                tool.name(),
                values.join(", ")
            )
            .unwrap();
        }
        charts.push_str("  sources: [bench]\n");
    }
    fs::write(site.join("content/data/charts.yaml"), charts).unwrap();
    fs::write(
        site.join("content/_index.md"),
        "# Build benchmark\n\n{{ chart(id=\"time\") }}\n\n{{ chart(id=\"memory\") }}\n",
    )
    .unwrap();
    fs::write(
        site.join("templates/index.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title><link rel=\"stylesheet\" href=\"{{ url(path='charts/charts.css') }}\"></head><body>{{ page.content | safe }}<ol>{% for c in page.citations %}<li id=\"{{ c.anchor }}\">{{ c.source.title }}</li>{% endfor %}</ol></body></html>\n",
    )
    .unwrap();
    let out = site.join("public");
    let o = Command::new(args.bin.join("explainer"))
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("explainer runs");
    assert!(
        o.status.success(),
        "drawing the charts failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for id in ["time", "memory"] {
        fs::copy(
            out.join(format!("charts/{id}.en.svg")),
            args.results.join(format!("{id}.svg")),
        )
        .expect("chart written");
    }
}
