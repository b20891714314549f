//! Geometry shared by every kind: the scene a kind lays out (rectangles, lines, text in user
//! units of the viewBox), text measurement and wrapping, and value scales with their ticks.
//!
//! Kinds compute every position themselves; `svg.rs` turns the finished scene into SVG with
//! plotters. Measuring text ourselves (instead of plotters' naive estimate, which counts bytes)
//! lets labels wrap and gutters size to their content, CJK included.

/// Width of every chart's viewBox. At 15 px type this stays ≥ 11 CSS px on a 358 px phone column.
pub const WIDTH: f64 = 480.0;
/// Outer margin.
pub const MARGIN: f64 = 8.0;
/// Ticks, axis titles, notes.
pub const SMALL: f64 = 15.0;
/// Category labels and value labels.
pub const LABEL: f64 = 16.0;
/// Line height as a multiple of the font size.
pub const LEADING: f64 = 1.25;

/// What an element is painted with; `svg.rs` maps each to a CSS class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Text and axis lines.
    Fg,
    /// Secondary text: ticks, axis titles, "log scale".
    Muted,
    /// Gridlines.
    Grid,
    /// The remainder of a part-of-whole bar.
    Rest,
    /// Series colour 0..=7 (cycled beyond; a part chart never needs to).
    Series(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone)]
pub enum Item {
    /// A filled rectangle.
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        paint: Paint,
    },
    /// A straight line, 1 unit wide unless `width` says otherwise.
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        paint: Paint,
        width: u32,
    },
    /// A filled circle.
    Dot {
        x: f64,
        y: f64,
        r: f64,
        paint: Paint,
    },
    /// One line of text; `y` is the top of the line box.
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        anchor: Anchor,
        bold: bool,
        paint: Paint,
    },
}

/// Everything one chart draws, in viewBox units (`WIDTH` × `height`).
#[derive(Debug, Clone, Default)]
pub struct Scene {
    pub height: f64,
    pub items: Vec<Item>,
}

impl Scene {
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, paint: Paint) {
        if w > 0.0 && h > 0.0 {
            self.items.push(Item::Rect { x, y, w, h, paint });
        }
    }

    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), paint: Paint) {
        self.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            paint,
            width: 1,
        });
    }

    pub fn dot(&mut self, x: f64, y: f64, r: f64, paint: Paint) {
        self.items.push(Item::Dot { x, y, r, paint });
    }

    /// Lines of text stacked from `top`; returns the y just below the block.
    pub fn text(&mut self, x: f64, top: f64, lines: &[String], font: Font, anchor: Anchor) -> f64 {
        let mut y = top;
        for line in lines {
            self.items.push(Item::Text {
                x,
                y,
                text: line.clone(),
                size: font.size,
                anchor,
                bold: font.bold,
                paint: font.paint,
            });
            y += font.line();
        }
        top + font.block(lines.len())
    }
}

/// A text style: size, weight and paint.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
    pub paint: Paint,
}

impl Font {
    pub const LABEL: Font = Font {
        size: LABEL,
        bold: false,
        paint: Paint::Fg,
    };
    pub const VALUE: Font = Font {
        size: LABEL,
        bold: true,
        paint: Paint::Fg,
    };
    pub const SMALL: Font = Font {
        size: SMALL,
        bold: false,
        paint: Paint::Muted,
    };
    /// Small text in the text colour: series names, legends, events.
    pub const NAME: Font = Font {
        size: SMALL,
        bold: false,
        paint: Paint::Fg,
    };
    pub const HEADING: Font = Font {
        size: LABEL,
        bold: true,
        paint: Paint::Fg,
    };

    pub fn line(&self) -> f64 {
        self.size * LEADING
    }

    /// Height of `n` lines: the last line counts only its glyph box.
    pub fn block(&self, n: usize) -> f64 {
        if n == 0 {
            0.0
        } else {
            (n - 1) as f64 * self.line() + self.size
        }
    }

    pub fn width(&self, s: &str) -> f64 {
        text_width(s, self.size, self.bold)
    }

    pub fn wrap(&self, s: &str, max: f64) -> Vec<String> {
        wrap(s, max, self.size, self.bold)
    }

    /// Width of the widest of `lines`.
    pub fn widest(&self, lines: &[String]) -> f64 {
        lines.iter().map(|l| self.width(l)).fold(0.0, f64::max)
    }
}

/// East Asian wide characters: CJK ideographs, kana, hangul, fullwidth forms and CJK punctuation.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Advance of one character in em, erring wide: browsers fall back to fonts as broad as DejaVu
/// Sans, and a label a little short of its box looks fine while one past it is clipped.
fn char_em(c: char) -> f64 {
    if is_wide(c) {
        return 1.0;
    }
    match c {
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | 'I' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.4,
        'm' | 'w' => 0.9,
        'M' | 'W' | '@' | '%' | '—' => 1.0,
        'A'..='Z' => 0.72,
        '0'..='9' | '$' | '¥' | '€' | '£' => 0.64,
        'a'..='z' => 0.6,
        _ => 0.65,
    }
}

/// Estimated rendered width of `s` in user units.
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    em * size * if bold { 1.08 } else { 1.0 }
}

fn is_closing(c: char) -> bool {
    "，。、：；！？）」』】》〉”’%,.:;!?)".contains(c)
}

fn is_opening(c: char) -> bool {
    "（「『【《〈“‘(".contains(c)
}

/// Collapse runs of whitespace (newlines included) into single spaces.
pub fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Unbreakable pieces of `s`, each with whether a space separates it from the previous one.
fn pieces(s: &str) -> Vec<(String, bool)> {
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut cur = String::new();
    let mut spaced = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !cur.is_empty() {
                pieces.push((std::mem::take(&mut cur), spaced));
            }
            spaced = !pieces.is_empty();
            continue;
        }
        if let Some(last) = cur.chars().last()
            && (is_wide(last) || is_wide(c))
            && !is_closing(c)
            && !is_opening(last)
        {
            pieces.push((std::mem::take(&mut cur), spaced));
            spaced = false;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        pieces.push((cur, spaced));
    }
    pieces
}

/// Whether `s` wraps into at most `lines` lines of `max` without cutting a word.
pub fn fits(s: &str, max: f64, font: Font, lines: usize) -> bool {
    pieces(s).iter().all(|(p, _)| font.width(p) <= max) && font.wrap(s, max).len() <= lines
}

/// Break `s` into lines no wider than `max`: at spaces, and between CJK characters (never before
/// closing or after opening punctuation). A word wider than `max` on its own is cut by characters.
pub fn wrap(s: &str, max: f64, size: f64, bold: bool) -> Vec<String> {
    let width = |t: &str| text_width(t, size, bold);
    let pieces = pieces(s);

    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (piece, spaced) in pieces {
        let joined = if line.is_empty() {
            piece.clone()
        } else if spaced {
            format!("{line} {piece}")
        } else {
            format!("{line}{piece}")
        };
        if width(&joined) <= max || line.is_empty() && width(&piece) <= max {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if width(&piece) <= max {
            line = piece;
        } else {
            // Hard-break an overlong word.
            for c in piece.chars() {
                let mut next = line.clone();
                next.push(c);
                if width(&next) > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = next;
                }
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Side of a legend's colour swatch.
pub const SWATCH: f64 = 12.0;

/// A legend: a swatch and the name of each series, flowing into lines. Returns the y below it.
pub fn legend(s: &mut Scene, names: &[String], top: f64) -> f64 {
    let (mut x, mut y) = (MARGIN, top);
    let font = Font::NAME;
    for (k, name) in names.iter().enumerate() {
        let w = SWATCH + 6.0 + font.width(name);
        if x > MARGIN && x + w > WIDTH - MARGIN {
            x = MARGIN;
            y += font.line() + 4.0;
        }
        s.rect(
            x,
            y + (SMALL - SWATCH) / 2.0,
            SWATCH,
            SWATCH,
            Paint::Series(k),
        );
        let lines = font.wrap(name, WIDTH - 2.0 * MARGIN - SWATCH - 6.0);
        let below = s.text(x + SWATCH + 6.0, y, &lines, font, Anchor::Start);
        x += w + 14.0;
        if lines.len() > 1 {
            y = below - font.line();
            x = WIDTH;
        }
    }
    y + SMALL + 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_latin_at_spaces_and_cjk_between_characters() {
        let lines = wrap("Claude Code Max subscription", 120.0, 16.0, false);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 16.0, false) <= 120.0));
        assert_eq!(lines.join(" "), "Claude Code Max subscription");
        let zh = wrap(
            "中国制造业企业的人工智能采用率，远高于美国。",
            100.0,
            16.0,
            false,
        );
        assert!(zh.len() > 1);
        assert!(
            zh.iter()
                .skip(1)
                .all(|l| !l.starts_with('，') && !l.starts_with('。'))
        );
        assert_eq!(zh.concat(), "中国制造业企业的人工智能采用率，远高于美国。");
        assert_eq!(wrap("", 50.0, 16.0, false), vec![String::new()]);
    }

    #[test]
    fn cjk_is_measured_one_em_wide() {
        assert_eq!(text_width("中文", 16.0, false), 32.0);
        assert!(text_width("ab", 16.0, false) < 24.0);
    }
}
