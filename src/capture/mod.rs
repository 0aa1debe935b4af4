//! A captured request: one model (`request`: what the lint rules see, where a finding points,
//! what a fix edits), many parsers (raw HTTP, JSON envelope, HAR, curl command, log document with
//! request_header/request_body or ECS fields, bare body), detected from the text. Every decoded
//! string remembers where it came from (`Origin`), so findings point at the bytes of the file as
//! the user has it, and fixes edit exactly those bytes.

pub mod curl;
pub mod json;
pub mod jsonspan;
pub mod jv;
pub mod locate;
pub mod logdoc;
pub mod raw;
pub mod request;

use std::ops::Range;

use request::Request;

/// The capture formats faultline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    RawHttp,
    Envelope,
    Har,
    Curl,
    LogDocument,
    Body,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::RawHttp => "raw HTTP",
            Format::Envelope => "JSON envelope",
            Format::Har => "HAR",
            Format::Curl => "curl command",
            Format::LogDocument => "log document",
            Format::Body => "request body",
        }
    }
}

/// Where a decoded string's bytes are in the record text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Verbatim, starting at this offset.
    Verbatim(usize),
    /// The content of a JSON string literal starting (after the quote) at this offset.
    JsonString(usize),
    /// Explicit: for each decoded byte, the record bytes it was decoded from (an escape
    /// sequence maps all its decoded bytes to the whole sequence).
    Mapped(Vec<(usize, usize)>),
    /// Made up by the parser (curl's default content-type): points at this offset, cannot be edited.
    Synthetic(usize),
}

impl Origin {
    /// The record offset of a decoded offset.
    pub fn map(&self, text: &str, decoded: usize) -> usize {
        match self {
            Origin::Verbatim(start) => start + decoded,
            Origin::JsonString(start) => jsonspan::string_offset(text, *start, decoded),
            Origin::Mapped(map) => match map.get(decoded) {
                Some(m) => m.0,
                None => map.last().map_or(0, |m| m.1),
            },
            Origin::Synthetic(at) => *at,
        }
    }

    pub fn map_range(&self, text: &str, r: &Range<usize>) -> Range<usize> {
        if let (Origin::Mapped(map), true) = (self, r.end > r.start) {
            let start = self.map(text, r.start);
            let end = map.get(r.end - 1).map_or(start, |m| m.1);
            return start..end.max(start);
        }
        let start = self.map(text, r.start);
        let end = if r.end == r.start { start } else { self.map(text, r.end).max(start) };
        start..end
    }

    /// The text to write in place of decoded `s`.
    pub fn encode(&self, s: &str) -> Option<String> {
        match self {
            Origin::Verbatim(_) | Origin::Mapped(_) => Some(s.to_string()),
            Origin::JsonString(_) => Some(jsonspan::escape(s)),
            Origin::Synthetic(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// How to add a header to this capture: insert `before + name: value + after` at `at`,
/// with the name and value encoded for the format.
#[derive(Debug, Clone)]
pub struct HeaderInsert {
    pub at: usize,
    pub style: InsertStyle,
}

#[derive(Debug, Clone)]
pub enum InsertStyle {
    /// `Name: value<eol>` (raw HTTP)
    Line { eol: String },
    /// `"name": "value", ` into a JSON object (`comma_after` when it has members)
    JsonObject { comma_after: bool },
    /// `{"name": "name", "value": "value"}, ` into a HAR headers array
    HarArray { comma_after: bool },
    /// ` -H 'name: value'` after `curl`
    CurlFlag,
}

/// One captured request, with positions into its record's text.
#[derive(Debug, Clone)]
pub struct Capture {
    pub format: Format,
    pub method: Option<String>,
    pub url: Option<String>,
    /// Span of the URL (or the request) in the record.
    pub url_span: Range<usize>,
    pub headers: Vec<Header>,
    pub headers_known: bool,
    pub headers_complete: bool,
    /// Where the header block is (a missing header points here).
    pub headers_at: usize,
    pub header_insert: Option<HeaderInsert>,
    pub body: Option<String>,
    pub body_origin: Origin,
    /// Record ranges of credentials that are not a header value (curl `-u user:password`).
    pub extra_secrets: Vec<Range<usize>>,
}

impl Capture {
    pub fn request(&self) -> Request<'_> {
        Request {
            url: self.url.as_deref(),
            headers: self.headers.iter().map(|h| (h.name.as_str(), h.value.as_str())).collect(),
            headers_known: self.headers_known,
            headers_complete: self.headers_complete,
            body: self.body.as_deref(),
        }
    }
}

/// A problem that keeps a record from being read as a request (FL901/FL902).
#[derive(Debug, Clone)]
pub struct ParseProblem {
    pub code: &'static str,
    pub message: String,
    pub at: usize,
}

/// What one record held.
pub type Parsed = Result<Vec<Capture>, ParseProblem>;

/// Detects the format of one record (a whole file, or one NDJSON line) and parses it.
pub fn parse_record(text: &str) -> Parsed {
    parse_record_shared(text).0
}

/// [`parse_record`], with the body of a one-envelope record parsed when it is a JSON object
/// (`json::parse_shared`): what the rules would parse it into.
pub fn parse_record_shared(text: &str) -> (Parsed, Option<jv::Json<'_>>) {
    let rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if rest.starts_with('{') {
        return json::parse_shared(text);
    }
    (parse_record_plain(text), None)
}

fn parse_record_plain(text: &str) -> Parsed {
    let start = text.len() - text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}').len();
    let rest = &text[start..];
    if rest.is_empty() {
        return Err(ParseProblem { code: "FL902", message: "the input is empty".into(), at: 0 });
    }
    if rest.starts_with('{') || rest.starts_with('[') || rest.starts_with('"') {
        return json::parse(text);
    }
    if curl::looks_like(rest) {
        return curl::parse(text, start).map(|c| vec![c]);
    }
    if raw::looks_like(rest) {
        return raw::parse(text, start).map(|c| vec![c]);
    }
    Err(ParseProblem {
        code: "FL902",
        message: "not a capture format faultline reads (raw HTTP, JSON envelope, HAR, curl command, log document, request body)".into(),
        at: start,
    })
}

/// Whether a text is NDJSON: several lines that each hold one JSON value, where the whole text
/// is not a single JSON value.
pub fn is_ndjson(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let (Some(first), Some(_)) = (lines.next(), lines.next()) else { return false };
    let first = first.trim_start_matches('\u{feff}').trim();
    first.starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok()
        && serde_json::from_str::<serde::de::IgnoredAny>(text.trim_start_matches('\u{feff}')).is_err()
}
