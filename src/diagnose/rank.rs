//! The one attribution step: every failure to at most one cause, by the strongest and most
//! specific evidence.
//!
//! Every detector's claims (and the answers no cause explains, [`causes::known_answers`]) are
//! taken in one order: strongest evidence first (decisive, strong, moderate, weak); among equals
//! the most specific kind of evidence (the failure's own answer, then lint of the request, the
//! key's history, who answered, the request's size, latency by region, environment,
//! concurrency, the shape of time); then the narrower unit (a message group, a key, anything
//! else); last, rules/causes.toml's order, so the result never depends on chance. Each claim
//! takes what is still unexplained of its statuses — and of its message group or key, which two
//! claims can only share. Where a claim loses failures to another, the report says so in one
//! line (`LayerReport::conflicts`). A cause left with fewer than `detection.min_failures`
//! failures is dropped and its failures return to "unexplained". The four layers are the order of
//! the walk and the report, not a priority of claims.

use std::collections::{BTreeMap, HashMap};

use super::causes::{self, Assessment, Claim, Facts, Unit};
use super::layers;
use super::model::*;
use super::summary::{is_failure, StatusCounts, Summary};
use crate::knowledge::{thousands as n, Knowledge, Layer};

/// The diagnosis of a Summary.
pub fn diagnose(s: &Summary, k: &Knowledge) -> Diagnosis {
    let facts = Facts::new(s, k);
    let assessments = causes::assess_all(&facts);
    let known = causes::known_answers(&facts);
    attribute(s, k, &assessments, &known)
}

/// One claim in the attribution order: whose it is (`None`: an answer no cause explains).
struct Entry<'a> {
    cause: Option<usize>,
    claim: &'a Claim,
}

/// What the attribution gave each claim, and who took what a claim lost.
struct Outcome {
    /// Per entry: failures taken, by status.
    taken: Vec<StatusCounts>,
    /// (loser entry, winner entry, failures lost).
    conflicts: Vec<(usize, usize, u64)>,
    remaining: StatusCounts,
}

fn run(s: &Summary, entries: &[Entry<'_>]) -> Outcome {
    let mut remaining: StatusCounts = s.failures_by_status();
    let mut unit_left: HashMap<(&Unit, u16), u64> = HashMap::new();
    let mut taken: Vec<StatusCounts> = vec![StatusCounts::new(); entries.len()];
    let mut conflicts: Vec<(usize, usize, u64)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let exclusive = !matches!(e.claim.unit, Unit::Other);
        let mut lost: BTreeMap<usize, u64> = BTreeMap::new();
        for (&st, &want) in &e.claim.by_status {
            let left = remaining.get(&st).copied().unwrap_or(0);
            let unit = exclusive.then(|| *unit_left.entry((&e.claim.unit, st)).or_insert(want));
            let got = want.min(left).min(unit.unwrap_or(u64::MAX));
            if got > 0 {
                taken[i].insert(st, got);
                remaining.insert(st, left - got);
                if let Some(u) = unit {
                    unit_left.insert((&e.claim.unit, st), u - got);
                }
            }
            if got < want {
                // The winner: who took most of this status before, on the same unit first.
                let winner = (0..i)
                    .filter(|&j| entries[j].cause != e.cause && taken[j].get(&st).is_some_and(|c| *c > 0))
                    .max_by_key(|&j| (exclusive && entries[j].claim.unit == e.claim.unit, taken[j].get(&st).copied()));
                if let Some(j) = winner {
                    *lost.entry(j).or_insert(0) += want - got;
                }
            }
        }
        for (j, l) in lost {
            conflicts.push((i, j, l));
        }
    }
    Outcome { taken, conflicts, remaining }
}

/// Turns the assessments into a diagnosis.
pub fn attribute(s: &Summary, k: &Knowledge, assessments: &[Assessment], known: &[Claim]) -> Diagnosis {
    let order: HashMap<&str, usize> = k.causes.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let rank_of =
        |a: Option<usize>| a.map_or(0, |i| 1 + order.get(assessments[i].cause).copied().unwrap_or(usize::MAX - 1));
    let mut entries: Vec<Entry<'_>> = known.iter().map(|claim| Entry { cause: None, claim }).collect();
    for (i, a) in assessments.iter().enumerate() {
        entries.extend(a.claims.iter().map(|claim| Entry { cause: Some(i), claim }));
    }
    entries.sort_by_cached_key(|e| {
        (
            std::cmp::Reverse(e.claim.strength()),
            e.claim.lead().map_or(u8::MAX, |l| l.kind.specificity()),
            e.claim.unit.specificity(),
            rank_of(e.cause),
        )
    });
    let outcome = run(s, &entries);
    let min = k.thresholds.detection.min_failures;
    let failures = s.failures();

    // Per cause: what its claims took.
    let mut reports: Vec<(usize, CauseReport)> = Vec::new();
    for (ai, a) in assessments.iter().enumerate() {
        let mut by_status = StatusCounts::new();
        let mut evidence = Evidence::default();
        let mut confidence = Confidence::Low;
        let mut samples: Vec<String> = Vec::new();
        let mut tallies: Vec<(String, usize, u64)> = Vec::new();
        for (ei, e) in entries.iter().enumerate().filter(|(_, e)| e.cause == Some(ai)) {
            let got = &outcome.taken[ei];
            if got.values().sum::<u64>() == 0 {
                continue;
            }
            for (st, c) in got {
                *by_status.entry(*st).or_insert(0) += c;
            }
            confidence = confidence.max(e.claim.confidence);
            for item in &e.claim.evidence {
                if let Some(t) = &item.tally {
                    match tallies.iter_mut().find(|(key, _, _)| key == &t.key) {
                        Some((_, at, sum)) => {
                            *sum += t.count;
                            let text = causes::Tally { count: *sum, ..t.clone() }.text();
                            evidence.facts[*at] = text.clone();
                            evidence.items[*at].text = text;
                        }
                        None => {
                            tallies.push((t.key.clone(), evidence.facts.len(), t.count));
                            push_item(&mut evidence, Side::For, item);
                        }
                    }
                } else if !evidence.facts.contains(&item.text) {
                    push_item(&mut evidence, Side::For, item);
                }
            }
            evidence.first = min_time(evidence.first, e.claim.first);
            evidence.last = max_time(evidence.last, e.claim.last);
            for id in &e.claim.samples {
                if !samples.contains(id) && samples.len() < causes::reading::SAMPLE_IDS {
                    samples.push(id.clone());
                }
            }
        }
        let got: u64 = by_status.values().sum();
        if got == 0 {
            continue;
        }
        (evidence.first, evidence.last) = cause_range(evidence.first, evidence.last, s.window.last);
        for item in &a.against {
            push_item(&mut evidence, Side::Against, item);
        }
        let meta = k.cause(a.cause);
        reports.push((
            ai,
            CauseReport {
                id: a.cause.to_string(),
                title: meta.map(|m| m.title.clone()).unwrap_or_default(),
                layer: meta.map_or(Layer::Status, |m| m.layer),
                failures: got,
                share: share(got, failures),
                by_status,
                confidence,
                evidence,
                actions: meta.map(|m| m.actions.iter().map(|x| k.render(x)).collect()).unwrap_or_default(),
                samples,
            },
        ));
    }

    // What no cause explains stays unexplained, whether an answer says why or not.
    let mut remaining = outcome.remaining.clone();
    for (i, _) in entries.iter().enumerate().filter(|(_, e)| e.cause.is_none()) {
        for (st, c) in &outcome.taken[i] {
            *remaining.entry(*st).or_insert(0) += c;
        }
    }
    // Too small to report: back to unexplained.
    let mut dropped: Vec<(usize, u64)> = Vec::new();
    reports.retain(|(ai, c)| {
        if c.failures >= min {
            return true;
        }
        for (st, n) in &c.by_status {
            *remaining.entry(*st).or_insert(0) += n;
        }
        dropped.push((*ai, c.failures));
        false
    });

    // Conflicts, one line per (loser, winner) pair of causes, where enough was lost.
    let name = |e: &Entry<'_>| e.cause.map_or("", |i| assessments[i].cause);
    let mut lines: BTreeMap<(usize, usize), (u64, usize, usize)> = BTreeMap::new();
    for &(loser, winner, lost) in &outcome.conflicts {
        let Some(l) = entries[loser].cause else { continue };
        let w = entries[winner].cause.map_or(usize::MAX, |i| i);
        let e = lines.entry((l, w)).or_insert((0, loser, winner));
        e.0 += lost;
    }
    let mut conflicts: Vec<(usize, String)> = Vec::new();
    for ((l, w), (lost, loser, winner)) in lines {
        if lost < min {
            continue;
        }
        let lead = |i: usize| entries[i].claim.lead().map(|x| x.text.clone()).unwrap_or_default();
        let to = if w == usize::MAX {
            format!("none of the causes: {} failures stay unexplained", n(lost))
        } else {
            format!("{} failures go to {}", n(lost), name(&entries[winner]))
        };
        let line = format!("{}: {}, but {} — {to}", assessments[l].cause, lead(loser), lead(winner));
        if let Some((_, c)) = reports.iter_mut().find(|(ai, _)| *ai == l) {
            c.evidence.against.push(line.clone());
        }
        conflicts.push((l, line));
    }

    // The report of each layer.
    let kept: Vec<&str> = reports.iter().map(|(_, c)| c.id.as_str()).collect();
    let mut layer_reports = vec![layers::status_layer(s, k, &known_taken(&entries, &outcome))];
    for layer in [Layer::Validation, Layer::Traffic, Layer::Upstream] {
        layer_reports.push(layers::layer_report(
            k,
            layer,
            assessments,
            &kept,
            &dropped,
            &conflicts,
            &claimed_any(assessments),
        ));
    }

    let mut causes: Vec<CauseReport> = reports.into_iter().map(|(_, c)| c).collect();
    causes.sort_by(|a, b| b.failures.cmp(&a.failures).then(order.get(a.id.as_str()).cmp(&order.get(b.id.as_str()))));
    remaining.retain(|_, n| *n > 0);
    let unexplained_n: u64 = remaining.values().sum();
    let mut notes = Vec::new();
    if s.total_requests == 0 && s.skipped.outside_window > 0 {
        notes.push(nothing_in_window_note(s.skipped.outside_window));
    }
    if s.bucket_width() > 1 && s.total_requests > 0 {
        notes.push(bucket_width_note(s.bucket_width()));
    }
    Diagnosis {
        version: JSON_VERSION,
        notes,
        total_requests: s.total_requests,
        failures,
        failure_rate: share(failures, s.total_requests),
        window: s.window.clone(),
        skipped_lines: s.skipped.clone(),
        schema: s.schema.clone(),
        missing_fields: s.fields.missing.clone(),
        by_status: s.by_status.clone(),
        layers: layer_reports,
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

/// The answers no cause explains that kept their failures, with how many.
fn known_taken<'a>(entries: &[Entry<'a>], outcome: &Outcome) -> Vec<(&'a Claim, u64)> {
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.cause.is_none())
        .map(|(i, e)| (e.claim, outcome.taken[i].values().sum::<u64>()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Whether each assessment claimed anything at all (before the attribution).
fn claimed_any(assessments: &[Assessment]) -> Vec<bool> {
    assessments.iter().map(|a| !a.claims.is_empty()).collect()
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0
    }
}

/// One item of evidence for or against a cause: its sentence among the facts or the evidence
/// against, and the item itself.
fn push_item(evidence: &mut Evidence, side: Side, item: &causes::Item) {
    match side {
        Side::For => evidence.facts.push(item.text.clone()),
        Side::Against => evidence.against.push(item.text.clone()),
    }
    evidence.items.push(EvidenceItem { side, kind: item.kind, strength: item.strength, text: item.text.clone() });
}

/// A cause's time range, one convention for every cause: from the start of the minute of its
/// first failure to the end of the minute of its last, never after the window's last record
/// (`last_record`), so a cause whose last failure is in the final minute ends with the logs.
pub fn cause_range(
    first_failure: Option<chrono::DateTime<chrono::Utc>>,
    last_failure: Option<chrono::DateTime<chrono::Utc>>,
    last_record: Option<chrono::DateTime<chrono::Utc>>,
) -> (Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>) {
    use chrono::{DurationRound, TimeDelta};
    let minute = TimeDelta::minutes(1);
    let floor = |t: chrono::DateTime<chrono::Utc>| t.duration_trunc(minute).unwrap_or(t);
    let first = first_failure.map(floor);
    let last = last_failure.map(|t| floor(t) + minute).map(|end| match last_record {
        Some(r) if r < end => r.max(first.unwrap_or(r)),
        _ => end,
    });
    (first, last)
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

#[cfg(test)]
mod tests {
    use super::cause_range;
    use chrono::{TimeZone, Utc};

    #[test]
    fn cause_time_ranges_run_minute_to_minute_and_stop_at_the_last_record() {
        let t = |h, m, s| Utc.with_ymd_and_hms(2026, 11, 18, h, m, s).single();
        // Exact times and minute starts give the same range.
        assert_eq!(cause_range(t(9, 7, 41), t(10, 24, 5), t(10, 36, 59)), (t(9, 7, 0), t(10, 25, 0)));
        assert_eq!(cause_range(t(9, 7, 0), t(10, 24, 0), t(10, 36, 59)), (t(9, 7, 0), t(10, 25, 0)));
        // A last failure in the final minute ends with the last record, not after it.
        assert_eq!(cause_range(t(9, 39, 3), t(10, 36, 40), t(10, 36, 59)), (t(9, 39, 0), t(10, 36, 59)));
        assert_eq!(cause_range(t(10, 36, 59), t(10, 36, 59), t(10, 36, 59)), (t(10, 36, 0), t(10, 36, 59)));
        assert_eq!(cause_range(None, None, t(10, 36, 59)), (None, None));
    }
}
