//! Where the cluster is and how to log in: `[es]` in faultline.toml < `FAULTLINE_ES_*` variables
//! < command-line flags. Credentials come from the environment or the config file only, and
//! never leave this module unredacted except as an `Authorization` header value.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::redact::redact_secret;

/// The index pattern searched when neither `--index` nor `[es] index` names one (the Elasticsearch study).
pub const DEFAULT_INDEX: &str = "claude-api-request-logs*";
/// Per-request time budget when neither `--es-timeout` nor `[es] timeout` sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// `[es]` in faultline.toml.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsConfig {
    pub url: Option<String>,
    pub index: Option<String>,
    pub api_key: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub cloud_id: Option<String>,
    pub ca_cert: Option<PathBuf>,
    #[serde(default)]
    pub insecure: bool,
    pub timeout: Option<String>,
}

impl std::fmt::Debug for EsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EsConfig")
            .field("url", &self.url)
            .field("index", &self.index)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("cloud_id", &self.cloud_id)
            .finish_non_exhaustive()
    }
}

/// Elasticsearch settings from the environment (`FAULTLINE_ES_*`, read once into the
/// `RunContext`; never required on the command line).
#[derive(Clone, Default)]
pub struct EsEnv {
    pub url: Option<String>,
    pub api_key: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub cloud_id: Option<String>,
}

impl std::fmt::Debug for EsEnv {
    // Credentials never reach a Debug print or a panic message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EsEnv")
            .field("url", &self.url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("cloud_id", &self.cloud_id)
            .finish()
    }
}

/// The cluster flags of `diagnose` (`--es`, `--index`, `--es-ca-cert`, `--insecure`,
/// `--es-timeout`, `--explain-queries`), as given.
#[derive(Debug, Clone, Default)]
pub struct EsFlags {
    pub url: Option<String>,
    pub index: Option<String>,
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub timeout: Option<String>,
    pub explain_queries: bool,
}

/// How requests authenticate.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    /// The `encoded` form: base64 of `id:api_key`.
    ApiKey(String),
    Basic {
        username: String,
        password: String,
    },
}

impl Auth {
    /// The `Authorization` header value, if any.
    pub fn header_value(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::ApiKey(encoded) => Some(format!("ApiKey {encoded}")),
            Auth::Basic { username, password } => {
                let raw = format!("{username}:{password}");
                Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw)))
            }
        }
    }

    /// Which credential was tried, safe to print: `API key c2Vj… sha256:1a2b3c4d`,
    /// `basic auth user elastic`, `no credentials`.
    pub fn describe(&self) -> String {
        match self {
            Auth::None => "no credentials".into(),
            Auth::ApiKey(encoded) => format!("API key {}", redact_secret(encoded)),
            Auth::Basic { username, .. } => format!("basic auth user {username}"),
        }
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Everything the client needs, resolved.
#[derive(Debug, Clone)]
pub struct EsSettings {
    /// Base URL without credentials and without a trailing slash.
    pub url: String,
    pub index: String,
    pub auth: Auth,
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub timeout: Duration,
    pub explain_queries: bool,
}

impl EsSettings {
    /// Whether a cluster is named at all: `--es`, `FAULTLINE_ES_URL`, `FAULTLINE_ES_CLOUD_ID`,
    /// or `[es] url`/`cloud_id` (a SOURCE file, when given, wins over all of them).
    pub fn wanted(flags: &EsFlags, config: &EsConfig, env: &EsEnv) -> bool {
        flags.url.is_some()
            || env.url.is_some()
            || env.cloud_id.is_some()
            || config.url.is_some()
            || config.cloud_id.is_some()
    }

    /// Precedence config < env < flag, field by field.
    pub fn resolve(flags: &EsFlags, config: &EsConfig, env: &EsEnv) -> Result<EsSettings> {
        let cloud_id = env.cloud_id.as_ref().or(config.cloud_id.as_ref());
        let explicit_url = match (&flags.url, &env.url, &config.url) {
            (Some(url), _, _) => Some((url, "--es")),
            (None, Some(url), _) => Some((url, "FAULTLINE_ES_URL")),
            (None, None, Some(url)) => Some((url, "[es] url")),
            (None, None, None) => None,
        };
        let (raw_url, from) = match (explicit_url, cloud_id) {
            (Some((url, from)), _) => (url.clone(), from),
            (None, Some(id)) => (decode_cloud_id(id)?, "the Elastic Cloud ID"),
            (None, None) => return Err(Error::Usage(
                "no Elasticsearch URL: pass --es URL, set FAULTLINE_ES_URL or FAULTLINE_ES_CLOUD_ID, or [es] url in \
                     faultline.toml"
                    .into(),
            )),
        };
        let (url, url_user) = split_userinfo(&raw_url, from)?;

        let api_key = env.api_key.as_ref().or(config.api_key.as_ref());
        let username = env.username.as_ref().or(config.username.as_ref());
        let password = env.password.as_ref().or(config.password.as_ref());
        let auth = if let Some(key) = api_key {
            Auth::ApiKey(encode_api_key(key)?)
        } else if let Some(username) = username {
            let password = password.cloned().ok_or_else(|| {
                Error::Usage(format!(
                    "basic auth user {username} has no password: set FAULTLINE_ES_PASSWORD or [es] password"
                ))
            })?;
            Auth::Basic { username: username.clone(), password }
        } else if let Some((username, password)) = url_user {
            Auth::Basic { username, password }
        } else {
            Auth::None
        };

        let timeout = match flags.timeout.as_ref().or(config.timeout.as_ref()) {
            // A bare number is seconds here (docs/es.md); too long to represent is a usage error.
            Some(text) => crate::duration::parse(text, crate::duration::BareUnit::Seconds).ok_or_else(|| {
                Error::Usage(format!("--es-timeout {text:?}: expected a duration such as 500ms, 30s or 2m"))
            })?,
            None => DEFAULT_TIMEOUT,
        };
        if timeout.is_zero() {
            return Err(Error::Usage("--es-timeout must be longer than 0".into()));
        }
        Ok(EsSettings {
            url,
            index: flags.index.clone().or_else(|| config.index.clone()).unwrap_or_else(|| DEFAULT_INDEX.into()),
            auth,
            ca_cert: flags.ca_cert.clone().or_else(|| config.ca_cert.clone()),
            insecure: flags.insecure || config.insecure,
            timeout,
            explain_queries: flags.explain_queries,
        })
    }
}

/// Accepts the `encoded` form, or `id:api_key` which it encodes (what `POST /_security/api_key`
/// returns as `encoded` is base64 of `id:api_key`).
pub fn encode_api_key(key: &str) -> Result<String> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::Usage("the Elasticsearch API key is empty".into()));
    }
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Usage(format!(
            "the Elasticsearch API key ({}) contains whitespace or control characters",
            redact_secret(key)
        )));
    }
    if key.contains(':') {
        Ok(base64::engine::general_purpose::STANDARD.encode(key))
    } else {
        Ok(key.to_string())
    }
}

/// Elastic Cloud ID: `[label:]base64("<host>[:port]$<es_uuid>[:port]$<kibana_uuid>")` ->
/// `https://<es_uuid>.<host>:<port>` (port 443 unless one is given).
pub fn decode_cloud_id(cloud_id: &str) -> Result<String> {
    let bad = |why: &str| Error::Usage(format!("FAULTLINE_ES_CLOUD_ID is not a valid Elastic Cloud ID: {why}"));
    let encoded = cloud_id.trim().split_once(':').map_or(cloud_id.trim(), |(_, rest)| rest);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
        .map_err(|_| bad("the part after the label is not base64"))?;
    let text = String::from_utf8(bytes).map_err(|_| bad("the decoded text is not UTF-8"))?;
    let mut parts = text.split('$');
    let host = parts.next().unwrap_or_default();
    let es_uuid = parts.next().ok_or_else(|| bad("expected <host>$<es-uuid>$<kibana-uuid>"))?;
    if host.is_empty() || es_uuid.is_empty() {
        return Err(bad("expected <host>$<es-uuid>$<kibana-uuid>"));
    }
    let (host, mut port) = match host.rsplit_once(':') {
        Some((h, p)) => (h, p.to_string()),
        None => (host, "443".to_string()),
    };
    let es_uuid = match es_uuid.rsplit_once(':') {
        Some((u, p)) => {
            port = p.to_string();
            u
        }
        None => es_uuid,
    };
    if port.parse::<u16>().is_err() {
        return Err(bad("the port is not a number"));
    }
    Ok(format!("https://{es_uuid}.{host}:{port}"))
}

/// Removes `user:password@` from a URL (turned into basic auth, as the official clients do) and
/// the trailing slash. Only http and https are accepted, and the rest must parse as a URL (an
/// unclosed `[::1`, a port out of range, a space in the host): a usage error naming `from` (the
/// flag, variable or config key the URL came from), never a connection attempt.
fn split_userinfo(url: &str, from: &str) -> Result<(String, Option<(String, String)>)> {
    let url = url.trim();
    let bad = |why: &str| Error::Usage(format!("{from} {}: {why}", redact_url(url)));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("expected http://host:port or https://host:port"))?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(bad("only http and https are supported"));
    }
    // Userinfo ends at the last `@` before any `?`/`#` (the rule `redact_url` uses), so a
    // password with an unescaped `/` is still a password, not a path that would be printed.
    let before_query = rest.find(['?', '#']).unwrap_or(rest.len());
    let (user, rest) = match rest[..before_query].rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            let (u, p) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            (Some((percent_decode(u), percent_decode(p))), &rest[at + 1..])
        }
        None => (None, rest),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(authority_end);
    if host.is_empty() {
        return Err(bad("the URL has no host"));
    }
    let path = path.trim_end_matches('/');
    let cleaned = format!("{}://{host}{path}", scheme.to_ascii_lowercase());
    match reqwest::Url::parse(&cleaned) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok((cleaned, user)),
        Ok(_) => Err(bad("the URL has no host")),
        Err(e) => Err(bad(&format!("not a valid URL ({e}); expected http://host:port or https://host:port"))),
    }
}

/// A URL safe to print: `user:password@` becomes `user:…@` and a bare `token@` becomes `…@`,
/// with or without a scheme (`elastic:pw@host:9200` is what a user types by mistake, and the
/// error that says so must not echo the password). Userinfo ends at the last `@` before any
/// `?` or `#`, so a password holding an unescaped `/` is cut too; over-redacting a rare `@` in a
/// path is the price.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let before_query = rest.find(['?', '#']).unwrap_or(rest.len());
    match rest[..before_query].rfind('@') {
        Some(at) => {
            let (userinfo, host_and_more) = (&rest[..at], &rest[at + 1..]);
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{scheme}{user}:…@{host_and_more}"),
                None => format!("{scheme}…@{host_and_more}"),
            }
        }
        None => url.to_string(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if let Some(v) = s.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(es: Option<&str>) -> EsFlags {
        EsFlags { url: es.map(str::to_string), ..EsFlags::default() }
    }

    #[test]
    fn flag_beats_env_beats_config() {
        let config = EsConfig { url: Some("http://config:9200".into()), ..EsConfig::default() };
        let env = EsEnv { url: Some("http://env:9200/".into()), ..EsEnv::default() };
        let s = EsSettings::resolve(&args(None), &config, &env).map_err(|e| e.to_string());
        assert_eq!(s.map(|s| s.url), Ok("http://env:9200".to_string()));
        let s = EsSettings::resolve(&args(Some("https://flag:9243")), &config, &env).map_err(|e| e.to_string());
        assert_eq!(s.map(|s| s.url), Ok("https://flag:9243".to_string()));
        let s = EsSettings::resolve(&args(None), &config, &EsEnv::default()).map_err(|e| e.to_string());
        assert_eq!(s.as_ref().map(|s| s.url.as_str()), Ok("http://config:9200"));
        assert_eq!(s.map(|s| s.index), Ok(DEFAULT_INDEX.to_string()));
    }

    #[test]
    fn api_key_id_colon_key_is_encoded_and_never_shown() {
        let encoded = encode_api_key("VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw").unwrap_or_default();
        assert_eq!(encoded, "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
        let auth = Auth::ApiKey(encoded.clone());
        assert_eq!(auth.header_value(), Some(format!("ApiKey {encoded}")));
        let shown = format!("{} {auth:?}", auth.describe());
        assert!(shown.starts_with("API key VnVh… sha256:"), "{shown}");
        assert!(!shown.contains("ui2lp2") && !shown.contains(&encoded[8..]), "{shown}");
    }

    #[test]
    fn url_userinfo_becomes_basic_auth_and_is_redacted() {
        let env = EsEnv::default();
        let s = EsSettings::resolve(&args(Some("https://elastic:s3cr%40t@es.local:9200/")), &EsConfig::default(), &env);
        let s = s.map_err(|e| e.to_string());
        assert_eq!(s.as_ref().map(|s| s.url.as_str()), Ok("https://es.local:9200"));
        assert_eq!(
            s.as_ref().map(|s| s.auth.clone()),
            Ok(Auth::Basic { username: "elastic".into(), password: "s3cr@t".into() })
        );
        assert_eq!(s.map(|s| s.auth.describe()), Ok("basic auth user elastic".to_string()));
        assert_eq!(redact_url("https://elastic:s3cr%40t@es.local:9200/x"), "https://elastic:…@es.local:9200/x");
    }

    #[test]
    fn a_password_with_an_unescaped_slash_is_not_taken_for_a_path() {
        let s = EsSettings::resolve(
            &args(Some("http://elastic:pa/ss@es.local:9200/")),
            &EsConfig::default(),
            &EsEnv::default(),
        )
        .map_err(|e| e.to_string());
        assert_eq!(s.as_ref().map(|s| s.url.as_str()), Ok("http://es.local:9200"));
        assert_eq!(s.map(|s| s.auth), Ok(Auth::Basic { username: "elastic".into(), password: "pa/ss".into() }));
    }

    #[test]
    fn redact_url_cuts_userinfo_without_a_scheme_too() {
        assert_eq!(redact_url("elastic:S3cretPW@localhost:9200"), "elastic:…@localhost:9200");
        assert_eq!(redact_url("elastic:S3cretPW@localhost:9200/idx?q=1"), "elastic:…@localhost:9200/idx?q=1");
        assert_eq!(redact_url("http://elastic:pa/ss@h:9200"), "http://elastic:…@h:9200");
        assert_eq!(redact_url("https://tokenonly@h:9200"), "https://…@h:9200");
        assert_eq!(redact_url("http://h:9200/x?user=a@b"), "http://h:9200/x?user=a@b");
        assert_eq!(redact_url("localhost:9200"), "localhost:9200");
    }

    #[test]
    fn cloud_id_decodes_to_https_443() {
        // The sample from the Beats docs: label, then base64 of host$es$kibana.
        let raw = "us-east-1.aws.found.io$cec6f261a74bf24ce33bb8811b84294f$c6c2ca6d04d0d4e4f3b7c1d4c2f0c2f1";
        let id = format!("staging:{}", base64::engine::general_purpose::STANDARD.encode(raw));
        assert_eq!(
            decode_cloud_id(&id).map_err(|e| e.to_string()),
            Ok("https://cec6f261a74bf24ce33bb8811b84294f.us-east-1.aws.found.io:443".to_string())
        );
        let with_port = base64::engine::general_purpose::STANDARD.encode("eu-west-1.aws.found.io:9243$abc$def");
        assert_eq!(
            decode_cloud_id(&with_port).map_err(|e| e.to_string()),
            Ok("https://abc.eu-west-1.aws.found.io:9243".to_string())
        );
        assert!(decode_cloud_id("label:not base64!").is_err());
        assert!(decode_cloud_id(&base64::engine::general_purpose::STANDARD.encode("nodollar")).is_err());
    }

    #[test]
    fn a_huge_timeout_is_a_usage_error_not_a_panic() {
        let env = EsEnv { url: Some("http://h:1".into()), ..EsEnv::default() };
        for timeout in ["100000000000000000000000000000", "999999999999999999999999999999s", "99999999999999999999w"] {
            let config = EsConfig { timeout: Some(timeout.into()), ..EsConfig::default() };
            let err = EsSettings::resolve(&args(None), &config, &env).err();
            assert!(matches!(err, Some(Error::Usage(_))), "{timeout}: {err:?}");
        }
        let config = EsConfig { timeout: Some("12".into()), ..EsConfig::default() };
        let s = EsSettings::resolve(&args(None), &config, &env).map(|s| s.timeout).map_err(|e| e.to_string());
        assert_eq!(s, Ok(Duration::from_secs(12)), "a bare --es-timeout is seconds");
    }

    #[test]
    fn an_unparseable_es_url_is_a_usage_error() {
        for (url, why) in [
            ("http://[::1", "invalid IPv6 address"),
            ("http://es.local:99999", "invalid port number"),
            ("http://elastic:S3cretPW@[::1:9200", "invalid IPv6 address"),
            ("https://es local:9200", "not a valid URL"),
        ] {
            let err = EsSettings::resolve(&args(Some(url)), &EsConfig::default(), &EsEnv::default()).err();
            let text = err.as_ref().map(|e| e.to_string()).unwrap_or_default();
            assert!(matches!(err, Some(Error::Usage(_))), "{url}: {err:?}");
            assert!(text.starts_with("--es ") && text.contains(why), "{url}: {text}");
            assert!(!text.contains("S3cretPW"), "{text}");
        }
        let env = EsEnv { url: Some("http://[::1".into()), ..EsEnv::default() };
        let text = EsSettings::resolve(&args(None), &EsConfig::default(), &env).err().map(|e| e.to_string());
        assert!(text.is_some_and(|t| t.starts_with("FAULTLINE_ES_URL http://[::1:")), "the message names the variable");
        let config = EsConfig { url: Some("http://[::1]:9200".into()), ..EsConfig::default() };
        let ok = EsSettings::resolve(&args(None), &config, &EsEnv::default()).map(|s| s.url).map_err(|e| e.to_string());
        assert_eq!(ok, Ok("http://[::1]:9200".to_string()));
    }

    #[test]
    fn missing_password_is_a_usage_error() {
        let env = EsEnv { url: Some("http://h:1".into()), username: Some("elastic".into()), ..EsEnv::default() };
        let err = EsSettings::resolve(&args(None), &EsConfig::default(), &env).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("basic auth user elastic has no password")));
    }

    #[test]
    fn es_credentials_are_not_in_debug_output() {
        let env = EsEnv {
            api_key: Some("c2VjcmV0OnNlY3JldA==".into()),
            password: Some("hunter2".into()),
            ..EsEnv::default()
        };
        let shown = format!("{env:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("c2VjcmV0"));
    }
}
