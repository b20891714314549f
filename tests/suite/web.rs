//! HTTP helpers for the tests of `serve` and `check --external`: a ureq agent that reports
//! every status, raw requests (so no client tidies `..` away), an event-stream reader, and
//! waiting with a deadline. Everything stays on 127.0.0.1.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Got {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Got {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn got(mut r: ureq::http::Response<ureq::Body>) -> Got {
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    Got {
        status: r.status().as_u16(),
        content_type,
        headers,
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

pub fn get(url: &str) -> Got {
    got(agent()
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}")))
}

pub fn head(url: &str) -> Got {
    got(agent()
        .head(url)
        .call()
        .unwrap_or_else(|e| panic!("HEAD {url}: {e}")))
}

/// A request sent byte for byte as given: (status, whole response text).
pub fn raw(addr: SocketAddr, method: &str, target: &str) -> (u16, String) {
    raw_with_host(addr, method, target, &addr.to_string())
}

/// [`raw`] with the `Host` header given (the server answers only local names).
pub fn raw_with_host(addr: SocketAddr, method: &str, target: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// An open event stream, read on a thread into a buffer.
pub struct Events {
    text: Arc<Mutex<String>>,
}

impl Events {
    pub fn open(addr: SocketAddr, path: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let text = Arc::new(Mutex::new(String::new()));
        let sink = text.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink
                        .lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n])),
                }
            }
        });
        Events { text }
    }

    pub fn text(&self) -> String {
        self.text.lock().unwrap().clone()
    }

    /// Wait until the stream has carried `needle`; returns everything read so far.
    pub fn wait_for(&self, needle: &str) -> String {
        wait_until(&format!("event stream to carry {needle:?}"), || {
            let t = self.text();
            t.contains(needle).then_some(t)
        })
    }
}

/// Poll `f` every 20 ms until it gives a value; panic after 15 s.
pub fn wait_until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(v) = f() {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
