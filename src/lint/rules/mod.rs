//! The rules: one file per rule, in a folder per family. `<family>/flNNN_<name>.rs` holds the
//! rule's documentation (its `RuleMeta`, the text `faultline explain` and SARIF print), its
//! check, its fix and its tests. What several rules of a family share (the credential headers
//! parsed once, the messages listed once) is the family's view in `<family>/mod.rs`, computed
//! once per request. `codes.rs` registers each rule; `check_request` runs that table.
//!
//! A new rule: its file, its line in `codes::RULES`, and its line in its family's `family!`
//! list (which declares the file's module and the rule's step).

use super::{Family, RuleMeta};

/// Declares a family's rule files and their rules, in the order the rules check one part of a
/// request: a rule's place in this list is its step (see `Part` for the ordering rule).
macro_rules! family {
    ($($file:ident :: $rule:ident),* $(,)?) => {
        $(
            pub mod $file;
            pub use $file::$rule;
        )*
        /// This family's rules, in the order they check one part of a request.
        pub static STEPS: &[&$crate::lint::RuleMeta] = &[$(&$file::$rule),*];
    };
}

pub mod auth;
pub mod headers;
pub mod input;
pub mod messages;
pub mod model;
pub mod payload;

/// A rule's step: its place in its family's list.
pub(crate) fn step(rule: &RuleMeta) -> u8 {
    let steps = match rule.family {
        Family::Auth => auth::STEPS,
        Family::Messages => messages::STEPS,
        Family::Model => model::STEPS,
        Family::Payload => payload::STEPS,
        Family::Headers => headers::STEPS,
        Family::Input => input::STEPS,
    };
    let at = steps.iter().position(|r| r.code == rule.code).unwrap_or(steps.len());
    u8::try_from(at).unwrap_or(u8::MAX)
}
