//! From what each path saw to one verdict.
//!
//! Each path's first failing step is classified on its own ([`classify`]): transport failures
//! by where they happened, API error bodies by `error.type` and the error signatures of
//! rules/signatures.toml (the ones `diagnose` matches), other bodies (an nginx error page,
//! Envoy's `no healthy upstream`) as answered by whatever sits in front of the API. Then the
//! paths are compared ([`decide`]):
//! - a local credential problem: `credential`, nothing sent;
//! - every path passed: `ok`;
//! - the gateway fails while the direct path works: `gateway`;
//! - otherwise the direct path's fault names the verdict (both failing the same way with a
//!   provider error type: `provider`; both unreachable: `network`), the gateway's is evidence.

use chrono::NaiveDate;

use super::credentials::Local;
use super::net::show_duration;
use super::report::{ModelCheck, Outcome, PathName, PathReport, Report, Step, Verdict, VERSION};
use super::Request;
use crate::knowledge::{Knowledge, Origin};

/// What the knowledge base and lint's model rules say about the model at the date.
pub fn model_check(k: &Knowledge, id: &str, date: NaiveDate) -> ModelCheck {
    let body =
        serde_json::json!({"model": id, "max_tokens": 1, "messages": [{"role": "user", "content": "x"}]}).to_string();
    let headers = [("anthropic-version".to_string(), k.api.recommended_version.clone())];
    let findings = crate::lint::lint_logged_request(k, Some("/v1/messages"), &headers, Some(&body), date)
        .into_iter()
        .filter(|f| f.code.starts_with("FL2"))
        .map(|f| format!("{}: {}", f.code, f.message))
        .collect();
    let found = k.model(id);
    ModelCheck {
        id: id.to_string(),
        name: found.map(|m| m.model.name.clone()),
        status: found.map(|m| m.model.status_at(date)),
        replacement: found.and_then(|m| m.model.replacement.clone()),
        findings,
    }
}

/// One path's fault.
#[derive(Debug, Clone)]
pub struct Fault {
    pub verdict: Verdict,
    pub cause: Option<String>,
    /// `dns failed: …`, `models: 529 overloaded_error "Overloaded"`.
    pub what: String,
    /// No HTTP answer (DNS, connect, TLS, timeout, broken connection).
    pub transport: bool,
}

/// `models: 529 overloaded_error "Overloaded"` or `connect: connection refused …`.
fn describe(step: &Step) -> String {
    let mut text = step.name.to_string();
    match step.status {
        Some(status) => {
            text.push_str(&format!(": {status}"));
            if let Some(t) = &step.error_type {
                text.push_str(&format!(" {t}"));
            }
            if let Some(m) = step.message.as_deref().filter(|m| !m.is_empty()) {
                text.push_str(&format!(" \u{201c}{}\u{201d}", short(m)));
            }
        }
        None => {
            if let Some(m) = &step.message {
                text.push_str(&format!(": {m}"));
            }
        }
    }
    text
}

/// A message cut to a sentence's length for summaries and evidence (the step keeps it whole).
fn short(message: &str) -> String {
    const LIMIT: usize = 100;
    if message.chars().count() <= LIMIT {
        return message.to_string();
    }
    let cut: String = message.chars().take(LIMIT).collect();
    let at = cut.rfind(' ').filter(|i| *i > LIMIT / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([' ', ',', '.', ';']))
}

/// The first signature (rules/signatures.toml order) matching the step's error type or message.
fn signature<'k>(k: &'k Knowledge, step: &Step) -> Option<&'k crate::knowledge::Signature> {
    let texts = [step.error_type.as_deref(), step.message.as_deref()];
    k.signatures.iter().find(|s| texts.iter().flatten().any(|t| s.regex.is_match(t)))
}

/// Classifies the failing step of a path on its own.
pub fn classify(k: &Knowledge, path: &PathReport, local: &Local) -> Option<Fault> {
    let step = path.failed()?;
    let gateway = path.name == PathName::Gateway;
    let what = describe(step);
    let fault = |verdict, cause: Option<&str>| Fault {
        verdict,
        cause: cause.map(str::to_string),
        what: what.clone(),
        transport: false,
    };
    if step.is_transport_failure() {
        let cause = if gateway {
            Some("upstream.middleware_exhaustion")
        } else if matches!(step.outcome, Outcome::Timeout | Outcome::ConnectionError) {
            Some("upstream.network_loss")
        } else {
            None
        };
        let verdict = if gateway { Verdict::Gateway } else { Verdict::Network };
        return Some(Fault { transport: true, ..fault(verdict, cause) });
    }
    // Answered by something that is not the API: the gateway on its path, a middlebox on the direct one.
    let front = if gateway { Verdict::Gateway } else { Verdict::Network };
    if step.outcome == Outcome::Unexpected {
        return Some(fault(front, None));
    }
    let sig = signature(k, step);
    let sig_cause = sig.map(|s| s.def.cause.as_str()).filter(|c| !c.is_empty());
    let origin = sig.map(|s| s.def.origin);
    let status = step.status.unwrap_or(0);
    if let Some(kind) = step.error_type.as_deref() {
        return Some(match kind {
            "authentication_error" => fault(Verdict::Credential, Some(rejected_key_cause(local))),
            "permission_error" => fault(Verdict::Credential, None),
            "billing_error" => fault(Verdict::Quota, None),
            "rate_limit_error" if origin == Some(Origin::Quota) => fault(Verdict::Quota, sig_cause),
            "rate_limit_error" => fault(Verdict::RateLimit, Some("traffic.rate_limit")),
            "not_found_error" if sig_cause == Some("client.model_id") || mentions_model(step) => {
                fault(Verdict::Model, Some("client.model_id"))
            }
            "not_found_error" if gateway => fault(Verdict::Gateway, None),
            "invalid_request_error" if origin == Some(Origin::Quota) => fault(Verdict::Quota, sig_cause),
            "invalid_request_error" if sig_cause == Some("client.model_id") => {
                fault(Verdict::Model, Some("client.model_id"))
            }
            "overloaded_error" | "api_error" => fault(Verdict::Provider, Some("upstream.provider_overload")),
            _ if status >= 500 => fault(Verdict::Provider, Some("upstream.provider_overload")),
            _ => fault(Verdict::Provider, None),
        });
    }
    // Not an API error body.
    Some(match status {
        429 => fault(Verdict::RateLimit, Some("traffic.rate_limit")),
        401 | 403 => fault(Verdict::Credential, None),
        _ if origin == Some(Origin::Middleware) || matches!(status, 502..=504) => {
            fault(front, sig_cause.or(Some("upstream.middleware_exhaustion")))
        }
        _ => fault(front, sig_cause),
    })
}

fn mentions_model(step: &Step) -> bool {
    step.message.as_deref().is_some_and(|m| m.trim_start().starts_with("model:") || m.contains("model"))
}

/// A key whose bytes passed the local checks and that the API still rejects: revoked, expired
/// or of another organisation — or a stale value that an env file would replace.
fn rejected_key_cause(local: &Local) -> &'static str {
    let used = local.report.used.as_deref();
    if local.report.env_files.iter().any(|f| Some(f.variable.as_str()) == used && f.differs == Some(true)) {
        "auth.env_override"
    } else {
        "auth.key_revoked"
    }
}

/// The verdict over the local checks and the paths; fills the whole report.
pub fn decide(k: &Knowledge, local: Local, model: ModelCheck, paths: Vec<PathReport>, req: &Request) -> Report {
    let mut evidence = Vec::new();
    let mut fix = Vec::new();
    let (verdict, cause, summary) = if local.blocked() {
        let first = local.report.problems.first().map(|p| p.message.clone()).unwrap_or_default();
        for p in &local.report.problems {
            evidence.push(format!("local check {}: {}", p.code, p.message));
            if let Some(h) = &p.help {
                push_unique(&mut fix, format!("{}: {h}", p.variable));
            }
        }
        (Verdict::Credential, local.cause.clone(), format!("{first}; nothing was sent"))
    } else {
        judge_paths(k, &local, &model, &paths, req, &mut evidence, &mut fix)
    };
    for f in local.report.env_files.iter().filter(|f| f.differs == Some(true)) {
        evidence.push(format!(
            "{}:{} sets {} to {} while the environment has {}",
            f.path,
            f.line,
            f.variable,
            f.shown.as_deref().unwrap_or("?"),
            f.environment.as_deref().unwrap_or("?")
        ));
    }
    if let Some(c) = cause.as_deref().and_then(|c| k.cause(c)) {
        for a in &c.actions {
            push_unique(&mut fix, k.render(a));
        }
    }
    Report {
        version: VERSION,
        verdict,
        cause_title: cause.as_deref().and_then(|c| k.cause(c)).map(|c| c.title.clone()),
        cause,
        summary,
        // An HTTP step was attempted: the credential went out (a request that timed out was sent).
        sent: paths.iter().any(|p| p.steps.iter().any(|s| s.request.is_some())),
        date: req.date.format("%Y-%m-%d").to_string(),
        credentials: local.report,
        model,
        paths,
        evidence,
        fix,
    }
}

fn push_unique(list: &mut Vec<String>, line: String) {
    if !list.contains(&line) {
        list.push(line);
    }
}

/// One line per path: what it did and where it stopped.
fn path_line(p: &PathReport) -> String {
    let steps: Vec<String> = p
        .steps
        .iter()
        .filter(|s| s.status.is_some() || !s.ok)
        .map(|s| {
            let mut t = describe(s);
            t.push_str(&format!(" in {} ms", fmt_ms(s.ms)));
            if let Some(id) = &s.request_id {
                t.push_str(&format!(", request-id {id}"));
            }
            if s.status.is_some() && s.answered_by != Some("api") {
                let by = s.server.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
                t.push_str(&format!(
                    ", answered by the {}{by}",
                    if p.name == PathName::Gateway { "gateway" } else { "host" }
                ));
            }
            t
        })
        .collect();
    format!("{} {}: {}", p.name.as_str(), p.url, steps.join("; "))
}

pub fn fmt_ms(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.1}")
    } else {
        format!("{}", ms.round() as u64)
    }
}

fn judge_paths(
    k: &Knowledge,
    local: &Local,
    model: &ModelCheck,
    paths: &[PathReport],
    req: &Request,
    evidence: &mut Vec<String>,
    fix: &mut Vec<String>,
) -> (Verdict, Option<String>, String) {
    for p in paths {
        evidence.push(path_line(p));
    }
    let direct = paths.iter().find(|p| p.name == PathName::Direct);
    let gateway = paths.iter().find(|p| p.name == PathName::Gateway);
    let fd = direct.and_then(|p| classify(k, p, local));
    let fg = gateway.and_then(|p| classify(k, p, local));
    let both = gateway.is_some();
    let model_id = &model.id;

    let (verdict, cause, mut summary, leading) = match (&fd, &fg) {
        (None, None) => {
            let via = if both { "direct and through the gateway" } else { "direct" };
            let listed = paths.iter().filter_map(|p| p.model_listed).any(|l| !l);
            if listed {
                evidence.push(format!("{model_id} is not in a models list, yet count_tokens accepted it"));
            }
            (Verdict::Ok, None, format!("the key works and {model_id} is accepted, {via}"), None)
        }
        (None, Some(g)) => {
            let summary = match g.verdict {
                Verdict::Gateway => format!("the gateway fails ({}) while the direct path works", g.what),
                other => format!(
                    "through the gateway the call fails ({}, {}) while the direct path works: the gateway sends another credential or shares another limit",
                    g.what,
                    other.as_str()
                ),
            };
            (Verdict::Gateway, g.cause.clone(), summary, Some(g))
        }
        (Some(d), None) if both => {
            let summary = format!("the direct path fails ({}) while the gateway works", d.what);
            (d.verdict, d.cause.clone(), summary, Some(d))
        }
        (Some(d), other) => {
            let same = other.as_ref().is_some_and(|g| g.verdict == d.verdict || (g.transport && d.transport));
            let on = match (both, same) {
                (false, _) => "on the direct path".to_string(),
                (true, true) => "on both paths".to_string(),
                (true, false) => format!(
                    "on the direct path; through the gateway: {}",
                    other.as_ref().map(|g| g.what.clone()).unwrap_or_default()
                ),
            };
            (d.verdict, d.cause.clone(), format!("{} {on}", verdict_sentence(d, model)), Some(d))
        }
    };
    let failing = [(direct, &fd), (gateway, &fg)];
    for (p, f) in failing {
        if let (Some(p), Some(_)) = (p, f) {
            if let Some(step) = p.failed() {
                lead_fix(verdict, p, step, local, model, req, fix);
            }
        }
    }
    if leading.is_none() && verdict == Verdict::Ok {
        summary = format!("ok: {summary}");
        return (verdict, cause, summary);
    }
    (verdict, cause, summary)
}

/// The sentence for a fault seen on the direct path.
fn verdict_sentence(f: &Fault, model: &ModelCheck) -> String {
    match f.verdict {
        Verdict::Credential => format!("the API rejects the credential ({})", f.what),
        Verdict::Provider => format!("the provider answers with an error of its own ({})", f.what),
        Verdict::Network => format!("no usable answer from the provider ({})", f.what),
        Verdict::RateLimit => format!("rate limited ({})", f.what),
        Verdict::Quota => format!("the account cannot spend ({})", f.what),
        Verdict::Model => {
            let known = match (&model.status, &model.replacement) {
                (Some(status), Some(r)) => {
                    format!("; the knowledge base has it {}, replacement {r}", status_word(*status))
                }
                (Some(status), None) => format!("; the knowledge base has it {}", status_word(*status)),
                (None, _) => "; the knowledge base does not know it".into(),
            };
            format!("{} is not served ({}){known}", model.id, f.what)
        }
        Verdict::Gateway => format!("the gateway fails ({})", f.what),
        Verdict::Ok => String::new(),
    }
}

fn status_word(s: crate::knowledge::ModelStatus) -> &'static str {
    match s {
        crate::knowledge::ModelStatus::Active => "active",
        crate::knowledge::ModelStatus::Deprecated => "deprecated",
        crate::knowledge::ModelStatus::Retired => "retired",
    }
}

/// The verdict's own first steps, before the cause's actions.
fn lead_fix(
    verdict: Verdict,
    path: &PathReport,
    step: &Step,
    local: &Local,
    model: &ModelCheck,
    req: &Request,
    fix: &mut Vec<String>,
) {
    let on = path.name.as_str();
    match (verdict, step.outcome) {
        (_, Outcome::ConnectError) => push_unique(
            fix,
            format!(
                "{on}: nothing accepts connections at {}: start it, or point the client at one that runs",
                path.url
            ),
        ),
        (_, Outcome::DnsError) => {
            push_unique(fix, format!("{on}: the host of {} does not resolve here: check the name and DNS", path.url))
        }
        (_, Outcome::TlsError) => push_unique(
            fix,
            format!(
                "{on}: the TLS handshake fails: check the URL's scheme and port, and for a proxy that intercepts TLS"
            ),
        ),
        (_, Outcome::Timeout) => push_unique(
            fix,
            format!(
                "{on}: no answer within {}: check firewalls and egress rules, then the host's health",
                show_duration(req.timeout)
            ),
        ),
        _ => {}
    }
    match verdict {
        Verdict::RateLimit => {
            if let Some(ra) = &step.retry_after {
                push_unique(
                    fix,
                    format!("Wait {ra} s (retry-after) before the next request; the SDKs do, when they retry"),
                );
            }
            if let Some(line) = limits_line(step) {
                push_unique(fix, format!("Limits now: {line}"));
            }
        }
        Verdict::Model => {
            let to = model.replacement.clone().or_else(|| {
                model
                    .findings
                    .iter()
                    .find_map(|f| f.split("did you mean `").nth(1)?.split('`').next().map(str::to_string))
            });
            match to {
                Some(r) => push_unique(fix, format!("Use `{r}` instead of `{}`", model.id)),
                None => push_unique(
                    fix,
                    format!(
                        "Pick a model the models list shows (`faultline rules` lists the known IDs) instead of `{}`",
                        model.id
                    ),
                ),
            }
        }
        Verdict::Credential if step.error_type.as_deref() == Some("authentication_error") => {
            let var = local.report.used.as_deref().unwrap_or("the variable");
            let shown = local.report.shown.as_deref().unwrap_or("?");
            push_unique(
                fix,
                format!("The key's bytes are clean, yet the API rejects the key in {var} ({shown}): issue or copy a valid key"),
            );
        }
        Verdict::Gateway if path.name == PathName::Gateway && step.status.is_some() && step.answered_by != Some("api") => {
            let status = step.status.map(|s| s.to_string()).unwrap_or_default();
            let said = step.message.as_deref().map(|m| format!(" \u{201c}{m}\u{201d}")).unwrap_or_default();
            push_unique(
                fix,
                format!(
                    "The gateway at {} answers {status}{said} itself while the API answers directly: check the gateway's upstream (address, TLS, health checks) and its logs",
                    path.url
                ),
            );
        }
        Verdict::Provider if step.answered_by == Some("api") => push_unique(
            fix,
            "Nothing in your stack is wrong: the API itself answers with this error; back off, retry later, and watch the status page".to_string(),
        ),
        Verdict::Quota => push_unique(
            fix,
            "Retrying does not help: raise the limit or add credits in the console (Plans & Billing), or wait for the date in the message".to_string(),
        ),
        Verdict::Provider | Verdict::Gateway | Verdict::Network | Verdict::Credential | Verdict::Ok => {}
    }
}

/// `requests 0/50 (reset …), tokens 0/40000 …` from the rate-limit headers.
pub fn limits_line(step: &Step) -> Option<String> {
    let mut dims: Vec<&str> = step.ratelimit.keys().filter_map(|key| key.strip_suffix("-limit")).collect();
    dims.sort_by_key(|d| match *d {
        "requests" => 0,
        "tokens" => 1,
        "input-tokens" => 2,
        "output-tokens" => 3,
        _ => 4,
    });
    let resets: Vec<String> = dims.iter().filter_map(|d| step.ratelimit.get(&format!("{d}-reset")).cloned()).collect();
    let one_reset = resets.len() == dims.len() && resets.windows(2).all(|w| w[0] == w[1]);
    let mut parts: Vec<String> = dims
        .iter()
        .map(|d| {
            let get = |s: &str| step.ratelimit.get(&format!("{d}-{s}")).cloned();
            let mut t =
                format!("{d} {}/{}", get("remaining").unwrap_or_else(|| "?".into()), get("limit").unwrap_or_default());
            if let Some(r) = get("reset").filter(|_| !one_reset) {
                t.push_str(&format!(" (reset {r})"));
            }
            t
        })
        .collect();
    if let (true, Some(r)) = (one_reset, resets.first()) {
        if let Some(last) = parts.last_mut() {
            last.push_str(&format!("; reset {r}"));
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::report::Credentials;

    fn k() -> Knowledge {
        Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    fn local() -> Local {
        Local {
            report: Credentials { used: Some("ANTHROPIC_API_KEY".into()), ..Credentials::default() },
            chosen: None,
            cause: None,
            secrets: Vec::new(),
        }
    }

    fn req() -> Request {
        Request {
            direct: None,
            gateway: None,
            model: None,
            send: false,
            timeout: std::time::Duration::from_secs(10),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
        }
    }

    fn ok_path(name: PathName) -> PathReport {
        let mut models = Step::new("models", Outcome::Ok, 1.0);
        models.status = Some(200);
        let mut count = Step::new("count_tokens", Outcome::Ok, 1.0);
        count.status = Some(200);
        PathReport {
            name,
            url: format!("http://{}", name.as_str()),
            source: "test".into(),
            ok: true,
            model_listed: Some(true),
            steps: vec![Step::new("dns", Outcome::Ok, 0.1), Step::new("connect", Outcome::Ok, 0.1), models, count],
        }
    }

    /// A path whose models step ended with `step`.
    fn failing(name: PathName, step: Step) -> PathReport {
        let mut p = ok_path(name);
        p.ok = false;
        p.steps.truncate(2);
        p.steps.push(step);
        p
    }

    fn http(status: u16, kind: Option<&str>, message: &str, api: bool) -> Step {
        let mut s = Step::new("models", Outcome::HttpError, 1.0);
        s.status = Some(status);
        s.error_type = kind.map(str::to_string);
        s.message = Some(message.into());
        s.answered_by = Some(if api { "api" } else { "gateway" });
        s
    }

    fn transport(outcome: Outcome) -> Step {
        let mut s = Step::new("connect", outcome, 1.0);
        s.message = Some("refused".into());
        s
    }

    fn verdict(paths: Vec<PathReport>) -> (Verdict, Option<String>) {
        let k = k();
        let model = model_check(&k, "claude-haiku-4-5-20251001", req().date);
        let r = decide(&k, local(), model, paths, &req());
        (r.verdict, r.cause)
    }

    #[test]
    fn the_paths_are_compared() {
        use PathName::{Direct, Gateway};
        let v = |paths| verdict(paths).0;
        assert_eq!(v(vec![ok_path(Direct), ok_path(Gateway)]), Verdict::Ok);
        // gateway failing while direct works: gateway, whatever the gateway's fault
        let rate = http(429, Some("rate_limit_error"), "Rate limited", true);
        assert_eq!(
            verdict(vec![ok_path(Direct), failing(Gateway, rate)]),
            (Verdict::Gateway, Some("traffic.rate_limit".into()))
        );
        let down = transport(Outcome::ConnectError);
        assert_eq!(
            verdict(vec![ok_path(Direct), failing(Gateway, down.clone())]),
            (Verdict::Gateway, Some("upstream.middleware_exhaustion".into()))
        );
        // direct unreachable while the gateway works: network
        assert_eq!(v(vec![failing(Direct, down.clone()), ok_path(Gateway)]), Verdict::Network);
        // both unreachable: network
        assert_eq!(
            v(vec![failing(Direct, down.clone()), failing(Gateway, transport(Outcome::Timeout))]),
            Verdict::Network
        );
        // both with the provider's error type: provider
        let overloaded = http(529, Some("overloaded_error"), "Overloaded", true);
        assert_eq!(
            verdict(vec![failing(Direct, overloaded.clone()), failing(Gateway, overloaded.clone())]),
            (Verdict::Provider, Some("upstream.provider_overload".into()))
        );
        // different faults: the direct path names it
        assert_eq!(v(vec![failing(Direct, overloaded), failing(Gateway, down)]), Verdict::Provider);
    }

    #[test]
    fn error_bodies_are_classified_by_type_and_signature() {
        use PathName::Direct;
        let one = |s: Step| verdict(vec![failing(Direct, s)]);
        let spend = http(429, Some("rate_limit_error"), "You have reached your API usage limits: …", true);
        assert_eq!(one(spend), (Verdict::Quota, Some("traffic.quota_exhausted".into())));
        let credit = http(
            400,
            Some("invalid_request_error"),
            "Your credit balance is too low to access the Anthropic API.",
            true,
        );
        assert_eq!(one(credit), (Verdict::Quota, Some("traffic.quota_exhausted".into())));
        assert_eq!(one(http(402, Some("billing_error"), "Billing error", true)), (Verdict::Quota, None));
        let model = http(404, Some("not_found_error"), "model: claude-3-sonnet-20240229", true);
        assert_eq!(one(model), (Verdict::Model, Some("client.model_id".into())));
        let key = http(401, Some("authentication_error"), "invalid x-api-key", true);
        assert_eq!(one(key), (Verdict::Credential, Some("auth.key_revoked".into())));
        assert_eq!(one(http(403, Some("permission_error"), "no", true)).0, Verdict::Credential);
        // a middlebox's page on the direct path is no answer from the API
        assert_eq!(one(http(502, None, "502 Bad Gateway", false)).0, Verdict::Network);
        let mut unexpected = Step::new("models", Outcome::Unexpected, 1.0);
        unexpected.status = Some(200);
        assert_eq!(one(unexpected).0, Verdict::Network);
    }

    #[test]
    fn a_rejected_key_with_another_value_in_an_env_file_is_the_override() {
        let mut l = local();
        l.report.env_files.push(crate::probe::report::EnvFileValue {
            path: ".env".into(),
            line: 1,
            variable: "ANTHROPIC_API_KEY".into(),
            shown: Some("a".into()),
            environment: Some("b".into()),
            differs: Some(true),
        });
        assert_eq!(rejected_key_cause(&l), "auth.env_override");
        assert_eq!(rejected_key_cause(&local()), "auth.key_revoked");
    }

    #[test]
    fn limits_read_in_dimension_order_with_one_reset() {
        let mut s = Step::new("count_tokens", Outcome::Ok, 1.0);
        for (k, v) in [
            ("tokens-limit", "40000"),
            ("tokens-remaining", "39000"),
            ("tokens-reset", "T"),
            ("requests-limit", "50"),
            ("requests-remaining", "49"),
            ("requests-reset", "T"),
        ] {
            s.ratelimit.insert(k.into(), v.into());
        }
        assert_eq!(limits_line(&s).as_deref(), Some("requests 49/50, tokens 39000/40000; reset T"));
        assert!(short(&"word ".repeat(40)).chars().count() <= 101);
    }
}
