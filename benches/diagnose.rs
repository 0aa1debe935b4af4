//! `cargo bench --bench diagnose [-- MB]`: throughput of the local backend (summarise + layers)
//! over the simulator's `incident` scaled to MB megabytes (default 200), held in memory so the
//! figure is the parser's, not the disk's; once per worker count and log shape (the faultline
//! and ecs presets, and the same requests as LiteLLM and Envoy Gateway log them, read with the
//! `litellm` and `envoy` presets).
//! The end-to-end figures (1 GB file, stdin, 10 GB streamed, peak memory, jq) are measured with
//! the release binary and /usr/bin/time -v: see docs/diagnose.md.

use std::time::Instant;

use faultline::diagnose::rank;
use faultline::knowledge::Knowledge;
use faultline::logs::local::{summarise, Options};
use faultline::logs::reader;
use faultline_sim::{self as sim, Preset, Shape};

fn main() {
    let mb: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(200);
    let Ok(k) = Knowledge::embedded() else { return eprintln!("knowledge base failed to load") };
    let Some(base) = sim::scenario("incident") else { return eprintln!("no incident scenario") };
    let shapes: [(&str, Option<Preset>, Option<Shape>); 4] = [
        ("faultline", Some(Preset::Faultline), None),
        ("ecs", Some(Preset::Ecs), None),
        ("litellm", None, Some(Shape::Litellm)),
        ("envoy", None, Some(Shape::Envoy)),
    ];
    for (name, preset, shape) in shapes {
        let mut data = Vec::new();
        let generated = match (preset, shape) {
            (Some(p), _) => base.scaled_to_bytes(p, mb << 20).and_then(|s| sim::generate(&s, p, &mut data)),
            (None, Some(sh)) => base.scaled_to_bytes_as(sh, mb << 20).and_then(|s| sim::generate_as(&s, sh, &mut data)),
            _ => continue,
        };
        if let Err(e) = generated {
            return eprintln!("generate: {e}");
        }
        let size = data.len() as f64 / 1e6;
        for workers in [1usize, 2] {
            let opts = Options::new(k.thresholds.streaming.non_streaming_token_limit, workers);
            let start = Instant::now();
            let source = reader::wrap("bench".into(), Box::new(std::io::Cursor::new(data.clone())));
            let outcome = match source.and_then(|s| summarise(s, &opts)) {
                Ok(o) => o,
                Err(e) => return eprintln!("{e}"),
            };
            let d = rank::diagnose(&outcome.summary, &k);
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{name:9} {workers} worker(s): {size:8.1} MB in {secs:6.2} s = {:7.1} MB/s ({} records, top cause {})",
                size / secs,
                d.total_requests,
                d.causes.first().map_or("-", |c| c.id.as_str())
            );
        }
    }
}
