//! `faultline explain NAME`: the knowledge-base entry for a lint code, a root cause or a status
//! code, or the closest names when none matches.

use std::io::Write;

use crate::cli::{ExplainArgs, ListFormat};
use crate::config::Config;
use crate::error::{Error, Exit, Result};
use crate::explain::{entry_json, find, render_human, suggestions};

/// `width`: the columns to wrap the human entry to.
pub fn run(args: &ExplainArgs, config: &Config, width: u16, out: &mut dyn Write) -> Result<Exit> {
    let (k, name) = (&config.knowledge, args.name.as_str());
    let Some(entry) = find(k, name) else {
        let hint = match suggestions(k, name).as_slice() {
            [] => "run `faultline rules` to list every code and cause".to_string(),
            [one] => format!("did you mean `{one}`?"),
            many => format!(
                "did you mean one of: {}?",
                many.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        return Err(Error::Usage(format!("no lint code, root cause or status code named `{name}`: {hint}")));
    };
    match args.format {
        ListFormat::Human => out.write_all(render_human(k, entry, usize::from(width)).as_bytes())?,
        ListFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(&entry_json(k, entry)).unwrap_or_default())?
        }
    }
    Ok(Exit::Success)
}
