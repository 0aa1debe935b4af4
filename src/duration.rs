//! Durations as people type them on the command line and in faultline.toml: `500ms`, `30s`,
//! `15m`, `1h`, `7d`, `2w`, fractions allowed (`1.5h`, `0.3s`). What a bare number means differs
//! by flag (documented behaviour: `--since 30` is 30 minutes, `--es-timeout 30` is 30 seconds),
//! so every caller names the unit of a bare number explicitly.

use std::time::Duration;

/// The unit of a number written without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BareUnit {
    Seconds,
    Minutes,
}

/// `None` for anything that is not a non-negative number followed by a known unit, and for
/// durations too long to represent (never a panic).
pub fn parse(text: &str, bare: BareUnit) -> Option<Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    if !number.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let seconds_per_unit = match unit.trim() {
        "" => match bare {
            BareUnit::Seconds => 1.0,
            BareUnit::Minutes => 60.0,
        },
        "ms" => 0.001,
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3_600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(value * seconds_per_unit).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bare_numbers() {
        assert_eq!(parse("500ms", BareUnit::Seconds), Some(Duration::from_millis(500)));
        assert_eq!(parse("30s", BareUnit::Minutes), Some(Duration::from_secs(30)));
        assert_eq!(parse("2m", BareUnit::Seconds), Some(Duration::from_secs(120)));
        assert_eq!(parse("15min", BareUnit::Seconds), Some(Duration::from_secs(900)));
        assert_eq!(parse("1.5h", BareUnit::Seconds), Some(Duration::from_secs(5_400)));
        assert_eq!(parse("2w", BareUnit::Seconds), Some(Duration::from_secs(1_209_600)));
        assert_eq!(parse("12", BareUnit::Seconds), Some(Duration::from_secs(12)));
        assert_eq!(parse("12", BareUnit::Minutes), Some(Duration::from_secs(720)));
    }

    #[test]
    fn rubbish_and_huge_values_are_none_not_a_panic() {
        for text in ["", "soon", "5 parsecs", "1x", ".", "ms", "-5s", "1e400s", "1.2.3s"] {
            assert_eq!(parse(text, BareUnit::Seconds), None, "{text}");
        }
        let huge = format!("{}s", "9".repeat(400));
        assert_eq!(parse(&huge, BareUnit::Seconds), None);
        assert_eq!(parse("99999999999999999999999d", BareUnit::Minutes), None);
        assert_eq!(parse("18446744073709551616", BareUnit::Seconds), None);
    }
}
