//! The layered diagnosis: reasoning over a [`Summary`] of request logs.
//!
//! Facts, then reasoning: a backend gathers a [`Summary`] (here [`local`]: one streaming pass
//! over a file or stdin; the Elasticsearch backend lives in `logs::es`), the [`layers`] are pure
//! functions over it, [`rank`] attributes every failure to at most one cause, and
//! `report::diagnosis` renders the [`model::Diagnosis`]. `commands::diagnose` wires them.

pub mod layers;
pub mod local;
pub mod model;
pub mod rank;
pub mod sketch;
pub mod summary;
pub mod window;

pub use model::Diagnosis;
pub use summary::Summary;
