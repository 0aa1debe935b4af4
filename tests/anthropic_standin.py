#!/usr/bin/env python3
"""A loopback stand-in for the Anthropic API, started by tests/suite/probe.rs (standard library only).

It answers like the API (../shared/reference/anthropic.md; the SDK's types for the shapes):
  GET  /v1/models                 {"data":[{"type":"model","id","display_name","created_at"}],
                                   "has_more","first_id","last_id"}
  POST /v1/messages/count_tokens  {"input_tokens": N}
  POST /v1/messages               a Message with usage
every error as {"type":"error","error":{"type","message"},"request_id"}, a `request-id` header on
every answer, `anthropic-ratelimit-*` headers on the POST endpoints, `retry-after` on a
rate-limited 429, `server: cloudflare` as the API's edge sends.

Checks, as the API does: `anthropic-version` present (400), a credential present (401
`x-api-key header is required`) and known (401 `invalid x-api-key`; the accepted keys come from
the STANDIN_KEYS environment variable, comma separated), the model known (404 `model: <id>` for
retired and unknown IDs), the body's required fields (400).

Faults (--fault, one per run):
  none          answer normally
  overloaded    529 overloaded_error on every endpoint
  api_error     500 api_error on every endpoint
  rate_limit    429 rate_limit_error with retry-after and the limits exhausted, on the POST endpoints
  spend_cap     429 rate_limit_error, details.error_code enforced_spend_limit_reached, no retry-after
  credit_low    400 invalid_request_error "Your credit balance is too low ..." on the POST endpoints
  hang          accept, read the request, never answer (until the test ends)

Prints {"port": N} on stdout once it listens; appends one line per request ("METHOD PATH") to
--log; exits when stdin closes (the test that started it went away).
"""

import argparse
import datetime
import json
import os
import secrets
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Current models (display names as the models list gives them), newest first as the API lists.
MODELS = [
    ("claude-opus-4-8", "Claude Opus 4.8", "2026-05-28T00:00:00Z"),
    ("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z"),
    ("claude-opus-4-6", "Claude Opus 4.6", "2026-02-05T00:00:00Z"),
    ("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z"),
    ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"),
]
ALIASES = {"claude-haiku-4-5": "claude-haiku-4-5-20251001", "claude-sonnet-4-5": "claude-sonnet-4-5-20250929"}
KNOWN = {m[0] for m in MODELS} | set(ALIASES)

LIMITS = {"requests": 50, "tokens": 40000, "input-tokens": 30000, "output-tokens": 8000}


def request_id():
    return "req_011C" + secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")


def reset_time(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class State:
    fault = "none"
    keys = set()
    log = None
    lock = threading.Lock()
    used = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cloudflare"
    sys_version = ""

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle and delayed ACKs add
        # 40 ms to every answer, which the probe would faithfully report.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # quiet
        pass

    def version_string(self):
        return "cloudflare"

    # -- plumbing ---------------------------------------------------------------------------
    def record(self):
        if State.log:
            with State.lock, open(State.log, "a", encoding="utf-8") as f:
                f.write(f"{self.command} {self.path}\n")

    def body(self):
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status, payload, headers=(), reason=None):
        data = json.dumps(payload).encode()
        self.send_response(status, reason)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", self.rid)
        self.send_header("cf-ray", secrets.token_hex(8) + "-AMS")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, kind, message, headers=(), details=None, reason=None):
        err = {"type": kind, "message": message}
        if details:
            err["details"] = details
        self.send_json(status, {"type": "error", "error": err, "request_id": self.rid}, headers, reason)

    def ratelimit_headers(self, exhausted=False):
        with State.lock:
            State.used += 1
            used = State.used
        out = []
        for dim, limit in LIMITS.items():
            remaining = 0 if exhausted else max(limit - (used if dim == "requests" else used * 12), 0)
            out += [
                (f"anthropic-ratelimit-{dim}-limit", str(limit)),
                (f"anthropic-ratelimit-{dim}-remaining", str(remaining)),
                (f"anthropic-ratelimit-{dim}-reset", reset_time(17 if exhausted else 60)),
            ]
        return out

    # -- the API -----------------------------------------------------------------------------
    def handle_api(self, method):
        self.rid = request_id()
        self.record()
        payload = self.body() if method == "POST" else b""
        fault = State.fault
        if fault == "hang":
            time.sleep(120)
            return
        path = self.path.split("?", 1)[0]
        routes = {("GET", "/v1/models"), ("POST", "/v1/messages/count_tokens"), ("POST", "/v1/messages")}
        if (method, path) not in routes:
            return self.error(404, "not_found_error", "Not Found")
        if not self.headers.get("anthropic-version"):
            return self.error(400, "invalid_request_error", "anthropic-version: header is required")
        key = self.headers.get("x-api-key")
        auth = self.headers.get("authorization")
        if key is None and auth is None:
            return self.error(401, "authentication_error", "x-api-key header is required")
        if key is not None and key not in State.keys:
            return self.error(401, "authentication_error", "invalid x-api-key")
        if key is None:
            token = auth[7:] if auth.startswith("Bearer ") else None
            if token not in State.keys:
                return self.error(401, "authentication_error", "Invalid bearer token")
        if fault == "overloaded":
            return self.error(529, "overloaded_error", "Overloaded", [("x-should-retry", "true")], reason="Overloaded")
        if fault == "api_error":
            return self.error(500, "api_error", "Internal server error")
        if method == "GET":
            data = [{"type": "model", "id": i, "display_name": n, "created_at": c} for i, n, c in MODELS]
            return self.send_json(
                200, {"data": data, "has_more": False, "first_id": data[0]["id"], "last_id": data[-1]["id"]}
            )
        try:
            body = json.loads(payload or b"null")
        except ValueError:
            return self.error(400, "invalid_request_error", "The request body is not valid JSON.")
        if not isinstance(body, dict):
            return self.error(400, "invalid_request_error", "The request body must be a JSON object.")
        if fault == "rate_limit":
            return self.error(
                429,
                "rate_limit_error",
                "This request would exceed your organization's rate limit of 50 requests per minute "
                "(org: 5f1e0c2a-0000-4000-8000-000000000000, model: %s). For details, refer to: "
                "https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. "
                "Please reduce the prompt length or the maximum tokens requested, or try again later." % body.get("model"),
                [("retry-after", "17")] + self.ratelimit_headers(exhausted=True),
            )
        if fault == "spend_cap":
            return self.error(
                429,
                "rate_limit_error",
                "You have reached your API usage limits: your organization has crossed its monthly API usage "
                "threshold, set based on your organization's API tier. You will regain access on 2027-01-01 at 00:00 UTC.",
                self.ratelimit_headers(),
                details={"error_code": "enforced_spend_limit_reached"},
            )
        if fault == "credit_low":
            return self.error(
                400,
                "invalid_request_error",
                "Your credit balance is too low to access the Anthropic API. "
                "Please go to Plans & Billing to upgrade or purchase credits.",
            )
        model = body.get("model")
        if model is None:
            return self.error(400, "invalid_request_error", "model: Field required")
        if model not in KNOWN:
            return self.error(404, "not_found_error", f"model: {model}")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return self.error(400, "invalid_request_error", "messages: Field required")
        tokens = 8 + sum(len(str(m.get("content", ""))) // 4 for m in messages if isinstance(m, dict))
        if path == "/v1/messages/count_tokens":
            return self.send_json(200, {"input_tokens": tokens}, self.ratelimit_headers())
        if body.get("max_tokens") is None:
            return self.error(400, "invalid_request_error", "max_tokens: Field required")
        message = {
            "id": "msg_01" + secrets.token_hex(11),
            "type": "message",
            "role": "assistant",
            "model": ALIASES.get(model, model),
            "content": [{"type": "text", "text": "Hello"}],
            "stop_reason": "max_tokens",
            "stop_sequence": None,
            "usage": {"input_tokens": tokens, "output_tokens": 1},
        }
        return self.send_json(200, message, self.ratelimit_headers())

    def do_GET(self):
        self.handle_api("GET")

    def do_POST(self):
        self.handle_api("POST")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fault", default="none")
    ap.add_argument("--log")
    args = ap.parse_args()
    State.fault = args.fault
    State.keys = {k for k in os.environ.get("STANDIN_KEYS", "").split(",") if k}
    State.log = args.log
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    # Until the parent goes away.
    try:
        sys.stdin.read()
    except Exception:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
