//! The command line as a user meets it: exit codes, help, the summary line, errors on stderr.

use crate::common::{TempSite, fixture};
use assert_cmd::Command;
use predicates::prelude::*;

fn explainer() -> Command {
    Command::cargo_bin("explainer").unwrap()
}

#[test]
fn help_and_version() {
    explainer()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("build"));
    explainer()
        .args(["build", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--base-url"));
    explainer()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "explainer {}",
            env!("CARGO_PKG_VERSION")
        )));
}

#[test]
fn bad_usage_exits_2() {
    explainer().arg("frobnicate").assert().code(2);
    explainer()
        .args(["build", "--no-such-flag"])
        .assert()
        .code(2);
}

#[test]
fn build_prints_one_summary_line() {
    let (stdout, stderr) = build_basic(&[]);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("built 6 pages, 3 data files, 0 charts, 1 static file → "),
        "{stdout}"
    );
    assert!(stdout.contains(" in "), "{stdout}");
    // Not a terminal: no progress output.
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(build_basic(&["--quiet"]), (String::new(), String::new()));
}

#[test]
fn timings_list_every_stage_on_stderr_and_leave_stdout_alone() {
    let (stdout, stderr) = build_basic(&["--timings"]);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let stages: Vec<&str> = stderr
        .lines()
        .map(|l| l.strip_prefix("timing: ").unwrap_or_else(|| panic!("{l}")))
        .map(|l| l.split("  ").next().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "stage",
            "reading",
            "parsing",
            // This site needs two passes: each page is read whole, for its digest.
            "reading whole pages",
            "drawing charts",
            "rendering markdown",
            "building listings",
            "planning outputs",
            "rendering pages",
            "checking links",
            "replacing the output",
            "freeing memory",
            "total",
            "peak RSS",
        ],
        "{stderr}"
    );
    assert!(stderr.contains(" ms "), "{stderr}");
    // The cores column: a stage under 50 ms shows none (the kernel counts CPU time by ticks:
    // a 0.1 ms stage once showed 13.92 cores); a longer one shows a plausible figure.
    assert!(
        stderr.lines().next().unwrap_or("").contains("cores"),
        "{stderr}"
    );
    for line in stderr.lines().filter(|l| l.contains(" % ")) {
        let (before, after) = line.split_once(" ms ").expect("a wall time");
        let wall: f64 = before
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .expect("wall in ms");
        let cores = after
            .split_once(" % ")
            .expect("a share")
            .1
            .get(..5)
            .unwrap_or("")
            .trim();
        match wall < 50.0 {
            true => assert_eq!(cores, "", "{line}"),
            false => assert!(
                cores
                    .parse::<f64>()
                    .is_ok_and(|c| (0.0..=64.0).contains(&c)),
                "{line}"
            ),
        }
    }
}

#[test]
fn build_error_exits_1_with_position() {
    let site = TempSite::copy("basic");
    site.write("content/docs/guide.md", "---\ntitle: G\nwieght: 2\n---\n");
    explainer()
        .current_dir(site.root())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: content/docs/guide.md:3:1: front matter error: unknown field `wieght`",
        ))
        .stderr(predicate::str::contains("did you mean `weight`?"))
        .stderr(predicate::str::contains(
            "error: build failed; ./public was left unchanged",
        ));
}

#[test]
fn not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    explainer()
        .current_dir(dir.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no site.yaml here"));
}

/// `explainer check | head -1`: the reader goes away while the output is still coming; that is
/// a normal end (exit 0, nothing on stderr), not a panic.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let site = TempSite::copy("basic");
    let links: String = (0..5_000)
        .map(|i| format!("[l{i}](https://example.org/{i})\n"))
        .collect();
    site.append("content/docs/guide.md", &format!("\n{links}"));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("explainer"))
        .args(["check", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    // The fixture's untranslated pages come first, as information.
    while first.is_empty() || first.starts_with("info: ") {
        first.clear();
        reader.read_line(&mut first).unwrap();
    }
    assert_eq!(first, "5000 external links:\n");
    drop(reader);
    // The reader is dropped here: the rest of the list meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Build the `basic` fixture with `args` into a fresh folder: what it printed on standard output
/// and standard error.
fn build_basic(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let assert = explainer()
        .arg("build")
        .args(args)
        .arg("--root")
        .arg(fixture("basic"))
        .arg("--output")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let output = assert.get_output();
    (
        String::from_utf8(output.stdout.clone()).unwrap(),
        String::from_utf8(output.stderr.clone()).unwrap(),
    )
}
