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
(`YOUR_API_KEY`, `${ANTHROPIC_API_KEY}`) are sent as-is and rejected with 401. An OAuth token
(`sk-ant-oat01-…`) sent in `x-api-key` instead of `Authorization: Bearer` is rejected the same way
(reference §2).

## Fix
Remove surrounding quotes (safe fix); otherwise load the real, complete key.",
};

// ---------------------------------------------------------------------------------------------
// Checks

use super::finding::{Ctx, Finding};
use super::text::{char_name, char_ranges, is_invisible};
use crate::capture::request::{contains_ignore_case, Edit, Fix, Provider, Request, Target};
use crate::redact::redact_secret;

fn delete_all(index: usize, ranges: &[std::ops::Range<usize>], message: &str) -> Fix {
    Fix {
        message: message.into(),
        safe: true,
        edits: ranges.iter().map(|r| Edit::Header { index, range: r.clone(), replacement: String::new() }).collect(),
    }
}

fn is_space_like(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n') || is_invisible(c)
}

/// Checks the credential headers.
pub(crate) fn check(req: &Request<'_>, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if !req.headers_known || matches!(ctx.provider, Provider::Bedrock | Provider::Vertex) {
        return;
    }
    let api_key = req.header("x-api-key");
    let authorization = req.header("authorization");
    match (api_key, authorization) {
        (None, None) => {
            if req.headers_complete {
                out.push(
                    Finding::new(
                        &FL006,
                        Target::Headers,
                        "no credentials: neither `x-api-key` nor `Authorization` is sent",
                    )
                    .help("send `x-api-key: <key>`; check that the key's environment variable is set here"),
                );
            }
            return;
        }
        (Some((i, _)), Some(_)) if ctx.provider == Provider::Anthropic => {
            out.push(
                Finding::new(
                    &FL007,
                    Target::Header { index: i, range: None },
                    "both `x-api-key` and `Authorization` are sent",
                )
                .help("send one credential: unset ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN"),
            );
        }
        _ => {}
    }
    if let Some((i, v)) = api_key {
        check_value(ctx, i, "x-api-key", v, 0, out);
    }
    if let Some((i, v)) = authorization {
        check_authorization(ctx, i, v, out);
    }
}

/// Checks `Authorization`: the scheme, the separator, then the token as a key.
fn check_authorization(ctx: &Ctx<'_>, index: usize, value: &str, out: &mut Vec<Finding>) {
    let lead = value.len() - value.trim_start_matches([' ', '\t']).len();
    let rest = &value[lead..];
    let word_end = rest.find([' ', '\t']).unwrap_or(rest.len());
    let word = &rest[..word_end];
    let lower = word.to_ascii_lowercase();
    let target = |r: std::ops::Range<usize>| Target::Header { index, range: Some(r) };
    if word_end == rest.len() {
        // One word: `Bearersk-ant-…` (no space), or a bare key without a scheme.
        if lower.starts_with("bearer") && word.len() > 6 {
            let scheme_end = lead + 6;
            let mut edits = Vec::new();
            if &word[..6] != "Bearer" {
                edits.push(Edit::Header { index, range: lead..scheme_end, replacement: "Bearer".into() });
            }
            edits.push(Edit::Header { index, range: scheme_end..scheme_end, replacement: " ".into() });
            out.push(
                Finding::new(&FL005, target(lead..scheme_end + 1), "no space between `Bearer` and the key")
                    .help("write `Bearer <key>` with one space")
                    .fix(Fix { message: "insert a space after `Bearer`".into(), safe: true, edits }),
            );
            check_value(ctx, index, "Authorization", &value[scheme_end..], scheme_end, out);
        } else if !word.is_empty() && (word.starts_with("sk-") || word.len() >= 20) {
            out.push(
                Finding::new(&FL004, target(lead..lead), "`Authorization` carries a key without the `Bearer` scheme")
                    .help("write `Authorization: Bearer <key>`")
                    .fix(Fix {
                        message: "insert `Bearer `".into(),
                        safe: true,
                        edits: vec![Edit::Header { index, range: lead..lead, replacement: "Bearer ".into() }],
                    }),
            );
            check_value(ctx, index, "Authorization", value, 0, out);
        } else {
            check_value(ctx, index, "Authorization", value, 0, out);
        }
        return;
    }
    let known_other = ["basic", "digest", "aws4-hmac-sha256", "negotiate", "token", "apikey"];
    let misspelled = word != "Bearer"
        && !known_other.contains(&lower.as_str())
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && (lower == "bearer" || strsim::levenshtein(&lower, "bearer") <= 2);
    if misspelled {
        let what = if lower == "bearer" { "is not capitalised" } else { "is misspelled" };
        out.push(
            Finding::new(&FL004, target(lead..lead + word_end), format!("the scheme `{word}` {what}: write `Bearer`"))
                .help("write the scheme exactly as `Bearer`")
                .fix(Fix {
                    message: format!("replace `{word}` with `Bearer`"),
                    safe: true,
                    edits: vec![Edit::Header { index, range: lead..lead + word_end, replacement: "Bearer".into() }],
                }),
        );
    } else if word != "Bearer" && lower != "bearer" {
        // Another scheme (Basic, AWS signatures): not this linter's business.
        return;
    }
    let sep_start = lead + word_end;
    let sep_len = value[sep_start..].len() - value[sep_start..].trim_start_matches([' ', '\t']).len();
    let sep = &value[sep_start..sep_start + sep_len];
    if sep != " " && sep_start + sep_len < value.len() {
        out.push(
            Finding::new(
                &FL005,
                target(sep_start..sep_start + sep_len),
                format!(
                    "{} characters of whitespace between `Bearer` and the key: exactly one space is expected",
                    sep.len()
                ),
            )
            .help("write `Bearer <key>` with one space")
            .fix(Fix {
                message: "use a single space".into(),
                safe: true,
                edits: vec![Edit::Header { index, range: sep_start..sep_start + sep_len, replacement: " ".into() }],
            }),
        );
    }
    let token_start = sep_start + sep_len;
    check_value(ctx, index, "Authorization", &value[token_start..], token_start, out);
}

/// Checks a key value (`x-api-key`'s value, or the token after `Bearer `). `base` is the offset
/// of `value` within the header value.
fn check_value(ctx: &Ctx<'_>, index: usize, header: &str, value: &str, base: usize, out: &mut Vec<Finding>) {
    let shift = |r: &std::ops::Range<usize>| r.start + base..r.end + base;
    if value.trim_matches(is_space_like).is_empty() {
        out.push(
            Finding::new(&FL006, Target::Header { index, range: None }, format!("`{header}` is empty"))
                .help("the variable holding the key is empty in this environment"),
        );
        return;
    }
    // The common case, a plain printable ASCII key, has nothing for FL001-FL003.
    let plain = value.bytes().all(|b| b.is_ascii_graphic());
    // Built only when there is something to report: this runs on every request.
    let clean = || -> String { value.chars().filter(|c| !is_space_like(*c)).collect() };
    let shown = || redact_secret(&clean());
    // FL001: line breaks and tabs anywhere.
    let controls: Vec<_> = if plain {
        Vec::new()
    } else {
        char_ranges(value, |c| matches!(c, '\n' | '\r' | '\t')).iter().map(shift).collect()
    };
    if let Some(first) = controls.first() {
        let c = value[first.start - base..].chars().next().unwrap_or('\n');
        let place = if first.start - base >= value.trim_end_matches(is_space_like).len() { "after" } else { "inside" };
        out.push(
            Finding::new(
                &FL001,
                Target::Header { index, range: Some(first.clone()) },
                format!(
                    "{} {place} the key in `{header}` ({}){}",
                    char_name(c),
                    shown(),
                    if controls.len() > 1 {
                        format!(", and {} more control characters", controls.len() - 1)
                    } else {
                        String::new()
                    }
                ),
            )
            .help("remove the line break; trim the key where it is loaded (`key.strip()`)")
            .fix(delete_all(index, &controls, "remove the control characters")),
        );
    }
    // FL003: invisible and non-ASCII characters.
    let invisible: Vec<_> = if plain {
        Vec::new()
    } else {
        char_ranges(value, |c| {
            is_invisible(c) || (!c.is_ascii()) || (c.is_ascii_control() && !matches!(c, '\n' | '\r' | '\t'))
        })
        .iter()
        .map(shift)
        .collect()
    };
    if let Some(first) = invisible.first() {
        let c = value[first.start - base..].chars().next().unwrap_or('\u{FFFD}');
        out.push(
            Finding::new(
                &FL003,
                Target::Header { index, range: Some(first.clone()) },
                format!(
                    "{} in the key in `{header}` ({}){}",
                    char_name(c),
                    shown(),
                    if invisible.len() > 1 { format!(", and {} more", invisible.len() - 1) } else { String::new() }
                ),
            )
            .help("delete the invisible characters and re-copy the key as plain text")
            .fix(delete_all(index, &invisible, "delete the invisible characters")),
        );
    }
    // FL002: ASCII spaces before or after the key (other space-like characters have their own rule).
    let start_len = value.len() - value.trim_start_matches(is_space_like).len();
    let end_at = value.trim_end_matches(is_space_like).len();
    let spaces: Vec<_> = if plain { Vec::new() } else { char_ranges(value, |c| c == ' ') }
        .into_iter()
        .filter(|r| r.end <= start_len || r.start >= end_at)
        .map(|r| shift(&r))
        .collect();
    if let Some(first) = spaces.first() {
        let side = if first.start - base < start_len { "before" } else { "after" };
        out.push(
            Finding::new(
                &FL002,
                Target::Header { index, range: Some(first.start..spaces.last().map_or(first.end, |l| l.end)) },
                format!("{} space(s) {side} the key in `{header}` ({})", spaces.len(), shown()),
            )
            .help("trim the value")
            .fix(delete_all(index, &spaces, "trim the spaces")),
        );
    }
    // FL008: quotes, placeholders, truncation.
    let core_range = start_len..end_at;
    let core = &value[core_range.clone()];
    let k = &ctx.knowledge.api;
    let quoted = core.len() >= 2
        && ((core.starts_with('"') && core.ends_with('"')) || (core.starts_with('\'') && core.ends_with('\'')));
    let prefix = k.key_prefixes.iter().find(|p| core.starts_with(p.as_str()));
    let key_len = if plain { core.len() } else { core.chars().filter(|c| !is_space_like(*c)).count() };
    // A complete key of a known shape is no placeholder unless it is filled with x's; the full
    // placeholder scan runs only for other values.
    let known_shape = prefix.is_some() && key_len >= k.min_key_length;
    let placeholder = if known_shape { core.contains("xxxx") || core.contains("XXXX") } else { placeholder_like(core) };
    if header == "x-api-key" && core.starts_with("sk-ant-oat") {
        // Reference §2: an OAuth token in x-api-key is rejected with 401.
        out.push(
            Finding::new(
                &FL008,
                Target::Header { index, range: Some(core_range.start + base..core_range.end + base) },
                format!(
                    "`x-api-key` carries an OAuth token ({}), which the API only accepts as `Authorization: Bearer`",
                    shown()
                ),
            )
            .help("send the token as `Authorization: Bearer <token>` (ANTHROPIC_AUTH_TOKEN), or use an API key here"),
        );
        return;
    }
    if quoted {
        let open = core_range.start + base;
        let close = core_range.end + base - 1;
        out.push(
            Finding::new(
                &FL008,
                Target::Header { index, range: Some(open..close + 1) },
                format!("the key in `{header}` is wrapped in quotes ({})", shown()),
            )
            .help("remove the quotes: they are sent as part of the key")
            .fix(Fix {
                message: "remove the quotes".into(),
                safe: true,
                edits: vec![
                    Edit::Header { index, range: open..open + 1, replacement: String::new() },
                    Edit::Header { index, range: close..close + 1, replacement: String::new() },
                ],
            }),
        );
    } else if placeholder {
        out.push(
            Finding::new(
                &FL008,
                Target::Header { index, range: Some(core_range.start + base..core_range.end + base) },
                format!("`{header}` holds a placeholder, not a key ({})", shown()),
            )
            .help("load the real key; the template or environment variable was not substituted"),
        );
    } else if let Some(prefix) = prefix {
        if key_len < k.min_key_length {
            out.push(
                Finding::new(
                    &FL008,
                    Target::Header { index, range: Some(core_range.start + base..core_range.end + base) },
                    format!(
                        "the key in `{header}` is {} characters long: keys starting `{prefix}` are at least {}, it looks truncated ({})",
                        key_len,
                        k.min_key_length,
                        shown()
                    ),
                )
                .help("copy the complete key"),
            );
        } else if core.contains(' ') {
            out.push(Finding::new(
                &FL008,
                Target::Header { index, range: Some(core_range.start + base..core_range.end + base) },
                format!("the key in `{header}` contains a space ({})", shown()),
            ));
        }
    }
}

/// Template syntax and the usual stand-ins for a key that was never filled in.
fn placeholder_like(core: &str) -> bool {
    core.contains("${")
        || core.starts_with('$')
        || (core.starts_with('<') && core.ends_with('>'))
        || ["your", "xxxx", "api_key"].iter().any(|p| contains_ignore_case(core, p))
        || ["undefined", "null", "none", "nil", "changeme", "todo", "redacted", "secret", "key", "token"]
            .iter()
            .any(|p| core.eq_ignore_ascii_case(p))
}
