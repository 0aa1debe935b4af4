//! Errors and the exit-code table (README.md "Exit codes"): 0 success, 1 findings, 2 usage/config, 3 input/backend, 130 Ctrl-C.

use std::fmt;

/// The process exit status, one per outcome class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Findings = 1,
    Usage = 2,
    Input = 3,
    /// Ctrl-C ended the run (128 + SIGINT, the shell's convention).
    Interrupted = 130,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[derive(Debug)]
pub enum Error {
    /// A flag, argument or value the user gave is wrong (exit 2).
    Usage(String),
    /// A configuration file is wrong; the message names file:line:col (exit 2).
    Config(String),
    /// An input could not be read at all, or a backend refused (exit 3).
    Input(String),
    /// Writing to stdout failed because the reader went away (exit 0).
    BrokenPipe,
    /// Any other I/O failure while writing output (exit 3).
    Io(std::io::Error),
}

impl Error {
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) | Error::Config(_) => Exit::Usage,
            Error::Input(_) | Error::Io(_) => Exit::Input,
            Error::BrokenPipe => Exit::Success,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) | Error::Config(m) | Error::Input(m) => f.write_str(m),
            Error::BrokenPipe => f.write_str("broken pipe"),
            Error::Io(e) => write!(f, "cannot write output: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::BrokenPipe
        } else {
            Error::Io(e)
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The text a panic prints. A panic message may quote input (a slicing panic quotes the string),
/// so key-shaped text in it is redacted like any other output.
pub fn panic_report(payload: &str, location: Option<(&str, u32)>) -> String {
    let at = location.map(|(file, line)| format!(" at {file}:{line}")).unwrap_or_default();
    format!(
        "faultline: internal error{at}: {}\nThis is a bug in faultline; please report it with the command that triggered it.",
        crate::redact::mask_keys_in_text(payload)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_report_redacts_keys_it_quotes() {
        let payload = "byte index 20 is not a char boundary of `sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx0123456789\u{a0}`";
        let text = panic_report(payload, Some(("src/lint/auth.rs", 42)));
        assert!(!text.contains("AbCdEfGh"), "{text}");
        assert!(text.contains("sk-ant-api03-… sha256:") && text.contains("src/lint/auth.rs:42"), "{text}");
    }

    #[test]
    fn exit_codes_follow_the_table() {
        assert_eq!(Error::Usage(String::new()).exit().code(), 2);
        assert_eq!(Error::Config(String::new()).exit().code(), 2);
        assert_eq!(Error::Input(String::new()).exit().code(), 3);
        assert_eq!(Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe)).exit().code(), 0);
    }
}
