//! What the walk shows, as pure functions of the finished diagnosis and its facts: one layer,
//! one cause (evidence, per-minute chart, sample requests with their lint findings, key hashes),
//! and the recommended client settings. The walk only prints these; tests read them directly.

use std::collections::BTreeSet;

use crate::diagnose::model::{CauseReport, Diagnosis, LayerReport, MinutePoint};
use crate::diagnose::summary::{Sample, Summary};
use crate::knowledge::{Knowledge, Layer};
use crate::redact::{mask_keys_in_text, show_key_hash as show_key};
use crate::report::diagnosis::{fmt_n, fmt_pct, fmt_statuses, fmt_time, sparkline};
use crate::report::style::Paint;

/// The layer's position in the diagnosis's order (1-based).
pub fn layer_number(layer: Layer) -> usize {
    Layer::ALL.iter().position(|l| *l == layer).map_or(0, |i| i + 1)
}

/// One layer: its question, what it checked, ruled out, could not check, and found.
pub fn layer_view(d: &Diagnosis, layer: &LayerReport, p: Paint) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "\n{} {}\n",
        p.bold(&format!("Layer {} · {}", layer_number(layer.layer), layer.layer.as_str())),
        p.dim(&format!("— {}", layer.question))
    ));
    if layer.checked.is_empty() && layer.ruled_out.is_empty() && layer.limited_by.is_empty() {
        o.push_str("   nothing to check in this window\n");
    }
    for c in &layer.checked {
        o.push_str(&format!("   ✓ {c}\n"));
    }
    for r in &layer.ruled_out {
        o.push_str(&format!("   {} {r}\n", p.dim("✗ ruled out:")));
    }
    for m in &layer.limited_by {
        o.push_str(&format!("   {} {m}\n", p.yellow("! limited:")));
    }
    for c in &layer.conflicts {
        o.push_str(&format!("   {} {c}\n", p.yellow("⚖ conflict:")));
    }
    let found: Vec<&CauseReport> = d.causes.iter().filter(|c| layer.found.contains(&c.id)).collect();
    if found.is_empty() {
        o.push_str(&format!("   {}\n", p.green("no cause found in this layer")));
    } else {
        o.push_str(&format!("   {}\n", p.bold("Found:")));
        for c in found {
            o.push_str(&format!(
                "   → {} — {}: {} failures ({})\n",
                p.yellow(&c.id),
                c.title,
                fmt_n(c.failures),
                fmt_pct(c.share)
            ));
        }
    }
    o
}

/// Failures per minute of the statuses a cause explains (a cause's own failures are not kept
/// per minute: this is every failure with those statuses, which the chart's label says).
pub fn cause_minutes(s: &Summary, cause: &CauseReport) -> Vec<MinutePoint> {
    s.minutes
        .iter()
        .map(|m| MinutePoint {
            start: m.start,
            requests: m.requests,
            failures: cause.by_status.keys().map(|st| m.failures.get(st).copied().unwrap_or(0)).sum(),
        })
        .collect()
}

/// The samples of a cause, in the order the diagnosis lists their request IDs.
pub fn cause_samples<'s>(s: &'s Summary, cause: &CauseReport) -> Vec<&'s Sample> {
    cause.samples.iter().filter_map(|id| s.samples.iter().find(|x| x.request_id.as_deref() == Some(id))).collect()
}

/// The key hashes a cause's samples carry, with the failures of the cause's statuses each had.
pub fn cause_keys(s: &Summary, cause: &CauseReport) -> Vec<(String, Option<u64>)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for sample in cause_samples(s, cause) {
        let Some(hash) = &sample.key_hash else { continue };
        if seen.insert(hash.clone()) {
            let failures = s
                .by_key_hash
                .get(hash)
                .map(|b| cause.by_status.keys().map(|st| b.by_status.get(st).copied().unwrap_or(0)).sum());
            out.push((show_key(hash), failures));
        }
    }
    out
}

/// The lint findings of one sample, rendered exactly as `faultline lint` renders them (human
/// format: rustc-style snippets, credentials masked), located in the log document the sample is
/// written as. The same findings layer 2 reasons from. Empty when the sample is clean or holds
/// neither headers nor body.
pub fn sample_lint(k: &Knowledge, sample: &Sample, color: bool) -> String {
    if sample.headers.is_empty() && sample.body.is_none() {
        return String::new();
    }
    let request = crate::lint::LoggedRequest {
        method: sample.method.as_deref(),
        path: sample.path.as_deref(),
        headers: &sample.headers,
        body: sample.body.as_deref(),
        date: sample.timestamp.date_naive(),
    };
    let name = format!("sample {}", sample.request_id.as_deref().unwrap_or("(no request id)"));
    let mut buf: Vec<u8> = Vec::new();
    let _ = request.report(k, &name, &mut crate::report::lint::human::Human::new(&mut buf, color));
    String::from_utf8_lossy(&buf).into_owned()
}

/// One sample request: what it was, where it went, its error (keys masked), and its lint
/// findings as `faultline lint` renders them.
pub fn sample_block(k: &Knowledge, sample: &Sample, p: Paint, width: u16) -> String {
    let mut o = String::new();
    let mut line = format!(
        "   {} {} {}",
        p.bold(sample.request_id.as_deref().unwrap_or("-")),
        sample.timestamp.format("%Y-%m-%d %H:%M:%S UTC"),
        sample.status
    );
    if let (Some(m), Some(path)) = (&sample.method, &sample.path) {
        line.push_str(&format!(" {m} {path}"));
    }
    o.push_str(&line);
    o.push('\n');
    let mut facts = Vec::new();
    if let Some(h) = &sample.key_hash {
        facts.push(format!("key {}", show_key(h)));
    }
    for (label, v) in [
        ("env", &sample.environment),
        ("region", &sample.region),
        ("forwarder", &sample.forwarder_tag),
        ("model", &sample.model),
        ("network", &sample.network_error),
    ] {
        if let Some(v) = v {
            facts.push(format!("{label} {v}"));
        }
    }
    if let Some(t) = sample.input_tokens {
        facts.push(format!("{} input tokens", fmt_n(t)));
    }
    if let Some(st) = sample.stream {
        facts.push(format!("stream {st}"));
    }
    if let Some(l) = sample.latency_ms {
        facts.push(format!("{l:.0} ms"));
    }
    if !facts.is_empty() {
        o.push_str(&format!("     {}\n", p.dim(&facts.join(" · "))));
    }
    if let Some(m) = &sample.error_message {
        // Messages are logged text: mask anything that looks like key material.
        let room = usize::from(width).saturating_sub(12).max(40);
        o.push_str(&format!("     error: {}\n", clip(&mask_keys_in_text(m), room)));
    }
    let lint = sample_lint(k, sample, p.0);
    if lint.is_empty() {
        if !sample.headers.is_empty() || sample.body.is_some() {
            o.push_str(&format!("     {}\n", p.dim("lint: no findings")));
        }
    } else {
        for l in lint.lines() {
            o.push_str(&format!("     {l}\n"));
        }
    }

    o
}

/// Samples fetched from the cluster for an opened cause.
pub fn more_samples_view(k: &Knowledge, samples: &[Sample], p: Paint, width: u16) -> String {
    let mut o = format!("\n{}\n", p.bold("More samples from the cluster (latest first)"));
    if samples.is_empty() {
        o.push_str("   none besides those above\n");
    }
    for sample in samples {
        o.push_str(&sample_block(k, sample, p, width));
    }
    o
}

/// Everything behind one cause.
pub fn cause_view(d: &Diagnosis, s: &Summary, k: &Knowledge, index: usize, p: Paint, width: u16) -> String {
    let Some(c) = d.causes.get(index) else { return String::new() };
    let mut o = String::new();
    o.push_str(&format!("\n{} {} — {}\n", p.bold(&format!("Cause {}:", index + 1)), p.yellow(&c.id), p.bold(&c.title)));
    o.push_str(&format!(
        "   {} failures ({} of all failures), {} confidence · layer {} · {}\n   {} → {}\n",
        fmt_n(c.failures),
        fmt_pct(c.share),
        c.confidence.as_str(),
        layer_number(c.layer),
        fmt_statuses(&c.by_status),
        fmt_time(c.evidence.first),
        fmt_time(c.evidence.last)
    ));
    if d.partial.is_some() {
        o.push_str(&format!("   {}\n", p.red_bold("partial results: these counts are lower bounds")));
    }

    o.push_str(&format!("\n{}\n", p.bold("Evidence")));
    for f in &c.evidence.facts {
        o.push_str(&format!("   • {f}\n"));
    }
    for f in &c.evidence.against {
        o.push_str(&format!("   {} {f}\n", p.dim("✗ against:")));
    }

    let minutes = cause_minutes(s, c);
    if minutes.iter().any(|m| m.failures > 0) {
        let cols = usize::from(width).saturating_sub(6).clamp(20, 120);
        let (line, per) = sparkline(&minutes, cols);
        let statuses: Vec<String> = c.by_status.keys().map(u16::to_string).collect();
        let unit = if per == 1 { "minute".to_string() } else { format!("{per} minutes") };
        let peak = minutes.iter().max_by_key(|m| m.failures);
        o.push_str(&format!(
            "\n{} {}\n   {}\n",
            p.bold(&format!("Failures with status {} per {unit}", statuses.join("/"))),
            p.dim("(· none, blank no traffic)"),
            p.red(&line)
        ));
        let first = minutes.first().map(|m| m.start.format("%H:%M").to_string()).unwrap_or_default();
        let last = minutes.last().map(|m| m.start.format("%H:%M").to_string()).unwrap_or_default();
        let pad = line.chars().count().saturating_sub(first.len() + last.len());
        o.push_str(&format!("   {}{}{}\n", p.dim(&first), " ".repeat(pad), p.dim(&last)));
        if let Some(peak) = peak {
            o.push_str(&format!(
                "   peak: {} failures of {} requests at {}\n",
                fmt_n(peak.failures),
                fmt_n(peak.requests),
                peak.start.format("%H:%M UTC")
            ));
        }
    }

    let samples = cause_samples(s, c);
    o.push_str(&format!("\n{}\n", p.bold("Sample requests")));
    if samples.is_empty() {
        if c.samples.is_empty() {
            o.push_str("   none kept for this cause\n");
        } else {
            o.push_str(&format!("   {}\n", c.samples.join(", ")));
        }
    }
    for sample in &samples {
        o.push_str(&sample_block(k, sample, p, width));
    }

    let keys = cause_keys(s, c);
    if !keys.is_empty() {
        o.push_str(&format!("\n{}\n", p.bold("Key hashes involved")));
        for (key, failures) in keys {
            match failures {
                Some(n) => o.push_str(&format!("   {key}: {} failures with these statuses\n", fmt_n(n))),
                None => o.push_str(&format!("   {key}\n")),
            }
        }
    }

    o.push_str(&format!("\n{}\n", p.bold("Fix")));
    for a in &c.actions {
        o.push_str(&format!("   → {a}\n"));
    }
    o
}

/// At most `max` characters of `text`, an ellipsis marking the cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The recommended client settings as a TOML snippet to copy, every number from the
/// thresholds (`rules/thresholds.toml`, overridable in faultline.toml); comments say which
/// cause of this diagnosis each section answers.
pub fn recommended_settings(d: &Diagnosis, k: &Knowledge) -> String {
    let t = &k.thresholds;
    let because = |prefixes: &[&str]| -> String {
        let ids: Vec<String> = d
            .causes
            .iter()
            .filter(|c| prefixes.iter().any(|p| c.id.starts_with(p)))
            .map(|c| format!("{} ({})", c.id, fmt_pct(c.share)))
            .collect();
        if ids.is_empty() {
            String::new()
        } else {
            format!("  # for {}", ids.join(", "))
        }
    };
    let retryable: Vec<String> = k.statuses.iter().filter(|s| s.retryable).map(|s| s.code.to_string()).collect();
    let never: Vec<String> = k.statuses.iter().filter(|s| !s.retryable).map(|s| s.code.to_string()).collect();
    let mut o = String::new();
    o.push_str("# Client settings recommended by faultline for this incident.\n");
    o.push_str("# Numbers from rules/thresholds.toml (override them under [thresholds] in faultline.toml).\n\n");
    o.push_str(&format!("[retry]{}\n", because(&["traffic.rate_limit", "upstream."])));
    o.push_str(&format!("max_attempts = {}\n", t.retry.max_attempts));
    o.push_str("backoff = \"exponential\"\njitter = \"full\"\n");
    o.push_str(&format!("base_delay_ms = {}\n", t.retry.base_delay_ms));
    o.push_str(&format!("max_delay_ms = {}\n", t.retry.cap_delay_ms));
    o.push_str("honour_retry_after = true\n");
    o.push_str(&format!("retry_on_status = [{}]\n", retryable.join(", ")));
    o.push_str(&format!("# never retried: {} (retrying the same bytes fails the same way)\n\n", never.join(", ")));
    o.push_str(&format!("[circuit_breaker]{}\n", because(&["upstream."])));
    o.push_str(&format!("failure_threshold = {}\n", t.breaker.failure_threshold));
    o.push_str(&format!("success_threshold = {}\n", t.breaker.success_threshold));
    o.push_str(&format!("open_seconds = {}\n", t.breaker.open_s));
    o.push_str(&format!("half_open_max_calls = {}\n", t.breaker.half_open_max_calls));
    o.push_str(&format!("window_requests = {}\n", t.breaker.window_requests));
    o.push_str(&format!("window_failure_rate = {}\n\n", t.breaker.window_failure_rate));
    o.push_str(&format!("[concurrency]{}\n", because(&["traffic."])));
    o.push_str(&format!("max_in_flight = {}\n", t.rate_limit.baseline_concurrency));
    o.push_str(&format!("max_requests_per_minute = {}\n", t.rate_limit.tier_rpm_cap));
    o.push_str(&format!(
        "shrink_after_consecutive_429 = {}  # within one minute\n",
        t.rate_limit.consecutive_429_trigger
    ));
    o.push_str(&format!("shrink_by = {}\n", t.rate_limit.pool_cut));
    o.push_str(&format!("stagger_batches_over_s = {}\n\n", t.rate_limit.stagger_batch_s));
    o.push_str(&format!("[failover]{}\n", because(&["upstream.provider_overload", "upstream.network_loss"])));
    o.push_str(&format!(
        "provider_retry_delay_s = [{}, {}]\n",
        t.retry.provider_retry_min_s, t.retry.provider_retry_max_s
    ));
    o.push_str(&format!("fallback_model_after_consecutive_529 = {}\n", t.retry.fallback_after_consecutive_529));
    o.push_str(&format!("prefer_regions_with_failure_rate_below = {}\n\n", t.region.failure_target));
    o.push_str(&format!("[streaming]{}\n", because(&["upstream.timeout_non_streaming"])));
    o.push_str(&format!("stream_above_input_tokens = {}\n", t.streaming.non_streaming_token_limit));
    o.push_str(&format!("request_timeout_s = {}  # below the middleware's\n", t.streaming.middleware_timeout_s));
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_messages_are_masked() {
        let key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        let shown = mask_keys_in_text(&format!("invalid x-api-key {key} for org")).into_owned();
        assert!(!shown.contains("AbCdEfGh"), "{shown}");
        assert!(shown.contains("sk-ant-api03-… sha256:"), "{shown}");
        assert_eq!(mask_keys_in_text("no key here sk-"), "no key here sk-");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }

    #[test]
    fn settings_take_every_number_from_the_thresholds() {
        let mut k = Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        k.thresholds.retry.base_delay_ms = 777;
        k.thresholds.rate_limit.baseline_concurrency = 42;
        k.thresholds.breaker.open_s = 91;
        let d = Diagnosis {
            version: 1,
            notes: Vec::new(),
            total_requests: 0,
            failures: 0,
            failure_rate: 0.0,
            window: Default::default(),
            skipped_lines: Default::default(),
            schema: String::new(),
            missing_fields: Vec::new(),
            by_status: Default::default(),
            layers: Vec::new(),
            causes: Vec::new(),
            unexplained: Default::default(),
            minutes: Vec::new(),
            partial: None,
        };
        let text = recommended_settings(&d, &k);
        assert!(text.contains("base_delay_ms = 777"), "{text}");
        assert!(text.contains("max_in_flight = 42"), "{text}");
        assert!(text.contains("open_seconds = 91"), "{text}");
        assert!(text.contains("retry_on_status = ["), "{text}");
        // It is TOML a user can paste into a config file.
        let parsed: Result<toml::Value, _> = toml::from_str(&text);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    /// Item 2 (and 3, 5 in the walk): a sample's path query credentials (Google `key=AIza…`,
    /// `api_key=sk-…`, OAuth `access_token=ya29…` per RFC 6750 §2.3), key-shaped fields and
    /// other issuers' secrets in its body are masked in the sample view; ordinary parameters,
    /// typed request ids and regions are shown as logged.
    #[test]
    fn sample_view_masks_query_credentials_and_keeps_ordinary_parameters() {
        let k = Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        let key = "sk-ant-api03-WALKwalkWALK0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-AbCdEfAA";
        let mut s = Summary::default();
        s.samples.push(Sample {
            status: 401,
            request_id: Some("req_011CTnLfSk5vGVpsAcqbtKxb".into()),
            method: Some("POST".into()),
            path: Some(
                "/v1/messages?beta=true&key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW&api_key=sk-live0123456789abcdef&access_token=ya29.a0AfH6SMBxWALKtoken".into(),
            ),
            headers: vec![("x-api-key".into(), format!("{key}\n")), ("anthropic-version".into(), "2023-06-01".into())],
            body: Some(
                r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[{"role":"user","content":"AKIAIOSFODNN7EXAMPLE ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}]}"#.into(),
            ),
            region: Some("us-east-1".into()),
            environment: Some(key.into()),
            model: Some(key.into()),
            forwarder_tag: Some("AKIAIOSFODNN7EXAMPLE".into()),
            network_error: Some(format!("reset; retried with {key}")),
            ..Sample::default()
        });
        s.mask_logged_fields();
        let shown = sample_block(&k, &s.samples[0], Paint(false), 200);
        for secret in ["SyA1b2C3", "live0123", "WALKtoken", "WALKwalk", "IOSFODNN", "aBcDeFgHiJ"] {
            assert!(!shown.contains(secret), "`{secret}` shown:\n{shown}");
        }
        assert!(shown.contains("/v1/messages?beta=true&key=AIza… sha256:"), "{shown}");
        assert!(shown.contains("req_011CTnLfSk5vGVpsAcqbtKxb") && shown.contains("region us-east-1"), "{shown}");
    }
}
