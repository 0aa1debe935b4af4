//! The fuzz corpus as a regression test: every input under `fuzz/corpus/<target>/` (the seeds
//! and what the fuzzing runs kept, crashes they found included) goes through the function its
//! fuzz target runs, on stable, with the same invariants (docs/fuzzing.md). A crash the fuzzer
//! finds is fixed in the library and its input added to the corpus, so it fails here first.

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    files.sort();
    assert!(!files.is_empty(), "{}: no corpus", dir.display());
    files
}

/// Runs every input of a target's corpus, naming the one that fails.
fn replay(target: &str, run: fn(&[u8])) {
    for path in corpus(target) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
            let why =
                panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied());
            panic!("{}: {}", path.display(), why.unwrap_or("panicked"));
        }
    }
}

#[test]
fn the_log_reader_corpus_reads_without_a_panic_or_a_key_shown() {
    replay("logs", harness::logs);
}

#[test]
fn the_capture_parser_corpus_parses_within_its_text() {
    replay("capture", harness::capture);
}

#[test]
fn the_lint_corpus_lints_and_renders_every_format_without_a_key_shown() {
    replay("lint", harness::lint);
}

#[test]
fn a_planted_key_is_a_full_key_and_is_checked() {
    let planted = String::from_utf8(harness::planted(b"x-api-key: @KEY@\n")).unwrap_or_default();
    let key = planted.trim_start_matches("x-api-key: ").trim_end();
    assert!(key.starts_with("sk-ant-api03-") && key.ends_with("AA") && key.len() == 108, "{key}");
    assert_eq!(harness::key_secrets(&planted), [&key["sk-ant-api03-".len()..]]);
    // The check itself fails on a key shown in full.
    let shown = std::panic::catch_unwind(|| harness::assert_no_secret("output", key, &harness::key_secrets(key)));
    assert!(shown.is_err());
}

#[test]
fn a_model_id_behind_an_anthropic_prefix_is_not_a_key() {
    // Found by fuzzing (fuzz/corpus/lint/key-shaped-model-id.json): the model suggestion a
    // finding makes is no key shown.
    assert!(harness::key_secrets(r#"{"model":"sk-ant-claude-sonnet-4-5-20250929"}"#).is_empty());
}
