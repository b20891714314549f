//! Text that may differ per language: a plain string, or a map `{en: …, zh: …}`.

use std::collections::BTreeMap;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Deserialised by hand (not `untagged`) so a wrong shape is reported at the field, in words an
/// author knows: "expected text or a map of languages ({en: …, zh: …})".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    PerLanguage(BTreeMap<String, String>),
}

/// `1 page`, `3 pages`: English plurals of the generator's own messages.
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", plural(n))
}

/// `s` unless `n` is 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

const EXPECTED: &str = "text or a map of languages ({en: …, zh: …})";

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(lang) = map.next_key::<String>()? {
                    let text: Text = map.next_value()?;
                    match text {
                        Text::Plain(s) => {
                            out.insert(lang, s);
                        }
                        Text::PerLanguage(_) => {
                            return Err(de::Error::custom(format!(
                                "the text for `{lang}` is a map; expected text"
                            )));
                        }
                    }
                }
                Ok(Text::PerLanguage(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

impl Text {
    /// The text in `lang`, if it has it (a plain string serves every language).
    pub fn get(&self, lang: &str) -> Option<&str> {
        match self {
            Text::Plain(s) => Some(s),
            Text::PerLanguage(m) => m.get(lang).map(String::as_str),
        }
    }

    /// The text in `lang`, or empty when missing. Call `missing` first where absence is an error.
    pub fn of(&self, lang: &str) -> &str {
        self.get(lang).unwrap_or("")
    }

    /// The languages of `langs` this text lacks.
    pub fn missing<'a>(&self, langs: &'a [String]) -> Vec<&'a str> {
        match self {
            Text::Plain(_) => Vec::new(),
            Text::PerLanguage(m) => langs
                .iter()
                .filter(|l| !m.contains_key(l.as_str()))
                .map(String::as_str)
                .collect(),
        }
    }

    /// Language codes this text names that are not in `langs` (likely typos).
    pub fn unknown<'a>(&'a self, langs: &[String]) -> Vec<&'a str> {
        match self {
            Text::Plain(_) => Vec::new(),
            Text::PerLanguage(m) => m
                .keys()
                .filter(|k| !langs.iter().any(|l| l == *k))
                .map(String::as_str)
                .collect(),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_per_language() {
        let t: Text = serde_yaml::from_str("hello").unwrap();
        assert_eq!(t.get("zh"), Some("hello"));
        let t: Text = serde_yaml::from_str("{en: hi, zh: 你好}").unwrap();
        assert_eq!(t.get("zh"), Some("你好"));
        assert_eq!(t.get("fr"), None);
        let langs = vec!["en".to_string(), "zh".to_string(), "fr".to_string()];
        assert_eq!(t.missing(&langs), vec!["fr"]);
        assert!(t.unknown(&langs[..2]).is_empty());
    }
}
