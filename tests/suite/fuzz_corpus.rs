//! Every input saved by the fuzzers (`fuzz/corpus/<target>/`, and crash reproducers kept as
//! regression inputs) fed through the same entry points as the `cargo fuzz` targets, on the
//! stable toolchain: none may panic.

use std::fs;
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} panics", path.display());
        n += 1;
    }
    assert!(n > 0, "{target}: empty corpus");
}

#[test]
fn page_corpus() {
    replay("page", explainer::fuzzing::page);
}

#[test]
fn data_corpus() {
    replay("data", explainer::fuzzing::data);
}

#[test]
fn link_corpus() {
    replay("link", explainer::fuzzing::link);
}

#[test]
fn config_corpus() {
    replay("config", explainer::fuzzing::config);
}
