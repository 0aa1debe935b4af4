//! FL104 text-block-empty: a `text` content block whose `text` is missing, empty or blank.

use super::{at, key};
use crate::capture::jv::Json;
use crate::capture::request::{path_string, PathSeg};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL104: RuleMeta = RuleMeta {
    code: "FL104",
    name: "text-block-empty",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A `text` content block has empty or missing `text`",
    explanation: "\
## Why it fails
The API answers 400 `messages: text content blocks must be non-empty`.

## Fix
Remove the empty block or fill it.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(m) = s.messages() else { return };
    // A text block of a type the API does not know is FL107's.
    if !m.openai && !s.knowledge.api.content_block_types.iter().any(|t| t == "text") {
        return;
    }
    for message in m.objects() {
        for (j, block) in message.blocks().iter().enumerate() {
            let Some(b) = block.as_object() else { continue };
            if b.get("type").and_then(Json::as_str) != Some("text") {
                continue;
            }
            // Paths are built only for findings: this runs over every block of every request.
            let here = || {
                let mut p = message.field("content");
                p.push(PathSeg::Index(j));
                p
            };
            let part = Part::Message(message.index, Some(j));
            match b.get("text") {
                Some(Json::String(text)) if !text.trim().is_empty() => {}
                Some(Json::String(text)) => {
                    let what = if text.is_empty() { "empty" } else { "only whitespace" };
                    let mut tp = here();
                    tp.push(key("text"));
                    out.push(
                        Finding::new(&FL104, part, at(&tp), format!("`{}.text` is {what}", path_string(&here())))
                            .help("remove the empty block or fill it"),
                    );
                }
                _ => out.push(
                    Finding::new(
                        &FL104,
                        part,
                        at(&here()),
                        format!("`{}` is a text block without a `text` string", path_string(&here())),
                    )
                    .help("remove the empty block or fill it"),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn empty_text_block() {
        let b = |block: &str| {
            format!(r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":"user","content":[{block}]}}]}}"#)
        };
        assert_eq!(body_codes(&b(r#"{"type":"text","text":""}"#)), ["FL104"]);
        assert_eq!(body_codes(&b(r#"{"type":"text"}"#)), ["FL104"]);
        assert!(body_codes(&b(r#"{"type":"text","text":"hi"}"#)).is_empty());
    }
}
