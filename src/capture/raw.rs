//! Raw HTTP/1.x request text: request line, headers, blank line, body.
//!
//! The value of a header keeps every byte after `Name:` and its one conventional space, up to the
//! line terminator: a stray CR before CRLF, trailing spaces and folded continuation lines are
//! what the linter is looking for, so they are not trimmed away.

use super::{Capture, Format, Header, HeaderInsert, InsertStyle, Origin, ParseProblem};

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

pub fn looks_like(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let mut parts = first.split(' ');
    let method = parts.next().unwrap_or("");
    METHODS.contains(&method) && parts.next().is_some_and(|t| !t.is_empty())
}

/// One line: (start, end of content, end including the terminator).
///
/// In a capture whose request line ends in CRLF, a bare LF right before a CRLF is the last byte
/// of the line's content, not a line of its own: a key pasted with a trailing newline is sent
/// as `x-api-key: sk-ant-…\n\r\n`, and reading the `\r\n` as the blank line would end the
/// headers there.
fn lines(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = from;
    let first_end = text.get(from..).and_then(|t| t.find('\n')).map(|i| from + i);
    let crlf = first_end.is_some_and(|i| i > from && text.as_bytes().get(i - 1) == Some(&b'\r'));
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let rel_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let b = text.as_bytes();
        if crlf
            && rel_end > start
            && b.get(rel_end - 1) != Some(&b'\r')
            && b.get(rel_end + 1..rel_end + 3) == Some(b"\r\n")
        {
            // The LF stays in the content; the CRLF after it ends the line.
            let content_end = rel_end + 1;
            pos = rel_end + 3;
            return Some((start, content_end, pos));
        }
        let full_end = (rel_end + 1).min(text.len());
        let content_end = if rel_end > start && text.as_bytes().get(rel_end - 1) == Some(&b'\r') && rel_end < text.len()
        {
            rel_end - 1
        } else {
            rel_end
        };
        pos = full_end;
        Some((start, content_end, full_end))
    })
}

pub fn parse(text: &str, start: usize) -> Result<Capture, ParseProblem> {
    let mut it = lines(text, start);
    let Some((ls, le, _)) = it.next() else {
        return Err(ParseProblem { code: "FL902", message: "empty request".into(), at: start });
    };
    let request_line = &text[ls..le];
    let mut parts = request_line.splitn(3, ' ');
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("");
    // A request line of one word has no target: its (empty) span is the line's end.
    let target_start = (ls + method.len() + 1).min(le);
    let mut headers: Vec<Header> = Vec::new();
    let mut eol = "\r\n".to_string();
    let mut body_start = text.len();
    let mut insert_at = text.len();
    let mut saw_blank = false;
    for (s, e, full) in it {
        let line = &text[s..e];
        if line.is_empty() {
            insert_at = s;
            body_start = full;
            saw_blank = true;
            break;
        }
        if line.starts_with([' ', '\t']) {
            // obs-fold: the line break is part of the previous value (and what FL001 reports).
            if let Some(h) = headers.last_mut() {
                if let Origin::Verbatim(vs) = h.origin {
                    h.value = text[vs..e].to_string();
                }
            }
            continue;
        }
        eol = if text[e..full].is_empty() { "\r\n".into() } else { text[e..full].to_string() };
        let Some(colon) = line.find(':') else {
            return Err(ParseProblem {
                code: "FL902",
                message: format!(
                    "header line without `:` (expected `Name: value`): `{}`",
                    line.chars().take(40).collect::<String>()
                ),
                at: s,
            });
        };
        let name = line[..colon].trim().to_string();
        let mut vs = s + colon + 1;
        if text.as_bytes().get(vs) == Some(&b' ') {
            vs += 1;
        }
        let value_end = e;
        headers.push(Header {
            name,
            value: text[vs.min(value_end)..value_end].to_string(),
            origin: Origin::Verbatim(vs.min(value_end)),
        });
        insert_at = full;
    }
    let body = if saw_blank && body_start < text.len() { Some(text[body_start..].to_string()) } else { None };
    let host = headers.iter().find(|h| h.name.eq_ignore_ascii_case("host")).map(|h| h.value.trim().to_string());
    let url = if target.starts_with('/') {
        match host {
            Some(h) => format!("https://{h}{target}"),
            None => target.to_string(),
        }
    } else {
        target.to_string()
    };
    Ok(Capture {
        format: Format::RawHttp,
        method: Some(method),
        url: Some(url),
        url_span: target_start..target_start + target.len(),
        headers_known: true,
        headers_complete: true,
        headers_at: lines(text, start).nth(1).map_or(le, |(s, _, _)| s),
        header_insert: Some(HeaderInsert { at: insert_at, style: InsertStyle::Line { eol } }),
        headers,
        body,
        body_origin: Origin::Verbatim(body_start),
        extra_secrets: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_stray_carriage_returns_and_spaces() {
        let t = "POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\nx-api-key: sk-ant-x \r\r\n\r\n{\"a\":1}";
        let c = parse(t, 0).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(c.url.as_deref(), Some("https://api.anthropic.com/v1/messages"));
        assert_eq!(c.headers[1].value, "sk-ant-x \r");
        assert_eq!(c.body.as_deref(), Some("{\"a\":1}"));
        let Origin::Verbatim(at) = c.headers[1].origin else { panic!() };
        assert_eq!(&t[at..at + 8], "sk-ant-x");
    }

    #[test]
    fn folded_line_is_part_of_the_value() {
        let t = "POST /v1/messages HTTP/1.1\nx-api-key: sk-ant-x\n  more\n\n";
        let c = parse(t, 0).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(c.headers[0].value, "sk-ant-x\n  more");
        assert_eq!(c.body, None);
    }

    /// Item 7: a key ending in a bare LF in a CRLF capture is the value's last byte (FL001's
    /// finding), not the end of the headers; the headers after it are still headers. A capture
    /// written with LF line ends alone still ends its headers at the first empty line.
    #[test]
    fn a_bare_lf_before_crlf_stays_in_the_value_not_the_end_of_headers() {
        let t = "POST /v1/messages HTTP/1.1\r\nhost: api.anthropic.com\r\nx-api-key: sk-ant-x\n\r\nanthropic-version: 2023-06-01\r\n\r\n{}";
        let c = parse(t, 0).unwrap_or_else(|e| panic!("{}", e.message));
        let names: Vec<&str> = c.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["host", "x-api-key", "anthropic-version"]);
        assert_eq!(c.headers[1].value, "sk-ant-x\n");
        assert_eq!(c.body.as_deref(), Some("{}"));
        // Look-alike: LF line ends throughout, an empty line is the end of the headers.
        let t = "POST /v1/messages HTTP/1.1\nhost: api.anthropic.com\nx-api-key: sk-ant-x\n\n{}";
        let c = parse(t, 0).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!((c.headers.len(), c.headers[1].value.as_str(), c.body.as_deref()), (2, "sk-ant-x", Some("{}")));
    }

    #[test]
    fn a_request_line_without_a_target_keeps_its_span_in_the_text() {
        // Found by fuzzing every parser on every input: `POST` alone put the target one byte
        // past the end of the text.
        for t in ["POST", "POST\n", "GET\r\nHost: x\r\n\r\n"] {
            let c = parse(t, 0).unwrap_or_else(|e| panic!("{}", e.message));
            assert!(c.url_span.end <= t.len() && c.url_span.is_empty(), "{t:?}: {:?}", c.url_span);
        }
    }
}
