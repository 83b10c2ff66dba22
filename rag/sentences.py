"""Sentence vectors of chunks: made at ingest in the chunks' own embedding pass, stored with the index, read at ask time.

Shared by the retriever (a chunk's best sentence re-ranks it: short, precise
evidence beats a long chunk's average), the extractive answerer (which quotes the
best sentences), event quotes and the LLM-mode support check, so an ask embeds
only its question.

Storage: one row per chunk in the `<collection>-sentences` Chroma collection (see
Store.derived), so a Chroma server shares them with every client. The row id is
the chunk id; its document is JSON: `ids` (sentence ids, `<chunk id>:<k>`), `spans`
(character spans into the chunk text), `offset` (the chunk's start in its article:
article span = offset + span), `crc` (CRC-32 of the chunk text, so a row never
serves another text), `dim` and `vectors` (float32, base64). Its metadata holds
the article id. Why not one Chroma row per sentence with its vector as the
embedding: nothing searches sentences by similarity, and Chroma's HNSW insert cost
~2.6 ms a sentence here (about 15% of embedding it); why float32: similarities are
compared against thresholds calibrated to 3 decimals.

Reading: `SentenceVectors.get` returns (spans, vectors) per chunk from a bounded
in-process LRU keyed by chunk id and text CRC (content-keyed, so an edit under the
same chunk id is never served stale), filling misses with one store read. A chunk
with no stored row (an index built before sentence vectors were stored, or copied
without them) is embedded on first sight instead, single-flight across threads,
and counted in `embedded`.
"""

from __future__ import annotations

import base64
import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from .documents import Chunk
from .embeddings import Embedder, embed_documents
from .splitting import sentence_spans

KIND = "sentences"

Spans = list[tuple[int, int]]


def spans_of(text: str) -> Spans:
    """A chunk's sentence spans (the whole chunk when it has no sentence boundary)."""
    return sentence_spans(text) or [(0, len(text))]


def crc(text: str) -> int:
    """CRC-32 of a chunk text: ties a stored row to the text it was made from."""
    return zlib.crc32(text.encode("utf-8"))


def pack(chunk: Chunk, spans: Spans, vectors: np.ndarray) -> str:
    """A chunk's sentence row as JSON (pure)."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    return json.dumps({
        "ids": [f"{chunk.id}:{k}" for k in range(len(spans))],
        "spans": [list(s) for s in spans],
        "offset": chunk.start,
        "crc": crc(chunk.text),
        "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0,
        "vectors": base64.b64encode(vectors.tobytes()).decode("ascii"),
    })


def unpack(doc: str) -> tuple[Spans, np.ndarray, int]:
    """(spans, vectors, text CRC) of a stored row (pure)."""
    row = json.loads(doc)
    spans = [(int(s), int(e)) for s, e in row["spans"]]
    vectors = np.frombuffer(base64.b64decode(row["vectors"]), dtype=np.float32).reshape(len(spans), int(row["dim"]) or 0)
    return spans, vectors, int(row["crc"])


def embed_with_sentences(embedder: Embedder, chunks: Sequence[Chunk], batch: int = 32) -> tuple[np.ndarray, list[tuple[Spans, np.ndarray]]]:
    """Chunk vectors and every chunk's sentence vectors, in one embedding pass.

    Texts are embedded shortest first (sentences and chunks mixed) so each batch
    holds texts of similar length and little padding, then put back in order.
    """
    spans = [spans_of(c.text) for c in chunks]
    texts = [c.text for c in chunks] + [c.text[s:e] for c, sp in zip(chunks, spans) for s, e in sp]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    if texts:
        vectors[order] = embed_documents(embedder, [texts[i] for i in order], batch)
    out, pos = [], len(chunks)
    for sp in spans:
        out.append((sp, vectors[pos : pos + len(sp)]))
        pos += len(sp)
    return vectors[: len(chunks)], out


def store_sentences(store, chunks: Sequence[Chunk], sentences: Sequence[tuple[Spans, np.ndarray]]) -> None:
    """Write the sentence rows of these chunks (Store.put_derived)."""
    store.put_derived(KIND, [c.id for c in chunks], [pack(c, sp, v) for c, (sp, v) in zip(chunks, sentences)],
                      [c.article_id for c in chunks])


class SentenceVectors:
    """Per chunk: its sentence spans and their passage vectors, read from the store (LRU, thread-safe)."""

    def __init__(self, embedder: Embedder, store=None, max_chunks: int = 20000, batch: int = 32):
        self.embedder = embedder
        self.store = store
        self.max_chunks = max_chunks
        self.batch = batch
        self.embedded = 0  # sentences embedded at ask time (chunks with no stored row)
        self._cache: OrderedDict[tuple[str, int], tuple[Spans, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, int], threading.Event] = {}  # key -> set when its vectors are cached
        self._by_text: OrderedDict[str, np.ndarray] = OrderedDict()  # sentence text -> vector, of chunks read

    def get(self, chunks: list[Chunk]) -> list[tuple[Spans, np.ndarray]]:
        """(spans, vectors) for each chunk: cached, else stored, else embedded (see the module docstring).

        Single flight: a chunk being read or embedded by another thread is waited for, not done again.
        """
        keys = [(c.id, crc(c.text)) for c in chunks]
        with self._lock:
            wanted = {k: c for k, c in zip(keys, chunks) if k not in self._cache}
            mine = [(k, c) for k, c in wanted.items() if k not in self._pending]
            theirs = [self._pending[k] for k in wanted if k in self._pending]
            for k, _ in mine:
                self._pending[k] = threading.Event()
        if mine:
            try:
                found = self._stored(mine)
                missing = [(k, c) for k, c in mine if k not in found]
                if missing:
                    found.update(self._embed(missing))
                with self._lock:
                    self._cache.update(found)
                    while len(self._cache) > self.max_chunks:
                        self._cache.popitem(last=False)
            finally:
                with self._lock:
                    for k, _ in mine:
                        self._pending.pop(k).set()
        for event in theirs:
            event.wait()
        with self._lock:
            out = [self._cache.get(k) for k in keys]
            for k, item in zip(keys, out):
                if item is not None:
                    self._cache.move_to_end(k)
        for i, (k, c) in enumerate(zip(keys, chunks)):
            if out[i] is None:  # evicted meanwhile, or the other thread failed: do it alone
                out[i] = (self._stored([(k, c)]) or self._embed([(k, c)]))[k]
        self._remember_texts(chunks, out)  # type: ignore[arg-type]
        return out  # type: ignore[return-value]

    def _stored(self, items: list[tuple[tuple[str, int], Chunk]]) -> dict:
        if self.store is None:
            return {}
        rows = self.store.get_derived(KIND, list(dict.fromkeys(c.id for _, c in items)))
        found = {}
        for key, c in items:
            if c.id in rows:
                spans, vectors, text_crc = unpack(rows[c.id])
                if text_crc == key[1] and vectors.shape[1] == self.embedder.dim:
                    found[key] = (spans, vectors)
        return found

    def _embed(self, items: list[tuple[tuple[str, int], Chunk]]) -> dict:
        spans = [spans_of(c.text) for _, c in items]
        texts = [c.text[s:e] for (_, c), sp in zip(items, spans) for s, e in sp]
        vectors = embed_documents(self.embedder, texts, self.batch)
        self.embedded += len(texts)
        out, pos = {}, 0
        for (key, _), sp in zip(items, spans):
            out[key] = (sp, vectors[pos : pos + len(sp)])
            pos += len(sp)
        return out

    def best(self, chunks: list[Chunk], query_vector: np.ndarray) -> list[float]:
        """Each chunk's highest sentence similarity to the query."""
        return [float((vectors @ query_vector).max()) if len(vectors) else -1.0 for _, vectors in self.get(chunks)]

    def similarity_in(self, chunk: Chunk, start: int, end: int, query_vector: np.ndarray) -> float | None:
        """Highest similarity to the query among the chunk's sentences inside an article span (None when none is)."""
        spans, vectors = self.get([chunk])[0]
        sims = [float(v @ query_vector) for (s, e), v in zip(spans, vectors)
                if start <= chunk.start + s and chunk.start + e <= end]
        return max(sims) if sims else None

    def lookup(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of sentence texts: those of chunks read since (the sources of an answer), others embedded.

        For the LLM-mode support check, whose sentences are the cited sources' own sentences.
        """
        with self._lock:
            found = [self._by_text.get(t) for t in texts]
        missing = [t for t, v in zip(texts, found) if v is None]
        made = iter(embed_documents(self.embedder, missing, self.batch) if missing else [])
        self.embedded += len(missing)
        vectors = [v if v is not None else next(made) for v in found]
        return np.vstack(vectors) if vectors else np.zeros((0, self.embedder.dim), dtype=np.float32)

    def _remember_texts(self, chunks: list[Chunk], items: list[tuple[Spans, np.ndarray]]) -> None:
        with self._lock:
            for c, (spans, vectors) in zip(chunks, items):
                for (s, e), v in zip(spans, vectors):
                    self._by_text[c.text[s:e]] = v
                    self._by_text.move_to_end(c.text[s:e])
            while len(self._by_text) > 8 * self.max_chunks:
                self._by_text.popitem(last=False)


def quote_closeness(sentences: SentenceVectors, events, sources, chunks_by_id, query_vector: np.ndarray):
    """`similarity_of(quote)` for rag.answering.events_hint: an event quote's similarity to the question from stored vectors.

    The quote is found among the events (its chunk and article span); its similarity is the best of
    the chunk's stored sentences inside the span (a quote is one or more whole sentences), so no
    embedding is made; a quote no stored sentence covers is embedded, as before.
    A quote's chunk is taken from the numbered `sources` when there, else read with `chunks_by_id(ids)`
    (Store.get_chunks).
    """
    held = {s.chunk_id: Chunk(s.chunk_id, s.article_id, s.text, s.start, s.start + len(s.text)) for s in sources}
    cites: dict[str, dict[str, Any]] = {}
    for e in events:
        c = e["citation"] if isinstance(e, dict) else e.citation.to_dict()
        cites.setdefault(c["quote"], c)

    def similarity_of(text: str) -> float:
        c = cites.get(text)
        sim = None
        if c is not None:
            chunk = held.get(c["chunk_id"]) or next(iter(chunks_by_id([c["chunk_id"]])), None)
            sim = sentences.similarity_in(chunk, c["start"], c["end"], query_vector) if chunk is not None else None
        if sim is None:
            sentences.embedded += 1
            sim = float(embed_documents(sentences.embedder, [text])[0] @ query_vector)
        return sim

    return similarity_of


class StoredFirst:
    """An Embedder whose passages come from stored sentence vectors when known (SentenceVectors.lookup), else embedded.

    For the LLM-mode support check (rag.answering.support.SupportCheck), which embeds the cited
    sources' sentences: those were stored at ingest. Queries (the claims) go to the embedder.
    """

    def __init__(self, sentences: SentenceVectors):
        self.sentences = sentences
        self.name, self.dim = sentences.embedder.name, sentences.embedder.dim

    def embed_batch(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        """Query vectors from the embedder; passage vectors stored when known."""
        if is_query:
            return self.sentences.embedder.embed_batch(texts, is_query=True)
        return self.sentences.lookup(list(texts))
