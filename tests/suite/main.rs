//! The integration tests, as one binary (as ripgrep and mdBook do): one link step instead of
//! one per file, and helpers shared by plain `crate::common` paths. Run one group with
//! `cargo test --test suite check::`, one test with its full name.

mod common;
mod web;

mod bad_inputs;
mod book;
mod build;
mod charts;
mod check;
mod cli;
mod corpus;
mod errors;
mod first_hour;
mod flagship;
mod fuzz_corpus;
mod hardening;
mod new;
mod numbers;
mod pipeline;
mod publishing;
mod reference;
mod serve;
mod session;
mod spec;
