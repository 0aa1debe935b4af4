//! Renderers of a diagnosis: human (comfy-table + owo-colors), json (the issue-3 contract),
//! markdown (a postmortem-ready report). They only render: every figure comes from the
//! `Diagnosis`.

mod human;
mod markdown;

pub use human::{human, HumanView, SCREEN_LINES};
pub use markdown::markdown;

use crate::diagnose::model::{Diagnosis, MinutePoint};

/// The formats of the diagnosis report (`diagnose --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnoseFormat {
    Human,
    Json,
    Markdown,
}

/// The report in one format; the view (colour, width, trace) applies to human only: markdown
/// and JSON always carry the whole report, layer trace included.
pub fn render(diagnosis: &Diagnosis, format: DiagnoseFormat, view: &HumanView) -> String {
    match format {
        DiagnoseFormat::Json => json(diagnosis),
        DiagnoseFormat::Markdown => markdown(diagnosis),
        DiagnoseFormat::Human => human(diagnosis, view),
    }
}

/// The JSON contract: `total_requests`, `failures`, `window`, `skipped_lines`, `layers`,
/// `causes` (sorted by failures desc, each with `id`, `failures`, `share`, `confidence`,
/// `evidence`, `actions`, `samples`) and `unexplained`, plus a few additions.
pub fn json(d: &Diagnosis) -> String {
    let mut text = serde_json::to_string_pretty(d).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

/// The same JSON contract on one line, newline-terminated: for streams of reports (`diagnose
/// --watch --format json` prints NDJSON, one object per line).
pub fn json_compact(d: &Diagnosis) -> String {
    let mut text = serde_json::to_string(d).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Failures per minute as a sparkline of at most `width` columns over the whole window (a
/// column covers one or more minutes; minutes without traffic leave a blank). Returns the line
/// and how many minutes one column covers.
pub fn sparkline(minutes: &[MinutePoint], width: usize) -> (String, i64) {
    let (Some(first), Some(last)) = (minutes.first(), minutes.last()) else { return (String::new(), 1) };
    let span = (last.start - first.start).num_minutes() + 1;
    let width = width.max(1) as i64;
    let per_col = (span + width - 1) / width;
    let per_col = per_col.max(1);
    let cols = ((span + per_col - 1) / per_col) as usize;
    let mut fails = vec![0u64; cols];
    let mut seen = vec![false; cols];
    for m in minutes {
        let col = ((m.start - first.start).num_minutes() / per_col) as usize;
        if let (Some(f), Some(s)) = (fails.get_mut(col), seen.get_mut(col)) {
            *f += m.failures;
            *s = true;
        }
    }
    let max = fails.iter().copied().max().unwrap_or(0).max(1);
    let line = fails
        .iter()
        .zip(&seen)
        .map(|(f, s)| {
            if !s {
                ' '
            } else if *f == 0 {
                '·'
            } else {
                let level = ((*f as f64 / max as f64) * 7.0).ceil() as usize;
                BARS.get(level.min(7)).copied().unwrap_or('█')
            }
        })
        .collect();
    (line, per_col)
}

pub(crate) use crate::knowledge::thousands as fmt_n;

pub(crate) fn fmt_pct(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

pub(crate) fn fmt_statuses(counts: &std::collections::BTreeMap<u16, u64>) -> String {
    counts.iter().map(|(s, n)| format!("{} × {s}", fmt_n(*n))).collect::<Vec<_>>().join(", ")
}

pub(crate) fn fmt_time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn compact_json_is_the_same_contract_on_one_line() {
        let k = crate::knowledge::Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        let summary = crate::diagnose::Summary { total_requests: 7, ..Default::default() };
        let d = crate::diagnose::rank::diagnose(&summary, &k);
        let compact = json_compact(&d);
        assert_eq!(compact.matches('\n').count(), 1);
        assert!(compact.ends_with('\n'));
        let a: serde_json::Value = serde_json::from_str(&compact).unwrap_or_default();
        let b: serde_json::Value = serde_json::from_str(&json(&d)).unwrap_or_default();
        assert_eq!(a, b);
        assert_eq!(a["total_requests"], 7);
    }

    #[test]
    fn sparkline_shows_bursts_and_gaps() {
        let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let pts: Vec<MinutePoint> = [(0, 0), (1, 10), (2, 0), (5, 5)]
            .iter()
            .map(|(m, f)| MinutePoint { start: t0 + Duration::minutes(*m), requests: 10, failures: *f })
            .collect();
        let (line, per) = sparkline(&pts, 80);
        assert_eq!(per, 1);
        assert_eq!(line, "·█·  ▅");
        let (line, per) = sparkline(&pts, 3);
        assert_eq!(per, 2);
        assert_eq!(line.chars().count(), 3);
        assert_eq!(sparkline(&[], 10).0, "");
    }
}
