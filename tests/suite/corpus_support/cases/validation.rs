//! Layer 2, the request itself: the Authorization header, the `messages` array, the model ID.

use super::*;
use crate::corpus_support::incident::{text, Auth, Body, ErrForm, Fail, Incident};
use crate::corpus_support::render::{Headers, KeyHash, Mask, Schema, Style};
use crate::corpus_support::words;

pub const CASES: &[fn() -> Case] = &[
    lowercase_bearer,
    newline_last4_ecs,
    missing_space_stars_noise,
    litellm_not_logged,
    nbsp_scheme_dotted,
    masked_ok_messages_400,
    lowercase_bearer_succeeds,
    redacted_max_tokens,
    angle_redacted_revoked,
    messages_empty_content,
    messages_not_logged_ecs,
    messages_null_role_sdk_noise,
    messages_bedrock_redacted,
    messages_truncated_bodies,
    messages_prompt_too_long,
    model_retired,
    model_dotted_not_logged_ecs,
    model_litellm_alias_noise,
    model_bedrock_id_redacted,
    model_wrong_path,
    model_new_models_overload,
    model_bedrock_gateway_ok,
];

fn bearer_clients(inc: &mut Incident, envs: &[(&'static str, f64)]) {
    for &(env, w) in envs {
        let c = inc.client(env, w);
        inc.clients[c].auth = Auth::Header("Bearer ");
        inc.clients[c].agent = "OpenAI/Python 1.109.1";
    }
}

/// An OpenAI-compatible gateway that parses `Authorization: Bearer <key>` strictly: after a deploy
/// at 08:35 the ETL client builds `bearer <key>` and every one of its requests gets 400.
/// Sources: the Elasticsearch study of 126,472 requests (27.6 % of invalid headers use lowercase
/// `bearer`); gateways that reject it (gravitee-io/issues#3250, wso2/product-microgateway#925);
/// the 400 body of asfadmin/thin-egress-app#858. Keys masked `sk-ant-api03-S…`.
fn lowercase_bearer() -> Case {
    let mut inc = Incident::new(101, "2026-11-03T08:00:00Z", 120, (14, 19));
    bearer_clients(&mut inc, &[("production", 0.55), ("production", 0.3), ("staging", 0.15)]);
    inc.fill();
    inc.fail_where(
        1.0,
        |r| r.client == 1 && r.minute >= 35,
        |_, r| {
            r.auth = Auth::Header("bearer ");
            Fail::cause(400, AUTH_HEADER, text(Some("invalid_request"), words::MALFORMED_AUTHORIZATION)).latency(2, 15)
        },
    );
    sprinkle_unexplained(&mut inc, 4);
    let meta = Meta {
        id: "auth_header.lowercase_bearer",
        varies: "lowercase `bearer` after a deploy, 400 from a strict gateway; keys masked `sk-ant-api03-S…`",
        positive: &[AUTH_HEADER],
        lookalike: &[],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// A rotated key pasted from an editor with a trailing line break: `Authorization: Bearer <key>\n`.
/// The gateway logs keys LiteLLM-style (first 4, last 4), so the line break survives the mask
/// (`Bearer sk-a****xyAA\n`). ECS, headers as arrays, error message only.
/// Sources: the study (38.4 % of invalid headers carry a hidden line break); LiteLLM's key mask in
/// `proxy/auth/user_api_key_auth.py`; Elastic Common Schema field names.
fn newline_last4_ecs() -> Case {
    let mut inc = Incident::new(102, "2026-11-04T13:00:00Z", 110, (14, 19));
    inc.form = ErrForm::Message;
    bearer_clients(&mut inc, &[("production", 0.6), ("production", 0.25), ("staging", 0.15)]);
    let rotated = format!("{}\n", inc.new_key());
    inc.fill();
    inc.fail_where(
        1.0,
        |r| r.client == 1 && r.minute >= 50,
        move |_, r| {
            r.key = rotated.clone();
            Fail::cause(400, AUTH_HEADER, text(Some("invalid_request"), "Malformed Authorization header"))
                .latency(2, 15)
        },
    );
    let meta = Meta {
        id: "auth_header.newline_last4_ecs",
        varies: "trailing line break visible through a first-4/last-4 mask after a key rotation; ECS",
        positive: &[AUTH_HEADER],
        lookalike: &[],
        probes: &[1],
    };
    finish(meta, inc, Style::ecs(Mask::First4Last4))
}

/// A CI job builds the header as `"Bearer" + key` (no space): LiteLLM's proxy answers 401 with its
/// own wording. Keys masked `sk-ant-api03-********`; headers logged as one `name: value` string.
/// Noise: rate-limit bursts from a batch job and a wave of 529s.
/// Sources: LiteLLM `proxy/auth` ("Malformed API Key passed in. Ensure Key has `Bearer ` prefix.");
/// the study's "one space after Bearer" rule; Anthropic rate-limit and overload bodies.
fn missing_space_stars_noise() -> Case {
    let mut inc = Incident::new(103, "2026-11-05T19:00:00Z", 120, (15, 21));
    bearer_clients(&mut inc, &[("production", 0.6), ("ci", 0.15), ("production", 0.25)]);
    inc.fill();
    inc.fail_where(
        1.0,
        |r| r.client == 1 && r.minute >= 20,
        |_, r| {
            r.auth = Auth::Header("Bearer");
            Fail::cause(401, AUTH_HEADER, text(Some("ProxyException"), words::LITELLM_MALFORMED_KEY)).latency(3, 30)
        },
    );
    noise_rate_limit(&mut inc, 2, &[(40, 2), (95, 2)]);
    noise_overload(&mut inc, &[(60, 12)], 0.25);
    let meta = Meta {
        id: "auth_header.missing_space_stars_noise",
        varies: "`Bearersk-…` (no space), LiteLLM 401 wording; `********` mask; header string; 429 + 529 noise",
        positive: &[AUTH_HEADER, RATE_LIMIT, PROVIDER],
        lookalike: &[],
        probes: &[1],
    };
    finish(meta, inc, Style { headers: Headers::Lines, ..Style::faultline(Mask::Stars) })
}

/// Neither headers nor bodies logged (LiteLLM's StandardLoggingPayload keeps no raw headers): the
/// only evidence is the proxy's wording. The failing developer key never succeeds and sits in one
/// environment while other keys succeed elsewhere: the shape of a stale `.env`, but the proxy says
/// what is wrong. Sources: LiteLLM `proxy/auth` wording; LiteLLM `user_api_key_hash` (hex sha256).
fn litellm_not_logged() -> Case {
    let mut inc = Incident::new(104, "2026-11-06T09:30:00Z", 100, (15, 20));
    bearer_clients(&mut inc, &[("production", 0.7), ("development", 0.12), ("staging", 0.18)]);
    inc.fill();
    inc.fail_where(
        1.0,
        |r| r.client == 1,
        |_, r| {
            r.auth = Auth::Header("bearer ");
            Fail::cause(401, AUTH_HEADER, text(Some("ProxyException"), words::LITELLM_MALFORMED_KEY)).latency(3, 30)
        },
    );
    let meta = Meta {
        id: "auth_header.litellm_not_logged",
        varies: "headers and bodies not logged: LiteLLM's wording only; failing key concentrated in one env",
        positive: &[AUTH_HEADER],
        lookalike: &[ENV_OVERRIDE],
        probes: &[4],
    };
    finish(meta, inc, Style { key_hash: KeyHash::Hex, ..Style::faultline(Mask::First4Last4).bare() })
}

/// A no-break space between the scheme and the key (`Bearer\u{a0}sk-…`, pasted from a rich-text
/// runbook); the mask hides the key but not the separator. ECS with literal dotted keys.
/// Sources: the study ("invisible whitespace", rich-text consoles); thin-egress-app#858's 400.
fn nbsp_scheme_dotted() -> Case {
    let mut inc = Incident::new(105, "2026-11-07T06:00:00Z", 90, (17, 22));
    bearer_clients(&mut inc, &[("production", 0.65), ("production", 0.35)]);
    inc.fill();
    inc.fail_where(
        1.0,
        |r| r.client == 1 && r.minute >= 20,
        |_, r| {
            r.auth = Auth::Header("Bearer\u{a0}");
            Fail::cause(400, AUTH_HEADER, text(Some("invalid_request"), words::MALFORMED_AUTHORIZATION)).latency(2, 15)
        },
    );
    let meta = Meta {
        id: "auth_header.nbsp_scheme_dotted",
        varies: "NBSP between `Bearer` and a masked key; ECS with literal dotted keys",
        positive: &[AUTH_HEADER],
        lookalike: &[],
        probes: &[1],
    };
    finish(meta, inc, Style { schema: Schema::EcsDotted, headers: Headers::Object, ..Style::ecs(Mask::Ellipsis) })
}

/// Issue 10's first example: every key is masked (`sk-ant-api03-S…`, one client with a proper
/// `Authorization: Bearer`), traffic is healthy, and a batch job's 400s all answer
/// `messages.1.content: Field required`: the body failed, not the key.
/// Sources: Anthropic API validation wording; gateway masks.
fn masked_ok_messages_400() -> Case {
    let mut inc = Incident::new(106, "2026-11-09T10:00:00Z", 120, (15, 21));
    inc.client("production", 0.6);
    bearer_clients(&mut inc, &[("production", 0.4)]);
    inc.fill();
    noise_messages(&mut inc, 1, 25, 0.35);
    let meta = Meta {
        id: "auth_header.masked_ok_messages_400",
        varies: "masked keys on healthy traffic plus 400 `messages.1.content: Field required`",
        positive: &[MESSAGES],
        lookalike: &[AUTH_HEADER, KEY_FORMAT],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// One client sends lowercase `bearer` all along and succeeds: authorization schemes are
/// case-insensitive (RFC 7235; SamSaffron/term-llm#414) and this gateway honours it. The failures
/// are 429 bursts from a batch job. Keys masked `sk-ant-api03-Sx7Qe...`.
/// Sources: RFC 7235 (schemes are case-insensitive); SamSaffron/term-llm#414; Anthropic 429 wording.
fn lowercase_bearer_succeeds() -> Case {
    let mut inc = Incident::new(107, "2026-11-10T22:00:00Z", 120, (14, 18));
    bearer_clients(&mut inc, &[("production", 0.5), ("production", 0.3), ("production", 0.2)]);
    inc.clients[0].auth = Auth::Header("bearer ");
    inc.fill();
    noise_rate_limit(&mut inc, 2, &[(10, 3), (35, 3), (62, 2), (90, 3)]);
    let meta = Meta {
        id: "auth_header.lowercase_bearer_succeeds",
        varies: "lowercase `bearer` on requests that succeed; the failures are 429 bursts",
        positive: &[RATE_LIMIT],
        lookalike: &[AUTH_HEADER],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Dots))
}

/// Headers logged as `[REDACTED]` whole; a client's new config asks for `max_tokens: 128000` and
/// gets 400 (not one of the twelve causes: unexplained), while 529s come and go.
/// Sources: claude-code#24451 (`max_tokens: N > M, which is the maximum allowed ...`); overload body.
fn redacted_max_tokens() -> Case {
    let mut inc = Incident::new(108, "2026-11-11T15:00:00Z", 100, (15, 21));
    bearer_clients(&mut inc, &[("production", 0.7), ("production", 0.3)]);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        |r| r.client == 1 && r.minute >= 40,
        move |rng, r| {
            r.max_tokens = 128_000;
            Fail::unexplained(
                400,
                form.api(rng, 400, "invalid_request_error", &words::max_tokens_over(128_000, &r.model)),
            )
        },
    );
    noise_overload(&mut inc, &[(15, 10), (70, 8)], 0.3);
    let meta = Meta {
        id: "auth_header.redacted_max_tokens",
        varies: "`[REDACTED]` headers; unexplained 400 `max_tokens` over the limit; 529 waves",
        positive: &[PROVIDER],
        lookalike: &[AUTH_HEADER, MESSAGES, MODEL_ID],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Redacted))
}

/// `<redacted>` in place of every `x-api-key`; the reporting service's key is revoked at minute 45
/// and answers `invalid x-api-key` ever since. Sources: Anthropic 401 wording; the study's revoked
/// keys (31.8 % of authentication failures).
fn angle_redacted_revoked() -> Case {
    let mut inc = Incident::new(109, "2026-11-12T03:00:00Z", 120, (12, 17));
    inc.client("production", 0.7);
    inc.client("production", 0.3);
    inc.fill();
    noise_revoked(&mut inc, 1, 45);
    let meta = Meta {
        id: "auth_header.angle_redacted_revoked",
        varies: "`<redacted>` keys; a key revoked mid-window answers `invalid x-api-key`",
        positive: &[KEY_REVOKED],
        lookalike: &[AUTH_HEADER, KEY_FORMAT],
        probes: &[1, 2],
    };
    finish(meta, inc, Style::faultline(Mask::AngleRedacted))
}

/// A conversation builder drops the text of one turn: `messages.2` is `""` (and sometimes a turn
/// loses its content key). Keys masked `sk-ant-api03-S…`, full JSON error bodies.
/// Sources: Anthropic validation wording (`messages.N: all messages must have non-empty content
/// except for the optional final assistant message`, `messages.N.content: Field required`).
fn messages_empty_content() -> Case {
    let mut inc = Incident::new(110, "2026-11-13T11:00:00Z", 120, (15, 20));
    inc.client("production", 0.65);
    let chat = inc.client("production", 0.35);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        0.4,
        move |r| r.client == chat && r.minute >= 15,
        move |rng, r| {
            r.body = if rng.chance(0.75) { Body::EmptyContent(2) } else { Body::NoContent(1) };
            Fail::cause(400, MESSAGES, form.api(rng, 400, "invalid_request_error", &r.body.wording()))
        },
    );
    sprinkle_unexplained(&mut inc, 3);
    let meta = Meta {
        id: "messages.empty_content",
        varies: "empty content / missing content in sampled bodies; `sk-ant-api03-S…` keys; JSON bodies",
        positive: &[MESSAGES],
        lookalike: &[AUTH_HEADER, KEY_FORMAT],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Neither headers nor bodies logged, ECS: only the API's message says the body failed.
/// Sources: Anthropic validation wording (`messages: text content blocks must be non-empty`,
/// opencode#15715); ECS field names.
fn messages_not_logged_ecs() -> Case {
    let mut inc = Incident::new(111, "2026-11-14T08:00:00Z", 110, (15, 20));
    inc.form = ErrForm::Message;
    inc.client("production", 0.6);
    let bot = inc.client("production", 0.4);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        0.3,
        move |r| r.client == bot && r.minute >= 30,
        move |rng, r| {
            r.body = if rng.chance(0.6) { Body::EmptyTextBlock } else { Body::NoContent(0) };
            Fail::cause(400, MESSAGES, form.api(rng, 400, "invalid_request_error", &r.body.wording()))
        },
    );
    let meta = Meta {
        id: "messages.not_logged_ecs",
        varies: "headers and bodies not logged; ECS; message only",
        positive: &[MESSAGES],
        lookalike: &[],
        probes: &[4],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis).bare())
}

/// A role left `null` by a template; the errors as the Python SDK prints them
/// (`Error code: 400 - {'type': 'error', ...}`); keys first-4/last-4. Noise: rate-limit bursts and
/// a 529 wave. Sources: anthropic-sdk-python `_make_status_error_from_response`; validation wording.
fn messages_null_role_sdk_noise() -> Case {
    let mut inc = Incident::new(112, "2026-11-16T14:00:00Z", 120, (16, 21));
    inc.form = ErrForm::Sdk;
    inc.client("production", 0.55);
    let tmpl = inc.client("production", 0.25);
    inc.client("production", 0.2);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        0.3,
        move |r| r.client == tmpl && r.minute >= 10,
        move |rng, r| {
            r.body = Body::NullRole(0);
            Fail::cause(400, MESSAGES, form.api(rng, 400, "invalid_request_error", &r.body.wording()))
        },
    );
    noise_rate_limit(&mut inc, 2, &[(30, 2), (75, 3)]);
    noise_overload(&mut inc, &[(50, 10)], 0.3);
    let meta = Meta {
        id: "messages.null_role_sdk_noise",
        varies: "null role; SDK `Error code: 400 - {...}` form; first-4/last-4 keys; rate-limit + 529 noise",
        positive: &[MESSAGES, RATE_LIMIT, PROVIDER],
        lookalike: &[KEY_FORMAT],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// Through a gateway to Amazon Bedrock: Bedrock model IDs that are right there, authorization
/// `[REDACTED]`, and `ValidationException: messages: text content blocks must be non-empty`.
/// Sources: Bedrock runtime error names; portkey error library / opencode#15715; Bedrock model IDs
/// from Anthropic's model-ids page (`us.anthropic.claude-sonnet-4-6`).
fn messages_bedrock_redacted() -> Case {
    let mut inc = Incident::new(113, "2026-11-17T17:00:00Z", 100, (14, 18));
    inc.form = ErrForm::Message;
    inc.models = vec![("us.anthropic.claude-sonnet-4-6", 0.7), ("global.anthropic.claude-opus-4-8", 0.3)];
    bearer_clients(&mut inc, &[("production", 0.6), ("production", 0.4)]);
    inc.fill();
    inc.fail_where(
        0.35,
        |r| r.client == 1 && r.minute >= 25,
        |_, r| {
            r.body = Body::EmptyTextBlock;
            Fail::cause(400, MESSAGES, text(Some("ValidationException"), &r.body.wording()))
        },
    );
    let meta = Meta {
        id: "messages.bedrock_redacted",
        varies: "Bedrock ValidationException wording; Bedrock model IDs; `[REDACTED]` authorization",
        positive: &[MESSAGES],
        lookalike: &[MODEL_ID, AUTH_HEADER],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Redacted))
}

/// The gateway logs only the first 120 bytes of each body, so no body is valid JSON; the failures
/// are rate-limit bursts. Sources: gateways that cap logged bodies; Anthropic 429 wording.
fn messages_truncated_bodies() -> Case {
    let mut inc = Incident::new(114, "2026-11-18T01:00:00Z", 120, (14, 18));
    inc.client("production", 0.7);
    inc.client("production", 0.3);
    inc.fill();
    noise_rate_limit(&mut inc, 1, &[(12, 3), (44, 2), (71, 3), (101, 2)]);
    let meta = Meta {
        id: "messages.truncated_bodies",
        varies: "every logged body cut at 120 bytes (not JSON); the failures are 429 bursts",
        positive: &[RATE_LIMIT],
        lookalike: &[MESSAGES, MODEL_ID],
        probes: &[],
    };
    finish(meta, inc, Style { body_cut: Some(120), ..Style::faultline(Mask::Ellipsis) })
}

/// A retrieval service stuffs its prompts past the context window: 400 `prompt is too long` (no
/// cause of the twelve: unexplained), on huge non-streaming requests. Noise: Envoy `no healthy
/// upstream` from the gateway. Sources: observed `prompt is too long: N tokens > 200000 maximum`.
fn messages_prompt_too_long() -> Case {
    let mut inc = Incident::new(115, "2026-11-19T12:00:00Z", 110, (15, 20));
    inc.tag = Some("anthropic-origin".into());
    inc.client("production", 0.7);
    let rag = inc.client("production", 0.3);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        0.25,
        move |r| r.client == rag,
        move |rng, r| {
            r.in_tokens = rng.range(201_000, 240_000);
            r.stream = false;
            Fail::unexplained(400, form.api(rng, 400, "invalid_request_error", &words::prompt_too_long(r.in_tokens)))
        },
    );
    noise_middleware(&mut inc, &[(60, 6)], 0.4, "envoy-egress");
    let meta = Meta {
        id: "messages.prompt_too_long",
        varies: "unexplained 400 `prompt is too long` on huge non-streaming requests; gateway 503 noise",
        positive: &[MIDDLEWARE],
        lookalike: &[MESSAGES, TIMEOUT],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// A report service still pinned to Claude 3.5 Sonnet v2, retired 2025-10-28: every call is 404
/// `model: claude-3-5-sonnet-20241022`. Sources: Anthropic model deprecations page; the 404 body
/// `{"type":"not_found_error","message":"model: ..."}`.
fn model_retired() -> Case {
    let mut inc = Incident::new(116, "2026-11-20T07:00:00Z", 120, (14, 18));
    inc.client("production", 0.7);
    let reports = inc.client("production", 0.3);
    inc.clients[reports].model = Some("claude-3-5-sonnet-20241022");
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == reports,
        move |rng, r| {
            Fail::cause(404, MODEL_ID, form.api(rng, 404, "not_found_error", &words::model_not_found(&r.model)))
        },
    );
    let meta = Meta {
        id: "model_id.retired",
        varies: "a retired model ID, 404 JSON body; the service's key never succeeds; `sk-ant-api03-S…`",
        positive: &[MODEL_ID],
        lookalike: &[KEY_FORMAT, ENV_OVERRIDE, KEY_REVOKED],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// A deploy at minute 30 writes the model as `claude-sonnet-4.6` (a dot): 404. ECS, neither
/// headers nor bodies logged, message only. Sources: anthropics/skills error-codes.md (the dotted
/// typo gives 404); Anthropic model IDs.
fn model_dotted_not_logged_ecs() -> Case {
    let mut inc = Incident::new(117, "2026-11-21T10:00:00Z", 100, (15, 20));
    inc.form = ErrForm::Message;
    inc.client("production", 0.6);
    let svc = inc.client("staging", 0.4);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == svc && r.minute >= 30,
        move |rng, r| {
            r.model = "claude-sonnet-4.6".into();
            Fail::cause(404, MODEL_ID, form.api(rng, 404, "not_found_error", &words::model_not_found(&r.model)))
        },
    );
    let meta = Meta {
        id: "model_id.dotted_not_logged_ecs",
        varies: "dotted model ID after a deploy; ECS; headers and bodies not logged",
        positive: &[MODEL_ID],
        lookalike: &[],
        probes: &[4],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis).bare())
}

/// Through LiteLLM: a script asks for the short alias `claude-3-sonnet` and the proxy refuses it
/// with its own 400 wording. Errors in LiteLLM's forms; keys first-4/last-4; hex key hashes.
/// Noise: 429 bursts and the proxy's own 503s. Sources: LiteLLM `route_llm_request.py`,
/// `_map_anthropic_exception`; the study's short-alias example.
fn model_litellm_alias_noise() -> Case {
    let mut inc = Incident::new(118, "2026-11-23T16:00:00Z", 120, (15, 21));
    inc.form = ErrForm::LiteLlm;
    inc.client("production", 0.6);
    let script = inc.client("production", 0.15);
    inc.clients[script].model = Some("claude-3-sonnet");
    inc.client("production", 0.25);
    inc.fill();
    inc.fail_where(
        1.0,
        move |r| r.client == script && r.minute >= 5,
        |_, r| {
            Fail::cause(400, MODEL_ID, text(Some("BadRequestError"), &words::litellm_invalid_model(&r.model)))
                .latency(2, 20)
        },
    );
    noise_rate_limit(&mut inc, 2, &[(25, 3), (80, 2)]);
    noise_middleware(&mut inc, &[(55, 5)], 0.3, "litellm-proxy");
    let meta = Meta {
        id: "model_id.litellm_alias_noise",
        varies: "LiteLLM `Invalid model name` for a short alias; LiteLLM error forms; 429 + proxy 503 noise",
        positive: &[MODEL_ID, RATE_LIMIT, MIDDLEWARE],
        lookalike: &[KEY_FORMAT],
        probes: &[1],
    };
    finish(meta, inc, Style { key_hash: KeyHash::Hex, ..Style::faultline(Mask::First4Last4) })
}

/// A Bedrock model ID sent to the Claude API (`anthropic.claude-sonnet-4-5-20250929-v1:0`): 404.
/// Authorization `[REDACTED]`. Sources: faultline's cause table ("IDs of another provider"); Bedrock IDs
/// from Anthropic's model-ids page; the 404 `model: ...` body.
fn model_bedrock_id_redacted() -> Case {
    let mut inc = Incident::new(119, "2026-11-24T05:00:00Z", 110, (14, 18));
    inc.client("production", 0.75);
    let port = inc.client("production", 0.25);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == port && r.minute >= 15,
        move |rng, r| {
            r.model = "anthropic.claude-sonnet-4-5-20250929-v1:0".into();
            Fail::cause(404, MODEL_ID, form.api(rng, 404, "not_found_error", &words::model_not_found(&r.model)))
        },
    );
    let meta = Meta {
        id: "model_id.bedrock_id_redacted",
        varies: "a Bedrock ID sent to the Claude API; `[REDACTED]` keys",
        positive: &[MODEL_ID],
        lookalike: &[AUTH_HEADER, KEY_FORMAT],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Redacted))
}

/// A client calls `/v1/message` (a typo in the path) with good model IDs: 404 `Not found` is not a
/// model problem (unexplained). The other failures are 429 bursts. Sources: Anthropic API errors
/// page (404 covers endpoint paths too); SDK default message `Not found`.
fn model_wrong_path() -> Case {
    let mut inc = Incident::new(120, "2026-11-25T09:00:00Z", 110, (15, 20));
    inc.client("production", 0.8);
    let typo = inc.client("staging", 0.2);
    inc.clients[typo].path = "/v1/message";
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == typo,
        move |rng, _| Fail::unexplained(404, form.api(rng, 404, "not_found_error", words::NOT_FOUND)),
    );
    noise_rate_limit(&mut inc, 0, &[(30, 3), (70, 3)]);
    let meta = Meta {
        id: "model_id.wrong_path",
        varies: "404 `Not found` from a wrong path with valid models (unexplained); 429 bursts",
        positive: &[RATE_LIMIT],
        lookalike: &[MODEL_ID],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// Healthy traffic on the newest models (Opus 5.5, Sonnet 5.5, Fable 5.1, Haiku 5.5): unfamiliar
/// IDs that work. The failures are 529 overloads. Sources: Anthropic model table (late 2026).
fn model_new_models_overload() -> Case {
    let mut inc = Incident::new(121, "2026-11-26T14:00:00Z", 120, (15, 21));
    inc.models = vec![
        ("claude-opus-5-5", 0.3),
        ("claude-sonnet-5-5", 0.4),
        ("claude-fable-5-1", 0.15),
        ("claude-haiku-5-5", 0.15),
    ];
    inc.client("production", 1.0);
    inc.fill();
    noise_overload(&mut inc, &[(20, 15), (70, 20)], 0.3);
    inc.retries(crate::corpus_support::incident::Label::Cause(PROVIDER), 0.7, 0.5);
    let meta = Meta {
        id: "model_id.new_models_overload",
        varies: "the newest model IDs succeed; 529 waves with SDK retries",
        positive: &[PROVIDER],
        lookalike: &[MODEL_ID],
        probes: &[],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// A gateway in front of Amazon Bedrock: cross-region inference-profile IDs succeed; the failures
/// are `ThrottlingException` bursts under batch load. Sources: Bedrock profile IDs (Anthropic
/// model-ids page, AWS CDK enum); Bedrock throttling wording (i-dot-ai/caddy-chatbot#97).
fn model_bedrock_gateway_ok() -> Case {
    let mut inc = Incident::new(122, "2026-11-27T20:00:00Z", 120, (14, 18));
    inc.form = ErrForm::Message;
    inc.models = vec![("us.anthropic.claude-sonnet-4-6", 0.6), ("us.anthropic.claude-opus-4-8", 0.4)];
    inc.client("production", 0.7);
    inc.client("production", 0.3);
    inc.fill();
    rate_limit_bursts(&mut inc, 1, &[(15, 3), (48, 2), (80, 3), (105, 2)], 0.5, |_, _| {
        text(Some("ThrottlingException"), words::BEDROCK_THROTTLING)
    });
    let meta = Meta {
        id: "model_id.bedrock_gateway_ok",
        varies: "Bedrock inference-profile IDs that succeed; ThrottlingException bursts",
        positive: &[RATE_LIMIT],
        lookalike: &[MODEL_ID],
        probes: &[3],
    };
    finish(meta, inc, Style::faultline(Mask::Redacted))
}
