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

// ---------------------------------------------------------------------------------------------
// Checks

use super::finding::{Ctx, Finding};
use crate::capture::request::{Edit, Fix, Provider, Request, Target};

/// `send \`<recommended>\`` and, when newer, `or \`<latest>\``: from rules/api.toml.
fn version_advice(k: &crate::knowledge::ApiFacts) -> String {
    match k.anthropic_versions.iter().max() {
        Some(latest) if *latest > k.recommended_version => format!("send `{}` or `{latest}`", k.recommended_version),
        _ => format!("send `{}`", k.recommended_version),
    }
}

pub(crate) fn check(req: &Request<'_>, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if !req.headers_known {
        return;
    }
    let k = &ctx.knowledge.api;
    if ctx.provider == Provider::Anthropic {
        match req.header("anthropic-version") {
            None if req.headers_complete => out.push(
                Finding::new(
                    &FL401,
                    Target::Headers,
                    "no `anthropic-version` header: the API answers 400 `anthropic-version: header is required`",
                )
                .help(format!("send `anthropic-version: {}`", k.recommended_version))
                .fix(Fix {
                    message: format!("add `anthropic-version: {}`", k.recommended_version),
                    safe: true,
                    edits: vec![Edit::AddHeader {
                        name: "anthropic-version".into(),
                        value: k.recommended_version.clone(),
                    }],
                }),
            ),
            None => {}
            Some((i, v)) if !k.anthropic_versions.iter().any(|x| x == v.trim()) => {
                out.push(
                    Finding::new(
                        &FL402,
                        Target::Header { index: i, range: None },
                        format!(
                            "`anthropic-version: {}` is not a published API version (known: {})",
                            v.trim(),
                            k.anthropic_versions.join(", ")
                        ),
                    )
                    .help(version_advice(k)),
                );
            }
            Some(_) => {}
        }
        if let Some((i, v)) = req.header("anthropic-beta") {
            let re = &ctx.knowledge.beta_regex;
            let mut offset = 0;
            for part in v.split(',') {
                let name = part.trim();
                let start = offset + (part.len() - part.trim_start().len());
                if !name.is_empty() && !re.is_match(name) {
                    out.push(
                        Finding::new(
                            &FL404,
                            Target::Header { index: i, range: Some(start..start + name.len()) },
                            format!("`anthropic-beta` value `{name}` does not look like `feature-name-YYYY-MM-DD`"),
                        )
                        .help("check the beta name against the documentation; separate several with commas"),
                    );
                }
                offset += part.len() + 1;
            }
        }
    }
    if req.body.is_some_and(|b| !b.is_empty()) {
        match req.header("content-type") {
            None if req.headers_complete => out.push(
                Finding::new(&FL403, Target::Headers, "no `content-type` header on a request with a body")
                    .help("send `content-type: application/json`")
                    .fix(Fix {
                        message: "add `content-type: application/json`".into(),
                        safe: true,
                        edits: vec![Edit::AddHeader { name: "content-type".into(), value: "application/json".into() }],
                    }),
            ),
            None => {}
            Some((i, v)) => {
                let media = v.split(';').next().unwrap_or("").trim();
                if !media.eq_ignore_ascii_case("application/json") {
                    let len = v.len();
                    out.push(
                        Finding::new(
                            &FL403,
                            Target::Header { index: i, range: None },
                            format!("`content-type` is `{}`, not `application/json`", v.trim()),
                        )
                        .help("send `content-type: application/json`")
                        .fix(Fix {
                            message: "set `content-type: application/json`".into(),
                            safe: true,
                            edits: vec![Edit::Header {
                                index: i,
                                range: 0..len,
                                replacement: "application/json".into(),
                            }],
                        }),
                    );
                }
            }
        }
    }
}
