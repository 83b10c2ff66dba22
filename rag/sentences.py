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

    def get(self, chunks: list[Chunk]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """(spans, vectors) for each chunk, embedding the sentences of chunks not seen before in one batch."""
        with self._lock:
            missing = list({c.id: c for c in chunks if c.id not in self._cache}.values())
        if missing:
            spans = [sentence_spans(c.text) or [(0, len(c.text))] for c in missing]
            texts = [c.text[s:e] for c, sp in zip(missing, spans) for s, e in sp]
            vectors = embed_documents(self.embedder, texts, self.batch)
            with self._lock:
                pos = 0
                for c, sp in zip(missing, spans):
                    self._cache[c.id] = (sp, vectors[pos : pos + len(sp)])
                    pos += len(sp)
                while len(self._cache) > self.max_chunks:
                    self._cache.popitem(last=False)
        with self._lock:
            out = []
            for c in chunks:
                item = self._cache.get(c.id)
                if item is None:  # evicted meanwhile by another thread's batch: embed alone
                    sp = sentence_spans(c.text) or [(0, len(c.text))]
                    item = (sp, embed_documents(self.embedder, [c.text[s:e] for s, e in sp], self.batch))
                else:
                    self._cache.move_to_end(c.id)
                out.append(item)
            return out

    def best(self, chunks: list[Chunk], query_vector: np.ndarray) -> list[float]:
        """Each chunk's highest sentence similarity to the query."""
        return [float((vectors @ query_vector).max()) if len(vectors) else -1.0 for _, vectors in self.get(chunks)]
