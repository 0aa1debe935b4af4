//! Renderers of lint findings: human (rustc-style snippets), concise, json, sarif, github.
//! Thin views of `Reported`; the only logic here is presentation (making invisible bytes
//! visible, masking credentials in snippets and diffs).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use annotate_snippets::{Level, Renderer as Snippets, Snippet};
use serde_json::{json, Value};

use crate::lint::cmd::{Linter, Settings};
use crate::lint::text::is_invisible;
use crate::lint::{codes, RuleMeta, Severity};

/// The output formats of `faultline lint` (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

/// A fix as shown to the user.
#[derive(Debug, Clone)]
pub struct FixView {
    pub message: String,
    pub safe: bool,
}

/// One finding with its place in a file: what every format shows.
#[derive(Debug, Clone)]
pub struct Reported {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<FixView>,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Bytes of the record (see `Source`).
    pub span: Range<usize>,
}

impl Reported {
    /// A finding about an input as a whole (FL9xx), at a line.
    pub fn input(rule: &'static RuleMeta, settings: &Settings, file: &str, line: usize, message: String) -> Reported {
        Reported {
            code: rule.code,
            name: rule.name,
            severity: settings.severity_of(rule.code, rule.severity),
            message,
            help: Some(crate::lint::rules::input::help(rule.code).to_string()),
            fix: None,
            file: file.to_string(),
            line,
            column: 1,
            end_line: line,
            end_column: 1,
            span: 0..0,
        }
    }
}

/// The record a finding was found in: its text, the 0-based line it starts on, and the byte
/// ranges holding credentials (masked when shown).
pub struct Source<'a> {
    pub text: &'a str,
    pub first_line: usize,
    pub secrets: &'a [Range<usize>],
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub requests: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
    pub fixed: usize,
    pub by_code: BTreeMap<&'static str, usize>,
}

impl Summary {
    pub fn count(&mut self, r: &Reported) {
        match r.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        if r.fix.as_ref().is_some_and(|f| f.safe) {
            self.fixable += 1;
        }
        *self.by_code.entry(r.code).or_default() += 1;
    }

    /// Adds another part's counts (a worker's batch).
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.requests += other.requests;
        self.unreadable += other.unreadable;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.fixable += other.fixable;
        self.fixed += other.fixed;
        for (code, n) in &other.by_code {
            *self.by_code.entry(code).or_default() += n;
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    pub fn at_or_above(&self, level: Severity) -> usize {
        match level {
            Severity::Error => self.errors,
            Severity::Warning => self.errors + self.warnings,
            Severity::Info => self.total(),
        }
    }

    pub fn line(&self) -> String {
        if self.total() == 0 {
            return format!("No problems found in {} request(s) ({} file(s)).", self.requests, self.files);
        }
        let mut s = format!(
            "Found {} error(s), {} warning(s), {} info in {} request(s) ({} file(s)).",
            self.errors, self.warnings, self.infos, self.requests, self.files
        );
        if self.fixable > 0 {
            s.push_str(&format!(" {} fixable with `--fix`.", self.fixable));
        }
        s
    }
}

/// How a character is shown in a snippet: invisible and control characters get a visible form.
pub fn visible(c: char) -> Option<String> {
    match c {
        '\n' => Some("␊".into()),
        '\r' => Some("␍".into()),
        '\t' => Some("␉".into()),
        '\u{00A0}' => Some("·".into()),
        c if c.is_control() || is_invisible(c) || c == '\u{FEFF}' => Some(format!("<U+{:04X}>", c as u32)),
        _ => None,
    }
}

/// How many bytes of a credential value may be shown: the scheme word, then the key's safe prefix.
fn shown_prefix(raw: &str) -> usize {
    let lead = raw.len() - raw.trim_start_matches([' ', '"', '\'']).len();
    let rest = &raw[lead..];
    let (scheme, token) = match rest.find([' ', '\t']) {
        Some(i) if rest[..i].chars().all(|c| c.is_ascii_alphabetic()) => {
            let after = rest[i..].len() - rest[i..].trim_start().len();
            (i + after, &rest[i + after..])
        }
        _ => (0, rest),
    };
    lead + scheme + crate::redact::safe_prefix(token).len()
}

/// The display form of `line` (record offsets `line_start..`), with credentials masked and
/// invisible characters made visible; returns the text and the display range of `span`.
pub fn display_line(
    text: &str,
    line: Range<usize>,
    secrets: &[Range<usize>],
    span: &Range<usize>,
) -> (String, Range<usize>) {
    let mut out = String::new();
    let mut dstart = None;
    let mut dend = None;
    let mut collapsed = false;
    let mut escape_left = 0usize;
    let slice = text.get(line.clone()).unwrap_or("");
    for (i, c) in slice.char_indices() {
        let at = line.start + i;
        if at == span.start {
            dstart = Some(out.len());
        }
        if at == span.end && dend.is_none() {
            dend = Some(out.len());
        }
        let in_span = at >= span.start && at < span.end;
        if (c == '\n' || c == '\r') && !in_span {
            continue;
        }
        let secret = secrets.iter().find(|s| s.contains(&at));
        if let Some(s) = secret {
            let keep = shown_prefix(text.get(s.clone()).unwrap_or(""));
            if escape_left > 0 {
                // The rest of a JSON escape (`\n`, `\u200b`): shown, it is what the finding is about.
                escape_left = if escape_left == 1 && c == 'u' { 4 } else { escape_left - 1 };
            } else if c == '\\' {
                escape_left = 1;
            } else if at >= s.start + keep && !stays_visible_in_secret(c) {
                if !collapsed {
                    out.push('…');
                    collapsed = true;
                }
                continue;
            }
        }
        collapsed = false;
        match visible(c) {
            Some(v) => out.push_str(&v),
            None => out.push(c),
        }
    }
    let start = dstart.unwrap_or(out.len());
    let mut end = dend.unwrap_or(out.len()).max(start);
    if end == start {
        // An insertion point: point at one column.
        if start == out.len() {
            out.push(' ');
        }
        end = start + out[start..].chars().next().map_or(1, char::len_utf8);
    }
    (out, start..end)
}

/// Whether a character of a credential past its shown prefix is still shown: control and
/// invisible characters, quotes and spaces (what findings and fixes are about). Everything else,
/// `+ / = .` of Basic credentials and JWTs included, is collapsed into `…`.
fn stays_visible_in_secret(c: char) -> bool {
    visible(c).is_some() || c == '"' || c == ' '
}

/// Masks credentials in a whole text (for diffs): each credential keeps its shown prefix.
fn mask(text: &str, secrets: &[Range<usize>]) -> String {
    let mut ranges = secrets.to_vec();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for r in ranges {
        let Some(raw) = text.get(r.clone()) else { continue };
        let keep = shown_prefix(raw);
        let mut shown = String::from(raw.get(..keep).unwrap_or(""));
        shown.push('…');
        // Control and invisible characters and JSON escapes stay visible: they are what a fix changes.
        let mut escape_left = 0usize;
        for c in raw.get(keep..).unwrap_or("").chars() {
            if escape_left > 0 {
                escape_left = if escape_left == 1 && c == 'u' { 4 } else { escape_left - 1 };
                shown.push(c);
            } else if c == '\\' {
                escape_left = 1;
                shown.push(c);
            } else if stays_visible_in_secret(c) {
                match visible(c) {
                    Some(v) => shown.push_str(&v),
                    None => shown.push(c),
                }
            }
        }
        shown.push_str(&format!(" {}", crate::redact::short_hash(raw.as_bytes())));
        if out.is_char_boundary(r.start) && out.is_char_boundary(r.end) {
            out.replace_range(r, &shown);
        }
    }
    out
}

/// The credential ranges of a whole text, records that do not parse included.
fn all_secrets(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (base, record) in crate::lint::cmd::records_of(text) {
        let captures = crate::capture::parse_record(record).unwrap_or_default();
        out.extend(
            crate::capture::locate::record_secrets(record, &captures).into_iter().map(|r| r.start + base..r.end + base),
        );
    }
    out
}

/// A unified diff of a fix, credentials masked on both sides.
pub fn write_diff(out: &mut dyn Write, name: &str, old: &str, new: &str, _linter: &Linter<'_>) -> io::Result<()> {
    let old_masked = mask(old, &all_secrets(old));
    let new_masked = mask(new, &all_secrets(new));
    let diff = similar::TextDiff::from_lines(&old_masked, &new_masked);
    write!(out, "{}", diff.unified_diff().context_radius(2).header(&format!("a/{name}"), &format!("b/{name}")))
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Escapes data for a GitHub workflow command (`%`, CR, LF; plus `:` and `,` in properties).
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub struct Renderer<'w> {
    format: OutputFormat,
    color: bool,
    out: &'w mut dyn Write,
    count: usize,
    collected: Vec<Reported>,
}

impl<'w> Renderer<'w> {
    pub fn new(format: OutputFormat, color: bool, out: &'w mut dyn Write) -> Renderer<'w> {
        Renderer { format, color, out, count: 0, collected: Vec::new() }
    }

    pub fn begin(&mut self) -> io::Result<()> {
        if self.format == OutputFormat::Json {
            write!(self.out, "{{\"findings\":[")?;
        }
        Ok(())
    }

    pub fn finding(&mut self, r: &Reported, src: &Source<'_>) -> io::Result<()> {
        self.count += 1;
        match self.format {
            OutputFormat::Human => self.human(r, src),
            OutputFormat::Concise => writeln!(
                self.out,
                "{}:{}:{}: {}[{}] {}",
                r.file,
                r.line,
                r.column,
                r.severity.as_str(),
                r.code,
                r.message
            ),
            OutputFormat::Github => {
                let kind = match r.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                writeln!(
                    self.out,
                    "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                    gh_escape(&r.file, true),
                    r.line,
                    r.column,
                    r.end_line,
                    r.end_column,
                    gh_escape(&format!("{} {}", r.code, r.name), true),
                    gh_escape(&r.message, false)
                )
            }
            OutputFormat::Json => {
                if self.count > 1 {
                    write!(self.out, ",")?;
                }
                write!(self.out, "\n  {}", json_finding(r))
            }
            OutputFormat::Sarif => {
                self.collected.push(r.clone());
                Ok(())
            }
        }
    }

    fn human(&mut self, r: &Reported, src: &Source<'_>) -> io::Result<()> {
        let level = match r.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Note,
        };
        let title = format!("{} ({})", r.message, r.name);
        let help = match (&r.help, &r.fix) {
            (Some(h), Some(f)) if f.safe => Some(format!("{h} (fixable with `--fix`: {})", f.message)),
            (Some(h), Some(f)) => Some(format!("{h} (fixable with `--fix --unsafe-fixes`: {})", f.message)),
            (Some(h), None) => Some(h.clone()),
            (None, Some(f)) => Some(format!("{} (`--fix`)", f.message)),
            (None, None) => None,
        };
        let mut message = level.title(&title).id(r.code);
        let line_start =
            src.text.get(..r.span.start.min(src.text.len())).and_then(|b| b.rfind('\n')).map_or(0, |i| i + 1);
        let line_end = src
            .text
            .get(r.span.start.min(src.text.len())..)
            .and_then(|a| a.find('\n'))
            .map_or(src.text.len(), |i| r.span.start + i + 1);
        let snippet_line;
        let span;
        let has_source = !src.text.is_empty();
        if has_source {
            let span_clip = r.span.start..r.span.end.min(line_end);
            (snippet_line, span) = display_line(src.text, line_start..line_end, src.secrets, &span_clip);
            message = message
                .snippet(Snippet::source(&snippet_line).line_start(r.line).annotation(level.span(span).label(r.code)));
        }
        let help_text = help.unwrap_or_default();
        if !help_text.is_empty() {
            message = message.footer(Level::Help.title(&help_text));
        }
        let renderer = if self.color { Snippets::styled() } else { Snippets::plain() };
        let rendered = renderer.render(message).to_string();
        // annotate-snippets counts columns in the display line; the location is the file's.
        let mut lines = rendered.lines();
        let first = lines.next().unwrap_or("");
        let width = r.line.to_string().len();
        writeln!(self.out, "{first}")?;
        let arrow = if self.color { "\x1b[1m\x1b[94m-->\x1b[0m" } else { "-->" };
        writeln!(self.out, "{:width$}{arrow} {}:{}:{}", "", r.file, r.line, r.column, width = width)?;
        for l in lines {
            writeln!(self.out, "{l}")?;
        }
        writeln!(self.out)
    }

    pub fn end(&mut self, summary: &Summary) -> io::Result<()> {
        match self.format {
            OutputFormat::Human => writeln!(self.out, "{}", summary.line()),
            OutputFormat::Json => {
                let s = json!({
                    "files": summary.files, "requests": summary.requests, "findings": summary.total(),
                    "errors": summary.errors, "warnings": summary.warnings, "infos": summary.infos,
                    "fixable": summary.fixable, "fixed": summary.fixed, "unreadable": summary.unreadable,
                    "by_code": summary.by_code,
                });
                writeln!(self.out, "{}],\n\"summary\":{}}}", if self.count > 0 { "\n" } else { "" }, s)
            }
            OutputFormat::Sarif => {
                let doc = sarif(&self.collected);
                writeln!(self.out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default())
            }
            OutputFormat::Concise | OutputFormat::Github => Ok(()),
        }
    }
}

fn json_finding(r: &Reported) -> Value {
    json!({
        "code": r.code, "name": r.name, "severity": r.severity.as_str(), "message": r.message,
        "file": r.file, "line": r.line, "column": r.column, "end_line": r.end_line, "end_column": r.end_column,
        "help": r.help,
        "fix": r.fix.as_ref().map(|f| json!({"message": f.message, "applicability": if f.safe { "safe" } else { "unsafe" }})),
    })
}

/// The SARIF 2.1.0 log: every rule with its help (the text `faultline explain` prints), every
/// finding with a region object.
pub fn sarif(findings: &[Reported]) -> Value {
    let rules: Vec<Value> = codes::RULES
        .iter()
        .map(|r| {
            let md = crate::explain::rule_markdown(r);
            json!({
                "id": r.code, "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": md, "markdown": md},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"tags": [r.family.as_str()]},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = codes::RULES.iter().position(|r| r.code == f.code).unwrap_or(0);
            json!({
                "ruleId": f.code, "ruleIndex": index, "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.file},
                    "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column.max(if f.end_line == f.line { f.column } else { 1 })},
                }}],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "faultline", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-ant-api03-SecretSecretSecret0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHAA";

    #[test]
    fn invisible_bytes_are_made_visible_and_keys_masked() {
        let text = format!("x-api-key: {KEY}\u{a0}\u{200b}\r\n");
        let start = "x-api-key: ".len();
        let secret = start..start + KEY.len() + "\u{a0}\u{200b}".len();
        let nbsp = start + KEY.len();
        let (shown, span) = display_line(&text, 0..text.len(), std::slice::from_ref(&secret), &(nbsp..nbsp + 2));
        assert_eq!(shown, "x-api-key: sk-ant-api03-…·<U+200B>");
        assert_eq!(&shown[span], "·");
        let cr = text.len() - 2;
        let (shown, span) = display_line(&text, 0..text.len(), &[secret], &(cr..cr + 2));
        assert!(shown.ends_with("<U+200B>␍␊"), "{shown}");
        assert_eq!(&shown[span], "␍␊");
        assert!(!shown.contains("Secret"));
    }

    #[test]
    fn json_escapes_inside_a_key_stay_visible() {
        let text = format!("{{\"x-api-key\": \"{KEY}\\u200b\\n\"}}");
        let start = text.find("sk-").unwrap_or(0);
        let secret = start..text.len() - 2;
        let esc = text.find("\\u200b").unwrap_or(0);
        let (shown, span) = display_line(&text, 0..text.len(), std::slice::from_ref(&secret), &(esc..esc + 6));
        assert_eq!(shown, "{\"x-api-key\": \"sk-ant-api03-…\\u200b\\n\"}");
        assert_eq!(&shown[span], "\\u200b");
        let masked = mask(&text, &[secret]);
        assert!(masked.contains("sk-ant-api03-…\\u200b\\n sha256:"), "{masked}");
        assert!(!masked.contains("Secret"));
    }

    #[test]
    fn basic_credentials_and_jwts_are_collapsed_whole() {
        for (value, kept) in [
            ("Basic ZWxhc3RpYzpUcjB1YjRkb3IrSG9yc2U=/+abc=", "Basic ZWxh"),
            ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpM", "Bearer eyJh"),
        ] {
            let text = format!("authorization: {value}\n");
            let start = "authorization: ".len();
            let secret = start..start + value.len();
            let (shown, _) = display_line(&text, 0..text.len(), std::slice::from_ref(&secret), &(0..1));
            assert_eq!(shown, format!("authorization: {kept}…"), "{value}");
            let masked = mask(&text, &[secret]);
            assert!(masked.starts_with(&format!("authorization: {kept}… sha256:")), "{masked}");
        }
    }

    #[test]
    fn github_escaping() {
        assert_eq!(gh_escape("a%b\nc", false), "a%25b%0Ac");
        assert_eq!(gh_escape("f:1,2", true), "f%3A1%2C2");
    }
}
