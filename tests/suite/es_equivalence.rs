//! The diagnosis computed by the cluster equals the diagnosis of the same documents read from a
//! file: for every simulated scenario (`sim::catalogue()`: healthy, each of the twelve causes
//! alone, the mixes), in both presets, osmem-server is seeded with the very documents the local
//! backend reads, and both must name the same causes with the same counts. Beyond the causes,
//! every Summary fact must be equal, except latency percentiles (sketches on both sides: within
//! 5 %, `summary::LATENCY_RELATIVE_ACCURACY` and TDigest) and field presence of fields the
//! index cannot count (noted where it happens).

use crate::es_support;

use es_support::{ctx_with, diagnose_args, fast_config, osmem, seed};
use faultline::commands::diagnose::gather_es;
use faultline::diagnose::{rank, Summary};
use faultline::logs::es::EsEnv;
use faultline::logs::local::{summarise, Options};
use faultline::logs::reader;
use faultline_sim::{self as sim, Preset, Scenario};
use serde_json::{json, Value};

/// What a log shipper's index template leaves: `@timestamp` a date (text or epoch
/// milliseconds), everything else to dynamic mapping, strings as text + `.keyword` with
/// `ignore_above: 1024` (Filebeat's template value; the bare default of 256 drops longer error
/// messages from aggregations, which the backend then reports). ECS headers logged sometimes as
/// an object and sometimes as one string cannot share a mapping: such an index keeps them
/// unparsed (`enabled: false`), as a real deployment would have to.
fn mapping(preset: Preset, scenario: &Scenario) -> Value {
    let mut props = json!({"@timestamp": {"type": "date", "format": "strict_date_optional_time||epoch_millis"}});
    if preset == Preset::Ecs && scenario.quirks.header_strings {
        props["http"] =
            json!({"properties": {"request": {"properties": {"headers": {"type": "object", "enabled": false}}}}});
    }
    json!({
        "dynamic_templates": [{"strings": {"match_mapping_type": "string", "mapping": {
            "type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}}}}],
        "properties": props
    })
}

fn local_summary(bytes: Vec<u8>, name: &str, token_limit: u64) -> Summary {
    let opts = Options::new(token_limit, 1);
    let source =
        reader::wrap(name.to_string(), Box::new(std::io::Cursor::new(bytes))).unwrap_or_else(|e| panic!("{e}"));
    summarise(source, &opts).unwrap_or_else(|e| panic!("{name}: {e}")).summary
}

/// Differences between two summaries, field by field; percentiles compared with a tolerance.
fn differences(local: &Summary, cluster: &Summary, exact: &Exact) -> Vec<String> {
    let mut out = Vec::new();
    let (a, b) = (serde_json::to_value(local).unwrap_or_default(), serde_json::to_value(cluster).unwrap_or_default());
    let (Some(ma), Some(mb)) = (a.as_object(), b.as_object()) else { return vec!["not objects".into()] };
    for (key, va) in ma {
        let vb = mb.get(key).cloned().unwrap_or_default();
        let same = match key.as_str() {
            "latency_by_status" => close(va, &vb, &exact.by_status),
            "latency_by_region" => close(va, &vb, &exact.by_region),
            _ => *va == vb,
        };
        if !same {
            let cut = |v: &Value| v.to_string().chars().take(600).collect::<String>();
            out.push(format!("{key}:\n    local   {}\n    cluster {}", cut(va), cut(&vb)));
        }
    }
    out
}

/// Exact latencies (ms), sorted, per status and per region, from the documents themselves.
struct Exact {
    by_status: std::collections::BTreeMap<String, Vec<f64>>,
    by_region: std::collections::BTreeMap<String, Vec<f64>>,
}

fn exact(docs: &[Value], preset: Preset) -> Exact {
    let (status, latency, region, scale) = match preset {
        Preset::Faultline => ("status_code", "latency_ms", "endpoint_region", 1.0),
        Preset::Ecs => ("http.response.status_code", "event.duration", "cloud.region", 1e-6),
    };
    let mut e = Exact { by_status: Default::default(), by_region: Default::default() };
    for d in docs {
        let num =
            |p: &str| faultline::logs::path::lookup(d, p).and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()));
        let (Some(st), Some(ms)) = (num(status), num(latency)) else { continue };
        let ms = ms * scale;
        e.by_status.entry(format!("{st}")).or_default().push(ms);
        if let Some(r) = faultline::logs::path::lookup(d, region).and_then(Value::as_str) {
            e.by_region.entry(r.to_string()).or_default().push(ms);
        }
    }
    for v in e.by_status.values_mut().chain(e.by_region.values_mut()) {
        v.sort_by(f64::total_cmp);
    }
    e
}

/// Percentile maps: same keys, counts and maxima exactly; each percentile of either side within
/// 1 % of the exact values 2 + n/100 ranks either side of its own rank. The local sketch reports a
/// value within 1 % of the one at that rank; TDigest interpolates between neighbours; with few
/// values above a percentile (a heavy tail, a small group), the two legitimately differ by far
/// more than a fixed percentage, and both stay inside this band.
fn close(a: &Value, b: &Value, exact: &std::collections::BTreeMap<String, Vec<f64>>) -> bool {
    let (Some(ma), Some(mb)) = (a.as_object(), b.as_object()) else { return a == b };
    if ma.len() != mb.len() {
        return false;
    }
    ma.iter().all(|(k, pa)| {
        let Some(pb) = mb.get(k) else { return false };
        let Some(values) = exact.get(k.trim_end_matches(".0")).filter(|v| !v.is_empty()) else { return false };
        let n = values.len();
        let in_band = |q: f64, x: f64| {
            // TDigest's rank error grows with the number of values (compression 100).
            let k = 2 + n / 100;
            let rank = q * (n - 1) as f64;
            let lo = values[(rank.floor() as usize).saturating_sub(k)] * 0.99;
            let hi = values[((rank.ceil() as usize) + k).min(n - 1)] * 1.01;
            x >= lo - 1.0 && x <= hi + 1.0
        };
        pa["count"] == pb["count"]
            && pa["max"] == pb["max"]
            && [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)].iter().all(|(q, f)| {
                in_band(*f, pa[q].as_f64().unwrap_or(f64::NAN)) && in_band(*f, pb[q].as_f64().unwrap_or(f64::NAN))
            })
    })
}

/// One scenario in one preset: returns what differs.
fn check(scenario: &Scenario, preset: Preset) -> Vec<String> {
    let config = fast_config();
    let token_limit = config.knowledge.thresholds.streaming.non_streaming_token_limit;
    let mut bytes = Vec::new();
    sim::generate(scenario, preset, &mut bytes).unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
    let docs: Vec<Value> = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap_or_else(|e| panic!("{}: {e}", scenario.name)))
        .collect();
    let label = format!("{} [{}]", scenario.name, preset.as_str());
    let index = format!("eq-{}-{}", preset.as_str(), scenario.name.replace([':', '+', '.'], "-")).to_lowercase();
    let started = std::time::Instant::now();
    seed(&index, Some(&mapping(preset, scenario)), &docs);
    eprintln!("{label}: {} documents seeded in {:.1} s", docs.len(), started.elapsed().as_secs_f64());

    let local = local_summary(bytes, &label, token_limit);
    let args = diagnose_args(&["--es", &osmem().url, "--index", &index]);
    let mut err = Vec::new();
    let cluster = gather_es(&args, &config, &ctx_with(EsEnv::default()), &mut err)
        .unwrap_or_else(|e| panic!("{label}: {e}"))
        .summary;

    // Keep the server small: this index is done with.
    let _ = es_support::http("DELETE", &osmem().url, &format!("/{index}"), None, &[]);
    let mut problems = Vec::new();
    let (dl, dc) = (rank::diagnose(&local, &config.knowledge), rank::diagnose(&cluster, &config.knowledge));
    let causes =
        |d: &faultline::diagnose::Diagnosis| d.causes.iter().map(|c| (c.id.clone(), c.failures)).collect::<Vec<_>>();
    if causes(&dl) != causes(&dc) || dl.total_requests != dc.total_requests || dl.failures != dc.failures {
        problems.push(format!(
            "{label}: causes differ\n    local   {} requests, {} failures, {:?}\n    cluster {} requests, {} failures, {:?}",
            dl.total_requests,
            dl.failures,
            causes(&dl),
            dc.total_requests,
            dc.failures,
            causes(&dc)
        ));
    }
    for d in differences(&local, &cluster, &exact(&docs, preset)) {
        // Headers kept unparsed (enabled: false) cannot be counted with `exists`.
        if d.starts_with("fields:") && preset == Preset::Ecs && scenario.quirks.header_strings {
            continue;
        }
        problems.push(format!("{label}: Summary.{d}"));
    }
    problems
}

/// The catalogue scaled down (same minutes and shapes, a tenth of the traffic and failures):
/// osmem-server ingests a few hundred documents a second on a shared 2-core machine, and the
/// whole suite must stay under two minutes.
fn scaled_catalogue() -> Vec<Scenario> {
    sim::catalogue()
        .into_iter()
        .map(|mut s| {
            s.baseline_rpm = (s.baseline_rpm / SCALE).max(4);
            for c in &mut s.causes {
                c.failures = (c.failures / u64::from(SCALE)).max(20);
            }
            s
        })
        .collect()
}

const SCALE: u32 = 10;

fn check_all(preset: Preset, part: usize, parts: usize) {
    let catalogue = scaled_catalogue();
    let mut problems = Vec::new();
    for (i, scenario) in catalogue.iter().enumerate() {
        if i % parts == part {
            problems.extend(check(scenario, preset));
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_scenario_same_diagnosis_faultline_preset_a() {
    check_all(Preset::Faultline, 0, 2);
}

#[test]
fn every_scenario_same_diagnosis_faultline_preset_b() {
    check_all(Preset::Faultline, 1, 2);
}

#[test]
fn every_scenario_same_diagnosis_ecs_preset_a() {
    check_all(Preset::Ecs, 0, 2);
}

#[test]
fn every_scenario_same_diagnosis_ecs_preset_b() {
    check_all(Preset::Ecs, 1, 2);
}
