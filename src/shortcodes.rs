//! Shortcodes in markdown, as in Zola: `{{ name(key="value", n=3, flag=true) }}` and the block
//! form `{% name(...) %}body{% end %}`. A small hand-written scanner, so every error can point at
//! the exact line and column. Shortcodes inside code spans and code blocks stay literal. A
//! backslash before the braces makes one literal: `\{{ name() }}` prints `{{ name() }}`, in
//! text, raw HTML, autolinks and code alike (as in mdBook); so does Zola's `{{/* name() */}}`.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde::Serialize;

use crate::error::{Error, Kind, Location};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Arg>),
}

/// One shortcode call. Offsets are byte offsets into the file's full text.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, Arg)>,
    /// Where the call starts (`{{` or `{%`), and where it ends (after `}}` or `{% end %}`).
    pub span: Range<usize>,
    /// The body of a block call, between its opening tag and `{% end %}`.
    pub body: Option<Range<usize>>,
    /// Where each argument's value starts, for errors about one argument.
    pub arg_offsets: Vec<usize>,
}

impl Call {
    pub fn arg(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Offset of the value of `key`, or of the call itself.
    pub fn arg_offset(&self, key: &str) -> usize {
        self.args
            .iter()
            .position(|(k, _)| k == key)
            .map_or(self.span.start, |i| self.arg_offsets[i])
    }
}

/// A piece of markdown with its shortcodes cut out and replaced by placeholders.
#[derive(Debug)]
pub struct Expanded<'a> {
    /// The markdown with each call replaced by its placeholder (see [`Marker`]); the page's own
    /// text when it calls nothing.
    pub text: Cow<'a, str>,
    pub calls: Vec<Call>,
    pub marker: Marker,
    /// (offset in `text`, offset in the file) at each point where the two drift apart, so a
    /// position the markdown parser reports maps back to the file.
    shifts: Vec<(usize, usize)>,
    /// Offset in the file of `text[0]`.
    base: usize,
}

/// How deep block shortcodes and argument lists may nest. Each level of a block is rendered by a
/// recursive call, and each `[` by a recursive parse: without a limit, a page can overflow the
/// stack.
pub const MAX_NESTING: usize = 32;
/// A file with this many malformed calls stops being scanned (each failed call may scan to the end
/// of the file, so thousands of them would take quadratic time).
const MAX_ERRORS: usize = 100;
/// Longest piece of the author's text quoted back in a message.
const QUOTE_MAX: usize = 60;

/// The placeholder of call `n` is `{tag}{n}{tag}`: ASCII letters and digits, which markdown
/// passes through untouched in text, headings, link titles and raw HTML alike, with a tag that
/// does not occur in the text it is used in (so an author's text is never taken for one).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    tag: String,
}

const TAG: &str = "XshortcodeX";

impl Marker {
    /// A marker whose tag does not occur in `text`: `XshortcodeX` followed by more `q`s than
    /// any occurrence of it in `text` has.
    pub fn for_text(text: &str) -> Marker {
        let longest = text
            .match_indices(TAG)
            .map(|(i, _)| {
                text[i + TAG.len()..]
                    .bytes()
                    .take_while(|&b| b == b'q')
                    .count()
                    + 1
            })
            .max()
            .unwrap_or(0);
        Marker {
            tag: format!("{TAG}{}", "q".repeat(longest)),
        }
    }

    /// The marker of a text that calls nothing: it has no placeholders to tell apart from the
    /// author's text, so none is ever found (and the text is not searched for a free tag).
    fn none() -> Marker {
        Marker { tag: String::new() }
    }

    /// The placeholder of call `n`.
    pub fn of(&self, n: usize) -> String {
        format!("{}{n}{}", self.tag, self.tag)
    }

    /// The first placeholder in `s`: (its byte range, the call's index).
    pub fn find(&self, s: &str) -> Option<(Range<usize>, usize)> {
        if self.tag.is_empty() {
            return None;
        }
        let mut from = 0;
        while let Some(i) = s.get(from..)?.find(&self.tag) {
            let start = from + i;
            let digits_at = start + self.tag.len();
            let rest = &s[digits_at..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0
                && rest[digits..].starts_with(&self.tag)
                && let Ok(n) = rest[..digits].parse::<usize>()
            {
                return Some((start..digits_at + digits + self.tag.len(), n));
            }
            from = digits_at;
        }
        None
    }

    /// `s` without its placeholders (for heading ids and titles).
    pub fn strip(&self, s: &str) -> String {
        if self.tag.is_empty() {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some((r, _)) = self.find(rest) {
            out.push_str(&rest[..r.start]);
            rest = &rest[r.end..];
        }
        out.push_str(rest);
        out
    }
}

impl Expanded<'_> {
    /// Map an offset in `text` to an offset in the file.
    pub fn file_offset(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|(t, _)| *t <= at);
        match i {
            0 => self.base + at,
            _ => {
                let (t, f) = self.shifts[i - 1];
                f + (at - t)
            }
        }
    }
}

/// The source a scan works on: the whole file, for positions, and the path errors name.
#[derive(Clone, Copy)]
pub struct SourceText<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl SourceText<'_> {
    pub fn loc(&self, offset: usize) -> Location {
        Location::of_offset(self.path, self.text, offset, 1)
    }

    fn err(&self, offset: usize, msg: impl Into<String>) -> Error {
        Error::input(Kind::Shortcode, self.loc(offset), msg)
    }
}

/// Byte ranges of code spans and code blocks in `text`, where shortcodes are not expanded.
/// Only the text up to the blank line after its last `{{` or `{%` is parsed: what comes later
/// cannot change what is code before that line (a blank line ends every paragraph, so every
/// code span; a fence left open there runs to the end, as it does in the whole text, past every
/// call). The ranges are right up to that line, which is all [`expand`] asks of them.
fn code_ranges(text: &str, last_call: usize) -> Vec<Range<usize>> {
    code_in(&text[..parse_up_to(text, last_call)])
}

/// Byte ranges of code spans and code blocks in the whole of `text`.
fn code_in(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if !may_hold_code(text) {
        // No parse of the whole page to find none (it doubled the markdown work of each page
        // calling a shortcode).
        return out;
    }
    let parser = Parser::new_ext(text, Options::empty()).into_offset_iter();
    let mut depth = 0;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    out.push(range);
                }
                depth += 1;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => depth -= 1,
            Event::Code(_) if depth == 0 => out.push(range),
            _ => {}
        }
    }
    out
}

/// Whether `text` may hold a code span or block: a backtick or a tilde (spans and fences), or
/// a tab or four spaces in a row, which any indented block needs after whatever list markers and
/// `>` contain it (prose with four spaces in a row only costs the parse this saves).
fn may_hold_code(text: &str) -> bool {
    memchr::memchr3(b'`', b'~', b'\t', text.as_bytes()).is_some()
        || memchr::memmem::find(text.as_bytes(), b"    ").is_some()
}

/// Where [`code_ranges`] may stop parsing: after the first blank line (spaces and tabs at most)
/// that follows the last `{{` or `{%` (at `last`), else the end.
fn parse_up_to(text: &str, last: usize) -> usize {
    let bytes = text.as_bytes();
    let mut line = match bytes.get(last..).and_then(|b| memchr::memchr(b'\n', b)) {
        Some(k) => last + k + 1,
        None => return bytes.len(),
    };
    while line < bytes.len() {
        let next = memchr::memchr(b'\n', &bytes[line..]).map_or(bytes.len(), |k| line + k + 1);
        if bytes[line..next]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            return next;
        }
        line = next;
    }
    bytes.len()
}

/// Where the last `{{` or `{%` of `text` is: a call, an escaped one, or a literal.
fn last_call(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    // memchr: `str::find(char)` went byte by byte through every page.
    while let Some(k) = memchr::memrchr(b'{', &bytes[..end]) {
        if matches!(bytes.get(k + 1), Some(b'{' | b'%')) {
            return Some(k);
        }
        end = k;
    }
    None
}

/// Cut the shortcodes out of `src.text[range]`. Errors for every malformed call are returned.
pub fn expand<'a>(src: SourceText<'a>, range: Range<usize>) -> Result<Expanded<'a>, Error> {
    let slice = &src.text[range.clone()];
    let base = range.start;
    // Most pages call no shortcode: nothing to cut out or copy, and no parse to find code spans.
    let Some(last_call) = last_call(slice) else {
        return Ok(Expanded {
            text: Cow::Borrowed(slice),
            calls: Vec::new(),
            marker: Marker::none(),
            shifts: Vec::new(),
            base,
        });
    };
    let code = code_ranges(slice, last_call);
    let mut out = Expanded {
        text: Cow::Owned(String::with_capacity(slice.len())),
        calls: Vec::new(),
        marker: Marker::for_text(slice),
        shifts: Vec::new(),
        base,
    };
    let mut errors = Vec::new();
    let mut copied = 0; // offset in slice up to which text has been copied
    let mut i = 0;
    let bytes = slice.as_bytes();
    let mut code_iter = code.iter().peekable();
    let mut next_brace = 0;
    while i + 1 < bytes.len() {
        if errors.len() >= MAX_ERRORS {
            errors.push(src.err(
                base + i,
                format!("{MAX_ERRORS} malformed shortcodes before this point; the rest of the file was not scanned"),
            ));
            break;
        }
        while let Some(r) = code_iter.peek() {
            if r.end <= i {
                code_iter.next();
            } else {
                break;
            }
        }
        if let Some(r) = code_iter.peek()
            && r.start <= i
        {
            // Code is never expanded, but `\{{` prints `{{` there too (as in mdBook, whose
            // books escape `\{{#include}}` in code blocks).
            let end = r.end.min(slice.len());
            let mut j = i;
            while let Some(k) = slice.get(j..end).and_then(|c| c.find("\\{")) {
                let at = j + k + 1; // the `{`
                let brace = matches!(bytes.get(at + 1), Some(b'{' | b'%'));
                let backslashes = bytes[..at]
                    .iter()
                    .rev()
                    .take_while(|&&b| b == b'\\')
                    .count();
                if brace && backslashes % 2 == 1 {
                    out.text.to_mut().push_str(&slice[copied..at - 1]);
                    push_shift(&mut out, base + at, "");
                    copied = at;
                }
                j = at + 1;
            }
            i = end;
            continue;
        }
        if bytes[i] != b'{' || !(bytes[i + 1] == b'{' || bytes[i + 1] == b'%') {
            // Nothing happens before the next `{` or code span: go there at once.
            // Bytes, not `str`: `i + 1` may be inside a character. The next `{` is searched
            // for once, not at every code span before it (128,000 spans made that quadratic).
            if next_brace <= i {
                next_brace = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'{')
                    .map_or(bytes.len(), |k| i + 1 + k);
            }
            let code = code_iter.peek().map_or(usize::MAX, |r| r.start.max(i + 1));
            i = next_brace.min(code);
            continue;
        }
        let abs = base + i;
        // `\{{ … }}` is literal: the backslash goes (markdown would drop it in text, but not in
        // raw HTML or autolinks), the braces stay, and are not read as a call. `\\{{` is an
        // escaped backslash before a real call.
        let backslashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            out.text.to_mut().push_str(&slice[copied..i - 1]);
            push_shift(&mut out, base + i, "");
            copied = i;
            i += 2;
            continue;
        }
        // `{{/* … */}}` is an escaped, literal shortcode.
        if slice[i..].starts_with("{{/*") || slice[i..].starts_with("{%/*") {
            let close = if bytes[i + 1] == b'{' { "*/}}" } else { "*/%}" };
            // The closing marker is searched after the opening one: in `{{/*/}}` they overlap.
            match slice[i + 4..].find(close).map(|e| e + 4) {
                Some(end) => {
                    let inner = slice[i + 4..i + end].trim();
                    let open = if bytes[i + 1] == b'{' {
                        ("{{ ", " }}")
                    } else {
                        ("{% ", " %}")
                    };
                    out.text.to_mut().push_str(&slice[copied..i]);
                    let literal = format!("{}{}{}", open.0, inner, open.1);
                    let next = i + end + close.len();
                    push_shift(&mut out, base + next, &literal);
                    copied = next;
                    i = next;
                    continue;
                }
                None => {
                    let (open, close) = if bytes[i + 1] == b'{' {
                        ("{{/*", "*/}}")
                    } else {
                        ("{%/*", "*/%}")
                    };
                    errors.push(src.err(
                        abs,
                        format!("escaped shortcode `{open}` has no closing `{close}`"),
                    ));
                    i += 4;
                    continue;
                }
            }
        }
        match parse_call(src, abs, range.end, &code, base) {
            Ok(None) => i += 2,
            Ok(Some(call)) => {
                out.text.to_mut().push_str(&slice[copied..i]);
                let marker = out.marker.of(out.calls.len());
                let next = call.span.end - base;
                push_shift(&mut out, call.span.end, &marker);
                out.calls.push(call);
                copied = next;
                i = next;
            }
            Err(e) => {
                errors.push(e);
                // Skip past this call's opening so one mistake gives one error.
                i += 2;
            }
        }
    }
    out.text.to_mut().push_str(&slice[copied..]);
    Error::collect(errors)?;
    Ok(out)
}

/// Append `replacement` and record that text after it corresponds to file offset `file_after`.
fn push_shift(out: &mut Expanded, file_after: usize, replacement: &str) {
    out.text.to_mut().push_str(replacement);
    out.shifts.push((out.text.len(), file_after));
}

/// A cursor over the file's text with error helpers.
struct Cursor<'a> {
    src: SourceText<'a>,
    pos: usize,
    end: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.src.text[self.pos..self.end]
    }
    fn skip_ws(&mut self) {
        let rest = self.rest();
        let trimmed = rest.trim_start();
        self.pos += rest.len() - trimmed.len();
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<String> {
        let rest = self.rest();
        let mut chars = rest.char_indices();
        match chars.next() {
            Some((_, c)) if c.is_ascii_alphabetic() || c == '_' => {}
            _ => return None,
        }
        let len = chars
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        let id = rest[..len].to_string();
        self.pos += len;
        Some(id)
    }
    fn err(&self, msg: impl Into<String>) -> Error {
        self.src.err(self.pos, msg)
    }
}

/// Parse a call starting at `start` (at `{{` or `{%`). `Ok(None)` when the text there is not a
/// shortcode at all (e.g. `{{ x }}` in prose, which stays literal).
fn parse_call(
    src: SourceText,
    start: usize,
    end: usize,
    code: &[Range<usize>],
    base: usize,
) -> Result<Option<Call>, Error> {
    let block = src.text[start..].starts_with("{%");
    let mut c = Cursor {
        src,
        pos: start + 2,
        end,
    };
    c.skip_ws();
    let Some(name) = c.ident() else {
        return Ok(None);
    };
    c.skip_ws();
    if block && name == "end" && c.rest().starts_with("%}") {
        return Err(src.err(start, "`{% end %}` without an opening block shortcode"));
    }
    if !c.eat("(") {
        return Ok(None);
    }
    let (args, arg_offsets) = parse_args(&mut c)?;
    let shown = quote(&name);
    c.skip_ws();
    let close = if block { "%}" } else { "}}" };
    if !c.eat(close) {
        let other = if block { "}}" } else { "%}" };
        return Err(if c.rest().starts_with(other) {
            c.err(format!(
                "shortcode `{shown}` opened with `{}` must close with `{close}`",
                &src.text[start..start + 2]
            ))
        } else {
            c.err(format!("expected `{close}` to close shortcode `{shown}`"))
        });
    }
    let mut call = Call {
        name,
        args,
        span: start..c.pos,
        body: None,
        arg_offsets,
    };
    if block {
        let found = find_end(src, c.pos, end, code, base).map_err(|at| {
            src.err(
                at,
                format!("block shortcodes nested more than {MAX_NESTING} deep"),
            )
            .with_help("a block inside a block inside a block…: flatten the page's structure")
        })?;
        let (body_end, after) = found.ok_or_else(|| {
            src.err(
                start,
                format!("block shortcode `{shown}` has no matching `{{% end %}}`"),
            )
            .with_help("close the block with `{% end %}` on its own line")
        })?;
        call.body = Some(c.pos..body_end);
        call.span = start..after;
    }
    Ok(Some(call))
}

/// Find the `{% end %}` that closes a block opened just before `from`, skipping nested blocks
/// and code. Returns (start of `{% end %}`, offset after it), or `Err` with the offset of a block
/// nested deeper than [`MAX_NESTING`].
fn find_end(
    src: SourceText,
    from: usize,
    end: usize,
    code: &[Range<usize>],
    base: usize,
) -> Result<Option<(usize, usize)>, usize> {
    let mut i = from;
    let mut depth = 0usize;
    while i < end {
        let rel = i - base;
        // `code` is sorted and disjoint: the first range ending after `rel` is the only candidate.
        let next_code = code.partition_point(|r| r.end <= rel);
        if let Some(r) = code.get(next_code)
            && r.start <= rel
        {
            i = base + r.end;
            continue;
        }
        let rest = &src.text[i..end];
        if rest.starts_with("{%") {
            let mut c = Cursor {
                src,
                pos: i + 2,
                end,
            };
            c.skip_ws();
            if let Some(id) = c.ident() {
                c.skip_ws();
                if id == "end" && c.eat("%}") {
                    if depth == 0 {
                        return Ok(Some((i, c.pos)));
                    }
                    depth -= 1;
                    i = c.pos;
                    continue;
                }
                if c.peek() == Some('(') {
                    depth += 1;
                    // The block being closed is one level already.
                    if depth >= MAX_NESTING {
                        return Err(i);
                    }
                }
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    Ok(None)
}

/// `text` for quoting in a message: whole when short, else its start and an ellipsis.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Arguments in order, and the offset of each value.
type Args = (Vec<(String, Arg)>, Vec<usize>);

fn parse_args(c: &mut Cursor) -> Result<Args, Error> {
    let mut args: Vec<(String, Arg)> = Vec::new();
    let mut offsets = Vec::new();
    loop {
        c.skip_ws();
        if c.eat(")") {
            return Ok((args, offsets));
        }
        if !args.is_empty() {
            if !c.eat(",") {
                return Err(c.err("expected `,` or `)` after an argument"));
            }
            c.skip_ws();
            if c.eat(")") {
                return Ok((args, offsets));
            }
        }
        let key_at = c.pos;
        let Some(key) = c.ident() else {
            return Err(match c.peek() {
                None => c.err("unterminated shortcode call: missing `)`"),
                Some(ch) => c
                    .err(format!("expected an argument name, found `{ch}`"))
                    .with_help("arguments are written `name=value`, e.g. `id=\"prices\"`"),
            });
        };
        c.skip_ws();
        if !c.eat("=") {
            return Err(c.err(format!("expected `=` after argument `{}`", quote(&key))));
        }
        c.skip_ws();
        if args.iter().any(|(k, _)| *k == key) {
            return Err(c
                .src
                .err(key_at, format!("argument `{}` is given twice", quote(&key))));
        }
        offsets.push(c.pos);
        let value = parse_value(c, 0)?;
        args.push((key, value));
    }
}

/// One argument value; `depth` counts the lists it is inside.
fn parse_value(c: &mut Cursor, depth: usize) -> Result<Arg, Error> {
    match c.peek() {
        Some(q @ ('"' | '\'')) => {
            let start = c.pos;
            c.pos += 1;
            let mut s = String::new();
            loop {
                let Some(ch) = c.peek() else {
                    return Err(c
                        .src
                        .err(start, "unterminated string: missing closing quote"));
                };
                c.pos += ch.len_utf8();
                match ch {
                    '\\' => {
                        let Some(e) = c.peek() else {
                            return Err(c
                                .src
                                .err(start, "unterminated string: missing closing quote"));
                        };
                        c.pos += e.len_utf8();
                        s.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                    ch if ch == q => return Ok(Arg::Str(s)),
                    '\n' if c.rest().trim_start().starts_with("}}") => {
                        return Err(c
                            .src
                            .err(start, "unterminated string: missing closing quote"));
                    }
                    ch => s.push(ch),
                }
            }
        }
        Some('[') => {
            if depth >= MAX_NESTING {
                return Err(c.err(format!("lists nested more than {MAX_NESTING} deep")));
            }
            c.pos += 1;
            let mut items = Vec::new();
            loop {
                c.skip_ws();
                if c.eat("]") {
                    return Ok(Arg::Array(items));
                }
                if !items.is_empty() {
                    if !c.eat(",") {
                        return Err(c.err("expected `,` or `]` in an array"));
                    }
                    c.skip_ws();
                    if c.eat("]") {
                        return Ok(Arg::Array(items));
                    }
                }
                items.push(parse_value(c, depth + 1)?);
            }
        }
        Some(ch) if ch == '-' || ch.is_ascii_digit() => {
            let rest = c.rest();
            let len = rest
                .char_indices()
                .skip(1)
                .find(|(_, ch)| !(ch.is_ascii_digit() || *ch == '.' || *ch == '_' || *ch == 'e'))
                .map_or(rest.len(), |(i, _)| i);
            let lit = rest[..len].replace('_', "");
            let at = c.pos;
            c.pos += len;
            if let Ok(n) = lit.parse::<i64>() {
                Ok(Arg::Int(n))
            } else if let Ok(f) = lit.parse::<f64>() {
                Ok(Arg::Float(f))
            } else {
                Err(c.src.err(at, format!("`{}` is not a number", quote(&lit))))
            }
        }
        _ => {
            let at = c.pos;
            match c.ident().as_deref() {
                Some("true") => Ok(Arg::Bool(true)),
                Some("false") => Ok(Arg::Bool(false)),
                Some(other) => {
                    let other = quote(other);
                    Err(c.src.err(at, format!("`{other}` is not a value"))
                    .with_help(format!("quote strings: `\"{other}\"`; other values are numbers, true, false or [lists]")))
                }
                None => match c.peek() {
                    None => Err(c.err("unterminated shortcode call: missing value and `)`")),
                    Some(ch) => Err(c.err(format!("expected a value, found `{ch}`"))),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Expanded<'_>, Error> {
        expand(
            SourceText {
                path: Path::new("a.md"),
                text,
            },
            0..text.len(),
        )
    }

    #[test]
    fn inline_call_with_all_arg_kinds() {
        let e = run("x {{ chart(id=\"a\\\"b\", n=3, f=1.5, ok=true, l=[1, 'z']) }} y").unwrap();
        assert_eq!(e.text, "x XshortcodeX0XshortcodeX y");
        let c = &e.calls[0];
        assert_eq!(c.name, "chart");
        assert_eq!(c.arg("id"), Some(&Arg::Str("a\"b".into())));
        assert_eq!(c.arg("n"), Some(&Arg::Int(3)));
        assert_eq!(c.arg("f"), Some(&Arg::Float(1.5)));
        assert_eq!(c.arg("ok"), Some(&Arg::Bool(true)));
        assert_eq!(
            c.arg("l"),
            Some(&Arg::Array(vec![Arg::Int(1), Arg::Str("z".into())]))
        );
    }

    #[test]
    fn calls_between_characters_of_any_width() {
        // The scan jumps from `{` to `{`; it must never land inside a character.
        let text = "出行{ 调查{{ cite(id=\"s\") }}。`{{ x() }}` 中文{%/* y() */%}末";
        let e = run(text).unwrap();
        assert_eq!(e.calls.len(), 1);
        assert_eq!(e.calls[0].name, "cite");
        assert_eq!(
            e.text,
            "出行{ 调查XshortcodeX0XshortcodeX。`{{ x() }}` 中文{% y() %}末"
        );
        let none = "只有中文和 { 括号 }";
        assert_eq!(run(none).unwrap().text, none);
    }

    #[test]
    fn literal_in_code_and_prose() {
        let text = "`{{ fig(id=\"a\") }}`\n\n```\n{% aside() %}\n```\n\n{{ page.title }} and {x}\n";
        let e = run(text).unwrap();
        assert!(e.calls.is_empty());
        assert_eq!(e.text, text);
    }

    /// Wherever the parse finds code, the shortcut that skips it says there may be some: code
    /// spans, fences, and indented blocks inside lists and quotes.
    #[test]
    fn code_before_the_last_call_is_found_without_parsing_what_follows() {
        // Every brace or backslash before the cut is in code in the cut text exactly when it is
        // in the whole; nothing after the cut is a call.
        let inside = |ranges: &[Range<usize>], i: usize| ranges.iter().any(|r| r.contains(&i));
        let pieces = [
            "\n",
            "\n\n",
            "\n \n",
            "\n\t\n",
            "\r\n",
            "\r\n\r\n",
            "    ",
            "  ",
            "\t",
            "> ",
            ">",
            "- ",
            "1. ",
            "`",
            "``",
            "```",
            "~~~",
            "x",
            "{{ a() }}",
            "{% b %}",
            "\\{{",
            "<pre>",
            "</pre>",
            "<!--",
            "-->",
            "===",
            "---",
        ];
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..60_000 {
            let count = rng.below(16);
            let text = rng.pieces(&pieces, count);
            let Some(last) = last_call(&text) else {
                continue;
            };
            let cut = parse_up_to(&text, last);
            assert!(last_call(&text[cut..]).is_none(), "{text:?}");
            let (full, bounded) = (code_in(&text), code_ranges(&text, last));
            // Only a `{` or a `\` asks whether it is in code ([`expand`]); a trailing blank
            // line of an indented block may end it in one parse and not the other.
            for (i, _) in text[..cut].match_indices(['{', '\\']) {
                assert_eq!(inside(&full, i), inside(&bounded, i), "{text:?} at {i}");
            }
        }
    }

    #[test]
    fn code_is_never_skipped_for_lack_of_a_sign() {
        let with_code = [
            "`x`",
            "~~~\n{{ a() }}\n~~~\n",
            "para\n\n    {{ a() }}\n",
            "> quote\n>\n>     {{ a() }}\n",
            ">     {{ a() }}\n",
            "- item\n\n      {{ a() }}\n",
            "1.     {{ a() }}\n",
            "- a\n  - b\n\n        {{ a() }}\n",
            "\t{{ a() }}\n",
            "-\t\t{{ a() }}\n",
        ];
        for text in with_code {
            let parsed = {
                let mut out = Vec::new();
                let parser = Parser::new_ext(text, Options::empty()).into_offset_iter();
                for (event, range) in parser {
                    if matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)) {
                        out.push(range);
                    }
                }
                out
            };
            assert!(!parsed.is_empty(), "the parse finds code in {text:?}");
            assert!(may_hold_code(text), "{text:?}");
            let last = last_call(text).unwrap_or(text.len());
            assert_eq!(code_ranges(text, last), parsed, "{text:?}");
        }
        // Random texts of container markers, spaces, tabs and newlines: no text without a
        // sign holds code.
        let pieces = [
            " ",
            "  ",
            "\t",
            "\n",
            "\n\n",
            ">",
            "> ",
            "- ",
            "1. ",
            "* ",
            "x",
            "{{ a() }}",
            "<b>",
            "`",
            "~~~",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let text = rng.pieces(&pieces, 12);
            if !may_hold_code(&text) {
                let code = Parser::new_ext(&text, Options::empty())
                    .any(|e| matches!(e, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)));
                assert!(!code, "{text:?}");
            }
        }
        for text in [
            "{{ a() }} and prose",
            "> {{ a() }}\n",
            "- {{ a() }}\n  - b\n",
        ] {
            assert!(!may_hold_code(text), "{text:?}");
            assert!(run(text).unwrap().calls.len() == 1, "{text:?}");
        }
    }

    #[test]
    fn placeholders_never_match_the_authors_text() {
        let text = "XshortcodeX0XshortcodeX XshortcodeXqq1 \u{E000}0\u{E001} {{ a() }}";
        let e = run(text).unwrap();
        assert_eq!(e.marker.of(0), "XshortcodeXqqq0XshortcodeXqqq");
        assert_eq!(e.marker.find(&e.text).unwrap().1, 0);
        assert_eq!(
            e.marker.strip(&e.text),
            "XshortcodeX0XshortcodeX XshortcodeXqq1 \u{E000}0\u{E001} "
        );
    }

    #[test]
    fn backslash_makes_a_shortcode_literal() {
        let text =
            "a \\{{ range(10) }} <a title=\"\\{{ x() }}\"> \\{% b() %} \\\\{{ c() }} [l](y.md)";
        let e = run(text).unwrap();
        assert_eq!(e.calls.len(), 1);
        assert_eq!(e.calls[0].name, "c");
        assert!(
            e.text.starts_with(
                "a {{ range(10) }} <a title=\"{{ x() }}\"> {% b() %} \\\\XshortcodeX0"
            ),
            "{}",
            e.text
        );
        // Positions after the removed backslashes still map to the file.
        let at = e.text.find("[l]").unwrap();
        assert_eq!(e.file_offset(at), text.find("[l]").unwrap());
    }

    #[test]
    fn escaped_shortcode_prints_literally() {
        let e = run("see {{/* fig(id=\"a\") */}}.").unwrap();
        assert_eq!(e.text, "see {{ fig(id=\"a\") }}.");
        assert!(e.calls.is_empty());
    }

    #[test]
    fn block_with_nested_block_and_offsets_map_back() {
        let text = "a\n{% aside(kind=\"note\") %}\nin {% aside() %}deep{% end %} {{ fig(id=\"x\") }}\n{% end %}\nafter [l](b.md)";
        let e = run(text).unwrap();
        assert_eq!(e.calls.len(), 1);
        let body = e.calls[0].body.clone().unwrap();
        assert_eq!(
            &text[body],
            "\nin {% aside() %}deep{% end %} {{ fig(id=\"x\") }}\n"
        );
        let at = e.text.find("[l]").unwrap();
        assert_eq!(e.file_offset(at), text.find("[l]").unwrap());
        assert_eq!(e.file_offset(0), 0);
    }

    fn err(text: &str) -> String {
        run(text).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_line_and_column() {
        assert_eq!(
            err("ok\n  {% aside() %}\nno end"),
            "a.md:2:3: shortcode error: block shortcode `aside` has no matching `{% end %}`\n  help: close the block with `{% end %}` on its own line"
        );
        assert!(
            err("{{ fig(id=\"a\" }}")
                .starts_with("a.md:1:15: shortcode error: expected `,` or `)`")
        );
        assert!(
            err("x {{ fig(id=a) }}").starts_with("a.md:1:13: shortcode error: `a` is not a value")
        );
        assert!(
            err("{{ fig(id=\"abc) }}\n")
                .starts_with("a.md:1:11: shortcode error: unterminated string")
        );
        assert!(err("{{ fig(id=\"a\") %}").contains("must close with `}}`"));
        assert!(err("{{ fig(id=\"a\", id=\"b\") }}").contains("argument `id` is given twice"));
        assert!(err("{% end %}").starts_with("a.md:1:1: shortcode error: `{% end %}` without"));
        // Slicing with start > end panicked here: the closing marker overlapped the opening.
        assert!(err("x {{/*/}} y").contains("has no closing `*/}}`"));
        assert!(err("{%/*/%}").contains("has no closing"));
        assert_eq!(run("{{/**/}}").unwrap().text, "{{  }}");
        // A 5 MB argument is not echoed whole.
        let long = format!("{{{{ fig(id={}) }}}}", "x".repeat(5_000_000));
        let e = err(&long);
        assert!(
            e.len() < 400 && e.contains("xxx…` is not a value"),
            "{}",
            &e[..200]
        );
        // Several mistakes are all reported.
        let all = run("{{ a(x=) }}\n{{ b(y=) }}").unwrap_err();
        assert_eq!(all.flatten().len(), 2);
    }

    #[test]
    fn nesting_is_limited_with_a_position() {
        // 20,000 nested `[` overflowed the stack.
        let deep = format!("ok\n{{{{ f(l={}) }}}}", "[".repeat(20_000));
        let e = err(&deep);
        assert!(
            e.starts_with("a.md:2:40: shortcode error: lists nested more than 32 deep"),
            "{e}"
        );
        let fine = format!("{{{{ f(l={}{}) }}}}", "[".repeat(32), "]".repeat(32));
        assert!(run(&fine).is_ok());
        // 1,000 nested blocks overflowed the stack in the recursive render.
        let blocks = format!(
            "{}x{}",
            "{% b() %}\n".repeat(1000),
            "{% end %}\n".repeat(1000)
        );
        let e = err(&blocks);
        assert!(
            e.starts_with("a.md:33:1: shortcode error: block shortcodes nested more than 32 deep"),
            "{e}"
        );
        let ok = format!("{}x{}", "{% b() %}".repeat(32), "{% end %}".repeat(32));
        assert_eq!(run(&ok).unwrap().calls.len(), 1);
    }

    #[test]
    fn many_malformed_calls_stop_the_scan() {
        let text = "{{ a(x=1 \n".repeat(50_000);
        let e = run(&text).unwrap_err();
        let all = e.flatten();
        assert_eq!(all.len(), MAX_ERRORS + 1);
        assert!(all.iter().any(|e| e.to_string().contains("not scanned")));
    }

    #[test]
    fn code_spans_in_a_block_are_skipped_in_linear_time() {
        // Was quadratic: every character looked through every code range.
        let body = "`c` ".repeat(200_000);
        let text = format!("{{% b() %}}{body}{{{{ x() }}}}{{% end %}}");
        let started = std::time::Instant::now();
        let e = run(&text).unwrap();
        assert_eq!(e.calls.len(), 1);
        // Generous (debug build, busy machine); the quadratic version took minutes here.
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
}
