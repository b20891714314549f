//! Writing the site: into a staging folder beside the output, swapped into place only when every
//! file was written, so a failed build leaves the previous output exactly as it was.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Kind, Location};
use crate::links::OutputPath;

/// Dropped into every output folder, so a later build knows it may replace the folder.
pub const MARKER: &str = ".explainer-output";

#[derive(Debug, Clone)]
/// What an output file holds: text made by the build, or a file copied from the site (named
/// so, not `Body`, which is also axum's response body and an HTML element).
pub enum FileContent {
    /// Text rendered in memory.
    Text(String),
    /// A file copied as is from the site folder.
    Copy(PathBuf),
}

#[derive(Debug, Clone)]
/// One file of the output.
pub struct OutFile {
    /// Path under the output folder, `/`-separated.
    pub path: OutputPath,
    /// Its content.
    pub body: FileContent,
    /// What produced it, for "two sources write the same file" errors.
    pub from: Origin,
}

/// What produced an output file: the source file, at the line that chose the output path where
/// one did (a page's `slug`, an alias), and what in it when the file alone does not say.
/// Generated files name the setting that asks for them (`site.yaml`, `charts.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file, and where in it the path was chosen when a line did.
    pub at: Location,
    /// What in the file writes the output ("alias `old/`", "chart `x`"), when not the file.
    pub what: Option<String>,
}

impl Origin {
    /// The file (or the line of it) at `at` writes the output.
    pub fn file(at: Location) -> Origin {
        Origin { at, what: None }
    }

    /// `what`, set at `at`, writes the output.
    pub fn named(what: impl Into<String>, at: Location) -> Origin {
        Origin {
            at,
            what: Some(what.into()),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.what {
            Some(what) => write!(f, "{what} ({})", self.at),
            None => write!(f, "{}", self.at),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Why `segment` cannot be one part of an output path (a file or folder name), if it cannot:
/// every file system refuses NUL and names over 255 bytes, `.`/`..` would climb, and the marker
/// file's name belongs to the build.
pub fn bad_segment(segment: &str) -> Option<String> {
    if segment.is_empty() || segment == "." || segment == ".." {
        Some(format!("`{segment}` is not a file or folder name"))
    } else if segment.contains('\0') {
        Some("it contains a NUL character".into())
    } else if segment.contains('\\') {
        Some("it contains a backslash".into())
    } else if segment.len() > 255 {
        Some(format!(
            "a file or folder name can be at most 255 bytes, and this one has {}",
            segment.len()
        ))
    } else if segment == MARKER {
        Some(format!(
            "`{MARKER}` is the name of the file that marks explainer's output"
        ))
    } else {
        None
    }
}

/// Output paths that cannot all be written: two sources writing one path, a file where another
/// source needs a folder (`style.css` as an alias and `style.css/index.html`; a static file
/// `cycling` and the page `cycling/index.html`), and paths no file system accepts. `files` are
/// (path, what writes it), known before anything is rendered. Used by every command through the
/// one pipeline, so `check` fails exactly where `build` would.
pub fn check_conflicts<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a Origin)>,
) -> Result<(), Error> {
    let files: Vec<(&str, &Origin)> = files.into_iter().collect();
    // FxHash: 10,000 pages are 30,000 lookups of short paths, on one core before rendering.
    let mut seen: rustc_hash::FxHashMap<&str, &Origin> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(files.len(), Default::default());
    let mut errors = Vec::new();
    // Reported where a line chose the path (a slug, an alias) when only one of the two has one:
    // that is the line to change; else at the later of the two.
    let conflict = |at: &Origin, message: String| {
        let subject = match &at.what {
            Some(what) => format!("{what} "),
            None => String::new(),
        };
        Error::input(Kind::Conflict, at.at.clone(), format!("{subject}{message}"))
            .with_help("give one of them another `slug`, alias or file name")
    };
    let prefer =
        |later: &Origin, first: &Origin| first.at.line().is_some() && later.at.line().is_none();
    for &(path, from) in &files {
        if let Some(why) = path.split('/').find_map(bad_segment) {
            errors.push(conflict(
                from,
                format!("cannot write `{}`: {why}", shorten(path)),
            ));
            continue;
        }
        if let Some(first) = seen.insert(path, from) {
            let (here, other) = if prefer(from, first) {
                (first, from)
            } else {
                (from, first)
            };
            errors.push(conflict(
                here,
                format!("writes `{path}`, which {other} also writes"),
            ));
        }
    }
    for &(path, from) in &files {
        // Every folder the file needs must not be a file someone else writes.
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            let folder = &path[..end + slash];
            if let Some(&other) = seen.get(folder) {
                errors.push(if prefer(from, other) {
                    conflict(
                        other,
                        format!(
                            "writes a file `{folder}`, but {from} writes `{path}`, which needs `{folder}` to be a folder"
                        ),
                    )
                } else {
                    conflict(
                        from,
                        format!(
                            "writes `{path}`, which needs `{folder}` to be a folder, but {other} writes a file `{folder}`"
                        ),
                    )
                });
                break;
            }
            end += slash + 1;
        }
    }
    Error::collect(errors)
}

/// A path for a message: whole when short, else its start and an ellipsis.
fn shorten(path: &str) -> String {
    match path.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &path[..cut]),
        None => path.to_string(),
    }
}

/// An output folder that passed the safety checks: the path as given and its real path (every
/// symlink on the way followed, `..` applied to real folders), which is where the build writes.
#[derive(Debug, Clone)]
pub struct OutputDir {
    /// As the user wrote it, for messages.
    pub requested: PathBuf,
    /// The real path: the nearest existing ancestor canonicalised, the rest appended.
    pub real: PathBuf,
    root: PathBuf,
}

impl OutputDir {
    /// Resolve `out` for real and refuse it if replacing it would destroy the site or something
    /// else (see [`check_output_dir`]).
    pub fn prepare(root: &Path, out: &Path) -> Result<OutputDir, Error> {
        let real = check_output_dir(root, out)?;
        Ok(OutputDir {
            requested: out.to_path_buf(),
            real,
            root: root.to_path_buf(),
        })
    }

    /// Run the checks again (right before the swap): a symlink changed since the build started,
    /// or a folder that appeared, must not redirect the swap.
    fn recheck(&self) -> Result<(), Error> {
        let now = check_output_dir(&self.root, &self.requested)?;
        if now != self.real {
            return Err(Error::UnsafeOutput {
                path: self.requested.clone(),
                why: format!(
                    "it resolved to {} when the build started and to {} now; a symlink on the way changed",
                    self.real.display(),
                    now.display()
                ),
            });
        }
        Ok(())
    }
}

/// Refuse output folders whose replacement would destroy the site or something else: `/`, the
/// site root or any folder above it, anything inside `content/`, `templates/` or `static/`, and a
/// non-empty folder that no build of ours wrote. Every decision is made on real paths (symlinks
/// followed before `..` is applied), so `lnk/../site` is judged where it really points. Returns
/// the output's real path.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf, Error> {
    let root_real = real_path(root).map_err(|e| Error::read(root, e))?;
    let out_real = real_path(out).map_err(|e| Error::UnsafeOutput {
        path: out.to_path_buf(),
        why: format!("its real path cannot be resolved ({e})"),
    })?;
    let refuse = |why: &str| {
        let really = if out_real.as_path() != out {
            format!(" (really {})", out_real.display())
        } else {
            String::new()
        };
        Error::UnsafeOutput {
            path: out.to_path_buf(),
            why: format!("{}{really}", why),
        }
    };
    if out_real.parent().is_none() {
        return Err(refuse("it is the file-system root"));
    }
    if root_real.starts_with(&out_real) {
        return Err(refuse(
            "it contains the site itself; replacing it would delete the sources",
        ));
    }
    for dir in ["content", "templates", "static"] {
        // The source folders may themselves be symlinks: judge against where they point too.
        let lexical = root_real.join(dir);
        let resolved = real_path(&lexical).unwrap_or_else(|_| lexical.clone());
        if out_real.starts_with(&lexical) || out_real.starts_with(&resolved) {
            return Err(refuse(&format!(
                "it is inside the site's `{dir}/` folder, which the build reads"
            )));
        }
        if resolved.starts_with(&out_real) {
            return Err(refuse(&format!(
                "it contains the site's `{dir}/` folder; replacing it would delete the sources"
            )));
        }
    }
    match fs::symlink_metadata(&out_real) {
        Ok(m) if m.is_dir() => {
            let non_empty = fs::read_dir(&out_real)
                .map(|mut d| d.next().is_some())
                .map_err(|e| refuse(&format!("it cannot be listed ({e})")))?;
            if non_empty && !out_real.join(MARKER).is_file() {
                return Err(refuse(
                    "it is a non-empty folder that explainer did not write; choose an empty or new folder",
                ));
            }
        }
        Ok(m) if m.is_file() => return Err(refuse("it is a file")),
        Ok(_) => return Err(refuse("it is not a folder")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(refuse(&format!("it cannot be inspected ({e})"))),
    }
    Ok(out_real)
}

/// The real path of `p`, which need not exist: made absolute, then walked one component at a
/// time, following every symlink that exists (so `..` after a symlink leaves the folder the link
/// points into, as the operating system does), the part that does not exist yet appended as text.
pub fn real_path(p: &Path) -> io::Result<PathBuf> {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    let mut real = PathBuf::new();
    // Names below `real` that do not exist (yet).
    let mut missing: Vec<std::ffi::OsString> = Vec::new();
    for c in joined.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => {
                real.push(c.as_os_str());
                real = real.canonicalize().unwrap_or(real);
            }
            Component::CurDir => {}
            Component::ParentDir => {
                if missing.pop().is_none() {
                    real.pop();
                }
            }
            Component::Normal(name) => {
                if !missing.is_empty() {
                    missing.push(name.to_os_string());
                    continue;
                }
                let next = real.join(name);
                match fs::symlink_metadata(&next) {
                    Ok(m) if m.file_type().is_symlink() => match next.canonicalize() {
                        Ok(target) => real = target,
                        Err(e) => {
                            return Err(io::Error::new(
                                e.kind(),
                                format!("{} is a symlink that leads nowhere: {e}", next.display()),
                            ));
                        }
                    },
                    Ok(_) => real = next,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        missing.push(name.to_os_string())
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    for name in missing {
        real.push(name);
    }
    Ok(real)
}

/// What writing produced: counts, and what went wrong after the new output was in place.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub stats: WriteStats,
    /// Problems that did not stop the new site from being in place (the previous output could
    /// not be removed, for instance), said as they happened.
    pub warnings: Vec<String>,
}

/// The lock held while a build writes beside an output folder: an OS file lock on
/// `.NAME.explainer-lock`, released when dropped or when the process dies (so a killed build
/// never leaves a stale lock). On Unix the file is removed on release; a waiter that locked the
/// removed file notices (its inode is no longer the path's) and tries again.
struct WriteLock {
    file: fs::File,
    path: PathBuf,
}

impl WriteLock {
    fn take(parent: &Path, name: &str, out: &Path) -> Result<WriteLock, Error> {
        let path = parent.join(format!(".{name}.explainer-lock"));
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| Error::write(&path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Error::UnsafeOutput {
                        path: out.to_path_buf(),
                        why: format!(
                            "another build is writing here (it holds {}); wait for it to finish",
                            path.display()
                        ),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(Error::write(&path, e)),
            }
            if same_file(&file, &path) {
                return Ok(WriteLock { file, path });
            }
        }
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, _: &Path) -> bool {
    // The lock file is never removed here, so the file locked is the path's.
    true
}

/// Write `files` into a staging folder next to the output, then swap it in (a build streams its
/// files through [`Staging`] instead; the tests write lists of files with this).
#[cfg(test)]
pub fn write_site(out: &OutputDir, files: &[OutFile]) -> Result<Written, Error> {
    use rayon::prelude::*;
    let staging = Staging::begin(out)?;
    staging.make_dirs(files.iter().map(|f| f.path.as_str()))?;
    let sizes: Vec<Result<u64, Error>> = files
        .par_iter()
        .with_max_len(crate::FILES_PER_TASK)
        .map(|f| staging.write(f))
        .collect();
    let mut stats = WriteStats::default();
    for bytes in Error::all_ok(sizes, Vec::new())? {
        stats.add(bytes);
    }
    staging.finish(stats)
}

impl WriteStats {
    /// Count one more file of `bytes` bytes.
    pub fn add(&mut self, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
    }
}

/// A staging folder beside the output, written under the write lock while the site renders (so
/// a build never holds every rendered file at once). [`Staging::finish`] swaps it in; dropped
/// unfinished (an error anywhere), it is removed and the previous output stays as it was.
pub struct Staging<'a> {
    out: &'a OutputDir,
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    warnings: Vec<String>,
    finished: bool,
    // Declared last: released after `drop` removed an unfinished staging folder.
    _lock: WriteLock,
}

impl<'a> Staging<'a> {
    /// Take the lock, repair what a killed build left, and start an empty staging folder.
    pub fn begin(out: &'a OutputDir) -> Result<Staging<'a>, Error> {
        let real = &out.real;
        let parent = real
            .parent()
            .map(Path::to_path_buf)
            .ok_or_else(|| Error::UnsafeOutput {
                path: out.requested.clone(),
                why: "it is the file-system root".into(),
            })?;
        fs::create_dir_all(&parent).map_err(|e| Error::write(&parent, e))?;
        let name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let lock = WriteLock::take(&parent, &name, &out.requested)?;
        let warnings = recover_leftovers(&parent, &name, real);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
        }
        let staging = Staging {
            out,
            dir,
            parent,
            name,
            warnings,
            finished: false,
            _lock: lock,
        };
        fs::create_dir_all(&staging.dir).map_err(|e| Error::write(&staging.dir, e))?;
        fs::write(
            staging.dir.join(MARKER),
            "This folder is written by `explainer build`; a build replaces it whole.\n",
        )
        .map_err(|e| Error::write(&staging.dir, e))?;
        Ok(staging)
    }

    /// Create the folders the files at `paths` go in, before they are written in parallel.
    pub fn make_dirs<'p>(&self, paths: impl Iterator<Item = &'p str>) -> Result<(), Error> {
        let mut dirs: Vec<&str> = paths
            .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        // On both cores (a page is a folder: 10,000 pages are 10,000 folders). `create_dir_all`
        // takes a folder made meanwhile by the other thread as made.
        use rayon::prelude::*;
        dirs.par_iter()
            .with_max_len(crate::FILES_PER_TASK)
            .try_for_each(|d| {
                let full = self.dir.join(d);
                fs::create_dir_all(&full).map_err(|e| Error::write(&full, e))
            })
    }

    /// Write one file (its folder made by `make_dirs`); returns its size.
    pub fn write(&self, f: &OutFile) -> Result<u64, Error> {
        let dest = self.dir.join(f.path.as_str());
        match &f.body {
            FileContent::Text(t) => fs::write(&dest, t)
                .map(|_| t.len() as u64)
                .map_err(|e| Error::write(&dest, e)),
            FileContent::Copy(src) => copy_file(src, &dest),
        }
    }

    /// Swap the staging folder in for the output.
    pub fn finish(mut self, stats: WriteStats) -> Result<Written, Error> {
        self.out.recheck()?;
        let w = swap(&self.dir, &self.out.real, &self.parent, &self.name)?;
        self.finished = true;
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.extend(w);
        Ok(Written { stats, warnings })
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.finished && self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Folders a killed build left beside the output (`.public.staging-PID`, `.public.old-PID`).
/// Called with the lock held, so no other build is using them; only folders carrying our marker
/// are touched. When the output itself is missing (a kill between the two renames of the
/// fallback swap), the previous output is put back first.
fn recover_leftovers(parent: &Path, name: &str, out: &Path) -> Vec<String> {
    let mut warnings = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return warnings;
    };
    let mut olds = Vec::new();
    let mut stagings = Vec::new();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let path = e.path();
        let ours =
            fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) && path.join(MARKER).is_file();
        if !ours {
            continue;
        }
        if n.strip_prefix(&format!(".{name}.old-")).is_some() {
            olds.push(path);
        } else if n.strip_prefix(&format!(".{name}.staging-")).is_some() {
            stagings.push(path);
        }
    }
    if fs::symlink_metadata(out).is_err()
        && let Some(old) = olds.pop()
    {
        match fs::rename(&old, out) {
            Ok(()) => warnings.push(format!(
                "restored the previous output from {}, left there by an interrupted build",
                old.display()
            )),
            Err(e) => {
                // Keep it: it is the only copy of the previous site.
                warnings.push(format!(
                    "could not restore {} from {}: {e}",
                    out.display(),
                    old.display()
                ));
                return warnings;
            }
        }
    }
    for leftover in olds.into_iter().chain(stagings) {
        if let Err(e) = fs::remove_dir_all(&leftover) {
            warnings.push(format!(
                "could not remove {}, left by an interrupted build: {e}",
                leftover.display()
            ));
        }
    }
    warnings
}

/// Copy one file, telling a failure to read the source from a failure to write the copy (a full
/// disk is a write error).
fn copy_file(src: &Path, dest: &Path) -> Result<u64, Error> {
    let mut from = fs::File::open(src).map_err(|e| Error::read(src, e))?;
    let mut to = fs::File::create(dest).map_err(|e| Error::write(dest, e))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::read(src, e)),
        };
        to.write_all(&buf[..n]).map_err(|e| Error::write(dest, e))?;
        total += n as u64;
    }
    to.sync_data().map_err(|e| Error::write(dest, e))?;
    Ok(total)
}

/// Put `staging` where `out` is. On Linux the two folders trade places in one step
/// (`renameat2(RENAME_EXCHANGE)`), so there is never a moment without an output; elsewhere, or on
/// file systems without exchange, the old output is moved aside first and restored if the second
/// rename fails (a kill between the two is repaired by the next build, see `recover_leftovers`).
/// Returns what could not be cleaned up afterwards.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<Vec<String>, Error> {
    if fs::symlink_metadata(out).is_err() {
        fs::rename(staging, out).map_err(|e| Error::write(out, e))?;
        return Ok(Vec::new());
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous output.
        return Ok(remove_previous(staging));
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
    Ok(remove_previous(&old))
}

fn remove_previous(old: &Path) -> Vec<String> {
    match fs::remove_dir_all(old) {
        Ok(()) => Vec::new(),
        Err(e) => vec![format!(
            "the new site is in place, but the previous output, moved to {}, could not be removed ({e}); delete it yourself",
            old.display()
        )],
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: OutputPath::new(path),
            body: FileContent::Text(text.into()),
            from: Origin::file(Location::file(format!("src of {path}"))),
        }
    }

    fn conflicts(files: &[OutFile]) -> Result<(), Error> {
        check_conflicts(files.iter().map(|f| (f.path.as_str(), &f.from)))
    }

    #[test]
    fn conflicts_name_both_sources() {
        let mut a = file("x/index.html", "");
        a.from = Origin::file(Location::file("content/x.md"));
        let mut b = file("x/index.html", "");
        b.from = Origin::file(Location::at("content/x/_index.md", 2, 7));
        let e = conflicts(&[a, b]).unwrap_err().to_string();
        // At the line that chose the path, naming the other writer.
        assert!(
            e.starts_with("content/x/_index.md:2:7: output conflict error: writes `x/index.html`, which content/x.md also writes"),
            "{e}"
        );
    }

    /// An output at `dir/public` for a site at `dir/site`.
    fn target(dir: &Path) -> OutputDir {
        let root = dir.join("site");
        fs::create_dir_all(&root).unwrap();
        OutputDir::prepare(&root, &dir.join("public")).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// `check` passed while `build` failed: a file where another source needs a folder, the
    /// marker's name, NUL, names over 255 bytes.
    #[test]
    fn paths_that_cannot_all_be_written_are_conflicts() {
        let mut alias = file("static/style.css", "");
        alias.from = Origin::named(
            "alias `static/style.css`",
            Location::at("content/a.md", 3, 11),
        );
        let mut css = file("static/style.css/index.html", "");
        css.from = Origin::file(Location::file("content/b.md"));
        let e = conflicts(&[alias, css]).unwrap_err().to_string();
        assert!(
            e.starts_with("content/a.md:3:11: output conflict error: alias `static/style.css` writes a file `static/style.css`, but content/b.md writes `static/style.css/index.html`, which needs `static/style.css` to be a folder"),
            "{e}"
        );
        let e = conflicts(&[file("cycling/index.html", ""), file("cycling", "")]);
        assert!(
            e.unwrap_err()
                .to_string()
                .contains("needs `cycling` to be a folder")
        );
        for (path, why) in [
            (".explainer-output", "marks explainer's output"),
            ("a\0b/index.html", "NUL"),
            (
                &*format!("{}/index.html", "x".repeat(256)),
                "at most 255 bytes",
            ),
            ("a/../b", "not a file or folder name"),
        ] {
            let e = conflicts(&[file(path, "")]).unwrap_err().to_string();
            assert!(e.contains(why), "{path}: {e}");
        }
        assert!(conflicts(&[file("a/index.html", ""), file("a/b/index.html", "")]).is_ok());
    }

    #[test]
    fn swaps_in_and_replaces_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let out = dir.path().join("public");
        write_site(&t, &[file("a/index.html", "one"), file("gone.txt", "x")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        let w = write_site(&t, &[file("a/index.html", "two")]).unwrap();
        assert!(w.warnings.is_empty(), "{:?}", w.warnings);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("gone.txt").exists());
        // Nothing left beside it.
        assert_eq!(names(dir.path()), ["public", "site"]);
    }

    #[test]
    fn failed_write_leaves_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let out = dir.path().join("public");
        write_site(&t, &[file("a.txt", "old")]).unwrap();
        let bad = OutFile {
            path: OutputPath::new("b.txt"),
            body: FileContent::Copy(dir.path().join("missing")),
            from: Origin::file(Location::file("x")),
        };
        let e = write_site(&t, &[file("a.txt", "new"), bad]).unwrap_err();
        assert!(e.to_string().starts_with("cannot read "), "{e}");
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "old");
    }

    /// A full disk is a failure to write, named as one, not "cannot read" (`/dev/full`
    /// answers every write with "No space left on device").
    #[cfg(target_os = "linux")]
    #[test]
    fn full_disk_is_a_write_error() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("a.bin");
        fs::write(&src, vec![7u8; 200_000]).unwrap();
        let e = copy_file(&src, Path::new("/dev/full")).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("cannot write /dev/full: No space left on device"),
            "{shown}"
        );
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

    /// Defect: `..` was applied as text before symlinks were followed, so `lnk/../site` (with
    /// `lnk` a symlink into another folder) was judged as `./site`'s sibling and then replaced
    /// the folder `lnk/..` really names.
    #[cfg(unix)]
    #[test]
    fn symlink_then_dotdot_is_judged_where_it_really_points() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // d/site is the site; d/work/lnk -> d/sub, so work/lnk/../site is d/site (as text it
        // would be d/work/site, a new folder).
        let root = d.join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(root.join("content/a.md"), "precious").unwrap();
        fs::create_dir_all(d.join("sub")).unwrap();
        fs::create_dir_all(d.join("work")).unwrap();
        symlink(d.join("sub"), d.join("work/lnk")).unwrap();
        let e = check_output_dir(&root, &d.join("work/lnk/../site")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("contains the site itself"), "{msg}");
        assert!(msg.contains("(really "), "{msg}");
        symlink(root.join("content"), d.join("lnk")).unwrap();
        let e = check_output_dir(&root, &d.join("lnk/..")).unwrap_err();
        assert!(e.to_string().contains("contains the site itself"), "{e}");
        // l2 -> other/deep, so l2/../victim is other/victim: a folder we never wrote.
        fs::create_dir_all(d.join("other/deep")).unwrap();
        fs::create_dir_all(d.join("other/victim")).unwrap();
        fs::write(d.join("other/victim/keep.txt"), "mine").unwrap();
        symlink(d.join("other/deep"), d.join("l2")).unwrap();
        let e = check_output_dir(&root, &d.join("l2/../victim")).unwrap_err();
        assert!(e.to_string().contains("did not write"), "{e}");
        // A new folder through a symlink is fine, and is written where it really is.
        let t = OutputDir::prepare(&root, &d.join("l2/../fresh")).unwrap();
        assert_eq!(t.real, d.canonicalize().unwrap().join("other/fresh"));
        write_site(&t, &[file("x.txt", "x")]).unwrap();
        assert!(d.join("other/fresh/x.txt").is_file());
        assert_eq!(
            fs::read_to_string(root.join("content/a.md")).unwrap(),
            "precious"
        );
        assert_eq!(
            fs::read_to_string(d.join("other/victim/keep.txt")).unwrap(),
            "mine"
        );
        // A dangling symlink on the way is refused, not followed into nowhere.
        symlink(d.join("nowhere"), d.join("dangling")).unwrap();
        let e = check_output_dir(&root, &d.join("dangling/out")).unwrap_err();
        assert!(e.to_string().contains("leads nowhere"), "{e}");
    }

    /// The checks run again right before the swap: a symlink retargeted during the build must
    /// not redirect it.
    #[cfg(unix)]
    #[test]
    fn a_symlink_changed_during_the_build_stops_the_swap() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let root = d.join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(d.join("a/x")).unwrap();
        fs::create_dir_all(d.join("sub")).unwrap();
        symlink(d.join("a/x"), d.join("lnk")).unwrap();
        let t = OutputDir::prepare(&root, &d.join("lnk/../site")).unwrap();
        fs::remove_file(d.join("lnk")).unwrap();
        symlink(d.join("sub"), d.join("lnk")).unwrap();
        let e = write_site(&t, &[file("x.txt", "x")]).unwrap_err();
        assert!(e.to_string().contains("contains the site itself"), "{e}");
        assert!(!d.join("a/site").exists());
        assert_eq!(names(&root), ["content"]);
    }

    #[test]
    fn leftovers_of_a_killed_build_are_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let d = dir.path();
        // A kill between the fallback swap's two renames: no output, the old one aside.
        for (folder, text) in [
            (".public.old-99999", "previous"),
            (".public.staging-99998", "half"),
        ] {
            fs::create_dir_all(d.join(folder)).unwrap();
            fs::write(d.join(folder).join(MARKER), "").unwrap();
            fs::write(d.join(folder).join("a.txt"), text).unwrap();
        }
        // Not ours (no marker): never touched.
        fs::create_dir_all(d.join(".public.staging-1")).unwrap();
        let w = write_site(&t, &[file("a.txt", "new")]).unwrap();
        assert!(
            w.warnings[0].contains("restored the previous output"),
            "{:?}",
            w.warnings
        );
        assert_eq!(fs::read_to_string(d.join("public/a.txt")).unwrap(), "new");
        assert_eq!(names(d), [".public.staging-1", "public", "site"]);
    }

    #[test]
    fn a_second_writer_is_told_another_build_is_writing() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let held = WriteLock::take(dir.path(), "public", &t.requested).unwrap();
        let e = write_site(&t, &[file("a.txt", "x")]).unwrap_err();
        assert!(
            e.to_string().contains("another build is writing here"),
            "{e}"
        );
        drop(held);
        write_site(&t, &[file("a.txt", "x")]).unwrap();
    }

    #[test]
    fn concurrent_writers_each_succeed_or_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let files: Vec<_> = (0..200)
            .map(|i| file(&format!("p{i}/index.html"), "x"))
            .collect();
        let results: Vec<_> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8).map(|_| s.spawn(|| write_site(&t, &files))).collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &results {
            if let Err(e) = r {
                assert!(
                    e.to_string().contains("another build is writing here"),
                    "{e}"
                );
            }
        }
        assert!(results.iter().any(Result::is_ok));
        assert_eq!(names(&dir.path().join("public")).len(), 201);
        assert_eq!(names(dir.path()), ["public", "site"]);
    }
}
