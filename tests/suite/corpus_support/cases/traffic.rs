//! Layer 3, traffic: short-term rate limits against an exhausted quota or spend limit.

use super::*;
use crate::corpus_support::incident::{text, Body, Err, ErrForm, Fail, Incident, Label, Rec};
use crate::corpus_support::render::{KeyHash, Mask, Style};
use crate::corpus_support::words;

pub const CASES: &[fn() -> Case] = &[
    rate_limit_bursts_itpm_tagged,
    rate_limit_generic_bursts_ecs,
    rate_limit_bedrock_throttling_noise,
    rate_limit_litellm_no_concurrency,
    rate_limit_sustained_batch,
    rate_limit_burst_at_end,
    rate_limit_kong_local,
    rate_limit_quota_generic_wording,
    rate_limit_gateway_503_high_concurrency,
    rate_limit_overload_during_bursts,
    quota_spend_cap,
    quota_specified_limits_ecs,
    quota_credit_balance_noise,
    quota_litellm_budget,
    quota_continuous_400_messages,
    quota_generic_no_concurrency,
    quota_from_window_start,
];

const ORG: &str = "0b7c3f1e-2d44-4c1a-9f0e-6a5d8e2c7b31";

/// From minute `onset` every request fails the way `make` says (the study: once the quota is gone
/// it "continues across all timestamps").
fn exhaust(inc: &mut Incident, onset: u32, status: u16, make: impl FnMut(&mut crate::corpus_support::rng::Rng) -> Err) {
    exhaust_where(inc, move |r| r.minute >= onset, status, make);
}

fn exhaust_where(
    inc: &mut Incident,
    pick: impl Fn(&Rec) -> bool,
    status: u16,
    mut make: impl FnMut(&mut crate::corpus_support::rng::Rng) -> Err,
) {
    inc.fail_where(1.0, pick, move |rng, _| Fail::cause(status, QUOTA, make(rng)).latency(30, 250));
}

/// Nightly batch analysis bursts at in-flight 210-360 against a cap of about 100; 429 with the
/// API's own per-minute wording; the SDKs retry. Every record carries the gateway's tag (it logs
/// all traffic), which names the gateway, not who answered.
/// Sources: the study (batch peaks of 210-360 concurrent requests; 64.5 % of traffic failures);
/// continuedev/continue#12057 (429 wording); anthropic-sdk-python retry defaults.
fn rate_limit_bursts_itpm_tagged() -> Case {
    let mut inc = Incident::new(301, "2026-11-02T01:00:00Z", 120, (14, 18));
    inc.tag = Some("gateway-1".into());
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    let form = inc.form;
    rate_limit_bursts(&mut inc, batch, &[(8, 3), (27, 2), (49, 4), (70, 2), (88, 3), (109, 2)], 0.5, move |rng, r| {
        form.api(rng, 429, "rate_limit_error", &words::itpm(ORG, &r.model))
    });
    inc.retries(Label::Cause(RATE_LIMIT), 0.6, 0.6);
    let meta = Meta {
        id: "rate_limit.bursts_itpm_tagged",
        varies: "classic bursts, full 429 wording, SDK retries; every record tagged `gateway-1`",
        positive: &[RATE_LIMIT],
        lookalike: &[MIDDLEWARE, QUOTA],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Issue 10's look-alike for quota: a generic `Too Many Requests` on bursts with concurrency above
/// the cap is a rate limit. ECS, message only, no error type.
/// Sources: HTTP 429 reason phrase; the study (batch peaks of 210-360 in flight).
fn rate_limit_generic_bursts_ecs() -> Case {
    let mut inc = Incident::new(302, "2026-11-03T02:00:00Z", 110, (14, 18));
    inc.client("production", 0.75);
    let batch = inc.client("production", 0.25);
    inc.fill();
    rate_limit_bursts(&mut inc, batch, &[(10, 3), (33, 3), (61, 2), (85, 3)], 0.55, |_, _| {
        text(None, words::TOO_MANY_REQUESTS)
    });
    let meta = Meta {
        id: "rate_limit.generic_bursts_ecs",
        varies: "generic `Too Many Requests` on bursts above the cap; ECS",
        positive: &[RATE_LIMIT],
        lookalike: &[QUOTA],
        probes: &[3],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis))
}

/// A gateway routing to Bedrock and to the Claude API: Bedrock's `ThrottlingException` in the
/// bursts, plus a 529 wave and a batch job's empty turns. Sources: Bedrock runtime error names;
/// `Too many requests, please wait before trying again.` (claude-code#236).
fn rate_limit_bedrock_throttling_noise() -> Case {
    let mut inc = Incident::new(303, "2026-11-04T03:00:00Z", 120, (15, 20));
    inc.client("production", 0.6);
    let batch = inc.client("production", 0.25);
    let chat = inc.client("production", 0.15);
    inc.fill();
    rate_limit_bursts(&mut inc, batch, &[(15, 3), (45, 3), (80, 3)], 0.5, |_, _| {
        text(Some("ThrottlingException"), words::BEDROCK_THROTTLING)
    });
    noise_overload(&mut inc, &[(60, 10)], 0.3);
    noise_messages(&mut inc, chat, 30, 0.3);
    let meta = Meta {
        id: "rate_limit.bedrock_throttling_noise",
        varies: "Bedrock ThrottlingException wording; 529 + messages noise",
        positive: &[RATE_LIMIT, PROVIDER, MESSAGES],
        lookalike: &[QUOTA],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Dots))
}

/// LiteLLM's log: no concurrency field at all; upstream 429s in LiteLLM's form and the router's
/// `No deployments available` once every deployment cools down. The bursts show in the minutes.
/// Sources: LiteLLM `_map_anthropic_exception`, `types/router.py` (RouterRateLimitError).
fn rate_limit_litellm_no_concurrency() -> Case {
    let mut inc = Incident::new(304, "2026-11-05T04:00:00Z", 120, (14, 18));
    inc.form = ErrForm::LiteLlm;
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    let form = inc.form;
    rate_limit_bursts(&mut inc, batch, &[(12, 2), (37, 3), (58, 2), (84, 3), (106, 2)], 0.55, move |rng, _| {
        if rng.chance(0.3) {
            text(Some("RouterRateLimitError"), &words::litellm_no_deployments("claude-sonnet"))
        } else {
            form.api(rng, 429, "rate_limit_error", &words::itpm_2025(ORG))
        }
    });
    let meta = Meta {
        id: "rate_limit.litellm_no_concurrency",
        varies: "no concurrency field; LiteLLM forms and router cooldown; hex key hashes",
        positive: &[RATE_LIMIT],
        lookalike: &[QUOTA],
        probes: &[4],
    };
    finish(meta, inc, Style { concurrency: false, key_hash: KeyHash::Hex, ..Style::faultline(Mask::First4Last4) })
}

/// A long batch run keeps 230-290 requests in flight for 40 minutes: every minute of it has 429s
/// (`Rate limited`), but 60 % of requests still succeed in each. Continuous minutes, not a hard
/// stop: a rate limit. Sources: claude-code#71670 (`Rate limited`); the study's "bursty vs
/// continuous".
fn rate_limit_sustained_batch() -> Case {
    let mut inc = Incident::new(305, "2026-11-06T21:00:00Z", 120, (14, 18));
    inc.form = ErrForm::Message;
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    inc.set_load(40, 80, 230, 290);
    inc.extra(40, 80, (45, 65), batch);
    let form = inc.form;
    inc.fail_where(0.4, within(&[(40, 40)]), move |rng, _| {
        Fail::cause(429, RATE_LIMIT, form.api(rng, 429, "rate_limit_error", words::RATE_LIMITED)).latency(20, 150)
    });
    let meta = Meta {
        id: "rate_limit.sustained_batch",
        varies: "40 continuous minutes of partial 429s (`Rate limited`) at concurrency 230-290",
        positive: &[RATE_LIMIT],
        lookalike: &[QUOTA],
        probes: &[3],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The log ends inside a burst: the last three minutes fail at 85 % with concurrency ~300. A final
/// failing stretch, but the earlier bursts and the load say rate limit. Wordings: the 2026
/// per-minute form and `This request would exceed your account's rate limit` (claude-code#71670).
fn rate_limit_burst_at_end() -> Case {
    let mut inc = Incident::new(306, "2026-11-07T22:00:00Z", 120, (14, 18));
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    let form = inc.form;
    let err = move |rng: &mut crate::corpus_support::rng::Rng, r: &mut Rec| {
        let msg = if rng.chance(0.3) { words::ACCOUNT_RATE_LIMIT.to_string() } else { words::itpm(ORG, &r.model) };
        form.api(rng, 429, "rate_limit_error", &msg)
    };
    rate_limit_bursts(&mut inc, batch, &[(20, 3), (50, 3), (85, 2)], 0.5, err);
    rate_limit_bursts(&mut inc, batch, &[(117, 3)], 0.85, err);
    let meta = Meta {
        id: "rate_limit.burst_at_end",
        varies: "the log ends inside a burst (last 3 minutes at 85 % 429)",
        positive: &[RATE_LIMIT],
        lookalike: &[QUOTA],
        probes: &[3],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Issue 10's third mistake: from 07:36 every request gets 429 with only `Rate limited`, the
/// in-flight gauge never above 72 (cap 100), the SDKs retrying each twice in vain. The shape is a
/// hard stop: quota, whatever the message says.
/// Sources: claude-code#71670 (`Rate limited`); the study (quota failures are continuous).
fn rate_limit_quota_generic_wording() -> Case {
    let mut inc = Incident::new(307, "2026-11-09T06:20:00Z", 130, (14, 18));
    inc.form = ErrForm::Message;
    inc.client("production", 0.7);
    inc.client("production", 0.3);
    inc.fill();
    let form = inc.form;
    exhaust(&mut inc, 76, 429, move |rng| form.api(rng, 429, "rate_limit_error", words::RATE_LIMITED));
    inc.retries(Label::Cause(QUOTA), 1.0, 1.0);
    let meta = Meta {
        id: "rate_limit.quota_generic_wording",
        varies: "continuous 429 `Rate limited` from an onset, concurrency never above the cap",
        positive: &[QUOTA],
        lookalike: &[RATE_LIMIT],
        probes: &[3],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// Batch windows push in-flight requests to 210-360, and the gateway (not the API) gives way:
/// Envoy's local `no healthy upstream` 503s; no 429 at all.
/// Sources: the study (gateway exhaustion in batch windows); Envoy `UH` local replies.
fn rate_limit_gateway_503_high_concurrency() -> Case {
    let mut inc = Incident::new(308, "2026-11-10T00:00:00Z", 120, (14, 18));
    inc.tag = Some("anthropic-origin".into());
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    let windows = [(20, 4), (55, 4), (90, 4)];
    for &(from, len) in &windows {
        inc.set_load(from, from + len, 210, 360);
        inc.extra(from, from + len, (40, 80), batch);
    }
    noise_middleware(&mut inc, &windows, 0.45, "envoy-egress");
    let meta = Meta {
        id: "rate_limit.gateway_503_high_concurrency",
        varies: "concurrency above the cap in batch windows, but the failures are gateway 503s",
        positive: &[MIDDLEWARE],
        lookalike: &[RATE_LIMIT, PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Batch windows at high concurrency coincide with a platform overload: 529 `overloaded_error`,
/// not 429. Sources: the Claude API's 529 body; the study (platform 503/529 in UTC daytime peaks).
fn rate_limit_overload_during_bursts() -> Case {
    let mut inc = Incident::new(309, "2026-11-11T13:00:00Z", 120, (14, 18));
    inc.tag = Some("anthropic-origin".into());
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    let windows = [(15, 4), (50, 5), (95, 4)];
    for &(from, len) in &windows {
        inc.set_load(from, from + len, 210, 360);
        inc.extra(from, from + len, (40, 80), batch);
    }
    noise_overload(&mut inc, &windows, 0.4);
    let meta = Meta {
        id: "rate_limit.overload_during_bursts",
        varies: "529 overloads in high-concurrency batch windows (no 429)",
        positive: &[PROVIDER],
        lookalike: &[RATE_LIMIT, MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The tier's monthly spend cap: from minute 55 every request gets 429 with
/// `details.error_code = "enforced_spend_limit_reached"` and no `retry-after`; the SDKs retry
/// anyway. Keys worked before: a quota, not a revocation. The gateway also serves a second
/// organisation, whose few requests keep succeeding. Sources: Anthropic rate-limits page.
fn quota_spend_cap() -> Case {
    let mut inc = Incident::new(310, "2026-11-30T20:00:00Z", 110, (14, 18));
    inc.client("production", 0.67);
    inc.client("staging", 0.28);
    let other_org = inc.client("production", 0.05);
    inc.fill();
    let form = inc.form;
    exhaust_where(
        &mut inc,
        move |r| r.minute >= 55 && r.client != other_org,
        429,
        move |rng| form.api_with(rng, 429, "rate_limit_error", words::SPEND_CAP, Some(words::SPEND_CAP_CODE)),
    );
    inc.retries(Label::Cause(QUOTA), 1.0, 1.0);
    let meta = Meta {
        id: "quota.spend_cap",
        varies: "429 spend cap with `enforced_spend_limit_reached`, SDK retries; keys worked before",
        positive: &[QUOTA],
        lookalike: &[RATE_LIMIT, KEY_REVOKED],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// A spend limit the organisation set: 400 `You have reached your specified API usage limits`
/// (a 400, not a 429) from minute 80. ECS, neither headers nor bodies logged, message only.
/// Sources: claude-code#2127, #38035.
fn quota_specified_limits_ecs() -> Case {
    let mut inc = Incident::new(311, "2026-11-12T10:00:00Z", 120, (14, 18));
    inc.form = ErrForm::Message;
    inc.client("production", 0.8);
    inc.client("staging", 0.2);
    inc.fill();
    let form = inc.form;
    exhaust(&mut inc, 80, 400, move |rng| form.api(rng, 400, "invalid_request_error", words::SPECIFIED_LIMITS));
    let meta = Meta {
        id: "quota.specified_limits_ecs",
        varies: "400 `specified API usage limits` from an onset; ECS; headers and bodies not logged",
        positive: &[QUOTA],
        lookalike: &[MESSAGES, RATE_LIMIT],
        probes: &[],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis).bare())
}

/// Prepaid credits run out at minute 75 (400 `Your credit balance is too low ...`), after an
/// earlier morning of 429 bursts and a 529 wave. Errors in the SDK's string form.
/// Sources: Anthropic credit-balance wording; anthropic-sdk-python `APIStatusError` strings.
fn quota_credit_balance_noise() -> Case {
    let mut inc = Incident::new(312, "2026-11-13T08:00:00Z", 120, (14, 18));
    inc.form = ErrForm::Sdk;
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    noise_rate_limit(&mut inc, batch, &[(15, 3), (40, 2)]);
    noise_overload(&mut inc, &[(25, 10)], 0.25);
    let form = inc.form;
    exhaust(&mut inc, 75, 400, move |rng| form.api(rng, 400, "invalid_request_error", words::CREDIT_BALANCE));
    let meta = Meta {
        id: "quota.credit_balance_noise",
        varies: "400 credit balance after 429 bursts and a 529 wave; SDK strings; details on failures only",
        positive: &[QUOTA, RATE_LIMIT, PROVIDER],
        lookalike: &[MESSAGES, AUTH_HEADER],
        probes: &[1, 3],
    };
    finish(meta, inc, Style { details_on_failure: true, ..Style::faultline(Mask::Dots) })
}

/// The LiteLLM proxy's own budget for the team's virtual key: from minute 50, 429
/// `Budget has been exceeded!` (older LiteLLM versions answered 429; newer ones 422).
/// Sources: litellm `budget_exceeded_status_code`, `BudgetExceededError`.
fn quota_litellm_budget() -> Case {
    let mut inc = Incident::new(313, "2026-11-16T11:00:00Z", 110, (14, 18));
    inc.client("production", 1.0);
    inc.fill();
    let mut cost = 1000.0213_f64;
    exhaust(&mut inc, 50, 429, move |rng| {
        cost += rng.range(1, 40) as f64 / 1000.0;
        text(Some("BudgetExceededError"), &words::litellm_budget((cost * 10_000.0).round() / 10_000.0, 1000.0))
    });
    let meta = Meta {
        id: "quota.litellm_budget",
        varies: "LiteLLM proxy budget exceeded (429) from an onset; hex key hashes",
        positive: &[QUOTA],
        lookalike: &[RATE_LIMIT],
        probes: &[],
    };
    finish(meta, inc, Style { key_hash: KeyHash::Hex, ..Style::faultline(Mask::First4Last4).bare() })
}

/// A single-client app ships a build at minute 45 that drops the content of the first turn:
/// every request since is 400 `messages.0.content: Field required`. Continuous from an onset,
/// nearly every request failing, and a 400: the quota's shape, but the body failed.
/// Sources: Anthropic validation wording; the study ("continuous failures usually indicate quota").
fn quota_continuous_400_messages() -> Case {
    let mut inc = Incident::new(314, "2026-11-17T09:00:00Z", 110, (14, 18));
    inc.client("production", 1.0);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        |r| r.minute >= 45,
        move |rng, r| {
            r.body = Body::NoContent(0);
            Fail::cause(400, MESSAGES, form.api(rng, 400, "invalid_request_error", &r.body.wording()))
        },
    );
    let meta = Meta {
        id: "quota.continuous_400_messages",
        varies: "every request 400 `messages.0.content` after a release: continuous, but the body",
        positive: &[MESSAGES],
        lookalike: &[QUOTA],
        probes: &[3],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Kong's own rate-limiting plugin answers the bursts (`{"message":"API rate limit exceeded"}`,
/// tagged `kong` by Kong's `source`), the upstream answers the rest (`upstream`). A gateway's tag
/// and wording on a 429: still a short-term rate limit. Sources: Kong/kong#732; Kong http-log
/// `source`.
fn rate_limit_kong_local() -> Case {
    let mut inc = Incident::new(315, "2026-11-18T02:00:00Z", 110, (14, 18));
    inc.tag = Some("upstream".into());
    inc.client("production", 0.7);
    let batch = inc.client("production", 0.3);
    inc.fill();
    let windows = [(14, 3), (41, 2), (66, 3), (93, 2)];
    for &(from, len) in &windows {
        inc.set_load(from, from + len, 210, 360);
        inc.extra(from, from + len, (40, 80), batch);
    }
    inc.fail_where(0.5, within(&windows), |_, _| {
        Fail::cause(429, RATE_LIMIT, text(None, words::KONG_RATE_LIMIT)).latency(1, 10).tag("kong")
    });
    let meta = Meta {
        id: "rate_limit.kong_local",
        varies: "Kong's own rate-limit 429s tagged `kong` in bursts above the cap",
        positive: &[RATE_LIMIT],
        lookalike: &[MIDDLEWARE, QUOTA],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// Continuous 429s from an onset with the bare reason phrase `Too Many Requests` and no
/// concurrency field at all: the shape of time alone says quota.
/// Sources: the study ("it continues across all timestamps"); LiteLLM logs carry no concurrency.
fn quota_generic_no_concurrency() -> Case {
    let mut inc = Incident::new(316, "2026-11-19T15:00:00Z", 120, (14, 18));
    inc.client("production", 0.75);
    inc.client("ci", 0.25);
    inc.fill();
    exhaust(&mut inc, 64, 429, |_| text(None, words::TOO_MANY_REQUESTS));
    inc.retries(Label::Cause(QUOTA), 1.0, 1.0);
    let meta = Meta {
        id: "quota.generic_no_concurrency",
        varies: "continuous `Too Many Requests` from an onset; no concurrency field",
        positive: &[QUOTA],
        lookalike: &[RATE_LIMIT],
        probes: &[3, 4],
    };
    finish(meta, inc, Style { concurrency: false, ..Style::faultline(Mask::Ellipsis) })
}

/// The on-call engineer runs `--since 90m` long after the spend cap hit: every minute of the window
/// already fails (429 `enforced_spend_limit_reached`, SDK retries), no onset inside it, only a
/// second organisation's few requests succeed. Sources: Anthropic rate-limits page (spend cap);
/// the study (quota failures continue across all timestamps).
fn quota_from_window_start() -> Case {
    let mut inc = Incident::new(317, "2026-12-01T03:00:00Z", 90, (14, 18));
    inc.client("production", 0.9);
    let other_org = inc.client("production", 0.1);
    inc.fill();
    let form = inc.form;
    exhaust_where(
        &mut inc,
        move |r| r.client != other_org,
        429,
        move |rng| form.api_with(rng, 429, "rate_limit_error", words::SPEND_CAP, Some(words::SPEND_CAP_CODE)),
    );
    inc.retries(Label::Cause(QUOTA), 1.0, 1.0);
    let meta = Meta {
        id: "quota.from_window_start",
        varies: "spend cap already hit before the window starts: no onset inside it",
        positive: &[QUOTA],
        lookalike: &[RATE_LIMIT, KEY_REVOKED],
        probes: &[3],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}
