//! What a rule reports about a request, and what it knows besides the request.

use chrono::NaiveDate;
use serde::Serialize;

use super::{RuleMeta, Severity};
use crate::capture::request::{Endpoint, Fix, Provider, Target};
use crate::knowledge::Knowledge;

/// One problem found in a request. Built once; every output format is a view of it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong, with the offending value shown safely (keys redacted).
    pub message: String,
    /// How to fix it, one line.
    pub help: Option<String>,
    pub target: Target,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, target: Target, message: impl Into<String>) -> Finding {
        Finding { code: rule.code, severity: rule.severity, message: message.into(), help: None, target, fix: None }
    }
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
    pub fn fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }
}

/// Everything a rule needs besides the request.
pub struct Ctx<'k> {
    pub knowledge: &'k Knowledge,
    pub provider: Provider,
    pub endpoint: Endpoint,
    pub date: NaiveDate,
}

impl Ctx<'_> {
    /// Whether the body is a Messages-style request the body rules apply to.
    pub fn body_rules_apply(&self) -> bool {
        !matches!(self.endpoint, Endpoint::Other)
    }
}
