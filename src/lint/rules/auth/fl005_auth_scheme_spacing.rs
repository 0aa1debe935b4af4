//! FL005 auth-scheme-spacing: no space, or other than one space, between `Bearer` and the key.

use super::Scheme;
use crate::capture::request::{Edit, Fix, Target};
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(a) = s.credentials().and_then(|c| c.authorization.as_ref()) else { return };
    let index = a.index;
    let target = |r: std::ops::Range<usize>| Target::Header { index, range: Some(r) };
    match &a.scheme {
        Scheme::Glued { lead, word } => {
            // One finding, one fix, for the space and the scheme's case together.
            let scheme_end = lead + 6;
            let mut edits = Vec::new();
            if &word[..6] != "Bearer" {
                edits.push(Edit::Header { index, range: *lead..scheme_end, replacement: "Bearer".into() });
            }
            edits.push(Edit::Header { index, range: scheme_end..scheme_end, replacement: " ".into() });
            out.push(
                Finding::new(
                    &FL005,
                    Part::Credential(1),
                    target(*lead..scheme_end + 1),
                    "no space between `Bearer` and the key",
                )
                .help("write `Bearer <key>` with one space")
                .fix(Fix { message: "insert a space after `Bearer`".into(), safe: true, edits }),
            );
        }
        Scheme::Bearer { separator, lead, .. } => {
            // Hidden characters before the scheme (`\u{feff}Bearer`): the value must start with it.
            let before = &a.value[..*lead];
            if before.chars().any(|c| c != ' ' && c != '\t') {
                out.push(
                    Finding::new(
                        &FL005,
                        Part::Credential(1),
                        target(0..*lead),
                        format!("{} before `Bearer`: the value must start with the scheme", shown_chars(before)),
                    )
                    .help("write `Bearer <key>` with nothing before it")
                    .fix(Fix {
                        message: "delete the characters before `Bearer`".into(),
                        safe: true,
                        edits: vec![Edit::Header { index, range: 0..*lead, replacement: String::new() }],
                    }),
                );
            }
            let sep = &a.value[separator.clone()];
            if sep.chars().any(|c| c != ' ' && c != '\t') && separator.end < a.value.len() {
                out.push(
                    Finding::new(
                        &FL005,
                        Part::Credential(1),
                        target(separator.clone()),
                        format!("{} between `Bearer` and the key: exactly one space is expected", shown_chars(sep)),
                    )
                    .help("write `Bearer <key>` with one space")
                    .fix(Fix {
                        message: "use a single space".into(),
                        safe: true,
                        edits: vec![Edit::Header { index, range: separator.clone(), replacement: " ".into() }],
                    }),
                );
                return;
            }
            if sep != " " && separator.end < a.value.len() {
                out.push(
                    Finding::new(
                        &FL005,
                        Part::Credential(1),
                        target(separator.clone()),
                        format!(
                            "{} characters of whitespace between `Bearer` and the key: exactly one space is expected",
                            sep.len()
                        ),
                    )
                    .help("write `Bearer <key>` with one space")
                    .fix(Fix {
                        message: "use a single space".into(),
                        safe: true,
                        edits: vec![Edit::Header { index, range: separator.clone(), replacement: " ".into() }],
                    }),
                );
            }
        }
        _ => {}
    }
}

/// The characters of a separator as a message names them (`zero-width space (U+200B)`, `\`:\``).
fn shown_chars(text: &str) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in text.chars() {
        let name = if c == ':' || c == ',' { format!("`{c}`") } else { crate::lint::text::char_name(c) };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn scheme_spacing() {
        assert_eq!(with_auth(&format!("Bearer{KEY}")), ["FL005"]);
        assert_eq!(with_auth(&format!("Bearer  {KEY}")), ["FL005"]);
        let both = with_auth(&format!("bearer{KEY}"));
        assert_eq!(both, ["FL005"], "one finding, one fix for both");
    }

    /// Item 6: `Bearer` with a hidden character or punctuation glued to it (ZWSP, NBSP, NUL, LF,
    /// CRLF, a BOM before it, `Bearer:`, `Bearer,`) is FL005, fixed to `Bearer <key>`; a normal
    /// `Bearer ` (RFC 6750's form) stays clean.
    #[test]
    fn bearer_with_a_hidden_character_glued_to_it_is_flagged() {
        for value in [
            format!("Bearer\u{200b} {KEY}"),
            format!("Bearer\u{a0}{KEY}"),
            format!("Bearer\0{KEY}"),
            format!("Bearer\n{KEY}"),
            format!("Bearer\r\n{KEY}"),
            format!("\u{feff}Bearer {KEY}"),
            format!("Bearer: {KEY}"),
            format!("Bearer,{KEY}"),
        ] {
            assert_eq!(with_auth(&value), ["FL005"], "{value:?}");
        }
        assert!(with_auth(&format!("Bearer {KEY}")).is_empty());
        assert!(with_auth("Basic dXNlcjpwYXNz").is_empty());
    }
}
