//! Errors and the exit-code table (DESIGN.md): 0 success, 1 findings, 2 usage/config, 3 input/backend.

use std::fmt;

/// The process exit status, one per outcome class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Findings = 1,
    Usage = 2,
    Input = 3,
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
