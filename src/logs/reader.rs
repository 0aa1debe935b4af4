//! Sources of log lines: a file (plain or gzip, detected by its magic bytes, not its name), or
//! stdin. Cut into chunks of whole lines so worker threads can parse them in parallel.
//!
//! Memory stays bounded whatever the input: chunks are ~2 MiB, the queue between the reader and
//! the workers is short, and a line longer than [`MAX_LINE_BYTES`] is skipped (counted, not kept).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

/// Bytes per chunk handed to a worker.
pub const CHUNK_BYTES: usize = 2 << 20;
/// Longest line kept; longer ones are skipped as "line longer than 16 MiB".
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// A readable log source.
pub struct Source {
    /// How the source is named in messages (`incident.ndjson.gz`, `stdin`).
    pub name: String,
    pub reader: Box<dyn Read + Send>,
}

/// Opens `-` (stdin) or a path; gzip is detected by its first two bytes.
pub fn open(spec: &str) -> Result<Source> {
    if spec == "-" {
        grow_stdin_pipe();
        return wrap("stdin".into(), Box::new(std::io::stdin()));
    }
    let path = Path::new(spec);
    if path.is_dir() {
        return Err(Error::Input(format!("{spec}: is a directory, expected an NDJSON file (or '-' for stdin)")));
    }
    let file = File::open(path).map_err(|e| Error::Input(format!("{spec}: cannot open: {e}")))?;
    wrap(spec.to_string(), Box::new(file))
}

/// Bytes asked for the buffer of a pipe on stdin (Linux lets anyone grow a pipe to 1 MiB,
/// `/proc/sys/fs/pipe-max-size`).
#[cfg(target_os = "linux")]
const STDIN_PIPE_BYTES: libc::c_int = 1 << 20;

/// Grows the buffer of the pipe on stdin, when stdin is one: the default 64 KiB makes the
/// writer and this reader take turns every 64 KiB, which cost ~20 % of the wall time of `cat F |
/// faultline diagnose -`. Anything else on stdin (a file, a terminal) refuses it, and so does a
/// system with a lower limit: then nothing changes. `lint -` grows it too.
pub(crate) fn grow_stdin_pipe() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: fcntl(2) on descriptor 0 with F_SETPIPE_SZ and an integer argument reads and
        // writes no memory of this process; an invalid use (not a pipe, limit too low) returns
        // -1, ignored. Exercised by every test that pipes stdin into `diagnose -`.
        let _ = unsafe { libc::fcntl(0, libc::F_SETPIPE_SZ, STDIN_PIPE_BYTES) };
    }
}

/// [`open`], adding the bytes read from the file (compressed bytes for gzip) to `bytes`; also
/// returns the file's size when known (`None` for stdin). For a progress bar.
pub fn open_counted(spec: &str, bytes: std::sync::Arc<std::sync::atomic::AtomicU64>) -> Result<(Source, Option<u64>)> {
    if spec == "-" {
        // Counted too: the progress shows the bytes read so far (the size is unknown).
        return Ok((wrap("stdin".into(), Box::new(Counted { inner: std::io::stdin(), bytes }))?, None));
    }
    let path = Path::new(spec);
    if path.is_dir() {
        return open(spec).map(|s| (s, None));
    }
    let file = File::open(path).map_err(|e| Error::Input(format!("{spec}: cannot open: {e}")))?;
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    Ok((wrap(spec.to_string(), Box::new(Counted { inner: file, bytes }))?, size))
}

/// A reader that counts what passes through it.
struct Counted<R> {
    inner: R,
    bytes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Wraps any reader (tests feed byte slices); gzip is detected by its magic bytes.
pub fn wrap(name: String, reader: Box<dyn Read + Send>) -> Result<Source> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head = buffered.fill_buf().map_err(|e| Error::Input(format!("{name}: cannot read: {e}")))?;
    let gz = head.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn Read + Send> =
        if gz { Box::new(flate2::read::MultiGzDecoder::new(buffered)) } else { Box::new(buffered) };
    Ok(Source { name, reader })
}

/// A run of whole lines.
pub struct Chunk {
    /// 1-based number of the first line in `data`.
    pub first_line: u64,
    pub data: Vec<u8>,
}

/// What the chunker met besides chunks.
#[derive(Debug, Default)]
pub struct ReadReport {
    /// Line numbers of lines longer than [`MAX_LINE_BYTES`].
    pub huge_lines: Vec<u64>,
    pub huge_line_count: u64,
    /// A read error that ended the input early (truncated gzip, I/O error), with the line it hit.
    pub ended_early: Option<(u64, String)>,
    pub bytes: u64,
}

/// Cuts a reader into chunks of whole lines, calling `emit` for each; returns what it met.
/// `emit` returning false stops reading. The buffer for each next chunk comes from `spare` when
/// it has one (the buffers of chunks already read, handed back): a buffer that was used holds its
/// pages and needs no zeroing, where a new one costs page faults and a memset per chunk.
pub fn chunk_lines(
    reader: &mut dyn Read,
    mut emit: impl FnMut(Chunk) -> bool,
    mut spare: impl FnMut() -> Option<Vec<u8>>,
) -> ReadReport {
    let mut report = ReadReport::default();
    let mut line_no: u64 = 1;
    // `data[..filled]` holds what was read and not yet handed on; `data` is initialised (and
    // read into) up to its length, which may be past `filled`.
    let mut data: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
    let mut filled = 0usize;
    let mut discarding = false;
    // A read error met after some bytes were read: those are handled first, then the error.
    let mut failed: Option<std::io::Error> = None;
    let mut at_end = false;
    loop {
        let start = filled;
        if let Some(e) = failed.take() {
            let lines = memchr::memchr_iter(b'\n', &data[..filled]).count() as u64;
            report.ended_early = Some((line_no + lines, e.to_string()));
            break;
        }
        if at_end {
            break;
        }
        if data.capacity() - start < CHUNK_BYTES / 2 {
            data.truncate(filled);
            data.reserve(CHUNK_BYTES);
        }
        // Only the space never used is zeroed: a pipe gives 64 KiB a read, and zeroing the
        // whole spare space for each of them cost stdin twice the CPU of a file.
        let capacity = data.capacity();
        if data.len() < capacity {
            data.resize(capacity, 0);
        }
        let mut read = 0;
        while start + read < data.len() {
            match data.get_mut(start + read..).map(|buf| read_some(reader, buf)) {
                Some(Ok(0)) | None => {
                    at_end = true;
                    break;
                }
                Some(Ok(n)) => read += n,
                Some(Err(e)) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        filled = start + read;
        report.bytes += read as u64;
        if read == 0 {
            continue;
        }
        if discarding {
            match memchr::memchr(b'\n', &data[..filled]) {
                Some(nl) => {
                    data.copy_within(nl + 1..filled, 0);
                    filled -= nl + 1;
                    line_no += 1;
                    discarding = false;
                }
                None => {
                    filled = 0;
                    continue;
                }
            }
        }
        // Only the partial line at the start of `data` can grow past the limit (complete lines
        // are handed on once half a chunk has gathered).
        if filled > MAX_LINE_BYTES {
            let first_nl = memchr::memchr(b'\n', &data[..filled]);
            if first_nl.map_or(true, |nl| nl > MAX_LINE_BYTES) {
                report.huge_line_count += 1;
                if report.huge_lines.len() < crate::diagnose::summary::SKIPPED_LINES_KEPT {
                    report.huge_lines.push(line_no);
                }
                match first_nl {
                    Some(nl) => {
                        data.copy_within(nl + 1..filled, 0);
                        filled -= nl + 1;
                        line_no += 1;
                    }
                    None => {
                        filled = 0;
                        discarding = true;
                        continue;
                    }
                }
            }
        }
        match memchr::memrchr(b'\n', &data[..filled]) {
            Some(last) if filled >= CHUNK_BYTES / 2 || last + 1 == filled => {
                // The partial line after the last newline starts the next buffer.
                let mut next = spare().filter(|b| b.capacity() >= CHUNK_BYTES).unwrap_or_default();
                if next.capacity() < CHUNK_BYTES {
                    next = Vec::with_capacity(CHUNK_BYTES);
                }
                let rest = last + 1..filled;
                let kept = rest.len();
                if next.len() < kept {
                    next.resize(kept, 0);
                }
                next[..kept].copy_from_slice(&data[rest]);
                data.truncate(last + 1);
                let lines = memchr::memchr_iter(b'\n', &data).count() as u64;
                let chunk = Chunk { first_line: line_no, data: std::mem::replace(&mut data, next) };
                filled = kept;
                line_no += lines;
                if !emit(chunk) {
                    return report;
                }
            }
            _ => {}
        }
    }
    if !discarding && filled > 0 {
        data.truncate(filled);
        emit(Chunk { first_line: line_no, data });
    }
    report
}

fn read_some(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Iterates the lines of a chunk with their numbers; a trailing `\r` is removed.
pub fn lines(chunk: &Chunk) -> impl Iterator<Item = (u64, &[u8])> {
    let data = &chunk.data[..];
    let mut start = 0usize;
    let mut number = chunk.first_line;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', data.get(start..)?).map_or(data.len(), |i| start + i);
        let mut line = data.get(start..end)?;
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        let item = (number, line);
        start = end + 1;
        number += 1;
        Some(item)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of `input` read whole, each chunk in a new buffer.
    fn collect(input: &[u8]) -> (Vec<(u64, Vec<u8>)>, ReadReport) {
        collect_with(input, usize::MAX, false)
    }

    #[test]
    fn numbers_lines_across_chunks_and_keeps_a_last_line_without_newline() {
        let mut text = Vec::new();
        for i in 0..200_000 {
            text.extend_from_slice(format!("line {i}\r\n").as_bytes());
        }
        text.extend_from_slice(b"tail");
        let (lines, report) = collect(&text);
        assert_eq!(lines.len(), 200_001);
        assert_eq!(lines[123_456], (123_457, b"line 123456".to_vec()));
        assert_eq!(lines[200_000], (200_001, b"tail".to_vec()));
        assert!(report.ended_early.is_none());
    }

    /// Gives at most `step` bytes a read, as a pipe does.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// The lines of `input` read `step` bytes at a time; with `reuse`, every chunk's buffer is
    /// handed back filled to its capacity with `Z`s (what a used buffer may hold), and each next
    /// chunk is read into one of them.
    fn collect_with(input: &[u8], step: usize, reuse: bool) -> (Vec<(u64, Vec<u8>)>, ReadReport) {
        let returned = std::cell::RefCell::new(Vec::<Vec<u8>>::new());
        let mut out = Vec::new();
        let mut reader = Trickle(input, step);
        let report = chunk_lines(
            &mut reader,
            |c| {
                for (n, l) in lines(&c) {
                    out.push((n, l.to_vec()));
                }
                if reuse {
                    let mut used = c.data;
                    used.resize(used.capacity(), b'Z');
                    returned.borrow_mut().push(used);
                }
                true
            },
            || returned.borrow_mut().pop(),
        );
        (out, report)
    }

    #[test]
    fn reused_buffers_give_the_same_lines_and_never_their_old_bytes() {
        let mut text = Vec::new();
        for i in 0..200_000 {
            text.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        text.extend(std::iter::repeat(b'x').take(MAX_LINE_BYTES + 10));
        text.extend_from_slice(b"\nafter the huge line\ntail");
        let (plain, plain_report) = collect(&text);
        for step in [65_536, 7_777, CHUNK_BYTES + 3] {
            let (reused, report) = collect_with(&text, step, true);
            assert!(reused == plain, "{step}-byte reads");
            assert_eq!(
                (report.huge_lines.clone(), report.bytes),
                (plain_report.huge_lines.clone(), plain_report.bytes)
            );
        }
        assert!(plain.iter().all(|(_, l)| !l.contains(&b'Z')));
        assert_eq!(plain.last().map(|(n, l)| (*n, l.as_slice())), Some((200_003, b"tail".as_slice())));
    }

    #[test]
    fn a_huge_line_is_skipped_not_kept() {
        let mut text = b"first\n".to_vec();
        text.extend(std::iter::repeat(b'x').take(MAX_LINE_BYTES + 10));
        text.extend_from_slice(b"\nlast\n");
        let (lines, report) = collect(&text);
        assert_eq!(report.huge_line_count, 1);
        assert_eq!(report.huge_lines, vec![2]);
        let kept: Vec<_> = lines.iter().map(|(n, l)| (*n, String::from_utf8_lossy(l).to_string())).collect();
        assert_eq!(kept, vec![(1, "first".to_string()), (3, "last".to_string())]);
    }

    #[test]
    fn gzip_is_detected_by_magic() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = enc.write_all(b"{\"a\":1}\n");
        let gz = enc.finish().unwrap_or_default();
        let Ok(mut source) = wrap("x".into(), Box::new(std::io::Cursor::new(gz))) else { panic!("open") };
        let mut text = String::new();
        let _ = source.reader.read_to_string(&mut text);
        assert_eq!(text, "{\"a\":1}\n");
    }
}
