//! More samples for one cause from the cluster when the walk opens it: one bounded `_search`
//! (the cause's statuses, the key hashes of the samples it already has, the window of the
//! diagnosis, latest first, at most [`MORE_SAMPLES`] hits, the requests already shown left
//! out). Built from the search backend's parts: its settings, client, field map, query plan
//! (window filters, sample `_source`) and sample reader. The walk asks through its own
//! `interactive::MoreSamples` trait, which `commands::diagnose` implements with this.

use reqwest::Method;
use serde_json::{json, Value};

use super::client::{Body, RetryPolicy};
use super::fields::FieldMap;
use super::query::Plan;
use super::{errors, path_segment, Client, EsSettings};
use crate::diagnose::summary::{Sample, Window};
use crate::error::Result;

/// Hits asked for per opened cause.
pub const MORE_SAMPLES: usize = 5;

/// What one more-samples query needs, kept from the diagnosis run.
pub struct ClusterSamples {
    settings: EsSettings,
    retry: RetryPolicy,
    fields: FieldMap,
    window: Window,
    token_limit: u64,
    bytes_per_token: f64,
    known_statuses: Vec<u16>,
}

impl ClusterSamples {
    /// `settings`, `retry`, `token_limit`, `bytes_per_token` and the known statuses as the
    /// diagnosis run used them, `fields` as it resolved them, `window` the diagnosis's.
    pub fn new(
        settings: EsSettings,
        retry: RetryPolicy,
        fields: FieldMap,
        window: &Window,
        (token_limit, bytes_per_token): (u64, f64),
        known_statuses: Vec<u16>,
    ) -> ClusterSamples {
        ClusterSamples { settings, retry, fields, window: window.clone(), token_limit, bytes_per_token, known_statuses }
    }

    /// The `_search` body.
    pub fn body(&self, statuses: &[u16], key_hashes: &[String], exclude_ids: &[String]) -> Value {
        let budget_ms = (self.settings.timeout.as_millis() as u64).saturating_mul(8) / 10;
        let plan = Plan::new(
            &self.fields,
            (self.window.from, self.window.to),
            budget_ms.max(1),
            self.token_limit,
            self.bytes_per_token,
            &self.known_statuses,
        );
        let time = self.fields.agg("timestamp").unwrap_or("@timestamp");
        let mut filters = plan.base_filters();
        filters.push(plan.status.of(statuses));
        if let (Some(key), false) = (self.fields.agg("key_hash"), key_hashes.is_empty()) {
            filters.push(json!({"terms": {key: key_hashes}}));
        }
        let mut must_not = Vec::new();
        if let (Some(rid), false) = (self.fields.agg("request_id"), exclude_ids.is_empty()) {
            must_not.push(json!({"terms": {rid: exclude_ids}}));
        }
        json!({
            "size": MORE_SAMPLES,
            "track_total_hits": false,
            "timeout": format!("{}ms", plan.server_timeout_ms),
            "sort": [{time: {"order": "desc"}}],
            "_source": {"includes": plan.sample_source()},
            "query": {"bool": {"filter": filters, "must_not": must_not}}
        })
    }

    /// Runs the query; the samples it found, latest first.
    pub fn fetch(&self, statuses: &[u16], key_hashes: &[String], exclude_ids: &[String]) -> Result<Vec<Sample>> {
        let client = Client::new(&self.settings, self.retry)?;
        let body = Body::Json(self.body(statuses, key_hashes, exclude_ids));
        let path = format!("/{}/_search", path_segment(&self.settings.index));
        let what = format!("POST {}/_search", self.settings.index);
        let reply = super::runtime()?
            .block_on(client.send(Method::POST, &path, Some(&body)))
            .map_err(|t| errors::transport_error(&client, &what, &t))?;
        if !reply.is_success() {
            return Err(errors::http_error(&client, &what, &reply));
        }
        let answer = reply.json().ok_or_else(|| errors::not_json(&client, &what, &reply))?;
        Ok(self.samples_of(&answer))
    }

    /// The samples in a `_search` answer (hits without a readable time or status are left out).
    pub fn samples_of(&self, answer: &Value) -> Vec<Sample> {
        let hits = answer.pointer("/hits/hits").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        hits.iter().filter_map(|hit| super::gather::sample_from(hit.get("_source")?, &self.fields, None)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;
    use crate::logs::es::fields::{resolve, FieldCaps};
    use crate::logs::es::{EsConfig, EsEnv, EsFlags};
    use crate::logs::record::SchemaChoice;

    fn samples() -> ClusterSamples {
        let caps = FieldCaps::from_field_caps(&json!({"indices": ["x"], "fields": {
            "@timestamp": {"date": {"aggregatable": true}},
            "status_code": {"long": {"aggregatable": true}},
            "request_id": {"keyword": {"aggregatable": true}},
            "api_key_hash": {"keyword": {"aggregatable": true}},
            "error_message": {"keyword": {"aggregatable": true}},
            "forwarder_tag": {"keyword": {"aggregatable": true}}}}));
        let fields = resolve(&caps, crate::knowledge::presets::builtin(), &SchemaChoice::Auto, &[])
            .unwrap_or_else(|e| panic!("{e}"));
        let flags =
            EsFlags { url: Some("http://127.0.0.1:9".into()), index: Some("logs-*".into()), ..EsFlags::default() };
        let settings =
            EsSettings::resolve(&flags, &EsConfig::default(), &EsEnv::default()).unwrap_or_else(|e| panic!("{e}"));
        let k = Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        let from = chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").map(|t| t.to_utc()).ok();
        let window = Window { from, ..Window::default() };
        let limit = k.thresholds.streaming.non_streaming_token_limit;
        ClusterSamples::new(settings, RetryPolicy::from_knowledge(&k), fields, &window, (limit, 4.0), vec![429, 503])
    }

    #[test]
    fn one_bounded_query_latest_first_without_the_samples_already_shown() {
        let c = samples();
        let body = c.body(&[502, 503], &["sha256:1a2b3c4d".into()], &["req_1".into()]);
        assert_eq!(body["size"], MORE_SAMPLES);
        assert_eq!(body["sort"][0]["@timestamp"]["order"], "desc");
        let filters = body["query"]["bool"]["filter"].to_string();
        assert!(filters.contains(r#"{"terms":{"status_code":[502,503]}}"#), "{filters}");
        assert!(filters.contains(r#"{"terms":{"api_key_hash":["sha256:1a2b3c4d"]}}"#), "{filters}");
        assert!(filters.contains("2026-11-20T10:00:00.000Z"), "the window applies: {filters}");
        assert_eq!(body["query"]["bool"]["must_not"][0]["terms"]["request_id"][0], "req_1");
        // No key hashes known: no key filter, not an empty terms that would match nothing.
        let open = c.body(&[429], &[], &[]).to_string();
        assert!(!open.contains("api_key_hash\":[]"), "{open}");
        assert_eq!(path_segment("logs-*,other index"), "logs-*,other%20index");
    }

    #[test]
    fn samples_are_read_from_hits_and_unreadable_hits_left_out() {
        let c = samples();
        let answer = json!({"hits": {"hits": [
            {"_source": {"@timestamp": "2026-11-20T10:05:00Z", "status_code": 503, "request_id": "req_9",
                         "forwarder_tag": "envoy-gateway", "error_message": "no healthy upstream"}},
            {"_source": {"@timestamp": "2026-11-20T10:06:00Z", "request_id": "no status"}},
            {"_source": {"status_code": "502", "request_id": "no time"}}
        ]}});
        let got = c.samples_of(&answer);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].request_id.as_deref(), Some("req_9"));
        assert_eq!(got[0].status, 503);
        assert!(c.samples_of(&json!({"error": "x"})).is_empty());
    }
}
