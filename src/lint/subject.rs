//! One request as every rule sees it: the request, what was resolved about it (provider,
//! endpoint, date), its body parsed once, and each family's shared view, computed on first use.

use std::cell::OnceCell;

use chrono::NaiveDate;

use super::rules::{auth, messages, model, payload};
use crate::capture::jv::{Json, Obj};
use crate::capture::request::{Endpoint, Provider, Request};
use crate::knowledge::Knowledge;

/// The body parsed once: `None` when there is none (or it is blank), an error when it is not JSON.
pub type ParsedBody<'a> = Option<Result<Json<'a>, serde_json::Error>>;

/// Parses a request's body for `Subject::new`.
pub fn parse_body<'a>(req: &Request<'a>) -> ParsedBody<'a> {
    req.body.filter(|b| !b.trim().is_empty()).map(serde_json::from_str)
}

pub struct Subject<'a> {
    pub request: &'a Request<'a>,
    pub knowledge: &'a Knowledge,
    pub provider: Provider,
    pub endpoint: Endpoint,
    /// Model status is evaluated at this date.
    pub date: NaiveDate,
    pub body: Option<&'a Result<Json<'a>, serde_json::Error>>,
    // Each family's view (`rules/<family>/mod.rs` computes it).
    pub(crate) auth: OnceCell<Option<auth::Credentials<'a>>>,
    pub(crate) messages: OnceCell<Option<messages::Messages<'a>>>,
    pub(crate) models: OnceCell<model::Models<'a>>,
    pub(crate) payload: OnceCell<Option<payload::Payload<'a>>>,
}

impl<'a> Subject<'a> {
    pub fn new(
        knowledge: &'a Knowledge,
        request: &'a Request<'a>,
        body: &'a ParsedBody<'a>,
        provider: Provider,
        date: NaiveDate,
    ) -> Subject<'a> {
        Subject {
            request,
            knowledge,
            provider,
            endpoint: crate::capture::request::endpoint(request.url),
            date,
            body: body.as_ref(),
            auth: OnceCell::new(),
            messages: OnceCell::new(),
            models: OnceCell::new(),
            payload: OnceCell::new(),
        }
    }

    /// Whether the body is a Messages-style request the body rules apply to (any endpoint but
    /// another API's, such as `/v1/models`).
    pub fn body_rules_apply(&self) -> bool {
        !matches!(self.endpoint, Endpoint::Other)
    }

    /// The body's JSON value, when the body rules apply and it parsed.
    pub fn json(&self) -> Option<&'a Json<'a>> {
        match self.body {
            Some(Ok(value)) if self.body_rules_apply() => Some(value),
            _ => None,
        }
    }

    /// The body's JSON object, when the body rules apply and it is one.
    pub fn object(&self) -> Option<&'a Obj<'a>> {
        self.json().and_then(Json::as_object)
    }
}
