//! Failure paths and Elasticsearch 8/9 response shapes, against a loopback fake SERVER that
//! answers recorded-shape responses (tests/fixtures/es/): server down, slow, 401 (JSON, plain
//! text, empty), 403, 429 then success, shard failures and timeouts, missing index, bucket
//! overflow, wrong field types, hits.total variants, serverless. Each failure must be exit 3
//! with a clear message, and nothing may hang.

use crate::es_support;
use crate::interactive_support;
use crate::watch_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use es_support::{ctx_with, diagnose_args, fast_config, fixture, raw_listener, Answer, FakeServer, Seen};
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
            ("POST", p) if p.contains("/_msearch") => product(Answer::json(200, &fixture("msearch_es8.json"))),
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
                cut_after: None,
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
    let partial = got.partial.as_ref().unwrap_or_else(|| panic!("no partial"));
    assert!(partial.timed_out && partial.shards_failed == 1, "{partial:?}");
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

// ---- issue 12: retries, time budget, transport and TLS faults, answers that are not the cluster's

/// A config whose backoff is long (seconds), so that only the time budget can end the wait.
fn slow_retry_config() -> faultline::config::Config {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("faultline.toml");
    std::fs::write(&path, "[thresholds.retry]\nmax_attempts = 10\nbase_delay_ms = 1000\ncap_delay_ms = 30000\n")
        .unwrap_or_else(|e| panic!("{e}"));
    faultline::config::Config::load(Some(&path), &faultline::context::RunContext::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn fails_with(config: &faultline::config::Config, url: &str, extra: &[&str]) -> (String, Duration) {
    let mut argv = vec!["--es", url, "--since", "1h"];
    argv.extend_from_slice(extra);
    let started = Instant::now();
    let mut err = Vec::new();
    let result = gather_es(&diagnose_args(&argv), config, &ctx_with(EsEnv::default()), &mut err);
    let took = started.elapsed();
    match result {
        Ok(s) => panic!("expected a failure, got {:?}", s.summary.by_status),
        Err(e) => {
            assert_eq!(e.exit(), Exit::Input, "{e}");
            (e.to_string(), took)
        }
    }
}

#[test]
fn persistent_429_names_its_attempts() {
    let server = cluster(|req, _| {
        req.path.contains("_msearch").then(|| Answer::json(429, r#"{"error":"too many","status":429}"#))
    });
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(!text.contains(": :"), "{text}");
    assert!(text.contains("with HTTP 429 (too many) 3 times over "), "{text}");
    assert!(text.contains("overloaded") && text.contains("try again"), "{text}");
    let server = cluster(|req, _| req.path.contains("_msearch").then(|| Answer::json(503, "")));
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("with HTTP 503 (an empty body) 3 times over "), "{text}");
    assert!(text.contains("_cluster/health"), "{text}");
}

#[test]
fn an_http_date_retry_after_is_honoured() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&calls);
    let server = cluster(move |req, _| {
        if req.path.contains("_field_caps") && c.fetch_add(1, Ordering::SeqCst) == 0 {
            // Two seconds from now, in the IMF-fixdate form (whole seconds: at least one second away).
            let at = chrono::Utc::now() + chrono::Duration::seconds(2);
            let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            return Some(
                Answer::json(429, r#"{"error":{"type":"es_rejected_execution_exception","reason":"busy"}}"#)
                    .header("Retry-After", &date),
            );
        }
        None
    });
    // fast_config caps the backoff at 200 ms: only the Retry-After date can make it wait longer.
    let (result, _) = run_with(&server.url, EsEnv::default(), &[]);
    let got = result.unwrap_or_else(|e| panic!("{e}"));
    let caps: Vec<Instant> =
        server.requests().iter().filter(|r| r.path.contains("_field_caps")).map(|r| r.at).collect();
    assert_eq!(caps.len(), 2);
    let waited = caps[1].duration_since(caps[0]);
    assert!(waited >= Duration::from_millis(900), "waited only {waited:?}");
    assert_eq!(got.summary.total_requests, 1000);
}

#[test]
fn es_timeout_bounds_the_whole_wait() {
    // The server asks for two minutes; the budget is two seconds: no wait at all, and say why.
    let server = cluster(|req, _| {
        req.path.contains("_msearch").then(|| {
            Answer::json(429, r#"{"error":{"type":"es_rejected_execution_exception","reason":"busy"}}"#)
                .header("Retry-After", "120")
        })
    });
    let (text, took) = fails_with(&slow_retry_config(), &server.url, &["--es-timeout", "2s"]);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        text.contains("asked to retry after 120.0 s (Retry-After), past what is left of --es-timeout 2.0 s"),
        "{text}"
    );
    assert!(text.contains("raise --es-timeout"), "{text}");
    assert_eq!(server.requests().iter().filter(|r| r.path.contains("_msearch")).count(), 1);

    // A wait too long for the clock is no panic, only a wait past the budget.
    let server = cluster(|req, _| {
        req.path.contains("_msearch").then(|| Answer::json(503, "").header("Retry-After", "99999999999999999999999"))
    });
    let (text, took) = fails_with(&slow_retry_config(), &server.url, &["--es-timeout", "2s"]);
    assert!(took < Duration::from_secs(5) && text.contains("(Retry-After), past what is left"), "{text}");

    // Backoff alone (1 s, 2 s, 4 s … for 10 attempts) would take minutes: the budget ends it.
    let server = cluster(|req, _| req.path.contains("_msearch").then(|| Answer::json(503, "")));
    let (text, took) = fails_with(&slow_retry_config(), &server.url, &["--es-timeout", "2s"]);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(text.contains("HTTP 503"), "{text}");

    // Slow answers that fail: the attempts share the budget.
    let server = cluster(|req, _| {
        req.path.contains("_msearch").then(|| Answer::json(503, "").delayed(Duration::from_millis(700)))
    });
    let (text, took) = fails_with(&slow_retry_config(), &server.url, &["--es-timeout", "2s"]);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(text.contains("HTTP 503") || text.contains("did not answer"), "{text}");
}

#[test]
fn field_caps_html_from_a_login_proxy_is_named() {
    const PAGE: &str =
        "<!DOCTYPE html>\n<html><head><title>\n  Sign in · Example SSO\n</title></head><body>…</body></html>";
    let server = cluster(|req, _| req.path.contains("_field_caps").then(|| Answer::html(200, PAGE)));
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(!text.contains("no index matches"), "{text}");
    assert!(
        text.contains("answered GET _field_caps with HTTP 200 and an HTML page titled \"Sign in · Example SSO\""),
        "{text}"
    );
    assert!(text.contains("login page or proxy"), "{text}");

    // Through a redirect to the sign-in page (whose query is never shown), and on GET / already.
    let server = cluster(|req, _| {
        if req.path.starts_with("/sso/login") {
            return Some(Answer::html(200, PAGE));
        }
        (req.path == "/").then(|| Answer::html(302, "").header("Location", "/sso/login?state=s3cr3tstate&x=1"))
    });
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("answered GET / with HTTP 200 and an HTML page"), "{text}");
    assert!(text.contains(&format!("after a redirect to {}/sso/login,", server.url)), "{text}");
    assert!(!text.contains("s3cr3tstate"), "{text}");

    // JSON that is not a _field_caps answer (a proxy's own) is not "no index" either.
    let server = cluster(|req, _| req.path.contains("_field_caps").then(|| Answer::json(200, r#"{"ok":true}"#)));
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("JSON that is not its answer (no \"fields\"; keys: ok)"), "{text}");
}

#[test]
fn a_cut_off_answer_is_named_and_retried() {
    let server = cluster(|req, _| {
        req.path.contains("_msearch").then(|| Answer::json(200, &fixture("msearch_es8.json")).cut_after(100))
    });
    let text = fails(&server.url, EsEnv::default(), &[]);
    let announced = fixture("msearch_es8.json").len();
    assert!(text.contains(&format!("was cut off after 100 bytes of the {announced} announced")), "{text}");
    assert!(!text.contains("cannot reach"), "{text}");
    assert!(text.contains("gave up after 3 attempts"), "{text}");
}

#[test]
fn https_to_a_plain_server_says_what_to_do() {
    let (addr, connections) =
        raw_listener(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let text = fails(&format!("https://{addr}"), EsEnv::default(), &[]);
    assert!(text.contains("is not TLS") && text.contains(&format!("Use http://{addr} instead of https://")), "{text}");
    assert!(text.contains("not retried"), "{text}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[test]
fn an_untrusted_certificate_names_es_ca_cert_and_the_ca_fixes_it() {
    let server = cluster_tls();
    let text = fails(&server.url, EsEnv::default(), &[]);
    assert!(text.contains("cannot verify the TLS certificate") && text.contains("--es-ca-cert FILE"), "{text}");
    assert!(text.contains("--insecure") && text.contains("not retried"), "{text}");
    assert_eq!(server.connections(), 1);
    // With the CA that issued it, the same server is read.
    let ca = es_support::test_ca();
    let (result, _) = run_with(&server.url, EsEnv::default(), &["--es-ca-cert", &ca]);
    assert_eq!(result.map(|s| s.summary.total_requests).map_err(|e| e.to_string()), Ok(1000));
    // A CA file that is not the right one is named in the message.
    let wrong = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    let other_ca = std::fs::read_to_string(format!("{}/tests/fixtures/es/tls/server.pem", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_default();
    std::fs::write(wrong.path(), other_ca).unwrap_or_else(|e| panic!("{e}"));
    let text = fails(&server.url, EsEnv::default(), &["--es-ca-cert", &wrong.path().display().to_string()]);
    assert!(text.contains(&format!("neither by the CA in --es-ca-cert {}", wrong.path().display())), "{text}");
}

#[test]
fn a_certificate_for_another_host_is_named() {
    // The certificate names localhost and 127.0.0.1; the server listens on 127.0.0.2 too
    // (all of 127/8 is loopback on Linux), which it does not name.
    let Some(server) = es_support::FakeServer::start_tls_on("127.0.0.2", |_, _| Answer::json(200, "{}")) else {
        return; // this system does not route 127.0.0.2
    };
    let ca = es_support::test_ca();
    let text = fails(&server.url, EsEnv::default(), &["--es-ca-cert", &ca]);
    assert!(text.contains("is not issued for the host in the URL") && text.contains("subjectAltName"), "{text}");
    assert_eq!(server.connections(), 1, "not retried");
}

#[test]
fn http_to_a_tls_port_says_use_https() {
    // A real TLS server (rustls) receiving plain HTTP.
    let server = cluster_tls();
    let plain = server.url.replace("https://localhost", "http://127.0.0.1");
    let text = fails(&plain, EsEnv::default(), &[]);
    let addr = plain.trim_start_matches("http://");
    assert!(text.contains(&format!("https://{addr}")), "{text}");
    // A listener answering TLS bytes (an alert record) to an HTTP request.
    let (addr, connections) = raw_listener(b"\x15\x03\x03\x00\x02\x02\x46");
    let text = fails(&format!("http://{addr}"), EsEnv::default(), &[]);
    assert!(text.contains("did not answer GET / in HTTP") && text.contains(&format!("Use https://{addr}")), "{text}");
    assert!(text.contains("not retried"), "{text}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    // A TLS port that just closes a plain connection (Elasticsearch 8 does): a hint, and retries
    // (a closed connection may be a restart).
    let (addr, connections) = raw_listener(b"");
    let text = fails(&format!("http://{addr}"), EsEnv::default(), &[]);
    assert!(text.contains("closed before any answer") && text.contains(&format!("use https://{addr}")), "{text}");
    assert_eq!(connections.load(Ordering::SeqCst), 3, "{text}");
}

#[test]
fn hopeless_errors_are_not_retried() {
    let plain: &'static [u8] = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let tls_bytes: &'static [u8] = b"\x15\x03\x03\x00\x02\x02\x46";
    for (scheme, reply) in [("https", plain), ("http", tls_bytes)] {
        let (addr, connections) = raw_listener(reply);
        let (text, took) = fails_with(&slow_retry_config(), &format!("{scheme}://{addr}"), &[]);
        assert_eq!(connections.load(Ordering::SeqCst), 1, "{scheme}: {text}");
        assert!(took < Duration::from_secs(3), "{scheme}: took {took:?}");
    }
    let server = cluster_tls();
    let (text, took) = fails_with(&slow_retry_config(), &server.url, &[]);
    assert_eq!(server.connections(), 1, "{text}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[test]
fn an_unparseable_es_url_is_a_usage_error() {
    for url in ["http://[::1", "http://elastic:S3cretPW@[::1:9200", "http://es.local:99999"] {
        let out = assert_cmd::Command::cargo_bin("faultline")
            .unwrap_or_else(|e| panic!("{e}"))
            .args(["diagnose", "--es", url, "--since", "1h"])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains("not a valid URL") && stderr.contains("--es "), "{stderr}");
        assert!(!stderr.contains("S3cretPW"), "{stderr}");
    }
}

/// An Elasticsearch 8 cluster behind TLS with the test CA's certificate.
fn cluster_tls() -> FakeServer {
    FakeServer::start_tls(|req, _| {
        let path = req.path.split('?').next().unwrap_or("");
        match (req.method.as_str(), path) {
            ("GET", "/") => Answer::json(200, &fixture("root_es8.json")),
            ("GET", p) if p.ends_with("/_field_caps") => Answer::json(200, &fixture("field_caps_es8.json")),
            ("POST", p) if p.contains("/_msearch") => Answer::json(200, &fixture("msearch_es8.json")),
            _ => Answer::json(404, r#"{"error":"no handler found","status":404}"#),
        }
    })
}

/// An Elasticsearch 8 cluster whose searches come back partial: timed out, 1 of 2 shards failed.
fn partial_cluster() -> FakeServer {
    cluster(|req, _| req.path.contains("_msearch").then(|| Answer::json(200, &fixture("msearch_partial.json"))))
}

#[test]
fn partial_results_are_marked_in_every_format() {
    let server = partial_cluster();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("faultline")
            .unwrap_or_else(|e| panic!("{e}"))
            .current_dir(dir.path())
            .args(["diagnose", "--es", &server.url, "--since", "1h", "--format", format, "--no-interactive"])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        // stderr keeps its loud warnings too.
        assert!(String::from_utf8_lossy(&out.stderr).contains("warning: PARTIAL RESULTS"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let human = run("human");
    // The second line, with the lines it wraps onto (indented under its text).
    let marked = human
        .lines()
        .skip(1)
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.starts_with(' '))
        .map(|(_, l)| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let marked = marked.as_str();
    assert!(marked.starts_with("! PARTIAL RESULTS: the cluster timed out"), "second line: {marked}\n{human}");
    assert!(marked.contains("1 of 2 shards failed") && marked.contains("lower bounds"), "{marked}");
    assert!(marked.contains("claude-api-request-logs-2026.11.21[0]: node_disconnected_exception"), "{marked}");

    let markdown = run("markdown");
    assert!(markdown.contains("\n\n> **Partial results:** the cluster timed out"), "{markdown}");

    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap_or_else(|e| panic!("{e}"));
    let partial = &json["partial"];
    assert_eq!(partial["timed_out"], true, "{partial}");
    assert_eq!((partial["shards_total"].as_u64(), partial["shards_failed"].as_u64()), (Some(2), Some(1)));
    assert_eq!(partial["failures"][0]["type"], "node_disconnected_exception", "{partial}");
    assert_eq!(partial["failures"][0]["index"], "claude-api-request-logs-2026.11.21", "{partial}");
    assert_eq!(partial["failures"][0]["shard"], 0, "{partial}");
    // The rest of the contract is unchanged.
    assert_eq!(json["total_requests"], 1000);

    // Complete results: `partial` is null, and no line says otherwise.
    let complete = cluster(|_, _| None);
    let out = assert_cmd::Command::cargo_bin("faultline")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(dir.path())
        .args(["diagnose", "--es", &complete.url, "--since", "1h", "--format", "json"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert!(json.get("partial").is_some_and(serde_json::Value::is_null), "{json}");
}

#[test]
fn partial_results_are_marked_in_the_watch_and_the_walk() {
    use interactive_support::{bin, command, Tty};
    let server = partial_cluster();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // --watch piped: the first report is the JSON contract, partial included.
    let mut w = watch_support::Watcher::start(command(
        &bin(),
        &["diagnose", "--es", &server.url, "--since", "1h", "--watch", "1s", "--format", "json"],
        dir.path(),
    ));
    let first = w.wait_for("the first report", |l| l.starts_with('{'));
    let report: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    assert_eq!(report["partial"]["shards_failed"], 1, "{first}");
    let _ = w.interrupt();

    // --watch on a terminal: the redrawn screen says it.
    let mut tty = Tty::spawn(command(
        &bin(),
        &["diagnose", "--es", &server.url, "--since", "1h", "--watch", "1s", "--color", "never"],
        dir.path(),
    ));
    tty.expect("faultline watch");
    tty.expect("Changes");
    assert!(tty.screen().contains("! PARTIAL RESULTS: the cluster timed out"), "{}", tty.screen());
    tty.send(b"\x03");
    tty.expect_eof();

    // The walk: said when it starts, and on every cause page.
    let mut tty = Tty::spawn(command(
        &bin(),
        &["diagnose", "--es", &server.url, "--since", "1h", "--color", "never"],
        dir.path(),
    ));
    tty.expect("What next?");
    let raw = tty.raw_text();
    let (_, walk) =
        raw.split_once("(lower bounds; shares may be off)").unwrap_or_else(|| panic!("not in the report:\n{raw}"));
    assert!(walk.contains("! PARTIAL RESULTS:"), "not said as the walk starts:\n{raw}");
    tty.keys("jjjj\r");
    tty.expect("partial results: these counts are lower bounds");
    tty.keys("q");
    tty.expect_eof();
}
