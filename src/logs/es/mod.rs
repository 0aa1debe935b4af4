//! The Elasticsearch/OpenSearch backend: the Summary computed by the cluster (issue 4).
//!
//! One run is: resolve the settings (config < env < flags), probe `GET /` to learn which server
//! answers ([`detect`]), discover the fields over the index pattern with `_field_caps`
//! ([`fields`]), then ask for every fact as aggregations in one `_msearch` ([`query`]) and read
//! the answers leniently ([`response`]). The crate is synchronous; the async client runs on a
//! current-thread tokio runtime created here, at the entry point.

pub mod client;
pub mod derive;
pub mod detect;
pub mod errors;
pub mod fields;
pub mod response;
pub mod settings;

pub use client::{Client, Traffic};
pub use detect::{Product, ServerInfo};
pub use more_samples::ClusterSamples;
pub use settings::{Auth, EsConfig, EsEnv, EsFlags, EsSettings};

use crate::error::{Error, Result};

/// A current-thread runtime: the backend sends a handful of requests, one after the other.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Input(format!("cannot start the Elasticsearch client runtime: {e}")))
}

pub mod gather;
pub mod more_samples;
pub mod query;

use std::io::Write;

use chrono::{DateTime, Utc};
use reqwest::Method;

use crate::diagnose::model::Partial;
use crate::diagnose::Summary;
use crate::knowledge::presets::Presets;
use crate::logs::preset::Override;
use crate::logs::record::SchemaChoice;
use client::{Body, RetryPolicy};
use fields::{FieldCaps, FieldMap};

/// What the cluster gave: the Summary, plus what the report must say about how it was obtained.
#[derive(Debug, Clone)]
pub struct EsSummary {
    pub summary: Summary,
    /// The cluster's base URL (no credentials).
    pub url: String,
    pub server: ServerInfo,
    /// Data-quality notes: partial results (loud), missing or unaggregatable fields, retries.
    pub notes: Vec<String>,
    /// Set when the cluster answered with partial results (timed out, failed shards): the
    /// diagnosis carries it into every format.
    pub partial: Option<Partial>,
    pub traffic: Traffic,
    pub fields: FieldMap,
}

/// The Summary from the cluster, for one [`Request`]. Prints the `--explain-queries` bodies to
/// `err` when the settings ask for them.
pub fn gather_summary(request: &Request<'_>, err: &mut dyn Write) -> Result<EsSummary> {
    let settings = request.settings;
    let client = Client::new(settings, request.retry)?;
    let outcome = runtime()?.block_on(run(&client, request));
    let traffic = client.traffic();
    if settings.explain_queries {
        writeln!(
            err,
            "# --explain-queries: {} request(s) to {} ({}); paste into Kibana Dev Tools",
            traffic.explained.len(),
            settings.url,
            settings.auth.describe()
        )?;
        for line in &traffic.pushdown {
            writeln!(err, "{line}")?;
        }
        for q in &traffic.explained {
            writeln!(err, "{q}")?;
        }
    }
    let Gathered { summary, server, mut notes, fields, partial } = outcome?;
    notes.extend(traffic.retries.iter().cloned());
    Ok(EsSummary { summary, url: settings.url.clone(), server, notes, partial, traffic, fields })
}

/// Everything one run asks for: where (settings), how hard to retry, which field names
/// (the presets, the schema and `NAME=PATH[:UNIT]` overrides), which window, the token count above
/// which a non-streaming request counts as long and the bytes per token that estimate it, and the
/// statuses the knowledge base knows (a status found in a message is tried against them).
pub struct Request<'a> {
    pub settings: &'a EsSettings,
    pub retry: RetryPolicy,
    pub presets: &'a Presets,
    pub schema: SchemaChoice,
    pub overrides: &'a [Override],
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub token_limit: u64,
    pub bytes_per_token: f64,
    pub known_statuses: Vec<u16>,
}

/// Index names in a URL path: keep `*`, `,` and the usual name characters, escape the rest.
pub(crate) fn path_segment(index: &str) -> String {
    let mut out = String::new();
    for b in index.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.*,:+".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The indices the credential can see, for "no index matches" messages.
async fn existing_indices(client: &Client) -> Vec<String> {
    let Ok(reply) = client.send(Method::GET, "/_cat/indices?format=json&h=index", None).await else {
        return Vec::new();
    };
    let mut names: Vec<String> = reply
        .json()
        .and_then(|v| v.as_array().cloned())
        .map(|rows| rows.iter().filter_map(|r| r.get("index")?.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    names.retain(|n| !n.starts_with('.'));
    names.sort();
    names
}

/// What one run found, before the traffic figures are added.
struct Gathered {
    summary: Summary,
    server: ServerInfo,
    notes: Vec<String>,
    fields: FieldMap,
    partial: Option<Partial>,
}

async fn run(client: &Client, request: &Request<'_>) -> Result<Gathered> {
    let settings = request.settings;
    let mut notes = Vec::new();

    // 1. Who answers.
    let server = match client.send(Method::GET, "/", None).await {
        Err(t) => return Err(errors::transport_error(client, "GET /", &t)),
        Ok(reply) if reply.status == 401 => return Err(errors::http_error(client, "GET /", &reply)),
        // A sign-in page in place of the cluster: say so now, not "no index matches" later.
        Ok(reply) if reply.is_success() && reply.is_html() => return Err(errors::not_json(client, "GET /", &reply)),
        Ok(reply) if reply.is_success() => {
            ServerInfo::from_root(&reply.json().unwrap_or_default(), reply.elastic_product.as_deref())
        }
        // 403 (no monitor privilege) or a proxy in front: go on with the common dialect.
        Ok(reply) => {
            notes.push(format!("GET / answered HTTP {}: server version unknown", reply.status));
            ServerInfo::unknown()
        }
    };
    notes.extend(server.warnings());

    // 2. Which fields, of which types.
    let index = path_segment(&settings.index);
    let caps_path = format!("/{index}/_field_caps?fields=*&ignore_unavailable=true&allow_no_indices=true");
    let caps = match client.send(Method::GET, &caps_path, None).await {
        Err(t) => return Err(errors::transport_error(client, "GET _field_caps", &t)),
        Ok(reply) if reply.is_success() => match reply.json() {
            None => return Err(errors::not_json(client, "GET _field_caps", &reply)),
            Some(v) if !v.get("fields").is_some_and(serde_json::Value::is_object) => {
                return Err(errors::unexpected_json(client, "GET _field_caps", &reply, "\"fields\""))
            }
            Some(v) => FieldCaps::from_field_caps(&v),
        },
        Ok(reply) if reply.root_cause_type().as_deref() == Some("index_not_found_exception") => {
            return Err(errors::missing_index(client, &settings.index, &existing_indices(client).await));
        }
        Ok(reply) if matches!(reply.status, 400 | 404 | 405) => {
            // A server without _field_caps: the mapping says the same for concrete indices.
            notes.push(format!("_field_caps unavailable (HTTP {}): fields read from _mapping", reply.status));
            match client.send(Method::GET, &format!("/{index}/_mapping"), None).await {
                Err(t) => return Err(errors::transport_error(client, "GET _mapping", &t)),
                Ok(m) if m.is_success() => match m.json() {
                    Some(v) if v.is_object() => FieldCaps::from_mapping(&v),
                    Some(_) => return Err(errors::unexpected_json(client, "GET _mapping", &m, "index names")),
                    None => return Err(errors::not_json(client, "GET _mapping", &m)),
                },
                Ok(m) if m.root_cause_type().as_deref() == Some("index_not_found_exception") => {
                    return Err(errors::missing_index(client, &settings.index, &existing_indices(client).await));
                }
                Ok(m) => return Err(errors::http_error(client, "GET _mapping", &m)),
            }
        }
        Ok(reply) => return Err(errors::http_error(client, "GET _field_caps", &reply)),
    };
    if caps.indices.is_empty() {
        return Err(errors::missing_index(client, &settings.index, &existing_indices(client).await));
    }
    let fields = fields::resolve(&caps, request.presets, &request.schema, request.overrides)?;
    fields.require_essentials(&settings.index)?;
    notes.extend(fields.notes());

    // 3. Every fact, one round trip.
    let budget_ms = (settings.timeout.as_millis() as u64).saturating_mul(8) / 10;
    let plan = query::Plan::new(
        &fields,
        (request.from, request.to),
        budget_ms.max(1),
        request.token_limit,
        request.bytes_per_token,
        &request.known_statuses,
    );
    if settings.explain_queries {
        // (Printed after the header: the request count there stays the requests'.)
        client.explain_note(&format!(
            "# preset {} ({}); how each field is pushed down:\n{}",
            fields.preset,
            fields.preset_reason,
            plan.explain().iter().map(|l| format!("#   {l}")).collect::<Vec<_>>().join("\n")
        ));
    }
    let what = format!("POST {}/_msearch", settings.index);
    let (summary_resp, samples_resp) = match client
        .send(
            Method::POST,
            &format!("/{index}/_msearch?filter_path={}", query::response_filter("responses.")),
            Some(&Body::Ndjson(plan.msearch(&settings.index))),
        )
        .await
    {
        Err(t) => return Err(errors::transport_error(client, &what, &t)),
        Ok(reply) if reply.is_success() => {
            let body = reply.json().ok_or_else(|| errors::not_json(client, &what, &reply))?;
            if !body.get("responses").is_some_and(serde_json::Value::is_array) {
                return Err(errors::unexpected_json(client, &what, &reply, "\"responses\""));
            }
            let items = response::msearch_items(&body);
            let mut out = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Ok(v) => out.push(v.clone()),
                    Err((_, kind, _)) if kind == "index_not_found_exception" => {
                        return Err(errors::missing_index(client, &settings.index, &existing_indices(client).await))
                    }
                    Err((status, kind, reason)) => {
                        let search = if i == 0 { "the summary search" } else { "the samples search" };
                        let fake = client::Reply::new(
                            status,
                            serde_json::json!({"error": {"type": kind, "reason": reason}}).to_string().into_bytes(),
                        );
                        return Err(errors::http_error(client, &format!("{what} ({search})"), &fake));
                    }
                }
            }
            match (out.first(), out.get(1)) {
                (Some(a), Some(b)) => (a.clone(), b.clone()),
                _ => return Err(Error::Input(format!("{what}: expected 2 responses from {}", client.base_url()))),
            }
        }
        Ok(reply)
            if matches!(reply.status, 404 | 405)
                && reply.root_cause_type().as_deref() != Some("index_not_found_exception") =>
        {
            // No _msearch on this server: the same two bodies as two _search calls.
            notes.push(format!("_msearch unavailable (HTTP {}): sent two _search requests", reply.status));
            let mut out = Vec::new();
            for body in [plan.summary_body(), plan.samples_body()] {
                let w = format!("POST {}/_search", settings.index);
                let path = format!("/{index}/_search?filter_path={}", query::response_filter(""));
                match client.send(Method::POST, &path, Some(&Body::Json(body))).await {
                    Err(t) => return Err(errors::transport_error(client, &w, &t)),
                    Ok(r) if r.is_success() => out.push(r.json().ok_or_else(|| errors::not_json(client, &w, &r))?),
                    Ok(r) => return Err(errors::http_error(client, &w, &r)),
                }
            }
            let b = out.pop().unwrap_or_default();
            let a = out.pop().unwrap_or_default();
            (a, b)
        }
        Ok(reply) if reply.root_cause_type().as_deref() == Some("index_not_found_exception") => {
            return Err(errors::missing_index(client, &settings.index, &existing_indices(client).await))
        }
        Ok(reply) => return Err(errors::http_error(client, &what, &reply)),
    };

    let mut completeness = response::Completeness::of(&summary_resp);
    completeness.merge(&response::Completeness::of(&samples_resp));
    notes.splice(0..0, completeness.warnings("the summary search"));

    let unkeyed = summary_resp.get("aggregations").and_then(|a| a.get("msg_unkeyed")).map_or(0, response::doc_count);
    if unkeyed > 0 {
        notes.push(format!(
            "{unkeyed} records have an error message longer than the keyword sub-field keeps (ignore_above, 256 \
             under dynamic mapping): they count as records without a message; map the message field as keyword \
             with a larger ignore_above"
        ));
    }
    let mut summary = gather::summary_from(&plan, &summary_resp, request.overrides.len());
    summary.samples = gather::samples_from(&samples_resp, &fields, &summary.by_error_message);
    Ok(Gathered { summary, server, notes, fields, partial: completeness.partial() })
}
