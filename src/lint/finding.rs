//! What a rule reports about a request, and the order findings come in.

use serde::Serialize;

use super::{RuleMeta, Severity};
use crate::capture::request::{Fix, Target};

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
    /// What part of the request it is about (the first half of its place in the list).
    #[serde(skip)]
    pub part: Part,
    /// Its rule's step in the rule's family (the second half; set by `check_request`).
    #[serde(skip)]
    pub(crate) step: u8,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, part: Part, target: Target, message: impl Into<String>) -> Finding {
        Finding {
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
            help: None,
            target,
            fix: None,
            part,
            step: 0,
        }
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

/// The parts of a request in reading order.
///
/// The ordering rule: `check_request` lists findings by the part of the request they are about,
/// in this order, and about one part by the step of their rule, which is the rule's place in
/// its family's list in `rules/<family>/mod.rs`. This is the order the checks read a request
/// in (credentials first, `x-api-key` before `Authorization`; the scheme before the key; a
/// model's ID before its lifecycle; the body's size before its streaming), and the order the
/// diagnosis quotes codes in. It is not code order: FL003 comes before FL002 on one key, FL205
/// before FL203, FL303 before FL301. `faultline lint` then sorts each request's findings by
/// position in the file, keeping this order among findings at one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The credential headers as a whole (none sent, both sent).
    Credentials,
    /// One credential header: `x-api-key` (0), then `Authorization` (1).
    Credential(u8),
    /// `anthropic-version`.
    Version,
    /// `anthropic-beta`.
    Beta,
    /// `content-type`.
    ContentType,
    /// The body as a whole (not JSON, not an object).
    Body,
    /// The body's parameters (`max_tokens` …), before its messages.
    Parameters,
    /// The body's `messages` as a whole.
    Messages,
    /// One message (`None`), or one of its content blocks.
    Message(usize, Option<usize>),
    /// The body's `model`.
    Model,
    /// The body's size and streaming.
    Payload,
    /// The model a Bedrock or Vertex URL names.
    UrlModel,
}
