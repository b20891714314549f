//! Vertical bars for several series: one slot per category, the series side by side in it, a
//! legend of the series above, a value over every bar. When the bars are too narrow for their
//! labels the chart is drawn as horizontal groups instead (as `grouped`), so nothing is cut.

use super::bar::{note, value_note, y_axis};
use super::grouped::Grouped;
use super::layout::{Anchor, Font, MARGIN, Paint, SMALL, Scene, WIDTH, fits, legend};
use super::scale::Scale;
use super::table::Table;
use super::{DrawContext, Plot, Series};
use crate::text::Text;

#[derive(Debug, Clone)]
pub struct Column {
    pub log: bool,
    pub categories: Vec<Text>,
    pub series: Vec<Series>,
}

const PLOT_HEIGHT: f64 = 210.0;
/// Value labels over narrow bars.
const VALUE: Font = Font {
    size: SMALL,
    bold: true,
    paint: Paint::Fg,
};

impl Column {
    fn as_grouped(&self) -> Grouped {
        Grouped {
            log: self.log,
            categories: self.categories.clone(),
            series: self.series.clone(),
        }
    }
}

impl Plot for Column {
    fn scene(&self, cx: &DrawContext) -> Scene {
        let cats: Vec<String> = self.categories.iter().map(|c| cx.text(c)).collect();
        let names: Vec<String> = self.series.iter().map(|s| cx.text(&s.name)).collect();
        let nums: Vec<f64> = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().map(|v| v.value))
            .collect();
        let scale = Scale::new(&nums, self.log);
        let ticks = cx.ticks(&scale);
        let gutter = Font::SMALL.widest(&ticks) + 8.0;
        let (x0, x1) = (MARGIN + gutter, WIDTH - MARGIN);
        let slot = (x1 - x0) / cats.len() as f64;
        let n = self.series.len() as f64;
        let bw = (slot * 0.84 / n).min(56.0);
        let labels: Vec<Vec<String>> = self
            .series
            .iter()
            .map(|s| s.values.iter().map(|v| cx.label(v)).collect())
            .collect();
        // Labels are centred on bars `bw` apart: each must stay within its own bar's width.
        let fit = labels.iter().flatten().all(|l| VALUE.width(l) <= bw - 2.0)
            && cats.iter().all(|c| fits(c, slot - 6.0, Font::LABEL, 3));
        if !fit {
            return self.as_grouped().scene(cx);
        }
        let mut s = Scene::default();
        let y = legend(&mut s, &names, MARGIN);
        let y = note(
            &mut s,
            value_note(cx, self.log).as_deref(),
            y,
            Anchor::Start,
        );
        let top = y + VALUE.size + 6.0;
        let bottom = top + PLOT_HEIGHT;
        let scale = scale.onto(bottom, top);
        y_axis(&mut s, &scale, &ticks, x0, x1);
        let base = scale.base();
        let negative = nums.iter().any(|&v| v < 0.0);
        for (j, _) in cats.iter().enumerate() {
            let left = x0 + slot * j as f64 + (slot - bw * n) / 2.0;
            for (k, series) in self.series.iter().enumerate() {
                let v = series.values[j].value;
                let bx = left + bw * k as f64;
                let end = scale.px(v);
                let from = series.values[j].bar_start(&scale);
                s.rect(
                    bx + 1.0,
                    end.min(from),
                    bw - 2.0,
                    (end - from).abs(),
                    Paint::Series(k),
                );
                let label_top = if v < 0.0 {
                    end + 3.0
                } else {
                    end - 3.0 - VALUE.size
                };
                s.text(
                    bx + bw / 2.0,
                    label_top,
                    &labels[k][j..=j],
                    VALUE,
                    Anchor::Middle,
                );
            }
        }
        s.line((x0, base), (x1, base), Paint::Fg);
        let y = bottom + 8.0 + if negative { VALUE.size + 4.0 } else { 0.0 };
        let mut below = y;
        for (j, c) in cats.iter().enumerate() {
            let lines = Font::LABEL.wrap(c, slot - 6.0);
            let cxj = x0 + slot * (j as f64 + 0.5);
            below = below.max(s.text(cxj, y, &lines, Font::LABEL, Anchor::Middle));
        }
        let y = note(
            &mut s,
            cx.category_label.as_deref(),
            below + 8.0,
            Anchor::Middle,
        );
        s.height = y - 8.0 + MARGIN;
        s
    }

    fn desc(&self, cx: &DrawContext) -> String {
        self.as_grouped().desc(cx)
    }

    fn table(&self, cx: &DrawContext) -> Table {
        self.as_grouped().table(cx)
    }
}
