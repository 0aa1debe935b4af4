//! The one-screen view for the engineer on call.
//!
//! By default the report is what fits one screen of 100×40: the summary, the failure chart,
//! the causes table and, for each cause, its headline, its evidence and its fix (as many
//! evidence lines, fixes and samples as the screen holds, each cut said). The layer trace, and
//! everything the screen left out, come with `trace` (`diagnose --trace` or `-v`). Every line is
//! wrapped to `width` columns.

use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::{fmt_n, fmt_pct, fmt_statuses, fmt_time, sparkline};
use crate::diagnose::model::{CauseReport, Confidence, Diagnosis};
use crate::report::style::Paint;
use crate::report::wrap::{block, hanging, hanging_with, width_of};

/// The lines the default report aims to fit in: one screen of a 40-line terminal.
pub const SCREEN_LINES: usize = 40;

/// How the human report is drawn; chosen by the command.
#[derive(Debug, Clone, Copy)]
pub struct HumanView {
    /// Colour (from `RunContext::use_color`).
    pub color: bool,
    /// Columns to wrap to.
    pub width: u16,
    /// The full report: every evidence line, fix and sample, and the layer trace.
    pub trace: bool,
}

/// How much of each cause the report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Detail {
    evidence: usize,
    fixes: usize,
    samples: bool,
}

const ALL: Detail = Detail { evidence: usize::MAX, fixes: usize::MAX, samples: true };

/// From the most to the least detail; the default report takes the first that fits the screen.
/// Never fewer than one evidence line and one fix: a report that overflows the screen beats
/// a cause without its fix.
const LEVELS: [Detail; 7] = [
    ALL,
    Detail { evidence: 3, fixes: 3, samples: true },
    Detail { evidence: 3, fixes: 3, samples: false },
    Detail { evidence: 3, fixes: 2, samples: false },
    Detail { evidence: 2, fixes: 2, samples: false },
    Detail { evidence: 2, fixes: 1, samples: false },
    Detail { evidence: 1, fixes: 1, samples: false },
];

/// The human report.
pub fn human(d: &Diagnosis, view: &HumanView) -> String {
    let width = usize::from(view.width);
    let p = Paint(view.color);
    let head = summary(d, p, width);
    let tail = footer(d, p, width);
    if view.trace {
        let mut o = head;
        for (i, c) in d.causes.iter().enumerate() {
            o.push_str(&cause(i, c, p, width, ALL, d));
        }
        o.push_str(&layers(d, p, width));
        o.push_str(&tail);
        return o;
    }
    let hint = hanging(
        "",
        &p.dim("The layer trace (what was checked, ruled out, could not be checked): -v or --trace."),
        width,
    );
    let fixed = lines(&head) + lines(&tail) + lines(&hint);
    let mut body = String::new();
    for level in LEVELS {
        body = d.causes.iter().enumerate().map(|(i, c)| cause(i, c, p, width, level, d)).collect();
        if fixed + lines(&body) <= SCREEN_LINES {
            break;
        }
    }
    format!("{head}{body}{tail}{hint}")
}

fn lines(s: &str) -> usize {
    s.lines().count()
}

/// `first → last`, the date once when both fall on the same day.
pub(super) fn fmt_range(
    first: Option<chrono::DateTime<chrono::Utc>>,
    last: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a.date_naive() == b.date_naive() => {
            format!("{} → {} UTC", a.format("%Y-%m-%d %H:%M"), b.format("%H:%M"))
        }
        _ => format!("{} → {}", fmt_time(first), fmt_time(last)),
    }
}

/// When a cause's failures came, the same way for every cause: the minutes (UTC) when the
/// whole window lies within one day (its date is in the headline), else the dates too.
fn cause_range(d: &Diagnosis, c: &CauseReport) -> String {
    let (first, last) = (c.evidence.first, c.evidence.last);
    let one_day = d.window.first.zip(d.window.last).is_some_and(|(a, b)| a.date_naive() == b.date_naive());
    match (first, last) {
        (Some(a), Some(b)) if one_day => format!("{} → {} UTC", a.format("%H:%M"), b.format("%H:%M")),
        _ => fmt_range(first, last),
    }
}

/// The notes, the headline, the chart and the causes table.
fn summary(d: &Diagnosis, p: Paint, width: usize) -> String {
    let mut o = String::new();
    // The reader's notes come before any figure (nothing in the window, a damaged input).
    for note in &d.notes {
        o.push_str(&hanging(&format!("{} ", p.yellow("!")), note, width));
    }
    let window = fmt_range(d.window.first, d.window.last);
    o.push_str(&hanging_with(
        "",
        2,
        &format!(
            "{} {} of {} requests failed ({})  {}",
            p.bold("faultline diagnose:"),
            p.red_bold(&fmt_n(d.failures)),
            fmt_n(d.total_requests),
            fmt_pct(d.failure_rate),
            p.dim(&window)
        ),
        width,
    ));
    // Before anything is read off the counts: they are lower bounds.
    if let Some(partial) = &d.partial {
        o.push_str(&hanging(&format!("{} ", p.red_bold("! PARTIAL RESULTS:")), &partial.sentence(), width));
    }
    match d.causes.first() {
        Some(top) => o.push_str(&hanging_with(
            "",
            2,
            &format!(
                "{} {} — {}: {} failures ({}), {} confidence",
                p.bold("Top cause:"),
                p.yellow(&top.id),
                top.title,
                fmt_n(top.failures),
                fmt_pct(top.share),
                top.confidence.as_str()
            ),
            width,
        )),
        None if d.failures == 0 && d.total_requests == 0 => {}
        None if d.failures == 0 => o.push_str(&format!("{}\n", p.green("No failures: nothing to diagnose."))),
        None => o.push_str(&block(
            "No root cause explains these failures (the layer trace, -v or --trace, shows what was checked).\n",
            width,
        )),
    }
    if d.total_requests == 0 && d.skipped_lines.outside_window == 0 {
        o.push_str("No records were read in the window.\n");
    }

    if !d.minutes.is_empty() && d.failures > 0 {
        let first = d.minutes.first().map(|m| m.start.format("%H:%M").to_string()).unwrap_or_default();
        let last = d.minutes.last().map(|m| m.start.format("%H:%M").to_string()).unwrap_or_default();
        let cols = width.saturating_sub(4 + first.len() + last.len()).clamp(10, 120);
        let (line, per) = sparkline(&d.minutes, cols);
        let unit = if per == 1 { "minute".to_string() } else { format!("{per} minutes") };
        o.push_str(&block(&format!("\nFailures per {unit} (· no failure, blank no traffic):\n"), width));
        o.push_str(&format!("  {} {} {}\n", p.dim(&first), p.red_bold(&line), p.dim(&last)));
    }

    if !d.causes.is_empty() || d.unexplained.failures > 0 {
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(width).unwrap_or(u16::MAX));
        table.set_header(vec!["#", "cause", "failures", "share", "confidence", "statuses"]);
        // A cause id is never cut: its column is at least as wide as the longest.
        let id_width = d.causes.iter().map(|c| width_of(&c.id)).chain([width_of("unexplained")]).max().unwrap_or(0);
        if let Some(column) = table.column_mut(1) {
            // The constraint counts the cell's padding, one column each side.
            let id_width = u16::try_from(id_width + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(id_width)));
        }
        for (i, c) in d.causes.iter().enumerate() {
            table.add_row(vec![
                Cell::new(i + 1),
                Cell::new(&c.id),
                Cell::new(fmt_n(c.failures)).set_alignment(CellAlignment::Right),
                Cell::new(fmt_pct(c.share)).set_alignment(CellAlignment::Right),
                Cell::new(c.confidence.as_str()),
                Cell::new(statuses_cell(&c.by_status)),
            ]);
        }
        if d.unexplained.failures > 0 {
            table.add_row(vec![
                Cell::new(""),
                Cell::new("unexplained"),
                Cell::new(fmt_n(d.unexplained.failures)).set_alignment(CellAlignment::Right),
                Cell::new(fmt_pct(d.unexplained.share)).set_alignment(CellAlignment::Right),
                Cell::new(""),
                Cell::new(statuses_cell(&d.unexplained.by_status)),
            ]);
        }
        o.push('\n');
        o.push_str(&table.to_string());
        o.push('\n');
    }
    o
}

/// The statuses of a table row, `N × STATUS` never broken inside (no-break spaces): the table
/// wraps between them.
fn statuses_cell(counts: &std::collections::BTreeMap<u16, u64>) -> String {
    fmt_statuses(counts).replace(" × ", "\u{a0}×\u{a0}")
}

/// One cause: headline and range, evidence, samples and fixes, as much as `detail` allows.
fn cause(i: usize, c: &CauseReport, p: Paint, width: usize, detail: Detail, d: &Diagnosis) -> String {
    let mut o = String::new();
    let conf = match c.confidence {
        Confidence::High => p.green("high confidence"),
        Confidence::Medium => p.yellow("medium confidence"),
        Confidence::Low => p.red_bold("low confidence"),
    };
    let number = format!("{}.", i + 1);
    o.push('\n');
    o.push_str(&hanging_with(
        &format!("{} ", p.bold(&number)),
        number.len() + 1,
        &format!("{} — {} [{conf}] {}", p.bold(&c.id), c.title, cause_range(d, c)),
        width,
    ));
    let evidence: Vec<String> = c
        .evidence
        .facts
        .iter()
        .map(|f| hanging("   • ", f, width))
        .chain(c.evidence.against.iter().map(|f| hanging(&format!("   {} ", p.dim("✗ against:")), f, width)))
        .collect();
    let shown = evidence.len().min(detail.evidence);
    evidence.iter().take(shown).for_each(|e| o.push_str(e));
    if detail.samples && !c.samples.is_empty() {
        o.push_str(&hanging(&format!("   {} ", p.dim("samples:")), &c.samples.join(", "), width));
    }
    let fixes = c.actions.len().min(detail.fixes);
    for (n, a) in c.actions.iter().take(fixes).enumerate() {
        let prefix = if n == 0 { format!("   {} → ", p.bold("Fix:")) } else { "        → ".to_string() };
        o.push_str(&hanging_with(&prefix, 10, a, width));
    }
    let mut left = Vec::new();
    let more = evidence.len() - shown;
    if more > 0 {
        left.push(format!("{more} more evidence line{}", if more == 1 { "" } else { "s" }));
    }
    let more = c.actions.len() - fixes;
    if more > 0 {
        left.push(format!("{more} more fix{}", if more == 1 { "" } else { "es" }));
    }
    if !detail.samples && !c.samples.is_empty() {
        left.push(format!("{} sample id{}", c.samples.len(), if c.samples.len() == 1 { "" } else { "s" }));
    }
    if !left.is_empty() {
        o.push_str(&hanging(
            &format!("   {} ", p.dim("…")),
            &p.dim(&format!("{} (see --trace)", left.join(", "))),
            width,
        ));
    }
    o
}

/// The per-layer trace: what each layer checked, ruled out, could not check, weighed.
fn layers(d: &Diagnosis, p: Paint, width: usize) -> String {
    let mut o = format!("\n{}\n", p.bold("Layers"));
    for (i, l) in d.layers.iter().enumerate() {
        let number = format!("{} ", i + 1);
        o.push_str(&hanging_with(
            &p.bold(&number),
            width_of(&number),
            &format!("{} — {}", p.bold(l.layer.as_str()), l.question),
            width,
        ));
        for c in &l.checked {
            o.push_str(&hanging("   ✓ ", c, width));
        }
        for r in &l.ruled_out {
            o.push_str(&hanging_with(&format!("   {} ", p.dim("✗ ruled out:")), 5, r, width));
        }
        for m in &l.limited_by {
            o.push_str(&hanging_with(&format!("   {} ", p.yellow("! limited:")), 5, m, width));
        }
        for c in &l.conflicts {
            o.push_str(&hanging_with(&format!("   {} ", p.yellow("⚖ conflict:")), 5, c, width));
        }
    }
    if !d.missing_fields.is_empty() && d.total_requests > 0 {
        o.push_str(&hanging(
            &format!("{} ", p.dim("fields not in the logs:")),
            &format!("{} (schema {})", d.missing_fields.join(", "), d.schema),
            width,
        ));
    }
    o
}

/// What the counts rest on: skipped lines and records left out of the window.
fn footer(d: &Diagnosis, p: Paint, width: usize) -> String {
    let mut o = String::new();
    let s = &d.skipped_lines;
    if s.count > 0 {
        let reasons: Vec<String> = s.reasons.iter().map(|(r, n)| format!("{r}: {}", fmt_n(*n))).collect();
        let lines: Vec<String> = s.first_lines.iter().map(u64::to_string).collect();
        o.push('\n');
        o.push_str(&hanging(
            &format!("{} ", p.yellow("!")),
            &format!("{} lines skipped ({}); first at line {}", fmt_n(s.count), reasons.join(", "), lines.join(", ")),
            width,
        ));
    }
    if s.outside_window > 0 {
        o.push_str(&block(&format!("{} records outside the window were left out\n", fmt_n(s.outside_window)), width));
    }
    o
}
