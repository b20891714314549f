//! Tera 2: the site's templates, loaded once, plus built-in shortcode templates that a same-named
//! file in `templates/` overrides. Template functions: `url`, `figure`, `source`; filters `tr`,
//! `date`, `json`.
//! Errors come back as `templates/<name>:line:col`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ArgFromValue, Context, Kwargs, State, Tera, TeraResult, Value};

use crate::config::Lang;
use crate::content::display_path;
use crate::error::{Error, Kind, Location, Unknown};
use crate::facts::Facts;
use crate::links::{AddressBook, OutputPath};
use crate::load::TextFile;
use crate::markdown::Shown;
use crate::template_help;

/// Templates the generator ships; a site file with the same name replaces one.
const BUILTIN: &[(&str, &str)] = &[
    ("shortcodes/fig.html", include_str!("builtin/fig.html")),
    ("shortcodes/cite.html", include_str!("builtin/cite.html")),
    ("shortcodes/chart.html", include_str!("builtin/chart.html")),
];

/// What is being rendered, for the template functions: where its output goes (`url()` makes
/// links relative to it), its language (`figure()`, `source()` and `tr` pick texts in it) and
/// the content file it is for (named in errors that have no template position).
///
/// Tera 2 gives functions only the template's variables, which a template can shadow; this is
/// handed to them out of band instead, for the duration of one [`Templates::render`] call on
/// the rendering thread.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    /// Output path of the file being rendered, `/`-separated (`zh/a/index.html`).
    pub dest: &'a OutputPath,
    /// The language of the page being rendered.
    pub lang: Lang,
    /// The content file the render is for, if any (the 404 page has none).
    pub source: Option<&'a Path>,
}

/// The owned copy of a [`RenderContext`] that template functions see.
#[derive(Debug, Clone)]
struct Current {
    dest: OutputPath,
    lang: Lang,
}

thread_local! {
    /// The render in progress on this thread (a shortcode renders while its page's markdown
    /// does, never inside another template render, but the previous value is restored anyway).
    static CURRENT: std::cell::RefCell<Option<Current>> = const { std::cell::RefCell::new(None) };
}

/// Sets [`CURRENT`] for the life of the guard, restoring what was there before (also on panic).
struct Entered(Option<Current>);

impl Entered {
    fn new(rc: &RenderContext) -> Entered {
        let now = Current {
            dest: rc.dest.clone(),
            lang: rc.lang,
        };
        Entered(CURRENT.with(|c| c.replace(Some(now))))
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        let before = self.0.take();
        CURRENT.with(|c| *c.borrow_mut() = before);
    }
}

/// The render in progress, or an error for a function called outside of one.
fn current<T>(f: impl FnOnce(&Current) -> T) -> TeraResult<T> {
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .map(f)
            .ok_or_else(|| tera::Error::message("can only be used while rendering a page"))
    })
}

pub struct Templates {
    tera: Tera,
    root: PathBuf,
    /// Names that came from the site (the rest are built in).
    site_names: Vec<String>,
    /// Every template's name and source (site and built-in), for dependency and usage scans.
    pub texts: Vec<(String, String)>,
    /// Which of the fields pages get from their markdown the templates may show.
    shown: Shown,
}

impl Templates {
    pub fn load(
        root: &Path,
        files: &[TextFile],
        links: Arc<AddressBook>,
        facts: Arc<Facts>,
        default_lang: Lang,
    ) -> Result<Templates, Error> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(escape_html);
        register(&mut tera, links, facts, default_lang);
        let site_names: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
        let mut all: Vec<(String, &str)> = files
            .iter()
            .map(|f| (f.rel.clone(), f.text.as_str()))
            .collect();
        for (name, text) in BUILTIN {
            if !site_names.iter().any(|n| n == name) {
                all.push((name.to_string(), text));
            }
        }
        let texts: Vec<(String, String)> = all
            .iter()
            .map(|(n, t)| (n.clone(), t.to_string()))
            .collect();
        let templates = Templates {
            tera: Tera::new(),
            root: root.to_path_buf(),
            site_names,
            shown: shown_in(&texts),
            texts,
        };
        tera.add_raw_templates(all)
            .map_err(|e| templates.load_error(&e))?;
        Ok(Templates { tera, ..templates })
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Whether any template may show `field` (`summary`, `word_count`, …) of a page other than
    /// the one it renders. Read from the texts, conservatively: every mention counts except
    /// `page.field` and `section.field` (the page's own) and an HTML element `<field>`, so a
    /// `map(attribute="summary")` or `x.page.summary` counts. A build renders markdown once
    /// only when no template shows such fields, and `serve` re-renders listings when one does.
    pub fn show_of_other_pages(&self, field: &str) -> bool {
        self.texts.iter().any(|(_, text)| !only_own(text, field))
    }

    /// Which of `word_count` and `reading_time`, `summary` and `toc` the templates may show,
    /// of any page: read from their texts ([`shown_in`]).
    pub fn shown(&self) -> Shown {
        self.shown
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tera.get_template_names()
    }

    /// Render `name` with the variables `ctx`, for the file described by `rc`.
    pub fn render(&self, name: &str, ctx: &Context, rc: &RenderContext) -> Result<String, Error> {
        self.render_sized(name, ctx, rc, 0)
    }

    /// [`Self::render`] into a buffer of `capacity` bytes to begin with: a page is its
    /// markdown's HTML and a little more, and growing Tera's buffer from the template's size
    /// copied each page several times.
    pub fn render_sized(
        &self,
        name: &str,
        ctx: &Context,
        rc: &RenderContext,
        capacity: usize,
    ) -> Result<String, Error> {
        let _entered = Entered::new(rc);
        if capacity == 0 {
            return self
                .tera
                .render(name, ctx)
                .map_err(|e| self.error(&e, rc.source));
        }
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| self.error(&e, rc.source))?;
        // Tera writes only strings: this never fails.
        String::from_utf8(out).map_err(|e| {
            let e = tera::Error::message(format!("template output is not UTF-8: {e}"));
            self.error(&e, rc.source)
        })
    }

    fn template_path(&self, name: &str) -> PathBuf {
        if self.site_names.iter().any(|n| n == name) {
            display_path(&self.root, &format!("templates/{name}"))
        } else {
            PathBuf::from(format!("(built-in template) {name}"))
        }
    }

    /// Errors found while loading come as Tera's rendered reports joined in one message
    /// ("error: msg\n --> name:line:col\n…"); split them back into located errors.
    fn load_error(&self, e: &tera::Error) -> Error {
        let tera::ErrorKind::Msg(text) = e.kind() else {
            return self.error(e, None);
        };
        let mut errors = Vec::new();
        for report in text.split("\n\nerror: ") {
            let report = report.strip_prefix("error: ").unwrap_or(report);
            let message = report.lines().next().unwrap_or("").to_string();
            let located = report.lines().find_map(|l| {
                let spot = l.trim_start().strip_prefix("--> ")?;
                let mut parts = spot.rsplitn(3, ':');
                let col = parts.next()?.parse::<usize>().ok()?;
                let line = parts.next()?.parse::<usize>().ok()?;
                Some((parts.next()?.to_string(), line, col))
            });
            errors.push(match located {
                Some((name, line, col)) => self.taught(&name, line, col, &message, true, None),
                None => Error::input(
                    Kind::Template,
                    Location::file(display_path(&self.root, "templates")),
                    message,
                ),
            });
        }
        Error::collect(errors).expect_err("at least one report")
    }

    /// Tera's `message` at `line:col` of template `name`, restated by `template_help` (named
    /// unknowns, closest names, unclosed delimiters at their opening); `also` is added to the
    /// help.
    fn taught(
        &self,
        name: &str,
        line: usize,
        col: usize,
        message: &str,
        syntax: bool,
        also: Option<String>,
    ) -> Error {
        let text = self
            .texts
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| t.as_str());
        let t = if syntax {
            template_help::syntax(text, line, col, message)
        } else {
            template_help::teach(text, line, col, message)
        };
        let at = Location::at(self.template_path(name), t.line, t.col);
        let help = match (t.help, also) {
            (Some(h), Some(a)) => Some(format!("{h}; {a}")),
            (h, a) => h.or(a),
        };
        let err = Error::input(Kind::Template, at, t.message);
        match help {
            Some(h) => err.with_help(h),
            None => err,
        }
    }

    /// A circle of `{% extends %}` or `{% include %}` tags (`keyword`), as Tera reports it: `chain`
    /// is the path it followed from `start`, ending at the first template seen twice. Reported at
    /// the tag that leads back to the circle's first template (in sort order), naming the circle
    /// only.
    fn cycle(&self, keyword: &str, start: &str, chain: &[String]) -> (Location, String) {
        let Some(again) = chain.last() else {
            return (
                Location::file(self.template_path(start)),
                format!("templates {keyword} each other in a circle"),
            );
        };
        // The chain may begin before the circle (a template extending one in it), or omit the
        // start when the circle comes back to it.
        let mut circle: Vec<&str> = chain.iter().map(String::as_str).collect();
        if let Some(first) = circle.iter().position(|n| n == again)
            && first + 1 < circle.len()
        {
            circle.drain(..first);
        } else {
            circle.insert(0, start);
        }
        // Tera starts from whichever template it checks first (hash order): start the circle at
        // its first name in sort order, so the report is the same on every run.
        circle.pop();
        if let Some(min) = (0..circle.len()).min_by_key(|&i| circle[i]) {
            circle.rotate_left(min);
        }
        let again = circle.first().copied().unwrap_or(again.as_str());
        circle.push(again);
        let closer = circle[circle.len().saturating_sub(2)];
        let text = self
            .texts
            .iter()
            .find(|(n, _)| n == closer)
            .map_or("", |(_, t)| t.as_str());
        let path = self.template_path(closer);
        let at = match tag_position(text, keyword, again) {
            Some((line, col)) => Location::at(path, line, col),
            None => Location::file(path),
        };
        let verb = if keyword == "extends" {
            "extend"
        } else {
            keyword
        };
        (
            at,
            format!(
                "templates {verb} each other in a circle: {}",
                circle.join(" → ")
            ),
        )
    }

    /// Turn a Tera error into ours, at the template's line and column where Tera knows it.
    fn error(&self, e: &tera::Error, for_file: Option<&Path>) -> Error {
        use tera::ErrorKind as K;
        let fallback = || match for_file {
            Some(f) => Location::file(f),
            None => Location::file(display_path(&self.root, "templates")),
        };
        let rendering = |at: &Location| match for_file {
            Some(f) if at.path != f => Some(format!("while rendering {}", f.display())),
            _ => None,
        };
        let (at, message) = match e.kind() {
            K::SyntaxError(r) | K::RenderingError(r) if !r.filename().is_empty() => {
                let span = r.span();
                let mut message = r.message().to_string();
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    message.push_str(&format!(": {s}"));
                    source = s.source();
                }
                let syntax = matches!(e.kind(), K::SyntaxError(_));
                let path = self.template_path(r.filename());
                let also = rendering(&Location::file(path));
                return self.taught(
                    r.filename(),
                    span.start_line,
                    span.start_col + 1,
                    &message,
                    syntax,
                    also,
                );
            }
            K::SyntaxError(r) | K::RenderingError(r) => (fallback(), r.message().to_string()),
            K::TemplateNotFound(name) => (fallback(), format!("template `{name}` does not exist")),
            K::MissingParent { current, parent } => (
                Location::file(self.template_path(current)),
                format!("extends `{parent}`, which does not exist"),
            ),
            K::CircularExtend {
                tpl,
                inheritance_chain,
            } => self.cycle("extends", tpl, inheritance_chain),
            K::CircularInclude { tpl, include_chain } => self.cycle("include", tpl, include_chain),
            other => (fallback(), other.to_string()),
        };
        let mut message = message;
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message.push_str(&format!(": {s}"));
            source = s.source();
        }
        let also = rendering(&at);
        let err = Error::input(Kind::Template, at, message);
        match also {
            Some(h) => err.with_help(h),
            None => err,
        }
    }
}

/// Tera's HTML escaping, with NUL (which HTML and XML forbid; a YAML `"\0"` makes one) turned
/// into U+FFFD, as CommonMark does in markdown.
fn escape_html(input: &str, buf: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Most values printed (titles, dates, names) have nothing to escape: written as they are,
    // without the escaper's setup for each (a title is printed a dozen times on every page).
    if !input
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0))
    {
        return buf.write_all(input.as_bytes());
    }
    // memchr: `contains(char)` goes byte by byte, for every value every template prints.
    if memchr::memchr(0, input.as_bytes()).is_some() {
        tera::escape_html(&input.replace('\0', "\u{FFFD}"), buf)
    } else {
        tera::escape_html(input, buf)
    }
}

/// Line and column of the first `{% keyword "target" %}` tag in template `text` (outside
/// comments and raw blocks); a tag naming several templates (`include ["a", "b"]`) counts when
/// one of them is `target`.
fn tag_position(text: &str, keyword: &str, target: &str) -> Option<(usize, usize)> {
    let mut rest = 0;
    let mut raw = false;
    while let Some(open) = text.get(rest..)?.find('{').map(|i| rest + i) {
        let after = text.get(open + 1..)?;
        // What follows `{#` or `{%` (a close right after the opening does not count).
        let body = after.get(1..).unwrap_or("");
        if after.starts_with('#') && !raw {
            rest = open + 2 + body.find("#}")? + 2;
            continue;
        }
        if !after.starts_with('%') {
            rest = open + 1;
            continue;
        }
        let end = body.find("%}")?;
        let tag = body.get(..end)?;
        rest = open + 2 + end + 2;
        let tag = tag.trim_start_matches('-').trim_end_matches('-').trim();
        let word = tag.split(|c: char| !c.is_alphanumeric() && c != '_').next();
        if raw {
            raw = word != Some("endraw");
            continue;
        }
        match word {
            Some("raw") => raw = true,
            Some(w) if w == keyword => {
                let names = tag.get(w.len()..).unwrap_or("");
                let named = names
                    .split(['"', '\'', '`'])
                    .skip(1)
                    .step_by(2)
                    .any(|n| n == target);
                if named {
                    return Some(crate::error::line_col(text, open));
                }
            }
            _ => {}
        }
    }
    None
}

/// The keyword arguments named `names`, found in one pass over those given (a call has one or
/// two): `Kwargs::get` hashes each name (SipHash), and `url()` is called for every link of
/// every page.
fn args<'k, const N: usize>(kwargs: &'k Kwargs, names: [&str; N]) -> [Option<&'k Value>; N] {
    let mut found = [None; N];
    for (key, value) in kwargs.iter() {
        if let Some(i) = names.iter().position(|n| key.as_str() == Some(*n)) {
            found[i] = Some(value);
        }
    }
    found
}

fn register(tera: &mut Tera, links: Arc<AddressBook>, facts: Arc<Facts>, default_lang: Lang) {
    let lang_of = || current(|c| c.lang);

    // url(path="about.md", lang="zh"): relative URL from the page being rendered.
    let l = links.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            // Called for every link of every page: borrow, do not format values into Strings.
            let [path, lang_arg] = args(&kwargs, ["path", "lang"]);
            let path: &str = match path {
                Some(v) => <&str>::from_value(v)?,
                // Not given: Tera's own missing-argument error.
                None => kwargs.must_get::<&str>("path")?,
            };
            let lang_arg = lang_arg.map(<&str>::from_value).transpose()?;
            let named = match lang_arg {
                Some(code) => Some(l.lang(code).ok_or_else(|| {
                    tera::Error::message(format!(
                        "`lang=\"{code}\"` is not a language of this site (its languages are {})",
                        l.codes().join(", ")
                    ))
                })?),
                None => None,
            };
            current(|c| {
                let lang = named.unwrap_or(c.lang);
                l.resolve(&c.dest, path, lang).map_err(tera::Error::message)
            })?
        },
    );

    // figure(id="…"): a figure from figures.yaml, formatted for the page's language;
    // source(id="…"): a source from sources.yaml, its texts in the page's language.
    let by_id = |value: fn(&Facts, &str, &str) -> Result<Value, Unknown>| {
        let f = facts.clone();
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let id: &str = kwargs.must_get::<&str>("id")?;
            let lang = lang_of()?;
            value(&f, id, lang.as_str()).map_err(|u| tera::Error::message(u.to_string()))
        }
    };
    tera.register_function(
        "figure",
        by_id(|f, id, lang| Ok(figure_value(f.find_figure(id)?, f, lang))),
    );
    tera.register_function(
        "source",
        by_id(|f, id, lang| Ok(source_value(f.find_source(id)?, lang))),
    );

    // {{ text | tr }}: pick the page's language from a per-language map; strings pass through.
    tera.register_filter(
        "tr",
        move |value: &Value, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let lang = match kwargs.get::<&str>("lang")? {
                Some(l) => l.to_string(),
                None => lang_of()?.to_string(),
            };
            match value.as_map() {
                Some(map) => Ok(map
                    .get(&tera::value::Key::from(lang))
                    .or_else(|| map.get(&tera::value::Key::from(default_lang.to_string())))
                    .cloned()
                    .unwrap_or_else(Value::none)),
                None => Ok(value.clone()),
            }
        },
    );

    // {{ page.date | date }}: a date in the page's language, from CLDR: `format="long"` (the
    // default), "short", "year", or an explicit strftime pattern ("%Y-%m-%d").
    tera.register_filter(
        "date",
        move |value: &Value, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            // A locale, not only a language of the site: dates format in any.
            let lang = match kwargs.get::<String>("lang")? {
                Some(l) => l,
                None => lang_of()?.to_string(),
            };
            let text = value.as_str().ok_or_else(|| {
                tera::Error::message("the `date` filter takes a date written as text (YYYY-MM-DD)")
            })?;
            let date: crate::dates::Date = text.parse().map_err(|why| {
                tera::Error::message(format!("`{text}` is not a date: {why}"))
            })?;
            let format = kwargs.get::<String>("format")?;
            let out = match format.as_deref() {
                None | Some("long") => date.format(&lang, crate::dates::DateStyle::Long),
                Some("short") => date.format(&lang, crate::dates::DateStyle::Short),
                Some("year") => date.format(&lang, crate::dates::DateStyle::Year),
                Some(pattern) if pattern.contains('%') => date
                    .strftime(pattern)
                    .map_err(|e| tera::Error::message(format!("date pattern `{pattern}`: {e}")))?,
                Some(other) => {
                    return Err(tera::Error::message(format!(
                        "unknown date format `{other}`: use long, short, year or a pattern such as \"%Y-%m-%d\""
                    )));
                }
            };
            Ok(Value::from(out.as_str()))
        },
    );

    // {{ value | json }}: JSON for a <script type="application/ld+json">; `<` escaped so the
    // text can never close the script element.
    tera.register_filter(
        "json",
        |value: &Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            let json =
                serde_json::to_string(value).map_err(|e| tera::Error::message(e.to_string()))?;
            Ok(Value::safe_string(
                &json
                    .replace('<', "\\u003c")
                    .replace('>', "\\u003e")
                    .replace('&', "\\u0026"),
            ))
        },
    );
}

pub fn figure_value(fig: &crate::facts::Figure, facts: &Facts, lang: &str) -> Value {
    let source = facts.source(&fig.source).map(|s| source_value(s, lang));
    let mut map = tera::Map::new();
    map.insert("id".into(), Value::from(fig.id.as_str()));
    map.insert("display".into(), Value::from(fig.display(lang).as_str()));
    map.insert("machine".into(), Value::from(fig.machine().as_str()));
    map.insert("label".into(), Value::from(fig.label.of(lang)));
    map.insert("quote".into(), Value::from(fig.quote.as_str()));
    map.insert(
        "as_of".into(),
        fig.as_of.as_deref().map_or_else(Value::none, Value::from),
    );
    map.insert(
        "note".into(),
        fig.note
            .as_ref()
            .map_or_else(Value::none, |n| Value::from(n.of(lang))),
    );
    map.insert("source_id".into(), Value::from(fig.source.as_str()));
    map.insert("source".into(), source.unwrap_or_else(Value::none));
    Value::from(map)
}

pub fn source_value(s: &crate::facts::Source, lang: &str) -> Value {
    let opt = |t: &Option<crate::text::Text>| {
        t.as_ref()
            .map_or_else(Value::none, |t| Value::from(t.of(lang)))
    };
    let mut map = tera::Map::new();
    map.insert("id".into(), Value::from(s.id.as_str()));
    map.insert(
        "kind".into(),
        s.kind.as_deref().map_or_else(Value::none, Value::from),
    );
    map.insert("title".into(), Value::from(s.title.of(lang)));
    map.insert("author".into(), opt(&s.author));
    map.insert("publisher".into(), opt(&s.publisher));
    map.insert(
        "date".into(),
        s.date.as_deref().map_or_else(Value::none, Value::from),
    );
    map.insert(
        "url".into(),
        s.url.as_deref().map_or_else(Value::none, Value::from),
    );
    map.insert("note".into(), opt(&s.note));
    Value::from(map)
}

/// Which fields from pages' markdown `texts` may show. Conservatively: a field counts as shown
/// when any template names it anywhere (`page.toc`, `p.word_count`, a comment) but as an HTML
/// element (`<summary>`), and all of them do when a template may reach a page's fields without
/// naming them: by a key held in a variable (`page[key]`, the `get` filter), through `values`,
/// `pairs` or `json`, by looping over a map's keys and values, or by printing a page's map whole
/// (`{{ page }}`). A page's map printed whole under another name is not seen.
fn shown_in(texts: &[(String, String)]) -> Shown {
    // ASCII classes (`(?-u)`), over bytes: Unicode's tables took a millisecond to compile.
    static UNNAMED: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(concat!(
            r"(?-u)",
            // A filter that reads a map's fields by a key given to it, or all of them (`json`
            // writes them all).
            r"(\|\s*(get|values|pairs|json)\b",
            // A subscript that is not a literal, inside a tag: `page[key]`.
            r"|\{[{%][^}]*\[\s*[^\s\d\x22'\]-]",
            // `{% for key, value in page %}`.
            r"|\{%-?\s*for\s+\w+\s*,",
            // `{{ page }}`, `{{ section | … }}`.
            r"|\{\{-?\s*(page|section)\s*(\||-?\}\}))",
        ))
        .expect("a valid pattern")
    });
    // An HTML element (`<summary>`, in the built-in chart's data table) is not the field.
    let names = |fields: &[&str]| {
        texts.iter().any(|(_, t)| {
            fields
                .iter()
                .any(|f| t.match_indices(f).any(|(i, _)| !names_element(t, i)))
        })
    };
    if texts.iter().any(|(_, t)| UNNAMED.is_match(t.as_bytes())) {
        return Shown::ALL;
    }
    Shown {
        words: names(&["word_count", "reading_time"]),
        summary: names(&["summary"]),
        toc: names(&["toc"]),
    }
}

/// Whether the name at byte `at` of `text` is an HTML element's (`<summary>`, `</summary>`).
fn names_element(text: &str, at: usize) -> bool {
    let before = &text[..at];
    before.ends_with('<') || before.ends_with("</")
}

/// Whether every mention of `field` in `text` is the page's own field or an HTML element.
fn only_own(text: &str, field: &str) -> bool {
    text.match_indices(field).all(|(i, _)| {
        if names_element(text, i) {
            return true;
        }
        let before = &text[..i];
        let Some(owner_end) = before.strip_suffix('.') else {
            return false;
        };
        // After the last character that cannot be in a name (which may be wider than a byte).
        let owner_start = owner_end
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let owner = &owner_end[owner_start..];
        // `x.page.summary` is another object's `page`.
        let qualified = owner_end[..owner_start].ends_with('.');
        !qualified && (owner == "page" || owner == "section")
    })
}

#[cfg(test)]
mod tests {
    use super::{only_own, shown_in, tag_position};
    use crate::markdown::Shown;

    #[test]
    fn fields_count_as_shown_when_named_or_reachable_unnamed() {
        let shown = |text: &str| shown_in(&[("t.html".to_string(), text.to_string())]);
        let none = Shown {
            words: false,
            summary: false,
            toc: false,
        };
        for (text, want) in [
            ("{{ page.title }} {{ page.content | safe }}", none),
            // An HTML element, prose, CSS and literal subscripts name no field.
            ("<details><summary>Data</summary></details>", none),
            (
                "for example, a[href] {{ pages[0].title }} {{ page[\"title\"] }}",
                none,
            ),
            (
                "{{ page.word_count }}",
                Shown {
                    words: true,
                    ..none
                },
            ),
            (
                "{{ p.reading_time }} min",
                Shown {
                    words: true,
                    ..none
                },
            ),
            (
                "{{ page.summary | safe }}",
                Shown {
                    summary: true,
                    ..none
                },
            ),
            (
                "{# summary #}",
                Shown {
                    summary: true,
                    ..none
                },
            ),
            (
                "{% for h in page.toc %}{% endfor %}",
                Shown { toc: true, ..none },
            ),
            ("{{ page[key] }}", Shown::ALL),
            ("{{ page | get(key=k) }}", Shown::ALL),
            ("{{ page|values|join(sep=\",\") }}", Shown::ALL),
            ("<script>{{ page | json | safe }}</script>", Shown::ALL),
            ("{% for k, v in page %}{{ v }}{% endfor %}", Shown::ALL),
            ("{{ page }}", Shown::ALL),
            ("{{- section | safe -}}", Shown::ALL),
        ] {
            assert_eq!(shown(text), want, "{text}");
        }
        // Any template naming a field shows it: the built-in chart's `<summary>` does not.
        let texts: Vec<(String, String)> = super::BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .chain([("page.html".into(), "{{ page.toc }}".into())])
            .collect();
        assert_eq!(shown_in(&texts), Shown { toc: true, ..none });
    }

    #[test]
    fn only_the_pages_own_fields_are_its_own() {
        for own in [
            "{{ page.summary }}",
            "{{ section.word_count }} {{page.summary|safe}} {{ section.summary }}",
            "<details><summary>Data</summary></details>",
            "no mention at all",
            "。page.summary 「section.summary」",
        ] {
            assert!(
                ["summary", "word_count"].iter().all(|f| only_own(own, f)),
                "{own}"
            );
        }
        for others in [
            "{% for p in site.pages %}{{ p.summary }}{% endfor %}",
            "{{ site.pages | map(attribute=\"summary\") }}",
            "{{ x.page.summary }}",
            "{{ subpage.summary }}",
            "{{ summary }}",
            "<meta name=\"twitter:card\" content=\"summary\">",
            "。x.summary",
            "中page.summary",
        ] {
            assert!(!only_own(others, "summary"), "{others}");
        }
    }

    #[test]
    fn finds_the_tag_that_names_a_template() {
        let t = "{# {% extends \"a.html\" %} #}\n{% raw %}{% include \"a.html\" %}{% endraw %}\n  {%- include ['b.html', \"a.html\"] -%}";
        assert_eq!(tag_position(t, "include", "a.html"), Some((3, 3)));
        assert_eq!(tag_position(t, "extends", "a.html"), None);
        assert_eq!(
            tag_position("x {% extends 'ä.html' %}", "extends", "ä.html"),
            Some((1, 3))
        );
        // Unclosed tags and comments end the search, never panic.
        assert_eq!(tag_position("{% include \"a", "include", "a"), None);
        assert_eq!(tag_position("{# x", "include", "a"), None);
        assert_eq!(tag_position("{", "include", "a"), None);
        assert_eq!(tag_position("{#}", "include", "a"), None);
        // A tag right after a comment or another tag.
        let t = "{# c #}{% include 'a' %}";
        assert_eq!(tag_position(t, "include", "a"), Some((1, 8)));
        let t = "{%- if x -%}{% include 'a' %}{%}";
        assert_eq!(tag_position(t, "include", "a"), Some((1, 13)));
    }
}
