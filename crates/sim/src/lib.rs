//! The deterministic incident simulator: labelled NDJSON request logs for each root cause of
//! rules/causes.toml and for mixes, in both field presets. Tests, benchmarks and `examples/` use it.
//!
//! Same scenario, same preset -> same bytes: the only randomness is a hand-written splitmix64
//! seeded from the scenario, and model IDs and thresholds come from the embedded knowledge base.
//!
//! Every record carries `"sim_label"`: the id of the cause that made it fail, or `"ok"`. The
//! diagnosis must ignore it; tests compare against it. Schema decisions (documented in
//! docs/simulator.md):
//! - A connection lost on the way to Anthropic is still a record with a real HTTP status: the
//!   gateway answers 502/503 (ECONNRESET) or 504 (ETIMEDOUT) and sets `network_error`. Status 0
//!   is never written.
//! - Long prompts are logged with the bulk of their text elided by the gateway, so the body
//!   stays valid JSON; `payload_bytes` and `payload_token_count` are what was sent.
//! - ECS records are nested objects (Filebeat style); `labels.*` keep their JSON types.

mod causes;
mod emit;
mod rng;
mod world;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use faultline::knowledge::Knowledge;
use serde::Serialize;

pub use causes::CauseKind;
pub use emit::{Shape, Style};
pub use rng::{allocate, Rng};

use emit::{write_record, write_shape};
use world::World;

/// The field names records are written under (the log schema, `faultline::schema`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Flat field names (`status_code`, `latency_ms`, ...).
    Faultline,
    /// Elastic Common Schema names as nested objects; `event.duration` in nanoseconds.
    Ecs,
}

impl Preset {
    pub fn parse(name: &str) -> Option<Preset> {
        match name {
            "faultline" => Some(Preset::Faultline),
            "ecs" => Some(Preset::Ecs),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Faultline => "faultline",
            Preset::Ecs => "ecs",
        }
    }
}

/// Record-format deviations a scenario exercises (readers must handle both forms).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quirks {
    /// `@timestamp` as epoch milliseconds (a number) instead of RFC 3339 text, in every record.
    pub epoch_millis: bool,
    /// ECS preset only: in about one record in three, `http.request.headers` is one string of
    /// `name: value` lines joined by CRLF instead of an object.
    pub header_strings: bool,
}

/// One simulated incident (or a healthy window).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub seed: u64,
    pub start: DateTime<Utc>,
    pub minutes: u32,
    pub baseline_rpm: u32,
    pub causes: Vec<CauseSpec>,
    /// Format deviations; `Quirks::default()` writes the plain preset.
    pub quirks: Quirks,
}

/// A root cause in a scenario and exactly how many failures it produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CauseSpec {
    /// The root-cause id (rules/causes.toml).
    pub cause: String,
    pub failures: u64,
}

/// What a generated log holds, to compare a diagnosis against. Holds no key material.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Truth {
    pub total_requests: u64,
    /// Records with a status of 400 or above.
    pub failures: u64,
    /// Failures per cause id (every cause of the scenario is present, even at 0).
    pub by_cause: BTreeMap<String, u64>,
    /// Failures labelled `ok` (none today: background traffic is healthy).
    pub unlabelled_failures: u64,
}

/// The scenario date: recent enough that the knowledge base's current models are active.
fn base_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 8, 0, 0).single().unwrap_or_default()
}

fn seed_of(name: &str) -> u64 {
    rng::fnv1a(name.as_bytes())
}

fn make(name: &str, minutes: u32, rpm: u32, causes: &[(&str, u64)], quirks: Quirks) -> Scenario {
    let seed = seed_of(name);
    // Different scenarios start at different hours of the same day.
    let start = base_start() + chrono::Duration::minutes(((seed % 10) * 37) as i64);
    Scenario {
        name: name.to_string(),
        seed,
        start,
        minutes,
        baseline_rpm: rpm,
        causes: causes.iter().map(|(c, n)| CauseSpec { cause: c.to_string(), failures: *n }).collect(),
        quirks,
    }
}

/// The failures each cause produces when it is alone in a scenario.
fn solo_failures(kind: CauseKind) -> u64 {
    match kind {
        CauseKind::AuthHeader => 260,
        CauseKind::Messages => 220,
        CauseKind::ModelId => 300,
        CauseKind::KeyFormat => 240,
        CauseKind::KeyRevoked => 320,
        CauseKind::EnvOverride => 210,
        CauseKind::RateLimit => 450,
        CauseKind::QuotaExhausted => 700,
        CauseKind::ProviderOverload => 380,
        CauseKind::MiddlewareExhaustion => 340,
        CauseKind::TimeoutNonStreaming => 260,
        CauseKind::NetworkLoss => 300,
    }
}

/// The mixes: causes sharing a status, and realistic combinations. Counts differ so that the
/// ranking is unambiguous.
const MIXES: &[&[(&str, u64)]] = &[
    &[("traffic.rate_limit", 420), ("traffic.quota_exhausted", 600)],
    &[("upstream.provider_overload", 380), ("upstream.middleware_exhaustion", 240)],
    &[("auth.key_format", 150), ("auth.key_revoked", 300), ("auth.env_override", 200)],
    &[("client.auth_header", 260), ("client.messages", 160), ("client.model_id", 210)],
    &[("upstream.timeout_non_streaming", 230), ("upstream.network_loss", 330)],
    &[("traffic.rate_limit", 400), ("upstream.provider_overload", 250)],
    &[("client.model_id", 200), ("upstream.timeout_non_streaming", 280)],
    &[("auth.key_revoked", 260), ("traffic.rate_limit", 380), ("upstream.middleware_exhaustion", 180)],
    &[("client.messages", 150), ("upstream.network_loss", 240), ("traffic.quota_exhausted", 520)],
    &[("auth.env_override", 180), ("upstream.provider_overload", 320), ("client.auth_header", 130)],
];

/// Scenarios that write the format variants readers must handle.
fn quirks_for(name: &str) -> Quirks {
    match name {
        "healthy" | "cause:traffic.rate_limit" | "cause:upstream.network_loss" => {
            Quirks { epoch_millis: false, header_strings: true }
        }
        "cause:upstream.provider_overload" | "cause:auth.key_revoked" => {
            Quirks { epoch_millis: true, header_strings: false }
        }
        "mix:upstream.provider_overload+upstream.middleware_exhaustion" => {
            Quirks { epoch_millis: true, header_strings: true }
        }
        _ => Quirks::default(),
    }
}

fn mix_name(causes: &[(&str, u64)]) -> String {
    let ids: Vec<&str> = causes.iter().map(|c| c.0).collect();
    format!("mix:{}", ids.join("+"))
}

/// Every named scenario: `healthy`, `cause:<id>` for each of the twelve causes, and the mixes
/// `mix:<a>+<b>[+<c>]`. (`incident`, the bundled example, is available through `scenario`.)
pub fn catalogue() -> Vec<Scenario> {
    let mut out = vec![make("healthy", 90, 40, &[], quirks_for("healthy"))];
    for kind in CauseKind::ALL {
        let name = format!("cause:{}", kind.id());
        out.push(make(&name, 120, 40, &[(kind.id(), solo_failures(kind))], quirks_for(&name)));
    }
    for mix in MIXES {
        let name = mix_name(mix);
        out.push(make(&name, 150, 45, mix, quirks_for(&name)));
    }
    out
}

/// The bundled example incident (examples/incident.ndjson.gz): a nightly batch hits the rate
/// limit, the provider is overloaded for a while, a deploy breaks an Authorization header, and
/// a key is revoked.
fn incident() -> Scenario {
    make(
        "incident",
        120,
        45,
        &[
            ("traffic.rate_limit", 420),
            ("upstream.provider_overload", 300),
            ("auth.key_revoked", 240),
            ("client.auth_header", 160),
        ],
        Quirks::default(),
    )
}

/// A scenario by name: any of `catalogue()`, `incident`, or an ad-hoc `mix:<a>+<b>+...` of
/// known cause ids (each then gets 250 failures).
pub fn scenario(name: &str) -> Option<Scenario> {
    if name == "incident" {
        return Some(incident());
    }
    if let Some(s) = catalogue().into_iter().find(|s| s.name == name) {
        return Some(s);
    }
    let ids = name.strip_prefix("mix:")?;
    let mut causes = Vec::new();
    for id in ids.split('+') {
        let kind = CauseKind::from_id(id)?;
        causes.push((kind.id(), 250));
    }
    Some(make(name, 150, 45, &causes, Quirks::default()))
}

impl Scenario {
    /// The same incident scaled so that its log is about `target_bytes` long: more minutes
    /// (up to a week), then more requests per minute, failures scaled alike.
    pub fn scaled_to_bytes(&self, preset: Preset, target_bytes: u64) -> io::Result<Scenario> {
        let mut counter = CountingSink(0);
        generate(self, preset, &mut counter)?;
        self.scaled(counter.0, target_bytes)
    }

    /// [`Scenario::scaled_to_bytes`] for a log shape.
    pub fn scaled_to_bytes_as(&self, shape: Shape, target_bytes: u64) -> io::Result<Scenario> {
        let mut counter = CountingSink(0);
        generate_as(self, shape, &mut counter)?;
        self.scaled(counter.0, target_bytes)
    }

    fn scaled(&self, bytes: u64, target_bytes: u64) -> io::Result<Scenario> {
        let counter = CountingSink(bytes);
        let factor = target_bytes as f64 / counter.0.max(1) as f64;
        if factor <= 1.0 {
            return Ok(self.clone());
        }
        let max_minutes = 7 * 24 * 60;
        let minute_factor = factor.min(max_minutes as f64 / f64::from(self.minutes.max(1))).max(1.0);
        let rpm_factor = factor / minute_factor;
        let mut s = self.clone();
        s.minutes = (f64::from(self.minutes) * minute_factor).round() as u32;
        s.baseline_rpm = (f64::from(self.baseline_rpm) * rpm_factor).round().max(1.0) as u32;
        for c in &mut s.causes {
            c.failures = (c.failures as f64 * factor).round() as u64;
        }
        Ok(s)
    }
}

struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The embedded knowledge base, loaded once per process (tests generate many scenarios).
fn embedded_knowledge() -> io::Result<&'static Knowledge> {
    static KNOWLEDGE: OnceLock<Result<Knowledge, String>> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| Knowledge::embedded().map_err(|e| e.to_string())).as_ref().map_err(|e| invalid(e.clone()))
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Writes the scenario's log, records in time order, one JSON object per line, and returns
/// what it holds. Fails only on a write error or an unknown cause id.
pub fn generate(s: &Scenario, preset: Preset, out: &mut dyn Write) -> io::Result<Truth> {
    let mut style_rng = Rng::derive(s.seed, "style");
    run(s, out, &mut |r, out| {
        let style = Style {
            epoch_millis: s.quirks.epoch_millis,
            header_string: s.quirks.header_strings && preset == Preset::Ecs && style_rng.chance(0.33),
        };
        write_record(r, preset, style, out)
    })
}

/// The scenario's log as another system would write it (`Shape`): the same requests, the same
/// truth (counted on the simulated statuses, before the shape rewrites them).
pub fn generate_as(s: &Scenario, shape: Shape, out: &mut dyn Write) -> io::Result<Truth> {
    run(s, out, &mut |r, out| write_shape(r, shape, out))
}

fn run(
    s: &Scenario,
    out: &mut dyn Write,
    write: &mut dyn FnMut(&emit::Record, &mut dyn Write) -> io::Result<()>,
) -> io::Result<Truth> {
    let knowledge = embedded_knowledge()?;
    let minutes = s.minutes as usize;
    let mut world_rng = Rng::derive(s.seed, "world");
    let world = World::new(s, knowledge, &mut world_rng);

    let mut kinds = Vec::with_capacity(s.causes.len());
    for c in &s.causes {
        let kind = CauseKind::from_id(&c.cause).ok_or_else(|| invalid(format!("unknown cause id `{}`", c.cause)))?;
        if knowledge.cause(kind.id()).is_none() {
            return Err(invalid(format!("cause `{}` is not in rules/causes.toml", c.cause)));
        }
        kinds.push((kind, c.failures));
    }
    // The quota plan comes first: the other causes (except client/auth errors) end at its onset.
    let mut plans = Vec::with_capacity(kinds.len());
    let mut horizon = minutes;
    for (kind, failures) in kinds.iter().filter(|(k, _)| *k == CauseKind::QuotaExhausted) {
        let mut rng = Rng::derive(s.seed, kind.id());
        let plan = causes::Plan::new(*kind, *failures, minutes, minutes, s.baseline_rpm, &world, &mut rng);
        horizon = horizon.min(plan.takes_over_from.unwrap_or(minutes));
        plans.push(plan);
    }
    for (kind, failures) in kinds.iter().filter(|(k, _)| *k != CauseKind::QuotaExhausted) {
        let mut rng = Rng::derive(s.seed, kind.id());
        plans.push(causes::Plan::new(*kind, *failures, minutes, horizon, s.baseline_rpm, &world, &mut rng));
    }

    let mut truth = Truth::default();
    for (kind, _) in &kinds {
        truth.by_cause.entry(kind.id().to_string()).or_insert(0);
    }
    let mut base_rng = Rng::derive(s.seed, "baseline");
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut records = Vec::new();
    let cap = world.baseline_concurrency.min(world.cap) as f64;
    let mut level = cap * 0.3;
    for m in 0..minutes {
        let minute_ms = world.start_ms + (m as i64) * 60_000;
        // Healthy concurrency wanders well below the cap.
        level = (level + (base_rng.f64() - 0.5) * 8.0).clamp(cap * 0.1, cap * 0.6);
        let burst = plans.iter().map(|p| p.concurrency.get(m).copied().unwrap_or(0)).max().unwrap_or(0);
        let concurrency = |rng: &mut Rng| -> u32 {
            if burst > 0 {
                (f64::from(burst) + (rng.f64() - 0.5) * 20.0).max(1.0) as u32
            } else {
                (level + (rng.f64() - 0.5) * 10.0).max(1.0) as u32
            }
        };
        let taken_over = plans.iter().any(|p| p.takes_over_from.is_some_and(|from| m >= from));
        // A gentle daily swing and minute-to-minute noise around the baseline rate.
        let swing = 1.0 + 0.12 * ((m as f64) / 240.0 * std::f64::consts::TAU).sin();
        let rpm = f64::from(s.baseline_rpm) * swing * (0.85 + 0.3 * base_rng.f64());
        let n = if taken_over { 0 } else { rpm.round() as u64 };
        records.clear();
        for _ in 0..n {
            let ts = minute_ms + base_rng.range(0, 59_999) as i64;
            let c = concurrency(&mut base_rng);
            let mut r = world.healthy(&mut base_rng, ts, c);
            for p in &plans {
                if let Some((region, minutes)) = &p.slow_region {
                    if r.region == *region && minutes.get(m).copied().unwrap_or(false) && base_rng.chance(0.3) {
                        // Retransmissions on a lossy path: slow but successful.
                        r.latency_ms += base_rng.range(3_000, 20_000);
                    }
                }
            }
            records.push(r);
        }
        for p in &plans {
            let mut rng = Rng::derive(s.seed ^ (m as u64).wrapping_mul(0x9E37_79B9), p.kind.id());
            let c = concurrency(&mut rng);
            p.emit(m, minute_ms, c, &world, &mut rng, &mut records);
        }
        records.sort_by_key(|r| r.ts_ms);
        for r in &records {
            write(r, &mut out)?;
            truth.total_requests += 1;
            if r.status >= 400 {
                truth.failures += 1;
                if r.label == "ok" {
                    truth.unlabelled_failures += 1;
                } else {
                    *truth.by_cause.entry(r.label.to_string()).or_insert(0) += 1;
                }
            }
        }
    }
    out.flush()?;
    Ok(truth)
}
