//! The corpus generator behind `examples/gen_corpus` (see its `main.rs`); `tests/corpus.rs`
//! uses it too, so the corpus the benchmark times is the corpus the tests build.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Every page with this index modulo is given a figure (and its citation).
pub const FIGURE_EVERY: usize = 10;
/// Every page with this index modulo is given a chart.
pub const CHART_EVERY: usize = 50;

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

const WORDS: &[&str] = &[
    "adoption",
    "model",
    "price",
    "market",
    "users",
    "compute",
    "chips",
    "policy",
    "diffusion",
    "industry",
    "factory",
    "software",
    "open",
    "weights",
    "cost",
    "energy",
    "data",
    "training",
    "inference",
    "service",
    "public",
    "private",
    "company",
    "government",
    "growth",
    "share",
    "survey",
    "workers",
    "students",
    "schools",
    "hospitals",
    "farms",
    "ports",
    "logistics",
    "platform",
    "subscription",
    "free",
    "paid",
    "tier",
    "access",
    "network",
    "province",
    "city",
    "county",
    "export",
    "import",
    "tariff",
    "capital",
    "investment",
    "return",
    "risk",
    "scale",
    "speed",
    "quality",
    "benchmark",
    "evaluation",
    "deployment",
    "engineer",
    "research",
    "lab",
    "university",
    "license",
    "standard",
    "protocol",
    "cloud",
    "device",
    "phone",
    "robot",
    "vehicle",
    "grid",
    "power",
    "plant",
    "supply",
    "demand",
    "budget",
    "subsidy",
    "program",
    "the",
    "the",
    "the",
    "of",
    "of",
    "and",
    "and",
    "to",
    "in",
    "in",
    "a",
    "a",
    "for",
    "with",
    "that",
    "is",
    "are",
    "was",
    "on",
    "by",
    "as",
    "from",
    "more",
    "than",
    "most",
    "many",
    "few",
    "every",
    "each",
    "new",
    "old",
    "large",
    "small",
    "early",
    "late",
    "first",
    "last",
    "cheap",
    "costly",
    "broad",
    "narrow",
    "fast",
    "slow",
    "local",
    "national",
    "global",
    "shared",
];

const HEADINGS: &[&str] = &[
    "Costs and prices",
    "Who uses it",
    "What the numbers say",
    "Factories and farms",
    "The policy side",
    "Open weights",
    "Compute and chips",
    "Schools and hospitals",
    "What comes next",
    "A closer look",
    "Counting users",
    "The wider picture",
];

const CHINESE: &[&str] = &[
    "人工智能",
    "扩散",
    "免费",
    "付费",
    "用户",
    "模型",
    "开源",
    "工厂",
    "农村",
    "学校",
    "医院",
    "价格",
    "算力",
    "芯片",
    "政策",
    "市场",
    "应用",
    "普及",
    "领先",
    "通用技术",
    "企业",
    "政府",
    "投资",
    "数据",
    "能源",
    "城市",
    "地方",
    "全国",
    "世界",
    "发展",
];

#[derive(Clone, Copy, PartialEq)]
pub enum Flavour {
    Explainer,
    Hugo,
}

pub struct Corpus {
    pages: usize,
    sections: usize,
    seed: u64,
}

/// Where page `n` lives: its section and its number in the section.
fn place(n: usize, sections: usize) -> (usize, usize) {
    (n % sections, n / sections)
}

fn section_dir(s: usize) -> String {
    format!("topic-{s:02}")
}

fn page_file(i: usize) -> String {
    format!("page-{i:05}.md")
}

impl Corpus {
    pub fn new(pages: usize, sections: usize, seed: u64) -> Corpus {
        Corpus {
            pages,
            sections,
            seed,
        }
    }

    pub fn write(&self, dir: &Path, flavour: Flavour) -> std::io::Result<()> {
        let content = dir.join("content");
        for s in 0..self.sections {
            fs::create_dir_all(content.join(section_dir(s)))?;
        }
        fs::write(content.join("_index.md"), self.home())?;
        for s in 0..self.sections {
            fs::write(
                content.join(section_dir(s)).join("_index.md"),
                format!(
                    "---\ntitle: Topic {s}\nweight: {s}\ndescription: The pages of topic {s}.\n---\nThe pages about topic {s}, in order.\n"
                ),
            )?;
        }
        let mut figures = String::new();
        let mut charts = String::new();
        for n in 0..self.pages {
            let (s, i) = place(n, self.sections);
            let text = self.page(n, flavour, &mut figures, &mut charts);
            fs::write(content.join(section_dir(s)).join(page_file(i)), text)?;
        }
        let sources = "- id: survey\n  title: The diffusion survey\n  date: \"2025\"\n- id: census\n  title: The industry census\n  date: \"2024\"\n";
        match flavour {
            Flavour::Explainer => {
                fs::create_dir_all(content.join("data"))?;
                fs::write(content.join("data/figures.yaml"), &figures)?;
                fs::write(content.join("data/sources.yaml"), sources)?;
                fs::write(content.join("data/charts.yaml"), &charts)?;
                fs::write(
                    dir.join("site.yaml"),
                    "title: Generated corpus\ndescription: A generated site for benchmarks\nlanguages:\n  - {code: en, name: English}\n",
                )?;
                write_templates(dir)
            }
            Flavour::Hugo => {
                fs::create_dir_all(dir.join("data"))?;
                fs::write(dir.join("data/figures.yaml"), &figures)?;
                fs::write(dir.join("data/sources.yaml"), sources)?;
                fs::write(dir.join("data/charts.yaml"), &charts)?;
                write_hugo(dir)
            }
        }
    }

    fn home(&self) -> String {
        let mut t = String::from(
            "---\ntitle: Generated corpus\n---\nA generated site for benchmarks. Its topics:\n\n",
        );
        for s in 0..self.sections {
            writeln!(t, "- [Topic {s}]({}/_index.md)", section_dir(s)).unwrap();
        }
        t
    }

    /// A link from page `n` to page `m`, written to its markdown file.
    fn link(&self, n: usize, m: usize) -> String {
        let (s, _) = place(n, self.sections);
        let (ts, ti) = place(m, self.sections);
        if s == ts {
            page_file(ti)
        } else {
            format!("../{}/{}", section_dir(ts), page_file(ti))
        }
    }

    fn page(
        &self,
        n: usize,
        flavour: Flavour,
        figures: &mut String,
        charts: &mut String,
    ) -> String {
        let mut rng = Rng(self.seed ^ (n as u64).wrapping_mul(0xA076_1D64_78BD_642F));
        let (s, i) = place(n, self.sections);
        let words_target = rng.range(600, 900);
        let mut words = 0;
        let mut t = String::with_capacity(7000);
        let date = format!("20{:02}-{:02}-{:02}", 20 + n % 6, 1 + n % 12, 1 + n % 28);
        writeln!(
            t,
            "---\ntitle: \"Topic {s}, note {i}\"\ndate: {date}\nweight: {i}\ndescription: \"Note {i} on topic {s}.\"\n---"
        )
        .unwrap();
        let para = |rng: &mut Rng, t: &mut String, count: usize| {
            for k in 0..count {
                let w = rng.pick(WORDS);
                if k == 0 {
                    let mut c = w.chars();
                    let first = c.next().map(|c| c.to_ascii_uppercase()).unwrap_or('A');
                    t.push(first);
                    t.push_str(c.as_str());
                } else {
                    t.push(' ');
                    match rng.range(0, 40) {
                        0 => write!(t, "**{w}**").unwrap(),
                        1 => write!(t, "*{w}*").unwrap(),
                        2 => write!(t, "`{w}`").unwrap(),
                        _ => t.push_str(w),
                    }
                }
                if k % 14 == 13 && k + 1 < count {
                    t.push(',');
                }
            }
            t.push_str(".\n\n");
            count
        };
        words += para(&mut rng, &mut t, 60);

        // Three links: a neighbour in the section, a page elsewhere, and a heading of a third.
        let others = self.pages.max(1);
        let next = (n + self.sections) % others;
        let far = rng.range(0, others - 1);
        let anchored = rng.range(0, others - 1);
        writeln!(
            t,
            "See the [next note]({}), a [related note]({}) and [the background of another]({}#background).\n",
            self.link(n, next),
            self.link(n, far),
            self.link(n, anchored)
        )
        .unwrap();
        words += 14;

        t.push_str("## Background\n\n");
        words += 1 + para(&mut rng, &mut t, 70);
        for _ in 0..4 {
            let w = rng.range(8, 14);
            t.push_str("- ");
            words += para(&mut rng, &mut t, w);
            t.pop();
        }
        t.push('\n');

        writeln!(t, "## {}\n", rng.pick(HEADINGS)).unwrap();
        words += 3 + para(&mut rng, &mut t, 80);
        t.push_str("| Year | Users | Share |\n|---|---:|---:|\n");
        for y in 0..4 {
            writeln!(
                t,
                "| {} | {} | {}% |",
                2021 + y,
                rng.range(1_000, 900_000),
                rng.range(1, 99)
            )
            .unwrap();
        }
        t.push('\n');
        words += 15;

        // A footnote.
        words += para(&mut rng, &mut t, 40);
        t.truncate(t.len() - 3);
        t.push_str("[^note].\n\n");

        // The Chinese paragraph.
        t.push_str("## 中文摘要\n\n");
        for k in 0..rng.range(20, 30) {
            t.push_str(CHINESE[rng.range(0, CHINESE.len() - 1)]);
            t.push(if k % 6 == 5 { '，' } else { '的' });
        }
        t.push_str("发展。\n\n");
        words += 30;

        if n.is_multiple_of(FIGURE_EVERY) {
            let id = format!("figure-{n}");
            let value = rng.range(1_000, 90_000_000);
            writeln!(
                figures,
                "- id: {id}\n  value: {value}\n  format: number\n  label: Users counted in note {n}\n  quote: \"{value}\"\n  source: survey"
            )
            .unwrap();
            let (fig, cite) = match flavour {
                Flavour::Explainer => (
                    format!("{{{{ fig(id=\"{id}\") }}}}"),
                    "{{ cite(id=\"survey\") }}".to_string(),
                ),
                Flavour::Hugo => (
                    format!("{{{{< fig id=\"{id}\" >}}}}"),
                    "{{< cite id=\"survey\" >}}".to_string(),
                ),
            };
            writeln!(t, "## Numbers\n\nThe survey counted {fig} users {cite}.\n").unwrap();
            words += 6;
        }
        if n.is_multiple_of(CHART_EVERY) {
            let id = format!("chart-{n}");
            let values: Vec<String> = (0..4).map(|_| rng.range(5, 95).to_string()).collect();
            writeln!(
                charts,
                "- id: {id}\n  kind: bar\n  title: Adoption in note {n}\n  format: percent\n  categories: [Schools, Hospitals, Factories, Farms]\n  series:\n    - name: Share using AI\n      values: [{}]\n  sources: [census]",
                values.join(", ")
            )
            .unwrap();
            let call = match flavour {
                Flavour::Explainer => format!("{{{{ chart(id=\"{id}\") }}}}"),
                Flavour::Hugo => format!("{{{{< chart id=\"{id}\" >}}}}"),
            };
            writeln!(t, "{call}\n").unwrap();
        }

        t.push_str("## In sum\n\n");
        words += 2;
        while words < words_target {
            let w = (words_target - words).clamp(20, 90);
            words += para(&mut rng, &mut t, w);
        }
        t.push_str("1. First, the cost.\n2. Then, who uses it.\n3. Last, what follows.\n\n");
        writeln!(
            t,
            "[^note]: A note on topic {s}: the figures are generated, not measured."
        )
        .unwrap();
        t
    }
}

fn write_templates(dir: &Path) -> std::io::Result<()> {
    let t = dir.join("templates");
    fs::create_dir_all(&t)?;
    fs::write(
        t.join("base.html"),
        r#"<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ site.title }}{% endblock %}</title></head>
<body>
<nav><a href="{{ url(path='_index.md') }}">{{ site.title }}</a>{% for s in site.sections %}{% if s.path != "_index.md" %} <a href="{{ url(path=s.path) }}">{{ s.title }}</a>{% endif %}{% endfor %}</nav>
<main>{% block main %}{% endblock %}</main>
</body></html>
"#,
    )?;
    fs::write(
        t.join("index.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>\n{{ page.content | safe }}{% endblock %}\n",
    )?;
    fs::write(
        t.join("section.html"),
        "{% extends \"base.html\" %}{% block title %}{{ section.title }}{% endblock %}{% block main %}<h1>{{ section.title }}</h1>\n{{ section.content | safe }}\n<ul>{% for p in section.pages %}<li><a href=\"{{ url(path=p.path) }}\">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}\n",
    )?;
    fs::write(
        t.join("page.html"),
        "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<h1>{{ page.title }}</h1>\n{{ page.content | safe }}\n{% if page.citations %}<ol>{% for c in page.citations %}<li id=\"{{ c.anchor }}\">{{ c.source.title }}</li>{% endfor %}</ol>{% endif %}{% endblock %}\n",
    )?;
    fs::write(
        t.join("404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Not found</h1>{% endblock %}\n",
    )
}

fn write_hugo(dir: &Path) -> std::io::Result<()> {
    fs::write(
        dir.join("hugo.toml"),
        "baseURL = \"/\"\ntitle = \"Generated corpus\"\nlanguageCode = \"en\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\"]\n[markup.goldmark.renderer]\nunsafe = true\n",
    )?;
    let l = dir.join("layouts");
    fs::create_dir_all(l.join("_default"))?;
    fs::create_dir_all(l.join("shortcodes"))?;
    fs::write(
        l.join("_default/baseof.html"),
        r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title></head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>{{ range .Site.Sections }} <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
"#,
    )?;
    fs::write(
        l.join("index.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n",
    )?;
    fs::write(
        l.join("_default/list.html"),
        "{{ define \"title\" }}{{ .Title }}{{ end }}{{ define \"main\" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    )?;
    fs::write(
        l.join("_default/single.html"),
        "{{ define \"title\" }}{{ .Title }}{{ end }}{{ define \"main\" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n{{ if .HasShortcode \"cite\" }}<ol>{{ range $.Site.Data.sources }}{{ if eq .id \"survey\" }}<li id=\"ref-survey\">{{ .title }}</li>{{ end }}{{ end }}</ol>{{ end }}{{ end }}\n",
    )?;
    fs::write(
        l.join("404.html"),
        "{{ define \"main\" }}<h1>Not found</h1>{{ end }}\n",
    )?;
    fs::write(
        l.join("shortcodes/fig.html"),
        "{{ $id := .Get \"id\" }}{{ range .Site.Data.figures }}{{ if eq .id $id }}<data class=\"fig\" value=\"{{ .value }}\">{{ lang.FormatNumber 0 .value }}</data>{{ end }}{{ end }}",
    )?;
    fs::write(
        l.join("shortcodes/cite.html"),
        "<sup class=\"cite\"><a href=\"#ref-{{ .Get \"id\" }}\">[1]</a></sup>",
    )?;
    fs::write(
        l.join("shortcodes/chart.html"),
        "{{ $id := .Get \"id\" }}{{ range .Site.Data.charts }}{{ if eq .id $id }}<figure class=\"chart\" id=\"{{ $id }}\"><figcaption>{{ .title }}</figcaption><table>{{ $s := index .series 0 }}{{ range $i, $c := .categories }}<tr><th>{{ $c }}</th><td>{{ index $s.values $i }}%</td></tr>{{ end }}</table></figure>{{ end }}{{ end }}",
    )
}
