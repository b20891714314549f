//! Value scales: linear axes with round ticks that include zero, log axes over whole decades
//! (ticks at powers of ten), year axes; and placing tick labels so they never collide.

use super::layout::{MARGIN, WIDTH};
use crate::numfmt::{Notation, Style};

/// A value axis mapped onto pixels `[from, to]` (from may be greater than to: vertical axes).
#[derive(Debug, Clone)]
pub struct Scale {
    log: bool,
    /// Domain ends: values, or exponents of ten on a log scale.
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
    ticks: Vec<f64>,
}

impl Scale {
    /// A linear scale that includes zero and ends on round ticks; or a log scale over whole
    /// decades (values must be positive; validation guarantees it).
    pub fn new(values: &[f64], log: bool) -> Scale {
        if log {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(0.0, f64::max);
            let mut lo = min.log10().floor();
            // A bar exactly at the floor would have no length: give it a decade below.
            if 10f64.powf(lo) >= min * 0.999 {
                lo -= 1.0;
            }
            let hi = max.log10().ceil().max(lo + 1.0);
            // Validation keeps values finite and sane; the clamp keeps any input from asking for
            // billions of ticks.
            let lo_e = lo.clamp(-400.0, 400.0) as i32;
            let hi_e = (hi.clamp(-400.0, 400.0) as i32).clamp(lo_e, lo_e + MAX_TICKS as i32);
            let ticks = (lo_e..=hi_e).map(|e| 10f64.powi(e)).collect();
            return Scale {
                log,
                lo,
                hi,
                from: 0.0,
                to: 1.0,
                ticks,
            };
        }
        let min = values.iter().copied().fold(0.0, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        let span = if max > min { max - min } else { 1.0 };
        let step = nice_step(span / 4.0);
        let lo = (min / step).floor() * step;
        let hi = (max / step).ceil() * step;
        let hi = if hi > lo { hi } else { lo + step };
        let n = tick_count(lo, hi, step);
        let ticks = (0..=n).map(|i| tidy(lo + i as f64 * step)).collect();
        Scale {
            log,
            lo,
            hi,
            from: 0.0,
            to: 1.0,
            ticks,
        }
    }

    /// A year axis: round ticks, padded to them, never forced to include zero.
    pub fn years(min: f64, max: f64) -> Scale {
        let span = (max - min).max(1.0);
        let step = nice_step(span / 5.0).max(1.0);
        let lo = (min / step).floor() * step;
        let mut hi = (max / step).ceil() * step;
        if hi <= lo {
            hi = lo + step;
        }
        let n = tick_count(lo, hi, step);
        Scale {
            log: false,
            lo,
            hi,
            from: 0.0,
            to: 1.0,
            ticks: (0..=n).map(|i| tidy(lo + i as f64 * step)).collect(),
        }
    }

    pub fn onto(mut self, from: f64, to: f64) -> Scale {
        self.from = from;
        self.to = to;
        self
    }

    /// Pixel position of `v`.
    pub fn px(&self, v: f64) -> f64 {
        let t = if self.log {
            (v.max(1e-300).log10() - self.lo) / (self.hi - self.lo)
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        self.from + t * (self.to - self.from)
    }

    /// Where bars start: zero, or the bottom decade of a log scale.
    pub fn base(&self) -> f64 {
        if self.log {
            self.px(10f64.powf(self.lo))
        } else {
            self.px(0.0)
        }
    }

    pub fn ticks(&self) -> &[f64] {
        &self.ticks
    }

    /// Tick labels in the short style of `fmt`.
    pub fn tick_labels(&self, notation: &Notation, lang: &str) -> Vec<String> {
        self.ticks
            .iter()
            .map(|&t| notation.format(t, lang, Style::Short))
            .collect()
    }
}

/// No axis has more ticks than this, whatever its input (a handful is normal).
const MAX_TICKS: i64 = 100;

/// The number of steps from `lo` to `hi`: at least 1, at most [`MAX_TICKS`], also when the span
/// overflowed to infinity or is not a number (values near `f64::MAX`).
fn tick_count(lo: f64, hi: f64, step: f64) -> i64 {
    let n = ((hi - lo) / step).round();
    if n.is_finite() {
        (n as i64).clamp(1, MAX_TICKS)
    } else {
        1
    }
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let raw = if raw > 0.0 && raw.is_finite() {
        raw
    } else {
        1.0
    };
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    tidy(m * mag)
}

/// Drop float noise: 0.30000000000000004 → 0.3.
pub fn tidy(v: f64) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    let digits = 12 - v.abs().log10().floor() as i32;
    let p = 10f64.powi(digits.clamp(0, 15));
    (v * p).round() / p
}

/// Which ticks get a label so that labels centred on `positions` do not collide: every
/// `stride`-th, the smallest stride that leaves a gap.
pub fn label_stride(positions: &[f64], widths: &[f64], gap: f64) -> usize {
    let mut stride = 1;
    'outer: while stride < positions.len().max(1) {
        let mut i = 0;
        while i + stride < positions.len() {
            let j = i + stride;
            let room = (positions[j] - positions[i]).abs();
            if room < (widths[i] + widths[j]) / 2.0 + gap {
                stride += 1;
                continue 'outer;
            }
            i = j;
        }
        break;
    }
    stride
}

/// `x` moved so that a label of width `w` centred on it stays inside the margins.
pub fn clamp_centre(x: f64, w: f64) -> f64 {
    let lo = MARGIN + w / 2.0;
    let hi = WIDTH - MARGIN - w / 2.0;
    if lo > hi {
        WIDTH / 2.0
    } else {
        x.clamp(lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round_and_cover_the_data() {
        let s = Scale::new(&[8.0, 20.0, 200.0], false);
        assert_eq!(s.ticks(), &[0.0, 50.0, 100.0, 150.0, 200.0]);
        let s = Scale::new(&[0.1, 0.2, 0.3], false);
        assert!(s.ticks().contains(&0.3), "{:?}", s.ticks());
    }

    #[test]
    fn log_ticks_are_powers_of_ten() {
        let s = Scale::new(&[0.74e6, 2.9e6, 30e6], true);
        assert_eq!(s.ticks(), &[1e5, 1e6, 1e7, 1e8]);
        let s = Scale::new(&[1.0, 50.0], true);
        assert_eq!(s.ticks(), &[0.1, 1.0, 10.0, 100.0]);
        let s = Scale::new(&[25.0, 1200.0], true).onto(0.0, 300.0);
        assert_eq!(s.px(10.0), 0.0);
        assert_eq!(s.px(10_000.0), 300.0);
    }

    /// Values near `f64::MAX` made the tick count overflow (a capacity-overflow panic).
    #[test]
    fn absurd_values_never_panic() {
        for values in [
            vec![1.5e308],
            vec![-1e308, 1e308],
            vec![f64::MAX, f64::MIN],
            vec![f64::NAN],
            vec![f64::INFINITY],
        ] {
            let s = Scale::new(&values, false);
            assert!(!s.ticks().is_empty() && s.ticks().len() <= 101);
        }
        assert!(Scale::new(&[1e-300, 1e300], true).ticks().len() <= 101);
        assert!(Scale::years(-1e308, 1e308).ticks().len() <= 101);
        assert!(Scale::years(f64::NAN, 1.0).ticks().len() <= 101);
    }

    #[test]
    fn strides_thin_crowded_labels() {
        assert_eq!(label_stride(&[0.0, 100.0, 200.0], &[40.0; 3], 8.0), 1);
        assert_eq!(label_stride(&[0.0, 30.0, 60.0, 90.0], &[40.0; 4], 8.0), 2);
    }
}
