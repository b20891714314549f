//! What several unit tests share: a seeded random source (the same cases on every run, no
//! dependency), and every string made of a few awkward pieces.

/// xorshift64: the same numbers for the same seed.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (which is not 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items` (which is not empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `count` of `pieces` (which is not empty), each drawn at random, one after another.
    pub(crate) fn pieces(&mut self, pieces: &[&str], count: usize) -> String {
        (0..count).map(|_| *self.pick(pieces)).collect()
    }
}

/// Every string of at most `most` of `pieces`, each after `sep` (`""` first), in no order.
pub(crate) fn joins(pieces: &[&str], most: usize, sep: &str) -> Vec<String> {
    let mut all = vec![String::new()];
    for _ in 0..most {
        let longer: Vec<String> = all
            .iter()
            .flat_map(|s| pieces.iter().map(move |p| format!("{s}{sep}{p}")))
            .collect();
        all.extend(longer);
    }
    all
}

/// Every file under `dir` with its bytes, by its `/`-separated path, for byte-for-byte
/// comparisons of built sites (the integration tests, a separate crate, have their own in
/// `tests/suite/common.rs`).
pub(crate) fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}
