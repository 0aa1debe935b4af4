//! Renderers of lint findings, one file per output format, each a `lint::Sink`: human
//! (rustc-style snippets), concise, json, sarif, github. Thin views of `lint::Reported`; the
//! only logic here is presentation (`visible`: making invisible bytes visible, masking
//! credentials in snippets and diffs). This module only picks one.

pub mod concise;
pub mod diff;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod visible;

use std::io::{self, Write};

pub use diff::write_diff;

use crate::lint::{OutputFormat, Reported, Sink, Source, Totals};

/// The sink of an output format.
pub struct Renderer<'w>(Box<dyn Sink + 'w>);

impl<'w> Renderer<'w> {
    pub fn new(format: OutputFormat, color: bool, out: &'w mut dyn Write) -> Renderer<'w> {
        Renderer(match format {
            OutputFormat::Human => Box::new(human::Human::new(out, color)),
            OutputFormat::Concise => Box::new(concise::Concise::new(out)),
            OutputFormat::Json => Box::new(json::Json::new(out)),
            OutputFormat::Sarif => Box::new(sarif::Sarif::new(out)),
            OutputFormat::Github => Box::new(github::Github::new(out)),
        })
    }
}

impl Sink for Renderer<'_> {
    fn begin(&mut self) -> io::Result<()> {
        self.0.begin()
    }

    fn finding(&mut self, finding: &Reported, source: &Source<'_>) -> io::Result<()> {
        self.0.finding(finding, source)
    }

    fn end(&mut self, totals: &Totals) -> io::Result<()> {
        self.0.end(totals)
    }

    fn reports_totals(&self) -> bool {
        self.0.reports_totals()
    }
}
