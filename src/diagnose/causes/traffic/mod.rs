//! Traffic (layer 3): short-term rate limit or exhausted quota. What the two causes share: the
//! minute-by-minute shape of the 429s, and how the 429s no wording decides are split between
//! them by that shape.
//!
//! A wording that names its limit confirms its own cause (`…rate limit of 30,000 input tokens
//! per minute` the rate limit; a spend cap, usage limits, a low credit balance the quota). A
//! generic one (`Rate limited`, `Too Many Requests`) decides nothing: the shape does. Continuous
//! failure from an onset, nearly every request failing, with concurrency never above the cap, is
//! a hard stop (quota); bursts with concurrency above the cap and successes between them are
//! throttling (rate limit). A continuous stretch run at concurrency above the cap is the load
//! saturating the limit: bursts, however long.

pub mod quota_exhausted;
pub mod rate_limit;

use chrono::{DateTime, Utc};

use super::reading::{n, Facts};
use crate::diagnose::summary::{failures_in, MinuteBucket, Summary};
use crate::knowledge::Knowledge;

/// The status both traffic causes read the shape of.
pub const THROTTLED: u16 = 429;

/// The minute-by-minute shape of the 429s.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrafficPattern {
    /// Start of the final continuous stretch where nearly every request fails with 429.
    pub quota_onset: Option<DateTime<Utc>>,
    pub quota_saturated_share: f64,
    /// 429s from the onset on, and before it.
    pub quota_429: u64,
    pub rate_429: u64,
    /// Minutes of the stretch, those with concurrency above the cap, and its highest concurrency.
    pub stretch_minutes: u64,
    pub stretch_minutes_above_cap: u64,
    pub stretch_peak_concurrency: Option<u64>,
    /// Minutes with 429s before the onset, and how many had concurrency above the cap.
    pub burst_minutes: u64,
    pub burst_minutes_above_cap: u64,
    pub peak_concurrency: Option<u64>,
    pub successes_in_429_minutes: u64,
}

impl TrafficPattern {
    /// Whether the continuous stretch is a hard stop: there is one, and concurrency was above
    /// the cap in fewer than half of its minutes (unknown concurrency counts as not above).
    pub fn hard_stop(&self) -> bool {
        self.quota_onset.is_some() && self.stretch_minutes_above_cap * 2 < self.stretch_minutes.max(1)
    }

    /// The trace line.
    pub fn describe(&self, cap: u64) -> String {
        let continuous = match self.quota_onset {
            Some(t) if self.hard_stop() => format!(
                "continuous 429s from {} ({} × 429), concurrency above {cap} in {} of its {} minutes",
                t.format("%H:%M"),
                n(self.quota_429),
                n(self.stretch_minutes_above_cap),
                n(self.stretch_minutes)
            ),
            Some(t) => format!(
                "continuous 429s from {} ({} × 429), but at concurrency above {cap} in {} of its {} minutes: the load \
                 saturated the limit",
                t.format("%H:%M"),
                n(self.quota_429),
                n(self.stretch_minutes_above_cap),
                n(self.stretch_minutes)
            ),
            None => "no continuous stretch of 429s".into(),
        };
        format!(
            "{continuous}; {} minutes with 429 bursts{}, {} of them with concurrency above {cap}",
            n(self.burst_minutes),
            if self.quota_onset.is_some() { " before it" } else { "" },
            n(self.burst_minutes_above_cap)
        )
    }
}

/// Minimum length of a continuous stretch (buckets: minutes, or wider buckets over a window of
/// more than a day) to call it one.
const MIN_CONTINUOUS_MINUTES: usize = 3;

pub fn traffic_pattern(s: &Summary, k: &Knowledge) -> TrafficPattern {
    let d = &k.thresholds.detection;
    let cap = k.thresholds.rate_limit.baseline_concurrency;
    let rate = |m: &MinuteBucket| {
        let c = m.failures.get(&THROTTLED).copied().unwrap_or(0);
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
    // A bucket wider than a minute (a window over a day) counts as its minutes.
    let width = u64::from(s.bucket_width());
    let mut p = TrafficPattern::default();
    if let Some(i) = onset_index {
        p.quota_onset = s.minutes.get(i).map(|m| m.start);
        p.quota_saturated_share = best_share;
    }
    for (i, m) in s.minutes.iter().enumerate() {
        let above = m.max_concurrency.is_some_and(|mc| mc > cap);
        if onset_index.is_some_and(|o| i >= o) {
            p.stretch_minutes += width;
            p.stretch_minutes_above_cap += u64::from(above) * width;
            p.stretch_peak_concurrency = p.stretch_peak_concurrency.max(m.max_concurrency);
        }
        let c = m.failures.get(&THROTTLED).copied().unwrap_or(0);
        if c == 0 {
            continue;
        }
        if onset_index.is_some_and(|o| i >= o) {
            p.quota_429 = p.quota_429.saturating_add(c);
        } else {
            p.rate_429 = p.rate_429.saturating_add(c);
            p.burst_minutes += width;
            p.burst_minutes_above_cap += u64::from(above) * width;
            p.peak_concurrency = p.peak_concurrency.max(m.max_concurrency);
            p.successes_in_429_minutes += m.requests - failures_in(&m.failures).min(m.requests);
        }
    }
    p
}

/// The 429s no wording decides (no signature of either traffic cause), split by the shape:
/// (to the quota, to the rate limit).
pub fn undecided_split(f: &Facts<'_>) -> (u64, u64) {
    let total = f.s.by_status.get(&THROTTLED).copied().unwrap_or(0);
    let decided: u64 = f
        .message_groups(THROTTLED)
        .iter()
        .filter(|(m, _)| {
            f.signature(m, rate_limit::ID).is_some()
                || f.signature(m, quota_exhausted::ID).is_some()
                || f.unexplained_signature(m).is_some()
        })
        .map(|(_, c)| c)
        .sum();
    let undecided = total.saturating_sub(decided);
    let p = f.pattern();
    let (quota, rate) = if p.hard_stop() { (p.quota_429, p.rate_429) } else { (0, p.quota_429 + p.rate_429) };
    if undecided == 0 || quota.saturating_add(rate) == 0 {
        return (0, 0);
    }
    split_by_share(undecided, quota, rate)
}

/// 429s whose wording names their limit (a signature of either traffic cause).
pub fn worded(f: &Facts<'_>) -> u64 {
    f.message_groups(THROTTLED)
        .iter()
        .filter(|(m, _)| f.signature(m, rate_limit::ID).is_some() || f.signature(m, quota_exhausted::ID).is_some())
        .map(|(_, c)| c)
        .sum()
}

/// The 429 groups whose wording names no limit (`Rate limited`): (message, failures).
pub fn generic_groups<'a>(f: &Facts<'a>) -> Vec<(&'a str, u64)> {
    f.message_groups(THROTTLED).into_iter().filter(|(m, _)| f.generic_signature(m).is_some()).collect()
}

/// `total` split in proportion `a : b` (floor for `a`, the rest for `b`). The product of two
/// counts does not fit in u64 for large logs, so the arithmetic is in u128; the result is at
/// most `total` and fits back.
pub fn split_by_share(total: u64, a: u64, b: u64) -> (u64, u64) {
    let whole = u128::from(a) + u128::from(b);
    if whole == 0 {
        return (0, total);
    }
    let a_part = u64::try_from(u128::from(total) * u128::from(a) / whole).unwrap_or(total);
    (a_part, total - a_part.min(total))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::reading::tests::*;
    use super::*;
    use crate::diagnose::summary::{MinuteBucket, StatusCounts};

    /// A Summary whose minutes hold (requests, 429s, max concurrency).
    pub fn minutes(ms: &[(u64, u64, u64)]) -> Summary {
        let mut s = summary(0, &[], &["concurrency"]);
        for (i, (req, fail, conc)) in ms.iter().enumerate() {
            s.minutes.push(MinuteBucket {
                start: t(i as i64),
                requests: *req,
                failures: if *fail > 0 { counts(&[(429, *fail)]) } else { StatusCounts::new() },
                max_concurrency: Some(*conc),
                ..MinuteBucket::default()
            });
            s.total_requests += req;
            *s.by_status.entry(429).or_insert(0) += fail;
            *s.by_status.entry(200).or_insert(0) += req - fail;
        }
        s.by_status.retain(|_, n| *n > 0);
        s
    }

    #[test]
    fn a_stretch_needs_the_failure_rate_and_the_minute_share() {
        let k = knowledge();
        let mut m = vec![(10, 0, 20); 10];
        m.extend(vec![(10, 9, 20); 5]);
        let p = traffic_pattern(&minutes(&m), k);
        assert_eq!((p.quota_onset, p.quota_429, p.hard_stop()), (Some(t(10)), 45, true));
        let mut m = vec![(10, 0, 20); 10];
        m.extend(vec![(10, 8, 20); 5]);
        assert_eq!(traffic_pattern(&minutes(&m), k).quota_onset, None);
        let m = vec![(10, 0, 20), (10, 10, 20), (10, 10, 20), (10, 0, 20), (10, 10, 20), (10, 10, 20)];
        assert_eq!(traffic_pattern(&minutes(&m), k).quota_onset, Some(t(1)));
        let m = vec![(10, 0, 20), (10, 10, 20), (10, 0, 20), (10, 0, 20), (10, 10, 20), (10, 10, 20), (10, 10, 20)];
        assert_eq!(traffic_pattern(&minutes(&m), k).quota_onset, Some(t(4)));
    }

    #[test]
    fn a_stretch_above_the_cap_is_no_hard_stop() {
        let mut m = vec![(10, 0, 20); 10];
        m.extend(vec![(10, 10, 300); 5]);
        let p = traffic_pattern(&minutes(&m), knowledge());
        assert!(p.quota_onset.is_some() && !p.hard_stop());
        assert!(p.describe(100).contains("saturated the limit"));
    }

    #[test]
    fn unmatched_429s_split_without_overflow() {
        assert_eq!(split_by_share(10, 3, 1), (7, 3));
        assert_eq!(split_by_share(10, 0, 0), (0, 10));
        assert_eq!(split_by_share(u64::MAX, u64::MAX, u64::MAX), (u64::MAX / 2, u64::MAX - u64::MAX / 2));
        // 2^40 unrecognised 429s in one minute once overflowed u64.
        let big = 1u64 << 40;
        let s = minutes(&[(big, big, 20)]);
        let f = Facts::new(&s, knowledge());
        let (q, r) = undecided_split(&f);
        assert_eq!(q + r, big);
    }
}
