//! `--watch` over a file that grows: the file is read again on every run, so an incident
//! appended between two runs shows up as causes that appeared; SIGINT ends the watch with 0.
//! On a terminal the screen is redrawn in place and Ctrl-C exits 0.

use crate::interactive_support;
use crate::watch_support;

use std::io::Write;
use std::path::{Path, PathBuf};

use interactive_support::{bin, command, sim_file, Tty};
use watch_support::Watcher;

/// A log that starts healthy, in `dir`.
fn growing_log(dir: &Path) -> PathBuf {
    let log = dir.join("growing.ndjson");
    std::fs::copy(sim_file(dir, "healthy"), &log).unwrap_or_else(|e| panic!("{e}"));
    log
}

/// Appends the bundled incident to `log`, as a log shipper would.
fn append_incident(dir: &Path, log: &Path) {
    let more = std::fs::read(sim_file(dir, "incident")).unwrap_or_else(|e| panic!("{e}"));
    let mut f = std::fs::OpenOptions::new().append(true).open(log).unwrap_or_else(|e| panic!("{e}"));
    f.write_all(&more).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_incident_appended_between_two_runs_appears_as_json_lines() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = growing_log(dir.path());
    let log_arg = log.to_string_lossy().into_owned();

    let mut w =
        Watcher::start(command(&bin(), &["diagnose", &log_arg, "--watch", "1s", "--format", "json"], dir.path()));
    let first = w.wait_for("the first report", |l| l.starts_with('{'));
    let report: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    assert_eq!(report["failures"], 0, "{first}");

    append_incident(dir.path(), &log);

    let line = w.wait_for("a rate-limit cause that appeared", |l| l.contains("\"cause\":\"traffic.rate_limit\""));
    let change: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(change["kind"], "appeared", "{line}");
    assert_eq!(change["before"], 0, "{line}");
    // The append may be read half-way: the count is checked in the pure unit tests.
    assert!(change["after"].as_u64().is_some_and(|n| n > 0), "{line}");
    assert!(change["at"].as_str().is_some_and(|t| t.ends_with("+00:00")), "{line}");
    assert_eq!(w.interrupt(), Some(130), "Ctrl-C exits 130");
}

#[test]
fn human_lines_when_piped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = growing_log(dir.path());
    let log_arg = log.to_string_lossy().into_owned();

    let mut w = Watcher::start(command(&bin(), &["diagnose", &log_arg, "--watch", "1s"], dir.path()));
    w.wait_for("the first report", |l| l.contains("No failures"));
    append_incident(dir.path(), &log);
    let line = w.wait_for("a change line", |l| l.contains(" appeared upstream.provider_overload"));
    assert!(line.contains(" failures ("), "{line}");

    // Back to healthy: the causes resolve.
    std::fs::copy(sim_file(dir.path(), "healthy"), &log).unwrap_or_else(|e| panic!("{e}"));
    let line = w.wait_for("a resolved line", |l| l.contains(" resolved traffic.rate_limit"));
    assert!(line.contains(" → 0 failures in the window"), "{line}");
    assert_eq!(w.interrupt(), Some(130), "Ctrl-C exits 130");
}

#[test]
fn redraws_in_place_on_a_terminal_and_ctrl_c_exits_130() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let incident = sim_file(dir.path(), "incident");
    let log_arg = incident.to_string_lossy().into_owned();
    let mut tty = Tty::spawn(command(&bin(), &["diagnose", &log_arg, "--watch", "1s", "--color", "never"], dir.path()));
    tty.expect("faultline watch");
    tty.expect("Changes");
    // A second run: the screen is cleared and drawn again.
    tty.expect("faultline watch");
    tty.expect("none yet");
    let screen = tty.screen();
    assert!(screen.starts_with("faultline watch"), "drawn from the top of the screen:\n{screen}");
    assert!(screen.contains("traffic.rate_limit"), "{screen}");
    assert_eq!(screen.matches("faultline watch").count(), 1, "{screen}");
    tty.send(&[0x03]);
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 130);
    assert!(!tty.cursor_hidden());
}

#[test]
fn a_bad_interval_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = sim_file(dir.path(), "healthy");
    let log_arg = log.to_string_lossy().into_owned();
    let out = interactive_support::run_with_timeout(
        command(&bin(), &["diagnose", &log_arg, "--watch", "0s"], dir.path()),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--watch 0s"));
}

#[test]
fn watching_stdin_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = sim_file(dir.path(), "healthy");
    let out = interactive_support::run_with_timeout(
        command(&bin(), &["diagnose", "-", "--watch", "5s"], dir.path()),
        Some(&log),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stdin can be read only once"));
}
