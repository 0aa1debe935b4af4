//! The command surface (clap derive definitions only). README.md "Commands" documents it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lint::{OutputFormat, ProviderChoice, Severity};
use crate::logs::record::{SchemaChoice, SchemaParser};
use crate::report::diagnosis::DiagnoseFormat;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (lint: no finding at or above --fail-level; diagnose: a report was produced)
  1  lint findings at or above the fail level; a fault the probe found
  2  usage or configuration error
  3  input or backend error (unreadable file, Elasticsearch unreachable or refusing);
     the probe could not run (no credentials in the environment, an invalid URL);
     diagnose: no record could be read at all
  130  interrupted with Ctrl-C (the walk, --watch)";

#[derive(Debug, Parser)]
#[command(
    name = "faultline",
    version,
    about = "Why are Claude API calls failing, and what do I change?",
    long_about = "Why are Claude API calls failing, and what do I change?\n\n\
        `diagnose` walks the layered diagnosis (status -> validation -> traffic -> upstream) over request logs \
        from a file, stdin or Elasticsearch/OpenSearch. `lint` checks captured requests for the mistakes behind \
        400s and 401s.",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print only the essentials (no progress, no summary lines on stderr).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk the layered diagnosis over request logs and name the root causes.
    #[command(after_help = EXIT_CODES)]
    Diagnose(DiagnoseArgs),
    /// Check captured requests for the mistakes behind 400s and 401s.
    #[command(after_help = EXIT_CODES)]
    Lint(LintArgs),
    /// Print the knowledge-base entry for a lint code, a root cause or a status code.
    #[command(
        after_help = "Examples:\n  faultline explain FL001\n  faultline explain traffic.quota_exhausted\n  faultline explain 529"
    )]
    Explain(ExplainArgs),
    /// List every lint rule and root cause, one line each.
    Rules(RulesArgs),
    /// Print a shell completion script (the same scripts are checked in under completions/).
    Completions(CompletionsArgs),
    /// Check live, direct and through the gateway: is it the key, the gateway, or the provider?
    #[command(after_help = "Credentials come from the environment only: ANTHROPIC_API_KEY (sent as x-api-key), \
            ANTHROPIC_AUTH_TOKEN (sent as Authorization: Bearer) or --key-env NAME; never from the command line.\n\n\
            Exit codes:\n  0  verdict ok\n  1  a fault was found (the verdict names it)\n  2  usage error\n  \
            3  the probe could not run (no credentials, an invalid URL)")]
    Probe(ProbeArgs),
}

#[derive(Debug, Args, Clone)]
pub struct DiagnoseArgs {
    /// Log source: an NDJSON file (.gz too), an Elasticsearch _search/elasticdump export, or '-' for stdin.
    #[arg(value_name = "SOURCE", conflicts_with = "es")]
    pub source: Option<String>,

    /// Elasticsearch/OpenSearch URL (also FAULTLINE_ES_URL or [es] url in the config).
    #[arg(long, value_name = "URL", help_heading = "Elasticsearch / OpenSearch")]
    pub es: Option<String>,
    /// Index pattern to search.
    #[arg(long, value_name = "PATTERN", help_heading = "Elasticsearch / OpenSearch")]
    pub index: Option<String>,
    /// PEM file with the CA certificate that signed the cluster's certificate.
    #[arg(long, value_name = "FILE", help_heading = "Elasticsearch / OpenSearch")]
    pub es_ca_cert: Option<PathBuf>,
    /// Accept any TLS certificate from the cluster (never the default).
    #[arg(long, help_heading = "Elasticsearch / OpenSearch")]
    pub insecure: bool,
    /// Time budget for each request to the cluster (e.g. 30s).
    #[arg(long, value_name = "DUR", help_heading = "Elasticsearch / OpenSearch")]
    pub es_timeout: Option<String>,
    /// Print the query bodies sent to the cluster (credentials redacted), ready for Kibana Dev Tools.
    #[arg(long, help_heading = "Elasticsearch / OpenSearch")]
    pub explain_queries: bool,

    /// Only records newer than this (relative: 15m, 1h, 7d).
    #[arg(long, value_name = "DUR", conflicts_with_all = ["from"], help_heading = "Time window")]
    pub since: Option<String>,
    /// Start of the window (RFC 3339, or relative like 2h).
    #[arg(long, value_name = "TIME", help_heading = "Time window")]
    pub from: Option<String>,
    /// End of the window (RFC 3339, or relative like 30m).
    #[arg(long, value_name = "TIME", help_heading = "Time window")]
    pub to: Option<String>,

    /// How the logs are written: a preset (built-in or from faultline.toml), auto (default), or list to show them.
    #[arg(long, value_parser = SchemaParser, value_name = "SCHEMA", help_heading = "Log fields")]
    pub schema: Option<SchemaChoice>,
    /// Override one field's path (and unit), e.g. --field status=http.status, --field latency=took:s (repeatable).
    #[arg(long = "field", value_name = "NAME=PATH[:UNIT]", help_heading = "Log fields")]
    pub fields: Vec<String>,

    /// Output format (human is the default, also when piped; scripts pass json).
    #[arg(long, value_enum, default_value_t = DiagnoseFormat::Human)]
    pub format: DiagnoseFormat,
    /// Human report: the whole report, with the per-layer trace and every evidence line, fix and sample (the default fits one screen; same as -v). Markdown and JSON always carry it.
    #[arg(long)]
    pub trace: bool,
    /// Walk the layers interactively (default when stdin and stdout are terminals and the source is not stdin).
    #[arg(long, overrides_with = "no_interactive")]
    pub interactive: bool,
    /// Never prompt.
    #[arg(long, overrides_with = "interactive")]
    pub no_interactive: bool,
    /// Re-run the diagnosis every DUR (with its unit: 30s, 5m, 1h) over a sliding window and show what changed; Ctrl-C stops (exit 130).
    #[arg(long, value_name = "DUR")]
    pub watch: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct LintArgs {
    /// Request captures (files or directories, which recurse); '-' reads a stream from stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Apply safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// Also apply fixes that may change behaviour (alias -> pinned model ID).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show the fixes as a unified diff without writing.
    #[arg(long)]
    pub diff: bool,
    /// Which API the requests target (auto: from the URL and headers).
    #[arg(long, value_enum, value_name = "PROVIDER")]
    pub provider: Option<ProviderChoice>,
    /// Only these rule codes or prefixes (comma separated: FL0,FL201).
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub select: Vec<String>,
    /// Skip these rule codes or prefixes (comma separated).
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_level: Option<Severity>,
    /// Evaluate model deprecation and retirement at this date (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// File name to report for input read from stdin.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct ProbeArgs {
    /// The provider's base URL, called directly (default https://api.anthropic.com).
    #[arg(long, value_name = "URL")]
    pub direct: Option<String>,
    /// The gateway's base URL (default: ANTHROPIC_BASE_URL when it is set and is not the provider).
    #[arg(long, value_name = "URL")]
    pub gateway: Option<String>,
    /// The model to check (default: rules/api.toml `probe_model`).
    #[arg(long, value_name = "ID")]
    pub model: Option<String>,
    /// Also send one POST /v1/messages with max_tokens 1 (bills one output token).
    #[arg(long)]
    pub send: bool,
    /// Time budget of each step (e.g. 5s, 1500ms; a bare number is seconds; default 10s).
    #[arg(long, value_name = "DUR")]
    pub timeout: Option<String>,
    /// Read the key from this environment variable (sent as x-api-key) instead of ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN.
    #[arg(long, value_name = "NAME")]
    pub key_env: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProbeFormat::Human)]
    pub format: ProbeFormat,
}

#[derive(Debug, Args, Clone)]
pub struct ExplainArgs {
    /// A lint code (FL001), a root-cause ID (traffic.quota_exhausted) or a status code (529).
    #[arg(value_name = "CODE|CAUSE|STATUS")]
    pub name: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args, Clone)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell to generate the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProbeFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

/// The clap command, for completions and help tests.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
