//! FL003 auth-invisible-character: invisible, non-ASCII or control characters (other than
//! line breaks and tabs, FL001's) in the key.

use super::delete_all;
use crate::lint::text::{char_name, char_ranges, is_invisible};
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

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
Keys are ASCII; any of these makes the key invalid (the Elasticsearch study: 47.3 % of 401s).

## Example
`x-api-key: sk-ant-api03-abc<U+200B>def…`

## Fix
Delete the invisible characters (safe fix), and re-copy the key as plain text.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(credentials) = s.credentials() else { return };
    for key in credentials.keys.iter().filter(|k| !k.empty && !k.plain) {
        let invisible: Vec<_> = char_ranges(key.value, |c| {
            is_invisible(c) || (!c.is_ascii()) || (c.is_ascii_control() && !matches!(c, '\n' | '\r' | '\t'))
        })
        .iter()
        // A mask's own characters (`…`) are the logger's, not the client's.
        .filter(|r| !key.in_mask(r))
        .map(|r| key.shift(r))
        .collect();
        let Some(first) = invisible.first() else { continue };
        let c = key.value[first.start - key.base..].chars().next().unwrap_or('\u{FFFD}');
        out.push(
            Finding::new(
                &FL003,
                key.part,
                key.target(first.clone()),
                format!(
                    "{} in the key in `{}` ({}){}",
                    char_name(c),
                    key.header,
                    key.shown(),
                    if invisible.len() > 1 { format!(", and {} more", invisible.len() - 1) } else { String::new() }
                ),
            )
            .help("delete the invisible characters and re-copy the key as plain text")
            .fix(delete_all(key.index, &invisible, "delete the invisible characters")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn invisible_characters() {
        assert_eq!(with_key(&format!("{KEY}\u{a0}")), ["FL003"]);
        assert_eq!(with_key(&format!("sk-ant-api03-\u{200b}{}", &KEY[13..])), ["FL003"]);
        assert_eq!(with_key(&format!("\u{feff}{KEY}")), ["FL003"]);
        assert_eq!(with_auth(&format!("Bearer {KEY}\u{200d}")), ["FL003"]);
    }

    #[test]
    fn a_mask_is_not_an_invisible_character_but_what_surrounds_it_is() {
        assert_eq!(with_key("sk-ant-api03-S…"), ["FL009"]);
        assert_eq!(with_key("\u{feff}sk-ant-api03-S…"), ["FL003", "FL009"]);
        assert_eq!(with_key("sk-ant-api03-********\u{a0}"), ["FL003", "FL009"]);
    }
}
