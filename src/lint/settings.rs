//! What decides which findings a run reports and how severe they are: plain options, resolved
//! from the command line and the configuration by the command.

use std::collections::BTreeMap;

use super::{LintOptions, Severity};

/// Everything that decides which findings are reported and how severe they are.
#[derive(Debug, Clone)]
pub struct Settings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub fail_level: Severity,
    pub options: LintOptions,
    pub unsafe_fixes: bool,
}

impl Settings {
    /// Every rule, at its default severity, failing on errors.
    pub fn new(options: LintOptions) -> Settings {
        Settings {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            fail_level: Severity::Error,
            options,
            unsafe_fixes: false,
        }
    }

    pub fn enabled(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| code.starts_with(s.as_str())))
            && !self.ignore.iter().any(|s| code.starts_with(s.as_str()))
    }

    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(default)
    }
}
