//! The binary's contract: explain, rules, help, version, config errors, exit codes.

use assert_cmd::Command;
use predicates::prelude::*;

fn faultline() -> Command {
    let mut cmd = Command::cargo_bin("faultline").unwrap_or_else(|e| panic!("{e}"));
    // Tests never pick up a developer's own config file.
    cmd.env("XDG_CONFIG_HOME", "/nonexistent").env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    cmd
}

#[test]
fn version_prints() {
    faultline().arg("--version").assert().success().stdout(predicate::str::starts_with("faultline 0."));
}

#[test]
fn explain_lint_code() {
    faultline()
        .args(["explain", "FL001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("# FL001 auth-line-break"))
        .stdout(predicate::str::contains("## Fix"));
}

#[test]
fn explain_status_code() {
    faultline()
        .args(["explain", "529"])
        .assert()
        .success()
        .stdout(predicate::str::contains("# 529 Overloaded"))
        .stdout(predicate::str::contains("overloaded_error"))
        .stdout(predicate::str::contains("upstream.provider_overload"));
}

#[test]
fn explain_root_cause_with_numbers() {
    faultline()
        .args(["explain", "upstream.middleware_exhaustion"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Gateway / middleware exhaustion"))
        .stdout(predicate::str::contains("Cap client concurrency at 100"));
}

#[test]
fn explain_unknown_suggests() {
    faultline().args(["explain", "5299"]).assert().code(2).stderr(predicate::str::contains("did you mean `529`?"));
    faultline()
        .args(["explain", "traffic.quota"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("traffic.quota_exhausted"));
}

#[test]
fn explain_json_is_valid() {
    let out = faultline().args(["explain", "FL203", "--format", "json"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["code"], "FL203");
    assert_eq!(v["kind"], "lint_rule");
}

#[test]
fn rules_json_lists_every_code_and_cause() {
    let out = faultline().args(["rules", "--format", "json"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> =
        v["lint_rules"].as_array().into_iter().flatten().filter_map(|r| r["code"].as_str()).collect();
    let want: Vec<&str> = faultline::lint::codes::RULES.iter().map(|r| r.code).collect();
    assert_eq!(codes, want);
    let causes: Vec<&str> =
        v["root_causes"].as_array().into_iter().flatten().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(causes.len(), 12);
    assert!(causes.contains(&"traffic.quota_exhausted"));
}

#[test]
fn rules_human_lists_codes() {
    faultline()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("FL001"))
        .stdout(predicate::str::contains("upstream.network_loss"));
}

#[test]
fn lint_help_shows_final_flags() {
    let assert = faultline().args(["lint", "--help"]).assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    for flag in
        ["--format", "--fix", "--unsafe-fixes", "--diff", "--provider", "--select", "--ignore", "--fail-level", "sarif"]
    {
        assert!(out.contains(flag), "lint --help lacks {flag}:\n{out}");
    }
}

#[test]
fn diagnose_help_shows_final_flags() {
    let assert = faultline().args(["diagnose", "--help"]).assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    for flag in [
        "--es",
        "--index",
        "--since",
        "--from",
        "--to",
        "--schema",
        "--field",
        "--format",
        "--interactive",
        "--no-interactive",
        "Exit codes",
    ] {
        assert!(out.contains(flag), "diagnose --help lacks {flag}:\n{out}");
    }
}

#[test]
fn bad_flag_is_usage_error() {
    faultline().args(["lint", "--format", "xml", "x.json"]).assert().code(2);
    faultline().args(["explain"]).assert().code(2);
}

#[test]
fn config_unknown_key_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("faultline.toml"), "[lint]\nselect = [\"FL0\"]\nfail_levl = \"error\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    faultline()
        .current_dir(dir.path())
        .args(["explain", "FL001"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("faultline.toml:3:1: unknown field `fail_levl`"));
}

#[test]
fn config_wrong_type_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cfg = dir.path().join("custom.toml");
    std::fs::write(&cfg, "[thresholds.retry]\nmax_attempts = \"five\"\n").unwrap_or_else(|e| panic!("{e}"));
    faultline()
        .arg("--config")
        .arg(&cfg)
        .arg("rules")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("custom.toml:2:16:"));
}

#[test]
fn config_is_found_in_an_ancestor_and_applied() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("faultline.toml"), "[thresholds.rate_limit]\nbaseline_concurrency = 64\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let nested = dir.path().join("a").join("b");
    std::fs::create_dir_all(&nested).unwrap_or_else(|e| panic!("{e}"));
    faultline()
        .current_dir(&nested)
        .args(["explain", "traffic.rate_limit"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Cap concurrency at 64"));
}

#[test]
fn missing_explicit_config_is_an_error() {
    faultline()
        .args(["--config", "/nonexistent/faultline.toml", "rules"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config file not found"));
}

#[cfg(unix)]
#[test]
fn broken_pipe_exits_zero() {
    use std::process::{Command as Std, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("faultline");
    // `faultline completions powershell | head -c1`: the reader closes after one byte.
    let mut child = Std::new(bin)
        .args(["completions", "powershell"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    drop(child.stdout.take());
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(0));
}

/// Issue 12 item 4: a key typed where a code, a format, a file or a value belongs is never
/// echoed, whichever part of the program reports the mistake (clap or the command).
#[test]
fn a_key_typed_as_an_argument_is_never_echoed() {
    let key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghij-KLMNOP";
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases: Vec<Vec<String>> = vec![
        vec!["explain".into(), key.into()],
        vec!["lint".into(), "--select".into(), key.into(), "x.json".into()],
        vec!["lint".into(), "--ignore".into(), format!("FL001,{key}"), "-".into()],
        vec!["diagnose".into(), "--format".into(), key.into()],
        vec!["diagnose".into(), key.into()],
        vec!["diagnose".into(), "--schema".into(), key.into(), "x".into()],
        vec!["diagnose".into(), "--since".into(), key.into(), "x".into()],
        vec!["diagnose".into(), "--field".into(), format!("status={key}"), "x".into()],
        vec!["rules".into(), "--format".into(), key.into()],
        vec!["probe".into(), "--model".into(), key.into()],
        vec![key.into()],
    ];
    for args in cases {
        let out = faultline().current_dir(dir.path()).args(&args).write_stdin("").output();
        let out = out.unwrap_or_else(|e| panic!("{e}"));
        let shown = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(!shown.contains("AbCdEfGhIj"), "{args:?} echoed the key:\n{shown}");
        assert!(!out.status.success() || args[0] == "lint", "{args:?} should fail");
    }
}

/// The study is cited by what it is, in one place, and by name everywhere else (issue 12, item 24).
#[test]
fn output_cites_the_study_by_name_not_seed_000() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = std::fs::read_to_string(root.join("docs/sources.md")).unwrap_or_default();
    assert!(sources.contains("the Elasticsearch study of 126,472 Claude API requests, March–May 2026"), "{sources}");
    for args in [
        &["explain", "client.auth_header"][..],
        &["explain", "upstream.provider_overload"],
        &["explain", "503"],
        &["rules"],
    ] {
        let out = faultline().args(args).output().unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}");
        assert!(!text.to_lowercase().contains("seed 00"), "{args:?} cites a seed: {text}");
    }
    // Every lint code's and every cause's explanation (what SARIF carries too).
    let rules = faultline().args(["rules", "--format", "json"]).output().unwrap_or_else(|e| panic!("{e}"));
    let listed: serde_json::Value = serde_json::from_slice(&rules.stdout).unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<String> = Vec::new();
    for list in ["lint_rules", "root_causes"] {
        for entry in listed[list].as_array().into_iter().flatten() {
            if let Some(id) = entry["code"].as_str().or_else(|| entry["id"].as_str()) {
                names.push(id.to_string());
            }
        }
    }
    assert!(names.len() > 20, "{names:?}");
    for name in &names {
        let out = faultline().args(["explain", name]).output().unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
        assert!(!text.contains("seed 00"), "explain {name} cites a seed: {text}");
    }
    let out = faultline().args(["explain", "client.auth_header"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the Elasticsearch study"));
    for rules in ["rules/causes.toml", "rules/status_codes.toml", "rules/thresholds.toml", "rules/signatures.toml"] {
        let text = std::fs::read_to_string(root.join(rules)).unwrap_or_default();
        assert!(!text.to_lowercase().contains("seed 00"), "{rules} cites a seed");
    }
}

/// Docs point only inside the repository and say nothing stale (issue 12, item 24).
#[test]
fn docs_point_only_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    pages.extend(std::fs::read_dir(root.join("docs")).into_iter().flatten().flatten().map(|e| e.path()));
    pages.extend(std::fs::read_dir(root.join("rules")).into_iter().flatten().flatten().map(|e| e.path()));
    for page in pages.iter().filter(|p| p.extension().is_some_and(|e| e == "md" || e == "toml" || e == "txt")) {
        let text = std::fs::read_to_string(page).unwrap_or_default();
        for stale in ["../shared", "DESIGN.md", "seed 000", "not available yet"] {
            assert!(!text.contains(stale), "{} says {stale:?}", page.display());
        }
        // Every relative Markdown link resolves to a file of the repository.
        let dir = page.parent().unwrap_or(root);
        for link in text.split("](").skip(1).filter_map(|rest| rest.split(')').next()) {
            let target = link.split('#').next().unwrap_or_default();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = dir.join(target);
            assert!(resolved.exists(), "{} links to {link}, which is not in the repository", page.display());
            let inside = resolved.canonicalize().map(|p| p.starts_with(root.canonicalize().unwrap_or_default()));
            assert!(inside.unwrap_or(false), "{} links outside the repository: {link}", page.display());
        }
    }
}
