//! Footnotes as GitHub renders them: numbered in the order they are first cited, listed at the
//! end of the page, each with a link back to every place that cites it. Their ids are namespaced
//! (`fn-…`, `fnref-…`) and drawn from the page's ids, so `[^ppp]` never collides with `## PPP`.

use pulldown_cmark::{CowStr, Event, TagEnd};

use super::slug::{Ids, slugify};
use crate::escape;

/// Footnote references and definitions collected while rendering a page.
#[derive(Default)]
pub struct Footnotes<'a> {
    /// Index in the page's events of each reference, and its label.
    pub refs: Vec<(usize, CowStr<'a>)>,
    /// Each definition's label (lowercased: labels match case-insensitively) and content.
    defs: Vec<(String, Vec<Event<'a>>)>,
}

impl<'a> Footnotes<'a> {
    pub fn define(&mut self, label: &str, content: Vec<Event<'a>>) {
        let key = label.to_lowercase();
        if !self.defs.iter().any(|(k, _)| *k == key) {
            self.defs.push((key, content));
        }
    }

    /// Replace each reference in `events` by its numbered link and return the list of notes to
    /// append (empty without references). Ids come after the headings', so headings keep theirs.
    /// A reference without a definition stays as the text it was written as; a definition nobody
    /// cites is left out.
    pub fn finish(self, events: &mut [Event<'a>], ids: &mut Ids) -> Vec<Event<'a>> {
        struct Note {
            id: String,
            refs: Vec<String>,
        }
        // Each cited definition (its index into defs) by first citation, so a note's number is
        // its place here. A page has a few notes: a list, not a map. Strings below are
        // concatenated, not formatted: `format!` was most of the cost of a page's one note.
        let mut notes: Vec<(usize, Note)> = Vec::new();
        for (at, label) in &self.refs {
            let key = label.to_lowercase();
            let Some(d) = self.defs.iter().position(|(k, _)| *k == key) else {
                events[*at] = Event::Text(CowStr::from(format!("[^{label}]")));
                continue;
            };
            let slug = match slugify(label) {
                s if s.is_empty() => (d + 1).to_string(),
                s => s,
            };
            let k = match notes.iter().position(|(n, _)| *n == d) {
                Some(k) => k,
                None => {
                    let id = ids.unique(&["fn-", &slug].concat());
                    notes.push((
                        d,
                        Note {
                            id,
                            refs: Vec::new(),
                        },
                    ));
                    notes.len() - 1
                }
            };
            let number = k + 1;
            let note = &mut notes[k].1;
            let ref_id = ids.unique(&["fnref-", &slug].concat());
            events[*at] = Event::Html(CowStr::from(
                [
                    "<sup class=\"footnote-ref\"><a href=\"#",
                    &escape::html(&note.id),
                    "\" id=\"",
                    &escape::html(&ref_id),
                    "\">",
                    &number.to_string(),
                    "</a></sup>",
                ]
                .concat(),
            ));
            note.refs.push(ref_id);
        }
        if notes.is_empty() {
            return Vec::new();
        }
        let mut defs: Vec<Option<Vec<Event<'a>>>> =
            self.defs.into_iter().map(|(_, e)| Some(e)).collect();
        // A `div`, not a `section`: a section needs a heading (the Nu Html Checker warns), and a
        // heading would need a word in every site language; the list is no landmark anyway.
        let mut out = vec![Event::Html(CowStr::from(
            "<div class=\"footnotes\">\n<ol>\n",
        ))];
        for (d, note) in notes {
            let mut content = defs[d].take().unwrap_or_default();
            let backrefs: String = note
                .refs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let n = match i {
                        0 => String::new(),
                        _ => ["<sup>", &(i + 1).to_string(), "</sup>"].concat(),
                    };
                    [
                        " <a href=\"#",
                        &escape::html(r),
                        "\" class=\"footnote-backref\">↩\u{FE0E}",
                        &n,
                        "</a>",
                    ]
                    .concat()
                })
                .collect();
            let backrefs = Event::InlineHtml(CowStr::from(backrefs));
            // Inside the note's last paragraph, as GitHub does, else after its content.
            if matches!(content.last(), Some(Event::End(TagEnd::Paragraph))) {
                content.insert(content.len() - 1, backrefs);
            } else {
                content.push(backrefs);
            }
            out.push(Event::Html(CowStr::from(
                ["<li id=\"", &escape::html(&note.id), "\">\n"].concat(),
            )));
            out.extend(content);
            out.push(Event::Html(CowStr::from("</li>\n")));
        }
        out.push(Event::Html(CowStr::from("</ol>\n</div>\n")));
        out
    }
}
