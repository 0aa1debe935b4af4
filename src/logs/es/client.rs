//! The HTTP client: reqwest on rustls, one base URL, one credential, timeouts, and retries with
//! exponential backoff and full jitter on 429/502/503/504 and connection errors — the same
//! policy `diagnose` recommends to its users (rules/thresholds.toml `[retry]`), honouring
//! `retry-after`. Other 4xx are never retried; neither is a request that timed out (the next
//! try would wait as long again) nor a `too_many_buckets_exception` (a 503 that will not heal).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
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
    pub body: Vec<u8>,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `root_cause[0].type` of an error answer (else the error's own type), when it has one.
    pub fn root_cause_type(&self) -> Option<String> {
        self.json().as_ref().and_then(error_parts).map(|(kind, _)| kind).filter(|k| !k.is_empty())
    }
}

/// A request that got no HTTP response at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Could not connect (refused, DNS, TLS handshake), after every retry.
    Connect { detail: String, attempts: u32 },
    /// No complete answer within the time budget.
    Timeout { after: Duration },
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    auth: Auth,
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

    /// Sends one request, retrying as the module doc says. `path` starts with `/`.
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
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            let mut request = self.http.request(method.clone(), &url);
            if body.is_some() {
                request = request.header(CONTENT_TYPE, content_type).body(bytes.clone());
            }
            let sent = bytes.len() as u64;
            self.note(|t| {
                t.attempts += 1;
                t.bytes_sent += sent;
            });
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let elastic_product = header_text(response.headers(), "x-elastic-product");
                    let retry_after = header_text(response.headers(), RETRY_AFTER.as_str())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    match response.bytes().await {
                        Ok(body) => {
                            let received = body.len() as u64;
                            self.note(|t| t.bytes_received += received);
                            Ok((Reply { status, elastic_product, body: body.to_vec() }, retry_after))
                        }
                        Err(e) if e.is_timeout() => Err(Transport::Timeout { after: started.elapsed() }),
                        Err(e) => Err(Transport::Connect { detail: error_chain(&e), attempts: attempt }),
                    }
                }
                Err(e) if e.is_timeout() => Err(Transport::Timeout { after: started.elapsed() }),
                Err(e) => Err(Transport::Connect { detail: error_chain(&e), attempts: attempt }),
            };
            let last = attempt >= self.retry.max_attempts;
            match outcome {
                Ok((reply, retry_after)) if !last && is_retryable(&reply) => {
                    let backoff = self.retry.delay(attempt, self.unit_random());
                    // retry-after is the server's own estimate: never wait less, but never past the cap.
                    let wait = retry_after.map_or(backoff, |ra| ra.max(backoff)).min(self.retry.cap);
                    self.note(|t| {
                        t.retries.push(format!(
                            "HTTP {} from {method} {path}: retried after {:.1} s (attempt {} of {})",
                            reply.status,
                            wait.as_secs_f64(),
                            attempt + 1,
                            self.retry.max_attempts
                        ))
                    });
                    tokio::time::sleep(wait).await;
                }
                Ok((reply, _)) => return Ok(reply),
                Err(Transport::Connect { detail, .. }) if !last => {
                    let wait = self.retry.delay(attempt, self.unit_random());
                    self.note(|t| {
                        t.retries.push(format!(
                            "connection to {} failed ({detail}): retried after {:.1} s (attempt {} of {})",
                            self.base,
                            wait.as_secs_f64(),
                            attempt + 1,
                            self.retry.max_attempts
                        ))
                    });
                    tokio::time::sleep(wait).await;
                }
                Err(other) => return Err(other),
            }
        }
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
        let overflow = Reply {
            status: 503,
            elastic_product: None,
            body: br#"{"error":{"root_cause":[{"type":"too_many_buckets_exception","reason":"x","max_buckets":65535}],"type":"search_phase_execution_exception"},"status":503}"#.to_vec(),
        };
        assert!(!is_retryable(&overflow));
        let busy = Reply { status: 503, elastic_product: None, body: b"".to_vec() };
        assert!(is_retryable(&busy));
        let bad = Reply { status: 400, elastic_product: None, body: b"{}".to_vec() };
        assert!(!is_retryable(&bad));
    }

    #[test]
    fn explained_requests_carry_no_credentials() {
        let body = Body::Json(serde_json::json!({"size": 0}));
        let text = explain_request(&Method::POST, "/logs*/_search", Some(&body));
        assert!(text.starts_with("POST logs*/_search\n{"), "{text}");
        assert_eq!(explain_request(&Method::GET, "/", None), "GET /\n");
    }
}
