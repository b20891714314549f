//! Link parsing, percent-decoding and resolution.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    explainer::fuzzing::link(data);
});
