//! FL301 long-request-not-streaming: an estimated input above the streaming threshold without
//! `"stream": true`.

use crate::capture::jv::{Json, Obj};
use crate::capture::request::{Endpoint, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL301: RuleMeta = RuleMeta {
    code: "FL301",
    name: "long-request-not-streaming",
    family: Family::Payload,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "Estimated input above the streaming threshold (6,000 tokens) without `\"stream\": true`",
    explanation: "\
## Why it fails
A non-streaming response sends nothing until the whole answer is ready; middlewares that time out
at about 30 s answer 524/504 first. The Elasticsearch study: requests above 7,500 tokens carried 89.2 % of 524s,
and streaming cut them by 83.7 %. Tokens are estimated from the body size (bytes per token in
rules/thresholds.toml), with base64 images and documents counted at about 1,600 tokens each
instead of by their bytes; the threshold is `streaming.non_streaming_token_limit`.

## Fix
Send `\"stream\": true`, or compress / split the context.",
    check: Some(check),
};

/// Tokens counted per base64 image or document (an image of about 1.15 megapixels, the size the
/// API scales larger images down to, costs about 1,600 tokens).
const ATTACHMENT_TOKENS: u64 = 1_600;

/// Bytes of base64 `source.data` in message content blocks, and how many such blocks there are.
fn base64_attachments(obj: &Obj<'_>) -> (usize, u64) {
    let mut bytes = 0;
    let mut count = 0;
    let Some(Json::Array(messages)) = obj.get("messages") else { return (0, 0) };
    for m in messages {
        let Some(Json::Array(blocks)) = m.get("content") else { continue };
        for b in blocks {
            if let Some(data) = b.get("source").and_then(|s| s.get("data")).and_then(Json::as_str) {
                bytes += data.len();
                count += 1;
            }
        }
    }
    (bytes, count)
}

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(p) = s.payload() else { return };
    if s.endpoint == Endpoint::CountTokens || p.streaming {
        return;
    }
    let t = &s.knowledge.thresholds;
    // Base64 images and documents are not text: their bytes say little about tokens. They are
    // left out of the byte estimate and counted at a flat rate per attachment instead.
    let (attached_bytes, attachments) = base64_attachments(p.body);
    let text_bytes = p.bytes.saturating_sub(attached_bytes);
    let estimated = (text_bytes as f64 / t.payload.bytes_per_token.max(0.1)) as u64 + attachments * ATTACHMENT_TOKENS;
    if estimated > t.streaming.non_streaming_token_limit {
        out.push(
            Finding::new(
                &FL301,
                Part::Payload,
                Target::Body { path: vec![], range: None },
                format!(
                    "about {estimated} input tokens (estimated from {} bytes) without `\"stream\": true`: above {} tokens, middlewares time out (524/504)",
                    p.bytes,
                    t.streaming.non_streaming_token_limit
                ),
            )
            .help("send `\"stream\": true`, or compress / split the context"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn long_request_not_streaming() {
        let long = "x".repeat(30_000);
        let b = format!(
            r#"{{"model":"claude-opus-4-8","max_tokens":100,"messages":[{{"role":"user","content":"{long}"}}]}}"#
        );
        assert_eq!(body_codes(&b), ["FL301"]);
        let streamed = b.replacen("\"max_tokens\"", "\"stream\":true,\"max_tokens\"", 1);
        // A large base64 image is not 10,000 tokens of text.
        let image = format!(
            r#"{{"model":"claude-opus-4-8","max_tokens":100,"messages":[{{"role":"user","content":[{{"type":"image","source":{{"type":"base64","media_type":"image/png","data":"{}"}}}},{{"type":"text","text":"What is this?"}}]}}]}}"#,
            "A".repeat(40_000)
        );
        assert!(body_codes(&image).is_empty(), "{:?}", body_codes(&image));
        assert!(body_codes(&streamed).is_empty());
    }
}
