//! The diagnosis (detectors, attribution, layer trace) on hand-built Summaries, including each
//! threshold's boundary values
//! (rules/thresholds.toml defaults: continuous_failure_rate 0.9, continuous_minute_share 0.8,
//! baseline_concurrency 100, revoked_min_prior_successes 1, env_concentration 0.6,
//! region_concentration 0.6, network_p99_ms 12000, non_streaming_token_limit 6000, min_failures 3).

use chrono::{DateTime, Duration, TimeZone, Utc};

use faultline::diagnose::causes::traffic::traffic_pattern;
use faultline::diagnose::layers;
use faultline::diagnose::model::Confidence;
use faultline::diagnose::rank;
use faultline::diagnose::summary::*;
use faultline::knowledge::Knowledge;
use faultline::logs::local::{summarise, Options};

/// A copy of the knowledge base loaded once for the whole binary.
fn k() -> Knowledge {
    crate::shared::knowledge().clone()
}

fn t(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 8, 0, 0).single().unwrap_or_default() + Duration::minutes(minute)
}

fn counts(pairs: &[(u16, u64)]) -> StatusCounts {
    pairs.iter().copied().collect()
}

fn with_fields(s: &mut Summary, fields: &[&str]) {
    for f in fields {
        s.fields.present.insert((*f).to_string(), 1);
    }
}

/// A Summary whose minutes hold (requests, 429s, max concurrency).
fn traffic_summary(minutes: &[(u64, u64, u64)]) -> Summary {
    let mut s = Summary::default();
    with_fields(&mut s, &["timestamp", "status", "concurrency"]);
    for (i, (req, fail, conc)) in minutes.iter().enumerate() {
        s.minutes.push(MinuteBucket {
            start: t(i as i64),
            requests: *req,
            failures: if *fail > 0 { counts(&[(429, *fail)]) } else { StatusCounts::new() },
            max_concurrency: Some(*conc),
            ..MinuteBucket::default()
        });
        s.total_requests += req;
        *s.by_status.entry(429).or_insert(0) += fail;
        *s.by_status.entry(200).or_insert(0) += req - fail;
    }
    s.by_status.retain(|_, n| *n > 0);
    s
}

fn cause_of(s: &Summary, id: &str) -> Option<(u64, Confidence)> {
    let d = rank::diagnose(s, &k());
    d.causes.iter().find(|c| c.id == id).map(|c| (c.failures, c.confidence))
}

#[test]
fn quota_needs_failure_rate_at_the_continuous_mark() {
    // 10 calm minutes then 5 minutes failing at exactly 90 %: continuous.
    let mut m = vec![(10, 0, 20); 10];
    m.extend(vec![(10, 9, 20); 5]);
    let p = traffic_pattern(&traffic_summary(&m), &k());
    assert_eq!(p.quota_onset, Some(t(10)));
    assert_eq!(p.quota_429, 45);
    assert_eq!(cause_of(&traffic_summary(&m), "traffic.quota_exhausted").map(|c| c.0), Some(45));
    // At 80 % the minutes are not saturated: bursts, so rate limiting.
    let mut m = vec![(10, 0, 20); 10];
    m.extend(vec![(10, 8, 20); 5]);
    let p = traffic_pattern(&traffic_summary(&m), &k());
    assert_eq!(p.quota_onset, None);
    assert_eq!(cause_of(&traffic_summary(&m), "traffic.rate_limit").map(|c| c.0), Some(40));
}

#[test]
fn quota_needs_the_continuous_minute_share() {
    // From the onset on, 4 of 5 minutes saturated (0.8): continuous.
    let m = vec![(10, 0, 20), (10, 10, 20), (10, 10, 20), (10, 0, 20), (10, 10, 20), (10, 10, 20)];
    assert_eq!(traffic_pattern(&traffic_summary(&m), &k()).quota_onset, Some(t(1)));
    // 3 of 5 (0.6): the stretch only starts after the gap.
    let m = vec![(10, 0, 20), (10, 10, 20), (10, 0, 20), (10, 0, 20), (10, 10, 20), (10, 10, 20), (10, 10, 20)];
    assert_eq!(traffic_pattern(&traffic_summary(&m), &k()).quota_onset, Some(t(4)));
}

#[test]
fn rate_limit_confidence_follows_concurrency_above_the_cap() {
    // Bursts at concurrency 101 (above the cap of 100) vs exactly 100 (not above).
    let above = [(10, 0, 20), (10, 5, 101), (10, 0, 20), (10, 5, 101), (10, 0, 20)];
    let at = [(10, 0, 20), (10, 5, 100), (10, 0, 20), (10, 5, 100), (10, 0, 20)];
    let p = traffic_pattern(&traffic_summary(&above), &k());
    assert_eq!((p.burst_minutes, p.burst_minutes_above_cap, p.peak_concurrency), (2, 2, Some(101)));
    assert_eq!(cause_of(&traffic_summary(&above), "traffic.rate_limit"), Some((10, Confidence::Medium)));
    let p = traffic_pattern(&traffic_summary(&at), &k());
    assert_eq!(p.burst_minutes_above_cap, 0);
    assert_eq!(cause_of(&traffic_summary(&at), "traffic.rate_limit"), Some((10, Confidence::Low)));
}

#[test]
fn messages_decide_traffic_before_the_pattern() {
    let mut s = traffic_summary(&[(10, 5, 300), (10, 5, 300)]);
    s.by_error_message.top.push(Bucket {
        value: "You have reached your API usage limits (error_code: enforced_spend_limit_reached)".into(),
        by_status: counts(&[(429, 10)]),
    });
    assert_eq!(cause_of(&s, "traffic.quota_exhausted"), Some((10, Confidence::High)));
    assert_eq!(cause_of(&s, "traffic.rate_limit"), None);
}

fn key_summary(successes: u64, last_success: Option<i64>, first_failure: i64, fails: u64) -> Summary {
    let mut s = Summary::default();
    with_fields(&mut s, &["timestamp", "status", "key_hash"]);
    s.total_requests = successes + fails;
    s.by_status = counts(&[(200, successes), (401, fails)]);
    s.by_status.retain(|_, n| *n > 0);
    s.keys.push(KeyHistory {
        key_hash: "sha256:aaaaaaaa".into(),
        successes,
        failures: counts(&[(401, fails)]),
        first_success: last_success.map(|_| t(0)),
        last_success: last_success.map(t),
        first_failure: Some(t(first_failure)),
        last_failure: Some(t(first_failure + 10)),
        failure_times: [(401, TimeSpan { first: t(first_failure), last: t(first_failure + 10) })].into_iter().collect(),
    });
    s
}

#[test]
fn revoked_needs_prior_successes_and_no_success_after_onset() {
    assert_eq!(cause_of(&key_summary(1, Some(5), 6, 20), "auth.key_revoked").map(|c| c.0), Some(20));
    // No prior success (below revoked_min_prior_successes = 1).
    assert_eq!(cause_of(&key_summary(0, None, 6, 20), "auth.key_revoked"), None);
    // The last success at the same instant as the first failure: not "after".
    assert_eq!(cause_of(&key_summary(3, Some(6), 6, 20), "auth.key_revoked"), None);
}

fn env_summary(stale_in_env: u64, stale_elsewhere: u64) -> Summary {
    let mut s = key_summary(0, None, 1, stale_in_env + stale_elsewhere);
    with_fields(&mut s, &["environment"]);
    s.environments.push(EnvironmentKeys {
        environment: "staging".into(),
        keys: vec![KeyCount {
            key_hash: "sha256:aaaaaaaa".into(),
            successes: 0,
            failures: counts(&[(401, stale_in_env)]),
        }],
    });
    s.environments.push(EnvironmentKeys {
        environment: "production".into(),
        keys: vec![
            KeyCount { key_hash: "sha256:bbbbbbbb".into(), successes: 500, failures: StatusCounts::new() },
            KeyCount { key_hash: "sha256:aaaaaaaa".into(), successes: 0, failures: counts(&[(401, stale_elsewhere)]) },
        ],
    });
    s
}

#[test]
fn env_override_needs_the_concentration_mark() {
    // 60 of 100 401s in staging: exactly the 0.6 mark.
    assert_eq!(cause_of(&env_summary(60, 40), "auth.env_override").map(|c| c.0), Some(100));
    // 59 of 100: not concentrated.
    assert_eq!(cause_of(&env_summary(59, 41), "auth.env_override"), None);
}

fn network_summary(in_region: u64, elsewhere: u64, p99: f64) -> Summary {
    let mut s = Summary::default();
    with_fields(&mut s, &["timestamp", "status", "network_error", "region", "latency", "forwarder_tag"]);
    let total = in_region + elsewhere;
    s.total_requests = total + 100;
    s.by_status = counts(&[(200, 100), (502, total)]);
    s.network_errors.by_status = counts(&[(502, total)]);
    s.network_errors.by_error.insert("ECONNRESET".into(), total);
    s.network_errors.by_region.top = vec![
        Bucket { value: "ap-south-1".into(), by_status: counts(&[(502, in_region)]) },
        Bucket { value: "us-east-1".into(), by_status: counts(&[(502, elsewhere)]) },
    ];
    s.latency_by_region
        .insert("ap-south-1".into(), Percentiles { count: total, p50: 900.0, p90: 5000.0, p99, max: p99 });
    s
}

#[test]
fn network_loss_needs_region_concentration_and_p99_above_the_mark() {
    assert_eq!(cause_of(&network_summary(60, 40, 12_001.0), "upstream.network_loss"), Some((60, Confidence::High)));
    // P99 exactly at 12 s is not above it.
    assert_eq!(cause_of(&network_summary(60, 40, 12_000.0), "upstream.network_loss"), Some((60, Confidence::Medium)));
    // 59 % in one region: not concentrated; all network failures, low confidence.
    assert_eq!(cause_of(&network_summary(59, 41, 20_000.0), "upstream.network_loss"), Some((100, Confidence::Low)));
}

#[test]
fn forwarder_tags_split_provider_and_middleware_without_double_counting() {
    let mut s = Summary::default();
    with_fields(&mut s, &["timestamp", "status", "forwarder_tag", "network_error"]);
    s.total_requests = 1000;
    s.by_status = counts(&[(200, 800), (502, 50), (503, 120), (529, 30)]);
    s.by_forwarder_tag.top = vec![
        Bucket { value: "anthropic-origin".into(), by_status: counts(&[(200, 700), (503, 80), (529, 30)]) },
        Bucket { value: "envoy-gw-1".into(), by_status: counts(&[(200, 100), (502, 50), (503, 40)]) },
    ];
    // 10 of the provider-tagged 503s were connection resets: not the provider's overload.
    s.network_errors.by_status = counts(&[(503, 10)]);
    s.network_errors.by_forwarder_tag.top =
        vec![Bucket { value: "anthropic-origin".into(), by_status: counts(&[(503, 10)]) }];
    s.network_errors.by_region.top = vec![Bucket { value: "eu-west-1".into(), by_status: counts(&[(503, 10)]) }];
    let d = rank::diagnose(&s, &k());
    let got: Vec<(&str, u64)> = d.causes.iter().map(|c| (c.id.as_str(), c.failures)).collect();
    assert_eq!(
        got,
        vec![
            ("upstream.provider_overload", 100),
            ("upstream.middleware_exhaustion", 90),
            ("upstream.network_loss", 10)
        ]
    );
    assert_eq!(d.unexplained.failures, 0);
}

#[test]
fn causes_below_min_failures_return_to_unexplained() {
    let mut s = Summary::default();
    with_fields(&mut s, &["timestamp", "status", "forwarder_tag"]);
    for (n, expect) in [(2u64, None), (3, Some(3))] {
        s.total_requests = 100;
        s.by_status = counts(&[(200, 100 - n), (529, n)]);
        s.by_forwarder_tag.top = vec![Bucket { value: "anthropic-origin".into(), by_status: counts(&[(529, n)]) }];
        let d = rank::diagnose(&s, &k());
        assert_eq!(d.causes.first().map(|c| c.failures), expect, "{n} failures");
        assert_eq!(d.unexplained.failures, if expect.is_none() { n } else { 0 });
    }
}

#[test]
fn status_layer_attributes_nothing_and_traces_every_failing_status() {
    let s = traffic_summary(&[(10, 0, 20), (10, 10, 20)]);
    let report = layers::status_layer(&s, &k(), &[]);
    assert!(report.found.is_empty());
    assert!(report.checked.iter().any(|c| c.starts_with("429")), "{:?}", report.checked);
}

#[test]
fn missing_fields_are_named_as_limits_never_as_rulings() {
    let mut s = Summary::default();
    with_fields(&mut s, &["timestamp", "status"]);
    s.total_requests = 14;
    s.by_status = counts(&[(503, 10), (504, 4)]);
    let d = rank::diagnose(&s, &k());
    let upstream = d.layers.iter().find(|l| l.layer == faultline::knowledge::Layer::Upstream);
    let Some(upstream) = upstream else { panic!("no upstream layer") };
    let limits = upstream.limited_by.join("\n");
    for f in ["network_error", "forwarder_tag", "payload_tokens", "stream"] {
        assert!(limits.contains(f), "{f} not named: {limits}");
    }
    // The network and the long requests could not be checked: limited, not ruled out.
    for id in ["upstream.network_loss", "upstream.timeout_non_streaming"] {
        assert!(!upstream.ruled_out.iter().any(|r| r.starts_with(id)), "{id} ruled out: {:?}", upstream.ruled_out);
    }
    assert!(limits.contains("upstream.network_loss: could not be checked"), "{limits}");
    assert_eq!(d.unexplained.by_status, counts(&[(503, 10), (504, 4)]));
}

/// The long-request cut-off is applied while gathering: strictly above 6,000 tokens.
#[test]
fn long_request_cut_off_is_strictly_above_the_limit() {
    let mut text = String::new();
    for (i, tokens) in [6000u64, 6001, 9000].iter().enumerate() {
        text.push_str(&format!(
            "{{\"@timestamp\":\"2026-11-18T08:00:0{i}Z\",\"status_code\":524,\"payload_token_count\":{tokens},\"stream\":false}}\n"
        ));
    }
    let opts = Options::new(6000, 1);
    let source = faultline::logs::reader::wrap("t".into(), Box::new(std::io::Cursor::new(text.into_bytes())));
    let outcome = match source.and_then(|s| summarise(s, &opts)) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(outcome.summary.long_requests.non_streaming_by_status, counts(&[(524, 2)]));
}

#[test]
fn summaries_merge_across_workers_to_the_same_facts() {
    let mut text = String::new();
    // About 8 MB: several chunks, so several workers really share the work.
    for i in 0..40_000 {
        let status = [200, 200, 429, 503, 401][i % 5];
        text.push_str(&format!(
            "{{\"@timestamp\":\"2026-11-18T08:{:02}:{:02}Z\",\"request_id\":\"r{i}\",\"status_code\":{status},\"latency_ms\":{},\"api_key_hash\":\"k{}\",\"endpoint_region\":\"r{}\",\"error_message\":\"m{}\"}}\n",
            (i / 60) % 60,
            i % 60,
            i % 977,
            i % 7,
            i % 3,
            i % 11
        ));
    }
    let run = |workers: usize| {
        let opts = Options::new(6000, workers);
        let source =
            faultline::logs::reader::wrap("t".into(), Box::new(std::io::Cursor::new(text.clone().into_bytes())));
        match source.and_then(|s| summarise(s, &opts)) {
            Ok(o) => o.summary,
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(run(1), run(3));
}

/// The local backend keeps each failing status's first and last time per key (a revoked key is
/// read from its first 401, not from its first failure of any status).
#[test]
fn key_history_keeps_first_and_last_time_per_status() {
    let mut text = String::new();
    for (i, status) in [200, 200, 500, 200, 404, 401, 401, 401].iter().enumerate() {
        text.push_str(&format!(
            "{{\"@timestamp\":\"2026-11-18T08:0{i}:00Z\",\"status_code\":{status},\"api_key_hash\":\"sha256:k1\"}}\n"
        ));
    }
    let opts = Options::new(6000, 1);
    let source = faultline::logs::reader::wrap("t".into(), Box::new(std::io::Cursor::new(text.into_bytes())));
    let s = match source.and_then(|s| summarise(s, &opts)) {
        Ok(o) => o.summary,
        Err(e) => panic!("{e}"),
    };
    let key = s.keys.first().unwrap_or_else(|| panic!("no key"));
    let times = |st: u16| key.failure_times.get(&st).map(|x| (x.first, x.last));
    assert_eq!(times(500), Some((t(2), t(2))));
    assert_eq!(times(404), Some((t(4), t(4))));
    assert_eq!(times(401), Some((t(5), t(7))));
    assert_eq!(times(200), None);
    let d = rank::diagnose(&s, &k());
    assert_eq!(d.causes.first().map(|c| (c.id.as_str(), c.failures)), Some(("auth.key_revoked", 3)));
}

// ---------------------------------------------------------------------------------------------
// Issue 11: what the log formats bring (who answered, sizes from bytes, the SDK's stream
// default, failures inside a 200, 499).

fn bucket(value: &str, pairs: &[(u16, u64)]) -> Bucket {
    Bucket { value: value.into(), by_status: counts(pairs) }
}

/// 100 requests in ten minutes, `fail` of them failing with `status`.
fn upstream_summary(status: u16, fail: u64) -> Summary {
    let mut s = Summary::default();
    with_fields(&mut s, &["timestamp", "status", "forwarder_tag"]);
    for i in 0..10 {
        s.minutes.push(MinuteBucket {
            start: t(i),
            requests: 10,
            failures: counts(&[(status, fail / 10)]),
            ..MinuteBucket::default()
        });
    }
    s.total_requests = 100;
    s.by_status = counts(&[(200, 100 - fail), (status, fail)]);
    s
}

#[test]
fn a_hop_decides_ahead_of_forwarder_tag_patterns() {
    // The tag reads as provider origin, but the log says the gateway answered itself.
    let mut s = upstream_summary(503, 40);
    s.by_forwarder_tag.top = vec![bucket("anthropic-main", &[(200, 60), (503, 40)])];
    s.by_hop.top = vec![bucket("gateway", &[(503, 30)]), bucket("provider", &[(200, 60), (503, 10)])];
    s.by_forwarder_tag_without_hop.missing = StatusCounts::new();
    assert_eq!(cause_of(&s, "upstream.middleware_exhaustion").map(|c| c.0), Some(30));
    assert_eq!(cause_of(&s, "upstream.provider_overload").map(|c| c.0), Some(10));
    let d = rank::diagnose(&s, &k());
    assert_eq!(d.unexplained.failures, 0);
    let facts = d.causes.iter().flat_map(|c| c.evidence.facts.clone()).collect::<Vec<_>>().join("\n");
    assert!(
        facts.contains("30 × 503 answered by the gateway itself, as the log records it (middleware origin)"),
        "{facts}"
    );
    // Without a hop (or with only network hops) the tags decide, as before.
    let mut s = upstream_summary(503, 40);
    s.by_forwarder_tag.top = vec![bucket("anthropic-main", &[(200, 60), (503, 40)])];
    s.by_hop.top = vec![bucket("network", &[(503, 5)])];
    s.network_errors.by_status = counts(&[(503, 5)]);
    s.network_errors.by_forwarder_tag.top = vec![bucket("anthropic-main", &[(503, 5)])];
    assert_eq!(cause_of(&s, "upstream.provider_overload").map(|c| c.0), Some(35));
    assert_eq!(cause_of(&s, "upstream.network_loss").map(|c| c.0), Some(5));
}

#[test]
fn records_without_a_hop_are_left_to_their_tags() {
    let mut s = upstream_summary(503, 40);
    s.by_forwarder_tag.top = vec![bucket("envoy-gw", &[(200, 60), (503, 40)])];
    s.by_hop.top = vec![bucket("provider", &[(200, 60), (503, 25)])];
    // 15 of the 503s have no hop: their tag says middleware.
    s.by_forwarder_tag_without_hop.top = vec![bucket("envoy-gw", &[(503, 15)])];
    assert_eq!(cause_of(&s, "upstream.provider_overload").map(|c| c.0), Some(25));
    assert_eq!(cause_of(&s, "upstream.middleware_exhaustion").map(|c| c.0), Some(15));
}

#[test]
fn long_requests_by_payload_bytes_and_the_sdk_stream_default() {
    // 30 long 504s: 10 sent with stream=false, 20 with no `stream` field (read as not streamed),
    // 12 of all of them measured by payload bytes (no token count).
    let mut s = upstream_summary(504, 30);
    with_fields(&mut s, &["payload_bytes"]);
    s.long_requests.token_limit = 6000;
    s.long_requests.non_streaming_by_status = counts(&[(504, 10)]);
    s.long_requests.stream_unknown_by_status = counts(&[(504, 20), (200, 5)]);
    s.long_requests_by_bytes = LongByBytes { bytes_per_token: 4.0, by_status: counts(&[(504, 12)]) };
    let d = rank::diagnose(&s, &k());
    let c = d.causes.iter().find(|c| c.id == "upstream.timeout_non_streaming").unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!(c.failures, 30);
    assert_eq!(c.confidence, Confidence::Medium, "a default read is weaker evidence than stream=false");
    let facts = c.evidence.facts.join("\n");
    assert!(
        facts.contains("10 requests above 6,000 tokens were sent with stream=false; 10 of them ended in 504"),
        "{facts}"
    );
    assert!(facts.contains("25 requests above 6,000 tokens carry no `stream` field, read as not streamed"), "{facts}");
    assert!(
        facts.contains("12 of these have no token count: their size is the payload bytes at 4 bytes per token"),
        "{facts}"
    );
    assert!(facts.contains("above 24,000 bytes"), "{facts}");
    // Without payload tokens but with payload bytes, the layer does not say long requests
    // cannot be found.
    let upstream =
        d.layers.iter().find(|l| l.layer == faultline::knowledge::Layer::Upstream).unwrap_or_else(|| panic!());
    assert!(!upstream.limited_by.iter().any(|l| l.contains("payload_tokens")), "{:?}", upstream.limited_by);
    // Only explicit stream=false: high confidence, as before.
    let mut s = upstream_summary(504, 30);
    s.long_requests.token_limit = 6000;
    s.long_requests.non_streaming_by_status = counts(&[(504, 30)]);
    assert_eq!(cause_of(&s, "upstream.timeout_non_streaming"), Some((30, Confidence::High)));
}

#[test]
fn a_408_timeout_of_a_long_request_is_the_timeout_cause() {
    let mut s = upstream_summary(408, 20);
    s.long_requests.token_limit = 6000;
    s.long_requests.stream_unknown_by_status = counts(&[(408, 20)]);
    assert_eq!(cause_of(&s, "upstream.timeout_non_streaming").map(|c| c.0), Some(20));
}

#[test]
fn failures_inside_a_200_are_said_where_they_are_counted() {
    let mut s = upstream_summary(529, 20);
    s.by_forwarder_tag.top = vec![bucket("anthropic-origin", &[(200, 80), (529, 20)])];
    s.in_band_failures = counts(&[(529, 8)]);
    let d = rank::diagnose(&s, &k());
    let c = d.causes.iter().find(|c| c.id == "upstream.provider_overload").unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!(c.failures, 20);
    assert!(
        c.evidence.facts.iter().any(|f| f.contains("8 of the 529s were logged with a success status")),
        "{:?}",
        c.evidence.facts
    );
    let status = &d.layers[0];
    assert!(
        status.checked.iter().any(|l| l.contains("8 records logged with a success status carried an error event")),
        "{:?}",
        status.checked
    );
}

#[test]
fn a_client_that_went_away_is_counted_never_a_cause() {
    let mut s = upstream_summary(503, 0);
    s.by_status = counts(&[(200, 90), (499, 10)]);
    let d = rank::diagnose(&s, &k());
    assert_eq!((d.failures, d.unexplained.failures, d.causes.len()), (0, 0, 0));
    assert_eq!(d.by_status.get(&499), Some(&10));
    assert!(
        d.layers[0].checked.iter().any(|l| l.contains("10 × 499: the client went away")),
        "{:?}",
        d.layers[0].checked
    );
    assert!(!is_failure(499) && is_failure(498) && is_failure(500));
}

#[test]
fn a_gateway_budget_422_is_the_quota_cause() {
    let mut s = upstream_summary(422, 30);
    s.by_error_message.top =
        vec![bucket("Budget has been exceeded! Current cost: 100.42, Max budget: 100.0", &[(422, 30)])];
    assert_eq!(cause_of(&s, "traffic.quota_exhausted").map(|c| c.0), Some(30));
}
