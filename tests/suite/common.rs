//! Helpers shared by the integration tests: fixture sites copied into temp folders, edited,
//! built, and their output read back.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use explainer::LoadOptions;
use explainer::{BuildOptions, BuildReport, Error};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name)
}

/// A fixture site copied into a temp folder, so a test can edit it.
pub struct TempSite {
    pub dir: tempfile::TempDir,
}

impl TempSite {
    pub fn copy(name: &str) -> TempSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(name), &dir.path().join("site"));
        TempSite { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).unwrap()
    }

    /// Change the file `rel` in place: `f` gets its text and returns the new one.
    pub fn edit(&self, rel: &str, f: impl FnOnce(&str) -> String) {
        let text = self.read(rel);
        self.write(rel, f(&text));
    }

    /// Replace `from` with `to` in the file `rel`. `from` must be there: an edit that changes
    /// nothing would let a test pass for the wrong reason.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        self.edit(rel, |text| {
            assert!(text.contains(from), "{rel} has no `{from}`");
            text.replacen(from, to, 1)
        });
    }

    /// Add `text` at the end of the file `rel`.
    pub fn append(&self, rel: &str, text: &str) {
        self.edit(rel, |old| format!("{old}{text}"));
    }

    pub fn build(&self) -> Result<BuildReport, Error> {
        build(&self.root(), &self.out())
    }

    pub fn output(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The errors of a failed build, one string each, with the temp path made relative.
    /// The one error of a failed build (the test fails if there are more, or none).
    pub fn one_error(&self) -> String {
        let mut errors = self.errors();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        errors.remove(0)
    }

    pub fn errors(&self) -> Vec<String> {
        let err = self.build().expect_err("the build should fail");
        let prefix = format!("{}/", self.root().display());
        err.flatten()
            .iter()
            .map(|e| e.to_string().replace(&prefix, ""))
            .collect()
    }
}

pub fn build(root: &Path, out: &Path) -> Result<BuildReport, Error> {
    explainer::build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        load: LoadOptions::default(),
        allow_broken_links: false,
    })
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}
