//! FL303 body-too-large: a body above the request size limit.

use crate::capture::request::Target;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL303: RuleMeta = RuleMeta {
    code: "FL303",
    name: "body-too-large",
    family: Family::Payload,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The body is larger than the 32 MB request limit",
    explanation: "\
## Why it fails
Cloudflare rejects Messages requests above 32 MB with 413 `request_too_large` before they reach
the API.

## Fix
Send large documents through the Files API, or split the request.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(p) = s.payload() else { return };
    let limit = s.knowledge.thresholds.payload.max_body_bytes;
    if p.bytes as u64 > limit {
        out.push(
            Finding::new(
                &FL303,
                Part::Payload,
                Target::Body { path: vec![], range: None },
                format!("the body is {} bytes, above the {limit} byte request limit", p.bytes),
            )
            .help("send large documents through the Files API, or split the request"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;
    use crate::lint::{check_request, LintOptions, ProviderChoice, Request};

    #[test]
    fn body_too_large() {
        let mut k = k().clone();
        k.thresholds.payload.max_body_bytes = 100;
        let req =
            Request { url: None, headers: vec![], headers_known: false, headers_complete: false, body: Some(BODY) };
        let f = check_request(&k, &req, &LintOptions { provider: Some(ProviderChoice::Anthropic), date: today() });
        assert_eq!(codes(&f), ["FL303"]);
    }

    #[test]
    fn size_comes_before_streaming() {
        let mut k = k().clone();
        k.thresholds.payload.max_body_bytes = 100;
        let long = "x".repeat(30_000);
        let body =
            format!(r#"{{"model":"claude-opus-4-8","max_tokens":64000,"messages":[{{"role":"user","content":"{long}"}}]}}"#);
        let req =
            Request { url: None, headers: vec![], headers_known: false, headers_complete: false, body: Some(&body) };
        let f = check_request(&k, &req, &LintOptions { provider: Some(ProviderChoice::Anthropic), date: today() });
        assert_eq!(codes(&f), ["FL303", "FL301", "FL302"]);
    }
}
