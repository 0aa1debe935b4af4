//! One file per subcommand: reads the inputs, runs the domain, renders, and maps the outcome
//! to an exit code.

pub mod lint;
