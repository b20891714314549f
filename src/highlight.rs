//! Code highlighting at build time: fenced code with a known language becomes spans with CSS
//! classes (syntect, with bat's grammars from two-face), coloured by `highlight.css`, which the
//! build writes. No inline styles, so a strict Content-Security-Policy holds and light and dark
//! themes both work. Unknown languages stay plain code.
//!
//! The grammars are loaded on the first highlighted block, never for sites without code.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Where the build writes the highlighting stylesheet.
pub const CSS_PATH: &str = "highlight.css";

/// Class names are the scope's atoms with this prefix: `keyword.control.rust` becomes
/// `hl-keyword hl-control hl-rust`.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks larger than this are left plain: highlighting is per line with backtracking regexes,
/// and a minified megabyte of JSON is better shown plain than slowly.
const MAX_BYTES: usize = 256 * 1024;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The language a fence's info string names: its first word (`rust,ignore` and
/// `python {.numberLines}` name `rust` and `python`).
pub fn language(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
}

/// Names authors write that the grammars spell differently.
fn alias(lang: &str) -> &str {
    match lang.to_ascii_lowercase().as_str() {
        "shell" | "sh" | "zsh" | "console" => "bash",
        "js" | "mjs" | "cjs" | "jsx" => "js",
        "ts" | "mts" | "cts" => "ts",
        "tsx" => "tsx",
        "py" | "python3" => "py",
        "yml" => "yaml",
        "rs" => "rs",
        "r" => "R",
        "htm" | "xhtml" => "html",
        _ => lang,
    }
}

fn find(lang: &str) -> Option<&'static SyntaxReference> {
    if lang.is_empty() || matches!(lang, "text" | "txt" | "plain" | "plaintext") {
        return None;
    }
    syntaxes()
        .find_syntax_by_token(alias(lang))
        .filter(|s| s.name != "Plain Text")
}

/// Whether a fence with this info string will be highlighted (cheap once the grammars are
/// loaded; an empty info string never loads them).
pub fn knows(info: &str) -> bool {
    let lang = language(info);
    !lang.is_empty() && find(lang).is_some()
}

/// The block as highlighted HTML, or `None` for a language without a grammar (the caller keeps
/// the plain block).
pub fn block(info: &str, code: &str) -> Option<String> {
    if code.len() > MAX_BYTES {
        return None;
    }
    let lang = language(info);
    let syntax = find(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let spans = generator.finalize();
    // Focusable: a wide block scrolls sideways, and keyboard users must be able to scroll it.
    Some(format!(
        "<pre class=\"hl\" tabindex=\"0\"><code class=\"language-{}\">{spans}</code></pre>\n",
        crate::escape::html(lang)
    ))
}

/// Documentation block at the top of `highlight.css`.
const DOC: &str = "/* explainer code highlighting (pre.hl).
   Custom properties; override them on :root, or on any ancestor of a block:
     --code-fg --code-bg        text and background
     --code-comment             comments
     --code-keyword             keywords, operators that are words
     --code-string              strings
     --code-constant            numbers, true/false/null, escapes
     --code-function            names of functions and methods
     --code-type                types, classes, storage (let, fn, def)
     --code-tag                 HTML/XML tags, keys in YAML/TOML/JSON
     --code-attribute           attributes, CSS properties
     --code-variable            variables, parameters
   Each colour is at least 4.5:1 against --code-bg. Dark defaults follow
   prefers-color-scheme on pages that declare
   <meta name=\"color-scheme\" content=\"light dark\">; other pages keep the light ones. */
";

/// Light defaults (GitHub's Primer palette).
const LIGHT: &str = ":root{--code-fg:#1f2328;--code-bg:#f6f8fa;--code-comment:#59636e;\
--code-keyword:#cf222e;--code-string:#0a3069;--code-constant:#0550ae;--code-function:#6639ba;\
--code-type:#953800;--code-tag:#116329;--code-attribute:#0550ae;--code-variable:#953800}
";

/// Dark defaults, as the declarations of one rule.
const DARK: &str = "--code-fg:#e6edf3;--code-bg:#161b22;--code-comment:#9198a1;\
--code-keyword:#ff7b72;--code-string:#a5d6ff;--code-constant:#79c0ff;--code-function:#d2a8ff;\
--code-type:#ffa657;--code-tag:#7ee787;--code-attribute:#79c0ff;--code-variable:#ffa657";

/// Scope classes to colours; later rules win over earlier ones of the same specificity, and a
/// nested span's own rule wins over what it inherits.
const PAINT: &str = "pre.hl{color:var(--code-fg);background:var(--code-bg);overflow-x:auto;\
padding:.75em 1em;border-radius:6px;line-height:1.45;tab-size:4}
pre.hl code{background:none;color:inherit;padding:0;font-size:inherit}
.hl .hl-variable,.hl .hl-parameter{color:var(--code-variable)}
.hl .hl-support,.hl .hl-entity.hl-name.hl-type,.hl .hl-storage,.hl .hl-entity.hl-name.hl-class{color:var(--code-type)}
.hl .hl-entity.hl-name.hl-function,.hl .hl-support.hl-function,.hl .hl-meta.hl-function-call .hl-variable.hl-function{color:var(--code-function)}
.hl .hl-entity.hl-name.hl-tag,.hl .hl-entity.hl-name.hl-key,.hl .hl-meta.hl-mapping.hl-key,.hl .hl-support.hl-type.hl-property-name,.hl .hl-meta.hl-tag.hl-table{color:var(--code-tag)}
.hl .hl-entity.hl-other.hl-attribute-name,.hl .hl-support.hl-type.hl-property-name.hl-css{color:var(--code-attribute)}
.hl .hl-keyword,.hl .hl-storage.hl-modifier{color:var(--code-keyword)}
.hl .hl-keyword.hl-operator:not(.hl-word){color:inherit}
.hl .hl-constant{color:var(--code-constant)}
.hl .hl-string,.hl .hl-string .hl-punctuation{color:var(--code-string)}
.hl .hl-constant.hl-character.hl-escape{color:var(--code-constant)}
.hl .hl-comment,.hl .hl-comment .hl-punctuation{color:var(--code-comment);font-style:italic}
.hl .hl-markup.hl-bold{font-weight:bold}.hl .hl-markup.hl-italic{font-style:italic}
.hl .hl-invalid{text-decoration:underline wavy}
";

/// The stylesheet the build writes to [`CSS_PATH`].
pub fn css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let dark = format!(
            "@media (prefers-color-scheme:dark){{:root:has(meta[name=\"color-scheme\"][content*=\"dark\"]){{{DARK}}}}}\n"
        );
        [DOC, LIGHT, &dark, PAINT].concat()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One small program per language an explainer uses; each must come out with the classes
    /// its grammar gives the keyword, string or comment in it.
    const SAMPLES: &[(&str, &str, &str)] = &[
        (
            "python",
            "def mean(xs):\n    # average\n    return sum(xs) / len(xs)\n",
            "hl-storage hl-type hl-function hl-python",
        ),
        ("r", "x <- c(1, 2) # two\nmean(x)\n", "hl-comment"),
        (
            "sql",
            "SELECT name FROM users WHERE id = 'a';\n",
            "hl-keyword",
        ),
        (
            "javascript",
            "const n = 42; // answer\n",
            "hl-storage hl-type",
        ),
        (
            "typescript",
            "let n: number = 42;\n",
            "hl-support hl-type hl-primitive",
        ),
        (
            "rust",
            "fn main() { let s = \"hi\"; }\n",
            "hl-entity hl-name hl-function",
        ),
        ("json", "{\"a\": [1, true]}\n", "hl-constant hl-numeric"),
        ("yaml", "key: value # note\n", "hl-entity hl-name hl-tag"),
        ("toml", "[package]\nname = \"x\"\n", "hl-string"),
        (
            "bash",
            "for f in *.md; do echo \"$f\"; done\n",
            "hl-keyword",
        ),
        (
            "html",
            "<p class=\"x\">Hi &amp; bye</p>\n",
            "hl-entity hl-other hl-attribute-name",
        ),
        (
            "css",
            "a { color: #fff; }\n",
            "hl-support hl-type hl-property-name",
        ),
    ];

    #[test]
    fn every_listed_language_is_highlighted() {
        let mut snapshot = String::new();
        for (lang, code, class) in SAMPLES {
            let html = block(lang, code).unwrap_or_else(|| panic!("{lang} is not highlighted"));
            assert!(html.contains(class), "{lang}: no `{class}` in {html}");
            assert!(!html.contains("style="), "{lang}: inline style in {html}");
            snapshot.push_str(&format!("== {lang}\n{html}"));
        }
        insta::assert_snapshot!(snapshot);
    }

    #[test]
    fn aliases_and_info_strings() {
        for info in [
            "py",
            "js",
            "ts",
            "sh",
            "shell",
            "yml",
            "rs",
            "R",
            "rust,ignore",
            "python {.x}",
        ] {
            assert!(knows(info), "{info}");
        }
        assert_eq!(language("rust,ignore"), "rust");
    }

    #[test]
    fn unknown_languages_and_text_stay_plain() {
        assert!(block("no-such-language", "x").is_none());
        assert!(block("text", "x").is_none());
        assert!(block("", "x").is_none());
        assert!(!knows(""));
    }

    #[test]
    fn code_text_is_escaped() {
        let html = block("html", "<script>alert(1)</script>\n").unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        let html = block("python", "s = \"</code></pre><b>\"\n").unwrap();
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn huge_blocks_stay_plain() {
        let big = "1,".repeat(MAX_BYTES);
        assert!(block("json", &big).is_none());
    }

    #[test]
    fn css_has_light_and_dark() {
        let css = css();
        assert!(css.contains(":root{--code-fg:#1f2328"));
        assert!(css.contains("@media (prefers-color-scheme:dark)"));
        assert!(css.contains("--code-bg:#161b22"));
        assert!(css.contains(".hl .hl-comment"));
    }
}
