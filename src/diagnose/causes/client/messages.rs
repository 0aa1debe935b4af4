//! client.messages: the `messages` array is malformed (missing, a null or unknown role, empty
//! content, an empty text block).
//!
//! For: the API's own validation answer (`messages.1.content: Field required`,
//! `messages.0.role: Input should be …`, `messages: text content blocks must be non-empty`) and
//! lint FL1xx of the sampled bodies. A body error is answered after the key was accepted: it
//! outweighs lint's view of the credential header.

use super::super::reading::Facts;
use super::super::{Assessment, Detector, NotFound};
use super::{linted_line, message_group_claims};

pub const ID: &str = "client.messages";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let statuses = f.statuses(ID);
    for &status in &statuses {
        message_group_claims(f, &mut a, ID, status);
        a.checked.extend(linted_line(f, status));
    }
    if !f.s.has_field("body") && f.failing(&statuses) > 0 {
        a.not_found = Some(NotFound::Unchecked(
            "no `body` field: the sampled bodies cannot be linted, and no 400 answered a `messages…` validation error"
                .into(),
        ));
    }
    a.finish(|| {
        if f.failing(&statuses) == 0 {
            "no 400 failures".into()
        } else {
            "no 400 answered a `messages…` validation error and no sampled body has a malformed messages array".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::super::super::Strength;
    use super::*;

    #[test]
    fn found_from_the_answer_alone_in_every_form() {
        for msg in [
            "messages.0.content: Field required",
            "messages: text content blocks must be non-empty",
            "messages.2: all messages must have non-empty content except for the optional final assistant message",
        ] {
            let mut s = summary(500, &[(400, 40)], &[]);
            message(&mut s, msg, &[(400, 40)]);
            assert_eq!(claimed(ID, &s), counts(&[(400, 40)]), "{msg}");
            assert_eq!(strength(ID, &s), Some(Strength::Decisive));
        }
    }

    #[test]
    fn found_from_lint_of_the_bodies() {
        let mut s = summary(500, &[(400, 30)], &["body", "headers"]);
        message(&mut s, "bad request", &[(400, 30)]);
        let body =
            r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"messages":[{"role":null,"content":"hi"}]}"#;
        for _ in 0..3 {
            sample(&mut s, 400, "bad request", &[("x-api-key", "sk-ant-api03-S…")], Some(body));
        }
        assert_eq!(claimed(ID, &s), counts(&[(400, 30)]));
    }

    #[test]
    fn a_quota_or_an_unexplained_400_does_not_trigger() {
        let mut s = summary(500, &[(400, 70)], &["body"]);
        message(&mut s, "Your credit balance is too low to access the Anthropic API.", &[(400, 40)]);
        message(&mut s, "prompt is too long: 213462 tokens > 200000 maximum", &[(400, 30)]);
        assert!(claimed(ID, &s).is_empty());
        assert!(matches!(assessment(ID, &s).not_found, Some(NotFound::RuledOut(_))));
    }
}
