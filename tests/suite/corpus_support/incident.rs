//! The incident model: clients with their keys, background traffic minute by minute, and failures
//! put on top of it. Every record carries its true label here, in the generator; the label is never
//! written into the log line.

use std::collections::BTreeMap;

use chrono::DateTime;

use super::rng::{Rng, ALNUM, KEY_CHARS};

pub const MINUTE_MS: i64 = 60_000;

/// What really happened to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    Ok,
    Cause(&'static str),
    /// A failure none of the twelve causes explains (a 403, a 413, a too-long prompt, ...).
    Unexplained,
}

/// How a client authenticates: `x-api-key`, or `Authorization` with this text before the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    XApiKey,
    Header(&'static str),
}

/// The shape of the `messages` array a request sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    Good,
    /// Message `i` has no `content` key.
    NoContent(usize),
    /// Message `i` has `"role": null`.
    NullRole(usize),
    /// Message `i` (not the last) has `"content": ""`.
    EmptyContent(usize),
    /// The last user message is `[{"type":"text","text":""}]`.
    EmptyTextBlock,
}

impl Body {
    /// The API's answer to this body (Anthropic API validation messages as logged in public issues:
    /// `messages.N.content: Field required`, `messages.N.role: Input should be ...`,
    /// `messages.N: all messages must have non-empty content ...`, `messages: text content blocks ...`).
    pub fn wording(self) -> String {
        match self {
            Body::Good => String::new(),
            Body::NoContent(i) => format!("messages.{i}.content: Field required"),
            Body::NullRole(i) => format!("messages.{i}.role: Input should be 'user' or 'assistant'"),
            Body::EmptyContent(i) => format!(
                "messages.{i}: all messages must have non-empty content except for the optional final assistant message"
            ),
            Body::EmptyTextBlock => "messages: text content blocks must be non-empty".into(),
        }
    }
}

/// One service calling the API: where it runs, the key bytes it sends, what it sends.
#[derive(Clone, Debug)]
pub struct Client {
    pub env: &'static str,
    /// The key exactly as the client sends it (a hidden character included, when it has one).
    pub key: String,
    pub auth: Auth,
    pub weight: f64,
    pub net: u8,
    /// A fixed model, instead of the incident's model mix.
    pub model: Option<&'static str>,
    pub agent: &'static str,
    pub stream_share: f64,
    /// Share of requests above the 6,000-token mark, and how many of those stream.
    pub long_share: f64,
    pub long_stream_share: f64,
    /// Sends `"stream": false` explicitly (the SDKs send no `stream` key for non-streaming calls).
    pub says_stream_false: bool,
    pub origin: Option<&'static str>,
    pub region: Option<&'static str>,
    pub path: &'static str,
}

/// One logged request.
#[derive(Clone, Debug)]
pub struct Rec {
    pub t_ms: i64,
    pub minute: u32,
    pub id: String,
    pub path: &'static str,
    pub status: u16,
    pub latency_ms: u64,
    pub in_tokens: u64,
    pub out_tokens: u64,
    pub max_tokens: u64,
    pub model: String,
    pub stream: bool,
    pub says_stream_false: bool,
    pub client: usize,
    pub env: &'static str,
    pub key: String,
    pub auth: Auth,
    pub agent: &'static str,
    pub origin: Option<&'static str>,
    pub ip: String,
    pub conc: u64,
    pub tag: Option<String>,
    pub region: &'static str,
    pub etype: Option<String>,
    pub msg: Option<String>,
    pub net: Option<&'static str>,
    pub body: Body,
    pub retry: u8,
    pub label: Label,
}

impl Rec {
    pub fn failed(&self) -> bool {
        self.status >= 400
    }
}

/// The error fields of a failing record as the logging program wrote them.
#[derive(Clone, Debug, Default)]
pub struct Err {
    pub etype: Option<String>,
    pub msg: Option<String>,
}

/// A plain error text, written as it is (a gateway's own answer: Envoy, nginx, Kong, LiteLLM).
pub fn text(etype: Option<&str>, msg: &str) -> Err {
    Err { etype: etype.map(str::to_string), msg: Some(msg.to_string()) }
}

/// How the logging program writes an API error it received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrForm {
    /// `error_message` holds `error.message` only, `error_type` the `error.type`.
    Message,
    /// `error_message` holds the whole JSON error body (Anthropic API errors page, "Error shapes").
    Json,
    /// The Python SDK's string form: `Error code: 429 - {'type': 'error', ...}`, type = SDK class
    /// (anthropic-sdk-python `_make_status_error_from_response`, `_client.py::_make_status_error`).
    Sdk,
    /// LiteLLM's: `litellm.RateLimitError: AnthropicException - {...}` (`_map_anthropic_exception`).
    LiteLlm,
}

fn sdk_class(status: u16) -> &'static str {
    match status {
        400 => "BadRequestError",
        401 => "AuthenticationError",
        403 => "PermissionDeniedError",
        404 => "NotFoundError",
        409 => "ConflictError",
        413 => "RequestTooLargeError",
        422 => "UnprocessableEntityError",
        429 => "RateLimitError",
        529 => "OverloadedError",
        _ => "InternalServerError",
    }
}

fn litellm_class(status: u16) -> &'static str {
    match status {
        400 => "BadRequestError",
        401 => "AuthenticationError",
        404 => "NotFoundError",
        429 => "RateLimitError",
        503 => "ServiceUnavailableError",
        _ => "InternalServerError",
    }
}

/// Python's `repr` of a str, as the SDK's `Error code: N - {...}` prints it.
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::from(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

pub fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

pub fn anthropic_request_id(rng: &mut Rng) -> String {
    format!("req_011C{}", rng.chars(20, ALNUM))
}

impl ErrForm {
    /// An error answered by the Claude API: `{"type":"error","error":{"type":T,"message":M},"request_id":...}`.
    pub fn api(self, rng: &mut Rng, status: u16, etype: &str, msg: &str) -> Err {
        self.api_with(rng, status, etype, msg, None)
    }

    /// The same with `error.details` (the tier spend-cap 429 carries
    /// `"details":{"error_code":"enforced_spend_limit_reached"}`: Anthropic rate-limits page).
    pub fn api_with(self, rng: &mut Rng, status: u16, etype: &str, msg: &str, details: Option<&str>) -> Err {
        let rid = anthropic_request_id(rng);
        let json = match details {
            Some(code) => format!(
                r#"{{"type":"error","error":{{"type":"{etype}","message":{},"details":{{"error_code":"{code}"}}}},"request_id":"{rid}"}}"#,
                json_str(msg)
            ),
            None => {
                format!(
                    r#"{{"type":"error","error":{{"type":"{etype}","message":{}}},"request_id":"{rid}"}}"#,
                    json_str(msg)
                )
            }
        };
        match self {
            ErrForm::Message => text(Some(etype), msg),
            ErrForm::Json => text(Some(etype), &json),
            ErrForm::Sdk => {
                let details =
                    details.map(|code| format!(", 'details': {{'error_code': {}}}", py_repr(code))).unwrap_or_default();
                let repr = format!(
                    "{{'type': 'error', 'error': {{'type': {}, 'message': {}{details}}}, 'request_id': {}}}",
                    py_repr(etype),
                    py_repr(msg),
                    py_repr(&rid)
                );
                text(Some(sdk_class(status)), &format!("Error code: {status} - {repr}"))
            }
            ErrForm::LiteLlm => {
                let class = litellm_class(status);
                text(Some(class), &format!("litellm.{class}: AnthropicException - {json}"))
            }
        }
    }
}

/// What a failing record becomes.
pub struct Fail {
    pub status: u16,
    pub label: Label,
    pub err: Err,
    pub latency: (u64, u64),
    pub tag: Option<String>,
    pub net: Option<&'static str>,
}

impl Fail {
    pub fn cause(status: u16, cause: &'static str, err: Err) -> Self {
        Fail { status, label: Label::Cause(cause), err, latency: (20, 160), tag: None, net: None }
    }

    pub fn unexplained(status: u16, err: Err) -> Self {
        Fail { status, label: Label::Unexplained, err, latency: (20, 160), tag: None, net: None }
    }

    pub fn latency(mut self, lo: u64, hi: u64) -> Self {
        self.latency = (lo, hi);
        self
    }

    /// The forwarder tag of the component that answered.
    pub fn tag(mut self, tag: &str) -> Self {
        self.tag = Some(tag.to_string());
        self
    }

    pub fn net(mut self, net: &'static str) -> Self {
        self.net = Some(net);
        self
    }
}

/// The truth of one case: how many failures each cause really explains.
#[derive(Clone, Debug, Default)]
pub struct Truth {
    pub records: usize,
    pub failures: usize,
    pub by_cause: BTreeMap<&'static str, usize>,
    pub unexplained: usize,
    pub by_status: BTreeMap<u16, usize>,
}

impl Truth {
    pub fn of(recs: &[Rec]) -> Truth {
        let mut t = Truth { records: recs.len(), ..Truth::default() };
        for r in recs {
            *t.by_status.entry(r.status).or_default() += 1;
            match r.label {
                Label::Ok => {}
                Label::Cause(c) => *t.by_cause.entry(c).or_default() += 1,
                Label::Unexplained => t.unexplained += 1,
            }
            if r.failed() {
                t.failures += 1;
            }
        }
        t
    }

    pub fn count(&self, cause: &str) -> usize {
        self.by_cause.get(cause).copied().unwrap_or(0)
    }

    pub fn share(&self, cause: &str) -> f64 {
        if self.failures == 0 {
            0.0
        } else {
            self.count(cause) as f64 / self.failures as f64
        }
    }
}

pub struct Incident {
    pub rng: Rng,
    pub start_ms: i64,
    pub minutes: u32,
    /// Background requests per minute.
    pub rate: (u64, u64),
    /// In-flight requests per minute, as the gateway's gauge shows them.
    pub load: Vec<(u64, u64)>,
    pub clients: Vec<Client>,
    pub regions: Vec<(&'static str, f64)>,
    pub models: Vec<(&'static str, f64)>,
    /// The forwarder tag on the requests the provider answered (None: no such field).
    pub tag: Option<String>,
    pub form: ErrForm,
    pub recs: Vec<Rec>,
}

fn env_octet(env: &str) -> u8 {
    match env {
        "production" | "prod" => 12,
        "staging" => 20,
        "ci" => 31,
        "development" | "dev" | "local" => 40,
        _ => 50,
    }
}

impl Incident {
    pub fn new(seed: u64, start: &str, minutes: u32, rate: (u64, u64)) -> Self {
        let start_ms = DateTime::parse_from_rfc3339(start)
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|e| panic!("bad start time {start}: {e}"));
        let mut rng = Rng::new(seed);
        // A gently wandering in-flight gauge, well under the cap of 100.
        let mut level = rng.range(20, 40) as i64;
        let load = (0..minutes)
            .map(|_| {
                level = (level + rng.range(0, 10) as i64 - 5).clamp(12, 60);
                (level as u64, level as u64 + 12)
            })
            .collect();
        Incident {
            rng,
            start_ms,
            minutes,
            rate,
            load,
            clients: Vec::new(),
            regions: vec![("us-east-1", 0.55), ("eu-west-1", 0.3), ("ap-northeast-1", 0.15)],
            models: vec![("claude-sonnet-4-6", 0.55), ("claude-opus-4-8", 0.25), ("claude-sonnet-5", 0.2)],
            tag: None,
            form: ErrForm::Json,
            recs: Vec::new(),
        }
    }

    /// A fresh API key: `sk-ant-api03-` and 95 base64url characters ending in `AA`.
    pub fn new_key(&mut self) -> String {
        format!("sk-ant-api03-{}AA", self.rng.chars(93, KEY_CHARS))
    }

    /// A client in `env` with its own key, sending `x-api-key`, taking `weight` of the traffic.
    pub fn client(&mut self, env: &'static str, weight: f64) -> usize {
        let key = self.new_key();
        let net = 4 + 8 * self.clients.len() as u8;
        self.clients.push(Client {
            env,
            key,
            auth: Auth::XApiKey,
            weight,
            net,
            model: None,
            agent: "Anthropic/Python 0.121.0",
            stream_share: 0.3,
            long_share: 0.01,
            long_stream_share: 1.0,
            says_stream_false: false,
            origin: None,
            region: None,
            path: "/v1/messages",
        });
        self.clients.len() - 1
    }

    /// Background traffic over the whole window, every request a success.
    pub fn fill(&mut self) {
        for m in 0..self.minutes {
            let n = self.rng.range(self.rate.0, self.rate.1);
            for _ in 0..n {
                let t = self.start_ms + m as i64 * MINUTE_MS + self.rng.range(0, 59_999) as i64;
                let c = self.pick_client();
                self.push(t, c);
            }
        }
    }

    fn pick_client(&mut self) -> usize {
        let weights: Vec<(usize, f64)> =
            self.clients.iter().enumerate().filter(|(_, c)| c.weight > 0.0).map(|(i, c)| (i, c.weight)).collect();
        *self.rng.weighted(&weights)
    }

    /// Extra requests from `client` in minutes [from, to): a batch job, a burst.
    pub fn extra(&mut self, from: u32, to: u32, per_min: (u64, u64), client: usize) {
        for m in from..to.min(self.minutes) {
            let n = self.rng.range(per_min.0, per_min.1);
            for _ in 0..n {
                let t = self.start_ms + m as i64 * MINUTE_MS + self.rng.range(0, 59_999) as i64;
                self.push(t, client);
            }
        }
    }

    pub fn push(&mut self, t_ms: i64, client: usize) -> usize {
        let r = self.request(t_ms, client);
        self.recs.push(r);
        self.recs.len() - 1
    }

    /// A successful request from `client` at `t_ms`.
    pub fn request(&mut self, t_ms: i64, client: usize) -> Rec {
        let c = &self.clients[client];
        let rng = &mut self.rng;
        let long = rng.chance(c.long_share);
        let in_tokens = if long { rng.range(6_500, 16_000) } else { rng.log_range(120, 4_200) };
        let out_tokens = if long { rng.log_range(200, 800) } else { rng.log_range(30, 700) };
        let stream = if long { rng.chance(c.long_stream_share) } else { rng.chance(c.stream_share) };
        let model = match c.model {
            Some(m) => m.to_string(),
            None => rng.weighted(&self.models).to_string(),
        };
        let region = match c.region {
            Some(r) => r,
            None => rng.weighted(&self.regions),
        };
        let minute = ((t_ms - self.start_ms) / MINUTE_MS).clamp(0, self.minutes as i64 - 1) as u32;
        let (lo, hi) = self.load[minute as usize];
        let max_tokens = *rng.pick(&[1024, 2048, 4096, 8192]);
        Rec {
            t_ms,
            minute,
            id: format!("req_01{}", rng.chars(22, ALNUM)),
            path: c.path,
            status: 200,
            latency_ms: success_latency(rng, in_tokens, out_tokens),
            in_tokens,
            out_tokens,
            max_tokens,
            model,
            stream,
            says_stream_false: c.says_stream_false,
            client,
            env: c.env,
            key: c.key.clone(),
            auth: c.auth.clone(),
            agent: c.agent,
            origin: c.origin,
            ip: format!("10.{}.{}.{}", env_octet(c.env), c.net, rng.range(2, 250)),
            conc: rng.range(lo, hi),
            tag: self.tag.clone(),
            region,
            etype: None,
            msg: None,
            net: None,
            body: Body::Good,
            retry: 0,
            label: Label::Ok,
        }
    }

    /// Sets the in-flight gauge of minutes [from, to), for the records already there and to come.
    pub fn set_load(&mut self, from: u32, to: u32, lo: u64, hi: u64) {
        for m in from..to.min(self.minutes) {
            self.load[m as usize] = (lo, hi);
        }
        for r in self.recs.iter_mut().filter(|r| r.minute >= from && r.minute < to) {
            r.conc = self.rng.range(lo, hi);
        }
    }

    /// Changes successful records that `pick` selects (a deploy switching a header, a slow route).
    pub fn each(&mut self, pick: impl Fn(&Rec) -> bool, mut change: impl FnMut(&mut Rng, &mut Rec)) {
        for r in self.recs.iter_mut().filter(|r| !r.failed() && pick(r)) {
            change(&mut self.rng, r);
        }
    }

    /// Fails a share `frac` of the successful records that `pick` selects, each as `make` says.
    /// Returns how many failed.
    pub fn fail_where(
        &mut self,
        frac: f64,
        pick: impl Fn(&Rec) -> bool,
        mut make: impl FnMut(&mut Rng, &mut Rec) -> Fail,
    ) -> usize {
        let mut n = 0;
        for r in self.recs.iter_mut() {
            if r.failed() || !pick(r) || !self.rng.chance(frac) {
                continue;
            }
            let f = make(&mut self.rng, r);
            apply(&mut self.rng, r, f);
            n += 1;
        }
        n
    }

    /// Fails the first `n` successful records that `pick` selects (in the order they were made).
    pub fn fail_first(
        &mut self,
        n: usize,
        pick: impl Fn(&Rec) -> bool,
        mut make: impl FnMut(&mut Rng, &mut Rec) -> Fail,
    ) -> usize {
        let mut done = 0;
        for r in self.recs.iter_mut() {
            if done == n {
                break;
            }
            if r.failed() || !pick(r) {
                continue;
            }
            let f = make(&mut self.rng, r);
            apply(&mut self.rng, r, f);
            done += 1;
        }
        done
    }

    /// Fails `n` successful records picked at random over the whole window.
    pub fn sprinkle(&mut self, n: usize, mut make: impl FnMut(&mut Rng, &mut Rec) -> Fail) {
        let ok: Vec<usize> = (0..self.recs.len()).filter(|&i| !self.recs[i].failed()).collect();
        let mut chosen = std::collections::BTreeSet::new();
        while chosen.len() < n.min(ok.len()) {
            chosen.insert(*self.rng.pick(&ok));
        }
        for i in chosen {
            let f = make(&mut self.rng, &mut self.recs[i]);
            apply(&mut self.rng, &mut self.recs[i], f);
        }
    }

    /// The SDKs' automatic retries (2 by default, backoff 0.5 s then 1 s with jitter): each failure
    /// labelled `label` is retried with probability `p`; a retry fails the same way with probability
    /// `p_again`, else succeeds. (anthropic-sdk-python `_constants.py`, `_calculate_retry_timeout`.)
    pub fn retries(&mut self, label: Label, p: f64, p_again: f64) {
        let originals: Vec<usize> = (0..self.recs.len()).filter(|&i| self.recs[i].label == label).collect();
        for i in originals {
            if !self.rng.chance(p) {
                continue;
            }
            let mut t = self.recs[i].t_ms + self.recs[i].latency_ms as i64;
            for attempt in 1..=2u8 {
                t += (500.0 * 2f64.powi(attempt as i32 - 1) * (1.0 - 0.25 * self.rng.unit())) as i64;
                if ((t - self.start_ms) / MINUTE_MS) as u32 >= self.minutes {
                    break;
                }
                let mut again = self.recs[i].clone();
                again.t_ms = t;
                again.minute = ((t - self.start_ms) / MINUTE_MS) as u32;
                again.id = format!("req_01{}", self.rng.chars(22, ALNUM));
                again.retry = attempt;
                if let Some(m) = again.msg.as_mut() {
                    // A fresh request id inside the error body.
                    if let Some(pos) = m.find("req_011C") {
                        let fresh = anthropic_request_id(&mut self.rng);
                        m.replace_range(pos..pos + fresh.len(), &fresh);
                    }
                }
                let fails = self.rng.chance(p_again);
                if !fails {
                    again.status = 200;
                    again.label = Label::Ok;
                    again.etype = None;
                    again.msg = None;
                    again.net = None;
                    again.tag = self.tag.clone();
                    again.latency_ms = success_latency(&mut self.rng, again.in_tokens, again.out_tokens);
                }
                t += again.latency_ms as i64;
                self.recs.push(again);
                if !fails {
                    break;
                }
            }
        }
    }

    pub fn truth(&self) -> Truth {
        Truth::of(&self.recs)
    }
}

fn success_latency(rng: &mut Rng, in_tokens: u64, out_tokens: u64) -> u64 {
    // Time to first token, input processing, then ~100-160 output tokens a second.
    rng.range(250, 800) + in_tokens * rng.range(20, 40) / 1000 + out_tokens * rng.range(6, 10)
}

fn apply(rng: &mut Rng, r: &mut Rec, f: Fail) {
    r.status = f.status;
    r.label = f.label;
    r.etype = f.err.etype;
    r.msg = f.err.msg;
    r.latency_ms = rng.range(f.latency.0, f.latency.1);
    r.out_tokens = 0;
    if let Some(t) = f.tag {
        r.tag = Some(t);
    }
    r.net = f.net;
}
