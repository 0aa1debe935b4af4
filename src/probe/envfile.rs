//! `.env` and `.envrc` files in a directory and its ancestors: the values they would set for
//! the variables the probe cares about. dotenv loaders and direnv read these files when a
//! process starts in (or below) that directory, so a stale key in one of them is what the
//! process really sends while the shell holds another.
//!
//! The syntax read is the common subset of python-dotenv, dotenv (Node) and direnv's
//! `export NAME=value`: `NAME=value`, optional `export `, `#` comments, single quotes (literal),
//! double quotes (with `\"`, `\\` and `\n` escapes), and unquoted values trimmed, ending at ` #`.
//! A value the shell computes (`$(…)`, `${…}`, `$NAME`) is reported as such, not compared.

use std::path::{Path, PathBuf};

/// The file names looked for, in each directory.
pub const FILE_NAMES: [&str; 2] = [".env", ".envrc"];
/// Larger files are not read (an env file is a few lines).
const SIZE_LIMIT: u64 = 1024 * 1024;

/// One assignment found.
#[derive(Clone, PartialEq, Eq)]
pub struct Assignment {
    pub path: PathBuf,
    pub line: usize,
    pub name: String,
    /// `None` when the shell computes the value.
    pub value: Option<String>,
}

impl std::fmt::Debug for Assignment {
    // The value may be a key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assignment")
            .field("path", &self.path)
            .field("line", &self.line)
            .field("name", &self.name)
            .field("value", &self.value.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Every assignment of one of `names` in the env files of `dir` and its ancestors, nearest
/// directory first. Unreadable files are skipped.
pub fn scan(dir: &Path, names: &[&str]) -> Vec<Assignment> {
    let mut out = Vec::new();
    let mut current = Some(dir);
    while let Some(d) = current {
        for file in FILE_NAMES {
            let path = d.join(file);
            let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= SIZE_LIMIT);
            if !small {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&path) {
                let text = String::from_utf8_lossy(&bytes);
                for (line, name, value) in parse(&text) {
                    if names.contains(&name.as_str()) {
                        out.push(Assignment { path: path.clone(), line, name, value });
                    }
                }
            }
        }
        current = d.parent();
    }
    out
}

/// `(line, name, value)` for every assignment in the text (1-based lines).
pub fn parse(text: &str) -> Vec<(usize, String, Option<String>)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let raw = lines[i].strip_suffix('\r').unwrap_or(lines[i]);
        i += 1;
        let line = raw.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let Some((name, rest)) = line.split_once('=') else { continue };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = rest.trim_start_matches([' ', '\t']);
        let value = if let Some(body) = rest.strip_prefix('\'') {
            // Single quotes: literal, may span lines.
            let mut text = body.to_string();
            while !text.contains('\'') && i < lines.len() {
                text.push('\n');
                text.push_str(lines[i]);
                i += 1;
            }
            text.find('\'').map(|end| text[..end].to_string())
        } else if let Some(body) = rest.strip_prefix('"') {
            let mut text = body.to_string();
            while closing_quote(&text).is_none() && i < lines.len() {
                text.push('\n');
                text.push_str(lines[i]);
                i += 1;
            }
            closing_quote(&text).map(|end| unescape(&text[..end])).filter(|v| !computed(v))
        } else {
            let end = rest.find(" #").or_else(|| rest.find("\t#")).unwrap_or(rest.len());
            Some(rest[..end].trim_end().to_string()).filter(|v| !computed(v))
        };
        out.push((number, name.to_string(), value));
    }
    out
}

/// Whether the shell, not the file, decides the value.
fn computed(value: &str) -> bool {
    value.contains("$(") || value.contains("${") || value.contains('`') || {
        let mut chars = value.chars().peekable();
        let mut found = false;
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_alphabetic() || *n == '_') {
                found = true;
                break;
            }
        }
        found
    }
}

/// Byte index of the first unescaped `"`.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(usize, String, Option<String>)> {
        parse(text)
    }

    #[test]
    fn dotenv_and_direnv_forms() {
        let text = "# comment\nANTHROPIC_API_KEY=sk-ant-api03-plain  # trailing comment\n\
            export ANTHROPIC_AUTH_TOKEN='single # not a comment'\nQUOTED=\"a\\\"b\\nc\"\n\
            EMPTY=\nnot a line\nCOMPUTED=$(pass show anthropic)\nREF=${OTHER}\r\nSPACED = spaced \n";
        let got = values(text);
        let find = |n: &str| got.iter().find(|(_, name, _)| name == n).cloned();
        assert_eq!(find("ANTHROPIC_API_KEY"), Some((2, "ANTHROPIC_API_KEY".into(), Some("sk-ant-api03-plain".into()))));
        assert_eq!(find("ANTHROPIC_AUTH_TOKEN").and_then(|a| a.2).as_deref(), Some("single # not a comment"));
        assert_eq!(find("QUOTED").and_then(|a| a.2).as_deref(), Some("a\"b\nc"));
        assert_eq!(find("EMPTY").and_then(|a| a.2).as_deref(), Some(""));
        assert_eq!(find("COMPUTED").map(|a| a.2), Some(None));
        assert_eq!(find("REF").map(|a| a.2), Some(None));
        assert_eq!(find("SPACED").and_then(|a| a.2).as_deref(), Some("spaced"));
        assert_eq!(got.len(), 7);
    }

    #[test]
    fn a_key_with_a_trailing_space_inside_quotes_keeps_it() {
        let got = values("ANTHROPIC_API_KEY=\"sk-ant-api03-x \"\n");
        assert_eq!(got.first().and_then(|a| a.2.clone()).as_deref(), Some("sk-ant-api03-x "));
    }

    #[test]
    fn multi_line_quotes_and_unterminated_ones() {
        let got = values("A='one\ntwo'\nB=\"never closed\n");
        assert_eq!(got.first().and_then(|a| a.2.clone()).as_deref(), Some("one\ntwo"));
        assert_eq!(got.get(1).map(|a| a.2.clone()), Some(None));
    }

    #[test]
    fn scan_walks_up_and_skips_other_names() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let child = dir.path().join("svc");
        std::fs::create_dir_all(&child).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(".env"), "ANTHROPIC_API_KEY=parent\nOTHER=x\n")
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(child.join(".envrc"), "export ANTHROPIC_API_KEY=child\n").unwrap_or_else(|e| panic!("{e}"));
        let found = scan(&child, &["ANTHROPIC_API_KEY"]);
        let got: Vec<(String, Option<String>)> = found
            .iter()
            .map(|a| {
                (a.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(), a.value.clone())
            })
            .collect();
        assert_eq!(got[..2], [(".envrc".into(), Some("child".into())), (".env".into(), Some("parent".into()))]);
        assert!(!format!("{found:?}").contains("child\""), "{found:?}");
    }
}
