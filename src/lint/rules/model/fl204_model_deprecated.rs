//! FL204 model-deprecated: the model is deprecated at the request's date.

use crate::knowledge::ModelStatus;
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    for m in &s.models().ids {
        let Some(found) = m.found else { continue };
        let model = found.model;
        if model.status_at(s.date) != ModelStatus::Deprecated {
            continue;
        }
        let when = model
            .retired
            .map(|d| format!(", retiring on {d}"))
            .unwrap_or_else(|| ", retirement date not announced".into());
        // The replacement current at the date (a replacement may itself be retired by then).
        let replacement = s.knowledge.current_at(model, s.date);
        let instead = replacement.map(|r| format!("; move to `{}`", r.id)).unwrap_or_default();
        let mut f =
            Finding::new(&FL204, m.part, m.target(), format!("`{}` ({}) is deprecated{when}{instead}", m.id, model.name));
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
    fn deprecated_at_the_date() {
        assert_eq!(codes(&model_codes("claude-3-5-haiku-20241022", "2026-01-10")), ["FL204"]);
        assert!(model_codes("claude-3-5-haiku-20241022", "2025-06-01").is_empty());
    }
}
