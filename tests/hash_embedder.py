"""A deterministic in-process embedder for tests where the embedder is not the point (integrity, faults, input checks).

Vectors come from each text's SHA-512, so equal texts get equal vectors and nothing is downloaded or
computed for long; retrieval quality is not what these tests check (the lexical half still matches words).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np


class HashEmbedder:
    """64-d unit vectors from SHA-512 (name 'test:hash-64')."""

    name, dim = "test:hash-64", 64

    def embed_batch(self, texts, *, is_query=False):
        out = []
        for t in texts:
            raw = np.frombuffer(hashlib.sha512(t.encode("utf-8", "surrogatepass")).digest(), dtype=np.uint8).astype(np.float32) - 127.5
            out.append(raw / np.linalg.norm(raw))
        return np.stack(out) if out else np.zeros((0, self.dim), dtype=np.float32)


def hash_agent(index: Path, **kw):
    """An extractive Agent over `index` (created) embedding with HashEmbedder."""
    from rag.agent import Agent
    from rag.settings import Settings

    settings = Settings.load()
    settings.store.index_dir = Path(index)
    settings.llm.model = None
    return Agent(settings, embedder=HashEmbedder(), llm=None, create=kw.pop("create", True), **kw)


def integrity(agent) -> None:
    """Every manifest row has exactly its chunks, no chunk lacks a row, and every chunk's span resolves in its article."""
    rows = agent.store.articles()
    chunks = agent.store.all_chunks()
    counts: dict[str, int] = {}
    for c in chunks:
        counts[c.article_id] = counts.get(c.article_id, 0) + 1
    assert set(counts) <= set(rows), f"chunks without a manifest row: {sorted(set(counts) - set(rows))[:5]}"
    for aid, row in rows.items():
        assert counts.get(aid, 0) == row["chunks"], f"{aid}: manifest says {row['chunks']} chunks, {counts.get(aid, 0)} stored"
    texts = agent.store.article_texts(list(rows))
    for c in chunks:
        assert texts[c.article_id][c.start : c.end] == c.text, f"citation span of {c.id} does not resolve"
