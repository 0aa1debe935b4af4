//! Log records and their sources: `LogRecord` + field mapping (schema presets), NDJSON from a
//! file, .gz or stdin, and the Elasticsearch/OpenSearch backend (`es`). Filled by issues 3 and 4.

pub mod es;
pub mod path;
pub mod reader;
pub mod record;
