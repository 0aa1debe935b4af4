//! `faultline lint`: inputs -> records -> captures -> findings -> renderer, plus `--fix`/`--diff`.
//!
//! Streams: an NDJSON input (a file or stdin) is read one line at a time, and findings are
//! rendered as they are found, so memory does not grow with the length of the stream.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::capture::{self, locate, Capture};
use crate::cli::{GlobalArgs, LintArgs};
use crate::config::Config;
use crate::context::RunContext;
use crate::error::{Error, Exit, Result};
use crate::knowledge::Knowledge;
use crate::report::lint::{FixView, Renderer, Reported, Source, Summary};

use super::rules::input;
use super::{check_request, codes, LintOptions, Severity};

/// Extensions picked up when a directory is walked (files named explicitly are always read).
const EXTENSIONS: &[&str] = &["json", "ndjson", "jsonl", "har", "http", "txt", "curl", "sh", "req", "log", "request"];

/// Everything that decides which findings are reported and how severe they are.
#[derive(Debug, Clone)]
pub struct Settings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub fail_level: Severity,
    pub options: LintOptions,
    pub unsafe_fixes: bool,
}

impl Settings {
    pub fn resolve(args: &LintArgs, config: &Config, ctx: &RunContext) -> Result<Settings> {
        let file = &config.file.lint;
        let where_ = || config.path.as_ref().map_or("faultline.toml".to_string(), |p| p.display().to_string());
        for s in file.select.iter().chain(&file.ignore).chain(file.severity.keys()) {
            if !codes::is_selector(s) {
                return Err(Error::Config(format!(
                    "{}: [lint] names `{s}`, which is not a rule code or prefix (see `faultline rules`)",
                    where_()
                )));
            }
        }
        for code in file.severity.keys() {
            if codes::rule(code).is_none() {
                return Err(Error::Config(format!(
                    "{}: [lint.severity] names `{code}`, which is not a rule code",
                    where_()
                )));
            }
        }
        for s in args.select.iter().chain(&args.ignore) {
            if !codes::is_selector(s.trim()) {
                return Err(Error::Usage(format!("`{s}` is not a rule code or prefix (see `faultline rules`)")));
            }
        }
        let date = match &args.as_of {
            Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| Error::Usage(format!("--as-of `{d}` is not a date (expected YYYY-MM-DD)")))?,
            None => ctx.today(),
        };
        let upper = |v: &[String]| {
            v.iter().map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty()).collect::<Vec<_>>()
        };
        Ok(Settings {
            select: if args.select.is_empty() { upper(&file.select) } else { upper(&args.select) },
            ignore: upper(&file.ignore).into_iter().chain(upper(&args.ignore)).collect(),
            severity: file.severity.iter().map(|(k, v)| (k.to_ascii_uppercase(), *v)).collect(),
            fail_level: args.fail_level.or(file.fail_level).unwrap_or(Severity::Error),
            options: LintOptions { provider: args.provider.or(file.provider), date },
            unsafe_fixes: args.unsafe_fixes,
        })
    }

    pub fn enabled(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| code.starts_with(s.as_str())))
            && !self.ignore.iter().any(|s| code.starts_with(s.as_str()))
    }

    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(default)
    }
}

/// 1-based line and column (in characters) of a byte offset in a record that starts on line
/// `first_line` (0-based) of its file.
pub fn line_col(text: &str, first_line: usize, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = first_line + memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The linter over one run's settings.
pub struct Linter<'a> {
    pub knowledge: &'a Knowledge,
    pub settings: &'a Settings,
}

impl Linter<'_> {
    /// Lints one record (a whole file, or one NDJSON line starting on `first_line`), calling
    /// `emit` for each reported finding.
    pub fn lint_record(
        &self,
        file: &str,
        text: &str,
        first_line: usize,
        summary: &mut Summary,
        emit: &mut dyn FnMut(&Reported, &Source<'_>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match capture::parse_record(text) {
            Err(problem) => {
                summary.requests += 1;
                let rule = codes::rule(problem.code).unwrap_or(&input::FL902);
                let (line, column) = line_col(text, first_line, problem.at);
                let reported = Reported {
                    code: rule.code,
                    name: rule.name,
                    severity: self.settings.severity_of(rule.code, rule.severity),
                    message: problem.message.clone(),
                    help: Some(input::help(rule.code).to_string()),
                    fix: None,
                    file: file.to_string(),
                    line,
                    column,
                    end_line: line,
                    end_column: column,
                    span: problem.at..problem.at,
                };
                if self.settings.enabled(rule.code) {
                    summary.count(&reported);
                    // The text did not parse, so its credentials are found by scanning it.
                    let secrets = locate::record_secrets(text, &[]);
                    emit(&reported, &Source { text, first_line, secrets: &secrets })?;
                }
            }
            Ok(captures) => {
                // Found once per record, and only when a finding is shown.
                let mut secrets = None;
                for c in &captures {
                    summary.requests += 1;
                    self.lint_capture(file, text, first_line, c, &captures, &mut secrets, summary, emit)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn lint_capture(
        &self,
        file: &str,
        text: &str,
        first_line: usize,
        c: &Capture,
        all: &[Capture],
        secrets: &mut Option<Vec<Range<usize>>>,
        summary: &mut Summary,
        emit: &mut dyn FnMut(&Reported, &Source<'_>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let findings = check_request(self.knowledge, &c.request(), &self.settings.options);
        if findings.is_empty() {
            return Ok(());
        }
        let secrets = secrets.get_or_insert_with(|| locate::record_secrets(text, all));
        let mut located: Vec<(Range<usize>, Reported)> = Vec::new();
        for f in findings {
            if !self.settings.enabled(f.code) {
                continue;
            }
            let span = locate::span(c, text, &f.target);
            let (line, column) = line_col(text, first_line, span.start);
            let (end_line, end_column) = line_col(text, first_line, span.end);
            let fix = f
                .fix
                .as_ref()
                .filter(|x| locate::edits(c, text, &x.edits).is_some())
                .map(|x| FixView { message: x.message.clone(), safe: x.safe });
            let name = codes::rule(f.code).map_or("", |r| r.name);
            located.push((
                span.clone(),
                Reported {
                    code: f.code,
                    name,
                    severity: self.settings.severity_of(f.code, f.severity),
                    message: f.message,
                    help: f.help,
                    fix,
                    file: file.to_string(),
                    line,
                    column,
                    end_line,
                    end_column,
                    span,
                },
            ));
        }
        located.sort_by(|a, b| (a.0.start, a.1.code).cmp(&(b.0.start, b.1.code)));
        for (_, r) in &located {
            summary.count(r);
            emit(r, &Source { text, first_line, secrets })?;
        }
        Ok(())
    }

    /// The fixed text of a whole input (safe fixes, plus unsafe ones when asked), applying
    /// non-overlapping fixes and re-linting until nothing changes. Returns the text and the
    /// number of fixes applied.
    pub fn fix_text(&self, text: &str) -> (String, usize) {
        let mut current = text.to_string();
        let mut applied = 0;
        for _ in 0..10 {
            let mut groups: Vec<Vec<(Range<usize>, String)>> = Vec::new();
            for (base, record) in records_of(&current) {
                let Ok(captures) = capture::parse_record(record) else { continue };
                for c in &captures {
                    for f in check_request(self.knowledge, &c.request(), &self.settings.options) {
                        let Some(fix) = f.fix.as_ref() else { continue };
                        if !self.settings.enabled(f.code) || !(fix.safe || self.settings.unsafe_fixes) {
                            continue;
                        }
                        if let Some(edits) = locate::edits(c, record, &fix.edits) {
                            groups.push(edits.into_iter().map(|(r, s)| (r.start + base..r.end + base, s)).collect());
                        }
                    }
                }
            }
            let mut accepted: Vec<(Range<usize>, String)> = Vec::new();
            for g in groups {
                let clash = g.iter().any(|(r, _)| {
                    accepted.iter().any(|(a, _)| (r.start < a.end && a.start < r.end) || r.start == a.start)
                });
                if !clash && !g.is_empty() {
                    accepted.extend(g);
                    applied += 1;
                }
            }
            if accepted.is_empty() {
                break;
            }
            accepted.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
            for (r, s) in accepted {
                if r.end <= current.len() && current.is_char_boundary(r.start) && current.is_char_boundary(r.end) {
                    current.replace_range(r, &s);
                }
            }
        }
        (current, applied)
    }
}

/// The records of a whole text: NDJSON lines (with their byte offsets), or the text itself.
pub fn records_of(text: &str) -> Vec<(usize, &str)> {
    if capture::is_ndjson(text) {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if !content.trim().is_empty() {
                out.push((offset, content));
            }
            offset += line.len();
        }
        out
    } else {
        vec![(0, text)]
    }
}

/// One input named on the command line, expanded.
enum Input {
    File(PathBuf),
    Stdin,
    Missing(String, String),
}

fn expand(paths: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, &mut out),
            Ok(_) => out.push(Input::File(path)),
            Err(e) => out.push(Input::Missing(p.clone(), e.to_string())),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            out.push(Input::Missing(dir.display().to_string(), e.to_string()));
            return;
        }
    };
    entries.sort();
    for p in entries {
        let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(Input::File(p));
        }
    }
}

/// Reads a stream: NDJSON line by line (constant memory), anything else whole.
fn lint_stream(
    linter: &Linter<'_>,
    name: &str,
    reader: &mut dyn BufRead,
    summary: &mut Summary,
    emit: &mut dyn FnMut(&Reported, &Source<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut first = Vec::new();
    reader.read_until(b'\n', &mut first)?;
    let first_text = String::from_utf8_lossy(&first);
    let first_trim = first_text.trim_start_matches('\u{feff}').trim();
    let streaming = first_trim.starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(first_trim).is_ok();
    if !streaming {
        let mut all = first;
        reader.read_to_end(&mut all)?;
        return match String::from_utf8(all) {
            Ok(text) => linter.lint_record(name, &text, 0, summary, emit),
            Err(_) => {
                not_text(linter, name, summary, emit)?;
                Ok(())
            }
        };
    }
    stream_lines(linter, name, first, reader, summary, emit)
}

/// A finding from a worker, with what the renderer needs of its line.
type Found = (Reported, String, usize, Vec<Range<usize>>);

/// Worker threads: one per core, at most 4 (asked once: the answer reads cgroup files).
fn worker_count() -> usize {
    static WORKERS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WORKERS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4))
}

/// A finding made owned for another thread: only the line it points at is kept (with the span
/// and credential ranges rebased onto it), so memory follows the findings, not the files.
fn owned_found(r: &Reported, s: &Source<'_>) -> Found {
    let text = s.text;
    let mut start = r.span.start.min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text.get(..start).and_then(|b| b.rfind('\n')).map_or(0, |i| i + 1);
    let line_end = text.get(start..).and_then(|a| a.find('\n')).map_or(text.len(), |i| start + i + 1);
    let mut owned = r.clone();
    owned.span = (r.span.start.max(line_start) - line_start)
        ..(r.span.end.clamp(r.span.start, line_end).max(line_start) - line_start);
    let secrets = s
        .secrets
        .iter()
        .filter(|x| x.start < line_end && x.end > line_start)
        .map(|x| x.start.max(line_start) - line_start..x.end.min(line_end) - line_start)
        .collect();
    let line = text.get(line_start..line_end).unwrap_or("").to_string();
    (owned, line, r.line.saturating_sub(1), secrets)
}

/// Bytes of NDJSON read per batch handed to a worker.
const BATCH_BYTES: usize = 1 << 20;

/// Lints one batch of whole lines starting at line `first_line` (0-based).
fn lint_batch(linter: &Linter<'_>, name: &str, data: &[u8], first_line: usize) -> (Summary, Vec<Found>) {
    let mut summary = Summary::default();
    let mut found: Vec<Found> = Vec::new();
    for (line_no, raw) in (first_line..).zip(data.split_inclusive(|b| *b == b'\n')) {
        match std::str::from_utf8(raw) {
            Ok(line) => {
                let content = line.trim_end_matches(['\n', '\r']);
                if !content.trim().is_empty() {
                    let mut emit = |r: &Reported, s: &Source<'_>| {
                        found.push(owned_found(r, s));
                        Ok(())
                    };
                    // Collecting into memory cannot fail.
                    let _ = linter.lint_record(name, content, line_no, &mut summary, &mut emit);
                }
            }
            Err(e) => {
                summary.requests += 1;
                let r = Reported::input(
                    &input::FL901,
                    linter.settings,
                    name,
                    line_no + 1,
                    format!("line is not UTF-8 text: {e}"),
                );
                if linter.settings.enabled(r.code) {
                    summary.count(&r);
                    found.push((r, String::new(), line_no, Vec::new()));
                }
            }
        }
    }
    (summary, found)
}

/// `lint_batch`, with a panic reported as one FL903 for the batch's lines instead of losing them.
fn lint_batch_guarded(linter: &Linter<'_>, name: &str, data: &[u8], first_line: usize) -> (Summary, Vec<Found>) {
    guarded(
        || lint_batch(linter, name, data, first_line),
        || {
            let lines = data.split_inclusive(|b| *b == b'\n').count().max(1);
            let what = format!("lines {}-{} of `{name}`", first_line + 1, first_line + lines);
            internal_error(linter, name, first_line + 1, &what)
        },
    )
}

/// NDJSON: the calling thread reads batches of lines and renders results in input order;
/// workers lint the batches. At most `2 x workers` batches are in flight, so memory is bounded
/// whatever the length of the stream.
fn stream_lines(
    linter: &Linter<'_>,
    name: &str,
    first: Vec<u8>,
    reader: &mut dyn BufRead,
    summary: &mut Summary,
    emit: &mut dyn FnMut(&Reported, &Source<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::collections::BTreeMap;
    use std::sync::{mpsc, Mutex};

    // Short inputs (most files) are linted right here: threads cost more than they save.
    let mut batch = first;
    let mut lines_in_first = usize::from(!batch.is_empty());
    let mut short = false;
    while batch.len() < BATCH_BYTES {
        if reader.read_until(b'\n', &mut batch)? == 0 {
            short = true;
            break;
        }
        lines_in_first += 1;
    }
    if short {
        let (s, found) = lint_batch_guarded(linter, name, &batch, 0);
        summary.merge(&s);
        for (r, text, first_line, secrets) in &found {
            emit(r, &Source { text, first_line: *first_line, secrets })?;
        }
        return Ok(());
    }
    let workers = worker_count();
    let max_in_flight = workers * 2;
    let (work_tx, work_rx) = mpsc::channel::<(usize, usize, Vec<u8>)>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Summary, Vec<Found>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || loop {
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((seq, first_line, data)) = job else { return };
                let (s, found) = lint_batch_guarded(linter, name, &data, first_line);
                if done_tx.send((seq, s, found)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<usize, (Summary, Vec<Found>)> = BTreeMap::new();
        let mut next_out = 0usize;
        let mut in_flight = 0usize;
        let mut emit_ready =
            |pending: &mut BTreeMap<usize, (Summary, Vec<Found>)>, next_out: &mut usize| -> std::io::Result<()> {
                while let Some((s, found)) = pending.remove(next_out) {
                    summary.merge(&s);
                    for (r, text, first_line, secrets) in &found {
                        emit(r, &Source { text, first_line: *first_line, secrets })?;
                    }
                    *next_out += 1;
                }
                Ok(())
            };
        let mut seq = 0usize;
        let mut line_no = 0usize;
        let mut result = Ok(());
        let mut eof = false;
        let mut carried = Some(lines_in_first);
        while !eof {
            let mut lines_in_batch = carried.take().unwrap_or(0);
            while batch.len() < BATCH_BYTES {
                match reader.read_until(b'\n', &mut batch) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(_) => lines_in_batch += 1,
                    Err(e) => {
                        result = Err(e);
                        eof = true;
                        break;
                    }
                }
            }
            if batch.is_empty() {
                break;
            }
            if in_flight == max_in_flight {
                if let Ok((done_seq, s, found)) = done_rx.recv() {
                    pending.insert(done_seq, (s, found));
                    in_flight -= 1;
                    if let Err(e) = emit_ready(&mut pending, &mut next_out) {
                        result = Err(e);
                        break;
                    }
                }
            }
            let data = std::mem::take(&mut batch);
            if work_tx.send((seq, line_no, data)).is_err() {
                break;
            }
            line_no += lines_in_batch;
            seq += 1;
            in_flight += 1;
        }
        drop(work_tx);
        while in_flight > 0 {
            let Ok((done_seq, s, found)) = done_rx.recv() else { break };
            pending.insert(done_seq, (s, found));
            in_flight -= 1;
            if result.is_ok() {
                if let Err(e) = emit_ready(&mut pending, &mut next_out) {
                    result = Err(e);
                }
            }
        }
        result
    })
}

/// Lints one file into owned findings (on a worker thread).
fn lint_file(linter: &Linter<'_>, path: &Path, name: &str) -> (Summary, Vec<Found>) {
    let mut summary = Summary { files: 1, ..Summary::default() };
    let mut found = Vec::new();
    let failure = match std::fs::File::open(path) {
        Ok(f) => {
            let mut reader = std::io::BufReader::with_capacity(1 << 16, f);
            let mut emit = |r: &Reported, s: &Source<'_>| {
                found.push(owned_found(r, s));
                Ok(())
            };
            lint_stream(linter, name, &mut reader, &mut summary, &mut emit).err()
        }
        Err(e) => Some(e),
    };
    if let Some(e) = failure {
        summary.unreadable += 1;
        let r = Reported::input(&input::FL903, linter.settings, name, 1, format!("cannot read `{name}`: {e}"));
        summary.count(&r);
        found.push((r, String::new(), 0, Vec::new()));
    }
    (summary, found)
}

/// Runs `work`; a panic in it (a bug: no input should cause one) becomes `on_panic`'s value, so
/// the input is reported instead of silently dropped with the rest of its worker's results.
fn guarded<T>(work: impl FnOnce() -> T, on_panic: impl FnOnce() -> T) -> T {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| on_panic())
}

/// What an input whose linting panicked reports: FL903, counted as unreadable (exit 3).
fn internal_error(linter: &Linter<'_>, name: &str, line: usize, what: &str) -> (Summary, Vec<Found>) {
    let mut summary = Summary { unreadable: 1, ..Summary::default() };
    let r = Reported::input(
        &input::FL903,
        linter.settings,
        name,
        line,
        format!("internal error while linting {what}: its findings are missing; please report this"),
    );
    summary.count(&r);
    (summary, vec![(r, String::new(), line.saturating_sub(1), Vec::new())])
}

/// How one file is linted on a worker (tests substitute one that panics).
type LintOne<'f> = &'f (dyn Fn(&Linter<'_>, &Path, &str) -> (Summary, Vec<Found>) + Sync);

/// Lints files on one worker per core (up to 4), rendering in the order given. Files go in
/// rounds of 16 per worker, so memory holds one round's findings at most.
fn lint_files(
    linter: &Linter<'_>,
    files: &[(PathBuf, String)],
    summary: &mut Summary,
    emit: &mut dyn FnMut(&Reported, &Source<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    lint_files_with(linter, files, summary, emit, &lint_file)
}

fn lint_files_with(
    linter: &Linter<'_>,
    files: &[(PathBuf, String)],
    summary: &mut Summary,
    emit: &mut dyn FnMut(&Reported, &Source<'_>) -> std::io::Result<()>,
    lint_one: LintOne<'_>,
) -> std::io::Result<()> {
    let workers = worker_count();
    let failed = |name: &str| {
        let (mut s, found) = internal_error(linter, name, 1, &format!("`{name}`"));
        s.files = 1;
        (s, found)
    };
    for round in files.chunks(workers * 16) {
        let per_worker = round.len().div_ceil(workers);
        let results: Vec<(Summary, Vec<Found>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = round
                .chunks(per_worker.max(1))
                .map(|part| {
                    let worker = scope.spawn(move || {
                        part.iter()
                            .map(|(p, name)| guarded(|| lint_one(linter, p, name), || failed(name)))
                            .collect::<Vec<_>>()
                    });
                    (part, worker)
                })
                .collect();
            // A worker that died anyway (outside `guarded`) still accounts for each of its files.
            handles
                .into_iter()
                .flat_map(|(part, h)| h.join().unwrap_or_else(|_| part.iter().map(|(_, name)| failed(name)).collect()))
                .collect()
        });
        for (s, found) in results {
            summary.merge(&s);
            for (r, text, first_line, secrets) in &found {
                emit(r, &Source { text, first_line: *first_line, secrets })?;
            }
        }
    }
    Ok(())
}

fn not_text(
    linter: &Linter<'_>,
    name: &str,
    summary: &mut Summary,
    emit: &mut dyn FnMut(&Reported, &Source<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    summary.unreadable += 1;
    let r = Reported::input(&input::FL903, linter.settings, name, 1, "the file is not UTF-8 text".into());
    summary.count(&r);
    emit(&r, &Source { text: "", first_line: 0, secrets: &[] })
}

/// `faultline lint`.
pub fn run(
    args: &LintArgs,
    global: &GlobalArgs,
    config: &Config,
    ctx: &RunContext,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    let settings = Settings::resolve(args, config, ctx)?;
    let linter = Linter { knowledge: &config.knowledge, settings: &settings };
    let inputs = expand(&args.paths);
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    if args.fix && inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        return Err(Error::Usage(
            "--fix writes files in place and cannot fix stdin; use --diff to see the fixes".into(),
        ));
    }
    let display = |p: &Path| p.display().to_string().replace('\\', "/");

    if args.diff {
        let mut changed = 0;
        let mut fixes = 0;
        let mut unreadable = false;
        for input in &inputs {
            let (name, text) = match input {
                Input::File(p) => match std::fs::read(p).map(String::from_utf8) {
                    Ok(Ok(t)) => (display(p), t),
                    Ok(Err(_)) | Err(_) => {
                        unreadable = true;
                        writeln!(err, "error: {}: cannot be read as text", display(p))?;
                        continue;
                    }
                },
                Input::Stdin => {
                    let mut t = String::new();
                    std::io::stdin().read_to_string(&mut t).map_err(|e| Error::Input(format!("stdin: {e}")))?;
                    (stdin_name.clone(), t)
                }
                Input::Missing(p, e) => {
                    unreadable = true;
                    writeln!(err, "error: {p}: {e}")?;
                    continue;
                }
            };
            let (fixed, n) = linter.fix_text(&text);
            if fixed != text {
                changed += 1;
                fixes += n;
                crate::report::lint::write_diff(out, &name, &text, &fixed, &linter)?;
            }
        }
        if !global.quiet {
            writeln!(err, "{fixes} fix(es) would be applied to {changed} file(s)")?;
        }
        return Ok(if unreadable {
            Exit::Input
        } else if changed > 0 {
            Exit::Findings
        } else {
            Exit::Success
        });
    }

    let color = ctx.use_color(global.color, ctx.stdout_is_tty);
    let mut renderer = Renderer::new(args.format, color, out);
    renderer.begin()?;
    let mut summary = Summary::default();
    let mut fixed_files = 0;
    let mut fixes_applied = 0;
    {
        let mut emit = |r: &Reported, s: &Source<'_>| renderer.finding(r, s);
        let mut i = 0;
        while i < inputs.len() {
            let input = &inputs[i];
            i += 1;
            match input {
                Input::Missing(p, e) => {
                    summary.files += 1;
                    summary.unreadable += 1;
                    let r = Reported::input(&input::FL903, &settings, p, 1, format!("cannot read `{p}`: {e}"));
                    summary.count(&r);
                    emit(&r, &Source { text: "", first_line: 0, secrets: &[] })?;
                }
                Input::Stdin => {
                    summary.files += 1;
                    let stdin = std::io::stdin();
                    let mut lock = stdin.lock();
                    lint_stream(&linter, &stdin_name, &mut lock, &mut summary, &mut emit)?;
                }
                Input::File(first) if !args.fix => {
                    // A run of files goes to the workers together.
                    let mut run = vec![(first.clone(), display(first))];
                    while let Some(Input::File(p)) = inputs.get(i) {
                        run.push((p.clone(), display(p)));
                        i += 1;
                    }
                    lint_files(&linter, &run, &mut summary, &mut emit)?;
                }
                Input::File(p) => {
                    summary.files += 1;
                    let name = display(p);
                    match std::fs::read(p).map(String::from_utf8) {
                        Ok(Ok(text)) => {
                            let (fixed, n) = linter.fix_text(&text);
                            if fixed != text {
                                std::fs::write(p, &fixed)
                                    .map_err(|e| Error::Input(format!("{name}: cannot write the fixed file: {e}")))?;
                                fixed_files += 1;
                                fixes_applied += n;
                            }
                            for (base, record) in records_of(&fixed) {
                                let first_line = memchr::memchr_iter(b'\n', &fixed.as_bytes()[..base]).count();
                                linter.lint_record(&name, record, first_line, &mut summary, &mut emit)?;
                            }
                        }
                        Ok(Err(_)) => not_text(&linter, &name, &mut summary, &mut emit)?,
                        Err(e) => {
                            summary.unreadable += 1;
                            let r = Reported::input(
                                &input::FL903,
                                &settings,
                                &name,
                                1,
                                format!("cannot read `{name}`: {e}"),
                            );
                            summary.count(&r);
                            emit(&r, &Source { text: "", first_line: 0, secrets: &[] })?;
                        }
                    }
                }
            }
        }
    }
    summary.fixed = fixes_applied;
    renderer.end(&summary)?;
    if !global.quiet
        && !matches!(
            args.format,
            crate::report::lint::OutputFormat::Json
                | crate::report::lint::OutputFormat::Sarif
                | crate::report::lint::OutputFormat::Human
        )
    {
        writeln!(err, "{}", summary.line())?;
    }
    if fixed_files > 0 && !global.quiet {
        writeln!(err, "fixed {fixes_applied} problem(s) in {fixed_files} file(s)")?;
    }
    let failing = summary.at_or_above(settings.fail_level);
    Ok(if summary.unreadable > 0 {
        Exit::Input
    } else if failing > 0 {
        Exit::Findings
    } else {
        Exit::Success
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_settings() -> Settings {
        Settings {
            select: vec![],
            ignore: vec![],
            severity: BTreeMap::new(),
            fail_level: Severity::Error,
            options: super::super::LintOptions { provider: None, date: chrono::NaiveDate::default() },
            unsafe_fixes: false,
        }
    }

    #[test]
    fn a_panicking_worker_loses_no_file() {
        let settings = default_settings();
        let linter = Linter { knowledge: crate::lint::testing::knowledge(), settings: &settings };
        let files: Vec<(PathBuf, String)> =
            (0..5).map(|i| (PathBuf::from(format!("f{i}.json")), format!("f{i}.json"))).collect();
        let lint_one = |_: &Linter<'_>, _: &Path, name: &str| -> (Summary, Vec<Found>) {
            if name == "f2.json" {
                panic!("a bug in a rule");
            }
            (Summary { files: 1, requests: 1, ..Summary::default() }, Vec::new())
        };
        let mut summary = Summary::default();
        let mut shown: Vec<(String, String)> = Vec::new();
        let mut emit = |r: &Reported, _: &Source<'_>| {
            shown.push((r.code.to_string(), format!("{}: {}", r.file, r.message)));
            Ok(())
        };
        lint_files_with(&linter, &files, &mut summary, &mut emit, &lint_one).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((summary.files, summary.requests, summary.unreadable), (5, 4, 1), "{summary:?}");
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(shown[0].0, "FL903");
        assert!(shown[0].1.starts_with("f2.json: internal error while linting `f2.json`"), "{shown:?}");
    }

    #[test]
    fn a_panicking_batch_is_reported_for_its_lines() {
        let settings = default_settings();
        let linter = Linter { knowledge: crate::lint::testing::knowledge(), settings: &settings };
        let (s, found) =
            guarded(|| panic!("a bug"), || internal_error(&linter, "s.ndjson", 11, "lines 11-12 of `s.ndjson`"));
        assert_eq!(s.unreadable, 1);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0.code, found[0].0.line), ("FL903", 11));
    }
}
