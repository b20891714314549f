//! Parts of a whole: one 100% bar split into the parts and the remainder. Under the bar, one row
//! per segment: a bracket spanning exactly that segment, a swatch, and its label, value and share.

use super::derived::Sure;
use super::layout::{Anchor, Font, LABEL, MARGIN, Paint, SWATCH, Scene, WIDTH};
use super::scale::tidy;
use super::table::{Cell, Table};
use super::{DrawContext, Num, Plot, Series, words};
use crate::numfmt::{self, NumFormat};
use crate::text::Text;

#[derive(Debug, Clone)]
pub struct Part {
    pub categories: Vec<Text>,
    pub series: Series,
    pub total: Num,
    /// Names the remainder; validation requires it when there is one.
    pub rest: Option<Text>,
}

const BAR: f64 = 44.0;
/// Segments are drawn this much narrower, so neighbours are told apart by the gap too.
const GAP: f64 = 2.0;
const MIN_WIDTH: f64 = 4.0 + GAP;

/// One segment: its label, value label, raw value, share in percent (and how sure that share
/// is: it is derived from the value and the total), and paint.
struct Segment {
    label: String,
    value: String,
    raw: String,
    share: f64,
    share_sure: Sure,
    paint: Paint,
}

impl Part {
    fn segments(&self, cx: &DrawContext) -> Vec<Segment> {
        let total = self.total.value;
        let per_total = Sure::of_num(&self.total).inverted();
        let mut out: Vec<Segment> = self
            .categories
            .iter()
            .zip(&self.series.values)
            .enumerate()
            .map(|(j, (c, v))| Segment {
                label: cx.text(c),
                value: cx.label(v),
                raw: v.raw(),
                share: 100.0 * v.value / total,
                share_sure: Sure::of_num(v).and(per_total),
                paint: Paint::Series(j),
            })
            .collect();
        let rest = total - self.series.values.iter().map(|v| v.value).sum::<f64>();
        if let Some(name) = &self.rest
            && self.has_rest()
        {
            let notation = self
                .total
                .figure
                .as_ref()
                .map_or_else(|| cx.notation.clone(), |f| f.notation());
            // The remainder is ours: the total less the parts, as sure as they allow.
            let parts = Sure::all(self.series.values.iter().map(Sure::of_num));
            let sure = Sure::of_num(&self.total).and(parts.inverted());
            out.push(Segment {
                label: cx.text(name),
                value: sure.apply(&cx.amount(tidy(rest), &notation), cx.lang),
                raw: numfmt::raw(tidy(rest)),
                share: 100.0 * rest / total,
                share_sure: sure.and(per_total),
                paint: Paint::Rest,
            });
        }
        out
    }

    /// Whether the parts leave a remainder that is drawn.
    fn has_rest(&self) -> bool {
        let total = self.total.value;
        let rest = total - self.series.values.iter().map(|v| v.value).sum::<f64>();
        self.rest.is_some() && rest > total * 1e-9
    }

    /// Percentages of a whole of 100%: the values already are the shares, so neither a
    /// "Total: 100%" heading nor a repeated "55% (55%)" adds anything.
    fn values_are_shares(&self, cx: &DrawContext) -> bool {
        cx.notation.format == NumFormat::Percent && (self.total.value - 100.0).abs() < 1e-9
    }

    fn total_name(&self, cx: &DrawContext) -> String {
        cx.value_label
            .clone()
            .unwrap_or_else(|| words::total(cx.lang).into())
    }
}

/// Segment widths in proportion to their shares, except that a non-empty segment is never
/// thinner than `MIN_WIDTH` (taken from the larger ones), so a 0.1% part stays visible.
fn widths(segments: &[Segment], inner: f64) -> Vec<f64> {
    let raw: Vec<f64> = segments.iter().map(|s| inner * s.share / 100.0).collect();
    let small = |w: f64| w > 0.0 && w < MIN_WIDTH;
    let deficit: f64 = raw
        .iter()
        .filter(|&&w| small(w))
        .map(|w| MIN_WIDTH - w)
        .sum();
    let large: f64 = raw.iter().filter(|&&w| w >= MIN_WIDTH).sum();
    raw.iter()
        .map(|&w| {
            if small(w) {
                MIN_WIDTH
            } else if large > 0.0 {
                w - deficit * w / large
            } else {
                w
            }
        })
        .collect()
}

/// A share as printed: one decimal under 10%, two under 1%, whole numbers otherwise, rounded so
/// that what its qualifier says stays true.
fn pct(cx: &DrawContext, share: f64, sure: Sure) -> String {
    let step = if share < 1.0 {
        0.01
    } else if share < 10.0 {
        0.1
    } else {
        1.0
    };
    let (rounded, sure) = sure.round(share, step);
    sure.apply(&cx.number(rounded, NumFormat::Percent), cx.lang)
}

impl Plot for Part {
    fn scene(&self, cx: &DrawContext) -> Scene {
        let mut s = Scene::default();
        let inner = WIDTH - 2.0 * MARGIN;
        let top = if self.values_are_shares(cx) {
            MARGIN
        } else {
            let head = words::labelled(cx.lang, &self.total_name(cx), &cx.label(&self.total));
            let lines = Font::VALUE.wrap(&head, inner);
            s.text(MARGIN, MARGIN, &lines, Font::VALUE, Anchor::Start) + 8.0
        };
        let segments = self.segments(cx);
        let widths = widths(&segments, inner);
        let mut x = MARGIN;
        let mut spans = Vec::new();
        for (i, (seg, &w)) in segments.iter().zip(&widths).enumerate() {
            let last = i + 1 == segments.len();
            let drawn = if last { w } else { (w - GAP).max(1.0) };
            s.rect(x, top, drawn, BAR, seg.paint);
            spans.push((x, x + drawn));
            x += w;
        }
        let mut y = top + BAR + 12.0;
        for (seg, &(a, b)) in segments.iter().zip(&spans) {
            // A bracket the width of the segment.
            s.line((a, y), (b, y), Paint::Muted);
            s.line((a, y - 6.0), (a, y), Paint::Muted);
            s.line((b, y - 6.0), (b, y), Paint::Muted);
            let text = if self.values_are_shares(cx) {
                words::labelled(cx.lang, &seg.label, &seg.value)
            } else {
                words::part_label(
                    cx.lang,
                    &seg.label,
                    &seg.value,
                    &pct(cx, seg.share, seg.share_sure),
                )
            };
            let room = inner - SWATCH - 6.0;
            let lines = Font::LABEL.wrap(&text, room);
            let w = SWATCH + 6.0 + Font::LABEL.widest(&lines);
            // Start under the segment; end under it when that runs out of room; else the margin.
            let tx = if a + w <= WIDTH - MARGIN {
                a
            } else if b - w >= MARGIN {
                b - w
            } else {
                MARGIN
            };
            let ty = y + 6.0;
            s.rect(tx, ty + (LABEL - SWATCH) / 2.0, SWATCH, SWATCH, seg.paint);
            y = s.text(tx + SWATCH + 6.0, ty, &lines, Font::LABEL, Anchor::Start) + 18.0;
        }
        s.height = y - 18.0 + MARGIN;
        s
    }

    fn desc(&self, cx: &DrawContext) -> String {
        if self.values_are_shares(cx) {
            let parts: Vec<(String, String)> = self
                .segments(cx)
                .into_iter()
                .map(|s| (s.label, s.value))
                .collect();
            return words::shares(cx.lang, &parts, self.has_rest());
        }
        let parts: Vec<(String, String, String)> = self
            .segments(cx)
            .into_iter()
            .map(|s| {
                let p = pct(cx, s.share, s.share_sure);
                (s.label, s.value, p)
            })
            .collect();
        words::part(cx.lang, &cx.label(&self.total), &parts, self.has_rest())
    }

    fn table(&self, cx: &DrawContext) -> Table {
        let head = vec![
            cx.category_label
                .clone()
                .unwrap_or_else(|| words::category(cx.lang).into()),
            words::value(cx.lang).into(),
            words::share(cx.lang).into(),
        ];
        let mut rows: Vec<Vec<Cell>> = self
            .segments(cx)
            .into_iter()
            .map(|s| {
                vec![
                    Cell::text(s.label),
                    Cell::number(s.value, s.raw),
                    Cell::number(pct(cx, s.share, s.share_sure), numfmt::raw(tidy(s.share))),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::text(self.total_name(cx)),
            Cell::number(cx.label(&self.total), self.total.raw()),
            Cell::number(cx.number(100.0, NumFormat::Percent), "100".into()),
        ]);
        Table { head, rows }
    }
}
