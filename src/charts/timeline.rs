//! Spans and points on a year axis, in lanes. Each event is labelled directly with its name and
//! years, beside its mark when there is room, otherwise on a line of its own; events that do not
//! collide share a row.

use super::bar::x_axis;
use super::layout::{Anchor, Font, MARGIN, Paint, Scene, WIDTH};
use super::scale::Scale;
use super::table::{Cell, Table};
use super::{DrawContext, Plot, words};
use crate::numfmt::NumFormat;
use crate::text::Text;

#[derive(Debug, Clone)]
pub struct Timeline {
    /// Lane names; empty for a single unnamed lane.
    pub lanes: Vec<Text>,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub lane: usize,
    pub start: When,
    /// `None` for a point event (`at`).
    pub end: Option<When>,
    pub label: Text,
}

/// A point on the time axis: where it is (years, fractional for months and days) and, for a
/// year from 1 to 9999 or a date, the date at the precision the author wrote.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct When {
    pub x: f64,
    pub date: Option<crate::dates::Date>,
}

impl When {
    /// As written: `1760`, `2021-09`.
    pub fn machine(&self) -> String {
        match &self.date {
            Some(d) => d.machine(),
            None => crate::numfmt::raw(self.x),
        }
    }

    /// As a reader reads it in `lang`: `1760`, `Sep 2021` / `2021年9月`.
    pub(crate) fn label(&self, cx: &DrawContext) -> String {
        match &self.date {
            Some(d) if d.precision > crate::dates::Precision::Year => {
                d.format(cx.lang, crate::dates::DateStyle::Long)
            }
            _ => cx.number(self.x, NumFormat::Year),
        }
    }
}

const ROW: f64 = 28.0;
const MARK: f64 = 12.0;
const DOT: f64 = 6.0;
const GAP: f64 = 8.0;
const EVENT: Font = Font::NAME;

/// Where an event's label goes, and the horizontal extent it occupies with its mark.
struct Placed {
    lines: Vec<String>,
    anchor: Anchor,
    tx: f64,
    /// Label on its own line under the mark.
    below: bool,
    extent: (f64, f64),
    mark: (f64, f64),
    point: bool,
}

impl Timeline {
    fn years(cx: &DrawContext, e: &Event) -> String {
        match e.end {
            Some(end) => words::year_range(cx.lang, &e.start.label(cx), &end.label(cx)),
            None => e.start.label(cx),
        }
    }

    /// The first start and the last end: the one fold over the events' years.
    fn span(&self) -> (When, When) {
        let Some(e0) = self.events.first() else {
            let zero = When { x: 0.0, date: None };
            return (zero, When { x: 1.0, ..zero });
        };
        let mut first = e0.start;
        let mut last = e0.end.unwrap_or(first);
        for e in &self.events {
            if e.start.x < first.x {
                first = e.start;
            }
            let end = e.end.unwrap_or(e.start);
            if end.x > last.x {
                last = end;
            }
        }
        (first, last)
    }

    fn scale(&self) -> Scale {
        let (lo, hi) = self.span();
        Scale::years(lo.x, hi.x).onto(MARGIN + DOT + 2.0, WIDTH - MARGIN - DOT - 2.0)
    }

    fn place(cx: &DrawContext, scale: &Scale, e: &Event) -> Placed {
        let (a, b) = match e.end {
            Some(end) => {
                let (a, b) = (scale.px(e.start.x), scale.px(end.x));
                // A very short span still shows as a bar.
                let mid = (a + b) / 2.0;
                (a.min(mid - 2.0), b.max(mid + 2.0))
            }
            None => {
                let x = scale.px(e.start.x);
                (x - DOT, x + DOT)
            }
        };
        let text = words::with_years(cx.lang, &cx.text(&e.label), &Self::years(cx, e));
        let placed = |lines: Vec<String>, anchor: Anchor, tx: f64, below: bool| {
            let w = EVENT.widest(&lines);
            let extent = match (below, anchor) {
                (true, _) => (MARGIN, WIDTH - MARGIN),
                (false, Anchor::End) => (tx - w, b),
                (false, _) => (a, tx + w),
            };
            Placed {
                lines,
                anchor,
                tx,
                below,
                extent,
                mark: (a, b),
                point: e.end.is_none(),
            }
        };
        let right = WIDTH - MARGIN - (b + GAP);
        let left = a - GAP - MARGIN;
        // One line beside the mark; else two lines on the roomier side; else under the mark.
        if EVENT.width(&text) <= right {
            return placed(vec![text], Anchor::Start, b + GAP, false);
        }
        if EVENT.width(&text) <= left {
            return placed(vec![text], Anchor::End, a - GAP, false);
        }
        let (room, anchor, tx) = if right >= left {
            (right, Anchor::Start, b + GAP)
        } else {
            (left, Anchor::End, a - GAP)
        };
        let lines = EVENT.wrap(&text, room);
        if lines.len() <= 2 && EVENT.widest(&lines) <= room {
            return placed(lines, anchor, tx, false);
        }
        let lines = EVENT.wrap(&text, WIDTH - 2.0 * MARGIN);
        let tx = a.min(WIDTH - MARGIN - EVENT.widest(&lines)).max(MARGIN);
        placed(lines, Anchor::Start, tx, true)
    }
}

impl Plot for Timeline {
    fn scene(&self, cx: &DrawContext) -> Scene {
        let mut s = Scene::default();
        let scale = self.scale();
        let mut rows = Scene::default();
        let top = MARGIN;
        let mut y = top;
        for lane in 0..self.lanes.len().max(1) {
            if let Some(name) = self.lanes.get(lane) {
                if lane > 0 {
                    rows.line((MARGIN, y - 6.0), (WIDTH - MARGIN, y - 6.0), Paint::Grid);
                }
                let lines = Font::HEADING.wrap(&cx.text(name), WIDTH - 2.0 * MARGIN);
                y = rows.text(MARGIN, y, &lines, Font::HEADING, Anchor::Start) + 6.0;
            }
            // Pack the lane's events into rows where they do not collide.
            let mut packed: Vec<Vec<Placed>> = Vec::new();
            for e in self.events.iter().filter(|e| e.lane == lane) {
                let p = Self::place(cx, &scale, e);
                let free = |row: &Vec<Placed>| {
                    row.iter().all(|q| {
                        !q.below
                            && (p.extent.0 >= q.extent.1 + 12.0 || p.extent.1 + 12.0 <= q.extent.0)
                    })
                };
                match packed.iter_mut().find(|row| !p.below && free(row)) {
                    Some(row) => row.push(p),
                    None => packed.push(vec![p]),
                }
            }
            let paint = Paint::Series(lane);
            for row in &packed {
                let side = row
                    .iter()
                    .filter(|p| !p.below)
                    .map(|p| EVENT.block(p.lines.len()) + 10.0)
                    .fold(ROW, f64::max);
                let mid = y + side / 2.0;
                let mut h = side;
                for p in row {
                    let (a, b) = p.mark;
                    if p.point {
                        rows.dot((a + b) / 2.0, mid, DOT, paint);
                    } else {
                        rows.rect(a, mid - MARK / 2.0, b - a, MARK, paint);
                    }
                    let block = EVENT.block(p.lines.len());
                    let end = if p.below {
                        rows.text(p.tx, mid + DOT + 4.0, &p.lines, EVENT, p.anchor)
                    } else {
                        rows.text(p.tx, mid - block / 2.0, &p.lines, EVENT, p.anchor)
                    };
                    h = h.max(end - y + 6.0);
                }
                y += h;
            }
            y += 12.0;
        }
        let bottom = y - 6.0;
        let ticks = scale.tick_labels(&NumFormat::Year.into(), cx.lang);
        let y = x_axis(&mut s, &scale, &ticks, top, bottom);
        s.line((MARGIN, bottom), (WIDTH - MARGIN, bottom), Paint::Fg);
        s.items.extend(rows.items);
        s.height = y + MARGIN;
        s
    }

    fn desc(&self, cx: &DrawContext) -> String {
        let (first, last) = self.span();
        let mut longest: Option<&Event> = None;
        for e in &self.events {
            let len = |e: &Event| e.end.map_or(-1.0, |end| end.x - e.start.x);
            if e.end.is_some() && longest.is_none_or(|l| len(e) > len(l)) {
                longest = Some(e);
            }
        }
        let longest = longest.map(|e| (cx.text(&e.label), Self::years(cx, e)));
        words::timeline(
            cx.lang,
            (
                self.events.len(),
                &cx.number(self.events.len() as f64, NumFormat::Number),
            ),
            &first.label(cx),
            &last.label(cx),
            longest.as_ref().map(|(l, y)| (l.as_str(), y.as_str())),
        )
    }

    fn table(&self, cx: &DrawContext) -> Table {
        let named = !self.lanes.is_empty();
        let mut head = vec![words::event(cx.lang).to_string()];
        if named {
            head.push(words::lane(cx.lang).into());
        }
        head.push(words::from(cx.lang).into());
        head.push(words::to(cx.lang).into());
        let rows = self
            .events
            .iter()
            .map(|e| {
                let mut row = vec![Cell::text(cx.text(&e.label))];
                if named {
                    row.push(Cell::text(cx.text(&self.lanes[e.lane])));
                }
                row.push(Cell::number(e.start.label(cx), e.start.machine()));
                row.push(match e.end {
                    Some(end) => Cell::number(end.label(cx), end.machine()),
                    None => Cell::number(String::new(), String::new()),
                });
                row
            })
            .collect();
        Table { head, rows }
    }
}
