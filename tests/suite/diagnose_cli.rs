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

/// A file over three days read whole is counted in 5-minute buckets, cut from its first record
/// as the cluster cuts an index; the report says so, and a window of a day reads minutes again.
#[test]
fn a_file_over_days_says_its_buckets_and_a_day_reads_minutes() {
    let mut text = String::new();
    for i in 0..300 {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-15T07:23:41Z").unwrap_or_default()
            + chrono::Duration::minutes(15 * i);
        let ts = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let line = if i % 3 == 0 { bad_header_line(&ts, &format!("b{i}")) } else { ok_line(&ts, &format!("o{i}")) };
        text.push_str(&line);
        text.push('\n');
    }
    let f = file_with(text.as_bytes());
    let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().success();
    let v = json_of(&out.get_output().stdout);
    let notes = v["notes"].to_string();
    assert!(notes.contains("Counted in 5-minute buckets"), "{notes}");
    assert_eq!(v["minutes"][0]["start"], "2026-11-15T07:23:00Z", "from the first record's minute");
    let out = faultline().env("COLUMNS", "100").args(["diagnose"]).arg(f.path()).assert().success();
    let human = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(human.contains("Counted in 5-minute buckets"), "{human}");
    let day = ["--from", "2026-11-16T00:00:00Z", "--to", "2026-11-17T00:00:00Z", "--format", "json"];
    let out = faultline().arg("diagnose").args(day).arg(f.path()).assert().success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["notes"], serde_json::json!([]), "a day: minutes");
    let small = file_with(small_log().as_bytes());
    let out = faultline().args(["diagnose", "--format", "json"]).arg(small.path()).assert().success();
    assert_eq!(json_of(&out.get_output().stdout)["notes"], serde_json::json!([]), "40 minutes: minutes");
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
fn an_empty_file_is_nothing_read_not_an_empty_report() {
    for bytes in [&b""[..], b"\n\n   \n"] {
        let f = file_with(bytes);
        let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().code(3);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains("no record was read: the input is empty"), "{stderr}");
        assert!(out.get_output().stdout.is_empty());
    }
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

// --- issue 12: no false all-clear, readable places and reasons, damaged gzip ---------------------

fn ts_line(ts: &str, status: u16) -> String {
    format!("{{\"@timestamp\":\"{ts}\",\"status_code\":{status}}}\n")
}

fn run_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let out = faultline().args(["diagnose", "-"]).args(args).write_stdin(input.to_vec()).output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn input_with_no_readable_record_says_nothing_was_read_and_exits_3() {
    for format in ["human", "json", "markdown"] {
        let (code, stdout, stderr) = run_stdin(&["--format", format], b"garbage\nmore garbage\n");
        assert_eq!(code, 3, "{format}: {stdout}{stderr}");
        assert!(!stdout.contains("No failures"), "{stdout}");
        assert!(stdout.is_empty(), "no report of nothing: {stdout}");
        assert!(stderr.contains("no record was read: 2 lines skipped (not JSON: 2), at lines 1, 2"), "{stderr}");
    }
}

#[test]
fn one_readable_record_among_garbage_is_a_report_not_an_error() {
    let mut input = b"garbage\n".to_vec();
    input.extend_from_slice(ts_line("2026-11-18T08:00:00Z", 200).as_bytes());
    let (code, stdout, _) = run_stdin(&["--format", "json"], &input);
    assert_eq!(code, 0, "{stdout}");
    let v = json_of(stdout.as_bytes());
    assert_eq!((v["total_requests"].as_u64(), v["skipped_lines"]["count"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn records_all_outside_the_window_exit_0_and_say_so_first_in_every_format() {
    let input = ts_line("2020-01-01T00:00:00Z", 500).repeat(3);
    let (code, human, _) = run_stdin(&["--since", "1h"], input.as_bytes());
    assert_eq!(code, 0);
    let first = human.lines().next().unwrap_or_default();
    assert!(first.contains("No records in the window: 3 records were read, all outside it"), "{human}");
    assert!(!human.contains("No failures"), "{human}");
    let (code, md, _) = run_stdin(&["--since", "1h", "--format", "markdown"], input.as_bytes());
    assert_eq!(code, 0);
    let body: Vec<&str> = md.lines().filter(|l| !l.trim().is_empty()).take(2).collect();
    assert!(body.get(1).is_some_and(|l| l.contains("No records in the window")), "{md}");
    let (code, json, _) = run_stdin(&["--since", "1h", "--format", "json"], input.as_bytes());
    assert_eq!(code, 0);
    let v = json_of(json.as_bytes());
    assert!(v["notes"][0].as_str().unwrap_or_default().starts_with("No records in the window"), "{v}");
    let notes_at = json.find("\"notes\"").unwrap_or(usize::MAX);
    assert!(notes_at < json.find("\"total_requests\"").unwrap_or(0), "notes come before the figures: {json}");
}

#[test]
fn records_in_the_window_have_no_window_note() {
    let input = ts_line("2020-01-01T00:00:00Z", 500).repeat(3);
    let (code, json, _) = run_stdin(&["--format", "json"], input.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(json_of(json.as_bytes())["notes"], serde_json::json!([]));
}

fn records(n: usize) -> Vec<serde_json::Value> {
    (0..n)
        .map(|i| serde_json::json!({"@timestamp": format!("2026-11-18T08:{:02}:00Z", i), "status_code": if i % 2 == 0 { 500 } else { 200 }}))
        .collect()
}

#[test]
fn search_export_warnings_name_the_real_line_and_the_hit() {
    let mut hits: Vec<serde_json::Value> =
        records(4).into_iter().map(|r| serde_json::json!({"_id": "a", "_source": r})).collect();
    hits.push(serde_json::json!({"_id": "b", "_source": {"status_code": 200}}));
    hits.push(serde_json::json!({"_id": "c"}));
    let response = serde_json::json!({"took": 2, "hits": {"hits": hits}});
    // Pretty-printed: a hit's real line; on one line: line 1 and its column, and the hit's number.
    let pretty = serde_json::to_string_pretty(&response).unwrap_or_default();
    let (code, stdout, stderr) = run_stdin(&["--format", "json"], pretty.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let v = json_of(stdout.as_bytes());
    assert_eq!(v["total_requests"], 4);
    let line_of = |needle: &str| pretty.lines().position(|l| l.contains(needle)).map_or(0, |i| i + 1);
    let hit5 = line_of("\"_id\": \"b\"") - 1;
    assert!(stderr.contains(&format!("stdin:{hit5}:7: hit 5: no timestamp")), "{stderr}");
    assert!(stderr.contains("hit 6: hit without _source"), "{stderr}");
    assert_eq!(v["skipped_lines"]["first_lines"][0], hit5 as u64);
    let one_line = serde_json::to_string(&response).unwrap_or_default();
    let col = one_line.find("{\"_id\":\"b\"").map_or(0, |i| i + 1);
    let (_, _, stderr) = run_stdin(&[], one_line.as_bytes());
    assert!(stderr.contains(&format!("stdin:1:{col}: hit 5: no timestamp")), "{stderr}");
}

#[test]
fn arrays_strings_and_numbers_are_not_a_json_object() {
    let mut input = String::from("[1,2]\n\"text\"\n42\ntrue\n");
    input.push_str(&ts_line("2026-11-18T08:00:00Z", 200));
    input.push_str("{\"status_code\":200}\n");
    let (code, stdout, stderr) = run_stdin(&["--format", "json"], input.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let v = json_of(stdout.as_bytes());
    assert_eq!(v["skipped_lines"]["reasons"]["not a JSON object"], 4, "{}", v["skipped_lines"]);
    // An object without a timestamp is still "no timestamp"; text that is not JSON, "not JSON".
    assert_eq!(v["skipped_lines"]["reasons"]["no timestamp"], 1);
    let (_, _, stderr) = run_stdin(&[], b"[1,2]\nnot json\n");
    assert!(stderr.contains("not a JSON object: 1") && stderr.contains("not JSON: 1"), "{stderr}");
}

#[test]
fn a_utf8_bom_does_not_skip_the_first_record() {
    let mut input = b"\xef\xbb\xbf".to_vec();
    input.extend_from_slice(ts_line("2026-11-18T08:00:00Z", 500).as_bytes());
    input.extend_from_slice(ts_line("2026-11-18T08:01:00Z", 200).as_bytes());
    let (code, stdout, stderr) = run_stdin(&["--format", "json"], &input);
    assert_eq!(code, 0, "{stderr}");
    let v = json_of(stdout.as_bytes());
    assert_eq!((v["total_requests"].as_u64(), v["skipped_lines"]["count"].as_u64()), (Some(2), Some(0)));
    // Inside a gzip too.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(&input);
    let (_, stdout, _) = run_stdin(&["--format", "json"], &enc.finish().unwrap_or_default());
    assert_eq!(json_of(stdout.as_bytes())["total_requests"], 2);
}

#[test]
fn a_pretty_printed_json_array_of_records_is_read() {
    let mut recs = records(6);
    recs.push(serde_json::json!({"status_code": 200}));
    let pretty = serde_json::to_string_pretty(&recs).unwrap_or_default();
    let (code, stdout, stderr) = run_stdin(&["--format", "json"], pretty.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let v = json_of(stdout.as_bytes());
    assert_eq!((v["total_requests"].as_u64(), v["failures"].as_u64()), (Some(6), Some(3)));
    let lines: Vec<&str> = pretty.lines().collect();
    let last = lines.iter().rposition(|l| l.trim() == "{").map_or(0, |i| i + 1);
    assert!(stderr.contains(&format!("stdin:{last}:3: no timestamp")), "{stderr}");
    // On one line too, and pretty-printed records one after another (`jq .` of NDJSON).
    let one_line = serde_json::to_string(&recs).unwrap_or_default();
    let (_, stdout, _) = run_stdin(&["--format", "json"], one_line.as_bytes());
    assert_eq!(json_of(stdout.as_bytes())["total_requests"], 6);
    let stream: String = recs.iter().map(|r| serde_json::to_string_pretty(r).unwrap_or_default() + "\n").collect();
    let (_, stdout, _) = run_stdin(&["--format", "json"], stream.as_bytes());
    assert_eq!(json_of(stdout.as_bytes())["total_requests"], 6);
}

#[test]
fn a_pretty_printed_search_response_spread_over_lines_is_read() {
    let hits: Vec<serde_json::Value> = records(6).into_iter().map(|r| serde_json::json!({"_source": r})).collect();
    // `took` on the first line: the first line alone is not JSON.
    let text = format!(
        "{{\"took\": 3,\n \"hits\": {}\n}}\n",
        serde_json::to_string_pretty(&serde_json::json!({"hits": hits})).unwrap_or_default()
    );
    let (code, stdout, stderr) = run_stdin(&["--format", "json"], text.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json_of(stdout.as_bytes())["total_requests"], 6);
}

#[test]
fn ndjson_whose_first_line_is_broken_is_still_read_line_by_line() {
    let mut input = String::from("{\"@timestamp\":\"2026-11-18T08:00:00Z\",\"status_code\":5\n");
    for i in 0..5 {
        input.push_str(&ts_line(&format!("2026-11-18T08:0{i}:30Z"), 200));
    }
    let (code, stdout, stderr) = run_stdin(&["--format", "json"], input.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let v = json_of(stdout.as_bytes());
    assert_eq!((v["total_requests"].as_u64(), v["skipped_lines"]["first_lines"][0].as_u64()), (Some(5), Some(1)));
}

#[test]
fn epoch_seconds_are_detected_by_magnitude_and_noted() {
    let input: String =
        (0..5).map(|i| format!("{{\"@timestamp\":{},\"status_code\":500}}\n", 1_763_640_000 + i * 60)).collect();
    let (code, stdout, stderr) = run_stdin(&["--format", "json"], input.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let v = json_of(stdout.as_bytes());
    assert_eq!(v["window"]["first"], "2025-11-20T12:00:00Z");
    assert!(v["notes"][0].as_str().unwrap_or_default().contains("read as epoch seconds"), "{v}");
    let (_, human, _) = run_stdin(&[], input.as_bytes());
    // Said first (the note may wrap over more than one line).
    let before = human.split("faultline diagnose:").next().unwrap_or_default();
    assert!(before.starts_with("! ") && before.contains("epoch seconds"), "{human}");
}

#[test]
fn epoch_milliseconds_stay_milliseconds_without_a_note() {
    let input: String = (0..5)
        .map(|i| format!("{{\"@timestamp\":{},\"status_code\":500}}\n", 1_763_640_000_000u64 + i * 60_000))
        .collect();
    let (_, stdout, _) = run_stdin(&["--format", "json"], input.as_bytes());
    let v = json_of(stdout.as_bytes());
    assert_eq!(v["window"]["first"], "2025-11-20T12:00:00Z");
    assert_eq!(v["notes"], serde_json::json!([]));
}

#[test]
fn a_small_damaged_gzip_keeps_what_was_read_and_reports_the_damage() {
    let text: String = (0..200).map(|i| ts_line(&format!("2026-11-18T08:{:02}:00Z", i % 60), 500)).collect();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(text.as_bytes());
    let gz = enc.finish().unwrap_or_default();
    let truncated = gz.get(..gz.len() * 2 / 3).unwrap_or_default().to_vec();
    let mut crc = gz.clone();
    if let Some(b) = crc.len().checked_sub(6).and_then(|i| crc.get_mut(i)) {
        *b ^= 0xff;
    }
    let mut junk = gz.clone();
    junk.extend_from_slice(b"trailing junk");
    for (what, bytes, at_least) in [("truncated", truncated, 1), ("crc", crc, 200), ("junk", junk, 200)] {
        assert!(bytes.len() < 1 << 20, "small: read in the first peek");
        for format in ["json", "human", "markdown"] {
            let f = file_with(&bytes);
            let out = faultline().args(["diagnose", "--format", format]).arg(f.path()).output();
            let out = out.unwrap_or_else(|e| panic!("{e}"));
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            assert_eq!(out.status.code(), Some(0), "{what} {format}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(stdout.contains("is damaged: reading stopped at line"), "{what} {format}: {stdout}");
            if format == "json" {
                assert!(json_of(stdout.as_bytes())["total_requests"].as_u64().unwrap_or(0) >= at_least, "{what}");
            }
        }
    }
    // An undamaged one says nothing of the kind.
    let f = file_with(&gz);
    let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().success();
    assert_eq!(json_of(&out.get_output().stdout)["notes"], serde_json::json!([]));
}

#[test]
fn diagnose_and_lint_json_carry_version_1_first() {
    let (_, json, _) = run_stdin(&["--format", "json"], ts_line("2026-11-18T08:00:00Z", 500).as_bytes());
    assert!(json.trim_start().starts_with("{\n  \"version\": 1,"), "{json}");
    let capture = file_with(b"{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    let out = faultline().args(["lint", "--format", "json"]).arg(capture.path()).output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.starts_with("{\"version\":1,\"findings\":["), "{text}");
    assert_eq!(json_of(&out.stdout)["version"], 1);
}
