//! The non-interactive paths never prompt and always finish: stdin as the source, CI set,
//! stdout piped, --no-interactive — each on a real terminal where a prompt could appear — and
//! `--interactive` where no one can answer is a usage error (exit 2), not a hang.

use crate::interactive_support;

use interactive_support::{bin, command, run_with_timeout, sim_file, Tty};

const MENU: &str = "What next?";

fn log() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = sim_file(dir.path(), "mix:traffic.rate_limit+client.auth_header");
    let arg = path.to_string_lossy().into_owned();
    (dir, arg)
}

/// Runs a shell line in a pseudo-terminal and returns what the terminal showed, after it ended.
fn in_terminal(dir: &std::path::Path, line: &str, env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = command(std::path::Path::new("sh"), &["-c", line], dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut tty = Tty::spawn(cmd);
    tty.expect("faultline diagnose:");
    tty.expect_eof();
    (tty.exit_code(), tty.raw_text())
}

fn faultline() -> String {
    bin().to_string_lossy().into_owned()
}

#[test]
fn stdin_as_the_source_never_prompts_even_on_a_terminal() {
    let (dir, log) = log();
    let (code, shown) = in_terminal(dir.path(), &format!("'{}' diagnose - < '{log}'", faultline()), &[]);
    assert_eq!(code, 0);
    assert!(!shown.contains(MENU), "{shown}");
}

#[test]
fn ci_set_never_prompts_even_on_a_terminal() {
    let (dir, log) = log();
    let (code, shown) = in_terminal(dir.path(), &format!("'{}' diagnose '{log}'", faultline()), &[("CI", "1")]);
    assert_eq!(code, 0);
    assert!(!shown.contains(MENU), "{shown}");
}

#[test]
fn piped_stdout_never_prompts_even_with_a_terminal_on_stdin() {
    let (dir, log) = log();
    let (code, shown) = in_terminal(dir.path(), &format!("'{}' diagnose '{log}' | cat", faultline()), &[]);
    assert_eq!(code, 0);
    assert!(!shown.contains(MENU), "{shown}");
}

#[test]
fn no_interactive_never_prompts() {
    let (dir, log) = log();
    let (code, shown) = in_terminal(dir.path(), &format!("'{}' diagnose '{log}' --no-interactive", faultline()), &[]);
    assert_eq!(code, 0);
    assert!(!shown.contains(MENU), "{shown}");
}

#[test]
fn stdin_source_with_pipes_finishes() {
    let (dir, log) = log();
    let out = run_with_timeout(command(&bin(), &["diagnose", "-"], dir.path()), Some(std::path::Path::new(&log)));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("faultline diagnose:"), "{text}");
    assert!(!text.contains(MENU));
}

#[test]
fn interactive_without_a_terminal_is_a_usage_error() {
    let (dir, log) = log();
    let out = run_with_timeout(command(&bin(), &["diagnose", &log, "--interactive"], dir.path()), None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--interactive needs stdin and stdout to be terminals"), "{err}");
    assert!(out.stdout.is_empty(), "nothing is read or printed before the usage error");
}

#[test]
fn interactive_with_stdin_as_the_source_is_a_usage_error_on_a_terminal() {
    let (dir, log) = log();
    let mut tty = Tty::spawn(command(
        std::path::Path::new("sh"),
        &["-c", &format!("'{}' diagnose - --interactive < '{log}'", faultline())],
        dir.path(),
    ));
    tty.expect("logs are read from stdin");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 2);
}

#[test]
fn interactive_in_ci_is_a_usage_error_on_a_terminal() {
    let (dir, log) = log();
    let mut cmd = command(&bin(), &["diagnose", &log, "--interactive"], dir.path());
    cmd.env("CI", "true");
    let mut tty = Tty::spawn(cmd);
    tty.expect("CI is set");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 2);
}
