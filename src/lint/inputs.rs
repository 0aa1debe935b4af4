//! The inputs of a run: the paths named on the command line, directories walked.

use std::path::{Path, PathBuf};

/// Extensions picked up when a directory is walked (files named explicitly are always read).
const EXTENSIONS: &[&str] = &["json", "ndjson", "jsonl", "har", "http", "txt", "curl", "sh", "req", "log", "request"];

/// One input named on the command line, expanded.
pub enum Input {
    File(PathBuf),
    Stdin,
    Missing(String, String),
}

pub fn expand(paths: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, &mut out),
            Ok(_) => out.push(Input::File(path)),
            Err(e) => out.push(Input::Missing(p.clone(), e.to_string())),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            out.push(Input::Missing(dir.display().to_string(), e.to_string()));
            return;
        }
    };
    entries.sort();
    for p in entries {
        let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(Input::File(p));
        }
    }
}
