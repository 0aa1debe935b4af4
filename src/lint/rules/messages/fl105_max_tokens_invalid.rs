//! FL105 max-tokens-invalid: `max_tokens` missing where it is required, or not a positive
//! integer (`max_completion_tokens` on OpenAI-compatible bodies).

use super::{at, key, type_name};
use crate::capture::jv::Json;
use crate::capture::request::{Endpoint, Provider};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL105: RuleMeta = RuleMeta {
    code: "FL105",
    name: "max-tokens-invalid",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "`max_tokens` is missing or not a positive integer",
    explanation: "\
## Why it fails
`max_tokens` is required on the Messages API (400 `max_tokens: Field required`) and must be a
positive integer (0 only pre-warms the prompt cache). OpenAI-compatible chat/completions bodies
do not require it.

## Fix
Set `\"max_tokens\": 1024` (or what the task needs, within the model's limit).",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(m) = s.messages() else { return };
    let obj = m.body;
    let required = matches!(
        s.endpoint,
        Endpoint::Messages | Endpoint::Unknown | Endpoint::BedrockInvoke | Endpoint::VertexPredict
    ) && s.provider != Provider::Openai;
    let field = if obj.contains_key("max_tokens") || s.provider != Provider::Openai {
        "max_tokens"
    } else {
        "max_completion_tokens"
    };
    match obj.get(field) {
        None => {
            if required {
                out.push(
                    Finding::new(&FL105, Part::Parameters, at(&[]), "the body has no `max_tokens`")
                        .help("set `\"max_tokens\": 1024` (or what the task needs)"),
                );
            }
        }
        Some(v) => {
            let ok = v.as_u64().is_some() || (s.endpoint == Endpoint::CountTokens);
            if !ok {
                let shown = match v {
                    Json::Number(n) => format!("`{n}`"),
                    other => type_name(other).to_string(),
                };
                out.push(
                    Finding::new(
                        &FL105,
                        Part::Parameters,
                        at(&[key(field)]),
                        format!("`{field}` is {shown}: expected a positive integer"),
                    )
                    .help("set `max_tokens` to a positive integer such as 1024"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn max_tokens() {
        assert_eq!(
            body_codes(r#"{"model":"claude-opus-4-8","messages":[{"role":"user","content":"hi"}]}"#),
            ["FL105"]
        );
        assert_eq!(
            body_codes(r#"{"model":"claude-opus-4-8","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]}"#),
            ["FL105"]
        );
        assert_eq!(
            body_codes(r#"{"model":"claude-opus-4-8","max_tokens":"100","messages":[{"role":"user","content":"hi"}]}"#),
            ["FL105"]
        );
        assert_eq!(
            body_codes(r#"{"model":"claude-opus-4-8","max_tokens":1.5,"messages":[{"role":"user","content":"hi"}]}"#),
            ["FL105"]
        );
    }

    #[test]
    fn max_tokens_comes_before_the_messages() {
        assert_eq!(body_codes(r#"{"model":"claude-opus-4-8"}"#), ["FL105", "FL101"]);
    }
}
