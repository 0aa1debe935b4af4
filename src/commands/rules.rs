//! `faultline rules`: every lint rule and root cause, one line each.

use std::io::Write;

use serde_json::json;

use crate::cli::{ListFormat, RulesArgs};
use crate::config::Config;
use crate::error::{Exit, Result};
use crate::lint::codes::RULES;
use crate::report::wrap::hanging;

/// `width`: the columns to wrap the human list to (each summary and title under its column).
pub fn run(args: &RulesArgs, config: &Config, width: u16, out: &mut dyn Write) -> Result<Exit> {
    let width = usize::from(width);
    let k = &config.knowledge;
    match args.format {
        ListFormat::Json => {
            let doc = json!({
                "lint_rules": RULES.iter().map(|r| json!({
                    "code": r.code, "name": r.name, "family": r.family, "severity": r.severity,
                    "fix": r.fix, "summary": r.summary,
                })).collect::<Vec<_>>(),
                "root_causes": k.causes.iter().map(|c| json!({
                    "id": c.id, "layer": c.layer, "statuses": c.statuses, "title": c.title,
                })).collect::<Vec<_>>(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default())?;
        }
        ListFormat::Human => {
            writeln!(out, "Lint rules ({}):", RULES.len())?;
            for r in RULES {
                let fix = if r.fix == crate::lint::FixAvailability::None { " " } else { "*" };
                let prefix = format!("  {} {fix} {:<7} {:<28} ", r.code, r.severity.as_str(), r.name);
                out.write_all(hanging(&prefix, r.summary, width).as_bytes())?;
            }
            writeln!(out, "\nRoot causes ({}):", k.causes.len())?;
            for c in &k.causes {
                let statuses = c.statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("/");
                let prefix = format!("  {:<31} {:<10} {:<15} ", c.id, c.layer.as_str(), statuses);
                out.write_all(hanging(&prefix, &c.title, width).as_bytes())?;
            }
            out.write_all(b"\n")?;
            out.write_all(hanging("", "* = has a fix. `faultline explain NAME` prints an entry.", width).as_bytes())?;
        }
    }
    Ok(Exit::Success)
}
