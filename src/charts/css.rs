//! The CSS charts need. Inline SVGs carry classes only; these rules give them colours from custom
//! properties, so a site restyles every chart (and its dark mode) from its own stylesheet.

/// Documentation block at the top of `chart_css()`.
const DOC: &str = "/* explainer charts (svg.xc).
   Custom properties; override them on :root, or on any ancestor of a chart:
     --chart-fg         text, axis lines
     --chart-muted      secondary text: ticks, axis titles, \"log scale\"
     --chart-grid       gridlines
     --chart-rest       the remainder in part-of-whole bars
     --chart-bg         background (gaps between segments; standalone files)
     --chart-1 … --chart-4  series colours (each ≥ 3:1 against --chart-bg)
     --chart-font       font family
     --chart-max-width  widest a chart is drawn (default 640px)
   Defaults follow prefers-color-scheme on pages that declare
   <meta name=\"color-scheme\" content=\"light dark\">; other pages keep the light ones. */
";

/// Light defaults.
const LIGHT: &str = ":root{--chart-fg:#1b1f24;--chart-muted:#57606a;--chart-grid:#d0d7de;\
--chart-rest:#8c959f;--chart-bg:#fff;--chart-1:#0b6bcb;--chart-2:#c4470b;--chart-3:#1a7f37;\
--chart-4:#8250df}
";

/// Dark defaults, as the declarations of one rule.
const DARK: &str = "--chart-fg:#e6edf3;--chart-muted:#9da7b3;\
--chart-grid:#30363d;--chart-rest:#6e7681;--chart-bg:#0d1117;--chart-1:#58a6ff;\
--chart-2:#f0883e;--chart-3:#3fb950;--chart-4:#bc8cff";

/// On a page, dark colours only where the page says it supports dark mode
/// (`<meta name="color-scheme" content="light dark">`): light text on a page that stays white
/// would be unreadable.
fn page_dark() -> String {
    format!(
        "@media (prefers-color-scheme:dark){{:root:has(meta[name=\"color-scheme\"][content*=\"dark\"]){{{DARK}}}}}\n"
    )
}

/// A standalone file draws its own background, so it follows the reader's scheme.
fn file_dark() -> String {
    format!("@media (prefers-color-scheme:dark){{:root{{{DARK}}}}}\n")
}

/// The classes the drawing uses.
const PAINT: &str = ".xc{font-family:var(--chart-font,system-ui,-apple-system,\"Segoe UI\",Roboto,\
\"Noto Sans\",\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif)}
.xc .ffg{fill:var(--chart-fg)}.xc .fmu{fill:var(--chart-muted)}.xc .fgr{fill:var(--chart-grid)}
.xc .fre{fill:var(--chart-rest)}.xc .fbg{fill:var(--chart-bg)}
.xc .f0{fill:var(--chart-1)}.xc .f1{fill:var(--chart-2)}.xc .f2{fill:var(--chart-3)}.xc .f3{fill:var(--chart-4)}
.xc .sfg{stroke:var(--chart-fg)}.xc .smu{stroke:var(--chart-muted)}.xc .sgr{stroke:var(--chart-grid)}
.xc .sre{stroke:var(--chart-rest)}.xc .sbg{stroke:var(--chart-bg)}
.xc .s0{stroke:var(--chart-1)}.xc .s1{stroke:var(--chart-2)}.xc .s2{stroke:var(--chart-3)}.xc .s3{stroke:var(--chart-4)}
";

/// Sizing on a page: the viewBox scales to the column, capped so type stays moderate.
const PAGE: &str =
    "svg.xc{display:block;width:100%;height:auto;max-width:var(--chart-max-width,640px)}
figure.chart{margin-inline:0}
";

/// The CSS for charts inlined into pages; the site stylesheet includes it.
pub fn chart_css() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(|| [DOC, LIGHT, &page_dark(), PAINT, PAGE].concat())
}

/// The CSS embedded in a standalone SVG file (it has its own size, so no page sizing).
pub(crate) fn standalone() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(|| [LIGHT, &file_dark(), PAINT].concat().replace('\n', ""))
}
