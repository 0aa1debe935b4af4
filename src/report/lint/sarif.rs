//! `--format sarif`: a SARIF 2.1.0 log for code scanning, written at the end (every rule with
//! its help, every finding with a region).

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::lint::{codes, Reported, Severity, Sink, Source, Totals};

pub struct Sarif<'w> {
    out: &'w mut dyn Write,
    collected: Vec<Reported>,
}

impl<'w> Sarif<'w> {
    pub fn new(out: &'w mut dyn Write) -> Sarif<'w> {
        Sarif { out, collected: Vec::new() }
    }
}

impl Sink for Sarif<'_> {
    fn finding(&mut self, r: &Reported, _: &Source<'_>) -> io::Result<()> {
        self.collected.push(r.clone());
        Ok(())
    }

    fn end(&mut self, _: &Totals) -> io::Result<()> {
        let doc = sarif(&self.collected);
        writeln!(self.out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default())
    }

    fn reports_totals(&self) -> bool {
        true
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF 2.1.0 log: every rule with its help (the text `faultline explain` prints), every
/// finding with a region object.
pub fn sarif(findings: &[Reported]) -> Value {
    let rules: Vec<Value> = codes::RULES
        .iter()
        .map(|r| {
            let md = r.markdown();
            json!({
                "id": r.code, "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": md, "markdown": md},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"tags": [r.family.as_str()]},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = codes::RULES.iter().position(|r| r.code == f.code).unwrap_or(0);
            json!({
                "ruleId": f.code, "ruleIndex": index, "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.file},
                    "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column.max(if f.end_line == f.line { f.column } else { 1 })},
                }}],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "faultline", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
