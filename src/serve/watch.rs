//! Watching the site's folders and rebuilding on change, on a thread of its own.
//!
//! `site.yaml` (through the root folder, so a save by rename is seen), `content/`, `templates/`
//! and `static/` are watched; the debouncer waits for a quiet moment, and every batch of events
//! (plus any batches already queued behind it) becomes one `Session::rebuild`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
    notify::RecommendedWatcher,
};

use super::{Notice, NoticeFn, PageEvent, State, page, relative_to};
use crate::error::Error;
use crate::load::is_ignored;
use crate::session::Session;

const FOLDERS: [&str; 3] = ["content", "templates", "static"];

type Inner = Debouncer<RecommendedWatcher, RecommendedCache>;

pub(crate) struct Watcher {
    debouncer: Arc<Mutex<Option<Inner>>>,
    thread: JoinHandle<()>,
}

fn watch_error(path: &Path, e: impl Into<notify_debouncer_full::notify::Error>) -> Error {
    let e: notify_debouncer_full::notify::Error = e.into();
    let source = match e.kind {
        notify_debouncer_full::notify::ErrorKind::Io(io) => io,
        _ => std::io::Error::other(e.to_string()),
    };
    Error::Io {
        doing: format!("watch {}", path.display()),
        source,
    }
}

impl Watcher {
    pub fn start(
        state: Arc<State>,
        debounce: Duration,
        notices: NoticeFn,
    ) -> Result<Watcher, Error> {
        let root = state
            .root
            .canonicalize()
            .map_err(|e| watch_error(&state.root, e))?;
        let (tx, rx) = mpsc::channel::<DebounceEventResult>();
        let tick = (debounce / 4).max(Duration::from_millis(1));
        let mut d = new_debouncer(debounce, Some(tick), tx).map_err(|e| watch_error(&root, e))?;
        let watch_err = |path: &Path| {
            let path = path.to_path_buf();
            move |e| watch_error(&path, e)
        };
        d.watch(&root, RecursiveMode::NonRecursive)
            .map_err(watch_err(&root))?;
        for f in FOLDERS {
            let dir = root.join(f);
            if dir.is_dir() {
                d.watch(&dir, RecursiveMode::Recursive)
                    .map_err(watch_err(&dir))?;
            }
        }
        let debouncer = Arc::new(Mutex::new(Some(d)));
        let shared = debouncer.clone();
        let thread = std::thread::Builder::new()
            .name("explainer-watch".into())
            .spawn(move || run(state, root, rx, shared, notices))
            .map_err(|source| Error::Io {
                doing: "start the file watcher".into(),
                source,
            })?;
        Ok(Watcher { debouncer, thread })
    }

    pub fn stop(self) {
        if let Some(d) = self.debouncer.lock().expect("watcher lock").take() {
            d.stop_nonblocking();
        }
        let _ = self.thread.join();
    }
}

fn run(
    state: Arc<State>,
    root: PathBuf,
    rx: mpsc::Receiver<DebounceEventResult>,
    debouncer: Arc<Mutex<Option<Inner>>>,
    notices: NoticeFn,
) {
    loop {
        let first = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(batch) => batch,
            Err(RecvTimeoutError::Timeout) if !*state.stop.borrow() => continue,
            Err(_) => return,
        };
        if *state.stop.borrow() {
            return;
        }
        let mut changes = Batch::default();
        changes.take(first, &root, &notices);
        while let Ok(more) = rx.try_recv() {
            changes.take(more, &root, &notices);
        }
        // A folder that appeared (`static/` created after start) is watched from now on.
        for f in FOLDERS {
            let dir = root.join(f);
            if changes.paths.iter().any(|p| p == &dir)
                && dir.is_dir()
                && let Some(d) = debouncer.lock().expect("watcher lock").as_mut()
                && let Err(e) = d.watch(&dir, RecursiveMode::Recursive)
            {
                notices(&Notice::Watch(format!("{}: {e}", dir.display())));
            }
        }
        if changes.paths.is_empty() {
            continue;
        }
        rebuild(&state, &root, changes, &notices);
    }
}

/// The relevant paths of one burst of events.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    /// A folder moved or vanished: which files it held is unknown, so everything is re-read.
    whole_site: bool,
}

impl Batch {
    fn take(&mut self, batch: DebounceEventResult, root: &Path, notices: &NoticeFn) {
        let events: Vec<DebouncedEvent> = match batch {
            Ok(ev) => ev,
            Err(errors) => {
                for e in errors {
                    notices(&Notice::Watch(e.to_string()));
                }
                return;
            }
        };
        for ev in events {
            if matches!(ev.kind, EventKind::Access(_)) {
                continue;
            }
            for p in &ev.paths {
                let Ok(rel) = p.strip_prefix(root) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                let relevant = rel == "site.yaml"
                    || FOLDERS
                        .iter()
                        .any(|f| rel == *f || rel.starts_with(&format!("{f}/")));
                if !relevant || rel.split('/').any(is_ignored) {
                    continue;
                }
                if p.is_dir()
                    || (!p.exists() && !rel.rsplit('/').next().unwrap_or("").contains('.'))
                {
                    self.whole_site = true;
                }
                self.paths.insert(p.clone());
            }
        }
    }
}

fn rebuild(state: &State, root: &Path, batch: Batch, notices: &NoticeFn) {
    let sources: Vec<String> = batch.paths.iter().map(|p| relative_to(root, p)).collect();
    let mut paths: Vec<PathBuf> = batch.paths.into_iter().collect();
    if batch.whole_site {
        // The session re-reads the whole folder when site.yaml is among the changes.
        paths.push(root.join("site.yaml"));
    }
    let started = Instant::now();
    let mut live = state.live.blocking_write();
    let reopen = live.reopen;
    let result = super::catch_panic(&sources, || match live.session.as_mut() {
        Some(session) if !reopen => session.rebuild(&paths),
        _ => Session::open(&state.root, state.opts.clone()).map(|s| {
            let pages = s.site().pages.len();
            live.session = Some(s);
            crate::session::Rebuild {
                scope: crate::session::Scope::Full,
                pages_rendered: pages,
                changed: Vec::new(),
                elapsed: started.elapsed(),
            }
        }),
    });
    let panicked = matches!(&result, Err(e) if e
        .diagnostics()
        .iter()
        .any(|d| d.kind == crate::error::Kind::Internal));
    // After a panic, reopen the whole site until a reopen succeeds.
    live.reopen = panicked || (reopen && result.is_err());
    live.generation += 1;
    let generation = live.generation;
    let (notice, pushed) = match result {
        Ok(rebuild) => {
            // Served, but with the broken links `build` would refuse, in the terminal and
            // the overlay.
            let (links, errors) = live
                .session
                .as_ref()
                .map(super::link_errors)
                .unwrap_or_default();
            live.errors = errors;
            (
                Notice::Rebuilt {
                    rebuild,
                    sources,
                    links,
                },
                PageEvent::reload(generation),
            )
        }
        Err(error) => {
            live.errors = page::shown(&error);
            let pushed = PageEvent::broken(generation, &live.errors);
            (Notice::Failed { error, sources }, pushed)
        }
    };
    drop(live);
    let _ = state.events.send(pushed);
    notices(&notice);
}
