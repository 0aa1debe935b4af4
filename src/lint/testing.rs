//! What the lint unit tests share: the embedded knowledge base, built once per test binary
//! (loading it takes a second or two in a debug build, and every rule test needs it).

use std::sync::OnceLock;

use crate::knowledge::Knowledge;

/// The embedded knowledge base. Tests that change it clone this one.
pub fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| Knowledge::embedded().unwrap_or_else(|e| panic!("the embedded knowledge base: {e}")))
}
