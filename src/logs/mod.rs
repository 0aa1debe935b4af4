//! Every source of a `diagnose::Summary`: log records and their field mapping (schema presets),
//! NDJSON from a file, .gz or stdin ([`reader`]), the local backend that summarises them in one
//! streaming pass ([`local`]), and the Elasticsearch/OpenSearch backend ([`es`]); both read the
//! same time [`window`].

pub mod es;
pub mod local;
pub mod path;
pub mod preset;
pub mod reader;
pub mod record;
mod scan;
pub mod window;
