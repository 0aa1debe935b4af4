//! `cargo bench --bench lint`: throughput of `faultline lint` on 10,000 request files and on an
//! NDJSON stream read from stdin, with peak memory from `/usr/bin/time -v`.
//!
//! Data is generated under bench-data/ (gitignored) on first run. The stream size defaults to
//! 1 GiB; set FAULTLINE_BENCH_STREAM_MB to change it (peak memory must not grow with it).

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const KEY: &str =
    "sk-ant-api03-BenchBenchBenchBench0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX-YZ01234567AA";

fn body(i: usize, broken: bool) -> String {
    let model = if broken { "claude-sonnet-4.5" } else { "claude-sonnet-4-5-20250929" };
    let mut history = String::new();
    for turn in 0..(3 + i % 5) {
        let role = if turn % 2 == 0 { "user" } else { "assistant" };
        let _ = write!(
            history,
            "{{\"role\":\"{role}\",\"content\":[{{\"type\":\"text\",\"text\":\"Turn {turn} of request {i}: please summarise the incident timeline, the failing status codes and the gateway logs in three short paragraphs.\"}}]}},"
        );
    }
    format!("{{\"model\":\"{model}\",\"max_tokens\":1024,\"stream\":true,\"system\":\"You are an SRE assistant.\",\"messages\":[{history}{{\"role\":\"user\",\"content\":\"Go.\"}}]}}")
}

fn envelope(i: usize) -> String {
    let broken = i % 100 == 0;
    let key = if broken { format!("{KEY}\\n") } else { KEY.to_string() };
    format!(
        "{{\"method\":\"POST\",\"url\":\"https://api.anthropic.com/v1/messages\",\"headers\":{{\"x-api-key\":\"{key}\",\"anthropic-version\":\"2023-06-01\",\"content-type\":\"application/json\"}},\"body\":{}}}",
        body(i, broken)
    )
}

fn log_line(i: usize) -> String {
    let broken = i % 100 == 1;
    let body = body(i, broken);
    format!(
        "{{\"@timestamp\":\"2026-11-20T10:00:00Z\",\"request_id\":\"req_{i}\",\"method\":\"POST\",\"path\":\"/v1/messages\",\"status_code\":200,\"request_header\":{{\"authorization\":\"Bearer {KEY}\",\"content-type\":\"application/json\"}},\"request_body\":{}}}",
        serde_json::to_string(&body).unwrap_or_default()
    )
}

fn write_files(dir: &Path, n: usize) {
    if dir.join(format!("{:05}.json", n - 1)).exists() || dir.join(format!("{:05}.http", n - 1)).exists() {
        return;
    }
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    for i in 0..n {
        let (name, text) = match i % 4 {
            0 => (format!("{i:05}.http"), format!("POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\nx-api-key: {KEY}\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n\r\n{}", body(i, i % 100 == 0))),
            1 => (format!("{i:05}.json"), envelope(i)),
            2 => (format!("{i:05}.json"), log_line(i)),
            _ => (format!("{i:05}.json"), body(i, i % 100 == 3)),
        };
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn write_stream(path: &Path, bytes: u64) {
    if std::fs::metadata(path).map(|m| m.len() >= bytes).unwrap_or(false) {
        return;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}")));
    let mut written = 0u64;
    let mut i = 0;
    while written < bytes {
        let line = if i % 2 == 0 { envelope(i) } else { log_line(i) };
        out.write_all(line.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        out.write_all(b"\n").unwrap_or_else(|e| panic!("{e}"));
        written += line.len() as u64 + 1;
        i += 1;
    }
}

/// What /usr/bin/time -v measured.
struct Timing {
    wall: f64,
    cpu: f64,
    rss_kib: u64,
    load: String,
}

/// Runs the command under /usr/bin/time -v. The machine is shared, so CPU time (user + system)
/// is reported beside wall time, with the load average at the start.
fn timed(args: &[&str], stdin: Option<&Path>) -> Timing {
    let load =
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').next().unwrap_or("?").to_string();
    let bin = env!("CARGO_BIN_EXE_faultline");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-v").arg(bin).args(args).stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(p) = stdin {
        cmd.stdin(std::fs::File::open(p).unwrap_or_else(|e| panic!("{e}")));
    }
    let start = Instant::now();
    let out = cmd.output().unwrap_or_else(|e| panic!("/usr/bin/time: {e}"));
    let secs = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let field = |name: &str| -> f64 {
        stderr.lines().find_map(|l| l.trim().strip_prefix(name)).and_then(|v| v.trim().parse().ok()).unwrap_or(0.0)
    };
    Timing {
        wall: secs,
        cpu: field("User time (seconds): ") + field("System time (seconds): "),
        rss_kib: field("Maximum resident set size (kbytes): ") as u64,
        load,
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    let files = root.join("files");
    let n = 10_000;
    write_files(&files, n);
    let total: u64 = std::fs::read_dir(&files)
        .map(|d| d.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0);
    let t = timed(&["lint", "-q", "--format", "concise", files.to_str().unwrap_or(".")], None);
    println!(
        "files:  {n} files, {:.1} MB: wall {:.2} s = {:.0} files/s ({:.1} MB/s); CPU {:.2} s = {:.0} files per CPU-second; peak RSS {:.1} MB; load {}",
        total as f64 / 1e6,
        t.wall,
        n as f64 / t.wall,
        total as f64 / 1e6 / t.wall,
        t.cpu,
        n as f64 / t.cpu.max(1e-9),
        t.rss_kib as f64 / 1024.0,
        t.load
    );
    if std::env::var_os("FAULTLINE_BENCH_FILES_ONLY").is_some() {
        return;
    }

    let mb: u64 = std::env::var("FAULTLINE_BENCH_STREAM_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    let stream = root.join(format!("stream-{mb}MB.ndjson"));
    write_stream(&stream, mb * 1024 * 1024);
    let size = std::fs::metadata(&stream).map(|m| m.len()).unwrap_or(0);
    let t = timed(&["lint", "-q", "--format", "concise", "-"], Some(&stream));
    println!(
        "stream: {:.1} MB NDJSON on stdin: wall {:.2} s = {:.0} MB/s; CPU {:.2} s = {:.0} MB per CPU-second; peak RSS {:.1} MB; load {}",
        size as f64 / 1e6,
        t.wall,
        size as f64 / 1e6 / t.wall,
        t.cpu,
        size as f64 / 1e6 / t.cpu.max(1e-9),
        t.rss_kib as f64 / 1024.0,
        t.load
    );
}
