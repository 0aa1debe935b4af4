//! FL004 auth-scheme-case: the `Authorization` scheme is not `Bearer` (lowercase, misspelled,
//! or missing before a bare key).

use super::Scheme;
use crate::capture::request::{Edit, Fix, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL004: RuleMeta = RuleMeta {
    code: "FL004",
    name: "auth-scheme-case",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "Authorization scheme is not spelled `Bearer` (lowercase `bearer`, `Baerer`, `Bearar` …)",
    explanation: "\
## Why it fails
Gateways and OpenAI-compatible proxies often match the scheme literally; a lowercase `bearer`
(the Elasticsearch study: 27.6 % of invalid headers) or a misspelling is rejected with 400 or 401.

## Example
`Authorization: bearer sk-ant-api03-…`

## Fix
Write the scheme as `Bearer` (safe fix).",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(a) = s.credentials().and_then(|c| c.authorization.as_ref()) else { return };
    let index = a.index;
    let target = |r: std::ops::Range<usize>| Target::Header { index, range: Some(r) };
    match a.scheme {
        Scheme::Bare { lead } => out.push(
            Finding::new(
                &FL004,
                Part::Credential(1),
                target(lead..lead),
                "`Authorization` carries a key without the `Bearer` scheme",
            )
            .help("write `Authorization: Bearer <key>`")
            .fix(Fix {
                message: "insert `Bearer `".into(),
                safe: true,
                edits: vec![Edit::Header { index, range: lead..lead, replacement: "Bearer ".into() }],
            }),
        ),
        Scheme::Bearer { lead, word, misspelled: true, .. } => {
            let what = if word.eq_ignore_ascii_case("bearer") { "is not capitalised" } else { "is misspelled" };
            let end = lead + word.len();
            out.push(
                Finding::new(
                    &FL004,
                    Part::Credential(1),
                    target(lead..end),
                    format!("the scheme `{word}` {what}: write `Bearer`"),
                )
                .help("write the scheme exactly as `Bearer`")
                .fix(Fix {
                    message: format!("replace `{word}` with `Bearer`"),
                    safe: true,
                    edits: vec![Edit::Header { index, range: lead..end, replacement: "Bearer".into() }],
                }),
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn scheme_spelling() {
        assert_eq!(with_auth(&format!("bearer {KEY}")), ["FL004"]);
        assert_eq!(with_auth(&format!("BEARER {KEY}")), ["FL004"]);
        assert_eq!(with_auth(&format!("Baerer {KEY}")), ["FL004"]);
        assert_eq!(with_auth(KEY), ["FL004"]);
        // Other schemes are someone else's business.
        assert!(with_auth("Basic dXNlcjpwYXNzd29yZA==").is_empty());
    }
}
