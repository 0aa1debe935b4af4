//! `faultline probe`: is it me, my gateway, or Anthropic — checked live, once.
//!
//! Local checks first ([`credentials`]: which variable is sent, what the lint rules say about
//! it, which `.env` files would set another value); a local problem stops the probe before
//! anything is sent. Then each path — `direct` to the provider, and `gateway` when there is one
//! — goes through its steps ([`net`]: DNS, connect, TLS, `GET /v1/models`,
//! `POST /v1/messages/count_tokens`, and with `--send` one `POST /v1/messages`), each timed,
//! bounded by the timeout and never retried. [`verdict`] compares the paths and names the
//! fault, with the matching root cause and fix texts of `faultline diagnose`.
//!
//! This module knows nothing of the command line or the process: the command hands it a
//! [`Request`] and an [`Environment`].

pub mod credentials;
pub mod envfile;
pub mod net;
pub mod report;
pub mod verdict;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use reqwest::Url;

use crate::error::{Error, Result};
use crate::knowledge::Knowledge;
use crate::redact::redact_secret;
pub use report::{PathName, Report, Verdict};

/// What to probe (the command's flags, already parsed).
#[derive(Debug, Clone)]
pub struct Request {
    /// `--direct`; `None`: the knowledge base's `base_url`.
    pub direct: Option<String>,
    /// `--gateway`; `None`: `ANTHROPIC_BASE_URL` when it is set and is not the provider.
    pub gateway: Option<String>,
    /// `--model`; `None`: the knowledge base's `probe_model`.
    pub model: Option<String>,
    pub send: bool,
    /// Budget of each step.
    pub timeout: Duration,
    /// Model status is evaluated at this date.
    pub date: NaiveDate,
}

/// What the process environment holds that the probe reads.
#[derive(Clone, Default)]
pub struct Environment {
    /// Variables by name (only the ones the probe reads: the credentials, the base URL, the
    /// proxy settings, `--key-env`'s).
    pub vars: BTreeMap<String, String>,
    /// The working directory: `.env` / `.envrc` files are looked for here and above.
    pub cwd: PathBuf,
    /// `--key-env NAME`.
    pub key_env: Option<String>,
}

impl Environment {
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("cwd", &self.cwd)
            .field("key_env", &self.key_env)
            .finish()
    }
}

/// The proxy variables an HTTP client may honour; the probe reports them and connects directly.
pub const PROXY_VARS: [&str; 6] = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

/// A credential value: never printed, only shown as prefix + hash.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: &str) -> Secret {
        Secret(value.to_string())
    }
    /// The value itself, for the one header that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// `sk-ant-api03-… sha256:1a2b3c4d`
    pub fn shown(&self) -> String {
        redact_secret(&self.0)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.shown())
    }
}

/// Text from the network, a file or an error, made safe to show: every known secret (and its
/// trimmed form) replaced by prefix + hash, then any other key-shaped token masked.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    crate::redact::mask_keys_in_text(&scrub_exact(text, secrets)).into_owned()
}

/// Every known secret (and its trimmed form) in `text` replaced by prefix + hash; nothing else
/// touched (for values such as request IDs that look key-shaped but are not secrets).
pub fn scrub_exact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        for form in [*s, s.trim()] {
            if form.len() >= 8 && out.contains(form) {
                out = out.replace(form, &redact_secret(form));
            }
        }
    }
    out
}

/// A base URL the probe can call: `http` or `https`, a host, no credentials in it.
pub fn parse_url(text: &str, what: &str) -> Result<Url, String> {
    let shown = crate::logs::es::settings::redact_url(text.trim());
    let url = Url::parse(text.trim()).map_err(|e| format!("{what} {shown}: not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{what} {shown}: the scheme must be http:// or https://"));
    }
    if url.host_str().map_or(true, str::is_empty) {
        return Err(format!("{what} {shown}: the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{what} {shown}: credentials in the URL are not accepted; the probe takes them from the environment only"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{what} {shown}: a base URL has no query or fragment"));
    }
    Ok(url)
}

/// `scheme://host:port` of a URL, to compare two base URLs.
fn origin(url: &Url) -> String {
    format!("{}://{}:{}", url.scheme(), url.host_str().unwrap_or_default(), url.port_or_known_default().unwrap_or(0))
}

/// A URL as shown: without a trailing `/` when the path is the root.
fn show_url(url: &Url) -> String {
    let text = url.as_str();
    if url.path() == "/" {
        text.trim_end_matches('/').to_string()
    } else {
        text.to_string()
    }
}

/// Runs the probe. `Err` only when it cannot run at all (exit 3): no credentials in the
/// environment, an invalid URL.
pub fn run(req: &Request, env: &Environment, k: &Knowledge) -> Result<Report> {
    let provider = parse_url(&k.api.base_url, "rules/api.toml base_url").map_err(Error::Config)?;
    let (direct, direct_source) = match &req.direct {
        Some(d) => (parse_url(d, "--direct").map_err(Error::Input)?, "--direct"),
        None => (provider.clone(), "default"),
    };
    let base_env = env.var(credentials::BASE_URL).filter(|v| !v.trim().is_empty());
    let base_url = match base_env {
        Some(v) => Some(parse_url(v, credentials::BASE_URL).map_err(Error::Input)?),
        None => None,
    };
    let base_is_gateway =
        base_url.as_ref().is_some_and(|b| origin(b) != origin(&provider) && origin(b) != origin(&direct));
    let (gateway, gateway_source) = match (&req.gateway, &base_url) {
        (Some(g), _) => (Some(parse_url(g, "--gateway").map_err(Error::Input)?), "--gateway"),
        (None, Some(b)) if base_is_gateway => (Some(b.clone()), credentials::BASE_URL),
        _ => (None, ""),
    };

    let mut local = credentials::check(env, k, req.date);
    if let (Some(b), Some(text)) = (&base_url, base_env) {
        let probed = gateway.as_ref().is_some_and(|g| g == b);
        local.report.base_url = Some(report::BaseUrl {
            value: show_url(b),
            points_at: if base_is_gateway { "gateway" } else { "provider" },
            probed,
        });
        if text.trim().trim_end_matches('/').ends_with("/v1") {
            local.report.notes.push(format!(
                "{} ends in /v1: the SDKs add /v1/messages themselves, so calls go to …/v1/v1/messages (404)",
                credentials::BASE_URL
            ));
        }
    }
    for name in PROXY_VARS {
        if let Some(v) = env.var(name).filter(|v| !v.is_empty()) {
            local.report.notes.push(format!(
                "{name} is set ({}): SDK clients send through it; the probe connects directly, so it does not test that proxy",
                crate::logs::es::settings::redact_url(v)
            ));
        }
    }

    if local.chosen.is_none() && !local.blocked() {
        return Err(Error::Input(no_credentials(env, &local)));
    }

    let model_id = req.model.clone().unwrap_or_else(|| k.api.probe_model.clone());
    let model = verdict::model_check(k, &model_id, req.date);

    let mut paths = Vec::new();
    if let Some(chosen) = local.chosen.as_ref().filter(|_| !local.blocked()) {
        let secrets: Vec<&str> = local.secrets.iter().map(Secret::expose).collect();
        let plan = |name, url, source: &str| net::PathPlan {
            name,
            url,
            shown: show_url(url),
            source: source.to_string(),
            credential: &chosen.secret,
            header: chosen.header,
            model: &model_id,
            send: req.send,
            timeout: req.timeout,
            anthropic_version: &k.api.recommended_version,
        };
        let direct_plan = plan(PathName::Direct, &direct, direct_source);
        let gateway_plan = gateway.as_ref().map(|g| plan(PathName::Gateway, g, gateway_source));
        // Each path on a thread and runtime of its own: neither waits for the other's timeouts,
        // and neither's work (building a client, loading root certificates) lands in the
        // other's timings.
        let (d, g) = std::thread::scope(|scope| {
            let gateway = gateway_plan.as_ref().map(|gp| scope.spawn(|| on_runtime(net::run_path(gp, &secrets))));
            let d = on_runtime(net::run_path(&direct_plan, &secrets));
            let g = gateway.map(|h| h.join().unwrap_or_else(|_| Err("the gateway path stopped unexpectedly".into())));
            (d, g)
        });
        let d = d.map_err(Error::Input)?;
        let g = g.transpose().map_err(Error::Input)?;
        paths.push(d);
        paths.extend(g);
    }
    Ok(verdict::decide(k, local, model, paths, req))
}

/// Runs a future to completion on a current-thread runtime of its own.
fn on_runtime<F: std::future::Future>(future: F) -> std::result::Result<F::Output, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the network runtime: {e}"))?;
    Ok(runtime.block_on(future))
}

/// The exit-3 message when no credential is set, naming env files that hold one.
fn no_credentials(env: &Environment, local: &credentials::Local) -> String {
    let mut text = match &env.key_env {
        Some(name) => format!("--key-env {name}: {name} is not set (or empty) in the environment"),
        None => format!(
            "no credentials in the environment: set {} (sent as x-api-key) or {} (sent as Authorization: Bearer), or name another variable with --key-env NAME",
            credentials::API_KEY,
            credentials::AUTH_TOKEN
        ),
    };
    for f in local.report.env_files.iter().filter(|f| f.variable != credentials::BASE_URL) {
        if let Some(shown) = &f.shown {
            text.push_str(&format!(
                "\n  {}:{} sets {} ({shown}), but the probe reads the environment only: load it first (`set -a; . {}; set +a`)",
                f.path, f.line, f.variable, f.path
            ));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_need_a_scheme_a_host_and_no_credentials() {
        assert!(parse_url("http://127.0.0.1:8080", "--gateway").is_ok());
        assert!(parse_url("https://api.anthropic.com/", "--direct").is_ok());
        for bad in ["api.anthropic.com", "ftp://x", "http://", "not a url", "https://u:sk-ant-api03-secretsecret@gw"] {
            let e = parse_url(bad, "--gateway").err().unwrap_or_default();
            assert!(e.starts_with("--gateway "), "{bad}: {e}");
            assert!(!e.contains("secretsecret"), "{e}");
        }
    }

    #[test]
    fn scrub_replaces_known_secrets_and_masks_key_shapes() {
        let key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx0123456789";
        let text = format!("header was {key}\n and x-api-key: {key}");
        let shown = scrub(&text, &[&format!("{key}\n")]);
        assert!(!shown.contains("AbCdEf"), "{shown}");
        assert_eq!(scrub("invalid x-api-key", &[key]), "invalid x-api-key");
        assert_eq!(format!("{:?}", Secret::new(key)), format!("Secret({})", redact_secret(key)));
    }
}
