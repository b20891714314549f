//! Figures and the sources they come from: `content/data/figures.yaml` and
//! `content/data/sources.yaml`. Every number a page or chart prints can come from here, so it is
//! typed once, carries its source, and is formatted per language at the point of use.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Kind, Unknown};
use crate::numfmt::{Notation, NumFormat, Qualifier, Style};
use crate::text::Text;
use crate::yaml::{self, LazySpans};

/// A source as the article names it: a report, an outlet, a book, a survey, a statement.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// What kind of source: report, news, book, survey, statement, company, article …
    #[serde(default)]
    pub kind: Option<String>,
    /// Its name, as the article gives it.
    pub title: Text,
    #[serde(default)]
    pub author: Option<Text>,
    #[serde(default)]
    pub publisher: Option<Text>,
    /// The date as the article gives it ("2024-08", "January 5"), free-form.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

/// A figure's value: one number or a range such as 20–100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FigureValue {
    One(f64),
    Range([f64; 2]),
}

/// By hand (not `untagged`), so a wrong shape is an error at `value` in the author's words.
impl<'de> Deserialize<'de> for FigureValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FigureValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or a range [low, high]")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FigureValue, E> {
                Ok(FigureValue::One(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FigureValue, E> {
                Ok(FigureValue::One(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FigureValue, E> {
                Ok(FigureValue::One(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FigureValue, A::Error> {
                let range = "a range is two numbers [low, high]";
                let lo: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom(range))?;
                let hi: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom(range))?;
                if seq.next_element::<f64>()?.is_some() {
                    return Err(de::Error::custom(range));
                }
                Ok(FigureValue::Range([lo, hi]))
            }
        }
        d.deserialize_any(V)
    }
}

impl FigureValue {
    /// The number a chart plots: the value, or the top of a range.
    pub fn number(&self) -> f64 {
        match self {
            FigureValue::One(v) => *v,
            FigureValue::Range([_, hi]) => *hi,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub value: FigureValue,
    #[serde(default)]
    pub format: NumFormat,
    /// The ISO 4217 code of `format: currency` (`EUR`).
    #[serde(default)]
    pub currency: Option<String>,
    /// Exactly this many decimals in every language (`0.40` with 2); without it at most two.
    #[serde(default)]
    pub decimals: Option<u8>,
    /// How exact the number is, as the article says it: `more_than` 30 million.
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    /// What the number counts, after it: `kWh`, or per language `{en: kWh, zh: 千瓦时}`.
    #[serde(default)]
    pub unit: Option<Text>,
    /// What the number measures, in every language of the site.
    pub label: Text,
    /// The sentence of the original article the figure comes from, verbatim.
    pub quote: String,
    /// The id of the source the article attributes the figure to.
    pub source: String,
    /// When the figure holds, as the article says ("2026-01").
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

impl Figure {
    /// The value as prose prints it in `lang`, qualifier and unit included: `$1,200`, `8亿`,
    /// `$20–100`, `more than 30 million`, `超过3000万`.
    pub fn display(&self, lang: &str) -> String {
        self.display_styled(lang, Style::Long)
    }

    /// `display` in a given style (charts label ticks in the short one).
    pub fn display_styled(&self, lang: &str, style: Style) -> String {
        let notation = self.notation();
        let bare = match self.value {
            FigureValue::One(v) => notation.format(v, lang, style),
            FigureValue::Range([lo, hi]) => notation.range(lo, hi, lang, style),
        };
        match self.qualifier {
            Some(q) => q.apply(&bare, lang),
            None => bare,
        }
    }

    /// How the figure's numbers are written: format, currency, decimals and unit.
    pub fn notation(&self) -> Notation {
        Notation {
            format: self.format,
            currency: self.currency.clone(),
            decimals: self.decimals,
            unit: self.unit.clone(),
        }
    }

    /// The machine-readable value for `<data value>` and CSV, without qualifier or unit:
    /// `800000000`, `20-100`.
    pub fn machine(&self) -> String {
        match self.value {
            FigureValue::One(v) => crate::numfmt::raw(v),
            FigureValue::Range([lo, hi]) => {
                format!("{}-{}", crate::numfmt::raw(lo), crate::numfmt::raw(hi))
            }
        }
    }
}

/// All figures and sources, in file order, validated against each other.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every figure of `figures.yaml`, in file order.
    pub figures: Vec<Figure>,
    /// Every source of `sources.yaml`, in file order.
    pub sources: Vec<Source>,
    figure_index: HashMap<String, usize>,
    source_index: HashMap<String, usize>,
    /// False for the stand-in used after figures.yaml or sources.yaml failed to load: then an
    /// unknown id is a knock-on effect of that failure, not an error of its own.
    complete: bool,
}

/// One data file's text and the path its errors name.
pub struct FileText<'a> {
    /// The file, as errors name it.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
}

impl Facts {
    /// The figure with this id.
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figure_index.get(id).map(|&i| &self.figures[i])
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_index.get(id).map(|&i| &self.sources[i])
    }

    /// Whether both files loaded without error (an unknown id is then the author's slip).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// An error for an unknown figure id, with the closest known one as a hint.
    pub fn unknown_figure_hint(&self, id: &str) -> String {
        self.find_figure(id)
            .err()
            .map_or_else(String::new, |u| u.hint().to_string())
    }

    /// What to say about an unknown source id: a close match, or where sources are listed.
    pub fn unknown_source_hint(&self, id: &str) -> String {
        self.find_source(id)
            .err()
            .map_or_else(String::new, |u| u.hint().to_string())
    }

    /// The figure with this id, or why there is none.
    pub(crate) fn find_figure(&self, id: &str) -> Result<&Figure, Unknown> {
        self.figure(id).ok_or_else(|| {
            Unknown::new(
                "figure",
                id,
                self.figures.iter().map(|f| f.id.as_str()),
                "content/data/figures.yaml",
            )
        })
    }

    /// The source with this id, or why there is none.
    pub(crate) fn find_source(&self, id: &str) -> Result<&Source, Unknown> {
        self.source(id).ok_or_else(|| {
            Unknown::new(
                "source",
                id,
                self.sources.iter().map(|s| s.id.as_str()),
                "content/data/sources.yaml",
            )
        })
    }

    /// Parse and cross-check both files (either may be absent). Reports every problem found.
    pub fn load(
        figures: Option<FileText>,
        sources: Option<FileText>,
        langs: &[String],
    ) -> Result<Facts, Error> {
        let mut facts = Facts::default();
        let mut errors = Vec::new();
        if let Some(f) = &sources {
            let list: Vec<Source> = yaml::parse(f.text, f.path, 1, Kind::Data)?;
            let spans = LazySpans::new(f.text, 1);
            for (i, s) in list.into_iter().enumerate() {
                let at = |field: &str| spans.locate(f.path, &format!("[{i}].{field}"));
                if facts.source_index.contains_key(&s.id) {
                    errors.push(Error::input(
                        Kind::Data,
                        at("id"),
                        format!("duplicate source id `{}`", s.id),
                    ));
                }
                check_text(&s.title, langs, || at("title"), "title", &mut errors);
                if let Some(url) = &s.url
                    && !safe_url(url)
                {
                    let shown: String = url.chars().take(60).collect();
                    errors.push(
                        Error::input(
                            Kind::Data,
                            at("url"),
                            format!("`url: {shown}` is neither an http(s) URL nor a relative one"),
                        )
                        .with_help("a source links to its page on the web: `https://…`"),
                    );
                }
                facts.source_index.insert(s.id.clone(), facts.sources.len());
                facts.sources.push(s);
            }
        }
        if let Some(f) = &figures {
            let list: Vec<Figure> = yaml::parse(f.text, f.path, 1, Kind::Data)?;
            let spans = LazySpans::new(f.text, 1);
            for (i, fig) in list.into_iter().enumerate() {
                let at = |field: &str| spans.locate(f.path, &format!("[{i}].{field}"));
                if facts.figure_index.contains_key(&fig.id) {
                    errors.push(Error::input(
                        Kind::Data,
                        at("id"),
                        format!("duplicate figure id `{}`", fig.id),
                    ));
                }
                if !valid_id(&fig.id) {
                    errors.push(
                        Error::input(
                            Kind::Data,
                            at("id"),
                            format!("`{}` is not a usable id", fig.id),
                        )
                        .with_help("use lowercase letters, digits and hyphens"),
                    );
                }
                let bad_number = match fig.value {
                    FigureValue::One(v) => !v.is_finite(),
                    FigureValue::Range([lo, hi]) => !lo.is_finite() || !hi.is_finite() || lo > hi,
                };
                if bad_number {
                    errors.push(Error::input(
                        Kind::Data,
                        at("value"),
                        "value must be a finite number or a range [low, high] with low ≤ high",
                    ));
                }
                if facts.source(&fig.source).is_none() {
                    errors.push(
                        Error::input(
                            Kind::Data,
                            at("source"),
                            format!("unknown source `{}`", fig.source),
                        )
                        .with_help(facts.unknown_source_hint(&fig.source)),
                    );
                }
                if fig.quote.trim().is_empty() {
                    errors.push(Error::input(
                        Kind::Data,
                        at("quote"),
                        "quote is empty: give the sentence of the article the figure comes from",
                    ));
                }
                check_text(&fig.label, langs, || at("label"), "label", &mut errors);
                if let Some(unit) = &fig.unit {
                    check_text(unit, langs, || at("unit"), "unit", &mut errors);
                }
                if let Some(note) = &fig.note {
                    check_text(note, langs, || at("note"), "note", &mut errors);
                }
                check_notation(&fig.notation(), &at, Kind::Data, &mut errors);
                facts
                    .figure_index
                    .insert(fig.id.clone(), facts.figures.len());
                facts.figures.push(fig);
            }
        }
        Error::collect(errors)?;
        facts.complete = true;
        Ok(facts)
    }
}

/// `currency` goes with `format: currency` and is an ISO 4217 code; `decimals` stays readable.
pub fn check_notation(
    n: &Notation,
    at: &dyn Fn(&str) -> crate::error::Location,
    kind: Kind,
    errors: &mut Vec<Error>,
) {
    match (&n.currency, n.format) {
        (None, NumFormat::Currency) => errors.push(
            Error::input(
                kind,
                at("format"),
                "`format: currency` needs `currency`: the ISO 4217 code of the money",
            )
            .with_help("add `currency: EUR` (or USD, GBP, JPY, CNY, …)"),
        ),
        (Some(code), NumFormat::Currency) => {
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                let upper = code.to_ascii_uppercase();
                let help = if upper.len() == 3 && upper.bytes().all(|b| b.is_ascii_uppercase()) {
                    format!("did you mean `{upper}`?")
                } else {
                    "use the three capital letters of ISO 4217: EUR, USD, GBP, JPY, CNY, …".into()
                };
                errors.push(
                    Error::input(
                        kind,
                        at("currency"),
                        format!("`{code}` is not an ISO 4217 currency code"),
                    )
                    .with_help(help),
                );
            }
        }
        (Some(_), other) => errors.push(
            Error::input(
                kind,
                at("currency"),
                format!(
                    "`currency` only applies to `format: currency`; this figure has `format: {}`",
                    format_name(other)
                ),
            )
            .with_help("write `format: currency`, or remove `currency`"),
        ),
        (None, _) => {}
    }
    if let Some(d) = n.decimals
        && d > 9
    {
        errors.push(
            Error::input(
                kind,
                at("decimals"),
                format!("`decimals: {d}` is more than anyone can read; use 0 to 9"),
            )
            .with_help("decimals is how many digits follow the decimal point"),
        );
    }
}

fn format_name(f: NumFormat) -> &'static str {
    match f {
        NumFormat::Number => "number",
        NumFormat::Usd => "usd",
        NumFormat::Cny => "cny",
        NumFormat::Currency => "currency",
        NumFormat::Percent => "percent",
        NumFormat::Year => "year",
    }
}

/// Whether `url` may become a link's `href`: `http:` or `https:`, or relative (no scheme at
/// all). `javascript:`, `data:`, `vbscript:` and every other scheme are refused, whatever their
/// case or the spaces and control characters a browser would skip before them.
pub fn safe_url(url: &str) -> bool {
    let trimmed = url.trim_start_matches(|c: char| c.is_ascii_whitespace() || c.is_control());
    if trimmed.len() != url.len() || url.chars().any(|c| c.is_control()) {
        return false;
    }
    match scheme(url) {
        Some(s) => s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"),
        None => true,
    }
}

/// The scheme of `url` (`https` in `https://…`), as a browser reads it: letters, digits, `+`,
/// `-` and `.` before the first `:`, starting with a letter, with tabs and newlines ignored.
pub fn scheme(url: &str) -> Option<String> {
    // Only what comes before the first `:` can be a scheme (the characters browsers drop are no
    // colons): no copy of the whole URL, which the link check asks about for every link.
    let before = &url[..memchr::memchr(b':', url.as_bytes())?];
    let before: String = before
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let mut chars = before.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| before.to_string())
}

pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A per-language text must cover every language of the site, and only those.
pub fn check_text(
    text: &Text,
    langs: &[String],
    at: impl Fn() -> crate::error::Location,
    field: &str,
    errors: &mut Vec<Error>,
) {
    if let Some(missing) = text.missing(langs).first() {
        errors.push(
            Error::input(
                Kind::Data,
                at(),
                format!("`{field}` has no text for language `{missing}`"),
            )
            .with_help(format!("add `{missing}: …` to `{field}`")),
        );
    }
    if let Some(unknown) = text.unknown(langs).first() {
        errors.push(Error::input(
            Kind::Data,
            at(),
            format!("`{field}` has text for `{unknown}`, which is not a language of this site"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        vec!["en".into(), "zh".into()]
    }

    const SOURCES: &str = "- id: nyt\n  title: {en: The New York Times, zh: 《纽约时报》}\n";

    #[test]
    fn loads_and_formats() {
        let figs = "- id: tempus-per-case\n  value: 1200\n  format: usd\n  label: {en: per case, zh: 每例}\n  quote: 每个病例收取1200美元\n  source: nyt\n- id: claude-price\n  value: [20, 100]\n  format: usd\n  label: {en: a month, zh: 每月}\n  quote: 每月订阅收费20-100美元不等\n  source: nyt\n";
        let facts = Facts::load(
            Some(FileText {
                path: Path::new("figures.yaml"),
                text: figs,
            }),
            Some(FileText {
                path: Path::new("sources.yaml"),
                text: SOURCES,
            }),
            &langs(),
        )
        .unwrap();
        let f = facts.figure("tempus-per-case").unwrap();
        assert_eq!(f.display("en"), "$1,200");
        assert_eq!(f.display("zh"), "1200美元");
        assert_eq!(
            facts.figure("claude-price").unwrap().display("en"),
            "$20–100"
        );
        assert_eq!(facts.figure("claude-price").unwrap().machine(), "20-100");
    }

    #[test]
    fn reports_every_problem_with_position() {
        let figs = "- id: a\n  value: 1\n  label: {en: x}\n  quote: q\n  source: nty\n- id: a\n  value: 2\n  label: {en: x, zh: y}\n  quote: q\n  source: nyt\n";
        let err = Facts::load(
            Some(FileText {
                path: Path::new("figures.yaml"),
                text: figs,
            }),
            Some(FileText {
                path: Path::new("sources.yaml"),
                text: SOURCES,
            }),
            &langs(),
        )
        .unwrap_err();
        let all: Vec<String> = err.flatten().iter().map(|e| e.to_string()).collect();
        assert!(
            all.iter()
                .any(|m| m.starts_with("figures.yaml:3:10:")
                    && m.contains("no text for language `zh`")),
            "{all:?}"
        );
        assert!(
            all.iter()
                .any(|m| m.starts_with("figures.yaml:5:11:") && m.contains("did you mean `nyt`")),
            "{all:?}"
        );
        assert!(
            all.iter().any(
                |m| m.starts_with("figures.yaml:6:7:") && m.contains("duplicate figure id `a`")
            ),
            "{all:?}"
        );
    }

    fn load(figs: &str) -> Result<Facts, Error> {
        Facts::load(
            Some(FileText {
                path: Path::new("figures.yaml"),
                text: figs,
            }),
            Some(FileText {
                path: Path::new("sources.yaml"),
                text: "- id: nyt\n  title: The New York Times\n",
            }),
            &["en".into(), "zh".into(), "de".into()],
        )
    }

    fn messages(figs: &str) -> Vec<String> {
        load(figs)
            .unwrap_err()
            .flatten()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn new_keys_format_in_every_language() {
        let figs = "\
- id: price
  value: 0.40
  format: usd
  decimals: 2
  unit: {en: /kWh, zh: /千瓦时, de: /kWh}
  label: x
  quote: q
  source: nyt
- id: users
  value: 30000000
  qualifier: more_than
  label: x
  quote: q
  source: nyt
  note: {en: rounded, zh: 四舍五入, de: gerundet}
- id: tariff
  value: [20, 100]
  format: currency
  currency: EUR
  qualifier: up_to
  label: x
  quote: q
  source: nyt
";
        let facts = load(figs).unwrap();
        let price = facts.figure("price").unwrap();
        assert_eq!(price.display("en"), "$0.40/kWh");
        assert_eq!(price.display("zh"), "0.40美元/千瓦时");
        assert_eq!(price.display("de"), "0,40\u{a0}$/kWh");
        assert_eq!(price.machine(), "0.4");
        let users = facts.figure("users").unwrap();
        assert_eq!(users.display("en"), "more than 30 million");
        assert_eq!(users.display("zh"), "超过3000万");
        assert_eq!(users.display("de"), "mehr als 30 Millionen");
        assert_eq!(users.machine(), "30000000");
        let tariff = facts.figure("tariff").unwrap();
        assert_eq!(tariff.display("en"), "up to €20–100");
        assert_eq!(tariff.display("zh"), "多达20～100欧元");
        assert_eq!(tariff.display("de"), "bis zu 20–100\u{a0}€");
    }

    #[test]
    fn new_keys_are_checked_at_their_position() {
        let base = "- id: a\n  value: 1\n  label: x\n  quote: q\n  source: nyt\n";
        let cases = [
            (
                "  format: currency\n",
                "figures.yaml:6:11:",
                "needs `currency`",
            ),
            (
                "  format: currency\n  currency: eur\n",
                "figures.yaml:7:13:",
                "did you mean `EUR`",
            ),
            (
                "  currency: EUR\n",
                "figures.yaml:6:13:",
                "only applies to `format: currency`",
            ),
            ("  decimals: 12\n", "figures.yaml:6:13:", "use 0 to 9"),
            (
                "  unit: {en: kWh}\n",
                "figures.yaml:6:9:",
                "`unit` has no text for language `zh`",
            ),
            (
                "  note: {en: n, zh: n, fr: n}\n",
                "figures.yaml:6:9:",
                "`note` has no text for language `de`",
            ),
        ];
        for (extra, at, says) in cases {
            let all = messages(&format!("{base}{extra}"));
            assert!(
                all.iter().any(|m| m.starts_with(at) && m.contains(says)),
                "{extra}: {all:?}"
            );
        }
    }

    #[test]
    fn only_web_and_relative_urls_are_sources() {
        for ok in [
            "https://example.org/a",
            "HTTP://x",
            "/local.pdf",
            "docs/a.pdf",
            "#ref",
            "?q=1",
        ] {
            assert!(safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:msgbox",
            "\u{1}javascript:x",
            "file:///etc/passwd",
        ] {
            assert!(!safe_url(bad), "{bad}");
        }
    }
}
