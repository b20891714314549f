//! One or more series over time (or any ordered numbers): a line per series with its points
//! marked, each line named directly at its end (no legend to decode), gaps (`null`) left open.

use super::bar::{note, value_note, x_axis, y_axis};
use super::layout::{Anchor, Font, MARGIN, Paint, Scene, WIDTH};
use super::scale::Scale;
use super::table::{Cell, Table};
use super::timeline::When;
use super::{DrawContext, Num, Plot, words};
use crate::text::Text;

#[derive(Debug, Clone)]
pub struct Line {
    /// The x values, ascending.
    pub x: Vec<When>,
    pub series: Vec<LineSeries>,
}

#[derive(Debug, Clone)]
pub struct LineSeries {
    pub name: Text,
    /// One per x; `None` is a gap.
    pub values: Vec<Option<Num>>,
}

const PLOT_HEIGHT: f64 = 220.0;
const DOT: f64 = 3.5;
/// End labels: the series name over its last value.
const NAME: Font = Font::NAME;

impl Line {
    fn last(s: &LineSeries) -> Option<(usize, &Num)> {
        s.values
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, v)| v.as_ref().map(|v| (i, v)))
    }

    fn first(s: &LineSeries) -> Option<(usize, &Num)> {
        s.values
            .iter()
            .enumerate()
            .find_map(|(i, v)| v.as_ref().map(|v| (i, v)))
    }
}

impl Plot for Line {
    fn scene(&self, cx: &DrawContext) -> Scene {
        let mut s = Scene::default();
        let top = note(
            &mut s,
            value_note(cx, false).as_deref(),
            MARGIN,
            Anchor::Start,
        );
        let nums: Vec<f64> = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().map(|v| v.value))
            .collect();
        let yscale = Scale::new(&nums, false);
        let ticks = cx.ticks(&yscale);
        let gutter = Font::SMALL.widest(&ticks) + 8.0;
        // End labels: name and last value, as wide as the widest needs (at most a third).
        let labels: Vec<(Vec<String>, String)> = self
            .series
            .iter()
            .map(|s| {
                let value = Self::last(s).map_or(String::new(), |(_, v)| cx.label(v));
                (NAME.wrap(&cx.text(&s.name), WIDTH * 0.3), value)
            })
            .collect();
        let label_w = labels
            .iter()
            .map(|(n, v)| NAME.widest(n).max(Font::VALUE.width(v)))
            .fold(0.0, f64::max)
            .min(WIDTH * 0.3);
        let (x0, x1) = (MARGIN + gutter, WIDTH - MARGIN - label_w - 8.0);
        let bottom = top + PLOT_HEIGHT;
        let yscale = yscale.onto(bottom, top + 6.0);
        let xs: Vec<f64> = self.x.iter().map(|w| w.x).collect();
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let xscale = Scale::years(lo, hi).onto(x0 + DOT, x1 - DOT);

        y_axis(&mut s, &yscale, &ticks, x0, x1);
        let xticks = xscale.tick_labels(&crate::numfmt::NumFormat::Year.into(), cx.lang);
        // Vertical gridlines, running 4 units past the baseline as ticks, so the first x label
        // stays clear of the lowest value label.
        let below = x_axis(&mut s, &xscale, &xticks, top + 6.0, bottom + 4.0);
        s.line((x0, yscale.base()), (x1, yscale.base()), Paint::Fg);

        // End labels pushed apart so they never overlap, in the order of their last values.
        let mut ends: Vec<(usize, f64)> = self
            .series
            .iter()
            .enumerate()
            .filter_map(|(k, s)| Self::last(s).map(|(_, v)| (k, yscale.px(v.value))))
            .collect();
        ends.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut next_free = f64::NEG_INFINITY;
        let mut label_tops = vec![0.0; self.series.len()];
        for &(k, y) in &ends {
            let h = NAME.block(labels[k].0.len()) + 2.0 + Font::VALUE.size;
            let t = (y - h / 2.0).max(next_free).max(MARGIN);
            label_tops[k] = t;
            next_free = t + h + 4.0;
        }
        for (k, series) in self.series.iter().enumerate() {
            let paint = Paint::Series(k);
            let pts: Vec<Option<(f64, f64)>> = series
                .values
                .iter()
                .zip(&self.x)
                .map(|(v, w)| v.as_ref().map(|v| (xscale.px(w.x), yscale.px(v.value))))
                .collect();
            for pair in pts.windows(2) {
                if let [Some(a), Some(b)] = pair {
                    s.items.push(super::layout::Item::Line {
                        x1: a.0,
                        y1: a.1,
                        x2: b.0,
                        y2: b.1,
                        paint,
                        width: 2,
                    });
                }
            }
            for p in pts.iter().flatten() {
                s.dot(p.0, p.1, DOT, paint);
            }
            if let Some((i, _)) = Self::last(series)
                && let Some((px, _)) = pts[i]
            {
                let (name, value) = &labels[k];
                let t = label_tops[k];
                let after = s.text(px + 8.0, t, name, NAME, Anchor::Start);
                let value = vec![value.clone()];
                let vfont = Font {
                    paint,
                    ..Font::VALUE
                };
                s.text(px + 8.0, after + 2.0, &value, vfont, Anchor::Start);
            }
        }
        let end_of_labels = label_tops
            .iter()
            .zip(&labels)
            .map(|(t, (n, _))| t + NAME.block(n.len()) + 2.0 + Font::VALUE.size)
            .fold(0.0, f64::max);
        let y = note(
            &mut s,
            cx.category_label.as_deref(),
            below.max(end_of_labels) + 6.0,
            Anchor::End,
        );
        s.height = y - 8.0 + MARGIN;
        s
    }

    fn desc(&self, cx: &DrawContext) -> String {
        let parts: Vec<String> = self
            .series
            .iter()
            .filter_map(|s| {
                let (i, a) = Self::first(s)?;
                let (j, b) = Self::last(s)?;
                Some(words::line_series(
                    cx.lang,
                    &cx.text(&s.name),
                    (&cx.label(a), &self.x[i].label(cx)),
                    (&cx.label(b), &self.x[j].label(cx)),
                ))
            })
            .collect();
        words::sentences(cx.lang, &parts)
    }

    fn table(&self, cx: &DrawContext) -> Table {
        let first = cx
            .category_label
            .clone()
            .unwrap_or_else(|| words::when(cx.lang).into());
        let mut head = vec![first];
        head.extend(self.series.iter().map(|s| cx.text(&s.name)));
        let rows = self
            .x
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut row = vec![Cell::number(w.label(cx), w.machine())];
                row[0].numeric = false;
                for s in &self.series {
                    row.push(match &s.values[i] {
                        Some(v) => Cell::number(cx.label(v), v.raw()),
                        None => Cell::number(String::new(), String::new()),
                    });
                }
                row
            })
            .collect();
        Table { head, rows }
    }
}
