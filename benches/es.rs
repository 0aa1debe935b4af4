//! What a diagnosis through the cluster costs: requests, bytes exchanged and time, next to what
//! downloading the same documents would cost (their bytes), and next to the local backend
//! reading them from a file. Runs against a real `osmem-server` on loopback.
//!
//! `cargo bench --bench es` (FAULTLINE_BENCH_DOCS=N to choose the size; default 20000).
//! osmem-server is an in-memory test server that ingests a few hundred simulated documents a
//! second on this machine and holds each in about 100 KB of memory, so 1 M documents do not fit;
//! the bench measures at the sizes given and prints how each figure scales.

#[path = "../tests/suite/es_support.rs"]
mod es_support;

use std::time::Instant;

use es_support::{ctx_with, diagnose_args, fast_config, osmem, seed};
use faultline::commands::diagnose::gather_es;
use faultline::logs::es::EsEnv;
use faultline::logs::local::{summarise, Options};
use faultline::logs::reader;
use faultline_sim::{self as sim, Preset};
use serde_json::{json, Value};

fn main() {
    let sizes: Vec<u64> = std::env::var("FAULTLINE_BENCH_DOCS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<u64>| !v.is_empty())
        .unwrap_or_else(|| vec![5_000, 20_000]);
    let base = sim::scenario("incident").unwrap_or_else(|| panic!("no incident scenario"));
    let config = fast_config();
    println!("| documents | NDJSON bytes (= download) | requests | bytes sent | bytes received | cluster diagnosis | local diagnosis | seeding |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for target in sizes {
        // Scale the incident to about `target` records (the incident holds ~1.36 KB per record).
        let mut bytes = Vec::new();
        let scenario = base.scaled_to_bytes(Preset::Faultline, target * 1_370).unwrap_or_else(|e| panic!("{e}"));
        sim::generate(&scenario, Preset::Faultline, &mut bytes).unwrap_or_else(|e| panic!("{e}"));
        let docs: Vec<Value> = bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .filter_map(|l| serde_json::from_slice(l).ok())
            .collect();
        let index = format!("bench-{}", docs.len());
        let mapping = json!({"properties": {"@timestamp": {"type": "date"}}});
        let started = Instant::now();
        seed(&index, Some(&mapping), &docs);
        let seeding = started.elapsed();

        let args = diagnose_args(&["--es", &osmem().url, "--index", &index]);
        let started = Instant::now();
        let mut err = Vec::new();
        let got = gather_es(&args, &config, &ctx_with(EsEnv::default()), &mut err).unwrap_or_else(|e| panic!("{e}"));
        let cluster = started.elapsed();
        assert_eq!(got.summary.total_requests, docs.len() as u64);

        let opts = Options::new(config.knowledge.thresholds.streaming.non_streaming_token_limit, 2);
        let started = Instant::now();
        let source = reader::wrap("bench".into(), Box::new(std::io::Cursor::new(bytes.clone())))
            .unwrap_or_else(|e| panic!("{e}"));
        let local = summarise(source, &opts).unwrap_or_else(|e| panic!("{e}"));
        let local_time = started.elapsed();
        assert_eq!(local.summary.total_requests, docs.len() as u64);

        let t = &got.traffic;
        println!(
            "| {} | {} | {} | {} | {} | {:.2} s | {:.2} s | {:.1} s |",
            docs.len(),
            bytes.len(),
            t.requests,
            t.bytes_sent,
            t.bytes_received,
            cluster.as_secs_f64(),
            local_time.as_secs_f64(),
            seeding.as_secs_f64()
        );
        let _ = es_support::http("DELETE", &osmem().url, &format!("/{index}"), None, &[]);
    }
}
