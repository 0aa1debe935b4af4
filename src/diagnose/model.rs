//! The diagnosis: what the layers concluded, ready for any renderer. Its JSON form is the
//! contract of issue 3 (`total_requests`, `failures`, `window`, `skipped_lines`, `layers`,
//! `causes`, `unexplained`); the other fields are additions (`partial`: issue 12).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::summary::{SkippedLines, StatusCounts, Window};
use crate::knowledge::Layer;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The version of this JSON contract ([`JSON_VERSION`]); bumped when a field changes meaning
    /// or goes away (additions keep it).
    #[serde(default = "json_version")]
    pub version: u32,
    /// What the reader wants said before any figure: nothing in the window, timestamps read as
    /// epoch seconds, a damaged gzip stream. Empty when there is nothing to say.
    #[serde(default)]
    pub notes: Vec<String>,
    pub total_requests: u64,
    pub failures: u64,
    /// failures / total_requests (0 when there are no requests).
    pub failure_rate: f64,
    pub window: Window,
    pub skipped_lines: SkippedLines,
    /// The field preset the records were read with.
    pub schema: String,
    /// Log-schema fields no record carried.
    pub missing_fields: Vec<String>,
    pub by_status: StatusCounts,
    /// Layer by layer: what was checked, ruled out, and what limited it.
    pub layers: Vec<LayerReport>,
    /// Sorted by failures, descending.
    pub causes: Vec<CauseReport>,
    pub unexplained: Unexplained,
    /// Requests and failures per minute (for the sparkline).
    pub minutes: Vec<MinutePoint>,
    /// Set when the facts cover only part of the data (the search backend timed out or shards
    /// failed): every count is then a lower bound. `null` in JSON when the facts are complete.
    /// Not a fact of the Summary: the backend reports it and the command sets it.
    #[serde(default)]
    pub partial: Option<Partial>,
}

/// The version of the diagnosis JSON (`"version"`, first key).
pub const JSON_VERSION: u32 = 1;

fn json_version() -> u32 {
    JSON_VERSION
}

/// The note that comes first when records were read but none fell in the window.
pub fn nothing_in_window_note(outside: u64) -> String {
    format!(
        "No records in the window: {} records were read, all outside it (widen --since, or check --from/--to).",
        crate::knowledge::thousands(outside)
    )
}

/// The series was counted in buckets wider than a minute (a window or a span of more than a
/// day): what that changes, and how to get minutes back.
pub fn bucket_width_note(width: u32) -> String {
    let wide = match width {
        w if w % 1440 == 0 => format!("{}-day", w / 1440),
        w if w % 60 == 0 => format!("{}-hour", w / 60),
        w => format!("{w}-minute"),
    };
    format!(
        "Counted in {wide} buckets (at most 1,440 over the time read): continuity, bursts and onsets are judged per \
         bucket; a window of a day or less (--from/--to) is read by the minute."
    )
}

/// Why the facts are incomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Partial {
    /// The cluster stopped at its time budget (`timed_out: true`) and answered with what it had
    /// read.
    pub timed_out: bool,
    /// Shards the searches covered, and shards that failed (their documents are in no count).
    pub shards_total: u64,
    pub shards_failed: u64,
    /// The failures the cluster reported, at most [`PARTIAL_FAILURES_KEPT`].
    pub failures: Vec<ShardFailure>,
}

/// Shard failures kept in [`Partial::failures`].
pub const PARTIAL_FAILURES_KEPT: usize = 10;

/// One failed shard, as the cluster named it (key-shaped text masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ShardFailure {
    pub index: Option<String>,
    pub shard: Option<u64>,
    /// The error type, e.g. `node_disconnected_exception`.
    #[serde(rename = "type")]
    pub kind: String,
    pub reason: String,
}

impl Partial {
    /// One sentence for the human and markdown reports: what is missing, and what it means.
    pub fn sentence(&self) -> String {
        let mut what = Vec::new();
        if self.timed_out {
            what.push("the cluster timed out and answered with what it had read".to_string());
        }
        if self.shards_failed > 0 {
            what.push(format!(
                "{} of {} shard{} failed",
                self.shards_failed,
                self.shards_total,
                if self.shards_total == 1 { "" } else { "s" }
            ));
        }
        let mut out = format!(
            "{}: the counts cover only part of the logs (lower bounds; shares may be off)",
            what.join(", and ")
        );
        if let Some(f) = self.failures.first() {
            out.push_str(&format!(" ({}", f.describe()));
            if self.failures.len() > 1 {
                out.push_str(&format!(", and {} more", self.failures.len() - 1));
            }
            out.push(')');
        }
        if self.timed_out {
            out.push_str("; a longer --es-timeout or a shorter --since gives the whole picture");
        } else {
            out.push_str("; GET _cat/shards shows which shards are unhealthy");
        }
        out
    }
}

impl ShardFailure {
    /// `index[shard]: type: reason`.
    pub fn describe(&self) -> String {
        let index = self.index.as_deref().unwrap_or("?");
        let shard = self.shard.map_or("?".to_string(), |s| s.to_string());
        let mut out = format!("{index}[{shard}]: {}", if self.kind.is_empty() { "?" } else { &self.kind });
        if !self.reason.is_empty() {
            out.push_str(": ");
            out.push_str(&self.reason);
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerReport {
    pub layer: Layer,
    pub question: String,
    /// Checks made, with their figures.
    pub checked: Vec<String>,
    /// Causes ruled out, with why.
    pub ruled_out: Vec<String>,
    /// Missing fields or settings that limited this layer, and what they would allow.
    pub limited_by: Vec<String>,
    /// Cause ids this layer found.
    pub found: Vec<String>,
    /// Where the evidence for two causes (or for a cause and an answer none of them explains)
    /// pointed at the same failures, one line each: what lost, what won, and how many failures.
    #[serde(default)]
    pub conflicts: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CauseReport {
    pub id: String,
    pub title: String,
    pub layer: Layer,
    /// Failures this cause explains (each failure is explained by at most one cause).
    pub failures: u64,
    /// failures / all failures.
    pub share: f64,
    pub by_status: StatusCounts,
    pub confidence: Confidence,
    pub evidence: Evidence,
    /// Concrete actions, numbers filled from the thresholds.
    pub actions: Vec<String>,
    /// Sample request IDs.
    pub samples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Evidence {
    /// The evidence for the cause: figures, one sentence each. Key material never appears
    /// (hashes only).
    pub facts: Vec<String>,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// The evidence against it, and the failures it lost to stronger evidence, one sentence each.
    #[serde(default)]
    pub against: Vec<String>,
    /// Every sentence of `facts` and `against` with its side, kind and strength.
    #[serde(default)]
    pub items: Vec<EvidenceItem>,
}

/// One piece of evidence as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// `for` or `against`.
    pub side: Side,
    /// What it is about: `api_wording`, `lint`, `key_history`, `origin`, `payload`, `latency`,
    /// `environment`, `concurrency`, `time_shape`.
    pub kind: super::causes::Kind,
    /// `weak`, `moderate`, `strong` or `decisive`.
    pub strength: crate::knowledge::Strength,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    For,
    Against,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Unexplained {
    pub failures: u64,
    pub share: f64,
    pub by_status: StatusCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutePoint {
    pub start: DateTime<Utc>,
    pub requests: u64,
    pub failures: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_width_is_named_in_its_largest_whole_unit() {
        for (width, named) in [(5, "5-minute"), (30, "30-minute"), (60, "1-hour"), (180, "3-hour"), (720, "12-hour")]
            .into_iter()
            .chain([(1440, "1-day"), (10_080, "7-day"), (90, "90-minute")])
        {
            let note = bucket_width_note(width);
            assert!(note.starts_with(&format!("Counted in {named} buckets")), "{width}: {note}");
        }
    }

    #[test]
    fn a_partial_sentence_says_what_is_missing_and_what_to_do() {
        let failure = ShardFailure {
            index: Some("logs-1".into()),
            shard: Some(3),
            kind: "node_disconnected_exception".into(),
            reason: "[n2] disconnected".into(),
        };
        let shards =
            Partial { shards_total: 4, shards_failed: 1, failures: vec![failure.clone()], ..Partial::default() };
        let text = shards.sentence();
        assert!(text.starts_with("1 of 4 shards failed: the counts cover only part of the logs"), "{text}");
        assert!(text.contains("(logs-1[3]: node_disconnected_exception: [n2] disconnected)"), "{text}");
        assert!(text.ends_with("GET _cat/shards shows which shards are unhealthy"), "{text}");
        let timed_out = Partial { timed_out: true, failures: vec![failure.clone(), failure], ..shards };
        let text = timed_out.sentence();
        assert!(text.starts_with("the cluster timed out and answered with what it had read, and 1 of 4"), "{text}");
        assert!(text.contains(", and 1 more)") && text.contains("a longer --es-timeout"), "{text}");
        let json = serde_json::to_value(&timed_out).unwrap_or_default();
        assert_eq!(json["failures"][0]["type"], "node_disconnected_exception");
    }
}
