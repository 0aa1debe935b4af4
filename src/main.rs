//! The faultline binary: parse arguments, call the library, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use faultline::cli::Cli;
use faultline::context::RunContext;
use faultline::error::Error;

fn main() -> ExitCode {
    // A panic is a bug, but its message can quote input: print it with keys redacted.
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        let location = info.location().map(|l| (l.file(), l.line()));
        eprintln!("{}", faultline::error::panic_report(&payload, location));
    }));
    // The one place that reads the environment and asks which streams are terminals.
    let ctx = RunContext::from_process();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; everything else clap reports is usage (2).
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // A usage error quotes what was typed, and a key typed by mistake must not reach
            // a terminal or a CI log: key-shaped text is redacted.
            let text = e.render().to_string();
            eprint!("{}", faultline::redact::mask_keys_in_text(&text));
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let result = faultline::commands::run(cli, &ctx, &mut out, &mut err).and_then(|exit| {
        out.flush().map_err(Error::from)?;
        Ok(exit)
    });
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        // A reader that went away (`faultline … | head`) is not a failure.
        Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            // Errors quote what was typed or read (a path, a code, a value): a key typed by
            // mistake is redacted here, once for every command.
            let _ = writeln!(err, "error: {}", faultline::redact::mask_keys_in_text(&e.to_string()));
            ExitCode::from(e.exit().code())
        }
    }
}
