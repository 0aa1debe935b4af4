//! FL302 max-tokens-needs-streaming: `max_tokens` above the SDKs' non-streaming guard without
//! streaming.

use crate::capture::jv::Json;
use crate::capture::request::{Endpoint, PathSeg, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL302: RuleMeta = RuleMeta {
    code: "FL302",
    name: "max-tokens-needs-streaming",
    family: Family::Payload,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "`max_tokens` above the SDKs' non-streaming guard (~21,333, or the model's limit) without streaming",
    explanation: "\
## Why it fails
The official SDKs refuse non-streaming requests that could run past 10 minutes
(`3600 * max_tokens / 128000 > 600`, i.e. `max_tokens` above ~21,333; 8,192 for Opus 4 / 4.1):
`Streaming is required for operations that may take longer than 10 minutes.` Raw HTTP clients
get a long request that gateways cut off.

## Fix
Stream, or lower `max_tokens`.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(p) = s.payload() else { return };
    if s.endpoint == Endpoint::CountTokens || p.streaming {
        return;
    }
    let Some(max) = p.body.get("max_tokens").and_then(Json::as_u64) else { return };
    let model_limit = p
        .body
        .get("model")
        .and_then(Json::as_str)
        .and_then(|m| s.knowledge.model(m))
        .and_then(|m| m.model.nonstreaming_max_tokens)
        .map(u64::from);
    let limit = model_limit.unwrap_or(s.knowledge.thresholds.streaming.sdk_nonstreaming_max_tokens);
    if max > limit {
        out.push(
            Finding::new(
                &FL302,
                Part::Payload,
                Target::Body { path: vec![PathSeg::Key("max_tokens".into())], range: None },
                format!("`max_tokens` is {max} without streaming: the SDKs refuse non-streaming requests above {limit} (10-minute guard)"),
            )
            .help("send `\"stream\": true`, or lower `max_tokens`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn max_tokens_needs_streaming() {
        assert_eq!(
            body_codes(r#"{"model":"claude-opus-4-8","max_tokens":64000,"messages":[{"role":"user","content":"hi"}]}"#),
            ["FL302"]
        );
        assert!(body_codes(
            r#"{"model":"claude-opus-4-8","max_tokens":64000,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        )
        .is_empty());
        // Opus 4 has a lower guard.
        let f = model_codes("claude-opus-4-20250514", "2025-06-01");
        assert!(f.is_empty());
        let body =
            r#"{"model":"claude-opus-4-20250514","max_tokens":10000,"messages":[{"role":"user","content":"hi"}]}"#;
        assert_eq!(body_codes(body).iter().filter(|c| **c == "FL302").count(), 1);
    }
}
