//! Terminal polish: colour follows --color, NO_COLOR, CLICOLOR_FORCE and TERM=dumb; tables fit
//! the terminal width and degrade to 80 columns; a reader that goes away (`| head`) is not an
//! error; the progress bar appears on a terminal's stderr only, never in CI or on stdout.

use crate::interactive_support;

use std::io::Read;
use std::process::Stdio;

use interactive_support::{bin, command, run_with_timeout, sim_file, Tty, TIMEOUT};

fn log(scenario: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = sim_file(dir.path(), scenario);
    let arg = path.to_string_lossy().into_owned();
    (dir, arg)
}

fn stdout_of(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = command(&bin(), args, dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run_with_timeout(cmd, None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const ESC: &str = "\x1b[";

#[test]
fn colour_follows_the_flag_and_the_environment_when_piped() {
    let (dir, log) = log("mix:traffic.rate_limit+client.auth_header");
    let d = dir.path();
    assert!(!stdout_of(d, &["diagnose", &log], &[]).contains(ESC), "piped output is plain by default");
    assert!(stdout_of(d, &["diagnose", &log, "--color", "always"], &[]).contains(ESC));
    assert!(stdout_of(d, &["diagnose", &log], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(!stdout_of(d, &["diagnose", &log], &[("CLICOLOR_FORCE", "0")]).contains(ESC));
    assert!(!stdout_of(d, &["diagnose", &log], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(stdout_of(d, &["diagnose", &log, "--color", "always"], &[("NO_COLOR", "1")]).contains(ESC));
}

/// What a terminal shows for one run (quiet: no progress bar, no walk).
fn on_terminal(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)], cols: u16) -> String {
    let mut cmd = command(&bin(), args, dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut tty = Tty::spawn(cmd);
    tty.session.get_process_mut().set_window_size(cols, 40).unwrap_or_else(|e| panic!("{e}"));
    tty.expect("faultline diagnose:");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 0);
    tty.raw_text()
}

#[test]
fn colour_on_a_terminal_unless_no_color_or_term_dumb() {
    let (dir, log) = log("mix:traffic.rate_limit+client.auth_header");
    let d = dir.path();
    let args = ["diagnose", &log, "--no-interactive", "-q"];
    assert!(on_terminal(d, &args, &[], 100).contains(ESC));
    assert!(!on_terminal(d, &args, &[("NO_COLOR", "1")], 100).contains(ESC));
    assert!(!on_terminal(d, &args, &[("TERM", "dumb")], 100).contains(ESC));
    let never = ["diagnose", &log, "--no-interactive", "-q", "--color", "never"];
    assert!(!on_terminal(d, &never, &[], 100).contains(ESC));
}

/// The widest line of the causes table.
fn table_width(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
        .map(|l| l.trim_end_matches('\r').chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn tables_fit_the_width_given_by_columns() {
    let (dir, log) = log("incident");
    let d = dir.path();
    for cols in ["80", "120", "200"] {
        let text = stdout_of(d, &["diagnose", &log], &[("COLUMNS", cols)]);
        let width = table_width(&text);
        let limit: usize = cols.parse().unwrap_or(80);
        assert!(width > 0, "no table at COLUMNS={cols}:\n{text}");
        assert!(width <= limit, "table {width} wide at COLUMNS={cols}:\n{text}");
    }
    // Narrower than 80 is clamped to a readable minimum rather than shredding the table.
    let narrow = stdout_of(d, &["diagnose", &log], &[("COLUMNS", "30")]);
    assert!(table_width(&narrow) <= 60, "{narrow}");
}

#[test]
fn tables_fit_the_terminal_they_are_drawn_on() {
    let (dir, log) = log("incident");
    let text = on_terminal(dir.path(), &["diagnose", &log, "--no-interactive", "-q", "--color", "never"], &[], 80);
    let width = table_width(&text);
    assert!(width > 0 && width <= 80, "table {width} wide on an 80-column terminal:\n{text}");
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let (dir, log) = log("incident");
    let mut child = command(&bin(), &["diagnose", &log, "--format", "json"], dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Close the reading end before faultline has written anything (it reads 10 MB first).
    drop(child.stdout.take());
    let deadline = std::time::Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break s;
        }
        assert!(std::time::Instant::now() < deadline, "did not finish");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(!err.contains("error"), "{err}");
}

#[test]
fn piping_into_head_exits_0() {
    let (dir, log) = log("incident");
    let line = format!(
        "'{}' diagnose '{log}' --format json | head -c 100 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
        bin().to_string_lossy()
    );
    let out = run_with_timeout(command(std::path::Path::new("bash"), &["-c", &line], dir.path()), None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("status=0"), "{text} {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn stdin_progress_shows_the_bytes_read_not_zero() {
    let (dir, log) = log("incident");
    let d = dir.path();
    let mut cmd = command(
        std::path::Path::new("sh"),
        &["-c", &format!("cat '{log}' | \"$0\" diagnose - --color never"), &bin().to_string_lossy()],
        d,
    );
    cmd.env("TERM", "xterm-256color");
    let mut tty = Tty::spawn(cmd);
    tty.expect("faultline diagnose:");
    tty.expect_eof();
    let shown = tty.raw_text();
    assert!(shown.contains("reading stdin"), "no progress on stdin:\n{shown}");
    assert!(shown.contains("MiB ·") || shown.contains("KiB ·"), "the bytes read are not shown:\n{shown}");
}

#[test]
fn progress_bar_on_a_terminal_stderr_only() {
    // The incident log is about 10 MB: above the size that gets a bar.
    let (dir, log) = log("incident");
    let d = dir.path();
    let shown = on_terminal(d, &["diagnose", &log, "--no-interactive", "--color", "never"], &[], 100);
    assert!(shown.contains("reading ") && shown.contains(" records, "), "no progress bar:\n{shown}");
    // Not in CI, not with -q.
    let ci = on_terminal(d, &["diagnose", &log, "--no-interactive"], &[("CI", "1")], 100);
    assert!(!ci.contains(" records, "), "{ci}");
    let quiet = on_terminal(d, &["diagnose", &log, "--no-interactive", "-q"], &[], 100);
    assert!(!quiet.contains(" records, "), "{quiet}");
    // Never when stderr is not a terminal, and never on stdout.
    let out = run_with_timeout(command(&bin(), &["diagnose", &log], d), None);
    assert!(!String::from_utf8_lossy(&out.stderr).contains(" records, "));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(" records, "));
}
