//! `site.yaml`: the site's title, languages and URL settings.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Kind, Location};
use crate::text::Text;
use crate::yaml::{self, Spans};

mod lang;
pub use lang::Lang;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Text,
    #[serde(default)]
    description: Text,
    #[serde(default = "default_lang")]
    default_language: String,
    #[serde(default)]
    languages: Vec<RawLanguage>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    pretty_urls: bool,
    #[serde(default)]
    markdown: MarkdownOptions,
    #[serde(default)]
    links: LinkOptions,
    #[serde(default)]
    feed: bool,
    #[serde(default)]
    extra: serde_yaml::Value,
}

/// `markdown:` in `site.yaml`: how pages' markdown is read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownOptions {
    /// Straight quotes, `--`, `---` and `...` become typographic ones (`’ “ ” – — …`). On by
    /// default, as in mdBook: explainers are prose, and prose reads better with real quotes.
    /// `false` keeps the characters as typed (CommonMark's behaviour, and Zola's default).
    pub smart_punctuation: bool,
    /// `$…$` and `$$…$$` as LaTeX math, rendered to MathML (off by default: dollar signs are
    /// common in prices).
    pub math: bool,
    /// Fenced code in a known language is highlighted at build time (on by default; `false`
    /// keeps plain `<pre><code>`, as CommonMark writes it).
    pub highlight: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            smart_punctuation: true,
            math: false,
            highlight: true,
        }
    }
}

/// `links:` in `site.yaml`: the link policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkOptions {
    /// Report links and anchors that lead nowhere as warnings instead of failing the build
    /// (the same as `--allow-broken-links`).
    pub allow_broken: bool,
}

fn default_lang() -> String {
    "en".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    code: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
}

/// One of `site.yaml`'s `languages`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Language {
    /// BCP 47 code, used for `<html lang>`, `hreflang` and `content/<code>/`.
    pub code: Lang,
    /// The language's name in itself ("English", "中文"), for switchers.
    pub name: String,
    /// The URL folder of its pages: "" for the root, "zh" for `/zh/…`.
    pub prefix: String,
}

/// A validated `site.yaml`. The default language is always `languages[0]`.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: Text,
    pub description: Text,
    pub languages: Vec<Language>,
    /// Absolute site URL ending in `/`, when given; enables canonical URLs and the sitemap.
    pub base_url: Option<String>,
    pub pretty_urls: bool,
    pub markdown: MarkdownOptions,
    pub links: LinkOptions,
    /// Write an Atom feed per language (`atom.xml` in each language's folder).
    pub feed: bool,
    pub extra: serde_yaml::Value,
}

impl Config {
    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    /// The default language: the one at the site's root, and the fallback of texts.
    pub fn default_lang(&self) -> Lang {
        self.languages[0].code
    }

    /// The language with this code, if the site declares it.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The site's language with this code: the one way to turn a code from content, a template
    /// or a link into a [`Lang`].
    pub fn lang(&self, code: &str) -> Option<Lang> {
        self.language(code).map(|l| l.code)
    }

    /// The URL folder of `lang`'s pages ("" for the root).
    pub fn prefix(&self, lang: Lang) -> &str {
        self.languages
            .iter()
            .find(|l| l.code == lang)
            .map_or("", |l| l.prefix.as_str())
    }

    /// Every language of the site, the default first.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.languages.iter().map(|l| l.code)
    }

    pub fn codes(&self) -> Vec<String> {
        self.languages.iter().map(|l| l.code.to_string()).collect()
    }

    /// Parse and validate; `path` is what errors will name.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let raw: RawConfig = yaml::parse(text, path, 1, Kind::Config)?;
        let spans = Spans::index(text, 1);
        let mut languages: Vec<Language> = Vec::new();
        let mut raw_langs = raw.languages.clone();
        if raw_langs.is_empty() {
            raw_langs.push(RawLanguage {
                code: raw.default_language.clone(),
                name: None,
                prefix: None,
            });
        }
        for (i, l) in raw_langs.iter().enumerate() {
            let here = spans.locate(path, &format!("languages[{i}].code"));
            let Some(code) = Lang::declare(&l.code) else {
                let shown: String = l.code.chars().take(lang::MAX_CODE + 5).collect();
                let why = if l.code.len() > lang::MAX_CODE {
                    format!(
                        "`{shown}…` is not a language code: it is longer than {} characters",
                        lang::MAX_CODE
                    )
                } else {
                    format!("`{shown}` is not a language code")
                };
                return Err(Error::input(Kind::Config, here, why)
                    .with_help("use a BCP 47 code such as `en` or `zh-Hans`"));
            };
            if languages.iter().any(|o| o.code == code) {
                return Err(Error::input(
                    Kind::Config,
                    here,
                    format!("language `{}` is listed twice", l.code),
                ));
            }
            let is_default = l.code == raw.default_language;
            let prefix = l.prefix.clone().unwrap_or_else(|| {
                if is_default {
                    String::new()
                } else {
                    l.code.clone()
                }
            });
            let prefix = prefix.trim_matches('/').to_string();
            if prefix.contains(['\\', '?', '#']) || prefix.split('/').any(|s| s == ".." || s == ".")
            {
                return Err(Error::input(
                    Kind::Config,
                    spans.locate(path, &format!("languages[{i}].prefix")),
                    format!("`{prefix}` is not a usable URL folder"),
                ));
            }
            let lang = Language {
                code,
                name: l.name.clone().unwrap_or_else(|| l.code.clone()),
                prefix,
            };
            if is_default {
                languages.insert(0, lang);
            } else {
                languages.push(lang);
            }
        }
        if languages[0].code.as_str() != raw.default_language {
            return Err(Error::input(
                Kind::Config,
                spans.locate(path, "default_language"),
                format!(
                    "default language `{}` is not in `languages`",
                    raw.default_language
                ),
            ));
        }
        for (i, a) in languages.iter().enumerate() {
            for b in &languages[i + 1..] {
                if a.prefix == b.prefix {
                    return Err(Error::input(
                        Kind::Config,
                        spans.locate(path, "languages"),
                        format!(
                            "languages `{}` and `{}` share the URL prefix `{}`",
                            a.code, b.code, a.prefix
                        ),
                    ));
                }
            }
        }
        let codes: Vec<String> = languages.iter().map(|l| l.code.to_string()).collect();
        for (field, text) in [("title", &raw.title), ("description", &raw.description)] {
            if let Some(bad) = text.unknown(&codes).first() {
                return Err(Error::input(
                    Kind::Config,
                    spans.locate(path, &format!("{field}.{bad}")),
                    format!("`{field}` has text for `{bad}`, which is not a language of this site"),
                ));
            }
        }
        let base_url = match raw.base_url {
            Some(u) if !u.trim().is_empty() => {
                let u = u.trim().to_string();
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    return Err(Error::input(
                        Kind::Config,
                        spans.locate(path, "base_url"),
                        format!("`base_url` must be an absolute http(s) URL, got `{u}`"),
                    ));
                }
                Some(if u.ends_with('/') { u } else { format!("{u}/") })
            }
            _ => None,
        };
        Ok(Config {
            title: raw.title,
            description: raw.description,
            languages,
            base_url,
            pretty_urls: raw.pretty_urls,
            markdown: raw.markdown,
            links: raw.links,
            feed: raw.feed,
            extra: raw.extra,
        })
    }

    pub fn location(path: &Path) -> Location {
        Location::file(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_default_first_with_prefixes() {
        let c = Config::parse(
            "title: {en: T, zh: 标题}\ndefault_language: en\nlanguages:\n  - {code: zh, name: 中文}\n  - {code: en, name: English}\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.default_language().code, "en");
        assert_eq!(c.default_language().prefix, "");
        assert_eq!(c.language("zh").unwrap().prefix, "zh");
    }

    #[test]
    fn single_language_when_none_listed() {
        let c = Config::parse(
            "title: T\nbase_url: https://x.org/sub\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.languages.len(), 1);
        assert_eq!(c.base_url.as_deref(), Some("https://x.org/sub/"));
    }

    #[test]
    fn errors_point_at_the_field() {
        let e = Config::parse(
            "title: T\ndefault_language: fr\nlanguages:\n  - code: en\n",
            Path::new("site.yaml"),
        )
        .unwrap_err();
        assert_eq!(e.location().unwrap().1.line(), Some(2), "{e}");
        let e =
            Config::parse("title: T\nbase_url: example.org\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().starts_with("site.yaml:2:11:"), "{e}");
        let e = Config::parse("titel: T\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("did you mean `title`?"), "{e}");
    }

    #[test]
    fn markdown_and_link_options() {
        let c = Config::parse("title: T\n", Path::new("site.yaml")).unwrap();
        assert!(c.markdown.smart_punctuation);
        assert!(!c.links.allow_broken);
        let c = Config::parse(
            "title: T\nmarkdown: {smart_punctuation: false}\nlinks:\n  allow_broken: true\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert!(!c.markdown.smart_punctuation);
        assert!(c.links.allow_broken);
        let e = Config::parse(
            "title: T\nmarkdown:\n  smart_punctuaton: false\n",
            Path::new("site.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("site.yaml:3:3:"), "{e}");
        assert!(e.contains("did you mean `smart_punctuation`?"), "{e}");
        let e = Config::parse(
            "title: T\nlinks: {allow_broken_links: true}\n",
            Path::new("site.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("did you mean `allow_broken`?"), "{e}");
    }
}
