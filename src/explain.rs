//! Views of the knowledge base and the rule table: look an entry up by name (lint code or rule
//! name, root-cause ID, status code), suggest close names, and render an entry as Markdown or
//! JSON. `faultline explain` and `faultline rules` (in `commands/`) print them; SARIF carries
//! [`rule_markdown`] as each rule's help.

use serde_json::{json, Value};

use crate::knowledge::{Cause, Knowledge, StatusCode};
use crate::lint::codes::{self, RULES};
use crate::lint::RuleMeta;

/// One knowledge-base entry.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'k> {
    Rule(&'static RuleMeta),
    Cause(&'k Cause),
    Status(&'k StatusCode),
}

/// Looks a name up: a lint code or rule name, a root-cause ID, or a status code.
pub fn find<'k>(k: &'k Knowledge, name: &str) -> Option<Entry<'k>> {
    let name = name.trim();
    if let Some(rule) = codes::rule(name).or_else(|| RULES.iter().copied().find(|r| r.name.eq_ignore_ascii_case(name)))
    {
        return Some(Entry::Rule(rule));
    }
    if let Some(cause) = k.causes.iter().find(|c| c.id.eq_ignore_ascii_case(name)) {
        return Some(Entry::Cause(cause));
    }
    name.parse::<u16>().ok().and_then(|code| k.status(code)).map(Entry::Status)
}

/// Up to three known names close to `name`, closest first.
pub fn suggestions(k: &Knowledge, name: &str) -> Vec<String> {
    let lower = name.trim().to_ascii_lowercase();
    let mut candidates: Vec<String> = RULES.iter().flat_map(|r| [r.code.to_string(), r.name.to_string()]).collect();
    candidates.extend(k.causes.iter().map(|c| c.id.clone()));
    candidates.extend(k.statuses.iter().map(|s| s.code.to_string()));
    let mut scored: Vec<(f64, String)> = candidates
        .into_iter()
        .map(|c| {
            let distance = strsim::levenshtein(&lower, &c.to_ascii_lowercase()) as f64;
            let similarity = strsim::jaro_winkler(&lower, &c.to_ascii_lowercase());
            // Short names (codes) need a small edit distance; long ones a high similarity.
            let score = if c.len() <= 5 {
                if distance <= 2.0 {
                    1.0 - distance / 10.0
                } else {
                    0.0
                }
            } else {
                similarity
            };
            (score, c)
        })
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Only the closest names: a clear winner is suggested alone.
    let best = scored.first().map_or(0.0, |s| s.0);
    scored.into_iter().take_while(|(s, _)| best - s < 0.05).take(3).map(|(_, c)| c).collect()
}

/// The Markdown text of a rule: the same text SARIF carries as the rule's help.
pub fn rule_markdown(rule: &RuleMeta) -> String {
    rule.markdown()
}

pub fn cause_markdown(k: &Knowledge, c: &Cause) -> String {
    let statuses = c.statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ");
    let mut text = format!(
        "# {id}: {title}\n\nLayer: {layer}. Statuses: {statuses}. Share of all failures in the Elasticsearch study: {share:.1} %.\n\n## Signal\n{signal}\n\n## Why\n{why}\n\n## What to do\n",
        id = c.id,
        title = c.title,
        layer = c.layer.as_str(),
        share = c.study_share * 100.0,
        signal = k.render(&c.signal),
        why = k.render(c.explanation.trim()),
    );
    for a in &c.actions {
        text.push_str(&format!("- {}\n", k.render(a)));
    }
    text
}

fn status_markdown(s: &StatusCode) -> String {
    format!(
        "# {code} {name}\n\nerror.type: {etype}. Retryable: {retry}. Diagnosis layer: {layer}.\n\n{meaning}\n\n## What to do\n{action}\n\n## Root causes that explain it\n{causes}\n",
        code = s.code,
        name = s.name,
        etype = s.error_type.as_deref().unwrap_or("(none: a gateway status)"),
        retry = if s.retryable { "yes" } else { "no" },
        layer = s.layer.as_str(),
        meaning = s.meaning,
        action = s.action,
        causes = if s.causes.is_empty() {
            "- (none of the twelve; see the meaning above)".to_string()
        } else {
            s.causes.iter().map(|c| format!("- {c}  (faultline explain {c})")).collect::<Vec<_>>().join("\n")
        },
    )
}

/// The entry as text, its paragraphs wrapped to `width` columns (list items with a hanging
/// indent, code spans kept whole).
pub fn render_human(k: &Knowledge, entry: Entry<'_>, width: usize) -> String {
    let text = match entry {
        Entry::Rule(r) => rule_markdown(r),
        Entry::Cause(c) => cause_markdown(k, c),
        Entry::Status(s) => status_markdown(s),
    };
    crate::report::wrap::block(&crate::report::wrap::reflow(&text), width)
}

pub fn entry_json(k: &Knowledge, entry: Entry<'_>) -> Value {
    match entry {
        Entry::Rule(r) => json!({
            "kind": "lint_rule", "code": r.code, "name": r.name, "family": r.family, "severity": r.severity,
            "fix": r.fix, "summary": r.summary, "explanation": r.explanation,
        }),
        Entry::Cause(c) => json!({
            "kind": "root_cause", "id": c.id, "layer": c.layer, "statuses": c.statuses, "title": c.title,
            "study_share": c.study_share, "signal": k.render(&c.signal), "explanation": k.render(c.explanation.trim()),
            "actions": c.actions.iter().map(|a| k.render(a)).collect::<Vec<_>>(),
        }),
        Entry::Status(s) => json!({
            "kind": "status_code", "code": s.code, "name": s.name, "error_type": s.error_type, "retryable": s.retryable,
            "layer": s.layer, "causes": s.causes, "meaning": s.meaning, "action": s.action,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Knowledge {
        Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn finds_each_kind() {
        let k = k();
        assert!(matches!(find(&k, "FL001"), Some(Entry::Rule(_))));
        assert!(matches!(find(&k, "fl001"), Some(Entry::Rule(_))));
        assert!(matches!(find(&k, "auth-line-break"), Some(Entry::Rule(_))));
        assert!(matches!(find(&k, "upstream.middleware_exhaustion"), Some(Entry::Cause(_))));
        assert!(matches!(find(&k, "529"), Some(Entry::Status(_))));
        assert!(find(&k, "5299").is_none());
    }

    #[test]
    fn did_you_mean() {
        let k = k();
        assert_eq!(suggestions(&k, "5299").first().map(String::as_str), Some("529"));
        assert_eq!(
            suggestions(&k, "traffic.quota_exhaust").first().map(String::as_str),
            Some("traffic.quota_exhausted")
        );
        assert_eq!(suggestions(&k, "FL0001").first().map(String::as_str), Some("FL001"));
        assert!(suggestions(&k, "zzzzzzzzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn cause_text_has_numbers_filled_in() {
        let k = k();
        let text = render_human(&k, Entry::Cause(k.cause("traffic.rate_limit").unwrap_or_else(|| panic!())), 100);
        assert!(text.contains("Cap concurrency at 100"), "{text}");
        assert!(text.contains("cut the pool by 30 %"), "{text}");
        assert!(!text.contains('{'), "{text}");
    }
}
