//! One series as bars: vertical (`bar`) or horizontal (`hbar`, for long labels), on a linear or
//! log scale. Also the axis helpers `grouped` and `timeline` share.

use super::derived::Sure;
use super::layout::{Anchor, Font, LABEL, MARGIN, Paint, SMALL, Scene, WIDTH, fits};
use super::scale::{Scale, clamp_centre, label_stride};
use super::table::Table;
use super::{DrawContext, Num, Plot, Series, words};
use crate::numfmt::NumFormat;
use crate::text::Text;

#[derive(Debug, Clone)]
pub struct Bars {
    pub horizontal: bool,
    pub log: bool,
    pub categories: Vec<Text>,
    pub series: Series,
}

/// Thickness of a horizontal bar and the gap between rows.
pub const BAR: f64 = 22.0;
pub const ROW_GAP: f64 = 12.0;
/// Space between a bar's end and its value label.
pub const PAD: f64 = 6.0;
/// Height of a vertical bar chart's plot area.
const PLOT_HEIGHT: f64 = 210.0;

impl Plot for Bars {
    fn scene(&self, cx: &DrawContext) -> Scene {
        let cats: Vec<String> = self.categories.iter().map(|c| cx.text(c)).collect();
        if !self.horizontal
            && let Some(scene) = vbar(cx, self.log, &cats, &self.series.values)
        {
            return scene;
        }
        hbar(cx, self.log, &cats, &self.series.values)
    }

    fn desc(&self, cx: &DrawContext) -> String {
        let cats: Vec<String> = self.categories.iter().map(|c| cx.text(c)).collect();
        bars_desc(cx, &cx.text(&self.series.name), &cats, &self.series.values)
    }

    fn table(&self, cx: &DrawContext) -> Table {
        Table::by_category(cx, &self.categories, std::slice::from_ref(&self.series))
    }
}

/// Where the value label of a horizontal bar ending at `end` goes: past its end, on the left of
/// a negative bar.
pub fn beyond_bar(end: f64, value: f64) -> (f64, Anchor) {
    if value < 0.0 {
        (end - PAD, Anchor::End)
    } else {
        (end + PAD, Anchor::Start)
    }
}

/// The value axis's title, with "log scale" when it is one.
pub fn value_note(cx: &DrawContext, log: bool) -> Option<String> {
    let log_note = log.then(|| words::log_scale(cx.lang).to_string());
    match (cx.value_label.clone(), log_note) {
        (Some(v), Some(l)) => Some(words::join_dot(&v, &l)),
        (a, b) => a.or(b),
    }
}

/// Muted text across the chart's width from `y`; returns the y below it (with a gap).
pub fn note(scene: &mut Scene, text: Option<&str>, y: f64, anchor: Anchor) -> f64 {
    let Some(text) = text else { return y };
    let lines = Font::SMALL.wrap(text, WIDTH - 2.0 * MARGIN);
    let x = match anchor {
        Anchor::Start => MARGIN,
        Anchor::Middle => WIDTH / 2.0,
        Anchor::End => WIDTH - MARGIN,
    };
    scene.text(x, y, &lines, Font::SMALL, anchor) + 8.0
}

/// Vertical gridlines at `scale`'s ticks from `top` to `bottom`, tick labels under them (thinned
/// so they never collide, kept inside the margins). Returns the y below the labels.
/// Horizontal gridlines at the scale's ticks from `x0` to `x1`, labelled on the left where they
/// fit: the value axis of vertical bars, columns and lines.
pub fn y_axis(scene: &mut Scene, scale: &Scale, ticks: &[String], x0: f64, x1: f64) {
    let ys: Vec<f64> = scale.ticks().iter().map(|&t| scale.px(t)).collect();
    let stride = label_stride(&ys, &vec![SMALL; ys.len()], 4.0);
    for (i, &ty) in ys.iter().enumerate() {
        scene.line((x0, ty), (x1, ty), Paint::Grid);
        if i % stride == 0
            && let Some(label) = ticks.get(i..=i)
        {
            scene.text(x0 - 6.0, ty - SMALL / 2.0, label, Font::SMALL, Anchor::End);
        }
    }
}

pub fn x_axis(scene: &mut Scene, scale: &Scale, labels: &[String], top: f64, bottom: f64) -> f64 {
    x_axis_bands(scene, scale, labels, &[(top, bottom)])
}

/// `x_axis` with gridlines only across `bands` (top, bottom), leaving text between them clear;
/// tick labels go under the last band.
pub fn x_axis_bands(
    scene: &mut Scene,
    scale: &Scale,
    labels: &[String],
    bands: &[(f64, f64)],
) -> f64 {
    let bottom = bands.last().map_or(0.0, |b| b.1);
    let xs: Vec<f64> = scale.ticks().iter().map(|&t| scale.px(t)).collect();
    let widths: Vec<f64> = labels.iter().map(|l| Font::SMALL.width(l)).collect();
    // Labels are thinned where they are drawn: a label at the edge moves inside the margin,
    // towards its neighbour.
    let centres: Vec<f64> = xs
        .iter()
        .zip(&widths)
        .map(|(&x, &w)| clamp_centre(x, w))
        .collect();
    let stride = label_stride(&centres, &widths, 10.0);
    for (i, &x) in xs.iter().enumerate() {
        for &(top, bottom) in bands {
            scene.line((x, top), (x, bottom), Paint::Grid);
        }
        if i % stride == 0
            && let (Some(label), Some(&at)) = (labels.get(i..=i), centres.get(i))
        {
            scene.text(at, bottom + 6.0, label, Font::SMALL, Anchor::Middle);
        }
    }
    bottom + 6.0 + SMALL
}

/// Vertical bars, or `None` when the columns are too narrow for the labels (a word would be cut,
/// or a label would need too many lines): then the bars are drawn horizontally instead.
fn vbar(cx: &DrawContext, log: bool, cats: &[String], values: &[Num]) -> Option<Scene> {
    let mut s = Scene::default();
    let y = note(
        &mut s,
        value_note(cx, log).as_deref(),
        MARGIN,
        Anchor::Start,
    );
    let nums: Vec<f64> = values.iter().map(|v| v.value).collect();
    let scale = Scale::new(&nums, log);
    let ticks = cx.ticks(&scale);
    let gutter = Font::SMALL.widest(&ticks) + 8.0;
    let (x0, x1) = (MARGIN + gutter, WIDTH - MARGIN);
    let slot = (x1 - x0) / cats.len() as f64;
    let bw = (slot * 0.62).min(72.0);
    let fit = values
        .iter()
        .all(|v| fits(&cx.label(v), slot - 2.0, Font::VALUE, 2))
        && cats.iter().all(|c| fits(c, slot - 6.0, Font::LABEL, 3));
    if !fit {
        return None;
    }
    let value_lines: Vec<Vec<String>> = values
        .iter()
        .map(|v| Font::VALUE.wrap(&cx.label(v), slot - 2.0))
        .collect();
    let cat_lines: Vec<Vec<String>> = cats
        .iter()
        .map(|c| Font::LABEL.wrap(c, slot - 6.0))
        .collect();
    let value_h = value_lines
        .iter()
        .map(|l| Font::VALUE.block(l.len()))
        .fold(0.0, f64::max);
    let negative = nums.iter().any(|&v| v < 0.0);
    let top = y + value_h + 6.0;
    let bottom = top + PLOT_HEIGHT;
    let scale = scale.onto(bottom, top);

    y_axis(&mut s, &scale, &ticks, x0, x1);
    let base = scale.base();
    for (j, v) in values.iter().enumerate() {
        let cxj = x0 + slot * (j as f64 + 0.5);
        let end = scale.px(v.value);
        let from = v.bar_start(&scale);
        s.rect(
            cxj - bw / 2.0,
            end.min(from),
            bw,
            (end - from).abs(),
            Paint::Series(0),
        );
        let lines = &value_lines[j];
        let label_top = if v.value < 0.0 {
            end + 4.0
        } else {
            end - 4.0 - Font::VALUE.block(lines.len())
        };
        s.text(cxj, label_top, lines, Font::VALUE, Anchor::Middle);
    }
    s.line((x0, base), (x1, base), Paint::Fg);
    let mut y = bottom + 8.0 + if negative { value_h + 4.0 } else { 0.0 };
    let mut below = y;
    for (j, lines) in cat_lines.iter().enumerate() {
        let cxj = x0 + slot * (j as f64 + 0.5);
        below = below.max(s.text(cxj, y, lines, Font::LABEL, Anchor::Middle));
    }
    y = below + 8.0;
    y = note(&mut s, cx.category_label.as_deref(), y, Anchor::Middle);
    s.height = y - 8.0 + MARGIN;
    Some(s)
}

fn hbar(cx: &DrawContext, log: bool, cats: &[String], values: &[Num]) -> Scene {
    let mut s = Scene::default();
    let y = note(&mut s, cx.category_label.as_deref(), MARGIN, Anchor::Start);
    let inner = WIDTH - 2.0 * MARGIN;
    let labels: Vec<String> = values.iter().map(|v| cx.label(v)).collect();
    let value_w = Font::VALUE.widest(&labels);
    let natural = cats
        .iter()
        .map(|c| Font::LABEL.width(c))
        .fold(0.0, f64::max);
    // Long labels get their own line above each bar rather than squeezing the bars.
    let above = natural > inner * 0.36;
    let negative = values.iter().any(|v| v.value < 0.0);
    let x0 = MARGIN
        + if above { 0.0 } else { natural + 10.0 }
        + if negative { value_w + PAD } else { 0.0 };
    let x1 = WIDTH - MARGIN - value_w - PAD;
    let nums: Vec<f64> = values.iter().map(|v| v.value).collect();
    let scale = Scale::new(&nums, log).onto(x0, x1);
    let base = scale.base();

    // Rows first (their height depends on wrapping), gridlines under them afterwards.
    let mut rows = Scene::default();
    let top = y;
    let mut y = y;
    let mut bands = Vec::new();
    for (j, v) in values.iter().enumerate() {
        let bar_y = if above {
            let lines = Font::LABEL.wrap(&cats[j], inner);
            rows.text(MARGIN, y, &lines, Font::LABEL, Anchor::Start) + 4.0
        } else {
            let lines = vec![cats[j].clone()];
            rows.text(
                x0 - 10.0,
                y + (BAR - LABEL) / 2.0,
                &lines,
                Font::LABEL,
                Anchor::End,
            );
            y
        };
        let end = scale.px(v.value);
        let from = v.bar_start(&scale);
        rows.rect(
            end.min(from),
            bar_y,
            (end - from).abs(),
            BAR,
            Paint::Series(0),
        );
        let (lx, anchor) = beyond_bar(end, v.value);
        let label = vec![labels[j].clone()];
        rows.text(lx, bar_y + (BAR - LABEL) / 2.0, &label, Font::VALUE, anchor);
        y = bar_y + BAR + ROW_GAP;
        bands.push((bar_y - ROW_GAP / 2.0, y - ROW_GAP / 2.0));
    }
    if !above {
        bands = vec![(top - ROW_GAP / 2.0, y - ROW_GAP / 2.0)];
    }
    let ticks = cx.ticks(&scale);
    let mut y = x_axis_bands(&mut s, &scale, &ticks, &bands);
    s.items.extend(rows.items);
    for &(a, b) in &bands {
        s.line((base, a), (base, b), Paint::Fg);
    }
    y = note(&mut s, value_note(cx, log).as_deref(), y + 6.0, Anchor::End);
    s.height = y - 8.0 + MARGIN;
    s
}

/// Index of the largest and smallest value (first on ties).
pub fn extremes(values: &[f64]) -> (usize, usize) {
    let (mut hi, mut lo) = (0, 0);
    for (i, &v) in values.iter().enumerate() {
        if v > values[hi] {
            hi = i;
        }
        if v < values[lo] {
            lo = i;
        }
    }
    (hi, lo)
}

pub fn bars_desc(cx: &DrawContext, series: &str, cats: &[String], values: &[Num]) -> String {
    let nums: Vec<f64> = values.iter().map(|v| v.value).collect();
    let (hi, lo) = extremes(&nums);
    let at = |i: usize| (cats[i].clone(), cx.label(&values[i]));
    let (h, l) = (at(hi), at(lo));
    if hi == lo {
        return words::bars_one(cx.lang, series, &h.0, &h.1);
    }
    let (h, l) = ((h.0.as_str(), h.1.as_str()), (l.0.as_str(), l.1.as_str()));
    let ratio = nums[hi] / nums[lo];
    // The ratio is ours: as sure as its inputs allow, or not said at all.
    let sure = Sure::of_num(&values[hi]).and(Sure::of_num(&values[lo]).inverted());
    if nums[lo] > 0.0 && ratio >= 1.5 && sure != Sure::Unknown {
        // "How many times": one decimal under ten, whole above.
        let step = if ratio < 10.0 { 0.1 } else { 1.0 };
        let (r, sure) = sure.round(ratio, step);
        let n = cx.number(r, NumFormat::Number);
        words::bars_times(cx.lang, series, h, l, (&n, sure))
    } else {
        words::bars_range(cx.lang, series, h, l)
    }
}
