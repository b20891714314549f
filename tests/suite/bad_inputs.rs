//! The bad-input suite: every folder under `tests/bad-inputs/` is one case, a change to the
//! fixture site `tests/sites/basic` that must fail cleanly. For each case the site is built once
//! as it is (the previous output), changed, then built (or checked) again by the real binary,
//! and the test asserts: the exit code (1 unless the case's `code` says otherwise), the first
//! `error:` line equal to the case's `expected` line (`file:line:col: message`, a prefix), no
//! panic, an end within the time limit, and the previous output byte for byte unchanged.
//!
//! A case folder holds:
//! - `files/…`: files written over the site (paths relative to the site root);
//! - `remove`: paths to delete, one a line;
//! - `generate`: large files made at run time, one a line:
//!   `PATH<TAB>BEFORE<TAB>REPEATED<TAB>COUNT<TAB>AFTER` (`\n` and `\t` escapes allowed);
//! - `symlinks`: `LINK<TAB>TARGET` lines (Unix only; the link relative to the site root);
//! - `fifos`: paths of named pipes to make (Unix only);
//! - `args`: the command line after the program name, one argument a line (default `build`,
//!   `--output`, `../public`); it runs in the site root;
//! - `expected`: the first `error:` line, without `error: `;
//! - `code`: the exit code, when not 1.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// No case may take longer (a debug build on a busy machine; the fixed defects took minutes).
const LIMIT: Duration = Duration::from_secs(20);

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t")
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn lines(case: &Path, name: &str) -> Vec<String> {
    fs::read_to_string(case.join(name))
        .map(|t| {
            t.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Prepare the site of `case` in a fresh temp folder, its previous output built; returns the
/// folder (site in `site/`, output in `public/`).
fn prepare(case: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    crate::common::copy_dir(&crate::common::fixture("basic"), &site);
    crate::common::build(&site, &tmp.path().join("public")).unwrap();
    let files = case.join("files");
    if files.is_dir() {
        crate::common::copy_dir(&files, &site);
    }
    for rel in lines(case, "remove") {
        fs::remove_file(site.join(rel)).unwrap();
    }
    for line in lines(case, "generate") {
        let parts: Vec<&str> = line.split('\t').collect();
        let [path, before, repeated, count, after] = parts[..] else {
            panic!("{}: bad generate line {line:?}", case.display());
        };
        let n: usize = count.parse().unwrap();
        let text = format!(
            "{}{}{}",
            unescape(before),
            unescape(repeated).repeat(n),
            unescape(after)
        );
        let p = site.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    #[cfg(unix)]
    {
        for line in lines(case, "symlinks") {
            let (link, target) = line.split_once('\t').unwrap();
            std::os::unix::fs::symlink(target, site.join(link)).unwrap();
        }
        for rel in lines(case, "fifos") {
            let ok = Command::new("mkfifo").arg(site.join(rel)).status().unwrap();
            assert!(ok.success());
        }
    }
    tmp
}

/// Run one case; `Err` says what went wrong.
fn run(case: &Path) -> Result<(), String> {
    let tmp = prepare(case);
    let public = tmp.path().join("public");
    let before = snapshot(&public);
    let mut args = lines(case, "args");
    if args.is_empty() {
        args = vec!["build".into(), "--output".into(), "../public".into()];
    }
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(&args)
        .current_dir(tmp.path().join("site"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on threads, so a large report cannot block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out_reader.join().unwrap();
    let stderr = err_reader.join().unwrap();
    let all = format!("{stderr}{stdout}");
    if all.contains("panicked") || status.code() == Some(101) {
        return Err(format!("panicked:\n{stderr}"));
    }
    let code: i32 = lines(case, "code")
        .first()
        .map_or(1, |c| c.trim().parse().unwrap());
    if status.code() != Some(code) {
        return Err(format!(
            "exit {:?}, expected {code}\nstderr:\n{stderr}\nstdout:\n{stdout}",
            status.code()
        ));
    }
    let first = stderr
        .lines()
        .chain(stdout.lines())
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or("(no error line)")
        .replace(&tmp.path().display().to_string(), "TMP");
    let expected = fs::read_to_string(case.join("expected"))
        .map_err(|e| format!("no `expected` file ({e}); the first error line is:\n{first}"))?;
    let expected = expected.trim_end_matches('\n');
    if !first.starts_with(expected) {
        return Err(format!(
            "first error line\n  {first}\nexpected to start with\n  {expected}"
        ));
    }
    if snapshot(&public) != before {
        return Err("the previous output changed".into());
    }
    Ok(())
}

#[test]
fn every_bad_input_fails_cleanly_at_its_place() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let only = std::env::var("BAD_INPUT").ok();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        if cfg!(not(unix)) && (case.join("symlinks").exists() || case.join("fifos").exists()) {
            continue;
        }
        if let Err(why) = run(case) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
