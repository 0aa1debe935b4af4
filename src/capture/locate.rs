//! From request terms to record bytes: where a finding points, and the byte edits of a fix.

use std::ops::Range;

use super::{jsonspan, Capture, InsertStyle, Origin};
use crate::lint::{Edit, Target};

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

fn body_span(c: &Capture, text: &str, path: &[crate::lint::PathSeg], range: Option<&Range<usize>>) -> Range<usize> {
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
fn path_exists(body: &str, path: &[crate::lint::PathSeg], s: usize, e: usize) -> bool {
    path.is_empty() || jsonspan::find(body, &path[..path.len() - 1]).is_some_and(|(ps, pe)| (ps, pe) != (s, e))
}

/// Record ranges holding credentials (header values), for masking in snippets and diffs.
pub fn secrets(c: &Capture, text: &str) -> Vec<Range<usize>> {
    c.headers
        .iter()
        .filter(|h| crate::redact::is_credential_header(&h.name) && !matches!(h.origin, Origin::Synthetic(_)))
        .map(|h| h.origin.map_range(text, &(0..h.value.len())))
        .collect()
}
