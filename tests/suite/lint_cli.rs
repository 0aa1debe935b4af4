//! `faultline lint` end to end: every input format, exit codes, select/ignore/config, stdin,
//! fixes round-tripped, golden output per format, and no full key in any output.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

const KEY: &str =
    "sk-ant-api03-FAKEfakeFAKEfake0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-AbCdEfAA";
/// Any 16 characters of the key past its safe prefix: none may ever be printed.
const KEY_BODY: &str = "FAKEfakeFAKEfake0123";
/// A password (curl -u, URL userinfo, `?api_key=`) and a part of it that may never be printed.
const PASSWORD: &str = "Tr0ub4dor+Horse/Battery=Staple";
const PASSWORD_BODY: &str = "b4dor";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

fn faultline(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("faultline").unwrap_or_else(|e| panic!("{e}"));
    cmd.current_dir(dir).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env("COLUMNS", "200");
    cmd.args(["--color", "never"]);
    cmd
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let out = faultline(dir)
        .arg("lint")
        .args(["--as-of", "2026-11-20"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run_stdin(dir: &Path, args: &[&str], input: &str) -> Out {
    use std::io::Write;
    let mut child = faultline(dir)
        .arg("lint")
        .args(["--as-of", "2026-11-20"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `file:line:col code` for each finding of the concise output.
fn located(out: &Out) -> Vec<String> {
    out.stdout
        .lines()
        .filter_map(|l| {
            let (place, rest) = l.split_once(": ")?;
            let code = rest.split_once('[')?.1.split_once(']')?.0;
            Some(format!("{place} {code}"))
        })
        .collect()
}

#[test]
fn clean_captures_of_every_format_lint_clean() {
    let out = run(&fixtures(), &["--format", "concise", "clean"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("11 request(s) (8 file(s))"), "{}", out.stderr);
}

fn expect(file: &str, wanted: &[&str]) {
    let out = run(&fixtures(), &["--format", "concise", file]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let got = located(&out);
    for w in wanted {
        assert!(got.iter().any(|g| g == &format!("{file}:{w}")), "{w} not in {got:#?}");
    }
}

#[test]
fn raw_http_positions_refer_to_the_file() {
    expect(
        "broken/raw.http",
        &["3:16 FL004", "3:133 FL001", "8:12 FL201", "16:15 FL102", "17:18 FL103", "21:23 FL106"],
    );
}

#[test]
fn json_envelope_positions_include_escapes() {
    // The zero-width space is the six characters `\u200b` in the file.
    expect("broken/envelope.json", &["5:129 FL003", "10:14 FL201", "18:17 FL102"]);
}

#[test]
fn har_every_entry_is_linted() {
    expect("broken/session.har", &["14:22 FL401", "17:25 FL002", "17:136 FL001", "26:34 FL201"]);
}

#[test]
fn curl_command_with_ansi_c_quotes_and_default_content_type() {
    expect("broken/request.curl", &["2:129 FL001", "4:3 FL403", "4:17 FL201"]);
}

#[test]
fn log_documents_faultline_and_ecs_fields() {
    expect("broken/log.json", &["8:29 FL005", "11:32 FL201", "11:149 FL102"]);
    expect("broken/ecs.json", &["10:23 FL008", "13:33 FL201"]);
}

#[test]
fn bare_body_and_ndjson_lines() {
    expect("broken/body.json", &["2:12 FL201", "10:15 FL102", "15:23 FL106"]);
    expect("broken/stream.ndjson", &["2:202 FL201", "3:11 FL201", "3:172 FL106"]);
}

#[test]
fn ndjson_on_stdin_with_dash() {
    let text = std::fs::read_to_string(fixtures().join("broken/stream.ndjson")).unwrap_or_default();
    let out = run_stdin(&fixtures(), &["--format", "concise", "--stdin-filename", "captured.ndjson", "-"], &text);
    assert_eq!(out.code, 1);
    let got = located(&out);
    assert!(got.contains(&"captured.ndjson:3:11 FL201".to_string()), "{got:?}");
    let clean = std::fs::read_to_string(fixtures().join("clean/stream.ndjson")).unwrap_or_default();
    let out = run_stdin(&fixtures(), &["-"], &clean);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn unreadable_inputs() {
    let out = run(&fixtures(), &["--format", "concise", "unreadable"]);
    assert_eq!(out.code, 1, "invalid JSON and unknown formats are findings: {}", out.stdout);
    let got = located(&out);
    assert!(got.contains(&"unreadable/not-json.json:4:1 FL901".to_string()), "{got:?}");
    assert!(got.contains(&"unreadable/prose.txt:1:1 FL902".to_string()), "{got:?}");
    let out = run(&fixtures(), &["--format", "concise", "clean/raw.http", "no/such/file.json"]);
    assert_eq!(out.code, 3, "a file that cannot be read at all: {}", out.stdout);
    assert!(out.stdout.contains("no/such/file.json:1:1: error[FL903]"), "{}", out.stdout);
}

#[test]
fn fail_level_select_and_ignore() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let alias = format!(
        "POST /v1/messages HTTP/1.1\r\nx-api-key: {KEY}\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n\r\n{{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}"
    );
    std::fs::write(dir.path().join("alias.http"), alias).unwrap_or_else(|e| panic!("{e}"));
    let out = run(dir.path(), &["--format", "concise", "alias.http"]);
    assert_eq!(out.code, 0, "a warning is below the default fail level: {}", out.stdout);
    assert!(out.stdout.contains("warning[FL202]"), "{}", out.stdout);
    assert_eq!(run(dir.path(), &["--fail-level", "warning", "alias.http"]).code, 1);
    let out = run(dir.path(), &["--format", "concise", "--ignore", "FL2", "--fail-level", "info", "alias.http"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let out = run(dir.path(), &["--format", "concise", "--select", "FL0,FL1", "--fail-level", "warning", "alias.http"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let out = run(dir.path(), &["--select", "FL77", "alias.http"]);
    assert_eq!(out.code, 2, "unknown selector is a usage error: {}", out.stderr);
    assert_eq!(run(dir.path(), &["--as-of", "yesterday", "alias.http"]).code, 2);

    // faultline.toml: per-code severity and fail level; unknown codes are configuration errors.
    std::fs::write(dir.path().join("faultline.toml"), "[lint]\n[lint.severity]\nFL202 = \"error\"\n")
        .unwrap_or_default();
    let out = run(dir.path(), &["--format", "concise", "alias.http"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("error[FL202]"), "{}", out.stdout);
    std::fs::write(dir.path().join("faultline.toml"), "[lint]\nignore = [\"FL999\"]\n").unwrap_or_default();
    let out = run(dir.path(), &["alias.http"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("FL999"), "{}", out.stderr);
}

#[test]
fn fix_round_trip_keeps_everything_else() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for name in ["raw.http", "envelope.json", "session.har", "request.curl", "log.json", "stream.ndjson", "body.json"] {
        let original = std::fs::read_to_string(fixtures().join("broken").join(name)).unwrap_or_default();
        let path = dir.path().join(name);
        std::fs::write(&path, &original).unwrap_or_default();
        let diff = run(dir.path(), &["--diff", name]);
        assert_eq!(diff.code, 1, "{name}: {}", diff.stderr);
        assert!(diff.stdout.starts_with(&format!("--- a/{name}")), "{name}: {}", diff.stdout);
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), original, "--diff must not write");
        run(dir.path(), &["--fix", name]);
        let fixed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_ne!(fixed, original, "{name}");
        // What remains are the findings without a safe fix.
        let after = run(dir.path(), &["--format", "json", name]);
        let doc: serde_json::Value = serde_json::from_str(&after.stdout).unwrap_or_default();
        for f in doc["findings"].as_array().cloned().unwrap_or_default() {
            assert!(f["fix"].is_null() || f["fix"]["applicability"] == "unsafe", "{name}: a safe fix was left: {f}");
        }
        // Everything the fixes do not touch is unchanged: same lines outside the fixed ones.
        let expected = std::fs::read_to_string(fixtures().join("fixed").join(name)).unwrap_or_default();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(fixtures().join("fixed")).unwrap_or_default();
            std::fs::write(fixtures().join("fixed").join(name), &fixed).unwrap_or_default();
        } else {
            assert_eq!(fixed, expected, "{name}: fixed text differs from tests/fixtures/lint/fixed/{name}");
        }
        // A second --fix changes nothing.
        run(dir.path(), &["--fix", name]);
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), fixed);
    }
}

#[test]
fn unsafe_fixes_pin_aliases() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let body = "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n";
    std::fs::write(dir.path().join("b.json"), body).unwrap_or_default();
    run(dir.path(), &["--fix", "b.json"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.json")).unwrap_or_default(),
        body,
        "alias -> pinned is unsafe"
    );
    run(dir.path(), &["--fix", "--unsafe-fixes", "b.json"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.json")).unwrap_or_default(),
        body.replace("claude-sonnet-4-5\"", "claude-sonnet-4-5-20250929\"")
    );
    assert_eq!(run_stdin(dir.path(), &["--fix", "-"], body).code, 2, "--fix cannot write stdin");
}

#[test]
fn no_output_format_contains_a_full_key() {
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = run(&fixtures(), &["--format", format, "broken", "clean"]);
        assert!(!out.stdout.contains(KEY_BODY), "{format} leaks the key:\n{}", out.stdout);
        assert!(!out.stderr.contains(KEY_BODY), "{format} leaks the key on stderr");
        assert!(out.stdout.contains("sha256:"), "{format} should show the key's hash");
    }
    let out = run(&fixtures(), &["--diff", "broken"]);
    assert!(out.stdout.contains("sha256:"), "{}", out.stdout);
    assert!(!out.stdout.contains(KEY_BODY), "--diff leaks the key:\n{}", out.stdout);

    // Credentials outside credential headers, and in captures that cannot be parsed at all.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let body = r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#;
    let files = [
        // FL901: broken JSON right after the key.
        ("envelope-broken.json", format!(r#"{{"method":"POST","url":"https://api.anthropic.com/v1/messages","headers":{{"x-api-key":"{KEY}" "anthropic-version":"2023-06-01"}},"body":{body}}}"#)),
        // FL901 on one NDJSON line.
        ("stream-broken.ndjson", format!("{{\"headers\":{{\"x-api-key\":\"x\"}},\"url\":\"https://api.anthropic.com/v1/messages\",\"body\":{body}}}\n{{\"headers\":{{\"authorization\":\"Bearer {KEY}\",,}}}}\n")),
        // FL902: a curl command with an unterminated quote.
        ("unterminated.curl", format!("curl https://api.anthropic.com/v1/messages -H 'x-api-key: {KEY}' -d '{body}\n")),
        // FL902: not a capture format at all.
        ("prose.txt", format!("the key was {KEY}, password: {PASSWORD}\n")),
        // curl -u and --oauth2-bearer (fixable: no anthropic-version, so --diff shows the line).
        ("user.curl", format!("curl -u 'elastic:{PASSWORD}' https://api.anthropic.com/v1/messages -H 'content-type: application/json' -d '{body}'\n")),
        ("user-inline.curl", format!("curl --user=elastic:{PASSWORD} https://api.anthropic.com/v1/messages -H 'content-type: application/json' -d '{body}'\n")),
        ("bearer.curl", format!("curl --oauth2-bearer {KEY} https://api.anthropic.com/v1/messages -H 'content-type: application/json' -d '{body}'\n")),
        // URL userinfo and query-string credentials.
        ("userinfo.json", format!(r#"{{"method":"POST","url":"https://elastic:{}@api.anthropic.com/v1/messages","headers":{{"x-api-key":"x","content-type":"application/json"}},"body":{body}}}"#, PASSWORD.replace('/', "%2F"))),
        ("query.curl", format!("curl 'https://api.anthropic.com/v1/messages?key={KEY}' -H 'content-type: application/json' -d '{body}'\n")),
        ("query.http", format!("POST /v1/messages?beta=true&api_key={PASSWORD} HTTP/1.1\r\nhost: api.anthropic.com\r\ncontent-type: application/json\r\n\r\n{body}")),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    let leaks = |what: &str, out: &str| {
        for secret in [KEY_BODY, PASSWORD_BODY] {
            assert!(!out.contains(secret), "{what} shows `{secret}`:\n{out}");
        }
    };
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = run(dir.path(), &["--format", format, "--fail-level", "info", "."]);
        leaks(format, &out.stdout);
        leaks(&format!("{format} (stderr)"), &out.stderr);
        if format == "human" {
            for (name, _) in &files {
                assert!(out.stdout.contains(&format!("./{name}:")), "{name} should have findings:\n{}", out.stdout);
            }
        }
    }
    for (name, text) in &files {
        let out = run(dir.path(), &["--diff", name]);
        leaks(&format!("--diff {name}"), &out.stdout);
        leaks(&format!("--diff {name} (stderr)"), &out.stderr);
        let out = run_stdin(dir.path(), &["--stdin-filename", name, "-"], text);
        leaks(&format!("stdin {name}"), &out.stdout);
    }
    let out = run(dir.path(), &["--diff", "user.curl"]);
    // The -u line is in the diff, its `user:password` masked as a whole (the user part can be a key).
    assert!(out.stdout.contains("-u 'elas… sha256:"), "{}", out.stdout);
}

/// Output of every format over the broken fixtures, compared with tests/fixtures/lint/golden
/// (`UPDATE_GOLDEN=1 cargo test` rewrites them, and writes the golden file of a new format).
#[test]
fn golden_outputs() {
    use clap::ValueEnum;
    for variant in faultline::lint::OutputFormat::value_variants() {
        let Some(value) = variant.to_possible_value() else { continue };
        let format = value.get_name();
        let ext = match format {
            "json" | "sarif" => format,
            _ => "txt",
        };
        let out = run(&fixtures(), &["--format", format, "broken", "unreadable"]);
        let path = fixtures().join("golden").join(format!("broken.{format}.{ext}"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(fixtures().join("golden")).unwrap_or_default();
            std::fs::write(&path, &out.stdout).unwrap_or_default();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(out.stdout, expected, "{format} output differs from {}", path.display());
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let out = run(&fixtures(), &["--format", "json", "broken/raw.http"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    let first = &doc["findings"][0];
    for field in ["code", "name", "severity", "message", "file", "line", "column", "end_line", "end_column", "fix"] {
        assert!(first.get(field).is_some(), "{field} missing in {first}");
    }
    assert_eq!(doc["summary"]["errors"], 6);
    assert_eq!(doc["summary"]["files"], 1);
}

#[test]
fn sarif_rule_help_is_the_explain_text() {
    let out = run(&fixtures(), &["--format", "sarif", "broken/raw.http"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    assert_eq!(rules.len(), faultline::lint::codes::RULES.len());
    for code in ["FL001", "FL201", "FL903"] {
        let explain = faultline(&fixtures()).args(["explain", code]).output().unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&explain.stdout);
        let rule = rules.iter().find(|r| r["id"] == code).cloned().unwrap_or_default();
        // The same text; `explain` wraps it to the terminal width (issue 12, item 19), SARIF not.
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(rule["help"]["markdown"].as_str().map(words), Some(words(&text)), "{code}");
        assert_eq!(rule["help"]["text"].as_str().map(words), Some(words(&text)), "{code}");
    }
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let out = run(&fixtures(), &["--format", "sarif", "broken", "unreadable"]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = dir.path().join("out.sarif");
    std::fs::write(&log, &out.stdout).unwrap_or_default();
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        doc = json.load(open(sys.argv[2]))\n\
        cls = jsonschema.validators.validator_for(schema)\n\
        cls.check_schema(schema)\n\
        cls(schema, format_checker=cls.FORMAT_CHECKER).validate(doc)\n\
        print('valid', len(doc['runs'][0]['results']))\n";
    let schema = fixtures().join("sarif-schema-2.1.0.json");
    let py = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .arg(&log)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(py.status.success(), "{}{}", String::from_utf8_lossy(&py.stdout), String::from_utf8_lossy(&py.stderr));
    assert!(String::from_utf8_lossy(&py.stdout).starts_with("valid "), "{}", String::from_utf8_lossy(&py.stdout));
}

#[test]
fn github_workflow_commands() {
    let out = run(&fixtures(), &["--format", "github", "broken/raw.http"]);
    let first = out.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with(
            "::error file=broken/raw.http,line=3,col=16,endLine=3,endColumn=22,title=FL004 auth-scheme-case::"
        ),
        "{first}"
    );
}

#[test]
fn provider_detection_and_override() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bedrock = "{\"method\":\"POST\",\"url\":\"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1:0/invoke\",\"headers\":{\"authorization\":\"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261120/us-east-1/bedrock/aws4_request\",\"content-type\":\"application/json\"},\"body\":{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n";
    std::fs::write(dir.path().join("bedrock.json"), bedrock).unwrap_or_default();
    let out = run(dir.path(), &["--format", "concise", "bedrock.json"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "auto detects Bedrock: no x-api-key, no anthropic-version");
    let out = run(dir.path(), &["--format", "concise", "--provider", "anthropic", "bedrock.json"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("[FL401]"), "{}", out.stdout);

    let vertex = "POST /v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5-20250929:rawPredict HTTP/1.1\r\nHost: us-east5-aiplatform.googleapis.com\r\nAuthorization: Bearer ya29.a0AfH6SMBexampletokenexampletoken\r\ncontent-type: application/json\r\n\r\n{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    std::fs::write(dir.path().join("vertex.http"), vertex).unwrap_or_default();
    let out = run(dir.path(), &["--format", "concise", "vertex.http"]);
    assert!(out.stdout.contains("[FL205]"), "a Claude API ID in a Vertex URL: {}", out.stdout);
    assert!(out.stdout.contains("claude-sonnet-4-5@20250929"), "{}", out.stdout);
}

#[test]
fn a_file_that_is_not_text_exits_3() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("blob.json"), [0xff, 0xfe, 0x00, 0x7b]).unwrap_or_default();
    let out = run(dir.path(), &["--format", "concise", "blob.json"]);
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(out.stdout.contains("[FL903]"), "{}", out.stdout);
}
