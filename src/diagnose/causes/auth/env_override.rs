//! auth.env_override: a stale key loaded from a project `.env` / `.envrc` overrides the
//! current one in one environment.
//!
//! For: a key hash that never succeeds, with at least `detection.env_concentration` of its 401s
//! in one `client_environment`, while another key succeeds in another environment. The shape
//! alone is circumstantial (moderate): the key's bytes (lint), an answer naming what failed (a
//! CORS refusal, LiteLLM's malformed-key wording) outweigh it. Works without headers or bodies.

use super::super::reading::{n, share, show_key, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, NotFound, Strength, Unit};
use crate::diagnose::model::Confidence;

pub const ID: &str = "auth.env_override";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let failing = f.failing(&[401]);
    let missing: Vec<&str> = ["key_hash", "environment"].into_iter().filter(|x| !f.s.has_field(x)).collect();
    if !missing.is_empty() {
        if failing > 0 {
            let fields = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ");
            a.not_found =
                Some(NotFound::Unchecked(format!("no {fields} field: where each key's 401s come from cannot be told")));
        }
        return a.finish(|| "no 401 failures".into());
    }
    let threshold = f.k.thresholds.detection.env_concentration;
    for key in f.s.keys.iter().filter(|k| k.successes == 0) {
        let count = key.failures.get(&401).copied().unwrap_or(0);
        if count == 0 {
            continue;
        }
        let Some((env, env_share, Some(good))) = f.env_concentration(&key.key_hash) else { continue };
        if env_share < threshold {
            continue;
        }
        let mut claim = Claim::new(Unit::Key(key.key_hash.clone()), Confidence::Medium).with(Item::new(
            Kind::Environment,
            Strength::Moderate,
            format!(
                "key {}: never succeeded; {} of its {} × 401 come from environment `{env}`, while key {} succeeds elsewhere",
                show_key(&key.key_hash),
                share(env_share),
                n(count),
                show_key(&good)
            ),
        ));
        claim.add(401, count);
        claim.span((key.first_failure, key.last_failure));
        claim.samples = f.ids(f.key_samples(401, &key.key_hash));
        a.claims.push(claim);
    }
    a.checked.push(format!("401s per environment and key hash ({} environments)", f.s.environments.len()));
    a.finish(|| {
        if failing == 0 {
            "no 401 failures".into()
        } else {
            "no never-working key concentrated in one environment while another key succeeds elsewhere".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::*;
    use crate::diagnose::summary::Summary;

    fn stale(in_env: u64, elsewhere: u64) -> Summary {
        let mut s = summary(500, &[(401, in_env + elsewhere)], &["key_hash", "environment"]);
        key(&mut s, "sha256:stale000", 0, None, &[(401, in_env + elsewhere, 1, 90)]);
        env_key(&mut s, "staging", "sha256:stale000", 0, &[(401, in_env)]);
        env_key(&mut s, "production", "sha256:good0000", 500, &[]);
        env_key(&mut s, "production", "sha256:stale000", 0, &[(401, elsewhere)]);
        s
    }

    #[test]
    fn found_at_the_concentration_mark() {
        assert_eq!(claimed(ID, &stale(60, 40)), counts(&[(401, 100)]));
        assert_eq!(strength(ID, &stale(60, 40)), Some(Strength::Moderate));
    }

    #[test]
    fn not_below_the_mark_nor_for_a_key_that_worked_nor_without_another_key() {
        assert!(claimed(ID, &stale(59, 41)).is_empty());
        let mut s = stale(100, 0);
        s.keys[0].successes = 5;
        assert!(claimed(ID, &s).is_empty());
        let mut s = summary(0, &[(401, 100)], &["key_hash", "environment"]);
        key(&mut s, "sha256:only0000", 0, None, &[(401, 100, 1, 90)]);
        env_key(&mut s, "ci", "sha256:only0000", 0, &[(401, 100)]);
        assert!(claimed(ID, &s).is_empty());
    }

    #[test]
    fn without_environments_it_is_limited_not_ruled_out() {
        let mut s = summary(500, &[(401, 100)], &["key_hash"]);
        key(&mut s, "sha256:stale000", 0, None, &[(401, 100, 1, 90)]);
        assert!(matches!(assessment(ID, &s).not_found, Some(NotFound::Unchecked(_))));
    }
}
