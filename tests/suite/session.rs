//! The in-memory session behind `serve`: each kind of change redoes only what it touches, and a
//! failed rebuild keeps the last good output.

use crate::common::TempSite;
use explainer::session::{Scope, Served, Session};

fn html(s: &Session, path: &str) -> String {
    match s.get(path) {
        Some(Served::Bytes(b)) => String::from_utf8(b.to_vec()).unwrap(),
        other => panic!("{path}: {other:?}"),
    }
}

fn open(site: &TempSite) -> Session {
    Session::open(&site.root(), Default::default()).unwrap()
}

#[test]
fn body_edit_renders_one_page() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    site.replace(
        "content/docs/guide.md",
        "## Step one",
        "## Step one\n\nA new sentence.",
    );
    let r = s
        .rebuild(&[site.root().join("content/docs/guide.md")])
        .unwrap();
    assert_eq!(r.scope, Scope::Partial);
    assert_eq!(r.pages_rendered, 1);
    assert_eq!(r.changed, ["docs/guide/index.html"]);
    assert!(html(&s, "docs/guide/index.html").contains("A new sentence."));
}

#[test]
fn summary_change_rerenders_the_language_when_a_template_lists_summaries() {
    let site = TempSite::copy("basic");
    site.replace(
        "templates/section.html",
        "{{ p.title }}</a>",
        "{{ p.title }}</a> {{ p.summary | safe }}",
    );
    let mut s = open(&site);
    site.replace("content/docs/guide.md", "Intro paragraph", "Changed intro");
    let r = s
        .rebuild(&[site.root().join("content/docs/guide.md")])
        .unwrap();
    assert_eq!(r.scope, Scope::Partial);
    // All English pages (the listing's summary changed), none of the Chinese ones.
    assert_eq!(r.pages_rendered, 4);
    assert!(html(&s, "docs/index.html").contains("Changed intro"));
}

#[test]
fn front_matter_change_is_a_full_rebuild() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    site.replace(
        "content/docs/guide.md",
        "title: \"The <Guide>",
        "title: \"The <Manual>",
    );
    let r = s
        .rebuild(&[site.root().join("content/docs/guide.md")])
        .unwrap();
    assert_eq!(r.scope, Scope::Full);
    assert!(
        html(&s, "index.html").contains("The &lt;Manual&gt;"),
        "nav of other pages updated"
    );
}

#[test]
fn template_edit_renders_its_users_only() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    site.replace("templates/page.html", "words,", "words (edited),");
    let r = s
        .rebuild(&[site.root().join("templates/page.html")])
        .unwrap();
    assert_eq!(r.scope, Scope::Partial);
    assert_eq!(
        r.pages_rendered, 3,
        "guide, untitled and the Chinese guide use page.html"
    );
    assert!(r.changed.contains(&"zh/docs/guide/index.html".to_string()));
    assert!(!r.changed.contains(&"index.html".to_string()));
    assert!(html(&s, "docs/guide/index.html").contains("words (edited),"));
}

#[test]
fn shortcode_template_edit_rerenders_markdown_of_its_users() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    site.write(
        "templates/shortcodes/note.html",
        "<em class=\"note\">{{ text }}</em>",
    );
    let r = s
        .rebuild(&[site.root().join("templates/shortcodes/note.html")])
        .unwrap();
    assert_eq!(r.pages_rendered, 2, "home and guide call note()");
    assert!(html(&s, "index.html").contains("<em class=\"note\">"));
}

#[test]
fn data_edit_renders_pages_that_read_it() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    site.replace("content/data/figures.yaml", "30000000", "40000000");
    let r = s
        .rebuild(&[site.root().join("content/data/figures.yaml")])
        .unwrap();
    assert_eq!(r.scope, Scope::Partial);
    assert!(html(&s, "index.html").contains("40 million"));
    assert!(html(&s, "zh/index.html").contains("4000万"));
    // team.yaml is read by base.html: every page.
    site.write("content/data/team.yaml", "members: [Grace]\n");
    let r = s
        .rebuild(&[site.root().join("content/data/team.yaml")])
        .unwrap();
    assert_eq!(r.pages_rendered, 6);
    assert!(html(&s, "docs/index.html").contains("<footer>Grace</footer>"));
}

#[test]
fn static_edit_renders_nothing_and_new_page_appears() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    site.write("static/css/site.css", "body { color: red; }");
    let r = s
        .rebuild(&[site.root().join("static/css/site.css")])
        .unwrap();
    assert_eq!((r.scope, r.pages_rendered), (Scope::Nothing, 0));
    site.write("content/new.md", "# New page\n");
    let r = s.rebuild(&[site.root().join("content/new.md")]).unwrap();
    assert_eq!(r.scope, Scope::Full);
    assert!(html(&s, "new/index.html").contains("New page"));
    std::fs::remove_file(site.root().join("content/new.md")).unwrap();
    s.rebuild(&[site.root().join("content/new.md")]).unwrap();
    assert!(s.get("new/index.html").is_none());
}

#[test]
fn failure_keeps_last_good_output_and_recovers() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    let good = html(&s, "docs/guide/index.html");
    let original = site.read("content/docs/guide.md");
    site.write(
        "content/docs/guide.md",
        format!("{original}\n{{{{ nope() }}}}\n"),
    );
    let err = s
        .rebuild(&[site.root().join("content/docs/guide.md")])
        .unwrap_err();
    assert!(
        err.to_string().contains("unknown shortcode `nope`"),
        "{err}"
    );
    assert_eq!(html(&s, "docs/guide/index.html"), good);
    // Another file changes: the broken one is retried and still fails.
    site.write("static/css/site.css", "x");
    assert!(
        s.rebuild(&[site.root().join("static/css/site.css")])
            .is_err()
    );
    site.write(
        "content/docs/guide.md",
        original.replace("Intro", "Fixed intro"),
    );
    s.rebuild(&[site.root().join("content/docs/guide.md")])
        .unwrap();
    assert!(html(&s, "docs/guide/index.html").contains("Fixed intro"));
}

#[test]
fn title_from_heading_change_updates_translations_everywhere() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    site.write("content/docs/untitled.md", "# Renamed Title\n\nBody.\n");
    let r = s
        .rebuild(&[site.root().join("content/docs/untitled.md")])
        .unwrap();
    assert_eq!(r.scope, Scope::Partial);
    assert_eq!(
        r.pages_rendered, 6,
        "every page in every language lists or links it"
    );
    assert!(
        html(&s, "index.html").contains(">Renamed Title<"),
        "the nav of other pages shows the new title"
    );
}

/// An editor's page saved and deleted before the rebuild ran: a page neither known nor there.
/// It used to panic.
#[test]
fn a_page_gone_before_it_was_seen_changes_nothing() {
    let site = TempSite::copy("basic");
    let mut s = open(&site);
    let r = s.rebuild(&[site.root().join("content/ghost.md")]).unwrap();
    assert_eq!((r.scope, r.pages_rendered), (Scope::Nothing, 0));
    assert!(r.changed.is_empty());
}
