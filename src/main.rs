//! The command line: parses arguments, calls the library, prints. Nothing else.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use explainer::site::LoadOptions;
use explainer::{BuildOptions, Error};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
    }
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
    let result = explainer::build_with_progress(&opts, &|stage| {
        if let Some(s) = &spinner {
            s.set_message(stage.to_string());
        }
    });
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            if !args.quiet {
                println!("{}", report.summary());
            }
            if args.open {
                open_in_browser(&report.output.join("index.html"));
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

/// Hand `target` (a file or URL) to the desktop's browser; say what to do where there is none.
fn open_in_browser(target: &std::path::Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let ok = std::process::Command::new(opener)
        .arg(target)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "note: could not open a browser; open {} yourself",
            target.display()
        );
    }
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
