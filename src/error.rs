//! The one error type at the library boundary.
//!
//! Every error caused by the author's input names the file and, where known, the line and column
//! in the file's own coordinates (front-matter offsets already added), and says what to fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file. `line` and `col` are 1-based; `col` counts characters, as an
/// editor shows them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub col: Option<usize>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
            col: None,
        }
    }

    pub fn at(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            col: Some(col),
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
        Location::at(path, line + first_line - 1, col)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
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

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What part of the input an error is about; lets callers and tests tell errors apart without
/// matching on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Config,
    FrontMatter,
    Yaml,
    Data,
    Markdown,
    Shortcode,
    Link,
    Chart,
    Template,
    Encoding,
    Conflict,
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
            Kind::Chart => "chart",
            Kind::Template => "template",
            Kind::Encoding => "encoding",
            Kind::Conflict => "output conflict",
        };
        f.write_str(s)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input from the author: a file, a position, what is wrong and how to fix it.
    #[error("{at}: {kind} error: {message}{}", help_suffix(.help))]
    Input {
        kind: Kind,
        at: Location,
        message: String,
        help: Option<String>,
    },
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output directory we will not build into, because the swap would destroy something.
    #[error("refusing to build into {}: {why}", .path.display())]
    UnsafeOutput { path: PathBuf, why: String },
    /// Several errors found in one build, sorted by file and position.
    #[error("{}", list_errors(.0))]
    Many(Vec<Error>),
}

fn help_suffix(help: &Option<String>) -> String {
    match help {
        Some(h) => format!("\n  help: {h}"),
        None => String::new(),
    }
}

fn list_errors(errors: &[Error]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&e.to_string());
    }
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors are reported more than once (a broken page is listed again when the rest of the site
/// has rendered); `io::Error` is not `Clone`, so its kind and message are carried over.
impl Clone for Error {
    fn clone(&self) -> Self {
        let io = |e: &std::io::Error| std::io::Error::new(e.kind(), e.to_string());
        match self {
            Error::Input {
                kind,
                at,
                message,
                help,
            } => Error::Input {
                kind: *kind,
                at: at.clone(),
                message: message.clone(),
                help: help.clone(),
            },
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
            Error::Many(v) => Error::Many(v.clone()),
        }
    }
}

impl Error {
    pub fn input(kind: Kind, at: Location, message: impl Into<String>) -> Self {
        Error::Input {
            kind,
            at,
            message: message.into(),
            help: None,
        }
    }

    /// Attach a hint that says what to do. No-op on variants without a help slot.
    pub fn with_help(mut self, text: impl Into<String>) -> Self {
        if let Error::Input { help, .. } = &mut self {
            *help = Some(text.into());
        }
        self
    }

    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Collapse a list of errors: none is `Ok`, one is itself, more become `Many` (flattened and
    /// sorted by location so the report reads top to bottom, file by file).
    pub fn collect(errors: Vec<Error>) -> Result<()> {
        let mut flat = Vec::new();
        for e in errors {
            match e {
                Error::Many(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        flat.sort_by_key(|a| a.sort_key());
        // One cause, one report: a template error met while rendering several pages is the
        // same error (its help names the first page).
        flat.dedup_by(|later, first| match (&*later, &*first) {
            (
                Error::Input {
                    kind: k1,
                    at: a1,
                    message: m1,
                    ..
                },
                Error::Input {
                    kind: k2,
                    at: a2,
                    message: m2,
                    ..
                },
            ) => k1 == k2 && a1 == a2 && m1 == m2,
            (a, b) => a.to_string() == b.to_string(),
        });
        match flat.len() {
            0 => Ok(()),
            1 => Err(flat.pop().unwrap()),
            _ => Err(Error::Many(flat)),
        }
    }

    fn sort_key(&self) -> (Option<Location>, String) {
        let loc = match self {
            Error::Input { at, .. } => Some(at.clone()),
            _ => None,
        };
        (loc, self.to_string())
    }

    /// All individual errors, for reporting and tests.
    pub fn flatten(&self) -> Vec<&Error> {
        match self {
            Error::Many(v) => v.iter().flat_map(|e| e.flatten()).collect(),
            e => vec![e],
        }
    }

    /// The error's kind and location when it is about the author's input.
    pub fn location(&self) -> Option<(&Kind, &Location)> {
        match self {
            Error::Input { kind, at, .. } => Some((kind, at)),
            _ => None,
        }
    }
}

/// "did you mean `x`?" for a misspelled name, if one candidate is close enough.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    // Edit distance with transpositions: `wieght` and `nty` are one edit from `weight` and `nyt`.
    let limit = (given.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
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
    }

    #[test]
    fn collect_sorts_and_flattens() {
        let a = Error::input(Kind::Link, Location::at("b.md", 2, 1), "x");
        let b = Error::input(Kind::Link, Location::at("a.md", 9, 1), "y");
        let err = Error::collect(vec![a, Error::Many(vec![b])]).unwrap_err();
        let paths: Vec<_> = err
            .flatten()
            .iter()
            .map(|e| e.location().unwrap().1.path.clone())
            .collect();
        assert_eq!(paths, vec![PathBuf::from("a.md"), PathBuf::from("b.md")]);
        assert!(Error::collect(vec![]).is_ok());
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            did_you_mean("wieght", ["title", "weight"]).as_deref(),
            Some("did you mean `weight`?")
        );
        assert_eq!(did_you_mean("zzz", ["title", "weight"]), None);
    }
}
