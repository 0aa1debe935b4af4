//! How each root cause shows in the logs: when its failures happen (a per-minute plan) and what
//! each failing request looks like. The signals follow rules/causes.toml and the Elasticsearch study; the
//! numbers that the detector compares against (token limit, concurrency cap, P99) come from the
//! knowledge base through `World`.

use faultline::redact::short_hash;

use super::emit::Record;
use super::rng::{allocate, Rng};
use super::world::{Auth, Client, MessageDefect, World, PATH_CHAT, PATH_MESSAGES, REGIONS, TAG_ORIGIN};

/// The twelve root causes (ids as in rules/causes.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CauseKind {
    AuthHeader,
    Messages,
    ModelId,
    KeyFormat,
    KeyRevoked,
    EnvOverride,
    RateLimit,
    QuotaExhausted,
    ProviderOverload,
    MiddlewareExhaustion,
    TimeoutNonStreaming,
    NetworkLoss,
}

impl CauseKind {
    pub const ALL: [CauseKind; 12] = [
        CauseKind::AuthHeader,
        CauseKind::Messages,
        CauseKind::ModelId,
        CauseKind::KeyFormat,
        CauseKind::KeyRevoked,
        CauseKind::EnvOverride,
        CauseKind::RateLimit,
        CauseKind::QuotaExhausted,
        CauseKind::ProviderOverload,
        CauseKind::MiddlewareExhaustion,
        CauseKind::TimeoutNonStreaming,
        CauseKind::NetworkLoss,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CauseKind::AuthHeader => "client.auth_header",
            CauseKind::Messages => "client.messages",
            CauseKind::ModelId => "client.model_id",
            CauseKind::KeyFormat => "auth.key_format",
            CauseKind::KeyRevoked => "auth.key_revoked",
            CauseKind::EnvOverride => "auth.env_override",
            CauseKind::RateLimit => "traffic.rate_limit",
            CauseKind::QuotaExhausted => "traffic.quota_exhausted",
            CauseKind::ProviderOverload => "upstream.provider_overload",
            CauseKind::MiddlewareExhaustion => "upstream.middleware_exhaustion",
            CauseKind::TimeoutNonStreaming => "upstream.timeout_non_streaming",
            CauseKind::NetworkLoss => "upstream.network_loss",
        }
    }

    pub fn from_id(id: &str) -> Option<CauseKind> {
        CauseKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Client and auth errors are answered before billing, so they keep happening after a
    /// quota runs out; everything else is planned before the quota onset.
    fn precedes_quota(self) -> bool {
        matches!(
            self,
            CauseKind::AuthHeader
                | CauseKind::Messages
                | CauseKind::ModelId
                | CauseKind::KeyFormat
                | CauseKind::KeyRevoked
                | CauseKind::EnvOverride
        )
    }
}

/// When a cause strikes, minute by minute, and with what.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: CauseKind,
    /// Failures per minute (sums exactly to the scenario's count).
    pub fails: Vec<u64>,
    /// Successful requests the cause's own client sends per minute (revoked key before onset,
    /// the batch job between its 429s).
    pub oks: Vec<u64>,
    /// Concurrency level per minute when this cause raises it (rate-limit bursts).
    pub concurrency: Vec<u32>,
    /// From this minute on every baseline request fails (quota).
    pub takes_over_from: Option<usize>,
    /// The region whose healthy requests slow down, and in which minutes (network loss).
    pub slow_region: Option<(&'static str, Vec<bool>)>,
    client: Option<Client>,
    /// Per-scenario choice among a cause's variants (message wording, defect kind).
    variant: u64,
    /// Broken key values or model IDs this scenario's misconfigured client sends.
    values: Vec<String>,
}

/// 1 ± `jitter` within [from, to), 0 elsewhere.
fn span(rng: &mut Rng, minutes: usize, from: usize, to: usize, jitter: f64) -> Vec<f64> {
    (0..minutes).map(|m| if m >= from && m < to { 1.0 + jitter * (2.0 * rng.f64() - 1.0) } else { 0.0 }).collect()
}

fn frac(n: usize, f: f64) -> usize {
    ((n as f64) * f) as usize
}

fn new_client(rng: &mut Rng, service: &'static str, env: &'static str, subnet: &'static str, auth: Auth) -> Client {
    let key = super::world::fake_key(rng);
    let key_hash = short_hash(key.as_bytes());
    let path = if auth == Auth::Bearer { PATH_CHAT } else { PATH_MESSAGES };
    Client { service, env, key, key_hash, subnet, auth, path, weight: 0.0 }
}

/// `episodes` humps of `len_lo..=len_hi` minutes, spread over [lo, hi).
fn episodes(rng: &mut Rng, minutes: usize, lo: usize, hi: usize, count: usize, len_lo: u64, len_hi: u64) -> Vec<f64> {
    let mut w = vec![0.0; minutes];
    let count = count.max(1);
    let seg = (hi.saturating_sub(lo) / count).max(1);
    for e in 0..count {
        let len = (rng.range(len_lo, len_hi) as usize).min(seg.max(2) - 1).max(1);
        let seg_start = lo + e * seg;
        let start = seg_start + rng.below(seg.saturating_sub(len).max(1));
        for i in 0..len {
            let m = start + i;
            if m < hi.min(minutes) {
                // A hump: rises, peaks mid-episode, falls.
                let x = (i as f64 + 0.5) / len as f64;
                w[m] = (0.35 + (std::f64::consts::PI * x).sin()) * (0.75 + 0.5 * rng.f64());
            }
        }
    }
    w
}

impl Plan {
    /// Plans `failures` for `kind` over `minutes`. `horizon` is the quota onset when the
    /// scenario has one (causes other than client/auth stop there).
    pub fn new(
        kind: CauseKind,
        failures: u64,
        minutes: usize,
        horizon: usize,
        rpm: u32,
        world: &World,
        rng: &mut Rng,
    ) -> Plan {
        let h = if kind.precedes_quota() { minutes } else { horizon.clamp(1, minutes) };
        let mut plan = Plan {
            kind,
            fails: vec![0; minutes],
            oks: vec![0; minutes],
            concurrency: vec![0; minutes],
            takes_over_from: None,
            slow_region: None,
            client: None,
            variant: rng.next_u64(),
            values: Vec::new(),
        };
        let weights = match kind {
            CauseKind::AuthHeader => {
                plan.client = Some(new_client(rng, "ticket-triage", "production", "10.12.31", Auth::Bearer));
                let onset = frac(minutes, 0.1 + 0.2 * rng.f64());
                span(rng, minutes, onset, minutes, 0.4)
            }
            CauseKind::Messages => {
                plan.client = Some(new_client(rng, "agent-runner", "production", "10.12.40", Auth::XApiKey));
                let mut w = span(rng, minutes, 0, minutes, 0.9);
                // Sporadic: some minutes the broken code path is not hit at all.
                for x in w.iter_mut() {
                    if rng.chance(0.25) {
                        *x = 0.0;
                    }
                }
                w
            }
            CauseKind::ModelId => {
                plan.client = Some(new_client(rng, "search-summarizer-v2", "production", "10.12.44", Auth::XApiKey));
                let mut ids: Vec<String> = Vec::new();
                if let Some(b) = rng.pick(&world.broken_models) {
                    ids.push(b.clone());
                }
                if let Some(r) = rng.pick(&world.retired_models) {
                    ids.push(r.clone());
                }
                plan.values = ids;
                let onset = frac(minutes, 0.15 + 0.2 * rng.f64());
                span(rng, minutes, onset, minutes, 0.4)
            }
            CauseKind::KeyFormat => {
                let client = new_client(rng, "batch-summarizer", "production", "10.12.52", Auth::XApiKey);
                // One or two broken copies of the same key (a secret pasted with invisible characters).
                let forms = [
                    format!("{}\u{a0}", client.key),
                    format!("\u{200b}{}", client.key),
                    format!("{}\n", client.key),
                    format!("{} ", client.key),
                ];
                let first = rng.below(forms.len());
                plan.values.push(forms[first].clone());
                if rng.chance(0.5) {
                    plan.values.push(forms[(first + 1 + rng.below(forms.len() - 1)) % forms.len()].clone());
                }
                plan.client = Some(client);
                let onset = frac(minutes, 0.05 + 0.2 * rng.f64());
                span(rng, minutes, onset, minutes, 0.4)
            }
            CauseKind::KeyRevoked => {
                plan.client = Some(new_client(rng, "nightly-indexer", "production", "10.12.60", Auth::XApiKey));
                let hq = horizon.clamp(1, minutes);
                let onset = frac(hq, 0.35 + 0.2 * rng.f64()).max(3);
                let post = minutes.saturating_sub(onset).max(1) as f64;
                // The key was as busy before its revocation as after it.
                let before = ((failures as f64 / post) * onset as f64).round() as u64;
                let w_before = span(rng, minutes, 0, onset, 0.4);
                plan.oks = allocate(before.max(onset as u64), &w_before);
                span(rng, minutes, onset, minutes, 0.4)
            }
            CauseKind::EnvOverride => {
                let (service, env, subnet) = if rng.chance(0.5) {
                    ("support-bot", "staging", "10.40.2")
                } else {
                    ("notebooks", "dev-laptop", "192.168.1")
                };
                // A stale but well-formed key loaded from a project .env file.
                plan.client = Some(new_client(rng, service, env, subnet, Auth::XApiKey));
                let mut w = span(rng, minutes, 0, minutes, 0.5);
                // Someone runs things in sessions: 10-minute blocks on and off.
                for block in w.chunks_mut(10) {
                    if rng.chance(0.3) {
                        block.iter_mut().for_each(|x| *x = 0.0);
                    }
                }
                if w.iter().all(|x| *x == 0.0) {
                    w = span(rng, minutes, 0, minutes, 0.5);
                }
                w
            }
            CauseKind::RateLimit => {
                plan.client = Some(new_client(rng, "batch-analyzer", "production", "10.12.70", Auth::XApiKey));
                let n = (failures / 100).clamp(2, 5) as usize;
                let lo = frac(h, 0.05);
                let w = episodes(rng, minutes, lo, h, n, 3, 8);
                for (m, x) in w.iter().enumerate() {
                    if *x > 0.0 {
                        // the Elasticsearch study §2.3: batch peaks reach 210-360 concurrent requests.
                        plan.concurrency[m] = rng.range(210, 360) as u32;
                    }
                }
                let ok_w: Vec<f64> = w.iter().map(|x| if *x > 0.0 { 0.6 + 0.6 * rng.f64() } else { 0.0 }).collect();
                plan.oks = allocate((failures as f64 * 0.9) as u64, &ok_w);
                w
            }
            CauseKind::QuotaExhausted => {
                let rpm = u64::from(rpm.max(1));
                let post = failures.div_ceil(rpm) as usize;
                let onset = minutes.saturating_sub(post).max(minutes / 3).min(minutes.saturating_sub(1));
                plan.takes_over_from = Some(onset);
                span(rng, minutes, onset, minutes, 0.12)
            }
            CauseKind::ProviderOverload => {
                let n = if failures < 200 { 1 } else { 2 + rng.below(2) };
                episodes(rng, minutes, frac(h, 0.05), h, n, 8, 25)
            }
            CauseKind::MiddlewareExhaustion => {
                let n = if failures < 250 { 1 } else { 2 };
                episodes(rng, minutes, frac(h, 0.05), h, n, 10, 30)
            }
            CauseKind::TimeoutNonStreaming => {
                plan.client = Some(new_client(rng, "doc-analyzer", "production", "10.12.80", Auth::XApiKey));
                span(rng, minutes, 0, h, 0.8)
            }
            CauseKind::NetworkLoss => {
                let candidates: Vec<&'static str> = REGIONS.iter().skip(2).map(|r| r.0).collect();
                let region = rng.pick(&candidates).copied().unwrap_or(REGIONS[0].0);
                let onset = frac(h, 0.15 + 0.2 * rng.f64());
                let end = if rng.chance(0.5) { h } else { h.saturating_sub(frac(h, 0.1)).max(onset + 1) };
                // Intermittent loss: strongly uneven minute to minute.
                let w = span(rng, minutes, onset, end, 0.8);
                plan.slow_region = Some((region, w.iter().map(|x| *x > 0.0).collect()));
                w
            }
        };
        plan.fails = allocate(failures, &weights);
        plan
    }

    /// The records this cause adds in `minute` (baseline requests are the caller's).
    pub fn emit(
        &self,
        minute: usize,
        minute_ms: i64,
        concurrency: u32,
        world: &World,
        rng: &mut Rng,
        out: &mut Vec<Record>,
    ) {
        let fails = self.fails.get(minute).copied().unwrap_or(0);
        let oks = self.oks.get(minute).copied().unwrap_or(0);
        for _ in 0..oks {
            let ts = minute_ms + rng.range(0, 59_999) as i64;
            if let Some(client) = &self.client {
                let tokens = (rng.lognormal(1200.0, 0.7) as u64).clamp(50, 4000);
                let model = world.model(rng);
                let (region, factor) = World::region(rng);
                let mut r = world.request(rng, client, ts, concurrency, &model, tokens, false, region);
                r.output_tokens = rng.range(50, 900);
                r.latency_ms = ((300 + r.output_tokens * rng.range(8, 20)) as f64 * factor) as u64;
                out.push(r);
            }
        }
        for _ in 0..fails {
            let ts = minute_ms + rng.range(0, 59_999) as i64;
            let r = self.failure(ts, concurrency, world, rng);
            out.push(r);
        }
    }

    fn base(&self, ts: i64, concurrency: u32, world: &World, rng: &mut Rng, tokens: u64, stream: bool) -> Record {
        let client = match &self.client {
            Some(c) => c.clone(),
            None => world.client(rng).clone(),
        };
        let model = world.model(rng);
        let (region, _) = World::region(rng);
        let mut r = world.request(rng, &client, ts, concurrency, &model, tokens, stream, region);
        r.label = self.kind.id();
        r
    }

    fn failure(&self, ts: i64, concurrency: u32, world: &World, rng: &mut Rng) -> Record {
        let small = (rng.lognormal(700.0, 0.9) as u64).clamp(20, 4000);
        let stream = rng.chance(0.3);
        match self.kind {
            CauseKind::AuthHeader => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                let key = self.client.as_ref().map(|c| c.key.clone()).unwrap_or_default();
                // (header value, key as the gateway extracted it, status)
                let variants: [(String, String, u16, f64); 5] = [
                    (format!("Bearer {key}\n"), format!("{key}\n"), 400, 0.4),
                    (format!("Bearer {key}\r\n"), format!("{key}\r\n"), 400, 0.2),
                    (format!("Bearer {key} "), format!("{key} "), 400, 0.2),
                    (format!("bearer {key}"), key.clone(), 401, 0.12),
                    (format!("Bearer{key}"), format!("Bearer{key}"), 401, 0.08),
                ];
                let w: Vec<f64> = variants.iter().map(|v| v.3).collect();
                let (value, as_sent, status, _) = variants[rng.weighted(&w)].clone();
                r.api_key_hash = short_hash(as_sent.as_bytes());
                if let Some(h) = r.headers.iter_mut().find(|h| h.0 == "authorization") {
                    h.1 = value;
                }
                r.status = status;
                r.error_type = Some(if status == 401 { "authentication_error" } else { "invalid_request_error" });
                r.error_message = Some("invalid authorization header".into());
                r.latency_ms = rng.range(15, 120);
                r
            }
            CauseKind::Messages => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                let defect = MessageDefect::ALL[rng.weighted(&[0.15, 0.12, 0.18, 0.25, 0.12, 0.18])];
                let (body, bytes, index) = world.body(rng, r.path, &r.model, small, stream, Some(defect));
                r.body = body;
                r.payload_bytes = bytes;
                r.status = 400;
                r.error_type = Some("invalid_request_error");
                r.error_message = Some(defect.error_message(index));
                r.latency_ms = rng.range(20, 150);
                r
            }
            CauseKind::ModelId => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                let id = if self.values.is_empty() {
                    String::new()
                } else {
                    self.values[rng.weighted(&[0.7, 0.3][..self.values.len().min(2)])].clone()
                };
                let (body, bytes, _) = world.body(rng, r.path, &id, small, stream, None);
                r.body = body;
                r.payload_bytes = bytes;
                r.model = id.clone();
                if rng.chance(0.9) {
                    r.status = 404;
                    r.error_type = Some("not_found_error");
                    r.error_message = Some(format!("model: {id}"));
                } else {
                    r.status = 400;
                    r.error_type = Some("invalid_request_error");
                    r.error_message = Some(format!("model: {id} is not a valid model ID"));
                }
                r.latency_ms = rng.range(20, 140);
                r
            }
            CauseKind::KeyFormat => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                let value = rng.pick(&self.values).cloned().unwrap_or_default();
                r.api_key_hash = short_hash(value.as_bytes());
                if let Some(h) = r.headers.iter_mut().find(|h| h.0 == "x-api-key") {
                    h.1 = value;
                }
                auth_401(&mut r, "invalid x-api-key", rng);
                r
            }
            CauseKind::KeyRevoked => {
                let mut r = self.base(ts, concurrency, world, rng, small, false);
                let msg = if self.variant % 3 == 0 { "API key has been revoked" } else { "invalid x-api-key" };
                auth_401(&mut r, msg, rng);
                r
            }
            CauseKind::EnvOverride => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                auth_401(&mut r, "invalid x-api-key", rng);
                r
            }
            CauseKind::RateLimit => {
                let tokens = (rng.lognormal(2500.0, 0.6) as u64).clamp(200, 5500);
                let mut r = self.base(ts, concurrency, world, rng, tokens, false);
                r.status = 429;
                r.error_type = Some("rate_limit_error");
                r.error_message = Some(if rng.chance(0.85) {
                    format!(
                        "This request would exceed your organization's rate limit of 80,000 input tokens per minute \
                         (org: {}, model: {}). For details, refer to: https://docs.claude.com/en/api/rate-limits. \
                         You can see the response headers for current usage. Please reduce the prompt length or the \
                         maximum tokens requested, or try again later.",
                        world.org_id, r.model
                    )
                } else {
                    "Number of request tokens has exceeded your per-minute rate limit \
                     (https://docs.claude.com/en/api/rate-limits); see the response headers for current usage. \
                     Please reduce the prompt length or the maximum tokens requested, or try again later."
                        .to_string()
                });
                r.latency_ms = rng.range(40, 400);
                r
            }
            CauseKind::QuotaExhausted => {
                let tokens = (rng.lognormal(900.0, 1.0) as u64).clamp(12, 5500);
                let mut r = self.base(ts, concurrency, world, rng, tokens, tokens > 3000);
                if self.variant % 4 == 3 {
                    r.status = 400;
                    r.error_type = Some("invalid_request_error");
                    r.error_message = Some(format!(
                        "You have reached your specified API usage limits. You will regain access on {} at 00:00 UTC.",
                        world.quota_reset
                    ));
                } else {
                    r.status = 429;
                    r.error_type = Some("rate_limit_error");
                    r.error_message = Some(format!(
                        "You have reached your API usage limits: your organization has crossed its monthly API usage \
                         threshold, set based on your organization's API tier. You will regain access on {} at 00:00 UTC. \
                         (error_code: enforced_spend_limit_reached)",
                        world.quota_reset
                    ));
                }
                r.latency_ms = rng.range(25, 180);
                r
            }
            CauseKind::ProviderOverload => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                let (status, kind, msg) = match rng.weighted(&[0.6, 0.2, 0.2]) {
                    0 => (529, "overloaded_error", "Overloaded"),
                    1 => (503, "overloaded_error", "Overloaded"),
                    _ => (500, "api_error", "Internal server error"),
                };
                r.status = status;
                r.forwarder_tag = if rng.chance(0.7) { TAG_ORIGIN } else { "upstream-anthropic" };
                r.error_type = Some(kind);
                let body = format!(
                    "{{\"type\":\"error\",\"error\":{{\"type\":\"{kind}\",\"message\":\"{msg}\"}},\"request_id\":\"{}\"}}",
                    r.request_id
                );
                if rng.chance(0.25) {
                    let class = if status == 529 { "OverloadedError" } else { "InternalServerError" };
                    r.stack_trace = Some(format!(
                        "Traceback (most recent call last):\n  File \"/app/{}/client.py\", line 88, in complete\n    \
                         return self.client.messages.create(**params)\n  File \"/usr/local/lib/python3.12/site-packages/\
                         anthropic/_base_client.py\", line 1064, in request\n    raise self._make_status_error_from_response(err.response) from None\n\
                         anthropic.{class}: Error code: {status} - {body}",
                        r.environment
                    ));
                }
                r.error_message = Some(body);
                r.latency_ms = rng.range(180, 4000);
                r
            }
            CauseKind::MiddlewareExhaustion => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                match rng.weighted(&[0.45, 0.25, 0.3]) {
                    0 => {
                        r.status = 503;
                        r.forwarder_tag = if rng.chance(0.6) { "envoy-gw-1" } else { "envoy-gw-2" };
                        r.error_message = Some("no healthy upstream".into());
                        r.latency_ms = rng.range(0, 6);
                    }
                    1 => {
                        r.status = 503;
                        r.forwarder_tag = "envoy-gw-1";
                        r.error_message = Some(
                            "upstream connect error or disconnect/reset before headers. reset reason: overflow".into(),
                        );
                        r.latency_ms = rng.range(1, 40);
                    }
                    _ => {
                        r.status = 502;
                        r.forwarder_tag = "internal-gateway";
                        r.error_message = Some(
                            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad \
                             Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
                                .into(),
                        );
                        r.latency_ms = rng.range(3, 120);
                    }
                }
                r
            }
            CauseKind::TimeoutNonStreaming => {
                let heavy = world.heavy_mark;
                let limit = world.non_streaming_limit;
                let tokens = if rng.chance(0.88) {
                    rng.range(heavy + 1, heavy * 2 + 1000)
                } else {
                    rng.range(limit + 100, heavy)
                };
                let mut r = self.base(ts, concurrency, world, rng, tokens, false);
                // The batch service calls one endpoint (never the one network loss picks).
                r.region = REGIONS[0].0;
                if rng.chance(0.65) {
                    r.status = 524;
                    r.forwarder_tag = "cloudflare-edge";
                    r.error_message = Some(
                        "<!DOCTYPE html><html><head><title>llm-gw.example.com | 524: A timeout occurred</title></head>\
                         <body><h1>A timeout occurred</h1><span>Error code 524</span></body></html>"
                            .into(),
                    );
                    r.latency_ms = 100_000 + rng.range(0, 400);
                } else {
                    r.status = 504;
                    r.forwarder_tag = "envoy-gw-1";
                    r.error_message = Some("upstream request timeout".into());
                    r.latency_ms = world.middleware_timeout_ms + rng.range(0, 150);
                }
                r
            }
            CauseKind::NetworkLoss => {
                let mut r = self.base(ts, concurrency, world, rng, small, stream);
                if let Some((region, _)) = &self.slow_region {
                    r.region = region;
                }
                r.forwarder_tag = "egress-nat";
                let p99 = world.network_p99_ms;
                match rng.weighted(&[0.55, 0.15, 0.3]) {
                    0 => {
                        r.status = 502;
                        r.network_error = Some("ECONNRESET");
                        r.error_message = Some("read ECONNRESET".into());
                        r.latency_ms = rng.lognormal(p99 * 1.3, 0.45).clamp(1500.0, 90_000.0) as u64;
                    }
                    1 => {
                        r.status = 503;
                        r.network_error = Some("ECONNRESET");
                        r.error_message = Some("socket hang up".into());
                        r.latency_ms = rng.lognormal(p99, 0.5).clamp(1500.0, 90_000.0) as u64;
                    }
                    _ => {
                        r.status = 504;
                        r.network_error = Some("ETIMEDOUT");
                        r.error_message = Some("connect ETIMEDOUT 160.79.104.10:443".into());
                        r.latency_ms = rng.range(10_000, 21_000);
                    }
                }
                if rng.chance(0.3) {
                    let code = r.network_error.unwrap_or("ECONNRESET");
                    r.stack_trace = Some(format!(
                        "Error: {}\n    at TLSWrap.onStreamRead (node:internal/stream_base_commons:216:20)\n    \
                         at process.processTicksAndRejections (node:internal/process/task_queues:82:21)",
                        r.error_message.as_deref().unwrap_or(code)
                    ));
                }
                r
            }
        }
    }
}

fn auth_401(r: &mut Record, msg: &str, rng: &mut Rng) {
    r.status = 401;
    r.error_type = Some("authentication_error");
    r.error_message = Some(msg.to_string());
    r.latency_ms = rng.range(15, 90);
}
