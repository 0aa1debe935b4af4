//! traffic.rate_limit: short-term throttling (requests or tokens per minute).
//!
//! For: a 429 wording that names the per-minute limit (decisive); otherwise the shape: 429s in
//! bursts with concurrency above the cap (`rate_limit.baseline_concurrency`) and successes
//! between them, or a continuous stretch run above the cap. A generic wording (`Rate limited`)
//! decides nothing. Against: a continuous stretch from an onset with concurrency never above the
//! cap (a hard stop: the quota).

use super::super::client::{confidence, wording};
use super::super::reading::{n, shorten, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, Strength, Unit};
use super::{generic_groups, undecided_split, worded, THROTTLED};
use crate::diagnose::model::Confidence;

pub const ID: &str = "traffic.rate_limit";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let cap = f.k.thresholds.rate_limit.baseline_concurrency;
    let total = f.s.by_status.get(&THROTTLED).copied().unwrap_or(0);
    let p = f.pattern().clone();
    let shape = |claim: &mut Claim| {
        if p.burst_minutes == 0 {
            return;
        }
        claim.evidence.push(Item::new(
            Kind::TimeShape,
            Strength::Moderate,
            format!(
                "429s in {} minutes; {} requests succeeded inside them: throttling, not a hard stop",
                n(p.burst_minutes),
                n(p.successes_in_429_minutes)
            ),
        ));
        if f.s.has_field("concurrency") {
            let above = p.burst_minutes_above_cap * 2 >= p.burst_minutes.max(1);
            claim.evidence.push(Item::new(
                Kind::Concurrency,
                if above { Strength::Strong } else { Strength::Weak },
                format!(
                    "in {} of those minutes concurrency peaked above the cap of {cap} (highest {})",
                    n(p.burst_minutes_above_cap),
                    p.peak_concurrency.map_or("unknown".into(), n)
                ),
            ));
        }
    };

    // Wordings that name the per-minute limit.
    for (message, count) in f.message_groups(THROTTLED) {
        let Some(sig) = f.signature(message, ID) else { continue };
        let mut claim = Claim::new(Unit::Message(message.to_string()), confidence(sig.def.strength))
            .with(wording(THROTTLED, count, sig, message));
        claim.add(THROTTLED, count);
        claim.span(f.span_of(&[THROTTLED]));
        claim.samples = f.ids(f.message_samples(THROTTLED, message));
        a.claims.push(claim);
    }
    if let Some(first) = a.claims.first_mut() {
        shape(first);
    }

    // What no wording decides: the shape.
    let (_, rate_part) = undecided_split(f);
    if rate_part > 0 {
        let above = f.s.has_field("concurrency") && p.burst_minutes_above_cap * 2 >= p.burst_minutes.max(1);
        let mut claim = Claim::new(Unit::Other, if above { Confidence::Medium } else { Confidence::Low });
        claim.evidence.push(Item::new(
            Kind::TimeShape,
            Strength::Moderate,
            if p.quota_onset.is_some() && !p.hard_stop() {
                format!(
                    "{} × 429 without a wording that names the limit, in minutes run at concurrency above the cap \
                     of {cap}: the load saturated the limit",
                    n(rate_part)
                )
            } else {
                format!("{} × 429 without a wording that names the limit fall in bursts", n(rate_part))
            },
        ));
        shape(&mut claim);
        if p.quota_onset.is_some() && !p.hard_stop() {
            claim.evidence.push(Item::new(
                Kind::Concurrency,
                Strength::Strong,
                format!(
                    "the continuous stretch ran above the cap of {cap} in {} of its {} minutes (highest {})",
                    n(p.stretch_minutes_above_cap),
                    n(p.stretch_minutes),
                    p.stretch_peak_concurrency.map_or("unknown".into(), n)
                ),
            ));
        }
        claim.add(THROTTLED, rate_part);
        claim.span(f.span_of(&[THROTTLED]));
        a.claims.push(claim);
    }
    if p.hard_stop() && p.quota_429 > 0 {
        a.against.push(Item::new(
            Kind::TimeShape,
            Strength::Strong,
            format!(
                "from {} on nearly every request failed with concurrency above the cap of {cap} in only {} of {} minutes: a hard stop, not throttling",
                p.quota_onset.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                n(p.stretch_minutes_above_cap),
                n(p.stretch_minutes)
            ),
        ));
    }

    if total > 0 {
        a.checked.push(format!("{} of {} 429s carry a wording that names their limit", n(worded(f)), n(total)));
        let generic = generic_groups(f);
        if let Some((m, _)) = generic.first() {
            let c: u64 = generic.iter().map(|(_, c)| c).sum();
            a.checked.push(format!(
                "{} × 429 answered only \"{}\": a wording that names no limit decides nothing; the shape of time does",
                n(c),
                shorten(m)
            ));
        }
        a.checked.push(p.describe(cap));
        if !f.s.has_field("concurrency") {
            a.limited_by.push("no `concurrency` field: 429 minutes cannot be compared with the concurrency cap".into());
        }
    }
    a.finish(|| {
        if total == 0 {
            "no 429 failures".into()
        } else if p.hard_stop() {
            format!(
                "no wording names a per-minute limit, and the 429s fall in one continuous stretch from {} with concurrency above {cap} in only {} of its {} minutes",
                p.quota_onset.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                n(p.stretch_minutes_above_cap),
                n(p.stretch_minutes)
            )
        } else {
            "no wording names a per-minute limit, and no 429 is left to the shape of time".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::super::tests::minutes;
    use super::*;

    #[test]
    fn found_from_the_wording_that_names_the_limit() {
        let mut s = minutes(&[(10, 5, 300), (10, 5, 300)]);
        message(
            &mut s,
            "This request would exceed your organization's rate limit of 30,000 input tokens per minute",
            &[(429, 10)],
        );
        assert_eq!(claimed(ID, &s), counts(&[(429, 10)]));
        assert_eq!(strength(ID, &s), Some(Strength::Decisive));
    }

    #[test]
    fn found_from_generic_wording_on_bursts_above_the_cap() {
        let mut s = minutes(&[(10, 0, 20), (10, 5, 101), (10, 0, 20), (10, 5, 101), (10, 0, 20)]);
        message(&mut s, "Too Many Requests", &[(429, 10)]);
        let a = assessment(ID, &s);
        assert_eq!(a.claimed(), counts(&[(429, 10)]));
        assert_eq!(a.claims[0].confidence, Confidence::Medium);
        assert_eq!(a.claims[0].strength(), Strength::Strong);
        // At exactly the cap: still bursts, weakly.
        let s = minutes(&[(10, 0, 20), (10, 5, 100), (10, 0, 20), (10, 5, 100), (10, 0, 20)]);
        assert_eq!(assessment(ID, &s).claims[0].confidence, Confidence::Low);
    }

    #[test]
    fn a_continuous_stretch_below_the_cap_does_not_trigger_whatever_the_generic_wording() {
        let mut m = vec![(10, 0, 20); 20];
        m.extend(vec![(10, 10, 40); 20]);
        let mut s = minutes(&m);
        message(&mut s, "Rate limited", &[(429, 200)]);
        let a = assessment(ID, &s);
        assert!(a.claims.is_empty(), "{:?}", a.claims);
        assert!(!a.against.is_empty());
        let ruled = match &a.not_found {
            Some(super::super::super::NotFound::RuledOut(r)) => r.clone(),
            other => panic!("{other:?}"),
        };
        assert!(!ruled.contains("no continuous stretch"), "{ruled}");
    }
}
