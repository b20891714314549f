//! A partial rebuild checks again only the files it renders again: its report must be what
//! checking every served file from scratch gives, edit after edit.

use super::*;
use std::collections::BTreeMap;

/// A copy of the `basic` fixture site, to edit.
struct Copy {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Copy {
    fn basic() -> Copy {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic");
        let root = dir.path().join("site");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = root.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        Copy { _dir: dir, root }
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }

    /// Replace `from`, which must be there, with `to` in `rel`.
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.root.join(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Rebuild after `rel` changed; whatever the outcome, the session's report must be the one
    /// a check of every served file from scratch makes.
    fn rebuild(&self, s: &mut Session, rel: &str) -> Result<Rebuild, Error> {
        let r = s.rebuild(&[self.root.join(rel)]);
        assert_checked_as_from_scratch(s);
        r
    }
}

fn assert_checked_as_from_scratch(s: &Session) {
    let scratch = s.check_from_scratch();
    assert_eq!(s.report().diagnostics, scratch.diagnostics);
    assert_eq!(s.report().external, scratch.external);
}

/// The report's diagnostics as shown, the temp folder left out.
fn shown(s: &Session) -> Vec<String> {
    let root = format!("{}/", s.root().display());
    s.report()
        .diagnostics
        .iter()
        .map(|d| d.to_string().replace(&root, ""))
        .collect()
}

fn mentions(s: &Session, text: &str) -> Vec<String> {
    shown(s).into_iter().filter(|d| d.contains(text)).collect()
}

#[test]
fn partial_rebuilds_report_what_a_full_check_reports() {
    let site = Copy::basic();
    let mut s = Session::open(&site.root, Default::default()).unwrap();
    assert_checked_as_from_scratch(&s);
    assert!(mentions(&s, "step-two").is_empty(), "{:#?}", shown(&s));

    // A body edit renames the heading the home page links to: only the guide is rendered, but
    // the home page's link now points at nothing.
    let guide = "content/docs/guide.md";
    site.replace(guide, "## Step two", "## Step too");
    let r = site.rebuild(&mut s, guide).unwrap();
    assert_eq!((r.scope, r.pages_rendered), (Scope::Partial, 1));
    let broken = mentions(&s, "#step-two");
    assert_eq!(broken.len(), 1, "{:#?}", shown(&s));
    assert!(broken[0].starts_with("content/_index.md:"), "{}", broken[0]);
    assert!(
        broken[0].contains("did you mean `#step-too`"),
        "{}",
        broken[0]
    );

    // Fixed again.
    site.replace(guide, "## Step too", "## Step two");
    site.rebuild(&mut s, guide).unwrap();
    assert!(mentions(&s, "step-two").is_empty(), "{:#?}", shown(&s));

    // A link of the guide's own, to an anchor the home page lacks.
    site.replace(guide, "(../_index.md)", "(../_index.md#nowhere)");
    site.rebuild(&mut s, guide).unwrap();
    let nowhere = mentions(&s, "#nowhere");
    assert_eq!(nowhere.len(), 1, "{:#?}", shown(&s));
    assert!(
        nowhere[0].starts_with("content/docs/guide.md:8:"),
        "{}",
        nowhere[0]
    );

    // Blank lines before it: the same HTML, but the link is on another line of the markdown.
    // The page is checked again although its bytes did not change.
    let before = s.get("docs/guide/index.html").cloned();
    site.replace(guide, "Intro paragraph", "\n\n\nIntro paragraph");
    let r = site.rebuild(&mut s, guide).unwrap();
    assert!(r.changed.is_empty(), "{:?}", r.changed);
    assert!(matches!(
        (before, s.get("docs/guide/index.html")),
        (Some(Served::Bytes(a)), Some(Served::Bytes(b))) if a == *b
    ));
    let nowhere = mentions(&s, "#nowhere");
    assert!(
        nowhere[0].starts_with("content/docs/guide.md:11:"),
        "{}",
        nowhere[0]
    );

    // A template writes a broken anchor on every page it makes: reported once, at the
    // template's line, with how many pages show it.
    site.replace(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.title }}</h1><a href=\"#gone\">x</a>",
    );
    let r = site.rebuild(&mut s, "templates/page.html").unwrap();
    assert_eq!(r.scope, Scope::Partial);
    let gone = mentions(&s, "#gone");
    assert_eq!(gone.len(), 1, "{:#?}", shown(&s));
    assert!(gone[0].starts_with("templates/page.html:3:"), "{}", gone[0]);
    assert!(gone[0].contains("other pages"), "{}", gone[0]);

    // A data edit; a failed rebuild (nothing changes); a title that every page shows (all
    // pages rendered again).
    site.replace("content/data/figures.yaml", "30000000", "40000000");
    site.rebuild(&mut s, "content/data/figures.yaml").unwrap();
    let good = site.root.join(guide);
    let original = std::fs::read_to_string(&good).unwrap();
    site.write(guide, &format!("{original}\n{{{{ nope() }}}}\n"));
    site.rebuild(&mut s, guide).unwrap_err();
    site.write(guide, &original);
    site.rebuild(&mut s, guide).unwrap();
    let untitled = "content/docs/untitled.md";
    site.write(
        untitled,
        "# Renamed\n\nSee [the guide](guide.md#step-one).\n",
    );
    let r = site.rebuild(&mut s, untitled).unwrap();
    assert_eq!((r.scope, r.pages_rendered), (Scope::Partial, 6));
    site.write(
        untitled,
        "# Renamed\n\nSee [the guide](guide.md#step-three).\n",
    );
    site.rebuild(&mut s, untitled).unwrap();
    assert_eq!(mentions(&s, "#step-three").len(), 1, "{:#?}", shown(&s));

    // A new page (a full rebuild), then a body edit of it.
    site.write(
        "content/new.md",
        "# New\n\n[Guide](docs/guide.md#step-one)\n",
    );
    let r = site.rebuild(&mut s, "content/new.md").unwrap();
    assert_eq!(r.scope, Scope::Full);
    site.write(
        "content/new.md",
        "# New\n\n[Guide](docs/guide.md#step-none)\n",
    );
    let r = site.rebuild(&mut s, "content/new.md").unwrap();
    assert_eq!(r.scope, Scope::Partial);
    assert_eq!(mentions(&s, "#step-none").len(), 1, "{:#?}", shown(&s));
}

/// Rendering fails after the edited pages and docs were put in place: they are put back.
#[test]
fn a_failed_body_edit_puts_the_old_page_back() {
    let site = Copy::basic();
    site.replace(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.title }}</h1>{% if page.word_count > 100 %}{{ page.no_such_field.x }}{% endif %}",
    );
    let mut s = Session::open(&site.root, Default::default()).unwrap();
    let guide = "content/docs/guide.md";
    let i = s
        .site
        .pages
        .iter()
        .position(|p| p.rel == "docs/guide.md")
        .unwrap();
    let (text, words) = (s.site.pages[i].text.clone(), s.docs[i].doc.words);
    let html = s.get("docs/guide/index.html").cloned();
    site.replace(guide, "Intro paragraph", &"many words ".repeat(100));
    site.rebuild(&mut s, guide).unwrap_err();
    assert_checked_as_from_scratch(&s);
    assert_eq!(s.site.pages[i].text, text);
    assert_eq!(s.docs[i].doc.words, words);
    assert!(matches!(
        (html, s.get("docs/guide/index.html")),
        (Some(Served::Bytes(a)), Some(Served::Bytes(b))) if a == *b
    ));
    // Fixed: it renders.
    site.replace(guide, &"many words ".repeat(100), "A few words");
    site.rebuild(&mut s, guide).unwrap();
    assert_ne!(s.site.pages[i].text, text);
}

/// Rendering fails after a data edit's pages had their markdown rendered again: their old
/// docs are put back.
#[test]
fn a_failed_data_edit_puts_the_old_docs_back() {
    let site = Copy::basic();
    site.replace(
        "templates/404.html",
        "<h1>Not found</h1>",
        "<h1>Not found</h1>{% for f in data.figures %}{% if f.value > 35000000 %}{{ no_such.x }}{% endif %}{% endfor %}",
    );
    let mut s = Session::open(&site.root, Default::default()).unwrap();
    let home = s
        .site
        .pages
        .iter()
        .position(|p| p.rel == "_index.md")
        .unwrap();
    assert!(s.docs[home].doc.html.contains("30 million"));
    let figures = "content/data/figures.yaml";
    site.replace(figures, "30000000", "40000000");
    site.rebuild(&mut s, figures).unwrap_err();
    assert!(s.docs[home].doc.html.contains("30 million"));
    assert!(
        matches!(s.get("index.html"), Some(Served::Bytes(b)) if b.windows(10).any(|w| w == b"30 million"))
    );
    site.replace(figures, "40000000", "31000000");
    site.rebuild(&mut s, figures).unwrap();
    assert!(s.docs[home].doc.html.contains("31 million"));
}

/// What every served path holds, as bytes (files by their path).
fn served_bytes(s: &Session) -> BTreeMap<String, Vec<u8>> {
    s.paths()
        .map(|p| {
            let bytes = match s.get(p) {
                Some(Served::Bytes(b)) => b.to_vec(),
                Some(Served::File(f)) => f.to_string_lossy().into_owned().into_bytes(),
                None => Vec::new(),
            };
            (p.to_string(), bytes)
        })
        .collect()
}

#[test]
fn a_template_that_starts_showing_a_field_gets_it_for_every_page() {
    // Without any template naming them, pages are rendered without word counts and tables
    // of contents; a template edit that shows them must not show the empty ones.
    let site = Copy::basic();
    let meta = "<p class=\"meta\">{{ page.word_count }} words, {{ page.reading_time }} min</p>";
    let toc = "{% for h in page.toc %}";
    site.replace("templates/page.html", meta, "");
    site.replace("templates/page.html", toc, "{% for h in [] %}");
    site.replace("templates/page.html", "class=\"toc\"", "class=\"contents\"");
    let mut s = Session::open(&site.root, Default::default()).unwrap();
    assert!(
        !s.site().shown().words && !s.site().shown().toc,
        "{:?}",
        s.site().shown()
    );
    site.replace("templates/page.html", "{% for h in [] %}", toc);
    site.replace("templates/page.html", "class=\"contents\"", "class=\"toc\"");
    site.replace(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>",
        &format!("<h1>{{{{ page.title }}}}</h1>{meta}"),
    );
    site.rebuild(&mut s, "templates/page.html").unwrap();
    assert!(s.site().shown().words && s.site().shown().toc);
    let fresh = Session::open(&site.root, Default::default()).unwrap();
    let (now, want) = (served_bytes(&s), served_bytes(&fresh));
    assert_eq!(
        now.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &want {
        assert!(now[path] == *bytes, "{path} differs from a fresh start");
    }
    let guide = String::from_utf8(now["docs/guide/index.html"].clone()).unwrap();
    assert!(!guide.contains(">0 words"), "{guide}");
}
