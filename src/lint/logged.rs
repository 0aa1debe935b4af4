//! Lint's one entry point for a request a log recorded: the diagnosis's layer 2 takes its
//! findings, the walk shows them located in the log document the request is written as.

use std::io;

use chrono::NaiveDate;

use super::{check_request, located, Finding, LintOptions, Request, Settings, Sink, Source};
use crate::capture::{locate, logdoc};
use crate::knowledge::Knowledge;

/// A request as a log recorded it: the method and path when known, headers as (lowercase name,
/// value) pairs, the body text as sent, and the date the request was made (model status is
/// evaluated at that date).
///
/// Logs keep a subset of headers (credentials are often stripped), so a header that is absent
/// is not reported; with no headers at all, header rules are skipped. Messages never carry a
/// full key.
#[derive(Debug, Clone, Copy)]
pub struct LoggedRequest<'a> {
    pub method: Option<&'a str>,
    pub path: Option<&'a str>,
    pub headers: &'a [(String, String)],
    pub body: Option<&'a str>,
    pub date: NaiveDate,
}

impl<'a> LoggedRequest<'a> {
    fn request(&self) -> Request<'a> {
        Request {
            url: self.path,
            headers: self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
            headers_known: !self.headers.is_empty(),
            headers_complete: false,
            body: self.body,
        }
    }

    /// Every rule's findings, in `check_request`'s order.
    pub fn findings(&self, knowledge: &Knowledge) -> Vec<Finding> {
        check_request(knowledge, &self.request(), &LintOptions { provider: None, date: self.date })
    }

    /// The findings, located in the log document this request is written as (named `name`) and
    /// handed to `sink` in position order, as `faultline lint` reports a log document. Only
    /// `finding` is called: `begin` and `end` are the caller's.
    pub fn report(&self, knowledge: &Knowledge, name: &str, sink: &mut dyn Sink) -> io::Result<()> {
        let findings = self.findings(knowledge);
        if findings.is_empty() {
            return Ok(());
        }
        let (text, capture) = logdoc::write(self.method, self.path, self.headers, self.body);
        let secrets = locate::record_secrets(&text, std::slice::from_ref(&capture));
        let settings = Settings::new(LintOptions { provider: None, date: self.date });
        let source = Source { text: &text, first_line: 0, secrets: &secrets };
        for r in &located(&settings, name, &text, 0, &capture, findings) {
            sink.finding(r, &source)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::*;
    use crate::lint::{Reported, Source};

    struct Collect(Vec<(String, usize, usize)>);

    impl Sink for Collect {
        fn finding(&mut self, r: &Reported, _: &Source<'_>) -> io::Result<()> {
            self.0.push((r.code.to_string(), r.line, r.column));
            Ok(())
        }
    }

    #[test]
    fn the_walk_and_the_layers_see_the_same_findings() {
        let headers = vec![
            ("x-api-key".to_string(), format!("{KEY}\n")),
            ("content-type".to_string(), "application/json".to_string()),
            ("authorization".to_string(), format!("bearer {KEY}")),
        ];
        let request = LoggedRequest {
            method: Some("POST"),
            path: Some("/v1/messages"),
            headers: &headers,
            body: Some(r#"{"model":"claude-3-sonnet","max_tokens":10,"messages":[{"role":null,"content":"x"}]}"#),
            date: today(),
        };
        let findings = request.findings(k());
        let mut collected = Collect(Vec::new());
        request.report(k(), "sample", &mut collected).unwrap_or_else(|e| panic!("{e}"));
        let mut layers: Vec<&str> = findings.iter().map(|f| f.code).collect();
        let mut walk: Vec<&str> = collected.0.iter().map(|(c, _, _)| c.as_str()).collect();
        layers.sort_unstable();
        walk.sort_unstable();
        assert_eq!(layers, walk);
        // Located in the document: the body is line 4, `authorization` line 6, `x-api-key` line 8.
        let lines: Vec<(&str, usize)> = collected.0.iter().map(|(c, l, _)| (c.as_str(), *l)).collect();
        assert_eq!(lines, [("FL201", 4), ("FL102", 4), ("FL004", 6), ("FL007", 8), ("FL001", 8)]);
    }
}
