//! What the process was started with: environment variables, terminals, today's date.
//!
//! `RunContext::from_process` is the only place that reads the environment or asks whether a
//! stream is a terminal (hurl's "sole place" rule); everything else receives a `RunContext`.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::logs::es::EsEnv;

#[derive(Debug, Clone, Default)]
pub struct RunContext {
    pub stdin_is_tty: bool,
    pub stdout_is_tty: bool,
    pub stderr_is_tty: bool,
    /// `NO_COLOR` set to a non-empty value.
    pub no_color: bool,
    /// `CLICOLOR_FORCE` set to a value other than `0`.
    pub clicolor_force: bool,
    /// `TERM=dumb`.
    pub term_dumb: bool,
    /// `CI` set (any value but empty/`false`/`0`): no prompts, no progress bars.
    pub ci: bool,
    /// Terminal width: `COLUMNS` when set, else the size of the terminal on stdout.
    pub columns: Option<u16>,
    pub cwd: PathBuf,
    /// `$XDG_CONFIG_HOME/faultline` or `$HOME/.config/faultline`.
    pub user_config_dir: Option<PathBuf>,
    pub es: EsEnv,
    /// Every variable of the process environment, for commands that look one up by a name
    /// chosen at run time (`probe --key-env NAME`) or read a family of them (`ANTHROPIC_*`).
    pub vars: Vars,
    pub today: Option<NaiveDate>,
}

/// A snapshot of the process environment. Values may be credentials: `Debug` prints the names
/// only. A value that is not UTF-8 is kept lossily (U+FFFD in place of the bad bytes), so a
/// check on it still sees that something is wrong.
#[derive(Clone, Default)]
pub struct Vars(std::collections::BTreeMap<String, String>);

impl Vars {
    pub fn from_pairs<I, K, V>(pairs: I) -> Vars
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Vars(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    /// The value exactly as set (an empty value is `Some("")`: set, but empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }
}

impl std::fmt::Debug for Vars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Width of the terminal stdout is on, if it is one.
fn stdout_columns() -> Option<u16> {
    console::Term::stdout().size_checked().map(|(_rows, cols)| cols).filter(|c| *c > 0)
}

impl RunContext {
    pub fn from_process() -> RunContext {
        let user_config_dir = var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".config")))
            .map(|d| d.join("faultline"));
        RunContext {
            stdin_is_tty: std::io::stdin().is_terminal(),
            stdout_is_tty: std::io::stdout().is_terminal(),
            stderr_is_tty: std::io::stderr().is_terminal(),
            no_color: var("NO_COLOR").is_some(),
            clicolor_force: var("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            term_dumb: var("TERM").is_some_and(|t| t == "dumb"),
            ci: var("CI").is_some_and(|v| v != "0" && !v.eq_ignore_ascii_case("false")),
            columns: var("COLUMNS").and_then(|c| c.parse().ok()).or_else(stdout_columns),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            user_config_dir,
            es: EsEnv {
                url: var("FAULTLINE_ES_URL"),
                api_key: var("FAULTLINE_ES_API_KEY"),
                username: var("FAULTLINE_ES_USERNAME"),
                password: var("FAULTLINE_ES_PASSWORD"),
                cloud_id: var("FAULTLINE_ES_CLOUD_ID"),
            },
            vars: Vars::from_pairs(
                std::env::vars_os().map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned())),
            ),
            today: Some(chrono::Utc::now().date_naive()),
        }
    }

    /// Whether output to a stream should be coloured, given the `--color` choice.
    pub fn use_color(&self, choice: crate::cli::ColorChoice, stream_is_tty: bool) -> bool {
        use crate::cli::ColorChoice;
        match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if self.no_color {
                    false
                } else if self.clicolor_force {
                    true
                } else {
                    stream_is_tty && !self.term_dumb
                }
            }
        }
    }

    /// Whether progress bars may be drawn on stderr.
    pub fn progress_allowed(&self, quiet: bool) -> bool {
        self.stderr_is_tty && !self.ci && !quiet && !self.term_dumb
    }

    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(|| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::ColorChoice;

    #[test]
    fn colour_follows_no_color_then_clicolor_force_then_tty() {
        let mut ctx = RunContext::default();
        assert!(!ctx.use_color(ColorChoice::Auto, false));
        assert!(ctx.use_color(ColorChoice::Auto, true));
        ctx.clicolor_force = true;
        assert!(ctx.use_color(ColorChoice::Auto, false));
        ctx.no_color = true;
        assert!(!ctx.use_color(ColorChoice::Auto, true));
        assert!(ctx.use_color(ColorChoice::Always, false));
        let dumb = RunContext { term_dumb: true, ..RunContext::default() };
        assert!(!dumb.use_color(ColorChoice::Auto, true));
        assert!(!dumb.use_color(ColorChoice::Never, true));
    }
}
