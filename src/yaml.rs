//! All YAML goes through here: serde deserialisation (yaml_serde, the maintained `serde_yaml`),
//! errors mapped to file coordinates, and a path → position index so checks that run after
//! deserialisation (a series too short, a value not positive) can still point at line and column.

use std::collections::HashMap;
use std::path::Path;

use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;

use crate::error::{Error, Kind, Location, did_you_mean};

/// Deserialise `text`, which starts at line `first_line` of `path` (front matter starts after the
/// opening `---`). Unknown keys get a "did you mean" hint when a known key is close.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
    kind: Kind,
) -> Result<T, Error> {
    if let Some(at) = too_deep(text) {
        let (line, col) = crate::error::line_col(text, at);
        return Err(Error::input(
            kind,
            Location::at(path, line + first_line - 1, col),
            format!("nested more than {MAX_DEPTH} levels deep"),
        )
        .with_help(
            "flatten the structure: no data needs this many lists or maps inside each other",
        ));
    }
    serde_yaml::from_str(text).map_err(|e| to_error(&e, text, path, first_line, kind))
}

/// How deep lists and maps may nest. The YAML parser takes quadratic time on deep nesting
/// (100,000 levels: close to a minute), so deeper documents are refused before parsing.
pub const MAX_DEPTH: usize = 128;

/// The byte offset where `text` first nests deeper than [`MAX_DEPTH`], found by a linear scan
/// that counts flow brackets (`[`, `{`, outside quotes and comments), block indentation levels
/// and compact `- ` entries, and skips block scalars. An estimate that never under-counts real
/// nesting by much, and never over-counts plain text: a `[` inside a plain scalar is not counted.
pub fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Indentation of each open block level.
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    // Inside a block scalar (`|`, `>`) whose parent line had this indentation.
    let mut block_scalar: Option<usize> = None;
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(bytes.len(), |i| line_start + i);
        let line = &bytes[line_start..line_end];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..].iter().all(|b| b.is_ascii_whitespace());
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                line_start = line_end + 1;
                continue;
            }
            block_scalar = None;
        }
        if blank || line[indent] == b'#' {
            line_start = line_end + 1;
            continue;
        }
        if flow == 0 {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut depth = indents.len() + flow;
        if depth > MAX_DEPTH {
            return Some(line_start + indent);
        }
        // Scan the line: compact `- ` / `? ` entries, then flow brackets.
        let mut i = indent;
        // What came before `i` that lets a `[` or `{` start a collection.
        let mut may_open = true;
        let mut quote: Option<u8> = None;
        while i < line.len() {
            let b = line[i];
            if let Some(q) = quote {
                if b == b'\\' && q == b'"' {
                    i += 1;
                } else if b == q {
                    quote = None;
                    may_open = false;
                }
                i += 1;
                continue;
            }
            match b {
                b'"' | b'\'' if may_open || flow > 0 => quote = Some(b),
                b'#' if i == 0 || line[i - 1] == b' ' || line[i - 1] == b'\t' => break,
                b'-' | b'?'
                    if flow == 0 && may_open && line.get(i + 1).is_none_or(|&n| n == b' ') =>
                {
                    depth += 1;
                }
                b'[' | b'{' if may_open || flow > 0 => {
                    flow += 1;
                    depth += 1;
                    may_open = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    depth = depth.saturating_sub(1);
                    may_open = false;
                }
                b',' if flow > 0 => may_open = true,
                b':' if line.get(i + 1).is_none_or(|&n| n == b' ') => may_open = true,
                b'|' | b'>' if may_open && flow == 0 => {
                    block_scalar = Some(indent);
                    break;
                }
                b' ' | b'\t' | b'\r' => {}
                _ => may_open = false,
            }
            if depth > MAX_DEPTH {
                return Some(line_start + i);
            }
            i += 1;
        }
        line_start = line_end + 1;
    }
    None
}

fn to_error(
    e: &serde_yaml::Error,
    text: &str,
    path: &Path,
    first_line: usize,
    kind: Kind,
) -> Error {
    let full = e.to_string();
    // yaml_serde appends " at line L column C" to the message; we print our own position.
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    // yaml_serde starts the message with the path of the node (`[0].note: …`): the field's
    // name leads the message, and its position stands in when serde gives none.
    let (node, message) = split_node(&message);
    let at = e
        .location()
        .map(|l| Location::at(path, l.line() + first_line - 1, l.column()))
        .or_else(|| {
            let (line, col) = Spans::index(text, first_line).find(node?)?;
            Some(Location::at(path, line, col))
        })
        // An alias bomb is reported without a position: point at the first alias.
        .or_else(|| {
            let offset = first_alias(text).filter(|_| message.contains("repetition limit"))?;
            let (line, col) = crate::error::line_col(text, offset);
            Some(Location::at(path, line + first_line - 1, col))
        })
        .unwrap_or_else(|| Location::file(path));
    let field = node.map(|n| {
        n.rsplit(['.', '['])
            .next()
            .unwrap_or(n)
            .trim_end_matches(']')
    });
    let field = field.filter(|f| !f.is_empty() && !f.bytes().all(|b| b.is_ascii_digit()));
    let (words, mut help) = in_authors_words(message);
    let message = match field {
        Some(f) => format!("{f}: {words}"),
        None => words,
    };
    if let Some((unknown, expected)) = parse_unknown_field(message.as_str()) {
        let hint = did_you_mean(&unknown, expected.iter().map(String::as_str));
        let known = format!("known keys: {}", expected.join(", "));
        help = Some(match hint {
            Some(h) => format!("{h} ({known})"),
            None => known,
        });
    }
    let err = Error::input(kind, at, message);
    match help {
        Some(h) => err.with_help(h),
        None => err,
    }
}

/// `[0].note: rest` → (Some("[0].note"), "rest"); a message without a path is left whole.
fn split_node(message: &str) -> (Option<&str>, &str) {
    if let Some((node, rest)) = message.split_once(": ") {
        let node_like = !node.is_empty()
            && !node.contains(' ')
            && (node.starts_with('.') || node.starts_with('[') || !rest.is_empty());
        if node_like && !node.contains('`') {
            return (Some(node.trim_start_matches('.')), rest);
        }
    }
    (None, message)
}

/// serde's messages without serde's type names: what was expected, in the author's terms.
fn in_authors_words(message: &str) -> (String, Option<String>) {
    if message.starts_with("repetition limit exceeded") {
        return (
            "aliases repeat too much: the file would expand to more values than explainer reads"
                .into(),
            Some("an alias (`*name`) copies what its anchor (`&name`) holds; aliases of lists of aliases multiply (a \"billion laughs\"): write the values out instead".into()),
        );
    }
    if let Some(name) = message.strip_prefix("data did not match any variant of untagged enum ") {
        let what = match name {
            "Text" => "expected text or a map of languages ({en: …, zh: …})".to_string(),
            "Value" => "expected a number or a range [low, high]".to_string(),
            _ => "this value has none of the shapes it may take".to_string(),
        };
        return (what, None);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((value, expected)) = rest.split_once('`')
    {
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let list = format!("known values: {}", known.join(", "));
        let help = match did_you_mean(value, known.iter().copied()) {
            Some(h) => format!("{h} ({list})"),
            None => list,
        };
        return (format!("unknown value `{value}`"), Some(help));
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            return (
                format!(
                    "expected {}, found {}",
                    plain_type(expected),
                    plain_found(found)
                ),
                None,
            );
        }
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((n, expected)) = rest.split_once(", expected ")
    {
        return (
            format!("expected {}, found {n} items", plain_type(expected)),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return (format!("missing key {rest}"), None);
    }
    (message.to_string(), None)
}

/// A serde "expected" phrase in plain words.
fn plain_type(expected: &str) -> String {
    let t = expected.trim();
    match t {
        "f64" | "f32" | "a number or a figure id" => {
            if t.len() > 3 {
                t.into()
            } else {
                "a number".into()
            }
        }
        "u8" => "a whole number from 0 to 255".into(),
        "u16" | "u32" | "u64" | "usize" => "a whole number, zero or more".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "a string" | "a borrowed string" | "string" => "text".into(),
        "a boolean" | "bool" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a map" => "a map of keys".into(),
        "an array of length 2" => "a list of two numbers [low, high]".into(),
        _ if t.starts_with("struct ") || t.starts_with("a map") => "a map of keys".into(),
        _ if t.starts_with("a sequence") || t.starts_with("a list") => "a list".into(),
        _ => t.replace("string", "text"),
    }
}

/// What serde found, in plain words: `string "x"` → `text "x"`.
fn plain_found(found: &str) -> String {
    let f = found.trim();
    if let Some(s) = f.strip_prefix("string ") {
        return format!("text {s}");
    }
    for p in ["integer ", "floating point "] {
        if let Some(n) = f.strip_prefix(p) {
            return n.trim_matches('`').to_string();
        }
    }
    match f {
        "sequence" => "a list".into(),
        "map" => "a map".into(),
        "unit value" => "nothing".into(),
        "boolean `true`" | "boolean `false`" => f.trim_start_matches("boolean ").replace('`', ""),
        _ => f.to_string(),
    }
}

/// The offset of the first alias (`*name` after a space, `[`, `,` or a line start).
fn first_alias(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&i| {
        bytes[i] == b'*'
            && (i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b',' | b'\n' | b'{'))
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    })
}

/// Pull the field name and the list of expected fields out of serde's "unknown field" message.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.split("unknown field `").nth(1)?;
    let (name, rest) = rest.split_once('`')?;
    let expected: Vec<String> = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((name.to_string(), expected))
}

/// The [`Spans`] of a text, indexed the first time a position is asked for: the index parses
/// the whole text again (the figures of a large site: a tenth of its parsing stage), and a file
/// without a problem never needs it.
pub struct LazySpans<'a> {
    text: &'a str,
    first_line: usize,
    spans: std::cell::OnceCell<Spans>,
}

impl<'a> LazySpans<'a> {
    pub fn new(text: &'a str, first_line: usize) -> LazySpans<'a> {
        LazySpans {
            text,
            first_line,
            spans: std::cell::OnceCell::new(),
        }
    }
}

impl std::ops::Deref for LazySpans<'_> {
    type Target = Spans;
    fn deref(&self) -> &Spans {
        self.spans
            .get_or_init(|| Spans::index(self.text, self.first_line))
    }
}

/// Positions of every node of a YAML document, keyed by path: `charts[2].series[0].values[1]`.
/// A key's own position is stored under `path@key`.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    at: HashMap<String, (usize, usize)>,
    first_line: usize,
}

impl Spans {
    /// Index `text` (which starts at `first_line` of its file). A document that does not parse
    /// gives an empty index; the serde pass reports the syntax error.
    pub fn index(text: &str, first_line: usize) -> Spans {
        let mut spans = Spans {
            at: HashMap::new(),
            first_line,
        };
        if too_deep(text).is_some() {
            return spans;
        }
        let mut parser = Parser::new_from_str(text);
        // Each open container: its path, whether it is a map, the next index or the pending key.
        let mut stack: Vec<Frame> = Vec::new();
        while let Some(Ok((event, span))) = parser.next_event() {
            let pos = (span.start.line(), span.start.col() + 1);
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { pending, path }) = stack.last_mut()
                        && pending.is_none()
                    {
                        let key = value.to_string();
                        spans.insert(format!("{}@key", join(path, &key)), pos);
                        *pending = Some(key);
                        continue;
                    }
                    let p = next_path(&mut stack);
                    spans.insert(p, pos);
                }
                Event::Alias(_) => {
                    let p = next_path(&mut stack);
                    spans.insert(p, pos);
                }
                Event::SequenceStart(..) => {
                    let p = next_path(&mut stack);
                    spans.insert(p.clone(), pos);
                    stack.push(Frame::Seq { path: p, next: 0 });
                }
                Event::MappingStart(..) => {
                    let p = next_path(&mut stack);
                    spans.insert(p.clone(), pos);
                    stack.push(Frame::Map {
                        path: p,
                        pending: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        spans
    }

    fn insert(&mut self, path: String, (line, col): (usize, usize)) {
        self.at
            .entry(path)
            .or_insert((line + self.first_line - 1, col));
    }

    /// Line and column of the node at `path`, or of its nearest ancestor that was indexed.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(pos) = self.at.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// A `Location` in `file` for the node at `path` (file-level if nothing is known).
    pub fn locate(&self, file: &Path, path: &str) -> Location {
        match self.find(path) {
            Some((line, col)) => Location::at(file, line, col),
            None => Location::file(file),
        }
    }

    /// Position of the key `path` itself (for "unknown key" style messages).
    pub fn locate_key(&self, file: &Path, path: &str) -> Location {
        match self.at.get(&format!("{path}@key")) {
            Some((line, col)) => Location::at(file, *line, *col),
            None => self.locate(file, path),
        }
    }
}

enum Frame {
    Seq {
        path: String,
        next: usize,
    },
    Map {
        path: String,
        pending: Option<String>,
    },
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// The path of the node that starts now, advancing the parent's index or consuming its key.
fn next_path(stack: &mut [Frame]) -> String {
    match stack.last_mut() {
        None => String::new(),
        Some(Frame::Seq { path, next }) => {
            let p = format!("{path}[{next}]");
            *next += 1;
            p
        }
        Some(Frame::Map { path, pending }) => match pending.take() {
            Some(key) => join(path, &key),
            // A complex (non-scalar) key: index it under a placeholder name.
            None => {
                *pending = Some("?".into());
                join(path, "?")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn unknown_key_gets_position_in_file_and_suggestion() {
        let text = "title: Hi\nwieght: 3\n";
        let err = parse::<Fm>(text, Path::new("content/a.md"), 2, Kind::FrontMatter).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("content/a.md:3:1: front matter error: unknown field `wieght`"),
            "{msg}"
        );
        assert!(msg.contains("did you mean `weight`?"), "{msg}");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        #[serde(default)]
        note: Option<crate::text::Text>,
        #[serde(default)]
        decimals: Option<u8>,
        #[serde(default)]
        size: Option<Size>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Size {
        Small,
        Large,
    }

    fn message(text: &str) -> String {
        parse::<Vec<Item>>(text, Path::new("f.yaml"), 1, Kind::Data)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn errors_name_the_field_in_plain_words() {
        let m = message("- id: a\n- id: b\n  note: [x, y]\n");
        assert_eq!(
            m,
            "f.yaml:3:9: data error: note: expected text or a map of languages ({en: …, zh: …}), found a list"
        );
        let m = message("- id: a\n  decimals: -1\n");
        assert!(
            m.starts_with(
                "f.yaml:2:13: data error: decimals: expected a whole number from 0 to 255, found -1"
            ),
            "{m}"
        );
        let m = message("- id: a\n  size: lareg\n");
        assert!(
            m.starts_with("f.yaml:2:9: data error: size: unknown value `lareg`"),
            "{m}"
        );
        assert!(m.contains("did you mean `large`?"), "{m}");
        let m = message("- id: [a]\n");
        assert!(m.contains("id: expected text, found a list"), "{m}");
        assert!(
            !m.contains("enum") && !m.contains("u8") && !m.contains("sequence"),
            "{m}"
        );
    }

    #[test]
    fn syntax_error_is_offset_by_first_line() {
        let text = "title: [unclosed\n";
        let err = parse::<Fm>(text, Path::new("x.yaml"), 10, Kind::Yaml).unwrap_err();
        let (_, at) = err.location().unwrap();
        assert!(at.line().unwrap() >= 10, "{err}");
    }

    #[test]
    fn spans_index_nested_paths() {
        let text = "charts:\n  - id: a\n    values: [1, 2,\n      3]\n";
        let spans = Spans::index(text, 1);
        assert_eq!(spans.find("charts[0].id"), Some((2, 9)));
        assert_eq!(spans.find("charts[0].values[2]"), Some((4, 7)));
        assert_eq!(spans.find("charts[0].values[9]"), Some((3, 13)));
        assert_eq!(
            spans.locate_key(Path::new("f"), "charts[0].values").line(),
            Some(3)
        );
    }

    #[test]
    fn deep_nesting_is_refused_fast_at_its_position() {
        // 100,000 levels took 20-60 s in the parser.
        let deep = format!("a: 1\nx: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let e = parse::<serde_yaml::Value>(&deep, Path::new("d.yaml"), 1, Kind::Data).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(
            e.to_string()
                .starts_with("d.yaml:2:131: data error: nested more than 128 levels deep"),
            "{e}"
        );
        let dashes = format!("x:\n{}1\n", "- ".repeat(10_000));
        assert!(parse::<serde_yaml::Value>(&dashes, Path::new("d"), 1, Kind::Data).is_err());
        let maps = format!("x: {}1{}\n", "{a: ".repeat(1000), "}".repeat(1000));
        assert!(too_deep(&maps).is_some());
        let block: String = (0..300)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(too_deep(&block).is_some());
    }

    #[test]
    fn ordinary_documents_are_not_too_deep() {
        for ok in [
            "note: a[[[[[[[[[[ plain scalar ]]\n",
            "q: \"[[[[[[[[[\" # [[[[[[[[[[\n",
            "t: |\n  [[[[[[[[[[[[[[[[[[\n  {{{{{{{{{{{{{\nnext: 1\n",
            "- id: a\n  values: [1, [2, 3], {x: [4]}]\n- - - 1\n",
        ] {
            assert_eq!(too_deep(ok), None, "{ok}");
        }
        let brackets = format!("note: x{}\n", "[".repeat(500));
        assert_eq!(too_deep(&brackets), None);
        let fine = format!("x: {}1{}\n", "[".repeat(120), "]".repeat(120));
        assert_eq!(too_deep(&fine), None);
        assert!(parse::<serde_yaml::Value>(&fine, Path::new("d"), 1, Kind::Data).is_ok());
    }

    #[test]
    fn alias_bombs_are_located() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        let e = parse::<serde_yaml::Value>(bomb, Path::new("b.yaml"), 1, Kind::Data).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("b.yaml:2:8: data error: aliases repeat too much"),
            "{shown}"
        );
    }
}

/// A YAML value as a template value. YAML allows keys that templates cannot hold (`1.5:`, `~:`,
/// a list or a map as a key); those become their YAML text, so any data file reaches the
/// templates without a panic in the conversion.
pub fn to_template(value: &serde_yaml::Value) -> tera::Value {
    tera::Value::from_serializable(&template_keys(value))
}

fn template_keys(value: &serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Mapping(m) => Y::Mapping(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(_) | Y::Bool(_) => k.clone(),
                        Y::Number(n) if n.is_i64() || n.is_u64() => k.clone(),
                        Y::Tagged(t) => Y::String(
                            serde_yaml::to_string(&t.value)
                                .unwrap_or_default()
                                .trim()
                                .to_string(),
                        ),
                        other => Y::String(
                            serde_yaml::to_string(other)
                                .unwrap_or_default()
                                .trim()
                                .to_string(),
                        ),
                    };
                    (key, template_keys(v))
                })
                .collect(),
        ),
        Y::Sequence(s) => Y::Sequence(s.iter().map(template_keys).collect()),
        Y::Tagged(t) => template_keys(&t.value),
        other => other.clone(),
    }
}

#[cfg(test)]
mod template_tests {
    use super::*;

    #[test]
    fn keys_templates_cannot_hold_become_text() {
        for src in [
            "1.5: a",
            "~: a",
            "[1, 2]: a",
            "{a: 1}: b",
            "!t 3.5: a",
            "a: {.nan: 1}",
        ] {
            let v: serde_yaml::Value = serde_yaml::from_str(src).unwrap();
            let t = to_template(&v);
            assert!(!t.is_none(), "{src}");
        }
    }
}
