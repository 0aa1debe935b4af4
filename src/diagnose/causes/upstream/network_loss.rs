//! upstream.network_loss: packets lost on a long route (5xx with connection resets).
//!
//! For: failures carrying a network error (`network_error`: `ECONNRESET` …) concentrated in one
//! region (`latency.region_concentration`) whose P99 latency is above `latency.network_p99_ms`;
//! without a `network_error` field, the resets the error messages name (`read ECONNRESET`,
//! Envoy's `reset reason: connection termination`). Against: resets spread over every region
//! at normal latency (stale keep-alive connections reset at once: not the route).

use super::super::reading::{n, share, statuses_text, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, NotFound, Strength, Unit};
use crate::diagnose::model::Confidence;
use crate::diagnose::summary::{Breakdown, StatusCounts};

pub const ID: &str = "upstream.network_loss";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let t = &f.k.thresholds.latency;
    let statuses = f.statuses(ID);
    let any = f.failing(&statuses);
    let server_failures: u64 = f.s.by_status.iter().filter(|(st, _)| **st >= 500).map(|(_, c)| c).sum();
    let pick = |m: &StatusCounts| -> StatusCounts {
        statuses.iter().filter_map(|st| m.get(st).filter(|c| **c > 0).map(|c| (*st, *c))).collect()
    };

    // Regional P99s, for the trace.
    if !f.s.latency_by_region.is_empty() && server_failures > 0 {
        let slow: Vec<String> =
            f.s.latency_by_region
                .iter()
                .filter(|(_, p)| p.p99 > t.network_p99_ms)
                .map(|(r, p)| format!("{r} ({:.1} s)", p.p99 / 1000.0))
                .collect();
        a.checked.push(if slow.is_empty() {
            format!("no region has a P99 latency above {:.0} s", t.network_p99_ms / 1000.0)
        } else {
            format!("P99 latency above {:.0} s in: {}", t.network_p99_ms / 1000.0, slow.join(", "))
        });
    }
    for (field, what) in
        [("latency", "P99 latency per region is unknown"), ("region", "failures cannot be located by region")]
    {
        if !f.s.has_field(field) && server_failures > 0 {
            a.limited_by.push(format!("no `{field}` field: {what} (upstream.network_loss)"));
        }
    }

    // The failures with a reset, and how they spread over regions.
    // The records the network answered: a `network_error` value, or the hop `network`.
    let counted = f.s.has_field("network_error") || !f.s.network_errors.by_status.is_empty();
    let (resets, by_region, how): (StatusCounts, &Breakdown, String) = if counted {
        // (Logged values arrive masked: the command runs `Summary::mask_logged_fields`.)
        let errors: Vec<String> = f.s.network_errors.by_error.iter().map(|(e, c)| format!("{e} × {}", n(*c))).collect();
        (
            pick(&f.s.network_errors.by_status),
            &f.s.network_errors.by_region,
            format!("carry a network error ({})", errors.join(", ")),
        )
    } else {
        let mut worded = StatusCounts::new();
        let mut ids = Vec::new();
        for &st in &statuses {
            for (message, count) in f.message_groups(st) {
                if let Some(sig) = f.signature(message, ID) {
                    *worded.entry(st).or_insert(0) += count;
                    if !ids.contains(&sig.def.id.as_str()) {
                        ids.push(sig.def.id.as_str());
                    }
                }
            }
        }
        if server_failures > 0 && !worded.is_empty() {
            a.limited_by.push(
                "no `network_error` field: connection resets are read from the error messages, their regions from all failures of those statuses".into(),
            );
        }
        if worded.is_empty() && server_failures > 0 {
            a.not_found = Some(NotFound::Unchecked(
                "no `network_error` field and no error message names a reset: connection resets cannot be counted"
                    .into(),
            ));
        }
        let how = format!("name a reset in their error message (`{}`)", ids.join("`, `"));
        (worded, &f.s.by_region, how)
    };
    let total: u64 = resets.values().sum();
    if total == 0 {
        return a.finish(|| {
            if any == 0 {
                "no 502/503/504/524 failures".into()
            } else {
                "no failure carries a network error".into()
            }
        });
    }
    a.checked.push(format!("{} failures {how}", n(total)));
    let region_failures =
        |b: &crate::diagnose::summary::Bucket| -> u64 { statuses.iter().filter_map(|st| b.by_status.get(st)).sum() };
    let all_in_regions: u64 = by_region.top.iter().map(region_failures).sum::<u64>()
        + statuses.iter().filter_map(|st| by_region.other.get(st)).sum::<u64>()
        + statuses.iter().filter_map(|st| by_region.missing.get(st)).sum::<u64>();
    let top = by_region.top.iter().max_by_key(|b| region_failures(b));
    let region_share = top.map_or(0.0, |b| region_failures(b) as f64 / all_in_regions.max(1) as f64);
    let concentrated = top.filter(|_| region_share >= t.region_concentration);
    let p99 = |r: &str| f.s.latency_by_region.get(r).map(|p| p.p99);
    let any_slow = f.s.latency_by_region.values().any(|p| p.p99 > t.network_p99_ms);
    let mut claim = Claim::new(Unit::Other, Confidence::High);
    let regions_logged = f.s.has_field("region") && !by_region.top.is_empty();
    match concentrated {
        // The log says the network answered, and not where: the route cannot be checked, the
        // answer itself is the evidence (absence of regions is not evidence of a spread).
        _ if !regions_logged => {
            claim.evidence.push(Item::new(
                Kind::Latency,
                Strength::Moderate,
                format!(
                    "{} failures {how}; no region is logged, so whether one route is lossy cannot be checked",
                    n(total)
                ),
            ));
            claim.confidence = Confidence::Medium;
            claim.by_status = resets.clone();
        }
        Some(b) => {
            let claimed: StatusCounts = statuses
                .iter()
                .filter_map(|st| {
                    let c = b.by_status.get(st).copied().unwrap_or(0).min(resets.get(st).copied().unwrap_or(0));
                    (c > 0).then_some((*st, c))
                })
                .collect();
            let slow = p99(&b.value).is_some_and(|p| p > t.network_p99_ms);
            claim.evidence.push(Item::new(
                Kind::Latency,
                if slow { Strength::Strong } else { Strength::Moderate },
                format!(
                    "{} of the failures that {how} come from region `{}` ({})",
                    share(region_share),
                    b.value,
                    statuses_text(&claimed)
                ),
            ));
            if let Some(p) = p99(&b.value) {
                claim.evidence.push(Item::new(
                    Kind::Latency,
                    if slow { Strength::Strong } else { Strength::Weak },
                    format!(
                        "P99 latency in that region: {:.1} s (mark: {:.0} s)",
                        p / 1000.0,
                        t.network_p99_ms / 1000.0
                    ),
                ));
            }
            claim.confidence = if slow { Confidence::High } else { Confidence::Medium };
            claim.by_status = claimed;
            let region = b.value.clone();
            claim.samples = f.ids((0..f.s.samples.len()).filter(|&i| {
                let x = f.sample(i);
                statuses.contains(&x.status) && x.region.as_deref() == Some(region.as_str())
            }));
        }
        None if any_slow => {
            claim.evidence.push(Item::new(
                Kind::Latency,
                Strength::Weak,
                format!(
                    "the failures that {how} are spread over regions (top region holds {}, below the {} concentration mark); some region's P99 is above {:.0} s",
                    share(region_share),
                    share(t.region_concentration),
                    t.network_p99_ms / 1000.0
                ),
            ));
            claim.confidence = Confidence::Low;
            claim.by_status = resets.clone();
        }
        None => {
            a.against.push(Item::new(
                Kind::Latency,
                Strength::Strong,
                format!(
                    "the {} failures that {how} are spread over every region (top region {}) at normal latency: not a lossy route (stale connections reset at once?)",
                    n(total),
                    share(region_share)
                ),
            ));
        }
    }
    claim.span(f.span_of(&claim.by_status.keys().copied().collect::<Vec<_>>()));
    if !claim.by_status.is_empty() {
        a.claims.push(claim);
    }
    a.finish(|| {
        format!(
            "the {} failures with a reset are spread over every region (top region {}) and no region's P99 is above {:.0} s",
            n(total),
            share(region_share),
            t.network_p99_ms / 1000.0
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::*;
    use crate::diagnose::summary::{Bucket, Percentiles, Summary};

    fn lossy(in_region: u64, elsewhere: u64, p99: f64) -> Summary {
        let total = in_region + elsewhere;
        let mut s = summary(100, &[(502, total)], &["network_error", "region", "latency"]);
        s.network_errors.by_status = counts(&[(502, total)]);
        s.network_errors.by_error.insert("ECONNRESET".into(), total);
        s.network_errors.by_region.top = vec![
            Bucket { value: "ap-south-1".into(), by_status: counts(&[(502, in_region)]) },
            Bucket { value: "us-east-1".into(), by_status: counts(&[(502, elsewhere)]) },
        ];
        s.latency_by_region
            .insert("ap-south-1".into(), Percentiles { count: total, p50: 900.0, p90: 5000.0, p99, max: p99 });
        s
    }

    #[test]
    fn found_concentrated_and_slow_or_concentrated_only() {
        let a = assessment(ID, &lossy(60, 40, 12_001.0));
        assert_eq!((a.claimed(), a.claims[0].confidence), (counts(&[(502, 60)]), Confidence::High));
        let a = assessment(ID, &lossy(60, 40, 12_000.0));
        assert_eq!((a.claimed(), a.claims[0].confidence), (counts(&[(502, 60)]), Confidence::Medium));
        let a = assessment(ID, &lossy(59, 41, 20_000.0));
        assert_eq!((a.claimed(), a.claims[0].confidence), (counts(&[(502, 100)]), Confidence::Low));
    }

    #[test]
    fn found_from_reset_wordings_without_a_network_error_field() {
        let mut s = summary(900, &[(502, 40), (503, 30)], &["region", "latency"]);
        message(&mut s, "read ECONNRESET", &[(502, 40)]);
        message(
            &mut s,
            "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
            &[(503, 30)],
        );
        s.by_region.top =
            vec![Bucket { value: "ap-southeast-1".into(), by_status: counts(&[(200, 100), (502, 40), (503, 30)]) }];
        s.latency_by_region.insert(
            "ap-southeast-1".into(),
            Percentiles { count: 170, p50: 900.0, p90: 9000.0, p99: 21_000.0, max: 26_000.0 },
        );
        let a = assessment(ID, &s);
        assert_eq!(a.claimed(), counts(&[(502, 40), (503, 30)]));
        assert!(a.limited_by.iter().any(|l| l.contains("network_error")));
    }

    #[test]
    fn resets_everywhere_at_normal_latency_do_not_trigger() {
        let mut s = lossy(30, 30, 900.0);
        s.network_errors.by_region.top.push(Bucket { value: "eu-west-1".into(), by_status: counts(&[(502, 30)]) });
        s.by_status = counts(&[(200, 100), (502, 90)]);
        s.network_errors.by_status = counts(&[(502, 90)]);
        let a = assessment(ID, &s);
        assert!(a.claims.is_empty());
        assert!(!a.against.is_empty());
    }

    #[test]
    fn without_any_reset_evidence_it_is_unchecked() {
        let mut s = summary(900, &[(503, 30)], &["region"]);
        message(&mut s, "Service Unavailable", &[(503, 30)]);
        assert!(matches!(assessment(ID, &s).not_found, Some(NotFound::Unchecked(_))));
    }

    #[test]
    fn a_key_logged_as_a_network_error_is_masked() {
        // Found by fuzzing (fuzz/corpus/logs/planted-every-field.ndjson): the detector quoted
        // each `network_error` value as logged. Logged values are masked once, where the
        // command gathers the Summary (`Summary::mask_logged_fields`); the detector shows them.
        let key = "sk-ant-api03-FUZZfuzzFUZZ0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-AbCdEfAA";
        let mut s = summary(100, &[(502, 3)], &["network_error"]);
        s.network_errors.by_status = counts(&[(502, 3)]);
        s.network_errors.by_error.insert(format!("ECONNRESET {key}"), 3);
        s.mask_logged_fields();
        let shown = format!("{:?}", crate::diagnose::causes::assess(ID, &s, knowledge()));
        assert!(shown.contains("ECONNRESET sk-ant-api03-… sha256:"), "{shown}");
        assert!(!shown.contains(&key[20..]), "{shown}");
    }
}
