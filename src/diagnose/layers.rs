//! The four layers of the diagnosis as the order of the walk and of the report: layer 1 reads the
//! statuses (which fail, continuously or in bursts); layers 2-4 show what the detectors of their
//! causes (`diagnose::causes`) checked, found, ruled out and could not check, and where the
//! evidence conflicted. The layers decide nothing: the attribution (`diagnose::rank`) does.

use chrono::{DateTime, Utc};

use super::causes::{Assessment, Claim, NotFound};
use super::model::LayerReport;
use super::summary::Summary;
use crate::knowledge::{thousands as n, Knowledge, Layer};

fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0 %".into();
    }
    format!("{:.1} %", part as f64 * 100.0 / whole as f64)
}

// ---------------------------------------------------------------------------------------------
// Layer 1: status

/// Onset, share of failing minutes after it, and whether failures look continuous or bursty.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusPattern {
    pub status: u16,
    pub failures: u64,
    pub onset: Option<DateTime<Utc>>,
    /// Minutes (with traffic) from the onset on that hold this status.
    pub failing_minutes: u64,
    pub minutes_after_onset: u64,
    pub failing_minute_share: f64,
}

pub fn status_pattern(s: &Summary, status: u16) -> StatusPattern {
    let failures = s.by_status.get(&status).copied().unwrap_or(0);
    let onset_index = s.minutes.iter().position(|m| m.failures.get(&status).is_some_and(|c| *c > 0));
    let (mut failing, mut after) = (0u64, 0u64);
    // A bucket wider than a minute (a window over a day) counts as its minutes.
    let width = u64::from(s.bucket_width());
    if let Some(i) = onset_index {
        for m in s.minutes.iter().skip(i) {
            after += width;
            if m.failures.get(&status).is_some_and(|c| *c > 0) {
                failing += width;
            }
        }
    }
    StatusPattern {
        status,
        failures,
        onset: onset_index.and_then(|i| s.minutes.get(i)).map(|m| m.start),
        failing_minutes: failing,
        minutes_after_onset: after,
        failing_minute_share: if after == 0 { 0.0 } else { failing as f64 / after as f64 },
    }
}

/// Layer 1: which statuses fail, continuous or bursty, and the failures whose answer names what
/// went wrong when it is none of the causes (`known`: each with the failures it kept). It
/// attributes nothing.
pub fn status_layer(s: &Summary, k: &Knowledge, known: &[(&Claim, u64)]) -> LayerReport {
    let d = &k.thresholds.detection;
    let mut checked = Vec::new();
    let failures = s.failures();
    checked.push(format!(
        "{} of {} requests failed ({})",
        n(failures),
        n(s.total_requests),
        pct(failures, s.total_requests)
    ));
    for (status, count) in s.failures_by_status() {
        let p = status_pattern(s, status);
        let shape = if p.failing_minute_share >= d.continuous_minute_share {
            "continuous"
        } else if p.failing_minute_share <= d.burst_minute_share {
            "bursty"
        } else {
            "intermittent"
        };
        let name = k.status(status).map(|st| st.name.as_str()).unwrap_or("");
        checked.push(format!(
            "{status} {name}: {} ({} of failures), onset {}, {} of {} minutes after onset fail: {shape}",
            n(count),
            pct(count, failures),
            p.onset.map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
            n(p.failing_minutes),
            n(p.minutes_after_onset),
        ));
    }
    for (claim, _) in known {
        if let Some(lead) = claim.lead() {
            checked.push(format!("none of the causes: {}", lead.text));
        }
    }
    if let Some(gone) = s.by_status.get(&super::summary::CLIENT_GONE).filter(|c| **c > 0) {
        checked.push(format!(
            "{} × 499: the client went away before an answer; counted as requests, not as failures",
            n(*gone)
        ));
    }
    for (st, c) in &s.in_band_failures {
        checked.push(format!(
            "{} records logged with a success status carried an error event in their stream: counted as {st}",
            n(*c)
        ));
    }
    let mut limited_by = Vec::new();
    if s.skipped.count > 0 {
        limited_by.push(format!("{} unreadable lines were skipped", n(s.skipped.count)));
    }
    LayerReport {
        layer: Layer::Status,
        question: "Which status codes fail, continuously or in bursts?".into(),
        checked,
        ruled_out: Vec::new(),
        limited_by,
        found: Vec::new(),
        conflicts: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Layers 2-4: the detectors' trace

/// The question each layer answers.
pub fn question(layer: Layer) -> &'static str {
    match layer {
        Layer::Status => "Which status codes fail, continuously or in bursts?",
        Layer::Validation => "For 400/401/404: what is wrong with the request?",
        Layer::Traffic => "For 429: short-term rate limit or exhausted quota?",
        Layer::Upstream => "For 5xx: provider, middleware, a long non-streaming request, or the network?",
    }
}

/// The report of one of layers 2-4 from its causes' assessments: `kept` are the causes the
/// attribution reported, `dropped` those below `detection.min_failures` (with their failures),
/// `conflicts` the conflict lines by losing assessment, `claimed` whether each assessment
/// claimed anything before the attribution. A cause that is not found is ruled out with its
/// detector's reason, or named among the limits when a field it needs is missing — never both,
/// and never ruled out when it was found.
pub fn layer_report(
    k: &Knowledge,
    layer: Layer,
    assessments: &[Assessment],
    kept: &[&str],
    dropped: &[(usize, u64)],
    conflicts: &[(usize, String)],
    claimed: &[bool],
) -> LayerReport {
    let mut r = LayerReport {
        layer,
        question: question(layer).into(),
        checked: Vec::new(),
        ruled_out: Vec::new(),
        limited_by: Vec::new(),
        found: Vec::new(),
        conflicts: Vec::new(),
    };
    let push = |list: &mut Vec<String>, line: &String| {
        if !list.contains(line) {
            list.push(line.clone());
        }
    };
    for (i, a) in assessments.iter().enumerate() {
        if super::causes::layer_of(k, a.cause) != layer {
            continue;
        }
        for c in &a.checked {
            push(&mut r.checked, c);
        }
        for l in &a.limited_by {
            push(&mut r.limited_by, l);
        }
        if kept.contains(&a.cause) {
            r.found.push(a.cause.to_string());
        } else if let Some((_, got)) = dropped.iter().find(|(d, _)| *d == i) {
            r.ruled_out.push(format!(
                "{}: only {got} failures (below the {} reported)",
                a.cause, k.thresholds.detection.min_failures
            ));
        } else if claimed.get(i).copied().unwrap_or(false) {
            r.ruled_out
                .push(format!("{}: every failure it would claim has stronger evidence for another cause", a.cause));
        } else {
            match &a.not_found {
                Some(NotFound::Unchecked(why)) => {
                    push(&mut r.limited_by, &format!("{}: could not be checked: {why}", a.cause))
                }
                Some(NotFound::RuledOut(why)) => r.ruled_out.push(format!("{}: {why}", a.cause)),
                None => r.ruled_out.push(format!("{}: nothing points to it", a.cause)),
            }
        }
        for (_, line) in conflicts.iter().filter(|(c, _)| *c == i) {
            push(&mut r.conflicts, line);
        }
    }
    r
}
