//! The independent corpus of issue 10 (tests/suite/corpus_support): incidents written as other programs
//! log Claude API traffic, each with the truth of what caused every failure.
//!
//! - `corpus_generator_invariants` (always run): the generator's own promises: the truth adds up to
//!   the failing records, every line is a JSON object, every cause has at least 3 positive variants
//!   and 3 look-alikes, no full key and no cause id is ever written, the same seed gives the same
//!   lines.
//! - `corpus_diagnosis_matches_truth` (the target of issue 10): runs the real binary on
//!   every case and checks (a) every true cause with at least 5 failures is found, (b) no cause absent
//!   from the truth is found, (c) each found cause's share is within 5 points of its true share,
//!   (d) the trace does not contradict itself (no cause both found and ruled out; no ruling of "no
//!   continuous stretch" next to a fact of continuous 429s); it also requires every record to be
//!   read. It prints a scoreboard: `cargo test --test suite corpus:: -- --nocapture`.
//!
//! `FAULTLINE_CORPUS_DUMP=DIR` writes each case's NDJSON and truth (and, in the scoring test, the
//! diagnosis) to DIR for inspection.

use crate::corpus_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::{json, Value};

use corpus_support::{builders, Case, CAUSES};

/// Runs `f` over `items` on a few threads, keeping the order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 4);
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= items.len() {
                    break;
                }
                let r = f(&items[i]);
                if let Ok(mut o) = out.lock() {
                    o[i] = Some(r);
                }
            });
        }
    });
    out.into_inner()
        .unwrap_or_else(|e| panic!("worker panicked: {e}"))
        .into_iter()
        .map(|r| r.unwrap_or_else(|| panic!("a worker left a case undone")))
        .collect()
}

fn generate() -> Vec<Case> {
    par_map(&builders(), |b| b())
}

fn truth_json(c: &Case) -> Value {
    let t = &c.truth;
    let causes: serde_json::Map<_, _> =
        t.by_cause.iter().map(|(k, v)| (k.to_string(), json!({"failures": v, "share": round4(t.share(k))}))).collect();
    json!({
        "id": c.meta.id,
        "varies": c.meta.varies,
        "positive": c.meta.positive,
        "lookalike": c.meta.lookalike,
        "probes": c.meta.probes,
        "records": t.records,
        "failures": t.failures,
        "causes": causes,
        "unexplained": t.unexplained,
        "by_status": t.by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
    })
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn dump_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("FAULTLINE_CORPUS_DUMP")?);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("FAULTLINE_CORPUS_DUMP={}: {e}", dir.display()));
    Some(dir)
}

fn write_case(dir: &Path, c: &Case) {
    let mut text = c.lines.join("\n");
    text.push('\n');
    let ndjson = dir.join(format!("{}.ndjson", c.meta.id));
    std::fs::write(&ndjson, text).unwrap_or_else(|e| panic!("{}: {e}", ndjson.display()));
    let truth = dir.join(format!("{}.truth.json", c.meta.id));
    let body = serde_json::to_string_pretty(&truth_json(c)).unwrap_or_default();
    std::fs::write(&truth, body).unwrap_or_else(|e| panic!("{}: {e}", truth.display()));
}

/// A log line, read only for its status wherever the schema puts it (the rest is parsed and
/// skipped: a typed read is much faster than a `Value` in a debug build).
#[derive(serde::Deserialize)]
struct Line {
    status_code: Option<Status>,
    #[serde(rename = "http.response.status_code")]
    dotted_status: Option<Status>,
    http: Option<LineHttp>,
}

#[derive(serde::Deserialize)]
struct LineHttp {
    response: Option<LineResponse>,
}

#[derive(serde::Deserialize)]
struct LineResponse {
    status_code: Option<Status>,
}

/// A status as a number or a string of digits.
#[derive(serde::Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Status {
    Number(u64),
    Text(#[serde(deserialize_with = "digits")] u64),
}

fn digits<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let s: &str = serde::Deserialize::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

impl Line {
    fn status(&self) -> Option<u64> {
        let s =
            self.status_code.or(self.dotted_status).or_else(|| self.http.as_ref()?.response.as_ref()?.status_code)?;
        Some(match s {
            Status::Number(n) | Status::Text(n) => n,
        })
    }
}

/// An Anthropic key written in full: the prefix and at least 20 key characters after it.
fn has_full_key(line: &str) -> bool {
    line.match_indices("sk-ant-api03-").any(|(at, p)| {
        line[at + p.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').count() >= 20
    })
}

/// One case's invariants: its lines are JSON objects with a status, the failing lines are exactly
/// the labelled failures, no line writes a full key, no failing line names a cause, its meta agrees with its
/// truth.
fn case_problems(c: &Case) -> Vec<String> {
    let id = c.meta.id;
    let t = &c.truth;
    let mut problems = Vec::new();
    if c.lines.len() != t.records {
        problems.push(format!("{id}: {} lines for {} records", c.lines.len(), t.records));
    }
    let mut failing = 0;
    for (n, line) in c.lines.iter().enumerate() {
        match serde_json::from_str::<Line>(line) {
            Ok(v) if line.starts_with('{') => match v.status() {
                Some(s) if s >= 400 => {
                    failing += 1;
                    // The truth lives in the generator, never in the record.
                    if let Some(cause) = CAUSES.iter().find(|cause| line.contains(*cause)) {
                        problems.push(format!("{id}: line {} names the cause {cause}", n + 1));
                    }
                }
                Some(_) => {}
                None => problems.push(format!("{id}: line {} has no status", n + 1)),
            },
            _ => problems.push(format!("{id}: line {} is not a JSON object", n + 1)),
        }
        if has_full_key(line) {
            problems.push(format!("{id}: line {} writes a full key", n + 1));
        }
    }
    let labelled: usize = t.by_cause.values().sum::<usize>() + t.unexplained;
    if failing != t.failures || labelled != t.failures {
        problems.push(format!("{id}: {failing} failing lines, truth {} failures, {labelled} labelled", t.failures));
    }
    for cause in t.by_cause.keys() {
        if !CAUSES.contains(cause) {
            problems.push(format!("{id}: unknown cause {cause} in the truth"));
        }
    }
    for cause in c.meta.positive {
        if t.count(cause) < 5 {
            problems.push(format!("{id}: positive for {cause} but it explains {} failures", t.count(cause)));
        }
    }
    for cause in c.meta.lookalike {
        if t.count(cause) > 0 {
            problems.push(format!("{id}: look-alike for {cause} but it explains {} failures", t.count(cause)));
        }
    }
    for cause in c.meta.positive.iter().chain(c.meta.lookalike) {
        if !CAUSES.contains(cause) {
            problems.push(format!("{id}: unknown cause {cause} in its meta"));
        }
    }
    if c.meta.probes.iter().any(|m| !(1..=4).contains(m)) {
        problems.push(format!("{id}: probes {:?}: issue 10 names mistakes 1 to 4", c.meta.probes));
    }
    problems
}

#[test]
fn corpus_generator_invariants() {
    let started = std::time::Instant::now();
    let cases = generate();
    if let Some(dir) = dump_dir() {
        for c in &cases {
            write_case(&dir, c);
        }
    }
    assert!(cases.len() >= 72, "the corpus has {} cases, fewer than 72", cases.len());
    // Each case's own checks, on a few threads (parsing every line is the slow part).
    let mut problems: Vec<String> = par_map(&cases, case_problems).into_iter().flatten().collect();
    let mut ids = BTreeSet::new();
    let mut positives: BTreeMap<&str, usize> = CAUSES.iter().map(|c| (*c, 0)).collect();
    let mut lookalikes = positives.clone();
    for c in &cases {
        if !ids.insert(c.meta.id) {
            problems.push(format!("{}: duplicate id", c.meta.id));
        }
        for cause in c.meta.positive {
            if let Some(n) = positives.get_mut(cause) {
                *n += 1;
            }
        }
        for cause in c.meta.lookalike {
            if let Some(n) = lookalikes.get_mut(cause) {
                *n += 1;
            }
        }
    }
    for cause in CAUSES {
        if positives[cause] < 3 || lookalikes[cause] < 3 {
            problems.push(format!("{cause}: {} positive, {} look-alike cases", positives[cause], lookalikes[cause]));
        }
    }
    // Deterministic: the same seed gives the same lines.
    for (b, c) in builders().iter().zip(&cases).step_by(30) {
        if b().lines != c.lines {
            problems.push(format!("{}: not deterministic", c.meta.id));
        }
    }
    assert!(problems.is_empty(), "corpus generator:\n  {}", problems.join("\n  "));
    println!(
        "{} cases, {} records, {:?}",
        cases.len(),
        cases.iter().map(|c| c.truth.records).sum::<usize>(),
        started.elapsed()
    );
}

// --- Scoring -------------------------------------------------------------------------------------

struct Score {
    id: &'static str,
    expected: String,
    got: String,
    problems: Vec<String>,
}

fn describe(pairs: &[(String, f64)], unexplained: f64) -> String {
    let mut parts: Vec<String> = pairs.iter().map(|(c, s)| format!("{c} {:.0}%", s * 100.0)).collect();
    if unexplained > 0.0005 {
        parts.push(format!("unexplained {:.0}%", unexplained * 100.0));
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(", ")
    }
}

fn diagnose(c: &Case, dir: &Path) -> Result<Value, String> {
    let file = dir.join(format!("{}.ndjson", c.meta.id));
    let mut text = c.lines.join("\n");
    text.push('\n');
    std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    let out = Command::new(env!("CARGO_BIN_EXE_faultline"))
        .arg("diagnose")
        .arg(&file)
        .args(["--format", "json", "--no-interactive", "-q"])
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("NO_COLOR", "1")
        .output()
        .map_err(|e| format!("cannot run faultline: {e}"))?;
    if !out.status.success() {
        return Err(format!("exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("output is not JSON: {e}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

fn score(c: &Case, result: Result<Value, String>) -> Score {
    let t = &c.truth;
    let mut expected: Vec<(String, f64)> = t.by_cause.keys().map(|k| (k.to_string(), t.share(k))).collect();
    expected.sort_by(|a, b| b.1.total_cmp(&a.1));
    let unexpl = if t.failures == 0 { 0.0 } else { t.unexplained as f64 / t.failures as f64 };
    let mut s =
        Score { id: c.meta.id, expected: describe(&expected, unexpl), got: String::new(), problems: Vec::new() };
    let d = match result {
        Ok(d) => d,
        Err(e) => {
            s.got = "error".into();
            s.problems.push(e);
            return s;
        }
    };
    let got: Vec<(String, f64)> = d["causes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| (c["id"].as_str().unwrap_or("?").to_string(), c["share"].as_f64().unwrap_or(0.0)))
                .collect()
        })
        .unwrap_or_default();
    s.got = describe(&got, d["unexplained"]["share"].as_f64().unwrap_or(0.0));

    let read = d["total_requests"].as_u64().unwrap_or(0) as usize;
    if read != t.records {
        s.problems.push(format!("read {read} of {} records", t.records));
    }
    // (a) every true cause with at least 5 failures is found.
    for (cause, n) in &t.by_cause {
        if *n >= 5 && !got.iter().any(|(id, _)| id == cause) {
            s.problems.push(format!("missed {cause}"));
        }
    }
    for (id, share) in &got {
        if t.count(id) == 0 {
            // (b) no cause absent from the truth.
            s.problems.push(format!("false {id}"));
        } else if (share - t.share(id)).abs() > 0.05 {
            // (c) shares within 5 points.
            s.problems.push(format!("{id} {:.0}% vs {:.0}%", share * 100.0, t.share(id) * 100.0));
        }
    }
    // (d) the trace does not contradict itself.
    let layers = d["layers"].as_array().cloned().unwrap_or_default();
    let found: BTreeSet<String> = layers.iter().flat_map(|l| strings(&l["found"])).collect();
    let ruled_out: Vec<String> = layers.iter().flat_map(|l| strings(&l["ruled_out"])).collect();
    for f in &found {
        if ruled_out.iter().any(|r| r.starts_with(f.as_str())) {
            s.problems.push(format!("{f} found and ruled out"));
        }
    }
    // ...nor does a fact contradict a ruling: issue 10's example, a trace that reports continuous
    // 429s and rules a cause out for "no continuous stretch". (Bound to today's wording: it can miss
    // a contradiction after a rewording, never invent one.)
    let checked: Vec<String> = layers.iter().flat_map(|l| strings(&l["checked"])).collect();
    let says_continuous_429 =
        checked.iter().any(|c| c.contains("continuous 429s") || (c.starts_with("429 ") && c.ends_with(": continuous")));
    if says_continuous_429 {
        for r in ruled_out.iter().filter(|r| r.contains("no continuous stretch")) {
            s.problems.push(format!("continuous 429s, yet ruled out `{r}`"));
        }
    }
    s
}

fn scoreboard(cases: &[Case], scores: &[Score]) -> String {
    let w = scores.iter().map(|s| s.id.len()).max().unwrap_or(10);
    let mut out = format!("{:<w$}  {:<5}  {:<48}  {:<48}  verdict\n", "case", "kind", "expected", "got");
    for (c, s) in cases.iter().zip(scores) {
        let kind = match (c.meta.positive.is_empty(), c.meta.lookalike.is_empty()) {
            (false, false) => "P+L",
            (false, true) => "P",
            _ => "L",
        };
        let verdict =
            if s.problems.is_empty() { "pass".to_string() } else { format!("FAIL: {}", s.problems.join("; ")) };
        out.push_str(&format!("{:<w$}  {:<5}  {:<48}  {:<48}  {verdict}\n", s.id, kind, s.expected, s.got));
    }
    let passed = scores.iter().filter(|s| s.problems.is_empty()).count();
    out.push_str(&format!("\n{passed} of {} cases pass\n", scores.len()));
    // Per cause: positive and look-alike cases that pass.
    out.push_str("\ncause                              positive  look-alike\n");
    for cause in CAUSES {
        let tally = |pick: &dyn Fn(&Case) -> bool| {
            let of: Vec<_> = cases.iter().zip(scores).filter(|(c, _)| pick(c)).collect();
            let ok = of.iter().filter(|(_, s)| s.problems.is_empty()).count();
            format!("{ok}/{}", of.len())
        };
        let p = tally(&|c: &Case| c.meta.positive.contains(&cause));
        let l = tally(&|c: &Case| c.meta.lookalike.contains(&cause));
        out.push_str(&format!("{cause:<34} {p:>8}  {l:>10}\n"));
    }
    // Per mistake of issue 10 that the failing cases were built to probe.
    let names = [
        "1 masked key read as broken",
        "2 key history",
        "3 time shape vs generic message",
        "4 missing facts as absence",
    ];
    out.push_str(
        "\nissue 10 mistake probed              cases  failing  (built to probe it; a failure may show another)\n",
    );
    for (i, name) in names.iter().enumerate() {
        let m = i as u8 + 1;
        let of: Vec<_> = cases.iter().zip(scores).filter(|(c, _)| c.meta.probes.contains(&m)).collect();
        let failing: Vec<&str> = of.iter().filter(|(_, s)| !s.problems.is_empty()).map(|(c, _)| c.meta.id).collect();
        out.push_str(&format!("{name:<36} {:>5}  {:>7}  {}\n", of.len(), failing.len(), failing.join(" ")));
    }
    out
}

#[test]
fn corpus_diagnosis_matches_truth() {
    let cases = generate();
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let dump = dump_dir();
    let scores = par_map(&cases, |c| {
        let result = diagnose(c, tmp.path());
        if let (Some(dir), Ok(d)) = (&dump, &result) {
            write_case(dir, c);
            let path = dir.join(format!("{}.diagnosis.json", c.meta.id));
            let _ = std::fs::write(path, serde_json::to_string_pretty(d).unwrap_or_default());
        }
        score(c, result)
    });
    let board = scoreboard(&cases, &scores);
    println!("{board}");
    let failing = scores.iter().filter(|s| !s.problems.is_empty()).count();
    assert!(failing == 0, "{failing} of {} corpus cases fail (scoreboard above)", scores.len());
}
