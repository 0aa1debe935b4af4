//! FL2xx: the model ID, checked against rules/models.toml at a given date.
//! Seed 000 §2.1: 12.2 % of client-side errors; 3.2x more in the week after a model release.

use super::{Family, FixAvailability, RuleMeta, Severity};

pub static FL201: RuleMeta = RuleMeta {
    code: "FL201",
    name: "model-unknown",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "The model ID is not a known model for any provider",
    explanation: "\
## Why it fails
An unknown model answers 404 `not_found_error` (`model: <id>`) or 400. Typical causes: a dotted
version (`claude-sonnet-4.5`), a short form that never existed (`claude-3-sonnet`), a typo.

## Fix
Use the suggested ID (safe fix when exactly one known ID matches the dotted or typo form).
Approved internal models go in faultline.toml `[[models.extra]]`.",
};

pub static FL202: RuleMeta = RuleMeta {
    code: "FL202",
    name: "model-alias",
    family: Family::Model,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    summary: "The model is an unpinned alias (`claude-sonnet-4-5`, `…-latest`)",
    explanation: "\
## Why it matters
Aliases point at whatever snapshot is current: behaviour changes under you when the alias moves,
and aliases of older models are removed before the pinned IDs.

## Fix
Pin the snapshot ID, e.g. `claude-sonnet-4-5` -> `claude-sonnet-4-5-20250929` (unsafe fix: it
changes which model answers if the alias had moved).",
};

pub static FL203: RuleMeta = RuleMeta {
    code: "FL203",
    name: "model-retired",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The model was retired at the request's date",
    explanation: "\
## Why it fails
Requests to retired models fail (404 `model: <id>`); there is no automatic fallback. Status is
evaluated at the date given by `--as-of` (default today).

## Fix
Move to the replacement named in the message (rules/models.toml `replacement`).",
};

pub static FL204: RuleMeta = RuleMeta {
    code: "FL204",
    name: "model-deprecated",
    family: Family::Model,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "The model is deprecated and has a retirement date",
    explanation: "\
## Why it matters
Deprecated models still answer until their retirement date, then fail. Migrate before the date.

## Fix
Move to the replacement named in the message.",
};

pub static FL205: RuleMeta = RuleMeta {
    code: "FL205",
    name: "model-wrong-provider",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "The model ID belongs to another provider than the endpoint (Bedrock ID sent to the Claude API …)",
    explanation: "\
## Why it fails
Each platform names models differently: Claude API `claude-sonnet-4-5-20250929`, Bedrock
`anthropic.claude-sonnet-4-5-20250929-v1:0`, Vertex `claude-sonnet-4-5@20250929`. Sending one
platform's form to another gives 400/404.

## Fix
Use the ID of the endpoint's platform (safe fix when the model has exactly one such ID).",
};

pub static FL206: RuleMeta = RuleMeta {
    code: "FL206",
    name: "model-missing",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The body has no `model` (or it is not a string)",
    explanation: "\
## Why it fails
`model` is required on the Messages API and chat/completions (400 `model: Field required`).
Vertex and Bedrock InvokeModel carry the model in the URL instead and are not checked.

## Fix
Set `\"model\"` to a pinned model ID.",
};

// ---------------------------------------------------------------------------------------------
// Checks

use crate::capture::jv::{Json as Value, Obj};

use super::finding::{Ctx, Finding};
use crate::capture::request::{Edit, Endpoint, Fix, PathSeg, Provider, Target};
use crate::knowledge::{IdForm, Knowledge, ModelStatus};

/// A suggestion for an unknown ID, and whether replacing it is safe (one unambiguous match).
fn suggest(k: &Knowledge, id: &str) -> Option<(String, bool)> {
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

fn replace(path: &[PathSeg], id: &str, to: &str, safe: bool) -> Fix {
    Fix {
        message: format!("replace `{id}` with `{to}`"),
        safe,
        edits: vec![Edit::BodyString { path: path.to_vec(), range: 0..id.len(), replacement: to.to_string() }],
    }
}

/// Checks the body's `model`.
pub(crate) fn check(obj: &Obj<'_>, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Bedrock InvokeModel and Vertex carry the model in the URL.
    if matches!(ctx.provider, Provider::Bedrock | Provider::Vertex) && !obj.contains_key("model") {
        return;
    }
    let path = vec![PathSeg::Key("model".into())];
    let id = match obj.get("model") {
        Some(Value::String(s)) => s.as_ref(),
        None => {
            if ctx.endpoint != Endpoint::Other {
                out.push(
                    Finding::new(&FL206, Target::Body { path: vec![], range: None }, "the body has no `model`")
                        .help("set `\"model\"` to a pinned model ID"),
                );
            }
            return;
        }
        Some(_) => {
            out.push(
                Finding::new(&FL206, Target::Body { path, range: None }, "`model` is not a string")
                    .help("set `\"model\"` to a pinned model ID"),
            );
            return;
        }
    };
    // Through an OpenAI-compatible gateway, only Claude IDs are ours to check.
    if ctx.provider == Provider::Openai && !id.contains("claude") {
        return;
    }
    check_id(id, &path, ctx, out);
}

/// Checks one model ID (from the body, or from a Bedrock/Vertex URL with `path` empty).
pub(crate) fn check_id(id: &str, path: &[PathSeg], ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let k = ctx.knowledge;
    let target = || Target::Body { path: path.to_vec(), range: None };
    let Some(found) = k.model(id) else {
        let mut f = Finding::new(&FL201, target(), format!("unknown model `{id}`"));
        match suggest(k, id) {
            Some((to, safe)) => {
                f.message.push_str(&format!(": did you mean `{to}`?"));
                f = f.help(format!("use `{to}`")).fix(replace(path, id, &to, safe));
            }
            None => {
                f = f
                    .help("use a model ID from `faultline rules` / rules/models.toml, or add it under [[models.extra]]")
            }
        }
        out.push(f);
        return;
    };
    let m = found.model;
    // Which form does this endpoint's platform expect?
    let right_form = match ctx.provider {
        Provider::Anthropic | Provider::Openai => matches!(found.form, IdForm::Pinned | IdForm::Alias),
        Provider::Bedrock => found.form == IdForm::Bedrock,
        Provider::Vertex => found.form == IdForm::Vertex || (m.vertex_same_as_id && found.form == IdForm::Pinned),
    };
    if !right_form {
        let expected: Vec<String> = match ctx.provider {
            Provider::Anthropic | Provider::Openai => vec![m.id.clone()],
            Provider::Bedrock => m.bedrock.clone(),
            Provider::Vertex => {
                if m.vertex_same_as_id {
                    vec![m.id.clone()]
                } else {
                    m.vertex.clone()
                }
            }
        };
        let form = match found.form {
            IdForm::Bedrock => "a Bedrock model ID",
            IdForm::Vertex => "a Vertex AI model ID",
            IdForm::Pinned | IdForm::Alias => "a Claude API model ID",
        };
        let mut f = Finding::new(
            &FL205,
            target(),
            format!("`{id}` is {form}, but the request goes to the {} endpoint", ctx.provider.as_str()),
        );
        if let [one] = expected.as_slice() {
            f.message.push_str(&format!(": use `{one}`"));
            f = f.help(format!("use `{one}`"));
            if !path.is_empty() {
                f = f.fix(replace(path, id, one, true));
            }
        } else if expected.is_empty() {
            f = f.help(format!("{} has no known ID on {}", m.name, ctx.provider.as_str()));
        }
        out.push(f);
    }
    match m.status_at(ctx.date) {
        ModelStatus::Retired => {
            let when = m.retired.map(|d| format!(" on {d}")).unwrap_or_default();
            let instead = m.replacement.as_ref().map(|r| format!("; move to `{r}`")).unwrap_or_default();
            let mut f = Finding::new(&FL203, target(), format!("`{id}` ({}) was retired{when}{instead}", m.name));
            if let Some(r) = &m.replacement {
                f = f.help(format!("use `{r}`"));
            }
            out.push(f);
        }
        ModelStatus::Deprecated => {
            let when = m
                .retired
                .map(|d| format!(", retiring on {d}"))
                .unwrap_or_else(|| ", retirement date not announced".into());
            let instead = m.replacement.as_ref().map(|r| format!("; move to `{r}`")).unwrap_or_default();
            let mut f = Finding::new(&FL204, target(), format!("`{id}` ({}) is deprecated{when}{instead}", m.name));
            if let Some(r) = &m.replacement {
                f = f.help(format!("use `{r}`"));
            }
            out.push(f);
        }
        ModelStatus::Active => {
            if found.form == IdForm::Alias && right_form {
                let mut f =
                    Finding::new(&FL202, target(), format!("`{id}` is an alias of `{}`: pin the snapshot", m.id))
                        .help(format!("use `{}`", m.id));
                if !path.is_empty() {
                    f = f.fix(replace(path, id, &m.id, false));
                }
                out.push(f);
            }
        }
    }
}
