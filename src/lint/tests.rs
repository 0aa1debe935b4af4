//! Unit tests of the rules through `check_request` / `lint_logged_request`: one positive and one
//! negative case (at least) per rule.

use chrono::NaiveDate;

use super::*;

const KEY: &str = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefghijklmnopQRSTUVWX-0123456789AA";
const BODY: &str =
    r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":1024,"messages":[{"role":"user","content":"Hello"}]}"#;

fn k() -> &'static Knowledge {
    super::testing::knowledge()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn today() -> NaiveDate {
    day("2026-11-20")
}

/// A complete native request with these headers replacing the defaults.
fn native(headers: &[(&str, &str)], body: &str) -> Vec<Finding> {
    let mut all: Vec<(&str, &str)> = vec![("anthropic-version", "2023-06-01"), ("content-type", "application/json")];
    all.retain(|(n, _)| !headers.iter().any(|(h, _)| h == n));
    all.extend_from_slice(headers);
    let req = Request {
        url: Some("https://api.anthropic.com/v1/messages"),
        headers: all,
        headers_known: true,
        headers_complete: true,
        body: Some(body),
    };
    check_request(k(), &req, &LintOptions { provider: None, date: today() })
}

fn codes(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.code).collect()
}

fn with_key(value: &str) -> Vec<&'static str> {
    codes(&native(&[("x-api-key", value)], BODY))
}

fn with_auth(value: &str) -> Vec<&'static str> {
    codes(&native(&[("authorization", value)], BODY))
}

fn body_codes(body: &str) -> Vec<&'static str> {
    codes(&native(&[("x-api-key", KEY)], body))
}

#[test]
fn clean_request_has_no_findings() {
    assert!(with_key(KEY).is_empty(), "{:?}", with_key(KEY));
    assert!(with_auth(&format!("Bearer {KEY}")).is_empty());
}

#[test]
fn fl001_line_break_and_tab() {
    assert_eq!(with_key(&format!("{KEY}\n")), ["FL001"]);
    assert_eq!(with_key(&format!("{KEY}\r\n")), ["FL001"]);
    assert_eq!(with_auth(&format!("Bearer {KEY}\n")), ["FL001"]);
    assert_eq!(with_key(&format!("sk-ant-api03-\tAbCd{}", &KEY[13..])), ["FL001"]);
}

#[test]
fn fl002_surrounding_spaces() {
    assert_eq!(with_key(&format!(" {KEY}")), ["FL002"]);
    assert_eq!(with_key(&format!("{KEY}  ")), ["FL002"]);
    assert_eq!(with_auth(&format!("Bearer {KEY} ")), ["FL002"]);
    assert!(with_key(KEY).is_empty());
}

#[test]
fn fl003_invisible_characters() {
    assert_eq!(with_key(&format!("{KEY}\u{a0}")), ["FL003"]);
    assert_eq!(with_key(&format!("sk-ant-api03-\u{200b}{}", &KEY[13..])), ["FL003"]);
    assert_eq!(with_key(&format!("\u{feff}{KEY}")), ["FL003"]);
    assert_eq!(with_auth(&format!("Bearer {KEY}\u{200d}")), ["FL003"]);
}

#[test]
fn fl004_scheme_spelling() {
    assert_eq!(with_auth(&format!("bearer {KEY}")), ["FL004"]);
    assert_eq!(with_auth(&format!("BEARER {KEY}")), ["FL004"]);
    assert_eq!(with_auth(&format!("Baerer {KEY}")), ["FL004"]);
    assert_eq!(with_auth(KEY), ["FL004"]);
    // Other schemes are someone else's business.
    assert!(with_auth("Basic dXNlcjpwYXNzd29yZA==").is_empty());
}

#[test]
fn fl005_scheme_spacing() {
    assert_eq!(with_auth(&format!("Bearer{KEY}")), ["FL005"]);
    assert_eq!(with_auth(&format!("Bearer  {KEY}")), ["FL005"]);
    let both = with_auth(&format!("bearer{KEY}"));
    assert_eq!(both, ["FL005"], "one finding, one fix for both");
}

#[test]
fn fl006_missing_credentials() {
    assert_eq!(codes(&native(&[], BODY)), ["FL006"]);
    assert_eq!(with_key(""), ["FL006"]);
    assert_eq!(with_key("  "), ["FL006"]);
    // A log that stripped credentials says nothing about them.
    let logged = lint_logged_request(
        k(),
        Some("/v1/messages"),
        &[("anthropic-version".into(), "2023-06-01".into())],
        Some(BODY),
        today(),
    );
    assert!(logged.is_empty(), "{logged:?}");
}

#[test]
fn fl007_both_headers() {
    let f = codes(&native(&[("x-api-key", KEY), ("authorization", &format!("Bearer {KEY}"))], BODY));
    assert_eq!(f, ["FL007"]);
}

#[test]
fn fl008_key_shape() {
    assert_eq!(with_key(&format!("\"{KEY}\"")), ["FL008"]);
    assert_eq!(with_key("YOUR_API_KEY"), ["FL008"]);
    assert_eq!(with_key("${ANTHROPIC_API_KEY}"), ["FL008"]);
    assert_eq!(with_key("sk-ant-api03-AbCdEf"), ["FL008"]);
    let oauth = format!("sk-ant-oat01-{}", &KEY[13..]);
    assert_eq!(with_key(&oauth), ["FL008"]);
    assert!(with_auth(&format!("Bearer {oauth}")).is_empty());
    // A gateway key of another shape is not flagged.
    assert!(with_key("gw_live_0123456789abcdef0123456789abcdef").is_empty());
}

#[test]
fn no_message_contains_the_key() {
    for value in [
        format!("{KEY}\n"),
        format!(" {KEY}\u{a0}"),
        format!("\"{KEY}\""),
        format!("sk-ant-api03-\u{200b}{}", &KEY[13..]),
    ] {
        for f in native(&[("x-api-key", &value)], BODY) {
            assert!(!f.message.contains(&KEY[13..30]), "{}", f.message);
            assert!(f.message.contains("sha256:"), "{}", f.message);
        }
    }
    for f in native(&[("authorization", &format!("bearer {KEY}\n"))], BODY) {
        assert!(!f.message.contains(&KEY[13..30]), "{}", f.message);
    }
}

#[test]
fn fl101_messages() {
    assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10}"#), ["FL101"]);
    assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[]}"#), ["FL101"]);
    assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":null}"#), ["FL101"]);
    assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":{"role":"user"}}"#), ["FL101"]);
}

#[test]
fn fl102_roles() {
    let b = |role: &str| {
        format!(r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":{role},"content":"hi"}}]}}"#)
    };
    assert_eq!(body_codes(&b("null")), ["FL102"]);
    assert_eq!(body_codes(&b("\"human\"")), ["FL102"]);
    assert_eq!(body_codes(&b("\"system\"")), ["FL102"]);
    assert!(body_codes(&b("\"user\"")).is_empty());
    assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"content":"hi"}]}"#), ["FL102"]);
    // system inside messages is allowed from 2026-10-21.
    let f = codes(&native(&[("x-api-key", KEY), ("anthropic-version", "2026-10-21")], &b("\"system\"")));
    assert!(!f.contains(&"FL102"), "{f:?}");
}

#[test]
fn fl103_content() {
    let b = |content: &str| {
        format!(
            r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":"user","content":{content}}},{{"role":"assistant","content":"ok"}},{{"role":"user","content":"x"}}]}}"#
        )
    };
    assert_eq!(body_codes(&b("null")), ["FL103"]);
    assert_eq!(body_codes(&b("\"\"")), ["FL103"]);
    assert_eq!(body_codes(&b("[]")), ["FL103"]);
    assert!(body_codes(&b("\"hi\"")).is_empty());
    // The final assistant message may be empty.
    assert!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""}]}"#).is_empty());
}

#[test]
fn fl104_empty_text_block() {
    let b = |block: &str| {
        format!(r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":"user","content":[{block}]}}]}}"#)
    };
    assert_eq!(body_codes(&b(r#"{"type":"text","text":""}"#)), ["FL104"]);
    assert_eq!(body_codes(&b(r#"{"type":"text"}"#)), ["FL104"]);
    assert!(body_codes(&b(r#"{"type":"text","text":"hi"}"#)).is_empty());
}

#[test]
fn fl105_max_tokens() {
    assert_eq!(body_codes(r#"{"model":"claude-opus-4-8","messages":[{"role":"user","content":"hi"}]}"#), ["FL105"]);
    assert_eq!(
        body_codes(r#"{"model":"claude-opus-4-8","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]}"#),
        ["FL105"]
    );
    assert_eq!(
        body_codes(r#"{"model":"claude-opus-4-8","max_tokens":"100","messages":[{"role":"user","content":"hi"}]}"#),
        ["FL105"]
    );
    assert_eq!(
        body_codes(r#"{"model":"claude-opus-4-8","max_tokens":1.5,"messages":[{"role":"user","content":"hi"}]}"#),
        ["FL105"]
    );
}

#[test]
fn fl106_prefill_whitespace() {
    let f = native(
        &[("x-api-key", KEY)],
        r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"The answer is "}]}"#,
    );
    assert_eq!(codes(&f), ["FL106"]);
    assert!(f[0].fix.as_ref().is_some_and(|x| x.safe));
    assert!(body_codes(r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a "},{"role":"assistant","content":"The answer is"}]}"#).is_empty());
    assert_eq!(
        body_codes(
            r#"{"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"text","text":"x\n"}]}]}"#
        ),
        ["FL106"]
    );
}

#[test]
fn fl107_block_type() {
    let b = |block: &str| {
        format!(r#"{{"model":"claude-opus-4-8","max_tokens":10,"messages":[{{"role":"user","content":[{block}]}}]}}"#)
    };
    assert_eq!(body_codes(&b(r#"{"type":"txt","text":"hi"}"#)), ["FL107"]);
    assert_eq!(body_codes(&b(r#"{"text":"hi"}"#)), ["FL107"]);
    assert!(body_codes(&b(r#"{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}"#))
        .is_empty());
}

#[test]
fn fl108_body_not_object() {
    assert_eq!(body_codes("[1,2]"), ["FL108"]);
    assert_eq!(body_codes("\"hello\""), ["FL108"]);
}

#[test]
fn fl901_invalid_json_body_points_at_the_error() {
    let f = native(&[("x-api-key", KEY)], "{\"model\": \"claude-opus-4-8\",\n \"max_tokens\": 10,}");
    assert_eq!(codes(&f), ["FL901"]);
    assert!(matches!(f[0].target, Target::BodyOffset { offset } if offset > 30), "{:?}", f[0].target);
}

fn model_codes(model: &str, date: &str) -> Vec<Finding> {
    let body = format!(r#"{{"model":"{model}","max_tokens":100,"messages":[{{"role":"user","content":"hi"}}]}}"#);
    let req = Request {
        url: Some("https://api.anthropic.com/v1/messages"),
        headers: vec![("x-api-key", KEY), ("anthropic-version", "2023-06-01"), ("content-type", "application/json")],
        headers_known: true,
        headers_complete: true,
        body: Some(&body),
    };
    check_request(k(), &req, &LintOptions { provider: None, date: day(date) })
}

#[test]
fn fl201_unknown_model_with_did_you_mean() {
    let f = model_codes("claude-sonnet-4.5", "2026-11-20");
    assert_eq!(codes(&f), ["FL201"]);
    assert!(f[0].message.contains("claude-sonnet-4-5-20250929"), "{}", f[0].message);
    assert!(f[0].fix.as_ref().is_some_and(|x| x.safe));
    let f = model_codes("claude-3-sonnet", "2024-06-01");
    assert_eq!(codes(&f), ["FL201"]);
    assert!(f[0].message.contains("claude-3-sonnet-20240229"), "{}", f[0].message);
    let f = model_codes("claude-opus-4-88", "2026-11-20");
    assert_eq!(codes(&f), ["FL201"]);
    assert!(f[0].message.contains("claude-opus-4-8"), "{}", f[0].message);
    assert!(model_codes("claude-opus-4-8", "2026-11-20").is_empty());
    let f = model_codes("gpt-4o", "2026-11-20");
    assert_eq!(codes(&f), ["FL201"]);
    assert!(f[0].fix.is_none());
}

#[test]
fn fl202_alias() {
    let f = model_codes("claude-sonnet-4-5", "2026-01-01");
    assert_eq!(codes(&f), ["FL202"]);
    assert!(f[0].fix.as_ref().is_some_and(|x| !x.safe), "alias -> pinned is an unsafe fix");
}

#[test]
fn fl203_fl204_lifecycle_at_the_date() {
    let f = model_codes("claude-3-5-haiku-20241022", "2026-03-14");
    assert_eq!(codes(&f), ["FL203"]);
    assert!(
        f[0].message.contains("2026-02-19") && f[0].message.contains("claude-haiku-4-5-20251001"),
        "{}",
        f[0].message
    );
    assert_eq!(codes(&model_codes("claude-3-5-haiku-20241022", "2026-01-10")), ["FL204"]);
    assert!(model_codes("claude-3-5-haiku-20241022", "2025-06-01").is_empty());
}

#[test]
fn fl205_wrong_provider() {
    let f = model_codes("anthropic.claude-sonnet-4-5-20250929-v1:0", "2026-01-01");
    assert_eq!(codes(&f), ["FL205"]);
    assert!(f[0].message.contains("use `claude-sonnet-4-5-20250929`"), "{}", f[0].message);
    assert_eq!(codes(&model_codes("claude-sonnet-4-5@20250929", "2026-01-01")), ["FL205"]);
    // A Claude API ID in a Bedrock URL.
    let req = Request {
        url: Some("https://bedrock-runtime.us-east-1.amazonaws.com/model/claude-sonnet-4-5-20250929/invoke"),
        headers: vec![
            ("authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/bedrock/aws4_request"),
            ("content-type", "application/json"),
        ],
        headers_known: true,
        headers_complete: true,
        body: Some(
            r#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}"#,
        ),
    };
    let f = check_request(k(), &req, &LintOptions { provider: None, date: day("2026-01-01") });
    assert_eq!(codes(&f), ["FL205"], "{f:?}");
    let ok_url =
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke";
    let f = check_request(
        k(),
        &Request { url: Some(ok_url), ..req.clone() },
        &LintOptions { provider: None, date: day("2026-01-01") },
    );
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn fl206_model_missing() {
    assert_eq!(body_codes(r#"{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#), ["FL206"]);
    assert_eq!(body_codes(r#"{"model":42,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#), ["FL206"]);
}

#[test]
fn fl301_fl302_streaming() {
    let long = "x".repeat(30_000);
    let b =
        format!(r#"{{"model":"claude-opus-4-8","max_tokens":100,"messages":[{{"role":"user","content":"{long}"}}]}}"#);
    assert_eq!(body_codes(&b), ["FL301"]);
    let streamed = b.replacen("\"max_tokens\"", "\"stream\":true,\"max_tokens\"", 1);
    // A large base64 image is not 10,000 tokens of text.
    let image = format!(
        r#"{{"model":"claude-opus-4-8","max_tokens":100,"messages":[{{"role":"user","content":[{{"type":"image","source":{{"type":"base64","media_type":"image/png","data":"{}"}}}},{{"type":"text","text":"What is this?"}}]}}]}}"#,
        "A".repeat(40_000)
    );
    assert!(body_codes(&image).is_empty(), "{:?}", body_codes(&image));
    assert!(body_codes(&streamed).is_empty());
    assert_eq!(
        body_codes(r#"{"model":"claude-opus-4-8","max_tokens":64000,"messages":[{"role":"user","content":"hi"}]}"#),
        ["FL302"]
    );
    assert!(body_codes(
        r#"{"model":"claude-opus-4-8","max_tokens":64000,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
    )
    .is_empty());
    // Opus 4 has a lower guard.
    let f = model_codes("claude-opus-4-20250514", "2025-06-01");
    assert!(f.is_empty());
    let body = r#"{"model":"claude-opus-4-20250514","max_tokens":10000,"messages":[{"role":"user","content":"hi"}]}"#;
    assert_eq!(body_codes(body).iter().filter(|c| **c == "FL302").count(), 1);
}

#[test]
fn fl303_body_too_large() {
    let mut k = k().clone();
    k.thresholds.payload.max_body_bytes = 100;
    let req = Request { url: None, headers: vec![], headers_known: false, headers_complete: false, body: Some(BODY) };
    let f = check_request(&k, &req, &LintOptions { provider: Some(ProviderChoice::Anthropic), date: today() });
    assert_eq!(codes(&f), ["FL303"]);
}

#[test]
fn fl401_to_fl404_headers() {
    let req = |headers: Vec<(&'static str, &'static str)>| Request {
        url: Some("/v1/messages"),
        headers,
        headers_known: true,
        headers_complete: true,
        body: Some(BODY),
    };
    let run = |r: Request<'_>| codes(&check_request(k(), &r, &LintOptions { provider: None, date: today() }));
    let key: &'static str = KEY;
    assert_eq!(run(req(vec![("x-api-key", key), ("content-type", "application/json")])), ["FL401"]);
    assert_eq!(
        run(req(vec![("x-api-key", key), ("content-type", "application/json"), ("anthropic-version", "2024-01-01")])),
        ["FL402"]
    );
    assert!(run(req(vec![
        ("x-api-key", key),
        ("content-type", "application/json"),
        ("anthropic-version", "2026-10-21")
    ]))
    .is_empty());
    assert_eq!(run(req(vec![("x-api-key", key), ("anthropic-version", "2023-06-01")])), ["FL403"]);
    assert_eq!(
        run(req(vec![
            ("x-api-key", key),
            ("anthropic-version", "2023-06-01"),
            ("content-type", "application/x-www-form-urlencoded")
        ])),
        ["FL403"]
    );
    assert!(run(req(vec![
        ("x-api-key", key),
        ("anthropic-version", "2023-06-01"),
        ("content-type", "application/json; charset=utf-8")
    ]))
    .is_empty());
    assert_eq!(
        run(req(vec![
            ("x-api-key", key),
            ("anthropic-version", "2023-06-01"),
            ("content-type", "application/json"),
            ("anthropic-beta", "prompt-caching-2024-07-31, tools_beta")
        ])),
        ["FL404"]
    );
    assert!(run(req(vec![
        ("x-api-key", key),
        ("anthropic-version", "2023-06-01"),
        ("content-type", "application/json"),
        ("anthropic-beta", "prompt-caching-2024-07-31,files-api-2025-04-14")
    ]))
    .is_empty());
}

#[test]
fn openai_compatible_bodies_follow_openai_rules() {
    let req = Request {
        url: Some("https://gateway.example.com/anthropic/v1/chat/completions"),
        headers: vec![
            ("authorization", "Bearer sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefgh"),
            ("content-type", "application/json"),
        ],
        headers_known: true,
        headers_complete: true,
        body: Some(
            r#"{"model":"claude-opus-4-8","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[]}]}"#,
        ),
    };
    let f = check_request(k(), &req, &LintOptions { provider: None, date: today() });
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn logged_request_reports_what_the_log_shows() {
    let headers = vec![
        ("authorization".to_string(), format!("bearer {KEY}\n")),
        ("content-type".into(), "application/json".into()),
    ];
    let f = lint_logged_request(
        k(),
        Some("/v1/messages"),
        &headers,
        Some(r#"{"model":"claude-3-sonnet","messages":[{"role":null,"content":""}]}"#),
        today(),
    );
    let c = codes(&f);
    for expected in ["FL001", "FL004", "FL102", "FL103", "FL105", "FL201"] {
        assert!(c.contains(&expected), "{expected} missing from {c:?}");
    }
    assert!(!c.contains(&"FL401"), "a log does not show every header");
    for f in &f {
        assert!(!f.message.contains(&KEY[13..30]), "{}", f.message);
    }
    // No body, no headers: nothing to say.
    assert!(lint_logged_request(k(), None, &[], None, today()).is_empty());
}

/// The embedded knowledge base with rules/api.toml replaced.
fn with_api(api: &str) -> Knowledge {
    let t = |name: &str| crate::knowledge::EMBEDDED.iter().find(|(n, _)| n.ends_with(name)).map_or("", |(_, t)| *t);
    Knowledge::from_texts(
        t("models.toml"),
        t("status_codes.toml"),
        t("signatures.toml"),
        t("thresholds.toml"),
        t("causes.toml"),
        api,
        &crate::knowledge::Extensions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn embedded_api() -> &'static str {
    crate::knowledge::EMBEDDED.iter().find(|(n, _)| n.ends_with("api.toml")).map_or("", |(_, t)| *t)
}

fn native_with(k: &Knowledge, headers: Vec<(&str, &str)>) -> Vec<Finding> {
    let req = Request {
        url: Some("https://api.anthropic.com/v1/messages"),
        headers,
        headers_known: true,
        headers_complete: true,
        body: Some(BODY),
    };
    check_request(k, &req, &LintOptions { provider: None, date: today() })
}

#[test]
fn fl404_follows_each_knowledge_base_beta_pattern() {
    let beta = vec![
        ("x-api-key", KEY),
        ("anthropic-version", "2023-06-01"),
        ("content-type", "application/json"),
        ("anthropic-beta", "prompt-caching-2024-07-31"),
    ];
    // The embedded pattern first, so a per-process cache would hold it.
    assert!(codes(&native_with(k(), beta.clone())).is_empty());
    let strict = embedded_api().replace(
        r"beta_pattern = '^[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}$'",
        r"beta_pattern = '^files-api-\d{4}-\d{2}-\d{2}$'",
    );
    assert_ne!(strict, embedded_api(), "the test must change the pattern");
    assert_eq!(codes(&native_with(&with_api(&strict), beta.clone())), ["FL404"]);
    assert!(codes(&native_with(k(), beta)).is_empty());
    // An invalid pattern is a configuration error at load, not a rule that never runs.
    let broken = embedded_api().replace("beta_pattern = '^", "beta_pattern = '^(");
    let t = |name: &str| crate::knowledge::EMBEDDED.iter().find(|(n, _)| n.ends_with(name)).map_or("", |(_, t)| *t);
    let err = Knowledge::from_texts(
        t("models.toml"),
        t("status_codes.toml"),
        t("signatures.toml"),
        t("thresholds.toml"),
        t("causes.toml"),
        &broken,
        &crate::knowledge::Extensions::default(),
    );
    assert!(err.err().map(|e| e.to_string()).unwrap_or_default().contains("beta_pattern"));
}

#[test]
fn anthropic_version_fix_and_help_come_from_rules_api_toml() {
    let f = native_with(k(), vec![("x-api-key", KEY), ("content-type", "application/json")]);
    let fl401 = f.iter().find(|f| f.code == "FL401").unwrap_or_else(|| panic!("{f:?}"));
    assert_eq!(fl401.help.as_deref(), Some("send `anthropic-version: 2023-06-01`"));
    let api = embedded_api()
        .replace(r#"recommended_version = "2023-06-01""#, r#"recommended_version = "2026-10-21""#)
        .replace(r#""2026-10-21"]"#, r#""2026-10-21", "2027-03-01"]"#);
    let k2 = with_api(&api);
    let f = native_with(&k2, vec![("x-api-key", KEY), ("content-type", "application/json")]);
    let fl401 = f.iter().find(|f| f.code == "FL401").unwrap_or_else(|| panic!("{f:?}"));
    assert_eq!(fl401.help.as_deref(), Some("send `anthropic-version: 2026-10-21`"));
    let fix = fl401.fix.as_ref().map(|x| (x.message.as_str(), x.edits.as_slice()));
    assert!(
        matches!(fix, Some((m, [Edit::AddHeader { value, .. }])) if m == "add `anthropic-version: 2026-10-21`" && value == "2026-10-21"),
        "{fix:?}"
    );
    let f = native_with(
        &k2,
        vec![("x-api-key", KEY), ("content-type", "application/json"), ("anthropic-version", "2024-01-01")],
    );
    let fl402 = f.iter().find(|f| f.code == "FL402").unwrap_or_else(|| panic!("{f:?}"));
    assert_eq!(fl402.help.as_deref(), Some("send `2026-10-21` or `2027-03-01`"));
}
