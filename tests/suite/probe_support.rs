//! Shared by tests/suite/probe.rs: the loopback stand-in for the Anthropic API
//! (tests/anthropic_standin.py) and a real nginx in front of it as the gateway, each started
//! per test on free loopback ports and stopped when dropped; the binary run with a clean
//! environment.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A real-looking key (the shape of an Anthropic API key, 108 characters), accepted by the
/// stand-in. Fixed, so the README transcript's hash stays the same.
pub const KEY: &str =
    "sk-ant-api03-Xq7vR2mK9pLwT4sNbE6yHcJ1uF8oDgZ3aVi5MkQ0nWrYtB7eSx2LpC9hGjU4dA6fKmN1zO3qIw8vTs5bRlE-Hy0cXuAA";
/// Another key of the same shape, which the stand-in does not know.
pub const WRONG_KEY: &str =
    "sk-ant-api03-Lm3nB8vC1xZ6aS9dF2gH5jK7lQ0wE4rT8yU1iO6pA3sD9fG2hJ5kL7zX0cV4bN8mQ1wE6rT3yU9iO2pA5sD8fG-Hj4kLzAA";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_faultline"))
}

/// A loopback port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

fn wait_listening(port: u16, what: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before listening: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("{what} did not listen on 127.0.0.1:{port} within 10 s");
}

/// The stand-in for the API, with one fault.
pub struct StandIn {
    pub port: u16,
    log: PathBuf,
    child: Child,
    _dir: tempfile::TempDir,
}

impl StandIn {
    pub fn start(fault: &str) -> StandIn {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let log = dir.path().join("requests.log");
        let mut child = Command::new("python3")
            .arg(root().join("tests/anthropic_standin.py"))
            .args(["--fault", fault, "--log"])
            .arg(&log)
            .env("STANDIN_KEYS", KEY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3 tests/anthropic_standin.py: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("stand-in: no stdout"));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the stand-in did not start within 20 s")
        });
        let ready: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("the stand-in said {line:?}: {e}"));
        let port = ready["port"].as_u64().and_then(|p| u16::try_from(p).ok()).unwrap_or_else(|| panic!("{line}"));
        StandIn { port, log, child, _dir: dir }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request it received, `METHOD PATH`, in order.
    pub fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log).unwrap_or_default().lines().map(str::to_string).collect()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("FAULTLINE_NGINX") {
        return PathBuf::from(p);
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("nginx")).find(|c| c.is_file()))
        .unwrap_or_default();
    on_path.or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file())).unwrap_or_else(|| {
        panic!("nginx not found: `apt-get install nginx` (scripts/test installs it), or set FAULTLINE_NGINX")
    })
}

/// What the gateway does.
pub enum Gateway {
    /// A reverse proxy to this upstream port.
    Proxy(u16),
    /// Answers `503 no healthy upstream` itself (what Envoy says when a cluster has no healthy host).
    NoHealthyUpstream,
}

/// A real nginx on loopback.
pub struct Nginx {
    pub port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Nginx {
    pub fn start(mode: Gateway) -> Nginx {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path().display().to_string();
        let port = free_port();
        let location = match mode {
            Gateway::Proxy(upstream) => format!(
                "proxy_pass http://127.0.0.1:{upstream};\n      proxy_http_version 1.1;\n      \
                 proxy_set_header Connection \"\";\n      proxy_connect_timeout 5s;\n      \
                 add_header Via \"1.1 nginx\" always;"
            ),
            Gateway::NoHealthyUpstream => {
                "default_type text/plain;\n      return 503 'no healthy upstream';".to_string()
            }
        };
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
             server {{\n    listen 127.0.0.1:{port};\n    location / {{\n      {location}\n    }}\n  }}\n}}\n"
        );
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap_or_else(|e| panic!("{e}"));
        let mut child = Command::new(nginx_binary())
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start nginx: {e}"));
        wait_listening(port, "nginx", &mut child);
        Nginx { port, child, _dir: dir }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `faultline probe ARGS` with only `env` in the environment (no developer variables leak in),
/// in `cwd`.
pub fn probe(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> Output {
    let mut cmd = Command::new(bin());
    cmd.arg("probe").args(args).current_dir(cwd).env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("COLUMNS", "100")
        .env("CI", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("cannot run faultline: {e}"));
    assert_no_key(&out);
    out
}

/// Neither key, nor any long piece of one, in what the binary printed.
pub fn assert_no_key(out: &Output) {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for key in [KEY, WRONG_KEY] {
        let body = &key["sk-ant-api03-".len()..];
        for piece in body.as_bytes().chunks(12).filter(|c| c.len() == 12) {
            let piece = String::from_utf8_lossy(piece);
            assert!(!text.contains(piece.as_ref()), "a piece of a key ({piece}) is in the output:\n{text}");
        }
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON report of a run with `--format json`.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr: {}", stdout(out), stderr(out)))
}
