//! A preset's rules as queries. A derived status or hop cannot be a field of the index, and
//! osmem-server (like OpenSearch before runtime fields) takes no `runtime_mappings` and no
//! script in an aggregation. But every rule is a test of a field's value, so it is a filter:
//! `term`, `terms`, `prefix`, `wildcard`/`match_phrase`, `regexp` (a flag inside a comma list),
//! `exists`. "The first rule that yields wins" becomes each rule's filter minus the filters of
//! the rules before it. Then every `terms` on the status becomes, per rule, either a `terms` on
//! its numeric field under the rule's filter or a `filters` aggregation with one bucket per
//! status the rule can give (its table's values are known in advance; `after = "Error code: "`
//! tries every status rules/status_codes.toml knows). The hop is a `filters` aggregation with
//! the three hops. A status field that is plainly one number keeps the single `terms` it always
//! had.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::fields::{ClusterRule, FieldMap, RulePath};
use super::response::{buckets, doc_count};
use crate::diagnose::summary::{is_failure, StatusCounts, CLIENT_GONE};
use crate::logs::preset::{Hop, Matcher, RuleValue};

/// Distinct statuses one numeric rule's `terms` asks for.
pub const STATUS_TERMS: usize = 100;

// ---------------------------------------------------------------------------------------------
// Filter algebra

pub fn match_all() -> Value {
    json!({"match_all": {}})
}

pub fn match_none() -> Value {
    json!({"bool": {"must_not": [{"match_all": {}}]}})
}

fn is_all(v: &Value) -> bool {
    v.get("match_all").is_some()
}

fn is_none(v: &Value) -> bool {
    v == &match_none()
}

pub fn exists(path: &str) -> Value {
    json!({"exists": {"field": path}})
}

pub fn not(f: Value) -> Value {
    if is_all(&f) {
        return match_none();
    }
    if is_none(&f) {
        return match_all();
    }
    json!({"bool": {"must_not": [f]}})
}

pub fn and(list: Vec<Value>) -> Value {
    if list.iter().any(is_none) {
        return match_none();
    }
    let mut list: Vec<Value> = list.into_iter().filter(|f| !is_all(f)).collect();
    match list.len() {
        0 => match_all(),
        1 => list.pop().unwrap_or_else(match_all),
        _ => json!({"bool": {"filter": list}}),
    }
}

pub fn or(list: Vec<Value>) -> Value {
    if list.iter().any(is_all) {
        return match_all();
    }
    let mut list: Vec<Value> = list.into_iter().filter(|f| !is_none(f)).collect();
    match list.len() {
        0 => match_none(),
        1 => list.pop().unwrap_or_else(match_none),
        _ => json!({"bool": {"should": list, "minimum_should_match": 1}}),
    }
}

/// Escapes Lucene regexp syntax.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ".?+*|{}[]()\"\\#@&<>~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn wildcard_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('*', "\\*").replace('?', "\\?")
}

/// The value at `p` is `t`.
fn eq(p: &RulePath, t: &str) -> Value {
    match (&p.agg, &p.text) {
        (Some(agg), _) => json!({"term": {agg: t}}),
        (None, Some(text)) => json!({"match_phrase": {text: t}}),
        _ => match_none(),
    }
}

fn prefix(p: &RulePath, t: &str) -> Value {
    match (&p.agg, &p.text, p.numeric) {
        (Some(agg), _, false) => json!({"prefix": {agg: t}}),
        (_, Some(text), _) => json!({"match_phrase_prefix": {text: t}}),
        _ => match_none(),
    }
}

/// The value at `p` contains `t`: the keyword (values it keeps) or the text field (long values,
/// beyond the keyword's ignore_above).
fn contains(p: &RulePath, t: &str) -> Value {
    // The analysed text holds every value, the keyword only those below its ignore_above: a
    // phrase on the text when there is one (it reads like the substring a file is searched for).
    if let Some(text) = &p.text {
        return json!({"match_phrase": {text: t}});
    }
    match (&p.agg, p.numeric) {
        (Some(agg), false) => json!({"wildcard": {agg: {"value": format!("*{}*", wildcard_escape(t))}}}),
        _ => match_none(),
    }
}

fn terms(p: &RulePath, keys: &[&str]) -> Value {
    match (&p.agg, &p.text) {
        (Some(agg), _) => json!({"terms": {agg: keys}}),
        (None, Some(text)) => or(keys.iter().map(|k| json!({"match_phrase": {text: k}})).collect()),
        _ => match_none(),
    }
}

/// One token of a `sep`-separated value is `key`.
fn has_token(p: &RulePath, key: &str, sep: &str) -> Value {
    has_any_token(p, &[key], sep)
}

/// One token of a `sep`-separated value is one of `keys` (one regexp with alternatives).
fn has_any_token(p: &RulePath, keys: &[&str], sep: &str) -> Value {
    match &p.agg {
        Some(agg) if !p.numeric && !keys.is_empty() => {
            let alts: Vec<String> = keys.iter().map(|k| regex_escape(k)).collect();
            let k = if alts.len() == 1 { alts.join("") } else { format!("({})", alts.join("|")) };
            let s = regex_escape(sep);
            json!({"regexp": {agg: format!("(.*{s} *)?{k}( *{s}.*)?")}})
        }
        _ => match_none(),
    }
}

/// Whether a rule yields at all, as one compact filter (what later rules must exclude): the
/// condition, not its per-value expansion.
fn applies<T: RuleValue>(rule: &ClusterRule<T>) -> Value {
    if let Matcher::Absent(_) = &rule.matcher {
        return not(or(rule.paths.iter().map(|p| exists(&p.source)).collect()));
    }
    let mut alts = Vec::new();
    for (p, first) in first_present(&rule.paths) {
        let cond = match &rule.matcher {
            Matcher::Parse if T::what() == "status" => match number_filters(p) {
                Some((_, _, valid, _, _)) => valid,
                None => match_none(),
            },
            Matcher::Parse => terms(p, &["provider", "gateway", "network"]),
            Matcher::Equals(t, _) => eq(p, t),
            Matcher::Prefix(t, _) => prefix(p, t),
            Matcher::Contains(t, _) => contains(p, t),
            Matcher::After(t) => {
                // Exactly on the keyword; on the text only for values the keyword does not keep.
                let mut any = Vec::new();
                if let (Some(agg), false) = (&p.agg, p.numeric) {
                    any.push(json!({"regexp": {agg: format!(".*{}[1-9][0-9][0-9]([^0-9].*)?", regex_escape(t))}}));
                }
                if let Some(text) = &p.text {
                    let long = match &p.agg {
                        Some(agg) => not(exists(agg)),
                        None => match_all(),
                    };
                    any.push(and(vec![long, json!({"match_phrase": {text: t.trim()}})]));
                }
                or(any)
            }
            Matcher::Table(entries, split) => {
                let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                match split {
                    None => terms(p, &keys),
                    Some(sep) => has_any_token(p, &keys, sep),
                }
            }
            Matcher::Present(_) => exists(&p.source),
            Matcher::Absent(_) => match_none(),
        };
        alts.push(and(vec![first, cond]));
    }
    or(alts)
}

/// A status-looking number at `p`, and within it the failing (400-999 but 499) and succeeding ones.
fn number_filters(p: &RulePath) -> Option<(String, bool, Value, Value, Value)> {
    let agg = p.agg.clone()?;
    if p.numeric {
        let valid = json!({"range": {&agg: {"gte": 100, "lt": 1000}}});
        let fail = and(vec![json!({"range": {&agg: {"gte": 400}}}), not(json!({"term": {&agg: CLIENT_GONE}}))]);
        let ok = json!({"range": {&agg: {"lt": 400}}});
        Some((agg, false, valid, fail, ok))
    } else {
        let valid = json!({"regexp": {&agg: "[1-9][0-9][0-9]"}});
        let fail = and(vec![
            json!({"regexp": {&agg: "[4-9][0-9][0-9]"}}),
            not(json!({"term": {&agg: CLIENT_GONE.to_string()}})),
        ]);
        let ok = json!({"regexp": {&agg: "[1-3][0-9][0-9]"}});
        Some((agg, true, valid, fail, ok))
    }
}

/// What one rule yields on the cluster: per value a filter, or a number read from a field.
enum Yield<T> {
    Value(T, Value),
    /// Status only: the number at `field` (a keyword when `keyword`), where `filter` holds.
    Number {
        field: String,
        keyword: bool,
        filter: Value,
        fail: Value,
        ok: Value,
    },
}

/// The filter that each of a rule's paths is the first present one.
/// Per path, the filter that no earlier path is present (a path's own presence is implied by
/// every test of its value; `Present` adds it).
fn first_present(paths: &[RulePath]) -> Vec<(&RulePath, Value)> {
    let mut out = Vec::new();
    let mut before: Vec<Value> = Vec::new();
    for p in paths {
        out.push((p, not(or(before.clone()))));
        before.push(exists(&p.source));
    }
    out
}

fn yields<T: RuleValue + Ord>(rule: &ClusterRule<T>, candidates: &[T]) -> Vec<Yield<T>> {
    let mut out: Vec<Yield<T>> = Vec::new();
    let push = |v: T, f: Value, out: &mut Vec<Yield<T>>| out.push(Yield::Value(v, f));
    if let Matcher::Absent(v) = &rule.matcher {
        let any = or(rule.paths.iter().map(|p| exists(&p.source)).collect());
        push(*v, not(any), &mut out);
        return out;
    }
    for (p, first) in first_present(&rule.paths) {
        match &rule.matcher {
            Matcher::Parse => {
                if T::what() == "status" {
                    if let Some((field, keyword, valid, fail, ok)) = number_filters(p) {
                        out.push(Yield::Number { field, keyword, filter: and(vec![first, valid]), fail, ok });
                    }
                } else {
                    for v in candidates {
                        push(*v, and(vec![first.clone(), eq(p, &v.show())]), &mut out);
                    }
                }
            }
            Matcher::Equals(t, v) => push(*v, and(vec![first, eq(p, t)]), &mut out),
            Matcher::Prefix(t, v) => push(*v, and(vec![first, prefix(p, t)]), &mut out),
            Matcher::Contains(t, v) => push(*v, and(vec![first, contains(p, t)]), &mut out),
            Matcher::After(t) => {
                for v in candidates {
                    push(*v, and(vec![first.clone(), contains(p, &format!("{t}{}", v.show()))]), &mut out);
                }
            }
            Matcher::Table(entries, split) => {
                let mut by_value: BTreeMap<T, Vec<&str>> = BTreeMap::new();
                for (k, v) in entries {
                    by_value.entry(*v).or_default().push(k.as_str());
                }
                for (v, keys) in &by_value {
                    let f = match split {
                        None => terms(p, keys),
                        Some(sep) => {
                            // A token of this value, and none of a value that beats it.
                            let mine = has_any_token(p, keys, sep);
                            let better: Vec<&str> = by_value
                                .iter()
                                .filter(|(w, _)| w.beats(*v))
                                .flat_map(|(_, ks)| ks.iter().copied())
                                .collect();
                            if better.is_empty() {
                                mine
                            } else {
                                and(vec![mine, not(has_any_token(p, &better, sep))])
                            }
                        }
                    };
                    push(*v, and(vec![first.clone(), f]), &mut out);
                }
            }
            Matcher::Present(v) => push(*v, and(vec![first, exists(&p.source)]), &mut out),
            Matcher::Absent(_) => {}
        }
    }
    out
}

/// `(value, filter)` per value a list of rules gives, first-yield-wins applied, values merged.
fn effective<T: RuleValue + Ord>(
    rules: &[ClusterRule<T>],
    candidates: &[T],
) -> (Vec<(T, Value)>, Vec<NumberClass>, Value) {
    let mut fixed: BTreeMap<T, Vec<Value>> = BTreeMap::new();
    let mut numbers = Vec::new();
    let mut before: Vec<Value> = Vec::new();
    for rule in rules {
        let ys = yields(rule, candidates);
        let prior = not(or(before.clone()));
        for y in &ys {
            match y {
                Yield::Value(v, f) => fixed.entry(*v).or_default().push(and(vec![f.clone(), prior.clone()])),
                Yield::Number { field, keyword, filter, fail, ok } => numbers.push(NumberClass {
                    field: field.clone(),
                    keyword: *keyword,
                    filter: and(vec![filter.clone(), prior.clone()]),
                    fail: fail.clone(),
                    ok: ok.clone(),
                }),
            }
        }
        before.push(applies(rule));
    }
    let any = or(before);
    (fixed.into_iter().map(|(v, fs)| (v, or(fs))).collect(), numbers, any)
}

/// A numeric status rule: `terms` on `field` where `filter` holds.
#[derive(Debug, Clone)]
pub struct NumberClass {
    pub field: String,
    pub keyword: bool,
    pub filter: Value,
    /// Within the field: failing statuses, succeeding ones.
    pub fail: Value,
    pub ok: Value,
}

// ---------------------------------------------------------------------------------------------
// The status

/// How the cluster tells each record's status.
#[derive(Debug, Clone)]
pub struct StatusPlan {
    /// One numeric field, no rule: plain `terms`, plain ranges.
    pub simple: Option<String>,
    pub numbers: Vec<NumberClass>,
    /// Statuses given by a filter (tables, constants, in-band failures).
    pub fixed: Vec<(u16, Value)>,
    /// In-band failures alone (also in `fixed`), by the status they count under.
    pub in_band: Vec<(u16, Value)>,
    /// Records with a status.
    pub any: Value,
    pub fail: Value,
    pub ok: Value,
    /// One line per rule for `--explain-queries`.
    pub explain: Vec<String>,
}

impl StatusPlan {
    pub fn new(fields: &FieldMap, known: &[u16]) -> StatusPlan {
        if fields.plain_status() {
            let st = fields.agg("status").unwrap_or("status_code").to_string();
            return StatusPlan {
                any: exists(&st),
                fail: json!({"bool": {"filter": [{"range": {&st: {"gte": 400}}}], "must_not": [{"term": {&st: CLIENT_GONE}}]}}),
                ok: json!({"range": {&st: {"lt": 400}}}),
                explain: vec![format!("status: terms on {st} (a number)")],
                simple: Some(st),
                numbers: Vec::new(),
                fixed: Vec::new(),
                in_band: Vec::new(),
            };
        }
        let (mut fixed, mut numbers, any) = effective(&fields.status, known);
        let mut explain = vec![format!(
            "status: derived by {} rule(s) of the {} preset, pushed down as filters: {}",
            fields.status.len(),
            fields.preset,
            describe_rules(&fields.status)
        )];
        // In-band failures: a status below 400 on the numeric field whose in-band rule yields.
        let numeric_ok = or(numbers.iter().map(|n| and(vec![n.filter.clone(), n.ok.clone()])).collect());
        let (ib, _, ib_any) = effective(&fields.in_band, known);
        let ib: Vec<(u16, Value)> = ib
            .into_iter()
            .filter(|(v, _)| is_failure(*v))
            .map(|(v, f)| (v, and(vec![f, numeric_ok.clone()])))
            .collect();
        let in_band = ib.clone();
        if !ib.is_empty() {
            let ib_all = and(vec![ib_any, numeric_ok.clone()]);
            for n in &mut numbers {
                n.filter = and(vec![n.filter.clone(), not(ib_all.clone())]);
            }
            explain.push(format!(
                "status: in-band failures ({}) counted under {} with a filters bucket each",
                describe_rules(&fields.in_band),
                ib.iter().map(|(v, _)| v.to_string()).collect::<Vec<_>>().join(", ")
            ));
            for (v, f) in ib {
                match fixed.iter_mut().find(|(w, _)| *w == v) {
                    Some((_, g)) => *g = or(vec![g.clone(), f]),
                    None => fixed.push((v, f)),
                }
            }
        }
        let mut fail_parts: Vec<Value> = numbers.iter().map(|n| and(vec![n.filter.clone(), n.fail.clone()])).collect();
        fail_parts.extend(fixed.iter().filter(|(v, _)| is_failure(*v)).map(|(_, f)| f.clone()));
        let fail = or(fail_parts);
        let any = or(vec![any, or(fixed.iter().map(|(_, f)| f.clone()).collect())]);
        StatusPlan {
            ok: and(vec![any.clone(), not(fail.clone())]),
            any,
            fail,
            simple: None,
            numbers,
            fixed,
            in_band,
            explain,
        }
    }

    /// The aggregations that count by status under `name` (each with `sub` inside, when given):
    /// `name` itself for a plain status, else `name_n<i>` per numeric rule and `name_f` for the
    /// rest. Read back with [`statuses`].
    pub fn aggs(&self, name: &str, sub: Option<&Value>) -> Vec<(String, Value)> {
        let with_sub = |mut v: Value| {
            if let (Some(sub), Some(obj)) = (sub, v.as_object_mut()) {
                obj.insert("aggs".into(), sub.clone());
            }
            v
        };
        if let Some(st) = &self.simple {
            return vec![(name.to_string(), with_sub(json!({"terms": {"field": st, "size": STATUS_TERMS}})))];
        }
        let mut out = Vec::new();
        for (i, n) in self.numbers.iter().enumerate() {
            let t = with_sub(json!({"terms": {"field": n.field, "size": STATUS_TERMS}}));
            out.push((format!("{name}_n{i}"), json!({"filter": n.filter, "aggs": {"t": t}})));
        }
        if !self.fixed.is_empty() {
            // `adjacency_matrix` rather than `filters` when the statuses are few: it leaves out
            // the statuses no record has (a `filters` bucket per status per series bucket, most
            // of them 0, was a fifth of what a month's series weighed). A record two rules match
            // also lands in a pair bucket ("500&529"), which is not a status and is not read.
            // The pairs cost the cluster n(n-1)/2 checks per record, so many statuses (a status
            // parsed out of a message tries every known one) keep `filters`.
            let filters: Map<String, Value> = self.fixed.iter().map(|(v, f)| (v.to_string(), f.clone())).collect();
            let kind = if self.fixed.len() <= ADJACENCY_MAX_FILTERS { "adjacency_matrix" } else { "filters" };
            out.push((format!("{name}_f"), with_sub(json!({kind: {"filters": filters}}))));
        }
        out
    }

    /// Records whose status is one of `statuses`.
    pub fn of(&self, statuses: &[u16]) -> Value {
        if let Some(st) = &self.simple {
            return json!({"terms": {st: statuses}});
        }
        let mut parts = Vec::new();
        for n in &self.numbers {
            let values: Vec<Value> =
                statuses.iter().map(|s| if n.keyword { json!(s.to_string()) } else { json!(s) }).collect();
            parts.push(and(vec![n.filter.clone(), json!({"terms": {&n.field: values}})]));
        }
        parts.extend(self.fixed.iter().filter(|(v, _)| statuses.contains(v)).map(|(_, f)| f.clone()));
        or(parts)
    }

    /// [`StatusPlan::aggs`] as one JSON object's entries.
    pub fn aggs_map(&self, name: &str, sub: Option<&Value>) -> Map<String, Value> {
        self.aggs(name, sub).into_iter().collect()
    }
}

/// Derived statuses counted with `adjacency_matrix` (at most 45 pairs); more use `filters`.
pub const ADJACENCY_MAX_FILTERS: usize = 10;

/// Reads what [`StatusPlan::aggs`] asked for under `name` in `parent`: (status, bucket) pairs; a
/// status two rules give appears twice.
pub fn statuses<'v>(parent: Option<&'v Value>, name: &str) -> Vec<(u16, &'v Value)> {
    let Some(parent) = parent else { return Vec::new() };
    let mut out = Vec::new();
    let mut take = |node: Option<&'v Value>| {
        for (key, b) in buckets(node) {
            if let Ok(s) = key.parse::<u16>() {
                out.push((s, b));
            }
        }
    };
    take(parent.get(name));
    for i in 0.. {
        match parent.get(format!("{name}_n{i}")) {
            Some(n) => take(n.get("t")),
            None => break,
        }
    }
    take(parent.get(format!("{name}_f")));
    out
}

/// Counts by status of what [`StatusPlan::aggs`] asked for.
pub fn status_counts(parent: Option<&Value>, name: &str) -> StatusCounts {
    let mut out = StatusCounts::new();
    for (s, b) in statuses(parent, name) {
        let n = doc_count(b);
        if n > 0 {
            *out.entry(s).or_default() += n;
        }
    }
    out
}

fn describe_rules<T: RuleValue>(rules: &[ClusterRule<T>]) -> String {
    rules
        .iter()
        .map(|r| {
            let path = r.paths.first().map_or("(absent in the index)".to_string(), |p| {
                p.agg.clone().or_else(|| p.text.clone()).unwrap_or_else(|| p.source.clone())
            });
            let how = match &r.matcher {
                Matcher::Parse => "the value".to_string(),
                Matcher::Equals(t, v) => format!("= {t:?} -> {}", v.show()),
                Matcher::Prefix(t, v) => format!("prefix {t:?} -> {}", v.show()),
                Matcher::Contains(t, v) => format!("contains {t:?} -> {}", v.show()),
                Matcher::After(t) => format!("the status after {t:?} (match_phrase per known status)"),
                Matcher::Table(e, split) => {
                    format!("{} table entries{}", e.len(), if split.is_some() { " (regexp per token)" } else { "" })
                }
                Matcher::Present(v) => format!("present -> {}", v.show()),
                Matcher::Absent(v) => format!("absent -> {}", v.show()),
            };
            format!("{path} {how}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------------------------
// The hop

/// How the text of a network failure is counted: a fixed label under a filter, or the values of
/// a field under a filter.
#[derive(Debug, Clone)]
pub enum NetLabel {
    Fixed(String, Value),
    Terms(String, Value),
}

/// Who answered each record, as filters.
#[derive(Debug, Clone)]
pub struct HopPlan {
    pub provider: Value,
    pub gateway: Value,
    pub network: Value,
    /// Records with any hop.
    pub any: Value,
    /// Records with a logged network error (the `network_error` field).
    pub logged: Value,
    /// Network failures found by a hop rule (not a logged error), with the text to count them by.
    pub labels: Vec<NetLabel>,
    pub explain: Vec<String>,
}

impl HopPlan {
    pub fn new(fields: &FieldMap) -> HopPlan {
        let logged = match fields.get("network_error").and_then(|r| r.source_path()) {
            Some(src) => {
                let mut blank: Vec<Value> = fields.unset_terms("network_error");
                if !blank.iter().any(|v| v.as_str() == Some("")) && !fields.agg("network_error").is_some_and(|_| {
                    matches!(fields.get("network_error"), Some(super::fields::Resolved::Ready { family, .. }) if super::fields::is_numeric_family(family))
                }) {
                    blank.push(Value::from(""));
                }
                match fields.agg("network_error") {
                    Some(agg) => and(vec![exists(src), not(json!({"terms": {agg: blank}}))]),
                    None => exists(src),
                }
            }
            None => match_none(),
        };
        let (by_hop, _, _) = effective(&fields.hop, &Hop::ALL);
        let get = |h: Hop| by_hop.iter().find(|(v, _)| *v == h).map_or_else(match_none, |(_, f)| f.clone());
        let (hop_p, hop_g, hop_n) = (get(Hop::Provider), get(Hop::Gateway), get(Hop::Network));
        let mut labels = Vec::new();
        let mut before: Vec<Value> = Vec::new();
        for rule in &fields.hop {
            let ys = yields(rule, &Hop::ALL);
            let prior = and(vec![not(or(before.clone())), not(logged.clone())]);
            for y in &ys {
                if let Yield::Value(Hop::Network, f) = y {
                    let f = and(vec![f.clone(), prior.clone()]);
                    match &rule.matcher {
                        Matcher::Equals(t, _) => labels.push(NetLabel::Fixed(t.clone(), f)),
                        Matcher::Table(entries, split) => {
                            let keys: Vec<&str> =
                                entries.iter().filter(|(_, v)| *v == Hop::Network).map(|(k, _)| k.as_str()).collect();
                            for (p, first) in first_present(&rule.paths) {
                                let mut earlier: Vec<Value> = Vec::new();
                                for k in &keys {
                                    let has = match split {
                                        Some(sep) => has_token(p, k, sep),
                                        None => eq(p, k),
                                    };
                                    labels.push(NetLabel::Fixed(
                                        (*k).to_string(),
                                        and(vec![f.clone(), first.clone(), has.clone(), not(or(earlier.clone()))]),
                                    ));
                                    earlier.push(has);
                                }
                            }
                        }
                        _ => {
                            if let Some(agg) = rule.paths.first().and_then(|p| p.agg.clone()) {
                                labels.push(NetLabel::Terms(agg, f));
                            }
                        }
                    }
                }
            }
            before.push(applies(rule));
        }
        let network = or(vec![logged.clone(), hop_n]);
        let explain = if fields.hop.is_empty() {
            vec!["hop: network when a network_error is logged; no other hop rule".into()]
        } else {
            vec![format!("hop: filters per hop from {} rule(s): {}", fields.hop.len(), describe_rules(&fields.hop))]
        };
        HopPlan {
            any: or(vec![network.clone(), hop_p.clone(), hop_g.clone()]),
            provider: and(vec![hop_p, not(logged.clone())]),
            gateway: and(vec![hop_g, not(logged.clone())]),
            network,
            logged,
            labels,
            explain,
        }
    }

    /// The three hops as named filters.
    pub fn filters(&self) -> Value {
        json!({"provider": self.provider, "gateway": self.gateway, "network": self.network})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_algebra_simplifies() {
        assert_eq!(and(vec![match_all(), exists("a")]), exists("a"));
        assert_eq!(or(vec![match_none(), exists("a")]), exists("a"));
        assert_eq!(not(match_all()), match_none());
        assert_eq!(and(vec![]), match_all());
        assert_eq!(or(vec![]), match_none());
        assert_eq!(and(vec![exists("a"), match_none()]), match_none());
    }

    fn plan_with(statuses: &[u16]) -> StatusPlan {
        StatusPlan {
            simple: None,
            numbers: Vec::new(),
            fixed: statuses.iter().map(|s| (*s, json!({"term": {"error_code": s}}))).collect(),
            in_band: Vec::new(),
            any: match_all(),
            fail: match_all(),
            ok: match_none(),
            explain: Vec::new(),
        }
    }

    #[test]
    fn few_derived_statuses_leave_out_the_empty_ones_and_many_keep_filters() {
        let few = plan_with(&[500, 529]).aggs_map("st", None);
        assert!(few["st_f"]["adjacency_matrix"]["filters"]["529"].is_object(), "{few:?}");
        let many: Vec<u16> = (400..400 + ADJACENCY_MAX_FILTERS as u16 + 1).collect();
        let many = plan_with(&many).aggs_map("st", None);
        assert!(many["st_f"]["filters"]["filters"]["400"].is_object(), "{many:?}");
        // Read back: an absent status is 0, and a pair bucket (a record two rules match) is
        // not a status.
        let answer = json!({"st_f": {"buckets": [
            {"key": "500", "doc_count": 3}, {"key": "500&529", "doc_count": 1}, {"key": "529", "doc_count": 1}]}});
        let got = status_counts(Some(&answer), "st");
        assert_eq!(got, [(500, 3), (529, 1)].into_iter().collect::<StatusCounts>());
        assert!(status_counts(Some(&json!({"st_f": {"buckets": []}})), "st").is_empty());
    }

    #[test]
    fn a_flag_token_is_a_regexp() {
        let p = RulePath { source: "f".into(), agg: Some("f.keyword".into()), text: Some("f".into()), numeric: false };
        assert_eq!(has_token(&p, "UF", ","), json!({"regexp": {"f.keyword": "(.*, *)?UF( *,.*)?"}}));
        assert_eq!(contains(&p, "a*b"), json!({"match_phrase": {"f": "a*b"}}));
        let kw = RulePath { text: None, ..p };
        assert_eq!(contains(&kw, "a*b"), json!({"wildcard": {"f.keyword": {"value": "*a\\*b*"}}}));
    }
}
