//! FL3xx: payload size and streaming.
//! The Elasticsearch study (docs/sources.md): 524s come from long requests without streaming; above 6,000 tokens, stream.
//!
//! The family's view, `Payload`: the body object, its size as sent, and whether it streams.

use crate::capture::jv::{Json, Obj};
use crate::lint::Subject;

family! {
    fl303_body_too_large::FL303,
    fl301_long_request_not_streaming::FL301,
    fl302_max_tokens_needs_streaming::FL302,
}

pub struct Payload<'a> {
    pub body: &'a Obj<'a>,
    /// The body's size in bytes as sent.
    pub bytes: usize,
    /// `"stream": true`.
    pub streaming: bool,
}

impl<'a> Subject<'a> {
    /// The body's size and streaming, when the body is a JSON object the body rules apply to.
    pub fn payload(&self) -> Option<&Payload<'a>> {
        self.payload.get_or_init(|| Payload::of(self)).as_ref()
    }
}

impl<'a> Payload<'a> {
    fn of(s: &Subject<'a>) -> Option<Payload<'a>> {
        let body = s.object()?;
        Some(Payload {
            body,
            bytes: s.request.body.map_or(0, str::len),
            streaming: body.get("stream").and_then(Json::as_bool).unwrap_or(false),
        })
    }
}
