//! FL404 anthropic-beta-syntax: an `anthropic-beta` value that does not look like a beta name
//! (the pattern in rules/api.toml).

use crate::capture::request::Target;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

pub static FL404: RuleMeta = RuleMeta {
    code: "FL404",
    name: "anthropic-beta-syntax",
    family: Family::Headers,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "An `anthropic-beta` value does not look like `feature-name-YYYY-MM-DD`",
    explanation: "\
## Why it fails
Unknown betas are rejected with 400 `Unexpected value(s) … for the anthropic-beta header`.
Values are comma separated names ending in a date (pattern in rules/api.toml).

## Fix
Check the beta name against the documentation; separate several with commas.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    if !super::native(s) {
        return;
    }
    let Some((index, v)) = s.request.header("anthropic-beta") else { return };
    let re = &s.knowledge.beta_regex;
    let mut offset = 0;
    for part in v.split(',') {
        let name = part.trim();
        let start = offset + (part.len() - part.trim_start().len());
        if !name.is_empty() && !re.is_match(name) {
            out.push(
                Finding::new(
                    &FL404,
                    Part::Beta,
                    Target::Header { index, range: Some(start..start + name.len()) },
                    format!("`anthropic-beta` value `{name}` does not look like `feature-name-YYYY-MM-DD`"),
                )
                .help("check the beta name against the documentation; separate several with commas"),
            );
        }
        offset += part.len() + 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    fn with_beta(k: &crate::knowledge::Knowledge, beta: &str) -> Vec<&'static str> {
        codes(&native_with(
            k,
            vec![
                ("x-api-key", KEY),
                ("anthropic-version", "2023-06-01"),
                ("content-type", "application/json"),
                ("anthropic-beta", beta),
            ],
        ))
    }

    #[test]
    fn beta_syntax() {
        assert_eq!(with_beta(k(), "prompt-caching-2024-07-31, tools_beta"), ["FL404"]);
        assert!(with_beta(k(), "prompt-caching-2024-07-31,files-api-2025-04-14").is_empty());
    }

    #[test]
    fn follows_each_knowledge_base_beta_pattern() {
        // The embedded pattern first, so a per-process cache would hold it.
        assert!(with_beta(k(), "prompt-caching-2024-07-31").is_empty());
        let strict = embedded_api().replace(
            r"beta_pattern = '^[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}$'",
            r"beta_pattern = '^files-api-\d{4}-\d{2}-\d{2}$'",
        );
        assert_ne!(strict, embedded_api(), "the test must change the pattern");
        assert_eq!(with_beta(&with_api(&strict), "prompt-caching-2024-07-31"), ["FL404"]);
        assert!(with_beta(k(), "prompt-caching-2024-07-31").is_empty());
        // An invalid pattern is a configuration error at load, not a rule that never runs.
        let broken = embedded_api().replace("beta_pattern = '^", "beta_pattern = '^(");
        let err = try_with_api(&broken);
        assert!(err.err().map(|e| e.to_string()).unwrap_or_default().contains("beta_pattern"));
    }
}
