//! Renderers of a diagnosis: human, json, markdown (issue 3).
