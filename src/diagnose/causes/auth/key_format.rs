//! auth.key_format: the key's bytes are wrong: whitespace, a line break or an invisible
//! character (NBSP, zero-width space, BOM) copied along with it.
//!
//! For: lint FL0xx of a key hash's sampled 401s sent with `x-api-key` (what survives a mask
//! counts: `sk-a****xyAA\n`), LiteLLM's `LiteLLM Virtual Key expected`; weakly, a key hash that
//! never succeeds and is answered `invalid x-api-key` (the API's answer to any bad key).
//! Against: the key succeeded in the window (its exact bytes were accepted).

use super::super::client::{confidence, lintable};
use super::super::reading::{n, shorten, show_key, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, NotFound, Strength, Unit};
use super::key_answer;
use crate::diagnose::model::Confidence;

pub const ID: &str = "auth.key_format";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let statuses = f.statuses(ID);
    for &status in &statuses {
        if f.s.has_field("key_hash") {
            key_claims(f, &mut a, status);
        } else {
            super::super::client::message_group_claims(f, &mut a, ID, status);
        }
    }
    a.limited_by.extend(f.masked_note(&statuses));
    if !lintable(f) && !f.s.has_field("key_hash") && f.failing(&statuses) > 0 {
        a.not_found = Some(NotFound::Unchecked(
            "no `headers` or `key_hash` field: the keys' bytes and history cannot be checked".into(),
        ));
    }
    a.finish(|| {
        if f.failing(&statuses) == 0 {
            "no 401 failures".into()
        } else {
            "no sampled key carries whitespace or an invisible character, and no failing key is refused outright".into()
        }
    })
}

fn key_claims(f: &Facts<'_>, a: &mut Assessment, status: u16) {
    let mut refused_after_success = 0;
    for key in &f.s.keys {
        let count = key.failures.get(&status).copied().unwrap_or(0);
        if count == 0 {
            continue;
        }
        let shown = show_key(&key.key_hash);
        let samples = f.key_samples(status, &key.key_hash);
        let mut claim = Claim::new(Unit::Key(key.key_hash.clone()), Confidence::High);
        if let Some(vote) = f.lint_vote(&samples).filter(|v| v.cause == ID) {
            claim.evidence.push(Item::new(
                Kind::Lint,
                Strength::Strong,
                format!(
                    "key {shown}: {} × {status}; lint finds {} in its sampled requests ({} of {})",
                    n(count),
                    vote.codes.join(", "),
                    vote.agree,
                    vote.of
                ),
            ));
        }
        if let Some((sig, m)) = key_answer(f, &samples, ID) {
            if sig.def.strength > Strength::Weak {
                claim.evidence.push(Item::new(
                    Kind::ApiWording,
                    sig.def.strength,
                    format!("key {shown}: {} × {status} answered \"{}\" (`{}`)", n(count), shorten(&m), sig.def.id),
                ));
            } else if key.successes == 0 {
                claim.evidence.push(Item::new(
                    Kind::KeyHistory,
                    Strength::Weak,
                    format!(
                        "key {shown}: {} × {status} answered \"{}\" and never a success: the key itself is refused \
                         (weak: the API answers any bad key so)",
                        n(count),
                        shorten(&m)
                    ),
                ));
            } else {
                refused_after_success += 1;
            }
        }
        if claim.evidence.is_empty() {
            continue;
        }
        claim.confidence = confidence(claim.strength());
        claim.add(status, count);
        claim.span((key.first_failure, key.last_failure));
        claim.samples = f.ids(samples);
        a.claims.push(claim);
    }
    if refused_after_success > 0 {
        a.against.push(Item::new(
            Kind::KeyHistory,
            Strength::Strong,
            format!(
                "{refused_after_success} key(s) answered `invalid x-api-key` also succeeded in the window: their bytes \
                 were accepted"
            ),
        ));
    }
    a.checked.push(format!(
        "key-hash history of {} keys with {status}s; lint of their sampled requests",
        f.s.keys.iter().filter(|k| k.failures.get(&status).is_some_and(|c| *c > 0)).count()
    ));
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::*;
    use crate::diagnose::summary::Summary;

    fn with_key_samples(s: &mut Summary, hash: &str, value: &str) {
        for _ in 0..3 {
            sample(s, 401, "invalid x-api-key", &[("x-api-key", value)], Some(BODY));
            if let Some(x) = s.samples.last_mut() {
                x.key_hash = Some(hash.into());
            }
        }
    }

    #[test]
    fn found_a_line_break_that_survives_the_mask() {
        let mut s = summary(900, &[(401, 100)], &["headers", "key_hash"]);
        message(&mut s, "invalid x-api-key", &[(401, 100)]);
        key(&mut s, "sha256:bad00000", 0, None, &[(401, 100, 10, 90)]);
        with_key_samples(&mut s, "sha256:bad00000", "sk-a****xyAA\n");
        assert_eq!(claimed(ID, &s), counts(&[(401, 100)]));
        assert_eq!(strength(ID, &s), Some(Strength::Strong));
    }

    #[test]
    fn found_weakly_for_a_never_working_key_without_headers() {
        let mut s = summary(900, &[(401, 100)], &["key_hash"]);
        message(&mut s, "invalid x-api-key", &[(401, 100)]);
        key(&mut s, "sha256:bad00000", 0, None, &[(401, 100, 10, 90)]);
        with_key_samples(&mut s, "sha256:bad00000", "");
        s.samples.iter_mut().for_each(|x| x.headers.clear());
        assert_eq!(claimed(ID, &s), counts(&[(401, 100)]));
        assert_eq!(strength(ID, &s), Some(Strength::Weak));
    }

    #[test]
    fn a_masked_key_or_a_key_that_worked_does_not_trigger() {
        let mut s = summary(900, &[(401, 100)], &["headers", "key_hash"]);
        message(&mut s, "invalid x-api-key", &[(401, 100)]);
        key(&mut s, "sha256:rev00000", 400, Some((0, 49)), &[(401, 100, 50, 99)]);
        with_key_samples(&mut s, "sha256:rev00000", "sk-ant-api03-S…");
        let a = assessment(ID, &s);
        assert!(a.claims.is_empty(), "{:?}", a.claims);
        assert!(!a.against.is_empty());
    }
}
