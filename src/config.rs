//! faultline.toml: found, parsed (errors name file:line:col) and turned into one `Config`.
//!
//! Precedence, lowest to highest: the embedded rules/ < the config file < environment
//! variables < command-line flags. Only one config file is read: `--config FILE`, else the
//! nearest `faultline.toml` in the current directory or its ancestors, else the user config
//! dir's `faultline.toml` (ruff's rule: the closest file wins, files are not merged).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::context::RunContext;
use crate::error::{Error, Result};
use crate::knowledge::{self, Extensions, Knowledge};
use crate::lint::{ProviderChoice, Severity};
use crate::logs::es::EsConfig;
use crate::logs::record::SchemaChoice;
use crate::redact::mask_keys_in_text;

pub const FILE_NAME: &str = "faultline.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `[[models.extra]]`: approved models faultline does not know yet.
    #[serde(default)]
    pub models: knowledge::ModelsExtension,
    /// `[gateway]`: forwarder-tag patterns (regex) for provider and middleware origin.
    pub gateway: Option<knowledge::GatewayPatch>,
    /// `[[signatures.extra]]`: extra error-body signatures.
    #[serde(default)]
    pub signatures: knowledge::SignaturesExtension,
    /// `[thresholds.*]`: any value of rules/thresholds.toml.
    pub thresholds: Option<knowledge::patch::Thresholds>,
    #[serde(default)]
    pub lint: LintConfig,
    #[serde(default)]
    pub diagnose: DiagnoseConfig,
    #[serde(default)]
    pub es: EsConfig,
    /// `[presets.NAME]`: log presets of your own (or a replacement for a built-in one), in the
    /// format of rules/presets.toml.
    #[serde(default)]
    pub presets: BTreeMap<String, toml::Spanned<knowledge::presets::PresetDef>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_level: Option<Severity>,
    pub provider: Option<ProviderChoice>,
    /// Per-code severity overrides: `FL202 = "error"`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnoseConfig {
    /// `schema = "NAME"`: a preset (built-in or `[presets.NAME]`), `auto`; checked against the
    /// known presets once they are loaded.
    pub schema: Option<toml::Spanned<SchemaChoice>>,
    /// Field path overrides: `status = "http.status"`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// The resolved configuration: the file that was read (if any) and the knowledge base with its
/// extensions applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub file: ConfigFile,
    pub knowledge: Knowledge,
}

impl Config {
    /// Finds and loads the configuration for this run.
    pub fn load(explicit: Option<&Path>, ctx: &RunContext) -> Result<Config> {
        let path = match explicit {
            Some(p) => {
                if !p.is_file() {
                    return Err(Error::Config(format!("{}: config file not found", p.display())));
                }
                Some(p.to_path_buf())
            }
            None => discover(ctx),
        };
        let (file, text) = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| Error::Config(format!("{}: cannot read config file: {e}", p.display())))?;
                (parse_config(&p.display().to_string(), &text)?, text)
            }
            None => (ConfigFile::default(), String::new()),
        };
        let mut ext = file.extensions();
        if let Some(p) = &path {
            ext.presets.origin =
                Some(knowledge::presets::Origin { name: p.display().to_string(), text: text.clone().into() });
        }
        let knowledge = Knowledge::load(&ext).map_err(|e| match &path {
            Some(p) => Error::Config(format!("{}: {}", p.display(), mask_keys_in_text(&e.to_string()))),
            None => e,
        })?;
        // Every preset compiles, or the run stops at the first mistake (file:line:col).
        crate::logs::preset::check_all(&knowledge.presets).map_err(|e| match e {
            Error::Config(m) => Error::Config(mask_keys_in_text(&m).into_owned()),
            other => other,
        })?;
        if let (Some(p), Some(schema)) = (&path, &file.diagnose.schema) {
            if let SchemaChoice::Named(name) = schema.get_ref() {
                if knowledge.presets.get(name).is_none() {
                    let known = knowledge.presets.names().iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
                    let message = format!(
                        "unknown preset `{name}`, expected one of {}, `auto` (`faultline diagnose --schema list` \
                         describes them)",
                        known.join(", ")
                    );
                    return Err(located(&p.display().to_string(), &text, schema.span().start, &message));
                }
            }
        }
        Ok(Config { path, file, knowledge })
    }

    /// A configuration with no file: the embedded knowledge base.
    pub fn embedded() -> Result<Config> {
        Ok(Config { path: None, file: ConfigFile::default(), knowledge: Knowledge::embedded()? })
    }
}

impl ConfigFile {
    pub fn extensions(&self) -> Extensions {
        Extensions {
            models: self.models.clone(),
            gateway: self.gateway.clone(),
            signatures: self.signatures.clone(),
            thresholds: self.thresholds.clone(),
            presets: knowledge::presets::PresetsExtension { presets: self.presets.clone(), origin: None },
        }
    }
}

fn discover(ctx: &RunContext) -> Option<PathBuf> {
    let mut dir: Option<&Path> = Some(&ctx.cwd);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    ctx.user_config_dir.as_ref().map(|d| d.join(FILE_NAME)).filter(|p| p.is_file())
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// Parses faultline.toml text; errors read `file:line:col: message`, then the line with a caret
/// under the column — shown the way [`quote_line`] makes safe: a config file holds credentials
/// (`[es] api_key`, `password`), and the error that points at one must not print it.
pub fn parse_config(name: &str, text: &str) -> Result<ConfigFile> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let mut message = e.message().trim_end().replace('\n', " ");
        if message.is_empty() {
            // toml says nothing of a character it does not allow (a control character, say).
            let c = e.span().and_then(|sp| text.get(sp.start..)).and_then(|t| t.chars().next());
            message = match c {
                Some(c) => format!("character U+{:04X} is not allowed here", u32::from(c)),
                None => "invalid TOML".to_string(),
            };
        }
        let Some(span) = e.span() else {
            // No place to point at: no line is quoted (line 1 could hold a key).
            return Error::Config(format!("{name}: {}", mask_keys_in_text(&message)));
        };
        located(name, text, span.start, &message)
    })
}

/// An error at a byte offset of the config text: `name:line:col: message` and the line as it is
/// safe to show, with a caret under the place.
fn located(name: &str, text: &str, at: usize, message: &str) -> Error {
    let (line, col) = line_col(text, at);
    let source_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let quoted = quote_line(source_line, &table_before(text, line), col);
    let message = scrub_message(message, &quoted.hidden);
    Error::Config(format!(
        "{name}:{line}:{col}: {message}\n{pad} |\n{line} | {}\n{pad} | {caret:>width$}",
        quoted.text,
        pad = " ".repeat(line.to_string().len()),
        caret = "^",
        width = quoted.caret,
    ))
}

/// A config line as it is safe to show, where the caret goes in it (1-based, in characters),
/// and the texts that were hidden (to scrub from the parser's message too).
#[derive(Debug, PartialEq, Eq)]
pub struct Quoted {
    pub text: String,
    pub caret: usize,
    pub hidden: Vec<String>,
}

/// Keys of faultline.toml whose values are not secrets, by table. Everything else — any other
/// key of `[es]` (`api_key`, `password`, `cloud_id`, and the typos of them an error is about),
/// any table faultline does not know, any key named like a credential — has its value hidden.
fn shows_value(path: &[String]) -> bool {
    let Some(last) = path.last().map(|k| k.to_ascii_lowercase()) else { return false };
    let credential_like = ["password", "passwd", "secret", "credential", "apikey", "api_key", "private", "cookie"]
        .iter()
        .any(|w| last.contains(w))
        || ["token", "key", "auth", "cloud_id"].contains(&last.as_str())
        || ["_token", "_key", "_auth"].iter().any(|w| last.ends_with(w));
    if credential_like {
        return false;
    }
    match path.first().map(String::as_str) {
        Some("es") => {
            path.len() == 2 && ["url", "index", "username", "ca_cert", "insecure", "timeout"].contains(&last.as_str())
        }
        Some("lint" | "diagnose" | "gateway" | "signatures" | "thresholds" | "models") => true,
        _ => false,
    }
}

/// The table a line belongs to: the last `[table]` / `[[table]]` header above it (the file may
/// not parse, so this reads lines, not TOML).
fn table_before(text: &str, line: usize) -> Vec<String> {
    let mut table = Vec::new();
    for l in text.lines().take(line.saturating_sub(1)) {
        let t = l.trim_start();
        if let Some(rest) = t.strip_prefix('[') {
            let rest = rest.strip_prefix('[').unwrap_or(rest);
            if let Some(end) = rest.find(']') {
                table = key_segments(&rest[..end]);
            }
        }
    }
    table
}

/// `a."b.c".d` -> `["a", "b.c", "d"]` (quotes stripped, whitespace trimmed).
fn key_segments(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in key.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => out.push(std::mem::take(&mut current).trim().to_string()),
            (_, c) => current.push(c),
        }
    }
    out.push(current.trim().to_string());
    out
}

/// The first character outside TOML quotes (basic strings with their escapes, literal strings)
/// for which `stop` holds, if any.
fn unquoted(text: &str, stop: impl Fn(char) -> bool) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if stop(c) => return Some(i),
            None => {}
        }
    }
    None
}

/// The length in bytes of the word `text` opens with: up to a blank outside quotes (a quoted
/// string is one word, blanks and all).
fn word_len(text: &str) -> usize {
    unquoted(text, char::is_whitespace).unwrap_or(text.len())
}

/// Where an unquoted `#` (a comment) starts in a TOML value, if anywhere.
fn comment_start(value: &str) -> Option<usize> {
    unquoted(value, |c| c == '#')
}

/// A config line made safe to quote: comments become `# …`; a `key = value` line keeps its
/// value only when [`shows_value`] allows it for its full key (the `table` it sits in plus its
/// own dotted key), and even then with URL passwords and key-shaped text masked; any other line
/// (a header stays) is hidden whole: it may be the middle of a multi-line string. `col` is the
/// parser's 1-based column; the caret follows the text it pointed at, or the start of what
/// replaced it.
pub fn quote_line(raw: &str, table: &[String], col: usize) -> Quoted {
    // Pieces of the shown line: (byte range in `raw`, shown text, shown exactly as written).
    let mut pieces: Vec<(std::ops::Range<usize>, String, bool)> = Vec::new();
    let mut hidden = Vec::new();
    let indent = raw.len() - raw.trim_start().len();
    let body = &raw[indent..];
    pieces.push((0..indent, raw[..indent].to_string(), true));
    let hide = |range: std::ops::Range<usize>, pieces: &mut Vec<_>, hidden: &mut Vec<String>| {
        let text = raw.get(range.clone()).unwrap_or_default();
        if !text.trim().is_empty() {
            hidden.push(text.trim().to_string());
        }
        pieces.push((range, "…".to_string(), false));
    };
    // Shown text, word by word (so that the caret keeps its place next to a masked word).
    let shown = |range: std::ops::Range<usize>, pieces: &mut Vec<(std::ops::Range<usize>, String, bool)>| {
        let text = raw.get(range.clone()).unwrap_or_default();
        let mut start = 0;
        while start < text.len() {
            let blank = text[start..].starts_with(char::is_whitespace);
            let len = if blank {
                text[start..].find(|c: char| !c.is_whitespace()).unwrap_or(text.len() - start)
            } else {
                word_len(&text[start..])
            };
            let word = &text[start..start + len];
            let masked = mask_keys_in_text(word);
            let masked =
                if masked.contains('@') { crate::logs::es::settings::redact_url(&masked) } else { masked.into_owned() };
            let exact = masked == word;
            pieces.push((range.start + start..range.start + start + len, masked, exact));
            start += len;
        }
    };
    if body.is_empty() {
    } else if body.starts_with('#') {
        pieces.push((indent..indent + 1, "#".to_string(), true));
        pieces.push((indent + 1..indent + 1, " ".to_string(), false));
        hide(indent + 1..raw.len(), &mut pieces, &mut hidden);
    } else if body.starts_with('[') {
        let end = body.find(']').map_or(body.len(), |i| {
            let after = &body[i + 1..];
            i + 1 + usize::from(after.starts_with(']'))
        });
        shown(indent..indent + end, &mut pieces);
        let rest = &body[end..];
        match comment_start(rest) {
            Some(c) => {
                let at = indent + end + c;
                shown(indent + end..at, &mut pieces);
                pieces.push((at..at + 1, "#".to_string(), true));
                pieces.push((at + 1..at + 1, " ".to_string(), false));
                hide(at + 1..raw.len(), &mut pieces, &mut hidden);
            }
            None => shown(indent + end..raw.len(), &mut pieces),
        }
    } else if let Some(eq) = body.find('=').filter(|eq| comment_start(&body[..*eq]).is_none()) {
        let key = &body[..eq];
        let mut path = table.to_vec();
        path.extend(key_segments(key));
        // The key and `=` (and the blanks after it) are shown.
        let value_from = eq + 1 + (body[eq + 1..].len() - body[eq + 1..].trim_start().len());
        shown(indent..indent + value_from, &mut pieces);
        let value = &body[value_from..];
        let (value_end, comment) = match comment_start(value) {
            Some(c) => (c, true),
            None => (value.len(), false),
        };
        let value_range = indent + value_from..indent + value_from + value_end;
        if shows_value(&path) {
            shown(value_range, &mut pieces);
        } else {
            let trailing = value[..value_end].len() - value[..value_end].trim_end().len();
            hide(value_range.start..value_range.end - trailing, &mut pieces, &mut hidden);
            pieces.push((value_range.end - trailing..value_range.end, " ".repeat(trailing), true));
        }
        if comment {
            let at = indent + value_from + value_end;
            pieces.push((at..at + 1, "#".to_string(), true));
            pieces.push((at + 1..at + 1, " ".to_string(), false));
            hide(at + 1..raw.len(), &mut pieces, &mut hidden);
        }
    } else {
        hide(indent..raw.len(), &mut pieces, &mut hidden);
    }

    // The caret: the byte `col` points at, followed into the shown pieces.
    let target = raw.char_indices().nth(col.saturating_sub(1)).map_or(raw.len(), |(i, _)| i);
    let beyond = col.saturating_sub(raw.chars().count() + 1);
    let mut text = String::new();
    let mut caret = None;
    for (range, piece, exact) in &pieces {
        if caret.is_none() && range.contains(&target) {
            let inside = if *exact { raw.get(range.start..target).map_or(0, |t| t.chars().count()) } else { 0 };
            caret = Some(text.chars().count() + inside + 1);
        }
        text.push_str(piece);
    }
    let caret = caret.unwrap_or_else(|| text.chars().count() + 1 + beyond);
    Quoted { text, caret, hidden }
}

/// Whether `hidden` holds `piece` other than as a key (a key of an inline table, `bogus` in
/// `{ password = "…", bogus = 1 }`, is followed by `=`; the parser names it, and may).
fn holds_as_value(hidden: &str, piece: &str) -> bool {
    hidden.match_indices(piece).any(|(at, _)| {
        let after = hidden[at + piece.len()..].trim_start_matches(['"', '\'']).trim_start();
        !after.starts_with('=')
    })
}

/// The parser's message with whatever it quotes of a hidden value replaced by `…`: serde says
/// ``invalid type: string "hunter2", expected a boolean`` or ``unknown variant `x` ``. Quoted
/// pieces that are not part of a hidden value stay, and so does all that follows `expected`
/// (the names faultline expects).
fn scrub_message(message: &str, hidden: &[String]) -> String {
    let cut = message.find("expected").unwrap_or(message.len());
    let (message, expected) = message.split_at(cut);
    let mut out = String::with_capacity(message.len() + expected.len());
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        // The closing quote: for `"`, skip Debug escapes (\" and \\).
        let mut close = None;
        let mut escaped = false;
        for (i, c) in after.char_indices() {
            if escaped {
                escaped = false;
            } else if c == '\\' && quote == '"' {
                escaped = true;
            } else if c == quote {
                close = Some(i);
                break;
            }
        }
        let Some(close) = close else {
            rest = after;
            continue;
        };
        let inner = &after[..close];
        let unescaped = inner.replace("\\\"", "\"").replace("\\\\", "\\");
        let secret =
            !inner.is_empty() && hidden.iter().any(|h| holds_as_value(h, inner) || holds_as_value(h, &unescaped));
        out.push_str(if secret { "…" } else { inner });
        out.push(quote);
        rest = &after[close + quote.len_utf8()..];
    }
    out.push_str(rest);
    out.push_str(expected);
    mask_keys_in_text(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_column() {
        let err = parse_config("faultline.toml", "[lint]\nfail_level = \"error\"\nselct = [\"FL0\"]\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("faultline.toml:3:1: unknown field `selct`"), "{err}");
    }

    #[test]
    fn wrong_type_names_line_and_column() {
        let err = parse_config("f.toml", "[thresholds.latency]\nnetwork_p99_ms = \"twelve\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("f.toml:2:18:"), "{err}");
        assert!(err.contains("expected f64") || err.contains("invalid type"), "{err}");
    }

    #[test]
    fn full_config_parses() {
        let text = r#"
[lint]
select = ["FL0", "FL1"]
ignore = ["FL404"]
fail_level = "warning"
provider = "bedrock"
[lint.severity]
FL202 = "error"

[diagnose]
schema = "ecs"
fields = { status = "http.status" }

[es]
url = "https://es:9200"
index = "claude-*"

[gateway]
middleware = "(?i)my-internal-gw"

[thresholds.quota]
monthly_tokens = 50000000

[[models.extra]]
name = "Internal fine-tune"
id = "claude-internal-1"
family = "other"
"#;
        let cfg = parse_config("f.toml", text).map_err(|e| e.to_string());
        let cfg = cfg.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.lint.fail_level, Some(Severity::Warning));
        let k = Knowledge::load(&cfg.extensions()).map_err(|e| e.to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert!(k.model("claude-internal-1").is_some());
        assert!(k.middleware_tag.is_match("my-internal-gw-1"));
        assert_eq!(k.thresholds.quota.monthly_tokens, 50_000_000);
    }

    /// Every way a credential can sit on the line an error points at.
    const SECRET: &str = "hunter2-S3cret";
    const API_KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

    fn config_error(text: &str) -> String {
        parse_config("faultline.toml", text).err().map(|e| e.to_string()).unwrap_or_default()
    }

    /// The error of loading a config file with this text (after parsing: the presets are known).
    fn load_error(text: &str) -> String {
        let Ok(dir) = tempfile::tempdir() else { return "no temporary directory".into() };
        let path = dir.path().join("faultline.toml");
        if std::fs::write(&path, text).is_err() {
            return "cannot write the config".into();
        }
        Config::load(Some(&path), &RunContext::default()).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn config_errors_hide_credential_values_and_keep_the_caret() {
        for (text, at) in [
            (format!("[es]\napi_key = \"{API_KEY}\n"), "faultline.toml:2:"),
            (format!("[es]\npassword = {SECRET}\n"), "faultline.toml:2:12: invalid string"),
            (format!("[es]\npasword = \"{SECRET}\"\n"), "faultline.toml:2:1: unknown field `pasword`"),
            (format!("[es]\ncloud_auth = \"elastic:{SECRET}\" # old: {SECRET}\n"), "unknown field `cloud_auth`"),
            ("[es]\napi_key = 1234567890123\n".to_string(), "invalid type: integer `…`, expected a string"),
            (format!("[es]\nurl = \"https://elastic:{SECRET}@es:9200\" x\n"), "faultline.toml:2:48: expected newline"),
            (format!("[es]\nurl = \"https://elastic:pa ss{SECRET}@es:9200\" x\n"), "expected newline"),
            (format!("[es]\npassword = \"{SECRET}\\q\"\n"), "invalid escape sequence"),
            (format!("es.password = \"{SECRET}\"\nes.password = \"{SECRET}\"\n"), "duplicate key `password`"),
            (format!("[es]\npassword = \"\"\"\n{SECRET}\n\"\"\" junk\n"), "faultline.toml:4:5:"),
            (format!("es = {{ password = \"{SECRET}\", bogus = 1 }}\n"), "faultline.toml:1:37: unknown field `bogus`"),
            (format!("[ \"es\" ]\nuser_password = \"{SECRET}\"\n"), "unknown field `user_password`"),
            (format!("[anthropic]\nkey = \"{SECRET}\"\n"), "unknown field `anthropic`"),
            (
                format!("[lint]\nfail_level = \"eror\"\ntoken = \"{SECRET}\"\n"),
                "faultline.toml:2:14: unknown variant `eror`",
            ),
            (format!("[lint]\nselect = [\"FL0\"]\nauth = \"{SECRET}\"\n"), "unknown field `auth`"),
            (format!("[es] # pw {SECRET} \u{7}\n"), "faultline.toml:1:26: invalid table header"),
            (format!("  # {SECRET} \u{7}\n"), "character U+0007 is not allowed here"),
        ] {
            let err = config_error(&text);
            assert!(err.contains(at), "{text:?}:\n{err}");
            assert!(
                !err.contains(SECRET) && !err.contains("S3cret") && !err.contains(&API_KEY[8..20]),
                "{text:?}:\n{err}"
            );
            assert!(!err.contains("ss@") && !err.contains("1234567890123"), "{err}");
        }
        // What is not a secret stays readable, and the caret stays under what it pointed at.
        let err = config_error("[lint]\nfail_level = \"eror\"\n");
        assert!(err.ends_with("2 | fail_level = \"eror\"\n  |              ^"), "{err}");
        let err = config_error(&format!("[es]\nurl = \"https://elastic:{SECRET}@es:9200\" x\n"));
        assert!(
            err.ends_with("2 | url = \"https://elastic:…@es:9200\" x\n  |                                   ^"),
            "{err}"
        );
        let err = config_error(&format!("[es]\napi_key = \"{API_KEY}\n"));
        assert!(err.ends_with("2 | api_key = …\n  |            ^"), "the end of the line: {err}");
        let err = load_error("[diagnose]\nschema = \"ecss\"\n");
        assert!(
            err.contains(":2:10: unknown preset `ecss`, expected one of `faultline`, `ecs`")
                && err.contains("schema = \"ecss\""),
            "{err}"
        );
    }

    #[test]
    fn quoted_lines_keep_only_safe_values() {
        let es = vec!["es".to_string()];
        let q = quote_line("  password = \"pw\"   # was pw2", &es, 16);
        assert_eq!(q.text, "  password = …   # …");
        assert_eq!(q.caret, 14, "inside the hidden value: at its start");
        assert_eq!(q.hidden, vec!["\"pw\"".to_string(), "was pw2".to_string()]);
        let q = quote_line("index = \"claude-*\"", &es, 9);
        assert_eq!((q.text.as_str(), q.caret), ("index = \"claude-*\"", 9));
        let lint = vec!["lint".to_string(), "severity".to_string()];
        assert_eq!(quote_line("FL202 = \"eror\"", &lint, 9).text, "FL202 = \"eror\"");
        assert_eq!(
            quote_line("monthly_tokens = x", &["thresholds".into(), "quota".into()], 18).text,
            "monthly_tokens = x"
        );
        assert_eq!(quote_line("secret sauce", &[], 1).text, "…");
        assert_eq!(key_segments(" a.\"b.c\" . d"), vec!["a", "b.c", "d"]);
        assert_eq!(table_before("[es]\nx = 1\n[[models.extra]]\nid = 2\n", 4), vec!["models", "extra"]);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé\nx", 6), (2, 3));
        assert_eq!(line_col("", 5), (1, 1));
    }
}
