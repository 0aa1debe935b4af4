//! `faultline diagnose`: the layered diagnosis over request logs.

pub mod summary;

pub use summary::Summary;

/// `faultline diagnose`.
pub fn run(
    _args: &crate::cli::DiagnoseArgs,
    _global: &crate::cli::GlobalArgs,
    _config: &crate::config::Config,
    _ctx: &crate::context::RunContext,
    _out: &mut dyn std::io::Write,
    _err: &mut dyn std::io::Write,
) -> crate::error::Result<crate::error::Exit> {
    Err(crate::error::Error::Usage("`faultline diagnose` is not implemented yet".into()))
}
