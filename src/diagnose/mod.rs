//! The layered diagnosis: reasoning over a [`Summary`] of request logs.
//!
//! Facts, then reasoning: a backend in `logs` gathers a [`Summary`] (`logs::local`: one
//! streaming pass over a file or stdin; `logs::es`: aggregations on a cluster), one detector per
//! root cause in [`causes`] assesses it (evidence for and against), [`rank`] attributes every
//! failure to at most one cause by the strongest evidence, [`layers`] writes the trace in the
//! order of the walk, and `report::diagnosis` renders the [`model::Diagnosis`].
//! `commands::diagnose` wires them.

pub mod causes;
pub mod layers;
pub mod model;
pub mod rank;
pub mod sketch;
pub mod summary;

pub use model::Diagnosis;
pub use summary::Summary;
