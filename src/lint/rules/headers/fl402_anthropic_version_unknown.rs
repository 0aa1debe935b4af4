//! FL402 anthropic-version-unknown: an `anthropic-version` that is not a published version.

use crate::capture::request::Target;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL402: RuleMeta = RuleMeta {
    code: "FL402",
    name: "anthropic-version-unknown",
    family: Family::Headers,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "`anthropic-version` is not a published API version",
    explanation: "\
## Why it fails
Only published versions are accepted (rules/api.toml: 2023-01-01, 2023-06-01, 2026-10-21).
Common mistakes: today's date, a Bedrock/Vertex body version in the header.

## Fix
Use `2023-06-01` or `2026-10-21`.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    if !super::native(s) {
        return;
    }
    let Some((index, v)) = s.request.header("anthropic-version") else { return };
    let k = &s.knowledge.api;
    if k.anthropic_versions.iter().any(|x| x == v.trim()) {
        return;
    }
    out.push(
        Finding::new(
            &FL402,
            Part::Version,
            Target::Header { index, range: None },
            format!(
                "`anthropic-version: {}` is not a published API version (known: {})",
                v.trim(),
                k.anthropic_versions.join(", ")
            ),
        )
        .help(super::version_advice(k)),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn version_unknown() {
        let headers = vec![("x-api-key", KEY), ("content-type", "application/json"), ("anthropic-version", "2024-01-01")];
        assert_eq!(codes(&native_with(k(), headers.clone())), ["FL402"]);
        // The advice names the newest version too, from rules/api.toml.
        let api = embedded_api()
            .replace(r#"recommended_version = "2023-06-01""#, r#"recommended_version = "2026-10-21""#)
            .replace(r#""2026-10-21"]"#, r#""2026-10-21", "2027-03-01"]"#);
        let f = native_with(&with_api(&api), headers);
        let fl402 = f.iter().find(|f| f.code == "FL402").unwrap_or_else(|| panic!("{f:?}"));
        assert_eq!(fl402.help.as_deref(), Some("send `2026-10-21` or `2027-03-01`"));
    }
}
