//! A captured request: one model, many parsers (raw HTTP, JSON envelope, HAR, curl command,
//! ES log document, bare body). Filled by the lint work (issue 6).
