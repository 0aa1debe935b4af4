//! FL102 message-role-invalid: a message that is not an object, or whose `role` is missing,
//! null or unknown (`system` only where the anthropic-version allows it).

use super::{at, type_name, List, Message, Messages};
use crate::capture::jv::Json;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL102: RuleMeta = RuleMeta {
    code: "FL102",
    name: "message-role-invalid",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A message has a null, missing or unknown `role`",
    explanation: "\
## Why it fails
Each message needs `role` `user` or `assistant`. `system` is a top-level parameter, allowed
inside messages only from anthropic-version 2026-10-21 (mid-conversation system messages).
Loops that build history often emit `role: null` or `undefined`.

## Fix
Use `user`/`assistant`; move system prompts to the top-level `system` field.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(m) = s.messages() else { return };
    let List::Listed(list) = &m.list else { return };
    for message in list {
        if let Some(f) = role(s, m, message) {
            out.push(f);
        }
    }
}

fn role(s: &Subject<'_>, m: &Messages<'_>, message: &Message<'_>) -> Option<Finding> {
    let i = message.index;
    let part = Part::Message(i, None);
    if message.object.is_none() {
        return Some(Finding::new(
            &FL102,
            part,
            at(&message.path()),
            format!("`messages[{i}]` is {}, not a {{role, content}} object", type_name(message.value)),
        ));
    }
    let k = &s.knowledge.api;
    let finding = match message.role {
        None => Finding::new(&FL102, part, at(&message.path()), format!("`messages[{i}]` has no `role`"))
            .help("set `role` to `user` or `assistant`"),
        Some(Json::String(r)) => {
            let known = if m.openai {
                k.openai_roles.iter().any(|x| x == r)
            } else {
                k.roles.iter().any(|x| x == r) || (r == "system" && m.system_allowed)
            };
            if known {
                return None;
            }
            if r == "system" {
                Finding::new(&FL102, part, at(&message.field("role")), format!("`messages[{i}].role` is `system`, which this anthropic-version does not allow inside messages"))
                    .help(match k.system_role_versions.iter().max() {
                        Some(v) => format!("move the system prompt to the top-level `system` field (or send anthropic-version {v})"),
                        None => "move the system prompt to the top-level `system` field".to_string(),
                    })
            } else {
                Finding::new(
                    &FL102,
                    part,
                    at(&message.field("role")),
                    format!(
                        "`messages[{i}].role` is `{r}`: expected {}",
                        if m.openai { k.openai_roles.join(", ") } else { k.roles.join(" or ") }
                    ),
                )
                .help("use `user` or `assistant`")
            }
        }
        Some(other) => Finding::new(
            &FL102,
            part,
            at(&message.field("role")),
            format!("`messages[{i}].role` is {}", type_name(other)),
        )
        .help("set `role` to `user` or `assistant`"),
    };
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn roles() {
        let b = |role: &str| {
            format!(r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":{role},"content":"hi"}}]}}"#)
        };
        assert_eq!(body_codes(&b("null")), ["FL102"]);
        assert_eq!(body_codes(&b("\"human\"")), ["FL102"]);
        assert_eq!(body_codes(&b("\"system\"")), ["FL102"]);
        assert!(body_codes(&b("\"user\"")).is_empty());
        assert_eq!(
            body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"content":"hi"}]}"#),
            ["FL102"]
        );
        // system inside messages is allowed from 2026-10-21.
        let f = codes(&native(&[("x-api-key", KEY), ("anthropic-version", "2026-10-21")], &b("\"system\"")));
        assert!(!f.contains(&"FL102"), "{f:?}");
    }
}
