//! Field discovery over the index pattern (es.md §7): `_field_caps?fields=*` (or `_mapping`
//! when the server lacks it), then, for every logical field of the log schema (`crate::schema`), the path to
//! aggregate on. Dynamic mapping (what Filebeat leaves) maps strings as `text` with a `.keyword`
//! sub-field: we aggregate on the sub-field. What is missing, unaggregatable or of the wrong
//! type is said, not guessed around.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::knowledge::presets::Presets;
use crate::logs::preset::{self, Compiled, Hop, Matcher, Override, Rule, Unit};
use crate::logs::record::{Field, SchemaChoice};

/// What a field is used for, which decides the types it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// `@timestamp`: range filter and date_histogram.
    Time,
    /// Ranges, sums, maxima, percentiles.
    Number,
    /// Terms aggregation (keyword, ip, numbers and booleans work too).
    Term,
    /// `stream`: a boolean, or a keyword holding "true"/"false".
    Flag,
    /// Only read from `_source` in samples (bodies, headers, stack traces).
    Source,
}

/// One logical field of the log schema as the cluster uses it: the names are
/// `logs::record::Field`'s (the one schema table) and the paths the preset's; only what the
/// cluster needs is added here.
#[derive(Debug, Clone, Copy)]
pub struct LogicalField {
    pub field: Field,
    pub used_for: Use,
}

impl LogicalField {
    /// What `--field NAME=PATH` takes.
    pub fn name(&self) -> &'static str {
        self.field.name()
    }
}

/// What the cluster does with each field; every `Field` appears once (a test holds that).
pub const fn use_of(field: Field) -> Use {
    match field {
        Field::Timestamp => Use::Time,
        Field::Status
        | Field::Latency
        | Field::PayloadBytes
        | Field::PayloadTokens
        | Field::OutputTokens
        | Field::Concurrency => Use::Number,
        Field::Stream => Use::Flag,
        Field::Method | Field::Path | Field::StackTrace | Field::Headers | Field::Body => Use::Source,
        Field::RequestId
        | Field::Model
        | Field::KeyHash
        | Field::ClientIp
        | Field::Environment
        | Field::ForwarderTag
        | Field::Region
        | Field::ErrorType
        | Field::ErrorMessage
        | Field::NetworkError => Use::Term,
    }
}

/// Every field, in `Field::ALL` order.
pub static LOGICAL_FIELDS: std::sync::LazyLock<Vec<LogicalField>> = std::sync::LazyLock::new(|| {
    Field::ALL.iter().map(|&field| LogicalField { field, used_for: use_of(field) }).collect()
});

/// One field's capabilities for one type family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap {
    pub family: String,
    pub aggregatable: bool,
    /// The indices where this type applies; `None` = all of them.
    pub indices: Option<Vec<String>>,
}

/// Field name -> one `Cap` per type family (more than one = a mapping conflict across indices).
#[derive(Debug, Clone, Default)]
pub struct FieldCaps {
    pub indices: Vec<String>,
    pub fields: BTreeMap<String, Vec<Cap>>,
}

impl FieldCaps {
    /// From a `_field_caps` response.
    pub fn from_field_caps(body: &Value) -> FieldCaps {
        let indices = strings(body.get("indices"));
        let mut fields = BTreeMap::new();
        if let Some(map) = body.get("fields").and_then(Value::as_object) {
            for (name, by_type) in map {
                if name.starts_with('_') {
                    continue;
                }
                let caps: Vec<Cap> = by_type
                    .as_object()
                    .map(|types| {
                        types
                            .iter()
                            .map(|(family, cap)| Cap {
                                family: family.clone(),
                                aggregatable: cap.get("aggregatable").and_then(Value::as_bool).unwrap_or(false),
                                indices: cap.get("indices").filter(|v| v.is_array()).map(|v| strings(Some(v))),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                fields.insert(name.clone(), caps);
            }
        }
        FieldCaps { indices, fields }
    }

    /// From a `GET <pattern>/_mapping` response: the fallback for servers without `_field_caps`.
    pub fn from_mapping(body: &Value) -> FieldCaps {
        let mut caps = FieldCaps::default();
        let Some(by_index) = body.as_object() else { return caps };
        let mut per_field: BTreeMap<String, BTreeMap<String, (bool, Vec<String>)>> = BTreeMap::new();
        for (index, mapping) in by_index {
            caps.indices.push(index.clone());
            let mut flat = Vec::new();
            if let Some(props) = mapping.get("mappings").and_then(|m| m.get("properties")) {
                flatten(props, "", &mut flat);
            }
            for (name, family) in flat {
                let aggregatable = !matches!(family.as_str(), "text" | "match_only_text" | "object" | "nested");
                let entry = per_field.entry(name).or_default().entry(family).or_insert((aggregatable, Vec::new()));
                entry.1.push(index.clone());
            }
        }
        let all = caps.indices.len();
        for (name, families) in per_field {
            let list = families
                .into_iter()
                .map(|(family, (aggregatable, indices))| Cap {
                    family,
                    aggregatable,
                    indices: (indices.len() != all).then_some(indices),
                })
                .collect();
            caps.fields.insert(name, list);
        }
        caps
    }

    fn has_prefix(&self, path: &str) -> bool {
        let prefix = format!("{path}.");
        self.fields.contains_key(path)
            || self.fields.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix))
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

fn flatten(props: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let Some(map) = props.as_object() else { return };
    for (name, def) in map {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        let family = def.get("type").and_then(Value::as_str).unwrap_or("object").to_string();
        let family = match family.as_str() {
            "constant_keyword" | "wildcard" => "keyword".to_string(),
            _ => family,
        };
        out.push((path.clone(), family));
        if let Some(sub) = def.get("properties") {
            flatten(sub, &path, out);
        }
        if let Some(multi) = def.get("fields") {
            flatten(multi, &path, out);
        }
    }
}

/// Whether a mapping type is a number.
pub fn is_numeric_family(family: &str) -> bool {
    NUMERIC.contains(&family)
}

const NUMERIC: &[&str] =
    &["long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long"];

/// How one logical field will be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Aggregate on `path` (a `.keyword` sub-field when `via_keyword`).
    Ready {
        path: String,
        family: String,
        via_keyword: bool,
    },
    /// Present, read only from `_source` in samples.
    SourceOnly {
        path: String,
    },
    Missing {
        path: String,
    },
    /// Mapped as text with no keyword sub-field: cannot be aggregated.
    Unaggregatable {
        path: String,
        families: Vec<String>,
    },
    /// A type this use cannot take (e.g. a status code mapped as keyword), or a conflict.
    WrongType {
        path: String,
        families: Vec<String>,
        detail: String,
    },
}

impl Resolved {
    /// The path to aggregate or filter on, when usable.
    pub fn agg_path(&self) -> Option<&str> {
        match self {
            Resolved::Ready { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The path in `_source`, when present.
    pub fn source_path(&self) -> Option<&str> {
        match self {
            Resolved::Ready { path, via_keyword, .. } => {
                Some(if *via_keyword { path.strip_suffix(".keyword").unwrap_or(path) } else { path })
            }
            Resolved::SourceOnly { path } => Some(path),
            Resolved::Unaggregatable { path, .. } => Some(path),
            _ => None,
        }
    }

    pub fn is_boolean(&self) -> bool {
        matches!(self, Resolved::Ready { family, .. } if family == "boolean")
    }
}

/// One path a rule reads, as the cluster holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePath {
    /// The path in `_source` (for `exists`).
    pub source: String,
    /// The aggregatable path (a number, a keyword, or the `.keyword` sub-field of a text).
    pub agg: Option<String>,
    /// A text (analysed) path, for `match_phrase` on values longer than the keyword keeps.
    pub text: Option<String>,
    pub numeric: bool,
}

/// A preset rule with its paths resolved against the index (paths the index lacks are left
/// out; a rule left with none never yields on the cluster).
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRule<T> {
    pub paths: Vec<RulePath>,
    pub matcher: Matcher<T>,
}

/// The fields of this index pattern, resolved for one preset.
#[derive(Debug, Clone)]
pub struct FieldMap {
    /// The preset's name.
    pub preset: String,
    /// Why this preset (for `-v` and the report).
    pub preset_reason: String,
    /// `--field` overrides applied.
    pub overrides: usize,
    pub fields: BTreeMap<&'static str, Resolved>,
    /// The unit of the path each field is read from.
    pub units: BTreeMap<&'static str, Unit>,
    /// Placeholder values that mean unset, per field.
    pub unset: BTreeMap<&'static str, Vec<String>>,
    /// `stream`'s text -> streamed map (Bedrock's operation names).
    pub stream_map: Vec<(String, bool)>,
    pub status: Vec<ClusterRule<u16>>,
    pub hop: Vec<ClusterRule<Hop>>,
    pub in_band: Vec<ClusterRule<u16>>,
    /// The compiled preset.
    pub compiled: Compiled,
    /// The local reader of the same preset: samples are read from `_source` by it.
    pub reader: crate::logs::record::FieldMap,
    /// How each field is pushed down, for `--explain-queries`.
    pub pushdown: Vec<String>,
    /// Later alternatives of a field the index has too, in order (presence and the `stream`
    /// filters read "the first present" per document through them; aggregations use the first).
    pub alternatives: BTreeMap<&'static str, Vec<Resolved>>,
    /// Per path read only from `_source` (a long text), its aggregatable `.keyword` sub-field:
    /// placeholders are left out of the field's presence through it.
    pub keyword_of: BTreeMap<String, String>,
    /// Every field's placeholder values, whatever its mapping (`unset` holds those of
    /// aggregatable fields, for `--explain-queries`).
    pub placeholders: BTreeMap<&'static str, Vec<String>>,
}

impl FieldMap {
    pub fn get(&self, name: &str) -> Option<&Resolved> {
        self.fields.get(name)
    }

    pub fn agg(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Resolved::agg_path)
    }

    /// Notes for the report: what cannot be aggregated or has the wrong type, and (in one line)
    /// what is aggregated through `.keyword`. Missing fields are left to the report, which lists
    /// the fields no record carried.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut keyword = Vec::new();
        for (name, r) in &self.fields {
            match r {
                Resolved::Unaggregatable { path, families } => out.push(format!(
                    "field {name} ({path}) is mapped as {} without a keyword sub-field: it cannot be aggregated \
                     (map it as keyword)",
                    families.join("/")
                )),
                Resolved::WrongType { path, detail, .. } => out.push(format!("field {name} ({path}): {detail}")),
                Resolved::Ready { path, via_keyword: true, .. } => keyword.push(path.as_str()),
                _ => {}
            }
        }
        if !keyword.is_empty() {
            out.push(format!(
                "dynamic mapping made {} string field(s) text: aggregating on {}",
                keyword.len(),
                keyword.join(", ")
            ));
        }
        out
    }

    /// The status is one number read from one numeric field, and no in-band rule the index can
    /// evaluate changes it: queried as `terms`, as before presets had rules.
    pub fn plain_status(&self) -> bool {
        self.compiled.numeric_status_path().is_some() && self.in_band.iter().all(|r| r.paths.is_empty())
    }

    /// Placeholder values of a field.
    pub fn unset_of(&self, name: &str) -> &[String] {
        self.unset.get(name).map_or(&[], Vec::as_slice)
    }

    /// The field's alternatives the index has, the chosen one first.
    pub fn all_of(&self, name: &str) -> Vec<&Resolved> {
        self.get(name).into_iter().chain(self.alternatives.get(name).into_iter().flatten()).collect()
    }

    /// Placeholder values as query terms of the field's type: on a number only those that are
    /// numbers (`"-"` or `""` cannot be in a long field; a cluster refuses to compare with them).
    pub fn unset_terms(&self, name: &str) -> Vec<Value> {
        match self.get(name) {
            Some(r @ Resolved::Ready { .. }) => self.unset_terms_for(name, r),
            _ => self.typed_unset(name, "keyword", self.unset_of(name)),
        }
    }

    /// Placeholder values as terms of one of the field's alternatives (by its own mapping).
    pub fn unset_terms_for(&self, name: &str, r: &Resolved) -> Vec<Value> {
        let family = match r {
            Resolved::Ready { family, .. } => family.as_str(),
            _ => "keyword",
        };
        let all = self.placeholders.get(name).map_or(&[][..], Vec::as_slice);
        self.typed_unset(name, family, all)
    }

    /// Where a filter on one alternative's value goes: its aggregatable path, or the `.keyword`
    /// sub-field of a text read only from `_source`.
    pub fn filter_path<'a>(&'a self, r: &'a Resolved) -> Option<&'a str> {
        match r {
            Resolved::Ready { path, .. } => Some(path),
            Resolved::SourceOnly { path } => self.keyword_of.get(path).map(String::as_str),
            _ => None,
        }
    }

    fn typed_unset(&self, _name: &str, family: &str, unset: &[String]) -> Vec<Value> {
        // A date, an IP or a boolean cannot hold a placeholder: nothing to leave out.
        if matches!(family, "date" | "date_nanos" | "ip" | "boolean") {
            return Vec::new();
        }
        let numeric = is_numeric_family(family);
        unset
            .iter()
            .filter_map(|u| {
                if numeric {
                    u.parse::<f64>().ok().map(|v| if v.fract() == 0.0 { Value::from(v as i64) } else { Value::from(v) })
                } else {
                    Some(Value::from(u.clone()))
                }
            })
            .collect()
    }

    /// Milliseconds per unit of the latency field.
    pub fn latency_scale(&self) -> f64 {
        self.units.get("latency").copied().unwrap_or(Unit::Default).to_ms()
    }

    /// The fields without which there is no diagnosis: the time and the status.
    pub fn require_essentials(&self, pattern: &str) -> Result<()> {
        let derived = self.compiled.numeric_status_path().is_none();
        if derived {
            // A derived status: some rule must be readable.
            if self.status.iter().all(|r| r.paths.is_empty() && !matches!(r.matcher, Matcher::Absent(_))) {
                let paths: Vec<String> =
                    self.compiled.status.iter().flat_map(|r| r.paths.iter().map(|(_, p)| p.clone())).collect();
                return Err(Error::Input(format!(
                    "the indices matching {pattern:?} have none of the fields the {} preset reads the status from ({}):                      pass --schema or --field status=PATH",
                    self.preset,
                    paths.join(", ")
                )));
            }
        }
        for name in ["timestamp", "status"] {
            if name == "status" && derived {
                continue;
            }
            match self.get(name) {
                Some(Resolved::Ready { .. }) => {}
                Some(Resolved::Missing { path }) => {
                    return Err(Error::Input(format!(
                        "the indices matching {pattern:?} have no {path} field ({} preset): faultline needs the {name} \
                         of every request; pass --schema or --field {name}=PATH",
                        self.preset
                    )))
                }
                Some(other) => {
                    let (path, families) = match other {
                        Resolved::Unaggregatable { path, families } | Resolved::WrongType { path, families, .. } => {
                            (path.as_str(), families.join(", "))
                        }
                        _ => ("?", String::new()),
                    };
                    let wanted = if name == "timestamp" { "date" } else { "a number (long or integer)" };
                    return Err(Error::Input(format!(
                        "field {path} is mapped as {families} in the indices matching {pattern:?}, but faultline needs {wanted} \
                         for the {name}: fix the index mapping (or template) or pass --field {name}=PATH"
                    )));
                }
                None => {}
            }
        }
        Ok(())
    }
}

/// A path as the cluster can hold it: `a[].b` is the multi-valued `a.b`; indexed array steps and
/// JSON inside a string cannot be aggregated (`None`, with why).
fn cluster_path(path: &str) -> std::result::Result<String, &'static str> {
    if path.contains("@json") {
        return Err("it steps into JSON held in a string, which the cluster indexes as text");
    }
    if path.contains('[') {
        if path.contains("[]") && !path.replace("[]", "").contains('[') {
            return Ok(path.replace("[]", ""));
        }
        return Err("it picks one array element, which the cluster cannot (arrays are multi-valued there)");
    }
    Ok(path.to_string())
}

/// Whether the index holds anything at `path` (the field or an object above fields).
fn present(caps: &FieldCaps, path: &str) -> bool {
    cluster_path(path).is_ok_and(|p| caps.has_prefix(&p))
}

/// Picks the preset (unless one is forced) and resolves every logical field and rule.
pub fn resolve(caps: &FieldCaps, presets: &Presets, schema: &SchemaChoice, overrides: &[Override]) -> Result<FieldMap> {
    let (name, preset_reason) = match schema.named() {
        Some(name) => (name.to_string(), "chosen with --schema".to_string()),
        None => pick(caps, presets, overrides)?,
    };
    let entry = presets.get(&name).ok_or_else(|| {
        Error::Usage(format!(
            "--schema {name}: no such preset (known: {}, or auto; `faultline diagnose --schema list` describes them)",
            presets.names().join(", ")
        ))
    })?;
    let compiled = preset::compile(entry, presets, overrides)?;
    let mut fields = BTreeMap::new();
    let mut units = BTreeMap::new();
    let mut unset = BTreeMap::new();
    let mut pushdown = Vec::new();
    let mut alternatives: BTreeMap<&'static str, Vec<Resolved>> = BTreeMap::new();
    let mut keyword_of: BTreeMap<String, String> = BTreeMap::new();
    let mut placeholders = BTreeMap::new();
    for f in LOGICAL_FIELDS.iter() {
        let spec = compiled.field(f.field);
        if f.field == Field::Status {
            let path = compiled.numeric_status_path().map(str::to_string).unwrap_or_default();
            if !path.is_empty() {
                fields.insert(f.name(), resolve_one(caps, &path, Use::Number));
                units.insert(f.name(), Unit::Default);
            }
            continue;
        }
        let mut chosen: Option<(Resolved, Unit)> = None;
        let mut later: BTreeMap<&'static str, Vec<Resolved>> = BTreeMap::new();
        for alt in &spec.alts {
            if alt.unit == Unit::JsonLength {
                pushdown.push(format!(
                    "{}: {} (the length of its JSON text) is not pushed down: the cluster cannot measure a value's \
                     text; long requests need a token count or a size field in the index",
                    f.name(),
                    alt.path
                ));
                continue;
            }
            let p = match cluster_path(&alt.path) {
                Ok(p) => p,
                Err(why) => {
                    pushdown.push(format!("{}: {} is not pushed down: {why}", f.name(), alt.path));
                    continue;
                }
            };
            let r = resolve_one(caps, &p, f.used_for);
            let found = !matches!(r, Resolved::Missing { .. });
            if found && matches!(chosen, Some((Resolved::Ready { .. } | Resolved::SourceOnly { .. }, _))) {
                // A later alternative the index also has: read where presence and filters can
                // follow "the first present" per document.
                if let Resolved::Ready { .. } | Resolved::SourceOnly { .. } = r {
                    later.entry(f.name()).or_default().push(r);
                }
                continue;
            }
            if chosen.is_none() || (found && matches!(chosen, Some((Resolved::Missing { .. }, _)))) {
                chosen = Some((r, alt.unit));
            }
        }
        let (r, unit) = chosen.unwrap_or_else(|| {
            (Resolved::Missing { path: spec.alts.first().map(|a| a.path.clone()).unwrap_or_default() }, Unit::Default)
        });
        if f.field == Field::Timestamp && !matches!(unit, Unit::Default | Unit::Millis | Unit::Rfc3339) {
            if let Resolved::Ready { path, .. } = &r {
                pushdown.push(format!(
                    "timestamp: {path} (epoch {}) is read as the date the index maps it to (map it as date with \
                     format epoch_second for epoch seconds)",
                    unit.as_str()
                ));
            }
        }
        if let (Field::Latency, Resolved::Ready { path, .. }) = (f.field, &r) {
            if unit.to_ms() != 1.0 {
                pushdown.push(format!(
                    "latency: {path} in {}: percentiles and maxima scaled to ms client-side",
                    unit.as_str()
                ));
            }
        }
        if !spec.unset.is_empty() && matches!(r, Resolved::Ready { .. }) {
            unset.insert(f.name(), spec.unset.clone());
        }
        if !spec.unset.is_empty() {
            placeholders.insert(f.name(), spec.unset.clone());
        }
        for one in std::iter::once(&r).chain(later.values().flatten()) {
            if let Resolved::SourceOnly { path } = one {
                let sub = format!("{path}.keyword");
                if caps.fields.get(&sub).is_some_and(|c| c.len() == 1 && c[0].aggregatable) {
                    keyword_of.insert(path.clone(), sub);
                }
            }
        }
        units.insert(f.name(), unit);
        fields.insert(f.name(), r);
        alternatives.extend(later);
    }
    let status = cluster_rules(caps, &compiled.status);
    let hop = cluster_rules(caps, &compiled.hop);
    let in_band = cluster_rules(caps, &compiled.in_band);
    let stream_map = compiled.field(Field::Stream).map.clone();
    Ok(FieldMap {
        preset: name,
        preset_reason,
        overrides: overrides.len(),
        fields,
        units,
        unset,
        stream_map,
        status,
        hop,
        in_band,
        reader: crate::logs::record::FieldMap::from_compiled(compiled.clone()),
        compiled,
        pushdown,
        alternatives,
        keyword_of,
        placeholders,
    })
}

/// Rules with their paths resolved; a path the index lacks is left out.
fn cluster_rules<T: Clone>(caps: &FieldCaps, rules: &[Rule<T>]) -> Vec<ClusterRule<T>> {
    rules
        .iter()
        .map(|r| ClusterRule {
            paths: r.paths.iter().filter_map(|(_, p)| rule_path(caps, p)).collect(),
            matcher: r.matcher.clone(),
        })
        .collect()
}

fn rule_path(caps: &FieldCaps, path: &str) -> Option<RulePath> {
    let p = cluster_path(path).ok()?;
    if !caps.has_prefix(&p) {
        return None;
    }
    let mut out = RulePath { source: p.clone(), agg: None, text: None, numeric: false };
    if let Some(list) = caps.fields.get(&p).filter(|l| !l.is_empty()) {
        let all = |pred: &dyn Fn(&Cap) -> bool| list.iter().all(pred);
        if all(&|c| NUMERIC.contains(&c.family.as_str()) && c.aggregatable) {
            out.agg = Some(p.clone());
            out.numeric = true;
        } else if all(&|c| matches!(c.family.as_str(), "text" | "match_only_text")) {
            out.text = Some(p.clone());
            let sub = format!("{p}.keyword");
            if caps.fields.get(&sub).is_some_and(|c| c.len() == 1 && c[0].aggregatable) {
                out.agg = Some(sub);
            }
        } else if list.len() == 1 && list[0].aggregatable {
            out.agg = Some(p.clone());
        }
    }
    Some(out)
}

/// `--schema auto` on a cluster: the preset whose fingerprint the index's fields match, with
/// the most entries (ties: the earlier preset). None matching is an input error naming the
/// closest (or, with `--field` overrides, the faultline preset they adjust).
fn pick(caps: &FieldCaps, presets: &Presets, overrides: &[Override]) -> Result<(String, String)> {
    let mut best: Option<(usize, &str)> = None;
    let mut closest: Option<(usize, &str, Vec<String>)> = None;
    for entry in &presets.entries {
        let Ok(c) = preset::compile(entry, presets, &[]) else { continue };
        let hits: Vec<bool> = c
            .detect
            .iter()
            .map(|alts| alts.iter().any(|s| c.slot_paths.get(*s as usize).is_some_and(|p| present(caps, p))))
            .collect();
        let n = hits.iter().filter(|h| **h).count();
        if n == hits.len() {
            if best.map_or(true, |(m, _)| n > m) {
                best = Some((n, &entry.name));
            }
        } else if closest.as_ref().map_or(true, |(m, _, _)| n > *m) {
            let lacked = c.detect_text.iter().zip(&hits).filter(|(_, h)| !**h).map(|(t, _)| format!("`{t}`")).collect();
            closest = Some((n, &entry.name, lacked));
        }
    }
    if let Some((n, name)) = best {
        return Ok((
            name.to_string(),
            format!("auto: the index has the {n} fingerprint field(s) of the {name} preset"),
        ));
    }
    if !overrides.is_empty() {
        return Ok(("faultline".into(), "auto: no preset matches; the faultline preset with --field overrides".into()));
    }
    let (name, lacked) =
        closest.map(|(_, n, l)| (n.to_string(), l)).unwrap_or_else(|| ("faultline".into(), Vec::new()));
    Err(Error::Input(format!(
        "the index's fields match no log preset; the closest is `{name}`, which needs {} (`faultline diagnose --schema \
         list` shows every preset; pass --schema NAME or --field NAME=PATH)",
        lacked.join(", ")
    )))
}

fn resolve_one(caps: &FieldCaps, path: &str, used_for: Use) -> Resolved {
    let Some(list) = caps.fields.get(path).filter(|l| !l.is_empty()) else {
        return if used_for == Use::Source && caps.has_prefix(path) {
            Resolved::SourceOnly { path: path.to_string() }
        } else {
            Resolved::Missing { path: path.to_string() }
        };
    };
    let families: Vec<String> = list.iter().map(|c| c.family.clone()).collect();
    let all = |pred: &dyn Fn(&Cap) -> bool| list.iter().all(pred);
    let conflict = || {
        let detail = list
            .iter()
            .map(|c| match &c.indices {
                Some(ix) => format!("{} in {}", c.family, ix.join(", ")),
                None => c.family.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        format!("mapped differently across indices ({detail})")
    };
    let ready = |path: &str, family: &str, via_keyword: bool| Resolved::Ready {
        path: path.to_string(),
        family: family.to_string(),
        via_keyword,
    };
    match used_for {
        Use::Source => Resolved::SourceOnly { path: path.to_string() },
        Use::Time => {
            if all(&|c| matches!(c.family.as_str(), "date" | "date_nanos") && c.aggregatable) {
                ready(path, &families[0], false)
            } else {
                Resolved::WrongType { path: path.into(), families, detail: "expected a date".into() }
            }
        }
        Use::Number => {
            if all(&|c| NUMERIC.contains(&c.family.as_str()) && c.aggregatable) {
                ready(path, &families[0], false)
            } else if list.len() > 1 {
                Resolved::WrongType { path: path.into(), detail: conflict(), families }
            } else {
                Resolved::WrongType {
                    path: path.into(),
                    detail: format!("mapped as {}, expected a number", families.join("/")),
                    families,
                }
            }
        }
        Use::Term | Use::Flag => {
            if list.len() == 1 && list[0].aggregatable {
                return ready(path, &families[0], false);
            }
            if all(&|c| matches!(c.family.as_str(), "text" | "match_only_text")) {
                let sub = format!("{path}.keyword");
                if let Some(sub_caps) = caps.fields.get(&sub) {
                    if sub_caps.len() == 1 && sub_caps[0].aggregatable {
                        return ready(&sub, &sub_caps[0].family, true);
                    }
                }
                return Resolved::Unaggregatable { path: path.into(), families };
            }
            if all(&|c| NUMERIC.contains(&c.family.as_str()) && c.aggregatable) {
                return ready(path, &families[0], false);
            }
            Resolved::WrongType { path: path.into(), detail: conflict(), families }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(caps: &FieldCaps, schema: SchemaChoice, overrides: &[Override]) -> FieldMap {
        resolve(caps, crate::knowledge::presets::builtin(), &schema, overrides).unwrap_or_else(|e| panic!("{e}"))
    }

    fn caps() -> FieldCaps {
        FieldCaps::from_field_caps(&json!({
            "indices": ["logs-a", "logs-b"],
            "fields": {
                "@timestamp": {"date": {"type": "date", "aggregatable": true, "searchable": true}},
                "_id": {"_id": {"type": "_id", "aggregatable": true}},
                "status_code": {"long": {"type": "long", "aggregatable": true}},
                "model": {"text": {"type": "text", "aggregatable": false}},
                "model.keyword": {"keyword": {"type": "keyword", "aggregatable": true}},
                "endpoint_region": {"text": {"type": "text", "aggregatable": false}},
                "latency_ms": {"keyword": {"type": "keyword", "aggregatable": true, "indices": ["logs-a"]},
                               "float": {"type": "float", "aggregatable": true, "indices": ["logs-b"]}},
                "stream": {"boolean": {"type": "boolean", "aggregatable": true}},
                "request_header.authorization": {"text": {"type": "text", "aggregatable": false}}
            }
        }))
    }

    #[test]
    fn every_field_has_one_cluster_entry() {
        let names: Vec<&str> = LOGICAL_FIELDS.iter().map(LogicalField::name).collect();
        let theirs: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, theirs);
        assert_eq!(LOGICAL_FIELDS.iter().find(|f| f.name() == "status").map(|f| f.used_for), Some(Use::Number));
    }

    #[test]
    fn dynamic_mapping_uses_keyword_subfields() {
        let map = res(&caps(), SchemaChoice::Auto, &[]);
        assert_eq!(map.preset, "faultline");
        assert_eq!(map.agg("model"), Some("model.keyword"));
        assert_eq!(map.get("model").and_then(Resolved::source_path), Some("model"));
        assert_eq!(map.agg("status"), Some("status_code"));
        assert!(map.get("stream").is_some_and(Resolved::is_boolean));
        assert_eq!(map.get("headers"), Some(&Resolved::SourceOnly { path: "request_header".into() }));
    }

    #[test]
    fn unaggregatable_missing_and_conflicts_are_reported() {
        let map = res(&caps(), SchemaChoice::Named("faultline".into()), &[]);
        assert!(matches!(map.get("region"), Some(Resolved::Unaggregatable { .. })));
        assert!(matches!(map.get("key_hash"), Some(Resolved::Missing { .. })));
        let notes = map.notes().join("\n");
        assert!(
            notes.contains(
                "latency (latency_ms): mapped differently across indices (float in logs-b; keyword in logs-a)"
            ),
            "{notes}"
        );
        assert!(notes.contains("dynamic mapping made 1 string field(s) text: aggregating on model.keyword"), "{notes}");
        assert!(!notes.contains("key_hash"), "missing fields are the report's to list: {notes}");
        assert!(
            notes.contains("field region (endpoint_region) is mapped as text without a keyword sub-field"),
            "{notes}"
        );
        assert!(map.require_essentials("logs-*").is_ok());
    }

    #[test]
    fn a_text_status_is_fatal_and_says_why() {
        let caps = FieldCaps::from_field_caps(&json!({"indices": ["x"], "fields": {
            "@timestamp": {"date": {"aggregatable": true}},
            "status_code": {"text": {"aggregatable": false}}, "status_code.keyword": {"keyword": {"aggregatable": true}}}}));
        let map = res(&caps, SchemaChoice::Auto, &[]);
        let err = map.require_essentials("x").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("field status_code is mapped as text") && err.contains("needs a number"), "{err}");
    }

    #[test]
    fn ecs_is_picked_when_its_names_dominate_and_overrides_apply() {
        let caps = FieldCaps::from_field_caps(&json!({"indices": ["x"], "fields": {
            "@timestamp": {"date": {"aggregatable": true}},
            "http.response.status_code": {"long": {"aggregatable": true}},
            "event.duration": {"long": {"aggregatable": true}},
            "cloud.region": {"keyword": {"aggregatable": true}},
            "my.model": {"keyword": {"aggregatable": true}}}}));
        let overrides = crate::logs::record::parse_overrides([("model", "my.model")]).unwrap_or_default();
        let map = res(&caps, SchemaChoice::Auto, &overrides);
        assert_eq!(map.preset, "ecs");
        assert_eq!(map.agg("status"), Some("http.response.status_code"));
        assert_eq!(map.agg("model"), Some("my.model"));
    }

    #[test]
    fn mapping_fallback_flattens_objects_and_multi_fields() {
        let caps = FieldCaps::from_mapping(&json!({"logs-a": {"mappings": {"properties": {
            "@timestamp": {"type": "date"},
            "model": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
            "labels": {"properties": {"stream": {"type": "boolean"}}}}}}}));
        assert_eq!(caps.indices, vec!["logs-a".to_string()]);
        assert_eq!(caps.fields.get("model.keyword").map(|c| c[0].aggregatable), Some(true));
        assert_eq!(caps.fields.get("model").map(|c| c[0].aggregatable), Some(false));
        assert_eq!(caps.fields.get("labels.stream").map(|c| c[0].family.as_str()), Some("boolean"));
    }
}
