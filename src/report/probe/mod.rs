//! Renderers of a probe report: human (one screen, the paths side by side) and json (the
//! `version: 1` contract of docs/probe.md). They only render: every fact comes from the
//! `probe::Report`.

mod human;
mod json;

pub use human::human;
pub use json::json;
