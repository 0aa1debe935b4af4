//! FL9xx: input that could not be read as a request. FL901 is also a request rule (a body
//! that is not JSON); the engine reports the rest about an input as a whole (a record in no
//! known format, a file that cannot be read, a line that is not UTF-8), with `help`.

family! {
    fl901_invalid_json::FL901,
    fl902_unknown_format::FL902,
    fl903_unreadable_file::FL903,
}

/// The fix line of an FL9xx finding the engine reports.
pub fn help(code: &str) -> &'static str {
    match code {
        "FL901" => "fix the JSON at this position; serialise requests with a JSON library, not string templates",
        "FL902" => "capture the request as raw HTTP, a JSON envelope {method,url,headers,body}, HAR, a curl command, a log document or a bare body",
        _ => "check the path and permissions; the file must be UTF-8 text",
    }
}
