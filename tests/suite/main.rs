//! Every integration test of faultline, in one test binary (`cargo test --test suite`): one link
//! of the crate instead of one per file, one `osmem-server` and one knowledge base for all of
//! them, and one pool of test threads, so a long test overlaps the short ones.
//!
//! Each file here is one module holding what used to be one test binary, and its test names
//! start with it: `cargo test --test suite lint_cli::` runs the lint command-line tests,
//! `cargo test --test suite diagnose_sim::mixes` one of them. A new test file: add
//! `tests/suite/NAME.rs` and a line `mod NAME;` below. The `*_support` modules are shared
//! helpers (not tests) that a test module brings in with `use crate::es_support;`.
//!
//! Tests that rewrite checked-in files when told to (then fail nothing and leave the diff to
//! review):
//! - `UPDATE_GOLDEN=1 cargo test --test suite lint_cli::`: the lint golden outputs
//!   (`tests/fixtures/lint/golden/`, `fixed/`);
//! - `FAULTLINE_UPDATE_COMPLETIONS=1 cargo test --test suite completions::`: `completions/`;
//! - `FAULTLINE_UPDATE_TRANSCRIPT=1 cargo test --test suite interactive_walk::`: the README walk
//!   transcript (`docs/walk-transcript.txt`);
//! - `FAULTLINE_UPDATE_TRANSCRIPT=1 cargo test --test suite probe::`: the README probe
//!   transcript (`docs/probe-transcript.txt`).

mod corpus_support;
mod es_support;
mod interactive_support;
mod presets_support;
mod probe_support;
mod shared;
mod watch_support;

mod architecture;
mod cli;
mod completions;
mod config_secrets;
mod corpus;
mod diagnose_cli;
mod diagnose_fast_path;
mod diagnose_layers;
mod diagnose_regressions;
mod diagnose_sim;
mod diagnose_trace;
mod es_bytes;
mod es_equivalence;
mod es_failures;
mod es_osmem;
mod first_screen;
mod fresh_clone;
mod fuzz_corpus;
mod interactive_es;
mod interactive_noprompt;
mod interactive_polish;
mod interactive_walk;
mod lint_cli;
mod lint_robustness;
mod lint_sdk;
mod presets;
mod presets_cli;
mod probe;
mod sim;
mod trust;
mod watch_es;
mod watch_file;
