//! Writing records as the logs of other programs: the `faultline` and ECS field layouts, keys masked
//! the way gateways mask them, headers and bodies logged or not, other units and types.

use chrono::DateTime;
use sha2::{Digest, Sha256};

use super::incident::{Auth, Body, Rec};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// The `faultline` preset: flat snake_case fields.
    Faultline,
    /// ECS as Filebeat/Elastic Agent ship it: nested objects (`http.response.status_code`, ...).
    Ecs,
    /// ECS with literal dotted keys at the top level (`"http.response.status_code": 503`), as some
    /// shippers and the OTel exporter's attribute maps write them.
    EcsDotted,
}

/// How the logging program masks the credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mask {
    /// `sk-ant-api03-S…`: prefix, one character, an ellipsis.
    Ellipsis,
    /// `sk-ant-api03-Sx7Qe...`
    Dots,
    /// LiteLLM's `f"{api_key[:4]}****{api_key[-4:]}"`: `sk-a****xyAA` (proxy/auth/user_api_key_auth.py).
    First4Last4,
    /// `sk-ant-api03-********`: the key characters replaced, anything else kept.
    Stars,
    /// `[REDACTED]` in place of the whole header value.
    Redacted,
    /// `<redacted>` in place of the whole header value.
    AngleRedacted,
    /// A hash in place of the key: `sha256:1a2b3c4d`.
    Hash,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Headers {
    /// An object with lowercase names.
    Object,
    /// An object whose values are arrays (Filebeat / Go `http.Header`).
    Arrays,
    /// One string of `name: value` lines.
    Lines,
    /// Not logged.
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyHash {
    /// `sha256:` and the first 8 hex digits.
    Short,
    /// The full hex sha256 (LiteLLM `user_api_key_hash`).
    Hex,
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Time {
    /// `2026-11-03T08:00:01.234Z`
    Z,
    /// `2026-11-03T08:00:01.234+00:00`
    Offset,
    /// Epoch milliseconds as a number.
    EpochMs,
}

#[derive(Clone, Debug)]
pub struct Style {
    pub schema: Schema,
    pub mask: Mask,
    pub headers: Headers,
    pub body: bool,
    /// Cut the logged body at this many bytes (gateways log a prefix of large bodies).
    pub body_cut: Option<usize>,
    pub key_hash: KeyHash,
    pub time: Time,
    /// Request ids as UUIDs (Envoy `x-request-id`) rather than `req_...`.
    pub uuid_ids: bool,
    pub tokens: bool,
    pub bytes: bool,
    pub concurrency: bool,
    pub stream: bool,
    pub net: bool,
    /// ECS `labels.*` written as strings (`labels.stream: "false"`), as keyword labels are.
    pub label_strings: bool,
    /// Two gateway replicas' logs one after the other, not merged by time.
    pub replicas: bool,
    /// Headers and body logged for failed requests only (gateways that log details on error).
    pub details_on_failure: bool,
    /// The status as a string (`"503"`), as Envoy's default `json_format` writes `response_code`.
    pub status_strings: bool,
}

impl Style {
    pub fn faultline(mask: Mask) -> Style {
        Style {
            schema: Schema::Faultline,
            mask,
            headers: Headers::Object,
            body: true,
            body_cut: None,
            key_hash: KeyHash::Short,
            time: Time::Z,
            uuid_ids: false,
            tokens: true,
            bytes: true,
            concurrency: true,
            stream: true,
            net: true,
            label_strings: false,
            replicas: false,
            details_on_failure: false,
            status_strings: false,
        }
    }

    pub fn ecs(mask: Mask) -> Style {
        Style { schema: Schema::Ecs, headers: Headers::Arrays, time: Time::Offset, ..Style::faultline(mask) }
    }

    /// Neither headers nor bodies logged.
    pub fn bare(mut self) -> Style {
        self.headers = Headers::Off;
        self.body = false;
        self
    }
}

struct Names {
    time: &'static str,
    id: &'static str,
    method: &'static str,
    path: &'static str,
    status: &'static str,
    latency: &'static str,
    bytes: &'static str,
    tokens: &'static str,
    out: &'static str,
    model: &'static str,
    stream: &'static str,
    hash: &'static str,
    ip: &'static str,
    env: &'static str,
    conc: &'static str,
    tag: &'static str,
    region: &'static str,
    etype: &'static str,
    emsg: &'static str,
    net: &'static str,
    headers: &'static str,
    body: &'static str,
}

const FAULTLINE: Names = Names {
    time: "@timestamp",
    id: "request_id",
    method: "method",
    path: "path",
    status: "status_code",
    latency: "latency_ms",
    bytes: "payload_bytes",
    tokens: "payload_token_count",
    out: "output_tokens",
    model: "model",
    stream: "stream",
    hash: "api_key_hash",
    ip: "client_ip",
    env: "client_environment",
    conc: "concurrent_request_count",
    tag: "forwarder_tag",
    region: "endpoint_region",
    etype: "error_type",
    emsg: "error_message",
    net: "network_error",
    headers: "request_header",
    body: "request_body",
};

const ECS: Names = Names {
    time: "@timestamp",
    id: "http.request.id",
    method: "http.request.method",
    path: "url.path",
    status: "http.response.status_code",
    latency: "event.duration",
    bytes: "http.request.body.bytes",
    tokens: "gen_ai.usage.input_tokens",
    out: "gen_ai.usage.output_tokens",
    model: "gen_ai.request.model",
    stream: "labels.stream",
    hash: "labels.api_key_hash",
    ip: "client.ip",
    env: "service.environment",
    conc: "labels.concurrent_request_count",
    tag: "labels.forwarder_tag",
    region: "cloud.region",
    etype: "error.type",
    emsg: "error.message",
    net: "labels.network_error",
    headers: "http.request.headers",
    body: "http.request.body.content",
};

/// A JSON value already written as text.
enum Node {
    Leaf(String),
    Obj(Vec<(String, Node)>),
}

/// A JSON document built by dotted paths, as nested objects or literal dotted keys, written by
/// hand (a debug build spends most of its time in serde_json's `Value` otherwise).
struct Doc {
    root: Vec<(String, Node)>,
    dotted: bool,
}

impl Doc {
    fn put(&mut self, path: &str, json: String) {
        if self.dotted || !path.contains('.') || path.starts_with('@') {
            self.root.push((path.to_string(), Node::Leaf(json)));
            return;
        }
        let parts: Vec<&str> = path.split('.').collect();
        let mut cur = &mut self.root;
        for p in &parts[..parts.len() - 1] {
            let at = match cur.iter().position(|(k, n)| k == p && matches!(n, Node::Obj(_))) {
                Some(at) => at,
                None => {
                    cur.push((p.to_string(), Node::Obj(Vec::new())));
                    cur.len() - 1
                }
            };
            cur = match &mut cur[at].1 {
                Node::Obj(children) => children,
                Node::Leaf(_) => return,
            };
        }
        cur.push((parts[parts.len() - 1].to_string(), Node::Leaf(json)));
    }

    fn text(&self) -> String {
        fn write(nodes: &[(String, Node)], out: &mut String) {
            out.push('{');
            for (i, (k, n)) in nodes.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(k);
                out.push_str("\":");
                match n {
                    Node::Leaf(j) => out.push_str(j),
                    Node::Obj(children) => write(children, out),
                }
            }
            out.push('}');
        }
        let mut out = String::with_capacity(1024);
        write(&self.root, &mut out);
        out
    }
}

/// A JSON string literal of a value known to need no escaping (ids, names, regions, times).
fn plain(s: &str) -> String {
    format!("\"{s}\"")
}

/// A JSON string literal of a request body: JSON text built from plain words, so only quotes and
/// backslashes need escaping (`str::replace` finds them with the standard library's fast search).
fn js_body(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A JSON string literal.
fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    out.push('"');
    // Copy runs of plain bytes whole: a debug build is slow per byte.
    let mut rest = s;
    while let Some(at) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
        out.push_str(&rest[..at]);
        let c = rest.as_bytes()[at];
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\u{c:04x}")),
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
    out
}

pub fn sha256_hex(s: &str) -> String {
    // Few distinct keys, many records: hash each once (sha2 is slow in a debug build).
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, String>> = Default::default();
    }
    SEEN.with(|seen| {
        seen.borrow_mut()
            .entry(s.to_string())
            .or_insert_with(|| Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect())
            .clone()
    })
}

/// The key hash a gateway logs: a hash of the key bytes it received.
pub fn key_hash(form: KeyHash, key: &str) -> Option<String> {
    match form {
        KeyHash::Short => Some(format!("sha256:{}", &sha256_hex(key)[..8])),
        KeyHash::Hex => Some(sha256_hex(key)),
        KeyHash::Off => None,
    }
}

/// The key as a log that masks it with `mask` shows it.
pub fn mask_key(mask: Mask, key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let take = |n: usize| chars.iter().take(n).collect::<String>();
    match mask {
        Mask::Ellipsis => format!("{}…", take(14)),
        Mask::Dots => format!("{}...", take(18)),
        Mask::First4Last4 => {
            let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
            format!("{}****{tail}", take(4))
        }
        Mask::Stars => {
            // Replace the run of key characters after the prefix; keep everything else.
            let prefix = "sk-ant-api03-";
            match key.find(prefix) {
                Some(at) => {
                    let rest = &key[at + prefix.len()..];
                    let run =
                        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
                    format!("{}{prefix}********{}", &key[..at], &rest[run..])
                }
                None => "********".into(),
            }
        }
        Mask::Redacted => "[REDACTED]".into(),
        Mask::AngleRedacted => "<redacted>".into(),
        Mask::Hash => format!("sha256:{}", &sha256_hex(key)[..8]),
    }
}

fn auth_header(mask: Mask, r: &Rec) -> (&'static str, String) {
    match (&r.auth, mask) {
        (Auth::XApiKey, _) => ("x-api-key", mask_key(mask, &r.key)),
        (Auth::Header(_), Mask::Redacted | Mask::AngleRedacted) => ("authorization", mask_key(mask, &r.key)),
        (Auth::Header(scheme), _) => ("authorization", format!("{scheme}{}", mask_key(mask, &r.key))),
    }
}

const WORDS: &[&str] = &[
    "summarise",
    "the",
    "incident",
    "report",
    "for",
    "review",
    "explain",
    "why",
    "deploy",
    "failed",
    "list",
    "open",
    "tickets",
    "refactor",
    "this",
    "function",
    "translate",
    "invoice",
    "customer",
    "latency",
    "cluster",
    "query",
];

fn filler(seed: &str, words: usize) -> String {
    let bytes = seed.as_bytes();
    (0..words).map(|i| WORDS[bytes[(i * 11 + 5) % bytes.len()] as usize % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

/// The request body as sent (the `messages` shape from the record), as JSON text.
pub fn body_text(r: &Rec) -> String {
    let text = plain(&filler(&r.id, 8));
    let turns = match r.body {
        Body::NoContent(i) | Body::NullRole(i) | Body::EmptyContent(i) => i + 2,
        _ => 1 + 2 * (r.id.as_bytes()[7] as usize % 2),
    };
    let turns = if turns % 2 == 0 { turns + 1 } else { turns };
    let messages: Vec<String> = (0..turns)
        .map(|i| {
            let role = if i % 2 == 0 { "user" } else { "assistant" };
            match r.body {
                Body::NoContent(j) if j == i => format!(r#"{{"role":"{role}"}}"#),
                Body::NullRole(j) if j == i => format!(r#"{{"role":null,"content":{text}}}"#),
                Body::EmptyContent(j) if j == i => format!(r#"{{"role":"{role}","content":""}}"#),
                Body::EmptyTextBlock if i == turns - 1 => {
                    format!(r#"{{"role":"{role}","content":[{{"type":"text","text":""}}]}}"#)
                }
                _ => format!(r#"{{"role":"{role}","content":{text}}}"#),
            }
        })
        .collect();
    let stream = if r.stream {
        r#","stream":true"#
    } else if r.says_stream_false {
        r#","stream":false"#
    } else {
        ""
    };
    format!(
        r#"{{"model":{},"max_tokens":{},"messages":[{}]{stream}}}"#,
        plain(&r.model),
        r.max_tokens,
        messages.join(",")
    )
}

fn uuid_of(id: &str) -> String {
    let h: String = Sha256::digest(id.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}

fn timestamp(form: Time, ms: i64) -> String {
    let t = DateTime::from_timestamp_millis(ms).unwrap_or_default();
    match form {
        Time::Z => plain(&t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
        Time::Offset => plain(&t.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()),
        Time::EpochMs => ms.to_string(),
    }
}

/// One log line.
pub fn render(style: &Style, r: &Rec) -> String {
    let n = if style.schema == Schema::Faultline { &FAULTLINE } else { &ECS };
    let ecs = style.schema != Schema::Faultline;
    let mut d = Doc { root: Vec::new(), dotted: style.schema == Schema::EcsDotted };
    // ECS keyword labels hold strings; elsewhere numbers and booleans stay what they are.
    let label = |v: String| if ecs && style.label_strings { plain(&v) } else { v };
    d.put(n.time, timestamp(style.time, r.t_ms));
    d.put(n.id, plain(&if style.uuid_ids { uuid_of(&r.id) } else { r.id.clone() }));
    d.put(n.method, plain("POST"));
    d.put(n.path, plain(r.path));
    d.put(n.status, if style.status_strings { plain(&r.status.to_string()) } else { r.status.to_string() });
    if ecs {
        d.put(n.latency, (r.latency_ms * 1_000_000 + (r.id.as_bytes()[9] as u64 * 3_917) % 1_000_000).to_string());
        d.put("event.outcome", plain(if r.failed() { "failure" } else { "success" }));
        d.put("ecs.version", plain("8.11.0"));
        d.put("service.name", plain("claude-gateway"));
    } else {
        d.put(n.latency, r.latency_ms.to_string());
    }
    if style.bytes {
        d.put(n.bytes, (r.in_tokens * 4 + 180).to_string());
    }
    if style.tokens {
        d.put(n.tokens, r.in_tokens.to_string());
        d.put(n.out, r.out_tokens.to_string());
    }
    d.put(n.model, plain(&r.model));
    if style.stream {
        d.put(n.stream, label(r.stream.to_string()));
    }
    if let Some(h) = key_hash(style.key_hash, &r.key) {
        d.put(n.hash, plain(&h));
    }
    d.put(n.ip, plain(&r.ip));
    d.put(n.env, plain(r.env));
    if style.concurrency {
        d.put(n.conc, label(r.conc.to_string()));
    }
    if let Some(t) = &r.tag {
        d.put(n.tag, plain(t));
    }
    d.put(n.region, plain(r.region));
    if let Some(t) = &r.etype {
        d.put(n.etype, plain(t));
    }
    if let Some(m) = &r.msg {
        d.put(n.emsg, js(m));
    }
    if style.net {
        if let Some(e) = r.net {
            d.put(n.net, plain(e));
        }
    }
    let details = r.failed() || !style.details_on_failure;
    if style.headers != Headers::Off && details {
        let (name, value) = auth_header(style.mask, r);
        let mut hs: Vec<(&str, String)> = vec![
            (name, value),
            ("anthropic-version", "2023-06-01".into()),
            ("content-type", "application/json".into()),
            ("user-agent", r.agent.into()),
        ];
        if r.retry > 0 {
            hs.push(("x-stainless-retry-count", r.retry.to_string()));
        }
        if let Some(o) = r.origin {
            hs.push(("origin", o.into()));
        }
        let v = match style.headers {
            Headers::Lines => js(&hs.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n")),
            _ => {
                let arrays = style.headers == Headers::Arrays;
                let fields: Vec<String> = hs
                    .iter()
                    .map(
                        |(k, v)| if arrays { format!("{}:[{}]", js(k), js(v)) } else { format!("{}:{}", js(k), js(v)) },
                    )
                    .collect();
                format!("{{{}}}", fields.join(","))
            }
        };
        d.put(n.headers, v);
    }
    if style.body && details {
        let mut b = body_text(r);
        if let Some(cut) = style.body_cut {
            if b.len() > cut {
                let mut at = cut;
                while !b.is_char_boundary(at) {
                    at -= 1;
                }
                b.truncate(at);
            }
        }
        d.put(n.body, js_body(&b));
    }
    d.text()
}
