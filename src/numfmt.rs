//! Numbers written the way each language writes them: `$1,200` and `800 million` in English,
//! `1200美元` and `8亿` in Chinese. Shared by figures in prose and by chart labels, so a number
//! reads the same in a sentence and on a bar.

use serde::{Deserialize, Serialize};

/// What a number measures, which decides its symbol and grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum NumFormat {
    /// A plain count or amount: `30 million` / `3000万`.
    #[default]
    Number,
    /// US dollars: `$1,200` / `1200美元`.
    Usd,
    /// Chinese yuan: `¥5` / `5元`.
    Cny,
    /// A percentage, value given in percent: `17.1` → `17.1%`.
    Percent,
    /// A calendar year: never grouped.
    Year,
}

/// Long form for prose and value labels; short form for axis ticks where space is tight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Long,
    Short,
}

/// Whether a language groups large numbers by 10⁴ (万, 亿) rather than 10³.
fn myriad(lang: &str) -> bool {
    lang == "zh" || lang.starts_with("zh-") || lang.starts_with("zh_")
}

pub fn format(value: f64, fmt: NumFormat, lang: &str, style: Style) -> String {
    if value < 0.0 {
        return format!("−{}", format(-value, fmt, lang, style));
    }
    let zh = myriad(lang);
    match fmt {
        NumFormat::Percent => format!("{}%", trim(value, 2)),
        NumFormat::Year => format!("{}", value.round() as i64),
        NumFormat::Number => magnitude(value, zh, style),
        NumFormat::Usd if zh => format!("{}美元", magnitude(value, true, style)),
        NumFormat::Usd => format!("${}", magnitude(value, false, style)),
        NumFormat::Cny if zh => format!("{}元", magnitude(value, true, style)),
        NumFormat::Cny => format!("¥{}", magnitude(value, false, style)),
    }
}

/// A range such as "$20–100 a month" → `$20–100` / `20-100美元` (the article's own form).
pub fn format_range(lo: f64, hi: f64, fmt: NumFormat, lang: &str) -> String {
    let zh = myriad(lang);
    let both = |sep: &str| {
        let l = magnitude(lo, zh, Style::Long);
        let h = magnitude(hi, zh, Style::Long);
        match (fmt, zh) {
            (NumFormat::Usd, false) => format!("${l}{sep}{h}"),
            (NumFormat::Usd, true) => format!("{l}{sep}{h}美元"),
            (NumFormat::Cny, false) => format!("¥{l}{sep}{h}"),
            (NumFormat::Cny, true) => format!("{l}{sep}{h}元"),
            (NumFormat::Percent, _) => format!("{}{sep}{}%", trim(lo, 2), trim(hi, 2)),
            _ => format!("{l}{sep}{h}"),
        }
    };
    if zh { both("-") } else { both("–") }
}

fn magnitude(v: f64, zh: bool, style: Style) -> String {
    if zh {
        if v >= 1e8 {
            return format!("{}亿", trim(v / 1e8, 2));
        }
        if v >= 1e4 {
            return format!("{}万", trim(v / 1e4, 2));
        }
        return trim(v, 2);
    }
    let (big, word, letter) = if v >= 1e9 {
        (1e9, " billion", "B")
    } else if v >= 1e6 {
        (1e6, " million", "M")
    } else if v >= 1e4 && style == Style::Short {
        (1e3, "", "K")
    } else {
        return group(v);
    };
    match style {
        Style::Long => format!("{}{word}", trim(v / big, 2)),
        Style::Short => format!("{}{letter}", trim(v / big, 2)),
    }
}

/// At most `decimals` decimals, trailing zeros dropped: 4.450 → "4.45", 15.0 → "15".
fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Thousands separators for the integer part: 50000 → "50,000"; 1234.5 → "1,234.5".
fn group(v: f64) -> String {
    let s = trim(v, 2);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumFormat::*;

    fn en(v: f64, f: NumFormat) -> String {
        format(v, f, "en", Style::Long)
    }
    fn zh(v: f64, f: NumFormat) -> String {
        format(v, f, "zh", Style::Long)
    }

    #[test]
    fn english_long_forms() {
        assert_eq!(en(1200.0, Usd), "$1,200");
        assert_eq!(en(50_000.0, Usd), "$50,000");
        assert_eq!(en(445e6, Usd), "$445 million");
        assert_eq!(en(10e9, Usd), "$10 billion");
        assert_eq!(en(800e6, Number), "800 million");
        assert_eq!(en(2.9e6, Number), "2.9 million");
        assert_eq!(en(740_000.0, Number), "740,000");
        assert_eq!(en(15e9, Number), "15 billion");
        assert_eq!(en(17.1, Percent), "17.1%");
        assert_eq!(en(2024.0, Year), "2024");
        assert_eq!(en(5.0, Cny), "¥5");
    }

    #[test]
    fn chinese_uses_wan_and_yi() {
        assert_eq!(zh(30e6, Number), "3000万");
        assert_eq!(zh(800e6, Number), "8亿");
        assert_eq!(zh(6e9, Number), "60亿");
        assert_eq!(zh(740_000.0, Number), "74万");
        assert_eq!(zh(1200.0, Usd), "1200美元");
        assert_eq!(zh(445e6, Usd), "4.45亿美元");
        assert_eq!(zh(50_000.0, Usd), "5万美元");
        assert_eq!(zh(5.0, Cny), "5元");
        assert_eq!(zh(421.0, Percent), "421%");
    }

    #[test]
    fn short_style_for_axes() {
        assert_eq!(format(800e6, Number, "en", Style::Short), "800M");
        assert_eq!(format(1500.0, Usd, "en", Style::Short), "$1,500");
        assert_eq!(format(25_000.0, Number, "en", Style::Short), "25K");
        assert_eq!(format(800e6, Number, "zh", Style::Short), "8亿");
    }

    #[test]
    fn ranges() {
        assert_eq!(format_range(20.0, 100.0, Usd, "en"), "$20–100");
        assert_eq!(format_range(20.0, 100.0, Usd, "zh"), "20-100美元");
    }
}
