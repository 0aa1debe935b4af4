//! `--format json`: `{"version": 1, "findings": [...], "summary": {...}}`, findings written as
//! they come. `version` is [`JSON_VERSION`]: bumped when a field changes meaning or goes away.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::lint::{Reported, Sink, Source, Totals};

/// The version of the lint JSON (`"version"`, first key).
pub const JSON_VERSION: u32 = 1;

pub struct Json<'w> {
    out: &'w mut dyn Write,
    count: usize,
}

impl<'w> Json<'w> {
    pub fn new(out: &'w mut dyn Write) -> Json<'w> {
        Json { out, count: 0 }
    }
}

impl Sink for Json<'_> {
    fn begin(&mut self) -> io::Result<()> {
        write!(self.out, "{{\"version\":{JSON_VERSION},\"findings\":[")
    }

    fn finding(&mut self, r: &Reported, _: &Source<'_>) -> io::Result<()> {
        self.count += 1;
        if self.count > 1 {
            write!(self.out, ",")?;
        }
        write!(self.out, "\n  {}", finding(r))
    }

    fn end(&mut self, totals: &Totals) -> io::Result<()> {
        writeln!(self.out, "{}],\n\"summary\":{}}}", if self.count > 0 { "\n" } else { "" }, summary(totals))
    }

    fn reports_totals(&self) -> bool {
        true
    }
}

/// A finding as JSON.
pub fn finding(r: &Reported) -> Value {
    json!({
        "code": r.code, "name": r.name, "severity": r.severity.as_str(), "message": r.message,
        "file": r.file, "line": r.line, "column": r.column, "end_line": r.end_line, "end_column": r.end_column,
        "help": r.help,
        "fix": r.fix.as_ref().map(|f| json!({"message": f.message, "applicability": if f.safe { "safe" } else { "unsafe" }})),
    })
}

/// The totals as JSON.
pub fn summary(totals: &Totals) -> Value {
    json!({
        "files": totals.files, "requests": totals.requests, "findings": totals.total(),
        "errors": totals.errors, "warnings": totals.warnings, "infos": totals.infos,
        "fixable": totals.fixable, "fixed": totals.fixed, "unreadable": totals.unreadable,
        "by_code": totals.by_code,
    })
}
