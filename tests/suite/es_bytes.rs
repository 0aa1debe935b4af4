//! What a diagnosis through the cluster receives, for a 1-hour and a 30-day window (issue 13):
//! the bytes received stay under 1 MB and the requests stay three (`GET /`, `_field_caps`, one
//! `_msearch`), whatever the window. Sizes, not timings. The figures are printed:
//! `cargo test --locked --test suite es_bytes -- --nocapture`.
//!
//! The index holds the simulated incident (two hours, ~3,000 records) and 3,000 successful
//! records spread evenly over the 30 days before it (one every ~14 minutes: sparse enough for
//! osmem-server to load in seconds).

use crate::es_support;

use chrono::{DateTime, Duration, Utc};
use es_support::{ctx_with, diagnose_args, fast_config, osmem, seed};
use faultline::commands::diagnose::gather_es;
use faultline::diagnose::Summary;
use faultline::logs::es::EsEnv;
use faultline::logs::local::{summarise, Options};
use faultline::logs::reader;
use faultline_sim::{self as sim, Preset};
use serde_json::{json, Value};

const INDEX: &str = "bytes-30d";
/// The incident ends 2026-11-18T10:37Z.
const END: &str = "2026-11-18T11:00:00Z";
const BACKGROUND: usize = 3000;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn docs() -> Vec<Value> {
    let base = sim::scenario("incident").unwrap_or_else(|| panic!("no incident scenario"));
    let scenario = base.scaled_to_bytes(Preset::Faultline, 3000 * 1_370).unwrap_or_else(|e| panic!("{e}"));
    let mut bytes = Vec::new();
    sim::generate(&scenario, Preset::Faultline, &mut bytes).unwrap_or_else(|e| panic!("{e}"));
    let mut docs: Vec<Value> =
        bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).filter_map(|l| serde_json::from_slice(l).ok()).collect();
    let first = docs.iter().filter_map(|d| d["@timestamp"].as_str()).map(at).min().unwrap_or_else(|| at(END));
    let ok: Vec<Value> = docs.iter().filter(|d| d["status_code"] == 200).take(200).cloned().collect();
    let start = at(END) - Duration::days(30);
    let step = (first - start).num_milliseconds() / BACKGROUND as i64;
    for i in 0..BACKGROUND {
        let mut d = ok[i % ok.len()].clone();
        let t = start + Duration::milliseconds(step * i as i64 + 1);
        d["@timestamp"] = json!(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        d["request_id"] = json!(format!("req_background_{i:05}"));
        docs.push(d);
    }
    docs
}

/// (requests, bytes sent, bytes received, the Summary).
fn run(from: &str, to: &str) -> (u32, u64, u64, Summary) {
    let args = diagnose_args(&["--es", &osmem().url, "--index", INDEX, "--from", from, "--to", to]);
    let mut err = Vec::new();
    let got = gather_es(&args, &fast_config(), &ctx_with(EsEnv::default()), &mut err).unwrap_or_else(|e| panic!("{e}"));
    let t = &got.traffic;
    (t.requests, t.bytes_sent, t.bytes_received, got.summary)
}

/// The local backend over the same records and window.
fn local(docs: &[Value], from: &str, to: &str) -> Summary {
    let mut bytes = Vec::new();
    for d in docs {
        bytes.extend_from_slice(d.to_string().as_bytes());
        bytes.push(b'\n');
    }
    let mut opts = Options::new(fast_config().knowledge.thresholds.streaming.non_streaming_token_limit, 2);
    opts.from = Some(at(from));
    opts.to = Some(at(to));
    let source = reader::wrap("bytes".into(), Box::new(std::io::Cursor::new(bytes))).unwrap_or_else(|e| panic!("{e}"));
    summarise(source, &opts).unwrap_or_else(|e| panic!("{e}")).summary
}

#[test]
fn bytes_received_stay_under_a_megabyte_for_an_hour_and_for_thirty_days() {
    let docs = docs();
    // As the equivalence tests map strings: keyword sub-fields long enough for every message.
    let mapping = json!({
        "dynamic_templates": [{"strings": {"match_mapping_type": "string", "mapping": {
            "type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}}}}],
        "properties": {"@timestamp": {"type": "date"}}
    });
    seed(INDEX, Some(&mapping), &docs);
    let end = at(END);
    let month = (end - Duration::days(30)).to_rfc3339();
    let hour = (end - Duration::hours(1)).to_rfc3339();
    let mut rows = Vec::new();
    for (name, from) in [("1 hour", hour), ("30 days", month)] {
        let (requests, sent, received, summary) = run(&from, END);
        let (buckets, records) = (summary.minutes.len(), summary.total_requests);
        // Wider buckets for the month, the same on both backends.
        let file = local(&docs, &from, END);
        assert_eq!(summary.bucket_minutes, file.bucket_minutes, "{name}");
        assert_eq!(summary.minutes, file.minutes, "{name}");
        let ids = |s: &Summary| {
            s.samples
                .iter()
                .map(|x| format!("{} {:?} {} {:?}", x.status, x.group, x.group_key, x.request_id))
                .collect::<Vec<_>>()
        };
        let (a, b) = (ids(&summary), ids(&file));
        let only_cluster: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
        let only_file: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
        assert!(
            only_cluster.is_empty() && only_file.is_empty(),
            "{name}: cluster only {only_cluster:#?}\nfile only {only_file:#?}"
        );
        assert_eq!(summary.samples, file.samples, "{name}");
        println!(
            "es_bytes: {name} window: {records} records, {buckets} buckets, {requests} requests, {sent} bytes sent, \
             {received} bytes received"
        );
        rows.push((name, requests, received, records));
    }
    let _ = es_support::http("DELETE", &osmem().url, &format!("/{INDEX}"), None, &[]);
    for (name, requests, received, _) in &rows {
        assert_eq!(*requests, 3, "{name}: GET /, _field_caps, _msearch");
        assert!(*received < 1_000_000, "{name}: {received} bytes received");
    }
    assert_eq!(rows[1].3, docs.len() as u64, "the 30-day window holds every record");
    assert_eq!(at(END) - Duration::days(30) + Duration::minutes(30) * 1440, at(END), "30 days: 1,440 half hours");
}
