"""rag/retrieval.py's pure parts: near-duplicate collapse (checked against the plain pairwise definition) and fusion."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rag import arabic
from rag.documents import Chunk
from rag.retrieval import Hit, dedup, fuse

WORDS = ["وصلت", "تعزيزات", "عسكرية", "إلى", "السخنة", "في", "البادية", "قوات", "الفيلق", "الخامس", "داعش", "هجوم"]


def reference(hits: list[Hit], k: int, threshold: float, lookahead: int) -> list[tuple[str, list[str]]]:
    """The definition: each hit joins the first kept hit of another article with shingle Jaccard >= threshold; the first
    k kept are returned, with the copies found among the hits up to `lookahead` places past the k-th kept one."""
    def shingles(text):
        toks = arabic.tokens(text, stem=False, drop_stopwords=False)
        return {tuple(toks[i : i + 3]) for i in range(max(1, len(toks) - 3 + 1))}

    kept: list[tuple[Hit, set, list[str]]] = []
    last = None
    for pos, hit in enumerate(hits):
        if last is not None and pos > last:
            break
        sh = shingles(hit.chunk.text)
        for other, other_sh, dups in kept:
            if other.chunk.article_id != hit.chunk.article_id and len(sh & other_sh) / max(1, len(sh | other_sh)) >= threshold:
                dups.append(hit.chunk.id)
                break
        else:
            kept.append((hit, sh, []))
            if len(kept) == k:
                last = pos + lookahead
    return [(h.chunk.id, d) for h, _, d in kept[:k]]


texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts, st.integers(0, 3)), min_size=0, max_size=12), st.integers(1, 8),
       st.sampled_from([0.3, 0.5, 0.8, 1.0]), st.integers(0, 4))
def test_dedup_matches_the_pairwise_definition(rows, k, threshold, lookahead):
    def hits():
        return [Hit(Chunk(f"c{i}", f"a{a}", text, 0, len(text)), 1.0 - i / 100) for i, (text, a) in enumerate(rows)]

    got = [(h.chunk.id, [c.id for c in h.duplicates]) for h in dedup(hits(), k, threshold, lookahead)]
    assert got == reference(hits(), k, threshold, lookahead)
    everything = dedup(hits(), k, threshold, lookahead=len(rows))
    assert [h.chunk.id for h in everything] == [h for h, _ in got]  # the kept hits never depend on the lookahead


def test_a_copy_from_another_outlet_is_folded_into_the_first():
    story = "وصلت تعزيزات عسكرية جديدة إلى منطقة السخنة في البادية السورية قادمة من دير الزور"
    hits = [Hit(Chunk("x1", "a1", story, 0, 1), 0.9), Hit(Chunk("y1", "a2", "هجوم لداعش على قوات الفيلق الخامس", 0, 1), 0.8),
            Hit(Chunk("z1", "a3", story + " اليوم", 0, 1), 0.7), Hit(Chunk("x2", "a1", story, 0, 1), 0.6)]
    out = dedup(hits, 5, 0.8)
    assert [h.chunk.id for h in out] == ["x1", "y1", "x2"]  # the same article's second chunk is not a copy
    assert [c.id for c in out[0].duplicates] == ["z1"]


def test_fusion_adds_reciprocal_ranks():
    a, b = Chunk("a", "A", "x", 0, 1), Chunk("b", "B", "y", 0, 1)
    hits = fuse([(a, 0.9), (b, 0.8)], [(b, 3.0)], bm25_weight=1.0, rrf_k=60)
    assert [h.chunk.id for h in hits] == ["b", "a"]
    assert abs(hits[0].score - (1 / 62 + 1 / 61)) < 1e-12


# -- the retriever over a real index: chunks only BM25 found are read when reached -----------------------------------


PLACES = ["تدمر", "السخنة", "دير الزور", "البوكمال", "الميادين", "حمص", "حماة", "الرقة"]


def test_candidates_read_late_give_what_reading_all_gives_and_a_deleted_chunk_is_dropped(tmp_path, monkeypatch):
    """Retriever.retrieve reads a candidate's chunk (dense or BM25) only when the rerank, the period preference or the
    collapse reaches it; the hits are those of reading every candidate first, each with its text and title, and a chunk
    deleted since the lexical index was built never comes back."""
    import json

    from rag import retrieval
    from tests.hash_embedder import hash_agent

    reports = tmp_path / "reports.jsonl"
    reports.write_text("".join(json.dumps({
        "id": f"r{i}", "title": f"هجوم قرب {PLACES[i % 8]} رقم {i}", "date": f"2021-03-{i % 28 + 1:02d}", "source": "SY24",
        "text": f"شن تنظيم الدولة هجوما على نقطة لقوات النظام قرب {PLACES[i % 8]} في البادية. وقتل {i + 2} عناصر في الهجوم رقم {i}."},
        ensure_ascii=False) + "\n" for i in range(24)), encoding="utf-8")
    agent = hash_agent(tmp_path / "index")
    agent.ingest([reports], progress=False)
    r = agent.retriever
    r.settings.candidates, r.settings.rerank = 12, 3
    asked: list[str] = []
    get_chunks = agent.store.get_chunks
    monkeypatch.setattr(agent.store, "get_chunks", lambda ids, **kw: asked.extend(ids) or get_chunks(ids, **kw))
    question = "هجوم تنظيم الدولة قرب تدمر"

    def run():
        return [(h.chunk.id, round(h.score, 9), [d.id for d in h.duplicates]) for h in r.retrieve(question, k=2)]

    lazy = run()
    dense_ids = {c.id for c, _ in agent.store.dense(agent.embedder.embed_batch([question], is_query=True)[0], 12)}
    sparse_only = [i for i, _ in r.bm25().search(r.bm25_query(question)[0], 12) if i not in dense_ids]
    assert sparse_only and 0 < len(asked) < len(dense_ids | set(sparse_only)), "some candidates are never read"
    read_all = retrieval.Retriever._read
    monkeypatch.setattr(retrieval.Retriever, "_read", lambda self, hits, upto: read_all(self, hits, len(hits)))
    assert run() == lazy and lazy
    monkeypatch.setattr(retrieval.Retriever, "_read", read_all)
    hits = r.retrieve(question, k=2)
    assert all(h.chunk.text and h.chunk.title and not h.chunk.meta.get(retrieval._UNREAD) for h in hits)

    gone = sparse_only[0]
    agent.store.chunks.delete(ids=[gone])  # behind the lexical index's back, as a crash between the two writes would
    hits = r.retrieve(question, k=8)
    assert gone not in [h.chunk.id for h in hits] and all(h.chunk.text for h in hits)
