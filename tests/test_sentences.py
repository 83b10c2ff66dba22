"""Sentence vectors: made at ingest in the chunks' embedding pass and read from the index; for chunks without stored
vectors, embedded once even when many threads ask at the same time."""

from __future__ import annotations

import threading

import numpy as np

from rag.documents import Chunk
from rag.embeddings import make_embedder
from rag.ingest.chunking import sentence_spans
from rag.sentences import KIND, SentenceVectors, embed_with_sentences, unpack

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


def test_ingest_stores_each_chunks_sentence_vectors(seed_agent):
    store = seed_agent.store
    chunks = store.all_chunks()
    rows = store.get_derived(KIND, [c.id for c in chunks])
    assert set(rows) == {c.id for c in chunks}
    chunk = max(chunks, key=lambda c: len(sentence_spans(c.text)))
    spans, vectors, _ = unpack(rows[chunk.id])
    assert spans == sentence_spans(chunk.text)
    direct = seed_agent.embedder.embed_batch([chunk.text[s:e] for s, e in spans])
    assert np.all(np.sum(direct * vectors, axis=1) > 0.999)  # the same vectors, made in the chunks' pass


def test_one_pass_embeds_chunks_and_sentences_together():
    embedder = CountingEmbedder()
    chunks = _chunks()
    chunk_vectors, sentences = embed_with_sentences(embedder, chunks, batch=64)
    assert embedder.texts == len(chunks) + sum(len(sentence_spans(t)) for t in TEXTS)
    assert np.allclose(chunk_vectors, embedder.inner.embed_batch(TEXTS), atol=1e-3)
    assert [sp for sp, _ in sentences] == [sentence_spans(t) for t in TEXTS]


def test_a_reader_embeds_nothing_and_never_serves_a_row_made_from_other_text(seed_agent):
    embedder = CountingEmbedder()
    vectors = SentenceVectors(embedder, seed_agent.store)
    chunks = seed_agent.store.all_chunks()[:4]
    got = vectors.get(chunks)
    assert embedder.texts == 0 and vectors.embedded == 0
    assert [sp for sp, _ in got] == [sentence_spans(c.text) for c in chunks]
    edited = Chunk(chunks[0].id, chunks[0].article_id, TEXTS[0], 0, len(TEXTS[0]))  # same id, other text
    spans, _ = vectors.get([edited])[0]
    assert spans == sentence_spans(TEXTS[0]) and embedder.texts == len(spans)
