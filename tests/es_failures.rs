//! Failure paths and Elasticsearch 8/9 response shapes, against a loopback fake SERVER that
//! answers recorded-shape responses (tests/fixtures/es/): server down, slow, 401 (JSON, plain
//! text, empty), 403, 429 then success, shard failures and timeouts, missing index, bucket
//! overflow, wrong field types, hits.total variants, serverless. Each failure must be exit 3
//! with a clear message, and nothing may hang.

mod es_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use es_support::{ctx_with, diagnose_args, fast_config, fixture, Answer, FakeServer, Seen};
use faultline::commands::diagnose::gather_es;
use faultline::error::{Error, Exit};
use faultline::logs::es::{EsEnv, EsSummary, Product};

const API_KEY: &str = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";
const ENCODED: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

/// An Elasticsearch 8 cluster, unless `special` answers first.
fn cluster(special: impl Fn(&Seen, usize) -> Option<Answer> + Send + Sync + 'static) -> FakeServer {
    FakeServer::start(move |req, n| {
        if let Some(a) = special(req, n) {
            return a;
        }
        let product = |a: Answer| a.header("X-Elastic-Product", "Elasticsearch");
        let path = req.path.split('?').next().unwrap_or("");
        match (req.method.as_str(), path) {
            ("GET", "/") => product(Answer::json(200, &fixture("root_es8.json"))),
            ("GET", p) if p.ends_with("/_field_caps") => product(Answer::json(200, &fixture("field_caps_es8.json"))),
            ("POST", p) if p.ends_with("/_msearch") => product(Answer::json(200, &fixture("msearch_es8.json"))),
            ("GET", "/_cat/indices") => product(Answer::json(200, &fixture("cat_indices.json"))),
            _ => Answer::json(404, r#"{"error":"no handler found","status":404}"#),
        }
    })
}

fn run_with(server_url: &str, env: EsEnv, extra: &[&str]) -> (Result<EsSummary, Error>, Duration) {
    let mut argv = vec!["--es", server_url, "--since", "1h"];
    argv.extend_from_slice(extra);
    let started = Instant::now();
    let mut err = Vec::new();
    let result = gather_es(&diagnose_args(&argv), &fast_config(), &ctx_with(env), &mut err);
    (result, started.elapsed())
}

fn fails(server_url: &str, env: EsEnv, extra: &[&str]) -> String {
    let (result, took) = run_with(server_url, env, extra);
    assert!(took < Duration::from_secs(10), "took {took:?}: something hung");
    match result {
        Ok(s) => panic!("expected a failure, got {:?}", s.summary.by_status),
        Err(e) => {
            assert_eq!(e.exit(), Exit::Input, "{e}");
            e.to_string()
        }
    }
}

fn api_key_env() -> EsEnv {
    EsEnv { api_key: Some(API_KEY.into()), ..EsEnv::default() }
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains("ui2lp2") && !text.contains(&ENCODED[6..]) && !text.contains("hunter2"), "{text}");
}

#[test]
fn server_down_is_exit_3_after_retries() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().map(|a| a.port()).unwrap_or(1)
    };
    let text = fails(&format!("http://127.0.0.1:{port}"), EsEnv::default(), &[]);
    assert!(text.contains("cannot reach Elasticsearch/OpenSearch at http://127.0.0.1:"), "{text}");
    assert!(text.contains("gave up after 3 attempts"), "{text}");
}

#[test]
fn a_slow_server_times_out_without_retrying() {
    let server = cluster(|req, _| (req.path == "/").then(|| Answer::json(200, "{}").delayed(Duration::from_secs(3))));
    let (result, took) = run_with(&server.url, EsEnv::default(), &["--es-timeout", "300ms"]);
    let text = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(text.contains("did not answer GET / within") && text.contains("--es-timeout 0.3 s"), "{text}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(server.requests().len(), 1, "a timeout is not retried");
}

#[test]
fn unauthorized_names_the_api_key_redacted() {
    let server = cluster(|_, _| Some(Answer::json(401, &fixture("error_401_es8.json"))));
    let text = fails(&server.url, api_key_env(), &[]);
    assert!(text.contains("refused the credentials (HTTP 401, security_exception"), "{text}");
    assert!(text.contains("tried API key VnVh… sha256:"), "{text}");
    assert_no_secret(&text);
    // The header was sent in the encoded form; a 401 is not retried.
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].headers.iter().any(|(k, v)| k == "authorization" && v == &format!("ApiKey {ENCODED}")));
}

#[test]
fn opensearch_401_with_an_empty_or_plain_body_is_understood() {
    for body in ["", "Unauthorized"] {
        let b = body.to_string();
        let server = cluster(move |_, _| {
            Some(Answer {
                status: 401,
                headers: vec![("Content-Type".into(), "text/plain".into())],
                body: b.clone(),
                delay: Duration::ZERO,
            })
        });
        let env = EsEnv { username: Some("elastic".into()), password: Some("hunter2".into()), ..EsEnv::default() };
        let text = fails(&server.url, env, &[]);
        let said = if body.is_empty() { "an empty body" } else { "\"Unauthorized\"" };
        assert!(
            text.contains(&format!("HTTP 401, {said}")) && text.contains("tried basic auth user elastic"),
            "{text}"
        );
        assert_no_secret(&text);
    }
}

#[test]
fn forbidden_search_says_which_privilege() {
    let server =
        cluster(|req, _| req.path.contains("_msearch").then(|| Answer::json(403, &fixture("error_403_es8.json"))));
    let text = fails(&server.url, api_key_env(), &[]);
    assert!(text.contains("forbade POST claude-api-request-logs*/_msearch (HTTP 403) for API key VnVh…"), "{text}");
    assert!(text.contains("read and view_index_metadata"), "{text}");
    assert_no_secret(&text);
}

#[test]
fn a_forbidden_item_inside_msearch_is_an_error_too() {
    let server =
        cluster(|req, _| req.path.contains("_msearch").then(|| Answer::json(200, &fixture("msearch_item_error.json"))));
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("(the summary search)") && text.contains("HTTP 403"), "{text}");
}

#[test]
fn too_many_requests_then_success_is_retried_honouring_retry_after() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&calls);
    let server = cluster(move |req, _| {
        if req.path.contains("_field_caps") && c.fetch_add(1, Ordering::SeqCst) < 2 {
            return Some(Answer::json(429, r#"{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}"#).header("Retry-After", "0"));
        }
        None
    });
    let (result, _) = run_with(&server.url, EsEnv::default(), &[]);
    let got = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.traffic.requests, 3);
    assert_eq!(got.traffic.attempts, 5);
    assert_eq!(got.traffic.retries.len(), 2, "{:?}", got.traffic.retries);
    assert!(
        got.notes.iter().any(|n| n.starts_with("HTTP 429 from GET ") && n.contains("attempt 2 of 3")),
        "{:?}",
        got.notes
    );
    assert_eq!(got.summary.total_requests, 1000);
}

#[test]
fn retries_stop_at_max_attempts_on_persistent_503() {
    let server = cluster(|req, _| req.path.contains("_msearch").then(|| Answer::json(503, "")));
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("HTTP 503"), "{text}");
    assert_eq!(server.requests().iter().filter(|r| r.path.contains("_msearch")).count(), 3);
}

#[test]
fn bad_request_is_never_retried() {
    let server = cluster(|req, _| {
        req.path.contains("_msearch").then(|| {
            Answer::json(400, r#"{"error":{"root_cause":[{"type":"x_content_parse_exception","reason":"[1:2] unknown field [interval]"}],"type":"x_content_parse_exception","reason":"x"},"status":400}"#)
        })
    });
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("x_content_parse_exception: [1:2] unknown field [interval]"), "{text}");
    assert_eq!(server.requests().iter().filter(|r| r.path.contains("_msearch")).count(), 1);
}

#[test]
fn shard_failures_and_timeouts_are_reported_loudly() {
    let server =
        cluster(|req, _| req.path.contains("_msearch").then(|| Answer::json(200, &fixture("msearch_partial.json"))));
    let (result, _) = run_with(&server.url, EsEnv::default(), &[]);
    let got = result.unwrap_or_else(|e| panic!("{e}"));
    assert!(got.notes[0].starts_with("PARTIAL RESULTS: the summary search timed out"), "{:?}", got.notes);
    assert!(
        got.notes[1].contains("1 of 2 shards failed") && got.notes[1].contains("node_disconnected_exception"),
        "{:?}",
        got.notes
    );
}

#[test]
fn a_missing_index_lists_what_exists() {
    let server = cluster(|req, _| {
        req.path.contains("_field_caps").then(|| Answer::json(404, &fixture("error_index_not_found.json")))
    });
    let text = fails(&server.url, EsEnv::default(), &["--index", "claude-api-request-logs-2026.11.21"]);
    assert!(text.contains("no index matches \"claude-api-request-logs-2026.11.21\""), "{text}");
    assert!(text.contains("claude-api-metrics, claude-api-request-logs-2026.11.20"), "{text}");
    assert!(!text.contains(".kibana"), "hidden indices are not listed: {text}");
}

#[test]
fn a_pattern_that_matches_nothing_lists_what_exists() {
    let server = cluster(|req, _| {
        req.path.contains("_field_caps").then(|| Answer::json(200, &fixture("field_caps_empty.json")))
    });
    let text = fails(&server.url, EsEnv::default(), &["--index", "claude-api-request-logs-*"]);
    assert!(text.contains("no index matches") && text.contains("claude-api-metrics"), "{text}");
}

#[test]
fn bucket_overflow_says_search_max_buckets_and_is_not_retried() {
    for status in [400, 503] {
        let server = cluster(move |req, _| {
            req.path.contains("_msearch").then(|| Answer::json(status, &fixture("error_too_many_buckets.json")))
        });
        let text = fails(&server.url, EsEnv::default(), &[]);
        assert!(text.contains("search.max_buckets (65536)") && text.contains("--since"), "{text}");
        assert_eq!(server.requests().iter().filter(|r| r.path.contains("_msearch")).count(), 1, "HTTP {status}");
    }
}

#[test]
fn a_status_field_of_the_wrong_type_is_a_clear_error() {
    let server = cluster(|req, _| {
        req.path.contains("_field_caps").then(|| {
            Answer::json(200, r#"{"indices":["a","b"],"fields":{"@timestamp":{"date":{"type":"date","aggregatable":true}},
              "status_code":{"keyword":{"type":"keyword","aggregatable":true,"indices":["a"]},"long":{"type":"long","aggregatable":true,"indices":["b"]}}}}"#)
        })
    });
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("field status_code is mapped as keyword, long") && text.contains("needs a number"), "{text}");
}

#[test]
fn elasticsearch_8_responses_are_read() {
    let server = cluster(|_, _| None);
    let (result, _) = run_with(&server.url, api_key_env(), &[]);
    let got = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.server.product, Product::Elasticsearch);
    assert_eq!(got.server.elastic_product_header.as_deref(), Some("Elasticsearch"));
    let s = &got.summary;
    assert_eq!(s.total_requests, 1000);
    assert_eq!(s.by_status.get(&429), Some(&100));
    assert_eq!(s.minutes.len(), 2);
    assert_eq!(s.minutes[1].max_concurrency, Some(160));
    // A null percentile (no latency in that bucket) is no entry, not a zero.
    assert!(s.latency_by_status.contains_key(&200) && !s.latency_by_status.contains_key(&429));
    assert_eq!(s.samples.len(), 2);
    assert_eq!(s.samples[0].request_id.as_deref(), Some("req_0001"));
    assert!(got.fields.agg("error_message") == Some("error_message.keyword"));
    // The query asked for the fixed 1m interval, keyed:false percentiles, size 0, an absolute window.
    let msearch =
        server.requests().into_iter().find(|r| r.path.contains("_msearch")).map(|r| r.body).unwrap_or_default();
    assert!(msearch.contains("\"fixed_interval\":\"1m\"") && msearch.contains("\"keyed\":false"));
    assert!(msearch.contains("\"size\":0") && msearch.contains("\"gte\":\"20") && !msearch.contains("now"));
    assert!(msearch.ends_with('\n'));
}

#[test]
fn hits_total_as_int_or_absent_is_read() {
    for (name, total) in [("msearch_total_int.json", 1000), ("msearch_total_absent.json", 1000)] {
        let server = cluster(move |req, _| req.path.contains("_msearch").then(|| Answer::json(200, &fixture(name))));
        let (result, _) = run_with(&server.url, EsEnv::default(), &[]);
        assert_eq!(result.map(|s| s.summary.total_requests).map_err(|e| e.to_string()), Ok(total), "{name}");
    }
}

#[test]
fn serverless_and_elasticsearch_9_are_detected() {
    for (file, serverless, major) in [("root_serverless.json", true, 8), ("root_es9.json", false, 9)] {
        let server = cluster(move |req, _| {
            (req.path == "/").then(|| Answer::json(200, &fixture(file)).header("X-Elastic-Product", "Elasticsearch"))
        });
        let (result, _) = run_with(&server.url, EsEnv::default(), &[]);
        let got = result.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((got.server.serverless, got.server.major), (serverless, Some(major)), "{file}");
    }
}

#[test]
fn a_server_without_msearch_gets_two_searches() {
    let summary_and_samples = {
        let v: serde_json::Value = serde_json::from_str(&fixture("msearch_es8.json")).unwrap_or_default();
        (v["responses"][0].to_string(), v["responses"][1].to_string())
    };
    let server = cluster(move |req, _| {
        if req.path.contains("_msearch") {
            return Some(Answer::json(405, r#"{"error":"Incorrect HTTP method for uri [/x/_msearch]","status":405}"#));
        }
        if req.path.contains("/_search") {
            let body = if req.body.contains("\"track_total_hits\":true") {
                &summary_and_samples.0
            } else {
                &summary_and_samples.1
            };
            return Some(Answer::json(200, body));
        }
        None
    });
    let (result, _) = run_with(&server.url, EsEnv::default(), &[]);
    let got = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((got.summary.total_requests, got.summary.samples.len()), (1000, 2));
    assert!(got.notes.iter().any(|n| n.contains("_msearch unavailable")), "{:?}", got.notes);
}

#[test]
fn a_server_without_field_caps_is_read_through_mapping() {
    let server = cluster(|req, _| {
        if req.path.contains("_field_caps") {
            return Some(Answer::json(
                400,
                r#"{"error":{"type":"illegal_argument_exception","reason":"no handler"},"status":400}"#,
            ));
        }
        req.path.contains("/_mapping").then(|| {
            Answer::json(200, r#"{"claude-api-request-logs-1":{"mappings":{"properties":{"@timestamp":{"type":"date"},"status_code":{"type":"long"},"error_message":{"type":"text","fields":{"keyword":{"type":"keyword"}}}}}}}"#)
        })
    });
    let (result, _) = run_with(&server.url, EsEnv::default(), &[]);
    let got = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.fields.agg("error_message"), Some("error_message.keyword"));
    assert!(got.notes.iter().any(|n| n.contains("fields read from _mapping")), "{:?}", got.notes);
}

#[test]
fn the_binary_exits_3_when_the_cluster_is_down_and_prints_no_secret() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().map(|a| a.port()).unwrap_or(1)
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("faultline.toml"), "[thresholds.retry]\nbase_delay_ms = 10\ncap_delay_ms = 50\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = assert_cmd::Command::cargo_bin("faultline")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(dir.path())
        .env("FAULTLINE_ES_URL", format!("http://127.0.0.1:{port}"))
        .env("FAULTLINE_ES_API_KEY", API_KEY)
        .args(["diagnose", "--since", "1h", "--format", "json"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot reach Elasticsearch/OpenSearch"), "{stderr}");
    assert_no_secret(&stderr);
    assert!(out.stdout.is_empty());
}
