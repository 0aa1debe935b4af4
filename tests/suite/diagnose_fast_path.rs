//! The hand-written fast path of the local reader (`logs::scan`) and the plain serde walk read
//! the same logs into exactly the same Summary and diagnosis: every preset's incidents
//! (tests/presets_support), and a file of awkward lines (escapes, non-ASCII, invalid UTF-8,
//! broken JSON, deep nesting, `_source` wrappers, dotted keys, blank and CRLF lines) that make
//! the fast path hand lines back to serde.

use crate::presets_support;

use faultline::diagnose::rank;
use faultline::knowledge::Knowledge;
use faultline::logs::local::{summarise, summarise_plain_serde, Options, Outcome};
use faultline::logs::reader;

fn read(name: &str, bytes: &[u8], preset: Option<&str>, plain: bool, workers: usize) -> Outcome {
    let opts = Options { preset: preset.map(str::to_string), ..Options::new(6000, workers) };
    let source = reader::wrap(name.to_string(), Box::new(std::io::Cursor::new(bytes.to_vec())))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let out = if plain { summarise_plain_serde(source, &opts) } else { summarise(source, &opts) };
    out.unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn same(name: &str, bytes: &[u8], preset: Option<&str>) {
    let k = Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
    let fast = read(name, bytes, preset, false, 2);
    let slow = read(name, bytes, preset, true, 1);
    assert_eq!(fast.summary, slow.summary, "{name} ({preset:?}): summaries differ");
    assert_eq!(fast.first_errors, slow.first_errors, "{name} ({preset:?})");
    assert_eq!(fast.bytes, slow.bytes, "{name}");
    assert_eq!(rank::diagnose(&fast.summary, &k), rank::diagnose(&slow.summary, &k), "{name} ({preset:?})");
}

#[test]
fn every_preset_incident_reads_the_same_on_both_paths() {
    for fx in presets_support::all() {
        let text = fx.ndjson();
        same(&fx.name(), text.as_bytes(), None);
        same(&fx.name(), text.as_bytes(), Some(fx.preset));
    }
}

#[test]
fn awkward_lines_read_the_same_on_both_paths() {
    let mut text: Vec<u8> = Vec::new();
    let statuses = [200, 200, 429, 503, 401, 529, 500];
    for i in 0..3_000usize {
        let status = statuses[i % statuses.len()];
        let ts = format!("2026-11-18T08:{:02}:{:02}.{:03}Z", (i / 60) % 60, i % 60, i % 1000);
        let line = match i % 23 {
            0 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"error_message":"quota \"exceeded\" for sk-ant-api03-{i:08}xyz \u00e9","api_key_hash":"k{}"}}"#,
                i % 5
            ),
            1 => format!(r#"{{"@timestamp":"{ts}","st\u0061tus_code":{status}}}"#),
            2 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"model":"modèle-ü-{}","endpoint_region":"区域-{}"}}"#,
                i % 3,
                i % 2
            ),
            3 => format!(r#"{{"@timestamp":"{ts}","status_code":{status},}}"#),
            4 => format!(r#"{{"@timestamp":"{ts}","status_code":{status}}} trailing"#),
            5 => format!(r#"{{"_source":{{"@timestamp":"{ts}","status_code":{status},"forwarder_tag":"gw"}}}}"#),
            6 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"request_header":{{"x-api-key":"sk-ant-x","a":[1,-2.5e-3,true,null,{{"b":[]}}]}},"request_body":"{{\"model\":\"m\"}}"}}"#
            ),
            7 => format!(r#"{{"@timestamp":"{ts}","status_code":{status},"x":"bad \q"}}"#),
            8 => format!(r#"{{"@timestamp":"{ts}","status_code":0{status}}}"#),
            9 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"deep":{}{}}}"#,
                "[".repeat(120),
                "]".repeat(120)
            ),
            10 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"deep":{}{}}}"#,
                "[".repeat(140),
                "]".repeat(140)
            ),
            11 => format!("{{\"@timestamp\":\"{ts}\",\"status_code\":{status},\"x\":\"tab\there\"}}"),
            12 => format!(r#"   {{ "@timestamp" : "{ts}" , "status_code" : {status} , "latency_ms" : 12.5e1 }}   "#),
            13 => String::new(),
            14 => format!(r#"{{"@timestamp":"{ts}","status_code":{status},"status_code":{}}}"#, status + 1),
            15 => format!(r#"{{"@timestamp":"{ts}","status_code":"{status}","stream":"true","latency_ms":"12"}}"#),
            16 => format!(r#"[{{"@timestamp":"{ts}","status_code":{status}}}]"#),
            17 => "not json at all".to_string(),
            18 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"model":null,"api_key_hash":"k{}","client_environment":"e{}"}}"#,
                i % 7,
                i % 2
            ),
            19 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"error_message":"Error code: {status} - {{'type': 'error', 'error': {{'message': 'x'}}}}"}}"#
            ),
            20 => format!(
                r#"{{"@timestamp":"{ts}","status_code":{status},"x":"\ud800 lone","error_type":"overloaded_error"}}"#
            ),
            21 => format!(r#"{{"@timestamp":"{ts}","status_code":{status},"latency_ms":1e400}}"#),
            _ => format!(
                r#"{{"@timestamp":"{ts}","request_id":"r{i}","status_code":{status},"latency_ms":{},"payload_token_count":{},"stream":false}}"#,
                i % 977,
                i * 37 % 300_000
            ),
        };
        text.extend_from_slice(line.as_bytes());
        text.extend_from_slice(if i % 2 == 0 { b"\r\n" } else { b"\n" });
        if i % 101 == 0 {
            text.extend_from_slice(
                b"{\"@timestamp\":\"2026-11-18T08:00:00Z\",\"status_code\":500,\"model\":\"\xff\xfe\"}\n",
            );
            text.extend_from_slice(
                b"{\"@timestamp\":\"2026-11-18T08:00:00Z\",\"status_code\":500,\"ignored\":\"\xff\xfe\"}\n",
            );
        }
    }
    same("awkward.ndjson", &text, Some("faultline"));
    same("awkward.ndjson", &text, None);

    // Nested and dotted keys (ecs), the same records both ways.
    let mut ecs = String::new();
    for i in 0..2_000usize {
        let status = statuses[i % statuses.len()];
        let line = if i % 2 == 0 {
            format!(
                r#"{{"@timestamp":"2026-11-18T08:{:02}:00Z","http":{{"response":{{"status_code":{status}}},"request":{{"id":"r{i}"}}}},"url":{{"path":"/v1/messages"}},"event":{{"duration":{}}}}}"#,
                i % 60,
                i * 1000
            )
        } else {
            format!(
                r#"{{"@timestamp":"2026-11-18T08:{:02}:00Z","http.response.status_code":{status},"http.request.id":"r{i}","url.path":"/v1/messages","event.duration":{}}}"#,
                i % 60,
                i * 1000
            )
        };
        ecs.push_str(&line);
        ecs.push('\n');
    }
    same("ecs.ndjson", ecs.as_bytes(), Some("ecs"));
}
