//! Parts of a whole across categories: one horizontal bar per category, its parts (the series)
//! stacked in series order, a legend of the parts above, the total at the end of every bar and
//! each part's value over it where it fits (all of them in the table).

use super::bar::{PAD, note, value_note, x_axis};
use super::derived::Sure;
use super::layout::{Anchor, Font, MARGIN, Paint, SMALL, Scene, WIDTH, legend};
use super::scale::Scale;
use super::table::{Cell, Table};
use super::{DrawContext, Plot, Series, words};
use crate::text::Text;

#[derive(Debug, Clone)]
pub struct Stacked {
    pub categories: Vec<Text>,
    pub series: Vec<Series>,
}

const BAR: f64 = 22.0;
const GAP: f64 = 2.0;
const PART: Font = Font {
    size: SMALL,
    bold: false,
    paint: Paint::Muted,
};

impl Stacked {
    fn total(&self, j: usize) -> f64 {
        self.series.iter().map(|s| s.values[j].value).sum()
    }

    /// The sum of category `j`'s parts: ours, as sure as the parts are.
    fn total_label(&self, cx: &DrawContext, j: usize) -> String {
        let t = self.total(j);
        let sure = Sure::all(self.series.iter().map(|s| Sure::of_num(&s.values[j])));
        sure.apply(&cx.amount(super::scale::tidy(t), cx.notation), cx.lang)
    }
}

impl Plot for Stacked {
    fn scene(&self, cx: &DrawContext) -> Scene {
        let mut s = Scene::default();
        let names: Vec<String> = self.series.iter().map(|s| cx.text(&s.name)).collect();
        let y = legend(&mut s, &names, MARGIN);
        let y = note(&mut s, cx.category_label.as_deref(), y, Anchor::Start);
        let inner = WIDTH - 2.0 * MARGIN;
        let totals: Vec<String> = (0..self.categories.len())
            .map(|j| self.total_label(cx, j))
            .collect();
        let total_w = Font::VALUE.widest(&totals);
        let (x0, x1) = (MARGIN, WIDTH - MARGIN - total_w - PAD);
        let sums: Vec<f64> = (0..self.categories.len()).map(|j| self.total(j)).collect();
        let scale = Scale::new(&sums, false).onto(x0, x1);
        let mut rows = Scene::default();
        let top = y;
        let mut y = y;
        for (j, cat) in self.categories.iter().enumerate() {
            let heading = Font::HEADING.wrap(&cx.text(cat), inner);
            y = rows.text(MARGIN, y, &heading, Font::HEADING, Anchor::Start) + 4.0;
            // Part values over their segments, where each fits its segment.
            let label_y = y;
            y += PART.size + 3.0;
            let mut x = scale.px(0.0);
            for (k, series) in self.series.iter().enumerate() {
                let v = series.values[j].value;
                let end = scale.px(super::scale::tidy(sums_upto(&self.series, j, k + 1)));
                let w = end - x;
                let drawn = if k + 1 == self.series.len() {
                    w
                } else {
                    (w - GAP).max(0.0)
                };
                rows.rect(x, y, drawn, BAR, Paint::Series(k));
                let label = cx.label(&series.values[j]);
                if v > 0.0 && PART.width(&label) <= drawn {
                    rows.text(x + drawn / 2.0, label_y, &[label], PART, Anchor::Middle);
                }
                x = end;
            }
            rows.text(
                x + PAD,
                y + (BAR - Font::VALUE.size) / 2.0,
                &totals[j..=j],
                Font::VALUE,
                Anchor::Start,
            );
            y += BAR + 14.0;
        }
        let bottom = y - 8.0;
        let ticks = cx.ticks(&scale);
        let y = x_axis(&mut s, &scale, &ticks, top - 4.0, bottom);
        s.items.extend(rows.items);
        s.line((scale.base(), top - 4.0), (scale.base(), bottom), Paint::Fg);
        let y = note(
            &mut s,
            value_note(cx, false).as_deref(),
            y + 6.0,
            Anchor::End,
        );
        s.height = y - 8.0 + MARGIN;
        s
    }

    fn desc(&self, cx: &DrawContext) -> String {
        let parts: Vec<String> = self
            .categories
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let list: Vec<(String, String)> = self
                    .series
                    .iter()
                    .map(|s| (cx.text(&s.name), cx.label(&s.values[j])))
                    .collect();
                words::stacked_row(cx.lang, &cx.text(c), &self.total_label(cx, j), &list)
            })
            .collect();
        words::sentences_with_totals(cx.lang, &parts)
    }

    fn table(&self, cx: &DrawContext) -> Table {
        let mut table = Table::by_category(cx, &self.categories, &self.series);
        table.head.push(words::total(cx.lang).into());
        for (j, row) in table.rows.iter_mut().enumerate() {
            row.push(Cell::number(
                self.total_label(cx, j),
                crate::numfmt::raw(super::scale::tidy(self.total(j))),
            ));
        }
        table
    }
}

/// The sum of the first `k` parts of category `j`.
fn sums_upto(series: &[Series], j: usize, k: usize) -> f64 {
    series.iter().take(k).map(|s| s.values[j].value).sum()
}
