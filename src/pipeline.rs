//! The one pipeline `build`, `check` and `serve` share: a loaded [`Site`] taken to everything
//! rendered from it (charts drawn, markdown, the shared listings, every output file) and checked
//! (links, anchors, ids, what nothing uses). The three commands differ only in what they do with
//! the result: `build` writes the files, `check` prints the report, `serve` keeps them in memory.

use crate::check::{self, Report};
use crate::error::Error;
use crate::output::{OutFile, check_conflicts};
use crate::render::{self, Drawings, PageDoc, Shared};
use crate::site::Site;

/// A site rendered in memory and checked.
pub struct Rendered {
    /// Each chart drawn once per language.
    pub drawings: Drawings,
    /// Every page's rendered markdown, in the order of `site.pages`.
    pub docs: Vec<PageDoc>,
    /// The listings every template of a language sees.
    pub shared: Shared,
    /// Every output file, pages first.
    pub files: Vec<OutFile>,
    /// What the check of the rendered files found (errors and warnings), and the external
    /// links. Its errors stop a build unless broken links are allowed.
    pub report: Report,
}

/// Render and check `site`. Errors that leave nothing to check (bad front matter, unknown
/// shortcodes, template errors, two sources writing one file) come back as `Err`, every one of
/// them; what the check finds in a rendered site is in [`Rendered::report`].
pub fn render(site: &Site) -> Result<Rendered, Error> {
    let drawings = render::draw_charts(&site.charts, &site.langs());
    let docs = render::render_all_markdown(site, &drawings)?;
    let shared = Shared::new(site, &docs);
    let all: Vec<usize> = (0..site.pages.len()).collect();
    let pages = render::render_pages(site, &shared, &docs, &all);
    let extras = render::extra_files(site, &shared, &drawings);
    let files = match (pages, extras) {
        (Ok(mut pages), Ok(extras)) => {
            pages.extend(extras);
            pages
        }
        (pages, extras) => {
            return Err(Error::collect(
                [pages.err(), extras.err()].into_iter().flatten().collect(),
            )
            .expect_err("one of them failed"));
        }
    };
    check_conflicts(&files)?;
    let report = check::check(site, &docs, &files, &site.templates.texts);
    Ok(Rendered {
        drawings,
        docs,
        shared,
        files,
        report,
    })
}
