//! FL1xx: the request body: the messages array, roles, content, max_tokens.
//! Seed 000 §2.1: 25.7 % of client-side errors come from malformed message arrays.

use super::{Family, FixAvailability, RuleMeta, Severity};

pub static FL101: RuleMeta = RuleMeta {
    code: "FL101",
    name: "messages-missing",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "`messages` is missing, null, not an array, or empty",
    explanation: "\
## Why it fails
`messages` is a required array with at least one message; the API answers 400
`messages: Field required` or a type error.

## Fix
Send `\"messages\": [{\"role\": \"user\", \"content\": \"…\"}]`.",
};

pub static FL102: RuleMeta = RuleMeta {
    code: "FL102",
    name: "message-role-invalid",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A message has a null, missing or unknown `role`",
    explanation: "\
## Why it fails
Each message needs `role` `user` or `assistant`. `system` is a top-level parameter, allowed
inside messages only from anthropic-version 2026-10-21 (mid-conversation system messages).
Loops that build history often emit `role: null` or `undefined`.

## Fix
Use `user`/`assistant`; move system prompts to the top-level `system` field.",
};

pub static FL103: RuleMeta = RuleMeta {
    code: "FL103",
    name: "message-content-empty",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A message has null, missing or empty `content`",
    explanation: "\
## Why it fails
The API answers 400 `messages.N: all messages must have non-empty content except for the
optional final assistant message`.

## Fix
Drop the empty turn, or give it content.",
};

pub static FL104: RuleMeta = RuleMeta {
    code: "FL104",
    name: "text-block-empty",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A `text` content block has empty or missing `text`",
    explanation: "\
## Why it fails
The API answers 400 `messages: text content blocks must be non-empty`.

## Fix
Remove the empty block or fill it.",
};

pub static FL105: RuleMeta = RuleMeta {
    code: "FL105",
    name: "max-tokens-invalid",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "`max_tokens` is missing or not a positive integer",
    explanation: "\
## Why it fails
`max_tokens` is required on the Messages API (400 `max_tokens: Field required`) and must be a
positive integer (0 only pre-warms the prompt cache). OpenAI-compatible chat/completions bodies
do not require it.

## Fix
Set `\"max_tokens\": 1024` (or what the task needs, within the model's limit).",
};

pub static FL106: RuleMeta = RuleMeta {
    code: "FL106",
    name: "prefill-trailing-whitespace",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "The final assistant message (prefill) ends in whitespace",
    explanation: "\
## Why it fails
A final `assistant` message is a prefill the answer continues from; the API rejects one that ends
in whitespace with 400 `final assistant content cannot end with trailing whitespace`.

## Fix
Trim the end of the prefill (safe fix).",
};

pub static FL107: RuleMeta = RuleMeta {
    code: "FL107",
    name: "content-block-unknown-type",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A content block has a missing or unknown `type`",
    explanation: "\
## Why it fails
Content blocks are tagged by `type` (`text`, `image`, `document`, `tool_use`, `tool_result`, …:
the list is in rules/api.toml). An unknown type is rejected with 400.

## Fix
Use a documented block type; `{\"type\": \"text\", \"text\": \"…\"}` for plain text.",
};

pub static FL108: RuleMeta = RuleMeta {
    code: "FL108",
    name: "body-not-object",
    family: Family::Messages,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The request body is valid JSON but not an object",
    explanation: "\
## Why it fails
The Messages API takes a JSON object; an array, string or number is rejected with 400.

## Fix
Send `{\"model\": …, \"max_tokens\": …, \"messages\": […]}`.",
};
