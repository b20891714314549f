//! `serve` as a browser meets it: pages with the reload script, content types, HEAD, 404, live
//! rebuilds with events, the error overlay and recovery, and no way out of the site.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::TempSite;
use crate::web::{Events, get, head, raw, wait_until};
use explainer::serve::{Notice, ServeOptions, Server};

/// A server on a free port, collecting what it would print.
struct Running {
    server: Server,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.addr())
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

fn start(site: &TempSite) -> Running {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let server = Server::start(
        ServeOptions {
            root: site.root(),
            port: 0,
            debounce: Duration::from_millis(50),
            ..ServeOptions::default()
        },
        Arc::new(move |n: &Notice| sink.lock().unwrap().push(n.to_string())),
    )
    .unwrap();
    Running { server, lines }
}

const SCRIPT: &str = "new EventSource(\"/__explainer/events\")";

#[test]
fn pages_types_head_redirect_and_404() {
    let site = TempSite::copy("basic");
    site.write("static/data/t.csv", "a,b\n1,2\n");
    let s = start(&site);

    let home = get(&s.url("/"));
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home.body.contains("30 million"));
    let script_at = home.body.find(SCRIPT).expect("reload script injected");
    assert!(script_at < home.body.rfind("</body>").unwrap());
    assert!(!home.body.contains("explainer-errors"), "no overlay");

    let zh = get(&s.url("/zh/"));
    assert!(zh.body.contains("3000万") && zh.body.contains(SCRIPT));
    for (path, ty) in [
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/docs/img/diagram.svg", "image/svg+xml"),
        ("/data/t.csv", "text/csv; charset=utf-8"),
    ] {
        let g = get(&s.url(path));
        assert_eq!((g.status, g.content_type.as_str()), (200, ty), "{path}");
        assert!(!g.body.contains(SCRIPT), "{path}: no script outside HTML");
    }
    assert_eq!(
        get(&s.url("/css/site.css")).body,
        "body { color: black; }\n"
    );

    let h = head(&s.url("/docs/guide/"));
    assert_eq!(h.status, 200);
    assert_eq!(h.body, "");
    let full = get(&s.url("/docs/guide/"));
    assert_eq!(
        h.header("content-length").unwrap(),
        full.body.len().to_string()
    );

    let r = get(&s.url("/docs/guide?x=1"));
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), Some("/docs/guide/?x=1"));
    assert_eq!(get(&s.url("/docs/guide/index.html")).status, 200);

    let missing = get(&s.url("/no/such/page/"));
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<h1>Not found</h1>"),
        "the site's 404"
    );
    assert!(missing.body.contains(SCRIPT));
    assert_eq!(head(&s.url("/nope.css")).status, 404);

    let (status, _) = raw(s.server.addr(), "POST", "/");
    assert_eq!(status, 405);
}

#[test]
fn edit_rebuilds_and_tells_open_pages() {
    let site = TempSite::copy("basic");
    let s = start(&site);
    let events = Events::open(s.server.addr(), "/__explainer/events");
    events.wait_for("event: hello\ndata: {\"generation\":0}");

    site.replace(
        "content/docs/guide.md",
        "Intro paragraph",
        "Edited paragraph",
    );
    let page = wait_until("the edit to be served", || {
        let g = get(&s.url("/docs/guide/"));
        g.body.contains("Edited paragraph").then_some(g)
    });
    assert!(page.body.contains("const g=1,"), "served at generation 1");
    events.wait_for("event: reload\ndata: {\"generation\":1}");
    let lines = wait_until("the terminal line", || {
        let l = s.lines();
        (l.len() >= 2).then_some(l)
    });
    assert!(lines[0].starts_with("rendered 6 pages in "), "{lines:?}");
    assert!(
        lines[1].starts_with("rebuilt 1 page in ")
            && lines[1].ends_with(" (content/docs/guide.md)"),
        "{lines:?}"
    );
}

#[test]
fn saves_by_rename_and_double_writes_are_one_rebuild_each() {
    let site = TempSite::copy("basic");
    let s = start(&site);
    let guide = site.root().join("content/docs/guide.md");
    // Like editors that write a temporary file and rename it over the original.
    let tmp = site.root().join("content/docs/.guide.md.swp");
    let text = site.read("content/docs/guide.md");
    std::fs::write(&tmp, text.replace("Intro paragraph", "Renamed paragraph")).unwrap();
    std::fs::rename(&tmp, &guide).unwrap();
    wait_until("the renamed save", || {
        get(&s.url("/docs/guide/"))
            .body
            .contains("Renamed paragraph")
            .then_some(())
    });
    // Like editors that truncate, then write.
    std::fs::write(&guide, "").unwrap();
    std::fs::write(&guide, text.replace("Intro paragraph", "Twice paragraph")).unwrap();
    wait_until("the double write", || {
        get(&s.url("/docs/guide/"))
            .body
            .contains("Twice paragraph")
            .then_some(())
    });
    std::thread::sleep(Duration::from_millis(400));
    let lines = s.lines();
    let rebuilt: Vec<_> = lines.iter().filter(|l| l.starts_with("rebuilt")).collect();
    assert_eq!(rebuilt.len(), 2, "one rebuild per save: {lines:?}");
    assert!(
        rebuilt
            .iter()
            .all(|l| l.ends_with("(content/docs/guide.md)")),
        "{lines:?}"
    );
}

#[test]
fn broken_file_shows_overlay_over_last_good_page_then_recovers() {
    let site = TempSite::copy("basic");
    let s = start(&site);
    let events = Events::open(s.server.addr(), "/__explainer/events");
    events.wait_for("event: hello");
    let original = site.read("content/docs/guide.md");
    let lines = original.lines().count();
    site.write(
        "content/docs/guide.md",
        format!("{original}\n{{{{ nope(text=\"<b>x</b>\") }}}}\n"),
    );
    let page = wait_until("the overlay", || {
        let g = get(&s.url("/docs/guide/"));
        g.body.contains("explainer-errors").then_some(g)
    });
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Intro paragraph"), "last good content");
    let at = format!("content/docs/guide.md:{}:1", lines + 2);
    assert!(page.body.contains(&at), "{at} in {}", page.body);
    assert!(
        page.body
            .contains("shortcode error: unknown shortcode `nope`")
    );
    assert!(page.body.contains("did you mean `note`?"));
    // Every page carries it, including the 404 page.
    assert!(get(&s.url("/")).body.contains("explainer-errors"));
    assert!(get(&s.url("/gone/")).body.contains("explainer-errors"));
    let stream = events.wait_for("event: broken");
    assert!(stream.contains(&format!("{at}\",")), "{stream}");
    // The terminal line may come a moment after the overlay: wait for it rather than race.
    let expected = format!(
        "error: {}/{at}: shortcode error: unknown shortcode `nope`",
        site.root().display()
    );
    wait_until("the error in the terminal", || {
        s.lines().join("\n").contains(&expected).then_some(())
    });

    // The message is escaped: a shortcode name cannot inject markup.
    site.write(
        "content/docs/guide.md",
        format!("{original}\n{{{{ fig(id=\"<img src=x onerror=alert(1)>\") }}}}\n"),
    );
    let page = wait_until("the new error", || {
        let g = get(&s.url("/docs/guide/"));
        (g.body.contains("explainer-errors") && !g.body.contains("`nope`")).then_some(g)
    });
    assert!(
        page.body.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<img src=x"), "{}", page.body);

    site.write(
        "content/docs/guide.md",
        original.replace("Intro paragraph", "Fixed paragraph"),
    );
    let page = wait_until("recovery", || {
        let g = get(&s.url("/docs/guide/"));
        g.body.contains("Fixed paragraph").then_some(g)
    });
    assert!(!page.body.contains("explainer-errors"));
    events.wait_for("event: reload");
}

#[test]
fn broken_links_are_told_on_every_rebuild_and_the_404_links_locally() {
    let site = TempSite::copy("basic");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}base_url: https://example.org/sub/\n"),
    );
    let s = start(&site);
    // The 404 page links to this server's root, not to the production base_url.
    let missing = get(&s.url("/no/such/page/"));
    assert!(
        missing.body.contains("href=\"/index.html\""),
        "{}",
        missing.body
    );
    assert!(!missing.body.contains("example.org"), "{}", missing.body);
    assert!(get(&s.url("/index.html")).status == 200);

    // A broken anchor, which `build` refuses: in the terminal and the overlay, page served.
    let original = site.read("content/docs/guide.md");
    site.write(
        "content/docs/guide.md",
        format!("{original}\n[back](../_index.md#nowhere)\n"),
    );
    let page = wait_until("the overlay", || {
        let g = get(&s.url("/docs/guide/"));
        g.body.contains("explainer-errors").then_some(g)
    });
    assert!(
        page.body.contains("href=\"../../index.html#nowhere\""),
        "new page served"
    );
    assert!(
        page.body.contains("broken anchor `#nowhere`"),
        "{}",
        page.body
    );
    assert!(page.body.contains("The site is served as it is now"));
    let printed = wait_until("the terminal lines", || {
        let l = s.lines().join("\n");
        l.contains("broken anchor").then_some(l)
    });
    assert!(
        printed.contains(
            "/content/docs/guide.md:22:8: broken anchor `#nowhere` in `../../index.html#nowhere`"
        ) && printed
            .contains("error: 1 broken link (served anyway; `explainer build` refuses them)"),
        "{printed}"
    );
    site.write("content/docs/guide.md", original);
    wait_until("recovery", || {
        let g = get(&s.url("/docs/guide/"));
        (!g.body.contains("explainer-errors")).then_some(g)
    });
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = TempSite::copy("basic");
    let good = site.read("templates/page.html");
    site.write("templates/page.html", "{% block %}");
    let s = start(&site);
    let g = get(&s.url("/"));
    assert_eq!(g.status, 503);
    assert!(g.body.contains("explainer-errors") && g.body.contains("templates/page.html"));
    assert!(s.lines()[0].starts_with("error: "), "{:?}", s.lines());
    site.write("templates/page.html", good);
    wait_until("the fixed site", || {
        (get(&s.url("/")).status == 200).then_some(())
    });
}

#[test]
fn not_a_site_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Server::start(
        ServeOptions {
            root: dir.path().to_path_buf(),
            port: 0,
            ..ServeOptions::default()
        },
        Arc::new(|_: &Notice| {}),
    )
    .err()
    .expect("no site here");
    assert!(e.to_string().contains("no site.yaml here"), "{e}");
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_site_is_served() {
    let site = TempSite::copy("basic");
    let top = site.dir.path();
    std::fs::write(top.join("secret.txt"), "TOP SECRET").unwrap();
    std::fs::create_dir_all(top.join("outside")).unwrap();
    std::fs::write(top.join("outside/secret.txt"), "TOP SECRET").unwrap();
    let st = site.root().join("static");
    // A symlink that stays inside the site is fine.
    std::os::unix::fs::symlink(
        site.root().join("content/docs/img/diagram.svg"),
        st.join("inside.svg"),
    )
    .unwrap();
    let s = start(&site);
    let addr = s.server.addr();
    // Links out of the site, made while serving: the rebuild refuses them (as `build` does) and
    // the last good site, which never had them, stays up.
    std::os::unix::fs::symlink(top.join("secret.txt"), st.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(top.join("outside"), st.join("outdir")).unwrap();
    assert_eq!(raw(addr, "GET", "/inside.svg").0, 200);
    for target in [
        "/leak.txt",
        "/outdir/secret.txt",
        "/../secret.txt",
        "/../../secret.txt",
        "/static/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/css%2f..%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/secret.txt%00.html",
        "/%00",
        "http://evil/../secret.txt",
        "/./secret.txt",
    ] {
        let (status, text) = raw(addr, "GET", target);
        assert!(
            status == 400 || status == 404,
            "{target}: status {status}\n{text}"
        );
        assert!(!text.contains("TOP SECRET"), "{target} leaked");
    }
}

/// The binary as a user runs it: prints the URL, serves, stops cleanly on Ctrl-C.
#[cfg(unix)]
#[test]
fn cli_prints_the_url_and_stops_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let site = TempSite::copy("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(first.starts_with("rendered 6 pages in "), "{first}");
    let serving = rx.recv_timeout(Duration::from_secs(20)).unwrap();
    let url = serving
        .strip_prefix("serving ")
        .and_then(|r| r.strip_suffix(" (Ctrl-C to stop)"))
        .unwrap_or_else(|| panic!("{serving}"));
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    // An open event stream must not keep the server from stopping.
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let events = Events::open(addr, "/__explainer/events");
    events.wait_for("event: hello");
    assert!(get(url).body.contains(SCRIPT));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = wait_until("the server to exit", || child.try_wait().unwrap());
    assert!(exit.success(), "{exit}");
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), "stopped");
}
