//! Every log preset on the incidents its format can show (tests/presets_support: each record
//! built from the documented shape, each wording with its source): read through `--schema auto`
//! and through the named preset, from a file and from a real search server (osmem-server,
//! seeded through `_bulk`), with the same diagnosis — the cause expected for the kind, holding
//! every failure of it.

use crate::es_support;
use crate::presets_support;

use es_support::{ctx_with, diagnose_args, fast_config, osmem, seed};
use faultline::commands::diagnose::gather_es;
use faultline::diagnose::{rank, Diagnosis, Summary};
use faultline::logs::es::EsEnv;
use faultline::logs::local::{summarise, Options};
use faultline::logs::reader;
use presets_support::{Fixture, Kind, WINDOW};

fn local(fx: &Fixture, preset: Option<&str>) -> Summary {
    let config = fast_config();
    let k = &config.knowledge;
    let opts = Options {
        preset: preset.map(str::to_string),
        bytes_per_token: k.thresholds.payload.bytes_per_token,
        ..Options::new(k.thresholds.streaming.non_streaming_token_limit, 2)
    };
    let source = reader::wrap(fx.name(), Box::new(std::io::Cursor::new(fx.ndjson().into_bytes())))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = summarise(source, &opts).unwrap_or_else(|e| panic!("{}: {e}", fx.name()));
    assert_eq!(out.summary.skipped.count, 0, "{}: skipped {:?}", fx.name(), out.first_errors);
    out.summary
}

fn cluster(fx: &Fixture, index: &str, preset: Option<&str>) -> (Summary, Vec<String>) {
    let mut argv = vec!["--es", &osmem().url, "--index", index];
    argv.extend_from_slice(&WINDOW);
    if let Some(p) = preset {
        argv.extend_from_slice(&["--schema", p]);
    }
    let mut err = Vec::new();
    let got = gather_es(&diagnose_args(&argv), &fast_config(), &ctx_with(EsEnv::default()), &mut err)
        .unwrap_or_else(|e| panic!("{}: {e}", fx.name()));
    let mut notes = got.notes.clone();
    notes.extend(got.fields.pushdown.iter().cloned());
    (got.summary, notes)
}

fn causes(d: &Diagnosis) -> Vec<(String, u64)> {
    d.causes.iter().map(|c| (c.id.clone(), c.failures)).collect()
}

/// The diagnosis a fixture must get: its kind's cause with every failure, nothing unexplained.
fn expected(fx: &Fixture, d: &Diagnosis) -> Result<(), String> {
    let n = fx.failures();
    match fx.kind.cause() {
        Some(cause) => {
            if causes(d) != vec![(cause.to_string(), n)] || d.unexplained.failures != 0 {
                return Err(format!(
                    "expected {cause} × {n}, got {:?} ({} unexplained: {:?})",
                    causes(d),
                    d.unexplained.failures,
                    d.unexplained.by_status
                ));
            }
        }
        None => {
            // 499: counted as requests, not failures; never a cause.
            if d.failures != 0 || !d.causes.is_empty() || d.by_status.get(&499) != Some(&n) {
                return Err(format!("expected {n} × 499 and no failure, got {:?} {:?}", d.by_status, causes(d)));
            }
        }
    }
    Ok(())
}

/// What a cluster cannot see of a fixture, said out loud (the reason must be in the notes).
fn cluster_blind_spot(fx: &Fixture) -> Option<&'static str> {
    // LiteLLM logs 0 tokens on a failed call, and a raw Bedrock record no token count on a
    // failed one: the size is the length of the logged messages / request JSON, which a cluster
    // cannot aggregate (Elastic's aws_bedrock integration computes it at ingest:
    // gen_ai.performance.request_size). The file can tell a long failed request; a cluster says
    // it cannot.
    let blind = fx.kind == Kind::Timeout && (fx.preset == "litellm" || (fx.preset == "bedrock" && fx.variant == "raw"));
    blind.then_some("is not pushed down")
}

fn check(fx: &Fixture) -> Vec<String> {
    let config = fast_config();
    let k = &config.knowledge;
    let name = fx.name();
    let mut problems = Vec::new();
    let auto = local(fx, None);
    let named = local(fx, Some(fx.preset));
    if auto.schema != fx.preset {
        problems.push(format!("{name}: --schema auto picked {:?}", auto.schema));
    }
    if auto != named {
        problems.push(format!("{name}: auto and --schema {} read different facts", fx.preset));
    }
    let d_local = rank::diagnose(&named, k);
    if let Err(e) = expected(fx, &d_local) {
        problems.push(format!("{name} (file): {e}"));
    }

    let index = format!("pf-{name}");
    seed(&index, fx.mapping.as_ref(), &fx.docs);
    for preset in [None, Some(fx.preset)] {
        let (summary, notes) = cluster(fx, &index, preset);
        let d = rank::diagnose(&summary, k);
        let how = if preset.is_some() { "named" } else { "auto" };
        if summary.schema != fx.preset {
            problems.push(format!("{name} (cluster, {how}): preset {:?}", summary.schema));
        }
        if let Some(why) = cluster_blind_spot(fx) {
            if !notes.iter().any(|n| n.contains(why)) {
                problems.push(format!("{name} (cluster, {how}): the blind spot is not said: {notes:?}"));
            }
            if d.total_requests != d_local.total_requests || d.failures != d_local.failures {
                problems.push(format!("{name} (cluster, {how}): counts differ"));
            }
            continue;
        }
        if causes(&d) != causes(&d_local)
            || d.total_requests != d_local.total_requests
            || d.failures != d_local.failures
            || d.unexplained != d_local.unexplained
        {
            problems.push(format!(
                "{name} (cluster, {how}): {} requests, {} failures, {:?}, unexplained {:?}; file: {} / {} / {:?} / {:?}",
                d.total_requests,
                d.failures,
                causes(&d),
                d.unexplained.by_status,
                d_local.total_requests,
                d_local.failures,
                causes(&d_local),
                d_local.unexplained.by_status
            ));
        }
        // The facts the reasoning reads about who answered are the same.
        if summary.by_hop != named.by_hop || summary.network_errors != named.network_errors {
            problems.push(format!(
                "{name} (cluster, {how}): hop facts differ\n  cluster {:?} {:?}\n  file    {:?} {:?}",
                summary.by_hop, summary.network_errors, named.by_hop, named.network_errors
            ));
        }
    }
    let _ = es_support::http("DELETE", &osmem().url, &format!("/{index}"), None, &[]);
    problems
}

fn check_preset(preset: &str) {
    let fixtures: Vec<Fixture> = presets_support::all().into_iter().filter(|f| f.preset == preset).collect();
    assert!(!fixtures.is_empty());
    let problems: Vec<String> = fixtures.iter().flat_map(check).collect();
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn litellm() {
    check_preset("litellm");
}

#[test]
fn otel() {
    check_preset("otel");
}

#[test]
fn envoy() {
    check_preset("envoy");
}

#[test]
fn envoy_ai_gateway() {
    check_preset("envoy-ai-gateway");
}

#[test]
fn bedrock() {
    check_preset("bedrock");
}

#[test]
fn kong() {
    check_preset("kong");
}

#[test]
fn cloudflare() {
    check_preset("cloudflare");
}

/// The simulated incident as LiteLLM and Envoy Gateway log it (`sim::generate_as`, scaled to a
/// tenth: osmem ingests a few hundred documents a second): the cluster gathers the same facts as
/// the file, field for field (latency percentiles aside: sketches on both sides), and the same
/// diagnosis.
#[test]
fn a_simulated_incident_in_each_shape_gives_the_same_facts_from_a_cluster() {
    use faultline_sim::{self as sim, Shape};
    let config = fast_config();
    let k = &config.knowledge;
    for (shape, preset) in [(Shape::Litellm, "litellm"), (Shape::Envoy, "envoy")] {
        let mut s = sim::scenario("incident").unwrap_or_else(|| panic!("incident"));
        s.baseline_rpm = (s.baseline_rpm / 10).max(4);
        for c in &mut s.causes {
            c.failures = (c.failures / 10).max(20);
        }
        let mut bytes = Vec::new();
        sim::generate_as(&s, shape, &mut bytes).unwrap_or_else(|e| panic!("{e}"));
        let docs: Vec<serde_json::Value> = bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .filter_map(|l| serde_json::from_slice(l).ok())
            .collect();
        let fx = Fixture { preset, kind: Kind::RateLimit, variant: "sim", docs, mapping: None };
        let fx = Fixture { mapping: presets_support::mapping(preset), ..fx };
        let file = local(&fx, None);
        let index = format!("pf-sim-{preset}");
        seed(&index, fx.mapping.as_ref(), &fx.docs);
        let mut argv = vec!["--es", &osmem().url, "--index", &index];
        argv.extend_from_slice(&["--from", "2026-11-18T00:00:00Z", "--to", "2026-11-19T00:00:00Z"]);
        let mut err = Vec::new();
        let got = gather_es(&diagnose_args(&argv), &config, &ctx_with(EsEnv::default()), &mut err)
            .unwrap_or_else(|e| panic!("{preset}: {e}"));
        let _ = es_support::http("DELETE", &osmem().url, &format!("/{index}"), None, &[]);
        let cluster = got.summary;
        let (a, b) =
            (serde_json::to_value(&file).unwrap_or_default(), serde_json::to_value(&cluster).unwrap_or_default());
        let mut differ = Vec::new();
        for (key, va) in a.as_object().into_iter().flatten() {
            // Percentiles are sketches on both sides; a cluster cannot measure LiteLLM's messages
            // (payload_bytes), which the file counts as present; samples carry it too.
            if matches!(key.as_str(), "latency_by_status" | "latency_by_region" | "window") {
                continue;
            }
            let vb = b.get(key).cloned().unwrap_or_default();
            let (mut va, mut vb) = (va.clone(), vb);
            if preset == "litellm" && matches!(key.as_str(), "fields" | "samples") {
                strip_payload_bytes(&mut va);
                strip_payload_bytes(&mut vb);
            }
            if va != vb {
                let cut = |v: &serde_json::Value| v.to_string().chars().take(400).collect::<String>();
                differ.push(format!("{preset}: Summary.{key}:\n  file    {}\n  cluster {}", cut(&va), cut(&vb)));
            }
        }
        assert!(differ.is_empty(), "{}", differ.join("\n"));
        assert_eq!(causes(&rank::diagnose(&file, k)), causes(&rank::diagnose(&cluster, k)), "{preset}");
    }
}

fn strip_payload_bytes(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.remove("payload_bytes");
            if let Some(serde_json::Value::Array(missing)) = m.get_mut("missing") {
                missing.retain(|x| x != "payload_bytes");
            }
            for x in m.values_mut() {
                strip_payload_bytes(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_payload_bytes),
        _ => {}
    }
}
