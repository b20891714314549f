//! The few words charts write themselves, and the sentence patterns of the generated
//! descriptions, in English and Chinese (other languages fall back to English). Every number
//! arrives already formatted.

fn zh(lang: &str) -> bool {
    crate::numfmt::is_chinese(lang)
}

/// Pick the Chinese or the English form.
fn pick<'a>(lang: &str, en: &'a str, zh_: &'a str) -> &'a str {
    if zh(lang) { zh_ } else { en }
}

pub fn log_scale(lang: &str) -> &'static str {
    pick(lang, "log scale", "对数刻度")
}

pub fn total(lang: &str) -> &'static str {
    pick(lang, "Total", "总计")
}

pub fn category(lang: &str) -> &'static str {
    pick(lang, "Category", "类别")
}

pub fn value(lang: &str) -> &'static str {
    pick(lang, "Value", "数值")
}

pub fn share(lang: &str) -> &'static str {
    pick(lang, "Share", "占比")
}

pub fn lane(lang: &str) -> &'static str {
    pick(lang, "Group", "分组")
}

pub fn event(lang: &str) -> &'static str {
    pick(lang, "Event", "事件")
}

pub fn from(lang: &str) -> &'static str {
    pick(lang, "From", "开始")
}

pub fn to(lang: &str) -> &'static str {
    pick(lang, "To", "结束")
}

/// "axis title · log scale" for the line beside a value axis.
pub fn join_dot(a: &str, b: &str) -> String {
    format!("{a} · {b}")
}

/// `Paying: 40 million (5%)`.
pub fn part_label(lang: &str, label: &str, value: &str, pct: &str) -> String {
    if zh(lang) {
        format!("{label}：{value}（{pct}）")
    } else {
        format!("{label}: {value} ({pct})")
    }
}

/// `Total: 800 million`.
pub fn labelled(lang: &str, label: &str, value: &str) -> String {
    pick(lang, "{l}: {v}", "{l}：{v}")
        .replace("{l}", label)
        .replace("{v}", value)
}

/// A span's years after its label: `Steam engine (1760–1840)`.
pub fn with_years(lang: &str, label: &str, years: &str) -> String {
    if zh(lang) {
        format!("{label}（{years}）")
    } else {
        format!("{label} ({years})")
    }
}

pub fn year_range(lang: &str, a: &str, b: &str) -> String {
    format!("{a}{}{b}", pick(lang, "–", "-"))
}

/// `Price a month: Pro is highest at $200, 25 times Go at $8.`
pub fn bars_times(
    lang: &str,
    series: &str,
    hi: (&str, &str),
    lo: (&str, &str),
    times: &str,
) -> String {
    if zh(lang) {
        format!(
            "{series}：{}最高，为{}，是{}（{}）的{times}倍。",
            hi.0, hi.1, lo.0, lo.1
        )
    } else {
        format!(
            "{series}: {} is highest at {}, {times} times {} at {}.",
            hi.0, hi.1, lo.0, lo.1
        )
    }
}

/// `Share: A is highest at 40%; B is lowest at 30%.`
pub fn bars_range(lang: &str, series: &str, hi: (&str, &str), lo: (&str, &str)) -> String {
    if zh(lang) {
        format!(
            "{series}：{}最高，为{}；{}最低，为{}。",
            hi.0, hi.1, lo.0, lo.1
        )
    } else {
        format!(
            "{series}: {} is highest at {}; {} is lowest at {}.",
            hi.0, hi.1, lo.0, lo.1
        )
    }
}

/// `Price: Go at $8.`
pub fn bars_one(lang: &str, series: &str, cat: &str, value: &str) -> String {
    if zh(lang) {
        format!("{series}：{cat}为{value}。")
    } else {
        format!("{series}: {cat} at {value}.")
    }
}

/// `China is higher than US on 2 of 2 measures; the widest gap is AI use at work: 80% against 40%.`
pub fn grouped(
    lang: &str,
    (a, b): (&str, &str),
    (k, n): (&str, &str),
    cat: &str,
    (va, vb): (&str, &str),
) -> String {
    if zh(lang) {
        format!("{n}项中有{k}项{a}高于{b}；差距最大的是{cat}：{va}对{vb}。")
    } else {
        format!(
            "{a} is higher than {b} on {k} of {n} measures; the widest gap is {cat}: {va} against {vb}."
        )
    }
}

/// `Of 800 million in total: Paying 40 million (5%), Not paying 760 million (95%).`
pub fn part(lang: &str, total: &str, parts: &[(String, String, String)]) -> String {
    if zh(lang) {
        let list: Vec<String> = parts
            .iter()
            .map(|(l, v, p)| format!("{l}{v}（{p}）"))
            .collect();
        format!("总计{total}，其中{}。", list.join("，"))
    } else {
        let list: Vec<String> = parts
            .iter()
            .map(|(l, v, p)| format!("{l} {v} ({p})"))
            .collect();
        format!("Of {total} in total: {}.", list.join(", "))
    }
}

/// `Small towns 55%, Elsewhere 45%.` (percentages of a whole, where values are the shares)
pub fn shares(lang: &str, parts: &[(String, String)]) -> String {
    if zh(lang) {
        let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l}{v}")).collect();
        format!("{}。", list.join("，"))
    } else {
        let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l} {v}")).collect();
        format!("{}.", list.join(", "))
    }
}

/// `5 events from 1760 to 2023; the longest span is Steam engine, 1760–1840.`
pub fn timeline(
    lang: &str,
    n: &str,
    first: &str,
    last: &str,
    longest: Option<(&str, &str)>,
) -> String {
    let zh_ = zh(lang);
    // Years take 年 after them; months and days already carry it (2021年9月).
    let nian = |s: &str| {
        if zh_ && s.ends_with(|c: char| c.is_ascii_digit()) {
            format!("{s}年")
        } else {
            s.to_string()
        }
    };
    let (first, last) = (nian(first), nian(last));
    let mut s = if zh_ {
        format!("{n}个事件，从{first}到{last}")
    } else {
        format!("{n} events from {first} to {last}")
    };
    if let Some((label, years)) = longest {
        if zh_ {
            s.push_str(&format!("；持续最久的是{label}，{}", nian(years)));
        } else {
            s.push_str(&format!("; the longest span is {label}, {years}"));
        }
    }
    s.push_str(pick(lang, ".", "。"));
    s
}

/// The first column of a line chart's table.
pub fn when(lang: &str) -> &'static str {
    pick(lang, "When", "时间")
}

/// `Coal: from 40% in 2019 to 25% in 2024`.
pub fn line_series(lang: &str, name: &str, first: (&str, &str), last: (&str, &str)) -> String {
    if zh(lang) {
        format!("{name}：从{}的{}到{}的{}", first.1, first.0, last.1, last.0)
    } else {
        format!(
            "{name}: from {} in {} to {} in {}",
            first.0, first.1, last.0, last.1
        )
    }
}

/// Clauses joined into one sentence: `A; B.` / `A；B。`
pub fn sentences(lang: &str, parts: &[String]) -> String {
    if zh(lang) {
        format!("{}。", parts.join("；"))
    } else {
        format!("{}.", parts.join("; "))
    }
}

/// `Homes: 100 in total, Gas 30, Heat pump 20`.
pub fn stacked_row(lang: &str, cat: &str, total: &str, parts: &[(String, String)]) -> String {
    if zh(lang) {
        let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l}{v}")).collect();
        format!("{cat}共{total}，其中{}", list.join("，"))
    } else {
        let list: Vec<String> = parts.iter().map(|(l, v)| format!("{l} {v}")).collect();
        format!("{cat}: {total} in total, {}", list.join(", "))
    }
}
