//! FL205 model-wrong-provider: a known model ID in the form of another platform than the
//! endpoint's (a Bedrock ID sent to the Claude API …).

use crate::capture::request::Provider;
use crate::knowledge::IdForm;
use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};

pub static FL205: RuleMeta = RuleMeta {
    code: "FL205",
    name: "model-wrong-provider",
    family: Family::Model,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "The model ID belongs to another provider than the endpoint (Bedrock ID sent to the Claude API …)",
    explanation: "\
## Why it fails
Each platform names models differently: Claude API `claude-sonnet-4-5-20250929`, Bedrock
`anthropic.claude-sonnet-4-5-20250929-v1:0`, Vertex `claude-sonnet-4-5@20250929`. Sending one
platform's form to another gives 400/404.

## Fix
Use the ID of the endpoint's platform (safe fix when the model has exactly one such ID).",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    for m in s.models().ids.iter().filter(|m| !m.right_form) {
        let Some(found) = m.found else { continue };
        let model = found.model;
        let expected: Vec<String> = match s.provider {
            Provider::Anthropic | Provider::Openai => vec![model.id.clone()],
            Provider::Bedrock => model.bedrock.clone(),
            Provider::Vertex => {
                if model.vertex_same_as_id {
                    vec![model.id.clone()]
                } else {
                    model.vertex.clone()
                }
            }
        };
        let form = match found.form {
            IdForm::Bedrock => "a Bedrock model ID",
            IdForm::Vertex => "a Vertex AI model ID",
            IdForm::Pinned | IdForm::Alias => "a Claude API model ID",
        };
        let mut f = Finding::new(
            &FL205,
            m.part,
            m.target(),
            format!("`{}` is {form}, but the request goes to the {} endpoint", m.id, s.provider.as_str()),
        );
        if let [one] = expected.as_slice() {
            f.message.push_str(&format!(": use `{one}`"));
            f = f.help(format!("use `{one}`"));
            if !m.path.is_empty() {
                f = f.fix(m.replace(one, true));
            }
        } else if expected.is_empty() {
            f = f.help(format!("{} has no known ID on {}", model.name, s.provider.as_str()));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;
    use crate::lint::{check_request, LintOptions, Request};

    #[test]
    fn wrong_provider() {
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
}
