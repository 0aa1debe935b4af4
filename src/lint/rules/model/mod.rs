//! FL2xx: the model ID, checked against rules/models.toml at a given date.
//! The Elasticsearch study (docs/sources.md): 12.2 % of client-side errors; 3.2x more in the week after a model release.
//!
//! The family's view, `Models`: the model IDs a request names (the body's `model`, and the model
//! in a Bedrock or Vertex URL), each looked up once in the knowledge base.

use std::borrow::Cow;

use crate::capture::jv::Json;
use crate::capture::request::{url_path, Edit, Fix, PathSeg, Provider, Target};
use chrono::NaiveDate;

use crate::knowledge::{IdForm, Knowledge, Model, ModelMatch};
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

/// A suggestion for an unknown ID at `date`, and whether replacing it is safe (one unambiguous
/// match, current at that date). Only models current at `date` are named: a match that is
/// retired or deprecated then is replaced by its current successor (`Knowledge::current_at`),
/// and that replacement is never safe (it is another model).
pub fn suggest<'a>(k: &'a Knowledge, id: &str, date: NaiveDate) -> Option<(String, bool)> {
    // The current model for a matched one, and whether it is that very model.
    fn current_of<'k>(k: &'k Knowledge, m: &'k Model, date: NaiveDate) -> Option<(&'k str, bool)> {
        k.current_at(m, date).map(|c| (c.id.as_str(), std::ptr::eq(c, m)))
    }
    let current = |m: &'a Model| current_of(k, m, date);
    // Dotted versions: claude-sonnet-4.5 -> claude-sonnet-4-5 (an alias) -> its pinned ID.
    if id.contains('.') {
        if let Some(m) = k.model(&id.replace('.', "-")) {
            return current(m.model).map(|(c, same)| (c.to_string(), same));
        }
    }
    // Short forms that never existed: claude-3-sonnet -> claude-3-sonnet-20240229 (or, once that
    // is retired, its successor); several snapshots with one successor give that successor.
    let prefix = format!("{id}-");
    let mut extended: Vec<&str> =
        k.models.iter().filter(|m| m.id.starts_with(&prefix)).filter_map(|m| current(m).map(|(c, _)| c)).collect();
    extended.sort_unstable();
    extended.dedup();
    if let [one] = extended.as_slice() {
        return Some((one.to_string(), false));
    }
    // Typos: the closest Claude API ID or alias within two edits, if only one is that close.
    let mut best: Vec<(usize, &str, bool)> = k
        .model_ids()
        .filter(|(_, form)| matches!(form, IdForm::Pinned | IdForm::Alias))
        .map(|(cand, _)| (strsim::levenshtein(id, cand), cand))
        .filter(|(d, _)| *d <= 2)
        .filter_map(|(d, cand)| {
            let (c, same) = current(k.model(cand)?.model)?;
            Some((d, c, same))
        })
        .collect();
    // One entry per suggested model, at its closest distance.
    best.sort_unstable_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
    best.dedup_by(|a, b| a.1 == b.1);
    best.sort_unstable();
    match best.as_slice() {
        [] => None,
        [(_, one, same)] => Some((one.to_string(), *same)),
        [(d0, a, same), (d1, _, _), ..] if d0 < d1 => Some((a.to_string(), *same)),
        [(_, a, _), ..] => Some((a.to_string(), false)),
    }
}
