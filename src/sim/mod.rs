//! The deterministic incident simulator: labelled NDJSON request logs for each root cause and
//! for mixes, in both field presets. Tests, benchmarks and examples/ use it.
