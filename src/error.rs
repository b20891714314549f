//! What goes wrong, in two types: a [`Diagnostic`] is one problem in the author's input (an
//! error or a warning, at a file and, where known, a line and column in the file's own
//! coordinates, with what to do about it); an [`Error`] is why a library call failed: I/O, an
//! output folder we refuse to replace, or a non-empty list of diagnostics.
//!
//! Diagnostics are ordered and de-duplicated in one place, [`sort_diagnostics`]: causes before
//! their consequences (the stage that found a problem decides: configuration and data before
//! pages, pages before the links between them), then by file and position, so a report reads
//! top to bottom.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a source file: the file, and optionally a 1-based line and, on that line, a
/// 1-based column counting characters as an editor shows them. There is no column without a
/// line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as the author would open it (relative to where the command ran, when it can).
    pub path: PathBuf,
    pos: Option<(usize, Option<usize>)>,
}

impl Location {
    /// The whole file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            pos: None,
        }
    }

    /// A line and column of the file.
    pub fn at(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Location {
            path: path.into(),
            pos: Some((line, Some(col))),
        }
    }

    /// A whole line of the file.
    pub fn line_of(path: impl Into<PathBuf>, line: usize) -> Self {
        Location {
            path: path.into(),
            pos: Some((line, None)),
        }
    }

    /// The location of byte `offset` in `text`, where `text` starts at `first_line` of the file.
    pub fn of_offset(
        path: impl Into<PathBuf>,
        text: &str,
        offset: usize,
        first_line: usize,
    ) -> Self {
        let (line, col) = line_col(text, offset);
        Location::at(path, line.saturating_add(first_line).saturating_sub(1), col)
    }

    /// The 1-based line, if known.
    pub fn line(&self) -> Option<usize> {
        self.pos.map(|(line, _)| line)
    }

    /// The 1-based column, if known (never without a line).
    pub fn col(&self) -> Option<usize> {
        self.pos.and_then(|(_, col)| col)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, col)) = self.pos {
            write!(f, ":{line}")?;
            if let Some(col) = col {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Lines and columns of many byte offsets in one text. The line starts are found once; a column
/// is counted from the previous answer when that is earlier on the same line. Offsets asked in
/// ascending order cost time linear in the text: counting each from the start made a page with
/// 20,000 links take 27 s to check.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of every line's first character.
    starts: Vec<usize>,
    /// The previous answer: (offset, line, column).
    last: (usize, usize, usize),
    /// Bytes read so far, for tests that count work.
    #[cfg_attr(not(test), allow(dead_code))]
    scanned: usize,
}

impl<'a> LineIndex<'a> {
    /// Index the lines of `text`.
    pub fn new(text: &'a str) -> Self {
        // memchr: `match_indices('\n')` went byte by byte (15,000 instructions a page).
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            last: (0, 1, 1),
            scanned: text.len(),
        }
    }

    /// 1-based line and character column of byte `offset`, as [`line_col`] gives them.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let index = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.starts.get(index).copied().unwrap_or(0);
        let (last_offset, last_line, last_col) = self.last;
        let (from, col) = if last_line == index + 1 && (line_start..=offset).contains(&last_offset)
        {
            (last_offset, last_col)
        } else {
            (line_start, 1)
        };
        let between = self.text.get(from..offset).unwrap_or("");
        self.scanned += between.len();
        let col = col + between.chars().count();
        self.last = (offset, index + 1, col);
        (index + 1, col)
    }

    /// Bytes read so far (the index itself reads the text once).
    #[cfg(test)]
    pub fn scanned(&self) -> usize {
        self.scanned
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What part of the input a diagnostic is about; lets callers and tests tell diagnostics apart
/// without matching on message text. Declared in the order of the stages that find them, which
/// is the order of a report: a cause comes before what it breaks further on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A file that cannot be decoded (not UTF-8).
    Encoding,
    /// `site.yaml`.
    Config,
    /// YAML syntax in a data file.
    Yaml,
    /// The meaning of a data file (figures, sources).
    Data,
    /// `charts.yaml`.
    Chart,
    /// A page's front matter.
    FrontMatter,
    /// A template: syntax, a missing template, an error while rendering.
    Template,
    /// A page's markdown.
    Markdown,
    /// A shortcode call.
    Shortcode,
    /// A LaTeX formula in a page's markdown (`markdown: {math: true}`).
    Math,
    /// Two sources writing one output file.
    Conflict,
    /// A link, anchor or image that leads nowhere.
    Link,
    /// An id used more than once on a page.
    Id,
    /// Something nothing uses: a page no page links to, a chart, figure or data file.
    Unused,
    /// A page not (yet) translated into one of the site's languages.
    Translation,
    /// The output folder itself: leftovers of an interrupted build, an old output not removed.
    Output,
    /// A bug in explainer (a panic caught at a boundary), reported at the file being processed.
    Internal,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Kind::Config => "config",
            Kind::FrontMatter => "front matter",
            Kind::Yaml => "YAML",
            Kind::Data => "data",
            Kind::Markdown => "markdown",
            Kind::Shortcode => "shortcode",
            Kind::Link => "link",
            Kind::Translation => "translation",
            Kind::Chart => "chart",
            Kind::Template => "template",
            Kind::Math => "math",
            Kind::Encoding => "encoding",
            Kind::Conflict => "output conflict",
            Kind::Id => "duplicate id",
            Kind::Unused => "unused",
            Kind::Output => "output",
            Kind::Internal => "internal",
        };
        f.write_str(s)
    }
}

/// Whether a diagnostic stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build fails; nothing is written.
    Error,
    /// Worth knowing; the build goes on.
    Warning,
    /// Information, nothing to fix (pages not yet translated).
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One problem in the author's input: how bad, what about, where, what is wrong, what to do.
///
/// Displays as `content/a.md:3:1: front matter error: unknown key `wieght``, with the help on a
/// second line (`  help: did you mean `weight`?`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What part of the input it is about.
    pub kind: Kind,
    /// Where.
    pub at: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

/// The most characters of one `quoted` piece of the author's text a message shows.
const QUOTE_MAX: usize = 80;
/// The most characters a message or help line shows.
const MESSAGE_MAX: usize = 2000;

/// `text` for a terminal: every `quoted` piece longer than [`QUOTE_MAX`] characters cut to its
/// start and an ellipsis (a 5 MB shortcode argument is not echoed whole), and the whole kept
/// within [`MESSAGE_MAX`] characters. Cuts fall between characters, never inside one.
pub fn clip(text: String) -> String {
    if text.len() <= QUOTE_MAX {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(MESSAGE_MAX * 4));
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        match part.char_indices().nth(QUOTE_MAX) {
            Some((cut, _)) if i % 2 == 1 => {
                out.push_str(&part[..cut]);
                out.push('…');
            }
            _ => out.push_str(part),
        }
    }
    match out.char_indices().nth(MESSAGE_MAX) {
        Some((cut, _)) => {
            out.truncate(cut);
            out.push('…');
            out
        }
        None => out,
    }
}

impl Diagnostic {
    /// An error. Long quotes of the author's text in `message` are shortened (by `clip`).
    pub fn error(kind: Kind, at: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            at,
            message: clip(message.into()),
            help: None,
        }
    }

    /// A warning.
    pub fn warning(kind: Kind, at: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, at, message)
        }
    }

    /// Information: nothing to fix.
    pub fn info(kind: Kind, at: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::error(kind, at, message)
        }
    }

    /// The same, with a hint that says what to do.
    pub fn with_help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(clip(text.into()));
        self
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}: {}",
            self.at, self.kind, self.severity, self.message
        )?;
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

/// Order diagnostics as reports show them (errors first; then causes before consequences, by
/// [`Kind`]; then by file and position) and drop repeats: one cause met several times (a
/// template error on every page that uses the template) is one diagnostic, with the help of
/// its first report.
pub fn sort_diagnostics(list: &mut Vec<Diagnostic>) {
    list.sort_by(|a, b| {
        (a.severity, a.kind, &a.at, &a.message, &a.help)
            .cmp(&(b.severity, b.kind, &b.at, &b.message, &b.help))
    });
    list.dedup_by(|later, first| {
        later.severity == first.severity
            && later.kind == first.kind
            && later.at == first.at
            && later.message == first.message
    });
}

/// A non-empty list of diagnostics, in report order: errors first, then causes before
/// consequences (in [`Kind`] order), then by place; repeats dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// `None` for an empty list.
    pub fn new(mut list: Vec<Diagnostic>) -> Option<Diagnostics> {
        sort_diagnostics(&mut list);
        (!list.is_empty()).then_some(Diagnostics(list))
    }

    /// The diagnostics, in report order.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.0
    }

    /// The diagnostics, in report order.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Why a library call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Problems in the author's input, every one found (at least one).
    #[error("{0}")]
    Input(Diagnostics),
    /// A file or folder that could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file or folder that could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output directory we will not build into, because the swap would destroy something.
    #[error("refusing to build into {}: {why}", .path.display())]
    UnsafeOutput {
        /// The folder.
        path: PathBuf,
        /// What replacing it would destroy.
        why: String,
    },
    /// Any other failure of the system: an address to listen on, a folder to watch.
    #[error("cannot {doing}: {source}")]
    Io {
        /// What we tried (`listen on 127.0.0.1:1111`).
        doing: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// The result of a library call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors are reported more than once (a broken page is listed again when the rest of the site
/// has rendered); `io::Error` is not `Clone`, so its kind and message are carried over.
impl Clone for Error {
    fn clone(&self) -> Self {
        let io = |e: &std::io::Error| std::io::Error::new(e.kind(), e.to_string());
        match self {
            Error::Input(d) => Error::Input(d.clone()),
            Error::Read { path, source } => Error::Read {
                path: path.clone(),
                source: io(source),
            },
            Error::Write { path, source } => Error::Write {
                path: path.clone(),
                source: io(source),
            },
            Error::UnsafeOutput { path, why } => Error::UnsafeOutput {
                path: path.clone(),
                why: why.clone(),
            },
            Error::Io { doing, source } => Error::Io {
                doing: doing.clone(),
                source: io(source),
            },
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(Diagnostics(vec![d]))
    }
}

impl Error {
    /// One error in the author's input (a [`Diagnostic`] of severity error).
    pub fn input(kind: Kind, at: Location, message: impl Into<String>) -> Self {
        Diagnostic::error(kind, at, message).into()
    }

    /// Attach a hint that says what to do, to every diagnostic that has none. No-op on other
    /// errors.
    pub fn with_help(mut self, text: impl Into<String>) -> Self {
        self.add_help(text);
        self
    }

    /// [`Error::with_help`] in place.
    pub fn add_help(&mut self, text: impl Into<String>) {
        if let Error::Input(Diagnostics(list)) = self {
            let text = clip(text.into());
            for d in list.iter_mut().filter(|d| d.help.is_none()) {
                d.help = Some(text.clone());
            }
        }
    }

    /// Failure to read `path`.
    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Failure to write `path`.
    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Collapse a list of errors: none is `Ok`. Diagnostics are merged into one list, in
    /// report order; any other error (I/O: the cause of whatever else went wrong) wins.
    pub fn collect(errors: Vec<Error>) -> Result<()> {
        let mut list = Vec::new();
        for e in errors {
            match e {
                Error::Input(d) => list.extend(d.0),
                other => return Err(other),
            }
        }
        match Diagnostics::new(list) {
            None => Ok(()),
            Some(d) => Err(Error::Input(d)),
        }
    }

    /// Every value of `results`, in order, or every error among them as one (with `earlier`,
    /// errors found before these results were made).
    pub fn all_ok<T>(
        results: impl IntoIterator<Item = Result<T>>,
        earlier: Vec<Error>,
    ) -> Result<Vec<T>> {
        let mut values = Vec::new();
        let mut errors = earlier;
        for r in results {
            match r {
                Ok(v) => values.push(v),
                Err(e) => errors.push(e),
            }
        }
        Error::collect(errors)?;
        Ok(values)
    }

    /// An error made of `list` (only its errors count), or `Ok` if it has none.
    pub fn from_diagnostics(list: impl IntoIterator<Item = Diagnostic>) -> Result<()> {
        let errors: Vec<Diagnostic> = list.into_iter().filter(Diagnostic::is_error).collect();
        Diagnostics::new(errors).map_or(Ok(()), |d| Err(Error::Input(d)))
    }

    /// The diagnostics of an input error, in report order; empty for other errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Input(d) => d.as_slice(),
            _ => &[],
        }
    }

    /// Every problem, one each, for printing: the diagnostics of an input error, or the error
    /// itself.
    pub fn flatten(&self) -> Vec<&dyn fmt::Display> {
        match self {
            Error::Input(d) => d.0.iter().map(|d| d as &dyn fmt::Display).collect(),
            other => vec![other as &dyn fmt::Display],
        }
    }

    /// The kind and place of the first diagnostic, for an input error.
    pub fn location(&self) -> Option<(&Kind, &Location)> {
        self.diagnostics().first().map(|d| (&d.kind, &d.at))
    }
}

/// An id that names nothing: what kind of thing it should name, the id, and a hint (a close
/// match, or where such things are defined). Shortcodes report it at the argument; template
/// functions as their error message.
#[derive(Debug, Clone)]
pub(crate) struct Unknown {
    what: &'static str,
    id: String,
    hint: String,
}

impl Unknown {
    /// `id` is not one of `known` things of kind `what`, which are defined in `defined_in`.
    pub fn new<'a>(
        what: &'static str,
        id: &str,
        known: impl IntoIterator<Item = &'a str>,
        defined_in: &str,
    ) -> Unknown {
        let hint = did_you_mean(id, known)
            .unwrap_or_else(|| format!("{what}s are defined in {defined_in}"));
        Unknown {
            what,
            id: id.to_string(),
            hint,
        }
    }

    /// The hint alone.
    pub fn hint(&self) -> &str {
        &self.hint
    }

    /// As an error of `kind` at `at`, the hint as its help.
    pub fn at(self, kind: Kind, at: Location) -> Error {
        Error::input(kind, at, format!("unknown {} `{}`", self.what, self.id)).with_help(self.hint)
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} `{}`; {}", self.what, self.id, self.hint)
    }
}

/// Names longer than this (in characters) get no "did you mean".
const SUGGEST_MAX: usize = 256;

/// "did you mean `x`?" for a misspelled name, if one candidate is close enough.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    // Edit distance with transpositions: `wieght` and `nty` are one edit from `weight` and `nyt`.
    // It costs the product of the lengths: a name longer than any a site uses is no typo (a
    // 5 MB link took minutes), and the length difference alone can rule a candidate out.
    let len = given.chars().count();
    if len > SUGGEST_MAX {
        return None;
    }
    let limit = (len / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let c_len = c.chars().count();
        if c_len > SUGGEST_MAX || c_len.abs_diff(len) > limit {
            continue;
        }
        let d = strsim::damerau_levenshtein(given, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 5 MB argument (of 3-byte characters) is shown by its first 80 characters; the rest of
    /// the message is kept.
    #[test]
    fn long_quotes_are_cut_between_characters() {
        let huge = "中".repeat(2_000_000);
        let e = Error::input(
            Kind::Shortcode,
            Location::at("p.md", 4, 11),
            format!("unknown figure `{huge}`"),
        )
        .with_help(format!("did you mean `{huge}`?"));
        let shown = e.to_string();
        let quote = format!("`{}…`", "中".repeat(80));
        assert_eq!(
            shown,
            format!(
                "p.md:4:11: shortcode error: unknown figure {quote}\n  help: did you mean {quote}?"
            )
        );
        // Text outside quotes is capped as a whole; short messages are untouched.
        let plain = clip("é".repeat(5000));
        assert_eq!(plain.chars().count(), 2001);
        assert!(plain.ends_with("é…"));
        assert_eq!(clip("`a` b `c`".to_string()), "`a` b `c`");
    }

    /// The work of locating 20,000 links written on one line, in order: linear in the text
    /// (it was 20,000 scans from the start of the page, quadratic).
    #[test]
    fn line_index_locates_many_offsets_in_linear_work() {
        let link = "[中](a.md) ";
        let text = format!("# T\n\n{}\nend", link.repeat(20_000));
        let offsets: Vec<usize> = text.match_indices("](").map(|(i, _)| i).collect();
        let mut index = LineIndex::new(&text);
        for (n, &o) in offsets.iter().enumerate() {
            let got = index.line_col(o);
            if n % 997 == 0 {
                assert_eq!(got, line_col(&text, o), "offset {o}");
            }
        }
        assert!(
            index.scanned() <= 2 * text.len(),
            "{} bytes read",
            index.scanned()
        );
        // Out of order and past the end, the answers stay right.
        for o in [text.len() + 5, 0, 4, 7, 5, text.len() - 1, 6] {
            assert_eq!(index.line_col(o), line_col(&text, o), "offset {o}");
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\n中文x\nz";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'x' is after two 3-byte characters: byte 9, column 3.
        assert_eq!(line_col(text, 9), (2, 3));
        assert_eq!(line_col(text, text.len()), (3, 2));
    }

    #[test]
    fn display_names_file_line_col_and_help() {
        let e = Error::input(
            Kind::FrontMatter,
            Location::at("content/a.md", 3, 1),
            "unknown key `wieght`",
        )
        .with_help("did you mean `weight`?");
        assert_eq!(
            e.to_string(),
            "content/a.md:3:1: front matter error: unknown key `wieght`\n  help: did you mean `weight`?"
        );
        let w = Diagnostic::warning(Kind::Unused, Location::file("a.md"), "no page links here");
        assert_eq!(w.to_string(), "a.md: unused warning: no page links here");
        assert_eq!(Location::line_of("a.md", 4).to_string(), "a.md:4");
        assert_eq!(Location::line_of("a.md", 4).col(), None);
    }

    #[test]
    fn collect_sorts_causes_first_and_drops_repeats() {
        let link = Error::input(Kind::Link, Location::at("a.md", 2, 1), "x");
        let b = Error::input(Kind::FrontMatter, Location::at("b.md", 9, 1), "y");
        let a = Error::input(Kind::FrontMatter, Location::at("a.md", 9, 1), "y");
        let t1 = Error::input(Kind::Template, Location::at("t.html", 1, 1), "z").with_help("p1");
        let t2 = Error::input(Kind::Template, Location::at("t.html", 1, 1), "z").with_help("p2");
        let err = Error::collect(vec![link, t2, b, a, t1]).unwrap_err();
        let order: Vec<String> = err
            .diagnostics()
            .iter()
            .map(|d| format!("{} {:?}", d.at, d.help))
            .collect();
        assert_eq!(
            order,
            [
                "a.md:9:1 None",
                "b.md:9:1 None",
                "t.html:1:1 Some(\"p1\")",
                "a.md:2:1 None"
            ]
        );
        assert!(Error::collect(vec![]).is_ok());
        let io = Error::read(Path::new("x"), std::io::Error::other("gone"));
        let e = Error::collect(vec![Error::input(Kind::Link, Location::file("a"), "x"), io]);
        assert!(matches!(e, Err(Error::Read { .. })));
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            did_you_mean("wieght", ["title", "weight"]).as_deref(),
            Some("did you mean `weight`?")
        );
        assert_eq!(did_you_mean("zzz", ["title", "weight"]), None);
        // Over 256 characters is no typo: not compared at all (a 5 MB link took minutes).
        let long = "a".repeat(300);
        assert_eq!(did_you_mean(&format!("{long}b"), [long.as_str()]), None);
    }
}
