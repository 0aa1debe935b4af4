//! The steps of one path, each timed and bounded, none retried.
//!
//! reqwest does not expose the phases of its own connections, so the phases are measured on a
//! connection of their own, made first: `dns` (the system resolver through
//! `tokio::net::lookup_host`, as reqwest's default resolver does), `connect` (a TCP connection
//! to the resolved addresses in order, the first that accepts), `tls` (for `https`, a rustls
//! handshake with the same crypto provider and native root store reqwest uses). That connection
//! is then closed, and the HTTP steps go through reqwest pinned to the address that accepted,
//! with redirects and proxies off: `first_byte_ms` is the time until the response headers,
//! `ms` until the whole body (the first HTTP step's includes reqwest's own connection setup;
//! later ones reuse that connection). A path stops at its first failing step.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;
use serde_json::Value;

use super::report::{Outcome, PathName, PathReport, Step};
use super::{scrub, scrub_exact, Secret};

/// The largest response body read (a models list is a few kB).
const BODY_LIMIT: usize = 512 * 1024;
/// The longest message kept from a response.
const MESSAGE_LIMIT: usize = 300;

/// What one path is to do.
pub struct PathPlan<'a> {
    pub name: PathName,
    pub url: &'a Url,
    pub shown: String,
    pub source: String,
    pub credential: &'a Secret,
    pub header: CredentialHeader,
    pub model: &'a str,
    pub send: bool,
    pub timeout: Duration,
    pub anthropic_version: &'a str,
}

/// How the credential travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialHeader {
    /// `x-api-key: <key>`
    ApiKey,
    /// `Authorization: Bearer <token>`
    Bearer,
}

impl CredentialHeader {
    pub fn name(self) -> &'static str {
        match self {
            CredentialHeader::ApiKey => "x-api-key",
            CredentialHeader::Bearer => "authorization",
        }
    }
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
}

/// Runs one path.
pub async fn run_path(plan: &PathPlan<'_>, secrets: &[&str]) -> PathReport {
    let mut report = PathReport {
        name: plan.name,
        url: plan.shown.clone(),
        source: plan.source.clone(),
        ok: false,
        model_listed: None,
        steps: Vec::new(),
    };
    let host = plan.url.host_str().unwrap_or_default().trim_matches(['[', ']']).to_string();
    let port = plan.url.port_or_known_default().unwrap_or(443);
    let tls = plan.url.scheme() == "https";

    // dns
    let started = Instant::now();
    let resolved = tokio::time::timeout(plan.timeout, tokio::net::lookup_host((host.as_str(), port))).await;
    let addrs: Vec<SocketAddr> = match resolved {
        Ok(Ok(found)) => found.collect(),
        Ok(Err(e)) => {
            let mut step = Step::new("dns", Outcome::DnsError, ms(started));
            step.message = Some(scrub(&format!("cannot resolve {host}: {e}"), secrets));
            report.steps.push(step);
            return report;
        }
        Err(_) => {
            report.steps.push(timed_out("dns", started, plan.timeout, &format!("resolving {host}")));
            return report;
        }
    };
    let mut step = Step::new("dns", if addrs.is_empty() { Outcome::DnsError } else { Outcome::Ok }, ms(started));
    step.detail = Some(addrs.iter().map(|a| a.ip().to_string()).collect::<Vec<_>>().join(", "));
    if addrs.is_empty() {
        step.message = Some(format!("{host} resolved to no address"));
        report.steps.push(step);
        return report;
    }
    report.steps.push(step);

    // connect: the addresses in order, the first that accepts (as the HTTP client does).
    let started = Instant::now();
    let mut connected = None;
    let mut last_error = String::new();
    for addr in &addrs {
        let left = plan.timeout.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                connected = Some((stream, *addr));
                break;
            }
            Ok(Err(e)) => last_error = format!("{addr}: {}", connect_error_text(&e)),
            Err(_) => {
                report.steps.push(timed_out("connect", started, plan.timeout, &format!("connecting to {addr}")));
                return report;
            }
        }
    }
    let Some((stream, addr)) = connected else {
        let mut step = Step::new("connect", Outcome::ConnectError, ms(started));
        step.message = Some(scrub(&format!("cannot connect to {last_error}"), secrets));
        report.steps.push(step);
        return report;
    };
    let mut step = Step::new("connect", Outcome::Ok, ms(started));
    step.detail = Some(addr.to_string());
    report.steps.push(step);

    // tls
    if tls {
        // The root store is read before the clock starts: the step times the handshake.
        let config = tls_config();
        let started = Instant::now();
        let outcome = tokio::time::timeout(plan.timeout, handshake(config, &host, stream)).await;
        match outcome {
            Ok(Ok(detail)) => {
                let mut step = Step::new("tls", Outcome::Ok, ms(started));
                step.detail = Some(detail);
                report.steps.push(step);
            }
            Ok(Err(e)) => {
                let mut step = Step::new("tls", Outcome::TlsError, ms(started));
                step.message = Some(scrub(&format!("TLS handshake with {host} failed: {e}"), secrets));
                report.steps.push(step);
                return report;
            }
            Err(_) => {
                report.steps.push(timed_out("tls", started, plan.timeout, "the TLS handshake"));
                return report;
            }
        }
    } else {
        drop(stream);
    }

    // HTTP steps
    let client = match client(plan, &host, addr) {
        Ok(c) => c,
        Err(e) => {
            let mut step = Step::new("models", Outcome::ConnectionError, 0.0);
            step.message = Some(scrub(&e, secrets));
            report.steps.push(step);
            return report;
        }
    };
    let base = plan.url.as_str().trim_end_matches('/').to_string();

    let mut step =
        http_step(&client, plan, "models", reqwest::Method::GET, &base, "/v1/models?limit=1000", None, secrets).await;
    if step.step.ok {
        match &step.body {
            Some(Value::Object(o)) if o.get("data").is_some_and(Value::is_array) => {
                let ids: Vec<&str> = o
                    .get("data")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|m| m.get("id").and_then(Value::as_str)).collect())
                    .unwrap_or_default();
                let more = o.get("has_more").and_then(Value::as_bool).unwrap_or(false);
                let listed = ids.contains(&plan.model);
                report.model_listed = if listed || !more { Some(listed) } else { None };
                let count = if more { format!("{}+", ids.len()) } else { ids.len().to_string() };
                step.step.detail = Some(match report.model_listed {
                    Some(true) => format!("model listed ({count} models)"),
                    Some(false) => format!("model not listed ({count} models)"),
                    None => format!("model not on the first page ({count} models)"),
                });
            }
            _ => unexpected(&mut step.step, "the answer is not a models list"),
        }
    }
    let ok = step.step.ok;
    report.steps.push(step.step);
    if !ok {
        return report;
    }

    let count_body = serde_json::json!({
        "model": plan.model,
        "messages": [{"role": "user", "content": "faultline probe: count these tokens"}],
    });
    let mut step = http_step(
        &client,
        plan,
        "count_tokens",
        reqwest::Method::POST,
        &base,
        "/v1/messages/count_tokens",
        Some(&count_body),
        secrets,
    )
    .await;
    if step.step.ok {
        match step.body.as_ref().and_then(|b| b.get("input_tokens")).and_then(Value::as_u64) {
            Some(n) => step.step.detail = Some(format!("{n} input tokens")),
            None => unexpected(&mut step.step, "the answer has no input_tokens"),
        }
    }
    let ok = step.step.ok;
    report.steps.push(step.step);
    if !ok {
        return report;
    }

    if plan.send {
        let body = serde_json::json!({
            "model": plan.model,
            "max_tokens": 1,
            "messages": [{"role": "user", "content": "Reply with one word."}],
        });
        let mut step =
            http_step(&client, plan, "messages", reqwest::Method::POST, &base, "/v1/messages", Some(&body), secrets)
                .await;
        if step.step.ok {
            let b = step.body.as_ref();
            match b.and_then(|b| b.get("type")).and_then(Value::as_str) {
                Some("message") => {
                    let out = b.and_then(|b| b.pointer("/usage/output_tokens")).and_then(Value::as_u64).unwrap_or(0);
                    let stop = b.and_then(|b| b.get("stop_reason")).and_then(Value::as_str).unwrap_or("-");
                    step.step.detail = Some(format!("{out} output token(s), stop_reason {stop}"));
                }
                _ => unexpected(&mut step.step, "the answer is not a message"),
            }
        }
        let ok = step.step.ok;
        report.steps.push(step.step);
        if !ok {
            return report;
        }
    }
    report.ok = true;
    report
}

fn timed_out(name: &'static str, started: Instant, budget: Duration, what: &str) -> Step {
    let mut step = Step::new(name, Outcome::Timeout, ms(started));
    step.message = Some(format!("no answer to {what} within {}", show_duration(budget)));
    step
}

fn unexpected(step: &mut Step, why: &str) {
    step.ok = false;
    step.outcome = Outcome::Unexpected;
    step.message = Some(match step.message.take() {
        Some(m) => format!("{why}: {m}"),
        None => why.to_string(),
    });
}

/// `10 s`, `1.5 s`, `500 ms`.
pub fn show_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn connect_error_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused (nothing listens there)".into(),
        _ => e.to_string(),
    }
}

/// rustls on ring with the native root store: what reqwest uses with `rustls-tls-native-roots`.
fn tls_config() -> Result<Arc<tokio_rustls::rustls::ClientConfig>, String> {
    use tokio_rustls::rustls;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A TLS handshake over `stream`; the negotiated protocol version on success.
async fn handshake(
    config: Result<Arc<tokio_rustls::rustls::ClientConfig>, String>,
    host: &str,
    stream: tokio::net::TcpStream,
) -> Result<String, String> {
    use tokio_rustls::rustls;
    let name = rustls::pki_types::ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(config?);
    let tls = connector.connect(name, stream).await.map_err(|e| e.to_string())?;
    let version = tls.get_ref().1.protocol_version().map(|v| format!("{v:?}")).unwrap_or_else(|| "TLS".into());
    Ok(version.replace("TLSv1_", "TLS 1.").replace("TLSv1", "TLS 1"))
}

fn client(plan: &PathPlan<'_>, host: &str, addr: SocketAddr) -> Result<reqwest::Client, String> {
    let mut headers = HeaderMap::new();
    let value = match plan.header {
        CredentialHeader::ApiKey => HeaderValue::from_bytes(plan.credential.expose().as_bytes()),
        CredentialHeader::Bearer => HeaderValue::from_bytes(format!("Bearer {}", plan.credential.expose()).as_bytes()),
    };
    let mut value =
        value.map_err(|_| format!("the credential cannot be sent as a `{}` header value", plan.header.name()))?;
    value.set_sensitive(true);
    headers.insert(HeaderName::from_static(plan.header.name()), value);
    if let Ok(v) = HeaderValue::from_str(plan.anthropic_version) {
        headers.insert(HeaderName::from_static("anthropic-version"), v);
    }
    let mut builder = reqwest::Client::builder()
        .default_headers(headers)
        .user_agent(concat!("faultline/", env!("CARGO_PKG_VERSION"), " (probe)"))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(plan.timeout)
        .timeout(plan.timeout);
    if host.parse::<std::net::IpAddr>().is_err() {
        builder = builder.resolve(host, addr);
    }
    builder.build().map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

struct HttpStep {
    step: Step,
    body: Option<Value>,
}

#[allow(clippy::too_many_arguments)]
async fn http_step(
    client: &reqwest::Client,
    plan: &PathPlan<'_>,
    name: &'static str,
    method: reqwest::Method,
    base: &str,
    path: &str,
    body: Option<&Value>,
    secrets: &[&str],
) -> HttpStep {
    let shown_path = path.split('?').next().unwrap_or(path);
    let request_line = format!("{method} {shown_path}");
    let mut request = client.request(method, format!("{base}{path}"));
    if let Some(b) = body {
        request = request.header("content-type", "application/json").body(serde_json::to_vec(b).unwrap_or_default());
    }
    let started = Instant::now();
    let deadline = started + plan.timeout;
    let sent = tokio::time::timeout(plan.timeout, request.send()).await;
    let response = match sent {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            let outcome = if e.is_timeout() { Outcome::Timeout } else { Outcome::ConnectionError };
            let mut step = Step::new(name, outcome, ms(started));
            step.request = Some(request_line);
            step.message = Some(if e.is_timeout() {
                format!("no answer to {} within {}", step.request.as_deref().unwrap_or(""), show_duration(plan.timeout))
            } else {
                scrub(&error_chain(&e), secrets)
            });
            return HttpStep { step, body: None };
        }
        Err(_) => {
            let mut step = timed_out(name, started, plan.timeout, &request_line);
            step.request = Some(request_line);
            return HttpStep { step, body: None };
        }
    };
    let first_byte = ms(started);
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let mut response = response;
    let mut bytes: Vec<u8> = Vec::new();
    let mut broken = None;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                let room = BODY_LIMIT.saturating_sub(bytes.len());
                bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if bytes.len() >= BODY_LIMIT {
                    break;
                }
            }
            Ok(Ok(None)) => break,
            Ok(Err(e)) => {
                broken = Some((Outcome::ConnectionError, scrub(&error_chain(&e), secrets)));
                break;
            }
            Err(_) => {
                broken = Some((
                    Outcome::Timeout,
                    format!("the body of the answer did not arrive within {}", show_duration(plan.timeout)),
                ));
                break;
            }
        }
    }
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(|v| scrub(v.trim(), secrets));
    let success = (200..300).contains(&status);
    let outcome = match (&broken, success) {
        (Some((o, _)), _) => *o,
        (None, true) => Outcome::Ok,
        (None, false) => Outcome::HttpError,
    };
    let mut step = Step::new(name, outcome, ms(started));
    step.request = Some(request_line);
    step.first_byte_ms = Some(first_byte);
    step.status = Some(status);
    // Request IDs look key-shaped to the generic masker; only a known secret is replaced there.
    step.request_id = headers.get("request-id").and_then(|v| v.to_str().ok()).map(|v| scrub_exact(v.trim(), secrets));
    step.retry_after = header("retry-after");
    step.server = header("server");
    step.via = header("via");
    step.ratelimit = ratelimit_headers(&headers, secrets);
    let json: Option<Value> = serde_json::from_slice(&bytes).ok();
    let api_error = json.as_ref().and_then(api_error);
    if let Some((kind, message)) = &api_error {
        step.error_type = Some(scrub(kind, secrets));
        step.message = Some(clip(&scrub(message, secrets)));
    } else if !success {
        let text = String::from_utf8_lossy(&bytes);
        step.message = body_message(&text).map(|m| clip(&scrub(&m, secrets)));
        if (300..400).contains(&status) {
            let to = header("location").unwrap_or_else(|| "?".into());
            step.message = Some(format!("redirected to {to}"));
        }
    }
    if let Some((_, m)) = broken {
        step.message = Some(m);
    }
    step.answered_by = Some(if api_error.is_some() || step.request_id.is_some() {
        "api"
    } else if plan.name == PathName::Gateway {
        "gateway"
    } else {
        "other"
    });
    HttpStep { step, body: if success { json } else { None } }
}

/// `(error.type, error.message)` of an Anthropic error body `{"type":"error","error":{…}}`.
pub fn api_error(v: &Value) -> Option<(String, String)> {
    if v.get("type").and_then(Value::as_str) != Some("error") {
        return None;
    }
    let e = v.get("error")?;
    let kind = e.get("type").and_then(Value::as_str)?;
    let message = e.get("message").and_then(Value::as_str).unwrap_or_default();
    Some((kind.to_string(), message.to_string()))
}

/// What a non-API error body says: the `<title>` of an HTML page, else its first non-empty line.
fn body_message(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if let (Some(open), Some(close)) = (lower.find("<title>"), lower.find("</title>")) {
        if open + 7 <= close {
            let title = text.get(open + 7..close).unwrap_or_default().trim();
            if !title.is_empty() {
                return Some(title.to_string());
            }
        }
    }
    text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string)
}

fn clip(text: &str) -> String {
    if text.chars().count() <= MESSAGE_LIMIT {
        return text.to_string();
    }
    let mut out: String = text.chars().take(MESSAGE_LIMIT).collect();
    out.push('…');
    out
}

fn ratelimit_headers(headers: &HeaderMap, secrets: &[&str]) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter_map(|(name, value)| {
            let rest = name.as_str().strip_prefix("anthropic-ratelimit-")?;
            Some((rest.to_string(), scrub(value.to_str().ok()?.trim(), secrets)))
        })
        .collect()
}

/// The innermost causes of a reqwest error, e.g. `tcp connect error: Connection refused (os error 111)`.
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_bodies_are_recognised_and_others_are_not() {
        let body = serde_json::json!({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"});
        assert_eq!(api_error(&body), Some(("overloaded_error".into(), "Overloaded".into())));
        assert_eq!(api_error(&serde_json::json!({"error":{"message":"x"}})), None);
    }

    #[test]
    fn error_pages_are_summarised_by_their_title_or_first_line() {
        let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>…</body></html>";
        assert_eq!(body_message(nginx).as_deref(), Some("502 Bad Gateway"));
        assert_eq!(body_message("\n no healthy upstream\n").as_deref(), Some("no healthy upstream"));
        assert_eq!(body_message("<title></title>").as_deref(), Some("<title></title>"));
        assert_eq!(body_message(""), None);
        assert_eq!(clip(&"x".repeat(400)).chars().count(), MESSAGE_LIMIT + 1);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(show_duration(Duration::from_secs(10)), "10 s");
        assert_eq!(show_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(show_duration(Duration::from_millis(250)), "250 ms");
    }
}
