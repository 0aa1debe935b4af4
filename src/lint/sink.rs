//! Where a run's findings go: one output format each (`report::lint::{human, concise, json,
//! sarif, github}`), or a collector.

use std::io;

use super::reported::{Reported, Source, Totals};

/// A destination of located findings: `begin` once, `finding` for each finding in the order
/// the run reports them, `end` once with the totals.
pub trait Sink {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finding(&mut self, finding: &Reported, source: &Source<'_>) -> io::Result<()>;

    fn end(&mut self, _totals: &Totals) -> io::Result<()> {
        Ok(())
    }

    /// Whether the format reports the totals itself; the command prints them on stderr for the
    /// others.
    fn reports_totals(&self) -> bool {
        false
    }
}

/// The output formats of `faultline lint` (`--format`): one sink each, `report::lint` picks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

/// How the engine hands each finding on (to a sink's `finding`, or to a worker's buffer).
pub type Emit<'e> = dyn FnMut(&Reported, &Source<'_>) -> io::Result<()> + 'e;
