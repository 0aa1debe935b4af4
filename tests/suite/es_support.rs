//! Shared by the tests/suite/es_*.rs modules (and benches/es.rs): a real `osmem-server` started
//! once per test binary on a free loopback port, a tiny HTTP client to seed it through `_bulk`, a
//! loopback fake server that answers recorded responses (a SERVER, not a mock of our HTTP layer)
//! over plain HTTP or TLS (tests/fixtures/es/tls/), raw listeners that answer fixed bytes (a plain
//! HTTP server for a client speaking TLS, TLS bytes for a client speaking HTTP), and helpers to
//! run the backend with a fast retry policy.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use faultline::cli::{Cli, Command as Cmd, DiagnoseArgs};
use faultline::config::Config;
use faultline::context::RunContext;
use faultline::logs::es::EsEnv;
use tokio_rustls::rustls;

/// The running osmem-server. Its stdin is a pipe we hold: when the test binary exits the pipe
/// closes and the server exits (it also watches our pid), so no server outlives the tests.
pub struct Osmem {
    pub url: String,
    child: Mutex<Child>,
}

impl Drop for Osmem {
    fn drop(&mut self) {
        if let Ok(mut c) = self.child.lock() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn osmem_binary() -> PathBuf {
    if let Ok(p) = std::env::var("OSMEM_SERVER_BIN") {
        return PathBuf::from(p);
    }
    let out = Command::new("python3")
        .args(["-c", "import osmem_server, sys; sys.stdout.write(osmem_server.resolve_binary())"])
        .output();
    match out {
        Ok(o) if o.status.success() && !o.stdout.is_empty() => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        _ => panic!("osmem-server not found: `pip install -r tests/requirements.txt` (or set OSMEM_SERVER_BIN)"),
    }
}

/// The shared server, started on first use.
pub fn osmem() -> &'static Osmem {
    static SERVER: OnceLock<Osmem> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut child = Command::new(osmem_binary())
            .args(["--addr", "127.0.0.1:0", "--no-ja", "--parent-pid", &std::process::id().to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start osmem-server: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("osmem-server: no stdout"));
        // The first stdout line is {"url": ..., "pid": ..., "version": ...} once it listens.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("osmem-server did not start within 30 s")
        });
        let ready: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("osmem-server said {line:?}: {e}"));
        let url = ready["url"].as_str().unwrap_or_else(|| panic!("no url in {line}")).to_string();
        // Wait for GET / to answer.
        for _ in 0..100 {
            if http("GET", &url, "/", None, &[]).is_ok_and(|r| r.0 == 200) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Osmem { url, child: Mutex::new(child) }
    })
}

/// Minimal blocking HTTP/1.1 (Connection: close): `(status, body)`.
pub fn http(
    method: &str,
    base: &str,
    path: &str,
    body: Option<(&str, &[u8])>,
    headers: &[(&str, &str)],
) -> std::io::Result<(u16, String)> {
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let bytes = body.map_or(&[][..], |(_, b)| b);
    if let Some((ct, b)) = body {
        req.push_str(&format!("Content-Type: {ct}\r\nContent-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    stream.write_all(bytes)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
    let body = if chunked { dechunk(rest) } else { rest.to_string() };
    Ok((status, body))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Creates `index` (with `mapping` when given) and bulk-loads `docs` (one JSON object per item).
pub fn seed(index: &str, mapping: Option<&serde_json::Value>, docs: &[serde_json::Value]) {
    let url = &osmem().url;
    let _ = http("DELETE", url, &format!("/{index}"), None, &[]);
    if let Some(m) = mapping {
        let body = serde_json::json!({"mappings": m}).to_string();
        let (status, text) = http("PUT", url, &format!("/{index}"), Some(("application/json", body.as_bytes())), &[])
            .unwrap_or_else(|e| panic!("PUT {index}: {e}"));
        assert_eq!(status, 200, "PUT {index}: {text}");
    }
    for chunk in docs.chunks(5000) {
        let mut nd = String::new();
        for d in chunk {
            nd.push_str(&serde_json::json!({"index": {"_index": index}}).to_string());
            nd.push('\n');
            nd.push_str(&d.to_string());
            nd.push('\n');
        }
        let (status, text) =
            http("POST", url, "/_bulk?refresh=true", Some(("application/x-ndjson", nd.as_bytes())), &[])
                .unwrap_or_else(|e| panic!("_bulk: {e}"));
        assert_eq!(status, 200, "_bulk: {text}");
        assert!(text.contains("\"errors\":false"), "_bulk reported errors: {}", &text[..text.len().min(800)]);
    }
    let (status, text) = http("POST", url, &format!("/{index}/_refresh"), None, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status, 200, "_refresh: {text}");
}

/// A faultline.toml with a fast retry policy (same shape, milliseconds instead of seconds): a
/// copy of the one loaded once per test binary.
pub fn fast_config() -> Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("faultline.toml");
        std::fs::write(&path, "[thresholds.retry]\nmax_attempts = 3\nbase_delay_ms = 20\ncap_delay_ms = 200\n")
            .unwrap_or_else(|e| panic!("{e}"));
        Config::load(Some(&path), &RunContext::default()).unwrap_or_else(|e| panic!("{e}"))
    });
    config.clone()
}

pub fn diagnose_args(extra: &[&str]) -> DiagnoseArgs {
    use clap::Parser;
    let mut argv = vec!["faultline", "diagnose"];
    argv.extend_from_slice(extra);
    match Cli::try_parse_from(argv).map(|c| c.command) {
        Ok(Cmd::Diagnose(a)) => a,
        other => panic!("{other:?}"),
    }
}

pub fn ctx_with(env: EsEnv) -> RunContext {
    RunContext { es: env, ..RunContext::default() }
}

/// One request the fake server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// When the request arrived.
    pub at: Instant,
}

/// What the fake server answers.
#[derive(Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
    /// Send only this many bytes of the body (Content-Length still announces all of it), then
    /// close: an answer cut off on the way.
    pub cut_after: Option<usize>,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
            cut_after: None,
        }
    }
    pub fn html(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.into(),
            delay: Duration::ZERO,
            cut_after: None,
        }
    }
    pub fn cut_after(mut self, bytes: usize) -> Answer {
        self.cut_after = Some(bytes);
        self
    }
    pub fn header(mut self, k: &str, v: &str) -> Answer {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delayed(mut self, d: Duration) -> Answer {
        self.delay = d;
        self
    }
}

type Route = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

/// A loopback HTTP server answering with `route(request, nth request so far)`.
pub struct FakeServer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// TCP connections accepted.
    pub connections: Arc<AtomicUsize>,
}

impl FakeServer {
    pub fn start(route: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        Self::listen(listener, "http", "127.0.0.1", None, route)
    }

    /// The same server behind TLS, with the certificate in tests/fixtures/es/tls/server.pem
    /// (issued for `localhost` and `127.0.0.1` by tests/fixtures/es/tls/ca.pem). Its URL names
    /// `localhost`.
    pub fn start_tls(route: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        Self::listen(listener, "https", "localhost", Some(tls_config()), route)
    }

    /// The TLS server on another loopback address (`127.0.0.2`, which its certificate does not
    /// name); `None` when that address cannot be bound here.
    pub fn start_tls_on(
        ip: &str,
        route: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static,
    ) -> Option<FakeServer> {
        let listener = TcpListener::bind((ip, 0)).ok()?;
        Some(Self::listen(listener, "https", ip, Some(tls_config()), route))
    }

    fn listen(
        listener: TcpListener,
        scheme: &str,
        host: &str,
        tls: Option<Arc<rustls::ServerConfig>>,
        route: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static,
    ) -> FakeServer {
        let port = listener.local_addr().unwrap_or_else(|e| panic!("{e}")).port();
        let url = format!("{scheme}://{host}:{port}");
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let connections = Arc::new(AtomicUsize::new(0));
        let route: Arc<Route> = Arc::new(route);
        let (log, count) = (Arc::clone(&seen), Arc::clone(&connections));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                let route = Arc::clone(&route);
                let log = Arc::clone(&log);
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    match tls {
                        None => serve(stream, &*route, &log),
                        Some(config) => {
                            // A client that does not speak TLS (or refuses the certificate) ends here.
                            let Ok(conn) = rustls::ServerConnection::new(config) else { return };
                            serve(rustls::StreamOwned::new(conn, stream), &*route, &log);
                        }
                    }
                });
            }
        });
        FakeServer { url, seen, connections }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn tls_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = format!("{}/tests/fixtures/es/tls", env!("CARGO_MANIFEST_DIR"));
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(format!("{dir}/server.pem"))
        .unwrap_or_else(|e| panic!("server.pem: {e}"))
        .map(|c| c.unwrap_or_else(|e| panic!("server.pem: {e}")))
        .collect();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/server.key")).unwrap_or_else(|e| panic!("server.key: {e}"));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|e| panic!("{e}"))
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap_or_else(|e| panic!("{e}"));
    Arc::new(config)
}

/// The CA that issued the fake TLS server's certificate (for `--es-ca-cert`).
pub fn test_ca() -> String {
    format!("{}/tests/fixtures/es/tls/ca.pem", env!("CARGO_MANIFEST_DIR"))
}

/// A loopback listener that reads what the client sends first, answers `reply` (raw bytes,
/// whatever the client expects) and closes. Returns its `host:port` and the connection count.
pub fn raw_listener(reply: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}")).to_string();
    let count = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&count);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            c.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut first = [0u8; 4096];
                let _ = stream.read(&mut first);
                let _ = stream.write_all(reply);
                let _ = stream.flush();
            });
        }
    });
    (addr, count)
}

fn serve(mut stream: impl Read + Write, route: &Route, log: &Mutex<Vec<Seen>>) {
    let seen = {
        let mut reader = BufReader::new(&mut stream);
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.is_empty() {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.trim_end().split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
                headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let mut body = vec![0u8; length];
        let _ = reader.read_exact(&mut body);
        Seen { method, path, headers, body: String::from_utf8_lossy(&body).into_owned(), at: Instant::now() }
    };
    let n = {
        let mut l = match log.lock() {
            Ok(l) => l,
            Err(_) => return,
        };
        l.push(seen.clone());
        l.len() - 1
    };
    let answer = route(&seen, n);
    std::thread::sleep(answer.delay);
    let mut out =
        format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", answer.status, answer.body.len());
    for (k, v) in &answer.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let body = answer.body.as_bytes();
    let body = &body[..answer.cut_after.unwrap_or(body.len()).min(body.len())];
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/es/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
