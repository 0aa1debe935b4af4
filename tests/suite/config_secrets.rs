//! A faultline.toml holds the cluster's credentials (`[es] api_key`, `password`, a URL with
//! `user:password@`, `cloud_id`). An error in that file is printed with the line it points at
//! (and the parser's own message, which can quote a value): every command that reads the file,
//! in every output format, over broken configs full of credentials, must show none of them —
//! and still say file:line:col and exit 2.

use std::path::Path;

use assert_cmd::Command;

const PASSWORD: &str = "pw-Hunter2-xyz";
const API_KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
const API_KEY_PLAIN: &str = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";
const URL_PASSWORD: &str = "Ur1-S3cr3t";
const CLOUD_ID: &str = "staging:dXMtZWFzdC0xLmF3cy5mb3VuZC5pbyRjZWM2ZjI2MWE3NGJmMjRjZTMzYmI4ODExYjg0Mjk0ZiQ=";
const CLOUD_AUTH: &str = "elastic:CloudAuth-99";
const SHORT: &str = "zq7";

/// Pieces of the credentials above that must never appear (a prefix of an encoded key would be
/// fine as a redaction shows it; the middle never).
fn leaks(text: &str) -> Vec<&'static str> {
    let pieces: [&'static str; 8] = [
        PASSWORD,
        &API_KEY[8..40],
        "ui2lp2axTNmsyakw9tvNnw",
        URL_PASSWORD,
        "dXMtZWFzdC0xLmF3cy5mb3VuZC5pbyRjZWM2",
        "CloudAuth-99",
        "Hunter2",
        "S3cr3t",
    ];
    let mut found: Vec<&'static str> = pieces.into_iter().filter(|p| text.contains(p)).collect();
    if text.contains(&format!("\"{SHORT}\"")) || text.contains(&format!("`{SHORT}`")) {
        found.push(SHORT);
    }
    found
}

/// A config with every credential, and `broken` in place of the line that `line` names.
fn config(broken: &str) -> String {
    format!(
        "# faultline.toml of the on-call team\n\
         [lint]\n\
         fail_level = \"error\"\n\
         \n\
         [es]\n\
         url = \"https://elastic:{URL_PASSWORD}@es.internal:9200\"\n\
         username = \"elastic\"\n\
         cloud_id = \"{CLOUD_ID}\"\n\
         {broken}\n\
         index = \"claude-*\"\n"
    )
}

/// Broken lines, each an error that points at a credential (or next to one), and the
/// `line:col` the message must name.
fn cases() -> Vec<(String, String)> {
    vec![
        // Unterminated strings.
        (config(&format!("api_key = \"{API_KEY}")), "9:".into()),
        (config(&format!("api_key = '{API_KEY_PLAIN}")), "9:".into()),
        // A value without quotes.
        (config(&format!("api_key = {API_KEY_PLAIN}")), "9:11".into()),
        // A typo in the key, the value a secret.
        (config(&format!("pasword = \"{PASSWORD}\"")), "9:1".into()),
        (config(&format!("apikey = \"{API_KEY}\"")), "9:1".into()),
        (config(&format!("cloud_auth = \"{CLOUD_AUTH}\" # {PASSWORD}")), "9:1".into()),
        // The wrong type: serde quotes the value.
        (config("api_key = 31415926535897"), "9:11".into()),
        (config(&format!("password = [\"{PASSWORD}\"]")), "9:12".into()),
        (config(&format!("password = \"{SHORT}\"\npassword = \"{SHORT}\"")), "10:1".into()),
        // Junk after a value.
        (config(&format!("api_key = \"{API_KEY}\" \"{PASSWORD}\"")), "9:".into()),
        (config(&format!("url = \"https://elastic:{URL_PASSWORD}@es:9200\" trailing")), "9:".into()),
        // An invalid escape inside a secret.
        (config(&format!("password = \"{PASSWORD}\\q\"")), "9:".into()),
        // A multi-line string holding the secret, closed wrong.
        (config(&format!("password = \"\"\"\n{PASSWORD}\n\"\"\" junk")), "11:5".into()),
        // Dotted keys and inline tables.
        (format!("es.api_key = \"{API_KEY}\"\nes.api_key = \"{API_KEY}\"\n"), "2:1".into()),
        (format!("es = {{ password = \"{PASSWORD}\", api_key = \"{API_KEY}\", bogus = 1 }}\n"), "1:".into()),
        // A table faultline does not know, holding a key.
        (format!("[anthropic]\napi_key = \"{API_KEY}\"\n"), "1:".into()),
        // An error elsewhere: the file still holds every credential.
        (config(&format!("password = \"{PASSWORD}\"\napi_key = \"{API_KEY}\"\nfail_level = \"eror\"")), "11:1".into()),
        (
            format!("[lint]\nfail_level = \"eror\"\n[es]\npassword = \"{PASSWORD}\"\napi_key = \"{API_KEY}\"\n"),
            "2:14".into(),
        ),
    ]
}

/// Every command that reads faultline.toml, in each of its formats.
fn commands(dir: &Path) -> Vec<Vec<String>> {
    let capture = dir.join("req.json");
    std::fs::write(
        &capture,
        r#"{"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let capture = capture.display().to_string();
    let mut out: Vec<Vec<String>> = Vec::new();
    for format in ["human", "json", "markdown"] {
        out.push(vec!["diagnose".into(), "--since".into(), "1h".into(), "--format".into(), format.into()]);
    }
    for format in ["human", "concise", "json", "sarif", "github"] {
        out.push(vec!["lint".into(), capture.clone(), "--format".into(), format.into()]);
    }
    for format in ["human", "json"] {
        out.push(vec!["rules".into(), "--format".into(), format.into()]);
        out.push(vec!["probe".into(), "--format".into(), format.into()]);
    }
    out.push(vec!["explain".into(), "FL001".into()]);
    out
}

fn run(dir: &Path, args: &[String]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("faultline")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env_remove("FAULTLINE_ES_URL")
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_config_syntax_error_never_shows_the_es_password() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let commands = commands(dir.path());
    let mut seen_quote = 0;
    for (text, at) in cases() {
        std::fs::write(dir.path().join("faultline.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
        for args in &commands {
            // Found in the current directory, and named with --config.
            let explicit: Vec<String> =
                ["--config".to_string(), dir.path().join("faultline.toml").display().to_string()]
                    .into_iter()
                    .chain(args.iter().cloned())
                    .collect();
            for argv in [args.clone(), explicit] {
                let (code, stdout, stderr) = run(dir.path(), &argv);
                let all = format!("{stdout}{stderr}");
                assert_eq!(code, Some(2), "{argv:?} over\n{text}\n{all}");
                assert!(
                    stderr.contains(&format!("faultline.toml:{at}")),
                    "{argv:?}: no place {at} in\n{stderr}\nfor\n{text}"
                );
                assert!(leaks(&all).is_empty(), "{argv:?} leaked {:?}:\n{all}\nfor\n{text}", leaks(&all));
                seen_quote += usize::from(stderr.contains(" | "));
            }
        }
    }
    assert!(seen_quote > 0, "the line is still quoted (safely)");
}

#[test]
fn a_config_error_still_shows_what_is_not_secret() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("faultline.toml"), "[lint]\nfail_level = \"eror\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = run(dir.path(), &["rules".to_string()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("faultline.toml:2:14: unknown variant `eror`, expected one of"), "{stderr}");
    assert!(stderr.contains("2 | fail_level = \"eror\"\n  |              ^"), "{stderr}");
    std::fs::write(
        dir.path().join("faultline.toml"),
        format!("[es]\nurl = \"https://elastic:{URL_PASSWORD}@es.internal:9200\" # prod\nindex = claude-*\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = run(dir.path(), &["rules".to_string()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("3 | index = claude-*\n  |         ^"), "{stderr}");
    std::fs::write(
        dir.path().join("faultline.toml"),
        format!("[es]\nurl = \"https://elastic:{URL_PASSWORD}@es:9200\" x\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (_, _, stderr) = run(dir.path(), &["rules".to_string()]);
    assert!(stderr.contains("url = \"https://elastic:…@es:9200\" x"), "{stderr}");
}
