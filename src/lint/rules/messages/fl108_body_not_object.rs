//! FL108 body-not-object: the body is valid JSON but not an object.

use super::{at, type_name};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL108: RuleMeta = RuleMeta {
    code: "FL108",
    name: "body-not-object",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The request body is valid JSON but not an object",
    explanation: "\
## Why it fails
The Messages API takes a JSON object; an array, string or number is rejected with 400.

## Fix
Send `{\"model\": …, \"max_tokens\": …, \"messages\": […]}`.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(body) = s.json() else { return };
    if body.as_object().is_none() {
        out.push(
            Finding::new(&FL108, Part::Body, at(&[]), format!("the body is {}, not a JSON object", type_name(body)))
                .help("send `{\"model\": …, \"max_tokens\": …, \"messages\": […]}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn body_not_object() {
        assert_eq!(body_codes("[1,2]"), ["FL108"]);
        assert_eq!(body_codes("\"hello\""), ["FL108"]);
    }
}
