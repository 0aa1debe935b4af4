//! What the lint unit tests share: the embedded knowledge base, built once per test binary
//! (loading it takes a second or two in a debug build, and every rule test needs it), and the
//! requests the rule tests vary.

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::{check_request, Finding, LintOptions, Request};
use crate::knowledge::Knowledge;

/// The embedded knowledge base. Tests that change it clone this one.
pub fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| Knowledge::embedded().unwrap_or_else(|e| panic!("the embedded knowledge base: {e}")))
}

pub fn k() -> &'static Knowledge {
    knowledge()
}

pub const KEY: &str = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefghijklmnopQRSTUVWX-0123456789AA";
pub const BODY: &str =
    r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":1024,"messages":[{"role":"user","content":"Hello"}]}"#;

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

pub fn today() -> NaiveDate {
    day("2026-11-20")
}

/// Lints a request with the provider detected, at `today()`.
pub fn check(req: &Request<'_>) -> Vec<Finding> {
    check_request(k(), req, &LintOptions { provider: None, date: today() })
}

/// A complete native request with these headers replacing the defaults.
pub fn native(headers: &[(&str, &str)], body: &str) -> Vec<Finding> {
    let mut all: Vec<(&str, &str)> = vec![("anthropic-version", "2023-06-01"), ("content-type", "application/json")];
    all.retain(|(n, _)| !headers.iter().any(|(h, _)| h == n));
    all.extend_from_slice(headers);
    let req = Request {
        url: Some("https://api.anthropic.com/v1/messages"),
        headers: all,
        headers_known: true,
        headers_complete: true,
        body: Some(body),
    };
    check(&req)
}

pub fn codes(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.code).collect()
}

pub fn with_key(value: &str) -> Vec<&'static str> {
    codes(&native(&[("x-api-key", value)], BODY))
}

pub fn with_auth(value: &str) -> Vec<&'static str> {
    codes(&native(&[("authorization", value)], BODY))
}

pub fn body_codes(body: &str) -> Vec<&'static str> {
    codes(&native(&[("x-api-key", KEY)], body))
}

/// A native request for this model, at this date.
pub fn model_codes(model: &str, date: &str) -> Vec<Finding> {
    let body = format!(r#"{{"model":"{model}","max_tokens":100,"messages":[{{"role":"user","content":"hi"}}]}}"#);
    let req = Request {
        url: Some("https://api.anthropic.com/v1/messages"),
        headers: vec![("x-api-key", KEY), ("anthropic-version", "2023-06-01"), ("content-type", "application/json")],
        headers_known: true,
        headers_complete: true,
        body: Some(&body),
    };
    check_request(k(), &req, &LintOptions { provider: None, date: day(date) })
}

fn embedded(name: &str) -> &'static str {
    crate::knowledge::EMBEDDED.iter().find(|(n, _)| n.ends_with(name)).map_or("", |(_, t)| *t)
}

pub fn embedded_api() -> &'static str {
    embedded("api.toml")
}

/// The embedded knowledge base with rules/api.toml replaced.
pub fn try_with_api(api: &str) -> crate::error::Result<Knowledge> {
    Knowledge::from_texts(
        embedded("models.toml"),
        embedded("status_codes.toml"),
        embedded("signatures.toml"),
        embedded("thresholds.toml"),
        embedded("causes.toml"),
        api,
        &crate::knowledge::Extensions::default(),
    )
}

pub fn with_api(api: &str) -> Knowledge {
    try_with_api(api).unwrap_or_else(|e| panic!("{e}"))
}

/// A complete native request with exactly these headers, linted with `k`.
pub fn native_with(k: &Knowledge, headers: Vec<(&str, &str)>) -> Vec<Finding> {
    let req = Request {
        url: Some("https://api.anthropic.com/v1/messages"),
        headers,
        headers_known: true,
        headers_complete: true,
        body: Some(BODY),
    };
    check_request(k, &req, &LintOptions { provider: None, date: today() })
}
