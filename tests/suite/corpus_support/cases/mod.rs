//! The cases. Each function builds one small incident and says where its shapes and wordings come
//! from; `builders()` lists them. A case is a *positive* variant of the causes it is built to show and a
//! *look-alike* of the causes it must not trigger.

use super::incident::{Body, Fail, Incident, Rec, Truth};
use super::render::{render, Style};
use super::rng::Rng;
use super::words;

mod auth;
mod mixed;
mod traffic;
mod upstream;
mod validation;

pub const AUTH_HEADER: &str = "client.auth_header";
pub const MESSAGES: &str = "client.messages";
pub const MODEL_ID: &str = "client.model_id";
pub const KEY_FORMAT: &str = "auth.key_format";
pub const KEY_REVOKED: &str = "auth.key_revoked";
pub const ENV_OVERRIDE: &str = "auth.env_override";
pub const RATE_LIMIT: &str = "traffic.rate_limit";
pub const QUOTA: &str = "traffic.quota_exhausted";
pub const PROVIDER: &str = "upstream.provider_overload";
pub const MIDDLEWARE: &str = "upstream.middleware_exhaustion";
pub const TIMEOUT: &str = "upstream.timeout_non_streaming";
pub const NETWORK: &str = "upstream.network_loss";

/// The twelve causes of the layered diagnosis.
pub const CAUSES: [&str; 12] = [
    AUTH_HEADER,
    MESSAGES,
    MODEL_ID,
    KEY_FORMAT,
    KEY_REVOKED,
    ENV_OVERRIDE,
    RATE_LIMIT,
    QUOTA,
    PROVIDER,
    MIDDLEWARE,
    TIMEOUT,
    NETWORK,
];

/// What a case is about, written next to its builder.
pub struct Meta {
    pub id: &'static str,
    /// One line: what this variant changes.
    pub varies: &'static str,
    /// Causes this case is a positive variant of (each explains at least 5 failures).
    pub positive: &'static [&'static str],
    /// Causes this case must not trigger (absent from its truth).
    pub lookalike: &'static [&'static str],
    /// Which of issue 10's four mistakes it probes: 1 masked key read as broken, 2 key history,
    /// 3 time shape vs a generic message, 4 missing facts reported as absence.
    pub probes: &'static [u8],
}

pub struct Case {
    pub meta: Meta,
    pub lines: Vec<String>,
    pub truth: Truth,
}

/// Sorts the incident's records by time and writes them in `style`.
pub fn finish(meta: Meta, mut inc: Incident, style: Style) -> Case {
    inc.recs.sort_by(|a, b| (a.t_ms, &a.id).cmp(&(b.t_ms, &b.id)));
    let truth = inc.truth();
    let lines = if style.replicas {
        // Two gateway replicas' files one after the other (`cat gw-a.log gw-b.log`).
        let (a, b): (Vec<&Rec>, Vec<&Rec>) = inc.recs.iter().partition(|r| r.id.as_bytes()[8] % 2 == 0);
        a.into_iter().chain(b).map(|r| render(&style, r)).collect()
    } else {
        inc.recs.iter().map(|r| render(&style, r)).collect()
    };
    Case { meta, lines, truth }
}

/// The cases, each a builder (so they can be generated in parallel).
pub fn builders() -> Vec<fn() -> Case> {
    let mut all = Vec::new();
    all.extend_from_slice(validation::CASES);
    all.extend_from_slice(auth::CASES);
    all.extend_from_slice(traffic::CASES);
    all.extend_from_slice(upstream::CASES);
    all.extend_from_slice(mixed::CASES);
    all
}

// --- Shared pieces -------------------------------------------------------------------------------

/// Selects records in any of the minute windows [from, from + len).
pub fn within(windows: &[(u32, u32)]) -> impl Fn(&Rec) -> bool + '_ {
    move |r| windows.iter().any(|&(from, len)| r.minute >= from && r.minute < from + len)
}

/// Rate-limit bursts: `batch` fires 40-80 extra requests a minute in each window with the in-flight
/// gauge at 210-360 (the study's batch peaks against a cap of about 100-120), and a share `frac` of
/// every request in those minutes gets 429 with the error `err` makes. Between bursts nothing is
/// throttled.
pub fn rate_limit_bursts(
    inc: &mut Incident,
    batch: usize,
    windows: &[(u32, u32)],
    frac: f64,
    mut err: impl FnMut(&mut Rng, &mut Rec) -> super::incident::Err,
) -> usize {
    for &(from, len) in windows {
        inc.set_load(from, from + len, 210, 360);
        inc.extra(from, from + len, (40, 80), batch);
    }
    inc.fail_where(frac, within(windows), |rng, r| Fail::cause(429, RATE_LIMIT, err(rng, r)).latency(20, 180))
}

/// Rate-limit noise with the API's own 2026 wording.
pub fn noise_rate_limit(inc: &mut Incident, batch: usize, windows: &[(u32, u32)]) -> usize {
    let form = inc.form;
    rate_limit_bursts(inc, batch, windows, 0.5, move |rng, r| {
        form.api(rng, 429, "rate_limit_error", &words::itpm("5f1c2e8a-77d4-4b0e-9a51-3c0e6d2f9b10", &r.model))
    })
}

/// Provider overload: 529 `overloaded_error` for a share of requests in the windows.
pub fn noise_overload(inc: &mut Incident, windows: &[(u32, u32)], frac: f64) -> usize {
    let form = inc.form;
    inc.fail_where(frac, within(windows), move |rng, _| {
        Fail::cause(529, PROVIDER, form.api(rng, 529, "overloaded_error", words::OVERLOADED)).latency(300, 2_500)
    })
}

/// A batch job's loop emits a turn without content for a share of its requests from `from` on.
pub fn noise_messages(inc: &mut Incident, client: usize, from: u32, frac: f64) -> usize {
    let form = inc.form;
    inc.fail_where(
        frac,
        move |r| r.client == client && r.minute >= from,
        move |rng, r| {
            r.body = Body::NoContent(1);
            Fail::cause(400, MESSAGES, form.api(rng, 400, "invalid_request_error", &r.body.wording()))
        },
    )
}

/// A service still pinned to a retired model from minute `from` on (Claude 3.5 Sonnet v2, retired
/// 2025-10-28 per Anthropic's model deprecations page).
pub fn noise_retired_model(inc: &mut Incident, client: usize, from: u32) -> usize {
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == client && r.minute >= from,
        move |rng, r| {
            r.model = "claude-3-5-sonnet-20241022".into();
            Fail::cause(404, MODEL_ID, form.api(rng, 404, "not_found_error", &words::model_not_found(&r.model)))
        },
    )
}

/// The gateway runs out of upstream connections in these windows: Envoy's local 503.
pub fn noise_middleware(inc: &mut Incident, windows: &[(u32, u32)], frac: f64, tag: &'static str) -> usize {
    inc.fail_where(frac, within(windows), move |_, _| {
        Fail::cause(503, MIDDLEWARE, super::incident::text(Some("UH"), words::ENVOY_NO_HEALTHY)).latency(1, 40).tag(tag)
    })
}

/// A key that worked until minute `onset` and has been refused ever since.
pub fn noise_revoked(inc: &mut Incident, client: usize, onset: u32) -> usize {
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == client && r.minute >= onset,
        move |rng, _| Fail::cause(401, KEY_REVOKED, form.api(rng, 401, "authentication_error", words::INVALID_KEY)),
    )
}

/// A few failures no cause explains: 413 from Cloudflare above the size limit, 403 for a key
/// without access to a workspace resource (Anthropic API errors page).
pub fn sprinkle_unexplained(inc: &mut Incident, n: usize) {
    let form = inc.form;
    inc.sprinkle(n, move |rng, _| {
        if rng.chance(0.5) {
            Fail::unexplained(413, form.api(rng, 413, "request_too_large", words::TOO_LARGE))
        } else {
            Fail::unexplained(403, form.api(rng, 403, "permission_error", words::PERMISSION))
        }
    });
}
