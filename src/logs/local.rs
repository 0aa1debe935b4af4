//! The local backend: one streaming pass over NDJSON (or an ES export) into a [`Summary`].
//!
//! The reader thread cuts the input into chunks of whole lines; worker threads parse them, each
//! into its own [`Accumulator`]; the partial accumulators merge at the end (every part of an
//! accumulator is mergeable: counts add, min/max combine, sketches add, samples keep the earliest).
//! Memory is bounded whatever the input: distinct values per grouping are capped
//! ([`MAX_DISTINCT`]; later values fold into "other"), samples are a few per group, the sketches
//! are fixed arrays; only the per-minute series grows, with the time span (not the input size).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::sync::mpsc::sync_channel;

use chrono::{DateTime, TimeZone, Utc};

use super::preset::Override;
use super::preset::MAX_SLOTS;
use super::reader::{self, Chunk};
use super::record::{self, Detection, Field, FieldMap, Record, FIELD_COUNT, SMALL_SLOTS, TINY_SLOTS};
use crate::diagnose::sketch::Sketch;
use crate::diagnose::summary::*;
use crate::error::{Error, Result};
use crate::knowledge::presets::Presets;

/// Distinct values tracked per grouping before new values fold into "other".
pub const MAX_DISTINCT: usize = 20_000;
/// Distinct sample groups tracked per status and grouping.
const MAX_SAMPLE_GROUPS: usize = 512;
/// Error messages whose normalised form is remembered (a few kinds repeat through a file).
const RECENT_MESSAGES: usize = 8;
/// Records looked at to pick the preset under `--schema auto`.
const DETECT_RECORDS: usize = 50;

/// What the local backend is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// A preset's name; `None`: detect from the first records.
    pub preset: Option<String>,
    /// The presets to name or detect from (built-in plus faultline.toml's).
    pub presets: Presets,
    pub overrides: Vec<Override>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// `streaming.non_streaming_token_limit`.
    pub long_token_limit: u64,
    /// `payload.bytes_per_token`: estimates the tokens of a record that logs only its bytes.
    pub bytes_per_token: f64,
    /// Worker threads (at least 1).
    pub workers: usize,
}

impl Options {
    /// Auto-detected preset among the built-in ones, no overrides, no window: every record counts.
    pub fn new(long_token_limit: u64, workers: usize) -> Options {
        Options {
            preset: None,
            presets: crate::knowledge::presets::builtin().clone(),
            overrides: Vec::new(),
            from: None,
            to: None,
            long_token_limit,
            bytes_per_token: 4.0,
            workers,
        }
    }
}

/// The Summary plus what only the local reader knows: where the first bad lines were and why.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub summary: Summary,
    /// `line:col: reason` for the first skipped lines.
    pub first_errors: Vec<String>,
    pub bytes: u64,
    /// What the report should say before its figures (timestamps read as epoch seconds, a
    /// damaged gzip stream): the command puts them in the diagnosis's `notes`.
    pub notes: Vec<String>,
}

/// Epoch timestamps below this, read as milliseconds, fall before March 1973: no API log is
/// that old, so they are epoch seconds written without a unit and are read as seconds.
const EPOCH_SECONDS_BELOW_MS: i64 = 100_000_000_000;
/// The per-record maps (values of a grouping, keys, regions): foldhash's seeded hasher instead
/// of SipHash, which was ~7 % of the instructions per record. The maps are capped at
/// [`MAX_DISTINCT`] entries, which bounds what crafted colliding values could cost.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Status -> count, as a short vector (a handful of statuses per value; faster than a map).
#[derive(Debug, Clone, Default)]
struct Counts(Vec<(u16, u64)>);

impl Counts {
    fn add(&mut self, status: u16, n: u64) {
        match self.0.iter_mut().find(|(s, _)| *s == status) {
            Some((_, c)) => *c += n,
            None => self.0.push((status, n)),
        }
    }
    fn merge(&mut self, other: &Counts) {
        for (s, n) in &other.0 {
            self.add(*s, *n);
        }
    }
    fn get(&self, status: u16) -> u64 {
        self.0.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)
    }
    fn subtract(&mut self, other: &Counts) {
        for (s, n) in &other.0 {
            if let Some((_, c)) = self.0.iter_mut().find(|(x, _)| x == s) {
                *c = c.saturating_sub(*n);
            }
        }
    }
    fn failures(&self) -> u64 {
        self.0.iter().filter(|(s, _)| is_failure(*s)).map(|(_, n)| n).sum()
    }
    fn total(&self) -> u64 {
        self.0.iter().map(|(_, n)| n).sum()
    }
    fn to_map(&self) -> StatusCounts {
        self.0.iter().filter(|(_, n)| *n > 0).copied().collect()
    }
    fn failing_map(&self) -> StatusCounts {
        self.0.iter().filter(|(s, n)| is_failure(*s) && *n > 0).copied().collect()
    }
}

/// A capped value -> status counts map.
#[derive(Debug, Clone, Default)]
struct Grouping {
    values: FastMap<Box<str>, Counts>,
    other: Counts,
    missing: Counts,
}

impl Grouping {
    fn add(&mut self, value: Option<&str>, status: u16) {
        match value {
            None => self.missing.add(status, 1),
            Some(v) => {
                let len = self.values.len();
                match self.values.get_mut(v) {
                    Some(c) => c.add(status, 1),
                    None if len < MAX_DISTINCT => {
                        let mut c = Counts::default();
                        c.add(status, 1);
                        self.values.insert(v.into(), c);
                    }
                    None => self.other.add(status, 1),
                }
            }
        }
    }
    fn merge(&mut self, other: Grouping) {
        self.other.merge(&other.other);
        self.missing.merge(&other.missing);
        for (v, c) in other.values {
            let len = self.values.len();
            match self.values.get_mut(&v) {
                Some(mine) => mine.merge(&c),
                None if len < MAX_DISTINCT => {
                    self.values.insert(v, c);
                }
                None => self.other.merge(&c),
            }
        }
    }
    /// This grouping without the records of `part` (a subset of it).
    fn minus(&self, part: &Grouping) -> Grouping {
        let mut out = self.clone();
        for (v, c) in &part.values {
            match out.values.get_mut(v) {
                Some(mine) => mine.subtract(c),
                None => out.other.subtract(c),
            }
        }
        out.other.subtract(&part.other);
        out.missing.subtract(&part.missing);
        out.values.retain(|_, c| c.total() > 0);
        out
    }
    fn count(&self, value: &str, status: u16) -> u64 {
        self.values.get(value).map_or(0, |c| c.get(status))
    }
    fn finish(&self) -> Breakdown {
        self.finish_top(TOP_N)
    }
    fn finish_top(&self, top_n: usize) -> Breakdown {
        let mut all: Vec<(&str, &Counts)> = self.values.iter().map(|(v, c)| (&**v, c)).collect();
        all.sort_by(|a, b| b.1.failures().cmp(&a.1.failures()).then(b.1.total().cmp(&a.1.total())).then(a.0.cmp(b.0)));
        let mut other = self.other.clone();
        for (_, c) in all.iter().skip(top_n) {
            other.merge(c);
        }
        Breakdown {
            top: all
                .iter()
                .take(top_n)
                .map(|(v, c)| Bucket { value: (*v).to_string(), by_status: c.to_map() })
                .collect(),
            other: other.to_map(),
            missing: self.missing.to_map(),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct MinuteAcc {
    requests: u64,
    failures: Counts,
    max_concurrency: Option<u64>,
    input_tokens: u64,
    output_tokens: u64,
}

impl MinuteAcc {
    /// Adds another part's counts of the same minute (a worker's, or the minute being filled).
    fn merge(&mut self, m: &MinuteAcc) {
        self.requests += m.requests;
        self.failures.merge(&m.failures);
        self.max_concurrency =
            max_opt(self.max_concurrency.map(|c| c as i64), m.max_concurrency.map(|c| c as i64)).map(|c| c as u64);
        self.input_tokens += m.input_tokens;
        self.output_tokens += m.output_tokens;
    }
}

#[derive(Debug, Clone, Default)]
struct KeyAcc {
    successes: u64,
    failures: Counts,
    first_success: Option<i64>,
    last_success: Option<i64>,
    first_failure: Option<i64>,
    last_failure: Option<i64>,
    /// (failing status, first, last), in the order first seen.
    failure_times: Vec<(u16, i64, i64)>,
}

impl KeyAcc {
    fn failed_at(&mut self, status: u16, first: i64, last: i64) {
        match self.failure_times.iter_mut().find(|(s, _, _)| *s == status) {
            Some((_, f, l)) => {
                *f = (*f).min(first);
                *l = (*l).max(last);
            }
            None => self.failure_times.push((status, first, last)),
        }
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Sample order: timestamp, then request id (missing first).
type SampleKey = (i64, Option<String>);
/// (status, group key) -> the earliest samples of the group, sorted.
type GroupSamples = HashMap<(u16, Box<str>), Vec<(SampleKey, Sample)>>;
/// (environment, failures, requests, its keys).
type EnvRow<'a> = (&'a str, u64, u64, Vec<(&'a str, &'a Counts)>);

#[derive(Debug, Clone, Default)]
struct SampleGroups {
    /// (status, group key) -> up to SAMPLES_PER_GROUP earliest samples, sorted.
    groups: GroupSamples,
    per_status: HashMap<u16, usize>,
}

impl SampleGroups {
    /// Whether a record with `key` would enter the group (checked before building the sample).
    fn wants(&self, status: u16, group: &str, key: (i64, Option<&str>)) -> bool {
        match self.groups.get(&(status, Box::from(group))) {
            Some(list) if list.len() >= SAMPLES_PER_GROUP => {
                list.last().is_some_and(|((t, rid), _)| key < (*t, rid.as_deref()))
            }
            Some(_) => true,
            None => self.per_status.get(&status).copied().unwrap_or(0) < MAX_SAMPLE_GROUPS,
        }
    }
    fn offer(&mut self, status: u16, group: &str, key: SampleKey, sample: Sample) {
        let entry = self.groups.entry((status, Box::from(group)));
        let list = match entry {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let n = self.per_status.entry(status).or_insert(0);
                if *n >= MAX_SAMPLE_GROUPS {
                    return;
                }
                *n += 1;
                v.insert(Vec::new())
            }
        };
        let at = list.partition_point(|(k, _)| k <= &key);
        list.insert(at, (key, sample));
        list.truncate(SAMPLES_PER_GROUP);
    }
    fn merge(&mut self, other: SampleGroups) {
        for ((status, group), list) in other.groups {
            for (key, sample) in list {
                self.offer(status, &group, key, sample);
            }
        }
    }
}

/// The partial facts of one worker.
#[derive(Debug, Clone)]
pub struct Accumulator {
    long_token_limit: u64,
    bytes_per_token: f64,
    from: Option<i64>,
    to: Option<i64>,
    total: u64,
    by_status: Counts,
    first: Option<i64>,
    last: Option<i64>,
    skipped: SkippedLines,
    first_errors: Vec<(u64, String)>,
    present: [u64; FIELD_COUNT],
    minutes: BTreeMap<i64, MinuteAcc>,
    forwarder: Grouping,
    region: Grouping,
    environment: Grouping,
    key_hash: Grouping,
    model: Grouping,
    error_type: Grouping,
    message: Grouping,
    latency_status: HashMap<u16, Sketch>,
    latency_region: FastMap<Box<str>, Sketch>,
    keys: FastMap<Box<str>, KeyAcc>,
    /// environment -> key hash -> counts (nested: a record's pair is looked up without
    /// building an owned key); `env_key_count` pairs in all, capped at [`MAX_DISTINCT`].
    env_keys: FastMap<Box<str>, FastMap<Box<str>, Counts>>,
    env_key_count: usize,
    net_status: Counts,
    net_region: Grouping,
    net_forwarder: Grouping,
    net_error: HashMap<Box<str>, u64>,
    long_non_streaming: Counts,
    long_streaming: Counts,
    long_unknown: Counts,
    long_forwarder: Grouping,
    tokens_in: u64,
    tokens_out: u64,
    message_samples: SampleGroups,
    key_samples: SampleGroups,
    /// The minute being filled (records come mostly in time order): merged into `minutes` when
    /// another minute comes, or at the end.
    current_minute: Option<(i64, MinuteAcc)>,
    /// The last error messages seen and whether each needed normalising (gateways repeat
    /// theirs): at most [`RECENT_MESSAGES`], the oldest replaced first.
    recent_messages: Vec<(Box<str>, Option<String>)>,
    next_message: usize,
    hop: Grouping,
    /// Tags of the records that have a hop: subtracted from `forwarder` at the end (cheaper than
    /// a second grouping of every record).
    forwarder_with_hop: Grouping,
    in_band: Counts,
    long_by_bytes: Counts,
    /// Records whose epoch timestamp was small enough to be seconds (see
    /// [`EPOCH_SECONDS_BELOW_MS`]) and was read as seconds.
    epoch_seconds: u64,
}

impl Accumulator {
    pub fn new(opts: &Options) -> Accumulator {
        Accumulator {
            long_token_limit: opts.long_token_limit,
            bytes_per_token: opts.bytes_per_token,
            from: opts.from.map(|t| t.timestamp_millis()),
            to: opts.to.map(|t| t.timestamp_millis()),
            total: 0,
            by_status: Counts::default(),
            first: None,
            last: None,
            skipped: SkippedLines::default(),
            first_errors: Vec::new(),
            present: [0; FIELD_COUNT],
            minutes: BTreeMap::new(),
            forwarder: Grouping::default(),
            region: Grouping::default(),
            environment: Grouping::default(),
            key_hash: Grouping::default(),
            model: Grouping::default(),
            error_type: Grouping::default(),
            message: Grouping::default(),
            latency_status: HashMap::new(),
            latency_region: FastMap::default(),
            keys: FastMap::default(),
            env_keys: FastMap::default(),
            env_key_count: 0,
            net_status: Counts::default(),
            net_region: Grouping::default(),
            net_forwarder: Grouping::default(),
            net_error: HashMap::new(),
            long_non_streaming: Counts::default(),
            long_streaming: Counts::default(),
            long_unknown: Counts::default(),
            long_forwarder: Grouping::default(),
            tokens_in: 0,
            tokens_out: 0,
            message_samples: SampleGroups::default(),
            key_samples: SampleGroups::default(),
            current_minute: None,
            recent_messages: Vec::new(),
            next_message: 0,
            hop: Grouping::default(),
            forwarder_with_hop: Grouping::default(),
            in_band: Counts::default(),
            long_by_bytes: Counts::default(),
            epoch_seconds: 0,
        }
    }

    /// Counts a line that is not a record. The warning is always `{line}[:{column}]: {reason}`
    /// and then `: {detail}` when there is one; `finish` puts the source name in front.
    pub fn skip(&mut self, line: u64, reason: &str, column: Option<usize>, detail: Option<String>) {
        self.skipped.count += 1;
        *self.skipped.reasons.entry(reason.to_string()).or_insert(0) += 1;
        if self.skipped.first_lines.len() < SKIPPED_LINES_KEPT {
            self.skipped.first_lines.push(line);
        }
        if self.first_errors.len() < SKIPPED_LINES_KEPT {
            let column = column.map(|c| format!(":{c}")).unwrap_or_default();
            let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
            self.first_errors.push((line, format!("{line}{column}: {reason}{detail}")));
        }
    }

    /// Reads one line.
    pub fn line(&mut self, map: &FieldMap, number: u64, line: &[u8]) {
        if map.fits(TINY_SLOTS) {
            self.line_in::<TINY_SLOTS>(map, number, line)
        } else if map.fits(SMALL_SLOTS) {
            self.line_in::<SMALL_SLOTS>(map, number, line)
        } else {
            self.line_in::<MAX_SLOTS>(map, number, line)
        }
    }

    fn line_in<const N: usize>(&mut self, map: &FieldMap, number: u64, line: &[u8]) {
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if line.first() != Some(&b'{') && not_an_object(line) {
            return self.skip(number, "not a JSON object", None, None);
        }
        match Record::<N>::parse(map, line) {
            Ok(rec) => self.record(number, &rec),
            Err(e) => {
                let reason =
                    if line.first() == Some(&b'{') || !e.is_syntax() { "not a valid JSON object" } else { "not JSON" };
                let reason = if std::str::from_utf8(line).is_err() { "invalid UTF-8" } else { reason };
                self.skip(number, reason, Some(e.column()), Some(e.to_string()));
            }
        }
    }

    fn record<const N: usize>(&mut self, number: u64, rec: &Record<'_, N>) {
        let mut ts = match rec.timestamp() {
            Ok(t) => t.timestamp_millis(),
            Err(reason) => return self.skip(number, reason, None, None),
        };
        if ts > 0 && ts < EPOCH_SECONDS_BELOW_MS {
            ts = ts.saturating_mul(1000);
            self.epoch_seconds += 1;
        }
        let (status, in_band) = match rec.status() {
            Ok(s) => (s.code, s.in_band),
            Err(reason) => return self.skip(number, reason, None, None),
        };
        if self.from.is_some_and(|f| ts < f) || self.to.is_some_and(|t| ts >= t) {
            self.skipped.outside_window += 1;
            return;
        }
        let failed = is_failure(status);
        self.total += 1;
        self.by_status.add(status, 1);
        self.first = min_opt(self.first, Some(ts));
        self.last = max_opt(self.last, Some(ts));
        for (i, f) in Field::ALL.iter().enumerate() {
            // Every record counted has a status, whichever rule gave it.
            if *f == Field::Status || rec.present(*f) {
                if let Some(p) = self.present.get_mut(i) {
                    *p += 1;
                }
            }
        }
        if in_band {
            self.in_band.add(status, 1);
        }

        let input_tokens = rec.u64(Field::PayloadTokens);
        let output_tokens = rec.u64(Field::OutputTokens);
        let concurrency = rec.u64(Field::Concurrency);
        let minute = ts.div_euclid(60_000) * 60_000;
        if self.current_minute.as_ref().is_some_and(|(t, _)| *t != minute) {
            self.flush_minute();
        }
        let (_, m) = self.current_minute.get_or_insert_with(|| (minute, MinuteAcc::default()));
        m.requests += 1;
        if failed {
            m.failures.add(status, 1);
        }
        if let Some(c) = concurrency {
            m.max_concurrency = Some(m.max_concurrency.map_or(c, |x| x.max(c)));
        }
        m.input_tokens += input_tokens.unwrap_or(0);
        m.output_tokens += output_tokens.unwrap_or(0);
        self.tokens_in += input_tokens.unwrap_or(0);
        self.tokens_out += output_tokens.unwrap_or(0);

        let forwarder = rec.str(Field::ForwarderTag);
        let region = rec.str(Field::Region);
        let environment = rec.str(Field::Environment);
        let key_hash = rec.str(Field::KeyHash);
        let message = rec.str(Field::ErrorMessage).map(|m| self.normalised(m));
        // Who answered: a logged network error is the network's, else the preset's hop rules.
        let (hop, network_error) = rec.who_answered();
        // Records without a hop are the by_status remainder (counted at the end, not per record).
        if let Some(h) = hop {
            self.hop.add(Some(h.as_str()), status);
            self.forwarder_with_hop.add(forwarder.as_deref(), status);
        }
        self.forwarder.add(forwarder.as_deref(), status);
        self.region.add(region.as_deref(), status);
        self.environment.add(environment.as_deref(), status);
        self.key_hash.add(key_hash.as_deref(), status);
        self.model.add(rec.str(Field::Model).as_deref(), status);
        self.error_type.add(rec.str(Field::ErrorType).as_deref(), status);
        self.message.add(message.as_deref(), status);

        let latency = rec.latency_ms();
        if let Some(ms) = latency {
            self.latency_status.entry(status).or_default().add(ms);
            if let Some(r) = &region {
                let len = self.latency_region.len();
                match self.latency_region.get_mut(&**r) {
                    Some(s) => s.add(ms),
                    None if len < MAX_DISTINCT => {
                        let mut s = Sketch::default();
                        s.add(ms);
                        self.latency_region.insert((&**r).into(), s);
                    }
                    None => {}
                }
            }
        }

        if let Some(k) = &key_hash {
            let len = self.keys.len();
            let acc = match self.keys.get_mut(&**k) {
                Some(a) => Some(a),
                None if len < MAX_DISTINCT => Some(self.keys.entry((&**k).into()).or_default()),
                None => None,
            };
            if let Some(a) = acc {
                if failed {
                    a.failures.add(status, 1);
                    a.first_failure = min_opt(a.first_failure, Some(ts));
                    a.last_failure = max_opt(a.last_failure, Some(ts));
                    a.failed_at(status, ts, ts);
                } else {
                    a.successes += 1;
                    a.first_success = min_opt(a.first_success, Some(ts));
                    a.last_success = max_opt(a.last_success, Some(ts));
                }
            }
            if let Some(env) = &environment {
                match self.env_keys.get_mut(&**env).and_then(|keys| keys.get_mut(&**k)) {
                    Some(c) => c.add(status, 1),
                    None if self.env_key_count < MAX_DISTINCT => {
                        let mut c = Counts::default();
                        c.add(status, 1);
                        self.env_keys.entry((&**env).into()).or_default().insert((&**k).into(), c);
                        self.env_key_count += 1;
                    }
                    None => {}
                }
            }
        }

        if let Some(n) = &network_error {
            self.net_status.add(status, 1);
            self.net_region.add(region.as_deref(), status);
            self.net_forwarder.add(forwarder.as_deref(), status);
            if let Some(c) = self.net_error.get_mut(&**n) {
                *c += 1;
            } else if self.net_error.len() < MAX_DISTINCT {
                self.net_error.insert((&**n).into(), 1);
            }
        }

        // Without a token count, the payload bytes at `payload.bytes_per_token` say how long it was.
        let long_by_tokens = input_tokens.is_some_and(|t| t > self.long_token_limit);
        let long_by_bytes = input_tokens.is_none()
            && self.bytes_per_token > 0.0
            && rec.payload_bytes().is_some_and(|b| b as f64 > self.long_token_limit as f64 * self.bytes_per_token);
        if long_by_bytes {
            self.long_by_bytes.add(status, 1);
        }
        if long_by_tokens || long_by_bytes {
            match rec.bool(Field::Stream) {
                Some(false) => {
                    self.long_non_streaming.add(status, 1);
                    self.long_forwarder.add(forwarder.as_deref(), status);
                }
                Some(true) => self.long_streaming.add(status, 1),
                None => self.long_unknown.add(status, 1),
            }
        }

        if failed {
            let rid = rec.str(Field::RequestId);
            let order = (ts, rid.as_deref());
            let msg_group = message.as_deref().unwrap_or("");
            let want_msg = self.message_samples.wants(status, msg_group, order);
            let want_key = key_hash.as_deref().is_some_and(|k| self.key_samples.wants(status, k, order));
            if want_msg || want_key {
                let mut sample = sample_of(rec, status, time(ts));
                sample.group_key = msg_group.to_string();
                let key = (ts, rid.as_deref().map(str::to_string));
                if want_key {
                    if let Some(k) = key_hash.as_deref() {
                        let mut s = sample.clone();
                        s.group = SampleGroup::KeyHash;
                        s.group_key = k.to_string();
                        self.key_samples.offer(status, k, key.clone(), s);
                    }
                }
                if want_msg {
                    self.message_samples.offer(status, msg_group, key, sample);
                }
            }
        }
    }

    /// Moves the minute being filled into `minutes`.
    fn flush_minute(&mut self) {
        if let Some((t, m)) = self.current_minute.take() {
            self.minutes.entry(t).or_default().merge(&m);
        }
    }

    /// The grouping key of a message, borrowed when already normal; the check is remembered for
    /// the last message (a gateway writes the same few over and over).
    fn normalised<'m>(&mut self, m: Cow<'m, str>) -> Cow<'m, str> {
        if let Some((_, normal)) = self.recent_messages.iter().find(|(seen, _)| **seen == *m) {
            return match normal {
                None => m,
                Some(n) => Cow::Owned(n.clone()),
            };
        }
        let normal = message_needs_normalising(&m).then(|| normalise_message(&m));
        let entry = (Box::from(m.as_ref()), normal.clone());
        if self.recent_messages.len() < RECENT_MESSAGES {
            self.recent_messages.push(entry);
        } else if let Some(slot) = self.recent_messages.get_mut(self.next_message % RECENT_MESSAGES) {
            *slot = entry;
            self.next_message = self.next_message.wrapping_add(1);
        }
        match normal {
            None => m,
            Some(n) => Cow::Owned(n),
        }
    }

    /// Adds another worker's partial facts.
    pub fn merge(&mut self, mut o: Accumulator) {
        self.flush_minute();
        o.flush_minute();
        self.total += o.total;
        self.by_status.merge(&o.by_status);
        self.first = min_opt(self.first, o.first);
        self.last = max_opt(self.last, o.last);
        self.skipped.count += o.skipped.count;
        self.skipped.outside_window += o.skipped.outside_window;
        for (r, n) in o.skipped.reasons {
            *self.skipped.reasons.entry(r).or_insert(0) += n;
        }
        self.skipped.first_lines.extend(o.skipped.first_lines);
        self.skipped.first_lines.sort_unstable();
        self.skipped.first_lines.truncate(SKIPPED_LINES_KEPT);
        self.first_errors.extend(o.first_errors);
        self.first_errors.sort_by_key(|(n, _)| *n);
        self.first_errors.truncate(SKIPPED_LINES_KEPT);
        for (a, b) in self.present.iter_mut().zip(o.present) {
            *a += b;
        }
        for (t, m) in o.minutes {
            self.minutes.entry(t).or_default().merge(&m);
        }
        self.forwarder.merge(o.forwarder);
        self.region.merge(o.region);
        self.environment.merge(o.environment);
        self.key_hash.merge(o.key_hash);
        self.model.merge(o.model);
        self.error_type.merge(o.error_type);
        self.message.merge(o.message);
        for (s, sk) in o.latency_status {
            self.latency_status.entry(s).or_default().merge(&sk);
        }
        for (r, sk) in o.latency_region {
            self.latency_region.entry(r).or_default().merge(&sk);
        }
        for (k, a) in o.keys {
            let mine = self.keys.entry(k).or_default();
            mine.successes += a.successes;
            mine.failures.merge(&a.failures);
            mine.first_success = min_opt(mine.first_success, a.first_success);
            mine.last_success = max_opt(mine.last_success, a.last_success);
            mine.first_failure = min_opt(mine.first_failure, a.first_failure);
            mine.last_failure = max_opt(mine.last_failure, a.last_failure);
            for (st, first, last) in a.failure_times {
                mine.failed_at(st, first, last);
            }
        }
        for (env, keys) in o.env_keys {
            let mine = self.env_keys.entry(env).or_default();
            for (k, c) in keys {
                match mine.get_mut(&k) {
                    Some(m) => m.merge(&c),
                    None => {
                        mine.insert(k, c);
                        self.env_key_count += 1;
                    }
                }
            }
        }
        self.net_status.merge(&o.net_status);
        self.net_region.merge(o.net_region);
        self.net_forwarder.merge(o.net_forwarder);
        for (e, n) in o.net_error {
            *self.net_error.entry(e).or_insert(0) += n;
        }
        self.long_non_streaming.merge(&o.long_non_streaming);
        self.long_streaming.merge(&o.long_streaming);
        self.long_unknown.merge(&o.long_unknown);
        self.long_forwarder.merge(o.long_forwarder);
        self.tokens_in += o.tokens_in;
        self.tokens_out += o.tokens_out;
        self.message_samples.merge(o.message_samples);
        self.key_samples.merge(o.key_samples);
        self.hop.merge(o.hop);
        self.forwarder_with_hop.merge(o.forwarder_with_hop);
        self.in_band.merge(&o.in_band);
        self.long_by_bytes.merge(&o.long_by_bytes);
        self.epoch_seconds += o.epoch_seconds;
    }

    /// The finished facts.
    pub fn finish(mut self, schema: String, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Summary {
        self.flush_minute();
        let mut present = BTreeMap::new();
        let mut missing = Vec::new();
        for (f, n) in Field::ALL.iter().zip(self.present) {
            if n > 0 {
                present.insert(f.name().to_string(), n);
            } else {
                missing.push(f.name().to_string());
            }
        }
        let minutes = self
            .minutes
            .iter()
            .map(|(t, m)| MinuteBucket {
                start: time(*t),
                requests: m.requests,
                failures: m.failures.failing_map(),
                max_concurrency: m.max_concurrency,
                input_tokens: m.input_tokens,
                output_tokens: m.output_tokens,
            })
            .collect();
        // The same buckets the cluster gives over the same window: a width chosen from the window
        // when it has a start, else from the records' own span.
        let cut = match (from, self.first, self.last) {
            (None, Some(first), Some(last)) => open_bucketing(time(first), time(last)),
            _ => Bucketing { width: bucket_minutes(from, to, Utc::now()), origin: DateTime::<Utc>::UNIX_EPOCH },
        };
        let bucket_minutes = cut.width;
        let minutes = coarsen_from(minutes, cut);

        let mut keys: Vec<(&Box<str>, &KeyAcc)> = self.keys.iter().collect();
        keys.sort_by(|a, b| {
            b.1.failures
                .failures()
                .cmp(&a.1.failures.failures())
                .then((b.1.successes + b.1.failures.total()).cmp(&(a.1.successes + a.1.failures.total())))
                .then(a.0.cmp(b.0))
        });
        let keys = keys
            .into_iter()
            .take(KEY_TOP_N)
            .map(|(k, a)| KeyHistory {
                key_hash: k.to_string(),
                successes: a.successes,
                failures: a.failures.failing_map(),
                first_success: a.first_success.map(time),
                last_success: a.last_success.map(time),
                first_failure: a.first_failure.map(time),
                last_failure: a.last_failure.map(time),
                failure_times: a
                    .failure_times
                    .iter()
                    .map(|(st, first, last)| (*st, TimeSpan { first: time(*first), last: time(*last) }))
                    .collect(),
            })
            .collect();

        let environments = self.environments();
        let samples = self.samples();
        let mut by_error: BTreeMap<String, u64> = BTreeMap::new();
        for (e, n) in &self.net_error {
            by_error.insert(e.to_string(), *n);
        }
        Summary {
            schema,
            window: Window { first: self.first.map(time), last: self.last.map(time), from, to },
            skipped: self.skipped.clone(),
            fields: FieldPresence { present, missing },
            total_requests: self.total,
            by_status: self.by_status.to_map(),
            minutes,
            bucket_minutes,
            by_forwarder_tag: self.forwarder.finish(),
            by_region: self.region.finish(),
            by_environment: self.environment.finish(),
            by_key_hash: self.key_hash.finish(),
            by_model: self.model.finish(),
            by_error_type: self.error_type.finish(),
            by_error_message: self.message.finish_top(MESSAGE_TOP_N),
            latency_by_status: self.latency_status.iter().map(|(s, sk)| (*s, sk.percentiles())).collect(),
            latency_by_region: self.latency_region.iter().map(|(r, sk)| (r.to_string(), sk.percentiles())).collect(),
            keys,
            environments,
            network_errors: NetworkErrors {
                by_status: self.net_status.to_map(),
                by_region: self.net_region.finish(),
                by_forwarder_tag: self.net_forwarder.finish(),
                by_error,
            },
            long_requests: LongRequests {
                token_limit: self.long_token_limit,
                non_streaming_by_status: self.long_non_streaming.to_map(),
                streaming_by_status: self.long_streaming.to_map(),
                stream_unknown_by_status: self.long_unknown.to_map(),
                non_streaming_by_forwarder_tag: self.long_forwarder.finish(),
            },
            tokens: Tokens { input: self.tokens_in, output: self.tokens_out },
            samples,
            by_hop: {
                let mut hop = self.hop.clone();
                hop.missing = self.by_status.clone();
                for c in hop.values.values() {
                    hop.missing.subtract(c);
                }
                hop.finish()
            },
            by_forwarder_tag_without_hop: self.forwarder.minus(&self.forwarder_with_hop).finish(),
            in_band_failures: self.in_band.to_map(),
            long_requests_by_bytes: LongByBytes {
                bytes_per_token: self.bytes_per_token,
                by_status: self.long_by_bytes.to_map(),
            },
        }
    }

    fn environments(&self) -> Vec<EnvironmentKeys> {
        let mut per_env: HashMap<&str, Vec<(&str, &Counts)>> = HashMap::new();
        for (env, keys) in &self.env_keys {
            for (key, c) in keys {
                per_env.entry(&**env).or_default().push((&**key, c));
            }
        }
        let mut envs: Vec<EnvRow<'_>> = per_env
            .into_iter()
            .map(|(e, keys)| {
                let f = keys.iter().map(|(_, c)| c.failures()).sum();
                let t = keys.iter().map(|(_, c)| c.total()).sum();
                (e, f, t, keys)
            })
            .collect();
        envs.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
        envs.into_iter()
            .take(ENV_TOP_N)
            .map(|(e, _, _, mut keys)| {
                keys.sort_by(|a, b| {
                    b.1.failures().cmp(&a.1.failures()).then(b.1.total().cmp(&a.1.total())).then(a.0.cmp(b.0))
                });
                EnvironmentKeys {
                    environment: e.to_string(),
                    keys: keys
                        .into_iter()
                        .take(ENV_KEYS_TOP_N)
                        .map(|(k, c)| KeyCount {
                            key_hash: k.to_string(),
                            successes: c.total() - c.failures(),
                            failures: c.failing_map(),
                        })
                        .collect(),
                }
            })
            .collect()
    }

    fn samples(&self) -> Vec<Sample> {
        let mut out: Vec<Sample> = Vec::new();
        let failing: Vec<u16> = self.by_status.0.iter().filter(|(s, _)| is_failure(*s)).map(|(s, _)| *s).collect();
        for status in failing {
            for (groups, grouping) in [(&self.message_samples, &self.message), (&self.key_samples, &self.key_hash)] {
                let mut ranked: Vec<(&str, u64)> = groups
                    .groups
                    .keys()
                    .filter(|(s, _)| *s == status)
                    .map(|(_, g)| {
                        (&**g, if g.is_empty() { grouping.missing.get(status) } else { grouping.count(g, status) })
                    })
                    .collect();
                ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                for (g, _) in ranked.into_iter().take(SAMPLE_GROUPS_PER_STATUS) {
                    if let Some(list) = groups.groups.get(&(status, Box::from(g))) {
                        for (_, s) in list {
                            let dup = out.iter().any(|o| {
                                o.status == s.status
                                    && o.timestamp == s.timestamp
                                    && o.request_id == s.request_id
                                    && o.key_hash == s.key_hash
                                    && o.error_message == s.error_message
                            });
                            if !dup {
                                out.push(s.clone());
                            }
                        }
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            a.status.cmp(&b.status).then(a.timestamp.cmp(&b.timestamp)).then(a.request_id.cmp(&b.request_id))
        });
        out
    }
}

/// The fields [`sample_of`] does not read (only the summary counts them): a search for samples
/// need not fetch them. Keep this beside `sample_of`, which reads every other field.
pub const NOT_IN_SAMPLES: [Field; 4] = [Field::StackTrace, Field::ClientIp, Field::Concurrency, Field::OutputTokens];

/// A failing record kept whole (group `Message`, no group key yet): the local backend's
/// samples, and the cluster's hits read from `_source` by the same reader.
pub fn sample_of<const N: usize>(rec: &Record<'_, N>, status: u16, timestamp: DateTime<Utc>) -> Sample {
    let (hop, network_error) = rec.who_answered();
    let text = |f: Field| rec.str(f).map(Cow::into_owned);
    Sample {
        group: SampleGroup::Message,
        group_key: String::new(),
        request_id: text(Field::RequestId),
        timestamp,
        status,
        method: text(Field::Method),
        path: text(Field::Path),
        headers: rec.headers(),
        body: rec.body(),
        key_hash: text(Field::KeyHash),
        environment: text(Field::Environment),
        model: text(Field::Model),
        region: text(Field::Region),
        forwarder_tag: text(Field::ForwarderTag),
        error_type: text(Field::ErrorType),
        error_message: text(Field::ErrorMessage),
        network_error: network_error.map(Cow::into_owned),
        input_tokens: rec.u64(Field::PayloadTokens),
        stream: rec.bool(Field::Stream),
        latency_ms: rec.latency_ms(),
        hop: hop.map(|h| h.as_str().to_string()),
        payload_bytes: rec.payload_bytes(),
    }
}

// ---------------------------------------------------------------------------------------------

/// Whether a line that does not start with `{` is JSON of another kind (an array, a string, a
/// number): "not a JSON object" rather than "no timestamp". Off the hot path: records start with `{`.
fn not_an_object(line: &[u8]) -> bool {
    let text = line.trim_ascii_start();
    text.first() != Some(&b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok()
}

/// An Elasticsearch `_search` response: `{"hits":{"hits":[{"_source":{…}}]}}`.
#[derive(serde::Deserialize)]
struct SearchResponse<'a> {
    #[serde(borrow)]
    hits: SearchHits<'a>,
}

#[derive(serde::Deserialize)]
struct SearchHits<'a> {
    #[serde(borrow)]
    hits: Vec<&'a serde_json::value::RawValue>,
}

#[derive(serde::Deserialize)]
struct SearchHit<'a> {
    #[serde(borrow, rename = "_source")]
    source: Option<&'a serde_json::value::RawValue>,
}

/// Bytes peeked at to decide the framing and the preset.
const HEAD_BYTES: u64 = 1 << 20;
/// A UTF-8 byte order mark (Windows editors write one): not part of the first record.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The largest document input (a `_search` response, a JSON array) read whole.
const MAX_SEARCH_RESPONSE: u64 = 1 << 30;

/// Reads a source into a Summary.
pub fn summarise(source: reader::Source, opts: &Options) -> Result<Outcome> {
    summarise_observed(source, opts, None)
}

/// Records and skipped lines read so far, for a progress display (workers add to it after
/// each chunk; nothing else reads it).
#[derive(Debug, Default)]
pub struct ReadCounters {
    pub records: std::sync::atomic::AtomicU64,
    pub skipped: std::sync::atomic::AtomicU64,
}

/// [`summarise`], reporting its progress to `counters` as it goes.
pub fn summarise_observed(source: reader::Source, opts: &Options, counters: Option<&ReadCounters>) -> Result<Outcome> {
    summarise_in(source, opts, counters, false)
}

/// [`summarise`] with every record read by serde alone (the hand-written fast path off): the
/// reference a test compares the fast path's diagnosis with.
#[doc(hidden)]
pub fn summarise_plain_serde(source: reader::Source, opts: &Options) -> Result<Outcome> {
    summarise_in(source, opts, None, true)
}

fn summarise_in(
    source: reader::Source,
    opts: &Options,
    counters: Option<&ReadCounters>,
    plain: bool,
) -> Result<Outcome> {
    let reader::Source { name, mut reader } = source;
    // Peek at the first MiB to decide how the input is framed, and which preset reads it.
    let mut first: Option<Chunk> = None;
    let mut rest_reader: Option<Box<dyn Read + Send>> = None;
    let mut head = Vec::new();
    // A read error here (a small damaged .gz) keeps what was read before it, as a large one does.
    let head_error = (&mut reader).take(HEAD_BYTES).read_to_end(&mut head).err();
    if head.starts_with(UTF8_BOM) {
        head.drain(..UTF8_BOM.len());
    }
    if let (Some(e), true) = (&head_error, head.is_empty()) {
        return Err(Error::Input(format!("{name}: cannot read: {e}")));
    }
    let complete = head_error.is_some() || (head.len() as u64) < HEAD_BYTES;
    if framing(&head, complete) == Framing::Document {
        let mut whole = head;
        let mut damage = head_error.map(|e| e.to_string());
        if damage.is_none() {
            if let Err(e) = (&mut reader).take(MAX_SEARCH_RESPONSE).read_to_end(&mut whole) {
                damage = Some(e.to_string());
            }
        }
        return summarise_document(&name, &whole, opts, damage, plain);
    }
    let head_lines = memchr::memchr_iter(b'\n', &head).count() as u64;
    if !head.is_empty() {
        first = Some(Chunk { first_line: 1, data: head });
        if head_error.is_none() {
            rest_reader = Some(reader);
        } else {
            rest_reader = Some(Box::new(std::io::empty()));
        }
    }

    let lines: Vec<&[u8]> = first
        .as_ref()
        .map(|c| {
            reader::lines(c)
                .map(|(_, l)| l)
                .filter(|l| l.trim_ascii_start().first() == Some(&b'{'))
                .take(DETECT_RECORDS)
                .collect()
        })
        .unwrap_or_default();
    let map = field_map(&name, &lines, opts)?;
    let map = if plain { map.plain_serde() } else { map };
    let workers = opts.workers.max(1);

    let (merged, report) = std::thread::scope(|scope| {
        // One queue that every worker takes from (whichever is free takes the next chunk: on a
        // shared machine a worker that is descheduled does not hold the reader up), two chunks
        // per worker deep, as memory allows. Every part of an accumulator merges the same
        // whichever worker read a chunk. The receiver goes when the last worker does, so the
        // reader stops if every worker has failed.
        let (tx, rx) = sync_channel::<Chunk>(2 * workers);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        // Read chunks' buffers go back to the reader to be filled again (when it has room).
        let (back, spare) = sync_channel::<Vec<u8>>(workers);
        let mut handles = Vec::new();
        for _ in 0..workers {
            let rx = std::sync::Arc::clone(&rx);
            let back = back.clone();
            let map = &map;
            handles.push(scope.spawn(move || {
                let mut acc = Accumulator::new(opts);
                loop {
                    // A worker that panicked while waiting leaves the queue as it was.
                    let next = rx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
                    let Ok(chunk) = next else { break };
                    let before = (acc.total + acc.skipped.outside_window, acc.skipped.count);
                    for (n, line) in reader::lines(&chunk) {
                        acc.line(map, n, line);
                    }
                    if let Some(c) = counters {
                        use std::sync::atomic::Ordering::Relaxed;
                        c.records.fetch_add((acc.total + acc.skipped.outside_window).saturating_sub(before.0), Relaxed);
                        c.skipped.fetch_add(acc.skipped.count.saturating_sub(before.1), Relaxed);
                    }
                    let _ = back.try_send(chunk.data);
                }
                acc
            }));
        }
        // The peeked head and the rest of the input form one stream.
        let head_bytes: Vec<u8> = first.map(|c| c.data).unwrap_or_default();
        let mut stream: Box<dyn Read + Send> = match rest_reader {
            Some(r) => Box::new(std::io::Cursor::new(head_bytes).chain(r)),
            None => Box::new(std::io::empty()),
        };
        drop(rx);
        drop(back);
        let report = reader::chunk_lines(&mut stream, |chunk| tx.send(chunk).is_ok(), || spare.try_recv().ok());
        drop(tx);
        let mut merged = Accumulator::new(opts);
        for h in handles {
            match h.join() {
                Ok(acc) => merged.merge(acc),
                Err(_) => return Err(Error::Input(format!("{name}: a reader thread failed"))),
            }
        }
        Ok((merged, report))
    })?;
    let mut report = report;
    if let (None, Some(e)) = (&report.ended_early, head_error) {
        report.ended_early = Some((head_lines + 1, e.to_string()));
    }
    finish(&name, merged, report, &map, opts)
}

/// The preset named, or the one the first records match. A file whose records match no preset
/// is an input error naming the closest one (unless `--field` overrides map it by hand: then the
/// faultline preset with them, as before presets could be detected); a file with no JSON object
/// among its first lines reads as `faultline` (every line is then skipped and counted).
fn field_map(source: &str, lines: &[&[u8]], opts: &Options) -> Result<FieldMap> {
    let name = match &opts.preset {
        Some(name) => name.clone(),
        None => match record::detect_preset(lines, &opts.presets) {
            Detection::Preset(name) => name,
            Detection::NoMatch { .. } if !opts.overrides.is_empty() => "faultline".into(),
            Detection::NoMatch { closest, lacked, objects } => {
                return Err(Detection::no_match_error(source, &closest, &lacked, objects))
            }
            Detection::Nothing => "faultline".into(),
        },
    };
    FieldMap::named(&name, &opts.presets, &opts.overrides)
}

fn finish(
    name: &str,
    mut merged: Accumulator,
    report: reader::ReadReport,
    map: &FieldMap,
    opts: &Options,
) -> Result<Outcome> {
    for line in &report.huge_lines {
        merged.skip(*line, "line longer than 16 MiB", None, None);
    }
    let extra = report.huge_line_count.saturating_sub(report.huge_lines.len() as u64);
    if extra > 0 {
        merged.skipped.count += extra;
        *merged.skipped.reasons.entry("line longer than 16 MiB".into()).or_insert(0) += extra;
    }
    let mut notes = Vec::new();
    if let Some((line, e)) = &report.ended_early {
        if merged.total == 0 && merged.skipped.count == 0 && merged.skipped.outside_window == 0 {
            return Err(Error::Input(format!("{name}: cannot read: {e}")));
        }
        merged.skip(*line, "input ended early (read error)", None, Some(e.to_string()));
        notes.push(format!(
            "{name} is damaged: reading stopped at line {line} ({e}); this report covers the records read before it."
        ));
    }
    if merged.epoch_seconds > 0 {
        notes.push(format!(
            "{} timestamps were plain numbers too small to be epoch milliseconds (before 1973): they were read as \
             epoch seconds (say so with --field timestamp=PATH:s).",
            crate::knowledge::thousands(merged.epoch_seconds)
        ));
    }
    merged.skipped.first_lines.sort_unstable();
    let first_errors = merged.first_errors.iter().map(|(_, e)| format!("{name}:{e}")).collect();
    let summary = merged.finish(map.describe(), opts.from, opts.to);
    Ok(Outcome { summary, first_errors, bytes: report.bytes, notes })
}

/// How an input is framed: one record a line (NDJSON), or JSON documents spread over lines (a
/// pretty-printed record or array of records, an Elasticsearch `_search` response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Lines,
    Document,
}

/// Decides the framing from the input's first bytes; `complete`: `head` is the whole input.
/// NDJSON is one value a line; anything else that starts with `{` or `[` and parses as JSON over
/// more than its first line (or needs more than the head to end) is a document, and so is a
/// one-line `_search` response or array of objects.
fn framing(head: &[u8], complete: bool) -> Framing {
    let Some(start) = head.iter().position(|b| !b.is_ascii_whitespace()) else { return Framing::Lines };
    let text = head.get(start..).unwrap_or_default();
    let opener = text.first().copied();
    if opener != Some(b'{') && opener != Some(b'[') {
        return Framing::Lines;
    }
    let first_line_end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let mut values = serde_json::Deserializer::from_slice(text).into_iter::<&serde_json::value::RawValue>();
    match values.next() {
        Some(Ok(_)) if values.byte_offset() > first_line_end => Framing::Document,
        Some(Ok(value)) if one_line_document(value.get()) => Framing::Document,
        Some(Err(e)) if e.is_eof() && !complete => Framing::Document,
        _ => Framing::Lines,
    }
}

/// A value on one line that holds records rather than being one: a `_search` response, or an
/// array whose first element is an object.
fn one_line_document(value: &str) -> bool {
    if value.starts_with('[') {
        return serde_json::from_str::<Vec<&serde_json::value::RawValue>>(value)
            .is_ok_and(|v| v.first().is_some_and(|e| e.get().starts_with('{')));
    }
    serde_json::from_str::<SearchResponse<'_>>(value).is_ok()
}

/// One record of a document input: where it starts, and how it is named in warnings.
struct Placed<'a> {
    line: u64,
    column: usize,
    /// `Some(n)`: the n-th hit of a `_search` response (1-based).
    hit: Option<u64>,
    /// `None`: a hit without `_source`.
    bytes: Option<&'a [u8]>,
}

/// Line and column (1-based) of byte offsets into a text, asked in ascending order.
struct Places<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
    line_start: usize,
}

impl<'a> Places<'a> {
    fn new(text: &'a [u8]) -> Self {
        Places { text, at: 0, line: 1, line_start: 0 }
    }
    fn of(&mut self, offset: usize) -> (u64, usize) {
        let offset = offset.clamp(self.at, self.text.len());
        if let Some(between) = self.text.get(self.at..offset) {
            for nl in memchr::memchr_iter(b'\n', between) {
                self.line += 1;
                self.line_start = self.at + nl + 1;
            }
        }
        self.at = offset;
        (self.line, offset - self.line_start + 1)
    }
}

/// Byte offset of a borrowed slice inside `whole`.
fn offset_in(whole: &[u8], part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// Reads a document input: a stream of JSON values, each a record, an array of records or a
/// `_search` response. `damage`: the read error that ended the input early, if any.
fn summarise_document(
    name: &str,
    whole: &[u8],
    opts: &Options,
    damage: Option<String>,
    plain: bool,
) -> Result<Outcome> {
    let mut places = Places::new(whole);
    let mut records: Vec<Placed<'_>> = Vec::new();
    let mut broken: Option<(u64, usize, String)> = None;
    let mut hits = 0u64;
    let mut values = serde_json::Deserializer::from_slice(whole).into_iter::<&serde_json::value::RawValue>();
    loop {
        let value = match values.next() {
            None => break,
            Some(Ok(v)) => v,
            Some(Err(e)) => {
                broken = Some((e.line() as u64, e.column(), e.to_string()));
                break;
            }
        };
        let text = value.get();
        if text.starts_with('[') {
            let elements: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).unwrap_or_default();
            for e in elements {
                let (line, column) = places.of(offset_in(whole, e.get()));
                records.push(Placed { line, column, hit: None, bytes: Some(e.get().as_bytes()) });
            }
        } else if let Ok(response) = serde_json::from_str::<SearchResponse<'_>>(text) {
            for raw in response.hits.hits {
                hits += 1;
                let (line, column) = places.of(offset_in(whole, raw.get()));
                let source = serde_json::from_str::<SearchHit<'_>>(raw.get()).ok().and_then(|h| h.source);
                let bytes = source.map(|s| s.get().as_bytes());
                records.push(Placed { line, column, hit: Some(hits), bytes });
            }
        } else {
            let (line, column) = places.of(offset_in(whole, text));
            records.push(Placed { line, column, hit: None, bytes: Some(text.as_bytes()) });
        }
    }
    let head: Vec<&[u8]> =
        records.iter().filter_map(|r| r.bytes).filter(|b| b.first() == Some(&b'{')).take(DETECT_RECORDS).collect();
    let map = field_map(name, &head, opts)?;
    let map = if plain { map.plain_serde() } else { map };
    let mut acc = Accumulator::new(opts);
    for r in &records {
        let before = acc.first_errors.len();
        match r.bytes {
            Some(bytes) => acc.line(&map, r.line, bytes),
            None => acc.skip(r.line, "hit without _source", None, None),
        }
        // Name the place: line:col, and the hit's number in a _search response.
        if let Some(entry) = acc.first_errors.get_mut(before) {
            let rest = entry.1.split_once(": ").map_or(String::new(), |(_, r)| r.to_string());
            let hit = r.hit.map(|n| format!("hit {n}: ")).unwrap_or_default();
            entry.1 = format!("{}:{}: {hit}{rest}", r.line, r.column);
        }
    }
    let mut report = reader::ReadReport { bytes: whole.len() as u64, ..reader::ReadReport::default() };
    if let Some((line, column, e)) = broken {
        if records.is_empty() {
            return Err(Error::Input(format!(
                "{name}:{line}:{column}: not JSON records (one object a line, an array of objects, or an \
                 Elasticsearch _search response with hits.hits[]._source): {e}"
            )));
        }
        acc.skip(line, "not JSON", Some(column), Some(e));
    }
    if let Some(e) = damage {
        report.ended_early = Some((places.of(whole.len()).0, e));
    }
    finish(name, acc, report, &map, opts)
}
