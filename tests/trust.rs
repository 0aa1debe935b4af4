//! Issue "Trust": no credential in any output, no wrong answer on look-alike input, no stall on
//! a long line. One test (at least) per item, named after what it protects; each checks the
//! defect and a look-alike that must stay as it is.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

/// Anthropic key shape: `sk-ant-api03-` then base62 with `-`/`_` (the form the Console issues).
const KEY: &str =
    "sk-ant-api03-TRUSTtrustTRUST0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-AbCdEfAA";
/// A part of [`KEY`] past its safe prefix: never printed.
const KEY_BODY: &str = "TRUSTtrustTRUST0123";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn faultline(dir: &Path, args: &[&str], stdin: Option<&str>) -> Out {
    let mut cmd = Command::cargo_bin("faultline").unwrap_or_else(|e| panic!("{e}"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "200")
        .args(["--color", "never"])
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{e}"));
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write;
        // A child that stops reading early closes the pipe: not this helper's failure.
        let _ = pipe.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn lint(dir: &Path, args: &[&str]) -> Out {
    let mut all = vec!["lint", "--as-of", "2026-11-20"];
    all.extend_from_slice(args);
    faultline(dir, &all, None)
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"));
}

const LINT_FORMATS: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

/// (b) `faultline lint sk-ant-…`: a key given where a path was meant is not echoed by FL903
/// (message, `-->` location, SARIF/GitHub file names) in any format, nor by `--diff`; a path
/// that merely does not exist is still named as typed.
#[test]
fn a_key_given_as_a_lint_path_is_never_echoed() {
    let dir = tempdir();
    for format in LINT_FORMATS {
        let out = lint(dir.path(), &["--format", format, KEY]);
        assert_eq!(out.code, 3, "{format}: {}", out.all());
        assert!(!out.all().contains(KEY_BODY), "{format} echoed the key:\n{}", out.all());
        assert!(out.all().contains("sk-ant-api03-… sha256:"), "{format}: {}", out.all());
        // Look-alike: an ordinary missing path is shown as typed.
        let out = lint(dir.path(), &["--format", format, "captures/2026-03-01/request-17.json"]);
        assert!(out.all().contains("captures/2026-03-01/request-17.json"), "{format}: {}", out.all());
    }
    let out = lint(dir.path(), &["--diff", KEY]);
    assert!(!out.all().contains(KEY_BODY), "--diff echoed the key:\n{}", out.all());
    assert!(lint(dir.path(), &["--diff", "missing.json"]).stderr.contains("missing.json"));
}

/// Item 12: `lint --format human` is linear in a credential's length on the finding's line (a
/// 1 MiB key took minutes when each byte re-measured the key's shown prefix); the key is still
/// masked, and the finding still points at its trailing space.
#[test]
fn a_long_key_line_renders_in_linear_time() {
    let dir = tempdir();
    let mut key = String::from("sk-ant-api03-");
    while key.len() < 1 << 20 {
        key.push_str("Ab3dEf7hIj0kLm9n");
    }
    // A raw HTTP capture with a trailing space after the key (FL002), the key alone on its line.
    let capture = format!(
        "POST /v1/messages HTTP/1.1\r\nhost: api.anthropic.com\r\nx-api-key: {key} \r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n\r\n{{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":10,\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}"
    );
    write(dir.path(), "long.http", &capture);
    let started = Instant::now();
    let out = lint(dir.path(), &["--format", "human", "long.http"]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "1 MiB key took {took:?}");
    assert!(out.stdout.contains("FL002"), "{}", out.stdout);
    assert!(!out.stdout.contains("Ab3dEf7hIj0kLm9n"), "the key is shown");
    assert!(out.stdout.len() < 10_000, "the key's line is collapsed: {} bytes", out.stdout.len());
}
