//! FL902 unknown-format: a record in no capture format faultline reads (reported by the engine).

use crate::lint::{Family, FixAvailability, RuleMeta, Severity};

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
    check: None,
};
