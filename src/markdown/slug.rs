//! Heading ids as GitHub gives them (github-slugger): lowercase; drop symbols, punctuation other
//! than `-` and `_`, "other" numbers (superscripts, circled digits), separators other than the
//! plain space, controls, format and private-use characters — keeping letters, combining marks,
//! digits and connector punctuation; each space becomes `-`; repeats get `-1`, `-2`, ….
//!
//! mdBook agrees for Latin text. Where they differ GitHub wins: mdBook drops combining marks
//! (`é` written as `e` + U+0301 keeps its accent here) and keeps superscripts (`x²` is `x` here).
//! An id that comes out empty (a heading of only punctuation) is `section`, since `id=""` is not
//! valid HTML (GitHub's would be empty).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use regex::Regex;

/// The characters github-slugger removes: Unicode general categories No, P (except `-` and the
/// connector punctuation Pc, so `_` stays), S, Cc, Cf, Co, Cn and Z (except the space), minus
/// anything alphabetic (some symbols are letters too).
static REMOVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[[\p{No}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Pd}\p{S}\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}]--[\p{Alphabetic}\- ]]",
    )
    .expect("a valid pattern")
});

/// The id GitHub gives a heading with this text (before making it unique); may be empty.
pub fn slugify(text: &str) -> String {
    if text.is_ascii() {
        return slugify_ascii(text);
    }
    let lower = text.to_lowercase();
    REMOVED.replace_all(&lower, "").replace(' ', "-")
}

/// [`slugify`] for ASCII text, without the regex (a heading's id cost 1,400 instructions): of
/// ASCII, only letters, digits, `-`, `_` and the space (as `-`) are kept; every other
/// punctuation mark or symbol, and every control, is in a removed category.
fn slugify_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => out.push(char::from(b)),
            b'A'..=b'Z' => out.push(char::from(b.to_ascii_lowercase())),
            b' ' => out.push('-'),
            _ => {}
        }
    }
    out
}

/// The id of a heading: its slug, or `section` when that is empty.
pub fn heading_id(text: &str) -> String {
    match slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    }
}

/// The ids used on one page, shared by its headings, footnotes and shortcode bodies.
#[derive(Debug, Default, Clone)]
pub struct Ids {
    /// Each id given, with how many times it was asked for (github-slugger's `occurrences`).
    seen: FxHashMap<String, usize>,
}

impl Ids {
    /// `wanted`, or `wanted-1`, `wanted-2` … if taken, exactly as github-slugger counts.
    pub fn unique(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        while self.seen.contains_key(&id) {
            let n = self.seen.get_mut(wanted).expect("the wanted id is taken");
            *n += 1;
            id = format!("{wanted}-{n}");
        }
        self.seen.insert(id.clone(), 0);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_slugs_are_the_regex_slugs() {
        let by_regex = |t: &str| REMOVED.replace_all(&t.to_lowercase(), "").replace(' ', "-");
        // Every ASCII character alone, then every string of up to three awkward ones.
        for b in 0..=127u8 {
            let t = char::from(b).to_string();
            assert_eq!(slugify(&t), by_regex(&t), "{b:#04x}");
        }
        let awkward = [
            "A", "z", "0", "-", "_", " ", "\t", "'", ".", "$", "+", "^", "`", "|", "~", "\x7f",
        ];
        for t in crate::testing::joins(&awkward, 3, "") {
            assert_eq!(slugify(&t), by_regex(&t), "{t:?}");
        }
    }

    /// github-slugger's own fixtures (tests/slugger/fixtures.json), in order through one slugger.
    #[test]
    fn github_slugger_fixtures() {
        #[derive(serde::Deserialize)]
        struct Fixture {
            name: String,
            input: String,
            expected: String,
        }
        let fixtures: Vec<Fixture> =
            serde_json::from_str(include_str!("../../tests/slugger/fixtures.json")).unwrap();
        assert!(fixtures.len() > 70);
        let mut ids = Ids::default();
        let mut failed = Vec::new();
        for f in &fixtures {
            // The one exception: github-slugger 2.0.0 drops characters unassigned in Unicode 13;
            // the regex crate's tables are newer, and characters assigned since (𐗋, Todhri) are
            // letters, kept as GitHub keeps every letter.
            if f.name == "Unassigned" {
                ids.unique(&f.expected);
                continue;
            }
            let got = ids.unique(&slugify(&f.input));
            if got != f.expected {
                failed.push(format!(
                    "{}: {:?} → {got:?}, want {:?}",
                    f.name, f.input, f.expected
                ));
            }
        }
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }

    #[test]
    fn cjk_marks_and_superscripts() {
        assert_eq!(
            slugify("精英化、收费制 vs 大众化"),
            "精英化收费制-vs-大众化"
        );
        assert_eq!(slugify("Cafe\u{301} x² ①"), "cafe\u{301}-x-");
        assert_eq!(slugify(" a "), "-a-");
        assert_eq!(heading_id("\u{E000}!?"), "section");
        assert_eq!(slugify("`code` & More"), "code--more");
    }
}
