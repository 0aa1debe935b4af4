//! The log schema: the logical fields of a request-log record (documented in docs/log-formats.md)
//! and the path of each in the two original presets (every preset, these two included,
//! is described in rules/presets.toml). `logs` reads records with it (and adds the
//! `--field` overrides and preset detection); `capture` reads one request out of a log document
//! with the paths of its request fields.

macro_rules! fields {
    ($( $variant:ident = $name:literal, $faultline:literal, $ecs:literal; )*) => {
        /// The logical fields of a request-log record.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $( $variant, )* }
        impl Field {
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];
            /// The name used by `--field NAME=PATH` and in reports.
            pub fn name(self) -> &'static str { match self { $( Field::$variant => $name, )* } }
            /// The path in the `faultline` preset (rules/presets.toml; a test holds them equal).
            pub fn faultline_path(self) -> &'static str { match self { $( Field::$variant => $faultline, )* } }
            /// The path in the `ecs` preset (rules/presets.toml; a test holds them equal).
            pub fn ecs_path(self) -> &'static str { match self { $( Field::$variant => $ecs, )* } }
        }
    };
}

fields! {
    Timestamp = "timestamp", "@timestamp", "@timestamp";
    RequestId = "request_id", "request_id", "http.request.id";
    Method = "method", "method", "http.request.method";
    Path = "path", "path", "url.path";
    Status = "status", "status_code", "http.response.status_code";
    Latency = "latency", "latency_ms", "event.duration";
    PayloadBytes = "payload_bytes", "payload_bytes", "http.request.body.bytes";
    PayloadTokens = "payload_tokens", "payload_token_count", "gen_ai.usage.input_tokens";
    OutputTokens = "output_tokens", "output_tokens", "gen_ai.usage.output_tokens";
    Model = "model", "model", "gen_ai.request.model";
    Stream = "stream", "stream", "labels.stream";
    KeyHash = "key_hash", "api_key_hash", "labels.api_key_hash";
    ClientIp = "client_ip", "client_ip", "client.ip";
    Environment = "environment", "client_environment", "service.environment";
    Concurrency = "concurrency", "concurrent_request_count", "labels.concurrent_request_count";
    ForwarderTag = "forwarder_tag", "forwarder_tag", "labels.forwarder_tag";
    Region = "region", "endpoint_region", "cloud.region";
    ErrorType = "error_type", "error_type", "error.type";
    ErrorMessage = "error_message", "error_message", "error.message";
    StackTrace = "stack_trace", "stack_trace", "error.stack_trace";
    NetworkError = "network_error", "network_error", "labels.network_error";
    Headers = "headers", "request_header", "http.request.headers";
    Body = "body", "request_body", "http.request.body.content";
}

pub const FIELD_COUNT: usize = Field::ALL.len();
