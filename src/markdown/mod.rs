//! Markdown to HTML with pulldown-cmark: heading ids (GitHub's), a nested table of contents, a
//! summary, word counts that understand CJK text, footnotes with links back, links to other
//! content files rewritten (in markdown and in raw HTML), and shortcodes expanded (cut out first,
//! rendered, then put back).
//!
//! `render` is one pass over pulldown-cmark's events; each kind of event that explainer changes
//! has one arm in it, and everything else passes through (a new feature is a new arm).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::config::MarkdownOptions;
use crate::error::{Diagnostic, Error, Kind, Severity};
use crate::links::LinkError;
use crate::shortcodes::{self, Call, Marker, SourceText};
use crate::{highlight, math};

mod footnotes;
mod raw_html;
mod slug;

pub use slug::{Ids, heading_id};

/// What rendering needs from the rest of the site.
pub trait Host {
    /// Rewrite a link or image destination found at byte `offset` of the file. `Ok(None)`
    /// leaves it unchanged (external links); `Err` is a message for a link that leads nowhere.
    fn resolve_link(&mut self, dest: &str, offset: usize) -> Result<Option<String>, LinkError>;
    /// Render a shortcode call; `body` is the block's body, already rendered to HTML.
    fn shortcode(
        &mut self,
        src: SourceText,
        call: &Call,
        body: Option<String>,
    ) -> Result<String, Error>;
    /// The site's `markdown:` options.
    fn options(&self) -> MarkdownOptions {
        MarkdownOptions::default()
    }
    /// Whether a link that leads nowhere is a warning (`--allow-broken-links`) or an error.
    fn allow_broken_links(&self) -> bool {
        false
    }
    /// Which of a page's word count, summary and table of contents anything shows.
    fn shown(&self) -> Shown {
        Shown::ALL
    }
}

/// Which of what a page's markdown yields besides its HTML, ids and links anything shows: the
/// rest is not worked out (left empty), as Hugo works out `.WordCount` only when a template
/// asks. Counting words was a twentieth of a build whose templates show no word count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// `words`, `cjk_chars` (a template's `word_count`, `reading_time`).
    pub words: bool,
    /// `summary`.
    pub summary: bool,
    /// `toc`.
    pub toc: bool,
}

impl Shown {
    pub const ALL: Shown = Shown {
        words: true,
        summary: true,
        toc: true,
    };
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
    /// The text before `<!-- more -->` (to the end of the block it is in), else the first
    /// paragraph; always whole elements.
    pub summary: String,
    pub toc: Vec<TocEntry>,
    /// Latin-script words plus CJK characters (each counts as a word).
    pub words: usize,
    pub cjk_chars: usize,
    /// Text of the first level-1 heading, for pages without a title.
    pub first_h1: Option<String>,
    /// Links that lead nowhere, let through by `allow_broken_links` (severity warning).
    pub warnings: Vec<Diagnostic>,
    /// Whether a code block was highlighted (the page needs `highlight.css`).
    pub highlighted: bool,
}

impl Doc {
    /// Minutes to read: 220 words a minute for Latin text, 400 characters a minute for CJK.
    pub fn reading_minutes(&self) -> usize {
        let latin = self.words.saturating_sub(self.cjk_chars) as f64 / 220.0;
        let cjk = self.cjk_chars as f64 / 400.0;
        ((latin + cjk).ceil() as usize).max(1)
    }
}

/// pulldown-cmark's options for the site's `markdown:` settings.
pub fn options(md: &MarkdownOptions) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if md.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if md.math {
        o |= Options::ENABLE_MATH;
    }
    o
}

/// Where problems go: errors, or warnings for links when broken links are allowed.
struct Problems {
    errors: Vec<Error>,
    warnings: Vec<Diagnostic>,
    allow_broken_links: bool,
}

impl Problems {
    fn link(&mut self, e: Error) {
        if self.allow_broken_links {
            self.warnings
                .extend(e.diagnostics().iter().map(|d| Diagnostic {
                    severity: Severity::Warning,
                    ..d.clone()
                }));
        } else {
            self.errors.push(e);
        }
    }
}

/// Render `src.text[range]`. `ids` holds the ids already used on the page, so that headings in a
/// shortcode body and in the page never collide.
pub fn render(
    src: SourceText,
    range: Range<usize>,
    host: &mut dyn Host,
    ids: &mut Ids,
) -> Result<Doc, Error> {
    render_doc(src, range, host, ids, true)
}

/// [`render`] without the page's HTML (`html` is empty; everything else, the summary included,
/// is there): what a build needs of every page before it renders any template.
pub fn render_without_html(
    src: SourceText,
    range: Range<usize>,
    host: &mut dyn Host,
    ids: &mut Ids,
) -> Result<Doc, Error> {
    render_doc(src, range, host, ids, false)
}

fn render_doc(
    src: SourceText,
    range: Range<usize>,
    host: &mut dyn Host,
    ids: &mut Ids,
    want_html: bool,
) -> Result<Doc, Error> {
    let expanded = shortcodes::expand(src, range)?;
    let mut problems = Problems {
        errors: Vec::new(),
        warnings: Vec::new(),
        allow_broken_links: host.allow_broken_links(),
    };
    let shown = host.shown();

    // Shortcodes first, in document order (so numbered things such as citations count in reading
    // order), block bodies rendered with the same host and id set.
    let mut outputs = Vec::with_capacity(expanded.calls.len());
    let mut bodies_highlighted = false;
    for call in &expanded.calls {
        let body = match &call.body {
            Some(r) => match render(src, r.clone(), host, ids) {
                Ok(doc) => {
                    bodies_highlighted |= doc.highlighted;
                    problems.warnings.extend(doc.warnings);
                    Some(doc.html)
                }
                Err(e) => {
                    problems.errors.push(e);
                    None
                }
            },
            None => None,
        };
        match host.shortcode(src, call, body) {
            Ok(html) => outputs.push(html),
            Err(e) => {
                problems.errors.push(e);
                outputs.push(String::new());
            }
        }
    }

    let text: &str = &expanded.text;
    let marker = &expanded.marker;
    let parser = Parser::new_ext(text, options(&host.options()));
    // Reference definitions by label, for errors positioned where the URL is written.
    let definitions: HashMap<String, usize> = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| (label_key(label), def.span.start))
        .collect();

    let mut doc = Doc {
        highlighted: bodies_highlighted,
        ..Doc::default()
    };
    // About one event for every eight bytes of markdown: growing the vector from empty was a
    // twentieth of the markdown stage.
    let mut events: Vec<Event> = Vec::with_capacity(text.len() / 8);
    // Nesting depth of `events`, for a `<!-- more -->` inside a block.
    let mut depth = 0usize;
    let mut more_at: Option<usize> = None;
    let mut more_pending = false;
    let mut first_para: Option<Range<usize>> = None;
    let mut heading: Option<(usize, String)> = None; // (index of Start event, text so far)
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut notes = footnotes::Footnotes::default();
    // A footnote definition being read: its label, content and nesting depth.
    let mut note: Option<(CowStr, Vec<Event>, usize)> = None;
    // An HTML block being read: its text, and (offset in it, offset in `text`) of each line.
    let mut html_block: Option<(String, Vec<(usize, usize)>)> = None;
    // Smart punctuation splits text events inside words (`it` `’` `s`): carry the state over.
    let mut in_word = false;
    // A fenced block in a language with a grammar: its info string and text so far.
    let mut code: Option<(String, String)> = None;
    let highlight_code = host.options().highlight;

    for (event, range) in parser.into_offset_iter() {
        if !matches!(event, Event::Text(_) | Event::Code(_)) {
            in_word = false;
        }
        // Footnote definitions are kept apart and listed at the end.
        if let Event::Start(Tag::FootnoteDefinition(label)) = &event
            && note.is_none()
        {
            note = Some((label.clone(), Vec::new(), 0));
            continue;
        }
        if let Some((label, content, d)) = &mut note {
            match &event {
                Event::Start(_) => *d += 1,
                Event::End(TagEnd::FootnoteDefinition) if *d == 0 => {
                    notes.define(label, std::mem::take(content));
                    note = None;
                    continue;
                }
                Event::End(_) => *d = d.saturating_sub(1),
                _ => {}
            }
        }
        let top = note.is_none();
        let out = match &mut note {
            Some((_, content, _)) => content,
            None => &mut events,
        };
        let closes = matches!(event, Event::End(_));
        if top && matches!(event, Event::Start(_)) {
            depth += 1;
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if highlight_code && highlight::knows(info) =>
            {
                code = Some((info.to_string(), String::new()));
            }
            Event::Text(ref t) if code.is_some() => {
                if shown.words {
                    count_words(t, &mut doc, &mut in_word);
                }
                if let Some((_, text)) = &mut code {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::CodeBlock) if code.is_some() => {
                let (info, text) = code.take().unwrap_or_default();
                match highlight::block(&info, &text) {
                    Some(html) => {
                        doc.highlighted = true;
                        out.push(Event::Html(CowStr::from(html)));
                    }
                    None => out.extend([
                        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(CowStr::from(info)))),
                        Event::Text(CowStr::from(text)),
                        event,
                    ]),
                }
            }
            Event::InlineMath(ref latex) | Event::DisplayMath(ref latex) => {
                let display = matches!(event, Event::DisplayMath(_));
                match math::to_mathml(latex, display) {
                    Ok(mathml) => out.push(Event::InlineHtml(CowStr::from(mathml))),
                    Err(msg) => problems.errors.push(Error::input(
                        Kind::Math,
                        src.loc(expanded.file_offset(range.start)),
                        msg,
                    )),
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((out.len(), String::new()));
                out.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                let (start, text) = heading.take().unwrap_or_default();
                let text = marker.strip(&text).trim().to_string();
                if let Some(Event::Start(Tag::Heading { id, .. })) = out.get_mut(start) {
                    let wanted = match id {
                        Some(explicit) => explicit.to_string(),
                        None => heading_id(&text),
                    };
                    let unique = ids.unique(&wanted);
                    *id = Some(CowStr::from(unique.clone()));
                    headings.push((level_num(level), unique, text.clone()));
                    if level == HeadingLevel::H1 && doc.first_h1.is_none() {
                        doc.first_h1 = Some(text);
                    }
                }
                out.push(Event::End(TagEnd::Heading(level)));
            }
            // An email autolink (`<a@b.org>`) gets its `mailto:` from the writer: leave it.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => out.push(event),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let mut event = event;
                if let Event::Start(
                    Tag::Link {
                        link_type,
                        dest_url,
                        id,
                        ..
                    }
                    | Tag::Image {
                        link_type,
                        dest_url,
                        id,
                        ..
                    },
                ) = &mut event
                {
                    let at =
                        url_offset(text, range.clone(), *link_type, id, dest_url, &definitions);
                    let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = rewrite(host, &expanded, &src, written, at, &mut problems);
                }
                out.push(event);
            }
            Event::Start(Tag::Paragraph) => {
                if top && first_para.is_none() {
                    first_para = Some(out.len()..out.len());
                }
                out.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                out.push(event);
                if top
                    && let Some(r) = &mut first_para
                    && r.end == r.start
                {
                    r.end = out.len();
                }
            }
            Event::Start(Tag::Table(_)) => {
                // A wide table scrolls inside its own box instead of widening the page.
                out.push(Event::Html(CowStr::from(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some((String::new(), Vec::new()));
            }
            Event::Html(h) if html_block.is_some() => {
                if let Some((block, lines)) = &mut html_block {
                    lines.push((block.len(), range.start));
                    block.push_str(&h);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let (block, lines) = html_block.take().unwrap_or_default();
                if top && is_more_marker(&block) {
                    // A block of its own (depth 1: this block) cuts here, else at the end of
                    // the block it is in.
                    if depth == 1 {
                        more_at.get_or_insert(out.len());
                    } else {
                        more_pending = true;
                    }
                } else {
                    let to_text = |at: usize| {
                        let i = lines.partition_point(|(b, _)| *b <= at).saturating_sub(1);
                        lines.get(i).map_or(0, |(b, t)| t + (at - b))
                    };
                    let html =
                        resolve_raw_html(host, &expanded, &src, &block, &to_text, &mut problems);
                    out.push(Event::Start(Tag::HtmlBlock));
                    out.push(Event::Html(CowStr::from(html)));
                    out.push(Event::End(TagEnd::HtmlBlock));
                }
            }
            // Inline, `<!-- more -->` is inside a paragraph: the summary ends with it.
            Event::InlineHtml(h) if top && is_more_marker(&h) => more_pending = true,
            Event::InlineHtml(h) => {
                let start = range.start;
                let html =
                    resolve_raw_html(host, &expanded, &src, &h, &|at| start + at, &mut problems);
                out.push(Event::InlineHtml(CowStr::from(html)));
            }
            Event::FootnoteReference(ref label) => {
                notes.refs.push((out.len(), label.clone()));
                // Replaced once every heading has its id; a reference inside a note is not
                // numbered (GitHub ignores it too) and stays as written.
                if top {
                    out.push(event);
                } else {
                    notes.refs.pop();
                    out.push(Event::Text(CowStr::from(format!("[^{label}]"))));
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(t);
                }
                if shown.words {
                    count_words(t, &mut doc, &mut in_word);
                }
                out.push(event);
            }
            other => out.push(other),
        }
        // A pending `<!-- more -->` cuts at the end of the top-level block it was in.
        if top && closes {
            depth = depth.saturating_sub(1);
            if depth == 0 && more_pending && more_at.is_none() {
                more_at = Some(events.len());
            }
        }
    }

    let ref_at: HashSet<usize> = notes.refs.iter().map(|(i, _)| *i).collect();
    let list = notes.finish(&mut events, ids);
    let summary_range = match (more_at, &first_para) {
        (Some(i), _) => 0..i,
        (None, Some(r)) if r.end > r.start => r.clone(),
        _ => 0..0,
    };
    if shown.summary {
        // The summary is shown on other pages: no footnote links, whose notes are not there.
        let summary_events = summary_range
            .filter(|i| !ref_at.contains(i))
            .map(|i| events[i].clone());
        let mut summary = String::new();
        pulldown_cmark::html::push_html(&mut summary, summary_events);
        doc.summary = put_back(summary, marker, &outputs);
    }
    if want_html {
        // Last, so the events are written as they are, not copied.
        let mut html = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter().chain(list));
        doc.html = put_back(html, marker, &outputs);
    }

    if shown.toc {
        doc.toc = build_toc(headings);
    }
    doc.warnings = problems.warnings;
    Error::collect(problems.errors)?;
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

/// A reference label as pulldown-cmark matches it: case-insensitive, spaces collapsed.
fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where the URL of a link is written (in `text`): in its reference definition for reference
/// links, else after the `](` of an inline link; the link's start if it cannot be found.
fn url_offset(
    text: &str,
    range: Range<usize>,
    link_type: LinkType,
    label: &str,
    dest: &str,
    definitions: &HashMap<String, usize>,
) -> usize {
    let (from, sep) = match link_type {
        LinkType::Reference
        | LinkType::ReferenceUnknown
        | LinkType::Collapsed
        | LinkType::CollapsedUnknown
        | LinkType::Shortcut
        | LinkType::ShortcutUnknown => match definitions.get(&label_key(label)) {
            Some(&at) => (at, b"]:"),
            None => return range.start,
        },
        LinkType::Inline => (range.start, b"]("),
        _ => return range.start,
    };
    let Some(written) = text.get(from..) else {
        return range.start;
    };
    // The end of the label (`](` or `]:`), then the URL as written, if it is written as parsed.
    // Both searches usually end a few bytes in: `str::find` set up a two-way searcher each time,
    // 1,400 instructions a link.
    let after = memchr::memchr_iter(sep[0], written.as_bytes())
        .find(|&i| written.as_bytes().get(i + 1) == Some(&sep[1]))
        .map_or(0, |i| i + sep.len());
    let rest = &written[after..];
    const LEAD: [char; 4] = [' ', '\t', '\n', '<'];
    let skip = rest.len() - rest.trim_start_matches(LEAD).len();
    // Where it follows at once, it is the first match: an earlier one would start with a
    // skipped character, and this one starts with a character not skipped.
    let at_once = rest[skip..].starts_with(dest);
    let at = match at_once {
        true => Some(skip),
        false => rest.find(dest),
    };
    let at = match at {
        Some(i) if !dest.is_empty() => i,
        _ => skip,
    };
    from + after + at
}

fn rewrite<'a>(
    host: &mut dyn Host,
    expanded: &shortcodes::Expanded,
    src: &SourceText,
    dest: CowStr<'a>,
    at: usize,
    problems: &mut Problems,
) -> CowStr<'a> {
    match resolve(host, expanded, src, &dest, at, problems) {
        Some(url) => CowStr::from(url),
        None => dest,
    }
}

/// Resolve a URL written at `at` in the expanded text; `None` leaves it as written.
fn resolve(
    host: &mut dyn Host,
    expanded: &shortcodes::Expanded,
    src: &SourceText,
    dest: &str,
    at: usize,
    problems: &mut Problems,
) -> Option<String> {
    let offset = expanded.file_offset(at);
    match host.resolve_link(dest, offset) {
        Ok(url) => url,
        Err(e) => {
            let mut err = Error::input(Kind::Link, src.loc(offset), e.message);
            if let Some(help) = e.help {
                err = err.with_help(help);
            }
            problems.link(err);
            None
        }
    }
}

/// Raw HTML with its `href` and `src` attributes resolved like markdown links; `to_text` maps an
/// offset in `html` to one in the expanded text.
fn resolve_raw_html(
    host: &mut dyn Host,
    expanded: &shortcodes::Expanded,
    src: &SourceText,
    html: &str,
    to_text: &dyn Fn(usize) -> usize,
    problems: &mut Problems,
) -> String {
    if !raw_html::has_urls(html) {
        return html.to_string();
    }
    raw_html::rewrite_urls(html, &mut |value, at| {
        resolve(host, expanded, src, value, to_text(at), problems)
    })
}

/// Replace each shortcode placeholder with its output; a placeholder alone in a paragraph is a
/// block, and replaces the paragraph so block HTML is not wrapped in `<p>`.
fn put_back(html: String, marker: &Marker, outputs: &[String]) -> String {
    if outputs.is_empty() {
        return html;
    }
    let mut out =
        String::with_capacity(html.len() + outputs.iter().map(String::len).sum::<usize>());
    let mut rest = html.as_str();
    while let Some((r, n)) = marker.find(rest) {
        let output = outputs.get(n).map_or("", String::as_str);
        let before = &rest[..r.start];
        let after = &rest[r.end..];
        match (before.strip_suffix("<p>"), after.strip_prefix("</p>")) {
            (Some(before), Some(after)) => {
                out.push_str(before);
                out.push_str(output);
                rest = after;
            }
            _ => {
                out.push_str(before);
                out.push_str(output);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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

/// For each byte: bit 0, a letter or digit; bit 1, `'` or `-`, which keep a word going.
const WORD_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = (c.is_ascii_alphanumeric() as u8) | (((c == b'\'' || c == b'-') as u8) << 1);
        b += 1;
    }
    table
};

/// One in each byte of a `u64`.
const ONES: u64 = 0x0101_0101_0101_0101;

fn count_words(text: &str, doc: &mut Doc, in_word: &mut bool) {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut inside = usize::from(*in_word);
    // Most text is ASCII: counted without decoding characters, eight bytes at a time where no
    // `'` or `-` can carry a word over (then a word starts at each letter or digit whose byte
    // before is not one), byte by byte elsewhere. The first non-ASCII byte ends this part.
    let mut ascii = 0;
    while let Some(chunk) = bytes.get(ascii..ascii + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if x & (ONES * 0x80) != 0 {
            break;
        }
        if ascii_in(x, b'\'', b'\'') | ascii_in(x, b'-', b'-') == 0 {
            // ASCII letters with bit 5 set are `a..=z`, and no other ASCII byte lands there.
            let alnum = ascii_in(x, b'0', b'9') | ascii_in(x | (ONES * 0x20), b'a', b'z');
            let before = (alnum << 8) | ((inside as u64) << 7);
            // The top bit of each byte where a word starts, summed by moving each to its
            // byte's lowest bit and multiplying (no `popcnt` in the baseline x86-64 target:
            // `count_ones` is a dozen instructions there).
            words += ((((alnum & !before) >> 7).wrapping_mul(ONES)) >> 56) as usize;
            inside = (alnum >> 63) as usize;
        } else {
            count_ascii(chunk, &mut words, &mut inside);
        }
        ascii += 8;
    }
    let tail = &bytes[ascii..];
    let more_ascii = tail
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(tail.len());
    count_ascii(&tail[..more_ascii], &mut words, &mut inside);
    doc.words += words;
    *in_word = inside == 1;
    // The rest, from its first non-ASCII character (a character boundary: all before is ASCII).
    let Some(text) = text.get(ascii + more_ascii..) else {
        return;
    };
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

/// The top bit of each byte of `x` (ASCII bytes) set where the byte is in `lo..=hi`: adding
/// `0x80 - lo` sets it from `lo` up, adding `0x7F - hi` from above `hi`, with no carry out of
/// any byte below 0x80.
const fn ascii_in(x: u64, lo: u8, hi: u8) -> u64 {
    let from_lo = x + ONES * (0x80 - lo as u64);
    let above_hi = x + ONES * (0x7F - hi as u64);
    from_lo & !above_hi & (ONES * 0x80)
}

/// The word count's rule, byte by byte: a word starts at a letter or digit outside a word; `'`
/// and `-` keep a word going (`it's`, `well-known`), anything else ends it. The byte's class is
/// looked up apart from the state, so only two bit operations a byte wait on the byte before.
fn count_ascii(bytes: &[u8], words: &mut usize, inside: &mut usize) {
    for &b in bytes {
        let class = usize::from(WORD_CLASS[usize::from(b)]);
        let alnum = class & 1;
        *words += alnum & !*inside & 1;
        *inside = alnum | ((class >> 1) & *inside);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_offsets_are_where_a_plain_search_finds_them() {
        // The rule `url_offset` had with `str::find`, which the memchr search and the
        // "right after" shortcut must keep.
        fn by_find(text: &str, from: usize, sep: &str, dest: &str) -> usize {
            let written = &text[from..];
            let after = written.find(sep).map_or(0, |i| i + sep.len());
            let rest = &written[after..];
            let skip = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '<']).len();
            let at = match rest.find(dest) {
                Some(i) if !dest.is_empty() => i,
                _ => skip,
            };
            from + after + at
        }
        let pieces = [
            "]", "(", ":", " ", "\n", "<", ">", "a", "b", "é", "](", "]:",
        ];
        let dests = ["", "a", "ab", " a", "<a", "a>", "]", "(", "é", "b a"];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1D);
        let definitions = HashMap::from([("x".to_string(), 0)]);
        for _ in 0..60_000 {
            let count = rng.below(14);
            let text = rng.pieces(&pieces, count);
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let Some(&from) = (!starts.is_empty()).then(|| rng.pick(&starts)) else {
                continue;
            };
            let dest = *rng.pick(&dests);
            let inline = url_offset(
                &text,
                from..text.len(),
                LinkType::Inline,
                "",
                dest,
                &definitions,
            );
            assert_eq!(
                inline,
                by_find(&text, from, "](", dest),
                "{text:?} {from} {dest:?}"
            );
            let defs = HashMap::from([("x".to_string(), from)]);
            let reference = url_offset(&text, 0..text.len(), LinkType::Reference, "x", dest, &defs);
            assert_eq!(
                reference,
                by_find(&text, from, "]:", dest),
                "{text:?} {from} {dest:?}"
            );
        }
    }
    use std::path::Path;

    struct TestHost {
        calls: Vec<String>,
        lenient: bool,
        shown: Shown,
    }

    impl TestHost {
        fn new() -> TestHost {
            TestHost {
                calls: vec![],
                lenient: false,
                shown: Shown::ALL,
            }
        }
    }

    impl Host for TestHost {
        fn resolve_link(&mut self, dest: &str, _: usize) -> Result<Option<String>, LinkError> {
            match dest {
                "b.md" => Ok(Some("../b/index.html".into())),
                d if d.ends_with(".md") => Err(LinkError::new(format!("no page `{d}`"))),
                _ => Ok(None),
            }
        }
        fn shortcode(
            &mut self,
            _: SourceText,
            call: &Call,
            body: Option<String>,
        ) -> Result<String, Error> {
            self.calls.push(call.name.clone());
            Ok(match body {
                Some(b) => format!("<aside>{b}</aside>"),
                None => format!("<b>{}</b>", call.name),
            })
        }
        fn allow_broken_links(&self) -> bool {
            self.lenient
        }
        fn shown(&self) -> Shown {
            self.shown
        }
    }

    fn md(text: &str) -> Result<Doc, Error> {
        let mut host = TestHost::new();
        let mut ids = Ids::default();
        render(
            SourceText {
                path: Path::new("p.md"),
                text,
            },
            0..text.len(),
            &mut host,
            &mut ids,
        )
    }

    #[test]
    fn fenced_code_is_highlighted_even_in_shortcode_bodies() {
        let doc = md("{% aside() %}\n```rust\nfn main() {}\n```\n{% end %}\n").unwrap();
        assert!(doc.highlighted);
        assert!(
            doc.html
                .contains("<aside><pre class=\"hl\" tabindex=\"0\"><code class=\"language-rust\">"),
            "{}",
            doc.html
        );
        let doc = md("```\nplain <b>\n```\n\n```nosuchlang\nx\n```\n").unwrap();
        assert!(!doc.highlighted);
        assert_eq!(
            doc.html,
            "<pre><code>plain &lt;b&gt;\n</code></pre>\n<pre><code class=\"language-nosuchlang\">x\n</code></pre>\n"
        );
        // Code text still counts toward the page's words, as before.
        assert_eq!(md("```python\nprint(total)\n```\n").unwrap().words, 2);
    }

    #[test]
    fn dollars_are_text_unless_math_is_on() {
        let doc = md("costs $5 or $x$\n").unwrap();
        assert!(doc.html.contains("$x$") && !doc.html.contains("<math"));
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
    fn fields_nothing_shows_are_left_empty_and_the_html_is_the_same() {
        let text =
            "# T\n\nFirst *para*, 三个字.\n\n## U {#u}\n\n```python\nx = 1\n```\n\n{{ s() }}\n";
        let with = |shown: Shown| {
            render(
                SourceText {
                    path: Path::new("p.md"),
                    text,
                },
                0..text.len(),
                &mut TestHost {
                    shown,
                    ..TestHost::new()
                },
                &mut Ids::default(),
            )
            .unwrap()
        };
        let all = with(Shown::ALL);
        assert!(
            all.words > 3 && all.cjk_chars == 3,
            "{} {}",
            all.words,
            all.cjk_chars
        );
        assert_eq!(all.summary, "<p>First <em>para</em>, 三个字.</p>\n");
        assert_eq!(all.toc.len(), 1);
        let none = Shown {
            words: false,
            summary: false,
            toc: false,
        };
        for (shown, counted, summary, toc) in [
            (none, false, "", 0),
            (
                Shown {
                    words: true,
                    ..none
                },
                true,
                "",
                0,
            ),
            (
                Shown {
                    summary: true,
                    ..none
                },
                false,
                all.summary.as_str(),
                0,
            ),
            (Shown { toc: true, ..none }, false, "", 1),
        ] {
            let doc = with(shown);
            assert_eq!(doc.html, all.html, "{shown:?}");
            assert_eq!(doc.first_h1, all.first_h1, "{shown:?}");
            let words = if counted { (all.words, 3) } else { (0, 0) };
            assert_eq!((doc.words, doc.cjk_chars), words, "{shown:?}");
            assert_eq!(doc.summary, summary, "{shown:?}");
            assert_eq!(doc.toc.len(), toc, "{shown:?}");
        }
    }

    #[test]
    fn short_comments_are_not_the_more_marker() {
        for text in ["foo <!--> bar\n", "<!--->\n", "<!---->\n", "a <!-- --> b\n"] {
            let doc = md(text).unwrap();
            assert!(!doc.html.is_empty(), "{text}");
        }
        assert_eq!(md("A\n\n<!--more-->\n\nB\n").unwrap().summary, "<p>A</p>\n");
    }

    /// The word count's rule, one character at a time over the whole text: what every text
    /// went through before its ASCII part was counted eight bytes at a time. (words, CJK).
    fn by_chars(parts: &[&str]) -> (usize, usize) {
        let (mut words, mut cjk, mut inside) = (0, 0, false);
        for c in parts.concat().chars() {
            if is_cjk(c) {
                words += 1;
                cjk += 1;
                inside = false;
            } else if c.is_alphanumeric() {
                words += usize::from(!inside);
                inside = true;
            } else if c.is_whitespace() || !(c == '\'' || c == '’' || c == '-') {
                inside = false;
            }
        }
        (words, cjk)
    }

    /// `parts` counted as the text events of one document.
    fn counted(parts: &[&str]) -> (usize, usize) {
        let mut doc = Doc::default();
        let mut in_word = false;
        for p in parts {
            count_words(p, &mut doc, &mut in_word);
        }
        (doc.words, doc.cjk_chars)
    }

    #[test]
    fn words_are_counted_as_the_character_rule_counts_them() {
        let cases: &[&[&str]] = &[
            &["it's a well-known fact"],
            &["-a --b c-- 'd' e'f g-h-i"],
            &["split ac", "ross calls", " and-", "-on"],
            &["x", "-", "y", " ", "'", "z"],
            &["", "  ", "1984 r2d2 a_b"],
        ];
        for parts in cases {
            assert_eq!(counted(parts), by_chars(parts), "{parts:?}");
        }
        // Every ASCII byte at every position of the eight-byte blocks, then text mixing ASCII,
        // CJK and other scripts; each split at a random character boundary.
        let ascii: Vec<char> = (0..128u8).chain(*b"aZ9'- -a'").map(char::from).collect();
        let mixed: Vec<char> = "aZ9 '-.é中’ーx y\u{a0}ß".chars().collect();
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15);
        for alphabet in [&ascii, &mixed] {
            for _ in 0..3000 {
                let len = rng.below(40);
                let text: String = (0..len).map(|_| *rng.pick(alphabet)).collect();
                let cuts: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let cut = *rng.pick(&cuts);
                let parts = [&text[..cut], &text[cut..]];
                assert_eq!(counted(&parts), by_chars(&parts), "{parts:?}");
            }
        }
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
        // At the URL, where the author wrote it.
        assert_eq!(err.to_string(), "p.md:3:9: link error: no page `c.md`");
    }

    #[test]
    fn footnotes_are_numbered_namespaced_and_link_back() {
        let doc = md("# PPP\n\nOne[^ppp] two[^1] again[^ppp] none[^x].\n\n[^1]: First.\n[^ppp]: Second *note*.\n[^unused]: Never cited.\n").unwrap();
        let h = &doc.html;
        assert!(h.contains("<h1 id=\"ppp\">"), "{h}");
        assert!(
            h.contains("One<sup class=\"footnote-ref\"><a href=\"#fn-ppp\" id=\"fnref-ppp\">1</a></sup> two<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">2</a></sup> again<sup class=\"footnote-ref\"><a href=\"#fn-ppp\" id=\"fnref-ppp-1\">1</a></sup> none[^x]."),
            "{h}"
        );
        assert!(
            h.ends_with("<div class=\"footnotes\">\n<ol>\n<li id=\"fn-ppp\">\n<p>Second <em>note</em>. <a href=\"#fnref-ppp\" class=\"footnote-backref\">↩\u{FE0E}</a> <a href=\"#fnref-ppp-1\" class=\"footnote-backref\">↩\u{FE0E}<sup>2</sup></a></p>\n</li>\n<li id=\"fn-1\">\n<p>First. <a href=\"#fnref-1\" class=\"footnote-backref\">↩\u{FE0E}</a></p>\n</li>\n</ol>\n</div>\n"),
            "{h}"
        );
        assert!(!h.contains("Never cited"));
        // A heading that takes a footnote's id first keeps it; the note moves aside.
        let doc = md("## fn ppp\n\nx[^ppp]\n\n[^ppp]: n\n").unwrap();
        assert!(doc.html.contains("<h2 id=\"fn-ppp\">"), "{}", doc.html);
        assert!(doc.html.contains("<li id=\"fn-ppp-1\">"), "{}", doc.html);
        // The summary carries no footnote links (the notes are not on listing pages).
        assert_eq!(doc.summary, "<p>x</p>\n");
    }

    #[test]
    fn summary_inside_a_block_ends_with_the_block() {
        let doc = md("- one\n- two\n  <!-- more -->\n- three\n\nafter\n").unwrap();
        assert_eq!(
            doc.summary,
            "<ul>\n<li>one</li>\n<li>two</li>\n<li>three</li>\n</ul>\n"
        );
        let doc = md("> quote\n>\n> <!-- more -->\n>\n> rest\n\nafter\n").unwrap();
        assert_eq!(
            doc.summary,
            "<blockquote>\n<p>quote</p>\n<p>rest</p>\n</blockquote>\n"
        );
        let doc = md("Para with <!-- more --> inline.\n\nNext.\n").unwrap();
        assert_eq!(doc.summary, "<p>Para with  inline.</p>\n");
    }

    #[test]
    fn literal_shortcodes_in_text_html_and_autolinks() {
        let doc = md("a \\{{ range(10) }} b\n\n<div title=\"\\{{ x() }}\">\\{{ y() }}</div>\n\n<https://x.org/\\{{z()}}>\n\n`\\{{ c() }}` and `{{ d() }}`\n").unwrap();
        let h = &doc.html;
        assert!(h.contains("<p>a {{ range(10) }} b</p>"), "{h}");
        assert!(
            h.contains("<div title=\"{{ x() }}\">{{ y() }}</div>"),
            "{h}"
        );
        assert!(
            h.contains("<a href=\"https://x.org/%7B%7Bz()%7D%7D\">https://x.org/{{z()}}</a>"),
            "{h}"
        );
        assert!(
            h.contains("<code>{{ c() }}</code> and <code>{{ d() }}</code>"),
            "{h}"
        );
        let doc = md("```\n\\{{#include a.rs}}\n\\\\{{#include b.rs}}\n{{ e() }}\n```\n").unwrap();
        assert!(
            doc.html
                .contains(">{{#include a.rs}}\n\\\\{{#include b.rs}}\n{{ e() }}\n</code>"),
            "{}",
            doc.html
        );
    }

    #[test]
    fn private_use_characters_are_the_authors() {
        let doc =
            md("## a\u{E000}0\u{E001}b {{ fig(id=\"x\") }}\n\nXshortcodeX0XshortcodeX\n").unwrap();
        // The id drops private-use characters (GitHub's rule); the heading keeps them.
        assert!(
            doc.html
                .contains("<h2 id=\"a0b\">a\u{E000}0\u{E001}b <b>fig</b></h2>"),
            "{}",
            doc.html
        );
        assert!(
            doc.html.contains("<p>XshortcodeX0XshortcodeX</p>"),
            "{}",
            doc.html
        );
    }

    #[test]
    fn raw_html_links_resolve_and_email_autolinks_stay() {
        let doc = md("<a href=\"b.md\">b</a> <a@b.example.com> [m](mailto:x@y.org)\n\n<p>\n<img src=\"https://x.org/a.png\">\n</p>\n").unwrap();
        let h = &doc.html;
        assert!(h.contains("<a href=\"../b/index.html\">b</a>"), "{h}");
        assert!(
            h.contains("<a href=\"mailto:a@b.example.com\">a@b.example.com</a>"),
            "{h}"
        );
        assert!(h.contains("<img src=\"https://x.org/a.png\">"), "{h}");
        let err = md("x\n\n<div>\n  <img\n    src=\"c.md\">\n</div>\n").unwrap_err();
        assert_eq!(err.to_string(), "p.md:5:10: link error: no page `c.md`");
        let err = md("see [c][ref]\n\n[ref]:\n  c.md\n").unwrap_err();
        assert_eq!(err.to_string(), "p.md:4:3: link error: no page `c.md`");
    }

    #[test]
    fn broken_links_allowed_are_warnings() {
        let text = "[c](c.md) <img src=\"d.md\">\n";
        let doc = render(
            SourceText {
                path: Path::new("p.md"),
                text,
            },
            0..text.len(),
            &mut TestHost {
                lenient: true,
                ..TestHost::new()
            },
            &mut Ids::default(),
        )
        .unwrap();
        assert_eq!(doc.warnings.len(), 2);
        assert!(doc.html.contains("href=\"c.md\""));
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
