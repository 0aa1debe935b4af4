//! FL9xx: input that could not be read as a request.

use super::{Family, FixAvailability, RuleMeta, Severity};

pub static FL901: RuleMeta = RuleMeta {
    code: "FL901",
    name: "invalid-json",
    family: Family::Input,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The body (or the capture) is not valid JSON",
    explanation: "\
## Why it fails
The API answers 400 to a body it cannot parse. The finding points at the line and column where
parsing stopped (trailing commas, unescaped newlines in strings, truncated captures).

## Fix
Serialise the body with a JSON library instead of string templates.",
};

pub static FL902: RuleMeta = RuleMeta {
    code: "FL902",
    name: "unknown-format",
    family: Family::Input,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The input is not a capture format faultline reads",
    explanation: "\
## Why it matters
faultline reads raw HTTP requests, JSON envelopes `{method,url,headers,body}`, HAR files, curl
commands, log documents with request_header/request_body (or ECS fields), bare request bodies,
and NDJSON of any of these. Anything else cannot be checked.

## Fix
Capture the request in one of these forms.",
};

pub static FL903: RuleMeta = RuleMeta {
    code: "FL903",
    name: "unreadable-file",
    family: Family::Input,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A file could not be read (missing, permission denied, not text)",
    explanation: "\
## Why it matters
Nothing in the file could be checked. A file that cannot be read at all makes `faultline lint`
exit 3 (input error) rather than 1.

## Fix
Check the path and permissions.",
};
