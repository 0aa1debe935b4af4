//! What a diagnosis through the cluster receives, for a 1-hour and a 30-day window and for a
//! window without a start (issue 13): the bytes received stay under 1 MB and the requests stay
//! three (`GET /`, `_field_caps`, one `_msearch`), whatever the window. Sizes, not timings. The figures are printed:
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
fn run(index: &str, from: Option<&str>, to: Option<&str>) -> (u32, u64, u64, Summary) {
    let url = &osmem().url;
    let mut argv = vec!["--es", url, "--index", index];
    if let Some(from) = from {
        argv.extend(["--from", from]);
    }
    if let Some(to) = to {
        argv.extend(["--to", to]);
    }
    let args = diagnose_args(&argv);
    let mut err = Vec::new();
    let got = gather_es(&args, &fast_config(), &ctx_with(EsEnv::default()), &mut err).unwrap_or_else(|e| panic!("{e}"));
    let t = &got.traffic;
    (t.requests, t.bytes_sent, t.bytes_received, got.summary)
}

/// The local backend over the same records and window.
fn local(docs: &[Value], from: Option<&str>, to: Option<&str>) -> Summary {
    let mut bytes = Vec::new();
    for d in docs {
        bytes.extend_from_slice(d.to_string().as_bytes());
        bytes.push(b'\n');
    }
    let mut opts = Options::new(fast_config().knowledge.thresholds.streaming.non_streaming_token_limit, 2);
    opts.from = from.map(at);
    opts.to = to.map(at);
    let source = reader::wrap("bytes".into(), Box::new(std::io::Cursor::new(bytes))).unwrap_or_else(|e| panic!("{e}"));
    summarise(source, &opts).unwrap_or_else(|e| panic!("{e}")).summary
}

/// As the equivalence tests map strings: keyword sub-fields long enough for every message.
fn mapping() -> Value {
    json!({
        "dynamic_templates": [{"strings": {"match_mapping_type": "string", "mapping": {
            "type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}}}}],
        "properties": {"@timestamp": {"type": "date"}}
    })
}

#[test]
fn bytes_received_stay_under_a_megabyte_for_an_hour_and_for_thirty_days() {
    let docs = docs();
    seed(INDEX, Some(&mapping()), &docs);
    let end = at(END);
    let month = (end - Duration::days(30)).to_rfc3339();
    let hour = (end - Duration::hours(1)).to_rfc3339();
    let mut rows = Vec::new();
    // No start and no end: the span is the index's, which only the cluster knows.
    let windows =
        [("1 hour", Some(&*hour), Some(END)), ("30 days", Some(&*month), Some(END)), ("no start", None, None)];
    for (name, from, to) in windows {
        let (requests, sent, received, summary) = run(INDEX, from, to);
        let (buckets, records) = (summary.minutes.len(), summary.total_requests);
        // Wider buckets for the month, the same on both backends.
        let file = local(&docs, from, to);
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
             {received} bytes received, {}-minute buckets",
            summary.bucket_minutes
        );
        rows.push((name, requests, received, records));
    }
    let _ = es_support::http("DELETE", &osmem().url, &format!("/{INDEX}"), None, &[]);
    for (name, requests, received, _) in &rows {
        assert_eq!(*requests, 3, "{name}: GET /, _field_caps, _msearch");
        assert!(*received < 1_000_000, "{name}: {received} bytes received");
    }
    assert_eq!(rows[1].3, docs.len() as u64, "the 30-day window holds every record");
    assert_eq!(rows[2].3, docs.len() as u64, "so does the window without a start");
    assert_eq!(at(END) - Duration::days(30) + Duration::minutes(30) * 1440, at(END), "30 days: 1,440 half hours");
}

/// Records in the faultline preset's own shape (`status_code`, `error_type` as the API's error
/// body names it), one every 13 minutes from an odd second: 429s, 500 `api_error`s, and
/// `overloaded_error`s logged inside a 200 (an in-band 529: a stream that failed after its
/// headers).
fn spread(index: &str, first: DateTime<Utc>, records: i64) -> Vec<Value> {
    (0..records)
        .map(|i| {
            let t = first + Duration::minutes(13 * i);
            let (status, error) = match i {
                i if i % 5 == 0 => (429, Some("rate_limit_error")),
                i if i % 7 == 0 => (200, Some("overloaded_error")),
                i if i % 11 == 0 => (500, Some("api_error")),
                _ => (200, None),
            };
            let mut d = json!({
                "@timestamp": t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "request_id": format!("req_{index}_{i:05}"), "status_code": status,
                "model": "claude-sonnet-4-5-20250929", "latency_ms": 900 + i % 300,
            });
            if let Some(e) = error {
                d["error_type"] = json!(e);
            }
            d
        })
        .collect()
}

/// A window without a start: the cluster's `auto_date_histogram` chooses the width and starts
/// the buckets on the first record's minute (or hour); the file reader must cut the very same
/// buckets, failures by status included.
#[test]
fn a_window_without_a_start_is_cut_the_same_way_by_both_backends() {
    let first = at("2026-10-01T07:23:41Z");
    // 3 days: 5-minute buckets from 07:23; 40 days: hours from 07:00.
    for (index, records, width, origin) in
        [("open-3d", 333, 5, "2026-10-01T07:23:00Z"), ("open-40d", 4431, 60, "2026-10-01T07:00:00Z")]
    {
        let docs = spread(index, first, records);
        seed(index, Some(&mapping()), &docs);
        let (requests, _, received, cluster) = run(index, None, None);
        let file = local(&docs, None, None);
        let _ = es_support::http("DELETE", &osmem().url, &format!("/{index}"), None, &[]);
        assert_eq!(requests, 3, "{index}");
        assert!(received < 1_000_000, "{index}: {received} bytes");
        assert_eq!((cluster.bucket_minutes, file.bucket_minutes), (width, width), "{index}");
        assert_eq!(cluster.minutes.first().map(|m| m.start), Some(at(origin)), "{index}");
        assert_eq!(cluster.minutes, file.minutes, "{index}");
        assert!(cluster.minutes.len() as i64 <= 1440, "{index}");
        let failing: u64 = cluster.minutes.iter().flat_map(|m| m.failures.values()).sum();
        assert_eq!(failing, cluster.failures(), "{index}: every failure is in a bucket");
        assert!(cluster.minutes.iter().any(|m| m.failures.contains_key(&529)), "{index}: the in-band 529s");
    }
}

/// The samples search leaves out the fields `logs::local::NOT_IN_SAMPLES` names: a sample must
/// then be the same whether its record has them or not (a record in the faultline preset's own
/// shape, the fields under their names there).
#[test]
fn a_sample_does_not_depend_on_the_fields_the_samples_search_leaves_out() {
    let record = |with: bool| {
        let mut d = json!({
            "@timestamp": "2026-11-18T10:00:00.000Z", "request_id": "req_011CvLF2NePrjIwFzBpsxIzY",
            "status_code": 529, "error_type": "overloaded_error", "error_message": "Overloaded",
            "forwarder_tag": "anthropic-origin", "model": "claude-sonnet-4-5-20250929", "latency_ms": 812,
        });
        if with {
            d["stack_trace"] = json!("Traceback (most recent call last): ...");
            d["client_ip"] = json!("10.0.0.7");
            d["concurrent_request_count"] = json!(140);
            d["output_tokens"] = json!(0);
        }
        d
    };
    let samples = |with: bool| local(&[record(with)], None, None).samples;
    assert_eq!(faultline::logs::local::NOT_IN_SAMPLES.len(), 4);
    assert!(!samples(true).is_empty());
    assert_eq!(samples(true), samples(false));
}
