//! What several detectors read the same way, read once: the Summary's message groups with the
//! signatures they match, the lint of each sampled request, the minute-by-minute shape of the
//! 429s, the history and environments of a key. [`Facts`] holds the Summary and the knowledge
//! base and computes the shared readings lazily (a diagnosis assesses each cause once).

use std::cell::OnceCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::traffic::TrafficPattern;
use crate::diagnose::summary::{normalise_message, MinuteBucket, Sample, SampleGroup, Summary};
use crate::knowledge::{Knowledge, Origin, Signature, Strength};
use crate::lint::Severity;

/// Sample request IDs shown per cause.
pub const SAMPLE_IDS: usize = 5;

pub use crate::knowledge::thousands as n;
pub use crate::redact::show_key_hash as show_key;

/// `part` of `whole` as a percentage with one decimal.
pub fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0 %".into();
    }
    format!("{:.1} %", part as f64 * 100.0 / whole as f64)
}

/// A share (0..1) as a percentage with one decimal.
pub fn share(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// `12 × 400, 3 × 404`.
pub fn statuses_text(counts: &BTreeMap<u16, u64>) -> String {
    counts.iter().filter(|(_, c)| **c > 0).map(|(s, c)| format!("{} × {s}", n(*c))).collect::<Vec<_>>().join(", ")
}

/// `504/524`.
pub fn join_statuses(statuses: &[u16]) -> String {
    statuses.iter().map(u16::to_string).collect::<Vec<_>>().join("/")
}

/// A logged message as a fact shows it: keys masked (before the cut, which could hide a key's
/// shape), an API error body (`{"type":"error","error":{"type":T,"message":M}}`, the SDK's
/// `Error code: N - {...}`) shown as `T: M`, at most 90 characters.
pub fn shorten(text: &str) -> String {
    let text = crate::redact::mask_keys_in_text(text);
    let inner = error_body(&text);
    let text = inner.as_deref().unwrap_or(text.as_ref());
    let t: String = text.chars().take(90).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else if t.is_empty() {
        "(no message)".into()
    } else {
        t
    }
}

/// `T: M` of an error body written as JSON or as Python's repr (the SDK's string form).
fn error_body(text: &str) -> Option<String> {
    let field = |name: &str| -> Option<&str> {
        for (open, q) in [
            (format!("\"{name}\":\""), '"'),
            (format!("\"{name}\": \""), '"'),
            (format!("'{name}': '"), '\''),
            (format!("'{name}': \""), '"'),
        ] {
            if let Some(at) = text.rfind(open.as_str()) {
                let rest = &text[at + open.len()..];
                let mut end = None;
                let mut escaped = false;
                for (i, c) in rest.char_indices() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == q {
                        end = Some(i);
                        break;
                    }
                }
                return end.map(|e| &rest[..e]);
            }
        }
        None
    };
    let message = field("message").filter(|m| !m.is_empty())?;
    // The error's own type: the last `type` before the message (the first is `error`).
    let kind = text
        .find("message")
        .and_then(|at| {
            let head = &text[..at];
            ["\"type\":\"", "\"type\": \"", "'type': '"].iter().find_map(|open| {
                let start = head.rfind(open)? + open.len();
                let end = head[start..].find(['"', '\''])?;
                Some(&head[start..start + end])
            })
        })
        .filter(|k| *k != "error");
    Some(match kind {
        Some(k) => format!("{k}: {message}"),
        None => message.to_string(),
    })
}

/// `2026-11-18 09:38:36`.
pub fn clock(t: Option<DateTime<Utc>>) -> String {
    t.map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// The lint of one sampled request: the cause its error findings point to (rules/causes.toml
/// `lint_prefixes`) and their codes.
pub type Linted = Option<(String, Vec<&'static str>)>;

/// Majority lint of a group of samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintVote {
    pub cause: String,
    pub codes: Vec<&'static str>,
    /// Samples that agree, of the samples that could be linted.
    pub agree: usize,
    pub of: usize,
}

/// The Summary, the knowledge base, and the readings several detectors share.
pub struct Facts<'a> {
    pub s: &'a Summary,
    pub k: &'a Knowledge,
    lint: OnceCell<Vec<Linted>>,
    pattern: OnceCell<TrafficPattern>,
}

impl<'a> Facts<'a> {
    pub fn new(s: &'a Summary, k: &'a Knowledge) -> Facts<'a> {
        Facts { s, k, lint: OnceCell::new(), pattern: OnceCell::new() }
    }

    /// The statuses rules/causes.toml gives a cause.
    pub fn statuses(&self, cause: &str) -> Vec<u16> {
        self.k.cause(cause).map(|c| c.statuses.clone()).unwrap_or_default()
    }

    /// Failures of these statuses.
    pub fn failing(&self, statuses: &[u16]) -> u64 {
        statuses.iter().filter_map(|st| self.s.by_status.get(st)).sum()
    }

    /// The message groups of `status`: (normalised message, failures of that status); records
    /// without a message are the group `""`.
    pub fn message_groups(&self, status: u16) -> Vec<(&'a str, u64)> {
        let mut out: Vec<(&str, u64)> = self
            .s
            .by_error_message
            .top
            .iter()
            .filter_map(|b| b.by_status.get(&status).map(|c| (b.value.as_str(), *c)))
            .filter(|(_, c)| *c > 0)
            .collect();
        if let Some(c) = self.s.by_error_message.missing.get(&status).filter(|c| **c > 0) {
            out.push(("", *c));
        }
        out
    }

    /// Every failing (status, message, failures) group.
    pub fn failing_groups(&self) -> Vec<(u16, &'a str, u64)> {
        let mut out = Vec::new();
        for st in self.s.failures_by_status().keys() {
            for (m, c) in self.message_groups(*st) {
                out.push((*st, m, c));
            }
        }
        out
    }

    /// Indices of the samples of one (status, normalised message) group, whichever grouping
    /// chose them.
    pub fn message_samples(&self, status: u16, message: &str) -> Vec<usize> {
        (0..self.s.samples.len())
            .filter(|&i| {
                let x = &self.s.samples[i];
                x.status == status
                    && if x.group == SampleGroup::Message {
                        x.group_key == message
                    } else {
                        x.error_message.as_deref().map_or(String::new(), normalise_message) == message
                    }
            })
            .collect()
    }

    /// Indices of the samples of one key hash and status.
    pub fn key_samples(&self, status: u16, key: &str) -> Vec<usize> {
        (0..self.s.samples.len())
            .filter(|&i| self.s.samples[i].status == status && self.s.samples[i].key_hash.as_deref() == Some(key))
            .collect()
    }

    pub fn sample(&self, i: usize) -> &'a Sample {
        &self.s.samples[i]
    }

    /// The lint of sample `i` (every sample is linted once per diagnosis).
    pub fn lint(&self, i: usize) -> Option<&(String, Vec<&'static str>)> {
        let all = self.lint.get_or_init(|| {
            self.s.samples.iter().map(|x| lint_cause(self.k, x).map(|(c, codes)| (c.to_string(), codes))).collect()
        });
        all.get(i).and_then(Option::as_ref)
    }

    /// The lint cause most of these samples agree on (at least half of those that carry headers
    /// or a body).
    pub fn lint_vote(&self, samples: &[usize]) -> Option<LintVote> {
        let lintable = samples.iter().filter(|&&i| lintable(self.sample(i))).count();
        let mut votes: BTreeMap<&str, (usize, Vec<&'static str>)> = BTreeMap::new();
        for &i in samples {
            if let Some((cause, codes)) = self.lint(i) {
                let entry = votes.entry(cause.as_str()).or_insert((0, Vec::new()));
                entry.0 += 1;
                for c in codes {
                    if !entry.1.contains(c) {
                        entry.1.push(c);
                    }
                }
            }
        }
        let (cause, (agree, mut codes)) = votes.into_iter().max_by_key(|(_, (c, _))| *c)?;
        codes.sort_unstable();
        (agree * 2 >= lintable).then(|| LintVote { cause: cause.to_string(), codes, agree, of: lintable })
    }

    /// The first signature of `cause` matching `text` (rules/signatures.toml order).
    pub fn signature(&self, text: &str, cause: &str) -> Option<&'a Signature> {
        self.k.signatures.iter().find(|sig| sig.def.cause == cause && sig.regex.is_match(text))
    }

    /// The first signature of any cause, accepting `status`, that matches `text`.
    pub fn any_signature(&self, text: &str, status: u16) -> Option<&'a Signature> {
        self.k.signatures.iter().find(|sig| {
            !sig.def.cause.is_empty()
                && self.k.cause(&sig.def.cause).is_some_and(|c| c.statuses.contains(&status))
                && sig.regex.is_match(text)
        })
    }

    /// A cause-less decisive signature: the answer says what failed, and it is none of the
    /// causes.
    pub fn unexplained_signature(&self, text: &str) -> Option<&'a Signature> {
        self.k
            .signatures
            .iter()
            .find(|sig| sig.def.cause.is_empty() && sig.def.strength == Strength::Decisive && sig.regex.is_match(text))
    }

    /// A cause-less weak signature: wording that decides nothing (`Rate limited`).
    pub fn generic_signature(&self, text: &str) -> Option<&'a Signature> {
        self.k
            .signatures
            .iter()
            .find(|sig| sig.def.cause.is_empty() && sig.def.strength == Strength::Weak && sig.regex.is_match(text))
    }

    /// The starts of the first and the last minute holding failures of any of `statuses`: when
    /// the first and the last of them came, to the minute (to the bucket over a window of more
    /// than a day: the first minute of the first bucket, the last minute of the last). (The cause's range is made of these
    /// by `rank`, the same way for every cause: see `rank::cause_range`.)
    pub fn span_of(&self, statuses: &[u16]) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let has = |m: &&MinuteBucket| statuses.iter().any(|st| m.failures.get(st).is_some_and(|c| *c > 0));
        let first = self.s.minutes.iter().find(has).map(|m| m.start);
        // With buckets wider than a minute: the start of the bucket's last minute.
        let last_minute = chrono::Duration::minutes(i64::from(self.s.bucket_width()) - 1);
        let last = self.s.minutes.iter().rev().find(has).map(|m| m.start + last_minute);
        (first, last)
    }

    /// Request IDs of these samples (at most [`SAMPLE_IDS`], each once).
    pub fn ids(&self, samples: impl IntoIterator<Item = usize>) -> Vec<String> {
        sample_ids(samples.into_iter().map(|i| self.sample(i)))
    }

    /// The minute-by-minute shape of the 429s.
    pub fn pattern(&self) -> &TrafficPattern {
        self.pattern.get_or_init(|| super::traffic::traffic_pattern(self.s, self.k))
    }

    /// Sampled requests of these statuses whose credential a logger masked, of those that carry
    /// one; and the mask forms seen.
    pub fn masked_keys(&self, statuses: &[u16]) -> (usize, usize, Vec<&'static str>) {
        let (mut masked, mut with_key, mut forms) = (0, 0, Vec::new());
        for x in self.s.samples.iter().filter(|x| statuses.contains(&x.status)) {
            let key = x.headers.iter().find_map(|(name, value)| match name.to_ascii_lowercase().as_str() {
                "x-api-key" => Some(value.as_str()),
                "authorization" => {
                    let v = value.trim_start();
                    Some(v.split_once([' ', '\t']).map_or(v, |(_, token)| token))
                }
                _ => None,
            });
            let Some(key) = key else { continue };
            with_key += 1;
            if let Some(m) = crate::redact::masked_credential(key) {
                masked += 1;
                let f = m.form.describe();
                if !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
        (masked, with_key, forms)
    }

    /// The line the validation layer shows when logged keys are masked.
    pub fn masked_note(&self, statuses: &[u16]) -> Option<String> {
        let (masked, with_key, forms) = self.masked_keys(statuses);
        (masked > 0).then(|| {
            format!(
                "{masked} of {with_key} sampled requests carry a key the log masked ({}): the masked part cannot be \
                 checked and is no evidence of a defect; what the mask leaves (a line break, a space, an invisible \
                 character, `bearer`) still is",
                forms.join(", ")
            )
        })
    }

    /// For a key: the environment holding most of its 401s, that share, and a different key that
    /// succeeds in another environment.
    pub fn env_concentration(&self, key: &str) -> Option<(String, f64, Option<String>)> {
        let mut per_env: Vec<(&str, u64)> = Vec::new();
        for e in &self.s.environments {
            if let Some(kc) = e.keys.iter().find(|kc| kc.key_hash == key) {
                per_env.push((&e.environment, kc.failures.get(&401).copied().unwrap_or(0)));
            }
        }
        let total: u64 = per_env.iter().map(|(_, c)| c).sum();
        let (env, top) = per_env.into_iter().max_by_key(|(_, c)| *c)?;
        if total == 0 {
            return None;
        }
        let good = self
            .s
            .environments
            .iter()
            .filter(|e| e.environment != env)
            .flat_map(|e| e.keys.iter())
            .filter(|kc| kc.key_hash != key && kc.successes > 0)
            .max_by_key(|kc| kc.successes)
            .map(|kc| kc.key_hash.clone());
        Some((env.to_string(), top as f64 / total as f64, good))
    }

    /// Origin of a forwarder tag: provider or middleware; `None` when neither or both match.
    pub fn tag_origin(&self, tag: &str) -> Option<Origin> {
        classify_tag(self.k, tag)
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

fn lintable(x: &Sample) -> bool {
    !x.headers.is_empty() || x.body.is_some()
}

/// Request IDs of these samples (at most [`SAMPLE_IDS`], each once).
pub fn sample_ids<'s>(samples: impl Iterator<Item = &'s Sample>) -> Vec<String> {
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

/// The validation cause lint points to for one sample, if any: which cause a lint family
/// points to is data (rules/causes.toml `lint_prefixes`); a cause conditioned on a missing
/// header is tried before an unconditional one sharing its family. Only errors count: a masked
/// key is an `info` finding (FL009), no evidence of a defect.
pub fn lint_cause<'k>(k: &'k Knowledge, sample: &Sample) -> Option<(&'k str, Vec<&'static str>)> {
    if !lintable(sample) {
        return None;
    }
    let date = sample.timestamp.date_naive();
    let findings =
        crate::lint::lint_logged_request(k, sample.path.as_deref(), &sample.headers, sample.body.as_deref(), date);
    let errors: Vec<&'static str> = findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.code).collect();
    if errors.is_empty() {
        return None;
    }
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

#[cfg(test)]
pub(crate) mod tests {
    //! What the detectors' unit tests share: the knowledge base, and Summaries built by hand.

    use std::sync::OnceLock;

    use chrono::{DateTime, Duration, TimeZone, Utc};

    use super::*;
    use crate::diagnose::summary::*;

    pub fn knowledge() -> &'static Knowledge {
        static K: OnceLock<Knowledge> = OnceLock::new();
        K.get_or_init(|| Knowledge::embedded().unwrap_or_else(|e| panic!("{e}")))
    }

    pub const KEY: &str = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefghijklmnopQRSTUVWX-0123456789AA";
    pub const BODY: &str =
        r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}"#;

    /// Minute `m` of the test incident.
    pub fn t(m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 18, 8, 0, 0).single().unwrap_or_default() + Duration::minutes(m)
    }

    pub fn counts(pairs: &[(u16, u64)]) -> StatusCounts {
        pairs.iter().copied().filter(|(_, n)| *n > 0).collect()
    }

    /// A Summary of `ok` successes and these failures, carrying these fields.
    pub fn summary(ok: u64, failures: &[(u16, u64)], fields: &[&str]) -> Summary {
        let mut s = Summary::default();
        for f in ["timestamp", "status"].iter().chain(fields) {
            s.fields.present.insert((*f).to_string(), 1);
        }
        s.by_status = counts(failures);
        if ok > 0 {
            s.by_status.insert(200, ok);
        }
        s.total_requests = s.by_status.values().sum();
        s
    }

    /// Adds a message group.
    pub fn message(s: &mut Summary, text: &str, failures: &[(u16, u64)]) {
        s.by_error_message.top.push(Bucket { value: normalise_message(text), by_status: counts(failures) });
    }

    /// A failing sample of a message group, with these headers and body.
    pub fn sample(s: &mut Summary, status: u16, text: &str, headers: &[(&str, &str)], body: Option<&str>) {
        let i = s.samples.len();
        s.samples.push(Sample {
            group: SampleGroup::Message,
            group_key: normalise_message(text),
            request_id: Some(format!("req_{i}")),
            timestamp: t(i as i64),
            status,
            path: Some("/v1/messages".into()),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.map(str::to_string),
            error_message: Some(text.to_string()),
            ..Sample::default()
        });
    }

    /// A key's history: successes between minutes `ok_from..=ok_to`, failures per status with
    /// (count, first minute, last minute).
    pub fn key(s: &mut Summary, hash: &str, successes: u64, ok: Option<(i64, i64)>, fails: &[(u16, u64, i64, i64)]) {
        let failure_times: BTreeMap<u16, TimeSpan> =
            fails.iter().map(|(st, _, a, b)| (*st, TimeSpan { first: t(*a), last: t(*b) })).collect();
        s.keys.push(KeyHistory {
            key_hash: hash.into(),
            successes,
            failures: fails.iter().map(|(st, c, _, _)| (*st, *c)).collect(),
            first_success: ok.map(|(a, _)| t(a)),
            last_success: ok.map(|(_, b)| t(b)),
            first_failure: failure_times.values().map(|x| x.first).min(),
            last_failure: failure_times.values().map(|x| x.last).max(),
            failure_times,
        });
    }

    /// The key's counts in an environment.
    pub fn env_key(s: &mut Summary, env: &str, hash: &str, successes: u64, failures: &[(u16, u64)]) {
        let kc = KeyCount { key_hash: hash.into(), successes, failures: counts(failures) };
        match s.environments.iter_mut().find(|e| e.environment == env) {
            Some(e) => e.keys.push(kc),
            None => s.environments.push(EnvironmentKeys { environment: env.into(), keys: vec![kc] }),
        }
    }

    /// The failures the assessment of `cause` claims, by status.
    pub fn claimed(cause: &str, s: &Summary) -> StatusCounts {
        super::super::assess(cause, s, knowledge()).map(|a| a.claimed()).unwrap_or_default()
    }

    /// The assessment of `cause`.
    pub fn assessment(cause: &str, s: &Summary) -> super::super::Assessment {
        super::super::assess(cause, s, knowledge()).unwrap_or_else(|| panic!("no detector for {cause}"))
    }

    /// The strongest claim's strength.
    pub fn strength(cause: &str, s: &Summary) -> Option<Strength> {
        assessment(cause, s).claims.iter().map(|c| c.strength()).max()
    }

    #[test]
    fn error_bodies_show_as_type_and_message() {
        let json = r##"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"#"}"##;
        assert_eq!(shorten(json), "overloaded_error: Overloaded");
        let sdk = "Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'messages.0.role: Input should be'}}";
        assert_eq!(shorten(sdk), "invalid_request_error: messages.0.role: Input should be");
        assert_eq!(shorten("no healthy upstream"), "no healthy upstream");
        assert_eq!(shorten(""), "(no message)");
    }

    #[test]
    fn lint_families_map_to_causes_as_the_rules_say() {
        let k = knowledge();
        let mk = |status: u16, header: (&str, &str)| Sample {
            status,
            path: Some("/v1/messages".into()),
            headers: vec![(header.0.into(), header.1.into()), ("anthropic-version".into(), "2023-06-01".into())],
            body: Some(BODY.into()),
            ..Sample::default()
        };
        let cause = |x: &Sample| lint_cause(k, x).map(|(c, _)| c.to_string());
        assert_eq!(
            cause(&mk(401, ("authorization", &format!("Bearer {KEY}\n")))).as_deref(),
            Some("client.auth_header")
        );
        assert_eq!(cause(&mk(400, ("x-api-key", &format!("{KEY}\n")))).as_deref(), Some("client.auth_header"));
        assert_eq!(cause(&mk(401, ("x-api-key", &format!("{KEY}\n")))).as_deref(), Some("auth.key_format"));
        // A masked key is no evidence of a defect.
        assert_eq!(cause(&mk(401, ("x-api-key", "sk-ant-api03-S…"))), None);
        assert_eq!(cause(&mk(400, ("authorization", "[REDACTED]"))), None);
        // What survives the mask still is.
        assert_eq!(cause(&mk(401, ("x-api-key", "sk-a****xyAA\n"))).as_deref(), Some("auth.key_format"));
    }

    #[test]
    fn the_lint_family_mapping_is_read_from_knowledge() {
        let mut k = knowledge().clone();
        for c in &mut k.causes {
            match c.id.as_str() {
                "client.auth_header" | "auth.key_format" => c.lint_prefixes.clear(),
                "client.messages" => c.lint_prefixes.push("FL0".into()),
                _ => {}
            }
        }
        let x = Sample {
            status: 400,
            headers: vec![("x-api-key".into(), format!("{KEY}\n"))],
            body: Some(BODY.into()),
            ..Sample::default()
        };
        assert_eq!(lint_cause(&k, &x).map(|(c, _)| c.to_string()).as_deref(), Some("client.messages"));
    }

    #[test]
    fn the_real_api_wordings_match_their_signatures() {
        let facts_s = Summary::default();
        let f = Facts::new(&facts_s, knowledge());
        let cause =
            |text: &str, status: u16| f.any_signature(&normalise_message(text), status).map(|s| s.def.cause.as_str());
        for (text, status, want) in [
            ("messages.1.content: Field required", 400, "client.messages"),
            ("messages.0.role: Input should be 'user' or 'assistant'", 400, "client.messages"),
            ("messages.9: all messages must have non-empty content except for the optional final assistant message", 400, "client.messages"),
            ("messages: text content blocks must be non-empty", 400, "client.messages"),
            ("ValidationException: messages: text content blocks must be non-empty", 400, "client.messages"),
            (r#"{"type":"error","error":{"type":"invalid_request_error","message":"messages.0.content: Field required"}}"#, 400, "client.messages"),
            ("model: claude-3-5-sonnet-20241022", 404, "client.model_id"),
            (r#"{"type":"error","error":{"type":"not_found_error","message":"model: claude-sonnet-4.6"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#, 404, "client.model_id"),
            ("Error code: 404 - {'type': 'error', 'error': {'type': 'not_found_error', 'message': 'model: claude-opus-4.8'}}", 404, "client.model_id"),
            ("invalid x-api-key", 401, "auth.key_format"),
            ("Overloaded", 529, "upstream.provider_overload"),
            ("litellm.InternalServerError: AnthropicException - Overloaded. Handle with `litellm.InternalServerError`.", 500, "upstream.provider_overload"),
            ("Too many connections, please wait before trying again.", 503, "upstream.provider_overload"),
            ("Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.", 400, "traffic.quota_exhausted"),
            ("You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.", 400, "traffic.quota_exhausted"),
            ("You have reached your API usage limits: your organization has crossed its monthly API usage threshold", 429, "traffic.quota_exhausted"),
            ("This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: x)", 429, "traffic.rate_limit"),
            ("x-api-key header is required", 401, "client.auth_header"),
        ] {
            assert_eq!(cause(text, status), Some(want), "{text}");
        }
        // Wordings that name no cause.
        for text in ["Rate limited", "Too Many Requests"] {
            assert_eq!(cause(text, 429), None, "{text}");
            assert!(f.generic_signature(text).is_some(), "{text}");
        }
        assert_eq!(cause("Not found", 404), None);
        for text in [
            "CORS requests are not allowed for this Organization because of its settings.",
            "prompt is too long: 213462 tokens > 200000 maximum",
            "max_tokens: 128000 > 64000, which is the maximum allowed number of output tokens for claude-opus-4-8",
        ] {
            assert!(f.unexplained_signature(&normalise_message(text)).is_some(), "{text}");
        }
    }
}
