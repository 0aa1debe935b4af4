//! `faultline probe`: flags and the process environment in, the probe's report out.

use std::io::Write;

use crate::cli::{GlobalArgs, ProbeArgs, ProbeFormat};
use crate::config::Config;
use crate::context::RunContext;
use crate::duration::{self, BareUnit};
use crate::error::{Error, Exit, Result};
use crate::probe::{self, credentials, Environment, Verdict};

/// The default budget of each step.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `name` can be the name of an environment variable (`--key-env` takes a name, and
/// a key typed there by mistake must be neither accepted nor echoed).
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What the probe reads from the process environment: the credential variables, the base URL,
/// the proxy settings and `--key-env`'s variable.
pub fn environment(ctx: &RunContext, key_env: Option<&str>) -> Environment {
    let mut names: Vec<&str> = vec![credentials::API_KEY, credentials::AUTH_TOKEN, credentials::BASE_URL];
    names.extend(probe::PROXY_VARS);
    names.extend(key_env);
    let vars = names.iter().filter_map(|n| ctx.vars.get(n).map(|v| (n.to_string(), v.to_string()))).collect();
    Environment { vars, cwd: ctx.cwd.clone(), key_env: key_env.map(str::to_string) }
}

pub fn run(
    args: &ProbeArgs,
    global: &GlobalArgs,
    config: &Config,
    ctx: &RunContext,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    let timeout = match args.timeout.as_deref() {
        None => DEFAULT_TIMEOUT,
        Some(text) => duration::parse(text, BareUnit::Seconds).filter(|d| !d.is_zero()).ok_or_else(|| {
            Error::Usage(format!("--timeout {text}: expected a positive duration such as 10s, 1500ms or 2 (seconds)"))
        })?,
    };
    if let Some(name) = args.key_env.as_deref() {
        if !is_variable_name(name) {
            return Err(Error::Usage(format!(
                "--key-env takes the NAME of an environment variable, not a value (got {}); keys are never accepted on the command line",
                crate::redact::redact_secret(name)
            )));
        }
    }
    if let Some(model) = args.model.as_deref() {
        if model.trim().is_empty() || model.chars().any(char::is_whitespace) {
            return Err(Error::Usage("--model takes a model ID such as claude-sonnet-4-6".into()));
        }
    }
    let request = probe::Request {
        direct: args.direct.clone(),
        gateway: args.gateway.clone(),
        model: args.model.clone(),
        send: args.send,
        timeout,
        date: ctx.today(),
    };
    let env = environment(ctx, args.key_env.as_deref());
    let spinner = (ctx.progress_allowed(global.quiet) && args.format == ProbeFormat::Human)
        .then(|| crate::progress::Spinner::start("probing".into()));
    let report = probe::run(&request, &env, &config.knowledge);
    drop(spinner);
    let report = report?;
    let text = match args.format {
        ProbeFormat::Json => crate::report::probe::json(&report),
        ProbeFormat::Human => {
            let color = ctx.use_color(global.color, ctx.stdout_is_tty);
            let width = ctx.columns.map_or(100, |c| c.max(60));
            crate::report::probe::human(&report, color, width, global.quiet)
        }
    };
    out.write_all(text.as_bytes())?;
    let _ = err;
    Ok(if report.verdict == Verdict::Ok { Exit::Success } else { Exit::Findings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_are_told_from_values() {
        assert!(is_variable_name("ANTHROPIC_API_KEY") && is_variable_name("_x1"));
        for bad in ["", "sk-ant-api03-abc", "1X", "A B", "A=B"] {
            assert!(!is_variable_name(bad), "{bad}");
        }
    }

    #[test]
    fn only_the_variables_the_probe_reads_are_copied() {
        let ctx = RunContext {
            vars: crate::context::Vars::from_pairs([
                ("ANTHROPIC_API_KEY", "k"),
                ("OTHER_SECRET", "s"),
                ("MY_KEY", "m"),
                ("HTTPS_PROXY", "http://proxy:3128"),
            ]),
            ..RunContext::default()
        };
        let env = environment(&ctx, Some("MY_KEY"));
        let names: Vec<&String> = env.vars.keys().collect();
        assert_eq!(names, ["ANTHROPIC_API_KEY", "HTTPS_PROXY", "MY_KEY"]);
    }
}
