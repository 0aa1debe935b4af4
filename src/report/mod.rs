//! Renderers: thin views of one diagnostic model. `lint` renders `lint::Finding`s (human,
//! concise, json, sarif, github); `diagnosis` renders a `diagnose::Diagnosis` (human, json,
//! markdown).

pub mod diagnosis;
pub mod lint;
pub mod probe;
pub mod style;
pub mod wrap;
