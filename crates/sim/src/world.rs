//! The simulated organisation: its services, keys, environments, regions and models, and the
//! healthy background traffic they send. Model IDs come from the knowledge base (active at the
//! scenario date), never from code.

use chrono::Datelike;
use faultline::knowledge::{Knowledge, ModelStatus};
use faultline::redact::short_hash;

use super::emit::Record;
use super::rng::Rng;
use super::Scenario;

const BASE62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const KEY_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub const PATH_MESSAGES: &str = "/v1/messages";
pub const PATH_CHAT: &str = "/v1/chat/completions";

/// Forwarder tag of responses that came back from Anthropic (successes and API-side errors).
pub const TAG_ORIGIN: &str = "anthropic-origin";

/// Endpoint regions with their share of traffic and a latency factor.
pub const REGIONS: &[(&str, f64, f64)] =
    &[("us-east-1", 0.45, 1.0), ("us-west-2", 0.2, 1.0), ("eu-west-1", 0.2, 1.12), ("ap-northeast-1", 0.15, 1.3)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    XApiKey,
    Bearer,
}

/// A calling service in one environment with its key.
#[derive(Debug, Clone)]
pub struct Client {
    pub service: &'static str,
    pub env: &'static str,
    pub key: String,
    pub key_hash: String,
    /// First three octets of its client IPs.
    pub subnet: &'static str,
    pub auth: Auth,
    pub path: &'static str,
    pub weight: f64,
}

pub fn fake_key(rng: &mut Rng) -> String {
    // sk-ant-api03- + 93 characters + AA: the shape of a real Console key (108 characters).
    format!("sk-ant-api03-{}AA", rng.string(KEY_CHARS, 93))
}

impl Client {
    fn new(rng: &mut Rng, service: &'static str, env: &'static str, subnet: &'static str, auth: Auth, w: f64) -> Self {
        let key = fake_key(rng);
        let key_hash = short_hash(key.as_bytes());
        let path = if auth == Auth::Bearer { PATH_CHAT } else { PATH_MESSAGES };
        Client { service, env, key, key_hash, subnet, auth, path, weight: w }
    }

    pub fn ip(&self, rng: &mut Rng) -> String {
        format!("{}.{}", self.subnet, rng.range(2, 250))
    }
}

/// Everything a scenario's requests are made of.
#[derive(Debug, Clone)]
pub struct World {
    pub start_ms: i64,
    pub models: Vec<String>,
    pub model_weights: Vec<f64>,
    /// `anthropic-version` values clients send (the current ones, most common first).
    pub versions: Vec<String>,
    pub clients: Vec<Client>,
    pub client_weights: Vec<f64>,
    /// Model IDs a misconfigured client may send: dotted forms, short aliases, retired IDs.
    pub broken_models: Vec<String>,
    pub retired_models: Vec<String>,
    pub org_id: String,
    pub non_streaming_limit: u64,
    pub heavy_mark: u64,
    pub cap: u64,
    pub baseline_concurrency: u64,
    pub network_p99_ms: f64,
    pub middleware_timeout_ms: u64,
    pub bytes_per_token: f64,
    pub quota_reset: String,
}

/// The broken-ID candidates a client could plausibly write for `id`, none of them known.
fn broken_forms(k: &Knowledge, id: &str, family: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Dotted version: claude-<family>-4-6 -> claude-<family>-4.6 (dates dropped).
    let parts: Vec<&str> = id.split('-').collect();
    let nums: Vec<&str> =
        parts.iter().copied().filter(|p| p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit())).collect();
    if nums.len() >= 2 {
        out.push(format!("claude-{family}-{}", nums.join(".")));
        out.push(format!("claude-{}-{family}", nums.join(".")));
    }
    if let Some(major) = nums.first() {
        // A short alias without the minor version or date.
        out.push(format!("claude-{family}-{major}"));
    }
    out.push(format!("claude-{family}-latest"));
    out.retain(|c| k.model(c).is_none() && c != id);
    out.dedup();
    out
}

impl World {
    pub fn new(s: &Scenario, k: &Knowledge, rng: &mut Rng) -> World {
        let date = s.start.date_naive();
        // The newest two active models of each main family, newest first.
        let mut models: Vec<(String, String)> = Vec::new();
        for family in ["sonnet", "opus", "haiku"] {
            let active: Vec<_> =
                k.models.iter().filter(|m| m.family == family && m.status_at(date) == ModelStatus::Active).collect();
            for m in active.iter().rev().take(2) {
                models.push((m.id.clone(), m.family.clone()));
            }
        }
        let model_weights: Vec<f64> = (0..models.len()).map(|i| if i % 2 == 0 { 3.0 } else { 1.2 }).collect();
        let mut broken_models = Vec::new();
        for (id, family) in &models {
            broken_models.extend(broken_forms(k, id, family));
        }
        broken_models.dedup();
        // The most recently retired models at the date: what stale configs still name.
        let mut retired: Vec<_> = k
            .models
            .iter()
            .filter(|m| m.status_at(date) == ModelStatus::Retired && m.retired.is_some())
            .filter(|m| ["sonnet", "opus", "haiku"].contains(&m.family.as_str()))
            .collect();
        retired.sort_by_key(|m| std::cmp::Reverse(m.retired));
        let retired_models: Vec<String> = retired.iter().take(3).map(|m| m.id.clone()).collect();

        let mut versions: Vec<String> = k.api.anthropic_versions.clone();
        versions.sort();
        // Clients send the long-standing default and, less often, the newest version.
        let versions: Vec<String> = versions.iter().rev().take(2).rev().cloned().collect();

        let clients = vec![
            Client::new(rng, "support-bot", "production", "10.12.4", Auth::XApiKey, 4.0),
            Client::new(rng, "code-review", "production", "10.12.9", Auth::XApiKey, 3.0),
            Client::new(rng, "search-summarizer", "production", "10.12.17", Auth::XApiKey, 2.0),
            Client::new(rng, "reporting", "production", "10.12.23", Auth::Bearer, 1.0),
            Client::new(rng, "support-bot", "staging", "10.40.2", Auth::XApiKey, 0.8),
            Client::new(rng, "code-review", "staging", "10.40.6", Auth::XApiKey, 0.5),
            Client::new(rng, "notebooks", "dev-laptop", "192.168.1", Auth::XApiKey, 0.3),
            Client::new(rng, "eval-scripts", "dev-laptop", "192.168.7", Auth::XApiKey, 0.2),
        ];
        let client_weights = clients.iter().map(|c| c.weight).collect();
        let t = &k.thresholds;
        let (y, mo) = if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
        World {
            start_ms: s.start.timestamp_millis(),
            models: models.into_iter().map(|(id, _)| id).collect(),
            model_weights,
            versions,
            clients,
            client_weights,
            broken_models,
            retired_models,
            org_id: uuid(rng),
            non_streaming_limit: t.streaming.non_streaming_token_limit,
            heavy_mark: t.streaming.timeout_heavy_token_mark,
            cap: t.rate_limit.tier_rpm_cap,
            baseline_concurrency: t.rate_limit.baseline_concurrency,
            network_p99_ms: t.latency.network_p99_ms,
            middleware_timeout_ms: t.streaming.middleware_timeout_s * 1000,
            bytes_per_token: t.payload.bytes_per_token,
            quota_reset: format!("{y:04}-{mo:02}-01"),
        }
    }

    pub fn model(&self, rng: &mut Rng) -> String {
        let i = rng.weighted(&self.model_weights);
        self.models.get(i).cloned().unwrap_or_default()
    }

    pub fn client(&self, rng: &mut Rng) -> &Client {
        let i = rng.weighted(&self.client_weights);
        &self.clients[i.min(self.clients.len() - 1)]
    }

    pub fn region(rng: &mut Rng) -> (&'static str, f64) {
        let w: Vec<f64> = REGIONS.iter().map(|r| r.1).collect();
        let (name, _, factor) = REGIONS[rng.weighted(&w)];
        (name, factor)
    }

    /// The `anthropic-version` a client sends.
    pub fn version(&self, rng: &mut Rng) -> &str {
        let i = if self.versions.len() > 1 && rng.chance(0.15) { self.versions.len() - 1 } else { 0 };
        self.versions.get(i).map_or("", |v| v.as_str())
    }

    /// A healthy request at `ts_ms`: status 200, realistic sizes, long inputs stream.
    pub fn healthy(&self, rng: &mut Rng, ts_ms: i64, concurrency: u32) -> Record {
        let client = self.client(rng).clone();
        let tokens = (rng.lognormal(900.0, 1.1) as u64).clamp(12, 60_000);
        // Long inputs stream (the healthy part of the fleet follows the advice).
        let stream = tokens > self.non_streaming_limit.saturating_sub(1500) || rng.chance(0.35);
        let model = self.model(rng);
        let (region, factor) = World::region(rng);
        let mut r = self.request(rng, &client, ts_ms, concurrency, &model, tokens, stream, region);
        // Outputs are mostly short; at 3-8 ms a token the healthy P99 stays well under the
        // network-loss latency mark in every region.
        let out = (rng.lognormal(200.0, 0.6) as u64).clamp(1, 2048);
        r.output_tokens = out;
        let per_token = rng.range(3, 8) as f64;
        r.latency_ms = ((250.0 + out as f64 * per_token + tokens as f64 * 0.04) * factor) as u64;
        r
    }

    /// A request from `client` with everything but the outcome filled in (status 200, no error).
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        &self,
        rng: &mut Rng,
        client: &Client,
        ts_ms: i64,
        concurrency: u32,
        model: &str,
        tokens: u64,
        stream: bool,
        region: &'static str,
    ) -> Record {
        let (body, payload_bytes, _) = self.body(rng, client.path, model, tokens, stream, None);
        Record {
            ts_ms,
            request_id: request_id(rng),
            method: "POST",
            path: client.path,
            status: 200,
            latency_ms: 0,
            payload_bytes,
            // Earlier turns and the system prompt count too.
            payload_tokens: tokens.max((payload_bytes as f64 / (self.bytes_per_token * 1.2)) as u64),
            output_tokens: 0,
            model: model.to_string(),
            stream,
            api_key_hash: client.key_hash.clone(),
            client_ip: client.ip(rng),
            environment: client.env,
            service: client.service,
            concurrency,
            forwarder_tag: TAG_ORIGIN,
            region,
            error_type: None,
            error_message: None,
            stack_trace: None,
            network_error: None,
            headers: self.headers(rng, client, None),
            body,
            label: "ok",
        }
    }

    /// Headers as sent; `auth_value` replaces the credential header's value when given.
    pub fn headers(&self, rng: &mut Rng, client: &Client, auth_value: Option<String>) -> Vec<(&'static str, String)> {
        let mut h = Vec::with_capacity(3);
        match client.auth {
            Auth::XApiKey => h.push(("x-api-key", auth_value.unwrap_or_else(|| client.key.clone()))),
            Auth::Bearer => h.push(("authorization", auth_value.unwrap_or_else(|| format!("Bearer {}", client.key)))),
        }
        if client.path == PATH_MESSAGES {
            h.push(("anthropic-version", self.version(rng).to_string()));
        }
        h.push(("content-type", "application/json".to_string()));
        h
    }

    /// The body as sent, the payload size in bytes and the index of the last message. Long prompts are logged with the bulk of
    /// their text elided by the gateway (the body stays valid JSON; `payload_bytes` is the size
    /// that was sent).
    pub fn body(
        &self,
        rng: &mut Rng,
        path: &str,
        model: &str,
        tokens: u64,
        stream: bool,
        defect: Option<MessageDefect>,
    ) -> (String, u64, usize) {
        let full_len = (tokens as f64 * self.bytes_per_token) as usize;
        let shown = full_len.min(rng.range(80, 320) as usize);
        let mut text = prose(rng, shown);
        let elided = full_len.saturating_sub(text.len());
        if elided > 0 {
            text.push_str(&format!(" …[{elided} bytes elided by gateway log]"));
        }
        let max_tokens = [256u64, 512, 1024, 2048, 4096, 8192][rng.below(6)];
        let turns = if rng.chance(0.6) { 1 } else { [3usize, 5][rng.below(2)] };
        let mut msgs: Vec<String> = Vec::new();
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        if path == PATH_CHAT {
            msgs.push(format!(
                "{{\"role\":\"system\",\"content\":{}}}",
                q(SYSTEM_PROMPTS[rng.below(SYSTEM_PROMPTS.len())])
            ));
        }
        for i in 0..turns {
            let role = if i % 2 == 0 { "user" } else { "assistant" };
            let content = if i + 1 == turns {
                text.clone()
            } else {
                let len = rng.range(24, 96) as usize;
                prose(rng, len)
            };
            let use_blocks = path == PATH_MESSAGES && i + 1 == turns && rng.chance(0.4);
            let content_json =
                if use_blocks { format!("[{{\"type\":\"text\",\"text\":{}}}]", q(&content)) } else { q(&content) };
            msgs.push(format!("{{\"role\":\"{role}\",\"content\":{content_json}}}"));
        }
        let system = if path == PATH_MESSAGES && rng.chance(0.5) {
            format!(",\"system\":{}", q(SYSTEM_PROMPTS[rng.below(SYSTEM_PROMPTS.len())]))
        } else {
            String::new()
        };
        let messages_json = match defect {
            None => Some(format!("[{}]", msgs.join(","))),
            Some(d) => d.apply(&mut msgs, &q),
        };
        let stream_json = if stream {
            ",\"stream\":true"
        } else if rng.chance(0.5) {
            ",\"stream\":false"
        } else {
            ""
        };
        let body = match messages_json {
            Some(m) => {
                format!("{{\"model\":{},\"max_tokens\":{max_tokens}{system},\"messages\":{m}{stream_json}}}", q(model))
            }
            None => format!("{{\"model\":{},\"max_tokens\":{max_tokens}{system}{stream_json}}}", q(model)),
        };
        let bytes = (body.len() + elided) as u64;
        (body, bytes, msgs.len().saturating_sub(1))
    }
}

/// What is wrong with a body's `messages` (client.messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageDefect {
    Missing,
    RoleNull,
    RoleBot,
    ContentEmpty,
    ContentNull,
    EmptyTextBlock,
}

impl MessageDefect {
    pub const ALL: [MessageDefect; 6] = [
        MessageDefect::Missing,
        MessageDefect::RoleNull,
        MessageDefect::RoleBot,
        MessageDefect::ContentEmpty,
        MessageDefect::ContentNull,
        MessageDefect::EmptyTextBlock,
    ];

    /// Breaks the first message in place; returns the `messages` JSON (None: field left out).
    fn apply(self, msgs: &mut [String], q: &dyn Fn(&str) -> String) -> Option<String> {
        let last = msgs.len().saturating_sub(1);
        let role = if last % 2 == 0 { "user" } else { "assistant" };
        let broken = match self {
            MessageDefect::Missing => return None,
            MessageDefect::RoleNull => {
                format!("{{\"role\":null,\"content\":{}}}", q("Continue from where you stopped."))
            }
            MessageDefect::RoleBot => {
                format!("{{\"role\":\"bot\",\"content\":{}}}", q("Here is the summary you asked for."))
            }
            MessageDefect::ContentEmpty => format!("{{\"role\":\"{role}\",\"content\":\"\"}}"),
            MessageDefect::ContentNull => format!("{{\"role\":\"{role}\",\"content\":null}}"),
            MessageDefect::EmptyTextBlock => {
                format!("{{\"role\":\"{role}\",\"content\":[{{\"type\":\"text\",\"text\":\"\"}}]}}")
            }
        };
        if let Some(m) = msgs.get_mut(last) {
            *m = broken;
        }
        Some(format!("[{}]", msgs.join(",")))
    }

    /// The API's answer, for the broken message at `index`.
    pub fn error_message(self, index: usize) -> String {
        match self {
            MessageDefect::Missing => "messages: Field required".to_string(),
            MessageDefect::RoleNull => format!("messages.{index}.role: Input should be 'user' or 'assistant'"),
            MessageDefect::RoleBot => {
                format!("messages.{index}: Unexpected role \"bot\". Allowed roles are \"user\" or \"assistant\".")
            }
            MessageDefect::ContentEmpty => format!(
                "messages.{index}: all messages must have non-empty content except for the optional final assistant message"
            ),
            MessageDefect::ContentNull => format!("messages.{index}.content: Input should be a valid list"),
            MessageDefect::EmptyTextBlock => "messages: text content blocks must be non-empty".to_string(),
        }
    }
}

const SYSTEM_PROMPTS: &[&str] = &[
    "You are a helpful support assistant for Acme Cloud. Answer briefly and cite the runbook.",
    "You review pull requests. Point out bugs first, style last.",
    "Summarise the document for an executive audience in five bullet points.",
    "You are a data analyst. Answer with a table when it helps.",
];

const WORDS: &[&str] = &[
    "the",
    "deploy",
    "failed",
    "after",
    "customer",
    "invoice",
    "please",
    "summarise",
    "report",
    "function",
    "returns",
    "error",
    "when",
    "latency",
    "cluster",
    "review",
    "this",
    "change",
    "and",
    "explain",
    "why",
    "ticket",
    "refund",
    "order",
    "shipping",
    "delayed",
    "log",
    "service",
    "timeout",
    "retry",
    "config",
    "value",
    "table",
    "query",
    "index",
    "memory",
    "thread",
    "pool",
    "token",
    "context",
    "user",
    "account",
    "billing",
    "migration",
    "schema",
    "test",
    "coverage",
    "incident",
    "pager",
    "metric",
    "dashboard",
    "alert",
    "region",
];

/// About `len` bytes of word salad that reads like a prompt.
pub fn prose(rng: &mut Rng, len: usize) -> String {
    let mut s = String::with_capacity(len + 12);
    while s.len() < len {
        if !s.is_empty() {
            s.push(if rng.chance(0.08) { '.' } else { ' ' });
            if s.ends_with('.') {
                s.push(' ');
            }
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

pub fn request_id(rng: &mut Rng) -> String {
    format!("req_01{}", rng.string(BASE62, 22))
}

pub fn uuid(rng: &mut Rng) -> String {
    let h = |rng: &mut Rng, n: usize| rng.string(b"0123456789abcdef", n);
    format!("{}-{}-4{}-a{}-{}", h(rng, 8), h(rng, 4), h(rng, 3), h(rng, 3), h(rng, 12))
}
