//! Front matter of the plainest kind, read without the YAML parser: one `key: value` line for
//! each of the scalar keys, values that cannot be anything but what the key wants (a quoted or
//! plain string, a whole number for `weight`, `true`/`false` for `draft`). That is what most
//! pages have; the YAML parser took about 5 % of a large build's instructions reading it.
//!
//! Anything else (a comment, a list, `extra`, an escape, a value YAML could read as another
//! type, a character YAML treats specially) is left to the YAML parser: [`read`] answers `None`
//! and never guesses. A test checks it against the parser on many generated front matters.

use super::FrontMatter;

/// `text` (the front matter between its `---` lines) read as the YAML parser reads it, or `None`
/// if it is not of the plain kind.
pub(super) fn read(text: &str) -> Option<FrontMatter> {
    let mut fm = FrontMatter::default();
    let mut seen = 0u16;
    for line in text.strip_suffix('\n')?.split('\n') {
        let (key, value) = line.split_once(": ")?;
        let (bit, slot): (u16, Option<&mut Option<String>>) = match key {
            "title" => (1, Some(&mut fm.title)),
            "description" => (2, Some(&mut fm.description)),
            "date" => (4, Some(&mut fm.date)),
            "updated" => (8, Some(&mut fm.updated)),
            "slug" => (16, Some(&mut fm.slug)),
            "template" => (32, Some(&mut fm.template)),
            "lang" => (64, Some(&mut fm.lang)),
            "weight" => (128, None),
            "draft" => (256, None),
            _ => return None,
        };
        // A key given twice is an error the parser reports.
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        match (key, slot) {
            ("weight", _) => fm.weight = Some(whole_number(value)?),
            ("draft", _) => {
                fm.draft = match value {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                }
            }
            ("date" | "updated", Some(slot)) => *slot = Some(day(value).or_else(|| string(value))?),
            (_, Some(slot)) => *slot = Some(string(value)?),
            _ => return None,
        }
    }
    Some(fm)
}

/// A string value: double-quoted with no escape, or plain and unmistakably a string.
fn string(value: &str) -> Option<String> {
    if !value.chars().all(printable) {
        return None;
    }
    if let Some(inner) = value.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        return (!inner.contains(['"', '\\'])).then(|| inner.to_string());
    }
    let first = value.chars().next()?;
    // Starting with a letter (no indicator, quote, digit or sign), ending with neither a space
    // nor `:`, and with no `:` or `#` at all (no key, no comment): a plain scalar, whole.
    let plain = first.is_alphabetic()
        && !value.ends_with([' ', ':'])
        && !value.contains([':', '#'])
        && !value.contains("  ");
    // Words YAML (1.1 or 1.2) may read as null or a boolean are left to the parser.
    let special = matches!(
        value.to_ascii_lowercase().as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    (plain && !special).then(|| value.to_string())
}

/// `YYYY-MM-DD`: a string (YAML 1.2 has no dates; the parser gives the text as it is).
fn day(value: &str) -> Option<String> {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (b.len() == 10 && b[4] == b'-' && b[7] == b'-' && digits(0..4) && digits(5..7) && digits(8..10))
        .then(|| value.to_string())
}

/// A decimal whole number without sign, leading zero or separator, that fits an `i64`.
fn whole_number(value: &str) -> Option<i64> {
    let plain = !value.is_empty()
        && value.len() <= 18
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    plain.then(|| value.parse().ok()).flatten()
}

/// A character YAML takes as it is in a one-line scalar: printable, not a line or paragraph
/// separator, not a byte-order mark. Tabs and everything else are left to the parser.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;
    use std::path::Path;

    fn by_parser(text: &str) -> Option<FrontMatter> {
        crate::yaml::parse(text, Path::new("p.md"), 2, Kind::FrontMatter).ok()
    }

    fn same(a: &FrontMatter, b: &FrontMatter) -> bool {
        serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
    }

    #[test]
    fn reads_the_plain_front_matter_pages_have() {
        let text = "title: \"Topic 0, note 6\"\ndate: 2020-01-13\nweight: 6\ndescription: \"Note 6 on topic 0.\"\n";
        let fm = read(text).expect("plain front matter");
        assert_eq!(fm.title.as_deref(), Some("Topic 0, note 6"));
        assert_eq!(fm.date.as_deref(), Some("2020-01-13"));
        assert_eq!(fm.weight, Some(6));
        assert!(same(&fm, &by_parser(text).unwrap()));
        let zh = "title: 中国的人工智能\ntemplate: page.html\nlang: zh\ndraft: true\n";
        assert!(same(&read(zh).expect("plain"), &by_parser(zh).unwrap()));
    }

    #[test]
    fn leaves_everything_else_to_the_parser() {
        for text in [
            "title: A\nextra:\n  x: 1\n",
            "aliases: [a]\n",
            "title: A # note\n",
            "title: \"a \\\" b\"\n",
            "title: 'single'\n",
            "title: yes\n",
            "title: 2024 review\n",
            "weight: +3\n",
            "weight: 007\n",
            "weight: 99999999999999999999\n",
            "draft: yes\n",
            "title: A\ntitle: B\n",
            "title: a: b\n",
            "title: A\r\n",
            "title:  A\n",
            "title: A\n\n",
            "# comment\ntitle: A\n",
            "unknown: x\n",
        ] {
            assert!(read(text).is_none(), "{text:?}");
        }
    }

    /// Whatever this reader accepts, the YAML parser reads the same way: front matters made of
    /// lines drawn at random from keys and awkward values.
    #[test]
    fn agrees_with_the_yaml_parser() {
        let keys = [
            "title",
            "description",
            "date",
            "updated",
            "weight",
            "draft",
            "slug",
            "template",
            "lang",
            "extra",
            "aliases",
            "Title",
            "title ",
        ];
        let values = [
            "2020-01-13",
            "2020-13-45",
            "2020-01-13T10:00:00Z",
            "6",
            "0",
            "-3",
            "007",
            "1e3",
            "0x10",
            "0o7",
            ".5",
            "5.",
            "1_000",
            "1:20",
            "true",
            "false",
            "True",
            "TRUE",
            "yes",
            "No",
            "on",
            "y",
            "~",
            "null",
            "Null",
            "\"quoted, with comma\"",
            "\"\"",
            "\"a\\tb\"",
            "\"a\"b\"",
            "'single'",
            "plain text",
            "Plain text, with: colon",
            "a #b",
            "a#b",
            "#c",
            "中文标题",
            "é",
            "Ωmega",
            "x\u{2028}y",
            "x\u{85}y",
            "x\u{feff}",
            "a\tb",
            "[a]",
            "{a: 1}",
            "&a x",
            "*a",
            "!tag x",
            "|",
            ">",
            "%x",
            "@x",
            "`x",
            "? x",
            "- x",
            "-x",
            ":x",
            "x:",
            "trailing ",
            "two  spaces",
            ".inf",
            "nan",
            "NaN",
            "Infinity",
            "page.html",
            "a/b",
            "a-b_c",
        ];
        let mut rng = crate::testing::Rng::new(0x853C_49E6_748F_EA9B);
        let mut accepted = 0;
        for _ in 0..60_000 {
            let mut text = String::new();
            for _ in 0..1 + rng.below(3) {
                let key = rng.pick(&keys);
                let value = rng.pick(&values);
                text.push_str(&format!("{key}: {value}\n"));
            }
            if let Some(fast) = read(&text) {
                accepted += 1;
                let slow = by_parser(&text);
                assert!(
                    slow.as_ref().is_some_and(|s| same(&fast, s)),
                    "{text:?}: {fast:?} but the parser gives {slow:?}"
                );
            }
        }
        // The test means something only if the reader takes a good share of them.
        assert!(accepted > 1_000, "accepted only {accepted}");
    }
}
