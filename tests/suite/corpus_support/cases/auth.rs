//! Layer 2, the credentials: key bytes, key history, environments.

use super::*;
use crate::corpus_support::incident::{ErrForm, Fail, Incident, Rec};
use crate::corpus_support::render::{Headers, KeyHash, Mask, Style, Time};
use crate::corpus_support::words;

pub const CASES: &[fn() -> Case] = &[
    key_format_newline_last4,
    key_format_bom_ellipsis_ecs,
    key_format_nbsp_stars_noise,
    key_format_not_logged_spread,
    key_format_revoked_after_500_404,
    key_format_cors_same_key,
    env_override_stale_dotenv_last4,
    key_revoked_ellipsis,
    key_revoked_not_logged_ecs,
    key_revoked_billing_date_noise,
    key_revoked_one_env,
    key_revoked_epoch_sdk,
    key_revoked_details_on_failure,
    key_revoked_newline_redeploy,
    env_override_not_logged_ecs,
    env_override_redacted_noise,
    env_override_single_env_newline,
    env_override_bom_concentrated,
    env_override_cors_browser_env,
    env_override_no_other_key,
];

/// Every request `pick` selects fails with the Claude API's `invalid x-api-key`.
fn refuse(inc: &mut Incident, pick: impl Fn(&Rec) -> bool, cause: &'static str) -> usize {
    let form = inc.form;
    inc.fail_where(1.0, pick, move |rng, _| {
        Fail::cause(401, cause, form.api(rng, 401, "authentication_error", words::INVALID_KEY))
    })
}

/// The indexer's key was pasted into the secret store with a trailing line break; production and
/// staging both load it. A first-4/last-4 mask keeps the line break visible (`sk-a****xyAA\n`);
/// the key hash never succeeds, split evenly over two environments.
/// Sources: the study (47.3 % of authentication failures: whitespace or invisible characters);
/// LiteLLM's key mask; Anthropic 401 `invalid x-api-key`.
fn key_format_newline_last4() -> Case {
    let mut inc = Incident::new(201, "2026-11-02T08:00:00Z", 120, (15, 20));
    inc.client("production", 0.5);
    inc.client("staging", 0.3);
    let broken = format!("{}\n", inc.new_key());
    for env in ["production", "staging"] {
        let c = inc.client(env, 0.1);
        inc.clients[c].key = broken.clone();
    }
    inc.fill();
    refuse(&mut inc, |r| r.client >= 2, KEY_FORMAT);
    let meta = Meta {
        id: "key_format.newline_last4",
        varies: "trailing line break visible through a first-4/last-4 mask; the key fails in two environments",
        positive: &[KEY_FORMAT],
        lookalike: &[ENV_OVERRIDE, KEY_REVOKED],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// After a config change at minute 30 the batch service reads its key from a file saved with a
/// byte-order mark; a prefix mask keeps the BOM (`\u{feff}sk-ant-api03-…`). Its old, clean key
/// succeeded until then, so the history looks like a revocation; staging's own key succeeds
/// elsewhere, so it also looks like a stale `.env`. ECS, message only.
/// Sources: the study (invisible characters such as BOM from copied keys); ECS names.
fn key_format_bom_ellipsis_ecs() -> Case {
    let mut inc = Incident::new(202, "2026-11-03T12:00:00Z", 110, (15, 20));
    inc.form = ErrForm::Message;
    inc.client("production", 0.55);
    let batch = inc.client("production", 0.3);
    inc.client("staging", 0.15);
    let bom = format!("\u{feff}{}", inc.clients[batch].key);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == batch && r.minute >= 30,
        move |rng, r| {
            r.key = bom.clone();
            Fail::cause(401, KEY_FORMAT, form.api(rng, 401, "authentication_error", words::INVALID_KEY))
        },
    );
    let meta = Meta {
        id: "key_format.bom_ellipsis_ecs",
        varies: "BOM before the key survives the `…` mask; clean key succeeded before; ECS",
        positive: &[KEY_FORMAT],
        lookalike: &[KEY_REVOKED, ENV_OVERRIDE],
        probes: &[1, 2],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis))
}

/// A no-break space after the key (copied from a rich-text console): the `********` mask replaces
/// the key characters and keeps the NBSP. Headers as one string of lines. Noise: a 529 wave and a
/// service pinned to a retired model. Sources: the study (rich-text consoles); Anthropic bodies.
fn key_format_nbsp_stars_noise() -> Case {
    let mut inc = Incident::new(203, "2026-11-04T15:00:00Z", 120, (15, 21));
    inc.client("production", 0.5);
    let ops = inc.client("production", 0.15);
    inc.clients[ops].key.push('\u{a0}');
    inc.client("staging", 0.2);
    let old = inc.client("production", 0.15);
    inc.fill();
    refuse(&mut inc, move |r| r.client == ops, KEY_FORMAT);
    noise_overload(&mut inc, &[(40, 14)], 0.3);
    noise_retired_model(&mut inc, old, 70);
    let meta = Meta {
        id: "key_format.nbsp_stars_noise",
        varies: "trailing NBSP kept by a `********` mask; header string; 529 + retired-model noise",
        positive: &[KEY_FORMAT, PROVIDER, MODEL_ID],
        lookalike: &[ENV_OVERRIDE, KEY_REVOKED],
        probes: &[1],
    };
    finish(meta, inc, Style { headers: Headers::Lines, ..Style::faultline(Mask::Stars) })
}

/// Neither headers nor bodies logged. The shared key of a new service was stored with a line
/// break; production, staging and CI all load it, so its hash never succeeds anywhere while the
/// other keys succeed in every environment: no concentration, no prior success, only
/// `invalid x-api-key` from a never-working key (the weakest positive: key history alone).
/// Sources: the study (whitespace and line breaks in 47.3 % of 401s); the 401 `invalid x-api-key` wording.
fn key_format_not_logged_spread() -> Case {
    let mut inc = Incident::new(204, "2026-11-05T09:00:00Z", 100, (15, 20));
    inc.form = ErrForm::Message;
    inc.client("production", 0.45);
    inc.client("staging", 0.2);
    inc.client("ci", 0.1);
    let broken = format!("{}\r\n", inc.new_key());
    for (env, w) in [("production", 0.1), ("staging", 0.08), ("ci", 0.07)] {
        let c = inc.client(env, w);
        inc.clients[c].key = broken.clone();
    }
    inc.fill();
    refuse(&mut inc, |r| r.client >= 3, KEY_FORMAT);
    let meta = Meta {
        id: "key_format.not_logged_spread",
        varies: "headers not logged; a never-working key spread over three environments",
        positive: &[KEY_FORMAT],
        lookalike: &[ENV_OVERRIDE, KEY_REVOKED],
        probes: &[2, 4],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis).bare())
}

/// Issue 10's second mistake: the reporting key had two 500s and three 404s (an old job on a
/// retired model) before it was revoked at minute 60; from then on only 401 `invalid x-api-key`.
/// Still a revocation. Keys masked `sk-ant-api03-********`.
/// Sources: issue 10 ("one earlier 500 or 404 from that key blocks it"); Anthropic 500/404/401 bodies.
fn key_format_revoked_after_500_404() -> Case {
    let mut inc = Incident::new(205, "2026-11-06T10:00:00Z", 120, (14, 18));
    inc.client("production", 0.7);
    let rep = inc.client("production", 0.3);
    inc.fill();
    let form = inc.form;
    for minute in [31, 44] {
        inc.fail_first(
            1,
            move |r| r.client == rep && r.minute == minute,
            move |rng, _| {
                Fail::cause(500, PROVIDER, form.api(rng, 500, "api_error", words::INTERNAL)).latency(200, 900)
            },
        );
    }
    inc.fail_first(
        3,
        move |r| r.client == rep && r.minute >= 52,
        move |rng, r| {
            r.model = "claude-3-5-sonnet-20241022".into();
            Fail::cause(404, MODEL_ID, form.api(rng, 404, "not_found_error", &words::model_not_found(&r.model)))
        },
    );
    refuse(&mut inc, move |r| r.client == rep && r.minute >= 60, KEY_REVOKED);
    let meta = Meta {
        id: "key_format.revoked_after_500_404",
        varies: "500s and 404s from the key before it is revoked; `********` mask",
        positive: &[KEY_REVOKED],
        lookalike: &[KEY_FORMAT, ENV_OVERRIDE],
        probes: &[2],
    };
    finish(meta, inc, Style::faultline(Mask::Stars))
}

/// A web front end calls the API from the browser with the backend's key: 401 `CORS requests are
/// not allowed for this Organization ...` (a browser `Origin`, not a key problem: unexplained),
/// while the backend keeps succeeding with the same key. Noise: a 529 wave.
/// Sources: Anthropic API errors page (the CORS note).
fn key_format_cors_same_key() -> Case {
    let mut inc = Incident::new(206, "2026-11-07T13:00:00Z", 110, (15, 20));
    let api = inc.client("production", 0.8);
    let web = inc.client("web", 0.2);
    inc.clients[web].key = inc.clients[api].key.clone();
    inc.clients[web].origin = Some("https://app.example.com");
    inc.clients[web].agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15";
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == web && r.minute >= 20,
        move |rng, _| Fail::unexplained(401, form.api(rng, 401, "authentication_error", words::CORS)),
    );
    noise_overload(&mut inc, &[(60, 12)], 0.3);
    let meta = Meta {
        id: "key_format.cors_same_key",
        varies: "401 CORS from browsers (unexplained) on a key that keeps succeeding; 529 noise",
        positive: &[PROVIDER],
        lookalike: &[KEY_FORMAT, KEY_REVOKED, ENV_OVERRIDE],
        probes: &[2],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// direnv loads an outdated key from a project `.envrc` on developers' machines: every request
/// from `development` fails, production and staging succeed with the current key. Keys masked
/// LiteLLM-style (`sk-a****abAA`). Sources: the study (20.9 % of authentication failures:
/// environment loading, direnv/dotenv overriding shell variables).
fn env_override_stale_dotenv_last4() -> Case {
    let mut inc = Incident::new(207, "2026-11-09T09:00:00Z", 120, (15, 20));
    inc.client("production", 0.7);
    inc.client("staging", 0.18);
    let dev = inc.client("development", 0.12);
    inc.clients[dev].agent = "Anthropic/TS 0.120.0";
    inc.fill();
    refuse(&mut inc, move |r| r.client == dev, ENV_OVERRIDE);
    let meta = Meta {
        id: "env_override.stale_dotenv_last4",
        varies: "stale key in one environment; other keys succeed elsewhere; first-4/last-4 mask",
        positive: &[ENV_OVERRIDE],
        lookalike: &[KEY_FORMAT, KEY_REVOKED],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// The reporting key is revoked after a leak report at minute 50; `invalid x-api-key` ever since.
/// Keys `sk-ant-api03-S…`; full JSON bodies. Sources: the study (revoked keys 31.8 % of 401s);
/// Anthropic 401 wording.
fn key_revoked_ellipsis() -> Case {
    let mut inc = Incident::new(208, "2026-11-10T11:00:00Z", 120, (14, 18));
    inc.client("production", 0.65);
    let rep = inc.client("production", 0.35);
    inc.fill();
    refuse(&mut inc, move |r| r.client == rep && r.minute >= 50, KEY_REVOKED);
    sprinkle_unexplained(&mut inc, 3);
    let meta = Meta {
        id: "key_revoked.ellipsis",
        varies: "a key revoked mid-window; `sk-ant-api03-S…` masks",
        positive: &[KEY_REVOKED],
        lookalike: &[KEY_FORMAT, AUTH_HEADER],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// The same without headers or bodies: ECS, `labels.api_key_hash` only, message only.
/// Sources: ECS field names; the study (an indexed `api_key_hash` finds a revoked key).
fn key_revoked_not_logged_ecs() -> Case {
    let mut inc = Incident::new(209, "2026-11-11T06:00:00Z", 110, (14, 18));
    inc.form = ErrForm::Message;
    inc.client("production", 0.6);
    let etl = inc.client("production", 0.25);
    inc.client("staging", 0.15);
    inc.fill();
    refuse(&mut inc, move |r| r.client == etl && r.minute >= 40, KEY_REVOKED);
    let meta = Meta {
        id: "key_revoked.not_logged_ecs",
        varies: "headers and bodies not logged; ECS; key hash history only",
        positive: &[KEY_REVOKED],
        lookalike: &[ENV_OVERRIDE],
        probes: &[2, 4],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis).bare())
}

/// An unpaid invoice: the key stops at midnight on the 1st (the study ties 401 spikes to billing
/// dates). `[REDACTED]` keys. Noise: 429 bursts and gateway 503s in the batch window.
/// Sources: the study (401 spikes on billing dates); Anthropic 401/429 bodies; Envoy `UH`.
fn key_revoked_billing_date_noise() -> Case {
    let mut inc = Incident::new(210, "2026-11-30T23:00:00Z", 120, (14, 18));
    inc.tag = Some("anthropic-origin".into());
    inc.client("production", 0.55);
    let billing = inc.client("production", 0.25);
    inc.client("production", 0.2);
    inc.fill();
    refuse(&mut inc, move |r| r.client == billing && r.minute >= 60, KEY_REVOKED);
    noise_rate_limit(&mut inc, 2, &[(20, 2), (80, 3)]);
    noise_middleware(&mut inc, &[(95, 6)], 0.35, "envoy-egress");
    let meta = Meta {
        id: "key_revoked.billing_date_noise",
        varies: "revoked at 00:00 on the 1st; `[REDACTED]` keys; 429 + gateway 503 noise",
        positive: &[KEY_REVOKED, RATE_LIMIT, MIDDLEWARE],
        lookalike: &[KEY_FORMAT],
        probes: &[1, 2],
    };
    finish(meta, inc, Style::faultline(Mask::Redacted))
}

/// CI's own key is revoked at minute 30; CI is the only user of it and production succeeds with
/// another key: concentrated in one environment like a stale `.env`, but the key worked before.
/// Sources: the study (revoked keys and `client_environment` tags); Anthropic 401 wording.
fn key_revoked_one_env() -> Case {
    let mut inc = Incident::new(211, "2026-11-12T14:00:00Z", 100, (14, 18));
    inc.client("production", 0.8);
    let ci = inc.client("ci", 0.2);
    inc.fill();
    refuse(&mut inc, move |r| r.client == ci && r.minute >= 30, KEY_REVOKED);
    let meta = Meta {
        id: "key_revoked.one_env",
        varies: "revoked key used by one environment only; `...` mask",
        positive: &[KEY_REVOKED],
        lookalike: &[ENV_OVERRIDE, KEY_FORMAT],
        probes: &[2],
    };
    finish(meta, inc, Style::faultline(Mask::Dots))
}

/// Epoch-millisecond timestamps, hex key hashes, headers carrying only a hash of the key, errors in
/// the Python SDK's string form; a key revoked at minute 70 after a 529 wave.
/// Sources: anthropic-sdk-python `APIStatusError` string form; gateways that log a key hash.
fn key_revoked_epoch_sdk() -> Case {
    let mut inc = Incident::new(212, "2026-11-13T09:00:00Z", 120, (14, 18));
    inc.form = ErrForm::Sdk;
    inc.client("production", 0.6);
    let svc = inc.client("production", 0.4);
    inc.fill();
    noise_overload(&mut inc, &[(30, 12)], 0.25);
    refuse(&mut inc, move |r| r.client == svc && r.minute >= 70, KEY_REVOKED);
    let meta = Meta {
        id: "key_revoked.epoch_sdk",
        varies: "epoch-ms time; SDK error strings; key logged as a hash; 529 wave before the revocation",
        positive: &[KEY_REVOKED, PROVIDER],
        lookalike: &[KEY_FORMAT],
        probes: &[1, 2],
    };
    finish(meta, inc, Style { time: Time::EpochMs, key_hash: KeyHash::Hex, ..Style::faultline(Mask::Hash) })
}

/// The billing-sync service worked with its key until a redeploy at minute 40 read the key from a
/// file with a trailing line break: new bytes, new hash, `invalid x-api-key` since; same service,
/// same environment. The first-4/last-4 mask shows the line break: key format, not revoked.
/// Sources: the study (residual whitespace from copied keys); LiteLLM key mask; Anthropic 401.
fn key_revoked_newline_redeploy() -> Case {
    let mut inc = Incident::new(213, "2026-11-16T16:00:00Z", 110, (14, 18));
    inc.client("production", 0.65);
    let sync = inc.client("production", 0.35);
    let bad = format!("{}\n", inc.clients[sync].key);
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == sync && r.minute >= 40,
        move |rng, r| {
            r.key = bad.clone();
            Fail::cause(401, KEY_FORMAT, form.api(rng, 401, "authentication_error", words::INVALID_KEY))
        },
    );
    let meta = Meta {
        id: "key_revoked.newline_redeploy",
        varies: "a redeploy adds a line break to a working key (visible through first-4/last-4)",
        positive: &[KEY_FORMAT],
        lookalike: &[KEY_REVOKED, ENV_OVERRIDE],
        probes: &[1, 2],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// A stale key in staging, neither headers nor bodies logged: ECS `service.environment` and
/// `labels.api_key_hash` are all there is.
/// Sources: the study (direnv/dotenv overrides, `client_environment`); ECS field names.
fn env_override_not_logged_ecs() -> Case {
    let mut inc = Incident::new(214, "2026-11-17T08:00:00Z", 110, (15, 20));
    inc.form = ErrForm::Message;
    inc.client("production", 0.7);
    inc.client("ci", 0.15);
    let stg = inc.client("staging", 0.15);
    inc.fill();
    refuse(&mut inc, move |r| r.client == stg, ENV_OVERRIDE);
    let meta = Meta {
        id: "env_override.not_logged_ecs",
        varies: "headers and bodies not logged; ECS environment and key hash only",
        positive: &[ENV_OVERRIDE],
        lookalike: &[KEY_REVOKED, KEY_FORMAT],
        probes: &[2, 4],
    };
    finish(meta, inc, Style::ecs(Mask::Ellipsis).bare())
}

/// A stale `.envrc` in the repository: staging loads it, and so does one CI job (80 % / 20 % of
/// the stale key's 401s). `[REDACTED]` keys. Noise: a 529 wave and a batch job's empty turns.
/// Sources: the study (environment loading anomalies); Anthropic 529 and validation bodies.
fn env_override_redacted_noise() -> Case {
    let mut inc = Incident::new(215, "2026-11-18T10:00:00Z", 120, (16, 21));
    inc.client("production", 0.6);
    let batch = inc.client("production", 0.2);
    let stale = inc.new_key();
    for (env, w) in [("staging", 0.12), ("ci", 0.03)] {
        let c = inc.client(env, w);
        inc.clients[c].key = stale.clone();
    }
    inc.client("ci", 0.05);
    inc.fill();
    refuse(&mut inc, |r| r.client == 2 || r.client == 3, ENV_OVERRIDE);
    noise_overload(&mut inc, &[(50, 12)], 0.3);
    noise_messages(&mut inc, batch, 20, 0.2);
    let meta = Meta {
        id: "env_override.redacted_noise",
        varies: "stale key 80/20 over two environments; `[REDACTED]`; 529 + messages noise",
        positive: &[ENV_OVERRIDE, PROVIDER, MESSAGES],
        lookalike: &[KEY_REVOKED, KEY_FORMAT],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Redacted))
}

/// One team's gateway, one environment: a new summariser service's key carries a trailing line
/// break (visible through first-4/last-4) and never succeeds; the other service succeeds in the
/// same environment. No other environment exists, so nothing is overridden.
/// Sources: the study (hidden line breaks in keys); LiteLLM key mask; Anthropic 401.
fn env_override_single_env_newline() -> Case {
    let mut inc = Incident::new(216, "2026-11-19T07:00:00Z", 100, (14, 18));
    inc.client("production", 0.75);
    let summ = inc.client("production", 0.25);
    inc.clients[summ].key.push('\n');
    inc.fill();
    refuse(&mut inc, move |r| r.client == summ, KEY_FORMAT);
    let meta = Meta {
        id: "env_override.single_env_newline",
        varies: "one environment only; a never-working key with a visible trailing line break",
        positive: &[KEY_FORMAT],
        lookalike: &[ENV_OVERRIDE, KEY_REVOKED],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}

/// Staging's key was pasted with a byte-order mark: the `********` mask keeps it
/// (`\u{feff}sk-ant-api03-********`). Concentrated in one environment while production succeeds:
/// the stale-`.env` shape, but the bytes say what is wrong.
/// Sources: the study (invisible characters such as BOM); gateways masking key characters.
fn env_override_bom_concentrated() -> Case {
    let mut inc = Incident::new(217, "2026-11-20T13:00:00Z", 110, (15, 20));
    inc.client("production", 0.8);
    let stg = inc.client("staging", 0.2);
    inc.clients[stg].key.insert(0, '\u{feff}');
    inc.fill();
    refuse(&mut inc, move |r| r.client == stg, KEY_FORMAT);
    let meta = Meta {
        id: "env_override.bom_concentrated",
        varies: "a BOM kept by the `********` mask, concentrated in one environment",
        positive: &[KEY_FORMAT],
        lookalike: &[ENV_OVERRIDE],
        probes: &[1],
    };
    finish(meta, inc, Style::faultline(Mask::Stars))
}

/// A browser app in its own environment with its own key: every call is 401 CORS (unexplained).
/// Its key never succeeds, the 401s sit in one environment, production succeeds with another
/// key: exactly the stale-`.env` shape, but the API says why.
/// Sources: Anthropic API errors page (the CORS 401 is about the browser `Origin`).
fn env_override_cors_browser_env() -> Case {
    let mut inc = Incident::new(218, "2026-11-21T18:00:00Z", 100, (14, 18));
    inc.client("production", 0.8);
    let web = inc.client("web", 0.2);
    inc.clients[web].origin = Some("https://dashboard.example.org");
    inc.clients[web].agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36";
    inc.fill();
    let form = inc.form;
    inc.fail_where(
        1.0,
        move |r| r.client == web,
        move |rng, _| Fail::unexplained(401, form.api(rng, 401, "authentication_error", words::CORS)),
    );
    let meta = Meta {
        id: "env_override.cors_browser_env",
        varies: "401 CORS from a browser environment with its own key (unexplained)",
        positive: &[],
        lookalike: &[ENV_OVERRIDE, KEY_FORMAT, KEY_REVOKED],
        probes: &[2],
    };
    finish(meta, inc, Style::faultline(Mask::Ellipsis))
}

/// A gateway that logs headers and bodies for failed requests only: every sampled request is a
/// failure with a masked key (`sk-ant-api03-Sx7Qe...`), and no success shows a header to compare.
/// The key hash history still shows a key that worked until minute 35.
/// Sources: gateways logging request details on errors only; Anthropic 401 wording.
fn key_revoked_details_on_failure() -> Case {
    let mut inc = Incident::new(219, "2026-11-23T08:00:00Z", 110, (14, 18));
    inc.client("production", 0.6);
    let svc = inc.client("staging", 0.4);
    inc.fill();
    refuse(&mut inc, move |r| r.client == svc && r.minute >= 35, KEY_REVOKED);
    let meta = Meta {
        id: "key_revoked.details_on_failure",
        varies: "headers and bodies logged on failures only; `...` mask",
        positive: &[KEY_REVOKED],
        lookalike: &[KEY_FORMAT, ENV_OVERRIDE],
        probes: &[1, 2],
    };
    finish(meta, inc, Style { details_on_failure: true, ..Style::faultline(Mask::Dots) })
}

/// A CI pipeline's own log: one environment, one key, and nothing succeeds at all, because the
/// secret was saved with a trailing space (`sk-a****xAA `, first-4/last-4). 401s concentrated in
/// one environment, but no other key succeeds anywhere: nothing was overridden.
/// Sources: the study (residual whitespace in copied keys); LiteLLM key mask; Anthropic 401.
fn env_override_no_other_key() -> Case {
    let mut inc = Incident::new(220, "2026-11-24T02:00:00Z", 90, (8, 12));
    let ci = inc.client("ci", 1.0);
    inc.clients[ci].key.push(' ');
    inc.fill();
    refuse(&mut inc, |_| true, KEY_FORMAT);
    let meta = Meta {
        id: "env_override.no_other_key",
        varies: "one environment, one key, nothing succeeds; trailing space visible through first-4/last-4",
        positive: &[KEY_FORMAT],
        lookalike: &[ENV_OVERRIDE, KEY_REVOKED],
        probes: &[1, 2],
    };
    finish(meta, inc, Style::faultline(Mask::First4Last4))
}
