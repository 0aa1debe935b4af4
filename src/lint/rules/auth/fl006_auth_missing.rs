//! FL006 auth-missing: no credential header at all (complete captures only), or an empty one.

use crate::capture::request::Target;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL006: RuleMeta = RuleMeta {
    code: "FL006",
    name: "auth-missing",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "No credentials: neither `x-api-key` nor `Authorization` is sent",
    explanation: "\
## Why it fails
The API answers 401 `x-api-key header is required`. Usually the environment variable holding
the key is empty in this environment (CI secret not exposed, .env not loaded).

## Fix
Send the key in `x-api-key` (native API) or `Authorization: Bearer` (OpenAI-compatible
endpoints, OAuth tokens). Captures of Bedrock/Vertex requests use cloud credentials and are not
checked by this rule.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(credentials) = s.credentials() else { return };
    if credentials.api_key.is_none() && credentials.authorization.is_none() {
        // Logs keep a subset of headers: a missing header is reported for complete captures only.
        if s.request.headers_complete {
            out.push(
                Finding::new(
                    &FL006,
                    Part::Credentials,
                    Target::Headers,
                    "no credentials: neither `x-api-key` nor `Authorization` is sent",
                )
                .help("send `x-api-key: <key>`; check that the key's environment variable is set here"),
            );
        }
        return;
    }
    for key in credentials.keys.iter().filter(|k| k.empty) {
        out.push(
            Finding::new(
                &FL006,
                key.part,
                Target::Header { index: key.index, range: None },
                format!("`{}` is empty", key.header),
            )
            .help("the variable holding the key is empty in this environment"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::lint_logged_request;
    use crate::lint::testing::*;

    #[test]
    fn missing_credentials() {
        assert_eq!(codes(&native(&[], BODY)), ["FL006"]);
        assert_eq!(with_key(""), ["FL006"]);
        assert_eq!(with_key("  "), ["FL006"]);
        // A log that stripped credentials says nothing about them.
        let logged = lint_logged_request(
            k(),
            Some("/v1/messages"),
            &[("anthropic-version".into(), "2023-06-01".into())],
            Some(BODY),
            today(),
        );
        assert!(logged.is_empty(), "{logged:?}");
    }
}
