//! The Elasticsearch/OpenSearch backend against a real server (`osmem-server`, started once for
//! this binary on loopback), seeded through `_bulk` under dynamic mapping (what Filebeat leaves:
//! strings become text + .keyword) and under an explicit keyword mapping, in both field presets.

use crate::es_support;

use es_support::{ctx_with, diagnose_args, fast_config, osmem, seed};
use faultline::commands::diagnose::gather_es;
use faultline::diagnose::Summary;
use faultline::error::Exit;
use faultline::logs::es::{EsEnv, EsSummary, Product};
use serde_json::{json, Value};

const WINDOW: [&str; 4] = ["--from", "2026-11-20T09:00:00Z", "--to", "2026-11-20T12:00:00Z"];

/// A small incident, deterministic: two hours of traffic with 429 bursts above the concurrency
/// cap, gateway 503s, a revoked key in staging, long non-streaming 504s, and network resets.
fn incident() -> Vec<Value> {
    let mut docs = Vec::new();
    for minute in 0..90u32 {
        for i in 0..6u32 {
            let n = minute * 6 + i;
            let hour = 10 + minute / 60;
            let ts = format!("2026-11-20T{hour:02}:{:02}:{:02}.{:03}Z", minute % 60, i * 7, n % 1000);
            let region = if i % 3 == 0 { "eu-west-1" } else { "us-east-1" };
            let env = if i == 5 { "staging" } else { "production" };
            let mut key = if env == "staging" { "sha256:bad0bad0" } else { "sha256:1a2b3c4d" };
            let mut status = 200;
            let mut tag = "anthropic-origin";
            let mut message: Option<&str> = None;
            let mut tokens = 800 + (n % 13) * 100;
            let mut stream = n % 2 == 0;
            let mut network: Option<&str> = None;
            let concurrency = if (20..30).contains(&minute) { 140 + i } else { 40 + i };
            if (20..30).contains(&minute) && i < 3 {
                status = 429;
                message = Some("rate_limit_error:  Number of concurrent connections has exceeded your rate limit");
            } else if (40..45).contains(&minute) && i == 1 {
                status = 503;
                tag = "envoy-gateway";
                message = Some("no healthy upstream");
            } else if env == "staging" && minute >= 50 {
                status = 401;
                message = Some("authentication_error: invalid x-api-key");
            } else if minute % 17 == 3 && i == 2 {
                status = 504;
                tokens = 9000;
                stream = false;
                tag = "kong-gw";
                message = Some("upstream request timeout");
            } else if minute % 23 == 7 && i == 4 {
                status = 502;
                network = Some("ECONNRESET");
            }
            if env == "staging" && minute < 50 {
                key = "sha256:bad0bad0";
            }
            let mut doc = json!({
                "@timestamp": ts,
                "request_id": format!("req_{n:05}"),
                "method": "POST",
                "path": "/v1/messages",
                "status_code": status,
                "latency_ms": 200.0 + f64::from(n % 50) * 37.5 + if status == 504 { 60000.0 } else { 0.0 },
                "payload_bytes": tokens * 4,
                "payload_token_count": tokens,
                "output_tokens": 100 + n % 7,
                "model": if n % 4 == 0 { "claude-sonnet-4-5" } else { "claude-haiku-4-5" },
                "stream": stream,
                "api_key_hash": key,
                "client_ip": format!("10.0.0.{}", i + 1),
                "client_environment": env,
                "concurrent_request_count": concurrency,
                "forwarder_tag": tag,
                "endpoint_region": region,
                "request_header": {"authorization": "Bearer sk-ant-api03-REDACTED", "content-type": "application/json"},
                "request_body": "{\"model\":\"claude-haiku-4-5\",\"messages\":[]}"
            });
            if let Some(m) = message {
                doc["error_message"] = json!(m);
                doc["error_type"] = json!(if status == 429 { "rate_limit_error" } else { "api_error" });
            }
            if let Some(e) = network {
                doc["network_error"] = json!(e);
            }
            docs.push(doc);
        }
    }
    // Outside the window: must not be counted.
    docs.push(json!({"@timestamp": "2026-11-19T10:00:00Z", "status_code": 500, "request_id": "old"}));
    docs
}

fn keyword_mapping() -> Value {
    let kw = json!({"type": "keyword"});
    json!({"properties": {
        "@timestamp": {"type": "date"}, "request_id": kw, "method": kw, "path": kw,
        "status_code": {"type": "integer"}, "latency_ms": {"type": "double"}, "payload_bytes": {"type": "long"},
        "payload_token_count": {"type": "long"}, "output_tokens": {"type": "long"}, "model": kw,
        "stream": {"type": "boolean"}, "api_key_hash": kw, "client_ip": {"type": "ip"}, "client_environment": kw,
        "concurrent_request_count": {"type": "integer"}, "forwarder_tag": kw, "endpoint_region": kw,
        "error_type": kw, "error_message": kw, "network_error": kw,
        "request_header": {"properties": {"authorization": kw, "content-type": kw}},
        "request_body": {"type": "text"}
    }})
}

/// The same records under ECS names (nested objects; latency in nanoseconds).
fn to_ecs(doc: &Value) -> Value {
    let g = |k: &str| doc.get(k).cloned().unwrap_or(Value::Null);
    let mut out = json!({
        "@timestamp": g("@timestamp"),
        "http": {"request": {"id": g("request_id"), "method": g("method"), "body": {"bytes": g("payload_bytes"),
                 "content": g("request_body")}, "headers": g("request_header")},
                 "response": {"status_code": g("status_code")}},
        "url": {"path": g("path")},
        "event": {"duration": g("latency_ms").as_f64().map(|ms| (ms * 1e6).round() as i64)},
        "gen_ai": {"usage": {"input_tokens": g("payload_token_count"), "output_tokens": g("output_tokens")},
                   "request": {"model": g("model")}},
        "labels": {"stream": g("stream"), "api_key_hash": g("api_key_hash"),
                   "concurrent_request_count": g("concurrent_request_count"), "forwarder_tag": g("forwarder_tag"),
                   "network_error": g("network_error")},
        "client": {"ip": g("client_ip")},
        "service": {"environment": g("client_environment")},
        "cloud": {"region": g("endpoint_region")},
        "error": {"type": g("error_type"), "message": g("error_message")}
    });
    strip_nulls(&mut out);
    out
}

fn strip_nulls(v: &mut Value) {
    if let Value::Object(map) = v {
        map.retain(|_, x| !x.is_null());
        for x in map.values_mut() {
            strip_nulls(x);
        }
        map.retain(|_, x| !x.as_object().is_some_and(|o| o.is_empty()));
    }
}

fn run(index: &str, extra: &[&str]) -> Result<EsSummary, faultline::error::Error> {
    let mut argv = vec!["--es", &osmem().url, "--index", index];
    argv.extend_from_slice(&WINDOW);
    argv.extend_from_slice(extra);
    let config = fast_config();
    let mut err = Vec::new();
    gather_es(&diagnose_args(&argv), &config, &ctx_with(EsEnv::default()), &mut err)
}

fn ok(index: &str, extra: &[&str]) -> EsSummary {
    run(index, extra).unwrap_or_else(|e| panic!("{e}"))
}

/// The summary minus what legitimately differs between mappings/presets.
fn comparable(s: &Summary) -> Summary {
    let mut s = s.clone();
    s.schema.clear();
    s
}

/// Equality with a readable first difference instead of two pages of Debug output.
fn assert_same(a: &Summary, b: &Summary) {
    let (ja, jb) = (serde_json::to_value(a).unwrap_or_default(), serde_json::to_value(b).unwrap_or_default());
    if let (Some(ma), Some(mb)) = (ja.as_object(), jb.as_object()) {
        for (k, va) in ma {
            let vb = mb.get(k).cloned().unwrap_or_default();
            assert!(*va == vb, "Summary.{k} differs:\n  {}\n  {}", cut(va), cut(&vb));
        }
    }
}

fn cut(v: &Value) -> String {
    let t = v.to_string();
    t.chars().take(1500).collect()
}

#[test]
fn counts_match_the_seeded_documents() {
    let docs = incident();
    seed("fl-dyn", None, &docs);
    let got = ok("fl-dyn", &[]);
    let s = &got.summary;
    let in_window: Vec<&Value> = docs.iter().filter(|d| d["request_id"] != "old").collect();
    assert_eq!(s.total_requests, in_window.len() as u64);
    let count = |status: u64| in_window.iter().filter(|d| d["status_code"] == status).count() as u64;
    for status in [200u16, 401, 429, 502, 503, 504] {
        assert_eq!(s.by_status.get(&status).copied().unwrap_or(0), count(u64::from(status)), "status {status}");
    }
    assert_eq!(s.minutes.len(), 90);
    assert_eq!(s.minutes[20].failures.get(&429), Some(&3));
    assert_eq!(s.minutes[20].max_concurrency, Some(145));
    let gw = s.by_forwarder_tag.get("envoy-gateway").map(|b| b.by_status.clone());
    assert_eq!(gw.and_then(|b| b.get(&503).copied()), Some(count(503)));
    assert_eq!(s.long_requests.non_streaming_by_status.get(&504).copied(), Some(count(504)));
    assert_eq!(s.network_errors.by_error.get("ECONNRESET").copied(), Some(count(502)));
    let bad = s.keys.iter().find(|k| k.key_hash == "sha256:bad0bad0").unwrap_or_else(|| panic!("{:?}", s.keys));
    assert_eq!(bad.failures.get(&401).copied(), Some(count(401)));
    assert!(bad.last_success < bad.first_failure, "{bad:?}");
    // Per status, its own first and last time (the revoked-key reading needs the first 401).
    assert_eq!(
        bad.failure_times.get(&401).map(|t| (t.first, t.last)),
        Some((bad.first_failure.unwrap_or_default(), bad.last_failure.unwrap_or_default()))
    );
    let staging = s.environments.iter().find(|e| e.environment == "staging").map(|e| e.keys.len());
    assert_eq!(staging, Some(1));
    // Messages normalised: the double space in the 429 message is collapsed.
    assert!(s
        .by_error_message
        .get("rate_limit_error: Number of concurrent connections has exceeded your rate limit")
        .is_some());
    assert_eq!(s.tokens.input, in_window.iter().filter_map(|d| d["payload_token_count"].as_u64()).sum::<u64>());
    assert!(s.latency_by_status.get(&504).is_some_and(|p| p.p50 > 60000.0));
    assert!(!s.samples.is_empty() && s.samples.iter().all(|x| x.status >= 400));
    assert!(s.samples.iter().any(|x| x.headers.iter().any(|(k, _)| k == "authorization")));
    assert_eq!(s.window.first.map(|t| t.to_rfc3339()), Some("2026-11-20T10:00:00+00:00".to_string()));
    // One round trip for the facts: GET /, _field_caps, _msearch.
    assert_eq!(got.traffic.requests, 3, "{:?}", got.traffic);
    // Dynamic mapping made strings text: the notes say so.
    assert!(got.notes.iter().any(|n| n.contains("aggregating on ") && n.contains("model.keyword")), "{:?}", got.notes);
}

#[test]
fn dynamic_and_keyword_mappings_give_the_same_summary() {
    let docs = incident();
    seed("fl-dyn2", None, &docs);
    seed("fl-kw", Some(&keyword_mapping()), &docs);
    let dynamic = ok("fl-dyn2", &[]);
    let keyword = ok("fl-kw", &[]);
    assert_eq!(dynamic.fields.agg("model"), Some("model.keyword"));
    assert_eq!(keyword.fields.agg("model"), Some("model"));
    let (a, b) = (comparable(&dynamic.summary), comparable(&keyword.summary));
    assert_same(&a, &b);
}

#[test]
fn ecs_preset_gives_the_same_facts_as_the_faultline_preset() {
    let docs = incident();
    let ecs_docs: Vec<Value> = docs.iter().map(to_ecs).collect();
    seed("fl-ref", None, &docs);
    seed("ecs-dyn", None, &ecs_docs);
    let reference = ok("fl-ref", &[]);
    let ecs = ok("ecs-dyn", &[]);
    assert_eq!(ecs.summary.schema, "ecs");
    assert_eq!(ecs.fields.agg("status"), Some("http.response.status_code"));
    let (a, b) = (&reference.summary, &ecs.summary);
    assert_eq!(a.by_status, b.by_status);
    assert_eq!(a.minutes, b.minutes);
    assert_eq!(a.by_forwarder_tag, b.by_forwarder_tag);
    assert_eq!(a.by_error_message, b.by_error_message);
    assert_eq!(a.keys, b.keys);
    assert_eq!(a.long_requests, b.long_requests);
    assert_eq!(a.network_errors, b.network_errors);
    // event.duration is in nanoseconds: converted back to milliseconds.
    let (pa, pb) = (&a.latency_by_status[&504], &b.latency_by_status[&504]);
    assert!((pa.max - pb.max).abs() < 1e-6 && (pa.p50 - pb.p50).abs() / pa.p50 < 0.05, "{pa:?} {pb:?}");
    assert_eq!(a.samples.len(), b.samples.len());
    assert_eq!(
        a.samples.iter().map(|s| &s.request_id).collect::<Vec<_>>(),
        b.samples.iter().map(|s| &s.request_id).collect::<Vec<_>>()
    );
}

#[test]
fn the_server_is_detected_as_opensearch_despite_its_elastic_header() {
    seed("fl-detect", None, &incident()[..10]);
    let got = ok("fl-detect", &[]);
    assert_eq!(got.server.product, Product::OpenSearch);
    assert_eq!(got.server.elastic_product_header.as_deref(), Some("Elasticsearch"));
}

#[test]
fn a_missing_index_lists_the_indices_that_exist() {
    seed("fl-exists", None, &incident()[..5]);
    for pattern in ["nothing-here*", "nothing-here"] {
        let err = run(pattern, &[]).err().unwrap_or_else(|| panic!("expected an error for {pattern}"));
        let text = err.to_string();
        assert_eq!(err.exit(), Exit::Input);
        assert!(text.contains(&format!("no index matches \"{pattern}\"")) && text.contains("fl-exists"), "{text}");
    }
}

#[test]
fn a_status_mapped_as_text_is_a_clear_error() {
    let docs: Vec<Value> = incident()[..20]
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d["status_code"] = json!(d["status_code"].to_string());
            d
        })
        .collect();
    seed("fl-textstatus", None, &docs);
    let err = run("fl-textstatus", &[]).err().unwrap_or_else(|| panic!("expected an error"));
    assert_eq!(err.exit(), Exit::Input);
    let text = err.to_string();
    assert!(text.contains("field status_code is mapped as text") && text.contains("--field status=PATH"), "{text}");
}

#[test]
fn explain_queries_prints_pasteable_bodies_and_no_credentials() {
    seed("fl-explain", None, &incident()[..30]);
    let secret = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";
    let env = EsEnv { api_key: Some(secret.into()), ..EsEnv::default() };
    let args = diagnose_args(&["--es", &osmem().url, "--index", "fl-explain", "--explain-queries", "--since", "3650d"]);
    let mut err = Vec::new();
    gather_es(&args, &fast_config(), &ctx_with(env), &mut err).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&err);
    // Sent (and shown) with the exclusions that keep the answer small.
    let filter = faultline::logs::es::query::response_filter("responses.");
    let post = format!("POST fl-explain/_msearch?filter_path={filter}\n");
    assert!(text.contains(&format!("{post}{{\"index\":\"fl-explain\"}}\n{{")), "{text}");
    assert!(text.contains("GET fl-explain/_field_caps?fields=*"), "{text}");
    assert!(text.contains("API key VnVh… sha256:"), "{text}");
    assert!(!text.contains("ui2lp2") && !text.contains("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw"));
    // Every NDJSON body line pasted back is valid JSON.
    let msearch = text.split(&post).nth(1).unwrap_or_default();
    for line in msearch.lines().take(4) {
        assert!(serde_json::from_str::<Value>(line).is_ok(), "{line}");
    }
}

#[test]
fn field_overrides_and_forced_schema_apply() {
    let docs: Vec<Value> = incident()[..60]
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if let Some(obj) = d.as_object_mut() {
                if let Some(tag) = obj.remove("forwarder_tag") {
                    obj.insert("via".into(), tag);
                }
            }
            d
        })
        .collect();
    seed("fl-override", None, &docs);
    let got = ok("fl-override", &["--schema", "faultline", "--field", "forwarder_tag=via"]);
    assert_eq!(got.summary.schema, "faultline (+1 overrides)");
    assert_eq!(got.fields.agg("forwarder_tag"), Some("via.keyword"));
    assert!(got.summary.by_forwarder_tag.get("anthropic-origin").is_some());
}

#[test]
fn the_binary_diagnoses_from_the_cluster() {
    seed("fl-binary", None, &incident());
    let out = assert_cmd::Command::cargo_bin("faultline")
        .unwrap_or_else(|e| panic!("{e}"))
        .env_remove("FAULTLINE_ES_URL")
        .args(["diagnose", "--es", &osmem().url, "--index", "fl-binary", "--format", "json", "--no-interactive"])
        .args(WINDOW)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("OpenSearch 3.8.0 at http://127.0.0.1:"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(report["total_requests"], 540, "{report}");
    let causes: Vec<&str> =
        report["causes"].as_array().map(|c| c.iter().filter_map(|c| c["id"].as_str()).collect()).unwrap_or_default();
    assert!(!causes.is_empty(), "{report}");
}

#[test]
fn https_to_a_plain_server_says_what_to_do() {
    // osmem-server speaks plain HTTP: a client that speaks TLS to it is told to use http://.
    let plain = osmem().url.trim_end_matches('/').to_string();
    let tls = plain.replacen("http://", "https://", 1);
    let started = std::time::Instant::now();
    let mut argv = vec!["--es", tls.as_str(), "--index", "anything"];
    argv.extend_from_slice(&WINDOW);
    let mut err = Vec::new();
    let got = gather_es(&diagnose_args(&argv), &fast_config(), &ctx_with(EsEnv::default()), &mut err);
    let text = got.err().map(|e| e.to_string()).unwrap_or_default();
    let addr = plain.trim_start_matches("http://");
    assert!(text.contains(&format!("Use http://{addr} instead of https://")), "{text}");
    assert!(text.contains("not retried"), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
}
