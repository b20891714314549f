//! Data files: every `content/data/*.yaml`, `*.yml`, `*.json`, `*.toml` and `*.csv` becomes
//! `data.<stem>` in templates (sub-folders nest: `data/a/b.csv` is `data.a.b`). A CSV file is a
//! list of rows, each a map from the header's names to the row's cells, numbers typed as numbers.
//! Parse errors are reported at the file's line and column; two files with the same stem are an
//! error naming both.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Value;

use crate::error::{Error, Kind, Location};
use crate::load::TextFile;
use crate::yaml;

/// File name endings a data file may have, in the order they are tried.
pub const EXTENSIONS: &[&str] = &[".yaml", ".yml", ".json", ".toml", ".csv"];

/// Whether `rel` (under `content/data/`) is a data file.
pub fn is_data_file(rel: &str) -> bool {
    EXTENSIONS.iter().any(|e| rel.ends_with(e))
}

/// `a/b.csv` → `a/b`: the name a data file has in `data.<stem>`.
pub fn stem(rel: &str) -> &str {
    EXTENSIONS
        .iter()
        .find_map(|e| rel.strip_suffix(e))
        .unwrap_or(rel)
}

/// Every data file as `data.<stem>`, and the names of the files read.
pub fn load(files: &[TextFile]) -> Result<(Value, Vec<String>), Error> {
    let mut errors = Vec::new();
    let mut tree: BTreeMap<String, (serde_yaml::Value, &TextFile)> = BTreeMap::new();
    let mut names = Vec::new();
    for f in files {
        let key = stem(&f.rel).to_string();
        if let Some((_, first)) = tree.get(&key) {
            errors.push(
                Error::input(
                    Kind::Data,
                    Location::file(&f.file),
                    format!(
                        "`{}` and `{}` are both `data.{}`",
                        first.file.display(),
                        f.file.display(),
                        key.replace('/', ".")
                    ),
                )
                .with_help("keep one of them, or rename one: a data file's name is its key"),
            );
            continue;
        }
        match parse(f) {
            Ok(v) => {
                names.push(f.rel.clone());
                tree.insert(key, (v, f));
            }
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    // Nest `a/b` keys into maps.
    let mut root = serde_yaml::Mapping::new();
    for (key, (value, _)) in tree {
        let mut parts: Vec<&str> = key.split('/').collect();
        let last = parts.pop().expect("non-empty key");
        let mut map = &mut root;
        for p in parts {
            let entry = map
                .entry(serde_yaml::Value::from(p))
                .or_insert_with(|| serde_yaml::Value::Mapping(serde_yaml::Mapping::new()));
            if !entry.is_mapping() {
                *entry = serde_yaml::Value::Mapping(serde_yaml::Mapping::new());
            }
            map = entry.as_mapping_mut().expect("just made a mapping");
        }
        map.insert(serde_yaml::Value::from(last), value);
    }
    Ok((
        crate::yaml::to_template(&serde_yaml::Value::Mapping(root)),
        names,
    ))
}

/// One data file, by its format.
pub fn parse(f: &TextFile) -> Result<serde_yaml::Value, Error> {
    let text = f.text.strip_prefix('\u{feff}').unwrap_or(&f.text);
    let bom = f.text.len() - text.len();
    if f.rel.ends_with(".json") {
        serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            Error::input(
                Kind::Data,
                Location::at(&f.file, e.line().max(1), e.column().max(1)),
                format!("JSON: {message}"),
            )
        })
    } else if f.rel.ends_with(".toml") {
        toml::from_str(text).map_err(|e| {
            let at = match e.span() {
                Some(span) => Location::of_offset(&f.file, &f.text, bom + span.start, 1),
                None => Location::file(&f.file),
            };
            Error::input(Kind::Data, at, format!("TOML: {}", e.message().trim_end()))
        })
    } else if f.rel.ends_with(".csv") {
        csv_rows(text, &f.file)
    } else {
        yaml::parse::<serde_yaml::Value>(&f.text, &f.file, 1, Kind::Yaml)
    }
}

/// A CSV file as a list of rows keyed by the header; numbers typed, empty cells none.
fn csv_rows(text: &str, file: &Path) -> Result<serde_yaml::Value, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let at_line = |line: u64| Location::at(file, usize::try_from(line).unwrap_or(usize::MAX), 1);
    let csv_error = |e: csv::Error| {
        let at = e
            .position()
            .map_or_else(|| Location::file(file), |p| at_line(p.line()));
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("CSV: this row has {len} cells, the header has {expected_len}"),
            _ => format!("CSV: {e}"),
        };
        Error::input(Kind::Data, at, message)
            .with_help("every row needs one cell per column; quote cells that contain commas")
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in header.iter().enumerate() {
        let problem = if h.is_empty() {
            Some(format!("CSV: column {} has no name in the header", i + 1))
        } else if header[..i].contains(h) {
            Some(format!("CSV: column `{h}` appears twice in the header"))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(Error::input(Kind::Data, at_line(1), message).with_help(
                "the first line names the columns; rows are read as data.<file>[n].<column>",
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let mut row = serde_yaml::Mapping::new();
        for (name, cell) in header.iter().zip(record.iter()) {
            row.insert(serde_yaml::Value::from(name.as_str()), typed(cell));
        }
        rows.push(serde_yaml::Value::Mapping(row));
    }
    Ok(serde_yaml::Value::Sequence(rows))
}

/// A CSV cell: an integer or a decimal number when it is written as one (`12`, `-3.5`, `1e6`),
/// none when empty, else the text.
fn typed(cell: &str) -> serde_yaml::Value {
    let t = cell.trim();
    if t.is_empty() {
        return serde_yaml::Value::Null;
    }
    let numeric = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'))
        && t.chars().any(|c| c.is_ascii_digit());
    if numeric {
        if let Ok(i) = t.parse::<i64>() {
            return serde_yaml::Value::from(i);
        }
        if let Ok(f) = t.parse::<f64>()
            && f.is_finite()
        {
            return serde_yaml::Value::from(f);
        }
    }
    serde_yaml::Value::from(cell)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(rel: &str, text: &str) -> TextFile {
        TextFile {
            rel: rel.into(),
            file: PathBuf::from(format!("content/data/{rel}")),
            text: text.into(),
            extent: crate::load::Extent::Whole,
        }
    }

    fn json(v: &Value) -> String {
        serde_json::to_string(v).unwrap()
    }

    #[test]
    fn every_format_becomes_data_by_its_stem() {
        let (v, names) = load(&[
            file("ui.yaml", "en: {home: Home}\n"),
            file(
                "rides.csv",
                "year,riders,note\n2015,120,first\n2020,17.5,\n",
            ),
            file("cfg.json", "{\"a\": [1, 2]}"),
            file("more/t.toml", "title = \"T\"\n[x]\nn = 3\n"),
        ])
        .unwrap();
        assert_eq!(names.len(), 4);
        assert_eq!(
            json(&v),
            r#"{"cfg":{"a":[1,2]},"more":{"t":{"title":"T","x":{"n":3}}},"rides":[{"year":2015,"riders":120,"note":"first"},{"year":2020,"riders":17.5,"note":null}],"ui":{"en":{"home":"Home"}}}"#
        );
    }

    #[test]
    fn csv_cells_are_typed_carefully() {
        assert_eq!(typed("12"), serde_yaml::Value::from(12));
        assert_eq!(typed(" -3.5 "), serde_yaml::Value::from(-3.5));
        assert_eq!(typed("1e6"), serde_yaml::Value::from(1e6));
        for text in ["inf", "NaN", "1,000", "2020-01", "e", "-", "1e999", "12a"] {
            assert_eq!(typed(text), serde_yaml::Value::from(text), "{text}");
        }
        assert_eq!(typed(""), serde_yaml::Value::Null);
    }

    #[test]
    fn parse_errors_are_positioned() {
        let e = load(&[file("a.json", "{\n  \"a\": 1,\n  \"b\" 2\n}")]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("content/data/a.json:3:7: data error: JSON: expected `:`"),
            "{e}"
        );
        let e = load(&[file("t.toml", "a = 1\nb = \n")]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("content/data/t.toml:2:5: data error: TOML:"),
            "{e}"
        );
        let e = load(&[file("r.csv", "a,b\n1,2\n3\n")]).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "content/data/r.csv:3:1: data error: CSV: this row has 1 cells, the header has 2"
            ),
            "{e}"
        );
        let e = load(&[file("r.csv", "a,,a\n")]).unwrap_err();
        assert!(e.to_string().contains("column 2 has no name"), "{e}");
        let e = load(&[file("r.csv", "a,b,a\n")]).unwrap_err();
        assert!(e.to_string().contains("`a` appears twice"), "{e}");
    }

    #[test]
    fn same_stem_is_an_error_naming_both() {
        let e = load(&[file("ui.yaml", "a: 1\n"), file("ui.yml", "a: 2\n")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "content/data/ui.yml: data error: `content/data/ui.yaml` and `content/data/ui.yml` are both `data.ui`\n  help: keep one of them, or rename one: a data file's name is its key"
        );
        assert!(load(&[file("a/b.csv", "x\n1\n"), file("a/b.json", "[]")]).is_err());
    }
}
