//! Reading inputs into the linter: a stream (a file or stdin) NDJSON line by line in constant
//! memory, anything else whole; runs of files and long streams on worker threads, findings
//! rendered in input order as they are found.

use std::io::BufRead;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::linter::Linter;
use super::reported::{Reported, Source, Totals};
use super::rules::input;
use super::sink::Emit;

/// Reads a stream: NDJSON line by line (constant memory), anything else whole.
pub fn lint_stream(
    linter: &Linter<'_>,
    name: &str,
    reader: &mut dyn BufRead,
    totals: &mut Totals,
    emit: &mut Emit<'_>,
) -> std::io::Result<()> {
    let mut first = Vec::new();
    read_line_capped(reader, &mut first)?;
    let first_text = String::from_utf8_lossy(&first);
    let first_trim = first_text.trim_start_matches('\u{feff}').trim();
    // A first line over the cap is NDJSON's (nothing else has a 16 MiB line): it is skipped.
    let streaming = first == TOO_LONG
        || first_trim.starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(first_trim).is_ok();
    if !streaming {
        let mut all = first;
        reader.read_to_end(&mut all)?;
        return match String::from_utf8(all) {
            Ok(text) => linter.lint_record(name, &text, 0, totals, emit),
            Err(_) => {
                not_text(linter, name, totals, emit)?;
                Ok(())
            }
        };
    }
    stream_lines(linter, name, first, reader, totals, emit)
}

/// Longest line linted, as in diagnose (`logs::reader::MAX_LINE_BYTES`): a longer one is skipped
/// and reported, never held in memory.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// What stands in a batch for a line longer than [`MAX_LINE_BYTES`] (one line, so the line
/// numbers after it stay right).
const TOO_LONG: &[u8] = b"\0faultline: line longer than 16 MiB\0\n";

/// Reads one line onto `buf` (with its `\n`), or [`TOO_LONG`] in place of a line longer than
/// [`MAX_LINE_BYTES`], whose bytes are read and dropped. Returns the bytes read (0 at the end).
fn read_line_capped(reader: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let start = buf.len();
    let mut read = 0;
    let mut too_long = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() - start + take > MAX_LINE_BYTES + 1 {
                too_long = true;
                buf.truncate(start);
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        reader.consume(take);
        read += take;
        if done {
            break;
        }
    }
    if too_long {
        buf.extend_from_slice(TOO_LONG);
    }
    Ok(read)
}

/// Reads whole lines onto `batch` until it holds [`BATCH_BYTES`] or more, adding the lines read
/// to `lines`; returns whether the stream ended first. The lines that end inside the reader's
/// buffer are taken in one copy (each shorter than the buffer, so under [`MAX_LINE_BYTES`]); a
/// line that runs past it goes through [`read_line_capped`].
fn fill_batch(reader: &mut dyn BufRead, batch: &mut Vec<u8>, lines: &mut usize) -> std::io::Result<bool> {
    while batch.len() < BATCH_BYTES {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(true);
        }
        // Lines up to the batch's size only, so a batch stays in its allocation.
        let room = BATCH_BYTES.saturating_sub(batch.len()).min(chunk.len());
        match memchr::memrchr(b'\n', &chunk[..room]) {
            Some(last) if last < MAX_LINE_BYTES => {
                let whole = &chunk[..=last];
                *lines += memchr::memchr_iter(b'\n', whole).count();
                batch.extend_from_slice(whole);
                reader.consume(last + 1);
            }
            _ => {
                if read_line_capped(reader, batch)? == 0 {
                    return Ok(true);
                }
                *lines += 1;
            }
        }
    }
    Ok(false)
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

/// The lines of a batch, each with its `\n` (the last may have none): `split_inclusive` on
/// `\n`, cut with memchr instead of a test of every byte (8 % of `lint -`'s time).
fn lines_of(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// Room made for a batch: its size and a line over it.
const BATCH_CAPACITY: usize = BATCH_BYTES + BATCH_BYTES / 4;

/// Lints one batch of whole lines starting at line `first_line` (0-based).
fn lint_batch(linter: &Linter<'_>, name: &str, data: &[u8], first_line: usize) -> (Totals, Vec<Found>) {
    let mut totals = Totals::default();
    let mut found: Vec<Found> = Vec::new();
    for (line_no, raw) in (first_line..).zip(lines_of(data)) {
        match std::str::from_utf8(raw) {
            Ok(_) if raw == TOO_LONG => {
                totals.unreadable += 1;
                let r = Reported::input(
                    &input::FL903,
                    linter.settings,
                    name,
                    line_no + 1,
                    format!("line {} is longer than 16 MiB: skipped, not linted", line_no + 1),
                );
                totals.count(&r);
                found.push((r, String::new(), line_no, Vec::new()));
            }
            Ok(line) => {
                let content = line.trim_end_matches(['\n', '\r']);
                if !content.trim().is_empty() {
                    let mut emit = |r: &Reported, s: &Source<'_>| {
                        found.push(owned_found(r, s));
                        Ok(())
                    };
                    // Collecting into memory cannot fail.
                    let _ = linter.lint_record(name, content, line_no, &mut totals, &mut emit);
                }
            }
            Err(e) => {
                totals.requests += 1;
                let r = Reported::input(
                    &input::FL901,
                    linter.settings,
                    name,
                    line_no + 1,
                    format!("line is not UTF-8 text: {e}"),
                );
                if linter.settings.enabled(r.code) {
                    totals.count(&r);
                    found.push((r, String::new(), line_no, Vec::new()));
                }
            }
        }
    }
    (totals, found)
}

/// `lint_batch`, with a panic reported as one FL903 for the batch's lines instead of losing them.
fn lint_batch_guarded(linter: &Linter<'_>, name: &str, data: &[u8], first_line: usize) -> (Totals, Vec<Found>) {
    guarded(
        || lint_batch(linter, name, data, first_line),
        || {
            let lines = lines_of(data).count().max(1);
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
    totals: &mut Totals,
    emit: &mut Emit<'_>,
) -> std::io::Result<()> {
    use std::collections::BTreeMap;
    use std::sync::{mpsc, Mutex};

    // Short inputs (most files) are linted right here: threads cost more than they save.
    let mut batch = first;
    let mut lines_in_first = usize::from(!batch.is_empty());
    let short = fill_batch(reader, &mut batch, &mut lines_in_first)?;
    if short {
        let (s, found) = lint_batch_guarded(linter, name, &batch, 0);
        totals.merge(&s);
        for (r, text, first_line, secrets) in &found {
            emit(r, &Source { text, first_line: *first_line, secrets })?;
        }
        return Ok(());
    }
    let workers = worker_count();
    let max_in_flight = workers * 2;
    let (work_tx, work_rx) = mpsc::channel::<(usize, usize, Vec<u8>)>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Totals, Vec<Found>)>();
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
        let mut pending: BTreeMap<usize, (Totals, Vec<Found>)> = BTreeMap::new();
        let mut next_out = 0usize;
        let mut in_flight = 0usize;
        let mut emit_ready =
            |pending: &mut BTreeMap<usize, (Totals, Vec<Found>)>, next_out: &mut usize| -> std::io::Result<()> {
                while let Some((s, found)) = pending.remove(next_out) {
                    totals.merge(&s);
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
            match fill_batch(reader, &mut batch, &mut lines_in_batch) {
                Ok(end) => eof = end,
                Err(e) => {
                    result = Err(e);
                    eof = true;
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
            let data = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_CAPACITY));
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
fn lint_file(linter: &Linter<'_>, path: &Path, name: &str) -> (Totals, Vec<Found>) {
    let mut totals = Totals { files: 1, ..Totals::default() };
    let mut found = Vec::new();
    let failure = match std::fs::File::open(path) {
        Ok(f) => {
            let mut reader = std::io::BufReader::with_capacity(1 << 16, f);
            let mut emit = |r: &Reported, s: &Source<'_>| {
                found.push(owned_found(r, s));
                Ok(())
            };
            lint_stream(linter, name, &mut reader, &mut totals, &mut emit).err()
        }
        Err(e) => Some(e),
    };
    if let Some(e) = failure {
        totals.unreadable += 1;
        let r = Reported::unreadable(linter.settings, name, &e);
        totals.count(&r);
        found.push((r, String::new(), 0, Vec::new()));
    }
    (totals, found)
}

/// Runs `work`; a panic in it (a bug: no input should cause one) becomes `on_panic`'s value, so
/// the input is reported instead of silently dropped with the rest of its worker's results.
fn guarded<T>(work: impl FnOnce() -> T, on_panic: impl FnOnce() -> T) -> T {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| on_panic())
}

/// What an input whose linting panicked reports: FL903, counted as unreadable (exit 3).
fn internal_error(linter: &Linter<'_>, name: &str, line: usize, what: &str) -> (Totals, Vec<Found>) {
    let mut totals = Totals { unreadable: 1, ..Totals::default() };
    let r = Reported::input(
        &input::FL903,
        linter.settings,
        name,
        line,
        format!("internal error while linting {what}: its findings are missing; please report this"),
    );
    totals.count(&r);
    (totals, vec![(r, String::new(), line.saturating_sub(1), Vec::new())])
}

/// How one file is linted on a worker (tests substitute one that panics).
type LintOne<'f> = &'f (dyn Fn(&Linter<'_>, &Path, &str) -> (Totals, Vec<Found>) + Sync);

/// Lints files on one worker per core (up to 4), rendering in the order given. Files go in
/// rounds of 16 per worker, so memory holds one round's findings at most.
pub fn lint_files(
    linter: &Linter<'_>,
    files: &[(PathBuf, String)],
    totals: &mut Totals,
    emit: &mut Emit<'_>,
) -> std::io::Result<()> {
    lint_files_with(linter, files, totals, emit, &lint_file)
}

fn lint_files_with(
    linter: &Linter<'_>,
    files: &[(PathBuf, String)],
    totals: &mut Totals,
    emit: &mut Emit<'_>,
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
        let results: Vec<(Totals, Vec<Found>)> = std::thread::scope(|scope| {
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
            totals.merge(&s);
            for (r, text, first_line, secrets) in &found {
                emit(r, &Source { text, first_line: *first_line, secrets })?;
            }
        }
    }
    Ok(())
}

pub fn not_text(linter: &Linter<'_>, name: &str, totals: &mut Totals, emit: &mut Emit<'_>) -> std::io::Result<()> {
    totals.unreadable += 1;
    let r = Reported::input(&input::FL903, linter.settings, name, 1, "the file is not UTF-8 text".into());
    totals.count(&r);
    emit(&r, &Source { text: "", first_line: 0, secrets: &[] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{LintOptions, Settings};

    fn default_settings() -> Settings {
        Settings::new(LintOptions { provider: None, date: chrono::NaiveDate::default() })
    }

    #[test]
    fn a_panicking_worker_loses_no_file() {
        let settings = default_settings();
        let linter = Linter { knowledge: crate::lint::testing::knowledge(), settings: &settings };
        let files: Vec<(PathBuf, String)> =
            (0..5).map(|i| (PathBuf::from(format!("f{i}.json")), format!("f{i}.json"))).collect();
        let lint_one = |_: &Linter<'_>, _: &Path, name: &str| -> (Totals, Vec<Found>) {
            if name == "f2.json" {
                panic!("a bug in a rule");
            }
            (Totals { files: 1, requests: 1, ..Totals::default() }, Vec::new())
        };
        let mut totals = Totals::default();
        let mut shown: Vec<(String, String)> = Vec::new();
        let mut emit = |r: &Reported, _: &Source<'_>| {
            shown.push((r.code.to_string(), format!("{}: {}", r.file, r.message)));
            Ok(())
        };
        lint_files_with(&linter, &files, &mut totals, &mut emit, &lint_one).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((totals.files, totals.requests, totals.unreadable), (5, 4, 1), "{totals:?}");
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
