//! The layered diagnosis: reasoning over a [`Summary`] of request logs.
//!
//! Facts, then reasoning: a backend in `logs` gathers a [`Summary`] (`logs::local`: one
//! streaming pass over a file or stdin; `logs::es`: aggregations on a cluster), the [`layers`]
//! are pure functions over it, [`rank`] attributes every failure to at most one cause, and
//! `report::diagnosis` renders the [`model::Diagnosis`]. `commands::diagnose` wires them.

pub mod layers;
pub mod model;
pub mod rank;
pub mod sketch;
pub mod summary;

pub use model::Diagnosis;
pub use summary::Summary;
