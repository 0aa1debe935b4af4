//! FL903 unreadable-file: an input that cannot be read at all (reported by the engine).

use crate::lint::{Family, FixAvailability, RuleMeta, Severity};

pub static FL903: RuleMeta = RuleMeta {
    code: "FL903",
    name: "unreadable-file",
    family: Family::Input,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A file could not be read (missing, permission denied, not text)",
    explanation: "\
## Why it matters
Nothing in the file could be checked. A file that cannot be read at all makes `faultline lint`
exit 3 (input error) rather than 1.

## Fix
Check the path and permissions.",
    check: None,
};
