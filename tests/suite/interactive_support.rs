//! Shared by the tests/suite/interactive_*.rs and tests/suite/watch_*.rs modules: the real binary
//! driven in a pseudo-terminal (expectrl), its output replayed through a terminal emulator
//! (vt100) so tests read the screen a user would see, and simulator inputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::{Eof, Session, WaitStatus};

pub const COLS: u16 = 100;
pub const ROWS: u16 = 40;
/// Longest wait for any one thing on the terminal: a hang fails the test instead of blocking.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_faultline"))
}

/// Writes a simulator scenario (faultline preset) to `dir/name.ndjson` (generated once per test
/// binary: `crate::shared::sim_log`).
pub fn sim_file(dir: &Path, scenario: &str) -> PathBuf {
    let bytes = crate::shared::sim_log(scenario, faultline_sim::Preset::Faultline);
    let path = dir.join(format!("{}.ndjson", scenario.replace([':', '+'], "_")));
    std::fs::write(&path, &bytes[..]).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// A `Command` with the environment of an interactive shell: no CI, no NO_COLOR, a real TERM.
pub fn command(program: &Path, args: &[&str], cwd: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(cwd);
    for var in ["CI", "NO_COLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES", "FAULTLINE_ES_URL"] {
        cmd.env_remove(var);
    }
    cmd.env("TERM", "xterm-256color");
    cmd
}

/// A program running in a pseudo-terminal, with everything it printed replayed on an emulated
/// screen.
pub struct Tty {
    pub session: Session,
    pub parser: vt100::Parser,
    /// Every byte read from the terminal, in order.
    pub raw: Vec<u8>,
}

impl Tty {
    pub fn spawn(cmd: Command) -> Tty {
        let mut session = Session::spawn(cmd).unwrap_or_else(|e| panic!("cannot spawn in a pty: {e}"));
        session.get_process_mut().set_window_size(COLS, ROWS).unwrap_or_else(|e| panic!("{e}"));
        session.set_expect_timeout(Some(TIMEOUT));
        Tty { session, parser: vt100::Parser::new(ROWS, COLS, 10_000), raw: Vec::new() }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.raw.extend_from_slice(bytes);
        self.parser.process(bytes);
    }

    /// Waits until `text` has been printed (fails after [`TIMEOUT`], with what was seen).
    pub fn expect(&mut self, text: &str) {
        match self.session.expect(text) {
            Ok(found) => {
                let bytes = found.as_bytes().to_vec();
                self.feed(&bytes);
            }
            Err(e) => panic!(
                "waiting for {text:?}: {e}\n--- screen ---\n{}\n--- raw tail ---\n{}",
                self.screen(),
                self.raw_tail()
            ),
        }
    }

    /// Waits for the program to close the terminal.
    pub fn expect_eof(&mut self) {
        match self.session.expect(Eof) {
            Ok(found) => {
                let bytes = found.as_bytes().to_vec();
                self.feed(&bytes);
            }
            Err(e) => panic!("waiting for the end: {e}\n--- screen ---\n{}", self.screen()),
        }
    }

    /// Sends keys, one at a time, with a pause so each is read as its own key press.
    pub fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            let mut buf = [0u8; 4];
            self.session.send(c.encode_utf8(&mut buf).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    /// Sends raw bytes at once (an escape sequence, Ctrl-C).
    pub fn send(&mut self, bytes: &[u8]) {
        self.session.send(bytes).unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_millis(120));
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.screen().hide_cursor()
    }

    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }

    fn raw_tail(&self) -> String {
        let text = self.raw_text();
        let start = text.char_indices().rev().nth(3000).map_or(0, |(i, _)| i);
        text[start..].to_string()
    }

    /// The exit code, waiting at most [`TIMEOUT`].
    pub fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.session.get_process().status() {
                Ok(WaitStatus::Exited(_, code)) => return code,
                Ok(WaitStatus::Signaled(_, sig, _)) => panic!("killed by {sig:?}"),
                Ok(_) => {}
                Err(e) => panic!("{e}"),
            }
            if Instant::now() > deadline {
                let _ = self.session.get_process_mut().exit(true);
                panic!("the program did not exit within {TIMEOUT:?}\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Runs a command with a deadline; a hang fails instead of blocking the suite.
pub fn run_with_timeout(mut cmd: Command, stdin: Option<&Path>) -> std::process::Output {
    use std::process::Stdio;
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    match stdin {
        Some(p) => cmd.stdin(std::fs::File::open(p).unwrap_or_else(|e| panic!("{e}"))),
        None => cmd.stdin(Stdio::null()),
    };
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{e}"));
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut v);
        v
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("did not finish within {TIMEOUT:?}: it is waiting for something (a prompt?)");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    std::process::Output { status, stdout, stderr }
}
