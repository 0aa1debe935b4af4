//! Healthy traffic, failures no cause explains, and several causes at once.

use super::*;
use crate::corpus_support::incident::{text, Auth, Fail, Incident};
use crate::corpus_support::render::{Headers, Mask, Schema, Style, Time};
use crate::corpus_support::words;

pub const CASES: &[fn() -> Case] =
    &[healthy_masked, healthy_stars_bearer_ecs, unexplained_grab_bag, replicas_concatenated, four_causes_dotted];

/// Two hours of healthy traffic through a gateway that masks every key (`sk-ant-api03-S…`), three
/// clients in three environments, a handful of 403s. Nothing to find.
/// Sources: gateway key masks (`sk-ant-api03-S…`); Anthropic 403/413 bodies.
fn healthy_masked() -> Case {
    let mut inc = Incident::new(501, "2026-11-02T09:00:00Z", 120, (15, 20));
    inc.client("production", 0.7);
    inc.client("staging", 0.2);
    inc.client("development", 0.1);
    inc.fill();
    sprinkle_unexplained(&mut inc, 3);
    let meta = Meta {
        id: "mixed.healthy_masked",
        varies: "healthy traffic, every key masked `sk-ant-api03-S…`, 3 unexplained failures",
        positive: &[],
        lookalike: &[AUTH_HEADER, KEY_FORMAT, MESSAGES, MODEL_ID, ENV_OVERRIDE],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Healthy `Authorization: Bearer` traffic, keys `sk-ant-api03-********`, ECS with headers as one
/// string of lines. Nothing to find.
/// Sources: the OpenAI-compatible `Authorization: Bearer` form (Anthropic OpenAI SDK page); ECS.
fn healthy_stars_bearer_ecs() -> Case {
    let mut inc = Incident::new(502, "2026-11-03T10:00:00Z", 110, (15, 20));
    for (env, w) in [("production", 0.8), ("staging", 0.2)] {
        let c = inc.client(env, w);
        inc.clients[c].auth = Auth::Header("Bearer ");
    }
    inc.fill();
    sprinkle_unexplained(&mut inc, 2);
    let meta = Meta {
        id: "mixed.healthy_stars_bearer_ecs",
        varies: "healthy Bearer traffic, keys `********`, ECS, headers as a string",
        positive: &[],
        lookalike: &[AUTH_HEADER, KEY_FORMAT, ENV_OVERRIDE],
        probes: &[1],
    };
    finish(meta, inc, Style { headers: Headers::Lines, ..Style::ecs(Mask::Stars) })
}

/// Failures none of the twelve causes explains: 403 `permission_error`, 413 from Cloudflare, 499
/// from LiteLLM when callers give up, 400 `max_tokens` over the limit, 400 `prompt is too long`.
/// Sources: Anthropic API errors page; LiteLLM `ClientDisconnected`; observed 400 wordings.
fn unexplained_grab_bag() -> Case {
    let mut inc = Incident::new(503, "2026-11-04T11:00:00Z", 120, (15, 20));
    inc.client("production", 0.6);
    inc.client("production", 0.25);
    inc.client("staging", 0.15);
    inc.fill();
    let form = inc.form;
    inc.sprinkle(150, move |rng, r| match rng.range(0, 4) {
        0 => Fail::unexplained(403, form.api(rng, 403, "permission_error", words::PERMISSION)),
        1 => Fail::unexplained(413, form.api(rng, 413, "request_too_large", words::TOO_LARGE)),
        2 => {
            Fail::unexplained(499, text(Some("ClientDisconnected"), words::LITELLM_CLIENT_GONE)).latency(5_000, 20_000)
        }
        3 => {
            r.max_tokens = 100_000;
            Fail::unexplained(
                400,
                form.api(rng, 400, "invalid_request_error", &words::max_tokens_over(100_000, &r.model)),
            )
        }
        _ => {
            r.in_tokens = rng.range(200_500, 260_000);
            Fail::unexplained(400, form.api(rng, 400, "invalid_request_error", &words::prompt_too_long(r.in_tokens)))
        }
    });
    let meta = Meta {
        id: "mixed.unexplained_grab_bag",
        varies: "only failures no cause explains (403, 413, 499, two kinds of 400)",
        positive: &[],
        lookalike: &[MESSAGES, MODEL_ID, AUTH_HEADER, KEY_FORMAT, QUOTA],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Stars))
}

/// `cat gw-a.log gw-b.log | faultline diagnose -`: two gateway replicas' files one after the other,
/// so time runs twice. A key revoked at minute 50 and a 529 wave.
/// Sources: the README's pipeline usage (`kubectl logs ... | faultline diagnose -`); Anthropic bodies.
fn replicas_concatenated() -> Case {
    let mut inc = Incident::new(504, "2026-11-05T12:00:00Z", 120, (15, 20));
    inc.client("production", 0.7);
    let rep = inc.client("production", 0.3);
    inc.fill();
    noise_revoked(&mut inc, rep, 50);
    noise_overload(&mut inc, &[(20, 12), (80, 10)], 0.3);
    let meta = Meta {
        id: "mixed.replicas_concatenated",
        varies: "two replicas' logs concatenated (not time-ordered); revoked key + 529 waves",
        positive: &[KEY_REVOKED, PROVIDER],
        lookalike: &[KEY_FORMAT],
        probes: &[2],
    };
    finish(meta, inc, Style { replicas: true, ..Style::faultline(Mask::Ellipsis) })
}

/// Four causes at once in ECS with literal dotted keys, string labels and `+00:00` times: a dotted
/// model ID, 429 bursts, regional resets, and a key pasted with a BOM (kept by a `********` mask).
/// Sources: ECS and OTel-style dotted keys; the dotted-model 404 (anthropics/skills); the study.
fn four_causes_dotted() -> Case {
    let mut inc = Incident::new(505, "2026-11-06T13:00:00Z", 120, (18, 23));
    inc.regions = vec![("us-east-1", 0.5), ("eu-west-1", 0.3), ("ap-southeast-1", 0.2)];
    inc.client("production", 0.55);
    let batch = inc.client("production", 0.2);
    let typo = inc.client("production", 0.1);
    let bom = inc.client("staging", 0.06);
    inc.clients[bom].key.insert(0, '\u{feff}');
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == bom,
        move |rng, _| Fail::cause(401, KEY_FORMAT, form.api(rng, 401, "authentication_error", words::INVALID_KEY)),
    );
    inc.fail_where(
        1.0,
        move |r| r.client == typo && r.minute >= 60,
        move |rng, r| {
            r.model = "claude-opus-4.8".into();
            Fail::cause(404, MODEL_ID, form.api(rng, 404, "not_found_error", &words::model_not_found(&r.model)))
        },
    );
    noise_rate_limit(&mut inc, batch, &[(20, 3), (75, 2)]);
    inc.each(
        move |r| r.region == "ap-southeast-1" && r.minute >= 30 && r.minute < 100,
        |rng, r| {
            r.latency_ms = if rng.chance(0.3) { rng.range(12_000, 26_000) } else { r.latency_ms * 2 };
        },
    );
    inc.fail_where(
        0.2,
        |r| r.region == "ap-southeast-1" && r.minute >= 30 && r.minute < 100,
        |_, _| Fail::cause(502, NETWORK, text(None, words::NODE_ECONNRESET)).latency(9_000, 30_000).net("ECONNRESET"),
    );
    let meta = Meta {
        id: "mixed.four_causes_dotted",
        varies: "dotted model ID + 429 bursts + regional resets + BOM key; ECS dotted keys, string labels",
        positive: &[MODEL_ID, RATE_LIMIT, NETWORK, KEY_FORMAT],
        lookalike: &[ENV_OVERRIDE],
        probes: &[1],
    };
    let style = Style {
        schema: Schema::EcsDotted,
        label_strings: true,
        headers: Headers::Object,
        time: Time::Offset,
        ..Style::ecs(Mask::Stars)
    };
    finish(meta, inc, style)
}
