//! FL401 anthropic-version-missing: no `anthropic-version` on a native request (complete
//! captures only).

use crate::capture::request::{Edit, Fix, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL401: RuleMeta = RuleMeta {
    code: "FL401",
    name: "anthropic-version-missing",
    family: Family::Headers,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "No `anthropic-version` header on a native Claude API request",
    explanation: "\
## Why it fails
The header is required: 400 `anthropic-version: header is required`. The SDKs always send it;
hand-written clients forget it.

## Fix
Send `anthropic-version: 2023-06-01` (or `2026-10-21`; the safe fix adds 2023-06-01, the value
the SDKs send).",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    if !super::native(s) || !s.request.headers_complete || s.request.header("anthropic-version").is_some() {
        return;
    }
    let recommended = &s.knowledge.api.recommended_version;
    out.push(
        Finding::new(
            &FL401,
            Part::Version,
            Target::Headers,
            "no `anthropic-version` header: the API answers 400 `anthropic-version: header is required`",
        )
        .help(format!("send `anthropic-version: {recommended}`"))
        .fix(Fix {
            message: format!("add `anthropic-version: {recommended}`"),
            safe: true,
            edits: vec![Edit::AddHeader { name: "anthropic-version".into(), value: recommended.clone() }],
        }),
    );
}

#[cfg(test)]
mod tests {
    use crate::capture::request::Edit;
    use crate::lint::testing::*;

    #[test]
    fn version_missing() {
        assert_eq!(codes(&native_with(k(), vec![("x-api-key", KEY), ("content-type", "application/json")])), ["FL401"]);
        assert!(codes(&native_with(
            k(),
            vec![("x-api-key", KEY), ("content-type", "application/json"), ("anthropic-version", "2026-10-21")]
        ))
        .is_empty());
    }

    #[test]
    fn fix_and_help_come_from_rules_api_toml() {
        let f = native_with(k(), vec![("x-api-key", KEY), ("content-type", "application/json")]);
        let fl401 = f.iter().find(|f| f.code == "FL401").unwrap_or_else(|| panic!("{f:?}"));
        assert_eq!(fl401.help.as_deref(), Some("send `anthropic-version: 2023-06-01`"));
        let api = embedded_api()
            .replace(r#"recommended_version = "2023-06-01""#, r#"recommended_version = "2026-10-21""#)
            .replace(r#""2026-10-21"]"#, r#""2026-10-21", "2027-03-01"]"#);
        let k2 = with_api(&api);
        let f = native_with(&k2, vec![("x-api-key", KEY), ("content-type", "application/json")]);
        let fl401 = f.iter().find(|f| f.code == "FL401").unwrap_or_else(|| panic!("{f:?}"));
        assert_eq!(fl401.help.as_deref(), Some("send `anthropic-version: 2026-10-21`"));
        let fix = fl401.fix.as_ref().map(|x| (x.message.as_str(), x.edits.as_slice()));
        assert!(
            matches!(fix, Some((m, [Edit::AddHeader { value, .. }])) if m == "add `anthropic-version: 2026-10-21`" && value == "2026-10-21"),
            "{fix:?}"
        );
    }
}
