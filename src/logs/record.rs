//! One request-log record, read from a JSON object without allocating per field.
//!
//! A [`FieldMap`] turns the logical fields of DESIGN.md into paths (the `faultline` and `ecs`
//! presets, plus `--field NAME=PATH` overrides). Paths resolve through nested objects
//! (`{"http":{"request":{"id":…}}}`), literal dotted keys (`{"http.request.id":…}`) and any mix
//! of the two. Parsing walks the object once: values of unmapped keys are skipped, mapped ones are
//! kept as borrowed raw JSON and converted only when read.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Result};

pub use crate::schema::{Field, FIELD_COUNT};

impl Field {
    /// A logical name or the `faultline` preset's name for it (`status` or `status_code`).
    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name || f.faultline_path() == name)
    }
    fn index(self) -> usize {
        self as usize
    }
}

/// The log schema asked for (`--schema`, `[diagnose] schema`): a preset, or `auto` to pick the
/// one whose field names the records use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SchemaChoice {
    Faultline,
    Ecs,
    Auto,
}

/// A concrete preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Faultline,
    Ecs,
}

impl Preset {
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Faultline => "faultline",
            Preset::Ecs => "ecs",
        }
    }
}

/// Logical field -> path, compiled into a trie of path segments.
#[derive(Debug, Clone)]
pub struct FieldMap {
    pub preset: Preset,
    paths: Vec<String>,
    overrides: usize,
    nodes: Vec<Node>,
}

/// One node of the path trie. The NDJSON reader resolves dotted paths here, while
/// deserialising, instead of through `logs::path::lookup` over a `Value`: building a `Value`
/// per line is what the streaming reader avoids (it is the hot path). Same rule: a key may hold
/// nested objects or dotted names (`{"http.request": {"id": ..}}`).
#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<(Box<str>, usize)>,
    leaf: Option<Field>,
}

/// Where a key leads.
#[derive(Clone, Copy)]
enum Target {
    Skip,
    Leaf(Field),
    Node(usize),
    /// `_source` of an elasticdump line: the record itself.
    Source,
}

impl FieldMap {
    pub fn new(preset: Preset, overrides: &[(Field, String)]) -> FieldMap {
        let mut paths: Vec<String> = Field::ALL
            .iter()
            .map(|f| match preset {
                Preset::Faultline => f.faultline_path(),
                Preset::Ecs => f.ecs_path(),
            })
            .map(str::to_string)
            .collect();
        for (field, path) in overrides {
            if let Some(slot) = paths.get_mut(field.index()) {
                slot.clone_from(path);
            }
        }
        let mut map = FieldMap { preset, paths, overrides: overrides.len(), nodes: vec![Node::default()] };
        for (i, field) in Field::ALL.iter().enumerate() {
            let path = map.paths.get(i).cloned().unwrap_or_default();
            map.insert(&path, *field);
        }
        map
    }

    fn insert(&mut self, path: &str, field: Field) {
        let mut node = 0;
        for segment in path.split('.') {
            let existing = self.nodes.get(node).and_then(|n| n.children.iter().find(|(s, _)| &**s == segment));
            node = match existing {
                Some((_, child)) => *child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(Node::default());
                    if let Some(n) = self.nodes.get_mut(node) {
                        n.children.push((segment.into(), child));
                    }
                    child
                }
            };
        }
        if let Some(n) = self.nodes.get_mut(node) {
            n.leaf = Some(field);
        }
    }

    /// The path a field is read from.
    pub fn path(&self, field: Field) -> &str {
        self.paths.get(field.index()).map_or("", String::as_str)
    }

    /// `faultline`, `ecs`, or `ecs (+2 overrides)`.
    pub fn describe(&self) -> String {
        if self.overrides == 0 {
            self.preset.as_str().to_string()
        } else {
            format!(
                "{} (+{} override{})",
                self.preset.as_str(),
                self.overrides,
                if self.overrides == 1 { "" } else { "s" }
            )
        }
    }

    fn target(&self, node: usize, key: &str) -> Target {
        if node == 0 && key == "_source" {
            return Target::Source;
        }
        let mut current = node;
        for segment in key.split('.') {
            let next = self.nodes.get(current).and_then(|n| n.children.iter().find(|(s, _)| &**s == segment));
            match next {
                Some((_, child)) => current = *child,
                None => return Target::Skip,
            }
        }
        match self.nodes.get(current) {
            Some(n) if !n.children.is_empty() => Target::Node(current),
            Some(Node { leaf: Some(f), .. }) => Target::Leaf(*f),
            _ => Target::Skip,
        }
    }

    fn leaf_of(&self, node: usize) -> Option<Field> {
        self.nodes.get(node).and_then(|n| n.leaf)
    }
}

/// Parses `--field NAME=PATH` / config `fields` entries.
pub fn parse_overrides<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Vec<(Field, String)>> {
    let mut out = Vec::new();
    for (name, path) in entries {
        let field = Field::parse(name.trim()).ok_or_else(|| {
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            Error::Usage(format!(
                "--field {name}={path}: unknown field `{name}` (expected one of: {})",
                names.join(", ")
            ))
        })?;
        let path = path.trim();
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err(Error::Usage(format!("--field {name}={path}: the path must be dot-separated key names")));
        }
        out.push((field, path.to_string()));
    }
    Ok(out)
}

/// The field overrides of one run, for every backend: `[diagnose] fields` from the config, then
/// each `--field NAME=PATH` flag (a flag replaces the config's path for the same field).
pub fn overrides_from_config_and_flags<'a>(
    config: impl IntoIterator<Item = (&'a str, &'a str)>,
    flags: &[String],
) -> Result<Vec<(Field, String)>> {
    let mut overrides =
        parse_overrides(config).map_err(|e| crate::error::Error::Config(format!("[diagnose] fields: {e}")))?;
    let mut pairs = Vec::new();
    for entry in flags {
        let (name, path) = entry.split_once('=').ok_or_else(|| {
            Error::Usage(format!("--field {entry}: expected NAME=PATH, e.g. --field status=http.status"))
        })?;
        pairs.push((name, path));
    }
    for (field, path) in parse_overrides(pairs)? {
        overrides.retain(|(f, _)| *f != field);
        overrides.push((field, path));
    }
    Ok(overrides)
}

/// The raw values of one record's mapped fields.
pub struct RawRecord<'a> {
    slots: [Option<&'a RawValue>; FIELD_COUNT],
}

impl<'a> RawRecord<'a> {
    /// Reads one JSON object. Errors are serde_json's (with column).
    pub fn parse(map: &FieldMap, line: &'a [u8]) -> std::result::Result<RawRecord<'a>, serde_json::Error> {
        let mut slots = [None; FIELD_COUNT];
        let mut de = serde_json::Deserializer::from_slice(line);
        NodeSeed { map, node: 0, slots: &mut slots }.deserialize(&mut de)?;
        de.end()?;
        Ok(RawRecord { slots })
    }

    pub fn raw(&self, field: Field) -> Option<&'a RawValue> {
        self.slots.get(field.index()).copied().flatten().filter(|r| r.get() != "null")
    }

    pub fn has(&self, field: Field) -> bool {
        self.raw(field).is_some()
    }

    pub fn str(&self, field: Field) -> Option<Cow<'a, str>> {
        raw_str(self.raw(field)?)
    }

    pub fn u64(&self, field: Field) -> Option<u64> {
        raw_f64(self.raw(field)?).filter(|v| *v >= 0.0 && v.is_finite()).map(|v| v as u64)
    }

    pub fn f64(&self, field: Field) -> Option<f64> {
        raw_f64(self.raw(field)?)
    }

    pub fn bool(&self, field: Field) -> Option<bool> {
        match self.raw(field)?.get() {
            "true" => Some(true),
            "false" => Some(false),
            other => match raw_str_text(other)?.as_ref() {
                "true" | "True" | "TRUE" | "1" => Some(true),
                "false" | "False" | "FALSE" | "0" => Some(false),
                _ => None,
            },
        }
    }

    /// The status: a number or a numeric string between 100 and 999.
    pub fn status(&self) -> std::result::Result<u16, &'static str> {
        let raw = self.raw(Field::Status).ok_or("no status")?;
        let value = raw_f64(raw).ok_or("status is not a number")?;
        if (100.0..1000.0).contains(&value) && value.fract() == 0.0 {
            Ok(value as u16)
        } else {
            Err("status is not an HTTP status code")
        }
    }

    /// The time: RFC 3339 (a zone-less time is UTC), or epoch milliseconds (a number or digits).
    pub fn timestamp(&self) -> std::result::Result<DateTime<Utc>, &'static str> {
        let raw = self.raw(Field::Timestamp).ok_or("no timestamp")?;
        parse_time(raw.get()).ok_or("timestamp is neither RFC 3339 nor epoch milliseconds")
    }

    /// Latency in milliseconds: the ECS `event.duration` (and any path ending in `duration`)
    /// is nanoseconds.
    pub fn latency_ms(&self, map: &FieldMap) -> Option<f64> {
        let v = self.f64(Field::Latency)?;
        let ns = map.path(Field::Latency).ends_with("duration");
        Some(if ns { v / 1_000_000.0 } else { v })
    }

    /// Headers as (lowercase name, value) pairs, from an object (values may be arrays) or from
    /// one string of `Name: value` lines (or a JSON object inside a string).
    pub fn headers(&self) -> Vec<(String, String)> {
        let Some(raw) = self.raw(Field::Headers) else { return Vec::new() };
        headers_from_raw(raw.get())
    }

    /// The body text as sent (a string field), or the JSON text when logged as an object.
    pub fn body(&self) -> Option<String> {
        let raw = self.raw(Field::Body)?;
        let text = raw.get();
        if text.starts_with('"') {
            raw_str(raw).map(Cow::into_owned)
        } else {
            Some(text.to_string())
        }
    }
}

fn raw_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    raw_str_text(raw.get())
}

/// A JSON string's content (borrowed when it has no escapes); numbers and booleans as their text.
fn raw_str_text(text: &str) -> Option<Cow<'_, str>> {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        if !inner.contains('\\') {
            return Some(Cow::Borrowed(inner));
        }
        return serde_json::from_str::<String>(text).ok().map(Cow::Owned);
    }
    match text.as_bytes().first() {
        Some(b'{') | Some(b'[') | Some(b'n') | None => None,
        _ => Some(Cow::Borrowed(text)),
    }
}

fn raw_f64(raw: &RawValue) -> Option<f64> {
    let text = raw.get();
    let inner = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    inner.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// RFC 3339 / ISO-8601 text or epoch milliseconds.
pub fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    let inner = raw.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
    let text = inner.unwrap_or(raw).trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let millis = text.parse::<f64>().ok()?;
        return Utc.timestamp_millis_opt(millis as i64).single();
    }
    inner?;
    if let Some(t) = fast_utc(text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    None
}

/// The common `2025-03-01T12:34:56(.fff…)Z` form without the general parser.
fn fast_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || *b.last()? != b'Z' || b.get(4) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let mut v = 0u32;
        for c in b.get(from..to)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let mut nanos = 0u32;
    let rest = b.get(19..b.len() - 1)?;
    if let Some((&b'.', digits)) = rest.split_first() {
        if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for (i, d) in digits.iter().enumerate() {
            nanos += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
        }
    } else if !rest.is_empty() {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(year as i32, month, day)?;
    Some(date.and_hms_nano_opt(hour, minute, second, nanos)?.and_utc())
}

/// Header pairs from the raw JSON of a headers field.
pub fn headers_from_raw(raw: &str) -> Vec<(String, String)> {
    if raw.starts_with('{') {
        let Ok(map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, value) in map {
            let name = name.to_ascii_lowercase();
            match value {
                serde_json::Value::String(s) => out.push((name, s)),
                serde_json::Value::Array(items) => {
                    for item in items {
                        if let serde_json::Value::String(s) = item {
                            out.push((name.clone(), s));
                        }
                    }
                }
                serde_json::Value::Null => {}
                other => out.push((name, other.to_string())),
            }
        }
        return out;
    }
    let Some(text) = raw_str_text(raw) else { return Vec::new() };
    if text.trim_start().starts_with('{') {
        return headers_from_raw(text.trim());
    }
    headers_from_text(&text)
}

/// `Name: value` lines. A line that does not start with a header name continues the previous
/// value (a key with an embedded line break stays visible to lint).
pub fn headers_from_text(text: &str) -> Vec<(String, String)> {
    let crlf = text.contains("\r\n");
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = if crlf { line.strip_suffix('\r').unwrap_or(line) } else { line };
        let name_end = line.find(':').filter(|&i| {
            i > 0
                && line.get(..i).is_some_and(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        });
        match (name_end, out.last_mut()) {
            (Some(i), _) => {
                let name = line.get(..i).unwrap_or_default().to_ascii_lowercase();
                let value = line.get(i + 1..).unwrap_or_default();
                out.push((name, value.strip_prefix(' ').unwrap_or(value).to_string()));
            }
            (None, Some(last)) => {
                if !line.is_empty() {
                    last.1.push('\n');
                    last.1.push_str(line);
                } else {
                    last.1.push('\n');
                }
            }
            (None, None) => {}
        }
    }
    // A trailing separator is not part of the last value.
    if let Some(last) = out.last_mut() {
        if last.1.ends_with('\n') && text.ends_with('\n') {
            last.1.pop();
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The one-pass walk

struct NodeSeed<'m, 's, 'a> {
    map: &'m FieldMap,
    node: usize,
    slots: &'s mut [Option<&'a RawValue>; FIELD_COUNT],
}

impl<'de, 'm, 's> DeserializeSeed<'de> for NodeSeed<'m, 's, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'm, 's> Visitor<'de> for NodeSeed<'m, 's, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> std::result::Result<(), A::Error> {
        while let Some(target) = access.next_key_seed(KeySeed { map: self.map, node: self.node })? {
            match target {
                Target::Skip => {
                    access.next_value::<IgnoredAny>()?;
                }
                Target::Leaf(field) => {
                    let raw: &'de RawValue = access.next_value()?;
                    if let Some(slot) = self.slots.get_mut(field.index()) {
                        *slot = Some(raw);
                    }
                }
                Target::Node(node) => {
                    // A node may also be a leaf (e.g. `--field headers=http` while `http.x` is mapped):
                    // keep the raw value and walk into it.
                    if let Some(field) = self.map.leaf_of(node) {
                        let raw: &'de RawValue = access.next_value()?;
                        if let Some(slot) = self.slots.get_mut(field.index()) {
                            *slot = Some(raw);
                        }
                        let mut de = serde_json::Deserializer::from_str(raw.get());
                        NodeSeed { map: self.map, node, slots: &mut *self.slots }
                            .deserialize(&mut de)
                            .map_err(serde::de::Error::custom)?;
                    } else {
                        access.next_value_seed(NodeSeed { map: self.map, node, slots: &mut *self.slots })?;
                    }
                }
                Target::Source => {
                    access.next_value_seed(NodeSeed { map: self.map, node: 0, slots: &mut *self.slots })?;
                }
            }
        }
        Ok(())
    }
    // A mapped prefix whose value is not an object: nothing to read below it.
    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

struct KeySeed<'m> {
    map: &'m FieldMap,
    node: usize,
}

impl<'de, 'm> DeserializeSeed<'de> for KeySeed<'m> {
    type Value = Target;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Target, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'm> Visitor<'de> for KeySeed<'m> {
    type Value = Target;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, key: &str) -> std::result::Result<Target, E> {
        Ok(self.map.target(self.node, key))
    }
}

/// Picks the preset whose fields appear in the first records: the one with more of its
/// status/timestamp/other paths present wins; ties go to `faultline`.
pub fn detect_preset(lines: &[&[u8]]) -> Preset {
    let faultline = FieldMap::new(Preset::Faultline, &[]);
    let ecs = FieldMap::new(Preset::Ecs, &[]);
    let score = |map: &FieldMap| -> usize {
        lines
            .iter()
            .filter_map(|l| RawRecord::parse(map, l).ok())
            .map(|r| Field::ALL.iter().filter(|f| **f != Field::Timestamp && r.has(**f)).count())
            .sum()
    };
    if score(&ecs) > score(&faultline) {
        Preset::Ecs
    } else {
        Preset::Faultline
    }
}

/// The preset named by a `SchemaChoice`, or `None` for auto.
pub fn preset_of(choice: SchemaChoice) -> Option<Preset> {
    match choice {
        SchemaChoice::Faultline => Some(Preset::Faultline),
        SchemaChoice::Ecs => Some(Preset::Ecs),
        SchemaChoice::Auto => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec<'a>(map: &FieldMap, line: &'a str) -> RawRecord<'a> {
        match RawRecord::parse(map, line.as_bytes()) {
            Ok(r) => r,
            Err(e) => panic!("{e}: {line}"),
        }
    }

    #[test]
    fn ecs_paths_resolve_nested_dotted_and_mixed() {
        let map = FieldMap::new(Preset::Ecs, &[]);
        let nested = r#"{"@timestamp":"2025-01-02T03:04:05Z","http":{"response":{"status_code":503},"request":{"id":"r1"}},"event":{"duration":2000000},"extra":{"x":[1,2]}}"#;
        let r = rec(&map, nested);
        assert_eq!(r.status(), Ok(503));
        assert_eq!(r.str(Field::RequestId).as_deref(), Some("r1"));
        assert_eq!(r.latency_ms(&map), Some(2.0));
        let dotted = r#"{"@timestamp":1735787045000,"http.response.status_code":"429","http":{"request.id":"r2"}}"#;
        let r = rec(&map, dotted);
        assert_eq!(r.status(), Ok(429));
        assert_eq!(r.str(Field::RequestId).as_deref(), Some("r2"));
        assert_eq!(r.timestamp().map(|t| t.to_rfc3339()), Ok("2025-01-02T03:04:05+00:00".to_string()));
    }

    #[test]
    fn elasticdump_source_is_the_record() {
        let map = FieldMap::new(Preset::Faultline, &[]);
        let r = rec(&map, r#"{"_index":"x","_source":{"status_code":200,"@timestamp":"2025-01-02T03:04:05.5Z"}}"#);
        assert_eq!(r.status(), Ok(200));
        assert!(r.timestamp().is_ok());
    }

    #[test]
    fn overrides_replace_a_path() {
        let overrides = parse_overrides([("status", "http.status")]).unwrap_or_default();
        let map = FieldMap::new(Preset::Faultline, &overrides);
        let r = rec(&map, r#"{"http":{"status":401},"status_code":200}"#);
        assert_eq!(r.status(), Ok(401));
        assert!(parse_overrides([("nope", "x")]).is_err());
        assert!(parse_overrides([("status", "a..b")]).is_err());
    }

    #[test]
    fn wrong_types_are_reasons_not_panics() {
        let map = FieldMap::new(Preset::Faultline, &[]);
        let r = rec(&map, r#"{"status_code":{"a":1},"@timestamp":[1]}"#);
        assert_eq!(r.status(), Err("status is not a number"));
        assert!(r.timestamp().is_err());
        let r = rec(&map, r#"{"status_code":99999,"@timestamp":"yesterday"}"#);
        assert_eq!(r.status(), Err("status is not an HTTP status code"));
        assert!(r.timestamp().is_err());
    }

    #[test]
    fn headers_from_object_and_string() {
        let h = headers_from_raw(r#"{"Authorization":"Bearer k\n","X-Multi":["a","b"]}"#);
        assert_eq!(h[0], ("authorization".to_string(), "Bearer k\n".to_string()));
        assert_eq!(h.len(), 3);
        let h = headers_from_raw(r#""authorization: bearer k\ncontent-type: application/json""#);
        assert_eq!(h[0], ("authorization".to_string(), "bearer k".to_string()));
        let h = headers_from_text("authorization: Bearer sk\n\nx-api-key: v");
        assert_eq!(h[0].1, "Bearer sk\n");
        let h = headers_from_raw(r#""{\"x-api-key\":\"abc \"}""#);
        assert_eq!(h[0], ("x-api-key".to_string(), "abc ".to_string()));
    }

    #[test]
    fn times_in_every_accepted_form() {
        for t in [
            "\"2025-01-02T03:04:05Z\"",
            "\"2025-01-02T03:04:05.123456+02:00\"",
            "\"2025-01-02 03:04:05\"",
            "1735787045000",
            "\"1735787045000\"",
        ] {
            assert!(parse_time(t).is_some(), "{t}");
        }
        for t in ["\"\"", "\"2025-13-02T03:04:05Z\"", "true", "\"soon\""] {
            assert!(parse_time(t).is_none(), "{t}");
        }
    }

    #[test]
    fn detects_ecs() {
        let ecs: &[u8] = br#"{"@timestamp":"2025-01-02T03:04:05Z","http":{"response":{"status_code":200}},"labels":{"forwarder_tag":"x"}}"#;
        let fl: &[u8] = br#"{"@timestamp":"2025-01-02T03:04:05Z","status_code":200,"forwarder_tag":"x"}"#;
        assert_eq!(detect_preset(&[ecs]), Preset::Ecs);
        assert_eq!(detect_preset(&[fl]), Preset::Faultline);
    }
}
