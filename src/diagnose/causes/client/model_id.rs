//! client.model_id: the model ID is unknown, an unpinned alias, of another provider, or
//! retired at the request's date.
//!
//! For: the API's 404 `model: <id>` (`not_found_error`), LiteLLM's `Invalid model name passed
//! in`, Bedrock's on-demand-throughput refusal, and lint FL2xx of the sampled bodies. A 404
//! `Not found` for a wrong path names no model: it is not this cause.

use super::super::reading::Facts;
use super::super::{Assessment, Detector, NotFound};
use super::{linted_line, message_group_claims};

pub const ID: &str = "client.model_id";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let statuses = f.statuses(ID);
    for &status in &statuses {
        message_group_claims(f, &mut a, ID, status);
        a.checked.extend(linted_line(f, status));
    }
    if !f.s.has_field("body") && !f.s.has_field("model") && f.failing(&statuses) > 0 {
        a.not_found = Some(NotFound::Unchecked(
            "no `body` or `model` field: the model IDs cannot be checked, and no answer names a model".into(),
        ));
    }
    a.finish(|| {
        if f.failing(&statuses) == 0 {
            "no 400/404 failures".into()
        } else {
            "no answer names a model and no sampled body has an unknown, alias or retired model ID".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::*;

    #[test]
    fn found_from_the_404_wording() {
        let mut s = summary(500, &[(404, 50)], &[]);
        message(&mut s, "model: claude-3-5-sonnet-20241022", &[(404, 50)]);
        assert_eq!(claimed(ID, &s), counts(&[(404, 50)]));
    }

    #[test]
    fn found_from_lint_of_the_bodies() {
        let mut s = summary(500, &[(400, 20)], &["body", "headers"]);
        message(&mut s, "invalid model", &[(400, 20)]);
        let body = r#"{"model":"claude-sonnet-4.6","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}"#;
        for _ in 0..3 {
            sample(&mut s, 400, "invalid model", &[("x-api-key", "[REDACTED]")], Some(body));
        }
        assert_eq!(claimed(ID, &s), counts(&[(400, 20)]));
    }

    #[test]
    fn a_wrong_path_or_new_models_do_not_trigger() {
        let mut s = summary(500, &[(404, 30)], &["body", "headers"]);
        message(&mut s, "Not found", &[(404, 30)]);
        let body = r#"{"model":"claude-sonnet-4-6","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}"#;
        for _ in 0..3 {
            sample(&mut s, 404, "Not found", &[("x-api-key", "sk-ant-api03-S…")], Some(body));
        }
        assert!(claimed(ID, &s).is_empty());
    }
}
