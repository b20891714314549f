//! Dates as authors write them — `2024`, `2024-06`, `2024-06-30`, or an RFC 3339 time — parsed
//! and validated with jiff (`2024-02-31` is refused), ordered as instants, and written per
//! language from CLDR through ICU4X: "June 30, 2024" / "2024年6月30日" / "30. Juni 2024".

use std::cmp::Ordering;
use std::str::FromStr;

use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{self, YMD};
use icu_datetime::input::Date as IcuDate;
use icu_locale_core::Locale;
use jiff::civil;
use jiff::tz::TimeZone;

/// How much of a date the author gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A validated date at its precision; a time, when given, only orders it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub precision: Precision,
    date: civil::Date,
    instant: jiff::Timestamp,
}

/// How the `date` filter writes a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// "June 30, 2024" / "2024年6月30日" (at the date's precision: "Sep 2021").
    Long,
    /// "6/30/24" / "2024/6/30".
    Short,
    /// "2024" / "2024年".
    Year,
}

impl FromStr for Date {
    type Err = String;

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or RFC 3339 (`2024-06-30T12:00:00+08:00`; without an
    /// offset, UTC). The error says what is wrong in words (`February 2024 has 29 days`).
    fn from_str(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let shape =
            "write a date as YYYY, YYYY-MM or YYYY-MM-DD (a time may follow: 2024-06-30T12:00:00Z)";
        let num = |part: Option<&str>, len: usize| -> Option<i64> {
            let p = part?;
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok())?
        };
        let (day_part, time_part) = match s.find(['T', 't', ' ']) {
            Some(i) => (s.get(..i).unwrap_or(s), s.get(i..)),
            None => (s, None),
        };
        let mut parts = day_part.split('-');
        let year = num(parts.next(), 4).ok_or(shape)?;
        let month = parts
            .next()
            .map(|m| num(Some(m), 2).ok_or(shape))
            .transpose()?;
        let day = parts
            .next()
            .map(|d| num(Some(d), 2).ok_or(shape))
            .transpose()?;
        if parts.next().is_some() || (time_part.is_some() && day.is_none()) {
            return Err(shape.into());
        }
        let precision = match (month, day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        };
        let (y, m, d) = (year as i16, month.unwrap_or(1), day.unwrap_or(1));
        if !(1..=12).contains(&m) {
            return Err(format!("there is no month {m}: months are 01 to 12"));
        }
        let first = civil::Date::new(y, m as i8, 1).map_err(|e| e.to_string())?;
        let days = i64::from(first.days_in_month());
        if !(1..=days).contains(&d) {
            let name = MONTHS[(m - 1) as usize];
            return Err(format!("{name} {year} has {days} days"));
        }
        let date = civil::Date::new(y, m as i8, d as i8).map_err(|e| e.to_string())?;
        let instant = match time_part {
            None => date
                .to_zoned_datetime(TimeZone::UTC)
                .map_err(|e| e.to_string())?
                .timestamp(),
            Some(_) => match jiff::Timestamp::from_str(s) {
                Ok(t) => t,
                // A civil time without an offset: read as UTC.
                Err(_) => civil::DateTime::from_str(s)
                    .map_err(|_| format!("`{s}` has a time jiff cannot read; {shape}"))?
                    .to_zoned_datetime(TimeZone::UTC)
                    .map_err(|e| e.to_string())?
                    .timestamp(),
            },
        };
        Ok(Date {
            precision,
            date,
            instant,
        })
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dates order as instants (time zones respected), then coarser before finer.
impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant
            .cmp(&other.instant)
            .then(self.precision.cmp(&other.precision))
    }
}

impl Date {
    /// The year as a fraction, for placing on a time axis: 2021-07-01 → 2021.49.
    pub fn year_fraction(&self) -> f64 {
        let y = f64::from(self.date.year());
        let days = f64::from(self.date.days_in_year());
        y + f64::from(self.date.day_of_year() - 1) / days
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as written at its precision (for CSV and `<time>`).
    pub fn machine(&self) -> String {
        let d = self.date;
        match self.precision {
            Precision::Year => format!("{:04}", d.year()),
            Precision::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Precision::Day => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }

    /// The date in `lang`, in `style`, never finer than its precision.
    pub fn format(&self, lang: &str, style: DateStyle) -> String {
        let locale = Locale::from_str(&lang.replace('_', "-")).unwrap_or(Locale::UNKNOWN);
        let (y, m, d) = (self.date.year(), self.date.month(), self.date.day());
        let Ok(date) = IcuDate::try_new_iso(i32::from(y), m as u8, d as u8) else {
            return self.machine();
        };
        let precision = match style {
            DateStyle::Year => Precision::Year,
            _ => self.precision,
        };
        let short = style == DateStyle::Short;
        let out = match precision {
            Precision::Year => DateTimeFormatter::try_new((&locale).into(), fieldsets::Y::long())
                .map(|f| f.format(&date).to_string()),
            Precision::Month => {
                let set = if short {
                    fieldsets::YM::short()
                } else {
                    fieldsets::YM::medium()
                };
                DateTimeFormatter::try_new((&locale).into(), set)
                    .map(|f| f.format(&date).to_string())
            }
            Precision::Day => {
                let set = if short { YMD::short() } else { YMD::long() };
                DateTimeFormatter::try_new((&locale).into(), set)
                    .map(|f| f.format(&date).to_string())
            }
        };
        out.unwrap_or_else(|_| self.machine())
    }

    /// The date through an explicit strftime pattern (jiff's: `%Y-%m-%d`, `%d %B %Y`; month and
    /// day names in English).
    pub fn strftime(&self, pattern: &str) -> Result<String, String> {
        let mut out = String::new();
        use std::fmt::Write;
        write!(
            out,
            "{}",
            jiff::fmt::strtime::format(pattern, self.date).map_err(|e| e.to_string())?
        )
        .map_err(|e| e.to_string())?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn impossible_dates_are_refused_in_words() {
        assert_eq!(
            "2024-02-31".parse::<Date>().unwrap_err(),
            "February 2024 has 29 days"
        );
        assert_eq!(
            "2023-02-29".parse::<Date>().unwrap_err(),
            "February 2023 has 28 days"
        );
        assert!(
            "2024-13-01"
                .parse::<Date>()
                .unwrap_err()
                .contains("month 13")
        );
        for bad in [
            "24-01-01",
            "2024/01/01",
            "2024-1-1",
            "June 2024",
            "",
            "2024-01-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn precisions_and_instants() {
        assert_eq!(d("2021").precision, Precision::Year);
        assert_eq!(d("2021-09").precision, Precision::Month);
        assert_eq!(d("2021-09-01").machine(), "2021-09-01");
        // 08:00 in Beijing is midnight UTC: the same instant, whatever the offset says.
        assert_eq!(
            d("2024-06-30T08:00:00+08:00").instant,
            d("2024-06-30T00:00:00Z").instant
        );
        assert!(d("2024-06-30T23:00:00-05:00") > d("2024-07-01T01:00:00+00:00"));
        assert!(d("2024") < d("2024-01"));
        assert!((d("2021-07-02").year_fraction() - 2021.5).abs() < 0.01);
    }

    #[test]
    fn formats_per_language_from_cldr() {
        let day = d("2024-06-30");
        assert_eq!(day.format("en", DateStyle::Long), "June 30, 2024");
        assert_eq!(day.format("en-GB", DateStyle::Long), "30 June 2024");
        assert_eq!(day.format("zh", DateStyle::Long), "2024年6月30日");
        assert_eq!(day.format("de", DateStyle::Long), "30. Juni 2024");
        assert_eq!(day.format("fr", DateStyle::Long), "30 juin 2024");
        assert_eq!(day.format("zh", DateStyle::Year), "2024年");
        assert_eq!(day.format("en", DateStyle::Year), "2024");
        assert_eq!(d("2021-09").format("en", DateStyle::Long), "Sep 2021");
        assert_eq!(d("2021-09").format("zh", DateStyle::Long), "2021年9月");
        assert_eq!(day.strftime("%d %B %Y").unwrap(), "30 June 2024");
    }
}
