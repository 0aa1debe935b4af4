//! What a run finds, located: each finding with its place in a file (what every output format
//! shows), the record it was found in, and the run's totals.

use std::collections::BTreeMap;
use std::ops::Range;

use super::rules::input;
use super::settings::Settings;
use super::{RuleMeta, Severity};

/// A fix as shown to the user.
#[derive(Debug, Clone)]
pub struct FixView {
    pub message: String,
    pub safe: bool,
}

/// One finding with its place in a file: what every format shows.
#[derive(Debug, Clone)]
pub struct Reported {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<FixView>,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Bytes of the record (see `Source`).
    pub span: Range<usize>,
}

impl Reported {
    /// A finding about an input as a whole (FL9xx), at a line.
    pub fn input(rule: &'static RuleMeta, settings: &Settings, file: &str, line: usize, message: String) -> Reported {
        Reported {
            code: rule.code,
            name: rule.name,
            severity: settings.severity_of(rule.code, rule.severity),
            message,
            help: Some(input::help(rule.code).to_string()),
            fix: None,
            file: file.to_string(),
            line,
            column: 1,
            end_line: line,
            end_column: 1,
            span: 0..0,
        }
    }

    /// FL903 for an input that could not be opened or read. Its name is shown with key-shaped
    /// text masked: a name that leads nowhere may be a key pasted where a path was meant
    /// (`faultline lint sk-ant-…`), and it is echoed in the message and the location.
    pub fn unreadable(settings: &Settings, file: &str, error: &dyn std::fmt::Display) -> Reported {
        let message = crate::redact::mask_keys_in_text(&format!("cannot read `{file}`: {error}")).into_owned();
        Reported::input(&input::FL903, settings, &crate::redact::mask_keys_in_text(file), 1, message)
    }
}

/// The record a finding was found in: its text, the 0-based line it starts on, and the byte
/// ranges holding credentials (masked when shown).
pub struct Source<'a> {
    pub text: &'a str,
    pub first_line: usize,
    pub secrets: &'a [Range<usize>],
}

/// The counts of a run (or of a worker's part of one).
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub files: usize,
    pub requests: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
    pub fixed: usize,
    pub by_code: BTreeMap<&'static str, usize>,
}

impl Totals {
    pub fn count(&mut self, r: &Reported) {
        match r.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        if r.fix.as_ref().is_some_and(|f| f.safe) {
            self.fixable += 1;
        }
        *self.by_code.entry(r.code).or_default() += 1;
    }

    /// Adds another part's counts (a worker's batch).
    pub fn merge(&mut self, other: &Totals) {
        self.files += other.files;
        self.requests += other.requests;
        self.unreadable += other.unreadable;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.fixable += other.fixable;
        self.fixed += other.fixed;
        for (code, n) in &other.by_code {
            *self.by_code.entry(code).or_default() += n;
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    pub fn at_or_above(&self, level: Severity) -> usize {
        match level {
            Severity::Error => self.errors,
            Severity::Warning => self.errors + self.warnings,
            Severity::Info => self.total(),
        }
    }

    pub fn line(&self) -> String {
        if self.total() == 0 {
            return format!("No problems found in {} request(s) ({} file(s)).", self.requests, self.files);
        }
        let mut s = format!(
            "Found {} error(s), {} warning(s), {} info in {} request(s) ({} file(s)).",
            self.errors, self.warnings, self.infos, self.requests, self.files
        );
        if self.fixable > 0 {
            s.push_str(&format!(" {} fixable with `--fix`.", self.fixable));
        }
        s
    }
}
