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
     --chart-1 … --chart-8  series colours: the Okabe–Ito hues (told apart with the common
                        colour-vision deficiencies), each ≥ 3:1 against --chart-bg
     --chart-font       font family
     --chart-max-width  widest a chart is drawn (default 640px)
   Defaults follow prefers-color-scheme on pages that declare
   <meta name=\"color-scheme\" content=\"light dark\">; other pages keep the light ones. */
";

/// Light defaults.
const LIGHT: &str = ":root{--chart-fg:#1b1f24;--chart-muted:#57606a;--chart-grid:#d0d7de;\
--chart-rest:#8c959f;--chart-bg:#fff;--chart-1:#0072b2;--chart-2:#d55e00;--chart-3:#007a5a;\
--chart-4:#b4457f;--chart-5:#a86800;--chart-6:#2c8cc5;--chart-7:#7a7300;--chart-8:#555555}
";

/// Dark defaults, as the declarations of one rule.
const DARK: &str = "--chart-fg:#e6edf3;--chart-muted:#9da7b3;\
--chart-grid:#30363d;--chart-rest:#6e7681;--chart-bg:#0d1117;--chart-1:#4c9fe0;\
--chart-2:#ff7f50;--chart-3:#00c493;--chart-4:#cc79a7;--chart-5:#e69f00;--chart-6:#8fd3f5;\
--chart-7:#f0e442;--chart-8:#c9d1d9";

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
.xc .f4{fill:var(--chart-5)}.xc .f5{fill:var(--chart-6)}.xc .f6{fill:var(--chart-7)}.xc .f7{fill:var(--chart-8)}
.xc .sfg{stroke:var(--chart-fg)}.xc .smu{stroke:var(--chart-muted)}.xc .sgr{stroke:var(--chart-grid)}
.xc .sre{stroke:var(--chart-rest)}.xc .sbg{stroke:var(--chart-bg)}
.xc .s0{stroke:var(--chart-1)}.xc .s1{stroke:var(--chart-2)}.xc .s2{stroke:var(--chart-3)}.xc .s3{stroke:var(--chart-4)}
.xc .s4{stroke:var(--chart-5)}.xc .s5{stroke:var(--chart-6)}.xc .s6{stroke:var(--chart-7)}.xc .s7{stroke:var(--chart-8)}
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

/// How many series colours there are (`--chart-1` … `--chart-8`).
pub const SERIES_COLOURS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn colours(decls: &str) -> Vec<(String, String)> {
        decls
            .split([';', '{', '}'])
            .filter_map(|d| d.split_once(':'))
            .filter(|(k, v)| k.starts_with("--chart-") && v.starts_with('#'))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn luminance(hex: &str) -> f64 {
        let hex = hex.trim_start_matches('#');
        let hex = if hex.len() == 3 {
            hex.chars().flat_map(|c| [c, c]).collect()
        } else {
            hex.to_string()
        };
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// WCAG 1.4.11: graphical objects need 3:1 against what is around them, in both schemes.
    #[test]
    fn every_series_colour_meets_wcag_contrast_in_light_and_dark() {
        for decls in [LIGHT, DARK] {
            let all = colours(decls);
            let bg = &all.iter().find(|(k, _)| k == "--chart-bg").unwrap().1;
            let series: Vec<_> = all
                .iter()
                .filter(|(k, _)| k[8..].parse::<usize>().is_ok())
                .collect();
            assert_eq!(series.len(), SERIES_COLOURS, "{decls}");
            for (name, colour) in series {
                let c = contrast(colour, bg);
                assert!(c >= 3.0, "{name} {colour} on {bg}: {c:.2}");
            }
            for text in ["--chart-fg", "--chart-muted"] {
                let fg = &all.iter().find(|(k, _)| k == text).unwrap().1;
                assert!(contrast(fg, bg) >= 4.5, "{text} {fg} on {bg}");
            }
        }
    }

    #[test]
    fn every_colour_has_its_classes() {
        let css = chart_css();
        for i in 0..SERIES_COLOURS {
            assert!(css.contains(&format!(".xc .f{i}{{fill:var(--chart-{})}}", i + 1)));
            assert!(css.contains(&format!(".xc .s{i}{{stroke:var(--chart-{})}}", i + 1)));
        }
    }
}
