//! `--format human`: rustc-style snippets with the offending bytes made visible and
//! credentials masked, then a help line; the totals line at the end.

use std::io::{self, Write};

use annotate_snippets::{Level, Renderer as Snippets, Snippet};

use super::visible::display_line;
use crate::lint::{Reported, Severity, Sink, Source, Totals};

pub struct Human<'w> {
    out: &'w mut dyn Write,
    color: bool,
}

impl<'w> Human<'w> {
    pub fn new(out: &'w mut dyn Write, color: bool) -> Human<'w> {
        Human { out, color }
    }
}

impl Sink for Human<'_> {
    fn finding(&mut self, r: &Reported, src: &Source<'_>) -> io::Result<()> {
        let level = match r.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Note,
        };
        let title = format!("{} ({})", r.message, r.name);
        let help = match (&r.help, &r.fix) {
            (Some(h), Some(f)) if f.safe => Some(format!("{h} (fixable with `--fix`: {})", f.message)),
            (Some(h), Some(f)) => Some(format!("{h} (fixable with `--fix --unsafe-fixes`: {})", f.message)),
            (Some(h), None) => Some(h.clone()),
            (None, Some(f)) => Some(format!("{} (`--fix`)", f.message)),
            (None, None) => None,
        };
        let mut message = level.title(&title).id(r.code);
        let line_start =
            src.text.get(..r.span.start.min(src.text.len())).and_then(|b| b.rfind('\n')).map_or(0, |i| i + 1);
        let line_end = src
            .text
            .get(r.span.start.min(src.text.len())..)
            .and_then(|a| a.find('\n'))
            .map_or(src.text.len(), |i| r.span.start + i + 1);
        let snippet_line;
        let span;
        let has_source = !src.text.is_empty();
        if has_source {
            let span_clip = r.span.start..r.span.end.min(line_end);
            (snippet_line, span) = display_line(src.text, line_start..line_end, src.secrets, &span_clip);
            message = message
                .snippet(Snippet::source(&snippet_line).line_start(r.line).annotation(level.span(span).label(r.code)));
        }
        let help_text = help.unwrap_or_default();
        if !help_text.is_empty() {
            message = message.footer(Level::Help.title(&help_text));
        }
        let renderer = if self.color { Snippets::styled() } else { Snippets::plain() };
        let rendered = renderer.render(message).to_string();
        // annotate-snippets counts columns in the display line; the location is the file's.
        let mut lines = rendered.lines();
        let first = lines.next().unwrap_or("");
        let width = r.line.to_string().len();
        writeln!(self.out, "{first}")?;
        let arrow = if self.color { "\x1b[1m\x1b[94m-->\x1b[0m" } else { "-->" };
        writeln!(self.out, "{:width$}{arrow} {}:{}:{}", "", r.file, r.line, r.column, width = width)?;
        for l in lines {
            writeln!(self.out, "{l}")?;
        }
        writeln!(self.out)
    }

    fn end(&mut self, totals: &Totals) -> io::Result<()> {
        writeln!(self.out, "{}", totals.line())
    }

    fn reports_totals(&self) -> bool {
        true
    }
}
