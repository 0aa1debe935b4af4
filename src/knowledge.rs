//! The knowledge base: `rules/*.toml`, embedded in the binary and extendable from `faultline.toml`.
//!
//! Code never hard-codes a model name, a status meaning, an error signature or a threshold:
//! it asks a `Knowledge`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result};

pub mod presets;

/// The embedded rule files, by name (name, text).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("rules/models.toml", include_str!("../rules/models.toml")),
    ("rules/status_codes.toml", include_str!("../rules/status_codes.toml")),
    ("rules/signatures.toml", include_str!("../rules/signatures.toml")),
    ("rules/thresholds.toml", include_str!("../rules/thresholds.toml")),
    ("rules/causes.toml", include_str!("../rules/causes.toml")),
    ("rules/api.toml", include_str!("../rules/api.toml")),
    ("rules/presets.toml", include_str!("../rules/presets.toml")),
];

pub(crate) fn embedded(name: &str) -> &'static str {
    EMBEDDED.iter().find(|(n, _)| n.ends_with(name)).map_or("", |(_, text)| *text)
}

// ---------------------------------------------------------------------------------------------
// Models

fn de_date<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<NaiveDate>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    match text {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("`{t}` is not a date (expected YYYY-MM-DD)"))),
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub name: String,
    pub id: String,
    pub family: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub bedrock: Vec<String>,
    #[serde(default)]
    pub vertex: Vec<String>,
    #[serde(default)]
    pub vertex_same_as_id: bool,
    #[serde(default, deserialize_with = "de_date")]
    pub deprecated: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_date")]
    pub retired: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_date")]
    pub not_before: Option<NaiveDate>,
    pub replacement: Option<String>,
    pub nonstreaming_max_tokens: Option<u32>,
    pub note: Option<String>,
}

/// A model's lifecycle state at a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelStatus {
    Active,
    Deprecated,
    Retired,
}

impl Model {
    /// Status at `date`: retired if `date >= retired`, deprecated if `date >= deprecated`.
    pub fn status_at(&self, date: NaiveDate) -> ModelStatus {
        if self.retired.is_some_and(|r| date >= r) {
            ModelStatus::Retired
        } else if self.deprecated.is_some_and(|d| date >= d) {
            ModelStatus::Deprecated
        } else {
            ModelStatus::Active
        }
    }
}

/// How a model string matched the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdForm {
    /// The pinned Claude API ID.
    Pinned,
    /// An unpinned alias the Claude API accepts.
    Alias,
    /// A Bedrock model ID (possibly with a cross-region prefix).
    Bedrock,
    /// A Vertex AI model ID.
    Vertex,
}

#[derive(Debug, Clone, Copy)]
pub struct ModelMatch<'k> {
    pub model: &'k Model,
    pub form: IdForm,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BedrockFacts {
    cross_region_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct VertexFacts {
    date_separator: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelsFile {
    bedrock: BedrockFacts,
    vertex: VertexFacts,
    #[serde(rename = "model")]
    models: Vec<Model>,
}

// ---------------------------------------------------------------------------------------------
// Status codes, signatures, causes, API facts

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCode {
    pub code: u16,
    pub name: String,
    pub error_type: Option<String>,
    pub retryable: bool,
    pub layer: Layer,
    pub causes: Vec<String>,
    pub meaning: String,
    pub action: String,
}

/// The four layers of the diagnosis, in their order (status, validation, traffic, upstream).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Status,
    Validation,
    Traffic,
    Upstream,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Layer::Status, Layer::Validation, Layer::Traffic, Layer::Upstream];
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Status => "status",
            Layer::Validation => "validation",
            Layer::Traffic => "traffic",
            Layer::Upstream => "upstream",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Provider,
    Middleware,
    RateLimit,
    Quota,
    Network,
    Auth,
    Client,
}

/// How much one piece of evidence says on its own, weakest first. The diagnosis gives every
/// failure to the cause with the strongest evidence for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Consistent with the cause, and with others (`invalid x-api-key` answers any bad key).
    Weak,
    /// Points to the cause, with room for another reading (a proxy's wording, a shape of time).
    Moderate,
    /// Points to the cause and rarely to another (lint of the request, a key's history).
    #[default]
    Strong,
    /// The answer itself names the cause (`messages.0.content: Field required`, a spend cap).
    Decisive,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Weak => "weak",
            Strength::Moderate => "moderate",
            Strength::Strong => "strong",
            Strength::Decisive => "decisive",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureDef {
    pub id: String,
    pub origin: Origin,
    pub cause: String,
    pub pattern: String,
    pub source: String,
    /// How much the wording alone says (default `strong`). A cause-less signature that is
    /// `decisive` names a failure none of the root causes explains (a CORS refusal, a prompt
    /// over the context window); a `weak` one is wording that decides nothing (`Rate limited`).
    #[serde(default)]
    pub strength: Strength,
    /// What the wording means, for the report (cause-less decisive signatures say why the
    /// failure is none of the causes).
    #[serde(default)]
    pub meaning: Option<String>,
}

/// A signature with its compiled pattern.
#[derive(Debug, Clone)]
pub struct Signature {
    pub def: SignatureDef,
    pub regex: Regex,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ForwarderPatterns {
    pub provider: String,
    pub middleware: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignaturesFile {
    forwarder: ForwarderPatterns,
    #[serde(rename = "signature")]
    signatures: Vec<SignatureDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    pub id: String,
    pub layer: Layer,
    pub statuses: Vec<u16>,
    pub title: String,
    pub study_share: f64,
    pub signal: String,
    pub explanation: String,
    pub actions: Vec<String>,
    /// Lint code families (`FL0`, …) whose errors on a sampled request point to this cause.
    #[serde(default)]
    pub lint_prefixes: Vec<String>,
    /// The cause claims its lint families only for requests that do not carry this header; such
    /// a cause is tried before an unconditional one sharing a family (a broken key sent as
    /// x-api-key is the key's fault, the same key in an Authorization header is the header's).
    #[serde(default)]
    pub lint_unless_header: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CausesFile {
    #[serde(rename = "cause")]
    causes: Vec<Cause>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusFile {
    #[serde(rename = "status")]
    statuses: Vec<StatusCode>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFacts {
    pub anthropic_versions: Vec<String>,
    /// The anthropic-version FL401's fix adds (one of `anthropic_versions`).
    pub recommended_version: String,
    pub system_role_versions: Vec<String>,
    pub bedrock_body_version: String,
    pub vertex_body_version: String,
    pub beta_pattern: String,
    pub roles: Vec<String>,
    pub content_block_types: Vec<String>,
    pub openai_roles: Vec<String>,
    pub key_prefixes: Vec<String>,
    pub min_key_length: usize,
    /// The provider's base URL: `faultline probe --direct` by default.
    pub base_url: String,
    /// The model `faultline probe` checks when `--model` is not given.
    pub probe_model: String,
}

// ---------------------------------------------------------------------------------------------
// Thresholds: one field list generates the full struct and the all-optional patch that
// faultline.toml may carry, so an unknown key in either is an error.

macro_rules! thresholds {
    ($( $section:ident : $Sec:ident { $( $field:ident : $ty:ty ),* $(,)? } )*) => {
        #[derive(Debug, Clone, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct Thresholds { $( pub $section: $Sec, )* }
        $(
            #[derive(Debug, Clone, Deserialize, Serialize)]
            #[serde(deny_unknown_fields)]
            pub struct $Sec { $( pub $field: $ty, )* }
        )*
        /// `[thresholds]` in faultline.toml: any subset of the keys of rules/thresholds.toml.
        pub mod patch {
            use serde::Deserialize;
            #[derive(Debug, Clone, Default, Deserialize)]
            #[serde(deny_unknown_fields)]
            pub struct Thresholds { $( pub $section: Option<$Sec>, )* }
            $(
                #[derive(Debug, Clone, Default, Deserialize)]
                #[serde(deny_unknown_fields)]
                pub struct $Sec { $( pub $field: Option<$ty>, )* }
            )*
        }
        impl Thresholds {
            pub fn apply(&mut self, patch: &patch::Thresholds) {
                $( if let Some(section) = &patch.$section {
                    $( if let Some(value) = &section.$field { self.$section.$field = value.clone(); } )*
                } )*
            }
        }
    };
}

thresholds! {
    streaming: Streaming { non_streaming_token_limit: u64, timeout_heavy_token_mark: u64, middleware_timeout_s: u64, sdk_nonstreaming_max_tokens: u64 }
    payload: Payload { max_body_bytes: u64, bytes_per_token: f64 }
    latency: Latency { network_p99_ms: f64, region_concentration: f64 }
    rate_limit: RateLimit { tier_rpm_cap: u64, baseline_concurrency: u64, consecutive_429_trigger: u64, pool_cut: f64, stagger_batch_s: u64 }
    quota: Quota { alert_utilisation: f64, monthly_tokens: u64 }
    retry: Retry { max_attempts: u32, base_delay_ms: u64, cap_delay_ms: u64, provider_retry_min_s: u64, provider_retry_max_s: u64, fallback_after_consecutive_529: u32 }
    breaker: Breaker { failure_threshold: u32, success_threshold: u32, open_s: u64, half_open_max_calls: u32, window_requests: u32, window_failure_rate: f64 }
    region: Region { failure_target: f64 }
    detection: Detection { continuous_minute_share: f64, burst_minute_share: f64, continuous_failure_rate: f64, revoked_min_prior_successes: u64, env_concentration: f64, min_failures: u64, samples_per_status: usize }
}

// ---------------------------------------------------------------------------------------------
// Extensions from faultline.toml

/// What faultline.toml may add to or change in the knowledge base.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extensions {
    /// Extra approved models (internal fine-tunes, new releases before faultline knows them).
    #[serde(default)]
    pub models: ModelsExtension,
    /// Forwarder-tag patterns of your own gateways.
    pub gateway: Option<GatewayPatch>,
    /// Extra error signatures.
    #[serde(default)]
    pub signatures: SignaturesExtension,
    pub thresholds: Option<patch::Thresholds>,
    /// `[presets.NAME]` of faultline.toml, with the file they were read from.
    #[serde(skip)]
    pub presets: presets::PresetsExtension,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelsExtension {
    #[serde(default)]
    pub extra: Vec<Model>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignaturesExtension {
    #[serde(default)]
    pub extra: Vec<SignatureDef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayPatch {
    pub provider: Option<String>,
    pub middleware: Option<String>,
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Knowledge {
    pub models: Vec<Model>,
    pub bedrock_prefixes: Vec<String>,
    /// Separator of the date in pre-4.6 Vertex IDs (`claude-3-7-sonnet@20250219`).
    pub vertex_date_separator: String,
    pub statuses: Vec<StatusCode>,
    pub signatures: Vec<Signature>,
    pub forwarder: ForwarderPatterns,
    pub provider_tag: Regex,
    pub middleware_tag: Regex,
    pub causes: Vec<Cause>,
    pub thresholds: Thresholds,
    pub api: ApiFacts,
    /// `api.beta_pattern`, compiled at load (as written: beta names are case-sensitive).
    pub beta_regex: Regex,
    /// Log presets (rules/presets.toml and faultline.toml `[presets.NAME]`), as written;
    /// `logs::preset` compiles them.
    pub presets: presets::Presets,
    model_index: HashMap<String, (usize, IdForm)>,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::Config(format!("{name}: {}", e.to_string().trim_end())))
}

fn compile(what: &str, pattern: &str) -> Result<Regex> {
    let pattern = if pattern.starts_with("(?") { pattern.to_string() } else { format!("(?i){pattern}") };
    Regex::new(&pattern).map_err(|e| Error::Config(format!("{what}: invalid pattern: {e}")))
}

impl Knowledge {
    /// The embedded knowledge base alone.
    pub fn embedded() -> Result<Knowledge> {
        Knowledge::load(&Extensions::default())
    }

    /// The embedded knowledge base with faultline.toml's extensions applied.
    pub fn load(ext: &Extensions) -> Result<Knowledge> {
        Knowledge::from_texts(
            embedded("models.toml"),
            embedded("status_codes.toml"),
            embedded("signatures.toml"),
            embedded("thresholds.toml"),
            embedded("causes.toml"),
            embedded("api.toml"),
            ext,
        )
    }

    /// Builds a knowledge base from rule-file texts (tests feed broken ones).
    pub fn from_texts(
        models: &str,
        statuses: &str,
        signatures: &str,
        thresholds: &str,
        causes: &str,
        api: &str,
        ext: &Extensions,
    ) -> Result<Knowledge> {
        let mut models_file: ModelsFile = parse("rules/models.toml", models)?;
        models_file.models.extend(ext.models.extra.iter().cloned());
        let status_file: StatusFile = parse("rules/status_codes.toml", statuses)?;
        let mut sig_file: SignaturesFile = parse("rules/signatures.toml", signatures)?;
        sig_file.signatures.extend(ext.signatures.extra.iter().cloned());
        if let Some(g) = &ext.gateway {
            if let Some(p) = &g.provider {
                sig_file.forwarder.provider = p.clone();
            }
            if let Some(m) = &g.middleware {
                sig_file.forwarder.middleware = m.clone();
            }
        }
        let mut thresholds: Thresholds = parse("rules/thresholds.toml", thresholds)?;
        if let Some(p) = &ext.thresholds {
            thresholds.apply(p);
        }
        let causes_file: CausesFile = parse("rules/causes.toml", causes)?;
        let api: ApiFacts = parse("rules/api.toml", api)?;

        let mut compiled = Vec::with_capacity(sig_file.signatures.len());
        for def in sig_file.signatures {
            let regex = compile(&format!("signature {}", def.id), &def.pattern)?;
            compiled.push(Signature { def, regex });
        }
        let beta_regex = Regex::new(&api.beta_pattern)
            .map_err(|e| Error::Config(format!("rules/api.toml: beta_pattern: invalid pattern: {e}")))?;
        if !api.anthropic_versions.contains(&api.recommended_version) {
            return Err(Error::Config(format!(
                "rules/api.toml: recommended_version `{}` is not one of anthropic_versions",
                api.recommended_version
            )));
        }
        let provider_tag = compile("forwarder provider pattern", &sig_file.forwarder.provider)?;
        let presets = presets::Presets::build("rules/presets.toml", embedded("presets.toml"), &ext.presets)?;
        let middleware_tag = compile("forwarder middleware pattern", &sig_file.forwarder.middleware)?;

        let mut k = Knowledge {
            models: models_file.models,
            bedrock_prefixes: models_file.bedrock.cross_region_prefixes,
            vertex_date_separator: models_file.vertex.date_separator,
            statuses: status_file.statuses,
            signatures: compiled,
            forwarder: sig_file.forwarder,
            provider_tag,
            middleware_tag,
            causes: causes_file.causes,
            thresholds,
            api,
            beta_regex,
            presets,
            model_index: HashMap::new(),
        };
        let problems = k.index_and_validate();
        if problems.is_empty() {
            Ok(k)
        } else {
            Err(Error::Config(format!("the knowledge base is inconsistent:\n  {}", problems.join("\n  "))))
        }
    }

    /// Builds the model index and returns every inconsistency: duplicate IDs, unknown
    /// references, placeholders that name no threshold.
    fn index_and_validate(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut index = HashMap::new();
        for (i, m) in self.models.iter().enumerate() {
            let forms = std::iter::once((&m.id, IdForm::Pinned))
                .chain(m.aliases.iter().map(|a| (a, IdForm::Alias)))
                .chain(m.bedrock.iter().map(|b| (b, IdForm::Bedrock)))
                .chain(m.vertex.iter().map(|v| (v, IdForm::Vertex)));
            for (id, form) in forms {
                if index.insert(id.clone(), (i, form)).is_some() {
                    problems.push(format!("model ID `{id}` appears more than once"));
                }
            }
        }
        for m in &self.models {
            if let Some(r) = &m.replacement {
                if !self.models.iter().any(|x| &x.id == r) {
                    problems.push(format!("model `{}`: replacement `{r}` is not a model id", m.id));
                }
            }
            if let (Some(d), Some(r)) = (m.deprecated, m.retired) {
                if r < d {
                    problems.push(format!("model `{}`: retired {r} before deprecated {d}", m.id));
                }
            }
        }
        self.model_index = index;
        if !self.models.iter().any(|m| m.id == self.api.probe_model) {
            problems.push(format!("rules/api.toml: probe_model `{}` is not a model id", self.api.probe_model));
        }

        let cause_ids: HashSet<&str> = self.causes.iter().map(|c| c.id.as_str()).collect();
        if cause_ids.len() != self.causes.len() {
            problems.push("a cause id appears more than once in rules/causes.toml".into());
        }
        let mut codes = HashSet::new();
        for s in &self.statuses {
            if !codes.insert(s.code) {
                problems.push(format!("status {} appears more than once", s.code));
            }
            for c in &s.causes {
                if !cause_ids.contains(c.as_str()) {
                    problems.push(format!("status {}: unknown cause `{c}`", s.code));
                }
            }
        }
        for c in &self.causes {
            for s in &c.statuses {
                if !codes.contains(s) {
                    problems.push(format!("cause {}: status {s} has no entry in rules/status_codes.toml", c.id));
                }
            }
            for text in c.actions.iter().chain([&c.signal, &c.explanation]) {
                if let Err(unknown) = self.try_render(text) {
                    problems.push(format!("cause {}: placeholder {{{unknown}}} names no threshold", c.id));
                }
            }
        }
        let mut sig_ids = HashSet::new();
        for s in &self.signatures {
            if !sig_ids.insert(s.def.id.as_str()) {
                problems.push(format!("signature `{}` appears more than once", s.def.id));
            }
            if !s.def.cause.is_empty() && !cause_ids.contains(s.def.cause.as_str()) {
                problems.push(format!("signature {}: unknown cause `{}`", s.def.id, s.def.cause));
            }
        }
        problems
    }

    /// The model to use instead of `model` at `date`: itself when it is active then, else its
    /// `replacement`, followed until an active one (`None` when the chain ends without one).
    /// Suggestions name only these: a retired suggestion is rejected by the next lint (FL203).
    pub fn current_at<'k>(&'k self, model: &'k Model, date: NaiveDate) -> Option<&'k Model> {
        let mut m = model;
        for _ in 0..=self.models.len() {
            if m.status_at(date) == ModelStatus::Active {
                return Some(m);
            }
            let r = m.replacement.as_deref()?;
            m = self.models.iter().find(|x| x.id == r)?;
        }
        None
    }

    /// Finds a model by any of its IDs; Bedrock cross-region prefixes (`us.`, `global.` …) are accepted.
    pub fn model(&self, id: &str) -> Option<ModelMatch<'_>> {
        let found = self.model_index.get(id).or_else(|| {
            let (prefix, rest) = id.split_once('.')?;
            if self.bedrock_prefixes.iter().any(|p| p == prefix) {
                self.model_index.get(rest).filter(|(_, form)| *form == IdForm::Bedrock)
            } else {
                None
            }
        });
        if let Some(&(i, form)) = found {
            return self.models.get(i).map(|model| ModelMatch { model, form });
        }
        // 4.6+ models: the Vertex ID is the Claude API ID itself (handled by the Pinned entry).
        None
    }

    /// Every known ID string with its form (for did-you-mean).
    pub fn model_ids(&self) -> impl Iterator<Item = (&str, IdForm)> {
        self.model_index.iter().map(|(id, (_, form))| (id.as_str(), *form))
    }

    pub fn status(&self, code: u16) -> Option<&StatusCode> {
        self.statuses.iter().find(|s| s.code == code)
    }

    pub fn cause(&self, id: &str) -> Option<&Cause> {
        self.causes.iter().find(|c| c.id == id)
    }

    /// The signatures whose pattern matches `text`, in file order.
    pub fn signatures_matching<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a Signature> + 'a {
        self.signatures.iter().filter(move |s| s.regex.is_match(text))
    }

    /// Fills `{section.key}` placeholders from the thresholds. Derived forms: `_pct` (x100) and
    /// `_s` on a `_ms` key (/1000).
    pub fn render(&self, template: &str) -> String {
        self.try_render(template).unwrap_or_else(|_| template.to_string())
    }

    fn try_render(&self, template: &str) -> std::result::Result<String, String> {
        let values = serde_json::to_value(&self.thresholds).unwrap_or_default();
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return Ok(out);
            };
            let key = &after[..close];
            if key.contains(' ') || !key.contains('.') {
                // Not a placeholder (e.g. JSON in an explanation).
                out.push('{');
                rest = after;
                continue;
            }
            out.push_str(&lookup_threshold(&values, key).ok_or_else(|| key.to_string())?);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// `1234567` -> `1,234,567`: figures in reports and rendered actions read at a glance.
pub fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn format_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", thousands(v.round().abs() as u64))
    } else {
        format!("{v}")
    }
}

fn lookup_threshold(values: &serde_json::Value, key: &str) -> Option<String> {
    let (section, field) = key.split_once('.')?;
    let sec = values.get(section)?;
    if let Some(v) = sec.get(field).and_then(|v| v.as_f64()) {
        return Some(format_number(v));
    }
    if let Some(base) = field.strip_suffix("_pct") {
        let v = sec.get(base)?.as_f64()?;
        return Some(format_number((v * 1000.0).round() / 10.0));
    }
    if let Some(base) = field.strip_suffix("_s") {
        if base.ends_with("_ms") {
            let v = sec.get(base)?.as_f64()?;
            return Some(format_number(v / 1000.0));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Knowledge {
        match Knowledge::embedded() {
            Ok(k) => k,
            Err(e) => panic!("embedded knowledge base must load: {e}"),
        }
    }

    fn with(file: &str, text: &str) -> Result<Knowledge> {
        let t = |name: &str| if name == file { text } else { embedded(name) };
        Knowledge::from_texts(
            t("models.toml"),
            t("status_codes.toml"),
            t("signatures.toml"),
            t("thresholds.toml"),
            t("causes.toml"),
            t("api.toml"),
            &Extensions::default(),
        )
    }

    #[test]
    fn every_rule_file_loads_and_is_consistent() {
        let k = k();
        assert!(k.models.len() >= 30);
        assert_eq!(k.causes.len(), 12);
        for code in [400, 401, 402, 403, 404, 409, 413, 429, 500, 502, 503, 504, 524, 529] {
            assert!(k.status(code).is_some(), "status {code} missing");
        }
    }

    #[test]
    fn the_twelve_design_causes_are_there() {
        let k = k();
        for id in [
            "client.auth_header",
            "client.messages",
            "client.model_id",
            "auth.key_format",
            "auth.key_revoked",
            "auth.env_override",
            "traffic.rate_limit",
            "traffic.quota_exhausted",
            "upstream.provider_overload",
            "upstream.middleware_exhaustion",
            "upstream.timeout_non_streaming",
            "upstream.network_loss",
        ] {
            assert!(k.cause(id).is_some(), "{id}");
        }
    }

    #[test]
    fn every_file_in_rules_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok())
            .map(|e| format!("rules/{}", e.file_name().to_string_lossy()))
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn duplicate_model_id_is_rejected() {
        let doubled = format!(
            "{}\n[[model]]\nname = \"x\"\nid = \"claude-opus-4-6\"\nfamily = \"opus\"\n",
            embedded("models.toml")
        );
        let err = with("models.toml", &doubled).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("`claude-opus-4-6` appears more than once"), "{err}");
    }

    #[test]
    fn unknown_replacement_is_rejected() {
        let bad = format!(
            "{}\n[[model]]\nname = \"x\"\nid = \"claude-x-1\"\nfamily = \"other\"\nreplacement = \"claude-nope\"\n",
            embedded("models.toml")
        );
        let err = with("models.toml", &bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("replacement `claude-nope`"), "{err}");
    }

    #[test]
    fn unparseable_date_is_rejected_with_position() {
        let bad = format!(
            "{}\n[[model]]\nname = \"x\"\nid = \"claude-x-1\"\nfamily = \"other\"\nretired = \"2026-02-30\"\n",
            embedded("models.toml")
        );
        let err = with("models.toml", &bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("2026-02-30") && err.contains("line"), "{err}");
    }

    #[test]
    fn unknown_cause_reference_is_rejected() {
        let bad = embedded("status_codes.toml").replace("\"client.messages\"", "\"client.mesages\"");
        let err = with("status_codes.toml", &bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("unknown cause `client.mesages`"), "{err}");
        let bad = embedded("signatures.toml").replace("cause = \"traffic.rate_limit\"", "cause = \"traffic.rate\"");
        let err = with("signatures.toml", &bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("unknown cause `traffic.rate`"), "{err}");
    }

    #[test]
    fn unknown_placeholder_is_rejected() {
        let bad = embedded("causes.toml")
            .replace("{retry.max_attempts} attempts, honouring", "{retry.maxattempts} attempts, honouring");
        let err = with("causes.toml", &bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("{retry.maxattempts}"), "{err}");
    }

    #[test]
    fn model_status_depends_on_the_date() {
        let k = k();
        let haiku = k.model("claude-3-5-haiku-20241022").map(|m| m.model.clone());
        let Some(haiku) = haiku else { panic!("3.5 Haiku missing") };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        // retired 2026-02-19
        assert_eq!(haiku.status_at(d("2026-03-14")), ModelStatus::Retired);
        assert_eq!(haiku.status_at(d("2026-01-10")), ModelStatus::Deprecated);
        assert_eq!(haiku.status_at(d("2025-06-01")), ModelStatus::Active);
    }

    #[test]
    fn bedrock_cross_region_prefix_resolves() {
        let k = k();
        let m = k.model("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assert!(matches!(m, Some(ModelMatch { form: IdForm::Bedrock, .. })));
        assert!(k.model("xx.anthropic.claude-sonnet-4-5-20250929-v1:0").is_none());
        assert!(matches!(k.model("claude-sonnet-4-5"), Some(ModelMatch { form: IdForm::Alias, .. })));
    }

    #[test]
    fn placeholders_render_with_derived_units() {
        let k = k();
        assert_eq!(k.render("cut {rate_limit.pool_cut_pct} %"), "cut 30 %");
        assert_eq!(k.render("cap {retry.cap_delay_ms_s} s"), "cap 30 s");
        assert_eq!(k.render("above {streaming.non_streaming_token_limit}"), "above 6,000");
        assert_eq!(k.render("json {\"a\": 1}"), "json {\"a\": 1}");
    }

    #[test]
    fn thresholds_patch_overrides_one_value() {
        let ext: Extensions = match toml::from_str("[thresholds.streaming]\nnon_streaming_token_limit = 8000\n") {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        };
        let k = Knowledge::load(&ext).map_err(|e| e.to_string());
        let k = k.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(k.thresholds.streaming.non_streaming_token_limit, 8000);
        assert_eq!(k.thresholds.latency.network_p99_ms, 12000.0);
    }

    #[test]
    fn forwarder_patterns_classify_tags() {
        let k = k();
        assert!(k.provider_tag.is_match("anthropic-origin"));
        assert!(k.middleware_tag.is_match("envoy-gw-eu"));
        assert!(k.middleware_tag.is_match("internal-gateway"));
        assert!(!k.middleware_tag.is_match("anthropic"));
    }
}
