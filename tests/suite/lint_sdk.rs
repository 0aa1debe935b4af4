//! Requests produced by the official SDKs lint clean; broken variants of them are caught by
//! the right rule family. tests/sdk_capture.py sends the requests to a loopback capture server.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

fn lint_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::cargo_bin("faultline")
        .unwrap_or_else(|e| panic!("{e}"))
        .args(["lint", "--as-of", "2026-11-20", "--format", "json"])
        .args(args)
        .arg(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let doc =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), doc)
}

fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"].as_array().into_iter().flatten().filter_map(|f| f["code"].as_str().map(String::from)).collect()
}

fn capture(dir: &Path) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk_capture.py");
    let out = Command::new("python3").arg(script).arg(dir).output().unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(
        out.status.success(),
        "sdk_capture.py failed (pip install -r tests/requirements.txt):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect()
}

/// Replaces the first line whose name (before `:`) is `header`, case-insensitively.
fn edit_header(text: &str, header: &str, edit: impl Fn(&str) -> Option<String>) -> String {
    text.split_inclusive("\r\n")
        .filter_map(|line| {
            let is = line.split_once(':').is_some_and(|(n, _)| n.eq_ignore_ascii_case(header));
            if is {
                edit(line)
            } else {
                Some(line.to_string())
            }
        })
        .collect()
}

#[test]
fn sdk_requests_lint_clean_and_broken_variants_are_caught() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let files = capture(dir.path());
    assert!(files.len() >= 6, "{files:?}");
    assert!(files.iter().any(|f| f.contains("openai")), "{files:?}");

    let (code, doc) = lint_json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["summary"]["errors"], 0, "{doc:#}");
    assert_eq!(doc["summary"]["requests"], files.len());
    // The alias capture is the one warning: an unpinned alias.
    assert_eq!(codes(&doc), ["FL202"], "{doc:#}");

    for name in &files {
        let original = std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
        let native = !name.contains("openai");
        let mut variants: Vec<(&str, String)> = vec![
            ("FL0", edit_header(&original, "authorization", |l| Some(l.replacen("Bearer ", "bearer ", 1)))),
            ("FL0", edit_header(&original, "authorization", |l| Some(l.replacen("\r\n", " \r\n", 1)))),
            ("FL1", original.replacen("\"role\":\"user\"", "\"role\":\"human\"", 1)),
            ("FL2", original.replacen("\"model\":\"claude-", "\"model\":\"claude-x-", 1)),
            ("FL3", original.replacen("\"max_tokens\":", "\"max_tokens\":64000,\"old_max_tokens\":", 1)),
            ("FL4", edit_header(&original, "content-type", |_| Some("Content-Type: text/plain\r\n".to_string()))),
        ];
        if native {
            variants.push(("FL4", edit_header(&original, "anthropic-version", |_| None)));
        }
        for (family, text) in variants {
            if name.contains("streaming") && family == "FL3" {
                continue; // streaming requests may ask for many tokens
            }
            assert_ne!(text, original, "{name}: the {family} mutation did not apply");
            let case = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(case.path().join(name), &text).unwrap_or_default();
            let (_, doc) = lint_json(case.path(), &["--fail-level", "warning"]);
            let found = codes(&doc);
            assert!(found.iter().any(|c| c.starts_with(family)), "{name}: {family} variant not caught: {found:?}");
        }
    }
}
