//! From a laid-out scene to SVG. plotters draws every item of the scene (as its `Rectangle`,
//! `PathElement`, `Circle` and `Text` elements on a drawing area) into [`SvgWriter`], a plotters
//! `DrawingBackend` of our own that writes each element the way a page needs it: a CSS class
//! instead of a colour (so charts follow the page's palette and dark mode), coordinates to two
//! decimals, text escaped once. Nothing reads plotters' output back.
//!
//! plotters hands backends integer coordinates, so the scene is drawn at [`SUBUNITS`] backend
//! units per viewBox unit and the writer divides them back: a bar 10.25 units wide stays 10.25.
//! Each `Paint` reaches the backend as a colour from [`PAINTS`] (the colour's index in that table
//! is the paint), and the backend turns the colour back into the paint's class.

use std::fmt::Write as _;

use plotters::prelude::{
    Circle, Color, IntoDrawingArea, IntoFont, PathElement, RGBColor, Rectangle, Text,
};
use plotters::style::TextStyle;
use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};

use super::layout::{Anchor, Item, Paint, Scene, WIDTH};
use crate::escape;

/// Backend units per viewBox unit: positions, sizes and stroke widths keep two decimals.
const SUBUNITS: f64 = 100.0;

/// Where a line of text's baseline sits below the top of its line box, in em. The scene places
/// text by its top; SVG places it by its baseline.
const ASCENT_EM: f64 = 0.76;

/// Every paint with its class suffix. A paint is drawn in the colour `#C0DE<index>`; the backend
/// maps the colour back to the class through this table, so the two can never disagree.
const PAINTS: [(Paint, &str); 12] = [
    (Paint::Fg, "fg"),
    (Paint::Muted, "mu"),
    (Paint::Grid, "gr"),
    (Paint::Rest, "re"),
    (Paint::Series(0), "0"),
    (Paint::Series(1), "1"),
    (Paint::Series(2), "2"),
    (Paint::Series(3), "3"),
    (Paint::Series(4), "4"),
    (Paint::Series(5), "5"),
    (Paint::Series(6), "6"),
    (Paint::Series(7), "7"),
];

/// The colour plotters is given for `paint` (series beyond the palette cycle through it).
fn colour(paint: Paint) -> RGBColor {
    let paint = match paint {
        Paint::Series(i) => Paint::Series(i % super::css::SERIES_COLOURS),
        p => p,
    };
    let index = PAINTS.iter().position(|(p, _)| *p == paint).unwrap_or(0);
    RGBColor(0xC0, 0xDE, index as u8)
}

/// The class suffix of a colour the backend was given.
fn class_of(c: BackendColor) -> Result<&'static str, UnknownColour> {
    match c.rgb {
        (0xC0, 0xDE, i) => PAINTS
            .get(usize::from(i))
            .map(|(_, class)| *class)
            .ok_or(UnknownColour(c.rgb)),
        rgb => Err(UnknownColour(rgb)),
    }
}

/// A colour that is no paint of ours: only a change to this module could produce one.
#[derive(Debug)]
pub struct UnknownColour((u8, u8, u8));

impl std::fmt::Display for UnknownColour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (r, g, b) = self.0;
        write!(f, "colour #{r:02x}{g:02x}{b:02x} is not a chart paint")
    }
}

impl std::error::Error for UnknownColour {}

/// A backend coordinate or length as an attribute value in viewBox units.
fn units(v: i32) -> String {
    num(f64::from(v) / SUBUNITS)
}

/// A viewBox position or length in backend units.
fn sub(v: f64) -> i32 {
    // `as` saturates: a coordinate far outside any chart cannot wrap around.
    (v * SUBUNITS).round() as i32
}

/// The plotters backend that writes SVG elements with classes into `out`, one element a line.
pub struct SvgWriter<'a> {
    out: &'a mut String,
    size: (u32, u32),
}

type Drawn = Result<(), DrawingErrorKind<UnknownColour>>;

impl SvgWriter<'_> {
    fn class(
        &self,
        c: BackendColor,
        prefix: char,
    ) -> Result<String, DrawingErrorKind<UnknownColour>> {
        class_of(c)
            .map(|class| format!("{prefix}{class}"))
            .map_err(DrawingErrorKind::DrawingError)
    }

    /// The paint of a shape: its fill's class, or `fill="none"` and its stroke's class.
    fn paint(
        &self,
        c: BackendColor,
        fill: bool,
    ) -> Result<String, DrawingErrorKind<UnknownColour>> {
        Ok(if fill {
            format!(" class=\"{}\"", self.class(c, 'f')?)
        } else {
            format!(" fill=\"none\" class=\"{}\"", self.class(c, 's')?)
        })
    }
}

impl DrawingBackend for SvgWriter<'_> {
    type ErrorType = UnknownColour;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    /// One backend unit square (plotters' rasterizer falls back to pixels for shapes a backend
    /// does not draw itself; the scene uses none of them).
    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Drawn {
        self.draw_rect(
            (x, y),
            (x.saturating_add(1), y.saturating_add(1)),
            &color,
            true,
        )
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let paint = self.paint(style.color(), fill)?;
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{paint}/>",
            units(x0),
            units(y0),
            units(x1.saturating_sub(x0)),
            units(y1.saturating_sub(y0)),
        );
        Ok(())
    }

    /// Two points are a `<line>`, more a `<polyline>`.
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let class = self.class(style.color(), 's')?;
        let points: Vec<BackendCoord> = path.into_iter().collect();
        let width = match style.stroke_width() {
            w if f64::from(w) == SUBUNITS => String::new(),
            w => format!(
                " stroke-width=\"{}\"",
                units(i32::try_from(w).unwrap_or(i32::MAX))
            ),
        };
        match points.as_slice() {
            [] | [_] => {}
            [(x1, y1), (x2, y2)] => {
                let _ = writeln!(
                    self.out,
                    "<line{width} x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{class}\"/>",
                    units(*x1),
                    units(*y1),
                    units(*x2),
                    units(*y2),
                );
            }
            _ => {
                let list: Vec<String> = points
                    .iter()
                    .map(|&(x, y)| format!("{},{}", units(x), units(y)))
                    .collect();
                let _ = writeln!(
                    self.out,
                    "<polyline{width} points=\"{}\" fill=\"none\" class=\"{class}\"/>",
                    list.join(" ")
                );
            }
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let paint = self.paint(style.color(), fill)?;
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{paint}/>",
            units(x),
            units(y),
            units(i32::try_from(radius).unwrap_or(i32::MAX)),
        );
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        (x, y): BackendCoord,
    ) -> Drawn {
        let class = self.class(style.color(), 'f')?;
        let size = style.size() / SUBUNITS;
        let anchor = match style.anchor().h_pos {
            HPos::Left => "",
            HPos::Center => " text-anchor=\"middle\"",
            HPos::Right => " text-anchor=\"end\"",
        };
        let top = f64::from(y) / SUBUNITS;
        let baseline = match style.anchor().v_pos {
            VPos::Top => top + ASCENT_EM * size,
            VPos::Center => top + (ASCENT_EM - 0.5) * size,
            VPos::Bottom => top,
        };
        let weight = match style.style() {
            FontStyle::Bold => " font-weight=\"bold\"",
            _ => "",
        };
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\"{anchor} font-size=\"{}\"{weight} class=\"{class}\">{}</text>",
            units(x),
            num(baseline),
            num(size),
            escape::html(text),
        );
        Ok(())
    }
}

/// Draw `scene` with plotters through [`SvgWriter`]: the drawing's elements, one a line.
fn draw(scene: &Scene) -> String {
    let mut out = String::new();
    let size = (sub(WIDTH) as u32, sub(scene.height.ceil()).max(0) as u32);
    let area = SvgWriter {
        out: &mut out,
        size,
    }
    .into_drawing_area();
    for item in &scene.items {
        let drawn = match item {
            Item::Rect { x, y, w, h, paint } => area.draw(&Rectangle::new(
                [(sub(*x), sub(*y)), (sub(x + w), sub(y + h))],
                colour(*paint).filled(),
            )),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                paint,
                width,
            } => area.draw(&PathElement::new(
                vec![(sub(*x1), sub(*y1)), (sub(*x2), sub(*y2))],
                Color::stroke_width(&colour(*paint), sub(f64::from(*width)).max(0) as u32),
            )),
            Item::Dot { x, y, r, paint } => area.draw(&Circle::new(
                (sub(*x), sub(*y)),
                sub(*r),
                colour(*paint).filled(),
            )),
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
                let fill = colour(*paint);
                let style = TextStyle::from(("sans-serif", size * SUBUNITS, weight).into_font())
                    .color(&fill)
                    .pos(Pos::new(h, VPos::Top));
                area.draw(&Text::new(text.as_str(), (sub(*x), sub(*y)), style))
            }
            Item::Text { .. } => Ok(()),
        };
        // Writing into a String cannot fail, and every colour comes from `colour`.
        debug_assert!(drawn.is_ok(), "{drawn:?}");
    }
    drop(area);
    out
}

/// Numbers in attributes: at most two decimals, no trailing zeros.
pub fn num(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
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
    let drawing = draw(scene);
    let height = num(scene.height.ceil());
    let width = num(WIDTH);
    let title_id = format!("{}-title", labels.id);
    let desc_id = format!("{}-desc", labels.id);
    let head = format!(
        "viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{title_id} {desc_id}\">\n\
         <title id=\"{title_id}\">{}</title>\n<desc id=\"{desc_id}\">{}</desc>\n",
        escape::html(labels.title),
        escape::html(labels.desc),
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
    fn paints_become_classes_and_text_is_escaped_once() {
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
        assert!(
            inline.contains("<line x1=\"0\" y1=\"0.5\" x2=\"100\" y2=\"0.5\" class=\"sgr\"/>"),
            "{inline}"
        );
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
    fn positions_keep_two_decimals() {
        let mut scene = Scene {
            height: 20.5,
            ..Scene::default()
        };
        scene.rect(10.25, 2.5, 30.125, 7.75, Paint::Fg);
        scene.dot(5.5, 6.25, 3.5, Paint::Series(9));
        scene.items.push(Item::Line {
            x1: 0.333,
            y1: 1.0,
            x2: 2.0,
            y2: 1.0,
            paint: Paint::Muted,
            width: 2,
        });
        let (inline, _) = render(
            &scene,
            &Labels {
                id: "c",
                title: "t",
                desc: "d",
            },
        );
        assert!(
            inline.contains(
                "<rect x=\"10.25\" y=\"2.5\" width=\"30.13\" height=\"7.75\" class=\"ffg\"/>"
            ),
            "{inline}"
        );
        // Series beyond the palette cycle through it.
        assert!(
            inline.contains("<circle cx=\"5.5\" cy=\"6.25\" r=\"3.5\" class=\"f1\"/>"),
            "{inline}"
        );
        assert!(
            inline.contains(
                "<line stroke-width=\"2\" x1=\"0.33\" y1=\"1\" x2=\"2\" y2=\"1\" class=\"smu\"/>"
            ),
            "{inline}"
        );
        assert!(inline.contains("viewBox=\"0 0 480 21\""), "{inline}");
    }

    #[test]
    fn every_paint_has_its_own_colour_and_comes_back_as_its_class() {
        for (paint, class) in PAINTS {
            let c = colour(paint);
            let back = class_of(BackendColor {
                alpha: 1.0,
                rgb: (c.0, c.1, c.2),
            });
            assert_eq!(back.unwrap(), class);
        }
        let other = BackendColor {
            alpha: 1.0,
            rgb: (0, 0, 0),
        };
        assert!(class_of(other).is_err());
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(11.396), "11.4");
        assert_eq!(num(-0.001), "0");
    }
}
