//! Template errors that teach. Tera finds the error; this module says it in the author's terms:
//! it names the unknown tag, filter, test, function, variable or field, suggests the closest
//! known name, and for a tag or expression that was never closed points at its opening
//! delimiter instead of at the place, often a line later, where Tera noticed.
//!
//! Everything here reads the template's own text; nothing changes what Tera accepts.

use crate::error::did_you_mean;

/// The tags Tera 2 knows (its parser's keywords, and `raw`, handled by its lexer).
pub const TAGS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "endfor",
    "break",
    "continue",
    "block",
    "endblock",
    "extends",
    "include",
    "set",
    "set_global",
    "endset",
    "filter",
    "endfilter",
    "component",
    "endcomponent",
    "raw",
    "endraw",
];

/// Tera 2's built-in filters, and the ones explainer adds.
pub const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
    "tr",
    "date",
    "json",
];

/// Tera 2's built-in tests (`x is odd`).
pub const TESTS: &[&str] = &[
    "string",
    "number",
    "map",
    "bool",
    "array",
    "integer",
    "float",
    "none",
    "iterable",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];

/// Tera 2's built-in functions, and the ones explainer adds.
pub const FUNCTIONS: &[&str] = &["range", "throw", "url", "figure", "source"];

/// Context variables only the generator uses; never suggested.
const HIDDEN: &[&str] = &["__dest"];

/// A template error restated: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taught {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub help: Option<String>,
}

/// Restate Tera's `message`, reported at `line:col` (1-based, characters) of template `text`.
pub fn teach(text: &str, line: usize, col: usize, message: &str) -> Taught {
    let plain = |message: String, help: Option<String>| Taught {
        line,
        col,
        message,
        help,
    };
    if message == "Unknown tag" {
        let name = word_at(text, line, col);
        if name.is_empty() {
            return plain("unknown tag".into(), Some(known("tags", TAGS)));
        }
        let expected = open_blocks(text, line)
            .last()
            .map(|b| closer(&b.name).to_string());
        let help = match expected.as_deref() {
            Some(end) if similar(&name, end) => format!("did you mean `{end}`?"),
            _ => closest(&name, TAGS).unwrap_or_else(|| known("tags", TAGS)),
        };
        return plain(format!("unknown tag `{name}`"), Some(help));
    }
    for (prefix, what, list) in [
        ("Unknown filter `", "filter", FILTERS),
        ("Unknown test `", "test", TESTS),
        ("Unknown function `", "function", FUNCTIONS),
    ] {
        if let Some(name) = quoted_after(message, prefix) {
            let help = closest(name, list).unwrap_or_else(|| known(&format!("{what}s"), list));
            return plain(format!("unknown {what} `{name}`"), Some(help));
        }
    }
    for (prefix, what, list_marker) in [
        ("Variable `", "variable", "Available variables: "),
        ("Field `", "field", "Available fields: "),
    ] {
        if let Some(name) = quoted_after(message, prefix)
            && message.contains("is not defined")
        {
            let available: Vec<&str> = message
                .split_once(list_marker)
                .map(|(_, l)| l.trim_end_matches('.').split(", ").collect())
                .unwrap_or_default();
            let available: Vec<&str> = available
                .into_iter()
                .filter(|a| !HIDDEN.contains(a) && !a.is_empty())
                .collect();
            let help = match closest(name, &available) {
                Some(h) => format!("{h} (available {what}s: {})", available.join(", ")),
                None if available.is_empty() => format!("no {what}s are available here"),
                None => format!("available {what}s: {}", available.join(", ")),
            };
            return plain(format!("{what} `{name}` is not defined"), Some(help));
        }
    }
    if message.starts_with("Unexpected end of input") {
        if let Some(open) = unclosed_delimiter(text) {
            return open.taught(message);
        }
        if let Some(b) = open_blocks(text, usize::MAX).pop() {
            return Taught {
                line: b.line,
                col: b.col,
                message: format!("`{{% {} %}}` is never closed", b.tag),
                help: Some(format!(
                    "add `{{% {} %}}` where its body ends (Tera noticed at the end of the file, {line}:{col})",
                    closer(&b.name)
                )),
            };
        }
    }
    plain(message.to_string(), None)
}

/// For a syntax error: the opening delimiter before `line` that was never closed, if any. Tera
/// reports where it noticed (often inside the next tag); the cause is the opening.
pub fn syntax(text: &str, line: usize, col: usize, message: &str) -> Taught {
    let taught = teach(text, line, col, message);
    if taught.message != message {
        return taught;
    }
    match unclosed_delimiter(text) {
        Some(open) if (open.line, open.col) <= (line, col) => open.taught(message),
        _ => taught,
    }
}

struct Unclosed {
    line: usize,
    col: usize,
    open: &'static str,
    close: &'static str,
    /// The snippet that was opened (to the end of its line).
    snippet: String,
    /// Where the next delimiter opens, when that is what proves this one unclosed.
    next: Option<(usize, usize, &'static str)>,
}

impl Unclosed {
    fn taught(&self, tera: &str) -> Taught {
        let before = match self.next {
            Some((l, c, d)) => format!(" before the `{d}` at {l}:{c}"),
            None => " before the end of the file".to_string(),
        };
        Taught {
            line: self.line,
            col: self.col,
            message: format!(
                "`{}` is never closed: `{}` needs `{}`{before}",
                self.open, self.snippet, self.close
            ),
            help: Some(format!(
                "close it with `{}` (Tera's report, at the point it noticed: {tera})",
                self.close
            )),
        }
    }
}

const DELIMS: [(&str, &str); 3] = [("{{", "}}"), ("{%", "%}"), ("{#", "#}")];

/// The first `{{`, `{%` or `{#` whose closing delimiter does not come before the next opening
/// one (outside string literals). `{% raw %}` bodies are skipped.
fn unclosed_delimiter(text: &str) -> Option<Unclosed> {
    let mut i = 0;
    while let Some(rel) = text.get(i..)?.find('{') {
        let start = i + rel;
        let rest = &text[start..];
        let Some(&(open, close)) = DELIMS.iter().find(|(o, _)| rest.starts_with(o)) else {
            i = start + 1;
            continue;
        };
        let body_start = start + 2;
        let (line, col) = crate::error::line_col(text, start);
        let snippet: String = rest.lines().next().unwrap_or("").trim_end().into();
        let unclosed = |next: Option<(usize, usize, &'static str)>| Unclosed {
            line,
            col,
            open,
            close,
            snippet: snippet.clone(),
            next,
        };
        if open == "{#" {
            match text[body_start..].find(close) {
                Some(j) => {
                    i = body_start + j + 2;
                    continue;
                }
                None => return Some(unclosed(None)),
            }
        }
        let mut quote: Option<char> = None;
        let mut end = None;
        let mut next_open = None;
        for (j, c) in text[body_start..].char_indices() {
            let at = body_start + j;
            match quote {
                Some(q) if c == q || c == '\n' => quote = None,
                Some(_) => {}
                None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
                None if text[at..].starts_with(close) => {
                    end = Some(at + 2);
                    break;
                }
                None => {
                    if let Some(&(o, _)) = DELIMS.iter().find(|(o, _)| text[at..].starts_with(o)) {
                        next_open = Some((at, o));
                        break;
                    }
                }
            }
        }
        match (end, next_open) {
            (Some(e), _) => {
                let tag = text[body_start..e - 2].trim_matches(['-', ' ', '\t', '\n', '\r']);
                i = e;
                if open == "{%" && tag == "raw" {
                    // Skip to `{% endraw %}` (or `{%- endraw -%}`).
                    let mut k = e;
                    loop {
                        let r = text.get(k..).and_then(|t| t.find("endraw"))?;
                        k += r + "endraw".len();
                        if text[..k - "endraw".len()]
                            .trim_end_matches(['-', ' ', '\t'])
                            .ends_with("{%")
                        {
                            break;
                        }
                    }
                    i = k;
                }
            }
            (None, Some((at, o))) => {
                let (l, c) = crate::error::line_col(text, at);
                return Some(unclosed(Some((l, c, o))));
            }
            (None, None) => return Some(unclosed(None)),
        }
    }
    None
}

struct OpenBlock {
    name: String,
    /// The whole tag, as written between the delimiters.
    tag: String,
    line: usize,
    col: usize,
}

/// Tags that open a body, closed by `end<name>`.
fn opens_body(name: &str, tag: &str) -> bool {
    match name {
        "if" | "for" | "block" | "filter" | "component" | "raw" => true,
        // `{% set x = 1 %}` is complete; `{% set x %}…{% endset %}` captures a body.
        "set" | "set_global" => !tag.contains('='),
        _ => false,
    }
}

fn closer(name: &str) -> &'static str {
    match name {
        "if" => "endif",
        "for" => "endfor",
        "block" => "endblock",
        "filter" => "endfilter",
        "component" => "endcomponent",
        "raw" => "endraw",
        _ => "endset",
    }
}

/// The block tags still open at the start of `line` (outermost first).
fn open_blocks(text: &str, line: usize) -> Vec<OpenBlock> {
    let mut stack: Vec<OpenBlock> = Vec::new();
    let mut i = 0;
    while let Some(rel) = text.get(i..).and_then(|t| t.find("{%")) {
        let start = i + rel;
        let Some(end) = text[start + 2..].find("%}").map(|e| start + 2 + e) else {
            break;
        };
        let (l, c) = crate::error::line_col(text, start);
        if l >= line {
            break;
        }
        let tag = text[start + 2..end].trim_matches(['-', ' ', '\t', '\n', '\r']);
        let name: String = tag
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        i = end + 2;
        if stack.last().is_some_and(|b| b.name == "raw") && name != "endraw" {
            continue;
        }
        if opens_body(&name, tag) {
            stack.push(OpenBlock {
                name,
                tag: tag.to_string(),
                line: l,
                col: c,
            });
        } else if let Some(opened) = name.strip_prefix("end")
            && stack
                .last()
                .is_some_and(|b| b.name == opened || (opened == "set" && b.name.starts_with("set")))
        {
            stack.pop();
        }
    }
    stack
}

/// The identifier at `line:col` (1-based, in characters).
fn word_at(text: &str, line: usize, col: usize) -> String {
    text.lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .chars()
        .skip(col.saturating_sub(1))
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

fn similar(given: &str, known: &str) -> bool {
    did_you_mean(given, [known]).is_some()
}

/// The closest known name: a small edit away, else one that the given name starts or ends
/// with, or contains (`upper_case` → `upper`).
fn closest(given: &str, known: &[&str]) -> Option<String> {
    if let Some(h) = did_you_mean(given, known.iter().copied()) {
        return Some(h);
    }
    let lower = given.to_lowercase();
    known
        .iter()
        .filter(|k| k.len() >= 3 && (lower.contains(*k) || k.contains(lower.as_str())))
        .max_by_key(|k| k.len())
        .map(|k| format!("did you mean `{k}`?"))
}

fn known(what: &str, list: &[&str]) -> String {
    format!("known {what}: {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_name_what_tera_knows() {
        let ours = ["tr", "date", "json", "url", "figure", "source"];
        let mut tera = tera::Tera::new();
        for f in FILTERS.iter().filter(|f| !ours.contains(f)) {
            assert!(
                tera.add_raw_template("t", &format!("{{{{ 1 | {f} }}}}"))
                    .is_ok(),
                "{f}"
            );
        }
        for t in TESTS {
            assert!(
                tera.add_raw_template("t", &format!("{{{{ 1 is {t} }}}}"))
                    .is_ok(),
                "{t}"
            );
        }
        for f in FUNCTIONS.iter().filter(|f| !ours.contains(f)) {
            assert!(
                tera.add_raw_template("t", &format!("{{{{ {f}() }}}}"))
                    .is_ok(),
                "{f}"
            );
        }
        assert!(tera.add_raw_template("t", "{{ 1 | nosuch }}").is_err());
    }

    #[test]
    fn unknown_tag_is_named_and_the_expected_end_tag_suggested() {
        let t = "{% if a %}\nx\n{%- endfi %}\n";
        let taught = teach(t, 3, 5, "Unknown tag");
        assert_eq!(taught.message, "unknown tag `endfi`");
        assert_eq!(taught.help.as_deref(), Some("did you mean `endif`?"));
        let taught = teach("{% fro x in y %}", 1, 4, "Unknown tag");
        assert_eq!(taught.help.as_deref(), Some("did you mean `for`?"));
        let taught = teach("{% zzzzzz %}", 1, 4, "Unknown tag");
        assert!(taught.help.unwrap().starts_with("known tags: if, elif"));
    }

    #[test]
    fn unknown_filters_functions_and_tests_get_the_closest_name() {
        let taught = teach("", 1, 1, "Unknown filter `upper_case`");
        assert_eq!(taught.message, "unknown filter `upper_case`");
        assert_eq!(taught.help.as_deref(), Some("did you mean `upper`?"));
        let taught = teach("", 1, 1, "Unknown function `ulr`");
        assert_eq!(taught.help.as_deref(), Some("did you mean `url`?"));
        let taught = teach("", 1, 1, "Unknown test `strnig`");
        assert_eq!(taught.help.as_deref(), Some("did you mean `string`?"));
        let taught = teach("", 1, 1, "Unknown filter `qqqqqqq`");
        assert!(taught.help.unwrap().starts_with("known filters: safe"));
    }

    #[test]
    fn unknown_variables_and_fields_get_the_closest_name() {
        let taught = teach(
            "",
            1,
            1,
            "Variable `pgae` is not defined. Available variables: __dest, data, lang, page, site",
        );
        assert_eq!(taught.message, "variable `pgae` is not defined");
        assert_eq!(
            taught.help.as_deref(),
            Some("did you mean `page`? (available variables: data, lang, page, site)")
        );
        let taught = teach(
            "",
            1,
            1,
            "Field `titel` is not defined. Available fields: content, title, toc",
        );
        assert_eq!(
            taught.help.as_deref(),
            Some("did you mean `title`? (available fields: content, title, toc)")
        );
    }

    #[test]
    fn an_unclosed_tag_is_reported_at_its_opening() {
        let t = "<h1>{{ t }}</h1>\n{%- if page.description %\n<p class=\"lede\">{{ d }}</p>\n{%- endif %}\n";
        let taught = syntax(t, 3, 16, "Components with body content must use tag syntax");
        assert_eq!((taught.line, taught.col), (2, 1));
        assert_eq!(
            taught.message,
            "`{%` is never closed: `{%- if page.description %` needs `%}` before the `{{` at 3:17"
        );
        let taught = syntax("a {{ x }\nb", 1, 8, "Found `}` but expected }}.");
        assert_eq!((taught.line, taught.col), (1, 3));
        let taught = syntax("a {# x }}", 1, 3, "Closing comment tag `#}` not found");
        assert!(taught.message.contains("before the end of the file"));
        // Quotes and raw blocks do not confuse it; a template without a problem is left alone.
        let ok = "{{ \"{{\" }} {% raw %}{{ {% endraw %} {# {{ #}\n";
        assert!(unclosed_delimiter(ok).is_none());
        let taught = syntax(ok, 1, 1, "something else");
        assert_eq!(taught.message, "something else");
    }

    #[test]
    fn a_block_never_ended_is_named_at_its_opening() {
        let t = "{% block main %}\n{% if a %}\nx\n{% endblock %}\n";
        let taught = teach(t, 5, 1, "Unexpected end of input");
        assert_eq!((taught.line, taught.col), (2, 1));
        assert_eq!(taught.message, "`{% if a %}` is never closed");
        assert!(taught.help.unwrap().starts_with("add `{% endif %}`"));
        // `set` with a value needs no end tag.
        let t = "{% set a = 1 %}{% for x in y %}";
        assert_eq!(open_blocks(t, usize::MAX).len(), 1);
    }
}
