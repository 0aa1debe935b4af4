//! FL1xx: the request body: the messages array, roles, content, max_tokens.
//! The Elasticsearch study (docs/sources.md): 25.7 % of client-side errors come from malformed message arrays.
//!
//! The family's view, `Messages`: the body object and its `messages` listed once, each message
//! with its role, its content and whether it may be empty.

use crate::capture::jv::{Json, Obj};
use crate::capture::request::{PathSeg, Provider, Target};
use crate::lint::Subject;

family! {
    fl101_messages_missing::FL101,
    fl102_message_role_invalid::FL102,
    fl103_message_content_empty::FL103,
    fl104_text_block_empty::FL104,
    fl105_max_tokens_invalid::FL105,
    fl106_prefill_trailing_whitespace::FL106,
    fl107_content_block_unknown_type::FL107,
    fl108_body_not_object::FL108,
}

/// The body of a Messages (or chat/completions) request that is a JSON object.
pub struct Messages<'a> {
    pub body: &'a Obj<'a>,
    /// An OpenAI-compatible request: OpenAI roles, null content on assistant turns.
    pub openai: bool,
    /// `system` is allowed inside messages (the `anthropic-version` sent allows it).
    pub system_allowed: bool,
    pub list: List<'a>,
}

/// What `messages` is.
pub enum List<'a> {
    Missing,
    Empty,
    /// Not an array (null, an object …).
    Not(&'a Json<'a>),
    Listed(Vec<Message<'a>>),
}

/// One element of `messages`.
pub struct Message<'a> {
    pub index: usize,
    pub value: &'a Json<'a>,
    /// `None`: the element is not an object (FL102 says so; nothing else is checked).
    pub object: Option<&'a Obj<'a>>,
    pub role: Option<&'a Json<'a>>,
    pub content: Option<&'a Json<'a>>,
    /// The last message, from the assistant: a prefill.
    pub final_assistant: bool,
    /// Its content may be missing or empty (a prefill; OpenAI assistant turns with tool calls).
    pub may_be_empty: bool,
}

impl<'a> Subject<'a> {
    /// The body's messages, when the body is a JSON object the body rules apply to.
    pub fn messages(&self) -> Option<&Messages<'a>> {
        self.messages.get_or_init(|| Messages::of(self)).as_ref()
    }
}

impl<'a> Messages<'a> {
    fn of(s: &Subject<'a>) -> Option<Messages<'a>> {
        let body = s.object()?;
        let openai = s.provider == Provider::Openai;
        let version = s.request.header("anthropic-version").map(|(_, v)| v);
        let system_allowed =
            version.is_some_and(|v| s.knowledge.api.system_role_versions.iter().any(|x| x == v.trim()));
        let list = match body.get("messages") {
            None => List::Missing,
            Some(Json::Array(list)) if list.is_empty() => List::Empty,
            Some(Json::Array(list)) => {
                let last = list.len() - 1;
                List::Listed(
                    list.iter()
                        .enumerate()
                        .map(|(index, value)| {
                            let object = value.as_object();
                            let role = object.and_then(|m| m.get("role"));
                            let role_str = role.and_then(Json::as_str);
                            let final_assistant = index == last && role_str == Some("assistant");
                            let may_be_empty = final_assistant
                                || (openai
                                    && (role_str == Some("assistant")
                                        || object.is_some_and(|m| m.contains_key("tool_calls"))));
                            Message {
                                index,
                                value,
                                object,
                                role,
                                content: object.and_then(|m| m.get("content")),
                                final_assistant,
                                may_be_empty,
                            }
                        })
                        .collect(),
                )
            }
            Some(other) => List::Not(other),
        };
        Some(Messages { body, openai, system_allowed, list })
    }

    /// The messages that are objects.
    pub fn objects(&self) -> impl Iterator<Item = &Message<'a>> {
        let listed = match &self.list {
            List::Listed(list) => list.as_slice(),
            _ => &[],
        };
        listed.iter().filter(|m| m.object.is_some())
    }
}

impl Message<'_> {
    /// `messages[i]`
    pub fn path(&self) -> Vec<PathSeg> {
        vec![key("messages"), PathSeg::Index(self.index)]
    }

    /// `messages[i].<field>`
    pub fn field(&self, name: &str) -> Vec<PathSeg> {
        vec![key("messages"), PathSeg::Index(self.index), key(name)]
    }

    /// The content blocks, when the content is an array.
    pub fn blocks(&self) -> &[Json<'_>] {
        match self.content {
            Some(Json::Array(blocks)) => blocks,
            _ => &[],
        }
    }
}

pub fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_string())
}

/// A JSON value in the body.
pub fn at(path: &[PathSeg]) -> Target {
    Target::Body { path: path.to_vec(), range: None }
}

pub fn type_name(v: &Json<'_>) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
