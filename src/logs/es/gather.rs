//! From the two search responses to the `Summary`: pure functions, tested on recorded bodies.
//! Ranking and tie rules are the Summary's own (failures desc, requests desc, value asc); `other`
//! is the scope's status counts minus the top buckets minus the records without the field.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use super::derive::{status_counts as st_counts, statuses};
use super::fields::{FieldMap, Resolved, LOGICAL_FIELDS};
use super::query::Plan;
use super::response::{buckets, doc_count, metric_value, percentiles};
use crate::diagnose::summary::{auto_interval_minutes, MESSAGE_TOP_N};
use crate::diagnose::summary::{
    is_failure, normalise_message, Breakdown, Bucket, EnvironmentKeys, FieldPresence, KeyCount, KeyHistory,
    LongByBytes, LongRequests, MinuteBucket, NetworkErrors, Percentiles, Sample, SampleGroup, StatusCounts, Summary,
    TimeSpan, Tokens, Window, ENV_KEYS_TOP_N, ENV_TOP_N, KEY_TOP_N, SAMPLES_PER_GROUP, SAMPLE_GROUPS_PER_STATUS, TOP_N,
};

fn agg<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    root(v).get(name)
}

/// The aggregations object of a response.
fn root(v: &Value) -> &Value {
    v.get("aggregations").or_else(|| v.get("aggs")).unwrap_or(v)
}

fn sub<'a>(v: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    v.and_then(|v| v.get(name))
}

/// Counts by status under `st` in `node` (the status aggregations of `derive::StatusPlan`).
fn status_counts(node: Option<&Value>) -> StatusCounts {
    st_counts(node, "st")
}

fn subtract(into: &mut StatusCounts, what: &StatusCounts) {
    for (status, n) in what {
        if let Some(v) = into.get_mut(status) {
            *v = v.saturating_sub(*n);
        }
    }
    into.retain(|_, n| *n > 0);
}

fn add(into: &mut StatusCounts, what: &StatusCounts) {
    for (status, n) in what {
        *into.entry(*status).or_default() += n;
    }
}

fn failures(c: &StatusCounts) -> u64 {
    c.iter().filter(|(s, _)| is_failure(**s)).map(|(_, n)| n).sum()
}

fn rank<T>(items: &mut [T], key: impl Fn(&T) -> (u64, u64, &str)) {
    items.sort_by(|a, b| {
        let (fa, ra, va) = key(a);
        let (fb, rb, vb) = key(b);
        fb.cmp(&fa).then(rb.cmp(&ra)).then(va.cmp(vb))
    });
}

/// A Breakdown from a `{top, miss}` aggregation and the status counts of its scope.
fn breakdown(node: Option<&Value>, scope: &StatusCounts, normalise: bool, n: usize) -> Breakdown {
    let Some(node) = node else {
        return Breakdown { top: Vec::new(), other: scope.clone(), missing: StatusCounts::new() };
    };
    let mut merged: BTreeMap<String, StatusCounts> = BTreeMap::new();
    for (key, b) in buckets(node.get("top")) {
        let key = if normalise { normalise_message(&key) } else { key };
        add(merged.entry(key).or_default(), &status_counts(Some(b)));
    }
    let mut top: Vec<Bucket> = merged.into_iter().map(|(value, by_status)| Bucket { value, by_status }).collect();
    rank(&mut top, |b| (b.failures(), b.requests(), b.value.as_str()));
    top.truncate(n);
    let missing = status_counts(node.get("miss"));
    let mut other = scope.clone();
    for b in &top {
        subtract(&mut other, &b.by_status);
    }
    subtract(&mut other, &missing);
    Breakdown { top, other, missing }
}

fn time_of(ms: Option<f64>) -> Option<DateTime<Utc>> {
    let ms = ms?;
    Utc.timestamp_millis_opt(ms.round() as i64).single()
}

/// Milliseconds per unit of the latency field (the unit of the path the preset reads it from).
fn latency_scale(fields: &FieldMap) -> f64 {
    fields.latency_scale()
}

fn latency(node: &Value, scale: f64) -> Option<Percentiles> {
    let count = metric_value(node.get("n")).unwrap_or(0.0) as u64;
    if count == 0 {
        return None;
    }
    let p = percentiles(node.get("p"));
    let at = |q: f64| p.iter().find(|(k, _)| (*k - q).abs() < 1e-9).map_or(0.0, |(_, v)| v * scale);
    Some(Percentiles {
        count,
        p50: at(50.0),
        p90: at(90.0),
        p99: at(99.0),
        max: metric_value(node.get("mx")).unwrap_or(0.0) * scale,
    })
}

fn schema_label(fields: &FieldMap, overrides: usize) -> String {
    let base = fields.preset.as_str();
    if overrides > 0 {
        format!("{base} (+{overrides} overrides)")
    } else {
        base.to_string()
    }
}

/// The summary response -> every Summary field but `samples`.
pub fn summary_from(plan: &Plan<'_>, resp: &Value, overrides: usize) -> Summary {
    let by_status = st_counts(Some(root(resp)), "by_status");
    let total_requests = super::response::hits_total(resp).map_or_else(|| by_status.values().sum(), |(total, _)| total);

    let key_of = |b: &Value| b.get("key").and_then(Value::as_f64).map(|k| k.round() as i64);
    let mut failing: BTreeMap<i64, StatusCounts> = buckets(sub(agg(resp, "fail_minutes"), "m"))
        .into_iter()
        .filter_map(|(_, b)| Some((key_of(b)?, status_counts(Some(b)))))
        .collect();
    // A window without a start: the width is the one the cluster chose, and the failures are in
    // each bucket (whose empty buckets stand for no record: `min_doc_count` 1 as elsewhere).
    let series = agg(resp, "minutes");
    let auto = plan.bucket_minutes.is_none();
    let bucket_minutes = match plan.bucket_minutes {
        Some(w) => w,
        None => {
            series.and_then(|m| m.get("interval")).and_then(Value::as_str).and_then(auto_interval_minutes).unwrap_or(1)
        }
    };
    let minutes = buckets(series)
        .into_iter()
        .filter(|(_, b)| !auto || doc_count(b) > 0)
        .filter_map(|(_, b)| {
            let start = time_of(b.get("key").and_then(Value::as_f64))?;
            let failures = if auto {
                status_counts(b.get("fail"))
            } else {
                key_of(b).and_then(|k| failing.remove(&k)).unwrap_or_default()
            };
            Some(MinuteBucket {
                start,
                requests: doc_count(b),
                failures,
                max_concurrency: metric_value(b.get("conc")).map(|v| v.round() as u64),
                input_tokens: metric_value(b.get("tin")).map_or(0, |v| v.round() as u64),
                output_tokens: metric_value(b.get("tout")).map_or(0, |v| v.round() as u64),
            })
        })
        .collect();

    let mut present = BTreeMap::new();
    for (name, b) in buckets(agg(resp, "presence")) {
        let n = doc_count(b);
        if n > 0 {
            present.insert(name, n);
        }
    }
    let missing = LOGICAL_FIELDS.iter().map(|f| f.name().to_string()).filter(|n| !present.contains_key(n)).collect();

    let scale = latency_scale(plan.fields);
    // A status two rules give comes back twice: the larger group's percentiles stand for it.
    let mut latency_by_status: BTreeMap<u16, Percentiles> = BTreeMap::new();
    for (status, b) in statuses(Some(root(resp)), "latency_by_status") {
        if let Some(p) = latency(b, scale) {
            match latency_by_status.get_mut(&status) {
                Some(have) => {
                    let (count, max) = (have.count + p.count, have.max.max(p.max));
                    if p.count > have.count {
                        *have = p;
                    }
                    have.count = count;
                    have.max = max;
                }
                None => {
                    latency_by_status.insert(status, p);
                }
            }
        }
    }
    let latency_by_region = buckets(agg(resp, "latency_by_region"))
        .into_iter()
        .filter_map(|(k, b)| Some((k, latency(b, scale)?)))
        .collect();

    let mut keys: Vec<KeyHistory> = buckets(agg(resp, "keys"))
        .into_iter()
        .map(|(key_hash, b)| {
            let st = status_counts(Some(b));
            let span = |name: &str, m: &str| time_of(metric_value(sub(b.get(name), m)));
            KeyHistory {
                key_hash,
                successes: st.iter().filter(|(s, _)| !is_failure(**s)).map(|(_, n)| n).sum(),
                failures: st.into_iter().filter(|(s, _)| is_failure(*s)).collect(),
                first_success: span("ok", "mn"),
                last_success: span("ok", "mx"),
                first_failure: span("ko", "mn"),
                last_failure: span("ko", "mx"),
                failure_times: {
                    // A status two of the preset's rules give comes twice: its span is the union.
                    let mut times: BTreeMap<u16, TimeSpan> = BTreeMap::new();
                    for (status, sb) in statuses(Some(b), "st").into_iter().filter(|(st, _)| is_failure(*st)) {
                        let first = time_of(metric_value(sub(Some(sb), "mn")));
                        let last = time_of(metric_value(sub(Some(sb), "mx")));
                        if let (Some(first), Some(last)) = (first, last) {
                            let t = times.entry(status).or_insert(TimeSpan { first, last });
                            t.first = t.first.min(first);
                            t.last = t.last.max(last);
                        }
                    }
                    times
                },
            }
        })
        .collect();
    rank(&mut keys, |k| {
        let f: u64 = k.failures.values().sum();
        (f, f + k.successes, k.key_hash.as_str())
    });
    keys.truncate(KEY_TOP_N);

    let key_count = |(key_hash, b): (String, &Value)| {
        let st = status_counts(Some(b));
        KeyCount {
            key_hash,
            successes: st.iter().filter(|(s, _)| !is_failure(**s)).map(|(_, n)| n).sum(),
            failures: st.into_iter().filter(|(s, _)| is_failure(*s)).collect(),
        }
    };
    let mut environments: Vec<(u64, u64, EnvironmentKeys)> = buckets(sub(agg(resp, "environments"), "e"))
        .into_iter()
        .map(|(environment, b)| {
            let st = status_counts(Some(b));
            let mut keys: Vec<KeyCount> = buckets(b.get("ks")).into_iter().map(key_count).collect();
            rank(&mut keys, |k| {
                let f: u64 = k.failures.values().sum();
                (f, f + k.successes, k.key_hash.as_str())
            });
            keys.truncate(ENV_KEYS_TOP_N);
            (failures(&st), st.values().sum(), EnvironmentKeys { environment, keys })
        })
        .collect();
    rank(&mut environments, |(f, r, e)| (*f, *r, e.environment.as_str()));
    environments.truncate(ENV_TOP_N);
    let environments = environments.into_iter().map(|(_, _, e)| e).collect();

    let scoped = |node: Option<&Value>, scope: &StatusCounts, logical: &str| {
        if matches!(plan.fields.get(logical), Some(Resolved::Missing { .. })) {
            return Breakdown { top: Vec::new(), other: StatusCounts::new(), missing: scope.clone() };
        }
        breakdown(node, scope, false, TOP_N)
    };
    let network = agg(resp, "network");
    let net_status = status_counts(network);
    let mut by_error: BTreeMap<String, u64> = BTreeMap::new();
    let mut count_error = |k: String, n: u64| {
        if n > 0 {
            *by_error.entry(k).or_default() += n;
        }
    };
    for (k, b) in buckets(sub(network, "err")) {
        count_error(k, doc_count(b));
    }
    for (k, b) in buckets(sub(network, "errh")) {
        count_error(k, doc_count(b));
    }
    for i in 0.. {
        match sub(network, &format!("errt{i}")) {
            Some(node) => {
                for (k, b) in buckets(node.get("t")) {
                    count_error(k, doc_count(b));
                }
            }
            None => break,
        }
    }
    let network_errors = NetworkErrors {
        by_region: scoped(sub(network, "reg"), &net_status, "region"),
        by_forwarder_tag: scoped(sub(network, "fwd"), &net_status, "forwarder_tag"),
        by_error,
        by_status: net_status,
    };

    let long = agg(resp, "long");
    let ns = sub(long, "ns");
    let ns_status = status_counts(ns);
    let long_requests = LongRequests {
        token_limit: plan.token_limit,
        non_streaming_by_forwarder_tag: scoped(sub(ns, "fwd"), &ns_status, "forwarder_tag"),
        non_streaming_by_status: ns_status,
        streaming_by_status: status_counts(sub(long, "s")),
        stream_unknown_by_status: status_counts(sub(long, "u")),
    };

    // Who answered: three filters; the rest had no hop.
    let hop_node = agg(resp, "by_hop");
    let mut by_hop = Breakdown { top: Vec::new(), other: StatusCounts::new(), missing: by_status.clone() };
    for (name, b) in buckets(hop_node) {
        let counts = status_counts(Some(b));
        if counts.is_empty() {
            continue;
        }
        subtract(&mut by_hop.missing, &counts);
        by_hop.top.push(Bucket { value: name, by_status: counts });
    }
    rank(&mut by_hop.top, |b| (b.failures(), b.requests(), b.value.as_str()));
    let nohop = agg(resp, "fwd_nohop");
    let nohop_scope = status_counts(nohop);
    let by_forwarder_tag_without_hop =
        if matches!(plan.fields.get("forwarder_tag"), Some(Resolved::Missing { .. }) | None) {
            Breakdown { top: Vec::new(), other: StatusCounts::new(), missing: nohop_scope }
        } else {
            breakdown(nohop, &nohop_scope, false, TOP_N)
        };
    let in_band_failures: StatusCounts = buckets(agg(resp, "in_band"))
        .into_iter()
        .filter_map(|(k, b)| Some((k.parse::<u16>().ok()?, doc_count(b))))
        .filter(|(_, n)| *n > 0)
        .collect();
    let long_requests_by_bytes =
        LongByBytes { bytes_per_token: plan.bytes_per_token, by_status: status_counts(sub(long, "est")) };

    let bd = |name: &str, logical: &str, normalise: bool| {
        let n = if normalise { MESSAGE_TOP_N } else { TOP_N };
        if matches!(plan.fields.get(logical), Some(Resolved::Missing { .. })) {
            // No index maps the field: every record lacks it.
            return Breakdown { top: Vec::new(), other: StatusCounts::new(), missing: by_status.clone() };
        }
        breakdown(agg(resp, name), &by_status, normalise, n)
    };
    Summary {
        schema: schema_label(plan.fields, overrides),
        window: Window {
            first: time_of(metric_value(agg(resp, "first"))),
            last: time_of(metric_value(agg(resp, "last"))),
            from: plan.from,
            to: plan.to,
        },
        skipped: Default::default(),
        fields: FieldPresence { present, missing },
        total_requests,
        minutes,
        bucket_minutes,
        by_forwarder_tag: bd("by_forwarder_tag", "forwarder_tag", false),
        by_region: bd("by_region", "region", false),
        by_environment: bd("by_environment", "environment", false),
        by_key_hash: bd("by_key_hash", "key_hash", false),
        by_model: bd("by_model", "model", false),
        by_error_type: bd("by_error_type", "error_type", false),
        by_error_message: bd("by_error_message", "error_message", true),
        latency_by_status,
        latency_by_region,
        keys,
        environments,
        network_errors,
        long_requests,
        tokens: Tokens {
            input: metric_value(agg(resp, "tin")).map_or(0, |v| v.round() as u64),
            output: metric_value(agg(resp, "tout")).map_or(0, |v| v.round() as u64),
        },
        by_status,
        samples: Vec::new(),
        by_hop,
        by_forwarder_tag_without_hop,
        in_band_failures,
        long_requests_by_bytes,
    }
}

/// One hit's `_source` as a Sample (the group is filled by the caller): read by the local
/// reader's own rules (the preset's alternatives, placeholders, units, hop), so a sample is the
/// same whichever backend chose it. `status`: the one the aggregation bucket says, or `None` to
/// derive it from the record by the preset's rules (the walk's follow-up search).
pub fn sample_from(source: &Value, fields: &FieldMap, status: Option<u16>) -> Option<Sample> {
    let line = source.to_string();
    let rec = crate::logs::record::RawRecord::parse(&fields.reader, line.as_bytes()).ok()?;
    let status = match status {
        Some(s) => s,
        None => rec.status().ok()?.code,
    };
    let timestamp = rec.timestamp().ok()?;
    Some(crate::logs::local::sample_of(&rec, status, timestamp))
}

type Hit = (String, Sample);

fn hits_of(node: Option<&Value>, fields: &FieldMap, status: u16) -> Vec<Hit> {
    node.and_then(|n| n.get("th"))
        .and_then(|th| th.get("hits"))
        .and_then(|h| h.get("hits"))
        .and_then(Value::as_array)
        .map(|hits| {
            hits.iter()
                .filter_map(|h| {
                    let id = format!(
                        "{}/{}",
                        h.get("_index").and_then(Value::as_str).unwrap_or(""),
                        h.get("_id").and_then(Value::as_str).unwrap_or("")
                    );
                    Some((id, sample_from(h.get("_source")?, fields, Some(status))?))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn earliest(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| (a.1.timestamp, &a.1.request_id).cmp(&(b.1.timestamp, &b.1.request_id)));
    hits.dedup_by(|a, b| a.0 == b.0);
    hits.truncate(SAMPLES_PER_GROUP);
    hits
}

/// The samples response -> samples, chosen as `Sample`'s doc says. Message groups rank by their
/// failures per status in `messages` (the summary's `by_error_message`, every raw message
/// normalised) when they are among its top values, else by the raw messages fetched here.
pub fn samples_from(resp: &Value, fields: &FieldMap, messages: &Breakdown) -> Vec<Sample> {
    let mut kept: Vec<Sample> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // A status two rules give comes back as two buckets: their groups merge below.
    let mut by_status: BTreeMap<u16, Vec<&Value>> = BTreeMap::new();
    for (status, bucket) in statuses(Some(root(resp)), "by_status") {
        by_status.entry(status).or_default().push(bucket);
    }
    for (status, status_buckets) in by_status {
        if !is_failure(status) {
            continue;
        }
        // Message groups, merged on the normalised text; "" holds records without a message.
        let mut groups: BTreeMap<String, (u64, Vec<Hit>)> = BTreeMap::new();
        let mut keyed: BTreeMap<String, (u64, Vec<Hit>)> = BTreeMap::new();
        for status_bucket in status_buckets {
            // The same raw message can come in both lists: once.
            let mut raw_seen: BTreeSet<String> = BTreeSet::new();
            let raw = buckets(status_bucket.get("by_msg")).into_iter().chain(buckets(status_bucket.get("msg_first")));
            for (message, b) in raw {
                if !raw_seen.insert(message.clone()) {
                    continue;
                }
                let entry = groups.entry(normalise_message(&message)).or_default();
                entry.0 += doc_count(b);
                entry.1.extend(hits_of(Some(b), fields, status));
            }
            if let Some(nomsg) = status_bucket.get("nomsg").filter(|b| doc_count(b) > 0) {
                let entry = groups.entry(String::new()).or_default();
                entry.0 += doc_count(nomsg);
                entry.1.extend(hits_of(Some(nomsg), fields, status));
            }
            for (k, b) in buckets(status_bucket.get("by_key")) {
                let entry = keyed.entry(k).or_default();
                entry.0 += doc_count(b);
                entry.1.extend(hits_of(Some(b), fields, status));
            }
        }
        let mut ranked: Vec<(String, u64, Vec<Hit>)> = groups
            .into_iter()
            .map(|(k, (n, h))| {
                let whole =
                    if k.is_empty() { None } else { messages.get(&k).and_then(|b| b.by_status.get(&status)).copied() };
                (k, whole.unwrap_or(n).max(n), h)
            })
            .collect();
        rank(&mut ranked, |(k, n, _)| (*n, 0, k.as_str()));
        let mut key_groups: Vec<(String, u64, Vec<Hit>)> = keyed.into_iter().map(|(k, (n, h))| (k, n, h)).collect();
        rank(&mut key_groups, |(k, n, _)| (*n, 0, k.as_str()));
        for (group, list) in [(SampleGroup::Message, ranked), (SampleGroup::KeyHash, key_groups)] {
            for (group_key, _, hits) in list.into_iter().take(SAMPLE_GROUPS_PER_STATUS) {
                for (id, mut sample) in earliest(hits) {
                    if seen.insert(id) {
                        sample.group = group;
                        sample.group_key = group_key.clone();
                        kept.push(sample);
                    }
                }
            }
        }
    }
    kept.sort_by(|a, b| (a.status, a.timestamp, &a.request_id).cmp(&(b.status, b.timestamp, &b.request_id)));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn breakdown_other_is_scope_minus_top_minus_missing() {
        let node = json!({
            "top": {"buckets": [
                {"key": "gw-1", "doc_count": 3, "st": {"buckets": [{"key": 502, "doc_count": 3}]}},
                {"key": "b", "doc_count": 2, "st": {"buckets": [{"key": 200, "doc_count": 2}]}},
                {"key": "a", "doc_count": 2, "st": {"buckets": [{"key": 200, "doc_count": 2}]}}]},
            "miss": {"doc_count": 1, "st": {"buckets": [{"key": 200, "doc_count": 1}]}}});
        let scope: StatusCounts = [(200, 10), (502, 4)].into_iter().collect();
        let b = breakdown(Some(&node), &scope, false, 2);
        assert_eq!(b.top.iter().map(|b| b.value.as_str()).collect::<Vec<_>>(), ["gw-1", "a"]);
        assert_eq!(b.missing, [(200, 1)].into_iter().collect());
        assert_eq!(b.other, [(200, 7), (502, 1)].into_iter().collect());
    }

    #[test]
    fn messages_merge_after_normalising() {
        let node = json!({"top": {"buckets": [
            {"key": "no  healthy upstream", "doc_count": 2, "st": {"buckets": [{"key": 503, "doc_count": 2}]}},
            {"key": "no healthy upstream ", "doc_count": 1, "st": {"buckets": [{"key": 503, "doc_count": 1}]}}]}});
        let scope: StatusCounts = [(503, 3)].into_iter().collect();
        let b = breakdown(Some(&node), &scope, true, 20);
        assert_eq!(b.top.len(), 1);
        assert_eq!(b.top[0].by_status.get(&503), Some(&3));
        assert!(b.other.is_empty());
    }
}
