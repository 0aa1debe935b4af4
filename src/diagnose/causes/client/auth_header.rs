//! client.auth_header: the `Authorization` (or `x-api-key`) header is malformed: a hidden line
//! break, trailing or invisible whitespace, a lowercase `bearer`, a missing space.
//!
//! For: lint of the sampled 400/401 requests (FL0xx on a request sent with `Authorization`, or
//! on a 400), and answers that name the header (LiteLLM's `Malformed API Key passed in`, the
//! API's `x-api-key header is required`). A masked key is no evidence: lint reports it as FL009
//! (info), and only what the mask leaves is checked.

use super::super::reading::{n, shorten, show_key, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, NotFound, Strength, Unit};
use super::{confidence, lintable, linted_line, message_group_claims};
use crate::diagnose::model::Confidence;

pub const ID: &str = "client.auth_header";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let statuses = f.statuses(ID);
    for &status in &statuses {
        if status == 401 && f.s.has_field("key_hash") {
            key_claims(f, &mut a);
        } else {
            message_group_claims(f, &mut a, ID, status);
        }
        a.checked.extend(linted_line(f, status));
    }
    a.limited_by.extend(f.masked_note(&statuses));
    if !lintable(f) && f.failing(&statuses) > 0 {
        a.not_found = Some(NotFound::Unchecked(
            "no `headers` field: the sampled requests' headers cannot be linted, and no answer names a malformed header"
                .into(),
        ));
    }
    a.finish(|| {
        if f.failing(&statuses) == 0 {
            "no 400/401 failures".into()
        } else {
            "no sampled request carries a malformed header, and no answer names one".into()
        }
    })
}

/// 401s by key hash: the key's sampled requests lint as a header defect, or its answers name one.
fn key_claims(f: &Facts<'_>, a: &mut Assessment) {
    for key in f.s.keys.iter() {
        let count = key.failures.get(&401).copied().unwrap_or(0);
        if count == 0 {
            continue;
        }
        let samples = f.key_samples(401, &key.key_hash);
        let mut claim = Claim::new(Unit::Key(key.key_hash.clone()), Confidence::High);
        if let Some(vote) = f.lint_vote(&samples).filter(|v| v.cause == ID) {
            claim.evidence.push(Item::new(
                Kind::Lint,
                Strength::Strong,
                format!(
                    "key {}: {} × 401; lint finds {} in its sampled requests ({} of {})",
                    show_key(&key.key_hash),
                    n(count),
                    vote.codes.join(", "),
                    vote.agree,
                    vote.of
                ),
            ));
        }
        let answered = samples.iter().find_map(|&i| {
            let m = crate::diagnose::summary::normalise_message(f.sample(i).error_message.as_deref()?);
            f.signature(&m, ID).map(|sig| (sig, m))
        });
        if let Some((sig, m)) = answered {
            claim.evidence.push(Item::new(
                Kind::ApiWording,
                sig.def.strength,
                format!(
                    "key {}: {} × 401 answered \"{}\" (`{}`)",
                    show_key(&key.key_hash),
                    n(count),
                    shorten(&m),
                    sig.def.id
                ),
            ));
        }
        if claim.evidence.is_empty() {
            continue;
        }
        claim.confidence = confidence(claim.strength());
        claim.add(401, count);
        claim.span((key.first_failure, key.last_failure));
        claim.samples = f.ids(samples);
        a.claims.push(claim);
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::*;

    #[test]
    fn found_lowercase_bearer_in_sampled_400s() {
        let mut s = summary(1000, &[(400, 120)], &["headers", "body"]);
        let msg = "Malformed Authorization header";
        message(&mut s, msg, &[(400, 120)]);
        for _ in 0..3 {
            sample(&mut s, 400, msg, &[("authorization", "bearer sk-ant-api03-S…")], Some(BODY));
        }
        assert_eq!(claimed(ID, &s), counts(&[(400, 120)]));
        assert_eq!(strength(ID, &s), Some(Strength::Strong));
    }

    #[test]
    fn found_litellm_wording_when_headers_are_not_logged() {
        let mut s = summary(1000, &[(401, 80)], &["key_hash"]);
        let msg = "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.";
        message(&mut s, msg, &[(401, 80)]);
        key(&mut s, "sha256:dev00000", 0, None, &[(401, 80, 0, 99)]);
        sample(&mut s, 401, msg, &[], None);
        s.samples[0].key_hash = Some("sha256:dev00000".into());
        assert_eq!(claimed(ID, &s), counts(&[(401, 80)]));
        assert_eq!(strength(ID, &s), Some(Strength::Decisive));
    }

    #[test]
    fn a_masked_key_on_a_body_error_does_not_trigger() {
        let mut s = summary(1000, &[(400, 60)], &["headers", "body"]);
        let msg = "messages.1.content: Field required";
        message(&mut s, msg, &[(400, 60)]);
        for mask in ["sk-ant-api03-S…", "sk-a****xyAA", "[REDACTED]"] {
            sample(&mut s, 400, msg, &[("authorization", &format!("Bearer {mask}"))], Some(BODY));
        }
        let a = assessment(ID, &s);
        assert!(a.claims.is_empty(), "{:?}", a.claims);
        assert!(matches!(a.not_found, Some(NotFound::RuledOut(_))));
        assert!(a.limited_by.iter().any(|l| l.contains("masked")), "{:?}", a.limited_by);
    }

    #[test]
    fn without_headers_it_is_unchecked_not_ruled_out() {
        let mut s = summary(1000, &[(400, 60)], &[]);
        message(&mut s, "bad request", &[(400, 60)]);
        assert!(matches!(assessment(ID, &s).not_found, Some(NotFound::Unchecked(_))));
    }
}
