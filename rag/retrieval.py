"""Hybrid retrieval: dense (Chroma) and BM25 over the same chunks, fused by weighted reciprocal rank.

Why the fusion is language-aware: BM25 over Arabic text is strong for Arabic
questions, but an English question's words match Arabic chunks only by accident
(numbers, stray Latin words), and equal-weight fusion then drowns the dense
ranking in noise. So: a chunk takes a BM25 rank only when it matched at least
one query term; English questions are sent to BM25 as their gazetteer
expansions (Sukhnah -> السخنة), their numbers and their Latin words, with a lower
weight; near-duplicate chunks (one wire story in two outlets) collapse into one
hit that keeps every source.

Nothing is built or embedded here but the question: the BM25 index is the one the
last ingest saved (rag/lexical.py, memory-mapped; a hit's chunk is read from Chroma),
and the best-sentence re-rank reads the sentence vectors stored at ingest
(rag/sentences.py).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from . import arabic
from .documents import Chunk
from .embeddings import embed_query
from .gazetteer import Gazetteer
from .lexical import Lexical, LexicalIndex
from .sentences import SentenceVectors
from .settings import RetrievalSettings
from .store import Store


@dataclass
class Filters:
    """Date range (inclusive) and outlets; an empty filter keeps everything."""

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    undated_only: bool = False  # only reports of unknown date (searched beside a recency period, ranked after it)

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    def where(self) -> dict | None:
        """The same filter as a Chroma `where` clause."""
        clauses: list[dict] = []
        if self.undated_only:
            clauses.append({"date_start": {"$lt": 0}})
        if self.since:
            clauses.append({"date_end": {"$gte": self.since.toordinal()}})
        if self.until:
            clauses += [{"date_start": {"$lte": self.until.toordinal()}}, {"date_start": {"$gte": 0}}]
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def keeps(self, meta: dict) -> bool:
        """Whether a chunk's metadata passes the filter (articles of unknown date never pass a dated one)."""
        if self.sources and meta.get("source") not in self.sources:
            return False
        start, end = int(meta.get("date_start", -1)), int(meta.get("date_end", -1))
        if self.undated_only and start >= 0:
            return False
        if self.dated and start < 0:
            return False
        if self.since and end < self.since.toordinal():
            return False
        if self.until and start > self.until.toordinal():
            return False
        return True


@dataclass
class Hit:
    """A retrieved chunk, its fused score, and the same story's other copies."""

    chunk: Chunk
    score: float
    dense: float | None = None
    bm25: float | None = None
    sentence: float | None = None  # best sentence similarity, when re-ranked
    duplicates: list[Chunk] = field(default_factory=list)


class Retriever:
    """Dense + BM25 hybrid over one store."""

    def __init__(
        self, store: Store, settings: RetrievalSettings, gazetteer: Gazetteer | None = None, sentences: SentenceVectors | None = None
    ):
        self.store = store
        self.settings = settings
        self.gazetteer = gazetteer or Gazetteer.load()
        self.sentences = sentences or SentenceVectors(store.embedder, store)
        self.lexical = Lexical(store)
        self._background: tuple[str, np.ndarray | None] | None = None
        self._domain: tuple[str, float] | None = None

    def background(self, query_vector: np.ndarray) -> float:
        """The question's mean similarity to a fixed sample of the index's chunks (up to 2,000).

        What an unrelated text scores against this index: the topic model (rag/answering/calibrated.py)
        reads the best match's lift over it. The sample is read once per index version.
        """
        version = self.store.version()
        if self._background is None or self._background[0] != version:
            sample = self.store.sample_vectors(2000)  # the mean of dot products is the dot product with the mean
            self._background = (version, sample.mean(axis=0) if len(sample) else None)
        centre = self._background[1]
        return float(centre @ np.asarray(query_vector, dtype=np.float32)) if centre is not None else 0.0

    def domain_share(self, sample: int = 400) -> float:
        """The share of up to `sample` of the index's chunks that name a gazetteer place, group, force or operation.

        How far the index is about what the gazetteer knows (conflict news: about 0.9; Wikipedia paragraphs:
        about 0.16); read once per index version. The topic check trusts named-thing features only above
        `answer.calibration_min_domain`.
        """
        version = self.store.version()
        if self._domain is None or self._domain[0] != version:
            texts = self.store.sample_texts(sample)
            kinds = {"place", "group", "force", "operation"}
            named = sum(1 for t in texts if any(m.entry.type in kinds for m in self.gazetteer.find_arabic(t)))
            self._domain = (version, named / len(texts) if texts else 0.0)
        return self._domain[1]

    def known_share(self, question: str) -> float:
        """The share of the question's words (rag.arabic tokens, as BM25 reads them) in the index's vocabulary."""
        words = [t for t in dict.fromkeys(arabic.tokens(question)) if len(t) > 1]
        if not words:
            return 0.0
        vocab = self.bm25().vocab
        return sum(1 for t in words if t in vocab) / len(words)

    def bm25(self) -> LexicalIndex:
        """The persistent BM25 index of the last finished ingest (rag/lexical.py: loaded, not built, at a query)."""
        return self.lexical.get()

    def bm25_query(self, question: str, extra: list[str] | None = None) -> tuple[list[str], float]:
        """BM25 tokens for a question and the weight BM25 gets in the fusion."""
        expansions = self.gazetteer.expand_query(question) + list(extra or [])
        if arabic.is_arabic(question):
            return arabic.tokens(question) + arabic.tokens(" ".join(expansions)), 1.0
        # English words match Arabic chunks only by accident (measured on XQuAD: they only hurt),
        # so an English question reaches BM25 through its gazetteer expansions alone.
        expanded = arabic.tokens(" ".join(expansions))
        return expanded, self.settings.english_bm25_weight if expanded else 0.0

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        extra_terms: list[str] | None = None,
        mode: str = "hybrid",
        query_vector: np.ndarray | None = None,
        prefer: Filters | None = None,
    ) -> list[Hit]:
        """The k best chunks for a question under the filters; mode is 'hybrid', 'dense' or 'bm25'."""
        k = k or self.settings.k
        filters = filters or Filters()
        n = self.settings.candidates
        dense: list[tuple[Chunk, float]] = []
        vector = embed_query(self.store.embedder, question) if query_vector is None else query_vector
        # candidates are ids: a chunk's text is read when a reader reaches it (the rerank, the period preference, the
        # collapse), so of the ~80 fused candidates about 17 are read; titles for the kept hits only, below
        if mode in ("hybrid", "dense"):
            dense = [(_unread(i), s) for i, s in self.store.nearest(vector, n, filters.where())]
        sparse: list[tuple[Chunk, float]] = []
        weight = 0.0
        if mode in ("hybrid", "bm25"):
            tokens, weight = self.bm25_query(question, extra_terms)
            sparse = [(_unread(i), s) for i, s in self.bm25().search(tokens, n, filters)]
        if mode == "bm25":
            weight = 1.0
        hits = fuse(dense, sparse, bm25_weight=weight, rrf_k=self.settings.rrf_k)
        if mode == "hybrid" and self.settings.rerank:
            # the rerank permutes the first `rerank` hits only, so the collapse's first reach is read with them, in one read
            hits = self.rerank(self._read(hits, max(self.settings.rerank, k + DUPLICATE_LOOKAHEAD + 1)), vector)
        if prefer is not None:
            hits = prefer_period(self._read(hits, len(hits)), prefer)
        kept = self._collapse(hits, k)
        self.store.with_articles([h.chunk for h in kept] + [c for h in kept for c in h.duplicates])
        return kept

    def _read(self, hits: list[Hit], upto: int) -> list[Hit]:
        """The hits with the chunks of the first `upto` read from the store; a chunk deleted since the lexical index was
        built is dropped (and the next hit moves up, read in turn)."""
        while ids := [h.chunk.id for h in hits[:upto] if h.chunk.meta.get(_UNREAD)]:
            read = {c.id: c for c in self.store.get_chunks(ids, with_articles=False)}
            for h in hits[:upto]:
                if h.chunk.id in read and h.chunk.meta.get(_UNREAD):
                    h.chunk = read[h.chunk.id]
            hits = [h for i, h in enumerate(hits) if i >= upto or not h.chunk.meta.get(_UNREAD)]
        return hits

    def _collapse(self, hits: list[Hit], k: int) -> list[Hit]:
        """`dedup` over as many hits as it reads (the k-th kept one and DUPLICATE_LOOKAHEAD more), reading their chunks
        first: the same result as reading every candidate."""
        reach = k + DUPLICATE_LOOKAHEAD + 1
        while True:
            hits = self._read(hits, reach)
            for h in hits[:reach]:
                h.duplicates = []
            kept = self._dedup(hits[:reach], k)
            if reach >= len(hits):
                return kept
            if len(kept) == k and next(i for i, h in enumerate(hits) if h is kept[-1]) + DUPLICATE_LOOKAHEAD < reach:
                return kept
            reach *= 2

    def rerank(self, hits: list[Hit], query_vector: np.ndarray) -> list[Hit]:
        """Re-order the top fused hits by fused score plus their best sentence's similarity to the question."""
        top, rest = hits[: self.settings.rerank], hits[self.settings.rerank :]
        best = self.sentences.best([h.chunk for h in top], query_vector)
        for hit, sim in zip(top, best):
            hit.sentence = sim
            hit.score = hit.score * self.settings.rrf_k + self.settings.rerank_weight * sim
        top.sort(key=lambda h: -h.score)
        floor = top[-1].score if top else 0.0
        for hit in rest:  # keep them below the re-ranked head
            hit.score = min(hit.score * self.settings.rrf_k, floor - 1e-6)
        return top + rest

    def _dedup(self, hits: list[Hit], k: int) -> list[Hit]:
        """Collapse near-identical chunks from different articles into the best-scored one."""
        return dedup(hits, k, self.settings.dedup_threshold)


_UNREAD = "_unread"  # meta key of a chunk known by id only (see Retriever.retrieve)


def _unread(chunk_id: str) -> Chunk:
    """A chunk known by its id only, read from the store when a reader reaches it."""
    return Chunk(chunk_id, "", "", 0, 0, {_UNREAD: True})


DUPLICATE_LOOKAHEAD = 8  # hits read past the k-th kept one for copies of the kept (a copy ranks next to its twin)


def dedup(hits: list[Hit], k: int, threshold: float, lookahead: int = DUPLICATE_LOOKAHEAD) -> list[Hit]:
    """The first k hits once each is folded into the earliest kept hit of another article whose word-shingle Jaccard
    with it reaches `threshold` (it joins that hit's `duplicates`) (pure but for those lists).

    The kept hits are exactly those of folding every hit; copies are looked for among the hits up to `lookahead`
    places past the k-th kept one, not further (a copy of a story, the same words from another outlet, scores as its
    twin does and ranks beside it; reading all ~80 fused hits cost 5 ms an ask at 100k chunks). Exact, with prefix
    filtering: two shingle sets with Jaccard >= t share one of the |x| - ceil(t|x|) + 1 smallest shingles of each (any
    one global order), so only kept hits sharing a prefix shingle are compared.
    """
    kept: list[tuple[Hit, frozenset[int]]] = []
    owners: dict[int, list[int]] = {}
    last: int | None = None  # the last position read once k hits are kept
    for pos, hit in enumerate(hits):
        if last is not None and pos > last:
            break
        shingles, ordered = _shingles(hit.chunk.text)
        prefix = ordered[: max(1, len(shingles) - math.ceil(threshold * len(shingles)) + 1)] if threshold > 0 else None
        if prefix is None:
            candidates: Iterable[int] = range(len(kept))
        else:
            candidates = sorted({i for sh in prefix for i in owners.get(sh, ())})
        for i in candidates:
            other, other_sh = kept[i]
            if other.chunk.article_id != hit.chunk.article_id:
                both = len(shingles & other_sh)
                if both / max(1, len(shingles) + len(other_sh) - both) >= threshold:
                    other.duplicates.append(hit.chunk)
                    break
        else:
            if last is not None:
                continue  # a (k+1)-th story: not returned, and copies of it would not be either
            for sh in prefix or ():
                owners.setdefault(sh, []).append(len(kept))
            kept.append((hit, shingles))
            if len(kept) == k:
                last = pos + lookahead
    return [h for h, _ in kept[:k]]


def prefer_period(hits: list[Hit], prefer: Filters) -> list[Hit]:
    """Move hits dated inside the preferred period ahead of the others, each group keeping its order (pure)."""
    inside = [h for h in hits if prefer.keeps(h.chunk.meta)]
    return inside + [h for h in hits if not prefer.keeps(h.chunk.meta)]


def fuse(
    dense: list[tuple[Chunk, float]], sparse: list[tuple[Chunk, float]], bm25_weight: float = 1.0, rrf_k: int = 60
) -> list[Hit]:
    """Weighted reciprocal rank fusion of two ranked lists (pure)."""
    hits: dict[str, Hit] = {}
    for rank, (chunk, score) in enumerate(dense):
        hit = hits.setdefault(chunk.id, Hit(chunk, 0.0))
        hit.dense = score
        hit.score += 1.0 / (rrf_k + rank + 1)
    for rank, (chunk, score) in enumerate(sparse):
        hit = hits.setdefault(chunk.id, Hit(chunk, 0.0))
        hit.bm25 = score
        hit.score += bm25_weight / (rrf_k + rank + 1)
    return sorted(hits.values(), key=lambda h: -h.score)


@functools.lru_cache(maxsize=4096)
def _shingles(text: str, n: int = 3) -> tuple[frozenset[int], tuple[int, ...]]:
    """Hashes of a text's word n-grams, as a set and in order (a chunk's, cached: the same chunks come back ask after ask)."""
    toks = arabic.tokens(text, stem=False, drop_stopwords=False)
    found = frozenset(hash(tuple(toks[i : i + n])) for i in range(max(1, len(toks) - n + 1)))
    return found, tuple(sorted(found))
