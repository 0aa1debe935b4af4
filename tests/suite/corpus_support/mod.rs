//! An independent test corpus for `faultline diagnose` (issue 10): small incidents written the way
//! other programs log Claude API traffic (gateways that mask keys, ECS shippers, LiteLLM, Envoy,
//! nginx, Kong, Bedrock), each with the truth of what really caused every failure.
//!
//! It is built from the public shapes and wordings (the Anthropic API errors and rate-limits pages,
//! the SDKs' sources, gateway docs and issue threads, the Elasticsearch study of 126,472 requests)
//! by someone who did not read faultline's simulator or its diagnosis code. It is fully
//! deterministic: its own splitmix64 PRNG, a fixed seed per case.

pub mod cases;
pub mod incident;
pub mod render;
pub mod rng;
pub mod words;

pub use cases::{builders, Case, CAUSES};
