//! Regressions found in review: credentials in `--es` URLs are never printed, a huge timeout is
//! a usage error, and every skipped-line warning names `file:line[:col]: reason`.

use assert_cmd::Command;

fn faultline() -> Command {
    let mut cmd = match Command::cargo_bin("faultline") {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env("CI", "1");
    for var in ["URL", "CLOUD_ID", "API_KEY", "USERNAME", "PASSWORD"] {
        cmd.env_remove(format!("FAULTLINE_ES_{var}"));
    }
    cmd
}

fn run(cmd: &mut Command) -> (Option<i32>, String) {
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), all)
}

#[test]
fn an_es_url_without_a_scheme_never_prints_its_password() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for extra in [&[][..], &["--watch", "1s"][..], &["--format", "json"][..]] {
        let mut cmd = faultline();
        cmd.current_dir(dir.path()).args(["diagnose", "--no-interactive", "--es", "elastic:S3cretPW@localhost:9200"]);
        cmd.args(extra);
        let (code, all) = run(&mut cmd);
        assert_eq!(code, Some(2), "{extra:?}: {all}");
        assert!(!all.contains("S3cretPW"), "{extra:?}: the password was printed: {all}");
        assert!(all.contains("elastic:…@localhost:9200"), "{extra:?}: {all}");
    }
}

#[test]
fn a_huge_es_timeout_is_a_usage_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for timeout in ["100000000000000000000000000000", "99999999999999999999999w"] {
        let (code, all) = run(faultline().current_dir(dir.path()).args([
            "diagnose",
            "--no-interactive",
            "--es",
            "http://127.0.0.1:9",
            "--es-timeout",
            timeout,
        ]));
        assert_eq!(code, Some(2), "{timeout}: {all}");
        assert!(all.contains("--es-timeout") && !all.contains("panicked"), "{timeout}: {all}");
    }
    std::fs::write(
        dir.path().join("faultline.toml"),
        "[es]\nurl = \"http://127.0.0.1:9\"\ntimeout = \"100000000000000000000000000000s\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, all) = run(faultline().current_dir(dir.path()).args(["diagnose", "--no-interactive"]));
    assert_eq!(code, Some(2), "[es] timeout: {all}");
    assert!(!all.contains("panicked"), "{all}");
}

#[test]
fn every_skipped_line_warning_names_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("weird.ndjson");
    let lines = [
        r#"{"@timestamp":"2026-11-18T08:00:00Z","status_code":200}"#,
        r#"{"@timestamp":"2026-11-18T08:00:01Z","status_code":"abc"}"#,
        r#"{"@timestamp":"yesterday","status_code":500}"#,
        r#"{"@timestamp":"2026-11-18T08:00:03Z","status_code":2"#,
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap_or_else(|e| panic!("{e}"));
    let out = faultline()
        .current_dir(dir.path())
        .args(["diagnose", "--no-interactive", "--format", "json", "weird.ndjson"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: skipped weird.ndjson:2: status is not a number"), "{stderr}");
    assert!(stderr.contains("warning: skipped weird.ndjson:3: timestamp is neither"), "{stderr}");
    assert!(stderr.contains("warning: skipped weird.ndjson:4:52: not a valid JSON object"), "{stderr}");
    for line in stderr.lines().filter(|l| l.starts_with("warning: skipped weird.ndjson")) {
        let rest = line.trim_start_matches("warning: skipped weird.ndjson:");
        let (number, _) = rest.split_once(':').unwrap_or_default();
        assert!(number.parse::<u64>().is_ok(), "no line number in {line:?}");
    }
}

#[test]
fn field_overrides_are_parsed_the_same_for_files_and_the_cluster() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("a.ndjson"), "").unwrap_or_else(|e| panic!("{e}"));
    for field in ["nope=x", "status", "status=a..b"] {
        let (local_code, local) = run(faultline().current_dir(dir.path()).args([
            "diagnose",
            "--no-interactive",
            "a.ndjson",
            "--field",
            field,
        ]));
        let (es_code, es) = run(faultline().current_dir(dir.path()).args([
            "diagnose",
            "--no-interactive",
            "--es",
            "http://127.0.0.1:9",
            "--es-timeout",
            "1s",
            "--field",
            field,
        ]));
        assert_eq!((local_code, es_code), (Some(2), Some(2)), "{field}: {local} / {es}");
        assert_eq!(local, es, "{field}: the two backends word it differently");
    }
}

#[test]
fn a_key_with_letters_only_segments_in_an_error_message_is_never_printed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let segment = "abcdefghijklmnopqrstuvwxyzabcdefgh";
    let key = format!("sk-ant-api03-{segment}-ZYXWVUTSRQPONMLKJIHGFEDCBAzyxw");
    let mut text = String::new();
    for i in 0..30 {
        text.push_str(&format!(
            r#"{{"@timestamp":"2026-11-18T08:{i:02}:00Z","request_id":"r{i}","status_code":401,"error_type":"authentication_error","error_message":"invalid x-api-key {key}","api_key_hash":"sha256:33333333"}}"#
        ));
        text.push('\n');
    }
    std::fs::write(dir.path().join("keys.ndjson"), text).unwrap_or_else(|e| panic!("{e}"));
    for format in ["human", "json", "markdown"] {
        let (code, all) = run(faultline().current_dir(dir.path()).args([
            "diagnose",
            "--no-interactive",
            "--format",
            format,
            "keys.ndjson",
        ]));
        assert_eq!(code, Some(0), "{format}: {all}");
        assert!(!all.contains(segment) && !all.contains("ZYXWVUTSRQPON"), "{format}: key material printed: {all}");
        assert!(all.contains("invalid x-api-key"), "{format}: the message itself is gone: {all}");
    }
}
