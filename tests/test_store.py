"""The Chroma store for real: embedder provenance, missing index, dense search."""

import pytest

from rag.agent import Agent
from rag.embeddings import make_embedder
from rag.settings import Settings
from rag.store import IndexMismatchError, Store, StoreError


class _Renamed:
    """The real bundled embedder under another name and size: stands for an index built by another model."""

    def __init__(self, name, dim):
        self._inner = make_embedder("e5-small-q4")
        self.name, self.dim = name, dim

    def embed_batch(self, texts, *, is_query=False):
        return self._inner.embed_batch(texts, is_query=is_query)


def test_index_built_by_another_embedder_is_refused_with_how_to_rebuild(seed_index_dir):
    settings = Settings.load()
    settings.store.index_dir = seed_index_dir
    with pytest.raises(IndexMismatchError, match="built with embedder 'e5-small-q4'.*rebuild"):
        Store(settings.store, _Renamed("st:other-model", 768))


def test_missing_index_is_a_clear_error(tmp_path):
    settings = Settings.load()
    settings.store.index_dir = tmp_path / "nothing-here"
    with pytest.raises(StoreError, match="no index at .*rag ingest"):
        Agent(settings, llm=None, create=False)
    assert not (tmp_path / "nothing-here").exists(), "opening for reading creates nothing"


def test_dense_search_and_info(store_mode, seed_agent):
    info = seed_agent.store.info()
    assert info["articles"] == 5 and info["chunks"] > 10 and info["embedder"] == "e5-small-q4" and info["mode"] == store_mode
    from rag.embeddings import embed_query

    hits = seed_agent.store.dense(embed_query(seed_agent.embedder, "انسحاب القوات الروسية من تدمر"), 3)
    assert hits[0][0].article_id == "003_2b7e810d896de9c5"
    assert all(-1 <= score <= 1 for _, score in hits)
