//! The one-screen view: the verdict, the credentials as the process would load them, the paths
//! side by side step by step, the limits the headers report, the evidence and the fix.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};
use owo_colors::OwoColorize;

use crate::probe::report::{Outcome, PathReport, Step};
use crate::probe::verdict::{fmt_ms, limits_line};
use crate::probe::{Report, Verdict};

struct Paint(bool);

impl Paint {
    fn bold(&self, s: &str) -> String {
        if self.0 {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    }
    fn red(&self, s: &str) -> String {
        if self.0 {
            s.red().bold().to_string()
        } else {
            s.to_string()
        }
    }
    fn green(&self, s: &str) -> String {
        if self.0 {
            s.green().bold().to_string()
        } else {
            s.to_string()
        }
    }
    fn yellow(&self, s: &str) -> String {
        if self.0 {
            s.yellow().to_string()
        } else {
            s.to_string()
        }
    }
    fn dim(&self, s: &str) -> String {
        if self.0 {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }
}

/// The step names in the order the table shows them.
const STEPS: [&str; 6] = ["dns", "connect", "tls", "models", "count_tokens", "messages"];

/// The human report; `color` from `RunContext::use_color`, `width` in columns; `quiet` keeps
/// the verdict and the cause only.
pub fn human(r: &Report, color: bool, width: u16, quiet: bool) -> String {
    let p = Paint(color);
    let mut o = String::new();
    let word = if r.verdict == Verdict::Ok { p.green(r.verdict.as_str()) } else { p.red(r.verdict.as_str()) };
    let summary = r.summary.strip_prefix("ok: ").unwrap_or(&r.summary);
    o.push_str(&format!("{} {word} — ", p.bold("faultline probe:")));
    let lead = "faultline probe:  — ".chars().count() + r.verdict.as_str().len();
    o.push_str(&wrap(summary, usize::from(width), lead, 2));
    if let Some(cause) = &r.cause {
        let title = r.cause_title.as_deref().map(|t| format!(" — {t}")).unwrap_or_default();
        o.push_str(&format!("{} {}{title}\n", p.bold("Cause:"), p.yellow(cause)));
    }
    if quiet {
        return o;
    }

    // Credentials.
    let c = &r.credentials;
    o.push_str(&format!("\n{}\n", p.bold("Credentials")));
    let name_width = c.variables.iter().map(|v| v.name.len()).chain([18]).max().unwrap_or(18);
    for v in &c.variables {
        let state = match (&v.shown, v.empty) {
            (Some(shown), _) => {
                let sent = match (v.used, r.sent) {
                    (true, true) => format!("  → sent as {}", v.header),
                    (true, false) if r.paths.is_empty() => format!("  → would be sent as {} (not sent)", v.header),
                    (true, false) => format!("  → for {} (no request got that far)", v.header),
                    _ => String::new(),
                };
                format!("{shown}{sent}")
            }
            (None, true) => p.dim("set but empty"),
            (None, false) => p.dim("not set"),
        };
        o.push_str("  ");
        o.push_str(&wrap(&format!("{:<name_width$}  {state}", v.name), usize::from(width), 2, name_width + 4));
    }
    if let Some(b) = &c.base_url {
        let what = match (b.points_at, b.probed) {
            ("gateway", true) => "a gateway: probed as the gateway path",
            ("gateway", false) => "a gateway (not probed: --gateway given)",
            _ => "the provider",
        };
        o.push_str("  ");
        let line = format!("{:<name_width$}  {} ({what})", "ANTHROPIC_BASE_URL", b.value);
        o.push_str(&wrap(&line, usize::from(width), 2, name_width + 4));
    }
    for problem in &c.problems {
        o.push_str(&format!("  {} {} ", p.red("✗"), p.bold(&problem.code)));
        o.push_str(&wrap(&problem.message, usize::from(width), 5 + problem.code.len(), 4));
    }
    for f in &c.env_files {
        let value = f.shown.as_deref().unwrap_or("a value the shell computes");
        let env = match (&f.environment, f.differs) {
            (Some(e), Some(true)) => format!(" — differs from the environment's {e}"),
            (Some(_), Some(false)) => " — the same as the environment's".to_string(),
            (None, _) => " — not set in the environment".to_string(),
            _ => String::new(),
        };
        let mark = if f.differs == Some(true) { p.yellow("!") } else { p.dim("·") };
        o.push_str(&format!("  {mark} "));
        let line = format!("{}:{} sets {} to {value}{env}", f.path, f.line, f.variable);
        o.push_str(&wrap(&line, usize::from(width), 4, 4));
    }
    for n in &c.notes {
        o.push_str(&format!("  {} ", p.dim("note:")));
        o.push_str(&wrap(n, usize::from(width), 8, 4));
    }

    // Model.
    let m = &r.model;
    let name = m.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
    let status = match m.status {
        Some(s) => format!(
            "{} on {}",
            serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            r.date
        ),
        None => "not in the knowledge base".into(),
    };
    o.push_str(&format!("\n{} ", p.bold("Model")));
    o.push_str(&wrap(&format!("{}{name}: {status}", m.id), usize::from(width), 6, 2));
    for f in &m.findings {
        o.push_str(&format!("  {} ", p.yellow("!")));
        o.push_str(&wrap(f, usize::from(width), 4, 4));
    }

    // Paths side by side.
    if !r.paths.is_empty() {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
        let mut header = vec![Cell::new("step")];
        header.extend(r.paths.iter().map(|path| Cell::new(format!("{} {}", path.name.as_str(), path.url))));
        table.set_header(header);
        let https = r.paths.iter().any(|path| path.url.starts_with("https://"));
        for name in STEPS {
            if name == "tls" && !https {
                continue;
            }
            if name == "messages" && !r.paths.iter().any(|path| path.step("messages").is_some()) {
                continue;
            }
            let mut row = vec![Cell::new(name)];
            for path in &r.paths {
                row.push(Cell::new(cell(path, name, &p)));
            }
            table.add_row(row);
        }
        o.push('\n');
        o.push_str(&table.to_string());
        o.push('\n');
    }

    // Limits the headers reported, per path (the last step that carried them).
    let width = usize::from(width);
    for path in &r.paths {
        if let Some(step) = path.steps.iter().rev().find(|s| !s.ratelimit.is_empty()) {
            if let Some(line) = limits_line(step) {
                let head = format!("Rate limits ({}, {}): ", path.name.as_str(), step.name);
                o.push_str(&p.bold(&head));
                o.push_str(&wrap(&line, width, head.chars().count(), 4));
            }
        }
    }

    if !r.evidence.is_empty() {
        o.push_str(&format!("\n{}\n", p.bold("Evidence")));
        for e in &r.evidence {
            o.push_str("  • ");
            o.push_str(&wrap(e, width, 4, 4));
        }
    }
    if !r.fix.is_empty() {
        o.push_str(&format!("{}\n", p.bold("Fix")));
        for f in &r.fix {
            o.push_str("  → ");
            o.push_str(&wrap(f, width, 4, 4));
        }
    }
    o
}

/// `text` broken at spaces into lines of at most `width` columns: the first continues a line
/// already `first` columns long, the others are indented by `indent`. A word longer than the
/// line stays whole. Ends with a newline.
fn wrap(text: &str, width: usize, first: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut col = first;
    let mut line_empty = true;
    for word in text.split(' ') {
        let len = word.chars().count();
        if !line_empty && col + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
        line_empty = false;
    }
    out.push('\n');
    out
}

/// One step of one path, as a table cell.
fn cell(path: &PathReport, name: &str, p: &Paint) -> String {
    let Some(step) = path.step(name) else {
        let stopped = path.failed().is_some();
        return p.dim(if stopped { "— (not run)" } else { "—" });
    };
    let mut lines = Vec::new();
    lines.push(head(step, p));
    if let Some(m) = step.message.as_deref().filter(|_| !step.ok) {
        lines.push(m.to_string());
    } else if let Some(d) = &step.detail {
        lines.push(d.clone());
    }
    let mut tail = Vec::new();
    if let Some(s) = &step.server {
        tail.push(format!("server {s}"));
    }
    if let Some(v) = &step.via {
        tail.push(format!("via {v}"));
    }
    if let Some(ra) = &step.retry_after {
        tail.push(format!("retry-after {ra}"));
    }
    if !tail.is_empty() {
        lines.push(p.dim(&tail.join(", ")));
    }
    if let Some(id) = &step.request_id {
        lines.push(p.dim(id));
    }
    lines.join("\n")
}

fn head(step: &Step, p: &Paint) -> String {
    let time = match step.first_byte_ms {
        Some(fb) => format!("{} ms (first byte {})", fmt_ms(step.ms), fmt_ms(fb)),
        _ => format!("{} ms", fmt_ms(step.ms)),
    };
    let what = match (step.status, step.outcome) {
        (Some(s), Outcome::Ok) => p.green(&s.to_string()),
        (Some(s), _) => {
            let kind = step.error_type.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
            p.red(&format!("{s}{kind}"))
        }
        (None, Outcome::Ok) => p.green("ok"),
        (None, o) => p.red(match o {
            Outcome::DnsError => "dns error",
            Outcome::ConnectError => "refused",
            Outcome::TlsError => "tls error",
            Outcome::Timeout => "timeout",
            _ => "failed",
        }),
    };
    format!("{what} · {time}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::probe::report::*;

    /// A gateway failing behind a working direct path, built by hand.
    pub(crate) fn sample(k: &crate::knowledge::Knowledge) -> Report {
        let step = |name: &'static str, status: Option<u16>, outcome: Outcome| {
            let mut s = Step::new(name, outcome, 1.5);
            s.status = status;
            s
        };
        let direct = PathReport {
            name: PathName::Direct,
            url: "https://api.anthropic.com".into(),
            source: "default".into(),
            ok: true,
            model_listed: Some(true),
            steps: vec![
                step("dns", None, Outcome::Ok),
                step("connect", None, Outcome::Ok),
                step("models", Some(200), Outcome::Ok),
                step("count_tokens", Some(200), Outcome::Ok),
            ],
        };
        let mut bad = step("models", Some(502), Outcome::HttpError);
        bad.message = Some("502 Bad Gateway".into());
        bad.server = Some("nginx/1.22.1".into());
        bad.answered_by = Some("gateway");
        let gateway = PathReport {
            name: PathName::Gateway,
            url: "http://gw:8080".into(),
            source: "ANTHROPIC_BASE_URL".into(),
            ok: false,
            model_listed: None,
            steps: vec![step("dns", None, Outcome::Ok), step("connect", None, Outcome::Ok), bad],
        };
        Report {
            version: VERSION,
            verdict: Verdict::Gateway,
            cause: Some("upstream.middleware_exhaustion".into()),
            cause_title: k.cause("upstream.middleware_exhaustion").map(|c| c.title.clone()),
            summary: "the gateway fails while the direct path works".into(),
            sent: true,
            date: "2026-12-01".into(),
            credentials: Credentials::default(),
            model: crate::probe::verdict::model_check(k, "claude-haiku-4-5-20251001", chrono::NaiveDate::default()),
            paths: vec![direct, gateway],
            evidence: vec!["gateway http://gw:8080: models: 502".into()],
            fix: vec!["Scale the gateway".into()],
        }
    }

    #[test]
    fn paths_side_by_side_and_quiet_keeps_the_verdict() {
        let k = crate::knowledge::Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        let r = sample(&k);
        let text = human(&r, false, 100, false);
        assert!(text.starts_with("faultline probe: gateway — the gateway fails"), "{text}");
        assert!(text.contains("direct https://api.anthropic.com") && text.contains("gateway http://gw:8080"), "{text}");
        assert!(text.contains("502 Bad Gateway") && text.contains("— (not run)"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
        assert_eq!(wrap("aaa bbb ccc", 9, 2, 4), "aaa bbb\n    ccc\n");
        assert_eq!(wrap("x", 9, 0, 4), "x\n");
        let quiet = human(&r, false, 100, true);
        assert_eq!(quiet.lines().count(), 2, "{quiet}");
        assert!(!human(&r, false, 100, false).contains('\u{1b}'));
        assert!(human(&r, true, 100, false).contains('\u{1b}'));
    }
}
