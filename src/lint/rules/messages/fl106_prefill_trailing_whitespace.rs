//! FL106 prefill-trailing-whitespace: the final assistant message (a prefill) ends in
//! whitespace.

use super::key;
use crate::capture::jv::Json;
use crate::capture::request::{Edit, Fix, PathSeg, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL106: RuleMeta = RuleMeta {
    code: "FL106",
    name: "prefill-trailing-whitespace",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "The final assistant message (prefill) ends in whitespace",
    explanation: "\
## Why it fails
A final `assistant` message is a prefill the answer continues from; the API rejects one that ends
in whitespace with 400 `final assistant content cannot end with trailing whitespace`.

## Fix
Trim the end of the prefill (safe fix).",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(m) = s.messages() else { return };
    if m.openai {
        return;
    }
    for message in m.objects().filter(|m| m.final_assistant) {
        let path = message.field("content");
        let (text, text_path, part) = match message.content {
            Some(Json::String(text)) => (text.as_ref(), path, Part::Message(message.index, None)),
            Some(Json::Array(blocks)) => {
                let Some(Json::Object(b)) = blocks.last() else { continue };
                let Some(Json::String(text)) = b.get("text") else { continue };
                if b.get("type").and_then(Json::as_str) != Some("text") {
                    continue;
                }
                let last = blocks.len() - 1;
                let mut p = path;
                p.push(PathSeg::Index(last));
                p.push(key("text"));
                (text.as_ref(), p, Part::Message(message.index, Some(last)))
            }
            _ => continue,
        };
        let trimmed = text.trim_end().len();
        if trimmed < text.len() && trimmed > 0 {
            let range = trimmed..text.len();
            out.push(
                Finding::new(
                    &FL106,
                    part,
                    Target::Body { path: text_path.clone(), range: Some(range.clone()) },
                    "the final assistant message (prefill) ends in whitespace",
                )
                .help("trim the end of the prefill")
                .fix(Fix {
                    message: "trim the trailing whitespace".into(),
                    safe: true,
                    edits: vec![Edit::BodyString { path: text_path, range, replacement: String::new() }],
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn prefill_whitespace() {
        let f = native(
            &[("x-api-key", KEY)],
            r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"The answer is "}]}"#,
        );
        assert_eq!(codes(&f), ["FL106"]);
        assert!(f[0].fix.as_ref().is_some_and(|x| x.safe));
        assert!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a "},{"role":"assistant","content":"The answer is"}]}"#).is_empty());
        assert_eq!(
            body_codes(
                r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"text","text":"x\n"}]}]}"#
            ),
            ["FL106"]
        );
    }
}
