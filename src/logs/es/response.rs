//! Reading search responses leniently (es.md §3, §6, §12.3): `hits.total` as an int, an object or
//! absent; aggregation values nullable (and `NaN` strings from old versions); percentiles as the
//! `keyed:false` array or the keyed object; `filters` buckets as an object or an array; bucket
//! keys as numbers or strings. Partial results (`timed_out`, failed shards) become loud warnings.

use serde_json::Value;

use crate::diagnose::model::{Partial, ShardFailure, PARTIAL_FAILURES_KEPT};
use crate::redact::mask_keys_in_text;

/// `(type, reason)` of the first root cause, else of the error itself.
pub fn error_parts(body: &serde_json::Value) -> Option<(String, String)> {
    let error = body.get("error")?;
    if let Some(text) = error.as_str() {
        return Some((String::new(), text.to_string()));
    }
    let cause = error
        .get("root_cause")
        .and_then(|r| r.as_array())
        .and_then(|r| r.first())
        .filter(|c| c.get("type").is_some())
        .unwrap_or(error);
    let mut kind = cause.get("type").and_then(|t| t.as_str()).unwrap_or_default().to_string();
    let mut reason = cause.get("reason").and_then(|t| t.as_str()).unwrap_or_default().to_string();
    // search_phase_execution_exception ("all shards failed") hides the real cause in caused_by.
    if kind == "search_phase_execution_exception" || reason.is_empty() {
        if let Some(deeper) = error.get("caused_by") {
            if let Some(t) = deeper.get("type").and_then(|t| t.as_str()) {
                kind = t.to_string();
            }
            if let Some(r) = deeper.get("reason").and_then(|r| r.as_str()) {
                reason = r.to_string();
            }
        }
    }
    Some((kind, reason))
}

/// `hits.total`: `(value, exact)`. `None` when the server did not count (track_total_hits false).
pub fn hits_total(response: &Value) -> Option<(u64, bool)> {
    match response.get("hits")?.get("total")? {
        Value::Number(n) => n.as_u64().map(|v| (v, true)),
        Value::Object(o) => {
            let value = o.get("value")?.as_u64()?;
            let exact = o.get("relation").and_then(Value::as_str).map_or(true, |r| r == "eq");
            Some((value, exact))
        }
        _ => None,
    }
}

/// What a response says about its own completeness.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completeness {
    pub timed_out: bool,
    pub terminated_early: bool,
    pub shards_total: u64,
    pub shards_failed: u64,
    pub shards_skipped: u64,
    /// One per failure reported, key-shaped text in the reasons masked.
    pub failures: Vec<ShardFailure>,
}

impl Completeness {
    pub fn of(response: &Value) -> Completeness {
        let shards = response.get("_shards");
        let count = |key: &str| shards.and_then(|s| s.get(key)).and_then(Value::as_u64).unwrap_or(0);
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(|t| mask_keys_in_text(t).into_owned());
        let failures = shards
            .and_then(|s| s.get("failures"))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|f| {
                        let reason = f.get("reason");
                        ShardFailure {
                            index: text(f.get("index")),
                            shard: f.get("shard").and_then(Value::as_u64),
                            kind: text(reason.and_then(|r| r.get("type"))).unwrap_or_default(),
                            reason: text(reason.and_then(|r| r.get("reason"))).unwrap_or_default(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let total = count("total");
        let successful = count("successful");
        let skipped = count("skipped");
        // failed + successful < total means shards that were not even allocated (es.md §3).
        let failed = count("failed").max(total.saturating_sub(successful + skipped).min(total));
        Completeness {
            timed_out: response.get("timed_out").and_then(Value::as_bool).unwrap_or(false),
            terminated_early: response.get("terminated_early").and_then(Value::as_bool).unwrap_or(false),
            shards_total: total,
            shards_failed: failed,
            shards_skipped: skipped,
            failures,
        }
    }

    pub fn is_partial(&self) -> bool {
        self.timed_out || self.shards_failed > 0
    }

    /// What the diagnosis carries (`partial` in every format), when the answer was partial.
    pub fn partial(&self) -> Option<Partial> {
        self.is_partial().then(|| Partial {
            timed_out: self.timed_out,
            shards_total: self.shards_total,
            shards_failed: self.shards_failed,
            failures: self.failures.iter().take(PARTIAL_FAILURES_KEPT).cloned().collect(),
        })
    }

    /// Loud, specific warnings for stderr.
    pub fn warnings(&self, what: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.timed_out {
            out.push(format!(
                "PARTIAL RESULTS: {what} timed out on the cluster; the counts cover only the documents read before the \
                 time budget ran out"
            ));
        }
        if self.shards_failed > 0 {
            let mut line = format!(
                "PARTIAL RESULTS: {what}: {} of {} shards failed; their documents are missing from every count",
                self.shards_failed, self.shards_total
            );
            for f in self.failures.iter().take(3) {
                line.push_str("\n  ");
                line.push_str(&f.describe());
            }
            out.push(line);
        }
        out
    }

    pub fn merge(&mut self, other: &Completeness) {
        self.timed_out |= other.timed_out;
        self.terminated_early |= other.terminated_early;
        self.shards_total = self.shards_total.max(other.shards_total);
        self.shards_failed = self.shards_failed.max(other.shards_failed);
        self.shards_skipped = self.shards_skipped.max(other.shards_skipped);
        for f in &other.failures {
            if !self.failures.contains(f) {
                self.failures.push(f.clone());
            }
        }
    }
}

/// A metric value: `null`, a number, or (before ES 6.x PR #30460) the string "NaN".
pub fn metric_value(agg: Option<&Value>) -> Option<f64> {
    let value = agg?.get("value")?;
    match value {
        Value::Number(n) => n.as_f64().filter(|v| v.is_finite()),
        Value::String(s) => s.parse::<f64>().ok().filter(|v| v.is_finite()),
        _ => None,
    }
}

/// Percentiles as `(percent, value)`, from `keyed:false` (`[{key, value}]`) or the keyed object
/// (`{"99.0": v}`); null values are dropped.
pub fn percentiles(agg: Option<&Value>) -> Vec<(f64, f64)> {
    let Some(values) = agg.and_then(|a| a.get("values")) else { return Vec::new() };
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Value::String(s) => s.parse::<f64>().ok().filter(|x| x.is_finite()),
        _ => None,
    };
    let mut out: Vec<(f64, f64)> = match values {
        Value::Array(items) => {
            items.iter().filter_map(|item| Some((number(item.get("key")?)?, number(item.get("value")?)?))).collect()
        }
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !k.ends_with("_as_string"))
            .filter_map(|(k, v)| Some((k.parse::<f64>().ok()?, number(v)?)))
            .collect(),
        _ => Vec::new(),
    };
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// A bucket key as text: strings as they are, integers without `.0`, booleans as `true`/`false`
/// (a boolean terms key is 0/1 with `key_as_string`).
pub fn bucket_key(bucket: &Value) -> Option<String> {
    if let Some(s) = bucket.get("key_as_string").and_then(Value::as_str) {
        if bucket.get("key").is_some_and(Value::is_number) && (s == "true" || s == "false") {
            return Some(s.to_string());
        }
    }
    match bucket.get("key")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => n
                .as_f64()
                .map_or_else(|| n.to_string(), |f| if f.fract() == 0.0 { format!("{f:.0}") } else { f.to_string() }),
        }),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn doc_count(bucket: &Value) -> u64 {
    bucket.get("doc_count").and_then(Value::as_u64).unwrap_or(0)
}

/// The buckets of a terms/histogram aggregation (an array), or of a `filters` aggregation (an
/// object keyed by name, or an array in request order), as `(key, bucket)`.
pub fn buckets(agg: Option<&Value>) -> Vec<(String, &Value)> {
    match agg.and_then(|a| a.get("buckets")) {
        Some(Value::Array(items)) => {
            items.iter().enumerate().map(|(i, b)| (bucket_key(b).unwrap_or_else(|| i.to_string()), b)).collect()
        }
        Some(Value::Object(map)) => map.iter().map(|(k, b)| (k.clone(), b)).collect(),
        _ => Vec::new(),
    }
}

/// `sum_other_doc_count` of a terms aggregation: documents in buckets that were cut off.
pub fn other_doc_count(agg: Option<&Value>) -> u64 {
    agg.and_then(|a| a.get("sum_other_doc_count")).and_then(Value::as_u64).unwrap_or(0)
}

/// The `_source` of the hits of a `top_hits` aggregation or of a search response.
pub fn hit_sources(value: Option<&Value>) -> Vec<&Value> {
    value
        .and_then(|v| v.get("hits"))
        .and_then(|h| h.get("hits"))
        .and_then(Value::as_array)
        .map(|hits| hits.iter().filter_map(|h| h.get("_source")).collect())
        .unwrap_or_default()
}

/// One `_msearch` item: the search response, or its in-place error (`{"error":..., "status":N}`).
pub fn msearch_items(response: &Value) -> Vec<Result<&Value, (u16, String, String)>> {
    response
        .get("responses")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    if item.get("error").is_some() {
                        let status = item.get("status").and_then(Value::as_u64).unwrap_or(500) as u16;
                        let (kind, reason) = error_parts(item).unwrap_or_default();
                        Err((status, kind, reason))
                    } else {
                        Ok(item)
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hits_total_in_every_shape() {
        assert_eq!(hits_total(&json!({"hits": {"total": 42}})), Some((42, true)));
        assert_eq!(hits_total(&json!({"hits": {"total": {"value": 10000, "relation": "gte"}}})), Some((10000, false)));
        assert_eq!(hits_total(&json!({"hits": {"total": {"value": 7, "relation": "eq"}}})), Some((7, true)));
        assert_eq!(hits_total(&json!({"hits": {"hits": []}})), None);
        assert_eq!(hits_total(&json!({"hits": {"total": null}})), None);
    }

    #[test]
    fn null_and_nan_metrics_are_none() {
        assert_eq!(metric_value(Some(&json!({"value": null}))), None);
        assert_eq!(metric_value(Some(&json!({"value": "NaN"}))), None);
        assert_eq!(metric_value(Some(&json!({"value": 12.5, "value_as_string": "x"}))), Some(12.5));
        assert_eq!(metric_value(None), None);
    }

    #[test]
    fn percentiles_keyed_or_not() {
        let array = json!({"values": [{"key": 50.0, "value": 10.0}, {"key": 99.0, "value": null}]});
        assert_eq!(percentiles(Some(&array)), vec![(50.0, 10.0)]);
        let keyed = json!({"values": {"99.0": 30.0, "50.0": 10.0, "50.0_as_string": "10"}});
        assert_eq!(percentiles(Some(&keyed)), vec![(50.0, 10.0), (99.0, 30.0)]);
        assert!(percentiles(Some(&json!({"values": 3}))).is_empty());
    }

    #[test]
    fn bucket_keys_are_text() {
        assert_eq!(bucket_key(&json!({"key": 429, "doc_count": 1})), Some("429".into()));
        assert_eq!(bucket_key(&json!({"key": 429.0})), Some("429".into()));
        assert_eq!(bucket_key(&json!({"key": 1, "key_as_string": "true"})), Some("true".into()));
        assert_eq!(bucket_key(&json!({"key": "eu-west"})), Some("eu-west".into()));
        let filters = json!({"buckets": {"fail": {"doc_count": 3}}});
        assert_eq!(buckets(Some(&filters)).first().map(|(k, b)| (k.clone(), doc_count(b))), Some(("fail".into(), 3)));
    }

    #[test]
    fn shard_failures_and_timeouts_are_partial() {
        let path = format!("{}/tests/fixtures/es/search_shard_failure_es8.json", env!("CARGO_MANIFEST_DIR"));
        let body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_default();
        let c = Completeness::of(&body);
        assert!(c.is_partial());
        assert_eq!((c.shards_failed, c.shards_total), (1, 3));
        let w = c.warnings("the summary search");
        assert!(w
            .iter()
            .any(|l| l.contains("1 of 3 shards failed") && l.contains("claude-api-request-logs-2026.11.20[2]")));
        let timed =
            Completeness::of(&json!({"timed_out": true, "_shards": {"total": 1, "successful": 1, "failed": 0}}));
        assert!(timed.is_partial() && timed.warnings("x")[0].starts_with("PARTIAL RESULTS"));
        assert!(!Completeness::of(&json!({"_shards": {"total": 2, "successful": 1, "skipped": 1}})).is_partial());
        assert!(Completeness::of(&json!({"_shards": {"total": 2, "successful": 1, "failed": 0}})).is_partial());
    }

    #[test]
    fn msearch_items_keep_errors_in_place() {
        let body = json!({"responses": [{"hits": {}, "status": 200},
            {"error": {"root_cause": [{"type": "index_not_found_exception", "reason": "no such index [x]"}]}, "status": 404}]});
        let items = msearch_items(&body);
        assert!(items[0].is_ok());
        assert_eq!(items[1], Err((404, "index_not_found_exception".into(), "no such index [x]".into())));
    }
}
