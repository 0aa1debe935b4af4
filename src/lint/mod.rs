//! Lint: checks captured requests for the mistakes behind 400s and 401s.
//!
//! One file per rule, `rules/<family>/flNNN_<name>.rs`, with the rule's documentation beside
//! its check, fix and tests; `codes.rs` is the one table of stable codes, and `check_request`
//! runs it. `faultline explain CODE` and the SARIF rule metadata print the same `RuleMeta` text.
//!
//! The engine: `inputs` (what the command line names), `stream` (reading them, on worker
//! threads), `linter` (a record -> captures -> located findings, and `--fix`), `reported` (the
//! located finding and the totals every format shows) and `sink` (where they go: one output
//! format each under `report::lint`). `commands::lint` drives a run.

pub mod codes;
pub mod finding;
pub mod inputs;
pub mod linter;
pub mod logged;
pub mod reported;
pub mod rules;
pub mod settings;
pub mod sink;
pub mod stream;
pub mod subject;
pub mod text;

#[cfg(test)]
pub(crate) mod testing;

use serde::Serialize;

use crate::capture::request;
pub use crate::capture::request::{Edit, Fix, PathSeg, Provider, Request, Target};
use crate::knowledge::Knowledge;
pub use finding::{Finding, Part};
pub use linter::{located, records_of, Linter};
pub use logged::LoggedRequest;
pub use reported::{FixView, Reported, Source, Totals};
pub use settings::Settings;
pub use sink::{Emit, OutputFormat, Sink};
pub use subject::Subject;

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

/// A rule: its stable identity, its documentation, and its check. Each rule's file defines one
/// (`rules/<family>/flNNN_<name>.rs`); `codes::RULES` lists them.
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
    /// What finds it in one request. `None` for the rules the engine reports about an input as
    /// a whole (FL902, FL903).
    #[serde(skip)]
    pub check: Option<Check>,
}

impl RuleMeta {
    /// The rule's page: what `faultline explain CODE` prints and SARIF carries as its help.
    pub fn markdown(&self) -> String {
        format!(
            "# {code} {name}\n\n{summary}.\n\nFamily: {family}. Default severity: {severity}. Fix: {fix}.\n\n{explanation}\n",
            code = self.code,
            name = self.name,
            summary = self.summary,
            family = self.family.as_str(),
            severity = self.severity.as_str(),
            fix = match self.fix {
                FixAvailability::None => "none",
                FixAvailability::Sometimes => "sometimes",
                FixAvailability::Always => "always",
            },
            explanation = self.explanation,
        )
    }
}

/// A rule's check: pushes what it finds in one request.
pub type Check = fn(&Subject<'_>, &mut Vec<Finding>);

/// Options of one lint run that the rules see.
#[derive(Debug, Clone, Copy)]
pub struct LintOptions {
    /// `None` or `Auto`: detect from the URL, headers and body.
    pub provider: Option<ProviderChoice>,
    /// Model status is evaluated at this date.
    pub date: chrono::NaiveDate,
}

/// Runs every rule of the code table over one request, in the order of the parts of the
/// request the findings are about, and about one part in the order of each family's steps
/// (see `Part`).
pub fn check_request(knowledge: &Knowledge, req: &Request<'_>, opts: &LintOptions) -> Vec<Finding> {
    check_parsed(knowledge, req, subject::parse_body(req), opts)
}

/// [`check_request`] with the body already parsed (`subject::parse_body`'s value for `req`).
pub fn check_parsed<'a>(
    knowledge: &Knowledge,
    req: &'a Request<'a>,
    body: subject::ParsedBody<'a>,
    opts: &LintOptions,
) -> Vec<Finding> {
    let body_version = match &body {
        Some(Ok(value)) => value.get("anthropic_version").and_then(|v| v.as_str()),
        _ => None,
    };
    let provider = resolve_provider(opts.provider, || request::detect_provider(req, body_version));
    let subject = Subject::new(knowledge, req, &body, provider, opts.date);
    let mut out = Vec::new();
    for rule in codes::RULES {
        let Some(check) = rule.check else { continue };
        let before = out.len();
        check(&subject, &mut out);
        if out.len() > before {
            let step = rules::step(rule);
            for f in &mut out[before..] {
                f.step = step;
            }
        }
    }
    // Stable: one rule's findings about one part keep the order it found them in.
    out.sort_by_key(|f| (f.part, f.step));
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

/// Lints one request as a log recorded it (layer 2 of the diagnosis uses this): the request
/// path when known, headers as (lowercase name, value) pairs, the body text as sent, and the
/// date the request was made. The same as `LoggedRequest::findings`, which the walk uses too.
pub fn lint_logged_request(
    knowledge: &Knowledge,
    path: Option<&str>,
    headers: &[(String, String)],
    body: Option<&str>,
    date: chrono::NaiveDate,
) -> Vec<Finding> {
    LoggedRequest { method: None, path, headers, body, date }.findings(knowledge)
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn clean_request_has_no_findings() {
        assert!(with_key(KEY).is_empty(), "{:?}", with_key(KEY));
        assert!(with_auth(&format!("Bearer {KEY}")).is_empty());
    }

    #[test]
    fn openai_compatible_bodies_follow_openai_rules() {
        let req = Request {
            url: Some("https://gateway.example.com/anthropic/v1/chat/completions"),
            headers: vec![
                ("authorization", "Bearer sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefgh"),
                ("content-type", "application/json"),
            ],
            headers_known: true,
            headers_complete: true,
            body: Some(
                r#"{"model":"claude-opus-4-8","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[]}]}"#,
            ),
        };
        let f = check(&req);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn logged_request_reports_what_the_log_shows() {
        let headers = vec![
            ("authorization".to_string(), format!("bearer {KEY}\n")),
            ("content-type".into(), "application/json".into()),
        ];
        let f = lint_logged_request(
            k(),
            Some("/v1/messages"),
            &headers,
            Some(r#"{"model":"claude-3-sonnet","messages":[{"role":null,"content":""}]}"#),
            today(),
        );
        let c = codes(&f);
        for expected in ["FL001", "FL004", "FL102", "FL103", "FL105", "FL201"] {
            assert!(c.contains(&expected), "{expected} missing from {c:?}");
        }
        assert!(!c.contains(&"FL401"), "a log does not show every header");
        for f in &f {
            assert!(!f.message.contains(&KEY[13..30]), "{}", f.message);
        }
        // No body, no headers: nothing to say.
        assert!(lint_logged_request(k(), None, &[], None, today()).is_empty());
    }

    #[test]
    fn findings_come_in_reading_order_not_code_order() {
        // Credentials, then the body: max_tokens, each message, the model, the payload.
        let f = codes(&native(
            &[("x-api-key", &format!("{KEY} "))],
            r#"{"model":"claude-sonnet-4.5","messages":[{"role":"user","content":""},{"role":"human","content":"x"}]}"#,
        ));
        assert_eq!(f, ["FL002", "FL105", "FL103", "FL102", "FL201"]);
    }
}
