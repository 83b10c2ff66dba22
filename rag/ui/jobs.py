"""Background ingest for the app: one upload at a time runs in a thread while questions are answered (no Gradio).

    job = IngestJob()
    job.start(lambda step: agent.ingest(paths, progress=step), count_indexed=lambda: agent.store.article_count())
    job.snapshot()   # {"running": True, "read": 12, "indexed": 9, "origin": "x.jsonl:12", ...}

An upload held the app's one agent slot for its whole length (issue 20: a question waited 13.8 s
behind a 30-record JSONL). The thread shares the embedder with questions, which is safe: the
embedders serialise their own calls (rag/embeddings.py), so a question waits at most one embedding
batch. Counts: `read` is the records the loader has given (the pipeline's progress callback);
`indexed` is how many more articles the index holds than when the job started, read when polled,
so the page shows records as they are indexed rather than as they are read.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable

INGEST_THREAD = "rag-ingest"  # the thread's name: its embedding calls give way to questions (give_way)

class IngestJob:
    """At most one ingest thread; its progress and its result, read by polling."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._count: Callable[[], int] | None = None
        self.reset()

    def reset(self) -> None:
        """Forget the last finished job (its result has been shown)."""
        self.read, self.origin, self.base = 0, "", 0
        self.report: object | None = None  # what `run` returned
        self.error: Exception | None = None
        self.started: float | None = None  # time.monotonic() when the job started and when it ended
        self.finished: float | None = None
        self.extra: dict = {}

    @property
    def running(self) -> bool:
        """Whether an ingest thread is at work."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, run: Callable[[Callable[[int, int | None, str], None]], object], *,
              count_indexed: Callable[[], int] | None = None, **extra) -> bool:
        """Run `run(progress)` in a thread; False (and nothing started) when a job is already running."""
        with self._lock:
            if self.running:
                return False
            self.reset()
            self.extra, self._count = extra, count_indexed
            self.base = self._indexed_now()
            self.started = time.monotonic()

            def step(done: int, of: int | None, origin: str) -> None:
                self.read, self.origin = done, origin

            def work() -> None:
                try:
                    self.report = run(step)
                except Exception as exc:  # shown in the page; the app stays up
                    self.error = exc
                finally:
                    self.finished = time.monotonic()

            self._thread = threading.Thread(target=work, name=INGEST_THREAD, daemon=True)
            self._thread.start()
            return True

    def _indexed_now(self) -> int:
        try:
            return int(self._count()) if self._count else 0
        except Exception:  # a count is a nicety: never break the poll
            return 0

    def snapshot(self) -> dict:
        """running, read, indexed (articles added so far), origin, seconds, report, error."""
        end = self.finished or time.monotonic()
        return {"running": self.running, "read": self.read, "indexed": max(0, self._indexed_now() - self.base),
                "origin": self.origin, "seconds": round(end - self.started, 1) if self.started else 0.0,
                "report": self.report, "error": self.error, "finished": self.finished is not None, **self.extra}

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running job ends (tests, shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)


_GIVING_WAY: weakref.WeakSet = weakref.WeakSet()  # embedders give_way() has patched


def give_way(embedder) -> None:
    """Make the ingest thread's embedding calls wait while a question's are waiting or running.

    The embedders serialise calls with a plain lock, which is not fair: a thread that releases it and
    asks again at once usually gets it back, so a question could wait for a whole upload. Patched on the
    instance, so every holder of the embedder (agent, store, retriever) sees it; which embedders are
    patched is kept here (weakly), not written onto them.
    """
    if embedder in _GIVING_WAY:
        return
    inner = embedder.embed_batch
    cond = threading.Condition()
    others = [0]

    def embed_batch(texts, *args, **kwargs):
        if threading.current_thread().name == INGEST_THREAD:
            with cond:
                cond.wait_for(lambda: others[0] == 0, timeout=60)
            return inner(texts, *args, **kwargs)
        with cond:
            others[0] += 1
        try:
            return inner(texts, *args, **kwargs)
        finally:
            with cond:
                others[0] -= 1
                cond.notify_all()

    embedder.embed_batch = embed_batch
    _GIVING_WAY.add(embedder)
