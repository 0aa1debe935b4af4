//! The trace of a diagnosis never contradicts itself (issue 10): over every simulator scenario
//! and the hand-built conflicts below, no cause is both found and ruled out, no cause is ruled
//! out when a field it needs is missing (it is "limited" instead), every cause of a layer is
//! accounted for exactly once, and no fact of the trace contradicts a ruling. And where the
//! evidence for two causes meets on the same failures, the report says so in one line.

use faultline::diagnose::summary::*;
use faultline::diagnose::{rank, Diagnosis};
use faultline::knowledge::{Knowledge, Layer};
use faultline::logs::local::{summarise, Options};
use faultline::logs::reader;
use faultline_sim::{self as sim, Preset};

fn k() -> Knowledge {
    Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"))
}

/// What is wrong with the trace of `d`.
fn contradictions(label: &str, d: &Diagnosis, k: &Knowledge) -> Vec<String> {
    let mut out = Vec::new();
    let found: Vec<&str> = d.causes.iter().map(|c| c.id.as_str()).collect();
    for layer in d.layers.iter().filter(|l| l.layer != Layer::Status) {
        for cause in k.causes.iter().filter(|c| c.layer == layer.layer) {
            let id = cause.id.as_str();
            let is_found = layer.found.iter().any(|f| f == id);
            let ruled = layer.ruled_out.iter().filter(|r| r.starts_with(&format!("{id}:"))).count();
            let limited =
                layer.limited_by.iter().filter(|r| r.starts_with(&format!("{id}: could not be checked"))).count();
            if is_found != found.contains(&id) {
                out.push(format!("{label}: {id} found in the layer but not in the causes, or the reverse"));
            }
            let accounted = usize::from(is_found) + ruled + limited;
            if accounted != 1 {
                out.push(format!(
                    "{label}: {id} is found {is_found}, ruled out {ruled} times, limited {limited} times"
                ));
            }
            // "no 429 failures" when there are 429s, and the like.
            for r in layer.ruled_out.iter().filter(|r| r.starts_with(&format!("{id}: no "))) {
                let failing: u64 = cause.statuses.iter().filter_map(|st| d.by_status.get(st)).sum();
                if r.ends_with(" failures") && r.contains('/') == (cause.statuses.len() > 1) && failing > 0 {
                    out.push(format!("{label}: `{r}`, yet {failing} of its statuses failed"));
                }
            }
        }
    }
    let checked: Vec<&String> = d.layers.iter().flat_map(|l| &l.checked).collect();
    let ruled: Vec<&String> = d.layers.iter().flat_map(|l| &l.ruled_out).collect();
    if checked.iter().any(|c| c.contains("continuous 429s")) {
        for r in ruled.iter().filter(|r| r.contains("no continuous stretch")) {
            out.push(format!("{label}: continuous 429s, yet ruled out `{r}`"));
        }
    }
    if checked.iter().any(|c| c.starts_with("no continuous stretch")) {
        for c in d.causes.iter().flat_map(|c| &c.evidence.facts) {
            if c.contains("fall in the continuous stretch") {
                out.push(format!("{label}: no continuous stretch, yet `{c}`"));
            }
        }
    }
    out
}

#[test]
fn no_simulated_incident_has_a_self_contradicting_trace() {
    let k = k();
    let mut problems = Vec::new();
    for scenario in sim::catalogue() {
        let mut bytes = Vec::new();
        sim::generate(&scenario, Preset::Faultline, &mut bytes).unwrap_or_else(|e| panic!("{e}"));
        let source = reader::wrap(scenario.name.clone(), Box::new(std::io::Cursor::new(bytes)))
            .unwrap_or_else(|e| panic!("{e}"));
        let opts = Options::new(k.thresholds.streaming.non_streaming_token_limit, 2);
        let s = summarise(source, &opts).unwrap_or_else(|e| panic!("{e}")).summary;
        problems.extend(contradictions(&scenario.name, &rank::diagnose(&s, &k), &k));
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

fn counts(pairs: &[(u16, u64)]) -> StatusCounts {
    pairs.iter().copied().collect()
}

fn fields(s: &mut Summary, names: &[&str]) {
    for f in names {
        s.fields.present.insert((*f).to_string(), 1);
    }
}

/// Issue 10's example: lint flags the key in every sample, but all 380 answered
/// `messages.0.content: Field required`: the body failed.
#[test]
fn a_body_error_outweighs_lint_of_the_header_and_the_report_says_so() {
    let k = k();
    let mut s = Summary::default();
    fields(&mut s, &["timestamp", "status", "headers", "body", "error_message"]);
    s.by_status = counts(&[(200, 2000), (400, 380)]);
    s.total_requests = 2380;
    let msg = "messages.0.content: Field required";
    s.by_error_message.top.push(Bucket { value: msg.into(), by_status: counts(&[(400, 380)]) });
    let body = r#"{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"messages":[{"role":"user"}]}"#;
    for i in 0..5 {
        s.samples.push(Sample {
            group_key: msg.into(),
            request_id: Some(format!("req_{i}")),
            status: 400,
            path: Some("/v1/messages".into()),
            // A real defect that survives the mask: a lowercase scheme.
            headers: vec![("authorization".into(), "bearer sk-ant-api03-S…".into())],
            body: Some(body.into()),
            error_message: Some(msg.into()),
            ..Sample::default()
        });
    }
    let d = rank::diagnose(&s, &k);
    let got: Vec<(&str, u64)> = d.causes.iter().map(|c| (c.id.as_str(), c.failures)).collect();
    assert_eq!(got, [("client.messages", 380)]);
    let conflicts: Vec<&String> = d.layers.iter().flat_map(|l| &l.conflicts).collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let line = conflicts[0];
    assert!(line.starts_with("client.auth_header: ") && line.contains("lint flags FL004"), "{line}");
    assert!(
        line.contains("messages.0.content: Field required") && line.ends_with("380 failures go to client.messages"),
        "{line}"
    );
    assert!(contradictions("example", &d, &k).is_empty());
}

/// A CORS refusal names what failed, and it is none of the causes: the stale-.env shape of the
/// key does not take those failures.
#[test]
fn an_answer_no_cause_explains_outweighs_a_circumstantial_shape() {
    let k = k();
    let mut s = Summary::default();
    fields(&mut s, &["timestamp", "status", "key_hash", "environment", "error_message"]);
    s.by_status = counts(&[(200, 800), (401, 200)]);
    s.total_requests = 1000;
    let msg = "CORS requests are not allowed for this Organization because of its settings.";
    s.by_error_message.top.push(Bucket { value: msg.into(), by_status: counts(&[(401, 200)]) });
    s.keys.push(KeyHistory {
        key_hash: "sha256:web00000".into(),
        failures: counts(&[(401, 200)]),
        ..KeyHistory::default()
    });
    s.environments = vec![
        EnvironmentKeys {
            environment: "web".into(),
            keys: vec![KeyCount { key_hash: "sha256:web00000".into(), successes: 0, failures: counts(&[(401, 200)]) }],
        },
        EnvironmentKeys {
            environment: "production".into(),
            keys: vec![KeyCount { key_hash: "sha256:prod0000".into(), successes: 800, failures: StatusCounts::new() }],
        },
    ];
    let d = rank::diagnose(&s, &k);
    assert!(d.causes.is_empty(), "{:?}", d.causes.iter().map(|c| &c.id).collect::<Vec<_>>());
    assert_eq!(d.unexplained.failures, 200);
    let status = &d.layers[0];
    assert!(
        status.checked.iter().any(|c| c.starts_with("none of the causes:") && c.contains("not a key problem")),
        "{:?}",
        status.checked
    );
    let conflicts: Vec<&String> = d.layers.iter().flat_map(|l| &l.conflicts).collect();
    assert!(
        conflicts.iter().any(|c| c.starts_with("auth.env_override:") && c.contains("stay unexplained")),
        "{conflicts:?}"
    );
    assert!(contradictions("cors", &d, &k).is_empty(), "{:?}", contradictions("cors", &d, &k));
}
