//! `faultline completions SHELL`: the completion script for the clap command.

use std::io::Write;

use crate::cli::CompletionsArgs;
use crate::error::{Exit, Result};

pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Exit> {
    let mut cmd = crate::cli::command();
    // Generate into memory: clap_complete panics on a write error such as a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "faultline", &mut script);
    out.write_all(&script)?;
    Ok(Exit::Success)
}
