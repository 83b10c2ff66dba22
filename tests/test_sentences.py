"""Sentence vectors: cached per chunk, embedded once even when many threads ask at the same time."""

from __future__ import annotations

import threading

import numpy as np

from rag.documents import Chunk
from rag.embeddings import make_embedder
from rag.ingest.chunking import sentence_spans
from rag.sentences import SentenceVectors

TEXTS = [
    "وصلت تعزيزات من لواء الباقر إلى مدينة السخنة. وانتشرت في محيط الحقول النفطية.",
    "قتل ثلاثة عناصر من الفاطميون بهجوم لتنظيم الدولة قرب الشولا؛ وأصيب آخرون.",
    "شنت الطائرات الروسية غارات على البادية السورية. ولم تعلن حصيلة الغارات.",
]


class CountingEmbedder:
    """The real bundled embedder, counting the texts it is asked to embed (and slow enough to overlap)."""

    def __init__(self):
        self.inner = make_embedder("e5-small-q4")
        self.name, self.dim = self.inner.name, self.inner.dim
        self.texts = 0
        self.gate = threading.Barrier(4, timeout=30)
        self._lock = threading.Lock()

    def embed_batch(self, texts, *, is_query=False):
        with self._lock:
            self.texts += len(texts)
        return self.inner.embed_batch(texts, is_query=is_query)


def _chunks() -> list[Chunk]:
    return [Chunk(id=f"c{i}", article_id=f"a{i}", text=t, start=0, end=len(t)) for i, t in enumerate(TEXTS)]


def test_each_sentence_is_embedded_once_across_calls():
    embedder = CountingEmbedder()
    vectors = SentenceVectors(embedder)
    chunks = _chunks()
    first = vectors.get(chunks)
    vectors.get(chunks)
    sentences = sum(len(sentence_spans(t)) for t in TEXTS)
    assert embedder.texts == sentences
    assert [len(spans) for spans, _ in first] == [len(sentence_spans(t)) for t in TEXTS]
    assert all(v.shape == (len(sp), embedder.dim) for sp, v in first)


def test_concurrent_callers_share_one_embedding_pass():
    embedder = CountingEmbedder()
    vectors = SentenceVectors(embedder)
    chunks = _chunks()
    results, errors = [], []

    def ask():
        try:
            embedder.gate.wait()
            results.append(vectors.get(chunks))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(results) == 4
    assert embedder.texts == sum(len(sentence_spans(t)) for t in TEXTS)  # not 4x
    for got in results[1:]:
        for (sp_a, v_a), (sp_b, v_b) in zip(results[0], got):
            assert sp_a == sp_b and np.allclose(v_a, v_b)


def test_best_picks_the_sentence_that_answers():
    embedder = make_embedder("e5-small-q4")
    vectors = SentenceVectors(embedder)
    query = embedder.embed_batch(["Which militia reinforced Sukhnah?"], is_query=True)[0]
    scores = vectors.best(_chunks(), query)
    assert scores[0] == max(scores)
