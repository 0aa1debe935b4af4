//! `--watch` against the search test server (osmem-server, the harness of tests/suite/es_*.rs):
//! documents added between two runs appear as a change, over a sliding `--since` window.

use crate::es_support;
use crate::interactive_support;
use crate::watch_support;

use chrono::{Duration, Utc};
use es_support::{http, osmem, seed};
use interactive_support::{bin, command};
use serde_json::{json, Value};
use watch_support::Watcher;

/// One request log document, `minutes_ago` before now.
fn doc(n: u32, minutes_ago: i64, status: u16, tag: &str, message: Option<&str>) -> Value {
    let ts = (Utc::now() - Duration::minutes(minutes_ago) - Duration::seconds(i64::from(n % 50)))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let mut d = json!({
        "@timestamp": ts,
        "request_id": format!("req_w{n:05}"),
        "method": "POST",
        "path": "/v1/messages",
        "status_code": status,
        "latency_ms": 250.0,
        "payload_token_count": 900,
        "stream": true,
        "model": "claude-haiku-4-5",
        "api_key_hash": "sha256:1a2b3c4d",
        "client_environment": "production",
        "concurrent_request_count": 20,
        "forwarder_tag": tag,
        "endpoint_region": "eu-west-1",
    });
    if let Some(m) = message {
        d["error_message"] = json!(m);
        d["error_type"] = json!("api_error");
    }
    d
}

#[test]
fn documents_added_between_two_runs_appear_as_a_change() {
    let index = "fl-watch";
    let healthy: Vec<Value> = (0..120).map(|n| doc(n, i64::from(n % 10), 200, "anthropic-origin", None)).collect();
    seed(index, None, &healthy);
    let url = osmem().url.clone();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut w = Watcher::start(command(
        &bin(),
        &["diagnose", "--es", &url, "--index", index, "--since", "30m", "--watch", "1s", "--format", "json"],
        dir.path(),
    ));
    let first = w.wait_for("the first report", |l| l.starts_with('{'));
    let report: Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    assert_eq!(report["total_requests"], 120, "{first}");
    assert_eq!(report["failures"], 0, "{first}");

    // The gateway runs out of healthy upstreams: 40 503s from the envoy tag, through _bulk.
    let mut nd = String::new();
    for n in 0..40u32 {
        nd.push_str(&json!({"index": {"_index": index}}).to_string());
        nd.push('\n');
        nd.push_str(&doc(1000 + n, 1, 503, "envoy-gateway", Some("no healthy upstream")).to_string());
        nd.push('\n');
    }
    let (status, text) = http("POST", &url, "/_bulk?refresh=true", Some(("application/x-ndjson", nd.as_bytes())), &[])
        .unwrap_or_else(|e| panic!("_bulk: {e}"));
    assert_eq!(status, 200, "{text}");

    let line = w.wait_for("the middleware cause appearing", |l| l.contains("upstream.middleware_exhaustion"));
    let change: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(change["kind"], "appeared", "{line}");
    assert_eq!(change["after"], 40, "{line}");
    assert_eq!(w.interrupt(), Some(130), "Ctrl-C exits 130");
}
