//! FL107 content-block-unknown-type: a content block that is not an object, or whose `type` is
//! missing or not one the API knows (rules/api.toml; OpenAI bodies are not checked for types).

use super::{at, key, type_name};
use crate::capture::jv::Json;
use crate::capture::request::{path_string, PathSeg};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL107: RuleMeta = RuleMeta {
    code: "FL107",
    name: "content-block-unknown-type",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A content block has a missing or unknown `type`",
    explanation: "\
## Why it fails
Content blocks are tagged by `type` (`text`, `image`, `document`, `tool_use`, `tool_result`, …:
the list is in rules/api.toml). An unknown type is rejected with 400.

## Fix
Use a documented block type; `{\"type\": \"text\", \"text\": \"…\"}` for plain text.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(m) = s.messages() else { return };
    let types = &s.knowledge.api.content_block_types;
    for message in m.objects() {
        for (j, block) in message.blocks().iter().enumerate() {
            let here = || {
                let mut p = message.field("content");
                p.push(PathSeg::Index(j));
                p
            };
            let part = Part::Message(message.index, Some(j));
            let Some(b) = block.as_object() else {
                if !m.openai {
                    out.push(Finding::new(
                        &FL107,
                        part,
                        at(&here()),
                        format!("`{}` is {}, not a content block object", path_string(&here()), type_name(block)),
                    ));
                }
                continue;
            };
            match b.get("type").and_then(Json::as_str) {
                None => out.push(
                    Finding::new(&FL107, part, at(&here()), format!("`{}` has no `type`", path_string(&here())))
                        .help("tag the block, e.g. `{\"type\": \"text\", \"text\": \"…\"}`"),
                ),
                Some(t) if !m.openai && !types.iter().any(|x| x == t) => {
                    let mut tp = here();
                    tp.push(key("type"));
                    out.push(
                        Finding::new(
                            &FL107,
                            part,
                            at(&tp),
                            format!("`{}.type` is `{t}`, not a content block type", path_string(&here())),
                        )
                        .help("use a documented block type (`text`, `image`, `tool_use`, `tool_result`, …)"),
                    );
                }
                Some(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn block_type() {
        let b = |block: &str| {
            format!(r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":"user","content":[{block}]}}]}}"#)
        };
        assert_eq!(body_codes(&b(r#"{"type":"txt","text":"hi"}"#)), ["FL107"]);
        assert_eq!(body_codes(&b(r#"{"text":"hi"}"#)), ["FL107"]);
        assert!(body_codes(&b(
            r#"{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}"#
        ))
        .is_empty());
    }
}
