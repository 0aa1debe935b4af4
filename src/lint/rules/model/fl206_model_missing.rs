//! FL206 model-missing: no `model` in the body, or not a string (Bedrock and Vertex requests
//! name the model in the URL).

use super::Missing;
use crate::capture::request::{PathSeg, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL206: RuleMeta = RuleMeta {
    code: "FL206",
    name: "model-missing",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The body has no `model` (or it is not a string)",
    explanation: "\
## Why it fails
`model` is required on the Messages API and chat/completions (400 `model: Field required`).
Vertex and Bedrock InvokeModel carry the model in the URL instead and are not checked.

## Fix
Set `\"model\"` to a pinned model ID.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let (path, message) = match s.models().missing {
        None => return,
        Some(Missing::Absent) => (vec![], "the body has no `model`"),
        Some(Missing::NotString) => (vec![PathSeg::Key("model".into())], "`model` is not a string"),
    };
    out.push(
        Finding::new(&FL206, Part::Model, Target::Body { path, range: None }, message)
            .help("set `\"model\"` to a pinned model ID"),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn model_missing() {
        assert_eq!(body_codes(r#"{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#), ["FL206"]);
        assert_eq!(
            body_codes(r#"{"model":42,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#),
            ["FL206"]
        );
    }
}
