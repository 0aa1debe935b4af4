//! `faultline probe` against real parts: a loopback stand-in for the Anthropic API
//! (tests/anthropic_standin.py: models list, count_tokens, messages, the error bodies, rate-limit
//! headers, request-id, retry-after) and a real nginx between the probe and it as the gateway.
//! Faults are injected at each hop; every test asserts the verdict and the exit code, through
//! the gateway and direct, and that no key appears in what the binary printed.

use crate::probe_support;

use std::time::{Duration, Instant};

use probe_support::{free_port, json, probe, stderr, stdout, Gateway, Nginx, StandIn, KEY, WRONG_KEY};
use serde_json::Value;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the probe with `--format json` and the key in ANTHROPIC_API_KEY.
fn probe_json(args: &[&str], key: &str) -> (Value, i32) {
    let dir = tmp();
    let mut all = args.to_vec();
    all.extend(["--format", "json", "--timeout", "5s"]);
    let out = probe(&all, &[("ANTHROPIC_API_KEY", key)], dir.path());
    (json(&out), out.status.code().unwrap_or(-1))
}

fn assert_verdict(v: &Value, code: i32, verdict: &str, cause: Option<&str>, want_code: i32) {
    assert_eq!(v["verdict"], verdict, "{v:#}");
    assert_eq!(code, want_code, "{v:#}");
    assert_eq!(v["cause"].as_str(), cause, "{v:#}");
    assert_eq!(v["version"], 1);
}

/// The path named `name` in the report.
fn path<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["paths"].as_array().and_then(|a| a.iter().find(|p| p["name"] == name)).unwrap_or(&Value::Null)
}

/// The last step a path ran.
fn last_step(p: &Value) -> &Value {
    p["steps"].as_array().and_then(|s| s.last()).unwrap_or(&Value::Null)
}

// ---------------------------------------------------------------------------------------------
// Healthy

#[test]
fn healthy_direct_and_through_the_gateway_is_ok() {
    let api = StandIn::start("none");
    let gw = Nginx::start(Gateway::Proxy(api.port));
    let (v, code) = probe_json(&["--direct", &api.url(), "--gateway", &gw.url(), "--send"], KEY);
    assert_verdict(&v, code, "ok", None, 0);
    for name in ["direct", "gateway"] {
        let p = path(&v, name);
        assert_eq!(p["ok"], true, "{p:#}");
        assert_eq!(p["model_listed"], true, "{p:#}");
        let names: Vec<&str> = p["steps"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
        assert_eq!(names, ["dns", "connect", "models", "count_tokens", "messages"], "{p:#}");
        let ct = &p["steps"][3];
        assert!(ct["request_id"].as_str().is_some_and(|r| r.starts_with("req_")), "{ct:#}");
        assert_eq!(ct["ratelimit"]["requests-limit"], "50", "{ct:#}");
        assert!(ct["ms"].as_f64().is_some() && ct["first_byte_ms"].as_f64().is_some());
    }
    // nginx answered the gateway path, relaying the API.
    let via_gw = &path(&v, "gateway")["steps"][2];
    assert!(via_gw["server"].as_str().is_some_and(|s| s.starts_with("nginx")), "{via_gw:#}");
    assert_eq!(via_gw["via"], "1.1 nginx");
    assert_eq!(path(&v, "direct")["steps"][2]["server"], "cloudflare");
    assert_eq!(v["credentials"]["used"], "ANTHROPIC_API_KEY");
    assert_eq!(v["credentials"]["header"], "x-api-key");
    // one request per step per path, none retried
    assert_eq!(api.requests().len(), 6, "{:?}", api.requests());
}

#[test]
fn anthropic_base_url_is_the_gateway_by_default_unless_it_is_the_provider() {
    let api = StandIn::start("none");
    let gw = Nginx::start(Gateway::Proxy(api.port));
    let dir = tmp();
    let out = probe(
        &["--direct", &api.url(), "--format", "json"],
        &[("ANTHROPIC_API_KEY", KEY), ("ANTHROPIC_BASE_URL", &gw.url())],
        dir.path(),
    );
    let v = json(&out);
    assert_eq!(path(&v, "gateway")["source"], "ANTHROPIC_BASE_URL", "{v:#}");
    assert_eq!(v["credentials"]["base_url"]["points_at"], "gateway");
    assert_eq!(out.status.code(), Some(0));
    let out = probe(
        &["--direct", &api.url(), "--format", "json"],
        &[("ANTHROPIC_API_KEY", KEY), ("ANTHROPIC_BASE_URL", "https://api.anthropic.com")],
        dir.path(),
    );
    let v = json(&out);
    assert_eq!(v["paths"].as_array().map(Vec::len), Some(1), "{v:#}");
    assert_eq!(v["credentials"]["base_url"]["points_at"], "provider");
}

// ---------------------------------------------------------------------------------------------
// Faults at the gateway hop

#[test]
fn gateway_down_while_direct_works_is_gateway() {
    let api = StandIn::start("none");
    let down = format!("http://127.0.0.1:{}", free_port());
    let (v, code) = probe_json(&["--direct", &api.url(), "--gateway", &down], KEY);
    assert_verdict(&v, code, "gateway", Some("upstream.middleware_exhaustion"), 1);
    let step = last_step(path(&v, "gateway"));
    assert_eq!(step["name"], "connect");
    assert_eq!(step["outcome"], "connect_error");
    assert_eq!(path(&v, "direct")["ok"], true);
    assert!(v["fix"][0].as_str().is_some_and(|f| f.contains("nothing accepts connections")), "{v:#}");
}

#[test]
fn gateway_502_from_nginx_is_gateway() {
    let api = StandIn::start("none");
    let gw = Nginx::start(Gateway::Proxy(free_port()));
    let (v, code) = probe_json(&["--direct", &api.url(), "--gateway", &gw.url()], KEY);
    assert_verdict(&v, code, "gateway", Some("upstream.middleware_exhaustion"), 1);
    let step = last_step(path(&v, "gateway"));
    assert_eq!(step["status"], 502, "{step:#}");
    assert_eq!(step["message"], "502 Bad Gateway");
    assert_eq!(step["answered_by"], "gateway");
    assert!(step["request_id"].is_null());
}

#[test]
fn gateway_503_no_healthy_upstream_is_gateway() {
    let api = StandIn::start("none");
    let gw = Nginx::start(Gateway::NoHealthyUpstream);
    let (v, code) = probe_json(&["--direct", &api.url(), "--gateway", &gw.url()], KEY);
    assert_verdict(&v, code, "gateway", Some("upstream.middleware_exhaustion"), 1);
    let step = last_step(path(&v, "gateway"));
    assert_eq!(step["status"], 503);
    assert_eq!(step["message"], "no healthy upstream");
}

// ---------------------------------------------------------------------------------------------
// Faults at the provider, direct and through the gateway

/// The same provider fault seen direct only and then direct + through nginx.
fn provider_fault(fault: &str, args: &[&str], verdict: &str, cause: Option<&str>) -> (Value, Value) {
    let api = StandIn::start(fault);
    let mut direct_args = vec!["--direct".to_string(), api.url()];
    direct_args.extend(args.iter().map(|a| a.to_string()));
    let direct_args: Vec<&str> = direct_args.iter().map(String::as_str).collect();
    let (alone, code) = probe_json(&direct_args, KEY);
    assert_verdict(&alone, code, verdict, cause, 1);
    assert_eq!(alone["paths"].as_array().map(Vec::len), Some(1));

    let gw = Nginx::start(Gateway::Proxy(api.port));
    let gw_url = gw.url();
    let mut both_args = direct_args.clone();
    both_args.extend(["--gateway", &gw_url]);
    let (both, code) = probe_json(&both_args, KEY);
    assert_verdict(&both, code, verdict, cause, 1);
    assert!(both["summary"].as_str().is_some_and(|s| s.contains("on both paths")), "{both:#}");
    let relayed = last_step(path(&both, "gateway"));
    assert_eq!(relayed["answered_by"], "api", "the API's answer relayed by nginx: {relayed:#}");
    (alone, both)
}

#[test]
fn provider_529_overloaded_is_provider() {
    let (alone, _) = provider_fault("overloaded", &[], "provider", Some("upstream.provider_overload"));
    let step = last_step(path(&alone, "direct"));
    assert_eq!(step["status"], 529);
    assert_eq!(step["error_type"], "overloaded_error");
    assert_eq!(step["message"], "Overloaded");
}

#[test]
fn provider_500_api_error_is_provider() {
    provider_fault("api_error", &[], "provider", Some("upstream.provider_overload"));
}

#[test]
fn rate_limit_429_with_headers_is_rate_limit() {
    let (alone, both) = provider_fault("rate_limit", &[], "rate_limit", Some("traffic.rate_limit"));
    for v in [&alone, &both] {
        let step = last_step(path(v, "direct"));
        assert_eq!(step["name"], "count_tokens");
        assert_eq!(step["status"], 429);
        assert_eq!(step["retry_after"], "17");
        assert_eq!(step["ratelimit"]["requests-remaining"], "0");
        assert_eq!(step["ratelimit"]["requests-limit"], "50");
        assert!(step["ratelimit"]["tokens-reset"].as_str().is_some_and(|r| r.ends_with('Z')));
    }
    let gw = last_step(path(&both, "gateway"));
    assert_eq!(gw["retry_after"], "17", "nginx passes retry-after through: {gw:#}");
    assert!(both["fix"][0].as_str().is_some_and(|f| f.contains("Wait 17 s")), "{both:#}");
}

#[test]
fn credit_balance_too_low_is_quota() {
    let (alone, _) = provider_fault("credit_low", &[], "quota", Some("traffic.quota_exhausted"));
    let step = last_step(path(&alone, "direct"));
    assert_eq!(step["status"], 400);
    assert_eq!(step["error_type"], "invalid_request_error");
    assert!(step["message"].as_str().is_some_and(|m| m.contains("credit balance is too low")));
    // the models list still worked: the key is fine
    assert_eq!(path(&alone, "direct")["steps"][2]["status"], 200);
}

#[test]
fn monthly_spend_cap_429_is_quota_not_rate_limit() {
    provider_fault("spend_cap", &[], "quota", Some("traffic.quota_exhausted"));
}

#[test]
fn wrong_key_is_credential_on_both_paths() {
    let api = StandIn::start("none");
    let gw = Nginx::start(Gateway::Proxy(api.port));
    let (v, code) = probe_json(&["--direct", &api.url(), "--gateway", &gw.url()], WRONG_KEY);
    assert_verdict(&v, code, "credential", Some("auth.key_revoked"), 1);
    for name in ["direct", "gateway"] {
        let step = last_step(path(&v, name));
        assert_eq!(step["status"], 401);
        assert_eq!(step["error_type"], "authentication_error");
        assert_eq!(step["message"], "invalid x-api-key");
    }
    assert_eq!(v["sent"], true);
}

#[test]
fn retired_model_is_model_with_the_replacement() {
    let (alone, both) =
        provider_fault("none", &["--model", "claude-3-sonnet-20240229"], "model", Some("client.model_id"));
    for v in [&alone, &both] {
        let step = last_step(path(v, "direct"));
        assert_eq!(step["status"], 404);
        assert_eq!(step["error_type"], "not_found_error");
        assert_eq!(step["message"], "model: claude-3-sonnet-20240229");
        assert_eq!(v["model"]["status"], "retired");
        assert_eq!(path(v, "direct")["model_listed"], false);
    }
    let replacement = alone["model"]["replacement"].as_str().unwrap_or_default().to_string();
    assert!(!replacement.is_empty());
    assert!(alone["fix"][0].as_str().is_some_and(|f| f.contains(&replacement)), "{alone:#}");
}

#[test]
fn timeout_is_honoured_once_with_no_retries() {
    let api = StandIn::start("hang");
    let dir = tmp();
    let started = Instant::now();
    let out = probe(
        &["--direct", &api.url(), "--timeout", "1s", "--format", "json"],
        &[("ANTHROPIC_API_KEY", KEY)],
        dir.path(),
    );
    let took = started.elapsed();
    let v = json(&out);
    assert_verdict(&v, out.status.code().unwrap_or(-1), "network", Some("upstream.network_loss"), 1);
    assert_eq!(last_step(path(&v, "direct"))["outcome"], "timeout");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(api.requests(), ["GET /v1/models?limit=1000"], "one request, no retry");

    // through nginx as well: both paths bounded, side by side, one request each
    let gw = Nginx::start(Gateway::Proxy(api.port));
    let started = Instant::now();
    let out = probe(
        &["--direct", &api.url(), "--gateway", &gw.url(), "--timeout", "1s", "--format", "json"],
        &[("ANTHROPIC_API_KEY", KEY)],
        dir.path(),
    );
    let took = started.elapsed();
    let v = json(&out);
    assert_verdict(&v, out.status.code().unwrap_or(-1), "network", Some("upstream.network_loss"), 1);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(api.requests().len(), 3, "{:?}", api.requests());
}

#[test]
fn tls_to_a_plain_http_port_fails_at_the_tls_step() {
    let api = StandIn::start("none");
    let url = format!("https://127.0.0.1:{}", api.port);
    let (v, code) = probe_json(&["--direct", &url], KEY);
    assert_verdict(&v, code, "network", None, 1);
    assert_eq!(last_step(path(&v, "direct"))["name"], "tls");
    assert_eq!(v["sent"], false, "the key never left: {v:#}");
    assert!(api.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Local checks: nothing is sent

#[test]
fn a_key_with_a_trailing_newline_is_caught_locally_and_nothing_is_sent() {
    let api = StandIn::start("none");
    let gw = Nginx::start(Gateway::Proxy(api.port));
    let (v, code) = probe_json(&["--direct", &api.url(), "--gateway", &gw.url()], &format!("{KEY}\n"));
    assert_verdict(&v, code, "credential", Some("auth.key_format"), 1);
    assert_eq!(v["sent"], false);
    assert_eq!(v["paths"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["credentials"]["problems"][0]["code"], "FL001");
    assert!(api.requests().is_empty(), "{:?}", api.requests());
}

#[test]
fn both_credential_variables_set_is_credential_and_nothing_is_sent() {
    let api = StandIn::start("none");
    let dir = tmp();
    let out = probe(
        &["--direct", &api.url(), "--format", "json"],
        &[("ANTHROPIC_API_KEY", KEY), ("ANTHROPIC_AUTH_TOKEN", WRONG_KEY)],
        dir.path(),
    );
    let v = json(&out);
    assert_verdict(&v, out.status.code().unwrap_or(-1), "credential", Some("client.auth_header"), 1);
    assert_eq!(v["credentials"]["problems"][0]["code"], "FL007");
    let shown: Vec<&str> =
        v["credentials"]["variables"].as_array().into_iter().flatten().filter_map(|x| x["shown"].as_str()).collect();
    assert_eq!(shown.len(), 2, "both hashes: {v:#}");
    assert!(api.requests().is_empty());
    // --key-env picks one of them
    let out = probe(
        &["--direct", &api.url(), "--format", "json", "--key-env", "ANTHROPIC_API_KEY"],
        &[("ANTHROPIC_API_KEY", KEY), ("ANTHROPIC_AUTH_TOKEN", WRONG_KEY)],
        dir.path(),
    );
    assert_eq!(json(&out)["verdict"], "ok");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_dot_env_with_another_key_shows_both_hashes() {
    let api = StandIn::start("none");
    let dir = tmp();
    let svc = dir.path().join("svc");
    std::fs::create_dir_all(&svc).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join(".env"), format!("ANTHROPIC_API_KEY=\"{WRONG_KEY}\"\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = probe(&["--direct", &api.url(), "--format", "json"], &[("ANTHROPIC_API_KEY", KEY)], &svc);
    let v = json(&out);
    assert_verdict(&v, out.status.code().unwrap_or(-1), "ok", None, 0);
    let file = &v["credentials"]["env_files"][0];
    assert_eq!(file["differs"], true, "{v:#}");
    assert_eq!(file["line"], 1);
    assert_ne!(file["shown"], file["environment"]);
    assert!(file["shown"].as_str().is_some_and(|s| s.contains("sha256:")));
    // human: both hashes on one line
    let out = probe(&["--direct", &api.url()], &[("ANTHROPIC_API_KEY", KEY)], &svc);
    let text = stdout(&out);
    // the entry (wrapped to the width) from the file name to the end of the credentials block
    let entry = text.split(".env:1").nth(1).and_then(|rest| rest.split("\n\n").next()).unwrap_or_default();
    assert_eq!(entry.matches("sha256:").count(), 2, "{text}");

    // the shell's key is the wrong one, the .env has another: the cause is the override
    std::fs::write(dir.path().join(".env"), format!("ANTHROPIC_API_KEY={KEY}\n")).unwrap_or_else(|e| panic!("{e}"));
    let out = probe(&["--direct", &api.url(), "--format", "json"], &[("ANTHROPIC_API_KEY", WRONG_KEY)], dir.path());
    let v = json(&out);
    assert_verdict(&v, out.status.code().unwrap_or(-1), "credential", Some("auth.env_override"), 1);
}

// ---------------------------------------------------------------------------------------------
// The probe cannot run (3), usage (2)

#[test]
fn no_credentials_at_all_is_exit_3() {
    let dir = tmp();
    std::fs::write(dir.path().join(".env"), format!("ANTHROPIC_API_KEY={KEY}\n")).unwrap_or_else(|e| panic!("{e}"));
    let out = probe(&["--direct", "http://127.0.0.1:9"], &[], dir.path());
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("no credentials in the environment") && err.contains(".env:1 sets ANTHROPIC_API_KEY"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
    let out = probe(&["--key-env", "MY_KEY"], &[("ANTHROPIC_API_KEY", KEY)], dir.path());
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn an_invalid_url_is_exit_3() {
    let dir = tmp();
    for args in [
        vec!["--direct", "api.anthropic.com"],
        vec!["--gateway", "ftp://gw.internal"],
        vec!["--gateway", "http://"],
        vec!["--gateway", &format!("https://user:{KEY}@gw.internal")],
    ] {
        let out = probe(&args, &[("ANTHROPIC_API_KEY", KEY)], dir.path());
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error: --"), "{}", stderr(&out));
    }
    let out = probe(&[], &[("ANTHROPIC_API_KEY", KEY), ("ANTHROPIC_BASE_URL", "gw.internal:8080")], dir.path());
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn usage_errors_are_exit_2_and_a_key_on_the_command_line_is_refused_unechoed() {
    let dir = tmp();
    let env = [("ANTHROPIC_API_KEY", KEY)];
    for args in [
        vec!["--timeout", "soon"],
        vec!["--timeout", "0s"],
        vec!["--format", "xml"],
        vec!["--key", KEY],
        vec!["--key-env", KEY],
        vec![KEY],
        vec!["--model", ""],
    ] {
        let out = probe(&args, &env, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

// ---------------------------------------------------------------------------------------------
// Every format, with a real-looking key: the key is never printed

#[test]
fn no_format_prints_the_key() {
    let api = StandIn::start("overloaded");
    let gw = Nginx::start(Gateway::Proxy(api.port));
    let dir = tmp();
    std::fs::write(dir.path().join(".envrc"), format!("export ANTHROPIC_AUTH_TOKEN='{WRONG_KEY} '\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![("ANTHROPIC_API_KEY", KEY.to_string())],
        vec![("ANTHROPIC_API_KEY", WRONG_KEY.to_string())],
        vec![("ANTHROPIC_API_KEY", format!(" {KEY}\u{200b}\n"))],
        vec![("ANTHROPIC_AUTH_TOKEN", format!("bearer {KEY}"))],
        vec![("ANTHROPIC_API_KEY", KEY.to_string()), ("ANTHROPIC_AUTH_TOKEN", WRONG_KEY.to_string())],
    ];
    for env in &cases {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for format in ["human", "json"] {
            for extra in [&[][..], &["-q"][..], &["--color", "always"][..]] {
                let mut args = vec!["--direct", "", "--gateway", "", "--format", format, "--send"];
                let (d, g) = (api.url(), gw.url());
                args[1] = &d;
                args[3] = &g;
                args.extend(extra);
                // probe() asserts that no piece of either key is in stdout or stderr.
                let out = probe(&args, &env, dir.path());
                assert!(matches!(out.status.code(), Some(1)), "{env:?} {args:?}: {}", stderr(&out));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The README transcript: a real run, captured here

const START: &str = "<!-- probe-transcript:start (written by tests/suite/probe.rs) -->";
const END: &str = "<!-- probe-transcript:end -->";

/// README.md with the block between the markers replaced by `transcript` in a text fence.
fn splice_transcript(readme: &str, transcript: &str) -> Option<String> {
    let start = readme.find(START)? + START.len();
    let end = readme.find(END)?;
    (start <= end).then(|| format!("{}\n```text\n{}```\n{}", &readme[..start], transcript, &readme[end..]))
}

/// What stays the same from run to run: digits (ports, timings, dates) and request IDs fold to
/// one mark; spacing and table rules (whose widths follow the digits) are dropped.
fn skeleton(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            // a number, with its decimals: 13 and 1.2 are the same mark
            while chars.peek().is_some_and(|n| n.is_ascii_digit() || *n == '.') {
                chars.next();
            }
            out.push('#');
        } else if c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c) {
            continue;
        } else {
            out.push(c);
        }
    }
    // req_<random>
    let mut folded = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find("req_") {
        folded.push_str(&rest[..at + 4]);
        rest = rest[at + 4..].trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '#');
        folded.push('…');
    }
    folded.push_str(rest);
    folded
}

#[test]
fn readme_probe_transcript_is_a_real_run() {
    let api = StandIn::start("none");
    let gw = Nginx::start(Gateway::NoHealthyUpstream);
    let dir = tmp();
    let out =
        probe(&["--direct", &api.url()], &[("ANTHROPIC_API_KEY", KEY), ("ANTHROPIC_BASE_URL", &gw.url())], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = format!(
        "$ export ANTHROPIC_BASE_URL={}   # the gateway: nginx answering `503 no healthy upstream`\n\
         $ faultline probe --direct {}      # the API stand-in\n{}",
        gw.url(),
        api.url(),
        stdout(&out)
    );
    assert!(text.contains("faultline probe: gateway") && text.contains("no healthy upstream"), "{text}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("docs/probe-transcript.txt");
    let readme_path = root.join("README.md");
    if std::env::var_os("FAULTLINE_UPDATE_TRANSCRIPT").is_some() {
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let readme = std::fs::read_to_string(&readme_path).unwrap_or_else(|e| panic!("{e}"));
        let updated =
            splice_transcript(&readme, &text).unwrap_or_else(|| panic!("README.md lacks the {START} / {END} markers"));
        std::fs::write(&readme_path, updated).unwrap_or_else(|e| panic!("{e}"));
    }
    let captured = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        skeleton(&captured),
        skeleton(&text),
        "docs/probe-transcript.txt no longer reads like a run: rerun with FAULTLINE_UPDATE_TRANSCRIPT=1 cargo test --test suite probe::"
    );
    let readme = std::fs::read_to_string(&readme_path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        splice_transcript(&readme, &captured).as_deref(),
        Some(readme.as_str()),
        "README.md's probe transcript is not docs/probe-transcript.txt: rerun with FAULTLINE_UPDATE_TRANSCRIPT=1"
    );
}

#[test]
fn the_skeleton_ignores_what_changes_between_runs() {
    assert_eq!(skeleton("│ 200 · 1.2 ms  ┆ req_011CabcXYZ9 │"), skeleton("│ 200 · 13 ms ┆ req_011Cq │"));
    assert_ne!(skeleton("503 no healthy upstream"), skeleton("502 Bad Gateway"));
}

// ---------------------------------------------------------------------------------------------
// The token variable, -q, colour and width

#[test]
fn an_auth_token_goes_as_bearer_and_quiet_color_and_width_behave_as_elsewhere() {
    let api = StandIn::start("none");
    let dir = tmp();
    let env = [("ANTHROPIC_AUTH_TOKEN", KEY)];
    let out = probe(&["--direct", &api.url(), "--format", "json"], &env, dir.path());
    let v = json(&out);
    assert_verdict(&v, out.status.code().unwrap_or(-1), "ok", None, 0);
    assert_eq!(v["credentials"]["header"], "authorization");

    let quiet = stdout(&probe(&["--direct", &api.url(), "-q"], &env, dir.path()));
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    assert!(quiet.starts_with("faultline probe: ok — "), "{quiet}");

    let plain = stdout(&probe(&["--direct", &api.url()], &env, dir.path()));
    assert!(!plain.contains('\u{1b}'), "no colour when piped: {plain}");
    let coloured = stdout(&probe(&["--direct", &api.url(), "--color", "always"], &env, dir.path()));
    assert!(coloured.contains('\u{1b}'));
    let no_color = probe(
        &["--direct", &api.url()],
        &[("ANTHROPIC_AUTH_TOKEN", KEY), ("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
        dir.path(),
    );
    assert!(!stdout(&no_color).contains('\u{1b}'));

    let narrow =
        stdout(&probe(&["--direct", &api.url()], &[("ANTHROPIC_AUTH_TOKEN", KEY), ("COLUMNS", "70")], dir.path()));
    let too_wide: Vec<&str> = narrow.lines().filter(|l| l.chars().count() > 70).collect();
    assert!(too_wide.is_empty(), "{too_wide:?}\n{narrow}");
}
