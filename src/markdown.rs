//! Markdown to HTML with pulldown-cmark: heading ids (GitHub/mdBook-compatible), a nested table
//! of contents, a summary, word counts that understand CJK text, links to other content files
//! rewritten, and shortcodes expanded (cut out first, rendered, then put back).

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Error, Kind};
use crate::shortcodes::{self, CLOSE, Call, OPEN, Source};

/// What rendering needs from the rest of the site.
pub trait Host {
    /// Rewrite a link or image destination found at byte `offset` of the file. `Ok(None)`
    /// leaves it unchanged (external links); `Err` is a message for a link that leads nowhere.
    fn resolve_link(&mut self, dest: &str, offset: usize) -> Result<Option<String>, String>;
    /// Render a shortcode call; `body` is the block's body, already rendered to HTML.
    fn shortcode(
        &mut self,
        src: Source,
        call: &Call,
        body: Option<String>,
    ) -> Result<String, Error>;
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub html: String,
    /// The text before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    pub toc: Vec<TocEntry>,
    /// Latin-script words plus CJK characters (each counts as a word).
    pub words: usize,
    pub cjk_chars: usize,
    /// Text of the first level-1 heading, for pages without a title.
    pub first_h1: Option<String>,
}

impl Doc {
    /// Minutes to read: 220 words a minute for Latin text, 400 characters a minute for CJK.
    pub fn reading_minutes(&self) -> usize {
        let latin = (self.words - self.cjk_chars) as f64 / 220.0;
        let cjk = self.cjk_chars as f64 / 400.0;
        ((latin + cjk).ceil() as usize).max(1)
    }
}

/// The pulldown-cmark extensions every page is parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render `src.text[range]`. `ids` holds the ids already used on the page, so that headings in a
/// shortcode body and in the page never collide.
pub fn render(
    src: Source,
    range: Range<usize>,
    host: &mut dyn Host,
    ids: &mut HashSet<String>,
) -> Result<Doc, Error> {
    let expanded = shortcodes::expand(src, range)?;
    let mut errors = Vec::new();

    // Shortcodes first, in document order (so numbered things such as citations count in reading
    // order), block bodies rendered with the same host and id set.
    let mut outputs = Vec::with_capacity(expanded.calls.len());
    for call in &expanded.calls {
        let body = match &call.body {
            Some(r) => match render(src, r.clone(), host, ids) {
                Ok(doc) => Some(doc.html),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
            None => None,
        };
        match host.shortcode(src, call, body) {
            Ok(html) => outputs.push(html),
            Err(e) => {
                errors.push(e);
                outputs.push(String::new());
            }
        }
    }

    let mut doc = Doc::default();
    let mut events: Vec<Event> = Vec::new();
    let mut more_at: Option<usize> = None;
    let mut first_para: Option<Range<usize>> = None;
    let mut heading: Option<(usize, String)> = None; // (index of Start event, text so far)
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    // Smart punctuation splits text events inside words (`it` `’` `s`): carry the state over.
    let mut in_word = false;

    for (event, range) in Parser::new_ext(&expanded.text, options()).into_offset_iter() {
        if !matches!(event, Event::Text(_) | Event::Code(_)) {
            in_word = false;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((events.len(), String::new()));
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                let (start, text) = heading.take().unwrap_or_default();
                let text = strip_markers(&text).trim().to_string();
                if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                    let wanted = match id {
                        Some(explicit) => explicit.to_string(),
                        None => slugify(&text),
                    };
                    let unique = unique_id(&wanted, ids);
                    *id = Some(CowStr::from(unique.clone()));
                    headings.push((level_num(level), unique, text.clone()));
                    if level == HeadingLevel::H1 && doc.first_h1.is_none() {
                        doc.first_h1 = Some(text);
                    }
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let mut event = event;
                if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                    &mut event
                {
                    let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = rewrite(host, &expanded, &src, written, range.start, &mut errors);
                }
                events.push(event);
            }
            Event::Start(Tag::Paragraph) => {
                if first_para.is_none() {
                    first_para = Some(events.len()..events.len());
                }
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                events.push(event);
                if let Some(r) = &mut first_para
                    && r.end == r.start
                {
                    r.end = events.len();
                }
            }
            Event::Start(Tag::Table(_)) => {
                // A wide table scrolls inside its own box instead of widening the page.
                events.push(Event::Html(CowStr::from(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) if is_more_marker(h) => {
                if more_at.is_none() {
                    more_at = Some(events.len());
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(t);
                }
                count_words(t, &mut doc, &mut in_word);
                events.push(event);
            }
            other => events.push(other),
        }
    }

    let mut html = String::with_capacity(expanded.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    let summary_events = match (more_at, &first_para) {
        (Some(i), _) => &events[..i],
        (None, Some(r)) if r.end > r.start => &events[r.clone()],
        _ => &events[..0],
    };
    let mut summary = String::new();
    pulldown_cmark::html::push_html(&mut summary, summary_events.iter().cloned());

    doc.html = put_back(&html, &outputs);
    doc.summary = put_back(&summary, &outputs);
    doc.toc = build_toc(headings);
    Error::collect(errors)?;
    Ok(doc)
}

fn level_num(level: HeadingLevel) -> u8 {
    level as u8
}

/// `<!-- more -->` (any spacing). Never slices: `<!-->` and `<!--->` are comments too short to
/// hold both delimiters apart.
fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|h| h.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

fn rewrite<'a>(
    host: &mut dyn Host,
    expanded: &shortcodes::Expanded,
    src: &Source,
    dest: CowStr<'a>,
    at: usize,
    errors: &mut Vec<Error>,
) -> CowStr<'a> {
    let offset = expanded.file_offset(at);
    match host.resolve_link(&dest, offset) {
        Ok(Some(url)) => CowStr::from(url),
        Ok(None) => dest,
        Err(msg) => {
            errors.push(Error::input(Kind::Link, src.loc(offset), msg));
            dest
        }
    }
}

/// Replace each shortcode placeholder with its output; a placeholder alone in a paragraph is a
/// block, and replaces the paragraph so block HTML is not wrapped in `<p>`.
fn put_back(html: &str, outputs: &[String]) -> String {
    if outputs.is_empty() || !html.contains(OPEN) {
        return html.to_string();
    }
    let mut out =
        String::with_capacity(html.len() + outputs.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        let after_open = &rest[i + OPEN.len_utf8()..];
        let Some(j) = after_open.find(CLOSE) else {
            break;
        };
        let Ok(n) = after_open[..j].parse::<usize>() else {
            out.push_str(&rest[..i + OPEN.len_utf8()]);
            rest = after_open;
            continue;
        };
        let after = &after_open[j + CLOSE.len_utf8()..];
        let output = outputs.get(n).map_or("", String::as_str);
        if rest[..i].ends_with("<p>") && after.starts_with("</p>") {
            out.push_str(&rest[..i - 3]);
            out.push_str(output);
            rest = &after[4..];
        } else {
            out.push_str(&rest[..i]);
            out.push_str(output);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn strip_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        match c {
            OPEN => inside = true,
            CLOSE => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// GitHub's heading anchors (also mdBook's for ASCII): lowercase, keep letters, digits, `-` and
/// `_`, each space becomes `-`, everything else is dropped. CJK characters are letters and stay.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// `wanted`, or `wanted-1`, `wanted-2` … if taken (GitHub's scheme).
fn unique_id(wanted: &str, ids: &mut HashSet<String>) -> String {
    if ids.insert(wanted.to_string()) {
        return wanted.to_string();
    }
    (1..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|id| ids.insert(id.clone()))
        .expect("an unused id exists")
}

fn build_toc(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    // Insert each heading under the last entry of a lower level, at any depth.
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        if let Some(last) = list.last_mut()
            && last.level < entry.level
        {
            insert(&mut last.children, entry);
            return;
        }
        list.push(entry);
    }
    let mut toc = Vec::new();
    for (level, id, title) in headings {
        insert(
            &mut toc,
            TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            },
        );
    }
    toc
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F)
}

fn count_words(text: &str, doc: &mut Doc, in_word: &mut bool) {
    // Most text is ASCII: count it byte by byte without decoding characters.
    if text.is_ascii() {
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() {
                if !*in_word {
                    doc.words += 1;
                    *in_word = true;
                }
            } else if b != b'\'' && b != b'-' {
                *in_word = false;
            }
        }
        return;
    }
    for c in text.chars() {
        if is_cjk(c) {
            doc.words += 1;
            doc.cjk_chars += 1;
            *in_word = false;
        } else if c.is_alphanumeric() {
            if !*in_word {
                doc.words += 1;
                *in_word = true;
            }
        } else if c.is_whitespace() || !(c == '\'' || c == '’' || c == '-') {
            *in_word = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    struct TestHost {
        calls: Vec<String>,
    }

    impl Host for TestHost {
        fn resolve_link(&mut self, dest: &str, _: usize) -> Result<Option<String>, String> {
            match dest {
                "b.md" => Ok(Some("../b/index.html".into())),
                d if d.ends_with(".md") => Err(format!("no page `{d}`")),
                _ => Ok(None),
            }
        }
        fn shortcode(
            &mut self,
            _: Source,
            call: &Call,
            body: Option<String>,
        ) -> Result<String, Error> {
            self.calls.push(call.name.clone());
            Ok(match body {
                Some(b) => format!("<aside>{b}</aside>"),
                None => format!("<b>{}</b>", call.name),
            })
        }
    }

    fn md(text: &str) -> Result<Doc, Error> {
        let mut host = TestHost { calls: vec![] };
        let mut ids = HashSet::new();
        render(
            Source {
                path: Path::new("p.md"),
                text,
            },
            0..text.len(),
            &mut host,
            &mut ids,
        )
    }

    #[test]
    fn heading_ids_match_github() {
        let doc = md("# Hello, World!\n\n## Hello, World!\n\n### `code` & More\n\n## 精英化、收费制 vs 大众化\n\n## Custom {#mine}\n").unwrap();
        assert!(doc.html.contains("<h1 id=\"hello-world\">"), "{}", doc.html);
        assert!(doc.html.contains("<h2 id=\"hello-world-1\">"));
        assert!(doc.html.contains("<h3 id=\"code--more\">"));
        assert!(doc.html.contains("<h2 id=\"精英化收费制-vs-大众化\">"));
        assert!(doc.html.contains("<h2 id=\"mine\">"));
        assert_eq!(doc.first_h1.as_deref(), Some("Hello, World!"));
        // Nested toc: the h3 sits under the second h2, which sits under the h1.
        assert_eq!(doc.toc.len(), 1);
        assert_eq!(doc.toc[0].children.len(), 3);
        assert_eq!(doc.toc[0].children[0].children[0].id, "code--more");
    }

    #[test]
    fn summary_is_first_paragraph_or_before_more() {
        let doc = md("# T\n\nFirst *para*.\n\nSecond.\n").unwrap();
        assert_eq!(doc.summary, "<p>First <em>para</em>.</p>\n");
        let doc = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n").unwrap();
        assert_eq!(doc.summary, "<p>One.</p>\n<p>Two.</p>\n");
        assert!(!doc.html.contains("more"));
    }

    #[test]
    fn short_comments_are_not_the_more_marker() {
        for text in ["foo <!--> bar\n", "<!--->\n", "<!---->\n", "a <!-- --> b\n"] {
            let doc = md(text).unwrap();
            assert!(!doc.html.is_empty(), "{text}");
        }
        assert_eq!(md("A\n\n<!--more-->\n\nB\n").unwrap().summary, "<p>A</p>\n");
    }

    #[test]
    fn words_count_cjk_characters() {
        let doc = md("Hello world, it's fine.\nNext\n\n中文字符\n").unwrap();
        assert_eq!(doc.words, 5 + 4);
        assert_eq!(doc.cjk_chars, 4);
        assert_eq!(doc.reading_minutes(), 1);
    }

    #[test]
    fn shortcodes_inline_and_block() {
        let doc = md("Price {{ fig(id=\"a\") }} here.\n\n{% aside() %}\nInside **bold** {{ cite(id=\"x\") }}\n{% end %}\n\n`{{ fig(id=\"a\") }}`\n").unwrap();
        assert!(
            doc.html.contains("<p>Price <b>fig</b> here.</p>"),
            "{}",
            doc.html
        );
        assert!(
            doc.html
                .contains("<aside><p>Inside <strong>bold</strong> <b>cite</b></p>\n</aside>"),
            "{}",
            doc.html
        );
        assert!(!doc.html.contains("<p><aside>"));
        assert!(
            doc.html.contains("<code>{{ fig(id=\"a\") }}</code>"),
            "{}",
            doc.html
        );
    }

    #[test]
    fn links_rewritten_and_broken_ones_located() {
        let doc = md("[b](b.md) [x](https://x.org)\n").unwrap();
        assert!(doc.html.contains("href=\"../b/index.html\""));
        assert!(doc.html.contains("href=\"https://x.org\""));
        let err = md("{{ fig(id=\"long-id\") }} text\n\nsee [c](c.md)\n").unwrap_err();
        assert_eq!(err.to_string(), "p.md:3:5: link error: no page `c.md`");
    }

    #[test]
    fn tables_scroll_in_their_own_box() {
        let doc = md("| a | b |\n|---|---|\n| 1 | 2 |\n").unwrap();
        assert!(
            doc.html
                .starts_with("<div class=\"table-wrap\" tabindex=\"0\"><table>"),
            "{}",
            doc.html
        );
    }
}
