//! Math at build time: the LaTeX of `$…$` and `$$…$$` (pulldown-cmark's math events, on with
//! `markdown: {math: true}`) becomes MathML Core through pulldown-latex. Browsers render MathML
//! themselves, so readers need no JavaScript and no web fonts.

use std::error::Error as _;

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

/// Longest LaTeX accepted in one formula: the parser expands macros, and a formula longer than
/// this is a mistake (an unclosed `$$` swallowing a document) rather than mathematics.
const MAX_BYTES: usize = 64 * 1024;

/// Deepest group nesting accepted (`{`, `\left`, environments): the renderer recurses per level.
const MAX_DEPTH: usize = 64;

/// MathML for `latex`, or what is wrong with it (a message for the author).
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    if latex.len() > MAX_BYTES {
        return Err(format!(
            "formula of {} bytes is longer than the {} KiB allowed; is a `$` unclosed?",
            latex.len(),
            MAX_BYTES / 1024
        ));
    }
    if depth(latex) > MAX_DEPTH {
        return Err(format!("formula nests deeper than {MAX_DEPTH} groups"));
    }
    let storage = Storage::new();
    let mut events = Vec::new();
    for event in Parser::new(latex, &storage) {
        match event {
            Ok(e) => events.push(e),
            Err(e) => {
                let why = e.source().map_or_else(|| e.to_string(), |s| s.to_string());
                return Err(format!("LaTeX: {why} in `{}`", latex.trim()));
            }
        }
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut out = String::with_capacity(latex.len() * 8);
    pulldown_latex::push_mathml(
        &mut out,
        events.into_iter().map(Ok::<_, std::convert::Infallible>),
        config,
    )
    .map_err(|e| format!("LaTeX: {e}"))?;
    Ok(out)
}

/// Deepest nesting of braces, `\left` and `\begin` in `latex`.
fn depth(latex: &str) -> usize {
    let (mut now, mut max) = (0usize, 0usize);
    let bytes = latex.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let rest = &latex.as_bytes()[i + 1..];
                if rest.starts_with(b"left") || rest.starts_with(b"begin") {
                    now += 1;
                } else if rest.starts_with(b"right") || rest.starts_with(b"end") {
                    now = now.saturating_sub(1);
                }
                // Skip the escaped character (`\{` is not a group).
                i += 1;
            }
            b'{' => now += 1,
            b'}' => now = now.saturating_sub(1),
            _ => {}
        }
        max = max.max(now);
        i += 1;
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mathml_snapshot() {
        let inline = to_mathml(r"E = mc^2", false).unwrap();
        let block = to_mathml(r"\frac{a+b}{2} \ge \sqrt{ab}", true).unwrap();
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(block.contains("display=\"block\""), "{block}");
        assert!(
            block.contains("<mfrac>") && block.contains("<msqrt>"),
            "{block}"
        );
        insta::assert_snapshot!(format!("{inline}\n{block}\n"));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = to_mathml(r"\frac{1}{", false).unwrap_err();
        assert!(e.starts_with("LaTeX: "), "{e}");
        let e = to_mathml(r"\nosuchcommand x", false).unwrap_err();
        assert!(e.contains("nosuchcommand"), "{e}");
    }

    #[test]
    fn text_is_escaped() {
        let m = to_mathml(r"a < b \text{<script>}", false).unwrap();
        assert!(!m.contains("<script>"), "{m}");
    }

    #[test]
    fn hostile_formulas_are_refused_not_crashed() {
        assert!(to_mathml(&"{".repeat(100_000), false).is_err());
        assert!(to_mathml(&"{x}".repeat(30_000), false).is_err());
        let deep = format!("{}x{}", "{".repeat(60), "}".repeat(60));
        assert!(to_mathml(&deep, false).is_ok());
        assert!(
            to_mathml(
                &format!("{}x{}", "\\left(".repeat(200), "\\right)".repeat(200)),
                true
            )
            .is_err()
        );
        // Self-referencing macros stop at the parser's own limit.
        assert!(to_mathml(r"\def\a{\a\a}\a", false).is_err());
    }
}
