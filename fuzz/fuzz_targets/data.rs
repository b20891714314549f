//! The YAML data loaders: figures, sources, charts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    explainer::fuzzing::data(data);
});
