//! Error wordings as the Claude API, the SDKs and the gateways in front of it write them. Each
//! carries its source; none is taken from faultline's own rules or simulator.

// --- The Claude API (Anthropic API errors page; rate-limits page; public issue logs) ---

/// 401 for a bad, revoked or disabled key (claude-task-master#222, screenshot-to-code#430).
pub const INVALID_KEY: &str = "invalid x-api-key";
/// 529 `overloaded_error` (the SDKs' default message; claude-code#63051 "API Error: 529 Overloaded").
pub const OVERLOADED: &str = "Overloaded";
/// 500 `api_error` (SDK default message).
pub const INTERNAL: &str = "Internal server error";
/// 504 `timeout_error` (SDK default message of `GatewayTimeoutError`).
pub const REQUEST_TIMEOUT: &str = "Request timeout";
/// 404 `not_found_error` for an unknown path (SDK default message).
pub const NOT_FOUND: &str = "Not found";
/// 403 `permission_error` (Anthropic API errors page).
pub const PERMISSION: &str = "Your API key does not have permission to use the specified resource.";
/// 413 `request_too_large` (Anthropic API errors page: returned by Cloudflare above 32 MB).
pub const TOO_LARGE: &str = "Request exceeds the maximum allowed number of bytes.";
/// 401 for a browser `Origin` (Anthropic API errors page, the CORS note): not a key problem.
pub const CORS: &str = "CORS requests are not allowed for this Organization because of its settings.";

/// 404 for an unknown or retired model (`{"type":"not_found_error","message":"model: claude-3-sonnet-20240229"}`).
pub fn model_not_found(model: &str) -> String {
    format!("model: {model}")
}

/// 400 `max_tokens` above the model's limit (claude-code#24451).
pub fn max_tokens_over(asked: u64, model: &str) -> String {
    format!("max_tokens: {asked} > 64000, which is the maximum allowed number of output tokens for {model}")
}

/// 400 for a prompt over the context window (observed in third-party code and tests).
pub fn prompt_too_long(tokens: u64) -> String {
    format!("prompt is too long: {tokens} tokens > 200000 maximum")
}

/// 429, the 2026 input-tokens-per-minute wording (continuedev/continue#12057).
pub fn itpm(org: &str, model: &str) -> String {
    format!(
        "This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: {org}, model: {model}). For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase."
    )
}

/// 429, the 2025 wording (bhouston/mycoder#62).
pub fn itpm_2025(org: &str) -> String {
    format!(
        "This request would exceed the rate limit for your organization ({org}) of 40,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."
    )
}

/// 429 generic wordings: `Rate limited` (claude-code#71670), the HTTP reason phrase, the account form.
pub const RATE_LIMITED: &str = "Rate limited";
pub const TOO_MANY_REQUESTS: &str = "Too Many Requests";
pub const ACCOUNT_RATE_LIMIT: &str = "This request would exceed your account's rate limit. Please try again later.";

/// 429 tier spend cap, sent with `details.error_code = "enforced_spend_limit_reached"` and no
/// `retry-after` (Anthropic rate-limits page).
pub const SPEND_CAP: &str = "You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2026-12-01 at 00:00 UTC.";
pub const SPEND_CAP_CODE: &str = "enforced_spend_limit_reached";
/// 400 for a spend limit the user set (claude-code#2127, #38035).
pub const SPECIFIED_LIMITS: &str =
    "You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.";
/// 400 prepaid credits exhausted (Anthropic's answer quoted in many logs).
pub const CREDIT_BALANCE: &str = "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.";

// --- AWS Bedrock runtime (Bedrock API error codes page; i-dot-ai/caddy-chatbot#97; claude-code#562) ---

pub const BEDROCK_THROTTLING: &str = "Too many requests, please wait before trying again.";
pub const BEDROCK_CONNECTIONS: &str = "Too many connections, please wait before trying again.";

// --- Gateways ---

/// Envoy local replies and `response_code_details` (Envoy docs; renuka-fernando/examples).
pub const ENVOY_NO_HEALTHY: &str = "no healthy upstream";
pub const ENVOY_RESET: &str =
    "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
pub const ENVOY_TIMEOUT: &str = "upstream request timeout";
pub const ENVOY_OVERFLOW: &str = "upstream_reset_before_response_started{overflow}";
/// What api.anthropic.com's own edge answered in an outage (claude-code#7043).
pub const EDGE_REMOTE_FAILURE: &str =
    "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure";

/// nginx's 502 page.
pub const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Kong's 502 (Kong/kong#1874, #4661, #12084).
pub const KONG_502: &str = r#"{"message":"An invalid response was received from the upstream server"}"#;

/// Kong's rate-limiting plugin (Kong/kong#732).
pub const KONG_RATE_LIMIT: &str = r#"{"message":"API rate limit exceeded"}"#;

/// Cloudflare's 524 page in front of api.anthropic.com, shortened to its head.
pub const CLOUDFLARE_524: &str = "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>api.anthropic.com | 524: A timeout occurred</title>\n<meta charset=\"UTF-8\" />\n</head>\n<body><div id=\"cf-error-details\"><h1>A timeout occurred</h1><span>Error code 524</span></div></body></html>";
pub const CLOUDFLARE_524_TEXT: &str = "error code: 524";

/// A strict gateway's 400 for a malformed `Authorization` (asfadmin/thin-egress-app#858).
pub const MALFORMED_AUTHORIZATION: &str = r#"{"status_code":400,"error_description":"Malformed Authorization header"}"#;

/// LiteLLM proxy (litellm `proxy/auth`, `route_llm_request.py`, `types/router.py`, `exceptions.py`).
pub const LITELLM_MALFORMED_KEY: &str =
    "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.";
pub fn litellm_invalid_model(model: &str) -> String {
    format!(
        "acompletion: Invalid model name passed in model={model}. Call `/v1/models` to view available models for your key."
    )
}
pub fn litellm_no_deployments(group: &str) -> String {
    format!(
        "No deployments available for selected model, Try again in 5 seconds. Passed model={group}. pre-call-checks=False, cooldown_list=['6f1e0b2c9a', '0d4c7e31b8']"
    )
}
pub fn litellm_budget(cost: f64, max: f64) -> String {
    format!("Budget has been exceeded! Current cost: {cost}, Max budget: {max}")
}
pub const LITELLM_CLIENT_GONE: &str = "Client disconnected the request";

/// Node.js and Python socket errors as clients and gateways log them.
pub const NODE_ECONNRESET: &str = "read ECONNRESET";
pub const SOCKET_HANG_UP: &str = "socket hang up";
