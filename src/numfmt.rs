//! Numbers written the way each language writes them: `$1,200` and `800 million` in English,
//! `1200美元` and `8亿` in Chinese, `1.234,5` in German, `1 234,5` in French. Shared by figures in
//! prose and by chart labels, so a number reads the same in a sentence and on a bar.
//!
//! Digits, separators, grouping and the large-number words ("million", "Millionen", 万, 亿) come
//! from CLDR through ICU4X's compiled data, for any language code a site declares. What CLDR
//! has but ICU4X does not yet expose in a stable API (the percent sign's spacing, currency
//! symbols and their placement) comes from the small tables below, which follow CLDR for the
//! languages they name; other languages get the international forms (`40%`, `CHF 5`).
//! Qualifiers ("more than", 超过) are words CLDR does not have: English, Chinese, German, French,
//! Spanish and Japanese are written out, other languages get `≈`, `>`, `≥`, `≤`, `<`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::str::FromStr;

use fixed_decimal::Decimal;
use icu_decimal::options::{
    CompactDecimalFormatterOptions, DecimalFormatterOptions, GroupingStrategy,
};
use icu_decimal::{CompactDecimalFormatter, DecimalFormatter};
use icu_locale_core::Locale;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// What a number measures, which decides its symbol and grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum NumFormat {
    /// A plain count or amount: `30 million` / `3000万`.
    #[default]
    Number,
    /// US dollars (shorthand for `currency` with `USD`): `$1,200` / `1200美元`.
    Usd,
    /// Chinese yuan (shorthand for `currency` with `CNY`): `¥5` / `5元`.
    Cny,
    /// Money in the ISO 4217 currency that `currency:` names.
    Currency,
    /// A percentage, value given in percent: `17.1` → `17.1%`.
    Percent,
    /// A calendar year: never grouped.
    Year,
}

impl NumFormat {
    /// The names as `format:` takes them, for help texts.
    pub const NAMES: &'static str = "number, usd, cny, currency, percent, year";
}

/// Long form for prose and value labels; short form for axis ticks where space is tight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Long,
    Short,
}

/// How exact a figure is, as the article says it: "more than 30 million".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    About,
    MoreThan,
    AtLeast,
    UpTo,
    NoMoreThan,
    LessThan,
}

impl Qualifier {
    /// The names as `qualifier:` takes them, for help texts.
    pub const NAMES: &'static str = "about, more_than, at_least, up_to, no_more_than, less_than";

    /// `text` (a formatted number) with the qualifier, as `lang` writes it.
    pub fn apply(self, text: &str, lang: &str) -> String {
        use Qualifier::*;
        let primary = primary(lang);
        let words: Option<(&str, &str)> = match primary {
            "en" => Some(match self {
                About => ("about ", ""),
                MoreThan => ("more than ", ""),
                AtLeast => ("at least ", ""),
                UpTo => ("up to ", ""),
                NoMoreThan => ("no more than ", ""),
                LessThan => ("less than ", ""),
            }),
            // Chinese: 约3000万, 40%左右, 超过3000万, 至少, 多达, 不超过, 不到.
            "zh" => Some(match self {
                About if text.ends_with('%') => ("", "左右"),
                About => ("约", ""),
                MoreThan => ("超过", ""),
                AtLeast => ("至少", ""),
                UpTo => ("多达", ""),
                NoMoreThan => ("不超过", ""),
                LessThan => ("不到", ""),
            }),
            "ja" => Some(match self {
                About => ("約", ""),
                MoreThan => ("", "超"),
                AtLeast => ("", "以上"),
                UpTo => ("最大", ""),
                NoMoreThan => ("", "以下"),
                LessThan => ("", "未満"),
            }),
            "de" => Some(match self {
                About => ("etwa ", ""),
                MoreThan => ("mehr als ", ""),
                AtLeast => ("mindestens ", ""),
                UpTo => ("bis zu ", ""),
                NoMoreThan => ("höchstens ", ""),
                LessThan => ("weniger als ", ""),
            }),
            "fr" => Some(match self {
                About => ("environ ", ""),
                MoreThan => ("plus de ", ""),
                AtLeast => ("au moins ", ""),
                UpTo => ("jusqu’à ", ""),
                NoMoreThan => ("au plus ", ""),
                LessThan => ("moins de ", ""),
            }),
            "es" => Some(match self {
                About => ("alrededor de ", ""),
                MoreThan => ("más de ", ""),
                AtLeast => ("al menos ", ""),
                UpTo => ("hasta ", ""),
                NoMoreThan => ("como máximo ", ""),
                LessThan => ("menos de ", ""),
            }),
            _ => None,
        };
        match words {
            Some((before, after)) => format!("{before}{text}{after}"),
            None => {
                let sign = match self {
                    About => "≈",
                    MoreThan => ">",
                    AtLeast => "≥",
                    UpTo | NoMoreThan => "≤",
                    LessThan => "<",
                };
                format!("{sign}{text}")
            }
        }
    }
}

/// Everything about how a number is written except the number itself and its qualifier.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notation {
    pub format: NumFormat,
    /// The ISO 4217 code, for `NumFormat::Currency`.
    pub currency: Option<String>,
    /// Exactly this many decimals; `None`: at most two, trailing zeros dropped.
    pub decimals: Option<u8>,
    /// What the number counts (`kWh`, `{en: kWh, zh: 千瓦时}`), after it.
    pub unit: Option<Text>,
}

impl From<NumFormat> for Notation {
    fn from(format: NumFormat) -> Notation {
        Notation {
            format,
            ..Notation::default()
        }
    }
}

impl Notation {
    /// The currency code this notation prints, if it is money.
    pub fn currency_code(&self) -> Option<&str> {
        match self.format {
            NumFormat::Usd => Some("USD"),
            NumFormat::Cny => Some("CNY"),
            NumFormat::Currency => self.currency.as_deref(),
            _ => None,
        }
    }

    /// The same notation without its unit (for axis ticks, where the axis title names it).
    pub fn without_unit(&self) -> Notation {
        Notation {
            unit: None,
            ..self.clone()
        }
    }

    /// One number: `$1,200`, `8亿`, `0,40 kWh`.
    pub fn format(&self, value: f64, lang: &str, style: Style) -> String {
        if value < 0.0 {
            return format!("−{}", self.format(-value, lang, style));
        }
        self.affix(&self.core(value, lang, style), lang)
    }

    /// A range with the symbol, sign and unit once, as a reader expects: `$20–100`,
    /// `20～100美元`, `20–40 %`.
    pub fn range(&self, lo: f64, hi: f64, lang: &str, style: Style) -> String {
        if lo < 0.0 || hi < 0.0 {
            let sep = range_sep(lang);
            return format!(
                "{}{sep}{}",
                self.format(lo, lang, style),
                self.format(hi, lang, style)
            );
        }
        let core = format!(
            "{}{}{}",
            self.core(lo, lang, style),
            range_sep(lang),
            self.core(hi, lang, style)
        );
        self.affix(&core, lang)
    }

    /// The digits (and large-number word) of a non-negative value, without symbol or unit.
    fn core(&self, v: f64, lang: &str, style: Style) -> String {
        if !v.is_finite() {
            return format!("{v}");
        }
        let loc = Loc::get(lang);
        match self.format {
            NumFormat::Year => loc.plain(&decimal(v, Some(self.decimals.unwrap_or(0))), true),
            NumFormat::Percent => loc.plain(&decimal(v, self.decimals), false),
            _ => loc.magnitude(v, self.decimals, style),
        }
    }

    /// Symbol, percent sign and unit around `core`, placed as `lang` places them.
    fn affix(&self, core: &str, lang: &str) -> String {
        let mut out = match self.format {
            NumFormat::Percent => format!("{core}{}", percent_sign(lang)),
            _ => match self.currency_code() {
                Some(code) => money(core, code, lang),
                None => core.to_string(),
            },
        };
        if let Some(unit) = &self.unit {
            let unit = unit.of(lang).trim();
            if !unit.is_empty() {
                let first = unit.chars().next().unwrap_or(' ');
                let last = out.chars().last().unwrap_or(' ');
                if !(is_wide(first) || is_wide(last) || matches!(first, '/' | '%' | '°' | '‰')) {
                    out.push('\u{a0}');
                }
                out.push_str(unit);
            }
        }
        out
    }
}

/// `format` with a bare `NumFormat`: the common case for chart words and ticks.
pub fn format(value: f64, fmt: NumFormat, lang: &str, style: Style) -> String {
    Notation::from(fmt).format(value, lang, style)
}

/// A range such as "$20–100 a month" → `$20–100` / `20～100美元`.
#[cfg(test)] // only the tests use it while the crate's modules are private
pub fn format_range(lo: f64, hi: f64, fmt: NumFormat, lang: &str) -> String {
    Notation::from(fmt).range(lo, hi, lang, Style::Long)
}

/// The machine-readable form of a number, for `<data value>` and CSV: `800000000`, `0.4`.
pub fn raw(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The language subtag of a code: `zh` for `zh-Hans`, `zh_CN` and `zh`.
pub fn primary(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// Whether a language writes Chinese (the few words charts write themselves).
pub fn is_chinese(lang: &str) -> bool {
    primary(lang).eq_ignore_ascii_case("zh")
}

fn range_sep(lang: &str) -> &'static str {
    // Chinese marks a range of numbers with the wave dash, full width (GB/T 15834-2011 §4.11,
    // 标点符号用法: 25～30 g); the article's `20-100美元` is the ASCII of a scraped copy, like
    // its commas. Other languages take the en dash.
    if is_chinese(lang) { "～" } else { "–" }
}

/// East Asian wide characters: after them a unit needs no space.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60)
}

/// CLDR's percent pattern: `40 %` (no-break space) in German, `40 %` (narrow no-break space) in
/// French, `40%` in English, Chinese and most others.
fn percent_sign(lang: &str) -> &'static str {
    match primary(lang) {
        "fr" => "\u{202f}%",
        "de" | "es" | "ru" | "uk" | "sv" | "nb" | "no" | "da" | "fi" | "cs" | "sk" | "bg"
        | "el" | "ca" => "\u{a0}%",
        _ => "%",
    }
}

/// Money: symbol and placement per language (CLDR's for the languages named here).
fn money(core: &str, code: &str, lang: &str) -> String {
    if is_chinese(lang) {
        let word = match code {
            "USD" => "美元",
            "CNY" => "元",
            "EUR" => "欧元",
            "GBP" => "英镑",
            "JPY" => "日元",
            "HKD" => "港元",
            "TWD" => "新台币",
            "KRW" => "韩元",
            _ => return format!("{core}\u{a0}{code}"),
        };
        return format!("{core}{word}");
    }
    let p = primary(lang);
    if p == "ja" {
        let word = match code {
            "JPY" => "円",
            "USD" => "ドル",
            "EUR" => "ユーロ",
            "CNY" => "元",
            _ => return format!("{core}\u{a0}{code}"),
        };
        return format!("{core}{word}");
    }
    let symbol = match code {
        "USD" if p == "fr" => "$\u{a0}US",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "CNY" if p == "en" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "ILS" => "₪",
        "VND" => "₫",
        "NGN" => "₦",
        "UAH" => "₴",
        _ => code,
    };
    let spaced = symbol == code;
    match p {
        // Symbol after the number, with a no-break space: `1.234,50 €`.
        "de" | "fr" | "es" | "it" | "pt" if !lang.eq_ignore_ascii_case("pt-BR") => {
            format!("{core}\u{a0}{symbol}")
        }
        "ru" | "uk" | "pl" | "cs" | "sk" | "sv" | "fi" | "nb" | "no" | "da" => {
            format!("{core}\u{a0}{symbol}")
        }
        // Symbol first with a space: `€ 1.234,50`.
        "nl" | "pt" => format!("{symbol}\u{a0}{core}"),
        _ if spaced => format!("{symbol}\u{a0}{core}"),
        _ => format!("{symbol}{core}"),
    }
}

/// The value with exactly `decimals` decimals, or at most two with trailing zeros dropped.
fn decimal(v: f64, decimals: Option<u8>) -> Decimal {
    let places = usize::from(decimals.unwrap_or(2));
    let s = format!("{v:.places$}");
    let s = if decimals.is_none() && s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    Decimal::from_str(&s).unwrap_or_default()
}

/// The formatters of one language, made once per thread and language.
struct Loc {
    grouped: DecimalFormatter,
    ungrouped: DecimalFormatter,
    long: Option<CompactDecimalFormatter>,
    short: Option<CompactDecimalFormatter>,
}

thread_local! {
    static LOCALES: RefCell<HashMap<String, Rc<Loc>>> = RefCell::new(HashMap::new());
}

impl Loc {
    fn get(lang: &str) -> Rc<Loc> {
        LOCALES.with(|cache| {
            if let Some(loc) = cache.borrow().get(lang) {
                return loc.clone();
            }
            let loc = Rc::new(Loc::new(lang));
            cache.borrow_mut().insert(lang.to_string(), loc.clone());
            loc
        })
    }

    fn new(lang: &str) -> Loc {
        let locale = Locale::from_str(&lang.replace('_', "-")).unwrap_or(Locale::UNKNOWN);
        let myriad = matches!(primary(lang), "zh" | "ja" | "ko");
        let options = |g: GroupingStrategy| {
            let mut o = DecimalFormatterOptions::default();
            // Chinese writes 1200美元, 3000万: the part below 万 is not grouped.
            o.grouping_strategy = Some(if myriad && g == GroupingStrategy::Auto {
                GroupingStrategy::Min2
            } else {
                g
            });
            o
        };
        let fallback = |g| {
            DecimalFormatter::try_new((&locale).into(), options(g))
                .or_else(|_| DecimalFormatter::try_new(Default::default(), options(g)))
                .ok()
        };
        let compact = CompactDecimalFormatterOptions::default();
        Loc {
            grouped: fallback(GroupingStrategy::Auto).unwrap_or_else(root),
            ungrouped: fallback(GroupingStrategy::Never).unwrap_or_else(root),
            long: CompactDecimalFormatter::try_new_long((&locale).into(), compact.clone()).ok(),
            short: CompactDecimalFormatter::try_new_short((&locale).into(), compact).ok(),
        }
    }

    fn plain(&self, d: &Decimal, ungrouped: bool) -> String {
        let f = if ungrouped {
            &self.ungrouped
        } else {
            &self.grouped
        };
        f.format(d).to_string()
    }

    /// A count or amount: with the language's large-number word from a million up (from 万 in
    /// Chinese and Japanese), digits below; the short style also abbreviates thousands.
    fn magnitude(&self, v: f64, decimals: Option<u8>, style: Style) -> String {
        let compact = match style {
            Style::Long => self.long.as_ref(),
            Style::Short => self.short.as_ref(),
        };
        if let Some(c) = compact
            && v >= 1e4
        {
            let mag = v.log10().floor() as i16;
            let exp = c.compact_exponent_for_magnitude(mag);
            let least = if style == Style::Short { 3 } else { 4 };
            if exp >= least {
                let sig = decimal(v / 10f64.powi(i32::from(exp)), decimals);
                if let Ok(text) = c.format_with_exponent(&sig, exp) {
                    return text.to_string();
                }
            }
        }
        self.plain(&decimal(v, decimals), false)
    }
}

/// The root locale's formatter (compiled data always has it).
fn root() -> DecimalFormatter {
    #[allow(clippy::expect_used)]
    DecimalFormatter::try_new(Default::default(), Default::default())
        .expect("ICU4X compiled data holds the root locale")
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
        assert_eq!(en(0.4, Usd), "$0.4");
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
        assert_eq!(format_range(20.0, 100.0, Usd, "zh"), "20～100美元");
        let kwh = Notation {
            unit: Some(Text::Plain("kWh".into())),
            ..Notation::default()
        };
        assert_eq!(kwh.range(20.0, 30.0, "en", Style::Long), "20–30\u{a0}kWh");
    }

    #[test]
    fn locales_from_cldr() {
        assert_eq!(format(1234.5, Number, "de", Style::Long), "1.234,5");
        assert_eq!(format(1234.5, Number, "fr", Style::Long), "1\u{202f}234,5");
        assert_eq!(format(30e6, Number, "de", Style::Long), "30 Millionen");
        assert_eq!(format(40.0, Percent, "de", Style::Long), "40\u{a0}%");
        assert_eq!(format(1200.0, Number, "zh-Hans", Style::Long), "1200");
        // A code CLDR does not know still formats (root conventions).
        assert_eq!(format(1234.5, Number, "x-unknown", Style::Long), "1,234.5");
    }

    #[test]
    fn decimals_currency_and_units() {
        let n = Notation {
            format: Currency,
            currency: Some("EUR".into()),
            decimals: Some(2),
            unit: None,
        };
        assert_eq!(n.format(0.4, "en", Style::Long), "€0.40");
        assert_eq!(n.format(1234.5, "de", Style::Long), "1.234,50\u{a0}€");
        assert_eq!(n.format(0.4, "zh", Style::Long), "0.40欧元");
        let usd = Notation {
            format: Usd,
            decimals: Some(2),
            ..Notation::default()
        };
        assert_eq!(usd.format(0.4, "en", Style::Long), "$0.40");
        assert_eq!(usd.format(0.077, "en", Style::Long), "$0.08");
        let three = Notation {
            decimals: Some(3),
            ..usd.clone()
        };
        assert_eq!(three.format(0.077, "en", Style::Long), "$0.077");
        let per = Notation {
            unit: Some(serde_yaml::from_str("{en: /kWh, zh: /千瓦时}").unwrap()),
            ..usd
        };
        assert_eq!(per.format(0.4, "en", Style::Long), "$0.40/kWh");
        assert_eq!(per.format(0.4, "zh", Style::Long), "0.40美元/千瓦时");
        let chf = Notation {
            format: Currency,
            currency: Some("CHF".into()),
            ..Notation::default()
        };
        assert_eq!(chf.format(5.0, "en", Style::Long), "CHF\u{a0}5");
    }

    #[test]
    fn qualifiers_in_each_language() {
        let q = |q: Qualifier, v: f64, f: NumFormat, lang: &str| {
            q.apply(&format(v, f, lang, Style::Long), lang)
        };
        assert_eq!(
            q(Qualifier::MoreThan, 30e6, Number, "en"),
            "more than 30 million"
        );
        assert_eq!(q(Qualifier::MoreThan, 30e6, Number, "zh"), "超过3000万");
        assert_eq!(q(Qualifier::About, 40.0, Percent, "zh"), "40%左右");
        assert_eq!(q(Qualifier::About, 30e6, Number, "zh"), "约3000万");
        assert_eq!(
            q(Qualifier::NoMoreThan, 40e6, Number, "de"),
            "höchstens 40 Millionen"
        );
        assert_eq!(q(Qualifier::LessThan, 5.0, Percent, "ko"), "<5%");
    }
}
