//! Regression tests for hostile and unlucky use of the command line: closed pipes, concurrent
//! builds, symlinks and special files in the site. (The per-input cases live in
//! `tests/bad-inputs/`, run by `tests/bad_inputs.rs`.)

mod common;

use std::process::{Command, Stdio};

use common::TempSite;

fn explainer() -> Command {
    Command::new(env!("CARGO_BIN_EXE_explainer"))
}

/// `explainer check | head -1` panicked (exit 101) writing to the closed pipe.
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    let site = TempSite::copy("basic");
    let mut child = explainer()
        .args(["check", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the program writes anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Eight builds into one output at once: each succeeds whole or says another build is writing;
/// never "No such file", never a half-written output.
#[test]
fn concurrent_builds_succeed_or_say_another_build_is_writing() {
    let site = TempSite::copy("basic");
    let children: Vec<_> = (0..8)
        .map(|_| {
            explainer()
                .args(["build", "--quiet", "--root"])
                .arg(site.root())
                .arg("--output")
                .arg(site.out())
                .stderr(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ok = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => ok += 1,
            Some(1) => assert!(stderr.contains("another build is writing here"), "{stderr}"),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert!(ok >= 1);
    assert!(site.out().join("index.html").is_file());
    let mut beside: Vec<_> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["public", "site"]);
}
