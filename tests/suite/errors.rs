//! Bad input: every error names the file, line and column, says what to fix, and leaves the
//! previous output exactly as it was.

use crate::common::{TempSite, snapshot};

/// Build the fixture with one file replaced; return the build's errors.
fn errors_with(rel: &str, text: &str) -> Vec<String> {
    let site = TempSite::copy("basic");
    site.write(rel, text);
    site.errors()
}

fn one_error_with(rel: &str, text: &str) -> String {
    let site = TempSite::copy("basic");
    site.write(rel, text);
    site.one_error()
}

#[test]
fn typo_in_front_matter_key() {
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: Guide\nwieght: 2\n---\nBody\n",
    );
    assert!(
        e.starts_with("content/docs/guide.md:3:1: front matter error: unknown field `wieght`"),
        "{e}"
    );
    assert!(e.contains("help: did you mean `weight`?"), "{e}");
}

#[test]
fn yaml_syntax_errors_in_data_and_front_matter() {
    let e = one_error_with(
        "content/data/team.yaml",
        "members: [Ada,\n  Bob\nother: 1\n",
    );
    assert!(e.starts_with("content/data/team.yaml:3:"), "{e}");
    assert!(e.contains("YAML error"), "{e}");
    let e = one_error_with("content/docs/guide.md", "---\ntitle: A\n- b\n---\n");
    assert!(
        e.starts_with("content/docs/guide.md:3:1: front matter error: did not find expected key"),
        "{e}"
    );
}

#[test]
fn unknown_and_malformed_shortcodes() {
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: G\n---\nText\n\n  {{ noet(text=\"x\") }}\n",
    );
    assert_eq!(
        e,
        "content/docs/guide.md:6:3: shortcode error: unknown shortcode `noet`\n  help: did you mean `note`?"
    );
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: G\n---\n{% note(text=\"x\") %}\nno end\n",
    );
    assert!(e.starts_with("content/docs/guide.md:4:1: shortcode error: block shortcode `note` has no matching `{% end %}`"), "{e}");
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: G\n---\n{{ note(text=x) }}\n",
    );
    assert!(
        e.starts_with("content/docs/guide.md:4:14: shortcode error: `x` is not a value"),
        "{e}"
    );
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: G\n---\nA {{ fig(id=\"userz\") }}\n",
    );
    assert_eq!(
        e,
        "content/docs/guide.md:4:13: shortcode error: unknown figure `userz`\n  help: did you mean `users`?"
    );
}

#[test]
fn link_to_nowhere() {
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: G\n---\nSee\n[that](missing.md#x) and\n",
    );
    assert_eq!(
        e,
        "content/docs/guide.md:5:8: link error: link to nowhere: no page `docs/missing.md` for `missing.md#x`"
    );
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: G\n---\n![x](img/nope.png)\n",
    );
    assert!(
        e.starts_with(
            "content/docs/guide.md:4:6: link error: link to nowhere: no file `docs/img/nope.png`"
        ),
        "{e}"
    );
}

#[test]
fn template_errors_point_into_the_template() {
    let site = TempSite::copy("basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n  {{ page.title | nosuchfilter }}\n{% endblock %}\n");
    let errors = site.errors();
    assert!(
        errors[0].starts_with("templates/page.html:3:"),
        "{errors:#?}"
    );
    assert!(errors[0].contains("nosuchfilter"), "{errors:#?}");

    let site = TempSite::copy("basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n<a href=\"{{ url(path='nope.md') }}\">x</a>\n{% endblock %}\n");
    let errors = site.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("templates/page.html:3:")
                && e.contains("no page `nope.md` in language `en`")
                && e.contains("while rendering content/docs/guide.md")),
        "{errors:#?}"
    );
}

#[test]
fn url_arguments_missing_or_of_the_wrong_kind_are_errors() {
    // url() reads its arguments in one pass over those given: the errors of Tera's own
    // lookups must stay, and an argument it does not know stays ignored.
    for (call, says) in [
        ("url(lang='en')", "path"),
        ("url(path=3)", "expected `&str` but got `i64`"),
        (
            "url(path='_index.md', lang=true)",
            "expected `&str` but got `bool`",
        ),
    ] {
        let site = TempSite::copy("basic");
        site.write("templates/page.html", format!("{{% extends \"base.html\" %}}\n{{% block main %}}\n<a href=\"{{{{ {call} }}}}\">x</a>\n{{% endblock %}}\n"));
        let errors = site.errors();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("templates/page.html:3:") && e.contains(says)),
            "{call}: {errors:#?}"
        );
    }
    let site = TempSite::copy("basic");
    site.replace(
        "templates/page.html",
        "{{ page.content | safe }}",
        "{{ page.content | safe }}<a href=\"{{ url(path='_index.md', shade='x') }}\">x</a>",
    );
    let built = site.build();
    assert!(built.is_ok(), "{:?}", built.err());
    let page = site.output("docs/guide/index.html");
    assert!(
        page.contains("<a href=\"../../index.html\">x</a>"),
        "{page}"
    );
}

#[test]
fn a_language_the_site_does_not_declare_is_an_error() {
    // Before languages were a type of their own, `lang="fr"` fell back to the default
    // language's page without a word.
    let site = TempSite::copy("basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n<a href=\"{{ url(path='_index.md', lang='fr') }}\">x</a>\n{% endblock %}\n");
    let errors = site.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("templates/page.html:3:")
                && e.contains(
                    "`lang=\"fr\"` is not a language of this site (its languages are en, zh)"
                )),
        "{errors:#?}"
    );
    let long = "x".repeat(40);
    let site = TempSite::copy("basic");
    site.edit("site.yaml", |s| {
        s.replace("code: zh", &format!("code: {long}"))
    });
    let e = site.one_error();
    assert!(
        e.contains(&format!(
            "`{}…` is not a language code: it is longer than 35 characters",
            "x".repeat(40)
        )),
        "{e}"
    );
}

#[test]
fn missing_template_names_the_page() {
    let e = one_error_with(
        "content/docs/guide.md",
        "---\ntitle: G\ntemplate: fancy.html\n---\n",
    );
    assert!(
        e.starts_with(
            "content/docs/guide.md:3:1: template error: template `fancy.html` does not exist"
        ),
        "{e}"
    );
    assert!(e.contains("templates found: 404.html, base.html"), "{e}");
}

#[test]
fn non_utf8_file() {
    let site = TempSite::copy("basic");
    site.write(
        "content/docs/guide.md",
        b"---\ntitle: G\n---\nok\nbad \xe9 byte\n",
    );
    let errors = site.errors();
    assert_eq!(
        errors,
        vec![
            "content/docs/guide.md:5:5: encoding error: not valid UTF-8 (byte 0xE9)\n  help: save the file as UTF-8"
        ]
    );
}

#[test]
fn two_sources_for_one_output() {
    let site = TempSite::copy("basic");
    site.write("content/docs/other.md", "---\ntitle: O\nslug: guide\n---\n");
    let error = site.one_error();
    assert!(error.contains("writes `docs/guide/index.html`"), "{error}");
    assert!(
        error.contains("content/docs/guide.md") && error.contains("content/docs/other.md"),
        "{error}"
    );
}

#[test]
fn all_content_errors_are_reported_at_once() {
    let site = TempSite::copy("basic");
    site.write("content/a.md", "---\ntitel: A\n---\n");
    site.write("content/b.md", "{{ fig(id=\"nope\") }}\n");
    site.write("content/c.md", "[x](nowhere.md)\n");
    let errors = site.errors();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[0].starts_with("content/a.md:2:1:"));
    assert!(errors[1].starts_with("content/b.md:1:11:"));
    assert!(errors[2].starts_with("content/c.md:1:5:"));
}

#[test]
fn data_errors_are_located() {
    let errors = errors_with(
        "content/data/figures.yaml",
        "- id: users\n  value: 30000000\n  label: {en: monthly users}\n  quote: q\n  source: reprot\n",
    );
    assert!(
        errors.iter().any(|e| e.starts_with(
            "content/data/figures.yaml:3:10: data error: `label` has no text for language `zh`"
        )),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e
            .starts_with("content/data/figures.yaml:5:11: data error: unknown source `reprot`")
            && e.contains("did you mean `report`?")),
        "{errors:#?}"
    );
}

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let site = TempSite::copy("basic");
    site.build().unwrap();
    let before = snapshot(&site.out());
    site.write("content/docs/guide.md", "---\ntitle: G\nwieght: 1\n---\n");
    assert!(site.build().is_err());
    assert_eq!(snapshot(&site.out()), before);
    // Nothing left behind beside the output either.
    let names: Vec<String> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["public", "site"]);
}

#[test]
fn refuses_outputs_that_would_destroy_sources() {
    let site = TempSite::copy("basic");
    for out in [
        site.root(),
        site.dir.path().to_path_buf(),
        site.root().join("content/out"),
        site.root().join("static"),
    ] {
        let e = crate::common::build(&site.root(), &out)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("refusing to build into"), "{e}");
    }
    std::fs::create_dir_all(site.dir.path().join("mine")).unwrap();
    std::fs::write(site.dir.path().join("mine/thesis.txt"), "years of work").unwrap();
    let e = crate::common::build(&site.root(), &site.dir.path().join("mine"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("non-empty folder that explainer did not write"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(site.dir.path().join("mine/thesis.txt")).unwrap(),
        "years of work"
    );
}

#[test]
fn broken_anchor_fails_at_markdown_position_unless_allowed() {
    let site = TempSite::copy("basic");
    site.write(
        "content/docs/guide.md",
        "---\ntitle: G\n---\n## Step two\n\nSee [home](../_index.md#nowhere).\n",
    );
    let errors = site.errors();
    assert_eq!(
        errors,
        [
            "content/docs/guide.md:6:12: link error: broken anchor `#nowhere` in `../../index.html#nowhere`: `index.html` has no element with that id"
        ]
    );
    let report = explainer::build(&explainer::BuildOptions {
        root: site.root(),
        output: Some(site.out()),
        load: Default::default(),
        allow_broken_links: true,
    })
    .unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(site.out().join("docs/guide/index.html").exists());
}

#[test]
fn template_link_to_missing_file_names_the_page() {
    let site = TempSite::copy("basic");
    site.write("templates/404.html", "<a href=\"nowhere.html\">x</a>\n");
    let error = site.one_error();
    assert!(error.contains("broken link `nowhere.html`: nothing is built at `nowhere.html` (in 404.html, from a template)"), "{error}");
}
