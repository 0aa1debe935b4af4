//! FL007 auth-both-headers: `x-api-key` and `Authorization` both sent to the Claude API.

use crate::capture::request::{Provider, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL007: RuleMeta = RuleMeta {
    code: "FL007",
    name: "auth-both-headers",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "Both `x-api-key` and `Authorization` are sent",
    explanation: "\
## Why it fails
Setting both ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN makes the SDK send both headers; the
API rejects the ambiguous request with 401 (reference §2).

## Fix
Send one credential: unset one of the two environment variables.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(credentials) = s.credentials() else { return };
    if let (Some((index, _)), Some(_)) = (credentials.api_key, &credentials.authorization) {
        if s.provider == Provider::Anthropic {
            out.push(
                Finding::new(
                    &FL007,
                    Part::Credentials,
                    Target::Header { index, range: None },
                    "both `x-api-key` and `Authorization` are sent",
                )
                .help("send one credential: unset ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn both_headers() {
        let f = codes(&native(&[("x-api-key", KEY), ("authorization", &format!("Bearer {KEY}"))], BODY));
        assert_eq!(f, ["FL007"]);
    }
}
