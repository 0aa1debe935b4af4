//! The one table of stable rule codes. A code is never reused or renumbered; a retired rule
//! stays here with its documentation.

use super::{auth, headers, input, messages, model, payload, RuleMeta};

pub static RULES: &[&RuleMeta] = &[
    &auth::FL001,
    &auth::FL002,
    &auth::FL003,
    &auth::FL004,
    &auth::FL005,
    &auth::FL006,
    &auth::FL007,
    &auth::FL008,
    &messages::FL101,
    &messages::FL102,
    &messages::FL103,
    &messages::FL104,
    &messages::FL105,
    &messages::FL106,
    &messages::FL107,
    &messages::FL108,
    &model::FL201,
    &model::FL202,
    &model::FL203,
    &model::FL204,
    &model::FL205,
    &model::FL206,
    &payload::FL301,
    &payload::FL302,
    &payload::FL303,
    &headers::FL401,
    &headers::FL402,
    &headers::FL403,
    &headers::FL404,
    &input::FL901,
    &input::FL902,
    &input::FL903,
];

/// The rule with this code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
                super::super::Family::Auth => '0',
                super::super::Family::Messages => '1',
                super::super::Family::Model => '2',
                super::super::Family::Payload => '3',
                super::super::Family::Headers => '4',
                super::super::Family::Input => '9',
            };
            assert_eq!(r.code.as_bytes()[2] as char, family_digit, "{} is in the wrong family", r.code);
            assert!(!r.summary.is_empty() && r.explanation.len() > 80, "{} needs documentation", r.code);
        }
    }
}
