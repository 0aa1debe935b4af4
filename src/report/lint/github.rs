//! `--format github`: GitHub Actions workflow commands (`::error file=…,line=…::message`), one
//! annotation per finding.

use std::io::{self, Write};

use crate::lint::{Reported, Severity, Sink, Source};

pub struct Github<'w> {
    out: &'w mut dyn Write,
}

impl<'w> Github<'w> {
    pub fn new(out: &'w mut dyn Write) -> Github<'w> {
        Github { out }
    }
}

impl Sink for Github<'_> {
    fn finding(&mut self, r: &Reported, _: &Source<'_>) -> io::Result<()> {
        let kind = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            self.out,
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            gh_escape(&r.file, true),
            r.line,
            r.column,
            r.end_line,
            r.end_column,
            gh_escape(&format!("{} {}", r.code, r.name), true),
            gh_escape(&r.message, false)
        )
    }
}

/// Escapes data for a GitHub workflow command (`%`, CR, LF; plus `:` and `,` in properties).
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(gh_escape("a%b\nc", false), "a%25b%0Ac");
        assert_eq!(gh_escape("f:1,2", true), "f%3A1%2C2");
    }
}
