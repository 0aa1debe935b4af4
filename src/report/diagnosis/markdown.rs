//! A postmortem-ready Markdown report.

use super::{fmt_n, fmt_pct, fmt_statuses, fmt_time, sparkline};
use crate::diagnose::model::Diagnosis;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(d: &Diagnosis) -> String {
    let mut o = String::new();
    let title = match d.causes.first() {
        Some(c) => c.title.clone(),
        None if d.total_requests == 0 => "no records in the window".to_string(),
        None => "no root cause found".to_string(),
    };
    o.push_str(&format!("# Incident diagnosis: {title}\n\n"));
    for note in &d.notes {
        o.push_str(&format!("> **Note:** {note}\n\n"));
    }
    if let Some(partial) = &d.partial {
        o.push_str(&format!("> **Partial results:** {}.\n\n", partial.sentence()));
    }
    o.push_str(&format!(
        "- **Window:** {} → {}\n- **Requests:** {}\n- **Failures:** {} ({})\n- **By status:** {}\n- **Log schema:** {}\n\n",
        fmt_time(d.window.first),
        fmt_time(d.window.last),
        fmt_n(d.total_requests),
        fmt_n(d.failures),
        fmt_pct(d.failure_rate),
        fmt_statuses(&d.by_status),
        d.schema
    ));
    if !d.minutes.is_empty() && d.failures > 0 {
        let (line, per) = sparkline(&d.minutes, 100);
        o.push_str(&format!("## Failures over time\n\nOne column = {per} minute(s); `·` no failure, blank no traffic.\n\n```\n{line}\n```\n\n"));
    }
    o.push_str("## Root causes\n\n");
    if d.causes.is_empty() {
        o.push_str("No root cause explains the failures.\n\n");
    } else {
        o.push_str("| # | Cause | Failures | Share | Confidence | Statuses |\n|---|---|---:|---:|---|---|\n");
        for (i, c) in d.causes.iter().enumerate() {
            o.push_str(&format!(
                "| {} | `{}` {} | {} | {} | {} | {} |\n",
                i + 1,
                c.id,
                cell(&c.title),
                fmt_n(c.failures),
                fmt_pct(c.share),
                c.confidence.as_str(),
                fmt_statuses(&c.by_status)
            ));
        }
        if d.unexplained.failures > 0 {
            o.push_str(&format!(
                "| | unexplained | {} | {} | | {} |\n",
                fmt_n(d.unexplained.failures),
                fmt_pct(d.unexplained.share),
                fmt_statuses(&d.unexplained.by_status)
            ));
        }
        o.push('\n');
    }
    for (i, c) in d.causes.iter().enumerate() {
        o.push_str(&format!("### {}. {} (`{}`)\n\n", i + 1, c.title, c.id));
        o.push_str(&format!(
            "{} failures ({}), {} confidence, {} → {}.\n\n**Evidence**\n\n",
            fmt_n(c.failures),
            fmt_pct(c.share),
            c.confidence.as_str(),
            fmt_time(c.evidence.first),
            fmt_time(c.evidence.last)
        ));
        for f in &c.evidence.facts {
            o.push_str(&format!("- {f}\n"));
        }
        for f in &c.evidence.against {
            o.push_str(&format!("- *Against:* {f}\n"));
        }
        if !c.samples.is_empty() {
            let ids: Vec<String> = c.samples.iter().map(|s| format!("`{s}`")).collect();
            o.push_str(&format!("- Sample requests: {}\n", ids.join(", ")));
        }
        o.push_str("\n**Actions**\n\n");
        for a in &c.actions {
            o.push_str(&format!("- [ ] {a}\n"));
        }
        o.push('\n');
    }
    if d.unexplained.failures > 0 {
        o.push_str(&format!(
            "## Unexplained\n\n{} failures ({}) match no cause: {}.\n\n",
            fmt_n(d.unexplained.failures),
            fmt_pct(d.unexplained.share),
            fmt_statuses(&d.unexplained.by_status)
        ));
    }
    o.push_str("## How this was diagnosed\n\n");
    for (i, l) in d.layers.iter().enumerate() {
        o.push_str(&format!("{}. **{}** — {}\n", i + 1, l.layer.as_str(), l.question));
        for c in &l.checked {
            o.push_str(&format!("   - checked: {c}\n"));
        }
        for r in &l.ruled_out {
            o.push_str(&format!("   - ruled out: {r}\n"));
        }
        for m in &l.limited_by {
            o.push_str(&format!("   - limited: {m}\n"));
        }
        for c in &l.conflicts {
            o.push_str(&format!("   - conflict: {c}\n"));
        }
    }
    let s = &d.skipped_lines;
    if s.count > 0 || !d.missing_fields.is_empty() {
        o.push_str("\n## Data quality\n\n");
        if s.count > 0 {
            let reasons: Vec<String> = s.reasons.iter().map(|(r, n)| format!("{r}: {}", fmt_n(*n))).collect();
            let lines: Vec<String> = s.first_lines.iter().map(u64::to_string).collect();
            o.push_str(&format!(
                "- {} lines skipped ({}); first at lines {}\n",
                fmt_n(s.count),
                reasons.join(", "),
                lines.join(", ")
            ));
        }
        if !d.missing_fields.is_empty() {
            o.push_str(&format!("- Fields not in the logs: {}\n", d.missing_fields.join(", ")));
        }
    }
    o
}
