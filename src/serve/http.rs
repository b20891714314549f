//! Answering requests: rendered pages from memory, static files from disk, folder indexes, the
//! site's 404 page, and the event stream open pages listen on.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State as AxState;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream};

use super::page::{self, EVENTS};
use super::paths;
use super::{PageEvent, State};
use crate::session::Served;

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .fallback(serve)
        .with_state(state)
}

/// What a lookup found, taken out of the lock.
enum Found {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

async fn serve(AxState(state): AxState<Arc<State>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let head = method == Method::HEAD;
    let wanted = match paths::parse(uri.path()) {
        Ok(w) => w,
        Err(why) => {
            return plain(
                StatusCode::BAD_REQUEST,
                &format!("bad request path ({why:?})\n"),
            );
        }
    };
    let live = state.live.read().await;
    let generation = live.generation;
    let overlay = (!live.errors.is_empty()).then(|| page::overlay(&live.errors));
    let Some(session) = &live.session else {
        let body = page::broken_page(&live.errors, generation);
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            body.into_bytes(),
            head,
        );
    };
    let file = wanted.file();
    let found = match session.get(&file) {
        Some(s) => Some((file, found(s))),
        None => {
            if let Some(index) = wanted.index_of_folder()
                && session.get(&index).is_some()
            {
                drop(live);
                return redirect(&uri);
            }
            None
        }
    };
    let not_found = match session.get("404.html") {
        Some(Served::Bytes(b)) => b.clone(),
        _ => Arc::from(page::plain_404(&wanted.key).into_bytes()),
    };
    drop(live);

    let extra = || {
        let mut extra = overlay.clone().unwrap_or_default();
        extra.push_str(&page::script(generation));
        extra
    };
    let (status, path, bytes) = match found {
        Some((path, Found::Bytes(b))) => (StatusCode::OK, path, b.to_vec()),
        Some((path, Found::File(f))) => match read_inside(&state, &f).await {
            Some(bytes) => (StatusCode::OK, path, bytes),
            None => (StatusCode::NOT_FOUND, "404.html".into(), not_found.to_vec()),
        },
        None => (StatusCode::NOT_FOUND, "404.html".into(), not_found.to_vec()),
    };
    let bytes = if paths::is_html(&path) {
        page::inject(&bytes, &extra())
    } else {
        bytes
    };
    respond(status, &path, bytes, head)
}

fn found(s: &Served) -> Found {
    match s {
        Served::Bytes(b) => Found::Bytes(b.clone()),
        Served::File(p) => Found::File(p.clone()),
    }
}

/// A static file or asset, read only if it really lies under `static/` or `content/` (a
/// symlink pointing elsewhere is treated as missing).
async fn read_inside(state: &State, file: &std::path::Path) -> Option<Vec<u8>> {
    let allowed: Vec<PathBuf> = ["static", "content"]
        .iter()
        .filter_map(|d| state.root.join(d).canonicalize().ok())
        .collect();
    let real = paths::inside(file, &allowed)?;
    tokio::fs::read(real).await.ok()
}

/// `/a` → `/a/`, so the page's relative links resolve.
fn redirect(uri: &Uri) -> Response {
    let mut to = format!("{}/", uri.path());
    if let Some(q) = uri.query() {
        to.push('?');
        to.push_str(q);
    }
    let mut r = plain(StatusCode::PERMANENT_REDIRECT, &format!("see {to}\n"));
    if let Ok(v) = HeaderValue::from_str(&to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn respond(status: StatusCode, path: &str, bytes: Vec<u8>, head: bool) -> Response {
    let len = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(paths::content_type(path)),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn plain(status: StatusCode, text: &str) -> Response {
    let mut r = respond(status, "x.txt", text.as_bytes().to_vec(), false);
    *r.status_mut() = status;
    r
}

/// The event stream: `hello` with the current generation at once, then one event per rebuild;
/// it ends when the server stops.
async fn events(
    AxState(state): AxState<Arc<State>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.events.subscribe();
    let generation = state.live.read().await.generation;
    let stop = state.stop.clone();
    let first = Some(PageEvent::hello(generation));
    let s = stream::unfold((rx, stop, first), |(mut rx, mut stop, first)| async move {
        if let Some(p) = first {
            return Some((to_event(&p), (rx, stop, None)));
        }
        loop {
            let got = tokio::select! {
                got = rx.recv() => got,
                _ = stop.wait_for(|s| *s) => return None,
            };
            match got {
                Ok(p) => return Some((to_event(&p), (rx, stop, None))),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return None,
            }
        }
    });
    Sse::new(s).keep_alive(KeepAlive::default())
}

fn to_event(p: &PageEvent) -> Result<Event, Infallible> {
    Ok(Event::default().event(p.name).data(p.data.clone()))
}
