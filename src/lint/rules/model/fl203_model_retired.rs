//! FL203 model-retired: the model was retired at the request's date.

use crate::knowledge::ModelStatus;
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    for m in &s.models().ids {
        let Some(found) = m.found else { continue };
        let model = found.model;
        if model.status_at(s.date) != ModelStatus::Retired {
            continue;
        }
        let when = model.retired.map(|d| format!(" on {d}")).unwrap_or_default();
        // The replacement current at the date (a replacement may itself be retired by then).
        let replacement = s.knowledge.current_at(model, s.date);
        let instead = replacement.map(|r| format!("; move to `{}`", r.id)).unwrap_or_default();
        let mut f =
            Finding::new(&FL203, m.part, m.target(), format!("`{}` ({}) was retired{when}{instead}", m.id, model.name));
        if let Some(r) = replacement.map(|r| &r.id) {
            f = f.help(format!("use `{r}`"));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn retired_at_the_date() {
        let f = model_codes("claude-3-5-haiku-20241022", "2026-03-14");
        assert_eq!(codes(&f), ["FL203"]);
        assert!(
            f[0].message.contains("2026-02-19") && f[0].message.contains("claude-haiku-4-5-20251001"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn the_wrong_form_comes_before_the_lifecycle() {
        // The Bedrock ID of a retired model, sent to the Claude API.
        let f = model_codes("anthropic.claude-3-5-haiku-20241022-v1:0", "2026-03-14");
        assert_eq!(codes(&f), ["FL205", "FL203"]);
    }
}
