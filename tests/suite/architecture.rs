//! The module layers of docs/architecture.md, checked on the source: no import cycle between
//! the top-level modules of `src/` (a module is the first path component under `src/`), and
//! the command line and the process context are read only where commands are wired.
//!
//! The scan reads every `src/**/*.rs` without compiling it: comments and literals are blanked,
//! then every path that starts at the crate root is an edge from the file's top-level module to
//! the path's first segment: `crate::x…`, `use crate::{x, y::z}`, `super::…` that climbs out
//! of the top-level module (inline `mod name { … }` blocks counted), and `faultline::x…` in the
//! binary (`main.rs`, module `main`).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// Modules that may read the command line (`cli`) or the process context (`context`): the
/// binary, the commands, the context itself (`--color`), and the config (found from the
/// context's working directory).
const READS_THE_COMMAND_LINE: &[&str] = &["main", "commands", "context", "config"];

/// Where one edge was seen: file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Site {
    file: String,
    line: usize,
}

type Graph = BTreeMap<String, BTreeMap<String, Vec<Site>>>;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/`: `lint/codes.rs` is `[lint, codes]`, `logs/es/mod.rs`
/// is `[logs, es]`, `main.rs` is `[main]`; `lib.rs` is the root (`[]`).
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" && !(parts.is_empty() && stem == "lib") {
            parts.push(stem);
        }
    }
    parts
}

/// The source with comments, string, byte-string, raw-string and char literals replaced by
/// spaces (newlines kept, so lines still count).
fn blank_comments_and_literals(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
                out.push(' ');
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0usize;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let after = chars.get(i).copied();
            let raw = (word == "r" || word == "br") && matches!(after, Some('"') | Some('#'));
            if raw {
                let mut hashes = 0;
                let mut j = i;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) == Some(&'"') {
                    // r#"…"#: ends at a quote followed by as many hashes.
                    for _ in start..=j {
                        out.push(' ');
                    }
                    i = j + 1;
                    while i < chars.len() {
                        let closes = chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#'));
                        if closes {
                            for _ in 0..=hashes {
                                out.push(' ');
                            }
                            i += hashes + 1;
                            break;
                        }
                        blank(&mut out, chars[i]);
                        i += 1;
                    }
                    continue;
                }
            }
            if word == "b" && matches!(after, Some('"') | Some('\'')) {
                // b"…" and b'…': the literal follows.
                out.push(' ');
                continue;
            }
            out.push_str(&word);
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() {
                match chars[i] {
                    '\\' => {
                        blank(&mut out, chars[i]);
                        if let Some(&e) = chars.get(i + 1) {
                            blank(&mut out, e);
                        }
                        i += 2;
                    }
                    '"' => {
                        out.push(' ');
                        i += 1;
                        break;
                    }
                    other => {
                        blank(&mut out, other);
                        i += 1;
                    }
                }
            }
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F600}', '\'') or a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&j| chars[j] == '\'' && j > i + 2)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for &ch in &chars[i..=end] {
                        blank(&mut out, ch);
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Other,
}

/// Identifiers, `::`, braces and commas, each with its line.
fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((
                match c {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    ',' => Tok::Comma,
                    _ => Tok::Other,
                },
                line,
            ));
            i += 1;
        }
    }
    out
}

/// The first segments named by a `{ a, b::c, d::{…} }` group starting at `toks[open]`.
fn group_heads(toks: &[(Tok, usize)], open: usize) -> Vec<(String, usize)> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut expect_head = false;
    for (tok, line) in &toks[open..] {
        match tok {
            Tok::Open => {
                depth += 1;
                expect_head = depth == 1;
            }
            Tok::Close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Tok::Comma if depth == 1 => expect_head = true,
            Tok::Ident(name) if expect_head => {
                heads.push((name.clone(), *line));
                expect_head = false;
            }
            _ => expect_head = false,
        }
    }
    heads
}

/// The crate-root names one file refers to, each with its line: `module` is the file's module
/// path, `root` the names that start a path at the crate root (`crate`, and `faultline` in the
/// binary).
fn root_references(src: &str, module: &[String], roots: &[&str]) -> Vec<(String, usize)> {
    let toks = tokens(&blank_comments_and_literals(src));
    let ident = |i: usize| match toks.get(i) {
        Some((Tok::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let is = |i: usize, t: &Tok| toks.get(i).is_some_and(|(x, _)| x == t);
    let mut found = Vec::new();
    // Inline modules: (brace depth inside the block).
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Open => depth += 1,
            Tok::Close => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(word) if word == "mod" && ident(i + 1).is_some() && is(i + 2, &Tok::Open) => {
                inline.push(depth + 1);
            }
            Tok::Ident(word) => {
                // A path that starts here reaches the crate root after `skip` tokens, or not.
                let preceded_by_path = i > 0 && is(i - 1, &Tok::Path);
                let at_root = if preceded_by_path {
                    None
                } else if roots.contains(&word.as_str()) && is(i + 1, &Tok::Path) {
                    Some(i + 2)
                } else if word == "super" && is(i + 1, &Tok::Path) {
                    let mut climbs = 0;
                    let mut j = i;
                    while ident(j) == Some("super") && is(j + 1, &Tok::Path) {
                        climbs += 1;
                        j += 2;
                    }
                    let depth_here = module.len() + inline.len();
                    (climbs >= depth_here).then_some(j)
                } else {
                    None
                };
                if let Some(at) = at_root {
                    match toks.get(at) {
                        Some((Tok::Ident(name), line)) => found.push((name.clone(), *line)),
                        Some((Tok::Open, _)) => found.extend(group_heads(&toks, at)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The import graph between top-level modules: from → to → where.
fn graph() -> (Graph, BTreeSet<String>) {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let relative: Vec<PathBuf> =
        files.iter().map(|f| f.strip_prefix(&src).map(Path::to_path_buf).unwrap_or_else(|_| f.clone())).collect();
    let tops: BTreeSet<String> = relative.iter().filter_map(|r| module_path(r).first().cloned()).collect();
    let mut g: Graph = BTreeMap::new();
    for (file, rel) in files.iter().zip(&relative) {
        let module = module_path(rel);
        let Some(from) = module.first() else { continue };
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let roots: &[&str] = if from == "main" { &["crate", "faultline"] } else { &["crate"] };
        for (to, line) in root_references(&text, &module, roots) {
            if &to != from && tops.contains(&to) {
                let site = Site { file: format!("src/{}", rel.display()), line };
                g.entry(from.clone()).or_default().entry(to).or_default().push(site);
            }
        }
    }
    (g, tops)
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(g: &Graph, tops: &BTreeSet<String>) -> Vec<Vec<String>> {
    struct State<'g> {
        g: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let g = s.g;
        for w in g.get(v).map(|m| m.keys().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in tops {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// One shortest cycle through `start` inside `component`, as module names (start repeated at
/// the end).
fn one_cycle(g: &Graph, component: &[String], start: &str) -> Vec<String> {
    let inside: BTreeSet<&str> = component.iter().map(String::as_str).collect();
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in g.get(v).map(|m| m.keys().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default() {
            if !inside.contains(w) {
                continue;
            }
            if w == start {
                let mut path = vec![start.to_string()];
                let mut at = v;
                while at != start {
                    path.push(at.to_string());
                    at = came_from[at];
                }
                path.push(start.to_string());
                path.reverse();
                return path;
            }
            if !came_from.contains_key(w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start.to_string()]
}

fn describe_edge(g: &Graph, from: &str, to: &str) -> String {
    let sites = g.get(from).and_then(|m| m.get(to)).cloned().unwrap_or_default();
    let shown: Vec<String> = sites.iter().take(3).map(|s| format!("{}:{}", s.file, s.line)).collect();
    let more = if sites.len() > 3 { format!(" and {} more", sites.len() - 3) } else { String::new() };
    format!("  {from} -> {to}  ({}{more})", shown.join(", "))
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let (g, tops) = graph();
    assert!(tops.contains("diagnose") && tops.contains("main"), "the scan found no modules: {tops:?}");
    let mut report = String::new();
    for component in cycles(&g, &tops) {
        let cycle = one_cycle(&g, &component, &component[0]);
        report.push_str(&format!("cycle: {}\n", cycle.join(" -> ")));
        for pair in cycle.windows(2) {
            report.push_str(&describe_edge(&g, &pair[0], &pair[1]));
            report.push('\n');
        }
        report.push_str(&format!("  every edge inside the knot of {}:\n", component.join(", ")));
        for from in &component {
            for to in g.get(from).map(|m| m.keys().collect::<Vec<_>>()).unwrap_or_default() {
                if component.contains(to) {
                    report.push_str(&format!("  {}\n", describe_edge(&g, from, to)));
                }
            }
        }
    }
    assert!(report.is_empty(), "import cycles between the top-level modules of src/:\n{report}");
}

#[test]
fn only_the_commands_read_the_command_line_and_the_process_context() {
    let (g, _) = graph();
    let mut found = Vec::new();
    for (from, targets) in &g {
        for to in ["cli", "context"] {
            if targets.contains_key(to) && !READS_THE_COMMAND_LINE.contains(&from.as_str()) {
                found.push(describe_edge(&g, from, to));
            }
        }
    }
    assert!(
        found.is_empty(),
        "domain modules take plain option structs; only {READS_THE_COMMAND_LINE:?} import cli/context:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_reads_every_way_a_path_reaches_the_crate_root() {
    let module = ["interactive".to_string(), "watch".to_string()];
    let src = r##"
        use super::views::Paint;            // sibling: not an edge
        use crate::report::diagnosis::fmt_n;
        use crate::{diagnose::model::Diagnosis, error, knowledge::{self, Layer}};
        // crate::commented_out
        const S: &str = "crate::in_a_string";
        const R: &str = r#"crate::in_a_raw_string "quoted""#;
        const C: char = '"';
        fn f<'a>(x: &'a str) -> &'a str { x }
        pub(crate) fn g() { let _ = super::super::logs::render(); }
        mod tests {
            use super::super::views;        // still inside interactive
            use super::super::super::progress::Bar;
        }
        fn h() { let _ = super::super::capture::x; }
    "##;
    let got: Vec<String> = root_references(src, &module, &["crate"]).into_iter().map(|(n, _)| n).collect();
    assert_eq!(got, ["report", "diagnose", "error", "knowledge", "logs", "progress", "capture"]);
    assert_eq!(module_path(Path::new("logs/es/mod.rs")), ["logs", "es"]);
    assert_eq!(module_path(Path::new("lib.rs")), Vec::<String>::new());
    assert_eq!(module_path(Path::new("main.rs")), ["main"]);
}
