//! auth.key_revoked: a key that worked was revoked or expired.
//!
//! For: a key hash's history: its last success comes before its first **401**, and it has
//! failed with nothing but 401s since (other statuses before that — a 529 wave, a 404 from an
//! old job — do not matter); answers naming a revoked or expired key. Works from the key hash
//! alone, without headers or bodies. Against: a success after the first 401 (the key still
//! works: not revoked). Another status after the first 401 (a 429, a gateway's 503) does not show
//! the key works — it may be answered before the key is checked — but the history is then no
//! longer "401s only": the claim is moderate, not strong.

use super::super::reading::{clock, n, shorten, show_key, statuses_text, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, NotFound, Strength, Unit};
use super::key_answer;
use crate::diagnose::model::Confidence;
use crate::diagnose::summary::{KeyHistory, StatusCounts};

pub const ID: &str = "auth.key_revoked";
pub const DETECTOR: Detector = Detector { id: ID, assess };

/// The status a revoked key answers.
const REFUSED: u16 = 401;

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let failing = f.failing(&[REFUSED]);
    if f.s.has_field("key_hash") {
        key_claims(f, &mut a);
    } else {
        super::super::client::message_group_claims(f, &mut a, ID, REFUSED);
        if failing > 0 {
            a.limited_by.push(
                "no `key_hash` field: revoked keys and stale .env keys cannot be told apart by key history (auth.key_revoked, auth.env_override)"
                    .into(),
            );
            a.not_found = Some(NotFound::Unchecked(
                "no `key_hash` field: a revoked key is told by its history, and no answer says revoked".into(),
            ));
        }
    }
    a.finish(|| {
        if failing == 0 {
            "no 401 failures".into()
        } else {
            "no key succeeded until an instant and failed with 401s only since".into()
        }
    })
}

/// A key's history read as a revocation: its first 401, and the other failing statuses that
/// came after it (none: 401s only since).
pub struct Revocation {
    pub first_401: chrono::DateTime<chrono::Utc>,
    pub later: Vec<(u16, chrono::DateTime<chrono::Utc>)>,
}

/// Whether the key's history is a revocation: successes, all before its first 401. Returns the
/// first 401 and the other statuses after it, or why not.
pub fn revoked(key: &KeyHistory, min_prior: u64) -> Result<Revocation, String> {
    let shown = show_key(&key.key_hash);
    let first_401 = match key.failure_times.get(&REFUSED) {
        Some(t) => t.first,
        // A Summary without per-status times: the first failure is the best there is.
        None => key.first_failure.ok_or_else(|| format!("key {shown}: no 401"))?,
    };
    if key.successes == 0 || key.successes < min_prior {
        return Err(format!("key {shown} never succeeded in the window"));
    }
    match key.last_success {
        Some(ok) if ok < first_401 => {}
        _ => {
            return Err(format!("key {shown} succeeded after its first 401 ({}): not revoked", clock(key.last_success)))
        }
    }
    let later = key
        .failure_times
        .iter()
        .filter(|(st, span)| **st != REFUSED && span.last > first_401)
        .map(|(st, span)| (*st, span.last))
        .collect();
    Ok(Revocation { first_401, later })
}

fn key_claims(f: &Facts<'_>, a: &mut Assessment) {
    let min_prior = f.k.thresholds.detection.revoked_min_prior_successes;
    let min_failures = f.k.thresholds.detection.min_failures;
    for key in &f.s.keys {
        let count = key.failures.get(&REFUSED).copied().unwrap_or(0);
        if count == 0 {
            continue;
        }
        let shown = show_key(&key.key_hash);
        let samples = f.key_samples(REFUSED, &key.key_hash);
        let mut claim = Claim::new(Unit::Key(key.key_hash.clone()), Confidence::High);
        match revoked(key, min_prior) {
            Ok(r) => {
                let before: StatusCounts = key
                    .failures
                    .iter()
                    .filter(|(st, _)| **st != REFUSED && !r.later.iter().any(|(l, _)| l == *st))
                    .map(|(st, c)| (*st, *c))
                    .collect();
                let earlier = if before.is_empty() {
                    String::new()
                } else {
                    format!(" (its earlier {} came before the first 401 and do not matter)", statuses_text(&before))
                };
                claim.evidence.push(Item::new(
                    Kind::KeyHistory,
                    if r.later.is_empty() { Strength::Strong } else { Strength::Moderate },
                    format!(
                        "key {shown}: {} successes until {}, then {} × 401 from {} on and none succeeded since{earlier}",
                        n(key.successes),
                        clock(key.last_success),
                        n(count),
                        r.first_401.format("%H:%M:%S"),
                    ),
                ));
                if !r.later.is_empty() {
                    let later: Vec<String> =
                        r.later.iter().map(|(st, at)| format!("{st} (last at {})", clock(Some(*at)))).collect();
                    a.against.push(Item::new(
                        Kind::KeyHistory,
                        Strength::Moderate,
                        format!(
                            "key {shown} also failed with {} after its first 401: not 401s only (answered before the key was checked?)",
                            later.join(", ")
                        ),
                    ));
                    claim.confidence = Confidence::Medium;
                }
            }
            Err(why) => {
                if count >= min_failures && key.successes > 0 {
                    a.against.push(Item::new(Kind::KeyHistory, Strength::Strong, why));
                }
            }
        }
        if let Some((sig, m)) = key_answer(f, &samples, ID) {
            claim.evidence.push(Item::new(
                Kind::ApiWording,
                sig.def.strength,
                format!("key {shown}: {} × 401 answered \"{}\" (`{}`)", n(count), shorten(&m), sig.def.id),
            ));
        }
        if claim.evidence.is_empty() {
            continue;
        }
        claim.add(REFUSED, count);
        claim.span((key.failure_times.get(&REFUSED).map(|t| t.first).or(key.first_failure), key.last_failure));
        claim.samples = f.ids(samples);
        a.claims.push(claim);
    }
    a.checked.push(format!(
        "key-hash history of {} keys with 401s: last success against the first 401",
        f.s.keys.iter().filter(|k| k.failures.get(&REFUSED).is_some_and(|c| *c > 0)).count()
    ));
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::*;

    #[test]
    fn found_after_earlier_500s_and_404s_of_the_same_key() {
        let mut s = summary(900, &[(401, 120), (500, 2), (404, 3)], &["key_hash"]);
        key(&mut s, "sha256:rep00000", 300, Some((0, 59)), &[(500, 2, 31, 44), (404, 3, 52, 55), (401, 120, 60, 119)]);
        assert_eq!(claimed(ID, &s), counts(&[(401, 120)]));
        assert_eq!(strength(ID, &s), Some(Strength::Strong));
    }

    #[test]
    fn found_without_headers_or_bodies() {
        let mut s = summary(900, &[(401, 50)], &["key_hash"]);
        key(&mut s, "sha256:rep00000", 10, Some((0, 5)), &[(401, 50, 6, 40)]);
        assert_eq!(claimed(ID, &s), counts(&[(401, 50)]));
    }

    #[test]
    fn not_revoked_without_prior_success_or_with_a_success_at_the_onset() {
        let mut s = summary(900, &[(401, 50)], &["key_hash"]);
        key(&mut s, "sha256:new00000", 0, None, &[(401, 50, 6, 40)]);
        assert!(claimed(ID, &s).is_empty());
        let mut s = summary(900, &[(401, 50)], &["key_hash"]);
        key(&mut s, "sha256:ok000000", 3, Some((0, 6)), &[(401, 50, 6, 40)]);
        assert!(claimed(ID, &s).is_empty());
    }

    #[test]
    fn other_failures_after_the_first_401_weaken_it() {
        let mut s = summary(900, &[(401, 50), (429, 30)], &["key_hash"]);
        key(&mut s, "sha256:busy0000", 100, Some((0, 9)), &[(401, 50, 10, 40), (429, 30, 5, 60)]);
        let a = assessment(ID, &s);
        assert_eq!(a.claimed(), counts(&[(401, 50)]));
        assert_eq!(a.claims[0].strength(), Strength::Moderate);
        assert!(a.against.iter().any(|i| i.text.contains("429")), "{:?}", a.against);
    }

    #[test]
    fn not_revoked_when_it_succeeds_after_the_first_401() {
        let mut s = summary(900, &[(401, 50)], &["key_hash"]);
        key(&mut s, "sha256:cors0000", 500, Some((0, 99)), &[(401, 50, 20, 90)]);
        let a = assessment(ID, &s);
        assert!(a.claims.is_empty());
        assert!(a.against.iter().any(|i| i.text.contains("succeeded after")), "{:?}", a.against);
    }

    #[test]
    fn without_key_hashes_it_is_limited_not_ruled_out() {
        let mut s = summary(900, &[(401, 50)], &[]);
        message(&mut s, "invalid x-api-key", &[(401, 50)]);
        let a = assessment(ID, &s);
        assert!(matches!(a.not_found, Some(NotFound::Unchecked(_))), "{:?}", a.not_found);
    }
}
