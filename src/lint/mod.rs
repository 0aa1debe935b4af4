//! `faultline lint`: checks captured requests for the mistakes behind 400s and 401s.
//!
//! Each rule family lives in its own file with each rule's documentation beside it; `codes.rs`
//! is the one table of stable codes. `faultline explain CODE` and the SARIF rule metadata print
//! the same `RuleMeta` text.

pub mod auth;
pub mod codes;
pub mod headers;
pub mod input;
pub mod messages;
pub mod model;
pub mod payload;

use serde::Serialize;

pub use crate::cli::Severity;

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

/// `faultline lint`.
pub fn run(
    _args: &crate::cli::LintArgs,
    _global: &crate::cli::GlobalArgs,
    _config: &crate::config::Config,
    _ctx: &crate::context::RunContext,
    _out: &mut dyn std::io::Write,
    _err: &mut dyn std::io::Write,
) -> crate::error::Result<crate::error::Exit> {
    Err(crate::error::Error::Usage("`faultline lint` is not implemented yet".into()))
}

/// One problem found in a request. Built once; every output format is a view of it.
/// (The lint work extends it with file, span, line/column and fix.)
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

/// Lints one request as a log recorded it (layer 2 of the diagnosis uses this): the request
/// path when known, headers as (lowercase name, value) pairs, the body text as sent, and the
/// date the request was made (model status is evaluated at that date).
pub fn lint_logged_request(
    _knowledge: &crate::knowledge::Knowledge,
    _path: Option<&str>,
    _headers: &[(String, String)],
    _body: Option<&str>,
    _date: chrono::NaiveDate,
) -> Vec<Finding> {
    Vec::new()
}
