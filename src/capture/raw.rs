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
fn lines(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let rel_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
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
