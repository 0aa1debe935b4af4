//! The incident experience on a terminal: the walk through a finished diagnosis (dialoguer), the
//! live watch, and when neither may prompt. DESIGN.md: "one screen … then an interactive walk
//! down a layer". Everything shown comes from the `Diagnosis` and its `Summary` ([`views`]).

pub mod cluster;
pub mod views;
pub mod walk;
pub mod watch;

use crate::cli::DiagnoseArgs;
use crate::context::RunContext;
use crate::error::{Error, Result};
use crate::report::diagnosis::DiagnoseFormat;

pub use walk::walk;

/// Whether `diagnose` walks interactively after printing its report. Decided from the flags
/// and the `RunContext` before anything is read, so that `--interactive` where no one can
/// answer fails at once (exit 2) instead of hanging after a long read.
///
/// By default the walk follows the human report when stdin and stdout are terminals, the logs
/// do not come from stdin, `CI` is not set, `TERM` is not `dumb`, and neither `--watch` nor
/// `--no-interactive` was given. `--interactive` forces it where a walk is possible at all.
pub fn wants_walk(args: &DiagnoseArgs, ctx: &RunContext) -> Result<bool> {
    let from_stdin = args.source.as_deref() == Some("-");
    let terminals = ctx.stdin_is_tty && ctx.stdout_is_tty;
    if args.interactive {
        let why = if args.watch.is_some() {
            Some("--interactive and --watch cannot be combined: the watch redraws the screen itself")
        } else if from_stdin {
            Some("--interactive: the logs are read from stdin, so no answer could be read from it; pass a file or --es")
        } else if !terminals {
            Some(
                "--interactive needs stdin and stdout to be terminals; drop it (or pass --no-interactive) in pipelines",
            )
        } else if ctx.ci {
            Some("--interactive: CI is set, and faultline never prompts in CI")
        } else {
            None
        };
        return match why {
            Some(why) => Err(Error::Usage(why.into())),
            None => Ok(true),
        };
    }
    Ok(!args.no_interactive
        && args.watch.is_none()
        && !from_stdin
        && terminals
        && !ctx.ci
        && !ctx.term_dumb
        && args.format == DiagnoseFormat::Human)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> DiagnoseArgs {
        let mut argv = vec!["faultline", "diagnose"];
        argv.extend_from_slice(extra);
        match crate::cli::Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(crate::cli::Command::Diagnose(a)) => a,
            other => panic!("{other:?}"),
        }
    }

    fn terminal() -> RunContext {
        RunContext { stdin_is_tty: true, stdout_is_tty: true, stderr_is_tty: true, ..RunContext::default() }
    }

    #[test]
    fn walks_by_default_only_on_a_terminal_with_a_file() {
        assert!(wants_walk(&args(&["f.ndjson"]), &terminal()).unwrap_or(false));
        let piped = RunContext { stdout_is_tty: false, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &piped).unwrap_or(true));
        let no_stdin = RunContext { stdin_is_tty: false, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &no_stdin).unwrap_or(true));
        assert!(!wants_walk(&args(&["-"]), &terminal()).unwrap_or(true));
        let ci = RunContext { ci: true, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &ci).unwrap_or(true));
        let dumb = RunContext { term_dumb: true, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &dumb).unwrap_or(true));
        assert!(!wants_walk(&args(&["f.ndjson", "--no-interactive"]), &terminal()).unwrap_or(true));
        assert!(!wants_walk(&args(&["f.ndjson", "--format", "json"]), &terminal()).unwrap_or(true));
        assert!(!wants_walk(&args(&["f.ndjson", "--watch", "30s"]), &terminal()).unwrap_or(true));
    }

    #[test]
    fn interactive_where_no_one_can_answer_is_a_usage_error() {
        let usage = |a: &[&str], ctx: &RunContext| matches!(wants_walk(&args(a), ctx), Err(Error::Usage(_)));
        let piped = RunContext { stdout_is_tty: false, ..terminal() };
        assert!(usage(&["f.ndjson", "--interactive"], &piped));
        assert!(usage(&["-", "--interactive"], &terminal()));
        assert!(usage(&["f.ndjson", "--interactive"], &RunContext { ci: true, ..terminal() }));
        assert!(usage(&["f.ndjson", "--interactive", "--watch", "5s"], &terminal()));
        assert!(wants_walk(&args(&["f.ndjson", "--interactive", "--format", "markdown"]), &terminal()).unwrap_or(false));
        // The last of --interactive / --no-interactive wins.
        assert!(!wants_walk(&args(&["f.ndjson", "--interactive", "--no-interactive"]), &piped).unwrap_or(true));
    }
}
