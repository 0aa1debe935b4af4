//! The walk over a diagnosis from the search backend (osmem-server): a cause page shows the
//! samples the cluster returned, then one bounded query fetches a few more for that cause.

use crate::es_support;
use crate::interactive_support;

use chrono::{Duration, Utc};
use es_support::{osmem, seed};
use interactive_support::{bin, command, Tty};
use serde_json::{json, Value};

fn doc(n: u32, status: u16, tag: &str, message: Option<&str>) -> Value {
    let ts = (Utc::now() - Duration::minutes(i64::from(n % 20))).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let mut d = json!({
        "@timestamp": ts,
        "request_id": format!("req_es{n:05}"),
        "method": "POST",
        "path": "/v1/messages",
        "status_code": status,
        "latency_ms": 180.0,
        "payload_token_count": 700,
        "stream": true,
        "model": "claude-haiku-4-5",
        "api_key_hash": "sha256:1a2b3c4d",
        "client_environment": "production",
        "concurrent_request_count": 12,
        "forwarder_tag": tag,
        "endpoint_region": "eu-west-1",
        "request_header": {"content-type": "application/json"},
        "request_body": "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
    });
    if let Some(m) = message {
        d["error_message"] = json!(m);
        d["error_type"] = json!("api_error");
    }
    d
}

#[test]
fn a_cause_from_the_cluster_opens_with_its_samples() {
    let index = "fl-walk";
    let mut docs: Vec<Value> = (0..150).map(|n| doc(n, 200, "anthropic-origin", None)).collect();
    docs.extend((200..230).map(|n| doc(n, 503, "envoy-gateway", Some("no healthy upstream"))));
    seed(index, None, &docs);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = osmem().url.clone();
    let mut tty = Tty::spawn(command(
        &bin(),
        &["diagnose", "--es", &url, "--index", index, "--since", "1h", "--color", "never"],
        dir.path(),
    ));
    tty.expect("What next?");
    tty.expect("Quit");
    assert!(tty.screen().contains("Cause 1: upstream.middleware_exhaustion"), "{}", tty.screen());
    // Cause 1 comes right after the four layers.
    tty.keys("jjjj\r");
    tty.expect("Cause 1: upstream.middleware_exhaustion");
    tty.expect("What next?");
    let raw = tty.raw_text();
    assert!(raw.contains("Sample requests"), "{raw}");
    assert!(raw.contains("req_es002"), "no sample from the cluster:\n{}", tty.screen());
    assert!(raw.contains("forwarder envoy-gateway"), "{}", tty.screen());
    // Then one bounded query for more: other requests of the same cause, latest first.
    let (first, more) = raw
        .split_once("More samples from the cluster (latest first)")
        .unwrap_or_else(|| panic!("no follow-up query:\n{raw}"));
    let ids = |text: &str| -> std::collections::BTreeSet<String> {
        text.split("req_es").skip(1).map(|t| format!("req_es{}", &t[..5.min(t.len())])).collect()
    };
    let shown = ids(first);
    let fetched = ids(more);
    assert!(!fetched.is_empty() && fetched.len() <= 5, "{more}");
    assert!(fetched.iter().all(|id| !shown.contains(id)), "fetched again: {fetched:?} vs {shown:?}");
    assert!(fetched.iter().all(|id| id.as_str() >= "req_es00200"), "not a failure of this cause: {fetched:?}");
    tty.keys("q");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 0);
}
