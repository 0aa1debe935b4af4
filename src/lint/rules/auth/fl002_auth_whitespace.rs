//! FL002 auth-whitespace: ASCII spaces before or after the key (other space-like characters
//! are FL001's and FL003's).

use super::delete_all;
use crate::lint::text::char_ranges;
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(credentials) = s.credentials() else { return };
    for key in credentials.keys.iter().filter(|k| !k.empty && !k.plain) {
        let spaces: Vec<_> = char_ranges(key.value, |c| c == ' ')
            .into_iter()
            .filter(|r| r.end <= key.core.start || r.start >= key.core.end)
            .map(|r| key.shift(&r))
            .collect();
        let Some(first) = spaces.first() else { continue };
        let side = if first.start - key.base < key.core.start { "before" } else { "after" };
        out.push(
            Finding::new(
                &FL002,
                key.part,
                key.target(first.start..spaces.last().map_or(first.end, |l| l.end)),
                format!("{} space(s) {side} the key in `{}` ({})", spaces.len(), key.header, key.shown()),
            )
            .help("trim the value")
            .fix(delete_all(key.index, &spaces, "trim the spaces")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn surrounding_spaces() {
        assert_eq!(with_key(&format!(" {KEY}")), ["FL002"]);
        assert_eq!(with_key(&format!("{KEY}  ")), ["FL002"]);
        assert_eq!(with_auth(&format!("Bearer {KEY} ")), ["FL002"]);
        assert!(with_key(KEY).is_empty());
    }
}
