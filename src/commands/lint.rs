//! `faultline lint`: reads the inputs, runs the linter over them into the chosen output format,
//! applies `--fix` or prints `--diff`, and maps what was found to an exit code. The clap
//! arguments stop here: the linter gets plain `Settings`.

use std::io::{Read, Write};
use std::path::Path;

use crate::cli::{GlobalArgs, LintArgs};
use crate::config::Config;
use crate::context::RunContext;
use crate::error::{Error, Exit, Result};
use crate::lint::inputs::{self, Input};
use crate::lint::stream::{lint_files, lint_stream, not_text};
use crate::lint::{codes, records_of, LintOptions, Linter, Reported, Settings, Severity, Sink, Source, Totals};
use crate::report::lint::{write_diff, Renderer};

/// `faultline lint`.
pub fn run(
    args: &LintArgs,
    global: &GlobalArgs,
    config: &Config,
    ctx: &RunContext,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    let settings = settings(args, config, ctx)?;
    let linter = Linter { knowledge: &config.knowledge, settings: &settings };
    let inputs = inputs::expand(&args.paths);
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    if args.fix && inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        return Err(Error::Usage(
            "--fix writes files in place and cannot fix stdin; use --diff to see the fixes".into(),
        ));
    }
    if args.diff {
        return diff(&linter, &inputs, &stdin_name, global.quiet, out, err);
    }

    let started = std::time::Instant::now();
    let color = ctx.use_color(global.color, ctx.stdout_is_tty);
    let mut renderer = Renderer::new(args.format, color, out);
    renderer.begin()?;
    let mut totals = Totals::default();
    let mut fixed_files = 0;
    let mut fixes_applied = 0;
    {
        let mut emit = |r: &Reported, s: &Source<'_>| renderer.finding(r, s);
        let mut i = 0;
        while i < inputs.len() {
            let input = &inputs[i];
            i += 1;
            match input {
                Input::Missing(p, e) => {
                    totals.files += 1;
                    totals.unreadable += 1;
                    let r = Reported::unreadable(&settings, p, e);
                    totals.count(&r);
                    emit(&r, &Source { text: "", first_line: 0, secrets: &[] })?;
                }
                Input::Stdin => {
                    totals.files += 1;
                    // Read 1 MiB at a time (the lock's own buffer is 8 KiB: a read(2) per four
                    // lines of a stream of captures), from a pipe grown to match.
                    crate::logs::reader::grow_stdin_pipe();
                    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::io::stdin().lock());
                    lint_stream(&linter, &stdin_name, &mut reader, &mut totals, &mut emit)?;
                }
                Input::File(first) if !args.fix => {
                    // A run of files goes to the workers together.
                    let mut run = vec![(first.clone(), display(first))];
                    while let Some(Input::File(p)) = inputs.get(i) {
                        run.push((p.clone(), display(p)));
                        i += 1;
                    }
                    lint_files(&linter, &run, &mut totals, &mut emit)?;
                }
                Input::File(p) => {
                    totals.files += 1;
                    let name = display(p);
                    match std::fs::read(p).map(String::from_utf8) {
                        Ok(Ok(text)) => {
                            let (fixed, n) = linter.fix_text(&text);
                            if fixed != text {
                                std::fs::write(p, &fixed)
                                    .map_err(|e| Error::Input(format!("{name}: cannot write the fixed file: {e}")))?;
                                fixed_files += 1;
                                fixes_applied += n;
                            }
                            for (base, record) in records_of(&fixed) {
                                let first_line = memchr::memchr_iter(b'\n', &fixed.as_bytes()[..base]).count();
                                linter.lint_record(&name, record, first_line, &mut totals, &mut emit)?;
                            }
                        }
                        Ok(Err(_)) => not_text(&linter, &name, &mut totals, &mut emit)?,
                        Err(e) => {
                            totals.unreadable += 1;
                            let r = Reported::unreadable(&settings, &name, &e);
                            totals.count(&r);
                            emit(&r, &Source { text: "", first_line: 0, secrets: &[] })?;
                        }
                    }
                }
            }
        }
    }
    totals.fixed = fixes_applied;
    renderer.end(&totals)?;
    if !global.quiet && !renderer.reports_totals() {
        writeln!(err, "{}", totals.line())?;
    }
    if fixed_files > 0 && !global.quiet {
        writeln!(err, "fixed {fixes_applied} problem(s) in {fixed_files} file(s)")?;
    }
    if global.verbose > 0 {
        writeln!(err, "{}", verbose_line(&settings, totals.files, started.elapsed()))?;
    }
    let failing = totals.at_or_above(settings.fail_level);
    Ok(if totals.unreadable > 0 {
        Exit::Input
    } else if failing > 0 {
        Exit::Findings
    } else {
        Exit::Success
    })
}

/// What `lint -v` adds on stderr: the time taken and the settings the findings rest on (rules
/// enabled, the level that fails the run, the date models are judged at, the provider).
fn verbose_line(settings: &Settings, files: usize, took: std::time::Duration) -> String {
    let enabled = codes::RULES.iter().filter(|r| settings.enabled(r.code)).count();
    let provider = settings.options.provider.map_or("auto".to_string(), |p| format!("{p:?}").to_lowercase());
    format!(
        "lint: {files} input(s) in {} ms; {enabled} of {} rules enabled; fails at {}; models as of {}; provider {provider}",
        took.as_millis(),
        codes::RULES.len(),
        settings.fail_level.as_str(),
        settings.options.date,
    )
}

/// A path as findings name it (forward slashes on every platform).
fn display(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// `--diff`: the fixes of every input as a unified diff, nothing written.
fn diff(
    linter: &Linter<'_>,
    inputs: &[Input],
    stdin_name: &str,
    quiet: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    let mut changed = 0;
    let mut fixes = 0;
    let mut unreadable = false;
    for input in inputs {
        let (name, text) = match input {
            Input::File(p) => match std::fs::read(p).map(String::from_utf8) {
                Ok(Ok(t)) => (display(p), t),
                Ok(Err(_)) | Err(_) => {
                    unreadable = true;
                    writeln!(err, "error: {}: cannot be read as text", crate::redact::mask_keys_in_text(&display(p)))?;
                    continue;
                }
            },
            Input::Stdin => {
                let mut t = String::new();
                std::io::stdin().read_to_string(&mut t).map_err(|e| Error::Input(format!("stdin: {e}")))?;
                (stdin_name.to_string(), t)
            }
            Input::Missing(p, e) => {
                unreadable = true;
                writeln!(err, "error: {}: {e}", crate::redact::mask_keys_in_text(p))?;
                continue;
            }
        };
        let (fixed, n) = linter.fix_text(&text);
        if fixed != text {
            changed += 1;
            fixes += n;
            write_diff(out, &name, &text, &fixed)?;
        }
    }
    if !quiet {
        writeln!(err, "{fixes} fix(es) would be applied to {changed} file(s)")?;
    }
    Ok(if unreadable {
        Exit::Input
    } else if changed > 0 {
        Exit::Findings
    } else {
        Exit::Success
    })
}

/// The run's settings: the command line over `[lint]` in the configuration file.
fn settings(args: &LintArgs, config: &Config, ctx: &RunContext) -> Result<Settings> {
    let file = &config.file.lint;
    let where_ = || config.path.as_ref().map_or("faultline.toml".to_string(), |p| p.display().to_string());
    for s in file.select.iter().chain(&file.ignore).chain(file.severity.keys()) {
        if !codes::is_selector(s) {
            return Err(Error::Config(format!(
                "{}: [lint] names `{s}`, which is not a rule code or prefix (see `faultline rules`)",
                where_()
            )));
        }
    }
    for code in file.severity.keys() {
        if codes::rule(code).is_none() {
            return Err(Error::Config(format!(
                "{}: [lint.severity] names `{code}`, which is not a rule code",
                where_()
            )));
        }
    }
    for s in args.select.iter().chain(&args.ignore) {
        if !codes::is_selector(s.trim()) {
            return Err(Error::Usage(format!("`{s}` is not a rule code or prefix (see `faultline rules`)")));
        }
    }
    let date = match &args.as_of {
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("--as-of `{d}` is not a date (expected YYYY-MM-DD)")))?,
        None => ctx.today(),
    };
    let upper =
        |v: &[String]| v.iter().map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty()).collect::<Vec<_>>();
    Ok(Settings {
        select: if args.select.is_empty() { upper(&file.select) } else { upper(&args.select) },
        ignore: upper(&file.ignore).into_iter().chain(upper(&args.ignore)).collect(),
        severity: file.severity.iter().map(|(k, v)| (k.to_ascii_uppercase(), *v)).collect(),
        fail_level: args.fail_level.or(file.fail_level).unwrap_or(Severity::Error),
        options: LintOptions { provider: args.provider.or(file.provider), date },
        unsafe_fixes: args.unsafe_fixes,
    })
}
