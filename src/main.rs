//! The command line: parses arguments, calls the library, prints. Nothing else.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use explainer::serve::{Notice, NoticeFn, ServeError, ServeOptions, Server};
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
    /// Serve the site on this machine, rebuilding and reloading open pages as files change
    Serve(ServeArgs),
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
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
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
    let notices: NoticeFn = Arc::new(|n: &Notice| match n {
        Notice::Failed { .. } | Notice::Watch(_) => eprintln!("{n}"),
        _ => println!("{n}"),
    });
    let server = match Server::start(opts, notices) {
        Ok(s) => s,
        Err(e) => {
            report_errors_of(&e);
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
    println!("serving {url} (Ctrl-C to stop)");
    if args.open
        && let Err(e) = explainer::serve::open_browser(&url)
    {
        eprintln!("note: could not open a browser ({e}); open {url} yourself");
    }
    server.run_until_ctrl_c();
    println!("stopped");
    ExitCode::SUCCESS
}

fn report_errors_of(e: &ServeError) {
    match e {
        ServeError::Site(e) => report_errors(e),
        other => eprintln!("error: {other}"),
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
