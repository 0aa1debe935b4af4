//! The linter over one run's settings: a record (a whole file, or one NDJSON line) -> its
//! captures -> their findings, located in the record's text; and the fixed text of an input.

use std::ops::Range;

use crate::capture::{self, locate, Capture};
use crate::knowledge::Knowledge;
use crate::redact::mask_keys_in_text;

use super::reported::{FixView, Reported, Source, Totals};
use super::rules::input;
use super::settings::Settings;
use super::sink::Emit;
use super::{check_parsed, check_request, codes, Finding};
use crate::capture::jv::Json;

/// 1-based line and column (in characters) of a byte offset in a record that starts on line
/// `first_line` (0-based) of its file.
pub fn line_col(text: &str, first_line: usize, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = first_line + memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The linter over one run's settings.
pub struct Linter<'a> {
    pub knowledge: &'a Knowledge,
    pub settings: &'a Settings,
}

impl Linter<'_> {
    /// Lints one record (a whole file, or one NDJSON line starting on `first_line`), calling
    /// `emit` for each reported finding.
    pub fn lint_record(
        &self,
        file: &str,
        text: &str,
        first_line: usize,
        totals: &mut Totals,
        emit: &mut Emit<'_>,
    ) -> std::io::Result<()> {
        let (parsed, mut body) = capture::parse_record_shared(text);
        match parsed {
            Err(problem) => {
                totals.requests += 1;
                let rule = codes::rule(problem.code).unwrap_or(&input::FL902);
                let (line, column) = line_col(text, first_line, problem.at);
                let reported = Reported {
                    code: rule.code,
                    name: rule.name,
                    severity: self.settings.severity_of(rule.code, rule.severity),
                    message: mask_keys_in_text(&problem.message).into_owned(),
                    help: Some(input::help(rule.code).to_string()),
                    fix: None,
                    file: file.to_string(),
                    line,
                    column,
                    end_line: line,
                    end_column: column,
                    span: problem.at..problem.at,
                };
                if self.settings.enabled(rule.code) {
                    totals.count(&reported);
                    // The text did not parse, so its credentials are found by scanning it.
                    let secrets = locate::record_secrets(text, &[]);
                    emit(&reported, &Source { text, first_line, secrets: &secrets })?;
                }
            }
            Ok(captures) => {
                // Found once per record, and only when a finding is shown.
                let mut secrets = None;
                for c in &captures {
                    totals.requests += 1;
                    // The body the record's parse read already (one envelope only), else parsed here.
                    let body = body.take();
                    self.lint_capture(file, text, first_line, c, body, &captures, &mut secrets, totals, emit)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn lint_capture(
        &self,
        file: &str,
        text: &str,
        first_line: usize,
        c: &Capture,
        body: Option<Json<'_>>,
        all: &[Capture],
        secrets: &mut Option<Vec<Range<usize>>>,
        totals: &mut Totals,
        emit: &mut Emit<'_>,
    ) -> std::io::Result<()> {
        let request = c.request();
        let findings = match body {
            Some(tree) => check_parsed(self.knowledge, &request, Some(Ok(tree)), &self.settings.options),
            None => check_request(self.knowledge, &request, &self.settings.options),
        };
        if findings.is_empty() {
            return Ok(());
        }
        let secrets = secrets.get_or_insert_with(|| locate::record_secrets(text, all));
        for r in &located(self.settings, file, text, first_line, c, findings) {
            totals.count(r);
            emit(r, &Source { text, first_line, secrets })?;
        }
        Ok(())
    }

    /// The fixed text of a whole input (safe fixes, plus unsafe ones when asked), applying
    /// non-overlapping fixes and re-linting until nothing changes. Returns the text and the
    /// number of fixes applied.
    pub fn fix_text(&self, text: &str) -> (String, usize) {
        let mut current = text.to_string();
        let mut applied = 0;
        for _ in 0..10 {
            let mut groups: Vec<Vec<(Range<usize>, String)>> = Vec::new();
            for (base, record) in records_of(&current) {
                let Ok(captures) = capture::parse_record(record) else { continue };
                for c in &captures {
                    for f in check_request(self.knowledge, &c.request(), &self.settings.options) {
                        let Some(fix) = f.fix.as_ref() else { continue };
                        if !self.settings.enabled(f.code) || !(fix.safe || self.settings.unsafe_fixes) {
                            continue;
                        }
                        if let Some(edits) = locate::edits(c, record, &fix.edits) {
                            groups.push(edits.into_iter().map(|(r, s)| (r.start + base..r.end + base, s)).collect());
                        }
                    }
                }
            }
            let mut accepted: Vec<(Range<usize>, String)> = Vec::new();
            for g in groups {
                let clash = g.iter().any(|(r, _)| {
                    accepted.iter().any(|(a, _)| (r.start < a.end && a.start < r.end) || r.start == a.start)
                });
                if !clash && !g.is_empty() {
                    accepted.extend(g);
                    applied += 1;
                }
            }
            if accepted.is_empty() {
                break;
            }
            accepted.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
            for (r, s) in accepted {
                if r.end <= current.len() && current.is_char_boundary(r.start) && current.is_char_boundary(r.end) {
                    current.replace_range(r, &s);
                }
            }
        }
        (current, applied)
    }
}

/// The records of a whole text: NDJSON lines (with their byte offsets), or the text itself.
pub fn records_of(text: &str) -> Vec<(usize, &str)> {
    if capture::is_ndjson(text) {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if !content.trim().is_empty() {
                out.push((offset, content));
            }
            offset += line.len();
        }
        out
    } else {
        vec![(0, text)]
    }
}

/// The findings of one capture that the settings report, located in its record's `text` (which
/// starts on line `first_line`, 0-based, of `file`), in position order: what every format shows.
pub fn located(
    settings: &Settings,
    file: &str,
    text: &str,
    first_line: usize,
    c: &Capture,
    findings: Vec<Finding>,
) -> Vec<Reported> {
    let mut located: Vec<Reported> = Vec::new();
    for f in findings {
        if !settings.enabled(f.code) {
            continue;
        }
        let span = locate::span(c, text, &f.target);
        let (line, column) = line_col(text, first_line, span.start);
        let (end_line, end_column) = line_col(text, first_line, span.end);
        // Messages quote what the request holds (a header value, the model, a role): a key
        // pasted into the wrong place is masked there as everywhere.
        let fix = f
            .fix
            .as_ref()
            .filter(|x| locate::edits(c, text, &x.edits).is_some())
            .map(|x| FixView { message: mask_keys_in_text(&x.message).into_owned(), safe: x.safe });
        let name = codes::rule(f.code).map_or("", |r| r.name);
        located.push(Reported {
            code: f.code,
            name,
            severity: settings.severity_of(f.code, f.severity),
            message: mask_keys_in_text(&f.message).into_owned(),
            help: f.help.map(|h| mask_keys_in_text(&h).into_owned()),
            fix,
            file: file.to_string(),
            line,
            column,
            end_line,
            end_column,
            span,
        });
    }
    // Stable: findings at one position keep `check_request`'s order.
    located.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
    located
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{knowledge, today, KEY};
    use crate::lint::LintOptions;

    fn messages(text: &str) -> Vec<String> {
        let settings = Settings::new(LintOptions { provider: None, date: today() });
        let linter = Linter { knowledge: knowledge(), settings: &settings };
        let mut shown = Vec::new();
        let mut emit = |r: &Reported, _: &Source<'_>| {
            shown.push(format!("{} {} {:?} {:?}", r.code, r.message, r.help, r.fix.as_ref().map(|f| &f.message)));
            Ok(())
        };
        linter.lint_record("k.http", text, 0, &mut Totals::default(), &mut emit).unwrap_or_else(|e| panic!("{e}"));
        shown
    }

    #[test]
    fn a_key_pasted_into_a_quoted_value_is_masked_in_the_message() {
        // Found by fuzzing (fuzz/corpus/lint/crash-key-in-content-type.http): FL402, FL403,
        // FL404, FL201, FL102 and FL107 quoted the value, and the key in it, in full.
        let text = format!(
            "POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\nx-api-key: {KEY}\r\nanthropic-version: {KEY}\r\n\
             content-type: text/plain {KEY}\r\nanthropic-beta: {KEY} x\r\n\r\n\
             {{\"model\":\"{KEY}\",\"max_tokens\":5,\"messages\":[{{\"role\":\"{KEY}\",\"content\":[{{\"type\":\"{KEY}\"}}]}}]}}"
        );
        let shown = messages(&text);
        let codes: Vec<&str> = shown.iter().filter_map(|m| m.split(' ').next()).collect();
        for code in ["FL402", "FL403", "FL404", "FL201", "FL102", "FL107"] {
            assert!(codes.contains(&code), "{code} missing from {shown:#?}");
        }
        for m in &shown {
            assert!(!m.contains(&KEY["sk-ant-api03-".len()..]), "{m}");
        }
        assert!(shown.iter().any(|m| m.contains("sk-ant-api03-… sha256:")), "{shown:#?}");
        // A header line that does not parse is quoted too (its first 40 characters).
        let problem = messages(&format!("POST /v1/messages HTTP/1.1\r\n{KEY}\r\n\r\n"));
        assert!(problem.iter().all(|m| !m.contains(&KEY[13..40])), "{problem:#?}");
    }
}
