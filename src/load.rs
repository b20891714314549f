//! Reading a site folder: `site.yaml`, `content/`, `content/data/`, `templates/`, `static/`,
//! walked in sorted order so every build sees the same input in the same order.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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
    /// Whether `text` is the whole file or a page's beginning ([`SiteFiles::read_front_matter`]).
    pub extent: Extent,
}

/// How much of its file a [`TextFile`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// All of it.
    Whole,
    /// A page's beginning, up to the line that closes its front matter (nothing if it has none):
    /// the rest is read when the page is rendered.
    Head,
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
    /// `content/data/*.yaml` (and .yml, .json, .toml, .csv), relative to `content/data/`.
    pub data: Vec<TextFile>,
    /// `templates/**/*.html` (and .xml, .txt), relative to `templates/`.
    pub templates: Vec<TextFile>,
    /// `static/**`, relative to `static/`.
    pub statics: Vec<String>,
}

/// How much of each page [`SiteFiles`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageText {
    Whole,
    /// The front matter, or the whole page while `hold` bytes of whole pages are not reached.
    FrontMatter {
        hold: usize,
    },
}

impl SiteFiles {
    /// Read the site at `root`. Every unreadable or non-UTF-8 file is reported, not only the first.
    pub fn read(root: &Path) -> Result<SiteFiles, Error> {
        SiteFiles::read_pages(root, PageText::Whole)
    }

    /// [`SiteFiles::read`], reading of each page only its front matter (up to the line that
    /// closes it; the whole file when it has none), except for pages held whole while they fit
    /// in [`HELD_TEXT`] ([`Extent`] says which): a build reads the others' markdown when it
    /// renders them, so that it never holds every page of a large site at once.
    pub fn read_front_matter(root: &Path) -> Result<SiteFiles, Error> {
        SiteFiles::read_front_matter_holding(root, HELD_TEXT)
    }

    /// [`SiteFiles::read_front_matter`], holding at most `hold` bytes of whole pages.
    pub(crate) fn read_front_matter_holding(root: &Path, hold: usize) -> Result<SiteFiles, Error> {
        SiteFiles::read_pages(root, PageText::FrontMatter { hold })
    }

    fn read_pages(root: &Path, how: PageText) -> Result<SiteFiles, Error> {
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
        let mut data = Vec::new();
        let real_root = root.canonicalize().map_err(|e| Error::read(root, e))?;
        let read_one = |folder: &str, rel: &str, strip: &str| -> Result<TextFile, Error> {
            let mut t = read_walked(root, &format!("{folder}{rel}"))?;
            t.rel = rel.strip_prefix(strip).unwrap_or(rel).to_string();
            Ok(t)
        };
        // A page: only its front matter when that is all the build needs first, unless the
        // budget for holding pages has room for all of it.
        let budget = Budget::new(match how {
            PageText::FrontMatter { hold } => hold,
            PageText::Whole => 0,
        });
        let read_page = |rel: &str| -> Result<TextFile, Error> {
            let at = format!("content/{rel}");
            let mut t = match how {
                PageText::FrontMatter { .. } => read_head(root, &at, &budget)?,
                PageText::Whole => read_walked(root, &at)?,
            };
            t.rel = rel.to_string();
            Ok(t)
        };
        // Pages are read while the walk goes on, in batches handed to the other threads as the
        // walk finds them (the walk of 10,000 pages took 9 ms, and the other core waited for
        // it); put back in the walk's order after.
        let batches = std::sync::Mutex::new(Vec::new());
        rayon::scope(|scope| {
            let read_batch = |k: usize, batch: Vec<String>| {
                let (batches, read_page) = (&batches, &read_page);
                scope.spawn(move |_| {
                    let read: Vec<_> = batch.iter().map(|rel| read_page(rel)).collect();
                    let mut batches = batches.lock().unwrap_or_else(|p| p.into_inner());
                    batches.push((k, read));
                });
            };
            let mut batch = Vec::with_capacity(crate::FILES_PER_TASK);
            let mut k = 0;
            walk(root, &real_root, "content", &mut errors, &mut |rel| {
                if let Some(data_rel) = rel.strip_prefix("data/") {
                    if crate::data::is_data_file(data_rel) {
                        data.push(rel);
                    }
                } else if rel.ends_with(".md") {
                    batch.push(rel);
                    if batch.len() == crate::FILES_PER_TASK {
                        read_batch(k, std::mem::take(&mut batch));
                        k += 1;
                    }
                } else {
                    files.assets.push(rel);
                }
            });
            if !batch.is_empty() {
                read_batch(k, batch);
            }
        });
        let mut batches = batches.into_inner().unwrap_or_else(|p| p.into_inner());
        batches.sort_unstable_by_key(|(k, _)| *k);
        let pages: Vec<Result<TextFile, Error>> =
            batches.into_iter().flat_map(|(_, read)| read).collect();
        let walk = |folder: &str, errors: &mut Vec<Error>| {
            let mut found = Vec::new();
            walk(root, &real_root, folder, errors, &mut |rel| found.push(rel));
            found
        };
        let templates = walk("templates", &mut errors);
        // Reading is the slow part for large sites: read in parallel, keep the walk's order.
        let read_all =
            |folder: &str, rels: &[String], strip: &str| -> Vec<Result<TextFile, Error>> {
                rels.par_iter()
                    .with_max_len(crate::FILES_PER_TASK)
                    .map(|rel| read_one(folder, rel, strip))
                    .collect()
            };
        for (list, read) in [
            (&mut files.pages, pages),
            (&mut files.data, read_all("content/", &data, "data/")),
            (&mut files.templates, read_all("templates/", &templates, "")),
        ] {
            match Error::all_ok(read, Vec::new()) {
                Ok(read) => list.extend(read),
                Err(e) => errors.push(e),
            }
        }
        files.statics = walk("static", &mut errors);
        Error::collect(errors)?;
        Ok(files)
    }
}

/// Read `root/rel` as UTF-8; a bad byte is reported at its line and column.
pub fn read_text(root: &Path, rel: &str) -> Result<TextFile, Error> {
    let path = root.join(rel);
    let shown = display_path(root, rel);
    // Files read one by one (by `serve` after a change) get the walk's checks: a symlink out of
    // the site or a FIFO is refused, never read.
    let meta = fs::symlink_metadata(&path).map_err(|e| Error::read(&shown, e))?;
    if meta.file_type().is_symlink() {
        let real_root = root.canonicalize().map_err(|e| Error::read(root, e))?;
        check_link(&real_root, &path, &shown)?;
    }
    let meta = fs::metadata(&path).map_err(|e| Error::read(&shown, e))?;
    if !meta.is_file() {
        return Err(special_file(&shown, &meta.file_type()));
    }
    read_file(rel, path, shown)
}

/// Read a file the walk found (a regular file, or a link it checked): no second look at what
/// it is, which cost two system calls a file.
fn read_walked(root: &Path, rel: &str) -> Result<TextFile, Error> {
    read_file(rel, root.join(rel), display_path(root, rel))
}

fn read_file(rel: &str, path: PathBuf, shown: PathBuf) -> Result<TextFile, Error> {
    let bytes = fs::read(&path).map_err(|e| Error::read(&shown, e))?;
    let text = decode(bytes, &shown, rel.ends_with(".md"))?;
    Ok(TextFile {
        rel: rel.to_string(),
        file: shown,
        text,
        extent: Extent::Whole,
    })
}

/// The first read of a page's head: front matter is a few hundred bytes (the flagship's longest
/// is 323), and what is read past it is copied and checked for nothing.
const HEAD_READ: usize = 1024;

/// Page texts a build holds from their first reading to their rendering, in all: a page held is
/// read once, instead of twice (four times when it is rendered twice). A 10,000-page site's
/// 55 MB are all held; a larger site's further pages are read again when they are rendered, so
/// memory stops growing with the text at this much.
pub const HELD_TEXT: usize = 64 << 20;

/// What is left of [`HELD_TEXT`] while a site's pages are read, shared by the reading threads.
struct Budget(AtomicUsize);

impl Budget {
    fn new(bytes: usize) -> Budget {
        Budget(AtomicUsize::new(bytes))
    }

    /// How many bytes are left (others may take some meanwhile).
    fn left(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// Take `n` bytes of it, if that many are left.
    fn take(&self, n: usize) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(n)
            })
            .is_ok()
    }
}

/// The start of a page the walk found: up to the end of the line that closes its front matter,
/// nothing when it has none, all of it when it never closes it (which parsing reports). Or the
/// whole page ([`Extent::Whole`]), when it is valid UTF-8 and `budget` has room for it. The
/// first read asks for [`PAGE_READ`] bytes while `budget` has room, else [`HEAD_READ`], then
/// twice as many each time; decoded as [`read_file`] decodes the whole file, so it is that
/// text's beginning.
fn read_head(root: &Path, rel: &str, budget: &Budget) -> Result<TextFile, Error> {
    use std::io::Read;
    let path = root.join(rel);
    let shown = display_path(root, rel);
    let mut file = fs::File::open(&path).map_err(|e| Error::read(&shown, e))?;
    let mut bytes = Vec::new();
    let mut chunk = match budget.left() > 0 {
        true => PAGE_READ,
        false => HEAD_READ,
    } as u64;
    let mut extent = Extent::Head;
    loop {
        // Room for the whole chunk first: into an empty buffer, `read_to_end` probes with
        // 32-byte reads and doubles from there (eight reads for 4 KiB instead of one).
        bytes.reserve(chunk as usize);
        let n = (&mut file)
            .take(chunk)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::read(&shown, e))?;
        let at_end = (n as u64) < chunk;
        // A character cut at the end of the buffer is completed by the next read; a bad byte
        // after the front matter is left for the page's reading, when it is rendered, to report.
        let (valid, bad) = match std::str::from_utf8(&bytes) {
            Ok(t) => (t, false),
            Err(e) => (
                std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
                e.error_len().is_some() || at_end,
            ),
        };
        if at_end && !bad && budget.take(bytes.len()) {
            extent = Extent::Whole;
            break;
        }
        // Read on to the end while the page may still be held whole.
        if !at_end && !bad && bytes.len() < budget.left() {
            chunk = chunk.saturating_mul(2);
            continue;
        }
        if let Some(end) = crate::content::front_matter_end(valid) {
            bytes.truncate(end);
            break;
        }
        // No front matter (and not held): the body is the whole file, read when the page is
        // rendered.
        if crate::content::opens_front_matter(valid) == Some(false) {
            bytes.clear();
            break;
        }
        if at_end {
            break;
        }
        chunk = chunk.saturating_mul(2);
    }
    // Held until the page is rendered: not the kilobytes the reads reserved.
    bytes.shrink_to_fit();
    let text = decode(bytes, &shown, true)?;
    Ok(TextFile {
        rel: rel.to_string(),
        file: shown,
        text,
        extent,
    })
}

/// A page's file read again (at `file`, the path its errors name), as it was read at first.
pub(crate) fn read_page_again(file: &Path) -> Result<String, Error> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(PAGE_READ);
    // Through `take`: `File::read_to_end` asks the size and position first (two system calls).
    fs::File::open(file)
        .and_then(|f| f.take(u64::MAX).read_to_end(&mut bytes))
        .map_err(|e| Error::read(file, e))?;
    decode(bytes, file, true)
}

/// Room for a page read whole: most are a few kilobytes, and a larger one grows the buffer.
/// (`fs::read` asks the file's size first: a system call a page.)
const PAGE_READ: usize = 16 * 1024;

/// A file's bytes as text: UTF-8, and for markdown no NUL.
fn decode(bytes: Vec<u8>, shown: &Path, markdown: bool) -> Result<String, Error> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Valid prefix, so line/col of the first bad byte can be counted on it.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
        let loc = Location::of_offset(shown, prefix, good, 1);
        Error::input(
            Kind::Encoding,
            loc,
            format!("not valid UTF-8 (byte 0x{:02X})", bytes[good]),
        )
        .with_help("save the file as UTF-8")
    })?;
    // CommonMark: U+0000 is replaced by U+FFFD, never copied into the HTML. One character for
    // one, so columns stay right.
    // memchr: `str::contains(char)` went byte by byte through every page.
    let has_nul = memchr::memchr(0, text.as_bytes()).is_some();
    Ok(if markdown && has_nul {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    })
}

/// Files under `root/folder`, relative to it and `/`-separated, handed to `found` in sorted order
/// as the walk finds them. Hidden files and folders (`.git`, editor swap files) are skipped; a
/// missing folder is empty. Symlinks are followed only when they lead inside the site
/// (`real_root`): one leading out of it, nowhere or in a loop is an error naming the link, and so
/// is a special file (FIFO, device, socket), which is never read.
fn walk(
    root: &Path,
    real_root: &Path,
    folder: &str,
    errors: &mut Vec<Error>,
    found: &mut dyn FnMut(String),
) {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return;
    }
    let refused = std::cell::RefCell::new(Vec::new());
    let shown = |p: &Path| -> PathBuf {
        let rel = p
            .strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/");
        display_path(root, &rel)
    };
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_ignored(e.file_name().to_str().unwrap_or("")) {
                return false;
            }
            if e.path_is_symlink() {
                // Checked before walkdir descends into it: a link out of the site is not walked.
                if let Err(err) = check_link(real_root, e.path(), &shown(e.path())) {
                    refused.borrow_mut().push(err);
                    return false;
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&dir).expect("walk stays under dir");
                match rel.to_str() {
                    Some(s) => found(s.replace('\\', "/")),
                    None => errors.push(Error::input(
                        Kind::Encoding,
                        Location::file(shown(e.path())),
                        "file name is not valid UTF-8",
                    )),
                }
            }
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => errors.push(special_file(&shown(e.path()), &e.file_type())),
            Err(e) => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                let at = Location::file(shown(&path));
                let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
                let outside = if is_link {
                    check_link(real_root, &path, &shown(&path)).err()
                } else {
                    None
                };
                errors.push(match e.loop_ancestor() {
                    // A link out of the site that loops back over it: say it leaves the site.
                    Some(_) if outside.is_some() => outside.expect("checked"),
                    Some(ancestor) => Error::input(
                        Kind::Link,
                        at,
                        format!(
                            "symlink loop: this folder leads back to {}",
                            shown(ancestor).display()
                        ),
                    )
                    .with_help("remove the link, or point it somewhere that does not contain it"),
                    // walkdir follows a link before the filter sees it: a dangling or
                    // looping link arrives here.
                    None if fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) => {
                        match check_link(real_root, &path, &shown(&path)) {
                            Err(named) => named,
                            Ok(()) => Error::read(&shown(&path), e.into()),
                        }
                    }
                    None => Error::read(&shown(&path), e.into()),
                });
            }
        }
    }
    errors.extend(refused.into_inner());
}

/// A symlink in the site must lead to something that exists inside the site.
fn check_link(real_root: &Path, link: &Path, shown: &Path) -> Result<(), Error> {
    let target = fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    match link.canonicalize() {
        Ok(real) if real.starts_with(real_root) => Ok(()),
        Ok(real) => Err(Error::input(
            Kind::Link,
            Location::file(shown),
            format!(
                "symlink to `{target}` ({}), which is outside the site",
                real.display()
            ),
        )
        .with_help(
            "a build publishes only files inside the site folder: copy the file in, or remove the link",
        )),
        Err(e) if e.raw_os_error() == Some(40) || e.to_string().contains("symbolic links") => {
            Err(Error::input(
                Kind::Link,
                Location::file(shown),
                format!("symlink to `{target}` is a loop of symlinks"),
            )
            .with_help("remove the link, or point it at a real file"))
        }
        Err(_) => Err(Error::input(
            Kind::Link,
            Location::file(shown),
            format!("symlink to `{target}`, which does not exist"),
        )
        .with_help("remove the dangling link, or restore what it points to")),
    }
}

/// The error for a FIFO, device or socket found in the site.
fn special_file(shown: &Path, kind: &fs::FileType) -> Error {
    Error::input(
        Kind::Encoding,
        Location::file(shown),
        format!(
            "not a regular file ({}); explainer reads only files and folders",
            special_kind(kind)
        ),
    )
    .with_help("move it out of the site folder")
}

#[cfg(unix)]
fn special_kind(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "a special file"
}

/// Names a build never reads: hidden files and editors' temporary files.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::process::Command;

    /// What reading the front matter keeps of a page is the beginning of what reading the whole
    /// page gives, up to the end of the line closing its front matter (all of it when none does),
    /// wherever the reads cut the file.
    #[test]
    fn a_page_head_is_the_beginning_of_the_whole_page() {
        let dir = tempfile::tempdir().unwrap();
        let long_yaml = format!("title: T\nnote: \"{}\"\n", "中".repeat(2000));
        // Its closing `---` across the end of the first read.
        let near_edge = format!("---\nx: \"{}\"\n---", "a".repeat(HEAD_READ - 12));
        // A first line longer than the first read, opening no front matter.
        let long_first_line = format!("{}\nbody\n", "中".repeat(HEAD_READ));
        // (the head, the rest of the file): a file whose front matter does not close is read
        // whole (its head is all of it); one with none has an empty head.
        let cases: Vec<(String, &str)> = vec![
            ("---\ntitle: A\n---\n".into(), "body\n"),
            ("---\r\ntitle: A\r\n---\r\n".into(), "body\r\n"),
            ("\u{feff}---\ntitle: A\n---\n".into(), "body"),
            ("---\ntitle: A\n---".into(), ""),
            ("---\ntitle: A\nnever closed\n".into(), ""),
            (String::new(), "# No front matter\n\ntext\n"),
            (String::new(), "\u{feff}No front matter\n"),
            (String::new(), long_first_line.as_str()),
            ("--- no front matter, one line".into(), ""),
            (String::new(), ""),
            // Front matter longer than a read, a wide character across each read's end.
            (format!("---\n{long_yaml}---\n"), "body\n"),
            // `---` right at the end of the first read, then more dashes: not a closing line.
            (format!("{near_edge}-\n---\n"), "body\n"),
            (format!("{near_edge}\n"), "body\n"),
        ];
        for (i, (head_want, rest)) in cases.iter().enumerate() {
            let rel = format!("content/p{i}.md");
            fs::create_dir_all(dir.path().join("content")).unwrap();
            fs::write(dir.path().join(&rel), format!("{head_want}{rest}")).unwrap();
            let head = read_head(dir.path(), &rel, &Budget::new(0)).unwrap().text;
            let whole = read_walked(dir.path(), &rel).unwrap().text;
            assert!(whole.starts_with(&head), "case {i}");
            assert_eq!(head, *head_want, "case {i}");
        }
    }

    /// A page is held whole when the budget has room for all of it, and then it is what reading
    /// the whole page gives; otherwise (no room left, a bad byte) only its head is kept.
    #[test]
    fn a_page_is_held_whole_while_the_budget_has_room() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let rel = format!("content/{name}.md");
            fs::write(dir.path().join(&rel), bytes).unwrap();
            rel
        };
        let fm = "---\ntitle: A\n---\n";
        // Longer than the first read, with a wide character across its end.
        let long = format!(
            "{fm}{}{}\n",
            "a".repeat(PAGE_READ - fm.len() - 1),
            "中".repeat(9000)
        );
        let cases: Vec<(String, Vec<u8>)> = vec![
            ("small".into(), format!("{fm}body\n").into_bytes()),
            ("none".into(), b"# No front matter\n".to_vec()),
            ("open".into(), b"---\ntitle: A\nnever closed\n".to_vec()),
            ("long".into(), long.into_bytes()),
            ("nul".into(), format!("{fm}a\0b\n").into_bytes()),
            ("empty".into(), Vec::new()),
        ];
        for (name, bytes) in &cases {
            let rel = write(name, bytes);
            let budget = Budget::new(HELD_TEXT);
            let held = read_head(dir.path(), &rel, &budget).unwrap();
            assert_eq!(held.extent, Extent::Whole, "{name}");
            assert_eq!(
                held.text,
                read_walked(dir.path(), &rel).unwrap().text,
                "{name}"
            );
            assert_eq!(budget.left(), HELD_TEXT - bytes.len(), "{name}");
            // One byte short of room: its head only, and nothing taken.
            let budget = Budget::new(bytes.len().saturating_sub(1));
            let head = read_head(dir.path(), &rel, &budget).unwrap();
            let only_head = read_head(dir.path(), &rel, &Budget::new(0)).unwrap();
            if !bytes.is_empty() {
                assert_eq!(head.extent, Extent::Head, "{name}");
                assert_eq!(head.text, only_head.text, "{name}");
                assert_eq!(budget.left(), bytes.len() - 1, "{name}");
            }
        }
        // A bad byte after the front matter, or a character cut by the end of the file: the
        // head, so that rendering the page reports it where it is.
        for (name, tail) in [("bad", &b"ok \xFF\n"[..]), ("cut", &b"ok \xE4\xB8"[..])] {
            let rel = write(name, &[fm.as_bytes(), tail].concat());
            let budget = Budget::new(HELD_TEXT);
            let head = read_head(dir.path(), &rel, &budget).unwrap();
            assert_eq!(
                (head.extent, head.text.as_str()),
                (Extent::Head, fm),
                "{name}"
            );
            assert_eq!(budget.left(), HELD_TEXT, "{name}");
            assert!(read_walked(dir.path(), &rel).is_err());
        }
        // The budget is shared: the first page takes all of it, the next gets its head.
        let (a, b) = (
            write("a", b"---\nx: 1\n---\na\n"),
            write("b", b"---\nx: 2\n---\nb\n"),
        );
        let budget = Budget::new("---\nx: 1\n---\na\n".len());
        assert_eq!(
            read_head(dir.path(), &a, &budget).unwrap().extent,
            Extent::Whole
        );
        let second = read_head(dir.path(), &b, &budget).unwrap();
        assert_eq!(
            (second.extent, second.text.as_str()),
            (Extent::Head, "---\nx: 2\n---\n")
        );
        assert_eq!(budget.left(), 0);
    }

    /// Pages are read in batches while the walk goes on, on any thread: they still come in the
    /// walk's order, each with its own text, however many batches there are.
    #[test]
    fn pages_read_during_the_walk_keep_its_order() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::write(r.join("site.yaml"), "title: T\n").unwrap();
        let mut expected = Vec::new();
        for folder in ["a", "a/deep", "b", "c-d", "c"] {
            fs::create_dir_all(r.join("content").join(folder)).unwrap();
            for n in 0..(crate::FILES_PER_TASK + 7) {
                let rel = format!("{folder}/p{n:03}.md");
                fs::write(
                    r.join("content").join(&rel),
                    format!("---\ntitle: {rel}\n---\n{rel}\n"),
                )
                .unwrap();
                if n % 50 == 0 {
                    fs::write(
                        r.join("content").join(folder).join(format!("i{n}.svg")),
                        "<svg/>",
                    )
                    .unwrap();
                }
                expected.push(rel);
            }
        }
        // The walk's order: by name within each folder, a folder's files and subfolders mixed.
        let walked: Vec<String> = {
            let mut found = Vec::new();
            let real = r.canonicalize().unwrap();
            walk(r, &real, "content", &mut Vec::new(), &mut |rel| {
                if rel.ends_with(".md") {
                    found.push(rel)
                }
            });
            found
        };
        let mut sorted = expected.clone();
        sorted.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
        assert_eq!(walked, sorted);
        for files in [
            SiteFiles::read(r).unwrap(),
            SiteFiles::read_front_matter(r).unwrap(),
        ] {
            let rels: Vec<&str> = files.pages.iter().map(|p| p.rel.as_str()).collect();
            assert_eq!(rels, walked);
            for p in &files.pages {
                assert!(
                    p.text.starts_with(&format!("---\ntitle: {}\n---\n", p.rel)),
                    "{}",
                    p.rel
                );
            }
        }
    }

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

    #[cfg(unix)]
    fn site_with(links: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("site");
        for p in ["content/a.md", "static/s.css", "templates/page.html"] {
            fs::create_dir_all(r.join(p).parent().unwrap()).unwrap();
            fs::write(r.join(p), "x").unwrap();
        }
        fs::write(r.join("site.yaml"), "title: T\n").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        for (link, target) in links {
            std::os::unix::fs::symlink(target, r.join(link)).unwrap();
        }
        (dir, r)
    }

    #[cfg(unix)]
    fn messages(r: &Path) -> Vec<String> {
        let e = SiteFiles::read(r).unwrap_err();
        let prefix = format!("{}/", r.display());
        e.flatten()
            .iter()
            .map(|e| e.to_string().replace(&prefix, ""))
            .collect()
    }

    /// The walk followed symlinks out of the site: `static/passwd.txt -> /etc/passwd` was
    /// published.
    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_site_are_refused() {
        let (_d, r) = site_with(&[
            ("static/passwd.txt", "/etc/passwd"),
            ("content/env.md", "../../secret.txt"),
            ("templates/up", "../.."),
            ("content/inside.md", "a.md"),
        ]);
        let m = messages(&r);
        assert_eq!(m.len(), 3, "{m:#?}");
        assert!(
            m[0].starts_with("content/env.md: link error: symlink to `../../secret.txt` ("),
            "{m:#?}"
        );
        assert!(m[0].contains("outside the site\n  help: a build publishes only files inside"));
        assert!(
            m[1].starts_with("static/passwd.txt: link error: symlink to `/etc/passwd`"),
            "{m:#?}"
        );
        assert!(m[2].starts_with("templates/up: link error"), "{m:#?}");
        // A link inside the site keeps working.
        for (link, _) in [
            ("static/passwd.txt", ""),
            ("content/env.md", ""),
            ("templates/up", ""),
        ] {
            fs::remove_file(r.join(link)).unwrap();
        }
        let f = SiteFiles::read(&r).unwrap();
        assert_eq!(f.pages.len(), 2);
        assert_eq!(f.pages[1].text, "x");
        // Read one by one (serve), the same rule holds.
        std::os::unix::fs::symlink("../../secret.txt", r.join("content/late.md")).unwrap();
        let e = read_text(&r, "content/late.md").unwrap_err();
        assert!(e.to_string().contains("outside the site"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn loops_dangling_links_and_fifos_are_named() {
        let (_d, r) = site_with(&[
            ("content/loop", "."),
            ("content/gone.md", "nowhere.md"),
            ("static/self", "self"),
        ]);
        let fifo = r.join("static/pipe");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success(),
            "mkfifo"
        );
        let m = messages(&r);
        assert!(
            m.iter().any(|e| e.starts_with(
                "content/gone.md: link error: symlink to `nowhere.md`, which does not exist"
            )),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|e| e.starts_with("content/loop: link error: symlink loop")),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|e| e.starts_with("static/self: link error: symlink to `self` is a loop")),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|e| e
                    .starts_with("static/pipe: encoding error: not a regular file (a named pipe)")),
            "{m:#?}"
        );
        // Read directly, a FIFO is refused at once rather than blocking.
        let e = read_text(&r, "static/pipe").unwrap_err();
        assert!(e.to_string().contains("named pipe"), "{e}");
    }
}
