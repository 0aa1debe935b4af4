//! Dispatch of a parsed command line to the library. `main` builds the `RunContext`, calls
//! `run`, and maps the result to an exit code.

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::context::RunContext;
use crate::error::{Exit, Result};

pub fn run(cli: Cli, ctx: &RunContext, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    match &cli.command {
        Command::Completions(args) => {
            let mut cmd = crate::cli::command();
            // Generate into memory: clap_complete panics on a write error such as a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "faultline", &mut script);
            out.write_all(&script)?;
            Ok(Exit::Success)
        }
        Command::Explain(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            crate::explain::run_explain(&config.knowledge, &args.name, args.format, out)?;
            Ok(Exit::Success)
        }
        Command::Rules(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            crate::explain::run_rules(&config.knowledge, args.format, out)?;
            Ok(Exit::Success)
        }
        Command::Lint(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            crate::commands::lint::run(args, &cli.global, &config, ctx, out, err)
        }
        Command::Diagnose(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            crate::diagnose::run(args, &cli.global, &config, ctx, out, err)
        }
    }
}
