//! The incident experience on a terminal: the walk through a finished diagnosis (dialoguer), the
//! live watch, and when neither may prompt: "one screen … then an interactive walk down a
//! layer". Everything shown comes from the `Diagnosis` and its `Summary` ([`views`]); no backend
//! is imported here. What the walk may fetch later (more samples of a cause) comes through
//! [`MoreSamples`], which the command supplies.

pub mod views;
pub mod walk;
pub mod watch;

use crate::diagnose::summary::Sample;
use crate::error::{Error, Result};

pub use walk::walk;

/// More samples of one cause, from wherever the logs came from (the command supplies it; today
/// the search backend, with one bounded query).
pub trait MoreSamples {
    /// Samples with one of `statuses` and, when any are given, one of `key_hashes`, leaving out
    /// `exclude_ids` (the requests already shown); latest first.
    fn fetch(&self, statuses: &[u16], key_hashes: &[String], exclude_ids: &[String]) -> Result<Vec<Sample>>;
}

/// What the command line asks of the walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkAsk {
    /// `--interactive` (the last of `--interactive`/`--no-interactive` given).
    pub interactive: bool,
    /// `--no-interactive`.
    pub no_interactive: bool,
    /// `--watch` was given.
    pub watch: bool,
    /// The logs come from stdin (`-`).
    pub from_stdin: bool,
    /// The report is the human one (`--format human`).
    pub human: bool,
}

/// Where the run is: which streams are terminals, and whether prompting is allowed at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    pub stdin_is_tty: bool,
    pub stdout_is_tty: bool,
    /// `CI` is set.
    pub ci: bool,
    /// `TERM=dumb`.
    pub term_dumb: bool,
}

/// Whether `diagnose` walks interactively after printing its report. Decided from the flags
/// and the terminal before anything is read, so that `--interactive` where no one can
/// answer fails at once (exit 2) instead of hanging after a long read.
///
/// By default the walk follows the human report when stdin and stdout are terminals, the logs
/// do not come from stdin, `CI` is not set, `TERM` is not `dumb`, and neither `--watch` nor
/// `--no-interactive` was given. `--interactive` forces it where a walk is possible at all.
pub fn wants_walk(ask: &WalkAsk, term: &Terminal) -> Result<bool> {
    let from_stdin = ask.from_stdin;
    let terminals = term.stdin_is_tty && term.stdout_is_tty;
    if ask.interactive {
        let why = if ask.watch {
            Some("--interactive and --watch cannot be combined: the watch redraws the screen itself")
        } else if from_stdin {
            Some("--interactive: the logs are read from stdin, so no answer could be read from it; pass a file or --es")
        } else if !terminals {
            Some(
                "--interactive needs stdin and stdout to be terminals; drop it (or pass --no-interactive) in pipelines",
            )
        } else if term.ci {
            Some("--interactive: CI is set, and faultline never prompts in CI")
        } else {
            None
        };
        return match why {
            Some(why) => Err(Error::Usage(why.into())),
            None => Ok(true),
        };
    }
    Ok(!ask.no_interactive && !ask.watch && !from_stdin && terminals && !term.ci && !term.term_dumb && ask.human)
}
