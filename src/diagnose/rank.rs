//! Ranking: the layers' claims become causes, each failure attributed at most once.
//!
//! Claims are taken in layer order (validation, traffic, upstream — the order of the questions
//! in seed 000) and, within a layer, in the order the layer made them; each claim takes what is
//! still unexplained of its statuses. A cause left with fewer than `detection.min_failures`
//! failures is dropped and its failures return to "unexplained".

use std::collections::BTreeMap;

use super::layers::{all_layers, LayerOutcome};
use super::model::*;
use super::summary::{is_failure, StatusCounts, Summary};
use crate::knowledge::Knowledge;

/// The diagnosis of a Summary.
pub fn diagnose(s: &Summary, k: &Knowledge) -> Diagnosis {
    rank(s, k, all_layers(s, k))
}

/// Turns layer outcomes into a diagnosis.
pub fn rank(s: &Summary, k: &Knowledge, outcomes: Vec<LayerOutcome>) -> Diagnosis {
    let failures = s.failures();
    let mut remaining: StatusCounts = s.failures_by_status();
    let mut causes: Vec<CauseReport> = Vec::new();
    let mut layers = Vec::new();
    for outcome in outcomes {
        for claim in outcome.claims {
            let mut taken = StatusCounts::new();
            for (status, want) in &claim.by_status {
                let left = remaining.get(status).copied().unwrap_or(0);
                let got = (*want).min(left);
                if got > 0 {
                    taken.insert(*status, got);
                    remaining.insert(*status, left - got);
                }
            }
            let got: u64 = taken.values().sum();
            if got == 0 {
                continue;
            }
            match causes.iter_mut().find(|c| c.id == claim.cause) {
                Some(c) => {
                    for (st, n) in taken {
                        *c.by_status.entry(st).or_insert(0) += n;
                    }
                    c.failures += got;
                    c.confidence = c.confidence.max(claim.confidence);
                    c.evidence.facts.extend(claim.facts);
                    c.evidence.first = min_time(c.evidence.first, claim.first);
                    c.evidence.last = max_time(c.evidence.last, claim.last);
                    for id in claim.samples {
                        if !c.samples.contains(&id) && c.samples.len() < super::layers::SAMPLE_IDS {
                            c.samples.push(id);
                        }
                    }
                }
                None => {
                    let meta = k.cause(&claim.cause);
                    causes.push(CauseReport {
                        id: claim.cause.clone(),
                        title: meta.map(|m| m.title.clone()).unwrap_or_default(),
                        layer: meta.map_or(crate::knowledge::Layer::Status, |m| m.layer),
                        failures: got,
                        share: 0.0,
                        by_status: taken,
                        confidence: claim.confidence,
                        evidence: Evidence { facts: claim.facts, first: claim.first, last: claim.last },
                        actions: meta.map(|m| m.actions.iter().map(|a| k.render(a)).collect()).unwrap_or_default(),
                        samples: claim.samples,
                    });
                }
            }
        }
        layers.push(outcome.report);
    }
    // Too small to report: back to unexplained.
    let min = k.thresholds.detection.min_failures;
    let (kept, dropped): (Vec<CauseReport>, Vec<CauseReport>) = causes.into_iter().partition(|c| c.failures >= min);
    for c in &dropped {
        for (st, n) in &c.by_status {
            *remaining.entry(*st).or_insert(0) += n;
        }
        if let Some(l) = layers.iter_mut().find(|l| l.layer == c.layer) {
            l.ruled_out.push(format!("{}: only {} failures (below the {} reported)", c.id, c.failures, min));
            l.found.retain(|f| f != &c.id);
        }
    }
    let mut causes = kept;
    for c in &mut causes {
        c.share = share(c.failures, failures);
    }
    let order: BTreeMap<&str, usize> = k.causes.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    causes.sort_by(|a, b| b.failures.cmp(&a.failures).then(order.get(a.id.as_str()).cmp(&order.get(b.id.as_str()))));
    remaining.retain(|_, n| *n > 0);
    let unexplained_n: u64 = remaining.values().sum();
    Diagnosis {
        total_requests: s.total_requests,
        failures,
        failure_rate: share(failures, s.total_requests),
        window: s.window.clone(),
        skipped_lines: s.skipped.clone(),
        schema: s.schema.clone(),
        missing_fields: s.fields.missing.clone(),
        by_status: s.by_status.clone(),
        layers,
        causes,
        unexplained: Unexplained {
            failures: unexplained_n,
            share: share(unexplained_n, failures),
            by_status: remaining,
        },
        minutes: s
            .minutes
            .iter()
            .map(|m| MinutePoint {
                start: m.start,
                requests: m.requests,
                failures: m.failures.iter().filter(|(st, _)| is_failure(**st)).map(|(_, n)| n).sum(),
            })
            .collect(),
        partial: None,
    }
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0
    }
}

fn min_time(
    a: Option<chrono::DateTime<chrono::Utc>>,
    b: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_time(
    a: Option<chrono::DateTime<chrono::Utc>>,
    b: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}
