//! FL001 auth-line-break: a line break or tab in the key.

use super::delete_all;
use crate::lint::text::{char_name, char_ranges};
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

pub static FL001: RuleMeta = RuleMeta {
    code: "FL001",
    name: "auth-line-break",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    summary: "Line break, carriage return or tab inside the credential header value",
    explanation: "\
## Why it fails
A key copied from a text editor often drags a line break along (the Elasticsearch study: 38.4 % of invalid
headers). HTTP stacks either reject the header outright or send a key whose bytes are not the
key: the API answers 400 or 401.

## Example
`Authorization: Bearer sk-ant-api03-…␊` (a trailing LF read from a file)

## Fix
Remove the control characters (safe fix). Trim the key where it is loaded: `key.strip()`.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(credentials) = s.credentials() else { return };
    for key in credentials.keys.iter().filter(|k| !k.empty && !k.plain) {
        let controls: Vec<_> =
            char_ranges(key.value, |c| matches!(c, '\n' | '\r' | '\t')).iter().map(|r| key.shift(r)).collect();
        let Some(first) = controls.first() else { continue };
        let c = key.value[first.start - key.base..].chars().next().unwrap_or('\n');
        let place = if first.start - key.base >= key.core.end { "after" } else { "inside" };
        out.push(
            Finding::new(
                &FL001,
                key.part,
                key.target(first.clone()),
                format!(
                    "{} {place} the key in `{}` ({}){}",
                    char_name(c),
                    key.header,
                    key.shown(),
                    if controls.len() > 1 {
                        format!(", and {} more control characters", controls.len() - 1)
                    } else {
                        String::new()
                    }
                ),
            )
            .help("remove the line break; trim the key where it is loaded (`key.strip()`)")
            .fix(delete_all(key.index, &controls, "remove the control characters")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn line_break_and_tab() {
        assert_eq!(with_key(&format!("{KEY}\n")), ["FL001"]);
        assert_eq!(with_key(&format!("{KEY}\r\n")), ["FL001"]);
        assert_eq!(with_auth(&format!("Bearer {KEY}\n")), ["FL001"]);
        assert_eq!(with_key(&format!("sk-ant-api03-\tAbCd{}", &KEY[13..])), ["FL001"]);
    }
}
