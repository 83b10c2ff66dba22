"""What ingest stores beside each chunk, and what it rebuilds once at its end (called by rag/ingest/pipeline.py).

Per batch of articles (`index_chunks`): one embedding pass over the chunks and
their sentences (rag/sentences.py), the chunks, their sentence vectors, and the
articles' events (rag/events_store.py), all written before the manifest rows, so
the pipeline's crash rule (an article is done only once its manifest row is
written) covers them too. Every write bumps the index version (rag/version.py).
At the end of an ingest that changed anything, or when the index has no saved
lexical index yet (`finish_ingest`): the BM25 index is rebuilt once and saved
(rag/lexical.py), never at a query.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from . import lexical
from . import version as version_mod
from .documents import Chunk
from .events_store import refresh_stale, store_events
from .gazetteer import Gazetteer
from .sentences import embed_with_sentences, store_sentences
from .settings import EventSettings


class IndexTimes:
    """Where ingest time went beyond loading and chunking (seconds, and texts embedded), for bench/ingest.py."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Every total back to zero (before a measured run)."""
        self.embed = self.store = self.events = self.lexical = 0.0
        self.texts_embedded = 0


TIMES = IndexTimes()  # process-wide totals; bench/ingest.py resets and reads them
_GAZETTEER: list[Gazetteer] = []


def _gazetteer() -> Gazetteer:
    if not _GAZETTEER:
        _GAZETTEER.append(Gazetteer.load())
    return _GAZETTEER[0]


def index_chunks(store, chunks: Sequence[Chunk], batch: int = 32, gazetteer: Gazetteer | None = None,
                 events: EventSettings | None = None) -> None:
    """Embed chunks and their sentences in one pass; store chunks, sentence vectors and the articles' events.

    `chunks` must hold every chunk of each article in it (events are extracted per article).
    """
    if not chunks:
        return
    t0 = time.perf_counter()
    vectors, sentences = embed_with_sentences(store.embedder, chunks, batch)
    t1 = time.perf_counter()
    store.add_chunks(chunks, vectors)
    store_sentences(store, chunks, sentences)
    t2 = time.perf_counter()
    store_events(store, chunks, gazetteer or _gazetteer(), events, sentences)
    t3 = time.perf_counter()
    TIMES.embed += t1 - t0
    TIMES.texts_embedded += len(chunks) + sum(len(sp) for sp, _ in sentences)
    TIMES.store += t2 - t1
    TIMES.events += t3 - t2


def finish_ingest(store, changed: bool, gazetteer: Gazetteer | None = None, events: EventSettings | None = None) -> float:
    """Store anew the events of articles whose rows older events code made (rag/events_store.refresh_stale), then
    rebuild and save the lexical index when the ingest changed the chunks (or none is saved); seconds spent on BM25."""
    t0 = time.perf_counter()
    refresh_stale(store, gazetteer or _gazetteer(), events)
    TIMES.events += time.perf_counter() - t0
    if not changed and version_mod.lexical(store, fresh=True):
        return 0.0
    _, seconds = lexical.rebuild(store)
    TIMES.lexical += seconds
    return seconds
