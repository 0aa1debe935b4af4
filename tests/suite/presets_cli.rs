//! Presets as a user meets them: `--schema list`, a preset of one's own in faultline.toml (from
//! a file and from a cluster), a file no preset matches (exit 3, naming the closest preset and
//! what it lacked), mistakes in a preset reported with file:line:col, unreadable records of a
//! preset counted and reported, `--field NAME=PATH:UNIT`, and `--explain-queries` saying how a
//! derived status is pushed down.

use crate::es_support;
use crate::presets_support;

use std::io::Write;

use assert_cmd::Command;
use serde_json::{json, Value};

fn faultline() -> Command {
    let mut cmd = Command::cargo_bin("faultline").unwrap_or_else(|e| panic!("{e}"));
    cmd.env_remove("NO_COLOR").env_remove("FAULTLINE_ES_URL").env("CI", "1");
    cmd
}

fn file_with(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    let _ = f.write_all(text.as_bytes());
    let _ = f.flush();
    f
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

#[test]
fn schema_list_shows_every_preset_with_its_description_and_fingerprint() {
    let out = faultline().args(["diagnose", "--schema", "list"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for name in ["faultline", "ecs", "litellm", "otel", "envoy", "envoy-ai-gateway", "bedrock", "kong", "cloudflare"] {
        assert!(text.contains(&format!("\n{name}\n")), "{name} missing:\n{text}");
    }
    assert!(text.contains("fingerprint: startTime, call_type"), "{text}");
    assert!(text.contains("source: envoyproxy/gateway internal/xds/translator/accesslog.go"), "{text}");
    // An unknown name is a usage error listing the known ones.
    let f = file_with("{}\n");
    faultline()
        .args(["diagnose", "--schema", "envoyy"])
        .arg(f.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such preset (known: faultline, ecs, litellm"));
}

/// An in-house gateway's log: nested, the status under `resp.code` as text with "-" when the
/// client left, epoch-second times, latency in seconds, who answered in `origin`.
const HOUSE: &str = r#"
[presets.house]
description = "our gateway"
detect = ["gw_version", "resp.code"]
unset = ["-"]
status = [
  { path = "resp.code", equals = "-", value = 499 },
  { path = "resp.code" },
]
hop = [{ path = "origin", map = { upstream = "provider", local = "gateway" } }]

[presets.house.fields]
timestamp = "t:s"
request_id = "rid"
latency = "took:s"
forwarder_tag = "route"
error_message = "resp.error"
payload_bytes = "req.size"
"#;

fn house_log() -> String {
    let mut text = String::new();
    for i in 0..60 {
        let (code, origin, error) = match i % 6 {
            // The gateway's own 503s: middleware origin whatever the route is called.
            1 | 4 => ("503", "local", "pool exhausted"),
            _ => ("200", "upstream", "-"),
        };
        let code = if i == 59 { "-" } else { code };
        text.push_str(&format!(
            "{{\"gw_version\":\"2.1\",\"t\":{},\"rid\":\"r{i}\",\"took\":0.8,\"route\":\"anthropic-main\",\"origin\":\"{origin}\",\"req\":{{\"size\":900}},\"resp\":{{\"code\":\"{code}\",\"error\":\"{error}\"}}}}\n",
            1_795_000_000 + i * 30
        ));
    }
    text
}

#[test]
fn a_preset_of_ones_own_works_end_to_end() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("faultline.toml");
    std::fs::write(&config, HOUSE).unwrap_or_else(|e| panic!("{e}"));
    let log = file_with(&house_log());
    for schema in [None, Some("house")] {
        let mut cmd = faultline();
        cmd.arg("--config").arg(&config).args(["diagnose", "--format", "json"]);
        if let Some(s) = schema {
            cmd.args(["--schema", s]);
        }
        let out = cmd.arg(log.path()).assert().success();
        let v = json_of(&out.get_output().stdout);
        assert_eq!(v["schema"], "house", "{v}");
        assert_eq!(v["total_requests"], 60);
        assert_eq!(v["by_status"]["499"], 1, "the client that left is counted, not failed: {v}");
        assert_eq!(v["failures"], 20);
        // "anthropic-main" would read as provider origin: the hop (origin: local) decides first.
        assert_eq!(v["causes"][0]["id"], "upstream.middleware_exhaustion", "{v}");
        assert_eq!(v["causes"][0]["failures"], 20);
    }
    // `--schema list` shows it, with where it was written.
    let out = faultline().arg("--config").arg(&config).args(["diagnose", "--schema", "list"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("house [") && text.contains("faultline.toml:2:1]"), "{text}");
}

#[test]
fn a_preset_of_ones_own_from_a_cluster() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("faultline.toml");
    std::fs::write(
        &config,
        format!("{HOUSE}\n[thresholds.retry]\nmax_attempts = 3\nbase_delay_ms = 20\ncap_delay_ms = 200\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let docs: Vec<Value> = house_log().lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    es_support::seed(
        "house-logs",
        Some(&json!({"properties": {"t": {"type": "date", "format": "epoch_second"}}})),
        &docs,
    );
    let out = faultline()
        .arg("--config")
        .arg(&config)
        .args(["diagnose", "--es", &es_support::osmem().url, "--index", "house-logs", "--format", "json"])
        .args(["--from", "2026-11-18T00:00:00Z", "--to", "2026-11-20T00:00:00Z"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["schema"], "house", "{v}");
    assert_eq!((v["total_requests"].as_u64(), v["failures"].as_u64()), (Some(60), Some(20)), "{v}");
    assert_eq!(v["causes"][0]["id"], "upstream.middleware_exhaustion", "{v}");
}

#[test]
fn a_mistake_in_a_preset_names_its_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("faultline.toml");
    let broken = HOUSE.replace("latency = \"took:s\"", "latency = \"took:sec\"");
    std::fs::write(&config, &broken).unwrap_or_else(|e| panic!("{e}"));
    let log = file_with(&house_log());
    let out = faultline().arg("--config").arg(&config).args(["diagnose"]).arg(log.path()).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let line = broken.lines().position(|l| l.starts_with("latency")).map_or(0, |i| i + 1);
    assert!(err.contains(&format!("faultline.toml:{line}:11: preset `house`: field `latency`: unit `sec`")), "{err}");
}

#[test]
fn a_file_no_preset_matches_is_an_input_error_naming_the_closest() {
    let text = "{\"start_time\":\"2026-11-20T10:00:00Z\",\"response_code\":\"200\",\"duration\":\"12\"}\n".repeat(3);
    let f = file_with(&text);
    let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("match no log preset; the closest is `envoy`, which needs `response_flags`"), "{err}");
    // Told which preset (or mapped by hand), the same file reads.
    let out = faultline().args(["diagnose", "--format", "json", "--schema", "envoy"]).arg(f.path()).assert().success();
    assert_eq!(json_of(&out.get_output().stdout)["total_requests"], 3);
}

#[test]
fn unreadable_records_of_a_preset_are_counted_and_located() {
    let fx = presets_support::all()
        .into_iter()
        .find(|f| f.name() == "envoy-gatewaydown")
        .unwrap_or_else(|| panic!("fixture"));
    let mut text = fx.ndjson();
    text.push_str("{\"start_time\":\"2026-11-20T10:30:00Z\",\"response_code\":\"teapot\",\"response_flags\":\"-\"}\n");
    text.push_str("{\"start_time\":\"2026-11-20T10:30:00Z\",\"response_code\":\"200\",\"response_flags\":\"-\",\n");
    let f = file_with(&text);
    let out = faultline().args(["diagnose", "--format", "json"]).arg(f.path()).assert().success();
    let v = json_of(&out.get_output().stdout);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(v["schema"], "envoy");
    assert_eq!(v["total_requests"], 240);
    assert_eq!(v["skipped_lines"]["count"], 2, "{}", v["skipped_lines"]);
    assert!(v["skipped_lines"]["reasons"].to_string().contains("no status rule matched"), "{}", v["skipped_lines"]);
    assert!(err.contains(":241: no status rule matched") && err.contains(":242:"), "{err}");
}

#[test]
fn a_field_override_takes_a_unit() {
    let text = "{\"@timestamp\":\"2026-11-20T10:00:00Z\",\"status_code\":504,\"took\":{\"s\":130.5},\"payload_token_count\":9000,\"stream\":false}\n"
        .repeat(5);
    let f = file_with(&text);
    let out = faultline()
        .args(["diagnose", "--format", "json", "--field", "latency=took.s:s"])
        .arg(f.path())
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["schema"], "faultline (+1 override)");
    assert_eq!(v["causes"][0]["id"], "upstream.timeout_non_streaming");
    faultline()
        .args(["diagnose", "--field", "latency=took.s:parsecs"])
        .arg(f.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("takes one of s, ms, us, ns"));
}

#[test]
fn explain_queries_says_how_a_derived_status_is_pushed_down() {
    let fx =
        presets_support::all().into_iter().find(|f| f.name() == "litellm-budget").unwrap_or_else(|| panic!("fixture"));
    es_support::seed("explain-litellm", fx.mapping.as_ref(), &fx.docs);
    let out = faultline()
        .args(["diagnose", "--es", &es_support::osmem().url, "--index", "explain-litellm", "--format", "json"])
        .args(presets_support::WINDOW)
        .arg("--explain-queries")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("# preset litellm (auto: the index has the 2 fingerprint field(s)"), "{err}");
    assert!(err.contains("#   status: derived by 4 rule(s) of the litellm preset, pushed down as filters"), "{err}");
    assert!(err.contains("#   hop: filters per hop from 4 rule(s)"), "{err}");
    assert!(err.contains("payload_bytes: messages (the length of its JSON text) is not pushed down"), "{err}");
    assert!(err.contains("latency: response_time in s: percentiles and maxima scaled to ms client-side"), "{err}");
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["causes"][0]["id"], "traffic.quota_exhausted", "{v}");
}
