//! Incidents in the shapes real gateways and SDK telemetry write (issue 11): for each preset,
//! one small incident per failure kind that format can show, built from the documented shape of
//! its records. Every shape and every error wording names its source next to it. The tests read
//! them through `--schema auto` and the named preset, from a file and from a cluster.
#![allow(dead_code)]

use serde_json::{json, Value};

/// What went wrong in an incident (one kind per fixture).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The provider is overloaded (529 / overloaded_error, and what each format makes of it).
    ProviderOverload,
    /// The gateway in between answered itself: no healthy upstream, circuit breaker, its own 5xx.
    GatewayDown,
    /// The connection to the provider failed or was reset.
    Network,
    /// Long requests sent without streaming timed out.
    Timeout,
    /// Short bursts of 429s.
    RateLimit,
    /// A budget or quota ran out: every request fails from an onset on.
    Budget,
    /// An unknown model id.
    InvalidModel,
    /// Clients went away before an answer (499): counted, never a cause.
    ClientGone,
}

impl Kind {
    /// The cause the diagnosis must name, with all the failures of the kind.
    pub fn cause(self) -> Option<&'static str> {
        Some(match self {
            Kind::ProviderOverload => "upstream.provider_overload",
            Kind::GatewayDown => "upstream.middleware_exhaustion",
            Kind::Network => "upstream.network_loss",
            Kind::Timeout => "upstream.timeout_non_streaming",
            Kind::RateLimit => "traffic.rate_limit",
            Kind::Budget => "traffic.quota_exhausted",
            Kind::InvalidModel => "client.model_id",
            Kind::ClientGone => return None,
        })
    }
}

/// One request, whatever the format.
#[derive(Debug, Clone)]
pub struct Req {
    pub n: usize,
    pub ts_ms: i64,
    pub id: String,
    /// `None`: a success.
    pub failure: Option<Kind>,
    pub latency_ms: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub env: &'static str,
    pub key: &'static str,
    pub region: &'static str,
    pub model: &'static str,
}

impl Req {
    fn ok(&self) -> bool {
        self.failure.is_none()
    }
    /// A long request's body: about 42,000 bytes of prompt (above 6,000 tokens at 4 bytes a token).
    fn long_body(&self) -> bool {
        matches!(self.failure, Some(Kind::Timeout))
    }
    fn rfc3339(&self) -> String {
        chrono::DateTime::<chrono::Utc>::from_timestamp_millis(self.ts_ms)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    }
    fn messages(&self) -> Value {
        let text =
            if self.long_body() { "lorem ipsum dolor sit amet ".repeat(1600) } else { "Summarise the ticket.".into() };
        json!([{"role": "user", "content": text}])
    }
    fn body_bytes(&self) -> u64 {
        if self.long_body() {
            43_400
        } else {
            260
        }
    }
}

/// The window every incident covers.
pub const START: &str = "2026-11-20T10:00:00Z";
pub const WINDOW: [&str; 4] = ["--from", "2026-11-20T09:00:00Z", "--to", "2026-11-20T12:00:00Z"];
pub const MINUTES: usize = 60;
pub const PER_MINUTE: usize = 4;

/// Which records fail: bursts for rate limits, a final stretch for budgets, a steady share
/// otherwise; 24 to 30 failures.
fn fails(kind: Kind, minute: usize, slot: usize) -> bool {
    match kind {
        Kind::RateLimit => (matches!(minute, 10..=14) || matches!(minute, 30..=34)) && slot < 3,
        Kind::Budget => minute >= 54,
        _ => (20..32).contains(&minute) && (slot == 1 || slot == 3),
    }
}

/// The requests of one incident.
pub fn requests(kind: Kind) -> Vec<Req> {
    let start = chrono::DateTime::parse_from_rfc3339(START).map(|t| t.timestamp_millis()).unwrap_or_default();
    let mut out = Vec::new();
    for minute in 0..MINUTES {
        for slot in 0..PER_MINUTE {
            let n = minute * PER_MINUTE + slot;
            let failure = fails(kind, minute, slot).then_some(kind);
            let latency_ms = match failure {
                Some(Kind::Timeout) => 600_000 + (n as u64 % 7) * 11,
                Some(Kind::Network) => 14_000 + (n as u64 % 13) * 100,
                Some(_) => 180 + (n as u64 % 9) * 20,
                None => 700 + (n as u64 % 17) * 90,
            };
            out.push(Req {
                n,
                ts_ms: start + (minute as i64) * 60_000 + (slot as i64) * 15_000 + (n as i64 % 11) * 97,
                id: format!("req_{n:04}"),
                failure,
                latency_ms,
                tokens_in: if failure == Some(Kind::Timeout) { 10_850 } else { 900 + (n as u64 % 5) * 40 },
                tokens_out: 120 + (n as u64 % 3) * 10,
                env: if n % 3 == 0 { "staging" } else { "production" },
                key: if n % 2 == 0 { "sha256:1a2b3c4d" } else { "sha256:5e6f7a8b" },
                region: if n % 2 == 0 { "us-east-1" } else { "eu-west-1" },
                model: "claude-sonnet-4-5-20250929",
            });
        }
    }
    out
}

/// One fixture: a preset, what goes wrong, the records, and where their shape comes from.
pub struct Fixture {
    pub preset: &'static str,
    pub kind: Kind,
    /// A variant of the preset's shape (`raw`, `elastic`, `otel mode`, `ecs mode`).
    pub variant: &'static str,
    pub docs: Vec<Value>,
    /// An index mapping the cluster needs for this format (as an index template would give it).
    pub mapping: Option<Value>,
}

impl Fixture {
    pub fn name(&self) -> String {
        format!(
            "{}-{}{}",
            self.preset,
            format!("{:?}", self.kind).to_lowercase(),
            if self.variant.is_empty() { String::new() } else { format!("-{}", self.variant.replace(' ', "-")) }
        )
    }
    pub fn failures(&self) -> u64 {
        requests(self.kind).iter().filter(|r| r.failure.is_some()).count() as u64
    }
    pub fn ndjson(&self) -> String {
        self.docs.iter().map(|d| d.to_string() + "\n").collect()
    }
}

fn fixture(preset: &'static str, kind: Kind, variant: &'static str, shape: fn(&Req, &str) -> Value) -> Fixture {
    let docs = requests(kind).iter().map(|r| shape(r, variant)).collect();
    Fixture { preset, kind, variant, docs, mapping: mapping(preset) }
}

/// The mapping an index template gives each format (dynamic mapping otherwise): LiteLLM's
/// `startTime` is float epoch seconds (a shipper's ingest pipeline maps it as a date, LiteLLM's
/// own Elasticsearch guide sets @timestamp from it), Kong's `started_at` epoch milliseconds,
/// OTel's `@timestamp` the exporter's "ms.ns" string (the otel index templates map it as a
/// date), Envoy's numbers are strings in its default format (a template maps them as numbers),
/// LiteLLM's messages are stored, not indexed.
pub fn mapping(preset: &str) -> Option<Value> {
    let date = |format: &str| json!({"type": "date", "format": format});
    let long = json!({"type": "long", "ignore_malformed": true});
    // Strings as text + keyword with Filebeat's ignore_above (1024): long error messages stay
    // aggregatable.
    let strings = json!([{"strings": {"match_mapping_type": "string", "mapping": {
        "type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}}}}]);
    let mut m = match preset {
        // The messages hold text or content blocks: kept, not indexed (one field cannot be both).
        "litellm" => json!({"properties": {"startTime": date("epoch_second"), "endTime": date("epoch_second"),
                                            "completionStartTime": date("epoch_second"),
                                            "messages": {"type": "object", "enabled": false}}}),
        "kong" => json!({"properties": {"started_at": date("epoch_millis")}}),
        "otel" => json!({"properties": {"@timestamp": date("strict_date_optional_time||epoch_millis")}}),
        "envoy" | "envoy-ai-gateway" => {
            json!({"properties": {"duration": long, "bytes_received": long, "bytes_sent": long}})
        }
        _ => json!({"properties": {}}),
    };
    m["dynamic_templates"] = strings;
    Some(m)
}

// ---------------------------------------------------------------------------------------------
// LiteLLM: StandardLoggingPayload (BerriAI/litellm litellm/types/utils.py; docs/my-website/docs/
// proxy/logging_spec.md; litellm==1.110.2 litellm_logging.py get_standard_logging_object_payload:
// error_information all "" on success, prompt/completion tokens 0 on failure, `stream` true only
// when a stream was assembled, startTime/endTime float epoch seconds, response_time seconds).

fn litellm(r: &Req, _: &str) -> Value {
    // (error_code, error_class, error_message, llm_provider) — wordings from log-formats §1/§6:
    // _map_anthropic_exception (mini-swe-agent#184), litellm/exceptions.py, proxy hooks.
    let err = match r.failure {
        None => ("", "", "".to_string(), ""),
        Some(Kind::ProviderOverload) => ("500", "InternalServerError",
            r#"litellm.InternalServerError: AnthropicError - {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#.into(), "anthropic"),
        Some(Kind::RateLimit) => ("429", "RateLimitError",
            "litellm.RateLimitError: AnthropicException - {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"This request would exceed your organization's rate limit of 80,000 input tokens per minute.\"}}".into(), "anthropic"),
        Some(Kind::Budget) => ("422", "BudgetExceededError",
            "Budget has been exceeded! Current cost: 100.42, Max budget: 100.0".into(), ""),
        Some(Kind::Network) => ("500", "APIConnectionError",
            "litellm.APIConnectionError: AnthropicException - peer closed connection without sending complete message body (incomplete chunked read)".into(), "anthropic"),
        Some(Kind::Timeout) => ("408", "Timeout",
            "litellm.Timeout: APITimeoutError - Request timed out. Error_str: Request timed out.".into(), "anthropic"),
        Some(Kind::InvalidModel) => ("400", "BadRequestError",
            "acompletion: Invalid model name passed in model=claude-opus-9. Call `/v1/models` to view available models for your key.".into(), ""),
        Some(Kind::ClientGone) => ("499", "ClientDisconnected", "Client disconnected the request".into(), ""),
        Some(Kind::GatewayDown) => ("503", "ServiceUnavailableError", "litellm.ServiceUnavailableError: no deployments".into(), ""),
    };
    let start = r.ts_ms as f64 / 1000.0;
    let (pt, ct) = if r.ok() { (r.tokens_in, r.tokens_out) } else { (0, 0) };
    json!({
        "id": if r.ok() { format!("msg_{}", r.id) } else { r.id.clone() },
        "trace_id": format!("trace-{}", r.n),
        "litellm_call_id": r.id,
        "call_type": "acompletion",
        "stream": Value::Null,
        "status": if r.ok() { "success" } else { "failure" },
        "custom_llm_provider": "anthropic",
        "startTime": start,
        "endTime": start + r.latency_ms as f64 / 1000.0,
        "completionStartTime": start + r.latency_ms as f64 / 1000.0,
        "response_time": r.latency_ms as f64 / 1000.0,
        "model": r.model,
        "model_group": "claude-sonnet",
        "model_id": "a3f1c0de",
        "api_base": "https://api.anthropic.com/v1/messages",
        "metadata": {"user_api_key_hash": r.key, "user_api_key_alias": "svc", "user_api_key_team_alias": r.env,
                     "requester_ip_address": "10.0.0.7"},
        "cache_hit": false,
        "prompt_tokens": pt,
        "completion_tokens": ct,
        "total_tokens": pt + ct,
        "requester_ip_address": "10.0.0.7",
        "messages": r.messages(),
        "model_parameters": {"max_tokens": 1024},
        "hidden_params": {"litellm_model_name": format!("anthropic/{}", r.model)},
        "error_str": if r.ok() { Value::Null } else { json!(err.2) },
        "error_information": {"error_code": err.0, "error_class": err.1, "error_message": err.2, "llm_provider": err.3,
                              "traceback": ""}
    })
}

// ---------------------------------------------------------------------------------------------
// OpenTelemetry GenAI spans as the collector's Elasticsearch exporter indexes them.
// otel mode: open-telemetry/opentelemetry-collector-contrib exporter/elasticsearchexporter
// internal/serializer/otelserializer/traces.go (@timestamp "ms.ns" string, duration ns,
// attributes with literal dotted keys, status {code, message}, resource.attributes).
// ecs mode: the same exporter's model_test.go TestEncodeSpanECSMode (trace.id, span.id,
// event.outcome, attributes passed through as ECS paths; no duration).
// Attributes: open-telemetry/semantic-conventions docs/gen-ai/anthropic.md; error.type is the
// SDK class (opentelemetry-python-contrib instrumentation-genai anthropic patch.py) and the
// status message `str(exc)` = anthropic-sdk-python `Error code: NNN - {body}` (_base_client.py).

fn otel(r: &Req, variant: &str) -> Value {
    let (class, message) = match r.failure {
        None => ("", String::new()),
        Some(Kind::ProviderOverload) => ("OverloadedError",
            "Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}, 'request_id': 'req_011CVabc'}".into()),
        Some(Kind::RateLimit) => ("RateLimitError",
            "Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': \"This request would exceed your organization's rate limit of 80,000 input tokens per minute.\"}}".into()),
        Some(Kind::Network) => ("APIConnectionError", "Connection error.".into()),
        Some(Kind::InvalidModel) => ("NotFoundError",
            "Error code: 404 - {'type': 'error', 'error': {'type': 'not_found_error', 'message': 'model: claude-opus-9'}}".into()),
        Some(_) => ("InternalServerError", "Error code: 500 - {'type': 'error', 'error': {'type': 'api_error'}}".into()),
    };
    let tokens = r.ok().then_some((r.tokens_in, r.tokens_out));
    if variant == "ecs mode" {
        let mut doc = json!({
            "@timestamp": r.rfc3339(),
            "trace": {"id": format!("4bf92f3577b34da6a3ce929d0e0e{:04x}", r.n)},
            "span": {"id": format!("00f067aa0ba9{:04x}", r.n), "name": format!("chat {}", r.model), "kind": "CLIENT"},
            "event": {"outcome": if r.ok() { "success" } else { "failure" }},
            "service": {"name": "support-bot", "environment": r.env},
            "cloud": {"region": r.region},
            "gen_ai": {"operation": {"name": "chat"}, "system": "anthropic", "request": {"model": r.model}}
        });
        if let Some((i, o)) = tokens {
            doc["gen_ai"]["usage"] = json!({"input_tokens": i, "output_tokens": o});
        }
        if !r.ok() {
            doc["error"] = json!({"type": class, "message": message});
        }
        return doc;
    }
    let mut attributes = json!({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "anthropic",
        "gen_ai.request.model": r.model,
        "server.address": "api.anthropic.com"
    });
    if let Some((i, o)) = tokens {
        attributes["gen_ai.usage.input_tokens"] = json!(i);
        attributes["gen_ai.usage.output_tokens"] = json!(o);
    }
    if !r.ok() {
        attributes["error.type"] = json!(class);
    }
    json!({
        "@timestamp": format!("{}.{:06}", r.ts_ms, (r.n * 7919) % 1_000_000),
        "data_stream": {"type": "traces", "dataset": "generic.otel", "namespace": "default"},
        "trace_id": format!("4bf92f3577b34da6a3ce929d0e0e{:04x}", r.n),
        "span_id": format!("00f067aa0ba9{:04x}", r.n),
        "name": format!("chat {}", r.model),
        "kind": "Client",
        "duration": r.latency_ms * 1_000_000,
        "attributes": attributes,
        "status": if r.ok() { json!({"code": "Unset"}) } else { json!({"code": "Error", "message": message}) },
        "resource": {"attributes": {"service.name": "support-bot", "deployment.environment.name": r.env,
                                    "cloud.region": r.region}},
        "scope": {"name": "opentelemetry.instrumentation.anthropic", "version": "0.1b0"}
    })
}

// ---------------------------------------------------------------------------------------------
// Envoy Gateway's default JSON access log (envoyproxy/gateway internal/xds/translator/accesslog.go
// EnvoyTextLogFormat: every value a string, "-" when unset), flags and details from envoyproxy/envoy
// docs/root/configuration/observability/access_log/usage.rst and response_code_details.rst; real
// lines `503 UH no_healthy_upstream`, `503 UF upstream_reset_before_response_started{connection_failure,
// delayed_connect_error:_111}`, `504 UT upstream_response_timeout` (renuka-fernando/examples
// envoy/simple/README.md), `0 DC downstream_remote_disconnect`.
// The AI Gateway variant (envoyproxy/ai-gateway site/docs/capabilities/observability/accesslogs.md)
// adds genai_* keys, is typed JSON (numbers, null when unset), and tokens come from the response
// (null when the call failed).

fn envoy_outcome(r: &Req, ai: bool) -> (u16, &'static str, &'static str, &'static str) {
    match r.failure {
        None => (200, "-", "via_upstream", "-"),
        Some(Kind::ProviderOverload) => (529, "-", "via_upstream", "-"),
        Some(Kind::RateLimit) => (429, "-", "via_upstream", "-"),
        Some(Kind::GatewayDown) if ai => (503, "UO", "upstream_reset_before_response_started{overflow}", "-"),
        Some(Kind::GatewayDown) => (503, "UH", "no_healthy_upstream", "-"),
        Some(Kind::Network) if ai => (503, "UC", "upstream_reset_before_response_started{connection_termination}", "-"),
        Some(Kind::Network) => (
            503,
            "UF,URX",
            "upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}",
            "delayed_connect_error:_111",
        ),
        Some(Kind::Timeout) => (504, "UT", "upstream_response_timeout", "-"),
        Some(Kind::ClientGone) => (0, "DC", "downstream_remote_disconnect", "-"),
        Some(_) => (400, "-", "via_upstream", "-"),
    }
}

fn envoy(r: &Req, _: &str) -> Value {
    let (status, flags, details, transport) = envoy_outcome(r, false);
    json!({
        "start_time": r.rfc3339(),
        "method": "POST",
        "x-envoy-origin-path": "/v1/messages",
        "protocol": "HTTP/1.1",
        "response_code": status.to_string(),
        "response_flags": flags,
        "response_code_details": details,
        "connection_termination_details": "-",
        "upstream_transport_failure_reason": transport,
        "bytes_received": r.body_bytes().to_string(),
        "bytes_sent": if status == 0 { "0".to_string() } else { "1480".to_string() },
        "duration": r.latency_ms.to_string(),
        "x-envoy-upstream-service-time": if details == "via_upstream" { (r.latency_ms - 3).to_string() } else { "-".into() },
        "x-forwarded-for": "10.0.0.7",
        "user-agent": "anthropic-python/0.40.0",
        "x-request-id": r.id,
        ":authority": "api.anthropic.com",
        "upstream_host": if flags == "UH" { "-" } else { "160.79.104.10:443" },
        "upstream_cluster": "httproute/default/anthropic/rule/0",
        "upstream_local_address": "10.4.0.17:51234",
        "downstream_local_address": "10.4.0.17:10080",
        "downstream_remote_address": "10.0.0.7:40312",
        "requested_server_name": "-",
        "route_name": "httproute/default/anthropic/rule/0/match/0/*"
    })
}

fn envoy_ai(r: &Req, _: &str) -> Value {
    let (status, flags, details, transport) = envoy_outcome(r, true);
    let tokens = |v: u64| if r.ok() { json!(v) } else { Value::Null };
    json!({
        ":authority": "llm.internal.example",
        "bytes_received": r.body_bytes(),
        "bytes_sent": 432,
        "connection_termination_details": Value::Null,
        "downstream_local_address": "127.0.0.1:1975",
        "downstream_remote_address": "127.0.0.1:64484",
        "duration": r.latency_ms,
        "genai_backend_name": "default/anthropic/route/claude/rule/0/ref/0",
        "genai_model_name": r.model,
        "genai_model_name_override": Value::Null,
        "genai_tokens_input": tokens(r.tokens_in),
        "genai_tokens_output": tokens(r.tokens_out),
        "genai_tokens_total": if r.ok() { json!(r.tokens_in + r.tokens_out) } else { Value::Null },
        "method": "POST",
        "protocol": "HTTP/1.1",
        "requested_server_name": Value::Null,
        "response_code": status,
        "response_code_details": details,
        "response_flags": flags,
        "route_name": "httproute/default/claude/rule/0/match/0/*",
        "start_time": r.rfc3339(),
        "upstream_cluster": "httproute/default/claude/rule/0",
        "upstream_host": "160.79.104.10:443",
        "upstream_local_address": "192.168.1.38:64485",
        "upstream_transport_failure_reason": if transport == "-" { Value::Null } else { json!(transport) },
        "user-agent": "anthropic-python/0.40.0",
        "x-envoy-origin-path": "/v1/messages",
        "x-envoy-upstream-service-time": "451",
        "x-forwarded-for": "192.168.1.38",
        "x-request-id": r.id
    })
}

// ---------------------------------------------------------------------------------------------
// Bedrock model invocation logs. raw: the ModelInvocationLog record CloudWatch Logs / S3 get
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html; errorCode
// only on failures, inputBodyJson the request). elastic: what the aws_bedrock integration makes of
// it (elastic/integrations packages/aws_bedrock/data_stream/invocation/elasticsearch/ingest_pipeline/
// default.yml: fields renamed to snake_case under aws_bedrock.invocation, timestamp -> @timestamp,
// identity.arn -> user.id, region -> cloud.region, operation -> event.action,
// gen_ai.performance.request_size = the length of the request JSON). Error names: the Bedrock
// runtime API (troubleshooting-api-error-codes.html).

fn bedrock(r: &Req, variant: &str) -> Value {
    let error = match r.failure {
        None => None,
        Some(Kind::RateLimit) => Some("ThrottlingException"),
        Some(Kind::ProviderOverload) => Some("ServiceUnavailableException"),
        Some(Kind::Timeout) => Some("ModelTimeoutException"),
        Some(_) => Some("InternalServerException"),
    };
    let body = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024, "messages": r.messages()});
    let model = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    let arn = format!("arn:aws:sts::123456789012:assumed-role/{}/app", if r.n % 2 == 0 { "chat" } else { "batch" });
    if variant == "elastic" {
        let mut inv = json!({
            "schema_type": "ModelInvocationLog", "schema_version": "1.0", "request_id": r.id, "model_id": model,
            "input": {"input_content_type": "application/json", "input_body_json": body}
        });
        let mut doc = json!({
            "@timestamp": r.rfc3339(),
            "cloud": {"account": {"id": "123456789012"}, "region": r.region, "service": {"name": "bedrock"}},
            "user": {"id": arn},
            "event": {"action": "InvokeModel", "outcome": if r.ok() { "success" } else { "failure" }},
            "gen_ai": {"model": {"id": model}, "request": {"id": r.id},
                       "performance": {"request_size": body.to_string().len()}},
            "aws_bedrock": {"invocation": Value::Null}
        });
        if r.ok() {
            inv["input"]["input_token_count"] = json!(r.tokens_in);
            inv["output"] = json!({"output_token_count": r.tokens_out});
            doc["gen_ai"]["usage"] = json!({"prompt_tokens": r.tokens_in, "completion_tokens": r.tokens_out});
        }
        if let Some(e) = error {
            inv["error_code"] = json!(e);
            doc["gen_ai"]["response"] = json!({"error_code": e});
        }
        doc["aws_bedrock"]["invocation"] = inv;
        return doc;
    }
    let mut doc = json!({
        "schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "timestamp": r.rfc3339(),
        "accountId": "123456789012", "identity": {"arn": arn}, "region": r.region, "requestId": r.id,
        "operation": "InvokeModel", "modelId": model,
        "input": {"inputContentType": "application/json", "inputBodyJson": body}
    });
    if r.ok() {
        doc["input"]["inputTokenCount"] = json!(r.tokens_in);
        doc["output"] = json!({"outputContentType": "application/json", "outputTokenCount": r.tokens_out});
    }
    if let Some(e) = error {
        doc["errorCode"] = json!(e);
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Kong http-log / file-log (https://docs.konghq.com/hub/kong-inc/http-log/3.7.x/log-format:
// started_at epoch ms, latencies.request ms, response.status, upstream_status, tries[], source
// "upstream" or "kong") with the AI Proxy fields (Kong/developer.konghq.com
// app/ai-gateway/ai-audit-log-reference.md: ai.proxy.meta, ai.proxy.usage).

fn kong(r: &Req, _: &str) -> Value {
    let (status, source) = match r.failure {
        None => (200, "upstream"),
        Some(Kind::ProviderOverload) => (529, "upstream"),
        Some(Kind::RateLimit) => (429, "upstream"),
        // "An invalid response was received from the upstream server" / its own timeout: Kong's answer.
        Some(Kind::GatewayDown) => (502, "kong"),
        Some(Kind::Timeout) => (504, "kong"),
        Some(_) => (500, "upstream"),
    };
    let mut doc = json!({
        "started_at": r.ts_ms,
        "client_ip": "192.168.65.1",
        "request": {"id": r.id, "method": "POST", "uri": "/anthropic/v1/messages", "size": r.body_bytes(),
                    "url": "http://kong:8000/anthropic/v1/messages",
                    "headers": {"content-type": "application/json", "user-agent": "anthropic-python/0.40.0"}},
        "response": {"status": status, "size": 1480},
        "upstream_status": status.to_string(),
        "latencies": {"request": r.latency_ms, "proxy": r.latency_ms.saturating_sub(3), "kong": 3},
        "tries": [{"ip": "160.79.104.10", "port": 443, "balancer_latency": 0}],
        "service": {"name": "anthropic", "host": "api.anthropic.com"},
        "route": {"name": "claude"},
        "consumer": {"id": if r.n % 2 == 0 { "c-1a2b" } else { "c-5e6f" }, "username": "svc"},
        "source": source,
        "ai": {"proxy": {"meta": {"request_model": r.model, "provider_name": "anthropic", "plugin_id": "546c3856"}}}
    });
    if r.ok() {
        doc["ai"]["proxy"]["usage"] = json!({"prompt_tokens": r.tokens_in, "completion_tokens": r.tokens_out,
                                             "total_tokens": r.tokens_in + r.tokens_out});
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Cloudflare AI Gateway, Logs API (https://developers.cloudflare.com/api/resources/ai_gateway/
// subresources/logs/methods/list/: cached, cost, created_at, duration ms, id, model, provider,
// status_code, success, tokens_in, tokens_out) and Logpush ai_gateway_events (RateLimited).

fn cloudflare(r: &Req, _: &str) -> Value {
    let status = match r.failure {
        None => 200,
        Some(Kind::ProviderOverload) => 529,
        Some(Kind::RateLimit) => 429,
        Some(_) => 500,
    };
    let mut doc = json!({
        "id": r.id, "created_at": r.rfc3339(), "duration": r.latency_ms, "model": r.model, "model_type": "chat",
        "path": "v1/messages", "provider": "anthropic", "request_type": "messages", "status_code": status,
        "success": r.ok(), "cached": false, "step": 0,
        "tokens_in": if r.ok() { r.tokens_in } else { 0 }, "tokens_out": if r.ok() { r.tokens_out } else { 0 },
        "cost": 0.0031
    });
    if r.failure == Some(Kind::RateLimit) {
        // The gateway's own rate limit (Logpush `RateLimited`).
        doc["RateLimited"] = json!(true);
    }
    doc
}

/// Every fixture: per preset, each failure kind its format can show.
pub fn all() -> Vec<Fixture> {
    use Kind::*;
    let mut out = Vec::new();
    for kind in [ProviderOverload, RateLimit, Budget, Network, Timeout, InvalidModel, ClientGone] {
        out.push(fixture("litellm", kind, "", litellm));
    }
    for kind in [ProviderOverload, RateLimit, Network, InvalidModel] {
        out.push(fixture("otel", kind, "otel mode", otel));
    }
    out.push(fixture("otel", ProviderOverload, "ecs mode", otel));
    for kind in [GatewayDown, ProviderOverload, Network, Timeout, RateLimit, ClientGone] {
        out.push(fixture("envoy", kind, "", envoy));
    }
    for kind in [GatewayDown, ProviderOverload, Network, Timeout] {
        out.push(fixture("envoy-ai-gateway", kind, "", envoy_ai));
    }
    for kind in [RateLimit, ProviderOverload, Timeout] {
        out.push(fixture("bedrock", kind, "raw", bedrock));
    }
    for kind in [RateLimit, Timeout] {
        out.push(fixture("bedrock", kind, "elastic", bedrock));
    }
    for kind in [GatewayDown, ProviderOverload, RateLimit, Timeout] {
        out.push(fixture("kong", kind, "", kong));
    }
    for kind in [ProviderOverload, RateLimit] {
        out.push(fixture("cloudflare", kind, "", cloudflare));
    }
    out
}
