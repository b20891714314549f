//! The author's first hour, played as a new user would with the README alone: `explainer new`,
//! a section, one page translated, a link across languages, a CSV file a template reads, an
//! image both languages share, a template broken three ways (each message names the problem,
//! suggests the fix and points at the cause), then `build` and `check` clean.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// Run `explainer ARGS` in `dir`: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("explainer")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(site: &Path, rel: &str, text: &str) {
    let p = site.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn read(site: &Path, rel: &str) -> String {
    fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Replace `from` (which must be there) in a file.
fn edit(site: &Path, rel: &str, from: &str, to: &str) {
    let text = read(site, rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    write(site, rel, &text.replacen(from, to, 1));
}

/// A build that must fail: its stderr.
fn build_fails(site: &Path) -> String {
    let (code, out, err) = run(site, &["build"]);
    assert_eq!(code, 1, "{out}{err}");
    err
}

#[test]
fn the_first_hour() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(dir.path(), &["new", "site"]);
    assert_eq!(code, 0, "{out}");
    let site = dir.path().join("site");

    // A section of its own: a folder with an _index.md and two pages.
    write(
        &site,
        "content/guide/_index.md",
        "---\ntitle: Guide\ndescription: How to read the numbers.\nweight: 3\n---\nThe guide.\n\n{{ riders() }}\n",
    );
    write(
        &site,
        "content/guide/mixing.md",
        "---\ntitle: Mixing modes\ndescription: Bus and bike.\n---\nMost people mix.\n\n## Bus then bike {#bus-bike}\n\n![A meter](../img/meter.svg)\n",
    );
    write(
        &site,
        "content/guide/walking.md",
        "---\ntitle: Walking\n---\nSome walk.\n",
    );

    // One page translated; the Chinese side has no home page and no guide section page.
    fs::remove_file(site.join("content/zh/_index.md")).unwrap();
    edit(
        &site,
        "content/zh/cycling.md",
        "返回[首页](_index.md)。",
        "返回[首页](@en/_index.md)。",
    );
    write(
        &site,
        "content/zh/guide/mixing.md",
        "---\ntitle: 混合出行\n---\n多数人混合出行，见[步行](@en/guide/walking.md)和[先公交后骑车](@en/guide/mixing.md#bus-bike)。\n\n![仪表](../../img/meter.svg)\n",
    );

    // An image both languages use, from one file in content/img/.
    write(
        &site,
        "content/img/meter.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>\n",
    );

    // A CSV data file, shown by a shortcode template.
    write(
        &site,
        "content/data/riders.csv",
        "year,riders\n2015,1200\n2020,1750\n",
    );
    write(
        &site,
        "templates/shortcodes/riders.html",
        "<table><tr><th>Year</th><th>Riders</th></tr>{% for r in data.riders %}<tr><td>{{ r.year }}</td><td>{{ r.riders * 2 }}</td></tr>{% endfor %}</table>\n",
    );

    let (code, out, err) = run(&site, &["build"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("built 11 pages, 5 data files,"), "{out}");
    let public = site.join("public");
    // CSV numbers are numbers: the template doubles them.
    let guide = read(&public, "guide/index.html");
    assert!(
        guide.contains("<td>2015</td><td>2400</td>") && guide.contains("<td>3500</td>"),
        "{guide}"
    );
    // The Chinese page links across languages and shares the image.
    let zh = read(&public, "zh/guide/mixing/index.html");
    for needed in [
        "href=\"../../../guide/walking/index.html\"",
        "href=\"../../../guide/mixing/index.html#bus-bike\"",
        "src=\"../../../img/meter.svg\"",
    ] {
        assert!(zh.contains(needed), "{needed}\n{zh}");
    }
    assert!(public.join("img/meter.svg").is_file());
    // Untranslated pages are listed in English, marked as English; the switcher says so.
    assert!(
        zh.contains("<a href=\"../../../guide/index.html\" hreflang=\"en\" lang=\"en\" aria-current=\"true\">Guide</a>"),
        "{zh}"
    );
    let zh_cycling = read(&public, "zh/cycling/index.html");
    assert!(
        zh_cycling.contains("class=\"brand\" href=\"../../index.html\""),
        "the Chinese home falls back to the English one\n{zh_cycling}"
    );
    let walking = read(&public, "guide/walking/index.html");
    assert!(
        walking.contains("<small>(this page is not translated)</small>"),
        "{walking}"
    );

    // `check`: clean, with the untranslated pages listed as information.
    let (code, out, err) = run(&site, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("info: content/guide/walking.md: translation info: not translated into `zh` (content/zh/guide/walking.md)"),
        "{out}"
    );
    assert!(
        out.ends_with("checked 11 pages: 0 errors, 0 warnings\n"),
        "{out}"
    );

    // A link to a page with no Chinese version says how to link the English one.
    edit(
        &site,
        "content/zh/guide/mixing.md",
        "@en/guide/walking.md",
        "walking.md",
    );
    let err = build_fails(&site);
    assert!(
        err.contains("content/zh/guide/mixing.md:4:")
            && err.contains("`walking.md` has no `zh` version")
            && err.contains("@en/guide/walking.md"),
        "{err}"
    );
    edit(
        &site,
        "content/zh/guide/mixing.md",
        "walking.md",
        "@en/guide/walking.md",
    );
    // A link across languages is checked like any other: a missing anchor is an error.
    edit(&site, "content/zh/guide/mixing.md", "#bus-bike", "#bus-car");
    let err = build_fails(&site);
    assert!(err.contains("broken anchor `#bus-car`"), "{err}");
    edit(&site, "content/zh/guide/mixing.md", "#bus-car", "#bus-bike");

    // Three ways to break a template, each reported at its cause with the fix.
    let page = read(&site, "templates/page.html");
    edit(
        &site,
        "templates/page.html",
        "{%- if page.description %}",
        "{%- if page.description %",
    );
    let err = build_fails(&site);
    assert!(
        err.contains("error: templates/page.html:8:1: template error: `{%` is never closed: `{%- if page.description %` needs `%}` before the `{{` at 9:17"),
        "{err}"
    );
    write(&site, "templates/page.html", &page);
    edit(
        &site,
        "templates/page.html",
        "{%- endif %}\n{%- if page.toc",
        "{%- endfi %}\n{%- if page.toc",
    );
    let err = build_fails(&site);
    assert!(
        err.contains("error: templates/page.html:10:5: template error: unknown tag `endfi`\n  help: did you mean `endif`?"),
        "{err}"
    );
    write(&site, "templates/page.html", &page);
    edit(
        &site,
        "templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.title | upper_case }}</h1>",
    );
    let err = build_fails(&site);
    assert!(
        err.contains("error: templates/page.html:7:21: template error: unknown filter `upper_case`\n  help: did you mean `upper`?"),
        "{err}"
    );
    write(&site, "templates/page.html", &page);

    // Two data files with one name: an error naming both.
    write(&site, "content/data/riders.json", "[]");
    let err = build_fails(&site);
    assert!(
        err.contains(
            "`content/data/riders.csv` and `content/data/riders.json` are both `data.riders`"
        ),
        "{err}"
    );
    fs::remove_file(site.join("content/data/riders.json")).unwrap();

    let (code, out, err) = run(&site, &["build"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&site, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// A site of 1,000 pages made from the scaffold grows linearly: the header lists sections, not
/// pages, so the pages' own size does not grow with their number.
#[test]
fn a_thousand_pages_stay_linear() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["new", "site"]);
    let site = dir.path().join("site");
    let sizes = |n: usize| -> u64 {
        for i in 0..n {
            write(
                &site,
                &format!("content/notes/n{i:04}.md"),
                &format!("---\ntitle: Note {i}\n---\nA note.\n"),
            );
        }
        let (code, out, err) = run(&site, &["build", "--quiet"]);
        assert_eq!(code, 0, "{out}{err}");
        fs::read_to_string(site.join("public/notes/n0000/index.html"))
            .unwrap()
            .len() as u64
    };
    let small = sizes(10);
    let large = sizes(1000);
    // One page is the same size whether the site has 10 or 1,000 pages.
    assert_eq!(small, large);
}
