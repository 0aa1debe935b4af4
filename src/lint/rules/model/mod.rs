//! FL2xx: the model ID, checked against rules/models.toml at a given date.
//! Seed 000 §2.1: 12.2 % of client-side errors; 3.2x more in the week after a model release.
//!
//! The family's view, `Models`: the model IDs a request names (the body's `model`, and the model
//! in a Bedrock or Vertex URL), each looked up once in the knowledge base.

use std::borrow::Cow;

use crate::capture::jv::Json;
use crate::capture::request::{url_path, Edit, Fix, PathSeg, Provider, Target};
use crate::knowledge::{IdForm, Knowledge, ModelMatch};
use crate::lint::{Part, Subject};

family! {
    fl201_model_unknown::FL201,
    fl205_model_wrong_provider::FL205,
    fl202_model_alias::FL202,
    fl203_model_retired::FL203,
    fl204_model_deprecated::FL204,
    fl206_model_missing::FL206,
}

/// The model IDs of one request.
pub struct Models<'a> {
    /// The body's `model` when it is missing or not a string (FL206).
    pub missing: Option<Missing>,
    /// The IDs to check: the body's, then the URL's.
    pub ids: Vec<ModelId<'a>>,
}

pub enum Missing {
    /// The body has no `model`.
    Absent,
    /// `model` is not a string.
    NotString,
}

/// One model ID and what the knowledge base says about it.
pub struct ModelId<'a> {
    pub id: Cow<'a, str>,
    /// Its path in the body; empty for the model a URL names (which no fix can edit).
    pub path: Vec<PathSeg>,
    pub part: Part,
    /// `None`: an unknown model (FL201, and nothing else is said about it).
    pub found: Option<ModelMatch<'a>>,
    /// Whether its form is the one the request's platform expects.
    pub right_form: bool,
}

impl<'a> Subject<'a> {
    /// The model IDs the request names, when the body rules apply.
    pub fn models(&self) -> &Models<'a> {
        self.models.get_or_init(|| Models::of(self))
    }
}

impl<'a> Models<'a> {
    fn of(s: &Subject<'a>) -> Models<'a> {
        let mut models = Models { missing: None, ids: Vec::new() };
        if !s.body_rules_apply() {
            return models;
        }
        if let Some(obj) = s.object() {
            // Bedrock InvokeModel and Vertex carry the model in the URL.
            let in_url = matches!(s.provider, Provider::Bedrock | Provider::Vertex) && !obj.contains_key("model");
            match obj.get("model") {
                _ if in_url => {}
                Some(Json::String(id)) => {
                    // Through an OpenAI-compatible gateway, only Claude IDs are ours to check.
                    if s.provider != Provider::Openai || id.contains("claude") {
                        let path = vec![PathSeg::Key("model".into())];
                        models.ids.push(ModelId::new(s, Cow::Borrowed(id.as_ref()), path, Part::Model));
                    }
                }
                None => models.missing = Some(Missing::Absent),
                Some(_) => models.missing = Some(Missing::NotString),
            }
        }
        if matches!(s.provider, Provider::Bedrock | Provider::Vertex) {
            if let Some(id) = s.request.url.and_then(|u| url_model(u, s.provider)) {
                models.ids.push(ModelId::new(s, Cow::Owned(id), Vec::new(), Part::UrlModel));
            }
        }
        models
    }
}

impl<'a> ModelId<'a> {
    fn new(s: &Subject<'a>, id: Cow<'a, str>, path: Vec<PathSeg>, part: Part) -> ModelId<'a> {
        let found = s.knowledge.model(&id);
        // Which form does this endpoint's platform expect?
        let right_form = found.as_ref().is_some_and(|found| match s.provider {
            Provider::Anthropic | Provider::Openai => matches!(found.form, IdForm::Pinned | IdForm::Alias),
            Provider::Bedrock => found.form == IdForm::Bedrock,
            Provider::Vertex => {
                found.form == IdForm::Vertex || (found.model.vertex_same_as_id && found.form == IdForm::Pinned)
            }
        });
        ModelId { id, path, part, found, right_form }
    }

    /// The ID as a whole.
    pub fn target(&self) -> Target {
        Target::Body { path: self.path.clone(), range: None }
    }

    /// Replaces the ID with `to`.
    pub fn replace(&self, to: &str, safe: bool) -> Fix {
        Fix {
            message: format!("replace `{}` with `{to}`", self.id),
            safe,
            edits: vec![Edit::BodyString {
                path: self.path.clone(),
                range: 0..self.id.len(),
                replacement: to.to_string(),
            }],
        }
    }
}

/// The model ID a Bedrock (`/model/{id}/invoke`) or Vertex (`/models/{id}:rawPredict`) URL names.
pub fn url_model(url: &str, provider: Provider) -> Option<String> {
    let path = url_path(url);
    let raw = match provider {
        Provider::Bedrock => path.split("/model/").nth(1)?.split('/').next()?,
        Provider::Vertex => path.split("/models/").nth(1)?.split(':').next()?,
        _ => return None,
    };
    let decoded = raw.replace("%3A", ":").replace("%3a", ":").replace("%40", "@");
    // ARNs and inference-profile IDs are not model IDs this table knows.
    (!decoded.is_empty() && !decoded.starts_with("arn")).then_some(decoded)
}

/// A suggestion for an unknown ID, and whether replacing it is safe (one unambiguous match).
pub fn suggest(k: &Knowledge, id: &str) -> Option<(String, bool)> {
    // Dotted versions: claude-sonnet-4.5 -> claude-sonnet-4-5 (an alias) -> its pinned ID.
    if id.contains('.') {
        if let Some(m) = k.model(&id.replace('.', "-")) {
            return Some((m.model.id.clone(), true));
        }
    }
    // Short forms that never existed: claude-3-sonnet -> claude-3-sonnet-20240229.
    let prefix = format!("{id}-");
    let mut extended: Vec<&str> = k.models.iter().map(|m| m.id.as_str()).filter(|m| m.starts_with(&prefix)).collect();
    extended.sort_unstable();
    if extended.len() == 1 {
        return extended.first().map(|s| (s.to_string(), false));
    }
    // Typos: the closest Claude API ID or alias within two edits, if only one is that close.
    let mut best: Vec<(usize, &str)> = k
        .model_ids()
        .filter(|(_, form)| matches!(form, IdForm::Pinned | IdForm::Alias))
        .map(|(cand, _)| (strsim::levenshtein(id, cand), cand))
        .filter(|(d, _)| *d <= 2)
        .collect();
    best.sort_unstable();
    match best.as_slice() {
        [] => None,
        [(_, one)] => Some((one.to_string(), true)),
        [(d0, a), (d1, _), ..] if d0 < d1 => Some((a.to_string(), true)),
        [(_, a), ..] => Some((a.to_string(), false)),
    }
}
