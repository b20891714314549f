//! Writing the site: into a staging folder beside the output, swapped into place only when every
//! file was written, so a failed build leaves the previous output exactly as it was.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Kind, Location};

/// Dropped into every output folder, so a later build knows it may replace the folder.
pub const MARKER: &str = ".explainer-output";

#[derive(Debug, Clone)]
/// What an output file holds.
pub enum Body {
    /// Text rendered in memory.
    Text(String),
    /// A file copied as is from the site folder.
    Copy(PathBuf),
}

#[derive(Debug, Clone)]
/// One file of the output.
pub struct OutFile {
    /// Path under the output folder, `/`-separated.
    pub path: String,
    /// Its content.
    pub body: Body,
    /// What produced it, for "two sources write the same file" errors.
    pub from: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Two sources writing one path is an error naming both.
pub fn check_conflicts(files: &[OutFile]) -> Result<(), Error> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut errors = Vec::new();
    for f in files {
        if let Some(first) = seen.insert(f.path.as_str(), f.from.as_str()) {
            errors.push(
                Error::input(
                    Kind::Conflict,
                    Location::file(&f.from),
                    format!("writes `{}`, which {first} also writes", f.path),
                )
                .with_help("give one of them another `slug`, or rename one of the files"),
            );
        }
    }
    Error::collect(errors)
}

/// Refuse output folders whose replacement would destroy the site or something else: `/`, the
/// site root or any folder above it, anything inside `content/`, `templates/` or `static/`, and a
/// non-empty folder that no build of ours wrote.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Error> {
    let refuse = |why: &str| Error::UnsafeOutput {
        path: out.to_path_buf(),
        why: why.to_string(),
    };
    let root_abs = absolute(root).map_err(|e| Error::read(root, e))?;
    let out_abs = absolute(out).map_err(|e| Error::read(out, e))?;
    if out_abs.parent().is_none() {
        return Err(refuse("it is the file-system root"));
    }
    if root_abs.starts_with(&out_abs) {
        return Err(refuse(
            "it contains the site itself; replacing it would delete the sources",
        ));
    }
    for dir in ["content", "templates", "static"] {
        if out_abs.starts_with(root_abs.join(dir)) {
            return Err(refuse(&format!(
                "it is inside the site's `{dir}/` folder, which the build reads"
            )));
        }
    }
    if out_abs.is_file() {
        return Err(refuse("it is a file"));
    }
    if out_abs.is_dir()
        && !out_abs.join(MARKER).exists()
        && fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        return Err(refuse(
            "it is a non-empty folder that explainer did not write; choose an empty or new folder",
        ));
    }
    Ok(())
}

/// Absolute, with `..` resolved through the deepest existing ancestor (which is canonicalised, so
/// symlinks cannot disguise the site root).
fn absolute(p: &Path) -> io::Result<PathBuf> {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    let mut clean = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    Ok(out)
}

/// Write `files` into a staging folder next to `out`, then swap it in.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<WriteStats, Error> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::write(&parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::write(&staging, e))?;
    }
    let result = write_all(&staging, files)
        .and_then(|stats| swap(&staging, out, &parent, &name).map(|_| stats));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &[OutFile]) -> Result<WriteStats, Error> {
    fs::create_dir_all(staging).map_err(|e| Error::write(staging, e))?;
    fs::write(
        staging.join(MARKER),
        "This folder is written by `explainer build`; a build replaces it whole.\n",
    )
    .map_err(|e| Error::write(staging, e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        let full = staging.join(d);
        fs::create_dir_all(&full).map_err(|e| Error::write(&full, e))?;
    }
    let sizes: Vec<Result<u64, Error>> = files
        .par_iter()
        .map(|f| {
            let dest = staging.join(&f.path);
            match &f.body {
                Body::Text(t) => fs::write(&dest, t)
                    .map(|_| t.len() as u64)
                    .map_err(|e| Error::write(&dest, e)),
                Body::Copy(src) => fs::copy(src, &dest).map_err(|e| Error::read(src, e)),
            }
        })
        .collect();
    let mut stats = WriteStats::default();
    let mut errors = Vec::new();
    for s in sizes {
        match s {
            Ok(b) => {
                stats.files += 1;
                stats.bytes += b;
            }
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    Ok(stats)
}

/// Put `staging` where `out` is. The old output is moved aside first and restored if the second
/// rename fails, then deleted.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Error> {
    if !out.exists() {
        return fs::rename(staging, out).map_err(|e| Error::write(out, e));
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| Error::write(&old, e))?;
    }
    fs::rename(out, &old).map_err(|e| Error::write(out, e))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(Error::write(out, e));
    }
    fs::remove_dir_all(&old).map_err(|e| Error::write(&old, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.into(),
            body: Body::Text(text.into()),
            from: format!("src of {path}"),
        }
    }

    #[test]
    fn conflicts_name_both_sources() {
        let mut a = file("x/index.html", "");
        a.from = "content/x.md".into();
        let mut b = file("x/index.html", "");
        b.from = "content/x/_index.md".into();
        let e = check_conflicts(&[a, b]).unwrap_err().to_string();
        assert!(
            e.contains("content/x/_index.md") && e.contains("content/x.md"),
            "{e}"
        );
    }

    #[test]
    fn swaps_in_and_replaces_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a/index.html", "one"), file("gone.txt", "x")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        write_site(&out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("gone.txt").exists());
        // Nothing left beside it.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn failed_write_leaves_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a.txt", "old")]).unwrap();
        let bad = OutFile {
            path: "b.txt".into(),
            body: Body::Copy(dir.path().join("missing")),
            from: "x".into(),
        };
        assert!(write_site(&out, &[file("a.txt", "new"), bad]).is_err());
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "old");
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(dir.path().join("docs")).unwrap();
        fs::write(dir.path().join("docs/precious.txt"), "x").unwrap();
        assert!(check_output_dir(&root, Path::new("/")).is_err());
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content/out")).is_err());
        assert!(check_output_dir(&root, &root.join("content/../..")).is_err());
        let e = check_output_dir(&root, &dir.path().join("docs")).unwrap_err();
        assert!(e.to_string().contains("did not write"), "{e}");
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }
}
