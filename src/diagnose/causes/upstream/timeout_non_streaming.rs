//! upstream.timeout_non_streaming: a long request sent without streaming timed out (504/524).
//!
//! For: 504/524 among requests above `streaming.non_streaming_token_limit` tokens sent with
//! `stream` false (strong), or without a `stream` field — the SDKs stream only when asked, so a
//! missing `stream` reads as not streamed (moderate). When the records carry no token count the
//! length cannot be checked: a timeout wording (the API's `timeout_error`, Cloudflare's 524, an
//! Envoy route timeout) is then the evidence, moderate, and the report names the missing field.
//! Against: the timed-out requests were short.

use super::super::reading::{join_statuses, n, shorten, statuses_text, Facts};
use super::super::{Assessment, Claim, Detector, Item, Kind, NotFound, Strength, Unit};
use crate::diagnose::model::Confidence;
use crate::diagnose::summary::{failures_in, is_failure, StatusCounts};

pub const ID: &str = "upstream.timeout_non_streaming";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    let statuses = f.statuses(ID);
    let long = &f.s.long_requests;
    let any = f.failing(&statuses);
    // Without token counts, payload bytes give the size (`Summary::long_requests_by_bytes`).
    let lengths_known = f.s.has_field("payload_tokens") || f.s.has_field("payload_bytes");
    let bytes_mark = long.token_limit as f64 * f.s.long_requests_by_bytes.bytes_per_token;
    let by_bytes: u64 = statuses.iter().filter_map(|st| f.s.long_requests_by_bytes.by_status.get(st)).sum();
    let pick = |m: &StatusCounts| -> StatusCounts {
        statuses.iter().filter_map(|st| m.get(st).filter(|c| **c > 0).map(|c| (*st, *c))).collect()
    };
    let explicit = pick(&long.non_streaming_by_status);
    let unknown = pick(&long.stream_unknown_by_status);
    let mut words: StatusCounts = StatusCounts::new();
    let mut example = None;
    for &st in &statuses {
        for (message, count) in f.message_groups(st) {
            if let Some(sig) = f.signature(message, ID) {
                *words.entry(st).or_insert(0) += count;
                example.get_or_insert((sig, message));
            }
        }
    }
    let streamed_ok: u64 = long.streaming_by_status.iter().filter(|(st, _)| !is_failure(**st)).map(|(_, c)| c).sum();
    let explicit_total: u64 = long.non_streaming_by_status.values().sum();
    for &st in &statuses {
        let (e, u) = (explicit.get(&st).copied().unwrap_or(0), unknown.get(&st).copied().unwrap_or(0));
        let w = if lengths_known { 0 } else { words.get(&st).copied().unwrap_or(0) };
        if e + u == 0 && w == 0 {
            continue;
        }
        let mut claim = Claim::new(Unit::Other, Confidence::High);
        if e > 0 {
            claim.evidence.push(Item::new(
                Kind::Payload,
                Strength::Strong,
                format!(
                    "{} requests above {} tokens were sent with stream=false; {} of them ended in {}",
                    n(explicit_total),
                    n(long.token_limit),
                    n(failures_in(&explicit)),
                    join_statuses(&explicit.keys().copied().collect::<Vec<_>>())
                ),
            ));
        }
        if u > 0 {
            claim.evidence.push(Item::new(
                Kind::Payload,
                Strength::Moderate,
                format!(
                    "{} requests above {} tokens carry no `stream` field, read as not streamed (the SDKs stream only \
                     when asked): {}",
                    n(long.stream_unknown_by_status.values().sum()),
                    n(long.token_limit),
                    statuses_text(&unknown)
                ),
            ));
            // Mostly read by default: weaker than stream=false.
            if u > e {
                claim.confidence = Confidence::Medium;
            }
        }
        if by_bytes > 0 && e + u > 0 {
            claim.evidence.push(Item::new(
                Kind::Payload,
                Strength::Moderate,
                format!(
                    "{} of these have no token count: their size is the payload bytes at {} bytes per token \
                     (payload.bytes_per_token), above {} bytes",
                    n(by_bytes),
                    f.s.long_requests_by_bytes.bytes_per_token,
                    n(bytes_mark as u64)
                ),
            ));
        }
        if e + u == 0 {
            if let Some((sig, message)) = example {
                claim.evidence.push(Item::new(
                    Kind::ApiWording,
                    Strength::Moderate,
                    format!(
                        "{} answered a timeout (\"{}\", `{}`); their length is not logged",
                        statuses_text(&words),
                        shorten(message),
                        sig.def.id
                    ),
                ));
            }
            claim.confidence = Confidence::Medium;
        }
        if streamed_ok > 0 {
            claim.evidence.push(Item::new(
                Kind::Payload,
                Strength::Moderate,
                format!("{} long requests sent with stream=true succeeded", n(streamed_ok)),
            ));
        }
        claim.add(st, e.max(u + e).max(w));
        claim.span(f.span_of(&[st]));
        claim.samples = f.ids((0..f.s.samples.len()).filter(|&i| {
            let x = f.sample(i);
            let long_enough = match x.input_tokens {
                Some(tk) => tk > long.token_limit,
                None => x.payload_bytes.is_some_and(|b| bytes_mark > 0.0 && b as f64 > bytes_mark),
            };
            x.status == st && x.stream != Some(true) && long_enough
        }));
        a.claims.push(claim);
    }
    if any > 0 {
        if !lengths_known {
            a.limited_by.push(format!(
                "no `payload_tokens` or `payload_bytes` field: the length of the {} × {} cannot be checked{}",
                n(any),
                join_statuses(&statuses),
                if words.is_empty() { "" } else { " (claimed on their timeout wording)" }
            ));
        }
        if !f.s.has_field("stream") {
            a.limited_by
                .push("no `stream` field: requests without one are read as not streamed (the SDKs' default)".into());
        }
    }
    if !lengths_known && a.claims.is_empty() && any > 0 {
        a.not_found = Some(NotFound::Unchecked(format!(
            "no `payload_tokens` field and no timeout wording: whether the {} × {} were long requests cannot be told",
            n(any),
            join_statuses(&statuses)
        )));
    }
    a.finish(|| {
        if any == 0 {
            format!("no {} failures", join_statuses(&statuses))
        } else {
            format!("none of the {} × {} were long requests sent without streaming", n(any), join_statuses(&statuses))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::*;

    #[test]
    fn found_above_the_token_limit_without_streaming() {
        let mut s = summary(900, &[(524, 40)], &["payload_tokens", "stream"]);
        s.long_requests.token_limit = 6000;
        s.long_requests.non_streaming_by_status = counts(&[(200, 60), (524, 40)]);
        assert_eq!(claimed(ID, &s), counts(&[(524, 40)]));
        assert_eq!(strength(ID, &s), Some(Strength::Strong));
    }

    #[test]
    fn found_when_the_stream_field_is_absent_the_sdk_default() {
        let mut s = summary(900, &[(524, 40)], &["payload_tokens"]);
        s.long_requests.stream_unknown_by_status = counts(&[(524, 40)]);
        assert_eq!(claimed(ID, &s), counts(&[(524, 40)]));
        assert_eq!(strength(ID, &s), Some(Strength::Moderate));
    }

    #[test]
    fn found_on_the_wording_when_no_token_count_is_logged() {
        let mut s = summary(900, &[(504, 30)], &["stream"]);
        message(
            &mut s,
            r#"{"type":"error","error":{"type":"timeout_error","message":"Request timeout"}}"#,
            &[(504, 30)],
        );
        let a = assessment(ID, &s);
        assert_eq!(a.claimed(), counts(&[(504, 30)]));
        assert!(a.limited_by.iter().any(|l| l.contains("payload_tokens")), "{:?}", a.limited_by);
    }

    #[test]
    fn without_token_counts_or_wording_it_is_unchecked() {
        let s = summary(900, &[(504, 30)], &["stream"]);
        assert!(matches!(assessment(ID, &s).not_found, Some(NotFound::Unchecked(_))));
    }

    #[test]
    fn short_requests_that_time_out_do_not_trigger() {
        let mut s = summary(900, &[(504, 30)], &["payload_tokens", "stream"]);
        message(&mut s, "upstream request timeout", &[(504, 30)]);
        assert!(claimed(ID, &s).is_empty());
    }
}
