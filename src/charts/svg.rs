//! From a laid-out scene to SVG: plotters' `SVGBackend` draws it into a string, then this module
//! (and only this one) post-processes plotters' output into what a page needs: `<title>` and
//! `<desc>`, `role="img"` and `aria-labelledby`, a viewBox without fixed width and height, and
//! CSS classes instead of colours so charts follow the page's palette and dark mode.
//!
//! Each `Paint` is drawn in a placeholder colour (`#C0DExx`, chosen so nothing else produces it);
//! the rewrite maps each placeholder back to a class exactly. Plotters escapes text content and
//! attribute values itself, so strings are handed to it raw and never escaped twice.

use plotters::prelude::{Color, DrawingBackend, RGBColor, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, IntoFont, TextStyle};

use super::layout::{Anchor, Item, Paint, Scene, WIDTH};

/// The placeholder colour plotters writes for a paint.
fn placeholder(paint: Paint) -> RGBColor {
    let code = match paint {
        Paint::Fg => 0x01,
        Paint::Muted => 0x02,
        Paint::Grid => 0x03,
        Paint::Rest => 0x04,
        Paint::Series(i) => 0x10 + (i % super::css::SERIES_COLOURS) as u8,
    };
    RGBColor(0xC0, 0xDE, code)
}

/// The class suffix of a placeholder colour as plotters prints it (`#C0DE10` → `0`).
fn class_of(colour: &str) -> Option<&'static str> {
    Some(match colour {
        "#C0DE01" => "fg",
        "#C0DE02" => "mu",
        "#C0DE03" => "gr",
        "#C0DE04" => "re",
        "#C0DE10" => "0",
        "#C0DE11" => "1",
        "#C0DE12" => "2",
        "#C0DE13" => "3",
        "#C0DE14" => "4",
        "#C0DE15" => "5",
        "#C0DE16" => "6",
        "#C0DE17" => "7",
        _ => return None,
    })
}

/// Plotters writes font sizes divided by 1.24 (its pixel-to-point factor); undo that up front.
const PLOTTERS_FONT_FACTOR: f64 = 1.24;
/// Plotters places top-anchored text with `dy="0.76em"`; we fold it into `y`.
const TOP_DY_EM: f64 = 0.76;

/// Draw `scene` with plotters and return its raw SVG.
fn draw(scene: &Scene) -> String {
    let mut out = String::new();
    {
        let size = (WIDTH as u32, scene.height.ceil() as u32);
        let mut svg = SVGBackend::with_string(&mut out, size);
        let p = |v: f64| v.round() as i32;
        for item in &scene.items {
            // Drawing into a String cannot fail.
            let _ = match item {
                Item::Rect { x, y, w, h, paint } => svg.draw_rect(
                    (p(*x), p(*y)),
                    (p(x + w), p(y + h)),
                    &placeholder(*paint).filled(),
                    true,
                ),
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    paint,
                    width,
                } => svg.draw_line(
                    (p(*x1), p(*y1)),
                    (p(*x2), p(*y2)),
                    &placeholder(*paint).stroke_width(*width),
                ),
                Item::Dot { x, y, r, paint } => svg.draw_circle(
                    (p(*x), p(*y)),
                    r.round() as u32,
                    &placeholder(*paint).filled(),
                    true,
                ),
                Item::Text {
                    x,
                    y,
                    text,
                    size,
                    anchor,
                    bold,
                    paint,
                } if !text.is_empty() => {
                    let weight = if *bold {
                        FontStyle::Bold
                    } else {
                        FontStyle::Normal
                    };
                    let h = match anchor {
                        Anchor::Start => HPos::Left,
                        Anchor::Middle => HPos::Center,
                        Anchor::End => HPos::Right,
                    };
                    let colour = placeholder(*paint);
                    let style = TextStyle::from(
                        ("sans-serif", size * PLOTTERS_FONT_FACTOR, weight).into_font(),
                    )
                    .color(&colour)
                    .pos(Pos::new(h, VPos::Top));
                    svg.draw_text(text, &style, (p(*x), p(*y)))
                }
                Item::Text { .. } => Ok(()),
            };
        }
        let _ = svg.present();
    }
    out
}

/// Numbers in attributes: at most two decimals, no trailing zeros.
pub fn num(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Rewrite one element tag as plotters printed it (`<rect x="1" … fill="#C0DE10" …/>`).
fn rewrite_tag(line: &str, out: &mut String) {
    let body = line.trim_end_matches("/>").trim_end_matches('>');
    let closed = line.ends_with("/>");
    let (name, rest) = body[1..].split_once(' ').unwrap_or((&body[1..], ""));
    let attrs: Vec<(&str, &str)> = rest
        .split("\" ")
        .filter_map(|a| {
            let (k, v) = a.split_once("=\"")?;
            Some((k.trim(), v.trim_end_matches('"')))
        })
        .collect();
    let get = |k: &str| attrs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let size: f64 = get("font-size").and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let mut classes: Vec<String> = Vec::new();
    out.push('<');
    out.push_str(name);
    for (k, v) in &attrs {
        match (*k, *v) {
            ("opacity", "1") | ("stroke", "none") | ("stroke-width", "1") => {}
            ("font-family", _) | ("dy", _) | ("text-anchor", "start") => {}
            ("font-size", _) => push_attr(out, k, &num(size)),
            ("y", _) if name == "text" => {
                let y: f64 = v.parse().unwrap_or(0.0);
                push_attr(out, k, &num(y + TOP_DY_EM * size));
            }
            ("fill" | "stroke", colour) => match class_of(colour) {
                Some(c) => classes.push(format!("{}{c}", &k[..1])),
                None => push_attr(out, k, colour),
            },
            _ => push_attr(out, k, v),
        }
    }
    if !classes.is_empty() {
        push_attr(out, "class", &classes.join(" "));
    }
    out.push_str(if closed { "/>\n" } else { ">" });
}

fn push_attr(out: &mut String, k: &str, v: &str) {
    out.push(' ');
    out.push_str(k);
    out.push_str("=\"");
    out.push_str(v);
    out.push('"');
}

/// The drawing's elements, rewritten: one element a line, text content kept as plotters escaped it.
fn body(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        if line.starts_with("<svg") || line == "</svg>" {
            continue;
        }
        if line.starts_with("</") {
            out.push_str(line);
            out.push('\n');
        } else if line.starts_with('<') {
            rewrite_tag(line, &mut out);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Escape text for XML/HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the two SVG forms share.
pub struct Labels<'a> {
    /// Prefix of the element ids: `chart-<id>-<lang>`.
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// The chart for inlining into HTML, and as a standalone file.
pub fn render(scene: &Scene, labels: &Labels) -> (String, String) {
    let drawing = body(&draw(scene));
    let height = num(scene.height.ceil());
    let width = num(WIDTH);
    let title_id = format!("{}-title", labels.id);
    let desc_id = format!("{}-desc", labels.id);
    let head = format!(
        "viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{title_id} {desc_id}\">\n\
         <title id=\"{title_id}\">{}</title>\n<desc id=\"{desc_id}\">{}</desc>\n",
        escape(labels.title),
        escape(labels.desc),
    );
    let inline = format!("<svg class=\"xc\" {head}{drawing}</svg>");
    let file = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"xc\" width=\"{width}\" height=\"{height}\" {head}\
         <style>{}</style>\n<rect width=\"100%\" height=\"100%\" class=\"fbg\"/>\n{drawing}</svg>\n",
        super::css::standalone()
    );
    (inline, file)
}

#[cfg(test)]
mod tests {
    use super::super::layout::{Font, Paint};
    use super::*;

    #[test]
    fn placeholders_become_classes_and_text_is_escaped_once() {
        let mut scene = Scene {
            height: 40.0,
            ..Scene::default()
        };
        scene.rect(1.0, 2.0, 30.0, 10.0, Paint::Series(1));
        scene.line((0.0, 0.5), (100.0, 0.5), Paint::Grid);
        scene.text(
            10.0,
            10.0,
            &["<script> & \"q\"".into()],
            Font::LABEL,
            Anchor::End,
        );
        let labels = Labels {
            id: "chart-x-en",
            title: "A & B",
            desc: "d",
        };
        let (inline, file) = render(&scene, &labels);
        assert!(!inline.contains("#C0DE"), "{inline}");
        assert!(inline.contains("class=\"f1\""), "{inline}");
        assert!(inline.contains("class=\"sgr\""), "{inline}");
        assert!(
            inline.contains(">&lt;script&gt; &amp; &quot;q&quot;</text>"),
            "{inline}"
        );
        assert!(inline.contains("<title id=\"chart-x-en-title\">A &amp; B</title>"));
        assert!(!inline.contains("width=\"480\""));
        assert!(!inline.contains("opacity"));
        assert!(file.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(file.contains("<style>"));
        // y of a 16 px top-anchored line at 10: baseline 10 + 0.76 × 16.
        assert!(inline.contains("y=\"22.16\""), "{inline}");
        assert!(inline.contains("font-size=\"16\""), "{inline}");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(11.396), "11.4");
        assert_eq!(num(-0.001), "0");
    }
}
