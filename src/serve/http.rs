//! Answering requests: rendered pages from memory, static files from disk, folder indexes, the
//! site's 404 page, and the event stream open pages listen on.

use std::convert::Infallible;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream};

use super::page::{self, EVENTS};
use super::paths;
use super::{PageEvent, State};
use crate::session::Served;

/// Connections served at once (event streams of open pages included). Beyond it new connections
/// are closed at once rather than queued behind the others.
pub(crate) const MAX_CONNECTIONS: usize = 4096;

pub(crate) fn router(state: Arc<State>, bind: IpAddr) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .fallback(serve)
        .layer(middleware::from_fn_with_state(
            (state.clone(), bind),
            check_host,
        ))
        .with_state(state)
}

/// Accept connections until the server stops, each served by hyper's HTTP/1 with the header
/// timeout (`ServeOptions::header_timeout`), at most [`MAX_CONNECTIONS`] at once.
pub(crate) async fn accept(
    listener: tokio::net::TcpListener,
    app: Router,
    state: Arc<State>,
    header_timeout: Duration,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut stop = state.stop.clone();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.wait_for(|s| *s) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: let timeouts free some.
                state.refuse_once(format!("connections: cannot accept ({e})"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            state.refuse_once(format!(
                "connections beyond {MAX_CONNECTIONS} open at once (closed at once)"
            ));
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut stop = state.stop.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = async { drop(stop.wait_for(|s| *s).await) } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(1), conn).await;
                }
            }
        });
    }
}

/// Answer only requests addressed to this machine by a name a web page cannot rebind:
/// `localhost` (and `*.localhost`) or an IP address (the `--bind` address among them). Any other
/// `Host` is a page on another site reaching the server through DNS rebinding, which must not
/// read the site or its error messages.
async fn check_host(
    AxState((state, bind)): AxState<(Arc<State>, IpAddr)>,
    request: Request,
    next: Next,
) -> Response {
    match allowed_host(request.headers(), bind) {
        Ok(()) => next.run(request).await,
        Err(host) => {
            state.refuse_once(format!(
                "requests for host `{host}`: explainer serve answers only to localhost and IP addresses"
            ));
            plain(
                StatusCode::MISDIRECTED_REQUEST,
                "explainer serve answers only to localhost and IP addresses\n",
            )
        }
    }
}

/// `Ok` for an acceptable `Host` header, else the host refused (shortened for the log).
pub(crate) fn allowed_host(headers: &HeaderMap, bind: IpAddr) -> Result<(), String> {
    let Some(value) = headers.get(header::HOST) else {
        return Err("(none)".into());
    };
    let Ok(host) = value.to_str() else {
        return Err("(not text)".into());
    };
    // Strip the port: `[::1]:1111`, `127.0.0.1:1111`, `localhost:1111`.
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(ip, _)| ip)
    } else {
        host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                host
            }
        })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let ok = name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip == bind || !bind.is_loopback());
    if ok {
        Ok(())
    } else {
        Err(host.chars().take(80).collect())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn host(h: &str, bind: IpAddr) -> Result<(), String> {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(h).unwrap());
        allowed_host(&headers, bind)
    }

    #[test]
    fn only_local_names_and_addresses_are_answered() {
        let local = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "app.localhost:8",
            "[::1]:1111",
            "127.0.0.1",
            "localhost.",
        ] {
            assert_eq!(host(ok, local), Ok(()), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example",
            "10.0.0.5:1111",
            "127.0.0.1.nip.io",
        ] {
            assert!(host(bad, local).is_err(), "{bad}");
        }
        assert!(allowed_host(&HeaderMap::new(), local).is_err());
        // With `--bind`, that address is answered too; bound to all interfaces, any address.
        let lan = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5));
        assert_eq!(host("10.0.0.5:1111", lan), Ok(()));
        let any = IpAddr::V6(Ipv6Addr::UNSPECIFIED);
        assert_eq!(host("192.168.1.9:1111", any), Ok(()));
        assert!(host("evil.example", any).is_err());
    }
}
