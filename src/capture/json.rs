//! JSON captures: an envelope `{method, url, headers, body}`, a HAR file, a log document
//! (`request_header`/`request_body`, or the ECS `http.request.*` fields, nested or dotted), a bare
//! request body, or an array of envelopes / log documents.
//!
//! Parsed with serde_json's borrowed `RawValue`s, so every value keeps its position in the text.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::jv::{Json, Key};
use crate::schema::Field;

use super::{Capture, Format, Header, HeaderInsert, InsertStyle, Origin, ParseProblem, Parsed};

/// An object's members in document order, values kept raw.
struct Members<'a> {
    list: Vec<(Cow<'a, str>, Raw<'a>)>,
    /// Values read while the members were (the top level of a record only, `Top`), by index.
    pre: Vec<(usize, Pre<'a>)>,
}

/// A JSON value's text, valid JSON (serde_json checked it, as a `RawValue` or while reading it
/// into `Pre`).
#[derive(Clone, Copy)]
struct Raw<'a>(&'a str);

impl<'a> Raw<'a> {
    fn get(self) -> &'a str {
        self.0
    }
}

impl<'a> From<&'a RawValue> for Raw<'a> {
    fn from(v: &'a RawValue) -> Raw<'a> {
        Raw(v.get())
    }
}

/// A top-level member's value read once for what it is used as, instead of checked as a
/// `RawValue` and read again: an envelope's `body` object (the tree the rules read) and a log
/// document's `request_body` string (decoded).
enum Pre<'a> {
    Tree(Json<'a>),
    Str(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Members<'a>, M::Error> {
                let mut list = Vec::new();
                while let Some((k, v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    list.push((k.0, Raw::from(v)));
                }
                Ok(Members { list, pre: Vec::new() })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<'a> Members<'a> {
    fn get(&self, key: &str) -> Option<Raw<'a>> {
        self.list.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
    fn has(&self, key: &str) -> bool {
        self.list.iter().any(|(k, _)| k == key)
    }
    /// What was read of the value `get(key)` returns.
    fn pre(&self, key: &str) -> Option<&Pre<'a>> {
        let index = self.list.iter().position(|(k, _)| k == key)?;
        self.pre.iter().find(|(i, _)| *i == index).map(|(_, p)| p)
    }
    fn take_pre(&mut self, key: &str) -> Option<Pre<'a>> {
        let index = self.list.iter().position(|(k, _)| k == key)?;
        let at = self.pre.iter().position(|(i, _)| *i == index)?;
        Some(self.pre.swap_remove(at).1)
    }
}

fn offset(text: &str, raw: Raw<'_>) -> usize {
    (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

fn members<'a>(raw: Raw<'a>) -> Option<Members<'a>> {
    let s = raw.get();
    if s.starts_with('{') {
        serde_json::from_str::<Members<'a>>(s).ok()
    } else {
        None
    }
}

fn items(raw: Raw<'_>) -> Option<Vec<Raw<'_>>> {
    if raw.get().starts_with('[') {
        serde_json::from_str::<Vec<&RawValue>>(raw.get()).ok().map(|l| l.into_iter().map(Raw::from).collect())
    } else {
        None
    }
}

/// A string value and its origin.
fn string(text: &str, raw: Raw<'_>) -> Option<(String, Origin)> {
    let s = raw.get();
    if !s.starts_with('"') {
        return None;
    }
    let value: String = match serde_json::from_str(s) {
        Ok(v) => v,
        // A lone surrogate escape (`\ud800` without its pair) is no character: serde_json refuses
        // the whole string. The string is still what was sent, so it is read with U+FFFD in its
        // place (the same length of escape, so every position stays), and the rules see a key
        // holding a character no key has instead of no key at all.
        Err(_) => serde_json::from_str(&lone_surrogates_replaced(s)?).ok()?,
    };
    Some((value, Origin::JsonString(offset(text, raw) + 1)))
}

/// `s` (a JSON string literal) with each `\uXXXX` escape of an unpaired surrogate written as
/// `\ufffd`; `None` when it holds none (then the string is invalid for another reason).
fn lone_surrogates_replaced(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let unit = |at: usize| -> Option<u16> {
        (b.get(at) == Some(&b'\\') && b.get(at + 1) == Some(&b'u'))
            .then(|| s.get(at + 2..at + 6).and_then(|h| u16::from_str_radix(h, 16).ok()))
            .flatten()
    };
    let mut out = String::with_capacity(s.len());
    let (mut i, mut copied, mut replaced) = (0, 0, false);
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        match unit(i) {
            // A pair is a character: kept as written.
            Some(0xD800..=0xDBFF) if unit(i + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) => i += 12,
            Some(0xD800..=0xDFFF) => {
                out.push_str(s.get(copied..i)?);
                out.push_str("\\ufffd");
                i += 6;
                copied = i;
                replaced = true;
            }
            _ => i += 2,
        }
    }
    out.push_str(s.get(copied..)?);
    replaced.then_some(out)
}

/// A body given as a JSON string (the text as sent) or as a JSON value (kept verbatim).
fn body(text: &str, raw: Raw<'_>) -> Option<(String, Origin)> {
    let s = raw.get();
    if s == "null" {
        return None;
    }
    string(text, raw).or_else(|| Some((s.to_string(), Origin::Verbatim(offset(text, raw)))))
}

/// Headers given as an object (`{"name": "value" | ["v1", "v2"]}`), an array of `[name, value]`
/// pairs, or an array of `{name, value}` objects (HAR).
fn headers(text: &str, raw: Raw<'_>) -> (Vec<Header>, Option<HeaderInsert>) {
    let mut out = Vec::new();
    let at = offset(text, raw) + 1;
    if let Some(m) = members(raw) {
        let insert = HeaderInsert { at, style: InsertStyle::JsonObject { comma_after: !m.list.is_empty() } };
        for (name, v) in m.list {
            if let Some((value, origin)) = string(text, v) {
                out.push(Header { name: name.into_owned(), value, origin });
            } else if let Some(list) = items(v) {
                for item in list {
                    if let Some((value, origin)) = string(text, item) {
                        out.push(Header { name: name.to_string(), value, origin });
                    }
                }
            }
        }
        return (out, Some(insert));
    }
    let Some(list) = items(raw) else { return (out, None) };
    let mut har = false;
    for item in &list {
        if let Some(m) = members(*item) {
            har = true;
            let name = m.get("name").and_then(|n| string(text, n)).map(|(n, _)| n);
            let value = m.get("value").and_then(|v| string(text, v));
            if let (Some(name), Some((value, origin))) = (name, value) {
                // HTTP/2 pseudo-headers (:authority, :path) are not request headers.
                if !name.starts_with(':') {
                    out.push(Header { name, value, origin });
                }
            }
        } else if let Some(pair) = items(*item) {
            if let [n, v] = pair.as_slice() {
                if let (Some((name, _)), Some((value, origin))) = (string(text, *n), string(text, *v)) {
                    out.push(Header { name, value, origin });
                }
            }
        }
    }
    let style = if har {
        InsertStyle::HarArray { comma_after: !list.is_empty() }
    } else {
        InsertStyle::JsonObject { comma_after: true }
    };
    let insert = har.then_some(HeaderInsert { at, style });
    (out, insert)
}

/// The value at a dotted path, looking up nested objects and dotted keys (`http.request.body`).
///
/// Not `logs::record`'s path trie: that one is built for one preset (plus `--field` overrides)
/// and skips every unmapped key, while a capture must be told apart (envelope, HAR, either log
/// preset) from one parse of an object whose shape is not known in advance, with every value
/// kept as a borrowed `RawValue` so findings and fixes point at its bytes in the file.
fn lookup<'a>(m: &Members<'a>, path: &str) -> Option<Raw<'a>> {
    if let Some(v) = m.get(path) {
        return Some(v);
    }
    let mut split = path.char_indices().filter(|(_, c)| *c == '.').map(|(i, _)| i);
    split.find_map(|i| {
        let head = &path[..i];
        let inner = members(m.get(head)?)?;
        lookup(&inner, &path[i + 1..])
    })
}

fn invalid(text: &str, e: &serde_json::Error) -> ParseProblem {
    ParseProblem {
        code: "FL901",
        message: format!("not valid JSON: {e}"),
        at: super::jsonspan::offset_of(text, e.line(), e.column()),
    }
}

/// The top level of a record read as [`Members`], with the values in [`Pre`] read as what they
/// are used as. Any failure (a key with escapes before such a value, a value that does not
/// read) fails the whole read, and the record is read again the plain way.
struct Top<'a> {
    /// The text being read (the keys borrowed from it tell where their values start).
    text: &'a str,
}

impl<'de> serde::de::DeserializeSeed<'de> for Top<'de> {
    type Value = Members<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Members<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'de> {
    type Value = Members<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Members<'de>, M::Error> {
        use serde::de::Error as _;
        let mut out = Members { list: Vec::with_capacity(8), pre: Vec::new() };
        let body_key = Field::Body.faultline_path();
        let bytes = self.text.as_bytes();
        // A value read into `Pre` whose end is not known yet: (its index, where it starts, the
        // byte it ends with). Found from where the next key starts (or the object ends), so the
        // value is not scanned again; by a scan when that key has escapes.
        let mut open: Option<(usize, usize, u8)> = None;
        // `next`: the next key's opening quote (`Some(None)`: a key with escapes, where it starts
        // is not known), or `None` at the end of the object.
        let close = |out: &mut Members<'de>, open: &mut Option<(usize, usize, u8)>, next: Option<Option<usize>>| {
            let Some((index, start, last)) = open.take() else { return Ok(()) };
            let end = match next {
                Some(Some(quote)) => before_separator(bytes, quote, b','),
                Some(None) => None,
                None => before_separator(bytes, bytes.len(), b'}'),
            };
            let end = end
                .filter(|end| *end > start && bytes.get(end - 1) == Some(&last))
                .or_else(|| super::jsonspan::skip_value(bytes, start))
                .ok_or_else(|| M::Error::custom("a value that does not end"))?;
            let raw = self.text.get(start..end).ok_or_else(|| M::Error::custom("a value off the text"))?;
            if let Some(member) = out.list.get_mut(index) {
                member.1 = Raw(raw);
            }
            Ok(())
        };
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let key_at = match &k {
                Cow::Borrowed(b) => (b.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize),
                Cow::Owned(_) => None,
            };
            // The opening quote of this key ends the value before it.
            close(&mut out, &mut open, Some(key_at.map(|at| at.saturating_sub(1))))?;
            let at = match &k {
                Cow::Borrowed(b) if *b == "body" || *b == body_key => value_start(self.text, b),
                _ => None,
            };
            let pre = match at.map(|i| (i, bytes.get(i))) {
                Some((i, Some(b'{'))) if k == "body" => Some((i, b'}', Pre::Tree(map.next_value::<Json<'de>>()?))),
                Some((i, Some(b'"'))) if k == body_key => Some((i, b'"', Pre::Str(map.next_value::<Key<'de>>()?.0))),
                _ => None,
            };
            match pre {
                Some((start, last, pre)) => {
                    open = Some((out.list.len(), start, last));
                    out.pre.push((out.list.len(), pre));
                    out.list.push((k, Raw("")));
                }
                None => {
                    let v = map.next_value::<&'de RawValue>()?;
                    out.list.push((k, Raw::from(v)));
                }
            }
        }
        close(&mut out, &mut open, None)?;
        Ok(out)
    }
}

/// The end of the value before a separator (`,` before a key, `}` closing the object) found by
/// reading back from `at` (the next key's opening quote, or the end of the text): whitespace,
/// the separator, whitespace. `None` when the bytes are not that.
fn before_separator(b: &[u8], at: usize, separator: u8) -> Option<usize> {
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = at.min(b.len());
    while i > 0 && ws(b[i - 1]) {
        i -= 1;
    }
    if i == 0 || b[i - 1] != separator {
        return None;
    }
    i -= 1;
    while i > 0 && ws(b[i - 1]) {
        i -= 1;
    }
    Some(i)
}

/// Where the value of the member whose key `key` (borrowed from `text`) names starts: after
/// the key's closing quote, the colon and any whitespace.
fn value_start(text: &str, key: &str) -> Option<usize> {
    let b = text.as_bytes();
    let start = (key.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let mut i = start.checked_add(key.len())?;
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    let ws = |b: &[u8], mut i: usize| {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    };
    i = ws(b, i);
    if b.get(i) != Some(&b':') {
        return None;
    }
    Some(ws(b, i + 1))
}

pub fn parse(text: &str) -> Parsed {
    parse_shared(text).0
}

/// [`parse`], and for a record that is one envelope with an object `body`, that body parsed
/// (`subject::parse_body` of the capture's body text gives the same value): the body is read
/// once, for the capture and for the rules.
pub fn parse_shared(text: &str) -> (Parsed, Option<Json<'_>>) {
    let trimmed = text.trim_start_matches('\u{feff}');
    // The common case (one object per record) in one pass.
    if trimmed.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(trimmed);
        let read =
            serde::de::DeserializeSeed::deserialize(Top { text: trimmed }, &mut de).and_then(|m| de.end().map(|()| m));
        if let Ok(mut m) = read {
            let at = text.len() - trimmed.trim_start().len();
            let captures = from_object_at(text, &m, at, trimmed.trim());
            let tree = match (captures.as_slice(), m.take_pre("body")) {
                ([c], Some(Pre::Tree(tree))) if c.format == Format::Envelope => Some(tree),
                _ => None,
            };
            return (Ok(captures), tree);
        }
        // Read the plain way: the same captures, or the error to report.
        if let Ok(m) = serde_json::from_str::<Members<'_>>(trimmed) {
            let at = text.len() - trimmed.trim_start().len();
            return (Ok(from_object_at(text, &m, at, trimmed.trim())), None);
        }
    }
    (parse_value(text, trimmed), None)
}

fn parse_value(text: &str, trimmed: &str) -> Parsed {
    let root: Raw<'_> = serde_json::from_str::<&RawValue>(trimmed).map(Raw::from).map_err(|e| {
        let mut p = invalid(trimmed, &e);
        p.at += text.len() - trimmed.len();
        p
    })?;
    if let Some(list) = items(root) {
        let docs: Vec<Members<'_>> = list.iter().filter_map(|i| members(*i)).collect();
        if !docs.is_empty() && docs.len() == list.len() && docs.iter().all(is_capture_object) {
            let mut out = Vec::new();
            for (doc, raw) in docs.iter().zip(&list) {
                out.extend(from_object(text, doc, *raw));
            }
            return Ok(out);
        }
        return Ok(vec![bare_body(text, root)]);
    }
    match members(root) {
        Some(m) => Ok(from_object(text, &m, root)),
        // A JSON string holding a raw HTTP request or a curl command (one NDJSON line of them).
        None => match string(text, root) {
            Some((inner, origin)) if !inner.trim_start().starts_with(['{', '[']) => {
                let nested = super::parse_record(&inner)?;
                Ok(nested.into_iter().map(|c| remap(c, text, &inner, &origin)).collect())
            }
            _ => Ok(vec![bare_body(text, root)]),
        },
    }
}

/// Rebases a capture parsed from a decoded JSON string onto the outer text.
fn remap(mut c: Capture, text: &str, _inner: &str, outer: &Origin) -> Capture {
    let map_origin = |o: &Origin| -> Origin {
        match o {
            Origin::Verbatim(s) => {
                let s = *s;
                Origin::Mapped(
                    (0.._inner.len().saturating_sub(s))
                        .map(|d| (outer.map(text, s + d), outer.map(text, s + d + 1)))
                        .collect(),
                )
            }
            Origin::Mapped(m) => {
                Origin::Mapped(m.iter().map(|(a, b)| (outer.map(text, *a), outer.map(text, *b))).collect())
            }
            Origin::JsonString(s) | Origin::Synthetic(s) => Origin::Synthetic(outer.map(text, *s)),
        }
    };
    for h in &mut c.headers {
        h.origin = map_origin(&h.origin);
    }
    c.body_origin = map_origin(&c.body_origin);
    c.extra_secrets = c.extra_secrets.iter().map(|r| outer.map_range(text, r)).collect();
    c.url_span = outer.map(text, c.url_span.start)..outer.map(text, c.url_span.end);
    c.headers_at = outer.map(text, c.headers_at);
    c.header_insert = None;
    c
}

fn is_capture_object(m: &Members<'_>) -> bool {
    let ecs_root = Field::Headers.ecs_path().split('.').next().unwrap_or_default();
    m.has("headers")
        || m.has(Field::Headers.faultline_path())
        || m.has(Field::Body.faultline_path())
        || m.has(ecs_root)
        || m.has(Field::Headers.ecs_path())
        || m.has("request")
}

fn bare_body(text: &str, raw: Raw<'_>) -> Capture {
    bare_body_at(offset(text, raw), raw.get())
}

fn bare_body_at(at: usize, raw: &str) -> Capture {
    Capture {
        format: Format::Body,
        method: None,
        url: None,
        url_span: at..at,
        headers: vec![],
        headers_known: false,
        headers_complete: false,
        headers_at: at,
        header_insert: None,
        body: Some(raw.to_string()),
        body_origin: Origin::Verbatim(at),
        extra_secrets: Vec::new(),
    }
}

fn from_object(text: &str, m: &Members<'_>, raw: Raw<'_>) -> Vec<Capture> {
    from_object_at(text, m, offset(text, raw), raw.get())
}

fn from_object_at(text: &str, m: &Members<'_>, at: usize, raw: &str) -> Vec<Capture> {
    // HAR: log.entries[].request
    if let Some(entries) = m.get("log").and_then(members).and_then(|l| l.get("entries")).and_then(items) {
        return entries
            .iter()
            .filter_map(|e| members(*e)?.get("request"))
            .filter_map(|r| har_request(text, r))
            .collect();
    }
    // Log document (faultline or ECS field names).
    // Log document: the field paths of both presets of the log schema (schema::Field).
    // `--field` overrides do not apply: a capture file is read whatever `--schema` says.
    let field = |f: Field| m.get(f.faultline_path()).or_else(|| lookup(m, f.ecs_path()));
    let log_headers = field(Field::Headers);
    let log_body = field(Field::Body);
    if log_headers.is_some() || log_body.is_some() {
        // ECS `url.full` (not a field of the log schema) beats `url.path` when both are logged.
        let url_raw = m
            .get(Field::Path.faultline_path())
            .or_else(|| lookup(m, "url.full"))
            .or_else(|| lookup(m, Field::Path.ecs_path()))
            .or_else(|| m.get("url"));
        let (hs, _) = log_headers.map(|h| headers(text, h)).unwrap_or_default();
        // `request_body` read as a string already: its text decoded once.
        let read = match (m.pre(Field::Body.faultline_path()), log_body) {
            (Some(Pre::Str(s)), Some(b)) => Some((s.to_string(), Origin::JsonString(offset(text, b) + 1))),
            _ => log_body.and_then(|b| body(text, b)),
        };
        let (body_text, body_origin) = read.map_or((None, Origin::Verbatim(at)), |(t, o)| (Some(t), o));
        let url = url_raw.and_then(|u| string(text, u));
        let url_span = url_raw.map_or(at..at, |u| offset(text, u)..offset(text, u) + u.get().len());
        let method = field(Field::Method).and_then(|v| string(text, v)).map(|(s, _)| s);
        return vec![Capture {
            format: Format::LogDocument,
            method,
            url: url.map(|(u, _)| u),
            url_span,
            headers_known: log_headers.is_some() && !hs.is_empty(),
            headers_complete: false,
            headers_at: log_headers.map_or(at, |h| offset(text, h)),
            header_insert: None,
            headers: hs,
            body: body_text,
            body_origin,
            extra_secrets: Vec::new(),
        }];
    }
    // Envelope.
    if m.has("headers") && (m.has("url") || m.has("method") || m.has("body")) {
        let body = m.get("body").and_then(|b| body(text, b));
        return vec![request_capture(text, Format::Envelope, m, at, body)];
    }
    vec![bare_body_at(at, raw)]
}

fn har_request(text: &str, raw: Raw<'_>) -> Option<Capture> {
    let m = members(raw)?;
    let at = offset(text, raw);
    let post = m.get("postData").and_then(members);
    let body = post.and_then(|p| p.get("text")).and_then(|t| string(text, t));
    Some(request_capture(text, Format::Har, &m, at, body))
}

/// A capture from an object with `method`, `url` and `headers` members (an envelope, a HAR
/// request) and the body already located.
fn request_capture(text: &str, format: Format, m: &Members<'_>, at: usize, body: Option<(String, Origin)>) -> Capture {
    let (hs, insert) = m.get("headers").map(|h| headers(text, h)).unwrap_or_default();
    let url_raw = m.get("url");
    let (body_text, body_origin) = body.map_or((None, Origin::Verbatim(at)), |(t, o)| (Some(t), o));
    Capture {
        format,
        method: m.get("method").and_then(|v| string(text, v)).map(|(s, _)| s),
        url: url_raw.and_then(|u| string(text, u)).map(|(u, _)| u),
        url_span: url_raw.map_or(at..at, |u| offset(text, u)..offset(text, u) + u.get().len()),
        headers_known: true,
        headers_complete: true,
        headers_at: m.get("headers").map_or(at, |h| offset(text, h)),
        header_insert: insert,
        headers: hs,
        body: body_text,
        body_origin,
        extra_secrets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_documents_use_the_log_schema_paths_of_both_presets() {
        for (headers, body, path, method) in [
            (
                Field::Headers.faultline_path(),
                Field::Body.faultline_path(),
                Field::Path.faultline_path(),
                Field::Method.faultline_path(),
            ),
            (Field::Headers.ecs_path(), Field::Body.ecs_path(), Field::Path.ecs_path(), Field::Method.ecs_path()),
        ] {
            let t = format!(
                r#"{{"{path}":"/v1/messages","{method}":"POST","{headers}":{{"x-api-key":"k"}},"{body}":"{{}}"}}"#
            );
            let c = parse(&t).unwrap_or_else(|e| panic!("{}", e.message));
            assert_eq!(c.len(), 1, "{t}");
            assert_eq!(c[0].format, Format::LogDocument, "{t}");
            assert_eq!((c[0].url.as_deref(), c[0].method.as_deref()), (Some("/v1/messages"), Some("POST")), "{t}");
            assert_eq!(c[0].headers.first().map(|h| h.value.as_str()), Some("k"), "{t}");
            assert_eq!(c[0].body.as_deref(), Some("{}"), "{t}");
        }
    }

    fn one(text: &str) -> Capture {
        match parse(text) {
            Ok(mut v) if v.len() == 1 => v.remove(0),
            Ok(v) => panic!("{} captures", v.len()),
            Err(e) => panic!("{}", e.message),
        }
    }

    #[test]
    fn envelope_with_object_body_and_string_body() {
        let t = r#"{"method":"POST","url":"https://api.anthropic.com/v1/messages","headers":{"x-api-key":"sk-ant-x\n"},"body":{"model":"m"}}"#;
        let c = one(t);
        assert_eq!(c.format, Format::Envelope);
        assert_eq!(c.headers[0].value, "sk-ant-x\n");
        let at = c.headers[0].origin.map(t, 8);
        assert_eq!(&t[at..at + 2], "\\n");
        assert_eq!(c.body.as_deref(), Some(r#"{"model":"m"}"#));
        let t2 = r#"{"url":"/v1/messages","headers":[["X-Api-Key","k"]],"body":"{\"model\":\"m\"}"}"#;
        let c = one(t2);
        assert_eq!(c.body.as_deref(), Some(r#"{"model":"m"}"#));
        assert_eq!(c.headers[0].name, "X-Api-Key");
    }

    #[test]
    fn log_documents_faultline_and_ecs() {
        let c = one(r#"{"path":"/v1/messages","request_header":{"authorization":"bearer k"},"request_body":"{}"}"#);
        assert_eq!(c.format, Format::LogDocument);
        assert!(!c.headers_complete);
        let c = one(
            r#"{"url":{"path":"/v1/messages"},"http":{"request":{"headers":{"x-api-key":"k"},"body":{"content":"{}"}}}}"#,
        );
        assert_eq!(c.url.as_deref(), Some("/v1/messages"));
        assert_eq!(c.headers.len(), 1);
        let c = one(
            r#"{"url.path":"/v1/messages","http.request.headers":{"x-api-key":"k"},"http.request.body.content":"{}"}"#,
        );
        assert_eq!(c.body.as_deref(), Some("{}"));
    }

    #[test]
    fn har_entries_each_become_a_capture() {
        let t = r#"{"log":{"entries":[{"request":{"method":"POST","url":"https://api.anthropic.com/v1/messages","headers":[{"name":":authority","value":"x"},{"name":"x-api-key","value":"k"}],"postData":{"mimeType":"application/json","text":"{}"}}},{"request":{"method":"GET","url":"https://api.anthropic.com/v1/models","headers":[]}}]}}"#;
        let v = parse(t).unwrap_or_default();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].headers.len(), 1);
        assert_eq!(v[0].format, Format::Har);
    }

    /// The captures as the plain read (`Members` of `RawValue`s) gives them.
    fn plain(text: &str) -> Vec<Capture> {
        let m = serde_json::from_str::<Members<'_>>(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        from_object_at(text, &m, 0, text.trim())
    }

    #[test]
    fn bodies_read_once_give_what_the_plain_read_gives() {
        for t in [
            r#"{"url":"/v1/messages","headers":{"x-api-key":"k"},"body":{"model":"m","messages":[]}}"#,
            r#"{"body" : {"model":"m"}  ,  "url":"/v1/messages","headers":{}}"#,
            r#"{"headers":{},"url":"/v1/messages","body":  {"model":"m"} }"#,
            r#"{"b\u006fdy":{"model":"x"},"body":{"model":"y"},"url":"/v1/messages","headers":{}}"#,
            r#"{"body":{"model":"x"},"b\u006fdy":{"model":"y"},"url":"/v1/messages","headers":{}}"#,
            r#"{"path":"/v1/messages","request_header":{"x-api-key":"k"},"request_body":"{\"model\":\"m\u00e9\"}"}"#,
            r#"{"request_body":"{}","request_body":"{\"model\":1}","request_header":{"x-api-key":"k"}}"#,
            r#"{"request_body":"{}" , "p\u0061th":"/v1/messages","request_header":{"x-api-key":"k"}}"#,
        ] {
            let (parsed, tree) = parse_shared(t);
            let shared = parsed.unwrap_or_else(|e| panic!("{}: {t}", e.message));
            let plain = plain(t);
            assert_eq!(shared.len(), plain.len(), "{t}");
            for (a, b) in shared.iter().zip(&plain) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{t}");
            }
            if let Some(tree) = tree {
                let body = plain[0].body.as_deref().unwrap_or_default();
                assert_eq!(Some(tree), serde_json::from_str::<Json<'_>>(body).ok(), "{t}");
            }
        }
        // The tree is handed on only for an envelope whose body is an object.
        assert!(parse_shared(r#"{"url":"/v1/messages","headers":{},"body":"{}"}"#).1.is_none());
        assert!(parse_shared(r#"{"request_header":{},"body":{"model":"m"}}"#).1.is_none());
        // A body that does not read fails the one-pass read; the plain read reports it.
        let lone = r#"{"request_body":"\ud800","request_header":{"x-api-key":"k"}}"#;
        assert_eq!(parse(lone).map(|c| c[0].body.clone()).ok().flatten().as_deref(), Some("\u{fffd}"));
    }

    #[test]
    fn invalid_json_points_at_the_error() {
        let e = parse("{\n  \"model\": \"x\",\n}").err().map(|e| e.at).unwrap_or_default();
        assert_eq!(e, 18);
    }
}
