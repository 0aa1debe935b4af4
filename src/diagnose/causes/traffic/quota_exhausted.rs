//! traffic.quota_exhausted: the monthly quota, a spend limit or the prepaid credits ran out.
//!
//! For: the wording (429 `enforced_spend_limit_reached` / `You have reached your API usage
//! limits`, 400 `…specified API usage limits`, 400 `Your credit balance is too low`, LiteLLM's
//! `Budget has been exceeded`: decisive); otherwise the shape: from an onset on nearly every
//! request fails with 429, continuously, with concurrency never above the cap. Tokens against
//! `quota.monthly_tokens` when it is set. A generic wording (`Rate limited`) decides nothing.

use super::super::client::{confidence, wording};
use super::super::reading::{n, pct, share, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, Strength, Unit};
use super::{undecided_split, THROTTLED};
use crate::diagnose::model::Confidence;

pub const ID: &str = "traffic.quota_exhausted";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let t = &f.k.thresholds;
    let cap = t.rate_limit.baseline_concurrency;
    let statuses = f.statuses(ID);
    let p = f.pattern().clone();

    for &status in &statuses {
        for (message, count) in f.message_groups(status) {
            let Some(sig) = f.signature(message, ID) else { continue };
            let mut claim = Claim::new(Unit::Message(message.to_string()), confidence(sig.def.strength))
                .with(wording(status, count, sig, message));
            claim.add(status, count);
            claim.span(f.span_of(&[status]));
            claim.samples = f.ids(f.message_samples(status, message));
            a.claims.push(claim);
        }
    }

    let (quota_part, _) = undecided_split(f);
    if quota_part > 0 {
        let known = f.s.has_field("concurrency");
        let mut claim = Claim::new(Unit::Other, if known { Confidence::High } else { Confidence::Medium });
        claim.evidence.push(Item::new(
            Kind::TimeShape,
            Strength::Moderate,
            format!(
                "{} × 429 without a wording that decides fall in the continuous stretch: from {} on {} of the minutes \
                 failed at ≥ {} of requests",
                n(quota_part),
                p.quota_onset.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                share(p.quota_saturated_share),
                share(t.detection.continuous_failure_rate),
            ),
        ));
        if known {
            claim.evidence.push(Item::new(
                Kind::Concurrency,
                Strength::Strong,
                format!(
                    "concurrency above the cap of {cap} in {} of the stretch's {} minutes (highest {}): they failed \
                     whatever the load",
                    n(p.stretch_minutes_above_cap),
                    n(p.stretch_minutes),
                    p.stretch_peak_concurrency.map_or("unknown".into(), n)
                ),
            ));
        }
        claim.add(THROTTLED, quota_part);
        claim.span(f.span_of(&[THROTTLED]));
        a.claims.push(claim);
    }
    if !a.claims.is_empty() {
        let used = f.s.tokens.input + f.s.tokens.output;
        if t.quota.monthly_tokens > 0 {
            if let Some(c) = a.claims.first_mut() {
                c.evidence.push(Item::new(
                    Kind::Payload,
                    Strength::Moderate,
                    format!(
                        "{} tokens in the window = {} of the monthly quota of {}",
                        n(used),
                        pct(used, t.quota.monthly_tokens),
                        n(t.quota.monthly_tokens)
                    ),
                ));
            }
        } else {
            a.limited_by.push("quota.monthly_tokens is not set (faultline.toml [thresholds.quota]): token use cannot be compared with the quota".into());
        }
    }
    if p.quota_onset.is_some() && !p.hard_stop() {
        a.against.push(Item::new(
            Kind::Concurrency,
            Strength::Strong,
            format!(
                "the continuous stretch of 429s ran at concurrency above the cap of {cap} in {} of its {} minutes: the load saturated the limit",
                n(p.stretch_minutes_above_cap),
                n(p.stretch_minutes)
            ),
        ));
    }
    if p.hard_stop() && quota_part > 0 && !f.s.has_field("concurrency") {
        a.limited_by.push(
            "no `concurrency` field: the continuous stretch cannot be checked against the concurrency cap".into(),
        );
    }
    let total = f.failing(&statuses);
    a.finish(|| {
        if total == 0 {
            "no 429/400 failures".into()
        } else if p.quota_onset.is_none() {
            "no quota, spend-limit or credit-balance wording, and no continuous stretch of 429s".into()
        } else if !p.hard_stop() {
            format!(
                "no quota, spend-limit or credit-balance wording, and the continuous 429s ran at concurrency above {cap}: the load saturated the limit"
            )
        } else {
            "no quota, spend-limit or credit-balance wording, and every 429 has a wording that names its limit".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::super::tests::minutes;
    use super::*;

    #[test]
    fn found_from_spend_cap_and_credit_wordings() {
        let mut s = minutes(&[(10, 5, 300), (10, 5, 300)]);
        message(
            &mut s,
            "You have reached your API usage limits (error_code: enforced_spend_limit_reached)",
            &[(429, 10)],
        );
        assert_eq!(claimed(ID, &s), counts(&[(429, 10)]));
        let mut s = summary(100, &[(400, 50)], &[]);
        message(&mut s, "Your credit balance is too low to access the Anthropic API.", &[(400, 50)]);
        assert_eq!(claimed(ID, &s), counts(&[(400, 50)]));
        assert_eq!(strength(ID, &s), Some(Strength::Decisive));
    }

    #[test]
    fn found_from_a_continuous_stretch_below_the_cap_under_generic_wording() {
        let mut m = vec![(10, 0, 20); 20];
        m.extend(vec![(10, 10, 40); 20]);
        let mut s = minutes(&m);
        message(&mut s, "Rate limited", &[(429, 200)]);
        assert_eq!(claimed(ID, &s), counts(&[(429, 200)]));
        assert_eq!(strength(ID, &s), Some(Strength::Strong));
    }

    #[test]
    fn bursts_or_a_stretch_above_the_cap_do_not_trigger() {
        let s = minutes(&[(10, 0, 20), (10, 10, 300), (10, 0, 20), (10, 10, 300), (10, 0, 20)]);
        assert!(claimed(ID, &s).is_empty());
        let mut m = vec![(10, 0, 20); 10];
        m.extend(vec![(10, 10, 300); 10]);
        let a = assessment(ID, &minutes(&m));
        assert!(a.claims.is_empty());
        assert!(!a.against.is_empty());
    }
}
