//! Writes one simulated request as one JSON line, in the field names of a preset (the log
//! schema, `faultline::schema`). The faultline preset is flat; the ECS preset is nested the way Filebeat
//! indexes it (`{"http":{"request":{...}}}`), with `event.duration` in nanoseconds.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::Preset;

/// One simulated request, independent of the field names it will be written under.
#[derive(Debug, Clone)]
pub struct Record {
    pub ts_ms: i64,
    pub request_id: String,
    pub method: &'static str,
    pub path: &'static str,
    pub status: u16,
    pub latency_ms: u64,
    pub payload_bytes: u64,
    pub payload_tokens: u64,
    pub output_tokens: u64,
    pub model: String,
    pub stream: bool,
    pub api_key_hash: String,
    pub client_ip: String,
    pub environment: &'static str,
    /// The calling service (ECS `service.name`; the faultline preset has no such field).
    pub service: &'static str,
    pub concurrency: u32,
    pub forwarder_tag: &'static str,
    pub region: &'static str,
    pub error_type: Option<&'static str>,
    pub error_message: Option<String>,
    pub stack_trace: Option<String>,
    pub network_error: Option<&'static str>,
    /// Lowercase header names, in the order sent.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON text as sent.
    pub body: String,
    /// `"ok"` or the id of the cause that made this request fail.
    pub label: &'static str,
}

/// How a record's format deviates from the plain preset (readers must cope with both).
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub epoch_millis: bool,
    /// ECS only: `http.request.headers` as one string of `name: value` lines.
    pub header_string: bool,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Timestamp {
    Text(String),
    Millis(i64),
}

fn timestamp(ts_ms: i64, style: Style) -> Timestamp {
    if style.epoch_millis {
        return Timestamp::Millis(ts_ms);
    }
    let t = DateTime::<Utc>::from_timestamp_millis(ts_ms).unwrap_or_default();
    Timestamp::Text(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// Headers as an ordered JSON object, or as one string.
enum Headers<'a> {
    Object(&'a [(&'static str, String)]),
    Text(String),
}

impl Serialize for Headers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Headers::Object(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (name, value) in pairs.iter() {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
            Headers::Text(text) => s.serialize_str(text),
        }
    }
}

#[derive(Serialize)]
struct Flat<'a> {
    #[serde(rename = "@timestamp")]
    timestamp: Timestamp,
    request_id: &'a str,
    method: &'a str,
    path: &'a str,
    status_code: u16,
    latency_ms: u64,
    payload_bytes: u64,
    payload_token_count: u64,
    output_tokens: u64,
    model: &'a str,
    stream: bool,
    api_key_hash: &'a str,
    client_ip: &'a str,
    client_environment: &'a str,
    concurrent_request_count: u32,
    forwarder_tag: &'a str,
    endpoint_region: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack_trace: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    network_error: Option<&'a str>,
    request_header: Headers<'a>,
    request_body: &'a str,
    sim_label: &'a str,
}

#[derive(Serialize)]
struct Ecs<'a> {
    #[serde(rename = "@timestamp")]
    timestamp: Timestamp,
    event: EcsEvent,
    http: EcsHttp<'a>,
    url: EcsUrl<'a>,
    gen_ai: EcsGenAi<'a>,
    client: EcsClient<'a>,
    service: EcsService<'a>,
    cloud: EcsCloud<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<EcsError<'a>>,
    labels: EcsLabels<'a>,
    sim_label: &'a str,
}

#[derive(Serialize)]
struct EcsEvent {
    duration: u64,
}
#[derive(Serialize)]
struct EcsHttp<'a> {
    request: EcsRequest<'a>,
    response: EcsResponse,
}
#[derive(Serialize)]
struct EcsRequest<'a> {
    id: &'a str,
    method: &'a str,
    headers: Headers<'a>,
    body: EcsBody<'a>,
}
#[derive(Serialize)]
struct EcsBody<'a> {
    bytes: u64,
    content: &'a str,
}
#[derive(Serialize)]
struct EcsResponse {
    status_code: u16,
}
#[derive(Serialize)]
struct EcsUrl<'a> {
    path: &'a str,
}
#[derive(Serialize)]
struct EcsGenAi<'a> {
    request: EcsGenAiRequest<'a>,
    usage: EcsUsage,
}
#[derive(Serialize)]
struct EcsGenAiRequest<'a> {
    model: &'a str,
}
#[derive(Serialize)]
struct EcsUsage {
    input_tokens: u64,
    output_tokens: u64,
}
#[derive(Serialize)]
struct EcsClient<'a> {
    ip: &'a str,
}
#[derive(Serialize)]
struct EcsService<'a> {
    name: &'a str,
    environment: &'a str,
}
#[derive(Serialize)]
struct EcsCloud<'a> {
    region: &'a str,
}
#[derive(Serialize)]
struct EcsError<'a> {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack_trace: Option<&'a str>,
}
/// Custom fields: written with their JSON types (number, boolean), not as ECS keyword strings,
/// so that an index with dynamic mapping can aggregate them.
#[derive(Serialize)]
struct EcsLabels<'a> {
    stream: bool,
    api_key_hash: &'a str,
    concurrent_request_count: u32,
    forwarder_tag: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    network_error: Option<&'a str>,
}

/// `name: value` lines joined with CRLF, as an HTTP/1.1 request carries them.
fn header_text(pairs: &[(&'static str, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
    }
    out
}

/// Writes `r` as one line (with its trailing newline).
pub fn write_record(r: &Record, preset: Preset, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mut w = &mut *out;
    match preset {
        Preset::Faultline => {
            let rec = Flat {
                timestamp: timestamp(r.ts_ms, style),
                request_id: &r.request_id,
                method: r.method,
                path: r.path,
                status_code: r.status,
                latency_ms: r.latency_ms,
                payload_bytes: r.payload_bytes,
                payload_token_count: r.payload_tokens,
                output_tokens: r.output_tokens,
                model: &r.model,
                stream: r.stream,
                api_key_hash: &r.api_key_hash,
                client_ip: &r.client_ip,
                client_environment: r.environment,
                concurrent_request_count: r.concurrency,
                forwarder_tag: r.forwarder_tag,
                endpoint_region: r.region,
                error_type: r.error_type,
                error_message: r.error_message.as_deref(),
                stack_trace: r.stack_trace.as_deref(),
                network_error: r.network_error,
                request_header: Headers::Object(&r.headers),
                request_body: &r.body,
                sim_label: r.label,
            };
            serde_json::to_writer(&mut w, &rec)?;
        }
        Preset::Ecs => {
            let headers =
                if style.header_string { Headers::Text(header_text(&r.headers)) } else { Headers::Object(&r.headers) };
            let has_error = r.error_type.is_some() || r.error_message.is_some() || r.stack_trace.is_some();
            let rec = Ecs {
                timestamp: timestamp(r.ts_ms, style),
                event: EcsEvent { duration: r.latency_ms.saturating_mul(1_000_000) },
                http: EcsHttp {
                    request: EcsRequest {
                        id: &r.request_id,
                        method: r.method,
                        headers,
                        body: EcsBody { bytes: r.payload_bytes, content: &r.body },
                    },
                    response: EcsResponse { status_code: r.status },
                },
                url: EcsUrl { path: r.path },
                gen_ai: EcsGenAi {
                    request: EcsGenAiRequest { model: &r.model },
                    usage: EcsUsage { input_tokens: r.payload_tokens, output_tokens: r.output_tokens },
                },
                client: EcsClient { ip: &r.client_ip },
                service: EcsService { name: r.service, environment: r.environment },
                cloud: EcsCloud { region: r.region },
                error: has_error.then_some(EcsError {
                    kind: r.error_type,
                    message: r.error_message.as_deref(),
                    stack_trace: r.stack_trace.as_deref(),
                }),
                labels: EcsLabels {
                    stream: r.stream,
                    api_key_hash: &r.api_key_hash,
                    concurrent_request_count: r.concurrency,
                    forwarder_tag: r.forwarder_tag,
                    network_error: r.network_error,
                },
                sim_label: r.label,
            };
            serde_json::to_writer(&mut w, &rec)?;
        }
    }
    w.write_all(b"\n")
}

// ---------------------------------------------------------------------------------------------
// The shapes of systems in front of the API (rules/presets.toml): the same simulated requests
// as a LiteLLM proxy or an Envoy Gateway would log them. For the benchmarks (the same incident in
// each shape) and the search backend's tests; what a shape cannot carry is lost, as in real logs
// (Envoy logs no key, no message, no stream; LiteLLM logs a 529 as 500 and 0 tokens on failures).

/// A log shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// LiteLLM's StandardLoggingPayload (BerriAI/litellm litellm/types/utils.py).
    Litellm,
    /// Envoy Gateway's default JSON access log (envoyproxy/gateway internal/xds/translator/accesslog.go).
    Envoy,
}

impl Shape {
    pub fn parse(name: &str) -> Option<Shape> {
        match name {
            "litellm" => Some(Shape::Litellm),
            "envoy" => Some(Shape::Envoy),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Litellm => "litellm",
            Shape::Envoy => "envoy",
        }
    }
}

#[derive(serde::Deserialize)]
struct BodyParts<'a> {
    #[serde(borrow)]
    messages: Option<&'a serde_json::value::RawValue>,
    max_tokens: Option<u64>,
}

#[derive(Serialize)]
#[allow(non_snake_case)]
struct Litellm<'a> {
    id: &'a str,
    trace_id: &'a str,
    call_type: &'static str,
    stream: Option<bool>,
    status: &'static str,
    custom_llm_provider: &'static str,
    startTime: f64,
    endTime: f64,
    completionStartTime: f64,
    response_time: f64,
    model: &'a str,
    model_id: &'static str,
    model_group: &'a str,
    api_base: &'static str,
    metadata: LitellmMetadata<'a>,
    cache_hit: bool,
    prompt_tokens: u64,
    completion_tokens: u64,
    total_tokens: u64,
    requester_ip_address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<&'a serde_json::value::RawValue>,
    model_parameters: LitellmParameters,
    hidden_params: LitellmHidden<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_str: Option<&'a str>,
    error_information: LitellmError<'a>,
    litellm_call_id: &'a str,
    sim_label: &'a str,
}

#[derive(Serialize)]
struct LitellmMetadata<'a> {
    user_api_key_hash: &'a str,
    user_api_key_alias: &'a str,
    user_api_key_team_alias: &'a str,
    requester_ip_address: &'a str,
    user_agent: &'static str,
}

#[derive(Serialize)]
struct LitellmParameters {
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
}

#[derive(Serialize)]
struct LitellmHidden<'a> {
    litellm_model_name: &'a str,
    api_base: &'static str,
}

#[derive(Serialize)]
struct LitellmError<'a> {
    error_code: String,
    error_class: &'static str,
    error_message: &'a str,
    llm_provider: &'static str,
    traceback: &'a str,
}

#[derive(Serialize)]
struct Envoy<'a> {
    start_time: String,
    method: &'a str,
    #[serde(rename = "x-envoy-origin-path")]
    path: &'a str,
    protocol: &'static str,
    response_code: String,
    response_flags: &'static str,
    response_code_details: &'static str,
    connection_termination_details: &'static str,
    upstream_transport_failure_reason: &'static str,
    bytes_received: String,
    bytes_sent: String,
    duration: String,
    #[serde(rename = "x-envoy-upstream-service-time")]
    upstream_service_time: String,
    #[serde(rename = "x-forwarded-for")]
    forwarded_for: &'a str,
    #[serde(rename = "user-agent")]
    user_agent: &'static str,
    #[serde(rename = "x-request-id")]
    request_id: &'a str,
    #[serde(rename = ":authority")]
    authority: &'static str,
    upstream_host: &'static str,
    upstream_cluster: &'static str,
    upstream_local_address: &'static str,
    downstream_local_address: &'static str,
    downstream_remote_address: &'a str,
    requested_server_name: &'static str,
    route_name: &'static str,
    sim_label: &'a str,
}

fn gateway_tag(tag: &str) -> bool {
    tag.contains("gw") || tag.contains("gateway")
}

/// How LiteLLM reports one failure: (error_code, class, message, llm_provider).
fn litellm_error(r: &Record) -> (String, &'static str, String, &'static str) {
    let msg = r.error_message.as_deref().unwrap_or("");
    if r.network_error.is_some() {
        let text = "litellm.APIConnectionError: AnthropicException - peer closed connection without sending complete \
                    message body (incomplete chunked read)";
        return ("500".into(), "APIConnectionError", text.into(), "anthropic");
    }
    match r.status {
        504 | 524 => (
            "408".into(),
            "Timeout",
            format!("litellm.Timeout: APITimeoutError - Request timed out. Error_str: {msg}"),
            "anthropic",
        ),
        502 | 503 if gateway_tag(r.forwarder_tag) => {
            ("503".into(), "ServiceUnavailableError", format!("litellm.ServiceUnavailableError: {msg}"), "")
        }
        s => {
            let (code, class) = match s {
                400 => (400, "BadRequestError"),
                401 => (401, "AuthenticationError"),
                403 => (403, "PermissionDeniedError"),
                404 => (404, "NotFoundError"),
                429 => (429, "RateLimitError"),
                503 => (503, "ServiceUnavailableError"),
                // LiteLLM maps Anthropic's 529 to InternalServerError (500).
                _ => (500, "InternalServerError"),
            };
            (code.to_string(), class, format!("litellm.{class}: AnthropicException - {msg}"), "anthropic")
        }
    }
}

/// How Envoy reports one request: (flags, details, transport failure reason, status).
fn envoy_outcome(r: &Record) -> (&'static str, &'static str, &'static str, u16) {
    match (r.network_error, r.status) {
        (Some("ETIMEDOUT"), s) => (
            "UF,URX",
            "upstream_reset_before_response_started{connection_failure,delayed_connect_error:_110}",
            "delayed_connect_error:_110",
            s,
        ),
        (Some(_), s) => ("UC", "upstream_reset_before_response_started{connection_termination}", "-", s),
        (None, 504 | 524) if gateway_tag(r.forwarder_tag) || r.forwarder_tag.contains("cloudflare") => {
            ("UT", "upstream_response_timeout", "-", 504)
        }
        (None, 503) if gateway_tag(r.forwarder_tag) => {
            if r.error_message.as_deref().is_some_and(|m| m.contains("overflow")) {
                ("UO", "upstream_reset_before_response_started{overflow}", "-", 503)
            } else {
                ("UH", "no_healthy_upstream", "-", 503)
            }
        }
        (None, 502) if gateway_tag(r.forwarder_tag) => {
            ("UF", "upstream_reset_before_response_started{connection_failure}", "-", 503)
        }
        (None, s) => ("-", "via_upstream", "-", s),
    }
}

/// Writes `r` in `shape`, as one line.
pub fn write_shape(r: &Record, shape: Shape, out: &mut dyn Write) -> io::Result<()> {
    let mut w = &mut *out;
    let failed = r.status >= 400;
    match shape {
        Shape::Litellm => {
            let parts: Option<BodyParts<'_>> = serde_json::from_str(&r.body).ok();
            let (code, class, message, provider) =
                if failed { litellm_error(r) } else { (String::new(), "", String::new(), "") };
            let start = r.ts_ms as f64 / 1000.0;
            let latency = r.latency_ms as f64 / 1000.0;
            let (prompt, completion) = if failed { (0, 0) } else { (r.payload_tokens, r.output_tokens) };
            let rec = Litellm {
                id: &r.request_id,
                trace_id: &r.request_id,
                call_type: "acompletion",
                stream: (r.stream && !failed).then_some(true),
                status: if failed { "failure" } else { "success" },
                custom_llm_provider: "anthropic",
                startTime: start,
                endTime: start + latency,
                completionStartTime: start + latency.min(0.4),
                response_time: latency,
                model: &r.model,
                model_id: "4f8c2d0e6b1a",
                model_group: &r.model,
                api_base: "https://api.anthropic.com/v1/messages",
                metadata: LitellmMetadata {
                    user_api_key_hash: &r.api_key_hash,
                    user_api_key_alias: r.service,
                    user_api_key_team_alias: r.environment,
                    requester_ip_address: &r.client_ip,
                    user_agent: "anthropic-python/0.40.0",
                },
                cache_hit: false,
                prompt_tokens: prompt,
                completion_tokens: completion,
                total_tokens: prompt + completion,
                requester_ip_address: &r.client_ip,
                messages: parts.as_ref().and_then(|p| p.messages),
                model_parameters: LitellmParameters {
                    max_tokens: parts.as_ref().and_then(|p| p.max_tokens),
                    stream: r.stream.then_some(true),
                },
                hidden_params: LitellmHidden { litellm_model_name: &r.model, api_base: "https://api.anthropic.com" },
                error_str: failed.then_some(message.as_str()),
                error_information: LitellmError {
                    error_code: code,
                    error_class: class,
                    error_message: &message,
                    llm_provider: provider,
                    traceback: r.stack_trace.as_deref().filter(|_| failed).unwrap_or(""),
                },
                litellm_call_id: &r.request_id,
                sim_label: r.label,
            };
            serde_json::to_writer(&mut w, &rec)?;
        }
        Shape::Envoy => {
            let (flags, details, transport, status) = envoy_outcome(r);
            let t = DateTime::<Utc>::from_timestamp_millis(r.ts_ms).unwrap_or_default();
            let rec = Envoy {
                start_time: t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                method: r.method,
                path: r.path,
                protocol: "HTTP/1.1",
                response_code: status.to_string(),
                response_flags: flags,
                response_code_details: details,
                connection_termination_details: "-",
                upstream_transport_failure_reason: transport,
                bytes_received: r.payload_bytes.to_string(),
                bytes_sent: (300 + r.output_tokens * 4).to_string(),
                duration: r.latency_ms.to_string(),
                upstream_service_time: if details == "via_upstream" {
                    r.latency_ms.saturating_sub(2).to_string()
                } else {
                    "-".into()
                },
                forwarded_for: &r.client_ip,
                user_agent: "anthropic-python/0.40.0",
                request_id: &r.request_id,
                authority: "api.anthropic.com",
                upstream_host: "160.79.104.10:443",
                upstream_cluster: "httproute/default/anthropic/rule/0",
                upstream_local_address: "10.4.0.17:51234",
                downstream_local_address: "10.4.0.17:10080",
                downstream_remote_address: &r.client_ip,
                requested_server_name: "-",
                route_name: "httproute/default/anthropic/rule/0/match/0/*",
                sim_label: r.label,
            };
            serde_json::to_writer(&mut w, &rec)?;
        }
    }
    w.write_all(b"\n")
}
