//! FL101 messages-missing: no `messages`, or not a non-empty array.

use super::{at, key, type_name, List};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL101: RuleMeta = RuleMeta {
    code: "FL101",
    name: "messages-missing",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "`messages` is missing, null, not an array, or empty",
    explanation: "\
## Why it fails
`messages` is a required array with at least one message; the API answers 400
`messages: Field required` or a type error.

## Fix
Send `\"messages\": [{\"role\": \"user\", \"content\": \"…\"}]`.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(m) = s.messages() else { return };
    let finding = match m.list {
        List::Listed(_) => return,
        List::Empty => Finding::new(&FL101, Part::Messages, at(&[key("messages")]), "`messages` is empty")
            .help("send at least one user message"),
        List::Missing => Finding::new(&FL101, Part::Messages, at(&[]), "the body has no `messages`")
            .help("add `\"messages\": [{\"role\": \"user\", \"content\": \"…\"}]`"),
        List::Not(other) => Finding::new(
            &FL101,
            Part::Messages,
            at(&[key("messages")]),
            format!("`messages` is {}, not an array", type_name(other)),
        )
        .help("`messages` is an array of {role, content} objects"),
    };
    out.push(finding);
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn messages() {
        assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10}"#), ["FL101"]);
        assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[]}"#), ["FL101"]);
        assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":null}"#), ["FL101"]);
        assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":{"role":"user"}}"#), ["FL101"]);
    }
}
