//! Shared by the tests/es_*.rs binaries: a real `osmem-server` started once per test binary on a
//! free loopback port, a tiny HTTP client to seed it through `_bulk`, a loopback fake server that
//! answers recorded responses (a SERVER, not a mock of our HTTP layer), and helpers to run the
//! backend with a fast retry policy.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use faultline::cli::{Cli, Command as Cmd, DiagnoseArgs};
use faultline::config::Config;
use faultline::context::RunContext;
use faultline::logs::es::EsEnv;

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

/// A faultline.toml with a fast retry policy (same shape, milliseconds instead of seconds).
pub fn fast_config() -> Config {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("faultline.toml");
    std::fs::write(&path, "[thresholds.retry]\nmax_attempts = 3\nbase_delay_ms = 20\ncap_delay_ms = 200\n")
        .unwrap_or_else(|e| panic!("{e}"));
    Config::load(Some(&path), &RunContext::default()).unwrap_or_else(|e| panic!("{e}"))
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
}

/// What the fake server answers.
#[derive(Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
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

/// A loopback HTTP server answering with `route(request, nth request so far)`.
pub struct FakeServer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeServer {
    pub fn start(route: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let url = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let route = Arc::new(route);
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let route = Arc::clone(&route);
                let log = Arc::clone(&log);
                std::thread::spawn(move || serve(stream, &*route, &log));
            }
        });
        FakeServer { url, seen }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn serve(mut stream: TcpStream, route: &(dyn Fn(&Seen, usize) -> Answer + Send + Sync), log: &Mutex<Vec<Seen>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
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
    let seen = Seen { method, path, headers, body: String::from_utf8_lossy(&body).into_owned() };
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
    out.push_str(&answer.body);
    let _ = stream.write_all(out.as_bytes());
}

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/es/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
