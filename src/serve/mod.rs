//! `explainer serve`: the site rendered in memory, served over HTTP, rebuilt as files change.
//!
//! One `Session` sits behind an async `RwLock`: request handlers take it for reading only as long
//! as it takes to clone a page's bytes; the watcher's own thread (never the runtime's workers:
//! rebuilds use rayon) takes it for writing to rebuild. After every rebuild, open pages hear of
//! it on an event stream and reload; while the site is broken, every HTML page carries an
//! overlay with the errors, over the last good version.

mod http;
mod page;
mod paths;
mod watch;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{RwLock, broadcast};

use crate::error::Error;
use crate::session::{Rebuild, Scope, Session};
use crate::site::LoadOptions;
use crate::text::plural;
use page::Shown;

/// The port `serve` listens on unless told otherwise (Zola uses the same).
pub const DEFAULT_PORT: u16 = 1111;

/// How to serve a site.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on (loopback unless the author asks otherwise).
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Drafts, base URL.
    pub load: LoadOptions,
    /// Quiet time after the last file event before rebuilding. Editors that save by writing
    /// a temporary file and renaming it, or write twice, do so within a few milliseconds; 30 ms
    /// collapses those bursts and keeps save → reload well under a tenth of a second.
    pub debounce: Duration,
    /// A client must send a request's headers within this time, on a new connection and between
    /// requests on a kept-alive one, or the connection is closed: idle and half-sent connections
    /// cannot pile up.
    pub header_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            load: LoadOptions::default(),
            debounce: Duration::from_millis(30),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// Something the terminal should hear about.
#[derive(Debug, Clone)]
pub enum Notice {
    /// The site was rendered at start (or after having been broken since start).
    Opened {
        /// Pages rendered.
        pages: usize,
        /// How long it took.
        elapsed: Duration,
        /// Broken links and anchors found in it (`file:line:col: message`), as `build` reports.
        links: Vec<String>,
    },
    /// A change was rebuilt.
    Rebuilt {
        /// What was redone.
        rebuild: Rebuild,
        /// The changed files, relative to the site root.
        sources: Vec<String>,
        /// Broken links and anchors in the site as now served.
        links: Vec<String>,
    },
    /// A change broke the site; the last good version is still served.
    Failed {
        /// Every problem found.
        error: Error,
        /// The changed files, relative to the site root.
        sources: Vec<String>,
    },
    /// The watcher reported a problem (not a site error).
    Watch(String),
    /// A request or connection was refused (said once per reason and host).
    Refused(String),
}

impl fmt::Display for Notice {
    /// One line per rebuild (`rebuilt 1 page in 3 ms (content/a.md)`); a failure prints one
    /// `error: …` line per error, as `build` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Opened {
                pages,
                elapsed,
                links,
            } => {
                write!(
                    f,
                    "rendered {pages} page{} in {}",
                    plural(*pages),
                    human_duration(*elapsed)
                )?;
                write_links(f, links)
            }
            Notice::Rebuilt {
                rebuild: r,
                sources,
                links,
            } => {
                let what = match r.scope {
                    Scope::Full => format!("all {} pages", r.pages_rendered),
                    _ => format!("{} page{}", r.pages_rendered, plural(r.pages_rendered)),
                };
                write!(
                    f,
                    "rebuilt {what} in {}{}",
                    human_duration(r.elapsed),
                    list_sources(sources)
                )?;
                write_links(f, links)
            }
            Notice::Failed { error, .. } => {
                let all = error.flatten();
                for (i, e) in all.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "error: {e}")?;
                }
                if all.len() > 1 {
                    write!(
                        f,
                        "\nerror: {} problems; the last good site is still served",
                        all.len()
                    )?;
                }
                Ok(())
            }
            Notice::Watch(msg) => write!(f, "warning: watching files: {msg}"),
            Notice::Refused(msg) => write!(f, "warning: refused {msg}"),
        }
    }
}

/// Link errors under the line that reports a render, one `error: …` line each, as `build`
/// prints them (where `build` would refuse to write the site).
fn write_links(f: &mut fmt::Formatter<'_>, links: &[String]) -> fmt::Result {
    for l in links {
        write!(f, "\nerror: {l}")?;
    }
    if !links.is_empty() {
        write!(
            f,
            "\nerror: {} broken link{} (served anyway; `explainer build` refuses them)",
            links.len(),
            plural(links.len())
        )?;
    }
    Ok(())
}

impl Notice {
    /// Whether this notice reports errors or warnings (for the terminal: stderr rather than
    /// stdout).
    pub fn has_errors(&self) -> bool {
        match self {
            Notice::Failed { .. } | Notice::Watch(_) | Notice::Refused(_) => true,
            Notice::Opened { links, .. } | Notice::Rebuilt { links, .. } => !links.is_empty(),
        }
    }
}

/// The broken links and anchors of the session's last check, as notices and the overlay show
/// them.
pub(crate) fn link_errors(session: &Session) -> (Vec<String>, Vec<Shown>) {
    let report = session.report();
    let lines = report
        .errors()
        .map(|p| format!("{}: {}", p.at, p.message))
        .collect();
    let shown = match report.to_error() {
        Ok(()) => Vec::new(),
        Err(e) => page::shown(&e),
    };
    (lines, shown)
}

/// `0.4 ms`, `12 ms`, `1.25 s`: rebuilds are often under a millisecond.
fn human_duration(d: Duration) -> String {
    if d < Duration::from_millis(10) {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    } else {
        crate::build::human_duration(d)
    }
}

fn list_sources(sources: &[String]) -> String {
    match sources {
        [] => String::new(),
        [one] => format!(" ({one})"),
        [first, rest @ ..] => format!(" ({first} and {} more)", rest.len()),
    }
}

/// What requests and the watcher share.
pub(crate) struct State {
    pub root: PathBuf,
    pub opts: LoadOptions,
    pub live: RwLock<Live>,
    pub events: broadcast::Sender<PageEvent>,
    pub stop: tokio::sync::watch::Receiver<bool>,
    pub notices: NoticeFn,
    /// Refusals already reported, so each is said once.
    pub refused: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl State {
    /// Report a refusal the first time it happens.
    pub fn refuse_once(&self, what: String) {
        let new = self
            .refused
            .lock()
            .map(|mut seen| seen.len() < 1000 && seen.insert(what.clone()))
            .unwrap_or(false);
        if new {
            (self.notices)(&Notice::Refused(what));
        }
    }
}

/// An event for open pages: `hello` on connecting, `reload` after a good rebuild, `broken`
/// (with the errors) after a failed one. The data is JSON: `{"generation": n, "errors": […]}`.
#[derive(Debug, Clone)]
pub(crate) struct PageEvent {
    pub name: &'static str,
    pub data: String,
}

impl PageEvent {
    pub fn hello(generation: u64) -> PageEvent {
        PageEvent {
            name: "hello",
            data: serde_json::json!({ "generation": generation }).to_string(),
        }
    }

    pub fn reload(generation: u64) -> PageEvent {
        PageEvent {
            name: "reload",
            data: serde_json::json!({ "generation": generation }).to_string(),
        }
    }

    pub fn broken(generation: u64, errors: &[Shown]) -> PageEvent {
        let errors: Vec<_> = errors
            .iter()
            .map(|e| serde_json::json!({ "at": e.at, "message": e.message }))
            .collect();
        PageEvent {
            name: "broken",
            data: serde_json::json!({ "generation": generation, "errors": errors }).to_string(),
        }
    }
}

/// The site as currently served.
pub(crate) struct Live {
    /// `None` while the site has never rendered.
    pub session: Option<Session>,
    /// Errors of the last rebuild; empty when it succeeded.
    pub errors: Vec<Shown>,
    /// Bumped by every rebuild, good or bad: a page served at another generation reloads.
    pub generation: u64,
    /// A rebuild panicked halfway: the session still serves, but the next change reopens the
    /// whole site rather than trusting its half-updated state.
    pub reopen: bool,
}

/// Where the server tells what happened (the binary prints it).
pub type NoticeFn = Arc<dyn Fn(&Notice) + Send + Sync>;

/// A running server: its address, and how to stop it.
pub struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    task: Option<tokio::task::JoinHandle<()>>,
    stop: tokio::sync::watch::Sender<bool>,
    watcher: Option<watch::Watcher>,
}

impl Server {
    /// Render the site, bind, start watching and serving; returns once requests are accepted.
    /// A site that fails to render is still served (an error page) until a change fixes it.
    pub fn start(opts: ServeOptions, notices: NoticeFn) -> Result<Server, Error> {
        let started = Instant::now();
        if !opts.root.join("site.yaml").is_file() {
            // Not a site at all: say so the way `build` does.
            return Err(
                crate::load::SiteFiles::read(&opts.root).expect_err("no site.yaml is an error")
            );
        }
        // Served here, the site's URLs are this server's: absolute links (the 404 page's,
        // canonical links, sitemap) start at its root, not at the production base_url.
        let mut opts = opts;
        opts.load.base_url.get_or_insert_with(|| "/".to_string());
        let live = match catch_panic(&["site.yaml".to_string()], || {
            Session::open(&opts.root, opts.load.clone())
        }) {
            Ok(s) => {
                let (links, errors) = link_errors(&s);
                notices(&Notice::Opened {
                    pages: s.site().pages.len(),
                    elapsed: started.elapsed(),
                    links,
                });
                Live {
                    session: Some(s),
                    errors,
                    generation: 0,
                    reopen: false,
                }
            }
            Err(error) => {
                let errors = page::shown(&error);
                notices(&Notice::Failed {
                    error,
                    sources: Vec::new(),
                });
                Live {
                    session: None,
                    errors,
                    generation: 0,
                    reopen: false,
                }
            }
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("explainer-serve")
            .enable_all()
            .build()
            .map_err(|source| Error::Io {
                doing: "start the server".into(),
                source,
            })?;
        let want = SocketAddr::new(opts.bind, opts.port);
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(want))
            .map_err(|source| Error::Io {
                doing: format!("listen on {want}"),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Io {
            doing: format!("listen on {want}"),
            source,
        })?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let (events, _) = broadcast::channel(16);
        let state = Arc::new(State {
            root: opts.root.clone(),
            opts: opts.load.clone(),
            live: RwLock::new(live),
            events,
            stop: stop_rx.clone(),
            notices: notices.clone(),
            refused: Default::default(),
        });
        let watcher = watch::Watcher::start(state.clone(), opts.debounce, notices)?;
        let app = http::router(state.clone(), opts.bind);
        let task = runtime.spawn(http::accept(listener, app, state, opts.header_timeout));
        Ok(Server {
            addr,
            runtime: Some(runtime),
            task: Some(task),
            stop: stop_tx,
            watcher: Some(watcher),
        })
    }

    /// The address the server listens on (with the port picked when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:1111/`
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Block until Ctrl-C, then stop.
    pub fn run_until_ctrl_c(mut self) {
        if let Some(rt) = &self.runtime {
            let _ = rt.block_on(tokio::signal::ctrl_c());
        }
        self.shutdown();
    }

    /// Stop watching and serving: open event streams end, the port is released.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.stop.send(true);
        if let Some(w) = self.watcher.take() {
            w.stop();
        }
        if let (Some(rt), Some(task)) = (self.runtime.take(), self.task.take()) {
            let _ = rt.block_on(async { tokio::time::timeout(Duration::from_secs(2), task).await });
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Run one rebuild step, turning a panic anywhere in the pipeline into an error at the first file
/// being rebuilt (`sources`, relative to the site root): the watcher survives it, reports it in
/// the terminal and the overlay, and keeps watching.
pub(crate) fn catch_panic<T>(
    sources: &[String],
    step: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            let at = sources.first().map_or("site.yaml", String::as_str);
            let also = match sources.len() {
                0 | 1 => String::new(),
                n => format!(" (and {} other changed files)", n - 1),
            };
            Err(Error::input(
                crate::error::Kind::Internal,
                crate::error::Location::file(at),
                format!("explainer crashed while rebuilding this file{also}: {what}"),
            )
            .with_help(
                "this is a bug in explainer, please report it with the file; the server keeps watching, and the next change rebuilds the whole site",
            ))
        }
    }
}

/// Whether binding to `ip` serves only this machine.
pub fn is_local(ip: IpAddr) -> bool {
    ip.is_loopback()
}

/// Open `url` in the desktop's browser.
pub fn open_browser(url: &str) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let status = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "{program} exited with {status}"
        )))
    }
}

/// `path` relative to `root` for terminal lines (`content/a.md`), or as given if outside it.
pub(crate) fn relative_to(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_at_the_file() {
        let sources = vec!["content/a.md".to_string(), "content/b.md".to_string()];
        let e = catch_panic::<()>(&sources, || panic!("index out of bounds")).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("content/a.md: internal error: explainer crashed while rebuilding this file (and 1 other changed files): index out of bounds"),
            "{shown}"
        );
        assert!(shown.contains("keeps watching"), "{shown}");
        let owned = catch_panic::<()>(&[], || panic!("{}", String::from("owned"))).unwrap_err();
        assert!(
            owned.to_string().starts_with("site.yaml: internal error"),
            "{owned}"
        );
        assert_eq!(catch_panic(&[], || Ok(3)).unwrap(), 3);
    }
}
