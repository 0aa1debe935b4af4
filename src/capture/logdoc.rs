//! Writes a request a log recorded (method, path, header pairs, body text) as the log document
//! it is shown as, and the capture of that document with every span recorded as it is
//! written: findings about the request point into the document without parsing it again.
//!
//! The document is pretty-printed JSON with its keys in order (`method`, `path`,
//! `request_body`, `request_header`) and the headers sorted by name, the form
//! `serde_json::to_string_pretty` gives a log document. Header names that repeat are all
//! written, in their order; the capture keeps the headers in the order given, so a header's
//! index is the same in the request and in the capture.

use super::{Capture, Format, Header, Origin};

/// The document and its capture.
pub fn write(
    method: Option<&str>,
    path: Option<&str>,
    headers: &[(String, String)],
    body: Option<&str>,
) -> (String, Capture) {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut text = String::from("{");
    let mut first = true;
    let mut member = |text: &mut String, key: &str| {
        text.push_str(if first { "\n  " } else { ",\n  " });
        first = false;
        text.push_str(&quote(key));
        text.push_str(": ");
    };
    if let Some(m) = method {
        member(&mut text, "method");
        text.push_str(&quote(m));
    }
    let mut url_span = 0..0;
    if let Some(p) = path {
        member(&mut text, "path");
        let at = text.len();
        text.push_str(&quote(p));
        url_span = at..text.len();
    }
    let mut body_origin = Origin::Verbatim(0);
    if let Some(b) = body {
        member(&mut text, "request_body");
        // The content starts after the opening quote.
        body_origin = Origin::JsonString(text.len() + 1);
        text.push_str(&quote(b));
    }
    member(&mut text, "request_header");
    let headers_at = text.len();
    let mut order: Vec<usize> = (0..headers.len()).collect();
    order.sort_by(|a, b| headers[*a].0.cmp(&headers[*b].0));
    let mut origins = vec![Origin::Verbatim(0); headers.len()];
    if order.is_empty() {
        text.push_str("{}");
    } else {
        text.push('{');
        for (n, i) in order.iter().enumerate() {
            let (name, value) = &headers[*i];
            text.push_str(if n == 0 { "\n    " } else { ",\n    " });
            text.push_str(&quote(name));
            text.push_str(": ");
            origins[*i] = Origin::JsonString(text.len() + 1);
            text.push_str(&quote(value));
        }
        text.push_str("\n  }");
    }
    text.push_str("\n}");
    let capture = Capture {
        format: Format::LogDocument,
        method: method.map(str::to_string),
        url: path.map(str::to_string),
        url_span,
        headers: headers
            .iter()
            .zip(origins)
            .map(|((name, value), origin)| Header { name: name.clone(), value: value.clone(), origin })
            .collect(),
        headers_known: !headers.is_empty(),
        headers_complete: false,
        headers_at,
        header_insert: None,
        body: body.map(str::to_string),
        body_origin,
        extra_secrets: Vec::new(),
    };
    (text, capture)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::locate;
    use crate::capture::request::Target;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    /// The document as serde_json writes it from a map.
    fn pretty(method: Option<&str>, path: Option<&str>, headers: &[(String, String)], body: Option<&str>) -> String {
        let mut h = serde_json::Map::new();
        for (n, v) in headers {
            h.insert(n.clone(), v.clone().into());
        }
        let mut doc = serde_json::Map::new();
        if let Some(m) = method {
            doc.insert("method".into(), m.into());
        }
        if let Some(p) = path {
            doc.insert("path".into(), p.into());
        }
        doc.insert("request_header".into(), serde_json::Value::Object(h));
        if let Some(b) = body {
            doc.insert("request_body".into(), b.into());
        }
        serde_json::to_string_pretty(&serde_json::Value::Object(doc)).unwrap_or_default()
    }

    #[test]
    fn writes_what_serde_json_writes_and_parses_back_to_the_same_capture() {
        let headers = pairs(&[
            ("x-api-key", "sk-ant-api03-abc\u{200b}\n"),
            ("authorization", "bearer \"k\" é"),
            ("content-type", "application/json"),
        ]);
        let body = "{\"model\":\"claude\\u0020x\",\n\"messages\":[]}";
        for (method, path, headers, body) in [
            (Some("POST"), Some("/v1/messages?beta=true"), headers.clone(), Some(body)),
            (None, None, headers.clone(), None),
            (None, Some("/v1/messages"), Vec::new(), Some("{}")),
        ] {
            let (text, c) = write(method, path, &headers, body);
            assert_eq!(text, pretty(method, path, &headers, body));
            let parsed = crate::capture::parse_record(&text).unwrap_or_else(|e| panic!("{}", e.message));
            let [p] = parsed.as_slice() else { panic!("{} captures", parsed.len()) };
            assert_eq!((&c.url, &c.method, &c.body, c.headers_known), (&p.url, &p.method, &p.body, p.headers_known));
            assert_eq!(
                (c.url_span.clone(), c.headers_at, &c.body_origin),
                (p.url_span.clone(), p.headers_at, &p.body_origin)
            );
            // The parser reads the headers in document order (sorted); each points at the same bytes.
            for h in &c.headers {
                let q = p.headers.iter().find(|q| q.name == h.name).unwrap_or_else(|| panic!("{}", h.name));
                assert_eq!((&h.value, &h.origin), (&q.value, &q.origin));
            }
        }
    }

    #[test]
    fn repeated_names_are_all_written_and_keep_their_indexes() {
        let headers = pairs(&[("x-api-key", "first"), ("content-type", "application/json"), ("x-api-key", "second")]);
        let (text, c) = write(None, None, &headers, None);
        let at = |index: usize| {
            let span = locate::span(&c, &text, &Target::Header { index, range: None });
            text[span].to_string()
        };
        assert_eq!((at(0), at(1), at(2)), ("first".into(), "application/json".into(), "second".into()));
        assert!(text.find("first") < text.find("second"), "{text}");
    }
}
