//! The request as the rules see it, where a finding points, and what a fix changes.
//!
//! Rules never see files: they see a `Request` (URL, headers, body text) and report targets in
//! request terms (header 2, bytes 10..11 of its value; body path `messages[1].role`). `locate`
//! turns those into file positions and byte edits, so that one rule set serves log records,
//! raw HTTP files, HAR, curl commands and JSON envelopes alike.

use std::ops::Range;

use serde::Serialize;

/// One request, borrowed from wherever it was captured.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// The URL or path, when known.
    pub url: Option<&'a str>,
    /// Headers in capture order; names in any case.
    pub headers: Vec<(&'a str, &'a str)>,
    /// Whether headers were captured at all (a bare body has none: header rules are skipped).
    pub headers_known: bool,
    /// Whether the capture holds every header sent. Logs often keep a subset (credentials
    /// stripped), so a missing header is reported only for complete captures.
    pub headers_complete: bool,
    /// The body text as sent.
    pub body: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// The first header with this (lowercase) name: its index and value.
    pub fn header(&self, lower_name: &str) -> Option<(usize, &'a str)> {
        self.headers
            .iter()
            .enumerate()
            .find(|(_, (n, _))| n.eq_ignore_ascii_case(lower_name))
            .map(|(i, (_, v))| (i, *v))
    }
}

/// A step in a JSON path inside the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// `messages[1].content[0].text`
pub fn path_string(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSeg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Where in the request a finding points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// The request as a whole (its first line).
    Request,
    /// The URL (a byte range of it, or all of it).
    Url { range: Option<Range<usize>> },
    /// A header's value: a byte range of the value, or all of it.
    Header { index: usize, range: Option<Range<usize>> },
    /// The header block (a header that is missing).
    Headers,
    /// A JSON value in the body; with a range, bytes of that (decoded) string value.
    Body { path: Vec<PathSeg>, range: Option<Range<usize>> },
    /// A byte offset in the body text (where JSON parsing stopped).
    BodyOffset { offset: usize },
}

/// One change a fix makes, in request terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// Replace bytes of a header's value.
    Header { index: usize, range: Range<usize>, replacement: String },
    /// Replace bytes of a string value in the body (decoded text).
    BodyString { path: Vec<PathSeg>, range: Range<usize>, replacement: String },
    /// Add a header.
    AddHeader { name: String, value: String },
}

/// A fix: what it does, whether it is safe (applied by `--fix`) or needs `--unsafe-fixes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub message: String,
    pub safe: bool,
    pub edits: Vec<Edit>,
}

/// The API a request targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Anthropic,
    Bedrock,
    Vertex,
    Openai,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Anthropic => "anthropic",
            Provider::Bedrock => "bedrock",
            Provider::Vertex => "vertex",
            Provider::Openai => "openai",
        }
    }
}

/// What the URL path says the request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// No URL captured (a bare body, a log without path).
    Unknown,
    Messages,
    CountTokens,
    ChatCompletions,
    BedrockInvoke,
    VertexPredict,
    /// Any other path (`/v1/models` …): body rules do not apply.
    Other,
}

/// The path part of a URL (scheme, host, query and fragment removed).
pub fn url_path(url: &str) -> &str {
    let rest = match memchr::memmem::find(url.as_bytes(), b"://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("", |p| &after[p..])
        }
        None => url,
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

pub fn endpoint(url: Option<&str>) -> Endpoint {
    let Some(url) = url else { return Endpoint::Unknown };
    let path = url_path(url).trim_end_matches('/');
    if path.is_empty() {
        return Endpoint::Unknown;
    }
    // Case-insensitive suffix tests without allocating: this runs for every request.
    let ends = |suffix: &str| {
        path.len() >= suffix.len()
            && path.is_char_boundary(path.len() - suffix.len())
            && path[path.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    if ends("/messages/count_tokens") {
        Endpoint::CountTokens
    } else if ends("/messages") {
        Endpoint::Messages
    } else if ends("/chat/completions") {
        Endpoint::ChatCompletions
    } else if path.contains("/model/") && (ends("/invoke") || ends("/invoke-with-response-stream")) {
        Endpoint::BedrockInvoke
    } else if ends(":rawpredict") || ends(":streamrawpredict") || ends(":counttokens") {
        Endpoint::VertexPredict
    } else {
        Endpoint::Other
    }
}

fn host(url: &str) -> &str {
    memchr::memmem::find(url.as_bytes(), b"://").map_or("", |i| {
        let after = &url[i + 3..];
        &after[..after.find(['/', '?', '#']).unwrap_or(after.len())]
    })
}

/// `--provider auto`: the URL first (endpoint path, host), then headers, then the body's
/// `anthropic_version`. Anthropic when nothing says otherwise.
pub fn detect_provider(req: &Request<'_>, body_anthropic_version: Option<&str>) -> Provider {
    let ep = endpoint(req.url);
    let host = req.url.map(host).unwrap_or("");
    match ep {
        Endpoint::BedrockInvoke => return Provider::Bedrock,
        Endpoint::VertexPredict => return Provider::Vertex,
        Endpoint::ChatCompletions => return Provider::Openai,
        _ => {}
    }
    if contains_ignore_case(host, "bedrock") {
        return Provider::Bedrock;
    }
    if contains_ignore_case(host, "aiplatform.googleapis.com") {
        return Provider::Vertex;
    }
    let aws_signed = req.headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("x-amz-date")
            || (n.eq_ignore_ascii_case("authorization") && v.trim_start().starts_with("AWS4-HMAC-SHA256"))
    });
    if aws_signed {
        return Provider::Bedrock;
    }
    match body_anthropic_version {
        Some(v) if v.starts_with("bedrock-") => Provider::Bedrock,
        Some(v) if v.starts_with("vertex-") => Provider::Vertex,
        _ => Provider::Anthropic,
    }
}

/// ASCII case-insensitive substring test, without allocating.
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}
