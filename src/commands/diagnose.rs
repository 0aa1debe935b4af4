//! `faultline diagnose`: gather the facts (a file, stdin or a cluster), diagnose them, print the
//! report, then walk or watch.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::cli::{DiagnoseArgs, GlobalArgs};
use crate::config::Config;
use crate::context::RunContext;
use crate::diagnose::model::{Diagnosis, Partial};
use crate::diagnose::summary::Sample;
use crate::diagnose::{rank, Summary};
use crate::error::{Error, Exit, Result};
use crate::interactive::{MoreSamples, Terminal, WalkAsk};
use crate::logs::es::client::RetryPolicy;
use crate::logs::es::{self, ClusterSamples, EsFlags, EsSettings, EsSummary};
use crate::logs::local::{self, ReadCounters};
use crate::logs::preset::Override;
use crate::logs::record::{self, SchemaChoice};
use crate::logs::{reader, window};
use crate::progress::{ReadProgress, MIN_FILE_BYTES};
use crate::report::diagnosis::DiagnoseFormat;

/// The cluster flags, as the search backend takes them.
fn es_flags(args: &DiagnoseArgs) -> EsFlags {
    EsFlags {
        url: args.es.clone(),
        index: args.index.clone(),
        ca_cert: args.es_ca_cert.clone(),
        insecure: args.insecure,
        timeout: args.es_timeout.clone(),
        explain_queries: args.explain_queries,
    }
}

/// The log schema: `--schema`, else `[diagnose] schema`, else auto.
fn schema(args: &DiagnoseArgs, config: &Config) -> SchemaChoice {
    args.schema
        .clone()
        .or_else(|| config.file.diagnose.schema.as_ref().map(|s| s.get_ref().clone()))
        .unwrap_or_default()
}

/// `--field NAME=PATH[:UNIT]` over `[diagnose] fields` (flags win), parsed once for both backends.
fn field_overrides(args: &DiagnoseArgs, config: &Config) -> Result<Vec<Override>> {
    record::overrides_from_config_and_flags(
        config.file.diagnose.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &args.fields,
    )
}

/// The window asked for: `--since DUR`, or `--from T [--to T]` (RFC 3339 or relative to `now`).
fn time_window(args: &DiagnoseArgs, now: chrono::DateTime<chrono::Utc>) -> Result<window::Span> {
    window::resolve(args.since.as_deref(), args.from.as_deref(), args.to.as_deref(), now)
}

/// `faultline diagnose --es`: the Summary from the cluster, with the settings resolved from
/// `[es]` < `FAULTLINE_ES_*` < flags. Prints `--explain-queries` to `err`.
pub fn gather_es(args: &DiagnoseArgs, config: &Config, ctx: &RunContext, err: &mut dyn Write) -> Result<EsSummary> {
    let settings = EsSettings::resolve(&es_flags(args), &config.file.es, &ctx.es)?;
    let overrides = field_overrides(args, config)?;
    let (from, to) = time_window(args, chrono::Utc::now())?;
    let k = &config.knowledge;
    let request = es::Request {
        settings: &settings,
        retry: RetryPolicy::from_knowledge(k),
        presets: &k.presets,
        schema: schema(args, config),
        overrides: &overrides,
        from,
        to,
        token_limit: k.thresholds.streaming.non_streaming_token_limit,
        bytes_per_token: k.thresholds.payload.bytes_per_token,
        known_statuses: k.statuses.iter().map(|s| s.code).collect(),
    };
    es::gather_summary(&request, err)
}

/// The local backend's options from flags and `[diagnose]` config (flags win).
pub fn local_options(
    args: &DiagnoseArgs,
    config: &Config,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<local::Options> {
    let (from, to) = time_window(args, now)?;
    let overrides = field_overrides(args, config)?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let limit = config.knowledge.thresholds.streaming.non_streaming_token_limit;
    Ok(local::Options {
        preset: schema(args, config).named().map(str::to_string),
        presets: config.knowledge.presets.clone(),
        overrides,
        from,
        to,
        bytes_per_token: config.knowledge.thresholds.payload.bytes_per_token,
        ..local::Options::new(limit, workers)
    })
}

/// Reads a file (or stdin) with the local backend, drawing a bar while it does when the file
/// is at least [`MIN_FILE_BYTES`] long or its size is unknown.
fn summarise_with_progress(spec: &str, options: &local::Options) -> Result<local::Outcome> {
    let bytes = Arc::new(AtomicU64::new(0));
    let (source, total) = reader::open_counted(spec, Arc::clone(&bytes))?;
    let counters = Arc::new(ReadCounters::default());
    let bar = match total {
        Some(size) if size < MIN_FILE_BYTES => None,
        _ => {
            let c = Arc::clone(&counters);
            let counts = move || (c.records.load(Ordering::Relaxed), c.skipped.load(Ordering::Relaxed));
            Some(ReadProgress::start(&source.name, total, bytes, counts))
        }
    };
    let outcome = local::summarise_observed(source, options, Some(&counters));
    drop(bar);
    outcome
}

/// The local backend: a file or stdin, one streaming pass.
fn local_summary(
    args: &DiagnoseArgs,
    global: &GlobalArgs,
    config: &Config,
    ctx: &RunContext,
    err: &mut dyn Write,
) -> Result<(Summary, Vec<String>)> {
    let Some(source) = args.source.as_deref() else {
        return Err(Error::Usage(
            "diagnose needs a SOURCE: an NDJSON file (.gz too), '-' to read stdin, or --es URL".into(),
        ));
    };
    let options = local_options(args, config, chrono::Utc::now())?;
    // Progress hook (issue 5): a bar on stderr while a large file is read.
    let outcome = if ctx.progress_allowed(global.quiet) {
        summarise_with_progress(source, &options)?
    } else {
        local::summarise(reader::open(source)?, &options)?
    };
    if !global.quiet {
        for line in &outcome.first_errors {
            writeln!(err, "warning: skipped {line}")?;
        }
        let s = &outcome.summary.skipped;
        if s.count > outcome.first_errors.len() as u64 {
            writeln!(err, "warning: {} lines skipped in all (reasons in the report)", s.count)?;
        }
    }
    let s = &outcome.summary;
    if s.total_requests == 0 && s.skipped.outside_window == 0 {
        return Err(Error::Input(nothing_read(source, &s.skipped)));
    }
    Ok((outcome.summary, outcome.notes))
}

/// The error of an input that held no readable record: not "no failures", but why nothing was
/// read (issue 12, item 9).
pub fn nothing_read(source: &str, skipped: &crate::diagnose::summary::SkippedLines) -> String {
    let name = if source == "-" { "stdin" } else { source };
    if skipped.count == 0 {
        return format!("{name}: no record was read: the input is empty (expected NDJSON, one JSON object a line)");
    }
    let reasons: Vec<String> =
        skipped.reasons.iter().map(|(r, n)| format!("{r}: {}", crate::knowledge::thousands(*n))).collect();
    let lines: Vec<String> = skipped.first_lines.iter().map(u64::to_string).collect();
    let at = if lines.len() == 1 { "line" } else { "lines" };
    format!(
        "{name}: no record was read: {} lines skipped ({}), at {at} {}; expected NDJSON (one JSON object a \
         line), a JSON array of objects or an Elasticsearch _search export",
        crate::knowledge::thousands(skipped.count),
        reasons.join(", "),
        lines.join(", ")
    )
}

/// What one reading of the source gave.
struct Gathered {
    summary: Summary,
    /// The field map the cluster resolved, for the walk's follow-up queries.
    es_fields: Option<es::fields::FieldMap>,
    /// Partial results from the cluster (timed out, failed shards).
    partial: Option<Partial>,
    /// The reader's notes, said before the figures.
    notes: Vec<String>,
}

impl Gathered {
    /// The diagnosis of these facts, marked partial when they are.
    fn diagnose(&self, config: &Config) -> Diagnosis {
        let mut diagnosis = rank::diagnose(&self.summary, &config.knowledge);
        diagnosis.partial = self.partial.clone();
        diagnosis.notes.extend(self.notes.iter().cloned());
        diagnosis
    }
}

/// The facts, from the cluster or from a file/stdin.
fn gather(
    args: &DiagnoseArgs,
    global: &GlobalArgs,
    config: &Config,
    ctx: &RunContext,
    err: &mut dyn Write,
) -> Result<Gathered> {
    // The Elasticsearch/OpenSearch backend (issue 4): the same Summary, computed by the cluster.
    if args.source.is_none() && EsSettings::wanted(&es_flags(args), &config.file.es, &ctx.es) {
        // Progress hook (issue 5): a spinner on stderr while the cluster works.
        let spinner =
            ctx.progress_allowed(global.quiet).then(|| crate::progress::Spinner::start("asking the cluster".into()));
        let got = gather_es(args, config, ctx, err);
        drop(spinner);
        let got = got?;
        if !global.quiet {
            writeln!(err, "faultline: {} at {}", got.server.describe(), got.url)?;
        }
        // Partial results are printed even with -q: the counts below them are incomplete.
        for note in got.notes.iter().filter(|n| !global.quiet || n.starts_with("PARTIAL")) {
            writeln!(err, "warning: {note}")?;
        }
        let mut summary = got.summary;
        summary.mask_logged_fields();
        Ok(Gathered { summary, es_fields: Some(got.fields), partial: got.partial, notes: Vec::new() })
    } else {
        let (mut summary, notes) = local_summary(args, global, config, ctx, err)?;
        summary.mask_logged_fields();
        Ok(Gathered { summary, es_fields: None, partial: None, notes })
    }
}

/// Whether to walk after the report, from the flags and the terminal (see
/// [`crate::interactive::wants_walk`]).
fn wants_walk(args: &DiagnoseArgs, ctx: &RunContext) -> Result<bool> {
    let ask = WalkAsk {
        interactive: args.interactive,
        no_interactive: args.no_interactive,
        watch: args.watch.is_some(),
        from_stdin: args.source.as_deref() == Some("-"),
        human: args.format == DiagnoseFormat::Human,
    };
    let term = Terminal {
        stdin_is_tty: ctx.stdin_is_tty,
        stdout_is_tty: ctx.stdout_is_tty,
        ci: ctx.ci,
        term_dumb: ctx.term_dumb,
    };
    crate::interactive::wants_walk(&ask, &term)
}

/// The walk's more samples of a cause, from the cluster the diagnosis was read from.
impl MoreSamples for ClusterSamples {
    fn fetch(&self, statuses: &[u16], key_hashes: &[String], exclude_ids: &[String]) -> Result<Vec<Sample>> {
        let mut samples = ClusterSamples::fetch(self, statuses, key_hashes, exclude_ids)?;
        samples.iter_mut().for_each(Sample::mask_logged_fields);
        Ok(samples)
    }
}

/// `faultline diagnose --schema list`: every preset, what it reads, how `auto` recognises it,
/// where its shape comes from.
pub fn presets_listing(presets: &crate::knowledge::presets::Presets) -> String {
    let mut out = String::from("Log presets (--schema NAME; auto picks one by its fingerprint):\n");
    for e in &presets.entries {
        let origin = if e.from_config { format!(" [{}]", e.at(e.offset)) } else { String::new() };
        out.push_str(&format!("\n{}{origin}\n  {}\n", e.name, e.def.description));
        let detect: Vec<&str> = e.def.detect.iter().map(|d| d.get_ref().as_str()).collect();
        out.push_str(&format!("  fingerprint: {}\n", detect.join(", ")));
        for s in &e.def.sources {
            out.push_str(&format!("  source: {s}\n"));
        }
    }
    out.push_str(
        "\nFields: docs/log-formats.md; rules: rules/presets.toml (extend with [presets.NAME] in faultline.toml).\n",
    );
    out
}

/// Whether the human report is the whole one, layer trace included: `--trace` or `-v`.
fn trace(args: &DiagnoseArgs, global: &GlobalArgs) -> bool {
    args.trace || global.verbose > 0
}

/// Columns for the human report: the terminal's width (or `COLUMNS`), at least 60; 100 when
/// unknown (piped).
pub fn report_width(ctx: &RunContext) -> u16 {
    ctx.columns.map_or(100, |c| c.max(60))
}

/// What the watch screen names as its source, redrawn every run: an `--es` URL without its
/// password, else the file, else the cluster from the environment or config.
pub fn watch_source_label(args: &DiagnoseArgs) -> String {
    match (&args.es, &args.source) {
        (Some(url), _) => es::settings::redact_url(url),
        (None, Some(source)) => source.clone(),
        (None, None) => "the cluster".into(),
    }
}

/// `faultline diagnose`.
pub fn run(
    args: &DiagnoseArgs,
    global: &GlobalArgs,
    config: &Config,
    ctx: &RunContext,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    if schema(args, config) == SchemaChoice::List {
        out.write_all(presets_listing(&config.knowledge.presets).as_bytes())?;
        return Ok(Exit::Success);
    }
    // Walk hook (issue 5): decided before reading, so an impossible --interactive fails fast.
    let walk = wants_walk(args, ctx)?;
    let color = ctx.use_color(global.color, ctx.stdout_is_tty);
    let width = report_width(ctx);
    // Watch hook (issue 5): the same diagnosis, again and again.
    if let Some(every) = args.watch.as_deref() {
        let watch = crate::interactive::watch::Watch {
            every,
            source: watch_source_label(args),
            format: args.format,
            redraw: ctx.stdout_is_tty && !ctx.term_dumb,
            color,
            width,
            trace: trace(args, global),
            from_stdin: args.source.as_deref() == Some("-"),
        };
        return crate::interactive::watch::run(&watch, out, err, |err| {
            gather(args, global, config, ctx, err).map(|g| g.diagnose(config))
        });
    }
    let gathered = gather(args, global, config, ctx, err)?;
    let diagnosis = gathered.diagnose(config);
    let Gathered { summary, es_fields, .. } = gathered;
    let view = crate::report::diagnosis::HumanView { color, width, trace: trace(args, global) };
    let text = crate::report::diagnosis::render(&diagnosis, args.format, &view);
    out.write_all(text.as_bytes())?;
    out.flush()?;
    if walk {
        let cluster = match es_fields {
            Some(fields) => Some(ClusterSamples::new(
                EsSettings::resolve(&es_flags(args), &config.file.es, &ctx.es)?,
                RetryPolicy::from_knowledge(&config.knowledge),
                fields,
                &summary.window,
                (
                    config.knowledge.thresholds.streaming.non_streaming_token_limit,
                    config.knowledge.thresholds.payload.bytes_per_token,
                ),
                config.knowledge.statuses.iter().map(|s| s.code).collect(),
            )),
            None => None,
        };
        let walk = crate::interactive::walk::Walk {
            diagnosis: &diagnosis,
            summary: &summary,
            knowledge: &config.knowledge,
            color,
            width,
            cwd: &ctx.cwd,
            cluster: cluster.as_ref().map(|c| c as &dyn MoreSamples),
        };
        return crate::interactive::walk(&walk, out);
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(argv: &[&str]) -> DiagnoseArgs {
        use clap::Parser;
        let argv = ["faultline", "diagnose"].iter().chain(argv).copied();
        match crate::cli::Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(crate::cli::Command::Diagnose(a)) => a,
            other => panic!("{other:?}"),
        }
    }

    fn terminal() -> RunContext {
        RunContext { stdin_is_tty: true, stdout_is_tty: true, stderr_is_tty: true, ..RunContext::default() }
    }

    #[test]
    fn the_watch_source_label_never_shows_the_es_password() {
        let label = watch_source_label(&args(&["--es", "https://elastic:S3cretPW@es.local:9200", "--watch", "30s"]));
        assert_eq!(label, "https://elastic:…@es.local:9200");
        let label = watch_source_label(&args(&["--es", "elastic:S3cretPW@localhost:9200", "--watch", "30s"]));
        assert!(!label.contains("S3cretPW"), "{label}");
        assert_eq!(watch_source_label(&args(&["logs.ndjson", "--watch", "30s"])), "logs.ndjson");
        assert_eq!(watch_source_label(&args(&["--watch", "30s"])), "the cluster");
    }

    #[test]
    fn walks_by_default_only_on_a_terminal_with_a_file() {
        assert!(wants_walk(&args(&["f.ndjson"]), &terminal()).unwrap_or(false));
        let piped = RunContext { stdout_is_tty: false, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &piped).unwrap_or(true));
        let no_stdin = RunContext { stdin_is_tty: false, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &no_stdin).unwrap_or(true));
        assert!(!wants_walk(&args(&["-"]), &terminal()).unwrap_or(true));
        let ci = RunContext { ci: true, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &ci).unwrap_or(true));
        let dumb = RunContext { term_dumb: true, ..terminal() };
        assert!(!wants_walk(&args(&["f.ndjson"]), &dumb).unwrap_or(true));
        assert!(!wants_walk(&args(&["f.ndjson", "--no-interactive"]), &terminal()).unwrap_or(true));
        assert!(!wants_walk(&args(&["f.ndjson", "--format", "json"]), &terminal()).unwrap_or(true));
        assert!(!wants_walk(&args(&["f.ndjson", "--watch", "30s"]), &terminal()).unwrap_or(true));
    }

    #[test]
    fn interactive_where_no_one_can_answer_is_a_usage_error() {
        let usage = |a: &[&str], ctx: &RunContext| matches!(wants_walk(&args(a), ctx), Err(Error::Usage(_)));
        let piped = RunContext { stdout_is_tty: false, ..terminal() };
        assert!(usage(&["f.ndjson", "--interactive"], &piped));
        assert!(usage(&["-", "--interactive"], &terminal()));
        assert!(usage(&["f.ndjson", "--interactive"], &RunContext { ci: true, ..terminal() }));
        assert!(usage(&["f.ndjson", "--interactive", "--watch", "5s"], &terminal()));
        assert!(wants_walk(&args(&["f.ndjson", "--interactive", "--format", "markdown"]), &terminal()).unwrap_or(false));
        // The last of --interactive / --no-interactive wins.
        assert!(!wants_walk(&args(&["f.ndjson", "--interactive", "--no-interactive"]), &piped).unwrap_or(true));
    }
}
