//! FL201 model-unknown: a model ID no provider knows, with a did-you-mean.

use super::suggest;
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    for m in s.models().ids.iter().filter(|m| m.found.is_none()) {
        let id = &m.id;
        let mut f = Finding::new(&FL201, m.part, m.target(), format!("unknown model `{id}`"));
        match suggest(s.knowledge, id, s.date) {
            Some((to, safe)) => {
                f.message.push_str(&format!(": did you mean `{to}`?"));
                f = f.help(format!("use `{to}`")).fix(m.replace(&to, safe));
            }
            None => {
                f = f
                    .help("use a model ID from `faultline rules` / rules/models.toml, or add it under [[models.extra]]")
            }
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn unknown_model_with_did_you_mean() {
        let f = model_codes("claude-sonnet-4.5", "2026-11-20");
        assert_eq!(codes(&f), ["FL201"]);
        assert!(f[0].message.contains("claude-sonnet-4-5-20250929"), "{}", f[0].message);
        assert!(f[0].fix.as_ref().is_some_and(|x| x.safe));
        let f = model_codes("claude-3-sonnet", "2024-06-01");
        assert_eq!(codes(&f), ["FL201"]);
        assert!(f[0].message.contains("claude-3-sonnet-20240229"), "{}", f[0].message);
        let f = model_codes("claude-opus-4-88", "2026-11-20");
        assert_eq!(codes(&f), ["FL201"]);
        assert!(f[0].message.contains("claude-opus-4-8"), "{}", f[0].message);
        assert!(model_codes("claude-opus-4-8", "2026-11-20").is_empty());
        let f = model_codes("gpt-4o", "2026-11-20");
        assert_eq!(codes(&f), ["FL201"]);
        assert!(f[0].fix.is_none());
    }

    /// Item 8: suggestions name only models current at `--as-of`: a short form whose snapshot is
    /// retired gets the successor (never safe: another model), `claude-3-5-sonnet` (two retired
    /// snapshots, one successor) gets it too, and the suggestion lints clean at that date; a
    /// short form whose snapshot is still current gets that snapshot.
    #[test]
    fn suggestions_name_only_models_current_at_the_date() {
        for (id, want) in [
            ("claude-3-sonnet", "claude-sonnet-4-6"),
            ("claude-3-5-sonnet", "claude-sonnet-4-6"),
            ("claude-3-opus-2024229", "claude-opus-4-8"),
        ] {
            let f = model_codes(id, "2026-11-20");
            assert_eq!(codes(&f), ["FL201"], "{id}");
            assert!(f[0].message.ends_with(&format!("did you mean `{want}`?")), "{id}: {}", f[0].message);
            assert!(f[0].fix.as_ref().is_some_and(|x| !x.safe), "{id}: replacing with a successor is not safe");
            assert!(model_codes(want, "2026-11-20").is_empty(), "{want} is not clean at the date");
        }
        // Look-alikes: at a date when the snapshot is current, it is the suggestion (not retired yet).
        let f = model_codes("claude-3-sonnet", "2024-06-01");
        assert!(f[0].message.ends_with("did you mean `claude-3-sonnet-20240229`?"), "{}", f[0].message);
        let f = model_codes("claude-opus-4-88", "2026-11-20");
        assert!(f[0].fix.as_ref().is_some_and(|x| x.safe), "a typo of a current model stays a safe fix");
    }
}
