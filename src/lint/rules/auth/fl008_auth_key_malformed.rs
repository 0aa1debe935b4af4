//! FL008 auth-key-malformed: a key wrapped in quotes, a placeholder, a truncated key, an OAuth
//! token in `x-api-key`.

use super::Key;
use crate::capture::request::{contains_ignore_case, Edit, Fix};
use crate::knowledge::ApiFacts;
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(credentials) = s.credentials() else { return };
    // A masked key's length and shape are the logger's (FL009 says so), not the client's.
    for key in credentials.keys.iter().filter(|k| !k.empty && k.masked.is_none()) {
        if let Some(f) = shape(key, &s.knowledge.api) {
            out.push(f);
        }
    }
}

/// At most one finding per key: the first of an OAuth token in `x-api-key`, quotes, a
/// placeholder, a truncated key, a space inside the key.
fn shape(key: &Key<'_>, k: &ApiFacts) -> Option<Finding> {
    let core = &key.value[key.core.clone()];
    let whole = key.shift(&key.core);
    let quoted = core.len() >= 2
        && ((core.starts_with('"') && core.ends_with('"')) || (core.starts_with('\'') && core.ends_with('\'')));
    let prefix = k.key_prefixes.iter().find(|p| core.starts_with(p.as_str()));
    let key_len = if key.plain { core.len() } else { core.chars().filter(|c| !super::is_space_like(*c)).count() };
    // A complete key of a known shape is no placeholder unless it is filled with x's; the full
    // placeholder scan runs only for other values.
    let known_shape = prefix.is_some() && key_len >= k.min_key_length;
    let placeholder = if known_shape { has(core, "xxxx") || has(core, "XXXX") } else { placeholder_like(core) };
    let header = key.header;
    if header == "x-api-key" && core.starts_with("sk-ant-oat") {
        // Reference §2: an OAuth token in x-api-key is rejected with 401.
        return Some(
            Finding::new(
                &FL008,
                key.part,
                key.target(whole),
                format!(
                    "`x-api-key` carries an OAuth token ({}), which the API only accepts as `Authorization: Bearer`",
                    key.shown()
                ),
            )
            .help("send the token as `Authorization: Bearer <token>` (ANTHROPIC_AUTH_TOKEN), or use an API key here"),
        );
    }
    if quoted {
        let (open, close) = (whole.start, whole.end - 1);
        let index = key.index;
        return Some(
            Finding::new(
                &FL008,
                key.part,
                key.target(open..close + 1),
                format!("the key in `{header}` is wrapped in quotes ({})", key.shown()),
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
    }
    if placeholder {
        return Some(
            Finding::new(
                &FL008,
                key.part,
                key.target(whole),
                format!("`{header}` holds a placeholder, not a key ({})", key.shown()),
            )
            .help("load the real key; the template or environment variable was not substituted"),
        );
    }
    let prefix = prefix?;
    if key_len < k.min_key_length {
        Some(
            Finding::new(
                &FL008,
                key.part,
                key.target(whole),
                format!(
                    "the key in `{header}` is {} characters long: keys starting `{prefix}` are at least {}, it looks truncated ({})",
                    key_len,
                    k.min_key_length,
                    key.shown()
                ),
            )
            .help("copy the complete key"),
        )
    } else if core.contains(' ') {
        Some(Finding::new(
            &FL008,
            key.part,
            key.target(whole),
            format!("the key in `{header}` contains a space ({})", key.shown()),
        ))
    } else {
        None
    }
}

/// Whether `needle` occurs in `haystack` (memchr's search: `str::contains` sets up a two-way
/// searcher for every call, a cost that showed on every key linted).
fn has(haystack: &str, needle: &str) -> bool {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// Template syntax and the usual stand-ins for a key that was never filled in.
fn placeholder_like(core: &str) -> bool {
    has(core, "${")
        || core.starts_with('$')
        || (core.starts_with('<') && core.ends_with('>'))
        || ["your", "xxxx", "api_key"].iter().any(|p| contains_ignore_case(core, p))
        || ["undefined", "null", "none", "nil", "changeme", "todo", "redacted", "secret", "key", "token"]
            .iter()
            .any(|p| core.eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn key_shape() {
        assert_eq!(with_key(&format!("\"{KEY}\"")), ["FL008"]);
        assert_eq!(with_key("YOUR_API_KEY"), ["FL008"]);
        assert_eq!(with_key("${ANTHROPIC_API_KEY}"), ["FL008"]);
        assert_eq!(with_key("sk-ant-api03-AbCdEf"), ["FL008"]);
        let oauth = format!("sk-ant-oat01-{}", &KEY[13..]);
        assert_eq!(with_key(&oauth), ["FL008"]);
        assert!(with_auth(&format!("Bearer {oauth}")).is_empty());
        // A gateway key of another shape is not flagged.
        assert!(with_key("gw_live_0123456789abcdef0123456789abcdef").is_empty());
    }

    #[test]
    fn a_masked_key_is_not_truncated_nor_a_placeholder() {
        for masked in ["sk-ant-api03-Sx7Qe...", "[REDACTED]", "<redacted>", "sk-ant-api03-"] {
            assert_eq!(with_key(masked), ["FL009"], "{masked}");
        }
    }
}
