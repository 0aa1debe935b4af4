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
    fn status_ok(&self) -> bool {
        self.code == 0
    }

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

/// Secrets of other issuers, each in the shape its issuer documents, with a part that may never
/// be printed: AWS (the AWS docs' example access key ID and secret access key), GitHub token
/// formats (`ghp_`, `github_pat_`), OpenAI project keys (`sk-proj-`), a JWT (RFC 7519's
/// example shape), a Google API key (`AIza` + 35) and OAuth token (`ya29.`).
const OTHER_SECRETS: [(&str, &str); 8] = [
    ("AKIAIOSFODNN7EXAMPLE", "IOSFODNN7"),
    ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "K7MDENG"),
    ("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "aBcDeFgHiJ"),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "11ABCDEFG0123"),
    ("sk-proj-abcDEF123ghiJKL456mnoPQR789stuVWX", "abcDEF123"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpM", "SflKxwRJ"),
    ("AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "SyA1b2C3"),
    ("ya29.a0AfH6SMBxTRUSTtokenvalue0123", "TRUSTtoken"),
];

/// Every part that may never be printed: the Anthropic key's and the other issuers'.
fn never_shown() -> Vec<&'static str> {
    std::iter::once(KEY_BODY).chain(OTHER_SECRETS.iter().map(|(_, body)| *body)).collect()
}

fn assert_no_secret(what: &str, shown: &str) {
    for secret in never_shown() {
        assert!(!shown.contains(secret), "{what} shows `{secret}`:\n{shown}");
    }
}

/// Lint captures full of credentials: every credential header form, the other issuers' secrets
/// in a body, a `\u`-escaped Anthropic key in a JSON string, query credentials.
fn credential_captures(dir: &Path) {
    let others: Vec<&str> = OTHER_SECRETS.iter().map(|(s, _)| *s).collect();
    let text = others.join(" ");
    // The body is fixable (an alias model with --unsafe-fixes; no anthropic-version header in
    // some) so `--diff` shows the lines holding the secrets.
    let body =
        format!(r#"{{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{{"role":"user","content":"{text}"}}]}}"#);
    let escaped: String = KEY.replacen('s', r"\u0073", 1).replacen("-ant", r"\u002dant", 1);
    // The Anthropic SDKs send the key as `x-api-key`; `Authorization: Bearer` is RFC 6750's form.
    write(
        dir,
        "envelope.json",
        &format!(
            r#"{{"method":"POST","url":"https://api.anthropic.com/v1/messages?key={}","headers":{{"x-api-key":"{KEY}\n","content-type":"application/json"}},"body":{body}}}"#,
            OTHER_SECRETS[6].0
        ),
    );
    write(
        dir,
        "escaped.json",
        &format!(
            r#"{{"method":"POST","url":"https://api.anthropic.com/v1/messages","headers":{{"authorization":"bearer {escaped}","content-type":"application/json"}},"body":{{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{{"role":"user","content":"see {escaped}"}}]}}}}"#
        ),
    );
    write(
        dir,
        "request.http",
        &format!("POST /v1/messages?access_token={} HTTP/1.1\r\nhost: api.anthropic.com\r\nAuthorization: Bearer {KEY} \r\ncontent-type: application/json\r\n\r\n{body}", OTHER_SECRETS[7].0),
    );
    write(
        dir,
        "request.curl",
        &format!("curl https://api.anthropic.com/v1/messages -H 'x-api-key: {KEY}' -H 'content-type: application/json' -d '{body}'\n"),
    );
    write(dir, "bodies.ndjson", &format!("{body}\n{{\"content\":\"{text}\"}}\n"));
}

/// (a) Items 1–5: every lint format (human, concise, json, sarif, github) and `--diff`, over
/// captures full of credentials, shows none of them; the hashed forms are there instead.
#[test]
fn every_lint_format_over_credential_captures_shows_no_secret() {
    let dir = tempdir();
    credential_captures(dir.path());
    for format in LINT_FORMATS {
        let out = lint(dir.path(), &["--format", format, "--fail-level", "info", "."]);
        assert_no_secret(format, &out.all());
        assert!(out.all().contains("sha256:"), "{format}:\n{}", out.all());
    }
    for name in ["envelope.json", "escaped.json", "request.http", "request.curl", "bodies.ndjson"] {
        let out = lint(dir.path(), &["--diff", "--unsafe-fixes", name]);
        assert_no_secret(&format!("--diff {name}"), &out.all());
        assert!(out.stdout.contains("+++ b/"), "--diff {name} shows no diff:\n{}", out.all());
    }
    // Item 3's look-alike: ordinary words, model ids, dates and UUIDs in a body stay readable.
    let plain = "internationalization claude-sonnet-4-5-20250929 123e4567-e89b-12d3-a456-426614174000 AKIA-docs eyJ";
    write(
        dir.path(),
        "plain.json",
        &format!(
            r#"{{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{{"role":"user","content":"{plain}"}}]}}"#
        ),
    );
    let out = lint(dir.path(), &["--diff", "--unsafe-fixes", "plain.json"]);
    assert!(out.stdout.contains(plain), "{}", out.stdout);
}

/// Item 3: in a snippet, other issuers' secrets in a body are collapsed to their prefix, and a
/// `\u`-escaped `sk-ant` key in a JSON string is masked like a plain one.
#[test]
fn other_issuers_secrets_in_bodies_are_masked_in_snippets_and_diffs() {
    let dir = tempdir();
    credential_captures(dir.path());
    let out = lint(dir.path(), &["--format", "human", "bodies.ndjson"]);
    assert_no_secret("human", &out.stdout);
    for (secret, _) in OTHER_SECRETS {
        let prefix: String = secret.chars().take(3).collect();
        assert!(out.stdout.contains(&prefix), "{prefix} of {secret} should stay:\n{}", out.stdout);
    }
    let out = lint(dir.path(), &["--diff", "--unsafe-fixes", "escaped.json"]);
    assert!(!out.stdout.contains(&KEY[20..40]), "{}", out.stdout);
}

/// A log full of credentials in fields not meant for them: request id, region, environment,
/// forwarder tag, model, network error, the path's query, the message, the header and the body.
fn credential_log(dir: &Path) {
    let mut lines = String::new();
    for i in 0..40 {
        let id = if i % 2 == 0 { KEY.to_string() } else { format!("req_011CTnLfSk5vGVpsAcqb{i:04}") };
        let record = serde_json::json!({
            "@timestamp": format!("2026-11-18T08:00:{:02}.000Z", i),
            "request_id": id,
            "method": "POST",
            "path": format!("/v1/messages?beta=true&key={}&access_token={}", OTHER_SECRETS[6].0, OTHER_SECRETS[7].0),
            "status_code": 401,
            "latency_ms": 40,
            "model": KEY,
            "api_key_hash": "sha256:1023bc5c",
            "client_environment": OTHER_SECRETS[2].0,
            "forwarder_tag": OTHER_SECRETS[0].0,
            "endpoint_region": if i % 4 == 1 { "us-east-1".to_string() } else { KEY.to_string() },
            "error_message": format!("invalid x-api-key {KEY}"),
            "network_error": format!("reset by peer {}", OTHER_SECRETS[5].0),
            "request_header": {"x-api-key": format!("{KEY}\n"), "anthropic-version": "2023-06-01"},
            "request_body": format!(r#"{{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[{{"role":"user","content":"{}"}}]}}"#, OTHER_SECRETS[4].0),
        });
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    write(dir, "creds.ndjson", &lines);
}

/// (a) and item 5: every diagnose format over a log with credentials in every field shows none
/// of them; typed request ids (`req_…`) and ordinary regions are shown as logged.
#[test]
fn every_diagnose_format_over_a_credential_log_shows_no_secret() {
    let dir = tempdir();
    credential_log(dir.path());
    for format in ["human", "markdown", "json"] {
        let out = faultline(dir.path(), &["diagnose", "--no-interactive", "--format", format, "creds.ndjson"], None);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert_no_secret(format, &out.all());
        assert!(
            out.stdout.contains("req_011CTnLfSk5vGVpsAcqb0001"),
            "{format}: typed request ids stay:\n{}",
            out.stdout
        );
    }
    let out = faultline(dir.path(), &["diagnose", "--no-interactive", "--format", "json", "creds.ndjson"], None);
    assert!(out.stdout.contains("sk-ant-api03-… sha256:"), "{}", out.stdout);
}

/// A request body every rule accepts.
const BODY: &str =
    r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#;

/// Codes of the concise output, in order.
fn codes(out: &Out) -> Vec<String> {
    out.stdout.lines().filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_string())).collect()
}

/// Item 7: a raw HTTP capture (CRLF, as HTTP/1.1 sends it) whose key ends in a bare LF gives
/// FL001 alone, and `--fix` removes the LF without adding headers; the same capture without the
/// LF is clean.
#[test]
fn a_key_ending_in_a_bare_lf_in_raw_http_is_fl001_not_the_end_of_headers() {
    let dir = tempdir();
    let capture = |key_end: &str| {
        format!("POST /v1/messages HTTP/1.1\r\nhost: api.anthropic.com\r\nx-api-key: {KEY}{key_end}\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n\r\n{BODY}")
    };
    write(dir.path(), "lf.http", &capture("\n"));
    write(dir.path(), "clean.http", &capture(""));
    assert_eq!(codes(&lint(dir.path(), &["--format", "concise", "lf.http"])), ["FL001"]);
    assert_eq!(codes(&lint(dir.path(), &["--format", "concise", "clean.http"])), Vec::<String>::new());
    let out = lint(dir.path(), &["--fix", "lf.http"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let fixed = std::fs::read_to_string(dir.path().join("lf.http")).unwrap_or_default();
    assert_eq!(fixed, capture(""), "--fix should only drop the LF");
}

/// A log of 400s whose `Authorization` value is `value` (the OpenAI-compatible endpoint takes
/// `Authorization: Bearer`, RFC 6750's form).
fn auth_log(dir: &Path, name: &str, value: &str) {
    let mut lines = String::new();
    for i in 0..30 {
        let record = serde_json::json!({
            "@timestamp": format!("2026-11-18T08:00:{:02}.000Z", i),
            "request_id": format!("req_011CTnLfSk5vGVpsAcqb{i:04}"),
            "method": "POST", "path": "/v1/chat/completions", "status_code": 400, "latency_ms": 30,
            "model": "claude-sonnet-4-5-20250929",
            "error_message": "invalid authorization header",
            "request_header": {"authorization": value, "content-type": "application/json"},
            "request_body": BODY,
        });
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    write(dir, name, &lines);
}

/// Item 6: `Bearer` with a hidden character glued to it lints as FL005 (not clean), and diagnose
/// then names the auth-header cause for those 400s; a normal `Bearer ` log names no such cause.
#[test]
fn bearer_with_a_glued_hidden_character_is_a_finding_and_a_cause() {
    let dir = tempdir();
    for (i, value) in
        [format!("Bearer\u{200b} {KEY}"), format!("Bearer\u{a0}{KEY}"), format!("Bearer:{KEY}")].iter().enumerate()
    {
        let capture = serde_json::json!({
            "method": "POST", "url": "https://api.anthropic.com/v1/messages",
            "headers": {"authorization": value, "anthropic-version": "2023-06-01", "content-type": "application/json"},
            "body": serde_json::from_str::<serde_json::Value>(BODY).unwrap_or_default(),
        });
        write(dir.path(), &format!("c{i}.json"), &capture.to_string());
        assert_eq!(codes(&lint(dir.path(), &["--format", "concise", &format!("c{i}.json")])), ["FL005"], "{value:?}");
        auth_log(dir.path(), &format!("log{i}.ndjson"), value);
        let out = faultline(
            dir.path(),
            &["diagnose", "--no-interactive", "--format", "json", &format!("log{i}.ndjson")],
            None,
        );
        assert!(out.stdout.contains("\"id\": \"client.auth_header\""), "{value:?}:\n{}", out.stdout);
    }
    auth_log(dir.path(), "normal.ndjson", &format!("Bearer {KEY}"));
    let out = faultline(dir.path(), &["diagnose", "--no-interactive", "--format", "json", "normal.ndjson"], None);
    assert!(out.status_ok() && !out.stdout.contains("\"id\": \"client.auth_header\""), "{}", out.stdout);
}

/// Item 13: lint caps a line at 16 MiB as diagnose does: a 20 MiB NDJSON line on stdin is
/// reported as skipped (FL903 at its line, exit 3) and the lines around it are still linted at
/// their own line numbers; a 2 MiB line is linted as usual.
#[test]
fn a_line_over_16_mib_is_skipped_and_reported_not_held() {
    let dir = tempdir();
    let long_content: String = "x".repeat(20 << 20);
    let long = format!(
        r#"{{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[{{"role":"user","content":"{long_content}"}}]}}"#
    );
    let bad = r#"{"model":"claude-sonnet-4.5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#;
    let input = format!("{bad}\n{long}\n{bad}\n");
    let out = faultline(dir.path(), &["lint", "--as-of", "2026-11-20", "--format", "concise", "-"], Some(&input));
    assert_eq!(out.code, 3, "{}", out.all());
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[0].starts_with("-:1:") && lines[0].contains("FL201"), "{}", out.stdout);
    assert!(lines[1].starts_with("-:2:") && lines[1].contains("longer than 16 MiB"), "{}", out.stdout);
    assert!(lines[2].starts_with("-:3:") && lines[2].contains("FL201"), "{}", out.stdout);
    // Look-alike: a long line under the cap is linted (FL301: long and not streaming).
    let under = format!(
        r#"{{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[{{"role":"user","content":"{}"}}]}}"#,
        "x ".repeat(1 << 20)
    );
    let out = faultline(
        dir.path(),
        &["lint", "--as-of", "2026-11-20", "--format", "concise", "-"],
        Some(&format!("{under}\n")),
    );
    assert!(out.stdout.contains("FL301") && !out.stdout.contains("16 MiB"), "{}", out.all());
}

/// The `sha256:` hashes a text shows, in order.
fn hashes(text: &str) -> Vec<String> {
    text.match_indices("sha256:").filter_map(|(i, _)| text.get(i..i + 15)).map(str::to_string).collect()
}

/// Item 20: one key, one hash: the hash a gateway logs of the key as sent (here `KEY\n`, the
/// key after `Bearer `), the hash of its lint finding, of `--diff` and of the walk's sample all
/// agree; a different key has a different hash.
#[test]
fn one_key_has_one_hash_in_the_sample_the_finding_and_the_diff() {
    let dir = tempdir();
    let sent = format!("{KEY}\n");
    let logged = faultline::redact::short_hash(sent.as_bytes());
    // A JSON envelope: the header value with its `\n` escaped, as JSON writes it.
    let capture = serde_json::json!({
        "method": "POST", "url": "https://api.anthropic.com/v1/messages",
        "headers": {"authorization": format!("Bearer {sent}"), "anthropic-version": "2023-06-01", "content-type": "application/json"},
        "body": serde_json::from_str::<serde_json::Value>(BODY).unwrap_or_default(),
    });
    write(dir.path(), "c.json", &capture.to_string());
    let finding = lint(dir.path(), &["--format", "concise", "c.json"]);
    assert!(finding.stdout.contains("FL001"), "{}", finding.stdout);
    assert_eq!(hashes(&finding.stdout), std::slice::from_ref(&logged), "finding:\n{}", finding.stdout);
    let diff = lint(dir.path(), &["--diff", "c.json"]);
    let removed: String = diff.stdout.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
    assert_eq!(hashes(&removed), std::slice::from_ref(&logged), "diff:\n{}", diff.stdout);
    // The walk's sample: its logged hash and its lint finding.
    let k = faultline::knowledge::Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
    let sample = faultline::diagnose::summary::Sample {
        status: 400,
        key_hash: Some(logged.clone()),
        path: Some("/v1/messages".into()),
        headers: vec![
            ("authorization".into(), format!("Bearer {sent}")),
            ("anthropic-version".into(), "2023-06-01".into()),
            ("content-type".into(), "application/json".into()),
        ],
        body: Some(BODY.into()),
        ..Default::default()
    };
    let shown = faultline::interactive::views::sample_block(&k, &sample, faultline::report::style::Paint(false), 200);
    let all = hashes(&shown);
    assert!(all.len() >= 2 && all.iter().all(|h| *h == logged), "sample:\n{shown}");
    // Look-alike: the key without its newline is another key, with another hash.
    assert_ne!(faultline::redact::short_hash(KEY.as_bytes()), logged);
}

/// The body the Python SDK sends for a one-line message (`messages.create(model=…,
/// max_tokens=…, messages=[…])`), as the captures below carry it.
const SDK_BODY: &str =
    r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#;

/// Item 10: two `x-api-key` headers (a client setting the header while its HTTP library adds
/// it again) are FL010 and the second copy's own defect is found; one header is not.
#[test]
fn a_repeated_credential_header_is_flagged_and_every_copy_checked() {
    let dir = tempdir();
    // Raw HTTP as `curl -v` / a proxy dump prints it (RFC 9112 message syntax).
    let raw = |keys: &[&str]| {
        let mut t = String::from("POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\n");
        for k in keys {
            t.push_str(&format!("x-api-key: {k}\r\n"));
        }
        t.push_str("anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n\r\n");
        t.push_str(SDK_BODY);
        t
    };
    write(dir.path(), "twice.http", &raw(&[KEY, &format!("{KEY} ")]));
    let out = lint(dir.path(), &["--format", "concise", "twice.http"]);
    assert!(out.stdout.contains("FL010") && out.stdout.contains("FL002"), "{}", out.all());
    assert!(!out.all().contains(KEY_BODY), "{}", out.all());
    write(dir.path(), "once.http", &raw(&[KEY]));
    let out = lint(dir.path(), &["--format", "concise", "once.http"]);
    assert!(!out.stdout.contains("FL010"), "{}", out.all());
}

/// Item 10: a key holding a lone surrogate escape (`\ud800`, no character at all) is a key with
/// a bad character (FL003), not "no credentials"; a key with a proper surrogate pair elsewhere in
/// the envelope is read as usual.
#[test]
fn a_lone_surrogate_in_a_key_is_a_bad_character_not_a_missing_key() {
    let dir = tempdir();
    // A JSON envelope {method,url,headers,body}, the shape `faultline lint` documents.
    let envelope = |key: &str| {
        format!(
            r#"{{"method":"POST","url":"https://api.anthropic.com/v1/messages","headers":{{"x-api-key":"{key}","anthropic-version":"2023-06-01","content-type":"application/json"}},"body":{SDK_BODY}}}"#
        )
    };
    let broken = format!("{}\\ud800{}", &KEY[..40], &KEY[40..]);
    write(dir.path(), "lone.json", &envelope(&broken));
    let out = lint(dir.path(), &["--format", "concise", "lone.json"]);
    assert!(out.stdout.contains("FL003"), "{}", out.all());
    assert!(!out.stdout.contains("FL006"), "{}", out.all());
    assert!(!out.all().contains(KEY_BODY), "{}", out.all());
    write(dir.path(), "fine.json", &envelope(KEY).replace(r#""content":"hi""#, r#""content":"hi \ud83d\ude00""#));
    let out = lint(dir.path(), &["--format", "concise", "fine.json"]);
    assert!(out.status_ok(), "{}", out.all());
}

/// Item 10: a curl command whose quotes do not balance is an unreadable capture (FL902 at the
/// open quote), never linted as if it parsed; the same command with its quotes closed lints clean.
#[test]
fn a_curl_command_with_unbalanced_quotes_is_not_linted_as_if_it_parsed() {
    let dir = tempdir();
    // `curl` as the Anthropic docs' examples write it (`-H 'x-api-key: …'`, `-d '{…}'`).
    let curl = |close: &str| {
        format!(
            "curl https://api.anthropic.com/v1/messages -H 'x-api-key: {KEY}{close} -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' -d '{SDK_BODY}'\n"
        )
    };
    write(dir.path(), "open.sh", &curl(""));
    let out = lint(dir.path(), &["--format", "concise", "open.sh"]);
    assert!(out.stdout.contains("FL902") && out.stdout.contains("quote"), "{}", out.all());
    assert!(!out.stdout.contains("FL0"), "{}", out.all());
    assert!(!out.all().contains(KEY_BODY), "{}", out.all());
    write(dir.path(), "closed.sh", &curl("'"));
    let out = lint(dir.path(), &["--format", "concise", "closed.sh"]);
    assert!(out.status_ok(), "{}", out.all());
}
