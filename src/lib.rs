//! faultline: why are Claude API calls failing, and what do I change?
//!
//! A library plus a thin binary (`main.rs`). Facts, then reasoning: backends gather a
//! `diagnose::Summary`; the layers are pure functions over it; renderers only render.

pub mod capture;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod diagnose;
pub mod duration;
pub mod error;
pub mod explain;
pub mod interactive;
pub mod knowledge;
pub mod lint;
pub mod logs;
pub mod probe;
pub mod progress;
pub mod redact;
pub mod report;
pub mod schema;
