//! Turning what the cluster said (or did not say) into one clear message — what happened and
//! what to do — and exit code 3 (2 for a URL that cannot be used). Logic keys on
//! `root_cause[0].type`, not on the HTTP status (a bucket overflow is a 503 on ES 7.x/OpenSearch
//! and a 400 on newer ES). A 401 body may be JSON, plain text or empty (OpenSearch security
//! plugin). A successful answer that is not the cluster's JSON (a login page, a proxy) is named
//! as such. Messages name the credential KIND tried, redacted, and how many attempts were made.

use std::time::Duration;

use super::client::{seconds, Cause, Client, Reply, Transport};
use super::response::error_parts;
use crate::error::Error;
use crate::redact::mask_keys_in_text;

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

/// `host:port` of the base URL, for advice (`es.local:9200`).
fn host_port(client: &Client) -> String {
    match reqwest::Url::parse(client.base_url()) {
        Ok(u) => match (u.host_str(), u.port_or_known_default()) {
            (Some(h), Some(p)) if h.contains(':') => format!("[{h}]:{p}"),
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => client.base_url().to_string(),
        },
        Err(_) => client.base_url().to_string(),
    }
}

/// How the attempts went: `gave up after 3 attempts over 1.2 s`, `not retried: it would fail
/// the same way`, or why the retries stopped early.
fn tries(cause: Cause, attempts: u32, elapsed: Duration, gave_up: Option<&str>) -> String {
    let made = if attempts == 1 { "1 attempt".to_string() } else { format!("{attempts} attempts") };
    match gave_up {
        Some(why) => format!("gave up after {made} over {}: {why}", seconds(elapsed)),
        None if !cause.retryable() => "not retried: it would fail the same way".into(),
        None => format!("gave up after {made} over {}", seconds(elapsed)),
    }
}

const INSECURE: &str = "--insecure skips the check (for a test cluster only)";

/// The message for a request that got no (complete) HTTP answer: what happened, and what to do.
pub fn transport_error(client: &Client, what: &str, failure: &Transport) -> Error {
    let at = client.base_url();
    match failure {
        Transport::Connect { detail, cause, attempts, elapsed, gave_up } => {
            let tries = tries(*cause, *attempts, *elapsed, gave_up.as_deref());
            let hp = host_port(client);
            let http = at.starts_with("http://");
            let text = match cause {
                Cause::Refused => format!(
                    "cannot reach Elasticsearch/OpenSearch at {at} ({what}): nothing listens on {hp} ({detail}). Check \
                     that the cluster is running and the port is right (Elasticsearch listens on 9200 by default) — \
                     {tries}"
                ),
                Cause::Dns => format!(
                    "cannot reach Elasticsearch/OpenSearch at {at} ({what}): the host name does not resolve ({detail}). \
                     Check the URL's spelling, or the DNS or VPN this machine uses — {tries}"
                ),
                Cause::NotTls => format!(
                    "cannot talk TLS to {at} ({what}): the server answered something that is not TLS ({detail}); it most \
                     likely serves plain HTTP on that port. Use http://{hp} instead of https://, or enable TLS on the \
                     cluster — {tries}"
                ),
                Cause::UntrustedCertificate => {
                    let advice = match client.ca_cert() {
                        Some(file) => format!(
                            "it is signed neither by the CA in --es-ca-cert {} nor by one this machine trusts ({detail}). \
                             Check that this file holds the CA that signed the cluster's HTTP certificate (a \
                             self-managed Elasticsearch 8 writes it to config/certs/http_ca.crt)",
                            file.display()
                        ),
                        None => format!(
                            "it is not signed by a certificate authority this machine trusts ({detail}). Pass the \
                             cluster's CA certificate with --es-ca-cert FILE (or ca_cert in faultline.toml [es]; a \
                             self-managed Elasticsearch 8 writes it to config/certs/http_ca.crt)"
                        ),
                    };
                    format!("cannot verify the TLS certificate of {at} ({what}): {advice}; {INSECURE} — {tries}")
                }
                Cause::WrongHostCertificate => format!(
                    "the TLS certificate of {at} ({what}) is not issued for the host in the URL ({detail}). Connect with \
                     a host name the certificate names (`openssl s_client -connect {hp}` shows them), or reissue it with \
                     this name in its subjectAltName; {INSECURE} — {tries}"
                ),
                Cause::ExpiredCertificate => format!(
                    "the TLS certificate of {at} ({what}) has expired or is not valid yet ({detail}). Renew the \
                     cluster's certificate, or check this machine's clock; {INSECURE} — {tries}"
                ),
                Cause::Tls => format!(
                    "the TLS handshake with {at} failed ({what}): {detail}. If the cluster serves plain HTTP on that \
                     port, use http://{hp} — {tries}"
                ),
                Cause::NotHttp => format!(
                    "{at} did not answer {what} in HTTP ({detail}): the port most likely expects TLS. Use https://{hp} \
                     instead of http:// — {tries}"
                ),
                Cause::Closed => {
                    let advice = if http {
                        format!(
                            "If the cluster has TLS enabled (the default of Elasticsearch 8, and of OpenSearch with its \
                             security plugin), use https://{hp}; otherwise a proxy or the cluster dropped the connection"
                        )
                    } else {
                        "A proxy or the cluster dropped the connection".to_string()
                    };
                    format!(
                        "cannot reach Elasticsearch/OpenSearch at {at} ({what}): the connection closed before any \
                         answer ({detail}). {advice} — {tries}"
                    )
                }
                Cause::CutOff { received, expected } => {
                    let of = expected.map_or(String::new(), |n| format!(" of the {n} announced"));
                    format!(
                        "the answer of {at} to {what} was cut off after {received} bytes{of} ({detail}): the \
                         connection closed in the middle of it. A proxy or load balancer between here and the cluster \
                         may limit the size or duration of answers; try a shorter --since, or connect to the cluster \
                         directly — {tries}"
                    )
                }
                Cause::InvalidUrl => {
                    return Error::Usage(format!(
                        "the Elasticsearch URL {at} cannot be used ({detail}): expected http://host:port or \
                         https://host:port"
                    ))
                }
                Cause::Other => {
                    format!("cannot reach Elasticsearch/OpenSearch at {at} ({what}): {detail} — {tries}")
                }
            };
            Error::Input(text)
        }
        Transport::Timeout { after, attempts } => {
            let over = if *attempts > 1 { format!(" over {attempts} attempts") } else { String::new() };
            let included = if *attempts > 1 { ", retries included" } else { "" };
            Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} did not answer {what} within {}{over} (--es-timeout {}{included}); \
                 the cluster may be overloaded — retry with a longer --es-timeout or a shorter --since",
                seconds(*after),
                seconds(client.timeout())
            ))
        }
    }
}

/// What an answer's body says, in a few words: `type: reason` of an error, the text of a plain
/// one, the title of an HTML page, or that it was empty.
fn said(reply: &Reply) -> String {
    let parts = reply.json().as_ref().and_then(error_parts);
    match parts {
        Some((kind, reason)) if kind.is_empty() => reason,
        Some((kind, reason)) if reason.is_empty() => kind,
        Some((kind, reason)) => format!("{kind}: {reason}"),
        None if reply.body.iter().all(u8::is_ascii_whitespace) => "an empty body".into(),
        None if reply.is_html() => match html_title(&reply.text()) {
            Some(title) => format!("an HTML page titled {title:?}"),
            None => "an HTML page".into(),
        },
        None => format!("{:?}", truncate(&mask_keys_in_text(&reply.text()), 200)),
    }
}

/// The `<title>` of an HTML page, whitespace collapsed, key-shaped text masked, at most 80
/// characters.
fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title: Vec<&str> = html.get(start..end)?.split_whitespace().collect();
    let title = title.join(" ");
    (!title.is_empty()).then(|| truncate(&mask_keys_in_text(&title), 80))
}

/// `, after a redirect to https://sso.example/login` when the answer came from elsewhere.
fn redirect_note(reply: &Reply) -> String {
    reply.redirected_to.as_ref().map_or(String::new(), |to| format!(", after a redirect to {to}"))
}

/// A successful answer that is not the JSON the cluster sends: a login page, a proxy's own
/// answer. Never read as an empty answer ("no index matches").
pub fn not_json(client: &Client, what: &str, reply: &Reply) -> Error {
    let at = client.base_url();
    let status = reply.status;
    let redirect = redirect_note(reply);
    if reply.is_html() {
        Error::Input(format!(
            "Elasticsearch/OpenSearch at {at} answered {what} with HTTP {status} and {}{redirect}, not JSON: a login \
             page or proxy stands in front of the cluster. Point --es at the cluster's own address, or at a proxy \
             that passes API requests through (faultline sends FAULTLINE_ES_API_KEY or FAULTLINE_ES_USERNAME and \
             FAULTLINE_ES_PASSWORD to the cluster; it cannot sign in to a web page)",
            said(reply)
        ))
    } else {
        Error::Input(format!(
            "Elasticsearch/OpenSearch at {at} answered {what} with HTTP {status} and {}{redirect}, not JSON: is {at} \
             the cluster's address? A proxy may be answering in its place",
            said(reply)
        ))
    }
}

/// A JSON answer that lacks what every server puts in it (`expected`, e.g. `"fields"` of
/// `_field_caps`): a proxy's or another service's JSON.
pub fn unexpected_json(client: &Client, what: &str, reply: &Reply, expected: &str) -> Error {
    let at = client.base_url();
    let keys = reply
        .json()
        .and_then(|v| v.as_object().map(|o| o.keys().take(8).cloned().collect::<Vec<_>>()))
        .map_or("not an object".to_string(), |k| format!("keys: {}", k.join(", ")));
    Error::Input(format!(
        "Elasticsearch/OpenSearch at {at} answered {what} with HTTP {} and JSON that is not its answer (no {expected}; \
         {keys}){}: is {at} the cluster's address? A proxy or another service may be answering in its place",
        reply.status,
        redirect_note(reply)
    ))
}

/// The message for an HTTP error answer to `what` (e.g. `POST claude-*/_msearch`).
/// `index_not_found_exception` is handled by the caller, which lists the indices that exist.
pub fn http_error(client: &Client, what: &str, reply: &Reply) -> Error {
    let json = reply.json();
    let parts = json.as_ref().and_then(error_parts);
    let at = client.base_url();
    let tried = client.auth().describe();
    let redirect = redirect_note(reply);
    match reply.status {
        401 => {
            let said = match &parts {
                Some(_) => said(reply),
                None if reply.body.iter().all(u8::is_ascii_whitespace) => "an empty body".into(),
                None => said(reply),
            };
            Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} refused the credentials (HTTP 401, {said}{redirect}); tried {tried}. \
                 Set FAULTLINE_ES_API_KEY (id:key or the encoded form) or FAULTLINE_ES_USERNAME and \
                 FAULTLINE_ES_PASSWORD"
            ))
        }
        403 => {
            let reason = match parts {
                Some((_, r)) if !r.is_empty() => r,
                _ => said(reply),
            };
            Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} forbade {what} (HTTP 403{redirect}) for {tried}: {reason}. The \
                 credential needs the read and view_index_metadata privileges on the index pattern"
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
            _ if matches!(reply.status, 429 | 502 | 503 | 504) => overloaded(client, what, reply),
            _ => Error::Input(format!(
                "Elasticsearch/OpenSearch at {at} answered {what} with HTTP {}{redirect}: {}",
                reply.status,
                said(reply)
            )),
        },
    }
}

/// A 429/502/503/504 that outlasted the retries: the answer, every attempt it took, and what
/// to do about it.
fn overloaded(client: &Client, what: &str, reply: &Reply) -> Error {
    let at = client.base_url();
    let status = reply.status;
    let times = match reply.attempts {
        1 => String::new(),
        n => format!(" {n} times over {}", seconds(reply.elapsed)),
    };
    let stopped = reply.gave_up.as_ref().map_or(String::new(), |why| format!("; {why}"));
    let advice = match status {
        429 => {
            "the cluster is overloaded (its search queue is full) or a proxy limits this client's rate: try again \
                in a few minutes, or ask less of it (a shorter --since)"
        }
        503 => {
            "the cluster is unavailable (nodes restarting, no elected master) or a proxy has no healthy backend: \
                check GET _cluster/health and try again"
        }
        _ => {
            "a proxy or load balancer in front of the cluster got no timely answer from it: check the cluster behind \
              it, or connect to it directly"
        }
    };
    let wait = if reply.gave_up.as_deref().is_some_and(|w| w.contains("Retry-After")) {
        "; or raise --es-timeout to let faultline wait as asked"
    } else {
        ""
    };
    Error::Input(format!(
        "Elasticsearch/OpenSearch at {at} answered {what} with HTTP {status} ({}){times}{}{stopped}. It means {advice}{wait}",
        said(reply),
        redirect_note(reply)
    ))
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
