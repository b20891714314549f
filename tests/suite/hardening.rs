//! Regression tests for hostile and unlucky use of the command line: closed pipes, concurrent
//! builds, symlinks and special files in the site. (The per-input cases live in
//! `tests/bad-inputs/`, run by `tests/bad_inputs.rs`.)

use std::process::{Command, Stdio};

use crate::common::TempSite;

fn explainer() -> Command {
    Command::new(env!("CARGO_BIN_EXE_explainer"))
}

/// `explainer check | head -1` panicked (exit 101) writing to the closed pipe.
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    let site = TempSite::copy("basic");
    let mut child = explainer()
        .args(["check", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the program writes anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Eight builds into one output at once: each succeeds whole or says another build is writing;
/// never "No such file", never a half-written output.
#[test]
fn concurrent_builds_succeed_or_say_another_build_is_writing() {
    let site = TempSite::copy("basic");
    let children: Vec<_> = (0..8)
        .map(|_| {
            explainer()
                .args(["build", "--quiet", "--root"])
                .arg(site.root())
                .arg("--output")
                .arg(site.out())
                .stderr(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ok = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => ok += 1,
            Some(1) => assert!(stderr.contains("another build is writing here"), "{stderr}"),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert!(ok >= 1);
    assert!(site.out().join("index.html").is_file());
    let mut beside: Vec<_> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["public", "site"]);
}

mod serving {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use explainer::serve::{Notice, ServeOptions, Server};

    use super::TempSite;

    fn start(site: &TempSite, header_timeout: Duration) -> (Server, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let server = Server::start(
            ServeOptions {
                root: site.root(),
                port: 0,
                header_timeout,
                ..ServeOptions::default()
            },
            Arc::new(move |n: &Notice| sink.lock().unwrap().push(n.to_string())),
        )
        .unwrap();
        (server, lines)
    }

    fn get(addr: SocketAddr, host: &str) -> (u16, String) {
        crate::web::raw_with_host(addr, "GET", "/", host)
    }

    /// Any `Host` was answered, so a page elsewhere could read the site (and the overlay's
    /// absolute paths) through DNS rebinding.
    #[test]
    fn other_hosts_are_refused_and_logged_once() {
        let site = TempSite::copy("basic");
        let (server, lines) = start(&site, Duration::from_secs(10));
        let addr = server.addr();
        assert_eq!(get(addr, &addr.to_string()).0, 200);
        assert_eq!(get(addr, &format!("localhost:{}", addr.port())).0, 200);
        for _ in 0..3 {
            let (status, text) = get(addr, "rebind.evil.example:1111");
            assert_eq!(status, 421, "{text}");
            assert!(!text.contains("<html"), "{text}");
        }
        let refused: Vec<_> = lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("refused"))
            .cloned()
            .collect();
        assert_eq!(refused.len(), 1, "{refused:#?}");
        assert!(
            refused[0].contains("`rebind.evil.example:1111`"),
            "{refused:?}"
        );
        server.stop();
    }

    /// Idle and half-sent connections stayed open for ever; now they are closed after the header
    /// timeout, and while they are open normal requests are answered.
    #[test]
    fn idle_and_half_sent_connections_are_closed() {
        let site = TempSite::copy("basic");
        let (server, _) = start(&site, Duration::from_millis(300));
        let addr = server.addr();
        let mut idle = TcpStream::connect(addr).unwrap();
        let mut half = TcpStream::connect(addr).unwrap();
        half.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .unwrap();
        // A normal request meanwhile is answered.
        assert_eq!(get(addr, &addr.to_string()).0, 200);
        let started = Instant::now();
        for s in [&mut idle, &mut half] {
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut buf = [0u8; 512];
            // Closed by the server (end of stream, or an error response then the end).
            loop {
                match s.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => panic!("still open after {:?}: {e}", started.elapsed()),
                }
            }
        }
        assert!(started.elapsed() < Duration::from_secs(4));
        server.stop();
    }
}

mod content {
    use explainer::LoadOptions;

    use super::TempSite;

    /// `slug: don't-panic` and a file `what's-new.md` failed the build: the link check decoded
    /// `&#39;` but not `&#x27;`.
    #[test]
    fn an_apostrophe_in_a_url_builds() {
        let site = TempSite::copy("basic");
        site.write(
            "content/docs/extra.md",
            "---\ntitle: Extra\nslug: don't-panic\n---\nSee [what's new](../what's-new.md) and [me](#top).\n\n# Top\n",
        );
        site.write(
            "content/what's-new.md",
            "# What's new\n\n[Extra](docs/extra.md) and [its top](docs/extra.md#top)\n",
        );
        site.write("content/zh/what's-new.md", "# 新\n");
        let report = site.build().unwrap_or_else(|e| panic!("{e}"));
        assert!(report.files > 0);
        assert!(site.out().join("docs/don't-panic/index.html").is_file());
    }

    /// `javascript:` URLs in markdown are reported by `check`, at their line.
    #[test]
    fn script_urls_in_markdown_are_warnings_at_their_line() {
        let site = TempSite::copy("basic");
        site.write(
            "content/docs/guide.md",
            "---\ntitle: Guide\n---\nok\n\n[click](javascript:alert(1)) and ![i](data:image/svg+xml,x)\n",
        );
        let checked = explainer::check::check_site(&site.root(), &LoadOptions::default()).unwrap();
        let prefix = format!("{}/", site.root().display());
        let warnings: Vec<String> = checked
            .report
            .warnings()
            .map(|d| d.to_string().replace(&prefix, ""))
            .filter(|d| d.contains("URL"))
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
        assert!(
            warnings[0].starts_with("content/docs/guide.md:6:9: link warning: `javascript:` URL"),
            "{warnings:#?}"
        );
        assert!(warnings[1].contains("`data:` URL"), "{warnings:#?}");
    }

    /// NUL bytes in markdown were copied into the HTML; CommonMark replaces them with U+FFFD.
    #[test]
    fn nul_in_markdown_becomes_the_replacement_character() {
        let site = TempSite::copy("basic");
        site.write("content/docs/extra.md", "---\ntitle: Extra\n---\na\0b\n");
        site.build().unwrap_or_else(|e| panic!("{e}"));
        let html = site.output("docs/extra/index.html");
        assert!(!html.contains('\0'));
        assert!(html.contains("a\u{FFFD}b"), "{html}");
    }
}
