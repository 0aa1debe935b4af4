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

// ---------------------------------------------------------------------------------------------
// Checks

use crate::capture::jv::{Json as Value, Obj};

use super::finding::{Ctx, Finding};
use crate::capture::request::{Edit, Endpoint, Fix, PathSeg, Provider, Target};

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_string())
}

fn at(path: &[PathSeg]) -> Target {
    Target::Body { path: path.to_vec(), range: None }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks the body fields of a Messages (or chat/completions) request. `version` is the
/// `anthropic-version` header, when sent.
pub(crate) fn check(body: &Value, ctx: &Ctx<'_>, version: Option<&str>, out: &mut Vec<Finding>) {
    let Some(obj) = body.as_object() else {
        out.push(
            Finding::new(&FL108, at(&[]), format!("the body is {}, not a JSON object", type_name(body)))
                .help("send `{\"model\": …, \"max_tokens\": …, \"messages\": […]}`"),
        );
        return;
    };
    let openai = ctx.provider == Provider::Openai;
    check_max_tokens(obj, ctx, out);
    let messages = obj.get("messages");
    let list = match messages {
        Some(Value::Array(list)) if !list.is_empty() => list,
        Some(Value::Array(_)) => {
            out.push(
                Finding::new(&FL101, at(&[key("messages")]), "`messages` is empty")
                    .help("send at least one user message"),
            );
            return;
        }
        None => {
            out.push(
                Finding::new(&FL101, at(&[]), "the body has no `messages`")
                    .help("add `\"messages\": [{\"role\": \"user\", \"content\": \"…\"}]`"),
            );
            return;
        }
        Some(other) => {
            out.push(
                Finding::new(
                    &FL101,
                    at(&[key("messages")]),
                    format!("`messages` is {}, not an array", type_name(other)),
                )
                .help("`messages` is an array of {role, content} objects"),
            );
            return;
        }
    };
    let k = &ctx.knowledge.api;
    let system_allowed = version.is_some_and(|v| k.system_role_versions.iter().any(|s| s == v.trim()));
    let last = list.len() - 1;
    for (i, message) in list.iter().enumerate() {
        // Paths are built only for findings: this loop runs over every message of every request.
        let here = || vec![key("messages"), PathSeg::Index(i)];
        let role_path = || vec![key("messages"), PathSeg::Index(i), key("role")];
        let content_path = || vec![key("messages"), PathSeg::Index(i), key("content")];
        let Some(m) = message.as_object() else {
            out.push(Finding::new(
                &FL102,
                at(&here()),
                format!("`messages[{i}]` is {}, not a {{role, content}} object", type_name(message)),
            ));
            continue;
        };
        let role = m.get("role");
        let role_str = role.and_then(Value::as_str);
        match role {
            None => out.push(
                Finding::new(&FL102, at(&here()), format!("`messages[{i}]` has no `role`"))
                    .help("set `role` to `user` or `assistant`"),
            ),
            Some(Value::String(r)) => {
                let known = if openai {
                    k.openai_roles.iter().any(|x| x == r)
                } else {
                    k.roles.iter().any(|x| x == r) || (r == "system" && system_allowed)
                };
                if !known {
                    let finding = if r == "system" {
                        Finding::new(&FL102, at(&role_path()), format!("`messages[{i}].role` is `system`, which this anthropic-version does not allow inside messages"))
                            .help(match k.system_role_versions.iter().max() {
                                Some(v) => format!("move the system prompt to the top-level `system` field (or send anthropic-version {v})"),
                                None => "move the system prompt to the top-level `system` field".to_string(),
                            })
                    } else {
                        Finding::new(
                            &FL102,
                            at(&role_path()),
                            format!(
                                "`messages[{i}].role` is `{r}`: expected {}",
                                if openai { k.openai_roles.join(", ") } else { k.roles.join(" or ") }
                            ),
                        )
                        .help("use `user` or `assistant`")
                    };
                    out.push(finding);
                }
            }
            Some(other) => out.push(
                Finding::new(&FL102, at(&role_path()), format!("`messages[{i}].role` is {}", type_name(other)))
                    .help("set `role` to `user` or `assistant`"),
            ),
        }
        let final_assistant = i == last && role_str == Some("assistant");
        let content = m.get("content");
        // OpenAI: assistant turns with tool calls carry null content.
        let may_be_empty =
            final_assistant || (openai && (role_str == Some("assistant") || m.contains_key("tool_calls")));
        match content {
            None | Some(Value::Null) if !may_be_empty => out.push(
                Finding::new(
                    &FL103,
                    at(&if content.is_none() { here() } else { content_path() }),
                    format!("`messages[{i}].content` is {}", if content.is_none() { "missing" } else { "null" }),
                )
                .help("give the message content, or drop the turn"),
            ),
            Some(Value::String(s)) if s.is_empty() && !may_be_empty => out.push(
                Finding::new(&FL103, at(&content_path()), format!("`messages[{i}].content` is an empty string"))
                    .help("give the message content, or drop the turn"),
            ),
            Some(Value::Array(blocks)) if blocks.is_empty() && !may_be_empty => out.push(
                Finding::new(&FL103, at(&content_path()), format!("`messages[{i}].content` is an empty array"))
                    .help("give the message content, or drop the turn"),
            ),
            Some(Value::Array(blocks)) => check_blocks(blocks, i, ctx, out),
            Some(Value::String(_)) | Some(Value::Null) | None => {}
            Some(other) => out.push(Finding::new(
                &FL103,
                at(&content_path()),
                format!("`messages[{i}].content` is {}: expected a string or an array of blocks", type_name(other)),
            )),
        }
        if final_assistant && !openai {
            check_prefill(content, &content_path(), out);
        }
    }
}

fn check_max_tokens(obj: &Obj<'_>, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let required = matches!(
        ctx.endpoint,
        Endpoint::Messages | Endpoint::Unknown | Endpoint::BedrockInvoke | Endpoint::VertexPredict
    ) && ctx.provider != Provider::Openai;
    let field = if obj.contains_key("max_tokens") || ctx.provider != Provider::Openai {
        "max_tokens"
    } else {
        "max_completion_tokens"
    };
    match obj.get(field) {
        None => {
            if required {
                out.push(
                    Finding::new(&FL105, at(&[]), "the body has no `max_tokens`")
                        .help("set `\"max_tokens\": 1024` (or what the task needs)"),
                );
            }
        }
        Some(v) => {
            let ok = v.as_u64().is_some() || (ctx.endpoint == Endpoint::CountTokens);
            if !ok {
                let shown = match v {
                    Value::Number(n) => format!("`{n}`"),
                    other => type_name(other).to_string(),
                };
                out.push(
                    Finding::new(
                        &FL105,
                        at(&[key(field)]),
                        format!("`{field}` is {shown}: expected a positive integer"),
                    )
                    .help("set `max_tokens` to a positive integer such as 1024"),
                );
            }
        }
    }
}

fn check_blocks(blocks: &[Value], message: usize, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let types = &ctx.knowledge.api.content_block_types;
    let openai = ctx.provider == Provider::Openai;
    for (j, block) in blocks.iter().enumerate() {
        let here = || vec![key("messages"), PathSeg::Index(message), key("content"), PathSeg::Index(j)];
        let shown = || crate::capture::request::path_string(&here());
        let Some(b) = block.as_object() else {
            if !openai {
                out.push(Finding::new(
                    &FL107,
                    at(&here()),
                    format!("`{}` is {}, not a content block object", shown(), type_name(block)),
                ));
            }
            continue;
        };
        let ty = b.get("type").and_then(Value::as_str);
        match ty {
            None => out.push(
                Finding::new(&FL107, at(&here()), format!("`{}` has no `type`", shown()))
                    .help("tag the block, e.g. `{\"type\": \"text\", \"text\": \"…\"}`"),
            ),
            Some(t) if !openai && !types.iter().any(|x| x == t) => {
                let mut tp = here();
                tp.push(key("type"));
                out.push(
                    Finding::new(&FL107, at(&tp), format!("`{}.type` is `{t}`, not a content block type", shown()))
                        .help("use a documented block type (`text`, `image`, `tool_use`, `tool_result`, …)"),
                );
            }
            Some("text") => match b.get("text") {
                Some(Value::String(s)) if !s.trim().is_empty() => {}
                Some(Value::String(s)) => {
                    let mut tp = here();
                    tp.push(key("text"));
                    let what = if s.is_empty() { "empty" } else { "only whitespace" };
                    out.push(
                        Finding::new(&FL104, at(&tp), format!("`{}.text` is {what}", shown()))
                            .help("remove the empty block or fill it"),
                    );
                }
                _ => out.push(
                    Finding::new(&FL104, at(&here()), format!("`{}` is a text block without a `text` string", shown()))
                        .help("remove the empty block or fill it"),
                ),
            },
            Some(_) => {}
        }
    }
}

fn check_prefill(content: Option<&Value>, path: &[PathSeg], out: &mut Vec<Finding>) {
    let (text, text_path) = match content {
        Some(Value::String(s)) => (s.as_ref(), path.to_vec()),
        Some(Value::Array(blocks)) => {
            let Some(Value::Object(b)) = blocks.last() else { return };
            let Some(Value::String(s)) = b.get("text") else { return };
            if b.get("type").and_then(Value::as_str) != Some("text") {
                return;
            }
            let mut p = path.to_vec();
            p.push(PathSeg::Index(blocks.len() - 1));
            p.push(key("text"));
            (s.as_ref(), p)
        }
        _ => return,
    };
    let trimmed = text.trim_end().len();
    if trimmed < text.len() && trimmed > 0 {
        let range = trimmed..text.len();
        out.push(
            Finding::new(
                &FL106,
                Target::Body { path: text_path.clone(), range: Some(range.clone()) },
                "the final assistant message (prefill) ends in whitespace",
            )
            .help("trim the end of the prefill")
            .fix(Fix {
                message: "trim the trailing whitespace".into(),
                safe: true,
                edits: vec![Edit::BodyString { path: text_path, range, replacement: String::new() }],
            }),
        );
    }
}
