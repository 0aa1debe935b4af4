//! Turning what the cluster said (or did not say) into one clear message and exit code 3.
//! Logic keys on `root_cause[0].type`, not on the HTTP status (es.md §4: a bucket overflow is a
//! 503 on ES 7.x/OpenSearch and a 400 on newer ES). A 401 body may be JSON, plain text or empty
//! (OpenSearch security plugin, es.md §2). Messages name the credential KIND tried, redacted.

use std::time::Duration;

use super::client::{Client, Reply, Transport};
use super::response::error_parts;
use crate::error::Error;

/// `max_buckets` from a too_many_buckets_exception, wherever it sits.
fn max_buckets(body: &serde_json::Value) -> Option<u64> {
    let error = body.get("error")?;
    let from_root = error
        .get("root_cause")
        .and_then(|r| r.as_array())
        .and_then(|r| r.iter().find_map(|c| c.get("max_buckets")?.as_u64()));
    from_root
        .or_else(|| error.get("max_buckets").and_then(|m| m.as_u64()))
        .or_else(|| error.get("caused_by").and_then(|c| c.get("max_buckets")).and_then(|m| m.as_u64()))
}

/// The message for a request that got no HTTP answer.
pub fn transport_error(client: &Client, what: &str, failure: &Transport) -> Error {
    match failure {
        Transport::Connect { detail, attempts } => Error::Input(format!(
            "cannot reach Elasticsearch/OpenSearch at {} ({what}): {detail} — gave up after {attempts} attempt{}",
            client.base_url(),
            if *attempts == 1 { "" } else { "s" }
        )),
        Transport::Timeout { after } => Error::Input(format!(
            "Elasticsearch/OpenSearch at {} did not answer {what} within {} (--es-timeout {}); the cluster may be \
             overloaded — retry with a longer --es-timeout or a shorter --since",
            client.base_url(),
            seconds(*after),
            seconds(client.timeout())
        )),
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The message for an HTTP error answer to `what` (e.g. `POST claude-*/_msearch`).
/// `index_not_found_exception` is handled by the caller, which lists the indices that exist.
pub fn http_error(client: &Client, what: &str, reply: &Reply) -> Error {
    let json = reply.json();
    let parts = json.as_ref().and_then(error_parts);
    let at = client.base_url();
    let tried = client.auth().describe();
    match reply.status {
        401 => {
            let said = match &parts {
                Some((kind, reason)) => format!("{kind}: {reason}"),
                None if reply.body.iter().all(u8::is_ascii_whitespace) => "an empty body".into(),
                None => format!("{:?}", truncate(&reply.text(), 200)),
            };
            Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} refused the credentials (HTTP 401, {said}); tried {tried}. Set \
                 FAULTLINE_ES_API_KEY (id:key or the encoded form) or FAULTLINE_ES_USERNAME and FAULTLINE_ES_PASSWORD"
            ))
        }
        403 => {
            let reason = parts.map(|(_, r)| r).unwrap_or_else(|| truncate(&reply.text(), 200));
            Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} forbade {what} (HTTP 403) for {tried}: {reason}. The credential \
                 needs the read and view_index_metadata privileges on the index pattern"
            ))
        }
        _ => match parts {
            Some((kind, reason)) if kind == "too_many_buckets_exception" || reason.contains("max_buckets") => {
                let limit = json.as_ref().and_then(max_buckets).map_or(String::new(), |m| format!(" ({m})"));
                Error::Input(format!(
                    "Elasticsearch/OpenSearch at {at} refused {what}: the aggregations need more buckets than \
                     search.max_buckets{limit} allows. Shorten the window (--since) or raise the cluster setting \
                     search.max_buckets"
                ))
            }
            Some((kind, reason)) => Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} answered {what} with HTTP {}: {kind}: {reason}",
                reply.status
            )),
            None => Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} answered {what} with HTTP {}: {}",
                reply.status,
                if reply.body.is_empty() { "(empty body)".to_string() } else { truncate(&reply.text(), 300) }
            )),
        },
    }
}

/// The index pattern matched nothing: say so, with the indices that do exist.
pub fn missing_index(client: &Client, pattern: &str, existing: &[String]) -> Error {
    let listing = if existing.is_empty() {
        "the cluster has no index this credential can see".to_string()
    } else {
        let shown: Vec<&str> = existing.iter().take(20).map(String::as_str).collect();
        let more = existing.len().saturating_sub(shown.len());
        format!(
            "indices that exist: {}{}",
            shown.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        )
    };
    Error::Input(format!("no index matches {pattern:?} on {} ({listing}); pass --index PATTERN", client.base_url()))
}

fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn root_cause_wins_and_caused_by_explains_phase_failures() {
        let body = json!({"error": {"root_cause": [{"type": "index_not_found_exception", "reason": "no such index [x]"}],
            "type": "index_not_found_exception", "reason": "no such index [x]"}, "status": 404});
        assert_eq!(error_parts(&body), Some(("index_not_found_exception".into(), "no such index [x]".into())));
        let phase = json!({"error": {"root_cause": [], "type": "search_phase_execution_exception", "reason": "all shards failed",
            "caused_by": {"type": "illegal_argument_exception", "reason": "Text fields are not optimised"}}});
        assert_eq!(
            error_parts(&phase),
            Some(("illegal_argument_exception".into(), "Text fields are not optimised".into()))
        );
        assert_eq!(error_parts(&json!({"error": "plain"})), Some((String::new(), "plain".into())));
        assert_eq!(error_parts(&json!({"ok": true})), None);
    }

    #[test]
    fn max_buckets_is_found_in_root_cause() {
        let body = json!({"error": {"root_cause": [{"type": "too_many_buckets_exception", "reason": "Trying to create too many buckets",
            "max_buckets": 10000}], "type": "search_phase_execution_exception"}, "status": 503});
        assert_eq!(max_buckets(&body), Some(10000));
    }
}
