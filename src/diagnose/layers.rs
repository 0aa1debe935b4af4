//! The four layers of DESIGN.md as pure functions over a [`Summary`]: each says which failures
//! it can attribute to which cause (claims), and what it checked, ruled out, and could not check.
//! [`super::rank`] turns the claims into a diagnosis where every failure has at most one cause.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::model::{Confidence, LayerReport};
use super::summary::{failures_in, is_failure, normalise_message, Bucket, Sample, SampleGroup, StatusCounts, Summary};
use crate::knowledge::{Knowledge, Layer, Origin, Signature};
use crate::lint::Severity;

/// Failures a layer attributes to one cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub cause: String,
    /// Failures claimed, by status.
    pub by_status: StatusCounts,
    pub confidence: Confidence,
    pub facts: Vec<String>,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    pub samples: Vec<String>,
}

impl Claim {
    fn new(cause: &str, confidence: Confidence) -> Claim {
        Claim {
            cause: cause.to_string(),
            by_status: StatusCounts::new(),
            confidence,
            facts: Vec::new(),
            first: None,
            last: None,
            samples: Vec::new(),
        }
    }
    pub fn failures(&self) -> u64 {
        self.by_status.values().sum()
    }
    fn add(&mut self, status: u16, n: u64) {
        if n > 0 {
            *self.by_status.entry(status).or_insert(0) += n;
        }
    }
    fn span(&mut self, first: Option<DateTime<Utc>>, last: Option<DateTime<Utc>>) {
        self.first = match (self.first, first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// What one layer concluded.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerOutcome {
    pub report: LayerReport,
    pub claims: Vec<Claim>,
}

/// Sample request IDs shown per cause.
pub const SAMPLE_IDS: usize = 5;

// ---------------------------------------------------------------------------------------------
// Shared helpers

use crate::knowledge::thousands as n;
use crate::redact::show_key_hash as show_key;

fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0 %".into();
    }
    format!("{:.1} %", part as f64 * 100.0 / whole as f64)
}

fn statuses_text(counts: &StatusCounts) -> String {
    counts.iter().filter(|(_, c)| **c > 0).map(|(s, c)| format!("{} × {s}", n(*c))).collect::<Vec<_>>().join(", ")
}

/// First and last minute holding failures of any of `statuses`.
fn span_of(s: &Summary, statuses: &[u16]) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let has = |m: &&super::summary::MinuteBucket| statuses.iter().any(|st| m.failures.get(st).is_some_and(|c| *c > 0));
    let first = s.minutes.iter().find(has).map(|m| m.start);
    let last = s.minutes.iter().rev().find(has).map(|m| m.start + chrono::Duration::minutes(1));
    (first, last)
}

fn sample_ids<'a>(samples: impl Iterator<Item = &'a Sample>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in samples {
        if let Some(id) = &s.request_id {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        if out.len() >= SAMPLE_IDS {
            break;
        }
    }
    out
}

fn cause_statuses(k: &Knowledge, cause: &str) -> Vec<u16> {
    k.cause(cause).map(|c| c.statuses.clone()).unwrap_or_default()
}

/// The first signature matching `text` whose cause belongs to `layer` and accepts `status`.
fn signature_cause<'k>(k: &'k Knowledge, text: &str, status: u16, layer: Layer) -> Option<&'k str> {
    signature_match(k, text, status, layer).map(|sig| sig.def.cause.as_str())
}

fn signature_match<'k>(k: &'k Knowledge, text: &str, status: u16, layer: Layer) -> Option<&'k Signature> {
    k.signatures
        .iter()
        .filter(|sig| !sig.def.cause.is_empty() && sig.regex.is_match(text))
        .find(|sig| k.cause(&sig.def.cause).is_some_and(|c| c.layer == layer && c.statuses.contains(&status)))
}

/// Message groups that point to the same cause for the same reason, summed into one fact.
#[derive(Default)]
struct Tally<'a> {
    rows: BTreeMap<(String, u16, String), (u64, &'a str)>,
}

impl<'a> Tally<'a> {
    fn add(&mut self, cause: &str, status: u16, why: String, count: u64, example: &'a str) {
        let row = self.rows.entry((cause.to_string(), status, why)).or_insert((0, example));
        row.0 += count;
    }
    /// One fact per (cause, status, reason), onto the claims.
    fn facts_into(self, claims: &mut [Claim]) {
        for ((cause, status, why), (count, example)) in self.rows {
            if let Some(c) = claims.iter_mut().find(|c| c.cause == cause) {
                c.facts.push(format!("{} × {status} {why} (e.g. \"{}\")", n(count), shorten(example)));
            }
        }
    }
}

/// Origin of a forwarder tag: provider or middleware; `None` when neither or both match.
pub fn classify_tag(k: &Knowledge, tag: &str) -> Option<Origin> {
    match (k.provider_tag.is_match(tag), k.middleware_tag.is_match(tag)) {
        (true, false) => Some(Origin::Provider),
        (false, true) => Some(Origin::Middleware),
        _ => None,
    }
}

/// Whether the preset told who answered (provider or gateway) for some records: a hop then
/// decides ahead of forwarder tags.
pub fn has_hop(s: &Summary) -> bool {
    s.by_hop.top.iter().any(|b| b.value != "network" && b.requests() > 0)
}

fn missing_note(s: &Summary, field: &str, what: &str) -> Option<String> {
    (!s.has_field(field)).then(|| format!("no `{field}` field: {what}"))
}

/// The samples of one (status, normalised message) group, whichever grouping chose them.
fn message_samples<'s>(s: &'s Summary, status: u16, message: &str) -> Vec<&'s Sample> {
    s.samples
        .iter()
        .filter(|x| {
            x.status == status
                && if x.group == SampleGroup::Message {
                    x.group_key == message
                } else {
                    x.error_message.as_deref().map_or(String::new(), normalise_message) == message
                }
        })
        .collect()
}

/// The message groups of `status`: (normalised message, failures of that status).
fn message_groups(s: &Summary, status: u16) -> Vec<(&str, u64)> {
    let mut out: Vec<(&str, u64)> = s
        .by_error_message
        .top
        .iter()
        .filter_map(|b| b.by_status.get(&status).map(|c| (b.value.as_str(), *c)))
        .filter(|(_, c)| *c > 0)
        .collect();
    if let Some(c) = s.by_error_message.missing.get(&status).filter(|c| **c > 0) {
        out.push(("", *c));
    }
    out
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
    if let Some(i) = onset_index {
        for m in s.minutes.iter().skip(i) {
            after += 1;
            if m.failures.get(&status).is_some_and(|c| *c > 0) {
                failing += 1;
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

/// Layer 1: which statuses fail, continuous or bursty. It attributes nothing.
pub fn status_layer(s: &Summary, k: &Knowledge) -> LayerOutcome {
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
    LayerOutcome {
        report: LayerReport {
            layer: Layer::Status,
            question: "Which status codes fail, continuously or in bursts?".into(),
            checked,
            ruled_out: Vec::new(),
            limited_by,
            found: Vec::new(),
        },
        claims: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Layer 2: validation

/// The validation cause lint points to for one sample, if any.
pub fn lint_cause<'k>(k: &'k Knowledge, sample: &Sample) -> Option<(&'k str, Vec<&'static str>)> {
    if sample.headers.is_empty() && sample.body.is_none() {
        return None;
    }
    let date = sample.timestamp.date_naive();
    let findings =
        crate::lint::lint_logged_request(k, sample.path.as_deref(), &sample.headers, sample.body.as_deref(), date);
    let errors: Vec<&'static str> = findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.code).collect();
    // Which cause a lint family points to is data (rules/causes.toml `lint_prefixes`); a cause
    // conditioned on a missing header is tried before an unconditional one sharing its family.
    let has_header = |name: &str| sample.headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(name));
    let conditional = k.causes.iter().filter(|c| c.lint_unless_header.is_some());
    let unconditional = k.causes.iter().filter(|c| c.lint_unless_header.is_none());
    for cause in conditional.chain(unconditional) {
        if cause.lint_prefixes.is_empty()
            || !cause.statuses.contains(&sample.status)
            || cause.lint_unless_header.as_deref().is_some_and(has_header)
        {
            continue;
        }
        let codes: Vec<&'static str> = errors
            .iter()
            .copied()
            .filter(|code| cause.lint_prefixes.iter().any(|family| code.starts_with(family.as_str())))
            .collect();
        if !codes.is_empty() {
            return Some((cause.id.as_str(), codes));
        }
    }
    None
}

/// Majority lint cause of a group's samples (at least half of them must agree).
fn group_lint_cause<'k>(k: &'k Knowledge, samples: &[&Sample]) -> Option<(&'k str, Vec<&'static str>)> {
    let mut votes: BTreeMap<&'k str, (usize, Vec<&'static str>)> = BTreeMap::new();
    for sample in samples {
        if let Some((cause, codes)) = lint_cause(k, sample) {
            let entry = votes.entry(cause).or_insert((0, Vec::new()));
            entry.0 += 1;
            for c in codes {
                if !entry.1.contains(&c) {
                    entry.1.push(c);
                }
            }
        }
    }
    let (cause, (count, codes)) = votes.into_iter().max_by_key(|(_, (c, _))| *c)?;
    (count * 2 >= samples.len()).then_some((cause, codes))
}

fn claim_mut<'c>(claims: &'c mut Vec<Claim>, cause: &str, confidence: Confidence) -> &'c mut Claim {
    let at = match claims.iter().position(|c| c.cause == cause) {
        Some(i) => i,
        None => {
            claims.push(Claim::new(cause, confidence));
            claims.len() - 1
        }
    };
    let claim = &mut claims[at];
    claim.confidence = claim.confidence.max(confidence);
    claim
}

/// Layer 2: for 400/401/404, what is wrong with the request (lint of sampled headers and
/// bodies, key-hash history, per-environment key hashes, error signatures).
pub fn validation_layer(s: &Summary, k: &Knowledge) -> LayerOutcome {
    let mut claims: Vec<Claim> = Vec::new();
    let mut checked = Vec::new();
    let mut ruled_out = Vec::new();
    let mut limited_by: Vec<String> = Vec::new();
    let lintable = s.has_field("headers") || s.has_field("body");
    if !lintable {
        limited_by.push(
            "no `headers` / `body` fields: sampled requests cannot be linted (client.auth_header, client.messages, client.model_id, auth.key_format rely on it)".into(),
        );
    }

    // 400 and 404: by message group.
    let mut tally = Tally::default();
    for status in [400u16, 404] {
        let groups = message_groups(s, status);
        if groups.is_empty() {
            continue;
        }
        let mut linted = 0usize;
        for (message, count) in groups {
            let samples = message_samples(s, status, message);
            linted += samples.len();
            let (first, last) = span_of(s, &[status]);
            if let Some((cause, mut codes)) = group_lint_cause(k, &samples) {
                let claim = claim_mut(&mut claims, cause, Confidence::High);
                claim.span(first, last);
                claim.add(status, count);
                codes.sort_unstable();
                tally.add(
                    cause,
                    status,
                    format!("whose sampled requests lint flags {}", codes.join(", ")),
                    count,
                    message,
                );
                claim.samples.extend(sample_ids(samples.iter().copied()));
            } else if let Some(sig) = signature_match(k, message, status, Layer::Validation) {
                let cause = sig.def.cause.as_str();
                let claim = claim_mut(&mut claims, cause, Confidence::Medium);
                claim.span(first, last);
                claim.add(status, count);
                tally.add(cause, status, format!("answered with a `{}` message", sig.def.id), count, message);
                claim.samples.extend(sample_ids(samples.iter().copied()));
            }
        }
        checked.push(format!("linted {linted} sampled {status} requests (grouped by error message)"));
    }

    tally.facts_into(&mut claims);

    // 401: by key hash.
    let total_401 = s.by_status.get(&401).copied().unwrap_or(0);
    if total_401 > 0 {
        if s.has_field("key_hash") {
            validation_401_by_key(s, k, &mut claims, &mut checked, &mut ruled_out);
        } else {
            limited_by.push(
                "no `key_hash` field: revoked keys and stale .env keys cannot be told apart by key history".into(),
            );
            for (message, count) in message_groups(s, 401) {
                let samples = message_samples(s, 401, message);
                let found = group_lint_cause(k, &samples)
                    .map(|(c, _)| (c, Confidence::High))
                    .or_else(|| signature_cause(k, message, 401, Layer::Validation).map(|c| (c, Confidence::Low)));
                if let Some((cause, confidence)) = found {
                    let claim = claim_mut(&mut claims, cause, confidence);
                    claim.add(401, count);
                    claim.facts.push(format!("{} × 401 \"{}\"", n(count), shorten(message)));
                    claim.samples.extend(sample_ids(samples.iter().copied()));
                }
            }
        }
    }

    for claim in &mut claims {
        let statuses: Vec<u16> = claim.by_status.keys().copied().collect();
        if claim.first.is_none() {
            let (first, last) = span_of(s, &statuses);
            claim.span(first, last);
        }
        claim.samples.dedup();
        claim.samples.truncate(SAMPLE_IDS);
    }
    rule_out_unclaimed(
        k,
        s,
        Layer::Validation,
        &claims,
        &mut ruled_out,
        "no sampled request or key history shows its signal",
    );
    LayerOutcome {
        report: LayerReport {
            layer: Layer::Validation,
            question: "For 400/401/404: what is wrong with the request?".into(),
            checked,
            ruled_out,
            limited_by,
            found: claims.iter().map(|c| c.cause.clone()).collect(),
        },
        claims,
    }
}

/// The causes `rules/causes.toml` places in `layer`, in file order.
fn layer_causes(k: &Knowledge, layer: Layer) -> impl Iterator<Item = &str> {
    k.causes.iter().filter(move |c| c.layer == layer).map(|c| c.id.as_str())
}

/// Notes every cause of `layer` that no claim holds and no earlier note rules out: "no …
/// failures" when its statuses did not fail at all, else `why`.
fn rule_out_unclaimed(
    k: &Knowledge,
    s: &Summary,
    layer: Layer,
    claims: &[Claim],
    ruled_out: &mut Vec<String>,
    why: &str,
) {
    for id in layer_causes(k, layer) {
        if claims.iter().any(|c| c.cause == id) || ruled_out.iter().any(|r| r.starts_with(id)) {
            continue;
        }
        let statuses = cause_statuses(k, id);
        let failed: u64 = statuses.iter().filter_map(|st| s.by_status.get(st)).sum();
        ruled_out.push(if failed == 0 {
            format!("{id}: no {} failures", join_statuses(&statuses))
        } else {
            format!("{id}: {why}")
        });
    }
}

fn join_statuses(statuses: &[u16]) -> String {
    statuses.iter().map(u16::to_string).collect::<Vec<_>>().join("/")
}

/// A logged message as a fact shows it: keys masked (before the cut, which could hide a key's
/// shape), at most 90 characters.
fn shorten(text: &str) -> String {
    let text = crate::redact::mask_keys_in_text(text);
    let text = text.as_ref();
    let t: String = text.chars().take(90).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else if t.is_empty() {
        "(no message)".into()
    } else {
        t
    }
}

fn validation_401_by_key(
    s: &Summary,
    k: &Knowledge,
    claims: &mut Vec<Claim>,
    checked: &mut Vec<String>,
    ruled_out: &mut Vec<String>,
) {
    let d = &k.thresholds.detection;
    let mut keys_seen = 0;
    for key in s.keys.iter().filter(|h| h.failures.get(&401).is_some_and(|c| *c > 0)) {
        keys_seen += 1;
        let count = key.failures.get(&401).copied().unwrap_or(0);
        let shown = show_key(&key.key_hash);
        // Every sample of this key and status, whichever grouping chose it.
        let samples: Vec<&Sample> = s
            .samples
            .iter()
            .filter(|x| x.status == 401 && x.key_hash.as_deref() == Some(key.key_hash.as_str()))
            .collect();
        let ids = sample_ids(samples.iter().copied());
        if let Some((cause, codes)) = group_lint_cause(k, &samples) {
            let claim = claim_mut(claims, cause, Confidence::High);
            claim.add(401, count);
            claim.facts.push(format!(
                "key {shown}: {} × 401; lint finds {} in its sampled requests",
                n(count),
                codes.join(", ")
            ));
            claim.span(key.first_failure, key.last_failure);
            claim.samples.extend(ids);
            continue;
        }
        let revoked = key.successes >= d.revoked_min_prior_successes
            && key.successes > 0
            && matches!((key.last_success, key.first_failure), (Some(ok), Some(fail)) if ok < fail);
        if revoked {
            let claim = claim_mut(claims, "auth.key_revoked", Confidence::High);
            claim.add(401, count);
            claim.facts.push(format!(
                "key {shown}: {} successes until {}, then {} × 401 from {} on and none succeeded since",
                n(key.successes),
                key.last_success.map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
                n(count),
                key.first_failure.map_or("-".into(), |t| t.format("%H:%M:%S").to_string()),
            ));
            claim.span(key.first_failure, key.last_failure);
            claim.samples.extend(ids);
            continue;
        }
        if key.successes == 0 {
            if let Some((env, share, good_elsewhere)) = env_concentration(s, &key.key_hash) {
                if share >= d.env_concentration && good_elsewhere.is_some() {
                    let claim = claim_mut(claims, "auth.env_override", Confidence::High);
                    claim.add(401, count);
                    claim.facts.push(format!(
                        "key {shown}: never succeeded; {} of its 401s come from environment `{env}`, while key {} succeeds elsewhere",
                        pct((share * 1000.0) as u64, 1000),
                        good_elsewhere.map(|g| show_key(&g)).unwrap_or_default()
                    ));
                    claim.span(key.first_failure, key.last_failure);
                    claim.samples.extend(ids);
                    continue;
                }
            }
        }
        // Last resort: what the API said.
        let messages: Vec<&str> = samples.iter().filter_map(|x| x.error_message.as_deref()).collect();
        let by_message = messages.iter().find_map(|m| signature_cause(k, m, 401, Layer::Validation));
        if let Some(cause) = by_message {
            let claim = claim_mut(claims, cause, Confidence::Low);
            claim.add(401, count);
            claim.facts.push(format!(
                "key {shown}: {} × 401, answered \"{}\"",
                n(count),
                shorten(messages.first().copied().unwrap_or(""))
            ));
            claim.span(key.first_failure, key.last_failure);
            claim.samples.extend(ids);
        } else {
            ruled_out.push(format!("key {shown}: {} × 401 match no validation cause", n(count)));
        }
    }
    checked.push(format!("key-hash history of {keys_seen} keys with 401s; lint of their sampled requests"));
}

/// For a key: the environment holding most of its 401s, that share, and a different key that
/// succeeds in another environment.
fn env_concentration(s: &Summary, key: &str) -> Option<(String, f64, Option<String>)> {
    let mut per_env: Vec<(&str, u64)> = Vec::new();
    for e in &s.environments {
        if let Some(kc) = e.keys.iter().find(|kc| kc.key_hash == key) {
            per_env.push((&e.environment, kc.failures.get(&401).copied().unwrap_or(0)));
        }
    }
    let total: u64 = per_env.iter().map(|(_, c)| c).sum();
    let (env, top) = per_env.into_iter().max_by_key(|(_, c)| *c)?;
    if total == 0 {
        return None;
    }
    let good = s
        .environments
        .iter()
        .filter(|e| e.environment != env)
        .flat_map(|e| e.keys.iter())
        .filter(|kc| kc.key_hash != key && kc.successes > 0)
        .max_by_key(|kc| kc.successes)
        .map(|kc| kc.key_hash.clone());
    Some((env.to_string(), top as f64 / total as f64, good))
}

// ---------------------------------------------------------------------------------------------
// Layer 3: traffic

/// Layer 3: for 429 (and 400 spend-limit answers), short-term rate limit or exhausted quota.
pub fn traffic_layer(s: &Summary, k: &Knowledge) -> LayerOutcome {
    let t = &k.thresholds;
    let mut claims: Vec<Claim> = Vec::new();
    let mut checked = Vec::new();
    let mut ruled_out = Vec::new();
    let mut limited_by = Vec::new();
    let total_429 = s.by_status.get(&429).copied().unwrap_or(0);

    // Messages first: they name the limit.
    let mut matched_429 = 0;
    let mut tally = Tally::default();
    // The statuses the traffic causes take (429, 400 and LiteLLM's budget 422), in file order.
    let mut traffic_statuses: Vec<u16> = Vec::new();
    for c in k.causes.iter().filter(|c| c.layer == Layer::Traffic) {
        for st in &c.statuses {
            if !traffic_statuses.contains(st) {
                traffic_statuses.push(*st);
            }
        }
    }
    for status in traffic_statuses {
        for (message, count) in message_groups(s, status) {
            if let Some(sig) = signature_match(k, message, status, Layer::Traffic) {
                let cause = sig.def.cause.as_str();
                let claim = claim_mut(&mut claims, cause, Confidence::High);
                claim.add(status, count);
                tally.add(cause, status, format!("answered with a `{}` message", sig.def.id), count, message);
                let ids = sample_ids(s.samples.iter().filter(|x| x.status == status && x.group_key == message));
                claim.samples.extend(ids);
                if status == 429 {
                    matched_429 += count;
                }
            }
        }
    }
    tally.facts_into(&mut claims);
    if total_429 > 0 {
        checked.push(format!("{} of {} 429s carry a rate-limit or quota message", n(matched_429), n(total_429)));
    }

    // The time pattern: continuous after an onset (quota) or bursts with high concurrency (rate limit).
    let pattern = traffic_pattern(s, k);
    if total_429 > 0 {
        checked.push(pattern.describe(t.rate_limit.baseline_concurrency));
        if !s.has_field("concurrency") {
            limited_by.push("no `concurrency` field: 429 minutes cannot be compared with the concurrency cap".into());
        }
        let unmatched = total_429 - matched_429.min(total_429);
        if unmatched > 0 && pattern.quota_429.saturating_add(pattern.rate_429) > 0 {
            let (quota_part, rate_part) = split_by_share(unmatched, pattern.quota_429, pattern.rate_429);
            if quota_part > 0 {
                let claim = claim_mut(&mut claims, "traffic.quota_exhausted", Confidence::Medium);
                claim.add(429, quota_part);
                claim.facts.push(format!(
                    "{} × 429 without a recognised message fall in the continuous stretch",
                    n(quota_part)
                ));
            }
            if rate_part > 0 {
                let confidence = if pattern.burst_minutes_above_cap * 2 >= pattern.burst_minutes.max(1) {
                    Confidence::Medium
                } else {
                    Confidence::Low
                };
                let claim = claim_mut(&mut claims, "traffic.rate_limit", confidence);
                claim.add(429, rate_part);
                claim.facts.push(format!("{} × 429 without a recognised message fall in bursts", n(rate_part)));
            }
        }
    }

    // Figures that support each claim.
    for claim in &mut claims {
        if claim.cause == "traffic.rate_limit" && pattern.burst_minutes > 0 {
            claim.facts.push(format!(
                "429s in {} minutes; in {} of them concurrency peaked above the cap of {} (highest {})",
                n(pattern.burst_minutes),
                n(pattern.burst_minutes_above_cap),
                t.rate_limit.baseline_concurrency,
                pattern.peak_concurrency.map_or("unknown".into(), n)
            ));
            claim.facts.push(format!(
                "{} requests succeeded inside those minutes: throttling, not a hard stop",
                n(pattern.successes_in_429_minutes)
            ));
        }
        if claim.cause == "traffic.quota_exhausted" {
            if let Some(onset) = pattern.quota_onset {
                claim.facts.push(format!(
                    "from {} on {} of the minutes failed at ≥ {} of requests, whatever the concurrency",
                    onset.format("%Y-%m-%d %H:%M"),
                    pct((pattern.quota_saturated_share * 1000.0) as u64, 1000),
                    pct((t.detection.continuous_failure_rate * 1000.0) as u64, 1000),
                ));
            }
            let used = s.tokens.input + s.tokens.output;
            if t.quota.monthly_tokens > 0 {
                claim.facts.push(format!(
                    "{} tokens in the window = {} of the monthly quota of {}",
                    n(used),
                    pct(used, t.quota.monthly_tokens),
                    n(t.quota.monthly_tokens)
                ));
            }
        }
        let statuses: Vec<u16> = claim.by_status.keys().copied().collect();
        let (first, last) = span_of(s, &statuses);
        claim.span(first, last);
        claim.samples.dedup();
        claim.samples.truncate(SAMPLE_IDS);
    }
    if claims.iter().any(|c| c.cause == "traffic.quota_exhausted") && t.quota.monthly_tokens == 0 {
        limited_by.push("quota.monthly_tokens is not set (faultline.toml [thresholds.quota]): token use cannot be compared with the quota".into());
    }
    for id in layer_causes(k, Layer::Traffic) {
        if !claims.iter().any(|c| c.cause == id) {
            ruled_out.push(if total_429 == 0 {
                format!("{id}: no 429 failures")
            } else if id == "traffic.quota_exhausted" {
                format!("{id}: no quota message and no continuous stretch of failing minutes")
            } else {
                format!("{id}: no rate-limit message and no bursts")
            });
        }
    }
    LayerOutcome {
        report: LayerReport {
            layer: Layer::Traffic,
            question: "For 429: short-term rate limit or exhausted quota?".into(),
            checked,
            ruled_out,
            limited_by,
            found: claims.iter().map(|c| c.cause.clone()).collect(),
        },
        claims,
    }
}

/// The minute-by-minute shape of the 429s.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrafficPattern {
    /// Start of the final continuous stretch where nearly every request fails with 429.
    pub quota_onset: Option<DateTime<Utc>>,
    pub quota_saturated_share: f64,
    /// 429s from the quota onset on, and before it.
    pub quota_429: u64,
    pub rate_429: u64,
    /// Minutes with 429s before the quota onset, and how many had concurrency above the cap.
    pub burst_minutes: u64,
    pub burst_minutes_above_cap: u64,
    pub peak_concurrency: Option<u64>,
    pub successes_in_429_minutes: u64,
}

impl TrafficPattern {
    fn describe(&self, cap: u64) -> String {
        let continuous = match self.quota_onset {
            Some(t) => format!("continuous 429s from {} ({} × 429)", t.format("%H:%M"), n(self.quota_429)),
            None => "no continuous stretch of 429s".into(),
        };
        format!(
            "{continuous}; {} minutes with 429 bursts, {} of them with concurrency above {cap}",
            n(self.burst_minutes),
            n(self.burst_minutes_above_cap)
        )
    }
}

/// Minimum length of a continuous stretch (minutes) to call it quota exhaustion.
const MIN_CONTINUOUS_MINUTES: usize = 3;

pub fn traffic_pattern(s: &Summary, k: &Knowledge) -> TrafficPattern {
    let d = &k.thresholds.detection;
    let cap = k.thresholds.rate_limit.baseline_concurrency;
    let rate = |m: &super::summary::MinuteBucket| {
        let c = m.failures.get(&429).copied().unwrap_or(0);
        if m.requests == 0 {
            0.0
        } else {
            c as f64 / m.requests as f64
        }
    };
    // Walk back from the last minute: the earliest saturated minute from which on at least
    // `continuous_minute_share` of the minutes are saturated.
    let mut onset_index = None;
    let mut best_share = 0.0;
    let (mut saturated, mut seen) = (0usize, 0usize);
    for (i, m) in s.minutes.iter().enumerate().rev() {
        seen += 1;
        let sat = rate(m) >= d.continuous_failure_rate;
        if sat {
            saturated += 1;
        }
        let share = saturated as f64 / seen as f64;
        if sat && seen >= MIN_CONTINUOUS_MINUTES && share >= d.continuous_minute_share {
            onset_index = Some(i);
            best_share = share;
        }
    }
    let mut p = TrafficPattern::default();
    if let Some(i) = onset_index {
        p.quota_onset = s.minutes.get(i).map(|m| m.start);
        p.quota_saturated_share = best_share;
    }
    for (i, m) in s.minutes.iter().enumerate() {
        let c = m.failures.get(&429).copied().unwrap_or(0);
        if c == 0 {
            continue;
        }
        if onset_index.is_some_and(|o| i >= o) {
            p.quota_429 = p.quota_429.saturating_add(c);
        } else {
            p.rate_429 = p.rate_429.saturating_add(c);
            p.burst_minutes += 1;
            if m.max_concurrency.is_some_and(|mc| mc > cap) {
                p.burst_minutes_above_cap += 1;
            }
            p.peak_concurrency = p.peak_concurrency.max(m.max_concurrency);
            p.successes_in_429_minutes += m.requests - failures_in(&m.failures).min(m.requests);
        }
    }
    p
}

// ---------------------------------------------------------------------------------------------
// Layer 4: upstream

fn sub(a: &StatusCounts, b: Option<&Bucket>) -> StatusCounts {
    a.iter().map(|(s, c)| (*s, c.saturating_sub(b.and_then(|b| b.by_status.get(s)).copied().unwrap_or(0)))).collect()
}

/// Layer 4: for 5xx, provider, middleware, a long non-streaming request, or the network.
pub fn upstream_layer(s: &Summary, k: &Knowledge) -> LayerOutcome {
    let t = &k.thresholds;
    let mut claims: Vec<Claim> = Vec::new();
    let mut checked = Vec::new();
    let mut ruled_out = Vec::new();
    let mut limited_by: Vec<String> = Vec::new();
    let server_failures: u64 = s.by_status.iter().filter(|(st, _)| **st >= 500).map(|(_, c)| c).sum();
    // A hop (who answered) stands in for network errors and forwarder tags; payload bytes for
    // token counts; a missing `stream` reads as the SDK default (not streamed).
    let hop_known = has_hop(s);
    for (field, what, covered) in [
        ("network_error", "connection resets cannot be counted (upstream.network_loss)", hop_known),
        ("forwarder_tag", "provider and middleware failures are told apart by error bodies only", hop_known),
        (
            "payload_tokens",
            "long requests cannot be found (upstream.timeout_non_streaming)",
            s.has_field("payload_bytes"),
        ),
        ("stream", "streaming cannot be checked (upstream.timeout_non_streaming)", false),
        ("latency", "P99 latency per region is unknown (upstream.network_loss)", false),
        ("region", "failures cannot be located by region (upstream.network_loss)", false),
    ] {
        if server_failures > 0 && !covered {
            limited_by.extend(missing_note(s, field, what));
        }
    }

    // a. Network loss: network errors concentrated in one region.
    let net_failing: StatusCounts =
        s.network_errors.by_status.iter().filter(|(st, _)| is_failure(**st)).map(|(st, c)| (*st, *c)).collect();
    let net_total = failures_in(&net_failing);
    if net_total > 0 {
        let top = s.network_errors.by_region.top.first();
        let region_share = top.map_or(0.0, |b| b.failures() as f64 / net_total as f64);
        // Logged as the gateway wrote them: a key in one is masked like any logged text.
        let errors: Vec<String> = s
            .network_errors
            .by_error
            .iter()
            .map(|(e, c)| format!("{} × {}", crate::redact::mask_keys_in_text(e), n(*c)))
            .collect();
        checked.push(format!("{} failures carry a network error ({})", n(net_total), errors.join(", ")));
        let concentrated = top.filter(|_| region_share >= t.latency.region_concentration);
        let (claimed, region): (StatusCounts, Option<&str>) = match concentrated {
            Some(b) => {
                (b.by_status.iter().filter(|(st, _)| is_failure(**st)).map(|(a, c)| (*a, *c)).collect(), Some(&b.value))
            }
            None => (net_failing.clone(), None),
        };
        let p99 = region.and_then(|r| s.latency_by_region.get(r)).map(|p| p.p99);
        let slow = p99.is_some_and(|p| p > t.latency.network_p99_ms);
        let confidence = match (region.is_some(), slow) {
            (true, true) => Confidence::High,
            (true, false) => Confidence::Medium,
            _ => Confidence::Low,
        };
        let claim = claim_mut(&mut claims, "upstream.network_loss", confidence);
        for (st, c) in &claimed {
            claim.add(*st, *c);
        }
        match region {
            Some(r) => claim.facts.push(format!(
                "{} of the network-error failures come from region `{r}` ({})",
                pct((region_share * 1000.0) as u64, 1000),
                statuses_text(&claimed)
            )),
            None => claim.facts.push(format!(
                "network errors are spread over regions (top region holds {}, below the {} concentration mark)",
                pct((region_share * 1000.0) as u64, 1000),
                pct((t.latency.region_concentration * 1000.0) as u64, 1000)
            )),
        }
        if let Some(p) = p99 {
            claim.facts.push(format!(
                "P99 latency in that region: {:.1} s (mark: {:.0} s)",
                p / 1000.0,
                t.latency.network_p99_ms / 1000.0
            ));
        }
        let ids = sample_ids(
            s.samples
                .iter()
                .filter(|x| x.network_error.is_some() && region.map_or(true, |r| x.region.as_deref() == Some(r))),
        );
        claim.samples.extend(ids);
        let statuses: Vec<u16> = claimed.keys().copied().collect();
        let (first, last) = span_of(s, &statuses);
        claim.span(first, last);
    } else if server_failures > 0 && s.has_field("network_error") {
        ruled_out.push("upstream.network_loss: no failure carries a network error".into());
    }
    // Regional P99s, for the trace.
    let slow_regions: Vec<String> = s
        .latency_by_region
        .iter()
        .filter(|(_, p)| p.p99 > t.latency.network_p99_ms)
        .map(|(r, p)| format!("{r} ({:.1} s)", p.p99 / 1000.0))
        .collect();
    if !s.latency_by_region.is_empty() && server_failures > 0 {
        checked.push(if slow_regions.is_empty() {
            format!("no region has a P99 latency above {:.0} s", t.latency.network_p99_ms / 1000.0)
        } else {
            format!("P99 latency above {:.0} s in: {}", t.latency.network_p99_ms / 1000.0, slow_regions.join(", "))
        });
    }

    // b. Long non-streaming requests that timed out: sent with stream=false, or without a
    //    `stream` field (the SDKs stream only when asked); long by token count, or by payload
    //    bytes when the record has no token count (`s.long_requests_by_bytes`).
    let timeout_statuses = cause_statuses(k, "upstream.timeout_non_streaming");
    let long = &s.long_requests;
    let mut timed_out = StatusCounts::new();
    let mut by_default = StatusCounts::new();
    for st in &timeout_statuses {
        let explicit = long.non_streaming_by_status.get(st).copied().unwrap_or(0);
        let unknown = long.stream_unknown_by_status.get(st).copied().unwrap_or(0);
        if explicit + unknown > 0 {
            timed_out.insert(*st, explicit + unknown);
        }
        if unknown > 0 {
            by_default.insert(*st, unknown);
        }
    }
    if !timed_out.is_empty() {
        let confidence = if by_default.is_empty() { Confidence::High } else { Confidence::Medium };
        let claim = claim_mut(&mut claims, "upstream.timeout_non_streaming", confidence);
        for (st, c) in &timed_out {
            claim.add(*st, *c);
        }
        let explicit_total: u64 = long.non_streaming_by_status.values().sum();
        let unknown_total: u64 = long.stream_unknown_by_status.values().sum();
        let failed_explicit = failures_in(&timed_out) - failures_in(&by_default);
        if explicit_total > 0 {
            claim.facts.push(format!(
                "{} requests above {} tokens were sent with stream=false; {} of them ended in {}",
                n(explicit_total),
                n(long.token_limit),
                n(failed_explicit),
                join_statuses(&timed_out.keys().copied().collect::<Vec<_>>())
            ));
        }
        if !by_default.is_empty() {
            claim.facts.push(format!(
                "{} requests above {} tokens carry no `stream` field, read as not streamed (the SDKs stream only \
                 when asked); {} of them ended in {}",
                n(unknown_total),
                n(long.token_limit),
                n(failures_in(&by_default)),
                join_statuses(&by_default.keys().copied().collect::<Vec<_>>())
            ));
        }
        let by_bytes: u64 = timeout_statuses.iter().filter_map(|st| s.long_requests_by_bytes.by_status.get(st)).sum();
        if by_bytes > 0 {
            claim.facts.push(format!(
                "{} of these have no token count: their size is the payload bytes at {} bytes per token \
                 (payload.bytes_per_token), above {} bytes",
                n(by_bytes),
                s.long_requests_by_bytes.bytes_per_token,
                n((long.token_limit as f64 * s.long_requests_by_bytes.bytes_per_token) as u64)
            ));
        }
        let streamed_ok: u64 =
            long.streaming_by_status.iter().filter(|(st, _)| !is_failure(**st)).map(|(_, c)| c).sum();
        if streamed_ok > 0 {
            claim.facts.push(format!("{} long requests sent with stream=true succeeded", n(streamed_ok)));
        }
        let bytes_mark = long.token_limit as f64 * s.long_requests_by_bytes.bytes_per_token;
        let ids = sample_ids(s.samples.iter().filter(|x| {
            let long_enough = match x.input_tokens {
                Some(tk) => tk > long.token_limit,
                None => x.payload_bytes.is_some_and(|b| bytes_mark > 0.0 && b as f64 > bytes_mark),
            };
            timeout_statuses.contains(&x.status) && x.stream != Some(true) && long_enough
        }));
        claim.samples.extend(ids);
        let statuses: Vec<u16> = timed_out.keys().copied().collect();
        let (first, last) = span_of(s, &statuses);
        claim.span(first, last);
    } else {
        let any: u64 = timeout_statuses.iter().filter_map(|st| s.by_status.get(st)).sum();
        if any > 0 {
            ruled_out.push(format!(
                "upstream.timeout_non_streaming: none of the {} × {} were long non-streaming requests",
                n(any),
                join_statuses(&timeout_statuses)
            ));
        }
    }

    // c. Forwarder tags: provider or middleware origin (network errors and long requests taken out).
    let provider_statuses = cause_statuses(k, "upstream.provider_overload");
    let middleware_statuses = cause_statuses(k, "upstream.middleware_exhaustion");
    let mut untagged_budget = StatusCounts::new();
    let mut tag_lines = Vec::new();
    // A hop decides ahead of a forwarder tag: what the gateway answered itself is middleware
    // origin, what the provider answered is provider origin (the network's went to a. above).
    // Only the records without a hop are left to the tag patterns.
    if hop_known {
        for b in s.by_hop.top.iter().filter(|b| b.value != "network") {
            let (cause, statuses, origin) = if b.value == "gateway" {
                ("upstream.middleware_exhaustion", &middleware_statuses, "middleware")
            } else {
                ("upstream.provider_overload", &provider_statuses, "provider")
            };
            let claimed: StatusCounts =
                statuses.iter().filter_map(|st| b.by_status.get(st).filter(|c| **c > 0).map(|c| (*st, *c))).collect();
            if claimed.is_empty() {
                continue;
            }
            tag_lines.push(format!("answered by the {}: {}", b.value, statuses_text(&claimed)));
            let claim = claim_mut(&mut claims, cause, Confidence::High);
            for (st, c) in &claimed {
                claim.add(*st, *c);
            }
            claim.facts.push(format!(
                "{} × {} answered by the {} itself, as the log records it ({origin} origin)",
                n(failures_in(&claimed)),
                join_statuses(&claimed.keys().copied().collect::<Vec<_>>()),
                b.value
            ));
            let ids = sample_ids(
                s.samples
                    .iter()
                    .filter(|x| x.hop.as_deref() == Some(b.value.as_str()) && claimed.contains_key(&x.status)),
            );
            claim.samples.extend(ids);
            let st: Vec<u16> = claimed.keys().copied().collect();
            let (first, last) = span_of(s, &st);
            claim.span(first, last);
        }
    }
    // Without any provider/gateway hop the tags are read as they always were: every record's
    // tag, minus its network errors.
    let tags = if hop_known { &s.by_forwarder_tag_without_hop } else { &s.by_forwarder_tag };
    let buckets = tags.top.iter().map(|b| (Some(b), b.value.as_str(), &b.by_status));
    let leftovers = [(None, "(other tags)", &tags.other), (None, "(no tag)", &tags.missing)];
    for (bucket, tag, counts) in buckets.chain(leftovers) {
        let net = bucket.filter(|_| !hop_known).and_then(|b| s.network_errors.by_forwarder_tag.get(&b.value));
        let lng = bucket.and_then(|b| s.long_requests.non_streaming_by_forwarder_tag.get(&b.value));
        let rest = sub(&sub(counts, net), lng);
        let origin = bucket.and_then(|_| classify_tag(k, tag));
        let (cause, statuses) = match origin {
            Some(Origin::Provider) => ("upstream.provider_overload", &provider_statuses),
            Some(Origin::Middleware) => ("upstream.middleware_exhaustion", &middleware_statuses),
            _ => {
                for (st, c) in rest.iter().filter(|(st, _)| **st >= 500) {
                    *untagged_budget.entry(*st).or_insert(0) += c;
                }
                continue;
            }
        };
        let mut claimed = StatusCounts::new();
        for st in statuses {
            if let Some(c) = rest.get(st).filter(|c| **c > 0) {
                claimed.insert(*st, *c);
            }
        }
        if claimed.is_empty() {
            continue;
        }
        tag_lines.push(format!("`{tag}`: {}", statuses_text(&claimed)));
        let claim = claim_mut(&mut claims, cause, Confidence::High);
        for (st, c) in &claimed {
            claim.add(*st, *c);
        }
        claim.facts.push(format!(
            "{} × {} tagged `{tag}` ({} origin)",
            n(failures_in(&claimed)),
            join_statuses(&claimed.keys().copied().collect::<Vec<_>>()),
            if cause == "upstream.provider_overload" { "provider" } else { "middleware" }
        ));
        let ids = sample_ids(
            s.samples.iter().filter(|x| x.forwarder_tag.as_deref() == Some(tag) && claimed.contains_key(&x.status)),
        );
        claim.samples.extend(ids);
        let st: Vec<u16> = claimed.keys().copied().collect();
        let (first, last) = span_of(s, &st);
        claim.span(first, last);
    }
    if !tag_lines.is_empty() {
        checked.push(format!("forwarder tags of 5xx: {}", tag_lines.join("; ")));
    }

    // d. Failures no tag explains: error-body signatures, within what is left untagged.
    let mut by_message: BTreeMap<(&str, u16), u64> = BTreeMap::new();
    for (st, budget) in &untagged_budget {
        if *budget == 0 {
            continue;
        }
        let mut found: Vec<(&str, u64)> = Vec::new();
        for (message, count) in message_groups(s, *st) {
            if let Some(cause) = signature_cause(k, message, *st, Layer::Upstream) {
                if cause == "upstream.provider_overload" || cause == "upstream.middleware_exhaustion" {
                    found.push((cause, count));
                }
            }
        }
        let total: u64 = found.iter().map(|(_, c)| c).sum();
        for (cause, count) in found {
            let share = if total > *budget { count * budget / total.max(1) } else { count };
            *by_message.entry((cause, *st)).or_insert(0) += share;
        }
    }
    for ((cause, st), count) in by_message {
        if count == 0 {
            continue;
        }
        let claim = claim_mut(&mut claims, cause, Confidence::Medium);
        claim.add(st, count);
        claim.facts.push(format!(
            "{} × {st} without a provider/middleware tag carry a {} error body",
            n(count),
            if cause == "upstream.provider_overload" { "provider" } else { "middleware" }
        ));
        let (first, last) = span_of(s, &[st]);
        claim.span(first, last);
    }

    for claim in &mut claims {
        claim.samples.dedup();
        claim.samples.truncate(SAMPLE_IDS);
        for (st, c) in &s.in_band_failures {
            if claim.by_status.contains_key(st) {
                claim.facts.push(format!(
                    "{} of the {st}s were logged with a success status: the stream failed after its 200 (an \
                     in-band error event), counted as {st}",
                    n(*c)
                ));
            }
        }
    }
    rule_out_unclaimed(k, s, Layer::Upstream, &claims, &mut ruled_out, "no forwarder tag or error body points to it");
    LayerOutcome {
        report: LayerReport {
            layer: Layer::Upstream,
            question: "For 5xx: provider, middleware, a long non-streaming request, or the network?".into(),
            checked,
            ruled_out,
            limited_by,
            found: claims.iter().map(|c| c.cause.clone()).collect(),
        },
        claims,
    }
}

/// `total` split in proportion `a : b` (floor for `a`, the rest for `b`). The product of two
/// counts does not fit in u64 for large logs, so the arithmetic is in u128; the result is at
/// most `total` and fits back.
fn split_by_share(total: u64, a: u64, b: u64) -> (u64, u64) {
    let whole = u128::from(a) + u128::from(b);
    if whole == 0 {
        return (0, total);
    }
    let a_part = u64::try_from(u128::from(total) * u128::from(a) / whole).unwrap_or(total);
    (a_part, total - a_part.min(total))
}

/// All four layers, in DESIGN.md's order.
pub fn all_layers(s: &Summary, k: &Knowledge) -> Vec<LayerOutcome> {
    vec![status_layer(s, k), validation_layer(s, k), traffic_layer(s, k), upstream_layer(s, k)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knowledge() -> Knowledge {
        match Knowledge::embedded() {
            Ok(k) => k,
            Err(e) => panic!("{e}"),
        }
    }

    fn sample(status: u16, header: (&str, &str)) -> Sample {
        Sample {
            status,
            path: Some("/v1/messages".into()),
            headers: vec![
                (header.0.into(), header.1.into()),
                ("anthropic-version".into(), "2023-06-01".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Some(
                r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}"#
                    .into(),
            ),
            ..Sample::default()
        }
    }

    const KEY: &str = "sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn lint_families_map_to_causes_as_the_rules_say() {
        let k = knowledge();
        let bearer = format!("Bearer {KEY}\n");
        let raw = format!("{KEY}\n");
        let cause = |s: &Sample| lint_cause(&k, s).map(|(c, _)| c.to_string());
        assert_eq!(cause(&sample(401, ("authorization", &bearer))).as_deref(), Some("client.auth_header"));
        assert_eq!(cause(&sample(400, ("x-api-key", &raw))).as_deref(), Some("client.auth_header"));
        assert_eq!(cause(&sample(401, ("x-api-key", &raw))).as_deref(), Some("auth.key_format"));
    }

    #[test]
    fn the_lint_family_mapping_is_read_from_knowledge() {
        let mut k = knowledge();
        for c in &mut k.causes {
            match c.id.as_str() {
                "client.auth_header" | "auth.key_format" => c.lint_prefixes.clear(),
                "client.messages" => c.lint_prefixes.push("FL0".into()),
                _ => {}
            }
        }
        let raw = format!("{KEY}\n");
        let found = lint_cause(&k, &sample(400, ("x-api-key", &raw))).map(|(c, _)| c.to_string());
        assert_eq!(found.as_deref(), Some("client.messages"));
    }

    #[test]
    fn unmatched_429s_split_without_overflow() {
        assert_eq!(split_by_share(10, 3, 1), (7, 3));
        assert_eq!(split_by_share(10, 0, 0), (0, 10));
        assert_eq!(split_by_share(u64::MAX, u64::MAX, u64::MAX), (u64::MAX / 2, u64::MAX - u64::MAX / 2));
        // Through the layer: 2^40 unrecognised 429s in one minute once overflowed u64.
        let big = 1u64 << 40;
        let mut s = Summary::default();
        s.by_status.insert(429, big);
        s.total_requests = big;
        s.minutes.push(super::super::summary::MinuteBucket {
            requests: big,
            failures: [(429u16, big)].into_iter().collect(),
            ..Default::default()
        });
        let outcome = traffic_layer(&s, &knowledge());
        let claimed: u64 = outcome.claims.iter().flat_map(|c| c.by_status.values()).sum();
        assert_eq!(claimed, big);
    }

    #[test]
    fn a_key_logged_as_a_network_error_is_masked() {
        // Found by fuzzing (fuzz/corpus/logs/planted-every-field.ndjson): the upstream layer
        // quoted each `network_error` value as logged.
        let mut s = Summary::default();
        s.by_status.insert(502, 3);
        s.total_requests = 3;
        s.network_errors.by_status.insert(502, 3);
        s.network_errors.by_error.insert(format!("ECONNRESET {KEY}"), 3);
        let shown = format!("{:?}", upstream_layer(&s, &knowledge()));
        assert!(shown.contains("ECONNRESET sk-ant-api03-… sha256:"), "{shown}");
        assert!(!shown.contains(&KEY[20..]), "{shown}");
    }
}
