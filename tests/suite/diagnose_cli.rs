//! `faultline diagnose` as a user runs it: sources, formats, exit codes, and a malformed-input
//! corpus (binary garbage, truncated lines, huge lines, invalid UTF-8, wrong types, empty file)
//! that must give clear messages and never a panic.

use std::io::Write;

use assert_cmd::Command;
use predicates::prelude::*;

fn faultline() -> Command {
    let mut cmd = match Command::cargo_bin("faultline") {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env("CI", "1");
    cmd
}

const KEY: &str = "sk-ant-api03-SECRETSECRETSECRETSECRETSECRET0123456789abcdefABCDEF-xyzXYZ";

fn ok_line(ts: &str, id: &str) -> String {
    format!(
        r#"{{"@timestamp":"{ts}","request_id":"{id}","status_code":200,"latency_ms":800,"api_key_hash":"sha256:11111111","client_environment":"production"}}"#
    )
}

fn bad_header_line(ts: &str, id: &str) -> String {
    let header = format!("Bearer {KEY}\n");
    let header = serde_json::to_string(&header).unwrap_or_default();
    format!(
        r#"{{"@timestamp":"{ts}","request_id":"{id}","status_code":400,"path":"/v1/messages","error_message":"invalid authorization header","api_key_hash":"sha256:22222222","request_header":{{"authorization":{header},"anthropic-version":"2023-06-01","content-type":"application/json"}},"request_body":"{{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":100,\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}"}}"#
    )
}

fn small_log() -> String {
    let mut text = String::new();
    for i in 0..20 {
        text.push_str(&ok_line(&format!("2026-11-18T08:{:02}:00Z", i), &format!("ok{i}")));
        text.push('\n');
        text.push_str(&bad_header_line(&format!("2026-11-18T08:{:02}:30Z", i), &format!("bad{i}")));
        text.push('\n');
    }
    text
}

fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = match tempfile::NamedTempFile::new() {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let _ = f.write_all(bytes);
    let _ = f.flush();
    f
}

fn json_of(out: &[u8]) -> serde_json::Value {
    match serde_json::from_slice(out) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)),
    }
}

#[test]
fn json_contract_fields_and_ranking() {
    let f = file_with(small_log().as_bytes());
    let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().success();
    let v = json_of(&out.get_output().stdout);
    for key in ["total_requests", "failures", "window", "skipped_lines", "layers", "causes", "unexplained"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["total_requests"], 40);
    assert_eq!(v["failures"], 20);
    let cause = &v["causes"][0];
    assert_eq!(cause["id"], "client.auth_header");
    assert_eq!(cause["failures"], 20);
    assert_eq!(cause["share"], 1.0);
    for key in ["id", "failures", "share", "confidence", "evidence", "actions", "samples"] {
        assert!(cause.get(key).is_some(), "cause misses {key}");
    }
    assert_eq!(v["layers"].as_array().map(Vec::len), Some(4));
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(!text.contains("SECRETSECRET"), "a key leaked into the JSON report");
}

#[test]
fn human_and_markdown_reports_never_print_a_key() {
    let f = file_with(small_log().as_bytes());
    for format in ["human", "markdown"] {
        let out = faultline().args(["diagnose", "--format", format]).arg(f.path()).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(text.contains("client.auth_header"), "{format}: {text}");
        assert!(!text.contains("SECRETSECRET"), "{format}: a key leaked");
        assert!(!text.contains("\u{1b}["), "{format}: colour without a terminal");
    }
}

#[test]
fn color_always_colours_the_human_report() {
    let f = file_with(small_log().as_bytes());
    faultline()
        .args(["--color", "always", "diagnose"])
        .arg(f.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn stdin_needs_an_explicit_dash() {
    faultline()
        .args(["diagnose", "-", "--format", "json"])
        .write_stdin(small_log())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"total_requests\": 40"));
    faultline().args(["diagnose"]).assert().code(2).stderr(predicate::str::contains("SOURCE"));
}

#[test]
fn gzip_input_is_read() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(small_log().as_bytes());
    let gz = enc.finish().unwrap_or_default();
    let f = file_with(&gz);
    faultline()
        .args(["diagnose", "--format", "json"])
        .arg(f.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"total_requests\": 40"));
}

#[test]
fn elasticsearch_search_export_is_read() {
    let hits: Vec<String> =
        small_log().lines().map(|l| format!(r#"{{"_index":"logs","_id":"x","_source":{l}}}"#)).collect();
    let body = format!(
        "{{\n  \"took\": 3,\n  \"hits\": {{\n    \"total\": {{\"value\": 40}},\n    \"hits\": [{}]\n  }}\n}}\n",
        hits.join(",\n")
    );
    let f = file_with(body.as_bytes());
    faultline()
        .args(["diagnose", "--format", "json"])
        .arg(f.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"total_requests\": 40"));
    // elasticdump: one hit per line.
    let f = file_with(hits.join("\n").as_bytes());
    faultline()
        .args(["diagnose", "--format", "json"])
        .arg(f.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"total_requests\": 40"));
}

#[test]
fn window_flags_filter_and_bad_flags_exit_2() {
    let f = file_with(small_log().as_bytes());
    let out = faultline()
        .args(["diagnose", "--format", "json", "--from", "2026-11-18T08:10:00Z", "--to", "2026-11-18T08:15:00Z"])
        .arg(f.path())
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["total_requests"], 10);
    assert_eq!(v["skipped_lines"]["outside_window"], 30);
    faultline().args(["diagnose", "--since", "soon"]).arg(f.path()).assert().code(2);
    faultline().args(["diagnose", "--field", "nope=x"]).arg(f.path()).assert().code(2);
    faultline().args(["diagnose", "--field", "status"]).arg(f.path()).assert().code(2);
    // --since is relative to now: these 2026 logs are in the future or the past, never an error.
    faultline().args(["diagnose", "--since", "15m", "--format", "json"]).arg(f.path()).assert().success();
}

#[test]
fn field_override_reads_a_renamed_status() {
    let text =
        "{\"@timestamp\":\"2026-11-18T08:00:00Z\",\"http\":{\"status\":503},\"forwarder_tag\":\"anthropic-origin\"}\n"
            .repeat(5);
    let f = file_with(text.as_bytes());
    let out = faultline()
        .args(["diagnose", "--format", "json", "--schema", "faultline", "--field", "status=http.status"])
        .arg(f.path())
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["failures"], 5);
    assert_eq!(v["causes"][0]["id"], "upstream.provider_overload");
}

#[test]
fn unreadable_sources_exit_3() {
    faultline()
        .args(["diagnose", "/nonexistent/logs.ndjson"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("/nonexistent/logs.ndjson"));
    let dir = tempfile::tempdir().map(|d| d.path().to_path_buf()).unwrap_or_default();
    faultline().args(["diagnose"]).arg(&dir).assert().code(3).stderr(predicate::str::contains("directory"));
    // A gzip file that is corrupt from the start.
    let f = file_with(&[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff, 0xff]);
    faultline().args(["diagnose"]).arg(f.path()).assert().code(3).stderr(predicate::str::contains("cannot read"));
}

// --- the malformed-input corpus ------------------------------------------------------------

fn diagnose_bytes(bytes: &[u8]) -> (serde_json::Value, String) {
    let f = file_with(bytes);
    let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (json_of(&out.get_output().stdout), stderr)
}

#[test]
fn empty_file_is_an_empty_report() {
    let (v, _) = diagnose_bytes(b"");
    assert_eq!(v["total_requests"], 0);
    assert_eq!(v["causes"].as_array().map(Vec::len), Some(0));
    let (v, _) = diagnose_bytes(b"\n\n   \n");
    assert_eq!(v["skipped_lines"]["count"], 0);
}

#[test]
fn binary_garbage_is_skipped_and_counted() {
    let mut bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    bytes.push(b'\n');
    bytes.extend_from_slice(small_log().as_bytes());
    let (v, stderr) = diagnose_bytes(&bytes);
    assert_eq!(v["total_requests"], 40);
    assert!(v["skipped_lines"]["count"].as_u64().unwrap_or(0) >= 1);
    assert_eq!(v["skipped_lines"]["first_lines"][0], 1);
    assert!(stderr.contains(":1:"), "names the line: {stderr}");
}

#[test]
fn truncated_invalid_utf8_and_wrong_types_are_reasons() {
    let mut text = small_log();
    text.push_str("{\"@timestamp\":\"2026-11-18T09:00:00Z\",\"status_code\":50\n"); // truncated
    text.push_str("{\"@timestamp\":\"2026-11-18T09:00:00Z\",\"status_code\":\"teapot\"}\n"); // wrong type
    text.push_str("{\"@timestamp\":[],\"status_code\":200}\n"); // wrong type
    text.push_str("{\"status_code\":200}\n"); // no timestamp
    text.push_str("{\"@timestamp\":\"2026-11-18T09:00:00Z\"}\n"); // no status
    text.push_str("[1,2,3]\n"); // not an object
    text.push_str("{\"@timestamp\":\"2026-11-18T09:00:00Z\",\"status_code\":200,\"latency_ms\":\"fast\",\"stream\":{},\"request_header\":42}\n"); // odd optional fields: still a record
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"{\"@timestamp\":\"2026-11-18T09:00:00Z\",\"status_code\":200,\"model\":\"\xff\xfe\"}\n");
    bytes.extend_from_slice(b"{\"@timestamp\":\"2026-11-18T09:00:00Z\",\"status_code\":200"); // truncated, no newline
    let (v, stderr) = diagnose_bytes(&bytes);
    assert_eq!(v["total_requests"], 41);
    assert_eq!(v["skipped_lines"]["count"], 8, "{}", v["skipped_lines"]);
    let reasons = v["skipped_lines"]["reasons"].to_string();
    for r in ["no timestamp", "no status", "status is not a number", "invalid UTF-8"] {
        assert!(reasons.contains(r), "{r} missing from {reasons}");
    }
    assert!(stderr.contains("warning: skipped"), "{stderr}");
}

#[test]
fn a_huge_line_is_skipped_with_its_number() {
    let mut bytes = small_log().into_bytes();
    bytes.extend_from_slice(b"{\"x\":\"");
    bytes.extend(std::iter::repeat(b'a').take(17 << 20));
    bytes.extend_from_slice(b"\"}\n");
    bytes.extend_from_slice(small_log().as_bytes());
    let (v, _) = diagnose_bytes(&bytes);
    assert_eq!(v["total_requests"], 80);
    assert_eq!(v["skipped_lines"]["count"], 1);
    assert_eq!(v["skipped_lines"]["first_lines"][0], 41);
}

#[test]
fn a_truncated_gzip_keeps_what_was_read() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..200 {
        let _ = enc.write_all(small_log().as_bytes());
    }
    let gz = enc.finish().unwrap_or_default();
    let f = file_with(&gz[..gz.len() / 2]);
    let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().success();
    let v = json_of(&out.get_output().stdout);
    assert!(v["total_requests"].as_u64().unwrap_or(0) > 0);
    assert!(v["skipped_lines"]["reasons"].to_string().contains("input ended early"), "{}", v["skipped_lines"]);
}

#[test]
fn config_diagnose_section_sets_schema_and_fields() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let config = dir.path().join("faultline.toml");
    let _ = std::fs::write(&config, "[diagnose]\nschema = \"faultline\"\nfields = { status = \"http.status\" }\n");
    let text = "{\"@timestamp\":\"2026-11-18T08:00:00Z\",\"http\":{\"status\":429}}\n".repeat(4);
    let f = file_with(text.as_bytes());
    let out = faultline()
        .arg("--config")
        .arg(&config)
        .args(["diagnose", "--format", "json"])
        .arg(f.path())
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["failures"], 4);
    assert_eq!(v["schema"], "faultline (+1 override)");
}
