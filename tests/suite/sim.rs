//! The incident simulator: determinism, truth = labels, parseable output in both presets, and
//! the characteristic signal of each root cause (thresholds from the knowledge base).

use std::collections::{BTreeMap, BTreeSet};

use faultline::knowledge::{Knowledge, ModelStatus};
use faultline_sim::{self as sim, Preset, Scenario, Truth};
use serde_json::Value;

/// A copy of the knowledge base loaded once for the whole binary.
fn knowledge() -> Knowledge {
    crate::shared::knowledge().clone()
}

fn named(name: &str) -> Scenario {
    sim::scenario(name).unwrap_or_else(|| panic!("scenario {name} missing"))
}

/// A shorter version of a scenario (keeps debug-build tests fast); same shape, fewer minutes.
fn small(name: &str) -> Scenario {
    let mut s = named(name);
    s.minutes = 30;
    s.baseline_rpm = 12;
    for c in &mut s.causes {
        c.failures = (c.failures / 6).max(25);
    }
    s
}

/// The smallest version that still has every cause (for the whole-catalogue sweep).
fn tiny(name: &str) -> Scenario {
    let mut s = named(name);
    s.minutes = 20;
    s.baseline_rpm = 8;
    for c in &mut s.causes {
        c.failures = (c.failures / 12).max(15);
    }
    s
}

fn run(s: &Scenario, preset: Preset) -> (Vec<u8>, Truth) {
    let mut out = Vec::new();
    let truth = sim::generate(s, preset, &mut out).unwrap_or_else(|e| panic!("{}: {e}", s.name));
    (out, truth)
}

/// A record with its fields read through the preset's names.
struct Rec(Value, Preset);

impl Rec {
    fn get(&self, flat: &str) -> Option<&Value> {
        let path: &[&str] = match (self.1, flat) {
            (Preset::Faultline, _) => return self.0.get(flat),
            (Preset::Ecs, "status_code") => &["http", "response", "status_code"],
            (Preset::Ecs, "latency_ns") => &["event", "duration"],
            (Preset::Ecs, "payload_token_count") => &["gen_ai", "usage", "input_tokens"],
            (Preset::Ecs, "stream") => &["labels", "stream"],
            (Preset::Ecs, "api_key_hash") => &["labels", "api_key_hash"],
            (Preset::Ecs, "concurrent_request_count") => &["labels", "concurrent_request_count"],
            (Preset::Ecs, "forwarder_tag") => &["labels", "forwarder_tag"],
            (Preset::Ecs, "endpoint_region") => &["cloud", "region"],
            (Preset::Ecs, "client_environment") => &["service", "environment"],
            (Preset::Ecs, "network_error") => &["labels", "network_error"],
            (Preset::Ecs, "error_message") => &["error", "message"],
            (Preset::Ecs, "request_header") => &["http", "request", "headers"],
            (Preset::Ecs, "request_body") => &["http", "request", "body", "content"],
            (Preset::Ecs, "method") => &["http", "request", "method"],
            (Preset::Ecs, other) => return self.0.get(other),
        };
        path.iter().try_fold(&self.0, |v, k| v.get(k))
    }
    fn str(&self, f: &str) -> &str {
        self.get(f).and_then(Value::as_str).unwrap_or("")
    }
    fn num(&self, f: &str) -> u64 {
        self.get(f).and_then(Value::as_u64).unwrap_or(0)
    }
    fn status(&self) -> u64 {
        self.num("status_code")
    }
    fn label(&self) -> &str {
        self.str("sim_label")
    }
    fn failed(&self) -> bool {
        self.status() >= 400
    }
    fn latency_ms(&self) -> u64 {
        match self.1 {
            Preset::Faultline => self.num("latency_ms"),
            Preset::Ecs => self.num("latency_ns") / 1_000_000,
        }
    }
    fn header(&self, name: &str) -> Option<String> {
        match self.get("request_header")? {
            Value::Object(m) => m.get(name).and_then(Value::as_str).map(str::to_string),
            Value::String(text) => {
                text.split("\r\n").find_map(|line| line.strip_prefix(&format!("{name}: ")).map(str::to_string))
            }
            _ => None,
        }
    }
    fn body(&self) -> Value {
        serde_json::from_str(self.str("request_body")).unwrap_or(Value::Null)
    }
    /// Milliseconds since the epoch, from RFC 3339 text or a number.
    fn ts_ms(&self) -> i64 {
        match self.0.get("@timestamp") {
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
            Some(Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| t.timestamp_millis())
                .unwrap_or_else(|e| panic!("{s}: {e}")),
            other => panic!("no @timestamp: {other:?}"),
        }
    }
}

fn parse(bytes: &[u8], preset: Preset) -> Vec<Rec> {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("not UTF-8: {e}"));
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
            assert!(v.is_object(), "line {} is not an object", i + 1);
            Rec(v, preset)
        })
        .collect()
}

fn records(s: &Scenario, preset: Preset) -> (Vec<Rec>, Truth) {
    let (bytes, truth) = run(s, preset);
    (parse(&bytes, preset), truth)
}

fn failures_of<'a>(recs: &'a [Rec], cause: &str) -> Vec<&'a Rec> {
    recs.iter().filter(|r| r.label() == cause).collect()
}

#[test]
fn same_scenario_same_bytes_other_seed_other_bytes() {
    let s = small("incident");
    let (a, ta) = run(&s, Preset::Faultline);
    let (b, tb) = run(&s, Preset::Faultline);
    assert!(a == b, "two runs differ");
    assert_eq!(ta, tb);
    let mut other = s.clone();
    other.seed ^= 1;
    assert!(run(&other, Preset::Faultline).0 != a, "the seed changes nothing");
}

#[test]
fn every_scenario_parses_in_time_order_and_truth_matches_labels_faultline() {
    every_scenario_parses_in_time_order_and_truth_matches_labels(Preset::Faultline);
}

#[test]
fn every_scenario_parses_in_time_order_and_truth_matches_labels_ecs() {
    every_scenario_parses_in_time_order_and_truth_matches_labels(Preset::Ecs);
}

fn every_scenario_parses_in_time_order_and_truth_matches_labels(preset: Preset) {
    let cat = sim::catalogue();
    assert_eq!(cat.iter().filter(|s| s.name.starts_with("cause:")).count(), 12);
    assert!(cat.iter().filter(|s| s.name.starts_with("mix:")).count() >= 8);
    assert!(cat.iter().any(|s| s.name == "healthy"));
    for required in [
        "mix:traffic.rate_limit+traffic.quota_exhausted",
        "mix:upstream.provider_overload+upstream.middleware_exhaustion",
        "mix:auth.key_format+auth.key_revoked+auth.env_override",
        "mix:client.auth_header+client.messages+client.model_id",
        "mix:upstream.timeout_non_streaming+upstream.network_loss",
    ] {
        assert!(cat.iter().any(|s| s.name == required), "{required} missing");
    }
    let mut names = BTreeSet::new();
    for scenario in cat.iter().chain([&named("incident")]) {
        assert!(names.insert(scenario.name.clone()), "duplicate {}", scenario.name);
        assert_eq!(sim::scenario(&scenario.name).as_ref(), Some(scenario));
        {
            let s = tiny(&scenario.name);
            let (recs, truth) = records(&s, preset);
            assert_eq!(recs.len() as u64, truth.total_requests, "{}", s.name);
            let mut by_label: BTreeMap<String, u64> = BTreeMap::new();
            let mut failures = 0;
            let mut last = i64::MIN;
            for r in &recs {
                let ts = r.ts_ms();
                assert!(ts >= last, "{}: records out of time order", s.name);
                last = ts;
                assert!(r.get("status_code").is_some() && r.get("sim_label").is_some());
                assert_eq!(r.str("method"), "POST");
                if r.failed() {
                    failures += 1;
                    assert_ne!(r.label(), "ok", "{}: unlabelled failure", s.name);
                    *by_label.entry(r.label().to_string()).or_insert(0) += 1;
                    assert!(!r.str("error_message").is_empty(), "{}: failure without a message", s.name);
                } else {
                    assert_eq!(r.label(), "ok");
                    assert!(r.get("error_message").is_none() && r.get("error_type").is_none());
                }
            }
            assert_eq!(failures, truth.failures, "{}", s.name);
            assert_eq!(truth.unlabelled_failures, 0);
            for spec in &s.causes {
                assert_eq!(truth.by_cause.get(&spec.cause).copied(), Some(spec.failures), "{} {}", s.name, spec.cause);
                assert_eq!(by_label.get(&spec.cause).copied(), Some(spec.failures), "{} {}", s.name, spec.cause);
            }
            assert_eq!(by_label.len(), s.causes.len(), "{}", s.name);
        }
    }
}

#[test]
fn healthy_traffic_is_healthy() {
    let k = knowledge();
    let (recs, truth) = records(&small("healthy"), Preset::Faultline);
    assert!(truth.total_requests > 300 && truth.failures == 0);
    let mut models = BTreeSet::new();
    let date = named("healthy").start.date_naive();
    for r in &recs {
        assert_eq!(r.status(), 200);
        assert!(r.num("concurrent_request_count") < k.thresholds.rate_limit.tier_rpm_cap);
        if r.num("payload_token_count") > k.thresholds.streaming.non_streaming_token_limit {
            assert_eq!(r.get("stream"), Some(&Value::Bool(true)), "long request not streamed");
        }
        let model = r.str("model");
        let known = k.model(model).map(|m| m.model.status_at(date));
        assert_eq!(known, Some(ModelStatus::Active), "{model}");
        models.insert(model.to_string());
    }
    assert!(models.len() >= 3, "{models:?}");
    let envs: BTreeSet<&str> = recs.iter().map(|r| r.str("client_environment")).collect();
    let regions: BTreeSet<&str> = recs.iter().map(|r| r.str("endpoint_region")).collect();
    assert!(envs.len() >= 3 && regions.len() >= 3);
    assert!(recs.iter().any(|r| r.str("path") == "/v1/chat/completions"));
}

#[test]
fn auth_header_failures_carry_a_broken_authorization_header() {
    let (recs, _) = records(&small("cause:client.auth_header"), Preset::Faultline);
    let fails = failures_of(&recs, "client.auth_header");
    for r in &fails {
        assert!([400, 401].contains(&r.status()));
        let h = r.header("authorization").unwrap_or_else(|| panic!("no authorization header"));
        let broken = h.ends_with('\n') || h.ends_with(' ') || h.starts_with("bearer ") || !h.starts_with("Bearer ");
        assert!(broken, "{:?}", h.get(..10));
        assert!(r.body().get("messages").is_some(), "the body is fine");
    }
    assert!(fails.iter().filter(|r| r.status() == 400).count() > fails.len() / 2);
}

#[test]
fn messages_failures_carry_a_broken_messages_array() {
    let (recs, _) = records(&small("cause:client.messages"), Preset::Ecs);
    let ok_roles = ["user", "assistant"];
    for r in failures_of(&recs, "client.messages") {
        assert_eq!(r.status(), 400);
        let body = r.body();
        let Some(msgs) = body.get("messages").and_then(Value::as_array) else {
            assert!(r.str("error_message").contains("Field required"));
            continue;
        };
        let bad = msgs.iter().any(|m| {
            let role_bad = !m.get("role").and_then(Value::as_str).is_some_and(|x| ok_roles.contains(&x));
            let content = m.get("content");
            let content_bad = match content {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.is_empty(),
                Some(Value::Array(blocks)) => {
                    blocks.iter().any(|b| b.get("text").and_then(Value::as_str).is_some_and(str::is_empty))
                }
                _ => false,
            };
            role_bad || content_bad
        });
        assert!(bad, "{}", r.str("request_body"));
    }
}

#[test]
fn model_id_failures_name_unknown_or_retired_models() {
    let k = knowledge();
    let s = small("cause:client.model_id");
    let date = s.start.date_naive();
    let (recs, _) = records(&s, Preset::Faultline);
    for r in failures_of(&recs, "client.model_id") {
        assert!([400, 404].contains(&r.status()));
        let model = r.body().get("model").and_then(Value::as_str).unwrap_or("").to_string();
        let status = k.model(&model).map(|m| m.model.status_at(date));
        assert!(status.is_none() || status == Some(ModelStatus::Retired), "{model} is fine");
        if r.status() == 404 {
            assert_eq!(r.str("error_message"), format!("model: {model}"));
        }
    }
}

#[test]
fn key_format_failures_carry_invisible_characters_and_never_succeed() {
    let (recs, _) = records(&small("cause:auth.key_format"), Preset::Faultline);
    let fails = failures_of(&recs, "auth.key_format");
    let hashes: BTreeSet<&str> = fails.iter().map(|r| r.str("api_key_hash")).collect();
    assert!(!hashes.is_empty() && hashes.len() <= 2);
    for r in &fails {
        assert_eq!(r.status(), 401);
        let key = r.header("x-api-key").unwrap_or_default();
        assert!(key.chars().any(|c| c.is_whitespace() || c == '\u{200b}'), "key has no hidden character");
        assert_eq!(r.str("api_key_hash"), faultline::redact::short_hash(key.as_bytes()));
    }
    assert!(!recs.iter().any(|r| !r.failed() && hashes.contains(r.str("api_key_hash"))));
}

#[test]
fn revoked_key_succeeds_before_onset_and_fails_after() {
    let (recs, _) = records(&small("cause:auth.key_revoked"), Preset::Ecs);
    let fails = failures_of(&recs, "auth.key_revoked");
    let hashes: BTreeSet<&str> = fails.iter().map(|r| r.str("api_key_hash")).collect();
    assert_eq!(hashes.len(), 1);
    let hash = hashes.iter().next().copied().unwrap_or_default();
    let onset = fails.iter().map(|r| r.ts_ms()).min().unwrap_or(0);
    let with_key: Vec<&Rec> = recs.iter().filter(|r| r.str("api_key_hash") == hash).collect();
    let before = with_key.iter().filter(|r| r.ts_ms() < onset).count();
    assert!(before >= 20, "only {before} successes before onset");
    for r in &with_key {
        assert_eq!(r.failed(), r.ts_ms() >= onset);
    }
    // Other keys keep succeeding after the onset.
    assert!(recs.iter().any(|r| r.ts_ms() > onset && !r.failed()));
    // The epoch-millis variant.
    assert!(recs.iter().all(|r| r.0.get("@timestamp").is_some_and(Value::is_i64)));
}

#[test]
fn env_override_failures_sit_in_one_environment_with_a_well_formed_stale_key() {
    let (recs, _) = records(&small("cause:auth.env_override"), Preset::Faultline);
    let fails = failures_of(&recs, "auth.env_override");
    let envs: BTreeSet<&str> = fails.iter().map(|r| r.str("client_environment")).collect();
    assert_eq!(envs.len(), 1);
    assert!(!envs.contains("production"));
    let hashes: BTreeSet<&str> = fails.iter().map(|r| r.str("api_key_hash")).collect();
    assert_eq!(hashes.len(), 1);
    for r in &fails {
        assert_eq!(r.status(), 401);
        let key = r.header("x-api-key").unwrap_or_default();
        assert!(key.starts_with("sk-ant-api03-") && key.trim() == key && key.is_ascii());
    }
    assert!(!recs.iter().any(|r| !r.failed() && hashes.contains(r.str("api_key_hash"))));
    assert!(recs.iter().any(|r| !r.failed() && r.str("client_environment") == "production"));
}

#[test]
fn rate_limit_failures_come_in_bursts_above_the_cap() {
    let k = knowledge();
    let cap = k.thresholds.rate_limit.tier_rpm_cap;
    let (recs, _) = records(&small("cause:traffic.rate_limit"), Preset::Ecs);
    let fails = failures_of(&recs, "traffic.rate_limit");
    let mut minutes = BTreeSet::new();
    for r in &fails {
        assert_eq!(r.status(), 429);
        let c = r.num("concurrent_request_count");
        assert!(c > cap && (190..=380).contains(&c), "concurrency {c}");
        assert!(k.signatures_matching(r.str("error_message")).any(|s| s.def.cause == "traffic.rate_limit"));
        minutes.insert(r.ts_ms() / 60_000);
    }
    // Bursts, not continuity: far fewer failing minutes than minutes.
    assert!(minutes.len() >= 4 && minutes.len() <= 18, "{} failing minutes", minutes.len());
    // Successes inside bursts and between them.
    assert!(recs.iter().any(|r| !r.failed() && minutes.contains(&(r.ts_ms() / 60_000))));
    assert!(recs.iter().any(|r| !r.failed() && r.num("concurrent_request_count") < cap));
    // Header strings in some ECS records of this scenario.
    assert!(recs.iter().any(|r| r.get("request_header").is_some_and(Value::is_string)));
    assert!(recs.iter().any(|r| r.get("request_header").is_some_and(Value::is_object)));
}

#[test]
fn quota_exhaustion_fails_every_request_after_onset_at_normal_concurrency() {
    let k = knowledge();
    let (recs, truth) = records(&small("cause:traffic.quota_exhausted"), Preset::Faultline);
    let fails = failures_of(&recs, "traffic.quota_exhausted");
    let onset = fails.iter().map(|r| r.ts_ms()).min().unwrap_or(0);
    assert!(recs.iter().filter(|r| r.ts_ms() >= onset).all(|r| r.failed()));
    assert!(recs.iter().filter(|r| r.ts_ms() < onset).count() as u64 > truth.failures);
    for r in &fails {
        assert!([429, 400].contains(&r.status()));
        assert!(r.num("concurrent_request_count") < k.thresholds.rate_limit.tier_rpm_cap);
        assert!(k.signatures_matching(r.str("error_message")).any(|s| s.def.cause == "traffic.quota_exhausted"));
    }
}

#[test]
fn provider_and_middleware_failures_are_told_apart_by_tag_and_body() {
    let k = knowledge();
    let (recs, _) = records(&small("mix:upstream.provider_overload+upstream.middleware_exhaustion"), Preset::Ecs);
    for r in failures_of(&recs, "upstream.provider_overload") {
        assert!([500, 503, 529].contains(&r.status()));
        assert!(k.provider_tag.is_match(r.str("forwarder_tag")));
        assert!(!k.middleware_tag.is_match(r.str("forwarder_tag")));
        assert!(k.signatures_matching(r.str("error_message")).any(|s| s.def.cause == "upstream.provider_overload"));
    }
    for r in failures_of(&recs, "upstream.middleware_exhaustion") {
        assert!([502, 503].contains(&r.status()));
        assert!(k.middleware_tag.is_match(r.str("forwarder_tag")), "{}", r.str("forwarder_tag"));
        assert!(k.signatures_matching(r.str("error_message")).any(|s| s.def.cause == "upstream.middleware_exhaustion"));
    }
}

#[test]
fn timeouts_hit_long_non_streaming_requests_only() {
    let k = knowledge();
    let limit = k.thresholds.streaming.non_streaming_token_limit;
    let heavy = k.thresholds.streaming.timeout_heavy_token_mark;
    let (recs, _) = records(&small("cause:upstream.timeout_non_streaming"), Preset::Ecs);
    let fails = failures_of(&recs, "upstream.timeout_non_streaming");
    for r in &fails {
        assert!([504, 524].contains(&r.status()));
        assert!(r.num("payload_token_count") > limit);
        assert_eq!(r.get("stream"), Some(&Value::Bool(false)));
        assert!(r.latency_ms() >= 30_000);
    }
    let heavy_share = fails.iter().filter(|r| r.num("payload_token_count") > heavy).count() as f64 / fails.len() as f64;
    assert!(heavy_share > 0.7, "{heavy_share}");
    // Short or streaming requests succeed.
    assert!(recs.iter().filter(|r| r.get("stream") == Some(&Value::Bool(true))).all(|r| !r.failed()));
}

#[test]
fn network_loss_is_one_slow_region_with_resets() {
    let k = knowledge();
    let (recs, _) = records(&small("cause:upstream.network_loss"), Preset::Faultline);
    let fails = failures_of(&recs, "upstream.network_loss");
    let regions: BTreeSet<&str> = fails.iter().map(|r| r.str("endpoint_region")).collect();
    assert_eq!(regions.len(), 1);
    let region = regions.iter().next().copied().unwrap_or_default();
    for r in &fails {
        assert!([502, 503, 504].contains(&r.status()));
        assert!(["ECONNRESET", "ETIMEDOUT"].contains(&r.str("network_error")));
    }
    let p99 = |region: &str| {
        let mut l: Vec<u64> = recs.iter().filter(|r| r.str("endpoint_region") == region).map(Rec::latency_ms).collect();
        l.sort_unstable();
        l.get(l.len() * 99 / 100).copied().unwrap_or(0) as f64
    };
    assert!(p99(region) > k.thresholds.latency.network_p99_ms);
    let others: BTreeSet<&str> = recs.iter().map(|r| r.str("endpoint_region")).filter(|x| *x != region).collect();
    for other in others {
        assert!(p99(other) < k.thresholds.latency.network_p99_ms, "{other} is slow too");
    }
}

#[test]
fn timeouts_do_not_land_in_the_lossy_region() {
    let (recs, _) = records(&small("mix:upstream.timeout_non_streaming+upstream.network_loss"), Preset::Faultline);
    let lossy: BTreeSet<&str> =
        failures_of(&recs, "upstream.network_loss").iter().map(|r| r.str("endpoint_region")).collect();
    let timeouts: BTreeSet<&str> =
        failures_of(&recs, "upstream.timeout_non_streaming").iter().map(|r| r.str("endpoint_region")).collect();
    assert_eq!(lossy.len(), 1);
    assert!(lossy.is_disjoint(&timeouts), "{lossy:?} {timeouts:?}");
    // Connection errors only where the loss is.
    let resets: BTreeSet<&str> =
        recs.iter().filter(|r| r.get("network_error").is_some()).map(|r| r.str("endpoint_region")).collect();
    assert_eq!(resets, lossy);
}

#[test]
fn ecs_records_are_nested_with_nanosecond_durations() {
    let s = small("cause:upstream.provider_overload");
    let (flat, _) = records(&s, Preset::Faultline);
    let (ecs, _) = records(&s, Preset::Ecs);
    assert_eq!(flat.len(), ecs.len());
    for (f, e) in flat.iter().zip(&ecs) {
        assert_eq!(e.num("latency_ns"), f.num("latency_ms") * 1_000_000);
        assert!(e.0.pointer("/http/request/method").is_some() && e.0.get("http.request.method").is_none());
        assert_eq!(e.0.pointer("/url/path"), f.0.get("path"));
        assert_eq!(e.status(), f.status());
        assert_eq!(e.0.get("@timestamp"), f.0.get("@timestamp"));
    }
}

#[test]
fn keys_never_appear_in_truth_or_debug_output() {
    let s = small("incident");
    let (bytes, truth) = run(&s, Preset::Faultline);
    assert!(String::from_utf8_lossy(&bytes).contains("sk-ant-api03-"), "headers carry the keys as sent");
    let shown = format!("{truth:?} {s:?} {}", serde_json::to_string(&truth).unwrap_or_default());
    assert!(!shown.contains("sk-ant"), "{shown}");
}

#[test]
fn scaling_reaches_the_target_size() {
    let s = small("cause:traffic.rate_limit");
    let (bytes, truth) = run(&s, Preset::Faultline);
    let target = bytes.len() as u64 * 3;
    let big = s.scaled_to_bytes(Preset::Faultline, target).unwrap_or_else(|e| panic!("{e}"));
    let (big_bytes, big_truth) = run(&big, Preset::Faultline);
    let ratio = big_bytes.len() as f64 / target as f64;
    assert!((0.8..1.25).contains(&ratio), "{ratio}");
    assert_eq!(big_truth.by_cause.get("traffic.rate_limit").copied(), Some(truth.failures * 3));
}

#[test]
fn unknown_cause_is_an_error_not_a_panic() {
    assert!(sim::scenario("mix:nope+client.messages").is_none());
    let mut s = small("healthy");
    s.causes.push(sim::CauseSpec { cause: "nope".into(), failures: 3 });
    assert!(sim::generate(&s, Preset::Faultline, &mut Vec::new()).is_err());
}

/// The simulator's random numbers (they were unit tests of its `rng` module).
mod rng {
    use faultline_sim::{allocate, Rng};

    #[test]
    fn same_seed_same_stream() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let mut r = Rng::new(7);
        let b: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(a, b);
        // splitmix64 reference value for seed 0.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn allocate_is_exact() {
        let w = [0.0, 1.0, 2.5, 0.0, 0.3, 0.0];
        for total in [0, 1, 7, 100, 12345] {
            let a = allocate(total, &w);
            assert_eq!(a.iter().sum::<u64>(), total);
            assert_eq!(a[0] + a[3] + a[5], 0);
        }
    }
}
