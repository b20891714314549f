//! Reading a site folder: `site.yaml`, `content/`, `content/data/`, `templates/`, `static/`,
//! walked in sorted order so every build sees the same input in the same order.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::content::display_path;
use crate::error::{Error, Kind, Location};

/// A text file: its path relative to its folder (`/`-separated), the path errors name, and its
/// contents.
#[derive(Debug, Clone)]
pub struct TextFile {
    pub rel: String,
    pub file: PathBuf,
    pub text: String,
}

/// Everything a build reads, before any parsing.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    /// The site folder.
    pub root: PathBuf,
    /// `site.yaml`; `None` only if it is missing (which reading reports).
    pub config: Option<TextFile>,
    /// `content/**/*.md`, paths relative to `content/`.
    pub pages: Vec<TextFile>,
    /// Other files under `content/` (images, PDFs beside the markdown), relative to `content/`.
    pub assets: Vec<String>,
    /// `content/data/*.yaml`, relative to `content/data/`.
    pub data: Vec<TextFile>,
    /// `templates/**/*.html` (and .xml, .txt), relative to `templates/`.
    pub templates: Vec<TextFile>,
    /// `static/**`, relative to `static/`.
    pub statics: Vec<String>,
}

impl SiteFiles {
    /// Read the site at `root`. Every unreadable or non-UTF-8 file is reported, not only the first.
    pub fn read(root: &Path) -> Result<SiteFiles, Error> {
        let mut errors = Vec::new();
        let mut files = SiteFiles {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let config_path = root.join("site.yaml");
        if !config_path.is_file() {
            return Err(Error::input(
                Kind::Config,
                Location::file(display_path(root, "site.yaml")),
                "no site.yaml here: this folder is not a site",
            )
            .with_help(
                "run `explainer new DIR` to start a site, or pass `--root` with a site folder",
            ));
        }
        match read_text(root, "site.yaml") {
            Ok(t) => files.config = Some(t),
            Err(e) => errors.push(e),
        }
        let mut pages = Vec::new();
        let mut data = Vec::new();
        for rel in walk(&root.join("content"), &mut errors) {
            if let Some(data_rel) = rel.strip_prefix("data/") {
                if data_rel.ends_with(".yaml") || data_rel.ends_with(".yml") {
                    data.push(rel);
                }
            } else if rel.ends_with(".md") {
                pages.push(rel);
            } else {
                files.assets.push(rel);
            }
        }
        let templates = walk(&root.join("templates"), &mut errors);
        // Reading is the slow part for large sites: read in parallel, keep the walk's order.
        let read_all =
            |folder: &str, rels: &[String], strip: &str| -> Vec<Result<TextFile, Error>> {
                rels.par_iter()
                    .map(|rel| {
                        let mut t = read_text(root, &format!("{folder}{rel}"))?;
                        t.rel = rel.strip_prefix(strip).unwrap_or(rel).to_string();
                        Ok(t)
                    })
                    .collect()
            };
        for (list, read) in [
            (&mut files.pages, read_all("content/", &pages, "")),
            (&mut files.data, read_all("content/", &data, "data/")),
            (&mut files.templates, read_all("templates/", &templates, "")),
        ] {
            for r in read {
                match r {
                    Ok(t) => list.push(t),
                    Err(e) => errors.push(e),
                }
            }
        }
        files.statics = walk(&root.join("static"), &mut errors);
        Error::collect(errors)?;
        Ok(files)
    }
}

/// Read `root/rel` as UTF-8; a bad byte is reported at its line and column.
pub fn read_text(root: &Path, rel: &str) -> Result<TextFile, Error> {
    let path = root.join(rel);
    let shown = display_path(root, rel);
    let bytes = fs::read(&path).map_err(|e| Error::read(&shown, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Valid prefix, so line/col of the first bad byte can be counted on it.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
        let loc = Location::of_offset(&shown, prefix, good, 1);
        Error::input(
            Kind::Encoding,
            loc,
            format!("not valid UTF-8 (byte 0x{:02X})", bytes[good]),
        )
        .with_help("save the file as UTF-8")
    })?;
    Ok(TextFile {
        rel: rel.to_string(),
        file: shown,
        text,
    })
}

/// Files under `dir`, relative and `/`-separated, sorted. Hidden files and folders (`.git`,
/// editor swap files) are skipped. A missing folder is empty.
fn walk(dir: &Path, errors: &mut Vec<Error>) -> Vec<String> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or("")));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).expect("walk stays under dir");
                match rel.to_str() {
                    Some(s) => out.push(s.replace('\\', "/")),
                    None => errors.push(Error::input(
                        Kind::Encoding,
                        Location::file(e.path()),
                        "file name is not valid UTF-8",
                    )),
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                errors.push(Error::read(&path, e.into()));
            }
        }
    }
    out
}

/// Names a build never reads: hidden files and editors' temporary files.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sorted_and_classifies() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::write(r.join("site.yaml"), "title: T\n").unwrap();
        for (p, t) in [
            ("content/b.md", "b"),
            ("content/a/_index.md", "a"),
            ("content/a/img.svg", "<svg/>"),
            ("content/data/figures.yaml", "[]"),
            ("content/.hidden.md", "x"),
            ("templates/page.html", "x"),
            ("static/css/s.css", "x"),
        ] {
            fs::create_dir_all(r.join(p).parent().unwrap()).unwrap();
            fs::write(r.join(p), t).unwrap();
        }
        let f = SiteFiles::read(r).unwrap();
        let pages: Vec<_> = f.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(pages, ["a/_index.md", "b.md"]);
        assert_eq!(f.assets, ["a/img.svg"]);
        assert_eq!(f.data[0].rel, "figures.yaml");
        assert_eq!(f.templates[0].rel, "page.html");
        assert_eq!(f.statics, ["css/s.css"]);
    }

    #[test]
    fn non_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("x.md"), b"ok\nab\xffc").unwrap();
        let e = read_text(dir.path(), "x.md").unwrap_err();
        let (kind, at) = e.location().unwrap();
        assert_eq!(*kind, Kind::Encoding);
        assert_eq!((at.line(), at.col()), (Some(2), Some(3)));
        assert!(e.to_string().contains("not valid UTF-8 (byte 0xFF)"));
    }

    #[test]
    fn missing_site_yaml_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let e = SiteFiles::read(dir.path()).unwrap_err();
        assert!(e.to_string().contains("explainer new"), "{e}");
    }
}
