//! One detector per root cause: `causes/<prefix>/<name>.rs` for the cause `<prefix>.<name>` of
//! rules/causes.toml (`auth/key_revoked.rs` is `auth.key_revoked`). A detector reads the facts
//! of a [`Summary`] (through [`Facts`], which reads what several detectors share only once) and
//! returns an [`Assessment`]: the failures it would claim, each claim with the evidence for it,
//! the evidence against the cause, what it checked and what it could not check. It never
//! decides against another cause's claims: [`crate::diagnose::rank`] gives every failure to at
//! most one cause, by the strongest and most specific evidence.
//!
//! Adding a cause: its entry in rules/causes.toml, its detector file with its unit tests (both
//! ways: found, and must not trigger), and one line in [`DETECTORS`].

pub mod auth;
pub mod client;
pub mod reading;
pub mod traffic;
pub mod upstream;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::Confidence;
use super::summary::{StatusCounts, Summary};
pub use crate::knowledge::Strength;
use crate::knowledge::{Knowledge, Layer};
pub use reading::{lint_cause, Facts};

/// What a piece of evidence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The error type or wording the API, the SDK or a gateway answered.
    ApiWording,
    /// Lint of the sampled requests (headers, body).
    Lint,
    /// A key hash's history: when it succeeded, when it started failing, with what.
    KeyHistory,
    /// Who answered: the hop the log records, the forwarder tag.
    Origin,
    /// The request's size and streaming (`payload_tokens`, `stream`).
    Payload,
    /// Latency and connection resets by region.
    Latency,
    /// Where the failures concentrate: one `client_environment`.
    Environment,
    /// Concurrency against the cap.
    Concurrency,
    /// The shape of time: continuous after an onset, or bursts.
    TimeShape,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ApiWording => "api_wording",
            Kind::Lint => "lint",
            Kind::KeyHistory => "key_history",
            Kind::Origin => "origin",
            Kind::Payload => "payload",
            Kind::Latency => "latency",
            Kind::Environment => "environment",
            Kind::Concurrency => "concurrency",
            Kind::TimeShape => "time_shape",
        }
    }

    /// How narrowly this kind of evidence picks the failures it speaks of, most specific first:
    /// the failure's own answer, then the request's own bytes, then the key's own history, down
    /// to the shape of a whole status's minutes. Decides between claims of equal strength.
    pub fn specificity(self) -> u8 {
        match self {
            Kind::ApiWording => 0,
            Kind::Lint => 1,
            Kind::KeyHistory => 2,
            Kind::Origin => 3,
            Kind::Payload => 4,
            Kind::Latency => 5,
            Kind::Environment => 6,
            Kind::Concurrency => 7,
            Kind::TimeShape => 8,
        }
    }
}

/// One piece of evidence: its kind, its strength, and the sentence the report shows (figures,
/// hashes; never key material).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub strength: Strength,
    pub text: String,
    /// Items of one cause with the same tally key are one sentence in the report, their counts
    /// summed (`420 × 429 answered with a … message`, over every message group).
    pub tally: Option<Tally>,
}

/// A countable sentence: `{count} × {status} {rest}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub key: String,
    pub status: u16,
    pub count: u64,
    pub rest: String,
}

impl Tally {
    pub fn text(&self) -> String {
        format!("{} × {} {}", reading::n(self.count), self.status, self.rest)
    }
}

impl Item {
    pub fn new(kind: Kind, strength: Strength, text: impl Into<String>) -> Item {
        Item { kind, strength, text: text.into(), tally: None }
    }

    /// `{count} × {status} {rest}`, summed in the report with the cause's other items of `key`.
    pub fn tallied(kind: Kind, strength: Strength, status: u16, count: u64, key: String, rest: String) -> Item {
        let tally = Tally { key, status, count, rest };
        Item { kind, strength, text: tally.text(), tally: Some(tally) }
    }
}

/// Which failures a claim speaks of, where that is exclusive: two claims on the same message
/// group (or the same key's failures of a status) share that group's failures, never more.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// The failures of one (status, normalised error message) group.
    Message(String),
    /// The failures of one key hash.
    Key(String),
    /// Failures counted another way (a forwarder tag, a region, a stretch of minutes).
    Other,
}

impl Unit {
    /// The narrower unit first: a message group, a key, anything else.
    pub fn specificity(&self) -> u8 {
        match self {
            Unit::Message(_) => 0,
            Unit::Key(_) => 1,
            Unit::Other => 2,
        }
    }
}

/// Failures a detector would attribute to its cause, with the evidence for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Failures claimed, by status.
    pub by_status: StatusCounts,
    pub unit: Unit,
    /// The evidence for these failures, the lead first.
    pub evidence: Vec<Item>,
    pub confidence: Confidence,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// Sample request IDs.
    pub samples: Vec<String>,
}

impl Claim {
    pub fn new(unit: Unit, confidence: Confidence) -> Claim {
        Claim {
            by_status: StatusCounts::new(),
            unit,
            evidence: Vec::new(),
            confidence,
            first: None,
            last: None,
            samples: Vec::new(),
        }
    }

    pub fn failures(&self) -> u64 {
        self.by_status.values().sum()
    }

    pub fn add(&mut self, status: u16, n: u64) {
        if n > 0 {
            *self.by_status.entry(status).or_insert(0) += n;
        }
    }

    pub fn with(mut self, item: Item) -> Claim {
        self.evidence.push(item);
        self
    }

    /// Widens the claim's span to the times of its first and last failure (exact, or the start
    /// of their minute); `rank` turns it into the cause's range.
    pub fn span(&mut self, (first, last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>)) {
        self.first = match (self.first, first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }

    /// The claim's strength: that of its strongest evidence.
    pub fn strength(&self) -> Strength {
        self.evidence.iter().map(|i| i.strength).max().unwrap_or(Strength::Weak)
    }

    /// The strongest item, the most specific among equals: what the claim rests on.
    pub fn lead(&self) -> Option<&Item> {
        self.evidence.iter().min_by_key(|i| (std::cmp::Reverse(i.strength), i.kind.specificity()))
    }
}

/// Why a detector claims nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFound {
    /// The facts were there and do not show the cause.
    RuledOut(String),
    /// A fact the cause needs is missing: say which field would settle it.
    Unchecked(String),
}

/// What one detector concluded about its cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub cause: &'static str,
    pub claims: Vec<Claim>,
    /// Evidence against the cause (it did not claim those failures, or claimed them anyway).
    pub against: Vec<Item>,
    /// Checks made, with their figures, for the layer's trace.
    pub checked: Vec<String>,
    /// Missing fields or settings that limited the check, and what they would allow.
    pub limited_by: Vec<String>,
    /// When nothing is claimed: why.
    pub not_found: Option<NotFound>,
}

impl Assessment {
    pub fn new(cause: &'static str) -> Assessment {
        Assessment {
            cause,
            claims: Vec::new(),
            against: Vec::new(),
            checked: Vec::new(),
            limited_by: Vec::new(),
            not_found: None,
        }
    }

    /// All failures claimed, by status.
    pub fn claimed(&self) -> StatusCounts {
        let mut out = StatusCounts::new();
        for c in &self.claims {
            for (st, n) in &c.by_status {
                *out.entry(*st).or_insert(0) += n;
            }
        }
        out
    }

    /// Drops empty claims; says why nothing is left when nothing is (`unless` is the reason
    /// when the facts were there; the detector sets `not_found` itself for a missing field).
    pub fn finish(mut self, ruled_out: impl FnOnce() -> String) -> Assessment {
        self.claims.retain(|c| c.failures() > 0);
        for c in &mut self.claims {
            c.samples.dedup();
            c.samples.truncate(reading::SAMPLE_IDS);
        }
        if self.claims.is_empty() {
            if self.not_found.is_none() {
                self.not_found = Some(NotFound::RuledOut(ruled_out()));
            }
        } else {
            self.not_found = None;
        }
        self
    }
}

/// A detector: the cause's id (as in rules/causes.toml) and its assessment.
pub struct Detector {
    pub id: &'static str,
    pub assess: fn(&Facts<'_>) -> Assessment,
}

/// Every detector, in rules/causes.toml's order.
pub static DETECTORS: &[Detector] = &[
    client::auth_header::DETECTOR,
    client::messages::DETECTOR,
    client::model_id::DETECTOR,
    auth::key_format::DETECTOR,
    auth::key_revoked::DETECTOR,
    auth::env_override::DETECTOR,
    traffic::rate_limit::DETECTOR,
    traffic::quota_exhausted::DETECTOR,
    upstream::provider_overload::DETECTOR,
    upstream::middleware_exhaustion::DETECTOR,
    upstream::timeout_non_streaming::DETECTOR,
    upstream::network_loss::DETECTOR,
];

/// The assessment of one cause over a Summary (unit tests build the Summary by hand).
pub fn assess(id: &str, s: &Summary, k: &Knowledge) -> Option<Assessment> {
    let facts = Facts::new(s, k);
    DETECTORS.iter().find(|d| d.id == id).map(|d| run(d, &facts))
}

/// One detector, and the note every claim gets when some of its failures were logged with a
/// success status (an in-band error event in a streamed 200, `Summary::in_band_failures`).
fn run(d: &Detector, facts: &Facts<'_>) -> Assessment {
    let mut a = (d.assess)(facts);
    for claim in &mut a.claims {
        for (st, c) in &facts.s.in_band_failures {
            if *c > 0 && claim.by_status.contains_key(st) {
                claim.evidence.push(Item::new(
                    Kind::ApiWording,
                    Strength::Weak,
                    format!(
                        "{} of the {st}s were logged with a success status: the stream failed after its 200 (an \
                         in-band error event), counted as {st}",
                        reading::n(*c)
                    ),
                ));
            }
        }
    }
    a
}

/// Every detector's assessment, in rules/causes.toml's order (a cause without a detector is
/// skipped; `tests` check there is none).
pub fn assess_all(facts: &Facts<'_>) -> Vec<Assessment> {
    facts.k.causes.iter().filter_map(|c| DETECTORS.iter().find(|d| d.id == c.id)).map(|d| run(d, facts)).collect()
}

/// Failures whose answer names what went wrong, and it is none of the root causes: a
/// cause-less `decisive` signature (a CORS refusal, a prompt over the context window). The
/// attribution gives them to nobody, ahead of any circumstantial claim, and the report says why
/// they stay unexplained.
pub fn known_answers(facts: &Facts<'_>) -> Vec<Claim> {
    let mut out = Vec::new();
    for (status, message, count) in facts.failing_groups() {
        let Some(sig) = facts.unexplained_signature(message) else { continue };
        let why = sig.def.meaning.clone().unwrap_or_else(|| sig.def.id.clone());
        let mut claim = Claim::new(Unit::Message(message.to_string()), Confidence::High).with(Item::new(
            Kind::ApiWording,
            Strength::Decisive,
            format!(
                "{} × {status} answered \"{}\" (`{}`): {why}",
                reading::n(count),
                reading::shorten(message),
                sig.def.id
            ),
        ));
        claim.add(status, count);
        claim.span(facts.span_of(&[status]));
        out.push(claim);
    }
    out
}

/// The layer a cause belongs to.
pub fn layer_of(k: &Knowledge, id: &str) -> Layer {
    k.cause(id).map_or(Layer::Status, |c| c.layer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_cause_has_one_detector_in_the_file_named_after_it() {
        let k = reading::tests::knowledge();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diagnose/causes");
        for c in &k.causes {
            let n = DETECTORS.iter().filter(|d| d.id == c.id).count();
            assert_eq!(n, 1, "{}: {n} detectors", c.id);
            let file = root.join(format!("{}.rs", c.id.replace('.', "/")));
            assert!(file.is_file(), "{} lives in {}", c.id, file.display());
        }
        assert_eq!(DETECTORS.len(), k.causes.len(), "a detector for a cause rules/causes.toml does not name");
        let order: Vec<&str> = k.causes.iter().map(|c| c.id.as_str()).collect();
        let detectors: Vec<&str> = DETECTORS.iter().map(|d| d.id).collect();
        assert_eq!(order, detectors, "DETECTORS follows rules/causes.toml's order");
    }

    #[test]
    fn a_claim_rests_on_its_strongest_most_specific_evidence() {
        let c = Claim::new(Unit::Other, Confidence::High)
            .with(Item::new(Kind::TimeShape, Strength::Strong, "shape"))
            .with(Item::new(Kind::Lint, Strength::Strong, "lint"))
            .with(Item::new(Kind::ApiWording, Strength::Weak, "wording"));
        assert_eq!(c.strength(), Strength::Strong);
        assert_eq!(c.lead().map(|i| i.text.as_str()), Some("lint"));
    }
}
