"""Sentence vectors of chunks, embedded on first use and kept in a bounded cache.

Shared by the retriever (a chunk's best sentence re-ranks it: short, precise
evidence beats a long chunk's average) and by the extractive answerer (which
quotes the best sentences), so each sentence is embedded once per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from .documents import Chunk
from .embeddings import Embedder, embed_documents
from .ingest.chunking import sentence_spans


class SentenceVectors:
    """Per chunk: its sentence spans and their passage vectors (LRU, thread-safe)."""

    def __init__(self, embedder: Embedder, max_chunks: int = 20000, batch: int = 32):
        self.embedder = embedder
        self.max_chunks = max_chunks
        self.batch = batch
        self._cache: OrderedDict[str, tuple[list[tuple[int, int]], np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[str, threading.Event] = {}  # chunk id -> set when its vectors are cached

    def get(self, chunks: list[Chunk]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """(spans, vectors) for each chunk, embedding the sentences of chunks not seen before in one batch.

        Single flight: a chunk being embedded by another thread is waited for, not embedded again,
        so concurrent questions over the same sources cost one embedding pass.
        """
        with self._lock:
            wanted = {c.id: c for c in chunks if c.id not in self._cache}
            mine = [c for cid, c in wanted.items() if cid not in self._pending]
            theirs = [self._pending[cid] for cid in wanted if cid in self._pending]
            for c in mine:
                self._pending[c.id] = threading.Event()
        if mine:
            try:
                spans = [self._spans(c) for c in mine]
                texts = [c.text[s:e] for c, sp in zip(mine, spans) for s, e in sp]
                vectors = embed_documents(self.embedder, texts, self.batch)
                with self._lock:
                    pos = 0
                    for c, sp in zip(mine, spans):
                        self._cache[c.id] = (sp, vectors[pos : pos + len(sp)])
                        pos += len(sp)
                    while len(self._cache) > self.max_chunks:
                        self._cache.popitem(last=False)
            finally:
                with self._lock:
                    for c in mine:
                        self._pending.pop(c.id).set()
        for event in theirs:
            event.wait()
        with self._lock:
            out = [self._cache.get(c.id) for c in chunks]
            for c, item in zip(chunks, out):
                if item is not None:
                    self._cache.move_to_end(c.id)
        for i, (c, item) in enumerate(zip(chunks, out)):
            if item is None:  # evicted meanwhile, or the other thread failed: embed alone
                sp = self._spans(c)
                out[i] = (sp, embed_documents(self.embedder, [c.text[s:e] for s, e in sp], self.batch))
        return out

    @staticmethod
    def _spans(chunk: Chunk) -> list[tuple[int, int]]:
        return sentence_spans(chunk.text) or [(0, len(chunk.text))]

    def best(self, chunks: list[Chunk], query_vector: np.ndarray) -> list[float]:
        """Each chunk's highest sentence similarity to the query."""
        return [float((vectors @ query_vector).max()) if len(vectors) else -1.0 for _, vectors in self.get(chunks)]
