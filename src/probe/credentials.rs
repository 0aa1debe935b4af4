//! The local checks, before anything is sent: which credential variables are set and which one
//! the probe sends, what the lint rules say about each value (whitespace, invisible characters,
//! the `Bearer` scheme: `faultline lint` runs on a request synthesized from the variable, as the
//! SDKs would build it), and which `.env` / `.envrc` files would set another value.
//!
//! The SDKs (Python and TypeScript alike) read `ANTHROPIC_API_KEY` into `x-api-key` and
//! `ANTHROPIC_AUTH_TOKEN` into `Authorization: Bearer …`, and send **both** headers when both
//! are set, which the API rejects (reference §2). So with both set the probe sends nothing and
//! says so; `--key-env NAME` picks one value to probe.

use chrono::NaiveDate;

use super::envfile;
use super::net::CredentialHeader;
use super::report::{Credentials, EnvFileValue, Problem, Variable};
use super::{Environment, Secret};
use crate::knowledge::Knowledge;
use crate::redact::redact_secret;

pub const API_KEY: &str = "ANTHROPIC_API_KEY";
pub const AUTH_TOKEN: &str = "ANTHROPIC_AUTH_TOKEN";
pub const BASE_URL: &str = "ANTHROPIC_BASE_URL";

/// The credential the probe will send.
#[derive(Debug)]
pub struct Chosen {
    pub variable: String,
    pub header: CredentialHeader,
    pub secret: Secret,
}

/// The outcome of the local checks.
#[derive(Debug)]
pub struct Local {
    pub report: Credentials,
    /// `None`: nothing to send (no credential, or both set).
    pub chosen: Option<Chosen>,
    /// The root cause a local problem points to (rules/causes.toml), when one stops the probe.
    pub cause: Option<String>,
    /// Every credential value seen (environment and env files), to scrub from any output.
    pub secrets: Vec<Secret>,
}

impl Local {
    /// Whether a local problem stops the probe before anything is sent.
    pub fn blocked(&self) -> bool {
        !self.report.problems.is_empty()
    }
}

/// Runs the local checks over the environment.
pub fn check(env: &Environment, knowledge: &Knowledge, date: NaiveDate) -> Local {
    let mut report = Credentials::default();
    let mut secrets = Vec::new();
    let mut candidates: Vec<(String, CredentialHeader)> =
        vec![(API_KEY.into(), CredentialHeader::ApiKey), (AUTH_TOKEN.into(), CredentialHeader::Bearer)];
    if let Some(name) = &env.key_env {
        if name != API_KEY && name != AUTH_TOKEN {
            candidates.push((name.clone(), CredentialHeader::ApiKey));
        }
    }
    for (name, header) in &candidates {
        let value = env.var(name);
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            secrets.push(Secret::new(v));
        }
        report.variables.push(Variable {
            name: name.clone(),
            set: value.is_some(),
            empty: value.is_some_and(str::is_empty),
            shown: value.filter(|v| !v.is_empty()).map(redact_secret),
            header: header.name(),
            used: false,
        });
        if value.is_some_and(str::is_empty) {
            report.notes.push(format!("{name} is set but empty: it counts as not set"));
        }
    }
    let present = |name: &str| env.var(name).filter(|v| !v.is_empty()).map(str::to_string);

    // Which value is sent.
    let mut chosen = None;
    let mut cause = None;
    match &env.key_env {
        Some(name) => {
            let header = if name == AUTH_TOKEN { CredentialHeader::Bearer } else { CredentialHeader::ApiKey };
            if let Some(v) = present(name) {
                chosen = Some(Chosen { variable: name.clone(), header, secret: Secret::new(&v) });
            }
        }
        None => match (present(API_KEY), present(AUTH_TOKEN)) {
            (Some(key), Some(token)) => {
                let findings = lint_headers(
                    knowledge,
                    date,
                    &[("x-api-key".into(), key.clone()), ("authorization".into(), bearer_header(&token))],
                );
                cause = findings.1.or_else(|| Some("client.auth_header".into()));
                report.problems.push(Problem {
                    code: findings.0.iter().find(|f| f.code == "FL007").map_or("FL007".into(), |f| f.code.to_string()),
                    variable: format!("{API_KEY} + {AUTH_TOKEN}"),
                    message: format!(
                        "both {API_KEY} and {AUTH_TOKEN} are set: the SDKs send both `x-api-key` and `Authorization`, and the API rejects the request"
                    ),
                    help: Some(format!(
                        "unset one of them; to probe one value alone: `faultline probe --key-env {API_KEY}` (or {AUTH_TOKEN})"
                    )),
                });
            }
            (Some(key), None) => {
                chosen = Some(Chosen {
                    variable: API_KEY.into(),
                    header: CredentialHeader::ApiKey,
                    secret: Secret::new(&key),
                })
            }
            (None, Some(token)) => {
                chosen = Some(Chosen {
                    variable: AUTH_TOKEN.into(),
                    header: CredentialHeader::Bearer,
                    secret: Secret::new(&token),
                })
            }
            (None, None) => {}
        },
    }

    // The lint rules over the value as the SDKs would send it.
    if let Some(c) = &chosen {
        let value = c.secret.expose();
        let header_value = match c.header {
            CredentialHeader::ApiKey => value.to_string(),
            CredentialHeader::Bearer => bearer_header(value),
        };
        let (findings, lint_cause) =
            lint_headers(knowledge, date, &[(c.header.name().to_string(), header_value.clone())]);
        for f in findings.iter().filter(|f| f.code.starts_with("FL0") && f.severity == crate::lint::Severity::Error) {
            report.problems.push(Problem {
                code: f.code.to_string(),
                variable: c.variable.clone(),
                message: format!("{}: {}", c.variable, f.message),
                help: f.help.clone(),
            });
        }
        if let Some(scheme) = leading_scheme(value) {
            let sent = match c.header {
                CredentialHeader::ApiKey => format!("`x-api-key: {scheme} …`"),
                CredentialHeader::Bearer => format!("`Authorization: Bearer {scheme} …`"),
            };
            report.problems.push(Problem {
                code: "probe.scheme_in_value".into(),
                variable: c.variable.clone(),
                message: format!("{} starts with the scheme `{scheme}`: the SDKs would send {sent}", c.variable),
                help: Some(format!("store the bare key in {}; the client adds the scheme itself", c.variable)),
            });
        }
        if !report.problems.is_empty() {
            cause = lint_cause.or_else(|| Some("client.auth_header".into()));
        }
        for v in report.variables.iter_mut().filter(|v| v.name == c.variable) {
            v.used = true;
        }
        report.used = Some(c.variable.clone());
        report.header = Some(c.header.name());
        report.shown = Some(c.secret.shown());
    }

    // .env / .envrc files that would set another value.
    let mut watched: Vec<&str> = candidates.iter().map(|(n, _)| n.as_str()).collect();
    watched.push(BASE_URL);
    for a in envfile::scan(&env.cwd, &watched) {
        if a.name == BASE_URL {
            let differs = a.value.as_deref().map(|v| Some(v) != env.var(BASE_URL));
            report.env_files.push(EnvFileValue {
                path: a.path.display().to_string(),
                line: a.line,
                variable: a.name.clone(),
                shown: a.value.as_deref().map(crate::logs::es::settings::redact_url),
                environment: env.var(BASE_URL).map(crate::logs::es::settings::redact_url),
                differs,
            });
            continue;
        }
        if let Some(v) = a.value.as_deref().filter(|v| !v.is_empty()) {
            secrets.push(Secret::new(v));
        }
        let in_env = present(&a.name);
        report.env_files.push(EnvFileValue {
            path: a.path.display().to_string(),
            line: a.line,
            variable: a.name.clone(),
            shown: a.value.as_deref().map(redact_secret),
            environment: in_env.as_deref().map(redact_secret),
            differs: match (&a.value, &in_env) {
                (Some(file), Some(env)) => Some(file != env),
                _ => None,
            },
        });
    }
    Local { report, chosen, cause, secrets }
}

/// `Bearer <token>` as the SDKs build it, unless the variable already holds a scheme word:
/// then the value as it is, so the scheme rules see its spelling (`bearer` → FL004).
fn bearer_header(token: &str) -> String {
    if leading_scheme(token).is_some() {
        token.to_string()
    } else {
        format!("Bearer {token}")
    }
}

/// A leading `Bearer` (any case, or misspelt by up to two letters) followed by whitespace.
fn leading_scheme(value: &str) -> Option<&str> {
    let trimmed = value.trim_start();
    let word_end = trimmed.find([' ', '\t'])?;
    let word = &trimmed[..word_end];
    let lower = word.to_ascii_lowercase();
    let scheme_like = word.len() >= 5 && word.chars().all(|c| c.is_ascii_alphabetic());
    (scheme_like && strsim::levenshtein(&lower, "bearer") <= 2).then_some(word)
}

/// Lint's findings on a Messages request carrying these headers, and the root cause `diagnose`
/// would give them on a 401 (the same rule: rules/causes.toml `lint_prefixes`).
fn lint_headers(
    knowledge: &Knowledge,
    date: NaiveDate,
    credential_headers: &[(String, String)],
) -> (Vec<crate::lint::Finding>, Option<String>) {
    let mut headers = credential_headers.to_vec();
    headers.push(("anthropic-version".into(), knowledge.api.recommended_version.clone()));
    headers.push(("content-type".into(), "application/json".into()));
    let path = Some("/v1/messages");
    let findings = crate::lint::lint_logged_request(knowledge, path, &headers, None, date);
    let sample = crate::diagnose::summary::Sample {
        status: 401,
        path: path.map(str::to_string),
        headers,
        timestamp: date.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default(),
        ..Default::default()
    };
    let cause = crate::diagnose::causes::lint_cause(knowledge, &sample).map(|(c, _)| c.to_string());
    (findings, cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefghijklmnopqrstuvwxyzAB-CDEFGH";

    fn env(pairs: &[(&str, &str)]) -> Environment {
        Environment {
            vars: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            cwd: std::path::PathBuf::from("/nonexistent-faultline-probe"),
            key_env: None,
        }
    }

    fn knowledge() -> Knowledge {
        Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
    }

    #[test]
    fn a_clean_key_is_chosen_and_shown_redacted() {
        let local = check(&env(&[(API_KEY, KEY)]), &knowledge(), date());
        assert!(!local.blocked(), "{:?}", local.report.problems);
        let chosen = local.chosen.as_ref().map(|c| (c.variable.as_str(), c.header));
        assert_eq!(chosen, Some((API_KEY, CredentialHeader::ApiKey)));
        let shown = format!("{:?}", local.report);
        assert!(!shown.contains("AbCdEf") && shown.contains("sk-ant-api03-… sha256:"), "{shown}");
    }

    #[test]
    fn a_trailing_newline_is_a_local_problem_with_the_key_format_cause() {
        let local = check(&env(&[(API_KEY, &format!("{KEY}\n"))]), &knowledge(), date());
        assert!(local.blocked());
        assert_eq!(local.report.problems.first().map(|p| p.code.as_str()), Some("FL001"));
        assert_eq!(local.cause.as_deref(), Some("auth.key_format"));
        assert!(!format!("{:?}", local.report).contains("AbCdEf"));
    }

    #[test]
    fn both_variables_block_and_point_at_the_header() {
        let local = check(&env(&[(API_KEY, KEY), (AUTH_TOKEN, KEY)]), &knowledge(), date());
        assert!(local.blocked() && local.chosen.is_none());
        assert_eq!(local.report.problems.first().map(|p| p.code.as_str()), Some("FL007"));
        assert_eq!(local.cause.as_deref(), Some("client.auth_header"));
    }

    #[test]
    fn a_scheme_inside_the_token_variable_is_caught() {
        let local = check(&env(&[(AUTH_TOKEN, &format!("bearer {KEY}"))]), &knowledge(), date());
        let codes: Vec<&str> = local.report.problems.iter().map(|p| p.code.as_str()).collect();
        assert!(codes.contains(&"FL004") && codes.contains(&"probe.scheme_in_value"), "{codes:?}");
        let local = check(&env(&[(AUTH_TOKEN, &format!("Bearer {KEY}"))]), &knowledge(), date());
        let codes: Vec<&str> = local.report.problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["probe.scheme_in_value"]);
    }

    #[test]
    fn key_env_picks_one_variable_and_empty_means_unset() {
        let mut e = env(&[(API_KEY, ""), ("GATEWAY_KEY", KEY)]);
        e.key_env = Some("GATEWAY_KEY".into());
        let local = check(&e, &knowledge(), date());
        assert_eq!(local.report.used.as_deref(), Some("GATEWAY_KEY"));
        assert!(local.report.notes.iter().any(|n| n.contains("set but empty")));
        let none = check(&env(&[(API_KEY, "")]), &knowledge(), date());
        assert!(none.chosen.is_none() && !none.blocked());
    }
}
