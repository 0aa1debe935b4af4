//! Writes one simulated request as one JSON line, in the field names of a preset (DESIGN.md
//! "Log records"). The faultline preset is flat; the ECS preset is nested the way Filebeat
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
