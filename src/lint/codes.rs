//! The one table of stable rule codes, in code order: `faultline rules`, `explain` and SARIF
//! list it, and `check_request` runs it. A code is never reused or renumbered; a retired rule
//! stays here with its documentation.

use super::{rules, RuleMeta};

pub static RULES: &[&RuleMeta] = &[
    &rules::auth::FL001,
    &rules::auth::FL002,
    &rules::auth::FL003,
    &rules::auth::FL004,
    &rules::auth::FL005,
    &rules::auth::FL006,
    &rules::auth::FL007,
    &rules::auth::FL008,
    &rules::auth::FL009,
    &rules::auth::FL010,
    &rules::messages::FL101,
    &rules::messages::FL102,
    &rules::messages::FL103,
    &rules::messages::FL104,
    &rules::messages::FL105,
    &rules::messages::FL106,
    &rules::messages::FL107,
    &rules::messages::FL108,
    &rules::model::FL201,
    &rules::model::FL202,
    &rules::model::FL203,
    &rules::model::FL204,
    &rules::model::FL205,
    &rules::model::FL206,
    &rules::payload::FL301,
    &rules::payload::FL302,
    &rules::payload::FL303,
    &rules::headers::FL401,
    &rules::headers::FL402,
    &rules::headers::FL403,
    &rules::headers::FL404,
    &rules::input::FL901,
    &rules::input::FL902,
    &rules::input::FL903,
];

/// The rule with this code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Whether `s` names rules: a code or a code prefix (`FL0`, `FL201`), any case.
pub fn is_selector(s: &str) -> bool {
    let s = s.to_ascii_uppercase();
    !s.is_empty() && RULES.iter().any(|r| r.code.starts_with(&s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Family;
    use std::collections::HashSet;
    use std::path::Path;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for r in RULES {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert!(r.code.len() == 5 && r.code.starts_with("FL"), "{}", r.code);
            assert!(r.code[2..].chars().all(|c| c.is_ascii_digit()), "{}", r.code);
            let family_digit = match r.family {
                Family::Auth => '0',
                Family::Messages => '1',
                Family::Model => '2',
                Family::Payload => '3',
                Family::Headers => '4',
                Family::Input => '9',
            };
            assert_eq!(r.code.as_bytes()[2] as char, family_digit, "{} is in the wrong family", r.code);
            assert!(!r.summary.is_empty() && r.explanation.len() > 80, "{} needs documentation", r.code);
        }
        let mut sorted: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        sorted.sort_unstable();
        assert_eq!(sorted, RULES.iter().map(|r| r.code).collect::<Vec<_>>(), "the table is in code order");
    }

    #[test]
    fn every_rule_has_its_own_file_named_after_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lint/rules");
        for r in RULES {
            let file = format!("{}_{}.rs", r.code.to_ascii_lowercase(), r.name.replace('-', "_"));
            let path = root.join(r.family.as_str()).join(&file);
            assert!(path.is_file(), "{} lives in {}", r.code, path.display());
        }
    }

    #[test]
    fn every_rule_is_a_step_of_its_family() {
        for r in RULES {
            let step = crate::lint::rules::step(r);
            assert!(usize::from(step) < RULES.len(), "{} is missing from its family's `family!` list", r.code);
        }
    }
}
