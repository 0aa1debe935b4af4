//! `--since`, `--from`, `--to`: RFC 3339 times or durations back from now (`15m`, `1h`, `7d`).

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};

/// A duration back from now like `30s`, `15m`, `1h`, `7d`, `2w`; a bare number is minutes
/// (documented for `--since`).
pub fn parse_duration(text: &str) -> Option<Duration> {
    crate::duration::parse(text, crate::duration::BareUnit::Minutes).and_then(|d| Duration::from_std(d).ok())
}

/// An RFC 3339 time, or a duration before `now`.
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    parse_duration(text).and_then(|d| now.checked_sub_signed(d))
}

/// (from inclusive, to exclusive); `None` is open.
pub type Span = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The window from the flags: (from inclusive, to exclusive).
pub fn resolve(since: Option<&str>, from: Option<&str>, to: Option<&str>, now: DateTime<Utc>) -> Result<Span> {
    let bad = |flag: &str, v: &str| {
        Error::Usage(format!(
            "{flag} {v}: expected an RFC 3339 time (2025-03-01T12:00:00Z) or a duration (15m, 1h, 7d)"
        ))
    };
    let from = match (since, from) {
        (Some(s), _) => Some(
            parse_duration(s)
                .and_then(|d| now.checked_sub_signed(d))
                .ok_or_else(|| Error::Usage(format!("--since {s}: expected a duration such as 15m, 1h or 7d")))?,
        ),
        (None, Some(f)) => Some(parse_time(f, now).ok_or_else(|| bad("--from", f))?),
        (None, None) => None,
    };
    let to = match to {
        Some(t) => Some(parse_time(t, now).ok_or_else(|| bad("--to", t))?),
        None => None,
    };
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err(Error::Usage(format!("the window is empty: --from {f} is not before --to {t}")));
        }
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_times() {
        let now =
            DateTime::parse_from_rfc3339("2025-03-01T12:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default();
        assert_eq!(parse_duration("15m"), Duration::try_minutes(15));
        assert_eq!(parse_duration("7d"), Duration::try_days(7));
        assert_eq!(parse_duration("1x"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("99999999999999999d"), None);
        let (f, t) = resolve(Some("1h"), None, None, now).unwrap_or_default();
        assert_eq!(f.map(|x| x.to_rfc3339()), Some("2025-03-01T11:00:00+00:00".into()));
        assert_eq!(t, None);
        assert!(resolve(None, Some("2025-03-01T13:00:00Z"), Some("1h"), now).is_err());
        assert!(resolve(Some("soon"), None, None, now).is_err());
        assert!(resolve(None, Some("2025-03-01T10:00:00+02:00"), Some("30m"), now).is_ok());
    }
}
