//! Numbers a chart derives from the figures itself (a ratio between two bars, a share of a whole,
//! a remainder, a sum) and how sure they are. A derived number inherits its inputs' qualifiers:
//! "more than 30 million" ÷ 740,000 is "more than 40 times", never "41 times"; where the inputs'
//! qualifiers pull in opposite directions nothing certain can be said, and the caller either
//! leaves the number out (a ratio) or says "about" (a remainder it must draw).

use crate::facts::FigureValue;
use crate::numfmt::Qualifier;

use super::Num;

/// How a number relates to the true value it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sure {
    /// It is the value.
    Exact,
    /// Close to the value, in either direction.
    About,
    /// The value is above it (`strict`) or at least it.
    Floor { strict: bool },
    /// The value is below it (`strict`) or at most it.
    Ceiling { strict: bool },
    /// Bounds that pull in opposite directions: nothing certain.
    Unknown,
}

impl Sure {
    /// What a qualifier says about a figure's number.
    pub fn of(q: Option<Qualifier>) -> Sure {
        match q {
            None => Sure::Exact,
            Some(Qualifier::About) => Sure::About,
            Some(Qualifier::MoreThan) => Sure::Floor { strict: true },
            Some(Qualifier::AtLeast) => Sure::Floor { strict: false },
            Some(Qualifier::UpTo | Qualifier::NoMoreThan) => Sure::Ceiling { strict: false },
            Some(Qualifier::LessThan) => Sure::Ceiling { strict: true },
        }
    }

    /// A plotted number: its figure's qualifier; a range is plotted at its top, which the
    /// value reaches at most.
    pub fn of_num(n: &Num) -> Sure {
        match &n.figure {
            None => Sure::Exact,
            Some(f) => {
                let range = match f.value {
                    FigureValue::Range(_) => Sure::Ceiling { strict: false },
                    FigureValue::One(_) => Sure::Exact,
                };
                range.and(Sure::of(f.qualifier))
            }
        }
    }

    /// The same number where it is subtracted or divided by: a floor becomes a ceiling.
    pub fn inverted(self) -> Sure {
        match self {
            Sure::Floor { strict } => Sure::Ceiling { strict },
            Sure::Ceiling { strict } => Sure::Floor { strict },
            s => s,
        }
    }

    /// Two inputs combined by a sum, a product or a quotient (after `inverted` for what is
    /// subtracted or divided by).
    pub fn and(self, other: Sure) -> Sure {
        use Sure::*;
        match (self, other) {
            (Exact, s) | (s, Exact) => s,
            (About, About) => About,
            (Floor { strict: a }, Floor { strict: b }) => Floor { strict: a || b },
            (Ceiling { strict: a }, Ceiling { strict: b }) => Ceiling { strict: a || b },
            _ => Unknown,
        }
    }

    /// All of `items` combined.
    pub fn all(items: impl IntoIterator<Item = Sure>) -> Sure {
        items.into_iter().fold(Sure::Exact, Sure::and)
    }

    /// `v` rounded to a multiple of `step` so that what is said stays true: down under a floor,
    /// up under a ceiling, to the nearest otherwise. Returns the number and how sure it is now
    /// (an exact number that rounding changed becomes "about").
    pub fn round(self, v: f64, step: f64) -> (f64, Sure) {
        let scaled = v / step;
        let r = match self {
            Sure::Floor { .. } => scaled.floor(),
            Sure::Ceiling { .. } => scaled.ceil(),
            _ => scaled.round(),
        } * step;
        let changed = (r - v).abs() > v.abs() * 1e-9;
        match self {
            Sure::Exact if changed => (r, Sure::About),
            // Rounding a floor down keeps it a floor, but no longer a strict one at the edge.
            Sure::Floor { strict } => (
                r,
                Sure::Floor {
                    strict: strict || changed,
                },
            ),
            Sure::Ceiling { strict } => (
                r,
                Sure::Ceiling {
                    strict: strict || changed,
                },
            ),
            s => (r, s),
        }
    }

    /// The qualifier that says as much in words. Unknown is said as "about": the number is
    /// drawn, so it must be written, and it is no more than an estimate.
    pub fn qualifier(self) -> Option<Qualifier> {
        match self {
            Sure::Exact => None,
            Sure::About | Sure::Unknown => Some(Qualifier::About),
            Sure::Floor { strict: true } => Some(Qualifier::MoreThan),
            Sure::Floor { strict: false } => Some(Qualifier::AtLeast),
            Sure::Ceiling { strict: true } => Some(Qualifier::LessThan),
            Sure::Ceiling { strict: false } => Some(Qualifier::NoMoreThan),
        }
    }

    /// `text` (a formatted number) with the qualifier this calls for, in `lang`.
    pub fn apply(self, text: &str, lang: &str) -> String {
        match self.qualifier() {
            Some(q) => q.apply(text, lang),
            None => text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Sure::*;
    use super::*;

    #[test]
    fn a_floor_divided_by_an_exact_number_stays_a_floor_rounded_down() {
        let ratio = Sure::of(Some(Qualifier::MoreThan)).and(Exact.inverted());
        assert_eq!(ratio, Floor { strict: true });
        assert_eq!(
            ratio.round(30e6 / 740e3, 1.0),
            (40.0, Floor { strict: true })
        );
    }

    #[test]
    fn a_ceiling_in_the_denominator_makes_a_floor() {
        let ratio = Exact.and(Sure::of(Some(Qualifier::NoMoreThan)).inverted());
        assert_eq!(ratio, Floor { strict: false });
        assert_eq!(ratio.round(20.0, 1.0), (20.0, Floor { strict: false }));
        assert_eq!(ratio.qualifier(), Some(Qualifier::AtLeast));
    }

    #[test]
    fn opposite_or_approximate_bounds_say_nothing_certain() {
        let more = Sure::of(Some(Qualifier::MoreThan));
        assert_eq!(more.and(more.inverted()), Unknown);
        assert_eq!(more.and(About), Unknown);
        assert_eq!(About.and(Exact), About);
    }

    #[test]
    fn rounding_an_exact_number_makes_it_about_and_ceilings_round_up() {
        assert_eq!(Exact.round(48.0, 1.0), (48.0, Exact));
        assert_eq!(Exact.round(40.54, 1.0), (41.0, About));
        assert_eq!(
            Ceiling { strict: false }.round(4.21, 0.1).1,
            Ceiling { strict: true }
        );
        assert!((Ceiling { strict: false }.round(4.21, 0.1).0 - 4.3).abs() < 1e-9);
    }
}
