//! FL403 content-type-not-json: a request with a body and no `content-type` (complete captures
//! only), or one that is not `application/json`.

use crate::capture::request::{Edit, Fix, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let req = s.request;
    if !req.headers_known || !req.body.is_some_and(|b| !b.is_empty()) {
        return;
    }
    match req.header("content-type") {
        None if req.headers_complete => out.push(
            Finding::new(&FL403, Part::ContentType, Target::Headers, "no `content-type` header on a request with a body")
                .help("send `content-type: application/json`")
                .fix(Fix {
                    message: "add `content-type: application/json`".into(),
                    safe: true,
                    edits: vec![Edit::AddHeader { name: "content-type".into(), value: "application/json".into() }],
                }),
        ),
        None => {}
        Some((index, v)) => {
            let media = v.split(';').next().unwrap_or("").trim();
            if !media.eq_ignore_ascii_case("application/json") {
                out.push(
                    Finding::new(
                        &FL403,
                        Part::ContentType,
                        Target::Header { index, range: None },
                        format!("`content-type` is `{}`, not `application/json`", v.trim()),
                    )
                    .help("send `content-type: application/json`")
                    .fix(Fix {
                        message: "set `content-type: application/json`".into(),
                        safe: true,
                        edits: vec![Edit::Header { index, range: 0..v.len(), replacement: "application/json".into() }],
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn content_type() {
        assert_eq!(codes(&native_with(k(), vec![("x-api-key", KEY), ("anthropic-version", "2023-06-01")])), ["FL403"]);
        assert_eq!(
            codes(&native_with(
                k(),
                vec![
                    ("x-api-key", KEY),
                    ("anthropic-version", "2023-06-01"),
                    ("content-type", "application/x-www-form-urlencoded")
                ]
            )),
            ["FL403"]
        );
        assert!(codes(&native_with(
            k(),
            vec![("x-api-key", KEY), ("anthropic-version", "2023-06-01"), ("content-type", "application/json; charset=utf-8")]
        ))
        .is_empty());
    }
}
