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
