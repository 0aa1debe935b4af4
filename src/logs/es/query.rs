//! The request bodies: every fact of the `Summary` as aggregations (es.md §6, §11). Two searches
//! sent together as one `_msearch` — the summary (`size: 0`) and the failing samples (`size: 0`,
//! `top_hits` per group) — in filter context, with absolute time bounds (cacheable by the shard
//! request cache) and a shard-level `timeout` below the client's own. `fixed_interval` always;
//! percentiles with `keyed: false`. Top-N terms ask for twice N and are re-ranked client-side with
//! the Summary's tie rules; `other` counts are computed by subtraction, so they stay exact.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::fields::{FieldMap, Resolved};
use crate::diagnose::summary::{
    ENV_KEYS_TOP_N, ENV_TOP_N, KEY_TOP_N, SAMPLES_PER_GROUP, SAMPLE_GROUPS_PER_STATUS, TOP_N,
};

/// Distinct status codes asked for (there are far fewer in practice).
pub const STATUS_TERMS: usize = 100;
/// Distinct raw error messages fetched so that client-side normalisation can merge them (raw
/// messages carrying request ids are all distinct; past this, the long tail lands in `other`).
pub const MESSAGE_TERMS: usize = 2000;
/// The same for the samples search, where each message bucket carries `top_hits`.
pub const SAMPLE_MESSAGE_TERMS: usize = 500;
/// Distinct network errors.
pub const NETWORK_ERROR_TERMS: usize = 50;
/// Regions and other small dimensions for per-region latency.
pub const REGION_TERMS: usize = 100;

/// What is asked: the fields, the window, the budget.
pub struct Plan<'a> {
    pub fields: &'a FieldMap,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Shard-level budget sent as `timeout` (e.g. "24000ms").
    pub server_timeout_ms: u64,
    /// `streaming.non_streaming_token_limit`.
    pub token_limit: u64,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Plan<'_> {
    fn agg(&self, name: &str) -> Option<&str> {
        self.fields.agg(name)
    }

    fn status(&self) -> &str {
        self.agg("status").unwrap_or("status_code")
    }

    fn time(&self) -> &str {
        self.agg("timestamp").unwrap_or("@timestamp")
    }

    fn fail_filter(&self) -> Value {
        json!({"range": {self.status(): {"gte": 400}}})
    }

    fn ok_filter(&self) -> Value {
        json!({"range": {self.status(): {"lt": 400}}})
    }

    fn status_terms(&self) -> Value {
        json!({"terms": {"field": self.status(), "size": STATUS_TERMS}})
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
        filters.push(json!({"exists": {"field": self.status()}}));
        filters
    }

    /// `terms` ranked by failures, then requests, then value, each bucket with its statuses.
    fn ranked_terms(&self, field: &str, size: usize) -> Value {
        json!({
            "terms": {"field": field, "size": size, "shard_size": size * 5 + 10,
                      "order": [{"f": "desc"}, {"_count": "desc"}, {"_key": "asc"}]},
            "aggs": {"f": {"filter": self.fail_filter()}, "st": self.status_terms()}
        })
    }

    /// A Breakdown: `top` (ranked terms) and `miss` (records without the field), by status.
    fn breakdown(&self, logical: &str, size: usize) -> Option<Value> {
        let field = self.agg(logical)?;
        // `missing` is an aggregation: it needs the aggregatable path (the keyword sub-field).
        Some(json!({
            "filter": {"match_all": {}},
            "aggs": {
                "top": self.ranked_terms(field, size),
                "miss": {"missing": {"field": field}, "aggs": {"st": self.status_terms()}}
            }
        }))
    }

    fn latency_stats(&self) -> Option<Value> {
        let latency = self.agg("latency")?;
        Some(json!({
            "p": {"percentiles": {"field": latency, "percents": [50.0, 90.0, 99.0], "keyed": false}},
            "mx": {"max": {"field": latency}},
            "n": {"value_count": {"field": latency}}
        }))
    }

    /// The summary search: every aggregate fact.
    pub fn summary_body(&self) -> Value {
        let mut aggs = Map::new();
        aggs.insert("by_status".into(), self.status_terms());
        aggs.insert("first".into(), json!({"min": {"field": self.time()}}));
        aggs.insert("last".into(), json!({"max": {"field": self.time()}}));

        let mut minute_aggs = Map::new();
        minute_aggs.insert("fail".into(), json!({"filter": self.fail_filter(), "aggs": {"st": self.status_terms()}}));
        if let Some(c) = self.agg("concurrency") {
            minute_aggs.insert("conc".into(), json!({"max": {"field": c}}));
        }
        if let Some(t) = self.agg("payload_tokens") {
            minute_aggs.insert("tin".into(), json!({"sum": {"field": t}}));
        }
        if let Some(t) = self.agg("output_tokens") {
            minute_aggs.insert("tout".into(), json!({"sum": {"field": t}}));
        }
        aggs.insert(
            "minutes".into(),
            json!({"date_histogram": {"field": self.time(), "fixed_interval": "1m", "min_doc_count": 1},
                   "aggs": Value::Object(minute_aggs)}),
        );

        // Presence of every field some index maps: `exists` on the source path.
        let mut presence = Map::new();
        for (name, resolved) in &self.fields.fields {
            if let Some(path) = resolved.source_path() {
                presence.insert((*name).to_string(), json!({"exists": {"field": path}}));
            }
        }
        if !presence.is_empty() {
            aggs.insert("presence".into(), json!({"filters": {"filters": Value::Object(presence)}}));
        }

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
            aggs.insert(
                "latency_by_status".into(),
                json!({"terms": {"field": self.status(), "size": STATUS_TERMS}, "aggs": stats.clone()}),
            );
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
            let mut keys = self.ranked_terms(key, KEY_TOP_N * 2);
            if let Some(sub) = keys.get_mut("aggs").and_then(Value::as_object_mut) {
                sub.insert("ok".into(), json!({"filter": self.ok_filter(), "aggs": span.clone()}));
                sub.insert("ko".into(), json!({"filter": self.fail_filter(), "aggs": span.clone()}));
                // Per status, its first and last time (a revoked key: nothing but 401s after its
                // last success).
                sub.insert("st".into(), json!({"terms": {"field": self.status(), "size": STATUS_TERMS}, "aggs": span}));
            }
            aggs.insert("keys".into(), keys);
            if let Some(env) = self.agg("environment") {
                let mut envs = self.ranked_terms(env, ENV_TOP_N * 2);
                if let Some(sub) = envs.get_mut("aggs").and_then(Value::as_object_mut) {
                    sub.insert("ks".into(), self.ranked_terms(key, ENV_KEYS_TOP_N * 2));
                }
                // Environments are ranked over the records that carry a key hash.
                aggs.insert("environments".into(), json!({"filter": {"exists": {"field": key}}, "aggs": {"e": envs}}));
            }
        }

        if let Some(net) = self.fields.get("network_error").and_then(Resolved::source_path) {
            let mut sub = Map::new();
            sub.insert("st".into(), self.status_terms());
            if let Some(b) = self.breakdown("region", TOP_N * 2) {
                sub.insert("reg".into(), b);
            }
            if let Some(b) = self.breakdown("forwarder_tag", TOP_N * 2) {
                sub.insert("fwd".into(), b);
            }
            if let Some(err) = self.agg("network_error") {
                sub.insert("err".into(), json!({"terms": {"field": err, "size": NETWORK_ERROR_TERMS}}));
            }
            aggs.insert("network".into(), json!({"filter": {"exists": {"field": net}}, "aggs": Value::Object(sub)}));
        }

        if let Some(tokens) = self.agg("payload_tokens") {
            let stream_source = self.fields.get("stream").and_then(Resolved::source_path);
            let stream_field = self.agg("stream").or(stream_source);
            if let Some(stream) = stream_field {
                let boolean = self.fields.get("stream").is_some_and(Resolved::is_boolean);
                let value = |v: bool| if boolean { json!(v) } else { json!(v.to_string()) };
                let mut ns_aggs = Map::new();
                ns_aggs.insert("st".into(), self.status_terms());
                if let Some(b) = self.breakdown("forwarder_tag", TOP_N * 2) {
                    ns_aggs.insert("fwd".into(), b);
                }
                aggs.insert(
                    "long".into(),
                    json!({"filter": {"range": {tokens: {"gt": self.token_limit}}}, "aggs": {
                        "ns": {"filter": {"term": {stream: value(false)}}, "aggs": Value::Object(ns_aggs)},
                        "s": {"filter": {"term": {stream: value(true)}}, "aggs": {"st": self.status_terms()}},
                        "u": {"filter": {"bool": {"must_not": [{"exists": {"field": stream_source.unwrap_or(stream)}}]}},
                              "aggs": {"st": self.status_terms()}}
                    }}),
                );
            } else {
                aggs.insert(
                    "long".into(),
                    json!({"filter": {"range": {tokens: {"gt": self.token_limit}}}, "aggs": {
                        "u": {"filter": {"match_all": {}}, "aggs": {"st": self.status_terms()}}
                    }}),
                );
            }
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

    /// The `_source` paths a sample needs.
    pub fn sample_source(&self) -> Vec<String> {
        let mut paths: Vec<String> =
            self.fields.fields.values().filter_map(Resolved::source_path).map(str::to_string).collect();
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
        if let Some(msg) = self.agg("error_message") {
            per_status.insert(
                "by_msg".into(),
                json!({"terms": {"field": msg, "size": SAMPLE_MESSAGE_TERMS}, "aggs": {"th": self.top_hits()}}),
            );
        }
        if let Some(msg) = self.agg("error_message") {
            per_status.insert("nomsg".into(), json!({"missing": {"field": msg}, "aggs": {"th": self.top_hits()}}));
        } else {
            // No message field at all: every failure is in the "" group.
            per_status.insert("nomsg".into(), json!({"filter": {"match_all": {}}, "aggs": {"th": self.top_hits()}}));
        }
        if let Some(key) = self.agg("key_hash") {
            let size = SAMPLE_GROUPS_PER_STATUS * 2;
            // Never name a sub-aggregation "key": it would shadow the bucket's own key.
            per_status.insert(
                "by_key".into(),
                json!({"terms": {"field": key, "size": size, "shard_size": size * 5 + 10,
                                 "order": [{"_count": "desc"}, {"_key": "asc"}]},
                       "aggs": {"th": self.top_hits()}}),
            );
        }
        let mut filters = self.base_filters();
        filters.push(self.fail_filter());
        json!({
            "size": 0,
            "track_total_hits": false,
            "timeout": format!("{}ms", self.server_timeout_ms),
            "query": {"bool": {"filter": filters}},
            "aggs": {"by_status": {"terms": {"field": self.status(), "size": STATUS_TERMS},
                                   "aggs": Value::Object(per_status)}}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::es::fields::{resolve, FieldCaps};
    use crate::logs::record::SchemaChoice;
    use std::collections::BTreeMap;

    fn map() -> FieldMap {
        let caps = FieldCaps::from_field_caps(&json!({"indices": ["x"], "fields": {
            "@timestamp": {"date": {"aggregatable": true}},
            "status_code": {"long": {"aggregatable": true}},
            "latency_ms": {"float": {"aggregatable": true}},
            "model": {"text": {"aggregatable": false}}, "model.keyword": {"keyword": {"aggregatable": true}},
            "stream": {"boolean": {"aggregatable": true}},
            "payload_token_count": {"long": {"aggregatable": true}}}}));
        resolve(&caps, SchemaChoice::Auto, &BTreeMap::new())
    }

    #[test]
    fn summary_is_size_zero_filter_context_absolute_bounds_fixed_interval() {
        let fields = map();
        let from = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        let plan = Plan { fields: &fields, from, to: None, server_timeout_ms: 24000, token_limit: 6000 };
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
        let text = plan.msearch("logs-*");
        assert!(text.ends_with('\n') && text.lines().count() == 4, "{text}");
        assert!(!text.contains("now"), "relative times defeat the request cache");
    }
}
