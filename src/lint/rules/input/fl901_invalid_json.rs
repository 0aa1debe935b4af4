//! FL901 invalid-json: the body (or, reported by the engine, the capture itself) is not JSON.

use crate::capture::jsonspan::offset_of;
use crate::capture::request::Target;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL901: RuleMeta = RuleMeta {
    code: "FL901",
    name: "invalid-json",
    family: Family::Input,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The body (or the capture) is not valid JSON",
    explanation: "\
## Why it fails
The API answers 400 to a body it cannot parse. The finding points at the line and column where
parsing stopped (trailing commas, unescaped newlines in strings, truncated captures).

## Fix
Serialise the body with a JSON library instead of string templates.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    if !s.body_rules_apply() {
        return;
    }
    let (Some(Err(e)), Some(text)) = (s.body, s.request.body) else { return };
    let offset = offset_of(text, e.line(), e.column());
    out.push(
        Finding::new(&FL901, Part::Body, Target::BodyOffset { offset }, format!("the body is not valid JSON: {e}"))
            .help("serialise the body with a JSON library instead of string templates"),
    );
}

#[cfg(test)]
mod tests {
    use crate::capture::request::Target;
    use crate::lint::testing::*;

    #[test]
    fn invalid_json_body_points_at_the_error() {
        let f = native(&[("x-api-key", KEY)], "{\"model\": \"claude-opus-4-8\",\n \"max_tokens\": 10,}");
        assert_eq!(codes(&f), ["FL901"]);
        assert!(matches!(f[0].target, Target::BodyOffset { offset } if offset > 30), "{:?}", f[0].target);
    }
}
