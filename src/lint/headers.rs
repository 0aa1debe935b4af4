//! FL4xx: headers other than the credential.

use super::{Family, FixAvailability, RuleMeta, Severity};

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
};

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
};

pub static FL403: RuleMeta = RuleMeta {
    code: "FL403",
    name: "content-type-not-json",
    family: Family::Headers,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "`content-type` is missing or not `application/json` on a request with a body",
    explanation: "\
## Why it fails
The API parses the body as JSON only with `content-type: application/json`; form encodings and
`text/plain` are rejected with 400.

## Fix
Send `content-type: application/json` (safe fix).",
};

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
};
