//! Two or more series compared across categories: one block per category (its name as a heading),
//! one horizontal bar per series, each bar labelled with its series name and its value. Labels
//! carry the meaning, so colour only repeats it.

use super::bar::{PAD, beyond_bar, note, value_note, x_axis};
use super::layout::{Anchor, Font, MARGIN, Paint, Scene, WIDTH};
use super::scale::Scale;
use super::table::Table;
use super::{DrawContext, Plot, Series, words};
use crate::numfmt::NumFormat;
use crate::text::Text;

#[derive(Debug, Clone)]
pub struct Grouped {
    pub log: bool,
    pub categories: Vec<Text>,
    pub series: Vec<Series>,
}

const BAR: f64 = 20.0;
const BAR_GAP: f64 = 4.0;
const GROUP_GAP: f64 = 14.0;
/// Series names beside their bars.
const NAME: Font = Font::NAME;

impl Plot for Grouped {
    fn scene(&self, cx: &DrawContext) -> Scene {
        let mut s = Scene::default();
        let top = note(&mut s, cx.category_label.as_deref(), MARGIN, Anchor::Start);
        let inner = WIDTH - 2.0 * MARGIN;
        let names: Vec<String> = self.series.iter().map(|s| cx.text(&s.name)).collect();
        let labels: Vec<Vec<String>> = self
            .series
            .iter()
            .map(|s| s.values.iter().map(|v| cx.label(v)).collect())
            .collect();
        let value_w = labels
            .iter()
            .map(|l| Font::VALUE.widest(l))
            .fold(0.0, f64::max);
        let nums: Vec<f64> = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().map(|v| v.value))
            .collect();
        let negative = nums.iter().any(|&v| v < 0.0);
        // Series names beside their bars, wrapped when long so the bars keep most of the width.
        let names: Vec<Vec<String>> = names.iter().map(|n| NAME.wrap(n, inner * 0.3)).collect();
        let name_w = names.iter().map(|l| NAME.widest(l)).fold(0.0, f64::max);
        let x0 = MARGIN + name_w + 8.0 + if negative { value_w + PAD } else { 0.0 };
        let x1 = WIDTH - MARGIN - value_w - PAD;
        let scale = Scale::new(&nums, self.log).onto(x0, x1);

        let mut rows = Scene::default();
        let mut y = top;
        for (j, cat) in self.categories.iter().enumerate() {
            let heading = Font::HEADING.wrap(&cx.text(cat), inner);
            y = rows.text(MARGIN, y, &heading, Font::HEADING, Anchor::Start) + 6.0;
            for (k, series) in self.series.iter().enumerate() {
                let v = series.values[j].value;
                let end = scale.px(v);
                let row = BAR.max(NAME.block(names[k].len()) + 2.0);
                let y_bar = y + (row - BAR) / 2.0;
                let from = series.values[j].bar_start(&scale);
                rows.rect(
                    end.min(from),
                    y_bar,
                    (end - from).abs(),
                    BAR,
                    Paint::Series(k),
                );
                let name_top = y + (row - NAME.block(names[k].len())) / 2.0;
                rows.text(x0 - 8.0, name_top, &names[k], NAME, Anchor::End);
                let (lx, anchor) = beyond_bar(end, v);
                let label = vec![labels[k][j].clone()];
                rows.text(
                    lx,
                    y_bar + (BAR - Font::VALUE.size) / 2.0,
                    &label,
                    Font::VALUE,
                    anchor,
                );
                y += row + BAR_GAP;
            }
            y += GROUP_GAP - BAR_GAP;
        }
        let bottom = y - GROUP_GAP / 2.0;
        let ticks = cx.ticks(&scale);
        let y = x_axis(&mut s, &scale, &ticks, top - 4.0, bottom);
        s.items.extend(rows.items);
        let y = note(
            &mut s,
            value_note(cx, self.log).as_deref(),
            y + 6.0,
            Anchor::End,
        );
        s.height = y - 8.0 + MARGIN;
        s
    }

    fn desc(&self, cx: &DrawContext) -> String {
        let (a, b) = (&self.series[0], &self.series[1]);
        let ahead = a
            .values
            .iter()
            .zip(&b.values)
            .filter(|(x, y)| x.value > y.value)
            .count();
        let mut widest = 0;
        let gap = |j: usize| (a.values[j].value - b.values[j].value).abs();
        for j in 0..self.categories.len() {
            if gap(j) > gap(widest) {
                widest = j;
            }
        }
        let n = self.categories.len();
        words::grouped(
            cx.lang,
            (&cx.text(&a.name), &cx.text(&b.name)),
            (
                &cx.number(ahead as f64, NumFormat::Number),
                &cx.number(n as f64, NumFormat::Number),
            ),
            &cx.text(&self.categories[widest]),
            (&cx.label(&a.values[widest]), &cx.label(&b.values[widest])),
        )
    }

    fn table(&self, cx: &DrawContext) -> Table {
        Table::by_category(cx, &self.categories, &self.series)
    }
}
