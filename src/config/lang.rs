//! [`Lang`]: one of the languages `site.yaml` declares, and nothing else.

use std::fmt;

/// The longest language code a site may declare. BCP 47 tags in use are far shorter (`en`,
/// `zh-Hans`, `sr-Latn-RS`); RFC 5646 (4.4.1) names 35 characters as enough for any tag that
/// is not private use.
pub const MAX_CODE: usize = 35;

/// A language of the site: one of `site.yaml`'s `languages`, by its BCP 47 code.
///
/// Only the configuration makes one (`site.config.lang("zh")`, `site.config.langs()`, a
/// `Language`'s `code`), after checking the code is declared, so a page, address or listing
/// can never be built for a language the site does not have. It is `Copy` and compares by
/// code, so it costs no more to pass around than the `&str` it replaces:
///
/// ```no_run
/// # let site = explainer::Site::load("my-site".as_ref(), &Default::default())?;
/// let zh: Option<explainer::Lang> = site.config.lang("zh"); // None unless site.yaml has it
/// # Ok::<(), explainer::Error>(())
/// ```
///
/// There is no other way to make one:
///
/// ```compile_fail,E0277
/// let fr: explainer::Lang = "fr".into();
/// ```
///
/// ```compile_fail,E0451
/// let fr = explainer::Lang { len: 2, code: [b'f'; 35] };
/// ```
///
/// Number and date formatting take the code itself ([`Lang::as_str`]): they format in any
/// locale, declared or not.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lang {
    len: u8,
    code: [u8; MAX_CODE],
}

impl Lang {
    /// The language with this code, if it is a well-formed code: ASCII letters, digits and
    /// hyphens, at most [`MAX_CODE`] long. Only the configuration calls this, for the codes it
    /// declares.
    pub(in crate::config) fn declare(code: &str) -> Option<Lang> {
        let well_formed = !code.is_empty()
            && code.len() <= MAX_CODE
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !well_formed {
            return None;
        }
        let mut bytes = [0; MAX_CODE];
        bytes[..code.len()].copy_from_slice(code.as_bytes());
        Some(Lang {
            len: code.len() as u8,
            code: bytes,
        })
    }

    /// A language for unit tests that need one without a `site.yaml`.
    #[cfg(test)]
    pub(crate) fn for_test(code: &str) -> Lang {
        Lang::declare(code).expect("a well-formed test language code")
    }

    /// The BCP 47 code: `en`, `zh-Hans`.
    pub fn as_str(&self) -> &str {
        let bytes = self.code.get(..usize::from(self.len)).unwrap_or_default();
        // Only ASCII was copied in (`declare`), so this never falls back.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

/// Alphabetical by code (`en` < `zh` < `zh-Hans`), as people expect a list of languages.
impl Ord for Lang {
    fn cmp(&self, other: &Lang) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Lang {
    fn partial_cmp(&self, other: &Lang) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

impl AsRef<str> for Lang {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Lang {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Lang {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_codes() {
        let zh = Lang::declare("zh-Hans").unwrap();
        assert_eq!(zh.as_str(), "zh-Hans");
        assert_eq!(zh.to_string(), "zh-Hans");
        assert_eq!(zh, Lang::declare("zh-Hans").unwrap());
        assert_ne!(zh, Lang::declare("zh").unwrap());
        assert!(zh == "zh-Hans");
        let (en, zh_) = (Lang::for_test("en"), Lang::for_test("zh"));
        let mut sorted = [zh, Lang::for_test("fil"), zh_, en];
        sorted.sort();
        assert_eq!(
            sorted.map(|l| l.to_string()),
            ["en", "fil", "zh", "zh-Hans"]
        );
        for bad in ["", "e n", "中文", "en/zh", &"x".repeat(MAX_CODE + 1)] {
            assert!(Lang::declare(bad).is_none(), "{bad:?}");
        }
        assert!(Lang::declare(&"x".repeat(MAX_CODE)).is_some());
    }
}
