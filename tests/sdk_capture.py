"""Captures the raw HTTP requests the official Python SDKs send, for `faultline lint` tests.

Usage: python3 tests/sdk_capture.py OUT_DIR

Starts a capture server on 127.0.0.1 (ephemeral port) that answers like the API would, sends
requests with the `anthropic` SDK (plain, system + multi-turn + block content, tools, streaming,
an alias model) and the `openai` SDK (chat/completions through a gateway-style base_url), and
writes each request as received (request line, headers, blank line, body) to OUT_DIR/NN-name.http.
Keys are fake but of the real shape. Prints one line per capture.
"""

import json
import os
import sys
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anthropic
import openai

FAKE_KEY = "sk-ant-api03-" + "Fk3" * 31 + "-" + "Qw9x" * 2 + "AA"
OUT = sys.argv[1] if len(sys.argv) > 1 else "sdk-captures"
captured = []
current_name = ["unnamed"]


def message_response(model):
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": "Hi."}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 2},
    }


def sse(model):
    events = [
        ("message_start", {"type": "message_start", "message": dict(message_response(model), content=[], stop_reason=None)}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi."}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 2}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()


class Capture(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        head = f"{self.command} {self.path} {self.request_version}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in self.headers.items())
        raw = head.encode() + b"\r\n" + body
        name = f"{len(captured):02d}-{current_name[0]}.http"
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(raw)
        captured.append(name)
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = {}
        model = request.get("model", "claude")
        if self.path.endswith("/chat/completions"):
            payload = json.dumps({
                "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi."}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12},
            }).encode()
            ctype = "application/json"
        elif request.get("stream"):
            payload = sse(model)
            ctype = "text/event-stream"
        else:
            payload = json.dumps(message_response(model)).encode()
            ctype = "application/json"
        self.send_response(200)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(payload)))
        self.send_header("request-id", "req_01")
        self.end_headers()
        self.wfile.write(payload)


def main():
    # The SDK warns about models it knows to be deprecated; the captures are what matters here.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    os.makedirs(OUT, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    client = anthropic.Anthropic(api_key=FAKE_KEY, base_url=base, max_retries=0)
    model = "claude-sonnet-4-5-20250929"

    current_name[0] = "anthropic-plain"
    client.messages.create(model=model, max_tokens=256, messages=[{"role": "user", "content": "Hello, Claude"}])

    current_name[0] = "anthropic-system-multiturn-blocks"
    client.messages.create(
        model=model,
        max_tokens=512,
        system="You are terse.",
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "What is in this image?"},
                                         {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                                      "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="}}]},
            {"role": "assistant", "content": "A single pixel."},
            {"role": "user", "content": "What colour?"},
        ],
    )

    current_name[0] = "anthropic-tools"
    tools = [{"name": "get_weather", "description": "Weather for a city",
              "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
    client.messages.create(
        model=model,
        max_tokens=512,
        tools=tools,
        tool_choice={"type": "auto"},
        messages=[
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "18 C, clear"}]},
        ],
    )

    current_name[0] = "anthropic-streaming"
    with client.messages.stream(model=model, max_tokens=1024, messages=[{"role": "user", "content": "Tell me a story"}]) as stream:
        stream.get_final_message()

    current_name[0] = "anthropic-alias"
    client.messages.create(model="claude-sonnet-4-5", max_tokens=128, messages=[{"role": "user", "content": "Hi"}])

    current_name[0] = "openai-gateway-chat"
    oai = openai.OpenAI(api_key=FAKE_KEY, base_url=f"{base}/gateway/anthropic/v1", max_retries=0)
    oai.chat.completions.create(
        model="claude-opus-4-8",
        messages=[{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hello"}],
        max_tokens=200,
    )

    server.shutdown()
    for name in captured:
        print(name)


if __name__ == "__main__":
    main()
