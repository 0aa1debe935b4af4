//! The diagnosis: what the layers concluded, ready for any renderer. Its JSON form is the
//! contract of issue 3 (`total_requests`, `failures`, `window`, `skipped_lines`, `layers`,
//! `causes`, `unexplained`); the other fields are additions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::summary::{SkippedLines, StatusCounts, Window};
use crate::knowledge::Layer;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub total_requests: u64,
    pub failures: u64,
    /// failures / total_requests (0 when there are no requests).
    pub failure_rate: f64,
    pub window: Window,
    pub skipped_lines: SkippedLines,
    /// The field preset the records were read with.
    pub schema: String,
    /// DESIGN.md fields no record carried.
    pub missing_fields: Vec<String>,
    pub by_status: StatusCounts,
    /// Layer by layer: what was checked, ruled out, and what limited it.
    pub layers: Vec<LayerReport>,
    /// Sorted by failures, descending.
    pub causes: Vec<CauseReport>,
    pub unexplained: Unexplained,
    /// Requests and failures per minute (for the sparkline).
    pub minutes: Vec<MinutePoint>,
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
    /// Figures, one sentence each. Key material never appears (hashes only).
    pub facts: Vec<String>,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
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
