//! From request terms to record bytes: where a finding points, and the byte edits of a fix.

use std::ops::Range;

use super::request::{Edit, PathSeg, Target};
use super::{jsonspan, Capture, InsertStyle, Origin};

/// The bytes of the record a target points at (possibly empty: an insertion point).
pub fn span(c: &Capture, text: &str, target: &Target) -> Range<usize> {
    let clamp = |r: Range<usize>| r.start.min(text.len())..r.end.min(text.len()).max(r.start.min(text.len()));
    clamp(match target {
        Target::Request | Target::Url { .. } => c.url_span.clone(),
        Target::Headers => c.headers_at..c.headers_at,
        Target::Header { index, range } => match c.headers.get(*index) {
            Some(h) => {
                let r = range.clone().unwrap_or(0..h.value.len());
                h.origin.map_range(text, &r)
            }
            None => c.headers_at..c.headers_at,
        },
        Target::Body { path, range } => body_span(c, text, path, range.as_ref()),
        Target::BodyOffset { offset } => {
            let at = c.body_origin.map(text, *offset);
            at..at
        }
    })
}

fn body_span(c: &Capture, text: &str, path: &[PathSeg], range: Option<&Range<usize>>) -> Range<usize> {
    let Some(body) = c.body.as_deref() else { return c.headers_at..c.headers_at };
    let Some((s, e)) = jsonspan::find(body, path) else {
        let at = c.body_origin.map(text, 0);
        return at..at;
    };
    let (bs, be) = match range {
        Some(r) if body.as_bytes().get(s) == Some(&b'"') => {
            (jsonspan::string_offset(body, s + 1, r.start), jsonspan::string_offset(body, s + 1, r.end))
        }
        _ => (s, e),
    };
    let start = c.body_origin.map(text, bs);
    let end = c.body_origin.map(text, be).max(start);
    start..end
}

/// The record byte edits of a fix, or `None` when one of them cannot be made in this format.
pub fn edits(c: &Capture, text: &str, edits: &[Edit]) -> Option<Vec<(Range<usize>, String)>> {
    let mut out = Vec::new();
    for e in edits {
        match e {
            Edit::Header { index, range, replacement } => {
                let h = c.headers.get(*index)?;
                if matches!(h.origin, Origin::Synthetic(_)) {
                    return None;
                }
                out.push((h.origin.map_range(text, range), h.origin.encode(replacement)?));
            }
            Edit::BodyString { path, range, replacement } => {
                let body = c.body.as_deref()?;
                let (s, e) = jsonspan::find(body, path)?;
                if body.as_bytes().get(s) != Some(&b'"') || !path_exists(body, path, s, e) {
                    return None;
                }
                let bs = jsonspan::string_offset(body, s + 1, range.start);
                let be = jsonspan::string_offset(body, s + 1, range.end);
                let encoded = c.body_origin.encode(&jsonspan::escape(replacement))?;
                let start = c.body_origin.map(text, bs);
                out.push((start..c.body_origin.map(text, be).max(start), encoded));
            }
            Edit::AddHeader { name, value } => {
                let ins = c.header_insert.as_ref()?;
                let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
                let inserted = match &ins.style {
                    InsertStyle::Line { eol } => format!("{name}: {value}{eol}"),
                    InsertStyle::JsonObject { comma_after } => {
                        format!("{}: {}{}", q(name), q(value), if *comma_after { ", " } else { "" })
                    }
                    InsertStyle::HarArray { comma_after } => format!(
                        "{{\"name\": {}, \"value\": {}}}{}",
                        q(name),
                        q(value),
                        if *comma_after { ", " } else { "" }
                    ),
                    InsertStyle::CurlFlag => format!(" -H '{name}: {value}'"),
                };
                out.push((ins.at..ins.at, inserted));
            }
        }
    }
    Some(out)
}

/// `find` returns the deepest existing value; an edit needs the exact one.
fn path_exists(body: &str, path: &[PathSeg], s: usize, e: usize) -> bool {
    path.is_empty() || jsonspan::find(body, &path[..path.len() - 1]).is_some_and(|(ps, pe)| (ps, pe) != (s, e))
}

/// Record ranges holding credentials the parser found: header values, and values the parser
/// knows are credentials but did not turn into a header (curl `-u`).
pub fn secrets(c: &Capture, text: &str) -> Vec<Range<usize>> {
    c.headers
        .iter()
        .filter(|h| crate::redact::is_credential_header(&h.name) && !matches!(h.origin, Origin::Synthetic(_)))
        .map(|h| h.origin.map_range(text, &(0..h.value.len())))
        .chain(c.extra_secrets.iter().cloned())
        .collect()
}

/// Every credential range of a record, merged: what the parser found in its captures plus what
/// `scan_secrets` finds in the text. A record that could not be parsed passes no captures.
pub fn record_secrets(text: &str, captures: &[Capture]) -> Vec<Range<usize>> {
    let mut all = scan_secrets(text);
    for c in captures {
        all.extend(secrets(c, text));
    }
    merge(all)
}

/// Header names whose values are credentials (the names of `redact::is_credential_header`).
const CREDENTIAL_HEADERS: &str = "authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie";

/// Credential-looking places in a text, found without parsing it: the text may be broken JSON
/// or a command with an unterminated quote, and is still shown in a snippet or a diff. Each
/// pattern's group `s` (or `s2`, `s3`) is the secret.
static SCAN: std::sync::LazyLock<(regex::RegexSet, Vec<regex::Regex>)> = std::sync::LazyLock::new(|| {
    let h = CREDENTIAL_HEADERS;
    // A JSON string's content up to its closing quote or the end of the line (broken JSON).
    let js = r#"(?:[^"\\\r\n]|\\.)*"#;
    let patterns = [
        // "x-api-key": "…" and "password": "…" members.
        format!(r#"(?i)"(?:{h}|password|passwd|api_key|apikey|secret|client_secret|access_token|token)"\s*:\s*"(?P<s>{js})"#),
        // HAR {"name": "authorization", "value": "…"}, in either order.
        format!(r#"(?i)"name"\s*:\s*"(?:{h})"\s*,\s*"value"\s*:\s*"(?P<s>{js})"#),
        format!(r#"(?i)"value"\s*:\s*"(?P<s>{js})"\s*,\s*"name"\s*:\s*"(?:{h})""#),
        // Header lines (raw HTTP), whole line.
        format!(r"(?im)^[ \t]*(?:{h})[ \t]*:[ \t]*(?P<s>[^\r\n]*)"),
        // Headers inside a quoted word (curl -H '…') or an escaped JSON string (`\nx-api-key: …`).
        format!(r#"(?i)(?:\\n|[\s'"])(?:{h})[ \t]*:[ \t]*(?P<s>[^\r\n'"\\]*)"#),
        // An Anthropic key anywhere.
        r"sk-ant-[A-Za-z0-9_-]{8,}".to_string(),
        // curl -u / --user / --proxy-user / --oauth2-bearer values, quoted or not.
        r#"(?:^|\s)(?:-[uU][ \t]*|--(?:user|proxy-user|oauth2-bearer)(?:=|[ \t]+))(?:'(?P<s>[^']*)|"(?P<s2>(?:[^"\\]|\\.)*)|(?P<s3>[^\s'"]+))"#.to_string(),
        // URL userinfo: `scheme://user:password@` (the part after the colon; all of it without one).
        r#"(?i)(?-u:\b)[a-z][a-z0-9+.-]*://(?:[^/?#@\s"'\\:]*:)?(?P<s>[^/?#@\s"'\\]+)@"#.to_string(),
        // Query-string credentials.
        r#"(?i)[?&](?:key|api_key|api-key|apikey|x-api-key|access_token|token|password|secret|client_secret|x-amz-signature|x-amz-security-token)=(?P<s>[^&#\s"'\\]+)"#.to_string(),
        // `password: …` / `secret=…` in free text or a config line.
        r#"(?i)(?-u:\b)(?:password|passwd|secret)[ \t]*[:=][ \t]*['"]?(?P<s>[^\s'"&,;]+)"#.to_string(),
        // A bearer or basic credential anywhere else.
        r"(?i)(?-u:\b)(?:bearer|basic)[ \t]+(?P<s>[A-Za-z0-9._~+/=-]{8,})".to_string(),
    ]
    .iter()
    .filter_map(|p| regex::Regex::new(p).ok())
    .collect::<Vec<_>>();
    // One pass of the set over the text says which patterns are worth running for their groups.
    let set =
        regex::RegexSet::new(patterns.iter().map(regex::Regex::as_str)).unwrap_or_else(|_| regex::RegexSet::empty());
    (set, patterns)
});

/// Record ranges that look like credentials, found in the text alone (see `SCAN`), and the
/// credentials of other issuers anywhere in it (`redact::token_ranges`: AWS, GitHub, OpenAI,
/// JWTs, Google, `\u`-escaped Anthropic keys), in request bodies as much as in headers.
pub fn scan_secrets(text: &str) -> Vec<Range<usize>> {
    let (set, patterns) = &*SCAN;
    let mut out = crate::redact::token_ranges(text);
    for re in set.matches(text).iter().filter_map(|i| patterns.get(i)) {
        for caps in re.captures_iter(text) {
            let group = caps.name("s").or_else(|| caps.name("s2")).or_else(|| caps.name("s3")).or_else(|| caps.get(0));
            if let Some(m) = group.filter(|m| !m.is_empty()) {
                out.push(m.range());
            }
        }
    }
    merge(out)
}

/// Sorted, with overlapping ranges joined (masking replaces each range once).
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.end > r.start);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<&str> {
        scan_secrets(text).into_iter().filter_map(|r| text.get(r)).collect()
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!((SCAN.0.len(), SCAN.1.len()), (11, 11));
    }

    #[test]
    fn scan_finds_credentials_in_text_that_does_not_parse() {
        assert_eq!(shown(r#"{"headers":{"X-Api-Key":"abc\"def" "next":1"#), [r#"abc\"def"#]);
        assert_eq!(shown(r#"{"name": "authorization", "value": "Basic dXNlcjpw+/="}"#), ["Basic dXNlcjpw+/="]);
        assert_eq!(shown("GET / HTTP/1.1\r\nAuthorization: Bearer abc def\r\nx: y"), ["Bearer abc def"]);
        assert_eq!(shown("curl -H 'x-api-key: abcdefgh' 'https://x"), ["abcdefgh"]);
        assert_eq!(shown("curl -u 'elastic:pw' x"), ["elastic:pw"]);
        assert_eq!(shown("curl -uelastic:pw x"), ["elastic:pw"]);
        assert_eq!(shown("curl --user=elastic:pw --user-agent ua x"), ["elastic:pw"]);
        assert_eq!(shown("curl --oauth2-bearer \"tok\" x"), ["tok"]);
        assert_eq!(shown("https://elastic:pw@host:9200/x"), ["pw"]);
        assert_eq!(shown("https://token@host/x"), ["token"]);
        assert_eq!(shown("/v1/messages?beta=true&api_key=abc&key=def#x"), ["abc", "def"]);
        assert_eq!(shown("see sk-ant-api03-abcdefghij, later"), ["sk-ant-api03-abcdefghij"]);
        assert_eq!(shown("user elastic, password: hunter2"), ["hunter2"]);
        assert!(shown(r#"{"model":"claude","url":"https://host/v1/messages?beta=true"}"#).is_empty());
    }

    #[test]
    fn overlapping_ranges_merge() {
        assert_eq!(merge(vec![5..9, 0..3, 2..4, 9..9, 8..12]), [0..4, 5..12]);
    }
}
