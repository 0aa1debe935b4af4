//! The commands: one file per subcommand, each wiring sources, reasoning and views together.
//! `main` parses the command line, builds the `RunContext`, calls [`run`], and maps the result
//! to an exit code. Only the commands (and `main`) read the clap types and the `RunContext`;
//! the domain modules they call take plain option structs.

pub mod completions;
pub mod diagnose;
pub mod explain;
pub mod lint;
pub mod probe;
pub mod rules;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::context::RunContext;
use crate::error::{Exit, Result};

/// Runs the parsed command line.
pub fn run(cli: Cli, ctx: &RunContext, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    match &cli.command {
        Command::Completions(args) => completions::run(args, out),
        Command::Explain(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            explain::run(args, &config, diagnose::report_width(ctx), out)
        }
        Command::Rules(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            rules::run(args, &config, diagnose::report_width(ctx), out)
        }
        Command::Lint(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            lint::run(args, &cli.global, &config, ctx, out, err)
        }
        Command::Diagnose(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            diagnose::run(args, &cli.global, &config, ctx, out, err)
        }
        Command::Probe(args) => {
            let config = Config::load(cli.global.config.as_deref(), ctx)?;
            probe::run(args, &cli.global, &config, ctx, out, err)
        }
    }
}
