"""A real HTTP server on 127.0.0.1 that speaks OpenAI's chat-completions protocol with scripted replies.

The only fake in the test suite, at the LLM network boundary. It serves
`POST /v1/chat/completions` (plain JSON, or server-sent events when the request
asks `stream: true`), `GET /v1/models` and `POST /v1/embeddings`, and records
every request. A reply is scripted as a `Reply` or computed by a function of the
request body.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """One scripted response: content, or an HTTP status with an error, or raw bytes, after a delay."""

    content: str = ""
    status: int = 200
    delay: float = 0.0
    raw: bytes | None = None  # sent as-is (garbage output)
    headers: dict = field(default_factory=dict)


class LocalHTTPServer:
    """A threaded HTTP server on a free 127.0.0.1 port, served while inside `with`; `base_url` ends in /v1."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class FakeOpenAI(LocalHTTPServer):
    """Start with `with FakeOpenAI() as server:`; `server.base_url` ends in /v1."""

    def __init__(self, replies: list[Reply] | Callable[[dict], Reply] | None = None, model: str = "fake-model"):
        self.replies = replies if replies is not None else []
        self.model = model
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def next_reply(self, body: dict) -> Reply:
        with self._lock:
            self.requests.append(body)
            if callable(self.replies):
                return self.replies(body)
            if not self.replies:
                return Reply(status=500, content="no scripted reply left")
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def prompt_text(self, i: int = -1) -> str:
        """All message contents of request i, joined."""
        return "\n".join(m.get("content", "") for m in self.requests[i].get("messages", []))

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _json(self, status: int, obj: dict, headers: dict | None = None) -> None:
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": fake.model, "object": "model", "owned_by": "test"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.headers.append(dict(self.headers))
                if self.path.endswith("/embeddings"):
                    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                    data = [{"object": "embedding", "index": i, "embedding": [float(len(t) % 7), 1.0, 0.5]} for i, t in enumerate(inputs)]
                    self._json(200, {"object": "list", "data": data, "model": body.get("model")})
                    return
                reply = fake.next_reply(body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if reply.raw is not None:
                        self.send_response(reply.status)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(reply.raw)))
                        self.end_headers()
                        self.wfile.write(reply.raw)
                    elif reply.status != 200:
                        self._json(reply.status, {"error": {"message": reply.content or "scripted error", "type": "test"}}, reply.headers)
                    elif body.get("stream"):
                        self._stream(reply.content, body)
                    else:
                        self._json(200, _completion(reply.content, body.get("model", fake.model)))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def _stream(self, content: str, body: dict) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                words = content.split(" ")
                for i, word in enumerate(words):
                    piece = word + (" " if i < len(words) - 1 else "")
                    chunk = {
                        "id": "chatcmpl-test",
                        "object": "chat.completion.chunk",
                        "created": int(time.time()),
                        "model": body.get("model", fake.model),
                        "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece} if i == 0 else {"content": piece}, "finish_reason": None}],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                done = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": body.get("model", fake.model), "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        return Handler


def _completion(content: str, model: str) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


# -- scripted answers: a mix of faithful and faulty replies, for the verifier's gate ------------------

SCRIPTED_KINDS = ("faithful", "wrong_number", "wrong_source", "uncited", "injected")
_SOURCE = re.compile(r'<source n="(\d+)"[^>]*>(.*?)</source>', re.S)
_QUESTION = re.compile(r"<question>\s*(.*?)\s*</question>", re.S)
_DIGIT_RUN = re.compile(r"(?<![\d.,])[0-9٠-٩]+(?![\d.,]\d)")
INJECTED = "The Tiger Battalion of Narnia took control of the whole area and its 900 fighters hold it"


@dataclass
class Scripted:
    """What the scripted server answered to one question: its kind and the reply."""

    question: str
    kind: str
    reply: str


class ScriptedAnswers:
    """A reply function for FakeOpenAI answering like a model that is sometimes wrong, and logging what it did.

    The kind of each reply is fixed by a hash of the question (reproducible, about a fifth each):
    - faithful: the source sentence that shares most words with the question, its first word dropped
      (so it is not a verbatim quote and goes through every rule), cited to its source;
    - wrong_number: that sentence (or the best one that has a number) with its first number times 1.5;
    - wrong_source: the faithful sentence cited to another source that does not contain it;
    - uncited: the faithful sentence with no citation mark;
    - injected: what a model obeying an instruction planted in an article would write, cited to [1].
    A kind that cannot be made from the sources (no number; one source) is written as faithful and logged so.
    """

    def __init__(self, kinds: tuple[str, ...] = SCRIPTED_KINDS):
        self.kinds = kinds
        self.log: list[Scripted] = []

    def kind_of(self, question: str) -> str:
        """The reply kind a question gets."""
        return self.kinds[int(hashlib.sha1(question.encode("utf-8")).hexdigest(), 16) % len(self.kinds)]

    def __call__(self, body: dict) -> Reply:
        prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
        q = _QUESTION.search(prompt)
        question = q.group(1).strip() if q else ""
        sources = [(int(n), text.strip()) for n, text in _SOURCE.findall(prompt)]
        kind = self.kind_of(question)
        reply, kind = self._reply(question, sources, kind)
        self.log.append(Scripted(question, kind, reply))
        return Reply(reply)

    def _reply(self, question: str, sources: list[tuple[int, str]], kind: str) -> tuple[str, str]:
        if not sources:
            return "Not in the sources.", "faithful"
        words = set(question.lower().split())
        sentences = [(n, s.strip()) for n, text in sources for s in re.split(r"(?<=[.!?؟])\s+|\n+", text) if len(s.split()) >= 6]
        if not sentences:
            return "Not in the sources.", "faithful"
        ranked = sorted(sentences, key=lambda ns: -len(words & set(ns[1].lower().split())))
        n, sentence = ranked[0]
        if kind == "injected":
            return f"{INJECTED} [{sources[0][0]}].", kind
        if kind == "wrong_number":  # a count (not a date, a year or the digits of a name such as SY24), times 1.5
            from rag.numbers import find_quantities

            counted = [(ns, q) for ns in ranked for q in find_quantities(ns[1]) if q.low is None and _DIGIT_RUN.search(q.text)]
            if not counted:
                kind = "faithful"
            else:
                (n, sentence), q = counted[0]
                m = _DIGIT_RUN.search(sentence, q.start, q.end)
                old = int(m.group().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
                sentence = sentence[: m.start()] + str(old + max(1, round(old * 0.5))) + sentence[m.end():]
        claim = " ".join(sentence.split()[1:]).rstrip(".؟!?") + "."
        if kind == "wrong_source":
            said = set(sentence.split())  # another source that shares at most a third of its words (not an overlapping chunk)
            others = [m for m, text in sources if m != n and len(said & set(text.split())) * 3 <= len(said)]
            if not others:
                kind = "faithful"
            else:
                return f"{claim} [{others[0]}]", kind
        if kind == "uncited":
            return claim, kind
        return f"{claim} [{n}]", kind
