//! The one-screen view for the engineer on call.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ContentArrangement, Table};

use super::{fmt_n, fmt_pct, fmt_statuses, fmt_time, sparkline};
use crate::diagnose::model::{Confidence, Diagnosis};
use crate::report::style::Paint;

/// The human report; `color` from `RunContext::use_color`, `width` in columns.
pub fn human(d: &Diagnosis, color: bool, width: u16) -> String {
    let p = Paint(color);
    let mut o = String::new();
    // The reader's notes come before any figure (nothing in the window, a damaged input).
    for note in &d.notes {
        o.push_str(&format!("{} {note}\n", p.yellow("!")));
    }
    let window = format!("{} → {}", fmt_time(d.window.first), fmt_time(d.window.last));
    o.push_str(&format!(
        "{} {} of {} requests failed ({})  {}\n",
        p.bold("faultline diagnose:"),
        p.red_bold(&fmt_n(d.failures)),
        fmt_n(d.total_requests),
        fmt_pct(d.failure_rate),
        p.dim(&window)
    ));
    // Before anything is read off the counts: they are lower bounds.
    if let Some(partial) = &d.partial {
        o.push_str(&format!("{} {}\n", p.red_bold("! PARTIAL RESULTS:"), partial.sentence()));
    }
    match d.causes.first() {
        Some(top) => o.push_str(&format!(
            "{} {} — {}: {} failures ({}), {} confidence\n",
            p.bold("Top cause:"),
            p.yellow(&top.id),
            top.title,
            fmt_n(top.failures),
            fmt_pct(top.share),
            top.confidence.as_str()
        )),
        None if d.failures == 0 && d.total_requests == 0 => {}
        None if d.failures == 0 => o.push_str(&format!("{}\n", p.green("No failures: nothing to diagnose."))),
        None => o.push_str("No root cause explains these failures (see the layers below).\n"),
    }
    if d.total_requests == 0 && d.skipped_lines.outside_window == 0 {
        o.push_str("No records were read in the window.\n");
    }

    if !d.minutes.is_empty() && d.failures > 0 {
        let cols = usize::from(width).saturating_sub(14).clamp(20, 120);
        let (line, per) = sparkline(&d.minutes, cols);
        let unit = if per == 1 { "minute".to_string() } else { format!("{per} minutes") };
        o.push_str(&format!("\nFailures per {unit} (· no failure, blank no traffic):\n  {}\n", p.red_bold(&line)));
        let first = d.minutes.first().map(|m| m.start.format("%H:%M").to_string()).unwrap_or_default();
        let last = d.minutes.last().map(|m| m.start.format("%H:%M").to_string()).unwrap_or_default();
        let pad = line.chars().count().saturating_sub(first.len() + last.len());
        o.push_str(&format!("  {}{}{}\n", p.dim(&first), " ".repeat(pad), p.dim(&last)));
    }

    if !d.causes.is_empty() || d.unexplained.failures > 0 {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
        table.set_header(vec!["#", "cause", "failures", "share", "confidence", "statuses"]);
        for (i, c) in d.causes.iter().enumerate() {
            table.add_row(vec![
                Cell::new(i + 1),
                Cell::new(format!("{}\n{}", c.id, c.title)),
                Cell::new(fmt_n(c.failures)).set_alignment(CellAlignment::Right),
                Cell::new(fmt_pct(c.share)).set_alignment(CellAlignment::Right),
                Cell::new(c.confidence.as_str()),
                Cell::new(fmt_statuses(&c.by_status)),
            ]);
        }
        if d.unexplained.failures > 0 {
            table.add_row(vec![
                Cell::new(""),
                Cell::new("unexplained"),
                Cell::new(fmt_n(d.unexplained.failures)).set_alignment(CellAlignment::Right),
                Cell::new(fmt_pct(d.unexplained.share)).set_alignment(CellAlignment::Right),
                Cell::new(""),
                Cell::new(fmt_statuses(&d.unexplained.by_status)),
            ]);
        }
        o.push('\n');
        o.push_str(&table.to_string());
        o.push('\n');
    }

    for (i, c) in d.causes.iter().enumerate() {
        let conf = match c.confidence {
            Confidence::High => p.green("high confidence"),
            Confidence::Medium => p.yellow("medium confidence"),
            Confidence::Low => p.red_bold("low confidence"),
        };
        o.push_str(&format!("\n{} {} — {} [{conf}]\n", p.bold(&format!("{}.", i + 1)), p.bold(&c.id), c.title));
        o.push_str(&format!(
            "   {} failures ({}), {} → {}\n",
            fmt_n(c.failures),
            fmt_pct(c.share),
            fmt_time(c.evidence.first),
            fmt_time(c.evidence.last)
        ));
        for f in &c.evidence.facts {
            o.push_str(&format!("   • {f}\n"));
        }
        for f in &c.evidence.against {
            o.push_str(&format!("   {} {f}\n", p.dim("✗ against:")));
        }
        if !c.samples.is_empty() {
            o.push_str(&format!("   {} {}\n", p.dim("samples:"), c.samples.join(", ")));
        }
        o.push_str(&format!("   {}\n", p.bold("Fix:")));
        for a in &c.actions {
            o.push_str(&format!("   → {a}\n"));
        }
    }

    o.push_str(&format!("\n{}\n", p.bold("Layers")));
    for (i, l) in d.layers.iter().enumerate() {
        o.push_str(&format!("{} {} — {}\n", p.bold(&format!("{}", i + 1)), p.bold(l.layer.as_str()), l.question));
        for c in &l.checked {
            o.push_str(&format!("   ✓ {c}\n"));
        }
        for r in &l.ruled_out {
            o.push_str(&format!("   {} {r}\n", p.dim("✗ ruled out:")));
        }
        for m in &l.limited_by {
            o.push_str(&format!("   {} {m}\n", p.yellow("! limited:")));
        }
        for c in &l.conflicts {
            o.push_str(&format!("   {} {c}\n", p.yellow("⚖ conflict:")));
        }
    }
    let s = &d.skipped_lines;
    if s.count > 0 {
        let reasons: Vec<String> = s.reasons.iter().map(|(r, n)| format!("{r}: {}", fmt_n(*n))).collect();
        let lines: Vec<String> = s.first_lines.iter().map(u64::to_string).collect();
        o.push_str(&format!(
            "\n{} {} lines skipped ({}); first at line {}\n",
            p.yellow("!"),
            fmt_n(s.count),
            reasons.join(", "),
            lines.join(", ")
        ));
    }
    if s.outside_window > 0 {
        o.push_str(&format!("{} records outside the window were left out\n", fmt_n(s.outside_window)));
    }
    if !d.missing_fields.is_empty() && d.total_requests > 0 {
        o.push_str(&format!(
            "{} {} (schema {})\n",
            p.dim("fields not in the logs:"),
            d.missing_fields.join(", "),
            d.schema
        ));
    }
    o
}
