"""A fake OpenAI-compatible model server for tests, speaking the real wire protocol.

Why: tests of the assistant should exercise everything between our code and the model
(the ``openai`` client, HTTP, SSE parsing, the Agents SDK's ``OpenAIChatCompletionsModel``
and ``OpenAIResponsesModel``), so nothing is mocked. Instead a real HTTP server on
127.0.0.1 answers ``POST /v1/chat/completions`` and ``POST /v1/responses`` with the JSON
bodies and server-sent events OpenAI sends, streamed or not as the client asks.

A test scripts what the model does, one step per model request, in order::

    with FakeOpenAI() as fake:
        fake.script(tool_call("add", {"a": 1, "b": 2}), reply("3"))
        client = AsyncOpenAI(base_url=fake.base_url, api_key="sk-test")
        ...
        assert "3" in fake.requests[1].text   # the tool output went back to the model

Steps: ``reply``, ``tool_call``, ``calls``, ``error``, ``hang``, or a callable
``step(request) -> step`` that decides once it sees what the model was sent.
"""

from __future__ import annotations

import json
import select
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Union

ARGUMENT_PIECE = 7  # real servers split tool-call arguments across many small deltas

# ---------------------------------------------------------------- steps


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: str  # exactly what the model "wrote", possibly malformed JSON


@dataclass(frozen=True)
class Turn:
    """One model answer: optional text, then zero or more tool calls."""

    text: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    chunk: int = 8
    delay: float = 0.0


@dataclass(frozen=True)
class Error:
    status: int
    message: str
    type: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Hang:
    seconds: float


Step = Union[Turn, ToolCall, Error, Hang, Callable[["Recorded"], Any]]


def reply(text: str, *, chunk: int = 8, delay: float = 0.0) -> Turn:
    return Turn(text=text, chunk=max(1, chunk), delay=delay)


def tool_call(name: str, arguments: dict[str, Any] | None = None, *, raw: str | None = None) -> ToolCall:
    return ToolCall(name, raw if raw is not None else json.dumps(arguments or {}))


def calls(*tool_calls: ToolCall, text: str | None = None, delay: float = 0.0) -> Turn:
    """Several tool calls in one answer; ``delay`` before each piece of text or arguments."""
    return Turn(text=text, tool_calls=tuple(tool_calls), delay=delay)


def error(status: int, *, message: str = "fake error", headers: dict[str, str] | None = None,
          type: str = "invalid_request_error") -> Error:  # noqa: A002 (OpenAI's field name)
    return Error(status, message, type, dict(headers or {}))


def hang(seconds: float = 30) -> Hang:
    return Hang(seconds)


# ---------------------------------------------------------------- recorded requests


def _texts(content: Any) -> list[str]:
    """Content is a string or a list of parts; keep the parts' text."""
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
    return []


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]  # lower-case keys
    body: dict[str, Any]

    @property
    def api(self) -> str:
        return "responses" if self.path == "/v1/responses" else "chat_completions"

    @property
    def messages(self) -> list[Any]:
        if self.api == "chat_completions":
            return list(self.body.get("messages") or [])
        items = self.body.get("input")
        return [{"role": "user", "content": items}] if isinstance(items, str) else list(items or [])

    @property
    def instructions(self) -> str | None:
        if self.api == "responses":
            return self.body.get("instructions")
        system = [m for m in self.messages if m.get("role") in ("system", "developer")]
        return "\n".join(_texts(system[0].get("content"))) if system else None

    @property
    def tool_names(self) -> list[str]:
        tools = self.body.get("tools") or []
        if self.api == "chat_completions":
            return [t["function"]["name"] for t in tools if "function" in t]
        return [t["name"] for t in tools if "name" in t]

    @property
    def text(self) -> str:
        lines: list[str] = []
        for m in self.messages:
            if m.get("type") == "function_call":
                lines += [m.get("name", ""), m.get("arguments", "")]
            elif m.get("type") == "function_call_output":
                lines += _texts(m.get("output"))
            else:  # a message, in either API
                lines += _texts(m.get("content"))
                for c in m.get("tool_calls") or []:
                    lines += [c["function"]["name"], c["function"]["arguments"]]
        return "\n".join(lines)


# ---------------------------------------------------------------- wire formats


def _id(prefix: str, sep: str = "_") -> str:
    return f"{prefix}{sep}{uuid.uuid4().hex[:24]}"


def _pieces(s: str, size: int) -> list[str]:
    return [s[i : i + size] for i in range(0, len(s), size)]


def _tokens(s: str) -> int:
    return max(1, len(s) // 4)  # a rough rule of thumb: tests only need plausible usage


def _error_body(message: str, type_: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": None}}


class Answer:
    """Writes one scripted Turn in whichever API and mode (streamed or not) was asked for."""

    def __init__(self, handler: _Handler, request: Recorded, turn: Turn):
        self.h, self.body, self.turn = handler, request.body, turn
        self.model, self.created = request.body.get("model", "fake-model"), int(time.time())
        self.calls = [(_id("call"), c) for c in turn.tool_calls]
        self.tokens_in = _tokens(json.dumps(request.messages))
        self.tokens_out = _tokens((turn.text or "") + "".join(c.arguments for c in turn.tool_calls))

    def chat(self) -> None:
        head = {"id": _id("chatcmpl", "-"), "created": self.created, "model": self.model}
        finish = "tool_calls" if self.calls else "stop"
        usage = {"prompt_tokens": self.tokens_in, "completion_tokens": self.tokens_out,
                 "total_tokens": self.tokens_in + self.tokens_out}
        if not self.body.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": self.turn.text, "refusal": None}
            if self.calls:
                message["tool_calls"] = [{"id": i, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                                         for i, c in self.calls]
            choice = {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            return self.h.send_json(200, {**head, "object": "chat.completion", "choices": [choice], "usage": usage})

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> None:
            choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
            self.h.sse({**head, "object": "chat.completion.chunk", "choices": [choice]})

        self.h.start_stream()
        chunk({"role": "assistant", "content": ""})
        for piece in _pieces(self.turn.text or "", self.turn.chunk):
            self.h.pause(self.turn.delay)
            chunk({"content": piece})
        for index, (call_id, call) in enumerate(self.calls):
            function = {"name": call.name, "arguments": ""}
            chunk({"tool_calls": [{"index": index, "id": call_id, "type": "function", "function": function}]})
            for piece in _pieces(call.arguments, ARGUMENT_PIECE):
                self.h.pause(self.turn.delay)
                chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
        chunk({}, finish)
        if (self.body.get("stream_options") or {}).get("include_usage"):
            self.h.sse({**head, "object": "chat.completion.chunk", "choices": [], "usage": usage})
        self.h.write_chunk(b"data: [DONE]\n\n")
        self.h.end_stream()

    def response(self, status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
        """A whole Response object, echoing the request's settings as OpenAI does."""
        b, done = self.body, status == "completed"
        usage = {"input_tokens": self.tokens_in, "output_tokens": self.tokens_out,
                 "total_tokens": self.tokens_in + self.tokens_out,
                 "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                 "output_tokens_details": {"reasoning_tokens": 0}}
        return {
            "id": self.response_id, "object": "response", "created_at": self.created, "status": status,
            "completed_at": int(time.time()) if done else None, "model": self.model, "output": output,
            "usage": usage if done else None, "error": None, "incomplete_details": None,
            "instructions": b.get("instructions"), "metadata": b.get("metadata") or {},
            "parallel_tool_calls": b.get("parallel_tool_calls", True), "tool_choice": b.get("tool_choice", "auto"),
            "tools": b.get("tools") or [], "temperature": b.get("temperature", 1.0), "top_p": b.get("top_p", 1.0),
            "text": b.get("text") or {"format": {"type": "text"}}, "max_output_tokens": b.get("max_output_tokens"),
            "previous_response_id": b.get("previous_response_id"), "reasoning": b.get("reasoning"),
            "truncation": b.get("truncation", "disabled"), "store": b.get("store", True), "background": False,
            "service_tier": "default", "user": None,
        }

    def responses(self) -> None:
        self.response_id, items = _id("resp"), []
        if self.turn.text is not None:
            part = {"type": "output_text", "text": self.turn.text, "annotations": [], "logprobs": []}
            items.append({"type": "message", "id": _id("msg"), "role": "assistant", "status": "completed",
                          "content": [part]})
        for call_id, c in self.calls:
            items.append({"type": "function_call", "id": _id("fc"), "call_id": call_id, "name": c.name,
                          "arguments": c.arguments, "status": "completed"})
        if not self.body.get("stream"):
            return self.h.send_json(200, self.response("completed", items))
        self.sequence = 0
        self.h.start_stream()
        self.event("response.created", response=self.response("in_progress", []))
        self.event("response.in_progress", response=self.response("in_progress", []))
        for n, item in enumerate(items):
            self.stream_item(n, item)
        self.event("response.completed", response=self.response("completed", items))
        self.h.end_stream()

    def event(self, type_: str, **data: Any) -> None:
        payload = json.dumps({"type": type_, "sequence_number": self.sequence, **data})
        self.sequence += 1
        self.h.write_chunk(f"event: {type_}\ndata: {payload}\n\n".encode())

    def stream_item(self, n: int, item: dict[str, Any]) -> None:
        at = {"item_id": item["id"], "output_index": n}
        if item["type"] == "function_call":
            self.event("response.output_item.added", output_index=n, item={**item, "arguments": "", "status": "in_progress"})
            for piece in _pieces(item["arguments"], ARGUMENT_PIECE):
                self.h.pause(self.turn.delay)
                self.event("response.function_call_arguments.delta", **at, delta=piece)
            self.event("response.function_call_arguments.done", **at, arguments=item["arguments"])
        else:
            part = item["content"][0]
            self.event("response.output_item.added", output_index=n, item={**item, "status": "in_progress", "content": []})
            self.event("response.content_part.added", **at, content_index=0, part={**part, "text": ""})
            for piece in _pieces(part["text"], self.turn.chunk):
                self.h.pause(self.turn.delay)
                self.event("response.output_text.delta", **at, content_index=0, delta=piece, logprobs=[])
            self.event("response.output_text.done", **at, content_index=0, text=part["text"], logprobs=[])
            self.event("response.content_part.done", **at, content_index=0, part=part)
        self.event("response.output_item.done", output_index=n, item=item)


# ---------------------------------------------------------------- HTTP


class _Gone(Exception):
    """The client hung up or the fake is closing: stop answering and drop the connection."""


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 as api.openai.com: JSON answers keep the connection alive (so the client's
    # connection pool is exercised) and streams use chunked transfer encoding.
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: Any) -> None:  # no access log in test output
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake._lock:
            self.server.fake._connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_json(404, _error_body(f"fake: no route GET {self.path}", "invalid_request_error"))

    def do_POST(self) -> None:  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        path = self.path.split("?")[0]
        if path not in ("/v1/chat/completions", "/v1/responses"):
            return self.send_json(404, _error_body(f"fake: no route POST {path}", "invalid_request_error"))
        request = Recorded(path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw or b"{}"))
        step = self.server.fake._take(request)
        try:
            while callable(step):  # a step that decides once it sees the request
                step = step(request)
        except Exception as exc:  # shows up in the test as a 500 naming the step's bug
            return self.send_json(500, _error_body(f"fake: step raised {exc!r}", "server_error"))
        try:
            if step is None:
                self.send_json(500, _error_body("fake: no scripted step", "server_error"))
            elif isinstance(step, Error):
                self.send_json(step.status, _error_body(step.message, step.type), step.headers)
            elif isinstance(step, Hang):
                self.pause(step.seconds)
                raise _Gone  # then drop the connection without having sent a byte
            else:
                answer = Answer(self, request, step if isinstance(step, Turn) else calls(step))
                answer.chat() if request.api == "chat_completions" else answer.responses()
        except (_Gone, ConnectionError):
            self.close_connection = True

    def send_json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()

    def sse(self, data: dict[str, Any]) -> None:
        self.write_chunk(f"data: {json.dumps(data)}\n\n".encode())

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")

    def pause(self, seconds: float) -> None:
        """Sleep, but raise _Gone as soon as the client hangs up or the fake closes.

        A hung-up client makes its socket readable with nothing to read: that is how a
        cancelled stream is noticed while the fake is silent.
        """
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.server.fake._closing.is_set():
                raise _Gone
            if select.select([self.connection], [], [], min(left, 0.05))[0]:
                if not self.connection.recv(1, socket.MSG_PEEK):
                    raise _Gone
                self.server.fake._closing.wait(min(left, 0.05))  # stray bytes: don't spin on them


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that disconnect (timeouts, cancelled runs, close()) are routine here.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


# ---------------------------------------------------------------- the fake


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.unexpected: list[Recorded] = []  # arrived with nothing scripted; answered 500
        self._steps: deque[Step] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._port = 0

    def start(self) -> FakeOpenAI:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake, self._port = self, self._server.server_port
        # A short poll interval so that close() returns promptly.
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="fake-openai", daemon=True).start()
        return self

    @property
    def base_url(self) -> str:
        assert self._port, "call FakeOpenAI.start() first"
        return f"http://127.0.0.1:{self._port}/v1"

    def script(self, *steps: Step) -> FakeOpenAI:
        with self._lock:
            self._steps.extend(steps)
        return self

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._steps)

    def _take(self, request: Recorded) -> Step | None:
        # One lock for both, so that requests are recorded in the order they consume steps.
        with self._lock:
            self.requests.append(request)
            if self._steps:
                return self._steps.popleft()
            self.unexpected.append(request)
            return None

    def close(self) -> None:
        self._closing.set()  # releases hang() and delayed replies
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        # Kept-alive connections would otherwise go on answering after close().
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()
