//! A preset compiled: every path it reads gets a slot; each logical field is a list of
//! alternative slots (the first present wins) with their units; the status, hop and in-band rules
//! read slots too. The path trie (`logs::record`) is built from the slot paths, so one path
//! feeding two fields (or a field and a rule) is read once and shared.
//!
//! The description format is documented in `rules/presets.toml`; this module validates it and
//! reports every mistake as `file:line:col: what is wrong`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::knowledge::presets::{PresetEntry, Presets, RuleDef};

use super::record::{Field, FIELD_COUNT};

/// Distinct paths one preset may read (fields, alternatives and rules together).
pub const MAX_SLOTS: usize = 64;

/// Who answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hop {
    /// The provider (Anthropic, Bedrock) answered: the status is its own.
    Provider,
    /// The gateway in between answered itself (no healthy upstream, its own rate limit or budget).
    Gateway,
    /// Nobody answered: the connection to the upstream failed or was reset.
    Network,
}

impl Hop {
    pub const ALL: [Hop; 3] = [Hop::Provider, Hop::Gateway, Hop::Network];
    pub fn as_str(self) -> &'static str {
        match self {
            Hop::Provider => "provider",
            Hop::Gateway => "gateway",
            Hop::Network => "network",
        }
    }
    pub fn parse(text: &str) -> Option<Hop> {
        match text {
            "provider" => Some(Hop::Provider),
            "gateway" => Some(Hop::Gateway),
            "network" => Some(Hop::Network),
            _ => None,
        }
    }
    /// Among several flags of one record, the most specific answer wins.
    fn rank(self) -> u8 {
        match self {
            Hop::Network => 3,
            Hop::Gateway => 2,
            Hop::Provider => 1,
        }
    }
}

/// The unit a path's value is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// No unit given: timestamps RFC 3339 or epoch milliseconds; latency milliseconds; sizes bytes.
    Default,
    Seconds,
    Millis,
    Micros,
    Nanos,
    Rfc3339,
    Bytes,
    /// The length of the value's JSON text.
    JsonLength,
}

impl Unit {
    pub fn parse(text: &str) -> Option<Unit> {
        Some(match text {
            "s" => Unit::Seconds,
            "ms" => Unit::Millis,
            "us" => Unit::Micros,
            "ns" => Unit::Nanos,
            "rfc3339" => Unit::Rfc3339,
            "bytes" => Unit::Bytes,
            "json_length" => Unit::JsonLength,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Default => "",
            Unit::Seconds => "s",
            Unit::Millis => "ms",
            Unit::Micros => "us",
            Unit::Nanos => "ns",
            Unit::Rfc3339 => "rfc3339",
            Unit::Bytes => "bytes",
            Unit::JsonLength => "json_length",
        }
    }
    /// Milliseconds per unit, for durations (Default is milliseconds).
    pub fn to_ms(self) -> f64 {
        match self {
            Unit::Seconds => 1000.0,
            Unit::Micros => 1e-3,
            Unit::Nanos => 1e-6,
            _ => 1.0,
        }
    }
    fn allowed(field: Field) -> &'static [&'static str] {
        match field {
            Field::Timestamp => &["s", "ms", "ns", "rfc3339"],
            Field::Latency => &["s", "ms", "us", "ns"],
            Field::PayloadBytes => &["bytes", "json_length"],
            _ => &[],
        }
    }
}

/// `path[:unit]`: the unit is the word after the last `:` (`:authority`, with nothing before
/// the colon, is a path). An unknown word is returned too, for the caller to reject.
pub fn split_unit(spec: &str) -> (&str, Option<&str>) {
    match spec.rsplit_once(':') {
        Some((path, unit))
            if !path.is_empty()
                && !unit.is_empty()
                && unit.len() <= 12
                && unit.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()) =>
        {
            (path, Some(unit))
        }
        _ => (spec, None),
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    /// `[i]`; negative counts from the end (`[-1]` is the last element).
    Index(i64),
    /// `[]`: the first element that has the rest of the path.
    Any,
    /// `@json`: the value is a string holding JSON.
    Json,
}

/// Parses `a.b[2].c.@json.d`.
pub fn parse_path(path: &str) -> std::result::Result<Vec<Step>, String> {
    if path.is_empty() {
        return Err("the path is empty".into());
    }
    let mut steps = Vec::new();
    for segment in path.split('.') {
        if segment.is_empty() {
            return Err(format!("`{path}`: empty key between dots"));
        }
        if segment == "@json" {
            if steps.is_empty() {
                return Err(format!("`{path}`: @json must follow a key"));
            }
            steps.push(Step::Json);
            continue;
        }
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (segment.get(..i).unwrap_or_default(), segment.get(i..).unwrap_or_default()),
            None => (segment, ""),
        };
        if key.is_empty() {
            return Err(format!("`{path}`: `{segment}` has no key before `[`"));
        }
        steps.push(Step::Key(key.to_string()));
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(|| format!("`{path}`: `[` without `]`"))?;
            let inner = rest.get(1..close).unwrap_or_default();
            if inner.is_empty() {
                steps.push(Step::Any);
            } else {
                let i: i64 = inner.parse().map_err(|_| format!("`{path}`: `[{inner}]` is not an array index"))?;
                steps.push(Step::Index(i));
            }
            rest = rest.get(close + 1..).unwrap_or_default();
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("`{path}`: unexpected `{rest}` after `]`"));
            }
        }
    }
    Ok(steps)
}

/// One alternative path of a field.
#[derive(Debug, Clone, PartialEq)]
pub struct Alt {
    pub slot: u8,
    /// The path as written, without its unit.
    pub path: String,
    pub unit: Unit,
}

/// A compiled logical field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSpec {
    pub alts: Vec<Alt>,
    /// Texts that mean "unset" (null always does).
    pub unset: Vec<String>,
    /// `stream` only: logged text -> streamed or not.
    pub map: Vec<(String, bool)>,
    /// `unset` as raw JSON (`"\"-\""`, and `0` as well as `"0"`): compared with a value's raw text,
    /// without decoding it (the reader's hot path).
    pub unset_raw: Vec<String>,
}

impl FieldSpec {
    /// Fills [`FieldSpec::unset_raw`] from `unset`.
    fn with_raw_unset(mut self) -> FieldSpec {
        self.unset_raw = self
            .unset
            .iter()
            .flat_map(|u| {
                let quoted = serde_json::to_string(u).unwrap_or_default();
                let bare = (!u.is_empty() && u.parse::<f64>().is_ok()).then(|| u.clone());
                std::iter::once(quoted).chain(bare)
            })
            .collect();
        self
    }
}

/// What a rule yields: a status or a hop.
pub trait RuleValue: Copy + PartialEq + std::fmt::Debug {
    /// From a rule's `value`/`map`/`absent` entry in the TOML.
    fn from_toml(v: &toml::Value) -> std::result::Result<Self, String>;
    /// From the logged text itself (a rule with no matcher).
    fn from_text(text: &str) -> Option<Self>;
    /// Whether `self` should replace `other` when several tokens of one value match.
    fn beats(self, other: Self) -> bool;
    fn what() -> &'static str;
    fn show(self) -> String;
}

impl RuleValue for u16 {
    fn from_toml(v: &toml::Value) -> std::result::Result<u16, String> {
        match v.as_integer() {
            Some(i) if (100..=999).contains(&i) => Ok(i as u16),
            _ => Err(format!("`{v}` is not an HTTP status (100-999)")),
        }
    }
    fn from_text(text: &str) -> Option<u16> {
        let v: f64 = text.trim().parse().ok()?;
        ((100.0..1000.0).contains(&v) && v.fract() == 0.0).then_some(v as u16)
    }
    fn beats(self, _: u16) -> bool {
        false
    }
    fn what() -> &'static str {
        "status"
    }
    fn show(self) -> String {
        self.to_string()
    }
}

impl RuleValue for Hop {
    fn from_toml(v: &toml::Value) -> std::result::Result<Hop, String> {
        v.as_str().and_then(Hop::parse).ok_or_else(|| format!("`{v}` is not a hop (provider, gateway or network)"))
    }
    fn from_text(text: &str) -> Option<Hop> {
        Hop::parse(text)
    }
    fn beats(self, other: Hop) -> bool {
        self.rank() > other.rank()
    }
    fn what() -> &'static str {
        "hop"
    }
    fn show(self) -> String {
        self.as_str().to_string()
    }
}

/// How a rule turns the logged text into a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher<T> {
    /// The text itself (a status number, a hop name).
    Parse,
    Equals(String, T),
    Prefix(String, T),
    Contains(String, T),
    /// Status: the three digits after this text.
    After(String),
    /// Lookup (sorted by key); `split` cuts the value into tokens first.
    Table(Vec<(String, T)>, Option<String>),
    /// The path is present.
    Present(T),
    /// None of the paths is present.
    Absent(T),
}

/// A compiled rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule<T> {
    /// (slot, path) of each path the rule reads, in order: the first present is read.
    pub paths: Vec<(u8, String)>,
    pub matcher: Matcher<T>,
    /// `file:line:col` of the rule, for messages.
    pub at: String,
}

/// What a rule found: the value and the text it matched (a flag, a class name).
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'t, T> {
    pub value: T,
    pub text: Cow<'t, str>,
}

impl<T: RuleValue> Rule<T> {
    /// Evaluates the rule over a record; `raw(slot)` gives the slot's raw JSON text.
    pub fn eval<'t>(&self, raw: &dyn Fn(u8) -> Option<&'t str>) -> Option<Found<'t, T>> {
        let first = self.paths.iter().find_map(|(slot, _)| raw(*slot).filter(|r| *r != "null"));
        if let Matcher::Absent(v) = &self.matcher {
            return first.is_none().then_some(Found { value: *v, text: Cow::Borrowed("") });
        }
        let raw_value = first?;
        if let Matcher::Present(v) = &self.matcher {
            let text = super::record::raw_text(raw_value).unwrap_or(Cow::Borrowed(raw_value));
            return Some(Found { value: *v, text });
        }
        let text = super::record::raw_text(raw_value)?;
        let value = match &self.matcher {
            Matcher::Parse => T::from_text(&text)?,
            Matcher::Equals(t, v) => (text.as_ref() == t.as_str()).then_some(*v)?,
            Matcher::Prefix(t, v) => text.starts_with(t.as_str()).then_some(*v)?,
            Matcher::Contains(t, v) => text.contains(t.as_str()).then_some(*v)?,
            Matcher::After(t) => {
                let at = text.find(t.as_str())? + t.len();
                let digits = text.get(at..at + 3)?;
                if !digits.bytes().all(|b| b.is_ascii_digit())
                    || text.as_bytes().get(at + 3).is_some_and(u8::is_ascii_digit)
                {
                    return None;
                }
                T::from_text(digits)?
            }
            Matcher::Table(entries, split) => {
                let lookup = |key: &str| {
                    entries
                        .binary_search_by(|(k, _)| k.as_str().cmp(key))
                        .ok()
                        .and_then(|i| entries.get(i))
                        .map(|(_, v)| *v)
                };
                match split {
                    None => lookup(text.as_ref())?,
                    Some(sep) => {
                        let mut best: Option<(T, &str)> = None;
                        for token in text.split(sep.as_str()).map(str::trim) {
                            if let Some(v) = lookup(token) {
                                // The better value; between equals, the first token in key order
                                // (as the cluster's filters decide it).
                                if best.map_or(true, |(b, bt)| v.beats(b) || (!b.beats(v) && token < bt)) {
                                    best = Some((v, token));
                                }
                            }
                        }
                        let (v, token) = best?;
                        return Some(Found { value: v, text: Cow::Owned(token.to_string()) });
                    }
                }
            }
            Matcher::Present(_) | Matcher::Absent(_) => return None,
        };
        Some(Found { value, text })
    }
}

/// The first rule of a list that yields.
pub fn first_yield<'t, T: RuleValue>(rules: &[Rule<T>], raw: &dyn Fn(u8) -> Option<&'t str>) -> Option<Found<'t, T>> {
    rules.iter().find_map(|r| r.eval(raw))
}

/// A `--field NAME=PATH[:UNIT]` (or `[diagnose] fields`) override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub field: Field,
    pub path: String,
    /// `None`: the legacy rule (a latency path ending in `duration` is nanoseconds, else the default).
    pub unit: Option<String>,
}

/// A compiled preset: fields, rules, fingerprint and the slot paths the trie is built from.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub name: String,
    pub description: String,
    pub fields: Vec<FieldSpec>,
    pub status: Vec<Rule<u16>>,
    pub hop: Vec<Rule<Hop>>,
    pub in_band: Vec<Rule<u16>>,
    /// Each entry: the slots of its alternatives.
    pub detect: Vec<Vec<u8>>,
    pub detect_text: Vec<String>,
    /// Path of each slot, as written.
    pub slot_paths: Vec<String>,
    pub overrides: usize,
    /// The slot of a status read as one number from one path (the reader's fast path).
    pub numeric_status_slot: Option<u8>,
    /// Per field: its slot when it has one path, no placeholder and no map (the reader's fast
    /// path), else [`NO_SLOT`].
    pub fast: Vec<u8>,
}

/// No fast slot.
pub const NO_SLOT: u8 = u8::MAX;

impl Compiled {
    pub fn field(&self, f: Field) -> &FieldSpec {
        static EMPTY: FieldSpec =
            FieldSpec { alts: Vec::new(), unset: Vec::new(), map: Vec::new(), unset_raw: Vec::new() };
        self.fields.get(f as usize).unwrap_or(&EMPTY)
    }

    /// The status is one number read from one path (in-band rules aside).
    pub fn numeric_status_path(&self) -> Option<&str> {
        match self.status.as_slice() {
            [Rule { paths, matcher: Matcher::Parse, .. }] if paths.len() == 1 => paths.first().map(|(_, p)| p.as_str()),
            _ => None,
        }
    }

    /// The status is one number read from one path, and no in-band rule changes it.
    pub fn plain_numeric_status(&self) -> Option<&str> {
        self.numeric_status_path().filter(|_| self.in_band.is_empty())
    }
}

struct Builder<'e> {
    entry: &'e PresetEntry,
    slots: Vec<String>,
}

impl Builder<'_> {
    fn slot(&mut self, path: &str, at: usize) -> Result<u8> {
        if let Some(i) = self.slots.iter().position(|p| p == path) {
            return Ok(i as u8);
        }
        parse_path(path).map_err(|e| self.err(at, &e))?;
        if self.slots.len() >= MAX_SLOTS {
            return Err(self.err(at, &format!("a preset may read at most {MAX_SLOTS} distinct paths")));
        }
        self.slots.push(path.to_string());
        Ok((self.slots.len() - 1) as u8)
    }

    fn err(&self, at: usize, what: &str) -> Error {
        Error::Config(format!("{}: preset `{}`: {what}", self.entry.at(at), self.entry.name))
    }

    fn rules<T: RuleValue>(
        &mut self,
        list: &[toml::Spanned<RuleDef>],
        presets: &Presets,
        kind: &str,
    ) -> Result<Vec<Rule<T>>> {
        let mut out = Vec::new();
        for spanned in list {
            let at = spanned.span().start;
            let def = spanned.get_ref();
            let mut paths = Vec::new();
            for p in def.all_paths() {
                paths.push((self.slot(p, at)?, p.to_string()));
            }
            if paths.is_empty() {
                return Err(self.err(at, &format!("a {kind} rule needs `path` or `paths`")));
            }
            let value = |v: &Option<toml::Value>, key: &str| -> Result<T> {
                match v {
                    Some(v) => T::from_toml(v).map_err(|e| self.err(at, &format!("{kind} rule `{key}`: {e}"))),
                    None => Err(self.err(at, &format!("a {kind} rule with `{key}` needs `value`"))),
                }
            };
            let matchers = [
                def.equals.is_some(),
                def.prefix.is_some(),
                def.contains.is_some(),
                def.after.is_some(),
                def.table.is_some(),
                def.map.is_some(),
                def.absent.is_some(),
            ];
            if matchers.iter().filter(|m| **m).count() > 1 {
                return Err(self.err(
                    at,
                    &format!("a {kind} rule takes one of equals, prefix, contains, after, table, map, absent"),
                ));
            }
            if def.split.is_some() && def.table.is_none() && def.map.is_none() {
                return Err(self.err(at, "`split` goes with `table` or `map`"));
            }
            let matcher = if let Some(t) = &def.equals {
                Matcher::Equals(t.clone(), value(&def.value, "equals")?)
            } else if let Some(t) = &def.prefix {
                Matcher::Prefix(t.clone(), value(&def.value, "prefix")?)
            } else if let Some(t) = &def.contains {
                Matcher::Contains(t.clone(), value(&def.value, "contains")?)
            } else if let Some(t) = &def.after {
                if T::what() != "status" {
                    return Err(self.err(at, "`after` reads a status: it belongs in status rules"));
                }
                Matcher::After(t.clone())
            } else if let Some(name) = &def.table {
                let mut entries: Vec<(String, T)> = Vec::new();
                if T::what() == "status" {
                    let table = presets.status_tables.get(name).ok_or_else(|| {
                        self.err(at, &format!("no [status_tables.{name}] (known: {})", keys(&presets.status_tables)))
                    })?;
                    for (k, v) in table {
                        let v = T::from_toml(&toml::Value::Integer(i64::from(*v)))
                            .map_err(|e| self.err(at, &format!("[status_tables.{name}] {k}: {e}")))?;
                        entries.push((k.clone(), v));
                    }
                } else {
                    let table = presets.hop_tables.get(name).ok_or_else(|| {
                        self.err(at, &format!("no [hop_tables.{name}] (known: {})", keys(&presets.hop_tables)))
                    })?;
                    for (k, v) in table {
                        let v = T::from_toml(&toml::Value::String(v.clone()))
                            .map_err(|e| self.err(at, &format!("[hop_tables.{name}] {k}: {e}")))?;
                        entries.push((k.clone(), v));
                    }
                }
                if def.value.is_some() {
                    return Err(self.err(at, "`value` does not go with `table`"));
                }
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Matcher::Table(entries, def.split.clone())
            } else if let Some(map) = &def.map {
                let mut entries = Vec::new();
                for (k, v) in map {
                    entries.push((k.clone(), T::from_toml(v).map_err(|e| self.err(at, &format!("map {k}: {e}")))?));
                }
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Matcher::Table(entries, def.split.clone())
            } else if let Some(v) = &def.absent {
                Matcher::Absent(T::from_toml(v).map_err(|e| self.err(at, &format!("absent: {e}")))?)
            } else if let Some(v) = &def.value {
                Matcher::Present(T::from_toml(v).map_err(|e| self.err(at, &format!("value: {e}")))?)
            } else {
                Matcher::Parse
            };
            out.push(Rule { paths, matcher, at: self.entry.at(at) });
        }
        Ok(out)
    }
}

fn keys<V>(m: &BTreeMap<String, V>) -> String {
    m.keys().cloned().collect::<Vec<_>>().join(", ")
}

/// Compiles a preset, with overrides applied (each replaces every path of its field).
pub fn compile(entry: &PresetEntry, presets: &Presets, overrides: &[Override]) -> Result<Compiled> {
    let def = &entry.def;
    let mut b = Builder { entry, slots: Vec::new() };
    let mut fields: Vec<FieldSpec> = vec![FieldSpec::default(); FIELD_COUNT];
    let mut status_from_fields: Vec<(String, usize)> = Vec::new();
    for (name, spanned) in &def.fields {
        let at = spanned.span().start;
        let fd = spanned.get_ref();
        if name == "status" {
            for p in &fd.paths {
                status_from_fields.push((p.clone(), at));
            }
            continue;
        }
        let field = Field::ALL.iter().copied().find(|f| f.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            b.err(at, &format!("unknown field `{name}` (expected one of: {})", names.join(", ")))
        })?;
        if fd.paths.is_empty() {
            return Err(b.err(at, &format!("field `{name}` has no path")));
        }
        let mut spec =
            FieldSpec { unset: fd.unset.clone().unwrap_or_else(|| def.unset.clone()), ..FieldSpec::default() };
        for p in &fd.paths {
            let (path, unit) = split_unit(p);
            let unit = match unit {
                None => Unit::Default,
                Some(u) => {
                    if !Unit::allowed(field).contains(&u) {
                        let allowed = Unit::allowed(field);
                        return Err(b.err(
                            at,
                            &if allowed.is_empty() {
                                format!("field `{name}` takes no unit (`{p}`)")
                            } else {
                                format!("field `{name}`: unit `{u}` (expected one of {})", allowed.join(", "))
                            },
                        ));
                    }
                    Unit::parse(u).unwrap_or(Unit::Default)
                }
            };
            let slot = b.slot(path, at)?;
            spec.alts.push(Alt { slot, path: path.to_string(), unit });
        }
        if let Some(map) = &fd.map {
            if field != Field::Stream {
                return Err(b.err(at, &format!("field `{name}`: `map` is for `stream` only")));
            }
            for (k, v) in map {
                let flag = match v.as_str() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(b.err(at, &format!("stream map {k} = `{other}`: expected \"true\" or \"false\"")))
                    }
                };
                spec.map.push((k.clone(), flag));
            }
        }
        if let Some(slot) = fields.get_mut(field as usize) {
            *slot = spec;
        }
    }
    let mut status: Vec<Rule<u16>> = b.rules(&def.status, presets, "status")?;
    if !status_from_fields.is_empty() {
        if !status.is_empty() {
            let at = status_from_fields.first().map_or(entry.offset, |(_, at)| *at);
            return Err(b.err(at, "give the status either as `fields.status` or as `status = [...]`, not both"));
        }
        for (p, at) in &status_from_fields {
            let slot = b.slot(p, *at)?;
            status.push(Rule { paths: vec![(slot, p.clone())], matcher: Matcher::Parse, at: entry.at(*at) });
        }
    }
    let hop: Vec<Rule<Hop>> = b.rules(&def.hop, presets, "hop")?;
    let in_band: Vec<Rule<u16>> = b.rules(&def.in_band, presets, "in_band")?;

    // Overrides replace every path of their field.
    for o in overrides {
        let at = entry.offset;
        let unit = match &o.unit {
            Some(u) => {
                if !Unit::allowed(o.field).contains(&u.as_str()) {
                    return Err(Error::Usage(format!(
                        "--field {}={}:{u}: field `{}` takes {}",
                        o.field.name(),
                        o.path,
                        o.field.name(),
                        match Unit::allowed(o.field) {
                            [] => "no unit".to_string(),
                            units => format!("one of {}", units.join(", ")),
                        }
                    )));
                }
                Unit::parse(u).unwrap_or(Unit::Default)
            }
            // Legacy: a latency path ending in `duration` (ECS event.duration) is nanoseconds.
            None if o.field == Field::Latency && o.path.ends_with("duration") => Unit::Nanos,
            None => Unit::Default,
        };
        parse_path(&o.path).map_err(|e| Error::Usage(format!("--field {}={}: {e}", o.field.name(), o.path)))?;
        let slot = b.slot(&o.path, at)?;
        if o.field == Field::Status {
            status = vec![Rule { paths: vec![(slot, o.path.clone())], matcher: Matcher::Parse, at: "--field".into() }];
            continue;
        }
        if let Some(spec) = fields.get_mut(o.field as usize) {
            let unset = if spec.alts.is_empty() { def.unset.clone() } else { spec.unset.clone() };
            *spec = FieldSpec { alts: vec![Alt { slot, path: o.path.clone(), unit }], unset, ..FieldSpec::default() };
        }
    }
    if status.is_empty() {
        return Err(b.err(entry.offset, "no status rule (`status = [{ path = \"...\" }]`)"));
    }
    if !in_band.is_empty() && !matches!(status.as_slice(), [Rule { matcher: Matcher::Parse, .. }]) {
        return Err(b.err(entry.offset, "`in_band` needs a status read from one numeric path"));
    }
    if fields.get(Field::Timestamp as usize).is_some_and(|f| f.alts.is_empty()) {
        return Err(b.err(entry.offset, "no `timestamp` field"));
    }
    let mut detect = Vec::new();
    let mut detect_text = Vec::new();
    for spanned in &def.detect {
        let at = spanned.span().start;
        let mut alts = Vec::new();
        for p in spanned.get_ref().split('|') {
            alts.push(b.slot(p.trim(), at)?);
        }
        detect.push(alts);
        detect_text.push(spanned.get_ref().clone());
    }
    if detect.is_empty() {
        return Err(b.err(entry.offset, "no `detect` entries: --schema auto could never pick it"));
    }
    let numeric_status_slot = match status.as_slice() {
        [Rule { paths, matcher: Matcher::Parse, .. }] if paths.len() == 1 => paths.first().map(|(s, _)| *s),
        _ => None,
    };
    let fields: Vec<FieldSpec> = fields.into_iter().map(FieldSpec::with_raw_unset).collect();
    let fast = fields
        .iter()
        .map(|f| match f.alts.as_slice() {
            [only] if f.unset.is_empty() && f.map.is_empty() => only.slot,
            _ => NO_SLOT,
        })
        .collect();
    Ok(Compiled {
        fast,
        numeric_status_slot,
        name: entry.name.clone(),
        description: def.description.clone(),
        fields,
        status,
        hop,
        in_band,
        detect,
        detect_text,
        slot_paths: b.slots,
        overrides: overrides.len(),
    })
}

/// Compiles every preset: the configuration check run at load (a broken preset fails the run
/// that loads it, with its position, even when another preset is used).
pub fn check_all(presets: &Presets) -> Result<()> {
    for entry in &presets.entries {
        compile(entry, presets, &[])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::presets::builtin;

    #[test]
    fn every_builtin_preset_compiles() {
        let p = builtin();
        assert_eq!(p.entries.len(), 9);
        check_all(p).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn paths_parse_arrays_and_json_steps() {
        assert_eq!(
            parse_path("tries[-1].code"),
            Ok(vec![Step::Key("tries".into()), Step::Index(-1), Step::Key("code".into())])
        );
        assert_eq!(parse_path("a[].b"), Ok(vec![Step::Key("a".into()), Step::Any, Step::Key("b".into())]));
        assert_eq!(
            parse_path("message.@json.status"),
            Ok(vec![Step::Key("message".into()), Step::Json, Step::Key("status".into())])
        );
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[x]").is_err());
        assert!(parse_path("@json.a").is_err());
        assert_eq!(split_unit("duration:ms"), ("duration", Some("ms")));
        assert_eq!(split_unit(":authority"), (":authority", None));
        assert_eq!(split_unit("a:b"), ("a", Some("b")), "an unknown unit is the caller's to reject");
        assert_eq!(split_unit("a:B"), ("a:B", None));
    }

    #[test]
    fn rules_yield_by_kind() {
        let p = builtin();
        let envoy = p.get("envoy").map(|e| compile(e, p, &[])).and_then(|r| r.ok()).unwrap_or_else(|| panic!("envoy"));
        let slot = |path: &str| envoy.slot_paths.iter().position(|s| s == path).map(|i| i as u8);
        let (flags, details) = (slot("response_flags"), slot("response_code_details"));
        let record = |f: &'static str, d: &'static str| {
            move |s: u8| {
                if Some(s) == flags {
                    Some(f)
                } else if Some(s) == details {
                    Some(d)
                } else {
                    None
                }
            }
        };
        let hop = |f, d| first_yield(&envoy.hop, &record(f, d)).map(|x| (x.value, x.text.into_owned()));
        assert_eq!(hop("\"-\"", "\"via_upstream\""), Some((Hop::Provider, "via_upstream".into())));
        assert_eq!(
            hop("\"UF,URX\"", "\"upstream_reset_before_response_started{connection_failure}\""),
            Some((Hop::Network, "UF".into()))
        );
        assert_eq!(hop("\"UH\"", "\"no_healthy_upstream\""), Some((Hop::Gateway, "UH".into())));
        assert_eq!(hop("\"UO\"", "\"x\""), Some((Hop::Gateway, "UO".into())));
        assert_eq!(
            hop("\"-\"", "\"upstream_reset_before_response_started{overflow}\"").map(|h| h.0),
            Some(Hop::Gateway)
        );
        assert_eq!(hop("\"DC\"", "\"downstream_remote_disconnect\""), None);

        let otel = p.get("otel").map(|e| compile(e, p, &[])).and_then(|r| r.ok()).unwrap_or_else(|| panic!("otel"));
        let msg = otel.slot_paths.iter().position(|s| s == "status.message").map(|i| i as u8);
        let ty = otel.slot_paths.iter().position(|s| s == "attributes.error.type").map(|i| i as u8);
        let status = |m: Option<&'static str>, t: Option<&'static str>| {
            first_yield(&otel.status, &|s| {
                if Some(s) == msg {
                    m
                } else if Some(s) == ty {
                    t
                } else {
                    None
                }
            })
            .map(|f| f.value)
        };
        assert_eq!(status(Some(r#""Error code: 429 - {'type': 'error'}""#), Some("\"RateLimitError\"")), Some(429));
        assert_eq!(status(None, Some("\"OverloadedError\"")), Some(529));
        assert_eq!(status(None, Some("\"SomethingNew\"")), Some(500));
        assert_eq!(status(None, None), Some(200));
        assert_eq!(status(Some("\"Error code: 4290\""), Some("\"APITimeoutError\"")), Some(408));
    }

    #[test]
    fn mistakes_are_reported_with_their_position() {
        let text = "[presets.x]\ndescription = \"d\"\ndetect = [\"a\"]\nstatus = [{ path = \"s\", table = \"nope\" }]\n[presets.x.fields]\ntimestamp = \"t\"\nlatency = \"l:sec\"\n";
        let check = |text: &str| {
            let file: crate::knowledge::presets::PresetsFile = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
            let ext = crate::knowledge::presets::PresetsExtension {
                presets: file.presets,
                origin: Some(crate::knowledge::presets::Origin { name: "f.toml".into(), text: text.into() }),
            };
            let presets = Presets::build("rules/presets.toml", crate::knowledge::embedded("presets.toml"), &ext)
                .unwrap_or_else(|e| panic!("{e}"));
            check_all(&presets).err().map(|e| e.to_string()).unwrap_or_default()
        };
        let err = check(&text.replace("l:sec", "l:ms"));
        assert!(err.starts_with("f.toml:4:11: preset `x`: no [status_tables.nope]"), "{err}");
        let err = check(&text.replace("table = \"nope\"", "table = \"bedrock\""));
        assert!(err.contains("f.toml:7:11:") && err.contains("unit `sec`"), "{err}");
        let err = check(&text.replace("table = \"nope\"", "table = \"bedrock\"").replace("latency", "latncy"));
        assert!(err.contains("unknown field `latncy`"), "{err}");
    }
}
