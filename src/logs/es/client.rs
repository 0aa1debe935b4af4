//! The HTTP client: reqwest on rustls, one base URL, one credential, and retries with
//! exponential backoff and full jitter on 429/502/503/504 and on transient connection failures
//! (refused, closed, cut off) — the same policy `diagnose` recommends to its users
//! (rules/thresholds.toml `[retry]`), honouring `Retry-After` in seconds or as an HTTP date.
//! `--es-timeout` is the budget of one request, its retries and their waits included: a retry
//! that could not finish within it is not made. Other 4xx are never retried; neither are
//! hopeless failures (a TLS mismatch or an untrusted certificate, an answer that is not HTTP, a
//! URL that cannot be used), a request that ran out of time, nor a `too_many_buckets_exception`
//! (a 503 that will not heal).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, DATE, RETRY_AFTER};
use reqwest::Method;

use super::response::error_parts;
use super::settings::{Auth, EsSettings};
use crate::error::{Error, Result};
use crate::knowledge::Knowledge;

/// Backoff shape, from `Knowledge.thresholds.retry`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl RetryPolicy {
    pub fn from_knowledge(k: &Knowledge) -> RetryPolicy {
        let r = &k.thresholds.retry;
        RetryPolicy {
            max_attempts: r.max_attempts.max(1),
            base: Duration::from_millis(r.base_delay_ms),
            cap: Duration::from_millis(r.cap_delay_ms),
        }
    }

    /// Full jitter: a uniform delay in `[0, min(cap, base * 2^(attempt-1))]`.
    pub fn delay(&self, attempt: u32, unit_random: f64) -> Duration {
        let exp = self.base.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(30)));
        exp.min(self.cap).mul_f64(unit_random.clamp(0.0, 1.0))
    }
}

/// What was exchanged with the cluster: the benchmark's figures and `-v` output.
#[derive(Debug, Clone, Default)]
pub struct Traffic {
    /// Logical requests (a retried request counts once here).
    pub requests: u32,
    /// HTTP attempts, retries included.
    pub attempts: u32,
    /// Request body bytes sent.
    pub bytes_sent: u64,
    /// Response body bytes received.
    pub bytes_received: u64,
    /// One line per retry: what failed and how long we waited.
    pub retries: Vec<String>,
    /// Kibana Dev Tools form of every request sent (only with `--explain-queries`).
    pub explained: Vec<String>,
    /// How the preset's fields and rules are pushed down (comment lines, `--explain-queries`).
    pub pushdown: Vec<String>,
}

/// A response, whatever its status.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The `X-Elastic-Product` header (Elasticsearch >= 7.14 on authenticated responses).
    pub elastic_product: Option<String>,
    /// The `Content-Type` header, as sent.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// Attempts made (1 when the request was not retried) and the time they took, waits included.
    pub attempts: u32,
    pub elapsed: Duration,
    /// Why the retries stopped before the last attempt, when they did (the server asked for a
    /// wait past `--es-timeout`).
    pub gave_up: Option<String>,
    /// Where redirects led, when they did (a login proxy sends the client to its sign-in page):
    /// scheme, host and path only, credentials redacted.
    pub redirected_to: Option<String>,
}

impl Reply {
    /// A reply made up from parts (an `_msearch` item error, tests): one attempt, no headers.
    pub fn new(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            elastic_product: None,
            content_type: None,
            body,
            attempts: 1,
            elapsed: Duration::ZERO,
            gave_up: None,
            redirected_to: None,
        }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether the answer is a web page rather than an API answer: `text/html`, or a body that
    /// opens like one.
    pub fn is_html(&self) -> bool {
        let typed = self.content_type.as_deref().is_some_and(|t| t.to_ascii_lowercase().contains("html"));
        let head: String = self.text().trim_start().chars().take(15).collect::<String>().to_ascii_lowercase();
        typed || head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<head")
    }

    /// `root_cause[0].type` of an error answer (else the error's own type), when it has one.
    pub fn root_cause_type(&self) -> Option<String> {
        self.json().as_ref().and_then(error_parts).map(|(kind, _)| kind).filter(|k| !k.is_empty())
    }
}

/// Why a request got no HTTP answer. Decides whether it is retried and what the message
/// advises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// Nothing listens at that host and port.
    Refused,
    /// The host name does not resolve.
    Dns,
    /// `https://` to a server that answered something other than TLS (plain HTTP, most likely).
    NotTls,
    /// The certificate is not signed by a CA this machine (or `--es-ca-cert`) trusts.
    UntrustedCertificate,
    /// The certificate does not name the host of the URL.
    WrongHostCertificate,
    /// The certificate has expired or is not valid yet.
    ExpiredCertificate,
    /// Another TLS failure (an alert, no protocol in common).
    Tls,
    /// `http://` to a server that did not answer in HTTP (a TLS port, most likely).
    NotHttp,
    /// The connection closed before any answer (an `http://` URL to a TLS-only cluster does that).
    Closed,
    /// The connection ended in the middle of the answer.
    CutOff { received: u64, expected: Option<u64> },
    /// The URL cannot be used (caught earlier by the settings; kept for what slips through).
    InvalidUrl,
    /// Anything else (reset, network unreachable).
    Other,
}

impl Cause {
    /// Whether another attempt could succeed. A TLS mismatch, an untrusted certificate, an
    /// answer that is not HTTP or a broken URL will fail the same way every time.
    pub fn retryable(self) -> bool {
        matches!(self, Cause::Refused | Cause::Dns | Cause::Closed | Cause::CutOff { .. } | Cause::Other)
    }
}

/// A request that got no (complete) HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Could not connect, or lost the connection, after `attempts` attempts (one when the cause
    /// is hopeless); `gave_up` when the retries stopped because the budget would run out.
    Connect { detail: String, cause: Cause, attempts: u32, elapsed: Duration, gave_up: Option<String> },
    /// No complete answer within the time budget (`--es-timeout`, retries included).
    Timeout { after: Duration, attempts: u32 },
}

/// The outcome of one attempt.
enum Attempt {
    Answered(Reply, Option<Duration>),
    Failed(Cause, String),
    TimedOut,
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    auth: Auth,
    ca_cert: Option<std::path::PathBuf>,
    timeout: Duration,
    retry: RetryPolicy,
    explain: bool,
    traffic: Mutex<Traffic>,
    rng: Mutex<u64>,
}

/// The body of a request: JSON, or NDJSON for `_msearch`/`_bulk`.
pub enum Body {
    Json(serde_json::Value),
    Ndjson(String),
}

impl Client {
    pub fn new(settings: &EsSettings, retry: RetryPolicy) -> Result<Client> {
        let mut headers = HeaderMap::new();
        if let Some(value) = settings.auth.header_value() {
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                Error::Usage(format!(
                    "the Elasticsearch credential ({}) is not a valid header value",
                    settings.auth.describe()
                ))
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!("faultline/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .timeout(settings.timeout);
        if let Some(path) = &settings.ca_cert {
            let pem = std::fs::read(path)
                .map_err(|e| Error::Usage(format!("--es-ca-cert {}: cannot read: {e}", path.display())))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| Error::Usage(format!("--es-ca-cert {}: not a PEM certificate: {e}", path.display())))?;
            if certs.is_empty() {
                return Err(Error::Usage(format!("--es-ca-cert {}: no certificate in the file", path.display())));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        if settings.insecure {
            builder = builder.danger_accept_invalid_certs(true);
        }
        let http = builder.build().map_err(|e| Error::Input(format!("cannot set up the HTTP client: {e}")))?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9, |d| d.as_nanos() as u64);
        Ok(Client {
            http,
            base: settings.url.clone(),
            auth: settings.auth.clone(),
            ca_cert: settings.ca_cert.clone(),
            timeout: settings.timeout,
            retry,
            explain: settings.explain_queries,
            traffic: Mutex::new(Traffic::default()),
            rng: Mutex::new(seed | 1),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The CA certificate file given with `--es-ca-cert` / `[es] ca_cert`, if any.
    pub fn ca_cert(&self) -> Option<&std::path::Path> {
        self.ca_cert.as_deref()
    }

    pub fn traffic(&self) -> Traffic {
        self.traffic.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// Records how the preset is pushed down, for `--explain-queries`.
    pub fn explain_note(&self, text: &str) {
        let text = text.to_string();
        self.note(|t| t.pushdown.push(text));
    }

    fn note(&self, f: impl FnOnce(&mut Traffic)) {
        if let Ok(mut t) = self.traffic.lock() {
            f(&mut t);
        }
    }

    /// splitmix64: jitter needs spread, not secrecy.
    fn unit_random(&self) -> f64 {
        let Ok(mut state) = self.rng.lock() else { return 0.5 };
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Sends one request, retrying as the module doc says, within `--es-timeout` in all.
    /// `path` starts with `/`.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Body>) -> Result<Reply, Transport> {
        let url = format!("{}{path}", self.base);
        let (content_type, bytes): (&str, Vec<u8>) = match body {
            Some(Body::Json(v)) => ("application/json", serde_json::to_vec(v).unwrap_or_default()),
            Some(Body::Ndjson(text)) => ("application/x-ndjson", text.clone().into_bytes()),
            None => ("application/json", Vec::new()),
        };
        if self.explain {
            let shown = explain_request(&method, path, body);
            self.note(|t| t.explained.push(shown));
        }
        self.note(|t| t.requests += 1);
        let began = Instant::now();
        // A budget too long for the clock is no budget (a day is as good as forever here).
        let deadline = began.checked_add(self.timeout).unwrap_or(began + Duration::from_secs(86_400));
        let mut attempt = 0;
        loop {
            attempt += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(Transport::Timeout { after: began.elapsed(), attempts: attempt - 1 });
            }
            let mut request = self.http.request(method.clone(), &url).timeout(remaining);
            if body.is_some() {
                request = request.header(CONTENT_TYPE, content_type).body(bytes.clone());
            }
            let sent = bytes.len() as u64;
            self.note(|t| {
                t.attempts += 1;
                t.bytes_sent += sent;
            });
            let outcome = self.attempt(request, &url).await;
            let last = attempt >= self.retry.max_attempts;
            let backoff = self.retry.delay(attempt, self.unit_random());
            // Whether waiting `wait` would leave no time for the next attempt.
            let past_budget = |wait: Duration| Instant::now().checked_add(wait).map_or(true, |t| t >= deadline);
            match outcome {
                Attempt::Answered(mut reply, retry_after) => {
                    reply.attempts = attempt;
                    reply.elapsed = began.elapsed();
                    if last || !is_retryable(&reply) {
                        return Ok(reply);
                    }
                    // Retry-After is the server's own estimate: never wait less than it says.
                    let wait = retry_after.map_or(backoff, |ra| ra.max(backoff));
                    if past_budget(wait) {
                        reply.gave_up = Some(match retry_after {
                            Some(ra) if ra >= backoff => format!(
                                "it asked to retry after {} (Retry-After), past what is left of --es-timeout {}",
                                seconds(ra),
                                seconds(self.timeout)
                            ),
                            _ => {
                                format!("the next retry would have waited past --es-timeout {}", seconds(self.timeout))
                            }
                        });
                        return Ok(reply);
                    }
                    self.note(|t| {
                        t.retries.push(format!(
                            "HTTP {} from {method} {path}: retried after {} (attempt {} of {})",
                            reply.status,
                            seconds(wait),
                            attempt + 1,
                            self.retry.max_attempts
                        ))
                    });
                    tokio::time::sleep(wait).await;
                }
                Attempt::TimedOut => return Err(Transport::Timeout { after: began.elapsed(), attempts: attempt }),
                Attempt::Failed(cause, detail) => {
                    let failed = |gave_up: Option<String>| Transport::Connect {
                        detail: detail.clone(),
                        cause,
                        attempts: attempt,
                        elapsed: began.elapsed(),
                        gave_up,
                    };
                    if last || !cause.retryable() {
                        return Err(failed(None));
                    }
                    if past_budget(backoff) {
                        return Err(failed(Some(format!(
                            "the next retry would have waited past --es-timeout {}",
                            seconds(self.timeout)
                        ))));
                    }
                    self.note(|t| {
                        t.retries.push(format!(
                            "connection to {} failed ({detail}): retried after {} (attempt {} of {})",
                            self.base,
                            seconds(backoff),
                            attempt + 1,
                            self.retry.max_attempts
                        ))
                    });
                    tokio::time::sleep(backoff).await;
                }
            }
        }
    }

    /// One attempt: the answer with its whole body, or why there was none.
    async fn attempt(&self, request: reqwest::RequestBuilder, url: &str) -> Attempt {
        let https = self.base.starts_with("https://");
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(e) if e.is_timeout() => return Attempt::TimedOut,
            Err(e) => return Attempt::Failed(classify(&e, https), error_chain(&e)),
        };
        let status = response.status().as_u16();
        let headers = response.headers();
        let elastic_product = header_text(headers, "x-elastic-product");
        let content_type = header_text(headers, CONTENT_TYPE.as_str());
        let server_date = header_text(headers, DATE.as_str());
        let retry_after = header_text(headers, RETRY_AFTER.as_str())
            .and_then(|v| retry_after(&v, server_date.as_deref(), Utc::now()));
        let asked = reqwest::Url::parse(url).ok();
        let redirected_to = (asked.as_ref() != Some(response.url())).then(|| shown_url(response.url()));
        let expected = response.content_length();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) if e.is_timeout() => return Attempt::TimedOut,
                Err(e) => {
                    let received = body.len() as u64;
                    self.note(|t| t.bytes_received += received);
                    return Attempt::Failed(Cause::CutOff { received, expected }, error_chain(&e));
                }
            }
        }
        let received = body.len() as u64;
        self.note(|t| t.bytes_received += received);
        let reply = Reply {
            status,
            elastic_product,
            content_type,
            body,
            attempts: 1,
            elapsed: Duration::ZERO,
            gave_up: None,
            redirected_to,
        };
        Attempt::Answered(reply, retry_after)
    }
}

/// `1.5 s`.
pub fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// A URL as messages show it: no userinfo, no query (a sign-in page's query carries state and
/// sometimes tokens).
fn shown_url(url: &reqwest::Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_password(None);
    let _ = shown.set_username("");
    shown.to_string()
}

/// The wait a `Retry-After` value asks for: delta-seconds, or an HTTP date (IMF-fixdate, and the
/// obsolete RFC 850 and asctime forms every recipient must accept, RFC 9110 §5.6.7) measured
/// from the server's own `Date` when it sent one (clocks disagree), else from `now`. A date in
/// the past asks for no wait. `None` when the value is neither.
pub fn retry_after(value: &str, server_date: Option<&str>, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = http_date(value)?;
    let reference = server_date.and_then(http_date).unwrap_or(now);
    Some((at - reference).to_std().unwrap_or(Duration::ZERO))
}

/// An HTTP date (RFC 9110 §5.6.7) in any of its three forms.
pub fn http_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t.with_timezone(&Utc));
    }
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT; asctime: Sun Nov  6 08:49:37 1994.
    let naive = NaiveDateTime::parse_from_str(text, "%A, %d-%b-%y %H:%M:%S GMT")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%a %b %e %H:%M:%S %Y"))
        .ok()?;
    Some(naive.and_utc())
}

/// What kind of failure a reqwest error is, from its chain of causes: rustls errors (inside an
/// `io::Error`), I/O error kinds, and hyper's messages (hyper is not a dependency to downcast to).
fn classify(e: &reqwest::Error, https: bool) -> Cause {
    use tokio_rustls::rustls::{CertificateError, Error as TlsError};
    if e.is_builder() {
        return Cause::InvalidUrl;
    }
    let mut text = e.to_string();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        // An io::Error's source() skips the error it wraps (and they nest): unwrap them by hand.
        let mut candidates: Vec<&dyn std::error::Error> = vec![s];
        while let Some(inner) = candidates
            .last()
            .and_then(|c| c.downcast_ref::<std::io::Error>())
            .and_then(|io| io.get_ref())
            .filter(|_| candidates.len() < 8)
        {
            candidates.push(inner);
        }
        for candidate in candidates {
            if let Some(tls) = candidate.downcast_ref::<TlsError>() {
                return match tls {
                    TlsError::InvalidMessage(_) | TlsError::PeerSentOversizedRecord => Cause::NotTls,
                    TlsError::InvalidCertificate(c) => match c {
                        CertificateError::UnknownIssuer | CertificateError::BadSignature => Cause::UntrustedCertificate,
                        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                            Cause::WrongHostCertificate
                        }
                        CertificateError::Expired
                        | CertificateError::ExpiredContext { .. }
                        | CertificateError::NotValidYet
                        | CertificateError::NotValidYetContext { .. } => Cause::ExpiredCertificate,
                        _ => Cause::Tls,
                    },
                    _ => Cause::Tls,
                };
            }
            if let Some(io) = candidate.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::ConnectionRefused {
                    return Cause::Refused;
                }
            }
        }
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    let text = text.to_ascii_lowercase();
    if text.contains("dns error") || text.contains("failed to lookup address") {
        Cause::Dns
    } else if text.contains("connection refused") {
        Cause::Refused
    } else if text.contains("invalid http") || text.contains("http/0.9") || text.contains("message head is too large") {
        if https {
            Cause::Other
        } else {
            Cause::NotHttp
        }
    } else if text.contains("connection closed before message completed") {
        Cause::Closed
    } else if https && (text.contains("tls") || text.contains("handshake")) {
        Cause::Tls
    } else {
        Cause::Other
    }
}

/// 429/502/503/504 are retried, except a bucket-limit refusal (503 on ES 7.x and OpenSearch):
/// the same request would overflow again.
fn is_retryable(reply: &Reply) -> bool {
    matches!(reply.status, 429 | 502 | 503 | 504)
        && !reply.root_cause_type().is_some_and(|t| t == "too_many_buckets_exception")
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
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

/// The Kibana Dev Tools form of a request: `POST index/_msearch` then the body. Credentials are
/// never part of it (they travel in a header this never prints).
pub fn explain_request(method: &Method, path: &str, body: Option<&Body>) -> String {
    // Dev Tools takes paths without the leading slash, except the root itself.
    let shown = match path.trim_start_matches('/') {
        "" => "/",
        rest => rest,
    };
    let mut out = format!("{method} {shown}\n");
    match body {
        Some(Body::Json(v)) => {
            out.push_str(&serde_json::to_string_pretty(v).unwrap_or_default());
            out.push('\n');
        }
        Some(Body::Ndjson(text)) => out.push_str(text),
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_jitter_stays_under_the_capped_exponential() {
        let p = RetryPolicy { max_attempts: 5, base: Duration::from_millis(500), cap: Duration::from_secs(30) };
        assert_eq!(p.delay(1, 1.0), Duration::from_millis(500));
        assert_eq!(p.delay(3, 1.0), Duration::from_millis(2000));
        assert_eq!(p.delay(20, 1.0), Duration::from_secs(30));
        assert_eq!(p.delay(3, 0.0), Duration::ZERO);
        assert_eq!(p.delay(2, 0.5), Duration::from_millis(500));
    }

    #[test]
    fn retry_policy_comes_from_the_knowledge_base() {
        let k = Knowledge::embedded().map_err(|e| e.to_string());
        let p = k.map(|k| RetryPolicy::from_knowledge(&k));
        assert_eq!(p.as_ref().map(|p| p.max_attempts), Ok(5));
        assert_eq!(p.map(|p| p.base), Ok(Duration::from_millis(500)));
    }

    #[test]
    fn bucket_overflow_is_not_retried_but_overload_is() {
        let overflow = Reply::new(
            503,
            br#"{"error":{"root_cause":[{"type":"too_many_buckets_exception","reason":"x","max_buckets":65535}],"type":"search_phase_execution_exception"},"status":503}"#.to_vec(),
        );
        assert!(!is_retryable(&overflow));
        let busy = Reply::new(503, Vec::new());
        assert!(is_retryable(&busy));
        let bad = Reply::new(400, b"{}".to_vec());
        assert!(!is_retryable(&bad));
    }

    #[test]
    fn an_http_date_retry_after_is_honoured() {
        let now = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").map(|t| t.with_timezone(&Utc));
        let now = now.unwrap_or_default();
        assert_eq!(retry_after("7", None, now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(" 0 ", None, now), Some(Duration::ZERO));
        // The three HTTP-date forms.
        assert_eq!(retry_after("Fri, 20 Nov 2026 10:00:30 GMT", None, now), Some(Duration::from_secs(30)));
        assert_eq!(retry_after("Friday, 20-Nov-26 10:01:00 GMT", None, now), Some(Duration::from_secs(60)));
        assert_eq!(retry_after("Fri Nov 20 10:00:05 2026", None, now), Some(Duration::from_secs(5)));
        assert_eq!(retry_after("Fri Nov  6 10:00:05 2026", None, now), Some(Duration::ZERO), "a past date: no wait");
        // Measured from the server's clock when it says what time it is.
        let server_date = Some("Fri, 20 Nov 2026 09:59:00 GMT");
        assert_eq!(retry_after("Fri, 20 Nov 2026 10:00:00 GMT", server_date, now), Some(Duration::from_secs(60)));
        assert_eq!(retry_after("soon", None, now), None);
        assert_eq!(retry_after("-5", None, now), None);
        assert_eq!(retry_after("99999999999999999999999", None, now), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn hopeless_causes_are_not_retried() {
        for cause in [
            Cause::NotTls,
            Cause::NotHttp,
            Cause::UntrustedCertificate,
            Cause::WrongHostCertificate,
            Cause::ExpiredCertificate,
            Cause::Tls,
            Cause::InvalidUrl,
        ] {
            assert!(!cause.retryable(), "{cause:?}");
        }
        for cause in [Cause::Refused, Cause::Closed, Cause::CutOff { received: 1, expected: Some(2) }, Cause::Other] {
            assert!(cause.retryable(), "{cause:?}");
        }
    }

    #[test]
    fn html_answers_are_recognised() {
        let mut page = Reply::new(200, b"\n <!DOCTYPE html><html><title>Sign in</title>".to_vec());
        assert!(page.is_html());
        page.body = b"{}".to_vec();
        page.content_type = Some("text/html; charset=utf-8".into());
        assert!(page.is_html());
        assert!(!Reply::new(200, b"{\"a\":1}".to_vec()).is_html());
    }

    #[test]
    fn explained_requests_carry_no_credentials() {
        let body = Body::Json(serde_json::json!({"size": 0}));
        let text = explain_request(&Method::POST, "/logs*/_search", Some(&body));
        assert!(text.starts_with("POST logs*/_search\n{"), "{text}");
        assert_eq!(explain_request(&Method::GET, "/", None), "GET /\n");
    }
}
