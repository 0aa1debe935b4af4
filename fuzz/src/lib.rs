//! What the fuzz targets run, one function per target: bytes in, every invariant checked, a
//! panic on a violation. The targets under `fuzz_targets/` call these; `tests/suite/fuzz_corpus.rs`
//! includes this file and replays every input under `fuzz/corpus/<target>/` through the same
//! functions on stable, so the corpus is a regression test. See docs/fuzzing.md.
//!
//! Only public library functions are called, the ones the commands call.

use std::io::Cursor;
use std::sync::OnceLock;

use faultline::capture::{self, curl, json, locate, raw};
use faultline::diagnose::rank::diagnose;
use faultline::knowledge::Knowledge;
use faultline::lint::{records_of, stream::lint_stream, LintOptions, Linter, OutputFormat};
use faultline::lint::{Reported, Settings, Sink, Source, Totals};
use faultline::logs::{local, reader};
use faultline::report::diagnosis::{render, DiagnoseFormat, HumanView};
use faultline::report::lint::{write_diff, Renderer};

/// The placeholder an input may hold for a full Anthropic key: each one is replaced by a key
/// made from the input's bytes before the input is read, so mutations around a key keep it whole.
pub const KEY_PLACEHOLDER: &str = "@KEY@";

/// The date the lint rules are evaluated at (model status depends on it): fixed, so a run is
/// reproducible.
const AS_OF: (i32, u32, u32) = (2026, 5, 1);

/// The log schemas every `logs` input is read with: the default, two presets, and detection.
pub const SCHEMAS: [Option<&str>; 4] = [Some("faultline"), Some("litellm"), Some("envoy"), None];

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::embedded().unwrap_or_else(|e| panic!("the embedded knowledge base: {e}")))
}

/// The input as the target reads it: each [`KEY_PLACEHOLDER`] replaced by a full-length
/// `sk-ant-api03-` key whose characters come from the input's bytes (FNV-1a, then splitmix64).
pub fn planted(data: &[u8]) -> Vec<u8> {
    let p = KEY_PLACEHOLDER.as_bytes();
    if !data.windows(p.len()).any(|w| w == p) {
        return data.to_vec();
    }
    let mut seed =
        data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut key = b"sk-ant-api03-".to_vec();
    for _ in 0..93 {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        key.push(alphabet[((z ^ (z >> 31)) % 64) as usize]);
    }
    key.extend_from_slice(b"AA");
    let mut out = Vec::with_capacity(data.len() + 64);
    let mut i = 0;
    while i < data.len() {
        if data[i..].starts_with(p) {
            out.extend_from_slice(&key);
            i += p.len();
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    out
}

/// JSON's `\uXXXX` (ASCII only) and `\/` escapes decoded, so a key written with escapes is
/// found as the key it decodes to.
fn unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(c) = tail
            .get(2..6)
            .filter(|_| tail.as_bytes().get(1) == Some(&b'u'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
            .filter(char::is_ascii)
        {
            out.push(c);
            rest = &tail[6..];
        } else if let Some(after) = tail.strip_prefix("\\/") {
            out.push('/');
            rest = after;
        } else {
            out.push('\\');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The secret parts of the Anthropic keys in an input, as written and as JSON escapes decode
/// them: for each maximal `sk-ant-` run of key characters, what follows the part every output
/// may show (`sk-ant-api03-`), when it is long enough to be a key (16 characters or more) and
/// occurs nowhere in the input but inside such a run (text that also stands on its own may be
/// shown as the input has it) nor in the knowledge base (`sk-ant-claude-sonnet-4-5-20250929` is
/// not a key, and the model ID after its prefix is what a finding may suggest).
pub fn key_secrets(input: &str) -> Vec<String> {
    let is_key = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out: Vec<String> = Vec::new();
    for text in [input.to_string(), unescaped(input)] {
        let mut runs: Vec<&str> = Vec::new();
        let mut from = 0;
        while let Some(at) = text[from..].find("sk-ant-").map(|i| from + i) {
            let end = text[at..].find(|c: char| !is_key(c)).map_or(text.len(), |i| at + i);
            runs.push(&text[at..end]);
            from = end.max(at + 1);
        }
        for run in &runs {
            let secret = &run[faultline::redact::safe_prefix(run).len()..];
            if secret.len() < 16 {
                continue;
            }
            let mut elsewhere = text.clone();
            for r in &runs {
                elsewhere = elsewhere.replace(r, " ");
            }
            let known = faultline::knowledge::EMBEDDED.iter().any(|(_, t)| t.contains(secret));
            if !known && !elsewhere.contains(secret) && !out.iter().any(|s| s == secret) {
                out.push(secret.to_string());
            }
        }
    }
    out
}

/// Panics when `output` (what `what` printed) holds one of `secrets` in full.
pub fn assert_no_secret(what: &str, output: &str, secrets: &[String]) {
    for s in secrets {
        assert!(!output.contains(s.as_str()), "{what} shows the key `sk-ant-…{s}` in full:\n{output}");
    }
}

/// `logs`: the record reader (plain, gzip, a `_search` response) with the default schema,
/// the `litellm` and `envoy` presets and detection, each summary then diagnosed and rendered.
pub fn logs(data: &[u8]) {
    let data = planted(data);
    let k = knowledge();
    static OPTIONS: OnceLock<Vec<local::Options>> = OnceLock::new();
    let options = OPTIONS.get_or_init(|| {
        SCHEMAS
            .iter()
            .map(|schema| local::Options {
                preset: schema.map(str::to_string),
                presets: k.presets.clone(),
                bytes_per_token: k.thresholds.payload.bytes_per_token,
                ..local::Options::new(k.thresholds.streaming.non_streaming_token_limit, 1)
            })
            .collect()
    });
    let secrets = key_secrets(&String::from_utf8_lossy(&data));
    for opts in options {
        let source = match reader::wrap("fuzz.ndjson".into(), Box::new(Cursor::new(data.clone()))) {
            Ok(s) => s,
            Err(_) => continue,
        };
        let Ok(mut outcome) = local::summarise(source, opts) else { continue };
        // As the command does before any reasoning or rendering.
        outcome.summary.mask_logged_fields();
        let summary = &outcome.summary;
        let failures = faultline::diagnose::summary::failures_in(&summary.by_status);
        assert!(failures <= summary.total_requests, "{failures} failures of {} requests", summary.total_requests);
        let d = diagnose(summary, k);
        for format in [DiagnoseFormat::Human, DiagnoseFormat::Json, DiagnoseFormat::Markdown] {
            // The full human report too (every evidence line, the layer trace): what `--trace` shows.
            for trace in [false, true] {
                let shown = render(&d, format, &HumanView { color: false, width: 100, trace });
                assert_no_secret(&format!("diagnose --format {format:?} (trace {trace})"), &shown, &secrets);
            }
        }
    }
}

/// `capture`: every capture parser on every input (each parser also where detection would not
/// pick it), and what is found of the credentials in it.
pub fn capture(data: &[u8]) {
    let data = planted(data);
    let Ok(text) = std::str::from_utf8(&data) else { return };
    let parsed = capture::parse_record(text);
    let start = text.len() - text.trim_start().len();
    let direct =
        [json::parse(text), curl::parse(text, start).map(|c| vec![c]), raw::parse(text, start).map(|c| vec![c])];
    let _ = (curl::looks_like(&text[start..]), raw::looks_like(&text[start..]), capture::is_ndjson(text));
    for result in std::iter::once(&parsed).chain(&direct) {
        match result {
            Ok(captures) => {
                for c in captures {
                    check_capture(text, c);
                }
                for r in locate::record_secrets(text, captures) {
                    assert!(r.start <= r.end && r.end <= text.len(), "secret range {r:?} outside {} bytes", text.len());
                }
            }
            Err(p) => assert!(p.at <= text.len(), "{} at {} of {} bytes", p.code, p.at, text.len()),
        }
    }
    for (base, record) in records_of(text) {
        assert!(text.get(base..base + record.len()) == Some(record), "record at {base} is not the text's");
        let _ = capture::parse_record(record);
    }
}

/// What every capture must hold: spans inside its record's text, and a fix's edits too.
fn check_capture(text: &str, c: &capture::Capture) {
    assert!(c.url_span.start <= c.url_span.end && c.url_span.end <= text.len(), "url span {:?}", c.url_span);
    assert!(c.headers_at <= text.len(), "headers at {} of {}", c.headers_at, text.len());
    for h in &c.headers {
        let r = h.origin.map_range(text, &(0..h.value.len()));
        assert!(r.start <= r.end && r.end <= text.len(), "header {} at {r:?} of {} bytes", h.name, text.len());
    }
    let req = c.request();
    let _ = faultline::capture::request::endpoint(req.url);
    let _ = faultline::capture::request::detect_provider(&req, None);
}

fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| {
        let date = chrono::NaiveDate::from_ymd_opt(AS_OF.0, AS_OF.1, AS_OF.2).unwrap_or_default();
        Settings { unsafe_fixes: true, ..Settings::new(LintOptions { provider: None, date }) }
    })
}

const FORMATS: [OutputFormat; 5] =
    [OutputFormat::Human, OutputFormat::Concise, OutputFormat::Json, OutputFormat::Sarif, OutputFormat::Github];

/// `lint`: bytes in as `faultline lint -` reads them, the findings rendered in every output
/// format, `--diff`, and the fixed text linted again as `--fix` does; no output may show a key
/// of the input in full, and no record may be reported as an internal error (a panic the
/// engine caught).
pub fn lint(data: &[u8]) {
    let data = planted(data);
    let text = String::from_utf8_lossy(&data);
    let secrets = key_secrets(&text);
    let linter = Linter { knowledge: knowledge(), settings: settings() };
    let mut outputs: Vec<Vec<u8>> = vec![Vec::new(); FORMATS.len()];
    {
        let mut sinks: Vec<Renderer<'_>> =
            outputs.iter_mut().zip(FORMATS).map(|(out, format)| Renderer::new(format, false, out)).collect();
        for s in &mut sinks {
            let _ = s.begin();
        }
        let mut totals = Totals::default();
        let mut emit = |r: &Reported, s: &Source<'_>| {
            assert!(!r.message.starts_with("internal error"), "{}: {}", r.code, r.message);
            for sink in &mut sinks {
                sink.finding(r, s)?;
            }
            Ok(())
        };
        let mut input: &[u8] = &data;
        let _ = lint_stream(&linter, "-", &mut input, &mut totals, &mut emit);
        totals.files = 1;
        for s in &mut sinks {
            let _ = s.end(&totals);
        }
        assert_no_secret("the totals", &totals.line(), &secrets);
    }
    for (out, format) in outputs.iter().zip(FORMATS) {
        assert_no_secret(&format!("lint --format {format:?}"), &String::from_utf8_lossy(out), &secrets);
    }
    let Ok(text) = std::str::from_utf8(&data) else { return };
    let (fixed, _) = linter.fix_text(text);
    let mut diff = Vec::new();
    let _ = write_diff(&mut diff, "fuzz.json", text, &fixed);
    assert_no_secret("lint --diff", &String::from_utf8_lossy(&diff), &secrets);
    // `--fix`: the fixed file is linted again, record by record.
    let mut shown = Vec::new();
    {
        let mut sink = Renderer::new(OutputFormat::Human, false, &mut shown);
        let mut totals = Totals::default();
        let mut emit = |r: &Reported, s: &Source<'_>| sink.finding(r, s);
        for (base, record) in records_of(&fixed) {
            let first_line = fixed.as_bytes()[..base].iter().filter(|b| **b == b'\n').count();
            let _ = linter.lint_record("fuzz.json", record, first_line, &mut totals, &mut emit);
        }
    }
    assert_no_secret("lint --fix", &String::from_utf8_lossy(&shown), &secrets);
}
