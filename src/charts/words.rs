//! The few words charts write themselves (table headings, "log scale") and the sentence patterns
//! of the generated `<desc>` descriptions. Every number arrives already formatted.
//!
//! Charts write English, German and Chinese. Any other language falls back to English: that is
//! decided in one place, [`Words::of`], and the reference says so. Numbers the chart derives
//! itself (ratios, shares, remainders, totals) are marked as the site's arithmetic in every
//! language, and keep what their inputs' qualifiers allow (see `derived.rs`).

use crate::numfmt::{Qualifier, primary};

use super::derived::Sure;

/// The languages with words of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    En,
    De,
    Zh,
}

impl Words {
    /// The words for `lang`: its own where charts have them, English otherwise (the fallback).
    pub fn of(lang: &str) -> Words {
        if crate::numfmt::is_chinese(lang) {
            Words::Zh
        } else if primary(lang).eq_ignore_ascii_case("de") {
            Words::De
        } else {
            Words::En
        }
    }

    /// One word or phrase in each language.
    fn pick(self, en: &'static str, de: &'static str, zh: &'static str) -> &'static str {
        match self {
            Words::En => en,
            Words::De => de,
            Words::Zh => zh,
        }
    }
}

fn pick(lang: &str, en: &'static str, de: &'static str, zh: &'static str) -> &'static str {
    Words::of(lang).pick(en, de, zh)
}

pub fn log_scale(lang: &str) -> &'static str {
    pick(lang, "log scale", "logarithmische Skala", "对数刻度")
}

pub fn total(lang: &str) -> &'static str {
    pick(lang, "Total", "Insgesamt", "总计")
}

pub fn category(lang: &str) -> &'static str {
    pick(lang, "Category", "Kategorie", "类别")
}

pub fn value(lang: &str) -> &'static str {
    pick(lang, "Value", "Wert", "数值")
}

pub fn share(lang: &str) -> &'static str {
    pick(lang, "Share", "Anteil", "占比")
}

pub fn lane(lang: &str) -> &'static str {
    pick(lang, "Group", "Gruppe", "分组")
}

pub fn event(lang: &str) -> &'static str {
    pick(lang, "Event", "Ereignis", "事件")
}

pub fn from(lang: &str) -> &'static str {
    pick(lang, "From", "Von", "开始")
}

pub fn to(lang: &str) -> &'static str {
    pick(lang, "To", "Bis", "结束")
}

/// The first column of a line chart's table.
pub fn when(lang: &str) -> &'static str {
    pick(lang, "When", "Zeitpunkt", "时间")
}

/// "axis title · log scale" for the line beside a value axis.
pub fn join_dot(a: &str, b: &str) -> String {
    format!("{a} · {b}")
}

/// What a description adds after a number of the site's own arithmetic, or after the
/// sentence listing several: `(our arithmetic)`, `(eigene Berechnung)`, `（本站推算）`.
fn ours(w: Words) -> &'static str {
    w.pick(" (our arithmetic)", " (eigene Berechnung)", "（本站推算）")
}

/// `Paying: 40 million (5%)`.
pub fn part_label(lang: &str, label: &str, value: &str, pct: &str) -> String {
    match Words::of(lang) {
        Words::Zh => format!("{label}：{value}（{pct}）"),
        _ => format!("{label}: {value} ({pct})"),
    }
}

/// `Total: 800 million`.
pub fn labelled(lang: &str, label: &str, value: &str) -> String {
    match Words::of(lang) {
        Words::Zh => format!("{label}：{value}"),
        _ => format!("{label}: {value}"),
    }
}

/// A span's years after its label: `Steam engine (1760–1840)`.
pub fn with_years(lang: &str, label: &str, years: &str) -> String {
    match Words::of(lang) {
        Words::Zh => format!("{label}（{years}）"),
        _ => format!("{label} ({years})"),
    }
}

pub fn year_range(lang: &str, a: &str, b: &str) -> String {
    format!("{a}{}{b}", pick(lang, "–", "–", "-"))
}

/// A ratio the chart worked out, with how sure it is: `about 41 times`, `mehr als das
/// 40-Fache`, `超过…的40倍` (Chinese wraps the compared item, so it is passed in: `of`).
fn times(w: Words, n: &str, sure: Sure, of: &str) -> String {
    use Qualifier::*;
    match (w, sure.qualifier()) {
        (Words::En, None) => format!("{n} times {of}"),
        (Words::En, Some(q)) => format!("{} {of}", q.apply(&format!("{n} times"), "en")),
        (Words::De, None) => format!("das {n}-Fache von {of}"),
        (Words::De, Some(q)) => {
            let before = match q {
                About => "etwa",
                MoreThan => "mehr als",
                AtLeast => "mindestens",
                UpTo | NoMoreThan => "höchstens",
                LessThan => "weniger als",
            };
            format!("{before} das {n}-Fache von {of}")
        }
        (Words::Zh, q) => {
            let (before, verb) = match q {
                None => ("", "是"),
                Some(About) => ("约", "为"),
                Some(MoreThan) => ("", "超过"),
                Some(AtLeast) => ("至少", "是"),
                Some(UpTo | NoMoreThan) => ("至多", "是"),
                Some(LessThan) => ("", "不到"),
            };
            format!("{before}{verb}{of}的{n}倍")
        }
    }
}

/// `Price a month: Pro is highest with $200, 25 times Go with $8 (our arithmetic).`
pub fn bars_times(
    lang: &str,
    series: &str,
    hi: (&str, &str),
    lo: (&str, &str),
    (n, sure): (&str, Sure),
) -> String {
    let w = Words::of(lang);
    match w {
        Words::Zh => {
            let of = format!("{}（{}）", lo.0, lo.1);
            format!(
                "{series}：{}最高，为{}，{}{}。",
                hi.0,
                hi.1,
                times(w, n, sure, &of),
                ours(w)
            )
        }
        Words::De => {
            let of = format!("{} mit {}", lo.0, lo.1);
            format!(
                "{series}: Am höchsten liegt {} mit {}, {}{}.",
                hi.0,
                hi.1,
                times(w, n, sure, &of),
                ours(w)
            )
        }
        Words::En => {
            let of = format!("{} with {}", lo.0, lo.1);
            format!(
                "{series}: {} is highest with {}, {}{}.",
                hi.0,
                hi.1,
                times(w, n, sure, &of),
                ours(w)
            )
        }
    }
}

/// `Share: A is highest with 40%; B is lowest with 30%.` ("with", not "at": "at at least 40%")
pub fn bars_range(lang: &str, series: &str, hi: (&str, &str), lo: (&str, &str)) -> String {
    match Words::of(lang) {
        Words::Zh => format!(
            "{series}：{}最高，为{}；{}最低，为{}。",
            hi.0, hi.1, lo.0, lo.1
        ),
        Words::De => format!(
            "{series}: Am höchsten liegt {} mit {}, am niedrigsten {} mit {}.",
            hi.0, hi.1, lo.0, lo.1
        ),
        Words::En => format!(
            "{series}: {} is highest with {}; {} is lowest with {}.",
            hi.0, hi.1, lo.0, lo.1
        ),
    }
}

/// `Price: Go with $8.`
pub fn bars_one(lang: &str, series: &str, cat: &str, value: &str) -> String {
    match Words::of(lang) {
        Words::Zh => format!("{series}：{cat}为{value}。"),
        Words::De => format!("{series}: {cat} mit {value}."),
        Words::En => format!("{series}: {cat} with {value}."),
    }
}

/// `China is higher than US on 2 of 2 measures (our count); the widest gap is AI use at work:
/// 80% against 40%.`
pub fn grouped(
    lang: &str,
    (a, b): (&str, &str),
    (k, n): (&str, &str),
    cat: &str,
    (va, vb): (&str, &str),
) -> String {
    match Words::of(lang) {
        Words::Zh => {
            format!("{n}项中有{k}项{a}高于{b}（本站统计）；差距最大的是{cat}：{va}对{vb}。")
        }
        Words::De => format!(
            "{a} liegt bei {k} von {n} Kennzahlen vor {b} (eigene Zählung); am größten ist der Abstand bei {cat}: {va} gegenüber {vb}."
        ),
        Words::En => format!(
            "{a} is higher than {b} on {k} of {n} measures (our count); the widest gap is {cat}: {va} against {vb}."
        ),
    }
}

/// What the parts of a part-of-whole sentence derive: the shares always, the remainder when
/// there is one.
fn derived_parts(w: Words, shares: bool, rest: bool) -> &'static str {
    match (shares, rest) {
        (true, true) => w.pick(
            " (shares and the remainder: our arithmetic)",
            " (Anteile und Rest: eigene Berechnung)",
            "（占比和余数为本站推算）",
        ),
        (true, false) => w.pick(
            " (shares: our arithmetic)",
            " (Anteile: eigene Berechnung)",
            "（占比为本站推算）",
        ),
        (false, true) => w.pick(
            " (the remainder: our arithmetic)",
            " (Rest: eigene Berechnung)",
            "（余数为本站推算）",
        ),
        (false, false) => "",
    }
}

/// `Of 800 million in total: Paying 40 million (5%), Not paying 760 million (95%) (shares and
/// the remainder: our arithmetic).`
pub fn part(lang: &str, total: &str, parts: &[(String, String, String)], rest: bool) -> String {
    let w = Words::of(lang);
    let note = derived_parts(w, true, rest);
    match w {
        Words::Zh => {
            let list: Vec<String> = parts
                .iter()
                .map(|(l, v, p)| format!("{l}{v}（{p}）"))
                .collect();
            format!("总计{total}，其中{}{note}。", list.join("，"))
        }
        Words::De => {
            let list: Vec<String> = parts
                .iter()
                .map(|(l, v, p)| format!("{l} {v} ({p})"))
                .collect();
            format!("Von insgesamt {total}: {}{note}.", list.join(", "))
        }
        Words::En => {
            let list: Vec<String> = parts
                .iter()
                .map(|(l, v, p)| format!("{l} {v} ({p})"))
                .collect();
            format!("Of {total} in total: {}{note}.", list.join(", "))
        }
    }
}

/// `Small towns 55%, Elsewhere 45% (the remainder: our arithmetic).` (percentages of a whole,
/// where values are the shares)
pub fn shares(lang: &str, parts: &[(String, String)], rest: bool) -> String {
    let w = Words::of(lang);
    let note = derived_parts(w, false, rest);
    match w {
        Words::Zh => {
            let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l}{v}")).collect();
            format!("{}{note}。", list.join("，"))
        }
        _ => {
            let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l} {v}")).collect();
            format!("{}{note}.", list.join(", "))
        }
    }
}

/// A year in Chinese takes 年 after it; a month or a day already carries it (2021年9月).
fn nian(s: &str) -> String {
    if s.ends_with(|c: char| c.is_ascii_digit()) {
        format!("{s}年")
    } else {
        s.to_string()
    }
}

/// `5 events from 1760 to 2023; the longest span is Steam engine, 1760–1840.`
pub fn timeline(
    lang: &str,
    (count, n): (usize, &str),
    first: &str,
    last: &str,
    longest: Option<(&str, &str)>,
) -> String {
    let w = Words::of(lang);
    let nian = |s: &str| match w {
        Words::Zh => nian(s),
        _ => s.to_string(),
    };
    let (first, last) = (nian(first), nian(last));
    let one = count == 1;
    let mut s = match w {
        Words::Zh => format!("{n}个事件，从{first}到{last}"),
        Words::De if one => format!("{n} Ereignis von {first} bis {last}"),
        Words::De => format!("{n} Ereignisse von {first} bis {last}"),
        Words::En if one => format!("{n} event from {first} to {last}"),
        Words::En => format!("{n} events from {first} to {last}"),
    };
    if let Some((label, years)) = longest {
        s.push_str(&match w {
            Words::Zh => format!("；持续最久的是{label}，{}", nian(years)),
            Words::De => format!("; am längsten dauert {label}, {years}"),
            Words::En => format!("; the longest span is {label}, {years}"),
        });
    }
    s.push_str(w.pick(".", ".", "。"));
    s
}

/// `Coal: from 40% in 2019 to 25% in 2024`.
pub fn line_series(lang: &str, name: &str, first: (&str, &str), last: (&str, &str)) -> String {
    match Words::of(lang) {
        Words::Zh => format!(
            "{name}：从{}的{}到{}的{}",
            nian(first.1),
            first.0,
            nian(last.1),
            last.0
        ),
        Words::De => format!(
            "{name}: von {} ({}) auf {} ({})",
            first.0, first.1, last.0, last.1
        ),
        Words::En => format!(
            "{name}: from {} in {} to {} in {}",
            first.0, first.1, last.0, last.1
        ),
    }
}

/// Clauses joined into one sentence: `A; B.` / `A；B。`
pub fn sentences(lang: &str, parts: &[String]) -> String {
    match Words::of(lang) {
        Words::Zh => format!("{}。", parts.join("；")),
        _ => format!("{}.", parts.join("; ")),
    }
}

/// Clauses joined into one sentence that ends by saying its totals are the site's sums.
pub fn sentences_with_totals(lang: &str, parts: &[String]) -> String {
    let w = Words::of(lang);
    let note = w.pick(
        " (totals: our arithmetic)",
        " (Summen: eigene Berechnung)",
        "（总数为本站推算）",
    );
    match w {
        Words::Zh => format!("{}{note}。", parts.join("；")),
        _ => format!("{}{note}.", parts.join("; ")),
    }
}

/// `Homes: 100 in total, Gas 30, Heat pump 20`.
pub fn stacked_row(lang: &str, cat: &str, total: &str, parts: &[(String, String)]) -> String {
    match Words::of(lang) {
        Words::Zh => {
            let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l}{v}")).collect();
            format!("{cat}共{total}，其中{}", list.join("，"))
        }
        Words::De => {
            let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l} {v}")).collect();
            format!("{cat}: insgesamt {total}, davon {}", list.join(", "))
        }
        Words::En => {
            let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l} {v}")).collect();
            format!("{cat}: {total} in total, {}", list.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_without_words_of_their_own_fall_back_to_english() {
        assert_eq!(Words::of("de-CH"), Words::De);
        assert_eq!(Words::of("zh_TW"), Words::Zh);
        assert_eq!(Words::of("fr"), Words::En);
        assert_eq!(total("fr"), total("en"));
    }

    #[test]
    fn ratios_keep_their_qualifier_in_every_language() {
        let floor = Sure::Floor { strict: true };
        let en = bars_times(
            "en",
            "Users",
            ("A", "more than 30 million"),
            ("B", "740,000"),
            ("40", floor),
        );
        assert_eq!(
            en,
            "Users: A is highest with more than 30 million, more than 40 times B with 740,000 (our arithmetic)."
        );
        let de = bars_times(
            "de",
            "Nutzer",
            ("A", "mehr als 30 Mio."),
            ("B", "740.000"),
            ("40", floor),
        );
        assert_eq!(
            de,
            "Nutzer: Am höchsten liegt A mit mehr als 30 Mio., mehr als das 40-Fache von B mit 740.000 (eigene Berechnung)."
        );
        let zh = bars_times(
            "zh",
            "用户",
            ("甲", "超过3000万"),
            ("乙", "74万"),
            ("40", floor),
        );
        assert_eq!(
            zh,
            "用户：甲最高，为超过3000万，超过乙（74万）的40倍（本站推算）。"
        );
        let exact = bars_times(
            "en",
            "P",
            ("A", "$1,200"),
            ("B", "$25"),
            ("48", Sure::Exact),
        );
        assert_eq!(
            exact,
            "P: A is highest with $1,200, 48 times B with $25 (our arithmetic)."
        );
    }
}
