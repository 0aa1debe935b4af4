//! `faultline lint`: checks captured requests for the mistakes behind 400s and 401s.
//!
//! Each rule family lives in its own file with each rule's documentation beside it; `codes.rs`
//! is the one table of stable codes. `faultline explain CODE` and the SARIF rule metadata print
//! the same `RuleMeta` text.

pub mod auth;
pub mod cmd;
pub mod codes;
pub mod finding;
pub mod headers;
pub mod input;
pub mod messages;
pub mod model;
pub mod payload;
pub mod text;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::capture::jv;
use crate::capture::request;
pub use crate::capture::request::{Edit, Fix, PathSeg, Provider, Request, Target};
use crate::knowledge::Knowledge;
pub use finding::{Ctx, Finding};

/// Finding severity, ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which API the requests target, as the user chose it (`--provider`, `[lint] provider`):
/// `Auto` (or no choice) detects it from each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderChoice {
    Anthropic,
    Bedrock,
    Vertex,
    Openai,
    Auto,
}

/// Rule families, by code range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// FL0xx: the Authorization / x-api-key header.
    Auth,
    /// FL1xx: the messages array and body fields.
    Messages,
    /// FL2xx: the model ID.
    Model,
    /// FL3xx: payload size and streaming.
    Payload,
    /// FL4xx: other headers.
    Headers,
    /// FL9xx: unreadable input.
    Input,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Auth => "auth",
            Family::Messages => "messages",
            Family::Model => "model",
            Family::Payload => "payload",
            Family::Headers => "headers",
            Family::Input => "input",
        }
    }
}

/// Whether a rule can fix what it finds (ruff's FixAvailability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// A rule's stable identity and documentation.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Markdown: why it fails, an example, and the fix.
    pub explanation: &'static str,
}

/// Options of one lint run that the rules see.
#[derive(Debug, Clone, Copy)]
pub struct LintOptions {
    /// `None` or `Auto`: detect from the URL, headers and body.
    pub provider: Option<ProviderChoice>,
    /// Model status is evaluated at this date.
    pub date: chrono::NaiveDate,
}

/// Runs every rule over one request. Findings come in rule-family order.
pub fn check_request(knowledge: &Knowledge, req: &Request<'_>, opts: &LintOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    let parsed: Option<Result<jv::Json<'_>, serde_json::Error>> =
        req.body.filter(|b| !b.trim().is_empty()).map(serde_json::from_str);
    let body = parsed.as_ref().and_then(|p| p.as_ref().ok());
    let body_version = body.and_then(|b| b.get("anthropic_version")).and_then(|v| v.as_str());
    let provider = resolve_provider(opts.provider, || request::detect_provider(req, body_version));
    let ctx = Ctx { knowledge, provider, endpoint: request::endpoint(req.url), date: opts.date };
    auth::check(req, &ctx, &mut out);
    headers::check(req, &ctx, &mut out);
    if !ctx.body_rules_apply() {
        return out;
    }
    match (&parsed, req.body) {
        (Some(Err(e)), Some(text)) => {
            let offset = crate::capture::jsonspan::offset_of(text, e.line(), e.column());
            out.push(
                Finding::new(&input::FL901, Target::BodyOffset { offset }, format!("the body is not valid JSON: {e}"))
                    .help("serialise the body with a JSON library instead of string templates"),
            );
        }
        (Some(Ok(value)), Some(text)) => {
            let version = req.header("anthropic-version").map(|(_, v)| v);
            messages::check(value, &ctx, version, &mut out);
            if let Some(obj) = value.as_object() {
                model::check(obj, &ctx, &mut out);
                payload::check(obj, text.len(), &ctx, &mut out);
            }
        }
        _ => {}
    }
    if matches!(provider, Provider::Bedrock | Provider::Vertex) {
        if let Some(id) = req.url.and_then(|u| url_model(u, provider)) {
            model::check_id(&id, &[], &ctx, &mut out);
        }
    }
    out
}

/// How the caller chose the provider.
pub fn resolve_provider(choice: Option<ProviderChoice>, detected: impl FnOnce() -> Provider) -> Provider {
    match choice {
        Some(ProviderChoice::Anthropic) => Provider::Anthropic,
        Some(ProviderChoice::Bedrock) => Provider::Bedrock,
        Some(ProviderChoice::Vertex) => Provider::Vertex,
        Some(ProviderChoice::Openai) => Provider::Openai,
        Some(ProviderChoice::Auto) | None => detected(),
    }
}

/// The model ID a Bedrock (`/model/{id}/invoke`) or Vertex (`/models/{id}:rawPredict`) URL names.
pub fn url_model(url: &str, provider: Provider) -> Option<String> {
    let path = request::url_path(url);
    let raw = match provider {
        Provider::Bedrock => path.split("/model/").nth(1)?.split('/').next()?,
        Provider::Vertex => path.split("/models/").nth(1)?.split(':').next()?,
        _ => return None,
    };
    let decoded = raw.replace("%3A", ":").replace("%3a", ":").replace("%40", "@");
    // ARNs and inference-profile IDs are not model IDs this table knows.
    (!decoded.is_empty() && !decoded.starts_with("arn")).then_some(decoded)
}

/// Lints one request as a log recorded it (layer 2 of the diagnosis uses this): the request
/// path when known, headers as (lowercase name, value) pairs, the body text as sent, and the
/// date the request was made (model status is evaluated at that date).
///
/// Logs keep a subset of headers (credentials are often stripped), so a header that is absent
/// is not reported; with no headers at all, header rules are skipped. Messages never carry a
/// full key.
pub fn lint_logged_request(
    knowledge: &Knowledge,
    path: Option<&str>,
    headers: &[(String, String)],
    body: Option<&str>,
    date: chrono::NaiveDate,
) -> Vec<Finding> {
    let req = Request {
        url: path,
        headers: headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
        headers_known: !headers.is_empty(),
        headers_complete: false,
        body,
    };
    check_request(knowledge, &req, &LintOptions { provider: None, date })
}

pub use cmd::run;
