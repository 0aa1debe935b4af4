//! The Elasticsearch/OpenSearch backend: the Summary computed by the cluster (issue 4).
//!
//! One run is: resolve the settings (config < env < flags), probe `GET /` to learn which server
//! answers ([`detect`]), discover the fields over the index pattern with `_field_caps`
//! ([`fields`]), then ask for every fact as aggregations in one `_msearch` ([`query`]) and read
//! the answers leniently ([`response`]). The crate is synchronous; the async client runs on a
//! current-thread tokio runtime created here, at the entry point.

pub mod client;
pub mod detect;
pub mod errors;
pub mod fields;
pub mod response;
pub mod settings;

pub use client::{Client, Traffic};
pub use detect::{Product, ServerInfo};
pub use settings::{Auth, EsSettings};

use crate::error::{Error, Result};

/// A current-thread runtime: the backend sends a handful of requests, one after the other.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Input(format!("cannot start the Elasticsearch client runtime: {e}")))
}
