//! A page (front matter, markdown, shortcodes) rendered in a one-page site.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    explainer::fuzzing::page(data);
});
