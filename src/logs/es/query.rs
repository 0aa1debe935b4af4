//! The request bodies: every fact of the `Summary` as aggregations (es.md §6, §11). Two searches
//! sent together as one `_msearch` — the summary (`size: 0`) and the failing samples (`size: 0`,
//! `top_hits` per group) — in filter context, with absolute time bounds (cacheable by the shard
//! request cache) and a shard-level `timeout` below the client's own. `fixed_interval` always;
//! percentiles with `keyed: false`. Top-N terms ask for twice N and are re-ranked client-side with
//! the Summary's tie rules; `other` counts are computed by subtraction, so they stay exact.
//! A preset's derived status, its hop, placeholders and units come from [`super::derive`].

use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::derive::{self, HopPlan, NetLabel, StatusPlan};
use super::fields::{FieldMap, Resolved};
use crate::diagnose::summary::{
    bucket_minutes, ENV_KEYS_TOP_N, ENV_TOP_N, KEY_TOP_N, MAX_BUCKETS, SAMPLES_PER_GROUP, SAMPLE_GROUPS_PER_STATUS,
    TOP_N,
};
use crate::logs::record::Field;

pub use super::derive::STATUS_TERMS;
/// Distinct raw error messages fetched so that client-side normalisation can merge them (raw
/// messages carrying request ids are all distinct; past this, the long tail lands in `other`).
pub const MESSAGE_TERMS: usize = 2000;
/// The samples search, where each raw message bucket carries `top_hits`, asks per status for the
/// most frequent raw messages (a group worded without identifiers is one raw message)...
pub const SAMPLE_MESSAGE_TERMS: usize = SAMPLE_GROUPS_PER_STATUS * 2;
/// ...and for the raw messages that came first (a group whose messages each carry a request id
/// is a raw message per record: its earliest records are the raw messages that start first).
pub const SAMPLE_EARLIEST_TERMS: usize = SAMPLE_GROUPS_PER_STATUS * SAMPLES_PER_GROUP;
/// Distinct network errors.
pub const NETWORK_ERROR_TERMS: usize = 50;
/// Regions and other small dimensions for per-region latency.
pub const REGION_TERMS: usize = 100;

/// What the answer need not carry (`filter_path`, exclusions only): the dates' text keys of the
/// two series (the numeric `key` is read), the terms' error bounds, and the hits' score and sort
/// values. Every search of the diagnosis is sent with it; `prefix` is `responses.` for
/// `_msearch`, empty for `_search`.
pub fn response_filter(prefix: &str) -> String {
    [
        "aggregations.minutes.buckets.key_as_string",
        "aggregations.fail_minutes.m.buckets.key_as_string",
        "**.doc_count_error_upper_bound",
        "**.hits.hits._score",
        "**.hits.hits.sort",
    ]
    .iter()
    .map(|p| format!("-{prefix}{p}"))
    .collect::<Vec<_>>()
    .join(",")
}

/// What is asked: the fields, the window, the budget, and how the preset's rules are filtered.
pub struct Plan<'a> {
    pub fields: &'a FieldMap,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Shard-level budget sent as `timeout` (e.g. "24000ms").
    pub server_timeout_ms: u64,
    /// `streaming.non_streaming_token_limit`.
    pub token_limit: u64,
    /// `payload.bytes_per_token`.
    pub bytes_per_token: f64,
    pub status: StatusPlan,
    pub hop: HopPlan,
    /// Width of the series' buckets, in minutes: at most `MAX_BUCKETS` (1,440) over the window
    /// ([`bucket_minutes`]; 1 up to a day). `None` for a window without a start, whose span is
    /// known only to the cluster: an `auto_date_histogram` chooses the width (and says which).
    pub bucket_minutes: Option<u32>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl<'a> Plan<'a> {
    /// `known` are the statuses a rule like `after = "Error code: "` is tried with.
    pub fn new(
        fields: &'a FieldMap,
        window: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        server_timeout_ms: u64,
        token_limit: u64,
        bytes_per_token: f64,
        known: &[u16],
    ) -> Plan<'a> {
        Plan {
            fields,
            from: window.0,
            to: window.1,
            server_timeout_ms,
            token_limit,
            bytes_per_token,
            status: StatusPlan::new(fields, known),
            hop: HopPlan::new(fields),
            bucket_minutes: window.0.map(|_| bucket_minutes(window.0, window.1, Utc::now())),
        }
    }

    /// One line per field or rule saying how it is pushed down (`--explain-queries`).
    pub fn explain(&self) -> Vec<String> {
        let mut out = self.status.explain.clone();
        out.extend(self.hop.explain.iter().cloned());
        out.extend(self.fields.pushdown.iter().cloned());
        for (name, unset) in &self.fields.unset {
            out.push(format!(
                "{name}: placeholders {unset:?} count as unset (terms exclude them, presence ignores them)"
            ));
        }
        if !self.fields.stream_map.is_empty() {
            out.push("stream: read from the operation name (terms per streamed / not streamed)".into());
        }
        out
    }

    fn agg(&self, name: &str) -> Option<&str> {
        self.fields.agg(name)
    }

    fn time(&self) -> &str {
        self.agg("timestamp").unwrap_or("@timestamp")
    }

    pub fn fail_filter(&self) -> Value {
        self.status.fail.clone()
    }

    fn ok_filter(&self) -> Value {
        self.status.ok.clone()
    }

    /// Per-status counts under `name` (each with `sub`).
    fn st(&self, name: &str, sub: Option<&Value>) -> Map<String, Value> {
        self.status.aggs_map(name, sub)
    }

    /// Records in the window that have a status (a record without one is not a request).
    pub fn base_filters(&self) -> Vec<Value> {
        let mut filters = Vec::new();
        if self.from.is_some() || self.to.is_some() {
            let mut range = Map::new();
            if let Some(from) = self.from {
                range.insert("gte".into(), json!(rfc3339(from)));
            }
            if let Some(to) = self.to {
                range.insert("lt".into(), json!(rfc3339(to)));
            }
            range.insert("format".into(), json!("strict_date_optional_time"));
            filters.push(json!({"range": {self.time(): Value::Object(range)}}));
        }
        // The local reader skips records without a time or a status: so does the cluster.
        filters.push(json!({"exists": {"field": self.time()}}));
        filters.push(self.status.any.clone());
        filters
    }

    /// `terms` ranked by failures, then requests, then value, each bucket with its statuses;
    /// placeholder values (`logical`'s unset) are excluded.
    fn ranked_terms(&self, field: &str, size: usize, logical: &str) -> Value {
        let mut terms = json!({"field": field, "size": size, "shard_size": size * 5 + 10,
                               "order": [{"f": "desc"}, {"_count": "desc"}, {"_key": "asc"}]});
        let unset = self.fields.unset_terms(logical);
        if !unset.is_empty() {
            terms["exclude"] = json!(unset);
        }
        let mut aggs = Map::new();
        aggs.insert("f".into(), json!({"filter": self.fail_filter()}));
        aggs.extend(self.st("st", None));
        json!({"terms": terms, "aggs": Value::Object(aggs)})
    }

    /// A Breakdown: `top` (ranked terms) and `miss` (records without the field), by status,
    /// within `scope` (its own statuses under `st`).
    fn breakdown_in(&self, logical: &str, size: usize, scope: Value) -> Option<Value> {
        let field = self.agg(logical)?;
        let unset = self.fields.unset_terms(logical);
        // `missing` is an aggregation: it needs the aggregatable path (the keyword sub-field).
        let miss = if unset.is_empty() {
            json!({"missing": {"field": field}, "aggs": Value::Object(self.st("st", None))})
        } else {
            let none = derive::or(vec![derive::not(derive::exists(field)), json!({"terms": {field: unset}})]);
            json!({"filter": none, "aggs": Value::Object(self.st("st", None))})
        };
        let mut aggs = Map::new();
        aggs.insert("top".into(), self.ranked_terms(field, size, logical));
        aggs.insert("miss".into(), miss);
        if scope.get("match_all").is_none() {
            aggs.extend(self.st("st", None));
        }
        Some(json!({"filter": scope, "aggs": Value::Object(aggs)}))
    }

    fn breakdown(&self, logical: &str, size: usize) -> Option<Value> {
        self.breakdown_in(logical, size, derive::match_all())
    }

    fn latency_stats(&self) -> Option<Value> {
        let latency = self.agg("latency")?;
        Some(json!({
            "p": {"percentiles": {"field": latency, "percents": [50.0, 90.0, 99.0], "keyed": false}},
            "mx": {"max": {"field": latency}},
            "n": {"value_count": {"field": latency}}
        }))
    }

    /// A field holds a value (not a placeholder).
    fn has(&self, name: &str) -> Option<Value> {
        let each: Vec<Value> = self.fields.all_of(name).into_iter().filter_map(|r| self.has_one(name, r)).collect();
        match each.len() {
            0 => None,
            1 => each.into_iter().next(),
            _ => Some(derive::or(each)),
        }
    }

    /// One alternative of a field holds a value (not a placeholder).
    fn has_one(&self, name: &str, r: &Resolved) -> Option<Value> {
        let source = r.source_path()?;
        let unset = self.fields.unset_terms_for(name, r);
        Some(match (unset.is_empty(), self.fields.filter_path(r)) {
            (false, Some(at)) => derive::and(vec![derive::exists(source), derive::not(json!({"terms": {at: unset}}))]),
            _ => derive::exists(source),
        })
    }

    /// Per alternative of a field, the filter that it is the one read: it holds a value and no
    /// earlier alternative does ("the first present wins", as the reader decides per record).
    fn first_present(&self, name: &str) -> Vec<(&Resolved, Value)> {
        let mut earlier: Vec<Value> = Vec::new();
        let mut out = Vec::new();
        for r in self.fields.all_of(name) {
            let Some(has) = self.has_one(name, r) else { continue };
            let mut all = vec![has.clone()];
            all.extend(earlier.iter().cloned().map(derive::not));
            out.push((r, if all.len() == 1 { has.clone() } else { derive::and(all) }));
            earlier.push(has);
        }
        out
    }

    /// The `stream` filters: not streamed, streamed (by the field's type or the preset's map),
    /// each read from the first alternative present.
    fn stream_filters(&self) -> Option<(Value, Value)> {
        let alts = self.first_present("stream");
        if alts.is_empty() {
            return None;
        }
        let (mut off, mut on) = (Vec::new(), Vec::new());
        for (r, guard) in &alts {
            let Some(at) = r.agg_path().or(r.source_path()) else { continue };
            let (f, t) = self.stream_values(at, r.is_boolean());
            if alts.len() == 1 {
                off.push(f);
                on.push(t);
            } else {
                off.push(derive::and(vec![guard.clone(), f]));
                on.push(derive::and(vec![guard.clone(), t]));
            }
        }
        let one = |mut v: Vec<Value>| if v.len() == 1 { v.remove(0) } else { derive::or(v) };
        Some((one(off), one(on)))
    }

    fn stream_values(&self, stream: &str, boolean: bool) -> (Value, Value) {
        let map = &self.fields.stream_map;
        if !map.is_empty() {
            let keys = |flag: bool| map.iter().filter(|(_, v)| *v == flag).map(|(k, _)| k.clone()).collect::<Vec<_>>();
            return (json!({"terms": {stream: keys(false)}}), json!({"terms": {stream: keys(true)}}));
        }
        if boolean {
            (json!({"term": {stream: false}}), json!({"term": {stream: true}}))
        } else {
            (
                json!({"terms": {stream: ["false", "False", "FALSE", "0"]}}),
                json!({"terms": {stream: ["true", "True", "TRUE", "1"]}}),
            )
        }
    }

    /// Long requests: payload tokens above the limit, or, without a token count, payload bytes
    /// above the limit × bytes per token. Also returns the filter of the ones found by bytes.
    fn long_filter(&self) -> Option<(Value, Option<Value>)> {
        let tokens = self.agg("payload_tokens").filter(|_| self.fields.get("payload_tokens").is_some_and(is_number));
        let bytes = self.agg("payload_bytes").filter(|_| self.fields.get("payload_bytes").is_some_and(is_number));
        let by_tokens = tokens.map(|t| json!({"range": {t: {"gt": self.token_limit}}}));
        let by_bytes = bytes.filter(|_| self.bytes_per_token > 0.0).map(|b| {
            let no_tokens = match (tokens, self.fields.get("payload_tokens").and_then(Resolved::source_path)) {
                (Some(t), Some(src)) => {
                    let unset = self.fields.unset_terms("payload_tokens");
                    let mut none = vec![derive::not(derive::exists(src))];
                    if !unset.is_empty() {
                        none.push(json!({"terms": {t: unset}}));
                    }
                    derive::or(none)
                }
                _ => derive::match_all(),
            };
            let mark = (self.token_limit as f64 * self.bytes_per_token).floor();
            derive::and(vec![no_tokens, json!({"range": {b: {"gt": mark}}})])
        });
        match (by_tokens, by_bytes) {
            (Some(t), None) => Some((t, None)),
            (None, Some(b)) => Some((b.clone(), Some(b))),
            (Some(t), Some(b)) => Some((derive::or(vec![t, b.clone()]), Some(b))),
            (None, None) => None,
        }
    }

    /// The summary search: every aggregate fact.
    pub fn summary_body(&self) -> Value {
        let mut aggs = Map::new();
        aggs.extend(self.st("by_status", None));
        aggs.insert("first".into(), json!({"min": {"field": self.time()}}));
        aggs.insert("last".into(), json!({"max": {"field": self.time()}}));

        let mut minute_aggs = Map::new();
        if let Some(c) = self.agg("concurrency") {
            minute_aggs.insert("conc".into(), json!({"max": {"field": c}}));
        }
        if let Some(t) = self.agg("payload_tokens") {
            minute_aggs.insert("tin".into(), json!({"sum": {"field": t}}));
        }
        if let Some(t) = self.agg("output_tokens") {
            minute_aggs.insert("tout".into(), json!({"sum": {"field": t}}));
        }
        match self.bucket_minutes {
            Some(width) => {
                let histogram =
                    json!({"field": self.time(), "fixed_interval": format!("{width}m"), "min_doc_count": 1});
                aggs.insert("minutes".into(), json!({"date_histogram": histogram, "aggs": Value::Object(minute_aggs)}));
                // The failures per bucket and status: a series of its own over the failing
                // records, so a bucket without failures costs nothing here (most of a long
                // window's buckets).
                aggs.insert(
                    "fail_minutes".into(),
                    json!({"filter": self.fail_filter(),
                           "aggs": {"m": {"date_histogram": histogram, "aggs": Value::Object(self.st("st", None))}}}),
                );
            }
            None => {
                // No start: the cluster alone knows the span. `auto_date_histogram` picks the
                // width (at most MAX_BUCKETS buckets, never finer than a minute) and writes it in
                // `interval`; its buckets include the empty ones between the first and the last.
                // A series of failures of its own would pick its width from the failures' span,
                // so the failures are counted inside each bucket.
                minute_aggs.insert(
                    "fail".into(),
                    json!({"filter": self.fail_filter(), "aggs": Value::Object(self.st("st", None))}),
                );
                let histogram = json!({"field": self.time(), "buckets": MAX_BUCKETS, "minimum_interval": "minute"});
                aggs.insert(
                    "minutes".into(),
                    json!({"auto_date_histogram": histogram, "aggs": Value::Object(minute_aggs)}),
                );
            }
        }

        // Presence of every field some index maps: `exists` on the source path (not a placeholder).
        let mut presence = Map::new();
        for (name, resolved) in &self.fields.fields {
            if *name == "status" {
                continue;
            }
            if resolved.source_path().is_some() {
                if let Some(has) = self.has(name) {
                    presence.insert((*name).to_string(), has);
                }
            }
        }
        presence.insert("status".into(), self.status.any.clone());
        aggs.insert("presence".into(), json!({"filters": {"filters": Value::Object(presence)}}));

        for (name, logical, size) in [
            ("by_forwarder_tag", "forwarder_tag", TOP_N * 2),
            ("by_region", "region", TOP_N * 2),
            ("by_environment", "environment", TOP_N * 2),
            ("by_key_hash", "key_hash", TOP_N * 2),
            ("by_model", "model", TOP_N * 2),
            ("by_error_type", "error_type", TOP_N * 2),
            ("by_error_message", "error_message", MESSAGE_TERMS),
        ] {
            if let Some(b) = self.breakdown(logical, size) {
                aggs.insert(name.into(), b);
            }
        }

        // Who answered, and the tags of the records no hop rule placed.
        aggs.insert(
            "by_hop".into(),
            json!({"filters": {"filters": self.hop.filters()}, "aggs": Value::Object(self.st("st", None))}),
        );
        let no_hop = derive::not(self.hop.any.clone());
        match self.breakdown_in("forwarder_tag", TOP_N * 2, no_hop.clone()) {
            Some(b) => aggs.insert("fwd_nohop".into(), b),
            None => {
                aggs.insert("fwd_nohop".into(), json!({"filter": no_hop, "aggs": Value::Object(self.st("st", None))}))
            }
        };
        if !self.status.in_band.is_empty() {
            let filters: Map<String, Value> =
                self.status.in_band.iter().map(|(s, f)| (s.to_string(), f.clone())).collect();
            aggs.insert("in_band".into(), json!({"filters": {"filters": filters}}));
        }

        // Dynamic mapping's keyword sub-field skips values longer than its ignore_above (256):
        // count the messages the cluster holds as text only, so the report can say so.
        if let Some(Resolved::Ready { path, via_keyword: true, .. }) = self.fields.get("error_message") {
            if let Some(text) = path.strip_suffix(".keyword") {
                aggs.insert(
                    "msg_unkeyed".into(),
                    json!({"filter": {"bool": {"filter": [{"exists": {"field": text}}],
                                               "must_not": [{"exists": {"field": path}}]}}}),
                );
            }
        }

        if let Some(stats) = self.latency_stats() {
            aggs.extend(self.st("latency_by_status", Some(&stats)));
            if let Some(region) = self.agg("region") {
                aggs.insert(
                    "latency_by_region".into(),
                    json!({"terms": {"field": region, "size": REGION_TERMS}, "aggs": stats}),
                );
            }
        }

        if let Some(key) = self.agg("key_hash") {
            let time = self.time();
            let span = json!({"mn": {"min": {"field": time}}, "mx": {"max": {"field": time}}});
            let mut keys = self.ranked_terms(key, KEY_TOP_N * 2, "key_hash");
            if let Some(sub) = keys.get_mut("aggs").and_then(Value::as_object_mut) {
                sub.insert("ok".into(), json!({"filter": self.ok_filter(), "aggs": span.clone()}));
                sub.insert("ko".into(), json!({"filter": self.fail_filter(), "aggs": span.clone()}));
                // Per status, its first and last time (a revoked key: nothing but 401s after its
                // last success).
                // (The ranked terms' own per-status counts, now each with its time span.)
                sub.extend(self.st("st", Some(&span)));
            }
            aggs.insert("keys".into(), keys);
            if let Some(env) = self.agg("environment") {
                let mut envs = self.ranked_terms(env, ENV_TOP_N * 2, "environment");
                if let Some(sub) = envs.get_mut("aggs").and_then(Value::as_object_mut) {
                    sub.insert("ks".into(), self.ranked_terms(key, ENV_KEYS_TOP_N * 2, "key_hash"));
                }
                // Environments are ranked over the records that carry a key hash.
                aggs.insert("environments".into(), json!({"filter": {"exists": {"field": key}}, "aggs": {"e": envs}}));
            }
        }

        if self.hop.network != derive::match_none() {
            let mut sub = self.st("st", None);
            if let Some(b) = self.breakdown("region", TOP_N * 2) {
                sub.insert("reg".into(), b);
            }
            if let Some(b) = self.breakdown("forwarder_tag", TOP_N * 2) {
                sub.insert("fwd".into(), b);
            }
            if let Some(err) = self.agg("network_error") {
                let mut t = json!({"field": err, "size": NETWORK_ERROR_TERMS});
                let unset = self.fields.unset_terms("network_error");
                if !unset.is_empty() {
                    t["exclude"] = json!(unset);
                }
                sub.insert("err".into(), json!({"terms": t}));
            }
            // Two rules can give the same text (a class in two tables): one bucket, either filter.
            let mut fixed: std::collections::BTreeMap<String, Vec<Value>> = std::collections::BTreeMap::new();
            let mut n = 0;
            for label in &self.hop.labels {
                match label {
                    NetLabel::Fixed(text, f) => {
                        fixed.entry(text.clone()).or_default().push(f.clone());
                    }
                    NetLabel::Terms(field, f) => {
                        sub.insert(
                            format!("errt{n}"),
                            json!({"filter": f, "aggs": {"t": {"terms": {"field": field, "size": NETWORK_ERROR_TERMS}}}}),
                        );
                        n += 1;
                    }
                }
            }
            if !fixed.is_empty() {
                let fixed: Map<String, Value> = fixed.into_iter().map(|(k, fs)| (k, derive::or(fs))).collect();
                sub.insert("errh".into(), json!({"filters": {"filters": fixed}}));
            }
            aggs.insert("network".into(), json!({"filter": self.hop.network, "aggs": Value::Object(sub)}));
        }

        if let Some((long, by_bytes)) = self.long_filter() {
            let mut long_aggs = Map::new();
            if let Some((off, on)) = self.stream_filters() {
                let mut ns_aggs = self.st("st", None);
                if let Some(b) = self.breakdown("forwarder_tag", TOP_N * 2) {
                    ns_aggs.insert("fwd".into(), b);
                }
                let unknown = self.has("stream").map_or_else(derive::match_all, derive::not);
                long_aggs.insert("ns".into(), json!({"filter": off, "aggs": Value::Object(ns_aggs)}));
                long_aggs.insert("s".into(), json!({"filter": on, "aggs": Value::Object(self.st("st", None))}));
                long_aggs.insert("u".into(), json!({"filter": unknown, "aggs": Value::Object(self.st("st", None))}));
            } else {
                long_aggs.insert(
                    "u".into(),
                    json!({"filter": {"match_all": {}}, "aggs": Value::Object(self.st("st", None))}),
                );
            }
            if let Some(b) = by_bytes {
                long_aggs.insert("est".into(), json!({"filter": b, "aggs": Value::Object(self.st("st", None))}));
            }
            aggs.insert("long".into(), json!({"filter": long, "aggs": Value::Object(long_aggs)}));
        }
        if let Some(tokens) = self.agg("payload_tokens") {
            aggs.insert("tin".into(), json!({"sum": {"field": tokens}}));
        }
        if let Some(t) = self.agg("output_tokens") {
            aggs.insert("tout".into(), json!({"sum": {"field": t}}));
        }

        json!({
            "size": 0,
            "track_total_hits": true,
            "timeout": format!("{}ms", self.server_timeout_ms),
            "query": {"bool": {"filter": self.base_filters()}},
            "aggs": Value::Object(aggs)
        })
    }

    /// The `_source` paths a sample needs: every path the preset reads (an array step or JSON
    /// held in a string: the whole value above it), so the sample is read as a file's record is.
    pub fn sample_source(&self) -> Vec<String> {
        // The fields a sample shows or is told apart by (`logs::local::sample_of`): not those
        // only the summary counts (a path one of them shares with a shown field or a rule is
        // still asked for).
        let unused = crate::logs::local::NOT_IN_SAMPLES;
        let compiled = &self.fields.compiled;
        let mut needed: BTreeSet<&str> = BTreeSet::new();
        let mut only_unused: BTreeSet<&str> = BTreeSet::new();
        for &f in Field::ALL.iter() {
            let alts = compiled.field(f).alts.iter().map(|a| a.path.as_str());
            if unused.contains(&f) {
                only_unused.extend(alts);
            } else {
                needed.extend(alts);
            }
        }
        let rules = compiled.status.iter().flat_map(|r| &r.paths);
        let rules = rules.chain(compiled.in_band.iter().flat_map(|r| &r.paths));
        needed.extend(rules.chain(compiled.hop.iter().flat_map(|r| &r.paths)).map(|(_, p)| p.as_str()));
        let skip = |p: &str| only_unused.contains(p) && !needed.contains(p);
        let mut paths: Vec<String> = self
            .fields
            .fields
            .iter()
            .filter(|(name, _)| !unused.iter().any(|f| f.name() == **name))
            .filter_map(|(_, r)| r.source_path())
            .map(str::to_string)
            .collect();
        for p in compiled.slot_paths.iter().filter(|p| !skip(p)) {
            let cut = p.find(".@json").or_else(|| p.find('[')).unwrap_or(p.len());
            paths.push(p.get(..cut).unwrap_or(p).to_string());
        }
        paths.sort();
        paths.dedup();
        paths
    }

    fn top_hits(&self) -> Value {
        let mut sort = vec![json!({self.time(): {"order": "asc"}})];
        if let Some(rid) = self.agg("request_id") {
            sort.push(json!({rid: {"order": "asc", "missing": "_first"}}));
        }
        json!({"top_hits": {"size": SAMPLES_PER_GROUP, "sort": sort, "_source": {"includes": self.sample_source()}}})
    }

    /// The samples search: per failing status, the earliest records of each message group and
    /// of the largest key-hash groups.
    pub fn samples_body(&self) -> Value {
        let mut per_status = Map::new();
        // The same `top_hits` under every grouping (its `_source` list is worked out once).
        let th = self.top_hits();
        if let Some(msg) = self.agg("error_message") {
            let (n, first) = (SAMPLE_MESSAGE_TERMS, SAMPLE_EARLIEST_TERMS);
            per_status.insert(
                "by_msg".into(),
                json!({"terms": {"field": msg, "size": n, "shard_size": n * 5 + 10, "min_doc_count": 2,
                                 "order": [{"_count": "desc"}, {"_key": "asc"}]},
                       "aggs": {"th": th.clone()}}),
            );
            // Ordered by the earliest record: a `min` ascending is exact across shards.
            per_status.insert(
                "msg_first".into(),
                json!({"terms": {"field": msg, "size": first, "shard_size": first * 5 + 10,
                                 "order": [{"t0": "asc"}, {"_key": "asc"}]},
                       "aggs": {"t0": {"min": {"field": self.time()}}, "th": th.clone()}}),
            );
        }
        if let Some(msg) = self.agg("error_message") {
            per_status.insert("nomsg".into(), json!({"missing": {"field": msg}, "aggs": {"th": th.clone()}}));
        } else {
            // No message field at all: every failure is in the "" group.
            per_status.insert("nomsg".into(), json!({"filter": {"match_all": {}}, "aggs": {"th": th.clone()}}));
        }
        if let Some(key) = self.agg("key_hash") {
            let size = SAMPLE_GROUPS_PER_STATUS * 2;
            // Never name a sub-aggregation "key": it would shadow the bucket's own key.
            per_status.insert(
                "by_key".into(),
                json!({"terms": {"field": key, "size": size, "shard_size": size * 5 + 10,
                                 "order": [{"_count": "desc"}, {"_key": "asc"}]},
                       "aggs": {"th": th.clone()}}),
            );
        }
        let mut filters = self.base_filters();
        filters.push(self.fail_filter());
        json!({
            "size": 0,
            "track_total_hits": false,
            "timeout": format!("{}ms", self.server_timeout_ms),
            "query": {"bool": {"filter": filters}},
            "aggs": Value::Object(self.st("by_status", Some(&Value::Object(per_status))))
        })
    }

    /// The `_msearch` NDJSON: header and body per search, each line ending in `\n`.
    pub fn msearch(&self, index: &str) -> String {
        let header = json!({"index": index});
        let mut out = String::new();
        for body in [self.summary_body(), self.samples_body()] {
            out.push_str(&header.to_string());
            out.push('\n');
            out.push_str(&body.to_string());
            out.push('\n');
        }
        out
    }
}

fn is_number(r: &Resolved) -> bool {
    matches!(r, Resolved::Ready { family, .. } if super::fields::is_numeric_family(family))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::es::fields::{resolve, FieldCaps};
    use crate::logs::record::SchemaChoice;

    fn map() -> FieldMap {
        let caps = FieldCaps::from_field_caps(&json!({"indices": ["x"], "fields": {
            "@timestamp": {"date": {"aggregatable": true}},
            "status_code": {"long": {"aggregatable": true}},
            "latency_ms": {"float": {"aggregatable": true}},
            "model": {"text": {"aggregatable": false}}, "model.keyword": {"keyword": {"aggregatable": true}},
            "stream": {"boolean": {"aggregatable": true}},
            "payload_token_count": {"long": {"aggregatable": true}}}}));
        resolve(&caps, crate::knowledge::presets::builtin(), &SchemaChoice::Auto, &[]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn summary_is_size_zero_filter_context_absolute_bounds_fixed_interval() {
        let fields = map();
        let from = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        let to = DateTime::parse_from_rfc3339("2026-11-20T13:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        let plan = Plan::new(&fields, (from, to), 24000, 6000, 4.0, &[429, 500, 529]);
        let body = plan.summary_body();
        assert_eq!(body["size"], 0);
        assert_eq!(body["timeout"], "24000ms");
        assert_eq!(body["query"]["bool"]["filter"][0]["range"]["@timestamp"]["gte"], "2026-11-20T10:00:00.000Z");
        assert!(body["query"]["bool"].get("must").is_none());
        assert_eq!(body["aggs"]["minutes"]["date_histogram"]["fixed_interval"], "1m");
        assert!(body["aggs"]["minutes"]["date_histogram"].get("interval").is_none());
        assert_eq!(body["aggs"]["latency_by_status"]["aggs"]["p"]["percentiles"]["keyed"], false);
        assert_eq!(body["aggs"]["by_model"]["aggs"]["top"]["terms"]["field"], "model.keyword");
        assert_eq!(body["aggs"]["long"]["aggs"]["ns"]["filter"]["term"]["stream"], false);
        assert_eq!(body["aggs"]["fail_minutes"]["aggs"]["m"]["date_histogram"]["fixed_interval"], "1m");
        let text = plan.msearch("logs-*");
        assert!(text.ends_with('\n') && text.lines().count() == 4, "{text}");
        assert!(!text.contains("now"), "relative times defeat the request cache");
    }

    #[test]
    fn a_window_without_a_start_lets_the_cluster_choose_the_width() {
        let fields = map();
        let to = DateTime::parse_from_rfc3339("2026-11-20T13:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        for window in [(None, None), (None, to)] {
            let plan = Plan::new(&fields, window, 24000, 6000, 4.0, &[429, 500, 529]);
            assert_eq!(plan.bucket_minutes, None);
            let body = plan.summary_body();
            let auto = &body["aggs"]["minutes"]["auto_date_histogram"];
            assert_eq!(auto["buckets"], 1440, "{body}");
            assert_eq!(auto["minimum_interval"], "minute", "never seconds");
            assert!(body["aggs"]["minutes"].get("date_histogram").is_none());
            // The failures inside each bucket: a series of their own would choose its own width.
            assert!(body["aggs"]["minutes"]["aggs"]["fail"]["filter"].is_object(), "{body}");
            assert!(body["aggs"].get("fail_minutes").is_none());
        }
    }

    /// The answer's shape as Elasticsearch writes it (`InternalAutoDateHistogram`: `buckets`
    /// with the empty ones between the first and the last, then `interval`).
    #[test]
    fn the_width_the_cluster_chose_is_the_summary_s_and_its_empty_buckets_are_dropped() {
        let fields = map();
        let plan = Plan::new(&fields, (None, None), 24000, 6000, 4.0, &[429, 500, 529]);
        assert!(plan.status.simple.is_some(), "a plain status: failures under `st`");
        let resp = json!({"aggregations": {"minutes": {"buckets": [
            {"key_as_string": "2026-10-01T06:00:00.000Z", "key": 1_790_834_400_000_i64, "doc_count": 4,
             "fail": {"doc_count": 3, "st": {"buckets": [{"key": 429, "doc_count": 2}, {"key": 503, "doc_count": 1}]}}},
            {"key_as_string": "2026-10-01T09:00:00.000Z", "key": 1_790_845_200_000_i64, "doc_count": 0,
             "fail": {"doc_count": 0, "st": {"buckets": []}}},
            {"key_as_string": "2026-10-01T12:00:00.000Z", "key": 1_790_856_000_000_i64, "doc_count": 1,
             "fail": {"doc_count": 0, "st": {"buckets": []}}}],
            "interval": "3h"}}});
        let summary = crate::logs::es::gather::summary_from(&plan, &resp, 0);
        assert_eq!(summary.bucket_minutes, 180);
        let got: Vec<_> =
            summary.minutes.iter().map(|m| (m.start.timestamp(), m.requests, m.failures.clone())).collect();
        let failures: crate::diagnose::summary::StatusCounts = [(429, 2), (503, 1)].into_iter().collect();
        assert_eq!(got, vec![(1_790_834_400, 4, failures), (1_790_856_000, 1, Default::default())]);
    }

    #[test]
    fn a_month_is_asked_in_half_hours() {
        let fields = map();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).ok();
        let plan = Plan::new(
            &fields,
            (at("2026-10-19T11:00:00Z"), at("2026-11-18T11:00:00Z")),
            24000,
            6000,
            4.0,
            &[429, 500, 529],
        );
        assert_eq!(plan.bucket_minutes, Some(30));
        let body = plan.summary_body();
        assert_eq!(body["aggs"]["minutes"]["date_histogram"]["fixed_interval"], "30m");
        assert!(body["aggs"]["minutes"]["aggs"].get("fail").is_none(), "failures are a series of their own");
    }
}
