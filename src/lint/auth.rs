//! FL0xx: the credential header (`Authorization: Bearer …` or `x-api-key`).
//! Seed 000 §2.1: 62.1 % of client-side errors; hidden line breaks (38.4 %) and lowercase
//! `bearer` (27.6 %) lead.

use super::{Family, FixAvailability, RuleMeta, Severity};

pub static FL001: RuleMeta = RuleMeta {
    code: "FL001",
    name: "auth-line-break",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "Line break, carriage return or tab inside the credential header value",
    explanation: "\
## Why it fails
A key copied from a text editor often drags a line break along (seed 000: 38.4 % of invalid
headers). HTTP stacks either reject the header outright or send a key whose bytes are not the
key: the API answers 400 or 401.

## Example
`Authorization: Bearer sk-ant-api03-…␊` (a trailing LF read from a file)

## Fix
Remove the control characters (safe fix). Trim the key where it is loaded: `key.strip()`.",
};

pub static FL002: RuleMeta = RuleMeta {
    code: "FL002",
    name: "auth-whitespace",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "Leading or trailing whitespace around the key in the credential header",
    explanation: "\
## Why it fails
Spaces before or after the key are part of the value the API compares; the key no longer
matches and the request fails with 401 (or 400 at a strict gateway).

## Example
`x-api-key:  sk-ant-api03-… ` (spaces around the key)

## Fix
Trim the value (safe fix).",
};

pub static FL003: RuleMeta = RuleMeta {
    code: "FL003",
    name: "auth-invisible-character",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "Invisible or non-ASCII character (NBSP, zero-width space/joiner, BOM) in the key",
    explanation: "\
## Why it fails
Keys copied from rich-text consoles, chat tools or documents can carry characters that show as
nothing: U+00A0 no-break space, U+200B zero-width space, U+200D zero-width joiner, U+FEFF BOM.
Keys are ASCII; any of these makes the key invalid (seed 000: 47.3 % of 401s).

## Example
`x-api-key: sk-ant-api03-abc<U+200B>def…`

## Fix
Delete the invisible characters (safe fix), and re-copy the key as plain text.",
};

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
(seed 000: 27.6 % of invalid headers) or a misspelling is rejected with 400 or 401.

## Example
`Authorization: bearer sk-ant-api03-…`

## Fix
Write the scheme as `Bearer` (safe fix).",
};

pub static FL005: RuleMeta = RuleMeta {
    code: "FL005",
    name: "auth-scheme-spacing",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "Missing or repeated space between `Bearer` and the key",
    explanation: "\
## Why it fails
The header must be exactly `Bearer <key>` with one space. `Bearersk-ant-…` has no scheme at all;
`Bearer  sk-ant-…` makes the key start with a space.

## Fix
Use exactly one space after the scheme (safe fix).",
};

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
};

pub static FL007: RuleMeta = RuleMeta {
    code: "FL007",
    name: "auth-both-headers",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "Both `x-api-key` and `Authorization` are sent",
    explanation: "\
## Why it fails
Setting both ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN makes the SDK send both headers; the
API rejects the ambiguous request with 401 (reference §2).

## Fix
Send one credential: unset one of the two environment variables.",
};

pub static FL008: RuleMeta = RuleMeta {
    code: "FL008",
    name: "auth-key-malformed",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "The credential does not look like a key (quoted, truncated, a placeholder)",
    explanation: "\
## Why it fails
Quotes copied with the key (`\"sk-ant-…\"`), a key cut short by a paste, or a placeholder
(`YOUR_API_KEY`, `${ANTHROPIC_API_KEY}`) are sent as-is and rejected with 401.

## Fix
Remove surrounding quotes (safe fix); otherwise load the real, complete key.",
};
