//! The command line: parses arguments, calls the library, prints. Nothing else.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use explainer::LoadOptions;
use explainer::serve::{Notice, NoticeFn, ServeOptions, Server};
use explainer::{BuildOptions, Error, count};

// A build makes and frees millions of small strings and template values from both cores; with
// glibc's allocator a third of a large build's time went to malloc and free (issue 14's profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "explainer",
    version,
    about = "Build data-driven explainer sites: markdown + YAML data + Tera templates + SVG charts drawn at build time"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of static files (atomically: a failed build changes nothing)
    Build(BuildArgs),
    /// Serve the site on this machine, rebuilding and reloading open pages as files change
    Serve(ServeArgs),
    /// Check the site without writing it: broken links and anchors, missing images, duplicate
    /// ids (errors); pages nothing links to, unused charts and data (warnings); external links
    Check(CheckArgs),
    /// Start a new site in DIR: two languages, two pages each, figures, sources and a chart
    New(NewArgs),
}

#[derive(Args)]
struct NewArgs {
    /// The folder to create (it must be new or empty)
    dir: PathBuf,
}

#[derive(Args)]
struct CheckArgs {
    /// The site folder (with site.yaml, content/, templates/, static/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Also fetch every external link (HEAD, then GET), reporting failures as errors
    #[arg(long)]
    external: bool,
    /// Seconds to wait for each external link
    #[arg(long, default_value_t = 10, requires = "external")]
    timeout: u64,
    /// Include pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

#[derive(Args)]
struct ServeArgs {
    /// The site folder (with site.yaml, content/, templates/, static/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on; 0 picks a free one
    #[arg(long, short, default_value_t = explainer::serve::DEFAULT_PORT)]
    port: u16,
    /// Address to listen on; anything but a loopback address serves the site to the network
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the site in the browser
    #[arg(long)]
    open: bool,
    /// Include pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

#[derive(Args)]
struct BuildArgs {
    /// The site folder (with site.yaml, content/, templates/, static/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Absolute URL the site will be served from; enables canonical links, sitemap.xml, robots.txt
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Report broken internal links and anchors as warnings instead of failing
    #[arg(long)]
    allow_broken_links: bool,
    /// Open the built site's home page in the default browser
    #[arg(long)]
    open: bool,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
    /// After building, print how long each stage took (reading, parsing, markdown, pages…)
    #[arg(long)]
    timings: bool,
}

/// Print a line on stdout, through its lock. A closed pipe (`explainer check | head -1`) is a
/// normal end: the program exits 0 quietly, as ripgrep and bat do; another write error exits 1.
macro_rules! out {
    ($($arg:tt)*) => {
        say(format_args!($($arg)*))
    };
}

fn say(line: std::fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Check(args) => check(args),
        Command::New(args) => new(args),
    }
}

fn new(args: NewArgs) -> ExitCode {
    match explainer::scaffold::new_site(&args.dir) {
        Ok(files) => {
            let dir = args.dir.display();
            out!("created a new site in {dir} ({} files)", files.len());
            out!(
                "next:\n  cd {dir}\n  explainer serve        # preview at http://127.0.0.1:1111/, reloading as you edit\n  explainer check        # links, anchors, unused figures and charts\n  explainer build        # the site, in {dir}/public"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let opts = LoadOptions {
        drafts: args.drafts,
        base_url: None,
    };
    let checked = match explainer::check::check_site(&args.root, &opts) {
        Ok(c) => c,
        Err(e) => {
            report_errors(&e);
            eprintln!("error: the site does not render; fix these to check the rest");
            return ExitCode::from(1);
        }
    };
    let report = &checked.report;
    for d in &report.diagnostics {
        out!("{}: {d}", d.severity);
    }
    let mut errors = report.errors().count();
    let warnings = report.warnings().count();
    let n = report.external.len();
    out!(
        "{}{}",
        count(n, "external link"),
        if n > 0 { ":" } else { "" }
    );
    if args.external {
        let results = explainer::check::check_external(
            &report.external,
            Duration::from_secs(args.timeout),
            16,
        );
        for r in &results {
            out!("  {}  ({})", r.url, r.at);
        }
        for r in results.iter().filter(|r| !r.is_ok()) {
            out!("{}", r.message());
            errors += 1;
        }
    } else {
        for (url, at) in &report.external {
            out!("  {url}  ({at})");
        }
    }
    out!(
        "checked {}: {}, {}",
        count(checked.pages, "page"),
        count(errors, "error"),
        count(warnings, "warning")
    );
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let opts = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        load: LoadOptions {
            drafts: args.drafts,
            base_url: None,
        },
        ..ServeOptions::default()
    };
    let notices: NoticeFn = Arc::new(|n: &Notice| {
        if n.has_errors() {
            eprintln!("{n}");
        } else {
            out!("{n}");
        }
    });
    let server = match Server::start(opts, notices) {
        Ok(s) => s,
        Err(e) => {
            report_errors(&e);
            return ExitCode::from(1);
        }
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: the site is served to the network, without TLS",
            args.bind
        );
    }
    let url = server.url();
    out!("serving {url} (Ctrl-C to stop)");
    if args.open
        && let Err(e) = explainer::serve::open_browser(&url)
    {
        eprintln!("note: could not open a browser ({e}); open {url} yourself");
    }
    server.run_until_ctrl_c();
    out!("stopped");
    ExitCode::SUCCESS
}

fn build(args: BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.root,
        output: args.output,
        load: LoadOptions {
            drafts: args.drafts,
            base_url: args.base_url,
        },
        allow_broken_links: args.allow_broken_links,
    };
    let spinner = (!args.quiet && std::io::stderr().is_terminal()).then(progress_spinner);
    let stages = std::sync::Mutex::new(Vec::<Stage>::new());
    let result = explainer::build_with_progress(&opts, &|stage| {
        if let Some(s) = &spinner {
            s.set_message(stage.to_string());
        }
        if args.timings {
            let mut stages = stages.lock().unwrap_or_else(|e| e.into_inner());
            stages.push(Stage {
                name: stage.to_string(),
                start: Instant::now(),
                cpu: cpu_ns(),
                rss: resident_kib(),
            });
        }
    });
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    if args.timings {
        let stages = stages.into_inner().unwrap_or_else(|e| e.into_inner());
        print_timings(&stages, Instant::now(), cpu_ns());
    }
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            if !args.quiet {
                for n in &report.notes {
                    eprintln!("note: {n}");
                }
                out!("{}", report.summary());
            }
            if args.open {
                let home = report.output.join("index.html");
                if let Err(e) = explainer::serve::open_browser(&home.to_string_lossy()) {
                    eprintln!(
                        "note: could not open a browser ({e}); open {} yourself",
                        home.display()
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            report_errors(&e);
            eprintln!(
                "error: build failed; {} was left unchanged",
                opts.output_dir().display()
            );
            ExitCode::from(1)
        }
    }
}

/// One stage of a build as `--timings` saw it start.
struct Stage {
    name: String,
    start: Instant,
    /// CPU time of all the process's threads so far ([`cpu_ns`]).
    cpu: Option<u64>,
    /// Resident memory, in KiB.
    rss: Option<u64>,
}

/// `--timings`: each stage's wall-clock time, how many cores it kept busy on average (its
/// CPU time over its wall time: a stage on one thread shows 1.00; rayon's threads wait for
/// work busily for a moment, which counts), and the memory in use when it started, on stderr
/// (stdout keeps the one summary line).
fn print_timings(stages: &[Stage], end: Instant, end_cpu: Option<u64>) {
    let Some(first) = stages.first() else {
        return;
    };
    let mib = |kib: Option<u64>| {
        kib.map_or("".to_string(), |k| {
            format!("{:>7.1} MiB", k as f64 / 1024.0)
        })
    };
    // The kernel adds a running thread's CPU time up at each tick (a few ms): left blank for
    // stages too short for that to be measured.
    let cores = |cpu: Option<u64>, start: Option<u64>, wall: f64| match (cpu, start) {
        (Some(b), Some(a)) if wall >= 0.05 => {
            format!("{:>5.2}", b.saturating_sub(a) as f64 / 1e9 / wall)
        }
        _ => format!("{:>5}", ""),
    };
    let total = end.duration_since(first.start);
    let ends = stages
        .iter()
        .skip(1)
        .map(|s| (s.start, s.cpu))
        .chain([(end, end_cpu)]);
    eprintln!(
        "timing: {:<22} {:>12} {:>7} {:>5} {:>11}",
        "stage", "wall", "share", "cores", "RSS at start"
    );
    for (s, (stop, stop_cpu)) in stages.iter().zip(ends) {
        let took = stop.duration_since(s.start).as_secs_f64();
        eprintln!(
            "timing: {:<22} {:>9.1} ms {:>5.1} % {} {}",
            s.name,
            took * 1e3,
            100.0 * took / total.as_secs_f64().max(1e-9),
            cores(stop_cpu, s.cpu, took),
            mib(s.rss),
        );
    }
    eprintln!(
        "timing: {:<22} {:>9.1} ms {:>7} {}",
        "total",
        total.as_secs_f64() * 1e3,
        "",
        cores(end_cpu, first.cpu, total.as_secs_f64()),
    );
    if let Some(peak) = status_kib("VmHWM:") {
        eprintln!("timing: {:<22} {}", "peak RSS", mib(Some(peak)));
    }
}

/// CPU time used so far by every thread of the process, in nanoseconds: the first field of
/// each thread's `schedstat` (Linux only; threads that have ended are not counted, and a
/// build's threads live to its end).
fn cpu_ns() -> Option<u64> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    let mut sum = 0;
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        sum += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(sum)
}

/// The process's resident memory now, in KiB (Linux only).
fn resident_kib() -> Option<u64> {
    status_kib("VmRSS:")
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// A spinner that stays invisible for the first second, so quick builds print one clean line.
fn progress_spinner() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::hidden();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .expect("valid template"),
    );
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown.enable_steady_tick(Duration::from_millis(120));
        }
    });
    bar
}

fn report_errors(e: &Error) {
    let all = e.flatten();
    for err in &all {
        eprintln!("error: {err}");
    }
    if all.len() > 1 {
        eprintln!("error: {} problems found", all.len());
    }
}
