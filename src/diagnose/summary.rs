//! `Summary`: the facts a diagnosis reasons over, and nothing else.
//!
//! Two backends fill the very same struct: the local one in one streaming pass over NDJSON
//! (`crate::logs`), and the Elasticsearch/OpenSearch one with aggregations (issue 4). Every field
//! is therefore something an aggregation can compute — `terms`, `filters`, `date_histogram`
//! (`fixed_interval`) or `auto_date_histogram` (a window without a start), `percentiles`, `max`,
//! `min`, `sum`, `cardinality`, `top_hits` — and the doc comment
//! of each field says which. Interpretation (signature regexes, forwarder-tag classes, detection
//! thresholds) belongs to the detectors (`diagnose::causes`); the only threshold applied while
//! gathering is the long-request token cut-off (`streaming.non_streaming_token_limit`), recorded
//! in [`LongRequests::token_limit`].
//!
//! Conventions shared by both backends:
//! - A *failure* is a record whose status is 400 or above ([`is_failure`]), except 499: the
//!   client went away before an answer ([`CLIENT_GONE`]). A 499 counts in `total_requests` and
//!   `by_status` (so the status layer can say how many) but is not a failure: no cause claims it,
//!   it is not unexplained, and the failure rate leaves it out.
//! - *Bounded top-N*: a [`Breakdown`] keeps the [`TOP_N`] values with the most failures (ties:
//!   most requests, then value ascending), each with its full status map; everything else is
//!   folded into `other` (by status), and records lacking the field into `missing`.
//!   (ES: `terms` ordered by a `failures` filter sub-aggregation, `size` TOP_N, sub-`terms` on
//!   status; `other` = totals minus the top buckets; `missing` = a `missing` aggregation.)
//! - Messages are grouped by [`normalise_message`] (the ES backend normalises `terms` keys
//!   client-side and merges buckets that normalise to the same text).
//! - Timestamps are UTC; minutes are aligned on the minute (`date_histogram` fixed_interval 1m,
//!   `min_doc_count` 1: minutes without any record are absent). A window of known span longer
//!   than a day has wider buckets ([`bucket_minutes`]: at most [`MAX_BUCKETS`] of them), the same
//!   on both backends; [`Summary::bucket_minutes`] says how wide. A window without a start has no
//!   span known before the search: its buckets are chosen from the records' own span as
//!   `auto_date_histogram` chooses them ([`open_bucketing`]), again at most [`MAX_BUCKETS`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Values kept per [`Breakdown`] ([`MESSAGE_TOP_N`] for error messages).
pub const TOP_N: usize = 20;
/// Values kept in [`Summary::by_error_message`].
pub const MESSAGE_TOP_N: usize = 100;
/// Key hashes kept in [`Summary::keys`].
pub const KEY_TOP_N: usize = 50;
/// Environments kept in [`Summary::environments`], and key hashes kept per environment.
pub const ENV_TOP_N: usize = 20;
pub const ENV_KEYS_TOP_N: usize = 10;
/// Sample groups per failing status and grouping (message, key hash), and samples per group.
pub const SAMPLE_GROUPS_PER_STATUS: usize = 16;
pub const SAMPLES_PER_GROUP: usize = 3;
/// Buckets of the per-minute series at most, whatever the window (issue 13: what the cluster
/// sends back stays bounded).
pub const MAX_BUCKETS: i64 = 1440;
/// The bucket widths (minutes) the series may take; each divides the next, so buckets of every
/// width start on the hour or the day (UTC), as `date_histogram`'s `fixed_interval` aligns them.
pub const BUCKET_WIDTHS: [u32; 13] = [1, 2, 5, 10, 30, 60, 120, 240, 720, 1440, 2880, 10080, 40320];

/// The bucket width for a window from `from` to `to` (the end defaults to `now`): the smallest of
/// [`BUCKET_WIDTHS`] whose aligned buckets covering the window number at most [`MAX_BUCKETS`].
/// A window without a start has no span known before reading: 1 here, and [`open_bucketing`]
/// once the first and last records are known.
pub fn bucket_minutes(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>, now: DateTime<Utc>) -> u32 {
    let Some(from) = from else { return 1 };
    let (start, end) = (from.timestamp_millis(), to.unwrap_or(now).timestamp_millis());
    if end <= start {
        return 1;
    }
    for w in BUCKET_WIDTHS {
        let ms = i64::from(w) * 60_000;
        let buckets = (end - 1).div_euclid(ms) - start.div_euclid(ms) + 1;
        if buckets <= MAX_BUCKETS {
            return w;
        }
    }
    BUCKET_WIDTHS[BUCKET_WIDTHS.len() - 1]
}

/// The units and inner intervals `auto_date_histogram` steps through with `minimum_interval`
/// minute (Elasticsearch's `AutoDateHistogramAggregationBuilder`): minutes by 1, 5, 10 or 30,
/// hours by 1, 3 or 12, days by 1 or 7. (Months and years follow there; see [`open_bucketing`].)
pub const AUTO_LADDER: [(u32, &[u32]); 3] = [(1, &[1, 5, 10, 30]), (60, &[1, 3, 12]), (1440, &[1, 7])];

/// How a series is cut: buckets `width` minutes wide starting at `origin` (and every `width`
/// minutes from it, both ways).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucketing {
    pub width: u32,
    pub origin: DateTime<Utc>,
}

/// The buckets of a window without a start, from its first and last records, as
/// `auto_date_histogram` (`buckets` [`MAX_BUCKETS`], `minimum_interval` minute) cuts them: the
/// first unit of [`AUTO_LADDER`] whose buckets from the first record's to the last record's
/// (empty ones included) number at most [`MAX_BUCKETS`] × its largest inner interval, then the
/// smallest inner interval that brings them within [`MAX_BUCKETS`]; consecutive unit buckets are
/// merged from the first one, so the buckets start on the first record's minute, hour or day
/// (UTC), not on the epoch. A span the days cannot hold (over 27 years, where the cluster turns
/// to calendar months) keeps 7-day buckets, more than [`MAX_BUCKETS`] of them.
pub fn open_bucketing(first: DateTime<Utc>, last: DateTime<Utc>) -> Bucketing {
    let (a, b) = (first.timestamp_millis(), last.timestamp_millis().max(first.timestamp_millis()));
    let mut chosen = None;
    for (unit, inner) in AUTO_LADDER {
        let ms = i64::from(unit) * 60_000;
        let origin = a - a.rem_euclid(ms);
        let count = (b - b.rem_euclid(ms) - origin) / ms + 1;
        let largest = i64::from(inner[inner.len() - 1]);
        chosen = Some((unit, inner, origin, count));
        if count <= MAX_BUCKETS * largest {
            break;
        }
    }
    let Some((unit, inner, origin, count)) = chosen else { return Bucketing { width: 1, origin: first } };
    let step = inner.iter().copied().find(|i| (count + i64::from(*i) - 1) / i64::from(*i) <= MAX_BUCKETS);
    let step = step.unwrap_or(inner[inner.len() - 1]);
    Bucketing { width: unit * step, origin: DateTime::<Utc>::from_timestamp_millis(origin).unwrap_or(first) }
}

/// The width in minutes of an `auto_date_histogram` interval as the cluster writes it (`30m`,
/// `3h`, `7d`); calendar months and years count as 30 and 365 days. `None` for anything else.
pub fn auto_interval_minutes(interval: &str) -> Option<u32> {
    let unit = interval.chars().last()?;
    let n: u32 = interval[..interval.len() - unit.len_utf8()].parse().ok()?;
    let per = match unit {
        'm' => 1,
        'h' => 60,
        'd' => 1440,
        'w' => 10_080,
        'M' => 43_200,
        'q' => 129_600,
        'y' => 525_600,
        _ => return None,
    };
    n.checked_mul(per).filter(|w| *w > 0)
}

fn one_minute() -> u32 {
    1
}

fn is_one_minute(w: &u32) -> bool {
    *w == 1
}

/// `minutes` (one entry per minute, ascending) merged into the buckets of `cut`: with the epoch
/// as origin, each starts at a multiple of the width since the epoch, as `fixed_interval` aligns
/// them; with [`open_bucketing`]'s, as `auto_date_histogram` does.
pub fn coarsen_from(minutes: Vec<MinuteBucket>, cut: Bucketing) -> Vec<MinuteBucket> {
    if cut.width <= 1 {
        return minutes;
    }
    let ms = i64::from(cut.width) * 60_000;
    let origin = cut.origin.timestamp_millis();
    let mut out: Vec<MinuteBucket> = Vec::new();
    for m in minutes {
        let t = m.start.timestamp_millis();
        let start = DateTime::<Utc>::from_timestamp_millis(t - (t - origin).rem_euclid(ms)).unwrap_or(m.start);
        match out.last_mut() {
            Some(b) if b.start == start => {
                b.requests += m.requests;
                for (status, n) in m.failures {
                    *b.failures.entry(status).or_default() += n;
                }
                b.max_concurrency = match (b.max_concurrency, m.max_concurrency) {
                    (Some(a), Some(c)) => Some(a.max(c)),
                    (a, c) => a.or(c),
                };
                b.input_tokens += m.input_tokens;
                b.output_tokens += m.output_tokens;
            }
            _ => out.push(MinuteBucket { start, ..m }),
        }
    }
    out
}

/// Line numbers kept in [`SkippedLines::first_lines`].
pub const SKIPPED_LINES_KEPT: usize = 10;
/// Characters kept of a normalised error message.
pub const MESSAGE_MAX_CHARS: usize = 200;
/// Relative accuracy of the local latency sketch (a log-bucketed DDSketch): every percentile it
/// reports is within ±1 % of a value actually observed at that rank. Elasticsearch's default
/// TDigest is approximate too, so an equivalence test compares percentiles with a tolerance
/// (5 % is safe) and everything else exactly.
pub const LATENCY_RELATIVE_ACCURACY: f64 = 0.01;

/// Counts by HTTP status code.
pub type StatusCounts = BTreeMap<u16, u64>;

/// nginx's and Envoy's "client closed the request" (Envoy logs 0 with the DC flag, LiteLLM
/// `ClientDisconnected`): counted as a request, never as a failure.
pub const CLIENT_GONE: u16 = 499;

/// Whether a status counts as a failure: 400 and above, except [`CLIENT_GONE`].
pub fn is_failure(status: u16) -> bool {
    status >= 400 && status != CLIENT_GONE
}

/// Sum of the failing statuses in a status map.
pub fn failures_in(counts: &StatusCounts) -> u64 {
    counts.iter().filter(|(s, _)| is_failure(**s)).map(|(_, n)| n).sum()
}

/// Sum of a status map.
pub fn total_in(counts: &StatusCounts) -> u64 {
    counts.values().sum()
}

/// The grouping key of an error message: key-shaped tokens and identifiers masked (a run of 12 or more ASCII letters,
/// digits or `_` that holds both a letter and a digit — request ids, org ids, key material —
/// becomes `#`), trimmed, runs of whitespace collapsed to one space, cut to
/// [`MESSAGE_MAX_CHARS`] characters. Case and other digits are kept (signatures match on them).
pub fn normalise_message(message: &str) -> String {
    let masked = mask_identifiers(message);
    let mut out = String::with_capacity(masked.len().min(MESSAGE_MAX_CHARS));
    let mut chars = 0;
    let mut pending_space = false;
    for c in masked.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            if chars + 1 >= MESSAGE_MAX_CHARS {
                break;
            }
            out.push(' ');
            chars += 1;
            pending_space = false;
        }
        if chars >= MESSAGE_MAX_CHARS {
            break;
        }
        out.push(c);
        chars += 1;
    }
    out
}

/// Whether [`normalise_message`] would change `message` (lets readers skip the allocation).
pub fn message_needs_normalising(message: &str) -> bool {
    let b = message.as_bytes();
    b.len() > MESSAGE_MAX_CHARS
        || b.first().is_some_and(u8::is_ascii_whitespace)
        || b.last().is_some_and(u8::is_ascii_whitespace)
        || b.iter().any(|c| *c >= 0x80 || (c.is_ascii_whitespace() && *c != b' '))
        || b.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        || has_identifier(b)
        || !crate::redact::key_ranges(message).is_empty()
}

fn is_id_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Byte ranges of identifier-like tokens.
fn identifier_runs(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            while i < b.len() && !is_id_byte(b[i]) {
                i += 1;
            }
            let start = i;
            let (mut letter, mut digit) = (false, false);
            while i < b.len() && is_id_byte(b[i]) {
                letter |= b[i].is_ascii_alphabetic();
                digit |= b[i].is_ascii_digit();
                i += 1;
            }
            if i - start >= 12 && letter && digit {
                return Some((start, i));
            }
        }
        None
    })
}

fn has_identifier(b: &[u8]) -> bool {
    identifier_runs(b).next().is_some()
}

/// Key-shaped tokens (`redact::key_ranges`, the one definition of what looks like a key in
/// free text) and then identifier runs become `#`: the report shows only grouped messages, so it
/// never shows a key, even one whose segments are letters only.
fn mask_identifiers(message: &str) -> std::borrow::Cow<'_, str> {
    let keyless = crate::redact::replace_key_ranges(message, |_| "#".to_string());
    let message = keyless.as_ref();
    let b = message.as_bytes();
    let runs: Vec<(usize, usize)> = identifier_runs(b).collect();
    if runs.is_empty() {
        return keyless;
    }
    let mut out = String::with_capacity(message.len());
    let mut at = 0;
    for (start, end) in runs {
        out.push_str(message.get(at..start).unwrap_or_default());
        out.push('#');
        at = end;
    }
    out.push_str(message.get(at..).unwrap_or_default());
    std::borrow::Cow::Owned(out)
}

/// Everything both backends gather for one diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    /// The field preset used: `faultline`, `ecs`, or either followed by ` (+N overrides)`.
    pub schema: String,
    /// Time span of the records and the window that was asked for.
    pub window: Window,
    /// Lines that could not be read as a record (local backend; ES reports 0).
    pub skipped: SkippedLines,
    /// Which log-schema fields the records carried (ES: `filters` of `exists` queries).
    pub fields: FieldPresence,
    /// Records in the window (ES: `hits.total` with `track_total_hits`).
    pub total_requests: u64,
    /// Records by status (ES: `terms` on status, size 100).
    pub by_status: StatusCounts,
    /// One entry per bucket that has records, ascending (ES: `date_histogram`, or
    /// `auto_date_histogram` without a start): a bucket is [`Summary::bucket_minutes`] minutes
    /// wide (1 for windows and spans up to a day).
    pub minutes: Vec<MinuteBucket>,
    /// Width of each entry of `minutes`, in minutes: the smallest of [`BUCKET_WIDTHS`] that keeps
    /// a window of known span within [`MAX_BUCKETS`] buckets ([`bucket_minutes`]); for a window
    /// without a start, the width `auto_date_histogram` chooses from the records' span
    /// ([`open_bucketing`]; ES: the answer's `interval`).
    #[serde(default = "one_minute", skip_serializing_if = "is_one_minute")]
    pub bucket_minutes: u32,
    /// By `forwarder_tag`.
    pub by_forwarder_tag: Breakdown,
    /// By `endpoint_region`.
    pub by_region: Breakdown,
    /// By `client_environment`.
    pub by_environment: Breakdown,
    /// By `api_key_hash`.
    pub by_key_hash: Breakdown,
    /// By `model` (as logged).
    pub by_model: Breakdown,
    /// By `error_type`.
    pub by_error_type: Breakdown,
    /// By [`normalise_message`] of `error_message` (top [`MESSAGE_TOP_N`]).
    pub by_error_message: Breakdown,
    /// Latency percentiles (ms) per status (ES: `terms` status > `percentiles` + `max`).
    pub latency_by_status: BTreeMap<u16, Percentiles>,
    /// Latency percentiles (ms) per region, all statuses together.
    pub latency_by_region: BTreeMap<String, Percentiles>,
    /// History of the [`KEY_TOP_N`] key hashes with the most failures (ties: most requests,
    /// then hash ascending). (ES: `terms` on key hash > `filters` success/failure > `min`/`max`
    /// of `@timestamp`, `terms` status.)
    pub keys: Vec<KeyHistory>,
    /// Per environment (top [`ENV_TOP_N`] by failures), its key hashes (top [`ENV_KEYS_TOP_N`]
    /// by failures) with success and failure counts.
    pub environments: Vec<EnvironmentKeys>,
    /// Records the network answered: those carrying a network error (the `network_error` field)
    /// and those whose hop is `network` (see [`Summary::by_hop`]).
    pub network_errors: NetworkErrors,
    /// Long non-streaming requests: payload tokens above the cut-off.
    pub long_requests: LongRequests,
    /// Token totals (ES: `sum`).
    pub tokens: Tokens,
    /// Failing requests kept as samples, sorted by (status, timestamp, request id), each record
    /// at most once (see [`Sample`] for how they are chosen).
    pub samples: Vec<Sample>,
    /// Who answered each record, from the preset's hop rules (`logs::preset`): values
    /// `provider` (the provider's own answer: Envoy `via_upstream`, Kong `source: upstream`, a
    /// LiteLLM error with `llm_provider`), `gateway` (the gateway answered itself: Envoy UH/UO/NR,
    /// Kong `source: kong`, LiteLLM's proxy-side refusals) and `network` (the connection failed:
    /// Envoy UF/UC/URX, LiteLLM `APIConnectionError`); records with no hop information in
    /// `missing`. A record carrying a network error (the `network_error` field) is `network`
    /// whatever its rules say, and every `network` record is in [`Summary::network_errors`].
    /// (ES: `filters` with one bool filter per hop — each rule's filter minus those of the rules
    /// before it, network first — > status; `missing` = scope minus the three.)
    pub by_hop: Breakdown,
    /// Records with no hop information, by forwarder tag: what the forwarder-tag patterns still
    /// classify (a hop decides ahead of a tag). (ES: `filter` not any hop > ranked `terms` on the
    /// tag, as [`Summary::by_forwarder_tag`].)
    pub by_forwarder_tag_without_hop: Breakdown,
    /// Records logged with a success status that an in-band rule says failed (a streamed
    /// response whose error event is `overloaded_error` or `api_error`), by the status they
    /// count under (the error type's own: 529, 500). They count under that status everywhere
    /// else in the Summary too. (ES: `filters`, one per in-band status.)
    pub in_band_failures: StatusCounts,
    /// Long requests whose size came from their payload bytes because the record has no token
    /// count (bytes above `non_streaming_token_limit` × `payload.bytes_per_token`); they are in
    /// [`Summary::long_requests`] too. (ES: `filter` no token count and bytes above the mark > status.)
    pub long_requests_by_bytes: LongByBytes,
}

/// Long requests found from payload bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LongByBytes {
    /// The rate used (`payload.bytes_per_token`).
    pub bytes_per_token: f64,
    /// By status.
    pub by_status: StatusCounts,
}

/// The time span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Window {
    /// Earliest and latest `@timestamp` among the records in the window (ES: `min`/`max`).
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// The window asked for (`--since`, `--from`, `--to`), inclusive from, exclusive to.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Lines skipped by the local reader, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SkippedLines {
    pub count: u64,
    /// Reason (e.g. "not JSON", "no status") -> lines.
    pub reasons: BTreeMap<String, u64>,
    /// The first [`SKIPPED_LINES_KEPT`] skipped line numbers (1-based), ascending.
    pub first_lines: Vec<u64>,
    /// Records read but outside `--from/--to` (not an error, not skipped, reported apart).
    pub outside_window: u64,
}

/// Which log-schema fields (by logical name, see `logs::Field`) the records carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FieldPresence {
    /// Logical field name -> records carrying it.
    pub present: BTreeMap<String, u64>,
    /// Logical field names no record carried, in the schema's order.
    pub missing: Vec<String>,
}

/// One minute of traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MinuteBucket {
    /// Start of the minute.
    pub start: DateTime<Utc>,
    pub requests: u64,
    /// Failing records by status (only failing statuses appear).
    pub failures: StatusCounts,
    /// Highest `concurrent_request_count` seen in the minute (ES: `max`).
    pub max_concurrency: Option<u64>,
    /// Sums of payload (input) and output tokens (ES: `sum`).
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// Records grouped by one field's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Breakdown {
    /// The top values, by failures descending (ties: requests descending, value ascending).
    pub top: Vec<Bucket>,
    /// Records whose value is not in `top`, by status.
    pub other: StatusCounts,
    /// Records without the field, by status.
    pub missing: StatusCounts,
}

impl Breakdown {
    /// The bucket of `value`, if it is among the top values.
    pub fn get(&self, value: &str) -> Option<&Bucket> {
        self.top.iter().find(|b| b.value == value)
    }
}

/// One value of a [`Breakdown`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Bucket {
    pub value: String,
    pub by_status: StatusCounts,
}

impl Bucket {
    pub fn failures(&self) -> u64 {
        failures_in(&self.by_status)
    }
    pub fn requests(&self) -> u64 {
        total_in(&self.by_status)
    }
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Percentiles {
    /// Records that carried a latency.
    pub count: u64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    /// Exact maximum.
    pub max: f64,
}

/// What one key hash did over the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct KeyHistory {
    pub key_hash: String,
    pub successes: u64,
    /// Failing records by status.
    pub failures: StatusCounts,
    pub first_success: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub first_failure: Option<DateTime<Utc>>,
    pub last_failure: Option<DateTime<Utc>>,
    /// First and last `@timestamp` of each failing status of this key: a revoked key is told by
    /// its last success before its first *401* and nothing but 401s after it, whatever other
    /// statuses it had before. (ES: the key's `terms` on status > `min`/`max` of `@timestamp`.)
    #[serde(default)]
    pub failure_times: BTreeMap<u16, TimeSpan>,
}

/// The first and last `@timestamp` of a set of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSpan {
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

/// The key hashes seen in one `client_environment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EnvironmentKeys {
    pub environment: String,
    pub keys: Vec<KeyCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct KeyCount {
    pub key_hash: String,
    pub successes: u64,
    /// Failing records by status.
    pub failures: StatusCounts,
}

/// Records the network answered (a `network_error` value, or hop `network`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NetworkErrors {
    /// By status.
    pub by_status: StatusCounts,
    /// By region, then status.
    pub by_region: Breakdown,
    /// By forwarder tag, then status (so the detectors can take them out of tag-based counts).
    pub by_forwarder_tag: Breakdown,
    /// By the error itself: the `network_error` value (`ECONNRESET` …), else what the hop rule
    /// matched (an Envoy flag such as `UF`, a class such as `APIConnectionError`): records.
    pub by_error: BTreeMap<String, u64>,
}

/// Requests whose payload tokens exceed `token_limit` (or, without a token count, whose payload
/// bytes exceed `token_limit` × `payload.bytes_per_token`: see [`Summary::long_requests_by_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LongRequests {
    /// The cut-off used (`streaming.non_streaming_token_limit`): tokens strictly above it count.
    pub token_limit: u64,
    /// Sent with `stream` false, by status.
    pub non_streaming_by_status: StatusCounts,
    /// Sent with `stream` true, by status.
    pub streaming_by_status: StatusCounts,
    /// Without a `stream` field, by status.
    pub stream_unknown_by_status: StatusCounts,
    /// The non-streaming ones by forwarder tag, then status.
    pub non_streaming_by_forwarder_tag: Breakdown,
}

/// Token totals over the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
}

/// Which grouping selected a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SampleGroup {
    /// Among the earliest of its (status, normalised error message) group.
    #[default]
    Message,
    /// Among the earliest of its (status, key hash) group.
    KeyHash,
}

/// A failing request kept whole, for lint and for the report's sample IDs.
///
/// Chosen deterministically so both backends pick the very same documents: for each failing
/// status, the [`SAMPLE_GROUPS_PER_STATUS`] largest (status, normalised message) groups — as
/// ranked in [`Summary::by_error_message`]-style order: count descending, value ascending; a
/// missing message is the group `""` — and the [`SAMPLE_GROUPS_PER_STATUS`] largest (status, key
/// hash) groups (records without a key hash form no key group); within each group the earliest
/// [`SAMPLES_PER_GROUP`] records by (`@timestamp`, `request_id`) ascending, a missing request id
/// sorting first. (ES: `terms` > `top_hits` with that sort.) A record chosen by both groupings is
/// kept once, with the `Message` group.
///
/// Holds the raw headers in memory: the detectors lint them. Its `Debug` and `Serialize` forms
/// redact credential headers, so a logged or dumped Summary never carries a key.
#[derive(Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Sample {
    pub group: SampleGroup,
    /// The group's key: the normalised message or the key hash.
    pub group_key: String,
    pub request_id: Option<String>,
    pub timestamp: DateTime<Utc>,
    pub status: u16,
    pub method: Option<String>,
    pub path: Option<String>,
    /// Header (lowercase name, value) pairs as logged.
    #[serde(serialize_with = "serialize_redacted_headers")]
    pub headers: Vec<(String, String)>,
    /// The request body text as sent.
    pub body: Option<String>,
    pub key_hash: Option<String>,
    pub environment: Option<String>,
    pub model: Option<String>,
    pub region: Option<String>,
    pub forwarder_tag: Option<String>,
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub network_error: Option<String>,
    pub input_tokens: Option<u64>,
    pub stream: Option<bool>,
    pub latency_ms: Option<f64>,
    /// Who answered (`provider`, `gateway`, `network`), as in [`Summary::by_hop`].
    pub hop: Option<String>,
    pub payload_bytes: Option<u64>,
}

/// Header pairs with credential values redacted (`crate::redact`).
fn redacted_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            if crate::redact::is_credential_header(name) {
                (name.clone(), crate::redact::redact_credential_header(value))
            } else {
                (name.clone(), value.clone())
            }
        })
        .collect()
}

fn serialize_redacted_headers<S: serde::Serializer>(headers: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&redacted_headers(headers), s)
}

impl Sample {
    /// Masks credentials in the fields not meant to hold any (see [`Summary::mask_logged_fields`]).
    pub fn mask_logged_fields(&mut self) {
        use crate::redact::{mask_identifier, mask_secrets_in_text as mask, mask_url};
        let owned = |v: &mut String| {
            if let std::borrow::Cow::Owned(m) = mask(v) {
                *v = m;
            }
        };
        for v in [
            &mut self.environment,
            &mut self.model,
            &mut self.region,
            &mut self.forwarder_tag,
            &mut self.network_error,
            &mut self.error_type,
        ]
        .into_iter()
        .flatten()
        {
            owned(v);
        }
        if let Some(id) = &mut self.request_id {
            if let std::borrow::Cow::Owned(m) = mask_identifier(id) {
                *id = m;
            }
        }
        if let Some(path) = &mut self.path {
            if let std::borrow::Cow::Owned(m) = mask_url(path) {
                *path = m;
            }
        }
    }
}

impl std::fmt::Debug for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sample")
            .field("group", &self.group)
            .field("group_key", &self.group_key)
            .field("request_id", &self.request_id)
            .field("timestamp", &self.timestamp)
            .field("status", &self.status)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &redacted_headers(&self.headers))
            .field("body", &self.body)
            .field("key_hash", &self.key_hash)
            .field("environment", &self.environment)
            .field("model", &self.model)
            .field("region", &self.region)
            .field("forwarder_tag", &self.forwarder_tag)
            .field("error_type", &self.error_type)
            .field("error_message", &self.error_message)
            .field("network_error", &self.network_error)
            .field("input_tokens", &self.input_tokens)
            .field("stream", &self.stream)
            .field("latency_ms", &self.latency_ms)
            .field("hop", &self.hop)
            .field("payload_bytes", &self.payload_bytes)
            .finish()
    }
}

impl Summary {
    /// The width of each entry of [`Summary::minutes`], in minutes (at least 1).
    pub fn bucket_width(&self) -> u32 {
        self.bucket_minutes.max(1)
    }

    /// Masks credentials in the fields that are not meant to hold any but are shown as logged
    /// (`redact::mask_secrets_in_text`): region, environment, forwarder tag, model, network
    /// error, in every breakdown and sample, and the samples' request ids (typed ids such as
    /// `req_011C…` stay as they are) and paths (query-string credentials too). Both backends'
    /// Summaries go through it before anything is shown, so every report and the walk agree.
    pub fn mask_logged_fields(&mut self) {
        use crate::redact::mask_secrets_in_text as mask;
        let owned = |v: &mut String| {
            if let std::borrow::Cow::Owned(m) = mask(v) {
                *v = m;
            }
        };
        let breakdown = |b: &mut Breakdown| b.top.iter_mut().for_each(|bucket| owned(&mut bucket.value));
        for b in [
            &mut self.by_forwarder_tag,
            &mut self.by_region,
            &mut self.by_environment,
            &mut self.by_model,
            &mut self.network_errors.by_region,
            &mut self.network_errors.by_forwarder_tag,
            &mut self.long_requests.non_streaming_by_forwarder_tag,
            &mut self.by_forwarder_tag_without_hop,
        ] {
            breakdown(b);
        }
        let keys = |m: &mut BTreeMap<String, _>| {
            if m.keys().any(|k| matches!(mask(k), std::borrow::Cow::Owned(_))) {
                *m = std::mem::take(m).into_iter().map(|(k, v)| (mask(&k).into_owned(), v)).collect();
            }
        };
        keys(&mut self.latency_by_region);
        if self.network_errors.by_error.keys().any(|k| matches!(mask(k), std::borrow::Cow::Owned(_))) {
            let mut masked = BTreeMap::new();
            for (k, n) in std::mem::take(&mut self.network_errors.by_error) {
                *masked.entry(mask(&k).into_owned()).or_insert(0) += n;
            }
            self.network_errors.by_error = masked;
        }
        for e in &mut self.environments {
            owned(&mut e.environment);
        }
        for sample in &mut self.samples {
            sample.mask_logged_fields();
        }
    }

    /// All failing records.
    pub fn failures(&self) -> u64 {
        failures_in(&self.by_status)
    }

    /// Failing records by status (only failing statuses).
    pub fn failures_by_status(&self) -> StatusCounts {
        self.by_status.iter().filter(|(s, _)| is_failure(**s)).map(|(s, n)| (*s, *n)).collect()
    }

    /// Whether the records carried a logical field at all.
    pub fn has_field(&self, name: &str) -> bool {
        self.fields.present.get(name).is_some_and(|n| *n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_collapses_whitespace_and_cuts() {
        assert_eq!(normalise_message("  no  healthy\n upstream "), "no healthy upstream");
        let long = "x".repeat(500);
        assert_eq!(normalise_message(&long).chars().count(), MESSAGE_MAX_CHARS);
        assert_eq!(normalise_message(""), "");
        assert_eq!(
            normalise_message(r##"{"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"} model claude-sonnet-4-5-20250929"##),
            r##"{"request_id":"#"} model claude-sonnet-4-5-20250929"##
        );
        assert!(message_needs_normalising("id req_011CSHoEeqs5C35K2UUqR7Fy"));
        assert!(!message_needs_normalising("no healthy upstream"));
    }

    #[test]
    fn sample_debug_and_json_never_carry_a_key() {
        let key = "sk-ant-api03-SECRETSECRETSECRETSECRETSECRETSECRET0123456789-AA";
        let sample = Sample {
            headers: vec![
                ("authorization".into(), format!("bearer {key}\n")),
                ("x-api-key".into(), key.into()),
                ("content-type".into(), "application/json".into()),
            ],
            ..Sample::default()
        };
        let shown = format!("{sample:?}") + &serde_json::to_string(&sample).unwrap_or_default();
        assert!(!shown.contains("SECRETSECRET"), "{shown}");
        assert!(shown.contains("sk-ant-api03-… sha256:") && shown.contains("application/json"), "{shown}");
        // In memory the detectors still see the bytes as sent.
        assert!(sample.headers[0].1.ends_with('\n'));
    }

    #[test]
    fn summary_round_trips_through_json() {
        let mut s = Summary { schema: "faultline".into(), total_requests: 3, ..Summary::default() };
        s.by_status.insert(200, 2);
        s.by_status.insert(429, 1);
        let text = serde_json::to_string(&s).unwrap_or_default();
        let back: Summary = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, s);
        assert_eq!(back.failures(), 1);
    }

    #[test]
    fn the_bucket_width_keeps_the_window_within_1440_buckets() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).ok();
        let now = at("2026-11-18T11:00:00Z").unwrap_or_default();
        assert_eq!(bucket_minutes(None, None, now), 1);
        assert_eq!(bucket_minutes(at("2026-11-18T10:00:00Z"), None, now), 1);
        assert_eq!(bucket_minutes(at("2026-11-17T11:00:00Z"), None, now), 1, "a whole day: 1,440 minutes");
        assert_eq!(bucket_minutes(at("2026-11-17T10:59:30Z"), None, now), 2, "a day and a bit: 1,441");
        assert_eq!(bucket_minutes(at("2026-10-19T11:00:00Z"), None, now), 30, "30 days");
        assert_eq!(bucket_minutes(at("2026-10-19T10:59:00Z"), None, now), 60);
        assert_eq!(bucket_minutes(at("2025-11-18T11:00:00Z"), None, now), 720, "a year");
        for days in [1i64, 2, 7, 30, 90, 365, 3650] {
            let w = i64::from(bucket_minutes(Some(now - chrono::Duration::days(days)), None, now));
            assert!(days * 1440 / w <= MAX_BUCKETS, "{days} days: {w}");
        }
    }

    /// The cases are the ones the cluster was asked (osmem-server 3.8, `auto_date_histogram`
    /// with `buckets` 1440 and `minimum_interval` minute, two records at the span's ends); the
    /// widths and first keys are its answers, which follow Elasticsearch's
    /// `InternalAutoDateHistogram` (a unit is kept while its buckets number at most 1,440 × its
    /// largest inner interval; consecutive buckets are merged from the first).
    #[test]
    fn a_window_without_a_start_is_cut_as_auto_date_histogram_cuts_it() {
        let first = DateTime::parse_from_rfc3339("2026-10-01T07:23:41Z").map(|t| t.with_timezone(&Utc));
        let first = first.unwrap_or_default();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default();
        let m = chrono::Duration::minutes;
        for (span, width, origin) in [
            (m(0), 1, "2026-10-01T07:23:00Z"),
            (m(20), 1, "2026-10-01T07:23:00Z"),
            (m(1439), 1, "2026-10-01T07:23:00Z"),
            (m(1440), 5, "2026-10-01T07:23:00Z"),
            (m(43_199), 30, "2026-10-01T07:23:00Z"),
            (m(43_200), 60, "2026-10-01T07:00:00Z"),
            (chrono::Duration::hours(17_279), 720, "2026-10-01T07:00:00Z"),
            (chrono::Duration::hours(17_281), 1440, "2026-10-01T00:00:00Z"),
            (chrono::Duration::hours(865), 60, "2026-10-01T07:00:00Z"),
        ] {
            let got = open_bucketing(first, first + span);
            assert_eq!((got.width, got.origin), (width, at(origin)), "{span:?}");
        }
        // A record before the first one cannot be; a last before the first is the first.
        assert_eq!(open_bucketing(first, first - m(5)).width, 1);
        // Over 27 years the cluster turns to calendar months; the file keeps 7 days.
        assert_eq!(open_bucketing(first, first + chrono::Duration::days(10_100)).width, 10_080);
    }

    #[test]
    fn the_cluster_s_intervals_read_as_minutes() {
        for (text, minutes) in [("1m", 1), ("30m", 30), ("3h", 180), ("12h", 720), ("7d", 10_080), ("1M", 43_200)] {
            assert_eq!(auto_interval_minutes(text), Some(minutes), "{text}");
        }
        for text in ["", "m", "0m", "5s", "1.5h", "-1h", "99999999999d", "1é"] {
            assert_eq!(auto_interval_minutes(text), None, "{text}");
        }
    }

    #[test]
    fn buckets_cut_from_the_first_record_start_on_it() {
        let t = |m: i64| DateTime::<Utc>::from_timestamp(1_795_000_000 - 1_795_000_000 % 3600 + m * 60, 0);
        let t = |m: i64| t(m).unwrap_or_default();
        let minute = |at: i64, requests: u64| MinuteBucket { start: t(at), requests, ..MinuteBucket::default() };
        let cut = Bucketing { width: 5, origin: t(3) };
        let got = coarsen_from(vec![minute(3, 1), minute(7, 2), minute(8, 4), minute(14, 8)], cut);
        let starts: Vec<_> = got.iter().map(|b| (b.start, b.requests)).collect();
        assert_eq!(starts, vec![(t(3), 3), (t(8), 4), (t(13), 8)]);
    }

    #[test]
    fn coarsened_minutes_add_up_and_start_on_their_width() {
        let t = |m: i64| {
            DateTime::<Utc>::from_timestamp(1_795_000_000 - 1_795_000_000 % 3600 + m * 60, 0).unwrap_or_default()
        };
        let minute = |m: i64, requests: u64, failing: u64, conc: Option<u64>| MinuteBucket {
            start: t(m),
            requests,
            failures: if failing > 0 { [(429, failing)].into_iter().collect() } else { StatusCounts::new() },
            max_concurrency: conc,
            input_tokens: requests * 10,
            output_tokens: requests,
        };
        let epoch = |width| Bucketing { width, origin: DateTime::<Utc>::UNIX_EPOCH };
        let got =
            coarsen_from(vec![minute(0, 5, 1, Some(3)), minute(29, 2, 0, None), minute(30, 1, 1, Some(9))], epoch(30));
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].start, got[0].requests, got[0].max_concurrency), (t(0), 7, Some(3)));
        assert_eq!(got[0].failures.get(&429), Some(&1));
        assert_eq!((got[0].input_tokens, got[0].output_tokens), (70, 7));
        assert_eq!((got[1].start, got[1].requests, got[1].max_concurrency), (t(30), 1, Some(9)));
        assert_eq!(coarsen_from(vec![minute(1, 1, 0, None)], epoch(1))[0].start, t(1));
    }
}
