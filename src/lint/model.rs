//! FL2xx: the model ID, checked against rules/models.toml at a given date.
//! Seed 000 §2.1: 12.2 % of client-side errors; 3.2x more in the week after a model release.

use super::{Family, FixAvailability, RuleMeta, Severity};

pub static FL201: RuleMeta = RuleMeta {
    code: "FL201",
    name: "model-unknown",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "The model ID is not a known model for any provider",
    explanation: "\
## Why it fails
An unknown model answers 404 `not_found_error` (`model: <id>`) or 400. Typical causes: a dotted
version (`claude-sonnet-4.5`), a short form that never existed (`claude-3-sonnet`), a typo.

## Fix
Use the suggested ID (safe fix when exactly one known ID matches the dotted or typo form).
Approved internal models go in faultline.toml `[[models.extra]]`.",
};

pub static FL202: RuleMeta = RuleMeta {
    code: "FL202",
    name: "model-alias",
    family: Family::Model,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    summary: "The model is an unpinned alias (`claude-sonnet-4-5`, `…-latest`)",
    explanation: "\
## Why it matters
Aliases point at whatever snapshot is current: behaviour changes under you when the alias moves,
and aliases of older models are removed before the pinned IDs.

## Fix
Pin the snapshot ID, e.g. `claude-sonnet-4-5` -> `claude-sonnet-4-5-20250929` (unsafe fix: it
changes which model answers if the alias had moved).",
};

pub static FL203: RuleMeta = RuleMeta {
    code: "FL203",
    name: "model-retired",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The model was retired at the request's date",
    explanation: "\
## Why it fails
Requests to retired models fail (404 `model: <id>`); there is no automatic fallback. Status is
evaluated at the date given by `--as-of` (default today).

## Fix
Move to the replacement named in the message (rules/models.toml `replacement`).",
};

pub static FL204: RuleMeta = RuleMeta {
    code: "FL204",
    name: "model-deprecated",
    family: Family::Model,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "The model is deprecated and has a retirement date",
    explanation: "\
## Why it matters
Deprecated models still answer until their retirement date, then fail. Migrate before the date.

## Fix
Move to the replacement named in the message.",
};

pub static FL205: RuleMeta = RuleMeta {
    code: "FL205",
    name: "model-wrong-provider",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "The model ID belongs to another provider than the endpoint (Bedrock ID sent to the Claude API …)",
    explanation: "\
## Why it fails
Each platform names models differently: Claude API `claude-sonnet-4-5-20250929`, Bedrock
`anthropic.claude-sonnet-4-5-20250929-v1:0`, Vertex `claude-sonnet-4-5@20250929`. Sending one
platform's form to another gives 400/404.

## Fix
Use the ID of the endpoint's platform (safe fix when the model has exactly one such ID).",
};

pub static FL206: RuleMeta = RuleMeta {
    code: "FL206",
    name: "model-missing",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The body has no `model` (or it is not a string)",
    explanation: "\
## Why it fails
`model` is required on the Messages API and chat/completions (400 `model: Field required`).
Vertex and Bedrock InvokeModel carry the model in the URL instead and are not checked.

## Fix
Set `\"model\"` to a pinned model ID.",
};
