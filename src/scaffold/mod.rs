//! `explainer new DIR`: a small working bilingual site to start from. Its files live under
//! `src/scaffold/files/` as real files, embedded in the binary.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every file of the new site: (path in the site, contents).
pub const FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("files/site.yaml")),
    ("content/_index.md", include_str!("files/content/_index.md")),
    (
        "content/cycling.md",
        include_str!("files/content/cycling.md"),
    ),
    (
        "content/notes/_index.md",
        include_str!("files/content/notes/_index.md"),
    ),
    (
        "content/notes/method.md",
        include_str!("files/content/notes/method.md"),
    ),
    (
        "content/zh/notes/_index.md",
        include_str!("files/content/zh/notes/_index.md"),
    ),
    (
        "content/zh/notes/method.md",
        include_str!("files/content/zh/notes/method.md"),
    ),
    (
        "content/zh/_index.md",
        include_str!("files/content/zh/_index.md"),
    ),
    (
        "content/zh/cycling.md",
        include_str!("files/content/zh/cycling.md"),
    ),
    (
        "content/data/figures.yaml",
        include_str!("files/content/data/figures.yaml"),
    ),
    (
        "content/data/sources.yaml",
        include_str!("files/content/data/sources.yaml"),
    ),
    (
        "content/data/charts.yaml",
        include_str!("files/content/data/charts.yaml"),
    ),
    (
        "content/data/ui.yaml",
        include_str!("files/content/data/ui.yaml"),
    ),
    (
        "templates/base.html",
        include_str!("files/templates/base.html"),
    ),
    (
        "templates/index.html",
        include_str!("files/templates/index.html"),
    ),
    (
        "templates/page.html",
        include_str!("files/templates/page.html"),
    ),
    (
        "templates/section.html",
        include_str!("files/templates/section.html"),
    ),
    (
        "templates/partials/listing.html",
        include_str!("files/templates/partials/listing.html"),
    ),
    (
        "templates/404.html",
        include_str!("files/templates/404.html"),
    ),
    (
        "templates/partials/references.html",
        include_str!("files/templates/partials/references.html"),
    ),
    ("static/style.css", include_str!("files/static/style.css")),
    (
        "static/favicon.svg",
        include_str!("files/static/favicon.svg"),
    ),
];

#[derive(Debug, thiserror::Error)]
/// Why a new site could not be created.
pub enum NewError {
    #[error("{} is not empty; choose a new or empty folder", .0.display())]
    /// The folder has files in it.
    NotEmpty(PathBuf),
    #[error("{} exists and is not a folder", .0.display())]
    /// The path is a file.
    NotAFolder(PathBuf),
    #[error("cannot write {}: {source}", .path.display())]
    /// A file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// Write the starter site into `dir` (created if missing; it must be empty if it exists).
/// Returns the paths written, relative to `dir`.
pub fn new_site(dir: &Path) -> Result<Vec<&'static str>, NewError> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(NewError::NotAFolder(dir.to_path_buf()));
        }
        let mut entries = fs::read_dir(dir).map_err(|source| NewError::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        if entries.next().is_some() {
            return Err(NewError::NotEmpty(dir.to_path_buf()));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let write = || -> io::Result<()> {
            fs::create_dir_all(path.parent().expect("files are in the site folder"))?;
            fs::write(&path, text)
        };
        write().map_err(|source| NewError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(FILES.iter().map(|(rel, _)| *rel).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_folder_is_embedded() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scaffold/files");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<&str> = FILES.iter().map(|(p, _)| *p).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
