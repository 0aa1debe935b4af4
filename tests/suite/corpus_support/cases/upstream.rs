//! Layer 4, upstream: the provider, the gateway, long non-streaming requests, the network.

use super::*;
use crate::corpus_support::incident::{text, ErrForm, Fail, Incident, Label, Rec};
use crate::corpus_support::render::{KeyHash, Mask, Style};
use crate::corpus_support::rng::Rng;
use crate::corpus_support::words;

pub const CASES: &[fn() -> Case] = &[
    provider_overloaded_tagged,
    provider_litellm_500_ecs,
    provider_upstream_gw,
    provider_api_error_noise,
    provider_bedrock_connections,
    provider_gateway_tag_passthrough,
    provider_edge_envoy_body,
    provider_status_strings,
    provider_upstream_gw_no_healthy,
    provider_nginx_ingress,
    middleware_envoy_no_healthy,
    middleware_nginx_502_ecs,
    middleware_overflow_upstream_gw_noise,
    middleware_kong_502,
    middleware_envoy_timeout_long,
    middleware_reset_region_envoy,
    timeout_cloudflare_524,
    timeout_envoy_504_ecs_strings,
    timeout_bytes_only_noise,
    timeout_stream_from_body,
    timeout_long_streamed_ok,
    timeout_short_504_resets,
    timeout_long_non_streaming_ok,
    network_econnreset_region,
    network_ecs_labels,
    network_message_only,
    network_noise,
    network_slow_region_no_resets,
    network_resets_everywhere,
    network_timeouts_slow_region,
];

const REGIONS_SEA: [(&str, f64); 3] = [("us-east-1", 0.5), ("eu-west-1", 0.3), ("ap-southeast-1", 0.2)];

/// A client sending long-context requests (code analysis): 40 % above 6,000 tokens, of which
/// `stream` share stream. Long non-streaming answers that succeed take 12-28 s (nothing comes back
/// until the whole answer is ready; the study: middlewares time out at about 30 s).
fn long_client(inc: &mut Incident, env: &'static str, weight: f64, stream: f64) -> usize {
    let c = inc.client(env, weight);
    inc.clients[c].long_share = 0.4;
    inc.clients[c].long_stream_share = stream;
    inc.clients[c].says_stream_false = true;
    c
}

fn slow_long_answers(inc: &mut Incident, client: usize) {
    inc.each(
        move |r| r.client == client && r.in_tokens > 6_000 && !r.stream,
        |rng, r| r.latency_ms = rng.range(12_000, 28_000),
    );
}

fn long_unstreamed(client: usize) -> impl Fn(&Rec) -> bool {
    move |r| r.client == client && r.in_tokens > 6_000 && !r.stream
}

/// Cross-region loss in `region` during [from, to): the region's successes stretch (a third of them
/// to 12-26 s) and a share `frac` fails as `make` says, after 9-30 s.
fn degrade_region(
    inc: &mut Incident,
    region: &'static str,
    from: u32,
    to: u32,
    frac: f64,
    mut make: impl FnMut(&mut Rng, &mut Rec) -> Fail,
) -> usize {
    let pick = move |r: &Rec| r.region == region && r.minute >= from && r.minute < to;
    inc.each(pick, |rng, r| {
        r.latency_ms = if rng.chance(0.3) { rng.range(12_000, 26_000) } else { r.latency_ms * 2 };
    });
    inc.fail_where(frac, pick, move |rng, r| make(rng, r).latency(9_000, 30_000))
}

/// Platform congestion in the UTC afternoon: 529 `overloaded_error` with the full JSON body, every
/// record tagged with the provider origin; the SDKs retry. Sources: the study (41.7 % of 503s are
/// platform congestion, tagged with Anthropic origin identifiers); the 529 body.
fn provider_overloaded_tagged() -> Case {
    let mut inc = Incident::new(401, "2026-11-02T13:30:00Z", 120, (15, 20));
    inc.tag = Some("origin:api.anthropic.com".into());
    inc.client("production", 0.7);
    inc.client("production", 0.3);
    inc.fill();
    noise_overload(&mut inc, &[(20, 25), (70, 15)], 0.3);
    inc.retries(Label::Cause(PROVIDER), 0.8, 0.5);
    let meta = Meta {
        id: "provider.overloaded_tagged",
        varies: "529 JSON bodies, provider-origin tag on every record, SDK retries",
        positive: &[PROVIDER],
        lookalike: &[MIDDLEWARE, RATE_LIMIT],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// LiteLLM logs an upstream 529 as 500 `InternalServerError` with the Anthropic body inside its
/// own prefix (and, in older versions, `AnthropicException - Overloaded. Handle with ...`). ECS, no
/// forwarder tag. Sources: LiteLLM `_map_anthropic_exception`; SWE-agent/mini-swe-agent#184;
/// Aider-AI/aider#957.
fn provider_litellm_500_ecs() -> Case {
    let mut inc = Incident::new(402, "2026-11-03T14:00:00Z", 110, (15, 20));
    inc.client("production", 1.0);
    inc.fill();
    inc.fail_where(0.3, within(&[(30, 20), (75, 10)]), |rng, _| {
        let msg = if rng.chance(0.7) {
            r#"litellm.InternalServerError: AnthropicError - {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        } else {
            "litellm.InternalServerError: AnthropicException - Overloaded. Handle with `litellm.InternalServerError`."
        };
        Fail::cause(500, PROVIDER, text(Some("InternalServerError"), msg)).latency(400, 3_000)
    });
    let meta = Meta {
        id: "provider.litellm_500_ecs",
        varies: "529 logged by LiteLLM as 500 with its prefix; ECS; no forwarder tag",
        positive: &[PROVIDER],
        lookalike: &[MIDDLEWARE],
        probes: &[4],
    };
    finish(meta, inc, Style::ecs(Mask::First4Last4))
}

/// A gateway named `upstream-gw` tags every record: the name matches both the provider pattern
/// (`upstream`) and the gateway pattern (`gw`), so it says nothing. The bodies do: 529 `Overloaded`
/// and some 500 `api_error`. Message only.
/// Sources: issue 10's `upstream-gw` example; faultline's default forwarder patterns; 529/500 bodies.
fn provider_upstream_gw() -> Case {
    let mut inc = Incident::new(403, "2026-11-04T15:00:00Z", 110, (15, 20));
    inc.form = ErrForm::Message;
    inc.tag = Some("upstream-gw".into());
    inc.client("production", 1.0);
    inc.fill();
    let form = inc.form;
    inc.fail_where(0.3, within(&[(25, 20), (80, 12)]), move |rng, _| {
        if rng.chance(0.8) {
            Fail::cause(529, PROVIDER, form.api(rng, 529, "overloaded_error", words::OVERLOADED)).latency(300, 2_500)
        } else {
            Fail::cause(500, PROVIDER, form.api(rng, 500, "api_error", words::INTERNAL)).latency(300, 2_500)
        }
    });
    let meta = Meta {
        id: "provider.upstream_gw",
        varies: "ambiguous tag `upstream-gw` on every record; 529/500 provider bodies",
        positive: &[PROVIDER],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// 500 `api_error` from the provider (tagged `anthropic`), with 429 bursts and a service on a
/// retired model as noise.
/// Sources: Anthropic 500 `api_error` body (SDK default `Internal server error`).
fn provider_api_error_noise() -> Case {
    let mut inc = Incident::new(404, "2026-11-05T10:00:00Z", 120, (15, 21));
    inc.tag = Some("anthropic".into());
    inc.client("production", 0.6);
    let batch = inc.client("production", 0.25);
    let old = inc.client("production", 0.15);
    inc.fill();
    let form = inc.form;
    inc.fail_where(0.25, within(&[(35, 20)]), move |rng, _| {
        Fail::cause(500, PROVIDER, form.api(rng, 500, "api_error", words::INTERNAL)).latency(300, 2_000)
    });
    noise_rate_limit(&mut inc, batch, &[(15, 2), (90, 3)]);
    noise_retired_model(&mut inc, old, 70);
    let meta = Meta {
        id: "provider.api_error_noise",
        varies: "500 `api_error` tagged `anthropic`; 429 + retired-model noise",
        positive: &[PROVIDER, RATE_LIMIT, MODEL_ID],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Dots))
}

/// Amazon Bedrock's 503 `ServiceUnavailableException: Too many connections, please wait before
/// trying again.` Bedrock model IDs, no forwarder tag. Sources: anthropics/claude-code#562; Bedrock
/// runtime error names.
fn provider_bedrock_connections() -> Case {
    let mut inc = Incident::new(405, "2026-11-06T16:00:00Z", 110, (15, 20));
    inc.models = vec![("us.anthropic.claude-sonnet-4-6", 0.7), ("us.anthropic.claude-opus-4-8", 0.3)];
    inc.client("production", 1.0);
    inc.fill();
    inc.fail_where(0.3, within(&[(20, 15), (60, 20)]), |_, _| {
        Fail::cause(503, PROVIDER, text(Some("ServiceUnavailableException"), words::BEDROCK_CONNECTIONS))
            .latency(200, 1_500)
    });
    let meta = Meta {
        id: "provider.bedrock_connections",
        varies: "Bedrock 503 `Too many connections`; Bedrock model IDs; no tag",
        positive: &[PROVIDER],
        lookalike: &[MIDDLEWARE, MODEL_ID],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// An AI gateway stamps its own name on every record (`ai-gateway`), and passes the provider's 529
/// through with the Anthropic body (Envoy's `via_upstream`): the provider answered.
/// Sources: Envoy AI Gateway `anthropic_anthropic.go` (bodies passed or wrapped as Anthropic errors).
fn provider_gateway_tag_passthrough() -> Case {
    let mut inc = Incident::new(406, "2026-11-09T14:00:00Z", 110, (15, 20));
    inc.tag = Some("ai-gateway".into());
    inc.client("production", 1.0);
    inc.fill();
    noise_overload(&mut inc, &[(20, 18), (65, 15)], 0.3);
    let meta = Meta {
        id: "provider.gateway_tag_passthrough",
        varies: "gateway-named tag on every record; the provider's 529 body passed through",
        positive: &[PROVIDER],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Direct calls (tagged `anthropic-direct`) during a provider edge outage: api.anthropic.com
/// answers 503 with an Envoy-shaped body `upstream connect error or disconnect/reset before
/// headers. reset reason: remote connection failure` (anthropics/claude-code#7043). Fast answers in
/// every region, no connection errors on our side: the provider, not the network, not a gateway.
fn provider_edge_envoy_body() -> Case {
    let mut inc = Incident::new(407, "2026-11-10T15:00:00Z", 100, (15, 20));
    inc.tag = Some("anthropic-direct".into());
    inc.client("production", 1.0);
    inc.fill();
    inc.fail_where(0.35, within(&[(40, 15)]), |_, _| {
        Fail::cause(503, PROVIDER, text(None, words::EDGE_REMOTE_FAILURE)).latency(60, 400)
    });
    let meta = Meta {
        id: "provider.edge_envoy_body",
        varies: "the provider's edge answers an Envoy-shaped 503; provider tag; no resets",
        positive: &[PROVIDER],
        lookalike: &[MIDDLEWARE, NETWORK],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The `upstream-gw` gateway itself runs dry: Envoy's local `no healthy upstream` 503s (fast,
/// error type `UH`). The same ambiguous tag, the gateway's wording. Sources: Envoy response flags.
fn provider_upstream_gw_no_healthy() -> Case {
    let mut inc = Incident::new(408, "2026-11-11T02:00:00Z", 110, (15, 20));
    inc.tag = Some("upstream-gw".into());
    inc.client("production", 1.0);
    inc.fill();
    noise_middleware(&mut inc, &[(30, 8), (70, 6)], 0.4, "upstream-gw");
    let meta = Meta {
        id: "provider.upstream_gw_no_healthy",
        varies: "ambiguous tag `upstream-gw`; Envoy local `no healthy upstream` 503s",
        positive: &[MIDDLEWARE],
        lookalike: &[PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The Kubernetes ingress logs every request as `ingress-nginx`; its 502 page is nginx's.
/// Sources: nginx 502 page; ingress-nginx access logs.
fn provider_nginx_ingress() -> Case {
    let mut inc = Incident::new(409, "2026-11-12T03:00:00Z", 110, (15, 20));
    inc.tag = Some("ingress-nginx".into());
    inc.client("production", 1.0);
    inc.fill();
    inc.fail_where(0.35, within(&[(25, 8), (64, 8)]), |_, _| {
        Fail::cause(502, MIDDLEWARE, text(None, words::NGINX_502)).latency(1, 60)
    });
    let meta = Meta {
        id: "provider.nginx_ingress",
        varies: "nginx 502 pages from an ingress that tags every record",
        positive: &[MIDDLEWARE],
        lookalike: &[PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The gateway tags upstream answers with the origin and its own local replies `envoy-egress`:
/// `no healthy upstream` in two windows. Sources: the study (33.2 % of 503s: gateway exhaustion,
/// tagged with internal middleware identifiers); Envoy `UH`.
fn middleware_envoy_no_healthy() -> Case {
    let mut inc = Incident::new(410, "2026-11-13T19:00:00Z", 120, (15, 20));
    inc.tag = Some("anthropic-origin".into());
    inc.client("production", 1.0);
    inc.fill();
    noise_middleware(&mut inc, &[(30, 10), (85, 8)], 0.35, "envoy-egress");
    let meta = Meta {
        id: "middleware.envoy_no_healthy",
        varies: "Envoy `no healthy upstream` tagged `envoy-egress`; UUID request ids; no key field at all",
        positive: &[MIDDLEWARE],
        lookalike: &[PROVIDER, RATE_LIMIT],
        probes: &[],
    };
    // Envoy's access log has no key id and uses `x-request-id` UUIDs.
    finish(meta, inc, Style { uuid_ids: true, key_hash: KeyHash::Off, ..Style::faultline(Mask::Ellipsis).bare() })
}

/// nginx's HTML 502 page, no forwarder tag at all, ECS.
/// Sources: nginx 502 page; the study (gateways losing upstream connections).
fn middleware_nginx_502_ecs() -> Case {
    let mut inc = Incident::new(411, "2026-11-16T20:00:00Z", 110, (15, 20));
    inc.client("production", 1.0);
    inc.fill();
    inc.fail_where(0.35, within(&[(20, 10), (60, 10)]), |_, _| {
        Fail::cause(502, MIDDLEWARE, text(None, words::NGINX_502)).latency(1, 60)
    });
    let meta = Meta {
        id: "middleware.nginx_502_ecs",
        varies: "nginx 502 HTML bodies, no tag; ECS",
        positive: &[MIDDLEWARE],
        lookalike: &[PROVIDER],
        probes: &[4],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis))
}

/// Envoy's circuit breaker trips (`UO`, `upstream_reset_before_response_started{overflow}`) under
/// the ambiguous `upstream-gw` tag. Noise: 429 bursts and a revoked key.
/// Sources: Envoy response flags and `response_code_details` (`UO`).
fn middleware_overflow_upstream_gw_noise() -> Case {
    let mut inc = Incident::new(412, "2026-11-17T21:00:00Z", 120, (15, 21));
    inc.tag = Some("upstream-gw".into());
    inc.client("production", 0.6);
    let batch = inc.client("production", 0.25);
    let rep = inc.client("production", 0.15);
    inc.fill();
    inc.fail_where(0.35, within(&[(50, 10)]), |_, _| {
        Fail::cause(503, MIDDLEWARE, text(Some("UO"), words::ENVOY_OVERFLOW)).latency(1, 20)
    });
    noise_rate_limit(&mut inc, batch, &[(20, 2), (95, 3)]);
    noise_revoked(&mut inc, rep, 75);
    let meta = Meta {
        id: "middleware.overflow_upstream_gw_noise",
        varies: "Envoy `UO` overflow under `upstream-gw`; 429 + revoked-key noise",
        positive: &[MIDDLEWARE, RATE_LIMIT, KEY_REVOKED],
        lookalike: &[PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Kong's `source` field as the tag: `upstream` when the upstream answered, `kong` when Kong did;
/// Kong's own 502 `An invalid response was received from the upstream server`.
/// Sources: Kong http-log format (`source`); Kong/kong#1874, #4661.
fn middleware_kong_502() -> Case {
    let mut inc = Incident::new(413, "2026-11-18T22:00:00Z", 110, (15, 20));
    inc.tag = Some("upstream".into());
    inc.client("production", 1.0);
    inc.fill();
    inc.fail_where(0.35, within(&[(35, 10), (80, 6)]), |_, _| {
        Fail::cause(502, MIDDLEWARE, text(None, words::KONG_502)).latency(5, 200).tag("kong")
    });
    let meta = Meta {
        id: "middleware.kong_502",
        varies: "Kong 502 tagged `kong`, successes tagged `upstream`; first-4/last-4 keys",
        positive: &[MIDDLEWARE],
        lookalike: &[PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// Envoy's route timeout (`UT`, `upstream request timeout`, at 30 s) on long-context requests
/// sent without streaming, tagged by the gateway. A gateway's 504 wording and tag, but the cause is
/// the request. Sources: the study (8,000-token requests without streaming pass the 30 s timeout).
fn middleware_envoy_timeout_long() -> Case {
    let mut inc = Incident::new(414, "2026-11-19T09:00:00Z", 110, (15, 20));
    inc.tag = Some("anthropic-origin".into());
    inc.client("production", 0.7);
    let code = long_client(&mut inc, "production", 0.3, 0.1);
    inc.fill();
    slow_long_answers(&mut inc, code);
    inc.fail_where(0.6, long_unstreamed(code), |_, _| {
        Fail::cause(504, TIMEOUT, text(Some("UT"), words::ENVOY_TIMEOUT)).latency(30_000, 30_050).tag("envoy-egress")
    });
    let meta = Meta {
        id: "middleware.envoy_timeout_long",
        varies: "Envoy 504 `upstream request timeout` tagged `envoy-egress` on long non-streaming requests",
        positive: &[TIMEOUT],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Envoy reports upstream connection resets (`reset reason: connection termination`) as 503,
/// tagged by the gateway, all in ap-southeast-1 where latency stretches past 12 s.
/// Sources: Envoy local-reply bodies; the study (P99 above 12 s with TCP resets).
fn middleware_reset_region_envoy() -> Case {
    let mut inc = Incident::new(415, "2026-11-20T10:00:00Z", 110, (15, 20));
    inc.tag = Some("anthropic-origin".into());
    inc.regions = REGIONS_SEA.to_vec();
    inc.client("production", 1.0);
    inc.fill();
    degrade_region(&mut inc, "ap-southeast-1", 30, 90, 0.3, |_, _| {
        Fail::cause(503, NETWORK, text(Some("UC"), words::ENVOY_RESET)).tag("envoy-egress").net("ECONNRESET")
    });
    let meta = Meta {
        id: "middleware.reset_region_envoy",
        varies: "Envoy 503 resets tagged by the gateway, concentrated in one slow region",
        positive: &[NETWORK],
        lookalike: &[MIDDLEWARE, PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Cloudflare's 524 page in front of api.anthropic.com after 100 s, on code-analysis requests of
/// 6,500-16,000 tokens sent with `stream: false`. Sources: the study (89.2 % of 524s above 7,500
/// tokens; streaming cut them 83.7 %); Cloudflare's 524 page.
fn timeout_cloudflare_524() -> Case {
    let mut inc = Incident::new(416, "2026-11-23T11:00:00Z", 120, (15, 20));
    inc.client("production", 0.7);
    let code = long_client(&mut inc, "production", 0.3, 0.15);
    inc.fill();
    slow_long_answers(&mut inc, code);
    inc.fail_where(0.6, long_unstreamed(code), |_, _| {
        Fail::cause(524, TIMEOUT, text(None, words::CLOUDFLARE_524)).latency(100_000, 100_400)
    });
    let meta = Meta {
        id: "timeout.cloudflare_524",
        varies: "Cloudflare 524 page (api.anthropic.com) on long non-streaming requests",
        positive: &[TIMEOUT],
        lookalike: &[PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The same through Envoy (504 at 30 s), ECS with `labels.*` as strings (`labels.stream: "false"`),
/// neither headers nor bodies logged: tokens and the stream label are the evidence.
/// Sources: Envoy `UT`; Elastic keyword labels (strings); the study (30 s middleware timeouts).
fn timeout_envoy_504_ecs_strings() -> Case {
    let mut inc = Incident::new(417, "2026-11-24T12:00:00Z", 110, (15, 20));
    inc.client("production", 0.65);
    let code = long_client(&mut inc, "production", 0.35, 0.2);
    inc.fill();
    slow_long_answers(&mut inc, code);
    inc.fail_where(0.6, long_unstreamed(code), |_, _| {
        Fail::cause(504, TIMEOUT, text(Some("UT"), words::ENVOY_TIMEOUT)).latency(30_000, 30_050)
    });
    let meta = Meta {
        id: "timeout.envoy_504_ecs_strings",
        varies: "Envoy 504; ECS with string labels; headers and bodies not logged",
        positive: &[TIMEOUT],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style { label_strings: true, ..Style::ecs(Mask::Ellipsis).bare() })
}

/// No token counts logged, only payload bytes (a 9,000-token request is ~36 kB); 504
/// `timeout_error` from the API itself. Noise: a 529 wave and a revoked key.
/// Sources: Anthropic API errors page (504 `timeout_error`: "use streaming for long requests").
fn timeout_bytes_only_noise() -> Case {
    let mut inc = Incident::new(418, "2026-11-25T13:00:00Z", 120, (15, 21));
    inc.client("production", 0.5);
    let code = long_client(&mut inc, "production", 0.3, 0.2);
    let rep = inc.client("production", 0.2);
    inc.fill();
    slow_long_answers(&mut inc, code);
    let form = inc.form;
    inc.fail_where(0.6, long_unstreamed(code), move |rng, _| {
        Fail::cause(504, TIMEOUT, form.api(rng, 504, "timeout_error", words::REQUEST_TIMEOUT)).latency(60_000, 61_000)
    });
    noise_overload(&mut inc, &[(40, 10)], 0.25);
    noise_revoked(&mut inc, rep, 85);
    let meta = Meta {
        id: "timeout.bytes_only_noise",
        varies: "no token counts (payload bytes only); API 504 `timeout_error`; 529 + revoked noise",
        positive: &[TIMEOUT, PROVIDER, KEY_REVOKED],
        lookalike: &[MIDDLEWARE],
        probes: &[4],
    };
    finish(meta, inc, Style { tokens: false, ..Style::faultline(Mask::Ellipsis) })
}

/// No `stream` field: only the logged body tells, and the SDKs send no `stream` key at all for a
/// non-streaming call. 524 as Cloudflare's plain `error code: 524`.
/// Sources: anthropic-sdk-python (no `stream` key unless streaming); Cloudflare 524 text.
fn timeout_stream_from_body() -> Case {
    let mut inc = Incident::new(419, "2026-11-26T14:00:00Z", 110, (15, 20));
    inc.client("production", 0.65);
    let code = long_client(&mut inc, "production", 0.35, 0.2);
    inc.clients[code].says_stream_false = false;
    inc.fill();
    slow_long_answers(&mut inc, code);
    inc.fail_where(0.6, long_unstreamed(code), |_, _| {
        Fail::cause(524, TIMEOUT, text(None, words::CLOUDFLARE_524_TEXT)).latency(100_000, 100_400)
    });
    let meta = Meta {
        id: "timeout.stream_from_body",
        varies: "no `stream` field, no `stream` key in the bodies of non-streaming calls; plain 524",
        positive: &[TIMEOUT],
        lookalike: &[],
        probes: &[4],
    };
    finish(meta, inc, Style { stream: false, ..Style::faultline(Mask::Ellipsis) })
}

/// Long requests that *are* streamed: they take 40-90 s and succeed, so P99 is high everywhere,
/// with no resets. The failures are 529s.
/// Sources: the study (streaming avoids the 524s); Anthropic 529 body.
fn timeout_long_streamed_ok() -> Case {
    let mut inc = Incident::new(420, "2026-11-27T15:00:00Z", 110, (15, 20));
    inc.client("production", 0.6);
    let code = long_client(&mut inc, "production", 0.4, 1.0);
    inc.fill();
    inc.each(move |r| r.client == code && r.in_tokens > 6_000, |rng, r| r.latency_ms = rng.range(40_000, 90_000));
    noise_overload(&mut inc, &[(30, 15), (80, 10)], 0.3);
    let meta = Meta {
        id: "timeout.long_streamed_ok",
        varies: "long streamed requests succeed slowly (P99 high, no resets); 529 failures",
        positive: &[PROVIDER],
        lookalike: &[TIMEOUT, NETWORK],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// 504s on short requests, all in ap-southeast-1, with connection resets and timeouts at the
/// socket, latency past 12 s there: the network, not long requests.
/// Sources: Envoy `UT`; the study (cross-border loss: P99 above 12 s, resets).
fn timeout_short_504_resets() -> Case {
    let mut inc = Incident::new(421, "2026-11-30T04:00:00Z", 110, (15, 20));
    inc.regions = REGIONS_SEA.to_vec();
    inc.client("production", 0.7);
    long_client(&mut inc, "production", 0.3, 1.0);
    inc.fill();
    degrade_region(&mut inc, "ap-southeast-1", 20, 80, 0.3, |rng, r| {
        r.in_tokens = r.in_tokens.min(3_000);
        let net = if rng.chance(0.6) { "ECONNRESET" } else { "ETIMEDOUT" };
        Fail::cause(504, NETWORK, text(Some("UT"), words::ENVOY_TIMEOUT)).net(net)
    });
    let meta = Meta {
        id: "timeout.short_504_resets",
        varies: "504 on short requests with resets in one slow region",
        positive: &[NETWORK],
        lookalike: &[TIMEOUT],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Long non-streaming requests that succeed (12-28 s); the failures are the ingress's 502 pages.
/// Sources: the study (30 s middleware timeout); nginx 502 page.
fn timeout_long_non_streaming_ok() -> Case {
    let mut inc = Incident::new(422, "2026-11-30T05:00:00Z", 110, (15, 20));
    inc.client("production", 0.65);
    let code = long_client(&mut inc, "production", 0.35, 0.0);
    inc.fill();
    slow_long_answers(&mut inc, code);
    inc.fail_where(0.35, within(&[(40, 8), (90, 6)]), |_, _| {
        Fail::cause(502, MIDDLEWARE, text(None, words::NGINX_502)).latency(1, 60).tag("ingress-nginx")
    });
    let meta = Meta {
        id: "timeout.long_non_streaming_ok",
        varies: "long non-streaming requests that succeed; nginx 502 failures",
        positive: &[MIDDLEWARE],
        lookalike: &[TIMEOUT],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Cross-border packet loss on the ap-southeast-1 route: 502 with `ECONNRESET` in the
/// `network_error` field, P99 past 12 s there, the other regions healthy.
/// Sources: the study (P99 above 12 s with intermittent TCP resets; 25.1 % of 503s).
fn network_econnreset_region() -> Case {
    let mut inc = Incident::new(423, "2026-11-02T05:00:00Z", 120, (15, 20));
    inc.regions = REGIONS_SEA.to_vec();
    inc.client("production", 1.0);
    inc.fill();
    degrade_region(&mut inc, "ap-southeast-1", 25, 100, 0.3, |_, _| {
        Fail::cause(502, NETWORK, text(None, words::NODE_ECONNRESET)).net("ECONNRESET")
    });
    let meta = Meta {
        id: "network.econnreset_region",
        varies: "502 with `network_error: ECONNRESET`, one slow region",
        positive: &[NETWORK],
        lookalike: &[MIDDLEWARE, PROVIDER],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The same in ECS: `labels.network_error`, `cloud.region`, `event.duration` in nanoseconds.
/// Sources: ECS field names; Envoy `UC` local replies; the study (regional loss).
fn network_ecs_labels() -> Case {
    let mut inc = Incident::new(424, "2026-11-03T06:00:00Z", 110, (15, 20));
    inc.regions = vec![("us-east-1", 0.45), ("eu-central-1", 0.3), ("us-west-2", 0.25)];
    inc.client("production", 1.0);
    inc.fill();
    degrade_region(&mut inc, "eu-central-1", 20, 90, 0.3, |rng, _| {
        let net = if rng.chance(0.75) { "ECONNRESET" } else { "EPIPE" };
        Fail::cause(503, NETWORK, text(Some("UC"), words::ENVOY_RESET)).net(net)
    });
    let meta = Meta {
        id: "network.ecs_labels",
        varies: "ECS `labels.network_error`, `cloud.region`, duration in ns; UUID request ids",
        positive: &[NETWORK],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style { uuid_ids: true, ..Style::ecs(Mask::Ellipsis) })
}

/// No `network_error` field: the resets are only in the messages (`read ECONNRESET`, Envoy's
/// `reset reason: connection termination`).
/// Sources: Node.js `read ECONNRESET`; Envoy local-reply bodies.
fn network_message_only() -> Case {
    let mut inc = Incident::new(425, "2026-11-04T07:00:00Z", 110, (15, 20));
    inc.regions = REGIONS_SEA.to_vec();
    inc.client("production", 1.0);
    inc.fill();
    degrade_region(&mut inc, "ap-southeast-1", 30, 95, 0.3, |rng, _| {
        if rng.chance(0.5) {
            Fail::cause(502, NETWORK, text(None, words::NODE_ECONNRESET))
        } else {
            Fail::cause(503, NETWORK, text(None, words::ENVOY_RESET))
        }
    });
    let meta = Meta {
        id: "network.message_only",
        varies: "no `network_error` field: resets only in the messages",
        positive: &[NETWORK],
        lookalike: &[MIDDLEWARE],
        probes: &[4],
    };
    finish(meta, inc, Style { net: false, ..Style::faultline(Mask::Ellipsis) })
}

/// Loss in one region with a 529 wave and 429 bursts on top.
/// Sources: Node.js socket errors; Anthropic 529/429 bodies.
fn network_noise() -> Case {
    let mut inc = Incident::new(426, "2026-11-05T08:00:00Z", 120, (15, 21));
    inc.regions = REGIONS_SEA.to_vec();
    inc.client("production", 0.75);
    let batch = inc.client("production", 0.25);
    inc.fill();
    degrade_region(&mut inc, "ap-southeast-1", 40, 110, 0.3, |rng, _| {
        let msg = if rng.chance(0.7) { words::NODE_ECONNRESET } else { words::SOCKET_HANG_UP };
        Fail::cause(502, NETWORK, text(None, msg)).net("ECONNRESET")
    });
    noise_overload(&mut inc, &[(15, 12)], 0.3);
    noise_rate_limit(&mut inc, batch, &[(60, 2), (100, 2)]);
    let meta = Meta {
        id: "network.noise",
        varies: "regional resets with 529 and 429 noise",
        positive: &[NETWORK, PROVIDER, RATE_LIMIT],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// A report generator in ap-northeast-1 writes long answers: 13-25 s, all successes, no resets. The
/// failures are 529s spread over every region.
/// Sources: the study (the 12 s P99 mark needs resets too); Anthropic 529 body.
fn network_slow_region_no_resets() -> Case {
    let mut inc = Incident::new(427, "2026-11-06T09:00:00Z", 110, (15, 20));
    inc.client("production", 0.75);
    let rep = inc.client("production", 0.25);
    inc.clients[rep].region = Some("ap-northeast-1");
    inc.fill();
    inc.each(move |r| r.client == rep, |rng, r| r.latency_ms = rng.range(13_000, 25_000));
    noise_overload(&mut inc, &[(30, 15), (75, 10)], 0.3);
    let meta = Meta {
        id: "network.slow_region_no_resets",
        varies: "a region with P99 far above 12 s but no resets; 529 failures everywhere",
        positive: &[PROVIDER],
        lookalike: &[NETWORK],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// One Node service reuses stale keep-alive connections: `socket hang up` / `ECONNRESET` at once
/// (a few ms), in every region alike, latency normal. Not cross-region loss (unexplained).
/// Sources: the retry playbook on stale connections; Node.js socket errors. Noise: 429 bursts.
fn network_resets_everywhere() -> Case {
    let mut inc = Incident::new(428, "2026-11-09T10:00:00Z", 110, (15, 20));
    inc.client("production", 0.7);
    let node = inc.client("production", 0.3);
    inc.clients[node].agent = "Anthropic/TS 0.120.0";
    inc.fill();
    inc.fail_where(
        0.12,
        move |r| r.client == node,
        |_, _| Fail::unexplained(502, text(None, words::SOCKET_HANG_UP)).latency(2, 30).net("ECONNRESET"),
    );
    noise_rate_limit(&mut inc, 0, &[(50, 3)]);
    let meta = Meta {
        id: "network.resets_everywhere",
        varies: "instant resets from stale keep-alive connections in every region (unexplained)",
        positive: &[RATE_LIMIT],
        lookalike: &[NETWORK],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The code-analysis client runs in eu-central-1: its long non-streaming requests time out at
/// 30 s, so that region's P99 is far above 12 s, but nothing resets: timeouts, not loss.
/// Sources: the study (30 s middleware timeouts; P99 with resets for loss); Envoy `UT`.
fn network_timeouts_slow_region() -> Case {
    let mut inc = Incident::new(429, "2026-11-10T11:00:00Z", 110, (15, 20));
    inc.regions = vec![("us-east-1", 0.6), ("eu-west-1", 0.4)];
    inc.client("production", 0.65);
    let code = long_client(&mut inc, "production", 0.35, 0.1);
    inc.clients[code].region = Some("eu-central-1");
    inc.fill();
    slow_long_answers(&mut inc, code);
    inc.fail_where(0.6, long_unstreamed(code), |_, _| {
        Fail::cause(504, TIMEOUT, text(Some("UT"), words::ENVOY_TIMEOUT)).latency(30_000, 30_050)
    });
    let meta = Meta {
        id: "network.timeouts_slow_region",
        varies: "one region slow because its long non-streaming requests time out; no resets",
        positive: &[TIMEOUT],
        lookalike: &[NETWORK],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Statuses written as strings (`"status_code": "529"`), as Envoy's default `json_format` writes
/// `response_code` and pipelines pass it on; 529 overload bodies. Sources: Envoy access-log docs.
fn provider_status_strings() -> Case {
    let mut inc = Incident::new(430, "2026-11-11T14:00:00Z", 110, (15, 20));
    inc.client("production", 1.0);
    inc.fill();
    noise_overload(&mut inc, &[(25, 15), (70, 12)], 0.3);
    let meta = Meta {
        id: "provider.status_strings",
        varies: "every status a string of digits; 529 overload bodies",
        positive: &[PROVIDER],
        lookalike: &[MIDDLEWARE],
        probes: &[],
    };
    finish(meta, inc, Style { status_strings: true, ..Style::faultline(Mask::Ellipsis) })
}
