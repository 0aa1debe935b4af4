//! One request-log record, read from a JSON object without allocating per field.
//!
//! A [`FieldMap`] is a compiled preset (`logs::preset`, described in `rules/presets.toml`): every
//! path it reads has a slot, and the paths form a trie walked while deserialising. Paths resolve
//! through nested objects (`{"http":{"request":{"id":…}}}`), literal dotted keys
//! (`{"http.request.id":…}`) and any mix of the two; `key[i]`/`key[-1]`/`key[]` step into arrays and
//! `@json` into JSON held in a string. Values of unmapped keys are skipped, mapped ones are kept as
//! borrowed raw JSON and converted only when read. A logical field reads its alternatives in
//! order (the first present and not a placeholder wins); the status, the hop and in-band failures
//! come from the preset's rules.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::preset::{self, Alt, Compiled, Hop, Override, Step, Unit, MAX_SLOTS};
use crate::error::{Error, Result};
use crate::knowledge::presets::Presets;

pub use crate::schema::{Field, FIELD_COUNT};

impl Field {
    /// A logical name or the `faultline` preset's name for it (`status` or `status_code`).
    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name || f.faultline_path() == name)
    }
}

/// The log schema asked for (`--schema`, `[diagnose] schema`): a preset by name (built-in or
/// from faultline.toml), `auto` to pick one from the records, or `list` to show them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SchemaChoice {
    #[default]
    Auto,
    List,
    Named(String),
}

impl SchemaChoice {
    pub fn parse(text: &str) -> SchemaChoice {
        match text {
            "auto" => SchemaChoice::Auto,
            "list" => SchemaChoice::List,
            name => SchemaChoice::Named(name.to_string()),
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            SchemaChoice::Auto => "auto",
            SchemaChoice::List => "list",
            SchemaChoice::Named(n) => n,
        }
    }
    /// The preset named, or `None` for auto (and list).
    pub fn named(&self) -> Option<&str> {
        match self {
            SchemaChoice::Named(n) => Some(n),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for SchemaChoice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<SchemaChoice, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim().is_empty() {
            return Err(serde::de::Error::custom("the schema name is empty"));
        }
        Ok(SchemaChoice::parse(text.trim()))
    }
}

impl serde::Serialize for SchemaChoice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `--schema`: any name (presets from faultline.toml are known only once the config is read);
/// the built-in names, `auto` and `list` are offered to completion and help.
#[derive(Debug, Clone, Copy, Default)]
pub struct SchemaParser;

impl clap::builder::TypedValueParser for SchemaParser {
    type Value = SchemaChoice;
    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<SchemaChoice, clap::Error> {
        let text = value.to_str().map(str::trim).unwrap_or_default();
        if text.is_empty() {
            let mut err = clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(a) = arg {
                err.insert(clap::error::ContextKind::InvalidArg, clap::error::ContextValue::String(a.to_string()));
            }
            err.insert(clap::error::ContextKind::InvalidValue, clap::error::ContextValue::String(String::new()));
            return Err(err);
        }
        Ok(SchemaChoice::parse(text))
    }
    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let builtin = crate::knowledge::presets::builtin();
        let names: Vec<clap::builder::PossibleValue> = std::iter::once(
            clap::builder::PossibleValue::new("auto")
                .help("pick the preset from the records (files) or _field_caps (clusters)"),
        )
        .chain(std::iter::once(clap::builder::PossibleValue::new("list").help("show every preset and exit")))
        .chain(
            builtin
                .entries
                .iter()
                .map(|e| clap::builder::PossibleValue::new(e.name.as_str()).help(e.def.description.as_str())),
        )
        .collect();
        Some(Box::new(names.into_iter()))
    }
}

/// A compiled preset and its path trie: what the reader walks.
#[derive(Debug, Clone)]
pub struct FieldMap {
    pub preset: Compiled,
    nodes: Vec<Node>,
    /// Per node, what the walk does with its value (one byte to look at, on the hot path):
    /// [`KIND_LEAF`] (keep it), [`KIND_PLAIN`] (walk into the object) or [`KIND_MIXED`].
    kinds: Vec<(u8, u8)>,
    /// Read every record with serde alone, never [`super::scan`]: the reference the fast
    /// path is compared with (tests).
    plain: bool,
}

pub(super) const KIND_LEAF: u8 = 0;
pub(super) const KIND_PLAIN: u8 = 1;
const KIND_MIXED: u8 = 2;

/// One node of the path trie. The NDJSON reader resolves dotted paths here, while
/// deserialising, instead of through `logs::path::lookup` over a `Value`: building a `Value`
/// per line is what the streaming reader avoids (it is the hot path). Same rule: a key may hold
/// nested objects or dotted names (`{"http.request": {"id": ..}}`).
#[derive(Debug, Clone, Default)]
struct Node {
    /// (signature, key, node): the signature (length, first and last byte) rules out most
    /// keys before their bytes are compared.
    children: Vec<(u32, Box<str>, usize)>,
    /// An open-addressed table of the children by signature (index + 1 into `children`,
    /// 0: empty; at least four times as many entries as children, a power of two): a key is
    /// found in one or two probes instead of a scan of every child.
    table: Vec<u32>,
    /// A bit per (first byte, second byte or `.`) of the children's keys: a key whose bit is
    /// clear leads nowhere, with or without dots (a dotted key starts with its first segment).
    starts: [u64; 16],
    leaf: Option<u8>,
    /// The node walked over the JSON held in this value's string (`@json`).
    json: Option<usize>,
    /// Nodes walked over array elements (`[i]`, `[-1]`, `[]`).
    elems: Vec<(Elem, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    Index(i64),
    Any,
}

impl Node {
    /// Only children: walked while streaming, without keeping the value.
    fn plain(&self) -> bool {
        self.leaf.is_none() && self.json.is_none() && self.elems.is_empty()
    }
    fn leaf_only(&self) -> bool {
        self.leaf.is_some() && self.children.is_empty() && self.json.is_none() && self.elems.is_empty()
    }
}

/// The bit of [`Node::starts`] a key (or a dotted key's first segment) sets: its first byte and
/// its second, where `.` stands for none (so `a`, `a.b` and the child `a` share one).
#[inline]
fn start_bit(b: &[u8]) -> (usize, u64) {
    let first = usize::from(b.first().copied().unwrap_or(0));
    let second = usize::from(b.get(1).copied().unwrap_or(b'.'));
    let h = (first.wrapping_mul(31).wrapping_add(second)) & 1023;
    (h >> 6, 1u64 << (h & 63))
}

/// Two keys of the same signature compared without a call (they are short: a word at a time).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in ca.by_ref().zip(cb.by_ref()) {
        if x != y {
            return false;
        }
    }
    ca.remainder().iter().zip(cb.remainder()).all(|(x, y)| x == y)
}

/// A key's length and first and last bytes, packed.
#[inline]
fn signature(b: &[u8]) -> u32 {
    let first = u32::from(b.first().copied().unwrap_or(0));
    let last = u32::from(b.last().copied().unwrap_or(0));
    ((b.len() as u32 & 0xffff) << 16) | (first << 8) | last
}

/// Where a signature's probe starts in a node's child table (before the mask).
#[inline]
fn table_slot(sig: u32) -> usize {
    (sig.wrapping_mul(0x9E37_79B9) >> 16) as usize
}

/// The child table of [`Node::table`] for `children`.
fn child_table(children: &[(u32, Box<str>, usize)]) -> Vec<u32> {
    let size = (children.len() * 4).next_power_of_two().max(8);
    let mut table = vec![0u32; size];
    for (i, (sig, _, _)) in children.iter().enumerate() {
        let mut at = table_slot(*sig) & (size - 1);
        while table.get(at).is_some_and(|e| *e != 0) {
            at = (at + 1) & (size - 1);
        }
        if let (Some(e), Ok(v)) = (table.get_mut(at), u32::try_from(i + 1)) {
            *e = v;
        }
    }
    table
}

/// Where a key leads.
#[derive(Clone, Copy)]
pub(super) enum Target {
    Skip,
    Node(usize),
    /// `_source` of an elasticdump line: the record itself.
    Source,
}

impl FieldMap {
    /// Compiles `name` from `presets` with `overrides`; an unknown name is a usage error that
    /// lists the known ones.
    pub fn named(name: &str, presets: &Presets, overrides: &[Override]) -> Result<FieldMap> {
        let entry = presets.get(name).ok_or_else(|| {
            Error::Usage(format!(
                "--schema {name}: no such preset (known: {}, or auto; `faultline diagnose --schema list` describes them)",
                presets.names().join(", ")
            ))
        })?;
        Ok(FieldMap::from_compiled(preset::compile(entry, presets, overrides)?))
    }

    /// A built-in preset (tests, benches).
    pub fn builtin(name: &str, overrides: &[Override]) -> Result<FieldMap> {
        FieldMap::named(name, crate::knowledge::presets::builtin(), overrides)
    }

    pub fn from_compiled(preset: Compiled) -> FieldMap {
        let mut map = FieldMap { nodes: vec![Node::default()], preset, kinds: Vec::new(), plain: false };
        let paths = map.preset.slot_paths.clone();
        for (slot, path) in paths.iter().enumerate() {
            map.insert(path, slot as u8);
        }
        map.kinds = map
            .nodes
            .iter()
            .map(|n| {
                let kind = if n.leaf_only() {
                    KIND_LEAF
                } else if n.plain() {
                    KIND_PLAIN
                } else {
                    KIND_MIXED
                };
                (kind, n.leaf.unwrap_or(preset::NO_SLOT))
            })
            .collect();
        map
    }

    /// What the walk does with a node's value: `(KIND_*, leaf slot)`.
    #[inline]
    pub(super) fn kind(&self, node: usize) -> Option<(u8, u8)> {
        self.kinds.get(node).copied()
    }

    /// This map reading with serde alone (the fast path off): the reference for tests.
    pub fn plain_serde(mut self) -> FieldMap {
        self.plain = true;
        self
    }

    fn child(&mut self, node: usize, segment: &str) -> usize {
        match self.find_child(node, segment.as_bytes()) {
            Some(child) => child,
            None => {
                let child = self.nodes.len();
                self.nodes.push(Node::default());
                if let Some(n) = self.nodes.get_mut(node) {
                    let sig = signature(segment.as_bytes());
                    n.children.push((sig, segment.into(), child));
                    n.table = child_table(&n.children);
                    let (word, bit) = start_bit(segment.as_bytes());
                    if let Some(w) = n.starts.get_mut(word) {
                        *w |= bit;
                    }
                }
                child
            }
        }
    }

    /// The child of `node` at `segment`: looked up in the node's table by signature, the bytes
    /// compared only where a signature matches.
    #[inline]
    fn find_child(&self, node: usize, segment: &[u8]) -> Option<usize> {
        let sig = signature(segment);
        let n = self.nodes.get(node)?;
        let mask = n.table.len().checked_sub(1)?;
        let mut at = table_slot(sig) & mask;
        // The table is never full: an empty entry ends every probe (the bound is belt and braces).
        for _ in 0..n.table.len() {
            let entry = *n.table.get(at)? as usize;
            let (s, k, c) = n.children.get(entry.checked_sub(1)?)?;
            if *s == sig && same_bytes(k.as_bytes(), segment) {
                return Some(*c);
            }
            at = (at + 1) & mask;
        }
        None
    }

    fn insert(&mut self, path: &str, slot: u8) {
        let Ok(steps) = preset::parse_path(path) else { return };
        let mut node = 0;
        for step in steps {
            node = match step {
                Step::Key(k) => self.child(node, &k),
                Step::Json => match self.nodes.get(node).and_then(|n| n.json) {
                    Some(j) => j,
                    None => {
                        let j = self.nodes.len();
                        self.nodes.push(Node::default());
                        if let Some(n) = self.nodes.get_mut(node) {
                            n.json = Some(j);
                        }
                        j
                    }
                },
                Step::Index(_) | Step::Any => {
                    let elem = if let Step::Index(i) = step { Elem::Index(i) } else { Elem::Any };
                    match self.nodes.get(node).and_then(|n| n.elems.iter().find(|(e, _)| *e == elem)) {
                        Some((_, c)) => *c,
                        None => {
                            let c = self.nodes.len();
                            self.nodes.push(Node::default());
                            if let Some(n) = self.nodes.get_mut(node) {
                                n.elems.push((elem, c));
                            }
                            c
                        }
                    }
                }
            };
        }
        if let Some(n) = self.nodes.get_mut(node) {
            n.leaf = Some(slot);
        }
    }

    /// The preset's name.
    pub fn name(&self) -> &str {
        &self.preset.name
    }

    /// Whether records of this preset fit in `n` slots.
    pub fn fits(&self, n: usize) -> bool {
        self.preset.slot_paths.len() <= n
    }

    /// The first path a field is read from (`""` when the preset has none).
    pub fn path(&self, field: Field) -> &str {
        self.preset.field(field).alts.first().map_or("", |a| a.path.as_str())
    }

    /// `faultline`, `ecs`, or `ecs (+2 overrides)`.
    pub fn describe(&self) -> String {
        let n = self.preset.overrides;
        if n == 0 {
            self.preset.name.clone()
        } else {
            format!("{} (+{n} override{})", self.preset.name, if n == 1 { "" } else { "s" })
        }
    }

    /// Where a key (its raw bytes: keys are not decoded as text, a value is when read) leads.
    pub(super) fn target(&self, node: usize, key: &[u8]) -> Target {
        if node == 0 && key == b"_source" {
            return Target::Source;
        }
        // Most keys lead nowhere: one bit says so, before any byte is compared or a dot sought.
        let (word, bit) = start_bit(key);
        if self.nodes.get(node).and_then(|n| n.starts.get(word)).map_or(true, |w| w & bit == 0) {
            return Target::Skip;
        }
        // Most keys hold no dot: one lookup, no splitting (a child's key never holds a dot, so a
        // key found whole is not a dotted one).
        if let Some(child) = self.find_child(node, key) {
            return Target::Node(child);
        }
        if !key.contains(&b'.') {
            return Target::Skip;
        }
        let mut current = node;
        for segment in key.split(|b| *b == b'.') {
            match self.find_child(current, segment) {
                Some(child) => current = child,
                None => return Target::Skip,
            }
        }
        Target::Node(current)
    }
}

/// `--field NAME=PATH[:UNIT]` / config `fields` entries.
pub fn parse_overrides<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Vec<Override>> {
    let mut out = Vec::new();
    for (name, spec) in entries {
        let field = Field::parse(name.trim()).ok_or_else(|| {
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            Error::Usage(format!(
                "--field {name}={spec}: unknown field `{name}` (expected one of: {})",
                names.join(", ")
            ))
        })?;
        let (path, unit) = preset::split_unit(spec.trim());
        if path.is_empty() || preset::parse_path(path).is_err() {
            return Err(Error::Usage(format!(
                "--field {name}={spec}: the path must be dot-separated key names (arrays: key[0], key[-1], key[]; \
                 JSON in a string: key.@json.inner), optionally followed by :UNIT"
            )));
        }
        out.push(Override { field, path: path.to_string(), unit: unit.map(str::to_string) });
    }
    Ok(out)
}

/// The field overrides of one run, for every backend: `[diagnose] fields` from the config, then
/// each `--field NAME=PATH[:UNIT]` flag (a flag replaces the config's path for the same field).
pub fn overrides_from_config_and_flags<'a>(
    config: impl IntoIterator<Item = (&'a str, &'a str)>,
    flags: &[String],
) -> Result<Vec<Override>> {
    let mut overrides =
        parse_overrides(config).map_err(|e| crate::error::Error::Config(format!("[diagnose] fields: {e}")))?;
    let mut pairs = Vec::new();
    for entry in flags {
        let (name, path) = entry.split_once('=').ok_or_else(|| {
            Error::Usage(format!("--field {entry}: expected NAME=PATH[:UNIT], e.g. --field status=http.status"))
        })?;
        pairs.push((name, path));
    }
    for o in parse_overrides(pairs)? {
        overrides.retain(|x| x.field != o.field);
        overrides.push(o);
    }
    Ok(overrides)
}

/// The slots of one record: raw JSON text per path, borrowed from the line (values found inside
/// a JSON string are owned). `N` slots: the reader picks the smallest array its preset fits
/// (initialising it is per-record work).
pub(super) struct Slots<'a, const N: usize> {
    raw: [Option<&'a str>; N],
    owned: Vec<(u8, String)>,
}

impl<'a, const N: usize> Slots<'a, N> {
    fn new() -> Slots<'a, N> {
        Slots { raw: [None; N], owned: Vec::new() }
    }
    pub(super) fn set(&mut self, slot: u8, value: &'a str, keep_first: bool) {
        if let Some(s) = self.raw.get_mut(slot as usize) {
            if !(keep_first && s.is_some()) {
                *s = Some(value);
            }
        }
    }
}

/// How a record's status was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub code: u16,
    /// Logged below 400, but an in-band rule says the response failed (a stream's error event).
    pub in_band: bool,
}

/// The raw values of one record's mapped paths, for any preset.
pub type RawRecord<'a> = Record<'a, MAX_SLOTS>;

/// Slots the small presets fit in (the hot path's arrays: initialising one is per-record work,
/// so the faultline and ecs presets' 23 slots get the smallest).
pub const TINY_SLOTS: usize = 24;
pub const SMALL_SLOTS: usize = 32;

/// The raw values of one record's mapped paths, in an array of `N` slots (`N` at least the
/// preset's slot count: [`FieldMap::fits`]).
pub struct Record<'a, const N: usize> {
    map: &'a FieldMap,
    slots: Slots<'a, N>,
    /// Per field: the alternative it is read from ([`preset::NO_SLOT`]: none), resolved once.
    chosen: [u8; FIELD_COUNT],
}

impl<'a, const N: usize> Record<'a, N> {
    /// Reads one JSON object. Errors are serde_json's (with column).
    pub fn parse(map: &'a FieldMap, line: &'a [u8]) -> std::result::Result<Record<'a, N>, serde_json::Error> {
        let mut slots = Slots::new();
        // The hand-written walk reads the lines it is sure of exactly as serde would; anything
        // else (errors, escapes in keys, deep nesting) is read again by serde, the reference.
        if map.plain || !super::scan::walk(map, line, &mut slots) {
            slots = Slots::new();
            let mut de = serde_json::Deserializer::from_slice(line);
            NodeSeed { map, node: 0, slots: &mut slots, keep_first: false }.deserialize(&mut de)?;
            de.end()?;
        }
        let mut rec = Record { map, slots, chosen: [preset::NO_SLOT; FIELD_COUNT] };
        for f in Field::ALL {
            let i = *f as usize;
            if let Some(c) = rec.choose(*f) {
                if let Some(slot) = rec.chosen.get_mut(i) {
                    *slot = c;
                }
            }
        }
        Ok(rec)
    }

    /// Which alternative of a field holds a value that is not a placeholder.
    fn choose(&self, field: Field) -> Option<u8> {
        if let Some(&slot) = self.map.preset.fast.get(field as usize).filter(|s| **s != preset::NO_SLOT) {
            return self.slot(slot).map(|_| 0);
        }
        let spec = self.map.preset.field(field);
        for (i, alt) in spec.alts.iter().enumerate() {
            let Some(raw) = self.slot(alt.slot) else { continue };
            if spec.unset_raw.iter().any(|u| u == raw) {
                continue;
            }
            return Some(i as u8);
        }
        None
    }

    /// A slot's raw JSON text (never `null`).
    pub fn slot(&self, slot: u8) -> Option<&str> {
        let borrowed = self.slots.raw.get(slot as usize).copied().flatten();
        let value = match borrowed {
            Some(v) => Some(v),
            None if self.slots.owned.is_empty() => None,
            None => self.slots.owned.iter().rev().find(|(s, _)| *s == slot).map(|(_, v)| v.as_str()),
        };
        value.filter(|v| *v != "null")
    }

    /// The alternative a field is read from: the first present whose value is not a placeholder.
    #[inline]
    fn alt(&self, field: Field) -> Option<(&str, &Alt)> {
        let i = *self.chosen.get(field as usize)?;
        let alt = self.map.preset.field(field).alts.get(i as usize)?;
        Some((self.slot(alt.slot)?, alt))
    }

    /// The raw JSON text of a field.
    #[inline]
    pub fn raw(&self, field: Field) -> Option<&str> {
        self.alt(field).map(|(r, _)| r)
    }

    pub fn has(&self, field: Field) -> bool {
        self.raw(field).is_some()
    }

    /// Whether the record carries the field (a value that is not a placeholder), from the
    /// resolution made while parsing.
    #[inline]
    pub fn present(&self, field: Field) -> bool {
        self.chosen.get(field as usize).is_some_and(|c| *c != preset::NO_SLOT)
    }

    pub fn str(&self, field: Field) -> Option<Cow<'_, str>> {
        raw_str_text(self.raw(field)?)
    }

    pub fn u64(&self, field: Field) -> Option<u64> {
        raw_f64(self.raw(field)?).filter(|v| *v >= 0.0 && v.is_finite()).map(|v| v as u64)
    }

    pub fn f64(&self, field: Field) -> Option<f64> {
        raw_f64(self.raw(field)?)
    }

    pub fn bool(&self, field: Field) -> Option<bool> {
        let raw = self.raw(field)?;
        let spec = self.map.preset.field(field);
        if !spec.map.is_empty() {
            let text = raw_str_text(raw)?;
            return spec.map.iter().find(|(k, _)| *k == text).map(|(_, v)| *v);
        }
        match raw {
            "true" => Some(true),
            "false" => Some(false),
            other => match raw_str_text(other)?.as_ref() {
                "true" | "True" | "TRUE" | "1" => Some(true),
                "false" | "False" | "FALSE" | "0" => Some(false),
                _ => None,
            },
        }
    }

    /// The status, by the preset's rules (then its in-band rules); the reason when none yields.
    pub fn status(&self) -> std::result::Result<Status, &'static str> {
        let preset = &self.map.preset;
        let raw = |s: u8| self.slot(s);
        let code = if let Some(path_slot) = preset.numeric_status_slot {
            // One numeric path: the reasons the reader always gave.
            let raw = self.slot(path_slot).ok_or("no status")?;
            let value = raw_f64(raw).ok_or("status is not a number")?;
            if (100.0..1000.0).contains(&value) && value.fract() == 0.0 {
                value as u16
            } else {
                return Err("status is not an HTTP status code");
            }
        } else {
            match preset::first_yield(&preset.status, &raw) {
                Some(found) => found.value,
                None => {
                    let any = preset.status.iter().any(|r| r.paths.iter().any(|(s, _)| self.slot(*s).is_some()));
                    return Err(if any { "no status rule matched" } else { "no status" });
                }
            }
        };
        if code < 400 && !preset.in_band.is_empty() {
            if let Some(found) = preset::first_yield(&preset.in_band, &raw) {
                if crate::diagnose::summary::is_failure(found.value) {
                    return Ok(Status { code: found.value, in_band: true });
                }
            }
        }
        Ok(Status { code, in_band: false })
    }

    /// The time, in the unit of the path it was read from: RFC 3339 (a zone-less time is UTC) or
    /// an epoch number (milliseconds unless the preset says seconds or nanoseconds).
    pub fn timestamp(&self) -> std::result::Result<DateTime<Utc>, &'static str> {
        let (raw, alt) = self.alt(Field::Timestamp).ok_or("no timestamp")?;
        match alt.unit {
            Unit::Seconds => parse_time_in(raw, 1000.0).ok_or("timestamp is neither RFC 3339 nor epoch seconds"),
            Unit::Nanos => parse_time_in(raw, 1e-6).ok_or("timestamp is neither RFC 3339 nor epoch nanoseconds"),
            Unit::Rfc3339 => {
                if raw.starts_with('"') {
                    parse_time(raw).ok_or("timestamp is not RFC 3339")
                } else {
                    Err("timestamp is not RFC 3339")
                }
            }
            _ => parse_time(raw).ok_or("timestamp is neither RFC 3339 nor epoch milliseconds"),
        }
    }

    /// Latency in milliseconds, converted from the unit of its path.
    pub fn latency_ms(&self) -> Option<f64> {
        let (raw, alt) = self.alt(Field::Latency)?;
        raw_f64(raw).map(|v| v * alt.unit.to_ms())
    }

    /// The request's size in bytes: logged as a number, or the length of a logged JSON value
    /// (unit `json_length`).
    pub fn payload_bytes(&self) -> Option<u64> {
        let (raw, alt) = self.alt(Field::PayloadBytes)?;
        if alt.unit == Unit::JsonLength {
            return Some(raw.len() as u64);
        }
        raw_f64(raw).filter(|v| *v >= 0.0).map(|v| v as u64)
    }

    /// Who answered, by the preset's hop rules, with the text that said so (a flag, a class).
    pub fn hop(&self) -> Option<(Hop, Cow<'_, str>)> {
        if self.map.preset.hop.is_empty() {
            return None;
        }
        preset::first_yield(&self.map.preset.hop, &|s| self.slot(s)).map(|f| (f.value, f.text))
    }

    /// Who answered and, when it was the network, the error: a logged `network_error` makes it
    /// the network's whatever the hop rules say; else the hop rules, with the text they matched.
    pub fn who_answered(&self) -> (Option<Hop>, Option<Cow<'_, str>>) {
        if let Some(n) = self.str(Field::NetworkError).filter(|n| !n.is_empty()) {
            return (Some(Hop::Network), Some(n));
        }
        match self.hop() {
            Some((Hop::Network, text)) => (Some(Hop::Network), Some(text)),
            Some((h, _)) => (Some(h), None),
            None => (None, None),
        }
    }

    /// Headers as (lowercase name, value) pairs, from an object (values may be arrays) or from
    /// one string of `Name: value` lines (or a JSON object inside a string).
    pub fn headers(&self) -> Vec<(String, String)> {
        let Some(raw) = self.raw(Field::Headers) else { return Vec::new() };
        headers_from_raw(raw)
    }

    /// The body text as sent (a string field), or the JSON text when logged as an object.
    pub fn body(&self) -> Option<String> {
        let raw = self.raw(Field::Body)?;
        if raw.starts_with('"') {
            raw_str_text(raw).map(Cow::into_owned)
        } else {
            Some(raw.to_string())
        }
    }
}

/// An epoch number (or digit string) in a unit of `ms_per_unit` milliseconds, else RFC 3339 text.
fn parse_time_in(raw: &str, ms_per_unit: f64) -> Option<DateTime<Utc>> {
    let inner = raw.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(raw).trim();
    if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let v = inner.parse::<f64>().ok()? * ms_per_unit;
        if !v.is_finite() {
            return None;
        }
        // Epoch seconds with decimals are milliseconds written in decimal (1763640000.889 is
        // 889 ms, not 888.9998): rounded, as a cluster's epoch_second parser reads them. Finer
        // units are cut to the millisecond, as epoch_millis is.
        let ms = if ms_per_unit > 1.0 { v.round() } else { v.floor() };
        return Utc.timestamp_millis_opt(ms as i64).single();
    }
    raw.starts_with('"').then(|| parse_time(raw)).flatten()
}

/// A JSON string's content (borrowed when it has no escapes); numbers and booleans as their text;
/// `None` for objects, arrays and null.
pub fn raw_text(text: &str) -> Option<Cow<'_, str>> {
    raw_str_text(text)
}

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

fn raw_f64(text: &str) -> Option<f64> {
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

struct NodeSeed<'m, 's, 'a, const N: usize> {
    map: &'m FieldMap,
    node: usize,
    slots: &'s mut Slots<'a, N>,
    /// Inside `[]`: the first element that has a path wins.
    keep_first: bool,
}

impl<'de, 'm, 's, const N: usize> DeserializeSeed<'de> for NodeSeed<'m, 's, 'de, N> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// The value at a node that is more than a plain object step (a leaf with children, `@json`,
/// array steps): kept raw, then walked.
pub(super) fn visit_raw<'de, const N: usize>(
    map: &FieldMap,
    node: usize,
    text: &'de str,
    slots: &mut Slots<'de, N>,
    keep_first: bool,
) {
    let Some(n) = map.nodes.get(node) else { return };
    if let Some(slot) = n.leaf {
        slots.set(slot, text, keep_first);
    }
    match text.as_bytes().first() {
        Some(b'{') if !n.children.is_empty() => {
            let mut de = serde_json::Deserializer::from_str(text);
            let _ = NodeSeed { map, node, slots: &mut *slots, keep_first }.deserialize(&mut de);
        }
        Some(b'"') => {
            let Some(j) = n.json else { return };
            // JSON held in a string (Datadog's `message`): what is found inside is owned.
            let Ok(inner_text) = serde_json::from_str::<String>(text) else { return };
            let Ok(inner) = serde_json::from_str::<&RawValue>(&inner_text) else { return };
            let mut tmp: Slots<'_, N> = Slots::new();
            visit_raw(map, j, inner.get(), &mut tmp, false);
            for (i, v) in tmp.raw.iter().enumerate() {
                if let Some(v) = v {
                    let taken = keep_first && slots.raw.get(i).is_some_and(Option::is_some);
                    if !taken {
                        slots.owned.push((i as u8, (*v).to_string()));
                    }
                }
            }
            slots.owned.extend(tmp.owned);
        }
        Some(b'[') if !n.elems.is_empty() => {
            let Ok(items) = serde_json::from_str::<Vec<&'de RawValue>>(text) else { return };
            for (elem, child) in &n.elems {
                match *elem {
                    Elem::Index(i) => {
                        let at = if i < 0 { items.len() as i64 + i } else { i };
                        if let Some(item) = usize::try_from(at).ok().and_then(|at| items.get(at)) {
                            visit_raw(map, *child, item.get(), slots, keep_first);
                        }
                    }
                    Elem::Any => {
                        for item in &items {
                            visit_raw(map, *child, item.get(), slots, true);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

impl<'de, 'm, 's, const N: usize> Visitor<'de> for NodeSeed<'m, 's, 'de, N> {
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
                Target::Node(node) => match self.map.kinds.get(node).copied() {
                    Some((KIND_LEAF, slot)) => {
                        let raw: &'de RawValue = access.next_value()?;
                        self.slots.set(slot, raw.get(), self.keep_first);
                    }
                    Some((KIND_PLAIN, _)) => {
                        access.next_value_seed(NodeSeed {
                            map: self.map,
                            node,
                            slots: &mut *self.slots,
                            keep_first: self.keep_first,
                        })?;
                    }
                    Some(_) => {
                        let raw: &'de RawValue = access.next_value()?;
                        visit_raw(self.map, node, raw.get(), self.slots, self.keep_first);
                    }
                    None => {
                        access.next_value::<IgnoredAny>()?;
                    }
                },
                Target::Source => {
                    access.next_value_seed(NodeSeed {
                        map: self.map,
                        node: 0,
                        slots: &mut *self.slots,
                        keep_first: self.keep_first,
                    })?;
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
        // As bytes: serde_json then skips validating every key as UTF-8 (a hot path cost);
        // the values read are validated when converted.
        d.deserialize_bytes(self)
    }
}

impl<'de, 'm> Visitor<'de> for KeySeed<'m> {
    type Value = Target;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, key: &str) -> std::result::Result<Target, E> {
        Ok(self.map.target(self.node, key.as_bytes()))
    }
    fn visit_bytes<E>(self, key: &[u8]) -> std::result::Result<Target, E> {
        Ok(self.map.target(self.node, key))
    }
}

// ---------------------------------------------------------------------------------------------
// `--schema auto` over the first records

/// What the first records say about their preset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// The preset most records match.
    Preset(String),
    /// Records are JSON objects but match no preset: the closest one and the entries it lacked.
    NoMatch { closest: String, lacked: Vec<String>, objects: usize },
    /// No JSON object among them (garbage, empty): nothing to go by.
    Nothing,
}

/// Picks the preset whose fingerprint (`detect`) the first records match. Each record votes for
/// the matching preset with the most fingerprint entries (ties: the earlier preset); the preset
/// with the most votes wins (ties: the earlier preset).
pub fn detect_preset(lines: &[&[u8]], presets: &Presets) -> Detection {
    let maps: Vec<FieldMap> = presets
        .entries
        .iter()
        .filter_map(|e| preset::compile(e, presets, &[]).ok())
        .map(FieldMap::from_compiled)
        .collect();
    let mut votes = vec![0usize; maps.len()];
    // (preset, entries present) of the record closest to some preset.
    let mut closest: Option<(usize, usize, Vec<String>)> = None;
    let mut objects = 0;
    for line in lines {
        let mut best: Option<(usize, usize)> = None;
        let mut is_object = false;
        for (i, map) in maps.iter().enumerate() {
            let Ok(rec) = RawRecord::parse(map, line) else { continue };
            is_object = true;
            let present: Vec<bool> =
                map.preset.detect.iter().map(|alts| alts.iter().any(|s| rec.slot(*s).is_some())).collect();
            let n = present.iter().filter(|p| **p).count();
            if n == present.len() {
                if best.map_or(true, |(_, m)| n > m) {
                    best = Some((i, n));
                }
            } else if closest.as_ref().map_or(true, |(_, m, _)| n > *m) {
                let lacked =
                    map.preset.detect_text.iter().zip(&present).filter(|(_, p)| !**p).map(|(t, _)| t.clone()).collect();
                closest = Some((i, n, lacked));
            }
        }
        if is_object {
            objects += 1;
        }
        if let Some((i, _)) = best {
            if let Some(v) = votes.get_mut(i) {
                *v += 1;
            }
        }
    }
    let winner = votes.iter().enumerate().filter(|(_, v)| **v > 0).max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)));
    if let Some((i, _)) = winner {
        return Detection::Preset(maps.get(i).map(|m| m.preset.name.clone()).unwrap_or_default());
    }
    match closest {
        Some((i, _, lacked)) if objects > 0 => Detection::NoMatch {
            closest: maps.get(i).map(|m| m.preset.name.clone()).unwrap_or_default(),
            lacked,
            objects,
        },
        _ => Detection::Nothing,
    }
}

impl Detection {
    /// The input error of a file no preset matches.
    pub fn no_match_error(source: &str, closest: &str, lacked: &[String], objects: usize) -> Error {
        Error::Input(format!(
            "{source}: the first {objects} record(s) match no log preset; the closest is `{closest}`, which needs {} \
             (`faultline diagnose --schema list` shows every preset; pass --schema NAME, or --field NAME=PATH to map \
             fields by hand)",
            lacked.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(name: &str) -> FieldMap {
        FieldMap::builtin(name, &[]).unwrap_or_else(|e| panic!("{e}"))
    }

    fn rec<'a>(map: &'a FieldMap, line: &'a str) -> RawRecord<'a> {
        match RawRecord::parse(map, line.as_bytes()) {
            Ok(r) => r,
            Err(e) => panic!("{e}: {line}"),
        }
    }

    fn status(r: &RawRecord<'_>) -> std::result::Result<u16, &'static str> {
        r.status().map(|s| s.code)
    }

    #[test]
    fn the_faultline_and_ecs_presets_are_the_field_tables_capture_reads() {
        for f in Field::ALL {
            let (fl, ecs) = (map("faultline"), map("ecs"));
            let path = |m: &FieldMap| {
                if *f == Field::Status {
                    m.preset.status.first().and_then(|r| r.paths.first()).map(|(_, p)| p.clone()).unwrap_or_default()
                } else {
                    m.path(*f).to_string()
                }
            };
            assert_eq!(path(&fl), f.faultline_path(), "{}", f.name());
            assert_eq!(path(&ecs), f.ecs_path(), "{}", f.name());
        }
    }

    #[test]
    fn ecs_paths_resolve_nested_dotted_and_mixed() {
        let map = map("ecs");
        let nested = r#"{"@timestamp":"2025-01-02T03:04:05Z","http":{"response":{"status_code":503},"request":{"id":"r1"}},"event":{"duration":2000000},"extra":{"x":[1,2]}}"#;
        let r = rec(&map, nested);
        assert_eq!(status(&r), Ok(503));
        assert_eq!(r.str(Field::RequestId).as_deref(), Some("r1"));
        assert_eq!(r.latency_ms(), Some(2.0));
        let dotted = r#"{"@timestamp":1735787045000,"http.response.status_code":"429","http":{"request.id":"r2"}}"#;
        let r = rec(&map, dotted);
        assert_eq!(status(&r), Ok(429));
        assert_eq!(r.str(Field::RequestId).as_deref(), Some("r2"));
        assert_eq!(r.timestamp().map(|t| t.to_rfc3339()), Ok("2025-01-02T03:04:05+00:00".to_string()));
    }

    #[test]
    fn elasticdump_source_is_the_record() {
        let map = map("faultline");
        let r = rec(&map, r#"{"_index":"x","_source":{"status_code":200,"@timestamp":"2025-01-02T03:04:05.5Z"}}"#);
        assert_eq!(status(&r), Ok(200));
        assert!(r.timestamp().is_ok());
    }

    #[test]
    fn overrides_replace_a_path_and_take_a_unit() {
        let overrides = parse_overrides([("status", "http.status"), ("latency", "t.took:s")]).unwrap_or_default();
        let map = FieldMap::builtin("faultline", &overrides).unwrap_or_else(|e| panic!("{e}"));
        let r = rec(&map, r#"{"http":{"status":401},"status_code":200,"t":{"took":1.5},"latency_ms":3}"#);
        assert_eq!(status(&r), Ok(401));
        assert_eq!(r.latency_ms(), Some(1500.0));
        assert_eq!(map.describe(), "faultline (+2 overrides)");
        assert!(parse_overrides([("nope", "x")]).is_err());
        assert!(parse_overrides([("status", "a..b")]).is_err());
        // Legacy: a latency path ending in `duration` without a unit is nanoseconds.
        let legacy = parse_overrides([("latency", "x.duration")]).unwrap_or_default();
        let map = FieldMap::builtin("faultline", &legacy).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rec(&map, r#"{"x":{"duration":3000000}}"#).latency_ms(), Some(3.0));
        let bad = parse_overrides([("model", "m:ms")]).unwrap_or_default();
        assert!(FieldMap::builtin("faultline", &bad).is_err());
    }

    #[test]
    fn one_path_feeds_two_fields() {
        let overrides = parse_overrides([("forwarder_tag", "d"), ("error_message", "d")]).unwrap_or_default();
        let map = FieldMap::builtin("faultline", &overrides).unwrap_or_else(|e| panic!("{e}"));
        let r = rec(&map, r#"{"d":"no_healthy_upstream"}"#);
        assert_eq!(r.str(Field::ForwarderTag).as_deref(), Some("no_healthy_upstream"));
        assert_eq!(r.str(Field::ErrorMessage).as_deref(), Some("no_healthy_upstream"));
    }

    #[test]
    fn arrays_and_json_in_strings() {
        let overrides = parse_overrides([
            ("network_error", "tries[-1].state"),
            ("region", "tries[0].ip"),
            ("model", "tries[].model"),
            ("status", "message.@json.status"),
            ("error_message", "message.@json.error_information.error_message"),
        ])
        .unwrap_or_default();
        let map = FieldMap::builtin("faultline", &overrides).unwrap_or_else(|e| panic!("{e}"));
        let line = r#"{"tries":[{"ip":"10.0.0.1","state":"next"},{"ip":"10.0.0.2","model":"m2","state":"failed"},{"model":"m3"}],"message":"{\"status\":429,\"error_information\":{\"error_message\":\"Too many\"}}"}"#;
        let r = rec(&map, line);
        assert_eq!(r.str(Field::NetworkError), None, "the last try has no state");
        assert_eq!(r.str(Field::Region).as_deref(), Some("10.0.0.1"));
        assert_eq!(r.str(Field::Model).as_deref(), Some("m2"), "the first element that has it");
        assert_eq!(status(&r), Ok(429));
        assert_eq!(r.str(Field::ErrorMessage).as_deref(), Some("Too many"));
        // A message that is not JSON is simply not read.
        let r = rec(&map, r#"{"message":"plain text"}"#);
        assert_eq!(status(&r), Err("no status"));
    }

    #[test]
    fn placeholders_units_and_derived_status() {
        let envoy = map("envoy");
        let line = r#"{"start_time":"2025-08-30T16:51:37.894Z","response_code":"503","response_flags":"UH","response_code_details":"no_healthy_upstream","upstream_transport_failure_reason":"-","duration":"1526","bytes_received":"-"}"#;
        let r = rec(&envoy, line);
        assert_eq!(status(&r), Ok(503));
        assert_eq!(r.latency_ms(), Some(1526.0));
        assert_eq!(r.str(Field::NetworkError), None, "`-` is unset");
        assert_eq!(r.payload_bytes(), None);
        assert_eq!(r.hop().map(|h| h.0), Some(Hop::Gateway));
        let r = rec(&envoy, r#"{"start_time":"2025-08-30T16:51:37.894Z","response_code":0,"response_flags":"DC"}"#);
        assert_eq!(status(&r), Ok(499));

        let litellm = map("litellm");
        let ok = r#"{"startTime":1763640000.5,"response_time":2.25,"status":"success","error_information":{"error_code":"","error_class":"","llm_provider":""},"prompt_tokens":900,"messages":[{"role":"user","content":"hi"}]}"#;
        let r = rec(&litellm, ok);
        assert_eq!(status(&r), Ok(200));
        assert_eq!(r.timestamp().map(|t| t.timestamp_millis()), Ok(1_763_640_000_500));
        assert_eq!(r.latency_ms(), Some(2250.0));
        assert_eq!(r.hop().map(|h| h.0), Some(Hop::Provider));
        assert_eq!(r.str(Field::ErrorType), None, "`\"\"` is unset");
        assert_eq!(r.payload_bytes(), Some(32));
        let failed = r#"{"startTime":1763640001,"status":"failure","prompt_tokens":0,"error_information":{"error_code":"422","error_class":"BudgetExceededError","llm_provider":""}}"#;
        let r = rec(&litellm, failed);
        assert_eq!(status(&r), Ok(422));
        assert_eq!(r.u64(Field::PayloadTokens), None, "0 tokens on a failure is unknown");
        assert_eq!(r.hop().map(|h| h.0), Some(Hop::Gateway));
        let dropped = r#"{"startTime":1763640001,"status":"failure","error_information":{"error_code":"500","error_class":"APIConnectionError","llm_provider":"anthropic"}}"#;
        assert_eq!(
            rec(&litellm, dropped).hop().map(|(h, t)| (h, t.into_owned())),
            Some((Hop::Network, "APIConnectionError".into()))
        );
    }

    #[test]
    fn in_band_failures_count_under_their_error_type() {
        let map = map("faultline");
        let r = rec(&map, r#"{"status_code":200,"error_type":"overloaded_error","stream":true}"#);
        assert_eq!(r.status(), Ok(Status { code: 529, in_band: true }));
        let r = rec(&map, r#"{"status_code":200,"error_type":"rate_limit_error"}"#);
        assert_eq!(r.status(), Ok(Status { code: 200, in_band: false }));
        let r = rec(&map, r#"{"status_code":503,"error_type":"overloaded_error"}"#);
        assert_eq!(r.status(), Ok(Status { code: 503, in_band: false }));
    }

    #[test]
    fn wrong_types_are_reasons_not_panics() {
        let map = map("faultline");
        let r = rec(&map, r#"{"status_code":{"a":1},"@timestamp":[1]}"#);
        assert_eq!(status(&r), Err("status is not a number"));
        assert!(r.timestamp().is_err());
        let r = rec(&map, r#"{"status_code":99999,"@timestamp":"yesterday"}"#);
        assert_eq!(status(&r), Err("status is not an HTTP status code"));
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
        assert_eq!(parse_time_in("1735787045.25", 1000.0).map(|t| t.timestamp_millis()), Some(1_735_787_045_250));
        assert_eq!(parse_time_in("\"2025-01-02T03:04:05Z\"", 1000.0).map(|t| t.timestamp()), Some(1_735_787_045));
    }

    #[test]
    fn detects_each_preset_and_names_the_closest_when_none_matches() {
        let presets = crate::knowledge::presets::builtin();
        let d = |lines: &[&str]| {
            let bytes: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
            detect_preset(&bytes, presets)
        };
        let name = |n: &str| Detection::Preset(n.to_string());
        assert_eq!(
            d(&[r#"{"@timestamp":"2025-01-02T03:04:05Z","http":{"response":{"status_code":200}}}"#]),
            name("ecs")
        );
        assert_eq!(
            d(&[r#"{"@timestamp":"2025-01-02T03:04:05Z","status_code":200,"forwarder_tag":"x"}"#]),
            name("faultline")
        );
        assert_eq!(d(&[r#"{"startTime":1.5,"call_type":"acompletion","status":"success"}"#]), name("litellm"));
        assert_eq!(d(&[r#"{"start_time":"x","response_code":"200","response_flags":"-"}"#]), name("envoy"));
        assert_eq!(
            d(&[r#"{"start_time":"x","response_code":200,"response_flags":"-","genai_model_name":"m"}"#]),
            name("envoy-ai-gateway")
        );
        assert_eq!(
            d(&[r#"{"status_code":200,"provider":"anthropic","cached":false,"created_at":"x"}"#]),
            name("cloudflare")
        );
        assert_eq!(d(&[r#"{"schemaType":"ModelInvocationLog","modelId":"m"}"#]), name("bedrock"));
        assert_eq!(d(&[r#"{"started_at":1,"latencies":{"request":3},"response":{"status":200}}"#]), name("kong"));
        assert_eq!(d(&[r#"{"span_id":"a","attributes":{"gen_ai.request.model":"m"}}"#]), name("otel"));
        match d(&[r#"{"start_time":"x","response_code":"200"}"#]) {
            Detection::NoMatch { closest, lacked, objects } => {
                assert_eq!((closest.as_str(), objects), ("envoy", 1));
                assert_eq!(lacked, vec!["response_flags".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(d(&["not json", ""]), Detection::Nothing);
    }
}
