//! The probe's result: one model that `report::probe::{human, json}` render. Its JSON form is
//! the `version: 1` contract documented in docs/probe.md. Nothing in it holds a credential:
//! keys appear as prefix + hash only, and every text that came from the network or a file
//! went through [`super::scrub`] first.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::knowledge::ModelStatus;

/// The version of the JSON contract.
pub const VERSION: u32 = 1;

/// Where the fault is, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every step passed on every path.
    Ok,
    /// The key: found locally (nothing sent) or rejected by the API.
    Credential,
    /// The gateway fails while the direct path works, or the gateway itself answered with an error.
    Gateway,
    /// The provider answered with an error of its own (overloaded, internal error) on the paths.
    Provider,
    /// No answer: DNS, connect, TLS or a timeout on the direct path; or something that is not the
    /// API answered it.
    Network,
    /// A short-term rate limit (429 with `retry-after`).
    RateLimit,
    /// Spend limit, monthly cap, credit balance or billing.
    Quota,
    /// The model ID is not served (404 `model: …`).
    Model,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Credential => "credential",
            Verdict::Gateway => "gateway",
            Verdict::Provider => "provider",
            Verdict::Network => "network",
            Verdict::RateLimit => "rate_limit",
            Verdict::Quota => "quota",
            Verdict::Model => "model",
        }
    }
}

/// The whole result.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub verdict: Verdict,
    /// The matching root cause of `faultline diagnose` (rules/causes.toml), where one applies.
    pub cause: Option<String>,
    /// The cause's title, for people.
    pub cause_title: Option<String>,
    /// One sentence: what was found.
    pub summary: String,
    /// Whether any request carrying the credential was sent (false when a local check stopped
    /// the probe).
    pub sent: bool,
    /// The date model status was evaluated at (YYYY-MM-DD).
    pub date: String,
    pub credentials: Credentials,
    pub model: ModelCheck,
    pub paths: Vec<PathReport>,
    /// The facts behind the verdict, direct and gateway side by side.
    pub evidence: Vec<String>,
    /// What to change: the verdict's own first steps, then the cause's actions from
    /// rules/causes.toml (the same texts `diagnose` prints).
    pub fix: Vec<String>,
}

/// What the environment holds and which credential is sent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Credentials {
    /// The variable whose value is sent.
    pub used: Option<String>,
    /// The header it is sent in: `x-api-key` or `authorization`.
    pub header: Option<&'static str>,
    /// The sent value as prefix + hash.
    pub shown: Option<String>,
    pub variables: Vec<Variable>,
    /// Local problems that stop the probe before anything is sent.
    pub problems: Vec<Problem>,
    /// Values that `.env` / `.envrc` files in the directory and its ancestors would set.
    pub env_files: Vec<EnvFileValue>,
    pub base_url: Option<BaseUrl>,
    /// Everything else worth knowing (proxy variables, empty variables).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variable {
    pub name: String,
    pub set: bool,
    /// Set, but to the empty string (the SDKs treat that as unset, or send an empty header).
    pub empty: bool,
    pub shown: Option<String>,
    /// The header the SDKs send this variable in.
    pub header: &'static str,
    /// Whether this probe sends it.
    pub used: bool,
}

/// A local finding about a credential: a lint rule (`FL001` …) or a probe check (`probe.…`).
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub code: String,
    pub variable: String,
    pub message: String,
    pub help: Option<String>,
}

/// One variable set by a `.env` / `.envrc` file.
#[derive(Debug, Clone, Serialize)]
pub struct EnvFileValue {
    pub path: String,
    pub line: usize,
    pub variable: String,
    /// The file's value as prefix + hash (`None` when the shell computes it: `$(…)`, `${…}`).
    pub shown: Option<String>,
    /// The environment's value of the same variable as prefix + hash, when it is set.
    pub environment: Option<String>,
    /// Whether the file's value differs from the environment's (`None` when not comparable).
    pub differs: Option<bool>,
}

/// `ANTHROPIC_BASE_URL`, when set.
#[derive(Debug, Clone, Serialize)]
pub struct BaseUrl {
    pub value: String,
    /// `provider` or `gateway`.
    pub points_at: &'static str,
    /// Whether this probe uses it as the gateway path.
    pub probed: bool,
}

/// The model the probe checks: what the knowledge base says at the date, what the paths say.
#[derive(Debug, Clone, Serialize)]
pub struct ModelCheck {
    pub id: String,
    pub name: Option<String>,
    /// `active`, `deprecated`, `retired` at `date`; `None` when the knowledge base does not
    /// know the ID.
    pub status: Option<ModelStatus>,
    pub replacement: Option<String>,
    /// Lint's model findings (FL2xx) on the probe's request.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathName {
    Direct,
    Gateway,
}

impl PathName {
    pub fn as_str(self) -> &'static str {
        match self {
            PathName::Direct => "direct",
            PathName::Gateway => "gateway",
        }
    }
}

/// One path: its URL and the steps it went through, in order, up to the first that failed.
#[derive(Debug, Clone, Serialize)]
pub struct PathReport {
    pub name: PathName,
    /// The base URL (credentials in it, if any, redacted).
    pub url: String,
    /// Where the URL came from: `--direct`, `--gateway`, `ANTHROPIC_BASE_URL`, `default`.
    pub source: String,
    pub ok: bool,
    /// Whether `GET /v1/models` listed the model (`None`: not asked, or the list was cut).
    pub model_listed: Option<bool>,
    pub steps: Vec<Step>,
}

impl PathReport {
    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.name == name)
    }

    /// The step that failed, if any (always the last one run).
    pub fn failed(&self) -> Option<&Step> {
        self.steps.iter().find(|s| !s.ok)
    }
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// An HTTP answer with a status of 300 or more.
    HttpError,
    /// A 2xx whose body is not what the API sends.
    Unexpected,
    /// The name did not resolve.
    DnsError,
    /// The TCP connection was refused or failed.
    ConnectError,
    /// The TLS handshake failed.
    TlsError,
    /// The connection broke mid-request.
    ConnectionError,
    /// No answer within `--timeout`.
    Timeout,
}

/// One step of a path.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `dns`, `connect`, `tls`, `models`, `count_tokens`, `messages`.
    pub name: &'static str,
    /// `GET /v1/models` and so on, for the HTTP steps.
    pub request: Option<String>,
    pub ok: bool,
    pub outcome: Outcome,
    /// Wall time of the step in milliseconds.
    pub ms: f64,
    /// HTTP steps: milliseconds until the response headers arrived.
    pub first_byte_ms: Option<f64>,
    pub status: Option<u16>,
    /// `error.type` of an API error body.
    pub error_type: Option<String>,
    /// `error.message` of an API error body, the title of an HTML error page, the first line
    /// of another body, or the transport error.
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
    /// Every `anthropic-ratelimit-*` header, by the name after that prefix.
    pub ratelimit: BTreeMap<String, String>,
    pub server: Option<String>,
    pub via: Option<String>,
    /// Who answered: `api` (an API error body or a `request-id`), `gateway` (something else on
    /// the gateway path), `other` (something else on the direct path).
    pub answered_by: Option<&'static str>,
    /// What the step learnt: the addresses, `9 input tokens`, `model listed`.
    pub detail: Option<String>,
}

impl Step {
    pub fn new(name: &'static str, outcome: Outcome, ms: f64) -> Step {
        Step {
            name,
            request: None,
            ok: outcome == Outcome::Ok,
            outcome,
            ms,
            first_byte_ms: None,
            status: None,
            error_type: None,
            message: None,
            request_id: None,
            retry_after: None,
            ratelimit: BTreeMap::new(),
            server: None,
            via: None,
            answered_by: None,
            detail: None,
        }
    }

    /// A transport step or a request that got no HTTP answer.
    pub fn is_transport_failure(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::DnsError | Outcome::ConnectError | Outcome::TlsError | Outcome::ConnectionError | Outcome::Timeout
        )
    }
}
