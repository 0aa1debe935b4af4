//! `diagnose --watch DUR`: re-run the diagnosis every DUR and show what changed since the last
//! run. The window is re-resolved against the clock on every run, so `--since 15m` slides; a
//! file source is read again from the start each time (a log that grows is picked up).
//!
//! On a terminal the screen is redrawn in place (headline, causes, the recent changes); anywhere
//! else the first run prints the report and every later run one line per change (`--format
//! json`: one JSON object per line). Ctrl-C stops after the current run and exits 130.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ContentArrangement, Table};
use serde::Serialize;

use crate::diagnose::model::Diagnosis;
use crate::error::{Error, Exit, Result};
use crate::report::diagnosis::{fmt_n, fmt_pct, DiagnoseFormat, HumanView};
use crate::report::style::Paint;

/// A cause whose failures moved by less than this fraction between two runs is steady (not
/// reported): a sliding window always moves a little.
pub const STEADY_FRACTION: f64 = 0.10;

/// Shortest interval accepted.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// Changes kept on the redrawn screen.
const RECENT_CHANGES: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Appeared,
    Grew,
    Shrank,
    Resolved,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Appeared => "appeared",
            ChangeKind::Grew => "grew",
            ChangeKind::Shrank => "shrank",
            ChangeKind::Resolved => "resolved",
        }
    }
}

/// One cause that changed between two runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub cause: String,
    pub title: String,
    /// Failures the cause explained in the earlier and the later run (0 when absent).
    pub before: u64,
    pub after: u64,
    pub share_before: f64,
    pub share_after: f64,
}

/// What changed from `prev` to `next`: causes that appeared, grew or shrank by at least
/// [`STEADY_FRACTION`] of their earlier failures, in `next`'s order, then those resolved, in
/// `prev`'s order.
pub fn changes(prev: &Diagnosis, next: &Diagnosis) -> Vec<Change> {
    let mut out = Vec::new();
    for c in &next.causes {
        let before = prev.causes.iter().find(|p| p.id == c.id);
        let (b, share_b) = before.map_or((0, 0.0), |p| (p.failures, p.share));
        let kind = if before.is_none() {
            Some(ChangeKind::Appeared)
        } else if c.failures.abs_diff(b) as f64 >= STEADY_FRACTION * b as f64 && c.failures != b {
            Some(if c.failures > b { ChangeKind::Grew } else { ChangeKind::Shrank })
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push(Change {
                kind,
                cause: c.id.clone(),
                title: c.title.clone(),
                before: b,
                after: c.failures,
                share_before: share_b,
                share_after: c.share,
            });
        }
    }
    for p in &prev.causes {
        if !next.causes.iter().any(|c| c.id == p.id) {
            out.push(Change {
                kind: ChangeKind::Resolved,
                cause: p.id.clone(),
                title: p.title.clone(),
                before: p.failures,
                after: 0,
                share_before: p.share,
                share_after: 0.0,
            });
        }
    }
    out
}

/// One change as a line of text.
pub fn change_line(at: DateTime<Utc>, c: &Change) -> String {
    let when = at.format("%Y-%m-%dT%H:%M:%SZ");
    match c.kind {
        ChangeKind::Appeared => format!(
            "{when} appeared {} — {}: {} failures ({})",
            c.cause,
            c.title,
            fmt_n(c.after),
            fmt_pct(c.share_after)
        ),
        ChangeKind::Resolved => {
            format!("{when} resolved {}: {} → 0 failures in the window", c.cause, fmt_n(c.before))
        }
        ChangeKind::Grew | ChangeKind::Shrank => format!(
            "{when} {} {}: {} → {} failures ({} → {})",
            c.kind.as_str(),
            c.cause,
            fmt_n(c.before),
            fmt_n(c.after),
            fmt_pct(c.share_before),
            fmt_pct(c.share_after)
        ),
    }
}

/// The `--watch` interval: a duration like `30s`, `1m` (at least one second).
pub fn parse_interval(text: &str) -> Result<Duration> {
    // A bare number is refused: `--watch 5` once meant five minutes, which nobody guessed.
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(Error::Usage(format!(
            "--watch {text}: give the interval a unit: --watch {trimmed}s for seconds, --watch {trimmed}m for minutes"
        )));
    }
    let parsed = crate::duration::parse(text, crate::duration::BareUnit::Seconds);
    match parsed {
        Some(d) if d >= MIN_INTERVAL => Ok(d),
        _ => Err(Error::Usage(format!("--watch {text}: expected an interval of at least 1s, e.g. 30s, 1m, 5m"))),
    }
}

/// The redrawn screen: headline, causes, and the recent changes.
pub fn screen(
    d: &Diagnosis,
    recent: &[String],
    at: DateTime<Utc>,
    every: &str,
    source: &str,
    p: Paint,
    width: u16,
) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "{} {} · every {every} · last run {} · Ctrl-C to stop\n\n",
        p.bold("faultline watch"),
        source,
        at.format("%H:%M:%S UTC")
    ));
    o.push_str(&format!(
        "{} of {} requests failed ({}) in the window\n",
        p.red(&fmt_n(d.failures)),
        fmt_n(d.total_requests),
        fmt_pct(d.failure_rate)
    ));
    if let Some(partial) = &d.partial {
        o.push_str(&format!("{} {}\n", p.red_bold("! PARTIAL RESULTS:"), partial.sentence()));
    }
    if d.causes.is_empty() {
        o.push_str(&if d.failures == 0 {
            p.green("No failures.")
        } else {
            "No root cause explains these failures.".to_string()
        });
        o.push('\n');
    } else {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
        table.set_header(vec!["#", "cause", "failures", "share", "confidence"]);
        for (i, c) in d.causes.iter().enumerate() {
            table.add_row(vec![
                Cell::new(i + 1),
                Cell::new(&c.id),
                Cell::new(fmt_n(c.failures)).set_alignment(CellAlignment::Right),
                Cell::new(fmt_pct(c.share)).set_alignment(CellAlignment::Right),
                Cell::new(c.confidence.as_str()),
            ]);
        }
        o.push_str(&table.to_string());
        o.push('\n');
    }
    o.push_str(&format!("\n{}\n", p.bold("Changes")));
    if recent.is_empty() {
        o.push_str(&format!("   {}\n", p.dim("none yet")));
    }
    for line in recent {
        o.push_str(&format!("   {line}\n"));
    }
    o
}

/// What the watch loop needs from `diagnose`.
pub struct Watch<'a> {
    pub every: &'a str,
    /// How the source is named on screen (a path, or the cluster URL).
    pub source: String,
    pub format: DiagnoseFormat,
    /// Redraw in place (stdout is a terminal that understands cursor movement).
    pub redraw: bool,
    pub color: bool,
    pub width: u16,
    /// The human report in full, with the layer trace (`--trace`, `-v`).
    pub trace: bool,
    /// The logs come from stdin, which cannot be read twice.
    pub from_stdin: bool,
}

/// Runs `diagnose_once` every interval until Ctrl-C. The first run's error is returned (exit
/// 3 or 2); later ones are reported on `err` and the watch goes on. What a run writes to its
/// error stream is shown once per distinct line, after the run's output.
pub fn run(
    w: &Watch<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    mut diagnose_once: impl FnMut(&mut dyn Write) -> Result<Diagnosis>,
) -> Result<Exit> {
    let interval = parse_interval(w.every)?;
    if w.from_stdin {
        return Err(Error::Usage(format!(
            "--watch {}: stdin can be read only once; watch a file or a cluster (--es URL)",
            w.every
        )));
    }
    let (tx, rx) = mpsc::channel::<()>();
    // Kept alive so that a failed handler installation does not read as "stop".
    let keep = tx.clone();
    if ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .is_err()
    {
        writeln!(err, "warning: cannot catch Ctrl-C; it will end the watch abruptly")?;
    }
    let p = Paint(w.color);
    let mut prev: Option<Diagnosis> = None;
    let mut recent: Vec<String> = Vec::new();
    // Warnings and notes each run prints (the server, skipped lines): shown once, not every run.
    let mut said: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let at = Utc::now();
        let mut notes: Vec<u8> = Vec::new();
        let outcome = diagnose_once(&mut notes);
        match outcome {
            Ok(d) => {
                let found = prev.as_ref().map(|p| changes(p, &d)).unwrap_or_default();
                if w.redraw {
                    for c in &found {
                        recent.insert(0, change_line(at, c));
                    }
                    recent.truncate(RECENT_CHANGES);
                    // Home, clear the screen, draw.
                    out.write_all(b"\x1b[H\x1b[2J")?;
                    out.write_all(screen(&d, &recent, at, w.every, &w.source, p, w.width).as_bytes())?;
                } else if prev.is_none() {
                    let text = match w.format {
                        // NDJSON: the report's own JSON renderer, one line.
                        DiagnoseFormat::Json => crate::report::diagnosis::json_compact(&d),
                        format => {
                            let view = HumanView { color: w.color, width: w.width, trace: w.trace };
                            crate::report::diagnosis::render(&d, format, &view)
                        }
                    };
                    out.write_all(text.as_bytes())?;
                } else {
                    for c in &found {
                        // A change seen on partial results may be the missing shards, not the traffic.
                        let line = match w.format {
                            DiagnoseFormat::Json => {
                                let mut v = serde_json::to_value(c).unwrap_or_default();
                                if let Some(o) = v.as_object_mut() {
                                    o.insert("at".into(), at.to_rfc3339().into());
                                    if let Some(partial) = &d.partial {
                                        o.insert("partial".into(), serde_json::to_value(partial).unwrap_or_default());
                                    }
                                }
                                v.to_string()
                            }
                            _ if d.partial.is_some() => format!("{} (partial results)", change_line(at, c)),
                            _ => change_line(at, c),
                        };
                        writeln!(out, "{line}")?;
                    }
                }
                out.flush()?;
                prev = Some(d);
                for line in String::from_utf8_lossy(&notes).lines() {
                    if said.insert(line.to_string()) {
                        writeln!(err, "{line}")?;
                    }
                }
            }
            Err(e) if prev.is_none() => {
                err.write_all(&notes)?;
                return Err(e);
            }
            Err(e) => writeln!(err, "warning: {}: {e} (trying again in {})", at.format("%H:%M:%S"), w.every)?,
        }
        match rx.recv_timeout(interval) {
            Ok(()) => {
                drop(keep);
                return Ok(Exit::Interrupted);
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
    drop(keep);
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::model::{CauseReport, Confidence, Evidence};
    use crate::knowledge::Layer;

    fn cause(id: &str, failures: u64, share: f64) -> CauseReport {
        CauseReport {
            id: id.into(),
            title: format!("title of {id}"),
            layer: Layer::Traffic,
            failures,
            share,
            by_status: Default::default(),
            confidence: Confidence::High,
            evidence: Evidence::default(),
            actions: Vec::new(),
            samples: Vec::new(),
        }
    }

    fn diagnosis(causes: Vec<CauseReport>) -> Diagnosis {
        Diagnosis {
            version: 1,
            notes: Vec::new(),
            total_requests: 1000,
            failures: causes.iter().map(|c| c.failures).sum(),
            failure_rate: 0.0,
            window: Default::default(),
            skipped_lines: Default::default(),
            schema: "faultline".into(),
            missing_fields: Vec::new(),
            by_status: Default::default(),
            layers: Vec::new(),
            causes,
            unexplained: Default::default(),
            minutes: Vec::new(),
            partial: None,
        }
    }

    #[test]
    fn appeared_grew_shrank_resolved_and_steady() {
        let prev = diagnosis(vec![
            cause("traffic.rate_limit", 100, 0.5),
            cause("upstream.provider_overload", 80, 0.4),
            cause("auth.key_revoked", 20, 0.1),
            cause("client.messages", 50, 0.1),
        ]);
        let next = diagnosis(vec![
            cause("traffic.rate_limit", 150, 0.6),
            cause("upstream.timeout_non_streaming", 30, 0.1),
            cause("upstream.provider_overload", 60, 0.2),
            // 50 -> 54 is 8 %: steady.
            cause("client.messages", 54, 0.1),
        ]);
        let got: Vec<(ChangeKind, String, u64, u64)> =
            changes(&prev, &next).into_iter().map(|c| (c.kind, c.cause, c.before, c.after)).collect();
        let want = [
            (ChangeKind::Grew, "traffic.rate_limit", 100, 150),
            (ChangeKind::Appeared, "upstream.timeout_non_streaming", 0, 30),
            (ChangeKind::Shrank, "upstream.provider_overload", 80, 60),
            (ChangeKind::Resolved, "auth.key_revoked", 20, 0),
        ];
        let want: Vec<(ChangeKind, String, u64, u64)> =
            want.iter().map(|(k, id, b, a)| (*k, id.to_string(), *b, *a)).collect();
        assert_eq!(got, want);
        assert!(changes(&next, &next).is_empty());
        assert!(changes(&diagnosis(vec![]), &diagnosis(vec![])).is_empty());
    }

    #[test]
    fn the_watch_screen_marks_partial_results() {
        let mut d = diagnosis(vec![cause("traffic.rate_limit", 10, 1.0)]);
        let at = Utc::now();
        let plain = screen(&d, &[], at, "30s", "the cluster", Paint(false), 100);
        assert!(!plain.contains("PARTIAL"), "{plain}");
        d.partial = Some(crate::diagnose::model::Partial { timed_out: true, ..Default::default() });
        let marked = screen(&d, &[], at, "30s", "the cluster", Paint(false), 100);
        assert!(marked.contains("! PARTIAL RESULTS: the cluster timed out"), "{marked}");
    }

    #[test]
    fn change_lines_say_what_moved() {
        let at =
            DateTime::parse_from_rfc3339("2026-11-22T01:40:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default();
        let prev = diagnosis(vec![cause("traffic.rate_limit", 1200, 0.5)]);
        let next = diagnosis(vec![cause("traffic.rate_limit", 1800, 0.75)]);
        let c = changes(&prev, &next);
        assert_eq!(
            c.first().map(|c| change_line(at, c)).unwrap_or_default(),
            "2026-11-22T01:40:00Z grew traffic.rate_limit: 1,200 → 1,800 failures (50.0 % → 75.0 %)"
        );
        let gone = changes(&next, &diagnosis(vec![]));
        assert_eq!(
            gone.first().map(|c| change_line(at, c)).unwrap_or_default(),
            "2026-11-22T01:40:00Z resolved traffic.rate_limit: 1,800 → 0 failures in the window"
        );
    }

    #[test]
    fn interval_is_a_duration_of_at_least_a_second() {
        assert_eq!(parse_interval("30s").ok(), Some(Duration::from_secs(30)));
        assert_eq!(parse_interval("2m").ok(), Some(Duration::from_secs(120)));
        assert!(matches!(parse_interval("0s"), Err(Error::Usage(_))));
        assert!(matches!(parse_interval("soon"), Err(Error::Usage(_))));
    }

    #[test]
    fn a_bare_watch_interval_is_refused_naming_the_unit() {
        match parse_interval("5") {
            Err(Error::Usage(m)) => assert!(m.contains("--watch 5s") && m.contains("--watch 5m"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_interval("5m").ok(), Some(Duration::from_secs(300)));
        assert_eq!(parse_interval("30s").ok(), Some(Duration::from_secs(30)));
    }
}
