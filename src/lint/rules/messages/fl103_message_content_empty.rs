//! FL103 message-content-empty: a message whose `content` is missing, null, empty, or neither a
//! string nor an array (a prefill and OpenAI assistant turns may be empty).

use super::{at, type_name};
use crate::capture::jv::Json;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL103: RuleMeta = RuleMeta {
    code: "FL103",
    name: "message-content-empty",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A message has null, missing or empty `content`",
    explanation: "\
## Why it fails
The API answers 400 `messages.N: all messages must have non-empty content except for the
optional final assistant message`.

## Fix
Drop the empty turn, or give it content.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(m) = s.messages() else { return };
    for message in m.objects() {
        let i = message.index;
        let part = Part::Message(i, None);
        let content = message.content;
        let finding = match content {
            None | Some(Json::Null) if !message.may_be_empty => Finding::new(
                &FL103,
                part,
                at(&if content.is_none() { message.path() } else { message.field("content") }),
                format!("`messages[{i}].content` is {}", if content.is_none() { "missing" } else { "null" }),
            )
            .help("give the message content, or drop the turn"),
            Some(Json::String(text)) if text.is_empty() && !message.may_be_empty => Finding::new(
                &FL103,
                part,
                at(&message.field("content")),
                format!("`messages[{i}].content` is an empty string"),
            )
            .help("give the message content, or drop the turn"),
            Some(Json::Array(blocks)) if blocks.is_empty() && !message.may_be_empty => Finding::new(
                &FL103,
                part,
                at(&message.field("content")),
                format!("`messages[{i}].content` is an empty array"),
            )
            .help("give the message content, or drop the turn"),
            Some(Json::Array(_)) | Some(Json::String(_)) | Some(Json::Null) | None => continue,
            Some(other) => Finding::new(
                &FL103,
                part,
                at(&message.field("content")),
                format!("`messages[{i}].content` is {}: expected a string or an array of blocks", type_name(other)),
            ),
        };
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn content() {
        let b = |content: &str| {
            format!(
                r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":"user","content":{content}}},{{"role":"assistant","content":"ok"}},{{"role":"user","content":"x"}}]}}"#
            )
        };
        assert_eq!(body_codes(&b("null")), ["FL103"]);
        assert_eq!(body_codes(&b("\"\"")), ["FL103"]);
        assert_eq!(body_codes(&b("[]")), ["FL103"]);
        assert!(body_codes(&b("\"hi\"")).is_empty());
        // The final assistant message may be empty.
        assert!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""}]}"#).is_empty());
    }
}
