//! FL202 model-alias: an active model named by an unpinned alias.

use crate::knowledge::{IdForm, ModelStatus};
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

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
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    for m in &s.models().ids {
        let Some(found) = m.found else { continue };
        if found.form != IdForm::Alias || !m.right_form || found.model.status_at(s.date) != ModelStatus::Active {
            continue;
        }
        let pinned = &found.model.id;
        let mut f =
            Finding::new(&FL202, m.part, m.target(), format!("`{}` is an alias of `{pinned}`: pin the snapshot", m.id))
                .help(format!("use `{pinned}`"));
        if !m.path.is_empty() {
            f = f.fix(m.replace(pinned, false));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn alias() {
        let f = model_codes("claude-sonnet-4-5", "2026-01-01");
        assert_eq!(codes(&f), ["FL202"]);
        assert!(f[0].fix.as_ref().is_some_and(|x| !x.safe), "alias -> pinned is an unsafe fix");
    }
}
