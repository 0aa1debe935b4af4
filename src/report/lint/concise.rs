//! `--format concise`: one line per finding, `file:line:col: severity[CODE] message`.

use std::io::{self, Write};

use crate::lint::{Reported, Sink, Source};

pub struct Concise<'w> {
    out: &'w mut dyn Write,
}

impl<'w> Concise<'w> {
    pub fn new(out: &'w mut dyn Write) -> Concise<'w> {
        Concise { out }
    }
}

impl Sink for Concise<'_> {
    fn finding(&mut self, r: &Reported, _: &Source<'_>) -> io::Result<()> {
        writeln!(self.out, "{}:{}:{}: {}[{}] {}", r.file, r.line, r.column, r.severity.as_str(), r.code, r.message)
    }
}
