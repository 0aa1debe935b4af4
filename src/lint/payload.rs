//! FL3xx: payload size and streaming.
//! Seed 000 §2.4: 524s come from long requests without streaming; above 6,000 tokens, stream.

use super::{Family, FixAvailability, RuleMeta, Severity};

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
at about 30 s answer 524/504 first. Seed 000: requests above 7,500 tokens carried 89.2 % of 524s,
and streaming cut them by 83.7 %. Tokens are estimated from the body size (bytes per token in
rules/thresholds.toml), with base64 images and documents counted at about 1,600 tokens each
instead of by their bytes; the threshold is `streaming.non_streaming_token_limit`.

## Fix
Send `\"stream\": true`, or compress / split the context.",
};

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
};

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
};

// ---------------------------------------------------------------------------------------------
// Checks

use crate::capture::jv::{Json as Value, Obj};

use super::finding::{Ctx, Finding};
use crate::capture::request::{Endpoint, PathSeg, Target};

/// Tokens counted per base64 image or document (an image of about 1.15 megapixels, the size the
/// API scales larger images down to, costs about 1,600 tokens).
const ATTACHMENT_TOKENS: u64 = 1_600;

/// Bytes of base64 `source.data` in message content blocks, and how many such blocks there are.
fn base64_attachments(obj: &Obj<'_>) -> (usize, u64) {
    let mut bytes = 0;
    let mut count = 0;
    let Some(Value::Array(messages)) = obj.get("messages") else { return (0, 0) };
    for m in messages {
        let Some(Value::Array(blocks)) = m.get("content") else { continue };
        for b in blocks {
            if let Some(data) = b.get("source").and_then(|s| s.get("data")).and_then(Value::as_str) {
                bytes += data.len();
                count += 1;
            }
        }
    }
    (bytes, count)
}

/// Checks size and streaming. `body_len` is the body's size in bytes as sent.
pub(crate) fn check(obj: &Obj<'_>, body_len: usize, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = &ctx.knowledge.thresholds;
    if body_len as u64 > t.payload.max_body_bytes {
        out.push(
            Finding::new(
                &FL303,
                Target::Body { path: vec![], range: None },
                format!("the body is {body_len} bytes, above the {} byte request limit", t.payload.max_body_bytes),
            )
            .help("send large documents through the Files API, or split the request"),
        );
    }
    if ctx.endpoint == Endpoint::CountTokens {
        return;
    }
    let streaming = obj.get("stream").and_then(Value::as_bool).unwrap_or(false);
    if streaming {
        return;
    }
    // Base64 images and documents are not text: their bytes say little about tokens. They are
    // left out of the byte estimate and counted at a flat rate per attachment instead.
    let (attached_bytes, attachments) = base64_attachments(obj);
    let text_bytes = body_len.saturating_sub(attached_bytes);
    let estimated = (text_bytes as f64 / t.payload.bytes_per_token.max(0.1)) as u64 + attachments * ATTACHMENT_TOKENS;
    if estimated > t.streaming.non_streaming_token_limit {
        out.push(
            Finding::new(
                &FL301,
                Target::Body { path: vec![], range: None },
                format!(
                    "about {estimated} input tokens (estimated from {body_len} bytes) without `\"stream\": true`: above {} tokens, middlewares time out (524/504)",
                    t.streaming.non_streaming_token_limit
                ),
            )
            .help("send `\"stream\": true`, or compress / split the context"),
        );
    }
    if let Some(max) = obj.get("max_tokens").and_then(Value::as_u64) {
        let model_limit = obj
            .get("model")
            .and_then(Value::as_str)
            .and_then(|m| ctx.knowledge.model(m))
            .and_then(|m| m.model.nonstreaming_max_tokens)
            .map(u64::from);
        let limit = model_limit.unwrap_or(t.streaming.sdk_nonstreaming_max_tokens);
        if max > limit {
            out.push(
                Finding::new(
                    &FL302,
                    Target::Body { path: vec![PathSeg::Key("max_tokens".into())], range: None },
                    format!("`max_tokens` is {max} without streaming: the SDKs refuse non-streaming requests above {limit} (10-minute guard)"),
                )
                .help("send `\"stream\": true`, or lower `max_tokens`"),
            );
        }
    }
}
